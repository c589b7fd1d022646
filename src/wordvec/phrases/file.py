"""Reading phrase model files (written by :mod:`wordvec.phrases`), checking every field.

A file is a native container (magic, container version, JSON header, aligned
arrays) whose meta says ``{"format": "wordvec.phrases", "version": 1, "kind":
"phrases" | "frozen", "params": {...}, "layers": [...]}``. Pass ``k``'s arrays are
``k.words_blob`` / ``k.words_offsets`` (its words), ``k.offsets`` / ``k.keys`` (its
candidate keys as word ids) and ``k.counts`` + ``k.word_counts`` (a full model) or
``k.scores`` (frozen phrases). Nothing in a file is trusted: a file from a newer
format version, a missing or mistyped field, or an id out of range is a
:class:`~wordvec.errors.FormatError` naming the file and the field.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from ..errors import FormatError
from ..vectors.formats import decode_strings, read_container

FORMAT = "wordvec.phrases"
VERSION = 1
KINDS = ("phrases", "frozen")
MAX_TOKENS = 2**53  # a layer's n_words (exact in float64, as the scores use it)


def read_parts(path: str | os.PathLike[str]) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """``(kind, params, layers)``: each layer a dict of its checked arrays and meta."""
    name = os.fspath(path)
    meta, arrays = read_container(path, mmap=False)
    if meta.get("format") != FORMAT:
        raise FormatError(f"{name}: not a wordvec phrases file (format {meta.get('format')!r})")
    version = meta.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError(f"{name}: bad phrases format version {version!r}")
    if version > VERSION:
        raise FormatError(
            f"{name}: phrases format version {version} is newer than this wordvec reads "
            f"({VERSION}); upgrade wordvec"
        )
    kind = meta.get("kind")
    if kind not in KINDS:
        raise FormatError(f"{name}: unknown phrases kind {kind!r}")
    params = meta.get("params")
    layers_meta = meta.get("layers")
    if not isinstance(params, dict) or not isinstance(layers_meta, list) or not layers_meta:
        raise FormatError(f"{name}: 'params' or 'layers' missing from the header")
    connectors = params.get("connector_words")
    if not isinstance(connectors, list) or not all(isinstance(w, str) for w in connectors):
        raise FormatError(f"{name}: 'connector_words' must be a list of str")
    layers = []
    for k, layer_meta in enumerate(layers_meta):
        if not isinstance(layer_meta, dict):
            raise FormatError(f"{name}: layer {k} header is not an object")
        layers.append(_layer(name, arrays, k, kind, layer_meta))
    return kind, params, layers


def _array(name: str, arrays: dict[str, np.ndarray], key: str, kinds: str) -> np.ndarray:
    arr = arrays.get(key)
    if arr is None:
        raise FormatError(f"{name}: array {key!r} is missing")
    if arr.ndim != 1 or arr.dtype.kind not in kinds:
        raise FormatError(f"{name}: array {key!r} must be 1-D of kind {kinds!r}; got {arr.dtype}")
    return arr


def _layer(
    name: str, arrays: dict[str, np.ndarray], k: int, kind: str, meta: dict[str, Any]
) -> dict[str, Any]:
    words = decode_strings(
        _array(name, arrays, f"{k}.words_blob", "u"),
        _array(name, arrays, f"{k}.words_offsets", "i"),
        source=f"{name}: words of layer {k}",
    )
    offsets = _array(name, arrays, f"{k}.offsets", "i").astype(np.int64)
    keys = _array(name, arrays, f"{k}.keys", "i").astype(np.int32)
    n = len(offsets) - 1
    if n < 0 or offsets[0] != 0 or offsets[-1] != len(keys) or (n and np.any(np.diff(offsets) < 2)):
        raise FormatError(
            f"{name}: layer {k} key offsets must rise from 0 to {len(keys)} by at least 2"
        )
    if len(keys) and (keys.min() < 0 or keys.max() >= len(words)):
        raise FormatError(f"{name}: layer {k} keys hold word ids outside 0..{len(words) - 1}")
    out: dict[str, Any] = {"words": words, "offsets": offsets, "keys": keys}
    if kind == "phrases":
        counts = _array(name, arrays, f"{k}.counts", "i").astype(np.int64)
        word_counts = _array(name, arrays, f"{k}.word_counts", "i").astype(np.int64)
        if len(counts) != n or len(word_counts) != len(words):
            raise FormatError(f"{name}: layer {k} counts do not match its keys or words")
        if (len(counts) and counts.min() < 1) or (len(word_counts) and word_counts.min() < 0):
            raise FormatError(f"{name}: layer {k} holds negative (or zero key) counts")
        n_words = meta.get("n_words")
        if not isinstance(n_words, int) or isinstance(n_words, bool) or n_words < 0:
            raise FormatError(f"{name}: layer {k} 'n_words' must be an int >= 0")
        # every count is one of the layer's n_words tokens (pruning only lowers them);
        # the scores divide by n_words and by the counts of a key's first and last words
        if n_words > MAX_TOKENS:
            raise FormatError(f"{name}: layer {k} 'n_words' {n_words} exceeds 2**53")
        if (len(counts) and counts.max() > n_words) or (
            len(word_counts) and word_counts.max() > n_words
        ):
            raise FormatError(f"{name}: layer {k} holds counts above its n_words ({n_words})")
        if len(keys) and word_counts[keys].min() < 1:
            raise FormatError(f"{name}: layer {k} has a candidate of a word counted 0 times")
        min_reduce = meta.get("min_reduce", 1)
        if not isinstance(min_reduce, int) or isinstance(min_reduce, bool) or min_reduce < 1:
            raise FormatError(f"{name}: layer {k} 'min_reduce' must be an int >= 1")
        out.update(
            counts=counts,
            word_counts=word_counts,
            n_words=n_words,
            pruned=bool(meta.get("pruned", False)),
            min_reduce=min_reduce,
        )
    else:
        scores = _array(name, arrays, f"{k}.scores", "f").astype(np.float64)
        if len(scores) != n or not all(math.isfinite(x) for x in scores.tolist()):
            raise FormatError(f"{name}: layer {k} scores do not match its keys or are not finite")
        out["scores"] = scores
    return out
