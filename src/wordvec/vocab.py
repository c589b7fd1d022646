"""Vocabulary: counting, pruning, sub-sampling, the noise distribution and the Huffman tree.

Counting and encoding happen in one streaming pass (:func:`scan`): every token
gets a *provisional* id the first time it is seen, the id stream is written to
an on-disk cache (int32, ``-1`` ends a sentence) and counted with
``np.bincount``. Once the pass is over, :func:`build` keeps the words that
reach ``min_count``, sorts them by frequency and returns a ``remap`` array
from provisional ids to final ids (``-2`` for dropped words). Training then
reads the cache, not the text, on every epoch.

If the number of distinct tokens exceeds ``max_vocab`` while counting, the
rarest are pruned as word2vec C's ``ReduceVocab`` does (drop every word seen
at most ``min_reduce`` times, then raise ``min_reduce``), which keeps memory
bounded on corpora with tens of millions of distinct tokens. Pruning renumbers
the provisional ids, so the cache is then discarded and the corpus re-encoded
with the final vocabulary in a second pass (which needs a re-iterable corpus).
"""

from __future__ import annotations

import logging
import mmap
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

import numba
import numpy as np

from .errors import CorpusError

__all__ = ["Vocab", "Scan", "scan", "build", "EncodedCorpus", "SENTENCE_END", "DROPPED"]

SENTENCE_END = -1  # in both the provisional cache and the final id stream
DROPPED = -2  # remap value of a provisional id whose word is not in the final vocabulary
_FLUSH_TOKENS = 1 << 20  # ids buffered in Python before they go to NumPy / the cache

logger = logging.getLogger(__name__)


@dataclass
class Vocab:
    """Words sorted by descending count, with the tables training needs.

    Attributes
    ----------
    words : list[str]
        ``words[i]`` is the word with id ``i``; ids are in descending count order.
    counts : ndarray of int64, shape (V,)
    index : dict[str, int]
        word -> id.
    """

    words: list[str]
    counts: np.ndarray
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = np.asarray(self.counts, dtype=np.int64)
        if not self.index:
            self.index = {w: i for i, w in enumerate(self.words)}

    def __len__(self) -> int:
        return len(self.words)

    @property
    def total(self) -> int:
        """Number of in-vocabulary tokens in the corpus the counts come from."""
        return int(self.counts.sum())

    def keep_thresholds(self, sample: float) -> np.ndarray:
        """Sub-sampling as word2vec C: keep word w with probability
        ``p(w) = (sqrt(f / (t T)) + 1) (t T) / f``, f its count, T the total, t = ``sample``.

        Returns p scaled to uint32 (``p * 2**32``, capped at 2**32 - 1) so a kernel
        keeps a token when a 32-bit random number is below it. ``sample = 0`` keeps all.
        """
        if sample <= 0:
            return np.full(len(self), 2**32 - 1, dtype=np.uint32)
        f = self.counts.astype(np.float64)
        tt = sample * max(self.total, 1)
        p = np.minimum((np.sqrt(f / tt) + 1.0) * tt / f, 1.0)
        return np.minimum(p * 2.0**32, 2.0**32 - 1).astype(np.uint32)

    def noise_distribution(self, exponent: float = 0.75) -> np.ndarray:
        """Negative-sampling distribution ``counts ** exponent`` normalised, float64 (V,)."""
        p = self.counts.astype(np.float64) ** exponent
        return p / p.sum()

    def alias_table(self, exponent: float = 0.75) -> tuple[np.ndarray, np.ndarray]:
        """Walker's alias table of the noise distribution: ``(accept uint32, alias int32)``.

        Drawing is ``i = r1 % V; i if r2 < accept[i] else alias[i]``: two reads from
        V-sized arrays that stay in cache, and the exact distribution (a 10^8 table
        like word2vec C's costs a cache miss per draw and rounds rare words away).
        """
        return _alias(self.noise_distribution(exponent))

    def huffman(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Huffman tree over the counts, for hierarchical softmax.

        Returns ``(points, codes, offsets)``: word w's path from the root is
        ``points[offsets[w]:offsets[w+1]]`` (inner-node ids in 0..V-2, rows of the
        output matrix) with branch bits ``codes[...]`` (uint8); as in word2vec C the
        label of node l on the path is ``1 - code_l``.
        """
        if len(self) < 2:
            raise CorpusError("hierarchical softmax needs at least 2 words in the vocabulary")
        return _huffman(self.counts)


# --------------------------------------------------------------------------- scanning


@dataclass
class Scan:
    """Result of the counting pass: provisional words and counts plus the id cache."""

    words: list[str]  # provisional id -> word
    counts: np.ndarray  # provisional id -> count (int64)
    n_tokens: int  # tokens seen (all words, before min_count)
    n_sentences: int
    cache: IO[bytes] | None  # int32 provisional ids, -1 ends a sentence; None after pruning
    pruned: bool
    # CRC-32 of the provisional id stream: with the words, it identifies the corpus
    # (order included), so that a checkpoint can refuse to resume on another text
    fingerprint: int = 0


def scan(
    sentences: Iterable[list[str]],
    *,
    max_vocab: int | None = None,
    cache: bool = True,
    tmp_dir: str | None = None,
) -> Scan:
    """Count the tokens of ``sentences`` in one pass, writing the provisional-id cache.

    Parameters
    ----------
    sentences : iterable of list of str
    max_vocab : int or None
        Bound on distinct tokens held while counting; beyond it the rarest are pruned.
    cache : bool
        Write the int32 id stream to an anonymous temporary file (deleted on close).
    tmp_dir : str or None
        Directory of that file (default: the system temporary directory).
    """
    index: dict[str, int] = {}
    get, setdefault = index.get, index.setdefault
    counts = np.zeros(1 << 16, dtype=np.int64)
    buf: list[int] = []
    fh = tempfile.TemporaryFile(dir=tmp_dir) if cache else None  # noqa: SIM115
    n_tokens = n_sentences = 0
    min_reduce = 1
    pruned = False
    crc = 0

    def flush() -> None:
        nonlocal counts, crc
        if not buf:
            return
        ids = np.array(buf, dtype=np.int32)
        buf.clear()
        crc = zlib.crc32(ids, crc)
        if fh is not None:
            ids.tofile(fh)
        ids = ids[ids >= 0]
        if len(index) > len(counts):
            grown = np.zeros(max(2 * len(counts), len(index)), dtype=np.int64)
            grown[: len(counts)] = counts
            counts = grown
        counts[: len(index)] += np.bincount(ids, minlength=len(index))[: len(index)]

    for sent in sentences:
        ids = list(map(get, sent))
        if None in ids:  # new words: give each the next provisional id
            for i, v in enumerate(ids):
                if v is None:
                    ids[i] = setdefault(sent[i], len(index))
        if not ids:
            continue
        buf.extend(ids)
        buf.append(SENTENCE_END)
        n_tokens += len(ids)
        n_sentences += 1
        if len(buf) >= _FLUSH_TOKENS:
            flush()
        if max_vocab is not None and len(index) > max_vocab:
            flush()
            if fh is not None:  # provisional ids are renumbered: the cache is void
                fh.close()
                fh = None
            pruned = True
            while len(index) > max_vocab:
                index, counts = _reduce(index, counts, min_reduce)
                min_reduce += 1
            get, setdefault = index.get, index.setdefault
    flush()
    words = list(index)  # dicts keep insertion order = provisional id order
    if fh is not None:
        fh.flush()
    return Scan(words, counts[: len(words)].copy(), n_tokens, n_sentences, fh, pruned, crc)


def _reduce(
    index: dict[str, int], counts: np.ndarray, min_reduce: int
) -> tuple[dict[str, int], np.ndarray]:
    """Drop words counted at most ``min_reduce`` times; renumber the survivors in order."""
    n = len(index)
    keep = counts[:n] > min_reduce
    words = [w for w, k in zip(index, keep.tolist(), strict=True) if k]
    new_counts = np.zeros(max(len(counts), 1 << 16), dtype=np.int64)
    new_counts[: len(words)] = counts[:n][keep]
    return {w: i for i, w in enumerate(words)}, new_counts


def build(
    s: Scan, *, min_count: int, max_final_vocab: int | None = None
) -> tuple[Vocab, np.ndarray]:
    """Final vocabulary from a scan: words with count >= min_count, most frequent first.

    Ties keep first-seen order. Returns ``(vocab, remap)`` where ``remap[p]`` is the
    final id of provisional id ``p`` or ``DROPPED``; ``remap`` has one extra last
    entry ``SENTENCE_END`` so that ``remap[cache_ids]`` maps the ``-1`` sentinel to itself.
    """
    order = np.argsort(-s.counts, kind="stable")
    order = order[s.counts[order] >= min_count]
    if max_final_vocab is not None:
        order = order[:max_final_vocab]
    if len(order) == 0:
        if s.n_tokens == 0:
            raise CorpusError("the corpus is empty: no tokens were read")
        if s.pruned:  # the counts left are those of words that survived pruning
            raise CorpusError(
                f"no word occurs at least min_count={min_count} times among the "
                f"{len(s.words)} words left after pruning the vocabulary to `max_vocab` "
                f"distinct words while counting ({s.n_tokens} tokens); raise `max_vocab` "
                "or lower `min_count`"
            )
        raise CorpusError(
            f"no word occurs at least min_count={min_count} times "
            f"({len(s.words)} distinct words in {s.n_tokens} tokens); lower `min_count`"
        )
    remap = np.full(len(s.words) + 1, DROPPED, dtype=np.int32)
    remap[order] = np.arange(len(order), dtype=np.int32)
    remap[-1] = SENTENCE_END
    words = [s.words[i] for i in order.tolist()]
    vocab = Vocab(words, s.counts[order])
    if logger.isEnabledFor(logging.INFO):
        kept = vocab.total
        logger.info(
            "vocabulary: %d words with min_count=%d%s, of %d distinct%s; %d of the %d tokens "
            "(%.1f%%) in %d sentences",
            len(vocab), min_count,
            f" and max_final_vocab={max_final_vocab}" if max_final_vocab is not None else "",
            len(s.words), " left after pruning while counting" if s.pruned else "",
            kept, s.n_tokens, 100 * kept / max(s.n_tokens, 1), s.n_sentences,
        )  # fmt: skip
    return vocab, remap


# --------------------------------------------------------------------------- encoded corpus


class EncodedCorpus:
    """The training stream: final word ids, ``SENTENCE_END`` between sentences.

    Reads the provisional-id cache in chunks and maps it through ``remap``,
    dropping out-of-vocabulary tokens; memory stays at one chunk whatever the
    corpus length. ``n_words`` is the number of in-vocabulary tokens per epoch.
    """

    def __init__(self, cache: IO[bytes], remap: np.ndarray, n_words: int) -> None:
        self.cache = cache
        self.remap = remap
        self.n_words = int(n_words)

    @classmethod
    def encode(
        cls, sentences: Iterable[list[str]], vocab: Vocab, tmp_dir: str | None = None
    ) -> EncodedCorpus:
        """Write ``sentences`` as final ids (second pass, used after pruning or to resume)."""
        fh = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115
        get = vocab.index.get
        buf: list[int] = []
        n = 0
        for sent in sentences:
            ids = [i for i in map(get, sent) if i is not None]
            if ids:
                buf.extend(ids)
                buf.append(SENTENCE_END)
                n += len(ids)
            if len(buf) >= _FLUSH_TOKENS:
                np.array(buf, dtype=np.int32).tofile(fh)
                buf.clear()
        np.array(buf, dtype=np.int32).tofile(fh)
        fh.flush()
        identity = np.arange(len(vocab) + 1, dtype=np.int32)
        identity[-1] = SENTENCE_END
        return cls(fh, identity, n)

    def chunks(self, chunk_tokens: int = 1 << 21):
        """Yield int32 arrays of final ids; each ends at a sentence boundary.

        Memory stays flat however long the corpus and however many epochs: raw ids
        are read into one reused buffer and mapped by a compiled pass into a new
        chunk whose storage is an anonymous memory map, returned to the system as
        soon as the last job viewing it is done. (Chunks allocated by NumPy come
        from the malloc heap once glibc has raised its mmap threshold, and that
        heap creeps up with fragmentation as chunks are freed out of order.)
        """
        self.cache.seek(0)
        raw = np.empty(chunk_tokens, dtype=np.int32)
        carry = np.empty(0, dtype=np.int32)
        while True:
            n_raw = _read_ids(self.cache, raw)
            if n_raw == 0:
                break
            out = _mapped_int32(len(carry) + n_raw)
            out[: len(carry)] = carry
            n = len(carry) + _remap_into(raw[:n_raw], self.remap, out[len(carry) :])
            ends = np.flatnonzero(out[:n] == SENTENCE_END)
            cut = ends[-1] + 1 if len(ends) else 0
            carry = out[cut:n].copy()  # a copy: the chunk's map is not kept alive by it
            if cut:
                yield out[:cut]
        if len(carry):
            yield np.concatenate([carry, np.array([SENTENCE_END], dtype=np.int32)])

    def close(self) -> None:
        self.cache.close()


def _read_ids(fh: IO[bytes], buf: np.ndarray) -> int:
    """Fill ``buf`` (int32) from ``fh``; returns the number of ids read (0 at the end)."""
    view = memoryview(buf).cast("B")
    got = 0
    while got < len(view):
        n = fh.readinto(view[got:])
        if not n:
            break
        got += n
    if got % 4:
        raise CorpusError("the id cache ends in the middle of an id (truncated temporary file)")
    return got // 4


def _mapped_int32(n: int) -> np.ndarray:
    """An int32 array of length n backed by an anonymous memory map (unmapped when freed)."""
    return np.frombuffer(mmap.mmap(-1, max(n, 1) * 4), dtype=np.int32, count=n)


@numba.njit(cache=True, nogil=True)
def _remap_into(raw, remap, out):  # pragma: no cover - compiled; tested through chunks()
    """out[:n] = remap[raw] without the DROPPED entries; returns n. remap[-1] is the
    sentence end, so raw's -1 maps to itself."""
    n = 0
    top = len(remap) - 1
    for t in range(len(raw)):
        v = raw[t]
        if v < -1 or v >= top:
            raise ValueError("id cache holds an id outside the provisional vocabulary")
        w = remap[v]
        if w != DROPPED:
            out[n] = w
            n += 1
    return n


# --------------------------------------------------------------------------- tables


def _alias(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Vose's alias method over probabilities ``p`` (float64, sums to 1)."""
    n = len(p)
    scaled = p * n
    accept = np.ones(n, dtype=np.float64)
    alias = np.arange(n, dtype=np.int32)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        s, g = small.pop(), large.pop()
        accept[s] = scaled[s]
        alias[s] = g
        scaled[g] = (scaled[g] + scaled[s]) - 1.0
        (small if scaled[g] < 1.0 else large).append(g)
    # leftovers are 1 up to rounding
    accept_u32 = np.minimum(accept * 2.0**32, 2.0**32 - 1).astype(np.uint32)
    for i in small + large:
        accept_u32[i] = np.uint32(2**32 - 1)
    return accept_u32, alias


_INT64_MAX = np.iinfo(np.int64).max


@numba.njit(cache=True)
def _huffman(counts):  # pragma: no cover - compiled; tested through Vocab.huffman
    # word2vec C's linear-time construction over counts sorted in descending order:
    # leaves are 0..V-1, inner nodes V..2V-2; two cursors walk leaves and inner nodes.
    v = len(counts)
    cnt = np.empty(2 * v - 1, dtype=np.int64)
    # element by element: a slice assignment would compile its shape check's error
    # message, most of this function's compile time
    for i in range(v):
        cnt[i] = counts[i]
    for i in range(v, 2 * v - 1):
        cnt[i] = _INT64_MAX
    parent = np.zeros(2 * v - 1, dtype=np.int64)
    binary = np.zeros(2 * v - 1, dtype=np.uint8)
    pos1 = v - 1
    pos2 = v
    for a in range(v - 1):
        mins = np.empty(2, dtype=np.int64)
        for m in range(2):
            if pos1 >= 0 and cnt[pos1] < cnt[pos2]:
                mins[m] = pos1
                pos1 -= 1
            else:
                mins[m] = pos2
                pos2 += 1
        cnt[v + a] = cnt[mins[0]] + cnt[mins[1]]
        parent[mins[0]] = v + a
        parent[mins[1]] = v + a
        binary[mins[1]] = 1
    root = 2 * v - 2
    lengths = np.zeros(v, dtype=np.int64)
    for w in range(v):
        node = w
        while node != root:
            lengths[w] += 1
            node = parent[node]
    offsets = np.zeros(v + 1, dtype=np.int64)
    for w in range(v):
        offsets[w + 1] = offsets[w] + lengths[w]
    points = np.empty(offsets[v], dtype=np.int32)
    codes = np.empty(offsets[v], dtype=np.uint8)
    for w in range(v):
        # walk leaf -> root, fill the path backwards so it reads root -> leaf
        node = w
        j = offsets[w + 1] - 1
        while node != root:
            codes[j] = binary[node]
            points[j] = parent[node] - v  # inner node id 0..V-2
            node = parent[node]
            j -= 1
    return points, codes, offsets
