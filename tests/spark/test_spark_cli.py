"""``wordvec train CORPUS -o OUT --spark MASTER``."""

from __future__ import annotations

from _spark_env import require_spark

require_spark()

from conftest import MASTER  # noqa: E402

from wordvec.cli import main  # noqa: E402
from wordvec.formats import load  # noqa: E402


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
