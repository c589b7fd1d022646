"""The vocabulary stage: Vocab.from_counts and Vocab.grow (counts in, Vocab out)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wordvec.errors import CorpusError
from wordvec.vocab import Vocab, select


def test_from_counts_sorts_by_count_keeping_the_given_order_of_ties():
    v = Vocab.from_counts(["c", "a", "b", "d", "e"], [2, 5, 2, 9, 1], min_count=2)
    assert v.words == ["d", "a", "c", "b"]
    assert v.counts.tolist() == [9, 5, 2, 2]
    assert v.counts.dtype == np.int64
    assert v.index == {"d": 0, "a": 1, "c": 2, "b": 3}


def test_from_counts_max_final_vocab_keeps_the_most_frequent():
    v = Vocab.from_counts(["x", "y", "z"], np.array([1, 3, 2], np.int32), min_count=1,
                          max_final_vocab=2)  # fmt: skip
    assert v.words == ["y", "z"]


def test_from_counts_says_why_nothing_is_left():
    with pytest.raises(CorpusError, match="the corpus is empty"):
        Vocab.from_counts([], np.zeros(0, np.int64), min_count=1)
    with pytest.raises(CorpusError, match=r"min_count=3 times \(2 distinct words in 3 tokens\)"):
        Vocab.from_counts(["a", "b"], [2, 1], min_count=3)
    with pytest.raises(CorpusError, match="after pruning"):
        Vocab.from_counts(["a"], [1], min_count=3, n_tokens=50, pruned=True)


@pytest.mark.parametrize(
    "words,counts,match",
    [
        (["a", "b"], [1], "one count per word"),
        (["a"], [1.5], "int array"),
        (["a", "b"], [1, -1], ">= 0"),
        (["a", "b", "a"], [3, 2, 1], "'a' occurs twice"),
    ],
)
def test_from_counts_refuses_counts_that_do_not_fit_the_words(words, counts, match):
    with pytest.raises(ValueError, match=match):
        Vocab.from_counts(words, counts, min_count=1)


def test_grow_adds_counts_and_appends_new_words_after_the_old_ids():
    v = Vocab.from_counts(["a", "b", "c"], [10, 6, 5], min_count=1)
    g = v.grow(["n1", "b", "n2", "rare", "n3", "a"], [4, 1, 7, 1, 4, 2], min_count=2)
    # old ids unchanged; new words most frequent first, ties (n1, n3) in the given order
    assert g.words == ["a", "b", "c", "n2", "n1", "n3"]
    assert g.counts.tolist() == [12, 7, 5, 7, 4, 4]
    assert all(g.index[w] == i for i, w in enumerate(g.words))
    # the vocabulary grown from is unchanged
    assert v.words == ["a", "b", "c"] and v.counts.tolist() == [10, 6, 5]
    assert "n1" not in v.index


def test_grow_with_only_known_or_rare_words_only_adds_counts():
    v = Vocab.from_counts(["a", "b"], [3, 2], min_count=1)
    g = v.grow(["b", "new"], [5, 1], min_count=2)
    assert g.words == ["a", "b"]
    assert g.counts.tolist() == [3, 7]


def test_ids_maps_unknown_words_to_minus_one():
    v = Vocab.from_counts(["a", "b"], [3, 2], min_count=1)
    assert v.ids(["b", "zz", "a"]).tolist() == [1, -1, 0]
    assert v.ids([]).dtype == np.int64


@settings(max_examples=300, deadline=None)
@given(
    counts=st.lists(st.integers(0, 6), max_size=30),
    min_count=st.integers(0, 4),
    max_final_vocab=st.one_of(st.none(), st.integers(1, 12)),
    ties=st.sampled_from(["first", "last"]),
    cap=st.sampled_from(["cut", "min_count"]),
    sort=st.booleans(),
)
def test_select_follows_the_rules_it_is_given(counts, min_count, max_final_vocab, ties, cap, sort):
    """The vocabulary rules as parameters, against a plain reading of each rule."""
    n = len(counts)
    applied = min_count
    if cap == "min_count" and max_final_vocab is not None and max_final_vocab < n:
        beyond = sorted(counts, reverse=True)[max_final_vocab]  # first word past the cap
        applied = max(beyond + 1, min_count)
    kept = [i for i in range(n) if counts[i] >= applied]
    if sort:
        tie = (lambda i: i) if ties == "first" else (lambda i: -i)
        kept.sort(key=lambda i: (-counts[i], tie(i)))
    if cap == "cut" and max_final_vocab is not None:
        kept = kept[:max_final_vocab]
    got, got_min = select(
        np.array(counts, dtype=np.int64),
        min_count=min_count,
        max_final_vocab=max_final_vocab,
        ties=ties,
        cap=cap,
        sort=sort,
    )
    assert got.tolist() == kept
    assert got_min == applied


def test_from_counts_takes_gensims_rules_as_parameters():
    words, counts = ["a", "b", "c", "d"], [2, 3, 2, 1]
    vocab = Vocab.from_counts(
        words, counts, min_count=1, max_final_vocab=2, ties="last", cap="min_count"
    )
    assert vocab.words == ["b"]  # the cap raises min_count to 3: both words of count 2 go
    vocab = Vocab.from_counts(words, counts, min_count=1, ties="last")
    assert vocab.words == ["b", "c", "a", "d"]  # ties: the later word first
