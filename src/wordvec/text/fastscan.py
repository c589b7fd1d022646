"""Compiled vocabulary scan of text files: what `scan_sentences` gives, faster.

:func:`~wordvec.text.scan.scan` calls it (:func:`scan_files`) for a corpus read from
files and falls back to the Python scan when it does not apply; Spark's executors
scan their rows of text with :func:`scan_lines`. Both drive one :class:`Scanner`.

:func:`~wordvec.text.scan.scan_sentences` spends most of its time in a ``dict`` lookup
per token on freshly made ``str`` objects. For a corpus read from files, :func:`scan_files`
never makes those strings: it reads binary blocks, lets Python's UTF-8 decoder
validate them (through :mod:`wordvec.text.corpus`'s own reader, so errors and their
byte offsets are exactly the ones iterating the corpus raises), and a compiled
kernel splits the bytes into tokens and looks each up in an open-addressing hash
table held in NumPy arrays. New tokens get the next provisional id in first-seen
order, ids and the ``-1`` sentence ends go to the same int32 cache file, and
counting happens in the kernel. The result is identical to
``scan_sentences(corpus, max_vocab=..., tmp_dir=...)``: words, counts, token and
sentence counts, cache bytes and fingerprint.

Tokens are split where :meth:`str.split` splits: on the ASCII whitespace
``\\t \\n \\v \\f \\r`` and space, the separators ``\\x1c``-``\\x1f``, and the Unicode
whitespace U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F
and U+3000 (in UTF-8, every one of them starts with byte C2, E1, E2 or E3).
Sentences end at ``"\\n"`` only, and lines longer than ``max_sentence_length``
tokens are cut into consecutive pieces, as :mod:`wordvec.text.corpus` does.

The kernel is resumable: it stops, with everything before a token start done,
when its arrays are full (Python grows them and calls again from there) and at
the end of a block, where the unfinished token is carried over to the next one.
"""

from __future__ import annotations

import codecs
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import IO, NamedTuple

import numba
import numpy as np

from ..files.atomic import write_anonymous
from .corpus import TextCorpus, decoded_blocks, open_file
from .idcache import CACHE_WRITE, SENTENCE_END, Scan

__all__ = ["Scanner", "scan_files", "scan_lines"]

# Bytes read from a (decompressed) file per block. Big enough that per-block
# Python work is negligible, small enough to keep the working set at a few tens of
# MiB (the output buffer holds up to one int32 per byte). Tests shrink it.
_BLOCK_SIZE = 1 << 22
_LINES_PER_BLOCK = 20_000  # lines handed to the scanner at a time by scan_lines
_INITIAL_WORDS = 1 << 15  # word capacity of a fresh table; the slot array is twice that

# Byte classes. Every Unicode whitespace character str.split() knows of beyond
# ASCII starts with one of the _LEAD bytes; _unicode_space() decides the rest.
_TOKEN, _SPACE, _NEWLINE, _LEAD = 0, 1, 2, 3


def _byte_classes() -> np.ndarray:
    classes = np.full(256, _TOKEN, dtype=np.uint8)
    for byte in b"\t\x0b\x0c\r \x1c\x1d\x1e\x1f":
        classes[byte] = _SPACE
    classes[ord("\n")] = _NEWLINE
    for byte in (0xC2, 0xE1, 0xE2, 0xE3):
        classes[byte] = _LEAD
    return classes


_CLASSES = _byte_classes()
_BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark, dropped at the start of a file

# Kernel outcomes: the block is done; the rest of the block (from the returned
# position) must be carried over to the next; the table or the byte arena is full;
# a sentence ended with more than max_vocab words in the table (prune, then go on).
_DONE, _CARRY, _GROW_TABLE, _GROW_ARENA, _PRUNE = 0, 1, 2, 3, 4

# Slots of the int64 state vector the kernel reads and updates in place.
_N_WORDS, _ARENA_USED, _PIECE_LEN, _N_TOKENS, _N_SENTENCES, _OUT_LEN, _TOUCHED = range(7)
_BATCH = 64  # tokens scanned before they are looked up; see _scan_block

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)  # MurmurHash3's 64-bit finaliser constants
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_ONES = np.uint64(0x0101010101010101)  # times a byte value: that byte in all 8 lanes
_BYTE_INDEX = np.uint64(0x0001020304050607)  # (1 << 8k) * this has k in its top byte
_ID_MASK = np.int64(0xFFFFFFFF)
_EMPTY = np.int64(-1)


class _Table(NamedTuple):
    """The vocabulary being built, in arrays a kernel can read and extend.

    ``slots`` (int64, shape (S, 2), S a power of two) is the open-addressing table:
    a slot holds ``(head, length << 32 | id)``, ``head`` being the token's first 8
    bytes (little-endian, zero-padded), or ``(-1, -1)`` when empty. Most tokens are
    at most 8 bytes long, so a lookup is settled by one 16-byte slot, without
    touching the per-word arrays. Per word id (capacity S / 2, i.e. load <= 0.5):
    ``hashes`` (uint64, for rehashing), ``offsets`` of its UTF-8 bytes in ``arena``
    (uint8; each word is followed by ``"\\n"`` so that decoding the arena and
    splitting on newlines gives the word list), and ``counts`` (int64).
    """

    slots: np.ndarray
    hashes: np.ndarray
    offsets: np.ndarray
    counts: np.ndarray
    arena: np.ndarray


def _empty_slots(n: int) -> np.ndarray:
    return np.full((n, 2), _EMPTY, dtype=np.int64)


def _new_table(words: int, arena_bytes: int) -> _Table:
    return _Table(
        slots=_empty_slots(2 * words),
        hashes=np.zeros(words, dtype=np.uint64),
        offsets=np.zeros(words, dtype=np.int64),
        counts=np.zeros(words, dtype=np.int64),
        arena=np.zeros(arena_bytes, dtype=np.uint8),
    )


# --------------------------------------------------------------------------- kernels


@numba.njit(nogil=True, cache=True)
def _unicode_space(data, i, n):  # pragma: no cover - compiled
    """Length of the Unicode whitespace character at ``data[i]`` (a _LEAD byte), else 0.

    Returns -1 when the character is cut off by the end of ``data`` (``n``), so that
    whether it is whitespace can only be decided with the next block.
    """
    b0 = data[i]
    if b0 == 0xC2:  # U+0085, U+00A0
        if i + 1 >= n:
            return -1
        b1 = data[i + 1]
        return 2 if b1 == 0x85 or b1 == 0xA0 else 0
    if i + 2 >= n:
        return -1
    b1 = data[i + 1]
    b2 = data[i + 2]
    if b0 == 0xE1:  # U+1680
        return 3 if b1 == 0x9A and b2 == 0x80 else 0
    if b0 == 0xE2:
        if b1 == 0x80:  # U+2000-U+200A, U+2028, U+2029, U+202F
            if (0x80 <= b2 <= 0x8A) or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF:
                return 3
            return 0
        if b1 == 0x81:  # U+205F
            return 3 if b2 == 0x9F else 0
        return 0
    return 3 if b1 == 0x80 and b2 == 0x80 else 0  # 0xE3: U+3000


@numba.njit(nogil=True, cache=True)
def _rotate(x, r):  # pragma: no cover - compiled
    return (x << np.uint64(r)) | (x >> np.uint64(64 - r))


@numba.njit(nogil=True, cache=True)
def _fmix(h):  # pragma: no cover - compiled
    """MurmurHash3's finaliser: every input bit affects every output bit (the low
    bits index the table)."""
    h ^= h >> np.uint64(33)
    h *= _MIX1
    h ^= h >> np.uint64(33)
    h *= _MIX2
    h ^= h >> np.uint64(33)
    return h


@numba.njit(nogil=True, cache=True)
def _skip_space(data, i, n):  # pragma: no cover - compiled
    """Skip whitespace from ``data[i]``: ``(next position, saw "\\n")``.

    The next position is ``n`` or a token start, the latter possibly a character
    cut by the end of data that may turn out to be whitespace (:func:`_token` tells).
    """
    newline = False
    while i < n:
        c = _CLASSES[data[i]]
        if c == _TOKEN:
            break
        if c == _NEWLINE:
            newline = True
            i += 1
        elif c == _SPACE:
            i += 1
        else:
            k = _unicode_space(data, i, n)
            if k <= 0:
                break
            i += k
    return i, newline


@numba.njit(nogil=True, cache=True)
def _load_word(data, i):  # pragma: no cover - compiled
    """``data[i : i + 8]`` as a little-endian uint64 (the compiler makes it one load)."""
    return (
        np.uint64(data[i])
        | (np.uint64(data[i + 1]) << np.uint64(8))
        | (np.uint64(data[i + 2]) << np.uint64(16))
        | (np.uint64(data[i + 3]) << np.uint64(24))
        | (np.uint64(data[i + 4]) << np.uint64(32))
        | (np.uint64(data[i + 5]) << np.uint64(40))
        | (np.uint64(data[i + 6]) << np.uint64(48))
        | (np.uint64(data[i + 7]) << np.uint64(56))
    )


@numba.njit(nogil=True, cache=True)
def _token(data, i, n, final):  # pragma: no cover - compiled
    """Scan the token starting at ``data[i]``: ``(end, head, hash, cut)``.

    ``head`` is its first 8 bytes (little-endian, zero-padded); the hash folds in
    every 8-byte word, then the length. ``cut``: the token, or a character after it
    that may be whitespace, runs past the end of (non-final) data.
    """
    if i + 8 <= n:
        # Fast path for a token of 1-7 bytes followed by ASCII whitespace (most of
        # them): find the first byte < 0x21 or >= 0x80 of the next 8 at once. Its
        # flag is exact (only bytes below 0x21 borrow, and they are flagged first).
        w = _load_word(data, i)
        flags = ((w - _ONES * np.uint64(0x21)) | w) & (_ONES * np.uint64(0x80))
        if flags != 0:
            lowest = flags & (~flags + np.uint64(1))  # 0x80 << 8k for the first one, k
            k = np.int64(((lowest >> np.uint64(7)) * _BYTE_INDEX) >> np.uint64(56))
            c = _CLASSES[data[i + k]]
            if k > 0 and (c == _SPACE or c == _NEWLINE):
                head = w & ((np.uint64(1) << np.uint64(8 * k)) - np.uint64(1))
                return i + k, head, _fmix(head ^ np.uint64(k)), False  # as the loop below
    tok = i
    h = np.uint64(0)
    head = np.uint64(0)
    word = np.uint64(0)
    shift = np.uint64(0)
    while True:
        word |= np.uint64(data[i]) << shift
        shift += np.uint64(8)
        i += 1
        if shift == 64:
            if i - tok == 8:
                head = word
            h = _rotate((h ^ word) * _GOLDEN, 29)
            word = np.uint64(0)
            shift = np.uint64(0)
        if i == n:
            if not final:
                return i, head, h, True
            break
        c = _CLASSES[data[i]]
        if c == _SPACE or c == _NEWLINE:
            break
        if c == _LEAD:
            k = _unicode_space(data, i, n)
            if k > 0:
                break
            if k < 0 and not final:
                return i, head, h, True
    size = i - tok
    if size < 8:
        head = word
    return i, head, _fmix(h ^ word ^ np.uint64(size)), False


@numba.njit(nogil=True, cache=True)
def _find(table, data, tok, size, head, h):  # pragma: no cover - compiled
    """Probe for the token ``data[tok : tok + size]``: ``(slot, id)``, id -1 if absent
    (the slot is then the empty one where it goes)."""
    slots, _, offsets, _, arena = table
    mask = np.uint64(len(slots) - 1)
    key0 = np.int64(head)
    key1 = size << 32
    slot = np.int64(h & mask)
    while True:
        v = slots[slot, 1]
        if v == _EMPTY:
            return slot, -1
        if slots[slot, 0] == key0 and (v & ~_ID_MASK) == key1:
            w = v & _ID_MASK
            if size <= 8:
                return slot, w
            off = offsets[w]
            j = 8
            while j < size and arena[off + j] == data[tok + j]:
                j += 1
            if j == size:
                return slot, w
        slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)


@numba.njit(nogil=True, cache=True)
def _scan_block(data, start, final, max_len, max_vocab, table, out, state):  # pragma: no cover
    """Tokenise ``data[start:]``, look every token up (inserting new ones), emit ids.

    Appends to ``out`` from ``state[_OUT_LEN]`` each token's id and, after every
    sentence (a line, or a piece of ``max_len`` tokens of one), ``-1``; counts each
    token in ``table.counts``. ``final`` says ``data`` ends the file: the last token
    and line end there. Otherwise an unfinished token (or a character that may be
    whitespace, cut by the end) is left for the next block.

    Returns ``(status, position)``: for ``_DONE`` everything was consumed; otherwise
    nothing from ``position`` (a token start, or the end of the token that filled a
    sentence) on was, and the caller carries it over (``_CARRY``), grows the table
    (``_GROW_*``) or prunes it (``_PRUNE``: a sentence ended with more than
    ``max_vocab`` words in the table, ``max_vocab`` -1 for no bound) and calls again
    from there. A sentence that ends at the end of the block returns ``_DONE`` or
    ``_CARRY``; the caller checks the bound then (see :meth:`Scanner.feed`).

    Tokens go in batches: first each token of the batch is scanned and hashed and
    its table slot read, then all are looked up. The slot reads of a batch do not
    wait on one another, so their cache misses overlap instead of adding up.
    """
    slots, hashes, offsets, counts, arena = table
    n = len(data)
    mask = np.uint64(len(slots) - 1)
    n_words = state[_N_WORDS]
    used = state[_ARENA_USED]
    piece = state[_PIECE_LEN]
    n_tokens = state[_N_TOKENS]
    n_sentences = state[_N_SENTENCES]
    m = state[_OUT_LEN]
    starts = np.empty(_BATCH, dtype=np.int64)
    ends = np.empty(_BATCH, dtype=np.int64)
    heads = np.empty(_BATCH, dtype=np.uint64)
    hs = np.empty(_BATCH, dtype=np.uint64)
    breaks = np.empty(_BATCH, dtype=np.bool_)  # a "\n" between the previous token and this
    touched = np.int64(0)
    status = _DONE
    resume = n
    i = start
    newline = False
    while True:
        t = 0
        while t < _BATCH:
            i, saw = _skip_space(data, i, n)
            newline |= saw
            if i == n:
                break
            end, head, h, cut = _token(data, i, n, final)
            if cut:
                status, resume = _CARRY, i
                break
            starts[t], ends[t], heads[t], hs[t], breaks[t] = i, end, head, h, newline
            newline = False
            i = end
            t += 1
        for k in range(t):  # independent loads: the cache lines arrive in parallel
            touched ^= slots[np.int64(hs[k] & mask), 1]
        for k in range(t):
            if breaks[k] and piece > 0:
                out[m] = SENTENCE_END
                m += 1
                n_sentences += 1
                piece = 0
                if max_vocab >= 0 and n_words > max_vocab:
                    status, resume = _PRUNE, starts[k]
                    break
            tok = starts[k]
            size = ends[k] - tok
            slot, w = _find(table, data, tok, size, heads[k], hs[k])
            if w < 0:
                if n_words == len(hashes):
                    status, resume = _GROW_TABLE, tok
                    break
                if used + size + 1 > len(arena):
                    status, resume = _GROW_ARENA, tok
                    break
                w = n_words
                n_words += 1
                slots[slot, 0] = np.int64(heads[k])
                slots[slot, 1] = (size << 32) | w
                hashes[w] = hs[k]
                offsets[w] = used
                for j in range(size):  # (a slice assignment would compile its shape check's
                    arena[used + j] = data[tok + j]  # error message: seconds of first run)
                arena[used + size] = 10  # "\n" between words: see _Table
                used += size + 1
            counts[w] += 1
            out[m] = w
            m += 1
            n_tokens += 1
            piece += 1
            if piece == max_len:
                out[m] = SENTENCE_END
                m += 1
                n_sentences += 1
                piece = 0
                if max_vocab >= 0 and n_words > max_vocab:
                    status, resume = _PRUNE, ends[k]
                    break
        if status != _DONE or i == n:
            break
    if status == _DONE or status == _CARRY:
        # A "\n" after the last token ends its line; so does the end of the file.
        if piece > 0 and (newline or (final and status == _DONE)):
            out[m] = SENTENCE_END
            m += 1
            n_sentences += 1
            piece = 0
    state[_N_WORDS] = n_words
    state[_ARENA_USED] = used
    state[_PIECE_LEN] = piece
    state[_N_TOKENS] = n_tokens
    state[_N_SENTENCES] = n_sentences
    state[_OUT_LEN] = m
    state[_TOUCHED] = touched  # keeps the compiler from dropping the slot reads
    return status, resume


@numba.njit(nogil=True, cache=True)
def _rehash(new, old, hashes, new_ids):  # pragma: no cover - compiled
    """Move the occupied slots of ``old`` into the empty ``new`` (hashes by word id),
    word ``w`` becoming ``new_ids[w]``; words whose new id is -1 are left out."""
    mask = np.uint64(len(new) - 1)
    for s in range(len(old)):
        v = old[s, 1]
        if v == _EMPTY:
            continue
        w = v & _ID_MASK
        if new_ids[w] < 0:
            continue
        slot = np.int64(hashes[w] & mask)
        while new[slot, 1] != _EMPTY:
            slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)
        new[slot, 0] = old[s, 0]
        new[slot, 1] = (v & ~_ID_MASK) | new_ids[w]


# --------------------------------------------------------------------------- driver


class Scanner:
    """Feeds blocks to the kernel, grows and prunes its table, and writes the id cache.

    Pruning is word2vec C's ``ReduceVocab``, exactly as :func:`~wordvec.text.scan.scan_sentences`
    does it: when a sentence ends with more than ``max_vocab`` words in the table, every
    word counted at most ``min_reduce`` times is dropped (``min_reduce`` starts at 1 and
    grows by one per round, for the rest of the scan) until at most ``max_vocab`` remain;
    the survivors keep their first-seen order and are renumbered. The id cache written
    so far is then void and is closed (the text is encoded again with the final
    vocabulary); the fingerprint goes on over the ids as they were emitted.
    """

    def __init__(
        self, max_len: int, max_vocab: int | None, cache: IO[bytes], tmp_dir: str | None = None
    ) -> None:
        self.max_len = max_len
        self.max_vocab = -1 if max_vocab is None else max_vocab  # -1: never reached
        self.cache = cache
        self.tmp_dir = tmp_dir  # where the cache is, for error messages
        self.table = _new_table(_INITIAL_WORDS, 16 * _INITIAL_WORDS)
        self.state = np.zeros(7, dtype=np.int64)
        self.out = np.empty(0, dtype=np.int32)
        self.crc = 0
        self.min_reduce = 1
        self.pruned = False

    def feed(self, data: bytes, final: bool) -> bytes:
        """Scan ``data``; return the bytes to carry into the next block."""
        block = np.frombuffer(data, dtype=np.uint8)
        # Each id or sentence end needs a byte of its own (a token, or the whitespace
        # after it), except a sentence end right after the previous block's last token.
        if len(self.out) < len(block) + 2:
            self.out = np.empty(len(block) + 2, dtype=np.int32)
        start = 0
        while True:
            status, start = _scan_block(
                block, start, final, self.max_len, self.max_vocab, self.table, self.out, self.state
            )
            if status == _GROW_TABLE:
                self._grow_table()
            elif status == _GROW_ARENA:
                self._grow_arena(len(block) - start + 1)
            elif status == _PRUNE:
                self._prune()
            else:
                break
        state = self.state
        if 0 <= self.max_vocab < state[_N_WORDS] and state[_PIECE_LEN] == 0:
            self._prune()  # a sentence ended at the end of the block
        self._flush()
        return data[start:] if status == _CARRY else b""

    def _flush(self) -> None:
        m = int(self.state[_OUT_LEN])
        if m:
            ids = self.out[:m]
            self.crc = zlib.crc32(ids, self.crc)
            if self.cache is not None:
                write_anonymous(self.cache, memoryview(ids).cast("B"), self.tmp_dir, CACHE_WRITE)
            self.state[_OUT_LEN] = 0

    def _prune(self) -> None:
        """Drop the rarest words until at most ``max_vocab`` remain (see the class)."""
        self._flush()  # the ids emitted so far, in the numbering they were emitted in
        if self.cache is not None:
            self.cache.close()
            self.cache = None
        self.pruned = True
        old, n = self.table, int(self.state[_N_WORDS])
        counts = old.counts[:n]
        keep = np.ones(n, dtype=bool)
        while np.count_nonzero(keep) > self.max_vocab:
            keep &= counts > self.min_reduce
            self.min_reduce += 1
        kept = np.flatnonzero(keep)
        new_ids = np.full(len(old.hashes), -1, dtype=np.int64)
        new_ids[kept] = np.arange(len(kept))
        # each word's bytes and its "\n" separator, in id order (see _Table)
        used = int(self.state[_ARENA_USED])
        sizes = np.diff(np.append(old.offsets[:n], used))
        kept_bytes = old.arena[:used][np.repeat(keep, sizes)]
        offsets = np.zeros(len(old.offsets), dtype=np.int64)
        offsets[1 : len(kept)] = np.cumsum(sizes[kept])[:-1]
        new = _Table(
            slots=_empty_slots(len(old.slots)),
            hashes=_extend(old.hashes[kept], len(old.hashes)),
            offsets=offsets,
            counts=_extend(counts[kept], len(old.counts)),
            arena=_extend(kept_bytes, len(old.arena)),
        )
        _rehash(new.slots, old.slots, old.hashes, new_ids)
        self.table = new
        self.state[_N_WORDS] = len(kept)
        self.state[_ARENA_USED] = len(kept_bytes)

    def _grow_table(self) -> None:
        old = self.table
        words = 2 * len(old.hashes)
        new = _Table(
            slots=_empty_slots(2 * words),
            hashes=_extend(old.hashes, words),
            offsets=_extend(old.offsets, words),
            counts=_extend(old.counts, words),
            arena=old.arena,
        )
        _rehash(new.slots, old.slots, old.hashes, np.arange(len(old.hashes)))
        self.table = new

    def _grow_arena(self, need: int) -> None:
        used = int(self.state[_ARENA_USED])
        size = max(2 * len(self.table.arena), used + need)
        self.table = self.table._replace(arena=_extend(self.table.arena, size))

    def result(self) -> Scan:
        n = int(self.state[_N_WORDS])
        used = int(self.state[_ARENA_USED])
        words = codecs.utf_8_decode(self.table.arena[:used], "strict", True)[0].split("\n")
        words.pop()  # the text after the last word's "\n" is empty
        if self.cache is not None:
            self.cache.flush()
        return Scan(
            words,
            self.table.counts[:n].copy(),
            int(self.state[_N_TOKENS]),
            int(self.state[_N_SENTENCES]),
            self.cache,
            self.pruned,
            self.crc,
        )


def _extend(a: np.ndarray, size: int) -> np.ndarray:
    grown = np.zeros(size, dtype=a.dtype)
    grown[: len(a)] = a
    return grown


def _unfinished(text: str) -> int:
    """Where the last token of ``text`` starts when ``text`` does not end in whitespace
    (it may go on in the next block); ``len(text)`` when it does."""
    i = len(text)
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _scan_file(scanner: Scanner, path: Path, errors: str, lowercase: bool) -> None:
    """Scan one file.

    The scanner reads UTF-8 bytes; ``lowercase`` lowers them with ``bytes.lower()`` while
    the text is ASCII. From the first block that is not, the decoded text is lowered with
    ``str.lower()`` (``"\u212a"`` -> ``"k"``, a final ``"Σ"`` -> ``"ς"``) and the last,
    unfinished token of a block is held back and lowered with the next block. That is
    the same as lowering whole lines (``text.corpus.tokenise``): the one context-dependent
    mapping, the final sigma, looks only at letters and case-ignorable characters, and
    no whitespace is either, so the context never leaves the token.
    """
    with open_file(path) as (stream, fmt):
        raw: list[bytes] = []
        want = [_BLOCK_SIZE]

        def read(_size: int) -> bytes:
            # corpus's reader decodes (validates) what this returns; keep the bytes
            # so that, when it hands back text, those bytes are known to be UTF-8.
            block = stream.read(want[0])
            raw.append(block)
            return block

        carry: bytes | None = b""
        held: str | None = None  # lowering as text: the unfinished token held back
        final = False
        first = True
        blocks = decoded_blocks(read, str(path), errors, fmt)
        while not final:
            text = next(blocks, None)
            final = text is None
            if errors != "strict":  # what replaced or dropped bytes is in the text only
                chunk = b"" if final else text.encode("utf-8")
            else:
                chunk = b"".join(raw)
                if first and chunk.startswith(_BOM):
                    chunk = chunk[len(_BOM) :]  # the reader dropped it from the text too
            first = False
            raw.clear()
            if lowercase and held is None and chunk.isascii():
                chunk = chunk.lower()
            elif lowercase:
                if held is None:  # the first block beyond ASCII: an ASCII carry is its text
                    held, carry = (carry or b"").decode("ascii"), b""
                whole = held + ("" if final else text)
                cut = len(whole) if final else _unfinished(whole)
                held = whole[cut:]
                chunk = whole[:cut].lower().encode("utf-8")
            carry = scanner.feed(carry + chunk if carry else chunk, final)
            # A token longer than a block: read more at once so that the carried
            # bytes are re-scanned a bounded number of times (amortised linear).
            want[0] = max(_BLOCK_SIZE, len(carry), len(held or ""))


def scan_files(corpus: TextCorpus, *, max_vocab: int | None, tmp_dir: str | None) -> Scan | None:
    """Count and encode a file corpus in one compiled pass, as :func:`scan_sentences` does.

    Parameters
    ----------
    corpus : TextCorpus
        Read from its files (``corpus.paths``) with its ``lowercase``, ``errors`` and
        ``max_sentence_length``.
    max_vocab : int or None
        Bound on distinct tokens held while counting; beyond it the rarest are pruned
        as the Python scan prunes them (:class:`Scanner`), and the id cache is void.
    tmp_dir : str or None
        Directory of the anonymous id cache file (default: the system temporary
        directory).

    Returns
    -------
    Scan or None
        Exactly ``scan_sentences(corpus, max_vocab=max_vocab, tmp_dir=tmp_dir)``: provisional
        ``words`` in first-seen order, ``counts`` (int64, shape (V,)), ``n_tokens``,
        ``n_sentences``, the int32 id cache (ids, ``-1`` after each sentence; open,
        caller closes; None after pruning) and its CRC-32 fingerprint. None when the
        fast path does not apply: a corpus that is not read from files (standard input,
        a Python iterable); call :func:`scan_sentences` then.

    Raises
    ------
    CorpusError
        As iterating the corpus would: unreadable or corrupt file, invalid UTF-8
        (with ``errors="strict"``, naming the file and byte offset).
    """
    if not isinstance(corpus, TextCorpus) or not corpus.paths:
        return None
    cache = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115 - returned open in the Scan
    try:
        scanner = Scanner(corpus.max_sentence_length, max_vocab, cache, tmp_dir)
        for path in corpus.paths:
            _scan_file(scanner, path, corpus.errors, corpus.lowercase)
        return scanner.result()
    except BaseException:
        cache.close()
        raise


def scan_lines(
    lines: Sequence[str],
    *,
    max_len: int,
    max_vocab: int | None,
    lowercase: bool = False,
    tmp_dir: str | None = None,
) -> Scan | None:
    """Count and encode lines of text in one compiled pass, as the lines of a file.

    What :func:`scan_sentences` gives for the sentences of ``lines`` (each cut by
    :func:`~wordvec.text.corpus.tokenise` and :func:`~wordvec.text.corpus.pieces`), pruned
    beyond ``max_vocab`` distinct tokens as it prunes. The lines go to the scanner as
    UTF-8 bytes with a ``"\\n"`` after each (Spark's executors scan their rows so).
    Returns None where that would not be exactly the Python pass: a line holding a
    ``"\\n"`` (it is one sentence there) or a lone surrogate (no UTF-8 for it).
    """
    cache = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115 - returned open in the Scan
    try:
        scanner = Scanner(max_len, max_vocab, cache, tmp_dir)
        carry = b""
        for start in range(0, len(lines), _LINES_PER_BLOCK):
            block = lines[start : start + _LINES_PER_BLOCK]
            text = "\n".join(block) + "\n"
            if lowercase:  # whole lines: as tokenise lowers them
                text = text.lower()
            try:
                data = text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: the Python pass keeps it
                data = None
            if data is None or data.count(b"\n") != len(block):
                cache.close()
                return None
            carry = scanner.feed(carry + data if carry else data, False)
        scanner.feed(carry, True)
        return scanner.result()
    except BaseException:
        cache.close()
        raise
