"""The CLI on a fastText .bin: similar / analogy / evaluate / convert answer for unseen words."""

from __future__ import annotations

import json

import numpy as np
import pytest

import wordvec
from wordvec.cli import main
from wordvec.subwords.fasttext_bin import FastTextArgs, write_fasttext_bin
from wordvec.subwords.keyed import SubwordVectors

SYL = ["ka", "to", "mi", "re", "su", "na", "lo", "qu"]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    rng = np.random.default_rng(11)
    words = ["</s>"] + sorted({"".join(rng.choice(SYL, 3)) for _ in range(150)})
    bucket = 211
    args = FastTextArgs(dim=8, bucket=bucket, minn=2, maxn=4, min_count=1)
    path = tmp_path_factory.mktemp("cli") / "model.bin"
    inp = rng.normal(size=(len(words) + bucket, 8))
    write_fasttext_bin(path, args, words, np.arange(len(words), 0, -1), inp,
                       rng.normal(size=(len(words), 8)))  # fmt: skip
    return path


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_similar_and_analogy_answer_unseen_words(model, capsys):
    kv = wordvec.load_fasttext(model)
    assert "kakakaka" not in kv
    assert main(["similar", str(model), "kakakaka", "-n", "3", "--json"]) == 0
    got = _json(capsys)
    want = kv.most_similar("kakakaka", topn=3)
    assert [w for w, _ in got] == [w for w, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], atol=1e-6)
    a, b = kv.words[1], kv.words[2]
    assert main(["analogy", str(model), a, b, "kakakaka", "-n", "2", "--json"]) == 0
    got = _json(capsys)
    want = kv.most_similar(positive=[b, "kakakaka"], negative=[a], topn=2)
    assert [w for w, _ in got] == [w for w, _ in want]


def test_evaluate_with_and_without_oov(model, tmp_path, capsys):
    kv = wordvec.load_fasttext(model)
    w = kv.words
    q = tmp_path / "q.txt"
    q.write_text(f": s\n{w[1]} {w[2]} {w[3]} {w[4]}\nkakakaka {w[2]} {w[3]} {w[5]}\n")
    p = tmp_path / "p.tsv"
    p.write_text(
        f"{w[1]}\t{w[2]}\t1\n{w[3]}\tkakakaka\t2\n{w[5]}\tqulotoqu\t3\n{w[6]}\t{w[7]}\t4\n"
    )
    args = ["evaluate", str(model), "--analogies", str(q), "--similarity", str(p)]
    assert main([*args, "--json"]) == 0
    plain = _json(capsys)
    assert "analogy_oov" not in plain and plain["analogy"]["total"] == 1
    assert main([*args, "--oov", "--json"]) == 0
    both = _json(capsys)
    assert both["analogy"] == plain["analogy"] and both["similarity"] == plain["similarity"]
    assert both["analogy_oov"]["total"] == 2 and both["analogy_oov"]["skipped"] == 0
    assert both["similarity_oov"]["p"]["oov_ratio"] == 0.5
    assert main([*args, "--oov"]) == 0
    out = capsys.readouterr().out
    assert "unseen words from their n-grams" in out and "similarity+oov" in out


def test_evaluate_oov_on_plain_vectors_is_one_line(model, tmp_path, capsys):
    vec = tmp_path / "v.vec"
    wordvec.save(wordvec.load_fasttext(model), vec)
    assert main(["evaluate", str(vec), "--oov"]) == 1
    err = capsys.readouterr().err.strip()
    assert "subword vectors" in err and len(err.splitlines()) == 1


def test_convert_a_fasttext_bin(model, tmp_path, capsys):
    kv = wordvec.load_fasttext(model)
    assert main(["convert", str(model), str(tmp_path / "v.vec")]) == 0
    back = wordvec.load(tmp_path / "v.vec")
    assert back.words == kv.words
    np.testing.assert_allclose(back.vectors, kv.vectors)  # text: shortest round-trip floats
    assert main(["convert", str(model), str(tmp_path / "v.wvec")]) == 0
    sub = wordvec.load(tmp_path / "v.wvec")
    assert isinstance(sub, SubwordVectors)
    np.testing.assert_array_equal(sub["kakakaka"], kv["kakakaka"])


def test_a_damaged_fasttext_bin_is_one_line(model, tmp_path, capsys):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(model.read_bytes()[:-5])
    assert main(["similar", str(bad), "kakakaka"]) == 1
    err = capsys.readouterr().err.strip()
    assert str(bad) in err and "truncated" in err and len(err.splitlines()) == 1
