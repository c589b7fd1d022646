"""Training configuration: one frozen dataclass and one place that validates it.

Every numeric option is checked here, before any work starts, and a bad value
gets a message of the form "`window` must be an int >= 1; got 0.".
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass

from .errors import ConfigError

__all__ = ["TrainConfig", "MODELS", "LOSSES"]

MODELS = ("skipgram", "cbow")
LOSSES = ("neg", "hs", "softmax")


@dataclass(frozen=True)
class TrainConfig:
    model: str = "cbow"  # "cbow" (center from context, word2vec C's default) or "skipgram"
    loss: str = "neg"  # "neg" negative sampling, "hs" hierarchical softmax, "softmax" exact
    dim: int = 100  # vector dimension d
    window: int = 5  # max distance between center and context word
    negative: int = 5  # K negatives per positive (loss="neg" only)
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

    def replace(self, **changes: object) -> TrainConfig:
        return dataclasses.replace(self, **changes).validate()

    # --- validation -----------------------------------------------------
    def validate(self) -> TrainConfig:
        """Check every field; raise :class:`ConfigError` naming the first bad one. Returns self."""
        _choice("model", self.model, MODELS)
        _choice("loss", self.loss, LOSSES)
        _int("dim", self.dim, 1)
        _int("window", self.window, 1)
        _int("negative", self.negative, 0)
        if self.loss == "neg" and self.negative < 1:
            raise ConfigError(
                f"`negative` must be an int >= 1 when loss='neg'; got {self.negative}. "
                "Use loss='hs' or loss='softmax' for an objective without negatives."
            )
        if self.loss != "neg" and self.negative not in (0, TrainConfig.negative):
            raise ConfigError(
                f"`negative` must be 0 when loss={self.loss!r}; got {self.negative}: "
                "negative sampling, hierarchical softmax and full softmax are exclusive objectives."
            )
        _int("min_count", self.min_count, 1)
        _float("sample", self.sample, 0.0, None)
        _int("epochs", self.epochs, 1)
        if self.alpha is not None:
            _float("alpha", self.alpha, 0.0, None, open_low=True)
        if self.min_alpha is not None:
            _float("min_alpha", self.min_alpha, 0.0, None)
        if self.end_alpha > self.start_alpha:
            raise ConfigError(
                f"`min_alpha` must be a float with 0 <= min_alpha <= alpha ({self.start_alpha}); "
                f"got {self.end_alpha}."
            )
        _int("threads", self.threads, 0)
        _int("seed", self.seed, 0)
        _float("ns_exponent", self.ns_exponent, None, None)
        if self.max_vocab is not None:
            _int("max_vocab", self.max_vocab, 2)
        if self.max_final_vocab is not None:
            _int("max_final_vocab", self.max_final_vocab, 1)
        _int("max_sentence_length", self.max_sentence_length, 2)
        _int("batch_words", self.batch_words, 1)
        return self


def _choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        opts = ", ".join(repr(a) for a in allowed)
        raise ConfigError(f"`{name}` must be one of {opts}; got {value!r}.")


def _int(name: str, value: object, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ConfigError(f"`{name}` must be an int >= {low}; got {value!r}.")


def _float(
    name: str, value: object, low: float | None, high: float | None, open_low: bool = False
) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok:
        v = float(value)  # type: ignore[arg-type]
        ok = math.isfinite(v)
        if ok and low is not None:
            ok = v > low if open_low else v >= low
        if ok and high is not None:
            ok = v <= high
    if not ok:
        rel = ">" if open_low else ">="
        rng = f"a finite float {rel} {low}" if low is not None else "a finite float"
        raise ConfigError(f"`{name}` must be {rng}; got {value!r}.")
