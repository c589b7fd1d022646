"""The training data as Spark holds it: read, counted, encoded and cut into slices.

:func:`prepare` turns what ``fit`` was given into a :class:`SparkCorpus`: the
:class:`~wordvec.vocab.Vocab` counted by Spark, and an RDD of ``partitions``
contiguous slices of the text, each one int32 id stream (``-1`` after every
sentence) cached in the executors, about equal in words. The text never passes
through the driver: the executors count (each partition's distinct words and
counts go to a ``reduceByKey``), only words reaching ``min_count`` travel to the
driver, and the executors encode their own rows with the broadcast vocabulary.

Order. Segments (a partition's rows from one file; see :mod:`.text`) are ordered
by ``(file path, partition)``, which is the text's order: for files, by path and
then offset within each file (Spark reads the pieces of a file into partitions in
offset order); for an RDD or a DataFrame, partition by partition. Ties in the
vocabulary go to the word that occurs first in that order (the single-machine
rule: first seen first), and the slices follow that order too, so with one text
file (or an RDD / DataFrame holding the text in order) the vocabulary, ids
included, is the one ``wordvec.Word2Vec`` builds from the same text.
"""

from __future__ import annotations

import logging
import os
import time
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from pyspark import RDD, StorageLevel
from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, StringType

from ..config import TrainConfig
from ..errors import ConfigError, CorpusError
from ..vocab import Vocab
from . import text
from .report import SILENT, Report

__all__ = ["SparkCorpus", "prepare", "rows_of"]

logger = logging.getLogger(__name__)

_PERSIST = StorageLevel.MEMORY_AND_DISK

# A run uses at most one partition per MIN_PARTITION_WORDS in-vocabulary words (and at
# least one): every partition is a task in every round, and a partition with a handful
# of words (or none) costs a task's scheduling for nothing.
MIN_PARTITION_WORDS = 1000


@dataclass
class SparkCorpus:
    """A counted, encoded, partitioned corpus. ``slices`` is cached until :meth:`close`.

    ``slices`` holds one record per partition, ``(partition, ids)``; ``words[p]`` and
    ``crc32[p]`` are the in-vocabulary words and the CRC-32 of partition p's ids.
    """

    vocab: Vocab
    slices: RDD
    partitions: int
    words: list[int]
    crc32: list[int]
    n_tokens: int
    n_sentences: int
    pruned: bool

    @property
    def identity(self) -> dict[str, Any]:
        """What identifies the text (in this partitioning) for a checkpoint."""
        return {
            "tokens": self.n_tokens,
            "sentences": self.n_sentences,
            "partition_words": list(self.words),
            "partition_crc32": list(self.crc32),
        }

    def close(self) -> None:
        self.slices.unpersist()


# --------------------------------------------------------------------------- input forms


def rows_of(data: Any, spark: SparkSession, input_col: str | None) -> tuple[RDD, bool]:
    """An RDD of rows (str lines or token lists) and whether rows are ``(line, file)`` pairs."""
    if isinstance(data, DataFrame):
        return _dataframe_rows(data, input_col), False
    if input_col is not None:
        raise ConfigError(
            f"`input_col` chooses a DataFrame column; got input_col={input_col!r} with a "
            f"{type(data).__name__}."
        )
    if isinstance(data, RDD):
        return data, False
    paths = _paths(data)
    if paths is None:
        raise CorpusError(
            "`data` must be a DataFrame (a string or array<string> column), an RDD of lines "
            "or token lists, or a path / glob / URI (or a list of them) that spark.read.text "
            f"reads; got {type(data).__name__}."
        )
    from pyspark.errors import AnalysisException

    try:
        df = spark.read.text(paths, lineSep="\n")
    except AnalysisException as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CorpusError(f"{', '.join(paths)}: cannot read the text: {first}") from None
    return df.select("value", "_metadata.file_path").rdd.map(tuple), True


def _paths(data: Any) -> list[str] | None:
    if isinstance(data, (str, os.PathLike)):
        items = [data]
    elif (
        isinstance(data, (list, tuple))
        and data
        and all(isinstance(d, (str, os.PathLike)) for d in data)
    ):
        items = list(data)
    else:
        return None
    paths = [os.fspath(p) for p in items]
    for p in paths:
        if not isinstance(p, str) or not p:
            raise CorpusError(f"a corpus path must be a non-empty str; got {p!r}.")
        if p.lower().endswith(".xz"):
            raise CorpusError(
                f"{p}: Spark's text reader does not decompress .xz files (it would read the "
                "compressed bytes as text); decompress it, or recompress it as .gz or .bz2"
            )
    return paths


def _dataframe_rows(df: DataFrame, input_col: str | None) -> RDD:
    fields = {f.name: f.dataType for f in df.schema.fields}
    if input_col is None:
        if len(fields) != 1:
            raise ConfigError(
                f"the DataFrame has {len(fields)} columns ({', '.join(fields) or 'none'}); "
                "choose the text or tokens column with `input_col`"
            )
        input_col = next(iter(fields))
    elif input_col not in fields:
        raise ConfigError(
            f"`input_col` must be a column of the DataFrame ({', '.join(fields)}); "
            f"got {input_col!r}."
        )
    kind = fields[input_col]
    ok = isinstance(kind, StringType) or (
        isinstance(kind, ArrayType) and isinstance(kind.elementType, StringType)
    )
    if not ok:
        raise ConfigError(
            f"column {input_col!r} is {kind.simpleString()}; it must be string (lines of "
            "text) or array<string> (tokens)"
        )
    if isinstance(kind, ArrayType):
        # each token list that joining with spaces leaves intact travels as that line, so
        # that the executors count it with the compiled scanner; the others as lists
        line, tokens = _as_lines(F.col(input_col))
        return df.select(line, tokens).rdd.map(lambda row: row[1] if row[0] is None else row[0])
    return df.select(input_col).rdd.map(lambda row: row[0])


# the characters str.split() splits at (all in the BMP)
_WHITESPACE = "".join(chr(c) for c in range(0x10000) if chr(c).isspace())


def _as_lines(tokens: Column) -> tuple[Column, Column]:
    """``(line, tokens)`` columns for a token column: the tokens joined with spaces where
    ``line.split()`` gives them back (no empty, null or whitespace-holding token: the line
    then holds exactly ``len(tokens) - 1`` whitespace characters), else null and the tokens.
    A null or empty list is an empty line. Computed in the JVM in the same pass that reads
    the rows: no job of its own."""
    joined = F.concat_ws(" ", tokens)
    spaces = F.length(joined) - F.length(F.translate(joined, _WHITESPACE, ""))
    intact = (
        tokens.isNull()
        | (F.size(tokens) == 0)
        | (~F.array_contains(tokens, "") & (spaces == F.size(tokens) - 1))
    )  # null (a null token and no "") counts as not intact
    return F.when(intact, joined), F.when(intact, F.lit(None)).otherwise(tokens)


# --------------------------------------------------------------------------- the passes


def prepare(
    rows: RDD,
    with_files: bool,
    cfg: TrainConfig,
    partitions: int,
    *,
    vocab: Vocab | None = None,
    tmp_dir: str | None = None,
    report: Report = SILENT,
) -> SparkCorpus:
    """Count, encode and partition ``rows``; with ``vocab`` (resuming) encode with it.

    Counting scans each partition once, keeping its provisional ids, which the
    encoding then maps to final ids; only when ``max_vocab`` pruned some segment
    (or ``vocab`` is given) are the rows read again and encoded directly. ``tmp_dir``
    is where the executors write their temporary id caches. ``report`` gets a line as
    each stage (counting, partitioning) starts and ends (:mod:`.report`).
    """
    sc = rows.context
    lowercase, max_len = cfg.lowercase, cfg.max_sentence_length
    segments = None
    if vocab is None:
        opts = {"lowercase": lowercase, "max_sentence_length": max_len}
        opts.update(max_vocab=cfg.max_vocab, with_files=with_files, tmp_dir=tmp_dir)

        def scan(index, it):
            return text.scan_segments(index, it, **opts)

        segments = rows.mapPartitionsWithIndex(scan).persist(_PERSIST)
    try:
        pruned = False
        if vocab is None:
            vocab, pruned = count(segments, cfg, report)
        t0 = time.perf_counter()
        report(
            "partitioning: encoding the text with the %d-word vocabulary and cutting it into "
            "%d slices of about %d words", len(vocab), partitions, vocab.total // partitions,
        )  # fmt: skip
        bc = sc.broadcast((vocab.words, vocab.counts))
        try:
            if segments is not None and not pruned:
                encoded = segments.map(
                    lambda s: (s.key, text.encode_segment(s, _index(bc)), s.n_tokens, s.n_sentences)
                )
            else:

                def again(index, it):
                    for file, group in text._by_file(it, with_files):
                        ids, n_tokens, n_sentences = text.encode_rows(
                            group, _index(bc), lowercase, max_len
                        )
                        if n_sentences:
                            yield (file, index), ids, n_tokens, n_sentences

                encoded = rows.mapPartitionsWithIndex(again)
            encoded = encoded.persist(_PERSIST)
            try:
                partitions = usable_partitions(partitions, vocab.total)
                corpus = _partition(encoded, vocab, partitions, pruned)
            finally:
                encoded.unpersist()
        finally:
            bc.unpersist()
    finally:
        if segments is not None:
            segments.unpersist()
    report(
        "partitioned: %d slices of %d to %d words (%d tokens in %d sentences) in %.1fs",
        partitions, min(corpus.words), max(corpus.words), corpus.n_tokens,
        corpus.n_sentences, time.perf_counter() - t0,
    )  # fmt: skip
    return corpus


def usable_partitions(partitions: int, words: int) -> int:
    """``partitions``, capped at one per :data:`MIN_PARTITION_WORDS` of the ``words``
    in-vocabulary words (at least one); the cap is logged when it applies."""
    usable = max(1, min(partitions, words // MIN_PARTITION_WORDS))
    if usable < partitions:
        logger.warning(
            "training on %d partition(s), not %d: a partition has at least %d of the "
            "corpus's %d in-vocabulary words", usable, partitions, MIN_PARTITION_WORDS, words,
        )  # fmt: skip
    return usable


def count(segments: RDD, cfg: TrainConfig, report: Report = SILENT) -> tuple[Vocab, bool]:
    """The vocabulary, and whether ``max_vocab`` pruned while counting: counts summed by a
    ``reduceByKey``, words reaching ``min_count`` collected, sorted by count with ties in
    first-occurrence order."""
    min_count = cfg.min_count
    t0 = time.perf_counter()

    def entries(seg: text.Segment):
        yield None, (seg.n_tokens, int(seg.ids is None))  # the segment's totals
        for rank, (word, n) in enumerate(zip(seg.words, seg.counts.tolist(), strict=True)):
            yield word, (n, (*seg.key, rank))

    def add(a, b):
        if isinstance(a[1], tuple):  # a word: count, first occurrence
            return (a[0] + b[0], min(a[1], b[1]))
        return (a[0] + b[0], a[1] + b[1])  # the totals: tokens, pruned segments

    def kept(it):
        distinct, totals, words = 0, (0, 0), []
        for word, value in it:
            if word is None:
                totals = value
                continue
            distinct += 1
            if value[0] >= min_count:
                words.append((value[1], word, value[0]))
        yield distinct, totals, words

    parts = segments.flatMap(entries).reduceByKey(add).mapPartitions(kept).collect()
    distinct = sum(d for d, _, _ in parts)
    n_tokens = sum(t[0] for _, t, _ in parts)
    pruned = sum(t[1] for _, t, _ in parts) > 0
    found = sorted(w for _, _, words in parts for w in words)  # by first occurrence
    report(
        "counted %d tokens, %d distinct words%s in %.1fs", n_tokens, distinct,
        " (pruned to `max_vocab` while counting)" if pruned else "", time.perf_counter() - t0,
    )  # fmt: skip
    if not found:
        if n_tokens == 0:
            raise CorpusError("the corpus is empty: no tokens were read")
        left = "left after pruning to `max_vocab` while counting " if pruned else ""
        raise CorpusError(
            f"no word occurs at least min_count={min_count} times ({distinct} distinct words "
            f"{left}in {n_tokens} tokens); lower `min_count`"
        )
    vocab = Vocab.from_counts(
        [w for _, w, _ in found],
        np.array([n for _, _, n in found], dtype=np.int64),
        min_count=min_count,
        max_final_vocab=cfg.max_final_vocab,
        n_tokens=n_tokens,
        pruned=pruned,
    )
    final = f" and max_final_vocab={cfg.max_final_vocab}" if cfg.max_final_vocab else ""
    report(
        "vocabulary: %d words with min_count=%d%s, of %d distinct; %d of the %d tokens (%.1f%%)",
        len(vocab), min_count, final, distinct, vocab.total, n_tokens,
        100 * vocab.total / max(n_tokens, 1),
    )  # fmt: skip
    return vocab, pruned


def _index(bc) -> dict[str, int]:
    """The word -> id map of a broadcast vocabulary, built once per executor process
    (a broadcast value is loaded once per process: the same list object every time)."""
    words = bc.value[0]
    if _INDEX[0] is not words:
        _INDEX[:] = [words, {w: i for i, w in enumerate(words)}]
    return _INDEX[1]


_INDEX: list = [None, None]  # [the broadcast word list, its index]


def _partition(encoded: RDD, vocab: Vocab, partitions: int, pruned: bool) -> SparkCorpus:
    """Cut the encoded segments, in text order, into ``partitions`` contiguous slices."""
    sc = encoded.context
    sizes = encoded.map(lambda e: (e[0], int(np.count_nonzero(e[1] >= 0)), e[2], e[3])).collect()
    sizes.sort()
    total = sum(n for _, n, _, _ in sizes)
    tokens = sum(t for _, _, t, _ in sizes)
    sentences = sum(s for _, _, _, s in sizes)
    place, before = {}, 0
    for order, (key, n, _, _) in enumerate(sizes):
        place[key] = (order, before)
        before += n
    bc = sc.broadcast(place)
    try:

        def pieces(e):
            order, words_before = bc.value[e[0]]
            for t, ids in text.training_pieces(e[1], words_before, total, partitions):
                yield t, (order, ids)

        def assemble(index, it):
            parts = sorted((v for _, v in it), key=lambda v: v[0])
            ids = [ids for _, ids in parts]
            stream = np.concatenate(ids) if ids else np.zeros(0, np.int32)
            yield index, stream

        slices = (
            encoded.flatMap(pieces)
            .partitionBy(partitions, lambda t: t)
            .mapPartitionsWithIndex(assemble)
            .persist(_PERSIST)
        )
        stats = slices.map(
            lambda kv: (kv[0], int(np.count_nonzero(kv[1] >= 0)), zlib.crc32(kv[1]))
        ).collect()
    finally:
        bc.unpersist()
    stats.sort()
    return SparkCorpus(
        vocab,
        slices,
        partitions,
        [n for _, n, _ in stats],
        [c for _, _, c in stats],
        tokens,
        sentences,
        pruned,
    )
