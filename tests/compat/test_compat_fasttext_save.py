"""wordvec.compat.FastText.save / load: gensim's ``model.save(p)``, ``FastText.load(p)``.

The file is wordvec's native model file (JSON and raw arrays, no pickle) with the
n-gram rows, as ``wordvec.FastText.save`` writes it, plus gensim's settings. The same
user snippet runs on gensim (whose file is a pickle) to compare what exists and how
it looks; the vectors themselves are compared with the model before saving.
"""

from __future__ import annotations

import errno
import os

import numpy as np
import pytest

import wordvec
from wordvec.compat import FastText as OurFastText
from wordvec.compat import FastTextKeyedVectors
from wordvec.compat import Word2Vec as OurWord2Vec
from wordvec.compat.convert import main as convert_main
from wordvec.errors import ConfigError, FormatError, WordvecError

gensim_fasttext = pytest.importorskip("gensim.models.fasttext")

WORDS = "the cat sat on the mat while the dog ran over the hill and cats sit on mats".split()
MORE = [["zebra", "zebra", "cat", "zebras", "dog"]] * 6
PROBES = ["cat", "hill", "unseenword", "catsz"]  # in the vocabulary, then not


def _sentences(n=200, seed=0):
    rng = np.random.default_rng(seed)
    return [list(rng.choice(WORDS, 9)) for _ in range(n)]


def _snippet(FastText, path, **kw):
    """The gensim user's code, unchanged: train, save, load, query, train again."""
    params = dict(vector_size=12, min_n=2, max_n=4, bucket=700, min_count=2, epochs=2,
                  workers=1, seed=2)  # fmt: skip
    params.update(kw)
    model = FastText(_sentences(), **params)
    before = {w: np.array(model.wv[w]) for w in PROBES}
    model.save(str(path))
    m2 = FastText.load(str(path))
    after = {w: np.array(m2.wv[w]) for w in PROBES}
    ngrams = np.array(m2.wv.vectors_ngrams)
    look = {
        "type": type(m2).__name__,
        "wv type": type(m2.wv).__name__,
        "params": (m2.vector_size, m2.sg, m2.hs, m2.negative, m2.window, m2.epochs,
                   m2.min_count, m2.sample, m2.alpha, m2.min_alpha),
        "wv params": (m2.wv.vector_size, m2.wv.min_n, m2.wv.max_n, m2.wv.bucket),
        "corpus": (m2.corpus_count, m2.corpus_total_words),
        "vocab": list(m2.wv.index_to_key),
        "counts": [m2.wv.get_vecattr(w, "count") for w in m2.wv.index_to_key],
        "unseen in wv": "unseenword" in m2.wv,
        "unseen in key_to_index": "unseenword" in m2.wv.key_to_index,
        "shapes": (m2.wv.vectors.shape, m2.wv.vectors_vocab.shape, m2.wv.vectors_ngrams.shape,
                   None if getattr(m2, "syn1neg", None) is None else m2.syn1neg.shape),
        # (gensim has no syn1 when hs=0, and V rows where wordvec's tree has V - 1)
        "syn1": getattr(m2, "syn1", None) is not None,
        "dtypes": (m2.wv["unseenword"].dtype, m2.wv.vectors_ngrams.dtype),
        "same vectors": all(np.array_equal(before[w], after[w]) for w in PROBES),
    }  # fmt: skip
    more = _sentences(100, seed=4) + MORE
    if not m2.hs:  # (wordvec keeps a Huffman tree's vocabulary fixed: refused with hs=1)
        m2.build_vocab(more, update=True)
    m2.train(more, total_examples=len(more), epochs=m2.epochs)
    look["after update"] = list(m2.wv.index_to_key)[-2:]
    look["trained"] = not np.array_equal(m2.wv.vectors_ngrams, ngrams)
    return look, before, after, m2


@pytest.mark.parametrize("kw", [{}, {"sg": 1, "negative": 3}, {"hs": 1, "negative": 0}])
def test_the_gensim_snippet_runs_unchanged_as_on_gensim(tmp_path, kw):
    ours, before, after, _ = _snippet(OurFastText, tmp_path / "ours.model", **kw)
    theirs, *_ = _snippet(gensim_fasttext.FastText, tmp_path / "gensim.model", **kw)
    assert ours == theirs
    assert ours["same vectors"] and ours["unseen in wv"]
    for w in PROBES:  # the vectors after load are those before, bit for bit, OOV too
        np.testing.assert_array_equal(after[w], before[w], err_msg=w)
        assert np.abs(after[w]).max() > 0, w


def _trained(**kw):
    params = dict(vector_size=10, min_n=3, max_n=5, bucket=400, min_count=2, epochs=2,
                  workers=1, seed=5)  # fmt: skip
    params.update(kw)
    model = OurFastText(_sentences(), **params)
    text = _sentences(50, seed=1)  # (gensim's FastText takes compute_loss in train() only)
    model.train(text, total_examples=len(text), epochs=1, compute_loss=True)
    return model


@pytest.mark.parametrize(
    "kw", [{}, {"sg": 1}, {"hs": 1, "negative": 0}, {"hs": 1, "negative": 0, "sg": 1}]
)
def test_a_loaded_model_is_the_model_it_was(tmp_path, kw):
    """Every array and counter comes back; training both on more text gives the same rows."""
    m = _trained(**kw)
    m.save(tmp_path / "m.model")
    back = OurFastText.load(tmp_path / "m.model")
    assert back.wv.index_to_key == m.wv.index_to_key
    np.testing.assert_array_equal(back.wv.vectors_vocab, m.wv.vectors_vocab)
    np.testing.assert_array_equal(back.wv.vectors_ngrams, m.wv.vectors_ngrams)
    np.testing.assert_array_equal(back.wv.vectors, m.wv.vectors)
    for name in ("syn1neg", "syn1"):
        a, b = getattr(back, name), getattr(m, name)
        assert (a is None) == (b is None), name
        if a is not None:
            np.testing.assert_array_equal(a, b, err_msg=name)
    for name in ("corpus_count", "corpus_total_words", "train_count", "effective_min_count",
                 "running_training_loss", "compute_loss", "cbow_mean", "ns_exponent"):  # fmt: skip
        assert getattr(back, name) == getattr(m, name), name
    assert back.get_latest_training_loss() > 0
    text = _sentences(40, seed=9)
    for model in (m, back):  # the same next train() call (same seed, counters, weights)
        model.train(text, total_examples=len(text), epochs=1)
    np.testing.assert_array_equal(back.wv.vectors_ngrams, m.wv.vectors_ngrams)
    np.testing.assert_array_equal(back.wv["unseenword"], m.wv["unseenword"])


def test_growing_the_vocabulary_after_load_keeps_the_ngram_rows(tmp_path):
    m = _trained()
    m.save(tmp_path / "m.model")
    back = OurFastText.load(tmp_path / "m.model")
    ngrams = back.wv.vectors_ngrams.copy()
    back.build_vocab(MORE, update=True)
    assert "zebra" in back.wv.key_to_index
    np.testing.assert_array_equal(back.wv.vectors_ngrams, ngrams)  # moved down, unchanged
    back.train(MORE, total_examples=len(MORE), epochs=1)
    back.save(tmp_path / "m.model")  # over the file it came from
    again = OurFastText.load(tmp_path / "m.model")
    np.testing.assert_array_equal(again.wv["zebras"], back.wv["zebras"])


def test_no_ngrams_keeps_the_bucket_setting(tmp_path):
    m = _trained(max_n=0, bucket=2_000_000)
    m.save(tmp_path / "m.model")
    back = OurFastText.load(tmp_path / "m.model")
    assert (back.max_n, back.bucket, back.wv.bucket) == (0, 2_000_000, 0)
    np.testing.assert_array_equal(back.wv.vectors, m.wv.vectors)
    with pytest.raises(KeyError):
        back.wv["unseenword"]


def test_keyed_vectors_save_and_load_as_gensim(tmp_path):
    """gensim's ``model.wv.save(p)`` / ``FastTextKeyedVectors.load(p)``, OOV included."""
    m = _trained()
    m.wv.save(str(tmp_path / "wv.kv"))
    wv = FastTextKeyedVectors.load(str(tmp_path / "wv.kv"))
    g = gensim_fasttext.FastText(_sentences(), vector_size=10, min_n=3, max_n=5, bucket=400,
                                 min_count=2, epochs=1, workers=1)  # fmt: skip
    g.wv.save(str(tmp_path / "g.kv"))
    gwv = gensim_fasttext.FastTextKeyedVectors.load(str(tmp_path / "g.kv"))
    assert type(wv).__name__ == type(gwv).__name__
    assert (wv.min_n, wv.max_n, wv.bucket) == (gwv.min_n, gwv.max_n, gwv.bucket)
    assert wv.vectors_ngrams.shape == gwv.vectors_ngrams.shape
    for w in PROBES:
        np.testing.assert_array_equal(wv[w], m.wv[w], err_msg=w)


def test_wordvec_fasttext_reads_the_file_and_the_reverse(tmp_path):
    m = _trained(sg=1)
    m.save(tmp_path / "compat.model")
    native = wordvec.FastText.load(tmp_path / "compat.model")
    assert (native.minn, native.maxn, native.n_buckets) == (3, 5, 400)
    for w in PROBES:
        np.testing.assert_allclose(native.wv[w], m.wv[w], rtol=1e-6, atol=1e-7, err_msg=w)

    n = wordvec.FastText(dim=8, min_count=2, epochs=1, threads=1, bucket=300, minn=2, maxn=4)
    n.fit(_sentences())
    n.save(tmp_path / "native.wvm")
    back = OurFastText.load(tmp_path / "native.wvm")
    assert (back.min_n, back.max_n, back.bucket, back.sg, back.vector_size) == (2, 4, 300, 1, 8)
    for w in PROBES:
        np.testing.assert_allclose(back.wv[w], n.wv[w], rtol=1e-6, atol=1e-7, err_msg=w)
    back.train(MORE, total_examples=len(MORE), epochs=1)


def test_word2vec_and_fasttext_files_are_not_taken_for_one_another(tmp_path):
    _trained().save(tmp_path / "ft.model")
    OurWord2Vec(_sentences(), vector_size=8, min_count=2, workers=1).save(tmp_path / "w2v.model")
    with pytest.raises(FormatError, match=r"FastText\.load") as e:
        OurWord2Vec.load(tmp_path / "ft.model")
    assert "\n" not in str(e.value)
    with pytest.raises(FormatError, match=r"Word2Vec\.load") as e:
        OurFastText.load(tmp_path / "w2v.model")
    assert "\n" not in str(e.value)
    with pytest.raises(FormatError, match=r"FastTextKeyedVectors\.load"):
        OurFastText.load(_vectors_file(tmp_path))
    with pytest.raises(FormatError, match=r"whole model.*FastText\.load") as e:
        FastTextKeyedVectors.load(tmp_path / "ft.model")  # (gensim: a model, not vectors)
    assert "\n" not in str(e.value)


def _vectors_file(tmp_path):
    _trained().wv.save(tmp_path / "wv.kv")
    return tmp_path / "wv.kv"


@pytest.mark.parametrize(
    "block,key,value,match",
    [("wordvec.compat", "bucket", "many", "'bucket' is malformed"),
     ("wordvec.compat", "bucket", 399, "disagrees with the file's 400 n-gram rows"),
     ("subwords", "row_gradient", "exact", "row_gradient='exact'")],
)  # fmt: skip
def test_a_damaged_or_foreign_settings_block_is_refused(tmp_path, block, key, value, match):
    from wordvec.files.container import read_container, write_container

    _trained().save(tmp_path / "m.model")
    meta, arrays = read_container(tmp_path / "m.model", mmap=False)
    meta["extra"][block][key] = value
    write_container(tmp_path / "bad.model", meta, {k: np.array(v) for k, v in arrays.items()})
    with pytest.raises(FormatError, match=match) as e:
        OurFastText.load(tmp_path / "bad.model")
    assert "\n" not in str(e.value)


def test_files_gensim_pickled_are_refused_with_the_way_over(tmp_path):
    g = gensim_fasttext.FastText(_sentences(), vector_size=8, min_count=2, bucket=300, epochs=1)
    g.save(str(tmp_path / "g.model"))
    g.wv.save(str(tmp_path / "g.kv"))
    for load, path in ((OurFastText.load, "g.model"), (FastTextKeyedVectors.load, "g.kv")):
        with pytest.raises(FormatError) as e:
            load(tmp_path / path)
        message = str(e.value)
        assert "gensim's save()" in message and "\n" not in message
        assert "python -m wordvec.compat.convert" in message
        assert "save_facebook_model" in message  # (word2vec-format files lose the n-grams)


def test_the_converter_brings_a_gensim_fasttext_over_whole(tmp_path, capsys):
    text = _sentences()
    g = gensim_fasttext.FastText(text, vector_size=8, min_count=2, min_n=2, max_n=5, bucket=300,
                                 epochs=2, sg=1, workers=1)  # fmt: skip
    g.save(str(tmp_path / "g.model"))
    assert convert_main([str(tmp_path / "g.model"), str(tmp_path / "m.wvm")]) == 0
    assert "whole model" in capsys.readouterr().out
    m = OurFastText.load(tmp_path / "m.wvm")
    assert m.wv.index_to_key == g.wv.index_to_key
    assert (m.min_n, m.max_n, m.bucket, m.sg, m.corpus_count) == (2, 5, 300, 1, g.corpus_count)
    for w in PROBES:
        np.testing.assert_allclose(m.wv[w], g.wv[w], rtol=1e-5, atol=1e-6, err_msg=w)
    np.testing.assert_array_equal(m.syn1neg, g.syn1neg)
    m.train(text, total_examples=m.corpus_count, epochs=1)


def test_the_converter_brings_gensim_fasttext_vectors_over_with_their_ngrams(tmp_path):
    g = gensim_fasttext.FastText(_sentences(), vector_size=8, min_count=2, bucket=300, epochs=1,
                                 hs=1, negative=0)  # fmt: skip
    g.save(str(tmp_path / "hs.model"))
    g.wv.save(str(tmp_path / "g.kv"))
    for name in ("hs.model", "g.kv"):
        assert convert_main([str(tmp_path / name), str(tmp_path / f"{name}.wvec")]) == 0
        wv = FastTextKeyedVectors.load(tmp_path / f"{name}.wvec")
        for w in PROBES:
            np.testing.assert_allclose(wv[w], g.wv[w], rtol=1e-5, atol=1e-6, err_msg=w)


def test_save_needs_a_vocabulary_and_refuses_gensims_pickle_options(tmp_path):
    with pytest.raises(ConfigError, match="build the vocabulary"):
        OurFastText(vector_size=8).save(tmp_path / "m")
    with pytest.raises(ConfigError, match="pickle_protocol"):
        _trained().save(tmp_path / "m", pickle_protocol=4)
    assert not (tmp_path / "m").exists()


def test_a_failed_save_leaves_the_previous_file(tmp_path, monkeypatch):
    m = _trained()
    m.save(tmp_path / "m.model")
    before = (tmp_path / "m.model").read_bytes()

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("wordvec.files.atomic.os.fsync", full)
    m.train(MORE, total_examples=len(MORE), epochs=1)
    with pytest.raises(OSError, match="No space"):
        m.save(tmp_path / "m.model")
    assert (tmp_path / "m.model").read_bytes() == before
    assert os.listdir(tmp_path) == ["m.model"]


def test_hs_with_negative_sampling_is_refused_in_one_line():
    """gensim trains both; the subword engine one objective at a time (was a KeyError)."""
    with pytest.raises(ConfigError, match="negative=0"):
        OurFastText(_sentences(), vector_size=8, min_count=2, bucket=100, hs=1, negative=5)


def test_errors_are_wordvec_errors(tmp_path):
    (tmp_path / "junk").write_bytes(b"not a model at all")
    with pytest.raises(WordvecError):
        OurFastText.load(tmp_path / "junk")


def test_keyed_vectors_load_of_fasttext_vectors_gives_fasttext_vectors(tmp_path):
    """gensim's ``KeyedVectors.load`` on ``model.wv.save(p)`` of a FastText returns its
    FastTextKeyedVectors (unseen words answered), as gensim's does."""
    from gensim.models import KeyedVectors as GensimKeyedVectors

    from wordvec.compat import KeyedVectors

    m = _trained()
    m.wv.save(str(tmp_path / "wv.kv"))
    wv = KeyedVectors.load(str(tmp_path / "wv.kv"))
    g = gensim_fasttext.FastText(_sentences(), vector_size=10, min_n=3, max_n=5, bucket=400,
                                 min_count=2, epochs=1, workers=1)  # fmt: skip
    g.wv.save(str(tmp_path / "g.kv"))
    assert type(wv).__name__ == type(GensimKeyedVectors.load(str(tmp_path / "g.kv"))).__name__
    for w in PROBES:
        np.testing.assert_array_equal(wv[w], m.wv[w], err_msg=w)


def test_a_fasttext_bin_given_to_load_names_the_facebook_reader():
    """gensim's FastText.load of fastText's own .bin fails too; the line says which call
    reads it (it said only "not a wordvec native file")."""
    from pathlib import Path

    from wordvec.errors import FormatError

    fixture = Path(__file__).parents[1] / "subwords" / "data" / "ft_sg_ns.bin"
    for load in (OurFastText.load, FastTextKeyedVectors.load):
        with pytest.raises(FormatError, match="load_facebook_(model|vectors)") as err:
            load(fixture)
        assert str(fixture) in str(err.value) and "\n" not in str(err.value)
