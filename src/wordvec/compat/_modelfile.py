"""Model files of :mod:`wordvec.compat`: wordvec's model format plus gensim's settings.

The file is the one ``wordvec.Word2Vec.save`` writes (configuration, vocabulary
with counts, both weight matrices, loss history; JSON and raw arrays, nothing
that runs code when loaded), with the settings gensim keeps that wordvec's
configuration has no place for (``corpus_count``, ``sample >= 1``,
``sorted_vocab``, the running loss, ...) in its "extra" block under
``"wordvec.compat"``. ``wordvec.Word2Vec.load`` reads such a file too, and
:func:`load` reads one written by ``wordvec.Word2Vec.save``.

A compat ``FastText`` is saved the same way, as ``wordvec.FastText.save`` saves
its model: the input matrix holds the word rows and then the n-gram rows, and the
"extra" block's "subwords" entry says ``minn``, ``maxn`` and the number of n-gram
rows (so ``wordvec.FastText.load`` reads it, and :func:`load` reads what
``wordvec.FastText.save`` wrote); gensim's own ``bucket`` setting (kept even when
``max_n=0`` leaves no n-gram row) is in the compat block. That entry is also what
tells the two kinds apart: each class refuses the other's file in one line.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import ConfigError, FormatError
from . import _files, _params

__all__ = ["save", "load"]

_COMPAT_KEY = "wordvec.compat"
_COMPAT_FORMAT = 1


def save(
    model,
    fname: str | os.PathLike[str],
    *,
    subwords: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
) -> None:
    """Write ``model`` (a compat Word2Vec, or FastText with its ``subwords`` block and
    its own ``settings`` for the compat block) atomically."""
    from ..files.modelfile import write_model

    if model._vocab is None:
        raise ConfigError("nothing to save yet: build the vocabulary (or train) first")
    cfg = model._config()
    extra = {
        "format": _COMPAT_FORMAT,
        "sample": float(model.sample),
        "min_count": int(model.min_count),
        "max_final_vocab": model.max_final_vocab,
        "sorted_vocab": int(model.sorted_vocab),
        "compute_loss": bool(model.compute_loss),
        "corpus_count": int(model.corpus_count),
        "corpus_total_words": int(model.corpus_total_words),
        "running_training_loss": float(model.running_training_loss),
        "train_count": int(model.train_count),
        "effective_min_count": int(model.effective_min_count),
        "comment": model.comment if isinstance(model.comment, str) else None,
        **(settings or {}),
    }
    blocks: dict[str, Any] = {_COMPAT_KEY: extra}
    if subwords is not None:
        blocks["subwords"] = subwords
    write_model(
        fname,
        cfg,
        model._vocab,
        model._input_weights(),  # (FastText: the word rows, then the n-gram rows)
        model._w_out,
        [h.mean_loss for h in model._history],
        position=None,
        n_words=model._vocab.total,
        corpus=None,
        extra=blocks,
    )


def load(cls, fname: str | os.PathLike[str], *, subwords: bool = False):
    """Read a model file into a new ``cls``: a compat Word2Vec, or with ``subwords`` a
    compat FastText (whose file must hold n-gram rows, and a Word2Vec's none)."""
    from ..engine.train import EpochStats
    from ..files.modelfile import read_model
    from ..vectors.formats import read_container

    name = os.fspath(fname)
    _files.refuse_gensim_file(fname, "FastText" if subwords else "Word2Vec")
    meta, _ = read_container(fname, mmap=True)  # (the header; the arrays stay on disk)
    if meta.get("kind") in ("keyed_vectors", "subword_vectors"):
        reader = "FastTextKeyedVectors" if subwords else "KeyedVectors"
        raise FormatError(
            f"{name}: holds word vectors (saved from `wv`), not a whole model; load it with "
            f"wordvec.compat.{reader}.load"
        )
    f = read_model(fname)
    cfg = f.config
    if subwords and f.subwords is None:
        raise FormatError(
            f"{name}: holds a word2vec model (no n-gram rows), not a FastText model; load it "
            "with wordvec.compat.Word2Vec.load"
        )
    if not subwords and f.subwords is not None:
        raise FormatError(
            f"{name}: holds a FastText model (with n-gram rows), not a Word2Vec model; load "
            "it with wordvec.compat.FastText.load"
        )
    if cfg.loss == "softmax":
        raise FormatError(
            f"{name}: a full-softmax model; wordvec.compat trains negative "
            "sampling or hierarchical softmax (use wordvec.Word2Vec for this one)"
        )
    extra = (meta.get("extra") or {}).get(_COMPAT_KEY) or {}
    extra = _checked_extra(extra, name)
    kwargs = {}
    if subwords:
        kwargs = _subword_params(f.subwords, extra, name)
    model = cls(
        min_count=extra.get("min_count", cfg.min_count),
        sample=extra.get("sample", cfg.sample),
        sg=int(cfg.model == "skipgram"),
        hs=int(cfg.uses_tree),
        negative=cfg.negative if cfg.uses_negatives else 0,
        epochs=cfg.epochs,
        sorted_vocab=extra.get("sorted_vocab", 1),
        max_final_vocab=extra.get("max_final_vocab", cfg.max_final_vocab),
        **kwargs,
        **_params.from_config(cfg),  # the renamed ones: dim -> vector_size, ...
    )
    model.compute_loss = extra.get("compute_loss", False)  # (FastText's constructor has
    model.comment = extra.get("comment")  # neither, as gensim's)
    model._vocab = f.vocab
    model._w_out = f.w_out
    if subwords:
        model._full = f.w_in  # (V + buckets) x d, read into memory: trainable in place
        model._bind_wv()
    else:
        model.wv._replace(list(f.vocab.words), f.w_in, f.vocab.counts)
    model._history = [EpochStats(loss_sum=x, loss_terms=1.0) for x in f.loss_history]
    for key in (
        "corpus_count", "corpus_total_words", "running_training_loss", "train_count",
        "effective_min_count",
    ):  # fmt: skip
        if key in extra:
            setattr(model, key, extra[key])
    return model


def _subword_params(sub: dict[str, Any], extra: dict[str, Any], name: str) -> dict[str, Any]:
    """FastText's ``min_n``, ``max_n``, ``bucket`` from a file's subwords block (and
    gensim's ``bucket`` from the compat block, which may differ only when ``max_n=0``)."""
    if sub.get("row_gradient", "fasttext") != "fasttext":
        raise FormatError(
            f"{name}: trained with row_gradient={sub.get('row_gradient')!r}, which "
            "wordvec.compat.FastText does not train; load it with wordvec.FastText.load"
        )
    minn, maxn, rows = int(sub["minn"]), int(sub["maxn"]), int(sub["bucket"])
    bucket = extra.get("bucket", rows)
    if (rows != bucket if maxn else rows != 0) or bucket < 0:
        raise FormatError(
            f"{name}: wordvec.compat setting 'bucket' ({bucket}) disagrees with the file's "
            f"{rows} n-gram rows (max_n={maxn})"
        )
    return {"min_n": minn, "max_n": maxn, "bucket": bucket}


_EXTRA_TYPES: dict[str, tuple[type, ...]] = {
    "format": (int,),
    "sample": (int, float),
    "min_count": (int,),
    "max_final_vocab": (int, type(None)),
    "sorted_vocab": (int,),
    "compute_loss": (bool,),
    "corpus_count": (int,),
    "corpus_total_words": (int,),
    "running_training_loss": (int, float),
    "train_count": (int,),
    "effective_min_count": (int,),
    "comment": (str, type(None)),
    "bucket": (int,),  # (FastText only)
}


def _checked_extra(extra: Any, name: str) -> dict[str, Any]:
    """The compat block of a model file, every value of the expected type (else FormatError)."""
    if not isinstance(extra, dict):
        raise FormatError(f"{name}: malformed wordvec.compat settings block")
    out = {}
    for key, types in _EXTRA_TYPES.items():
        if key not in extra:
            continue
        value = extra[key]
        if bool in types:
            ok = isinstance(value, bool)
        else:
            ok = isinstance(value, types) and not isinstance(value, bool)
        if not ok:
            raise FormatError(f"{name}: wordvec.compat setting {key!r} is malformed: {value!r}")
        out[key] = value
    if out.get("format", _COMPAT_FORMAT) > _COMPAT_FORMAT:
        raise FormatError(
            f"{name}: its wordvec.compat settings are of a newer format than this wordvec "
            "understands; upgrade wordvec"
        )
    return out
