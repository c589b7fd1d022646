"""SubwordVectors: KeyedVectors that answer for any word, from its character n-gram rows.

A fastText model's input matrix has ``nwords + bucket`` rows: one per vocabulary
word, then the hashed n-gram buckets (:mod:`wordvec.subwords.ngrams`). A word's
vector is the mean of its rows, summed in float32 in fastText's order and scaled
by ``float32(1 / n)`` as fastText's ``getWordVector`` does:

* a vocabulary word: its own row and its n-gram rows (:func:`word_rows`);
* any other word: its n-gram rows alone (:func:`oov_rows`);
* a word with no row at all (no n-grams, e.g. a model with ``maxn=0``): zeros.

``vectors`` (the composed vectors of the vocabulary words, what ``.vec`` files
and neighbour searches need) is computed on first use by a compiled kernel over
the whole vocabulary's n-gram table; looking up one word, or the similarity of two,
reads only their rows, so a memory-mapped model answers those at once.

Membership
----------
``word in kv`` is *vocabulary* membership, as for :class:`KeyedVectors` (the
evaluation and the CLI read it as "seen in training"); every word still has a
vector (``kv["unseenword"]``). :meth:`has_vector` says whether a word has any row.
gensim's ``FastTextKeyedVectors``, whose ``in`` is true for any word when
``bucket > 0``, is :class:`wordvec.compat.FastTextKeyedVectors`.

Native files (``.wvec``) keep the n-gram rows (:func:`save_subword_vectors`); the
word2vec formats (``.vec``, ``.txt``) hold the composed vectors of the
vocabulary words only (through :func:`wordvec.save`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._version import __version__
from ..errors import ConfigError, FormatError, UnknownWordError
from ..files.container import decode_strings, encode_strings, read_container, write_container
from ..vectors.keyedvectors import KeyedVectors
from .ngrams import check_ngram_params, ngram_table, oov_rows, word_rows

__all__ = ["SubwordVectors", "save_subword_vectors", "subword_vectors_from_container", "KIND"]

#: ``meta["kind"]`` of a native file holding SubwordVectors.
KIND = "subword_vectors"
#: Version of that layout (arrays and meta below); a newer file is refused, not misread.
FORMAT_VERSION = 1

PathLike = str | os.PathLike[str]


class SubwordVectors(KeyedVectors):
    """Vocabulary words and the n-gram rows they share; any word gets a vector.

    Parameters
    ----------
    words : list of str, length V
        The vocabulary, in row order (fastText's: by count, most frequent first).
    ngram_weights : ndarray, shape (V + bucket, d)
        Rows 0..V-1: the words' own rows; rows V..V+bucket-1: the n-gram buckets.
        A float32 array (memory-mapped, read-only or unaligned too) is used as is,
        without a copy.
    minn, maxn : int
        Lengths of the character n-grams, in characters (``maxn=0``: none).
    bucket : int
        Number of hashed n-gram rows.
    counts : ndarray of int, shape (V,), optional
        Corpus frequency of each word.
    """

    def __init__(
        self,
        words: Sequence[str],
        ngram_weights: np.ndarray,
        minn: int,
        maxn: int,
        bucket: int,
        counts: np.ndarray | None = None,
    ) -> None:
        words = list(words)
        if words and set(map(type, words)) != {str}:
            for i, w in enumerate(words):
                if not isinstance(w, str):
                    raise ConfigError(f"`words` must hold only str; got {type(w).__name__} at {i}.")
        self._setup_subwords(words, ngram_weights, minn, maxn, bucket, counts)

    @classmethod
    def _from_decoded(  # type: ignore[override]
        cls, words, ngram_weights, minn, maxn, bucket, counts=None, key_to_index=None
    ):
        """Constructor for file readers whose ``words`` is a list of str they decoded
        (and ``key_to_index``, if they built it: its words are then known unique)."""
        self = cls.__new__(cls)
        self._setup_subwords(words, ngram_weights, minn, maxn, bucket, counts, key_to_index)
        return self

    def _setup_subwords(
        self, words, ngram_weights, minn, maxn, bucket, counts, key_to_index=None
    ) -> None:
        check_ngram_params(minn, maxn, bucket)
        weights = np.asarray(ngram_weights)
        if weights.ndim != 2 or weights.shape[0] != len(words) + bucket or weights.shape[1] < 1:
            raise ConfigError(
                f"`ngram_weights` must have shape (len(words) + bucket, d) = "
                f"({len(words) + bucket}, d); got {weights.shape}."
            )
        if weights.dtype.kind not in "fiu":
            raise ConfigError(f"`ngram_weights` must be numeric; got dtype {weights.dtype}.")
        if weights.dtype != np.float32:
            weights = weights.astype(np.float32)
        self.ngram_weights: np.ndarray = weights
        self.minn, self.maxn, self.bucket = int(minn), int(maxn), int(bucket)
        self._composed: np.ndarray | None = None
        # the base class's setup, with `vectors` left to be composed on first use
        self._setup(words, None, counts, key_to_index)

    # ------------------------------------------------------------------ storage
    def _check_vectors(self, vectors: Any) -> Any:
        if vectors is None:  # from _setup: composed lazily
            return None
        return super()._check_vectors(vectors)

    @property
    def _vectors(self) -> np.ndarray:
        """The composed vectors of the vocabulary words, shape (V, d), float32 (lazy)."""
        if self._composed is None:
            self._composed = self._compose_all()
        return self._composed

    @_vectors.setter
    def _vectors(self, value: np.ndarray | None) -> None:
        self._composed = value

    @property
    def vectors(self) -> np.ndarray:
        """ndarray, shape (V, d), float32: each vocabulary word's vector (the mean of its
        own row and its n-gram rows), computed on first use and cached."""
        return self._vectors

    @vectors.setter
    def vectors(self, value: np.ndarray) -> None:
        raise ConfigError(
            "the vectors of a SubwordVectors are composed from its `ngram_weights`; "
            "edit those rows instead of assigning `vectors`."
        )

    def _compose_all(self) -> np.ndarray:
        from .kernels import _compose  # numba, loaded only when vectors are composed

        offsets, rows = ngram_table(self.words, self.minn, self.maxn, self.bucket)
        out = np.empty((len(self.words), self.dim), dtype=np.float32)
        step = 1 << 16  # rows per kernel call: bounded latency, same result
        for lo in range(0, len(self.words), step):
            _compose(self.ngram_weights, offsets, rows, lo, out[lo : lo + step])
        return out

    @property
    def dim(self) -> int:
        """int: the vector dimension d."""
        return int(self.ngram_weights.shape[1])

    def __repr__(self) -> str:
        return (
            f"SubwordVectors({len(self)} words, dim={self.dim}, minn={self.minn}, "
            f"maxn={self.maxn}, bucket={self.bucket})"
        )

    # ------------------------------------------------------------------ any word's vector
    def rows_of(self, word: str) -> np.ndarray:
        """int64 rows of ``ngram_weights`` whose mean is the vector of ``word``."""
        if not isinstance(word, str):
            raise ConfigError(f"a word must be a str; got {type(word).__name__}.")
        i = self.key_to_index.get(word)
        n = len(self.words)
        if i is not None:
            return word_rows(word, i, n, self.minn, self.maxn, self.bucket)
        return oov_rows(word, n, self.minn, self.maxn, self.bucket)

    def has_vector(self, word: str) -> bool:
        """Whether ``word`` has any row (in the vocabulary, or with an n-gram); a word
        without one gets a zero vector."""
        return isinstance(word, str) and self.rows_of(word).size > 0

    def word_vector(self, word: str) -> np.ndarray:
        """The vector of any word, shape (d,), float32, a new array (see the module doc)."""
        i = self.key_to_index.get(word) if isinstance(word, str) else None
        if i is not None and self._composed is not None:
            return self._composed[i].copy()
        rows = self.rows_of(word)
        out = np.zeros(self.dim, dtype=np.float32)
        if rows.size:
            block = np.asarray(self.ngram_weights[rows], dtype=np.float32)
            for r in block:  # one row at a time, in fastText's order and precision
                out += r
            out *= np.float32(1.0 / rows.size)
        if not np.isfinite(out).all():
            where = f"{self._source}: " if self._source else ""
            err = FormatError if self._source else ConfigError
            raise err(f"{where}the vector of {word!r} holds a non-finite value")
        return out

    def __getitem__(self, word: str | Sequence[str]) -> np.ndarray:
        """The vector of any word, shape (d,), or of a list of words, shape (n, d)."""
        if isinstance(word, str):
            return self.word_vector(word)
        words = list(word)
        out = np.empty((len(words), self.dim), dtype=np.float32)
        for j, w in enumerate(words):
            out[j] = self.word_vector(w)
        return out

    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        """Vector of any word (d,); ``norm``: unit length (a zero vector stays zero)."""
        v = self.word_vector(word)
        return _unit(v) if norm else v

    # ------------------------------------------------------------------ queries for any word
    def _weighted_terms(self, items, what: str):
        """As KeyedVectors', but a word outside the vocabulary stands for its vector."""
        if items is None:
            return [], [], []
        if isinstance(items, (str, np.ndarray)):
            items = [items]

        def known(it):
            if isinstance(it, str) and it not in self.key_to_index:
                return _unit(self.word_vector(it))
            return it

        items = [
            (known(it[0]), *it[1:]) if isinstance(it, tuple) and it else known(it) for it in items
        ]
        return super()._weighted_terms(items, what)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words, in the vocabulary or not."""
        return float(_unit(self.word_vector(a)) @ _unit(self.word_vector(b)))

    def n_similarity(self, words1: Sequence[str], words2: Sequence[str]) -> float:
        """Cosine between the mean vectors of two word lists (any words)."""
        if isinstance(words1, str) or isinstance(words2, str) or not len(words1) or not len(words2):
            raise ConfigError(
                "`words1` and `words2` must be non-empty lists of words; "
                f"got {words1!r}, {words2!r}."
            )
        return float(_unit(self[words1].mean(axis=0)) @ _unit(self[words2].mean(axis=0)))

    def similarities(self, query, restrict_vocab: int | None = None) -> np.ndarray:
        """Cosine of a word (any) or a vector with every vocabulary word, shape (n,)."""
        return super().similarities(self._as_query(query), restrict_vocab)

    def distances(self, query, other_words: Sequence[str] | None = None) -> np.ndarray:
        """1 - cosine of a word (any) or vector with ``other_words`` (any words; default:
        every vocabulary word, in row order)."""
        q = _unit(np.asarray(self._as_query(query), dtype=np.float32))
        if other_words is None or len(other_words) == 0:
            return np.float32(1.0) - self.get_normed() @ q
        if isinstance(other_words, str):
            other_words = [other_words]
        others = np.array([_unit(v) for v in self[other_words]], dtype=np.float32)
        return np.float32(1.0) - others.reshape(-1, self.dim) @ q

    def doesnt_match(self, words: Sequence[str]) -> str:
        """The word of ``words`` (any) least similar to the mean of their unit vectors."""
        if isinstance(words, str) or len(words) == 0:
            raise ConfigError(f"`words` must be a non-empty list of words; got {words!r}.")
        rows = np.array([_unit(v) for v in self[words]], dtype=np.float32)
        mean = _unit(rows.mean(axis=0))
        return list(words)[int(np.argmin(rows @ mean))]

    def most_similar_to_given(self, word: str, candidates: Sequence[str]) -> str:
        """The candidate (any word) most similar to ``word`` (any word)."""
        if isinstance(candidates, str) or not len(candidates):
            raise ConfigError(
                f"`candidates` must be a non-empty list of words; got {candidates!r}."
            )
        q = _unit(self.word_vector(word))
        sims = np.array([_unit(v) @ q for v in self[candidates]])
        return list(candidates)[int(np.argmax(sims))]

    def closer_than(self, word1: str, word2: str) -> list[str]:
        """Vocabulary words more similar to ``word1`` than ``word2`` is (any words), in row
        order, ``word1`` itself left out."""
        sims = self.get_normed() @ _unit(self.word_vector(word1))
        limit = self.similarity(word1, word2)
        i1 = self.key_to_index.get(word1, -1)
        return [self.words[i] for i in np.flatnonzero(sims > limit).tolist() if i != i1]

    def rank(self, word1: str, word2: str) -> int:
        """Rank of ``word2`` among the neighbours of ``word1`` (1 = the nearest)."""
        return len(self.closer_than(word1, word2)) + 1

    def add_vectors(self, words, vectors, replace: bool = False) -> None:
        """Refused: a subword model's rows are its vocabulary's and buckets' (adding a
        word would shift every bucket row)."""
        raise ConfigError(
            "cannot add vectors to a SubwordVectors (its rows are the vocabulary's and the "
            "n-gram buckets'); convert it to KeyedVectors first: "
            "KeyedVectors(kv.words, kv.vectors, kv.counts)."
        )

    def _as_query(self, query):
        if isinstance(query, str) and query not in self.key_to_index:
            return self.word_vector(query)
        return query

    def get_index(self, word: str) -> int:
        """Row of a vocabulary word; a word outside it raises UnknownWordError (its vector
        is still ``kv[word]``)."""
        try:
            return self.key_to_index[word]
        except (KeyError, TypeError):
            raise UnknownWordError(str(word)) from None


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / np.float32(n)).astype(np.float32) if n > 0 else v.astype(np.float32)


# --------------------------------------------------------------------------- native files
def save_subword_vectors(kv: SubwordVectors, path: PathLike) -> None:
    """Write ``kv`` with its n-gram rows to a native container, atomically."""
    kv_weights = kv.ngram_weights
    with np.errstate(over="ignore", invalid="ignore"):
        if not np.isfinite(np.add.reduce(kv_weights.reshape(-1))):
            bad = int(np.flatnonzero(~np.isfinite(kv_weights).all(axis=1))[0])
            raise ConfigError(
                f"`ngram_weights` row {bad} holds a non-finite value; no file is written"
            )
    blob, offsets = encode_strings(kv.words)
    arrays = {"ngram_weights": kv_weights, "words_blob": blob, "words_offsets": offsets}
    if kv.counts is not None:
        arrays["counts"] = kv.counts
    meta = {
        "kind": KIND,
        "format_version": FORMAT_VERSION,
        "wordvec_version": __version__,
        "count": len(kv),
        "dim": kv.dim,
        "minn": kv.minn,
        "maxn": kv.maxn,
        "bucket": kv.bucket,
    }
    write_container(path, meta, arrays)


def subword_vectors_from_container(path: PathLike, meta: dict, arrays: dict) -> SubwordVectors:
    """SubwordVectors from a container read by :func:`read_container` (``meta["kind"] ==
    KIND``); anything inconsistent is a FormatError naming ``path``."""
    path = os.fspath(path)
    version = meta.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FormatError(f"{path}: meta 'format_version' must be an int >= 1; got {version!r}")
    if version > FORMAT_VERSION:
        raise FormatError(
            f"{path}: subword vectors format version {version} is newer than this wordvec "
            f"reads ({FORMAT_VERSION}); upgrade wordvec"
        )
    weights = arrays.get("ngram_weights")
    blob, offsets = arrays.get("words_blob"), arrays.get("words_offsets")
    if weights is None or blob is None or offsets is None:
        raise FormatError(
            f"{path}: needs the arrays 'ngram_weights', 'words_blob' and 'words_offsets'"
        )
    if weights.dtype != np.float32 or weights.ndim != 2:
        raise FormatError(
            f"{path}: 'ngram_weights' must be 2-D float32; got {weights.dtype} {weights.shape}"
        )
    params = {}
    for name in ("minn", "maxn", "bucket"):
        value = meta.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise FormatError(f"{path}: meta {name!r} must be an int; got {value!r}")
        params[name] = value
    try:
        check_ngram_params(params["minn"], params["maxn"], params["bucket"])
    except ConfigError as exc:
        raise FormatError(f"{path}: {exc}") from None
    n = offsets.shape[0] - 1 if offsets.ndim == 1 else -1
    if n < 0 or weights.shape[0] != n + params["bucket"]:
        raise FormatError(
            f"{path}: {weights.shape[0]} n-gram rows, but {n} words + bucket "
            f"{params['bucket']} need {n + params['bucket']}"
        )
    words = decode_strings(blob, offsets, source=f"{path}: array 'words_blob'")
    counts = arrays.get("counts")
    if counts is not None and (counts.shape != (n,) or counts.dtype.kind not in "iu"):
        raise FormatError(f"{path}: 'counts' must be {n} ints; got {counts.dtype} {counts.shape}")
    try:
        kv = SubwordVectors._from_decoded(
            words, weights, params["minn"], params["maxn"], params["bucket"], counts
        )
    except ConfigError as exc:
        raise FormatError(f"{path}: {exc}") from None
    kv._source = path
    return kv


def load_subword_vectors(path: PathLike, mmap: bool = True) -> SubwordVectors:
    """Read a native file written by :func:`save_subword_vectors`."""
    meta, arrays = read_container(path, mmap=mmap)
    if meta.get("kind") != KIND:
        raise FormatError(f"{os.fspath(path)}: holds kind {meta.get('kind')!r}, not {KIND!r}")
    return subword_vectors_from_container(path, meta, arrays)
