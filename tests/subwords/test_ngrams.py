"""The n-gram definition against fastText's (via gensim's implementation of it) and by hand."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.errors import ConfigError
from wordvec.subwords import (
    EOS,
    check_ngram_params,
    fnv1a,
    ngram_hashes,
    ngram_strings,
    ngram_table,
    oov_rows,
    word_rows,
)

WORDS = ["where", "the", "a", "naïve", "日本語", "x", "über-long-hyphenated", "</s>", "é"]


def test_where_ngrams_in_fasttext_order():
    assert ngram_strings("where", 3, 4) == [
        "<wh", "<whe", "whe", "wher", "her", "here", "ere", "ere>", "re>",
    ]  # fmt: skip


def test_one_grams_skip_the_brackets():
    assert ngram_strings("ab", 1, 1) == ["a", "b"]
    assert ngram_strings("é", 1, 2) == ["<é", "é", "é>"]  # one character of two bytes


def test_fnv1a_by_hand_and_signed_bytes():
    assert fnv1a(b"") == 2166136261
    assert fnv1a(b"a") == ((2166136261 ^ 0x61) * 16777619) & 0xFFFFFFFF
    # a byte >= 0x80 is a signed char in fastText: it enters as 0xFFFFFF80, not 0x80
    assert fnv1a(b"\x80") == ((2166136261 ^ 0xFFFFFF80) * 16777619) & 0xFFFFFFFF
    assert fnv1a(b"\x80") != ((2166136261 ^ 0x80) * 16777619) & 0xFFFFFFFF


def test_hashes_and_ngrams_match_gensim_fasttext():
    ft = pytest.importorskip("gensim.models.fasttext")
    for word in WORDS[:-3] + ["é", "ÀÉÎõü", "a\u0301"]:
        for minn, maxn in [(3, 6), (1, 3), (2, 2)]:
            theirs = ft.compute_ngrams_bytes(word, minn, maxn)
            assert [s.decode() for s in theirs] == ngram_strings(word, minn, maxn), word
            assert [ft.ft_hash_bytes(s) for s in theirs] == ngram_hashes(word, minn, maxn), word


def test_table_equals_per_word_rows():
    bucket = 1000
    offsets, rows = ngram_table(WORDS, 3, 6, bucket)
    assert rows.dtype == np.int32 and offsets[0] == 0 and offsets[-1] == len(rows)
    for i, w in enumerate(WORDS):
        got = rows[offsets[i] : offsets[i + 1]]
        np.testing.assert_array_equal(got, word_rows(w, i, len(WORDS), 3, 6, bucket))
        assert got[0] == i
        assert np.all(got[1:] >= len(WORDS)) and np.all(got[1:] < len(WORDS) + bucket)
    eos = WORDS.index(EOS)
    assert offsets[eos + 1] - offsets[eos] == 1  # </s> is its own row only


def test_no_ngrams_when_maxn_zero():
    offsets, rows = ngram_table(WORDS, 0, 0, 0)
    np.testing.assert_array_equal(offsets, np.arange(len(WORDS) + 1))
    np.testing.assert_array_equal(rows, np.arange(len(WORDS)))
    assert len(oov_rows("whatever", 10, 0, 0, 0)) == 0


def test_oov_rows_are_the_ngrams_only():
    r = oov_rows("where", 7, 3, 6, 100)
    assert len(r) == len(ngram_strings("where", 3, 6))
    np.testing.assert_array_equal(r, 7 + np.array(ngram_hashes("where", 3, 6)) % 100)
    assert len(oov_rows(EOS, 7, 3, 6, 100)) == 0


@pytest.mark.parametrize(
    "minn,maxn,bucket",
    [(-1, 3, 10), (4, 3, 10), (0, 3, 10), (3, 6, 0), (3, 6, 2**31), (3.0, 6, 10), (True, 6, 10)],
)
def test_bad_params_are_one_line(minn, maxn, bucket):
    with pytest.raises(ConfigError, match="minn|maxn|bucket"):
        check_ngram_params(minn, maxn, bucket)
