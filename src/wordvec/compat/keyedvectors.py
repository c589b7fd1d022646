"""``KeyedVectors`` with gensim 4.x's names, arguments and results, over wordvec's vectors.

A subclass of :class:`wordvec.vectors.KeyedVectors`, so one object works with
gensim-shaped code and with wordvec (``wordvec.evaluate``, ``wordvec.save``,
``wordvec.plot``). Results agree with gensim's to float32 precision on the same
vectors (the tests run both). Differences, all deliberate:

* ``load`` / ``save`` use wordvec's native file format; a file written by
  gensim's ``save()`` is refused with the way over (see :mod:`wordvec.compat.convert`).
* ``most_similar_cosmul`` honours ``restrict_vocab`` (gensim 4.4 ignores it).
* ``similarity`` and the ``most_similar`` family read the cached unit vectors:
  the same cosines, rounded in a different order (differences below 1e-6).
* ``wmdistance`` and ``intersect_word2vec_format`` are not provided (each raises
  an error saying so), nor is ``KeyedVectors(vector_size, count > 0)``
  preallocation; ``add_vectors`` covers it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from numbers import Integral
from typing import Any

import numpy as np

from ..errors import ConfigError, UnknownWordError
from ..vectors import neighbours
from ..vectors.keyedvectors import KeyedVectors as _NativeKeyedVectors
from . import _evaluation, _files
from ._editing import _EditingMixin

__all__ = ["KeyedVectors"]

logger = logging.getLogger(__name__)

REAL = np.float32
_KEY_TYPES = (str, int, np.integer)


def _ensure_list(value: Any) -> list:
    """gensim's reading of ``positive`` / ``negative``: one key or vector, or a list."""
    if value is None:
        return []
    if isinstance(value, _KEY_TYPES) or (isinstance(value, np.ndarray) and value.ndim == 1):
        return [value]
    if isinstance(value, np.ndarray) and value.ndim == 2:
        return list(value)
    return list(value)


def _unitvec(v: np.ndarray) -> np.ndarray:
    n = neighbours.vector_norm(v)  # (float64: finite float32 vectors never overflow it)
    return (v / n).astype(v.dtype, copy=False) if n > 0 else v


class KeyedVectors(_EditingMixin, _NativeKeyedVectors):
    """gensim's ``KeyedVectors``: keys (words), their vectors, and similarity queries.

    Parameters
    ----------
    vector_size : int
        Dimension of the vectors; the object starts empty (fill it with
        :meth:`add_vectors`, or use :meth:`load_word2vec_format` / :meth:`load`).
    count : int
        Must be 0 (gensim's preallocation is not supported; ``add_vectors`` is).
    dtype : numpy dtype
        Must be float32.
    """

    def __init__(
        self, vector_size: int, count: int = 0, dtype: Any = REAL, mapfile_path: Any = None
    ) -> None:
        if isinstance(vector_size, bool) or not isinstance(vector_size, Integral):
            raise ConfigError(f"`vector_size` must be an int >= 1; got {vector_size!r}.")
        if vector_size < 1:
            raise ConfigError(f"`vector_size` must be an int >= 1; got {vector_size!r}.")
        unsupported = []
        if count:
            unsupported.append(f"count={count!r} (preallocation; use add_vectors)")
        if np.dtype(dtype) != np.float32:
            unsupported.append(f"dtype={np.dtype(dtype).name} (vectors are float32)")
        if unsupported:
            raise ConfigError(
                "KeyedVectors does not support " + ", ".join(unsupported) + " in wordvec.compat."
            )
        self._setup([], np.zeros((0, int(vector_size)), np.float32), None)
        self.mapfile_path = mapfile_path

    def _setup(self, words: list[str], vectors: Any, counts: Any) -> None:
        super()._setup(words, vectors, counts)
        self._attrs: dict[str, np.ndarray] = {}  # gensim's "expandos" other than "count"
        self._norms: np.ndarray | None = None

    @classmethod
    def _from_native(cls, kv: _NativeKeyedVectors) -> KeyedVectors:
        """A compat view sharing ``kv``'s word list, index and arrays."""
        if isinstance(kv, cls):
            return kv
        self = cls.__new__(cls)
        _NativeKeyedVectors._setup(self, [], np.zeros((0, kv.dim), np.float32), None)
        self.words, self.key_to_index, self.counts = kv.words, kv.key_to_index, kv.counts
        self._vectors = kv.vectors
        self._attrs, self._norms, self.mapfile_path = {}, None, None
        return self

    def _replace(self, words: list[str], vectors: np.ndarray, counts: np.ndarray | None) -> None:
        """Take new contents in place (the model's ``wv`` keeps its identity)."""
        attrs = self._attrs
        self._setup(words, vectors, counts)
        for key, values in attrs.items():  # new words (appended by an update) get zeros
            if len(values) <= len(words):
                grown = np.zeros(len(words), dtype=values.dtype)
                grown[: len(values)] = values
                self._attrs[key] = grown

    def _invalidate(self) -> None:
        """The vectors changed in place: drop the norms and unit vectors computed so far."""
        self._normed = None
        self._norms = None

    # ------------------------------------------------------------------ gensim's attributes
    @property
    def vectors(self) -> np.ndarray:
        """ndarray (V, vector_size), float32, row i the vector of ``index_to_key[i]``."""
        return self._vectors

    @vectors.setter
    def vectors(self, value: np.ndarray) -> None:
        self._vectors = self._check_vectors(value)
        self._invalidate()

    @property
    def index_to_key(self) -> list[str]:
        """The keys in row order (wordvec's ``words``)."""
        return self.words

    @property
    def vector_size(self) -> int:
        """The dimension of the vectors (wordvec's ``dim``)."""
        return self.dim

    @property
    def norms(self) -> np.ndarray | None:
        """L2 norm of each vector once :meth:`fill_norms` has run, else None."""
        return self._norms

    @norms.setter
    def norms(self, value: np.ndarray | None) -> None:
        self._normed = None
        self._norms = None if value is None else np.asarray(value)

    @property
    def expandos(self) -> dict[str, np.ndarray]:
        """The per-key attributes (``"count"`` and those set by :meth:`set_vecattr`)."""
        out = {} if self.counts is None else {"count": self.counts}
        out.update(self._attrs)
        return out

    @property
    def vectors_norm(self):
        raise AttributeError(
            "`vectors_norm` is no attribute since gensim 4.0.0 (the unit vectors are "
            "computed when needed): use get_normed_vectors() instead."
        )

    @property
    def vocab(self):
        raise AttributeError(
            "The vocab attribute was removed from KeyedVectors in gensim 4.0.0: use "
            "key_to_index, index_to_key and get_vecattr(key, 'count')."
        )

    def __str__(self) -> str:
        return f"{type(self).__name__}<vector_size={self.vector_size}, {len(self)} keys>"

    def __len__(self) -> int:
        return len(self.words)

    # ------------------------------------------------------------------ lookups
    def get_index(self, key: Any, default: int | None = None) -> int:
        """Row of ``key``; an int not a key is taken as a row; else ``default`` or KeyError."""
        try:
            i = self.key_to_index.get(key, -1)
        except TypeError:  # an unhashable key
            i = -1
        if i >= 0:
            return i
        if (
            isinstance(key, (int, np.integer))
            and not isinstance(key, bool)
            and 0 <= key < len(self.words)
        ):
            return int(key)
        if default is not None:
            return default
        raise UnknownWordError(str(key))

    def has_index_for(self, key: Any) -> bool:
        return self.get_index(key, -1) >= 0

    def __contains__(self, key: object) -> bool:
        return self.has_index_for(key)

    def __getitem__(self, key_or_keys: Any) -> np.ndarray:
        """Vector of one key (d,), or of a list of keys (n, d)."""
        if isinstance(key_or_keys, _KEY_TYPES):
            return self.get_vector(key_or_keys)
        return np.vstack([self.get_vector(key) for key in key_or_keys])

    def get_vector(self, key: Any, norm: bool = False) -> np.ndarray:
        """The key's vector (d,), read-only; with ``norm`` divided by its L2 norm."""
        index = self.get_index(key)
        if norm:
            self.fill_norms()
            result = self.vectors[index] / self._norms[index]
        else:
            result = self.vectors[index].view()
        result.setflags(write=False)
        return result

    word_vec = get_vector

    def get_vecattr(self, key: Any, attr: str) -> Any:
        """A per-key attribute, e.g. ``get_vecattr("king", "count")``."""
        values = self.expandos.get(attr)
        if values is None:
            raise KeyError(attr)
        return values[self.get_index(key)]

    def set_vecattr(self, key: Any, attr: str, val: Any) -> None:
        """Set a per-key attribute (``"count"`` is the word count wordvec keeps)."""
        index = self.get_index(key)
        if attr == "count":
            if self.counts is None:
                self.counts = np.zeros(len(self), np.int64)
            self.counts[index] = val
            return
        if attr not in self._attrs:
            dtype = np.int64 if isinstance(val, (int, np.integer)) else np.asarray(val).dtype
            self._attrs[attr] = np.zeros(len(self), dtype=dtype)
        self._attrs[attr][index] = val

    def fill_norms(self, force: bool = False) -> None:
        """Compute the L2 norm of every vector (again, with ``force``)."""
        if self._norms is None or force:
            if force:
                self._normed = None
            self._norms = np.linalg.norm(self.vectors, axis=1)

    def get_normed_vectors(self) -> np.ndarray:
        """A new (V, d) array of the vectors divided by their norms."""
        self.fill_norms()
        return self.vectors / self._norms[..., np.newaxis]

    def init_sims(self, replace: bool = False) -> None:
        """Deprecated in gensim 4: :meth:`fill_norms`; ``replace`` normalises in place."""
        self.fill_norms()
        if replace:
            self.unit_normalize_all()

    def unit_normalize_all(self) -> None:
        """Scale every vector to unit length, in place (training cannot sensibly go on)."""
        self.fill_norms()
        norms = self._norms.astype(np.float32)
        self.vectors /= np.where(norms > 0, norms, 1.0)[:, np.newaxis]
        self._normed = None
        self._norms = np.ones(len(self.vectors), dtype=np.float32)

    def get_mean_vector(
        self,
        keys: Any,
        weights: Any = None,
        pre_normalize: bool = True,
        post_normalize: bool = False,
        ignore_missing: bool = True,
    ) -> np.ndarray:
        """Weighted mean of the vectors of keys (or given vectors), as gensim computes it."""
        if len(keys) == 0:
            raise ValueError("cannot compute mean with no input")
        if isinstance(weights, list):
            weights = np.array(weights, dtype=REAL)
        if weights is None:
            weights = np.ones(len(keys), dtype=REAL)
        if len(keys) != weights.shape[0]:
            raise ValueError("keys and weights array must have same number of elements")
        mean = np.zeros(self.vector_size, REAL)
        total = 0.0
        for idx, key in enumerate(keys):
            if isinstance(key, np.ndarray):
                mean += weights[idx] * key
                total += abs(weights[idx])
            elif key in self:
                mean += weights[idx] * self.get_vector(key, norm=pre_normalize)
                total += abs(weights[idx])
            elif not ignore_missing:
                raise UnknownWordError(str(key))
        if total > 0:
            mean = mean / total
        if post_normalize:
            mean = _unitvec(mean).astype(REAL)
        return mean

    # ------------------------------------------------------------------ similarity queries
    def similarity(self, w1: Any, w2: Any) -> np.float32:
        """Cosine similarity of two keys (a ``np.float32``, as gensim returns)."""
        normed = self.get_normed()
        return np.float32(normed[self.get_index(w1)] @ normed[self.get_index(w2)])

    def distance(self, w1: Any, w2: Any) -> np.float32:
        """Cosine distance, 1 - :meth:`similarity` (a ``np.float32``, as gensim returns)."""
        return np.float32(1) - self.similarity(w1, w2)

    def _top_pairs(self, dists: np.ndarray, exclude: Iterable[int], topn: int, offset: int = 0):
        scores = np.array(dists, dtype=np.float32)
        skip = [i - offset for i in exclude if 0 <= i - offset < scores.size]
        scores[skip] = -np.inf
        idx, vals = neighbours.top_k(scores[None, :], topn)
        return [
            (self.words[i + offset], float(s))
            for i, s in zip(idx[0].tolist(), vals[0].tolist(), strict=True)
            if s != -np.inf
        ]

    def most_similar(
        self,
        positive: Any = None,
        negative: Any = None,
        topn: int | None = 10,
        clip_start: int = 0,
        clip_end: int | None = None,
        restrict_vocab: int | None = None,
        indexer: Any = None,
    ):
        """Top-``topn`` keys by cosine with the mean of the positive minus the negative keys.

        Keys may be given with weights as ``(key, weight)`` pairs, and as raw vectors.
        With ``topn=None`` the similarity of every key (in the searched range, input
        keys included) comes back as a float32 array, as in gensim. The search is the
        native :meth:`wordvec.vectors.KeyedVectors.most_similar` over the first
        ``clip_end`` rows, given the terms as gensim weighs them (:meth:`_gensim_terms`).
        """
        if indexer is not None:
            raise ConfigError(
                "`indexer` (approximate nearest neighbours) is not supported by wordvec.compat; "
                "the exact search is one matrix product over the cached unit vectors."
            )
        if isinstance(topn, Integral) and topn < 1:
            return []
        terms = self._gensim_terms(_ensure_list(positive), _ensure_list(negative))
        clip_end = clip_end or len(self.vectors)
        if restrict_vocab:
            clip_start, clip_end = 0, restrict_vocab
        if clip_start == 0:
            top = int(topn) if topn else None
            return super().most_similar(terms, topn=top, restrict_vocab=int(clip_end))
        dists = super().most_similar(terms, topn=None, restrict_vocab=int(clip_end))[clip_start:]
        if not topn:
            return dists
        exclude = [self.get_index(t) for t, _ in terms if isinstance(t, str)]
        return self._top_pairs(dists, exclude, int(topn), clip_start)

    def _gensim_terms(self, positive: list, negative: list) -> list[tuple[Any, float]]:
        """gensim's ``most_similar`` terms as native ``(word or vector, weight)`` pairs.

        gensim reads them thus: weight 1 for a positive term, -1 for a negative one, or
        the weight of a ``(term, weight)`` pair, in ``negative`` too (not negated); a
        key's unit vector but a raw vector as given, which the native side normalises,
        so its weight carries its norm; an int key is a row; a word of a fastText model
        that is no key counts by its n-gram vector and is not left out of the answer.
        The native query is then the direction of gensim's weighted mean.
        """
        terms = []
        for sign, items in ((1.0, positive), (-1.0, negative)):
            for item in items:
                weight = sign
                if not isinstance(item, (str, int, np.integer, np.ndarray)):
                    item, weight = item[0], float(item[1])
                if not isinstance(item, np.ndarray) and self.has_index_for(item):
                    terms.append((self.words[self.get_index(item)], weight))
                    continue
                if not isinstance(item, np.ndarray):
                    if item not in self:  # (a fastText word is, by its n-grams)
                        raise UnknownWordError(str(item))
                    item = self.get_vector(item, norm=True)  # a term, not left out
                terms.append((item, weight * neighbours.vector_norm(item)))
        if not terms:
            raise ValueError("cannot compute mean with no input")
        return terms

    def similar_by_key(self, key: Any, topn: int | None = 10, restrict_vocab: int | None = None):
        """Top-``topn`` keys most similar to ``key``."""
        return self.most_similar(positive=[key], topn=topn, restrict_vocab=restrict_vocab)

    def similar_by_word(self, word: Any, topn: int | None = 10, restrict_vocab: int | None = None):
        """Alias of :meth:`similar_by_key`."""
        return self.similar_by_key(word, topn, restrict_vocab)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int | None = 10, restrict_vocab: int | None = None
    ):
        """Top-``topn`` keys most similar to a vector."""
        return self.most_similar(positive=[vector], topn=topn, restrict_vocab=restrict_vocab)

    def most_similar_cosmul(
        self,
        positive: Any = None,
        negative: Any = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
    ):
        """3CosMul (Levy & Goldberg 2014) as gensim computes it: epsilon 1e-6, keys as unit
        vectors, raw vectors as given; ``restrict_vocab`` limits the search."""
        if isinstance(topn, Integral) and topn < 1:
            return []
        positive = _ensure_list(positive)
        negative = _ensure_list(negative)
        exclude = {
            self.get_index(w)
            for w in positive + negative
            if not isinstance(w, np.ndarray) and self.has_index_for(w)
        }
        pos = [self.get_vector(w, norm=True) if isinstance(w, str) else w for w in positive]
        neg = [self.get_vector(w, norm=True) if isinstance(w, str) else w for w in negative]
        if not pos:
            raise ValueError("cannot compute similarity with no input")
        n = len(self) if not restrict_vocab else min(int(restrict_vocab), len(self))
        normed = self.get_normed()[:n]
        pos_d = [(1 + normed @ np.asarray(t, dtype=REAL)) / 2 for t in pos]
        neg_d = [(1 + normed @ np.asarray(t, dtype=REAL)) / 2 for t in neg]
        dists = np.prod(pos_d, axis=0) / (np.prod(neg_d, axis=0) + 0.000001)
        if not topn:
            return dists
        return self._top_pairs(dists, exclude, int(topn))

    def rank_by_centrality(self, words: Sequence[Any], use_norm: bool = True):
        """``(similarity, word)`` pairs, most similar to the centroid first; unknown words
        are left out with a warning."""
        used = [w for w in words if w in self]
        if len(used) != len(words):
            logger.warning(
                "vectors for words %s are not present in the model, ignoring these words",
                set(words) - set(used),
            )
        if not used:
            raise ValueError("cannot select a word from an empty list")
        vectors = np.vstack([self.get_vector(w, norm=use_norm) for w in used]).astype(REAL)
        mean = self.get_mean_vector(vectors, post_normalize=True)
        dists = vectors @ mean
        return sorted(zip(dists, used), reverse=True)  # noqa: B905

    def doesnt_match(self, words: Sequence[Any]) -> Any:
        """The word furthest from the centroid of ``words`` (unknown words ignored)."""
        return self.rank_by_centrality(words)[-1][1]

    @staticmethod
    def cosine_similarities(vector_1: np.ndarray, vectors_all: np.ndarray) -> np.ndarray:
        """Cosine of ``vector_1`` (d,) with each row of ``vectors_all`` (n, d)."""
        return neighbours.cosine_similarities(vector_1, vectors_all)

    def distances(self, word_or_vector: Any, other_words: Sequence[Any] = ()) -> np.ndarray:
        """Cosine distances from a key or vector to ``other_words`` (default: every key)."""
        if isinstance(word_or_vector, _KEY_TYPES):
            query = self.get_vector(word_or_vector)
        else:
            query = word_or_vector
        if not other_words:
            others = self.vectors
        else:
            others = self.vectors[[self.get_index(w) for w in other_words]]
        return 1 - self.cosine_similarities(query, others)

    def n_similarity(self, ws1: Sequence[Any], ws2: Sequence[Any]) -> np.float32:
        """Cosine between the means of two key lists' raw vectors (unknown keys ignored,
        as gensim does)."""
        if not (len(ws1) and len(ws2)):
            raise ZeroDivisionError("At least one of the passed list is empty.")
        mean1 = self.get_mean_vector(ws1, pre_normalize=False)
        mean2 = self.get_mean_vector(ws2, pre_normalize=False)
        return np.float32(_unitvec(mean1) @ _unitvec(mean2))  # (gensim's return type)

    def closer_than(self, key1: Any, key2: Any) -> list:
        """Keys closer to ``key1`` than ``key2`` is, in index order."""
        all_distances = self.distances(key1)
        e1, e2 = self.get_index(key1), self.get_index(key2)
        closer = np.where(all_distances < all_distances[e2])[0]
        return [self.words[i] for i in closer.tolist() if i != e1]

    words_closer_than = closer_than

    def rank(self, key1: Any, key2: Any) -> int:
        """Rank of ``key2`` by distance from ``key1`` (1 = nearest)."""
        return len(self.closer_than(key1, key2)) + 1

    def most_similar_to_given(self, key1: Any, keys_list: Sequence[Any]) -> Any:
        """The key of ``keys_list`` most similar to ``key1``."""
        return keys_list[int(np.argmax([self.similarity(key1, k) for k in keys_list]))]

    def relative_cosine_similarity(self, wa: Any, wb: Any, topn: int = 10) -> float:
        """similarity(wa, wb) / sum of wa's top-``topn`` similarities (Leeuwenberg et al.)."""
        sims = self.similar_by_word(wa, topn)
        if not sims:
            raise ValueError(
                "Cannot calculate relative cosine similarity without any similar words."
            )
        return float(self.similarity(wa, wb)) / sum(s for _, s in sims)

    def wmdistance(self, document1: Any, document2: Any, norm: bool = True) -> float:
        raise NotImplementedError(
            "wmdistance (Word Mover's Distance) is not available in wordvec.compat: it needs "
            "an optimal-transport solver (POT); use gensim for it."
        )

    def intersect_word2vec_format(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            "intersect_word2vec_format (locked vectors during training) is not available in "
            "wordvec.compat."
        )

    # ------------------------------------------------------------------ evaluation
    def evaluate_word_analogies(
        self,
        analogies: str | os.PathLike[str],
        restrict_vocab: int = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
        similarity_function: str = "most_similar",
    ):
        """``(score, sections)`` exactly as gensim returns them; see
        :func:`wordvec.compat._evaluation.evaluate_word_analogies`."""
        return _evaluation.evaluate_word_analogies(
            self, analogies, restrict_vocab, case_insensitive, dummy4unknown, similarity_function
        )

    def evaluate_word_pairs(
        self,
        pairs: str | os.PathLike[str],
        delimiter: str = "\t",
        encoding: str = "utf8",
        restrict_vocab: int = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
    ):
        """``(pearson, spearman, oov_ratio)`` as gensim returns them; the correlations are
        :class:`~wordvec.compat._stats.Correlation` tuples (``[0]``, ``.correlation``)."""
        return _evaluation.evaluate_word_pairs(
            self, pairs, delimiter, encoding, restrict_vocab, case_insensitive, dummy4unknown
        )

    # ------------------------------------------------------------------ files
    def save(self, fname: str | os.PathLike[str], **kwargs: Any) -> None:
        """Write wordvec's native vectors file (words, vectors, counts), atomically."""
        _files.refuse_kwargs("KeyedVectors.save", kwargs)
        from ..vectors.formats import save

        save(self, fname, format="native")

    @classmethod
    def load(cls, fname: str | os.PathLike[str], mmap: str | None = None) -> KeyedVectors:
        """Read a native vectors file (``mmap="r"`` maps it read-only instead of reading).

        Subword vectors (``model.wv.save`` of a FastText) come back as
        :class:`~wordvec.compat.FastTextKeyedVectors`, as gensim's ``load`` returns the
        class that was saved."""
        from ..vectors.formats import load

        _files.refuse_gensim_file(fname, "KeyedVectors")
        native = load(fname, format="native", mmap=mmap is not None)
        for sub in cls.__subclasses__():  # FastTextKeyedVectors for subword vectors
            kind = getattr(sub, "_native_kind", None)
            if kind is not None and isinstance(native, kind):
                return sub._from_subwords(native)
        return cls._from_native(native)

    def save_word2vec_format(
        self,
        fname: str | os.PathLike[str],
        fvocab: str | os.PathLike[str] | None = None,
        binary: bool = False,
        total_vec: int | None = None,
        write_header: bool = True,
        prefix: str = "",
        append: bool = False,
        sort_attr: str = "count",
    ) -> None:
        """word2vec C text (or ``binary``) file, keys sorted by ``sort_attr`` (descending)
        when the vectors have it; ``fvocab`` also writes ``key count`` lines."""
        _files.save_word2vec_format(
            self, fname, fvocab, binary, total_vec, write_header, prefix, append, sort_attr
        )

    @classmethod
    def load_word2vec_format(
        cls,
        fname: str | os.PathLike[str],
        fvocab: str | os.PathLike[str] | None = None,
        binary: bool = False,
        encoding: str = "utf8",
        unicode_errors: str = "strict",
        limit: int | None = None,
        datatype: Any = REAL,
        no_header: bool = False,
    ) -> KeyedVectors:
        """Read a word2vec C text or ``binary`` file (``.gz`` / ``.bz2`` too); ``limit``
        keeps the first vectors, ``fvocab`` reads counts from ``key count`` lines."""
        kv = _files.load_word2vec_format(
            fname, fvocab, binary, encoding, unicode_errors, limit, datatype, no_header
        )
        return cls._from_native(kv)
