"""Activation functions of the derivation and their derivatives (NumPy, float64).

Every function is vectorised: it accepts an array of any shape (or a scalar)
and returns a float64 array of the same shape.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError

__all__ = ["softmax", "sigmoid", "sigmoid_grad", "leaky_relu", "leaky_relu_grad"]

Array = NDArray[np.float64]


def softmax(x: ArrayLike, axis: int = -1) -> Array:
    r"""Softmax along ``axis``: softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m), m = max_j x_j.

    Subtracting the maximum changes nothing mathematically (softmax(x + c) ==
    softmax(x) for any constant c) but keeps every exponent <= 0, so nothing
    overflows: softmax([1000, 1001]) is [1 / (1 + e), e / (1 + e)].

    Parameters
    ----------
    x : array_like, any shape (at least one dimension)
        Scores; each slice along ``axis`` is normalised separately.
    axis : int
        The axis that sums to one.

    Returns
    -------
    ndarray, float64, same shape as ``x``
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        raise ConfigError(f"`x` must have at least one dimension; got a scalar {float(x)!r}.")
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def sigmoid(x: ArrayLike) -> Array:
    r"""Logistic function sigma(x) = 1 / (1 + exp(-x)), elementwise.

    Computed as exp(min(x, 0)) / (1 + exp(-|x|)): for x >= 0 this is
    1 / (1 + exp(-x)), for x < 0 it is exp(x) / (1 + exp(x)), the same value.
    Both exponents are <= 0, so no overflow warning is raised for any finite x
    (|x| up to 1e4 and beyond), and no branch is needed.

    Parameters
    ----------
    x : array_like, any shape

    Returns
    -------
    ndarray, float64, same shape as ``x``, values in [0, 1]
    """
    x = np.asarray(x, dtype=np.float64)
    return np.exp(np.minimum(x, 0.0)) / (1.0 + np.exp(-np.abs(x)))


def sigmoid_grad(s: ArrayLike) -> Array:
    r"""Derivative of the sigmoid expressed through its output: sigma'(x) = s (1 - s), s = sigma(x).

    Parameters
    ----------
    s : array_like, any shape
        Values of ``sigmoid(x)`` (not ``x`` itself).

    Returns
    -------
    ndarray, float64, same shape as ``s``
    """
    s = np.asarray(s, dtype=np.float64)
    return s * (1.0 - s)


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> Array:
    r"""Leaky ReLU: f(x) = x for x > 0, alpha x otherwise, elementwise.

    Parameters
    ----------
    x : array_like, any shape
    alpha : float
        Slope for x <= 0, in [0, 1).

    Returns
    -------
    ndarray, float64, same shape as ``x``
    """
    _check_alpha(alpha)
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x: ArrayLike, alpha: float = 0.01) -> Array:
    r"""Derivative of the leaky ReLU: f'(x) = 1 for x > 0, alpha for x <= 0.

    At the kink x = 0 the left derivative alpha is returned, by convention.

    Parameters
    ----------
    x : array_like, any shape
        Inputs of ``leaky_relu`` (not its outputs).
    alpha : float
        Slope for x <= 0, in [0, 1).

    Returns
    -------
    ndarray, float64, same shape as ``x``
    """
    _check_alpha(alpha)
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0, float(alpha))


def _check_alpha(alpha: float) -> None:
    ok = isinstance(alpha, int | float | np.floating) and not isinstance(alpha, bool)
    if not ok or not 0.0 <= float(alpha) < 1.0:
        raise ConfigError(f"`alpha` must be a float with 0 <= alpha < 1; got {alpha!r}.")
