"""wordvec: word2vec as Stanford CS224n derives it, and a fast engine held against it.

>>> from wordvec import Word2Vec
>>> model = Word2Vec(model="skipgram", dim=100).fit("corpus.txt")  # doctest: +SKIP
>>> model.wv.most_similar("king", topn=5)  # doctest: +SKIP

The math of the derivation, in NumPy with every gradient checked, is in
:mod:`wordvec.reference`.
"""

from ._version import __version__  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    CorpusError,
    FormatError,
    TrainingError,
    TrainingInterrupted,
    UnknownWordError,
    WordvecError,
)

# The rest is imported on first use (PEP 562): ``import wordvec`` (and so the command
# line, which parses its arguments and names its corpus before anything else) does not
# pay for NumPy and Numba until a name that needs them is used.
_LAZY = {
    "TrainConfig": ".config",
    "TextCorpus": ".text.corpus",
    "default_corpus_path": ".text.corpus",
    "load": ".vectors.formats",
    "save": ".vectors.formats",
    "load_fasttext": ".subwords.fasttext_bin",
    "Word2Vec": ".model",
    "FastText": ".fasttext",
    "Phrases": ".phrases.phrases",
    "FrozenPhrases": ".phrases.phrases",
    "KeyedVectors": ".vectors.keyedvectors",
    "SubwordVectors": ".subwords.keyed",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


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
