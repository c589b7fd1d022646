"""The training loop of subword (fastText) models: :class:`Trainer` with the subword kernels.

Everything but the kernel is the word2vec engine's (:class:`~wordvec.engine.train.Trainer`:
the schedule, jobs, seeds, Hogwild threads, stopping, checkpoints, progress and
logging); :class:`SubwordTrainer` runs ``subword_kernels`` on ``w_in`` of
(V + bucket) x d rows with the vocabulary's n-gram table. Its weights start as
fastText's do (:func:`init_subword_weights`).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field

import numba
import numpy as np
from numba.core import event

from ..config import TrainConfig
from ..errors import ConfigError
from . import subword_kernels
from .jit import _Announce
from .train import Trainer

__all__ = ["SubwordTrainer", "init_subword_weights", "subword_input_rows"]

logger = logging.getLogger(__name__)


def subword_input_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """fastText's initial input rows: float32, uniform in [-1/dim, 1/dim)."""
    rows = rng.random((n, dim), dtype=np.float32)
    rows -= 0.5
    rows *= 2.0 / dim
    return rows


def init_subword_weights(
    n_words: int, bucket: int, cfg: TrainConfig
) -> tuple[np.ndarray, np.ndarray]:
    """``(w_in, w_out)``: (V + bucket) x d input rows as fastText makes them (uniform in
    [-1/d, 1/d), from ``np.random.default_rng(cfg.seed)``), zero output rows (V, or V - 1
    inner nodes for hierarchical softmax). Raises ConfigError when they do not fit."""
    rows_out = max(n_words - 1, 1) if cfg.loss == "hs" else n_words
    try:
        w_in = subword_input_rows(np.random.default_rng(cfg.seed), n_words + bucket, cfg.dim)
        w_out = np.zeros((rows_out, cfg.dim), dtype=np.float32)
    except MemoryError:
        gib = (n_words + bucket + rows_out) * cfg.dim * 4 / 2**30
        raise ConfigError(
            f"`dim` = {cfg.dim} with {n_words} words and `bucket` = {bucket} needs {gib:.1f} GiB "
            "for the weights, more than this machine can allocate; lower `bucket` or `dim`"
        ) from None
    return w_in, w_out


@dataclass
class SubwordTrainer(Trainer):
    """:class:`Trainer` over subword weights: ``w_in`` has a row per word, then per bucket.

    ``sub_offsets`` / ``sub_rows``: the vocabulary's rows as CSR
    (``wordvec.subwords.ngram_table``); ``exact``: the exact row gradient instead of
    fastText's whole dJ/dh per row (``reference/subwords.py`` derives both).
    """

    sub_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    sub_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    exact: bool = False

    def __post_init__(self) -> None:
        if self.cfg.loss == "softmax":
            raise ConfigError(
                "`loss` = 'softmax' is not available for subword models (fastText has no "
                "exact softmax in its unsupervised modes); use 'neg' or 'hs'"
            )
        super().__post_init__()
        if len(self.sub_offsets) != len(self.vocab) + 1:
            raise ConfigError(
                f"the n-gram table covers {len(self.sub_offsets) - 1} words; the vocabulary "
                f"holds {len(self.vocab)}"
            )

    def _check_health(self, stats, epoch: int) -> None:
        """As Trainer's, but the (V + bucket) x d input matrix is checked in blocks: one
        boolean copy of 2M rows would add a fifth to the run's peak memory."""
        if not math.isfinite(stats.loss_sum):
            raise self._diverged(epoch, self.cfg.start_alpha, "the loss")
        step = 1 << 16
        for w in (self.w_in, self.w_out):
            for lo in range(0, len(w), step):
                if not np.isfinite(w[lo : lo + step]).all():
                    raise self._diverged(epoch, self.cfg.start_alpha, "the weights")

    def run_job(self, ids, a0, a1, seed, max_sentence):
        return subword_kernels.train_subword_job(
            self.w_in, self.w_out, ids, self.tables, self.hyper, self.sub_offsets,
            self.sub_rows, self.exact, a0, a1, seed, max_sentence,
        )  # fmt: skip

    def prepare(self) -> float:
        """Compile (or load from Numba's cache) this run's subword kernel, announced as
        ``engine.jit.prepare`` announces the word2vec ones; returns the seconds spent."""
        cfg = self.cfg
        what = f"subword {cfg.model} + {cfg.loss} training kernel"
        kernel = subword_kernels.SUBWORD_JOB_KERNELS[self.hyper.model, self.hyper.loss]

        def started() -> None:
            logger.info("compiling the %s (first run only; Numba caches it)", what)
            if self.progress is not None:
                self.progress({"event": "compiling", "what": what, "cache": None})

        if numba.config.DISABLE_JIT:
            return 0.0
        args = (
            self.w_in, self.w_out, np.empty(0, np.int32), self.tables, self.hyper,
            self.sub_offsets, self.sub_rows, bool(self.exact), 0.0, 0.0, 1,
            int(cfg.max_sentence_length),
        )  # fmt: skip
        announce = _Announce(started)
        t0 = time.perf_counter()
        with event.install_listener("numba:compile", announce):
            kernel.compile(tuple(numba.typeof(a) for a in args))
        if not announce.compiled:
            return 0.0
        seconds = time.perf_counter() - t0
        logger.info("compiled the %s in %.1fs", what, seconds)
        if self.progress is not None:
            self.progress({"event": "compiled", "what": what, "seconds": seconds})
        return seconds
