"""The vocabulary's tables against from-scratch constructions: Huffman paths and codes,
sub-sampling thresholds, the noise distribution and its alias table."""

from __future__ import annotations

import heapq

import numpy as np
import pytest
from _replay import huffman, keep_thresholds

from wordvec.vocab import Vocab


def _vocab(counts) -> Vocab:
    counts = np.asarray(counts, np.int64)
    return Vocab([f"w{i}" for i in range(len(counts))], counts)


def _paths(vocab: Vocab):
    points, codes, offsets = vocab.huffman()
    for w in range(len(vocab)):
        lo, hi = offsets[w], offsets[w + 1]
        yield points[lo:hi].tolist(), codes[lo:hi].tolist()


def _tie_free_counts(rng, n: int) -> np.ndarray:
    while True:
        counts = np.sort(rng.choice(np.arange(1, 40 * n), n, replace=False))[::-1]
        try:
            huffman(counts)
        except ValueError:
            continue
        return counts


@pytest.mark.parametrize("n", [2, 3, 7, 12, 40])
def test_huffman_paths_and_codes_equal_a_from_scratch_build(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        counts = _tie_free_counts(rng, n)
        paths, codes = huffman(counts)
        got = list(_paths(_vocab(counts)))
        assert [p for p, _ in got] == paths
        assert [c for _, c in got] == codes


def _optimal_cost(counts) -> int:
    heap = [int(c) for c in counts]
    heapq.heapify(heap)
    cost = 0
    while len(heap) > 1:
        merged = heapq.heappop(heap) + heapq.heappop(heap)
        cost += merged
        heapq.heappush(heap, merged)
    return cost


@pytest.mark.parametrize(
    "counts",
    [[5, 5, 5, 5], [8, 4, 2, 2, 1, 1], [3, 3, 2, 2, 2, 1, 1, 1], [1] * 9, [100, 1, 1, 1, 1]],
)
def test_huffman_with_ties_is_an_optimal_prefix_code_over_consistent_nodes(counts):
    v = len(counts)
    got = list(_paths(_vocab(counts)))
    lengths = [len(p) for p, _ in got]
    assert sum(c * n for c, n in zip(counts, lengths, strict=True)) == _optimal_cost(counts)
    words = ["".join(map(str, c)) for _, c in got]
    assert len(set(words)) == v
    assert not any(a != b and b.startswith(a) for a in words for b in words)  # prefix-free
    node_of: dict[str, int] = {}  # every proper prefix is one inner node, the same for all
    for path, code in got:
        for depth, node in enumerate(path):
            assert node_of.setdefault("".join(map(str, code[:depth])), node) == node
    assert sorted(node_of.values()) == list(range(v - 1))


def test_keep_thresholds_are_word2vecs_formula():
    counts = np.array([90_000, 20_000, 5_000, 700, 120, 30, 4, 1])
    vocab = _vocab(counts)
    for sample in (1e-5, 1e-3, 0.05):
        assert vocab.keep_thresholds(sample).tolist() == keep_thresholds(counts, sample)
    assert (vocab.keep_thresholds(0.0) == 2**32 - 1).all()


@pytest.mark.parametrize("exponent", [0.75, 1.0, 0.0, -0.5, 3.0])
def test_noise_distribution_and_its_alias_table(exponent):
    counts = np.array([5000, 2400, 900, 800, 130, 77, 20, 9, 2, 1])
    vocab = _vocab(counts)
    p = counts.astype(np.float64) ** exponent
    p /= p.sum()
    np.testing.assert_allclose(vocab.noise_distribution(exponent), p, rtol=1e-12)
    # the alias table's own distribution: bucket i (1/V) gives i when the low 32 bits are
    # below accept[i], else alias[i]
    accept, alias = vocab.alias_table(exponent)
    share = accept.astype(np.float64) / 2**32
    q = share.copy()
    np.add.at(q, alias, 1.0 - share)
    q /= len(counts)
    np.testing.assert_allclose(q, p, rtol=0, atol=4 / 2**32)
