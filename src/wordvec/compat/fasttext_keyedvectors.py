"""gensim 4's ``FastTextKeyedVectors`` over wordvec's SubwordVectors.

The names and behaviour are gensim's (``gensim.models.fasttext.FastTextKeyedVectors``):

* ``word in wv`` is true for *any* word when ``bucket > 0`` (every word has
  n-grams to build a vector from); ``wv.has_index_for(word)`` and
  ``word in wv.key_to_index`` test the vocabulary. (wordvec's own
  SubwordVectors keeps ``in`` for the vocabulary.)
* ``wv[word]`` / ``get_vector`` answer for any word; with ``bucket == 0`` an
  unseen word is a ``KeyError``; a word with no n-gram gets the zero vector.
* ``vectors`` (the vocabulary's composed vectors), ``vectors_vocab`` (the words'
  own rows), ``vectors_ngrams`` (the buckets), ``min_n``, ``max_n``, ``bucket``.
* the similarity queries (``similarity``, ``most_similar``, ``n_similarity``,
  ``doesnt_match``...) take unseen words, as gensim's do through ``get_vector``.

Differences, deliberate: ``"</s>"`` gets no n-grams (fastText's rule; gensim adds
them, so its vector of ``"</s>"`` differs from fastText's); ``vectors`` is composed
on first use instead of at load time (a 2M-word model opens at once); the
``vectors_vocab`` / ``vectors_ngrams`` views are read-only when the model is
memory-mapped; ``save`` / ``load`` use wordvec's native file (with the n-gram rows).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..subwords.keyed import SubwordVectors
from .keyedvectors import REAL, KeyedVectors, _unitvec

__all__ = ["FastTextKeyedVectors"]

logger = logging.getLogger(__name__)


class FastTextKeyedVectors(KeyedVectors):
    """gensim's ``FastTextKeyedVectors``: vocabulary vectors plus hashed n-gram rows.

    Parameters
    ----------
    vector_size, min_n, max_n, bucket : int
        As gensim's; the object starts with no words and ``bucket`` zero n-gram rows.
    count : int
        Must be 0 (as for :class:`~wordvec.compat.KeyedVectors`).
    """

    #: the native vectors this class wraps (``KeyedVectors.load`` returns this class for them)
    _native_kind = SubwordVectors

    def __init__(
        self,
        vector_size: int,
        min_n: int,
        max_n: int,
        bucket: int,
        count: int = 0,
        dtype: Any = REAL,
    ) -> None:
        super().__init__(vector_size, count=count, dtype=dtype)
        weights = np.zeros((bucket, int(vector_size)), dtype=np.float32)
        self._bind(SubwordVectors([], weights, min_n, max_n, bucket))

    @classmethod
    def _from_subwords(cls, sv: SubwordVectors) -> FastTextKeyedVectors:
        """A compat view sharing ``sv``'s words, index, counts and n-gram rows."""
        self = cls.__new__(cls)
        KeyedVectors._setup(self, [], np.zeros((0, sv.dim), np.float32), None)
        self.mapfile_path = None
        self._bind(sv)
        return self

    def _bind(self, sv: SubwordVectors) -> None:
        self._sub = sv
        self.words, self.key_to_index, self.counts = sv.words, sv.key_to_index, sv.counts
        self._source = sv._source
        self._own: np.ndarray | None = None  # vectors assigned by the user, if any

    def to_subwords(self) -> SubwordVectors:
        """wordvec's native object (``in`` is the vocabulary there; shares the arrays)."""
        return self._sub

    # ------------------------------------------------------------------ storage
    @property
    def _vectors(self) -> np.ndarray:
        if getattr(self, "_own", None) is not None:
            return self._own
        return self._sub.vectors

    @_vectors.setter
    def _vectors(self, value: np.ndarray) -> None:
        if hasattr(self, "_sub"):  # (before _bind: the base setup's empty array)
            self._own = value

    @property
    def dim(self) -> int:
        return self._sub.dim

    @property
    def min_n(self) -> int:
        return self._sub.minn

    @property
    def max_n(self) -> int:
        return self._sub.maxn

    @property
    def bucket(self) -> int:
        return self._sub.bucket

    @property
    def vectors_vocab(self) -> np.ndarray:
        """The words' own rows, shape (V, d) (a view of the n-gram weights)."""
        return self._sub.ngram_weights[: len(self.words)]

    @property
    def vectors_ngrams(self) -> np.ndarray:
        """The bucket rows, shape (bucket, d) (a view of the n-gram weights)."""
        return self._sub.ngram_weights[len(self.words) :]

    compatible_hash = True  # fastText's hash of bytes >= 0x80 (gensim >= 3.8)

    def __str__(self) -> str:
        return (
            f"{type(self).__name__}<vector_size={self.vector_size}, {len(self)} keys, "
            f"min_n={self.min_n}, max_n={self.max_n}, bucket={self.bucket}>"
        )

    # ------------------------------------------------------------------ any word
    def __contains__(self, word: object) -> bool:
        """True for any word when ``bucket > 0`` (gensim's rule); else the vocabulary."""
        if self.bucket == 0:
            return self.has_index_for(word)
        return True

    def get_vector(self, word: Any, norm: bool = False) -> np.ndarray:
        """The vector of any word (d,); ``norm``: unit length. KeyError for an unseen word
        without n-grams (``bucket == 0``)."""
        if isinstance(word, str) and word in self.key_to_index and self._own is None:
            vec = self._sub.word_vector(word)  # its rows only: no whole-vocabulary pass
            vec = _unitvec(vec) if norm else vec
            vec.setflags(write=False)
            return vec
        if self.has_index_for(word):
            return super().get_vector(word, norm=norm)
        if self.bucket == 0:
            raise KeyError("cannot calculate vector for OOV word without ngrams")
        if not isinstance(word, str):
            raise KeyError(str(word))
        vec = self._sub.word_vector(word)
        if not vec.any() and not self._sub.has_vector(word):
            logger.warning("could not extract any ngrams from %r, returning origin vector", word)
            return vec
        return _unitvec(vec) if norm else vec

    word_vec = get_vector

    def similarity(self, w1: Any, w2: Any) -> np.float32:
        """Cosine similarity of two words, seen or not (a ``np.float32``, as gensim returns)."""
        return np.float32(_unitvec(self[w1]) @ _unitvec(self[w2]))

    def add_vectors(self, *args: Any, **kwargs: Any) -> None:
        raise ConfigError(
            "FastTextKeyedVectors cannot take new vectors (a word's rows are its own and the "
            "shared n-gram buckets); train on a corpus holding the words instead."
        )

    add_vector = add_vectors

    # ------------------------------------------------------------------ files
    def save(self, fname: str | os.PathLike[str], **kwargs: Any) -> None:
        """Write wordvec's native file with the n-gram rows, atomically."""
        from . import _files

        _files.refuse_kwargs("FastTextKeyedVectors.save", kwargs)
        from ..vectors.formats import save

        save(self._sub, fname, format="native")

    @classmethod
    def load(cls, fname: str | os.PathLike[str], mmap: str | None = None) -> FastTextKeyedVectors:
        """Read a native file written by :meth:`save` (``mmap="r"``: mapped read-only).

        A file of gensim's ``save()`` is refused with the way over, and a whole model's
        file (``model.save``) with the way to its vectors."""
        from ..vectors.formats import load
        from . import _files

        _files.refuse_gensim_file(fname, "FastTextKeyedVectors")
        _refuse_model_file(fname)
        sv = load(fname, format="native", mmap=mmap is not None)
        if not isinstance(sv, SubwordVectors):
            raise ConfigError(
                f"{os.fspath(fname)} holds plain word vectors, not subword vectors; read it "
                "with wordvec.compat.KeyedVectors.load"
            )
        return cls._from_subwords(sv)


def _refuse_model_file(fname: str | os.PathLike[str]) -> None:
    """A whole model's file (``model.save``) given here: say how to get its vectors."""
    from ..errors import FormatError, WordvecError
    from ..files.container import read_container

    try:
        meta, _ = read_container(fname, mmap=True)
    except (WordvecError, OSError):
        return  # (the reader that follows says what is wrong with it)
    if meta.get("kind") in ("model", "checkpoint"):
        raise FormatError(
            f"{os.fspath(fname)}: holds a whole model, not word vectors; load it with "
            "wordvec.compat.FastText.load and use its .wv"
        )
