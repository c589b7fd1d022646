"""Synchronisation rounds: what a partition trains in a round, and how its rows are merged.

The schedule. Partition ``p`` holds a contiguous slice of the text, ``n_p``
in-vocabulary words; over the run it trains that slice ``epochs`` times, a
stream of ``epochs * n_p`` words cut into the jobs the engine cuts (chunks of
about ``chunk_tokens`` ids ending at a sentence end, then :func:`split_jobs`).
The run has ``rounds`` rounds; a job belongs to the round ``r`` in which its
first word falls (``start * rounds // (epochs * n_p)``), so every partition is
at the same fraction of its stream at a round's end, and slices of equal size
make rounds of equal work. A word's learning rate is that of its fraction of
the stream: ``alpha_at(e * n_p + words before it, epochs * n_p)``, which is
its global position in the run when the partitions advance together. Job ``j``
of partition ``p`` in epoch ``e`` has seed ``job_seed(seed, e, p * JOB_STRIDE + j)``:
with one partition, the run's jobs, seeds and learning rates are those of a
single-machine run with one thread.

A round's task (:func:`train_round`) copies the round's broadcast weights, runs
its jobs with one thread (so a retried task computes the same result, bit for
bit: nothing depends on timing), and returns the rows it changed, with their new
values. They are merged (:func:`merge`) in the executors, block by block of
``BLOCK_ROWS`` rows (:func:`block_parts`, :func:`merge_block`): a shuffle brings
every partition's part of a block together, the block is merged there, and the
driver receives each changed row once, whatever the number of partitions.
"""

from __future__ import annotations

import time
from typing import Any, NamedTuple

import numpy as np

from ..config import TrainConfig
from ..encoded import EncodedCorpus
from ..engine.schedule import job_seed, split_jobs  # noqa: F401 - job_seed: see the docstring
from ..engine.train import Trainer
from ..vocab import Vocab

__all__ = [
    "JOB_STRIDE", "MERGES", "BLOCK_ROWS", "RoundResult", "job_plan", "train_round", "scale",
    "scaled", "merge", "block_parts", "merge_block",
]  # fmt: skip

JOB_STRIDE = 1 << 40  # job indices of partition p start at p * JOB_STRIDE
MERGES = ("scaled_mean", "row_mean", "mean", "sum")
HS_MAX_SCALE = 4  # "scaled_mean" with hierarchical softmax: at most 4x the learning rate
BLOCK_ROWS = 4096  # rows of a matrix merged together in an executor
STATS_KEY = -1  # the shuffle key of the partitions' statistics (blocks have keys >= 0)


class RoundResult(NamedTuple):
    """What one partition sends back after a round."""

    partition: int
    stats: list[tuple[int, float, float, int, int]]  # (epoch, loss sum, terms, words, kept)
    rows_in: np.ndarray  # int32 ids of the changed input rows
    new_in: np.ndarray  # float32 (len(rows_in), d): their values after the round
    rows_out: np.ndarray
    new_out: np.ndarray
    seconds: float  # training time in the task

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in (self.rows_in, self.new_in, self.rows_out, self.new_out))


def job_plan(stream: np.ndarray, batch_words: int, chunk_tokens: int) -> np.ndarray:
    """The jobs of one epoch of ``stream``: int64 rows (start, stop, words), in order.

    The stream is cut into chunks by :meth:`EncodedCorpus.chunks` (what the engine trains
    on one machine), then each chunk into jobs by :func:`split_jobs`."""
    vocab_size = int(stream.max(initial=-1)) + 1
    jobs, at = [], 0
    with EncodedCorpus.from_ids(stream, vocab_size) as encoded:
        for chunk in encoded.chunks(chunk_tokens):
            jobs += [(at + s, at + e, w) for s, e, w in split_jobs(chunk, batch_words)]
            at += len(chunk)
    return np.array(jobs, dtype=np.int64).reshape(-1, 3)


def round_jobs(
    plan: np.ndarray, n_words: int, epochs: int, rounds: int, r: int
) -> list[tuple[int, int, int]]:
    """The jobs of round ``r``: ``(epoch, first job, last job + 1)`` runs, in order."""
    if n_words == 0 or len(plan) == 0:
        return []
    before = np.concatenate([[0], np.cumsum(plan[:, 2])[:-1]])  # words before each job
    total = epochs * n_words
    runs = []
    for e in range(epochs):
        owner = ((e * n_words + before) * rounds) // total  # round of each job's first word
        hit = np.flatnonzero(owner == r)
        if len(hit):
            runs.append((e, int(hit[0]), int(hit[-1]) + 1))
    return runs


_TRAINERS: dict[Any, Trainer] = {}  # per executor process: tables built once per run


def _trainer(key: Any, cfg: TrainConfig, words: list[str], counts: np.ndarray) -> Trainer:
    trainer = _TRAINERS.get(key)
    if trainer is None:
        _TRAINERS.clear()  # another run's tables: not needed any more
        empty = np.zeros((0, cfg.dim), np.float32)
        trainer = Trainer(cfg, Vocab(words, counts), empty, empty)
        _TRAINERS[key] = trainer
    return trainer


def train_round(
    partition: int,
    stream: np.ndarray,
    weights: tuple[np.ndarray, np.ndarray],
    vocab: tuple[list[str], np.ndarray],
    cfg: TrainConfig,
    *,
    r: int,
    rounds: int,
    chunk_tokens: int,
    run_key: Any,
) -> RoundResult:
    """Train partition ``partition``'s jobs of round ``r`` from ``weights`` (not modified).

    One thread, seeds and learning rates fixed by the schedule: the result depends
    on the inputs only. Rows are "changed" when any of their values differs from
    the round's start.
    """
    t0 = time.perf_counter()
    w_in0, w_out0 = weights
    trainer = _trainer(run_key, cfg, *vocab)
    trainer.w_in, trainer.w_out = w_in0.copy(), w_out0.copy()
    n_words = int(np.count_nonzero(stream >= 0))
    plan = job_plan(stream, cfg.batch_words, chunk_tokens)
    before = np.concatenate([[0], np.cumsum(plan[:, 2])]) if len(plan) else np.zeros(1, np.int64)
    stats = []
    for e, j0, j1 in round_jobs(plan, n_words, cfg.epochs, rounds, r):
        chunks = [stream[a:b] for a, b, _ in plan[j0:j1].tolist()]
        s = trainer.train_shard(
            chunks,
            epoch=e,
            first_job=partition * JOB_STRIDE + j0,
            words_before=e * n_words + int(before[j0]),
            total_words=cfg.epochs * n_words,
            threads=1,
        )
        stats.append((e, s.loss_sum, s.loss_terms, s.words, s.kept))
    rows_in = _changed(trainer.w_in, w_in0)
    rows_out = _changed(trainer.w_out, w_out0)
    result = RoundResult(
        partition,
        stats,
        rows_in,
        trainer.w_in[rows_in],
        rows_out,
        trainer.w_out[rows_out],
        time.perf_counter() - t0,
    )
    trainer.w_in = trainer.w_out = w_in0[:0]  # let the copies go
    return result


def _changed(w: np.ndarray, w0: np.ndarray) -> np.ndarray:
    return np.flatnonzero((w != w0).any(axis=1)).astype(np.int32)


def scale(cfg: TrainConfig, rule: str, partitions: int) -> int:
    """The factor :func:`scaled` multiplies the learning rate by."""
    if rule != "scaled_mean" or partitions == 1:
        return 1
    return min(partitions, HS_MAX_SCALE) if cfg.loss == "hs" else partitions


def scaled(cfg: TrainConfig, rule: str, partitions: int) -> TrainConfig:
    """The configuration the partitions train with: ``"scaled_mean"`` multiplies the
    learning rate (start and end) by the number of partitions, at most ``HS_MAX_SCALE``
    times with hierarchical softmax; the other rules keep it.

    The cap: every pair trains the top inner nodes of the Huffman tree, and at 8 times
    the learning rate they diverge; negative sampling trains well at 8 times
    (docs/distributed.md, "Why the defaults", has the measurements)."""
    factor = scale(cfg, rule, partitions)
    if factor == 1:
        return cfg
    return cfg.replace(alpha=cfg.start_alpha * factor, min_alpha=cfg.end_alpha * factor)


def merge(
    w: np.ndarray,
    results: list[tuple[np.ndarray, np.ndarray]],
    rule: str,
    partitions: int,
    scale: int | None = None,
) -> None:
    """Merge the partitions' new rows into ``w`` (the round's start weights), in place.

    ``results`` holds one ``(rows, new values)`` pair per partition that sent any;
    ``partitions`` counts every partition. A partition that did not change a row
    left it at ``w[row]``. The rules:

    ``"scaled_mean"`` (the default)
        The partitions train with ``scale`` times the learning rate of their
        position (:func:`scaled`; ``scale`` is ``partitions`` unless capped) and
        each row moves by the sum of its deltas divided by ``scale``, or by the
        number of partitions that changed it when that is larger (then: their
        mean). Uncapped, that is the mean over all partitions. Where a row's
        updates are small and independent (a rare word, early training) it is the
        sum of the updates at the run's learning rate, as if the partitions had
        trained one after the other; where each partition has brought the row to
        its equilibrium (a frequent word over a long round), it is the mean of
        those equilibria. With the cap (hierarchical softmax, 8 partitions,
        ``scale`` 4), dividing every row by ``partitions`` instead would give the
        rows few partitions changed only half their update, and analogy accuracy
        drops (docs/distributed.md, "Why the defaults").
    ``"row_mean"``
        Each row becomes the mean of the new values of the partitions that changed
        it (MLlib's rule): a word seen in one partition gets that partition's full
        update, but a row every partition changed moves by the mean of their updates
        at the run's learning rate, so its progress per round is that of one partition.
    ``"mean"``
        Plain model averaging over all partitions, at the run's learning rate: a row
        changed by one partition of P moves 1/P of that partition's update.
    ``"sum"``
        The updates are added up: right for small independent updates, an overshoot
        (by up to ``partitions`` times) for rows each partition has converged.
    """
    if not results:
        return
    if rule not in MERGES:
        raise ValueError(f"unknown merge rule {rule!r}")
    acc = np.zeros_like(w)
    n = np.zeros(len(w), dtype=np.int32)
    for rows, new in results:
        if rule == "sum":
            acc[rows] += new - w[rows]
        else:
            acc[rows] += new
        n[rows] += 1
    touched = np.flatnonzero(n)
    if rule == "row_mean":
        w[touched] = acc[touched] / n[touched, None]
    elif rule == "sum":
        w[touched] += acc[touched]
    elif rule == "scaled_mean" and scale is not None and scale < partitions:
        k = n[touched][:, None].astype(np.float32)
        divisor = np.maximum(k, np.float32(scale))
        w[touched] += (acc[touched] - k * w[touched]) / divisor
    else:  # "mean", "scaled_mean": the partitions that did not change a row keep w[row]
        stay = (partitions - n[touched])[:, None].astype(np.float32)
        w[touched] = (acc[touched] + stay * w[touched]) / np.float32(partitions)


# --------------------------------------------------------------------------- in the executors


def block_parts(result: RoundResult):
    """A task's result as shuffle records: ``(STATS_KEY, (partition, stats, seconds))``,
    then per matrix ``m`` (0: w_in, 1: w_out) and block ``b`` of ``BLOCK_ROWS`` rows it
    changed, ``(2 * b + m, (partition, rows, new values))``. Integer keys: their hash,
    hence the shuffle's placement, is the same in every process."""
    yield STATS_KEY, (result.partition, result.stats, result.seconds)
    pairs = ((result.rows_in, result.new_in), (result.rows_out, result.new_out))
    for m, (rows, new) in enumerate(pairs):
        if not len(rows):
            continue
        blocks = rows // BLOCK_ROWS  # rows ascend, so each block is one run
        cuts = np.flatnonzero(np.diff(blocks)) + 1
        for part_rows, part_new in zip(np.split(rows, cuts), np.split(new, cuts), strict=True):
            yield 2 * int(part_rows[0] // BLOCK_ROWS) + m, (result.partition, part_rows, part_new)


def merge_block(
    key: int,
    parts: list,
    weights: tuple[np.ndarray, np.ndarray],
    rule: str,
    partitions: int,
    scale: int | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Merge the partitions' ``parts`` of block ``key`` (:func:`block_parts`) into the round's
    start ``weights``: ``(rows, merged values)`` of the rows any partition changed.

    The parts are taken in partition order, whatever order the shuffle brought them in,
    and merged by :func:`merge` as the driver would merge the whole matrices: each row's
    sum is made of the same float32 additions in the same order, so the result is bit for
    bit the driver's merge, and the same on every retry."""
    m, b = key % 2, key // 2
    w = weights[m]
    lo, hi = b * BLOCK_ROWS, min((b + 1) * BLOCK_ROWS, len(w))
    block = w[lo:hi].copy()
    parts = sorted(parts, key=lambda part: part[0])
    merge(block, [(rows - lo, new) for _, rows, new in parts], rule, partitions, scale)
    rows = np.unique(np.concatenate([rows for _, rows, _ in parts])).astype(np.int32)
    return rows, block[rows - lo]
