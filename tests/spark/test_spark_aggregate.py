"""A round's changes are merged in the executors, block by block, not on the driver.

The driver then receives each changed row once per round, whatever the number of
partitions, and the merged weights are bit for bit those of the driver's merge, in
whatever order the shuffle brings a block's parts.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from _spark_env import require_spark

require_spark()

from wordvec.spark import Word2Vec as SparkWord2Vec  # noqa: E402
from wordvec.spark import driver as spark_driver  # noqa: E402
from wordvec.spark.rounds import (  # noqa: E402
    BLOCK_ROWS,
    MERGES,
    STATS_KEY,
    RoundResult,
    block_parts,
    merge,
    merge_block,
)

SMALL = dict(dim=16, window=3, min_count=2, epochs=1, seed=7, batch_words=2000, threads=1)


def _results(rng, w_in, w_out, partitions):
    """Random round results: each partition changes random rows of both matrices."""
    out = []
    for p in range(partitions):
        rows_in = np.sort(rng.choice(len(w_in), size=len(w_in) // 2, replace=False)).astype(
            np.int32
        )
        rows_out = np.sort(rng.choice(len(w_out), size=len(w_out) // 3, replace=False)).astype(
            np.int32
        )
        new_in = w_in[rows_in] + rng.normal(0, 0.1, (len(rows_in), w_in.shape[1])).astype(
            np.float32
        )
        new_out = w_out[rows_out] + rng.normal(0, 0.1, (len(rows_out), w_out.shape[1])).astype(
            np.float32
        )
        out.append(RoundResult(p, [(0, 1.0, 2.0, 3, 3)], rows_in, new_in, rows_out, new_out, 0.1))
    return out


@pytest.mark.parametrize("rule", MERGES)
@pytest.mark.parametrize("partitions,scale", [(2, None), (3, None), (8, 4)])
def test_merging_blocks_in_any_order_is_the_drivers_merge_bit_for_bit(rule, partitions, scale):
    rng = np.random.default_rng(partitions)
    w_in = rng.normal(0, 0.5, (2 * BLOCK_ROWS + 77, 5)).astype(np.float32)
    w_out = rng.normal(0, 0.5, (BLOCK_ROWS + 5, 5)).astype(np.float32)
    results = _results(rng, w_in, w_out, partitions)
    expected_in, expected_out = w_in.copy(), w_out.copy()
    merge(expected_in, [(x.rows_in, x.new_in) for x in results], rule, partitions, scale)
    merge(expected_out, [(x.rows_out, x.new_out) for x in results], rule, partitions, scale)

    records = [rec for x in results for rec in block_parts(x)]
    random.Random(partitions).shuffle(records)  # the shuffle's order: any
    by_key: dict[int, list] = {}
    for key, value in records:
        by_key.setdefault(key, []).append(value)
    assert sorted(p for p, _, _ in by_key.pop(STATS_KEY)) == list(range(partitions))
    got_in, got_out = w_in.copy(), w_out.copy()
    seen = {0: [], 1: []}
    for key, parts in by_key.items():
        rows, values = merge_block(key, parts, (w_in, w_out), rule, partitions, scale)
        (got_in, got_out)[key % 2][rows] = values
        seen[key % 2].append(rows)
    assert np.array_equal(got_in, expected_in) and np.array_equal(got_out, expected_out)
    # each changed row reaches the driver once
    for m in (0, 1):
        rows = np.concatenate(seen[m])
        changed = np.unique(np.concatenate([(x.rows_in, x.rows_out)[m] for x in results]))
        assert len(rows) == len(np.unique(rows)) and np.array_equal(np.sort(rows), changed)


@pytest.fixture(scope="module")
def text_file(tmp_path_factory, books_lines):
    path = tmp_path_factory.mktemp("aggregate") / "books.txt"
    path.write_text("".join(books_lines[:1500]), encoding="utf-8")
    return path


def test_the_driver_receives_each_changed_row_once_whatever_the_partitions(
    spark, text_file, monkeypatch
):
    """4 partitions that change mostly the same rows: the bytes into the driver per round are
    at most one copy of both matrices' rows (with their ids), where collecting every
    partition's rows brought about 4 times the rows changed; the weights are the same."""
    runs = {}
    for aggregate in ("executors", "driver", "auto"):
        monkeypatch.setattr(spark_driver.Run, "aggregate", aggregate, raising=False)
        est = SparkWord2Vec(**SMALL, model="skipgram", partitions=4, sync_every=8_000)
        runs[aggregate] = est.fit(str(text_file))
    ours, before = runs["executors"], runs["driver"]
    assert np.array_equal(ours.w_in_, before.w_in_) and np.array_equal(ours.w_out_, before.w_out_)
    assert ours.loss_history_ == before.loss_history_
    rows = len(ours.w_in_) + len(ours.w_out_)
    once = rows * (ours.w_in_.shape[1] * 4 + 4)
    collected = ours.spark_stats_["bytes_collected"]
    assert len(collected) >= 3 and max(collected) <= once
    assert min(before.spark_stats_["bytes_collected"]) > 2 * max(collected)
    # the default on this one-JVM master (local[N]) is the driver's merge: its bytes
    auto = runs["auto"]
    assert auto.spark_stats_["bytes_collected"] == before.spark_stats_["bytes_collected"]
    assert np.array_equal(auto.w_in_, before.w_in_)


def test_where_rounds_merge_by_default_follows_the_master():
    """One JVM (local[N]: the driver is every executor) merges on the driver, with no
    shuffle to pay for; a cluster (local-cluster, yarn, k8s, spark://) in the executors,
    so the driver receives each changed row once. The weights are the same either way
    (the test above)."""
    assert spark_driver.merge_place("auto", "local[2]") == "driver"
    assert spark_driver.merge_place("auto", "local") == "driver"
    assert spark_driver.merge_place("auto", "local[*]") == "driver"
    for master in ("local-cluster[2,1,1024]", "yarn", "spark://host:7077", "k8s://h:1"):
        assert spark_driver.merge_place("auto", master) == "executors", master
    assert spark_driver.merge_place("executors", "local[2]") == "executors"
    assert spark_driver.merge_place("driver", "yarn") == "driver"
    assert spark_driver.Run.aggregate == "auto"
