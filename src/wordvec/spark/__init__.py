"""wordvec on Apache Spark: Spark reads, counts, partitions and ships the data; the
executors run wordvec's compiled kernels.

>>> from wordvec.spark import Word2Vec
>>> model = Word2Vec(model="skipgram", partitions=4).fit("hdfs:///corpus/")  # doctest: +SKIP

``Word2Vec.fit`` returns a fitted :class:`wordvec.Word2Vec`; :mod:`wordvec.spark.ml`
has the Spark ML pipeline stage (``transform``, ``findSynonyms``). This package is
the only part of wordvec that imports pyspark (``pip install "wordvec[spark]"``).
"""

from ..errors import WordvecError


class SparkUnavailable(WordvecError, ImportError):
    """pyspark is not installed (the CLI reports it in one line)."""


try:
    import pyspark  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise SparkUnavailable(
        "wordvec's Spark training needs pyspark (and Java 17+): pip install 'wordvec[spark]'"
    ) from exc

from .estimator import Word2Vec  # noqa: E402

__all__ = ["Word2Vec", "SparkUnavailable"]
