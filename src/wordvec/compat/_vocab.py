"""gensim's vocabulary rules for :mod:`wordvec.compat` (``build_vocab``).

From one counting pass (words in first-seen order with their counts): the words
with ``count >= min_count`` (``max_final_vocab`` raises ``min_count`` as gensim
does), sorted by descending count with ties in reverse order of first
appearance, which is the order gensim's ``sort_by_descending_frequency`` leaves
(or first-seen order with ``sorted_vocab=0``). ``update=True`` adds the new
words that reach ``min_count`` at the end, adds the new counts to the known
words, and draws input vectors for the new words only. A gensim ``trim_rule``
(:mod:`wordvec.compat.utils`) decides, word by word, in place of ``count >= min_count``
where it says RULE_KEEP or RULE_DISCARD; the effective ``min_count`` it is handed is
computed without it, as gensim computes it.
"""

from __future__ import annotations

import logging

import numpy as np

from .._idcache import Scan
from ..errors import ConfigError, CorpusError, TrainingError
from ..vocab import Vocab
from .utils import keep_vocab_item

__all__ = ["select", "set_vocab"]

logger = logging.getLogger("wordvec.compat.word2vec")


def _input_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """Initial input vectors as gensim 4 draws them: uniform in [-1/d, 1/d), twice the
    range of word2vec C (and of wordvec.Word2Vec). Early in training the larger start
    makes a difference: with word2vec C's range, 3 CBOW epochs on 3 M words gave clearly
    lower WordSim-353 than gensim (0.12-0.15 against 0.19)."""
    rows = rng.random((n, dim), dtype=np.float32)
    rows *= 2.0
    rows -= 1.0
    rows /= dim
    return rows


def select(
    counts: np.ndarray,
    min_count: int,
    max_final_vocab: int | None,
    sorted_vocab: int,
    words: list[str] | None = None,
    trim_rule=None,
) -> tuple[np.ndarray, int]:
    """gensim's vocabulary: the positions (first-seen order) of the words kept, in model
    order, and the effective min_count (``trim_rule`` is asked about each of ``words``)."""
    effective = min_count
    if max_final_vocab is not None and max_final_vocab < len(counts):
        # gensim raises min_count to one above the count of the first word beyond the cap,
        # so every word tied with it goes too (the vocabulary may end up smaller)
        nth = np.sort(counts)[::-1][max_final_vocab]
        effective = max(int(nth) + 1, min_count)
    if trim_rule is None:
        keep = np.flatnonzero(counts >= effective)
    else:
        pairs = zip(words, counts.tolist(), strict=True)
        kept = [keep_vocab_item(w, c, effective, trim_rule) for w, c in pairs]
        keep = np.flatnonzero(np.array(kept, dtype=bool).reshape(-1))
    if sorted_vocab:
        # descending count; ties: the word seen later first (gensim's lexsort on -index)
        keep = keep[np.lexsort((-keep, -counts[keep]))]
    return keep, effective


def set_vocab(model, s: Scan, corpus_count: int, update: bool, trim_rule=None) -> None:
    """Build (or, with ``update``, grow) ``model``'s vocabulary and weights from scan ``s``."""
    cfg = model._config()
    logger.info(
        "collected %i word types from a corpus of %i raw words and %i sentences",
        len(s.words), s.n_tokens, corpus_count,
    )  # fmt: skip
    model.corpus_count = corpus_count
    model.corpus_total_words = int(s.n_tokens)
    keep, effective = select(
        s.counts, int(model.min_count), model.max_final_vocab, 0 if update else model.sorted_vocab,
        s.words, trim_rule,
    )  # fmt: skip
    model.effective_min_count = effective
    rng = np.random.default_rng([cfg.seed, len(model.wv)])
    if not update:
        if len(keep) == 0:
            raise CorpusError(
                f"no word occurs at least min_count={effective} times ({len(s.words)} "
                f"distinct words in {s.n_tokens} tokens); lower `min_count`"
            )
        vocab = Vocab([s.words[i] for i in keep.tolist()], s.counts[keep])
        w_in = _input_rows(rng, len(vocab), cfg.dim)
        model._w_out = np.zeros((cfg.output_rows(len(vocab)), cfg.dim), dtype=np.float32)
        if cfg.uses_tree:
            vocab.huffman()  # refuses a one-word vocabulary now, not at train()
    else:
        if model._vocab is None:
            raise TrainingError(
                "You cannot do an online vocabulary-update of a model which has no prior "
                "vocabulary. First build the vocabulary of your model with a corpus before "
                "doing an online update."
            )
        if cfg.uses_tree:
            raise ConfigError(
                "build_vocab(update=True) with hs=1: a new vocabulary needs a new Huffman "
                "tree, which would give the trained output rows other meanings; wordvec keeps "
                "the vocabulary of hierarchical softmax fixed (train on the new text as it is)."
            )
        old = model._vocab
        counts = old.counts.copy()
        known = np.array([old.index.get(w, -1) for w in s.words], dtype=np.int64)
        seen = known >= 0
        np.add.at(counts, known[seen], s.counts[seen])
        fresh = [i for i in keep.tolist() if known[i] < 0]
        words = old.words + [s.words[i] for i in fresh]
        vocab = Vocab(words, np.concatenate([counts, s.counts[fresh]]))
        w_in = np.vstack([model.wv.vectors, _input_rows(rng, len(fresh), cfg.dim)])
        model._w_out = np.vstack([model._w_out, np.zeros((len(fresh), cfg.dim), np.float32)])
        logger.info("added %i new unique words to the vocabulary", len(fresh))
    logger.info(
        "effective_min_count=%i leaves %i unique words (%i words of the corpus)",
        effective, len(vocab), int(vocab.counts.sum()),
    )  # fmt: skip
    model._vocab = vocab
    # (a copy of the word list: editing model.wv must not change the training vocabulary)
    model.wv._replace(list(vocab.words), w_in, vocab.counts)
