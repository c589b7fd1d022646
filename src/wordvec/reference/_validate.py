"""Argument checks shared by the reference functions.

Each helper converts its argument to the array type the math needs (float64
vectors and matrices, int64 index arrays) or raises an error that names the
parameter, what it must be and the value given. They are cheap (shape and
range checks only) because the reference trainer calls them on every step.
"""

from __future__ import annotations

import numbers

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError


def vector(name: str, x: ArrayLike, size: int | None = None) -> NDArray[np.float64]:
    """``x`` as a float64 1-D array (of length ``size`` when given)."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 1:
        raise ConfigError(f"`{name}` must be a 1-D vector; got an array of shape {a.shape}.")
    if size is not None and a.shape[0] != size:
        raise ConfigError(f"`{name}` must have length {size}; got shape {a.shape}.")
    return a


def matrix(
    name: str, x: ArrayLike, rows: int | None = None, cols: int | None = None
) -> NDArray[np.float64]:
    """``x`` as a float64 2-D array, with the given number of rows / columns when given."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2:
        raise ConfigError(f"`{name}` must be a 2-D matrix; got an array of shape {a.shape}.")
    if rows is not None and a.shape[0] != rows:
        raise ConfigError(f"`{name}` must have {rows} rows; got shape {a.shape}.")
    if cols is not None and a.shape[1] != cols:
        raise ConfigError(f"`{name}` must have {cols} columns; got shape {a.shape}.")
    if a.shape[0] == 0:
        raise ConfigError(f"`{name}` must have at least one row; got shape {a.shape}.")
    return a


def index(name: str, i: object, size: int) -> int:
    """``i`` as a Python int in [0, size); IndexError if out of range."""
    if isinstance(i, bool | np.bool_) or not isinstance(i, numbers.Integral):
        raise ConfigError(f"`{name}` must be an int index; got {i!r}.")
    i = int(i)
    if not 0 <= i < size:
        raise IndexError(
            f"`{name}` must be an index in [0, {size}) (the vocabulary size); got {i}."
        )
    return i


def indices(name: str, idx: ArrayLike, size: int, allow_empty: bool = False) -> NDArray[np.int64]:
    """``idx`` as a 1-D int64 array with every entry in [0, size); IndexError if one is not."""
    a = np.asarray(idx)
    if a.ndim != 1:
        raise ConfigError(f"`{name}` must be a 1-D sequence of indices; got shape {a.shape}.")
    if a.size == 0:
        if allow_empty:
            return np.zeros(0, dtype=np.int64)
        raise ConfigError(f"`{name}` must hold at least one index; got an empty sequence.")
    if a.dtype.kind not in "iu":
        raise ConfigError(f"`{name}` must hold int indices; got dtype {a.dtype}.")
    a = a.astype(np.int64, copy=False)
    lo, hi = int(a.min()), int(a.max())
    if lo < 0 or hi >= size:
        bad = lo if lo < 0 else hi
        raise IndexError(
            f"`{name}` must hold indices in [0, {size}) (the vocabulary size); got {bad}."
        )
    return a


def positive_int(name: str, k: object) -> int:
    """``k`` as a Python int >= 1."""
    if isinstance(k, bool | np.bool_) or not isinstance(k, numbers.Integral) or int(k) < 1:
        raise ConfigError(f"`{name}` must be an int >= 1; got {k!r}.")
    return int(k)
