"""What the engine's batched update per center costs in quality, against word2vec C's order.

The engine trains skip-gram + negative sampling one center at a time: the center's K
negatives are drawn once and shared by its whole window, and every row the step
touches is updated from the weights as they were before the step (small matrix
products over the window). word2vec C goes pair by pair: for each context word it
draws fresh negatives and updates each output row at once, so the next prediction
of the window already sees the change. This script trains the same corpus slice with
the same settings and seeds three ways and evaluates each run's vectors:

* ``engine``        the engine's job kernel (batched per center, shared negatives);
* ``pair-shared``   pair by pair in word2vec C's order, with the center's shared
                    negatives (isolates the update order);
* ``pair-fresh``    pair by pair with fresh negatives for every pair (word2vec C).

The variants replace ``kernels.train_job`` for the run (same signature, same
sub-sampling, windows, schedule and random stream), so nothing else differs.

    python bench/bench_update_order.py                      # 5 M words of en17m, 3 seeds
    python bench/bench_update_order.py --words 2000000 --seeds 1
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np

from wordvec.engine import kernels
from wordvec.model import Word2Vec
from wordvec.vectors import evaluate

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "en17m.txt"
_FM = {"reassoc", "contract", "nsz", "arcp"}


def make_pairwise(fresh: bool):
    """A skip-gram + negative-sampling job kernel in word2vec C's per-pair order."""

    @numba.njit(nogil=True, fastmath=_FM)
    def job(w_in, w_out, tokens, tables, hp, alpha0, alpha1, seed, max_sentence):
        d = w_in.shape[1]
        window = hp.window
        neg = hp.negative
        n_vocab = len(tables.keep)
        sent = np.empty(max_sentence, dtype=np.int64)
        negs = np.empty(max(neg, 1), dtype=np.int64)
        neu1e = np.empty(d, dtype=np.float32)
        state = kernels.seed_state(seed)
        n_tokens = len(tokens)
        n_words = 0
        for t in range(n_tokens):
            if tokens[t] >= 0:
                n_words += 1
        loss = 0.0
        terms = 0.0
        read = 0
        kept = 0
        start = 0
        while start < n_tokens:
            n, end, nxt, state = kernels.next_sentence(tokens, start, tables.keep, state, sent)
            alpha = alpha0 + (alpha1 - alpha0) * (read / max(n_words, 1))
            read += end - start
            kept += n
            start = nxt
            for pos in range(n):
                center = sent[pos]
                b, state = kernels.window_width(state, window, hp.shrink)
                if n < 2:
                    continue
                if not fresh:
                    state = kernels._draw_negatives(
                        state, negs, neg, center, n_vocab, tables.accept, tables.alias,
                        tables.dominant, tables.cum_x,
                    )  # fmt: skip
                for j in range(max(0, pos - b), min(n, pos + b + 1)):
                    if j == pos:
                        continue
                    c = sent[j]
                    if fresh:
                        state = kernels._draw_negatives(
                            state, negs, neg, center, n_vocab, tables.accept, tables.alias,
                            tables.dominant, tables.cum_x,
                        )  # fmt: skip
                    for t in range(d):
                        neu1e[t] = 0.0
                    for k in range(neg + 1):
                        target = center if k == 0 else negs[k - 1]
                        label = 1.0 if k == 0 else 0.0
                        f = np.float32(0.0)
                        for t in range(d):
                            f += w_in[c, t] * w_out[target, t]
                        sign = 1.0 - 2.0 * label
                        p, lp = kernels._sigmoid_softplus(f * sign, tables.sigmoid, tables.softplus)
                        g = np.float32(-alpha * sign * p)  # alpha (label - sigma(f))
                        loss += lp
                        for t in range(d):
                            neu1e[t] += g * w_out[target, t]
                            w_out[target, t] += g * w_in[c, t]  # at once: the next pair sees it
                    for t in range(d):
                        w_in[c, t] += neu1e[t]
                    terms += 1
        out = np.zeros(5, dtype=np.float64)
        out[0] = loss
        out[1] = terms
        out[2] = read
        out[3] = kept
        return out

    return job


VARIANTS = {"engine": None, "pair-shared": make_pairwise(False), "pair-fresh": make_pairwise(True)}


def slice_corpus(path: Path, words: int, out: Path) -> int:
    n = 0
    with open(path, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for line in src:
            toks = line.split()
            if n + len(toks) > words:
                toks = toks[: words - n]
            dst.write(" ".join(toks) + "\n")
            n += len(toks)
            if n >= words:
                break
    return n


def train(corpus: Path, variant: str, seed: int, args) -> dict:
    real = kernels.train_job
    if VARIANTS[variant] is not None:
        kernels.train_job = VARIANTS[variant]
    try:
        t0 = time.perf_counter()
        m = Word2Vec(
            model="skipgram", loss="neg", dim=args.dim, window=5, negative=5, min_count=5,
            sample=1e-4, epochs=args.epochs, alpha=0.025, threads=args.threads, seed=seed,
        ).fit(corpus)  # fmt: skip
        seconds = time.perf_counter() - t0
    finally:
        kernels.train_job = real
    kv = m.wv
    a = evaluate.analogies(kv, restrict_vocab=30_000)
    sims = evaluate.similarity(kv)
    return {
        "seconds": seconds,
        "loss": m.loss_history_[-1],
        "analogy": a.accuracy,
        "ws353": sims["wordsim353"].spearman,
        "simlex": sims["simlex999"].spearman,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--words", type=int, default=5_000_000)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "slice.txt"
        n = slice_corpus(args.corpus, args.words, corpus)
        print(f"{args.corpus.name}: first {n} words; skip-gram + neg, dim {args.dim}, window 5, "
              f"K 5, sample 1e-4, min-count 5, {args.epochs} epochs, {args.threads} threads",
              file=sys.stderr)  # fmt: skip
        runs: dict[str, list[dict]] = {v: [] for v in VARIANTS}
        for seed in range(1, args.seeds + 1):  # round-robin over the variants
            for variant in VARIANTS:
                r = train(corpus, variant, seed, args)
                runs[variant].append(r)
                print(f"seed {seed} {variant:12s} {r}", file=sys.stderr, flush=True)
    print("| order | analogy (30k) | WS-353 | SimLex-999 | last-epoch loss | seconds |")
    print("|---|---|---|---|---|---|")
    for variant, rs in runs.items():
        cells = []
        for key, fmt in [("analogy", "{:.1%}"), ("ws353", "{:.3f}"), ("simlex", "{:.3f}"),
                         ("loss", "{:.4f}"), ("seconds", "{:.0f}")]:  # fmt: skip
            xs = [r[key] for r in rs]
            cell = fmt.format(statistics.mean(xs))
            if len(xs) > 1:
                cell += " (" + ", ".join(fmt.format(x) for x in xs) + ")"
            cells.append(cell)
        print(f"| {variant} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
