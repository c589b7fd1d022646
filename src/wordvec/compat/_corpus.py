"""Corpora for :mod:`wordvec.compat`: gensim's ``LineSentence`` / ``PathLineSentences``,
and the passes :class:`~wordvec.compat.Word2Vec` makes over a corpus.

A pass yields what gensim counts: ``corpus_count`` is the number of items the
iterable yields (empty sentences included; for a file, its non-empty lines cut
into pieces of at most 10,000 words, as ``LineSentence`` does) and
``corpus_total_words`` the number of tokens. Training reads the corpus once,
into wordvec's int32 id cache, and runs every epoch from that cache.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..encoded import EncodedCorpus
from ..errors import ConfigError, CorpusError
from ..text.corpus import TextCorpus, open_file, pieces, tokenise
from ..text.idcache import Scan
from ..text.scan import scan, scan_sentences
from ..vocab import Vocab
from .utils import keep_vocab_item

__all__ = ["LineSentence", "PathLineSentences", "MAX_WORDS_IN_BATCH"]

MAX_WORDS_IN_BATCH = 10000  # gensim's longest sentence and default batch_words


class LineSentence:
    """Sentences from a text file (or an open file object): one line, one sentence, tokens
    split on whitespace; lines longer than ``max_sentence_length`` are cut into pieces.

    Parameters
    ----------
    source : str, os.PathLike or file object
        A path (plain, ``.gz``, ``.bz2``, ``.xz``) or an object with ``seek(0)`` and lines.
    max_sentence_length : int
    limit : int, optional
        Read only the first ``limit`` lines.
    """

    def __init__(
        self, source: Any, max_sentence_length: int = MAX_WORDS_IN_BATCH, limit: int | None = None
    ) -> None:
        self.source = source
        self.max_sentence_length = max_sentence_length
        self.limit = limit

    def _path(self) -> str | None:
        """The file to read with wordvec's own reader, when that gives the same sentences."""
        if isinstance(self.source, (str, os.PathLike)) and self.limit is None:
            return os.fspath(self.source)
        return None

    def __iter__(self) -> Iterator[list[str]]:
        path = self._path()
        if path is not None:
            yield from TextCorpus(path, max_sentence_length=self.max_sentence_length)
            return
        if hasattr(self.source, "seek"):
            self.source.seek(0)
            yield from self._lines(self.source)
        else:  # a path with a limit: its first lines, decompressed as wordvec reads files
            with open_file(Path(os.fspath(self.source))) as (stream, _):
                yield from self._lines(stream)

    def _lines(self, lines: Iterable[Any]) -> Iterator[list[str]]:
        n = self.max_sentence_length
        for line in itertools.islice(lines, self.limit):
            text = line.decode("utf-8") if isinstance(line, bytes) else line
            yield from pieces(tokenise(text), n)


class PathLineSentences:
    """Like :class:`LineSentence` for every file of a directory (not recursive), in file
    name order; a file path reads just that file."""

    def __init__(
        self, source: Any, max_sentence_length: int = MAX_WORDS_IN_BATCH, limit: int | None = None
    ) -> None:
        self.source = os.fspath(source)
        self.max_sentence_length = max_sentence_length
        self.limit = limit
        if os.path.isfile(self.source):
            self.input_files = [self.source]
        elif os.path.isdir(self.source):
            names = sorted(os.listdir(self.source))
            self.input_files = [os.path.join(self.source, n) for n in names]
        else:
            raise ValueError("input is neither a file nor a path")

    def __iter__(self) -> Iterator[list[str]]:
        for path in self.input_files:
            yield from LineSentence(path, self.max_sentence_length, self.limit)


# --------------------------------------------------------------------------- passes
class Counted:
    """Wraps an iterable of sentences; counts the items and tokens one pass yields."""

    def __init__(self, sentences: Iterable[Any]) -> None:
        self.sentences = sentences
        self.items = 0
        self.tokens = 0

    def __iter__(self) -> Iterator[Any]:
        for sentence in self.sentences:
            self.items += 1
            try:
                self.tokens += len(sentence)
            except TypeError:
                pass  # not a list; TextCorpus names the problem
            yield sentence


def check_corpus(corpus_iterable: Any, corpus_file: Any) -> None:
    """gensim's rule: exactly one of the two, and the right kind of each."""
    if corpus_iterable is None and corpus_file is None:
        raise ConfigError("Either one of corpus_file or corpus_iterable value must be provided.")
    if corpus_iterable is not None and corpus_file is not None:
        raise ConfigError(
            "Both corpus_file and corpus_iterable must not be provided at the same time."
        )
    if corpus_file is not None:
        if not isinstance(corpus_file, (str, os.PathLike)) or not os.path.isfile(corpus_file):
            raise ConfigError(f"`corpus_file` must be the path of a file; got {corpus_file!r}.")
    elif isinstance(corpus_iterable, (str, bytes, os.PathLike)):
        raise ConfigError(
            f"`corpus_iterable` (or `sentences`) must be an iterable of token lists; got the "
            f"{type(corpus_iterable).__name__} {os.fspath(corpus_iterable)!r}. For a file, "
            "pass corpus_file=PATH or LineSentence(PATH)."
        )
    elif not isinstance(corpus_iterable, Iterable):
        raise ConfigError(
            "The corpus_iterable must be an iterable of lists of strings, got "
            f"{corpus_iterable!r} instead."
        )


def file_of(corpus_iterable: Any, corpus_file: Any) -> str | None:
    """The path wordvec's compiled reader can scan for this corpus, if any."""
    if corpus_file is not None:
        return os.fspath(corpus_file)
    if isinstance(corpus_iterable, LineSentence):
        return corpus_iterable._path()
    return None


def scan_corpus(
    corpus_iterable: Any, corpus_file: Any, max_vocab: int | None, keep_ids: bool, trim_rule=None
) -> tuple[Scan, int]:
    """One counting pass: ``(scan, corpus_count)``; the scan keeps its id cache only
    with ``keep_ids`` (and only when the vocabulary was not pruned while counting).

    With a ``trim_rule``, pruning beyond ``max_vocab`` is gensim's: once per sentence that
    goes beyond it, the ``step``-th time dropping what ``keep_vocab_item(word, count, step,
    trim_rule)`` drops (so RULE_KEEP words survive every pruning)."""
    keep = None
    if trim_rule is not None:

        def keep(word: str, count: int, step: int) -> bool:
            return keep_vocab_item(word, count, step, trim_rule)

    path = file_of(corpus_iterable, corpus_file)
    if path is not None:
        length = getattr(corpus_iterable, "max_sentence_length", MAX_WORDS_IN_BATCH)
        s = scan(TextCorpus(path, max_sentence_length=length), max_vocab=max_vocab, keep=keep)
        if not keep_ids and s.cache is not None:
            s.cache.close()
            s.cache = None
        return s, s.n_sentences
    counted = Counted(corpus_iterable)
    s = scan_sentences(_token_lists(counted), max_vocab=max_vocab, cache=keep_ids, keep=keep)
    return s, counted.items


def _token_lists(counted: Counted) -> TextCorpus:
    return TextCorpus(iter(counted), max_sentence_length=MAX_WORDS_IN_BATCH)


def ids_of(s: Scan, vocab: Vocab) -> EncodedCorpus:
    """The training stream of a scan that kept its id cache, in ``vocab``'s ids."""
    return EncodedCorpus.from_scan(s, vocab)


def encode_corpus(
    corpus_iterable: Any, corpus_file: Any, vocab: Vocab, bounded: bool
) -> tuple[EncodedCorpus, int, int]:
    """One pass writing the training stream: ``(encoded, sentences, tokens)``.

    A file is scanned by the compiled reader unless ``bounded`` (a ``max_vocab_size``
    asks for memory bounded whatever the corpus); else words are looked up in
    ``vocab`` as they stream by.
    """
    path = file_of(corpus_iterable, corpus_file)
    if path is not None and not bounded:
        s, sentences = scan_corpus(corpus_iterable, corpus_file, None, keep_ids=True)
        if s.cache is not None:
            return ids_of(s, vocab), sentences, s.n_tokens
    if path is not None:
        length = getattr(corpus_iterable, "max_sentence_length", MAX_WORDS_IN_BATCH)
        counted = Counted(TextCorpus(path, max_sentence_length=length))
    else:
        counted = Counted(corpus_iterable)
    encoded = EncodedCorpus.encode(_token_lists(counted), vocab)
    if counted.items == 0:
        encoded.close()
        raise CorpusError(
            "the corpus given to train() yielded no sentences (a generator or iterator that "
            "build_vocab() already consumed? pass a list, or an object whose __iter__ starts "
            "afresh)"
        )
    return encoded, counted.items, counted.tokens
