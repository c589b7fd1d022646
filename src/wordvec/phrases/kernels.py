"""Compiled kernels of :mod:`wordvec.phrases`: counting phrase candidates, scoring, applying.

Streams are int32 arrays of token ids cut at sentence ends (``-1``); every chunk
a kernel sees ends with ``-1``, so a phrase candidate always lies inside it. Two
negative codes stand for tokens without an id in the layer at hand: ``-2`` an
unknown word, ``-3`` an unknown connector word. Neither can be part of a phrase.

A *candidate* is gensim's: a non-connector word, any number of connector words,
and the next non-connector word (``bank of america``); its key is that id
sequence, contiguous in the stream. Keys live in a :class:`PairTable`, an
open-addressing hash table held in NumPy arrays, built so that a lookup of the
common two- and three-word keys touches one 16-byte slot and nothing else:

* ``slots`` (int64, shape (S, 2), S a power of two, load <= 3/4): ``(k0, v)``, empty
  ``(-1, 0)``. A two-word key ``(a, b)`` is packed as ``k0 = a << 32 | b``, a
  three-word one (ids below 2**20) as ``1 << 62 | a << 40 | c << 20 | b``; then ``v``
  is its count (counting) or phrase number (a phrase table). For any other key
  ``k0`` is a hash of it with the top bit set and ``v`` an entry of the arrays
  below, where the key is compared.
* ``offsets`` (int64) and ``keys`` (int32): entry ``e``'s ids are
  ``keys[offsets[e]:offsets[e + 1]]``; ``counts`` (int64) its count. A counting
  table keeps only the longer keys there; a phrase table keeps every phrase
  (entry p is phrase p), so that its text can be made.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np

SENTENCE_END = -1
UNKNOWN = -2
UNKNOWN_CONNECTOR = -3

# Bits of a phrase layer's per-word ``edge`` flags (see apply_chunk).
CONNECTOR, FIRST, LAST = 1, 2, 4

# Kernel outcomes: the chunk is done; the table arrays must grow; the table holds
# max_entries keys and must be pruned before the next new key.
DONE, GROW, FULL = 0, 1, 2

_EMPTY = np.int64(-1)
_TOP = np.uint64(1) << np.uint64(63)
_TRIPLE = np.int64(1) << np.int64(62)  # marks a packed three-word key
_PAIR_LIMIT = np.int64(1) << np.int64(30)  # ids of a packed pair's first word stay below
_TRIPLE_LIMIT = np.int64(1) << np.int64(20)  # ids of a packed triple stay below
_BATCH = 32  # candidates whose slots are read ahead together; see count_chunk
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


def new_table(entries: int, long_entries: int = 64, key_ids: int = 256) -> PairTable:
    """An empty table with room for ``entries`` keys, ``long_entries`` of them in the
    arrays (``key_ids`` ids in all)."""
    need = -(-4 * max(int(entries), 4) // 3)  # slots for entries at load 3/4
    slots = 1 << (need - 1).bit_length()  # the power of two >= that
    table = np.zeros((slots, 2), dtype=np.int64)
    table[:, 0] = _EMPTY
    return PairTable(
        slots=table,
        offsets=np.zeros(long_entries + 1, dtype=np.int64),
        keys=np.zeros(key_ids, dtype=np.int32),
        counts=np.zeros(long_entries, dtype=np.int64),
    )


# --------------------------------------------------------------------------- hashing


@numba.njit(nogil=True, cache=True, inline="always")
def _fmix(h):  # pragma: no cover - compiled
    h ^= h >> np.uint64(33)
    h *= _MIX1
    h ^= h >> np.uint64(33)
    h *= _MIX2
    h ^= h >> np.uint64(33)
    return h


@numba.njit(nogil=True, cache=True, inline="always")
def _key0(seq, lo, hi):  # pragma: no cover - compiled
    """The slot key of ``seq[lo:hi]``: the key itself packed into 62 bits where it fits
    (a pair ``a << 32 | b`` with ``a < 2**30``; a triple with ids below ``2**20``, bit
    62 set), else a hash of it with the top bit set (never -1, the empty mark).

    A packed key (>= 0) is settled by its slot alone; a hashed one (< 0) is compared
    with the key kept in the table's arrays.
    """
    n = hi - lo
    if n == 2:
        a = np.int64(seq[lo])
        if a < _PAIR_LIMIT:
            return (a << 32) | np.int64(seq[lo + 1])
    elif n == 3:
        a, c, b = np.int64(seq[lo]), np.int64(seq[lo + 1]), np.int64(seq[lo + 2])
        if a < _TRIPLE_LIMIT and c < _TRIPLE_LIMIT and b < _TRIPLE_LIMIT:
            return _TRIPLE | (a << 40) | (c << 20) | b
    h = np.uint64(n)
    for i in range(lo, hi):
        h = (h ^ np.uint64(seq[i])) * _GOLDEN
        h = (h << np.uint64(29)) | (h >> np.uint64(35))
    k = np.int64(_fmix(h) | _TOP)
    return k if k != _EMPTY else np.int64(-2)


@numba.njit(nogil=True, cache=True, inline="always")
def _home(k0, mask):  # pragma: no cover - compiled
    return np.int64(_fmix(np.uint64(k0)) & mask)


@numba.njit(nogil=True, cache=True, inline="always")
def _find_pair(slots, k0):  # pragma: no cover - compiled
    """The slot holding the packed slot key ``k0``, or the empty slot where it goes."""
    mask = np.uint64(len(slots) - 1)
    slot = _home(k0, mask)
    while True:
        k = slots[slot, 0]
        if k == k0 or k == _EMPTY:
            return slot
        slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)


@numba.njit(nogil=True, cache=True)
def _find_long(slots, offsets, keys, k0, seq, lo, hi):  # pragma: no cover - compiled
    """The slot of the key ``seq[lo:hi]`` (longer than two, slot key ``k0``), or the
    empty slot where it goes."""
    mask = np.uint64(len(slots) - 1)
    slot = _home(k0, mask)
    while True:
        k = slots[slot, 0]
        if k == _EMPTY:
            return slot
        if k == k0:
            e = slots[slot, 1]
            start = offsets[e]
            if offsets[e + 1] - start == hi - lo:
                same = True
                for i in range(hi - lo):
                    if keys[start + i] != seq[lo + i]:
                        same = False
                        break
                if same:
                    return slot
        slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)


@numba.njit(nogil=True, cache=True, inline="always")
def _find(slots, offsets, keys, k0, seq, lo, hi):  # pragma: no cover - compiled
    """The slot of the key ``seq[lo:hi]`` (slot key ``k0``), or the empty slot where it goes.

    (Two paths: the packed keys', short enough for the compiler to keep tight, and
    the rare longer keys'.)
    """
    if k0 >= 0:
        return _find_pair(slots, k0)
    return _find_long(slots, offsets, keys, k0, seq, lo, hi)


@numba.njit(nogil=True, cache=True, inline="always")
def lookup(slots, offsets, keys, seq, lo, hi):  # pragma: no cover - compiled
    """The value ``v`` of the key ``seq[lo:hi]``, or -1 when it is not in the table."""
    k0 = _key0(seq, lo, hi)
    if k0 >= 0:
        slot = _find_pair(slots, k0)
    else:
        slot = _find_long(slots, offsets, keys, k0, seq, lo, hi)
    return slots[slot, 1] if slots[slot, 0] != _EMPTY else np.int64(-1)


@numba.njit(nogil=True, cache=True, inline="always")
def _put(slots, k0, v):  # pragma: no cover - compiled
    """Insert a slot key known to be absent (rehashing)."""
    mask = np.uint64(len(slots) - 1)
    slot = _home(k0, mask)
    while slots[slot, 0] != _EMPTY:
        slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)
    slots[slot, 0] = k0
    slots[slot, 1] = v


@numba.njit(nogil=True, cache=True)
def rehash(new, old):  # pragma: no cover - compiled
    """Move every occupied slot of ``old`` into the empty ``new``."""
    for s in range(len(old)):
        if old[s, 0] != _EMPTY:
            _put(new, old[s, 0], old[s, 1])


# --------------------------------------------------------------------------- counting


@numba.njit(nogil=True, cache=True)
def count_chunk(
    ids, t0, is_conn, slots, offsets, keys, counts, state, max_entries
):  # pragma: no cover
    """Count the candidates of ``ids[t0:]`` (a chunk ending at a sentence end).

    ``state`` holds ``[entries, long entries, first word of the pending candidate]``
    (the last -1 when none, or the position to resume from). Returns ``(status, t)``:
    ``DONE``, or ``GROW`` / ``FULL`` with nothing from ``ids[t]`` on counted yet
    (grow or prune, then call again from ``t``).

    Candidates go in batches: first each one's slot key is made and its home slot
    read, then all are counted; the reads of a batch do not wait on one another,
    so their cache misses overlap instead of adding up.
    """
    n, n_long, s = state[0], state[1], state[2]
    mask = np.uint64(len(slots) - 1)
    starts = np.empty(_BATCH, dtype=np.int64)
    ends = np.empty(_BATCH, dtype=np.int64)
    k0s = np.empty(_BATCH, dtype=np.int64)
    touched = np.int64(0)
    clean = True  # no unknown connector since s
    t = t0
    while t < len(ids):
        # gather a batch of candidates [starts[j], ends[j])
        m = 0
        while t < len(ids) and m < _BATCH:
            w = ids[t]
            t += 1
            if w < 0:
                if w == UNKNOWN_CONNECTOR:
                    clean = False
                else:  # a sentence end or an unknown word: no candidate spans it
                    s = -1
                continue
            if is_conn[w]:
                continue
            if s >= 0 and clean:
                starts[m] = s
                ends[m] = t
                k0s[m] = _key0(ids, s, t)
                m += 1
            s = t - 1
            clean = True
        for j in range(m):  # independent loads: the cache lines arrive in parallel
            touched ^= slots[_home(k0s[j], mask), 1]
        for j in range(m):
            lo, hi = starts[j], ends[j]
            slot = _find(slots, offsets, keys, k0s[j], ids, lo, hi)
            packed = k0s[j] >= 0
            if slots[slot, 0] != _EMPTY:
                if packed:
                    slots[slot, 1] += 1
                else:
                    counts[slots[slot, 1]] += 1
                continue
            full = n >= max_entries
            long_full = not packed and (
                n_long == len(counts) or offsets[n_long] + hi - lo > len(keys)
            )
            if full or 4 * (n + 1) > 3 * len(slots) or long_full:
                state[0], state[1], state[2] = n, n_long, lo
                state[3] = touched
                return (FULL if full else GROW), hi - 1
            slots[slot, 0] = k0s[j]
            if packed:
                slots[slot, 1] = 1
            else:
                start = offsets[n_long]
                keys[start : start + hi - lo] = ids[lo:hi]
                offsets[n_long + 1] = start + hi - lo
                counts[n_long] = 1
                slots[slot, 1] = n_long
                n_long += 1
            n += 1
    state[0], state[1], state[2] = n, n_long, -1
    state[3] = touched  # keeps the compiler from dropping the slot reads
    return DONE, len(ids)


@numba.njit(nogil=True, cache=True)
def prune(slots, offsets, keys, counts, n_long, min_reduce):  # pragma: no cover - compiled
    """Drop the keys counted at most ``min_reduce`` times (word2vec C's ReduceVocab).

    Rebuilds the slots and compacts the long entries in place; returns
    ``(entries, long entries)`` left.
    """
    new_e = np.full(n_long, -1, dtype=np.int64)
    m = 0
    used = 0
    for e in range(n_long):
        lo, hi = offsets[e], offsets[e + 1]
        if counts[e] > min_reduce:
            keys[used : used + hi - lo] = keys[lo:hi]
            offsets[m] = used
            used += hi - lo
            counts[m] = counts[e]
            new_e[e] = m
            m += 1
    offsets[m] = used
    counts[m:n_long] = 0
    old = slots.copy()
    slots[:, 0] = _EMPTY
    slots[:, 1] = 0
    n = 0
    for s in range(len(old)):
        k = old[s, 0]
        if k == _EMPTY:
            continue
        v = old[s, 1]
        if k >= 0:  # a packed key: v is its count
            if v <= min_reduce:
                continue
        else:
            v = new_e[v]
            if v < 0:
                continue
        _put(slots, k, v)
        n += 1
    return n, m


@numba.njit(nogil=True, cache=True)
def extract(slots, offsets, keys, counts, n_entries):  # pragma: no cover - compiled
    """Every key of a counting table and its count, in slot order: ``(offsets, keys, counts)``."""
    out_offsets = np.zeros(n_entries + 1, dtype=np.int64)
    size = 0
    for s in range(len(slots)):
        k = slots[s, 0]
        if k != _EMPTY:
            if k >= 0:
                size += 3 if k & _TRIPLE else 2
            else:
                size += offsets[slots[s, 1] + 1] - offsets[slots[s, 1]]
    out_keys = np.empty(size, dtype=np.int32)
    out_counts = np.empty(n_entries, dtype=np.int64)
    e = 0
    used = 0
    for s in range(len(slots)):
        k = slots[s, 0]
        if k == _EMPTY:
            continue
        v = slots[s, 1]
        if k >= 0 and k & _TRIPLE:
            out_keys[used] = np.int32((k >> 40) & 0xFFFFF)
            out_keys[used + 1] = np.int32((k >> 20) & 0xFFFFF)
            out_keys[used + 2] = np.int32(k & 0xFFFFF)
            used += 3
            out_counts[e] = v
        elif k >= 0:
            out_keys[used] = np.int32(k >> 32)
            out_keys[used + 1] = np.int32(k & 0xFFFFFFFF)
            used += 2
            out_counts[e] = v
        else:
            lo, hi = offsets[v], offsets[v + 1]
            out_keys[used : used + hi - lo] = keys[lo:hi]
            used += hi - lo
            out_counts[e] = counts[v]
        e += 1
        out_offsets[e] = used
    return out_offsets, out_keys, out_counts


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
            # (the product in float64: the same correctly rounded number as int64's exact
            # one converted, where that does not overflow, and no overflow where it would)
            out[e] = (
                np.float64(cab - min_count)
                / (np.float64(ca) * np.float64(cb))
                * np.float64(n_vocab)
            )
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
    """Insert the keys ``select`` of ``src``, in order: entry and value p is phrase p."""
    for p in range(len(select)):
        e = select[p]
        lo, hi = src_offsets[e], src_offsets[e + 1]
        start = offsets[p]
        keys[start : start + hi - lo] = src_keys[lo:hi]
        offsets[p + 1] = start + hi - lo
        _put(slots, _key0(src_keys, lo, hi), p)


# --------------------------------------------------------------------------- applying


@numba.njit(nogil=True, cache=True)
def apply_chunk(ids, to_layer, edge, slots, offsets, keys, phrase_out, out):  # pragma: no cover
    """Join the phrases of ``ids`` (gensim's greedy left-to-right rule); returns len(out used).

    ``ids`` are input ids (``-1`` ends a sentence); ``to_layer[i]`` is input id i's
    id in the phrase layer, or ``UNKNOWN`` / ``UNKNOWN_CONNECTOR``. ``edge`` (uint8,
    per layer word): bit ``CONNECTOR`` marks connector words, ``FIRST`` / ``LAST`` the
    words that begin / end some phrase (only those candidates are looked up). A token that is
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
        if lw == UNKNOWN_CONNECTOR or (lw >= 0 and edge[lw] & CONNECTOR):
            if s < 0:
                out[m] = w
                m += 1
            continue
        if s >= 0:
            p = np.int64(-1)
            if lw >= 0 and edge[lw] & LAST and lids[s] >= 0 and edge[lids[s]] & FIRST:
                p = lookup(slots, offsets, keys, lids, s, t + 1)
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
