"""Vector files: word2vec text and binary, and wordvec's native container.

word2vec binary (word2vec C ``-binary 1``, gensim ``binary=True``)
    ``"V d\\n"``, then for each word ``word``, a space, d little-endian float32
    and ``"\\n"``. word2vec C writes that newline; gensim does not, and both
    readers skip newlines before a word, so this reader accepts both.
word2vec text (``.txt``, fastText's ``.vec``)
    ``"V d\\n"``, then ``word v1 ... vd`` per line. Values are written in the
    shortest form that reads back as the same float32 (what gensim writes), so
    a text round trip is exact. A trailing space (word2vec C, fastText) is
    accepted, and so is a file without the header line (GloVe).
fastText binary (``.bin`` starting with fastText's magic number 793712314)
    Read as :class:`~wordvec.subwords.keyed.SubwordVectors` (every word gets a
    vector from its n-grams) by :func:`wordvec.subwords.fasttext_bin.load_fasttext`;
    a ``.bin`` is told apart from word2vec binary by that number. Written only on
    request (``write_fasttext_bin``, a model's ``save_fasttext``): ``save`` to
    ``.bin`` writes word2vec binary.
native (``.wvec``)
    A container (:mod:`wordvec.files.container`): magic bytes, format version, a JSON
    header describing each array (dtype, shape, offset), then the raw
    little-endian arrays at 64-byte-aligned offsets, memory-mapped on load.
    SubwordVectors are stored with their n-gram rows (kind "subword_vectors").
compressed (``.gz``, ``.bz2``, ``.xz`` after any of the names above)
    :func:`load` decompresses the file (recognised by its magic bytes, through
    :func:`wordvec.text.corpus.open_file`, the one place that opens compressed
    files) into a temporary file, reads that by the name without the suffix
    (``vectors.txt.gz`` is word2vec text), and removes it; errors name the
    compressed file.

Every reader checks what a header claims against the size of the file before
allocating anything, and turns malformed input into
:class:`~wordvec.errors.FormatError` naming the file and the line (text) or
byte offset (binary). A UTF-8 byte-order mark at the start of a word2vec file is
dropped. Non-finite values are refused when a file is read; a memory-mapped
native file is checked lazily, before its vectors are first used (see
:meth:`KeyedVectors.check_finite`), and :func:`save` writes no file that
:func:`load` would refuse.
"""

from __future__ import annotations

import contextlib
import itertools
import lzma
import mmap as _mmap
import os
import shutil
import tempfile
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .._version import __version__
from ..errors import ConfigError, CorpusError, FormatError
from ..files.atomic import atomic_write
from ..files.container import MAGIC, decode_strings, encode_strings, read_container, write_container
from ..subwords.fasttext_bin import is_fasttext_bin, load_fasttext
from ..subwords.keyed import KIND as _SUBWORD_KIND
from ..subwords.keyed import SubwordVectors, save_subword_vectors, subword_vectors_from_container
from ..text.corpus import COMPRESSED_SUFFIXES, open_file
from .keyedvectors import KeyedVectors

__all__ = ["FORMATS", "resolve_format", "save", "load"]

PathLike = str | os.PathLike[str]

FORMATS = ("word2vec-bin", "word2vec-text", "native")
_ERRORS = ("strict", "replace", "ignore")
_BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark: dropped at the start of a word2vec file
_HINT = "pass errors='replace' to accept it, or errors='ignore' to drop the bytes"
_EXTENSIONS = {
    ".bin": "word2vec-bin",
    ".txt": "word2vec-text",
    ".vec": "word2vec-text",
    ".wvec": "native",
}


# --------------------------------------------------------------------------- native KeyedVectors
def _save_native(kv: KeyedVectors, path: PathLike) -> None:
    if isinstance(kv, SubwordVectors):
        save_subword_vectors(kv, path)  # with its n-gram rows, so unseen words keep vectors
        return
    kv.check_finite()
    blob, offsets = encode_strings(kv.words)
    arrays = {"vectors": kv.vectors, "words_blob": blob, "words_offsets": offsets}
    if kv.counts is not None:
        arrays["counts"] = kv.counts
    meta = {
        "kind": "keyed_vectors",
        "wordvec_version": __version__,
        "count": len(kv),
        "dim": kv.dim,
    }
    write_container(path, meta, arrays)


def _load_native(path: PathLike, mmap: bool) -> KeyedVectors:
    meta, arrays = read_container(path, mmap=mmap)
    if meta.get("kind") == _SUBWORD_KIND:
        return subword_vectors_from_container(path, meta, arrays)
    if meta.get("kind") != "keyed_vectors":
        raise FormatError(f"{path}: holds kind {meta.get('kind')!r}, not 'keyed_vectors'")
    vectors = arrays.get("vectors")
    blob, offsets = arrays.get("words_blob"), arrays.get("words_offsets")
    if vectors is None or blob is None or offsets is None:
        raise FormatError(f"{path}: needs the arrays 'vectors', 'words_blob' and 'words_offsets'")
    if vectors.dtype != np.float32 or vectors.ndim != 2:
        raise FormatError(
            f"{path}: 'vectors' must be 2-D float32; got {vectors.dtype} {vectors.shape}"
        )
    n = vectors.shape[0]
    if vectors.shape[1] == 0:
        raise FormatError(f"{path}: holds vectors of dimension 0; it must be >= 1")
    if offsets.shape != (n + 1,):
        raise FormatError(f"{path}: {n} vectors but {offsets.size - 1} words")
    words = decode_strings(blob, offsets, source=f"{path}: array 'words_blob'")
    counts = arrays.get("counts")
    if counts is not None and (counts.shape != (n,) or counts.dtype.kind not in "iu"):
        raise FormatError(f"{path}: 'counts' must be {n} ints; got {counts.dtype} {counts.shape}")
    # read_container checked the values when it read them; mapped ones are checked lazily
    return _build(words, vectors, counts, path, "entry", checked=not mmap)


def _build(words, vectors, counts, path, unit: str, positions=None, checked=True) -> KeyedVectors:
    """KeyedVectors from parsed parts; a duplicate word is a FormatError here."""
    try:
        kv = KeyedVectors._from_decoded(words, vectors, counts)
    except ConfigError:
        seen: dict[str, int] = {}
        for i, w in enumerate(words):
            if w in seen:
                where = (
                    f"{unit}s {positions[seen[w]]} and {positions[i]}"
                    if positions
                    else f"{unit}s {seen[w] + 1} and {i + 1}"
                )
                raise FormatError(f"{path}: word {w!r} appears twice ({where})") from None
            seen[w] = i
        raise
    kv._source = os.fspath(path)  # named when damaged values are found
    if checked:
        kv._finite = True  # the reader refused non-finite values already
    return kv


# --------------------------------------------------------------------------- word2vec
_WS = frozenset(b" \t\n\r\v\f")


def _check_words_writable(words: Sequence[str]) -> list[bytes]:
    out = []
    for i, w in enumerate(words):
        b = w.encode("utf-8")
        if not b or not _WS.isdisjoint(b):
            raise FormatError(
                f"word {i} ({w!r}) is empty or contains whitespace; the word2vec formats "
                f"cannot store it (use the native format)"
            )
        out.append(b)
    return out


def _save_word2vec(kv: KeyedVectors, path: PathLike, binary: bool) -> None:
    encoded = _check_words_writable(kv.words)
    kv.check_finite()
    n, d = len(kv), kv.dim
    with atomic_write(path, "wb") as fh:
        fh.write(f"{n} {d}\n".encode("ascii"))
        step = 4096  # rows per write: fewer system calls, bounded buffer
        for lo in range(0, n, step):
            block = np.asarray(kv.vectors[lo : lo + step], dtype="<f4")
            if binary:
                parts = [w + b" " + row.tobytes() + b"\n" for w, row in zip(encoded[lo:], block)]  # noqa: B905
            else:
                # str(np.float32) is the shortest string that reads back as the same float32
                parts = [
                    w + b" " + " ".join(map(str, row)).encode("ascii") + b"\n"
                    for w, row in zip(encoded[lo:], block)  # noqa: B905
                ]
            fh.write(b"".join(parts))


def _parse_header(line: bytes) -> tuple[int, int] | None:
    """``(V, d)`` if ``line`` is a word2vec header, else None."""
    fields = line.split()
    # (at most 18 digits: int() refuses very long digit strings with a ValueError, and
    # no file holds 10**18 words or dimensions; a longer "count" fails the size checks)
    if len(fields) == 2 and all(f.isdigit() and len(f) <= 18 for f in fields):
        return int(fields[0]), int(fields[1])
    return None


def _load_word2vec_bin(path: PathLike, errors: str, limit: int | None = None) -> KeyedVectors:
    path = os.fspath(path)
    size = os.path.getsize(path)
    if size == 0:
        raise FormatError(f"{path}: empty file (expected a 'count dim' header at byte offset 0)")
    with open(path, "rb") as fh, _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_READ) as buf:
        start = len(_BOM) if buf[: len(_BOM)] == _BOM else 0
        eol = buf.find(b"\n", start, start + 64)
        header = _parse_header(buf[start:eol]) if eol > start else None
        if header is None:
            raise FormatError(
                f"{path}: byte offset {start}: the first line must be '<count> <dim>'; got "
                f"{bytes(buf[start : max(eol, 0) or start + 40])!r}"
            )
        n, d = header
        pos = eol + 1
        if d < 1:
            raise FormatError(f"{path}: header says dimension {d}; it must be >= 1")
        whole = limit is None or limit >= n
        n = n if whole else limit  # the entries read: the rest of the file is not looked at
        # each entry needs a space and 4 * d bytes at least: refuse a lying header
        # before allocating n * d floats
        if n * (4 * d + 1) > size - pos:
            raise FormatError(
                f"{path}: header says {n} words of dimension {d}, which needs at least "
                f"{n * (4 * d + 1)} bytes after byte offset {pos}, but the file has only "
                f"{size - pos}; it is truncated or the header is wrong"
            )
        vectors = np.empty((n, d), dtype=np.float32)
        words: list[str] = []
        starts: list[int] = []
        row = 4 * d
        raw = np.frombuffer(buf, dtype=np.uint8)
        try:
            for i in range(n):
                while pos < size and buf[pos] == 10:  # "\n" ends the previous entry (word2vec C)
                    pos += 1
                space = buf.find(b" ", pos)
                if space < 0:
                    raise FormatError(
                        f"{path}: truncated at byte offset {pos}: entry {i + 1} of {n} "
                        f"has no word ended by a space"
                    )
                if space == pos:
                    raise FormatError(f"{path}: empty word at byte offset {pos} (entry {i + 1})")
                end = space + 1 + row
                if end > size:
                    raise FormatError(
                        f"{path}: truncated at byte offset {size}: the vector of entry "
                        f"{i + 1} of {n} needs {row} bytes from byte offset {space + 1}"
                    )
                try:
                    words.append(buf[pos:space].decode("utf-8", errors=errors))
                except UnicodeDecodeError as exc:
                    raise FormatError(
                        f"{path}: word at byte offset {pos + exc.start} is not valid UTF-8 "
                        f"({_HINT})"
                    ) from None
                vectors[i] = raw[space + 1 : end].view("<f4")
                starts.append(space + 1)
                pos = end
            rest = buf[pos:] if whole else b""
            extra = rest.lstrip(b" \t\r\n")
            if extra:
                raise FormatError(
                    f"{path}: the header says {n} words, but more data follows at byte offset "
                    f"{pos + len(rest) - len(extra)}"
                )
        finally:
            del raw  # the mmap cannot close while a NumPy view of it exists
    _vectors_finite(vectors, path, lambda i: f"entry {i + 1}, byte offset {starts[i]}")
    return _build(words, vectors, None, path, "entry")


def _vectors_finite(vectors: np.ndarray, path: str, where) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.add.reduce(vectors.reshape(-1))):
            return
    bad = np.flatnonzero(~np.isfinite(vectors).all(axis=1))
    if bad.size:
        i = int(bad[0])
        raise FormatError(f"{path}: non-finite value in the vector of {where(i)}")


def _numbers(fields: list[bytes]) -> bool:
    try:
        np.array(fields, dtype=np.float64)
    except ValueError:
        return False
    return True


def _load_word2vec_text(path: PathLike, errors: str, limit: int | None = None) -> KeyedVectors:
    path = os.fspath(path)
    with open(path, "rb") as fh:
        # with a limit, the (possible) header and `limit` lines: the rest is not read
        data = fh.read() if limit is None else b"".join(itertools.islice(fh, limit + 1))
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    size = len(data)
    lines = data.split(b"\n")
    del data
    while lines and not lines[-1].strip():
        lines.pop()  # the newline ending the last line, and any blank lines after it
    if not lines:
        raise FormatError(f"{path}: empty file (expected a 'count dim' header on line 1)")
    header = _parse_header(lines[0])
    first = 1 if header is not None else 0
    body = lines[first:] if limit is None else lines[first : first + limit]
    if header is not None:
        n, d = header
        if limit is not None and limit < n:
            n = limit  # the lines read
            if len(body) < n:
                raise FormatError(
                    f"{path}: line 1: the header says {header[0]} words, but only "
                    f"{len(body)} lines follow"
                )
        elif n != len(body):
            raise FormatError(
                f"{path}: line 1: the header says {n} words, but {len(body)} lines follow"
            )
        if d < 1:
            raise FormatError(f"{path}: line 1: header says dimension {d}; it must be >= 1")
        # each line holds a word and d values, each followed by a separator: refuse a
        # lying dimension before allocating n * d floats
        if n * (2 * d + 2) > size + 1:
            raise FormatError(
                f"{path}: line 1: the header says {n} words of dimension {d}, which needs at "
                f"least {n * (2 * d + 2)} bytes, but the file has only {size}; the header is wrong"
            )
    else:  # no header (GloVe): the first line fixes the dimension
        n, d = len(body), len(body[0].split()) - 1
        if d < 1:
            raise FormatError(f"{path}: line 1 must be '<count> <dim>' or 'word v1 ... vd'")
        if n * (2 * d + 2) > size + 1:
            # too few bytes for n lines of d values: some line is short. Name it now,
            # before allocating n * d floats (a long first line would make that huge).
            for i, line in enumerate(body):
                if len(line.split()) != d + 1:
                    raise FormatError(
                        f"{path}: line {i + 1}: expected a word and {d} values (as on line 1); "
                        f"got {len(line.split())} fields"
                    )
    vectors = np.empty((n, d), dtype=np.float32)
    words: list[str] = []
    step = 1024  # lines converted per NumPy call
    for lo in range(0, n, step):
        fields_block = []
        for j, line in enumerate(body[lo : lo + step]):
            lineno = first + lo + j + 1
            fields = line.split()
            if len(fields) != d + 1:
                raise FormatError(
                    f"{path}: line {lineno}: expected a word and {d} values; "
                    f"got {len(fields)} fields"
                )
            try:
                words.append(fields[0].decode("utf-8", errors=errors))
            except UnicodeDecodeError:
                raise FormatError(
                    f"{path}: line {lineno}: the word is not valid UTF-8 ({_HINT})"
                ) from None
            fields_block.append(fields[1:])
        try:
            with np.errstate(over="ignore"):
                block = np.array(fields_block, dtype=np.float64).astype(np.float32)
        except ValueError:
            j = next((j for j, f in enumerate(fields_block) if not _numbers(f)), 0)
            raise FormatError(
                f"{path}: line {first + lo + j + 1}: a value is not a number"
            ) from None
        bad = np.flatnonzero(~np.isfinite(block).all(axis=1))
        if bad.size:
            raise FormatError(
                f"{path}: line {first + lo + int(bad[0]) + 1}: non-finite value "
                f"(or one beyond the float32 range)"
            )
        vectors[lo : lo + step] = block
    return _build(words, vectors, None, path, "line", [first + i + 1 for i in range(n)])


# --------------------------------------------------------------------------- dispatch
@contextlib.contextmanager
def _decompressed(path: PathLike):
    """The path of a temporary copy of compressed ``path``, decompressed, named with the
    suffix ``path`` has under its compression suffix (``v.txt.gz`` -> ``....txt``)."""
    inner = Path(Path(os.fspath(path)).stem).suffix
    fd, tmp = tempfile.mkstemp(suffix=inner or ".w2v")
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb"):  # (a missing file: OSError)
            try:
                with open_file(Path(os.fspath(path))) as (stream, _):
                    shutil.copyfileobj(stream, out, 1 << 20)
            except CorpusError as exc:  # a name that lies about the compression
                raise FormatError(str(exc)) from None
            except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
                raise FormatError(f"{os.fspath(path)}: cannot decompress: {exc}") from None
        yield tmp
    finally:
        os.unlink(tmp)


def resolve_format(path: PathLike, format: str | None = None, reading: bool = False) -> str:
    """The format of ``path``: ``format`` if given, else from the extension (a native file
    of another name is recognised by its magic bytes when ``reading``). Unknown: ConfigError,
    so a writer can check its output name before any work."""
    if format is not None:
        if format not in FORMATS:
            raise ConfigError(f"`format` must be one of {FORMATS}; got {format!r}.")
        return format
    ext = Path(path).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if reading:
        with open(path, "rb") as fh:
            if fh.read(len(MAGIC)) == MAGIC:
                return "native"
    raise ConfigError(
        f"cannot tell the format of {os.fspath(path)!r} from its extension; name it "
        f"{', '.join(_EXTENSIONS)} or pass `format`, one of {FORMATS}."
    )


def save(kv: KeyedVectors, path: PathLike, format: str | None = None) -> None:
    """Write ``kv`` to ``path`` atomically.

    Parameters
    ----------
    kv : KeyedVectors
    path : str or PathLike
    format : {"word2vec-bin", "word2vec-text", "native"}, optional
        Default: from the extension (.bin, .txt / .vec, .wvec). Only the native
        format keeps word counts and words containing whitespace.
    """
    fmt = resolve_format(path, format, reading=False)
    if kv.dim == 0:  # a word2vec file's header would say "n 0", which no reader accepts
        raise ConfigError(
            f"{os.fspath(path)}: the vectors have dimension 0 (no component): no reader "
            "accepts such a file, so none is written"
        )
    if fmt == "native":
        _save_native(kv, path)
    else:
        _save_word2vec(kv, path, binary=fmt == "word2vec-bin")


def load(
    path: PathLike,
    format: str | None = None,
    mmap: bool = False,
    errors: str = "strict",
    *,
    unicode_errors: str | None = None,
    limit: int | None = None,
) -> KeyedVectors:
    """Read vectors from ``path``.

    Parameters
    ----------
    path : str or PathLike
    format : {"word2vec-bin", "word2vec-text", "native"}, optional
        Default: from the extension; an unknown extension is accepted for a
        native file (recognised by its magic bytes).
    mmap : bool
        Native format only: map the vectors from the file instead of reading
        them (read-only; loading is then almost instant). Their values are then
        checked for NaN / infinity once, before the first query or save uses them,
        instead of while reading.
    errors : {"strict", "replace", "ignore"}
        word2vec formats: how to decode words that are not valid UTF-8 (word2vec C
        can cut a multi-byte character when it truncates long words): raise
        :class:`FormatError`, substitute U+FFFD, or drop the bytes. The same name
        as for corpora (:class:`wordvec.text.corpus.TextCorpus`).
    unicode_errors : str, optional
        Deprecated alias of ``errors`` (gensim's name).
    limit : int, optional
        word2vec formats: read only the first ``limit`` vectors (the rest of the file
        is neither read nor checked), as gensim's ``load_word2vec_format`` does.

    A ``.gz``, ``.bz2`` or ``.xz`` file is decompressed first (into a temporary file,
    removed after reading) and read as the name without that suffix says.

    Returns
    -------
    KeyedVectors
    """
    suffix = Path(os.fspath(path)).suffix.lower()
    if suffix in COMPRESSED_SUFFIXES:
        if mmap:
            raise ConfigError(
                f"{os.fspath(path)}: `mmap` maps an uncompressed file; decompress it first "
                "or pass mmap=False"
            )
        with _decompressed(path) as plain:
            try:
                return load(plain, format, False, errors, unicode_errors=unicode_errors,
                            limit=limit)  # fmt: skip
            except FormatError as exc:  # name the file the user gave, not the temporary one
                shown = f"{os.fspath(path)} (decompressed)"
                raise FormatError(str(exc).replace(plain, shown)) from None
    if unicode_errors is not None:
        warnings.warn(
            "`unicode_errors` is deprecated; use `errors`", DeprecationWarning, stacklevel=2
        )
        if errors != "strict" and errors != unicode_errors:
            raise ConfigError(
                f"pass `errors` or its deprecated alias `unicode_errors`, not both; got "
                f"errors={errors!r} and unicode_errors={unicode_errors!r}."
            )
        errors = unicode_errors
    if errors not in _ERRORS:
        raise ConfigError(f"`errors` must be 'strict', 'replace' or 'ignore'; got {errors!r}.")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ConfigError(f"`limit` must be an int >= 0 or None; got {limit!r}.")
    fmt = resolve_format(path, format, reading=True)
    if fmt == "native":
        if limit is not None:
            raise ConfigError("`limit` applies to the word2vec formats; a native file is mapped")
        return _load_native(path, mmap)
    if fmt == "word2vec-bin":
        if is_fasttext_bin(path):  # fastText's .bin: its magic number, never a word2vec header
            if limit is not None:
                raise ConfigError("`limit` applies to the word2vec formats, not a fastText .bin")
            return load_fasttext(path)
        return _load_word2vec_bin(path, errors, limit)
    return _load_word2vec_text(path, errors, limit)
