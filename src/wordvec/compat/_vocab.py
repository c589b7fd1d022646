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

from ..errors import ConfigError, CorpusError, TrainingError
from ..text.idcache import Scan
from ..vocab import Vocab
from ..vocab import select as select_words
from .utils import keep_vocab_item

__all__ = ["select", "set_vocab"]

logger = logging.getLogger("wordvec.compat.word2vec")


def _input_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """Initial input vectors as gensim 4 draws them: uniform in [-1/d, 1/d), twice the
    range of word2vec C (and of wordvec.Word2Vec): early in training the larger start
    makes a difference (README.md, "Coming from gensim", has the measurement)."""
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
    order, and the effective min_count: the vocabulary stage's rules with gensim's
    parameters (ties: the word seen later first; the cap raises min_count; ``trim_rule``
    is asked about each of ``words``)."""
    keep = None
    if trim_rule is not None:
        if words is None:
            raise ValueError("`trim_rule` needs the `words` it decides about")

        def keep(i: int, effective: int) -> bool:
            return keep_vocab_item(words[i], int(counts[i]), effective, trim_rule)

    return select_words(
        counts,
        min_count=min_count,
        max_final_vocab=max_final_vocab,
        ties="last",
        cap="min_count",
        sort=bool(sorted_vocab),
        keep=keep,
    )


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
