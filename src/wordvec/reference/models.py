"""Skip-gram and CBOW over one window, with any loss of the ``loss_fn(v_c, o, U)`` signature.

``W_in`` (|V| x d) holds the center / input vectors, row w = v_w; ``U``
(|V| x d) holds the outside / output vectors, row w = u_w. ``loss_fn`` is
:func:`~wordvec.reference.losses.naive_softmax_loss_and_gradient` or a
negative-sampling loss built by
:func:`~wordvec.reference.losses.make_neg_sampling_loss`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError
from . import _validate as check
from .losses import LossFn

__all__ = ["skipgram", "cbow"]

Array = NDArray[np.float64]


def skipgram(
    center: int,
    outside: Sequence[int] | ArrayLike,
    W_in: ArrayLike,
    U: ArrayLike,
    loss_fn: LossFn,
) -> tuple[float, Array, Array]:
    r"""Skip-gram: predict every outside word of the window from the center word.

    Equations (v_c = W_in[center], the sum runs over the window, repeats included)::

        loss      = sum_o loss_fn(v_c, o, U).loss
        grad_v_c  = sum_o loss_fn(v_c, o, U).grad_v_c     -> row ``center`` of grad_W_in
        grad_U    = sum_o loss_fn(v_c, o, U).grad_U

    Every row of ``grad_W_in`` except row ``center`` is zero.

    Parameters
    ----------
    center : int
        Index c of the center word.
    outside : sequence of int, length 2m (at least one)
        Indices of the outside (context) words.
    W_in : array_like, shape (|V|, d)
        Center vectors.
    U : array_like, shape (|V|, d)
        Outside vectors.
    loss_fn : callable
        ``loss_fn(v_c (d,), o, U (|V|, d)) -> (loss, grad_v_c (d,), grad_U (|V|, d))``.

    Returns
    -------
    loss : float
    grad_W_in : ndarray, shape (|V|, d)
    grad_U : ndarray, shape (|V|, d)
    """
    W_in, U, c, outside = _check_window(center, outside, W_in, U)
    v_c = W_in[c]
    loss = 0.0
    grad_v_c = np.zeros(W_in.shape[1])
    grad_U = np.zeros_like(U)
    for o in outside.tolist():
        l_o, g_v, g_U = loss_fn(v_c, o, U)
        loss += l_o
        grad_v_c += g_v
        grad_U += g_U
    grad_W_in = np.zeros_like(W_in)
    grad_W_in[c] = grad_v_c
    return loss, grad_W_in, grad_U


def cbow(
    center: int,
    outside: Sequence[int] | ArrayLike,
    W_in: ArrayLike,
    U: ArrayLike,
    loss_fn: LossFn,
    mean: bool = False,
) -> tuple[float, Array, Array]:
    r"""CBOW: predict the center word from the sum (or mean) of the context input vectors.

    Equations (n = number of outside words, repeats included)::

        v_hat          = sum_j W_in[outside_j]    (or (1/n) sum_j ... when mean=True)    (d,)
        loss, g, grad_U = loss_fn(v_hat, center, U)
        grad_W_in[w]   = (number of times w occurs in outside) * g     (times 1/n for mean)

    A context word that occurs twice receives the gradient twice
    (accumulated with ``np.add.at``).

    Parameters
    ----------
    center : int
        Index c of the center word (the word predicted).
    outside : sequence of int, length 2m (at least one)
        Indices of the context words.
    W_in : array_like, shape (|V|, d)
        Input (context) vectors.
    U : array_like, shape (|V|, d)
        Output vectors.
    loss_fn : callable
        ``loss_fn(v (d,), o, U (|V|, d)) -> (loss, grad_v (d,), grad_U (|V|, d))``.
    mean : bool
        Average instead of sum the context vectors (CS224n sums; word2vec.c
        and gensim average by default).

    Returns
    -------
    loss : float
    grad_W_in : ndarray, shape (|V|, d)
    grad_U : ndarray, shape (|V|, d)
    """
    W_in, U, c, outside = _check_window(center, outside, W_in, U)
    scale = 1.0 / outside.size if mean else 1.0
    v_hat = W_in[outside].sum(axis=0) * scale  # (d,)
    loss, grad_v_hat, grad_U = loss_fn(v_hat, c, U)
    grad_W_in = np.zeros_like(W_in)
    # d v_hat / d W_in[w] = scale * (occurrences of w) * I
    np.add.at(grad_W_in, outside, scale * np.asarray(grad_v_hat))
    return float(loss), grad_W_in, np.asarray(grad_U, dtype=np.float64)


def _check_window(
    center: int, outside: Sequence[int] | ArrayLike, W_in: ArrayLike, U: ArrayLike
) -> tuple[Array, Array, int, NDArray[np.int64]]:
    W_in = check.matrix("W_in", W_in)
    U = check.matrix("U", U)
    # U has |V| rows for softmax / negative sampling, |V| - 1 inner nodes for
    # hierarchical softmax: only the dimension must agree (the loss checks its indices)
    if U.shape[1] != W_in.shape[1]:
        raise ConfigError(
            f"`U` must have d = {W_in.shape[1]} columns like `W_in` {W_in.shape}; got {U.shape}."
        )
    c = check.index("center", center, W_in.shape[0])
    out = check.indices("outside", outside, W_in.shape[0])
    return W_in, U, c, out
