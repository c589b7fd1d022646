"""2-D projections and plot files."""

import sys
import types

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.errors import ConfigError
from wordvec.vectors.plot import COURSE_WORDS, DEFAULT_WORDS, pca_2d, plot, tsne_2d

PNG = b"\x89PNG\r\n\x1a\n"


class DictVectors:
    """The least a KeyedVectors-like object needs: `word in kv` and `kv[word]`."""

    def __init__(self, words, matrix):
        self._d = {w: np.asarray(v) for w, v in zip(words, matrix, strict=True)}

    def __contains__(self, word):
        return word in self._d

    def __getitem__(self, word):
        return self._d[word]


def _data(n=12, d=6, seed=0):
    rng = np.random.default_rng(seed)
    return [f"w{i}" for i in range(n)], rng.normal(size=(n, d))


def test_pca_matches_the_course_covariance_svd():
    _, X = _data(20, 7)
    coords = pca_2d(X)
    Xc = X - X.mean(axis=0)
    U, _, _ = np.linalg.svd(Xc.T @ Xc / len(X))
    course = Xc @ U[:, :2]
    for k in range(2):  # same axes up to sign
        assert abs(abs(coords[:, k] @ course[:, k]) / (course[:, k] @ course[:, k]) - 1) < 1e-10
    assert np.var(coords[:, 0]) >= np.var(coords[:, 1])
    np.testing.assert_allclose(coords.mean(axis=0), 0, atol=1e-12)


def test_pca_places_points_on_a_line_along_x():
    t = np.array([-2.0, -1.0, 0.0, 1.5, 3.0])
    X = np.outer(t, [1.0, 2.0, -2.0])  # a line through the origin, length 3 per unit t
    coords = pca_2d(X)
    np.testing.assert_allclose(np.abs(coords[:, 0]), np.abs(3 * (t - t.mean())), rtol=1e-12)
    np.testing.assert_allclose(coords[:, 1], 0, atol=1e-12)
    # degenerate inputs still give (n, 2)
    assert pca_2d(np.ones((1, 4))).tolist() == [[0.0, 0.0]]
    assert pca_2d(np.arange(3.0)[:, None]).shape == (3, 2)


def test_tsne_keeps_separated_clusters_apart_and_is_seeded():
    rng = np.random.default_rng(1)
    centers = np.array([[0.0] * 5, [20.0] * 5, [-20.0, 20.0, 0, 0, 0]])
    X = np.vstack([c + rng.normal(size=(15, 5)) for c in centers])
    label = np.repeat([0, 1, 2], 15)
    Y = tsne_2d(X, seed=3)
    assert Y.shape == (45, 2)
    D = np.linalg.norm(Y[:, None] - Y[None], axis=-1)
    same = label[:, None] == label[None]
    np.fill_diagonal(same, False)
    # every point is nearer to all of its own cluster than to any other cluster
    for i in range(45):
        assert D[i, same[i]].max() < D[i, label != label[i]].min()
    np.testing.assert_array_equal(Y, tsne_2d(X, seed=3))
    with pytest.raises(ConfigError, match="`perplexity`"):
        tsne_2d(X, perplexity=45)


def test_tsne_is_scikit_learns_with_the_documented_settings():
    from sklearn.manifold import TSNE

    X = np.random.default_rng(4).normal(size=(30, 6))
    Y = tsne_2d(X, perplexity=7.0, iterations=300, seed=5)
    expected = TSNE(
        perplexity=7.0, max_iter=300, init="pca", learning_rate="auto", random_state=5
    ).fit_transform(X)
    np.testing.assert_allclose(Y, expected - expected.mean(axis=0), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(Y.mean(axis=0), 0, atol=1e-9)


def test_tsne_edge_cases_and_bad_arguments():
    assert tsne_2d(np.ones((1, 3))).tolist() == [[0.0, 0.0]]
    assert tsne_2d(np.ones((5, 3))).tolist() == [[0.0, 0.0]] * 5  # all in one place
    Y = tsne_2d(np.arange(6.0)[:, None])  # one dimension: random, not PCA, initialisation
    assert Y.shape == (6, 2) and np.isfinite(Y).all()
    with pytest.raises(ConfigError, match="`iterations` must be an int >= 250; got 100"):
        tsne_2d(np.eye(4), iterations=100)
    with pytest.raises(ConfigError, match=r"`perplexity` must be a float in \(0, n - 1\]"):
        tsne_2d(np.eye(4), perplexity=0)


def test_tsne_without_scikit_learn_says_how_to_install_it(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "sklearn.manifold", None)  # import fails
    words, X = _data()
    with pytest.raises(ImportError, match=r"scikit-learn.*pip install 'wordvec\[plot\]'"):
        tsne_2d(X)
    assert plot((words, X), method="pca", words=words)  # PCA needs no scikit-learn
    fake = types.SimpleNamespace(
        load=lambda path, **options: DictVectors(words, X),
        resolve_format=lambda path, format=None, reading=False: "word2vec-bin",
    )
    monkeypatch.setitem(sys.modules, "wordvec.vectors.formats", fake)
    out = tmp_path / "t.png"
    assert main(["plot", "v", *words, "-o", str(out), "--method", "tsne"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("wordvec: error: t-SNE needs scikit-learn") and err.count("\n") == 1
    assert not out.exists()


def test_plot_accepts_pairs_and_keyedvectors_like_objects():
    words, X = _data()
    a = plot((words, X), words[:6], method="pca")
    b = plot(DictVectors(words, X), words[:6], method="pca")
    assert list(a) == words[:6]
    for w in a:
        np.testing.assert_allclose(a[w], b[w], rtol=1e-12)
    np.testing.assert_allclose(np.array(list(a.values())), pca_2d(X[:6]), rtol=1e-12)


def test_plot_skips_missing_words_with_a_warning():
    words, X = _data()
    with pytest.warns(UserWarning, match="skipping 2 word\\(s\\).*'nope', 'zilch'"):
        coords = plot((words, X), ["w1", "nope", "w3", "zilch", "w1"])
    assert list(coords) == ["w1", "w3"]
    with pytest.raises(ConfigError, match="none of 'a', 'b' is"):
        plot((words, X), ["a", "b"])
    with pytest.raises(ConfigError, match="`words` must name at least one word"):
        plot((words, X), [])
    with pytest.raises(ConfigError, match="not one string"):
        plot((words, X), "w1")


def test_plot_bad_arguments(tmp_path):
    words, X = _data()
    with pytest.raises(ConfigError, match="`method`"):
        plot((words, X), words, method="umap")
    with pytest.raises(ConfigError, match=r"\.png or \.svg"):
        plot((words, X), words, tmp_path / "out.jpg")
    with pytest.raises(ConfigError, match=r"shape \(len\(words\), d\)"):
        plot((words, X[:3]), words)
    with pytest.raises(ConfigError, match="KeyedVectors-like"):
        plot(42, words)


def test_plot_writes_png_and_svg(tmp_path):
    pytest.importorskip("matplotlib")
    words, X = _data()
    png = tmp_path / "words.png"
    coords = plot((words, X), words, png, title="twelve words")
    assert png.read_bytes()[:8] == PNG
    assert set(coords) == set(words)
    svg = tmp_path / "words.SVG"
    plot((words, X), words[:4], svg, method="tsne")
    text = svg.read_text("utf-8")
    assert "<svg" in text
    # atomic: a failed plot leaves the previous file and no temporary behind
    before = png.read_bytes()
    with pytest.raises(ConfigError):
        plot((words, X), ["missing"], png)
    assert png.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["words.SVG", "words.png"]


def test_default_word_lists():
    assert len(DEFAULT_WORDS) == len(set(DEFAULT_WORDS)) >= 30
    assert {"paris", "france", "king", "queen", "went", "go"} <= set(DEFAULT_WORDS)
    assert len(COURSE_WORDS) == 24 and COURSE_WORDS[0] == "great" and COURSE_WORDS[-1] == "tea"
    words, X = _data(len(DEFAULT_WORDS))
    coords = plot((list(DEFAULT_WORDS), X))  # words=None: the default list
    assert list(coords) == list(DEFAULT_WORDS)


def test_cli_plot(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    words, X = _data()
    loaded = []

    def load(path, **options):  # stands in for wordvec.vectors.formats.load
        loaded.append(path)
        return DictVectors(words, X)

    def resolve_format(path, format=None, reading=False):
        return "word2vec-bin"

    fake = types.SimpleNamespace(load=load, resolve_format=resolve_format)
    monkeypatch.setitem(sys.modules, "wordvec.vectors.formats", fake)
    out = tmp_path / "p.png"
    assert main(["plot", "vecs.bin", "w1", "w2", "w3", "nope", "-o", str(out)]) == 0
    assert loaded == ["vecs.bin"]
    assert out.read_bytes()[:8] == PNG
    captured = capsys.readouterr()
    assert "3 words" in captured.out and "'nope'" in captured.err
    assert main(["plot", "v", "w1", "w2", "-o", str(tmp_path / "t.svg"), "--method", "tsne"]) == 0
    assert main(["plot", "v", "zzz", "-o", str(out)]) == 1
    assert "none of 'zzz' is" in capsys.readouterr().err


def test_a_seed_numpy_cannot_take_is_a_config_error():
    words, X = _data()
    for seed in (-1, 1.5):
        with pytest.raises(ConfigError, match=r"`seed` must be an int >= 0; got "):
            plot((words, X), words[:3], method="tsne", seed=seed)
        with pytest.raises(ConfigError, match=r"`seed` must be an int >= 0; got "):
            tsne_2d(X, seed=seed)


def test_vectors_of_dimension_0_are_refused():
    """`wordvec plot` on dimension-0 vectors was NumPy's "argmax of an empty sequence"."""
    from wordvec.vectors import KeyedVectors

    kv = KeyedVectors(["a", "b", "c"], np.zeros((3, 0), np.float32))
    with pytest.raises(ConfigError, match="dimension 0"):
        plot(kv, ["a", "b", "c"])
