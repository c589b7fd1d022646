"""``wordvec.spark.Word2Vec``: train on Spark, get a fitted :class:`wordvec.Word2Vec` back.

>>> from wordvec.spark import Word2Vec
>>> model = Word2Vec(model="skipgram", partitions=8).fit("hdfs:///corpus/*.txt")  # doctest: +SKIP
>>> model.wv.most_similar("king")  # doctest: +SKIP

Spark reads, counts, partitions and ships the data (:mod:`.corpus`); the
executors run wordvec's compiled kernels, one task per partition and round
(:mod:`.rounds`); the driver broadcasts the weights at the start of each round
and the rows the partitions changed are merged in the executors at its end, block by
block, each changed row reaching the driver once.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
import os
import time
from typing import Any

from ..config import TrainConfig
from ..engine.schedule import EpochStats
from ..engine.train import init_weights
from ..errors import ConfigError, CorpusError
from ..files.paths import check_output
from ..model import Word2Vec as _Model
from . import corpus as _corpus
from .checkpoint import read_checkpoint
from .driver import Run, spark_errors
from .report import Report
from .rounds import MERGES
from .session import get_session

__all__ = ["Word2Vec"]

# Every round runs one Spark task per partition: 100,000 partitions made hours of
# scheduling on a small corpus. The bound of `threads`, for the same reason (and a run
# never uses more partitions than its words fill: spark.corpus.MIN_PARTITION_WORDS).
MAX_PARTITIONS = 4096

# The default schedule: every DEFAULT_ROUND_WORDS / partitions words over all partitions
# (sync_every = DEFAULT_ROUND_WORDS / partitions**2 words per partition), at least
# three times an epoch. Averaging more partitions tolerates less drift between
# synchronisations, hence fewer words per round with more partitions (the measurements
# behind these numbers: docs/distributed.md, "Why the defaults").
DEFAULT_ROUND_WORDS = 16_000_000
MIN_DEFAULT_SYNC = 100_000  # ... but never fewer words per partition and round than this
# ... and at least this many rounds an epoch: with one round an epoch a small corpus on
# few partitions averages models trained a whole epoch apart.
MIN_ROUNDS_PER_EPOCH = 3


class Word2Vec:
    """word2vec trained on Apache Spark; ``fit`` returns a fitted :class:`wordvec.Word2Vec`.

    Every parameter of :class:`wordvec.Word2Vec` means what it means there, with
    these differences: ``threads`` must be 0 or 1 (each task trains with one thread,
    so that a retried task makes the same update; parallelism comes from
    ``partitions``), ``loss="softmax"`` is refused (the exact softmax stays on one
    machine), and ``max_vocab`` bounds the distinct words each task holds while
    counting its part of the text (word2vec's pruning, within the task; counts are
    exact whenever no task's part of the text has more distinct words). ``tmp_dir``
    is where the executors put their temporary id caches.

    Parameters (beyond :class:`wordvec.Word2Vec`'s)
    ----------------------------------------------
    partitions : int, optional
        Slices of the text trained in parallel (default: the session's default
        parallelism, i.e. its cores). Each is a contiguous slice of about equal words.
        At most ``MAX_PARTITIONS`` (4096); a run uses at most one partition per 1,000
        in-vocabulary words (``spark.corpus.MIN_PARTITION_WORDS``; logged when it
        uses fewer): each partition is a task in every round.
    sync_every : int, optional
        Words each partition trains between synchronisations. Smaller is closer to
        single-machine quality and costs more traffic: each round broadcasts both
        weight matrices and shuffles the rows each partition changed to be merged. The default,
        ``16,000,000 / partitions**2`` (4M words at 2 partitions, 250k at 8; at least
        100,000, and at least three rounds an epoch), keeps the analogy score of a single
        machine on en17m: averaging more partitions tolerates less drift between rounds.
    merge : {"scaled_mean", "row_mean", "mean", "sum"}
        How the partitions' rows are merged (:func:`wordvec.spark.rounds.merge`).
        The default, ``"scaled_mean"``: the partitions train with ``partitions`` times
        the learning rate (at most 4 times with ``loss="hs"``) and every row becomes the
        mean over all partitions, which is
        the sum of the updates where they are small (rare words) and their mean where
        each partition has converged a row (frequent words). ``"row_mean"`` is MLlib's
        rule (its quality falls as partitions grow); see the benchmark in the README.
    spark : SparkSession, optional
        The session to use (default: the active one, else a new one).
    """

    def __init__(
        self,
        *args: Any,
        partitions: int | None = None,
        sync_every: int | None = None,
        merge: str = "scaled_mean",
        spark: Any = None,
        **params: Any,
    ) -> None:
        # wordvec.Word2Vec's parameters, by its own signature (the one list of them):
        # the same names, order and defaults; an unknown name is a TypeError as there.
        try:
            bound = _MODEL_SIGNATURE.bind(*args, **params)
        except TypeError as exc:
            raise TypeError(f"wordvec.spark.Word2Vec(): {exc}") from None
        bound.apply_defaults()
        for name, value in bound.arguments.items():
            setattr(self, name, value)
        # (``errors``: Spark decodes text itself, invalid UTF-8 becoming U+FFFD as with
        # errors="replace"; kept so that the fitted wordvec.Word2Vec carries the setting)
        self.partitions = partitions
        self.sync_every = sync_every
        self.merge = merge
        self.spark = spark

    @property
    def params(self) -> dict[str, Any]:
        """The parameters of :class:`wordvec.Word2Vec` (those of the fitted model)."""
        return {name: getattr(self, name) for name in _MODEL_PARAMS}

    # Tests only: called as hook(partition, round) at the start of every round's task, in
    # the executor (a test makes a task fail once there, to see Spark retry it).
    _task_hook: Any = None

    def __repr__(self) -> str:
        p = self.params
        return (
            f"wordvec.spark.Word2Vec(model={p['model']!r}, loss={p['loss']!r}, dim={p['dim']}, "
            f"partitions={self.partitions}, sync_every={self.sync_every}, merge={self.merge!r})"
        )

    # ------------------------------------------------------------------ checks
    @property
    def config(self) -> TrainConfig:
        """The validated :class:`TrainConfig`; refuses what Spark training cannot do, and
        Spark parameters out of range (no session needed: checked before one starts)."""
        cfg = _Model(**self.params).config
        if cfg.loss == "softmax":
            raise ConfigError(
                "`loss`='softmax' (the exact softmax) is trained on one machine only: every "
                "update touches all output rows, so each round would ship the whole output "
                "matrix from every partition; use loss='neg' or 'hs' on Spark, or "
                "wordvec.Word2Vec for the exact softmax"
            )
        if cfg.loss == "hs+neg":
            raise ConfigError(
                "`loss`='hs+neg' (hierarchical softmax and negative sampling together) is "
                "trained on one machine only: Spark's rounds merge one output matrix; use "
                "loss='neg' or 'hs' on Spark, or wordvec.Word2Vec for both at once"
            )
        if cfg.threads > 1:
            raise ConfigError(
                f"`threads` must be 0 or 1 on Spark (each task trains with one thread so that "
                f"a retried task makes the same update); got {cfg.threads}. Use `partitions` "
                "for parallelism"
            )
        p = self.partitions
        if p is not None and (
            isinstance(p, bool) or not isinstance(p, int) or not 1 <= p <= MAX_PARTITIONS
        ):
            raise ConfigError(
                f"`partitions` must be an int with 1 <= partitions <= {MAX_PARTITIONS}; got "
                f"{p!r} (each round runs one task per partition)."
            )
        s = self.sync_every
        if s is not None and (isinstance(s, bool) or not isinstance(s, int) or s < 1):
            raise ConfigError(f"`sync_every` must be an int >= 1 (words) or None; got {s!r}.")
        if self.merge not in MERGES:
            opts = ", ".join(repr(m) for m in MERGES)
            raise ConfigError(f"`merge` must be one of {opts}; got {self.merge!r}.")
        return cfg

    def _partitions(self, sc) -> int:
        """``partitions``, or by default the cores Spark has."""
        if self.partitions is None:
            return max(int(sc.defaultParallelism), 1)
        return self.partitions

    # ------------------------------------------------------------------ fit
    def fit(
        self,
        data: Any,
        *,
        input_col: str | None = None,
        checkpoint: str | os.PathLike[str] | None = None,
        checkpoint_every: float | None = None,
        handle_signals: bool = True,
    ) -> _Model:
        """Count, partition and train on ``data``; returns a fitted :class:`wordvec.Word2Vec`.

        Parameters
        ----------
        data : DataFrame, RDD, or path
            A DataFrame with one string column (lines of text) or one array<string>
            column (tokens), ``input_col`` choosing among several columns; an RDD of
            lines (str) or token lists; or a path, glob or URI (or a list of them)
            that ``spark.read.text`` reads (``file:``, ``hdfs:``, ``s3a:``; Spark
            decompresses ``.gz`` and ``.bz2``; lines end at ``"\\n"``).
        checkpoint : path, optional
            Where to write a checkpoint between rounds: when training is interrupted
            (SIGINT / SIGTERM: the round in flight finishes first; a second signal
            cancels it), when a Spark job fails after some rounds, and, with
            ``checkpoint_every`` (seconds), periodically. :meth:`resume` continues it.
        handle_signals : bool
            In the main thread, SIGINT / SIGTERM stop training at the end of the round
            (then :class:`TrainingInterrupted` is raised).
        """
        cfg = self.config
        _check_checkpointing(checkpoint, checkpoint_every, data)
        session = get_session(self.spark)
        partitions, sync_every = self._partitions(session.sparkContext), self.sync_every
        t0 = time.perf_counter()
        rows, with_files = _corpus.rows_of(data, session, input_col)
        report = Report(bool(self.params["progress"]))
        report(
            "reading and counting %s on Spark (%s), to train on %d partitions",
            _describe(data, input_col), session.sparkContext.master, partitions,
        )  # fmt: skip
        with spark_errors():
            corpus = _corpus.prepare(
                rows, with_files, cfg, partitions, tmp_dir=self.params["tmp_dir"], report=report
            )
        try:
            w_in, w_out = init_weights(corpus.vocab, cfg)
            rounds, sync_every = _rounds(cfg.epochs, corpus.vocab.total, partitions, sync_every)
            run = Run(cfg, corpus, w_in, w_out, rounds, sync_every, self.merge)
            run.prepare_seconds = time.perf_counter() - t0
            run.progress = bool(self.params["progress"])
            run.report = report
            run.task_hook = self._task_hook
            run.train(0, checkpoint, checkpoint_every, handle_signals)
        finally:
            corpus.close()
        return run.fitted(self.params)

    @classmethod
    def resume(
        cls,
        checkpoint: str | os.PathLike[str],
        data: Any,
        *,
        input_col: str | None = None,
        spark: Any = None,
        progress: bool = False,
        checkpoint_every: float | None = None,
        handle_signals: bool = True,
    ) -> _Model:
        """Continue the Spark run of ``checkpoint`` on the same ``data``; returns the
        fitted :class:`wordvec.Word2Vec`.

        The text is read and partitioned again into the checkpoint's partitions (with
        its vocabulary: no counting pass) and must be the same text: its tokens,
        sentences and each partition's ids (CRC-32) are compared with the
        checkpoint's. The remaining rounds are those the uninterrupted run would
        have trained, so the result is the same, bit for bit. If interrupted again,
        the checkpoint is rewritten in place.
        """
        _check_checkpointing(checkpoint, checkpoint_every, data)
        ck = read_checkpoint(checkpoint)
        params = {f: getattr(ck.config, f) for f in _CONFIG_NAMES}
        params.update(progress=progress)
        owner = cls(**params, partitions=ck.partitions, sync_every=ck.sync_every,
                    merge=ck.merge, spark=spark)  # fmt: skip
        session = get_session(spark)
        rows, with_files = _corpus.rows_of(data, session, input_col)
        t0 = time.perf_counter()
        report = Report(progress)
        report(
            "reading %s on Spark (%s) with the checkpoint's %d-word vocabulary, to resume on "
            "%d partitions", _describe(data, input_col), session.sparkContext.master,
            len(ck.vocab), ck.partitions,
        )  # fmt: skip
        with spark_errors():
            corpus = _corpus.prepare(
                rows, with_files, ck.config, ck.partitions, vocab=ck.vocab, report=report
            )
        try:
            _check_same_text(corpus.identity, ck.corpus, os.fspath(checkpoint))
            run = Run(ck.config, corpus, ck.w_in, ck.w_out, ck.rounds, ck.sync_every, ck.merge)
            run.prepare_seconds = time.perf_counter() - t0
            run.progress = progress
            run.report = report
            run.partial = ck.partial.copy()
            run.history = [EpochStats(loss_sum=x, loss_terms=1.0) for x in ck.loss_history]
            run.train(ck.round, checkpoint, checkpoint_every, handle_signals)
        finally:
            corpus.close()
        return run.fitted(owner.params)


_CONFIG_NAMES = [f.name for f in dataclasses.fields(TrainConfig)]
_MODEL_SIGNATURE = inspect.signature(_Model)
_MODEL_PARAMS = list(_MODEL_SIGNATURE.parameters)  # wordvec.Word2Vec's parameters


def _shared_signature() -> None:
    """Give ``Word2Vec.__init__`` the signature it accepts (for ``help``, ``inspect`` and
    editors): wordvec.Word2Vec's parameters, then the Spark ones; and list them, with
    their defaults, in the class docstring."""
    init = Word2Vec.__init__
    own = inspect.signature(init).parameters
    spark = [own[n] for n in ("partitions", "sync_every", "merge", "spark")]
    self_ = own["self"]
    init.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [self_, *_MODEL_SIGNATURE.parameters.values(), *spark]
    )
    if Word2Vec.__doc__ is not None:  # (None under python -OO)
        shared = ", ".join(
            f"``{p.name}={p.default!r}``" for p in _MODEL_SIGNATURE.parameters.values()
        )
        Word2Vec.__doc__ += (
            f"\n    Parameters shared with :class:`wordvec.Word2Vec`, with their defaults "
            f"(taken from its signature): {shared}.\n"
        )


_shared_signature()


def _rounds(epochs: int, n_words: int, partitions: int, sync_every: int | None) -> tuple[int, int]:
    """``(rounds, sync_every)``: each partition trains about ``sync_every`` words per round
    (None: the default schedule, see :data:`DEFAULT_ROUND_WORDS`)."""
    words = epochs * n_words  # in the whole run, over all partitions
    if sync_every is None:
        sync_every = max(MIN_DEFAULT_SYNC, DEFAULT_ROUND_WORDS // partitions**2)
        rounds = max(MIN_ROUNDS_PER_EPOCH * epochs, math.ceil(words / (partitions * sync_every)))
        return rounds, max(1, math.ceil(words / (partitions * rounds)))
    return max(1, math.ceil(words / (partitions * sync_every))), sync_every


def _describe(data: Any, input_col: str | None) -> str:
    """What ``fit`` reads, for the first stage line."""
    if isinstance(data, (str, os.PathLike)):
        return repr(os.fspath(data))
    if isinstance(data, (list, tuple)):
        return f"{len(data)} paths ({os.fspath(data[0])!r}, ...)" if data else "no paths"
    name = type(data).__name__
    if name == "DataFrame":
        return f"column {input_col!r} of a DataFrame" if input_col else "a DataFrame"
    return f"an {name}" if name[0] in "AEIOU" else f"a {name}"


def _check_checkpointing(checkpoint: Any, checkpoint_every: Any, data: Any) -> None:
    """Before any work: a checkpoint that could not be written would lose the run, and
    one written over the text would lose it (the CLI's path checks)."""
    check_output(checkpoint, data)
    if checkpoint_every is None:
        return
    ok = isinstance(checkpoint_every, int | float) and not isinstance(checkpoint_every, bool)
    if not (ok and math.isfinite(checkpoint_every) and checkpoint_every >= 0):
        raise ConfigError(
            f"`checkpoint_every` must be a finite float >= 0 (seconds); got {checkpoint_every!r}."
        )
    if checkpoint is None:
        raise ConfigError(
            f"`checkpoint_every` needs a `checkpoint` path to write to; got "
            f"checkpoint_every={checkpoint_every!r} and no path."
        )


def _check_same_text(here: dict[str, Any], there: dict[str, Any], name: str) -> None:
    if here == there:
        return
    raise CorpusError(
        f"this data is not the text the checkpoint {name!r} was trained on: "
        f"{here['tokens']} tokens in {here['sentences']} sentences here, {there['tokens']} in "
        f"{there['sentences']} there (or the same counts in another order or with other "
        "words); resume needs the same text"
    )
