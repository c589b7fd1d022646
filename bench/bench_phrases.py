"""Phrase detection benchmark: wordvec.phrases against gensim's Phrases, same run, same settings.

The job timed is the whole one a user waits for: start a process, read the
corpus, count words and candidates, join the phrases and write the joined text
(one sentence per line). Each tool runs in its own fresh process (so its peak
memory is its own), the tools take turns (round-robin) for ``--repeats``
rounds, and the table shows medians. Both outputs are compared byte for byte.

gensim is used as its documentation shows: ``Phrases(sentences)`` over
``LineSentence(corpus)``, then ``phrases[sentence]`` for every sentence (written
out). wordvec: ``Phrases(...).fit_write(corpus, output)``, which reads the
corpus once (the CLI's ``wordvec phrases``). wordvec's compile cache is warmed
first (a run on a small slice), as after installation.

With ``--word2phrase PATH`` the C tool (word2vec's word2phrase, built by you)
runs too, with wordvec's ``scoring="word2phrase"`` beside it; the C tool also
counts pairs across line ends, so its output may differ on a few lines
(reported, not required to match).

    python bench/bench_phrases.py                       # en17m, 3 rounds
    python bench/bench_phrases.py --passes 2 --connector-words english
    python bench/bench_phrases.py --words 2000000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "en17m.txt"


def worker(args: argparse.Namespace) -> None:
    """Run one tool once; print one JSON line (seconds and phrase count)."""
    t0 = time.perf_counter()
    connectors = _connectors(args.connector_words)
    if args.worker == "wordvec":
        from wordvec.phrases.phrases import Phrases

        model = Phrases(
            min_count=args.min_count,
            threshold=args.threshold,
            scoring=args.scoring,
            connector_words=connectors,
            passes=args.passes,
        )
        model.fit_write(args.corpus, args.output)
        n = len(model.export_phrases())
    else:
        from gensim.models.phrases import Phrases
        from gensim.models.word2vec import LineSentence

        sentences = LineSentence(args.corpus)
        kw = {"min_count": args.min_count, "scoring": args.scoring, "connector_words": connectors}
        if args.threshold is not None:
            kw["threshold"] = args.threshold
        n = 0
        for _ in range(args.passes):  # each pass reads the previous pass's output
            phrases = Phrases(sentences, **kw)
            n += len(phrases.export_phrases())
            tmp = args.output + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                for sentence in sentences:
                    fh.write(" ".join(phrases[sentence]))
                    fh.write("\n")
            os.replace(tmp, args.output)
            sentences = LineSentence(args.output)
    print(json.dumps({"seconds": time.perf_counter() - t0, "phrases": n}))


def _connectors(name: str) -> frozenset[str]:
    if name == "english":
        from gensim.models.phrases import ENGLISH_CONNECTOR_WORDS

        return ENGLISH_CONNECTOR_WORDS
    return frozenset()


def _run(cmd: list[str]) -> tuple[float, float, dict]:
    """Wall seconds, peak RSS (MiB) and the worker's JSON line, for one child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak memory
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"worker failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024, json.loads(out.strip().splitlines()[-1])


def _worker_cmd(args: argparse.Namespace, tool: str, corpus: str, output: str) -> list[str]:
    cmd = [sys.executable, __file__, "--worker", tool, "--corpus", corpus, "--output", output]
    cmd += ["--min-count", str(args.min_count), "--scoring", args.scoring]
    cmd += ["--passes", str(args.passes), "--connector-words", args.connector_words]
    if args.threshold is not None:
        cmd += ["--threshold", str(args.threshold)]
    return cmd


def _c_tool(args: argparse.Namespace, corpus: str, output: str) -> list[str]:
    threshold = args.threshold if args.threshold is not None else 100
    return [
        args.word2phrase, "-train", corpus, "-output", output, "-min-count",
        str(args.min_count), "-threshold", str(threshold), "-debug", "0",
    ]  # fmt: skip


def _same_tokens(a: str, b: str) -> tuple[bool, int]:
    """Byte-identical files?  Else the number of lines whose tokens differ."""
    if Path(a).read_bytes() == Path(b).read_bytes():
        return True, 0
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        la = [line.split() for line in fa if line.split()]
        lb = [line.split() for line in fb if line.split()]
    return False, sum(x != y for x, y in zip(la, lb, strict=False)) + abs(len(la) - len(lb))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    p.add_argument("--words", type=int, default=0, help="use only the first N words (0: all)")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--threshold", type=float, default=None)
    p.add_argument("--scoring", default="default", choices=["default", "npmi"])
    p.add_argument("--passes", type=int, default=1)
    p.add_argument("--connector-words", default="none", choices=["none", "english"])
    p.add_argument("--peers", default="gensim", help="gensim or none")
    p.add_argument("--word2phrase", help="path of a word2phrase binary to time as well")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--output", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args)
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench_phrases_"))
    try:
        corpus = args.corpus
        if args.words:
            corpus = str(tmp / "corpus.txt")
            _head(args.corpus, corpus, args.words)
        words = sum(len(line.split()) for line in open(corpus, encoding="utf-8"))
        warm = str(tmp / "warm.txt")
        _head(corpus, warm, 20_000)
        _run(_worker_cmd(args, "wordvec", warm, str(tmp / "warm.out")))  # compile cache

        jobs = {"wordvec": lambda out: _worker_cmd(args, "wordvec", corpus, out)}
        if args.peers == "gensim":
            jobs["gensim"] = lambda out: _worker_cmd(args, "gensim", corpus, out)
        if args.word2phrase:
            w2p = argparse.Namespace(**{**vars(args), "scoring": "word2phrase"})
            if args.threshold is None:
                w2p.threshold = 100.0
            jobs["wordvec word2phrase"] = lambda out: _worker_cmd(w2p, "wordvec", corpus, out)
            jobs["word2phrase (C)"] = lambda out: _c_tool(w2p, corpus, out)
        times: dict[str, list[float]] = {k: [] for k in jobs}
        peaks: dict[str, list[float]] = {k: [] for k in jobs}
        found: dict[str, int] = {}
        outputs = {k: str(tmp / f"{k.replace(' ', '_')}.out") for k in jobs}
        for r in range(args.repeats):  # round-robin: every tool once per round
            for name, make in jobs.items():
                cmd = make(outputs[name])
                if name == "word2phrase (C)":
                    t0 = time.perf_counter()
                    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
                    wall, peak = time.perf_counter() - t0, float("nan")
                else:
                    wall, peak, info = _run(cmd)
                    found[name] = info["phrases"]
                times[name].append(wall)
                peaks[name].append(peak)
                print(f"round {r + 1}: {name} {wall:.1f}s", file=sys.stderr, flush=True)

        base = statistics.median(times["wordvec"])
        print(
            f"corpus {corpus}: {words} words; passes {args.passes}, scoring {args.scoring}, "
            f"min_count {args.min_count}, connectors {args.connector_words}; "
            f"{args.repeats} round-robin rounds, medians\n"
        )
        head = f"{'tool':<22} {'seconds':>8} {'vs wordvec':>10} {'peak MiB':>9} {'phrases':>8}"
        print(f"{head}  output")
        for name in jobs:
            t = statistics.median(times[name])
            if name == "wordvec":
                same = "-"
            elif name == "word2phrase (C)":
                ok, diff = _same_tokens(outputs["wordvec word2phrase"], outputs[name])
                same = "identical" if ok else f"{diff} lines differ from wordvec word2phrase"
            else:
                ok, diff = _same_tokens(outputs["wordvec"], outputs[name])
                same = "identical to wordvec" if ok else f"{diff} lines DIFFER"
            print(
                f"{name:<22} {t:>8.1f} {t / base:>9.1f}x {statistics.median(peaks[name]):>9.0f} "
                f"{found.get(name, 0):>8}  {same}"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _head(src: str, dst: str, words: int) -> None:
    n = 0
    with open(src, encoding="utf-8") as fi, open(dst, "w", encoding="utf-8") as fo:
        for line in fi:
            fo.write(line)
            n += len(line.split())
            if n >= words:
                break


if __name__ == "__main__":
    main()
