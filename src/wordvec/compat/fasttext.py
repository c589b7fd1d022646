"""gensim 4's fastText file functions: ``load_facebook_model``, ``load_facebook_vectors``,
``save_facebook_model``, over wordvec's reader and writer of fastText's ``.bin``.

Swap the import and keep the code::

    from gensim.models.fasttext import load_facebook_vectors    # before
    from wordvec.compat.fasttext import load_facebook_vectors   # after

    wv = load_facebook_vectors("cc.en.300.bin")   # the input matrix is memory-mapped
    wv["unseenword"], "unseenword" in wv          # a vector, True (bucket > 0)

Differences, deliberate: the input matrix is memory-mapped read-only, not read
(so opening a 7 GB model is instant and its rows cannot be edited in place);
``encoding`` must be UTF-8 (fastText's words are UTF-8); a quantized (``.ftz``)
or supervised model is refused with one line.

``load_facebook_model`` returns a :class:`FacebookModel`: the vectors (``wv``),
the output layer (``syn1neg`` or ``syn1``) and the training parameters under
gensim's names, enough to query, inspect and write the model again with
:func:`save_facebook_model`. Training it further needs the subword estimator
(``wordvec.FastText``), which builds on the same file reader.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..subwords.fasttext_bin import (
    FastTextArgs,
    FastTextModelFile,
    read_fasttext_bin,
    write_fasttext_bin,
)
from .fasttext_keyedvectors import FastTextKeyedVectors

__all__ = [
    "FastTextKeyedVectors",
    "FacebookModel",
    "load_facebook_model",
    "load_facebook_vectors",
    "save_facebook_model",
]

PathLike = str | os.PathLike[str]


def _check_encoding(encoding: str) -> None:
    try:
        name = codecs.lookup(encoding).name
    except (LookupError, TypeError):
        name = None
    if name != "utf-8":
        raise ConfigError(
            f"`encoding` must be 'utf-8' (fastText's words are UTF-8); got {encoding!r}."
        )


@dataclass
class FacebookModel:
    """A fastText model read from a ``.bin``, with gensim's attribute names.

    ``wv`` answers for any word; ``syn1neg`` (negative sampling) or ``syn1``
    (hierarchical softmax) is the output layer, one row per word; the rest are
    the training parameters as gensim names them (``sg``, ``hs``, ``negative``,
    ``window``, ``epochs``, ``min_count``, ``sample``, ``vector_size``...).
    """

    wv: FastTextKeyedVectors
    sg: int
    hs: int
    negative: int
    window: int
    epochs: int
    min_count: int
    sample: float
    corpus_total_words: int
    lr_update_rate: int = 100
    word_ngrams: int = 1
    syn1neg: np.ndarray | None = None
    syn1: np.ndarray | None = None
    file: FastTextModelFile | None = field(default=None, repr=False)

    @property
    def vector_size(self) -> int:
        return self.wv.vector_size

    @property
    def bucket(self) -> int:
        return self.wv.bucket

    @property
    def min_n(self) -> int:
        return self.wv.min_n

    @property
    def max_n(self) -> int:
        return self.wv.max_n

    def train(self, *args: Any, **kwargs: Any) -> None:
        raise ConfigError(
            "a model read by load_facebook_model here holds vectors and parameters only; "
            "train with wordvec.FastText (the subword estimator) instead"
        )

    @classmethod
    def _from_file(cls, f: FastTextModelFile) -> FacebookModel:
        a = f.args
        hs = int(a.loss == "hs")
        return cls(
            wv=FastTextKeyedVectors._from_subwords(f.vectors()),
            sg=int(a.model == "sg"),
            hs=hs,
            negative=a.neg,  # (gensim's reading: kept whatever the loss)
            window=a.ws,
            epochs=a.epoch,
            min_count=a.min_count,
            sample=a.t,
            corpus_total_words=f.ntokens,
            lr_update_rate=a.lr_update_rate,
            word_ngrams=a.word_ngrams,
            # gensim's: the output layer is syn1 with hs, syn1neg with negative > 0 (or both)
            syn1neg=f.output_matrix if a.neg else None,
            syn1=f.output_matrix if hs else None,
            file=f,
        )


def load_facebook_vectors(path: PathLike, encoding: str = "utf-8") -> FastTextKeyedVectors:
    """The word vectors of a fastText ``.bin`` (gensim's function; the matrix is mapped)."""
    _check_encoding(encoding)
    return FastTextKeyedVectors._from_subwords(read_fasttext_bin(path).vectors())


def load_facebook_model(path: PathLike, encoding: str = "utf-8") -> FacebookModel:
    """A fastText ``.bin``: vectors, output layer and parameters (see :class:`FacebookModel`)."""
    _check_encoding(encoding)
    return FacebookModel._from_file(read_fasttext_bin(path))


def save_facebook_model(
    model: Any,
    path: PathLike,
    encoding: str = "utf-8",
    lr_update_rate: int = 100,
    word_ngrams: int = 1,
) -> None:
    """Write ``model`` as fastText's ``.bin`` (gensim's function), atomically.

    ``model`` is anything with gensim's attributes: ``wv`` (a FastTextKeyedVectors),
    ``sg``, ``hs``, ``negative``, ``window``, ``epochs``, ``min_count``, ``sample``
    and the output layer ``syn1neg`` (negative sampling) or ``syn1`` (hierarchical
    softmax); ``corpus_total_words`` if it has it.
    """
    _check_encoding(encoding)
    wv = getattr(model, "wv", None)
    if not isinstance(wv, FastTextKeyedVectors):
        raise ConfigError(f"`model.wv` must be a FastTextKeyedVectors; got {type(wv).__name__}.")
    hs, negative = int(getattr(model, "hs", 0)), int(getattr(model, "negative", 0))
    output = getattr(model, "syn1neg", None) if negative else getattr(model, "syn1", None)
    if output is None:
        raise ConfigError(
            "the model has no output layer to save (`syn1neg` with negative > 0, or `syn1` "
            "with hs=1)"
        )
    args = FastTextArgs(
        dim=wv.vector_size,
        ws=int(model.window),
        epoch=int(model.epochs),
        min_count=int(model.min_count),
        neg=negative,
        word_ngrams=word_ngrams,
        loss="hs" if hs else "ns",
        model="sg" if int(model.sg) else "cbow",
        bucket=wv.bucket,
        minn=wv.min_n,
        maxn=wv.max_n,
        lr_update_rate=lr_update_rate,
        t=float(model.sample),
    )
    sub = wv.to_subwords()
    counts = sub.counts if sub.counts is not None else np.zeros(len(sub.words), np.int64)
    total = getattr(model, "corpus_total_words", None)
    write_fasttext_bin(
        path, args, sub.words, counts, sub.ngram_weights, output,
        ntokens=int(total) if total is not None else None,
    )  # fmt: skip
