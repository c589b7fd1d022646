"""Compiling a run's kernels before its clock starts: only the ones it needs, announced and timed.

Numba compiles a kernel on its first call and caches the machine code on disk
(``__pycache__`` beside wordvec's modules, or ``NUMBA_CACHE_DIR``), so a fresh
install spends seconds to tens of seconds compiling before the first word is
trained, and later runs load the code in a fraction of a second. :func:`prepare`
compiles (or loads) the kernels of one configuration before training starts, so
that their compilation is never counted in an epoch's time or speed. When Numba
actually compiles (the cache had nothing), it says so as it starts and how long it
took: through the ``progress`` callback (:mod:`wordvec.progress` shows it) and the
``wordvec`` logger. With neither (a library user who asked for no output), the start
is said in one line on stderr all the same: a first ``fit`` would otherwise sit silent
for as long as the compilation takes, which reads as a hang. That line is the one
thing the library prints unasked, once per kernel and machine (:data:`ANNOUNCE`).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

import numpy as np
from numba.core import event

from ..config import TrainConfig
from . import ahead, kernels, softmax
from .kernels import Hyper, Tables

__all__ = ["prepare", "cache_dir", "ANNOUNCE"]

logger = logging.getLogger(__name__)

#: Say on stderr that a kernel is being compiled when no progress display or INFO
#: logging would (set to False to silence it; ``wordvec train --quiet`` does)
ANNOUNCE = True


class _Announce(event.Listener):
    """Calls ``start()`` when the first compilation begins (cache loads never trigger it)."""

    def __init__(self, start: Callable[[], None]) -> None:
        self.start = start
        self.compiled = False

    def on_start(self, ev: event.Event) -> None:
        if not self.compiled:
            self.compiled = True
            self.start()

    def on_end(self, ev: event.Event) -> None:
        pass


def cache_dir(cfg: TrainConfig) -> str | None:
    """Where Numba caches the training kernel of ``cfg`` (None when not caching)."""
    if cfg.loss == "softmax":
        dispatcher = softmax.windows
    else:
        dispatcher = kernels.JOB_KERNELS[_kinds(cfg)]
    cache = getattr(dispatcher, "_cache", None)
    return getattr(cache, "cache_path", None)


def prepare(
    cfg: TrainConfig,
    w_in: np.ndarray,
    w_out: np.ndarray,
    tables: Tables,
    hyper: Hyper,
    progress: Callable[[dict], None] | None = None,
) -> float:
    """Compile, or load from Numba's cache, the kernels a run of ``cfg`` calls.

    The kernels are compiled for the types of the run's own arrays, so its first
    job finds them ready. Returns the seconds spent compiling (0.0 when everything
    came from the cache or was compiled already in this process), waiting for a second
    process that compiles it (:mod:`ahead`, started before the corpus was read) included.
    """
    what = f"{cfg.model} + {cfg.loss} training kernel"

    def started() -> None:
        where = cache_dir(cfg)
        logger.info(
            "compiling the %s (first run only; Numba caches it in %s)", what, where or "memory"
        )
        if progress is not None:
            progress({"event": "compiling", "what": what, "cache": where})
        elif ANNOUNCE and not logger.isEnabledFor(logging.INFO):
            print(
                f"wordvec: compiling the {what}, once: later runs load it from Numba's "
                f"cache ({where or 'memory'})",
                file=sys.stderr,
                flush=True,
            )

    announce = _Announce(started)
    t0 = time.perf_counter()
    if ahead.running(cfg.model, cfg.loss):  # compiling in a second process (ahead.py)
        announce.on_start(None)
    ahead.wait(cfg.model, cfg.loss)
    with event.install_listener("numba:compile", announce):
        if cfg.loss == "softmax":
            _warm_softmax(cfg, w_in, tables)
        else:
            _compile_job(w_in, w_out, tables, hyper, cfg.max_sentence_length)
    if not announce.compiled:
        return 0.0
    seconds = time.perf_counter() - t0
    logger.info("compiled the %s in %.1fs", what, seconds)
    if progress is not None:
        progress({"event": "compiled", "what": what, "seconds": seconds})
    return seconds


def _kinds(cfg: TrainConfig) -> tuple[int, int]:
    model = kernels.SKIPGRAM if cfg.model == "skipgram" else kernels.CBOW
    loss = {"neg": kernels.NEG, "hs": kernels.HS, "hs+neg": kernels.HSNEG}[cfg.loss]
    return model, loss


def _compile_job(w_in, w_out, tables, hyper, max_sentence) -> None:
    """Compile the job kernel for the argument types of the trainer's calls (without
    running it): :func:`ahead.compile_job`, which the second process runs too."""
    ahead.compile_job(w_in, w_out, tables, hyper, max_sentence)


def _warm_softmax(cfg: TrainConfig, w_in: np.ndarray, tables: Tables) -> None:
    """One exact-softmax batch of a one-word, two-token job on one-row copies of the
    weights: the kernels of :func:`softmax.train_job` compile for its types."""
    tokens = np.array([0, 0, -1], dtype=np.int32)
    centers, ptr, ctx, _ = softmax.windows(
        tokens, tables.keep, cfg.window, cfg.shrink_windows, 1, cfg.max_sentence_length
    )
    n = len(centers)
    w_in1 = np.zeros((1, w_in.shape[1]), dtype=w_in.dtype)
    w_out1 = np.zeros((1, w_in.shape[1]), dtype=w_in.dtype)
    # softmax._batch_step, not its public wrapper: a warm-up is no training step, and
    # whoever watches (or replaces) batch_step sees only the run's own batches
    softmax._batch_step(
        w_in1, w_out1, centers[0:n], ptr[0 : n + 1] - ptr[0], ctx[ptr[0] : ptr[n]],
        np.float32(0.0), cfg.model, cfg.cbow_mean,
    )  # fmt: skip
