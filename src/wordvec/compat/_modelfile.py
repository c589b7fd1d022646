"""Model files of :mod:`wordvec.compat`: wordvec's model format plus gensim's settings.

The file is the one ``wordvec.Word2Vec.save`` writes (configuration, vocabulary
with counts, both weight matrices, loss history; JSON and raw arrays, nothing
that runs code when loaded), with the settings gensim keeps that wordvec's
configuration has no place for (``corpus_count``, ``sample >= 1``,
``sorted_vocab``, the running loss, ...) in its "extra" block under
``"wordvec.compat"``. ``wordvec.Word2Vec.load`` reads such a file too, and
:func:`load` reads one written by ``wordvec.Word2Vec.save``.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import ConfigError, FormatError
from . import _files, _params

__all__ = ["save", "load"]

_COMPAT_KEY = "wordvec.compat"
_COMPAT_FORMAT = 1


def save(model, fname: str | os.PathLike[str]) -> None:
    """Write ``model`` (a compat Word2Vec) atomically."""
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
    }
    write_model(
        fname,
        cfg,
        model._vocab,
        model.wv.vectors,
        model._w_out,
        [h.mean_loss for h in model._history],
        position=None,
        n_words=model._vocab.total,
        corpus=None,
        extra={_COMPAT_KEY: extra},
    )


def load(cls, fname: str | os.PathLike[str]):
    """Read a model file into a new ``cls`` (compat Word2Vec)."""
    from ..engine.train import EpochStats
    from ..model import Word2Vec as Native
    from ..vectors.formats import read_container

    _files.refuse_gensim_file(fname, "Word2Vec")
    native = Native.load(fname)
    cfg = native.config
    if cfg.loss == "softmax":
        raise FormatError(
            f"{os.fspath(fname)}: a full-softmax model; wordvec.compat trains negative "
            "sampling or hierarchical softmax (use wordvec.Word2Vec for this one)"
        )
    meta, _ = read_container(fname, mmap=True)
    extra = (meta.get("extra") or {}).get(_COMPAT_KEY) or {}
    extra = _checked_extra(extra, os.fspath(fname))
    model = cls(
        min_count=extra.get("min_count", cfg.min_count),
        sample=extra.get("sample", cfg.sample),
        sg=int(cfg.model == "skipgram"),
        hs=int(cfg.uses_tree),
        negative=cfg.negative if cfg.uses_negatives else 0,
        epochs=cfg.epochs,
        sorted_vocab=extra.get("sorted_vocab", 1),
        compute_loss=extra.get("compute_loss", False),
        comment=extra.get("comment"),
        max_final_vocab=extra.get("max_final_vocab", cfg.max_final_vocab),
        **_params.from_config(cfg),  # the renamed ones: dim -> vector_size, ...
    )
    model._vocab = native.vocab_
    model._w_out = native.w_out_
    model.wv._replace(list(native.vocab_.words), native.w_in_, native.vocab_.counts)
    model._history = [EpochStats(loss_sum=x, loss_terms=1.0) for x in native.loss_history_]
    for name in (
        "corpus_count", "corpus_total_words", "running_training_loss", "train_count",
        "effective_min_count",
    ):  # fmt: skip
        if name in extra:
            setattr(model, name, extra[name])
    return model


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
