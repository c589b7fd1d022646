"""A one-hidden-layer network (sigmoid hidden layer, softmax output) with its backward pass.

This is the CS224n warm-up exercise for backpropagation: the same chain rule
the word2vec gradients use, on a network small enough to check by hand.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError
from . import _validate as check
from .activations import sigmoid, sigmoid_grad, softmax

__all__ = ["forward_backward_prop", "param_count", "unpack_params"]

Array = NDArray[np.float64]


def param_count(dims: Sequence[int]) -> int:
    """Number of parameters of the network: (Dx + 1) H + (H + 1) Dy for dims = (Dx, H, Dy).

    Parameters
    ----------
    dims : (Dx, H, Dy)
        Input size, hidden size, output size, each >= 1.
    """
    dx, h, dy = _check_dims(dims)
    return (dx + 1) * h + (h + 1) * dy


def unpack_params(params: ArrayLike, dims: Sequence[int]) -> tuple[Array, Array, Array, Array]:
    """Split the flat parameter vector into views W1 (Dx, H), b1 (H,), W2 (H, Dy), b2 (Dy,).

    The order in ``params`` is W1 (row-major), b1, W2 (row-major), b2.
    """
    dx, h, dy = _check_dims(dims)
    params = check.vector("params", params, param_count(dims))
    ofs = 0
    W1 = params[ofs : ofs + dx * h].reshape(dx, h)  # (Dx, H)
    ofs += dx * h
    b1 = params[ofs : ofs + h]  # (H,)
    ofs += h
    W2 = params[ofs : ofs + h * dy].reshape(h, dy)  # (H, Dy)
    ofs += h * dy
    b2 = params[ofs : ofs + dy]  # (Dy,)
    return W1, b1, W2, b2


def forward_backward_prop(
    X: ArrayLike, labels: ArrayLike, params: ArrayLike, dims: Sequence[int]
) -> tuple[float, Array]:
    r"""Cost of the network on a batch and its gradient with respect to every parameter.

    Forward (one row of X per example; N rows)::

        h     = sigmoid(X W1 + b1)                 (N, H)
        y_hat = softmax(h W2 + b2)                 (N, Dy), row-wise
        cost  = -sum_n sum_j labels[n, j] log y_hat[n, j]

    Backward::

        delta2 = y_hat - labels                    (N, Dy)
        grad_W2 = h^T delta2,   grad_b2 = sum_n delta2[n]
        delta1 = (delta2 W2^T) * h (1 - h)         (N, H)
        grad_W1 = X^T delta1,   grad_b1 = sum_n delta1[n]

    delta2 = y_hat - labels holds because every row of ``labels`` sums to one
    (one-hot rows; soft rows that sum to one work too). The cost uses the
    log-softmax, so it stays finite when a probability underflows.

    Parameters
    ----------
    X : array_like, shape (N, Dx)
        Inputs, one example per row.
    labels : array_like, shape (N, Dy)
        One-hot targets (non-negative rows summing to one).
    params : array_like, shape (param_count(dims),)
        Flat W1, b1, W2, b2 in that order (see :func:`unpack_params`).
    dims : (Dx, H, Dy)

    Returns
    -------
    cost : float
        Summed (not averaged) cross-entropy over the N rows.
    grad : ndarray, shape (param_count(dims),)
        Gradient of ``cost``, laid out like ``params``.
    """
    dx, h_dim, dy = _check_dims(dims)
    W1, b1, W2, b2 = unpack_params(params, dims)
    X = check.matrix("X", X, cols=dx)
    labels = check.matrix("labels", labels, rows=X.shape[0], cols=dy)
    if np.any(labels < 0) or not np.allclose(labels.sum(axis=1), 1.0, rtol=0, atol=1e-8):
        raise ConfigError(
            "`labels` must hold one-hot rows (non-negative, each summing to 1); "
            f"got row sums {labels.sum(axis=1)[:5].tolist()}..."
        )

    # forward
    h = sigmoid(X @ W1 + b1)  # (N, H)
    scores = h @ W2 + b2  # (N, Dy)
    y_hat = softmax(scores, axis=1)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_y_hat = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    cost = float(-np.sum(labels * log_y_hat))

    # backward
    delta2 = y_hat - labels  # (N, Dy)
    grad_W2 = h.T @ delta2  # (H, Dy)
    grad_b2 = delta2.sum(axis=0)  # (Dy,)
    delta1 = (delta2 @ W2.T) * sigmoid_grad(h)  # (N, H)
    grad_W1 = X.T @ delta1  # (Dx, H)
    grad_b1 = delta1.sum(axis=0)  # (H,)

    grad = np.concatenate([grad_W1.ravel(), grad_b1, grad_W2.ravel(), grad_b2])
    return cost, grad


def _check_dims(dims: Sequence[int]) -> tuple[int, int, int]:
    try:
        values = tuple(dims)
    except TypeError:
        values = ()
    if len(values) != 3:
        raise ConfigError(f"`dims` must be a triple (Dx, H, Dy); got {dims!r}.")
    return tuple(check.positive_int(f"dims[{i}]", v) for i, v in enumerate(values))  # type: ignore[return-value]
