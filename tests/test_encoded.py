"""The encoded-corpus stage's in-memory remap (what Spark's executors encode with)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wordvec.encoded import SENTENCE_END, remap_ids


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
