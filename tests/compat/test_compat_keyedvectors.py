"""wordvec.compat.KeyedVectors against gensim's, on the same vectors file: every query
gives the same keys and the same scores to float32 precision, and evaluation the same
tuples. The vectors cover the shipped questions-words and WordSim-353 words, with the
analogy relations planted (so that there are right and wrong answers) and case variants."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

gensim_models = pytest.importorskip("gensim.models")
GKV = gensim_models.KeyedVectors

from wordvec.compat import KeyedVectors  # noqa: E402
from wordvec.compat._stats import Correlation  # noqa: E402
from wordvec.errors import ConfigError, FormatError  # noqa: E402
from wordvec.vectors.evaluate import shipped_path  # noqa: E402

QUESTIONS = shipped_path("questions-words.txt")
WS353 = shipped_path("wordsim353.tsv")
TOL = 2e-6  # float32: both sides round the same cosines in a different order


def _planted_words() -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(42)
    d = 32
    sections: list[list[tuple[str, str]]] = []
    order: dict[str, None] = {}
    for line in QUESTIONS.read_text().splitlines():
        if line.startswith(":"):
            sections.append([])
            continue
        a, b, c, e = line.split()
        sections[-1] += [(a, b), (c, e)]
        order.update(dict.fromkeys((a, b, c, e)))
    pairs = [ln.split("\t") for ln in WS353.read_text().splitlines() if ln and ln[0] != "#"]
    for i, (w1, w2, _) in enumerate(pairs):
        order.update(dict.fromkeys((w1, w2) if i % 10 else (w1,)))  # some pairs unknown
    words = list(order)
    vec = {w: rng.standard_normal(d) for w in words}
    for pairs in sections:  # b ~ a + r(section): some analogies right, many wrong
        r = rng.standard_normal(d) * 1.2
        for a, b in dict.fromkeys(pairs):
            vec[b] = 0.6 * vec[b] + 0.6 * (vec[a] + r)
    # case variants: "PARIS" after "Paris" is only a candidate; "greece" ahead of
    # "Greece" stands for it under case_insensitive
    words.append("PARIS")
    vec["PARIS"] = vec["Paris"] + rng.standard_normal(d) * 0.05
    words.insert(words.index("Greece"), "greece")
    vec["greece"] = rng.standard_normal(d)
    words += [f"filler{i}" for i in range(300)]
    for w in words[-300:]:
        vec[w] = rng.standard_normal(d)
    return words, np.array([vec[w] for w in words], dtype=np.float32)


@pytest.fixture(scope="module")
def questions(tmp_path_factory) -> Path:
    """Every 5th question of the shipped set (gensim answers one question at a time), with
    a line gensim skips as invalid and one of an unknown word."""
    lines, n = [], 0
    for line in QUESTIONS.read_text().splitlines():
        n += 1
        if line.startswith(":"):
            lines.append(line)
            lines.append("king queen man")  # 3 words: skipped by both
        elif n % 5 == 0:
            lines.append(line)
    lines.append("king queen man unknownword")
    path = tmp_path_factory.mktemp("q") / "questions.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def w2v_file(tmp_path_factory) -> Path:
    words, vectors = _planted_words()
    path = tmp_path_factory.mktemp("kv") / "vectors.txt"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f"{len(words)} {vectors.shape[1]}\n")
        for w, row in zip(words, vectors, strict=True):
            fh.write(w + " " + " ".join(repr(float(x)) for x in row) + "\n")
    return path


@pytest.fixture
def pair(w2v_file):
    """(gensim's KeyedVectors, wordvec.compat's), loaded from the same file."""
    return GKV.load_word2vec_format(str(w2v_file)), KeyedVectors.load_word2vec_format(w2v_file)


def assert_same_neighbours(got, want):
    """Same (key, score) lists; keys may swap only where gensim's scores tie within TOL."""
    assert len(got) == len(want)
    gs = np.array([s for _, s in got])
    ws = np.array([s for _, s in want])
    np.testing.assert_allclose(gs, ws, atol=TOL, rtol=0)
    want_keys = [k for k, _ in want]
    for i, (key, _) in enumerate(got):
        if key != want_keys[i]:
            j = want_keys.index(key)
            assert abs(ws[i] - ws[j]) < TOL, (i, key, want_keys[i])


# --------------------------------------------------------------------------- attributes
def test_attributes_and_lookups_match(pair):
    g, w = pair
    assert w.index_to_key == g.index_to_key
    assert w.key_to_index == g.key_to_index
    assert w.vector_size == g.vector_size and len(w) == len(g)
    np.testing.assert_array_equal(w.vectors, g.vectors)
    for key in ("king", "queen", "PARIS", 3, len(g) - 1):
        np.testing.assert_array_equal(w[key], g[key])
        np.testing.assert_allclose(
            w.get_vector(key, norm=True), g.get_vector(key, norm=True), atol=TOL
        )
        assert w.get_vecattr(key, "count") == g.get_vecattr(key, "count")
        assert w.get_index(key) == g.get_index(key)
    np.testing.assert_array_equal(w[["king", "queen", 5]], g[["king", "queen", 5]])
    assert w.get_index("nope", default=-1) == g.get_index("nope", default=-1) == -1
    assert ("king" in w, "nope" in w, 5 in w, len(w) in w) == (True, False, True, False)
    assert str(w) == str(g)
    with pytest.raises(KeyError):
        w["nope"]
    assert not w["king"].flags.writeable


def test_norms_and_normed_vectors_match(pair):
    g, w = pair
    assert w.norms is None
    w.fill_norms()
    g.fill_norms()
    np.testing.assert_allclose(w.norms, g.norms, rtol=1e-6)
    np.testing.assert_allclose(w.get_normed_vectors(), g.get_normed_vectors(), atol=TOL)
    for kv in (g, w):
        kv.vectors[0] *= 3  # edited in place: stale until fill_norms(force=True)
        kv.fill_norms(force=True)
    np.testing.assert_allclose(w.norms, g.norms, rtol=1e-6)
    assert_same_neighbours(w.most_similar(w.index_to_key[0]), g.most_similar(g.index_to_key[0]))


# --------------------------------------------------------------------------- queries
@pytest.mark.parametrize(
    "kwargs",
    [
        {"positive": ["king"]},
        {"positive": "king", "topn": 25},
        {"positive": ["king", "woman"], "negative": ["man"]},
        {"positive": [("king", 2.0), "woman"], "negative": [("man", -0.5)]},
        {"positive": ["Paris"], "restrict_vocab": 400},
        {"positive": ["Paris"], "clip_start": 100, "clip_end": 700},
        {"positive": [7, "Berlin"], "negative": "Germany", "topn": 3},
        {"negative": ["good"]},
    ],
)
def test_most_similar_matches(pair, kwargs):
    g, w = pair
    assert_same_neighbours(w.most_similar(**kwargs), g.most_similar(**kwargs))


def test_most_similar_with_vectors_and_topn_none(pair):
    g, w = pair
    v = g["king"] - g["man"] + g["woman"]
    assert_same_neighbours(w.most_similar(positive=[v]), g.most_similar(positive=[v]))
    assert_same_neighbours(
        w.most_similar([v, "queen"], ["man"]), g.most_similar([v, "queen"], ["man"])
    )
    for kwargs in ({"positive": ["king"]}, {"positive": ["Paris"], "restrict_vocab": 50}):
        got, want = w.most_similar(topn=None, **kwargs), g.most_similar(topn=None, **kwargs)
        assert got.shape == want.shape and got.dtype == want.dtype == np.float32
        np.testing.assert_allclose(got, want, atol=TOL)
    assert w.most_similar("king", topn=0) == g.most_similar("king", topn=0) == []


def test_most_similar_weights_as_gensim_reads_them(pair):
    """gensim's quirks kept: a weight given in ``negative`` replaces its -1 (it is not
    negated), a raw vector counts as given (not normalised), an int key is a row."""
    g, w = pair
    v = (g["king"] - g["man"]) * 7.0
    for kwargs in (
        {"positive": ["king"], "negative": [("man", 0.5)]},
        {"positive": [(v, 0.3), "queen"], "negative": [("woman", -2.0)]},
        {"positive": [(7, 2.0), np.zeros(g.vector_size, np.float32)], "topn": 4},
        {"positive": ["Paris", "Rome"], "clip_start": 30, "clip_end": 400, "topn": 6},
    ):
        assert_same_neighbours(w.most_similar(**kwargs), g.most_similar(**kwargs))
        every = {**kwargs, "topn": None}
        got, want = w.most_similar(**every), g.most_similar(**every)
        assert got.shape == want.shape and got.dtype == want.dtype == np.float32
        np.testing.assert_allclose(got, want, atol=TOL)
    for kv in (g, w):
        with pytest.raises(ValueError, match="cannot compute mean with no input"):
            kv.most_similar()
        with pytest.raises(KeyError):
            kv.most_similar(["king", "nosuchword"])


def test_similar_by_and_cosmul_match(pair):
    g, w = pair
    assert_same_neighbours(w.similar_by_word("cat", 7), g.similar_by_word("cat", 7))
    assert_same_neighbours(w.similar_by_key("cat", 5, 300), g.similar_by_key("cat", 5, 300))
    v = g["Tokyo"]
    assert_same_neighbours(w.similar_by_vector(v, 5), g.similar_by_vector(v, 5))
    for pos, neg in ((["king", "woman"], ["man"]), (["cat"], []), (["Paris", "Italy"], ["France"])):
        assert_same_neighbours(w.most_similar_cosmul(pos, neg), g.most_similar_cosmul(pos, neg))
    np.testing.assert_allclose(
        w.most_similar_cosmul(["king"], topn=None),
        g.most_similar_cosmul(["king"], topn=None),
        rtol=1e-5,
    )
    with pytest.raises(ValueError):
        w.most_similar_cosmul(negative=["king"])


def test_pairwise_queries_match(pair):
    g, w = pair
    for a, b in (("king", "queen"), ("cat", "dog"), ("PARIS", "Paris"), (3, "tiger")):
        assert w.similarity(a, b) == pytest.approx(float(g.similarity(a, b)), abs=TOL)
        assert w.distance(a, b) == pytest.approx(float(g.distance(a, b)), abs=TOL)
    sets = (["king", "queen"], ["man", "woman", "boy"])
    assert w.n_similarity(*sets) == pytest.approx(float(g.n_similarity(*sets)), abs=TOL)
    # gensim ignores unknown keys here (its mean skips them); so does compat
    sets = (["king", "nope"], ["man"])
    assert w.n_similarity(*sets) == pytest.approx(float(g.n_similarity(*sets)), abs=TOL)
    with pytest.raises(ZeroDivisionError):
        w.n_similarity([], ["man"])
    np.testing.assert_allclose(w.distances("king"), g.distances("king"), atol=TOL)
    others = ["queen", "cat", "PARIS"]
    np.testing.assert_allclose(w.distances("king", others), g.distances("king", others), atol=TOL)
    v = g["dog"]
    np.testing.assert_allclose(w.distances(v, others), g.distances(v, others), atol=TOL)
    np.testing.assert_allclose(
        KeyedVectors.cosine_similarities(v, g.vectors[:50]),
        GKV.cosine_similarities(v, g.vectors[:50]),
        atol=TOL,
    )


def test_neighbourhood_queries_match(pair):
    g, w = pair
    for a, b in (("king", "queen"), ("cat", "tiger"), ("Paris", "France"), ("good", "filler7")):
        assert w.closer_than(a, b) == g.closer_than(a, b)
        assert w.rank(a, b) == g.rank(a, b)
    candidates = ["dog", "car", "queen", "filler3"]
    assert w.most_similar_to_given("king", candidates) == g.most_similar_to_given(
        "king", candidates
    )
    group = ["breakfast", "cereal", "dinner", "lunch", "king", "nope"]
    assert w.doesnt_match(group) == g.doesnt_match(group)
    got, want = w.rank_by_centrality(group[:-1]), g.rank_by_centrality(group[:-1])
    assert [k for _, k in got] == [k for _, k in want]
    np.testing.assert_allclose([s for s, _ in got], [s for s, _ in want], atol=TOL)
    assert w.relative_cosine_similarity("king", "queen") == pytest.approx(
        float(g.relative_cosine_similarity("king", "queen")), abs=1e-5
    )
    keys = ["king", "queen", 4]
    np.testing.assert_allclose(w.get_mean_vector(keys), g.get_mean_vector(keys), atol=TOL)
    np.testing.assert_allclose(
        w.get_mean_vector(keys, weights=[1.0, 2.0, -1.0], pre_normalize=False, post_normalize=True),
        g.get_mean_vector(keys, weights=[1.0, 2.0, -1.0], pre_normalize=False, post_normalize=True),
        atol=TOL,
    )


# --------------------------------------------------------------------------- editing
def test_add_vectors_and_setitem_match(pair):
    g, w = pair
    rng = np.random.default_rng(5)
    new = rng.standard_normal((3, g.vector_size)).astype(np.float32)
    for kv in (g, w):
        kv.add_vectors(["newa", "newb", "king"], new)  # "king" kept: replace=False
        kv["newc"] = new[0] * 2
        kv.add_vector("newd", new[1])
    assert w.index_to_key == g.index_to_key
    np.testing.assert_array_equal(w.vectors, g.vectors)
    assert_same_neighbours(w.most_similar("newa"), g.most_similar("newa"))
    for kv in (g, w):
        kv.add_vectors(["king"], new[2:], replace=True)
    np.testing.assert_array_equal(w["king"], g["king"])
    assert_same_neighbours(w.most_similar("king"), g.most_similar("king"))


def test_vectors_for_all_and_sort(pair):
    g, w = pair
    keys = ["king", "queen", "nope", "king", "cat"]
    gs, ws = g.vectors_for_all(keys), w.vectors_for_all(keys)
    assert ws.index_to_key == gs.index_to_key
    np.testing.assert_array_equal(ws.vectors, gs.vectors)
    for kv in (g, w):
        kv.set_vecattr("cat", "count", 10**6)
        kv.set_vecattr("dog", "count", 10**6)
        kv.sort_by_descending_frequency()
    assert w.index_to_key == g.index_to_key
    np.testing.assert_array_equal(w.vectors, g.vectors)


# --------------------------------------------------------------------------- evaluation
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"restrict_vocab": 600},
        {"case_insensitive": False},
        {"dummy4unknown": True, "restrict_vocab": 700},
    ],
)
def test_evaluate_word_analogies_matches(pair, questions, kwargs):
    g, w = pair
    got_score, got = w.evaluate_word_analogies(questions, **kwargs)
    want_score, want = g.evaluate_word_analogies(str(questions), **kwargs)
    assert got == want  # section names, and every question in its list, in order
    assert got_score == want_score
    if not kwargs:
        assert 0.05 < got_score < 0.95  # the planted relations give right and wrong answers


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"restrict_vocab": 500}, {"case_insensitive": False}, {"dummy4unknown": True}],
)
def test_evaluate_word_pairs_matches(pair, kwargs):
    g, w = pair
    gp, gs, goov = g.evaluate_word_pairs(str(WS353), **kwargs)
    wp, ws, woov = w.evaluate_word_pairs(WS353, **kwargs)
    assert isinstance(wp, Correlation) and isinstance(ws, Correlation)
    assert wp[0] == pytest.approx(gp[0], abs=1e-6)
    assert wp.statistic == pytest.approx(gp.statistic, abs=1e-6)
    assert ws.correlation == pytest.approx(gs.correlation, abs=1e-6)
    assert wp[1] == pytest.approx(gp[1], rel=1e-4)
    assert ws.pvalue == pytest.approx(gs.pvalue, rel=1e-4)
    r, p = wp  # unpacks as SciPy's results do
    assert (r, p) == (wp.statistic, wp.pvalue)
    assert woov == pytest.approx(goov)
    assert woov > 1  # some pairs are unknown (most, with restrict_vocab=500)


def test_evaluate_word_pairs_all_unknown_raises(tmp_path, pair):
    _, w = pair
    f = tmp_path / "pairs.tsv"
    f.write_text("zzz\tyyy\t3.0\n")
    with pytest.raises(ValueError, match="No valid similarity judgements"):
        w.evaluate_word_pairs(f)


def test_analogies_need_a_section_header(tmp_path, pair):
    _, w = pair
    f = tmp_path / "q.txt"
    f.write_text("king queen man woman\n")
    with pytest.raises(ValueError, match="Missing section header"):
        w.evaluate_word_analogies(f)


def test_evaluate_word_analogies_on_gensims_odd_lines(tmp_path, pair):
    """A section name that comes back stays a second section; invalid lines are skipped."""
    g, w = pair
    f = tmp_path / "q.txt"
    f.write_text(
        ": capital-common-countries\nAthens Greece Baghdad Iraq\nnot a question\n"
        ": family\nboy girl brother sister\n"
        ": capital-common-countries\nAthens Greece Berlin Germany\nzzz Greece Berlin Germany\n"
    )
    for kwargs in ({}, {"dummy4unknown": True}, {"case_insensitive": False}):
        assert w.evaluate_word_analogies(f, **kwargs) == g.evaluate_word_analogies(str(f), **kwargs)
    f.write_text("king queen man\n: s\nking queen man woman\n")  # before the first section
    with pytest.raises(ValueError, match=r"Missing section header before line #0 in "):
        w.evaluate_word_analogies(f)
    with pytest.raises(ValueError, match=r"Missing section header before line #0 in "):
        g.evaluate_word_analogies(str(f))


def test_evaluate_word_pairs_delimiter_encoding_comments(tmp_path, pair):
    g, w = pair
    rows = [ln.split("\t") for ln in WS353.read_text().splitlines() if ln and ln[0] != "#"]
    lines = ["# a comment;with;fields"] + [";".join(r) for r in rows[:150]]
    lines[5] = lines[5].replace(";", " ")  # not 3 fields at ";": skipped by both
    lines[9] = lines[9].rsplit(";", 1)[0] + ";many"  # no score: skipped by both
    f = tmp_path / "pairs.csv"
    f.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    kwargs = {"delimiter": ";", "encoding": "latin-1"}
    for more in ({}, {"dummy4unknown": True}, {"case_insensitive": False}):
        gp, gs, goov = g.evaluate_word_pairs(str(f), **kwargs, **more)
        wp, ws, woov = w.evaluate_word_pairs(f, **kwargs, **more)
        assert wp[0] == pytest.approx(gp[0], abs=1e-6)
        assert ws[0] == pytest.approx(gs[0], abs=1e-6)
        assert woov == pytest.approx(goov)


# --------------------------------------------------------------------------- files
@pytest.mark.parametrize("binary", [False, True])
def test_save_word2vec_format_reads_back_in_gensim(tmp_path, pair, binary):
    g, w = pair
    w.set_vecattr("cat", "count", 10**9)  # sorted by count on the way out, as gensim does
    g.set_vecattr("cat", "count", 10**9)
    out_w, out_g = tmp_path / "w.bin", tmp_path / "g.bin"
    w.save_word2vec_format(out_w, fvocab=tmp_path / "w.vocab", binary=binary)
    g.save_word2vec_format(str(out_g), fvocab=str(tmp_path / "g.vocab"), binary=binary)
    back = GKV.load_word2vec_format(str(out_w), fvocab=str(tmp_path / "w.vocab"), binary=binary)
    ref = GKV.load_word2vec_format(str(out_g), fvocab=str(tmp_path / "g.vocab"), binary=binary)
    assert back.index_to_key == ref.index_to_key
    np.testing.assert_array_equal(back.vectors, ref.vectors)
    assert (tmp_path / "w.vocab").read_text() == (tmp_path / "g.vocab").read_text()
    mine = KeyedVectors.load_word2vec_format(out_g, fvocab=tmp_path / "g.vocab", binary=binary)
    assert mine.index_to_key == ref.index_to_key
    assert [mine.get_vecattr(k, "count") for k in ("cat", "king")] == [
        ref.get_vecattr(k, "count") for k in ("cat", "king")
    ]


def test_load_word2vec_format_limit_and_gzip(tmp_path, w2v_file):
    import gzip

    gz = tmp_path / "v.txt.gz"
    gz.write_bytes(gzip.compress(w2v_file.read_bytes()))
    g = GKV.load_word2vec_format(str(gz), limit=100)
    w = KeyedVectors.load_word2vec_format(gz, limit=100)
    assert w.index_to_key == g.index_to_key
    np.testing.assert_array_equal(w.vectors, g.vectors)
    assert w.get_vecattr(w.index_to_key[0], "count") == g.get_vecattr(g.index_to_key[0], "count")


def test_native_save_load_and_refusals(tmp_path, pair):
    g, w = pair
    w.save(tmp_path / "v.wvec")
    back = KeyedVectors.load(tmp_path / "v.wvec")
    assert back.index_to_key == w.index_to_key
    np.testing.assert_array_equal(back.vectors, w.vectors)
    assert KeyedVectors.load(tmp_path / "v.wvec", mmap="r").most_similar(
        "king"
    ) == back.most_similar("king")
    g.save(str(tmp_path / "gensim.kv"))  # gensim's own object stream
    with pytest.raises(FormatError, match="save_word2vec_format") as err:
        KeyedVectors.load(tmp_path / "gensim.kv")
    assert "wordvec.compat.convert" in str(err.value)
    with pytest.raises(ConfigError, match="append"):
        w.save_word2vec_format(tmp_path / "x.txt", append=True)
    with pytest.raises(ConfigError, match="datatype"):
        KeyedVectors.load_word2vec_format(tmp_path / "x.txt", datatype=np.float64)
    with pytest.raises(ConfigError, match="indexer"):
        w.most_similar("king", indexer=object())
    with pytest.raises(NotImplementedError, match="POT"):
        w.wmdistance(["king"], ["queen"])


def test_works_with_wordvec_itself(pair, tmp_path):
    from wordvec.vectors import evaluate
    from wordvec.vectors.formats import load, save

    _, w = pair
    r = evaluate.analogies(w, restrict_vocab=300_000)
    score, _ = w.evaluate_word_analogies(QUESTIONS)  # the whole set: wordvec answers it at once
    assert math.isclose(r.accuracy, score)
    save(w, tmp_path / "v.bin")
    assert load(tmp_path / "v.bin").words == w.index_to_key


KV_METHODS = [
    "get_index", "get_vector", "get_vecattr", "set_vecattr", "get_mean_vector", "add_vector",
    "add_vectors", "has_index_for", "most_similar_to_given", "closer_than", "rank",
    "get_normed_vectors", "fill_norms", "sort_by_descending_frequency", "most_similar",
    "similar_by_word", "similar_by_key", "similar_by_vector", "most_similar_cosmul",
    "rank_by_centrality", "doesnt_match", "cosine_similarities", "distances", "distance",
    "similarity", "n_similarity", "evaluate_word_analogies", "evaluate_word_pairs",
    "init_sims", "unit_normalize_all", "relative_cosine_similarity", "save_word2vec_format",
    "load_word2vec_format", "vectors_for_all", "wmdistance", "__init__",
]  # fmt: skip


@pytest.mark.parametrize("name", KV_METHODS)
def test_keyedvectors_signatures_are_gensims(name):
    import inspect

    def params(f):
        return [(p.name, p.default) for p in inspect.signature(f).parameters.values()]

    want, got = params(getattr(GKV, name)), params(getattr(KeyedVectors, name))
    if name == "get_mean_vector":  # gensim's own defaults, as written in its signature
        assert got == want
    assert [p for p, _ in got] == [p for p, _ in want]
    assert [d for _, d in got] == [d for _, d in want]


@pytest.mark.parametrize("binary", [False, True])
def test_load_word2vec_format_limit_stops_after_limit_rows(tmp_path, pair, binary):
    """gensim reads only the first `limit` rows; wordvec read (and checked) the whole
    file: a damaged or truncated tail beyond the limit made it fail."""
    g, w = pair
    path = tmp_path / ("v.bin" if binary else "v.txt")
    w.save_word2vec_format(path, binary=binary)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3] + b"\xff broken tail")
    theirs = GKV.load_word2vec_format(str(path), binary=binary, limit=5)
    mine = KeyedVectors.load_word2vec_format(path, binary=binary, limit=5)
    assert mine.index_to_key == theirs.index_to_key
    np.testing.assert_array_equal(mine.vectors, theirs.vectors)
    with pytest.raises(FormatError):  # the whole file is still checked without a limit
        KeyedVectors.load_word2vec_format(path, binary=binary)


def test_load_word2vec_format_warns_about_nothing_the_caller_did(tmp_path, pair):
    """A DeprecationWarning about `unicode_errors`, which the caller never passed."""
    import warnings

    _, w = pair
    w.save_word2vec_format(tmp_path / "v.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        KeyedVectors.load_word2vec_format(tmp_path / "v.txt")
        KeyedVectors.load_word2vec_format(tmp_path / "v.txt", unicode_errors="replace")


def test_gensim_messages_and_return_types(pair):
    g, w = pair
    for name, args in (
        ("similarity", ("king", "queen")),
        ("n_similarity", (["king", "man"], ["queen"])),
        ("distance", ("king", "queen")),
    ):
        theirs, mine = getattr(g, name)(*args), getattr(w, name)(*args)
        assert type(mine) is type(theirs) is np.float32, (name, type(mine))
        assert mine == pytest.approx(theirs, abs=1e-6)
    with pytest.raises(AttributeError) as theirs:
        g.vectors_norm  # noqa: B018
    with pytest.raises(AttributeError, match=r"get_normed_vectors\(\)") as mine:
        w.vectors_norm  # noqa: B018
    assert "get_normed_vectors()" in str(theirs.value)
