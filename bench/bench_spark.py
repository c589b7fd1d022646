"""Spark benchmark: wordvec on Spark against single-machine wordvec and against MLlib.

Every run is its own process with its own Spark session on ``local[2]`` (dim 100,
window 5, min-count 5); its time is the whole job a user waits for, from the
start of the session (Spark's start included) until the trained vectors are on
the driver. Quality is the analogy accuracy (questions-words) and WordSim-353
(Spearman) of ``wordvec.vectors.evaluate``. Repeats go round-robin over the runs; the
tables show medians.

Sections (``--sections``, all by default):

``quality``
    en17m, skip-gram + negative sampling, sample 1e-4, 5 epochs: single-machine
    wordvec (2 threads) against wordvec on Spark with 2, 4 and 8 partitions
    (analogy over the 30,000 most frequent words, as ``bench_train.py``).
``merge``
    The merge rules on a slice of en17m (``--merge-words``, 3 epochs, skip-gram +
    negative sampling, the default schedule) at 2 and 8 partitions.
``mllib``
    A 3.4M-word slice of en17m, 3 epochs, skip-gram + hierarchical softmax, no
    sub-sampling (MLlib has none), ``maxIter`` = epochs, ``stepSize`` = alpha =
    0.025, ``maxSentenceLength`` 1000 for both: MLlib's ``Word2Vec`` against
    wordvec on Spark, on the same DataFrame of tokens, 2, 4 and 8 partitions. Each
    system is evaluated on its full vocabulary (MLlib's vectors are unsorted).
``bytes``
    What each round moves (from the quality runs): the broadcast weights and the
    rows collected, against ``(V + V_out) * dim * 4`` bytes.
``growth``
    How a round's bytes and seconds grow with the partitions, the dim and the
    vocabulary: a slice of en17m (``--growth-words``), one epoch, rounds of
    250,000 words per partition, partitions 2/4/8 at dim 100, then dim 50/200 and
    min-count 2/20 (a larger and a smaller vocabulary) at 4 partitions.

    python bench/bench_spark.py                       # everything, one repeat
    python bench/bench_spark.py --sections mllib --partitions 4 --repeats 3
    python bench/bench_spark.py --words 2000000 --sections quality   # a quick look
    python bench/bench_spark.py --sections mllib --master "local-cluster[2,1,3072]"

``--master`` chooses the Spark master of every run (``local[2]`` by default).
``local-cluster[N,C,MB]`` starts N separate executor JVMs of C cores (Spark's
test cluster; the script points ``SPARK_HOME`` at the installed pyspark): tasks
then get their own copy of a broadcast, as on a real cluster. In ``local[...]``
mode MLlib's tasks share the driver's weight arrays instead (a broadcast value is
the driver's object there, and MLlib trains it in place), so its local scores are
those of shared-memory training, not of its distributed algorithm. wordvec's
result is the same on either master.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import prefix_corpus  # (bench/ is the script's directory)

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "en17m.txt"
MASTER = "local[2]"  # --master
CORES = 2  # the master's


# ---------------------------------------------------------------------------- workers
def _session(master: str):
    from wordvec.spark.session import get_session

    if master.startswith("local-cluster") and "SPARK_HOME" not in os.environ:
        import pyspark  # its package holds Spark's jars and launch scripts

        os.environ["SPARK_HOME"] = os.path.dirname(pyspark.__file__)
    spark = get_session(master=master, app_name="bench_spark")
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _quality(kv, full: bool) -> dict:
    from wordvec.vectors import evaluate

    a = evaluate.analogies(kv, restrict_vocab=len(kv) if full else 30_000)
    sims = evaluate.similarity(kv)
    return {"analogy": 100 * a.accuracy, "ws353": sims["wordsim353"].spearman, "vocab": len(kv)}


def worker(args: argparse.Namespace) -> dict:
    """One run, in this process; returns its JSON record."""
    opts = json.loads(args.opts)
    tool = args.worker
    t0 = time.perf_counter()
    t_fit = t0  # where the fit starts (after the session, for the Spark tools)
    stats = None
    if tool == "single":
        from wordvec import Word2Vec

        model = Word2Vec(**opts).fit(args.corpus)
        kv = model.wv
    elif tool == "spark":
        from wordvec.spark import Word2Vec

        spark = _session(args.master)
        t_fit = time.perf_counter()
        if args.tokens:  # the DataFrame MLlib gets
            data, col = _tokens_frame(spark, args.corpus), "tokens"
        else:
            data, col = str(args.corpus), None
        model = Word2Vec(**opts, spark=spark).fit(data, input_col=col)
        kv, stats = model.wv, model.spark_stats_
    elif tool == "mllib":
        from pyspark.ml.feature import Word2Vec as MLlibWord2Vec

        from wordvec.vectors.keyedvectors import KeyedVectors

        spark = _session(args.master)
        t_fit = time.perf_counter()
        ml = MLlibWord2Vec(inputCol="tokens", outputCol="v", **opts)
        fitted = ml.fit(_tokens_frame(spark, args.corpus))
        rows = fitted.getVectors().collect()
        import numpy as np

        kv = KeyedVectors(
            [r["word"] for r in rows], np.array([r["vector"].toArray() for r in rows], np.float32)
        )
    else:
        raise SystemExit(f"unknown worker {tool!r}")
    t1 = time.perf_counter()
    record = {"tool": tool, "seconds": t1 - t0, "fit_seconds": t1 - t_fit}
    record.update(_quality(kv, full=args.full_vocab))
    if stats is not None:
        record["spark"] = stats
    return record


def _tokens_frame(spark, path):
    """Lines of ``path`` as an array<string> column ``tokens`` (whitespace runs)."""
    from pyspark.sql import functions as F

    lines = spark.read.text(str(path), lineSep="\n")
    tokens = F.split(F.trim(F.col("value")), r"\s+")
    return lines.where(F.length(F.trim(F.col("value"))) > 0).select(tokens.alias("tokens"))


# ---------------------------------------------------------------------------- driver
def run(tool: str, corpus: Path, opts: dict, full_vocab=False, tokens=False) -> dict:
    cmd = [sys.executable, __file__, "--worker", tool, "--corpus", str(corpus), "--master", MASTER]
    cmd += ["--opts", json.dumps(opts)]
    if full_vocab:
        cmd.append("--full-vocab")
    if tokens:
        cmd.append("--tokens")
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{tool} {opts} failed:\n{res.stderr[-4000:]}")
    record = json.loads(res.stdout.strip().splitlines()[-1])
    print(f"  {tool:6s} {_short(opts)}: {record['seconds']:.1f}s, analogy "
          f"{record['analogy']:.2f}%, WS-353 {record['ws353']:.3f}", flush=True)  # fmt: skip
    return record


def _short(opts: dict) -> str:
    keys = ("partitions", "numPartitions", "merge", "sync_every", "threads")
    return " ".join(f"{k}={opts[k]}" for k in keys if k in opts)


def rounds_robin(jobs: list[tuple[str, dict]], repeats: int, runner) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {name: [] for name, _ in jobs}
    for r in range(repeats):
        print(f"repeat {r + 1}/{repeats}", flush=True)
        for name, job in jobs:
            out[name].append(runner(job))
    return out


def med(records: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in records)


def section_quality(args, corpus: Path) -> dict:
    base = dict(model="skipgram", loss="neg", dim=100, window=5, negative=5, min_count=5)
    base.update(sample=1e-4, epochs=5, seed=1)
    jobs = [("single", ("single", dict(base, threads=2)))]
    for p in args.partitions:
        spark_opts = dict(base, partitions=p)
        if args.sync_every:
            spark_opts["sync_every"] = args.sync_every
        jobs.append((f"spark-{p}", ("spark", spark_opts)))
    res = rounds_robin(jobs, args.repeats, lambda j: run(j[0], corpus, j[1]))
    single = res["single"]
    rows = [
        "| run | time | vs single | analogy (30k) | WS-353 | rounds |",
        "|---|---|---|---|---|---|",
        f"| single machine, 2 threads | {med(single, 'seconds'):.1f} s | 1.00x | "
        f"{med(single, 'analogy'):.2f}% | {med(single, 'ws353'):.3f} | - |",
    ]
    for p in args.partitions:
        r = res[f"spark-{p}"]
        rows.append(
            f"| Spark, {p} partitions | {med(r, 'seconds'):.1f} s | "
            f"{med(r, 'seconds') / med(single, 'seconds'):.2f}x | {med(r, 'analogy'):.2f}% "
            f"({med(r, 'analogy') - med(single, 'analogy'):+.2f}) | {med(r, 'ws353'):.3f} | "
            f"{r[0]['spark']['rounds']} |"
        )
    return {"table": rows, "runs": res}


def section_merge(args, corpus: Path, tmp: Path) -> dict:
    sliced = tmp / "merge.txt"
    words = prefix_corpus(corpus, args.merge_words, sliced)
    base = dict(model="skipgram", loss="neg", dim=100, window=5, negative=5, min_count=5)
    base.update(sample=1e-4, epochs=3, seed=1)
    jobs = [("single", ("single", dict(base, threads=2)))]
    for p in (2, 8):
        for rule in ("scaled_mean", "row_mean", "mean", "sum"):
            opts = dict(base, partitions=p, merge=rule)
            jobs.append((f"{rule}-{p}", ("spark", opts)))
    res = rounds_robin(jobs, 1, lambda j: run(j[0], sliced, j[1]))
    single = res["single"][0]
    rows = [
        f"{words / 1e6:.1f}M words of en17m, 3 epochs, the default schedule; "
        f"single machine (2 threads): analogy {single['analogy']:.2f}%, WS-353 "
        f"{single['ws353']:.3f}",
        "",
        "| merge rule | partitions | rounds | analogy (30k) | WS-353 |",
        "|---|---|---|---|---|",
    ]
    for p in (2, 8):
        for rule in ("scaled_mean", "row_mean", "mean", "sum"):
            r = res[f"{rule}-{p}"][0]
            rows.append(
                f"| {rule} | {p} | {r['spark']['rounds']} | {r['analogy']:.2f}% "
                f"({r['analogy'] - single['analogy']:+.2f}) | {r['ws353']:.3f} |"
            )
    return {"table": rows, "runs": res}


def section_mllib(args, corpus: Path, tmp: Path) -> dict:
    sliced = tmp / "mllib.txt"
    words = prefix_corpus(corpus, args.mllib_words, sliced)
    jobs = []
    for p in args.partitions:
        ml = dict(vectorSize=100, windowSize=5, minCount=5, maxIter=3, stepSize=0.025)
        ml.update(numPartitions=p, seed=1, maxSentenceLength=1000)
        wv = dict(model="skipgram", loss="hs", dim=100, window=5, min_count=5, epochs=3)
        wv.update(alpha=0.025, sample=0.0, seed=1, max_sentence_length=1000, partitions=p)
        jobs.append((f"mllib-{p}", ("mllib", ml)))
        jobs.append((f"wordvec-{p}", ("spark", wv)))
    res = rounds_robin(
        jobs, args.repeats, lambda j: run(j[0], sliced, j[1], full_vocab=True, tokens=True)
    )
    rows = [
        f"{words / 1e6:.2f}M words, 3 epochs, skip-gram + hs, no sub-sampling, master "
        f"{MASTER}; every system evaluated on its full vocabulary",
        "",
        "| partitions | MLlib fit | wordvec fit | speed | whole job (session start "
        "included) | analogy (MLlib vs wordvec) | WS-353 | vocabulary |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in args.partitions:
        m, w = res[f"mllib-{p}"], res[f"wordvec-{p}"]
        rows.append(
            f"| {p} | {med(m, 'fit_seconds'):.1f} s | {med(w, 'fit_seconds'):.1f} s | "
            f"{med(m, 'fit_seconds') / med(w, 'fit_seconds'):.1f}x | "
            f"{med(m, 'seconds'):.1f} s vs {med(w, 'seconds'):.1f} s "
            f"({med(m, 'seconds') / med(w, 'seconds'):.1f}x) | {med(m, 'analogy'):.2f}% vs "
            f"{med(w, 'analogy'):.2f}% | {med(m, 'ws353'):.3f} vs {med(w, 'ws353'):.3f} | "
            f"{m[0]['vocab']} / {w[0]['vocab']} |"
        )
    return {"table": rows, "runs": res}


def section_bytes(quality: dict) -> dict:
    rows = [
        "| run | vocabulary | dim | broadcast per round | (V + V_out) x dim x 4 | "
        "collected per round (median) | per partition | rounds | seconds per round (median) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, runs in quality["runs"].items():
        if not name.startswith("spark-"):
            continue
        st = runs[0]["spark"]
        v, p = st["vocabulary"], st["partitions"]
        formula = (2 * v) * 100 * 4
        got = statistics.median(st["bytes_collected"])
        rows.append(
            f"| {p} partitions | {v} | 100 | {st['bytes_broadcast_per_round'] / 1e6:.1f} MB | "
            f"{formula / 1e6:.1f} MB | {got / 1e6:.1f} MB | {got / p / 1e6:.1f} MB | "
            f"{st['rounds']} | {statistics.median(st['round_seconds']):.1f} s |"
        )
    return {"table": rows}


def section_growth(args, corpus: Path, tmp: Path) -> dict:
    sliced = tmp / "growth.txt"
    words = prefix_corpus(corpus, args.growth_words, sliced)
    base = dict(model="skipgram", loss="neg", dim=100, window=5, negative=5, min_count=5)
    base.update(sample=1e-4, epochs=1, seed=1, sync_every=250_000, partitions=4)
    variants = [dict(partitions=2), dict(), dict(partitions=8), dict(dim=50), dict(dim=200)]
    variants += [dict(min_count=2), dict(min_count=20)]
    jobs = [(f"growth-{i}", ("spark", dict(base, **v))) for i, v in enumerate(variants)]
    res = rounds_robin(jobs, 1, lambda j: run(j[0], sliced, j[1]))
    rows = [
        f"{words / 1e6:.1f}M words of en17m, 1 epoch, skip-gram + neg, rounds of 250,000 "
        "words per partition; medians over the rounds",
        "",
        "| partitions | dim | min-count | vocabulary | broadcast | collected (all partitions) "
        "| per partition | share of the weights a partition sends | round | its tasks "
        "(sum / 2 cores) | the rest (broadcast, collect, merge) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, (_, opts) in jobs:
        st = res[name][0]["spark"]
        p, b = st["partitions"], st["bytes_broadcast_per_round"]
        got = statistics.median(st["bytes_collected"])
        rnd = statistics.median(st["round_seconds"])
        # the tasks' own time on the master's cores (8 tasks on 2 cores run in 4 waves)
        busy = statistics.median(sum(t) / min(p, CORES) for t in st["task_seconds"])
        rows.append(
            f"| {p} | {opts['dim']} | {opts['min_count']} | {st['vocabulary']:,} | "
            f"{b / 1e6:.1f} MB | {got / 1e6:.1f} MB | {got / p / 1e6:.1f} MB | "
            f"{got / p / b:.0%} | {rnd:.2f} s | {busy:.2f} s | {rnd - busy:.2f} s |"
        )
    return {"table": rows, "runs": res}


def main() -> None:
    global MASTER
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--opts", help=argparse.SUPPRESS)
    p.add_argument("--full-vocab", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--tokens", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--words", type=int, help="quality section: a prefix of this many words")
    p.add_argument("--sections", default="quality,merge,mllib,bytes,growth")
    p.add_argument("--partitions", default="2,4,8")
    p.add_argument("--sync-every", type=int, help="quality section (default: wordvec's)")
    p.add_argument("--merge-words", type=int, default=4_000_000)
    p.add_argument("--mllib-words", type=int, default=3_400_000)
    p.add_argument("--growth-words", type=int, default=2_000_000)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--master", default=MASTER, help="Spark master of every run (local[2])")
    p.add_argument("--json", type=Path, help="also write every record here")
    args = p.parse_args()
    MASTER = args.master
    if args.worker:
        print(json.dumps(worker(args)))
        return
    args.partitions = [int(x) for x in args.partitions.split(",")]
    sections = args.sections.split(",")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = args.corpus
        if args.words:
            corpus = tmp / "prefix.txt"
            prefix_corpus(args.corpus, args.words, corpus)
        # Numba compiles the kernels on first use and caches them: do that before timing
        warm = tmp / "warm.txt"
        prefix_corpus(args.corpus, 50_000, warm)
        print("warming the Numba cache (untimed)", flush=True)
        small = dict(dim=10, min_count=1, epochs=1)
        for loss in ("neg", "hs"):
            run("single", warm, dict(small, loss=loss, threads=2))
            run("spark", warm, dict(small, loss=loss, partitions=2))
        if "quality" in sections or "bytes" in sections:
            print("== quality: single machine vs Spark", flush=True)
            out["quality"] = section_quality(args, corpus)
        if "merge" in sections:
            print("== merge rules", flush=True)
            out["merge"] = section_merge(args, args.corpus, tmp)
        if "mllib" in sections:
            print("== MLlib", flush=True)
            out["mllib"] = section_mllib(args, args.corpus, tmp)
        if "growth" in sections:
            print("== growth of a round's bytes", flush=True)
            out["growth"] = section_growth(args, args.corpus, tmp)
        if "bytes" in sections:
            out["bytes"] = section_bytes(out["quality"])
    for name, sec in out.items():
        print(f"\n### {name}\n")
        print("\n".join(sec["table"]))
    if args.json:
        args.json.write_text(json.dumps({k: v.get("runs") for k, v in out.items()}, indent=1))
    print(f"\n(loaded machine: {os.getloadavg()[0]:.1f} load average at the end)")


if __name__ == "__main__":
    main()
