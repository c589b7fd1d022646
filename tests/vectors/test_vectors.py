"""KeyedVectors: lookups, and every query against a brute-force NumPy computation."""

from __future__ import annotations

import json

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.errors import ConfigError, UnknownWordError
from wordvec.vectors import neighbours, queries
from wordvec.vectors.keyedvectors import KeyedVectors

V, D = 60, 8


@pytest.fixture
def kv() -> KeyedVectors:
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(V)]
    return KeyedVectors(words, rng.standard_normal((V, D)).astype(np.float32), np.arange(V)[::-1])


def unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    return m / np.linalg.norm(m, axis=-1, keepdims=True)


def brute_add(kv, pos, neg, topn, restrict=None):
    """3CosAdd by the definition, in float64, with a plain Python sort."""
    n = unit(kv.vectors)
    q = sum(n[kv.get_index(w)] for w in pos) - sum(
        (n[kv.get_index(w)] for w in neg), np.zeros(kv.dim)
    )
    q = q / np.linalg.norm(q)
    r = len(kv) if restrict is None else restrict
    skip = {kv.get_index(w) for w in pos + neg}
    ranked = sorted((i for i in range(r) if i not in skip), key=lambda i: (-(n[i] @ q), i))
    return [(kv.words[i], float(n[i] @ q)) for i in ranked[:topn]]


def brute_mul(kv, pos, neg, topn, eps=1e-3):
    n = unit(kv.vectors)
    s = {w: (n @ n[kv.get_index(w)] + 1) / 2 for w in pos + neg}
    score = np.prod([s[w] for w in pos], axis=0) / (np.prod([s[w] for w in neg], axis=0) + eps)
    skip = {kv.get_index(w) for w in pos + neg}
    ranked = sorted((i for i in range(len(kv)) if i not in skip), key=lambda i: (-score[i], i))
    return [(kv.words[i], float(score[i])) for i in ranked[:topn]]


def assert_same(got, want):
    assert [w for w, _ in got] == [w for w, _ in want]
    np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- basics
def test_lookup_and_container_protocol(kv):
    assert len(kv) == V and kv.dim == D
    assert "w3" in kv and "nope" not in kv and 3 not in kv
    assert kv.get_index("w7") == 7 and kv.key_to_index["w7"] == 7 and kv.words[7] == "w7"
    np.testing.assert_array_equal(kv["w5"], kv.vectors[5])
    np.testing.assert_array_equal(kv[["w5", "w1"]], kv.vectors[[5, 1]])
    assert kv.vectors.dtype == np.float32 and kv.counts.dtype == np.int64


def test_unknown_word_is_a_keyerror_naming_the_word(kv):
    for call in (
        lambda: kv["nope"],
        lambda: kv.get_index("nope"),
        lambda: kv.most_similar("nope"),
        lambda: kv.similarity("w1", "nope"),
        lambda: kv.analogy("w1", "w2", "nope"),
        lambda: kv.doesnt_match(["w1", "nope"]),
        lambda: kv.most_similar_batch(["w1", "nope"]),
        lambda: kv[["w1", "nope"]],
    ):
        with pytest.raises(UnknownWordError) as info:
            call()
        assert isinstance(info.value, KeyError)
        assert info.value.word == "nope" and "'nope'" in str(info.value)


def test_an_unknown_word_with_another_case_here_gets_did_you_mean(kv, vec_file, capsys):
    assert "did you mean" not in str(pytest.raises(UnknownWordError, kv.get_index, "nope").value)
    for typed in ("W7", "W7".lower().upper()):
        with pytest.raises(
            UnknownWordError, match=r"'W7' is not in the vocabulary; did you mean 'w7'\?"
        ):
            kv.most_similar(typed)
    words = ["king", "Paris", "NATO"]
    cased = KeyedVectors(words, np.eye(3, dtype=np.float32))
    assert [cased.case_match(w) for w in ("King", "paris", "nato", "queen")] == [
        "king", "Paris", "NATO", None,
    ]  # fmt: skip
    assert main(["similar", vec_file, "W3"]) == 1
    err = capsys.readouterr().err
    assert "did you mean 'w3'?" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "words, vectors, counts, match",
    [
        (["a", "a"], np.zeros((2, 3)), None, "unique"),
        (["a", "b"], np.zeros((3, 3)), None, "one row per word"),
        (["a", "b"], np.zeros(2), None, "2-D"),
        (["a", 1], np.zeros((2, 3)), None, "only str"),
        (["a", "b"], np.zeros((2, 3)), np.zeros(3, int), "counts"),
        (["a", "b"], np.zeros((2, 3)), np.zeros(2), "counts"),
        (["a", "b"], np.array([["x"] * 3] * 2), None, "numeric"),
    ],
)
def test_constructor_validates(words, vectors, counts, match):
    with pytest.raises(ConfigError, match=match):
        KeyedVectors(words, vectors, counts)


def test_normed_is_cached_and_reset_when_vectors_are_replaced(kv):
    n1 = kv.get_normed()
    assert kv.normed is n1 and kv.get_normed() is n1
    np.testing.assert_allclose(n1, unit(kv.vectors), rtol=1e-6, atol=1e-7)
    kv.vectors = kv.vectors * 3.0
    n2 = kv.get_normed()
    assert n2 is not n1
    np.testing.assert_allclose(n2, n1, rtol=1e-6, atol=1e-7)
    with pytest.raises(ConfigError):
        kv.vectors = np.zeros((V + 1, D))


def test_zero_vector_has_zero_cosine():
    kv = KeyedVectors(["a", "b", "c"], np.array([[0, 0], [1, 0], [0, 1]], np.float32))
    assert kv.similarity("a", "b") == 0.0
    assert np.all(np.isfinite(kv.get_normed()))


def test_non_finite_vectors_are_found_before_any_query_uses_them():
    vecs = np.float32([[1, 0], [0, 1], [np.nan, 1], [1, 1]])
    kv = KeyedVectors(["a", "b", "c", "d"], vecs)  # cheap: nothing is scanned yet
    queries = [
        lambda: kv.most_similar("a"),
        lambda: kv.most_similar_cosmul("a"),
        lambda: kv.analogy("a", "b", "d"),
        lambda: kv.similarity("a", "b"),
        lambda: kv.doesnt_match(["a", "b", "d"]),
        lambda: kv.most_similar_batch(["a"]),
        lambda: kv.analogy_batch(["a"], ["b"], ["d"]),
        lambda: kv.similarity_batch(["a"], ["b"]),
        lambda: kv.get_normed(),
        lambda: kv["c"],
        lambda: kv[["a", "c"]],
    ]
    for query in queries:
        with pytest.raises(ConfigError, match=r"row 2 \('c'\) holds a non-finite value"):
            query()
    assert kv["a"].tolist() == [1, 0]
    kv.vectors = np.nan_to_num(vecs)  # mended: every query works again
    assert [w for w, _ in kv.most_similar("a", topn=3)] == ["d", "b", "c"]
    # a query vector must be finite too: a similarity is never NaN
    with pytest.raises(ConfigError, match="`positive` vectors must be finite"):
        kv.most_similar(np.float32([np.inf, 0]))


# --------------------------------------------------------------------------- single queries
def test_most_similar_matches_brute_force(kv):
    rng = np.random.default_rng(1)
    for _ in range(20):
        ws = [f"w{i}" for i in rng.choice(V, size=5, replace=False)]
        pos, neg = ws[: rng.integers(1, 4)], ws[3 : 3 + rng.integers(0, 3)]
        topn = int(rng.integers(1, 15))
        assert_same(kv.most_similar(pos, neg, topn=topn), brute_add(kv, pos, neg, topn))
    # a single string is one positive word
    assert_same(kv.most_similar("w4", topn=5), brute_add(kv, ["w4"], [], 5))


def test_most_similar_weights_scale_each_term(kv):
    """(word, weight) pairs: the query is sum(w * unit(pos)) - sum(w * unit(neg))."""
    n = unit(kv.vectors)
    for pos, neg in [([("w3", 2.0), "w7"], [("w9", 0.5)]), ([("w1", -1.0)], []), ([], ["w2"])]:
        q = np.zeros(kv.dim)
        for sign, terms in ((1, pos), (-1, neg)):
            for t in terms:
                word, w = t if isinstance(t, tuple) else (t, 1.0)
                q = q + sign * w * n[kv.get_index(word)]
        q = q / np.linalg.norm(q)
        skip = {kv.get_index(t[0] if isinstance(t, tuple) else t) for t in pos + neg}
        ranked = sorted((i for i in range(V) if i not in skip), key=lambda i: (-(n[i] @ q), i))
        want = [(kv.words[i], float(n[i] @ q)) for i in ranked[:6]]
        assert_same(kv.most_similar(pos, neg, topn=6), want)
    # a weight of 1 is the plain query, bit for bit
    assert kv.most_similar([("w3", 1.0), ("w4", 1)], topn=5) == kv.most_similar(
        ["w3", "w4"], topn=5
    )
    vec = kv.vectors[5]
    assert_same(kv.most_similar([(vec, 3.0)], topn=4), kv.most_similar([vec], topn=4))
    for bad in [("w1", "x"), ("w1", np.nan), ("w1", 1.0, 2.0)]:
        with pytest.raises((ConfigError, UnknownWordError)):
            kv.most_similar([bad])


def test_most_similar_topn_none_gives_every_similarity(kv):
    got = kv.most_similar(["w3"], ["w8"], topn=None)
    n = unit(kv.vectors)
    q = n[3] - n[8]
    q = q / np.linalg.norm(q)
    assert got.dtype == np.float32 and got.shape == (V,)
    np.testing.assert_allclose(got, n @ q, rtol=1e-5, atol=1e-6)  # the query words included
    assert kv.most_similar("w3", topn=None, restrict_vocab=10).shape == (10,)


def test_most_similar_restrict_vocab_and_topn_bounds(kv):
    got = kv.most_similar("w50", topn=100, restrict_vocab=20)
    assert len(got) == 20 and all(kv.get_index(w) < 20 for w, _ in got)
    assert_same(got, brute_add(kv, ["w50"], [], 100, restrict=20))
    assert len(kv.most_similar("w5", topn=1000)) == V - 1
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ConfigError, match="topn"):
            kv.most_similar("w1", topn=bad)
        with pytest.raises(ConfigError, match="restrict_vocab"):
            kv.most_similar("w1", restrict_vocab=bad)
    with pytest.raises(ConfigError, match="at least one"):
        kv.most_similar([], [])


def test_most_similar_accepts_raw_vectors(kv):
    v = kv["w3"] * 5.0
    got = kv.most_similar([v], topn=3)
    # a raw vector is not a word: w3 itself is the best answer
    assert got[0][0] == "w3" and got[0][1] == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ConfigError, match="shape"):
        kv.most_similar([np.zeros(D + 1)])


def test_most_similar_cosmul_matches_brute_force(kv):
    rng = np.random.default_rng(2)
    for _ in range(10):
        a, b, c = (f"w{i}" for i in rng.choice(V, size=3, replace=False))
        assert_same(kv.most_similar_cosmul([b, c], [a], topn=7), brute_mul(kv, [b, c], [a], 7))
    assert_same(
        kv.most_similar_cosmul(["w1"], ["w2"], topn=4, epsilon=1e-6),
        brute_mul(kv, ["w1"], ["w2"], 4, eps=1e-6),
    )
    with pytest.raises(ConfigError, match="positive"):
        kv.most_similar_cosmul([], ["w1"])


def test_analogy_is_most_similar_of_b_plus_c_minus_a(kv):
    assert_same(kv.analogy("w1", "w2", "w3", topn=4), brute_add(kv, ["w2", "w3"], ["w1"], 4))
    assert_same(
        kv.analogy("w1", "w2", "w3", topn=4, method="3cosmul"),
        brute_mul(kv, ["w2", "w3"], ["w1"], 4),
    )
    with pytest.raises(ConfigError, match="method"):
        kv.analogy("w1", "w2", "w3", method="cos")


def test_analogy_on_planted_structure():
    rng = np.random.default_rng(3)
    base = rng.standard_normal((4, 50))
    royal = rng.standard_normal(50)
    vecs = np.vstack([base[0], base[0] + royal, base[1], base[1] + royal, base[2], base[3]])
    kv = KeyedVectors(["man", "king", "woman", "queen", "x", "y"], vecs)
    assert kv.analogy("man", "king", "woman")[0][0] == "queen"
    assert kv.analogy("man", "king", "woman", method="3cosmul")[0][0] == "queen"


def test_similarity_and_doesnt_match(kv):
    n = unit(kv.vectors)
    assert kv.similarity("w1", "w2") == pytest.approx(n[1] @ n[2], abs=1e-6)
    ws = ["w1", "w2", "w3", "w4"]
    rows = n[[1, 2, 3, 4]]
    mean = rows.mean(axis=0)
    assert kv.doesnt_match(ws) == ws[int(np.argmin(rows @ (mean / np.linalg.norm(mean))))]
    rng = np.random.default_rng(4)
    centre = rng.standard_normal(20)
    close = centre + 0.05 * rng.standard_normal((3, 20))
    kv2 = KeyedVectors(["a", "b", "c", "odd"], np.vstack([close, -centre]))
    assert kv2.doesnt_match(["a", "odd", "b", "c"]) == "odd"
    with pytest.raises(ConfigError):
        kv.doesnt_match([])


# --------------------------------------------------------------------------- batched queries
@pytest.fixture
def small_chunks(monkeypatch):
    # force several chunks even on tiny inputs, to test the chunk seams
    monkeypatch.setattr(neighbours, "CHUNK_BYTES", 4 * V * 3)


def test_most_similar_batch_equals_single_queries(kv, small_chunks):
    words = [f"w{i}" for i in range(0, V, 3)]
    for topn, restrict in ((5, None), (12, None), (3, 25)):
        idx, scores = kv.most_similar_batch(words, topn=topn, restrict_vocab=restrict)
        assert idx.shape == scores.shape == (len(words), topn)
        for row, w in enumerate(words):
            want = brute_add(kv, [w], [], topn, restrict=restrict)
            assert [kv.words[i] for i in idx[row]] == [x for x, _ in want]
            np.testing.assert_allclose(scores[row], [s for _, s in want], rtol=1e-5, atol=1e-6)
    idx2, _ = kv.most_similar_batch(np.array([kv.get_index(w) for w in words]), topn=5)
    np.testing.assert_array_equal(idx2, kv.most_similar_batch(words, topn=5)[0])


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_analogy_batch_equals_single_queries(kv, small_chunks, method):
    rng = np.random.default_rng(5)
    q = np.array([rng.choice(V, size=3, replace=False) for _ in range(40)])
    a, b, c = ([kv.words[i] for i in q[:, j]] for j in range(3))
    idx, scores = kv.analogy_batch(a, b, c, topn=12, method=method)
    assert idx.shape == (40, 12)
    for row in range(40):
        want = kv.analogy(a[row], b[row], c[row], topn=12, method=method)
        assert [kv.words[i] for i in idx[row]] == [w for w, _ in want]
        np.testing.assert_allclose(scores[row], [s for _, s in want], rtol=1e-5, atol=1e-6)
    # the same with index arrays and a restricted search
    idx_r, _ = kv.analogy_batch(q[:, 0], q[:, 1], q[:, 2], topn=3, restrict_vocab=30, method=method)
    for row in range(40):
        want = kv.analogy(a[row], b[row], c[row], topn=3, restrict_vocab=30, method=method)
        assert [kv.words[i] for i in idx_r[row]] == [w for w, _ in want]
        assert set(idx_r[row]).isdisjoint(q[row])


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
@pytest.mark.parametrize("restrict", [V, 30])
def test_analogy_answers_pick_as_ranking_then_choosing_does(kv, small_chunks, method, restrict):
    """evaluate's answer rule, one search per question: of the best 5, the first that is
    no variant (same group) of a question word, else the 5th."""
    rng = np.random.default_rng(9)
    # groups of 1 to 4 rows: many candidates are variants of a question word
    groups = np.repeat(np.arange(V), rng.integers(1, 5, V))[:restrict]
    groups = np.array([np.flatnonzero(groups == g)[0] for g in groups])  # first row stands
    q = np.array([rng.choice(groups, size=3, replace=False) for _ in range(60)])
    got = queries.analogy_answers(kv, q[:, 0], q[:, 1], q[:, 2], groups, 5, method)
    ranked, _ = kv.analogy_batch(
        q[:, 0], q[:, 1], q[:, 2], topn=5, restrict_vocab=restrict, method=method
    )
    variant = (groups[ranked][:, :, None] == q[:, None, :3]).any(axis=2)
    first = np.where(variant.all(axis=1), 4, variant.argmin(axis=1))
    want = ranked[np.arange(len(q)), first]
    np.testing.assert_array_equal(got, want)
    assert variant[:, 0].any() and (first > 0).any()  # the rule was exercised
    assert len(got) == 60


def test_analogy_answers_where_all_the_best_are_variants(small_chunks):
    # rows 3..7 are all one group with a: each is a variant, so the 5th best is the answer
    vectors = np.array(
        [[0, 1.0], [1, 0], [0.6, 0.8]]  # a, b, c: b - a + c points along the x axis
        + [[np.cos(t), np.sin(t)] for t in (-0.1, -0.05, 0.0, 0.05, 0.1)]
        + [[-1, -1]],
        np.float32,
    )
    kv = KeyedVectors([f"w{i}" for i in range(9)], vectors)
    groups = np.array([0, 1, 2, 0, 0, 0, 0, 0, 8])
    got = queries.analogy_answers(kv, [0], [1], [2], groups, 5)
    ranked, _ = kv.analogy_batch([0], [1], [2], topn=5)
    assert set(ranked[0]) == {3, 4, 5, 6, 7}
    assert got[0] == ranked[0, 4]


def test_batch_argument_checks(kv):
    with pytest.raises(ConfigError, match="same length"):
        kv.analogy_batch(["w1"], ["w2", "w3"], ["w4"])
    with pytest.raises(ConfigError, match="indices"):
        kv.analogy_batch([0], [1], [V])
    with pytest.raises(ConfigError, match="method"):
        kv.analogy_batch([0], [1], [2], method="x")
    sims = kv.similarity_batch(["w1", "w2"], ["w3", "w4"])
    np.testing.assert_allclose(
        sims, [kv.similarity("w1", "w3"), kv.similarity("w2", "w4")], atol=1e-6
    )


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # gensim's own init_sims
def test_queries_agree_with_gensim(kv):
    gensim_kv = pytest.importorskip("gensim.models.keyedvectors")
    g = gensim_kv.KeyedVectors(D)
    g.add_vectors(kv.words, kv.vectors)
    assert_same(
        kv.most_similar(["w1", "w2"], ["w3"], topn=8), g.most_similar(["w1", "w2"], ["w3"], topn=8)
    )
    assert kv.doesnt_match(["w1", "w5", "w9", "w13"]) == g.doesnt_match(["w1", "w5", "w9", "w13"])
    assert kv.similarity("w1", "w2") == pytest.approx(float(g.similarity("w1", "w2")), abs=1e-6)
    # gensim's 3CosMul uses epsilon 1e-6 (the paper uses 1e-3)
    assert_same(
        kv.most_similar_cosmul(["w1", "w2"], ["w3"], topn=8, epsilon=1e-6),
        g.most_similar_cosmul(["w1", "w2"], ["w3"], topn=8),
    )


# --------------------------------------------------------------------------- CLI
@pytest.fixture
def vec_file(kv, tmp_path):
    from wordvec.vectors.formats import save

    path = tmp_path / "v.wvec"
    save(kv, path)
    return str(path)


def test_cli_similar(kv, vec_file, capsys):
    assert main(["similar", vec_file, "w3", "-n", "4", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert_same([tuple(x) for x in got], brute_add(kv, ["w3"], [], 4))
    assert main(["similar", vec_file, "w3", "-n", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and out[0].split() == ["rank", "word", "cosine"]
    assert out[1].split()[1] == got[0][0]


def test_cli_analogy_and_unknown_word(kv, vec_file, capsys):
    assert main(["analogy", vec_file, "w1", "w2", "w3", "-n", "3", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert [w for w, _ in got] == [w for w, _ in kv.analogy("w1", "w2", "w3", topn=3)]
    assert main(["analogy", vec_file, "w1", "w2", "nope"]) == 1
    err = capsys.readouterr().err
    assert "nope" in err and err.count("\n") == 1


@pytest.mark.parametrize("scale", [1e19, 3e19, 1e30, 1e37, 1e-20, 1e-30, 1e-38])
def test_cosines_do_not_depend_on_the_scale_of_finite_vectors(kv, scale):
    """Components above ~1.8e19 overflowed the float32 norm (every cosine became 0),
    and below ~1e-19 it underflowed (a vector counted as zero): a cosine is scale-free."""
    import warnings

    big = KeyedVectors(kv.words, (kv.vectors.astype(np.float64) * scale).astype(np.float32))
    assert np.isfinite(big.vectors).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning either
        np.testing.assert_allclose(big.get_normed(), kv.get_normed(), rtol=1e-5, atol=1e-6)
        assert big.similarity("w1", "w2") == pytest.approx(kv.similarity("w1", "w2"), abs=1e-5)
        assert [w for w, _ in big.most_similar("w1", topn=5)] == [
            w for w, _ in kv.most_similar("w1", topn=5)
        ]
        near = big.similar_by_vector(big.vectors[3], topn=3)
        assert [w for w, _ in near] == [w for w, _ in kv.similar_by_vector(kv.vectors[3], topn=3)]
        assert near[0] == ("w3", pytest.approx(1.0, abs=1e-5))
        np.testing.assert_allclose(
            big.cosine_similarities(big.vectors[3], big.vectors[:10]),
            kv.cosine_similarities(kv.vectors[3], kv.vectors[:10]),
            rtol=1e-5,
            atol=1e-6,
        )
