"""gensim idioms that tutorials use, run on gensim and on wordvec.compat side by side:
``hs=1`` with gensim's default ``negative=5`` (both objectives), ``trim_rule`` and the
``RULE_*`` constants, and the helpers of ``gensim.test.utils``."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

gensim_models = pytest.importorskip("gensim.models")
import gensim.test.utils as gutils  # noqa: E402
from gensim import utils as gensim_utils  # noqa: E402

import wordvec.compat.test.utils as wutils  # noqa: E402
from wordvec.compat import Word2Vec, utils  # noqa: E402
from wordvec.errors import ConfigError  # noqa: E402

GW2V = gensim_models.Word2Vec
BOOKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "corpora"


@pytest.fixture(scope="module")
def sentences() -> list[list[str]]:
    lines = (BOOKS / "public-domain-books.txt").read_text(encoding="utf-8").splitlines()
    return [line.split() for line in lines[:2000]]


def vocab_of(model) -> tuple:
    wv = model.wv
    counts = [int(wv.get_vecattr(k, "count")) for k in wv.index_to_key]
    return list(wv.index_to_key), counts, model.corpus_count, model.corpus_total_words


# --------------------------------------------------------------------------- hs=1, negative=5
def test_hs_with_gensims_default_negative_trains_both_objectives(sentences, tmp_path):
    kw = dict(hs=1, min_count=3, vector_size=16, epochs=2, workers=1, seed=3)  # negative=5
    g, w = GW2V(sentences, **kw), Word2Vec(sentences, **kw)
    assert vocab_of(w) == vocab_of(g)
    assert w.syn1neg.shape == g.syn1neg.shape
    # one row per inner node of the tree: V - 1 (gensim allocates V, the last never used)
    assert w.syn1.shape == (g.syn1.shape[0] - 1, g.syn1.shape[1])
    assert np.abs(w.syn1).sum() > 0 and np.abs(w.syn1neg).sum() > 0  # both trained
    # gensim's predict_output_word reads syn1neg when negative > 0, hs or not
    got = w.predict_output_word(["the", "of"], topn=4)
    want = g.predict_output_word(["the", "of"], topn=4)
    assert len(got) == len(want) == 4 and all(isinstance(p, float) for _, p in got)
    w.save(tmp_path / "both.model")
    back = Word2Vec.load(tmp_path / "both.model")
    assert (back.hs, back.negative) == (1, 5)
    assert np.array_equal(back.syn1, w.syn1) and np.array_equal(back.syn1neg, w.syn1neg)
    back.train(sentences[:100], total_examples=100, epochs=1)  # and training goes on


def test_hs_alone_and_neg_alone_keep_their_one_matrix(sentences):
    hs = Word2Vec(sentences[:300], hs=1, negative=0, min_count=2, epochs=1)
    assert hs.syn1neg is None and hs.syn1.shape == (len(hs.wv) - 1, 100)
    with pytest.raises(ConfigError, match="negative > 0"):
        hs.predict_output_word(["the"])
    neg = Word2Vec(sentences[:300], min_count=2, epochs=1)
    assert neg.syn1 is None and neg.syn1neg.shape == (len(neg.wv), 100)


# --------------------------------------------------------------------------- trim_rule
def rule(word: str, count: int, min_count: int) -> int:
    """Keep every word with a 'q', drop those ending in 'ing', the default otherwise."""
    if "q" in word:
        return utils.RULE_KEEP
    if word.endswith("ing"):
        return utils.RULE_DISCARD
    return utils.RULE_DEFAULT


def test_the_rule_constants_are_gensims():
    assert (utils.RULE_DEFAULT, utils.RULE_DISCARD, utils.RULE_KEEP) == (
        gensim_utils.RULE_DEFAULT, gensim_utils.RULE_DISCARD, gensim_utils.RULE_KEEP,
    )  # fmt: skip


@pytest.mark.parametrize(
    "settings",
    [
        {"min_count": 5},
        {"min_count": 3, "max_final_vocab": 500},
        {"min_count": 1, "max_vocab_size": 3000},  # the rule applies to pruning too
        {"min_count": 2, "sorted_vocab": 0},
    ],
)
def test_trim_rule_gives_gensims_vocabulary(sentences, settings):
    g, w = GW2V(**settings), Word2Vec(**settings)
    g.build_vocab(sentences, trim_rule=rule)
    w.build_vocab(sentences, trim_rule=rule)
    assert vocab_of(w) == vocab_of(g)
    words = set(w.wv.index_to_key)
    assert not any(x.endswith("ing") and "q" not in x for x in words)
    if "max_vocab_size" not in settings:  # (pruning may drop a q-word before the rule sees it)
        assert any("q" in x and w.wv.get_vecattr(x, "count") < settings["min_count"] for x in words)


def test_trim_rule_in_the_constructor_update_and_from_freq(sentences):
    kw = dict(min_count=4, vector_size=8, epochs=1, workers=1)
    g = GW2V(sentences[:800], trim_rule=rule, **kw)
    w = Word2Vec(sentences[:800], trim_rule=rule, **kw)
    assert vocab_of(w) == vocab_of(g)
    for m in (g, w):
        m.build_vocab(sentences[800:1600], update=True, trim_rule=rule)
    assert vocab_of(w) == vocab_of(g)
    freq = {"quiet": 1, "running": 50, "cat": 3, "dog": 9}
    g, w = GW2V(min_count=2), Word2Vec(min_count=2)
    g.build_vocab_from_freq(freq, trim_rule=rule)
    w.build_vocab_from_freq(freq, trim_rule=rule)
    assert w.wv.index_to_key == g.wv.index_to_key == ["dog", "cat", "quiet"]


def test_a_trim_rule_that_keeps_everything_does_not_stop_pruning_from_ending(sentences):
    w = Word2Vec(min_count=1, max_vocab_size=500)
    w.build_vocab(sentences[:300], trim_rule=lambda word, count, mc: utils.RULE_KEEP)
    g = GW2V(min_count=1, max_vocab_size=500)
    g.build_vocab(sentences[:300], trim_rule=lambda word, count, mc: utils.RULE_KEEP)
    assert vocab_of(w) == vocab_of(g)


def test_a_trim_rule_that_is_not_callable_is_named():
    with pytest.raises(ConfigError, match="`trim_rule` must be a callable"):
        Word2Vec(trim_rule=5)


# --------------------------------------------------------------------------- gensim.test.utils
def test_common_texts_and_the_shipped_files_are_gensims():
    assert wutils.common_texts == gutils.common_texts
    for name in ("questions-words.txt", "wordsim353.tsv", "simlex999.txt"):
        assert Path(wutils.datapath(name)).read_bytes() == Path(gutils.datapath(name)).read_bytes()
    assert wutils.datapath("public-domain-books.txt.xz").endswith("public-domain-books.txt.xz")


def test_datapath_names_what_is_shipped_for_gensims_own_test_files():
    with pytest.raises(FileNotFoundError, match=r"lee_background.cor.*questions-words.txt"):
        wutils.datapath("lee_background.cor")
    with pytest.raises(FileNotFoundError):
        wutils.datapath("../corpus.py")  # only names in the data folder


def test_get_tmpfile_and_temporary_file_behave_as_gensims():
    path = wutils.get_tmpfile("w2v.model")
    assert os.path.basename(path) == "w2v.model" and os.path.isdir(os.path.dirname(path))
    assert not os.path.exists(path)
    with wutils.temporary_file("x.txt") as tf:
        Path(tf).write_text("data")
        assert os.path.exists(tf)
    assert not os.path.exists(os.path.dirname(tf))


def test_the_tutorial_evaluation_runs_with_datapath(tmp_path, monkeypatch):
    model = Word2Vec(wutils.common_texts * 20, min_count=1, vector_size=8, epochs=1, workers=1)
    score, sections = model.wv.evaluate_word_analogies(wutils.datapath("questions-words.txt"))
    assert sections[-1]["section"] == "Total accuracy"
    monkeypatch.chdir(tmp_path)  # gensim opens the name as given: FileNotFoundError, with a hint
    with pytest.raises(FileNotFoundError, match=r"datapath\('questions-words.txt'\)"):
        model.wv.evaluate_word_analogies("questions-words.txt")
    with pytest.raises(FileNotFoundError, match=r"datapath\('wordsim353.tsv'\)"):
        model.wv.evaluate_word_pairs("wordsim353.tsv")
    g = GW2V(gutils.common_texts * 20, min_count=1, vector_size=8, epochs=1, workers=1)
    with pytest.raises(FileNotFoundError):
        g.wv.evaluate_word_analogies("questions-words.txt")


# --------------------------------------------------------------------------- logging
def test_info_logging_says_only_what_happened(caplog):
    """A compat run trains one epoch at a time; its log has one start line (no "resuming"
    when nothing was interrupted) and one end line for all of its epochs."""
    import logging

    caplog.set_level(logging.INFO, logger="wordvec")
    Word2Vec(wutils.common_texts * 50, min_count=1, vector_size=8, epochs=3, workers=1)
    engine = [r.getMessage() for r in caplog.records if r.name == "wordvec.engine.train"]
    assert not any("resuming" in m for m in engine), engine
    assert len([m for m in engine if m.startswith("training ")]) == 1
    ends = [m for m in engine if m.startswith("trained ")]
    assert len(ends) == 1 and ends[0].startswith("trained 3 epochs: 4350 words in ")


def test_the_words_per_second_of_a_run_leave_its_compilation_out(caplog, monkeypatch):
    """A first run compiles its kernel before the first epoch: the run's summary line gives
    that time apart, and its words/s are those of the epochs (as the epoch lines')."""
    import logging
    import re
    import time

    from wordvec.engine.train import Trainer

    calls = []

    def slow_prepare(self) -> float:  # the first call compiles, later ones find it compiled
        calls.append(1)
        if len(calls) > 1:
            return 0.0
        time.sleep(1.0)
        return 1.0

    monkeypatch.setattr(Trainer, "prepare", slow_prepare)
    caplog.set_level(logging.INFO, logger="wordvec")
    Word2Vec(wutils.common_texts * 50, min_count=1, vector_size=8, epochs=2, workers=1)
    (end,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("training on")]
    took = float(re.search(r"took ([\d.]+)s", end).group(1))
    assert "(and 1.0s compiling the training kernel, once)" in end and took < 1.0, end
