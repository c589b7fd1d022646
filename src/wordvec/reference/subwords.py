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

One update per center. fastText recomputes h and writes back to the center's ~20 rows
for every (center, context) pair in turn. Here a skip-gram center takes *one* step on
the sum of its pairs' losses, every gradient taken at the weights as they were before
the step: one hidden vector and one write-back per center (as the word2vec engine
batches a window). Both are SGD on the same objective; they differ by the O(lr^2)
effect of a pair's update on the next pair's gradient within one window. The quality
bounds of issue 20 are measured by ``bench/bench_fasttext.py``.

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
    ids = np.array([o for o, _ in outputs], dtype=np.int64)
    y = np.array([lab for _, lab in outputs], dtype=np.float64)
    z = U[ids] @ h
    # -log sigma(z) for y = 1, -log sigma(-z) for y = 0
    J = float(np.sum(np.logaddexp(0.0, np.where(y == 1.0, -z, z))))
    delta = _sigmoid(z) - y  # dJ/dz_k
    dh = delta @ U[ids]
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
