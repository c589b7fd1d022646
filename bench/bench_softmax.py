"""Exact softmax: the engine against the reference trainer of the same objective, on SST.

Both train skip-gram with the full (naive) softmax on the Stanford Sentiment
Treebank sentences (~19.5k words of vocabulary), dimension 10, window 5, as in
CS224n. The reference is the course's run: ``sgd`` over batches of 50 random
windows, lr 0.3, every prediction one softmax over the whole vocabulary,
float64 NumPy. The engine runs whole epochs of matrix products over batches of
centers (``wordvec.engine.softmax``).

Both results are scored the same way: the mean naive-softmax loss
``-log softmax(U v_c)[o]`` over a fixed sample of (center, outside) pairs drawn
from SST with window 5. The claim checked: given 1/20 of the reference's wall
time, the engine reaches a lower or equal loss. The engine runs first (median
of repeats); the reference then gets ``--ratio`` (20) times that time.


    python bench/bench_softmax.py                  # engine 3 repeats; reference gets 20x its time
    python bench/bench_softmax.py --repeats 1 --ratio 5
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np

SST = Path(__file__).resolve().parents[2] / "shared" / "data" / "sst" / "datasetSentences.txt"


def sample_pairs(sentences, index, n, window, seed):
    """n (center, outside) id pairs: random sentence, random center, random context word."""
    rng = np.random.default_rng(seed)
    centers, outside = [], []
    while len(centers) < n:
        s = sentences[rng.integers(len(sentences))]
        if len(s) < 2:
            continue
        i = int(rng.integers(len(s)))
        lo, hi = max(0, i - window), min(len(s), i + window + 1)
        j = int(rng.integers(lo, hi - 1))
        j = j + 1 if j >= i else j
        if s[i] in index and s[j] in index:
            centers.append(index[s[i]])
            outside.append(index[s[j]])
    return np.array(centers), np.array(outside)


def pair_loss(w_in, w_out, centers, outside, chunk=2048):
    """Mean -log softmax(U v_c)[o] over the pairs, in float64."""
    total = 0.0
    U = w_out.astype(np.float64)
    for a in range(0, len(centers), chunk):
        v = w_in[centers[a : a + chunk]].astype(np.float64)
        scores = v @ U.T
        m = scores.max(axis=1, keepdims=True)
        lse = m[:, 0] + np.log(np.exp(scores - m).sum(axis=1))
        total += float((lse - scores[np.arange(len(v)), outside[a : a + chunk]]).sum())
    return total / len(centers)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus", type=Path, default=SST)
    p.add_argument(
        "--ratio",
        type=float,
        default=20.0,
        help="the reference trains this many times the engine's wall time",
    )
    p.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="reference SGD iterations (default: from --ratio)",
    )
    p.add_argument("--epochs", type=int, default=1, help="engine epochs")
    p.add_argument("--repeats", type=int, default=3, help="engine repeats (median)")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--pairs", type=int, default=20000, help="evaluation pairs")
    args = p.parse_args()

    from wordvec.model import Word2Vec
    from wordvec.reference.trainer import read_sst, run_course_experiment

    sentences = read_sst(args.corpus)
    print(
        f"SST: {len(sentences)} sentences, {sum(map(len, sentences)):,} tokens; "
        f"skip-gram + full softmax, d=10, window 5"
    )

    # the engine first: its median wall time sets the reference's time budget
    ref_index = None
    times, models = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        m = Word2Vec(
            model="skipgram",
            loss="softmax",
            dim=10,
            window=5,
            min_count=1,
            sample=0,
            epochs=args.epochs,
            threads=args.threads,
            seed=1,
        ).fit(sentences)
        times.append(time.perf_counter() - t0)
        models.append(m)
    t_eng = statistics.median(times)

    # the reference gets `ratio` times the engine's time: time a short run, then scale
    t0 = time.perf_counter()
    run_course_experiment(
        args.corpus,
        model="skipgram",
        loss="softmax",
        dim=10,
        window=5,
        iterations=20,
        print_every=20,
        quiet=True,
    )
    per_iter = (time.perf_counter() - t0) / 20
    iterations = args.iterations or max(100, int(args.ratio * t_eng / per_iter))
    t0 = time.perf_counter()
    ref = run_course_experiment(
        args.corpus,
        model="skipgram",
        loss="softmax",
        dim=10,
        window=5,
        iterations=iterations,
        print_every=min(100, iterations),
        quiet=True,
    )
    t_ref = time.perf_counter() - t0
    ref_index = {w: i for i, w in enumerate(ref.words)}
    centers, outside = sample_pairs(sentences, ref_index, args.pairs, 5, seed=0)
    words = [ref.words[i] for i in np.concatenate([centers, outside])]
    ref_loss = pair_loss(ref.w_in, ref.w_out, centers, outside)
    ref_windows = iterations * 50
    losses = []
    for m in models:
        ids = np.array([m.vocab_.index[w] for w in words])
        losses.append(pair_loss(m.w_in_, m.w_out_, ids[: len(centers)], ids[len(centers) :]))
    eng_loss = statistics.median(losses)
    eng_windows = sum(s.kept for s in m.epoch_stats_)

    print()
    print(f"{'trainer':<10} {'windows':>9} {'wall s':>8} {'windows/s':>10} {'eval loss':>10}")
    print(
        f"{'reference':<10} {ref_windows:>9,} {t_ref:8.1f} {ref_windows / t_ref:10.0f} "
        f"{ref_loss:10.4f}"
    )
    print(
        f"{'engine':<10} {eng_windows:>9,} {t_eng:8.1f} {eng_windows / t_eng:10.0f} "
        f"{eng_loss:10.4f}   runs {[round(t, 2) for t in times]}"
    )
    print()
    print(
        f"engine wall time / reference wall time: 1/{t_ref / t_eng:.1f}; "
        f"per window: {(eng_windows / t_eng) / (ref_windows / t_ref):.1f}x; "
        f"loss {'lower or equal' if eng_loss <= ref_loss else 'HIGHER'} "
        f"({eng_loss:.4f} vs {ref_loss:.4f}; uniform over the vocabulary would be "
        f"{np.log(len(ref.words)):.4f})"
    )


if __name__ == "__main__":
    main()
