"""docs/distributed.md's figures: wordvec on Spark at 1B words, a 1M-word vocabulary, dim 300.

Reads the records ``bench/bench_spark.py --json`` wrote (its ``quality`` and
``growth`` runs on ``local[2]``) and works out, from what they measured, what a
round and an epoch would cost on 16 and 64 executors. Every figure it prints is
marked ``[M]`` (measured here, in the records or by this script) or ``[E]``
(estimated, with the assumption named).

The model. A round broadcasts both weight matrices (``B = (V + V_out) * dim * 4``
bytes), each of the ``P`` partitions trains ``S`` words with one core and sends back
the rows it changed (a share ``c`` of ``B``), and the driver merges them. The share
``c`` is predicted from the word counts: a round of ``S`` words changes the input
row of every word kept as a context, and the output row of every kept center and
every negative drawn, so row ``k`` is changed with probability
``1 - exp(-(S * p_k * keep_k) - (S_kept * K * q_k))`` (``p`` the unigram
distribution, ``keep`` word2vec's sub-sampling, ``q`` the noise distribution);
the prediction is checked against en17m's measured bytes before it is used on a
Zipf vocabulary.

    python bench/bench_spark.py --sections quality,growth --json spark.json
    python bench/spark_at_scale.py spark.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
EN17M = HERE.parent.parent / "shared" / "data" / "corpora" / "en17m.txt"

SAMPLE, NEGATIVE, DIM = 1e-4, 5, 300
N_WORDS, VOCAB = 1_000_000_000, 1_000_000
LINK = 1.25e9  # [E] bytes/s: a 10 Gb/s network link per node, the driver's included


def default_sync(partitions: int) -> int:
    """wordvec.spark's default ``sync_every`` (words per partition and round)."""
    from wordvec.spark.estimator import DEFAULT_ROUND_WORDS, MIN_DEFAULT_SYNC

    return max(MIN_DEFAULT_SYNC, DEFAULT_ROUND_WORDS // partitions**2)


def keep_probability(counts: np.ndarray, sample: float) -> np.ndarray:
    """word2vec's sub-sampling: the probability that a token of each word is kept."""
    f = counts / counts.sum()
    return np.minimum((np.sqrt(f / sample) + 1.0) * sample / f, 1.0)


def changed_share(counts: np.ndarray, s_words: float, sample: float, k: int) -> tuple[float, float]:
    """Expected shares of w_in rows and of w_out rows one partition changes in S words."""
    p = counts / counts.sum()
    kept = p * keep_probability(counts, sample)
    q = counts**0.75
    q /= q.sum()
    s_kept = s_words * kept.sum()
    rows_in = 1.0 - np.exp(-s_words * kept)
    rows_out = 1.0 - np.exp(-s_words * kept - s_kept * k * q)
    return float(rows_in.mean()), float(rows_out.mean())


def zipf_counts(vocab: int, exponent: float, n_words: int) -> np.ndarray:
    c = np.arange(1, vocab + 1, dtype=np.float64) ** -exponent
    return c / c.sum() * n_words


def en17m_counts(min_count: int = 5) -> np.ndarray:
    from wordvec.text.corpus import TextCorpus
    from wordvec.text.scan import scan

    with scan(TextCorpus(str(EN17M))) as result:
        counts = np.sort(result.counts.astype(np.float64))[::-1]
    return counts[counts >= min_count]


def merge_rate(v: int = 78_000, dim: int = 100, partitions: int = 4, share: float = 0.4) -> float:
    """[M] bytes of collected rows the driver's merge handles per second (NumPy, here)."""
    from wordvec.spark.rounds import merge

    rng = np.random.default_rng(0)
    w = rng.standard_normal((v, dim)).astype(np.float32)
    results = []
    for _ in range(partitions):
        rows = np.sort(rng.choice(v, int(share * v), replace=False))
        results.append((rows, w[rows] + np.float32(0.01)))
    nbytes = sum(new.nbytes for _, new in results)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        merge(w, results, "scaled_mean", partitions)
        times.append(time.perf_counter() - t0)
    return nbytes / statistics.median(times)


def measured(records: dict) -> dict:
    """Per-core speed, round overheads and bytes from the bench_spark records."""
    out: dict = {"runs": [], "en17m": []}
    words = seconds = 0.0
    for name, runs in records.get("quality", {}).items():
        if not name.startswith("spark-"):
            continue
        st = runs[0]["spark"]
        epochs = 5
        words += sum(st["partition_words"]) * epochs
        seconds += sum(sum(t) for t in st["task_seconds"])
        out["en17m"].append(
            {
                "partitions": st["partitions"],
                "broadcast": st["bytes_broadcast_per_round"],
                "collected": statistics.median(st["bytes_collected"]),
                "sync_every": st["sync_every"],
            }
        )
    out["core_words_per_s"] = words / seconds if seconds else float("nan")
    fit = []
    for runs in records.get("growth", {}).values():
        st = runs[0]["spark"]
        rounds = list(
            zip(st["round_seconds"], st["task_seconds"], st["bytes_collected"], strict=True)
        )
        # the round's time beyond its tasks' (local[2]: the tasks share 2 cores)
        rest = statistics.median(r - sum(t) / min(len(t), 2) for r, t, _ in rounds)
        got = statistics.median(b for _, _, b in rounds)
        row = {
            "round": statistics.median(r for r, _, _ in rounds),
            "busy": statistics.median(sum(t) / min(len(t), 2) for _, t, _ in rounds),
            "partitions": st["partitions"],
            "vocabulary": st["vocabulary"],
            "broadcast": st["bytes_broadcast_per_round"],
            "collected": got,
            "rest": rest,
            "sync_every": st["sync_every"],
        }
        out["runs"].append(row)
        fit.append((row["broadcast"] + got, rest))
    if len(fit) >= 2:  # the round's fixed cost and its cost per byte moved, on this machine
        x, y = np.array(fit).T
        slope, intercept = np.polyfit(x, y, 1)
        out["rest_fixed_s"], out["rest_per_byte"] = float(intercept), float(slope)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("records", type=Path, help="bench_spark.py --json output")
    args = p.parse_args()
    m = measured(json.loads(args.records.read_text()))
    v = m["core_words_per_s"]
    rate = merge_rate()
    print(f"[M] one core trains {v:,.0f} words/s (skip-gram + neg, dim 100, sample 1e-4)")
    print(f"[M] the driver merges {rate / 1e9:.2f} GB/s of collected rows (NumPy, here)")
    if "rest_per_byte" in m:
        print(
            f"[M] a round's cost besides training, local[2]: {m['rest_fixed_s']:.2f} s + "
            f"{m['rest_per_byte'] * 1e9:.2f} s per GB moved (broadcast + collected)"
        )

    print("\n[M] a round on local[2] (growth runs: 2M words, 250,000 words per partition):")
    print(
        "| partitions | vocabulary | broadcast | collected | round | tasks (sum / 2 cores) | rest |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in m["runs"]:
        print(
            f"| {row['partitions']} | {row['vocabulary']:,} | {row['broadcast'] / 1e6:.1f} MB | "
            f"{row['collected'] / 1e6:.1f} MB | {row['round']:.2f} s | {row['busy']:.2f} s | "
            f"{row['rest']:.2f} s |"
        )

    counts = en17m_counts()
    print(f"\n[M] en17m: V = {len(counts):,} (min-count 5); the model's share of rows "
          "changed by one partition in a round, against the bytes measured:")  # fmt: skip
    print("| partitions | words per partition per round | predicted share of B | measured |")
    print("|---|---|---|---|")
    for row in m["en17m"]:
        s_in, s_out = changed_share(counts, row["sync_every"], SAMPLE, NEGATIVE)
        print(
            f"| {row['partitions']} | {row['sync_every']:,} | {(s_in + s_out) / 2:.0%} | "
            f"{row['collected'] / row['partitions'] / row['broadcast']:.0%} |"
        )

    b = 2 * VOCAB * DIM * 4
    v300 = v * 100 / DIM
    print(f"\n[E] B = 2 x {VOCAB:,} x {DIM} x 4 = {b / 1e9:.1f} GB; one core at dim {DIM}: "
          f"{v300:,.0f} words/s (dim-100 speed x 100/{DIM})")  # fmt: skip
    print(
        "\n| Zipf exponent | executors | S (words per partition per round) | "
        "input rows changed | output rows changed | collected per round (all partitions) |"
    )
    print("|---|---|---|---|---|---|")  # fmt: skip
    plans = []
    for exponent in (1.0, 1.34):
        counts = zipf_counts(VOCAB, exponent, N_WORDS)
        for parts in (16, 64):
            for s_words in (default_sync(parts), 1_000_000):
                s_in, s_out = changed_share(counts, s_words, SAMPLE, NEGATIVE)
                got = parts * (s_in + s_out) / 2 * b
                plans.append((exponent, parts, s_words, got))
                print(
                    f"| {exponent} | {parts} | {s_words:,} | {s_in:.1%} | {s_out:.1%} | "
                    f"{got / 1e9:.1f} GB |"
                )

    print("\n| Zipf exponent | executors | S | rounds per epoch | broadcast | collect "
          "| merge | training | per round | per epoch |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for exponent, parts, s_words, got in plans:
        rounds = N_WORDS / (parts * s_words)
        bcast = 2 * b / LINK  # torrent: about the weights' time on one link, twice over
        collect = got / LINK  # everything funnels into the driver's one link
        merging = got / rate
        train = s_words / v300
        per_round = bcast + collect + merging + train
        print(
            f"| {exponent} | {parts} | {s_words:,} | {rounds:,.0f} | {bcast:.1f} s | "
            f"{collect:.1f} s | {merging:.1f} s | {train:.2f} s | {per_round:.1f} s | "
            f"{rounds * per_round / 3600:,.1f} h |"
        )
    for parts in (16, 64):
        ideal = N_WORDS / (parts * v300)
        print(f"[E] training alone, {parts} executors: {ideal / 60:.1f} min per epoch")


if __name__ == "__main__":
    main()
