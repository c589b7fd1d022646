"""Training loop: epochs, the learning-rate schedule, worker threads, loss and progress.

The corpus arrives as an :class:`~wordvec.vocab.EncodedCorpus` (word ids, -1
between sentences). The main thread cuts it into jobs of about
``batch_words`` words at sentence boundaries and feeds a bounded queue;
``threads`` workers run the compiled job kernel on the shared weights without
locks (Hogwild). Everything a job needs is fixed before it runs: its learning
rates (linear decay over all epochs, by the position of its words in the
schedule) and its random seed (from the run's seed, the epoch and the job's
index), so one thread gives bit-identical results for a seed, and a run
stopped after job j resumes at job j + 1 of the same schedule.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from ..config import TrainConfig
from ..errors import TrainingError
from ..vocab import SENTENCE_END, EncodedCorpus, Vocab
from . import jit, kernels, softmax
from .kernels import CBOW, HS, NEG, SKIPGRAM, Hyper, Tables

__all__ = ["Position", "EpochStats", "Interrupted", "Trainer"]

logger = logging.getLogger(__name__)
LOG_EVERY = 10.0  # seconds between INFO progress lines within an epoch


@dataclass
class Position:
    """Where a run is in its schedule: ``epoch`` (0-based) and jobs done in it.

    ``partial`` holds the statistics of those jobs (loss sum, loss terms, words
    read, words kept) so that a resumed epoch reports the loss of all its jobs.
    """

    epoch: int = 0
    job: int = 0
    partial: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


@dataclass
class EpochStats:
    loss_sum: float = 0.0
    loss_terms: float = 0.0
    words: int = 0  # in-vocabulary words read
    kept: int = 0  # words left after sub-sampling
    seconds: float = 0.0

    @property
    def mean_loss(self) -> float:
        return self.loss_sum / self.loss_terms if self.loss_terms else float("nan")


class Interrupted(Exception):  # noqa: N818 - internal signal, carries the resume position
    def __init__(self, position: Position) -> None:
        super().__init__("training interrupted")
        self.position = position


def job_seed(seed: int, epoch: int, job: int) -> int:
    """A 63-bit seed for one job, decorrelated across (seed, epoch, job)."""
    x = (seed * 0x9E3779B97F4A7C15 + epoch * 0xBF58476D1CE4E5B9 + job * 0x94D049BB133111EB) & (
        (1 << 64) - 1
    )
    x ^= x >> 31
    x = (x * 0xD6E8FEB86659FD93) & ((1 << 64) - 1)
    x ^= x >> 32
    return x & ((1 << 63) - 1)


def split_jobs(ids: np.ndarray, batch_words: int) -> list[tuple[int, int, int]]:
    """Cut a chunk (ending at a sentence end) into jobs of about ``batch_words`` words.

    Returns ``(start, stop, words)`` triples; cuts fall just after a sentence end.
    """
    ends = np.flatnonzero(ids == SENTENCE_END)
    if len(ends) == 0:
        return []
    words_at_end = ends - np.arange(len(ends))  # words before each sentinel
    targets = np.arange(batch_words, words_at_end[-1], batch_words)
    idx = np.unique(np.searchsorted(words_at_end, targets))
    idx = idx[idx < len(ends) - 1]
    cuts = np.concatenate([[0], ends[idx] + 1, [len(ids)]])
    words = np.concatenate([[0], words_at_end[idx], [words_at_end[-1]]])
    return [
        (int(cuts[i]), int(cuts[i + 1]), int(words[i + 1] - words[i]))
        for i in range(len(cuts) - 1)
        if cuts[i + 1] > cuts[i]
    ]


@dataclass
class Trainer:
    """Runs the schedule of one configuration over shared weights ``w_in`` / ``w_out``."""

    cfg: TrainConfig
    vocab: Vocab
    w_in: np.ndarray
    w_out: np.ndarray
    progress: Callable[[dict], None] | None = None
    history: list[EpochStats] = field(default_factory=list)
    stop: threading.Event | None = None  # set (e.g. by a signal handler) to stop after a job
    on_checkpoint: Callable[[Position], None] | None = None  # called with all prior jobs done
    checkpoint_every: float | None = None  # seconds between on_checkpoint calls
    chunk_tokens: int = 1 << 21
    compile_seconds: float = 0.0  # spent compiling this run's kernels (0 when cached)
    _last_log: float = field(default=0.0, init=False, repr=False)

    def __post_init__(self) -> None:
        cfg = self.cfg
        if cfg.loss == "hs":
            points, codes, offsets = self.vocab.huffman()
            max_path = int(np.diff(offsets).max())
        else:
            points = np.zeros(1, np.int32)
            codes = np.zeros(1, np.uint8)
            offsets = np.zeros(len(self.vocab) + 1, np.int64)
            max_path = 0
        if cfg.loss == "neg":
            accept, alias = self.vocab.alias_table(cfg.ns_exponent)
        else:
            accept = np.zeros(1, np.uint32)
            alias = np.zeros(1, np.int32)
        self.tables: Tables = kernels.make_tables(
            self.vocab.keep_thresholds(cfg.sample), accept, alias, points, codes, offsets
        )
        self.hyper = Hyper(
            SKIPGRAM if cfg.model == "skipgram" else CBOW,
            NEG if cfg.loss == "neg" else HS,
            cfg.window,
            cfg.negative,
            cfg.shrink_windows,
            cfg.cbow_mean,
            max_path,
        )

    # ------------------------------------------------------------------ schedule
    def alpha_at(self, words_done: float, total: float) -> float:
        start, end = self.cfg.start_alpha, self.cfg.end_alpha
        return start - (start - end) * min(words_done / max(total, 1.0), 1.0)

    def jobs(self, corpus: EncodedCorpus, epoch: int) -> Iterator[tuple]:
        """Yield (job index, ids, alpha0, alpha1, seed, words) for one epoch."""
        n_total = corpus.n_words * self.cfg.epochs
        done = corpus.n_words * epoch
        j = 0
        for chunk in corpus.chunks(self.chunk_tokens):
            for start, stop, words in split_jobs(chunk, self.cfg.batch_words):
                a0 = self.alpha_at(done, n_total)
                a1 = self.alpha_at(done + words, n_total)
                yield j, chunk[start:stop], a0, a1, job_seed(self.cfg.seed, epoch, j), words
                done += words
                j += 1

    # ------------------------------------------------------------------ running
    def run(self, corpus: EncodedCorpus, start: Position | None = None) -> list[EpochStats]:
        """Train from ``start`` to the last epoch. Raises :class:`Interrupted` on Ctrl-C."""
        start = start or Position()
        self.compile_seconds = self.prepare()  # before any clock starts
        self._log_start(corpus, start)
        self._last_log = time.perf_counter()
        before = len(self.history)
        for epoch in range(start.epoch, self.cfg.epochs):
            resumed = epoch == start.epoch
            skip = start.job if resumed else 0
            partial = np.array(start.partial if resumed else (0.0,) * 4, dtype=np.float64)
            t0 = time.perf_counter()
            if self.cfg.loss == "softmax":
                stats = softmax.run_epoch(self, corpus, epoch, skip, partial)
            else:
                stats = self._run_epoch(corpus, epoch, skip, partial)
            stats.seconds = time.perf_counter() - t0
            self._check_health(stats, epoch)
            self.history.append(stats)
            self._epoch_done(stats, epoch, corpus.n_words)
        self._log_end(self.history[before:])
        return self.history

    def prepare(self) -> float:
        """Compile (or load from Numba's cache) the kernels of this run; returns the
        seconds spent compiling. :meth:`run` calls it first."""
        return jit.prepare(self.cfg, self.w_in, self.w_out, self.tables, self.hyper, self.progress)

    def _run_epoch(
        self, corpus: EncodedCorpus, epoch: int, skip: int, partial: np.ndarray
    ) -> EpochStats:
        n_threads = self.cfg.workers
        q: queue.Queue = queue.Queue(maxsize=2 * n_threads + 2)
        per_thread = [np.zeros(4) for _ in range(n_threads)]
        per_thread[0] += partial  # jobs done before a resume
        failed: list[BaseException] = []
        max_sentence = self.cfg.max_sentence_length

        def totals() -> tuple[float, float, float, float]:
            """(loss sum, loss terms, words read, words kept) of the epoch's jobs so far."""
            return tuple(np.sum(per_thread, axis=0).tolist())

        def work(slot: np.ndarray) -> None:
            while True:
                item = q.get()
                if item is None:
                    return
                _, ids, a0, a1, seed, _ = item
                try:
                    res = kernels.train_job(
                        self.w_in, self.w_out, ids, self.tables, self.hyper, a0, a1, seed,
                        max_sentence,
                    )  # fmt: skip
                    if not math.isfinite(res[0]):  # stop at once, before NaNs spread
                        failed.append(self._diverged(epoch, a0))
                        return
                    slot += res
                except BaseException as exc:  # surfaced in the main thread
                    failed.append(exc)
                    return
                finally:
                    q.task_done()

        workers = [
            threading.Thread(target=work, args=(per_thread[i],), daemon=True)
            for i in range(n_threads)
        ]
        for w in workers:
            w.start()
        enqueued = skip
        last_report = 0.0
        t0 = last_checkpoint = time.perf_counter()
        try:
            for item in self.jobs(corpus, epoch):
                if item[0] < skip:
                    continue
                if self.stop is not None and self.stop.is_set():
                    raise KeyboardInterrupt
                while True:  # a blocking put that still lets Ctrl-C through
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        if failed:
                            raise failed[0] from None
                enqueued += 1
                now = time.perf_counter()
                if self.checkpoint_due(now - last_checkpoint):
                    q.join()  # every job enqueued so far is done: a consistent position
                    self.on_checkpoint(Position(epoch, enqueued, totals()))
                    last_checkpoint = time.perf_counter()
                if now - last_report > 0.25:
                    last_report = now
                    self.report(totals(), epoch, corpus.n_words, now - t0, item[2])
                if failed:
                    raise failed[0]
        except KeyboardInterrupt:
            not_run = 0
            while True:
                try:
                    if q.get_nowait() is not None:
                        not_run += 1
                except queue.Empty:
                    break
            for _ in workers:
                q.put(None)
            for w in workers:
                w.join()
            raise Interrupted(Position(epoch, enqueued - not_run, totals())) from None
        for _ in workers:
            q.put(None)
        for w in workers:
            w.join()
        if failed:
            raise failed[0]
        total = totals()
        return EpochStats(total[0], total[1], int(total[2]), int(total[3]))

    def checkpoint_due(self, since_last: float) -> bool:
        """Whether a periodic checkpoint is due ``since_last`` seconds after the last one."""
        return self.on_checkpoint is not None and since_last > (
            self.checkpoint_every or float("inf")
        )

    def report(
        self, total, epoch: int, n_words: int, seconds: float, alpha: float, event: str = "progress"
    ) -> None:
        """Progress of an epoch from its totals (loss sum, loss terms, words read, kept):
        to the ``progress`` callback (see :mod:`wordvec.progress`) and, every
        ``LOG_EVERY`` seconds, to the log."""
        info = {
            "event": event,
            "epoch": epoch + 1,
            "epochs": self.cfg.epochs,
            "fraction": min(total[2] / max(n_words, 1), 1.0),
            "words": int(total[2]),
            "epoch_words": n_words,
            "seconds": seconds,
            "words_per_sec": total[2] / max(seconds, 1e-9),
            "alpha": alpha,
            "loss": total[0] / total[1] if total[1] else float("nan"),
        }
        if self.progress is not None:
            self.progress(info)
        now = time.perf_counter()
        if event == "progress" and now - self._last_log >= LOG_EVERY:
            self._last_log = now
            logger.info(
                "epoch %d/%d: %.1f%% of %d words, %.0f words/s, lr %.6f, loss %.4f",
                epoch + 1, self.cfg.epochs, 100 * info["fraction"], n_words,
                info["words_per_sec"], alpha, info["loss"],
            )  # fmt: skip

    def _epoch_done(self, stats: EpochStats, epoch: int, n_words: int) -> None:
        total = (stats.loss_sum, stats.loss_terms, stats.words, stats.kept)
        alpha = self.alpha_at(n_words * (epoch + 1), n_words * self.cfg.epochs)
        self.report(total, epoch, n_words, stats.seconds, alpha, event="epoch")
        self._last_log = time.perf_counter()
        logger.info(
            "epoch %d/%d: loss %.4f, %d words (%d after sub-sampling) in %.2fs, %.0f words/s",
            epoch + 1, self.cfg.epochs, stats.mean_loss, stats.words, stats.kept,
            stats.seconds, stats.words / max(stats.seconds, 1e-9),
        )  # fmt: skip

    def _log_start(self, corpus: EncodedCorpus, start: Position) -> None:
        c = self.cfg
        objective = {
            "neg": f"negative sampling ({c.negative} negatives)",
            "hs": "hierarchical softmax",
            "softmax": "the full softmax",
        }[c.loss]
        logger.info(
            "training %s with %s: %d words x %d dims, window %d, sample %g, alpha %g -> %g, "
            "%d threads, %d epochs of %d words%s",
            c.model, objective, len(self.vocab), c.dim, c.window, c.sample, c.start_alpha,
            c.end_alpha, c.workers, c.epochs, corpus.n_words,
            f" (resuming in epoch {start.epoch + 1}, job {start.job})" if start.job or start.epoch
            else "",
        )  # fmt: skip

    def _log_end(self, done: list[EpochStats]) -> None:
        seconds = sum(s.seconds for s in done)
        words = sum(s.words for s in done)
        final = self.history[-1].mean_loss if self.history else float("nan")
        logger.info(
            "trained %d epochs: %d words in %.2fs, %.0f words/s, final loss %.4f",
            len(done), words, seconds, words / max(seconds, 1e-9), final,
        )  # fmt: skip

    def _diverged(self, epoch: int, alpha: float, what: str = "the loss") -> TrainingError:
        return TrainingError(
            f"{what} became non-finite in epoch {epoch + 1} (learning rate {alpha:.6g}, "
            f"alpha={self.cfg.start_alpha}): training diverged; try a smaller `alpha`"
        )

    def _check_health(self, stats: EpochStats, epoch: int) -> None:
        bad_loss = not math.isfinite(stats.loss_sum)
        if bad_loss or not (np.isfinite(self.w_in).all() and np.isfinite(self.w_out).all()):
            what = "the loss" if bad_loss else "the weights"
            raise self._diverged(epoch, self.cfg.start_alpha, what)
