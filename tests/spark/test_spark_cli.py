"""``wordvec train CORPUS -o OUT --spark MASTER``."""

from __future__ import annotations

import re

import pytest
from _spark_env import require_spark

require_spark()

from conftest import MASTER  # noqa: E402

from wordvec.cli import main  # noqa: E402
from wordvec.vectors.formats import load  # noqa: E402


def test_train_on_spark_writes_vectors(spark, tmp_path, books_lines, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(books_lines[:800]), encoding="utf-8")
    out = tmp_path / "v.txt"
    argv = ["train", str(corpus), "-o", str(out), "--spark", MASTER, "--partitions", "2"]
    argv += ["--sync-every", "20000", "--dim", "8", "--epochs", "1", "--min-count", "3", "-q"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "on Spark (local[2,3], 2 partitions" in printed
    kv = load(out)
    assert kv.dim == 8 and len(kv) > 500
    assert not (tmp_path / "v.txt.ckpt").exists()
    assert spark.sparkContext._jsc is not None  # the caller's session is left running


def test_spark_needs_a_corpus_spark_can_read(spark, tmp_path, capsys):
    assert main(["train", "-o", str(tmp_path / "v.txt"), "--spark", MASTER]) == 1
    assert "with --spark, give CORPUS" in capsys.readouterr().err


def test_a_missing_local_corpus_is_refused_before_spark_starts(tmp_path, capsys, monkeypatch):
    """A plain path that does not exist is one line naming it, as on one machine, without
    starting Spark (which would take seconds and log a Java stack trace first)."""
    import wordvec.spark.session as session

    def no_session(**kw):
        raise AssertionError("Spark was started")

    monkeypatch.setattr(session, "get_session", no_session)
    missing = tmp_path / "no-such-corpus.txt"
    argv = ["train", str(missing), "-o", str(tmp_path / "v.txt"), "--spark", MASTER]
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"wordvec: error: {missing}: No such file or directory"]
    # a glob or a URI is Spark's to resolve: not refused here
    for corpus in (str(tmp_path / "*.txt"), "hdfs://namenode/corpus"):
        from wordvec.cli.train import _spark_local_path

        assert _spark_local_path(corpus) is None


def test_local_masters_are_those_whose_executors_run_here():
    """They get this Python and this wordvec (and a local corpus path is checked before
    Spark starts); Spark's test cluster, local-cluster[N,C,MB], is one of them."""
    from wordvec.spark.session import is_local

    for master in ("local", "local[2]", "local[*]", "local-cluster[2,1,1024]"):
        assert is_local(master), master
    for master in ("yarn", "spark://host:7077", "k8s://https://host", "localhost"):
        assert not is_local(master), master


def test_bad_options_are_refused_before_spark_starts(tmp_path, capsys, monkeypatch, books_lines):
    """A value wordvec refuses (--partitions 0, --dim 0, --threads 4) is one line, before
    any Spark session starts, as on one machine."""
    import wordvec.spark.cli as spark_cli

    def no_session(*a, **kw):
        raise AssertionError("Spark was started")

    monkeypatch.setattr(spark_cli, "get_session", no_session)
    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(books_lines[:50]), encoding="utf-8")
    base = ["train", str(corpus), "-o", str(tmp_path / "v.txt"), "--spark", MASTER]
    for extra, message in (
        (["--partitions", "0"], "--partitions must be an int with 1 <= partitions <= 4096; got 0"),
        (["--sync-every", "-5"], "--sync-every must be an int >= 1 (words) or None; got -5."),
        (["--dim", "0"], "--dim must be an int >= 1; got 0."),
        (["--threads", "4"], "--threads must be 0 or 1 on Spark"),
    ):
        assert main(base + extra) == 1, extra
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("wordvec: error: " + message), (extra, err)
    assert not (tmp_path / "v.txt").exists()


def test_a_master_spark_cannot_parse_is_one_line_naming_it():
    from wordvec.errors import ConfigError
    from wordvec.spark.session import get_session

    for master in ("locl[2]", "localhost", "local[", "spark:/host:7077", "http://host"):
        with pytest.raises(ConfigError, match=r"Spark master URL.*got " + re.escape(repr(master))):
            get_session(master=master)


def test_a_spark_run_that_trains_nothing_fails_as_one_machine_does(spark, tmp_path, capsys):
    """It used to exit 0 with loss nan and write random vectors; one machine refuses
    it with the reason, and so does Spark now: the same line, no file written."""
    for text, options, reason in (
        ("a\nb\n" * 3, ["--min-count", "1"], "no line of the corpus holds two in-vocabulary"),
        ("a b\n", ["--min-count", "1"], "sub-sampling (sample=0.001) left no line"),
    ):
        corpus = tmp_path / "c.txt"
        corpus.write_text(text)
        out = tmp_path / "v.txt"
        base = ["train", str(corpus), "-o", str(out), "-q", "--dim", "4", "--epochs", "1"]
        assert main([*base, *options]) == 1
        alone = capsys.readouterr().err.strip().splitlines()
        assert main([*base, *options, "--spark", MASTER, "--partitions", "1"]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert err == alone and len(err) == 1 and reason in err[0], (alone, err)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["c.txt"]


def test_partitions_are_capped(spark, tmp_path, capsys, monkeypatch):
    """--partitions 2000 on a 9-token corpus ran one task per empty partition per round
    (minutes; 100000: hours). Above MAX_PARTITIONS it is refused before Spark starts, as
    --threads is; below, a run never has more partitions than it has words to fill them
    (MIN_PARTITION_WORDS each), and the summary says how many it used."""
    from wordvec.spark.corpus import MIN_PARTITION_WORDS
    from wordvec.spark.estimator import MAX_PARTITIONS

    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat the cat sat\n" * 300)  # 2,700 words
    base = ["train", str(corpus), "-o", str(tmp_path / "v.txt"), "-q", "--min-count", "1"]
    base += ["--dim", "4", "--epochs", "1", "--spark", MASTER]
    assert main([*base, "--partitions", str(MAX_PARTITIONS + 1)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"<= {MAX_PARTITIONS}; got {MAX_PARTITIONS + 1}" in err[0], err
    assert main([*base, "--partitions", "2000"]) == 0
    expected = 2700 // MIN_PARTITION_WORDS
    assert f"{expected} partitions" in capsys.readouterr().out


@pytest.mark.parametrize("every", [None, "1e-9"], ids=["no checkpoint", "periodic checkpoints"])
def test_a_finished_spark_run_keeps_a_checkpoint_another_run_wrote_meanwhile(
    spark, every, tmp_path, monkeypatch
):
    """As on one machine (tests/cli/test_cli_safety.py): never delete another run's checkpoint."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
    from test_cli_safety import corpus_text, keeps_another_runs_checkpoint

    corpus = tmp_path / "corpus.txt"
    corpus.write_text(corpus_text())
    keeps_another_runs_checkpoint(corpus, tmp_path, monkeypatch, every, "--spark", MASTER)
