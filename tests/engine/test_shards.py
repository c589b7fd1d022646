"""The engine trains shards: pieces of an epoch's id chunks, anywhere, in any order.

A shard is given its place in the whole run (the global index of its first job,
the words before it in the learning-rate schedule); then two shards trained one
after the other are the single-process run, bit for bit, and a shard trained from
some weights makes the same update whatever else runs at the same time.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from wordvec.config import TrainConfig
from wordvec.engine.schedule import split_jobs
from wordvec.engine.train import EpochStats, Trainer, init_weights
from wordvec.vocab import Vocab

COMBOS = [(m, l) for m in ("skipgram", "cbow") for l in ("neg", "hs", "softmax")]
EPOCHS = 2


def planted_chunks(n_sentences=900, n_chunks=6, seed=0):
    """Sentences over two word groups as id chunks (-1 after each sentence), and the Vocab."""
    rng = np.random.default_rng(seed)
    sentences = []
    for s in range(n_sentences):
        group = "ab"[s % 2]
        ranks = np.minimum(rng.zipf(1.3, rng.integers(2, 15)), 40)
        sentences.append([f"{group}{r}" for r in ranks])
    words = sorted({w for s in sentences for w in s})
    counts = np.array([sum(s.count(w) for s in sentences) for w in words])
    vocab = Vocab.from_counts(words, counts, min_count=1)
    ids = [np.array([vocab.index[w] for w in s] + [-1], np.int32) for s in sentences]
    cuts = np.linspace(0, n_sentences, n_chunks + 1).astype(int)
    chunks = [np.concatenate(ids[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]
    return vocab, chunks


class Chunks:
    """What Trainer.run reads: ``n_words`` and ``chunks()`` (an EncodedCorpus's interface)."""

    def __init__(self, chunks):
        self._chunks = chunks
        self.n_words = sum(int(np.count_nonzero(c >= 0)) for c in chunks)

    def chunks(self, chunk_tokens=None):
        return iter(self._chunks)


def config(model, loss, **kw):
    opts = dict(model=model, loss=loss, dim=12, window=3, min_count=1, epochs=EPOCHS)
    opts.update(threads=1, seed=11, batch_words=150, negative=5 if loss == "neg" else 0)
    opts.update(kw)
    return TrainConfig(**opts).validate()


def words_in(chunks):
    return sum(int(np.count_nonzero(c >= 0)) for c in chunks)


def trainer(cfg, vocab, weights):
    return Trainer(cfg, vocab, weights[0].copy(), weights[1].copy())


@pytest.mark.parametrize("model,loss", COMBOS)
def test_two_shards_one_after_the_other_are_the_one_thread_run(model, loss):
    cfg = config(model, loss)
    vocab, chunks = planted_chunks()
    w0 = init_weights(vocab, cfg)
    whole = trainer(cfg, vocab, w0)
    history = whole.run(Chunks(chunks))

    n = words_in(chunks)
    sharded = trainer(cfg, vocab, w0)
    for epoch, full in zip(range(EPOCHS), history, strict=True):
        split = 2 + epoch  # a different chunk boundary in each epoch
        first, second = chunks[:split], chunks[split:]
        a = sharded.train_shard(
            first, epoch=epoch, first_job=0, words_before=epoch * n, total_words=EPOCHS * n,
            threads=1,
        )  # fmt: skip
        assert a.jobs == sum(len(split_jobs(c, cfg.batch_words)) for c in first)
        assert a.words == words_in(first)
        b = sharded.train_shard(
            second, epoch=epoch, first_job=a.jobs, words_before=epoch * n + a.words,
            total_words=EPOCHS * n, threads=1,
        )  # fmt: skip
        assert a.jobs + b.jobs == full.jobs
        assert (a.words + b.words, a.kept + b.kept) == (full.words, full.kept)
        assert a.loss_terms + b.loss_terms == full.loss_terms
        np.testing.assert_allclose(a.loss_sum + b.loss_sum, full.loss_sum, rtol=1e-12)
    np.testing.assert_array_equal(sharded.w_in, whole.w_in)
    np.testing.assert_array_equal(sharded.w_out, whole.w_out)


@pytest.mark.parametrize("model,loss", [("skipgram", "neg"), ("cbow", "hs")])
def test_a_shard_given_the_wrong_place_in_the_run_trains_otherwise(model, loss):
    """The place matters (so the test above can fail): job seeds and learning rates."""
    cfg = config(model, loss)
    vocab, chunks = planted_chunks()
    w0 = init_weights(vocab, cfg)
    n = words_in(chunks)
    place = dict(epoch=0, first_job=4, words_before=n // 3, total_words=EPOCHS * n, threads=1)
    right = trainer(cfg, vocab, w0)
    right.train_shard(chunks[3:], **place)
    for wrong in (dict(first_job=5), dict(words_before=0), dict(epoch=1)):
        other = trainer(cfg, vocab, w0)
        other.train_shard(chunks[3:], **{**place, **wrong})
        assert not np.array_equal(other.w_in, right.w_in), wrong


def _shard(cfg, vocab, w0, chunks, first_job, words_before, threads=1, barrier=None):
    t = trainer(cfg, vocab, w0)
    if barrier is not None:
        barrier.wait()
    n = words_in(chunks) * 4
    stats = t.train_shard(
        chunks, epoch=1, first_job=first_job, words_before=words_before, total_words=n,
        threads=threads,
    )  # fmt: skip
    return t.w_in, t.w_out, stats


@pytest.mark.parametrize(
    "model,loss", [(m, l) for m in ("skipgram", "cbow") for l in ("neg", "hs")]
)
def test_shards_trained_at_the_same_time_each_make_their_own_update(model, loss):
    """As Spark tasks do: each shard from its own copy of the same starting weights."""
    cfg = config(model, loss)
    vocab, chunks = planted_chunks(n_sentences=3000, n_chunks=8)
    w0 = init_weights(vocab, cfg)
    shard_a, shard_b = chunks[:4], chunks[4:]
    b_place = (40, words_in(shard_a) + 1000)
    alone_a = _shard(cfg, vocab, w0, shard_a, 0, 0)
    alone_b = _shard(cfg, vocab, w0, *[shard_b, *b_place])
    assert not np.array_equal(alone_a[0], alone_b[0])

    for a_threads in (1, 2):  # A deterministic, then A Hogwild: B's update is the same
        results: dict[str, tuple] = {}
        barrier = threading.Barrier(2)

        def run(name, shard, place, threads, results=results, barrier=barrier):
            results[name] = _shard(cfg, vocab, w0, shard, *place, threads, barrier)

        threads = [
            threading.Thread(target=run, args=("a", shard_a, (0, 0), a_threads)),
            threading.Thread(target=run, args=("b", shard_b, b_place, 1)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        b = results["b"]
        np.testing.assert_array_equal(b[0], alone_b[0])
        np.testing.assert_array_equal(b[1], alone_b[1])
        assert b[2].loss_sum == alone_b[2].loss_sum and b[2].jobs == alone_b[2].jobs
        if a_threads == 1:
            np.testing.assert_array_equal(results["a"][0], alone_a[0])
            np.testing.assert_array_equal(results["a"][1], alone_a[1])
    # and the starting weights were only read
    np.testing.assert_array_equal(w0[0], init_weights(vocab, cfg)[0])


def test_the_shard_statistics_describe_its_jobs():
    cfg = config("skipgram", "neg", sample=0)
    vocab, chunks = planted_chunks()
    t = trainer(cfg, vocab, init_weights(vocab, cfg))
    stats = t.train_shard(chunks[:2], epoch=0, total_words=10 * words_in(chunks), threads=1)
    assert isinstance(stats, EpochStats)
    assert stats.jobs == sum(len(split_jobs(c, cfg.batch_words)) for c in chunks[:2]) > 1
    assert stats.words == stats.kept == words_in(chunks[:2])  # sample=0 keeps every word
    assert np.isfinite(stats.mean_loss) and stats.seconds >= 0
    empty = t.train_shard([], epoch=0, total_words=10, threads=1)
    assert (empty.jobs, empty.words, empty.loss_terms) == (0, 0, 0.0)


def test_init_weights_is_word2vec_c_initialisation():
    vocab = Vocab.from_counts(["a", "b", "c"], [5, 3, 2], min_count=1)
    for loss, rows in (("neg", 3), ("hs", 2)):
        cfg = config("cbow", loss, dim=8, seed=4)
        w_in, w_out = init_weights(vocab, cfg)
        expected = np.random.default_rng(4).random((3, 8), dtype=np.float32)
        np.testing.assert_array_equal(w_in, (expected - np.float32(0.5)) / np.float32(8))
        assert w_in.dtype == w_out.dtype == np.float32
        assert w_out.shape == (rows, 8) and not w_out.any()
