"""The first run: ``wordvec train -o vectors.bin`` (the README's main job) with a cold
Numba cache, against the same command once the cache is warm.

Each repeat gives the command a fresh ``NUMBA_CACHE_DIR`` (so it compiles everything
it needs, as on a fresh install), then runs it again on that cache. The table shows
the median whole-command wall time of each, their difference (what the first run
costs), the compile time the run itself reports on stderr ("compiled the ... in"),
and the training time it prints (the epochs only, compilation excluded). The
target (issue 22): a cold run at most 4 s slower than a warm one on a quiet machine.
Repeats alternate cold and warm runs, so a change in the machine's speed falls on both.

The "cpu" column is the CPU seconds of the whole command, its own processes included
(a first run compiles its training kernel in a second process: ``engine/ahead.py``). On
a busy machine the wall times move with the load; the CPU seconds much less, and the
wall time of a quiet machine lies between the CPU seconds of the longest process and
the sum.

``--baseline SRC`` alternates with another tree's ``src`` (e.g. a ``git worktree`` or
``git archive`` of the commit before a change): each repeat runs that tree's cold and
warm run, then this one's, and both tables are printed.

Usage::

    python bench/bench_first_run.py                 # 3 repeats of the default (cbow + neg)
    python bench/bench_first_run.py --repeats 1 --args "--model skipgram"
    python bench/bench_first_run.py --baseline /tmp/before/src
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def _cpu() -> float:
    """CPU seconds of this process's finished children (and theirs), so far."""
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def run(args: list[str], cache: str, out: str, src: Path = SRC) -> dict[str, float]:
    """One ``wordvec train`` in a fresh process: wall and CPU time, and what it reports."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    cpu0 = _cpu()
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wordvec", "train", "-o", out, *args],
        capture_output=True,
        text=True,
        env=env,
    )
    wall = time.perf_counter() - t0
    cpu = _cpu() - cpu0
    if done.returncode != 0:
        raise SystemExit(f"wordvec train failed:\n{done.stderr}")
    compiled = re.search(r"compiled the .* in ([\d.]+)s", done.stderr)
    trained = re.search(r"trained .* in ([\d.]+)s", done.stdout)
    return {
        "wall": wall,
        "cpu": cpu,
        "compile": float(compiled.group(1)) if compiled else 0.0,
        "train": float(trained.group(1)) if trained else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--args", default="", help="more `wordvec train` options, quoted")
    parser.add_argument("--baseline", type=Path, help="another tree's src to alternate with")
    opts = parser.parse_args()
    args = shlex.split(opts.args)
    trees = ([("baseline", opts.baseline)] if opts.baseline else []) + [("this tree", SRC)]
    rows: dict[str, tuple[list, list]] = {name: ([], []) for name, _ in trees}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "vectors.bin")
        for r in range(opts.repeats):
            for t, (name, src) in enumerate(trees):
                cold, warm = rows[name]
                cache = os.path.join(tmp, f"numba-{r}-{t}")
                cold.append(run(args, cache, out, src))
                warm.append(run(args, cache, out, src))
                print(
                    f"repeat {r + 1}, {name}: cold {cold[-1]['wall']:.1f}s "
                    f"(cpu {cold[-1]['cpu']:.1f}s), warm {warm[-1]['wall']:.1f}s "
                    f"(cpu {warm[-1]['cpu']:.1f}s)",
                    file=sys.stderr,
                )

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"`wordvec train -o vectors.bin {opts.args}`, {opts.repeats} repeats (load {load:.1f})")
    for name, src in trees:
        cold, warm = rows[name]
        if len(trees) > 1:
            print(f"{name} ({src}):")
        print(f"{'':16}{'wall':>8}{'cpu':>8}{'compile':>10}{'training':>10}")
        for label, runs in (("cold cache", cold), ("warm cache", warm)):
            wall, cpu = med(runs, "wall"), med(runs, "cpu")
            comp, train = med(runs, "compile"), med(runs, "train")
            print(f"{label:16}{wall:7.1f}s{cpu:7.1f}s{comp:9.1f}s{train:9.1f}s")
        cold_wall, warm_wall = med(cold, "wall"), med(warm, "wall")
        ratio = cold_wall / warm_wall
        print(
            f"first-run cost: {cold_wall - warm_wall:.1f}s ({ratio:.1f}x the warm run), "
            f"{med(cold, 'cpu') - med(warm, 'cpu'):.1f} CPU seconds"
        )


if __name__ == "__main__":
    main()
