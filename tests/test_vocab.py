"""Vocabulary: one-pass counting and encoding, min_count, pruning, tables."""

from __future__ import annotations

import mmap

import numpy as np
import pytest

from wordvec.encoded import DROPPED, EncodedCorpus, build
from wordvec.errors import CorpusError
from wordvec.text.scan import SENTENCE_END
from wordvec.text.scan import scan_sentences as scan
from wordvec.vocab import Vocab


def _encoded(sentences, min_count=1, **kw):
    s = scan(sentences, **kw)
    vocab, remap = build(s, min_count=min_count)
    cache = s.cache if s.cache is not None else None
    if cache is None:
        return vocab, EncodedCorpus.encode(sentences, vocab)
    return vocab, EncodedCorpus(cache, remap, vocab.total)


def test_counts_sorted_by_frequency_with_first_seen_ties():
    sents = [["b", "a", "c"], ["a", "c", "a"], ["d"]]
    vocab, enc = _encoded(sents)
    assert vocab.words == ["a", "c", "b", "d"]
    assert vocab.counts.tolist() == [3, 2, 1, 1]
    ids = np.concatenate(list(enc.chunks()))
    assert ids.tolist() == [2, 0, 1, -1, 0, 1, 0, -1, 3, -1]


def test_min_count_drops_words_from_the_stream():
    sents = [["x", "a", "a"], ["y"], ["a", "x"]]
    vocab, enc = _encoded(sents, min_count=2)
    assert vocab.words == ["a", "x"]
    ids = np.concatenate(list(enc.chunks()))
    # "y" is gone; its now-empty sentence still ends, which is harmless
    assert [i for i in ids.tolist() if i != SENTENCE_END] == [1, 0, 0, 0, 1]
    assert enc.n_words == 5


def test_chunks_end_at_sentence_boundaries():
    rng = np.random.default_rng(0)
    sents = [[str(w) for w in rng.integers(0, 50, rng.integers(1, 30))] for _ in range(2000)]
    vocab, enc = _encoded(sents)
    chunks = list(enc.chunks(chunk_tokens=777))
    assert all(c[-1] == SENTENCE_END for c in chunks)
    flat = np.concatenate(chunks)
    expected = []
    for s in sents:
        expected += [vocab.index[w] for w in s] + [SENTENCE_END]
    assert flat.tolist() == expected


def _owner(a):
    while isinstance(a, np.ndarray) and a.base is not None:
        a = a.base
    return a.obj if isinstance(a, memoryview) else a


def test_chunks_live_in_memory_maps_and_match_the_numpy_mapping(tmp_path):
    # the stream of chunks equals remap[cache] without dropped ids, whatever the chunk size
    rng = np.random.default_rng(2)
    raw = rng.integers(-1, 40, 5000).astype(np.int32)
    raw[-1] = SENTENCE_END
    remap = np.full(41, DROPPED, np.int32)
    remap[:40:3] = np.arange(len(remap[:40:3]))
    remap[-1] = SENTENCE_END
    with open(tmp_path / "cache", "w+b") as fh:
        raw.tofile(fh)
        enc = EncodedCorpus(fh, remap, 0)
        expected = remap[raw]
        expected = expected[expected != DROPPED]
        for size in (1, 7, 100, 5000, 10_000):
            chunks = list(enc.chunks(chunk_tokens=size))
            assert np.concatenate(chunks).tolist() == expected.tolist()
            # storage handed back to the system when a chunk is freed, not kept in the heap
            assert all(isinstance(_owner(c), mmap.mmap) for c in chunks[:-1])


def test_corrupt_id_cache_is_an_error_not_a_wild_read(tmp_path):
    remap = np.array([0, 1, SENTENCE_END], np.int32)
    for bad in (7, -5):
        with open(tmp_path / "cache", "w+b") as fh:
            np.array([0, bad, -1], np.int32).tofile(fh)
            with pytest.raises(ValueError, match="outside the provisional vocabulary"):
                list(EncodedCorpus(fh, remap, 0).chunks())
    with open(tmp_path / "cache", "w+b") as fh:
        fh.write(b"\x00" * 6)
        with pytest.raises(CorpusError, match="truncated"):
            list(EncodedCorpus(fh, remap, 0).chunks())


def test_empty_corpus_and_no_word_reaching_min_count_are_clear_errors():
    with pytest.raises(CorpusError, match="empty"):
        build(scan([]), min_count=1)
    with pytest.raises(CorpusError, match="min_count=3"):
        build(scan([["a", "b"], ["a"]]), min_count=3)


def test_pruning_keeps_distinct_tokens_bounded_and_frequent_words_exact():
    rng = np.random.default_rng(1)
    sents = []
    for i in range(3000):
        s = ["the", "of", "and"] * 3 + [f"rare{i}_{j}" for j in range(5)]
        rng.shuffle(s)
        sents.append(list(s))
    s = scan(sents, max_vocab=500)
    assert s.pruned and s.cache is None
    assert len(s.words) <= 500 + 20  # bound holds (plus at most one sentence of new words)
    vocab, _ = build(s, min_count=1)
    top = dict(zip(vocab.words[:3], vocab.counts[:3].tolist(), strict=True))
    assert top == {"the": 9000, "of": 9000, "and": 9000}
    # after pruning the corpus is re-encoded with the final vocabulary
    vocab2, enc = _encoded(sents, max_vocab=500)
    ids = np.concatenate(list(enc.chunks()))
    assert np.count_nonzero(ids >= 0) == enc.n_words == vocab2.total


def test_keep_thresholds_follow_word2vec_formula():
    counts = np.array([10_000, 1000, 100, 10], np.int64)
    vocab = Vocab(list("abcd"), counts)
    t = 1e-3
    total = counts.sum()
    p = (np.sqrt(counts / (t * total)) + 1) * (t * total) / counts
    got = vocab.keep_thresholds(t) / 2.0**32
    np.testing.assert_allclose(got, np.minimum(p, 1), rtol=1e-6, atol=1e-9)
    assert (vocab.keep_thresholds(0) == 2**32 - 1).all()


def test_huffman_tree_is_a_complete_prefix_code_shorter_for_frequent_words():
    rng = np.random.default_rng(2)
    counts = np.sort(rng.integers(1, 10_000, 300))[::-1]
    vocab = Vocab([str(i) for i in range(len(counts))], counts)
    points, codes, offsets = vocab.huffman()
    lengths = np.diff(offsets)
    assert np.isclose(np.sum(2.0 ** -lengths.astype(float)), 1.0)  # Kraft equality: full tree
    assert (np.diff(lengths) >= 0).all()  # counts descending -> lengths non-decreasing
    paths = {tuple(codes[offsets[w] : offsets[w + 1]]) for w in range(len(counts))}
    assert len(paths) == len(counts)  # distinct codes
    for w in range(len(counts)):  # prefix-free: no code is a prefix of another
        c = tuple(codes[offsets[w] : offsets[w + 1]])
        assert not any(p != c and p[: len(c)] == c for p in paths)
    assert (points[offsets[:-1]] == len(counts) - 2).all()  # every path starts at the root
    assert points.max() == len(counts) - 2 and points.min() == 0
    # optimal code: expected length within 1 bit of the entropy
    p = counts / counts.sum()
    assert np.sum(p * lengths) < -np.sum(p * np.log2(p)) + 1


def test_remap_has_the_sentence_end_sentinel_last():
    s = scan([["a", "b", "a"]])
    _, remap = build(s, min_count=2)
    assert remap[-1] == SENTENCE_END
    assert remap[1] == DROPPED
