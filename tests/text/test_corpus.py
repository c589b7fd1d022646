"""Tests for wordvec.text.corpus: sources, tokenising, long lines, block boundaries, errors."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordvec.errors import ConfigError, CorpusError
from wordvec.text import corpus
from wordvec.text.corpus import TextCorpus, default_corpus_path, iter_sentences

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

TEXT = "The cat sat\n\n  on the mat \r\nÉté à Zürich 𝄞 ok\nlast line no newline"


def reference(data: bytes, *, lowercase=False, errors="strict", max_len=10_000) -> list[list[str]]:
    """Naive reader: decode everything at once, split lines, split tokens, cut pieces."""
    out = []
    for line in data.decode("utf-8", errors).split("\n"):
        tokens = (line.lower() if lowercase else line).split()
        out.extend(tokens[i : i + max_len] for i in range(0, len(tokens), max_len))
    return out


def write(path: Path, data: bytes, fmt: str | None = None) -> Path:
    opener = {None: open, "gz": gzip.open, "bz2": bz2.open, "xz": lzma.open}[fmt]
    with opener(path, "wb") as fh:
        fh.write(data)
    return path


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize("fmt", [None, "gz", "bz2", "xz"])
def test_plain_and_compressed_files_give_identical_sentences(tmp_path, fmt):
    data = TEXT.encode()
    name = "c.txt" + (f".{fmt}" if fmt else "")
    path = write(tmp_path / name, data, fmt)
    expected = reference(data)
    assert expected[0] == ["The", "cat", "sat"]
    assert expected[-1] == ["last", "line", "no", "newline"]
    assert list(iter_sentences(path)) == expected
    assert list(iter_sentences(str(path))) == expected


@pytest.mark.parametrize("fmt", ["gz", "bz2", "xz"])
def test_compression_is_recognised_by_magic_bytes_when_the_suffix_lies(tmp_path, fmt):
    data = TEXT.encode()
    path = write(tmp_path / "misnamed.txt", data, fmt)
    assert list(iter_sentences(path)) == reference(data)


def test_compressed_suffix_on_plain_text_is_an_error(tmp_path):
    path = write(tmp_path / "plain.gz", b"just text\n")
    with pytest.raises(CorpusError, match=r"plain\.gz: .*gzip magic bytes"):
        list(iter_sentences(path))


def test_text_starting_with_bzh_is_plain_text(tmp_path):
    path = write(tmp_path / "bzh.txt", b"BZh9 looks like bzip2\n")
    assert list(iter_sentences(path)) == [["BZh9", "looks", "like", "bzip2"]]


def test_empty_file_and_blank_lines_yield_nothing(tmp_path):
    assert list(iter_sentences(write(tmp_path / "empty.txt", b""))) == []
    assert list(iter_sentences(write(tmp_path / "blank.txt", b"\n \n\t\r\n\n"))) == []
    assert list(iter_sentences(write(tmp_path / "empty.gz", b"", "gz"))) == []


def test_unicode_whitespace_separates_tokens_but_only_newline_ends_a_line(tmp_path):
    data = "a\u3000b\xa0c\x1cd\re\u2028f\ng".encode()
    assert list(iter_sentences(write(tmp_path / "ws.txt", data))) == [
        ["a", "b", "c", "d", "e", "f"],
        ["g"],
    ]


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden(tmp_path):
    root = tmp_path / "corpus"
    (root / "b" / "inner").mkdir(parents=True)
    (root / ".git").mkdir()
    write(root / "b" / "inner" / "z.txt", b"b inner z\n")
    write(root / "b" / "a.txt.gz", b"b a gz\n", "gz")
    write(root / "a.txt", b"a one\na two\n")
    write(root / "c.xz", b"c xz\n", "xz")
    write(root / ".hidden.txt", b"hidden file\n")
    write(root / ".git" / "config", b"hidden dir\n")
    corp = TextCorpus(root)
    assert [p.relative_to(root).as_posix() for p in corp.paths] == [
        "a.txt",
        "b/a.txt.gz",
        "b/inner/z.txt",
        "c.xz",
    ]
    assert list(corp) == [
        ["a", "one"],
        ["a", "two"],
        ["b", "a", "gz"],
        ["b", "inner", "z"],
        ["c", "xz"],
    ]


def test_empty_directory_is_an_error_naming_it(tmp_path):
    (tmp_path / "d").mkdir()
    write(tmp_path / "d" / ".only-hidden", b"x\n")
    with pytest.raises(CorpusError, match=r"d: directory contains no"):
        TextCorpus(tmp_path / "d")


def test_missing_file_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(CorpusError, match=r"nope\.txt: no such file"):
        iter_sentences(missing)
    with pytest.raises(CorpusError, match=r"nope\.txt: no such file"):
        TextCorpus(str(missing))


def test_file_removed_between_passes_is_an_error_naming_it(tmp_path):
    path = write(tmp_path / "gone.txt", b"a b\n")
    corp = TextCorpus(path)
    assert list(corp) == [["a", "b"]]
    path.unlink()
    with pytest.raises(CorpusError, match=r"gone\.txt: cannot read"):
        list(corp)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a non-root POSIX user")
def test_unreadable_file_is_an_error_naming_it(tmp_path):
    path = write(tmp_path / "secret.txt", b"a b\n")
    path.chmod(0)
    try:
        with pytest.raises(CorpusError, match=r"secret\.txt: cannot read"):
            list(iter_sentences(path))
    finally:
        path.chmod(0o644)


def test_file_corpus_restarts_on_every_iteration(tmp_path):
    corp = TextCorpus(write(tmp_path / "c.txt", TEXT.encode()), lowercase=True)
    first = list(corp)
    assert first == list(corp) == reference(TEXT.encode(), lowercase=True)
    assert corp.paths == (tmp_path / "c.txt",)
    # A pass abandoned half-way does not disturb the next one.
    partial = iter(corp)
    next(partial)
    assert list(corp) == first


def test_lowercase_matches_per_line_lowercasing(tmp_path):
    # Greek capital sigma lowercases to a final sigma at the end of a word.
    data = "ΟΔΥΣΣΕΥΣ Straße İstanbul ABC\nMiXeD\n".encode()
    got = list(iter_sentences(write(tmp_path / "c.txt", data), lowercase=True))
    assert got == reference(data, lowercase=True)
    assert got[0][0] == "οδυσσευς"
    assert got[1] == ["mixed"]


# --------------------------------------------------------------------------- stdin


class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_is_read_once_and_can_be_iterated_again(monkeypatch, tmp_path):
    data = TEXT.encode() * 50
    stdin = _FakeStdin(data)
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(corpus, "_BLOCK_SIZE", 7)
    corp = TextCorpus("-", tmp_dir=tmp_path)
    assert corp.paths == ()
    assert list(corp) == reference(data)
    assert stdin.buffer.tell() == len(data)
    # later passes read the copy spilled to tmp_dir as the first pass read standard input
    assert list(corp) == reference(data)
    # passes may overlap or stop early; each sees all of it
    first, second = iter(corp), iter(corp)
    assert next(first) == next(second) == ["The", "cat", "sat"]
    assert list(second) == reference(data)[1:]
    assert list(first) == reference(data)[1:]


def test_a_stdin_pass_abandoned_early_is_completed_by_the_next(monkeypatch, tmp_path):
    data = TEXT.encode() * 20
    stdin = _FakeStdin(data)
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(corpus, "_BLOCK_SIZE", 5)
    corp = TextCorpus("-", tmp_dir=tmp_path)
    partial = iter(corp)
    next(partial)
    del partial
    assert stdin.buffer.tell() < len(data)
    assert list(corp) == reference(data)
    assert list(corp) == reference(data)


def test_stdin_spill_directory_is_checked_and_named(monkeypatch, tmp_path):
    with pytest.raises(ConfigError, match=rf"`tmp_dir` {re.escape(repr(str(tmp_path / 'no')))}"):
        TextCorpus("-", tmp_dir=tmp_path / "no")
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"a b\n" * 100))
    resource = pytest.importorskip("resource")
    corp = TextCorpus("-", tmp_dir=tmp_path)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (50, hard))  # Python ignores SIGXFSZ: EFBIG
    try:
        with pytest.raises(OSError, match="File too large") as info:
            list(corp)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert info.value.filename == str(tmp_path)
    assert "standard input" in info.value.strerror


def test_stdin_invalid_utf8_names_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _FakeStdin(b"ok\nbad \xff\n"))
    with pytest.raises(CorpusError, match=r"<stdin>: invalid UTF-8 at byte 7 \(0xff"):
        list(iter_sentences("-"))


def test_stdin_through_a_real_pipe():
    code = textwrap.dedent(
        """
        from wordvec.text.corpus import iter_sentences
        for s in iter_sentences("-", lowercase=True, max_sentence_length=2):
            print("|".join(s))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=b"A b C\n\nd\n",
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.decode().splitlines() == ["a|b", "c", "d"]


# --------------------------------------------------------------------------- Python iterables


def test_list_of_token_lists_is_re_iterable():
    sentences = [["A", "b"], [], ("C", "d", "E")]
    corp = TextCorpus(sentences, lowercase=True, max_sentence_length=2)
    expected = [["a", "b"], ["c", "d"], ["e"]]
    assert list(corp) == expected
    assert list(corp) == expected
    assert sentences[0] == ["A", "b"]  # the caller's lists are not modified


def test_re_iterable_object_restarts():
    class Stream:
        def __iter__(self):
            yield ["x", "y"]
            yield ["z"]

    corp = TextCorpus(Stream())
    assert list(corp) == list(corp) == [["x", "y"], ["z"]]


def test_generator_source_is_one_pass():
    corp = TextCorpus(s for s in [["a"], ["b"]])
    assert list(corp) == [["a"], ["b"]]
    with pytest.raises(CorpusError, match="one-pass iterator .* already consumed"):
        iter(corp)
    assert list(iter_sentences(iter([["q"]]))) == [["q"]]


def test_string_sentence_is_an_error_naming_its_index():
    it = iter_sentences([["fine"], ["ok"], "not split"])
    assert next(it) == ["fine"]  # validation is lazy
    assert next(it) == ["ok"]
    with pytest.raises(CorpusError, match="sentence 2 is a str .*lists of tokens, not strings"):
        next(it)


def test_non_str_tokens_and_non_list_sentences_are_errors():
    with pytest.raises(CorpusError, match=r"sentence 1, token 2 must be a str; got int"):
        list(iter_sentences([["a"], ["b", "c", 3]]))
    with pytest.raises(CorpusError, match=r"sentence 0 must be a list of str tokens; got int"):
        list(iter_sentences([5]))
    with pytest.raises(CorpusError, match="sentence 0 is a bytes"):
        list(iter_sentences([b"a b"]))


@pytest.mark.parametrize("bad", [42, None, b"corpus.txt"])
def test_invalid_source_type_is_an_error(bad):
    with pytest.raises(CorpusError, match="`source` must be"):
        TextCorpus(bad)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"errors": "bad"}, "`errors` must be 'strict', 'replace' or 'ignore'; got 'bad'."),
        ({"max_sentence_length": 0}, "`max_sentence_length` must be an int >= 1; got 0."),
        ({"max_sentence_length": 2.5}, "`max_sentence_length` must be an int >= 1; got 2.5."),
        ({"lowercase": "yes"}, "`lowercase` must be a bool; got 'yes'."),
    ],
)
def test_invalid_options_are_config_errors(kwargs, match):
    with pytest.raises(ConfigError, match=re.escape(match)):
        TextCorpus([["a"]], **kwargs)


# --------------------------------------------------------------------------- long lines


def test_one_line_corpus_is_split_into_pieces_without_losing_tokens(tmp_path):
    n = 250_001
    words = [f"w{i}" for i in range(n)]
    path = write(tmp_path / "one-line.txt", " ".join(words).encode())  # ~1.9 MB > one block
    pieces = list(iter_sentences(path))
    assert [len(p) for p in pieces] == [10_000] * 25 + [1]
    assert [w for p in pieces for w in p] == words

    pieces = list(iter_sentences(path, max_sentence_length=7_777))
    assert all(len(p) == 7_777 for p in pieces[:-1])
    assert [w for p in pieces for w in p] == words


def test_token_longer_than_a_block_is_kept_whole(tmp_path):
    huge = "é" * (3 * corpus._BLOCK_SIZE // 2 + 1)  # 3 MiB of UTF-8, no whitespace
    path = write(tmp_path / "t.txt", f"a {huge} b\n{huge.upper()}".encode())
    got = list(iter_sentences(path, lowercase=True))
    assert got == [["a", huge, "b"], [huge]]


# --------------------------------------------------------------------------- block boundaries

_ALPHABET = ["a", "b", "Σ", "é", "€", "𝄞", " ", " ", "\t", "\n", "\n", "\r", "\u3000", "\x85"]
_texts = st.lists(st.sampled_from(_ALPHABET), max_size=120).map("".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=_texts,
    block_size=st.integers(1, 9),
    max_len=st.integers(1, 5),
    lowercase=st.booleans(),
)
def test_tiny_blocks_match_naive_reader(tmp_path, text, block_size, max_len, lowercase):
    data = text.encode()
    path = write(tmp_path / "h.txt", data)
    with mock.patch.object(corpus, "_BLOCK_SIZE", block_size):
        got = list(iter_sentences(path, lowercase=lowercase, max_sentence_length=max_len))
    assert got == reference(data, lowercase=lowercase, max_len=max_len)


@settings(max_examples=300, deadline=None)
@given(
    chunks=st.lists(_texts, max_size=12),
    tail_limit=st.integers(0, 6),
    max_len=st.integers(1, 4),
    lowercase=st.booleans(),
)
def test_any_chunking_matches_naive_reader(chunks, tail_limit, max_len, lowercase):
    got = list(corpus._sentences_from_text(chunks, max_len, lowercase, tail_limit))
    assert got == reference("".join(chunks).encode(), lowercase=lowercase, max_len=max_len)


@settings(max_examples=300, deadline=None)
@given(text=_texts, max_len=st.integers(1, 5), lowercase=st.booleans())
def test_tokenise_and_pieces_are_the_naive_reader_line_by_line(text, max_len, lowercase):
    """The public definition of a token (what compat's LineSentence and Spark's
    executors call) is the one every reader above is held to."""
    lines = text.split("\n")
    got = [p for line in lines for p in corpus.pieces(corpus.tokenise(line, lowercase), max_len)]
    assert got == reference(text.encode(), lowercase=lowercase, max_len=max_len)


_raw_bytes = st.lists(
    st.sampled_from(
        [
            b"a",
            b" ",
            b"\n",
            b"\xc3\xa9",
            b"\xf0\x9d\x84\x9e",
            b"\xff",
            b"\xc3",
            b"\xe2\x82",
            b"\x80",
        ]
    ),
    max_size=60,
).map(b"".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=_raw_bytes, block_size=st.integers(1, 7))
def test_invalid_utf8_offset_and_replacement_match_one_shot_decoding(tmp_path, data, block_size):
    path = write(tmp_path / "b.txt", data)
    with mock.patch.object(corpus, "_BLOCK_SIZE", block_size):
        assert list(iter_sentences(path, errors="replace")) == reference(data, errors="replace")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            with pytest.raises(CorpusError, match=rf"b\.txt: invalid UTF-8 at byte {exc.start} "):
                list(iter_sentences(path))
        else:
            assert list(iter_sentences(path)) == reference(data)


# --------------------------------------------------------------------------- byte-order marks
BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize("fmt", [None, "gz", "xz"])
def test_a_byte_order_mark_at_the_start_of_a_file_is_dropped(tmp_path, fmt):
    path = write(tmp_path / ("b.txt" + (f".{fmt}" if fmt else "")), BOM + b"first word\nx\n", fmt)
    assert list(iter_sentences(path)) == [["first", "word"], ["x"]]
    # ... of every file of a directory, and of standard input; elsewhere it is a character
    (tmp_path / "dir").mkdir()
    write(tmp_path / "dir" / "1.txt", BOM + b"one\n")
    write(tmp_path / "dir" / "2.txt", BOM + b"two " + BOM + b"three\n")
    assert list(iter_sentences(tmp_path / "dir")) == [["one"], ["two", "\ufeffthree"]]


def test_a_byte_order_mark_on_stdin_is_dropped(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdin", _FakeStdin(BOM + b"a b\n"))
    assert list(TextCorpus("-", tmp_dir=tmp_path)) == [["a", "b"]]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(st.sampled_from([b"a", b" ", b"\n", BOM, b"\xef", b"\xff", b"\xc3\xa9"]),
                  max_size=12).map(b"".join),
    block_size=st.integers(1, 5),
)  # fmt: skip
def test_byte_order_mark_offsets_match_one_shot_utf_8_sig_decoding(tmp_path, data, block_size):
    path = write(tmp_path / "b.txt", data)
    expected_text = data[3:] if data.startswith(BOM) else data
    with mock.patch.object(corpus, "_BLOCK_SIZE", block_size):
        assert list(iter_sentences(path, errors="replace")) == reference(
            expected_text, errors="replace"
        )
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:  # offsets count the mark's bytes: they are the file's
            with pytest.raises(CorpusError, match=rf"invalid UTF-8 at byte {exc.start} "):
                list(iter_sentences(path))
        else:
            assert list(iter_sentences(path)) == reference(expected_text)


def test_errors_ignore_drops_undecodable_bytes(tmp_path):
    path = write(tmp_path / "c.txt", b"ab\xffc d\n\xfe\n")
    assert list(iter_sentences(path, errors="ignore")) == [["abc", "d"]]
    with pytest.raises(ConfigError, match="`errors` must be 'strict', 'replace' or 'ignore'"):
        TextCorpus(path, errors="surrogateescape")


# --------------------------------------------------------------------------- decoding errors


def test_invalid_utf8_names_file_offset_and_byte(tmp_path):
    path = write(tmp_path / "corpus.txt", b"good line\nabc \xff def\n")
    with pytest.raises(CorpusError) as info:
        list(iter_sentences(path))
    message = str(info.value)
    assert "corpus.txt: invalid UTF-8 at byte 14 (0xff" in message
    assert "errors='replace'" in message
    assert list(iter_sentences(path, errors="replace")) == [
        ["good", "line"],
        ["abc", "\ufffd", "def"],
    ]


def test_invalid_utf8_in_a_later_block_has_the_absolute_offset(tmp_path):
    block = corpus._BLOCK_SIZE
    data = b"word " * (block // 5) + b"x" * (block % 5) + b"ok\n" * 1000 + b"\xe2\x28\xa1"
    bad_at = data.index(b"\xe2\x28")
    assert bad_at > block
    path = write(tmp_path / "late.txt", data)
    with pytest.raises(CorpusError, match=rf"late\.txt: invalid UTF-8 at byte {bad_at} \(0xe2"):
        list(iter_sentences(path))


def test_invalid_utf8_inside_gzip_has_the_decompressed_offset(tmp_path):
    data = "ünïcödé\n".encode() * 500 + b"tail \x80 end"
    bad_at = data.index(b"\x80 end")
    path = write(tmp_path / "c.txt.gz", data, "gz")
    with mock.patch.object(corpus, "_BLOCK_SIZE", 1000):
        with pytest.raises(
            CorpusError,
            match=rf"c\.txt\.gz: invalid UTF-8 at byte {bad_at} of the decompressed gzip",
        ):
            list(iter_sentences(path))


def test_multibyte_character_cut_off_at_end_of_file(tmp_path):
    path = write(tmp_path / "cut.txt", "ok €".encode()[:-1])
    with pytest.raises(
        CorpusError, match=r"cut\.txt: invalid UTF-8 at byte 3 \(0xe2: unexpected end"
    ):
        list(iter_sentences(path))


@pytest.mark.parametrize("fmt", ["gz", "bz2", "xz"])
def test_truncated_compressed_file_is_an_error_naming_it(tmp_path, fmt):
    full = write(tmp_path / f"full.{fmt}", b"some words here\n" * 5000, fmt)
    cut = tmp_path / f"cut.txt.{fmt}"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(CorpusError, match=rf"cut\.txt\.{fmt}: corrupt or truncated"):
        list(iter_sentences(cut))


def test_corrupt_gzip_is_an_error_naming_it(tmp_path):
    good = write(tmp_path / "good.gz", b"some words here\n" * 5000, "gz").read_bytes()
    bad = bytearray(good)
    bad[len(bad) // 2 : len(bad) // 2 + 8] = b"\xff" * 8
    path = tmp_path / "bad.gz"
    path.write_bytes(bytes(bad))
    with pytest.raises(CorpusError, match=r"bad\.gz: corrupt or truncated gzip"):
        list(iter_sentences(path))


# --------------------------------------------------------------------------- real data


def test_shipped_corpus_is_readable():
    path = default_corpus_path()
    assert path.name == "public-domain-books.txt.xz" and path.is_file()
    first = next(iter(TextCorpus(path)))
    assert first and all(isinstance(t, str) and t == t.lower() for t in first)


def test_real_corpus_matches_naive_reader():
    path = DATA / "corpora" / "public-domain-books.txt"
    if not path.is_file():
        pytest.skip(f"shared data not found at {path}")
    data = path.read_bytes()
    assert list(iter_sentences(path)) == reference(data)


@pytest.mark.slow
def test_memory_stays_bounded_on_a_huge_single_line(tmp_path):
    # ~20 M tokens on one line (93 MB). Holding the line would cost 93 MB, its tokens
    # over 1 GB; streaming holds a few blocks and one block's tokens (~20-45 MB).
    path = tmp_path / "huge-line.txt"
    unit = b"the quick brown fox jumps over a lazy dog " * 1000  # 9000 tokens
    repeats = 20_000_000 // 9000
    with open(path, "wb") as fh:
        for _ in range(repeats):
            fh.write(unit)
    code = textwrap.dedent(
        f"""
        import resource
        from wordvec.text.corpus import iter_sentences
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tokens = pieces = 0
        for piece in iter_sentences({str(path)!r}):
            tokens += len(piece)
            pieces += 1
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(tokens, pieces, (after - before) // 1024)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, timeout=600
    )
    tokens, pieces, growth_mib = map(int, result.stdout.split())
    assert tokens == repeats * 9000
    assert pieces == -(-tokens // 10_000)
    assert growth_mib < 64, f"peak RSS grew by {growth_mib} MiB"
