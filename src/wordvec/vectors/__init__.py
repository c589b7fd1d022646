"""Trained vectors and what is done with them.

:mod:`~wordvec.vectors.queries` (queries as free functions),
:mod:`~wordvec.vectors.keyedvectors` (``KeyedVectors``),
:mod:`~wordvec.vectors.formats` (word2vec text/binary and the native format),
:mod:`~wordvec.vectors.evaluate` (analogy and similarity benchmarks) and
:mod:`~wordvec.vectors.plot` (2-D projections).
"""

from .keyedvectors import ANALOGY_METHODS, KeyedVectors

__all__ = ["KeyedVectors", "ANALOGY_METHODS"]
