"""The import paths users have today keep working after the tree was laid out by stage.

README.md, the docstrings and error messages name these paths (``python -m
wordvec.compat.convert`` is what a compat error tells users to run); a move of a
module must leave each of them importable, with the same object behind it.
"""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys

import pytest

PATHS = [
    ("wordvec", "Word2Vec"),
    ("wordvec", "KeyedVectors"),
    ("wordvec", "load"),
    ("wordvec", "save"),
    ("wordvec", "Phrases"),
    ("wordvec", "TextCorpus"),
    ("wordvec", "default_corpus_path"),
    ("wordvec.evaluate", "analogies"),
    ("wordvec.evaluate", "word_pairs"),
    ("wordvec.evaluate", "evaluate"),
    ("wordvec.plot", "plot"),
    ("wordvec.plot", "COURSE_WORDS"),
    ("wordvec.phrases", "Phrases"),
    ("wordvec.phrases", "FrozenPhrases"),
    ("wordvec.phrases", "load"),
    ("wordvec.vectors", "KeyedVectors"),
    ("wordvec.compat", "Word2Vec"),
    ("wordvec.compat.word2vec", "LineSentence"),
    ("wordvec.compat.callbacks", "CallbackAny2Vec"),
    ("wordvec.compat.convert", "main"),
    ("wordvec.reference", "__doc__"),
    ("wordvec.cli", "main"),
    ("wordvec.spark", "Word2Vec"),
]


@pytest.mark.parametrize(("module", "name"), PATHS)
def test_old_import_path_works(module, name):
    assert hasattr(importlib.import_module(module), name)


def test_the_spark_ml_stage_is_where_it_was():
    # found, not imported: importing it loads pyspark (tests/test_spark_isolation.py)
    spec = importlib.util.find_spec("wordvec.spark.ml")
    assert spec is not None and spec.origin.endswith("spark/ml.py")


def test_the_old_paths_are_the_same_objects():
    import wordvec
    from wordvec.vectors import evaluate, formats, plot

    assert importlib.import_module("wordvec.evaluate").analogies is evaluate.analogies
    assert importlib.import_module("wordvec.plot").plot is plot.plot
    assert wordvec.load is formats.load


def test_convert_runs_as_a_module():
    out = subprocess.run(
        [sys.executable, "-m", "wordvec.compat.convert", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "usage" in out.stdout.lower()
