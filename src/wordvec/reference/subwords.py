r"""Subword (fastText) skip-gram and CBOW in float64: losses, gradients w.r.t. every row, updates.

The derivation the compiled subword kernels (``wordvec.engine.subword_kernels``) are
held to. ``W`` is the input matrix, (V + bucket) x d: row ``w`` < V is word w's own
vector, row V + b is n-gram bucket b. A vocabulary word's *rows* R(w) are its own row
followed by its n-gram rows (``wordvec.subwords.word_rows``; a row may repeat when two
n-grams hash alike). ``U`` holds the output vectors (word rows for negative sampling,
inner Huffman nodes for hierarchical softmax), as for word2vec.

Input vector. A word's input vector is the mean of its rows::

    h = (1 / n) sum_{j=1..n} W[r_j],        (r_1 .. r_n) = R(w), n = |R(w)|

Every objective below is a sum of binary logistic terms of one hidden vector h (the
logistic block of ``wordvec.engine.kernels``)::

    J(h, U) = - sum_k [ y_k log sigma(u_k . h) + (1 - y_k) log sigma(-u_k . h) ]
    dJ/dh   = - sum_k (y_k - sigma(u_k . h)) u_k
    dJ/du_k = - (y_k - sigma(u_k . h)) h

and by the chain rule through the mean, for every row r of W::

    dJ/dW[r] = (c_r / n) dJ/dh,        c_r = how many times r occurs in (r_1 .. r_n)

Which update. fastText (``Model::update``) adds the *whole* ``-lr dJ/dh`` to every row
(once per occurrence) in its unsupervised modes, i.e. n times the exact gradient; it
divides by n only in supervised mode. :func:`sgd_step` does either:
``row_gradient="fasttext"`` (the default of ``wordvec.FastText``, and the kernels'
default) or ``"exact"``. fastText's rule is kept because (1) the published learning
rate 0.05 and every fastText result assume it: with the exact gradient each of a word's
~20 rows moves 20 times less, so the input vectors learn ~20 times slower at the same
rate; (2) it is what makes a model trained here mean the same thing as one fastText
trains (its rows have the same scale). ``bench/bench_fasttext.py --row-gradient exact``
measures the other rule.

Objectives, for a center word c at a position of a sentence, its context C (the words
within the sampled window):

* skip-gram (fastText's direction: the *center*'s rows are the input, the context words
  the targets): h = mean over R(c); for each context word o in C the outputs are
  [o with label 1, K negatives (never o) with label 0] for negative sampling, or the
  inner nodes of o's Huffman path with labels 1 - code for hierarchical softmax
  (word2vec C's label; fastText uses the code itself, which negates the node vectors:
  ``FastText.save_fasttext`` writes them negated). J is the sum over all o.
* CBOW: h = mean over *all rows of all context words together*, R(o_1) + R(o_2) + ...
  (fastText's ``bow``), and the outputs are [c, K negatives (never c)] or c's path.

Pair by pair, one write-back per center. fastText's skip-gram takes one SGD step per
(center, target) pair in window order: it recomputes h from the rows, steps the outputs
of the pair and adds the pair's ``a_j = -lr dJ_j/dh`` to every listed row. The rows are
read by nothing else within the center, so the same sequence of updates follows from
tracking h instead of recomputing it: after a_j is added to each occurrence of a row,
the mean moves by ``f a_j`` with ``f = (sum_r c_r^2) / n`` (f = 1 when no row repeats),
so ``h_{j+1} = h_j + f a_j``, and each occurrence gets ``sum_j a_j`` once at the end
(:func:`sgd_step_pairs`; the compiled kernel does the same at one read and one write of
the rows per center instead of one per pair). The only departure from fastText is inside
one pair, where fastText steps each output before scoring the next: an output drawn twice
for the same pair here gets both terms from its value before the pair (the summed
gradient, as ``loss_and_gradients`` gives it). CBOW has one target per center, so its
update is :func:`sgd_step`.

(The engine took one step on the sum of a center's pairs before, every gradient at the
weights before the center; ``tests/subwords`` holds that this differs from fastText's
sequence by more than float32 rounding.)

:func:`loss_and_gradients` gives J and its exact gradient w.r.t. every row of W and
U; ``tests/reference/test_reference_subwords.py`` checks it numerically
(``reference.gradcheck``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from ..errors import ConfigError

__all__ = [
    "hidden",
    "outputs_skipgram",
    "outputs_cbow",
    "loss_and_gradients",
    "sgd_step",
    "sgd_step_pairs",
    "ROW_GRADIENTS",
]

Array = NDArray[np.float64]
#: the two rules for the input rows: fastText's (whole dJ/dh per row) or the exact gradient
ROW_GRADIENTS = ("fasttext", "exact")


def hidden(W: Array, rows: Sequence[int]) -> Array:
    """h = mean of ``W[rows]`` (zero when there is no row, as fastText's empty input)."""
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        return np.zeros(W.shape[1])
    return W[rows].mean(axis=0)


def outputs_skipgram(
    context: Sequence[int],
    loss: str,
    negatives: Sequence[Sequence[int]] | None = None,
    paths: Sequence[Sequence[int]] | None = None,
    codes: Sequence[Sequence[int]] | None = None,
) -> list[tuple[int, int]]:
    """(row of U, label) of a skip-gram center: per context word o, [o, negatives of o]
    (``negatives[j]`` belongs to ``context[j]``) or o's Huffman path (label 1 - code)."""
    out: list[tuple[int, int]] = []
    for j, o in enumerate(context):
        if loss == "neg":
            out.append((int(o), 1))
            out.extend((int(k), 0) for k in negatives[j])
        else:
            out.extend((int(n), 1 - int(b)) for n, b in zip(paths[o], codes[o], strict=True))
    return out


def outputs_cbow(
    center: int,
    loss: str,
    negatives: Sequence[int] | None = None,
    paths: Sequence[Sequence[int]] | None = None,
    codes: Sequence[Sequence[int]] | None = None,
) -> list[tuple[int, int]]:
    """(row of U, label) of a CBOW center: [center, its negatives] or its Huffman path."""
    if loss == "neg":
        return [(int(center), 1)] + [(int(k), 0) for k in negatives]
    return [(int(n), 1 - int(b)) for n, b in zip(paths[center], codes[center], strict=True)]


def _sigmoid(z: Array) -> Array:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # 1 / (1 + e^-z), without overflow


def _logistic(h: Array, U: Array, outputs: Sequence[tuple[int, int]]):
    """J of one hidden vector h against ``outputs``, the rows of U they name, dJ/dz_k
    (z_k = u_k . h) and dJ/dh."""
    ids = np.array([o for o, _ in outputs], dtype=np.int64)
    y = np.array([lab for _, lab in outputs], dtype=np.float64)
    z = U[ids] @ h
    # -log sigma(z) for y = 1, -log sigma(-z) for y = 0
    J = float(np.sum(np.logaddexp(0.0, np.where(y == 1.0, -z, z))))
    delta = _sigmoid(z) - y  # dJ/dz_k
    return J, ids, delta, delta @ U[ids]


def loss_and_gradients(
    W: Array, U: Array, rows: Sequence[int], outputs: Sequence[tuple[int, int]]
) -> tuple[float, Array, Array, Array]:
    """J of one center, h = mean of ``W[rows]``, and its exact gradients.

    Returns ``(J, dJ/dh, dJ/dW, dJ/dU)``: dJ/dW is (c_r / n) dJ/dh on every row r of
    ``rows`` (repeats add up), zero elsewhere; an output row listed twice gets both terms.
    """
    W = np.asarray(W, dtype=np.float64)
    U = np.asarray(U, dtype=np.float64)
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        raise ConfigError("`rows` must name at least one row of W; got none.")
    h = hidden(W, rows)
    J, ids, delta, dh = _logistic(h, U, outputs)
    dW = np.zeros_like(W)
    np.add.at(dW, rows, np.broadcast_to(dh / rows.size, (rows.size, W.shape[1])))
    dU = np.zeros_like(U)
    np.add.at(dU, ids, np.outer(delta, h))
    return J, dh, dW, dU


def sgd_step(
    W: Array,
    U: Array,
    rows: Sequence[int],
    outputs: Sequence[tuple[int, int]],
    alpha: float,
    row_gradient: str = "fasttext",
) -> float:
    """One update of a center, in place; returns J before it.

    U moves by ``-alpha dJ/dU``; each occurrence of a row of ``rows`` in W moves by
    ``-alpha dJ/dh`` (``"fasttext"``: n times the exact gradient) or by
    ``-alpha dJ/dh / n`` (``"exact"``: the gradient itself). All from the weights before
    the step.
    """
    if row_gradient not in ROW_GRADIENTS:
        raise ConfigError(f"`row_gradient` must be one of {ROW_GRADIENTS}; got {row_gradient!r}.")
    J, _dh, dW, dU = loss_and_gradients(W, U, rows, outputs)
    n = len(rows)
    W -= alpha * (n * dW if row_gradient == "fasttext" else dW)
    U -= alpha * dU
    return J


def sgd_step_pairs(
    W: Array,
    U: Array,
    rows: Sequence[int],
    pair_outputs: Sequence[Sequence[tuple[int, int]]],
    alpha: float,
    row_gradient: str = "fasttext",
) -> float:
    """A skip-gram center's update, pair by pair, in place; returns the summed loss.

    ``pair_outputs[j]`` are the (row of U, label) of target j (``outputs_skipgram`` of
    one context word). For each pair in turn, at the current h: U moves by
    ``-alpha dJ_j/dU`` and a_j = ``-alpha dJ_j/dh`` (``"exact"``: divided by n) is the
    step of every listed row, after which h moves by ``f a_j`` (f = sum_r c_r^2 / n, the
    move of the mean when every occurrence gets a_j). W's rows get the sum of the a_j
    once, at the end: fastText's per-pair updates, as the module doc derives.
    """
    if row_gradient not in ROW_GRADIENTS:
        raise ConfigError(f"`row_gradient` must be one of {ROW_GRADIENTS}; got {row_gradient!r}.")
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        raise ConfigError("`rows` must name at least one row of W; got none.")
    n = rows.size
    _, counts = np.unique(rows, return_counts=True)
    f = float(np.sum(counts.astype(np.float64) ** 2)) / n
    h = hidden(W, rows)
    total = np.zeros(W.shape[1])
    J = 0.0
    for outputs in pair_outputs:
        J_j, ids, delta, dh = _logistic(h, U, outputs)
        J += J_j
        np.add.at(U, ids, -alpha * np.outer(delta, h))
        a = -alpha * dh / (n if row_gradient == "exact" else 1)
        total += a
        h = h + f * a
    np.add.at(W, rows, np.broadcast_to(total, (n, W.shape[1])))
    return J
