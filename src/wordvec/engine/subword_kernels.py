"""Compiled subword (fastText) kernels: skip-gram and CBOW with negative sampling or
hierarchical softmax, a word's input vector being the mean of its rows.

The derivation is ``wordvec.reference.subwords``' docstring; this module applies it
with the logistic block of ``kernels.py`` (:func:`kernels.block_update`, unchanged), so
the update of the outputs is the word2vec engine's. What is new is the input side:

* ``w_in`` is (V + bucket) x d; word w's rows are ``sub_rows[sub_offsets[w]:
  sub_offsets[w + 1]]`` (its own row, then its n-gram rows: the CSR table of
  ``wordvec.subwords.ngram_table``, which the trainer passes as a second input).
* skip-gram: the input is the *center*'s rows (fastText's direction); the targets are
  its context words in window order, each with its outputs [o, K negatives] or o's
  Huffman path. fastText takes one update per (center, target) pair, recomputing the mean
  and writing to the center's rows every time; here the mean is computed once per center
  and moved by each pair's input step, and the rows are written once per center with
  the sum of the steps (:func:`subword_step`): the same updates as fastText's, pair by
  pair, at one read and one write of the ~20 rows per center.
* CBOW: the input is the mean of all rows of all context words together; outputs are
  [center, K negatives] or the center's path.
* write-back: every occurrence of a row gets ``-alpha dJ/dh`` (fastText's rule,
  ``exact=False``) or ``-alpha dJ/dh / n`` (the exact gradient, ``exact=True``).

Random numbers (one xorshift64* stream per job, as ``kernels.py`` documents): 1. the
sentences' sub-sampling and 2. the window widths exactly as there; 3. negative sampling,
drawn right after the center's width, with no look-ahead: skip-gram draws K negatives per
context word, in window order, each never equal to that context word (fastText draws K
per (center, context) pair and rejects the target); CBOW draws K, never the center. The
draw of one negative is :func:`kernels._draw_negatives`' (alias table, or inversion for
the dominant word). Hierarchical softmax reads nothing more.

Loss terms: skip-gram counts one per (center, context) pair, CBOW one per center, as the
word2vec kernels do.
"""

from __future__ import annotations

import numba
import numpy as np

from .kernels import (
    _JIT,
    _draw_negatives,
    _prefetch_row,
    block_update,
    count_words,
    job_result,
    next_sentence,
    seed_state,
    window_width,
)
from .tables import CBOW, HS, LOSS_NAMES, MODEL_NAMES, NEG, SKIPGRAM

__all__ = ["subword_step", "max_rows", "SUBWORD_JOB_KERNELS", "train_subword_job"]


@numba.njit(**_JIT)
def max_rows(sub_offsets):
    """The most rows any word has (the kernels' scratch size)."""
    m = 1
    for w in range(len(sub_offsets) - 1):
        m = max(m, sub_offsets[w + 1] - sub_offsets[w])
    return m


@numba.njit(**_JIT)
def subword_step(w_in, w_out, in_rows, n_rows, out_ids, labels, out_start, n_targets, alpha,
                 exact, x, dx, acc, g, sig, sp):  # fmt: skip
    """One center: h = mean of ``w_in[in_rows[:n_rows]]`` against its targets, one by one.

    Target j's outputs are ``out_ids[out_start[j]:out_start[j + 1]]`` (a context word and
    its negatives, or its Huffman path). For each target in turn the outputs move by
    ``-alpha dJ_j/du`` (:func:`kernels.block_update`) at the current h and the input step
    ``a_j = -alpha dJ_j/dh`` (divided by ``n_rows`` when ``exact``) is what fastText adds
    to every listed row (repeats included) before the next target; the mean of the rows
    then moves by ``f a_j``, f = (sum over listed rows of their count) / n_rows (1 without
    repeats), so h is moved by that instead of being recomputed. The rows get the sum of
    the a_j once, at the end. Returns the loss, summed over the targets.
    """
    d = w_in.shape[1]
    for t in range(d):
        x[0, t] = 0.0
        acc[t] = 0.0
    for i in range(n_rows):
        r = in_rows[i]
        for t in range(d):
            x[0, t] += w_in[r, t]
    inv = np.float32(1.0 / n_rows)
    for t in range(d):
        x[0, t] *= inv
    shift = np.float32(1.0)
    if n_targets > 1:  # only a later target reads the moved mean
        same = 0
        for i in range(n_rows):
            for k in range(n_rows):
                if in_rows[i] == in_rows[k]:
                    same += 1
        shift = np.float32(same / n_rows)
    loss = 0.0
    for j in range(n_targets):
        lo = out_start[j]
        hi = out_start[j + 1]
        loss += block_update(x, 1, w_out, out_ids[lo:hi], labels[lo:hi], hi - lo, alpha, dx,
                             g, sig, sp)  # fmt: skip
        step = inv if exact else np.float32(1.0)
        for t in range(d):
            a = dx[0, t] * step
            acc[t] += a
            x[0, t] += shift * a
    for i in range(n_rows):
        r = in_rows[i]
        for t in range(d):
            w_in[r, t] += acc[t]
    return loss


def _job_kernel(model_kind: int, loss_kind: int):
    """The subword job kernel of one (model, loss) pair, compiled on its first use."""

    def train_subword_job(w_in, w_out, tokens, tables, hp, sub_offsets, sub_rows, exact,
                          alpha0, alpha1, seed, max_sentence):  # fmt: skip
        """Train on one job (word ids, -1 ending each sentence); learning rate linear from
        alpha0 to alpha1 across the job's words. Returns float64 [loss sum, loss terms,
        words read, words kept, stopped], as ``kernels.train_job``."""
        d = w_in.shape[1]
        window = hp.window
        neg = hp.negative
        per_target = neg + 1 if loss_kind == NEG else max(hp.max_path, 1)
        max_out = 2 * window * per_target if model_kind == SKIPGRAM else per_target
        most = max_rows(sub_offsets)
        max_in = most if model_kind == SKIPGRAM else 2 * window * most
        x = np.empty((1, d), dtype=np.float32)
        dx = np.empty((1, d), dtype=np.float32)
        acc = np.empty(d, dtype=np.float32)
        g = np.empty((1, max_out), dtype=np.float32)
        out_start = np.empty(2 * window + 1, dtype=np.int64)
        ctx = np.empty(2 * window, dtype=np.int64)
        in_rows = np.empty(max_in, dtype=np.int64)
        out_ids = np.empty(max_out, dtype=np.int64)
        labels = np.zeros(max_out, dtype=np.uint8)
        sent = np.empty(max_sentence, dtype=np.int64)
        negs = np.empty(max(neg, 1), dtype=np.int64)
        keep = tables.keep
        stop = tables.stop
        sig = tables.sigmoid
        sp = tables.softplus
        n_vocab = len(keep)
        state = seed_state(seed)
        n_tokens = len(tokens)
        n_words = count_words(tokens)
        loss = 0.0
        terms = 0.0
        words_read = 0
        words_kept = 0
        stopped = False
        start = np.int64(0)
        while start < n_tokens and not stopped:
            n, end, nxt, state = next_sentence(tokens, start, keep, state, sent)
            alpha = alpha0 + (alpha1 - alpha0) * (words_read / max(n_words, 1))
            words_read += end - start
            words_kept += n
            start = nxt
            for pos in range(n):
                if stop[0] != 0:
                    stopped = True
                    break
                center = sent[pos]
                # the rows a later step reads, asked for now (hints change no result): the
                # next center's rows (skip-gram), or those of the word entering the widest
                # window (CBOW); a word's n-gram rows are scattered over the buckets
                ahead = pos + 1 if model_kind == SKIPGRAM else pos + window + 1
                if ahead < n:
                    nxt_word = sent[ahead]
                    for q in range(sub_offsets[nxt_word], sub_offsets[nxt_word + 1]):
                        _prefetch_row(w_in, sub_rows[q])
                b, state = window_width(state, window, hp.shrink)
                n_ctx = np.int64(0)
                for j in range(max(0, pos - b), min(n, pos + b + 1)):
                    if j != pos:
                        ctx[n_ctx] = sent[j]
                        n_ctx += 1
                if n_ctx == 0:  # a one-word sentence
                    continue
                # the input rows
                n_rows = np.int64(0)
                if model_kind == SKIPGRAM:
                    for q in range(sub_offsets[center], sub_offsets[center + 1]):
                        in_rows[n_rows] = sub_rows[q]
                        n_rows += 1
                else:
                    for j in range(n_ctx):
                        o = ctx[j]
                        for q in range(sub_offsets[o], sub_offsets[o + 1]):
                            in_rows[n_rows] = sub_rows[q]
                            n_rows += 1
                # the outputs
                n_out = np.int64(0)
                n_targets = n_ctx if model_kind == SKIPGRAM else 1
                for j in range(n_targets):
                    out_start[j] = n_out
                    target = ctx[j] if model_kind == SKIPGRAM else center
                    if loss_kind == NEG:
                        out_ids[n_out] = target
                        labels[n_out] = 1
                        n_out += 1
                        state = _draw_negatives(
                            state, negs, neg, target, n_vocab, tables.accept, tables.alias,
                            tables.dominant, tables.cum_x,
                        )  # fmt: skip
                        _prefetch_row(w_out, target)
                        for k in range(neg):
                            out_ids[n_out] = negs[k]
                            labels[n_out] = 0
                            n_out += 1
                            # asked for now, arriving while the mean of the input rows is
                            # computed (a hint: no result changes)
                            _prefetch_row(w_out, negs[k])
                    else:
                        lo = tables.offsets[target]
                        for k in range(tables.offsets[target + 1] - lo):
                            out_ids[n_out] = tables.points[lo + k]
                            labels[n_out] = 1 - tables.codes[lo + k]
                            n_out += 1
                out_start[n_targets] = n_out
                if n_rows == 0:  # no row to train (as fastText's empty input): nothing
                    continue
                loss += subword_step(
                    w_in, w_out, in_rows, n_rows, out_ids, labels, out_start, n_targets, alpha,
                    exact, x, dx, acc, g, sig, sp,
                )  # fmt: skip
                terms += n_targets
        return job_result(loss, terms, words_read, words_kept, stopped)

    name = f"train_subword_job_{MODEL_NAMES[model_kind]}_{LOSS_NAMES[loss_kind]}"
    train_subword_job.__name__ = train_subword_job.__qualname__ = name
    return numba.njit(**_JIT)(train_subword_job)


#: One compiled subword job kernel per (model, loss), each compiled on first use.
SUBWORD_JOB_KERNELS = {(m, lo): _job_kernel(m, lo) for m in (SKIPGRAM, CBOW) for lo in (NEG, HS)}


def train_subword_job(w_in, w_out, tokens, tables, hp, sub_offsets, sub_rows, exact, alpha0,
                      alpha1, seed, max_sentence):  # fmt: skip
    """Train on one job with the subword kernel of ``hp.model`` and ``hp.loss`` (see
    the module doc). ``exact`` selects the exact row gradient instead of fastText's."""
    kernel = SUBWORD_JOB_KERNELS[hp.model, hp.loss]
    return kernel(w_in, w_out, tokens, tables, hp, sub_offsets, sub_rows, bool(exact), alpha0,
                  alpha1, seed, max_sentence)  # fmt: skip
