"""The few exception types wordvec raises.

Library code raises these; only the CLI turns them into a one-line message and
a non-zero exit code. Every message names the problem: the parameter and the
value given, or the file and the line / byte offset.
"""

from __future__ import annotations

__all__ = [
    "WordvecError",
    "ConfigError",
    "CorpusError",
    "FormatError",
    "UnknownWordError",
    "TrainingError",
    "TrainingInterrupted",
]


class WordvecError(Exception):
    """Base class of every error wordvec raises on purpose."""


class ConfigError(WordvecError, ValueError):
    """A parameter is outside its allowed range, e.g. "`window` must be an int >= 1; got 0."."""


class CorpusError(WordvecError, ValueError):
    """The training text cannot be used: unreadable file, invalid UTF-8, empty corpus, ..."""


class FormatError(WordvecError, ValueError):
    """A vectors / model / checkpoint / evaluation file is malformed, truncated or corrupt."""


class UnknownWordError(WordvecError, KeyError):
    """A word is not in the vocabulary. Subclasses KeyError so ``except KeyError`` works."""

    def __init__(self, word: str, what: str = "vocabulary", suggestion: str | None = None) -> None:
        super().__init__(word)
        self.word = word
        self.what = what
        self.suggestion = suggestion  # a word that is there, e.g. the same word in lower case

    def __str__(self) -> str:  # KeyError would print repr(args) instead
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion is not None else ""
        return f"word {self.word!r} is not in the {self.what}{hint}"


class TrainingError(WordvecError, RuntimeError):
    """Training cannot go on, e.g. the loss or the weights became non-finite."""


class TrainingInterrupted(WordvecError):
    """Training was stopped by SIGINT / SIGTERM in ``epoch`` (1-based) of ``epochs``; a
    checkpoint was written to ``checkpoint`` (None: none was asked for)."""

    def __init__(
        self, message: str, checkpoint: str | None = None, epoch: int = 0, epochs: int = 0
    ) -> None:
        super().__init__(message)
        self.checkpoint = checkpoint
        self.epoch = epoch
        self.epochs = epochs
