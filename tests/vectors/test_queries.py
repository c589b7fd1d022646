"""The query methods native KeyedVectors gained (wordvec.vectors.queries), against float64 NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.errors import ConfigError, UnknownWordError
from wordvec.vectors.keyedvectors import KeyedVectors

V, D = 50, 6


@pytest.fixture
def kv() -> KeyedVectors:
    rng = np.random.default_rng(1)
    vectors = rng.standard_normal((V, D)).astype(np.float32)
    vectors[7] = 0.0  # a zero vector: cosine 0 with everything
    return KeyedVectors([f"w{i}" for i in range(V)], vectors, np.arange(V, 0, -1))


def cos64(kv, q):
    m = kv.vectors.astype(np.float64)
    n = np.linalg.norm(m, axis=1)
    n[n == 0] = 1
    q = np.asarray(q, np.float64)
    return (m @ q) / n / (np.linalg.norm(q) or 1)


def test_get_vector_is_a_read_only_view_or_a_unit_copy(kv):
    v = kv.get_vector("w3")
    assert not v.flags.writeable and np.shares_memory(v, kv.vectors)
    u = kv.get_vector("w3", norm=True)
    np.testing.assert_allclose(u, kv.vectors[3] / np.linalg.norm(kv.vectors[3]), rtol=1e-6)
    u[0] = 5  # a copy: the cache is untouched
    assert kv.get_normed()[3, 0] != 5
    assert not kv.get_vector("w7", norm=True).any()
    with pytest.raises(UnknownWordError, match="'nope'"):
        kv.get_vector("nope")


def test_similarities_and_similar_by(kv):
    q = kv.vectors[4] * 3 + kv.vectors[9]
    np.testing.assert_allclose(kv.similarities(q), cos64(kv, q), atol=1e-6)
    np.testing.assert_allclose(kv.similarities("w4"), cos64(kv, kv.vectors[4]), atol=1e-6)
    assert kv.similarities("w4", restrict_vocab=10).shape == (10,)
    want = np.argsort(-cos64(kv, q), kind="stable")[:5]
    got = kv.similar_by_vector(q, topn=5)
    assert [w for w, _ in got] == [f"w{i}" for i in want]
    by_word = kv.similar_by_word("w4", topn=4)
    assert by_word == kv.most_similar("w4", topn=4) and "w4" not in dict(by_word)
    with pytest.raises(ConfigError, match="most_similar"):
        kv.similar_by_vector("w4")
    with pytest.raises(ConfigError, match=r"shape \(6,\)"):
        kv.similarities(np.ones(3))


def test_pairwise_distances_and_n_similarity(kv):
    a, b = kv.vectors[2].astype(np.float64), kv.vectors[5].astype(np.float64)
    cos = a @ b / np.linalg.norm(a) / np.linalg.norm(b)
    assert kv.distance("w2", "w5") == pytest.approx(1 - cos, abs=1e-6)
    np.testing.assert_allclose(kv.distances("w2"), 1 - cos64(kv, a), atol=1e-6)
    np.testing.assert_allclose(kv.distances("w2", ["w5", "w2"]), [1 - cos, 0.0], atol=1e-6)
    m1 = kv.vectors[[1, 2]].astype(np.float64).mean(0)
    m2 = kv.vectors[[3, 4, 5]].astype(np.float64).mean(0)
    want = m1 @ m2 / np.linalg.norm(m1) / np.linalg.norm(m2)
    assert kv.n_similarity(["w1", "w2"], ["w3", "w4", "w5"]) == pytest.approx(want, abs=1e-6)
    with pytest.raises(ConfigError, match="non-empty"):
        kv.n_similarity([], ["w1"])
    with pytest.raises(UnknownWordError):
        kv.n_similarity(["w1", "nope"], ["w2"])


def test_cosine_similarities_follows_the_formula():
    got = KeyedVectors.cosine_similarities(np.float32([1, 0]), np.float32([[2, 0], [0, 3], [0, 0]]))
    np.testing.assert_allclose(got[:2], [1.0, 0.0])
    assert np.isnan(got[2])
    with pytest.raises(ConfigError):
        KeyedVectors.cosine_similarities(np.ones(2), np.ones((3, 4)))


def test_closer_than_rank_and_most_similar_to_given(kv):
    sims = cos64(kv, kv.vectors[0])
    for other in ("w1", "w20", "w7"):
        j = int(other[1:])
        want = [f"w{i}" for i in range(1, V) if sims[i] > sims[j]]
        assert kv.closer_than("w0", other) == want
        assert kv.rank("w0", other) == len(want) + 1
    assert kv.rank("w0", kv.most_similar("w0", topn=1)[0][0]) == 1
    cands = ["w3", "w8", "w11"]
    assert kv.most_similar_to_given("w0", cands) == cands[int(np.argmax(sims[[3, 8, 11]]))]
    with pytest.raises(ConfigError):
        kv.most_similar_to_given("w0", [])


def test_add_vectors(kv):
    kv.most_similar("w1")  # fills the cache, which adding must drop
    new = np.float32([[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0]])
    kv.add_vectors(["n1", "w1", "n2"], new)
    assert kv.words[-2:] == ["n1", "n2"] and len(kv) == V + 2
    assert kv.key_to_index["n2"] == V + 1
    np.testing.assert_array_equal(kv["n2"], new[2])
    assert not np.array_equal(kv["w1"], new[1])  # kept: replace=False
    assert list(kv.counts[-2:]) == [0, 0]
    assert kv.most_similar(positive=[np.float32([1, 0, 0, 0, 0, 0])], topn=1)[0][0] == "n1"
    kv.add_vectors(["w1"], new[1:2], replace=True)
    np.testing.assert_array_equal(kv["w1"], new[1])
    assert kv.most_similar(positive=[new[1]], topn=1)[0] == ("w1", pytest.approx(1.0))
    kv.add_vectors(["n3", "n3"], new[:2])  # a repeated new word is added once, last row
    assert kv.words.count("n3") == 1
    np.testing.assert_array_equal(kv["n3"], new[1])
    with pytest.raises(ConfigError, match="shape"):
        kv.add_vectors(["x"], np.ones((1, 3)))
