"""Checkpoints of a Spark run, written between rounds: the model so far and the round.

The file is wordvec's native container (JSON and raw arrays, atomic writes,
versioned; nothing in it can run code), of kind ``"spark-checkpoint"``: the
configuration, the vocabulary, both weight matrices and the loss of the finished
epochs, stored and checked by the model file's code
(:func:`wordvec.files.modelfile.model_contents`), plus the Spark schedule (rounds done, rounds,
partitions, ``sync_every``, merge rule), the statistics of the unfinished epochs
and the identity of the partitioned text (its tokens and sentences, and each
partition's words and CRC-32), so that a resumed run continues the same rounds on
the same slices. A single-machine checkpoint is another kind, and each resume
refuses the other's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import TrainConfig
from ..errors import FormatError
from ..files.container import read_container, write_container
from ..files.modelfile import model_contents, read_model_contents
from ..vocab import Vocab
from .rounds import MERGES

__all__ = ["KIND", "FORMAT_VERSION", "SparkCheckpoint", "write_checkpoint", "read_checkpoint"]

KIND = "spark-checkpoint"
FORMAT_VERSION = 1
_IDENTITY = {"tokens", "sentences", "partition_words", "partition_crc32"}


@dataclass
class SparkCheckpoint:
    """A Spark run stopped after ``round`` of ``rounds`` rounds."""

    config: TrainConfig
    vocab: Vocab
    w_in: np.ndarray
    w_out: np.ndarray
    loss_history: list[float]  # of the finished epochs
    round: int
    rounds: int
    partitions: int
    sync_every: int
    merge: str
    partial: np.ndarray  # float64 (epochs, 4): loss sum, terms, words, kept per epoch so far
    corpus: dict[str, Any]


def write_checkpoint(path: str | os.PathLike[str], ck: SparkCheckpoint) -> None:
    """Write ``ck`` to ``path`` atomically (the previous file survives a failed write)."""
    meta, arrays = model_contents(ck.config, ck.vocab, ck.w_in, ck.w_out, ck.loss_history)
    meta.update(kind=KIND, format_version=FORMAT_VERSION)
    meta["spark"] = {
        "round": int(ck.round),
        "rounds": int(ck.rounds),
        "partitions": int(ck.partitions),
        "sync_every": int(ck.sync_every),
        "merge": ck.merge,
        "partial": np.asarray(ck.partial, dtype=np.float64).tolist(),
        "corpus": ck.corpus,
    }
    write_container(path, meta, arrays)


def read_checkpoint(path: str | os.PathLike[str]) -> SparkCheckpoint:
    """Read and check a Spark checkpoint; raises :class:`FormatError` naming the problem."""
    name = os.fspath(path)
    meta, arrays = read_container(path, mmap=False)
    kind = meta.get("kind")
    if kind in ("model", "checkpoint"):
        raise FormatError(
            f"{name}: a single-machine {kind}, not a Spark checkpoint; resume it with "
            "wordvec.Word2Vec.resume (or `wordvec train ... --resume` without --spark)"
        )
    if kind != KIND:
        raise FormatError(f"{name}: not a wordvec Spark checkpoint (kind={kind!r})")
    version = meta.get("format_version")
    if not _is_int(version) or version > FORMAT_VERSION:
        raise FormatError(
            f"{name}: Spark checkpoint format {version!r} is newer than this wordvec "
            f"understands ({FORMAT_VERSION}); upgrade wordvec"
        )
    # (files of format 1 written before the model file's code was shared lack its
    # "model_format_version"; they hold the same fields and read the same)
    model = read_model_contents(meta, arrays, name)
    if model.subwords is not None:
        raise FormatError(f"{name}: a Spark checkpoint holds no subword (n-gram) rows")
    cfg, vocab, w_in, w_out = model.config, model.vocab, model.w_in, model.w_out
    if np.any(np.diff(vocab.counts) > 0):
        raise FormatError(f"{name}: word counts must be >= 1, in descending order")
    spark = meta.get("spark")
    if not isinstance(spark, dict):
        raise FormatError(f"{name}: missing the Spark schedule block")
    ck = _schedule(spark, cfg, name)
    done = sum(
        1 for e in range(cfg.epochs) if last_round_of(e, ck["rounds"], cfg.epochs) < ck["round"]
    )
    loss = model.loss_history
    if len(loss) != done:
        raise FormatError(
            f"{name}: {ck['round']} rounds of {ck['rounds']} finish {done} epochs, but the "
            f"loss of {len(loss)} is recorded"
        )
    return SparkCheckpoint(cfg, vocab, w_in, w_out, loss, **ck)


def last_round_of(epoch: int, rounds: int, epochs: int) -> int:
    """The round (0-based) after which every partition has finished ``epoch``."""
    return -(-(epoch + 1) * rounds // epochs) - 1


def _schedule(spark: dict[str, Any], cfg: TrainConfig, name: str) -> dict[str, Any]:
    r, rounds, parts = spark.get("round"), spark.get("rounds"), spark.get("partitions")
    sync = spark.get("sync_every")
    if not (_is_int(rounds) and rounds >= 1 and _is_int(r) and 0 <= r < rounds):
        raise FormatError(f"{name}: schedule position {r!r} of {rounds!r} rounds is malformed")
    if not (_is_int(parts) and parts >= 1 and _is_int(sync) and sync >= 1):
        raise FormatError(f"{name}: malformed partitions {parts!r} or sync_every {sync!r}")
    if spark.get("merge") not in MERGES:
        raise FormatError(f"{name}: unknown merge rule {spark.get('merge')!r}")
    partial = spark.get("partial")
    try:
        partial = np.array(partial, dtype=np.float64)
    except (TypeError, ValueError):
        raise FormatError(f"{name}: malformed partial-epoch statistics") from None
    if partial.shape != (cfg.epochs, 4) or not np.isfinite(partial).all() or (partial < 0).any():
        raise FormatError(f"{name}: malformed partial-epoch statistics")
    corpus = spark.get("corpus")
    ok = isinstance(corpus, dict) and set(corpus) == _IDENTITY
    ok = ok and _is_int(corpus["tokens"]) and _is_int(corpus["sentences"])
    for key in ("partition_words", "partition_crc32"):
        ok = ok and isinstance(corpus[key], list) and len(corpus[key]) == parts
        ok = ok and all(_is_int(x) and x >= 0 for x in corpus[key])
    if not ok:
        raise FormatError(f"{name}: malformed corpus identity")
    return {
        "round": r,
        "rounds": rounds,
        "partitions": parts,
        "sync_every": sync,
        "merge": spark["merge"],
        "partial": partial,
        "corpus": corpus,
    }


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)
