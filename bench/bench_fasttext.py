"""Subword (fastText) training benchmark: wordvec vs fastText C++ vs gensim FastText.

Every run trains in its own fresh process (peak memory is its own) on the same corpus
with issue 20's settings: skip-gram + negative sampling, dim 100, window 5, K 5,
min-count 5, sample 1e-4, 5 epochs, lr 0.05 decaying to 0, n-grams 3-6 in 2,000,000
buckets, 2 threads. Tools run round-robin (seed 1: every tool, then seed 2, ...) and
the table gives medians over the seeds.

* wordvec: ``wordvec.FastText(...).fit(corpus)``; ``wordvec-exact`` is the same with
  ``row_gradient="exact"`` (the other rule for the n-gram rows, reference/subwords.py).
* fastText: its command-line tool (``make`` in a checkout of facebookresearch/fastText),
  ``fasttext skipgram -input ... -thread 2``; --fasttext-bin names it.
* gensim: ``gensim.models.FastText(corpus_file=..., workers=2)`` with the same settings
  (sg=1, alpha 0.05, min_alpha 0, ns_exponent 0.5 as fastText's noise).

Time is the whole job a user waits for: reading the corpus, the vocabulary, training;
not writing the model (fastText writes its files as it ends: its time stops when its
first output file appears). Peak memory is the worker's (fastText's: the child's).

Quality: each tool's model is written as a fastText ``.bin`` (fastText's own, gensim's
``save_facebook_model``, wordvec's ``save_fasttext``) and read back by
``wordvec.load_fasttext``, so one evaluator scores all of them: analogies
(questions-words, 30,000 most frequent words, semantic and syntactic sections) and
WordSim-353 / SimLex-999 Spearman with out-of-vocabulary words *included* (their
vectors built from their n-grams; a word with no known n-gram counts as cosine 0).

Conventions (fastText's, all tools): rate decaying linearly to 0, noise exponent 0.5.
fastText adds ``</s>`` at the end of every line and cuts lines at 1024 tokens; wordvec
and gensim do not add ``</s>`` (a line is a sentence), wordvec cuts lines at 1024 words.

    python bench/bench_fasttext.py --fasttext-bin /tmp/fastText/fasttext          # en17m
    python bench/bench_fasttext.py --fasttext-bin FT --words 2000000 --repeats 1 \\
        --bucket 200000                                               # a quick slice
    python bench/bench_fasttext.py --tools wordvec,wordvec-exact --words 5000000

Targets (issue 20): at least 2x fastText's speed and 5x gensim's, analogy within 1
point of fastText's, WS-353 / SimLex within 0.02.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from _corpus import prefix_corpus  # (bench/ is the script's directory)

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "en17m.txt"
EVAL = HERE.parent.parent / "shared" / "data" / "eval"


# ---------------------------------------------------------------------------- workers
def worker(a: argparse.Namespace) -> None:
    """Train with one tool, write a fastText .bin to ``a.out``, print one JSON line."""
    t0 = time.perf_counter()
    if a.worker in ("wordvec", "wordvec-exact"):
        from wordvec import FastText

        m = FastText(
            model="skipgram", loss="neg", dim=a.dim, window=a.window, negative=a.negative,
            min_count=a.min_count, sample=a.sample, epochs=a.epochs, alpha=a.alpha,
            min_alpha=0.0, threads=a.threads, seed=a.seed, minn=a.minn, maxn=a.maxn,
            bucket=a.bucket, row_gradient="exact" if a.worker == "wordvec-exact" else "fasttext",
        ).fit(a.corpus)  # fmt: skip
        seconds = time.perf_counter() - t0
        m.save_fasttext(a.out)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        words = int(m.vocab_.total)
    elif a.worker == "gensim":
        from gensim.models import FastText as GFT
        from gensim.models.fasttext import save_facebook_model

        m = GFT(
            corpus_file=a.corpus, vector_size=a.dim, window=a.window, sg=1, hs=0,
            negative=a.negative, min_count=a.min_count, sample=a.sample, epochs=a.epochs,
            alpha=a.alpha, min_alpha=0.0, ns_exponent=0.5, workers=a.threads, seed=a.seed,
            min_n=a.minn, max_n=a.maxn, bucket=a.bucket,
        )  # fmt: skip
        seconds = time.perf_counter() - t0
        save_facebook_model(m, a.out)
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        words = int(m.corpus_total_words)
    elif a.worker == "fasttext":
        prefix = a.out[: -len(".bin")]
        cmd = [
            a.fasttext_bin, "skipgram", "-input", a.corpus, "-output", prefix,
            "-dim", str(a.dim), "-ws", str(a.window), "-neg", str(a.negative),
            "-minCount", str(a.min_count), "-t", str(a.sample), "-epoch", str(a.epochs),
            "-lr", str(a.alpha), "-thread", str(a.threads), "-minn", str(a.minn),
            "-maxn", str(a.maxn), "-bucket", str(a.bucket), "-seed", str(a.seed),
            "-verbose", "0",
        ]  # fmt: skip
        done = {}

        def written(path: str) -> bool:
            return os.path.exists(path) and os.path.getsize(path) > 0

        def watch() -> None:  # training ends when fastText starts writing its outputs
            # (it creates the .bin, empty, as it starts, to check that it can)
            while "end" not in done:
                if written(prefix + ".bin") or written(prefix + ".vec"):
                    done.setdefault("trained", time.perf_counter())
                time.sleep(0.02)

        w = threading.Thread(target=watch, daemon=True)
        w.start()
        subprocess.run(cmd, check=True)
        done["end"] = time.perf_counter()
        seconds = done.get("trained", done["end"]) - t0
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        words = None
    else:
        raise SystemExit(f"unknown worker {a.worker}")
    print(json.dumps({"seconds": seconds, "peak_mib": peak_kib / 1024, "words": words}))


# ---------------------------------------------------------------------------- quality
def _pairs(path: Path) -> list[tuple[str, str, float]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.strip().split("\t")
        if len(parts) >= 3 and not line.startswith("#"):
            try:
                out.append((parts[0].lower(), parts[1].lower(), float(parts[2])))
            except ValueError:
                continue  # a header line
    return out


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    def rank(v: np.ndarray) -> np.ndarray:
        order = np.argsort(v, kind="stable")
        r = np.empty(len(v))
        r[order] = np.arange(len(v))
        for val in np.unique(v):  # ties: mean rank
            idx = v == val
            r[idx] = r[idx].mean()
        return r

    return float(np.corrcoef(rank(x), rank(y))[0, 1])


def oov_pairs(kv, path: Path) -> dict:
    """Spearman of cosines with human scores, every pair included (OOV words from n-grams)."""
    model, human, unseen = [], [], 0
    for a, b, score in _pairs(path):
        unseen += (a not in kv.key_to_index) + (b not in kv.key_to_index)
        va, vb = kv[a].astype(np.float64), kv[b].astype(np.float64)
        na, nb = np.linalg.norm(va), np.linalg.norm(vb)
        model.append(float(va @ vb / (na * nb)) if na > 0 and nb > 0 else 0.0)
        human.append(score)
    return {"spearman": _spearman(np.array(model), np.array(human)), "unseen_words": unseen}


def quality(bin_path: Path) -> dict:
    import wordvec
    from wordvec import evaluate

    kv = wordvec.load_fasttext(bin_path)
    an = evaluate.analogies(kv, EVAL / "questions-words.txt", restrict_vocab=30_000)
    return {
        "analogy": 100 * an.overall.accuracy,
        "semantic": 100 * an.semantic.accuracy,
        "syntactic": 100 * an.syntactic.accuracy,
        "ws353": oov_pairs(kv, EVAL / "wordsim353.tsv")["spearman"],
        "simlex": oov_pairs(kv, EVAL / "simlex999.txt")["spearman"],
    }


# ---------------------------------------------------------------------------- driver


def run_tool(tool: str, corpus: Path, out: Path, a: argparse.Namespace, seed: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", tool, "--corpus", str(corpus), "--out", str(out),
           "--seed", str(seed)]  # fmt: skip
    for k in ("dim", "window", "negative", "min_count", "sample", "epochs", "alpha", "threads",
              "minn", "maxn", "bucket"):  # fmt: skip
        cmd += [f"--{k.replace('_', '-')}", str(getattr(a, k))]
    if a.fasttext_bin:
        cmd += ["--fasttext-bin", a.fasttext_bin]
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise SystemExit(f"{tool} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker")
    ap.add_argument("--out")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--words", type=int, default=0, help="train on the first N words only")
    ap.add_argument("--tools", default="wordvec,fasttext,gensim")
    ap.add_argument("--fasttext-bin", default=os.environ.get("WORDVEC_FASTTEXT_BIN"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-4)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--minn", type=int, default=3)
    ap.add_argument("--maxn", type=int, default=6)
    ap.add_argument("--bucket", type=int, default=2_000_000)
    ap.add_argument("--json", help="also write the raw results here")
    a = ap.parse_args()
    if a.worker:
        worker(a)
        return
    tools = [t for t in a.tools.split(",") if t]
    if "fasttext" in tools and not a.fasttext_bin:
        raise SystemExit("fastText's tool is needed: --fasttext-bin PATH (or drop it from --tools)")
    results: dict[str, list[dict]] = {t: [] for t in tools}
    with tempfile.TemporaryDirectory(prefix="bench_fasttext_") as tmp:
        corpus = Path(a.corpus)
        if a.words:
            corpus = Path(tmp) / "slice.txt"
            n = prefix_corpus(Path(a.corpus), a.words, corpus)
            print(f"slice: the first {n} words of {a.corpus}", flush=True)
        for rep in range(a.repeats):  # round-robin: every tool once per seed
            seed = a.seed + rep
            for tool in tools:
                out = Path(tmp) / f"{tool}-{seed}.bin"
                r = run_tool(tool, corpus, out, a, seed)
                r.update(quality(out))
                out.unlink()
                results[tool].append(r)
                print(f"seed {seed} {tool:>14}: {r['seconds']:7.1f}s  peak {r['peak_mib']:7.0f} MiB"
                      f"  analogy {r['analogy']:5.2f} (sem {r['semantic']:5.2f}, syn "
                      f"{r['syntactic']:5.2f})  WS {r['ws353']:.3f}  SimLex {r['simlex']:.3f}",
                      flush=True)  # fmt: skip
    keys = ("seconds", "peak_mib", "analogy", "semantic", "syntactic", "ws353", "simlex")
    med = {t: {k: statistics.median(r[k] for r in rs) for k in keys} for t, rs in results.items()}
    print(f"\nmedians of {a.repeats} seed(s), {a.threads} threads")
    print("| tool | time (s) | peak MiB | analogy | semantic | syntactic | WS-353 | SimLex |")
    print("|---|---|---|---|---|---|---|---|")
    for t, m in med.items():
        print(f"| {t} | {m['seconds']:.1f} | {m['peak_mib']:.0f} | {m['analogy']:.2f} | "
              f"{m['semantic']:.2f} | {m['syntactic']:.2f} | {m['ws353']:.3f} | "
              f"{m['simlex']:.3f} |")  # fmt: skip
    if "wordvec" in med:
        w = med["wordvec"]
        for peer, target in (("fasttext", 2.0), ("gensim", 5.0)):
            if peer in med:
                p = med[peer]
                print(f"wordvec vs {peer}: {p['seconds'] / w['seconds']:.2f}x its speed "
                      f"(target {target:g}x); analogy {w['analogy'] - p['analogy']:+.2f} points, "
                      f"WS {w['ws353'] - p['ws353']:+.3f}, "
                      f"SimLex {w['simlex'] - p['simlex']:+.3f}")  # fmt: skip
    if a.json:
        Path(a.json).write_text(json.dumps({"args": vars(a), "runs": results, "medians": med}))


if __name__ == "__main__":
    main()
