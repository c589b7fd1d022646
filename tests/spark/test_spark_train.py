"""Training on Spark (local[2,3]): the vocabulary, the schedule, faults, checkpoints, errors.

Runs are small (a few thousand lines, dim 16) so that the module stays within
tens of seconds; what they check is exact: with one partition a Spark run is
the single-machine one-thread run bit for bit, a retried task changes nothing,
and a resumed run is the uninterrupted one.
"""

from __future__ import annotations

import inspect
import os
import signal

import numpy as np
import pytest
from _spark_env import require_spark

require_spark()

from wordvec import Word2Vec  # noqa: E402
from wordvec.encoded import EncodedCorpus, build  # noqa: E402
from wordvec.errors import ConfigError, CorpusError, FormatError, TrainingInterrupted  # noqa: E402
from wordvec.spark import Word2Vec as SparkWord2Vec  # noqa: E402
from wordvec.spark import corpus as spark_corpus  # noqa: E402
from wordvec.text.scan import scan  # noqa: E402

SMALL = dict(dim=16, window=3, min_count=2, epochs=2, seed=7, batch_words=2000, threads=1)


@pytest.fixture(scope="module")
def text_file(tmp_path_factory, books_lines):
    path = tmp_path_factory.mktemp("spark") / "books.txt"
    path.write_text("".join(books_lines[:1500]), encoding="utf-8")
    return path


def _single_machine_stream(path, min_count, lowercase=False):
    from wordvec.text.corpus import TextCorpus

    s = scan(TextCorpus(path, lowercase=lowercase), max_vocab=None)
    vocab, remap = build(s, min_count=min_count)
    ids = np.concatenate(list(EncodedCorpus(s.cache, remap, vocab.total).chunks()))
    return vocab, ids


def _prepared(spark, data, cfg, partitions, input_col=None):
    rows, with_files = spark_corpus.rows_of(data, spark, input_col)
    return spark_corpus.prepare(rows, with_files, cfg, partitions)


@pytest.mark.parametrize("form", ["path", "text column", "token column", "rdd tokens"])
def test_counts_and_slices_equal_the_single_machine_pass(spark, text_file, books_lines, form):
    lowercase = form == "token column"
    vocab, ids = _single_machine_stream(text_file, min_count=3, lowercase=lowercase)
    lines = [line.rstrip("\n") for line in books_lines[:1500]]
    sc = spark.sparkContext
    data = {
        "path": str(text_file),
        "text column": spark.createDataFrame([(x, 1) for x in lines], "text string, n int"),
        "token column": spark.createDataFrame(
            [(x.split(),) for x in lines], "tokens array<string>"
        ),
        "rdd tokens": sc.parallelize([x.split() for x in lines], 4),
    }[form]
    cfg = Word2Vec(min_count=3, lowercase=lowercase).config
    prepared = _prepared(spark, data, cfg, 3, "text" if form == "text column" else None)
    try:
        assert prepared.vocab.words == vocab.words  # ties too: first occurrence first
        assert prepared.vocab.counts.tolist() == vocab.counts.tolist()
        streams = dict(prepared.slices.collect())
        joined = np.concatenate([streams[p] for p in range(3)])
        assert np.array_equal(joined, ids)  # three contiguous slices of the same id stream
        assert sum(prepared.words) == vocab.total
        assert max(prepared.words) - min(prepared.words) < 400  # about equal (one line apart)
    finally:
        prepared.close()


def test_files_of_a_directory_count_in_path_order(spark, tmp_path):
    (tmp_path / "b.txt").write_text("tie2 tie1 x\nx\n")
    (tmp_path / "a.txt").write_text("tie1 z\n")  # read first on one machine: tie1 first
    (tmp_path / "c.txt").write_text("tie2 z tie1 " + "pad " * 300 + "\n")  # the largest file
    cfg = Word2Vec(min_count=1).config
    prepared = _prepared(spark, str(tmp_path), cfg, 2)
    try:
        single = build(scan(_dir_sentences(tmp_path)), min_count=1)[0]
        assert prepared.vocab.words == single.words
        assert prepared.vocab.counts.tolist() == single.counts.tolist()
    finally:
        prepared.close()


def _dir_sentences(path):
    from wordvec.text.corpus import TextCorpus

    return list(TextCorpus(path))


def test_min_count_and_max_final_vocab_apply_after_counting(spark, text_file):
    cfg = Word2Vec(min_count=4, max_final_vocab=50).config
    vocab, _ = _single_machine_stream(text_file, min_count=4)
    prepared = _prepared(spark, str(text_file), cfg, 2)
    try:
        assert prepared.vocab.words == vocab.words[:50]
    finally:
        prepared.close()


@pytest.mark.parametrize("model,loss", [("skipgram", "neg"), ("cbow", "hs")])
def test_one_partition_is_the_single_machine_run_bit_for_bit(spark, text_file, model, loss):
    opts = dict(SMALL, model=model, loss=loss)
    single = Word2Vec(**opts).fit(text_file)
    # sync_every cuts the run into several rounds (and a round across the epoch boundary)
    spark_model = SparkWord2Vec(**opts, partitions=1, sync_every=15_000).fit(str(text_file))
    assert spark_model.spark_stats_["rounds"] > 3
    assert spark_model.vocab_.words == single.vocab_.words
    assert np.array_equal(spark_model.w_in_, single.w_in_)
    assert np.array_equal(spark_model.w_out_, single.w_out_)
    assert np.allclose(spark_model.loss_history_, single.loss_history_, rtol=1e-9)
    assert isinstance(spark_model, Word2Vec)


@pytest.fixture(scope="module")
def two_partition_run(spark, text_file):
    """A clean 2-partition run, to compare the disturbed ones with."""
    est = SparkWord2Vec(**SMALL, model="skipgram", partitions=2, sync_every=10_000)
    return est.fit(str(text_file))


def test_two_partitions_learn(two_partition_run, text_file):
    m = two_partition_run
    assert m.spark_stats_["rounds"] >= 4 and len(m.loss_history_) == 2
    assert m.loss_history_[1] < m.loss_history_[0]
    single = Word2Vec(**SMALL, model="skipgram").fit(text_file)
    assert abs(m.loss_history_[-1] - single.loss_history_[-1]) < 0.05 * single.loss_history_[-1]
    # nearest neighbours mostly agree with the single-machine run's
    probe = [w for w in m.wv.words[20:60]]
    agree = np.mean(
        [
            len(
                {x for x, _ in m.wv.most_similar(w, topn=10)}
                & {x for x, _ in single.wv.most_similar(w, topn=10)}
            )  # fmt: skip
            for w in probe
        ]
    )
    assert agree >= 2


def test_a_retried_task_changes_nothing(spark, text_file, books_lines, two_partition_run):
    def fail_once(partition, r):
        from pyspark import TaskContext

        if partition == 1 and r == 2 and TaskContext.get().attemptNumber() == 0:
            raise RuntimeError("injected executor failure")

    est = SparkWord2Vec(**SMALL, model="skipgram", partitions=2, sync_every=10_000)
    est._task_hook = fail_once
    # the same text as an RDD of lines: the same slices, so the same run as from the file
    lines = spark.sparkContext.parallelize([x.rstrip("\n") for x in books_lines[:1500]], 3)
    retried = est.fit(lines)
    assert np.array_equal(retried.w_in_, two_partition_run.w_in_)
    assert np.array_equal(retried.w_out_, two_partition_run.w_out_)


def test_interrupted_run_resumes_to_the_same_weights(spark, text_file, tmp_path, two_partition_run):
    driver = os.getpid()

    def interrupt(partition, r):
        from pyspark import TaskContext

        if partition == 0 and r == 1 and TaskContext.get().attemptNumber() == 0:
            os.kill(driver, signal.SIGINT)  # Ctrl-C on the driver while round 2 runs

    ckpt = tmp_path / "run.ckpt"
    est = SparkWord2Vec(**SMALL, model="skipgram", partitions=2, sync_every=10_000)
    est._task_hook = interrupt
    with pytest.raises(TrainingInterrupted, match="after round 2/"):
        est.fit(str(text_file), checkpoint=ckpt)
    assert ckpt.exists()
    with pytest.raises(FormatError, match="not a wordvec model"):
        Word2Vec.load(ckpt)  # a Spark checkpoint is not a model
    resumed = SparkWord2Vec.resume(ckpt, str(text_file))
    assert np.array_equal(resumed.w_in_, two_partition_run.w_in_)
    assert np.array_equal(resumed.w_out_, two_partition_run.w_out_)
    assert len(resumed.loss_history_) == 2

    other = tmp_path / "other.txt"
    other.write_text(text_file.read_text()[:-2000])
    with pytest.raises(CorpusError, match="not the text the checkpoint"):
        SparkWord2Vec.resume(ckpt, str(other))


def test_every_parameter_of_the_single_machine_estimator_is_here():
    single = inspect.signature(Word2Vec).parameters
    spark = inspect.signature(SparkWord2Vec).parameters
    for name, p in single.items():
        assert name in spark and spark[name].default == p.default, name
    assert {"partitions", "sync_every", "merge", "spark"} <= set(spark)
    est = SparkWord2Vec(dim=7, sample=0.0)
    plain = Word2Vec(dim=7, sample=0.0)
    assert est.params == {name: getattr(plain, name) for name in single}
    assert est.config == Word2Vec(dim=7, sample=0.0).config


def test_the_native_parameters_are_reused_not_restated():
    """One list of the 23 parameters: wordvec.Word2Vec's signature. The Spark estimator
    binds its arguments with it (same order, kinds and defaults; positional arguments as
    there) and lists them in its docstring from it."""
    single = list(inspect.signature(Word2Vec).parameters.values())
    spark = list(inspect.signature(SparkWord2Vec).parameters.values())
    assert [(p.name, p.kind, p.default) for p in spark[: len(single)]] == [
        (p.name, p.kind, p.default) for p in single
    ]
    assert [p.name for p in spark[len(single) :]] == ["partitions", "sync_every", "merge", "spark"]
    assert all(p.kind is p.KEYWORD_ONLY for p in spark[len(single) :])
    est = SparkWord2Vec("skipgram", "hs", 12, 3, 0, partitions=2, lowercase=True)
    plain = Word2Vec("skipgram", "hs", 12, 3, 0, lowercase=True)
    assert est.params == {p.name: getattr(plain, p.name) for p in single}
    assert (est.partitions, est.merge) == (2, "scaled_mean")
    with pytest.raises(TypeError, match="min_cout"):
        SparkWord2Vec(min_cout=3)
    with pytest.raises(TypeError, match="positional"):
        SparkWord2Vec(*range(13))
    for p in single:
        assert f"``{p.name}={p.default!r}``" in SparkWord2Vec.__doc__, p.name
    source = inspect.getsource(SparkWord2Vec.__init__)
    restated = [p.name for p in single if f"{p.name}:" in source or f"self.{p.name} =" in source]
    assert restated == []


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(loss="softmax"), "exact softmax"),
        (dict(loss="hs+neg"), "hs\\+neg.*one machine only"),
        (dict(threads=2), "threads"),
        (dict(partitions=0), "partitions"),
        (dict(sync_every=0), "sync_every"),
        (dict(merge="median"), "merge"),
        (dict(window=0), "window"),
    ],
)
def test_bad_parameters_are_refused_before_any_work(spark, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        SparkWord2Vec(**kwargs).fit("/nonexistent/never/read.txt")


def test_bad_data_gets_one_clear_error(spark, tmp_path):
    sc = spark.sparkContext
    two = spark.createDataFrame([("a b", "c")], "x string, y string")
    with pytest.raises(ConfigError, match="2 columns.*input_col"):
        SparkWord2Vec(min_count=1).fit(two)
    with pytest.raises(ConfigError, match="'n' is int"):
        SparkWord2Vec(min_count=1).fit(spark.createDataFrame([(1,)], "n int"))
    with pytest.raises(CorpusError, match="a row is a int"):
        SparkWord2Vec(min_count=1).fit(sc.parallelize(["a b", 3]))
    with pytest.raises(CorpusError, match=r"\.xz"):
        SparkWord2Vec().fit(str(tmp_path / "corpus.txt.xz"))
    with pytest.raises(CorpusError, match="cannot read"):
        SparkWord2Vec().fit(str(tmp_path / "missing.txt"))
    with pytest.raises(CorpusError, match="must be a DataFrame"):
        SparkWord2Vec().fit([["a", "b"]])
    with pytest.raises(CorpusError, match="min_count=5"):
        SparkWord2Vec().fit(sc.parallelize(["a b c"]))


def test_a_token_column_travels_as_lines_when_that_changes_nothing(spark):
    """A token list goes to the executors as a line (and so through the compiled scanner)
    when joining it with spaces and splitting again gives the same tokens; a list with a
    token that is empty, holds whitespace (any str.split() splits at, NBSP included) or is
    null travels as a list, where it stays one token (or is refused). Row by row: the
    other rows of the column still travel as lines."""
    clean = spark.createDataFrame([(["a", "b"],), ([],), (None,), (["c"],)], "t array<string>")
    rows, _ = spark_corpus.rows_of(clean, spark, None)
    assert rows.collect() == ["a b", "", "", "c"]  # a null list: an empty line, no sentence either
    odds = (["a", "new york"], ["a", ""], ["", "a"], ["x\u00a0y"], ["tab\tbed"], ["a", None],
            ["a", " "], ["a", "", "b"], ["\u2028"], [None, ""])  # fmt: skip
    for odd in odds:
        df = spark.createDataFrame([(["p", "q"],), (odd,), (["r"],)], "t array<string>")
        rows, _ = spark_corpus.rows_of(df, spark, None)
        assert rows.collect() == ["p q", odd, "r"], odd


def test_a_token_with_a_space_stays_one_word(spark):
    df = spark.createDataFrame([(["new york", "is", "big"],)] * 3, "t array<string>")
    cfg = Word2Vec(min_count=1).config
    prepared = _prepared(spark, df, cfg, 1)
    try:
        assert sorted(prepared.vocab.words) == ["big", "is", "new york"]
    finally:
        prepared.close()


def test_the_default_schedule_syncs_at_least_three_times_an_epoch():
    """16M / P² words per partition and round, at least 100,000, and at least three rounds
    an epoch: a small corpus on few partitions would otherwise get one round an epoch, and
    averaging partitions trained a whole epoch apart loses quality (3.4M words of en17m,
    skip-gram + hs, 3 epochs, 2 partitions: 8.18% analogy with 3 rounds, 9.48% with 9)."""
    from wordvec.spark.estimator import _rounds

    assert _rounds(3, 3_400_000, 2, None) == (9, 566_667)  # the floor: 3 an epoch
    assert _rounds(5, 17_000_000, 2, None) == (15, 2_833_334)  # 4M a round would make 11
    assert _rounds(5, 17_000_000, 8, None)[0] == 43  # 250,000 words a round
    assert _rounds(1, 1_000, 8, None) == (3, 42)  # the floor beats the 100,000 minimum
    assert _rounds(3, 3_400_000, 2, 1_000_000) == (6, 1_000_000)  # given: as given
