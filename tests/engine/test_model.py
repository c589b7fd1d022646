"""Word2Vec end to end: planted structure, determinism, inputs, persistence."""

from __future__ import annotations

import bz2
import gzip
import lzma

import numpy as np
import pytest

from wordvec.errors import ConfigError, CorpusError
from wordvec.model import Word2Vec

COMBOS = [(m, l) for m in ("skipgram", "cbow") for l in ("neg", "hs", "softmax", "hs+neg")]


def planted_corpus(n_sentences=4000, group_size=30, length=12, seed=0):
    """Two vocabularies that never share a sentence."""
    rng = np.random.default_rng(seed)
    groups = [[f"a{i}" for i in range(group_size)], [f"b{i}" for i in range(group_size)]]
    out = []
    for s in range(n_sentences):
        g = groups[s % 2]
        out.append([g[i] for i in rng.integers(0, group_size, length)])
    return out


def group_purity(wv, topn=5):
    normed = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    sims = normed @ normed.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argsort(-sims, axis=1)[:, :topn]
    same = [wv.words[i][0] == wv.words[j][0] for i in range(len(wv.words)) for j in nearest[i]]
    return float(np.mean(same))


@pytest.mark.parametrize("model,loss", COMBOS)
def test_every_model_and_loss_recovers_planted_structure(model, loss):
    m = Word2Vec(
        model=model,
        loss=loss,
        dim=16,
        window=4,
        min_count=1,
        sample=0,
        epochs=3,
        threads=2,
        seed=3,
    ).fit(planted_corpus())
    assert len(m.wv) == 60
    assert group_purity(m.wv) > 0.95
    assert m.loss_history_[-1] < m.loss_history_[0]
    assert np.isfinite(m.w_in_).all()


@pytest.mark.parametrize("loss", ["neg", "hs", "softmax"])
def test_one_thread_and_a_seed_give_bit_identical_vectors(loss):
    kw = dict(model="skipgram", loss=loss, dim=10, min_count=1, epochs=2, threads=1, seed=7)
    a = Word2Vec(**kw).fit(planted_corpus(500))
    b = Word2Vec(**kw).fit(planted_corpus(500))
    assert np.array_equal(a.w_in_, b.w_in_) and np.array_equal(a.w_out_, b.w_out_)
    c = Word2Vec(**{**kw, "seed": 8}).fit(planted_corpus(500))
    assert not np.array_equal(a.w_in_, c.w_in_)


def test_compressed_files_and_directories_train_like_plain_text(tmp_path):
    text = "\n".join(" ".join(s) for s in planted_corpus(300)) + "\n"
    (tmp_path / "plain.txt").write_text(text)
    (tmp_path / "c.gz").write_bytes(gzip.compress(text.encode()))
    (tmp_path / "c.bz2").write_bytes(bz2.compress(text.encode()))
    (tmp_path / "c.xz").write_bytes(lzma.compress(text.encode()))
    kw = dict(model="cbow", dim=8, min_count=1, epochs=1, threads=1)
    ref = Word2Vec(**kw).fit(tmp_path / "plain.txt")
    for name in ("c.gz", "c.bz2", "c.xz"):
        other = Word2Vec(**kw).fit(tmp_path / name)
        assert other.vocab_.words == ref.vocab_.words
        assert np.array_equal(other.w_in_, ref.w_in_)


def test_a_single_huge_line_trains_on_all_its_words(tmp_path):
    words = [w for s in planted_corpus(2500) for w in s]  # 30,000 tokens on one line
    path = tmp_path / "one-line.txt"
    path.write_text(" ".join(words))
    m = Word2Vec(dim=8, min_count=1, epochs=1, threads=1, sample=0, max_sentence_length=1000)
    m.fit(path)
    assert m.vocab_.total == len(words)
    assert m.epoch_stats_[0].words == len(words)


def test_loss_is_finite_and_mean_per_prediction():
    m = Word2Vec(model="skipgram", loss="neg", dim=8, min_count=1, epochs=2, threads=1)
    m.fit(planted_corpus(400))
    # at initialisation u = 0: each (input, output) prediction costs (K + 1) log 2
    assert 0 < m.loss_history_[0] < 6 * np.log(2) + 1e-6


def test_empty_corpus_and_too_high_min_count_are_clear_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(CorpusError, match="empty"):
        Word2Vec().fit(empty)
    with pytest.raises(CorpusError, match="min_count=50"):
        Word2Vec(min_count=50).fit([["a", "b"], ["a"]])


def test_bad_parameters_are_rejected_before_any_work():
    with pytest.raises(ConfigError, match="`window` must be an int >= 1; got 0"):
        Word2Vec(window=0).fit(iter(()))
    with pytest.raises(ConfigError, match="`negative` must be an int >= 1 when loss='neg'"):
        Word2Vec(negative=0).fit([["a"]])
    with pytest.raises(ConfigError, match="draw no negatives"):
        Word2Vec(loss="hs", negative=3).fit([["a"]])


def test_save_and_load_round_trip(tmp_path):
    m = Word2Vec(model="skipgram", loss="hs", dim=8, min_count=1, epochs=1, threads=1)
    m.fit(planted_corpus(300))
    path = tmp_path / "model.wvm"
    m.save(path)
    back = Word2Vec.load(path)
    assert back.vocab_.words == m.vocab_.words
    assert np.array_equal(back.vocab_.counts, m.vocab_.counts)
    assert np.array_equal(back.w_in_, m.w_in_) and np.array_equal(back.w_out_, m.w_out_)
    assert back.loss_history_ == m.loss_history_
    assert back.config == m.config
    assert back.wv.most_similar("a1", topn=3) == m.wv.most_similar("a1", topn=3)


def test_hs_neg_model_files_hold_both_output_matrices_and_old_files_still_load(tmp_path):
    from wordvec.files.container import read_container

    m = Word2Vec(model="skipgram", loss="hs+neg", negative=3, dim=8, min_count=1, epochs=1)
    m.fit(planted_corpus(300))
    v = len(m.vocab_)
    assert m.w_out_.shape == (2 * v - 1, 8)  # negative sampling's V rows, then the tree's V - 1
    assert np.abs(m.w_out_[:v]).sum() > 0 and np.abs(m.w_out_[v:]).sum() > 0  # both trained
    path = tmp_path / "both.wvm"
    m.save(path)
    meta, arrays = read_container(path, mmap=False)
    assert meta["model_format_version"] == 2
    assert arrays["w_out"].shape == (v, 8) and arrays["w_out_tree"].shape == (v - 1, 8)
    back = Word2Vec.load(path)
    assert np.array_equal(back.w_out_, m.w_out_) and back.config == m.config
    # a file of one objective is still written (and read) as version 1
    one = Word2Vec(loss="hs", dim=8, min_count=1, epochs=1).fit(planted_corpus(300))
    one.save(tmp_path / "one.wvm")
    assert read_container(tmp_path / "one.wvm", mmap=False)[0]["model_format_version"] == 1
    assert np.array_equal(Word2Vec.load(tmp_path / "one.wvm").w_out_, one.w_out_)


def test_hs_neg_keeps_its_tree_when_training_on_more_text():
    first = planted_corpus(600)
    m = Word2Vec(model="cbow", loss="hs+neg", dim=8, min_count=1, epochs=1, threads=1).fit(first)
    rng = np.random.default_rng(5)
    m.train([[f"c{i}" for i in rng.integers(0, 20, 10)] for _ in range(50)] + first[:50])
    assert len(m.vocab_) == 60 and m.w_out_.shape == (119, 8)


def test_train_continues_on_more_text_and_grows_the_vocabulary():
    first = planted_corpus(2000)
    kw = dict(model="skipgram", dim=12, min_count=1, sample=0, epochs=2, threads=1)
    m = Word2Vec(**kw).fit(first)
    before = m.w_in_.copy()
    words_before = list(m.vocab_.words)
    rng = np.random.default_rng(5)
    extra = [[f"c{i}" for i in rng.integers(0, 20, 10)] for _ in range(2000)]
    m.train(extra + first[:100], epochs=2)
    assert len(m.vocab_) == 80 and m.w_in_.shape == (80, 12)
    assert m.vocab_.words[:60] == words_before  # old ids unchanged
    assert m.vocab_.counts[m.vocab_.index["c3"]] > 0
    assert len(m.loss_history_) == 4
    assert not np.array_equal(m.w_in_[:60], before)
    assert group_purity(m.wv) > 0.9
    hs = Word2Vec(model="cbow", loss="hs", dim=8, min_count=1, epochs=1, threads=1).fit(first)
    hs.train(first[:50] + extra[:5], epochs=1)
    assert len(hs.vocab_) == 60  # hierarchical softmax keeps its tree and vocabulary


def test_wv_is_built_once_per_fit_and_train():
    m = Word2Vec(model="skipgram", dim=8, min_count=1, epochs=1, threads=1, sample=0)
    m.fit(planted_corpus(300))
    wv = m.wv
    assert m.wv is wv  # cached: no rebuild (and no new unit-vector cache) per access
    wv.most_similar("a1")  # fills the unit-vector cache
    m.train(planted_corpus(300, seed=1), epochs=1, update_vocab=False)
    fresh = m.wv
    assert fresh is not wv and fresh.vectors is m.w_in_
    want = m.w_in_ / np.linalg.norm(m.w_in_, axis=1, keepdims=True)
    np.testing.assert_allclose(fresh.get_normed(), want, atol=1e-6)  # not the stale cache
    m.w_in_ = m.w_in_.copy()  # weights replaced by hand: seen too
    assert m.wv.vectors is m.w_in_


def test_train_epochs_applies_to_that_call_only():
    m = Word2Vec(dim=8, min_count=1, epochs=3, threads=1)
    m.fit(planted_corpus(200))
    m.train(planted_corpus(200, seed=2), epochs=1)
    assert m.epochs == 3 and m.config.epochs == 3
    assert len(m.epoch_stats_) == 4  # 3 from fit, 1 from train


def test_undecodable_bytes_follow_the_errors_option(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes(b"a b\n" * 30 + b"c \xff\n")
    options = dict(dim=4, min_count=1, epochs=1, threads=1)
    with pytest.raises(CorpusError, match=r"byte 122 .*pass errors='replace'"):
        Word2Vec(**options).fit(path)  # the hint names an option Word2Vec has
    assert "\ufffd" in Word2Vec(**options, errors="replace").fit(path).wv
    assert Word2Vec(**options, errors="ignore").fit(path).wv.words[-1] == "c"
    with pytest.raises(ConfigError, match="`errors` must be"):
        Word2Vec(**options, errors="bogus").fit(path)
