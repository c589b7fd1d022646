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

Stopping (``stop``, set by a signal handler): no new job starts; running jobs get
``STOP_GRACE`` seconds to finish, then are cut short at their next center
(``Tables.stop``), so a stop takes effect within seconds whatever ``batch_words``.
A job cut short counts as not done: its partial updates stay in the weights, and a
resumed run trains it again from its start.
"""

from __future__ import annotations

import math
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from ..config import TrainConfig
from ..errors import CorpusError, TrainingError, WordvecError
from ..vocab import SENTENCE_END, EncodedCorpus, Vocab
from . import kernels, softmax
from .kernels import CBOW, HS, NEG, SKIPGRAM, Hyper, Tables

__all__ = ["Position", "EpochStats", "Interrupted", "Trainer", "check_vocabulary"]

STOP_GRACE = 1.0  # seconds running jobs get to finish after a stop before they are cut short


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
    # An epoch without a single prediction (sub-sampling left no window: tiny corpora)
    # changes no weight; the trainer then sets this to the mean loss of the nearest
    # epoch that made some, which is the loss of the same weights.
    carried: float = float("nan")

    @property
    def mean_loss(self) -> float:
        return self.loss_sum / self.loss_terms if self.loss_terms else self.carried


class Interrupted(Exception):  # noqa: N818 - internal signal, carries the resume position
    def __init__(self, position: Position) -> None:
        super().__init__("training interrupted")
        self.position = position


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

    def __post_init__(self) -> None:
        cfg = self.cfg
        check_vocabulary(self.vocab, cfg)
        noise = None
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
            noise = self.vocab.noise_distribution(cfg.ns_exponent)
        else:
            accept = np.zeros(1, np.uint32)
            alias = np.zeros(1, np.int32)
        self.tables: Tables = kernels.make_tables(
            self.vocab.keep_thresholds(cfg.sample), accept, alias, points, codes, offsets, noise
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
        self._check_trained(corpus)
        return self.history

    def _check_trained(self, corpus: EncodedCorpus) -> None:
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

    def _nothing_trained(self, corpus: EncodedCorpus) -> WordvecError:
        cfg = self.cfg
        pairs = any(
            bool(np.any((c[:-1] >= 0) & (c[1:] >= 0))) for c in corpus.chunks(self.chunk_tokens)
        )
        if not pairs:
            return CorpusError(
                "nothing was trained: no line of the corpus holds two in-vocabulary words, so "
                f"no word has a context (words rarer than min_count={cfg.min_count} are "
                "dropped); put more than one word per line, or lower `min_count`"
            )
        return TrainingError(
            f"nothing was trained: sub-sampling (sample={cfg.sample:g}) left no line with two "
            f"words in {cfg.epochs} epoch(s) of this {corpus.n_words}-word corpus; raise "
            "`sample`, or set it to 0 to keep every word"
        )

    def _run_epoch(
        self, corpus: EncodedCorpus, epoch: int, skip: int, partial: np.ndarray
    ) -> EpochStats:
        n_threads = self.cfg.workers
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
                    res = kernels.train_job(
                        self.w_in, self.w_out, ids, self.tables, self.hyper, a0, a1, seed,
                        max_sentence,
                    )  # fmt: skip
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
        for w in workers:
            w.start()
        enqueued = skip
        last_report = 0.0
        t0 = last_checkpoint = time.perf_counter()
        try:
            for item in self.jobs(corpus, epoch):
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
                if self.progress is not None and now - last_report > 0.25:
                    last_report = now
                    self.report(totals(), epoch, corpus.n_words, now - t0, item[2])
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
        total = totals()
        return EpochStats(total[0], total[1], int(total[2]), int(total[3]))

    def checkpoint_due(self, since_last: float) -> bool:
        """Whether a periodic checkpoint is due ``since_last`` seconds after the last one."""
        return self.on_checkpoint is not None and since_last > (
            self.checkpoint_every or float("inf")
        )

    def report(self, total, epoch: int, n_words: int, seconds: float, alpha: float) -> None:
        """Progress of an epoch from its totals (loss sum, loss terms, words read, kept)."""
        self.progress(
            {
                "epoch": epoch + 1,
                "epochs": self.cfg.epochs,
                "fraction": min(total[2] / max(n_words, 1), 1.0),
                "words_per_sec": total[2] / max(seconds, 1e-9),
                "alpha": alpha,
                "loss": total[0] / total[1] if total[1] else float("nan"),
            }
        )

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


class ProgressBar:
    """One line on stderr: epoch, percent, words/s, learning rate and loss."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.width = 0

    def __call__(self, info: dict) -> None:
        line = (
            f"epoch {info['epoch']}/{info['epochs']} {100 * info['fraction']:5.1f}% "
            f"{info['words_per_sec'] / 1e3:8.0f}k words/s  lr {info['alpha']:.6f}  "
            + (f"loss {info['loss']:.4f}" if math.isfinite(info["loss"]) else "loss -")
        )
        self.width = max(self.width, len(line))
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()

    def close(self) -> None:
        if self.width:
            self.stream.write("\n")
            self.stream.flush()
