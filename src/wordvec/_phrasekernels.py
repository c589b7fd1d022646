"""Compiled kernels of :mod:`wordvec.phrases`: counting phrase candidates, scoring, applying.

Streams are int32 arrays of token ids cut at sentence ends (``-1``); every chunk
a kernel sees ends with ``-1``, so a phrase candidate always lies inside it. Two
negative codes stand for tokens without an id in the layer at hand: ``-2`` an
unknown word, ``-3`` an unknown connector word. Neither can be part of a phrase.

A *candidate* is gensim's: a non-connector word, any number of connector words,
and the next non-connector word (``bank of america``); its key is that id
sequence, contiguous in the stream. Keys live in a :class:`PairTable`, an
open-addressing hash table held in NumPy arrays:

* ``slots`` (int64, shape (S, 2), S a power of two, load <= 0.5): ``(k0, e << 1 | long)``.
  For a two-word key ``k0`` is the key itself, ``a << 32 | b``, so that most
  lookups are settled by one 16-byte slot; for a longer key ``k0`` is a hash of
  the sequence and the entry's ids are compared. Empty slots are ``(-1, -1)``.
* ``offsets`` (int64, shape (C + 1,)) and ``keys`` (int32): entry ``e``'s key is
  ``keys[offsets[e]:offsets[e + 1]]``; entries are numbered in insertion order.
* ``counts`` (int64, shape (C,)): how often each key occurred (or, in a phrase
  table, unused).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

SENTENCE_END = -1
UNKNOWN = -2
UNKNOWN_CONNECTOR = -3

# Kernel outcomes: the chunk is done; the table arrays must grow; the table holds
# max_entries keys and must be pruned before the next new key.
DONE, GROW, FULL = 0, 1, 2

_EMPTY = np.int64(-1)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)  # MurmurHash3's 64-bit finaliser constants
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)

SCORERS = ("default", "npmi", "word2phrase")
_SCORER_CODE = {name: i for i, name in enumerate(SCORERS)}


class PairTable(NamedTuple):
    """Candidate keys and their counts (see the module docstring)."""

    slots: np.ndarray
    offsets: np.ndarray
    keys: np.ndarray
    counts: np.ndarray


def new_table(entries: int, key_ids: int | None = None) -> PairTable:
    """An empty table with room for ``entries`` keys (``key_ids`` ids in all)."""
    entries = max(int(entries), 4)
    slots = 1 << (2 * entries - 1).bit_length()  # a power of two >= 2 * entries
    return PairTable(
        slots=np.full((slots, 2), _EMPTY, dtype=np.int64),
        offsets=np.zeros(entries + 1, dtype=np.int64),
        keys=np.zeros(max(key_ids or 0, 2 * entries), dtype=np.int32),
        counts=np.zeros(entries, dtype=np.int64),
    )


# --------------------------------------------------------------------------- hashing


@numba.njit(nogil=True, cache=True)
def _fmix(h):  # pragma: no cover - compiled
    h ^= h >> np.uint64(33)
    h *= _MIX1
    h ^= h >> np.uint64(33)
    h *= _MIX2
    h ^= h >> np.uint64(33)
    return h


@numba.njit(nogil=True, cache=True)
def _key0(seq, lo, hi):  # pragma: no cover - compiled
    """The slot key of ``seq[lo:hi]``: the pair itself, or a hash of a longer sequence."""
    if hi - lo == 2:
        return (np.int64(seq[lo]) << 32) | np.int64(seq[lo + 1])
    h = np.uint64(hi - lo)
    for i in range(lo, hi):
        h = (h ^ np.uint64(seq[i])) * _GOLDEN
        h = (h << np.uint64(29)) | (h >> np.uint64(35))
    return np.int64(_fmix(h))


@numba.njit(nogil=True, cache=True)
def _lookup(slots, offsets, keys, seq, lo, hi):  # pragma: no cover - compiled
    """``(slot, entry)`` of the key ``seq[lo:hi]``; entry -1 (and the free slot) if absent."""
    k0 = _key0(seq, lo, hi)
    tag = np.int64(0 if hi - lo == 2 else 1)
    mask = np.uint64(len(slots) - 1)
    slot = np.int64(_fmix(np.uint64(k0)) & mask)
    while True:
        v = slots[slot, 1]
        if v == _EMPTY:
            return slot, np.int64(-1)
        if slots[slot, 0] == k0 and (v & 1) == tag:
            e = v >> 1
            if tag == 0:
                return slot, e
            start = offsets[e]
            if offsets[e + 1] - start == hi - lo:
                same = True
                for i in range(hi - lo):
                    if keys[start + i] != seq[lo + i]:
                        same = False
                        break
                if same:
                    return slot, e
        slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)


@numba.njit(nogil=True, cache=True)
def rehash(slots, offsets, keys, n_entries):  # pragma: no cover - compiled
    """Fill the empty ``slots`` with entries ``0..n_entries-1``."""
    for e in range(n_entries):
        lo, hi = offsets[e], offsets[e + 1]
        slot, _ = _lookup(slots, offsets, keys, keys, lo, hi)
        slots[slot, 0] = _key0(keys, lo, hi)
        slots[slot, 1] = (np.int64(e) << 1) | np.int64(0 if hi - lo == 2 else 1)


@numba.njit(nogil=True, cache=True)
def _insert(slots, offsets, keys, slot, e, seq, lo, hi):  # pragma: no cover - compiled
    start = offsets[e]
    for i in range(hi - lo):
        keys[start + i] = seq[lo + i]
    offsets[e + 1] = start + hi - lo
    slots[slot, 0] = _key0(seq, lo, hi)
    slots[slot, 1] = (np.int64(e) << 1) | np.int64(0 if hi - lo == 2 else 1)


# --------------------------------------------------------------------------- counting


@numba.njit(nogil=True, cache=True)
def count_chunk(
    ids, t0, is_conn, slots, offsets, keys, counts, state, max_entries
):  # pragma: no cover
    """Count the candidates of ``ids[t0:]`` (a chunk ending at a sentence end).

    ``state[0]`` holds the number of entries and ``state[1]`` the position of the
    pending candidate's first word when a call stopped early (-1: none). Returns
    ``(status, t)``: ``DONE``, or ``GROW`` / ``FULL`` with nothing from ``ids[t]`` on
    counted yet (grow or prune, then call again from ``t``).
    """
    n = state[0]
    s = state[1]  # position of the candidate's first word, or -1
    clean = True  # no unknown connector since s
    for t in range(t0, len(ids)):
        w = ids[t]
        if w < 0:
            if w == UNKNOWN_CONNECTOR:
                clean = False
            else:  # a sentence end or an unknown word: no candidate spans it
                s = -1
            continue
        if is_conn[w]:
            continue
        if s >= 0 and clean:
            slot, e = _lookup(slots, offsets, keys, ids, s, t + 1)
            if e < 0:
                if n >= max_entries or n == len(counts) or offsets[n] + t + 1 - s > len(keys):
                    state[0] = n
                    state[1] = s
                    return (FULL if n >= max_entries else GROW), t
                e = n
                n += 1
                _insert(slots, offsets, keys, slot, e, ids, s, t + 1)
            counts[e] += 1
        s = t
        clean = True
    state[0] = n
    state[1] = -1
    return DONE, len(ids)


@numba.njit(nogil=True, cache=True)
def prune(slots, offsets, keys, counts, n_entries, min_reduce):  # pragma: no cover - compiled
    """Drop the entries counted at most ``min_reduce`` times (word2vec C's ReduceVocab).

    Survivors keep their order; the slots are rebuilt. Returns the new entry count.
    """
    m = 0
    used = 0
    for e in range(n_entries):
        lo, hi = offsets[e], offsets[e + 1]
        if counts[e] > min_reduce:
            for i in range(hi - lo):
                keys[used + i] = keys[lo + i]
            offsets[m] = used
            used += hi - lo
            counts[m] = counts[e]
            m += 1
    offsets[m] = used
    counts[m:n_entries] = 0
    slots[:] = _EMPTY
    rehash(slots, offsets, keys, m)
    return m


# --------------------------------------------------------------------------- scoring


@numba.njit(nogil=True, cache=True)
def score_entries(
    offsets, keys, counts, n_entries, word_counts, scorer, min_count, n_vocab, n_words
):  # pragma: no cover
    """The score of every entry, float64, exactly as the reference tools compute it.

    ``scorer`` 0, gensim's ``original_scorer``: ``(c_ab - min_count) / (c_a c_b) * n_vocab``.
    1, gensim's ``npmi_scorer``: ``ln(p_ab / (p_a p_b)) / -ln(p_ab)``, ``p = c / n_words``,
    -inf when ``c_ab < min_count``. 2, word2phrase's, in float32 as the C tool computes
    it: ``(c_ab - min_count) / c_a / c_b * n_words``, 0 when any count is below
    ``min_count``. The operations are done in the same order as there, so the
    results are the same floating-point numbers.
    """
    out = np.empty(n_entries, dtype=np.float64)
    total = np.float64(n_words)
    for e in range(n_entries):
        ca = word_counts[keys[offsets[e]]]
        cb = word_counts[keys[offsets[e + 1] - 1]]
        cab = counts[e]
        if scorer == 0:
            out[e] = np.float64(cab - min_count) / np.float64(ca * cb) * np.float64(n_vocab)
        elif scorer == 1:
            if cab >= min_count:
                pa = ca / total
                pb = cb / total
                pab = cab / total
                out[e] = math.log(pab / (pa * pb)) / -math.log(pab)
            else:
                out[e] = -np.inf
        else:
            if ca < min_count or cb < min_count or cab < min_count:
                out[e] = 0.0
            else:
                s = np.float32(cab - min_count) / np.float32(ca)
                s = s / np.float32(cb)
                s = s * np.float32(n_words)
                out[e] = np.float64(s)
    return out


def scorer_code(name: str) -> int:
    return _SCORER_CODE[name]


@numba.njit(nogil=True, cache=True)
def build_phrase_table(slots, offsets, keys, select, src_offsets, src_keys):  # pragma: no cover
    """Insert the keys ``select`` of a source table, in order; entry i is phrase i."""
    for i in range(len(select)):
        e = select[i]
        lo, hi = src_offsets[e], src_offsets[e + 1]
        slot, _ = _lookup(slots, offsets, keys, src_keys, lo, hi)
        _insert(slots, offsets, keys, slot, i, src_keys, lo, hi)


# --------------------------------------------------------------------------- applying


@numba.njit(nogil=True, cache=True)
def apply_chunk(ids, to_layer, is_conn, slots, offsets, keys, phrase_out, out):  # pragma: no cover
    """Join the phrases of ``ids`` (gensim's greedy left-to-right rule); returns len(out used).

    ``ids`` are input ids (``-1`` ends a sentence); ``to_layer[i]`` is input id i's
    id in the phrase layer, or ``UNKNOWN`` / ``UNKNOWN_CONNECTOR``. A token that is
    not joined is written as its input id, phrase p as ``phrase_out[p]``; sentence
    ends are kept. ``out`` needs ``len(ids)`` room. A connector starts nothing and
    ends nothing; between a candidate's first word and the next non-connector word
    it waits, and is written out with the first word when the candidate fails.
    """
    m = 0
    s = -1  # position of the pending candidate's first word
    lids = np.empty(len(ids), dtype=np.int32)  # layer ids, so that a key is contiguous
    for t in range(len(ids)):
        w = ids[t]
        lw = w if w < 0 else to_layer[w]
        lids[t] = lw
        if w == SENTENCE_END:
            if s >= 0:
                for i in range(s, t):
                    out[m] = ids[i]
                    m += 1
                s = -1
            out[m] = w
            m += 1
            continue
        if lw == UNKNOWN_CONNECTOR or (lw >= 0 and is_conn[lw]):
            if s < 0:
                out[m] = w
                m += 1
            continue
        if s >= 0:
            p = np.int64(-1)
            if lw >= 0 and lids[s] >= 0:
                _, p = _lookup(slots, offsets, keys, lids, s, t + 1)
            if p >= 0:
                out[m] = phrase_out[p]
                m += 1
                s = -1
                continue
            for i in range(s, t):
                out[m] = ids[i]
                m += 1
        s = t
    if s >= 0:
        for i in range(s, len(ids)):
            out[m] = ids[i]
            m += 1
    return m


@numba.njit(nogil=True, cache=True)
def write_chunk(ids, blob, offsets, out):  # pragma: no cover - compiled
    """UTF-8 text of ``ids``: tokens separated by spaces, a newline at each sentence end.

    Token i is ``blob[offsets[i]:offsets[i + 1]]``; returns the bytes written to
    ``out`` (which must have room).
    """
    m = 0
    pending = False  # a token was written since the last newline
    for t in range(len(ids)):
        w = ids[t]
        if w < 0:
            if pending:
                out[m] = 10
                m += 1
                pending = False
            continue
        if pending:
            out[m] = 32
            m += 1
        lo, hi = offsets[w], offsets[w + 1]
        out[m : m + hi - lo] = blob[lo:hi]
        m += hi - lo
        pending = True
    return m


@numba.njit(nogil=True, cache=True)
def text_size(ids, offsets):  # pragma: no cover - compiled
    """Bytes :func:`write_chunk` writes for ``ids``."""
    m = 0
    for t in range(len(ids)):
        w = ids[t]
        if w >= 0:
            m += offsets[w + 1] - offsets[w] + 1
    return m
