"""Whole jobs, held against a float64 replay written from the derivation (``_replay.py``).

``test_kernels.py`` holds each single update against the reference; this file holds
what happens between updates: which words are kept, each center's window, which
negatives or Huffman path it trains, in which order, at which learning rate, and
that every update starts from the weights the previous one left. The replay reads
the same random numbers in the engine's documented order but computes all of that
itself, in float64 with the exact sigmoid.

Tolerance. The engine differs from the replay by float32 arithmetic and the sigmoid
table. Each update's rounding is about 2**-24 (6e-8) relative to the weights it adds
to, and the table's error is below 2e-7 absolute on sigma (a change below 2e-7 relative
to the step it scales); a row takes up to ~100 updates in these jobs, and errors in the
weights feed into later steps, so the float32 path can drift by a few 1e-6 of the
largest change. 1e-4 of the largest change leaves a factor of ~10 above the largest
drift measured here (``test_the_tolerance_has_headroom`` prints it), and stays far below
what any one wrong decision moves: a wrong word kept, a wrong window width, a wrong
negative, a rate off by one sentence, a node dropped from a path each change some row
by a whole step, alpha * sigma * |u|, which is >= 1e-2 of the largest change here.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest
from _replay import BATCH, huffman, job_seed, replay_job, replay_softmax_job

from wordvec.config import TrainConfig
from wordvec.encoded import SENTENCE_END, EncodedCorpus
from wordvec.engine import kernels
from wordvec.engine.train import Trainer
from wordvec.vocab import Vocab

# 11 words, counts without ties anywhere in the Huffman merges; paths of 2..6 nodes
COUNTS = np.array([52, 32, 18, 16, 10, 9, 8, 6, 5, 4, 3], np.int64)
# one-word sentences, sentences shorter than the window, longer than max_sentence
LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 12, 16, 20, 25, 20, 1]
DIM = 13  # not a multiple of any tile (2 x 2 products, 4 source rows, 16-float lines)
WINDOW = 6  # wider than most sentences; 2 * WINDOW inputs at most
MAX_SENTENCE = 10
SAMPLE = 0.02  # keeps the frequent words with probability 0.35..0.9, the rare ones always
A0, A1 = 0.1, 0.02  # the rate falls fivefold across the job
TOL = 1e-4


def _corpus(counts: np.ndarray, lengths: list[int], seed: int) -> np.ndarray:
    """Each word exactly counts[w] times, shuffled, cut into sentences of ``lengths``."""
    words = np.repeat(np.arange(len(counts)), counts)
    np.random.default_rng(seed).shuffle(words)
    assert sum(lengths) == len(words)
    out, i = [], 0
    for n in lengths:
        out.extend(words[i : i + n].tolist() + [SENTENCE_END])
        i += n
    return np.array(out, np.int32)


def _weights(rows_out: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    w_in = rng.normal(0, 0.3, (len(COUNTS), DIM)).astype(np.float32)
    w_out = rng.normal(0, 0.3, (rows_out, DIM)).astype(np.float32)
    return w_in, w_out


def _vocab(counts: np.ndarray) -> Vocab:
    return Vocab([f"w{i}" for i in range(len(counts))], counts)


def _config(**kw) -> TrainConfig:
    base = dict(
        dim=DIM, window=WINDOW, sample=SAMPLE, threads=1, min_count=1,
        max_sentence_length=MAX_SENTENCE, alpha=A0, min_alpha=A1, epochs=1,
    )  # fmt: skip
    base.update(kw)
    if base.get("loss") not in ("neg", "hs+neg"):
        base["negative"] = 0
    return TrainConfig(**base).validate()


def _assert_matches(engine: list, start: list, ref: list) -> float:
    """Every weight's change within TOL of the largest change the replay makes; returns
    the largest deviation relative to that change."""
    scale = max(float(np.abs(r - s).max()) for r, s in zip(ref, start, strict=True))
    dev = max(
        float(np.abs((e.astype(np.float64) - s) - (r - s)).max())
        for e, s, r in zip(engine, start, ref, strict=True)
    )
    assert scale > 0.05, scale  # the job moved the weights: the comparison means something
    assert dev <= TOL * scale, f"engine departs from the replay by {dev / scale:.2e} of the change"
    return dev / scale


# model, loss, negative, cbow_mean, ns_exponent, shrink
JOBS = [
    ("skipgram", "neg", 4, True, 0.75, True),  # even K: K + 1 outputs, the odd-count tail
    ("skipgram", "neg", 3, True, 0.75, True),  # odd K
    ("skipgram", "neg", 5, True, 3.0, True),  # a dominant noise word (inversion draws)
    ("skipgram", "neg", 2, True, 0.75, False),  # fixed window
    ("cbow", "neg", 4, True, 0.75, True),
    ("cbow", "neg", 3, False, 0.75, True),
    ("cbow", "neg", 2, True, 3.0, False),
    ("skipgram", "hs", 0, True, 0.75, True),
    ("skipgram", "hs", 0, True, 0.75, False),
    ("cbow", "hs", 0, True, 0.75, True),
    ("cbow", "hs", 0, False, 0.75, True),
    ("skipgram", "hs+neg", 4, True, 0.75, True),  # both objectives: the path then K + 1
    ("skipgram", "hs+neg", 3, True, 3.0, False),
    ("cbow", "hs+neg", 3, True, 0.75, True),
    ("cbow", "hs+neg", 2, False, 0.75, True),
]


def _run_job(model, loss, negative, mean, exponent, shrink, seed=11):
    vocab = _vocab(COUNTS)
    cfg = _config(
        model=model, loss=loss, negative=negative, cbow_mean=mean, ns_exponent=exponent,
        shrink_windows=shrink,
    )  # fmt: skip
    w_in, w_out = _weights(cfg.output_rows(len(COUNTS)), seed=seed)
    tokens = _corpus(COUNTS, LENGTHS, seed=seed)
    trainer = Trainer(cfg, vocab, w_in.copy(), w_out.copy())
    w_tree = None
    if loss == "hs+neg":  # the engine stacks them; the replay keeps them apart
        w_out, w_tree = w_out[: len(COUNTS)], w_out[len(COUNTS) :]
    res = kernels.train_job(
        trainer.w_in, trainer.w_out, tokens, trainer.tables, trainer.hyper, A0, A1, 1234 + seed,
        MAX_SENTENCE,
    )  # fmt: skip
    accept, alias = vocab.alias_table(exponent)
    W, U, st, info = replay_job(
        w_in, w_out, tokens, model=model, loss=loss, window=WINDOW, shrink=shrink,
        cbow_mean=mean, counts=COUNTS, sample=SAMPLE, negative=negative, ns_exponent=exponent,
        accept=accept, alias=alias, alpha0=A0, alpha1=A1, seed=1234 + seed,
        max_sentence=MAX_SENTENCE, w_tree=w_tree,
    )  # fmt: skip
    if loss == "hs+neg":
        w_out, U = np.vstack([w_out, w_tree]), np.vstack(U)
    return res, trainer, (w_in, w_out), (W, U), st, info


@pytest.mark.parametrize(
    "model,loss,negative,mean,exponent,shrink",
    JOBS,
    ids=[f"{m}-{l}-K{k}-{'mean' if c else 'sum'}-ns{e}-{'shrink' if s else 'fixed'}"
         for m, l, k, c, e, s in JOBS],
)  # fmt: skip
def test_a_job_matches_the_float64_replay(model, loss, negative, mean, exponent, shrink):
    res, trainer, (w_in, w_out), (W, U), st, info = _run_job(
        model, loss, negative, mean, exponent, shrink
    )
    # the bookkeeping is exact: the same words read and kept, the same predictions
    assert res[2] == st.read == sum(LENGTHS)
    assert res[3] == st.kept
    assert res[1] == st.terms
    assert res[4] == 0  # not stopped
    assert res[0] == pytest.approx(st.loss, rel=2e-5)
    _assert_matches([trainer.w_in, trainer.w_out], [w_in, w_out], [W, U])
    # the job reached what it is meant to reach
    assert 0 < st.kept < st.read  # sub-sampling dropped some words and kept others
    assert max(info["n_in"] or {1}) >= 2 or model == "cbow"
    if loss in ("hs", "hs+neg"):
        assert {n % 2 for n in info["n_out"]} == {0, 1}  # paths of odd and even length
    if exponent > 1:
        assert info["dominant_draws"] > 0


def test_the_jobs_cover_odd_and_even_outputs_with_several_inputs():
    """The replayed jobs reach every tile shape of the update: an odd and an even number
    of outputs, each with two or more inputs (skip-gram) and with one (CBOW)."""
    shapes = set()
    for model, loss, negative, mean, exponent, shrink in JOBS:
        *_, info = _run_job(model, loss, negative, mean, exponent, shrink)
        for n_out in info["n_out"]:
            shapes.add((model, n_out % 2, max(info["n_in"] or {1}) >= 2))
    wanted = {("skipgram", 0, True), ("skipgram", 1, True), ("cbow", 0, False), ("cbow", 1, False)}
    assert wanted <= shapes


def test_the_tolerance_has_headroom():
    """The largest drift between engine and replay over all jobs stays 10x below TOL."""
    worst = 0.0
    for job in JOBS:
        res, trainer, start, ref, st, info = _run_job(*job, seed=5)
        worst = max(worst, _assert_matches([trainer.w_in, trainer.w_out], list(start), list(ref)))
    print(f"largest engine-replay deviation: {worst:.2e} of the largest change")
    assert worst < TOL / 10


def test_the_replay_huffman_tree_is_the_vocabulary_tree():
    paths, codes = huffman(COUNTS)
    points, bits, offsets = _vocab(COUNTS).huffman()
    for w in range(len(COUNTS)):
        lo, hi = offsets[w], offsets[w + 1]
        assert points[lo:hi].tolist() == paths[w]
        assert bits[lo:hi].tolist() == codes[w]
    assert {len(p) % 2 for p in paths} == {0, 1}


# --------------------------------------------------------------------------- the exact softmax
def _encoded(tokens: np.ndarray, n_vocab: int) -> EncodedCorpus:
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the corpus
    tokens.astype(np.int32).tofile(fh)
    fh.flush()
    remap = np.arange(n_vocab + 1, dtype=np.int32)
    remap[-1] = SENTENCE_END
    return EncodedCorpus(fh, remap, int(np.sum(tokens >= 0)))


@pytest.mark.parametrize("model,mean", [("skipgram", True), ("cbow", True), ("cbow", False)])
def test_an_exact_softmax_job_matches_the_float64_replay(model, mean):
    counts = 2 * COUNTS  # the text twice: more than two batches of centers
    tokens = np.concatenate([_corpus(COUNTS, LENGTHS, seed=1), _corpus(COUNTS, LENGTHS, seed=2)])
    cfg = _config(model=model, loss="softmax", cbow_mean=mean, batch_words=10_000, seed=7)
    w_in, w_out = _weights(len(COUNTS), seed=3)
    trainer = Trainer(cfg, _vocab(counts), w_in.copy(), w_out.copy())
    corpus = _encoded(tokens, len(COUNTS))
    try:
        (stats,) = trainer.run(corpus)  # one epoch, one job
    finally:
        corpus.close()
    W, U, st = replay_softmax_job(
        w_in, w_out, tokens, model=model, window=WINDOW, shrink=True, cbow_mean=mean,
        counts=counts, sample=SAMPLE, alpha0=A0, alpha1=A1, seed=job_seed(7, 0, 0),
        max_sentence=MAX_SENTENCE,
    )  # fmt: skip
    assert st.kept > 2 * BATCH  # three batches, the last one partial
    assert (stats.words, stats.kept, stats.loss_terms) == (st.read, st.kept, st.terms)
    assert stats.loss_sum == pytest.approx(st.loss, rel=2e-5)
    _assert_matches([trainer.w_in, trainer.w_out], [w_in, w_out], [W, U])


def test_the_replay_reads_no_engine_module():
    """The replay must stay independent: it imports nothing from wordvec."""
    source = open(os.path.join(os.path.dirname(__file__), "_replay.py")).read()
    assert "wordvec" not in source.replace("wordvec/engine/kernels.py", "")
