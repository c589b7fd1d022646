"""The Spark ML stage: in a Pipeline, transform into averaged vectors, synonyms, save/load."""

from __future__ import annotations

import numpy as np
import pytest
from _spark_env import require_spark

require_spark()

from conftest import BOOKS as SHARED_BOOKS  # noqa: E402
from pyspark.ml import Pipeline, PipelineModel  # noqa: E402
from pyspark.ml.feature import Tokenizer  # noqa: E402

from wordvec import Word2Vec as SingleWord2Vec  # noqa: E402
from wordvec.errors import ConfigError, UnknownWordError  # noqa: E402
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
    rows = model.transform(df).select("words", "features").collect()
    kv = stage.wv
    assert any(w not in kv for row in rows for w in row["words"])  # unknown tokens are there
    for row in rows:  # as MLlib: the known tokens' vectors summed, over all the tokens
        tokens = row["words"]
        total = np.sum([kv[w] for w in tokens if w in kv], axis=0) if tokens else np.zeros(12)
        expected = total / max(len(tokens), 1)
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
    rows = vectors.collect()  # built in the executors from a broadcast, in id order
    assert [r["word"] for r in rows] == stage.wv.words
    assert np.allclose(np.array([r["vector"].toArray() for r in rows]), stage.wv.vectors)


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
    # the model lowercases, as trained; the unknown token counts in the mean, as in MLlib
    assert np.allclose(out[0], single.wv["cat"] / 2, atol=1e-6)
    assert not out[1].any()  # no known token: the zero vector
    with pytest.raises(ConfigError, match="must be array<string>"):
        stage.transform(spark.createDataFrame([(1,)], "tokens int"))


MLLIB_PARAMS = ("vectorSize", "windowSize", "minCount", "stepSize", "maxIter", "numPartitions",
                "maxSentenceLength")  # fmt: skip


def _getter(name: str) -> str:
    return "get" + name[0].upper() + name[1:]


def test_defaults_are_mllibs_for_mllibs_parameter_names(spark):
    """The same defaults as pyspark.ml.feature.Word2Vec under its names, and its algorithm:
    skip-gram with hierarchical softmax, no sub-sampling, one partition, one iteration."""
    from pyspark.ml.feature import Word2Vec as MLlibWord2Vec

    ours, mllib = Word2Vec(), MLlibWord2Vec()
    for name in MLLIB_PARAMS:
        if mllib.hasDefault(name):
            assert getattr(ours, _getter(name))() == getattr(mllib, _getter(name))(), name
    assert ours.getStepSize() == 0.025 and ours.getMaxSentenceLength() == 1000
    params = ours._wordvec_params()
    expected = dict(model="skipgram", loss="hs", negative=0, sample=0.0, dim=100, window=5,
                    min_count=5, epochs=1, alpha=0.025, partitions=1,
                    max_sentence_length=1000)  # fmt: skip
    assert {k: params[k] for k in expected} == expected
    # wordvec's own parameters, where given, choose otherwise
    neg = Word2Vec(loss="neg", model="cbow", sample=1e-4)._wordvec_params()
    assert (neg["model"], neg["loss"], neg["negative"], neg["sample"]) == ("cbow", "neg", 5, 1e-4)
    assert neg["alpha"] is None  # wordvec's CBOW rate (0.05), unless stepSize is set
    assert Word2Vec(model="cbow", stepSize=0.01)._wordvec_params()["alpha"] == 0.01


def test_every_parameter_has_a_getter_that_works(spark):
    for stage in (Word2Vec(inputCol="a", outputCol="b"), Word2VecModel()):
        for param in stage.params:
            getter = getattr(stage, _getter(param.name), None)
            assert getter is not None, param.name
            if stage.isDefined(param):
                assert getter() == stage.getOrDefault(param), param.name
    assert Word2Vec(stepSize=0.5).getStepSize() == 0.5


def test_the_readme_examples_run_as_written(spark, tmp_path, capfd):
    """The README's Spark examples (those that read ``spark.read.text``), on a small corpus
    (its absolute path for "corpus.txt": Spark resolves a relative path from the JVM's
    directory): they run, and print no traceback (the Python workers' included: they
    share stderr in local mode)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Training on Apache Spark", 1)[1].split("\n## ", 1)[0]
    blocks = [b for b in re.findall(r"```python\n(.*?)```", section, re.S) if "spark.read" in b]
    assert len(blocks) >= 2
    with open(SHARED_BOOKS, encoding="utf-8") as fh:  # Shakespeare: "king" is frequent
        lines = [line for i, line in enumerate(fh) if 10_000 <= i < 10_400]
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(lines), encoding="utf-8")
    for block in blocks:
        assert '"corpus.txt"' in block
        block = block.replace('"corpus.txt"', repr(str(corpus)))
        namespace = {"spark": spark}
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
        assert "model" in namespace
    # a word the vectors lack: one KeyError naming it, and no worker traceback after it
    stage = namespace["model"].stages[-1]
    with pytest.raises(UnknownWordError, match="qqqzzz"):
        stage.findSynonyms("qqqzzz", 5)
    namespace["model"].transform(namespace["lines"]).select("features").show(2)
    err = capfd.readouterr().err
    assert "Traceback" not in err, err
