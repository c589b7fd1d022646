"""The compiled file scan must give exactly what the Python scan gives, or None."""

from __future__ import annotations

import bz2
import gzip
import lzma
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wordvec.errors import CorpusError
from wordvec.text import fastscan as fastscan
from wordvec.text.corpus import TextCorpus, default_corpus_path, pieces, tokenise
from wordvec.text.scan import Scan
from wordvec.text.scan import scan_sentences as scan

_COMPRESS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}

# Every character str.split() splits on (checked against Python in a test below).
_SPACES = [
    *"\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000",
    *(chr(c) for c in range(0x2000, 0x200B)),
]
# Characters that share a first UTF-8 byte (and sometimes a second) with Unicode
# whitespace but are not whitespace: U+00A1, U+0084, U+1681, U+200B (zero width
# space), U+2027, U+2030, U+205E, U+3001, U+3080.
_NEAR_SPACES = [*"\xa1\x84\u1681\u200b\u2027\u2030\u205e\u3001\u3080"]
# ASCII and multi-byte words; words of 8+ bytes that share their first 8.
_WORDS = ["a", "b", "the", "Zz", "é", "Σ", "ΑΣ", "\u212a", "İ", "€", "𝄞", "ñandú"]
_WORDS += ["abcdefgh", "abcdefghi", "abcdefghj", "abcdefghXY"]


def write(path: Path, data: bytes, fmt: str | None = None) -> Path:
    path.write_bytes(_COMPRESS[fmt](data) if fmt else data)
    return path


def cache_bytes(s: Scan) -> bytes:
    s.cache.seek(0)
    return s.cache.read()


def assert_same_as_python(corpus: TextCorpus, max_vocab: int | None = None, tmp_dir=None) -> Scan:
    """scan_files(corpus) equals scan_sentences(corpus) in every field and cache byte."""
    fast = fastscan.scan_files(corpus, max_vocab=max_vocab, tmp_dir=tmp_dir)
    assert fast is not None
    slow = scan(corpus, max_vocab=max_vocab, tmp_dir=tmp_dir)
    try:
        assert fast.words == slow.words
        assert fast.counts.dtype == slow.counts.dtype == np.int64
        np.testing.assert_array_equal(fast.counts, slow.counts)
        assert (fast.n_tokens, fast.n_sentences) == (slow.n_tokens, slow.n_sentences)
        assert fast.pruned is slow.pruned is False
        assert cache_bytes(fast) == cache_bytes(slow)
        assert fast.fingerprint == slow.fingerprint
    finally:
        slow.cache.close()
        fast.cache.close()
    return fast


# --------------------------------------------------------------------------- equality


def test_shipped_corpus_matches_python_scan():
    fast = assert_same_as_python(TextCorpus(default_corpus_path()))
    assert fast.n_tokens > 1_000_000


def test_shipped_corpus_with_short_sentences_and_tiny_tables(tmp_path):
    with (
        mock.patch.object(fastscan, "_INITIAL_WORDS", 1),
        mock.patch.object(fastscan, "_BLOCK_SIZE", 1 << 16),
    ):
        assert_same_as_python(
            TextCorpus(default_corpus_path(), max_sentence_length=7), tmp_dir=str(tmp_path)
        )


_pieces = st.sampled_from(_WORDS + _SPACES + _NEAR_SPACES + ["\n", "\n", "\r\n", "  "])
_texts = st.lists(_pieces, max_size=80).map("".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=_texts,
    block_size=st.integers(1, 9),
    max_len=st.integers(1, 5),
    lowercase=st.booleans(),
    initial_words=st.sampled_from([1, 2, 1 << 15]),
)
def test_random_text_matches_python_scan(
    tmp_path, text, block_size, max_len, lowercase, initial_words
):
    path = write(tmp_path / "h.txt", text.encode())
    corpus = TextCorpus(path, lowercase=lowercase, max_sentence_length=max_len)
    with (
        mock.patch.object(fastscan, "_BLOCK_SIZE", block_size),
        mock.patch.object(fastscan, "_INITIAL_WORDS", initial_words),
    ):
        assert_same_as_python(corpus)


def test_whitespace_is_exactly_what_str_split_splits_on(tmp_path):
    # Outside ASCII, whitespace characters start with byte C2, E1, E2 or E3 in UTF-8 ...
    leads = {0xC2, 0xE1, 0xE2, 0xE3}
    assert all(
        not chr(c).isspace()
        for c in range(0x80, sys.maxunicode + 1)
        if not 0xD800 <= c < 0xE000 and chr(c).encode()[0] not in leads
    )
    assert sorted(_SPACES) == sorted(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    # ... so every character that could be one is tried between two letters.
    candidates = [*range(0x80), *range(0x80, 0xC0), *range(0x1000, 0x4000)]
    text = "".join(f"x{chr(c)}y\n" for c in candidates)
    path = write(tmp_path / "ws.txt", text.encode())
    fast = assert_same_as_python(TextCorpus(path))
    assert fast.n_tokens == 2 * sum(chr(c).isspace() for c in candidates) + sum(
        not chr(c).isspace() for c in candidates
    )


def test_lines_without_newline_at_end_of_each_file_stay_apart(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    write(root / "a.txt", b"one two\r\nthree")
    write(root / "b.txt.gz", "four é\n\nfive six seven".encode(), "gz")
    write(root / "sub" / "c.bz2", b"eight\n" * 100, "bz2")
    write(root / "sub" / "d.xz", "nine\u3000ten".encode(), "xz")
    write(root / ".hidden", b"never read")
    write(root / "empty.txt", b"")
    with mock.patch.object(fastscan, "_BLOCK_SIZE", 5):
        fast = assert_same_as_python(TextCorpus(root, max_sentence_length=2))
    assert fast.n_sentences == 1 + 1 + 1 + 2 + 100 + 1


def test_tokens_longer_than_many_blocks_are_kept_whole(tmp_path):
    huge = "é" * 5000
    path = write(tmp_path / "t.txt", f"a {huge} b\n{huge}x {huge}".encode())
    with mock.patch.object(fastscan, "_BLOCK_SIZE", 7):
        fast = assert_same_as_python(TextCorpus(path))
    assert fast.words == ["a", huge, "b", huge + "x"]


def test_long_tokens_sharing_their_first_8_bytes_stay_distinct(tmp_path):
    words = ["abcdefgh", "abcdefghi", "abcdefghj", "abcdefghij", "abcdefghji", "abcdefgh€", "ab"]
    path = write(tmp_path / "p.txt", " ".join(words * 3).encode())
    fast = assert_same_as_python(TextCorpus(path))
    assert fast.words == words
    assert fast.counts.tolist() == [3] * len(words)


def test_same_slot_same_head_and_length_are_told_apart_by_the_bytes(tmp_path):
    # 9-byte tokens that differ only in byte 8, past the packed 8-byte head: of 18,
    # at least two pick the same slot of an 8-slot table, and then only comparing
    # the stored bytes tells them apart.
    def slot(token: bytes) -> int:
        data = np.frombuffer(token, dtype=np.uint8)
        return int(fastscan._token(data, 0, len(data), True)[2]) & 7

    by_slot: dict[int, list[bytes]] = {}
    for c in b"ijklmnopqrstuvwxyz":
        token = b"abcdefgh" + bytes([c])
        by_slot.setdefault(slot(token), []).append(token)
    first, second = next(tokens for tokens in by_slot.values() if len(tokens) > 1)[:2]
    path = write(tmp_path / "s.txt", b" ".join([first, second, second, first, second]))
    with mock.patch.object(fastscan, "_INITIAL_WORDS", 4):  # 8 slots, no growth for 2 words
        fast = assert_same_as_python(TextCorpus(path))
    assert fast.words == [first.decode(), second.decode()]
    assert fast.counts.tolist() == [2, 3]


def test_lowercase_ascii_matches_python_scan(tmp_path):
    path = write(tmp_path / "l.txt", b"The THE the\tApple\napple APPLE\x1fZ\n")
    fast = assert_same_as_python(TextCorpus(path, lowercase=True))
    assert fast.words == ["the", "apple", "z"]
    assert fast.counts.tolist() == [3, 3, 1]


def test_empty_and_blank_files_give_an_empty_scan(tmp_path):
    (tmp_path / "e").mkdir()
    write(tmp_path / "e" / "a.txt", b"")
    write(tmp_path / "e" / "b.txt", " \n\r\n\t\u3000\n".encode())
    fast = assert_same_as_python(TextCorpus(tmp_path / "e"))
    assert (fast.words, fast.n_tokens, fast.n_sentences) == ([], 0, 0)


def test_max_vocab_reached_but_not_exceeded_matches(tmp_path):
    path = write(tmp_path / "v.txt", b"a b c\nd e a\n")
    assert_same_as_python(TextCorpus(path), max_vocab=5)


def test_errors_replace_matches_python_scan(tmp_path):
    path = write(tmp_path / "r.txt", b"ok \xff\xfe bad\xc3 \xe2\x82\n\xe2\x80\x80x\xc2")
    with mock.patch.object(fastscan, "_BLOCK_SIZE", 3):
        fast = assert_same_as_python(TextCorpus(path, errors="replace"))
    assert "\ufffd\ufffd" in fast.words


@pytest.mark.parametrize("block_size", [1, 2, 3, 4, 1 << 22])
@pytest.mark.parametrize("errors", ["strict", "replace", "ignore"])
def test_a_byte_order_mark_is_dropped_as_the_python_reader_drops_it(tmp_path, block_size, errors):
    bom = b"\xef\xbb\xbf"
    (tmp_path / "d").mkdir()
    write(tmp_path / "d" / "1.txt", bom + b"first word\n" + bom + b"kept\n")
    write(tmp_path / "d" / "2.txt.gz", bom + b"first again\n", "gz")
    with mock.patch.object(fastscan, "_BLOCK_SIZE", block_size):
        fast = assert_same_as_python(TextCorpus(tmp_path / "d", errors=errors))
    assert fast.words == ["first", "word", "\ufeffkept", "again"]


def test_errors_ignore_matches_python_scan(tmp_path):
    path = write(tmp_path / "r.txt", b"ok \xff\xfe bad\xc3 \xe2\x82\n\xe2\x80\x80x\xc2")
    with mock.patch.object(fastscan, "_BLOCK_SIZE", 3):
        fast = assert_same_as_python(TextCorpus(path, errors="ignore"))
    assert fast.words == ["ok", "bad", "x"]


# --------------------------------------------------------------------------- errors

_raw_bytes = st.lists(
    st.sampled_from(
        [b"a", b" ", b"\n", b"\xc3\xa9", b"\xe2\x80\x80", b"\xf0\x9d\x84\x9e"]
        + [b"\xff", b"\xc3", b"\xe2\x82", b"\x80", b"\xc2", b"\xe3\x80"]
        + [b"\xef\xbb\xbf", b"\xef\xbb"]  # a byte-order mark (dropped only at the start)
    ),
    max_size=40,
).map(b"".join)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=_raw_bytes,
    block_size=st.integers(1, 7),
    errors=st.sampled_from(["strict", "replace", "ignore"]),
)
def test_invalid_utf8_raises_what_the_python_path_raises(tmp_path, data, block_size, errors):
    path = write(tmp_path / "b.txt", data)
    corpus = TextCorpus(path, errors=errors)
    try:
        scan(corpus).cache.close()
    except CorpusError as exc:
        expected = str(exc)
    else:
        expected = None
    with mock.patch.object(fastscan, "_BLOCK_SIZE", block_size):
        if expected is None:
            assert_same_as_python(corpus)
        else:
            with pytest.raises(CorpusError) as info:
                fastscan.scan_files(corpus, max_vocab=None, tmp_dir=None)
            assert str(info.value) == expected


def test_invalid_utf8_in_compressed_later_block_names_file_and_offset(tmp_path):
    data = "ünïcödé\n".encode() * 500 + b"tail \x80 end"
    bad_at = data.index(b"\x80 end")
    path = write(tmp_path / "c.txt.gz", data, "gz")
    with mock.patch.object(fastscan, "_BLOCK_SIZE", 1000):
        with pytest.raises(CorpusError) as info:
            fastscan.scan_files(TextCorpus(path), max_vocab=None, tmp_dir=None)
    assert str(info.value).startswith(
        f"{path}: invalid UTF-8 at byte {bad_at} of the decompressed gzip"
    )


def test_corrupt_compressed_file_is_a_corpus_error(tmp_path):
    path = tmp_path / "bad.gz"
    path.write_bytes(gzip.compress(b"word " * 1000)[:-30])
    with pytest.raises(CorpusError, match="corrupt or truncated gzip"):
        fastscan.scan_files(TextCorpus(path), max_vocab=None, tmp_dir=None)


# --------------------------------------------------------------------------- pruning


def assert_prunes_as_python(corpus: TextCorpus, max_vocab: int) -> Scan:
    """With more than ``max_vocab`` distinct tokens the compiled scan prunes as the Python
    scan does (word2vec C's ReduceVocab after the sentence that overflows): same words,
    counts, token and sentence counts and fingerprint, and no id cache."""
    fast = fastscan.scan_files(corpus, max_vocab=max_vocab, tmp_dir=None)
    assert fast is not None
    slow = scan(corpus, max_vocab=max_vocab, tmp_dir=None)
    assert fast.words == slow.words
    np.testing.assert_array_equal(fast.counts, slow.counts)
    assert (fast.n_tokens, fast.n_sentences) == (slow.n_tokens, slow.n_sentences)
    assert fast.pruned is slow.pruned
    assert fast.fingerprint == slow.fingerprint
    if slow.pruned:
        assert fast.cache is slow.cache is None
    else:
        assert cache_bytes(fast) == cache_bytes(slow)
        fast.cache.close()
        slow.cache.close()
    return fast


def test_more_distinct_tokens_than_max_vocab_are_pruned_in_the_compiled_scan(tmp_path):
    path = write(tmp_path / "v.txt", b"a b c\nd e f\na a b\ng h\n")
    fast = assert_prunes_as_python(TextCorpus(path), max_vocab=5)
    assert fast.pruned and fast.words == ["a", "b", "g", "h"]  # all dropped after "d e f"
    assert not assert_prunes_as_python(TextCorpus(path), max_vocab=8).pruned


def test_shipped_corpus_pruned_matches_python_scan():
    with mock.patch.object(fastscan, "_INITIAL_WORDS", 64):
        fast = assert_prunes_as_python(
            TextCorpus(default_corpus_path(), max_sentence_length=50), max_vocab=3000
        )
    assert fast.pruned and len(fast.words) <= 3000


_prune_words = st.sampled_from(_WORDS + [f"w{i}" for i in range(12)])
_prune_lines = st.lists(st.lists(_prune_words, max_size=6).map(" ".join), max_size=25)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=_prune_lines,
    block_size=st.integers(1, 9),
    max_len=st.integers(1, 5),
    max_vocab=st.integers(2, 8),
    initial_words=st.sampled_from([1, 2, 1 << 15]),
)
def test_random_text_prunes_as_python_scan(
    tmp_path, lines, block_size, max_len, max_vocab, initial_words
):
    path = write(tmp_path / "p.txt", "\n".join(lines).encode())
    corpus = TextCorpus(path, max_sentence_length=max_len)
    with (
        mock.patch.object(fastscan, "_BLOCK_SIZE", block_size),
        mock.patch.object(fastscan, "_INITIAL_WORDS", initial_words),
    ):
        assert_prunes_as_python(corpus, max_vocab)


def test_a_pruned_file_corpus_is_read_twice(tmp_path, monkeypatch):
    """Counting, then encoding with the final vocabulary: two reads of the text, not three
    (the compiled scan used to give up on pruning and the Python scan read it again)."""
    from wordvec import Word2Vec

    text = _forty_words("w")
    path = write(tmp_path / "p.txt", (text + "\n" + "the a " * 200).encode())
    opened = _count_opens(monkeypatch)
    model = Word2Vec(dim=4, epochs=1, min_count=1, max_vocab=10, threads=1).fit(path)
    assert model.vocab_.total > 0
    assert opened == [str(path), str(path)]


def _forty_words(prefix: str) -> str:
    """300 lines over 40 words: more distinct words than a max_vocab of 10 holds."""
    words = [f"{prefix}{i}" for i in range(40)]
    return "\n".join(" ".join(words[j % 40] for j in range(i, i + 9)) for i in range(300))


def _count_opens(monkeypatch) -> list[str]:
    """The paths the text stage opens from now on (the scanner's and the reader's)."""
    from wordvec.text import corpus as corpus_module

    opened: list[str] = []
    real_open = corpus_module.open_file

    def counting_open(p):
        opened.append(str(p))
        return real_open(p)

    monkeypatch.setattr(corpus_module, "open_file", counting_open)
    monkeypatch.setattr(fastscan, "open_file", counting_open)
    return opened


def test_a_line_holding_a_newline_is_left_to_the_python_pass():
    assert fastscan.scan_lines(["a b", "c\nd"], max_len=9, max_vocab=None) is None


_line_pieces = [p for p in _WORDS + _SPACES + _NEAR_SPACES if p != "\n"]
_lines = st.one_of(  # all ASCII, or anything but "\n"
    *(
        st.lists(st.lists(st.sampled_from(kinds), max_size=8).map("".join), max_size=30)
        for kinds in ([p for p in _line_pieces if p.isascii()], _line_pieces)
    )
)


@settings(max_examples=200, deadline=None)
@given(
    lines=_lines,
    max_len=st.integers(1, 5),
    max_vocab=st.one_of(st.none(), st.integers(2, 8)),
    lowercase=st.booleans(),
)
def test_lines_scan_as_the_python_pass_over_their_tokens(lines, max_len, max_vocab, lowercase):
    """scan_lines: str lines (Spark's rows) through the compiled scanner, pruned or not."""
    with mock.patch.object(fastscan, "_LINES_PER_BLOCK", 4):
        fast = fastscan.scan_lines(lines, max_len=max_len, max_vocab=max_vocab, lowercase=lowercase)
    sentences = [p for line in lines for p in pieces(tokenise(line, lowercase), max_len)]
    slow = scan(sentences, max_vocab=max_vocab)
    assert fast.words == slow.words
    np.testing.assert_array_equal(fast.counts, slow.counts)
    assert (fast.n_tokens, fast.n_sentences, fast.pruned) == (
        slow.n_tokens, slow.n_sentences, slow.pruned
    )  # fmt: skip
    assert fast.fingerprint == slow.fingerprint
    if not slow.pruned:
        assert cache_bytes(fast) == cache_bytes(slow)
        fast.cache.close()
        slow.cache.close()


# --------------------------------------------------------------------------- fallbacks


def test_not_applicable_returns_none(tmp_path):
    for corpus in (TextCorpus([["a", "b"], ["c"]]), TextCorpus("-")):
        assert fastscan.scan_files(corpus, max_vocab=None, tmp_dir=None) is None
    assert fastscan.scan_files([["a"]], max_vocab=None, tmp_dir=None) is None


@pytest.mark.parametrize("block_size", [1, 3, 16, 1 << 16])
def test_lowercase_with_non_ascii_text_matches_python_scan(tmp_path, block_size):
    # str.lower() maps "É" to "é", the Kelvin sign to ASCII "k", "İ" to two characters and
    # a word-final capital sigma to "ς" (context-dependent): no byte mapping, so the text
    # is lowered token by token from where the first non-ASCII byte appears.
    text = "A b\n" * 100 + "\u212a É ΑΣ ΑΣΑ xΣ\u0301 İİ\n" * 3 + "ΟΔΟΣ\tABC Σ\n"
    path = write(tmp_path / "u.txt", text.encode())
    with mock.patch.object(fastscan, "_BLOCK_SIZE", block_size):
        fast = assert_same_as_python(TextCorpus(path, lowercase=True))
    assert "ας" in fast.words and "οδος" in fast.words and "k" in fast.words


def test_a_pruned_lowercased_non_ascii_corpus_is_read_twice(tmp_path, monkeypatch):
    """The compiled scan used to give up on lowercasing text beyond ASCII: a pruned
    corpus was then read three times (the scanner's try, the Python scan, encoding)."""
    from wordvec import Word2Vec

    path = write(tmp_path / "p.txt", _forty_words("Wé").encode())
    opened = _count_opens(monkeypatch)
    model = Word2Vec(dim=4, epochs=1, min_count=1, max_vocab=10, threads=1, lowercase=True)
    model.fit(path)
    assert all(w == w.lower() for w in model.vocab_.words)
    assert opened == [str(path), str(path)]
