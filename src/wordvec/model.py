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
import math
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

from .config import TrainConfig, _float
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
        _check_checkpointing(checkpoint, checkpoint_every)
        sentences = _as_sentences(corpus, cfg)
        s = _scan(sentences, cfg, self.tmp_dir)
        try:
            vocab, remap = build(s, min_count=cfg.min_count, max_final_vocab=cfg.max_final_vocab)
            if s.cache is None:  # pruned while counting: encode again with the final vocabulary
                encoded = EncodedCorpus.encode(sentences, vocab, self.tmp_dir)  # re-reads
            else:
                encoded = EncodedCorpus(s.cache, remap, vocab.total)
            self._init_weights(vocab, cfg)
            self.epoch_stats_ = []
            self._train(
                encoded, cfg, None, checkpoint, checkpoint_every, handle_signals, _corpus_id(s)
            )
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
        s = _scan(_as_sentences(corpus, cfg), cfg, self.tmp_dir)
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
                    rng = np.random.default_rng([cfg.seed, len(self.vocab_)])
                    rows = _input_rows(rng, len(fresh), cfg.dim)
                    self.w_in_ = np.vstack([self.w_in_, rows])
                    self.w_out_ = np.vstack(
                        [self.w_out_, np.zeros((len(fresh), cfg.dim), np.float32)]
                    )
            known = _ids_in(s, vocab)
            hit = known >= 0
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
                encoded = EncodedCorpus(s.cache, _remap(known), n_words)
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
        tmp_dir: str | None = None,
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
        ``checkpoint_every`` and ``tmp_dir`` are as for :meth:`fit` and the constructor;
        every training option comes from the checkpoint.
        """
        _check_checkpointing(checkpoint, checkpoint_every)
        self, position, n_words, corpus_id = _read(checkpoint, want_position=True)
        self.progress = progress
        self.tmp_dir = tmp_dir
        cfg = self.config
        name = os.fspath(checkpoint)
        sentences = _as_sentences(corpus, cfg)
        s = _scan(sentences, cfg, self.tmp_dir)
        try:
            known = _ids_in(s, self.vocab_)
            _check_same_corpus(s, known, self.vocab_, corpus_id, name)
            if s.cache is None:  # pruned while counting: fit re-encoded the text too
                encoded = EncodedCorpus.encode(sentences, self.vocab_, self.tmp_dir)
            else:  # the very id cache fit trained from, so the same job boundaries
                encoded = EncodedCorpus(s.cache, _remap(known), self.vocab_.total)
            if encoded.n_words != n_words:
                raise CorpusError(
                    f"the corpus has {encoded.n_words} in-vocabulary words but the checkpoint "
                    f"{name!r} was trained on {n_words}: resume needs the same corpus"
                )
            self._train(
                encoded, cfg, position, checkpoint, checkpoint_every, handle_signals, corpus_id
            )
        finally:
            if s.cache is not None:
                s.cache.close()
        return self

    def _init_weights(self, vocab: Vocab, cfg: TrainConfig) -> None:
        # word2vec C: input vectors uniform in [-0.5/d, 0.5/d), output vectors zero
        rng = np.random.default_rng(cfg.seed)
        v = len(vocab)
        rows = max(v - 1, 1) if cfg.loss == "hs" else v
        try:
            w_in = _input_rows(rng, v, cfg.dim)
            w_out = np.zeros((rows, cfg.dim), dtype=np.float32)
        except MemoryError:
            gib = (v + rows) * cfg.dim * 4 / 2**30
            raise ConfigError(
                f"`dim` = {cfg.dim} with {v} vocabulary words needs {gib:.1f} GiB for the two "
                "weight matrices, more than this machine can allocate; lower `dim`, or shrink "
                "the vocabulary with a higher `min_count` or a `max_final_vocab`"
            ) from None
        self.vocab_ = vocab
        self.w_in_, self.w_out_ = w_in, w_out

    def _train(
        self, encoded, cfg, position, checkpoint, checkpoint_every, handle_signals, corpus_id=None
    ):
        from .engine.train import Interrupted, Trainer
        from .progress import ProgressDisplay

        bar = ProgressDisplay() if self.progress else None
        stop = threading.Event()
        trainer = Trainer(cfg, self.vocab_, self.w_in_, self.w_out_, progress=bar, stop=stop)
        trainer.history = list(self.epoch_stats_)
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
                    f"Word2Vec.resume({path!r}, corpus) or "
                    f"`wordvec train CORPUS -o OUTPUT --resume {path}`",
                    checkpoint=path,
                    epoch=epoch,
                    epochs=cfg.epochs,
                )
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
        loss history) in wordvec's native container format, atomically: JSON and raw
        arrays only, nothing that could run code when loaded."""
        self._check_fitted()
        _write(self, path, None, self.vocab_.total)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Word2Vec:
        """Load a model written by :meth:`save` (refuses checkpoints of a newer format)."""
        return _read(path, want_position=False)[0]


# ---------------------------------------------------------------------- helpers


def _scan(sentences, cfg: TrainConfig, tmp_dir: str | None):
    """Count and encode: the compiled path for text files, else the Python one (same result)."""
    from .fastscan import scan_files

    fast = scan_files(sentences, max_vocab=cfg.max_vocab, tmp_dir=tmp_dir)
    return fast if fast is not None else scan(sentences, max_vocab=cfg.max_vocab, tmp_dir=tmp_dir)


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


def _check_checkpointing(checkpoint: Any, checkpoint_every: Any) -> None:
    """Before any work: a checkpoint that could not be written would lose the run."""
    if checkpoint is not None:
        parent = os.path.dirname(os.path.abspath(checkpoint))
        if not os.path.isdir(parent):
            raise ConfigError(
                f"`checkpoint` directory {parent!r} does not exist; got {os.fspath(checkpoint)!r}."
            )
    if checkpoint_every is None:
        return
    _float("checkpoint_every", checkpoint_every, 0.0, None, open_low=True)
    if checkpoint is None:
        raise ConfigError(
            f"`checkpoint_every` needs a `checkpoint` path to write to; got "
            f"checkpoint_every={checkpoint_every!r} and no path."
        )


def _corpus_id(s) -> dict[str, Any]:
    """What identifies the text a scan read: token and sentence counts, id-stream CRC."""
    return {
        "tokens": int(s.n_tokens),
        "sentences": int(s.n_sentences),
        "crc32": int(s.fingerprint),
    }


def _input_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    """word2vec C's initial input vectors: float32, uniform in [-0.5/dim, 0.5/dim)."""
    rows = rng.random((n, dim), dtype=np.float32)
    rows -= 0.5
    rows /= dim
    return rows


def _ids_in(s, vocab: Vocab) -> np.ndarray:
    """Each word of scan ``s`` as its id in ``vocab`` (int64), -1 for a word not in it."""
    index = vocab.index
    return np.array([index.get(w, -1) for w in s.words], dtype=np.int64)


def _remap(known: np.ndarray) -> np.ndarray:
    """The id-cache remap (see :func:`vocab.build`) from :func:`_ids_in`'s ids."""
    remap = np.full(len(known) + 1, DROPPED, dtype=np.int32)
    hit = known >= 0
    remap[:-1][hit] = known[hit]
    remap[-1] = SENTENCE_END
    return remap


def _check_same_corpus(
    s, known: np.ndarray, vocab: Vocab, corpus_id: dict[str, Any] | None, name: str
) -> None:
    """Raise CorpusError unless scan ``s`` (its words' ids in ``vocab``: ``known``) read
    the text the checkpoint was trained on."""
    counts = np.zeros(len(vocab), dtype=np.int64)
    hit = known >= 0
    counts[known[hit]] = s.counts[hit]
    differs = np.flatnonzero(counts != vocab.counts)
    if differs.size:
        i = int(differs[0])
        raise CorpusError(
            f"this corpus is not the one the checkpoint {name!r} was trained on: "
            f"{vocab.words[i]!r} occurs {counts[i]} times in it, {vocab.counts[i]} times in "
            "the checkpoint's corpus; resume needs the same corpus"
        )
    if corpus_id is not None and corpus_id != _corpus_id(s):
        raise CorpusError(
            f"this corpus is not the one the checkpoint {name!r} was trained on: the word "
            f"counts agree, but not the text ({s.n_tokens} tokens in {s.n_sentences} "
            f"sentences here, {corpus_id.get('tokens')} in {corpus_id.get('sentences')} "
            "there, or another order); resume needs the same corpus"
        )


def _write(model: Word2Vec, path, position, n_words: int, corpus_id=None) -> None:
    from .formats import encode_strings, write_container

    blob, offsets = encode_strings(model.vocab_.words)
    meta = {
        "kind": "checkpoint" if position is not None else "model",
        "model_format_version": MODEL_FORMAT_VERSION,
        "config": dataclasses.asdict(model.config),  # validated: plain ints, floats, str
        "n_words": int(n_words),
        # an epoch without a single prediction (e.g. one-word sentences) has a NaN mean
        # loss, which JSON cannot hold: it is stored as null
        "loss_history": [float(x) if math.isfinite(x) else None for x in model.loss_history_],
        "position": None if position is None else dataclasses.asdict(position),
    }
    if position is not None and corpus_id is not None:
        meta["corpus"] = corpus_id
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
    words = decode_strings(arrays["words_blob"], arrays["words_offsets"], source=name)
    raw_counts = arrays["counts"]
    if raw_counts.dtype.kind not in "iu":
        raise FormatError(f"{name}: 'counts' must be an int array; got {raw_counts.dtype}")
    counts = np.asarray(raw_counts, dtype=np.int64)
    w_in = _float32_matrix(arrays["w_in"], name, "w_in")
    w_out = _float32_matrix(arrays["w_out"], name, "w_out")
    v = len(words)
    out_rows = max(v - 1, 1) if cfg.loss == "hs" else v
    if counts.shape != (v,) or w_in.shape != (v, cfg.dim) or w_out.shape != (out_rows, cfg.dim):
        raise FormatError(
            f"{name}: array shapes disagree: {v} words, counts {counts.shape}, "
            f"w_in {w_in.shape}, w_out {w_out.shape}, dim {cfg.dim}"
        )
    if v == 0:
        raise FormatError(f"{name}: the vocabulary is empty")
    if len(set(words)) != v:
        raise FormatError(f"{name}: the vocabulary has duplicate words")
    # Every word of a trained vocabulary was seen at least once, and the counts feed
    # sums (the Huffman tree, sub-sampling) that must not overflow int64: a corrupt
    # count would otherwise surface much later, as garbage or a hang in training.
    if counts.min() < 1 or int(counts.sum(dtype=object)) >= _MAX_TOTAL:
        raise FormatError(f"{name}: word counts must be >= 1 and sum to less than {_MAX_TOTAL}")
    if cfg.loss == "hs" and np.any(np.diff(counts) > 0):
        raise FormatError(
            f"{name}: hierarchical softmax needs the words sorted by descending count; "
            "the counts are corrupt"
        )
    m = Word2Vec(**dataclasses.asdict(cfg))
    m.vocab_ = Vocab(words, counts)
    m.w_in_, m.w_out_ = w_in, w_out
    history = meta.get("loss_history") or []
    if not isinstance(history, list) or not all(x is None or _is_number(x) for x in history):
        raise FormatError(f"{name}: malformed loss history")
    m.loss_history_ = [math.nan if x is None else float(x) for x in history]
    m.epoch_stats_ = [EpochStats(loss_sum=x, loss_terms=1.0) for x in m.loss_history_]
    pos = meta.get("position")
    if want_position:
        if kind != "checkpoint" or not isinstance(pos, dict):
            raise FormatError(f"{name}: not a checkpoint (a finished model cannot be resumed)")
        epoch, job = pos.get("epoch"), pos.get("job")
        if not (_is_int(epoch) and _is_int(job) and 0 <= epoch < cfg.epochs and job >= 0):
            raise FormatError(
                f"{name}: schedule position {pos!r} must name an epoch in 0..{cfg.epochs - 1} "
                "and a job >= 0"
            )
        if len(m.loss_history_) != epoch:
            raise FormatError(
                f"{name}: the checkpoint stopped in epoch {epoch} but records the loss of "
                f"{len(m.loss_history_)} finished epochs"
            )
        n_words = meta.get("n_words")
        if not _is_int(n_words) or n_words < 1:
            raise FormatError(f"{name}: malformed n_words {n_words!r}")
        corpus_id = meta.get("corpus")
        if corpus_id is not None and (
            not isinstance(corpus_id, dict)
            or set(corpus_id) != {"tokens", "sentences", "crc32"}
            or not all(_is_int(x) for x in corpus_id.values())
        ):
            raise FormatError(f"{name}: malformed corpus identity {corpus_id!r}")
        partial = pos.get("partial", [0.0, 0.0, 0.0, 0.0])
        if not (
            isinstance(partial, list)
            and len(partial) == 4
            and all(isinstance(x, int | float) and math.isfinite(x) and x >= 0 for x in partial)
        ):
            raise FormatError(f"{name}: malformed partial-epoch statistics {partial!r}")
        return m, Position(epoch, job, tuple(float(x) for x in partial)), n_words, corpus_id
    return m, None, None, None


_MAX_TOTAL = 2**62


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: Any) -> bool:
    """A JSON number that fits a float (json.loads gives ints of any size)."""
    return isinstance(x, float) or (_is_int(x) and abs(x) < 2**1000)


def _float32_matrix(arr: np.ndarray, name: str, key: str) -> np.ndarray:
    """A stored weight matrix as float32; refuses non-float data and non-finite values."""
    if arr.dtype.kind != "f" or arr.ndim != 2:
        raise FormatError(f"{name}: {key!r} must be a 2-D float array; got {arr.dtype} {arr.shape}")
    with np.errstate(over="ignore"):
        out = np.array(arr, dtype=np.float32)
    if not np.isfinite(out).all():  # (float64 beyond the float32 range becomes inf here)
        raise FormatError(f"{name}: {key!r} holds non-finite values (or values beyond float32)")
    return out
