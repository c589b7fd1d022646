"""The analogy check as a user runs it: ``wordvec evaluate VECTORS --analogies
questions-words.txt`` against a gensim script that loads the same file and calls
``evaluate_word_analogies`` on it, both timed as whole processes (start-up, imports,
loading and the evaluation) - what a user waits for, and what slid from 13x to 4x
gensim's speed unnoticed while ``bench_vectors.py`` timed the library call alone.

The vectors: ``--vectors FILE`` (word2vec binary), or by default vectors that
``wordvec train`` learns on the first 2M words of en17m (about 24k words x 100, all
inside the 30,000 words searched), trained once into a temporary directory. Runs
alternate wordvec and gensim, so a change in the machine's load falls on both; the
table gives the median of each, the ratio, and both accuracies (they must agree).
With ``--min-ratio R`` the script exits 1 when wordvec is less than R times faster,
so a slide is caught (the target is 10; run it on a quiet machine).

Usage::

    python bench/bench_evaluate_cli.py                       # 5 alternating repeats
    python bench/bench_evaluate_cli.py --vectors my.bin --repeat 3 --min-ratio 10
    python bench/bench_evaluate_cli.py --vectors my.bin --src /tmp/old/src   # an older tree
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "en17m.txt"
QUESTIONS = SRC / "wordvec" / "data" / "questions-words.txt"

GENSIM = """
import sys
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
score, _ = kv.evaluate_word_analogies(sys.argv[2], restrict_vocab=30000)
print(score)
"""


def env(src: Path = SRC) -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(src) + os.pathsep + e.get("PYTHONPATH", "")
    return e


def timed(command: list[str], src: Path = SRC) -> tuple[float, str]:
    """Wall time of one process (wordvec imported from ``src``) and its standard output."""
    t0 = time.perf_counter()
    done = subprocess.run(command, env=env(src), capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if done.returncode:
        raise SystemExit(f"{' '.join(command[:4])} ... failed:\n{done.stderr}")
    return seconds, done.stdout


def train(corpus: Path, n_words: int, directory: str) -> str:
    """``wordvec train`` on the first ``n_words`` tokens of ``corpus`` -> vectors.bin."""
    head = Path(directory, "corpus.txt")
    n = 0
    with open(corpus, encoding="utf-8") as src, open(head, "w", encoding="utf-8") as dst:
        for line in src:
            dst.write(line)
            n += len(line.split())
            if n >= n_words:
                break
    out = str(Path(directory, "vectors.bin"))
    t, _ = timed([sys.executable, "-m", "wordvec", "train", str(head), "-o", out, "-q"])
    print(f"# trained {out} on {n:,} words of {corpus.name} in {t:.1f}s", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--vectors", help="word2vec binary vectors to evaluate (default: train some)")
    p.add_argument("--corpus", type=Path, default=CORPUS, help="corpus to train on (en17m)")
    p.add_argument("--corpus-words", type=int, default=2_000_000, help="training prefix (2M)")
    p.add_argument("--repeat", type=int, default=5, help="alternating runs of each (5)")
    p.add_argument(
        "--src", type=Path, default=SRC, help="wordvec's source tree to time (e.g. an older one)"
    )
    p.add_argument("--min-ratio", type=float, help="exit 1 if wordvec is less than this faster")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        vectors = args.vectors or train(args.corpus, args.corpus_words, tmp)
        ours_cmd = [sys.executable, "-m", "wordvec", "evaluate", vectors]
        ours_cmd += ["--analogies", str(QUESTIONS), "--json"]
        theirs_cmd = [sys.executable, "-c", GENSIM, vectors, str(QUESTIONS)]
        # untimed: the file and the modules in the page cache
        timed(ours_cmd, args.src), timed(theirs_cmd)
        ours, theirs = [], []
        for _ in range(args.repeat):
            t, out = timed(ours_cmd, args.src)
            ours.append(t)
            ours_acc = json.loads(out)["analogy"]["accuracy"]
            t, out = timed(theirs_cmd)
            theirs.append(t)
            theirs_acc = float(out.split()[-1])

    ratio = statistics.median(theirs) / statistics.median(ours)
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"load {os.getloadavg()[0]:.1f}, python {platform.python_version()}"
    )
    print("whole process, questions-words  wordvec   gensim    ratio")
    print(
        f"median of {args.repeat:<22} {statistics.median(ours):6.2f} s "
        f"{statistics.median(theirs):6.2f} s  {ratio:5.1f}x faster"
    )
    print(f"accuracy                        {ours_acc:.4%}  {theirs_acc:.4%}")
    if abs(ours_acc - theirs_acc) > 1e-9:
        print("accuracies differ", file=sys.stderr)
        return 1
    if args.min_ratio is not None and ratio < args.min_ratio:
        print(f"wordvec is {ratio:.1f}x gensim's speed, below {args.min_ratio}x", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
