"""wordvec.evaluate with oov=True: unseen words scored from their n-grams, against a loop."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec import evaluate
from wordvec.errors import ConfigError
from wordvec.subwords.keyed import SubwordVectors
from wordvec.vectors import KeyedVectors

SYL = ["ka", "to", "mi", "re", "su", "na", "lo", "qu", "be", "x"]


@pytest.fixture(scope="module")
def kv():
    rng = np.random.default_rng(3)
    words = sorted({"".join(rng.choice(SYL, 3)) for _ in range(400)})
    bucket = 301
    w = rng.normal(size=(len(words) + bucket, 12)).astype(np.float32)
    return SubwordVectors(words, w, 2, 4, bucket)


def _unseen(kv, rng, n):
    out = []
    while len(out) < n:
        w = "".join(rng.choice(SYL, 4))
        if w not in kv and kv.has_vector(w):
            out.append(w)
    return out


def _questions(kv, tmp_path):
    """Sections of questions with unseen a, b or c; half of the answers are the model's own."""
    rng = np.random.default_rng(5)
    lines = []
    for section in ("capital", "gram1-plural"):
        lines.append(f": {section}")
        for j in range(30):
            a, b, c = (
                _unseen(kv, rng, 1)[0] if (j + t) % 3 == 0 else str(rng.choice(kv.words))
                for t in range(3)
            )
            if j % 2:  # the model's own answer: these must count as correct
                top = kv.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]
            else:
                top = str(rng.choice(kv.words))
            lines.append(f"{a} {b} {c} {top}")
        lines.append(
            f"{_unseen(kv, rng, 1)[0]} {kv.words[0]} {kv.words[1]} {_unseen(kv, rng, 1)[0]}"
        )
    path = tmp_path / "q.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def _loop(kv, path, method):
    """One most_similar per question (gensim's rule: the best of the top 5 that is no
    question word), asking every question whose answer is in the vocabulary."""
    counts = {}
    section = None
    for line in path.read_text().splitlines():
        if line.startswith(":"):
            section = line[1:].strip()
            counts[section] = [0, 0, 0]
            continue
        a, b, c, d = line.split()
        if d not in kv:
            counts[section][2] += 1
            continue
        query = kv.most_similar if method == "3cosadd" else kv.most_similar_cosmul
        cands = [w for w, _ in query(positive=[b, c], negative=[a], topn=5)]
        rest = [w for w in cands if w not in (a, b, c)]
        answer = rest[0] if rest else cands[-1]
        counts[section][0] += answer == d
        counts[section][1] += 1
    return counts


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_analogies_with_unseen_words_match_a_loop(kv, tmp_path, method):
    path = _questions(kv, tmp_path)
    res = evaluate.analogies(kv, path, restrict_vocab=10**6, case_insensitive=False,
                             method=method, oov=True)  # fmt: skip
    expected = _loop(kv, path, method)
    got = {s.name: [s.correct, s.total, s.skipped] for s in res.sections}
    assert got == expected
    assert all(s.total == 30 and s.skipped == 1 for s in res.sections)
    if method == "3cosadd":
        assert res.overall.correct >= 30  # the planted answers (half) at least
    plain = evaluate.analogies(kv, path, restrict_vocab=10**6, case_insensitive=False,
                               method=method)  # fmt: skip
    assert plain.overall.total < res.overall.total
    assert plain.overall.skipped == res.overall.skipped + (res.overall.total - plain.overall.total)


def test_word_pairs_with_unseen_words_match_by_hand(kv, tmp_path):
    scipy_stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(9)
    pairs = []
    for j in range(40):
        a = _unseen(kv, rng, 1)[0] if j % 2 else str(rng.choice(kv.words))
        b = _unseen(kv, rng, 1)[0] if j % 3 == 0 else str(rng.choice(kv.words))
        pairs.append((a, b, float(rng.uniform(0, 10))))
    pairs.append(("zz", kv.words[3], 5.0))  # "zz" has n-grams "<z", "zz", "z>": not zero
    path = tmp_path / "p.tsv"
    path.write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in pairs))
    res = evaluate.word_pairs(kv, path, case_insensitive=False, oov=True)
    cos = [kv.similarity(a, b) for a, b, _ in pairs]
    gold = [s for _, _, s in pairs]
    assert res.pairs == len(pairs)
    assert res.oov == sum(a not in kv or b not in kv for a, b, _ in pairs)
    assert res.spearman == pytest.approx(scipy_stats.spearmanr(gold, cos)[0], abs=1e-6)
    assert res.pearson == pytest.approx(scipy_stats.pearsonr(gold, cos)[0], abs=1e-6)
    plain = evaluate.word_pairs(kv, path, case_insensitive=False)
    assert plain.pairs == len(pairs) - res.oov and plain.oov == res.oov


def test_evaluate_reports_both_and_refuses_plain_vectors(kv, tmp_path):
    path = _questions(kv, tmp_path)
    out = evaluate.evaluate(kv, analogies=path, similarity=False, restrict_vocab=10**6, oov=True)
    assert {"analogy", "analogy_oov"} <= out.keys()
    assert out["analogy_oov"]["total"] > out["analogy"]["total"]
    plain = KeyedVectors(kv.words, kv.vectors)
    with pytest.raises(ConfigError, match="subword vectors"):
        evaluate.evaluate(plain, analogies=path, similarity=False, oov=True)
