"""word2vec losses for one (center, outside) pair, with their gradients.

Conventions of the derivation (CS224n):

* ``U`` is the |V| x d matrix of *outside* vectors; row w is u_w.
* ``v_c`` is the d-vector of the center word c.
* ``o`` is the index of the true outside word; ``y`` is its one-hot |V|-vector.
* ``y_hat = softmax(U v_c)`` is the predicted distribution over outside words.

Every loss function has the signature ``loss_fn(v_c, o, U) -> (loss, grad_v_c,
grad_U)`` (negative sampling takes its negatives as a fourth argument;
:func:`make_neg_sampling_loss` wraps it into that signature), so skip-gram and
CBOW in :mod:`wordvec.reference.models` take either loss interchangeably.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError
from . import _validate as check
from .activations import sigmoid, softmax

__all__ = [
    "LossFn",
    "naive_softmax_loss_and_gradient",
    "neg_sampling_loss_and_gradient",
    "hierarchical_softmax_loss_and_gradient",
    "hs_neg_loss_and_gradient",
    "UnigramSampler",
    "sample_negatives",
    "NegSamplingLoss",
    "make_neg_sampling_loss",
]

Array = NDArray[np.float64]
#: ``loss_fn(v_c, o, U) -> (loss, grad_v_c, grad_U)``
LossFn = Callable[[Array, int, Array], tuple[float, Array, Array]]
#: ``sampler(o, k, rng) -> k indices, none equal to o``
Sampler = Callable[[int, int, np.random.Generator], NDArray[np.int64]]


def naive_softmax_loss_and_gradient(
    v_c: ArrayLike, o: int, U: ArrayLike
) -> tuple[float, Array, Array]:
    r"""Naive-softmax loss of outside word ``o`` given center vector ``v_c``, and its gradients.

    Equations::

        y_hat    = softmax(U v_c)                      (|V|,)
        loss     = -log y_hat[o]  = -sum_w y_w log y_hat_w
        grad_v_c = U^T (y_hat - y)                     (d,)
        grad_U   = (y_hat - y) v_c^T                   (|V|, d)

    The loss is computed as logsumexp(U v_c) - u_o . v_c, which stays finite
    even when y_hat[o] underflows to 0.

    Parameters
    ----------
    v_c : array_like, shape (d,)
        Center word vector.
    o : int
        Index of the outside word, in [0, |V|).
    U : array_like, shape (|V|, d)
        Outside vectors, row w = u_w.

    Returns
    -------
    loss : float
    grad_v_c : ndarray, shape (d,)
    grad_U : ndarray, shape (|V|, d)
    """
    U = check.matrix("U", U)
    v_c = check.vector("v_c", v_c, U.shape[1])
    o = check.index("o", o, U.shape[0])

    scores = U @ v_c  # (|V|,)
    y_hat = softmax(scores)
    m = scores.max()
    loss = float(m + np.log(np.sum(np.exp(scores - m))) - scores[o])

    delta = y_hat  # y_hat - y, in place: y is one-hot at o
    delta[o] -= 1.0
    grad_v_c = U.T @ delta  # (d,)
    grad_U = np.outer(delta, v_c)  # (|V|, d)
    return loss, grad_v_c, grad_U


def neg_sampling_loss_and_gradient(
    v_c: ArrayLike, o: int, U: ArrayLike, neg_indices: ArrayLike
) -> tuple[float, Array, Array]:
    r"""Negative-sampling loss of outside word ``o`` against K negatives, and its gradients.

    Equations (sigma is the logistic function, k runs over ``neg_indices``)::

        loss     = -log sigma(u_o . v_c) - sum_k log sigma(-u_k . v_c)
        grad_v_c = (sigma(u_o . v_c) - 1) u_o + sum_k sigma(u_k . v_c) u_k        (d,)
        grad_u_o = (sigma(u_o . v_c) - 1) v_c                                     (d,)
        grad_u_k = sigma(u_k . v_c) v_c, summed over every occurrence of k        (d,)

    All other rows of grad_U are zero. A negative drawn twice is two terms of
    the sum, so it contributes twice to its row of grad_U (accumulated with
    ``np.add.at``, never overwritten). -log sigma(z) is computed as
    log(1 + exp(-z)) with ``np.logaddexp``, finite for any finite z.

    Parameters
    ----------
    v_c : array_like, shape (d,)
        Center word vector.
    o : int
        Index of the outside word, in [0, |V|).
    U : array_like, shape (|V|, d)
        Outside vectors, row w = u_w.
    neg_indices : array_like of int, shape (K,), K >= 1
        Negative samples; repeats allowed, ``o`` not allowed.

    Returns
    -------
    loss : float
    grad_v_c : ndarray, shape (d,)
    grad_U : ndarray, shape (|V|, d)

    Raises
    ------
    ValueError
        If ``o`` is among the negatives (``ConfigError``, a ValueError), or a
        shape is wrong.
    IndexError
        If an index lies outside the vocabulary.
    """
    U = check.matrix("U", U)
    v_c = check.vector("v_c", v_c, U.shape[1])
    o = check.index("o", o, U.shape[0])
    neg = check.indices("neg_indices", neg_indices, U.shape[0])
    if np.any(neg == o):
        raise ConfigError(
            f"`neg_indices` must not contain the outside word o={o}; got {neg.tolist()}."
        )

    u_o = U[o]  # (d,)
    U_neg = U[neg]  # (K, d)
    z_o = float(u_o @ v_c)
    z_neg = U_neg @ v_c  # (K,)
    s_o = float(sigmoid(z_o))
    s_neg = sigmoid(z_neg)  # sigma(u_k . v_c), (K,)

    loss = float(np.logaddexp(0.0, -z_o) + np.sum(np.logaddexp(0.0, z_neg)))
    grad_v_c = (s_o - 1.0) * u_o + s_neg @ U_neg  # (d,)
    grad_U = np.zeros_like(U)
    grad_U[o] = (s_o - 1.0) * v_c
    np.add.at(grad_U, neg, np.outer(s_neg, v_c))  # repeated k accumulate
    return loss, grad_v_c, grad_U


def hierarchical_softmax_loss_and_gradient(
    v_c: ArrayLike, points: ArrayLike, codes: ArrayLike, U: ArrayLike
) -> tuple[float, Array, Array]:
    r"""Hierarchical-softmax loss of one word, given its Huffman path, and its gradients.

    The word's probability is a product of binary decisions along its path from
    the root: at inner node n_l (a row u_{n_l} of U) the path goes to child
    ``codes[l]``, taken with probability sigma(s_l u_{n_l} . v_c), s_l = 1 - 2 code_l
    (word2vec C's convention: label 1 - code_l). So::

        loss         = -sum_l log sigma(s_l u_{n_l} . v_c)
        grad_v_c     = -sum_l (1 - code_l - sigma(u_{n_l} . v_c)) u_{n_l}         (d,)
        grad_u_{n_l} = -(1 - code_l - sigma(u_{n_l} . v_c)) v_c                   (d,)

    Parameters
    ----------
    v_c : array_like, shape (d,)
    points : array_like of int, shape (L,)
        Inner-node rows of U on the path, root first (distinct).
    codes : array_like of {0, 1}, shape (L,)
    U : array_like, shape (|V| - 1, d)
        Inner-node vectors.

    Returns
    -------
    loss : float
    grad_v_c : ndarray, shape (d,)
    grad_U : ndarray, shape (|V| - 1, d)
    """
    U = check.matrix("U", U)
    v_c = check.vector("v_c", v_c, U.shape[1])
    points = check.indices("points", points, U.shape[0])
    codes = np.asarray(codes)
    if codes.shape != points.shape or not np.isin(codes, (0, 1)).all():
        raise ConfigError(
            f"`codes` must be {len(points)} bits (0 or 1), one per point; got {codes.tolist()}."
        )
    z = U[points] @ v_c  # (L,)
    label = 1.0 - codes  # (L,)
    sign = 2.0 * label - 1.0  # s_l
    loss = float(np.sum(np.logaddexp(0.0, -sign * z)))
    delta = sigmoid(z) - label  # (L,), = -(1 - code - sigma)
    grad_v_c = delta @ U[points]
    grad_U = np.zeros_like(U)
    np.add.at(grad_U, points, np.outer(delta, v_c))
    return loss, grad_v_c, grad_U


def hs_neg_loss_and_gradient(
    v_c: ArrayLike,
    o: int,
    U_neg: ArrayLike,
    neg_indices: ArrayLike,
    points: ArrayLike,
    codes: ArrayLike,
    U_hs: ArrayLike,
) -> tuple[float, Array, Array, Array]:
    r"""Hierarchical softmax and negative sampling of the same word, trained together.

    word2vec C's ``-hs 1 -negative K``: the two objectives have their own output
    matrices (``U_neg``, one row per word; ``U_hs``, one row per inner node) and share
    the input vector, whose step is the sum of both gradients::

        loss     = loss_neg(v_c; o, U_neg, negatives) + loss_hs(v_c; path of o, U_hs)
        grad_v_c = grad_v_c of loss_neg + grad_v_c of loss_hs                     (d,)
        grad_U_neg, grad_U_hs: each objective's own, as in the two functions it sums

    See :func:`neg_sampling_loss_and_gradient` and
    :func:`hierarchical_softmax_loss_and_gradient` for the two terms; ``points`` and
    ``codes`` are the Huffman path of ``o``.

    Returns
    -------
    loss : float
    grad_v_c : ndarray, shape (d,)
    grad_U_neg : ndarray, shape (|V|, d)
    grad_U_hs : ndarray, shape (|V| - 1, d)
    """
    l_neg, g_neg, grad_U_neg = neg_sampling_loss_and_gradient(v_c, o, U_neg, neg_indices)
    l_hs, g_hs, grad_U_hs = hierarchical_softmax_loss_and_gradient(v_c, points, codes, U_hs)
    return l_neg + l_hs, g_neg + g_hs, grad_U_neg, grad_U_hs


class UnigramSampler:
    r"""Draws negatives from the unigram distribution raised to ``power``: P(w) ∝ count(w)^power.

    The cumulative distribution is computed once, so each draw costs
    O(k log |V|). Words with count 0 are never drawn.

    Parameters
    ----------
    counts : array_like, shape (|V|,)
        Non-negative word counts (at least one positive).
    power : float
        Exponent of the counts; 0.75 as in word2vec and CS224n.
    """

    def __init__(self, counts: ArrayLike, power: float = 0.75) -> None:
        c = check.vector("counts", counts)
        if c.size == 0 or not np.all(np.isfinite(c)) or np.any(c < 0) or not np.any(c > 0):
            raise ConfigError(
                "`counts` must be finite, non-negative word counts with at least one positive; "
                f"got {_preview(c)}."
            )
        if isinstance(power, bool) or not isinstance(power, int | float) or power < 0:
            raise ConfigError(f"`power` must be a float >= 0; got {power!r}.")
        weights = np.where(c > 0, c, 0.0) ** float(power)
        weights[c == 0] = 0.0  # 0 ** 0 would be 1
        self.counts = c
        self.power = float(power)
        #: P(w), shape (|V|,)
        self.probabilities = weights / weights.sum()
        self._cdf = np.cumsum(weights)
        self._last = int(np.flatnonzero(weights)[-1])  # guards the u == total rounding edge

    @property
    def vocab_size(self) -> int:
        return int(self.counts.shape[0])

    def sample(self, o: int, k: int, rng: np.random.Generator | int | None = None) -> NDArray:
        r"""``k`` indices drawn i.i.d. from P(w), none equal to ``o``.

        A draw that hits ``o`` is redrawn (never dropped), as the course's
        ``getNegativeSamples`` does, so the k indices follow P(w | w != o).

        Returns
        -------
        ndarray of int64, shape (k,)
        """
        o = check.index("o", o, self.vocab_size)
        k = check.positive_int("k", k)
        if self.probabilities[o] >= 1.0:
            raise ConfigError(
                f"`counts` must give a positive count to some word other than o={o}; "
                "every other word has count 0, so no negative can be drawn."
            )
        rng = np.random.default_rng(rng)
        out = self._draw(k, rng)
        bad = np.flatnonzero(out == o)
        while bad.size:  # expected number of rounds is 1 / (1 - P(o))
            out[bad] = self._draw(bad.size, rng)
            bad = bad[out[bad] == o]
        return out

    __call__ = sample

    def _draw(self, n: int, rng: np.random.Generator) -> NDArray[np.int64]:
        u = rng.random(n) * self._cdf[-1]
        idx = np.searchsorted(self._cdf, u, side="right")
        return np.minimum(idx, self._last).astype(np.int64)


def sample_negatives(
    o: int, k: int, counts: ArrayLike, rng: np.random.Generator | int | None = None
) -> NDArray[np.int64]:
    r"""``k`` negative indices drawn from P(w) ∝ count(w)^0.75, never equal to ``o``.

    Draws equal to ``o`` are redrawn, not dropped, so exactly ``k`` come back;
    repeats among them are allowed. For many calls over the same counts, build
    a :class:`UnigramSampler` once instead.

    Parameters
    ----------
    o : int
        The outside word, excluded from the negatives.
    k : int
        Number of negatives K >= 1.
    counts : array_like, shape (|V|,)
        Word counts.
    rng : numpy.random.Generator or int seed

    Returns
    -------
    ndarray of int64, shape (k,)
    """
    return UnigramSampler(counts).sample(o, k, rng)


class NegSamplingLoss:
    r"""A ``loss_fn(v_c, o, U)`` that draws K fresh negatives on every call.

    Calls :func:`neg_sampling_loss_and_gradient` with
    ``neg_indices = sampler(o, K, rng)``; the last negatives drawn are kept in
    :attr:`last_negatives` so a caller (or a test) can replay the call.
    """

    def __init__(self, sampler: Sampler, k: int, rng: np.random.Generator) -> None:
        self.sampler = sampler
        self.k = k
        self.rng = rng
        self.last_negatives: NDArray[np.int64] | None = None

    def __call__(self, v_c: ArrayLike, o: int, U: ArrayLike) -> tuple[float, Array, Array]:
        neg = self.sampler(o, self.k, self.rng)
        self.last_negatives = neg
        return neg_sampling_loss_and_gradient(v_c, o, U, neg)


def make_neg_sampling_loss(
    sampler_or_counts: UnigramSampler | Sampler | ArrayLike,
    k: int,
    rng: np.random.Generator | int | None = None,
) -> NegSamplingLoss:
    r"""Build a negative-sampling ``loss_fn`` with the signature of the naive-softmax loss.

    Parameters
    ----------
    sampler_or_counts : UnigramSampler, callable or array_like of shape (|V|,)
        Where negatives come from: a :class:`UnigramSampler`, any callable
        ``sampler(o, k, rng) -> (k,) int indices``, or word counts (a
        :class:`UnigramSampler` with power 0.75 is built from them).
    k : int
        Negatives per call, K >= 1.
    rng : numpy.random.Generator or int seed
        Source of randomness for every draw.

    Returns
    -------
    NegSamplingLoss
        ``loss_fn(v_c, o, U) -> (loss, grad_v_c (d,), grad_U (|V|, d))``.
    """
    k = check.positive_int("k", k)
    if isinstance(sampler_or_counts, UnigramSampler) or callable(sampler_or_counts):
        sampler = sampler_or_counts
    else:
        sampler = UnigramSampler(sampler_or_counts)
    return NegSamplingLoss(sampler, k, np.random.default_rng(rng))


def _preview(a: NDArray) -> str:
    return np.array2string(a, threshold=8, edgeitems=3)
