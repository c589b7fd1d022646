"""A Spark ML pipeline stage: ``Word2Vec`` (an Estimator) and ``Word2VecModel``.

For Spark users, in the shape of ``pyspark.ml.feature.Word2Vec``: the same
parameter names (``inputCol``, ``outputCol``, ``vectorSize``, ``windowSize``,
``minCount``, ``numPartitions``, ``maxIter``, ``stepSize``, ``seed``,
``maxSentenceLength``) plus wordvec's (``model``, ``loss``, ``negative``,
``sample``, ``syncEvery``, ...), with MLlib's defaults and algorithm unless wordvec's
own parameters ask otherwise: skip-gram with hierarchical softmax, no sub-sampling,
``vectorSize`` 100, ``windowSize`` 5, ``minCount`` 5, ``stepSize`` 0.025, ``maxIter``
1, ``numPartitions`` 1, ``maxSentenceLength`` 1000 (``model="cbow"`` without a
``stepSize`` trains at wordvec's CBOW rate, 0.05). The fitted model transforms a
column of tokens (array<string>; a string column is split on whitespace) as MLlib's
does: the sum of its known tokens' vectors divided by the number of all its tokens
(unknown ones included), a zero vector for an empty row; it has ``findSynonyms``,
``findSynonymsArray`` and ``getVectors``. Both stages save and load like MLlib's
(``save``, ``load``, inside a saved ``PipelineModel``); the vectors are stored as
Parquet next to the parameters.

>>> from pyspark.ml import Pipeline
>>> from wordvec.spark.ml import Word2Vec
>>> w2v = Word2Vec(inputCol="tokens", outputCol="features", model="skipgram")  # doctest: +SKIP
>>> model = Pipeline(stages=[tokenizer, w2v]).fit(df)  # doctest: +SKIP
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from pyspark import keyword_only
from pyspark.ml import Estimator, Model
from pyspark.ml.linalg import DenseVector, Vectors, VectorUDT
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.param.shared import HasInputCol, HasMaxIter, HasOutputCol, HasSeed, HasStepSize
from pyspark.ml.util import (
    DefaultParamsReadable,
    DefaultParamsReader,
    DefaultParamsWritable,
    DefaultParamsWriter,
    MLReadable,
    MLReader,
    MLWritable,
    MLWriter,
)
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, FloatType, LongType, StringType, StructField, StructType

from ..errors import ConfigError, FormatError
from ..vectors.keyedvectors import KeyedVectors
from .estimator import Word2Vec as _SparkWord2Vec

__all__ = ["Word2Vec", "Word2VecModel"]


def _param(name: str, doc: str, conv) -> Param:
    return Param(Params._dummy(), name, doc, typeConverter=conv)


class _Params(HasInputCol, HasOutputCol, HasMaxIter, HasStepSize, HasSeed):
    """Parameters shared by the estimator and the model."""

    vectorSize = _param("vectorSize", "dimension of the vectors (dim)", TypeConverters.toInt)
    windowSize = _param("windowSize", "max distance of a context word", TypeConverters.toInt)
    minCount = _param("minCount", "words rarer than this are dropped", TypeConverters.toInt)
    numPartitions = _param(
        "numPartitions",
        "partitions trained in parallel (0: the session's default parallelism)",
        TypeConverters.toInt,
    )
    maxSentenceLength = _param(
        "maxSentenceLength", "longer sentences are cut into pieces", TypeConverters.toInt
    )
    model = _param("model", "'skipgram' or 'cbow'", TypeConverters.toString)
    loss = _param("loss", "'neg' (negative sampling) or 'hs'", TypeConverters.toString)
    negative = _param("negative", "negatives per word for loss='neg'", TypeConverters.toInt)
    sample = _param("sample", "sub-sampling threshold (0 disables)", TypeConverters.toFloat)
    minStepSize = _param(
        "minStepSize", "final learning rate (-1: stepSize * 1e-4)", TypeConverters.toFloat
    )
    syncEvery = _param(
        "syncEvery",
        "words per partition between synchronisations (0: 16M / partitions**2)",
        TypeConverters.toInt,
    )
    lowercase = _param("lowercase", "lowercase tokens", TypeConverters.toBoolean)
    maxFinalVocab = _param(
        "maxFinalVocab", "keep at most this many words (0: no limit)", TypeConverters.toInt
    )

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._setDefault(  # MLlib's, for its names; its algorithm for wordvec's
            vectorSize=100,
            windowSize=5,
            minCount=5,
            numPartitions=1,
            maxIter=1,
            stepSize=0.025,
            maxSentenceLength=1000,
            seed=1,
            model="skipgram",
            loss="hs",
            negative=5,  # with loss="neg"
            sample=0.0,
            minStepSize=-1.0,
            syncEvery=0,
            lowercase=False,
            maxFinalVocab=0,
        )

    # MLlib's getters
    def getVectorSize(self) -> int:
        return self.getOrDefault(self.vectorSize)

    def getWindowSize(self) -> int:
        return self.getOrDefault(self.windowSize)

    def getMinCount(self) -> int:
        return self.getOrDefault(self.minCount)

    def getNumPartitions(self) -> int:
        return self.getOrDefault(self.numPartitions)

    def getMaxSentenceLength(self) -> int:
        return self.getOrDefault(self.maxSentenceLength)

    # wordvec's
    def getModel(self) -> str:
        return self.getOrDefault(self.model)

    def getLoss(self) -> str:
        return self.getOrDefault(self.loss)

    def getNegative(self) -> int:
        return self.getOrDefault(self.negative)

    def getSample(self) -> float:
        return self.getOrDefault(self.sample)

    def getMinStepSize(self) -> float:
        return self.getOrDefault(self.minStepSize)

    def getSyncEvery(self) -> int:
        return self.getOrDefault(self.syncEvery)

    def getLowercase(self) -> bool:
        return self.getOrDefault(self.lowercase)

    def getMaxFinalVocab(self) -> int:
        return self.getOrDefault(self.maxFinalVocab)

    def _wordvec_params(self) -> dict[str, Any]:
        """The parameters of :class:`wordvec.spark.Word2Vec` these Params stand for."""
        get = self.getOrDefault
        loss = get(self.loss)
        return {
            "model": get(self.model),
            "loss": loss,
            "dim": get(self.vectorSize),
            "window": get(self.windowSize),
            "negative": get(self.negative) if loss == "neg" else 0,
            "min_count": get(self.minCount),
            "sample": get(self.sample),
            "epochs": get(self.maxIter),
            # stepSize's default is MLlib's skip-gram rate; CBOW keeps wordvec's unless set
            "alpha": get(self.stepSize)
            if self.isSet(self.stepSize) or get(self.model) == "skipgram"
            else None,
            "min_alpha": None if get(self.minStepSize) < 0 else get(self.minStepSize),
            "seed": get(self.seed),
            "max_sentence_length": get(self.maxSentenceLength),
            "lowercase": get(self.lowercase),
            "max_final_vocab": get(self.maxFinalVocab) or None,
            "partitions": get(self.numPartitions) or None,
            "sync_every": get(self.syncEvery) or None,
        }


class Word2Vec(Estimator, _Params, DefaultParamsReadable, DefaultParamsWritable):
    """wordvec's Word2Vec as a Spark ML Estimator; ``fit`` gives a :class:`Word2VecModel`.

    ``inputCol`` is a string column (lines of text) or an array<string> column
    (tokens); training is :class:`wordvec.spark.Word2Vec`.
    """

    @keyword_only
    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        self._set(**self._input_kwargs)

    @keyword_only
    def setParams(self, **kwargs: Any) -> Word2Vec:
        """Set any of the parameters by name (``inputCol=...``, ``vectorSize=...``)."""
        return self._set(**self._input_kwargs)

    # MLlib's setters (any parameter: setParams)
    def setInputCol(self, value: str) -> Word2Vec:
        return self._set(inputCol=value)

    def setOutputCol(self, value: str) -> Word2Vec:
        return self._set(outputCol=value)

    def setVectorSize(self, value: int) -> Word2Vec:
        return self._set(vectorSize=value)

    def setWindowSize(self, value: int) -> Word2Vec:
        return self._set(windowSize=value)

    def setMinCount(self, value: int) -> Word2Vec:
        return self._set(minCount=value)

    def setNumPartitions(self, value: int) -> Word2Vec:
        return self._set(numPartitions=value)

    def setMaxIter(self, value: int) -> Word2Vec:
        return self._set(maxIter=value)

    def setStepSize(self, value: float) -> Word2Vec:
        return self._set(stepSize=value)

    def setSeed(self, value: int) -> Word2Vec:
        return self._set(seed=value)

    def setMaxSentenceLength(self, value: int) -> Word2Vec:
        return self._set(maxSentenceLength=value)

    def _fit(self, dataset: DataFrame) -> Word2VecModel:
        if not self.isDefined(self.inputCol):
            raise ConfigError("`inputCol` must be set: the column of text or tokens to train on")
        spark = dataset.sparkSession
        fitted = _SparkWord2Vec(**self._wordvec_params(), spark=spark).fit(
            dataset, input_col=self.getInputCol()
        )
        model = Word2VecModel._of(fitted.wv, lowercase=self.getOrDefault(self.lowercase))
        model.fitted_ = fitted
        return self._copyValues(model)


class Word2VecModel(Model, _Params, MLReadable, MLWritable):
    """Word vectors as a Spark ML Transformer: averaged vectors, synonyms.

    Build one from a fit, from :meth:`load`, or from any vectors with
    :meth:`from_vectors` (a fitted :class:`wordvec.Word2Vec`, its ``.wv``, or a
    :class:`wordvec.KeyedVectors` loaded from a file).
    """

    def __init__(self) -> None:
        super().__init__()
        self._kv: KeyedVectors | None = None
        self.fitted_ = None  # the wordvec.Word2Vec of a fit (both matrices, loss history)

    @classmethod
    def _of(cls, kv: KeyedVectors, lowercase: bool = False) -> Word2VecModel:
        model = cls()
        model._kv = kv
        model._set(vectorSize=kv.dim, lowercase=lowercase)
        return model

    @classmethod
    def from_vectors(
        cls,
        vectors: Any,
        inputCol: str | None = None,
        outputCol: str | None = None,  # noqa: N803
    ) -> Word2VecModel:
        """A model over trained vectors (:class:`wordvec.Word2Vec` or KeyedVectors)."""
        kv = getattr(vectors, "wv", vectors)
        if not isinstance(kv, KeyedVectors):
            raise ConfigError(
                f"`vectors` must be a fitted wordvec.Word2Vec or a KeyedVectors; "
                f"got {type(vectors).__name__}."
            )
        lowercase = bool(getattr(vectors, "lowercase", False))
        model = cls._of(kv, lowercase=lowercase)
        if inputCol is not None:
            model._set(inputCol=inputCol)
        if outputCol is not None:
            model._set(outputCol=outputCol)
        return model

    # ---------------------------------------------------------------- the vectors
    @property
    def wv(self) -> KeyedVectors:
        """The vectors as :class:`wordvec.KeyedVectors` (queries on the driver)."""
        if self._kv is None:
            raise ConfigError("this Word2VecModel holds no vectors (it was not fitted or loaded)")
        return self._kv

    def setInputCol(self, value: str) -> Word2VecModel:
        return self._set(inputCol=value)

    def setOutputCol(self, value: str) -> Word2VecModel:
        return self._set(outputCol=value)

    def getVectors(self) -> DataFrame:
        """The vectors as a DataFrame of (word: string, vector: vector), most frequent first."""
        schema = StructType([StructField("word", StringType()), StructField("vector", VectorUDT())])
        spark = SparkSession.active()
        rows = _vector_rows(spark, self.wv).map(lambda r: (r[1], Vectors.dense(r[3])))
        return spark.createDataFrame(rows, schema)

    def findSynonymsArray(self, word: str | Any, num: int) -> list[tuple[str, float]]:
        """The ``num`` words most similar (cosine) to ``word`` (a str, itself excluded, or a
        vector), as (word, similarity) pairs."""
        kv = self.wv
        if isinstance(word, str):
            query: Any = word.lower() if self.getOrDefault(self.lowercase) else word
        else:
            query = np.asarray(word.toArray() if hasattr(word, "toArray") else word, np.float32)
        return [(w, float(s)) for w, s in kv.most_similar(query, topn=num)]

    def findSynonyms(self, word: str | Any, num: int) -> DataFrame:
        """:meth:`findSynonymsArray` as a DataFrame of (word: string, similarity: double)."""
        pairs = self.findSynonymsArray(word, num)
        return SparkSession.active().createDataFrame(pairs, "word string, similarity double")

    # ---------------------------------------------------------------- transform
    def _transform(self, dataset: DataFrame) -> DataFrame:
        kv = self.wv
        col = self.getInputCol()
        kind = dataset.schema[col].dataType
        is_text = isinstance(kind, StringType)
        if not (
            is_text or (isinstance(kind, ArrayType) and isinstance(kind.elementType, StringType))
        ):
            raise ConfigError(
                f"column {col!r} is {kind.simpleString()}; it must be array<string> (tokens) "
                "or string (text, split on whitespace)"
            )
        spark = dataset.sparkSession
        bc = spark.sparkContext.broadcast((kv.words, kv.vectors))
        lowercase = self.getOrDefault(self.lowercase)
        dim = kv.dim

        def mean_vector(value):
            words, vectors = bc.value
            index = _index_of(words)
            if value is None:
                tokens = []
            elif is_text:
                tokens = value.split()
            else:
                tokens = [t for t in value if t is not None]
            if lowercase:
                tokens = [t.lower() for t in tokens]
            ids = [i for i in map(index.get, tokens) if i is not None]
            if not ids:
                return DenseVector(np.zeros(dim))
            # as MLlib: the known tokens' vectors summed, divided by all the tokens
            return DenseVector(vectors[ids].astype(np.float64).sum(axis=0) / len(tokens))

        udf = F.udf(mean_vector, VectorUDT(), useArrow=False)
        return dataset.withColumn(self.getOutputCol(), udf(F.col(col)))

    # ---------------------------------------------------------------- persistence
    def write(self) -> MLWriter:
        return _ModelWriter(self)

    @classmethod
    def read(cls) -> MLReader:
        return _ModelReader(cls)


_INDEX: list = [None, None]  # per executor process: [the broadcast word list, its index]

ROWS_PER_SLICE = 50_000  # words per task when the vectors become a DataFrame


def _vector_rows(spark: SparkSession, kv: KeyedVectors):
    """An RDD of ``(id, word, count, vector as a list of floats)``, one row per word in id
    order. The vectors travel as one broadcast and each task builds its block of rows
    from it: rows parallelized from the driver would travel inside the tasks (Spark warns
    of tasks of "very large size" beyond 1 MB). The broadcast lives as long as the RDD."""
    sc = spark.sparkContext
    bc = sc.broadcast((kv.words, kv.counts, kv.vectors))
    n = len(kv.words)
    slices = max(1, -(-n // ROWS_PER_SLICE))

    def block(i):
        words, counts, vectors = bc.value
        lo, hi = i * ROWS_PER_SLICE, min((i + 1) * ROWS_PER_SLICE, len(words))
        for j in range(lo, hi):
            yield j, words[j], int(counts[j]), vectors[j].tolist()

    return sc.parallelize(range(slices), slices).flatMap(block)


def _index_of(words: list[str]) -> dict[str, int]:
    if _INDEX[0] is not words:
        _INDEX[:] = [words, {w: i for i, w in enumerate(words)}]
    return _INDEX[1]


_DATA_SCHEMA = StructType(
    [
        StructField("id", LongType(), False),
        StructField("word", StringType(), False),
        StructField("count", LongType(), False),
        StructField("vector", ArrayType(FloatType(), False), False),
    ]
)


class _ModelWriter(MLWriter):
    def __init__(self, instance: Word2VecModel) -> None:
        super().__init__()
        self.instance = instance

    def saveImpl(self, path: str) -> None:
        DefaultParamsWriter.saveMetadata(self.instance, path, self.sparkSession)
        rows = _vector_rows(self.sparkSession, self.instance.wv)
        self.sparkSession.createDataFrame(rows, _DATA_SCHEMA).write.parquet(
            os.path.join(path, "data")
        )


class _ModelReader(MLReader):
    def __init__(self, cls: type[Word2VecModel]) -> None:
        super().__init__()
        self.cls = cls

    def load(self, path: str) -> Word2VecModel:
        spark = self.sparkSession
        metadata = DefaultParamsReader.loadMetadata(path, spark)
        rows = spark.read.parquet(os.path.join(path, "data")).orderBy("id").collect()
        if not rows:
            raise FormatError(f"{path}: the saved Word2VecModel holds no vectors")
        vectors = np.array([r["vector"] for r in rows], dtype=np.float32)
        kv = KeyedVectors([r["word"] for r in rows], vectors, [r["count"] for r in rows])
        model = self.cls._of(kv)
        model._resetUid(metadata["uid"])
        DefaultParamsReader.getAndSetParams(model, metadata)
        return model
