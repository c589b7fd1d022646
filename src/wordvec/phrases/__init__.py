"""Phrases: join frequent word pairs ("new york" -> "new_york") before training.

:mod:`~wordvec.phrases.kernels` (compiled counting, scoring, applying),
:mod:`~wordvec.phrases.stream` (id streams and counting layers over a scan),
:mod:`~wordvec.phrases.file` (reading phrase model files) and
:mod:`~wordvec.phrases.phrases` (``Phrases``, the estimator users call).
"""

from .phrases import (
    ENGLISH_CONNECTOR_WORDS,
    SCORERS,
    FrozenPhrases,
    PhrasedCorpus,
    Phrases,
    TransformedCorpus,
    load,
)

__all__ = [
    "Phrases",
    "FrozenPhrases",
    "TransformedCorpus",
    "PhrasedCorpus",
    "ENGLISH_CONNECTOR_WORDS",
    "SCORERS",
    "load",
]
