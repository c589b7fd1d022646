"""Word2Vec: the estimator users train. ``__init__`` stores parameters, ``fit`` does the work.

>>> model = Word2Vec(model="skipgram", loss="neg", dim=100).fit("corpus.txt")  # doctest: +SKIP
>>> model.wv.most_similar("king")  # doctest: +SKIP

The pipeline of ``fit``: one streaming pass over the corpus counts the words
and writes them as ids to a temporary cache (:mod:`wordvec.vocab`); the
vocabulary is finalised; the engine (:mod:`wordvec.engine.train`) runs every
epoch from the cache. Memory holds the vocabulary, the two weight matrices
and one chunk of ids, whatever the corpus length.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from .config import TrainConfig
from .errors import ConfigError, CorpusError, FormatError, TrainingInterrupted
from .vocab import DROPPED, SENTENCE_END, EncodedCorpus, Vocab, build, scan

__all__ = ["Word2Vec", "MODEL_FORMAT_VERSION"]

MODEL_FORMAT_VERSION = 1
_CONFIG_FIELDS = [f.name for f in dataclasses.fields(TrainConfig)]


class Word2Vec:
    """word2vec estimator: skip-gram or CBOW, with negative sampling, hierarchical or full softmax.

    Parameters are those of :class:`wordvec.config.TrainConfig` (see there for
    defaults and meaning), plus ``tmp_dir`` (where the id cache goes; default the
    system temporary directory) and ``progress`` (a progress line on stderr).

    Attributes (after ``fit``)
    --------------------------
    wv : KeyedVectors
        The input vectors, one row per vocabulary word (most frequent first).
    vocab_ : Vocab
    w_in_, w_out_ : ndarray of float32
        Input (V x d) and output (V x d, or (V-1) x d for hierarchical softmax) weights.
    loss_history_ : list of float
        Mean loss per epoch (per (input, output-word) pair for skip-gram, per center for CBOW).
    epoch_stats_ : list of EpochStats
    """

    def __init__(
        self,
        model: str = "cbow",
        loss: str = "neg",
        dim: int = 100,
        window: int = 5,
        negative: int = 5,
        min_count: int = 5,
        sample: float = 1e-3,
        epochs: int = 5,
        alpha: float | None = None,
        min_alpha: float | None = None,
        threads: int = 0,
        seed: int = 1,
        *,
        cbow_mean: bool = True,
        ns_exponent: float = 0.75,
        shrink_windows: bool = True,
        max_vocab: int | None = 10_000_000,
        max_final_vocab: int | None = None,
        max_sentence_length: int = 10_000,
        lowercase: bool = False,
        batch_words: int = 10_000,
        tmp_dir: str | None = None,
        progress: bool = False,
    ) -> None:
        self.model = model
        self.loss = loss
        self.dim = dim
        self.window = window
        self.negative = negative
        self.min_count = min_count
        self.sample = sample
        self.epochs = epochs
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.threads = threads
        self.seed = seed
        self.cbow_mean = cbow_mean
        self.ns_exponent = ns_exponent
        self.shrink_windows = shrink_windows
        self.max_vocab = max_vocab
        self.max_final_vocab = max_final_vocab
        self.max_sentence_length = max_sentence_length
        self.lowercase = lowercase
        self.batch_words = batch_words
        self.tmp_dir = tmp_dir
        self.progress = progress
        self.loss_history_: list[float] = []
        self.epoch_stats_: list = []

    # ------------------------------------------------------------------ config
    @property
    def config(self) -> TrainConfig:
        """The validated :class:`TrainConfig` of the current parameters."""
        negative = self.negative
        if self.loss != "neg" and negative == TrainConfig.negative:
            negative = 0  # the default K only applies to negative sampling
        values = {f: getattr(self, f) for f in _CONFIG_FIELDS if f != "negative"}
        return TrainConfig(negative=negative, **values).validate()

    def __repr__(self) -> str:
        c = self.config
        return (
            f"Word2Vec(model={c.model!r}, loss={c.loss!r}, dim={c.dim}, window={c.window}, "
            f"negative={c.negative}, min_count={c.min_count}, epochs={c.epochs})"
        )

    # ------------------------------------------------------------------ training
    def fit(
        self,
        corpus: Any,
        *,
        checkpoint: str | os.PathLike[str] | None = None,
        checkpoint_every: float | None = None,
        handle_signals: bool = True,
    ) -> Word2Vec:
        """Build the vocabulary from ``corpus`` and train. Returns self.

        Parameters
        ----------
        corpus : path, "-" (stdin), directory, compressed file, or iterable of token lists
            See :mod:`wordvec.corpus`.
        checkpoint : path, optional
            Where to write a checkpoint if training is interrupted (SIGINT / SIGTERM)
            and, with ``checkpoint_every`` (seconds), periodically. Resume with
            :meth:`resume`.
        handle_signals : bool
            In the main thread, SIGINT / SIGTERM stop training cleanly at the next job
            boundary (then :class:`TrainingInterrupted` is raised) instead of raising
            KeyboardInterrupt in the middle of an update.
        """
        cfg = self.config
        sentences = _as_sentences(corpus, cfg)
        s = scan(sentences, max_vocab=cfg.max_vocab, tmp_dir=self.tmp_dir)
        try:
            vocab, remap = build(s, min_count=cfg.min_count, max_final_vocab=cfg.max_final_vocab)
            if s.cache is None:  # pruned while counting: encode again with the final vocabulary
                encoded = EncodedCorpus.encode(sentences, vocab, self.tmp_dir)  # re-reads
            else:
                encoded = EncodedCorpus(s.cache, remap, vocab.total)
            self._init_weights(vocab, cfg)
            self.epoch_stats_ = []
            self._train(encoded, cfg, None, checkpoint, checkpoint_every, handle_signals)
        finally:
            if s.cache is not None:
                s.cache.close()
        return self

    def train(
        self,
        corpus: Any,
        *,
        epochs: int | None = None,
        update_vocab: bool = True,
        handle_signals: bool = True,
    ) -> Word2Vec:
        """Continue training a fitted model on more text. Returns self.

        The learning rate decays again from ``alpha`` to ``min_alpha`` over this run
        (as gensim's ``train`` does). With ``update_vocab``, words of the new text that
        reach ``min_count`` there join the vocabulary (new input rows are initialised
        as in ``fit``, output rows at zero) and counts are added up, which updates the
        noise distribution and sub-sampling. Hierarchical softmax keeps its vocabulary
        and Huffman tree as they are: its output rows are tree nodes, and a new tree
        would give them other meanings.
        """
        self._check_fitted()
        if epochs is not None:
            self.epochs = epochs
        cfg = self.config
        s = scan(_as_sentences(corpus, cfg), max_vocab=cfg.max_vocab, tmp_dir=self.tmp_dir)
        try:
            vocab = self.vocab_
            index = vocab.index
            grow = update_vocab and cfg.loss != "hs"
            new_counts = s.counts
            if grow:
                fresh = [
                    i
                    for i in np.argsort(-new_counts, kind="stable").tolist()
                    if new_counts[i] >= cfg.min_count and s.words[i] not in index
                ]
                if fresh:
                    words = vocab.words + [s.words[i] for i in fresh]
                    counts = np.concatenate([vocab.counts, new_counts[fresh]])
                    vocab = Vocab(words, counts)
                    index = vocab.index
                    rng = np.random.default_rng([cfg.seed, len(self.vocab_)])
                    rows = (rng.random((len(fresh), cfg.dim), dtype=np.float32) - 0.5) / cfg.dim
                    self.w_in_ = np.vstack([self.w_in_, rows.astype(np.float32)])
                    self.w_out_ = np.vstack(
                        [self.w_out_, np.zeros((len(fresh), cfg.dim), np.float32)]
                    )
            remap = np.full(len(s.words) + 1, DROPPED, dtype=np.int32)
            known = np.array([index.get(w, -1) for w in s.words], dtype=np.int64)
            hit = known >= 0
            remap[:-1][hit] = known[hit]
            remap[-1] = SENTENCE_END
            n_words = int(new_counts[hit].sum())
            if n_words == 0:
                raise CorpusError("none of the new text's words is in the model's vocabulary")
            if grow:  # counts of known words grow too (noise distribution, sub-sampling)
                counts = vocab.counts.copy()
                old = len(self.vocab_)  # new words already carry their new-text counts
                seen_old = hit & (known < old)
                np.add.at(counts, known[seen_old], new_counts[seen_old])
                vocab = Vocab(vocab.words, counts, vocab.index)
            self.vocab_ = vocab
            if s.cache is None:
                encoded = EncodedCorpus.encode(_as_sentences(corpus, cfg), vocab, self.tmp_dir)
            else:
                encoded = EncodedCorpus(s.cache, remap, n_words)
            done = list(self.epoch_stats_)
            self.epoch_stats_ = []
            self._train(encoded, cfg, None, None, None, handle_signals)
            self.epoch_stats_ = done + self.epoch_stats_
            self.loss_history_ = [h.mean_loss for h in self.epoch_stats_]
        finally:
            if s.cache is not None:
                s.cache.close()
        return self

    @classmethod
    def resume(
        cls,
        checkpoint: str | os.PathLike[str],
        corpus: Any,
        *,
        handle_signals: bool = True,
        progress: bool = False,
        checkpoint_every: float | None = None,
    ) -> Word2Vec:
        """Continue an interrupted run from ``checkpoint`` on the same ``corpus``."""
        self, position, n_words = _read(checkpoint, want_position=True)
        self.progress = progress
        cfg = self.config
        encoded = EncodedCorpus.encode(_as_sentences(corpus, cfg), self.vocab_, self.tmp_dir)
        try:
            if encoded.n_words != n_words:
                raise ConfigError(
                    f"the corpus has {encoded.n_words} in-vocabulary words but the checkpoint "
                    f"{os.fspath(checkpoint)!r} was trained on {n_words}: "
                    "resume needs the same corpus"
                )
            self._train(encoded, cfg, position, checkpoint, checkpoint_every, handle_signals)
        finally:
            encoded.close()
        return self

    def _init_weights(self, vocab: Vocab, cfg: TrainConfig) -> None:
        # word2vec C: input vectors uniform in [-0.5/d, 0.5/d), output vectors zero
        rng = np.random.default_rng(cfg.seed)
        v = len(vocab)
        self.vocab_ = vocab
        self.w_in_ = ((rng.random((v, cfg.dim), dtype=np.float32) - 0.5) / cfg.dim).astype(
            np.float32
        )
        rows = max(v - 1, 1) if cfg.loss == "hs" else v
        self.w_out_ = np.zeros((rows, cfg.dim), dtype=np.float32)

    def _train(self, encoded, cfg, position, checkpoint, checkpoint_every, handle_signals):
        from .engine.train import Interrupted, ProgressBar, Trainer

        bar = ProgressBar() if self.progress else None
        stop = threading.Event()
        trainer = Trainer(cfg, self.vocab_, self.w_in_, self.w_out_, progress=bar, stop=stop)
        trainer.history = list(self.epoch_stats_)
        if checkpoint is not None and checkpoint_every:

            def save_checkpoint(pos) -> None:
                self.loss_history_ = [h.mean_loss for h in trainer.history]
                _write(self, checkpoint, pos, encoded.n_words)

            trainer.on_checkpoint = save_checkpoint
            trainer.checkpoint_every = float(checkpoint_every)
        try:
            with _stop_on_signals(stop, enabled=handle_signals):
                trainer.run(encoded, position)
        except Interrupted as exc:
            self.epoch_stats_ = trainer.history
            self.loss_history_ = [h.mean_loss for h in trainer.history]
            if checkpoint is None:
                raise TrainingInterrupted(
                    f"training interrupted in epoch {exc.position.epoch + 1}; "
                    "no checkpoint path was given, so the progress is lost"
                ) from None
            _write(self, checkpoint, exc.position, encoded.n_words)
            raise TrainingInterrupted(
                f"training interrupted in epoch {exc.position.epoch + 1}/{cfg.epochs}; "
                f"checkpoint written to {os.fspath(checkpoint)!r}. Resume with "
                f"`wordvec train CORPUS --resume {os.fspath(checkpoint)}` "
                "(or Word2Vec.resume(checkpoint, corpus))",
                checkpoint=os.fspath(checkpoint),
            ) from None
        finally:
            if bar is not None:
                bar.close()
        self.epoch_stats_ = trainer.history
        self.loss_history_ = [h.mean_loss for h in trainer.history]

    # ------------------------------------------------------------------ results
    @property
    def wv(self):
        """The trained vectors as :class:`wordvec.vectors.KeyedVectors` (shares ``w_in_``)."""
        from .vectors import KeyedVectors

        self._check_fitted()
        return KeyedVectors(self.vocab_.words, self.w_in_, self.vocab_.counts)

    def _check_fitted(self) -> None:
        if not hasattr(self, "w_in_"):
            raise ConfigError("this Word2Vec is not fitted yet: call fit(corpus) first")

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model (configuration, vocabulary with counts, both weight matrices,
        loss history) in wordvec's native container format, atomically. No pickle."""
        self._check_fitted()
        _write(self, path, None, self.vocab_.total)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Word2Vec:
        """Load a model written by :meth:`save` (refuses checkpoints of a newer format)."""
        return _read(path, want_position=False)[0]


# ---------------------------------------------------------------------- helpers


def _as_sentences(corpus: Any, cfg: TrainConfig):
    from .corpus import TextCorpus

    if isinstance(corpus, TextCorpus):
        return corpus
    return TextCorpus(corpus, lowercase=cfg.lowercase, max_sentence_length=cfg.max_sentence_length)


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event, enabled: bool) -> Iterator[None]:
    """Turn SIGINT / SIGTERM into ``stop.set()`` while training, in the main thread only."""
    if not enabled or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def handler(signum, frame):
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, h in previous.items():
            signal.signal(sig, h)


def _write(model: Word2Vec, path, position, n_words: int) -> None:
    from .formats import encode_strings, write_container

    blob, offsets = encode_strings(model.vocab_.words)
    meta = {
        "kind": "checkpoint" if position is not None else "model",
        "model_format_version": MODEL_FORMAT_VERSION,
        "config": {f: getattr(model, f) for f in _CONFIG_FIELDS},
        "n_words": int(n_words),
        "loss_history": [float(x) for x in model.loss_history_],
        "position": None if position is None else dataclasses.asdict(position),
    }
    arrays = {
        "w_in": model.w_in_,
        "w_out": model.w_out_,
        "counts": model.vocab_.counts,
        "words_blob": blob,
        "words_offsets": offsets,
    }
    write_container(path, meta, arrays)


def _read(path, want_position: bool):
    from .engine.train import EpochStats, Position
    from .formats import decode_strings, read_container

    meta, arrays = read_container(path, mmap=False)
    name = os.fspath(path)
    kind = meta.get("kind")
    if kind not in ("model", "checkpoint"):
        raise FormatError(f"{name}: not a wordvec model or checkpoint (kind={kind!r})")
    version = meta.get("model_format_version")
    if not isinstance(version, int) or version > MODEL_FORMAT_VERSION:
        raise FormatError(
            f"{name}: model format version {version!r} is newer than this wordvec "
            f"understands ({MODEL_FORMAT_VERSION}); upgrade wordvec"
        )
    for key in ("w_in", "w_out", "counts", "words_blob", "words_offsets"):
        if key not in arrays:
            raise FormatError(f"{name}: missing array {key!r}")
    config = meta.get("config")
    if not isinstance(config, dict) or set(config) - set(_CONFIG_FIELDS):
        raise FormatError(f"{name}: malformed configuration block")
    try:
        cfg = TrainConfig(**config).validate()
    except (TypeError, ConfigError) as exc:
        raise FormatError(f"{name}: invalid configuration: {exc}") from None
    words = decode_strings(arrays["words_blob"], arrays["words_offsets"])
    counts = np.asarray(arrays["counts"], dtype=np.int64)
    w_in = np.array(arrays["w_in"], dtype=np.float32)
    w_out = np.array(arrays["w_out"], dtype=np.float32)
    v = len(words)
    out_rows = max(v - 1, 1) if cfg.loss == "hs" else v
    if counts.shape != (v,) or w_in.shape != (v, cfg.dim) or w_out.shape != (out_rows, cfg.dim):
        raise FormatError(
            f"{name}: array shapes disagree: {v} words, counts {counts.shape}, "
            f"w_in {w_in.shape}, w_out {w_out.shape}, dim {cfg.dim}"
        )
    if len(set(words)) != v:
        raise FormatError(f"{name}: the vocabulary has duplicate words")
    m = Word2Vec(**dataclasses.asdict(cfg))
    m.vocab_ = Vocab(words, counts)
    m.w_in_, m.w_out_ = w_in, w_out
    history = meta.get("loss_history") or []
    if not isinstance(history, list) or not all(isinstance(x, int | float) for x in history):
        raise FormatError(f"{name}: malformed loss history")
    m.loss_history_ = [float(x) for x in history]
    m.epoch_stats_ = [EpochStats(loss_sum=x, loss_terms=1.0) for x in m.loss_history_]
    pos = meta.get("position")
    if want_position:
        if kind != "checkpoint" or not isinstance(pos, dict):
            raise FormatError(f"{name}: not a checkpoint (a finished model cannot be resumed)")
        try:
            position = Position(int(pos["epoch"]), int(pos["job"]))
        except (KeyError, TypeError, ValueError):
            raise FormatError(f"{name}: malformed schedule position {pos!r}") from None
        n_words = meta.get("n_words")
        if not isinstance(n_words, int):
            raise FormatError(f"{name}: malformed n_words")
        return m, position, n_words
    return m, None, None
