"""Character n-grams of a word, exactly as fastText defines them.

A word is represented by its own row and the rows of its character n-grams
(Bojanowski et al. 2017). fastText's definition, which a model's rows must follow
for its files to mean the same thing in both tools:

* the word is wrapped in ``<`` and ``>`` and encoded as UTF-8;
* an n-gram is ``n`` consecutive *characters* (a UTF-8 lead byte and its
  continuation bytes count as one), ``minn <= n <= maxn``; a 1-gram that is the
  ``<`` or the ``>`` is skipped;
* an n-gram's row is ``nwords + fnv1a(bytes) % bucket``, where :func:`fnv1a` is
  the 32-bit FNV-1a hash with each byte taken as a *signed* char (fastText casts
  ``char`` to ``int8_t`` before the xor, so a byte >= 0x80 enters as
  ``0xFFFFFF00 | byte``);
* every vocabulary word has its own row ``id`` first, then its n-grams' rows in
  the order above (duplicates kept: two n-grams that hash alike count twice in the
  mean, as in fastText); the end-of-sentence token ``</s>`` has no n-grams;
* ``maxn == 0`` (or ``bucket == 0``) means no n-grams: a word is its own row.

A word outside the vocabulary is the mean of its n-gram rows alone (no word row);
with none, its vector is zero.

:func:`ngram_table` computes the rows of a whole vocabulary at once in compiled
code (fastText's published models hold 2M words) as a CSR pair
``(offsets, rows)``: word ``i``'s rows are ``rows[offsets[i]:offsets[i + 1]]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ConfigError

__all__ = [
    "EOS",
    "fnv1a",
    "ngram_hashes",
    "ngram_strings",
    "word_rows",
    "oov_rows",
    "ngram_table",
    "check_ngram_params",
]

#: fastText's end-of-sentence token: it gets a row of its own and no n-grams.
EOS = "</s>"

_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619
_MASK32 = 0xFFFFFFFF


def check_ngram_params(minn: int, maxn: int, bucket: int) -> None:
    """Raise ConfigError unless 0 < minn <= maxn and bucket > 0, or maxn == 0 (no n-grams)."""
    for name, value in (("minn", minn), ("maxn", maxn), ("bucket", bucket)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ConfigError(f"`{name}` must be an int >= 0; got {value!r}.")
    if maxn > 0 and minn > maxn:
        raise ConfigError(f"`minn` must be <= `maxn`; got minn={minn}, maxn={maxn}.")
    if maxn > 0 and minn == 0:
        raise ConfigError("`minn` must be >= 1 when `maxn` > 0 (0 and 0 mean no n-grams); got 0.")
    if maxn > 0 and bucket == 0:
        raise ConfigError(f"`bucket` must be >= 1 when n-grams are used (maxn={maxn}); got 0.")
    if bucket > 2**31 - 1:
        raise ConfigError(
            f"`bucket` must be < 2**31 (fastText stores rows as int32); got {bucket}."
        )


def fnv1a(data: bytes) -> int:
    """fastText's 32-bit FNV-1a of ``data``, bytes taken as signed chars."""
    h = _FNV_OFFSET
    for c in data:
        h ^= c if c < 0x80 else (0xFFFFFF00 | c)
        h = (h * _FNV_PRIME) & _MASK32
    return h


def _ngram_spans(wrapped: bytes, minn: int, maxn: int) -> list[tuple[int, int]]:
    """(start, end) byte spans of the n-grams of an already wrapped word, in fastText's order."""
    spans = []
    size = len(wrapped)
    for i in range(size):
        if wrapped[i] & 0xC0 == 0x80:  # a continuation byte starts no character
            continue
        j = i
        n = 1
        while j < size and n <= maxn:
            j += 1
            while j < size and wrapped[j] & 0xC0 == 0x80:
                j += 1
            if n >= minn and not (n == 1 and (i == 0 or j == size)):
                spans.append((i, j))
            n += 1
    return spans


def _wrap(word: str) -> bytes:
    return b"<" + word.encode("utf-8", "surrogatepass") + b">"


def ngram_strings(word: str, minn: int, maxn: int) -> list[str]:
    """The n-grams of ``word`` as strings, in fastText's order (for reading and tests)."""
    w = _wrap(word)
    return [w[a:b].decode("utf-8", "replace") for a, b in _ngram_spans(w, minn, maxn)]


def ngram_hashes(word: str, minn: int, maxn: int) -> list[int]:
    """fastText's 32-bit hashes of the n-grams of ``word`` (before ``% bucket``)."""
    w = _wrap(word)
    return [fnv1a(w[a:b]) for a, b in _ngram_spans(w, minn, maxn)]


def oov_rows(word: str, nwords: int, minn: int, maxn: int, bucket: int) -> np.ndarray:
    """int64 rows of a word outside the vocabulary: its n-gram rows only (maybe none)."""
    if word == EOS or maxn == 0 or bucket == 0:
        return np.zeros(0, dtype=np.int64)
    h = np.array(ngram_hashes(word, minn, maxn), dtype=np.int64)
    return nwords + h % bucket


def word_rows(
    word: str, word_id: int, nwords: int, minn: int, maxn: int, bucket: int
) -> np.ndarray:
    """int64 rows of a vocabulary word: ``word_id`` first, then its n-gram rows."""
    rest = oov_rows(word, nwords, minn, maxn, bucket)
    return np.concatenate([np.array([word_id], dtype=np.int64), rest])


def ngram_table(
    words: Sequence[str], minn: int, maxn: int, bucket: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of every vocabulary word as CSR: ``(offsets int64 (V+1,), rows int32)``.

    Word i's rows are ``rows[offsets[i]:offsets[i + 1]]``: ``i`` itself, then
    ``len(words) + fnv1a(ngram) % bucket`` for each n-gram (:func:`word_rows`, for
    every word at once).
    """
    check_ngram_params(minn, maxn, bucket)
    wrapped = [_wrap(w) for w in words]
    lengths = np.fromiter((len(b) for b in wrapped), dtype=np.int64, count=len(wrapped))
    starts = np.zeros(len(wrapped) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    buf = np.frombuffer(b"".join(wrapped), dtype=np.uint8)
    if len(buf) == 0:
        buf = np.zeros(1, dtype=np.uint8)
    eos_id = -1
    for i, w in enumerate(words):
        if w == EOS:
            eos_id = i
            break
    nwords = len(words)
    if nwords + bucket > 2**31 - 1:
        raise ConfigError(f"vocabulary ({nwords}) + `bucket` ({bucket}) must be < 2**31 rows.")
    from .kernels import _table  # numba, loaded only when a table is built

    dummy = np.zeros(1, dtype=np.int32)
    counts = _table(buf, starts, minn, maxn, bucket, nwords, eos_id, dummy, False)
    offsets = np.zeros(nwords + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    rows = np.empty(int(offsets[-1]), dtype=np.int32)
    _table(buf, starts, minn, maxn, bucket, nwords, eos_id, rows, True)
    return offsets, rows
