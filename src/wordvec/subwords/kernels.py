"""The compiled parts of the subword stage: the n-gram table of a vocabulary and the
composition of every word's vector from its rows.

Apart from :mod:`wordvec.subwords.ngrams` and :mod:`wordvec.subwords.keyed` so that
reading a fastText file, answering one word or evaluating plain vectors does not
import Numba (about 0.2 s); those modules import this one when they need it.
"""

from __future__ import annotations

import numba
import numpy as np

_JIT = {"nogil": True, "cache": True}
# fastText's 32-bit FNV-1a, as ngrams.fnv1a (this module sits below ngrams, which imports
# it; tests/subwords hold the compiled table to the per-word definition)
_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619
_MASK32 = 0xFFFFFFFF


@numba.njit(**_JIT)
def _hash_span(buf, lo, hi):
    h = np.uint64(_FNV_OFFSET)
    for i in range(lo, hi):
        c = np.uint64(buf[i])
        if c >= 0x80:
            c |= np.uint64(0xFFFFFF00)
        h = ((h ^ c) * np.uint64(_FNV_PRIME)) & np.uint64(_MASK32)
    return h


@numba.njit(**_JIT)
def _table(buf, starts, minn, maxn, bucket, nwords, eos_id, rows, fill):
    """Count (fill=False) or write (fill=True) every word's rows; returns the count per word.

    Word i's wrapped bytes are ``buf[starts[i]:starts[i + 1]]``.
    """
    n_words = len(starts) - 1
    counts = np.zeros(n_words, dtype=np.int64)
    pos = 0
    for w in range(n_words):
        lo = starts[w]
        size = starts[w + 1] - lo
        if fill:
            rows[pos] = w
        pos += 1
        c = 1
        if w != eos_id and maxn > 0 and bucket > 0:
            for i in range(size):
                if buf[lo + i] & 0xC0 == 0x80:
                    continue
                j = i
                n = 1
                while j < size and n <= maxn:
                    j += 1
                    while j < size and buf[lo + j] & 0xC0 == 0x80:
                        j += 1
                    if n >= minn and not (n == 1 and (i == 0 or j == size)):
                        if fill:
                            rows[pos] = nwords + np.int64(_hash_span(buf, lo + i, lo + j) % bucket)
                        pos += 1
                        c += 1
                    n += 1
        counts[w] = c
    return counts


@numba.njit(**_JIT)
def _compose(weights, offsets, rows, lo, out):
    """out[i] = mean of weights[rows[offsets[lo+i]:offsets[lo+i+1]]], float32, fastText's order."""
    d = weights.shape[1]
    for i in range(out.shape[0]):
        a = offsets[lo + i]
        b = offsets[lo + i + 1]
        for j in range(d):
            out[i, j] = 0.0
        for k in range(a, b):
            r = rows[k]
            for j in range(d):
                out[i, j] += weights[r, j]
        if b > a:
            scale = np.float32(1.0 / (b - a))
            for j in range(d):
                out[i, j] *= scale
