"""The stages called by hand are Word2Vec.fit; a fitted model can be made from its parts."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest

from wordvec.config import TrainConfig
from wordvec.encoded import EncodedCorpus
from wordvec.engine.schedule import EpochStats
from wordvec.engine.train import Trainer, init_weights
from wordvec.errors import ConfigError
from wordvec.files.modelfile import read_model, write_model
from wordvec.model import Word2Vec
from wordvec.text import fastscan as _fastscan
from wordvec.text.corpus import TextCorpus
from wordvec.text.scan import scan, scan_sentences
from wordvec.vocab import Vocab

OPTIONS = dict(model="skipgram", loss="neg", dim=8, window=3, min_count=2, epochs=2, threads=1)


def sentences(n=400, seed=0):
    rng = np.random.default_rng(seed)
    return [[f"w{int(r)}" for r in np.minimum(rng.zipf(1.4, 9), 60)] for _ in range(n)]


@pytest.fixture
def corpus_file(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("\n".join(" ".join(s) for s in sentences()) + "\n", encoding="utf-8")
    return path


def test_fit_is_the_stages_in_order(corpus_file):
    fitted = Word2Vec(**OPTIONS).fit(str(corpus_file))

    cfg = TrainConfig(**OPTIONS).validate()
    text = TextCorpus(str(corpus_file))
    with scan(text, max_vocab=cfg.max_vocab) as s:
        vocab = Vocab.from_counts(s.words, s.counts, min_count=cfg.min_count)
        with EncodedCorpus.from_scan(s, vocab) as encoded:
            w_in, w_out = init_weights(vocab, cfg)
            history = Trainer(cfg, vocab, w_in, w_out).run(encoded)
    assert vocab.words == fitted.vocab_.words
    np.testing.assert_array_equal(w_in, fitted.w_in_)
    np.testing.assert_array_equal(w_out, fitted.w_out_)
    assert [h.mean_loss for h in history] == fitted.loss_history_


def test_scan_uses_the_compiled_scanner_for_files_only(corpus_file):
    calls = []
    real = _fastscan.scan_files

    def spy(corpus, **kw):
        result = real(corpus, **kw)
        calls.append(result is not None)
        return result

    with mock.patch("wordvec.text.scan.scan_files", spy):
        with scan(TextCorpus(str(corpus_file))) as fast, scan(sentences()) as slow:
            assert fast.words == slow.words and fast.identity == slow.identity
    assert calls == [True, False]  # the file went the compiled way, the list the Python way
    with scan_sentences(TextCorpus(str(corpus_file))) as python:
        assert python.identity == fast.identity


def test_from_state_makes_a_fitted_model(tmp_path):
    vocab = Vocab.from_counts(["a", "b", "c"], [5, 3, 2], min_count=1)
    w_in = np.arange(12, dtype=np.float64).reshape(3, 4)
    stats = [EpochStats(loss_sum=6.0, loss_terms=3.0), EpochStats(loss_sum=1.0, loss_terms=1.0)]
    m = Word2Vec.from_state(
        vocab, w_in, np.zeros((3, 4)), epoch_stats=stats, dim=4, min_count=1, sample=0
    )
    assert m.w_in_.dtype == np.float32 and m.loss_history_ == [2.0, 1.0]
    np.testing.assert_array_equal(m.wv["c"], [8, 9, 10, 11])
    m.save(tmp_path / "m.model")
    back = Word2Vec.load(tmp_path / "m.model")
    np.testing.assert_array_equal(back.w_in_, m.w_in_)
    assert back.vocab_.words == ["a", "b", "c"] and back.loss_history_ == [2.0, 1.0]
    # and it trains on
    back.train([["a", "b", "c", "a"]] * 20, epochs=1)
    assert np.isfinite(back.w_in_).all()


@pytest.mark.parametrize(
    "w_in,w_out,params,match",
    [
        (np.zeros((2, 4)), np.zeros((3, 4)), {}, r"`w_in` must be .* shape \(3, 4\)"),
        (np.zeros((3, 4)), np.zeros((3, 4)), {"loss": "hs"}, r"`w_out` .* shape \(2, 4\)"),
        (np.zeros((3, 4), int), np.zeros((3, 4)), {}, "`w_in` must be a float matrix"),
        (np.zeros((3, 4)), np.zeros((3, 4)), {"window": 0}, "`window` must be an int >= 1"),
    ],
)
def test_from_state_refuses_parts_that_do_not_fit(w_in, w_out, params, match):
    vocab = Vocab.from_counts(["a", "b", "c"], [5, 3, 2], min_count=1)
    with pytest.raises(ConfigError, match=match):
        Word2Vec.from_state(vocab, w_in, w_out, dim=4, **params)


def test_model_files_round_trip_through_modelfile(tmp_path):
    cfg = TrainConfig(dim=3, min_count=1).validate()
    vocab = Vocab.from_counts(["x", "y"], [4, 2], min_count=1)
    w_in = np.ones((2, 3), np.float32)
    write_model(tmp_path / "m", cfg, vocab, w_in, -w_in, [float("nan"), 0.5])
    f = read_model(tmp_path / "m")
    assert f.config == cfg and f.vocab.words == ["x", "y"] and f.vocab.counts.tolist() == [4, 2]
    np.testing.assert_array_equal(f.w_out, -w_in)
    assert np.isnan(f.loss_history[0]) and f.loss_history[1] == 0.5
    assert (f.position, f.n_words, f.corpus) == (None, None, None)
