"""The README's examples, run as written on the shipped corpus, each checked against
what the README says it gives: the first command, every command of "The command
line", the claims of the prose around them, and the Python blocks of "The Python API"
(with "Phrases") and "Coming from gensim". Slow: each trains on 1.9 M words."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from wordvec.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def sections() -> dict[str, list[tuple[str, str]]]:
    """``{"## heading": [(language, code), ...]}`` for every fenced block of the README
    (a ``###`` heading counts as part of the ``##`` section above it)."""
    out: dict[str, list[tuple[str, str]]] = {}
    heading = ""
    lines = README.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("## "):
            heading = line
        elif line.startswith("```"):
            lang = line[3:].strip()
            j = lines.index("```", i + 1)
            out.setdefault(heading, []).append((lang, "\n".join(lines[i + 1 : j])))
            i = j
        i += 1
    return out


def commands(code: str) -> list[list[str]]:
    """The ``wordvec ...`` commands of a shell block, continuations joined, comments cut."""
    joined = code.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words and words[0] == "wordvec":
                out.append(words[1:])
    return out


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    rc = main(argv)
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def first_answer(out: str) -> str:
    """The top word of `wordvec analogy` / `similar` output (a table: rank, word, cosine)."""
    return out.splitlines()[1].split()[1]


def test_the_readme_blocks_are_found():
    found = sections()
    assert commands(found["## The command line"][0][1])[0][:3] == ["train", "-o", "vectors.bin"]
    assert [lang for lang, _ in found["## The Python API"]] == ["python", "python"]
    assert commands(found[""][0][1]) == [["train", "-o", "vectors.bin"]]


@pytest.mark.slow
def test_the_first_command_and_every_command_line_example(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (first,) = commands(sections()[""][0][1])
    rc, out, err = run(first, capsys)
    assert rc == 0, err
    assert err.splitlines()[0].startswith("training on ") and "(the shipped corpus)" in err
    losses = [float(x) for x in re.search(r"loss per epoch: (.*)", out).group(1).split(", ")]
    assert len(losses) == 5 and all(b < a for a, b in zip(losses, losses[1:], strict=False)), losses
    assert re.search(r"trained a vocabulary of \d+ words x 100 dims", out)
    for word in ("king", "love", "sea", "war", "she", "good"):
        assert re.search(rf"^ +{word}: \w+ 0\.\d\d", out, re.M), word
    # the prose of "The command line", on the vectors of the first command
    rc, out, _ = run(["analogy", "vectors.bin", "man", "king", "woman"], capsys)
    assert rc == 0 and first_answer(out) == "queene"
    rc, _, err = run(["similar", "vectors.bin", "King"], capsys)
    assert rc == 1
    assert err.strip().endswith("word 'King' is not in the vocabulary; did you mean 'king'?")
    # every command of the block, in order (the first trains vectors.bin again)
    for argv in commands(sections()["## The command line"][0][1]):
        rc, out, err = run(argv, capsys)
        assert rc == 0, (argv, err)
        if argv[0] == "analogy":
            assert argv[2:5] == ["he", "his", "she"] and first_answer(out) == "her"
    assert Path("words.png").stat().st_size > 0 and Path("joined.txt").stat().st_size > 0


@pytest.mark.slow
def test_the_python_examples(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = sections()
    api, phrases = (code for _, code in found["## The Python API"])
    (gensim,) = (code for lang, code in found["## Coming from gensim"] if lang == "python")

    ns: dict = {}
    exec(compile(api, "README: The Python API", "exec"), ns)
    model = ns["model"]
    history = model.loss_history_[:5]  # the fit's epochs (train() added two more)
    assert all(b < a for a, b in zip(history, history[1:], strict=False)), history
    assert model.wv.most_similar(positive=["his", "she"], negative=["he"])[0][0] == "her"
    assert Path("model.wvm").is_file() and Path("words.png").is_file()

    # (the Phrases block goes on in the same session: it uses the API block's Word2Vec)
    exec(compile(phrases.replace(": ...", ": pass"), "README: Phrases", "exec"), ns)
    bigrams = ns["bigrams"]
    assert bigrams.transform(["new", "york", "is", "big"]) == ["new_york", "is", "big"]
    scores = bigrams.export_phrases()
    assert round(scores["new_york"], 1) == 240.6 and round(scores["united_states"], 1) == 523.3

    ns = {}
    exec(compile(gensim, "README: Coming from gensim", "exec"), ns)
    assert ns["bigram"][["new", "york", "is", "big"]] == ["new_york", "is", "big"]
    assert ns["model"].wv.most_similar(positive=["his", "she"], negative=["he"])[0][0] == "her"
    both = ns["both"]
    assert both.syn1 is not None and both.syn1neg is not None


@pytest.mark.slow
def test_the_subword_section(tmp_path, monkeypatch, capsys):
    """ "Subword vectors": its two commands and its Python block, on the shipped corpus."""
    monkeypatch.chdir(tmp_path)
    shell, python = sections()["## Subword vectors"][:2]
    train, similar = commands(shell[1])
    rc, _, err = run(train, capsys)
    assert rc == 0, err
    assert (tmp_path / "vectors.vec").exists() and (tmp_path / "model.bin").exists()
    rc, out, _ = run(similar, capsys)
    top = [line.split()[1] for line in out.splitlines()[1:4]]
    assert rc == 0 and "kingdome" in top and "kingdoms" in top, out
    scope: dict = {}
    exec(compile(python[1], "README: Subword vectors", "exec"), scope)
    words = [w for w, _ in scope["model"].wv.most_similar("queenes", topn=4)]
    assert {"queene", "queens", "queen"} & set(words), words
    assert "queenes" not in scope["model"].wv and scope["model"].wv["queenes"].any()
    assert (tmp_path / "vectors.wvec").exists()


@pytest.mark.slow
def test_the_spark_section(tmp_path, monkeypatch, capsys):
    """ "Training on Apache Spark" in local mode: the shell block (writing corpus.txt from
    the shipped corpus, then `train --spark`) and both Python blocks, in one session.
    Not run: the three-line driver `train.py` and its `spark-submit --master yarn`, which
    need a YARN cluster (the driver is `wordvec.cli.main`, which the CLI test runs)."""
    pytest.importorskip("pyspark")
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    blocks = sections()["## Training on Apache Spark"]
    shell = blocks[0][1]
    write = [line for line in shell.splitlines() if line.startswith("python -c ")]
    assert len(write) == 1
    subprocess.run([sys.executable, *shlex.split(write[0])[1:]], check=True)
    with open(tmp_path / "corpus.txt", encoding="utf-8") as f:
        assert sum(len(line.split()) for line in f) > 1_800_000  # the whole shipped corpus
    (train,) = commands(shell)
    assert train[:2] == ["train", "corpus.txt"] and "--spark" in train
    rc, out, err = run(train, capsys)
    assert rc == 0, err
    assert re.search(r"trained a vocabulary of \d+ words x 100 dims", out)
    assert (tmp_path / "vectors.bin").stat().st_size > 0
    (tmp_path / "corpus.txt").unlink()  # the Python block writes it again

    api, ml = (code for lang, code in blocks if lang == "python" and "spark.read" in code)
    assert "default_corpus_path()" in api and "corpus.txt" in ml
    ns: dict = {}
    try:
        exec(compile(api, "README: Training on Apache Spark", "exec"), ns)
        assert (tmp_path / "corpus.txt").is_file()
        model = ns["model"]
        assert len(model.wv) > 10_000 and model.wv.dim == 100
        assert model.wv.most_similar("king")[0][0] in model.wv
        exec(compile(ml, "README: Training on Apache Spark (ML)", "exec"), ns)
        stage = ns["model"].stages[-1]
        (row,) = ns["model"].transform(ns["lines"]).select("features").head(1)
        assert len(row.features) == 50
        assert stage.findSynonyms("king", 5).count() == 5
    finally:
        if "spark" in ns:
            ns["spark"].stop()
