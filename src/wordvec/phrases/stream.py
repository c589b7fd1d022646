"""The streaming side of :mod:`wordvec.phrases`: id streams, counting layers, applying them.

A corpus is scanned once (:func:`scan_stream`, the one place that knows how
wordvec turns text into ids) into an :class:`IdStream`: an int32 id cache in a
temporary file plus the token of every id. Counting a phrase layer
(:func:`count_layer`) and applying one (:func:`apply_stream`, which writes the
next stream) read that cache in sentence-aligned chunks, so several passes
never read the text again, and memory stays at one chunk plus the tables.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

from ..errors import ConfigError
from ..text.corpus import TextCorpus
from ..text.scan import scan
from . import kernels as K

_CHUNK_TOKENS = 1 << 20  # ids per chunk read from a cache (tests shrink it)
_FIRST_ENTRIES = 1 << 16  # first capacity of a candidate table
_BATCH_TOKENS = 1 << 16  # tokens per compiled call when transforming token lists


@dataclass
class IdStream:
    """Token ids in a temporary file, ``-1`` after every sentence.

    ``names[i]`` is the token of id i and ``counts[i]`` how often it occurs;
    ``n_tokens`` counts every token. ``has_unknown``: the stream also holds
    ``UNKNOWN`` / ``UNKNOWN_CONNECTOR`` codes (words pruned while scanning), whose
    text is not kept.
    """

    file: IO[bytes]
    names: list[str]
    counts: np.ndarray
    n_tokens: int
    has_unknown: bool = False

    def chunks(self, chunk_tokens: int | None = None) -> Iterator[np.ndarray]:
        """int32 arrays of ids, each ending with ``-1`` (a sentence end)."""
        size = chunk_tokens or _CHUNK_TOKENS
        self.file.seek(0)
        carry = np.empty(0, dtype=np.int32)
        while True:
            raw = np.fromfile(self.file, dtype=np.int32, count=size)
            if len(raw) == 0:
                break
            data = np.concatenate([carry, raw]) if len(carry) else raw
            ends = np.flatnonzero(data == K.SENTENCE_END)
            if len(ends) == 0:  # one sentence longer than a chunk: read on
                carry = data
                continue
            cut = ends[-1] + 1
            carry = data[cut:].copy()
            yield data[:cut]
        if len(carry):
            yield np.concatenate([carry, np.array([K.SENTENCE_END], dtype=np.int32)])

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> IdStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- scanning


def scan_stream(
    corpus: TextCorpus, max_vocab: int | None, tmp_dir: str | None, connectors: frozenset[str]
) -> IdStream:
    """Count and encode ``corpus`` in one pass (the compiled scanner for text files).

    If it has more than ``max_vocab`` distinct tokens, the scan prunes the rarest
    (word2vec C's rule) and the corpus is read a second time to encode it with
    the words that are left; the others become ``UNKNOWN`` (or
    ``UNKNOWN_CONNECTOR``) codes.
    """
    s = scan(corpus, max_vocab=max_vocab, tmp_dir=tmp_dir)  # the one coupling to the scan stage
    if s.cache is not None:
        return IdStream(s.cache, s.words, s.counts, s.n_tokens)
    return _encode(corpus, s.words, s.counts, s.n_tokens, tmp_dir, connectors)


def _encode(
    sentences: Iterable[list[str]],
    words: list[str],
    counts: np.ndarray,
    n_tokens: int,
    tmp_dir: str | None,
    connectors: frozenset[str],
) -> IdStream:
    index = {w: i for i, w in enumerate(words)}
    get = index.get
    fh = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115 - returned open in the stream
    try:
        buf: list[int] = []
        for sent in sentences:
            buf.extend(
                K.UNKNOWN_CONNECTOR
                if i is None and t in connectors
                else K.UNKNOWN
                if i is None
                else i
                for t, i in zip(sent, map(get, sent), strict=True)
            )
            buf.append(K.SENTENCE_END)
            if len(buf) >= _CHUNK_TOKENS:
                np.array(buf, dtype=np.int32).tofile(fh)
                buf.clear()
        np.array(buf, dtype=np.int32).tofile(fh)
        fh.flush()
    except BaseException:
        fh.close()
        raise
    return IdStream(fh, words, counts, n_tokens, has_unknown=True)


# --------------------------------------------------------------------------- counting


@dataclass
class CountedLayer:
    """What one pass counted: the words (with counts) and every candidate key."""

    words: list[str]
    word_counts: np.ndarray  # int64 (V,)
    offsets: np.ndarray  # int64 (P + 1,): key e is keys[offsets[e]:offsets[e + 1]]
    keys: np.ndarray  # int32 word ids
    counts: np.ndarray  # int64 (P,)
    n_words: int  # tokens in the corpus, connector words included
    pruned: bool = False
    min_reduce: int = 1  # the next pruning would drop keys counted at most this often
    capacity: int = 0  # keys the table had room for: 3/4 of its slots, < 2 max_vocab


def connector_mask(words: list[str], connectors: frozenset[str]) -> np.ndarray:
    if not connectors:
        return np.zeros(len(words), dtype=np.bool_)
    return np.fromiter((w in connectors for w in words), dtype=np.bool_, count=len(words))


def count_layer(stream: IdStream, connectors: frozenset[str], max_vocab: int) -> CountedLayer:
    """Count every candidate of ``stream``, keeping at most ``max_vocab`` keys.

    When the table is full and a new key arrives, the keys counted at most
    ``min_reduce`` times are dropped and ``min_reduce`` goes up by one, until there
    is room (word2vec C's ReduceVocab): the bound is never exceeded.
    """
    is_conn = connector_mask(stream.names, connectors)
    table = K.new_table(min(_FIRST_ENTRIES, max_vocab))
    state = np.array([0, 0, -1, 0], dtype=np.int64)
    min_reduce, pruned = 1, False
    for chunk in stream.chunks():
        t = 0
        while True:
            status, t = K.count_chunk(chunk, t, is_conn, *table, state, max_vocab)
            if status == K.DONE:
                break
            if status == K.GROW:
                table = _grown(table, state, len(chunk))
            else:
                pruned = True
                while state[0] >= max_vocab:
                    state[0], state[1] = K.prune(*table, int(state[1]), min_reduce)
                    min_reduce += 1
    offsets, keys, counts = K.extract(*table, int(state[0]))
    return CountedLayer(
        words=stream.names,
        word_counts=np.asarray(stream.counts, dtype=np.int64),
        offsets=offsets,
        keys=keys,
        counts=counts,
        n_words=stream.n_tokens,
        pruned=pruned,
        min_reduce=min_reduce,
        capacity=3 * len(table.slots) // 4,
    )


def _grown(table: K.PairTable, state: np.ndarray, key_need: int) -> K.PairTable:
    """Room for the next key: twice the slots, or more room for long keys, as needed."""
    n, n_long = int(state[0]), int(state[1])
    slots, offsets, keys, counts = table
    if 4 * (n + 1) > 3 * len(slots):
        slots = np.zeros((2 * len(slots), 2), dtype=np.int64)
        slots[:, 0] = -1
        K.rehash(slots, table.slots)
    if n_long == len(counts):
        offsets = np.concatenate([offsets, np.zeros(len(counts), dtype=np.int64)])
        counts = np.concatenate([counts, np.zeros(len(counts), dtype=np.int64)])
    used = int(offsets[n_long])
    if used + key_need > len(keys):
        grown = np.zeros(max(2 * len(keys), used + key_need), dtype=np.int32)
        grown[:used] = keys[:used]
        keys = grown
    return K.PairTable(slots, offsets, keys, counts)


# --------------------------------------------------------------------------- applying


@dataclass
class PhraseLayer:
    """One pass, ready to apply: its words and the keys that are phrases.

    ``table`` holds the phrase keys (entry p is phrase p) over ``words`` ids;
    ``names[p]`` is phrase p's text and ``scores[p]`` its score.
    """

    words: list[str]
    is_conn: np.ndarray
    table: K.PairTable
    names: list[str]
    scores: np.ndarray
    _index: dict[str, int] | None = None
    _edge: np.ndarray | None = None
    _by_tokens: tuple[dict[tuple[str, ...], str], frozenset[str]] | None = None

    def by_tokens(self) -> tuple[dict[tuple[str, ...], str], frozenset[str]]:
        """Each phrase's tokens -> its text, and the connector words (for one sentence)."""
        if self._by_tokens is None:
            words, flat = self.words, self.table.keys.tolist()
            bounds = self.table.offsets[: len(self.names) + 1].tolist()
            phrases = {
                tuple(words[i] for i in flat[bounds[p] : bounds[p + 1]]): name
                for p, name in enumerate(self.names)
            }
            conn = frozenset(w for w, c in zip(words, self.is_conn.tolist(), strict=True) if c)
            self._by_tokens = (phrases, conn)
        return self._by_tokens

    @property
    def edge(self) -> np.ndarray:
        """Per word: connector, begins a phrase, ends a phrase (bits of apply_chunk)."""
        if self._edge is None:
            n = len(self.names)
            offsets, keys = self.table.offsets[: n + 1], self.table.keys
            edge = np.where(self.is_conn, K.CONNECTOR, 0).astype(np.uint8)
            edge[keys[offsets[:-1]]] |= K.FIRST
            edge[keys[offsets[1:] - 1]] |= K.LAST
            self._edge = edge
        return self._edge

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {w: i for i, w in enumerate(self.words)}
        return self._index

    def to_layer(self, names: list[str]) -> np.ndarray:
        """Each of ``names`` as this layer's word id, or ``UNKNOWN``."""
        if names is self.words:
            return np.arange(len(names), dtype=np.int32)
        get = self.index.get
        unknown = K.UNKNOWN
        return np.fromiter((get(n, unknown) for n in names), dtype=np.int32, count=len(names))


def apply_sentence(layers: list[PhraseLayer], tokens: list[str]) -> list[str]:
    """:func:`apply_tokens` for one sentence, in plain Python (no per-call array set-up).

    The same greedy rule as ``apply_chunk``; a token that is not one of the
    layer's words is in no phrase, whether or not it is a connector word, so
    treating it as a plain word gives the same output.
    """
    for layer in layers:
        phrases, connectors = layer.by_tokens()
        if not phrases:
            continue
        out: list[str] = []
        s = -1  # the pending candidate's first word
        for t, w in enumerate(tokens):
            if w in connectors:
                if s < 0:
                    out.append(w)
                continue
            if s >= 0:
                name = phrases.get(tuple(tokens[s : t + 1]))
                if name is not None:
                    out.append(name)
                    s = -1
                    continue
                out.extend(tokens[s:t])
            s = t
        if s >= 0:
            out.extend(tokens[s:])
        tokens = out
    return tokens


def apply_tokens(layers: list[PhraseLayer], sentences: list[list[str]]) -> list[list[str]]:
    """Join the phrases of a batch of token lists, layer after layer."""
    for layer in layers:
        if not sentences:
            break
        tokens = [t for s in sentences for t in s]
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        ends = np.cumsum(lengths + 1) - 1
        ids = np.empty(len(tokens) + len(sentences), dtype=np.int32)
        is_token = np.ones(len(ids), dtype=np.bool_)
        is_token[ends] = False
        ids[is_token] = np.arange(len(tokens), dtype=np.int32)
        ids[ends] = K.SENTENCE_END
        to_layer = layer.to_layer(tokens)
        phrase_out = np.arange(len(tokens), len(tokens) + len(layer.names), dtype=np.int32)
        out = np.empty(len(ids), dtype=np.int32)
        m = K.apply_chunk(ids, to_layer, layer.edge, *layer.table[:3], phrase_out, out)
        names = tokens + layer.names
        flat = [names[i] if i >= 0 else None for i in out[:m].tolist()]
        result: list[list[str]] = []
        start = 0
        for j, v in enumerate(flat):
            if v is None:
                result.append(flat[start:j])  # type: ignore[arg-type]
                start = j + 1
        sentences = result
    return sentences


def apply_stream(stream: IdStream, layer: PhraseLayer, tmp_dir: str | None) -> IdStream:
    """Apply ``layer`` to every sentence of ``stream``: the next stream (a new file).

    Phrase tokens get new ids after the stream's own, except where a phrase's text
    is already a token of the stream (it then takes that token's id, so that
    equal text is one token, as when the output is read back as text).
    """
    to_layer = layer.to_layer(stream.names)
    known = {n: i for i, n in enumerate(stream.names)}
    names = list(stream.names)
    phrase_out = np.empty(len(layer.names), dtype=np.int32)
    for p, name in enumerate(layer.names):
        i = known.get(name)
        if i is None:
            i = known[name] = len(names)
            names.append(name)
        phrase_out[p] = i
    counts = np.zeros(len(names), dtype=np.int64)
    fh = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115 - returned open in the stream
    n_tokens = 0
    try:
        for chunk in stream.chunks():
            out = np.empty(len(chunk), dtype=np.int32)
            m = K.apply_chunk(chunk, to_layer, layer.edge, *layer.table[:3], phrase_out, out)
            out = out[:m]
            out.tofile(fh)
            counts += np.bincount(out[out >= 0], minlength=len(names))
            n_tokens += int(np.count_nonzero(out != K.SENTENCE_END))
        fh.flush()
    except BaseException:
        fh.close()
        raise
    return IdStream(fh, names, counts, n_tokens, stream.has_unknown)


def stream_sentences(stream: IdStream) -> Iterator[list[str]]:
    """The sentences of ``stream`` as token lists."""
    names = stream.names
    for chunk in stream.chunks():
        ends = np.flatnonzero(chunk == K.SENTENCE_END).tolist()
        tokens = [names[i] for i in chunk.tolist()]  # (a -1 picks the last name: cut off below)
        start = 0
        for end in ends:
            if end > start:
                yield tokens[start:end]
            start = end + 1


def write_text(stream: IdStream, fh: IO[bytes]) -> None:
    """Write ``stream`` as text: one sentence per line, tokens separated by a space."""
    encoded = [n.encode("utf-8") for n in stream.names]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    for chunk in stream.chunks():
        out = np.empty(K.text_size(chunk, offsets), dtype=np.uint8)
        m = K.write_chunk(chunk, blob, offsets, out)
        fh.write(memoryview(out[:m]))


# --------------------------------------------------------------------------- phrase layers


def layer_vocab_size(c: CountedLayer, connectors: frozenset[str]) -> int:
    is_conn = connector_mask(c.words, connectors)
    return int(np.count_nonzero((c.word_counts > 0) & ~is_conn)) + len(c.counts)


def candidate_scores(c: CountedLayer, scoring: str, min_count: int, connectors: frozenset[str]):
    return K.score_entries(
        c.offsets,
        c.keys,
        c.counts,
        len(c.counts),
        c.word_counts,
        K.scorer_code(scoring),
        min_count,
        layer_vocab_size(c, connectors),
        c.n_words,
    )


def phrase_layer(
    c: CountedLayer, params: tuple[str, float, int, str], connectors: frozenset[str]
) -> PhraseLayer:
    scoring, threshold, min_count, delimiter = params
    scores = candidate_scores(c, scoring, min_count, connectors)
    select = np.flatnonzero(scores > threshold)
    return layer_from(
        c.words, connector_mask(c.words, connectors), c.offsets, c.keys, select, scores, delimiter
    )


def layer_from(words, is_conn, offsets, keys, select, scores, delimiter) -> PhraseLayer:
    sizes = offsets[select + 1] - offsets[select]
    table = K.new_table(len(select), len(select), int(sizes.sum()))
    K.build_phrase_table(*table[:3], select.astype(np.int64), offsets, keys)
    flat = table.keys.tolist()
    bounds = table.offsets.tolist()
    names = [
        delimiter.join([words[i] for i in flat[bounds[p] : bounds[p + 1]]])
        for p in range(len(select))
    ]
    return PhraseLayer(words, is_conn, table, names, scores[select].astype(np.float64))


def compact(layer: PhraseLayer) -> PhraseLayer:
    """The same phrases over only the words they use (and the connector words)."""
    n = len(layer.names)
    used = int(layer.table.offsets[n])
    keys = layer.table.keys[:used]
    keep = np.zeros(len(layer.words), dtype=np.bool_)
    keep[keys] = True
    keep |= layer.is_conn
    new_id = np.cumsum(keep) - 1
    words = [w for w, k in zip(layer.words, keep.tolist(), strict=True) if k]
    offsets = layer.table.offsets[: n + 1].copy()
    new_keys = new_id[keys].astype(np.int32)
    return rebuilt(words, layer.is_conn[keep], offsets, new_keys, layer.names, layer.scores)


def rebuilt(words, is_conn, offsets, keys, names, scores) -> PhraseLayer:
    n = len(names)
    table = K.new_table(n, n, len(keys))
    K.build_phrase_table(*table[:3], np.arange(n, dtype=np.int64), offsets, keys)
    return PhraseLayer(list(words), is_conn, table, list(names), np.asarray(scores, np.float64))


def above(layer: PhraseLayer, threshold: float) -> PhraseLayer:
    keep = layer.scores > threshold
    if keep.all():
        return layer
    select = np.flatnonzero(keep)
    n = len(layer.names)
    offsets = layer.table.offsets[: n + 1]
    keys = layer.table.keys[: offsets[n]]
    sizes = offsets[select + 1] - offsets[select]
    table = K.new_table(len(select), len(select), int(sizes.sum()))
    K.build_phrase_table(*table[:3], select.astype(np.int64), offsets, keys)
    names = [layer.names[p] for p in select.tolist()]
    return PhraseLayer(layer.words, layer.is_conn, table, names, layer.scores[select])


# --------------------------------------------------------------------------- corpora


class TransformedCorpus:
    """``corpus`` with phrases joined: a re-iterable of token lists (as the source allows)."""

    def __init__(self, model: Any, corpus: TextCorpus) -> None:
        self.model = model
        self.corpus = corpus

    def __iter__(self) -> Iterator[list[str]]:
        layers = self.model._phrase_layers()
        sentences = iter(self.corpus)
        while True:
            batch: list[list[str]] = []
            n = 0
            for sentence in sentences:
                batch.append(sentence)
                n += len(sentence)
                if n >= _BATCH_TOKENS:
                    break
            if not batch:
                return
            yield from apply_tokens(layers, batch)


class PhrasedCorpus:
    """A fitted corpus with its phrases joined (see :meth:`Phrases.fit_corpus`)."""

    def __init__(self, stream: IdStream | None, fallback: TransformedCorpus | None) -> None:
        self._stream = stream
        self._fallback = fallback

    def token_ids(self) -> tuple[list[str], Iterator[np.ndarray]] | None:
        """The joined stream as ids (names, id chunks ending with -1), so that a scan reads
        the ids, not strings made from them (:class:`wordvec.text.scan.TokenIds`); None
        when the phrases were applied to the text again (words pruned while scanning)."""
        if self._stream is None:
            return None
        return self._stream.names, self._stream.chunks()

    def __iter__(self) -> Iterator[list[str]]:
        if self._stream is None:
            if self._fallback is None:
                raise ConfigError("this phrased corpus was closed")
            yield from self._fallback
            return
        yield from stream_sentences(self._stream)

    def close(self) -> None:
        """Delete the temporary id file."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        self._fallback = None

    def __enter__(self) -> PhrasedCorpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
