"""`wordvec phrases`, `wordvec train --phrases N`, `wordvec evaluate --phrases` and
`evaluate.phrase_analogies`."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.phrases.phrases import ENGLISH_CONNECTOR_WORDS, Phrases
from wordvec.text.corpus import TextCorpus
from wordvec.vectors import evaluate as ev
from wordvec.vectors.formats import load, save
from wordvec.vectors.keyedvectors import KeyedVectors

BOOKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "corpora"
BOOKS = BOOKS / "public-domain-books.txt"


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "books.txt"
    with open(BOOKS, encoding="utf-8") as fh:
        path.write_text("".join(line for _, line in zip(range(600), fh, strict=False)))
    return path


def test_phrases_command_writes_the_joined_text(books, tmp_path, capsys, monkeypatch):
    out = tmp_path / "joined.txt"
    args = ["--passes", "2", "--connector-words", "english", "--min-count", "3"]
    assert main(["phrases", str(books), "-o", str(out), *args]) == 0
    assert "phrases in 2 pass(es)" in capsys.readouterr().out
    model = Phrases(passes=2, connector_words=ENGLISH_CONNECTOR_WORDS, min_count=3)
    expected = [" ".join(s) for s in model.fit(books).transform_corpus(books)]
    assert out.read_text().splitlines() == expected
    assert any("_" in line for line in expected)
    # the same from standard input
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(books.read_bytes())))
    assert main(["phrases", "-", "-o", str(tmp_path / "stdin.txt"), *args]) == 0
    assert (tmp_path / "stdin.txt").read_bytes() == out.read_bytes()


def test_phrases_command_never_clobbers(books, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(books.read_bytes() + b"\nbroken \xff utf8\n")
    out = tmp_path / "out.txt"
    out.write_text("precious\n")
    assert main(["phrases", str(bad), "-o", str(out)]) == 1
    assert "invalid UTF-8" in capsys.readouterr().err
    assert out.read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "out.txt"]  # no leftovers
    assert main(["phrases", str(books), "-o", str(books)]) == 1
    assert "overwrite" in capsys.readouterr().err
    assert main(["phrases", str(books), "-o", str(tmp_path / "no" / "x.txt")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["phrases", str(books), "-o", str(out), "--scoring", "npmi"]) == 1
    assert "threshold" in capsys.readouterr().err


def test_train_with_phrases_is_training_on_the_joined_text(books, tmp_path):
    joined = tmp_path / "joined.txt"
    assert main(["phrases", str(books), "-o", str(joined), "--passes", "2"]) == 0
    common = ["--dim", "8", "--epochs", "1", "--min-count", "2", "--threads", "1", "--quiet"]
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    assert main(["train", str(joined), "-o", str(a), *common]) == 0
    assert main(["train", str(books), "-o", str(b), "--phrases", "2", *common]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert any("_" in w for w in load(b).words)


@pytest.fixture
def phrase_vectors():
    """Vectors in which city : its newspaper is one offset, for four cities."""
    rng = np.random.default_rng(0)
    cities = ["albuquerque", "baltimore", "boston", "chicago"]
    papers = ["albuquerque_journal", "baltimore_sun", "boston_globe", "chicago_tribune"]
    base = rng.standard_normal((4, 30))
    offset = rng.standard_normal(30) * 2
    words = cities + papers + ["filler"]
    vectors = np.vstack([base, base + offset, rng.standard_normal((1, 30))]).astype(np.float32)
    return KeyedVectors(words, vectors)


def test_phrase_analogies_counts_the_answerable_questions(phrase_vectors):
    result = ev.phrase_analogies(phrase_vectors)
    assert result.total == 12  # the ordered pairs of the four cities, all correct
    assert result.correct == 12
    assert result.total + result.skipped == 3218
    assert ev.phrase_analogies(phrase_vectors, case_insensitive=False).total == 0
    assert ev.evaluate(phrase_vectors, False, False, phrases=True)["phrase_analogy"]["total"] == 12


def test_evaluate_command_with_phrases(phrase_vectors, tmp_path, capsys):
    path = tmp_path / "v.txt"
    save(phrase_vectors, path)
    assert main(["evaluate", str(path), "--phrases"]) == 0
    out = capsys.readouterr().out
    assert "12 of 3218 questions answerable" in out and "newspapers" in out
    assert "similarity" not in out
    assert main(["evaluate", str(path), "--phrases", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["phrase_analogy"]["correct"] == 12 and "analogy" not in result


def test_shipped_phrase_set_is_the_shared_one():
    shared = BOOKS.parents[1] / "eval" / "questions-phrases.txt"
    assert ev.shipped_path(ev.SHIPPED_PHRASE_ANALOGIES).read_bytes() == shared.read_bytes()
    assert sum(1 for _ in TextCorpus(shared)) == 3218 + 5


def test_the_parser_knows_every_scorer_without_importing_the_kernels():
    from wordvec.cli import phrases as cli_phrases
    from wordvec.phrases import SCORERS

    assert cli_phrases.SCORINGS == tuple(SCORERS)
