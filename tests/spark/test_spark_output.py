"""What a Spark user sees: a line per stage on the ``wordvec`` logger, one loss, quiet Spark.

A fit logs every stage of its Spark job (reading and counting, the vocabulary,
partitioning, the start of training, each round, each epoch, the end) on the
``wordvec`` logger, as a fit on one machine logs its vocabulary, epochs and end; the
round lines' loss is the epoch's mean loss so far, so an epoch's last round line and its
epoch line show the epoch's loss (``loss_history_``).
"""

from __future__ import annotations

import logging
import re

import pytest
from _spark_env import require_spark

require_spark()

from wordvec.spark import Word2Vec as SparkWord2Vec  # noqa: E402
from wordvec.spark import corpus as spark_corpus  # noqa: E402
from wordvec.spark.checkpoint import last_round_of  # noqa: E402

SMALL = dict(dim=16, window=3, min_count=2, epochs=2, seed=7, batch_words=2000, threads=1)


@pytest.fixture(scope="module")
def text_file(tmp_path_factory, books_lines):
    path = tmp_path_factory.mktemp("output") / "books.txt"
    path.write_text("".join(books_lines[:1500]), encoding="utf-8")
    return path


def test_a_fit_logs_every_stage_on_the_wordvec_logger(spark, text_file, caplog, monkeypatch):
    seen_before_counting = []
    count = spark_corpus.count

    def counting(*args, **kwargs):  # what had been logged when the counting job started
        seen_before_counting.extend(r.getMessage() for r in caplog.records)
        return count(*args, **kwargs)

    monkeypatch.setattr(spark_corpus, "count", counting)
    caplog.set_level(logging.INFO, logger="wordvec")
    est = SparkWord2Vec(**SMALL, model="skipgram", partitions=2, sync_every=10_000)
    model = est.fit(str(text_file))
    records = [r for r in caplog.records if r.name.startswith("wordvec")]
    lines = [r.getMessage() for r in records]
    assert all(r.levelno == logging.INFO for r in records)

    def index(prefix: str) -> int:
        found = [i for i, line in enumerate(lines) if line.startswith(prefix)]
        assert found, (prefix, lines)
        return found[0]

    assert any(line.startswith("reading and counting") for line in seen_before_counting)
    order = [
        index(p)
        for p in ("reading and counting", "counted", "vocabulary:", "partitioning",
                  "partitioned", "training skipgram", "round 1/", "epoch 1/2:", "trained 2 epochs")
    ]  # fmt: skip
    assert order == sorted(order), lines
    n_tokens = sum(len(line.split()) for line in text_file.read_text().splitlines())
    assert f"{n_tokens} tokens" in lines[index("counted")]
    assert f"vocabulary: {len(model.wv)} words" in lines[index("vocabulary:")]
    stats = model.spark_stats_
    rounds = stats["rounds"]
    round_lines = [line for line in lines if line.startswith("round ")]
    assert [line.split()[1] for line in round_lines] == [f"{r + 1}/{rounds}" for r in range(rounds)]
    # one loss: an epoch's last round line and its epoch line show the epoch's mean loss
    for e, loss in enumerate(model.loss_history_):
        shown = f"loss {loss:.4f}"
        last = round_lines[last_round_of(e, rounds, 2)]
        assert shown in last, (e, round_lines)
        assert shown in lines[index(f"epoch {e + 1}/2:")]
        assert lines.index(last) < index(f"epoch {e + 1}/2:")  # the round, then its epoch
    assert f"final loss {model.loss_history_[-1]:.4f}" in lines[index("trained 2 epochs")]
    # one words/s, as on one machine: the end line is the epochs' words over their seconds
    pattern = r" (\d+) words .* in ([\d.]+)s, (\d+) words/s"
    epochs = [re.search(pattern, lines[index(f"epoch {e}/2:")]) for e in (1, 2)]
    end = re.search(r": (\d+) words in ([\d.]+)s, (\d+) words/s", lines[index("trained 2 epochs")])
    assert int(end[1]) == sum(int(m[1]) for m in epochs)
    assert float(end[2]) == pytest.approx(sum(float(m[2]) for m in epochs), abs=0.011)
    done = model.epoch_stats_
    assert int(end[3]) == round(sum(s.words for s in done) / sum(s.seconds for s in done))
    for e, m in enumerate(epochs):
        assert int(m[3]) == round(done[e].words / done[e].seconds)


def test_round_lines_show_the_epochs_mean_loss_so_far(monkeypatch):
    """Within an epoch the loss shown is that epoch's running mean (not the run's), so the
    last round of an epoch shows what ``loss_history_`` holds for it."""
    import io
    import types

    import numpy as np

    from wordvec.spark import driver

    clock = types.SimpleNamespace(now=0.0)
    monkeypatch.setattr(driver.time, "perf_counter", lambda: clock.now)
    run = types.SimpleNamespace(
        partial=np.zeros((2, 4)), cfg=types.SimpleNamespace(epochs=2), rounds=4, bytes_in=[]
    )
    err = io.StringIO()
    err.isatty = lambda: False
    monkeypatch.setattr(driver.sys, "stderr", err)
    bar = driver._Progress(run)
    for r, loss in enumerate((1.0, 1.0, 3.0, 3.0)):  # epoch 1: loss 0.1; epoch 2: 0.3
        clock.now += 20.0
        run.partial[r * 2 // 4] += (loss, 10.0, 1000.0, 900.0)
        run.bytes_in.append(2**20)
        bar(r)
    lines = err.getvalue().splitlines()
    assert [line.split()[1] for line in lines] == ["1/4", "2/4", "3/4", "4/4"]
    assert "loss 0.1000" in lines[1] and "loss 0.3000" in lines[3]  # the run's mean: 0.2


def test_a_cli_owned_session_is_quiet_from_its_start():
    """A session wordvec starts for the CLI gets a log4j2 configuration at its creation
    (Spark reads it as the JVM starts): errors only, and no "Setting default log level"
    notice; setting the level once the session is up leaves its start-up warnings."""
    from pathlib import Path

    from wordvec.spark.session import quiet_java_options

    options = quiet_java_options()
    found = re.fullmatch(r"-Dlog4j2\.configurationFile=file:(\S+)", options)
    assert found, options
    config = Path(found.group(1)).read_text(encoding="utf-8")
    settings = dict(
        line.split("=", 1) for line in config.replace(" = ", "=").splitlines() if "=" in line
    )
    assert settings["rootLogger.level"] == "error"
    gateway = "org.apache.spark.api.python.PythonGatewayServer"  # PySpark's "shell" logger
    named = [k.rsplit(".", 1)[0] for k, v in settings.items() if v == gateway]
    assert named and settings[named[0] + ".level"] == "error"
    assert quiet_java_options() == options  # one file, written once


@pytest.mark.slow
def test_the_cli_shows_each_stage_and_no_spark_warnings(tmp_path, books_lines):
    """``wordvec train --spark`` in a fresh process (so that it starts the JVM): stderr has
    a line per stage and no line of Spark's logging (its start-up warnings included). The
    JVM's own notice about incubator modules (Spark 4 asks for the vector module) is not
    Spark's logging and cannot be configured away."""
    import subprocess
    import sys

    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(books_lines[:400]), encoding="utf-8")
    argv = [sys.executable, "-m", "wordvec", "train", str(corpus), "-o", str(tmp_path / "v.txt")]
    argv += ["--spark", "local[1]", "--partitions", "1", "--epochs", "1", "--dim", "8"]
    argv += ["--min-count", "3"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    spark_lines = [
        line for line in lines
        if not line.startswith(("reading", "counted", "vocabulary:", "partitioning",
                                "partitioned", "training", "round "))
        and line != "WARNING: Using incubator modules: jdk.incubator.vector"
    ]  # fmt: skip
    assert spark_lines == [], done.stderr
    for prefix in ("reading and counting", "counted", "vocabulary:", "partitioned", "round 1/"):
        assert any(line.startswith(prefix) for line in lines), (prefix, done.stderr)
