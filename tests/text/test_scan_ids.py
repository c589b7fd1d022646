"""Scanning a corpus that holds its tokens as ids (a phrased corpus) gives the scan of
its strings: same words, counts, token and sentence counts, cache bytes, fingerprint."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import wordvec.text.scan as scan_module
from wordvec.phrases import Phrases
from wordvec.text.corpus import TextCorpus
from wordvec.text.scan import SENTENCE_END, scan, scan_sentences, scan_token_ids

NAMES = ["a", "b", "New", "york", "x_y", "Σa", "é", "c"]


def _cache(s) -> bytes:
    s.cache.seek(0)
    return s.cache.read()


def _same(got, want) -> None:
    assert got.words == want.words
    assert got.counts.tolist() == want.counts.tolist()
    assert got.counts.dtype == want.counts.dtype
    assert (got.n_tokens, got.n_sentences) == (want.n_tokens, want.n_sentences)
    assert got.identity == want.identity
    assert got.pruned is want.pruned is False
    assert _cache(got) == _cache(want)


@settings(max_examples=300, deadline=None)
@given(
    sentences=st.lists(st.lists(st.integers(0, len(NAMES) - 1), max_size=9), max_size=12),
    cuts=st.lists(st.integers(0, 12), max_size=4),
    max_len=st.integers(1, 5),
    max_vocab=st.one_of(st.none(), st.integers(1, len(NAMES))),
    lowercase=st.booleans(),
)
def test_ids_scan_like_their_strings(sentences, cuts, max_len, max_vocab, lowercase):
    stream = [i for s in sentences for i in [*s, SENTENCE_END]]
    ends = [k for k, i in enumerate(stream) if i == SENTENCE_END]
    bounds = sorted({ends[c] + 1 for c in cuts if c < len(ends)} | {len(stream)})
    chunks, lo = [], 0
    for hi in bounds:
        if hi > lo:
            chunks.append(np.array(stream[lo:hi], dtype=np.int32))
        lo = hi
    text = [[NAMES[i] for i in s] for s in sentences]
    corpus = TextCorpus(text, max_sentence_length=max_len, lowercase=lowercase)
    with scan_sentences(corpus, max_vocab=max_vocab) as want:
        got = scan_token_ids(
            NAMES, chunks, max_len=max_len, lowercase=lowercase, max_vocab=max_vocab
        )
        if got is None:  # only where the ids cannot stand for the strings
            used = {NAMES[i] for s in sentences for i in s}
            assert want.pruned or (lowercase and any(n != n.lower() for n in NAMES)), used
            return
        with got:
            _same(got, want)


def test_a_phrased_corpus_is_scanned_from_its_ids(tmp_path):
    lines = ["new york is big", "i love new york", "new york new york", "a b c"] * 30
    path = tmp_path / "c.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Phrases(passes=1, min_count=2, threshold=0.1).fit_corpus(str(path)) as phrased:
        assert any("new_york" in s for s in phrased)
        corpus = TextCorpus(phrased, max_sentence_length=3)
        spy = mock.Mock(wraps=scan_module.scan_token_ids)
        with mock.patch.object(scan_module, "scan_token_ids", spy):
            with scan(corpus) as got, scan_sentences(corpus) as want:
                _same(got, want)
        assert spy.call_count == 1
