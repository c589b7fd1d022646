"""Model and checkpoint files: wordvec's native container, versioned, JSON and raw arrays only.

A model file holds what a fitted :class:`~wordvec.model.Word2Vec` needs: its
configuration, the vocabulary (words and counts), both weight matrices and the
loss history. Version 2 (written only for ``loss="hs+neg"``) holds a third array,
``w_out_tree``: the Huffman tree's output vectors beside negative sampling's ``w_out``
(the engine keeps them stacked; the file keeps them apart, as gensim's ``syn1`` and
``syn1neg``). Every other file is written as version 1, which older wordvec reads.
A checkpoint adds where the run stopped (the schedule
:class:`~wordvec.engine.schedule.Position`), the in-vocabulary words per epoch
and the corpus identity (:attr:`wordvec.text.scan.Scan.identity`), so that a resumed
run continues the same schedule on the same text. Nothing in either can run code
when read; every field is checked, and a file of a newer format is refused.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import TrainConfig
from ..engine.schedule import Position
from ..errors import ConfigError, FormatError
from ..vocab import Vocab
from .container import decode_strings, encode_strings, read_container, write_container

__all__ = [
    "MODEL_FORMAT_VERSION",
    "ModelFile",
    "write_model",
    "read_model",
    "model_contents",
    "read_model_contents",
]

MODEL_FORMAT_VERSION = 2  # the newest this module reads; 2 adds w_out_tree (hs+neg)
_CONFIG_FIELDS = [f.name for f in dataclasses.fields(TrainConfig)]
_MAX_TOTAL = 2**62


@dataclass
class ModelFile:
    """What a model or checkpoint file holds (``position``, ``n_words`` and ``corpus``
    are those of a checkpoint; ``n_words`` of a model is its vocabulary's total)."""

    config: TrainConfig
    vocab: Vocab
    w_in: np.ndarray
    w_out: np.ndarray
    loss_history: list[float]
    position: Position | None = None
    n_words: int | None = None
    corpus: dict[str, int] | None = None
    #: a subword model's n-gram settings {"minn", "maxn", "bucket", ...}; None for word2vec
    subwords: dict[str, Any] | None = None


def write_model(
    path: str | os.PathLike[str],
    config: TrainConfig,
    vocab: Vocab,
    w_in: np.ndarray,
    w_out: np.ndarray,
    loss_history: list[float],
    *,
    position: Position | None = None,
    n_words: int | None = None,
    corpus: dict[str, int] | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write a model (``position`` None) or a checkpoint, atomically.

    ``n_words`` is the in-vocabulary words per epoch (default the vocabulary's
    total), ``corpus`` the identity of the text (checkpoints only). ``extra`` (a
    JSON-able dict, e.g. the settings of :mod:`wordvec.compat`) is stored as is under
    the key "extra" and ignored by :func:`read_model`, except its "subwords" entry: a
    subword (fastText) model's ``{"minn", "maxn", "bucket", ...}``, whose ``w_in`` holds
    ``bucket`` n-gram rows after the word rows (read back as ``ModelFile.subwords``).
    """
    meta, arrays = model_contents(config, vocab, w_in, w_out, loss_history)
    meta.update(
        kind="checkpoint" if position is not None else "model",
        n_words=int(vocab.total if n_words is None else n_words),
        position=None if position is None else dataclasses.asdict(position),
    )
    if position is not None and corpus is not None:
        meta["corpus"] = corpus
    if extra is not None:
        meta["extra"] = extra
    write_container(path, meta, arrays)


def model_contents(
    config: TrainConfig,
    vocab: Vocab,
    w_in: np.ndarray,
    w_out: np.ndarray,
    loss_history: list[float],
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """``(meta, arrays)``: what every file of a trained model holds, for the container.

    The format version, the configuration, the loss history, the vocabulary (words and
    counts) and both weight matrices. :func:`write_model` adds the kind and the
    schedule position; a Spark checkpoint (:mod:`wordvec.spark.checkpoint`) its own kind
    and Spark schedule. :func:`read_model_contents` reads it back.
    """
    blob, offsets = encode_strings(vocab.words)
    tree = config.loss == "hs+neg"  # version 2: the tree's output rows apart
    meta = {
        "model_format_version": 2 if tree else 1,
        "config": dataclasses.asdict(config),  # validated: plain ints, floats, str
        # an epoch without a single prediction (e.g. one-word sentences) has a NaN mean
        # loss, which JSON cannot hold: it is stored as null
        "loss_history": [float(x) if math.isfinite(x) else None for x in loss_history],
    }
    v = len(vocab)
    arrays = {
        "w_in": w_in,
        "w_out": w_out[:v] if tree else w_out,
        "counts": vocab.counts,
        "words_blob": blob,
        "words_offsets": offsets,
    }
    if tree:
        arrays["w_out_tree"] = w_out[v:]
    return meta, arrays


def read_model(path: str | os.PathLike[str], *, checkpoint: bool = False) -> ModelFile:
    """Read a model or checkpoint file, checking every field; raises :class:`FormatError`.

    With ``checkpoint`` the file must be a checkpoint, and its position, ``n_words``
    and corpus identity are read too.
    """
    meta, arrays = read_container(path, mmap=False)
    name = os.fspath(path)
    kind = meta.get("kind")
    if kind == "spark-checkpoint":
        raise FormatError(
            f"{name}: not a wordvec model or single-machine checkpoint but a Spark "
            "checkpoint; resume it with wordvec.spark.Word2Vec.resume(path, data) or "
            "`wordvec train CORPUS -o OUTPUT --spark MASTER --resume PATH`"
        )
    if kind not in ("model", "checkpoint"):
        raise FormatError(f"{name}: not a wordvec model or checkpoint (kind={kind!r})")
    version = meta.get("model_format_version")
    if not isinstance(version, int) or version > MODEL_FORMAT_VERSION:
        raise FormatError(
            f"{name}: model format version {version!r} is newer than this wordvec "
            f"understands ({MODEL_FORMAT_VERSION}); upgrade wordvec"
        )
    state = read_model_contents(meta, arrays, name)
    if checkpoint:
        _read_position(state, meta, kind, name)
    return state


def read_model_contents(
    meta: dict[str, Any], arrays: dict[str, np.ndarray], name: str
) -> ModelFile:
    """The model that :func:`model_contents` stored, every field checked (``name`` for the
    messages); the caller has checked the file's kind and version. Raises
    :class:`FormatError`."""
    for key in ("w_in", "w_out", "counts", "words_blob", "words_offsets"):
        if key not in arrays:
            raise FormatError(f"{name}: missing array {key!r}")
    config = meta.get("config")
    if not isinstance(config, dict) or set(config) - set(_CONFIG_FIELDS):
        raise FormatError(f"{name}: malformed configuration block")
    try:
        cfg = TrainConfig(**config).validate()
    except (TypeError, ConfigError) as exc:
        raise FormatError(f"{name}: invalid configuration: {exc}") from None
    words = decode_strings(arrays["words_blob"], arrays["words_offsets"], source=name)
    raw_counts = arrays["counts"]
    if raw_counts.dtype.kind not in "iu":
        raise FormatError(f"{name}: 'counts' must be an int array; got {raw_counts.dtype}")
    counts = np.asarray(raw_counts, dtype=np.int64)
    w_in = _float32_matrix(arrays["w_in"], name, "w_in")
    w_out = _float32_matrix(arrays["w_out"], name, "w_out")
    v = len(words)
    if cfg.loss == "hs+neg":  # version 2: the tree's rows apart; the engine stacks them
        if "w_out_tree" not in arrays:
            raise FormatError(f"{name}: missing array 'w_out_tree' (loss='hs+neg')")
        tree = _float32_matrix(arrays["w_out_tree"], name, "w_out_tree")
        if w_out.shape != (v, cfg.dim) or tree.shape != (max(v - 1, 1), cfg.dim):
            raise FormatError(
                f"{name}: array shapes disagree: {v} words, w_out {w_out.shape}, "
                f"w_out_tree {tree.shape}, dim {cfg.dim}"
            )
        w_out = np.vstack([w_out, tree])
    out_rows = cfg.output_rows(v)
    subwords = _read_subwords(meta, name)
    in_rows = v + (subwords["bucket"] if subwords is not None else 0)
    shapes_ok = w_in.shape == (in_rows, cfg.dim) and w_out.shape == (out_rows, cfg.dim)
    if counts.shape != (v,) or not shapes_ok:
        raise FormatError(
            f"{name}: array shapes disagree: {v} words, counts {counts.shape}, "
            f"w_in {w_in.shape}, w_out {w_out.shape}, dim {cfg.dim}"
        )
    if v == 0:
        raise FormatError(f"{name}: the vocabulary is empty")
    if len(set(words)) != v:
        raise FormatError(f"{name}: the vocabulary has duplicate words")
    # Every word of a trained vocabulary was seen at least once, and the counts feed
    # sums (the Huffman tree, sub-sampling) that must not overflow int64: a corrupt
    # count would otherwise surface much later, as garbage or a hang in training.
    if counts.min() < 1 or int(counts.sum(dtype=object)) >= _MAX_TOTAL:
        raise FormatError(f"{name}: word counts must be >= 1 and sum to less than {_MAX_TOTAL}")
    if cfg.uses_tree and np.any(np.diff(counts) > 0):
        raise FormatError(
            f"{name}: hierarchical softmax needs the words sorted by descending count; "
            "the counts are corrupt"
        )
    history = meta.get("loss_history") or []
    if not isinstance(history, list) or not all(x is None or _is_number(x) for x in history):
        raise FormatError(f"{name}: malformed loss history")
    loss_history = [math.nan if x is None else float(x) for x in history]
    return ModelFile(cfg, Vocab(words, counts), w_in, w_out, loss_history, subwords=subwords)


def _read_subwords(meta: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The "subwords" entry of a model's "extra" block, checked; None when absent."""
    extra = meta.get("extra")
    if not isinstance(extra, dict) or "subwords" not in extra:
        return None
    sub = extra["subwords"]
    keys = ("minn", "maxn", "bucket")
    if not isinstance(sub, dict) or not all(_is_int(sub.get(k)) for k in keys):
        raise FormatError(f"{name}: malformed subwords block")
    minn, maxn, bucket = (int(sub[k]) for k in keys)
    ngrams_ok = maxn == 0 or 1 <= minn <= maxn <= 1000
    if not (ngrams_ok and 0 <= minn <= 1000 and 0 <= bucket < 2**31):
        raise FormatError(
            f"{name}: invalid subwords block (minn={minn}, maxn={maxn}, bucket={bucket})"
        )
    return dict(sub)


def _read_position(state: ModelFile, meta: dict[str, Any], kind: str, name: str) -> None:
    """Fill in a checkpoint's position, n_words and corpus identity, checking each."""
    cfg = state.config
    pos = meta.get("position")
    if kind != "checkpoint" or not isinstance(pos, dict):
        raise FormatError(f"{name}: not a checkpoint (a finished model cannot be resumed)")
    epoch, job = pos.get("epoch"), pos.get("job")
    # (epoch == epochs, job 0: the end of the schedule, see Word2Vec.save_checkpoint)
    if not (
        _is_int(epoch)
        and _is_int(job)
        and (0 <= epoch < cfg.epochs and job >= 0 or (epoch, job) == (cfg.epochs, 0))
    ):
        raise FormatError(
            f"{name}: schedule position {pos!r} must name an epoch in 0..{cfg.epochs - 1} "
            f"and a job >= 0, or the end of the run (epoch {cfg.epochs}, job 0)"
        )
    if len(state.loss_history) != epoch:
        raise FormatError(
            f"{name}: the checkpoint stopped in epoch {epoch} but records the loss of "
            f"{len(state.loss_history)} finished epochs"
        )
    n_words = meta.get("n_words")
    if not _is_int(n_words) or n_words < 1:
        raise FormatError(f"{name}: malformed n_words {n_words!r}")
    corpus = meta.get("corpus")
    if corpus is not None and (
        not isinstance(corpus, dict)
        or set(corpus) != {"tokens", "sentences", "crc32"}
        or not all(_is_int(x) for x in corpus.values())
    ):
        raise FormatError(f"{name}: malformed corpus identity {corpus!r}")
    partial = pos.get("partial", [0.0, 0.0, 0.0, 0.0])
    if not (
        isinstance(partial, list)
        and len(partial) == 4
        and all(isinstance(x, int | float) and math.isfinite(x) and x >= 0 for x in partial)
    ):
        raise FormatError(f"{name}: malformed partial-epoch statistics {partial!r}")
    state.position = Position(epoch, job, tuple(float(x) for x in partial))
    state.n_words = n_words
    state.corpus = corpus


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: Any) -> bool:
    """A JSON number that fits a float (json.loads gives ints of any size)."""
    return isinstance(x, float) or (_is_int(x) and abs(x) < 2**1000)


def _float32_matrix(arr: np.ndarray, name: str, key: str) -> np.ndarray:
    """A stored weight matrix as float32; refuses non-float data and non-finite values."""
    if arr.dtype.kind != "f" or arr.ndim != 2:
        raise FormatError(f"{name}: {key!r} must be a 2-D float array; got {arr.dtype} {arr.shape}")
    with np.errstate(over="ignore"):
        out = np.array(arr, dtype=np.float32)
    if not np.isfinite(out).all():  # (float64 beyond the float32 range becomes inf here)
        raise FormatError(f"{name}: {key!r} holds non-finite values (or values beyond float32)")
    return out
