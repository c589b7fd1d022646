"""Exact (full) softmax training, by matrix products over batches of centers.

Skip-gram here is the derivation's form: the center's input vector v_c
predicts every outside word o of its window through one softmax,
``y_hat = softmax(U v_c)``, so the window's loss and gradients are

    J = sum_o -log y_hat[o]
    dJ/dv_c = U^T (n y_hat - y),    dJ/dU = (n y_hat - y) v_c^T

with n the number of outside words and y their count vector: one softmax per
center instead of one per (center, outside) pair, exactly the reference
``skipgram(..., naive_softmax_loss_and_gradient)``. CBOW predicts the center
from h = mean (or sum) of the context vectors. A batch of B centers is one
(B x d) @ (d x V) product, its softmax, and two products back; the update is
``-alpha`` times the summed reference gradients at the batch's starting
weights. BLAS spreads the products over all cores, so jobs run one at a time.
Meant for vocabularies up to ~50k words: each batch touches all of ``w_out``.
"""

from __future__ import annotations

import numba
import numpy as np

from .kernels import next_sentence, seed_state, window_width

BATCH = 64  # centers per matrix product: fits the (B x V) scores in cache; larger batches
# also make the update staler (B centers summed at the same weights) and diverge sooner


@numba.njit(nogil=True, cache=True)
def windows(tokens, keep, window, shrink, seed, max_sentence):
    """Sub-sample and window one job. Returns (centers, ptr, ctx, words_read).

    The context words of ``centers[i]`` are ``ctx[ptr[i]:ptr[i+1]]``; centers with
    no context (one-word sentences) are left out.
    """
    n_tokens = len(tokens)
    centers = np.empty(n_tokens, dtype=np.int64)
    ptr = np.zeros(n_tokens + 1, dtype=np.int64)
    ctx = np.empty(n_tokens * 2 * window, dtype=np.int64)
    sent = np.empty(max_sentence, dtype=np.int64)
    state = seed_state(seed)
    n_c = 0
    n_x = 0
    start = np.int64(0)  # not a literal 0, which would compile an unused next_sentence
    words = 0
    while start < n_tokens:
        n, end, start_next, state = next_sentence(tokens, start, keep, state, sent)
        words += end - start
        start = start_next
        for pos in range(n):
            b, state = window_width(state, window, shrink)
            m0 = n_x
            for j in range(max(0, pos - b), min(n, pos + b + 1)):
                if j != pos:
                    ctx[n_x] = sent[j]
                    n_x += 1
            if n_x > m0:
                centers[n_c] = sent[pos]
                n_c += 1
                ptr[n_c] = n_x
    return centers[:n_c], ptr[: n_c + 1], ctx[:n_x], words


@numba.njit(nogil=True, cache=True)
def _cbow_inputs(w_in, ptr, ctx, mean):
    h = np.zeros((len(ptr) - 1, w_in.shape[1]), dtype=np.float32)
    for i in range(len(ptr) - 1):
        for j in range(ptr[i], ptr[i + 1]):
            h[i] += w_in[ctx[j]]
        if mean:
            h[i] /= ptr[i + 1] - ptr[i]
    return h


@numba.njit(nogil=True, cache=True)
def _scatter_rows(w, rows, delta, scale):
    """w[rows[i]] += scale[i] * delta[i], accumulating repeated rows."""
    for i in range(len(rows)):
        w[rows[i]] += scale[i] * delta[i]


@numba.njit(nogil=True, cache=True)
def _scatter_ctx(w_in, ptr, ctx, delta):
    """Each context row of center i gets delta[i] whole (word2vec C's CBOW convention)."""
    for i in range(len(ptr) - 1):
        for j in range(ptr[i], ptr[i + 1]):
            w_in[ctx[j]] += delta[i]


def batch_step(w_in, w_out, centers, ptr, ctx, alpha, model, mean=True):
    """One exact-softmax step over a batch; returns (loss sum, number of loss terms).

    model "skipgram": ``centers`` predict their ``ctx`` words; "cbow": the context
    predicts the center. ``ptr`` are the batch-local offsets into ``ctx``.
    """
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported by the caller
        return _batch_step(w_in, w_out, centers, ptr, ctx, alpha, model, mean)


def _batch_step(w_in, w_out, centers, ptr, ctx, alpha, model, mean):
    n_ctx = np.diff(ptr)
    if model == "skipgram":
        x = w_in[centers]  # (B, d)
        targets_row = np.repeat(np.arange(len(centers)), n_ctx)  # (P,) batch row of each pair
        targets = ctx
    else:
        x = _cbow_inputs(w_in, ptr, ctx, mean)
        targets_row = np.arange(len(centers))
        targets = centers
    scores = x @ w_out.T  # (B, V)
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    z = scores.sum(axis=1, keepdims=True)
    scores /= z  # now y_hat
    loss = -np.log(np.maximum(scores[targets_row, targets], 1e-30)).sum(dtype=np.float64)
    # (n y_hat - y) for skip-gram; (y_hat - y) for CBOW
    if model == "skipgram":
        scores *= n_ctx[:, None].astype(np.float32)
    np.subtract.at(scores, (targets_row, targets), 1.0)
    dx = scores @ w_out  # (B, d) = dJ/dx
    w_out -= alpha * (scores.T @ x)  # (V, d)
    if model == "skipgram":
        _scatter_rows(w_in, centers, dx, np.full(len(centers), -alpha, dtype=np.float32))
    else:
        _scatter_ctx(w_in, ptr, ctx, (-alpha * dx).astype(np.float32))
    return float(loss), float(len(targets))


def train_job(w_in, w_out, ids, keep, cfg, alpha0, alpha1, seed, acc, stop=None) -> bool:
    """Train one job (ids, -1 after each sentence) by batches of ``BATCH`` centers.

    The learning rate goes linearly from ``alpha0`` to ``alpha1`` over the job's
    centers; ``keep`` are the sub-sampling thresholds, ``cfg`` the
    :class:`~wordvec.config.TrainConfig`. Adds (loss sum, loss terms, words read,
    words kept) to the float64 accumulator ``acc`` (shape (4,)) in place, batch
    by batch, so that a resumed epoch sums its loss in the same order.

    ``stop`` (a ``threading.Event``, optional) is checked before every batch: once it
    is set the job ends early and returns False (the caller counts it as not done);
    otherwise it returns True.
    """
    centers, ptr, ctx, words = windows(
        ids, keep, cfg.window, cfg.shrink_windows, seed, cfg.max_sentence_length
    )
    n = len(centers)
    for b0 in range(0, n, BATCH):
        if stop is not None and stop.is_set():
            return False
        b1 = min(n, b0 + BATCH)
        alpha = np.float32(alpha0 + (alpha1 - alpha0) * (b0 / max(n, 1)))
        loss, terms = batch_step(
            w_in,
            w_out,
            centers[b0:b1],
            ptr[b0 : b1 + 1] - ptr[b0],
            ctx[ptr[b0] : ptr[b1]],
            alpha,
            cfg.model,
            cfg.cbow_mean,
        )
        acc[0] += loss
        acc[1] += terms
    acc[2] += int(words)
    acc[3] += n
    return True
