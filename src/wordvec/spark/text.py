"""What the executors do with the text: tokenise, count, encode, cut into training slices.

Plain Python and NumPy over iterators of rows, so every function here runs (and
is tested) without Spark; :mod:`wordvec.spark.corpus` maps them over partitions.

Rows and sentences. A row is one line of text (a ``str``) or one list of tokens.
A line is split exactly as :mod:`wordvec.text.corpus` splits a line of a file:
``line.split()`` (runs of ASCII and Unicode whitespace, not ``split(" ")``),
after ``line.lower()`` with ``lowercase``; a token list is taken as it is (each
token lowercased with ``lowercase``), as the single-machine reader takes a Python
iterable. Empty rows (and nulls) give nothing; a row longer than
``max_sentence_length`` tokens is cut into consecutive pieces of at most that
many. Each piece is one sentence.

Segments. The unit of counting and encoding is a *segment*: the rows of one
partition that come from one file (the whole partition for an RDD or a
DataFrame). Its key ``(file, partition)`` orders the segments as the text runs:
files by path, and the pieces of one file (one per partition, in offset order)
by partition. :func:`scan_segments` gives each segment's distinct words in
first-seen order, with counts and the segment's provisional id stream; its
words' first occurrences in the whole text are then ordered by ``(key, rank in
the segment)``, which is how ties are broken in the vocabulary, as on one machine.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

import numpy as np

from ..encoded import encode_sentences, id_stream, remap_ids
from ..errors import CorpusError
from ..text.corpus import pieces, tokenise
from ..text.fastscan import scan_lines
from ..text.scan import SENTENCE_END, Scan, scan_sentences

__all__ = [
    "Segment",
    "scan_segments",
    "encode_segment",
    "encode_rows",
    "sentence_pieces",
    "training_pieces",
]

NO_FILE = ""  # the file of every row of an RDD or a DataFrame


class Segment(NamedTuple):
    """The counted rows of one partition from one file.

    ``words`` are its distinct tokens in first-seen order (provisional ids),
    ``counts`` (int64) their counts and ``ids`` (int32) the provisional id stream with
    ``-1`` after each sentence, or None when ``max_vocab`` pruned words while
    counting (the ids were renumbered: the segment is encoded again from its rows).
    """

    key: tuple[str, int]
    words: list[str]
    counts: np.ndarray
    ids: np.ndarray | None
    n_tokens: int
    n_sentences: int


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def sentence_pieces(row: Any, lowercase: bool, max_len: int) -> Iterator[list[str]]:
    """The sentences of one row (a str line or a list/tuple of str tokens)."""
    if row is None:
        return
    if isinstance(row, str):
        yield from pieces(tokenise(row, lowercase), max_len)
        return
    elif isinstance(row, (list, tuple)):
        tokens = list(row)
        try:
            "".join(tokens)  # every element a str, checked in C
        except TypeError:
            bad = next(t for t in tokens if not isinstance(t, str))
            raise CorpusError(
                f"a token list holds a {type(bad).__name__} ({_describe(bad)}); tokens must be str"
            ) from None
        if lowercase:
            tokens = [t.lower() for t in tokens]
    else:
        raise CorpusError(
            f"a row is a {type(row).__name__} ({_describe(row)}); rows must be lines of "
            "text (str) or lists of str tokens"
        )
    yield from pieces(tokens, max_len)


def _by_file(rows: Iterable[Any], with_files: bool) -> Iterator[tuple[str, Iterator[Any]]]:
    """Group consecutive rows by file: ``(file, rows)``; one group without files."""
    if not with_files:
        yield NO_FILE, iter(rows)
        return
    for file, pairs in itertools.groupby(rows, key=operator.itemgetter(1)):
        yield file, (line for line, _ in pairs)


def scan_segments(
    partition: int,
    rows: Iterable[Any],
    *,
    lowercase: bool,
    max_sentence_length: int,
    max_vocab: int | None,
    with_files: bool,
    tmp_dir: str | None = None,
) -> Iterator[Segment]:
    """Count and provisionally encode the rows of one partition, one segment per file.

    ``rows`` are lines or token lists, or ``(line, file)`` pairs when ``with_files``.
    The result is that of :func:`wordvec.text.scan.scan_sentences` (the single-machine
    pass) over the segment's sentences, so ``max_vocab`` prunes as it does there,
    within the segment. Lines go through wordvec's compiled scanner when it gives
    that result exactly (:func:`_compiled_scan`), else through the Python pass.
    """
    for file, group in _by_file(rows, with_files):
        group = [row for row in group if row is not None]
        s = _compiled_scan(group, lowercase, max_sentence_length, max_vocab, tmp_dir)
        if s is None:
            sentences = (
                piece
                for row in group
                for piece in sentence_pieces(row, lowercase, max_sentence_length)
            )
            s = scan_sentences(sentences, max_vocab=max_vocab, tmp_dir=tmp_dir)
        try:
            ids = None
            if s.cache is not None:
                s.cache.seek(0)
                ids = np.fromfile(s.cache, dtype=np.int32)
        finally:
            if s.cache is not None:
                s.cache.close()
        if s.n_tokens:
            yield Segment((file, partition), s.words, s.counts, ids, s.n_tokens, s.n_sentences)


def _compiled_scan(
    rows: list[Any], lowercase: bool, max_len: int, max_vocab: int | None, tmp_dir: str | None
) -> Scan | None:
    """The rows scanned by the compiled scanner (:func:`wordvec.text.fastscan.scan_lines`),
    or None when that would not be exactly :func:`scan_sentences` over
    :func:`sentence_pieces`: a row that is not a str, or one that ``scan_lines`` refuses."""
    if not rows or not all(isinstance(row, str) for row in rows):
        return None
    return scan_lines(
        rows, max_len=max_len, max_vocab=max_vocab, lowercase=lowercase, tmp_dir=tmp_dir
    )


def encode_segment(segment: Segment, index: dict[str, int]) -> np.ndarray:
    """The segment's stream in final ids: out-of-vocabulary tokens dropped, ``-1`` kept
    after every sentence (a sentence of unknown words leaves its ``-1``, as on one machine)."""
    final = np.fromiter(
        (index.get(w, -1) for w in segment.words), dtype=np.int64, count=len(segment.words)
    )
    return remap_ids(segment.ids, final)


def encode_rows(
    rows: Iterable[Any], index: dict[str, int], lowercase: bool, max_sentence_length: int
) -> tuple[np.ndarray, int, int]:
    """Rows encoded straight to final ids (when provisional ids were pruned, or the
    vocabulary is known): ``(ids, tokens read, sentences)``; every sentence leaves its
    ``SENTENCE_END``, as in :func:`encode_segment`."""
    read = [0, 0]  # tokens, sentences

    def pieces() -> Iterator[list[str]]:
        for row in rows:
            for piece in sentence_pieces(row, lowercase, max_sentence_length):
                read[0] += len(piece)
                read[1] += 1
                yield piece

    ids = id_stream(encode_sentences(pieces(), index))
    return ids, read[0], read[1]


def training_pieces(
    ids: np.ndarray, words_before: int, total_words: int, partitions: int
) -> Iterator[tuple[int, np.ndarray]]:
    """Cut an encoded segment into the training partitions' contiguous slices.

    The text is split into ``partitions`` contiguous slices of about equal words: a
    sentence goes to slice ``(w * partitions) // total_words``, ``w`` the words
    before it in the whole text (``words_before`` of them before this segment).
    Yields ``(slice, ids)`` for each slice this segment feeds.
    """
    if len(ids) == 0:
        return
    ends = np.flatnonzero(ids == SENTENCE_END)
    starts = np.concatenate([[0], ends[:-1] + 1])
    words_at_start = words_before + starts - np.arange(len(starts))  # words before each
    target = np.minimum(
        (words_at_start * partitions) // max(total_words, 1), partitions - 1
    ).astype(np.int64)
    cuts = np.flatnonzero(np.diff(target)) + 1  # first sentence of each new slice
    bounds = np.concatenate([[0], starts[cuts], [len(ids)]])
    slices = np.concatenate([[target[0]], target[cuts]])
    for t, a, b in zip(slices.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        yield t, ids[a:b]
