"""Training configuration: one frozen dataclass and one place that validates it.

Every numeric option is checked here, before any work starts, and a bad value
gets a message of the form "`window` must be an int >= 1; got 0.".
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import os
from dataclasses import dataclass

import numpy as np

from .errors import ConfigError

__all__ = ["TrainConfig", "MODELS", "LOSSES", "SUBWORD_LOSSES", "check_subword_settings"]

MODELS = ("skipgram", "cbow")
LOSSES = ("neg", "hs", "softmax", "hs+neg")


@dataclass(frozen=True)
class TrainConfig:
    """Every training option, with word2vec C's defaults; :meth:`validate` checks them.

    Allowed ranges: 1 <= dim, epochs, batch_words <= 2**31 - 1; 1 <= window <= 10,000;
    0 <= negative <= 10,000, and >= 1 for loss="neg" and loss="hs+neg" (0 or the default
    for "hs" and "softmax"); min_count >= 1; sample >= 0;
    alpha > 0; 0 <= min_alpha <= alpha; 0 <= threads <= 4096; 0 <= seed < 2**63;
    -10 <= ns_exponent <= 10; max_vocab >= 2; max_final_vocab >= 1;
    2 <= max_sentence_length <= 1,000,000. Floats must be finite.
    """

    model: str = "cbow"  # "cbow" (center from context, word2vec C's default) or "skipgram"
    # "neg" negative sampling, "hs" hierarchical softmax, "softmax" exact, "hs+neg" the sum
    # of hs and neg (word2vec C's -hs 1 -negative K: two output matrices, one input step)
    loss: str = "neg"
    dim: int = 100  # vector dimension d
    window: int = 5  # max distance between center and context word
    negative: int = 5  # K negatives per positive (loss="neg" and "hs+neg" only)
    min_count: int = 5  # words rarer than this are dropped from the vocabulary
    sample: float = 1e-3  # sub-sampling threshold t of word2vec (0 disables)
    epochs: int = 5  # passes over the corpus
    alpha: float | None = None  # start learning rate (None: 0.025 skipgram, 0.05 cbow)
    min_alpha: float | None = None  # floor of the linear decay (None: alpha * 1e-4)
    threads: int = 0  # worker threads (0: all cores)
    seed: int = 1  # seeds initialisation, sampling and windows
    cbow_mean: bool = True  # CBOW hidden layer: mean (True) or sum (False) of context
    ns_exponent: float = 0.75  # noise distribution is counts ** ns_exponent
    shrink_windows: bool = True  # dynamic window: effective width uniform in 1..window
    max_vocab: int | None = 10_000_000  # bound on distinct tokens while counting (prunes)
    max_final_vocab: int | None = None  # keep at most this many most frequent words
    max_sentence_length: int = 10_000  # longer lines are split into pieces of this size
    lowercase: bool = False  # lowercase tokens while reading
    batch_words: int = 10_000  # words per job handed to a worker thread

    # --- derived values -------------------------------------------------
    @property
    def start_alpha(self) -> float:
        if self.alpha is not None:
            return float(self.alpha)
        return 0.05 if self.model == "cbow" else 0.025

    @property
    def end_alpha(self) -> float:
        if self.min_alpha is not None:
            return float(self.min_alpha)
        return self.start_alpha * 1e-4

    @property
    def workers(self) -> int:
        return self.threads if self.threads > 0 else (os.cpu_count() or 1)

    @property
    def uses_negatives(self) -> bool:
        """Whether the objective includes negative sampling ("neg", "hs+neg")."""
        return self.loss in ("neg", "hs+neg")

    @property
    def uses_tree(self) -> bool:
        """Whether the objective includes hierarchical softmax ("hs", "hs+neg")."""
        return self.loss in ("hs", "hs+neg")

    def output_rows(self, n_words: int) -> int:
        """Rows of ``w_out`` for a vocabulary of ``n_words``: V (neg, softmax), V - 1 inner
        nodes of the Huffman tree (hs, at least 1), or both stacked (hs+neg: rows
        [0, V) are negative sampling's output vectors, rows [V, V + V - 1) the tree's)."""
        tree = max(n_words - 1, 1)
        return {"hs": tree, "hs+neg": n_words + tree}.get(self.loss, n_words)

    def replace(self, **changes: object) -> TrainConfig:
        return dataclasses.replace(self, **changes).validate()

    # --- validation -----------------------------------------------------
    def validate(self) -> TrainConfig:
        """Check every field; raise :class:`ConfigError` naming the first bad one. Returns self.

        NumPy scalars are accepted and stored as Python ``int`` / ``float``, so that a
        configuration always serialises to JSON (models and checkpoints).
        """
        _choice("model", self.model, MODELS)
        _choice("loss", self.loss, LOSSES)
        self._set("dim", _int("dim", self.dim, 1))
        self._set("window", _int("window", self.window, 1, MAX_WINDOW))
        self._set("negative", _int("negative", self.negative, 0, MAX_NEGATIVE))
        if self.uses_negatives and self.negative < 1:
            raise ConfigError(
                f"`negative` must be an int >= 1 when loss={self.loss!r}; got {self.negative}. "
                "Use loss='hs' or loss='softmax' for an objective without negatives."
            )
        if not self.uses_negatives and self.negative not in (0, TrainConfig.negative):
            raise ConfigError(
                f"`negative` must be 0 when loss={self.loss!r}; got {self.negative}: "
                "hierarchical softmax and the full softmax draw no negatives (loss='hs+neg' "
                "trains hierarchical softmax and negative sampling together)."
            )
        self._set("min_count", _int("min_count", self.min_count, 1, _INT64_MAX))
        self._set("sample", _float("sample", self.sample, 0.0, None))
        self._set("epochs", _int("epochs", self.epochs, 1))
        if self.alpha is not None:
            self._set("alpha", _float("alpha", self.alpha, 0.0, None, open_low=True))
        if self.min_alpha is not None:
            self._set("min_alpha", _float("min_alpha", self.min_alpha, 0.0, None))
        if self.end_alpha > self.start_alpha:
            raise ConfigError(
                f"`min_alpha` must be a float with 0 <= min_alpha <= alpha ({self.start_alpha}); "
                f"got {self.end_alpha}."
            )
        self._set("threads", _int("threads", self.threads, 0, MAX_THREADS))
        self._set("seed", _int("seed", self.seed, 0, _INT64_MAX))
        self._set(
            "ns_exponent",
            _float("ns_exponent", self.ns_exponent, -MAX_NS_EXPONENT, MAX_NS_EXPONENT),
        )
        if self.max_vocab is not None:
            self._set("max_vocab", _int("max_vocab", self.max_vocab, 2, _INT64_MAX))
        if self.max_final_vocab is not None:
            self._set(
                "max_final_vocab", _int("max_final_vocab", self.max_final_vocab, 1, _INT64_MAX)
            )
        self._set(
            "max_sentence_length",
            _int("max_sentence_length", self.max_sentence_length, 2, MAX_SENTENCE_LENGTH),
        )
        self._set("batch_words", _int("batch_words", self.batch_words, 1))
        for name in ("cbow_mean", "shrink_windows", "lowercase"):
            value = getattr(self, name)
            if not isinstance(value, bool | np.bool_):
                raise ConfigError(f"`{name}` must be a bool; got {value!r}.")
            self._set(name, bool(value))
        return self

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)  # normalising a frozen dataclass in validate()


# Sizes and counts beyond 32 bits are meaningless here (a vector of 2**31 floats),
# and beyond 64 bits would not even reach the compiled kernels: refuse them here.
_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1
# The engine keeps scratch buffers of 2 * window * (dim + negative + 1) floats and
# max_sentence_length ids per thread: these bounds keep them small whatever is
# typed, and lie far beyond any useful setting (word2vec uses 5..20 for both).
MAX_WINDOW = 10_000
MAX_NEGATIVE = 10_000
MAX_SENTENCE_LENGTH = 1_000_000
# One worker thread per core; no machine has more, and creating a thread per
# "1e6" typed by mistake fails inside the engine instead of here.
MAX_THREADS = 4096
# counts ** ns_exponent must stay finite in float64 for counts up to 1e12 or so;
# far beyond +-10 the noise distribution is a point mass anyway.
MAX_NS_EXPONENT = 10.0


#: The objectives a subword (fastText) model trains: fastText has no exact softmax for
#: word vectors and trains one objective at a time.
SUBWORD_LOSSES = ("neg", "hs")


def check_subword_settings(loss: str, cbow_mean: bool) -> None:
    """Refuse what a subword (fastText) model cannot train, in one line (the estimator
    and the command line, before any work)."""
    if loss not in SUBWORD_LOSSES:
        why = {
            "softmax": "fastText has no exact softmax for word vectors",
            "hs+neg": "fastText trains one objective at a time",
        }.get(loss, "not a subword objective")
        raise ConfigError(
            f"`loss` = {loss!r} is not available for FastText ({why}); use 'neg' or 'hs'"
        )
    if not cbow_mean:
        raise ConfigError(
            "`cbow_mean` must be True for FastText: its CBOW input is the mean of all "
            "rows of all context words; got False"
        )


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in allowed:
        opts = ", ".join(repr(a) for a in allowed)
        raise ConfigError(f"`{name}` must be one of {opts}; got {value!r}.")


def _int(name: str, value: object, low: int, high: int = _INT32_MAX) -> int:
    """``value`` as a Python int if it is an integer in [low, high], else ConfigError."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)
    if ok and low <= int(value) <= high:  # type: ignore[call-overload]
        return int(value)  # type: ignore[call-overload]
    if ok and int(value) > high:  # type: ignore[call-overload]
        raise ConfigError(f"`{name}` must be an int with {low} <= {name} <= {high}; got {value!r}.")
    raise ConfigError(f"`{name}` must be an int >= {low}; got {value!r}.")


def _float(
    name: str, value: object, low: float | None, high: float | None, open_low: bool = False
) -> float:
    """``value`` as a finite Python float within the bounds, else ConfigError."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)
    v = math.nan
    if ok:
        try:
            v = float(value)  # type: ignore[arg-type]
        except OverflowError:  # an int beyond the float range
            ok = False
        ok = ok and math.isfinite(v)
        if ok and low is not None:
            ok = v > low if open_low else v >= low
        if ok and high is not None:
            ok = v <= high
    if not ok:
        rel = ">" if open_low else ">="
        if low is not None and high is not None:
            rng = f"a finite float with {low} {'<' if open_low else '<='} {name} <= {high}"
        elif low is not None:
            rng = f"a finite float {rel} {low}"
        else:
            rng = "a finite float"
        raise ConfigError(f"`{name}` must be {rng}; got {value!r}.")
    return v
