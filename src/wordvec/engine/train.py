"""Training loop: the schedule over epochs, worker threads, loss and progress.

The engine trains weights on any iterable of id chunks (int32 word ids, ``-1``
after every sentence, each chunk ending at a sentence end): an
:class:`~wordvec.encoded.EncodedCorpus`'s chunks in one process, or a shard of
them anywhere else. :meth:`Trainer.train_shard` cuts the chunks into jobs of
about ``batch_words`` words at sentence boundaries and feeds a bounded queue;
``threads`` workers run the compiled job kernel on the shared weights without
locks (Hogwild). Everything a job needs is fixed before it runs: its learning
rates (linear decay over the whole run, by the position of its words in the
schedule) and its random seed (from the run's seed, the epoch and the job's
global index), so one thread gives bit-identical results for a seed, a run
stopped after job j resumes at job j + 1 of the same schedule, and shards of an
epoch trained one after the other reproduce the single-process epoch.
:meth:`Trainer.run` is that, once per epoch, over a whole corpus.

Stopping (``stop``, set by a signal handler): no new job starts; running jobs get
``STOP_GRACE`` seconds to finish, then are cut short at their next center
(``Tables.stop``), so a stop takes effect within seconds whatever ``batch_words``.
A job cut short counts as not done: its partial updates stay in the weights, and a
resumed run trains it again from its start.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from ..config import TrainConfig
from ..errors import ConfigError, CorpusError, TrainingError, WordvecError
from ..vocab import Vocab
from . import jit, kernels, softmax
from .kernels import CBOW, HS, HSNEG, NEG, SKIPGRAM, Hyper, Tables
from .schedule import (
    EpochStats,
    Interrupted,
    Position,
    alpha_at,
    job_seed,
    speed_of,
    split_jobs,
    words_per_second,
)

__all__ = [
    "Position",
    "EpochStats",
    "Interrupted",
    "Trainer",
    "init_weights",
    "nothing_trained",
    "grow_weights",
    "job_seed",
    "split_jobs",
    "check_vocabulary",
]

STOP_GRACE = 1.0  # seconds running jobs get to finish after a stop before they are cut short

logger = logging.getLogger(__name__)
LOG_EVERY = 10.0  # seconds between INFO progress lines within an epoch


def input_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """word2vec C's initial input vectors: float32, uniform in [-0.5/dim, 0.5/dim)."""
    rows = rng.random((n, dim), dtype=np.float32)
    rows -= 0.5
    rows /= dim
    return rows


def init_weights(vocab: Vocab, cfg: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Initial ``(w_in, w_out)`` for ``vocab``, as word2vec C makes them.

    ``w_in`` (V x d) is uniform in [-0.5/d, 0.5/d) from ``np.random.default_rng(cfg.seed)``;
    ``w_out`` is zero, V x d, or (V-1) x d for hierarchical softmax (one row per
    inner node of the Huffman tree), both stacked for hs+neg (:meth:`TrainConfig.output_rows`).
    Raises :class:`ConfigError` when the matrices do not fit in memory.
    """
    rng = np.random.default_rng(cfg.seed)
    v = len(vocab)
    rows = cfg.output_rows(v)
    try:
        w_in = input_rows(rng, v, cfg.dim)
        w_out = np.zeros((rows, cfg.dim), dtype=np.float32)
    except MemoryError:
        gib = (v + rows) * cfg.dim * 4 / 2**30
        raise ConfigError(
            f"`dim` = {cfg.dim} with {v} vocabulary words needs {gib:.1f} GiB for the two "
            "weight matrices, more than this machine can allocate; lower `dim`, or shrink "
            "the vocabulary with a higher `min_count` or a `max_final_vocab`"
        ) from None
    return w_in, w_out


def check_vocabulary(vocab: Vocab, cfg: TrainConfig) -> None:
    """Refuse, before training, a vocabulary nothing can be trained on (fewer than 2 words)."""
    if len(vocab) >= 2:
        return
    what = f"a single word, {vocab.words[0]!r}" if len(vocab) else "no word"
    raise CorpusError(
        f"the vocabulary holds {what} (words occurring at least min_count={cfg.min_count} "
        "times): training needs at least 2, a word to predict and others to tell it from "
        f"(loss={cfg.loss!r}); lower `min_count` or train on a larger corpus"
    )


def grow_weights(
    w_in: np.ndarray, w_out: np.ndarray, n_words: int, cfg: TrainConfig
) -> tuple[np.ndarray, np.ndarray]:
    """The weights of a vocabulary grown from ``len(w_in)`` to ``n_words`` words.

    New input rows are initialised as :func:`init_weights` does, from
    ``np.random.default_rng([cfg.seed, len(w_in)])``; new output rows are zero.
    (Hierarchical softmax's output rows are tree nodes: its vocabulary does not grow.)
    """
    fresh = n_words - len(w_in)
    if fresh <= 0:
        return w_in, w_out
    rng = np.random.default_rng([cfg.seed, len(w_in)])
    w_in = np.vstack([w_in, input_rows(rng, fresh, cfg.dim)])
    w_out = np.vstack([w_out, np.zeros((fresh, cfg.dim), np.float32)])
    return w_in, w_out


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
    # called by run() between epochs (no job is running, the weights are still):
    # on_epoch_begin(epoch) before an epoch, on_epoch_end(epoch, stats) after it; either
    # returning True stops the run there (the schedule stays the one of cfg.epochs)
    on_epoch_begin: Callable[[int], bool | None] | None = None
    on_epoch_end: Callable[[int, EpochStats], bool | None] | None = None
    chunk_tokens: int = 1 << 21
    # A run that made no prediction at all fails (see _check_trained); wordvec.compat
    # turns this off, as gensim trains such a corpus without complaint
    require_training: bool = True
    compile_seconds: float = 0.0  # spent compiling this run's kernels (0 when cached)
    _last_log: float = field(default=0.0, init=False, repr=False)
    # where the history stood at this trainer's first run(): a caller running one epoch
    # at a time (wordvec.compat) gets one start line and one end line, as one run does
    _run_from: int | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        cfg = self.cfg
        check_vocabulary(self.vocab, cfg)
        noise = None
        if cfg.uses_tree:
            points, codes, offsets = self.vocab.huffman()
            max_path = int(np.diff(offsets).max())
        else:
            points = np.zeros(1, np.int32)
            codes = np.zeros(1, np.uint8)
            offsets = np.zeros(len(self.vocab) + 1, np.int64)
            max_path = 0
        if cfg.uses_negatives:
            accept, alias = self.vocab.alias_table(cfg.ns_exponent)
            noise = self.vocab.noise_distribution(cfg.ns_exponent)
        else:
            accept = np.zeros(1, np.uint32)
            alias = np.zeros(1, np.int32)
        self.tables: Tables = kernels.make_tables(
            self.vocab.keep_thresholds(cfg.sample), accept, alias, points, codes, offsets, noise
        )
        self.hyper = Hyper(
            SKIPGRAM if cfg.model == "skipgram" else CBOW,
            {"neg": NEG, "hs+neg": HSNEG}.get(cfg.loss, HS),  # (softmax: none of them)
            cfg.window,
            cfg.negative,
            cfg.shrink_windows,
            cfg.cbow_mean,
            max_path,
        )

    # ------------------------------------------------------------------ schedule
    def alpha_at(self, words_done: float, total: float) -> float:
        """Learning rate after ``words_done`` of the run's ``total`` words."""
        return alpha_at(self.cfg.start_alpha, self.cfg.end_alpha, words_done, total)

    def jobs(
        self,
        chunks: Iterable[np.ndarray],
        epoch: int,
        first_job: int = 0,
        words_before: int = 0,
        total_words: int = 0,
    ) -> Iterator[tuple]:
        """Yield ``(job index, ids, alpha0, alpha1, seed, words)`` for the jobs of ``chunks``.

        Job indices start at ``first_job``; the first job's words start at position
        ``words_before`` of the run's ``total_words``.
        """
        done = words_before
        j = first_job
        for chunk in chunks:
            for start, stop, words in split_jobs(chunk, self.cfg.batch_words):
                a0 = self.alpha_at(done, total_words)
                a1 = self.alpha_at(done + words, total_words)
                yield j, chunk[start:stop], a0, a1, job_seed(self.cfg.seed, epoch, j), words
                done += words
                j += 1

    # ------------------------------------------------------------------ running
    def run(
        self, corpus, start: Position | None = None, until: int | None = None
    ) -> list[EpochStats]:
        """Train ``corpus`` (an :class:`~wordvec.encoded.EncodedCorpus`) from ``start``
        to the last epoch, one :meth:`train_shard` per epoch over all its chunks.
        Raises :class:`Interrupted` when stopped (Ctrl-C, ``stop``).

        ``until`` stops before that epoch (0-based) instead; the learning-rate schedule
        still spans all ``cfg.epochs``. Code that runs between epochs (callbacks) goes
        in ``on_epoch_begin`` / ``on_epoch_end``, which may also stop the run.
        """
        start = start or Position()
        n_words = corpus.n_words
        stop = self.cfg.epochs if until is None else min(until, self.cfg.epochs)
        self.compile_seconds = self.prepare()  # before any clock starts
        if self._run_from is None:
            self._run_from = len(self.history)
            self._log_start(corpus, start)
        self._last_log = time.perf_counter()
        for epoch in range(start.epoch, stop):
            if self.on_epoch_begin is not None and self.on_epoch_begin(epoch):
                break
            resumed = epoch == start.epoch
            stats = self.train_shard(
                corpus.chunks(self.chunk_tokens),
                epoch=epoch,
                first_job=0,
                words_before=n_words * epoch,
                total_words=n_words * self.cfg.epochs,
                threads=self.cfg.workers,
                skip=start.job if resumed else 0,
                partial=start.partial if resumed else None,
                epoch_words=n_words,
            )
            self.history.append(stats)
            self._epoch_done(stats, epoch, n_words)
            if self.on_epoch_end is not None and self.on_epoch_end(epoch, stats):
                break
        if self.require_training:
            self._check_trained(corpus)
        if stop == self.cfg.epochs:
            self._log_end(self.history[self._run_from :])
        return self.history

    def _check_trained(self, corpus) -> None:
        """Fail a run that made no prediction at all, saying why; in a run that made some,
        give each epoch without one the mean loss of the nearest epoch with one."""
        means = [h.mean_loss for h in self.history]
        trained = [i for i, m in enumerate(means) if math.isfinite(m)]
        if not trained:
            raise self._nothing_trained(corpus)
        for i, h in enumerate(self.history):
            if not math.isfinite(means[i]):  # (also a loaded checkpoint's null loss)
                nearest = min(trained, key=lambda k: (abs(k - i), k))
                h.loss_sum, h.loss_terms, h.carried = 0.0, 0.0, means[nearest]

    def _nothing_trained(self, corpus) -> WordvecError:
        pairs = any(
            bool(np.any((c[:-1] >= 0) & (c[1:] >= 0))) for c in corpus.chunks(self.chunk_tokens)
        )
        return nothing_trained(self.cfg, pairs, corpus.n_words)

    def prepare(self) -> float:
        """Compile (or load from Numba's cache) the kernels of this run; returns the
        seconds spent compiling. :meth:`run` calls it first."""
        return jit.prepare(self.cfg, self.w_in, self.w_out, self.tables, self.hyper, self.progress)

    def run_job(self, ids: np.ndarray, a0: float, a1: float, seed: int, max_sentence: int):
        """Run one job's kernel on the shared weights; returns its statistics array
        (``kernels.train_job``). The subword trainer (``subword_train.py``) runs its own."""
        return kernels.train_job(
            self.w_in, self.w_out, ids, self.tables, self.hyper, a0, a1, seed, max_sentence
        )

    def train_shard(
        self,
        chunks: Iterable[np.ndarray],
        *,
        epoch: int,
        first_job: int = 0,
        words_before: int = 0,
        total_words: int,
        threads: int | None = None,
        skip: int = 0,
        partial: tuple[float, float, float, float] | None = None,
        epoch_words: int | None = None,
    ) -> EpochStats:
        """Train the weights, in place, on one shard of an epoch: the jobs of ``chunks``.

        Parameters
        ----------
        chunks : iterable of int32 arrays
            Word ids, ``-1`` after every sentence, each chunk ending with ``-1``. Jobs
            are cut per chunk (:func:`split_jobs`), so the same chunks give the same jobs.
        epoch : int
            0-based epoch, part of every job's seed.
        first_job : int
            Global index (in its epoch) of the shard's first job: job k of the shard
            gets seed ``job_seed(cfg.seed, epoch, first_job + k)``.
        words_before : int
            In-vocabulary words before the shard in the whole run's schedule: a word's
            learning rate is ``alpha_at(words_before + words before it in the shard,
            total_words)``.
        total_words : int
            Words in the whole run (words per epoch x epochs on one machine).
        threads : int, optional
            Hogwild worker threads (default ``cfg.workers``); 1 is deterministic. The
            exact softmax runs its jobs one at a time whatever this says (BLAS
            spreads each over the cores).
        skip, partial : optional
            Resuming: the shard's first ``skip`` jobs were done already (they are cut
            and counted, not run) and ``partial`` are their (loss sum, loss terms,
            words read, words kept).
        epoch_words : int, optional
            Words per epoch, for the progress line (default ``total_words / epochs``).

        Returns
        -------
        EpochStats
            Of the shard's jobs (those of ``partial`` included); ``jobs`` is the number
            of jobs the chunks were cut into, so the next shard starts at
            ``first_job + jobs``. Raises :class:`Interrupted` when stopped, with the
            position (global job index) to resume from, and :class:`TrainingError`
            when the loss or the weights become non-finite.
        """
        n_jobs = 0

        def counted() -> Iterator[tuple]:
            nonlocal n_jobs
            for item in self.jobs(chunks, epoch, first_job, words_before, total_words):
                n_jobs += 1
                yield item

        if epoch_words is None:
            epoch_words = max(total_words // self.cfg.epochs, 1)
        acc = np.array(partial if partial is not None else (0.0,) * 4, dtype=np.float64)
        t0 = time.perf_counter()
        if self.cfg.loss == "softmax":
            total = self._run_in_order(counted(), epoch, first_job + skip, acc, epoch_words)
        else:
            n_threads = self.cfg.workers if threads is None else int(threads)
            total = self._run_hogwild(
                counted(), epoch, first_job + skip, acc, epoch_words, max(n_threads, 1)
            )
        stats = EpochStats(total[0], total[1], int(total[2]), int(total[3]), jobs=n_jobs)
        stats.seconds = time.perf_counter() - t0
        self._check_health(stats, epoch)
        return stats

    def _run_hogwild(
        self, jobs: Iterator[tuple], epoch: int, skip: int, partial: np.ndarray, epoch_words: int,
        n_threads: int,
    ) -> tuple[float, float, float, float]:  # fmt: skip
        """Run the jobs from global index ``skip`` on, in ``n_threads`` worker threads."""
        q: queue.Queue = queue.Queue(maxsize=2 * n_threads + 2)
        done: list[tuple[int, np.ndarray]] = []  # (job index, statistics) of finished jobs
        cut: list[int] = []  # jobs cut short by a stop
        failed: list[BaseException] = []
        max_sentence = self.cfg.max_sentence_length
        stop_jobs = self.tables.stop
        stop_jobs[0] = 0

        def totals(before: float = math.inf) -> tuple[float, float, float, float]:
            """(loss sum, loss terms, words read, words kept) of the epoch's finished jobs
            with an index below ``before``, and of those before a resume."""
            out = partial.copy()
            for j, res in list(done):
                if j < before:
                    out += res[:4]
            return tuple(out.tolist())

        def work() -> None:
            while True:
                item = q.get()
                if item is None:
                    return
                j, ids, a0, a1, seed, _ = item
                try:
                    res = self.run_job(ids, a0, a1, seed, max_sentence)
                    if res[4]:
                        cut.append(j)
                    elif not math.isfinite(res[0]):  # stop at once, before NaNs spread
                        failed.append(self._diverged(epoch, a0))
                        return
                    else:
                        done.append((j, res))
                except BaseException as exc:  # surfaced in the main thread
                    failed.append(exc)
                    return
                finally:
                    q.task_done()

        def check() -> None:
            """Surface a failed worker, or a stop request as KeyboardInterrupt."""
            if failed:
                raise failed[0]
            if self.stop is not None and self.stop.is_set():
                raise KeyboardInterrupt

        def wait(ready: Callable[[], bool]) -> None:
            """Block until ``ready()``, still serving a stop request or a failed worker."""
            while not ready():
                check()
                time.sleep(0.02)

        def put(item) -> None:
            def ready() -> bool:
                try:
                    q.put(item, timeout=0.05)
                except queue.Full:
                    return False
                return True

            wait(ready)

        workers = [threading.Thread(target=work, daemon=True) for _ in range(n_threads)]
        for k, w in enumerate(workers):
            try:
                w.start()
            except RuntimeError as exc:  # "can't start new thread": a process or memory limit
                for _ in range(k):
                    q.put(None)  # the threads already started end (the queue is empty)
                for started in workers[:k]:
                    started.join()
                raise TrainingError(
                    f"the system refused to start worker thread {k + 1} of {n_threads} "
                    f"({exc}); lower `threads` (got {self.cfg.threads}; 0 means all cores)"
                ) from None
        enqueued = skip
        last_report = 0.0
        t0 = last_checkpoint = time.perf_counter()
        try:
            for item in jobs:
                if item[0] < skip:
                    continue
                check()  # a stop request or a failure: no further job
                put(item)
                enqueued += 1
                now = time.perf_counter()
                if self.checkpoint_due(now - last_checkpoint):
                    wait(lambda: q.unfinished_tasks == 0)  # every job so far is done
                    self.on_checkpoint(Position(epoch, enqueued, totals()))
                    last_checkpoint = time.perf_counter()
                if now - last_report > 0.25:
                    last_report = now
                    self.report(totals(), epoch, epoch_words, now - t0, item[2])
            for _ in workers:
                put(None)
            wait(lambda: not any(w.is_alive() for w in workers))
        except KeyboardInterrupt:
            not_run = 0
            while True:
                try:
                    if q.get_nowait() is not None:
                        not_run += 1
                except queue.Empty:
                    break
            for _ in workers:
                q.put(None)  # the queue is empty: no wait
            deadline = time.perf_counter() + STOP_GRACE
            for w in workers:
                w.join(max(deadline - time.perf_counter(), 0.0))
            stop_jobs[0] = 1  # jobs still running stop at their next center
            for w in workers:
                w.join()
            stop_jobs[0] = 0
            position = min(cut) if cut else enqueued - not_run
            raise Interrupted(Position(epoch, position, totals(position))) from None
        if failed:
            raise failed[0]
        return totals()

    def _run_in_order(
        self, jobs: Iterator[tuple], epoch: int, skip: int, acc: np.ndarray, epoch_words: int
    ) -> tuple[float, float, float, float]:
        """Run the jobs from global index ``skip`` on, one after the other, in this thread
        (the exact softmax: BLAS spreads each batch's products over the cores)."""
        t0 = last_checkpoint = time.perf_counter()
        last = 0.0
        for j, ids, a0, a1, seed, _words in jobs:
            if j < skip:
                continue
            if self.stop is not None and self.stop.is_set():
                raise Interrupted(Position(epoch, j, tuple(acc.tolist())))
            if self.checkpoint_due(time.perf_counter() - last_checkpoint):
                self.on_checkpoint(Position(epoch, j, tuple(acc.tolist())))
                last_checkpoint = time.perf_counter()
            before = tuple(acc.tolist())  # a job cut short by a stop counts as not done
            if not softmax.train_job(self.w_in, self.w_out, ids, self.tables.keep, self.cfg,
                                     a0, a1, seed, acc, self.stop):  # fmt: skip
                raise Interrupted(Position(epoch, j, before))
            if not np.isfinite(acc[0]):
                raise self._diverged(epoch, a0)
            now = time.perf_counter()
            if now - last > 0.25:
                last = now
                self.report(tuple(acc.tolist()), epoch, epoch_words, now - t0, a0)
        return tuple(acc.tolist())

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
            "words_per_sec": words_per_second(total[2], seconds),
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
            stats.seconds, speed_of(stats),
        )  # fmt: skip

    def _log_start(self, corpus, start: Position) -> None:
        c = self.cfg
        objective = {
            "neg": f"negative sampling ({c.negative} negatives)",
            "hs": "hierarchical softmax",
            "hs+neg": f"hierarchical softmax and negative sampling ({c.negative} negatives)",
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
            len(done), words, seconds, speed_of(done), final,
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


def nothing_trained(cfg: TrainConfig, pairs: bool, n_words: int) -> WordvecError:
    """The error of a run that made no prediction at all (on one machine or on Spark):
    ``pairs`` tells whether any line of the encoded corpus (ids, -1 between lines) holds
    two in-vocabulary words side by side; if one does, sub-sampling removed them all."""
    if not pairs:
        return CorpusError(
            "nothing was trained: no line of the corpus holds two in-vocabulary words, so "
            f"no word has a context (words rarer than min_count={cfg.min_count} are "
            "dropped); put more than one word per line, or lower `min_count`"
        )
    return TrainingError(
        f"nothing was trained: sub-sampling (sample={cfg.sample:g}) left no line with two "
        f"words in {cfg.epochs} epoch(s) of this {n_words}-word corpus; raise "
        "`sample`, or set it to 0 to keep every word"
    )
