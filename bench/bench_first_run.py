"""The first run: ``wordvec train -o vectors.bin`` (the README's main job) with a cold
Numba cache, against the same command once the cache is warm.

Each repeat gives the command a fresh ``NUMBA_CACHE_DIR`` (so it compiles everything
it needs, as on a fresh install), then runs it again on that cache. The table shows
the median whole-command wall time of each, their difference (what the first run
costs), the compile time the run itself reports on stderr ("compiled the ... in"),
and the training time it prints (the epochs only, compilation excluded). The
target: the cold run under 15 s on a quiet 2-core machine. Repeats alternate cold
and warm runs, so a change in the machine's speed falls on both.

Usage::

    python bench/bench_first_run.py                 # 3 repeats of the default (cbow + neg)
    python bench/bench_first_run.py --repeats 1 --args "--model skipgram"
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run(args: list[str], cache: str, out: str) -> dict[str, float]:
    """One ``wordvec train`` in a fresh process: wall time and what it reports."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wordvec", "train", "-o", out, *args],
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"wordvec train failed:\n{done.stderr}")
    compiled = re.search(r"compiled the .* in ([\d.]+)s", done.stderr)
    trained = re.search(r"trained .* in ([\d.]+)s", done.stdout)
    return {
        "wall": wall,
        "compile": float(compiled.group(1)) if compiled else 0.0,
        "train": float(trained.group(1)) if trained else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--args", default="", help="more `wordvec train` options, quoted")
    opts = parser.parse_args()
    args = shlex.split(opts.args)
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "vectors.bin")
        for r in range(opts.repeats):
            cache = os.path.join(tmp, f"numba-{r}")
            cold.append(run(args, cache, out))
            warm.append(run(args, cache, out))
            print(
                f"repeat {r + 1}: cold {cold[-1]['wall']:.1f}s, warm {warm[-1]['wall']:.1f}s",
                file=sys.stderr,
            )

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"`wordvec train -o vectors.bin {opts.args}`, {opts.repeats} repeats (load {load:.1f})")
    print(f"{'':16}{'wall':>8}{'compile':>10}{'training':>10}")
    for name, rows in (("cold cache", cold), ("warm cache", warm)):
        wall, comp, train = med(rows, "wall"), med(rows, "compile"), med(rows, "train")
        print(f"{name:16}{wall:7.1f}s{comp:9.1f}s{train:9.1f}s")
    cold_wall, warm_wall = med(cold, "wall"), med(warm, "wall")
    ratio = cold_wall / warm_wall
    print(f"first-run cost: {cold_wall - warm_wall:.1f}s ({ratio:.1f}x the warm run)")


if __name__ == "__main__":
    main()
