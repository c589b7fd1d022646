"""More queries over a vectors object (a :class:`~wordvec.vectors.KeyedVectors`), as free functions.

:class:`~wordvec.vectors.KeyedVectors` delegates to these (``kv.distances(...)``
calls :func:`distances`), which keeps that module small. They use only the public
side of a vectors object (:class:`Vectors`: its words, vectors, unit vectors and
word lookups) and the array functions of :mod:`~wordvec.vectors.neighbours`, so
this module does not import the class that calls it. Every similarity is a
cosine taken from the cached unit vectors (``kv.get_normed()``), so a zero
vector has cosine 0 with everything. Unknown words raise
:class:`~wordvec.errors.UnknownWordError` (a ``KeyError``) naming the word.

The names are gensim's where wordvec had none (``n_similarity``,
``closer_than``, ...); :mod:`wordvec.compat` adds gensim's exact signatures and
return types on top.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import numpy as np

from ..errors import ConfigError
from .neighbours import (
    ANALOGY_METHODS,
    COSMUL_EPSILON,
    analogy_scores,
    check_topn,
    chunk_rows,
    cosine_similarities,
    search_rows,
    top_k,
    unit,
    unit_rows,
    vector_norm,
)

__all__ = [
    "Vectors",
    "as_indices",
    "most_similar_batch",
    "analogy_batch",
    "analogy_answers",
    "unit_rows",
    "vector_norm",
    "get_vector",
    "similarities",
    "similar_by_vector",
    "n_similarity",
    "distance",
    "distances",
    "cosine_similarities",
    "closer_than",
    "rank",
    "most_similar_to_given",
]


class Vectors(Protocol):
    """What the queries use of a vectors object (:class:`~wordvec.vectors.KeyedVectors`)."""

    words: list[str]

    @property
    def vectors(self) -> np.ndarray: ...  # (V, d) float32
    @property
    def dim(self) -> int: ...
    def __len__(self) -> int: ...
    def get_index(self, word: str) -> int: ...
    def get_indices(self, words: Iterable[str]) -> np.ndarray: ...
    def get_normed(self) -> np.ndarray: ...  # (V, d) unit rows
    def similarity(self, a: str, b: str) -> float: ...


def as_indices(kv: Vectors, items: Any, name: str) -> np.ndarray:
    """Word list or index array -> int64 index array, shape (n,); ``name`` is the
    parameter an error names."""
    arr = np.asarray(items)
    if arr.dtype.kind in "iu":
        arr = arr.astype(np.int64, copy=False).reshape(-1)
        if arr.size and (arr.min() < 0 or arr.max() >= len(kv)):
            raise ConfigError(
                f"`{name}` indices must lie in [0, {len(kv)}); "
                f"got values in [{arr.min()}, {arr.max()}]."
            )
        return arr
    if isinstance(items, str):
        items = [items]
    return kv.get_indices(items)


def best_words(
    kv: Vectors, scores: np.ndarray, exclude: list[int], topn: int
) -> list[tuple[str, float]]:
    """The ``topn`` best (word, score) pairs of ``scores`` (n,), best first, the rows in
    ``exclude`` left out."""
    scores = np.array(scores, dtype=np.float32)  # a copy: the -inf marks must not leak
    exclude = [i for i in exclude if i < scores.shape[0]]
    scores[exclude] = -np.inf
    idx, vals = top_k(scores[None, :], topn)
    return [
        (kv.words[i], float(s))
        for i, s in zip(idx[0].tolist(), vals[0].tolist(), strict=True)
        if s != -np.inf
    ]


def _as_vector(kv: Vectors, item: str | np.ndarray, name: str) -> np.ndarray:
    """A word's unit vector, or a given vector (shape (d,)) normalised, as float32."""
    if isinstance(item, str):
        return kv.get_normed()[kv.get_index(item)]
    v = np.asarray(item, dtype=np.float32)
    if v.shape != (kv.dim,):
        raise ConfigError(
            f"`{name}` must be a word or a vector of shape ({kv.dim},); got {v.shape}."
        )
    return unit(v)


def get_vector(kv: Vectors, word: str, norm: bool = False) -> np.ndarray:
    """The vector of ``word``, shape (d,): a read-only view of its row, or with ``norm``
    a new unit-length copy (a zero vector stays zero)."""
    if norm:
        return kv.get_normed()[kv.get_index(word)].copy()
    row = kv.vectors[kv.get_index(word)].view()
    row.flags.writeable = False  # a view: writing it would leave the unit-vector cache stale
    return row


def similarities(
    kv: Vectors, query: str | np.ndarray, restrict_vocab: int | None = None
) -> np.ndarray:
    """Cosine of ``query`` (a word or a vector of shape (d,)) with every word (row order),
    shape (n,) float32, n = ``restrict_vocab`` or V; the query word itself included."""
    n = search_rows(len(kv), restrict_vocab)
    return kv.get_normed()[:n] @ _as_vector(kv, query, "query")


def similar_by_vector(
    kv: Vectors, vector: np.ndarray, topn: int = 10, restrict_vocab: int | None = None
) -> list[tuple[str, float]]:
    """The ``topn`` words nearest to a vector (cosine), best first; no word is left out."""
    if isinstance(vector, str):
        raise ConfigError("`vector` must be an array of shape (d,); for a word use most_similar.")
    topn = check_topn(topn)
    return best_words(kv, similarities(kv, vector, restrict_vocab), [], topn)


def n_similarity(kv: Vectors, words1: Sequence[str], words2: Sequence[str]) -> float:
    """Cosine between the means of the (raw, not normalised) vectors of two word lists."""
    if isinstance(words1, str) or isinstance(words2, str) or not len(words1) or not len(words2):
        raise ConfigError(
            f"`words1` and `words2` must be non-empty lists of words; got {words1!r}, {words2!r}."
        )
    m1 = kv.vectors[kv.get_indices(words1)].mean(axis=0)
    m2 = kv.vectors[kv.get_indices(words2)].mean(axis=0)
    return float(unit(m1) @ unit(m2))


def distance(kv: Vectors, word1: str, word2: str) -> float:
    """Cosine distance, 1 - cosine similarity, of two words."""
    return 1.0 - kv.similarity(word1, word2)


def distances(
    kv: Vectors, query: str | np.ndarray, other_words: Sequence[str] | None = None
) -> np.ndarray:
    """1 - cosine of ``query`` (a word or a vector) with each of ``other_words``, shape (m,),
    or with every word in row order (the query word included) when none are given."""
    q = _as_vector(kv, query, "query")
    if other_words is None or len(other_words) == 0:
        return np.float32(1.0) - kv.get_normed() @ q
    if isinstance(other_words, str):
        other_words = [other_words]
    return np.float32(1.0) - kv.get_normed()[kv.get_indices(other_words)] @ q


def closer_than(kv: Vectors, word1: str, word2: str) -> list[str]:
    """Every word more similar to ``word1`` than ``word2`` is (``word1`` itself left out),
    in row order (most frequent first), not by similarity."""
    i1, i2 = kv.get_index(word1), kv.get_index(word2)
    sims = similarities(kv, word1)
    closer = np.flatnonzero(sims > sims[i2])
    return [kv.words[i] for i in closer.tolist() if i != i1]


def rank(kv: Vectors, word1: str, word2: str) -> int:
    """Rank of ``word2`` among the neighbours of ``word1`` (1 = the nearest):
    ``len(closer_than(word1, word2)) + 1``."""
    return len(closer_than(kv, word1, word2)) + 1


def most_similar_to_given(kv: Vectors, word: str, candidates: Sequence[str]) -> str:
    """The word of ``candidates`` most similar to ``word`` (the first one on a tie)."""
    if isinstance(candidates, str) or not len(candidates):
        raise ConfigError(f"`candidates` must be a non-empty list of words; got {candidates!r}.")
    normed = kv.get_normed()
    sims = normed[kv.get_indices(candidates)] @ normed[kv.get_index(word)]
    return list(candidates)[int(np.argmax(sims))]


# --------------------------------------------------------------------------- batched
def most_similar_batch(
    kv: Vectors,
    words: Sequence[str] | np.ndarray,
    topn: int = 10,
    restrict_vocab: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Nearest neighbours of many words at once, each query word left out.

    Parameters
    ----------
    words : list of str or int array, shape (n,)
        The query words (or their row indices).
    topn : int
    restrict_vocab : int, optional

    Returns
    -------
    indices : ndarray, shape (n, k), int64
        Rows of the neighbours, best first; k = min(topn, searched rows - 1).
    scores : ndarray, shape (n, k), float32
        Their cosines with the query word.
    """
    topn = check_topn(topn)
    n_search = search_rows(len(kv), restrict_vocab)
    q = as_indices(kv, words, "words")
    k = max(0, min(topn, n_search - 1))
    normed = kv.get_normed()
    cand = normed[:n_search]
    out_i = np.empty((q.size, k), np.int64)
    out_s = np.empty((q.size, k), np.float32)
    step = chunk_rows(n_search)
    for lo in range(0, q.size, step):
        qi = q[lo : lo + step]
        scores = normed[qi] @ cand.T  # (chunk, n_search)
        rows = np.arange(qi.size)
        inside = qi < n_search
        scores[rows[inside], qi[inside]] = -np.inf
        out_i[lo : lo + step], out_s[lo : lo + step] = top_k(scores, k)
    return out_i, out_s


def analogy_batch(
    kv: Vectors,
    a: Sequence[str] | np.ndarray,
    b: Sequence[str] | np.ndarray,
    c: Sequence[str] | np.ndarray,
    topn: int = 1,
    restrict_vocab: int | None = None,
    method: str = "3cosadd",
    epsilon: float = COSMUL_EPSILON,
) -> tuple[np.ndarray, np.ndarray]:
    """Solve many analogies a[i] : b[i] :: c[i] : ? as chunked matrix products.

    Parameters
    ----------
    a, b, c : list of str or int array, shape (n,)
        The question words (or their row indices).
    topn : int
    restrict_vocab : int, optional
        Search only the first ``restrict_vocab`` rows.
    method : {"3cosadd", "3cosmul"}
    epsilon : float
        3CosMul only (see :meth:`KeyedVectors.most_similar_cosmul`).

    Returns
    -------
    indices : ndarray, shape (n, k), int64
        Rows of the answers, best first, never a[i], b[i] or c[i];
        k = min(topn, searched rows - 3).
    scores : ndarray, shape (n, k), float32
        3CosAdd: cosine with b̂ - â + ĉ (normalised); 3CosMul: its score.
    """
    if method not in ANALOGY_METHODS:
        raise ConfigError(f"`method` must be one of {ANALOGY_METHODS}; got {method!r}.")
    topn = check_topn(topn)
    n_search = search_rows(len(kv), restrict_vocab)
    ia, ib, ic = (as_indices(kv, x, name) for x, name in ((a, "a"), (b, "b"), (c, "c")))
    if not ia.shape == ib.shape == ic.shape:
        raise ConfigError(
            f"`a`, `b` and `c` must have the same length; got {ia.size}, {ib.size}, {ic.size}."
        )
    k = max(0, min(topn, n_search - 3))
    out_i = np.empty((ia.size, k), np.int64)
    out_s = np.empty((ia.size, k), np.float32)
    for rows, scores in _analogy_scores(kv, ia, ib, ic, n_search, method, epsilon):
        out_i[rows], out_s[rows] = top_k(scores, k)
    return out_i, out_s


def analogy_answers(
    kv: Vectors,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    groups: np.ndarray,
    candidates: int,
    method: str = "3cosadd",
    epsilon: float = COSMUL_EPSILON,
) -> np.ndarray:
    """The answer of each analogy a[i] : b[i] :: c[i] : ? by gensim's evaluation rule.

    Of the best ``candidates`` answers (as :func:`analogy_batch` ranks them), the
    first whose group differs from the groups of a[i], b[i] and c[i] (a word that is
    only another spelling of a question word is no answer); the last of them if all
    are such variants. Equal to ranking ``candidates`` answers with
    :func:`analogy_batch` and picking, but each row's search stops at its first
    answer: one arg-max pass over the scores for nearly every question, where the
    ranking always made ``candidates`` passes.

    Parameters
    ----------
    a, b, c : int array, shape (n,)
        Row indices of the question words.
    groups : int array, shape (n_search,)
        The group of each searched row (e.g. the row of its upper-cased spelling);
        only the first ``len(groups)`` rows are searched.
    candidates : int >= 1

    Returns
    -------
    ndarray, shape (n,), int64
        The answers' rows (-1 where fewer than 4 rows are searched: no answer).
    """
    n_search = len(groups)
    ia, ib, ic = (as_indices(kv, x, name) for x, name in ((a, "a"), (b, "b"), (c, "c")))
    answers = np.full(ia.size, -1, np.int64)
    k = max(0, min(candidates, n_search - 3))
    if k == 0:
        return answers
    question_groups = np.stack([groups[np.minimum(x, n_search - 1)] for x in (ia, ib, ic)], 1)
    question_groups[np.stack([ia, ib, ic], 1) >= n_search] = -1  # (never a group)
    for rows, scores in _analogy_scores(kv, ia, ib, ic, n_search, method, epsilon):
        pending = np.arange(scores.shape[0])  # rows of ``scores`` still without an answer
        chunk_answers = answers[rows]
        for j in range(k):
            # (the first pass scans the chunk in place; later ones copy the few rows left)
            best = (scores if j == 0 else scores[pending]).argmax(axis=1)
            chunk_answers[pending] = best
            if j == k - 1:
                break
            variant = (groups[best][:, None] == question_groups[rows][pending]).any(axis=1)
            pending = pending[variant]
            if not pending.size:
                break
            scores[pending, best[variant]] = -np.inf
        answers[rows] = chunk_answers
    return answers


def _analogy_scores(kv: Vectors, ia, ib, ic, n_search: int, method: str, epsilon: float):
    """``(rows, scores)`` per chunk of questions: ``scores`` (chunk, n_search) float32,
    each question's score for every searched row, its own a, b and c set to -inf."""
    normed = kv.get_normed()
    cand = normed[:n_search]
    step = chunk_rows(n_search) // (3 if method == "3cosmul" else 1) or 1
    for lo in range(0, ia.size, step):
        qa, qb, qc = ia[lo : lo + step], ib[lo : lo + step], ic[lo : lo + step]
        scores = analogy_scores(normed[qa], normed[qb], normed[qc], cand, method, epsilon)
        rows = np.arange(qa.size)
        for qx in (qa, qb, qc):
            inside = qx < n_search
            scores[rows[inside], qx[inside]] = -np.inf
        yield slice(lo, lo + qa.size), scores
