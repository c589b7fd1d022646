"""``FastText`` with gensim 4's constructor and training rules, trained by wordvec's subword engine.

>>> from wordvec.compat import FastText   # instead of: from gensim.models import FastText
>>> model = FastText(sentences, vector_size=100, min_n=3, max_n=6)  # doctest: +SKIP
>>> model.wv["unseenword"]  # doctest: +SKIP

It is :class:`wordvec.compat.Word2Vec` (gensim's defaults and rules for the vocabulary,
``build_vocab`` / ``train``, callbacks, the loss) with fastText's input side: ``wv`` is a
:class:`~wordvec.compat.FastTextKeyedVectors` (``in`` is true for any word when
``bucket > 0``, as gensim's), trained by ``engine.subword_train`` (the update is derived
in ``wordvec.reference.subwords``). gensim's defaults are kept, as gensim's FastText
keeps them (CBOW, alpha 0.025, sample 1e-3, noise exponent 0.75); initial rows are
uniform in [-1/d, 1/d] as gensim's and fastText's.

What differs, on purpose, besides what ``compat.Word2Vec`` lists: ``word_ngrams`` other
than 1 and ``cbow_mean=0`` are refused (fastText's unsupervised models average all rows),
and so is ``hs=1`` with ``negative > 0`` (fastText trains one objective at a time);
``save`` / ``load`` use wordvec's model format with the n-gram rows, the file of
``wordvec.FastText.save`` (no code runs when loading; a model gensim saved is refused with
the way over, :mod:`wordvec.compat.convert`); fastText's ``.bin`` is
``save_facebook_model`` / ``load_facebook_model`` of ``wordvec.compat.fasttext``.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..config import TrainConfig
from ..engine.subword_train import SubwordTrainer, subword_input_rows
from ..errors import ConfigError
from ..subwords import check_ngram_params, ngram_table
from ..subwords.keyed import SubwordVectors
from . import _files, _modelfile, _vocab
from .fasttext_keyedvectors import FastTextKeyedVectors
from .keyedvectors import KeyedVectors
from .word2vec import Word2Vec

__all__ = ["FastText"]


class FastText(Word2Vec):
    """gensim 4.x ``FastText``: Word2Vec's arguments plus ``min_n``, ``max_n``, ``bucket``
    and ``word_ngrams`` (must be 1); see the module docstring."""

    def __init__(
        self,
        sentences=None,
        corpus_file=None,
        sg: int = 0,
        hs: int = 0,
        vector_size: int = 100,
        alpha: float = 0.025,
        window: int = 5,
        min_count: int = 5,
        max_vocab_size: int | None = None,
        word_ngrams: int = 1,
        sample: float = 1e-3,
        seed: int = 1,
        workers: int = 3,
        min_alpha: float = 0.0001,
        negative: int = 5,
        ns_exponent: float = 0.75,
        cbow_mean: int = 1,
        hashfxn: Any = hash,
        epochs: int = 5,
        null_word: int = 0,
        min_n: int = 3,
        max_n: int = 6,
        sorted_vocab: int = 1,
        bucket: int = 2_000_000,
        trim_rule: Any = None,
        batch_words: int = 10_000,
        callbacks=(),
        max_final_vocab: int | None = None,
        shrink_windows: bool = True,
        *,
        corpus_iterable=None,
    ) -> None:
        if word_ngrams != 1:
            raise ConfigError(
                f"`word_ngrams` must be 1 (word n-grams belong to fastText's classifiers); "
                f"got {word_ngrams!r}."
            )
        check_ngram_params(min_n, max_n, bucket)
        self.min_n, self.max_n, self.bucket, self.word_ngrams = min_n, max_n, bucket, 1
        self._full: np.ndarray | None = None  # (V + buckets) x d: word rows, then n-gram rows
        super().__init__(
            sentences, corpus_file, vector_size, alpha, window, min_count, max_vocab_size,
            sample, seed, workers, min_alpha, sg, hs, negative, ns_exponent, cbow_mean, hashfxn,
            epochs, null_word, trim_rule, sorted_vocab, batch_words, False, callbacks, None,
            max_final_vocab, shrink_windows, corpus_iterable=corpus_iterable,
        )  # fmt: skip
        if self._vocab is None:  # (gensim's wv before any vocabulary: no word, zero buckets)
            self.wv = FastTextKeyedVectors(vector_size, min_n, max_n, self._buckets)

    @property
    def _buckets(self) -> int:
        return 0 if self.max_n == 0 else int(self.bucket)

    def _config(self, epochs: int | None = None) -> TrainConfig:
        if not self.cbow_mean:
            raise ConfigError(
                "cbow_mean=0: fastText's CBOW input is the mean of all rows of all context "
                "words; keep cbow_mean=1."
            )
        cfg = super()._config(epochs)
        if cfg.loss == "hs+neg":
            raise ConfigError(
                f"hs=1 with negative={self.negative!r}: wordvec's FastText trains one objective "
                "at a time; set negative=0 for hierarchical softmax (or hs=0)."
            )
        return cfg

    def _bind_wv(self) -> None:
        """``wv``: a FastTextKeyedVectors over the shared (V + buckets) x d rows."""
        sv = SubwordVectors(
            list(self._vocab.words), self._full, self.min_n, self.max_n, self._buckets,
            self._vocab.counts,
        )  # fmt: skip
        self.wv = FastTextKeyedVectors._from_subwords(sv)

    # ------------------------------------------------------------------ Word2Vec's hooks
    def _set_vocab(self, s, corpus_count: int, update: bool, trim_rule=None) -> None:
        """gensim's vocabulary rules (compat ``_vocab.set_vocab``, run on a plain view of the
        word rows), then the n-gram rows: drawn once, kept (moved down past new words)."""
        cfg = self._config()
        old_words = 0 if self._vocab is None else len(self._vocab)
        if update and self._vocab is not None:
            plain = KeyedVectors(cfg.dim)
            plain._replace(list(self._vocab.words), self._full[:old_words], self._vocab.counts)
        else:
            plain = KeyedVectors(cfg.dim)
        fasttext_wv, self.wv = self.wv, plain
        try:
            _vocab.set_vocab(self, s, corpus_count, update, trim_rule)
        except BaseException:
            self.wv = fasttext_wv
            raise
        n = len(self._vocab)
        if not update or self._full is None:
            rng = np.random.default_rng(cfg.seed)
            self._full = subword_input_rows(rng, n + self._buckets, cfg.dim)
        else:
            rng = np.random.default_rng([cfg.seed, old_words])
            fresh = subword_input_rows(rng, n - old_words, cfg.dim)
            self._full = np.concatenate([self._full[:old_words], fresh, self._full[old_words:]])
        self._bind_wv()

    def _input_weights(self) -> np.ndarray:
        if self._full is None:
            raise ConfigError("build the vocabulary first (build_vocab)")
        return self._full

    def _extra_input_rows(self) -> int:
        return self._buckets

    def _trainer(self, cfg: TrainConfig, w_in: np.ndarray, w_out: np.ndarray) -> SubwordTrainer:
        offsets, rows = ngram_table(self._vocab.words, self.min_n, self.max_n, self._buckets)
        return SubwordTrainer(
            cfg, self._vocab, w_in, w_out, require_training=False, sub_offsets=offsets,
            sub_rows=rows,
        )  # fmt: skip

    def _weights_changed(self) -> None:
        self._bind_wv()  # the rows changed in place: the composed vectors are stale

    # ------------------------------------------------------------------ files
    def save(self, fname: str | os.PathLike[str], **kwargs: Any) -> None:
        """Write the model (settings, vocabulary with counts, the word and n-gram rows, the
        output weights and the counts gensim keeps) in wordvec's model format, atomically;
        no code runs on load. ``wordvec.FastText.load`` reads it too."""
        _files.refuse_kwargs("FastText.save", kwargs)
        subwords = {
            "minn": int(self.min_n),
            "maxn": int(self.max_n),
            "bucket": self._buckets,  # the n-gram rows after the word rows
            "row_gradient": "fasttext",  # (what SubwordTrainer runs here)
        }
        _modelfile.save(self, fname, subwords=subwords, settings={"bucket": int(self.bucket)})

    @classmethod
    def load(cls, fname: str | os.PathLike[str], mmap: str | None = None) -> FastText:
        """Load a model written by :meth:`save` (or by ``wordvec.FastText.save``).

        ``mmap`` is accepted for gensim's signature; the arrays are read either way. A
        file written by gensim's ``save()`` is refused with the way over, and a Word2Vec
        model file with the way to load it.
        """
        return _modelfile.load(cls, fname, subwords=True)

    def predict_output_word(self, context_words_list, topn: int = 10):
        raise ConfigError("predict_output_word is not available for FastText models")
