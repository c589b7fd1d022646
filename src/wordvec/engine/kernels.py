"""Compiled update kernels: skip-gram and CBOW with negative sampling, hierarchical softmax
or both.

Naming. ``w_in`` (V x d) holds the input vectors, the derivation's ``v``;
``w_out`` holds the output vectors, the derivation's ``u`` (V x d for negative
sampling, (V-1) x d inner-node vectors for hierarchical softmax, and for both
(``HSNEG``) the two stacked: rows [0, V) negative sampling's, rows V + n the inner node n).

The one update. Every objective here is a set of binary logistic predictions:
inputs ``x_i`` (rows of a small matrix X, n_in x d) against output rows ``u_k``
(n_out of them) with labels ``y_k`` in {0, 1}:

    J = - sum_i sum_k [ y_k log sigma(u_k . x_i) + (1 - y_k) log sigma(-u_k . x_i) ]
    dJ/dx_i = - sum_k (y_k - sigma(u_k . x_i)) u_k
    dJ/du_k = - sum_i (y_k - sigma(u_k . x_i)) x_i

* skip-gram + negative sampling: X = input vectors of the window's context words,
  outputs = [center word, K negatives] with labels [1, 0, ..., 0]. Row i of J is
  exactly the reference ``neg_sampling_loss_and_gradient(v_c=x_i, o=center, U, negs)``;
  the K negatives are drawn once per center and shared by its window (pWord2Vec,
  Ji et al. 2016), which turns the update into small matrix products.
* hierarchical softmax: outputs = inner nodes on the center word's Huffman path,
  labels ``1 - code`` (word2vec C's convention).
* both (``HSNEG``, word2vec C's ``-hs 1 -negative K``): outputs = the Huffman path's
  rows (V + node) then the center and its K negatives. The two sets are disjoint rows of
  the stacked ``w_out``, so J is the sum of the two objectives and dJ/dx_i the sum of their
  gradients: one step of the input vector, as word2vec C takes (gensim instead applies the
  hierarchical-softmax step, then the negative-sampling step, to the input vector).
* CBOW: X is the single row ``h`` = sum (or mean) of the context input vectors,
  and dJ/dh is handed back whole to each context row. For the sum that is the
  exact gradient; for the mean it is n times the exact one (dJ/dv_j = dJ/dh / n):
  word2vec C and gensim do this, and their CBOW quality depends on it.

:func:`block_update` applies ``-alpha *`` these gradients (:func:`_block_update_one`,
the same arithmetic for CBOW's one input, is less to compile), all computed from the
weights as they were before the step (tests hold this against ``wordvec.reference``).
Threads call the job kernels on shared weights without locks (Hogwild).

Memory. A center's rows are scattered over matrices larger than the cache, so the
job kernel asks for the next center's rows one center ahead (``_prefetch_row``, an
LLVM prefetch hint): the word entering the widest window, the next center's output
row and, for negative sampling, its K negatives, which are drawn one center ahead for
that purpose. Hints change no result.

Random numbers: the order is part of the engine's contract (``tests/engine/test_job_replay.py``
replays whole jobs from it). A job reads one xorshift64* stream (:func:`_next`) started at
``seed_state(seed)``; for a 64-bit output r, ``hi(r) = r >> 32``, ``lo(r) = r & (2**32 - 1)``
and ``below(r, n) = (hi(r) * n) >> 32``. In this order:

1. Sentence by sentence, one number per token read: the token is kept when
   ``hi(r) < keep[w]``. A sentence ends at its -1, or once ``max_sentence`` words are kept
   (the rest of it goes on as the next sentence). Its learning rate is
   ``alpha0 + (alpha1 - alpha0) * r / n``, r the tokens read before it, n those of the job.
2. For each kept word in turn (the center): with a dynamic window, one number,
   width ``b = window - below(r, window)``, uniform on 1..window; else ``b = window``. The
   context is the kept words of the sentence at distance 1..b. A center without one (a
   one-word sentence) draws nothing more and is not trained.
3. Negative sampling draws a center's K negatives one center ahead: the sentence's first
   center draws its own, then every center draws the next center's before its update, so
   a sentence reads ``width_0, negs_0, negs_1, width_1, negs_2, ..., width_last``. A
   negative for center c: repeat ``r``; ``k = below(r, V)``; ``k = alias[k]`` if
   ``lo(r) >= accept[k]`` until ``k != c`` (the alias table's distribution given k != c).
   The one word that may hold more than half the noise mass (``Tables.dominant``) would
   make that loop long or endless (the table may round every other word away), so its
   negatives take one number each, by inversion over the others' mass (``make_tables``):
   ``t = below(r, cum_x[V])``, and k is the word with ``cum_x[k] <= t < cum_x[k + 1]``:
   the same conditional distribution (to 2**-32, as the alias table), without a loop.
4. Hierarchical softmax reads no further numbers (so ``HSNEG`` reads exactly what negative
   sampling reads); the exact softmax (``softmax.py``) reads
   1 and 2 only, then trains the job's centers in batches of ``softmax.BATCH``, a batch
   at ``alpha0 + (alpha1 - alpha0) * i / m``: i centers before it, m in the job.

Stopping. A running job checks ``Tables.stop`` before every center and returns early,
flagged, once it is set, so a stop request is served within one center whatever the job's
size.

The kernels are plain Python compiled at import by Numba, so ``NUMBA_DISABLE_JIT=1``
runs them as Python for debugging and coverage.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from .tables import (  # noqa: F401  (re-exported: the kernels' tables and settings)
    _SCALE,
    CBOW,
    HS,
    HSNEG,
    LOSS_NAMES,
    MODEL_NAMES,
    NEG,
    SIG_MAX,
    SIG_N,
    SIGMOID_TABLE,
    SKIPGRAM,
    SOFTPLUS_TABLE,
    Hyper,
    Tables,
    make_tables,
)

# fast-math flags for the d-long dot products: reassociation lets LLVM vectorise the
# reduction. Tests pin the kernels to the float64 reference at rtol 1e-5.
_FM = {"reassoc", "contract", "nsz", "arcp"}
_JIT = {"nogil": True, "cache": True, "fastmath": _FM, "error_model": "numpy"}


if numba.config.DISABLE_JIT:  # kernels run as Python: a hint has nothing to do

    def _prefetch(arr, row, col):
        pass

else:

    @intrinsic
    def _prefetch(typingctx, arr, row, col):
        """Hint the CPU to bring ``arr[row, col]`` into cache (no effect on results)."""
        if not isinstance(arr, types.Array) or arr.ndim != 2:
            return None

        def codegen(context, builder, signature, args):
            aryty = signature.args[0]
            ary = context.make_array(aryty)(context, builder, args[0])
            r = context.cast(builder, args[1], signature.args[1], types.intp)
            c = context.cast(builder, args[2], signature.args[2], types.intp)
            ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [r, c], wraparound=False)
            i32 = ir.IntType(32)
            fnty = ir.FunctionType(ir.VoidType(), [ptr.type, i32, i32, i32])
            fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
            builder.call(fn, [ptr, i32(0), i32(3), i32(1)])  # read, keep in all levels, data
            return context.get_dummy_value()

        return types.void(arr, row, col), codegen


@numba.njit(inline="always", **_JIT)
def _prefetch_row(w, r):
    """Ask for every cache line of row r of w (a row of d float32 spans d / 16 + 1 lines)."""
    d = w.shape[1]
    for c in range(0, d, 16):
        _prefetch(w, r, c)
    _prefetch(w, r, d - 1)


@numba.njit(**_JIT)
def seed_state(seed):
    """The xorshift state of a job from its 63-bit seed (never 0)."""
    state = np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(0x632BE59BD9B4E019)
    return state if state != 0 else np.uint64(1)


@numba.njit(**_JIT)
def next_sentence(tokens, start, keep, state, sent):
    """Sub-sample the sentence that starts at ``tokens[start]`` into ``sent``.

    A token w is kept when a 32-bit random number is below ``keep[w]``; a sentence
    with more kept words than ``len(sent)`` goes on as the next one. Returns
    ``(kept, end, next_start, state)``: the words read are ``tokens[start:end]``.
    """
    n_tokens = len(tokens)
    max_sentence = len(sent)
    n = 0
    end = start
    while end < n_tokens and tokens[end] >= 0 and n < max_sentence:
        w = tokens[end]
        state, r = _next(state)
        if (r >> np.uint64(32)) < keep[w]:
            sent[n] = w
            n += 1
        end += 1
    nxt = end + 1 if end < n_tokens and tokens[end] < 0 else end
    return n, end, nxt, state


@numba.njit(inline="always", **_JIT)
def count_words(tokens):
    """The words of a job (its ids >= 0; -1 ends a sentence): its learning rate's scale."""
    n_words = 0
    for t in range(len(tokens)):
        if tokens[t] >= 0:
            n_words += 1
    return n_words


@numba.njit(inline="always", **_JIT)
def job_result(loss, terms, words_read, words_kept, stopped):
    """What a job kernel returns: float64 [loss sum, loss terms, words read, words kept,
    stopped (1.0 or 0.0)]."""
    out = np.empty(5, dtype=np.float64)
    out[0] = loss
    out[1] = terms
    out[2] = words_read
    out[3] = words_kept
    out[4] = 1.0 if stopped else 0.0
    return out


@numba.njit(**_JIT)
def window_width(state, window, shrink):
    """Effective window of one center: ``window``, or uniform in 1..window when shrinking
    (word2vec's dynamic window). Returns (width, state)."""
    if not shrink:
        return window, state
    state, r = _next(state)
    return window - _below(r, window), state


@numba.njit(inline="always", **_JIT)
def _sigmoid_softplus(z, sig, sp):
    """(sigma(z), log(1 + e^z)) from one table position."""
    t = (z + SIG_MAX) * _SCALE
    if t <= 0.0 or t >= SIG_N:
        e = math.exp(-abs(z))
        p = 1.0 / (1.0 + e) if z >= 0.0 else e / (1.0 + e)
        return p, max(z, 0.0) + math.log1p(e)
    i = int(t)
    f = t - i
    return sig[i] + f * (sig[i + 1] - sig[i]), sp[i] + f * (sp[i + 1] - sp[i])


@numba.njit(**_JIT)
def _next(state):
    """xorshift64* step; returns (new_state, 64-bit output)."""
    x = state
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    return x, x * np.uint64(2685821657736338717)


@numba.njit(**_JIT)
def _below(r, n):
    """Uniform int in [0, n) from the high 32 bits of r (multiply-shift, no modulo)."""
    return np.int64(((r >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32))


@numba.njit(inline="always", **_JIT)
def _dot1(x, i, w, r, d):
    s = np.float32(0.0)
    for t in range(d):
        s += x[i, t] * w[r, t]
    return s


@numba.njit(inline="always", **_JIT)
def _dot2x2(x, i0, i1, w, r0, r1, d):
    """The four dot products of inputs x_i0, x_i1 with rows w_r0, w_r1, in one pass."""
    s00 = np.float32(0.0)
    s01 = np.float32(0.0)
    s10 = np.float32(0.0)
    s11 = np.float32(0.0)
    for t in range(d):
        a = x[i0, t]
        b = x[i1, t]
        u = w[r0, t]
        v = w[r1, t]
        s00 += a * u
        s01 += a * v
        s10 += b * u
        s11 += b * v
    return s00, s01, s10, s11


@numba.njit(inline="always", **_JIT)
def _add_rows(dst, da, db, src, rows, identity, g, ca, cb, n, transpose):
    """dst[da] += sum_j c(ca, j) src[r_j] and, if db >= 0, dst[db] += sum_j c(cb, j) src[r_j].

    Sources r_j are ``rows[j]`` (or j itself when ``identity``), j < n; the
    coefficient c(a, j) is ``g[a, j]`` (``g[j, a]`` when ``transpose``). Four sources
    and up to two destinations per pass over the d columns: each loaded source
    row feeds two outputs, and each destination is loaded and stored once per four
    sources. Returns nothing; rows of dst may repeat (the updates add up).

    The choices of coefficient and row are written out where they are used: as small
    inlined helpers (15 calls here) they were a fifth of block_update's compile time.
    For the same reason block_update calls it from two places, not four (Numba types and
    compiles every inlined copy anew): about a fifth less time to compile a job kernel.
    Compiled once and called instead of inlined, it compiled faster still but trained
    slower (a call per row pair, and no constant flags).
    """
    d = dst.shape[1]
    two = db >= 0
    j = 0
    while j + 4 <= n:
        a0 = g[j, ca] if transpose else g[ca, j]
        a1 = g[j + 1, ca] if transpose else g[ca, j + 1]
        a2 = g[j + 2, ca] if transpose else g[ca, j + 2]
        a3 = g[j + 3, ca] if transpose else g[ca, j + 3]
        r0 = j if identity else rows[j]
        r1 = j + 1 if identity else rows[j + 1]
        r2 = j + 2 if identity else rows[j + 2]
        r3 = j + 3 if identity else rows[j + 3]
        if two:
            b0 = g[j, cb] if transpose else g[cb, j]
            b1 = g[j + 1, cb] if transpose else g[cb, j + 1]
            b2 = g[j + 2, cb] if transpose else g[cb, j + 2]
            b3 = g[j + 3, cb] if transpose else g[cb, j + 3]
            for t in range(d):
                s0 = src[r0, t]
                s1 = src[r1, t]
                s2 = src[r2, t]
                s3 = src[r3, t]
                dst[da, t] += (a0 * s0 + a1 * s1) + (a2 * s2 + a3 * s3)
                dst[db, t] += (b0 * s0 + b1 * s1) + (b2 * s2 + b3 * s3)
        else:
            for t in range(d):
                dst[da, t] += (a0 * src[r0, t] + a1 * src[r1, t]) + (
                    a2 * src[r2, t] + a3 * src[r3, t]
                )
        j += 4
    while j < n:
        a0 = g[j, ca] if transpose else g[ca, j]
        r0 = j if identity else rows[j]
        if two:
            b0 = g[j, cb] if transpose else g[cb, j]
            for t in range(d):
                s0 = src[r0, t]
                dst[da, t] += a0 * s0
                dst[db, t] += b0 * s0
        else:
            for t in range(d):
                dst[da, t] += a0 * src[r0, t]
        j += 1


@numba.njit(**_JIT)
def block_update(x, n_in, w_out, out_ids, labels, n_out, alpha, dx, g, sig, sp):
    """One step of the logistic block: returns the loss J and applies -alpha dJ/du.

    x : float32 (>= n_in, d), the inputs x_i (copies, not views of w_in)
    out_ids, labels : the n_out output rows u_k of w_out and their labels y_k
    dx : float32 (>= n_in, d), receives ``-alpha dJ/dx_i = alpha sum_k (y_k - s_ik) u_k``
    g : float32 scratch (>= n_in, >= n_out)

    All of dx and the change to w_out use the output rows as they were on entry, so
    a row that appears twice among the outputs (a negative drawn twice) gets both
    contributions, as the summed gradient says. The loops work on 2 x 2 tiles of
    (input, output) pairs: one pass over the d columns serves four products, which
    halves the loads and the loop overhead of one pass per pair.
    """
    d = x.shape[1]
    # 1. s_ik = x_i . u_k
    i = 0
    while i + 1 < n_in:
        k = 0
        while k + 1 < n_out:
            a, b, c, e = _dot2x2(x, i, i + 1, w_out, out_ids[k], out_ids[k + 1], d)
            g[i, k] = a
            g[i, k + 1] = b
            g[i + 1, k] = c
            g[i + 1, k + 1] = e
            k += 2
        if k < n_out:
            g[i, k] = _dot1(x, i, w_out, out_ids[k], d)
            g[i + 1, k] = _dot1(x, i + 1, w_out, out_ids[k], d)
        i += 2
    if i < n_in:
        for k in range(n_out):
            g[i, k] = _dot1(x, i, w_out, out_ids[k], d)
    # 2. g_ik = alpha (y_k - sigma(s_ik)); loss
    # With z = s for y = 0 and z = -s for y = 1: y - sigma(s) = -(1 - 2y) sigma(z) and
    # the loss term is softplus(z). Branch-free in the label: hierarchical softmax
    # labels are random bits, and a branch on them would be mispredicted half the time.
    loss = 0.0
    for i in range(n_in):
        for k in range(n_out):
            sign = np.float32(1.0) - np.float32(2.0) * labels[k]
            z = g[i, k] * sign
            p, lp = _sigmoid_softplus(z, sig, sp)
            g[i, k] = -alpha * sign * p
            loss += lp
        for t in range(d):
            dx[i, t] = 0.0
    # 3. dx_i = sum_k g_ik u_k, from the old u: two inputs a pass, the last alone when n_in
    # is odd (one call site: each inlined copy of _add_rows is typed and compiled anew)
    i = 0
    while i < n_in:
        pair = i + 1 < n_in
        _add_rows(dx, i, i + 1 if pair else -1, w_out, out_ids, False, g, i,
                  i + 1 if pair else i, n_out, False)  # fmt: skip
        i += 2
    # 4. u_k += sum_i g_ik x_i, two outputs a pass
    k = 0
    while k < n_out:
        pair = k + 1 < n_out
        _add_rows(w_out, out_ids[k], out_ids[k + 1] if pair else -1, x, out_ids, True, g, k,
                  k + 1 if pair else k, n_in, True)  # fmt: skip
        k += 2
    return loss


@numba.njit(**_JIT)
def _block_update_one(x, w_out, out_ids, labels, n_out, alpha, dx, g, sig, sp):
    """:func:`block_update` for one input (``n_in == 1``: CBOW's hidden vector ``h``).

    The same arithmetic in the same order, bit for bit: the products one at a time (the
    2 x 2 tiles need two inputs), then dx_0 from the old output rows four at a time and
    the output rows two at a time (its two ``_add_rows`` calls for ``n_in == 1``). What
    it leaves out, the tiles and the pairs of inputs, CBOW never runs, and it was most
    of what a CBOW job kernel compiled (about half of its compile time).
    """
    d = x.shape[1]
    for k in range(n_out):
        g[0, k] = _dot1(x, 0, w_out, out_ids[k], d)
    loss = 0.0
    for k in range(n_out):
        sign = np.float32(1.0) - np.float32(2.0) * labels[k]
        z = g[0, k] * sign
        p, lp = _sigmoid_softplus(z, sig, sp)
        g[0, k] = -alpha * sign * p
        loss += lp
    for t in range(d):
        dx[0, t] = 0.0
    # dx_0 = sum_k g_0k u_k, four old rows a pass (block_update's step 3 for one input)
    j = 0
    while j + 4 <= n_out:
        a0 = g[0, j]
        a1 = g[0, j + 1]
        a2 = g[0, j + 2]
        a3 = g[0, j + 3]
        r0 = out_ids[j]
        r1 = out_ids[j + 1]
        r2 = out_ids[j + 2]
        r3 = out_ids[j + 3]
        for t in range(d):
            dx[0, t] += (a0 * w_out[r0, t] + a1 * w_out[r1, t]) + (
                a2 * w_out[r2, t] + a3 * w_out[r3, t]
            )
        j += 4
    while j < n_out:
        a0 = g[0, j]
        r0 = out_ids[j]
        for t in range(d):
            dx[0, t] += a0 * w_out[r0, t]
        j += 1
    # u_k += g_0k x_0, two outputs a pass (block_update's step 4 for one input)
    k = 0
    while k < n_out:
        a0 = g[0, k]
        if k + 1 < n_out:
            b0 = g[0, k + 1]
            ra = out_ids[k]
            rb = out_ids[k + 1]
            for t in range(d):
                s0 = x[0, t]
                w_out[ra, t] += a0 * s0
                w_out[rb, t] += b0 * s0
        else:
            ra = out_ids[k]
            for t in range(d):
                w_out[ra, t] += a0 * x[0, t]
        k += 2
    return loss


@numba.njit(**_JIT)
def sg_step(w_in, w_out, ctx, n_ctx, out_ids, labels, n_out, alpha, x, dx, g, sig, sp):
    """Skip-gram step for one center: inputs are the context words' rows of w_in."""
    d = w_in.shape[1]
    for i in range(n_ctx):
        row = ctx[i]
        for t in range(d):
            x[i, t] = w_in[row, t]
    loss = block_update(x, n_ctx, w_out, out_ids, labels, n_out, alpha, dx, g, sig, sp)
    for i in range(n_ctx):
        row = ctx[i]
        for t in range(d):
            w_in[row, t] += dx[i, t]
    return loss


@numba.njit(**_JIT)
def cbow_step(w_in, w_out, ctx, n_ctx, out_ids, labels, n_out, alpha, mean, x, dx, g, sig, sp):
    """CBOW step for one center: h = sum (or mean) of the context rows predicts the outputs."""
    d = w_in.shape[1]
    scale = np.float32(1.0 / n_ctx) if mean else np.float32(1.0)
    for t in range(d):
        x[0, t] = 0.0
    for i in range(n_ctx):
        row = ctx[i]
        for t in range(d):
            x[0, t] += w_in[row, t]
    for t in range(d):
        x[0, t] *= scale
    loss = _block_update_one(x, w_out, out_ids, labels, n_out, alpha, dx, g, sig, sp)
    # Each context row gets the whole -alpha dJ/dh, as word2vec C and gensim do. For the
    # sum that is the exact gradient; for the mean the exact one is dJ/dh / n, so the
    # input vectors learn n times faster than the derivation says (the convention the
    # default alpha of 0.05 and every published CBOW result assume).
    for i in range(n_ctx):
        row = ctx[i]
        for t in range(d):
            w_in[row, t] += dx[0, t]
    return loss


@numba.njit(inline="always", **_JIT)
def _bisect(cum, t):
    """The k with ``cum[k] <= t < cum[k + 1]`` (cum non-decreasing, cum[0] <= t < cum[-1])."""
    lo = 0
    hi = len(cum) - 1
    while hi - lo > 1:
        mid = (lo + hi) >> 1
        if cum[mid] <= t:
            lo = mid
        else:
            hi = mid
    return lo


@numba.njit(inline="always", **_JIT)
def _draw_negatives(state, negs, neg, center, n_vocab, accept, alias, dominant, cum_x):
    """K draws from the noise distribution into negs, never the center (order: module doc)."""
    if center == dominant:
        # by inversion over the other words' mass: a loop of rejections could be endless
        total = cum_x[n_vocab]
        for k in range(neg):
            state, r = _next(state)
            negs[k] = _bisect(cum_x, _below(r, total))
        return state
    for k in range(neg):
        while True:
            state, r = _next(state)
            c = _below(r, n_vocab)
            if (r & np.uint64(0xFFFFFFFF)) >= accept[c]:
                c = alias[c]
            if c != center or n_vocab == 1:  # (the trainer refuses a one-word vocabulary)
                break
        negs[k] = c
    return state


def _job_kernel(model_kind: int, loss_kind: int):
    """The job kernel of one (model, loss) pair, compiled on its first use.

    ``model_kind`` and ``loss_kind`` are constants of the closure, so Numba prunes the
    branches of the other objectives before typing: a run compiles its own update (one
    step function, one :func:`block_update`) and nothing else, a quarter of what one
    kernel for all four pairs cost. ``HSNEG`` runs both objectives' code: the Huffman
    path's rows (after negative sampling's V rows), then the center and its negatives.
    """

    def train_job(w_in, w_out, tokens, tables, hp, alpha0, alpha1, seed, max_sentence):
        """Train on one job: ``tokens`` are word ids with -1 ending each sentence.

        The learning rate falls linearly from alpha0 to alpha1 across the job's words.
        Returns float64 [loss sum, number of loss terms, words read, words kept, stopped]:
        ``stopped`` is 1 when ``tables.stop`` cut the job short (the rest is then partial).
        """
        d = w_in.shape[1]
        window = hp.window
        neg = hp.negative
        max_out = neg + 1 if loss_kind == NEG else max(hp.max_path, 1)
        if loss_kind == HSNEG:
            max_out = neg + 1 + hp.max_path
        x = np.empty((2 * window, d), dtype=np.float32)
        dx = np.empty((2 * window, d), dtype=np.float32)
        g = np.empty((2 * window, max_out), dtype=np.float32)
        ctx = np.empty(2 * window, dtype=np.int64)
        out_ids = np.empty(max_out, dtype=np.int64)
        labels = np.zeros(max_out, dtype=np.uint8)
        sent = np.empty(max_sentence, dtype=np.int64)
        nxt_negs = np.empty(max(neg, 1), dtype=np.int64)  # the current center's negatives
        keep = tables.keep
        accept = tables.accept
        alias = tables.alias
        dominant = tables.dominant
        cum_x = tables.cum_x
        stop = tables.stop
        stopped = False
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
        start = np.int64(0)  # not a literal 0, as n_ctx below
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
                # the word entering the widest window of a later center: asked for now
                if pos + window + 1 < n:
                    _prefetch_row(w_in, sent[pos + window + 1])
                b, state = window_width(state, window, hp.shrink)
                # np.int64, not a literal 0: a call typed while n_ctx still looked like
                # the constant 0 would compile a second, never used step function
                n_ctx = np.int64(0)
                for j in range(max(0, pos - b), min(n, pos + b + 1)):
                    if j != pos:
                        ctx[n_ctx] = sent[j]
                        n_ctx += 1
                if n_ctx == 0:  # a one-word sentence
                    continue
                # outputs: the Huffman path's inner nodes (hs; for hs+neg stacked after
                # negative sampling's V rows), then the center and its K negatives (neg)
                n_out = np.int64(0)
                if loss_kind == HS or loss_kind == HSNEG:
                    lo = tables.offsets[center]
                    n_out = tables.offsets[center + 1] - lo
                    row0 = n_vocab if loss_kind == HSNEG else 0
                    for k in range(n_out):
                        out_ids[k] = row0 + tables.points[lo + k]
                        labels[k] = 1 - tables.codes[lo + k]
                if loss_kind == NEG or loss_kind == HSNEG:
                    # A center's negatives are drawn while the previous center of its
                    # sentence trains (so every center but the first, as n >= 2 here).
                    out_ids[n_out] = center
                    labels[n_out] = 1
                    if pos == 0:
                        state = _draw_negatives(
                            state, nxt_negs, neg, center, n_vocab, accept, alias, dominant,
                            cum_x,
                        )  # fmt: skip
                    for k in range(neg):
                        out_ids[n_out + k + 1] = nxt_negs[k]
                        labels[n_out + k + 1] = 0
                    if pos + 1 < n:
                        # the next center's negatives and output rows, asked for now so that
                        # they arrive while this center trains (the Huffman paths of
                        # hierarchical softmax gained nothing: their top levels stay cached)
                        state = _draw_negatives(
                            state, nxt_negs, neg, sent[pos + 1], n_vocab, accept, alias,
                            dominant, cum_x,
                        )  # fmt: skip
                        _prefetch_row(w_out, sent[pos + 1])
                        for k in range(neg):
                            _prefetch_row(w_out, nxt_negs[k])
                    n_out += neg + 1
                if model_kind == SKIPGRAM:
                    loss += sg_step(
                        w_in, w_out, ctx, n_ctx, out_ids, labels, n_out, alpha, x, dx, g, sig, sp
                    )
                    terms += n_ctx
                else:
                    loss += cbow_step(
                        w_in,
                        w_out,
                        ctx,
                        n_ctx,
                        out_ids,
                        labels,
                        n_out,
                        alpha,
                        hp.cbow_mean,
                        x,
                        dx,
                        g,
                        sig,
                        sp,
                    )
                    terms += 1
        return job_result(loss, terms, words_read, words_kept, stopped)

    loss_name = LOSS_NAMES[loss_kind].replace("+", "_")
    name = f"train_job_{MODEL_NAMES[model_kind]}_{loss_name}"
    train_job.__name__ = train_job.__qualname__ = name  # Numba's cache files are named after it
    return numba.njit(**_JIT)(train_job)


#: One compiled job kernel per (model, loss), each compiled on first use.
JOB_KERNELS = {(m, lo): _job_kernel(m, lo) for m in (SKIPGRAM, CBOW) for lo in (NEG, HS, HSNEG)}


def train_job(w_in, w_out, tokens, tables, hp, alpha0, alpha1, seed, max_sentence):
    """Train on one job with the kernel of ``hp.model`` and ``hp.loss``.

    ``tokens`` are word ids with -1 ending each sentence; the learning rate falls
    linearly from alpha0 to alpha1 across the job's words. Returns float64
    [loss sum, number of loss terms, words read, words kept, stopped]: ``stopped`` is 1
    when ``tables.stop`` cut the job short (the rest is then partial).
    """
    kernel = JOB_KERNELS[hp.model, hp.loss]
    return kernel(w_in, w_out, tokens, tables, hp, alpha0, alpha1, seed, max_sentence)
