"""The driver's loop over synchronisation rounds: broadcast, train, merge by block.

:class:`Run` holds a run's state on the driver (the weights, the statistics of
the epochs, what the rounds cost) and runs rounds ``start..rounds-1`` of it: each
round broadcasts both weight matrices, runs one task per partition
(:func:`wordvec.spark.rounds.train_round`), merges the rows the tasks changed in
the executors, block by block (:func:`wordvec.spark.rounds.merge_block`), and
collects each merged row once (on a one-JVM ``local[N]`` master it collects the
tasks' rows and merges them itself: :func:`merge_place`). Between rounds it writes
checkpoints and honours SIGINT / SIGTERM. Errors of a Spark job come out as one line
(a wordvec error raised in an executor, e.g. a malformed row, as itself).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..engine.schedule import EpochStats, speed_of
from ..engine.train import nothing_trained
from ..errors import ConfigError, CorpusError, TrainingError, TrainingInterrupted, WordvecError
from ..model import Word2Vec as _Model
from ..progress import format_duration
from .checkpoint import SparkCheckpoint, last_round_of, write_checkpoint
from .report import SILENT, logger
from .rounds import STATS_KEY, block_parts, merge, merge_block, scale, scaled, train_round

__all__ = ["Run", "spark_errors", "CHUNK_TOKENS", "merge_place"]


def merge_place(aggregate: str, master: str) -> str:
    """Where a round's changes are merged: ``aggregate`` unless it is "auto", which is
    "driver" on a one-JVM master (``local``, ``local[N]``: the driver runs every task, so a
    shuffle would only copy the parts once more) and "executors" elsewhere (by row block,
    so the driver receives each changed row once whatever the partitions). The weights
    are the same bit for bit either way."""
    if aggregate != "auto":
        return aggregate
    one_jvm = master == "local" or master.startswith("local[")
    return "driver" if one_jvm else "executors"


class Run:
    """The driver's loop over rounds: broadcast, train, merge, checkpoint."""

    # Where a round's changes are merged: "executors" (by row block, after a shuffle; the
    # driver receives each changed row once), "driver" (every partition's changed rows
    # are collected and merged there) or "auto" (merge_place: by the master).
    aggregate = "auto"

    def __init__(self, cfg, corpus, w_in, w_out, rounds: int, sync_every: int, merge_rule: str):
        self.cfg = cfg
        self.corpus = corpus
        self.w_in, self.w_out = w_in, w_out
        self.rounds = rounds
        self.sync_every = sync_every
        self.merge = merge_rule
        # what the tasks train with (the learning rate scaled for "scaled_mean")
        self.task_cfg = scaled(cfg, merge_rule, corpus.partitions)
        self.scale = scale(cfg, merge_rule, corpus.partitions)
        self.progress = False
        self.report = SILENT  # stage lines (the start of training)
        self.task_hook = None
        self.history: list[EpochStats] = []  # finished epochs
        self.partial = np.zeros((cfg.epochs, 4))  # per epoch: loss sum, terms, words, kept
        self.round_started: dict[int, float] = {}
        self.bytes_out = w_in.nbytes + w_out.nbytes  # broadcast per round
        self.bytes_in: list[int] = []  # collected per round
        self.prepare_seconds = 0.0  # reading, counting, encoding, partitioning
        self.round_seconds: list[float] = []
        self.task_seconds: list[list[float]] = []  # per round: each partition's task
        self.round_words: list[int] = []  # per round: the words all partitions trained

    # ---------------------------------------------------------------- the loop
    def train(self, start: int, checkpoint, checkpoint_every, handle_signals: bool) -> None:
        sc = self.corpus.slices.context
        stop = threading.Event()
        self._report_start(start)
        bar = _Progress(self) if self.progress else None
        vocab_bc = sc.broadcast((self.corpus.vocab.words, self.corpus.vocab.counts))
        last_save = time.perf_counter()
        epochs_before = len(self.history)
        try:
            with _stop_on_signals(stop, sc, handle_signals):
                for r in range(start, self.rounds):
                    try:
                        results = self._round(sc, vocab_bc, r)
                    except Exception as exc:  # the job failed or was cancelled
                        if checkpoint is not None and r > start:
                            self._save(checkpoint, r)
                        if stop.is_set():
                            raise self._interrupted(checkpoint, r) from None
                        raise _failed(exc, r, checkpoint if r > start else None) from exc
                    self._merge(results, r)
                    if bar is not None:
                        bar(r)
                    done = r + 1
                    if done == self.rounds:
                        self._log_end(epochs_before)
                        break
                    now = time.perf_counter()
                    if stop.is_set() or (
                        checkpoint_every is not None and now - last_save >= checkpoint_every
                    ):
                        if checkpoint is not None:
                            self._save(checkpoint, done)
                            last_save = time.perf_counter()
                        if stop.is_set():
                            raise self._interrupted(checkpoint, done)
        finally:
            vocab_bc.destroy()
            if bar is not None:
                bar.close()
        if self.history and not any(math.isfinite(h.mean_loss) for h in self.history):
            raise self._nothing_trained()

    def _nothing_trained(self) -> WordvecError:
        """No epoch made a prediction: the error one machine gives, with its reason (does
        any line hold two in-vocabulary words? asked of the partitions' id streams)."""

        def has_pair(record) -> bool:
            ids = record[1]
            return bool(np.any((ids[:-1] >= 0) & (ids[1:] >= 0)))

        pairs = bool(self.corpus.slices.map(has_pair).fold(False, lambda a, b: a or b))
        return nothing_trained(self.cfg, pairs, self.corpus.vocab.total)

    def _round(self, sc, vocab_bc, r: int) -> list:
        """Run round ``r``'s tasks; what they send the driver (see :meth:`_merge`)."""
        self.round_started[r] = time.perf_counter()
        cfg, rounds = self.task_cfg, self.rounds
        run_key, hook = self.run_key, self.task_hook
        w_bc = sc.broadcast((self.w_in, self.w_out))

        def task(_, it):
            for p, stream in it:
                if hook is not None:
                    hook(p, r)
                yield train_round(p, stream, w_bc.value, vocab_bc.value, cfg, r=r, rounds=rounds,
                                  chunk_tokens=CHUNK_TOKENS, run_key=run_key)  # fmt: skip

        results = self.corpus.slices.mapPartitionsWithIndex(task)
        self._place = merge_place(self.aggregate, sc.master)
        try:
            if self._place == "driver":
                return results.collect()
            rule, parts, factor = self.merge, self.corpus.partitions, self.scale

            def merged(kv):
                key, values = kv
                if key == STATS_KEY:
                    return key, list(values)
                return key, merge_block(key, list(values), w_bc.value, rule, parts, factor)

            return (
                results.flatMap(block_parts).groupByKey(numPartitions=parts).map(merged).collect()
            )
        finally:
            w_bc.destroy()

    def _merge(self, collected: list, r: int) -> None:
        """Bring the round's changes into the weights. Merged in the executors
        (:func:`merge_place`), ``collected`` holds each block's merged rows and the
        partitions' statistics, and the rows are copied in; merged on the driver, it holds
        every partition's changed rows, merged here."""
        parts = self.corpus.partitions
        if self._place == "driver":
            results = sorted(collected, key=lambda x: x.partition)
            rule = self.merge
            merge(self.w_in, [(x.rows_in, x.new_in) for x in results], rule, parts, self.scale)
            merge(self.w_out, [(x.rows_out, x.new_out) for x in results], rule, parts, self.scale)
            stats = [(x.partition, x.stats, x.seconds) for x in results]
            nbytes = sum(x.nbytes for x in results)
        else:
            stats, nbytes = [], 0
            for key, value in collected:
                if key == STATS_KEY:
                    stats = sorted(value, key=lambda x: x[0])
                    continue
                rows, values = value
                (self.w_in, self.w_out)[key % 2][rows] = values
                nbytes += rows.nbytes + values.nbytes
        for _, partition_stats, _ in stats:  # in partition order: the same float sums
            for e, *numbers in partition_stats:
                self.partial[e] += numbers
        now = time.perf_counter()
        self.round_seconds.append(now - self.round_started[r])
        self.task_seconds.append([seconds for _, _, seconds in stats])
        self.round_words.append(sum(x[3] for _, st, _ in stats for x in st))
        self.bytes_in.append(nbytes)
        self._log_round(r)  # before the epoch it ends, if any
        for e in range(self.cfg.epochs):
            if last_round_of(e, self.rounds, self.cfg.epochs) == r:
                self._finish_epoch(e, now)

    def _finish_epoch(self, e: int, now: float) -> None:
        loss_sum, terms, words, kept = self.partial[e].tolist()
        if not (math.isfinite(loss_sum) and np.isfinite(self.w_in).all()
                and np.isfinite(self.w_out).all()):  # fmt: skip
            raise TrainingError(
                f"the loss or the weights became non-finite in epoch {e + 1} "
                f"(alpha={self.cfg.start_alpha}): training diverged; try a smaller `alpha`"
            )
        first = e * self.rounds // self.cfg.epochs
        began = self.round_started.get(first, min(self.round_started.values()))
        stats = EpochStats(loss_sum, terms, int(words), int(kept), now - began)
        self.history.append(stats)
        logger.info(
            "epoch %d/%d: loss %.4f, %d words (%d after sub-sampling) in %.2fs, %.0f words/s",
            e + 1, self.cfg.epochs, stats.mean_loss, stats.words, stats.kept, stats.seconds,
            speed_of(stats),
        )  # fmt: skip

    # ---------------------------------------------------------------- the lines it logs
    def epoch_of(self, r: int) -> int:
        """The epoch (0-based) round ``r`` starts in: the one its line reports."""
        return min(r * self.cfg.epochs // self.rounds, self.cfg.epochs - 1)

    def epoch_loss(self, e: int) -> float:
        """Epoch ``e``'s mean loss so far (its ``loss_history_`` entry once it is over)."""
        loss_sum, terms = self.partial[e, 0], self.partial[e, 1]
        return float(loss_sum / terms) if terms else math.nan

    def _report_start(self, start: int) -> None:
        c, parts = self.cfg, self.corpus.partitions
        objective = {"neg": f"negative sampling ({c.negative} negatives)",
                     "hs": "hierarchical softmax"}.get(c.loss, c.loss)  # fmt: skip
        boost = f" ({self.scale}x in the tasks, merge {self.merge})" if self.scale > 1 else ""
        self.report(
            "training %s with %s: %d words x %d dims, window %d, sample %g, alpha %g -> %g%s, "
            "%d partitions, %d rounds of about %d words per partition, %d epochs of %d words%s",
            c.model, objective, len(self.corpus.vocab), c.dim, c.window, c.sample,
            c.start_alpha, c.end_alpha, boost, parts, self.rounds, self.sync_every, c.epochs,
            self.corpus.vocab.total, f" (resuming at round {start + 1})" if start else "",
        )  # fmt: skip

    def _log_round(self, r: int) -> None:
        e = self.epoch_of(r)
        tasks = self.task_seconds[-1]
        logger.info(
            "round %d/%d (epoch %d/%d): loss %.4f, %d words in %.2fs (tasks %.2fs at most), "
            "%.1f MiB broadcast, %.1f MiB collected",
            r + 1, self.rounds, e + 1, self.cfg.epochs, self.epoch_loss(e),
            int(self.round_words[-1]), self.round_seconds[-1], max(tasks, default=0.0),
            self.bytes_out / 2**20, self.bytes_in[-1] / 2**20,
        )  # fmt: skip

    def _log_end(self, epochs_before: int) -> None:
        """The end line, as one machine's: the epochs' words over their seconds."""
        done = self.history[epochs_before:]
        words = sum(s.words for s in done)
        final = self.history[-1].mean_loss if self.history else math.nan
        logger.info(
            "trained %d epochs: %d words in %.2fs, %.0f words/s, final loss %.4f",
            len(done), words, sum(s.seconds for s in done), speed_of(done), final,
        )  # fmt: skip

    @property
    def run_key(self) -> str:
        """Names this run's tables in the executors' cache."""
        if not hasattr(self, "_key"):
            self._key = uuid.uuid4().hex
        return self._key

    # ---------------------------------------------------------------- results
    def fitted(self, params: dict[str, Any]) -> _Model:
        """The fitted :class:`wordvec.Word2Vec`, with ``spark_stats_`` (:meth:`stats`)."""
        model = _Model.from_state(
            self.corpus.vocab, self.w_in, self.w_out, epoch_stats=self.history, **params
        )
        model.spark_stats_ = self.stats()
        return model

    def stats(self) -> dict[str, Any]:
        """What the rounds cost: bytes broadcast and collected, seconds."""
        return {
            "rounds": self.rounds,
            "partitions": self.corpus.partitions,
            "sync_every": self.sync_every,
            "merge": self.merge,
            "vocabulary": len(self.corpus.vocab),
            "partition_words": list(self.corpus.words),
            "prepare_seconds": self.prepare_seconds,
            "bytes_broadcast_per_round": self.bytes_out,
            "bytes_collected": list(self.bytes_in),
            "round_seconds": list(self.round_seconds),
            "task_seconds": [list(t) for t in self.task_seconds],
        }

    # ---------------------------------------------------------------- stopping
    def _save(self, path, rounds_done: int) -> None:
        history = [h.mean_loss for h in self.history]
        write_checkpoint(
            path,
            SparkCheckpoint(
                self.cfg, self.corpus.vocab, self.w_in, self.w_out, history, rounds_done,
                self.rounds, self.corpus.partitions, self.sync_every, self.merge,
                self.partial, self.corpus.identity,
            ),
        )  # fmt: skip

    def _interrupted(self, checkpoint, rounds_done: int) -> TrainingInterrupted:
        epoch = min(rounds_done * self.cfg.epochs // self.rounds + 1, self.cfg.epochs)
        where = f"after round {rounds_done}/{self.rounds} (epoch {epoch}/{self.cfg.epochs})"
        if checkpoint is None:
            return TrainingInterrupted(
                f"training interrupted {where}; no checkpoint path was given, so the "
                "progress is lost", epoch=epoch, epochs=self.cfg.epochs,
            )  # fmt: skip
        path = os.fspath(checkpoint)
        return TrainingInterrupted(
            f"training interrupted {where}; checkpoint written to {path!r}. Resume with "
            f"wordvec.spark.Word2Vec.resume({path!r}, data) or `wordvec train CORPUS -o OUTPUT "
            f"--spark MASTER --resume {path}`",
            checkpoint=path, epoch=epoch, epochs=self.cfg.epochs,
        )  # fmt: skip


CHUNK_TOKENS = 1 << 21  # what EncodedCorpus.chunks reads at a time on one machine


def _failed(exc: Exception, r: int, checkpoint) -> Exception:
    """A one-line error for a failed round (the Spark error chained below it)."""
    known = _wordvec_error(exc)
    if known is not None:
        return known
    saved = (
        f"; the weights of the {r} rounds before were saved to {os.fspath(checkpoint)!r} "
        "(resume from there)"
        if checkpoint is not None
        else ""
    )
    return TrainingError(f"the Spark job of round {r + 1} failed: {_reason(exc)}{saved}")


_ERROR_LINE = re.compile(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception|Interrupt)): (.*)$")
_OURS = {"CorpusError": CorpusError, "ConfigError": ConfigError, "TrainingError": TrainingError}


def _last_error(exc: Exception) -> tuple[str, str] | None:
    """The innermost ``Name: message`` line of a Spark error (the Python worker's error)."""
    found = None
    for line in str(exc).splitlines():
        m = _ERROR_LINE.match(line.strip())
        if m:
            found = (m.group(1), m.group(2))
    return found


def _wordvec_error(exc: Exception) -> Exception | None:
    """A wordvec error raised in an executor (e.g. a malformed row), as that error."""
    found = _last_error(exc)
    if found is not None and found[0] in _OURS:
        return _OURS[found[0]](found[1])
    return None


def _reason(exc: Exception) -> str:
    found = _last_error(exc)
    if found is None:
        lines = str(exc).strip().splitlines()
        return (lines[0] if lines else type(exc).__name__)[:300]
    name, message = found
    if name == "ModuleNotFoundError" and "wordvec" in message:
        return (
            f"{message} in the executors: install wordvec on every node, or ship it with "
            "spark-submit --py-files"
        )
    return f"{name}: {message}"[:300]


@contextlib.contextmanager
def spark_errors() -> Iterator[None]:
    """Spark jobs that prepare the data: a wordvec error in an executor comes out as itself."""
    try:
        yield
    except WordvecError:
        raise
    except Exception as exc:
        known = _wordvec_error(exc)
        if known is not None:
            raise known from None
        if _last_error(exc) is not None:
            raise TrainingError(f"reading the data in Spark failed: {_reason(exc)}") from exc
        raise


class _Progress:
    """The rounds' progress on stderr: one line rewritten in place on a terminal; elsewhere
    (a log file, a pipe) plain lines, one at the first round, one at each epoch's last
    round and one about every ``EVERY`` seconds within an epoch, as :mod:`wordvec.progress`
    does on one machine. The loss is the mean loss of the round's epoch so far (so at an
    epoch's last round, the epoch's loss in ``loss_history_``)."""

    EVERY = 10.0

    def __init__(self, run: Run) -> None:
        self.run = run
        self.t0 = self.last = time.perf_counter()
        self.words0 = run.partial[:, 2].sum()  # a resumed run's words before this one
        self.lines = 0
        self.width = 0
        isatty = getattr(sys.stderr, "isatty", None)
        self.tty = bool(isatty and isatty())

    def __call__(self, r: int) -> None:
        run = self.run
        words = run.partial[:, 2].sum() - self.words0
        epochs = run.cfg.epochs
        epoch = min(r * epochs // run.rounds + 1, epochs)
        terms, loss_sum = run.partial[epoch - 1, 1], run.partial[epoch - 1, 0]
        now = time.perf_counter()
        seconds = now - self.t0
        remaining = seconds * (run.rounds - r - 1) / (r + 1)
        line = (
            f"round {r + 1}/{run.rounds} epoch {epoch}/{epochs} "
            f"{words / max(seconds, 1e-9) / 1e3:8.0f}k words/s  "
            + (f"loss {loss_sum / terms:.4f}" if terms else "loss -")
            + f"  {run.bytes_in[-1] / 2**20:.0f} MiB collected"
            + f"  elapsed {format_duration(seconds)}  ETA {format_duration(remaining)}"
        )
        if self.tty:
            self.width = max(self.width, len(line))
            sys.stderr.write("\r" + line.ljust(self.width))
        elif (
            self.lines == 0
            or last_round_of(epoch - 1, run.rounds, epochs) == r
            or now - self.last >= self.EVERY
        ):  # the first round, each epoch's last, and about every EVERY seconds
            self.last = now
            self.lines += 1
            sys.stderr.write(line + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.width:
            sys.stderr.write("\n")
            sys.stderr.flush()


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event, sc, enabled: bool) -> Iterator[None]:
    """SIGINT / SIGTERM set ``stop`` (the round in flight finishes); a second one
    cancels the round's job."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        if stop.is_set():
            sc.cancelAllJobs()
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, h in previous.items():
            signal.signal(sig, h)
