"""KeyedVectors: a vocabulary, its vectors, and nearest-neighbour queries.

Every similarity here is a cosine: the rows are normalised to unit length once
(:meth:`KeyedVectors.get_normed`) and a query becomes one matrix product with
that cached matrix. The batched methods (``*_batch``) answer many queries at
once as a matrix product, in chunks whose score matrix stays near
:data:`~wordvec.vectors.neighbours.CHUNK_BYTES` so that memory is bounded whatever
the number of queries. The array work (unit rows, top-k, chunk sizes, the analogy
methods 3CosAdd and 3CosMul) is in :mod:`~wordvec.vectors.neighbours`; the
queries beyond the basic ones are free functions in :mod:`~wordvec.vectors.queries`
that the methods here delegate to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError, FormatError, UnknownWordError
from . import neighbours, queries
from .neighbours import ANALOGY_METHODS, COSMUL_EPSILON, check_topn, search_rows

__all__ = ["KeyedVectors", "ANALOGY_METHODS"]

WordOrVector = str | np.ndarray


class KeyedVectors:
    """Words, their vectors (and optionally their corpus counts), with cosine queries.

    Parameters
    ----------
    words : list of str, length V
        The vocabulary; ``words[i]`` is the word of row ``i``. Must be unique.
    vectors : ndarray, shape (V, d)
        One row per word. Stored as float32 (converted if needed; a float32
        array, memory-mapped or not, is kept as is without a copy).
    counts : ndarray of int, shape (V,), optional
        Corpus frequency of each word (the vocabulary is usually sorted by it,
        most frequent first, which is what ``restrict_vocab`` relies on).

    Notes
    -----
    Assigning ``kv.vectors = new`` drops the cached unit vectors. Editing the
    array in place does not: reassign it afterwards (``kv.vectors = kv.vectors``).

    No query uses a NaN or infinite vector: the first one that needs every row
    (all but word lookups) checks them all, once (:meth:`check_finite`), and a
    lookup checks the rows it returns. A damaged row raises
    :class:`~wordvec.errors.FormatError` naming the file for vectors loaded from
    one (a memory-mapped file can be damaged after it was written), else
    :class:`~wordvec.errors.ConfigError`.
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: np.ndarray,
        counts: np.ndarray | None = None,
    ) -> None:
        words = list(words)
        if words and set(map(type, words)) != {str}:  # one C-level pass instead of a loop
            for i, w in enumerate(words):
                if not isinstance(w, str):
                    raise ConfigError(f"`words` must hold only str; got {type(w).__name__} at {i}.")
        self._setup(words, vectors, counts)

    @classmethod
    def _from_decoded(
        cls, words: list[str], vectors: np.ndarray, counts: np.ndarray | None = None
    ) -> KeyedVectors:
        """Constructor for file readers whose ``words`` is a list of str they decoded."""
        self = cls.__new__(cls)
        self._setup(words, vectors, counts)
        return self

    def _setup(
        self, words: list[str], vectors: Any, counts: Any, key_to_index: dict | None = None
    ) -> None:
        # (a reader that built the index already passes it: no second pass over the words)
        if key_to_index is None:
            key_to_index = dict(zip(words, range(len(words)), strict=True))
        if len(key_to_index) != len(words):
            seen: dict[str, int] = {}
            for i, w in enumerate(words):
                if w in seen:
                    raise ConfigError(
                        f"`words` must be unique; got {w!r} at positions {seen[w]} and {i}."
                    )
                seen[w] = i
        self.words: list[str] = words
        self.key_to_index: dict[str, int] = key_to_index
        self._normed: np.ndarray | None = None
        self._finite: bool | None = None  # None: not checked yet
        self._source: str | None = None  # the file the vectors came from, if any
        self._vectors = self._check_vectors(vectors)
        if counts is not None:
            counts = np.asarray(counts)
            if counts.shape != (len(words),) or counts.dtype.kind not in "iu":
                raise ConfigError(
                    f"`counts` must be an int array of shape ({len(words)},); "
                    f"got {counts.dtype} {counts.shape}."
                )
            counts = counts.astype(np.int64, copy=False)
        self.counts: np.ndarray | None = counts

    # ------------------------------------------------------------------ storage
    def _check_vectors(self, vectors: Any) -> np.ndarray:
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(self.words):
            raise ConfigError(
                f"`vectors` must be a 2-D array with one row per word ({len(self.words)}); "
                f"got shape {vectors.shape}."
            )
        if vectors.dtype.kind not in "fiu":
            raise ConfigError(f"`vectors` must be numeric; got dtype {vectors.dtype}.")
        if vectors.dtype != np.float32:
            vectors = vectors.astype(np.float32)
        return vectors

    @property
    def vectors(self) -> np.ndarray:
        """ndarray, shape (V, d), float32: the raw (not normalised) vectors."""
        return self._vectors

    @vectors.setter
    def vectors(self, value: np.ndarray) -> None:
        self._vectors = self._check_vectors(value)
        self._normed = None  # the cache belongs to the old array
        self._finite = None
        self._source = None

    def check_finite(self) -> None:
        """Raise unless every vector is finite (no NaN, no infinity); checked once.

        Raises
        ------
        FormatError
            For vectors loaded from a file (named), e.g. one damaged after it was
            written and memory-mapped.
        ConfigError
            Otherwise.
        """
        if self._finite:
            return
        v = self._vectors
        step = max(1, neighbours.CHUNK_BYTES // max(1, 4 * v.shape[1]))
        for lo in range(0, v.shape[0], step):
            self._check_rows(np.asarray(v[lo : lo + step]), lo)
        self._finite = True

    def _check_rows(self, block: np.ndarray, first: int, rows: np.ndarray | None = None) -> None:
        """Raise if ``block`` (rows ``first``... of the vectors, or ``rows``) is not finite."""
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isfinite(np.add.reduce(block, axis=None)):  # NaN and inf survive a sum
                return
        bad = np.flatnonzero(~np.isfinite(block).all(axis=1))
        if not bad.size:
            return  # only the sum overflowed
        i = int(bad[0])
        row = int(rows[i]) if rows is not None else first + i
        value = block[i][~np.isfinite(block[i])][0]
        if self._source is not None:
            raise FormatError(
                f"{self._source}: the vector of {self.words[row]!r} (row {row}) holds a "
                f"non-finite value ({value}); the file is damaged"
            )
        raise ConfigError(
            f"`vectors` row {row} ({self.words[row]!r}) holds a non-finite value ({value}); "
            "no similarity can be computed from it, and no file written from it could be read"
        )

    @property
    def dim(self) -> int:
        """int: the vector dimension d."""
        return int(self._vectors.shape[1])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.key_to_index

    def __repr__(self) -> str:
        return f"KeyedVectors({len(self)} words, dim={self.dim})"

    def get_index(self, word: str) -> int:
        """Row of ``word``; raises :class:`~wordvec.errors.UnknownWordError` if absent
        (suggesting the word in another case when that one is here: "King" -> "king")."""
        try:
            return self.key_to_index[word]
        except (KeyError, TypeError):
            raise UnknownWordError(str(word), suggestion=self.case_match(word)) from None

    def case_match(self, word: object) -> str | None:
        """``word`` in lower case, capitalised or upper case, if one of those is a word
        here (and ``word`` is not); else None."""
        if not isinstance(word, str):
            return None
        for other in (word.lower(), word.capitalize(), word.upper()):
            if other != word and other in self.key_to_index:
                return other
        return None

    def get_indices(self, words: Iterable[str]) -> np.ndarray:
        """Rows of many words, shape (n,) int64; the first unknown word raises."""
        words = list(words)
        k2i = self.key_to_index
        try:
            return np.fromiter((k2i[w] for w in words), dtype=np.int64, count=len(words))
        except (KeyError, TypeError):
            # find the culprit the slow way so that the error names it
            for w in words:
                self.get_index(w)
            raise

    def __getitem__(self, word: str | Sequence[str]) -> np.ndarray:
        """The vector of a word, shape (d,), or of a list of words, shape (n, d)."""
        if isinstance(word, str):
            i = self.get_index(word)
            if not self._finite:
                self._check_rows(self._vectors[i : i + 1], i)
            return self._vectors[i]
        rows = self.get_indices(word)
        out = self._vectors[rows]
        if not self._finite:
            self._check_rows(out.reshape(len(rows), -1), 0, rows)
        return out

    def get_normed(self) -> np.ndarray:
        """Unit-length rows, shape (V, d), float32; computed once and cached.

        An all-zero row stays all zero, so its cosine with anything is 0.
        """
        if self._normed is None:
            v = self._vectors
            normed = np.empty(v.shape, dtype=np.float32)
            # chunked so that the temporaries stay small for a large vocabulary
            step = max(1, neighbours.CHUNK_BYTES // max(1, 4 * v.shape[1]))
            for lo in range(0, v.shape[0], step):
                block = np.asarray(v[lo : lo + step], dtype=np.float32)
                if not self._finite:
                    self._check_rows(block, lo)
                neighbours.unit_rows(block, out=normed[lo : lo + step])
            self._finite = True
            self._normed = normed
        return self._normed

    @property
    def normed(self) -> np.ndarray:
        """ndarray, shape (V, d): the cached unit vectors (see :meth:`get_normed`)."""
        return self.get_normed()

    # ------------------------------------------------------------------ helpers
    def _unit_terms(self, items: WordOrVector | Sequence[WordOrVector] | None, what: str):
        """Unit vectors and (for words) row indices of query terms."""
        vecs, idx, _ = self._weighted_terms(items, what)
        return vecs, idx

    def _weighted_terms(self, items: Any, what: str):
        """Unit vectors, row indices (of the words) and weights of query terms: a word, a
        vector of shape (d,), or a ``(word or vector, weight)`` pair (gensim's form)."""
        if items is None:
            return [], [], []
        if isinstance(items, (str, np.ndarray)):
            items = [items]
        normed = self.get_normed()
        vecs, idx, weights = [], [], []
        for item in items:
            weight = 1.0
            if isinstance(item, tuple):
                ok = (
                    len(item) == 2
                    and isinstance(item[0], (str, np.ndarray))
                    and isinstance(item[1], (int, float, np.integer, np.floating))
                    and not isinstance(item[1], bool)
                    and np.isfinite(item[1])
                )
                if not ok:
                    raise ConfigError(
                        f"`{what}` terms are words, vectors or (word, weight) pairs with a "
                        f"finite number as weight; got {item!r}."
                    )
                item, weight = item[0], float(item[1])
            weights.append(weight)
            if isinstance(item, str):
                i = self.get_index(item)
                idx.append(i)
                vecs.append(normed[i])
            else:
                v = np.asarray(item, dtype=np.float32)
                if v.shape != (self.dim,):
                    raise ConfigError(
                        f"`{what}` vectors must have shape ({self.dim},); got {v.shape}."
                    )
                if not np.isfinite(v).all():
                    raise ConfigError(f"`{what}` vectors must be finite; got {v!r}.")
                vecs.append(neighbours.unit_rows(v[None, :])[0])
        return vecs, idx, weights

    # ------------------------------------------------------------------ single queries
    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words."""
        normed = self.get_normed()
        return float(normed[self.get_index(a)] @ normed[self.get_index(b)])

    def most_similar(
        self,
        positive: Any = None,
        negative: Any = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """Nearest words to the (3CosAdd) combination sum(positive) - sum(negative).

        Each term (a word, or a raw vector of shape (d,)) is normalised first and
        multiplied by its weight (1 unless given as a ``(term, weight)`` pair, gensim's
        form: ``positive=[("king", 2.0), "woman"]``); the words given are left out of
        the answer.

        Parameters
        ----------
        positive, negative : str, ndarray (d,), (str or ndarray, float), or a list of them
        topn : int or None
            How many neighbours to return; None returns the cosine of every searched
            row with the query instead (float32 array, the query words included), as
            gensim does.
        restrict_vocab : int, optional
            Search only the first ``restrict_vocab`` rows (the most frequent words
            when the vocabulary is sorted by count).

        Returns
        -------
        list of (str, float), or ndarray with ``topn=None``
            ``topn`` pairs (word, cosine with the combined query), best first.
        """
        topn = None if topn is None else check_topn(topn)
        n_search = search_rows(len(self), restrict_vocab)
        pos, pos_idx, pos_w = self._weighted_terms(positive, "positive")
        neg, neg_idx, neg_w = self._weighted_terms(negative, "negative")
        if not pos and not neg:
            raise ConfigError("`positive` or `negative` must name at least one word; got none.")
        if any(w != 1.0 for w in pos_w + neg_w):  # (unweighted: the sums below, bit for bit)
            pos = [np.float32(w) * v for w, v in zip(pos_w, pos, strict=True)]
            neg = [np.float32(w) * v for w, v in zip(neg_w, neg, strict=True)]
        query = np.sum(pos, axis=0) if pos else np.zeros(self.dim, np.float32)
        if neg:
            query = query - np.sum(neg, axis=0)
        norm = float(np.linalg.norm(query))
        if norm > 0:
            query = query / norm
        scores = self.get_normed()[:n_search] @ query.astype(np.float32)
        if topn is None:
            return scores
        return queries.best_words(self, scores, pos_idx + neg_idx, topn)

    def most_similar_cosmul(
        self,
        positive: WordOrVector | Sequence[WordOrVector] | None = None,
        negative: WordOrVector | Sequence[WordOrVector] | None = None,
        topn: int = 10,
        restrict_vocab: int | None = None,
        epsilon: float = COSMUL_EPSILON,
    ) -> list[tuple[str, float]]:
        """Nearest words by 3CosMul (Levy & Goldberg 2014, eq. 4).

        score(x) = prod_p s(x, p) / (prod_n s(x, n) + epsilon), s = (cos + 1) / 2.
        ``epsilon`` defaults to the paper's 0.001 (gensim uses 1e-6). Arguments
        and return value as :meth:`most_similar`.
        """
        topn = check_topn(topn)
        n_search = search_rows(len(self), restrict_vocab)
        pos, pos_idx = self._unit_terms(positive, "positive")
        neg, neg_idx = self._unit_terms(negative, "negative")
        if not pos:
            raise ConfigError("`positive` must name at least one word; got none.")
        normed = self.get_normed()[:n_search]
        scores = np.ones(n_search, dtype=np.float32)
        for p in pos:
            scores *= (normed @ p + 1.0) / 2.0
        if neg:
            denom = np.ones(n_search, dtype=np.float32)
            for q in neg:
                denom *= (normed @ q + 1.0) / 2.0
            scores /= denom + np.float32(epsilon)
        return queries.best_words(self, scores, pos_idx + neg_idx, topn)

    def analogy(
        self,
        a: str,
        b: str,
        c: str,
        topn: int = 1,
        restrict_vocab: int | None = None,
        method: str = "3cosadd",
    ) -> list[tuple[str, float]]:
        """Solve a : b :: c : ? (e.g. man : king :: woman : queen).

        Returns
        -------
        list of (str, float)
            The ``topn`` best answers with their scores, best first; a, b and c
            themselves are never answers.
        """
        if method == "3cosadd":
            return self.most_similar([b, c], [a], topn=topn, restrict_vocab=restrict_vocab)
        if method == "3cosmul":
            return self.most_similar_cosmul([b, c], [a], topn=topn, restrict_vocab=restrict_vocab)
        raise ConfigError(f"`method` must be one of {ANALOGY_METHODS}; got {method!r}.")

    def doesnt_match(self, words: Sequence[str]) -> str:
        """The word of ``words`` least similar to the mean of their unit vectors."""
        if isinstance(words, str) or len(words) == 0:
            raise ConfigError(f"`words` must be a non-empty list of words; got {words!r}.")
        normed = self.get_normed()
        rows = normed[self.get_indices(words)]
        mean = rows.mean(axis=0)
        norm = float(np.linalg.norm(mean))
        if norm > 0:
            mean = mean / norm
        return list(words)[int(np.argmin(rows @ mean))]

    # ------------------------------------------------------------------ more queries
    # Thin delegations: the code and the full docstrings are in wordvec.vectors.queries.
    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        """Vector of ``word`` (d,), read-only; ``norm``: a unit-length copy."""
        return queries.get_vector(self, word, norm)

    def similarities(self, query: WordOrVector, restrict_vocab: int | None = None) -> np.ndarray:
        """Cosine of a word or vector with every word (row order), shape (V,)."""
        return queries.similarities(self, query, restrict_vocab)

    def similar_by_vector(
        self, vector: np.ndarray, topn: int = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]]:
        """The ``topn`` words nearest to a vector, best first."""
        return queries.similar_by_vector(self, vector, topn, restrict_vocab)

    def similar_by_word(
        self, word: str, topn: int = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]]:
        """The ``topn`` words nearest to ``word`` (itself left out): ``most_similar(word)``."""
        return self.most_similar(word, topn=topn, restrict_vocab=restrict_vocab)

    def n_similarity(self, words1: Sequence[str], words2: Sequence[str]) -> float:
        """Cosine between the mean vectors of two word lists."""
        return queries.n_similarity(self, words1, words2)

    def distance(self, word1: str, word2: str) -> float:
        """1 - cosine similarity of two words."""
        return queries.distance(self, word1, word2)

    def distances(
        self, query: WordOrVector, other_words: Sequence[str] | None = None
    ) -> np.ndarray:
        """1 - cosine of a word or vector with ``other_words`` (default: every word)."""
        return queries.distances(self, query, other_words)

    cosine_similarities = staticmethod(neighbours.cosine_similarities)

    def closer_than(self, word1: str, word2: str) -> list[str]:
        """Words more similar to ``word1`` than ``word2`` is, in row order."""
        return queries.closer_than(self, word1, word2)

    def rank(self, word1: str, word2: str) -> int:
        """Rank of ``word2`` among the neighbours of ``word1`` (1 = nearest)."""
        return queries.rank(self, word1, word2)

    def most_similar_to_given(self, word: str, candidates: Sequence[str]) -> str:
        """The candidate most similar to ``word``."""
        return queries.most_similar_to_given(self, word, candidates)

    def add_vectors(self, words: Sequence[str], vectors: np.ndarray, replace: bool = False) -> None:
        """Append words and their vectors (shape (n, d)); a word already present keeps its
        vector unless ``replace``. New words get count 0 when ``kv`` has counts."""
        if isinstance(words, str):
            words = [words]
        words = list(words)
        rows = np.asarray(vectors, dtype=np.float32)
        if rows.ndim == 1:
            rows = rows.reshape(1, -1)
        if rows.shape != (len(words), self.dim):
            raise ConfigError(
                f"`vectors` must have shape ({len(words)}, {self.dim}), one row per word; "
                f"got {rows.shape}."
            )
        for i, w in enumerate(words):
            if not isinstance(w, str):
                raise ConfigError(f"`words` must hold only str; got {type(w).__name__} at {i}.")
        k2i = self.key_to_index
        new: dict[str, int] = {}  # word -> its (last) row in `rows`; a repeated new word adds once
        old_rows, old_at = [], []
        for i, w in enumerate(words):
            if w in k2i:
                old_rows.append(i)
                old_at.append(k2i[w])
            else:
                new[w] = i
        vectors_now = self.vectors
        if replace and old_rows:
            if not vectors_now.flags.writeable:
                vectors_now = vectors_now.copy()  # memory-mapped read-only: edit a copy
            vectors_now[old_at] = rows[old_rows]
        if new:
            vectors_now = np.vstack([vectors_now, rows[list(new.values())]])
            for w in new:
                k2i[w] = len(self.words)
                self.words.append(w)
            if self.counts is not None:
                self.counts = np.concatenate([self.counts, np.zeros(len(new), np.int64)])
        self.vectors = vectors_now  # drops the unit-vector cache

    # ------------------------------------------------------------------ batched queries
    def similarity_batch(self, a: Sequence[str] | np.ndarray, b: Sequence[str] | np.ndarray):
        """Cosines of many pairs: words or row indices, shape (n,) each -> (n,) float32."""
        ia, ib = queries.as_indices(self, a, "a"), queries.as_indices(self, b, "b")
        if ia.shape != ib.shape:
            raise ConfigError(
                f"`a` and `b` must have the same length; got {ia.size} and {ib.size}."
            )
        normed = self.get_normed()
        return np.einsum("ij,ij->i", normed[ia], normed[ib])

    def most_similar_batch(
        self,
        words: Sequence[str] | np.ndarray,
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nearest neighbours of many words at once, each query word left out:
        ``(indices, scores)``, shape (n, k) each (:func:`.queries.most_similar_batch`)."""
        return queries.most_similar_batch(self, words, topn, restrict_vocab)

    def analogy_batch(
        self,
        a: Sequence[str] | np.ndarray,
        b: Sequence[str] | np.ndarray,
        c: Sequence[str] | np.ndarray,
        topn: int = 1,
        restrict_vocab: int | None = None,
        method: str = "3cosadd",
        epsilon: float = COSMUL_EPSILON,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Solve many analogies a[i] : b[i] :: c[i] : ? as chunked matrix products:
        ``(indices, scores)``, shape (n, k) each (see :func:`.queries.analogy_batch`)."""
        return queries.analogy_batch(self, a, b, c, topn, restrict_vocab, method, epsilon)
