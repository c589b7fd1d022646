"""``Word2Vec`` with gensim 4.x's constructor, methods and attributes, trained by wordvec.

>>> from wordvec.compat import Word2Vec   # instead of: from gensim.models import Word2Vec
>>> model = Word2Vec(sentences, vector_size=100, min_count=5, workers=4, sg=1)  # doctest: +SKIP
>>> model.wv.most_similar("king", topn=5)  # doctest: +SKIP

Defaults and rules are gensim's: alpha 0.025 for CBOW too, ``workers=3``,
``hs=0``, ``negative=5``, ``min_alpha=0.0001``; ``train()`` needs ``epochs`` and
``total_examples`` or ``total_words`` and sets ``model.epochs`` (and
``start_alpha`` / ``end_alpha`` set ``alpha`` / ``min_alpha``), exactly as
gensim does. The vocabulary follows gensim's rules too: the same words with
the same counts, in gensim's order (descending count, ties in reverse order of
first appearance; with ``sorted_vocab=0``, first appearance), ``max_final_vocab``
through gensim's effective ``min_count``, ``sample >= 1`` as gensim reads it.

What differs, on purpose:

* Training is wordvec's engine: the corpus is read once into an int32 id cache
  (4 bytes a word, in the temporary directory), and every epoch runs from it, so
  a one-pass iterator works for ``Word2Vec(sentences)``. The learning rate decays
  linearly over the words actually trained; ``total_examples`` / ``total_words``
  are required as in gensim, and a mismatch with the corpus is logged as a warning
  (as gensim does) but does not stretch the schedule.
* ``hs=1`` with ``negative > 0`` trains both objectives (``loss="hs+neg"``) by
  word2vec C's rule: each prediction's two gradients are summed into one step of the
  input vector, computed from the weights as they were. gensim applies the
  hierarchical-softmax step to the input vector first, then computes negative
  sampling from the moved vector; the difference is of the order of alpha squared
  per step, and the vectors' quality is the same (the README's "Coming from gensim"
  has the measurement, ``bench/bench_hs_neg.py``). ``syn1`` and ``syn1neg`` are then
  both there.
* Refused: ``null_word``, a ``hashfxn`` other than ``hash``, and
  ``build_vocab(update=True)`` with ``hs=1`` (a new Huffman tree would give the
  trained output rows other meanings).
* ``save`` / ``load`` use wordvec's model format (no code runs when loading); a
  model saved by gensim is refused with the way over (:mod:`wordvec.compat.convert`).
* The training loss (``compute_loss=True``, :meth:`Word2Vec.get_latest_training_loss`)
  keeps gensim's meaning, the sum of the loss of every prediction since this
  ``train()`` call began, without gensim's bugs: it is exact (no lookup table,
  no terms skipped), summed in float64 and per thread, then added up per epoch,
  so threads never overwrite one another's updates (gensim issues 2735, 2743).
  It is updated at the end of every epoch, which is when callbacks read it.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Iterable, Sequence
from numbers import Integral
from typing import Any

import numpy as np

from ..config import TrainConfig
from ..engine.schedule import speed_of
from ..errors import ConfigError, TrainingError
from ..text.corpus import source_identity
from ..vocab import Vocab
from . import _corpus, _files, _modelfile, _params, _vocab
from ._corpus import MAX_WORDS_IN_BATCH, LineSentence, PathLineSentences
from .callbacks import CallbackAny2Vec
from .keyedvectors import KeyedVectors

__all__ = ["Word2Vec", "LineSentence", "PathLineSentences", "CallbackAny2Vec"]

logger = logging.getLogger(__name__)

_COMPAT_KEY = "wordvec.compat"  # the model file's "extra" block written by this module
_COMPAT_FORMAT = 1


def _flag(name: str, value: Any) -> int:
    """gensim's 0/1 switches (sg, hs, cbow_mean, sorted_vocab): an int or bool 0 or 1."""
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, Integral) and value in (0, 1)):
        return int(value)
    raise ConfigError(f"`{name}` must be 0 or 1; got {value!r}.")


class Word2Vec:
    """gensim 4.x ``Word2Vec``: same arguments and defaults; see the module docstring.

    Given ``sentences`` (or ``corpus_iterable``) or ``corpus_file``, the model builds
    its vocabulary and trains ``epochs`` epochs right away, as gensim's does.
    """

    def __init__(
        self,
        sentences: Iterable[list[str]] | None = None,
        corpus_file: str | os.PathLike[str] | None = None,
        vector_size: int = 100,
        alpha: float = 0.025,
        window: int = 5,
        min_count: int = 5,
        max_vocab_size: int | None = None,
        sample: float = 1e-3,
        seed: int = 1,
        workers: int = 3,
        min_alpha: float = 0.0001,
        sg: int = 0,
        hs: int = 0,
        negative: int = 5,
        ns_exponent: float = 0.75,
        cbow_mean: int = 1,
        hashfxn: Any = hash,
        epochs: int = 5,
        null_word: int = 0,
        trim_rule: Any = None,
        sorted_vocab: int = 1,
        batch_words: int = MAX_WORDS_IN_BATCH,
        compute_loss: bool = False,
        callbacks: Sequence[CallbackAny2Vec] = (),
        comment: str | None = None,
        max_final_vocab: int | None = None,
        shrink_windows: bool = True,
        *,
        corpus_iterable: Iterable[list[str]] | None = None,
    ) -> None:
        unsupported = []
        _check_trim_rule(trim_rule)
        if null_word:
            unsupported.append(f"null_word={null_word!r}")
        if hashfxn is not hash:
            unsupported.append("hashfxn (wordvec draws initial vectors from `seed` alone)")
        if unsupported:
            raise ConfigError(
                "Word2Vec: unsupported argument(s) in wordvec.compat: " + "; ".join(unsupported)
            )
        if sentences is not None and corpus_iterable is not None:
            raise ConfigError("pass `sentences` or `corpus_iterable`, not both (the same thing).")
        corpus_iterable = sentences if sentences is not None else corpus_iterable
        self.vector_size = vector_size
        self.alpha = alpha
        self.window = window
        self.min_count = min_count
        self.max_vocab_size = max_vocab_size
        self.sample = sample
        self.seed = seed
        self.workers = workers
        self.min_alpha = min_alpha
        self.sg = sg
        self.hs = hs
        self.negative = negative
        self.ns_exponent = ns_exponent
        self.cbow_mean = cbow_mean
        self.hashfxn = hash
        self.epochs = epochs
        self.null_word = 0
        self.sorted_vocab = sorted_vocab
        self.batch_words = batch_words
        self.compute_loss = bool(compute_loss)
        self.comment = comment
        self.max_final_vocab = max_final_vocab
        self.shrink_windows = shrink_windows
        self.layer1_size = vector_size
        self.corpus_count = 0
        self.corpus_total_words = 0
        self.running_training_loss = 0.0
        self.min_alpha_yet_reached = float(alpha)
        self.effective_min_count = min_count
        self.raw_vocab: dict[str, int] = {}
        self.train_count = 0
        self.total_train_time = 0.0
        self.stop_training = False  # set by a callback to stop before the next epoch
        self.wv = KeyedVectors(vector_size if _is_size(vector_size) else 1)
        self._vocab: Vocab | None = None
        self._w_out: np.ndarray | None = None
        self._history: list = []  # EpochStats of every epoch trained, for the model file
        self._config()  # every setting is checked now, before any work
        if corpus_iterable is not None or corpus_file is not None:
            _corpus.check_corpus(corpus_iterable, corpus_file)
            s = self._build_vocab(
                corpus_iterable, corpus_file, update=False, keep_ids=True, trim_rule=trim_rule
            )
            stream = None
            try:
                if s.cache is not None:  # the counting pass kept the ids: no second read
                    stream = _corpus.ids_of(s, self._vocab), self.corpus_count, s.n_tokens
                else:  # pruned while counting (max_vocab_size): read again
                    stream = _corpus.encode_corpus(
                        corpus_iterable, corpus_file, self._vocab, self.max_vocab_size is not None
                    )
                self._train(
                    stream, self.corpus_count, self.corpus_total_words, self.epochs,
                    self.compute_loss, callbacks,
                )  # fmt: skip
            finally:
                if stream is not None:
                    stream[0].close()
                if s.cache is not None:
                    s.cache.close()
        elif callbacks:
            logger.warning(
                "Callbacks are not kept by the model: pass them to train(); the callbacks "
                "given to this constructor without a corpus are ignored."
            )

    # ------------------------------------------------------------------ settings
    def _config(self, epochs: int | None = None) -> TrainConfig:
        """The engine's configuration for the current settings; checks every one of them."""
        hs = _flag("hs", self.hs)
        sg = _flag("sg", self.sg)
        negative = self.negative
        if isinstance(negative, bool) or not isinstance(negative, Integral) or negative < 0:
            raise ConfigError(f"`negative` must be an int >= 0; got {negative!r}.")
        if not hs and negative == 0:
            raise ConfigError(
                "hs=0 with negative=0: no objective to train. Set hs=1 (hierarchical softmax) "
                "or negative > 0 (negative sampling, e.g. 5)."
            )
        for name in ("cbow_mean", "sorted_vocab"):
            _flag(name, getattr(self, name))
        if not isinstance(self.shrink_windows, (bool, np.bool_, int)):
            raise ConfigError(f"`shrink_windows` must be a bool; got {self.shrink_windows!r}.")
        if hs and not self.sorted_vocab:
            raise ConfigError(
                "hs=1 with sorted_vocab=0: wordvec builds the Huffman tree over words sorted by "
                "descending count; keep sorted_vocab=1 for hierarchical softmax."
            )
        mc = self.min_count
        if isinstance(mc, bool) or not isinstance(mc, Integral) or mc < 0:
            raise ConfigError(f"`min_count` must be an int >= 0; got {mc!r}.")
        mfv = self.max_final_vocab
        if mfv is not None and (isinstance(mfv, bool) or not isinstance(mfv, Integral) or mfv < 1):
            raise ConfigError(f"`max_final_vocab` must be an int >= 1 or None; got {mfv!r}.")
        w = self.workers
        if isinstance(w, bool) or not isinstance(w, Integral) or w < 1:
            raise ConfigError(f"`workers` must be an int >= 1; got {w!r}.")
        try:
            return TrainConfig(
                model="skipgram" if sg else "cbow",
                loss=("hs+neg" if negative else "hs") if hs else "neg",
                negative=negative,
                min_count=max(1, int(mc)),
                sample=self._sample_fraction(),
                epochs=self.epochs if epochs is None else epochs,
                max_sentence_length=MAX_WORDS_IN_BATCH,
                **_params.to_config_values(self),  # the renamed ones: vector_size -> dim, ...
            ).validate()
        except ConfigError as exc:
            raise ConfigError(_params.gensim_message(str(exc))) from None

    def _sample_fraction(self) -> Any:
        """``sample`` as the engine reads it: gensim's ``sample >= 1`` means "down-sample
        words seen more than int(sample * 2.618) times", a fraction of this vocabulary."""
        sample = self.sample
        if isinstance(sample, (int, float)) and not isinstance(sample, bool) and sample >= 1.0:
            if self._vocab is None:
                return 1.0  # (only checked before a vocabulary exists)
            threshold = int(sample * (3 + math.sqrt(5)) / 2)
            return threshold / max(self._vocab.total, 1)
        return sample

    def __str__(self) -> str:
        return (
            f"{type(self).__name__}<vocab={len(self.wv)}, vector_size={self.vector_size}, "
            f"alpha={self.alpha}>"
        )

    @property
    def syn1neg(self) -> np.ndarray | None:
        """Output vectors of negative sampling (V x d), as gensim names them (None with
        negative=0). With hs=1 and negative > 0, a view of the trained weights' first V rows."""
        if self._w_out is None or not self.negative:
            return None
        return self._w_out[: len(self._vocab)] if self.hs else self._w_out

    @property
    def syn1(self) -> np.ndarray | None:
        """Inner-node vectors of hierarchical softmax ((V-1) x d), as gensim names them (None
        with hs=0). With negative > 0 too, a view of the rows after negative sampling's."""
        if self._w_out is None or not self.hs:
            return None
        return self._w_out[len(self._vocab) :] if self.negative else self._w_out

    # ------------------------------------------------------------------ vocabulary
    def build_vocab(
        self,
        corpus_iterable: Iterable[list[str]] | None = None,
        corpus_file: str | os.PathLike[str] | None = None,
        update: bool = False,
        progress_per: int = 10000,
        keep_raw_vocab: bool = False,
        trim_rule: Any = None,
        **kwargs: Any,
    ) -> None:
        """Count the corpus and build the vocabulary (with ``update``, add to it), then
        initialise the weights of new words. Sets ``corpus_count`` and ``corpus_total_words``."""
        _files.refuse_kwargs("build_vocab", kwargs)
        _check_trim_rule(trim_rule)
        _corpus.check_corpus(corpus_iterable, corpus_file)
        self._release_scan()
        # the scan of a file is kept for train() on the same, unchanged file (checked
        # there); gensim lets train() take another corpus, which is then read
        identity = _scan_key(corpus_iterable, corpus_file)
        keep = identity is not None and self.max_vocab_size is None
        s = self._build_vocab(
            corpus_iterable, corpus_file, update, keep_ids=keep, trim_rule=trim_rule
        )
        if keep_raw_vocab:
            self.raw_vocab = dict(zip(s.words, s.counts.tolist(), strict=True))
        if s.cache is not None:
            self._kept_scan = (identity, s, self.corpus_count)

    def build_vocab_from_freq(
        self,
        word_freq: dict[str, int],
        keep_raw_vocab: bool = False,
        corpus_count: int | None = None,
        trim_rule: Any = None,
        update: bool = False,
    ) -> None:
        """Build the vocabulary from a ``{word: count}`` dict instead of a corpus."""
        from ..text.idcache import Scan

        _check_trim_rule(trim_rule)
        words = list(word_freq)
        counts = np.array([int(word_freq[w]) for w in words], dtype=np.int64)
        s = Scan(words, counts, int(counts.sum()), corpus_count or 0, None, False)
        total_words = self.corpus_total_words  # gensim leaves it as it was
        self._release_scan()
        self._set_vocab(s, corpus_count or 0, update, trim_rule)
        self.corpus_total_words = total_words
        if keep_raw_vocab:
            self.raw_vocab = dict(word_freq)

    def _build_vocab(
        self, corpus_iterable, corpus_file, update: bool, keep_ids: bool, trim_rule=None
    ):
        cfg = self._config()
        logger.info("collecting all words and their counts")
        s, n = _corpus.scan_corpus(corpus_iterable, corpus_file, cfg.max_vocab, keep_ids, trim_rule)
        try:
            self._set_vocab(s, n, update, trim_rule)
        except BaseException:
            if s.cache is not None:
                s.cache.close()
            raise
        return s

    def _release_scan(self) -> None:
        """Delete the id cache ``build_vocab`` kept, if any."""
        kept = self.__dict__.pop("_kept_scan", None)
        if kept is not None:
            kept[1].close()

    def _take_scan(self, corpus_iterable, corpus_file):
        """``(encoded, sentences, tokens)`` from the scan ``build_vocab`` kept, if this
        corpus is the file it scanned and that file is unchanged; else None."""
        kept = self.__dict__.pop("_kept_scan", None)
        if kept is None:
            return None
        identity, s, corpus_count = kept
        if identity != _scan_key(corpus_iterable, corpus_file):
            s.close()
            return None
        return _corpus.ids_of(s, self._vocab), corpus_count, s.n_tokens

    def _set_vocab(self, s, corpus_count: int, update: bool, trim_rule=None) -> None:
        _vocab.set_vocab(self, s, corpus_count, update, trim_rule)

    # ------------------------------------------------------------------ training
    def train(
        self,
        corpus_iterable: Iterable[list[str]] | None = None,
        corpus_file: str | os.PathLike[str] | None = None,
        total_examples: int | None = None,
        total_words: int | None = None,
        epochs: int | None = None,
        start_alpha: float | None = None,
        end_alpha: float | None = None,
        word_count: int = 0,
        queue_factor: int = 2,
        report_delay: float = 1.0,
        compute_loss: bool = False,
        callbacks: Sequence[CallbackAny2Vec] = (),
        **kwargs: Any,
    ) -> tuple[int, int]:
        """Train ``epochs`` epochs on a corpus (gensim's rules: ``epochs`` and
        ``total_examples`` or ``total_words`` are required; ``epochs``, ``start_alpha``
        and ``end_alpha`` become the model's ``epochs``, ``alpha``, ``min_alpha``).

        ``compute_loss`` applies to this call, as in gensim (its default, False, turns
        the loss off even if the constructor turned it on). ``queue_factor`` and
        ``report_delay`` tune gensim's job queue and logging and change nothing here.

        Returns
        -------
        (trained_word_count, raw_word_count) : tuple of int
            Words trained on (in the vocabulary, kept by sub-sampling) and words read,
            over all epochs run.
        """
        if word_count:
            kwargs["word_count"] = word_count
        _files.refuse_kwargs("train", kwargs)
        self.alpha = start_alpha or self.alpha
        self.min_alpha = end_alpha or self.min_alpha
        self.epochs = epochs
        if self._vocab is None:
            raise TrainingError("you must first build vocabulary before training the model")
        if total_words is None and total_examples is None:
            raise ConfigError(
                "You must specify either total_examples or total_words, for proper learning-rate "
                "and progress calculations. If you've just built the vocabulary using the same "
                "corpus, using the count cached in the model is sufficient: "
                "total_examples=model.corpus_count."
            )
        if epochs is None or isinstance(epochs, bool) or not isinstance(epochs, Integral):
            raise ConfigError(
                "You must specify an explicit epochs count. The usual value is epochs=model.epochs."
            )
        if epochs <= 0:
            raise ConfigError(f"`epochs` must be an int >= 1; got {epochs!r}.")
        self._config()
        _corpus.check_corpus(corpus_iterable, corpus_file)
        stream = self._take_scan(corpus_iterable, corpus_file) or _corpus.encode_corpus(
            corpus_iterable, corpus_file, self._vocab, self.max_vocab_size is not None
        )
        try:
            return self._train(stream, total_examples, total_words, epochs, compute_loss, callbacks)
        finally:
            stream[0].close()

    def _train(self, stream, total_examples, total_words, epochs, compute_loss, callbacks):
        from ..engine.train import Interrupted

        encoded, n_sentences, n_tokens = stream
        if total_examples is not None and total_examples != n_sentences:
            logger.warning(
                "supplied example count (%i) did not equal expected count (%i)",
                total_examples, n_sentences,
            )  # fmt: skip
        elif total_examples is None and total_words != n_tokens:
            logger.warning(
                "supplied raw word count (%i) did not equal expected count (%i)",
                total_words, n_tokens,
            )  # fmt: skip
        # another seed for every train() call: fresh draws for sub-sampling, windows, negatives
        cfg = self._config(epochs).replace(seed=(self.seed + self.train_count) % 2**63)
        self.compute_loss = bool(compute_loss)
        self.running_training_loss = 0.0
        self.stop_training = False
        callbacks = list(callbacks or ())
        logger.info(
            "training model with %i workers on %i vocabulary and %i features, using sg=%s "
            "hs=%s sample=%s negative=%s window=%s shrink_windows=%s",
            cfg.workers, len(self._vocab), cfg.dim, self.sg, self.hs, self.sample,
            self.negative, self.window, self.shrink_windows,
        )  # fmt: skip
        w_in, w_out = self._input_weights(), self._w_out
        rows = cfg.output_rows(len(self._vocab))
        for name, w, want in (
            ("wv.vectors", w_in, len(self._vocab) + self._extra_input_rows()),
            ("output weights", w_out, rows),
        ):
            if w.shape != (want, cfg.dim) or not (w.flags.c_contiguous and w.flags.writeable):
                raise ConfigError(
                    f"the model's {name} must be a writable C-contiguous float32 array of shape "
                    f"({want}, {cfg.dim}) to train; got {w.shape} (replaced or edited by hand?)"
                )
        trainer = self._trainer(cfg, w_in, w_out)
        for callback in callbacks:
            callback.on_train_begin(self)
        counts = [0, 0]  # trained (kept) and raw words over the epochs run
        ran = []  # their EpochStats

        def epoch_begin(epoch: int) -> bool:
            if self.stop_training:
                logger.info("training stopped by a callback before epoch %i", epoch + 1)
                return True
            for callback in callbacks:
                callback.on_epoch_begin(self)
            return False

        def epoch_end(epoch: int, stats) -> bool:
            self._weights_changed()  # the vectors changed in place
            counts[0] += stats.kept
            counts[1] += n_tokens
            if self.compute_loss:
                self.running_training_loss += stats.loss_sum
            self.min_alpha_yet_reached = trainer.alpha_at(
                (epoch + 1) * encoded.n_words, epochs * encoded.n_words
            )
            self._history.append(stats)
            ran.append(stats)
            logger.info(
                "EPOCH %i: training on %i raw words (%i effective words) took %.1fs, %.0f "
                "raw words/s%s",
                epoch + 1, n_tokens, stats.kept, stats.seconds, speed_of(stats),
                f", loss {stats.mean_loss:.4f}" if self.compute_loss else "",
            )  # fmt: skip
            for callback in callbacks:
                callback.on_epoch_end(self)
            return False  # (a stop asked for here is seen before the next epoch begins)

        trainer.on_epoch_begin, trainer.on_epoch_end = epoch_begin, epoch_end
        start = time.perf_counter()
        try:
            trainer.run(encoded)
        except Interrupted:  # Ctrl-C, turned into a clean stop at a job boundary
            raise KeyboardInterrupt from None
        finally:
            self._weights_changed()
        trained, raw = counts
        compiling = trainer.compile_seconds  # (the kernel's compilation, first run only: apart)
        elapsed = time.perf_counter() - start - compiling
        if trainer.history and not any(h.loss_terms for h in trainer.history):
            logger.warning(
                "nothing was trained: sub-sampling (sample=%s) or one-word sentences left no "
                "(word, context) pair; the vectors are as initialised", self.sample,
            )  # fmt: skip
        self.train_count += 1
        self.total_train_time += elapsed
        # the speed by the engine's one definition (words read over the epochs' seconds),
        # so this line agrees with the epoch lines above and the engine's own
        logger.info(
            "training on %i raw words (%i effective words) took %.1fs, %.0f raw words/s%s",
            raw, trained, sum(s.seconds for s in ran), speed_of(ran),
            f" (and {compiling:.1f}s compiling the training kernel, once)" if compiling else "",
        )  # fmt: skip
        for callback in callbacks:
            callback.on_train_end(self)
        return trained, raw

    # hooks: what a model trained on other input weights changes (compat FastText)
    def _input_weights(self) -> np.ndarray:
        return self.wv.vectors

    def _extra_input_rows(self) -> int:
        return 0

    def _trainer(self, cfg: TrainConfig, w_in: np.ndarray, w_out: np.ndarray):
        from ..engine.train import Trainer

        return Trainer(cfg, self._vocab, w_in, w_out, require_training=False)

    def _weights_changed(self) -> None:
        self.wv._invalidate()

    def get_latest_training_loss(self) -> float:
        """Summed loss of every prediction since the current (or last) ``train()`` began
        (float64, updated after each epoch); 0.0 unless ``compute_loss`` was set for it."""
        return self.running_training_loss

    def predict_output_word(self, context_words_list: Sequence[str], topn: int = 10):
        """The ``topn`` most probable center words given context words (negative sampling
        models): ``[(word, probability), ...]``, or None if no context word is known.

        As gensim, it scores with negative sampling's output vectors (``syn1neg``), also
        for a model trained with hs=1 and negative > 0; it refuses negative=0."""
        if not self.negative or self._vocab is None:
            raise ConfigError(
                "predict_output_word needs a model trained with negative sampling "
                f"(negative > 0); this one has negative={self.negative!r}."
            )
        rows = [self.wv.key_to_index[w] for w in context_words_list if w in self.wv.key_to_index]
        if not rows:
            logger.warning(
                "All the input context words are out-of-vocabulary for the current model."
            )
            return None
        l1 = self.wv.vectors[rows].sum(axis=0)
        if rows and self.cbow_mean:
            l1 = l1 / len(rows)
        scores = self.syn1neg @ l1
        probs = np.exp(scores - scores.max())
        probs /= probs.sum()
        top = np.argsort(-probs, kind="stable")[:topn]
        return [(self.wv.index_to_key[i], float(probs[i])) for i in top.tolist()]

    # ------------------------------------------------------------------ files
    def save(self, fname: str | os.PathLike[str], **kwargs: Any) -> None:
        """Write the model (settings, vocabulary with counts, both weight matrices and the
        counts gensim keeps) in wordvec's model format, atomically; no code runs on load."""
        _files.refuse_kwargs("Word2Vec.save", kwargs)
        _modelfile.save(self, fname)

    @classmethod
    def load(cls, fname: str | os.PathLike[str], mmap: str | None = None) -> Word2Vec:
        """Load a model written by :meth:`save` (or by ``wordvec.Word2Vec.save``).

        ``mmap`` is accepted for gensim's signature; the arrays are read either way.
        A file written by gensim's ``save()`` is refused with the way over.
        """
        return _modelfile.load(cls, fname)


def _check_trim_rule(trim_rule: Any) -> None:
    if trim_rule is not None and not callable(trim_rule):
        raise ConfigError(f"`trim_rule` must be a callable or None; got {trim_rule!r}.")


def _scan_key(corpus_iterable: Any, corpus_file: Any) -> tuple | None:
    """What must be equal for a scan to be reused: the file (path, inode, size, times,
    :func:`~wordvec.text.corpus.source_identity`) and where its lines are cut."""
    identity = source_identity(_corpus.file_of(corpus_iterable, corpus_file))
    if identity is None:
        return None
    return identity, getattr(corpus_iterable, "max_sentence_length", MAX_WORDS_IN_BATCH)


def _is_size(x: Any) -> bool:
    return isinstance(x, Integral) and not isinstance(x, bool) and x >= 1
