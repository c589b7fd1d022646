"""The course experiment: reading SST, windows, the batch wrapper, a short training run."""

from pathlib import Path

import numpy as np
import pytest

from wordvec.errors import ConfigError, CorpusError
from wordvec.reference import gradcheck
from wordvec.reference.losses import UnigramSampler
from wordvec.reference.trainer import (
    ReferenceResult,
    WindowSampler,
    read_sst,
    run_course_experiment,
    word2vec_sgd_wrapper,
)

SST = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "sst" / "datasetSentences.txt"
)
needs_sst = pytest.mark.skipif(not SST.is_file(), reason=f"SST not found at {SST}")


def _write(tmp_path, lines, name="sst.txt"):
    p = tmp_path / name
    p.write_text("sentence_index\tsentence\n" + "".join(f"{i}\t{s}\n" for i, s in lines), "utf-8")
    return p


def _toy_sentences(n=40, seed=0):
    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(15)]
    p = 1.0 / np.arange(1, 16)
    p /= p.sum()
    return [list(rng.choice(vocab, size=rng.integers(3, 12), p=p)) for _ in range(n)]


# --------------------------------------------------------------------------- reading


def test_read_sst_skips_header_drops_index_and_lowercases(tmp_path):
    p = _write(tmp_path, [(1, "The Rock is GREAT ."), (2, "Effective but too-tepid biopic")])
    (tmp_path / "blank.txt").write_text(p.read_text() + "\n   \n3\tok\n", "utf-8")
    assert read_sst(p) == [
        ["the", "rock", "is", "great", "."],
        ["effective", "but", "too-tepid", "biopic"],
    ]
    assert read_sst(tmp_path / "blank.txt")[-1] == ["ok"]


def test_read_sst_errors(tmp_path):
    with pytest.raises(CorpusError, match="cannot read"):
        read_sst(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("sentence_index\tsentence\n1\tfine\nnot an index line\n", "utf-8")
    with pytest.raises(CorpusError, match=r"bad.txt, line 3: expected `index<TAB>sentence`"):
        read_sst(bad)
    empty = tmp_path / "empty.txt"
    empty.write_text("sentence_index\tsentence\n", "utf-8")
    with pytest.raises(CorpusError, match="no sentences"):
        read_sst(empty)
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"1\tcaf\xe9\n")
    with pytest.raises(CorpusError, match="not valid UTF-8 at byte offset 5"):
        read_sst(latin)


@needs_sst
def test_read_real_sst():
    sentences = read_sst(SST)
    assert len(sentences) == 11855
    assert sentences[0][:4] == ["the", "rock", "is", "destined"]
    assert all(w == w.lower() for s in sentences[:200] for w in s)


# --------------------------------------------------------------------------- windows


def test_windows_are_contiguous_and_exclude_the_center():
    # every word distinct within its sentence and ids consecutive: a window is a range of ids
    sentences = [[f"s{k}w{i}" for i in range(3 + k % 7)] for k in range(20)]
    ws = WindowSampler(sentences, threshold=0, rng=0)
    bounds = []
    for s in sentences:
        first = ws.word_index[s[0]]
        bounds.append((first, first + len(s)))
    rng = np.random.default_rng(1)
    for C in (1, 2, 5):
        for _ in range(300):
            c, ctx = ws.random_context(C, rng)
            lo, hi = next(b for b in bounds if b[0] <= c < b[1])
            expected = [*range(max(lo, c - C), c), *range(c + 1, min(hi, c + C + 1))]
            assert ctx.tolist() == expected


def test_context_drops_words_equal_to_the_center_and_useless_sentences_are_skipped():
    ws = WindowSampler([["a", "a"], ["b", "a", "b"], ["c"]], threshold=0, rng=0)
    assert ws.num_sentences == 1  # "a a" never has a context, "c" is too short
    rng = np.random.default_rng(2)
    for _ in range(100):
        c, ctx = ws.random_context(2, rng)
        assert ctx.size and c not in ctx
    with pytest.raises(CorpusError, match="no sentence keeps two different words"):
        WindowSampler([["a", "a"], ["b", "b"]], threshold=0)
    with pytest.raises(CorpusError, match="at least 2 distinct words"):
        WindowSampler([["a", "a"]])


def test_subsampling_follows_reject_prob():
    # "the" in every sentence, each other word once: rare words are never dropped, so no
    # sentence ever gets too short and the survivors of "the" are Binomial(copies * 500, 1 - p)
    sentences = [["the", f"a{k}", f"b{k}", f"c{k}"] for k in range(500)]
    copies, t = 10, 1e-2
    ws = WindowSampler(sentences, copies=copies, threshold=t, rng=3)
    assert ws.words[:4] == ["the", "a0", "b0", "c0"]
    assert ws.counts[0] == 500 and np.all(ws.counts[1:] == 1)
    expected = np.maximum(0, 1 - np.sqrt(t * 2000 / ws.counts))  # N = 2000 tokens
    np.testing.assert_allclose(ws.reject_prob, expected)
    assert ws.reject_prob[0] == pytest.approx(0.8) and np.all(ws.reject_prob[1:] == 0)
    assert ws.num_sentences == copies * 500
    kept = np.bincount(ws._tokens, minlength=ws.vocab_size)
    np.testing.assert_array_equal(kept[1:], copies)
    mean, sd = copies * 500 * 0.2, np.sqrt(copies * 500 * 0.2 * 0.8)
    assert abs(kept[0] - mean) < 5 * sd


# --------------------------------------------------------------------------- batch wrapper


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_compact_batch_equals_the_full_matrix_computation(model):
    ws = WindowSampler(_toy_sentences(), threshold=0, rng=0)
    V, d = ws.vocab_size, 4
    x = np.random.default_rng(5).normal(scale=0.3, size=(2 * V, d))
    noise = UnigramSampler(ws.counts)
    kw = dict(model=model, window=3, negative=6, batch_size=7, noise=noise)
    loss_a, grad_a = word2vec_sgd_wrapper(x, ws, np.random.default_rng(9), compact=True, **kw)
    loss_b, grad_b = word2vec_sgd_wrapper(x, ws, np.random.default_rng(9), compact=False, **kw)
    assert loss_a == pytest.approx(loss_b, rel=1e-13)
    np.testing.assert_allclose(grad_a, grad_b, rtol=1e-12, atol=1e-15)
    assert np.count_nonzero(grad_a) > 0


@pytest.mark.parametrize(
    "model,loss,mean",
    [("skipgram", "neg", False), ("skipgram", "softmax", False), ("cbow", "neg", True),
     ("cbow", "softmax", False)],
)  # fmt: skip
def test_batch_gradient(model, loss, mean):
    ws = WindowSampler(_toy_sentences(20, seed=1), threshold=0, rng=0)
    V, d = ws.vocab_size, 2
    x = np.random.default_rng(6).normal(scale=0.5, size=(2 * V, d))

    def f(z):  # the same windows and negatives at every point
        return word2vec_sgd_wrapper(
            z, ws, np.random.default_rng(4), model=model, loss=loss, window=3, negative=5,
            batch_size=4, cbow_mean=mean,
        )  # fmt: skip

    assert gradcheck(f, x) < 1e-7


def test_wrapper_bad_calls():
    ws = WindowSampler(_toy_sentences(), threshold=0, rng=0)
    x = np.zeros((2 * ws.vocab_size, 3))
    rng = np.random.default_rng(0)
    with pytest.raises(ConfigError, match="`model` must be one of 'skipgram', 'cbow'"):
        word2vec_sgd_wrapper(x, ws, rng, model="sg")
    with pytest.raises(ConfigError, match="`loss` must be one of 'neg', 'softmax'"):
        word2vec_sgd_wrapper(x, ws, rng, loss="hs")
    with pytest.raises(ConfigError, match="`negative` must be an int >= 1; got 0"):
        word2vec_sgd_wrapper(x, ws, rng, negative=0)
    with pytest.raises(ConfigError, match=f"`x` must have {2 * ws.vocab_size} rows"):
        word2vec_sgd_wrapper(x[1:], ws, rng)


# --------------------------------------------------------------------------- the experiment


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    if not SST.is_file():
        pytest.skip(f"SST not found at {SST}")
    head = SST.read_text("utf-8").splitlines(keepends=True)[:301]  # header + 300 sentences
    path = tmp_path_factory.mktemp("sst") / "sst300.txt"
    path.write_text("".join(head), "utf-8")
    lines = []
    result = run_course_experiment(
        path, iterations=400, batch_size=20, lr=3.0, print_every=50, log=lines.append
    )
    return result, lines


def test_short_course_run_loss_falls(short_run):
    result, lines = short_run
    assert isinstance(result, ReferenceResult)
    V = len(result.words)
    assert result.w_in.shape == result.w_out.shape == (V, 10)
    assert result.counts.shape == (V,)
    assert [t for t, _ in result.loss_history] == list(range(50, 401, 50))
    assert result.first_loss == result.loss_history[0][1]
    assert result.last_loss == result.loss_history[-1][1]
    assert result.last_loss < 0.8 * result.first_loss
    assert lines[0].startswith("reference skipgram + neg: 300 sentences")
    assert len(lines) == 1 + 8
    assert result.vectors("in") is result.w_in
    np.testing.assert_array_equal(result.vectors("sum"), result.w_in + result.w_out)
    assert result.vectors("concat").shape == (V, 20)
    with pytest.raises(ConfigError, match="`combine`"):
        result.vectors("mean")


def test_short_course_run_plot(short_run, tmp_path):
    pytest.importorskip("matplotlib")
    from wordvec.vectors.plot import COURSE_WORDS, plot

    result, _ = short_run
    words = [w for w in COURSE_WORDS if w in result.words][:12]
    assert len(words) >= 3
    out = tmp_path / "word_vectors.png"
    coords = plot((result.words, result.vectors("in")), words, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(coords) == words


def test_experiment_is_reproducible_and_quiet(tmp_path, capsys):
    path = _write(tmp_path, [(i, " ".join(s)) for i, s in enumerate(_toy_sentences(), 1)])
    a = run_course_experiment(path, iterations=20, batch_size=5, print_every=10, quiet=True)
    b = run_course_experiment(path, iterations=20, batch_size=5, print_every=10, quiet=True)
    assert capsys.readouterr().out == ""
    np.testing.assert_array_equal(a.w_in, b.w_in)
    assert a.loss_history == b.loss_history
    c = run_course_experiment(
        path, iterations=20, batch_size=5, print_every=10, quiet=True, seed=7, loss="softmax",
        model="cbow",
    )  # fmt: skip
    assert not np.array_equal(a.w_in, c.w_in)


def test_experiment_bad_arguments(tmp_path):
    path = _write(tmp_path, [(1, "a b c")])
    with pytest.raises(ConfigError, match="`print_every` must be <= iterations"):
        run_course_experiment(path, iterations=10, print_every=100)
    with pytest.raises(ConfigError, match="`loss` must be one of"):
        run_course_experiment(path, loss="hs")
    with pytest.raises(ConfigError, match="`dim` must be an int >= 1"):
        run_course_experiment(path, dim=0)
    with pytest.raises(ConfigError, match="`seed` must be an int >= 0"):
        run_course_experiment(path, seed=-1)


@pytest.mark.slow
@needs_sst
def test_full_sst_course_settings_loss_falls():
    # the course's own settings: the loss sits on a plateau for ~2500 iterations (U starts at
    # zero), then falls steadily
    result = run_course_experiment(SST, iterations=6000, print_every=500, quiet=True)
    assert result.last_loss < result.first_loss - 2.0
