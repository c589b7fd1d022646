"""Files for :mod:`wordvec.compat`: gensim's word2vec-format options, and gensim's own files.

A model or vectors file written by gensim's ``save()`` is a serialised Python
object stream; loading one runs whatever code it names, so wordvec never reads
it. :func:`refuse_gensim_file` recognises such a file by its first two bytes
(the stream's protocol marker, 0x80 then the protocol number 2-5) and says how
to bring it over.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ConfigError, FormatError
from ..files.atomic import atomic_write
from ..vectors.keyedvectors import KeyedVectors as _NativeKeyedVectors

__all__ = [
    "refuse_kwargs",
    "refuse_gensim_file",
    "save_word2vec_format",
    "load_word2vec_format",
]

logger = logging.getLogger("wordvec.compat.keyedvectors")

_WAY_OVER = (
    "{path!r} was written by gensim's save(), a Python object stream that wordvec never "
    "loads (loading one can run any code it contains). Bring it over where gensim is "
    "installed: `python -m wordvec.compat.convert {path} model.wvm` writes the whole {what} "
    "in wordvec's format (then {what_cls}.load('model.wvm')), or, for the vectors only, "
    "`gensim.models.{what_cls}.load({path!r}){wv}.save_word2vec_format('vectors.bin', "
    "binary=True)` and then KeyedVectors.load_word2vec_format('vectors.bin', binary=True)."
)

# a FastText's n-gram rows would be lost in the word2vec format: the ways over keep them
_WAY_OVER_FASTTEXT = (
    "{path!r} was written by gensim's save(), a Python object stream that wordvec never "
    "loads (loading one can run any code it contains). Bring it over where gensim is "
    "installed: `python -m wordvec.compat.convert {path} model.wvm` writes the {what} with "
    "its n-gram rows in wordvec's format (then {what_cls}.load('model.wvm')), or "
    "`gensim.models.fasttext.save_facebook_model(gensim.models.FastText.load(MODEL), "
    "'model.bin')` writes a gensim FastText model as fastText's .bin, which "
    "wordvec.compat.fasttext.load_facebook_model / load_facebook_vectors read."
)


def refuse_kwargs(where: str, kwargs: Mapping[str, Any]) -> None:
    """One error naming every keyword argument wordvec.compat does not support."""
    if kwargs:
        names = ", ".join(sorted(kwargs))
        raise ConfigError(f"{where}: unsupported argument(s) {names} in wordvec.compat.")


def is_gensim_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` starts like a file written by gensim's ``save()``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2)
    except OSError:
        return False  # the loader that follows reports a missing file properly
    return len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5


def refuse_gensim_file(path: str | os.PathLike[str], what_cls: str) -> None:
    """Raise FormatError, with the way over, if ``path`` was written by gensim's ``save()``
    or is fastText's own ``.bin`` (which gensim reads with ``load_facebook_*`` too)."""
    from ..subwords.fasttext_bin import is_fasttext_bin

    if os.path.isfile(path) and is_fasttext_bin(path):
        reader = (
            "load_facebook_model"
            if what_cls != "FastTextKeyedVectors"
            else ("load_facebook_vectors")
        )
        raise FormatError(
            f"{os.fspath(path)}: fastText's .bin, not a model file of {what_cls}.save(); "
            f"read it with wordvec.compat.fasttext.{reader}(path) (as in gensim)"
        )
    if is_gensim_file(path):
        model = what_cls in ("Word2Vec", "FastText")
        way_over = _WAY_OVER_FASTTEXT if what_cls.startswith("FastText") else _WAY_OVER
        raise FormatError(
            way_over.format(
                path=os.fspath(path),
                what="model" if model else "vectors",
                what_cls=what_cls,
                wv=".wv" if model else "",
            )
        )


# --------------------------------------------------------------------------- word2vec format
def save_word2vec_format(
    kv,
    fname,
    fvocab=None,
    binary: bool = False,
    total_vec: int | None = None,
    write_header: bool = True,
    prefix: str = "",
    append: bool = False,
    sort_attr: str = "count",
) -> None:
    """gensim's ``save_word2vec_format`` over :func:`wordvec.vectors.formats.save` (atomic)."""
    from ..vectors.formats import save

    unsupported = []
    if append:
        unsupported.append("append=True (files are written whole, atomically)")
    if not write_header:
        unsupported.append("write_header=False")
    if total_vec is not None and total_vec != len(kv):
        unsupported.append(f"total_vec={total_vec} (the file holds exactly {len(kv)} vectors)")
    if unsupported:
        raise ConfigError(
            "save_word2vec_format does not support "
            + "; ".join(unsupported)
            + " in wordvec.compat."
        )
    values = kv.expandos.get(sort_attr)
    if values is not None:
        order = np.argsort(-np.asarray(values), kind="stable")
    else:
        if fvocab is not None:
            raise ValueError(
                f"Cannot store vocabulary with '{sort_attr}' because that attribute does not exist"
            )
        logger.warning(
            "attribute %s not present in %s; will store in internal index_to_key order",
            sort_attr,
            kv,
        )
        order = np.arange(len(kv))
    words = kv.index_to_key
    in_order = bool(np.array_equal(order, np.arange(len(kv))))
    out_words = [prefix + words[i] for i in order.tolist()] if prefix or not in_order else words
    vectors = kv.vectors if in_order else kv.vectors[order]
    if fvocab is not None:
        with atomic_write(fvocab, "wb") as fh:
            fh.write(
                "".join(
                    f"{w} {int(values[i])}\n"
                    for w, i in zip(out_words, order.tolist(), strict=True)
                ).encode("utf-8")
            )
    view = _NativeKeyedVectors._from_decoded(out_words, vectors)
    save(view, fname, format="word2vec-bin" if binary else "word2vec-text")


def load_word2vec_format(
    fname,
    fvocab=None,
    binary: bool = False,
    encoding: str = "utf8",
    unicode_errors: str = "strict",
    limit: int | None = None,
    datatype: Any = np.float32,
    no_header: bool = False,
) -> _NativeKeyedVectors:
    """gensim's ``load_word2vec_format`` over :func:`wordvec.vectors.formats.load`.

    As gensim does, a file read without ``fvocab`` gets made-up descending counts
    (V - row), so that frequency-ordered methods work.
    """
    from ..vectors.formats import load

    unsupported = []
    if encoding.lower().replace("-", "") != "utf8":
        unsupported.append(f"encoding={encoding!r} (words are read as UTF-8)")
    if np.dtype(datatype) != np.float32:
        unsupported.append(f"datatype={np.dtype(datatype).name} (vectors are float32)")
    if no_header and binary:
        unsupported.append("no_header=True with binary=True (as in gensim)")
    if unsupported:
        raise ConfigError(
            "load_word2vec_format does not support "
            + "; ".join(unsupported)
            + " in wordvec.compat."
        )
    # (a text file with or without the header line is recognised either way; a .gz or
    # .bz2 file is decompressed by the native reader)
    kv = load(
        fname,
        format="word2vec-bin" if binary else "word2vec-text",
        errors=unicode_errors,  # (gensim's name for it: no deprecation to warn of here)
        limit=limit or None,  # as gensim: the first `limit` rows only; 0 reads all
    )
    n = len(kv)
    if fvocab is None:
        counts = np.arange(n, 0, -1, dtype=np.int64)
    else:
        table: dict[str, int] = {}
        with open(fvocab, "rb") as fh:
            for line in fh:
                word, count = line.decode("utf-8", errors=unicode_errors).strip().split()
                table[word] = int(count)
        missing = [w for w in kv.words if w not in table]
        if missing:
            logger.warning("vocabulary file is incomplete: %r is missing", missing[0])
        counts = np.array([table.get(w, 0) for w in kv.words], dtype=np.int64)
    kv.counts = counts
    return kv
