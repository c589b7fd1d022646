"""The Spark ML stage: in a Pipeline, transform into averaged vectors, synonyms, save/load."""

from __future__ import annotations

import numpy as np
import pytest
from _spark_env import require_spark

require_spark()

from pyspark.ml import Pipeline, PipelineModel  # noqa: E402
from pyspark.ml.feature import Tokenizer  # noqa: E402

from wordvec import Word2Vec as SingleWord2Vec  # noqa: E402
from wordvec.errors import ConfigError  # noqa: E402
from wordvec.spark.ml import Word2Vec, Word2VecModel  # noqa: E402


@pytest.fixture(scope="module")
def fitted(spark, books_lines):
    df = spark.createDataFrame(
        [(i, x.strip()) for i, x in enumerate(books_lines[:1200])], "id long, text string"
    )
    w2v = Word2Vec(
        inputCol="words", outputCol="features", vectorSize=12, minCount=3, maxIter=2,
        windowSize=3, model="skipgram", numPartitions=2, syncEvery=20_000, seed=5,
    )  # fmt: skip
    pipeline = Pipeline(stages=[Tokenizer(inputCol="text", outputCol="words"), w2v])
    return df, pipeline.fit(df)


def test_the_stage_fits_in_a_pipeline_and_averages_vectors(fitted):
    df, model = fitted
    stage = model.stages[-1]
    assert isinstance(stage, Word2VecModel) and stage.getVectorSize() == 12
    assert stage.fitted_ is not None and len(stage.fitted_.loss_history_) == 2
    rows = model.transform(df).select("words", "features").limit(20).collect()
    kv = stage.wv
    for row in rows:
        known = [w for w in row["words"] if w in kv]
        expected = np.mean([kv[w] for w in known], axis=0) if known else np.zeros(12)
        assert np.allclose(row["features"].toArray(), expected, atol=1e-6)


def test_find_synonyms_and_get_vectors(fitted):
    _, model = fitted
    stage = model.stages[-1]
    word = stage.wv.words[10]
    pairs = stage.findSynonymsArray(word, 5)
    assert [w for w, _ in pairs] == [w for w, _ in stage.wv.most_similar(word, topn=5)]
    assert word not in [w for w, _ in pairs]
    frame = stage.findSynonyms(stage.wv[word], 3).collect()
    assert frame[0]["word"] == word and frame[0]["similarity"] == pytest.approx(1.0, abs=1e-5)
    vectors = stage.getVectors()
    assert vectors.count() == len(stage.wv) and vectors.columns == ["word", "vector"]


def test_a_saved_pipeline_loads_and_transforms_the_same(fitted, tmp_path):
    df, model = fitted
    path = str(tmp_path / "pipeline")
    model.write().overwrite().save(path)
    loaded = PipelineModel.load(path)
    stage = loaded.stages[-1]
    assert stage.wv.words == model.stages[-1].wv.words
    assert np.array_equal(stage.wv.vectors, model.stages[-1].wv.vectors)
    a = [r["features"] for r in model.transform(df).limit(5).collect()]
    b = [r["features"] for r in loaded.transform(df).limit(5).collect()]
    assert a == b


def test_vectors_trained_anywhere_become_a_stage(spark):
    single = SingleWord2Vec(dim=8, min_count=1, epochs=1, seed=1, lowercase=True, sample=0).fit(
        [["The", "cat", "sat"], ["the", "dog", "sat"]] * 20
    )
    stage = Word2VecModel.from_vectors(single, inputCol="tokens", outputCol="v")
    df = spark.createDataFrame([(["CAT", "unknown"],), ([],)], "tokens array<string>")
    out = [r["v"].toArray() for r in stage.transform(df).collect()]
    assert np.allclose(out[0], single.wv["cat"], atol=1e-6)  # the model lowercases, as trained
    assert not out[1].any()  # no known token: the zero vector
    with pytest.raises(ConfigError, match="must be array<string>"):
        stage.transform(spark.createDataFrame([(1,)], "tokens int"))
