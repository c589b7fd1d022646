"""The encoded-corpus stage: its constructors from ids, and the in-memory encoding and remap
(what Spark's executors encode with)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wordvec.encoded import SENTENCE_END, EncodedCorpus, encode_sentences, id_stream, remap_ids
from wordvec.errors import CorpusError
from wordvec.vocab import Vocab


@settings(max_examples=200, deadline=None)
@given(
    sentences=st.lists(st.lists(st.integers(0, 7), max_size=6), max_size=8),
    final=st.lists(st.integers(-1, 5), min_size=8, max_size=8),
)
def test_remap_ids_is_the_naive_lookup(sentences, final):
    stream = [i for s in sentences for i in [*s, SENTENCE_END]]
    got = remap_ids(np.array(stream, dtype=np.int32), np.array(final, dtype=np.int64))
    assert got.dtype == np.int32
    expected = [
        SENTENCE_END if p == SENTENCE_END else final[p]
        for p in stream
        if p == SENTENCE_END or final[p] >= 0
    ]
    assert got.tolist() == expected


def _chunks(enc, chunk_tokens):
    return [c.tolist() for c in enc.chunks(chunk_tokens)]


@settings(max_examples=100, deadline=None)
@given(
    sentences=st.lists(st.lists(st.integers(0, 6), max_size=7), max_size=30),
    chunk_tokens=st.integers(1, 40),
)
def test_from_ids_per_sentence_or_flat_gives_the_same_stream(sentences, chunk_tokens):
    flat = id_stream(sentences)
    assert flat.dtype == np.int32
    assert flat.tolist() == [i for s in sentences for i in [*s, SENTENCE_END]]
    with EncodedCorpus.from_ids(sentences, 7) as a, EncodedCorpus.from_ids(flat, 7) as b:
        assert a.n_words == b.n_words == sum(map(len, sentences))
        got = _chunks(a, chunk_tokens)
        assert got == _chunks(b, chunk_tokens)
        assert [i for c in got for i in c] == flat.tolist()  # nothing lost or added
        assert all(c[-1] == SENTENCE_END and len(c) for c in got)


def test_encode_is_from_ids_of_the_encoded_sentences_without_empty_ones(tmp_path):
    vocab = Vocab(["a", "b", "c"], np.array([5, 3, 1], dtype=np.int64))
    sentences = [["a", "x", "c"], ["y"], [], ["b", "b"]]
    assert list(encode_sentences(sentences, vocab.index)) == [[0, 2], [], [], [1, 1]]
    with EncodedCorpus.encode(sentences, vocab, str(tmp_path)) as enc:
        assert enc.n_words == 4
        assert _chunks(enc, 100) == [[0, 2, SENTENCE_END, 1, 1, SENTENCE_END]]


@pytest.mark.parametrize("bad", [[[0, 3]], np.array([0, SENTENCE_END, -5], np.int32)])
def test_from_ids_refuses_an_id_outside_the_vocabulary(bad):
    with pytest.raises(CorpusError, match=r"id (3|-5) is not in the vocabulary of 3 words"):
        EncodedCorpus.from_ids(bad, 3)
