"""fastText's binary model files (``.bin`` of fastText 0.9.x), read and written.

The layout (little-endian, as fastText writes it on every platform it runs on),
learnt from fastText's ``FastText::saveModel``, ``Args::save``,
``Dictionary::save`` and ``DenseMatrix::save``:

=========================  =================================================
int32 magic, int32 version  793712314, 12 (11 is read too)
args (56 bytes)            int32 dim, ws, epoch, minCount, neg, wordNgrams,
                           loss (1 hs, 2 ns, 3 softmax, 4 ova),
                           model (1 cbow, 2 sg, 3 sup), bucket, minn, maxn,
                           lrUpdateRate; float64 t
dictionary                 int32 size, nwords, nlabels; int64 ntokens,
                           pruneidx_size (-1: not pruned); then ``size``
                           entries ``word \\0, int64 count, int8 type``
                           (0 word, 1 label); then pruneidx_size int32 pairs
uint8 quant                1: a quantized input matrix (``.ftz``)
input matrix               int64 m, n; m * n float32, row-major;
                           m = nwords + bucket, n = dim
uint8 qout                 a quantized output matrix
output matrix              int64 m, n; m * n float32 (m = nwords for the
                           unsupervised losses, hierarchical softmax included)
=========================  =================================================

The input matrix starts at an offset that is rarely a multiple of 4: the reader
memory-maps it as an unaligned float32 array (NumPy and the kernels read such
arrays without a copy), so opening a 7 GB model reads only its dictionary.

Only unsupervised word-vector models are read: quantized models and classifiers
(labels, ``wordNgrams > 1``, ``-supervised``) are refused with one line. A
hierarchical-softmax model's output rows are one per word, in dictionary order,
as fastText keeps them; its tree is rebuilt from the counts by whoever trains on.

Every size the file declares is checked against the bytes that remain before
anything is allocated or mapped; a bad file is one :class:`FormatError` naming
the file and the byte offset.
"""

from __future__ import annotations

import dataclasses
import mmap as _mmap
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._io import atomic_write
from ..errors import ConfigError, FormatError
from .keyed import SubwordVectors
from .ngrams import check_ngram_params

__all__ = [
    "FASTTEXT_MAGIC",
    "FASTTEXT_VERSION",
    "FastTextArgs",
    "FastTextModelFile",
    "read_fasttext_bin",
    "write_fasttext_bin",
    "load_fasttext",
    "is_fasttext_bin",
]

PathLike = str | os.PathLike[str]

FASTTEXT_MAGIC = 793712314
FASTTEXT_VERSION = 12
_OLDEST_VERSION = 11  # fastText 0.2 onwards (the older ones wrote no magic number)

_HEAD = struct.Struct("<ii")
_ARGS = struct.Struct("<12id")
_DICT = struct.Struct("<iiiqq")
_MATRIX = struct.Struct("<qq")
_ENTRY_MIN = 10  # the shortest dictionary entry: "\0", an int64 count and an int8 type

LOSSES = {1: "hs", 2: "ns", 3: "softmax", 4: "ova"}
MODELS = {1: "cbow", 2: "sg", 3: "sup"}
_LOSS_IDS = {v: k for k, v in LOSSES.items()}
_MODEL_IDS = {v: k for k, v in MODELS.items()}
# bytes fastText's tokenizer splits on: a word holding one could never be read back
_SEPARATORS = frozenset(b" \n\r\t\v\f\0")


@dataclass
class FastTextArgs:
    """The args block of a fastText model file: every field, fastText's defaults
    for unsupervised training (``fasttext skipgram``)."""

    dim: int = 100  #: vector dimension (-dim)
    ws: int = 5  #: context window (-ws)
    epoch: int = 5  #: passes over the corpus (-epoch)
    min_count: int = 5  #: minimal word count (-minCount)
    neg: int = 5  #: negatives sampled (-neg)
    word_ngrams: int = 1  #: word n-grams (-wordNgrams); > 1 only in classifiers
    loss: str = "ns"  #: "hs", "ns", "softmax" or "ova" (-loss)
    model: str = "sg"  #: "cbow", "sg" or "sup"
    bucket: int = 2_000_000  #: hashed n-gram rows (-bucket)
    minn: int = 3  #: shortest character n-gram (-minn)
    maxn: int = 6  #: longest character n-gram (-maxn); 0: none
    lr_update_rate: int = 100  #: tokens between learning-rate updates (-lrUpdateRate)
    t: float = 1e-4  #: sub-sampling threshold (-t)

    def check(self) -> None:
        """Raise ConfigError unless this is an unsupervised model fastText can write."""
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.type == "int" and (
                isinstance(value, bool)
                or not isinstance(value, (int, np.integer))
                or not -(2**31) <= value < 2**31
            ):
                raise ConfigError(f"FastTextArgs.{f.name} must be an int32; got {value!r}.")
        if self.loss not in _LOSS_IDS:
            raise ConfigError(
                f"FastTextArgs.loss must be one of {sorted(_LOSS_IDS)}; got {self.loss!r}."
            )
        if self.model not in ("cbow", "sg"):
            raise ConfigError(
                f"FastTextArgs.model must be 'cbow' or 'sg' (supervised models are not "
                f"supported); got {self.model!r}."
            )
        if self.word_ngrams != 1:
            raise ConfigError(
                f"FastTextArgs.word_ngrams must be 1 (word n-grams belong to classifiers); "
                f"got {self.word_ngrams}."
            )
        if self.dim < 1:
            raise ConfigError(f"FastTextArgs.dim must be >= 1; got {self.dim}.")
        check_ngram_params(self.minn, self.maxn, self.bucket)
        if not isinstance(self.t, (float, int)) or not np.isfinite(self.t):
            raise ConfigError(f"FastTextArgs.t must be a finite float; got {self.t!r}.")


@dataclass
class FastTextModelFile:
    """What a fastText ``.bin`` holds (see the module doc)."""

    path: str
    version: int
    args: FastTextArgs
    words: list[str]  #: the dictionary, in row order
    counts: np.ndarray  #: int64 (nwords,): each word's corpus count
    types: np.ndarray  #: int8 (nwords,): each entry's type (0: word)
    ntokens: int  #: tokens read by training
    input_matrix: np.ndarray  #: float32 (nwords + bucket, dim), memory-mapped, read-only
    output_matrix: np.ndarray  #: float32 (nwords, dim), memory-mapped, read-only
    key_to_index: dict[str, int] | None = dataclasses.field(default=None, repr=False)

    def vectors(self) -> SubwordVectors:
        """The word vectors (any word) this model gives, over the mapped input matrix."""
        a = self.args
        kv = SubwordVectors._from_decoded(
            self.words, self.input_matrix, a.minn, a.maxn, a.bucket, self.counts,
            key_to_index=self.key_to_index,
        )  # fmt: skip
        kv._source = self.path
        return kv


# --------------------------------------------------------------------------- reading
class _Reader:
    """Bounds-checked reads of the fixed-size parts of a mapped file."""

    def __init__(self, path: str, buf) -> None:
        self.path, self.buf, self.pos, self.size = path, buf, 0, len(buf)

    def need(self, nbytes: int, what: str) -> None:
        if nbytes < 0 or self.pos + nbytes > self.size:
            raise FormatError(
                f"{self.path}: truncated at byte offset {self.pos}: {what} needs {nbytes} bytes, "
                f"but {self.size - self.pos} remain"
            )

    def unpack(self, st: struct.Struct, what: str) -> tuple:
        self.need(st.size, what)
        out = st.unpack_from(self.buf, self.pos)
        self.pos += st.size
        return out

    def fail(self, at: int, message: str) -> FormatError:
        return FormatError(f"{self.path}: byte offset {at}: {message}")


# One dictionary entry: the word (no NUL), its NUL, then 9 bytes (int64 count, int8 type).
_ENTRY = re.compile(rb"([^\x00]*)\x00.{9}", re.DOTALL)


def _scan_dictionary(r: _Reader, raw: np.ndarray, nwords: int):
    """The words (bytes), the offsets of their NULs, and the end of the dictionary.

    Scanned in windows of about ``chunk`` bytes, each ending 10 bytes after a NUL
    (never past the end of the file):
    matched from an entry's start, the pattern then always succeeds while that start
    lies before the window's last NUL (the entry's own NUL comes first, and its 9 bytes
    fit), so one findall gives the entries back to back and stops within 9 bytes of
    the window's end (a regular expression that failed earlier would retry every later
    position: quadratic on a long run without NUL, e.g. in a hostile file).
    """
    found: list[bytes] = []
    pos = r.pos
    chunk = max(1 << 20, 24 * nwords)
    while len(found) < nwords:
        nul = r.buf.find(b"\0", min(pos + chunk, r.size))
        if nul < 0:
            nul = r.buf.rfind(b"\0", pos)  # the last NUL of the file
        while nul >= pos and nul + 10 > r.size:  # an entry ending there cannot fit
            nul = r.buf.rfind(b"\0", pos, nul)
        got = _ENTRY.findall(r.buf, pos, nul + 10) if nul >= pos else []
        del got[nwords - len(found) :]
        if not got:
            raise r.fail(pos, f"truncated inside dictionary entry {len(found)} of {nwords}")
        found += got
        pos += sum(map(len, got)) + _ENTRY_MIN * len(got)
    lengths = np.fromiter(map(len, found), dtype=np.int64, count=nwords)
    nuls = r.pos + np.cumsum(lengths + _ENTRY_MIN) - _ENTRY_MIN
    return found, lengths, nuls, pos


def is_fasttext_bin(path: PathLike) -> bool:
    """Whether ``path`` starts with fastText's magic number (else e.g. word2vec binary)."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    return len(head) == 4 and struct.unpack("<i", head)[0] == FASTTEXT_MAGIC


def _read_args(r: _Reader) -> FastTextArgs:
    at = r.pos
    (dim, ws, epoch, min_count, neg, word_ngrams, loss, model, bucket, minn, maxn, lr_rate, t) = (
        r.unpack(_ARGS, "the args block")
    )
    if model not in MODELS:
        raise r.fail(at + 28, f"unknown model type {model} (expected 1 cbow, 2 sg or 3 sup)")
    if loss not in LOSSES:
        raise r.fail(at + 24, f"unknown loss {loss} (expected 1 to 4)")
    if model == 3:
        raise r.fail(
            at + 28,
            "a supervised model (a classifier); wordvec reads fastText's unsupervised word "
            "vectors (cbow, skipgram) only",
        )
    if word_ngrams > 1:
        raise r.fail(
            at + 20,
            f"wordNgrams is {word_ngrams}; word n-grams belong to classifiers, which "
            "wordvec does not read",
        )
    if dim < 1:
        raise r.fail(at, f"dimension {dim}; it must be >= 1")
    try:
        check_ngram_params(minn, maxn, bucket)
    except ConfigError as exc:
        raise r.fail(at + 32, f"bad n-gram parameters: {exc}") from None
    return FastTextArgs(
        dim=dim,
        ws=ws,
        epoch=epoch,
        min_count=min_count,
        neg=neg,
        word_ngrams=word_ngrams,
        loss=LOSSES[loss],
        model=MODELS[model],
        bucket=bucket,
        minn=minn,
        maxn=maxn,
        lr_update_rate=lr_rate,
        t=t,
    )


def _read_matrix(r: _Reader, raw: np.ndarray, rows: int, dim: int, what: str) -> np.ndarray:
    at = r.pos
    m, n = r.unpack(_MATRIX, f"the {what} matrix's shape")
    if m != rows or n != dim:
        raise r.fail(at, f"the {what} matrix is {m} x {n}; this model needs {rows} x {dim}")
    r.need(4 * m * n, f"the {what} matrix ({m} x {n} float32)")
    start = r.pos
    r.pos += 4 * m * n
    if m * n == 0:
        return np.zeros((m, n), dtype=np.float32)
    # an unaligned view of the mapped file: no copy, pages read when first used
    return np.ndarray((m, n), dtype="<f4", buffer=raw, offset=start)


def read_fasttext_bin(path: PathLike) -> FastTextModelFile:
    """Read a fastText ``.bin``; its matrices are memory-mapped, not read.

    Raises
    ------
    FormatError
        Not a fastText model, a quantized or supervised one, or a damaged file
        (one line naming the file and the byte offset).
    """
    path = os.fspath(path)
    size = os.path.getsize(path)
    if size < _HEAD.size:
        raise FormatError(f"{path}: truncated: {size} bytes; a fastText model starts with 8")
    with open(path, "rb") as fh:
        mm = _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_READ)
    raw = np.frombuffer(mm, dtype=np.uint8)  # the arrays below keep the map alive
    r = _Reader(path, mm)
    magic, version = r.unpack(_HEAD, "the header")
    if magic != FASTTEXT_MAGIC:
        raise r.fail(0, f"not a fastText model (magic number {magic}, expected {FASTTEXT_MAGIC})")
    if version > FASTTEXT_VERSION or version < _OLDEST_VERSION:
        raise r.fail(
            4,
            f"fastText format version {version}; wordvec reads versions "
            f"{_OLDEST_VERSION} to {FASTTEXT_VERSION}",
        )
    args = _read_args(r)

    at = r.pos
    size_, nwords, nlabels, ntokens, prune_size = r.unpack(_DICT, "the dictionary header")
    if nlabels != 0:
        raise r.fail(at + 8, f"{nlabels} labels: a supervised model, which wordvec does not read")
    if nwords < 0 or size_ != nwords:
        raise r.fail(at, f"dictionary of {size_} entries with {nwords} words and 0 labels")
    if nwords * _ENTRY_MIN > r.size - r.pos:
        raise r.fail(
            at,
            f"the dictionary declares {nwords} words, which need at least "
            f"{nwords * _ENTRY_MIN} bytes, but {r.size - r.pos} remain",
        )
    if prune_size < -1:
        raise r.fail(at + 20, f"prune index size {prune_size}; it must be >= -1")
    found, lengths, nuls, r.pos = _scan_dictionary(r, raw, nwords)
    if nwords and lengths.min() == 0:
        i = int(np.argmin(lengths))
        raise r.fail(int(nuls[i]), f"dictionary entry {i} is an empty word")
    # each entry's int64 count at its NUL + 1 (unaligned): an 8-byte window of the map
    windows = np.lib.stride_tricks.as_strided(raw, shape=(max(0, raw.size - 7), 8), strides=(1, 1))
    counts = windows[nuls + 1].copy().view("<i8").reshape(-1).astype(np.int64)
    types = raw[nuls + 9].view(np.int8).copy()
    if nwords and types.any():
        i = int(np.flatnonzero(types)[0])
        raise r.fail(int(nuls[i]) + 9, f"dictionary entry {i} has type {types[i]}, not 0 (word)")
    if nwords and counts.min() < 0:
        i = int(np.argmin(counts))
        raise r.fail(int(nuls[i]) + 1, f"dictionary entry {i} has a negative count {counts[i]}")
    if prune_size > 0:
        r.need(8 * prune_size, f"the prune index ({prune_size} pairs)")
        r.pos += 8 * prune_size
    at = r.pos
    (quant,) = r.unpack(struct.Struct("<B"), "the quantization flag")
    if quant:
        raise r.fail(
            at,
            "a quantized model (.ftz); wordvec reads full-precision fastText models only "
            "(the .bin, not the .ftz)",
        )
    if prune_size >= 0:
        raise r.fail(at, "a pruned dictionary without quantization, which fastText itself refuses")

    words = _decode_words(r, found, lengths, nuls)
    input_matrix = _read_matrix(r, raw, nwords + args.bucket, args.dim, "input")
    r.unpack(struct.Struct("<B"), "the output quantization flag")  # (meaningless unquantized)
    output_matrix = _read_matrix(r, raw, nwords, args.dim, "output")
    if r.pos != r.size:
        raise r.fail(r.pos, f"{r.size - r.pos} bytes follow the output matrix")
    key_to_index = dict(zip(words, range(nwords), strict=True))
    if len(key_to_index) != nwords:
        seen: dict[str, int] = {}
        for i, w in enumerate(words):
            if w in seen:
                at = int(nuls[i] - lengths[i])
                raise r.fail(at, f"word {w!r} appears twice (entries {seen[w]} and {i})")
            seen[w] = i
    return FastTextModelFile(
        path=path,
        version=version,
        args=args,
        words=words,
        counts=counts,
        types=types,
        ntokens=int(ntokens),
        input_matrix=input_matrix,
        output_matrix=output_matrix,
        key_to_index=key_to_index,
    )


def _decode_words(r: _Reader, found: list[bytes], lengths: np.ndarray, nuls: np.ndarray):
    """The words as str: one decode of them all (no NUL inside any), else name the culprit."""
    try:
        return b"\0".join(found).decode("utf-8").split("\0") if found else []
    except UnicodeDecodeError:
        for i, w in enumerate(found):
            try:
                w.decode("utf-8")
            except UnicodeDecodeError as exc:
                at = int(nuls[i] - lengths[i]) + exc.start
                raise r.fail(at, f"dictionary entry {i} is not valid UTF-8") from None
        raise


def load_fasttext(path: PathLike) -> SubwordVectors:
    """The word vectors of a fastText ``.bin`` (any word gets one), input matrix mapped.

    >>> wv = load_fasttext("cc.en.300.bin")  # doctest: +SKIP
    >>> wv["unseenwordy"].shape  # doctest: +SKIP
    (300,)
    """
    return read_fasttext_bin(path).vectors()


# --------------------------------------------------------------------------- writing
def _check_words(words: Sequence[str]) -> list[bytes]:
    out = []
    seen: dict[str, int] = {}
    for i, w in enumerate(words):
        if not isinstance(w, str):
            raise ConfigError(f"`words` must hold only str; got {type(w).__name__} at {i}.")
        b = w.encode("utf-8")
        if not b or not _SEPARATORS.isdisjoint(b):
            raise ConfigError(
                f"word {i} ({w!r}) is empty or holds whitespace or NUL; a fastText model "
                f"cannot store it"
            )
        if w in seen:
            raise ConfigError(f"`words` must be unique; got {w!r} at positions {seen[w]} and {i}.")
        seen[w] = i
        out.append(b)
    return out


def _check_matrix(name: str, m: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    m = np.asarray(m)
    if m.shape != shape or m.dtype.kind not in "fiu":
        raise ConfigError(
            f"`{name}` must be a numeric array of shape {shape}; got {m.dtype} {m.shape}."
        )
    step = max(1, (64 << 20) // max(1, 4 * shape[1]))
    for lo in range(0, shape[0], step):
        block = np.asarray(m[lo : lo + step], dtype=np.float32)
        if not np.isfinite(block).all():
            row = lo + int(np.flatnonzero(~np.isfinite(block).all(axis=1))[0])
            raise ConfigError(f"`{name}` row {row} holds a non-finite value; no file is written.")
    return m


def write_fasttext_bin(
    path: PathLike,
    args: FastTextArgs,
    words: Sequence[str],
    counts: np.ndarray,
    input_matrix: np.ndarray,
    output_matrix: np.ndarray,
    *,
    ntokens: int | None = None,
) -> None:
    """Write an unsupervised fastText model that fastText 0.9 and gensim read, atomically.

    Parameters
    ----------
    path : str or PathLike
    args : FastTextArgs
        ``args.dim`` and ``args.bucket`` must match the matrices.
    words : list of str, length V
        The dictionary in row order (fastText's: by count, most frequent first).
    counts : int array, shape (V,)
    input_matrix : array, shape (V + bucket, dim)
        Word rows, then n-gram buckets; written as float32 in chunks (a memory
        map is never read whole).
    output_matrix : array, shape (V, dim)
        One row per word (negative sampling, softmax, and hierarchical softmax
        whose tree fastText rebuilds from the counts).
    ntokens : int, optional
        Tokens seen in training; default: the sum of the counts.
    """
    if not isinstance(args, FastTextArgs):
        raise ConfigError(f"`args` must be a FastTextArgs; got {type(args).__name__}.")
    args.check()
    encoded = _check_words(words)
    nwords = len(encoded)
    counts = np.asarray(counts)
    if counts.shape != (nwords,) or counts.dtype.kind not in "iu" or (nwords and counts.min() < 0):
        raise ConfigError(
            f"`counts` must be {nwords} ints >= 0; got {counts.dtype} {counts.shape}."
        )
    if nwords + args.bucket > 2**31 - 1:
        raise ConfigError(f"words ({nwords}) + bucket ({args.bucket}) must be < 2**31 rows.")
    inp = _check_matrix("input_matrix", input_matrix, (nwords + args.bucket, args.dim))
    out = _check_matrix("output_matrix", output_matrix, (nwords, args.dim))
    if ntokens is None:
        ntokens = int(counts.sum())
    entries = b"".join(
        w + b"\0" + struct.pack("<qb", int(c), 0)
        for w, c in zip(encoded, counts.tolist(), strict=True)
    )
    with atomic_write(path, "wb") as fh:
        fh.write(_HEAD.pack(FASTTEXT_MAGIC, FASTTEXT_VERSION))
        fh.write(
            _ARGS.pack(
                args.dim,
                args.ws,
                args.epoch,
                args.min_count,
                args.neg,
                args.word_ngrams,
                _LOSS_IDS[args.loss],
                _MODEL_IDS[args.model],
                args.bucket,
                args.minn,
                args.maxn,
                args.lr_update_rate,
                float(args.t),
            )
        )
        fh.write(_DICT.pack(nwords, nwords, 0, int(ntokens), -1))
        fh.write(entries)
        for flag, matrix in ((0, inp), (0, out)):
            fh.write(bytes([flag]))
            fh.write(_MATRIX.pack(*matrix.shape))
            step = max(1, (16 << 20) // (4 * args.dim))
            for lo in range(0, matrix.shape[0], step):
                fh.write(np.ascontiguousarray(matrix[lo : lo + step], dtype="<f4").tobytes())
