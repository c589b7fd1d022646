"""The scan stage: token lists -> counts and an id cache, in one streaming pass.

:func:`scan` is the one entry point. It hands a corpus read from text files to
the compiled scanner (:mod:`wordvec.text.fastscan`) and anything else (standard input,
a Python iterable of token lists), or a file corpus the compiled path cannot do
exactly (non-ASCII text with ``lowercase``), to :func:`scan_sentences`; both give
the same :class:`Scan`, pruned or not.

Every token gets a *provisional* id the first time it is seen; the id stream is
written to an on-disk cache (int32, ``-1`` ends a sentence, see
:mod:`wordvec.text.idcache`) and counted. The vocabulary stage
(:meth:`wordvec.vocab.Vocab.from_counts`) then picks the final words, and the
encoded-corpus stage (:mod:`wordvec.encoded`) maps the cache to their ids.

If the number of distinct tokens exceeds ``max_vocab`` while counting, the
rarest are pruned as word2vec C's ``ReduceVocab`` does (drop every word seen
at most ``min_reduce`` times, then raise ``min_reduce``), which keeps memory
bounded on corpora with tens of millions of distinct tokens. Pruning renumbers
the provisional ids, so the cache is then discarded (``Scan.cache`` is None) and
the corpus must be encoded again with the final vocabulary in a second pass
(which needs a re-iterable corpus): a pruned corpus is read twice, counting then
encoding (both scanners prune, so neither gives up and leaves a third read).
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import numpy as np

from ..files.atomic import write_anonymous
from .fastscan import scan_files
from .idcache import CACHE_WRITE, SENTENCE_END, Scan

__all__ = ["scan", "scan_sentences", "scan_token_ids", "TokenIds", "Scan", "SENTENCE_END"]

_FLUSH_TOKENS = 1 << 20  # ids buffered in Python before they go to NumPy / the cache


#: ``keep(word, count, step) -> bool``: whether a word survives the ``step``-th pruning
Keep = Callable[[str, int, int], bool]


def scan(
    sentences: Iterable[list[str]],
    *,
    max_vocab: int | None = None,
    tmp_dir: str | None = None,
    keep: Keep | None = None,
) -> Scan:
    """Count the tokens of ``sentences`` and write them as provisional ids, in one pass.

    Parameters
    ----------
    sentences : TextCorpus or iterable of list of str
        A :class:`~wordvec.text.corpus.TextCorpus` read from files goes to the compiled
        scanner; anything else is iterated.
    max_vocab : int or None
        Bound on distinct tokens held while counting; beyond it the rarest are pruned.
    tmp_dir : str or None
        Directory of the id cache file (default: the system temporary directory).
    keep : callable or None
        A pruning rule in place of word2vec C's (see :func:`scan_sentences`).

    Returns
    -------
    Scan
        Provisional ``words`` (first-seen order) and their ``counts``, token and
        sentence counts, the open id ``cache`` (None after pruning) and its
        ``fingerprint``. Close it when done.
    """
    fast = scan_files(sentences, max_vocab=max_vocab, tmp_dir=tmp_dir)
    if fast is None:
        fast = _scan_held_ids(sentences, max_vocab=max_vocab, tmp_dir=tmp_dir)
    if fast is not None:
        return fast
    return scan_sentences(sentences, max_vocab=max_vocab, tmp_dir=tmp_dir, keep=keep)


class TokenIds(Protocol):
    """A corpus that already holds its tokens as ids (a phrased corpus: the phrase
    layer's joined id stream). :func:`scan` scans the ids instead of the strings the
    corpus would yield, with the same result."""

    def token_ids(self) -> tuple[list[str], Iterable[np.ndarray]] | None:
        """``(names, chunks)``: ``names[i]`` the token of id i, ``chunks`` int32 arrays
        of ids, each ending with ``SENTENCE_END``; None when the ids are not the text
        (then the corpus is scanned as strings)."""
        ...


def _scan_held_ids(sentences: Any, *, max_vocab: int | None, tmp_dir: str | None) -> Scan | None:
    """The scan of a :class:`TextCorpus` over a :class:`TokenIds` source, from its ids."""
    from .corpus import TextCorpus

    if not isinstance(sentences, TextCorpus):
        return None
    held = getattr(sentences.iterable, "token_ids", None)
    ids = held() if held is not None else None
    if ids is None:
        return None
    names, chunks = ids
    return scan_token_ids(
        names,
        chunks,
        max_len=sentences.max_sentence_length,
        lowercase=sentences.lowercase,
        max_vocab=max_vocab,
        tmp_dir=tmp_dir,
    )


def scan_token_ids(
    names: list[str],
    chunks: Iterable[np.ndarray],
    *,
    max_len: int,
    lowercase: bool = False,
    max_vocab: int | None = None,
    tmp_dir: str | None = None,
) -> Scan | None:
    """What :func:`scan_sentences` gives for the sentences of an id stream, from the ids.

    ``chunks`` hold ids into ``names`` with ``SENTENCE_END`` after every sentence; the
    sentences they stand for (``[names[i] for i in sentence]``, long ones cut into
    pieces of ``max_len``, empty ones skipped) get provisional ids in first-seen
    order, are counted and written to the id cache, exactly as the strings would be
    (same words, counts, token and sentence counts, cache bytes and fingerprint).
    Returns None where that cannot be done from the ids alone: more than
    ``max_vocab`` distinct tokens (the Python scan prunes), ``lowercase`` with a
    name that lowercasing changes, or an id that stands for no name.
    """
    if lowercase and any(n != n.lower() for n in names):
        return None
    provisional = np.full(len(names), -1, dtype=np.int64)  # stream id -> provisional id
    by_stream = np.zeros(len(names), dtype=np.int64)  # counts per stream id
    n_words = n_tokens = n_sentences = 0
    crc = 0
    fh = tempfile.TemporaryFile(dir=tmp_dir)  # noqa: SIM115 - returned open in the Scan
    try:
        for chunk in chunks:
            chunk = np.asarray(chunk)
            at = np.flatnonzero(chunk != SENTENCE_END)  # token positions in the chunk
            tokens = chunk[at].astype(np.int64)
            if tokens.size and (tokens.min() < 0 or tokens.max() >= len(names)):
                fh.close()
                return None
            first_ids, first_at = np.unique(tokens, return_index=True)
            new = provisional[first_ids] < 0
            fresh = first_ids[new][np.argsort(first_at[new], kind="stable")]
            provisional[fresh] = np.arange(n_words, n_words + fresh.size)
            n_words += fresh.size
            if max_vocab is not None and n_words > max_vocab:
                fh.close()
                return None
            by_stream += np.bincount(tokens, minlength=len(names))
            # a SENTENCE_END after every piece of at most max_len tokens of a sentence
            ends = np.flatnonzero(chunk == SENTENCE_END)
            sentence = np.searchsorted(ends, at)
            starts = np.concatenate([[0], ends[:-1] + 1])
            pos = at - starts[sentence]
            length = ends[sentence] - starts[sentence]
            cut = (pos % max_len == max_len - 1) | (pos == length - 1)
            before = np.concatenate([[0], np.cumsum(cut)[:-1]]).astype(np.int64)
            place = np.arange(tokens.size) + before  # where each token goes in `out`
            out = np.empty(tokens.size + int(cut.sum()), dtype=np.int32)
            out[place] = provisional[tokens]
            out[place[cut] + 1] = SENTENCE_END
            crc = zlib.crc32(out, crc)
            write_anonymous(fh, memoryview(out).cast("B"), tmp_dir, CACHE_WRITE)
            n_tokens += tokens.size
            n_sentences += int(cut.sum())
        fh.flush()
    except BaseException:
        fh.close()
        raise
    held = np.flatnonzero(provisional >= 0)
    words = [""] * n_words
    counts = np.zeros(n_words, dtype=np.int64)
    for sid, pid in zip(held.tolist(), provisional[held].tolist(), strict=True):
        words[pid] = names[sid]
    counts[provisional[held]] = by_stream[held]
    return Scan(words, counts, n_tokens, n_sentences, fh, False, crc)


def scan_sentences(
    sentences: Iterable[list[str]],
    *,
    max_vocab: int | None = None,
    cache: bool = True,
    tmp_dir: str | None = None,
    keep: Keep | None = None,
) -> Scan:
    """Count the tokens of ``sentences`` in one pass, writing the provisional-id cache (Python).

    What :func:`scan` does for a corpus it cannot give to the compiled scanner.

    Parameters
    ----------
    sentences : iterable of list of str
    max_vocab : int or None
        Bound on distinct tokens held while counting; beyond it the rarest are pruned.
    cache : bool
        Write the int32 id stream to an anonymous temporary file (deleted on close).
    tmp_dir : str or None
        Directory of that file (default: the system temporary directory).
    keep : callable or None
        ``keep(word, count, step)``: whether a word survives the ``step``-th pruning (1, 2,
        ...), in place of word2vec C's ``count > step``. With a rule, a sentence that takes
        the vocabulary beyond ``max_vocab`` prunes once (gensim's rule, whose ``trim_rule``
        may keep every word), not until the vocabulary fits. Called only when pruning.
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
            write_anonymous(fh, memoryview(ids).cast("B"), tmp_dir, CACHE_WRITE)
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
                index, counts = _reduce(index, counts, min_reduce, keep)
                min_reduce += 1
                if keep is not None:
                    break
            get, setdefault = index.get, index.setdefault
    flush()
    words = list(index)  # dicts keep insertion order = provisional id order
    if fh is not None:
        fh.flush()
    return Scan(words, counts[: len(words)].copy(), n_tokens, n_sentences, fh, pruned, crc)


def _reduce(
    index: dict[str, int], counts: np.ndarray, min_reduce: int, rule: Keep | None = None
) -> tuple[dict[str, int], np.ndarray]:
    """Drop words counted at most ``min_reduce`` times (or those ``rule`` drops); renumber
    the survivors in order."""
    n = len(index)
    if rule is None:
        keep = counts[:n] > min_reduce
    else:
        keep = np.array(
            [bool(rule(w, c, min_reduce)) for w, c in zip(index, counts[:n].tolist(), strict=True)],
            dtype=bool,
        )
    words = [w for w, k in zip(index, keep.tolist(), strict=True) if k]
    new_counts = np.zeros(max(len(counts), 1 << 16), dtype=np.int64)
    new_counts[: len(words)] = counts[:n][keep]
    return {w: i for i, w in enumerate(words)}, new_counts
