"""wordvec.compat.FastText against gensim 4's FastText: the same snippets run on both."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.compat import FastText as OurFastText
from wordvec.compat import FastTextKeyedVectors
from wordvec.errors import ConfigError

gensim_fasttext = pytest.importorskip("gensim.models.fasttext")

WORDS = "the cat sat on the mat while the dog ran over the hill and cats sit on mats".split()


def _sentences(n=200, seed=0):
    rng = np.random.default_rng(seed)
    return [list(rng.choice(WORDS, 9)) for _ in range(n)]


def _snippet(FastText):
    """The same user code for both libraries; returns what a user would look at."""
    model = FastText(vector_size=16, window=3, min_count=2, sentences=_sentences(), epochs=3,
                     bucket=1000, workers=1, seed=1)  # fmt: skip
    out = {
        "vocab": sorted(model.wv.key_to_index),
        "unseen_in": "catsz" in model.wv,
        "unseen_shape": model.wv["catsz"].shape,
        "unseen_nonzero": bool(np.abs(model.wv["catsz"]).max() > 0),
        "most_similar": [type(w).__name__ for w, _ in model.wv.most_similar("catsz", topn=3)],
        "ngrams_shape": model.wv.vectors_ngrams.shape,
        "vocab_shape": model.wv.vectors_vocab.shape,
    }
    more = [["zebra", "zebra", "cat", "zebra"]] * 5
    model.build_vocab(more, update=True)
    trained = model.train(more, total_examples=len(more), epochs=model.epochs)
    out["after_update"] = sorted(model.wv.key_to_index)
    out["train_returns"] = (type(trained).__name__, len(trained))
    with pytest.raises((ValueError, ConfigError, TypeError, RuntimeError)):
        model.train(more)  # gensim's rule: epochs and a count are required
    return out


def test_the_same_snippet_gives_the_same_answers():
    ours = _snippet(OurFastText)
    theirs = _snippet(gensim_fasttext.FastText)
    assert ours == theirs


def test_wv_is_fasttext_keyed_vectors_sharing_the_trained_rows():
    model = OurFastText(vector_size=8, min_count=2, sentences=_sentences(), epochs=2, bucket=500,
                        workers=1, sg=1)  # fmt: skip
    assert isinstance(model.wv, FastTextKeyedVectors)
    i = model.wv.key_to_index["cat"]
    before = model.wv["cat"].copy()
    model.train(_sentences(50, seed=3), total_examples=50, epochs=1)
    assert not np.array_equal(model.wv["cat"], before)  # wv sees the trained rows
    assert model.wv.vectors_vocab.shape == (len(model.wv), 8)
    assert np.array_equal(model.wv.vectors_vocab[i], model.wv.vectors_vocab[i])


@pytest.mark.parametrize(
    "kwargs,message",
    [({"word_ngrams": 2}, "word_ngrams"), ({"cbow_mean": 0}, "cbow_mean"),
     ({"min_n": 5, "max_n": 3}, "minn")],
)  # fmt: skip
def test_refusals_are_one_line(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        OurFastText(sentences=_sentences(20), min_count=1, bucket=100, **kwargs)


def test_trim_rule_gives_gensims_vocabulary():
    """gensim's trim_rule reaches FastText's vocabulary too (its build_vocab hook)."""
    from gensim.utils import RULE_DEFAULT as G_DEFAULT
    from gensim.utils import RULE_DISCARD as G_DISCARD

    from wordvec.compat.utils import RULE_DEFAULT, RULE_DISCARD

    def rule(default, discard):
        return lambda word, count, min_count: discard if word.startswith("c") else default

    vocab = []
    for FastText, r in ((gensim_fasttext.FastText, rule(G_DEFAULT, G_DISCARD)),
                        (OurFastText, rule(RULE_DEFAULT, RULE_DISCARD))):  # fmt: skip
        model = FastText(vector_size=8, min_count=2, bucket=100, workers=1, seed=1)
        model.build_vocab(_sentences(), trim_rule=r)
        vocab.append(list(model.wv.index_to_key))
    assert vocab[0] == vocab[1] and not any(w.startswith("c") for w in vocab[1])
