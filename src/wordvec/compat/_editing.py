"""Editing methods of :class:`wordvec.compat.KeyedVectors` (gensim's names and arguments).

A mixin, kept apart so that ``keyedvectors.py`` stays readable; it relies on the
attributes of :class:`wordvec.vectors.KeyedVectors` and on the compat class's
``_attrs`` (gensim's per-key "expandos" other than "count").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..vectors.keyedvectors import KeyedVectors as _NativeKeyedVectors

_KEY_TYPES = (str, int, np.integer)


class _EditingMixin:
    def add_vectors(
        self, keys: Any, weights: Any, extras: dict | None = None, replace: bool = False
    ) -> None:
        """Append keys with their vectors ((n, d), or one key and one vector); a key
        already present keeps its vector unless ``replace``."""
        if isinstance(keys, _KEY_TYPES):
            keys = [keys]
            weights = np.asarray(weights).reshape(1, -1)
        keys = list(keys)
        bad = [k for k in keys if not isinstance(k, str)]
        if bad:
            raise ConfigError(f"wordvec.compat keys must be str; got {bad[0]!r}.")
        n_before = len(self)
        _NativeKeyedVectors.add_vectors(self, keys, np.asarray(weights), replace=replace)
        for attr, values in list(self._attrs.items()):
            grown = np.zeros(len(self), dtype=values.dtype)
            grown[:n_before] = values
            self._attrs[attr] = grown
        for attr, values in (extras or {}).items():
            for key, val in zip(keys, np.asarray(values), strict=True):
                if replace or self.key_to_index[key] >= n_before:
                    self.set_vecattr(key, attr, val)
        self._norms = None

    def add_vector(self, key: str, vector: np.ndarray) -> int:
        """Add one key (if new) and return its row."""
        self.add_vectors([key], np.asarray(vector).reshape(1, -1))
        return self.key_to_index[key]

    def __setitem__(self, keys: Any, weights: Any) -> None:
        """``kv[key] = vector``: add or replace."""
        if not isinstance(keys, list):
            keys = [keys]
            weights = np.asarray(weights).reshape(1, -1)
        self.add_vectors(keys, weights, replace=True)

    def sort_by_descending_frequency(self) -> None:
        """Reorder the keys by descending count (ties: the later key first, as gensim)."""
        if not len(self):
            return
        if self.counts is None:
            raise KeyError("count")
        order = np.lexsort((-np.arange(len(self)), -self.counts))
        words = [self.words[i] for i in order.tolist()]
        attrs = {k: v[order] for k, v in self._attrs.items()}
        self._setup(words, self.vectors[order], self.counts[order])
        self._attrs = attrs

    def vectors_for_all(
        self, keys: Iterable[Any], allow_inference: bool = True, copy_vecattrs: bool = False
    ):
        """A new KeyedVectors of the given keys that are present (duplicates once, in order)."""
        rows = list(dict.fromkeys(self.get_index(k) for k in keys if k in self))
        counts = self.counts[rows] if copy_vecattrs and self.counts is not None else None
        out = type(self)._from_native(
            _NativeKeyedVectors([self.words[i] for i in rows], self.vectors[rows], counts)
        )
        if copy_vecattrs:
            out._attrs = {k: v[rows] for k, v in self._attrs.items()}
        return out
