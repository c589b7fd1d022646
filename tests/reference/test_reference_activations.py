"""softmax, sigmoid, leaky ReLU and their derivatives."""

import warnings

import numpy as np
import pytest

from wordvec.errors import ConfigError
from wordvec.reference import (
    gradcheck,
    leaky_relu,
    leaky_relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
)


def test_softmax_rows_sum_to_one_and_match_definition():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 6))
    y = softmax(x)
    expected = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(y, expected, rtol=1e-14)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-15)
    # axis=0 normalises columns instead
    np.testing.assert_allclose(softmax(x, axis=0), softmax(x.T).T, rtol=1e-14)


@pytest.mark.parametrize("c", [-1e3, -7.5, 0.3, 50.0, 1e4])
def test_softmax_shift_invariance(c):
    x = np.random.default_rng(1).normal(size=(3, 5))
    np.testing.assert_allclose(softmax(x + c), softmax(x), rtol=1e-12, atol=1e-15)


def test_softmax_is_stable_for_large_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            y = softmax(np.array([1000.0, 1001.0]))
            z = softmax(np.array([-1000.0, -1001.0]))
    e = np.e
    np.testing.assert_allclose(y, [1 / (1 + e), e / (1 + e)], rtol=1e-15)
    np.testing.assert_allclose(z, [e / (1 + e), 1 / (1 + e)], rtol=1e-15)


def test_softmax_rejects_a_scalar():
    with pytest.raises(ConfigError, match="`x`"):
        softmax(3.0)


def test_sigmoid_values_and_symmetry():
    x = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-14)
    np.testing.assert_allclose(sigmoid(-x), 1 - sigmoid(x), atol=1e-15)
    assert sigmoid(0.0) == 0.5
    assert sigmoid(np.array(3.0)).shape == ()


def test_sigmoid_has_no_overflow_warning_up_to_1e4():
    x = np.concatenate([np.linspace(-1e4, 1e4, 2001), [-1e4, 1e4, -745.5, 745.5, -710, 710]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = sigmoid(x)
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert sigmoid(1e4) == 1.0 and sigmoid(-1e4) == 0.0


def test_sigmoid_grad_identity():
    # sigma'(x) = sigma(x) (1 - sigma(x)) against central differences of sigma itself
    rng = np.random.default_rng(2)
    for shape in [(7,), (3, 4), (2, 3, 2)]:
        x = rng.normal(scale=3, size=shape)
        err = gradcheck(lambda z: (sigmoid(z).sum(), sigmoid_grad(sigmoid(z))), x)
        assert err < 1e-7
    s = sigmoid(np.array([-2.0, 0.0, 5.0]))
    np.testing.assert_array_equal(sigmoid_grad(s), s * (1 - s))


def test_leaky_relu_and_its_grad():
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(leaky_relu(x), [-0.02, -0.005, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(leaky_relu(x, alpha=0.2), [-0.4, -0.1, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(leaky_relu_grad(x), [0.01, 0.01, 0.01, 1.0, 1.0])
    rng = np.random.default_rng(3)
    z = rng.normal(size=(5, 4))
    z += np.where(z >= 0, 0.05, -0.05)  # away from the kink
    for alpha in (0.0, 0.01, 0.3):
        err = gradcheck(lambda v, a=alpha: (leaky_relu(v, a).sum(), leaky_relu_grad(v, a)), z)
        assert err < 1e-7


@pytest.mark.parametrize("alpha", [-0.1, 1.0, 2, "0.1", True])
def test_leaky_relu_rejects_bad_alpha(alpha):
    with pytest.raises(ConfigError, match="`alpha`"):
        leaky_relu(np.ones(3), alpha=alpha)
    with pytest.raises(ConfigError, match="`alpha`"):
        leaky_relu_grad(np.ones(3), alpha=alpha)
