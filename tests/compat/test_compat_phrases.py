"""wordvec.compat.Phrases / FrozenPhrases against gensim's: the same snippets run on both.

Counts (``vocab``, ``corpus_word_count``), exported phrases and their scores,
transformed sentences, ``analyze_sentence`` and ``find_phrases`` must match
gensim 4's on real text, with and without connector words and for both scorers.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

gphrases = pytest.importorskip("gensim.models.phrases")

from wordvec.compat import ENGLISH_CONNECTOR_WORDS, FrozenPhrases, Phraser, Phrases  # noqa: E402
from wordvec.compat import phrases as compat_phrases  # noqa: E402
from wordvec.errors import ConfigError, FormatError  # noqa: E402

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
BOOKS = DATA / "corpora" / "public-domain-books.txt"
SST = DATA / "sst" / "datasetSentences.txt"

SETTINGS = {
    "default": {},
    "connectors": {"connector_words": ENGLISH_CONNECTOR_WORDS, "min_count": 3},
    "npmi": {"scoring": "npmi", "threshold": 0.4, "connector_words": ENGLISH_CONNECTOR_WORDS},
}


@pytest.fixture(scope="module")
def books() -> list[list[str]]:
    """About 290k words of real text (lowercased books), an empty sentence included."""
    lines = BOOKS.read_text(encoding="utf-8").splitlines()[:4000]
    return [line.split() for line in lines[:10]] + [[]] + [line.split() for line in lines[10:]]


@pytest.fixture(scope="module")
def sst() -> list[list[str]]:
    """The SST sentences: original case and punctuation, a different tokenisation."""
    lines = SST.read_text(encoding="utf-8").splitlines()[1:5001]
    return [line.split("\t", 1)[1].split() for line in lines]


@pytest.fixture(scope="module", params=list(SETTINGS))
def pair(request, books):
    """(gensim model, compat model, settings) learned on the same sentences."""
    kwargs = SETTINGS[request.param]
    return gphrases.Phrases(books, **kwargs), Phrases(books, **kwargs), kwargs


def assert_same_model(w, g) -> None:
    we, ge = w.export_phrases(), g.export_phrases()
    assert we.keys() == ge.keys()
    assert list(we.values()) == pytest.approx([ge[k] for k in we], rel=1e-12, abs=0)
    assert dict(w.vocab) == g.vocab
    assert w.corpus_word_count == g.corpus_word_count
    assert str(w) == str(g)


# --------------------------------------------------------------------------- learning
def test_counts_and_phrases_match_gensim(pair):
    g, w, _ = pair
    assert len(g.export_phrases()) > 200  # a real test: many phrases
    assert_same_model(w, g)
    for name in ("min_count", "threshold", "delimiter", "connector_words"):
        assert getattr(w, name) == getattr(g, name)
    assert w.max_vocab_size == g.max_vocab_size


def test_sst_matches_gensim(sst):
    for kwargs in ({"min_count": 2}, {"scoring": "npmi", "threshold": 0.3, "min_count": 2}):
        g, w = gphrases.Phrases(sst, **kwargs), Phrases(sst, **kwargs)
        assert_same_model(w, g)
        assert list(w[sst]) == list(g[sst])


def test_scorer_attribute_is_gensims_function(pair):
    """``model.scoring`` is the scoring function, as in gensim, and gives the same numbers."""
    g, w, _ = pair
    assert w.scoring.__name__ == g.scoring.__name__
    vocab, d = w.vocab, w.delimiter
    for phrase, score in list(w.export_phrases().items())[:50]:
        parts = phrase.split(d)
        args = {
            "worda_count": vocab[parts[0]],
            "wordb_count": vocab[parts[-1]],
            "bigram_count": vocab[phrase],
            "len_vocab": len(vocab),
            "min_count": w.min_count,
            "corpus_word_count": w.corpus_word_count,
        }
        assert w.scoring(**args) == g.scoring(**args) == score


def test_add_vocab_equals_learning_at_once(books):
    for kwargs in SETTINGS.values():
        g = gphrases.Phrases(books[:1500], **kwargs)
        g.add_vocab(books[1500:2500])
        g.add_vocab(iter(books[2500:]))
        w = Phrases(books[:1500], **kwargs)
        w.add_vocab(books[1500:2500])
        w.add_vocab(iter(books[2500:]))  # a one-pass iterator is enough
        assert_same_model(w, g)
        once = Phrases(books, **kwargs)
        assert dict(w.vocab) == dict(once.vocab)
        assert w.export_phrases() == once.export_phrases()


def test_unfitted_model_is_gensims_empty_model(books):
    g, w = gphrases.Phrases(min_count=2), Phrases(min_count=2)
    sentence = books[0]
    assert dict(w.vocab) == g.vocab == {}
    assert w.export_phrases() == g.export_phrases() == {}
    assert w[sentence] == g[sentence] == sentence
    assert w.corpus_word_count == g.corpus_word_count == 0
    g.add_vocab(books[:800])
    w.add_vocab(books[:800])
    assert_same_model(w, g)


def test_long_sentences_are_counted_whole():
    """gensim does not cut a sentence at 10,000 tokens; neither does compat."""
    long = ("new york is big and new york is old " * 2000).split()
    g, w = gphrases.Phrases([long], min_count=1), Phrases([long], min_count=1)
    assert len(long) > 10_000
    assert_same_model(w, g)


def test_settings_changed_after_learning_apply_at_once(books):
    """gensim reads threshold and min_count at every use; so does compat."""
    g, w = gphrases.Phrases(books), Phrases(books)
    for model in (g, w):
        model.threshold, model.min_count = 40.0, 8
    assert_same_model(w, g)
    assert list(w[books[:500]]) == list(g[books[:500]])


def test_gensim_builtin_scorer_functions_are_accepted(books):
    g = gphrases.Phrases(books[:1000], scoring=gphrases.npmi_scorer, threshold=0.5)
    w = Phrases(books[:1000], scoring=gphrases.npmi_scorer, threshold=0.5)
    assert w.scoring is compat_phrases.npmi_scorer
    assert_same_model(w, g)
    w.scoring = "default"
    assert w.export_phrases() == Phrases(books[:1000], threshold=0.5).export_phrases()


# --------------------------------------------------------------------------- applying
def test_transform_matches_gensim(pair, books):
    g, w, _ = pair
    some = books[:1200]
    for sentence in some[:300]:
        assert w[sentence] == g[sentence]
        assert list(w.analyze_sentence(sentence)) == list(g.analyze_sentence(sentence))
    assert w[tuple(some[3])] == g[tuple(some[3])]
    assert w[iter(some[3])] == g[iter(some[3])]  # a single sentence given as an iterator
    assert w[[]] == g[[]] == []
    expected = list(g[some])
    corpus = w[some]
    assert list(corpus) == expected
    assert list(corpus) == expected  # re-iterable, as gensim's over a list
    assert len(corpus) == len(some)
    assert [] in expected  # the empty sentence kept in its place
    assert list(w[iter(some)]) == expected  # a generator: one pass
    assert sum(len(s) for s in expected) < sum(len(s) for s in some)  # phrases were joined
    assert w.find_phrases(some) == pytest.approx(g.find_phrases(some), rel=1e-12)
    assert len(w.find_phrases(some)) > 50


def test_frozen_phrases_match_gensim(pair, books):
    g, w, _ = pair
    gf = g.freeze()
    some = books[:1000]
    for frozen in (w.freeze(), FrozenPhrases(w), Phraser(w)):
        assert isinstance(frozen, FrozenPhrases)
        assert frozen.phrasegrams == pytest.approx(gf.phrasegrams, rel=1e-12)
        assert list(frozen[some]) == list(gf[some]) == list(w[some])
        assert frozen.find_phrases(some) == pytest.approx(gf.find_phrases(some), rel=1e-12)
        assert str(frozen) == str(gf)
        for name in ("min_count", "threshold", "delimiter", "connector_words"):
            assert getattr(frozen, name) == getattr(gf, name)
    assert Phraser is FrozenPhrases
    frozen, raised = w.freeze(), gphrases.FrozenPhrases(g)
    frozen.threshold = raised.threshold = 0.7 if g.threshold < 1 else 60.0  # fewer phrases
    assert list(frozen[some]) == list(raised[some])
    assert list(frozen[some]) != list(gf[some])


# --------------------------------------------------------------------------- files
def test_save_load_round_trip(pair, books, tmp_path):
    _, w, _ = pair
    some = books[:800]
    w.save(tmp_path / "model.wph")
    back = Phrases.load(tmp_path / "model.wph")
    assert_same_model(back, w)
    assert list(back[some]) == list(w[some])
    assert back.scoring is w.scoring and back.connector_words == w.connector_words
    words = back.corpus_word_count
    back.add_vocab(books[:10])  # still learns
    assert back.corpus_word_count == words + sum(len(s) for s in books[:10])
    w.freeze().save(str(tmp_path / "frozen.wph"))
    for frozen in (
        FrozenPhrases.load(tmp_path / "frozen.wph"),
        Phraser.load(tmp_path / "model.wph"),
    ):
        assert frozen.phrasegrams == w.freeze().phrasegrams
        assert list(frozen[some]) == list(w[some])
    with pytest.raises(FormatError, match="FrozenPhrases.load"):
        Phrases.load(tmp_path / "frozen.wph")


def test_gensim_files_are_refused_with_the_way_over(books, tmp_path):
    g = gphrases.Phrases(books[:200], min_count=1)
    g.save(str(tmp_path / "g.pkl"))
    g.freeze().save(str(tmp_path / "gf.pkl"))
    for cls, name in ((Phrases, "g.pkl"), (FrozenPhrases, "gf.pkl")):
        with pytest.raises(FormatError, match=r"gensim's save\(\).*wordvec.compat.Phrases"):
            cls.load(tmp_path / name)


# --------------------------------------------------------------------------- errors
def custom_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    return bigram_count / (worda_count + wordb_count)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scoring": custom_scorer}, "`scoring`.*custom scoring functions"),
        ({"scoring": "word2phrase"}, "`scoring` must be 'default' or 'npmi'"),
        ({"scoring": "npmi"}, r"`threshold` must be in \[-1, 1\]"),  # gensim's default 10
        ({"min_count": 0}, "`min_count`"),
        ({"min_count": 2.5}, "`min_count`"),
        ({"threshold": -1.0}, "`threshold` must be > 0"),
        ({"max_vocab_size": 0}, "`max_vocab_size`"),
        ({"delimiter": ""}, "`delimiter`"),
        ({"connector_words": "the"}, "`connector_words`"),
        ({"progress_per": 0}, "`progress_per`"),
        ({"sentences": "corpus.txt"}, "`sentences`.*LineSentence"),
        ({"sentences": ["new york", "is big"]}, "sentence 0 is a str"),
        ({"connector_words": 5}, "`connector_words` must be an iterable of str"),
        ({"connector_words": None}, "`connector_words` must be an iterable of str"),
        ({"sentences": 5}, "`sentences` must be an iterable of token lists.*got int"),
        ({"sentences": [["a"], 5]}, "sentence 1 is a int"),
        ({"sentences": [None]}, "sentence 0 is a NoneType"),
    ],
)
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        Phrases(**kwargs)


def test_unsupported_calls_are_refused(books, tmp_path):
    w = Phrases(books[:100], min_count=1)
    with pytest.raises(ConfigError, match="pickle_protocol"):
        w.save(tmp_path / "m.wph", pickle_protocol=2)
    with pytest.raises(ConfigError, match="separately"):
        w.freeze().save(tmp_path / "f.wph", separately=["x"])
    with pytest.raises(ConfigError, match="split it first"):
        w["new york"]
    with pytest.raises(ConfigError, match="`phrases_model`"):
        FrozenPhrases({"new_york": 1.0})
    with pytest.raises(ConfigError, match="`scoring`"):
        w.scoring = len
    with pytest.raises(AttributeError):
        w.connector_words = frozenset({"of"})  # fixed when counting
    with pytest.raises(ConfigError, match="split it first"):
        list(w.analyze_sentence("new york"))
    with pytest.raises(ConfigError, match="takes a list of str tokens.*got int"):
        w[5]
    frozen = w.freeze()
    for model in (w, frozen):
        for bad in ("x", None, float("inf"), float("nan")):
            with pytest.raises(ConfigError, match="`threshold`"):
                model.threshold = bad
        assert model.threshold == 10.0  # unchanged
    for bad in (5, "", b"_"):
        with pytest.raises(ConfigError, match="`delimiter`"):
            w.delimiter = bad
    assert w.delimiter == "_"


def test_memory_bound_holds_after_add_vocab(books):
    w = Phrases(books[:1000], max_vocab_size=3000, min_count=2)
    w.add_vocab(books[1000:2000])
    layer = w._native.layers_[0]
    assert len(layer.words) <= 3000 and len(layer.counts) <= 3000
    assert len(w.export_phrases()) > 0 and w[books[0]]
    # pruned words are read again: a one-pass iterator cannot be, and says so
    before, words, layers = dict(w.vocab), w.corpus_word_count, w._native.layers_
    with pytest.raises(ConfigError, match="max_vocab_size=3000.*one-pass iterator"):
        w.add_vocab(iter(books[:1000]))
    assert dict(w.vocab) == before  # a failed add_vocab changes nothing
    assert w.corpus_word_count == words and w._native.layers_ is layers


def test_progress_per_paces_the_progress_lines(books, caplog):
    with caplog.at_level(logging.INFO, logger="wordvec.compat.phrases"):
        Phrases(books[:1000], progress_per=300)
    lines = [r.getMessage() for r in caplog.records if "PROGRESS" in r.getMessage()]
    assert [line.split(",")[0] for line in lines] == [
        f"PROGRESS: at sentence #{n}" for n in (0, 300, 600, 900)
    ]


def test_the_pruning_floor_is_the_least_that_keeps_max_vocab_words():
    """What word2vec C's rule reaches by raising the floor one count at a time."""
    import numpy as np

    from wordvec.compat._phrasecounts import _floor

    rng = np.random.default_rng(5)
    for _ in range(300):
        counts = rng.integers(1, rng.integers(2, 60), rng.integers(1, 40)).astype(np.int64)
        max_vocab = int(rng.integers(1, 45))
        floor = 0
        while np.count_nonzero(counts > floor) > max_vocab:
            floor += 1
        assert _floor(counts, max_vocab) == floor, (counts.tolist(), max_vocab)
