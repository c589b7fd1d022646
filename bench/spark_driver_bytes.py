"""Bytes into the driver per round against partitions: merged in the executors or not.

Before (``Run.aggregate = "driver"``) every partition sent the driver the rows it
changed in a round and the driver merged them, so the driver received about
``P x c x B`` bytes a round (``c`` the share of rows one partition changes, ``B`` both
matrices). Now the executors merge each block of rows after a shuffle and the driver
receives every changed row once: at most ``B`` (plus the row ids) whatever ``P``.
Both runs give the same weights, bit for bit (checked here too).

One Spark session (``--master``, by default Spark's test cluster with two executor
JVMs, where tasks get their own copies as on a real cluster) trains a prefix of en17m
for one epoch at each partition count, once each way, and prints a table: per round,
the bytes collected (median over the rounds), the round's time and the tasks' time
(the sum over tasks, over the master's 2 cores). Timings on a shared machine are noisy;
the bytes are exact::

    python bench/spark_driver_bytes.py --words 2000000 --partitions 2,4,8
    python bench/spark_driver_bytes.py --master "local[2]"
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_spark import DEFAULT_CORPUS, _session, prefix  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--words", type=int, default=2_000_000)
    p.add_argument("--partitions", default="2,4,8")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--master", default="local-cluster[2,1,1024]")
    args = p.parse_args()

    from wordvec.spark import Word2Vec, driver

    spark = _session(args.master)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "prefix.txt"
        words = prefix(args.corpus, args.words, corpus)
        print(f"{words} words of {args.corpus.name}, master {args.master}, dim {args.dim}, "
              "skip-gram + neg, 1 epoch, the default schedule", flush=True)  # fmt: skip
        try:
            for parts in [int(x) for x in args.partitions.split(",")]:
                fitted = {}
                for how in ("driver", "executors"):
                    driver.Run.aggregate = how
                    t0 = time.perf_counter()
                    est = Word2Vec(model="skipgram", dim=args.dim, epochs=1, partitions=parts,
                                   sample=1e-4)  # fmt: skip
                    model = est.fit(str(corpus))
                    st = model.spark_stats_
                    fitted[how] = model
                    row = (parts, how, st["vocabulary"], st["rounds"],
                           st["bytes_broadcast_per_round"],
                           statistics.median(st["bytes_collected"]),
                           statistics.median(st["round_seconds"]),
                           statistics.median(sum(t) / 2 for t in st["task_seconds"]),
                           time.perf_counter() - t0)  # fmt: skip
                    rows.append(row)
                    print(row, flush=True)
                same = np.array_equal(fitted["driver"].w_in_, fitted["executors"].w_in_) and (
                    np.array_equal(fitted["driver"].w_out_, fitted["executors"].w_out_)
                )
                print(f"{parts} partitions: the same weights both ways: {same}", flush=True)
        finally:
            spark.stop()
    print()
    print("| partitions | merged in | vocabulary | rounds | broadcast | into the driver "
          "(median round) | round | tasks (sum / 2 cores) | fit |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for parts, how, v, r, b, got, sec, tasks, fit in rows:
        print(f"| {parts} | {how} | {v:,} | {r} | {b / 1e6:.1f} MB | {got / 1e6:.1f} MB "
              f"({got / b:.0%} of B) | {sec:.2f} s | {tasks:.2f} s | {fit:.1f} s |")  # fmt: skip


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
