"""Corpora and counts of :mod:`wordvec.compat.phrases`: gensim's corpora in and out, its
``add_vocab`` (merging counted layers) and ``vocab`` dict, over :mod:`wordvec.phrases`.

A counted layer holds the words (text and count) and every candidate as a
sequence of word ids with its count. Merging two adds the word counts by text
and the candidate counts by the words they are made of, so that counting a
corpus in parts and merging gives what counting it at once gives (candidates
never span two sentences, so nothing crosses a part boundary). The merged
layer keeps the bounds of counting: at most ``max_vocab`` words and
``max_vocab`` candidates, the rarest dropped first.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..phrases.stream import CountedLayer, apply_tokens, connector_mask

__all__ = ["token_lists", "Sentences", "TransformedCorpus", "empty_layer", "merged", "vocab_dict"]

logger = logging.getLogger("wordvec.compat.phrases")
_BATCH_TOKENS = 1 << 16  # tokens per compiled call when transforming a corpus


# --------------------------------------------------------------------------- corpora
def token_lists(corpus: Any, progress_per: int | None = None) -> Iterator[list[str]]:
    """Token lists of a gensim corpus (one pass), logging progress every ``progress_per``."""
    if isinstance(corpus, (str, bytes, os.PathLike)):
        raise ConfigError(
            f"`sentences` must be an iterable of token lists, not {type(corpus).__name__} "
            f"{corpus!r:.60}; for a text file pass LineSentence(path)."
        )
    if not isinstance(corpus, Iterable):
        raise ConfigError(
            f"`sentences` must be an iterable of token lists; got {type(corpus).__name__} "
            f"{corpus!r:.60}."
        )
    words = 0
    for no, sentence in enumerate(corpus):
        if progress_per and no % progress_per == 0:
            logger.info("PROGRESS: at sentence #%i, processed %i words", no, words)
        if isinstance(sentence, (str, bytes)):
            raise ConfigError(
                f"`sentences`: sentence {no} is a {type(sentence).__name__} ({sentence[:40]!r}); "
                "sentences must be lists of str tokens: split them first."
            )
        if not isinstance(sentence, Iterable):
            raise ConfigError(
                f"`sentences`: sentence {no} is a {type(sentence).__name__} ({sentence!r:.40}); "
                "sentences must be lists of str tokens."
            )
        tokens = sentence if isinstance(sentence, list) else list(sentence)
        words += len(tokens)
        yield tokens


class Sentences:
    """:func:`token_lists` at every iteration: counting reads the sentences again after
    pruning (more than ``max_vocab`` distinct words), which an iterator cannot do."""

    def __init__(self, sentences: Any, progress_per: int, max_vocab: int) -> None:
        self.sentences, self.progress_per, self.max_vocab = sentences, progress_per, max_vocab
        self.passes = 0

    def __iter__(self) -> Iterator[list[str]]:
        if self.passes and isinstance(self.sentences, Iterator):
            raise ConfigError(
                f"`sentences`: more than max_vocab_size={self.max_vocab} distinct words, and "
                "wordvec reads the sentences again after pruning them, which a one-pass iterator "
                "cannot do; pass a re-iterable (a list, LineSentence) or a larger max_vocab_size."
            )
        self.passes += 1
        return token_lists(self.sentences, self.progress_per)


class TransformedCorpus:
    """``phrases[corpus]``: the corpus with phrases joined, sentence by sentence, lazily."""

    def __init__(self, model: Any, corpus: Iterable[Any]) -> None:
        self.model = model
        self.corpus = corpus

    def __len__(self) -> int:
        return len(self.corpus)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[list[str]]:
        layers = self.model._layers()
        batch: list[list[str]] = []
        n = 0
        for tokens in token_lists(self.corpus):
            batch.append(tokens)
            n += len(tokens)
            if n >= _BATCH_TOKENS:
                yield from apply_tokens(layers, batch)
                batch, n = [], 0
        if batch:
            yield from apply_tokens(layers, batch)


# --------------------------------------------------------------------------- counts
def empty_layer() -> CountedLayer:
    """What a model holds before it has counted anything."""
    i64 = np.zeros(0, dtype=np.int64)
    return CountedLayer([], i64, np.zeros(1, dtype=np.int64), np.zeros(0, np.int32), i64, 0)


def vocab_dict(c: CountedLayer, connectors: frozenset[str], delimiter: str) -> dict[str, int]:
    """gensim's ``vocab``: every word (connector words aside) and every candidate, joined
    by ``delimiter``, -> its count (a candidate whose text is also a token adds up)."""
    words, is_conn = c.words, connector_mask(c.words, connectors).tolist()
    vocab = {
        w: n
        for w, n, conn in zip(words, c.word_counts.tolist(), is_conn, strict=True)
        if n > 0 and not conn
    }
    flat, bounds = c.keys.tolist(), c.offsets.tolist()
    for e, n in enumerate(c.counts.tolist()):
        name = delimiter.join([words[i] for i in flat[bounds[e] : bounds[e + 1]]])
        vocab[name] = vocab.get(name, 0) + n
    return vocab


def merged(a: CountedLayer, b: CountedLayer, max_vocab: int) -> CountedLayer:
    """The counts of ``a`` and ``b`` added up (words by text, candidates by their words)."""
    index = {w: i for i, w in enumerate(a.words)}
    words = list(a.words)
    remap = np.empty(len(b.words), dtype=np.int64)
    for j, w in enumerate(b.words):
        i = index.setdefault(w, len(words))
        if i == len(words):
            words.append(w)
        remap[j] = i
    word_counts = np.zeros(len(words), dtype=np.int64)
    word_counts[: len(a.words)] = a.word_counts
    word_counts[remap] += b.word_counts  # (remap is one-to-one)
    lengths = np.concatenate([np.diff(a.offsets), np.diff(b.offsets)])
    keys = np.concatenate([a.keys, remap[b.keys]]).astype(np.int32)
    counts = np.concatenate([a.counts, b.counts])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    out_keys, out_counts, out_lengths = [np.zeros(0, np.int32)], [counts[:0]], [lengths[:0]]
    for n in np.unique(lengths).tolist():  # the keys of one length at a time, as table rows
        sel = np.flatnonzero(lengths == n)
        rows = keys[starts[sel][:, None] + np.arange(n)]
        unique, inverse = np.unique(rows, axis=0, return_inverse=True)
        summed = np.zeros(len(unique), dtype=np.int64)
        np.add.at(summed, inverse.reshape(-1), counts[sel])
        out_keys.append(unique.reshape(-1))
        out_counts.append(summed)
        out_lengths.append(np.full(len(unique), n, dtype=np.int64))
    return _bounded(
        words,
        word_counts,
        np.concatenate(out_lengths),
        np.concatenate(out_keys).astype(np.int32),
        np.concatenate(out_counts),
        a.n_words + b.n_words,
        a.pruned or b.pruned,
        max(a.min_reduce, b.min_reduce),
        max_vocab,
    )


def _floor(word_counts: np.ndarray, max_vocab: int) -> int:
    """The least ``f >= 0`` with at most ``max_vocab`` counts above it: 0, or the
    ``max_vocab + 1``-th largest count."""
    if np.count_nonzero(word_counts > 0) <= max_vocab:
        return 0
    k = len(word_counts) - max_vocab - 1
    return int(np.partition(word_counts, k)[k])


def _bounded(
    words, word_counts, lengths, keys, counts, n_words, pruned, min_reduce, max_vocab
) -> CountedLayer:
    """At most ``max_vocab`` words and ``max_vocab`` candidates, the rarest dropped first
    (word2vec C's rule, as while counting); the candidates of a dropped word go with it."""
    floor = _floor(word_counts, max_vocab)
    if floor:
        keep = word_counts > floor
        new_id = np.cumsum(keep) - 1
        words = [w for w, k in zip(words, keep.tolist(), strict=True) if k]
        word_counts = word_counts[keep]
        dropped = np.repeat(np.arange(len(lengths)), lengths)[~keep[keys]]  # their entries
        ok = np.ones(len(lengths), dtype=np.bool_)
        ok[dropped] = False
        keys, lengths, counts = new_id[keys][np.repeat(ok, lengths)], lengths[ok], counts[ok]
        pruned = True
    while len(counts) > max_vocab:
        ok = counts > min_reduce
        keys, lengths, counts = keys[np.repeat(ok, lengths)], lengths[ok], counts[ok]
        min_reduce, pruned = min_reduce + 1, True
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return CountedLayer(
        words, word_counts, offsets, keys.astype(np.int32), counts, n_words, pruned, min_reduce
    )
