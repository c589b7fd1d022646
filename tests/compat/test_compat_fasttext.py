"""wordvec.compat.fasttext against gensim.models.fasttext: the same snippets on both."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wordvec.compat import FastTextKeyedVectors
from wordvec.compat import fasttext as ours
from wordvec.errors import ConfigError
from wordvec.subwords.fasttext_bin import FastTextArgs, write_fasttext_bin

theirs = pytest.importorskip("gensim.models.fasttext")

DATA = Path(__file__).resolve().parent.parent / "subwords" / "data"
MODEL = DATA / "ft_sg_ns.bin"  # trained by fastText (tests/subwords/data)
HS_MODEL = DATA / "ft_cbow_hs.bin"


def _vectors_snippet(load_facebook_vectors, path):
    wv = load_facebook_vectors(str(path))
    return {
        "unseen in wv": "unseenword" in wv,
        "has_index_for": (wv.has_index_for("unseenword"), wv.has_index_for("the")),
        "in key_to_index": "unseenword" in wv.key_to_index,
        "wv[unseen]": wv["unseenword"],
        "get_vector norm": wv.get_vector("unseenword", norm=True),
        "wv[the]": wv["the"],
        "wv[list]": wv[["the", "unseenword"]],
        "similarity": wv.similarity("the", "unseenword"),
        "distance": wv.distance("unseenword", "café"),
        "most_similar unseen": wv.most_similar("unseenword", topn=4),
        "most_similar the": wv.most_similar("the", topn=4),
        "analogy": wv.most_similar(positive=["unseenword", "the"], negative=["café"], topn=3),
        "cosmul": wv.most_similar_cosmul(positive=["unseenword", "the"], negative=["café"], topn=3),
        "n_similarity": wv.n_similarity(["the", "unseenword"], ["naïve", "dogsled"]),
        "doesnt_match": wv.doesnt_match(["the", "unseenword", "café", "kato"]),
        "shapes": (wv.vectors.shape, wv.vectors_vocab.shape, wv.vectors_ngrams.shape),
        "params": (wv.min_n, wv.max_n, wv.bucket, wv.vector_size, len(wv)),
        "index_to_key": list(wv.index_to_key),
        # (row 0 is "</s>": fastText gives it no n-grams, gensim does; see below)
        "vectors": wv.vectors[1:],
        "count": wv.get_vecattr("the", "count"),
    }


def _same(a, b, key):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=2e-6, err_msg=key)
    elif isinstance(a, list) and a and isinstance(a[0], tuple):
        assert [w for w, _ in a] == [w for w, _ in b], key
        np.testing.assert_allclose([s for _, s in a], [s for _, s in b], atol=1e-5, err_msg=key)
    elif isinstance(a, (float, np.floating)):
        assert type(a) is type(b), key  # (gensim's return types: np.float32 where it gives one)
        assert a == pytest.approx(b, abs=1e-5), key
    else:
        assert a == b, key


@pytest.fixture(scope="module")
def random_model(tmp_path_factory):
    """Random rows (well-separated cosines: the trained fixtures are too small for that)."""
    rng = np.random.default_rng(7)
    words = ["</s>", "the", "café", "naïve", "kato"] + [f"w{i}x" for i in range(200)]
    bucket = 503
    args = FastTextArgs(dim=10, bucket=bucket, min_count=1)
    path = tmp_path_factory.mktemp("rnd") / "random.bin"
    inp = rng.normal(size=(len(words) + bucket, 10))
    out = rng.normal(size=(len(words), 10))
    write_fasttext_bin(path, args, words, np.arange(len(words), 0, -1) + 4, inp, out)
    return path


def test_vectors_snippet_as_gensim(random_model):
    path = random_model
    mine = _vectors_snippet(ours.load_facebook_vectors, path)
    ref = _vectors_snippet(theirs.load_facebook_vectors, path)
    assert mine.keys() == ref.keys()
    for key in mine:
        _same(mine[key], ref[key], key)
    assert mine["unseen in wv"] is True and mine["has_index_for"] == (False, True)


def test_end_of_sentence_follows_fasttext_not_gensim(random_model):
    f = ours.load_facebook_model(random_model)
    wv = f.wv
    np.testing.assert_array_equal(wv["</s>"], f.file.input_matrix[0])  # its own row only
    assert not np.allclose(wv["</s>"], theirs.load_facebook_vectors(str(random_model))["</s>"])


def _model_snippet(load_facebook_model, path):
    m = load_facebook_model(str(path))
    out = m.syn1neg if m.negative else m.syn1
    return {
        "params": (m.sg, m.hs, m.negative, m.window, m.epochs, m.min_count, m.vector_size),
        "sample": m.sample,
        "corpus_total_words": m.corpus_total_words,
        "wv[unseen]": m.wv["dogsled"],
        "output": out,
    }


@pytest.mark.parametrize("path", [MODEL, HS_MODEL])
def test_model_snippet_as_gensim(path):
    mine = _model_snippet(ours.load_facebook_model, path)
    ref = _model_snippet(theirs.load_facebook_model, path)
    for key in mine:
        _same(mine[key], ref[key], key)


@pytest.mark.parametrize("path", [MODEL, HS_MODEL])
def test_save_facebook_model_round_trips_through_both(path, tmp_path):
    ours.save_facebook_model(ours.load_facebook_model(path), tmp_path / "ours.bin")
    theirs.save_facebook_model(theirs.load_facebook_model(str(path)), str(tmp_path / "g.bin"))
    for out in ("ours.bin", "g.bin"):
        g = theirs.load_facebook_vectors(str(tmp_path / out))
        w = ours.load_facebook_vectors(tmp_path / out)
        for word in ["the", "naïve", "dogsled", "日本語"]:
            np.testing.assert_allclose(w[word], g[word], rtol=1e-5, atol=1e-6, err_msg=word)
    # what wordvec writes holds what fastText wrote (its own file, field for field)
    a, b = (tmp_path / "ours.bin").read_bytes(), path.read_bytes()
    assert a == b


def test_no_buckets_unseen_word_is_a_key_error(tmp_path):
    words = ["the", "fox"]
    rng = np.random.default_rng(0)
    args = FastTextArgs(dim=3, bucket=0, minn=0, maxn=0, min_count=1)
    path = tmp_path / "nobucket.bin"
    write_fasttext_bin(path, args, words, np.array([5, 3]), rng.normal(size=(2, 3)),
                       rng.normal(size=(2, 3)))  # fmt: skip
    for load in (ours.load_facebook_vectors, theirs.load_facebook_vectors):
        wv = load(str(path))
        assert "the" in wv and "unseen" not in wv
        with pytest.raises(KeyError):
            wv["unseen"]


def test_files_and_refusals(tmp_path):
    wv = ours.load_facebook_vectors(MODEL)
    assert isinstance(wv, FastTextKeyedVectors)
    wv.save(tmp_path / "wv.wvec")
    back = FastTextKeyedVectors.load(tmp_path / "wv.wvec")
    np.testing.assert_array_equal(back["unseenword"], wv["unseenword"])
    assert "unseenword" in back
    with pytest.raises(ConfigError, match="encoding"):
        ours.load_facebook_vectors(MODEL, encoding="latin-1")
    with pytest.raises(ConfigError):
        wv.add_vectors(["new"], np.zeros((1, wv.vector_size)))
    empty = FastTextKeyedVectors(4, 3, 6, 10)
    assert len(empty) == 0 and empty.vectors_ngrams.shape == (10, 4)
    assert not empty["abc"].any()  # its n-gram rows are zeros
