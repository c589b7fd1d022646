"""The one-hidden-layer sigmoid / softmax network."""

import numpy as np
import pytest

from wordvec.reference import forward_backward_prop, gradcheck, param_count, unpack_params
from wordvec.reference.activations import sigmoid, softmax


def _batch(rng, n, dims):
    X = rng.normal(size=(n, dims[0]))
    labels = np.zeros((n, dims[2]))
    labels[np.arange(n), rng.integers(0, dims[2], size=n)] = 1.0
    return X, labels


def test_param_count():
    assert param_count((10, 5, 10)) == (10 + 1) * 5 + (5 + 1) * 10 == 115
    assert param_count((1, 1, 1)) == 4
    assert param_count([300, 100, 5]) == 301 * 100 + 101 * 5


def test_unpack_params_layout():
    dims = (3, 2, 4)
    params = np.arange(param_count(dims), dtype=float)
    W1, b1, W2, b2 = unpack_params(params, dims)
    assert (W1.shape, b1.shape, W2.shape, b2.shape) == ((3, 2), (2,), (2, 4), (4,))
    np.testing.assert_array_equal(W1, [[0, 1], [2, 3], [4, 5]])
    np.testing.assert_array_equal(b1, [6, 7])
    np.testing.assert_array_equal(b2, [16, 17, 18, 19])


@pytest.mark.parametrize("dims,n", [((1, 1, 2), 1), ((4, 3, 2), 5), ((10, 5, 10), 20)])
def test_gradient(dims, n):
    rng = np.random.default_rng(sum(dims) + n)
    X, labels = _batch(rng, n, dims)
    for _ in range(2):
        params = rng.normal(scale=0.7, size=param_count(dims))
        err = gradcheck(lambda p: forward_backward_prop(X, labels, p, dims), params)
        assert err < 1e-7


def test_cost_is_summed_cross_entropy():
    rng = np.random.default_rng(1)
    dims, n = (6, 4, 3), 8
    X, labels = _batch(rng, n, dims)
    params = rng.normal(size=param_count(dims))
    W1, b1, W2, b2 = unpack_params(params, dims)
    y_hat = softmax(sigmoid(X @ W1 + b1) @ W2 + b2)
    cost, grad = forward_backward_prop(X, labels, params, dims)
    assert cost == pytest.approx(-np.sum(np.log(y_hat[labels == 1])), rel=1e-13)
    assert grad.shape == (param_count(dims),)
    # summed over rows: two copies of the batch cost twice as much
    cost2, grad2 = forward_backward_prop(
        np.vstack([X, X]), np.vstack([labels, labels]), params, dims
    )
    assert cost2 == pytest.approx(2 * cost, rel=1e-13)
    np.testing.assert_allclose(grad2, 2 * grad, rtol=1e-12, atol=1e-14)


def test_bad_calls():
    dims = (4, 3, 2)
    rng = np.random.default_rng(2)
    X, labels = _batch(rng, 5, dims)
    p = np.zeros(param_count(dims))
    with pytest.raises(ValueError, match=r"`params` must have length 23; got shape \(22,\)"):
        forward_backward_prop(X, labels, p[:-1], dims)
    with pytest.raises(ValueError, match="`X` must have 4 columns"):
        forward_backward_prop(X[:, :3], labels, p, dims)
    with pytest.raises(ValueError, match="`labels` must have 5 rows"):
        forward_backward_prop(X, labels[:4], p, dims)
    with pytest.raises(ValueError, match="`labels` must hold one-hot rows"):
        forward_backward_prop(X, labels * 2, p, dims)
    with pytest.raises(ValueError, match="`dims` must be a triple"):
        param_count((4, 3))
    with pytest.raises(ValueError, match=r"`dims\[1\]` must be an int >= 1; got 0"):
        param_count((4, 0, 2))
