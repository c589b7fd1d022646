"""``wordvec train CORPUS -o OUT --spark MASTER``: the Spark branch of the train command.

:mod:`wordvec.cli` declares the options and hands the parsed arguments here (so
that pyspark is imported only when ``--spark`` is given). CORPUS is anything
``spark.read.text`` reads: a path, a glob or a URI (``hdfs://``, ``s3a://``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import time
from collections.abc import Callable

from pyspark.sql import SparkSession

from ..errors import ConfigError, CorpusError, TrainingInterrupted
from ..vectors import formats
from .estimator import Word2Vec
from .session import get_session

__all__ = ["train_on_spark"]


def train_on_spark(
    args: argparse.Namespace,
    params: dict,
    checkpoint: str,
    checkpoint_is_ours: Callable[[], bool],
) -> int:
    """Train as ``wordvec train`` does, on Spark; write the vectors; print a summary.

    ``params`` are the :class:`wordvec.Word2Vec` parameters the options set (the CLI's
    ``estimator_params``); the Spark ones (partitions, sync_every) come from ``args``.

    ``checkpoint`` is the path the CLI checked (with every other output) before any
    work; once the outputs are written it is deleted if ``checkpoint_is_ours()`` (this
    run wrote it or resumed from it), never otherwise."""
    if args.corpus is None or args.corpus == "-":
        raise CorpusError(
            "with --spark, give CORPUS: a path, glob or URI that Spark reads (the shipped "
            "corpus and standard input are read on one machine only)"
        )
    if args.loss not in ("neg", "hs+neg") and args.negative:
        raise ConfigError(
            f"`negative` must be 0 when loss={args.loss!r}; got {args.negative}: "
            "hierarchical softmax and the full softmax draw no negatives (--loss hs+neg "
            "trains hierarchical softmax and negative sampling together)."
        )
    est = None
    if not args.resume:  # its options checked before Spark starts (as on one machine)
        est = Word2Vec(**params, partitions=args.partitions, sync_every=args.sync_every)
        est.config  # noqa: B018 - validates
    t0 = time.perf_counter()
    ours = SparkSession.getActiveSession() is None  # else: a session of the caller's, kept
    # a session of our own logs errors only from its start (Spark's start-up warnings and
    # later ones with Java stack traces stay quiet; errors reach the user as one line)
    spark = get_session(master=args.spark, app_name="wordvec train", quiet=True)
    if ours:  # under spark-submit the JVM started before wordvec could configure it
        spark.sparkContext.setLogLevel("ERROR")
    try:
        if args.resume:
            model = _run(
                args,
                lambda: Word2Vec.resume(
                    args.resume, args.corpus, spark=spark, progress=not args.quiet,
                    checkpoint_every=args.checkpoint_every,
                ),
            )  # fmt: skip
        else:
            est.spark = spark
            model = _run(
                args,
                lambda: est.fit(
                    args.corpus, checkpoint=checkpoint, checkpoint_every=args.checkpoint_every
                ),
            )
    finally:
        if ours:
            spark.stop()
    seconds = time.perf_counter() - t0
    wv = model.wv
    formats.save(wv, args.output)
    if args.save_model:
        model.save(args.save_model)
    with contextlib.suppress(FileNotFoundError):
        if checkpoint_is_ours():
            os.unlink(checkpoint)  # the run finished: its checkpoint is obsolete
    stats = model.spark_stats_
    words = sum(s.words for s in model.epoch_stats_)
    print(
        f"trained a vocabulary of {len(wv)} words x {wv.dim} dims on Spark ({args.spark}, "
        f"{stats['partitions']} partitions, {stats['rounds']} rounds) in {seconds:.1f}s "
        f"({words / max(seconds, 1e-9) / 1e3:.0f}k words/s); loss per epoch: "
        + ", ".join(f"{x:.4f}" for x in model.loss_history_)
    )
    print(f"vectors written to {args.output}")
    probe = [w for w in (args.neighbours or "").split(",") if w] or [
        wv.words[i] for i in (50, 100, 200, 400, 800) if i < len(wv)
    ]
    for w in probe:
        if w in wv:
            near = ", ".join(f"{x} {s:.2f}" for x, s in wv.most_similar(w, topn=8))
            print(f"  {w:>12}: {near}")
        else:
            print(f"  {w:>12}: (not in the vocabulary)")
    return 0


def _run(args: argparse.Namespace, train):
    """Run ``train``; an interruption ends with the command line that resumes it."""
    try:
        return train()
    except TrainingInterrupted as exc:
        if exc.checkpoint is None:
            raise
        command = ["wordvec", "train", args.corpus, "-o", args.output, "--spark", args.spark]
        command += ["--resume", exc.checkpoint]
        if args.save_model:
            command += ["--save-model", args.save_model]
        raise TrainingInterrupted(
            f"training interrupted in epoch {exc.epoch}/{exc.epochs}; checkpoint written to "
            f"{exc.checkpoint!r}. Resume with: " + " ".join(shlex.quote(c) for c in command),
            checkpoint=exc.checkpoint,
            epoch=exc.epoch,
            epochs=exc.epochs,
        ) from None
