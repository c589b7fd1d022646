"""The encoded-corpus stage: a Vocab and the scan's id cache -> the training stream.

:class:`EncodedCorpus` reads the provisional-id cache of a scan in chunks and maps
it through ``remap`` (provisional id -> final id in the :class:`~wordvec.vocab.Vocab`,
``DROPPED`` for a word not in it), so every epoch reads ids, not text; its
``chunks()`` are what the engine trains on. Its public constructors:
:meth:`EncodedCorpus.from_scan` (a scan's id cache by remapping, for ``fit`` and
``train``), :meth:`EncodedCorpus.resume` (the same, checked against a checkpoint),
:meth:`EncodedCorpus.encode` (sentences of words looked up in a vocabulary) and
:meth:`EncodedCorpus.from_ids` (final ids: per sentence, or one array with
``SENTENCE_END`` between sentences, in memory or written to a cache). The drivers
that hold a stream in memory (Spark's executors) encode with the same functions:
:func:`encode_sentences`, :func:`id_stream` and :func:`remap_ids`, and cut it with
:meth:`EncodedCorpus.chunks` too.
"""

from __future__ import annotations

import logging
import mmap
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    "encode_sentences",
    "id_stream",
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
        """Write ``sentences`` as final ids (second pass, used after pruning or to resume);
        a sentence without a word of ``vocab`` leaves nothing, not even its end."""
        ids = (ids for ids in encode_sentences(sentences, vocab.index) if ids)
        return cls.from_ids(ids, len(vocab), tmp_dir)

    @classmethod
    def from_ids(
        cls,
        ids: np.ndarray | Iterable[Sequence[int]],
        vocab_size: int,
        tmp_dir: str | None = None,
    ) -> EncodedCorpus:
        """The stream of final ids ``ids`` (each in ``range(vocab_size)``).

        ``ids`` is either one int array with ``SENTENCE_END`` after every sentence, which
        is read where it is (not copied: do not change it while the corpus is in use), or
        the ids of each sentence, written to a temporary cache with a ``SENTENCE_END``
        after each (an empty sentence leaves its end). An id outside the vocabulary is a
        :class:`CorpusError`.
        """
        vocab_size = int(vocab_size)
        remap = np.arange(vocab_size + 1, dtype=np.int32)
        remap[-1] = SENTENCE_END
        if isinstance(ids, np.ndarray):
            stream = np.ascontiguousarray(ids, dtype=np.int32)
            _check_ids(stream, vocab_size)
            return cls(_ArrayReader(stream), remap, int(np.count_nonzero(stream >= 0)))
        fh = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115 - returned open in the corpus
        try:
            block: list[Sequence[int]] = []
            n = held = 0
            for sentence in ids:
                block.append(sentence)
                held += len(sentence) + 1
                if held >= _FLUSH_TOKENS:
                    n += _write_block(fh, block, vocab_size, tmp_dir)
                    block, held = [], 0
            n += _write_block(fh, block, vocab_size, tmp_dir)
        except BaseException:
            fh.close()
            raise
        return cls(fh, remap, n)

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


def encode_sentences(
    sentences: Iterable[list[str]], index: Mapping[str, int]
) -> Iterator[list[int]]:
    """Each sentence as the ids of its words in ``index``; a word not in it is dropped."""
    get = index.get
    for sentence in sentences:
        yield [i for i in map(get, sentence) if i is not None]


def id_stream(sentences: Iterable[Sequence[int]]) -> np.ndarray:
    """The ids of ``sentences`` in one int32 array, ``SENTENCE_END`` after each sentence
    (an empty sentence leaves its end)."""
    buf: list[int] = []
    for sentence in sentences:
        buf.extend(sentence)
        buf.append(SENTENCE_END)
    return np.array(buf, dtype=np.int32)


def _write_block(
    fh: IO[bytes], sentences: list[Sequence[int]], vocab_size: int, tmp_dir: str | None
) -> int:
    """Append ``sentences`` to the cache as :func:`id_stream`; returns their word count."""
    stream = id_stream(sentences)
    _check_ids(stream, vocab_size)
    write_anonymous(fh, memoryview(stream).cast("B"), tmp_dir, CACHE_WRITE)
    return len(stream) - len(sentences)


def _check_ids(stream: np.ndarray, vocab_size: int) -> None:
    bad = np.flatnonzero((stream >= vocab_size) | ((stream < 0) & (stream != SENTENCE_END)))
    if bad.size:
        raise CorpusError(
            f"id {int(stream[bad[0]])} is not in the vocabulary of {vocab_size} words "
            f"(ids 0..{vocab_size - 1}, {SENTENCE_END} ends a sentence)"
        )


class _ArrayReader:
    """An int32 array read as the bytes of an id cache (``readinto``/``seek``), uncopied."""

    def __init__(self, stream: np.ndarray) -> None:
        self._bytes = memoryview(stream).cast("B")
        self._at = 0

    def seek(self, offset: int) -> None:
        self._at = offset

    def readinto(self, buf: memoryview) -> int:
        n = min(len(buf), len(self._bytes) - self._at)
        buf[:n] = self._bytes[self._at : self._at + n]
        self._at += n
        return n

    def close(self) -> None:
        self._bytes.release()


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
