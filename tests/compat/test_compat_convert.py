"""python -m wordvec.compat.convert: gensim's files over to wordvec's formats."""

from __future__ import annotations

import numpy as np
import pytest

gensim_models = pytest.importorskip("gensim.models")

from wordvec.compat import KeyedVectors, Word2Vec  # noqa: E402
from wordvec.compat.convert import main  # noqa: E402

SENTENCES = [[f"w{(i * 7 + j * 3) % 40}" for j in range(12)] for i in range(300)]


def test_a_negative_sampling_model_comes_over_whole(tmp_path, capsys):
    g = gensim_models.Word2Vec(SENTENCES, min_count=2, vector_size=12, sg=1, epochs=2, seed=4)
    g.save(str(tmp_path / "g.model"))
    assert main([str(tmp_path / "g.model"), str(tmp_path / "m.wvm")]) == 0
    assert "whole model" in capsys.readouterr().out
    m = Word2Vec.load(tmp_path / "m.wvm")
    assert m.wv.index_to_key == g.wv.index_to_key
    np.testing.assert_array_equal(m.wv.vectors, g.wv.vectors)
    np.testing.assert_array_equal(m.syn1neg, g.syn1neg)
    assert [m.wv.get_vecattr(k, "count") for k in ("w0", "w3")] == [
        g.wv.get_vecattr(k, "count") for k in ("w0", "w3")
    ]
    assert (m.corpus_count, m.corpus_total_words, m.sg, m.vector_size, m.epochs) == (
        g.corpus_count, g.corpus_total_words, 1, 12, 2,
    )  # fmt: skip
    got, want = m.predict_output_word(["w1", "w8"], topn=5), g.predict_output_word(["w1", "w8"], 5)
    assert [w for w, _ in got] == [w for w, _ in want]
    np.testing.assert_allclose([p for _, p in got], [p for _, p in want], rtol=1e-5)
    m.train(SENTENCES, total_examples=m.corpus_count, epochs=1)  # training goes on


def test_hierarchical_softmax_and_keyed_vectors_come_over_as_vectors(tmp_path, capsys):
    g = gensim_models.Word2Vec(SENTENCES, min_count=2, vector_size=8, hs=1, negative=0, epochs=1)
    g.save(str(tmp_path / "hs.model"))
    g.wv.save(str(tmp_path / "g.kv"))
    for name in ("hs.model", "g.kv"):
        assert main([str(tmp_path / name), str(tmp_path / f"{name}.wvec")]) == 0
        kv = KeyedVectors.load(tmp_path / f"{name}.wvec")
        assert kv.index_to_key == g.wv.index_to_key
        np.testing.assert_array_equal(kv.vectors, g.wv.vectors)
    assert "Huffman" in capsys.readouterr().out


def test_other_gensim_objects_are_refused(tmp_path, capsys):
    from gensim.corpora import Dictionary

    Dictionary([["a", "b"]]).save(str(tmp_path / "d.dict"))
    assert main([str(tmp_path / "d.dict"), str(tmp_path / "x.wvm")]) == 1
    assert "Dictionary" in capsys.readouterr().err
    assert not (tmp_path / "x.wvm").exists()
