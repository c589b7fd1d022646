"""Word2Vec: the estimator users train. ``__init__`` stores parameters, ``fit`` does the work.

>>> model = Word2Vec(model="skipgram", loss="neg", dim=100).fit("corpus.txt")  # doctest: +SKIP
>>> model.wv.most_similar("king")  # doctest: +SKIP

The estimator keeps parameters and fitted state; the work is done by the stages
(see ``docs/architecture.md``), called in order:

    corpus -> TextCorpus -> scan() -> Scan -> Vocab.from_counts -> Vocab
           -> EncodedCorpus.from_scan -> EncodedCorpus -> engine (Trainer) -> w_in_, w_out_

one streaming pass over the text counts the words and writes them as ids to a
temporary cache; every epoch reads the cache. Memory holds the vocabulary, the
two weight matrices and one chunk of ids, whatever the corpus length. Model and
checkpoint files are :mod:`wordvec.files.modelfile`'s.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from .config import TrainConfig, _float
from .encoded import EncodedCorpus, log_vocabulary
from .engine import ahead
from .engine import train as engine
from .engine.schedule import EpochStats, Interrupted, Position
from .engine.train import grow_weights, init_weights
from .errors import ConfigError, CorpusError, TrainingInterrupted
from .files.modelfile import MODEL_FORMAT_VERSION, read_model, write_model
from .files.paths import check_output
from .progress import ProgressDisplay
from .text.corpus import TextCorpus, source_identity
from .text.scan import Scan, scan
from .vocab import Vocab

__all__ = ["Word2Vec", "MODEL_FORMAT_VERSION"]

_CONFIG_FIELDS = [f.name for f in dataclasses.fields(TrainConfig)]


class Word2Vec:
    """word2vec estimator: skip-gram or CBOW, with negative sampling, hierarchical or full
    softmax, or hierarchical softmax and negative sampling together (``loss="hs+neg"``).

    Parameters are those of :class:`wordvec.config.TrainConfig` (see there for
    defaults and meaning), plus ``tmp_dir`` (where the id cache, and a copy of
    standard input read as the corpus ``"-"``, go; default the system temporary
    directory), ``progress`` (a progress line on stderr) and ``errors`` (how text
    corpora decode bytes that are not UTF-8: ``"strict"`` raises, ``"replace"``
    substitutes U+FFFD, ``"ignore"`` drops them; see :class:`wordvec.text.corpus.TextCorpus`).

    Attributes (after ``fit``)
    --------------------------
    wv : KeyedVectors
        The input vectors, one row per vocabulary word (most frequent first).
    vocab_ : Vocab
    w_in_, w_out_ : ndarray of float32
        Input (V x d) and output (V x d, or (V-1) x d for hierarchical softmax) weights;
        for ``loss="hs+neg"`` both output matrices stacked, (V + V-1) x d: rows [0, V)
        negative sampling's, rows [V, 2V-1) the Huffman tree's inner nodes.
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
        errors: str = "strict",
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
        self.errors = errors
        self.loss_history_: list[float] = []
        self.epoch_stats_: list = []
        self._wv = None  # the KeyedVectors view of w_in_, built on first access after training

    # ------------------------------------------------------------------ config
    @property
    def config(self) -> TrainConfig:
        """The validated :class:`TrainConfig` of the current parameters."""
        negative = self.negative
        if self.loss not in ("neg", "hs+neg") and negative == TrainConfig.negative:
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
        callbacks: Sequence[Any] = (),
    ) -> Word2Vec:
        """Build the vocabulary from ``corpus`` and train. Returns self.

        Parameters
        ----------
        corpus : path, "-" (stdin), directory, compressed file, or iterable of token lists
            See :mod:`wordvec.text.corpus`.
        checkpoint : path, optional
            Where to write a checkpoint if training is interrupted (SIGINT / SIGTERM)
            and, with ``checkpoint_every`` (seconds), periodically. Resume with
            :meth:`resume`.
        handle_signals : bool
            In the main thread, SIGINT / SIGTERM stop training cleanly at the next job
            boundary (then :class:`TrainingInterrupted` is raised) instead of raising
            KeyboardInterrupt in the middle of an update.
        callbacks : sequence of objects
            Called between epochs, never while a job runs: ``on_epoch_begin(model,
            epoch)`` before and ``on_epoch_end(model, epoch, stats)`` after each epoch
            (``epoch`` 0-based, ``stats`` its :class:`EpochStats`; either method may be
            missing). The model is then complete for that point: ``wv``, ``w_in_``,
            ``epoch_stats_`` hold the weights and statistics so far, so a callback can
            evaluate or save it. Returning True from either stops training there (the
            learning rate keeps the schedule planned for ``epochs``).
        """
        cfg = self.config
        _check_checkpointing(checkpoint, checkpoint_every, corpus)
        callbacks = _check_callbacks(callbacks)
        self._release_scan()

        def new_vocab(s: Scan) -> Vocab:
            return _new_vocab(s, cfg)

        if type(self)._trainer is Word2Vec._trainer:  # the word kernels (not FastText's)
            # a cold cache: compile the job kernel in a second process while the corpus is
            # read (engine/ahead.py); the trainer then loads it from Numba's cache
            ahead.start(cfg.model, cfg.loss)
        try:
            with self._prepared(corpus, cfg, self.tmp_dir, new_vocab) as (vocab, encoded, s):
                w_in, w_out = self._initial_weights(vocab, cfg)
                self.vocab_, self.w_in_, self.w_out_ = vocab, w_in, w_out
                self.epoch_stats_ = []
                self._train(
                    encoded, cfg, None, checkpoint, checkpoint_every, handle_signals,
                    s.identity, callbacks,
                )  # fmt: skip
        finally:
            ahead.stop(cfg.model, cfg.loss)  # (still running only if training never began)
        return self

    def build_vocab(self, corpus: Any) -> Word2Vec:
        """Scan ``corpus`` and build the vocabulary and the initial weights, without
        training (``fit`` is ``build_vocab`` then :meth:`train` on the same corpus, bit for
        bit). Returns self, with ``vocab_``, ``w_in_``, ``w_out_`` and ``wv`` set.

        The scan (its id cache) is kept for the next :meth:`train`, which uses it
        instead of reading the text again when given the same corpus: the same path
        (file or directory) whose files still have the same size, modification time and
        inode (:func:`wordvec.text.corpus.source_identity`). Any other corpus (another
        path, a changed file, an iterable, standard input) is read again, as gensim
        lets ``train`` take another corpus than ``build_vocab``.
        """
        cfg = self.config
        self._release_scan()
        sentences = _as_sentences(corpus, cfg, self)
        s = scan(sentences, max_vocab=cfg.max_vocab, tmp_dir=self.tmp_dir)
        try:
            vocab = _new_vocab(s, cfg)
            self.w_in_, self.w_out_ = self._initial_weights(vocab, cfg)
        except BaseException:
            s.close()
            raise
        self.vocab_ = vocab
        self.epoch_stats_, self.loss_history_, self._wv = [], [], None
        identity = source_identity(corpus)
        if identity is not None:
            self._kept_scan = (identity, s, sentences)
        else:
            s.close()
        return self

    def _release_scan(self) -> None:
        """Delete the id cache :meth:`build_vocab` kept, if any."""
        kept = self.__dict__.pop("_kept_scan", None)
        if kept is not None:
            kept[1].close()

    def _take_scan(self, corpus: Any) -> tuple[Scan, TextCorpus] | None:
        """The scan :meth:`build_vocab` kept, if ``corpus`` is the one it scanned and that
        is unchanged (it is handed over once: a later ``train`` reads the text)."""
        kept = self.__dict__.pop("_kept_scan", None)
        if kept is None:
            return None
        identity, s, sentences = kept
        if identity != source_identity(corpus):
            s.close()
            return None
        return s, sentences

    def train(
        self,
        corpus: Any,
        *,
        epochs: int | None = None,
        update_vocab: bool = True,
        handle_signals: bool = True,
        callbacks: Sequence[Any] = (),
    ) -> Word2Vec:
        """Continue training a fitted model on more text. Returns self.

        The learning rate decays again from ``alpha`` to ``min_alpha`` over this run
        (as gensim's ``train`` does). With ``update_vocab``, words of the new text that
        reach ``min_count`` there join the vocabulary (new input rows are initialised
        as in ``fit``, output rows at zero) and counts are added up, which updates the
        noise distribution and sub-sampling. Hierarchical softmax keeps its vocabulary
        and Huffman tree as they are: its output rows are tree nodes, and a new tree
        would give them other meanings. ``epochs`` applies to this call only: the
        estimator's own ``epochs`` stays as it is. ``callbacks`` are as for :meth:`fit`
        (``epoch`` counts this call's epochs from 0).

        After :meth:`build_vocab`, the first ``train`` on the same corpus uses its scan
        (and its vocabulary as it is: those counts are this text's already).
        """
        self._check_fitted()
        callbacks = _check_callbacks(callbacks)
        cfg = self.config if epochs is None else self.config.replace(epochs=epochs)
        kept = self._take_scan(corpus)

        def grown_vocab(s: Scan) -> Vocab:
            if kept is not None:
                return self.vocab_
            if update_vocab and not cfg.uses_tree:
                return self.vocab_.grow(s.words, s.counts, min_count=cfg.min_count)
            return self.vocab_

        prepared = self._prepared(corpus, cfg, self.tmp_dir, grown_vocab, kept=kept)
        with prepared as (vocab, encoded, _):
            if encoded.n_words == 0:
                raise CorpusError("none of the new text's words is in the model's vocabulary")
            self.w_in_, self.w_out_ = self._grown_weights(len(vocab), cfg)
            self.vocab_ = vocab
            done = list(self.epoch_stats_)
            self.epoch_stats_ = []
            self._train(encoded, cfg, None, None, None, handle_signals, None, callbacks, done)
            self.epoch_stats_ = done + self.epoch_stats_
            self.loss_history_ = [h.mean_loss for h in self.epoch_stats_]
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
        tmp_dir: str | None = None,
        errors: str = "strict",
    ) -> Word2Vec:
        """Continue an interrupted run from ``checkpoint`` on the same ``corpus``; returns it.

        The checkpoint holds the weights, the vocabulary, the configuration and the
        schedule position (epoch, jobs done); jobs are fixed in advance (their
        learning rates and random seeds follow from the seed, the epoch and the job
        index), so the run continues the same learning-rate schedule, and with one
        thread the result is bit for bit that of an uninterrupted run. The corpus is
        read as ``fit`` read it (same tokenisation, pruning and job boundaries) and
        must be the same text: another one raises :class:`CorpusError`. If
        interrupted again, the checkpoint is rewritten in place. ``progress``,
        ``checkpoint_every``, ``tmp_dir`` and ``errors`` are as for :meth:`fit` and the
        constructor; every training option comes from the checkpoint. A checkpoint of a
        finished run (:meth:`save_checkpoint`) trains nothing: it returns the model once
        the corpus is found to be the same.
        """
        _check_checkpointing(checkpoint, checkpoint_every, corpus)
        self, position, n_words, identity = _read(checkpoint, want_position=True, cls=cls)
        self.progress = progress
        self.tmp_dir = tmp_dir
        self.errors = errors
        cfg = self.config
        same_text = {"n_words": n_words, "identity": identity, "source": os.fspath(checkpoint)}
        with self._prepared(corpus, cfg, tmp_dir, None, same_text) as (_, encoded, _):
            self._train(
                encoded, cfg, position, checkpoint, checkpoint_every, handle_signals, identity
            )
        return self

    @contextlib.contextmanager
    def _prepared(
        self,
        corpus: Any,
        cfg: TrainConfig,
        tmp_dir: str | None,
        vocab_of: Callable[[Scan], Vocab] | None,
        resume: dict[str, Any] | None = None,
        kept: tuple[Scan, TextCorpus] | None = None,
    ) -> Iterator[tuple[Vocab, EncodedCorpus, Scan]]:
        """The one preparation step of ``fit``, ``train`` and ``resume``: text -> ids.

        ``corpus`` becomes a :class:`~wordvec.text.corpus.TextCorpus`, is scanned once,
        ``vocab_of(scan)`` gives the vocabulary (``fit``: new; ``train``: grown or
        kept) and the scan's id cache is encoded with it. ``resume`` instead keeps the
        model's vocabulary and first checks that the text is the checkpoint's (its
        keyword arguments for :meth:`EncodedCorpus.resume`). Yields ``(vocab,
        encoded, scan)``, open until the block ends. ``kept``: the scan (and its corpus)
        :meth:`build_vocab` made of this corpus, used instead of scanning.
        """
        if kept is not None:
            s, sentences = kept
        else:
            sentences = _as_sentences(corpus, cfg, self)
            s = scan(sentences, max_vocab=cfg.max_vocab, tmp_dir=tmp_dir)
        with s:
            if resume is None:
                vocab = vocab_of(s)
                encoded = EncodedCorpus.from_scan(s, vocab, sentences, tmp_dir)
            else:
                vocab = self.vocab_
                encoded = EncodedCorpus.resume(s, vocab, sentences, tmp_dir=tmp_dir, **resume)
            with encoded:
                yield vocab, encoded, s

    def _train(
        self,
        encoded,
        cfg,
        position,
        checkpoint,
        checkpoint_every,
        handle_signals,
        corpus_id=None,
        callbacks=(),
        before=(),
    ):
        """Run the engine over ``encoded`` from ``position``: Ctrl-C / SIGTERM stop it at a
        job boundary, and a checkpoint (if a path was given) records where. ``callbacks``
        are called between epochs (``before``: the statistics of earlier calls, which
        ``epoch_stats_`` shows them after)."""
        bar = ProgressDisplay() if self.progress else None
        stop = threading.Event()
        trainer = self._trainer(cfg, bar, stop)
        trainer.history = list(self.epoch_stats_)
        if callbacks:
            _attach_callbacks(self, trainer, callbacks, list(before))
        if checkpoint is not None and checkpoint_every:

            def save_checkpoint(pos) -> None:
                self.loss_history_ = [h.mean_loss for h in trainer.history]
                _write(self, checkpoint, pos, encoded.n_words, corpus_id)

            trainer.on_checkpoint = save_checkpoint
            trainer.checkpoint_every = float(checkpoint_every)
        try:
            # The checkpoint is written while the handlers are still ours: a second
            # Ctrl-C (people press it twice) must not cut that save short.
            with _stop_on_signals(stop, enabled=handle_signals):
                try:
                    trainer.run(encoded, position)
                except Interrupted as exc:
                    self.epoch_stats_ = trainer.history
                    self.loss_history_ = [h.mean_loss for h in trainer.history]
                    if checkpoint is not None:
                        _write(self, checkpoint, exc.position, encoded.n_words, corpus_id)
                    interrupted = exc.position
                else:
                    interrupted = None
            if interrupted is not None:
                epoch = interrupted.epoch + 1
                if checkpoint is None:
                    raise TrainingInterrupted(
                        f"training interrupted in epoch {epoch}; "
                        "no checkpoint path was given, so the progress is lost",
                        epoch=epoch,
                        epochs=cfg.epochs,
                    )
                path = os.fspath(checkpoint)
                raise TrainingInterrupted(
                    f"training interrupted in epoch {epoch}/{cfg.epochs}; "
                    f"checkpoint written to {path!r}. Resume with "
                    f"{type(self).__name__}.resume({path!r}, corpus) or "
                    f"`wordvec train CORPUS -o OUTPUT --resume {path}{self._cli_flags()}`",
                    checkpoint=path,
                    epoch=epoch,
                    epochs=cfg.epochs,
                )
        finally:
            self._wv = None  # the weights changed: the next `wv` is built afresh
            if bar is not None:
                bar.close()
        self.epoch_stats_ = trainer.history
        self.loss_history_ = [h.mean_loss for h in trainer.history]

    # ------------------------------------------------------------------ hooks
    # (what a subclass trained on other weights changes: ``wordvec.fasttext.FastText``)
    def _initial_weights(self, vocab: Vocab, cfg: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
        return init_weights(vocab, cfg)

    def _grown_weights(self, n_words: int, cfg: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
        return grow_weights(self.w_in_, self.w_out_, n_words, cfg)

    def _trainer(self, cfg: TrainConfig, bar, stop: threading.Event) -> engine.Trainer:
        return engine.Trainer(cfg, self.vocab_, self.w_in_, self.w_out_, progress=bar, stop=stop)

    def _cli_flags(self) -> str:
        """What ``wordvec train`` needs besides ``--resume`` to rebuild this estimator."""
        return ""

    def _extra_input_rows(self) -> int:
        """Input rows after the V word rows (a subword model's n-gram buckets)."""
        return 0

    def _file_extra(self) -> dict[str, Any] | None:
        """What a model file stores beside the configuration (``modelfile``'s ``extra``)."""
        return None

    # ------------------------------------------------------------------ results
    @property
    def wv(self):
        """The trained vectors as :class:`wordvec.vectors.KeyedVectors` (shares ``w_in_``).

        Built once after each fit / train / load and then cached (``model.wv is
        model.wv``), so that its unit-vector cache is computed once too.
        """
        from .vectors.keyedvectors import KeyedVectors

        self._check_fitted()
        kv = self.__dict__.get("_wv")
        if kv is None or kv.vectors is not self.w_in_ or len(kv) != len(self.vocab_):
            kv = KeyedVectors(self.vocab_.words, self.w_in_, self.vocab_.counts)
            self._wv = kv
        return kv

    def _check_fitted(self) -> None:
        if not hasattr(self, "w_in_"):
            raise ConfigError("this Word2Vec is not fitted yet: call fit(corpus) first")

    # ------------------------------------------------------------------ state
    @classmethod
    def from_state(
        cls,
        vocab: Vocab,
        w_in: np.ndarray,
        w_out: np.ndarray,
        epoch_stats: list[EpochStats] | None = None,
        **params: Any,
    ) -> Word2Vec:
        """A fitted model from its parts: what ``fit`` leaves, trained elsewhere (e.g. Spark).

        ``params`` are the constructor's; ``w_in`` must be V x dim and ``w_out`` V x dim,
        or (V-1) x dim for hierarchical softmax, (2V-1) x dim for hs+neg (both stacked,
        negative sampling's first), V = ``len(vocab)`` (float32, which the
        engine trains in place; other floats are converted). ``epoch_stats`` give
        ``loss_history_``.
        """
        self = cls(**params)
        cfg = self.config  # validates the parameters
        w_in = np.asarray(w_in)
        w_out = np.asarray(w_out)
        v = len(vocab)
        rows = cfg.output_rows(v)
        in_shape = (v + self._extra_input_rows(), cfg.dim)
        for name, w, shape in (("w_in", w_in, in_shape), ("w_out", w_out, (rows, cfg.dim))):
            if w.shape != shape or w.dtype.kind != "f":
                raise ConfigError(
                    f"`{name}` must be a float matrix of shape {shape} ({v} words, "
                    f"loss={cfg.loss!r}, dim={cfg.dim}); got {w.dtype} {w.shape}"
                )
        self.vocab_ = vocab
        self.w_in_ = np.ascontiguousarray(w_in, dtype=np.float32)
        self.w_out_ = np.ascontiguousarray(w_out, dtype=np.float32)
        self.epoch_stats_ = list(epoch_stats or [])
        self.loss_history_ = [h.mean_loss for h in self.epoch_stats_]
        return self

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model (configuration, vocabulary with counts, both weight matrices,
        loss history) in wordvec's native container format, atomically: JSON and raw
        arrays only, nothing that could run code when loaded."""
        self._check_fitted()
        _write(self, path, None, self.vocab_.total)

    def save_checkpoint(self, path: str | os.PathLike[str]) -> None:
        """Write a checkpoint at the end of this fitted run's schedule, atomically.

        For a run whose results could not be saved (``wordvec train`` interrupted
        while writing its outputs): :meth:`resume` on it with the same corpus trains
        nothing and returns this model.
        """
        self._check_fitted()
        epochs = self.config.epochs
        if len(self.loss_history_) != epochs:
            raise ConfigError(
                f"a checkpoint needs the run of `fit` or `resume` ({epochs} epochs); this "
                f"model records {len(self.loss_history_)}"
            )
        _write(self, path, Position(epochs, 0), self.vocab_.total)

    @classmethod
    def _params_from_file(cls, f, name: str) -> dict[str, Any]:
        """Constructor parameters a model file holds beside its TrainConfig (none here)."""
        if f.subwords is not None:
            raise ConfigError(
                f"{name} holds a subword (fastText) model: use wordvec.FastText (load, "
                "resume), or `wordvec train --subwords` to resume it from the command line"
            )
        return {}

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Word2Vec:
        """Load a model written by :meth:`save` (refuses checkpoints of a newer format)."""
        return _read(path, want_position=False, cls=cls)[0]


# ---------------------------------------------------------------------- helpers


def _new_vocab(s: Scan, cfg: TrainConfig) -> Vocab:
    """A new vocabulary from a scan, by the configuration's rules (``fit``, ``build_vocab``)."""
    vocab = Vocab.from_counts(
        s.words,
        s.counts,
        min_count=cfg.min_count,
        max_final_vocab=cfg.max_final_vocab,
        n_tokens=s.n_tokens,
        pruned=s.pruned,
    )
    log_vocabulary(vocab, s, min_count=cfg.min_count, max_final_vocab=cfg.max_final_vocab)
    return vocab


def _as_sentences(corpus: Any, cfg: TrainConfig, model: Word2Vec) -> TextCorpus:
    """``corpus`` as a TextCorpus read with ``model``'s ``errors`` and ``tmp_dir`` (one per
    call of fit/train/resume: it is iterated again, and standard input is read once)."""
    if isinstance(corpus, TextCorpus):
        return corpus
    return TextCorpus(
        corpus,
        lowercase=cfg.lowercase,
        max_sentence_length=cfg.max_sentence_length,
        errors=model.errors,
        tmp_dir=model.tmp_dir,
    )


def _check_callbacks(callbacks: Any) -> list[Any]:
    """``callbacks`` as a list, each with an ``on_epoch_begin`` or ``on_epoch_end`` method."""
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        callbacks = [callbacks]  # one callback object
    for cb in callbacks:
        if not (callable(getattr(cb, "on_epoch_begin", None)) or
                callable(getattr(cb, "on_epoch_end", None))):  # fmt: skip
            raise ConfigError(
                f"`callbacks` must hold objects with an on_epoch_begin(model, epoch) or "
                f"on_epoch_end(model, epoch, stats) method; got {cb!r}."
            )
    return list(callbacks)


def _attach_callbacks(model: Word2Vec, trainer, callbacks: list[Any], before: list) -> None:
    """Let ``trainer`` call ``callbacks`` between epochs, with ``model`` showing the
    weights and statistics so far (``before``: those of earlier ``train`` calls)."""

    def call(method: str, *args: Any) -> bool:
        model._wv = None  # the weights changed in place: `wv` is built afresh
        model.epoch_stats_ = before + trainer.history
        model.loss_history_ = [h.mean_loss for h in model.epoch_stats_]
        stop = False
        for cb in callbacks:
            hook = getattr(cb, method, None)
            if callable(hook) and hook(model, *args):
                stop = True
        return stop

    trainer.on_epoch_begin = lambda epoch: call("on_epoch_begin", epoch)
    trainer.on_epoch_end = lambda epoch, stats: call("on_epoch_end", epoch, stats)


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


def _check_checkpointing(checkpoint: Any, checkpoint_every: Any, corpus: Any) -> None:
    """Before any work: a checkpoint that could not be written would lose the run, and
    one written over the corpus would lose the text (the CLI's path checks)."""
    check_output(checkpoint, corpus)
    if checkpoint_every is None:
        return
    _float("checkpoint_every", checkpoint_every, 0.0, None, open_low=True)
    if checkpoint is None:
        raise ConfigError(
            f"`checkpoint_every` needs a `checkpoint` path to write to; got "
            f"checkpoint_every={checkpoint_every!r} and no path."
        )


def _write(model: Word2Vec, path, position, n_words: int, corpus_id=None, extra=None) -> None:
    """Write ``model`` as a model file, or as a checkpoint at ``position`` (``extra``:
    see :func:`~wordvec.files.modelfile.write_model`; default the model's own)."""
    if extra is None:
        extra = model._file_extra()
    write_model(
        path,
        model.config,
        model.vocab_,
        model.w_in_,
        model.w_out_,
        model.loss_history_,
        position=position,
        n_words=n_words,
        corpus=corpus_id,
        extra=extra,
    )


def _read(path, want_position: bool, cls=Word2Vec):
    """``(model, position, n_words, corpus identity)`` from a model (the last three None)
    or, with ``want_position``, a checkpoint file; ``cls`` is Word2Vec or a subclass
    (whose ``_params_from_file`` reads what it stored beside the configuration)."""
    f = read_model(path, checkpoint=want_position)
    stats = [EpochStats(loss_sum=x, loss_terms=1.0) for x in f.loss_history]
    params = dataclasses.asdict(f.config)
    params.update(cls._params_from_file(f, os.fspath(path)))
    m = cls.from_state(f.vocab, f.w_in, f.w_out, epoch_stats=stats, **params)
    return m, f.position, f.n_words, f.corpus
