"""A plain float64 replay of whole training jobs, written from the derivation.

It reads the engine's random numbers in the engine's documented order (the
"Random numbers" section of ``wordvec/engine/kernels.py``: sub-sampling, window
widths, negatives one center ahead) from its own Python copy of the xorshift64*
stream, and computes everything else itself: keep probabilities, learning rates,
the Huffman tree, labels, contexts and every update, with the exact sigmoid and no
float32. Nothing here calls the engine; the only engine objects it reads are the
alias table (``accept``, ``alias``) that maps a random number to a noise word, whose
distribution ``test_sampling.py`` checks against counts ** ns_exponent.

Conventions the engine shares with word2vec C, and that the replay follows on
purpose: outputs of one center are updated from the weights as they were before the
center's step (so are its inputs); CBOW with the mean hands dJ/dh whole to every
context row (n times the exact gradient of the mean); hierarchical softmax's label
at an inner node is 1 - code; "hs+neg" (word2vec C's -hs 1 -negative K) computes each
objective's step on its own output matrix from the same input and adds both to it.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

MASK64 = (1 << 64) - 1
BATCH = 64  # centers per exact-softmax step (the engine's documented batch)


# --------------------------------------------------------------------------- random numbers
class Stream:
    """xorshift64*: state x -> x ^= x >> 12; x ^= x << 25; x ^= x >> 27; output x * M."""

    def __init__(self, seed: int) -> None:
        x = (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & MASK64
        self.state = x if x else 1
        self.used = 0

    def next(self) -> int:
        x = self.state
        x ^= x >> 12
        x ^= (x << 25) & MASK64
        x ^= x >> 27
        self.state = x
        self.used += 1
        return (x * 2685821657736338717) & MASK64


def below(r: int, n: int) -> int:
    """Uniform integer in [0, n) from the high 32 bits of r."""
    return ((r >> 32) * n) >> 32


def job_seed(seed: int, epoch: int, job: int) -> int:
    x = (seed * 0x9E3779B97F4A7C15 + epoch * 0xBF58476D1CE4E5B9 + job * 0x94D049BB133111EB) & MASK64
    x ^= x >> 31
    x = (x * 0xD6E8FEB86659FD93) & MASK64
    x ^= x >> 32
    return x & ((1 << 63) - 1)


# --------------------------------------------------------------------------- tables from formulas
def keep_thresholds(counts: np.ndarray, sample: float) -> list[int]:
    """word2vec's keep probability p(w) = (sqrt(f / (t T)) + 1) t T / f, as a 32-bit threshold."""
    if sample <= 0:
        return [2**32 - 1] * len(counts)
    tt = sample * max(int(np.sum(counts)), 1)
    out = []
    for f in map(float, counts):
        p = min((math.sqrt(f / tt) + 1.0) * tt / f, 1.0)
        out.append(int(min(p * 2.0**32, 2.0**32 - 1)))
    return out


def noise(counts: np.ndarray, exponent: float) -> np.ndarray:
    p = np.asarray(counts, dtype=np.float64) ** exponent
    return p / p.sum()


def huffman(counts) -> tuple[list[list[int]], list[list[int]]]:
    """From-scratch Huffman tree: repeatedly merge the two lightest nodes (heap).

    Inner nodes are numbered 0..V-2 in the order they are made; of the two merged, the
    lighter gets branch bit 0 and the heavier 1. Returns each word's inner nodes and
    bits from the root down. Raises ValueError if a tie makes the tree ambiguous (the
    engine's tie-breaking is its own business; tests that compare paths avoid ties).
    """
    v = len(counts)
    heap = [(int(c), w) for w, c in enumerate(counts)]
    heapq.heapify(heap)
    parent: dict[int, int] = {}
    bit: dict[int, int] = {}
    made = 0
    while len(heap) > 1:
        (ca, a), (cb, b) = heapq.heappop(heap), heapq.heappop(heap)
        if ca == cb or (heap and heap[0][0] == cb):
            raise ValueError(f"tie between counts {ca}, {cb}: the tree is not unique")
        node = v + made
        parent[a], parent[b], bit[a], bit[b] = node, node, 0, 1
        heapq.heappush(heap, (ca + cb, node))
        made += 1
    root = v + made - 1
    paths, codes = [], []
    for w in range(v):
        nodes, bits, n = [], [], w
        while n != root:
            nodes.append(parent[n] - v)
            bits.append(bit[n])
            n = parent[n]
        paths.append(nodes[::-1])
        codes.append(bits[::-1])
    return paths, codes


# --------------------------------------------------------------------------- the updates
def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _softplus(z: float) -> float:  # log(1 + e^z) = -log sigma(-z)
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def logistic_step(W, U, inputs, outputs, alpha):
    """-alpha * gradient of J = -sum_i sum_(o, y) log sigma(+-u_o . x_i), from the weights
    before the step. inputs: list of (row of W or None, x vector); outputs: (row of U, y).
    Returns (loss, dx per input, dU as {row: change})."""
    loss = 0.0
    dxs = []
    dU: dict[int, np.ndarray] = {}
    for _, x in inputs:
        dx = np.zeros_like(x)
        for o, y in outputs:
            z = float(U[o] @ x)
            loss += _softplus(-z) if y else _softplus(z)
            g = alpha * (y - _sigmoid(z))  # -alpha dJ/dz
            dx += g * U[o]
            dU[o] = dU.get(o, 0.0) + g * x
        dxs.append(dx)
    return loss, dxs, dU


@dataclass
class JobStats:
    loss: float = 0.0
    terms: int = 0
    read: int = 0
    kept: int = 0


def sentences(tokens, keep, rng: Stream, max_sentence: int):
    """Yield (kept words, tokens read before the sentence, tokens read in it)."""
    n_tokens = len(tokens)
    start = 0
    read = 0
    while start < n_tokens:
        sent = []
        end = start
        while end < n_tokens and tokens[end] >= 0 and len(sent) < max_sentence:
            if (rng.next() >> 32) < keep[tokens[end]]:
                sent.append(int(tokens[end]))
            end += 1
        yield sent, read, end - start
        read += end - start
        start = end + 1 if end < n_tokens and tokens[end] < 0 else end


def context(sent, pos, rng: Stream, window: int, shrink: bool) -> list[int]:
    b = window - below(rng.next(), window) if shrink else window
    return [sent[j] for j in range(max(0, pos - b), min(len(sent), pos + b + 1)) if j != pos]


class NoiseDraw:
    """K negatives for a center, never the center: rejection on the alias table, or one
    number each by inversion for a word holding more than half the noise mass."""

    def __init__(self, accept, alias, p: np.ndarray) -> None:
        self.accept = [int(a) for a in accept]
        self.alias = [int(a) for a in alias]
        self.dominant = int(np.argmax(p)) if len(p) > 1 and p.max() > 0.5 else -1
        self.dominant_draws = 0
        if self.dominant >= 0:
            others = p.copy()
            others[self.dominant] = 0.0
            w = np.floor(others / others.sum() * 2.0**32).astype(np.int64)
            self.cum = np.concatenate([[0], np.cumsum(w)])

    def __call__(self, rng: Stream, center: int, k: int) -> list[int]:
        v = len(self.accept)
        out = []
        for _ in range(k):
            if center == self.dominant:
                t = below(rng.next(), int(self.cum[-1]))
                out.append(int(np.searchsorted(self.cum[:v], t, side="right")) - 1)
                self.dominant_draws += 1
                continue
            while True:
                r = rng.next()
                c = below(r, v)
                if (r & 0xFFFFFFFF) >= self.accept[c]:
                    c = self.alias[c]
                if c != center:
                    break
            out.append(c)
        return out


def replay_job(
    w_in, w_out, tokens, *, model, loss, window, shrink, cbow_mean, counts, sample,
    negative=0, ns_exponent=0.75, accept=None, alias=None, alpha0, alpha1, seed, max_sentence,
    w_tree=None,
):  # fmt: skip
    """One negative-sampling, hierarchical-softmax or "hs+neg" job (then ``w_out`` holds
    negative sampling's output rows and ``w_tree`` the tree's). Returns (W, U, JobStats,
    info), with U = (U, U_tree) for "hs+neg"."""
    W = np.array(w_in, dtype=np.float64)
    U = np.array(w_out, dtype=np.float64)
    T = np.array(w_tree, dtype=np.float64) if loss == "hs+neg" else None
    rng = Stream(seed)
    keep = keep_thresholds(counts, sample)
    n_words = int(np.sum(np.asarray(tokens) >= 0))
    draws = loss in ("neg", "hs+neg")
    draw = NoiseDraw(accept, alias, noise(counts, ns_exponent)) if draws else None
    paths, codes = huffman(counts) if loss in ("hs", "hs+neg") else (None, None)
    st = JobStats()
    info = {"n_out": set(), "n_in": set(), "widths": []}
    for sent, read_before, read in sentences(tokens, keep, rng, max_sentence):
        alpha = alpha0 + (alpha1 - alpha0) * (read_before / max(n_words, 1))
        st.read += read
        st.kept += len(sent)
        ahead = None
        for pos, center in enumerate(sent):
            ctx = context(sent, pos, rng, window, shrink)
            if not ctx:
                continue
            tree = []
            if paths is not None:
                tree = [(n, 1 - c) for n, c in zip(paths[center], codes[center], strict=True)]
            if draws:
                if pos == 0:
                    ahead = draw(rng, center, negative)
                negs = ahead
                if pos + 1 < len(sent):
                    ahead = draw(rng, sent[pos + 1], negative)
                outputs = [(center, 1)] + [(k, 0) for k in negs]
            else:
                outputs = tree
            info["n_out"].add(len(outputs) + (len(tree) if T is not None else 0))
            if model == "skipgram":
                inputs = [(c, W[c].copy()) for c in ctx]
                info["n_in"].add(len(inputs))
            else:
                h = W[ctx].sum(axis=0)
                if cbow_mean:
                    h /= len(ctx)
                inputs = [(None, h)]
            l, dxs, dU = logistic_step(W, U, inputs, outputs, alpha)
            if T is not None:  # the tree's step from the same inputs, added to theirs
                l_t, dxs_t, dT = logistic_step(W, T, inputs, tree, alpha)
                l += l_t
                dxs = [a + b for a, b in zip(dxs, dxs_t, strict=True)]
                for o, du in dT.items():
                    T[o] += du
            if model == "skipgram":
                for (c, _), dx in zip(inputs, dxs, strict=True):
                    W[c] += dx
                st.terms += len(ctx)
            else:
                for c in ctx:
                    W[c] += dxs[0]  # every context row gets all of -alpha dJ/dh
                st.terms += 1
            for o, du in dU.items():
                U[o] += du
            st.loss += l
    if draw is not None:
        info["dominant_draws"] = draw.dominant_draws
    return W, (U if T is None else (U, T)), st, info


def replay_softmax_job(
    w_in, w_out, tokens, *, model, window, shrink, cbow_mean, counts, sample, alpha0, alpha1,
    seed, max_sentence,
):  # fmt: skip
    """One exact-softmax job: centers in batches of BATCH, each batch's update the sum of
    the derivation's gradients at the batch's starting weights. Returns (W, U, JobStats)."""
    W = np.array(w_in, dtype=np.float64)
    U = np.array(w_out, dtype=np.float64)
    rng = Stream(seed)
    keep = keep_thresholds(counts, sample)
    windows = []
    st = JobStats()
    for sent, _, read in sentences(tokens, keep, rng, max_sentence):
        st.read += read
        for pos, center in enumerate(sent):
            ctx = context(sent, pos, rng, window, shrink)
            if ctx:
                windows.append((center, ctx))
    st.kept = len(windows)  # the exact softmax counts the centers it trains
    n = len(windows)
    for b0 in range(0, n, BATCH):
        alpha = alpha0 + (alpha1 - alpha0) * (b0 / max(n, 1))
        gW = np.zeros_like(W)
        gU = np.zeros_like(U)
        for center, ctx in windows[b0 : b0 + BATCH]:
            if model == "skipgram":  # v_c predicts each outside word o: J = sum_o -log y_hat_o
                v = W[center]
                y_hat = _softmax(U @ v)
                for o in ctx:
                    st.loss -= math.log(y_hat[o])
                    delta = y_hat.copy()
                    delta[o] -= 1.0
                    gW[center] += U.T @ delta
                    gU += np.outer(delta, v)
                st.terms += len(ctx)
            else:  # h = mean (or sum) of the context predicts the center
                h = W[ctx].sum(axis=0)
                if cbow_mean:
                    h /= len(ctx)
                y_hat = _softmax(U @ h)
                st.loss -= math.log(y_hat[center])
                delta = y_hat.copy()
                delta[center] -= 1.0
                dh = U.T @ delta
                for c in ctx:
                    gW[c] += dh  # each context row gets all of dJ/dh (word2vec C's CBOW)
                gU += np.outer(delta, h)
                st.terms += 1
        W -= alpha * gW
        U -= alpha * gU
    return W, U, st


def _softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max())
    return e / e.sum()
