"""Where a cold first run's compile seconds go: every Numba compilation of one
``wordvec train -o vectors.bin`` (the README's main job) in a fresh ``NUMBA_CACHE_DIR``.

Runs the command in this process with a listener on Numba's ``numba:compile`` events
and prints, in the order they finished, each compiled function with its argument types
and CPU seconds: ``total`` includes the functions it compiled on the way (callees are
typed, and so compiled, inside their caller's compilation), ``own`` excludes them. CPU
seconds, not wall: on a shared machine they move much less with the load. A function
listed twice was compiled for two signatures. The job kernel itself is compiled in a
second process on a cold cache (``engine/ahead.py``), which this listener does not see:
``--no-ahead`` compiles it here instead, to see its parts.

    python bench/compile_profile.py                  # the main job
    python bench/compile_profile.py --no-ahead -- --model skipgram
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--no-ahead", action="store_true", help="compile the kernel in this process")
    p.add_argument("train_args", nargs="*", help="more `wordvec train` options, after --")
    opts = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="wordvec-compile-")
    os.environ["NUMBA_CACHE_DIR"] = os.path.join(tmp, "numba")

    from numba.core import event

    from wordvec.cli import main as wordvec_main
    from wordvec.engine import ahead

    if opts.no_ahead:
        ahead.start = lambda model, loss: None
    rows: list[tuple[int, float, float, str, str]] = []
    stack: list[list[float]] = []  # [start, seconds of nested compilations]

    class Listener(event.Listener):
        def on_start(self, ev: event.Event) -> None:
            stack.append([time.process_time(), 0.0])

        def on_end(self, ev: event.Event) -> None:
            start, nested = stack.pop()
            total = time.process_time() - start
            if stack:
                stack[-1][1] += total
            fn = getattr(ev.data["dispatcher"], "py_func", None)
            name = f"{fn.__module__}.{fn.__qualname__}" if fn is not None else "?"
            rows.append((len(stack), total, total - nested, name, str(ev.data["args"])))

    event.register("numba:compile", Listener())
    cpu0 = time.process_time()
    wordvec_main(["train", "-o", os.path.join(tmp, "vectors.bin"), *opts.train_args])
    cpu = time.process_time() - cpu0
    print(f"\n{'total':>7} {'own':>6}  function (argument types); callees first, indented")
    for depth, total, own, name, args in rows:
        print(f"{total:7.2f} {own:6.2f}  {'  ' * depth}{name} {args[:90]}")
    top = sum(total for depth, total, *_ in rows if depth == 0)
    print(f"compiling: {top:.1f} CPU seconds of the command's {cpu:.1f}")


if __name__ == "__main__":
    sys.exit(main())
