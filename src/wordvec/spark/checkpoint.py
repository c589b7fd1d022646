"""Checkpoints of a Spark run, written between rounds: the model so far and the round.

The file is wordvec's native container (JSON and raw arrays, atomic writes,
versioned; nothing in it can run code), of kind ``"spark-checkpoint"``: the
configuration, the vocabulary, both weight matrices and the loss of the finished
epochs, as in a model file, plus the Spark schedule (rounds done, rounds,
partitions, ``sync_every``, merge rule), the statistics of the unfinished epochs
and the identity of the partitioned text (its tokens and sentences, and each
partition's words and CRC-32), so that a resumed run continues the same rounds on
the same slices. A single-machine checkpoint is another kind, and each resume
refuses the other's.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import TrainConfig
from ..errors import ConfigError, FormatError
from ..vectors.formats import decode_strings, encode_strings, read_container, write_container
from ..vocab import Vocab
from .rounds import MERGES

__all__ = ["KIND", "FORMAT_VERSION", "SparkCheckpoint", "write_checkpoint", "read_checkpoint"]

KIND = "spark-checkpoint"
FORMAT_VERSION = 1
_CONFIG_FIELDS = {f.name for f in dataclasses.fields(TrainConfig)}
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
    blob, offsets = encode_strings(ck.vocab.words)
    meta = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "config": dataclasses.asdict(ck.config),
        "loss_history": [float(x) if math.isfinite(x) else None for x in ck.loss_history],
        "spark": {
            "round": int(ck.round),
            "rounds": int(ck.rounds),
            "partitions": int(ck.partitions),
            "sync_every": int(ck.sync_every),
            "merge": ck.merge,
            "partial": np.asarray(ck.partial, dtype=np.float64).tolist(),
            "corpus": ck.corpus,
        },
    }
    arrays = {
        "w_in": ck.w_in,
        "w_out": ck.w_out,
        "counts": ck.vocab.counts,
        "words_blob": blob,
        "words_offsets": offsets,
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
    config = meta.get("config")
    if not isinstance(config, dict) or set(config) - _CONFIG_FIELDS:
        raise FormatError(f"{name}: malformed configuration block")
    try:
        cfg = TrainConfig(**config).validate()
    except (TypeError, ConfigError) as exc:
        raise FormatError(f"{name}: invalid configuration: {exc}") from None
    for key in ("w_in", "w_out", "counts", "words_blob", "words_offsets"):
        if key not in arrays:
            raise FormatError(f"{name}: missing array {key!r}")
    words = decode_strings(arrays["words_blob"], arrays["words_offsets"], source=name)
    counts = arrays["counts"]
    if counts.dtype.kind not in "iu" or counts.shape != (len(words),) or not len(words):
        raise FormatError(f"{name}: 'counts' must hold one int per word ({len(words)} words)")
    counts = counts.astype(np.int64)
    if counts.min() < 1 or np.any(np.diff(counts) > 0):
        raise FormatError(f"{name}: word counts must be >= 1, in descending order")
    try:
        vocab = Vocab(words, counts)
    except ValueError as exc:
        raise FormatError(f"{name}: {exc}") from None
    v = len(words)
    out_rows = max(v - 1, 1) if cfg.loss == "hs" else v
    w_in = _matrix(arrays["w_in"], (v, cfg.dim), name, "w_in")
    w_out = _matrix(arrays["w_out"], (out_rows, cfg.dim), name, "w_out")
    spark = meta.get("spark")
    if not isinstance(spark, dict):
        raise FormatError(f"{name}: missing the Spark schedule block")
    ck = _schedule(spark, cfg, name)
    history = meta.get("loss_history")
    if not isinstance(history, list) or not all(
        x is None or isinstance(x, float | int) for x in history
    ):
        raise FormatError(f"{name}: malformed loss history")
    done = sum(
        1 for e in range(cfg.epochs) if last_round_of(e, ck["rounds"], cfg.epochs) < ck["round"]
    )
    if len(history) != done:
        raise FormatError(
            f"{name}: {ck['round']} rounds of {ck['rounds']} finish {done} epochs, but the "
            f"loss of {len(history)} is recorded"
        )
    loss = [math.nan if x is None else float(x) for x in history]
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


def _matrix(arr: np.ndarray, shape: tuple[int, int], name: str, key: str) -> np.ndarray:
    if arr.dtype.kind != "f" or arr.shape != shape:
        raise FormatError(
            f"{name}: {key!r} must be a float matrix {shape}; got {arr.dtype} {arr.shape}"
        )
    out = np.array(arr, dtype=np.float32)
    if not np.isfinite(out).all():
        raise FormatError(f"{name}: {key!r} holds non-finite values")
    return out


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)
