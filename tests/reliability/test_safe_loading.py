"""Safe loading: every reader, fed random and mutated bytes, fails only with wordvec's errors.

Each reader starts from a valid file of its format (so the mutations reach deep
into the parser, not just the magic check), then bytes are flipped, truncated,
inserted, deleted, duplicated, or a header is made to lie about sizes. Whatever
happens, only a :class:`~wordvec.errors.WordvecError` may come out: never
IndexError, a foreign ValueError, MemoryError, OverflowError,
UnicodeDecodeError, struct.error or a JSON error; no hang (a per-example alarm);
and no allocation beyond what the file size allows (tracemalloc sees every
NumPy buffer, so a reader that trusted a lying header and called ``np.empty``
with its sizes fails the memory bound even where the OS would lazily grant it).

The default run keeps ``max_examples`` small (a few seconds in all); the
``slow`` variant runs many more examples per reader.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import signal
import struct
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordvec.compat import FastText as CompatFastText
from wordvec.errors import FormatError, WordvecError
from wordvec.files import container
from wordvec.model import Word2Vec, _read
from wordvec.phrases import Phrases
from wordvec.phrases import load as phrases_load
from wordvec.subwords.fasttext_bin import FastTextArgs, write_fasttext_bin
from wordvec.subwords.keyed import SubwordVectors
from wordvec.text.corpus import iter_sentences
from wordvec.vectors import evaluate, formats
from wordvec.vectors.keyedvectors import KeyedVectors

FAST = 100  # examples per reader in the default run
SLOW = 2000  # examples per reader with -m slow
HANG_SECONDS = 20  # any single read of these small files takes milliseconds
# Peak Python + NumPy allocation allowed for reading a file of `size` bytes. The
# text readers hold the file, its lines and their fields (a few hundred bytes of
# object overhead per short field); a reader that trusted a header claiming
# 10**9 x 300 floats would ask for gigabytes.
MEM_BASE = 4 << 20
MEM_PER_BYTE = 400

WORDS = ["the", "of", "café", "日本", "a.b", "x-y", "Zoë", "and", "king", "queen"]


# --------------------------------------------------------------------------- seed files
def _kv() -> KeyedVectors:
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((len(WORDS), 4)).astype(np.float32)
    return KeyedVectors(WORDS, vectors, np.arange(len(WORDS), 0, -1) * 3)


def _sentences() -> list[list[str]]:
    rng = np.random.default_rng(1)
    return [[WORDS[i] for i in rng.integers(0, len(WORDS), 8)] for _ in range(40)]


def _model() -> Word2Vec:
    return Word2Vec(dim=4, min_count=1, epochs=1, threads=1, seed=2).fit(_sentences())


QUESTIONS = (
    "# comment\n: capital-common-countries\nking queen the of\nthe of and king\n"
    ": gram1-adjective-to-adverb\ncafé Zoë x-y a.b\n"
).encode()
PAIRS = "# w1\tw2\tscore\nking\tqueen\t8.5\nthe\tof\t1.25\ncafé\tZoë\t3\n日本\tand\t0.5\n".encode()
CORPUS = "the king and the queen\ncafé Zoë 日本\n".encode() * 20


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, bytes]:
    """One valid file per reader, as bytes."""
    d = tmp_path_factory.mktemp("seeds")
    kv = _kv()
    out: dict[str, bytes] = {}
    for name, ext in (("text", "txt"), ("bin", "bin"), ("native", "wvec")):
        formats.save(kv, d / f"v.{ext}")
        out[name] = (d / f"v.{ext}").read_bytes()
    model = _model()
    model.save(d / "m.model")
    out["model"] = (d / "m.model").read_bytes()
    # a real checkpoint: written after every job, the last one stays behind
    Word2Vec(dim=4, min_count=1, epochs=2, threads=1, batch_words=40).fit(
        _sentences(), checkpoint=d / "m.ckpt", checkpoint_every=1e-9
    )
    out["checkpoint"] = (d / "m.ckpt").read_bytes()
    for name, scoring, threshold in (("phrases", "default", 0.5), ("phrases-npmi", "npmi", 0.1)):
        phrases = Phrases(min_count=1, threshold=threshold, scoring=scoring).fit(_sentences())
        phrases.save(d / f"{name}.wph")
        out[name] = (d / f"{name}.wph").read_bytes()
        phrases.freeze().save(d / f"{name}-frozen.wph")
        out[f"{name}-frozen"] = (d / f"{name}-frozen.wph").read_bytes()
    # a fastText .bin (5 n-gram buckets) and the native file of its subword vectors
    rng = np.random.default_rng(3)
    args = FastTextArgs(dim=4, bucket=5, minn=2, maxn=3)
    inp = rng.standard_normal((len(WORDS) + 5, 4)).astype(np.float32)
    out_m = rng.standard_normal((len(WORDS), 4)).astype(np.float32)
    write_fasttext_bin(d / "f.bin", args, WORDS, np.arange(len(WORDS), 0, -1), inp, out_m)
    out["fasttext"] = (d / "f.bin").read_bytes()
    formats.save(SubwordVectors(WORDS, inp, 2, 3, 5), d / "s.wvec")
    out["subword-native"] = (d / "s.wvec").read_bytes()
    # gensim's FastText model, as wordvec.compat saves it (model file + n-gram rows)
    CompatFastText(_sentences(), vector_size=4, min_count=1, bucket=5, min_n=2, max_n=3,
                   epochs=1, workers=1).save(d / "ft.model")  # fmt: skip
    out["compat-fasttext"] = (d / "ft.model").read_bytes()
    out["questions"] = QUESTIONS
    out["pairs"] = PAIRS
    out["corpus"] = gzip.compress(CORPUS, mtime=0)
    return out


# --------------------------------------------------------------------------- readers
KV = _kv()


def _read_vectors(fmt: str, mmap: bool = False) -> Callable[[Path], object]:
    def read(path: Path) -> object:
        kv = formats.load(path, format=fmt, mmap=mmap)
        if not mmap:  # what a reader returns is usable: finite, consistent shapes
            assert np.isfinite(kv.vectors).all()
        assert kv.vectors.shape == (len(kv.words), kv.dim)
        assert len(set(kv.words)) == len(kv.words)
        return kv

    return read


def _read_subwords(mmap: bool) -> Callable[[Path], object]:
    """A fastText .bin or a native subword file, then an unseen word and every vector
    (non-finite rows of a mapped matrix are found when used, as for native-mmap)."""

    def read(path: Path) -> object:
        kv = formats.load(path, mmap=mmap)
        assert isinstance(kv, SubwordVectors)
        assert kv["unseen-wörd"].shape == (kv.dim,)
        kv.check_finite()
        assert kv.vectors.shape == (len(kv.words), kv.dim)
        assert len(set(kv.words)) == len(kv.words)
        return kv

    return read


def _read_model(path: Path) -> object:
    m = Word2Vec.load(path)
    assert np.isfinite(m.w_in_).all() and np.isfinite(m.w_out_).all()
    assert m.w_in_.shape == (len(m.vocab_), m.dim)
    return m


def _read_compat_fasttext(path: Path) -> object:
    """wordvec.compat.FastText.load, then an unseen word's vector."""
    m = CompatFastText.load(path)
    assert m.wv["unseen-wörd"].shape == (m.vector_size,)
    assert np.isfinite(m.wv.vectors_ngrams).all() and np.isfinite(m.syn1neg).all()
    return m


def _read_checkpoint(path: Path) -> object:
    m, position, n_words, _ = _read(path, want_position=True)
    assert position.epoch >= 0 and position.job >= 0
    return m


def _read_phrases(path: Path) -> object:
    """A phrases file read, then used: its scores and one sentence phrased."""
    model = phrases_load(path)
    if isinstance(model, Phrases):
        model.scores()
    return model.transform(["the", "king", "and", "the", "queen", "of"])


def _read_corpus(path: Path) -> object:
    return sum(len(s) for s in iter_sentences(path))


# name -> (seed file, file name the reader sees, reader)
READERS: dict[str, tuple[str, str, Callable[[Path], object]]] = {
    "word2vec-text": ("text", "v.txt", _read_vectors("word2vec-text")),
    "word2vec-bin": ("bin", "v.bin", _read_vectors("word2vec-bin")),
    "native": ("native", "v.wvec", _read_vectors("native")),
    "native-mmap": ("native", "v.wvec", _read_vectors("native", mmap=True)),
    "fasttext-bin": ("fasttext", "f.bin", _read_subwords(mmap=False)),
    "subword-native": ("subword-native", "s.wvec", _read_subwords(mmap=False)),
    "subword-native-mmap": ("subword-native", "s.wvec", _read_subwords(mmap=True)),
    "model": ("model", "m.model", _read_model),
    "checkpoint": ("checkpoint", "m.ckpt", _read_checkpoint),
    "compat-fasttext-model": ("compat-fasttext", "ft.model", _read_compat_fasttext),
    "questions": ("questions", "q.txt", lambda p: evaluate.analogies(KV, p)),
    "pairs": ("pairs", "p.tsv", lambda p: evaluate.similarity(KV, p)),
    "phrases": ("phrases", "p.wph", _read_phrases),
    "phrases-npmi": ("phrases-npmi", "p.wph", _read_phrases),
    "phrases-frozen": ("phrases-frozen", "p.wph", _read_phrases),
    "phrases-npmi-frozen": ("phrases-npmi-frozen", "p.wph", _read_phrases),
    "corpus-gz": ("corpus", "c.txt.gz", _read_corpus),
    "corpus-plain": ("corpus", "c.txt", _read_corpus),  # the gzip bytes as "text"
}


class Hang(Exception):
    """A read took longer than HANG_SECONDS."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def fire(signum, frame):
        raise Hang(f"the reader ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_reader(reader: str, data: bytes, directory: Path) -> None:
    """Feed ``data`` to ``reader``: it returns a sane result or raises a WordvecError."""
    _, name, read = READERS[reader]
    path = directory / name
    path.write_bytes(data)
    tracemalloc.start()
    try:
        with _deadline(HANG_SECONDS):
            try:
                read(path)
            except WordvecError as exc:
                assert str(exc), "an error without a message"
            # anything else (IndexError, MemoryError, UnicodeDecodeError, ...) fails here
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    limit = MEM_BASE + MEM_PER_BYTE * len(data)
    assert peak <= limit, f"{reader}: peak allocation {peak} bytes for a {len(data)}-byte file"


# --------------------------------------------------------------------------- mutations
# Byte strings a parser is likely to trip on: numbers at the limits of every
# integer type, huge decimal strings, JSON fragments, bytes invalid in UTF-8.
INTERESTING = [
    b"\x00",
    b"\xff",
    b"\xff\xff\xff\xff",
    b"\x7f\xff\xff\xff",
    b"\x00\x00\x00\x80",
    b"\xff\xff\xff\xff\xff\xff\xff\x7f",
    b"1000000000 300\n",
    b"9" * 5000,
    b"-1",
    b"1e309",
    b"nan",
    b"-0",
    b"\n",
    b" ",
    b"\t",
    b"\xc3",
    b"\xed\xa0\x80",
    b"[" * 3000,
    b'"shape": [1000000000, 1000000000]',
    b'"offset": -64',
    b'"dtype": "|O"',
    b"null",
    b"{}",
]


@st.composite
def mutated(draw, seed: bytes) -> bytes:
    """``seed`` after 1 to 4 random edits."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "set", "truncate", "insert", "delete", "dup", "splice"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and data:
            data[i] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[i:]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[i : i + draw(st.integers(1, 64))]
        elif op == "dup":
            j = draw(st.integers(i, len(data)))
            data[j:j] = data[i : i + draw(st.integers(1, 256))]
        elif op == "splice":
            piece = draw(st.sampled_from(INTERESTING))
            data[i : i + draw(st.integers(0, len(piece)))] = piece
    return bytes(data)


def _inputs(seed: bytes):
    return st.one_of(
        mutated(seed),
        st.binary(max_size=512),  # random bytes
        st.binary(max_size=64).map(lambda b: seed[:16] + b),  # the right magic, then noise
    )


def _fuzz(reader: str, seeds: dict[str, bytes], tmp_path: Path, examples: int) -> None:
    seed = seeds[READERS[reader][0]]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=_inputs(seed))
    def run(data: bytes) -> None:
        check_reader(reader, data, tmp_path)

    run()


@pytest.mark.parametrize("reader", sorted(READERS))
def test_reader_survives_mutated_and_random_bytes(reader, seeds, tmp_path):
    check_reader(reader, seeds[READERS[reader][0]], tmp_path)  # the seed itself reads
    _fuzz(reader, seeds, tmp_path, FAST)


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(READERS))
def test_reader_survives_many_mutated_and_random_bytes(reader, seeds, tmp_path):
    _fuzz(reader, seeds, tmp_path, SLOW)


# --------------------------------------------------------------------------- lying headers
def _container(meta: dict, specs: dict, body: bytes = b"") -> bytes:
    header = json.dumps({"meta": meta, "arrays": specs}).encode()
    prefix = struct.pack("<8sII", b"\x89WVEC\r\n\x1a", 1, len(header))
    pad = -(len(prefix) + len(header)) % 64
    return prefix + header + b"\0" * pad + body


def _fasttext(
    dims=(4, 5), nwords=1, nlabels=0, prune=-1, matrix=(6, 4), quant=0, words=b"the\0"
) -> bytes:
    """A fastText .bin whose header says what it is told (the body holds one word)."""
    dim, bucket = dims
    head = struct.pack("<ii", 793712314, 12)
    head += struct.pack("<12id", dim, 5, 5, 5, 5, 1, 2, 2, bucket, 2, 3, 100, 1e-4)
    head += struct.pack("<iiiqq", nwords + nlabels, nwords, nlabels, 10, prune)
    head += words + struct.pack("<qb", 7, 0) + bytes([quant])
    return head + struct.pack("<qq", *matrix) + b"\0" * 64


LIES = {
    "fasttext-bin": [
        _fasttext(nwords=2**31 - 1),
        _fasttext(nwords=-1),
        _fasttext(nlabels=3),
        _fasttext(prune=2**62),
        _fasttext(prune=-2),
        _fasttext(quant=1),
        _fasttext(matrix=(2**62, 4)),
        _fasttext(matrix=(6, -4)),
        _fasttext(dims=(2**31 - 1, 5), matrix=(6, 2**31 - 1)),
        _fasttext(dims=(4, 2**31 - 2)),
        _fasttext(words=b"the"),  # no NUL: the entry runs into the counts
        struct.pack("<ii", 793712314, 12),
    ],
    "word2vec-text": [
        b"1000000000 300\nthe 1 2 3\n",
        b"1 1000000000\nthe 1 2 3\n",
        b"1 1000000000\nthe " + b"1 " * 50 + b"\n",
        b"3 2\nthe 1 2\n",
        b"9" * 5000 + b" 3\nthe 1 2 3\n",
        b"1 " + b"9" * 5000 + b"\nthe 1 2 3\n",
        b"0 3\n",
        b"the " + b"1 " * 5000 + b"\n",  # no header: the first line fixes d
        b"the " + b"1 " * 5000 + b"\n" + b"a 1\n" * 5000,  # ... and n: n * d floats?
    ],
    "word2vec-bin": [
        b"1000000000 300\nthe \x00\x00\x80\x3f",
        b"1 1000000000\nthe \x00\x00\x80\x3f",
        b"2 1\nthe \x00\x00\x80\x3f\n",
        b"0 3\n",
        b"1 1\nthe \x00\x00\xc0\x7f\n",  # NaN
        b"99999999999999999999999999999999 1\nthe \x00\x00\x80\x3f",
    ],
    "native": [
        _container(
            {"kind": "keyed_vectors"},
            {"vectors": {"dtype": "<f4", "shape": [10**9, 300], "offset": 0}},
        ),
        _container(
            {"kind": "keyed_vectors"},
            {"vectors": {"dtype": "<f4", "shape": [0, 2**70], "offset": 0}},
        ),
        _container(
            {"kind": "keyed_vectors"},
            {
                "vectors": {"dtype": "<f4", "shape": [2**40, 0], "offset": 0},
                "words_blob": {"dtype": "|u1", "shape": [0], "offset": 0},
                "words_offsets": {"dtype": "<i8", "shape": [1], "offset": 0},
            },
            b"\0" * 64,
        ),
        _container(
            {"kind": "keyed_vectors"},
            {"vectors": {"dtype": "<f4", "shape": [1, 1], "offset": 2**70}},
        ),
        _container(
            {"kind": "keyed_vectors"}, {"vectors": {"dtype": "|O", "shape": [1], "offset": 0}}
        ),
        _container(
            {"kind": "keyed_vectors"},
            {
                "a": {"dtype": "<f4", "shape": [16], "offset": 0},
                "b": {"dtype": "<f4", "shape": [16], "offset": 0},
            },
            b"\0" * 64,
        ),
        struct.pack("<8sII", b"\x89WVEC\r\n\x1a", 1, 2**32 - 1) + b"{}",
        struct.pack("<8sII", b"\x89WVEC\r\n\x1a", 2**32 - 1, 2) + b"{}",
    ],
    "model": [
        _container({"kind": "model", "model_format_version": 1, "config": {"dim": 2**40}}, {}),
        _container({"kind": "model", "model_format_version": 1, "config": {"dim": "x"}}, {}),
        _container({"kind": "model", "model_format_version": 2**80, "config": {}}, {}),
    ],
    "questions": [b": s\n" + b"a b c\n" * 3, b"\xff\xfe: s\na b c d\n", b"a b c d\n", b": \n"],
    "pairs": [b"a\tb\tnan\n", b"a\tb\t1e999\n", b"a\tb\n", b"a\tb\t" + b"9" * 5000 + b"\n"],
    "corpus-gz": [gzip.compress(b"ok line\n\xff\xfe bad utf-8\n"), gzip.compress(CORPUS)[:-9]],
}


@pytest.mark.parametrize(
    "reader,data",
    [(r, d) for r, items in LIES.items() for d in items],
    ids=[f"{r}-{i}" for r, items in LIES.items() for i in range(len(items))],
)
def test_lying_headers_and_known_traps_fail_cleanly(reader, data, tmp_path):
    check_reader(reader, data, tmp_path)


# --------------------------------------------------------------------------- corrupt model fields
def _raw_container(meta: dict, arrays: dict[str, np.ndarray]) -> bytes:
    """A container as write_container lays it out, but with any JSON (NaN, huge ints)."""
    specs, body, offset = {}, b"", 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("<"))
        specs[name] = {"dtype": arr.dtype.str, "shape": list(arr.shape), "offset": offset}
        data = arr.tobytes()
        body += data + b"\0" * (-len(data) % 64)
        offset += len(data) + (-len(data) % 64)
    return _container(meta, specs, body)


def _corrupt(meta: dict, arrays: dict, change: str) -> tuple[dict, dict]:
    meta = json.loads(json.dumps(meta))
    arrays = {k: np.array(v) for k, v in arrays.items()}
    if change == "epoch-inf":
        meta["position"]["epoch"] = float("inf")
    elif change == "epoch-past-the-end":
        meta["position"]["epoch"] = meta["config"]["epochs"]
    elif change == "job-negative":
        meta["position"]["job"] = -1
    elif change == "epoch-as-string":
        meta["position"]["epoch"] = "1"
    elif change == "history-huge-int":
        meta["loss_history"] = [10**400]
    elif change == "history-length":
        meta["loss_history"] = [1.0, 2.0, 3.0]
    elif change == "n-words-negative":
        meta["n_words"] = -5
    elif change == "corpus-id":
        meta["corpus"] = {"tokens": "many"}
    elif change == "config-threads":
        meta["config"]["threads"] = -1
    elif change == "config-unknown-key":
        meta["config"]["__class__"] = "os.system"
    elif change == "config-dim":
        meta["config"]["dim"] = meta["config"]["dim"] + 1
    elif change == "version-newer":
        meta["model_format_version"] = 3
    elif change == "kind":
        meta["kind"] = "keyed_vectors"
    elif change == "counts-huge":  # would send the Huffman construction into an endless loop
        arrays["counts"][0] = np.iinfo(np.int64).max
    elif change == "counts-zero":
        arrays["counts"][-1] = 0
    elif change == "counts-float":
        arrays["counts"] = arrays["counts"].astype(np.float64)
    elif change == "counts-unsorted-hs":
        arrays["counts"] = arrays["counts"][::-1].copy()
    elif change == "w-in-nan":
        arrays["w_in"][0, 0] = np.nan
    elif change == "w-in-beyond-float32":
        arrays["w_in"] = arrays["w_in"].astype(np.float64)
        arrays["w_in"][0, 0] = 1e300
    elif change == "w-in-int":
        arrays["w_in"] = arrays["w_in"].astype(np.int32)
    elif change == "w-out-shape":
        arrays["w_out"] = arrays["w_out"][:-1]
    elif change == "duplicate-word":
        blob = bytes(arrays["words_blob"])
        offsets = arrays["words_offsets"]
        first = blob[offsets[0] : offsets[1]]
        # make word 1 a copy of word 0 (same length needed: pad both to 1 byte)
        arrays["words_blob"] = np.frombuffer(first[:1] + first[:1] + blob[offsets[2] :], np.uint8)
        arrays["words_offsets"] = np.concatenate([[0, 1], offsets[2:] - offsets[2] + 2])
    elif change == "words-bad-utf8":
        arrays["words_blob"] = arrays["words_blob"].copy()
        arrays["words_blob"][0] = 0xFF
    return meta, arrays


# change -> what the message must say
CHANGES = {
    "epoch-inf": "schedule position",
    "epoch-past-the-end": "must name an epoch in 0..1",
    "job-negative": "a job >= 0",
    "epoch-as-string": "schedule position",
    "history-huge-int": "malformed loss history",
    "history-length": "records the loss of 3 finished epochs",
    "n-words-negative": "malformed n_words",
    "corpus-id": "malformed corpus identity",
    "config-threads": "`threads` must be an int >= 0",
    "config-unknown-key": "malformed configuration block",
    "config-dim": "array shapes disagree",
    "version-newer": "is newer than this wordvec understands",
    "kind": "not a wordvec model or checkpoint",
    "counts-huge": "word counts must be >= 1 and sum to less than",
    "counts-zero": "word counts must be >= 1",
    "counts-float": "'counts' must be an int array",
    "counts-unsorted-hs": "sorted by descending count",
    "w-in-nan": "non-finite value nan",
    "w-in-beyond-float32": "beyond float32",
    "w-in-int": "'w_in' must be a 2-D float array",
    "w-out-shape": "array shapes disagree",
    "duplicate-word": "duplicate words",
    "words-bad-utf8": "not valid UTF-8",
}


@pytest.fixture(scope="module")
def hs_checkpoint(tmp_path_factory) -> tuple[dict, dict]:
    d = tmp_path_factory.mktemp("hs")
    Word2Vec(loss="hs", dim=4, min_count=1, epochs=2, threads=1, batch_words=40).fit(
        _sentences(), checkpoint=d / "hs.ckpt", checkpoint_every=1e-9
    )
    return container.read_container(d / "hs.ckpt", mmap=False)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_corrupt_checkpoint_fields_are_format_errors(change, hs_checkpoint, tmp_path):
    meta, arrays = _corrupt(*hs_checkpoint, change)
    path = tmp_path / "bad.ckpt"
    path.write_bytes(_raw_container(meta, arrays))
    with _deadline(HANG_SECONDS), pytest.raises(FormatError) as info:
        _read(path, want_position=True)
    assert str(info.value).startswith(str(path)) and CHANGES[change] in str(info.value)
    if not change.startswith(("epoch", "job", "n-words", "corpus", "history-length")):
        with pytest.raises(FormatError, match=re.escape(CHANGES[change])):
            Word2Vec.load(path)  # these concern a model file just as much


def test_the_unchanged_checkpoint_reads(hs_checkpoint, tmp_path):
    path = tmp_path / "good.ckpt"
    path.write_bytes(_raw_container(*hs_checkpoint))
    model, position, n_words, corpus_id = _read(path, want_position=True)
    assert model.loss == "hs" and position.epoch == 1 and n_words == 320
    assert set(corpus_id) == {"tokens", "sentences", "crc32"}


# --------------------------------------------------------------------------- phrases fields
PHRASE_DAMAGE = {
    "n_words 0": lambda meta, arrays: meta["layers"][0].update(n_words=0),
    "n_words huge": lambda meta, arrays: meta["layers"][0].update(n_words=10**30),
    "word counts 0": lambda meta, arrays: arrays["0.word_counts"].fill(0),
    "word counts above n_words": lambda meta, arrays: arrays["0.word_counts"].fill(2**62),
    "key counts above n_words": lambda meta, arrays: arrays["0.counts"].fill(2**62),
    "min_count huge": lambda meta, arrays: meta["params"].update(min_count=10**30),
    "min_count 2**63": lambda meta, arrays: meta["params"].update(min_count=2**63),
    "max_vocab huge": lambda meta, arrays: meta["params"].update(max_vocab=10**30),
}


@pytest.mark.parametrize("scoring", ["default", "npmi", "word2phrase"])
@pytest.mark.parametrize("damage", sorted(PHRASE_DAMAGE))
def test_damaged_phrases_fields_are_format_errors(damage, scoring, tmp_path):
    """A damaged .wph raised ZeroDivisionError (a zero count or n_words reached the
    scores) or OverflowError (a number beyond int64 reached the kernels)."""
    threshold = {"default": 0.5, "npmi": 0.1, "word2phrase": 1.0}[scoring]
    seed = tmp_path / "seed.wph"
    Phrases(min_count=1, threshold=threshold, scoring=scoring).fit(_sentences()).save(seed)
    meta, arrays = container.read_container(seed)
    arrays = {k: np.array(v) for k, v in arrays.items()}
    PHRASE_DAMAGE[damage](meta, arrays)
    path = tmp_path / "p.wph"
    container.write_container(path, meta, arrays)
    with pytest.raises(FormatError, match=f"^{path}: "):
        model = phrases_load(path)
        model.scores()
        model.transform(["the", "king"])
    check_reader("phrases", path.read_bytes(), tmp_path)
