"""The encoded-corpus stage: a Vocab and the scan's id cache -> the training stream.

:class:`EncodedCorpus` reads the provisional-id cache of a scan in chunks and maps
it through ``remap`` (provisional id -> final id in the :class:`~wordvec.vocab.Vocab`,
``DROPPED`` for a word not in it), so every epoch reads ids, not text; its
``chunks()`` are what the engine trains on. :meth:`EncodedCorpus.from_scan` builds
it for ``fit`` and ``train``, :meth:`EncodedCorpus.resume` for resuming a
checkpoint (which must see the very text it was trained on).
"""

from __future__ import annotations

import logging
import mmap
import tempfile
from collections.abc import Iterable
from typing import IO, Any

import numba
import numpy as np

from .errors import CorpusError
from .files.atomic import write_anonymous
from .text.idcache import CACHE_WRITE
from .text.scan import SENTENCE_END, Scan
from .vocab import Vocab

__all__ = [
    "EncodedCorpus",
    "build",
    "log_vocabulary",
    "remap_table",
    "remap_ids",
    "DROPPED",
    "SENTENCE_END",
]

DROPPED = -2  # remap value of a provisional id whose word is not in the final vocabulary
_FLUSH_TOKENS = 1 << 20  # ids buffered in Python before they go to the cache

logger = logging.getLogger(__name__)


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
    def from_scan(
        cls,
        s: Scan,
        vocab: Vocab,
        sentences: Iterable[list[str]] | None = None,
        tmp_dir: str | None = None,
    ) -> EncodedCorpus:
        """The scanned corpus in ``vocab``'s ids: the scan's id cache read through a remap.

        The scan keeps its cache (close the scan when done). A scan that pruned has
        no cache: then ``sentences`` (the same corpus, iterated again) are encoded
        afresh. ``n_words`` counts the scanned tokens whose word is in ``vocab``.
        """
        if s.cache is None:
            if sentences is None:
                raise ValueError("the scan pruned its id cache: pass `sentences` to encode again")
            return cls.encode(sentences, vocab, tmp_dir)
        ids = vocab.ids(s.words)
        return cls(s.cache, remap_table(ids), int(s.counts[ids >= 0].sum()))

    @classmethod
    def resume(
        cls,
        s: Scan,
        vocab: Vocab,
        sentences: Iterable[list[str]],
        *,
        n_words: int,
        identity: dict[str, Any] | None,
        source: str,
        tmp_dir: str | None = None,
    ) -> EncodedCorpus:
        """:meth:`from_scan` for resuming a run: the same jobs from the same text, or an error.

        Raises :class:`CorpusError` unless the scan read the text the checkpoint
        ``source`` was trained on: the same count for every word of ``vocab``, the
        same ``identity`` (:attr:`Scan.identity`, when the checkpoint records one) and
        ``n_words`` in-vocabulary words.
        """
        ids = vocab.ids(s.words)
        _check_same_corpus(s, ids, vocab, identity, source)
        if s.cache is None:  # pruned while counting: fit re-encoded the text too
            encoded = cls.encode(sentences, vocab, tmp_dir)
        else:  # the very id cache fit trained from, so the same job boundaries
            encoded = cls(s.cache, remap_table(ids), vocab.total)
        if encoded.n_words != n_words:
            raise CorpusError(
                f"the corpus has {encoded.n_words} in-vocabulary words but the checkpoint "
                f"{source!r} was trained on {n_words}: resume needs the same corpus"
            )
        return encoded

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
                _write_ids(fh, buf, tmp_dir)
                buf.clear()
        _write_ids(fh, buf, tmp_dir)
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
        """Close the cache it reads (the scan's, or its own after :meth:`encode`)."""
        self.cache.close()

    def __enter__(self) -> EncodedCorpus:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _write_ids(fh: IO[bytes], ids: list[int], tmp_dir: str | None) -> None:
    write_anonymous(fh, memoryview(np.array(ids, dtype=np.int32)).cast("B"), tmp_dir, CACHE_WRITE)


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


def build(
    s: Scan, *, min_count: int, max_final_vocab: int | None = None
) -> tuple[Vocab, np.ndarray]:
    """Final vocabulary from a scan: words with count >= min_count, most frequent first.

    Ties keep first-seen order. Returns ``(vocab, remap)`` where ``remap[p]`` is the
    final id of provisional id ``p`` or ``DROPPED``; ``remap`` has one extra last
    entry ``SENTENCE_END`` so that ``remap[cache_ids]`` maps the ``-1`` sentinel to itself.
    """
    vocab = Vocab.from_counts(
        s.words,
        s.counts,
        min_count=min_count,
        max_final_vocab=max_final_vocab,
        n_tokens=s.n_tokens,
        pruned=s.pruned,
    )
    log_vocabulary(vocab, s, min_count=min_count, max_final_vocab=max_final_vocab)
    return vocab, remap_table(vocab.ids(s.words))


def log_vocabulary(
    vocab: Vocab, s: Scan, *, min_count: int, max_final_vocab: int | None = None
) -> None:
    """An INFO line on the ``wordvec`` logger: the vocabulary built from scan ``s``."""
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


def remap_table(ids: np.ndarray) -> np.ndarray:
    """The remap from the final ids of the provisional words (-1: not in the vocabulary).

    One entry per provisional id (its final id or ``DROPPED``) and a last entry
    ``SENTENCE_END``, so that ``remap[cache_ids]`` maps the ``-1`` sentinel to itself.
    """
    remap = np.full(len(ids) + 1, DROPPED, dtype=np.int32)
    hit = ids >= 0
    remap[:-1][hit] = ids[hit]
    remap[-1] = SENTENCE_END
    return remap


def remap_ids(provisional: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """An in-memory stream of provisional ids (``SENTENCE_END`` after each sentence) in
    final ids: ``ids[p]`` is the final id of provisional id ``p`` (-1: not in the
    vocabulary, dropped). What :class:`EncodedCorpus` does chunk by chunk for a cache
    file, for a stream that fits in memory (a Spark segment). int32, the sentence ends
    kept (a sentence of unknown words leaves its ``SENTENCE_END``)."""
    out = remap_table(ids)[provisional]
    return out[out != DROPPED]


def _check_same_corpus(
    s: Scan, ids: np.ndarray, vocab: Vocab, identity: dict[str, Any] | None, source: str
) -> None:
    """Raise CorpusError unless scan ``s`` (its words' ids in ``vocab``: ``ids``) read
    the text the checkpoint ``source`` was trained on."""
    counts = np.zeros(len(vocab), dtype=np.int64)
    hit = ids >= 0
    counts[ids[hit]] = s.counts[hit]
    differs = np.flatnonzero(counts != vocab.counts)
    if differs.size:
        i = int(differs[0])
        raise CorpusError(
            f"this corpus is not the one the checkpoint {source!r} was trained on: "
            f"{vocab.words[i]!r} occurs {counts[i]} times in it, {vocab.counts[i]} times in "
            "the checkpoint's corpus; resume needs the same corpus"
        )
    if identity is not None and identity != s.identity:
        raise CorpusError(
            f"this corpus is not the one the checkpoint {source!r} was trained on: the word "
            f"counts agree, but not the text ({s.n_tokens} tokens in {s.n_sentences} "
            f"sentences here, {identity.get('tokens')} in {identity.get('sentences')} "
            "there, or another order); resume needs the same corpus"
        )
