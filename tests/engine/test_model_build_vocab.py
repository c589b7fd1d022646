"""Word2Vec.build_vocab, then train: the scan is reused for the same, unchanged corpus only."""

from __future__ import annotations

import os

import numpy as np
import pytest

import wordvec.model as model_module
from wordvec.model import Word2Vec

KW = dict(model="cbow", loss="neg", dim=8, min_count=2, epochs=2, threads=1, seed=9)


def write_corpus(path, seed=0, n=400):
    rng = np.random.default_rng(seed)
    lines = [" ".join(f"w{i}" for i in rng.integers(0, 50, 9)) for _ in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def scans(monkeypatch):
    """How many times the model scanned a corpus."""
    calls = []
    real = model_module.scan

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(model_module, "scan", counting)
    return calls


@pytest.mark.parametrize("loss", ["neg", "hs"])
def test_build_vocab_then_train_is_fit_and_reads_the_text_once(tmp_path, scans, loss):
    path = write_corpus(tmp_path / "c.txt")
    fitted = Word2Vec(**{**KW, "loss": loss}).fit(path)
    scans.clear()
    m = Word2Vec(**{**KW, "loss": loss}).build_vocab(path)
    assert m.vocab_.words == fitted.vocab_.words and len(m.epoch_stats_) == 0
    np.testing.assert_array_equal(m.vocab_.counts, fitted.vocab_.counts)
    m.train(path)
    assert len(scans) == 1  # train used build_vocab's scan
    np.testing.assert_array_equal(m.vocab_.counts, fitted.vocab_.counts)  # not counted twice
    np.testing.assert_array_equal(m.w_in_, fitted.w_in_)
    np.testing.assert_array_equal(m.w_out_, fitted.w_out_)
    m.train(path)  # a second train reads the text again
    assert len(scans) == 2


def test_another_or_changed_corpus_is_scanned_again(tmp_path, scans):
    path = write_corpus(tmp_path / "c.txt")
    other = write_corpus(tmp_path / "d.txt", seed=1)
    m = Word2Vec(**KW).build_vocab(path)
    m.train(other, update_vocab=False)
    assert len(scans) == 2
    # the same path, rewritten since build_vocab: read again (and trained on the new text)
    m = Word2Vec(**KW).build_vocab(path)
    counts = m.vocab_.counts.copy()
    write_corpus(path, seed=2, n=200)
    os.utime(path, ns=(1, 1))  # (a rewrite within the clock's resolution changes size)
    m.train(path, update_vocab=False)
    assert len(scans) == 4
    np.testing.assert_array_equal(m.vocab_.counts, counts)  # vocabulary kept as built
    known = set(m.vocab_.words)
    new_words = sum(w in known for w in path.read_text(encoding="utf-8").split())
    assert [h.words for h in m.epoch_stats_] == [new_words, new_words]  # the new text


def test_an_iterable_is_never_taken_for_the_same_corpus(scans):
    sentences = [s.split() for s in ["a b c a b", "b c a a c"] * 50]
    m = Word2Vec(**KW).build_vocab(sentences)
    m.train(sentences, update_vocab=False)
    assert len(scans) == 2
    fitted = Word2Vec(**KW).fit(sentences)
    np.testing.assert_array_equal(m.w_in_, fitted.w_in_)
