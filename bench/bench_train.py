"""Training benchmark: wordvec against gensim (and fastText if installed), same run, same settings.

Each tool trains in its own fresh process (so peak memory is its own) on the
same corpus with the same settings; the time is the whole job a user waits
for: reading the corpus, building the vocabulary and training (not writing the
vectors). Quality is measured afterwards on every run's vectors with the same
evaluator (questions-words restricted to the 30,000 most frequent words,
WordSim-353 and SimLex-999 Spearman) and reported as the median over the runs.

    python bench/bench_train.py                          # SG + NS on en17m, 3 repeats
    python bench/bench_train.py --model cbow --words 2000000 --repeats 1
    python bench/bench_train.py --loss hs --peers gensim
    python bench/bench_train.py --threads 1,2 --peers none   # thread scaling
    python bench/bench_train.py --scale 1,4 --peers none     # memory vs corpus length

With --scale s the text is repeated s times and min-count multiplied by s, so the
vocabulary is the same at every scale and only the corpus length changes.

Words/s = epochs x corpus words / wall seconds, the same formula for every tool.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import prefix_corpus  # (bench/ is the script's directory)

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "en17m.txt"


# ---------------------------------------------------------------------------- workers
def worker(args: argparse.Namespace) -> None:
    """Train with one tool, write the vectors, print one JSON line."""
    args.threads = int(args.threads)
    t0 = time.perf_counter()
    if args.worker == "wordvec":
        from wordvec.model import Word2Vec
        from wordvec.vectors.formats import save

        m = Word2Vec(
            model=args.model,
            loss=args.loss,
            dim=args.dim,
            window=args.window,
            negative=args.negative if args.loss == "neg" else 0,
            min_count=args.min_count,
            sample=args.sample,
            epochs=args.epochs,
            alpha=args.alpha,
            min_alpha=args.alpha * 1e-4,
            threads=args.threads,
            seed=1,
        ).fit(args.corpus)
        seconds = time.perf_counter() - t0
        save(m.wv, args.out)
        words = m.vocab_.total
        vocab = len(m.wv)
        loss = m.loss_history_
    elif args.worker in ("gensim", "gensim-file"):
        from gensim.models import Word2Vec as GW
        from gensim.models.word2vec import LineSentence

        common = dict(
            vector_size=args.dim,
            window=args.window,
            sg=int(args.model == "skipgram"),
            hs=int(args.loss == "hs"),
            negative=args.negative if args.loss == "neg" else 0,
            min_count=args.min_count,
            sample=args.sample,
            epochs=args.epochs,
            alpha=args.alpha,
            min_alpha=args.alpha * 1e-4,
            workers=args.threads,
            seed=1,
        )
        if args.worker == "gensim":
            m = GW(LineSentence(args.corpus, max_sentence_length=10_000), **common)
        else:
            m = GW(corpus_file=args.corpus, **common)
        seconds = time.perf_counter() - t0
        m.wv.save_word2vec_format(args.out, binary=True)
        words = m.corpus_total_words
        vocab = len(m.wv)
        loss = []
    elif args.worker == "fasttext":
        import fasttext

        m = fasttext.train_unsupervised(
            args.corpus,
            model=args.model,
            loss="ns" if args.loss == "neg" else args.loss,
            dim=args.dim,
            ws=args.window,
            neg=args.negative,
            minCount=args.min_count,
            t=args.sample,
            epoch=args.epochs,
            lr=args.alpha,
            thread=args.threads,
            maxn=0,
            minn=0,
            verbose=0,
        )
        seconds = time.perf_counter() - t0
        words_list = m.get_words()
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(f"{len(words_list)} {args.dim}\n")
            for w in words_list:
                fh.write(w + " " + " ".join(f"{x:.6f}" for x in m.get_word_vector(w)) + "\n")
        words = None
        vocab = len(words_list)
        loss = []
    else:
        raise SystemExit(f"unknown worker {args.worker}")
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mib": peak_kib / 1024,
                "words": words,
                "vocab": vocab,
                "loss": loss,
            }
        )
    )


# ---------------------------------------------------------------------------- driver


def count_words(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            n += len(line.split())
    return n


def run_tool(tool: str, corpus: Path, out: Path, args, threads: int, min_count: int) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        tool,
        "--corpus",
        str(corpus),
        "--out",
        str(out),
        "--model",
        args.model,
        "--loss",
        args.loss,
        "--dim",
        str(args.dim),
        "--window",
        str(args.window),
        "--negative",
        str(args.negative),
        "--min-count",
        str(min_count),
        "--sample",
        str(args.sample),
        "--epochs",
        str(args.epochs),
        "--alpha",
        str(args.alpha),
        "--threads",
        str(threads),
    ]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{tool} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def quality(vec_path: Path) -> dict:
    from wordvec.vectors import evaluate
    from wordvec.vectors.formats import load

    kv = load(vec_path)
    a = evaluate.analogies(kv, restrict_vocab=30000)
    sims = evaluate.similarity(kv)  # the shipped WordSim-353 and SimLex-999
    return {
        "analogy": a.accuracy,
        "ws353": sims["wordsim353"].spearman,
        "simlex": sims["simlex999"].spearman,
    }


def tool_available(tool: str) -> bool:
    mod = {"gensim": "gensim", "gensim-file": "gensim", "fasttext": "fasttext"}.get(tool)
    if mod is None:
        return True
    try:
        __import__(mod)
        return True
    except ImportError:
        return False


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--words", type=int, default=None, help="use a prefix of this many words")
    p.add_argument("--model", default="skipgram", choices=["skipgram", "cbow"])
    p.add_argument("--loss", default="neg", choices=["neg", "hs"])
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-4)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument(
        "--alpha",
        type=float,
        default=None,
        help="start learning rate for every tool (default word2vec C's: "
        "0.025 skip-gram, 0.05 CBOW)",
    )
    p.add_argument("--threads", default="2", help="comma-separated thread counts")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument(
        "--peers",
        default="gensim,gensim-file,fasttext",
        help="comma-separated: gensim (LineSentence), gensim-file (corpus_file), "
        "fasttext; or 'none'",
    )
    p.add_argument("--scale", default="1", help="comma-separated corpus repetitions (memory)")
    p.add_argument("--no-quality", action="store_true")
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args()
    if args.alpha is None:
        args.alpha = 0.05 if args.model == "cbow" else 0.025
    if args.worker:
        args.corpus = str(args.corpus)
        worker(args)
        return

    peers = [] if args.peers == "none" else [t for t in args.peers.split(",") if t]
    tools = ["wordvec"] + [t for t in peers if tool_available(t)]
    skipped = [t for t in peers if t not in tools]
    tmp = Path(tempfile.mkdtemp(prefix="wordvec-bench-"))
    try:
        run_all(args, tools, skipped, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_all(args, tools, skipped, tmp: Path) -> None:
    threads_list = [int(t) for t in args.threads.split(",")]
    scales = [int(s) for s in args.scale.split(",")]
    base = args.corpus
    if args.words:
        base = tmp / "prefix.txt"
        n_words = prefix_corpus(args.corpus, args.words, base)
    else:
        n_words = count_words(base)
    print(
        f"corpus {args.corpus} ({n_words:,} words{' prefix' if args.words else ''}); "
        f"{args.model} + {args.loss}, dim {args.dim}, window {args.window}, "
        f"negative {args.negative}, sample {args.sample}, min-count {args.min_count}, "
        f"{args.epochs} epochs, median of {args.repeats}"
    )
    if skipped:
        print(f"(not installed, skipped: {', '.join(skipped)})")

    # Repeats go round-robin over every (scale, threads, tool) configuration, so a
    # change in the machine's speed during the run (shared, noisy hosts) falls on
    # all of them alike rather than on whichever ran last.
    corpora = {}
    text = base.read_bytes() if max(scales) > 1 else b""
    for scale in scales:
        corpora[scale] = base
        if scale > 1:
            corpora[scale] = tmp / f"x{scale}.txt"
            with open(corpora[scale], "wb") as out:
                for _ in range(scale):
                    out.write(text)
    configs = [(s, t, tool) for s in scales for t in threads_list for tool in tools]
    runs: dict[tuple, list[dict]] = {c: [] for c in configs}
    for r in range(args.repeats):
        for scale, threads, tool in configs:
            ext = ".vec" if tool == "fasttext" else ".bin"  # fastText writes text
            out = tmp / f"{tool}-{scale}-{threads}-{r}{ext}"
            # the text repeated `scale` times with min_count x scale: the same vocabulary
            res = run_tool(tool, corpora[scale], out, args, threads, args.min_count * scale)
            res["out"] = out
            runs[(scale, threads, tool)].append(res)
            print(
                f"  round {r + 1}/{args.repeats}: {tool}, {threads} threads, x{scale}: "
                f"{res['seconds']:.2f} s, peak {res['peak_mib']:.0f} MiB, vocab {res['vocab']}",
                flush=True,
            )
    rows = []
    for scale, threads, tool in configs:
        rs = runs[(scale, threads, tool)]
        secs = statistics.median(x["seconds"] for x in rs)
        row = {
            "tool": tool,
            "threads": threads,
            "scale": scale,
            "seconds": secs,
            "all_seconds": [round(x["seconds"], 2) for x in rs],
            "words_per_sec": args.epochs * n_words * scale / secs,
            "peak_mib": max(x["peak_mib"] for x in rs),
            "all_peak_mib": [round(x["peak_mib"], 1) for x in rs],
            "vocab": rs[-1]["vocab"],
        }
        if not args.no_quality:  # median over the repeats: one run's analogy score varies ~1 pt
            qs = [quality(x["out"]) for x in rs]
            for key in qs[0]:
                row[key] = statistics.median(q[key] for q in qs)
                row["all_" + key] = [round(q[key], 4) for q in qs]
        rows.append(row)

    print()
    header = (
        f"{'tool':<12} {'thr':>3} {'x':>2} {'wall s':>8} {'Mwords/s':>9} {'peak MiB':>9} "
        f"{'analogy':>8} {'WS353':>7} {'SimLex':>7}  runs"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(_fmt(row))
    print()
    for scale in scales:
        for threads in threads_list:
            ours = next(
                r
                for r in rows
                if r["tool"] == "wordvec" and r["threads"] == threads and r["scale"] == scale
            )
            for r in rows:
                if r["tool"] != "wordvec" and r["threads"] == threads and r["scale"] == scale:
                    line = (
                        f"wordvec / {r['tool']} ({threads} threads): "
                        f"{ours['words_per_sec'] / r['words_per_sec']:.2f}x words/s"
                    )
                    if "analogy" in r:
                        line += (
                            f", analogy {100 * (ours['analogy'] - r['analogy']):+.2f} pt, "
                            f"WS353 {ours['ws353'] - r['ws353']:+.3f}, "
                            f"SimLex {ours['simlex'] - r['simlex']:+.3f}"
                        )
                    print(line)
    if len(threads_list) > 1:
        t1, tn = min(threads_list), max(threads_list)
        s0 = scales[0]
        a, b = runs[(s0, t1, "wordvec")], runs[(s0, tn, "wordvec")]
        paired = [x["seconds"] / y["seconds"] for x, y in zip(a, b, strict=True)]
        med = statistics.median(x["seconds"] for x in a) / statistics.median(
            x["seconds"] for x in b
        )
        print(
            f"wordvec {tn} threads / {t1} thread: {med:.2f}x (ratio of medians); "
            f"per round {', '.join(f'{x:.2f}' for x in paired)}, "
            f"median {statistics.median(paired):.2f}x"
        )
    if len(scales) > 1:
        by_s = {r["scale"]: r for r in rows if r["tool"] == "wordvec"}
        s1, sn = min(by_s), max(by_s)
        print(
            f"wordvec peak memory {sn}x corpus / {s1}x corpus (vocabulary "
            f"{by_s[sn]['vocab']} / {by_s[s1]['vocab']}): "
            f"{by_s[sn]['peak_mib']:.0f} / {by_s[s1]['peak_mib']:.0f} MiB"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


def _fmt(row: dict) -> str:
    q = (
        f"{100 * row['analogy']:7.2f}% {row['ws353']:7.3f} {row['simlex']:7.3f}"
        if "analogy" in row
        else f"{'':>8} {'':>7} {'':>7}"
    )
    return (
        f"{row['tool']:<12} {row['threads']:>3} {row['scale']:>2} {row['seconds']:8.1f} "
        f"{row['words_per_sec'] / 1e6:9.3f} {row['peak_mib']:9.0f} {q}  {row['all_seconds']}"
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
