"""fastText's .bin: the layout by hand, round trips, gensim as a peer, refusals of bad files."""

from __future__ import annotations

import struct

import numpy as np
import pytest

import wordvec
from wordvec.errors import ConfigError, FormatError
from wordvec.subwords.fasttext_bin import (
    FASTTEXT_MAGIC,
    FastTextArgs,
    is_fasttext_bin,
    load_fasttext,
    read_fasttext_bin,
    write_fasttext_bin,
)
from wordvec.subwords.keyed import SubwordVectors

WORDS = ["</s>", "the", "where", "here", "naïve", "日本"]
COUNTS = np.array([2**33 + 5, 300_000, 9, 7, 5, 5])  # counts of several bytes
DIM, BUCKET = 6, 31


def _model(seed=0, bucket=BUCKET, **kw):
    rng = np.random.default_rng(seed)
    args = FastTextArgs(dim=DIM, bucket=bucket, epoch=3, min_count=1, **kw)
    inp = rng.normal(size=(len(WORDS) + bucket, DIM)).astype(np.float32)
    out = rng.normal(size=(len(WORDS), DIM)).astype(np.float32)
    return args, inp, out


@pytest.fixture
def model_file(tmp_path):
    args, inp, out = _model()
    path = tmp_path / "m.bin"
    write_fasttext_bin(path, args, WORDS, COUNTS, inp, out)
    return path, args, inp, out


def _expected_bytes(args, words, counts, inp, out, ntokens):
    """fastText 0.9's layout written out field by field (an independent writer)."""
    b = struct.pack("<ii", 793712314, 12)
    b += struct.pack(
        "<12id",
        args.dim,
        args.ws,
        args.epoch,
        args.min_count,
        args.neg,
        args.word_ngrams,
        {"hs": 1, "ns": 2, "softmax": 3}[args.loss],
        {"cbow": 1, "sg": 2}[args.model],
        args.bucket,
        args.minn,
        args.maxn,
        args.lr_update_rate,
        args.t,
    )
    b += struct.pack("<iiiqq", len(words), len(words), 0, ntokens, -1)
    for w, c in zip(words, counts, strict=True):
        b += w.encode() + b"\0" + struct.pack("<q", c) + b"\0"
    b += b"\0" + struct.pack("<qq", *inp.shape) + inp.astype("<f4").tobytes()
    b += b"\0" + struct.pack("<qq", *out.shape) + out.astype("<f4").tobytes()
    return b


def test_layout_is_fasttexts_byte_for_byte(model_file):
    path, args, inp, out = model_file
    assert path.read_bytes() == _expected_bytes(args, WORDS, COUNTS, inp, out, int(COUNTS.sum()))


@pytest.mark.parametrize("loss,model", [("ns", "sg"), ("hs", "cbow"), ("softmax", "sg")])
def test_round_trip(tmp_path, loss, model):
    args, inp, out = _model(loss=loss, model=model, t=1e-3, ws=7)
    path = tmp_path / "m.bin"
    write_fasttext_bin(path, args, WORDS, COUNTS, inp, out, ntokens=12345)
    f = read_fasttext_bin(path)
    assert f.args == args and f.version == 12 and f.ntokens == 12345
    assert f.words == WORDS
    np.testing.assert_array_equal(f.counts, COUNTS)
    np.testing.assert_array_equal(f.types, np.zeros(len(WORDS)))
    np.testing.assert_array_equal(f.input_matrix, inp)
    np.testing.assert_array_equal(f.output_matrix, out)


def test_input_matrix_is_mapped_not_copied(model_file):
    path = model_file[0]
    f = read_fasttext_bin(path)
    m = f.input_matrix
    assert not m.flags.owndata and not m.flags.writeable
    # its offset in the file: 8 + 56 + 28 + the entries + 1 + 16, not a multiple of 4 here
    offset = 8 + 56 + 28 + sum(len(w.encode()) + 10 for w in WORDS) + 17
    assert offset % 4 != 0 and not m.flags.aligned
    raw = np.fromfile(path, dtype=np.uint8)
    np.testing.assert_array_equal(m.reshape(-1).view(np.uint8), raw[offset : offset + m.nbytes])


def test_vectors_of_the_file(model_file):
    path, args, inp, _ = model_file
    kv = load_fasttext(path)
    assert isinstance(kv, SubwordVectors) and kv.words == WORDS
    ref = SubwordVectors(WORDS, inp, args.minn, args.maxn, args.bucket)
    for w in ["where", "wherever", "日本語", "</s>"]:
        np.testing.assert_array_equal(kv[w], ref[w])
    np.testing.assert_array_equal(kv.counts, COUNTS)


def test_wordvec_load_tells_fasttext_from_word2vec_binary(model_file, tmp_path):
    path = model_file[0]
    assert is_fasttext_bin(path)
    kv = wordvec.load(path)
    assert isinstance(kv, SubwordVectors)
    w2v = tmp_path / "w2v.bin"
    wordvec.save(kv, w2v)  # .bin written by `save` is word2vec binary, of the composed vectors
    assert not is_fasttext_bin(w2v)
    back = wordvec.load(w2v)
    assert type(back) is wordvec.KeyedVectors
    np.testing.assert_array_equal(back.vectors, kv.vectors)


# --------------------------------------------------------------------------- gensim as a peer
def test_gensim_reads_what_wordvec_writes(model_file):
    ft = pytest.importorskip("gensim.models.fasttext")
    path, args, inp, out = model_file
    g = ft.load_facebook_model(str(path))
    ours = load_fasttext(path)
    assert list(g.wv.index_to_key) == WORDS
    for w in ["the", "where", "naïve", "wherever", "日本語", "zzzz"]:
        np.testing.assert_allclose(g.wv[w], ours[w], rtol=1e-5, atol=1e-6, err_msg=w)
    np.testing.assert_allclose(g.syn1neg, out)
    assert g.wv.bucket == BUCKET and g.wv.min_n == 3 and g.wv.max_n == 6


def test_wordvec_reads_what_gensim_writes(tmp_path):
    ft = pytest.importorskip("gensim.models.fasttext")
    sentences = [["the", "where", "here", "naïve", "there"] * 3, ["the", "here", "日本"] * 4] * 5
    g = ft.FastText(
        sentences, vector_size=DIM, min_count=1, bucket=BUCKET, epochs=2, seed=1, workers=1
    )
    path = tmp_path / "g.bin"
    ft.save_facebook_model(g, str(path))
    kv = load_fasttext(path)
    assert kv.words == list(g.wv.index_to_key)
    for w in ["the", "naïve", "wherever", "日本語"]:
        np.testing.assert_allclose(kv[w], g.wv[w], rtol=1e-5, atol=1e-6, err_msg=w)


# --------------------------------------------------------------------------- refusals
def _patched(data: bytes, offset: int, fmt: str, value) -> bytes:
    return data[:offset] + struct.pack(fmt, value) + data[offset + struct.calcsize(fmt) :]


_DICT_AT = 8 + 56


@pytest.mark.parametrize(
    "offset,fmt,value,match",
    [
        (0, "<i", 12345, "not a fastText model"),
        (4, "<i", 13, "version 13"),
        (4, "<i", 10, "version 10"),
        (8 + 28, "<i", 3, "supervised"),  # model = sup
        (8 + 20, "<i", 2, "wordNgrams"),
        (8 + 28, "<i", 9, "unknown model"),
        (8 + 24, "<i", 0, "unknown loss"),
        (8, "<i", 0, "dimension 0"),
        (8 + 32, "<i", -5, "n-gram"),  # negative bucket
        (8 + 36, "<i", 7, "n-gram"),  # minn > maxn
        (_DICT_AT + 8, "<i", 2, "labels"),
        (_DICT_AT, "<i", 2**31 - 1, "entries"),  # size != nwords
        (_DICT_AT, "<i", -3, "entries"),
        (_DICT_AT + 4, "<i", -3, "entries"),
        (_DICT_AT + 20, "<q", -7, "prune index size"),
        (_DICT_AT + 20, "<q", 2**62, "prune index"),  # a huge declared prune index
    ],
)
def test_bad_headers_are_one_format_error(model_file, tmp_path, offset, fmt, value, match):
    data = _patched(model_file[0].read_bytes(), offset, fmt, value)
    path = tmp_path / "bad.bin"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=match) as info:
        read_fasttext_bin(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_huge_declared_dictionary_is_refused_before_allocating(model_file, tmp_path):
    data = model_file[0].read_bytes()
    data = _patched(_patched(data, _DICT_AT, "<i", 2**31 - 1), _DICT_AT + 4, "<i", 2**31 - 1)
    path = tmp_path / "huge.bin"
    path.write_bytes(data)
    with pytest.raises(FormatError, match="declares 2147483647 words"):
        read_fasttext_bin(path)


def _flag_offsets(args, inp):
    entries = sum(len(w.encode()) + 10 for w in WORDS)
    quant = _DICT_AT + 28 + entries
    return quant, quant + 1 + 16 + inp.nbytes


def test_quantized_and_lying_matrix_shapes_are_refused(model_file, tmp_path):
    path, args, inp, out = model_file
    data = path.read_bytes()
    quant, qout = _flag_offsets(args, inp)
    bad = tmp_path / "bad.bin"
    bad.write_bytes(data[:quant] + b"\x01" + data[quant + 1 :])
    with pytest.raises(FormatError, match=r"quantized model \(.ftz\)"):
        read_fasttext_bin(bad)
    bad.write_bytes(_patched(data, quant + 1, "<q", 2**60))
    with pytest.raises(FormatError, match="input matrix is 1152921504606846976 x 6"):
        read_fasttext_bin(bad)
    bad.write_bytes(_patched(data, qout + 1 + 8, "<q", 7))
    with pytest.raises(FormatError, match="output matrix"):
        read_fasttext_bin(bad)
    bad.write_bytes(data + b"\0")
    with pytest.raises(FormatError, match="follow the output matrix"):
        read_fasttext_bin(bad)
    # a pruned dictionary without quantization: fastText itself refuses it
    bad.write_bytes(_patched(data, _DICT_AT + 20, "<q", 0))
    with pytest.raises(FormatError, match="pruned"):
        read_fasttext_bin(bad)


def test_every_truncation_is_one_format_error(model_file, tmp_path):
    data = model_file[0].read_bytes()
    bad = tmp_path / "cut.bin"
    for cut in range(len(data)):
        bad.write_bytes(data[:cut])
        with pytest.raises(FormatError) as info:
            read_fasttext_bin(bad)
        assert str(bad) in str(info.value), cut


def test_duplicate_empty_and_invalid_words_are_refused(tmp_path):
    args, inp, out = _model()
    path = tmp_path / "m.bin"
    words = ["tho"] + WORDS[1:]
    write_fasttext_bin(path, args, words, COUNTS, inp, out)
    data = path.read_bytes()
    at = _DICT_AT + 28  # the first entry, "tho"; the second is "the"
    for replacement, match in [(b"the", "appears twice"), (b"\xff\xfe\xfd", "UTF-8")]:
        path.write_bytes(data[:at] + replacement + data[at + 3 :])
        with pytest.raises(FormatError, match=match):
            read_fasttext_bin(path)
    path.write_bytes(data[:at] + b"\0" + data[at + 1 :])  # "tho" -> "" then a lying entry
    with pytest.raises(FormatError):
        read_fasttext_bin(path)


def test_writer_checks_and_is_atomic(model_file):
    path, args, inp, out = model_file
    before = path.read_bytes()
    bad = inp.copy()
    bad[3, 2] = np.nan
    with pytest.raises(ConfigError, match="input_matrix` row 3"):
        write_fasttext_bin(path, args, WORDS, COUNTS, bad, out)
    with pytest.raises(ConfigError, match="shape"):
        write_fasttext_bin(path, args, WORDS, COUNTS, inp[:-1], out)
    with pytest.raises(ConfigError, match="whitespace"):
        write_fasttext_bin(path, args, ["a b"] + WORDS[1:], COUNTS, inp, out)
    with pytest.raises(ConfigError, match="unique"):
        write_fasttext_bin(path, args, ["the"] + WORDS[1:], COUNTS, inp, out)
    with pytest.raises(ConfigError, match="supervised"):
        write_fasttext_bin(
            path, FastTextArgs(dim=DIM, bucket=BUCKET, model="sup"), WORDS, COUNTS, inp, out
        )
    with pytest.raises(ConfigError, match="word_ngrams"):
        write_fasttext_bin(
            path, FastTextArgs(dim=DIM, bucket=BUCKET, word_ngrams=2), WORDS, COUNTS, inp, out
        )
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    assert FASTTEXT_MAGIC == 793712314


def test_dictionary_longer_than_one_scan_window(tmp_path):
    # the reader scans the dictionary in windows of >= 1 MiB: entries cut by a window's end,
    # and a word longer than a window, must come back whole
    rng = np.random.default_rng(2)
    words = [f"{i}" + "ab" * int(rng.integers(1, 40_000)) for i in range(80)]
    words[40] = "z" * (3 << 20)
    bucket = 7
    args = FastTextArgs(dim=2, bucket=bucket, min_count=1)
    inp = rng.normal(size=(len(words) + bucket, 2)).astype(np.float32)
    out = rng.normal(size=(len(words), 2)).astype(np.float32)
    path = tmp_path / "long.bin"
    write_fasttext_bin(path, args, words, np.arange(len(words), 0, -1) * 1000, inp, out)
    f = read_fasttext_bin(path)
    assert f.words == words
    np.testing.assert_array_equal(f.counts, np.arange(len(words), 0, -1) * 1000)
    np.testing.assert_array_equal(f.input_matrix, inp)


@pytest.mark.parametrize("tail", [b"\0", b"\0" * 9, b"x\0" + b"y" * 5])
def test_a_long_run_without_nul_is_refused_in_linear_time(tmp_path, tail):
    # a dictionary that is one 8 MB word whose NUL (if any) is too near the end of the file:
    # a scan retrying every position would take hours
    head = _patched(
        _expected_bytes(*_model()[:1], [], [], np.zeros((BUCKET, DIM)), np.zeros((0, DIM)), 0)[
            : _DICT_AT + 28
        ],
        _DICT_AT,
        "<i",
        1,
    )
    path = tmp_path / "run.bin"
    path.write_bytes(_patched(head, _DICT_AT + 4, "<i", 1) + b"w" * (8 << 20) + tail)
    with pytest.raises(FormatError, match="truncated inside dictionary entry 0"):
        read_fasttext_bin(path)
