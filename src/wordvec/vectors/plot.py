"""2-D plots of word vectors: PCA (as CS224n's word_vectors.png) or t-SNE.

PCA is plain NumPy; t-SNE is scikit-learn's. matplotlib and scikit-learn come with
``pip install "wordvec[plot]"`` and are imported only when a figure is drawn or a
t-SNE computed, so importing wordvec never needs them.
"""

from __future__ import annotations

import numbers
import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError
from ..files.atomic import atomic_write

__all__ = ["plot", "project", "pca_2d", "tsne_2d", "DEFAULT_WORDS", "COURSE_WORDS"]

Array = NDArray[np.float64]

#: Words with visible structure in vectors trained on general English: countries and
#: their capitals, gendered pairs, present / past verb forms. All occur in the
#: shipped public-domain corpus and in the general English corpus.
DEFAULT_WORDS: tuple[str, ...] = (
    # countries and capitals
    "france", "paris", "england", "london", "italy", "rome",
    "germany", "berlin", "russia", "moscow",
    # gendered pairs
    "king", "queen", "man", "woman", "husband", "wife", "brother", "sister",
    "father", "mother", "son", "daughter", "boy", "girl", "uncle", "aunt",
    # verb tenses
    "walk", "walked", "go", "went", "take", "took", "see", "saw",
    "speak", "spoke", "give", "gave", "come", "came", "know", "knew",
)  # fmt: skip

#: The word list of CS224n's word_vectors.png (vectors trained on SST).
COURSE_WORDS: tuple[str, ...] = (
    "great", "cool", "brilliant", "wonderful", "well", "amazing",
    "worth", "sweet", "enjoyable", "boring", "bad", "dumb",
    "annoying", "female", "male", "queen", "king", "man", "woman",
    "rain", "snow", "hail", "coffee", "tea",
)  # fmt: skip

_FORMATS = {".png": "png", ".svg": "svg"}
_METHODS = ("pca", "tsne")
_METHOD_NAMES = {"pca": "PCA", "tsne": "t-SNE"}


def plot(
    vectors: Any,
    words: Iterable[str] | None = None,
    path: str | os.PathLike[str] | None = None,
    *,
    method: str = "pca",
    title: str | None = None,
    perplexity: float | None = None,
    seed: int = 0,
) -> dict[str, tuple[float, float]]:
    """Project word vectors to 2-D and draw them as labelled points.

    Parameters
    ----------
    vectors : KeyedVectors-like or (words, matrix) pair
        Either any object with ``word in vectors`` and ``vectors[word] -> (d,)``
        (e.g. :class:`wordvec.vectors.KeyedVectors`), or a pair
        ``(vocabulary, matrix)`` with ``matrix[i]`` the vector of
        ``vocabulary[i]``, shape (len(vocabulary), d).
    words : iterable of str, optional
        The words to plot, in order (duplicates ignored); default
        :data:`DEFAULT_WORDS`. Words not in the vocabulary are skipped with a
        warning.
    path : str or path-like, optional
        Output file; ``.png`` or ``.svg`` (from the suffix). Written
        atomically. With None nothing is drawn and only the coordinates are
        returned (matplotlib is then not needed).
    method : "pca" or "tsne"
        PCA: the centred vectors projected on their first two principal axes
        (SVD), as the course does. t-SNE: :func:`tsne_2d` (needs scikit-learn).
    title : str, optional
        Figure title; a default names the method and the number of words.
    perplexity : float, optional
        t-SNE perplexity (default min(30, (n - 1) / 3), at least 1).
    seed : int
        Seeds the t-SNE initialisation.

    Returns
    -------
    dict of str to (x, y)
        The 2-D coordinates of every plotted word.

    Raises
    ------
    ConfigError
        Unknown method or file suffix, or none of the words is in the vocabulary.
    ImportError
        ``path`` is given and matplotlib is not installed, or t-SNE is asked for
        and scikit-learn is not.
    """
    if method not in _METHODS:
        raise ConfigError(f"`method` must be one of 'pca', 'tsne'; got {method!r}.")
    _check_seed(seed)
    fmt = None
    if path is not None:
        fmt = _FORMATS.get(Path(path).suffix.lower())
        if fmt is None:
            raise ConfigError(
                f"`path` must end in .png or .svg (the suffix picks the format); got {str(path)!r}."
            )
    found, matrix = _lookup(vectors, DEFAULT_WORDS if words is None else words)
    coords = project(matrix, method=method, perplexity=perplexity, seed=seed)
    result = {w: (float(x), float(y)) for w, (x, y) in zip(found, coords, strict=True)}
    if path is not None:
        title = title or f"{_METHOD_NAMES[method]} of {len(found)} word vectors"
        _draw(result, Path(path), fmt or "png", title)
    return result


def project(
    matrix: ArrayLike, *, method: str = "pca", perplexity: float | None = None, seed: int = 0
) -> Array:
    """Project the rows of ``matrix`` (n, d) to 2-D with ``method`` ("pca" or "tsne"); (n, 2)."""
    X = np.asarray(matrix, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ConfigError(f"`matrix` must be a non-empty (n, d) array; got shape {X.shape}.")
    if X.shape[1] == 0:
        raise ConfigError("the vectors have dimension 0: there is nothing to project or plot")
    if not np.all(np.isfinite(X)):
        raise ConfigError("`matrix` must hold finite values; got NaN or infinity.")
    if method == "pca":
        return pca_2d(X)
    if method == "tsne":
        return tsne_2d(X, perplexity=perplexity, seed=seed)
    raise ConfigError(f"`method` must be one of 'pca', 'tsne'; got {method!r}.")


def pca_2d(X: ArrayLike) -> Array:
    r"""Coordinates of the rows of X on its first two principal axes.

    With Xc = X - mean(X) = P S Q^T (thin SVD), the coordinates are
    Xc Q[:, :2], shape (n, 2): the same as the course's SVD of the covariance
    Xc^T Xc / n. Each axis' sign is fixed so that its largest loading is
    positive, which makes the picture deterministic. Missing axes (d < 2 or
    n < 3) are zero.

    Written here rather than taken from scikit-learn: one thin SVD is the whole job,
    and PCA is the default projection, so the default plot needs no scikit-learn
    (whose import alone takes longer than this function).
    """
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=0)
    coords = np.zeros((X.shape[0], 2))
    if X.shape[0] < 2:
        return coords
    _, _, Qt = np.linalg.svd(Xc, full_matrices=False)  # Qt: (min(n, d), d)
    k = min(2, Qt.shape[0])
    axes = Qt[:k]
    signs = np.sign(axes[np.arange(k), np.argmax(np.abs(axes), axis=1)])
    axes = axes * np.where(signs == 0, 1.0, signs)[:, None]
    coords[:, :k] = Xc @ axes.T
    return coords


def tsne_2d(
    X: ArrayLike,
    *,
    perplexity: float | None = None,
    iterations: int = 1000,
    seed: int = 0,
) -> Array:
    r"""t-SNE (van der Maaten & Hinton, 2008) of the rows of X to 2-D, by scikit-learn.

    :class:`sklearn.manifold.TSNE` with its defaults (Barnes-Hut gradients,
    O(n log n) per step, so thousands of words are fine; PCA initialisation; the
    "auto" learning rate; early exaggeration 12), ``iterations`` steps and
    ``random_state=seed``. Affinities p_{j|i} ∝ exp(-beta_i ||x_i - x_j||^2) with each
    beta_i set so that the entropy of p_{.|i} is log(perplexity); the embedding
    minimises KL(P || Q), q_ij ∝ (1 + ||y_i - y_j||^2)^-1.

    Parameters
    ----------
    X : (n, d) array
    perplexity : float, optional
        In (0, n - 1]; default min(30, (n - 1) / 3), at least 1.
    iterations : int
        Optimisation steps, at least 250 (scikit-learn's minimum).
    seed : int

    Returns
    -------
    ndarray, shape (n, 2), centred

    Raises
    ------
    ImportError
        scikit-learn is not installed (``pip install "wordvec[plot]"``).
    """
    _check_seed(seed)
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if perplexity is None:
        perplexity = max(1.0, min(30.0, (n - 1) / 3.0))
    if n >= 2 and not 0 < perplexity <= n - 1:
        raise ConfigError(
            f"`perplexity` must be a float in (0, n - 1] = (0, {n - 1}] for {n} points; "
            f"got {perplexity!r}."
        )
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 250:
        raise ConfigError(f"`iterations` must be an int >= 250; got {iterations!r}.")
    if n < 2 or np.ptp(X, axis=0).max(initial=0.0) == 0.0:
        return np.zeros((n, 2))  # one point, or all in one place: nothing to lay out
    try:
        from sklearn.manifold import TSNE
        from threadpoolctl import threadpool_limits  # a dependency of scikit-learn
    except ImportError as exc:
        raise ImportError(
            "t-SNE needs scikit-learn; install it with `pip install 'wordvec[plot]'` "
            "(or use method='pca')."
        ) from exc
    tsne = TSNE(
        n_components=2,
        perplexity=float(perplexity),
        max_iter=iterations,
        init="pca" if min(X.shape) >= 2 else "random",  # PCA needs two axes
        learning_rate="auto",
        random_state=seed,
    )
    # One thread below a few thousand points: a step is then microseconds of work, and
    # OpenMP's workers cost more than they give (on a busy machine, 30x more).
    with threadpool_limits(limits=1 if n < 5000 else None, user_api="openmp"):
        Y = tsne.fit_transform(X).astype(np.float64)
    return Y - Y.mean(axis=0)


def _check_seed(seed: Any) -> None:
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ConfigError(f"`seed` must be an int >= 0; got {seed!r}.")


def _lookup(vectors: Any, words: Iterable[str]) -> tuple[list[str], Array]:
    """The words present in ``vectors`` (in order, deduplicated) and their (n, d) matrix."""
    if isinstance(words, str):
        raise ConfigError(f"`words` must be an iterable of words, not one string; got {words!r}.")
    wanted = list(dict.fromkeys(words))
    if not wanted:
        raise ConfigError("`words` must name at least one word; got an empty list.")
    if isinstance(vectors, tuple) and len(vectors) == 2:
        vocab, matrix = vectors
        matrix = np.asarray(matrix, dtype=np.float64)
        vocab = list(vocab)
        if matrix.ndim != 2 or matrix.shape[0] != len(vocab):
            raise ConfigError(
                f"`vectors` must be (words, matrix) with matrix of shape (len(words), d) = "
                f"({len(vocab)}, d); got {matrix.shape}."
            )
        row = {}
        for i, w in enumerate(vocab):
            row.setdefault(w, i)

        def contains(w: str) -> bool:
            return w in row

        def get(w: str) -> Array:
            return matrix[row[w]]
    elif hasattr(vectors, "__contains__") and hasattr(vectors, "__getitem__"):

        def contains(w: str) -> bool:
            return w in vectors

        def get(w: str) -> Array:
            return np.asarray(vectors[w], dtype=np.float64).reshape(-1)
    else:
        raise ConfigError(
            "`vectors` must be a KeyedVectors-like object (supports `word in v` and `v[word]`) "
            f"or a (words, matrix) pair; got {type(vectors).__name__}."
        )
    found = [w for w in wanted if contains(w)]
    missing = [w for w in wanted if w not in set(found)]
    if not found:
        raise ConfigError(
            "`words` must include at least one word in the vocabulary; "
            f"none of {_preview(wanted)} is."
        )
    if missing:
        warnings.warn(
            f"skipping {len(missing)} word(s) not in the vocabulary: {_preview(missing)}",
            UserWarning,
            stacklevel=3,
        )
    rows = [get(w) for w in found]
    dims = {r.shape[0] for r in rows}
    if len(dims) != 1:
        raise ConfigError(f"`vectors` must give every word the same dimension; got {sorted(dims)}.")
    return found, np.stack(rows)


def _preview(words: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(repr(w) for w in words[:limit])
    return shown + (f", ... ({len(words)} in all)" if len(words) > limit else "")


def _draw(coords: dict[str, tuple[float, float]], path: Path, fmt: str, title: str) -> None:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError(
            "plotting needs matplotlib; install it with `pip install 'wordvec[plot]'`."
        ) from exc
    # a bare Figure on the Agg canvas: no pyplot, no global backend switch, no GUI
    fig = Figure(figsize=(8, 6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = [x for x, _ in coords.values()]
    ys = [y for _, y in coords.values()]
    ax.scatter(xs, ys, s=14, color="tab:red")
    for word, (x, y) in coords.items():
        ax.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9)
    ax.set_title(title)
    ax.margins(0.12)
    # no timestamp in SVG output, so the same plot gives the same file
    metadata = {"Date": None} if fmt == "svg" else None
    with atomic_write(path, "wb") as fh:
        fig.savefig(fh, format=fmt, dpi=150, bbox_inches="tight", metadata=metadata)
