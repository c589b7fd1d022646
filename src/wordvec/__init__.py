"""wordvec: word2vec as Stanford CS224n derives it, and a fast engine held against it."""

__version__ = "0.1.0"

from .config import TrainConfig  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    CorpusError,
    FormatError,
    TrainingError,
    TrainingInterrupted,
    UnknownWordError,
    WordvecError,
)

__all__ = [
    "__version__",
    "TrainConfig",
    "WordvecError",
    "ConfigError",
    "CorpusError",
    "FormatError",
    "UnknownWordError",
    "TrainingError",
    "TrainingInterrupted",
]
