"""Vector files: round trips, compatibility with gensim both ways, and every bad input."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.errors import ConfigError, FormatError
from wordvec.files.container import encode_strings, read_container, write_container
from wordvec.vectors import formats
from wordvec.vectors.formats import load, save
from wordvec.vectors.keyedvectors import KeyedVectors

WORDS = ["the", "of", "café", "naïve", "日本", "a.b", "x-y", "Zoë"]


@pytest.fixture
def kv() -> KeyedVectors:
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((len(WORDS), 7)).astype(np.float32)
    vecs[0, 0] = np.float32(1e-30)  # extreme magnitudes must survive text too
    vecs[1, 1] = np.float32(3.4e38)
    vecs[2, 2] = -0.0
    return KeyedVectors(WORDS, vecs, np.arange(len(WORDS), 0, -1) * 10)


def gensim_kv():
    return pytest.importorskip("gensim.models.keyedvectors").KeyedVectors


# --------------------------------------------------------------------------- round trips
@pytest.mark.parametrize("ext", ["bin", "txt", "vec", "wvec"])
def test_round_trip_is_exact(kv, tmp_path, ext):
    path = tmp_path / f"v.{ext}"
    save(kv, path)
    back = load(path)
    assert back.words == kv.words
    # text uses the shortest repr that reads back as the same float32: exact too
    np.testing.assert_array_equal(back.vectors, kv.vectors)
    assert back.vectors.dtype == np.float32
    if ext == "wvec":
        np.testing.assert_array_equal(back.counts, kv.counts)
    else:
        assert back.counts is None  # the word2vec formats have no counts


def test_native_mmap_is_read_only_and_equal(kv, tmp_path):
    path = tmp_path / "v.wvec"
    save(kv, path)
    back = load(path, mmap=True)
    np.testing.assert_array_equal(back.vectors, kv.vectors)
    # a view of the mapped file, not a copy
    assert not back.vectors.flags.owndata and not back.vectors.flags.writeable
    with pytest.raises(ValueError):
        back.vectors[0, 0] = 1.0
    assert back.most_similar("the", topn=3) == kv.most_similar("the", topn=3)


@pytest.mark.parametrize("fmt, name", [("word2vec-bin", "a.dat"), ("word2vec-text", "b.dat")])
def test_explicit_format_overrides_the_name(kv, tmp_path, fmt, name):
    save(kv, tmp_path / name, format=fmt)
    assert load(tmp_path / name, format=fmt).words == kv.words
    with pytest.raises(ConfigError, match="format"):
        load(tmp_path / name)  # unknown extension, not a native file


def test_native_file_is_recognised_by_its_magic(kv, tmp_path):
    save(kv, tmp_path / "v.anything", format="native")
    assert load(tmp_path / "v.anything").words == kv.words
    with pytest.raises(ConfigError, match="format"):
        save(kv, tmp_path / "v.unknown")
    with pytest.raises(ConfigError, match="format"):
        save(kv, tmp_path / "v.bin", format="hdf5")


def test_words_the_word2vec_formats_cannot_hold(tmp_path):
    for bad in ("two words", "tab\there", "", "new\nline"):
        kv = KeyedVectors(["ok", bad], np.zeros((2, 3), np.float32))
        for ext in ("bin", "txt"):
            with pytest.raises(FormatError, match="whitespace"):
                save(kv, tmp_path / f"v.{ext}")
        save(kv, tmp_path / "v.wvec")  # the native format stores any string
        assert load(tmp_path / "v.wvec").words == ["ok", bad]
    assert not (tmp_path / "v.bin").exists()  # nothing half-written left behind


# --------------------------------------------------------------------------- gensim, both ways
def test_gensim_reads_our_files(kv, tmp_path):
    GKV = gensim_kv()
    save(kv, tmp_path / "v.bin")
    save(kv, tmp_path / "v.txt")
    for name, binary in (("v.bin", True), ("v.txt", False)):
        g = GKV.load_word2vec_format(str(tmp_path / name), binary=binary)
        assert g.index_to_key == kv.words
        np.testing.assert_array_equal(g.vectors, kv.vectors)


def test_we_read_gensims_files_and_write_the_same_text(kv, tmp_path):
    GKV = gensim_kv()
    g = GKV(kv.dim)
    g.add_vectors(kv.words, kv.vectors)
    g.save_word2vec_format(str(tmp_path / "g.bin"), binary=True)
    g.save_word2vec_format(str(tmp_path / "g.txt"), binary=False)
    for name in ("g.bin", "g.txt"):
        back = load(tmp_path / name)
        assert back.words == kv.words
        np.testing.assert_array_equal(back.vectors, kv.vectors)
    save(kv, tmp_path / "ours.txt")
    assert (tmp_path / "ours.txt").read_bytes() == (tmp_path / "g.txt").read_bytes()
    # gensim's binary has no newline after each vector; word2vec C's (ours) has one
    save(kv, tmp_path / "ours.bin")
    ours, theirs = (tmp_path / "ours.bin").read_bytes(), (tmp_path / "g.bin").read_bytes()
    assert len(ours) == len(theirs) + len(kv)
    assert ours.replace(b"\n", b"") == theirs.replace(b"\n", b"")


def test_binary_layout_is_word2vec_c(tmp_path):
    kv = KeyedVectors(["ab", "c"], np.array([[1.5, -2.0], [0.25, 8.0]], np.float32))
    save(kv, tmp_path / "v.bin")
    want = b"2 2\nab " + struct.pack("<2f", 1.5, -2.0) + b"\nc " + struct.pack("<2f", 0.25, 8.0)
    assert (tmp_path / "v.bin").read_bytes() == want + b"\n"


def test_fasttext_vec_and_headerless_glove_text(tmp_path):
    # fastText writes a space after every value; GloVe has no header line
    (tmp_path / "ft.vec").write_bytes(b"2 3\nhello 0.1 0.2 0.3 \nworld -1 2e-3 4 \n")
    (tmp_path / "glove.txt").write_bytes(b"hello 0.1 0.2 0.3\r\nworld -1 2e-3 4\r\n\n")
    for name in ("ft.vec", "glove.txt"):
        kv = load(tmp_path / name)
        assert kv.words == ["hello", "world"]
        np.testing.assert_array_equal(kv.vectors, np.float32([[0.1, 0.2, 0.3], [-1, 2e-3, 4]]))


def test_non_utf8_words(tmp_path):
    body = b"1 2\n\xff\xfeab " + struct.pack("<2f", 1, 2) + b"\n"
    (tmp_path / "v.bin").write_bytes(body)
    with pytest.raises(FormatError, match=r"byte offset 4 .*UTF-8.*errors='replace'"):
        load(tmp_path / "v.bin")
    assert load(tmp_path / "v.bin", errors="replace").words == ["\ufffd\ufffdab"]
    (tmp_path / "v.txt").write_bytes(b"1 2\n\xffab 1 2\n")
    with pytest.raises(FormatError, match="line 2.*UTF-8"):
        load(tmp_path / "v.txt")
    assert load(tmp_path / "v.txt", errors="ignore").words == ["ab"]
    with pytest.raises(ConfigError, match="`errors` must be"):
        load(tmp_path / "v.txt", errors="bogus")


def test_unicode_errors_is_a_deprecated_alias_of_errors(tmp_path):
    (tmp_path / "v.txt").write_bytes(b"1 2\n\xffab 1 2\n")
    with pytest.warns(DeprecationWarning, match="`unicode_errors` is deprecated; use `errors`"):
        assert load(tmp_path / "v.txt", unicode_errors="ignore").words == ["ab"]
    with pytest.raises(ConfigError, match="not both"), pytest.warns(DeprecationWarning):
        load(tmp_path / "v.txt", errors="ignore", unicode_errors="replace")


@pytest.mark.parametrize(
    "name, data",
    [
        ("glove.txt", b"hello 0.5 1\nworld 2 3\n"),
        ("header.txt", b"2 2\nhello 0.5 1\nworld 2 3\n"),
        ("header.bin", b"2 2\nhello " + struct.pack("<2f", 0.5, 1) + b"\nworld "
         + struct.pack("<2f", 2, 3) + b"\n"),
    ],
)  # fmt: skip
def test_a_byte_order_mark_at_the_start_is_dropped(tmp_path, name, data):
    (tmp_path / name).write_bytes(b"\xef\xbb\xbf" + data)
    kv = load(tmp_path / name)
    assert kv.words == ["hello", "world"]
    np.testing.assert_array_equal(kv.vectors, np.float32([[0.5, 1], [2, 3]]))
    # only at the very start: a BOM inside a word is a character of it
    (tmp_path / "mid.txt").write_bytes(b"2 1\nhello 1\n\xef\xbb\xbfworld 2\n")
    assert load(tmp_path / "mid.txt").words == ["hello", "\ufeffworld"]


@pytest.mark.parametrize("ext", ["bin", "txt", "wvec"])
def test_save_refuses_vectors_it_could_not_read_back(tmp_path, ext):
    kv = KeyedVectors(["a", "b", "c"], np.float32([[1, 2], [3, np.nan], [5, 6]]))
    with pytest.raises(ConfigError, match=r"row 1 \('b'\).*non-finite"):
        save(kv, tmp_path / f"v.{ext}")
    assert list(tmp_path.iterdir()) == []
    # a mapped file damaged after it was written: named, and nothing written
    good = KeyedVectors(["a", "b", "c"], np.float32([[1, 2], [3, 4], [5, 6]]))
    save(good, tmp_path / "src.wvec")
    _, arrays = read_container(tmp_path / "src.wvec")
    offset = arrays["vectors"].offset + 3 * 4  # row 1, column 1
    del arrays
    with open(tmp_path / "src.wvec", "r+b") as fh:
        fh.seek(offset)
        fh.write(np.float32(np.inf).tobytes())
    mapped = load(tmp_path / "src.wvec", mmap=True)
    with pytest.raises(FormatError, match=rf"{tmp_path / 'src.wvec'}: .*'b'"):
        save(mapped, tmp_path / f"v.{ext}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src.wvec"]


# --------------------------------------------------------------------------- bad word2vec input
def _bin(entries, header=None, newline=b"\n"):
    d = len(entries[0][1])
    out = (f"{len(entries)} {d}" if header is None else header).encode() + b"\n"
    for w, v in entries:
        out += w.encode() + b" " + np.asarray(v, "<f4").tobytes() + newline
    return out


def test_binary_truncated_anywhere_names_file_and_offset(kv, tmp_path):
    save(kv, tmp_path / "v.bin")
    data = (tmp_path / "v.bin").read_bytes()
    cut = tmp_path / "cut.bin"
    for n in range(len(data) - 1):  # only the final newline may go
        cut.write_bytes(data[:n])
        with pytest.raises(FormatError) as info:
            load(cut)
        msg = str(info.value)
        assert str(cut) in msg
        assert "byte offset" in msg or "header" in msg
    cut.write_bytes(data[:-1])
    assert load(cut).words == kv.words


def test_binary_header_that_lies(tmp_path):
    p = tmp_path / "v.bin"
    entries = [("a", [1, 2]), ("b", [3, 4])]
    # more words than the file can hold: refused before allocating anything
    p.write_bytes(_bin(entries, header="100000000000 300"))
    with pytest.raises(FormatError, match="header says 100000000000 words"):
        load(p)
    p.write_bytes(_bin(entries, header="3 2"))
    with pytest.raises(FormatError, match="header says 3 words"):
        load(p)
    p.write_bytes(_bin(entries, header="1 2"))
    with pytest.raises(FormatError, match="more data follows at byte offset 15"):
        load(p)
    for header in ("2", "x 2", "2 2 2", "-1 2", "2 0", ""):
        p.write_bytes(_bin(entries, header=header))
        with pytest.raises(FormatError):
            load(p)
    p.write_bytes(b"")
    with pytest.raises(FormatError, match="empty"):
        load(p)


def test_binary_without_trailing_newlines_and_bad_bodies(tmp_path):
    p = tmp_path / "v.bin"
    p.write_bytes(_bin([("a", [1, 2]), ("b", [3, 4])], newline=b""))  # gensim's layout
    assert load(p).words == ["a", "b"]
    p.write_bytes(_bin([("a", [1, 2]), ("a", [3, 4])]))
    with pytest.raises(FormatError, match="'a' appears twice"):
        load(p)
    p.write_bytes(_bin([("a", [1, np.nan]), ("b", [3, 4])]))
    with pytest.raises(FormatError, match="non-finite.*entry 1, byte offset 6"):
        load(p)
    p.write_bytes(_bin([("a", [1, 2]), ("b", [np.inf, 4])]))
    with pytest.raises(FormatError, match="non-finite.*entry 2"):
        load(p)
    p.write_bytes(b"1 2\n " + struct.pack("<2f", 1, 2))
    with pytest.raises(FormatError, match="empty word at byte offset 4"):
        load(p)


@pytest.mark.parametrize(
    "body, match",
    [
        (b"3 2\na 1 2\nb 3 4\n", "line 1: the header says 3 words, but 2 lines follow"),
        (b"2 2\na 1 2\nb 3\n", "line 3: expected a word and 2 values; got 2 fields"),
        (b"2 2\na 1 2\nb 3 4 5\n", "line 3: expected a word and 2 values; got 4 fields"),
        (b"2 2\na 1 2\nb 3 x\n", "line 3: a value is not a number"),
        (b"2 2\na 1 2\nb nan 4\n", "line 3: non-finite"),
        (b"2 2\na 1 2\nb 1e39 4\n", "line 3: non-finite"),
        (b"2 2\na 1 2\na 3 4\n", "'a' appears twice \\(lines 2 and 3\\)"),
        (b"2 0\na\nb\n", "dimension 0"),
        (b"", "empty"),
        (b"word\n", "line 1"),
        (b"a 1 2\nb 3 4 5\n", "line 2: expected a word and 2 values"),
    ],
)
def test_text_errors_name_the_line(tmp_path, body, match):
    p = tmp_path / "v.txt"
    p.write_bytes(body)
    with pytest.raises(FormatError, match=match) as info:
        load(p)
    assert str(p) in str(info.value)


def test_text_truncated_anywhere_is_an_error_or_a_prefix(tmp_path):
    kv = KeyedVectors(["ab", "é"], np.float32([[1.5, -2.25], [3e-5, 4e5]]), [7, 3])
    save(kv, tmp_path / "v.txt")
    data = (tmp_path / "v.txt").read_bytes()
    cut = tmp_path / "cut.txt"
    for n in range(len(data)):
        cut.write_bytes(data[:n])
        try:
            back = load(cut)
        except FormatError as exc:
            assert str(cut) in str(exc)
        else:
            # only a cut inside the very last number goes unnoticed (text has no checksum)
            assert back.words == kv.words and n > data.rindex(b" ")


# --------------------------------------------------------------------------- native
def test_finiteness_is_checked_when_reading_not_when_mapping(tmp_path):
    write_container(tmp_path / "c", {}, {"x": np.array([1.0, np.nan])})
    with pytest.raises(FormatError, match="non-finite"):
        read_container(tmp_path / "c", mmap=False)
    with pytest.raises(FormatError, match="non-finite"):
        read_container(tmp_path / "c", mmap=True, check_finite=True)
    for mmap in (True, False):
        _, arrays = read_container(tmp_path / "c", mmap=mmap, check_finite=False)
        assert np.isnan(arrays["x"][1])
    _, arrays = read_container(tmp_path / "c")  # default: mmap=True, no scan
    assert np.isnan(arrays["x"][1])
    # a large but finite array whose sum overflows is not refused
    write_container(tmp_path / "c", {}, {"x": np.full(4, 3e38, np.float32)})
    assert read_container(tmp_path / "c", mmap=False)[1]["x"][0] == np.float32(3e38)
    # the native vectors format: load() reads (and checks) by default; a mapped load
    # checks lazily, before the first query or lookup uses the vectors
    blob, offsets = encode_strings(["a", "b"])
    vectors = np.float32([[1, 2], [np.inf, 0]])
    arrays = {"vectors": vectors, "words_blob": blob, "words_offsets": offsets}
    write_container(tmp_path / "v.wvec", {"kind": "keyed_vectors"}, arrays)
    with pytest.raises(FormatError, match=r"'vectors': non-finite value inf at index \(1, 0\)"):
        load(tmp_path / "v.wvec")
    mapped = load(tmp_path / "v.wvec", mmap=True)
    assert mapped.vectors[1, 0] == np.inf  # the raw array is the file's, as it is
    for query in (lambda: mapped.most_similar("a"), lambda: mapped["b"]):
        with pytest.raises(FormatError, match=rf"{tmp_path / 'v.wvec'}: .*'b' \(row 1\)"):
            query()
    assert mapped["a"].tolist() == [1, 2]  # a sound row is still usable


def test_container_truncated_anywhere(tmp_path):
    kv = KeyedVectors(["ab", "é"], np.float32([[1.5, -2.25], [3e-5, 4e5]]), [7, 3])
    save(kv, tmp_path / "v.wvec")
    data = (tmp_path / "v.wvec").read_bytes()
    cut = tmp_path / "cut.wvec"
    for n in range(len(data)):
        cut.write_bytes(data[:n])
        with pytest.raises(FormatError) as info:
            load(cut)
        assert str(cut) in str(info.value)


def test_native_keyed_vectors_layout_errors(tmp_path):
    v = np.zeros((2, 3), np.float32)
    blob, offsets = encode_strings(["a", "b"])
    path = tmp_path / "v.wvec"
    cases = [
        ({"kind": "model"}, {"vectors": v, "words_blob": blob, "words_offsets": offsets}, "kind"),
        ({"kind": "keyed_vectors"}, {"vectors": v, "words_blob": blob}, "words_offsets"),
        (
            {"kind": "keyed_vectors"},
            {"vectors": v.astype(np.float64), "words_blob": blob, "words_offsets": offsets},
            "float32",
        ),
        (
            {"kind": "keyed_vectors"},
            {"vectors": v, "words_blob": blob, "words_offsets": offsets[:2]},
            "2 vectors but 1",
        ),
        (
            {"kind": "keyed_vectors"},
            {"vectors": v, "words_blob": blob, "words_offsets": offsets, "counts": np.zeros(3)},
            "counts",
        ),
        (
            {"kind": "keyed_vectors"},
            {
                "vectors": v,
                **dict(
                    zip(("words_blob", "words_offsets"), encode_strings(["a", "a"]), strict=True)
                ),
            },
            "'a' appears twice",
        ),
    ]
    for meta, arrays, match in cases:
        write_container(path, meta, arrays)
        with pytest.raises(FormatError, match=match):
            load(path)


# --------------------------------------------------------------------------- CLI
def test_cli_convert(kv, tmp_path, capsys):
    save(kv, tmp_path / "v.bin")
    assert main(["convert", str(tmp_path / "v.bin"), str(tmp_path / "v.wvec")]) == 0
    assert "8 words, dim 7" in capsys.readouterr().out
    back = load(tmp_path / "v.wvec")
    assert back.words == kv.words and np.array_equal(back.vectors, kv.vectors)
    out = tmp_path / "v.data"
    assert main(["convert", str(tmp_path / "v.wvec"), str(out), "--to", "word2vec-text"]) == 0
    assert load(out, format="word2vec-text").words == kv.words
    (tmp_path / "bad.bin").write_bytes(b"5 3\nshort")
    assert main(["convert", str(tmp_path / "bad.bin"), str(tmp_path / "x.txt")]) == 1
    err = capsys.readouterr().err
    assert "bad.bin" in err and "header says 5 words" in err
    assert not (tmp_path / "x.txt").exists()


def test_module_exports():
    assert set(formats.FORMATS) == {"word2vec-bin", "word2vec-text", "native"}


@pytest.mark.parametrize("ext", ["txt", "bin", "wvec"])
def test_dimension_0_vectors_are_refused_on_write_and_on_read(ext, tmp_path, capsys):
    """They were written as files nothing could read back (word2vec: "3 0" and bare
    words); now neither written nor, in a native file made by hand, read."""
    kv = KeyedVectors(["a", "b", "c"], np.zeros((3, 0), np.float32))
    path = tmp_path / f"v.{ext}"
    with pytest.raises(ConfigError, match="dimension 0"):
        save(kv, path)
    assert not path.exists() and list(tmp_path.iterdir()) == []
    if ext == "wvec":  # as an older wordvec wrote it
        blob, offsets = encode_strings(kv.words)
        meta = {"kind": "keyed_vectors", "count": 3, "dim": 0}
        arrays = {"vectors": kv.vectors, "words_blob": blob, "words_offsets": offsets}
        write_container(path, meta, arrays)
    else:
        path.write_bytes(b"3 0\na \nb \nc \n")
    with pytest.raises(FormatError, match=f"^{path}: .*dimension 0"):
        load(path)
    assert main(["plot", str(path), "a", "b", "-o", str(tmp_path / "p.png")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "dimension 0" in err[0], err


# --------------------------------------------------------------------------- compressed files
@pytest.mark.parametrize("ext", ["bin", "txt", "wvec"])
@pytest.mark.parametrize("compression", ["gz", "bz2", "xz"])
def test_compressed_files_load_as_their_inner_name_says(kv, tmp_path, ext, compression):
    import bz2
    import gzip
    import lzma

    compress = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[compression]
    plain = tmp_path / f"v.{ext}"
    save(kv, plain)
    packed = tmp_path / f"v.{ext}.{compression}"
    packed.write_bytes(compress(plain.read_bytes()))
    back = load(packed)
    assert back.words == kv.words
    np.testing.assert_array_equal(back.vectors, kv.vectors)
    if ext != "wvec":
        assert load(packed, limit=3).words == kv.words[:3]


def test_compressed_file_errors_name_the_given_file(tmp_path):
    import gzip

    bad = tmp_path / "v.txt.gz"
    bad.write_bytes(gzip.compress(b"2 3\nword 1 2 3\n"))
    with pytest.raises(FormatError, match=r"v\.txt\.gz \(decompressed\): line 1"):
        load(bad)
    misnamed = tmp_path / "w.txt.gz"
    misnamed.write_bytes(b"1 2\nword 1 2\n")
    with pytest.raises(FormatError, match="w.txt.gz"):
        load(misnamed)
    with pytest.raises(ConfigError, match="mmap"):
        load(bad, mmap=True)
    leftovers = set(tmp_path.iterdir())
    assert leftovers == {bad, misnamed}
