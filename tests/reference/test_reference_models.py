"""Skip-gram and CBOW over one window, with both losses."""

import numpy as np
import pytest

from wordvec.reference import (
    cbow,
    gradcheck,
    make_neg_sampling_loss,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
    skipgram,
)


def _losses(counts, K, seed):
    # a fresh loss_fn with the same seed on every call: the same negatives at every point
    return {
        "softmax": lambda: naive_softmax_loss_and_gradient,
        "neg": lambda: make_neg_sampling_loss(counts, K, rng=seed),
    }


def _model_f(model, V, d):
    def f(x):
        value, g_in, g_out = model(x[: V * d].reshape(V, d), x[V * d :].reshape(V, d))
        assert g_in.shape == (V, d) and g_out.shape == (V, d)
        return value, np.concatenate([g_in.ravel(), g_out.ravel()])

    return f


WINDOWS = [[4], [1, 3], [0, 5, 5, 2], [6, 1, 2, 3, 1, 0, 4, 5]]  # sizes 1, 2, 4 (repeat), 8


@pytest.mark.parametrize("loss", ["softmax", "neg"])
@pytest.mark.parametrize("outside", WINDOWS)
def test_skipgram_gradient(loss, outside):
    rng = np.random.default_rng(len(outside))
    V, d, K = 7, 3, 10  # K > V - 1: repeated negatives for sure
    counts = rng.integers(1, 30, size=V).astype(float)
    make = _losses(counts, K, seed=3)[loss]
    center = 4 if 4 not in outside else 6
    x = rng.normal(scale=0.6, size=2 * V * d)
    f = _model_f(lambda Wi, U: skipgram(center, outside, Wi, U, make()), V, d)
    assert gradcheck(f, x) < 1e-7


@pytest.mark.parametrize("loss", ["softmax", "neg"])
@pytest.mark.parametrize("mean", [False, True])
@pytest.mark.parametrize("outside", WINDOWS)
def test_cbow_gradient(loss, mean, outside):
    rng = np.random.default_rng(10 + len(outside))
    V, d, K = 7, 3, 10
    counts = rng.integers(1, 30, size=V).astype(float)
    make = _losses(counts, K, seed=4)[loss]
    center = 4 if 4 not in outside else 6
    x = rng.normal(scale=0.6, size=2 * V * d)
    f = _model_f(lambda Wi, U: cbow(center, outside, Wi, U, make(), mean=mean), V, d)
    assert gradcheck(f, x) < 1e-7


@pytest.mark.parametrize("loss", ["softmax", "neg"])
def test_skipgram_gradient_is_zero_for_every_input_row_but_the_center(loss):
    rng = np.random.default_rng(20)
    V, d = 12, 5
    W_in, U = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    counts = np.arange(1, V + 1, dtype=float)
    loss_fn = _losses(counts, 5, seed=1)[loss]()
    center, outside = 7, [1, 2, 8, 8, 11]
    _, g_in, _ = skipgram(center, outside, W_in, U, loss_fn)
    others = np.delete(np.arange(V), center)
    np.testing.assert_array_equal(g_in[others], 0.0)
    assert np.all(g_in[center] != 0.0)


def test_skipgram_sums_the_loss_over_the_window():
    rng = np.random.default_rng(21)
    V, d = 9, 4
    W_in, U = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    negs = {1: [0, 2, 2], 5: [3, 4, 0], 6: [1, 8, 8]}
    calls = []

    def loss_fn(v_c, o, U):
        calls.append(o)
        return neg_sampling_loss_and_gradient(v_c, o, U, negs[o])

    loss, g_in, g_out = skipgram(2, [1, 5, 6, 5], W_in, U, loss_fn)
    assert calls == [1, 5, 6, 5]
    parts = [neg_sampling_loss_and_gradient(W_in[2], o, U, negs[o]) for o in [1, 5, 6, 5]]
    assert loss == pytest.approx(sum(p[0] for p in parts), rel=1e-14)
    np.testing.assert_allclose(g_in[2], sum(p[1] for p in parts), rtol=1e-13)
    np.testing.assert_allclose(g_out, sum(p[2] for p in parts), rtol=1e-13, atol=1e-15)


def test_cbow_sum_and_mean_and_repeated_context():
    rng = np.random.default_rng(22)
    V, d = 8, 3
    W_in, U = rng.normal(size=(V, d)), rng.normal(size=(V, d))
    outside = [1, 3, 3, 6]
    v_sum = W_in[1] + 2 * W_in[3] + W_in[6]
    for mean, v_hat, scale in [(False, v_sum, 1.0), (True, v_sum / 4, 0.25)]:
        loss, g_in, g_out = cbow(0, outside, W_in, U, naive_softmax_loss_and_gradient, mean=mean)
        ref_loss, ref_gv, ref_gU = naive_softmax_loss_and_gradient(v_hat, 0, U)
        assert loss == pytest.approx(ref_loss, rel=1e-14)
        np.testing.assert_allclose(g_out, ref_gU, rtol=1e-13)
        np.testing.assert_allclose(g_in[1], scale * ref_gv, rtol=1e-13)
        np.testing.assert_allclose(g_in[3], 2 * scale * ref_gv, rtol=1e-13)  # twice in window
        np.testing.assert_array_equal(g_in[[0, 2, 4, 5, 7]], 0.0)


@pytest.mark.parametrize("model", [skipgram, cbow])
def test_model_bad_calls(model):
    W, U = np.zeros((5, 2)), np.zeros((5, 2))
    f = naive_softmax_loss_and_gradient
    with pytest.raises(ValueError, match="`outside` must hold at least one index"):
        model(0, [], W, U, f)
    with pytest.raises(IndexError, match="`center` must be an index in \\[0, 5\\)"):
        model(5, [1], W, U, f)
    with pytest.raises(IndexError, match="`outside` must hold indices in \\[0, 5\\)"):
        model(0, [1, 9], W, U, f)
    with pytest.raises(ValueError, match="`U` must have d = 2 columns like `W_in`"):
        model(0, [1], W, np.zeros((5, 3)), f)
    with pytest.raises(ValueError, match="`W_in` must be a 2-D matrix"):
        model(0, [1], np.zeros(10), U, f)
