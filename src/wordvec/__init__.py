"""wordvec: word2vec as Stanford CS224n derives it, and a fast engine held against it.

>>> from wordvec import Word2Vec
>>> model = Word2Vec(model="skipgram", dim=100).fit("corpus.txt")  # doctest: +SKIP
>>> model.wv.most_similar("king", topn=5)  # doctest: +SKIP

The math of the derivation, in NumPy with every gradient checked, is in
:mod:`wordvec.reference`.
"""

from ._version import __version__  # noqa: E402
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
from .fasttext import FastText  # noqa: E402
from .model import Word2Vec  # noqa: E402
from .phrases.phrases import FrozenPhrases, Phrases  # noqa: E402
from .subwords.fasttext_bin import load_fasttext  # noqa: E402
from .subwords.keyed import SubwordVectors  # noqa: E402
from .text.corpus import TextCorpus, default_corpus_path  # noqa: E402
from .vectors.formats import load, save  # noqa: E402
from .vectors.keyedvectors import KeyedVectors  # noqa: E402

__all__ = [
    "__version__",
    "Word2Vec",
    "FastText",
    "KeyedVectors",
    "SubwordVectors",
    "load_fasttext",
    "Phrases",
    "FrozenPhrases",
    "TrainConfig",
    "TextCorpus",
    "default_corpus_path",
    "load",
    "save",
    "WordvecError",
    "ConfigError",
    "CorpusError",
    "FormatError",
    "UnknownWordError",
    "TrainingError",
    "TrainingInterrupted",
]
