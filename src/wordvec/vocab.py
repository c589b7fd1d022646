"""The vocabulary stage: counts -> :class:`Vocab`, with the tables training needs.

:meth:`Vocab.from_counts` keeps the words that reach ``min_count`` (and at most
``max_final_vocab`` of them), most frequent first; :meth:`Vocab.grow` adds the
counts of more text to a vocabulary, appending new words after the existing ids.
From its counts a Vocab derives the sub-sampling thresholds, the negative-sampling
noise distribution (as an alias table) and the Huffman tree of hierarchical softmax.
A Vocab knows nothing of the corpus it was counted from (:mod:`wordvec.text.scan` counts,
:mod:`wordvec.encoded` maps the scanned ids to a Vocab's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np

from .errors import CorpusError

__all__ = ["Vocab", "select"]

_TIES = ("first", "last")
_CAPS = ("cut", "min_count")


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
        if len(self.index) != len(self.words):
            seen: set[str] = set()
            first = next(w for w in self.words if w in seen or seen.add(w))
            raise ValueError(f"vocabulary words must be distinct; {first!r} occurs twice")

    def __len__(self) -> int:
        return len(self.words)

    @classmethod
    def from_counts(
        cls,
        words: Sequence[str],
        counts: Any,
        *,
        min_count: int = 5,
        max_final_vocab: int | None = None,
        n_tokens: int | None = None,
        pruned: bool = False,
        ties: str = "first",
        cap: str = "cut",
        sort: bool = True,
    ) -> Vocab:
        """The vocabulary of counted (distinct) words: those reaching ``min_count``, most
        frequent first.

        Ties keep the given order (a stable sort); ``max_final_vocab`` keeps that many
        of the most frequent. ``ties``, ``cap`` and ``sort`` choose other rules (gensim's:
        see :func:`select`). ``n_tokens`` (tokens read, default the sum of ``counts``)
        and ``pruned`` (the counts are those left after pruning while counting) only
        describe the corpus in the error raised when no word is left:
        :class:`CorpusError`, also for an empty corpus.
        """
        words, counts = _checked(words, counts)
        order, min_count = select(
            counts,
            min_count=min_count,
            max_final_vocab=max_final_vocab,
            ties=ties,
            cap=cap,
            sort=sort,
        )
        if len(order) == 0:
            n_tokens = int(counts.sum()) if n_tokens is None else n_tokens
            if n_tokens == 0:
                raise CorpusError("the corpus is empty: no tokens were read")
            if pruned:  # the counts left are those of words that survived pruning
                raise CorpusError(
                    f"no word occurs at least min_count={min_count} times among the "
                    f"{len(words)} words left after pruning the vocabulary to `max_vocab` "
                    f"distinct words while counting ({n_tokens} tokens); raise `max_vocab` "
                    "or lower `min_count`"
                )
            raise CorpusError(
                f"no word occurs at least min_count={min_count} times "
                f"({len(words)} distinct words in {n_tokens} tokens); lower `min_count`"
            )
        return cls([words[i] for i in order.tolist()], counts[order])

    def grow(self, words: Sequence[str], counts: Any, *, min_count: int = 5) -> Vocab:
        """This vocabulary updated with the counts of more text; returns a new Vocab.

        Known words' counts are added up; new words reaching ``min_count`` (in the new
        counts) are appended after the existing ids, most frequent first (ties in the
        given order), so the id of every word already here stays what it was.
        """
        words, counts = _checked(words, counts)
        known = self.ids(words)
        hit = known >= 0
        total = self.counts.copy()
        np.add.at(total, known[hit], counts[hit])
        order = np.argsort(-counts, kind="stable")
        fresh = order[(counts[order] >= min_count) & ~hit[order]].tolist()
        if not fresh:
            return Vocab(self.words, total, self.index)
        added = [words[i] for i in fresh]
        index = dict(self.index)
        index.update((w, len(self) + k) for k, w in enumerate(added))
        return Vocab(self.words + added, np.concatenate([total, counts[fresh]]), index)

    def ids(self, words: Iterable[str]) -> np.ndarray:
        """Each of ``words`` as its id here (int64), ``-1`` for a word not in the vocabulary."""
        get = self.index.get
        return np.fromiter((get(w, -1) for w in words), dtype=np.int64)

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


def _checked(words: Sequence[str], counts: Any) -> tuple[list[str], np.ndarray]:
    """``words`` as a list and ``counts`` as int64, or a clear error if they disagree."""
    words = list(words)
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.dtype.kind not in "iu" or len(counts) != len(words):
        raise ValueError(
            f"`counts` must be a 1-D int array with one count per word ({len(words)} words); "
            f"got {counts.dtype} {counts.shape}"
        )
    counts = counts.astype(np.int64, copy=False)
    if len(counts) and counts.min() < 0:
        raise ValueError(f"`counts` must be >= 0; got {int(counts.min())}")
    return words, counts


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
            # inner nodes from v + a on do not exist yet: never read past them (the
            # compiled code has no bounds checks; with counts below INT64_MAX this is
            # the comparison alone, and a wrong comparison gives a wrong tree, not a
            # write out of bounds)
            if pos1 >= 0 and (pos2 >= v + a or cnt[pos1] < cnt[pos2]):
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


def select(
    counts: np.ndarray,
    *,
    min_count: int,
    max_final_vocab: int | None = None,
    ties: str = "first",
    cap: str = "cut",
    sort: bool = True,
    keep: Callable[[int, int], bool] | None = None,
) -> tuple[np.ndarray, int]:
    """Which counted words a vocabulary keeps, in vocabulary order: ``(positions, min_count)``.

    ``positions`` index ``counts`` (int64); ``min_count`` is the one applied. The
    rules, as parameters (wordvec's defaults first, then gensim 4's):

    ``sort``
        True: most frequent first; False: the given order (gensim's ``sorted_vocab=0``).
    ``ties``
        Among equal counts, ``"first"``: the word given first comes first (word2vec C);
        ``"last"``: the word given last comes first (gensim's sort).
    ``cap``
        How ``max_final_vocab`` applies: ``"cut"`` keeps that many of the most frequent;
        ``"min_count"`` raises ``min_count`` to one above the count of the first word
        beyond the cap, so every word tied with it goes too and the vocabulary may end
        up smaller (gensim's effective ``min_count``).
    ``keep``
        None: a word is kept when its count reaches ``min_count``. Else
        ``keep(position, min_count)`` decides for each counted word (after the cap has set
        ``min_count``): how gensim's ``trim_rule`` is applied, once per word, while the
        vocabulary is built and never while training.
    """
    if ties not in _TIES:
        raise ValueError(f"`ties` must be one of {_TIES}; got {ties!r}.")
    if cap not in _CAPS:
        raise ValueError(f"`cap` must be one of {_CAPS}; got {cap!r}.")
    counts = np.asarray(counts)
    if cap == "min_count" and max_final_vocab is not None and max_final_vocab < len(counts):
        nth = np.sort(counts)[::-1][max_final_vocab]
        min_count = max(int(nth) + 1, min_count)
    if keep is None:
        kept = np.flatnonzero(counts >= min_count)
    else:
        decisions = (bool(keep(i, min_count)) for i in range(len(counts)))
        kept = np.flatnonzero(np.fromiter(decisions, dtype=bool, count=len(counts)))
    if sort:
        if ties == "first":
            kept = kept[np.argsort(-counts[kept], kind="stable")]
        else:
            kept = kept[np.lexsort((-kept, -counts[kept]))]
    if cap == "cut" and max_final_vocab is not None:
        kept = kept[:max_final_vocab]
    return kept.astype(np.int64, copy=False), min_count
