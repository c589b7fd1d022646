"""Only wordvec.spark imports pyspark: the core package, a fit and the CLI never load it.

These tests need no pyspark (they run, and must pass, where it is not installed).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from wordvec.cli import main

SRC = Path(__file__).resolve().parents[1] / "src" / "wordvec"


def _imports_pyspark(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(n == "pyspark" or n.startswith("pyspark.") for n in names):
            lines.append(node.lineno)
    return lines


def test_no_module_outside_wordvec_spark_imports_pyspark():
    spark_dir = SRC / "spark"
    found = {
        str(p.relative_to(SRC)): _imports_pyspark(p)
        for p in SRC.rglob("*.py")
        if spark_dir not in p.parents
    }
    assert {k: v for k, v in found.items() if v} == {}
    assert _imports_pyspark(spark_dir / "corpus.py")  # the check sees an import where one is


def test_importing_wordvec_and_fitting_never_loads_pyspark(tmp_path):
    code = (
        "import sys, wordvec\n"
        "from wordvec import Word2Vec\n"
        "from wordvec.cli import build_parser\n"
        "build_parser().parse_args(['train', 'c.txt', '-o', 'v.txt'])\n"
        "m = Word2Vec(dim=8, min_count=1, epochs=1, threads=1).fit([['a', 'b', 'c']] * 50)\n"
        "m.wv.most_similar('a')\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('pyspark', 'py4j')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "[]"


def test_spark_options_without_spark_are_refused(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c\n" * 20)
    rc = main(["train", str(corpus), "-o", str(tmp_path / "v.txt"), "--partitions", "4"])
    assert rc == 1
    assert "are Spark options: add --spark MASTER" in capsys.readouterr().err
    assert not (tmp_path / "v.txt").exists()
