"""Spark checkpoint files, without Spark: the model part is the model file's, old files read."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from _spark_env import require_spark

require_spark()

from wordvec import Word2Vec  # noqa: E402
from wordvec.config import TrainConfig  # noqa: E402
from wordvec.errors import FormatError  # noqa: E402
from wordvec.files import modelfile  # noqa: E402
from wordvec.files.container import read_container, write_container  # noqa: E402
from wordvec.spark.checkpoint import (  # noqa: E402
    SparkCheckpoint,
    read_checkpoint,
    write_checkpoint,
)
from wordvec.vocab import Vocab  # noqa: E402

# Written by the Spark checkpoint code before it shared the model file's (commit cfdd13b),
# from exactly the values of _checkpoint() below.
OLD_FILE = Path(__file__).parent / "data" / "spark-checkpoint-v1.ckpt"


def _checkpoint() -> SparkCheckpoint:
    cfg = TrainConfig(model="skipgram", loss="hs", dim=3, epochs=2, min_count=1, negative=0)
    vocab = Vocab(["the", "a", "cat", "sat", "mat"], np.array([9, 5, 3, 2, 1], dtype=np.int64))
    return SparkCheckpoint(
        config=cfg.validate(),
        vocab=vocab,
        w_in=np.arange(15, dtype=np.float32).reshape(5, 3) / 8 - 1,
        w_out=np.arange(12, dtype=np.float32).reshape(4, 3) / 16,
        loss_history=[0.75],
        round=3,
        rounds=4,
        partitions=2,
        sync_every=100,
        merge="scaled_mean",
        partial=np.array([[1.5, 3.0, 20.0, 18.0], [0.5, 1.0, 7.0, 6.0]]),
        corpus={"tokens": 20, "sentences": 4, "partition_words": [11, 9],
                "partition_crc32": [12345, 678]},
    )  # fmt: skip


def assert_same(got: SparkCheckpoint, want: SparkCheckpoint) -> None:
    for f in dataclasses.fields(SparkCheckpoint):
        a, b = getattr(got, f.name), getattr(want, f.name)
        if f.name == "vocab":
            assert a.words == b.words and np.array_equal(a.counts, b.counts)
        elif isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), f.name
        else:
            assert a == b, f.name


def test_a_checkpoint_written_before_the_shared_model_file_code_still_reads():
    assert_same(read_checkpoint(OLD_FILE), _checkpoint())


def test_write_then_read_gives_the_checkpoint_back(tmp_path):
    write_checkpoint(tmp_path / "c.ckpt", _checkpoint())
    assert_same(read_checkpoint(tmp_path / "c.ckpt"), _checkpoint())


def test_the_model_part_is_the_model_files(tmp_path):
    """The configuration, vocabulary, weights and loss history are stored (and checked) by
    wordvec.files.modelfile: what a model file holds is in the Spark checkpoint, key for key."""
    ck = _checkpoint()
    write_checkpoint(tmp_path / "c.ckpt", ck)
    modelfile.write_model(
        tmp_path / "m.wv", ck.config, ck.vocab, ck.w_in, ck.w_out, ck.loss_history
    )
    spark_meta, spark_arrays = read_container(tmp_path / "c.ckpt", mmap=False)
    model_meta, model_arrays = read_container(tmp_path / "m.wv", mmap=False)
    for key in set(model_meta) - {"kind", "position", "n_words"}:  # (where a run stands)
        assert spark_meta[key] == model_meta[key], key
    assert spark_meta["kind"] == "spark-checkpoint"
    assert set(spark_arrays) == set(model_arrays)
    for key, arr in model_arrays.items():
        assert np.array_equal(spark_arrays[key], arr), key


def test_the_model_files_checks_apply(tmp_path):
    meta, arrays = read_container(OLD_FILE, mmap=False)
    arrays["w_in"] = arrays["w_in"].astype(np.float64)
    arrays["w_in"][0, 0] = 1e300  # beyond float32: the model file's check
    write_container(tmp_path / "big.ckpt", meta, arrays)
    with pytest.raises(FormatError, match="beyond float32"):
        read_checkpoint(tmp_path / "big.ckpt")


def test_counts_out_of_order_are_refused(tmp_path):
    meta, arrays = read_container(OLD_FILE, mmap=False)
    meta["config"]["loss"], meta["config"]["negative"] = "neg", 5
    arrays["counts"] = arrays["counts"][::-1].copy()
    arrays["w_out"] = np.zeros((5, 3), dtype=np.float32)
    write_container(tmp_path / "order.ckpt", meta, arrays)
    with pytest.raises(FormatError, match="descending"):
        read_checkpoint(tmp_path / "order.ckpt")


def test_each_resume_refuses_the_others_file_in_one_line(tmp_path):
    with pytest.raises(FormatError, match="Spark checkpoint.*wordvec.spark.Word2Vec.resume"):
        Word2Vec.resume(OLD_FILE, [["a"]])
    model = Word2Vec.from_state(
        _checkpoint().vocab, _checkpoint().w_in, _checkpoint().w_out,
        model="skipgram", loss="hs", dim=3, epochs=2, min_count=1,
    )  # fmt: skip
    model.save(tmp_path / "m.wv")
    with pytest.raises(FormatError, match="single-machine model"):
        read_checkpoint(tmp_path / "m.wv")
