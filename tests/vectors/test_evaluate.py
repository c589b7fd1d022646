"""Evaluation: same numbers as gensim's evaluate_word_analogies / evaluate_word_pairs."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.errors import ConfigError, FormatError
from wordvec.vectors import evaluate as ev
from wordvec.vectors.formats import save
from wordvec.vectors.keyedvectors import KeyedVectors

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def gensim_copy(kv: KeyedVectors):
    gensim_kv = pytest.importorskip("gensim.models.keyedvectors")
    g = gensim_kv.KeyedVectors(kv.dim)
    g.add_vectors(kv.words, kv.vectors)
    return g


@pytest.fixture
def structured(tmp_path):
    """Vectors where b = a + offset(section) + noise, some case variants, and a questions file.

    Returns (kv, path of the questions file).
    """
    rng = np.random.default_rng(0)
    d, n_pairs = 24, 14
    words, vecs, lines = [], [], []
    for s, name in enumerate(["capital-x", "family-y", "gram1-z"]):
        offset = rng.standard_normal(d) * 1.5
        lines.append(f": {name}")
        pair_words = []
        for i in range(n_pairs):
            a, b = f"s{s}a{i}", f"s{s}b{i}"
            va = rng.standard_normal(d)
            words += [a, b]
            vecs += [va, va + offset + rng.standard_normal(d) * 0.9]
            pair_words.append((a, b))
        for i in range(n_pairs):
            for j in range(n_pairs):
                if i != j:
                    (a, b), (c, e) = pair_words[i], pair_words[j]
                    if (i + j) % 3:
                        lines.append(f"{a} {b} {c} {e}")
                    else:  # mixed case: gensim compares upper-cased words
                        lines.append(f"{a.capitalize()} {b} {c} {e.upper()}")
        lines.append("s0a0 s0b0 unknownword s0b1")  # OOV: skipped
    # distractors and case variants (a variant later in the vocabulary than its
    # lower-case form must not be used; one earlier must be)
    for i in range(40):
        words.append(f"noise{i}")
        vecs.append(rng.standard_normal(d))
    words.append("S0A1")  # after "s0a1": ignored for lookups, but a candidate answer
    vecs.append(vecs[words.index("s0b1")] + 0.01)
    words.insert(0, "S1B3")  # before "s1b3": stands for it
    vecs.insert(0, rng.standard_normal(d))
    order = rng.permutation(len(words))
    keep_first = [words.index("S1B3")]  # keep the variant ahead of its lower-case form
    order = keep_first + [i for i in order if i not in keep_first]
    kv = KeyedVectors([words[i] for i in order], np.array([vecs[i] for i in order], np.float32))
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(lines) + "\n")
    return kv, path


def gensim_sections(g, path, restrict, case_insensitive=True):
    score, sections = g.evaluate_word_analogies(
        str(path), restrict_vocab=restrict, case_insensitive=case_insensitive
    )
    return score, {
        s["section"]: (len(s["correct"]), len(s["correct"]) + len(s["incorrect"])) for s in sections
    }


@pytest.mark.parametrize("restrict", [10_000, 120, 60])
@pytest.mark.parametrize("case_insensitive", [True, False])
def test_analogies_match_gensim(structured, restrict, case_insensitive):
    kv, path = structured
    g = gensim_copy(kv)
    result = ev.analogies(kv, path, restrict_vocab=restrict, case_insensitive=case_insensitive)
    score, want = gensim_sections(g, path, restrict, case_insensitive)
    got = {s.name: (s.correct, s.total) for s in result.sections}
    got["Total accuracy"] = (result.correct, result.total)
    assert got == want
    assert result.accuracy == pytest.approx(score)
    if case_insensitive and restrict == 10_000:
        # the planted structure is found, and the case variants matter
        assert 0.2 < result.accuracy < 1.0
        assert all(s.skipped == 1 for s in result.sections)


def test_analogy_counts_and_aggregates(structured):
    kv, path = structured
    result = ev.analogies(kv, path, restrict_vocab=10_000)
    n_questions = 3 * (14 * 13 + 1)
    assert result.total + result.skipped == n_questions
    assert [s.name for s in result.sections] == ["capital-x", "family-y", "gram1-z"]
    sem, syn = result.semantic, result.syntactic
    assert sem.total == sum(s.total for s in result.sections[:2])
    assert syn.correct == result.sections[2].correct
    assert sem.correct + syn.correct == result.correct
    d = result.to_dict()
    assert set(d) == {
        "accuracy",
        "correct",
        "total",
        "skipped",
        "sections",
        "semantic",
        "syntactic",
    }
    assert d["sections"]["gram1-z"] == {
        "accuracy": result.sections[2].accuracy,
        "correct": result.sections[2].correct,
        "total": result.sections[2].total,
        "skipped": 1,
    }


def test_no_answerable_question_gives_no_accuracy_rather_than_zero(tmp_path):
    kv = KeyedVectors(["a", "b", "c", "d"], np.eye(4, dtype=np.float32))
    path = tmp_path / "q.txt"
    path.write_text(": one\na b c d\n: none\nx y z w\n")
    result = ev.analogies(kv, path)
    one, none = result.sections
    assert one.total == 1 and 0.0 <= one.accuracy <= 1.0
    assert none.total == 0 and np.isnan(none.accuracy)
    d = result.to_dict()
    assert d["sections"]["none"]["accuracy"] is None
    assert d["syntactic"]["accuracy"] is None  # no "gram" section at all
    assert d["accuracy"] == one.accuracy


def test_a_byte_order_mark_does_not_hide_the_first_section_or_pair(tmp_path):
    kv = KeyedVectors(["a", "b", "c", "d"], np.eye(4, dtype=np.float32))
    (tmp_path / "q.txt").write_bytes(b"\xef\xbb\xbf: one\na b c d\n")
    assert [s.name for s in ev.analogies(kv, tmp_path / "q.txt").sections] == ["one"]
    (tmp_path / "p.txt").write_bytes(b"\xef\xbb\xbfa\tb\t1\nc\td\t2\nb\td\t3\n")
    assert ev.word_pairs(kv, tmp_path / "p.txt").pairs == 3


def test_question_words_never_answer(tmp_path):
    # b - a + c points exactly at "C", a case variant of c: it must be passed over
    a, b, c = np.eye(3)
    q = b - a + c
    kv = KeyedVectors(["a", "b", "c", "d", "C"], np.float32([a, b, c, q + [0, 0, 0.2], q]))
    assert kv.analogy("a", "b", "c")[0][0] == "C"
    p = tmp_path / "q.txt"
    p.write_text(": s\na b c d\n")
    r = ev.analogies(kv, p)
    assert (r.correct, r.total) == (1, 1)
    _, want = gensim_sections(gensim_copy(kv), p, 30000)
    assert want["Total accuracy"] == (1, 1)
    # case-sensitive, "C" is another word, and the answer
    assert ev.analogies(kv, p, case_insensitive=False).correct == 0


def test_3cosmul_evaluation_on_planted_structure(structured):
    kv, path = structured
    add = ev.analogies(kv, path, restrict_vocab=10_000)
    mul = ev.analogies(kv, path, restrict_vocab=10_000, method="3cosmul")
    assert mul.total == add.total and mul.method == "3cosmul"
    assert mul.accuracy > 0.2
    with pytest.raises(ConfigError, match="method"):
        ev.analogies(kv, path, method="cos")
    with pytest.raises(ConfigError, match="restrict_vocab"):
        ev.analogies(kv, path, restrict_vocab=0)


def test_shipped_analogy_set():
    # every word unknown but two: all 19,544 questions are skipped, in 14 sections
    kv = KeyedVectors(["athens", "greece"], np.eye(2, dtype=np.float32))
    r = ev.analogies(kv)
    assert r.total == 0 and r.skipped == 19544 and np.isnan(r.accuracy)  # none answered
    assert len(r.sections) == 14
    assert r.semantic.skipped == 8869 and r.syntactic.skipped == 10675
    assert r.path.endswith("questions-words.txt")


@pytest.mark.parametrize(
    "text, match",
    [
        (": s\na b c\n", "line 2: expected 4 words"),
        (": s\na b c d\n\na b c d e\n", "line 4: expected 4 words"),
        ("a b c d\n", "line 1: question before the first ': section' line"),
        (":\na b c d\n", "line 1: empty section name"),
        ("# only a comment\n", "no analogy questions"),
    ],
)
def test_malformed_analogy_file(tmp_path, text, match):
    kv = KeyedVectors(["a"], np.ones((1, 2), np.float32))
    p = tmp_path / "q.txt"
    p.write_text(text)
    with pytest.raises(FormatError, match=match) as info:
        ev.analogies(kv, p)
    assert str(p) in str(info.value)
    p.write_bytes(b": s\na b c \xff\n")
    with pytest.raises(FormatError, match="line 2: not valid UTF-8"):
        ev.analogies(kv, p)


def test_read_questions_hands_invalid_lines_to_on_invalid(tmp_path):
    p = tmp_path / "q.txt"
    p.write_text("a b c\n# c\n: s\nk q m\na b c d\n\n: t\ne f g h\n: s\ni j k l\n")
    seen = []
    got = ev.read_questions(p, on_invalid=lambda line, reason: seen.append((line, reason)))
    assert seen == [(1, ev.NO_SECTION), (4, ev.FIELDS)]
    # one section per section line, in file order; analogies merges a name that comes back
    assert got == [("s", [("a", "b", "c", "d")]), ("t", [("e", "f", "g", "h")]),
                   ("s", [("i", "j", "k", "l")])]  # fmt: skip
    assert ev._merged(got) == [("s", [("a", "b", "c", "d"), ("i", "j", "k", "l")]),
                               ("t", [("e", "f", "g", "h")])]  # fmt: skip
    with pytest.raises(FormatError, match="line 1: expected 4 words"):
        ev.read_questions(p)


def test_read_pairs_delimiter_encoding_and_on_invalid(tmp_path):
    p = tmp_path / "p.csv"
    p.write_bytes("# c\ncaf\xe9;th\xe9;2.5\nx y 1\na;b;lots\nb;c;nan\n\nc;d;3\n".encode("latin-1"))
    seen = []
    got = ev.read_pairs(p, ";", "latin-1", lambda line, reason: seen.append((line, reason)))
    assert got == [ev.WordPair("caf\xe9", "th\xe9", 2.5, 2), ev.WordPair("c", "d", 3.0, 7)]
    assert seen == [(3, ev.FIELDS), (4, ev.SCORE), (5, ev.SCORE)]
    with pytest.raises(FormatError, match="line 2: not valid UTF-8"):
        ev.read_pairs(p, ";")
    with pytest.raises(FormatError, match="line 3: expected 'word1<TAB>word2<TAB>score'"):
        ev.read_pairs(p, ";", "latin-1")
    q = tmp_path / "q.tsv"
    q.write_text("a b 1\nc\td\t2\n")  # no delimiter given: tabs, else any whitespace
    assert [(x.first, x.second) for x in ev.read_pairs(q)] == [("a", "b"), ("c", "d")]
    assert ev.read_pairs(q, "\t", on_invalid=lambda *_: None) == [ev.WordPair("c", "d", 2.0, 2)]


# --------------------------------------------------------------------------- similarity
@pytest.fixture
def pairs_file(tmp_path):
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(30)]
    kv = KeyedVectors(["W3"] + words, rng.standard_normal((31, 10)).astype(np.float32))
    lines = ["# comment", "# Word 1\tWord 2\tHuman (mean)"]
    for _ in range(60):
        a, b = rng.choice(30, size=2, replace=False)
        score = rng.choice([1.0, 2.5, 5.0, 7.25, 9.0])  # many ties in the gold scores
        lines.append(f"w{a}\tW{b}\t{score}")
    lines += ["w1\tmissing\t3.0", "missing\tw2\t4.0", "", "w4\tw5\t6.00"]
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(lines) + "\n")
    return kv, path


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("restrict", [300_000, 20])
def test_similarity_matches_gensim_and_scipy(pairs_file, restrict):
    stats = pytest.importorskip("scipy.stats")
    kv, path = pairs_file
    r = ev.similarity(kv, path, restrict_vocab=restrict)
    pearson, spearman, oov = gensim_copy(kv).evaluate_word_pairs(str(path), restrict_vocab=restrict)
    assert r.spearman == pytest.approx(spearman[0], abs=1e-6)
    assert r.pearson == pytest.approx(pearson[0], abs=1e-6)
    assert r.oov_ratio == pytest.approx(oov / 100)
    assert r.name == "pairs" and r.pairs + r.oov == 63
    x = np.random.default_rng(2).integers(0, 5, 50).astype(float)
    np.testing.assert_array_equal(ev.tie_ranks(x), stats.rankdata(x))


def test_similarity_without_known_pairs_is_nan_not_an_error(tmp_path):
    p = tmp_path / "p.tsv"
    p.write_text("x\ty\t1.0\n")
    r = ev.similarity(KeyedVectors(["a"], np.ones((1, 2), np.float32)), p)
    assert math.isnan(r.spearman) and r.oov_ratio == 1.0
    assert r.to_dict() == {"spearman": None, "pearson": None, "oov_ratio": 1.0}


@pytest.mark.parametrize(
    "text, match",
    [
        ("a\tb\n", "line 1: expected 'word1<TAB>word2<TAB>score'; got 2 fields"),
        ("# c\na\tb\t1\na\tb\tc\td\n", "line 3: expected"),
        ("a\tb\tlots\n", "line 1: score 'lots' is not a number"),
        ("a\tb\tnan\n", "line 1: score 'nan' is not a number"),
        ("# nothing\n", "no word pairs"),
    ],
)
def test_malformed_pairs_file(tmp_path, text, match):
    p = tmp_path / "p.tsv"
    p.write_text(text)
    with pytest.raises(FormatError, match=match) as info:
        ev.similarity(KeyedVectors(["a", "b"], np.eye(2, dtype=np.float32)), p)
    assert str(p) in str(info.value)


def test_space_separated_pairs_are_accepted(tmp_path):
    p = tmp_path / "p.txt"
    p.write_text("a b 1\na c 2\nb c 3\n")
    kv = KeyedVectors(["a", "b", "c"], np.float32([[1, 0], [1, 1], [0, 1]]))
    assert ev.similarity(kv, p).pairs == 3


def test_shipped_similarity_sets():
    kv = KeyedVectors(["tiger", "cat", "love", "sex"], np.eye(4, dtype=np.float32))
    results = ev.similarity(kv)
    assert list(results) == ["wordsim353", "simlex999"]
    assert results["wordsim353"].pairs + results["wordsim353"].oov == 353
    assert results["simlex999"].pairs + results["simlex999"].oov == 999


# --------------------------------------------------------------------------- evaluate() and CLI
def test_evaluate_json_shape(structured, pairs_file):
    kv, qpath = structured
    _, ppath = pairs_file
    out = ev.evaluate(kv, analogies=qpath, similarity=[ppath], restrict_vocab=10_000)
    assert set(out) == {"analogy", "similarity"}
    assert {"accuracy", "correct", "total", "skipped", "sections"} <= set(out["analogy"])
    assert set(out["similarity"]) == {"pairs"}
    assert set(out["similarity"]["pairs"]) == {"spearman", "pearson", "oov_ratio"}
    json.dumps(out, allow_nan=False)
    assert set(ev.evaluate(kv, analogies=False, similarity=ppath)) == {"similarity"}
    assert set(ev.evaluate(kv, analogies=qpath, similarity=None)) == {"analogy"}


def test_cli_evaluate(structured, pairs_file, tmp_path, capsys):
    kv, qpath = structured
    _, ppath = pairs_file
    vec = tmp_path / "v.bin"
    save(kv, vec)
    args = ["evaluate", str(vec), "--analogies", str(qpath), "--restrict-vocab", "10000"]
    assert main([*args, "--similarity", str(ppath), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    want = ev.evaluate(kv, analogies=qpath, similarity=[ppath], restrict_vocab=10_000)
    assert got == json.loads(json.dumps(want))
    assert main(args) == 0
    table = capsys.readouterr().out
    assert "capital-x" in table and "semantic" in table and "total" in table
    assert f"{want['analogy']['accuracy']:.2%}" in table
    assert "similarity" not in table
    (tmp_path / "bad.txt").write_text(": s\na b\n")
    assert main(["evaluate", str(vec), "--analogies", str(tmp_path / "bad.txt")]) == 1
    assert "bad.txt: line 2" in capsys.readouterr().err


def test_cli_evaluate_defaults_to_the_shipped_sets(tmp_path, capsys):
    kv = KeyedVectors(["tiger", "cat", "athens"], np.eye(3, dtype=np.float32))
    save(kv, tmp_path / "v.txt")
    assert main(["evaluate", str(tmp_path / "v.txt"), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["analogy"]["skipped"] == 19544
    assert set(got["similarity"]) == {"wordsim353", "simlex999"}


# --------------------------------------------------------------------------- real vectors
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_matches_gensim_on_vectors_trained_on_en17m():
    corpus = DATA / "corpora" / "en17m.txt"
    if not corpus.exists():
        pytest.skip(f"{corpus} not found")
    word2vec = pytest.importorskip("gensim.models.word2vec")
    sentences, n = [], 0
    with open(corpus) as fh:
        for line in fh:
            sentences.append(line.split())
            n += len(sentences[-1])
            if n >= 2_000_000:
                break
    model = word2vec.Word2Vec(sentences, vector_size=100, min_count=5, workers=2, epochs=3, seed=1)
    g = model.wv
    kv = KeyedVectors(list(g.index_to_key), g.vectors)
    ours = ev.analogies(kv, restrict_vocab=30_000)
    score, _ = g.evaluate_word_analogies(
        str(ev.shipped_path("questions-words.txt")), restrict_vocab=30_000
    )
    assert ours.correct > 50  # the comparison means something
    assert abs(ours.accuracy - score) * 100 < 0.1
    for name, result in ev.similarity(kv).items():
        _, spearman, oov = g.evaluate_word_pairs(str(ev.shipped_path(Path(result.path).name)))
        assert abs(result.spearman - spearman[0]) < 1e-3, name
        assert result.oov_ratio == pytest.approx(oov / 100)
