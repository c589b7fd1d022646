"""Nearest neighbours over plain arrays: unit rows, top-k selection, chunk sizes.

The pure array functions that :mod:`~wordvec.vectors.keyedvectors` (the class) and
:mod:`~wordvec.vectors.queries` (queries as free functions) both use. They know
nothing of words or of a vectors object: matrices and scores in, indices and
scores out. Every similarity in wordvec is a cosine taken from unit-length rows,
so a zero vector has cosine 0 with everything.

Analogy methods (a : b :: c : ?), after Levy and Goldberg (2014),
"Linguistic Regularities in Sparse and Explicit Word Representations":

* ``"3cosadd"``: argmax_x cos(x, b) - cos(x, a) + cos(x, c), which ranks
  candidates exactly like cos(x, b̂ - â + ĉ) (Mikolov's vector offset).
* ``"3cosmul"``: argmax_x s(x, b) s(x, c) / (s(x, a) + epsilon) with the cosine
  shifted to [0, 1], s = (cos + 1) / 2, and epsilon = 0.001 as in the paper.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ConfigError

__all__ = [
    "ANALOGY_METHODS",
    "COSMUL_EPSILON",
    "CHUNK_BYTES",
    "unit",
    "unit_rows",
    "vector_norm",
    "cosine_similarities",
    "top_k",
    "chunk_rows",
    "check_topn",
    "analogy_scores",
    "search_rows",
]

ANALOGY_METHODS = ("3cosadd", "3cosmul")

# Levy & Goldberg (2014), eq. 4: keeps 3CosMul finite when s(x, a) is 0.
COSMUL_EPSILON = 1e-3

# Upper bound on a float32 temporary of one chunk (a batch's score matrix, a block of
# unit rows): memory stays bounded whatever the number of queries or words.
CHUNK_BYTES = 64 << 20

# Up to this many results, top-k selection is done by repeated arg-max.
_ARGMAX_TOPN = 8


# Squared norms below this may have lost precision to subnormal squares in float32.
_SMALL_SQUARED_NORM = np.float32(1e-32)


def unit_rows(rows: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``rows`` (n, d) scaled to unit length, float32 (into ``out`` if given); a zero row
    stays zero.

    One float32 pass for ordinary rows (the hot path of every query); a row whose
    squared norm overflows float32 (finite components above ~1.8e19) or comes near
    its subnormal range (components below ~1e-16) is normalised in float64 instead,
    so that every finite non-zero row keeps its direction, whatever its scale.
    """
    rows = np.asarray(rows, dtype=np.float32)
    if out is None:
        out = np.empty(rows.shape, np.float32)
    with np.errstate(over="ignore"):
        squared = np.einsum("ij,ij->i", rows, rows)
    ok = (squared >= _SMALL_SQUARED_NORM) & np.isfinite(squared)
    norms = np.sqrt(np.where(ok, squared, np.float32(1)))
    np.divide(rows, norms[:, None], out=out)
    if not ok.all():
        bad = np.flatnonzero(~ok)
        wide = rows[bad].astype(np.float64)
        wide_norms = np.linalg.norm(wide, axis=1)
        wide_norms[wide_norms == 0] = 1.0
        out[bad] = wide / wide_norms[:, None]
    return out


def vector_norm(v: np.ndarray) -> float:
    """The L2 norm of a vector, in float64: no overflow or underflow for float32 input."""
    return float(np.linalg.norm(np.asarray(v, dtype=np.float64)))


def unit(v: np.ndarray) -> np.ndarray:
    """``v`` scaled to length 1 (float32), at any scale; an all-zero vector stays zero."""
    return unit_rows(np.asarray(v, np.float32)[None, :])[0]


def cosine_similarities(vector: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Cosine of one vector (d,) with each row of ``vectors`` (n, d): shape (n,).

    Follows the formula literally, so a zero vector gives NaN (0 / 0), as in gensim.
    """
    vector = np.asarray(vector)
    vectors = np.asarray(vectors)
    if vector.ndim != 1 or vectors.ndim != 2 or vectors.shape[1] != vector.shape[0]:
        raise ConfigError(
            f"`vector` must have shape (d,) and `vectors` shape (n, d); "
            f"got {vector.shape} and {vectors.shape}."
        )
    # in float64, where neither the dot products nor the norms of finite float32
    # vectors can overflow or underflow; the result in the inputs' precision
    wide, wides = vector.astype(np.float64), vectors.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = (wides @ wide) / (np.linalg.norm(wide) * np.linalg.norm(wides, axis=1))
    return cos.astype(np.result_type(vector, vectors), copy=False)


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Best ``k`` columns of each row, best first (ties: lower index first).

    scores : (m, n) -> (indices (m, k) int64, values (m, k) float32).
    ``scores`` may be overwritten.
    """
    m, n = scores.shape
    k = min(k, n)
    if k <= _ARGMAX_TOPN:
        # A few arg-max passes beat argpartition several times over for the
        # small k of analogy questions: they are single vectorised scans.
        rows = np.arange(m)
        idx = np.empty((m, k), np.int64)
        vals = np.empty((m, k), scores.dtype)
        for j in range(k):
            best = scores.argmax(axis=1)
            idx[:, j] = best
            vals[:, j] = scores[rows, best]
            scores[rows, best] = -np.inf
        return idx, vals
    part = np.argpartition(scores, n - k, axis=1)[:, n - k :]
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    idx = np.take_along_axis(part, order, axis=1).astype(np.int64)
    return idx, np.take_along_axis(vals, order, axis=1)


def chunk_rows(n_columns: int) -> int:
    """How many query rows one chunk holds so that its float32 score matrix against
    ``n_columns`` candidates stays near :data:`CHUNK_BYTES`."""
    return max(1, CHUNK_BYTES // (4 * max(1, n_columns)))


def check_topn(topn: Any) -> int:
    """``topn`` as an int, or a ConfigError naming it."""
    if isinstance(topn, bool) or not isinstance(topn, (int, np.integer)) or topn < 1:
        raise ConfigError(f"`topn` must be an int >= 1; got {topn!r}.")
    return int(topn)


def search_rows(n_rows: int, restrict_vocab: int | None) -> int:
    """How many leading rows of ``n_rows`` a query searches (``restrict_vocab`` checked)."""
    if restrict_vocab is None:
        return n_rows
    if (
        isinstance(restrict_vocab, bool)
        or not isinstance(restrict_vocab, (int, np.integer))
        or restrict_vocab < 1
    ):
        raise ConfigError(f"`restrict_vocab` must be an int >= 1 or None; got {restrict_vocab!r}.")
    return min(int(restrict_vocab), n_rows)


def analogy_scores(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, cand: np.ndarray, method: str, epsilon: float
) -> np.ndarray:
    """Scores (m, n) float32 of ``n`` candidate unit rows ``cand`` for ``m`` analogies
    a : b :: c : ?, given the unit vectors of a, b and c (m, d each): 3CosAdd is the
    cosine with b - a + c (normalised), 3CosMul the module docstring's product."""
    if method == "3cosadd":
        query = b - a + c  # (m, d)
        norms = np.linalg.norm(query, axis=1, keepdims=True)
        query /= np.where(norms > 0, norms, 1.0)
        return query @ cand.T
    scores = (b @ cand.T + 1.0) * 0.5
    scores *= (c @ cand.T + 1.0) * 0.5
    scores /= (a @ cand.T + 1.0) * 0.5 + np.float32(epsilon)
    return scores
