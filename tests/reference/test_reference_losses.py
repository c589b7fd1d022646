"""Naive softmax and negative sampling: values, gradients, negatives, errors."""

import numpy as np
import pytest
from scipy import stats

from wordvec.reference import (
    UnigramSampler,
    gradcheck,
    make_neg_sampling_loss,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    sample_negatives,
    softmax,
)


def _flat(loss, d, V):
    """f(x) for x = [v_c, U.ravel()] returning the loss and its flattened gradient."""

    def f(x):
        value, g_v, g_U = loss(x[:d], x[d:].reshape(V, d))
        assert g_v.shape == (d,) and g_U.shape == (V, d)
        return value, np.concatenate([g_v, g_U.ravel()])

    return f


# --------------------------------------------------------------------------- naive softmax


@pytest.mark.parametrize("V,d", [(2, 1), (5, 3), (12, 4), (40, 10)])
def test_naive_softmax_gradient(V, d):
    rng = np.random.default_rng(V * 100 + d)
    for _ in range(3):
        x = rng.normal(scale=0.7, size=d + V * d)
        o = int(rng.integers(V))
        f = _flat(lambda v, U, o=o: naive_softmax_loss_and_gradient(v, o, U), d, V)
        assert gradcheck(f, x) < 1e-7


def test_naive_softmax_loss_is_cross_entropy_with_one_hot_y():
    rng = np.random.default_rng(4)
    V, d = 9, 5
    v_c, U = rng.normal(size=d), rng.normal(size=(V, d))
    for o in range(V):
        y = np.zeros(V)
        y[o] = 1.0
        y_hat = softmax(U @ v_c)
        loss, g_v, g_U = naive_softmax_loss_and_gradient(v_c, o, U)
        assert loss == pytest.approx(-np.sum(y * np.log(y_hat)), rel=1e-13)
        np.testing.assert_allclose(g_v, U.T @ (y_hat - y), rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(g_U, np.outer(y_hat - y, v_c), rtol=1e-12, atol=1e-14)


def test_naive_softmax_gradient_vanishes_when_y_hat_equals_y():
    # u_o . v_c exceeds every other score by 1000, so exp(others - max) underflows to exactly
    # 0 in float64: y_hat is exactly the one-hot y, and y_hat - y is exactly zero.
    V, d, o = 6, 4, 2
    v_c = np.array([1.0, 0.0, 0.0, 0.0])
    U = np.random.default_rng(5).normal(size=(V, d))
    U[:, 0] = 0.0
    U[o, 0] = 1000.0
    y = np.eye(V)[o]
    np.testing.assert_array_equal(softmax(U @ v_c), y)
    loss, g_v, g_U = naive_softmax_loss_and_gradient(v_c, o, U)
    assert loss == 0.0
    np.testing.assert_array_equal(g_v, np.zeros(d))
    np.testing.assert_array_equal(g_U, np.zeros((V, d)))


def test_naive_softmax_does_not_overflow():
    U = np.array([[1000.0], [-1000.0], [0.0]])
    loss, g_v, _ = naive_softmax_loss_and_gradient(np.array([1.0]), 1, U)
    assert loss == pytest.approx(2000.0) and np.all(np.isfinite(g_v))


# --------------------------------------------------------------------------- negative sampling


@pytest.mark.parametrize("V,d,K", [(3, 1, 1), (6, 3, 4), (6, 3, 15), (25, 8, 10)])
def test_neg_sampling_gradient(V, d, K):
    rng = np.random.default_rng(V * 1000 + d * 10 + K)
    for _ in range(3):
        o = int(rng.integers(V))
        others = np.setdiff1d(np.arange(V), [o])
        neg = rng.choice(others, size=K, replace=True)
        x = rng.normal(scale=0.7, size=d + V * d)
        f = _flat(lambda v, U, o=o, n=neg: neg_sampling_loss_and_gradient(v, o, U, n), d, V)
        assert gradcheck(f, x) < 1e-7


def test_neg_sampling_with_repeated_negatives_checks_and_accumulates():
    rng = np.random.default_rng(6)
    V, d, o = 5, 4, 0
    v_c, U = rng.normal(size=d), rng.normal(size=(V, d))
    neg = np.array([3, 1, 3, 3, 2, 1])  # K = 6 with repeats
    f = _flat(lambda v, W: neg_sampling_loss_and_gradient(v, o, W, neg), d, V)
    assert gradcheck(f, np.concatenate([v_c, U.ravel()])) < 1e-7

    _, _, g_once = neg_sampling_loss_and_gradient(v_c, o, U, [3])
    _, _, g_thrice = neg_sampling_loss_and_gradient(v_c, o, U, [3, 3, 3])
    np.testing.assert_allclose(g_thrice[3], 3 * g_once[3], rtol=1e-14)
    np.testing.assert_allclose(g_thrice[o], g_once[o], rtol=1e-14)


def test_neg_sampling_loss_value():
    rng = np.random.default_rng(7)
    V, d, o = 7, 3, 4
    v_c, U = rng.normal(size=d), rng.normal(size=(V, d))
    neg = [0, 2, 2, 6]

    def sig(z):
        return 1 / (1 + np.exp(-z))

    expected = -np.log(sig(U[o] @ v_c)) - sum(np.log(sig(-U[k] @ v_c)) for k in neg)
    loss, g_v, g_U = neg_sampling_loss_and_gradient(v_c, o, U, neg)
    assert loss == pytest.approx(expected, rel=1e-13)
    untouched = [w for w in range(V) if w not in (o, *neg)]
    np.testing.assert_array_equal(g_U[untouched], 0.0)


# --------------------------------------------------------------------------- negatives


def test_negatives_never_equal_o_and_follow_unigram_075():
    counts = np.array([50.0, 400.0, 3.0, 0.0, 120.0, 1000.0, 7.0, 60.0])
    o = 5  # the most frequent word, so many draws must be redrawn
    rng = np.random.default_rng(8)
    draws = sample_negatives(o, 100_000, counts, rng)
    assert draws.shape == (100_000,) and draws.dtype == np.int64
    assert not np.any(draws == o)
    assert not np.any(draws == 3)  # count 0: never drawn
    p = counts**0.75
    p[o] = 0.0
    keep = p > 0
    expected = p[keep] / p[keep].sum() * draws.size
    observed = np.bincount(draws, minlength=counts.size)[keep]
    assert observed.sum() == draws.size
    _, pvalue = stats.chisquare(observed, expected)
    assert pvalue > 1e-3
    # and not plain unigram: the 0.75 power gives rare words visibly more mass
    q = np.where(keep, counts, 0.0)
    q = q[keep] / q[keep].sum() * draws.size
    assert stats.chisquare(observed, q)[1] < 1e-10


def test_many_small_draws_never_hit_o():
    sampler = UnigramSampler(np.array([5.0, 1.0, 2.0]))
    rng = np.random.default_rng(9)
    for _ in range(2000):
        assert 0 not in sampler.sample(0, 3, rng)


def test_unigram_sampler_probabilities():
    s = UnigramSampler([16.0, 1.0, 0.0], power=0.75)
    np.testing.assert_allclose(s.probabilities, [8 / 9, 1 / 9, 0.0])
    assert UnigramSampler([3.0, 1.0], power=0).probabilities.tolist() == [0.5, 0.5]


def test_make_neg_sampling_loss_draws_fresh_negatives_each_call():
    rng = np.random.default_rng(10)
    V, d, K = 30, 4, 10
    counts = rng.integers(1, 100, size=V).astype(float)
    v_c, U = rng.normal(size=d), rng.normal(size=(V, d))
    for source in (counts, UnigramSampler(counts)):
        loss_fn = make_neg_sampling_loss(source, K, rng=11)
        seen = []
        for o in (3, 3, 7):
            loss, g_v, g_U = loss_fn(v_c, o, U)
            neg = loss_fn.last_negatives
            assert neg.shape == (K,) and o not in neg
            ref = neg_sampling_loss_and_gradient(v_c, o, U, neg)
            assert loss == ref[0]
            np.testing.assert_array_equal(g_v, ref[1])
            np.testing.assert_array_equal(g_U, ref[2])
            seen.append(tuple(neg))
        assert seen[0] != seen[1]  # fresh draws, same o


def test_make_neg_sampling_loss_accepts_a_callable_sampler():
    calls = []

    def sampler(o, k, rng):
        calls.append((o, k))
        return np.array([(o + 1) % 4] * k)

    loss_fn = make_neg_sampling_loss(sampler, 3, rng=0)
    loss_fn(np.ones(2), 2, np.ones((4, 2)))
    assert calls == [(2, 3)]
    np.testing.assert_array_equal(loss_fn.last_negatives, [3, 3, 3])


# --------------------------------------------------------------------------- bad calls


def test_bad_calls_get_clear_errors():
    U = np.zeros((5, 3))
    v = np.zeros(3)
    with pytest.raises(ValueError, match="`neg_indices` must not contain the outside word o=2"):
        neg_sampling_loss_and_gradient(v, 2, U, [1, 2])
    with pytest.raises(ValueError, match="`neg_indices` must hold at least one index"):
        neg_sampling_loss_and_gradient(v, 2, U, [])
    with pytest.raises(IndexError, match=r"`neg_indices` must hold indices in \[0, 5\).*got 5"):
        neg_sampling_loss_and_gradient(v, 2, U, [1, 5])
    with pytest.raises(IndexError, match="got -1"):
        neg_sampling_loss_and_gradient(v, 2, U, [-1])
    with pytest.raises(ValueError, match="`neg_indices` must hold int indices"):
        neg_sampling_loss_and_gradient(v, 2, U, [1.0])
    for loss in (
        naive_softmax_loss_and_gradient,
        lambda v_c, o, U: neg_sampling_loss_and_gradient(v_c, o, U, [0]),
    ):
        with pytest.raises(IndexError, match=r"`o` must be an index in \[0, 5\).*got 5"):
            loss(v, 5, U)
        with pytest.raises(ValueError, match="`o` must be an int index"):
            loss(v, 1.0, U)
        with pytest.raises(ValueError, match=r"`v_c` must have length 3; got shape \(4,\)"):
            loss(np.zeros(4), 1, U)
        with pytest.raises(ValueError, match="`v_c` must be a 1-D vector"):
            loss(np.zeros((3, 1)), 1, U)
        with pytest.raises(ValueError, match="`U` must be a 2-D matrix"):
            loss(v, 1, np.zeros(15))


def test_sampler_errors():
    counts = np.array([3.0, 1.0, 2.0])
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="`k` must be an int >= 1; got 0"):
        sample_negatives(0, 0, counts, rng)
    with pytest.raises(ValueError, match="`k` must be an int >= 1"):
        make_neg_sampling_loss(counts, 0)
    with pytest.raises(IndexError, match="`o` must be an index"):
        sample_negatives(3, 2, counts, rng)
    with pytest.raises(ValueError, match="`counts`"):
        sample_negatives(0, 2, [-1.0, 2.0], rng)
    with pytest.raises(ValueError, match="`counts`"):
        sample_negatives(0, 2, [0.0, 0.0], rng)
    with pytest.raises(ValueError, match="other than o=0"):
        sample_negatives(0, 2, [4.0, 0.0, 0.0], rng)
    with pytest.raises(ValueError, match="`power`"):
        UnigramSampler(counts, power=-1)


def test_hierarchical_softmax_gradients_match_central_differences():
    from wordvec.reference import gradcheck, hierarchical_softmax_loss_and_gradient

    rng = np.random.default_rng(11)
    for d, n_inner, path in [(3, 4, [3, 1]), (10, 9, [8, 5, 0, 2, 7]), (6, 1, [0])]:
        codes = rng.integers(0, 2, len(path))
        x0 = rng.normal(scale=0.7, size=d + n_inner * d)

        def f(x, d=d, path=path, codes=codes, n_inner=n_inner):
            loss, g_v, g_u = hierarchical_softmax_loss_and_gradient(
                x[:d], path, codes, x[d:].reshape(n_inner, d)
            )
            return loss, np.concatenate([g_v, g_u.ravel()])

        assert gradcheck(f, x0) < 1e-7


def test_hierarchical_softmax_probabilities_sum_to_one_over_the_tree():
    """Over every leaf of a Huffman tree the path probabilities sum to 1."""
    from wordvec.reference import hierarchical_softmax_loss_and_gradient
    from wordvec.vocab import Vocab

    counts = np.array([40, 30, 20, 10, 5, 3, 2])
    points, codes, offsets = Vocab(list("abcdefg"), counts).huffman()
    rng = np.random.default_rng(3)
    U, v_c = rng.normal(size=(len(counts) - 1, 4)), rng.normal(size=4)
    total = sum(
        np.exp(
            -hierarchical_softmax_loss_and_gradient(
                v_c, points[offsets[w] : offsets[w + 1]], codes[offsets[w] : offsets[w + 1]], U
            )[0]
        )
        for w in range(len(counts))
    )
    assert total == pytest.approx(1.0, rel=1e-12)


def test_hierarchical_softmax_rejects_bad_codes():
    from wordvec.reference import hierarchical_softmax_loss_and_gradient

    with pytest.raises(ValueError, match="codes"):
        hierarchical_softmax_loss_and_gradient(np.zeros(2), [0, 1], [0, 2], np.zeros((3, 2)))
