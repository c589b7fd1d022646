"""Compiling the job kernel in a second process while the corpus is read (cold cache only).

A first run pays for two compilations one after the other: the corpus scanner's
(``text/fastscan.py``, while the vocabulary is counted) and the training kernel's
(:func:`jit.prepare`, once the vocabulary is known). Numba compiles under one lock per
process, so a thread cannot overlap them; a second process can. The kernel's argument
types do not depend on the corpus (float32 weights, int32 ids, the :class:`Tables` and
:class:`Hyper` field types), so :func:`start`, called before the corpus is read, starts
``python -m wordvec.engine.ahead MODEL LOSS``, which compiles the kernel for those types
into Numba's on-disk cache and exits; :func:`jit.prepare` then waits for it
(:func:`wait`) and loads the kernel from the cache instead of compiling it.

Nothing changes in what is trained: the cached kernel is the one the run would have
compiled. Nothing is started when it cannot help: with the kernel already in the cache
(every run after the first), with a single CPU, with Numba's JIT disabled, or for the
exact softmax (whose batches are compiled by :func:`jit.prepare` itself). Should the
second process fail or compile for other types, :func:`jit.prepare` compiles as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["start", "running", "wait", "stop", "compile_job"]

#: The second process of each kernel being compiled, by (model, loss) name
_RUNNING: dict[tuple[str, str], subprocess.Popen] = {}


def _kernel(model: str, loss: str):
    from . import kernels

    kinds = (
        kernels.SKIPGRAM if model == "skipgram" else kernels.CBOW,
        {"neg": kernels.NEG, "hs": kernels.HS, "hs+neg": kernels.HSNEG}[loss],
    )
    return kinds, kernels.JOB_KERNELS[kinds]


def _cached(dispatcher) -> bool:
    """Whether Numba's cache holds machine code of ``dispatcher``'s current source (its
    index, unless missing or stale after an edit or upgrade): then a run loads it. True
    also when that cannot be told, so that nothing is started."""
    try:
        return bool(dispatcher._cache._cache_file._load_index())
    except Exception:  # Numba's internals moved: start nothing, compile as before
        return True


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def start(model: str, loss: str) -> None:
    """Start compiling the (model, loss) job kernel in a second process, if that helps."""
    import numba

    if loss == "softmax" or (model, loss) in _RUNNING or numba.config.DISABLE_JIT:
        return
    if _cpus() < 2 or not sys.executable:
        return
    _, dispatcher = _kernel(model, loss)
    if not getattr(dispatcher, "_can_compile", True) or dispatcher.signatures:
        return
    if _cached(dispatcher):
        return
    env = dict(os.environ)
    # the child imports this very wordvec, whatever put it on this process's path
    src = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if numba.config.CACHE_DIR:
        env["NUMBA_CACHE_DIR"] = numba.config.CACHE_DIR
    try:
        _RUNNING[model, loss] = subprocess.Popen(
            [sys.executable, "-m", "wordvec.engine.ahead", model, loss],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:  # no process to be had: compile in this one, as before
        return


def running(model: str, loss: str) -> bool:
    """Whether a second process is still compiling the (model, loss) kernel."""
    proc = _RUNNING.get((model, loss))
    return proc is not None and proc.poll() is None


def wait(model: str, loss: str) -> float:
    """Wait for the (model, loss) kernel's second process, if any; returns the seconds
    waited. Its outcome does not matter: the caller compiles what the cache lacks."""
    proc = _RUNNING.pop((model, loss), None)
    if proc is None:
        return 0.0
    t0 = time.perf_counter()
    try:
        proc.wait()
    except BaseException:  # Ctrl-C while waiting: take the child down too
        proc.kill()
        proc.wait()
        raise
    return time.perf_counter() - t0


def stop(model: str, loss: str) -> None:
    """End the (model, loss) kernel's second process if it is still running (a ``fit``
    that failed before training: a bad corpus, Ctrl-C while reading it)."""
    proc = _RUNNING.pop((model, loss), None)
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()


def compile_job(w_in, w_out, tables, hyper, max_sentence) -> None:
    """Compile the job kernel of ``hyper`` for the argument types of the trainer's calls
    (without running it): the weights' and tables' arrays, a C-contiguous int32 slice of
    ids, Python floats for the learning rates and Python ints for the seed and the
    sentence bound. :func:`jit.prepare` calls it with the run's own arrays."""
    import numba
    import numpy as np

    from . import kernels

    if numba.config.DISABLE_JIT:
        return
    args = (w_in, w_out, np.empty(0, np.int32), tables, hyper, 0.0, 0.0, 1, int(max_sentence))
    kernels.JOB_KERNELS[hyper.model, hyper.loss].compile(tuple(numba.typeof(a) for a in args))


def _compile(model: str, loss: str) -> None:
    """What the second process does: :func:`compile_job` on one-row stand-ins of the
    run's arrays (only their types matter, never their values)."""
    import numpy as np

    from . import kernels

    (model_kind, loss_kind), _ = _kernel(model, loss)
    v = np.zeros(1, dtype=np.int64)
    tables = kernels.make_tables(v, v, v, v, v, np.zeros(2, dtype=np.int64))
    hyper = kernels.Hyper(model_kind, loss_kind, 1, 1, True, True, 1)
    w = np.zeros((1, 1), dtype=np.float32)
    compile_job(w, w.copy(), tables, hyper, 1)


if __name__ == "__main__":
    _compile(sys.argv[1], sys.argv[2])
