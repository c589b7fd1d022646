"""wordvec.compat.Word2Vec against gensim's: the same snippets run on both.

The vocabulary (words, counts, order of ties), corpus_count / corpus_total_words,
the callback sequence and gensim's rules must match exactly; trained vectors
only within noise (the slow quality test), since the two engines draw
different random numbers.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

gensim_models = pytest.importorskip("gensim.models")
from gensim.models.callbacks import CallbackAny2Vec as GCallback  # noqa: E402
from gensim.models.word2vec import LineSentence as GLineSentence  # noqa: E402

from wordvec.compat import CallbackAny2Vec, LineSentence, Word2Vec  # noqa: E402
from wordvec.errors import ConfigError, CorpusError, FormatError  # noqa: E402

GW2V = gensim_models.Word2Vec
DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BOOKS = DATA / "corpora" / "public-domain-books.txt"


@pytest.fixture(scope="module")
def text(tmp_path_factory) -> Path:
    """About 150k words of real text, with empty lines, and a 12,000-word line (cut into
    pieces of 10,000 as gensim's LineSentence cuts it)."""
    lines = BOOKS.read_text(encoding="utf-8").splitlines()[:3000]
    lines[10:10] = ["", "   "]
    lines.append(" ".join(lines[100].split()[:1] * 12_000))
    path = tmp_path_factory.mktemp("corpus") / "text.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sentences(text) -> list[list[str]]:
    """The same text as token lists, empty sentences included (gensim counts them)."""
    return [line.split() for line in text.read_text(encoding="utf-8").splitlines()][:-1]


def vocab_of(model) -> tuple:
    wv = model.wv
    return (
        list(wv.index_to_key),
        [int(wv.get_vecattr(k, "count")) for k in wv.index_to_key],
        model.corpus_count,
        model.corpus_total_words,
        model.effective_min_count,
    )


# --------------------------------------------------------------------------- vocabulary
@pytest.mark.parametrize(
    "settings",
    [
        {"min_count": 1},
        {},
        {"min_count": 3, "max_final_vocab": 800},  # gensim's effective min_count drops ties
        {"min_count": 2, "sorted_vocab": 0},
        {"min_count": 0, "max_vocab_size": 4000},  # pruned while counting
    ],
)
@pytest.mark.parametrize("source", ["iterable", "file"])
def test_vocabulary_matches_gensim(text, sentences, settings, source):
    corpus = {"corpus_iterable": sentences} if source == "iterable" else {"corpus_file": str(text)}
    g = GW2V(**settings)
    g.build_vocab(**corpus)
    w = Word2Vec(**settings)
    w.build_vocab(**corpus)
    assert vocab_of(w) == vocab_of(g)
    assert w.wv.vectors.shape == g.wv.vectors.shape


def test_vocabulary_update_matches_gensim(sentences):
    first, more = sentences[:1500], sentences[1500:]
    g, w = GW2V(min_count=2), Word2Vec(min_count=2)
    for m in (g, w):
        m.build_vocab(first)
        m.build_vocab(more, update=True)
    assert vocab_of(w) == vocab_of(g)
    assert w.syn1neg.shape == g.syn1neg.shape


def test_ties_follow_gensim_order():
    s = [["a", "b", "c", "b"], [], ["d", "c", "e"]]
    g, w = GW2V(s, min_count=1, workers=1, epochs=1), Word2Vec(s, min_count=1, workers=1, epochs=1)
    assert w.wv.index_to_key == g.wv.index_to_key == ["c", "b", "e", "d", "a"]
    assert (
        (w.corpus_count, w.corpus_total_words) == (g.corpus_count, g.corpus_total_words) == (3, 7)
    )


def test_build_vocab_from_freq_matches_gensim():
    freq = {"x": 3, "y": 9, "z": 3, "w": 1, "v": 9}
    g, w = GW2V(min_count=2), Word2Vec(min_count=2)
    g.build_vocab_from_freq(freq, corpus_count=4)
    w.build_vocab_from_freq(freq, corpus_count=4)
    assert vocab_of(w) == vocab_of(g)


def test_line_sentence_matches_gensim(text):
    for kwargs in ({}, {"limit": 40}, {"max_sentence_length": 7}):
        assert list(LineSentence(text, **kwargs)) == list(GLineSentence(str(text), **kwargs))
    from gensim.models.word2vec import PathLineSentences as GPath

    from wordvec.compat import PathLineSentences

    folder = text.parent / "folder"
    folder.mkdir(exist_ok=True)
    lines = text.read_text(encoding="utf-8").splitlines()
    (folder / "b.txt").write_text("\n".join(lines[:50]), encoding="utf-8")
    (folder / "a.txt").write_text("\n".join(lines[50:90]), encoding="utf-8")
    assert list(PathLineSentences(folder, limit=30)) == list(GPath(str(folder), limit=30))
    raw = text.read_text(encoding="utf-8")[:5000]
    assert list(LineSentence(io.StringIO(raw), limit=20)) == list(
        GLineSentence(io.StringIO(raw), limit=20)
    )


# --------------------------------------------------------------------------- training rules
class Recorder:
    """Records every hook with the epoch count and loss the model shows at that moment."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.losses: list[float] = []

    def _note(self, name, model):
        self.calls.append((name, model.epochs))
        self.losses.append(model.get_latest_training_loss())

    def on_train_begin(self, model):
        self._note("train_begin", model)

    def on_epoch_begin(self, model):
        self._note("epoch_begin", model)

    def on_epoch_end(self, model):
        self._note("epoch_end", model)

    def on_train_end(self, model):
        self._note("train_end", model)


class GRecorder(Recorder, GCallback):
    pass


class WRecorder(Recorder, CallbackAny2Vec):
    pass


def test_callback_sequence_and_training_rules_match(sentences):
    small = sentences[:400]
    g_cb, w_cb = GRecorder(), WRecorder()
    kw = {"min_count": 2, "epochs": 2, "workers": 2, "compute_loss": True}
    g = GW2V(small, callbacks=[g_cb], **kw)
    w = Word2Vec(small, callbacks=[w_cb], **kw)
    assert w_cb.calls == g_cb.calls
    got = w.train(
        small, total_examples=w.corpus_count, epochs=3, callbacks=[w_cb], start_alpha=0.02
    )
    want = g.train(
        small, total_examples=g.corpus_count, epochs=3, callbacks=[g_cb], start_alpha=0.02
    )
    assert w_cb.calls == g_cb.calls
    assert (w.epochs, w.alpha, w.min_alpha) == (g.epochs, g.alpha, g.min_alpha) == (3, 0.02, 0.0001)
    assert got[1] == want[1]  # raw words read
    assert abs(got[0] - want[0]) < 0.05 * want[0]  # words trained after sub-sampling: random
    # train()'s compute_loss defaults to False and turns the loss off, as in gensim
    assert w.get_latest_training_loss() == g.get_latest_training_loss() == 0.0
    for m in (g, w):
        with pytest.raises(ValueError, match="epochs"):
            m.train(small, total_examples=len(small))
        with pytest.raises(ValueError, match="total_examples"):
            m.train(small, epochs=1)
    for m in (GW2V(min_count=1), Word2Vec(min_count=1)):
        with pytest.raises(RuntimeError, match="build vocabulary"):
            m.train(small, total_examples=1, epochs=1)


def test_loss_is_cumulative_per_train_call(sentences):
    cb = WRecorder()
    m = Word2Vec(
        sentences[:600], min_count=2, epochs=3, workers=2, compute_loss=True, callbacks=[cb]
    )
    ends = [
        loss for (name, _), loss in zip(cb.calls, cb.losses, strict=True) if name == "epoch_end"
    ]
    assert cb.losses[0] == 0.0 and all(b > a > 0 for a, b in zip(ends, ends[1:], strict=False))
    assert m.get_latest_training_loss() == pytest.approx(sum(h.loss_sum for h in m._history))
    assert isinstance(m.get_latest_training_loss(), float)
    cb2 = WRecorder()
    m.train(sentences[:600], total_examples=600, epochs=1, compute_loss=True, callbacks=[cb2])
    assert cb2.losses[0] == 0.0  # reset when a train() call begins
    assert 0 < m.get_latest_training_loss() < ends[-1]


def test_loss_has_gensims_meaning(text):
    # the sum over all predictions: with one worker (where gensim's counter is not
    # overwritten by another thread) the two agree up to training noise
    g = GW2V(corpus_file=str(text), workers=1, epochs=1, compute_loss=True, seed=3)
    w = Word2Vec(corpus_file=str(text), workers=1, epochs=1, compute_loss=True, seed=3)
    assert w.get_latest_training_loss() == pytest.approx(g.get_latest_training_loss(), rel=0.15)


def test_a_callback_can_stop_training(sentences):
    class StopAfterTwo(WRecorder):
        def on_epoch_end(self, model):
            super().on_epoch_end(model)
            model.stop_training = len([c for c in self.calls if c[0] == "epoch_end"]) >= 2

    cb = StopAfterTwo()
    m = Word2Vec(sentences[:300], min_count=2, epochs=5, callbacks=[cb])
    assert [c for c, _ in cb.calls] == ["train_begin"] + ["epoch_begin", "epoch_end"] * 2 + [
        "train_end"
    ]
    trained, raw = m.train(sentences[:300], total_examples=300, epochs=4)
    assert raw == 4 * m.corpus_total_words  # the flag was reset: all four epochs ran


def test_wv_is_one_object_refreshed_by_training(sentences):
    m = Word2Vec(sentences[:300], min_count=2, epochs=1)
    wv = m.wv
    assert m.wv is wv
    before = wv.most_similar("the", topn=3)
    m.train(sentences[:300], total_examples=300, epochs=2)
    assert m.wv is wv
    fresh = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    want = fresh @ fresh[wv.key_to_index["the"]]
    got = dict(wv.most_similar("the", topn=3))
    assert all(abs(got[k] - want[wv.key_to_index[k]]) < 1e-5 for k in got)
    assert got != dict(before)


# --------------------------------------------------------------------------- refusals
def test_unsupported_arguments_are_named():
    with pytest.raises(ConfigError, match="hs=0 with negative=0"):
        Word2Vec(negative=0)
    with pytest.raises(ConfigError, match="null_word"):
        Word2Vec(null_word=1)
    with pytest.raises(ConfigError, match="`vector_size`"):
        Word2Vec(vector_size=0)
    with pytest.raises(ConfigError, match="`workers`"):
        Word2Vec(workers=0)
    m = Word2Vec(min_count=1)
    m.build_vocab([["a", "b"]])
    with pytest.raises(ConfigError, match="word_count, zzz"):
        m.train([["a", "b"]], total_examples=1, epochs=1, word_count=5, zzz=1)
    with pytest.raises(ConfigError, match="corpus_file"):
        Word2Vec("corpus.txt")  # a path where token lists belong
    with pytest.raises(ConfigError, match="update=True.*hs=1"):
        h = Word2Vec(hs=1, negative=0, min_count=1)
        h.build_vocab([["a", "b", "c"]])
        h.build_vocab([["d"]], update=True)


def test_generators(sentences):
    m = Word2Vec((s for s in sentences[:300]), min_count=2, epochs=2)  # one pass is enough
    assert m.corpus_count == 300
    gen = (s for s in sentences[:300])
    m.build_vocab(gen)
    with pytest.raises(CorpusError, match="already consumed"):
        m.train(gen, total_examples=300, epochs=1)


# --------------------------------------------------------------------------- files
def test_save_load_and_continue_training(tmp_path, sentences):
    m = Word2Vec(sentences[:500], min_count=2, epochs=2, sample=5, sg=1, compute_loss=True)
    m.save(tmp_path / "m.wvm")
    back = Word2Vec.load(tmp_path / "m.wvm")
    assert vocab_of(back) == vocab_of(m)
    np.testing.assert_array_equal(back.wv.vectors, m.wv.vectors)
    np.testing.assert_array_equal(back.syn1neg, m.syn1neg)
    assert (back.sg, back.hs, back.negative, back.sample, back.epochs, back.workers) == (
        1, 0, 5, 5, 2, 3,
    )  # fmt: skip
    assert back.get_latest_training_loss() == m.get_latest_training_loss() > 0
    more = [["Advanced", "users", "can", "load", "a", "model", "and", "continue", "training"]]
    back.build_vocab(more, update=True)
    back.train(more, total_examples=back.corpus_count, epochs=back.epochs)
    assert "Advanced" not in back.wv  # below min_count=2, as in gensim
    from wordvec.model import Word2Vec as Native

    assert len(Native.load(tmp_path / "m.wvm").wv) == len(m.wv)  # wordvec reads it too


def test_gensim_model_file_is_refused_with_the_way_over(tmp_path, sentences):
    g = GW2V(sentences[:100], min_count=1, epochs=1)
    g.save(str(tmp_path / "gensim.model"))
    with pytest.raises(FormatError) as e:
        Word2Vec.load(tmp_path / "gensim.model")
    message = str(e.value)
    assert "gensim's save()" in message
    assert "python -m wordvec.compat.convert" in message and "save_word2vec_format" in message


# --------------------------------------------------------------------------- quality
@pytest.mark.slow
@pytest.mark.parametrize("sg,words,epochs", [(0, 4_000_000, 5), (1, 2_000_000, 3)])
def test_quality_within_noise_of_gensim(tmp_path, sg, words, epochs):
    """The same script on a slice of en17m, read through LineSentence by both:
    questions-words accuracy (30k words), WordSim-353 and SimLex-999 close to gensim's.

    (Measured at 3 M words, 3 CBOW epochs, 1 worker, seeds 1 and 2: gensim WS-353
    0.144 / 0.151, compat 0.127 / 0.156; gensim's corpus_file mode, which splits the
    file between its workers, scored higher there, 0.18-0.19, and is not compared.)
    """
    from wordvec.vectors import evaluate
    from wordvec.vectors.formats import load

    path = tmp_path / "slice.txt"
    n = 0
    with open(DATA / "corpora" / "en17m.txt", encoding="utf-8") as src, open(path, "w") as out:
        for line in src:
            out.write(line)
            n += len(line.split())
            if n >= words:
                break
    kw = {"vector_size": 100, "min_count": 5, "sample": 1e-4, "workers": 2, "sg": sg}
    g = GW2V(GLineSentence(str(path)), epochs=epochs, **kw)
    w = Word2Vec(LineSentence(path), epochs=epochs, **kw)
    g.wv.save_word2vec_format(str(tmp_path / "g.bin"), binary=True)
    gv = load(tmp_path / "g.bin")
    ga, wa = evaluate.analogies(gv).accuracy, evaluate.analogies(w.wv).accuracy
    gs, ws = evaluate.similarity(gv), evaluate.similarity(w.wv)
    assert abs(wa - ga) < 0.02, (wa, ga)
    for name in ("wordsim353", "simlex999"):
        assert abs(ws[name].spearman - gs[name].spearman) < 0.05, (name, ws[name], gs[name])


def test_the_calls_of_gensims_word2vec_tutorial_run(tmp_path):
    """The tutorial's training, saving, evaluation and online-update calls, on its own
    corpus (gensim's test data), through wordvec.compat."""
    from gensim.test.utils import datapath

    lee = datapath("lee_background.cor")

    class Corpus:  # a restartable iterable of token lists
        def __iter__(self):
            with open(lee, encoding="utf-8") as fh:
                for line in fh:
                    yield line.lower().split()

    model = Word2Vec(sentences=Corpus())
    wv = model.wv
    assert wv["king"].shape == (100,)
    first = [word for _, word in zip(range(10), wv.index_to_key, strict=False)]
    assert first == wv.index_to_key[:10] and len(wv.index_to_key) == len(wv)
    with pytest.raises(KeyError):
        wv["cameroon"]
    assert -1 <= wv.similarity("government", "minister") <= 1
    assert len(wv.most_similar(positive=["government", "minister"], topn=5)) == 5
    assert wv.doesnt_match(["fire", "water", "land", "sea", "air", "car"]) in wv
    path = str(tmp_path / "gensim-model-xyz")  # no extension, as with a temporary file
    model.save(path)
    model = Word2Vec.load(path)
    more = [["Advanced", "users", "can", "load", "a", "model", "and", "continue", "training"]]
    model.build_vocab(more, update=True)
    model.train(more, total_examples=model.corpus_count, epochs=model.epochs)
    score, sections = model.wv.evaluate_word_analogies(datapath("questions-words.txt"))
    assert sections[-1]["section"] == "Total accuracy" and 0 <= score <= 1
    pearson, spearman, oov = model.wv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    assert -1 <= pearson[0] <= 1 and -1 <= spearman.correlation <= 1 and 0 <= oov <= 100
    with_loss = Word2Vec(Corpus(), min_count=1, compute_loss=True, hs=0, sg=1, seed=42)
    assert with_loss.get_latest_training_loss() > 0
    ls = LineSentence(io.StringIO(Path(lee).read_text(encoding="utf-8")[:20000]))
    ls.name = "20kB"
    for sg in (0, 1):
        Word2Vec(ls, compute_loss=True, sg=sg, hs=0, seed=42)
        Word2Vec(ls, sg=sg, hs=1, negative=0, seed=42)
        Word2Vec(ls, sg=sg, hs=1, seed=42)  # with negative=5: both objectives
    vectors = np.asarray(model.wv.vectors)
    labels = np.asarray(model.wv.index_to_key)
    assert vectors.shape[0] == labels.shape[0]


def test_line_sentence_length_holds_for_training_too(text, caplog):
    m = Word2Vec(min_count=1, epochs=1)
    corpus = LineSentence(text, max_sentence_length=50)
    m.build_vocab(corpus)
    g = GW2V(min_count=1, epochs=1)
    g.build_vocab(GLineSentence(str(text), max_sentence_length=50))
    assert m.corpus_count == g.corpus_count
    with caplog.at_level("WARNING", logger="wordvec.compat"):
        m.train(corpus, total_examples=m.corpus_count, epochs=1)
    assert "did not equal" not in caplog.text  # the same pieces as build_vocab counted
    m.train(corpus, total_examples=m.corpus_count + 1, epochs=1)
    assert "did not equal" in caplog.text
    m.wv.vectors = np.asfortranarray(m.wv.vectors)  # replaced by hand: the kernels need C order
    with pytest.raises(ConfigError, match="C-contiguous"):
        m.train(corpus, total_examples=m.corpus_count, epochs=1)


@pytest.mark.parametrize(
    "name",
    ["__init__", "build_vocab", "build_vocab_from_freq", "train", "predict_output_word"],
)
def test_word2vec_signatures_and_defaults_are_gensims(name):
    import inspect

    want = inspect.signature(getattr(GW2V, name)).parameters
    got = inspect.signature(getattr(Word2Vec, name)).parameters
    for p in want.values():
        assert p.name in got, p.name
        if p.kind is not p.VAR_KEYWORD:
            assert list(got).index(p.name) == list(want).index(p.name), p.name  # positions
            assert got[p.name].default == p.default, p.name


def test_default_attributes_are_gensims():
    g, w = GW2V(), Word2Vec()
    for name in (
        "vector_size", "alpha", "window", "min_count", "max_vocab_size", "sample", "seed",
        "workers", "min_alpha", "sg", "hs", "negative", "ns_exponent", "cbow_mean", "epochs",
        "sorted_vocab", "batch_words", "compute_loss", "max_final_vocab", "shrink_windows",
        "corpus_count", "corpus_total_words", "running_training_loss", "layer1_size",
        "train_count", "null_word",
    ):  # fmt: skip
        assert getattr(w, name) == getattr(g, name), name
    assert (len(w.wv), w.wv.vector_size) == (len(g.wv), g.wv.vector_size)
    assert str(w) == str(g)


@pytest.mark.parametrize("sample", [1e-3, 1e-5, 0, 40])  # >= 1: gensim's count threshold
def test_subsampling_keeps_words_with_gensims_probabilities(sentences, sample):
    g, w = GW2V(sample=sample, min_count=2), Word2Vec(sample=sample, min_count=2)
    g.build_vocab(sentences)
    w.build_vocab(sentences)
    want = np.array([g.wv.get_vecattr(k, "sample_int") for k in g.wv.index_to_key]) / 2**32
    got = w._vocab.keep_thresholds(w._sample_fraction()) / 2**32
    np.testing.assert_allclose(got, want, atol=2e-9)
    assert want.min() < 1 or sample == 0  # some words are down-sampled


# --------------------------------------------------------------------------- build_vocab's scan
def test_train_reuses_build_vocabs_scan_of_the_same_unchanged_file(tmp_path, text, monkeypatch):
    import os

    import wordvec.compat._corpus as compat_corpus

    calls = []
    real = compat_corpus.scan
    monkeypatch.setattr(compat_corpus, "scan", lambda *a, **k: calls.append(1) or real(*a, **k))
    path = tmp_path / "c.txt"
    path.write_bytes(text.read_bytes()[:200_000])

    def run(source, touch=False):
        m = Word2Vec(vector_size=8, min_count=3, workers=1, epochs=2)
        m.build_vocab(**source)
        if touch:  # same bytes, a new modification time: must be read again
            os.utime(path, ns=(1, 1))
        m.train(**source, total_examples=m.corpus_count, epochs=2)
        return m

    reused = run({"corpus_file": path})
    assert len(calls) == 1
    line_sentence = run({"corpus_iterable": LineSentence(path)})
    assert len(calls) == 2
    rescanned = run({"corpus_file": path}, touch=True)
    assert len(calls) == 4
    for m in (line_sentence, rescanned):
        np.testing.assert_array_equal(m.wv.vectors, reused.wv.vectors)
        np.testing.assert_array_equal(m.syn1neg, reused.syn1neg)
    # the same file cut into other sentences: read again
    m = Word2Vec(vector_size=8, min_count=3, workers=1, epochs=1)
    m.build_vocab(corpus_file=path)
    m.train(LineSentence(path, max_sentence_length=5), total_examples=1, epochs=1)
    assert len(calls) == 6
    # another file after build_vocab: read, and trained on
    other = tmp_path / "d.txt"
    other.write_bytes(text.read_bytes()[200_000:300_000])
    m = Word2Vec(vector_size=8, min_count=3, workers=1, epochs=1)
    m.build_vocab(corpus_file=path)
    raw = m.train(corpus_file=other, total_words=1, epochs=1)[1]
    assert raw == len(other.read_text(encoding="utf-8").split())


def test_the_parameter_table_renames_both_ways_and_in_messages(tmp_path, sentences):
    from wordvec.compat import _params

    settings = dict(
        vector_size=7, alpha=0.03, window=3, min_alpha=0.001, seed=4, workers=2,
        max_vocab_size=10**6, ns_exponent=0.5, cbow_mean=0, shrink_windows=False,
        batch_words=500,
    )  # fmt: skip
    assert set(settings) == {row[0] for row in _params.RENAMED}
    m = Word2Vec(sentences[:300], min_count=1, epochs=1, sg=1, **settings)
    path = tmp_path / "m.wvm"
    m.save(path)
    back = Word2Vec.load(path)
    assert {k: getattr(back, k) for k in settings} == settings
    for name, bad in [("vector_size", 0), ("workers", 0), ("max_vocab_size", 1)]:
        with pytest.raises(ConfigError, match=f"`{name}`"):
            Word2Vec(**{name: bad})
