"""The engine's updates, held against the float64 reference, update by update.

For every model x loss, one kernel step on fixed inputs and fixed negatives must
change the weights by exactly ``-alpha *`` the reference gradient (summed over the
window's predictions, all at the starting weights), and return the reference loss.
"""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.engine import kernels as K
from wordvec.engine import softmax as S
from wordvec.reference.losses import (
    hierarchical_softmax_loss_and_gradient,
    hs_neg_loss_and_gradient,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
)
from wordvec.reference.models import cbow, skipgram

ALPHA = 0.05
RTOL = 2e-5  # float32 kernel vs float64 reference


def _weights(v: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    w_in = rng.normal(0, 0.5, (v, d)).astype(np.float32)
    w_out = rng.normal(0, 0.5, (v, d)).astype(np.float32)
    return w_in, w_out


def _scratch(n_in: int, n_out: int, d: int):
    return (
        np.zeros((max(n_in, 1), d), np.float32),
        np.zeros((max(n_in, 1), d), np.float32),
        np.zeros((max(n_in, 1), n_out), np.float32),
    )


def _close(actual: np.ndarray, expected: np.ndarray) -> None:
    scale = max(np.abs(expected).max(), 1e-3)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=RTOL * scale)


@pytest.mark.parametrize("d", [3, 16, 50])
@pytest.mark.parametrize("ctx", [[4], [1, 2, 3, 5], [2, 2, 7, 1, 0, 3]])
def test_skipgram_negative_sampling_step_is_minus_alpha_reference_gradient(d, ctx):
    v = 11
    w_in, w_out = _weights(v, d, seed=d + len(ctx))
    center = 6
    negs = np.array([3, 9, 3, 0, 10])  # 3 drawn twice: counts twice
    out_ids = np.concatenate([[center], negs]).astype(np.int64)
    labels = np.array([1, 0, 0, 0, 0, 0], np.uint8)
    ctx_a = np.array(ctx, np.int64)
    x, dx, g = _scratch(len(ctx), len(out_ids), d)
    new_in, new_out = w_in.copy(), w_out.copy()
    loss = K.sg_step(
        new_in,
        new_out,
        ctx_a,
        len(ctx),
        out_ids,
        labels,
        len(out_ids),
        ALPHA,
        x,
        dx,
        g,
        K.SIGMOID_TABLE,
        K.SOFTPLUS_TABLE,
    )
    # reference: each context word's input vector predicts the center against the negatives
    U = w_out.astype(np.float64)
    exp_loss, exp_in, exp_out = 0.0, np.zeros((v, d)), np.zeros((v, d))
    for c in ctx:
        l, g_v, g_u = neg_sampling_loss_and_gradient(w_in[c].astype(np.float64), center, U, negs)
        exp_loss += l
        exp_in[c] -= ALPHA * g_v
        exp_out -= ALPHA * g_u
    assert loss == pytest.approx(exp_loss, rel=1e-5)
    _close(new_in - w_in, exp_in)
    _close(new_out - w_out, exp_out)


@pytest.mark.parametrize("mean", [True, False])
@pytest.mark.parametrize("ctx", [[4], [1, 2, 3, 5], [2, 2, 7, 1]])
def test_cbow_negative_sampling_step_is_minus_alpha_reference_gradient(mean, ctx):
    v, d = 11, 20
    w_in, w_out = _weights(v, d, seed=3)
    center = 6
    negs = np.array([3, 9, 9, 0])
    out_ids = np.concatenate([[center], negs]).astype(np.int64)
    labels = np.array([1, 0, 0, 0, 0], np.uint8)
    x, dx, g = _scratch(1, len(out_ids), d)
    new_in, new_out = w_in.copy(), w_out.copy()
    loss = K.cbow_step(
        new_in,
        new_out,
        np.array(ctx, np.int64),
        len(ctx),
        out_ids,
        labels,
        len(out_ids),
        ALPHA,
        mean,
        x,
        dx,
        g,
        K.SIGMOID_TABLE,
        K.SOFTPLUS_TABLE,
    )

    def loss_fn(v_c, o, U):
        return neg_sampling_loss_and_gradient(v_c, o, U, negs)

    exp_loss, g_in, g_out = cbow(
        center, ctx, w_in.astype(np.float64), w_out.astype(np.float64), loss_fn, mean=mean
    )
    assert loss == pytest.approx(exp_loss, rel=1e-5)
    _close(new_in - w_in, -ALPHA * _cbow_input_scale(mean, ctx) * g_in)
    _close(new_out - w_out, -ALPHA * g_out)


def _cbow_input_scale(mean: bool, ctx) -> float:
    """word2vec C's convention: each context row gets all of dJ/dh; for the mean the
    reference gradient is dJ/dh / n, so the input step is n times the reference one."""
    return float(len(ctx)) if mean else 1.0


def _huffman_path(vocab_counts, word):
    from wordvec.vocab import Vocab

    points, codes, offsets = Vocab(
        [str(i) for i in range(len(vocab_counts))], vocab_counts
    ).huffman()
    lo, hi = offsets[word], offsets[word + 1]
    return points[lo:hi].astype(np.int64), codes[lo:hi]


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_hierarchical_softmax_step_is_minus_alpha_reference_gradient(model):
    v, d = 13, 24
    counts = np.array([50, 40, 30, 20, 12, 10, 9, 7, 5, 4, 3, 2, 1])
    w_in, _ = _weights(v, d, seed=5)
    w_out = np.random.default_rng(6).normal(0, 0.5, (v - 1, d)).astype(np.float32)
    center = 9
    points, codes = _huffman_path(counts, center)
    labels = (1 - codes).astype(np.uint8)
    ctx = [1, 4, 4, 12]
    new_in, new_out = w_in.copy(), w_out.copy()
    if model == "skipgram":
        x, dx, g = _scratch(len(ctx), len(points), d)
        loss = K.sg_step(
            new_in,
            new_out,
            np.array(ctx, np.int64),
            len(ctx),
            points,
            labels,
            len(points),
            ALPHA,
            x,
            dx,
            g,
            K.SIGMOID_TABLE,
            K.SOFTPLUS_TABLE,
        )
        exp_loss, exp_in, exp_out = 0.0, np.zeros((v, d)), np.zeros((v - 1, d))
        for c in ctx:
            l, g_v, g_u = hierarchical_softmax_loss_and_gradient(
                w_in[c].astype(np.float64), points, codes, w_out.astype(np.float64)
            )
            exp_loss += l
            exp_in[c] -= ALPHA * g_v
            exp_out -= ALPHA * g_u
    else:
        x, dx, g = _scratch(1, len(points), d)
        loss = K.cbow_step(
            new_in,
            new_out,
            np.array(ctx, np.int64),
            len(ctx),
            points,
            labels,
            len(points),
            ALPHA,
            True,
            x,
            dx,
            g,
            K.SIGMOID_TABLE,
            K.SOFTPLUS_TABLE,
        )

        def loss_fn(v_c, o, U):
            return hierarchical_softmax_loss_and_gradient(v_c, points, codes, U)

        exp_loss, g_in, g_out = cbow(
            center, ctx, w_in.astype(np.float64), w_out.astype(np.float64), loss_fn, mean=True
        )
        exp_in, exp_out = -ALPHA * _cbow_input_scale(True, ctx) * g_in, -ALPHA * g_out
    assert loss == pytest.approx(exp_loss, rel=1e-5)
    _close(new_in - w_in, exp_in)
    _close(new_out - w_out, exp_out)


@pytest.mark.parametrize("model,mean", [("skipgram", True), ("cbow", True), ("cbow", False)])
def test_hs_neg_step_is_minus_alpha_reference_gradient_of_the_summed_loss(model, mean):
    """hs+neg: the job kernel stacks w_out = [negative sampling's V rows; the tree's V - 1]
    and trains the path's rows (V + node) with the center and its negatives in one step:
    the input's change is -alpha (grad_neg + grad_hs), both from the weights on entry."""
    v, d = 13, 24
    counts = np.array([50, 40, 30, 20, 12, 10, 9, 7, 5, 4, 3, 2, 1])
    w_in, w_neg = _weights(v, d, seed=7)
    w_hs = np.random.default_rng(8).normal(0, 0.5, (v - 1, d)).astype(np.float32)
    w_out = np.vstack([w_neg, w_hs])
    center = 9
    points, codes = _huffman_path(counts, center)
    negs = np.array([3, 11, 3, 0])
    out_ids = np.concatenate([v + points, [center], negs]).astype(np.int64)
    labels = np.concatenate([1 - codes, [1], np.zeros(len(negs))]).astype(np.uint8)
    ctx = [1, 4, 4, 12]
    new_in, new_out = w_in.copy(), w_out.copy()
    n_in = len(ctx) if model == "skipgram" else 1
    x, dx, g = _scratch(n_in, len(out_ids), d)
    args = (np.array(ctx, np.int64), len(ctx), out_ids, labels, len(out_ids), ALPHA)
    tables = (x, dx, g, K.SIGMOID_TABLE, K.SOFTPLUS_TABLE)
    if model == "skipgram":
        loss = K.sg_step(new_in, new_out, *args, *tables)
    else:
        loss = K.cbow_step(new_in, new_out, *args, mean, *tables)

    U_neg, U_hs = w_neg.astype(np.float64), w_hs.astype(np.float64)
    exp_loss, exp_in = 0.0, np.zeros((v, d))
    exp_neg, exp_hs = np.zeros((v, d)), np.zeros((v - 1, d))
    if model == "skipgram":
        inputs = [(c, w_in[c].astype(np.float64)) for c in ctx]
    else:
        h = w_in[ctx].astype(np.float64).sum(axis=0) / (len(ctx) if mean else 1)
        inputs = [(None, h)]
    for c, v_c in inputs:
        l, g_v, g_n, g_h = hs_neg_loss_and_gradient(v_c, center, U_neg, negs, points, codes, U_hs)
        exp_loss += l
        exp_neg -= ALPHA * g_n
        exp_hs -= ALPHA * g_h
        for row in [c] if c is not None else ctx:  # CBOW: every context row gets all of dh
            exp_in[row] -= ALPHA * g_v
    assert loss == pytest.approx(exp_loss, rel=1e-5)
    _close(new_in - w_in, exp_in)
    _close(new_out[:v] - w_neg, exp_neg)
    _close(new_out[v:] - w_hs, exp_hs)


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
def test_hs_neg_job_trains_both_objectives_as_the_step_by_step_reference(model):
    """A whole hs+neg job of the compiled kernel on a two-word vocabulary (every negative
    is the other word; the tree is one node): the stacked outputs, labels and summed
    input step of every center, against the reference's summed loss step by step."""
    from wordvec.vocab import Vocab

    k = 2
    vocab = Vocab(["a", "b"], np.array([12, 10], np.int64))
    accept, alias = vocab.alias_table(0.75)
    points, codes, offsets = vocab.huffman()
    keep = np.full(2, np.iinfo(np.uint32).max, np.uint32)
    tables = K.make_tables(keep, accept, alias, points, codes, offsets)
    model_kind = K.SKIPGRAM if model == "skipgram" else K.CBOW
    hp = K.Hyper(model_kind, K.HSNEG, 1, k, False, False, int(np.diff(offsets).max()))
    sentences = [[0, 1, 0, 1, 0], [1, 0]]
    tokens = np.array([w for s in sentences for w in [*s, -1]], np.int32)
    w_in, w_neg = _weights(2, 8, seed=4)
    w_hs = np.random.default_rng(9).normal(0, 0.5, (1, 8)).astype(np.float32)
    new_in, new_out = w_in.copy(), np.vstack([w_neg, w_hs])
    res = K.train_job(new_in, new_out, tokens, tables, hp, ALPHA, ALPHA, 99, 100)

    W, U_neg, U_hs = w_in.astype(np.float64), w_neg.astype(np.float64), w_hs.astype(np.float64)
    exp_loss = 0.0
    for sent in sentences:
        for pos, center in enumerate(sent):
            ctx = [sent[j] for j in (pos - 1, pos + 1) if 0 <= j < len(sent)]
            negs = np.full(k, 1 - center)
            lo, hi = offsets[center], offsets[center + 1]
            g_in, g_neg, g_hs = np.zeros_like(W), np.zeros_like(U_neg), np.zeros_like(U_hs)
            inputs = [(c, W[c]) for c in ctx] if model == "skipgram" else [(None, W[ctx].sum(0))]
            for c, v_c in inputs:
                loss, g_v, g_n, g_h = hs_neg_loss_and_gradient(
                    v_c, center, U_neg, negs, points[lo:hi], codes[lo:hi], U_hs
                )
                exp_loss += loss
                for row in [c] if c is not None else ctx:
                    g_in[row] += g_v
                g_neg += g_n
                g_hs += g_h
            W -= ALPHA * g_in
            U_neg -= ALPHA * g_neg
            U_hs -= ALPHA * g_hs
    assert res[0] == pytest.approx(exp_loss, rel=1e-5)
    _close(new_in, W)
    _close(new_out, np.vstack([U_neg, U_hs]))


@pytest.mark.parametrize("model,mean", [("skipgram", True), ("cbow", True), ("cbow", False)])
def test_full_softmax_batch_is_minus_alpha_summed_reference_gradient(model, mean):
    v, d = 17, 12
    w_in, w_out = _weights(v, d, seed=8)
    centers = np.array([3, 5, 3, 16], np.int64)  # a center twice in one batch
    ctx_lists = [[1, 2], [4, 6, 7, 2], [0], [15, 15, 1]]
    ptr = np.concatenate([[0], np.cumsum([len(c) for c in ctx_lists])]).astype(np.int64)
    ctx = np.concatenate(ctx_lists).astype(np.int64)
    new_in, new_out = w_in.copy(), w_out.copy()
    loss, terms = S.batch_step(new_in, new_out, centers, ptr, ctx, np.float32(ALPHA), model, mean)
    exp_loss, g_in, g_out = 0.0, np.zeros((v, d)), np.zeros((v, d))
    W, U = w_in.astype(np.float64), w_out.astype(np.float64)
    for c, outside in zip(centers, ctx_lists, strict=True):
        if model == "skipgram":
            l, gi, go = skipgram(int(c), outside, W, U, naive_softmax_loss_and_gradient)
        else:
            l, gi, go = cbow(int(c), outside, W, U, naive_softmax_loss_and_gradient, mean=mean)
            gi = gi * _cbow_input_scale(mean, outside)
        exp_loss += l
        g_in += gi
        g_out += go
    assert terms == (len(ctx) if model == "skipgram" else len(centers))
    assert loss == pytest.approx(exp_loss, rel=1e-5)
    _close(new_in - w_in, -ALPHA * g_in)
    _close(new_out - w_out, -ALPHA * g_out)


def test_sigmoid_and_softplus_tables_match_exact_functions():
    xs = np.linspace(-30, 30, 20001).astype(np.float32)
    both = np.array([K._sigmoid_softplus(x, K.SIGMOID_TABLE, K.SOFTPLUS_TABLE) for x in xs])
    sig, sp = both[:, 0], both[:, 1]
    x64 = xs.astype(np.float64)
    np.testing.assert_allclose(sig, 1 / (1 + np.exp(-x64)), atol=3e-7)
    np.testing.assert_allclose(sp, np.logaddexp(0, x64), atol=3e-7, rtol=1e-6)


def test_alias_draws_follow_the_noise_distribution_and_skip_the_center():
    from wordvec.vocab import Vocab

    counts = np.array([1000, 500, 250, 125, 60, 30, 15, 8, 4, 2], np.int64)
    vocab = Vocab([str(i) for i in range(len(counts))], counts)
    accept, alias = vocab.alias_table(0.75)
    # the kernel's own draw (RNG + alias step), as train_job calls it
    draws = np.empty(200_000, np.int64)
    K._draw_negatives(
        np.uint64(7), draws, len(draws), 1, len(counts), accept, alias, -1, np.zeros(1, np.int64)
    )
    assert not np.any(draws == 1)  # never the center word
    freq = np.bincount(draws, minlength=len(counts)) / len(draws)
    expected = vocab.noise_distribution(0.75)
    expected[1] = 0.0
    np.testing.assert_allclose(freq, expected / expected.sum(), atol=4e-3)


def test_job_negatives_drawn_ahead_belong_to_their_own_center():
    # Two words: every negative must be the other word. The job kernel draws each
    # center's negatives one center ahead; drawing them against the wrong center
    # would make a negative equal its center, and the weights would differ from
    # this step-by-step reference. Two sentences cover the reset at a sentence start.
    from wordvec.vocab import Vocab

    k = 3
    vocab = Vocab(["a", "b"], np.array([10, 10], np.int64))
    accept, alias = vocab.alias_table(0.75)
    keep = np.full(2, np.iinfo(np.uint32).max, np.uint32)
    tables = K.make_tables(
        keep, accept, alias, np.zeros(1, np.int32), np.zeros(1, np.uint8), np.zeros(3, np.int64)
    )
    hp = K.Hyper(K.SKIPGRAM, K.NEG, 1, k, False, True, 0)
    sentences = [[0, 1, 0, 1, 0], [1, 0]]
    tokens = np.array([w for s in sentences for w in [*s, -1]], np.int32)
    w_in, w_out = _weights(2, 8, seed=3)
    new_in, new_out = w_in.copy(), w_out.copy()
    res = K.train_job(new_in, new_out, tokens, tables, hp, ALPHA, ALPHA, 12345, 100)

    ref_in, ref_out = w_in.astype(np.float64), w_out.astype(np.float64)
    exp_loss = 0.0
    for sent in sentences:
        for pos, center in enumerate(sent):
            ctx = [sent[j] for j in (pos - 1, pos + 1) if 0 <= j < len(sent)]
            negs = np.full(k, 1 - center)
            g_in = np.zeros_like(ref_in)
            g_out = np.zeros_like(ref_out)
            for c in ctx:
                loss, g_v, g_u = neg_sampling_loss_and_gradient(ref_in[c], center, ref_out, negs)
                exp_loss += loss
                g_in[c] += g_v
                g_out += g_u
            ref_in -= ALPHA * g_in
            ref_out -= ALPHA * g_out
    assert res[0] == pytest.approx(exp_loss, rel=1e-5)
    assert res[1] == sum(2 * len(s) - 2 for s in sentences)  # loss terms: one per pair
    _close(new_in, ref_in)
    _close(new_out, ref_out)


def test_trainer_runs_a_range_of_epochs_like_the_whole_run():
    """run(c, Position(e), until=e + 1) epoch by epoch (what wordvec.compat does to call
    back between epochs) trains exactly as one run over all epochs, with one thread."""
    import tempfile

    from wordvec.config import TrainConfig
    from wordvec.encoded import EncodedCorpus
    from wordvec.engine.train import Position, Trainer
    from wordvec.vocab import Vocab

    rng = np.random.default_rng(0)
    vocab = Vocab([f"w{i}" for i in range(40)], np.sort(rng.integers(5, 50, 40))[::-1])
    ids = rng.integers(0, 40, 3000).astype(np.int32)
    ids[::12] = -1  # sentence ends
    remap = np.arange(41, dtype=np.int32)
    remap[-1] = -1
    start = ((rng.random((40, 8)) - 0.5) / 8).astype(np.float32)
    cfg = TrainConfig(model="skipgram", dim=8, epochs=3, threads=1, min_count=1, batch_words=500)
    results = []
    with tempfile.TemporaryFile() as stream:
        ids.tofile(stream)
        for stepwise in (False, True):
            w_in, w_out = start.copy(), np.zeros((40, 8), np.float32)
            trainer = Trainer(cfg, vocab, w_in, w_out)
            corpus = EncodedCorpus(stream, remap, int((ids >= 0).sum()))
            if stepwise:
                for e in range(3):
                    trainer.run(corpus, Position(e), until=e + 1)
            else:
                trainer.run(corpus)
            results.append((w_in, w_out, [h.loss_sum for h in trainer.history]))
    (a_in, a_out, a_loss), (b_in, b_out, b_loss) = results
    assert len(b_loss) == 3 and not np.array_equal(a_in, start)
    assert np.array_equal(a_in, b_in) and np.array_equal(a_out, b_out) and a_loss == b_loss
