"""The run's schedule, shared by the training loops: jobs, their seeds, positions, statistics.

A run is a sequence of epochs; an epoch is the id stream cut into jobs of about
``batch_words`` words (:func:`split_jobs`, per chunk, at sentence ends). A job's
random seed follows from the run's seed, the epoch and the job's global index
(:func:`job_seed`), and its learning rates from the position of its words in the
whole run (:func:`alpha_at`), so any job can be run anywhere, in any process,
and still do what it does in a single-process run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..text.idcache import SENTENCE_END

__all__ = [
    "words_per_second",
    "speed_of",
    "Position",
    "EpochStats",
    "Interrupted",
    "alpha_at",
    "job_seed",
    "split_jobs",
]


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
    """What an epoch (or a shard of one) did.

    ``loss_sum / loss_terms`` is the mean loss (per (input, output word) pair for
    skip-gram, per center for CBOW); ``words`` the in-vocabulary words read,
    ``kept`` those left after sub-sampling; ``jobs`` the jobs its id chunks were
    cut into (so the next shard's first job is this shard's first job + ``jobs``).
    """

    loss_sum: float = 0.0
    loss_terms: float = 0.0
    words: int = 0
    kept: int = 0
    seconds: float = 0.0
    jobs: int = 0
    # An epoch without a single prediction (sub-sampling left no window: tiny corpora)
    # changes no weight; the trainer then sets this to the mean loss of the nearest
    # epoch that made some, which is the loss of the same weights.
    carried: float = float("nan")

    @property
    def mean_loss(self) -> float:
        return self.loss_sum / self.loss_terms if self.loss_terms else self.carried


def words_per_second(words: float, seconds: float) -> float:
    """The one training speed every wordvec line reports (log, progress, summary, compat).

    ``words`` are the words *read* (in-vocabulary, before sub-sampling: ``EpochStats.words``,
    so the figure does not move with ``sample``) and ``seconds`` the seconds the epochs
    trained (``EpochStats.seconds``: compilation, vocabulary and the time between epochs
    excluded). A run's speed is its epochs' words over their seconds, summed; an epoch's so
    far, the words read so far over the seconds since it began.
    """
    return words / max(seconds, 1e-9)


def speed_of(stats) -> float:
    """:func:`words_per_second` of one EpochStats or of several (summed)."""
    if isinstance(stats, EpochStats):
        stats = [stats]
    return words_per_second(sum(s.words for s in stats), sum(s.seconds for s in stats))


class Interrupted(Exception):  # noqa: N818 - internal signal, carries the resume position
    def __init__(self, position: Position) -> None:
        super().__init__("training interrupted")
        self.position = position


def alpha_at(start: float, end: float, words_done: float, total: float) -> float:
    """Learning rate after ``words_done`` of ``total`` words: linear from start to end."""
    return start - (start - end) * min(words_done / max(total, 1.0), 1.0)


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
