"""The compiled subword kernels, held to the float64 derivation (``reference/subwords.py``):
one center's update at a time, and whole jobs against a float64 replay (``_replay_subwords``).

Tolerances as ``tests/engine/test_job_replay.py`` explains: float32 and the sigmoid table
drift by a few 1e-6 of the largest change over a job; any wrong decision (a row missing,
the word row skipped, a row's offsets off by one, a factor n on the row gradient, a wrong
negative) moves some row by a whole step, >= 1e-2 of the largest change.
"""

from __future__ import annotations

import numpy as np
import pytest
from _replay_subwords import replay_subword_job

from wordvec.config import TrainConfig
from wordvec.encoded import SENTENCE_END
from wordvec.engine import kernels
from wordvec.engine.subword_kernels import max_rows, subword_step
from wordvec.engine.subword_train import SubwordTrainer, init_subword_weights
from wordvec.errors import ConfigError
from wordvec.reference.subwords import outputs_cbow, outputs_skipgram, sgd_step_pairs
from wordvec.subwords import ngram_table, word_rows
from wordvec.vocab import Vocab

# 11 words (no ties in the Huffman merges), one non-ASCII, one without n-grams (</s>)
WORDS = ["</s>", "the", "of", "ab", "naïve", "x", "over", "dog", "cats", "is", "a"]
COUNTS = np.array([52, 32, 18, 16, 10, 9, 8, 6, 5, 4, 3], np.int64)
LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 12, 16, 20, 25, 20, 1]
MINN, MAXN, BUCKET = 2, 4, 13  # few buckets: n-grams of a word collide (repeated rows)
DIM = 13
WINDOW = 4
MAX_SENTENCE = 10
SAMPLE = 0.02
A0, A1 = 0.1, 0.02
TOL = 1e-4


def _corpus(seed: int) -> np.ndarray:
    words = np.repeat(np.arange(len(COUNTS)), COUNTS)
    np.random.default_rng(seed).shuffle(words)
    out, i = [], 0
    for n in LENGTHS:
        out.extend(words[i : i + n].tolist() + [SENTENCE_END])
        i += n
    return np.array(out, np.int32)


def _config(**kw) -> TrainConfig:
    base = dict(
        dim=DIM, window=WINDOW, sample=SAMPLE, threads=1, min_count=1, ns_exponent=0.5,
        max_sentence_length=MAX_SENTENCE, alpha=A0, min_alpha=A1, epochs=1, model="skipgram",
    )  # fmt: skip
    base.update(kw)
    if base.get("loss") != "neg":
        base["negative"] = 0
    return TrainConfig(**base).validate()


def _weights(rows_out: int, seed: int):
    rng = np.random.default_rng(seed)
    w_in = rng.normal(0, 0.3, (len(WORDS) + BUCKET, DIM)).astype(np.float32)
    w_out = rng.normal(0, 0.3, (rows_out, DIM)).astype(np.float32)
    return w_in, w_out


# ------------------------------------------------------------------ one center's update
def _step_case(model, loss, seed=0):
    rng = np.random.default_rng(seed)
    nw = len(WORDS)
    rows = [word_rows(w, i, nw, MINN, MAXN, BUCKET).tolist() for i, w in enumerate(WORDS)]
    vocab = Vocab(WORDS, COUNTS)
    points, codes, offsets = vocab.huffman()
    paths = [points[offsets[w] : offsets[w + 1]].tolist() for w in range(nw)]
    bits = [codes[offsets[w] : offsets[w + 1]].tolist() for w in range(nw)]
    ctx = [2, 4, 2, 8]  # a context word twice
    if model == "skipgram":
        in_rows = rows[4]  # "naïve": its rows repeat (BUCKET is small)
        negs = [rng.integers(0, nw, 3).tolist() for _ in ctx]
        pairs = [
            outputs_skipgram([o], loss, [n], paths, bits) for o, n in zip(ctx, negs, strict=True)
        ]
    else:
        in_rows = [r for o in ctx for r in rows[o]]
        pairs = [outputs_cbow(6, loss, [1, 1, 9], paths, bits)]
    return in_rows, pairs


@pytest.mark.parametrize("model", ["skipgram", "cbow"])
@pytest.mark.parametrize("loss", ["neg", "hs"])
@pytest.mark.parametrize("rule", ["fasttext", "exact"])
def test_one_update_matches_the_reference(model, loss, rule):
    in_rows, pairs = _step_case(model, loss)
    assert len(in_rows) > len(set(in_rows))  # repeated rows are part of the case
    w_in, w_out = _weights(len(WORDS), seed=2)
    W, U = w_in.astype(np.float64), w_out.astype(np.float64)
    J = sgd_step_pairs(W, U, in_rows, pairs, 0.3, rule)
    outputs = [o for out in pairs for o in out]
    n_out = len(outputs)
    start = np.cumsum([0] + [len(out) for out in pairs]).astype(np.int64)
    x = np.empty((1, DIM), np.float32)
    dx = np.empty((1, DIM), np.float32)
    acc = np.empty(DIM, np.float32)
    g = np.empty((1, n_out), np.float32)
    ids = np.array([o for o, _ in outputs], np.int64)
    labels = np.array([y for _, y in outputs], np.uint8)
    before_in, before_out = w_in.copy(), w_out.copy()
    loss_k = subword_step(
        w_in, w_out, np.array(in_rows, np.int64), len(in_rows), ids, labels, start, len(pairs),
        np.float32(0.3), rule == "exact", x, dx, acc, g, kernels.SIGMOID_TABLE,
        kernels.SOFTPLUS_TABLE,
    )  # fmt: skip
    assert loss_k == pytest.approx(J, rel=1e-5)
    for eng, start_w, ref in ((w_in, before_in, W), (w_out, before_out, U)):
        change = ref - start_w
        assert np.abs(change).max() > 1e-3
        np.testing.assert_allclose(eng - start_w, change, atol=1e-5 * np.abs(change).max() + 1e-7)


# ------------------------------------------------------------------ whole jobs
def _run(model, loss, negative, *, exponent=0.5, shrink=True, rule="fasttext", seed=11,
         table=None):  # fmt: skip
    vocab = Vocab(WORDS, COUNTS)
    cfg = _config(model=model, loss=loss, negative=negative, ns_exponent=exponent,
                  shrink_windows=shrink)  # fmt: skip
    w_in, w_out = _weights(len(WORDS) - 1 if loss == "hs" else len(WORDS), seed=seed)
    offsets, rows = table if table is not None else ngram_table(WORDS, MINN, MAXN, BUCKET)
    trainer = SubwordTrainer(
        cfg, vocab, w_in.copy(), w_out.copy(), sub_offsets=offsets, sub_rows=rows,
        exact=rule == "exact",
    )  # fmt: skip
    tokens = _corpus(seed)
    res = trainer.run_job(tokens, A0, A1, 1234 + seed, MAX_SENTENCE)
    accept, alias = vocab.alias_table(exponent)
    W, U, st, info = replay_subword_job(
        w_in, w_out, tokens, words=WORDS, minn=MINN, maxn=MAXN, bucket=BUCKET, model=model,
        loss=loss, window=WINDOW, shrink=shrink, counts=COUNTS, sample=SAMPLE,
        negative=negative, ns_exponent=exponent, accept=accept, alias=alias, alpha0=A0,
        alpha1=A1, seed=1234 + seed, max_sentence=MAX_SENTENCE, row_gradient=rule,
    )  # fmt: skip
    return res, trainer, (w_in, w_out), (W, U), st, info


def _deviation(trainer, start, ref) -> float:
    scale = max(float(np.abs(r - s).max()) for r, s in zip(ref, start, strict=True))
    dev = max(
        float(np.abs((e.astype(np.float64) - s) - (r - s)).max())
        for e, s, r in zip((trainer.w_in, trainer.w_out), start, ref, strict=True)
    )
    assert scale > 0.05, scale
    return dev / scale


JOBS = [
    ("skipgram", "neg", 4, {}),
    ("skipgram", "neg", 3, {"exponent": 3.0}),  # a dominant noise word (inversion draws)
    ("skipgram", "neg", 2, {"shrink": False}),
    ("skipgram", "neg", 3, {"rule": "exact"}),
    ("cbow", "neg", 4, {}),
    ("cbow", "neg", 3, {"rule": "exact"}),
    ("skipgram", "hs", 0, {}),
    ("skipgram", "hs", 0, {"rule": "exact"}),
    ("cbow", "hs", 0, {}),
    ("cbow", "hs", 0, {"shrink": False}),
]


@pytest.mark.parametrize(
    "model,loss,negative,kw", JOBS,
    ids=[f"{m}-{lo}-K{k}-{'-'.join(f'{a}={b}' for a, b in kw.items())}" for m, lo, k, kw in JOBS],
)  # fmt: skip
def test_a_subword_job_matches_the_float64_replay(model, loss, negative, kw):
    res, trainer, start, ref, st, info = _run(model, loss, negative, **kw)
    assert res[2] == st.read == sum(LENGTHS)
    assert res[3] == st.kept
    assert res[1] == st.terms
    assert res[4] == 0
    assert res[0] == pytest.approx(st.loss, rel=2e-5)
    dev = _deviation(trainer, start, ref)
    assert dev <= TOL, f"engine departs from the replay by {dev:.2e} of the change"
    assert info["repeated_rows"] > 0 and 0 < st.kept < st.read


def test_the_rule_matters():
    """fastText's rule and the exact gradient give different jobs (so the tests above
    can tell them apart): the engine with one rule is far from the replay of the other."""
    res, trainer, start, _, _, _ = _run("skipgram", "neg", 3)
    *_, ref_exact, _, _ = _run("skipgram", "neg", 3, rule="exact")
    assert _deviation(trainer, start, ref_exact) > 100 * TOL


@pytest.mark.parametrize("bug", ["word-row-skipped", "row-missing", "offsets-off-by-one"])
def test_a_wrong_ngram_table_is_caught(bug):
    """The replay builds each word's rows itself: a table the engine reads with one
    word's row dropped, the word rows left out or the offsets shifted departs from it."""
    offsets, rows = ngram_table(WORDS, MINN, MAXN, BUCKET)
    offsets, rows = offsets.copy(), rows.copy()
    if bug == "word-row-skipped":
        keep = np.ones(len(rows), bool)
        keep[offsets[:-1]] = False
        rows = rows[keep]
        offsets = offsets - np.arange(len(offsets))
    elif bug == "row-missing":  # the last n-gram row of word 4 ("naïve")
        rows = np.delete(rows, offsets[5] - 1)
        offsets[5:] -= 1
    else:
        offsets[1:-1] += 1
    res, trainer, start, ref, *_ = _run("skipgram", "neg", 3, table=(offsets, rows))
    assert _deviation(trainer, start, ref) > 100 * TOL


def test_the_ngram_table_is_the_per_word_definition():
    offsets, rows = ngram_table(WORDS, MINN, MAXN, BUCKET)
    for i, w in enumerate(WORDS):
        assert (
            rows[offsets[i] : offsets[i + 1]].tolist()
            == word_rows(w, i, len(WORDS), MINN, MAXN, BUCKET).tolist()
        )
    assert max_rows(offsets) == int(np.diff(offsets).max())


def test_softmax_and_a_short_table_are_refused():
    vocab = Vocab(WORDS, COUNTS)
    w_in, w_out = _weights(len(WORDS), seed=1)
    offsets, rows = ngram_table(WORDS, MINN, MAXN, BUCKET)
    with pytest.raises(ConfigError, match="softmax"):
        SubwordTrainer(_config(loss="softmax"), vocab, w_in, w_out, sub_offsets=offsets,
                       sub_rows=rows)  # fmt: skip
    with pytest.raises(ConfigError, match="n-gram table"):
        SubwordTrainer(_config(loss="neg", negative=2), vocab, w_in, w_out,
                       sub_offsets=offsets[:-1], sub_rows=rows)  # fmt: skip


def test_initial_weights_are_fasttexts():
    cfg = _config(loss="hs", dim=50)
    w_in, w_out = init_subword_weights(7, 100, cfg)
    assert w_in.shape == (107, 50) and w_out.shape == (6, 50) and not w_out.any()
    assert w_in.dtype == np.float32
    assert np.abs(w_in).max() <= 1 / 50 and np.abs(w_in).max() > 0.9 / 50


def test_a_non_finite_ngram_row_fails_the_epoch():
    from wordvec.engine.schedule import EpochStats
    from wordvec.errors import TrainingError

    vocab = Vocab(WORDS, COUNTS)
    w_in, w_out = _weights(len(WORDS), seed=1)
    offsets, rows = ngram_table(WORDS, MINN, MAXN, BUCKET)
    trainer = SubwordTrainer(_config(loss="neg", negative=2), vocab, w_in, w_out,
                             sub_offsets=offsets, sub_rows=rows)  # fmt: skip
    trainer._check_health(EpochStats(1.0, 1.0, 10, 10), 0)  # finite: nothing to say
    w_in[len(WORDS) + BUCKET - 1, 3] = np.inf  # the last bucket row
    with pytest.raises(TrainingError, match="weights"):
        trainer._check_health(EpochStats(1.0, 1.0, 10, 10), 0)
