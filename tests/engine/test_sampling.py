"""The distributions a replay cannot pin, checked on what a real job actually used.

``_observe.py`` runs the engine's job kernel as plain Python (``NUMBA_DISABLE_JIT=1``,
in a child process) and records the kept words of each sentence and each center's
context and outputs. Here their distributions are held against the formulas:

* window widths: uniform on 1..window (word2vec's dynamic window);
* negatives: counts ** ns_exponent, renormalised without the center, never the center;
* sub-sampling: word w kept with probability (sqrt(f / (t T)) + 1) t T / f.

Every test is a chi-square or binomial test at a significance of about 1e-6, so a
correct engine fails it about once in a million runs (the seeds are fixed, so never).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
P_MIN = 1e-6  # significance of each test

# 20 words, Zipf-like counts; 20,000 tokens in sentences of 40 (longer than 2 windows)
V = 20
COUNTS = np.array([int(4000 / (i + 1) ** 1.1) + 3 for i in range(V)], np.int64)
SAMPLE = 5e-3  # keeps the most frequent words with probability 0.25..0.6, the rarest always
WINDOW = 5
NEGATIVE = 6
SENTENCE = 40


def _tokens(counts: np.ndarray, seed: int) -> list[int]:
    words = np.repeat(np.arange(len(counts)), counts)
    np.random.default_rng(seed).shuffle(words)
    words = words[: len(words) // SENTENCE * SENTENCE].reshape(-1, SENTENCE)
    return np.concatenate([words, np.full((len(words), 1), -1)], axis=1).ravel().tolist()


def observe(tmp: Path, *, counts=COUNTS, seed=3, **config) -> tuple[dict, list[int]]:
    """Run one job in a child process with the JIT off; return its record and tokens."""
    tokens = _tokens(counts, seed)
    base = dict(
        model="skipgram", loss="neg", dim=4, window=WINDOW, negative=NEGATIVE, sample=0.0,
        min_count=1, threads=1, max_sentence_length=10_000,
    )  # fmt: skip
    base.update(config)
    spec = {"counts": counts.tolist(), "tokens": tokens, "config": base, "seed": 99 + seed}
    (tmp / "spec.json").write_text(json.dumps(spec))
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [sys.executable, str(HERE / "_observe.py"), str(tmp / "spec.json"), str(tmp / "out.json")],
        env=env, capture_output=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return json.loads((tmp / "out.json").read_text()), tokens


def centers(record: dict):
    """(sentence, position, context, outputs) for every center the job trained."""
    sent = None
    pos = 0
    for ev in record["events"]:
        if ev[0] == "s":
            sent, pos = ev[1], 0
        else:
            yield sent, pos, ev[1], ev[2]
            pos += 1


def noise(counts: np.ndarray, exponent: float) -> np.ndarray:
    p = counts.astype(np.float64) ** exponent
    return p / p.sum()


def keep_probability(counts: np.ndarray, sample: float) -> np.ndarray:
    f = counts.astype(np.float64)
    tt = sample * f.sum()
    return np.minimum((np.sqrt(f / tt) + 1) * tt / f, 1.0)


def _chi2(observed: np.ndarray, expected: np.ndarray) -> float:
    keep = expected > 0
    assert observed[~keep].sum() == 0, "a draw the distribution gives no mass to"
    scaled = expected[keep] * observed.sum() / expected.sum()
    return float(stats.chisquare(observed[keep], scaled)[1])


@pytest.fixture(scope="module")
def sg_neg(tmp_path_factory):
    return observe(tmp_path_factory.mktemp("sg-neg"))


@pytest.fixture(scope="module")
def sg_neg_sampled(tmp_path_factory):
    return observe(tmp_path_factory.mktemp("sg-neg-sampled"), sample=SAMPLE, seed=4)


# --------------------------------------------------------------------------- windows
def _within(sent: list[int], pos: int, b: int) -> list[int]:
    return [sent[j] for j in range(max(0, pos - b), min(len(sent), pos + b + 1)) if j != pos]


def test_each_center_trains_on_its_neighbours_within_some_width(sg_neg):
    record, _ = sg_neg
    seen = 0
    for sent, pos, ctx, _ in centers(record):
        assert any(ctx == _within(sent, pos, b) for b in range(1, WINDOW + 1)), (sent, pos, ctx)
        seen += 1
    kept = sum(len(ev[1]) for ev in record["events"] if ev[0] == "s")
    assert seen == kept  # every kept word was a center (no sentence has fewer than 2)


def test_window_widths_are_uniform_on_one_to_window(sg_neg):
    record, _ = sg_neg
    widths = [
        len(ctx) // 2
        for sent, pos, ctx, _ in centers(record)
        if WINDOW <= pos < len(sent) - WINDOW  # interior: 2b context words
    ]
    observed = np.bincount(widths, minlength=WINDOW + 1)
    assert observed[0] == 0 and len(observed) == WINDOW + 1
    assert len(widths) > 7_000
    assert _chi2(observed[1:], np.ones(WINDOW)) > P_MIN


def test_a_fixed_window_is_always_full(tmp_path):
    record, _ = observe(tmp_path, shrink_windows=False, seed=5)
    for sent, pos, ctx, _ in centers(record):
        assert len(ctx) == min(pos, WINDOW) + min(len(sent) - 1 - pos, WINDOW)


# --------------------------------------------------------------------------- negatives
def _negatives_fit(record, counts, exponent, only=None) -> float:
    """p-value of the negatives drawn against counts ** exponent renormalised without
    each draw's center (expected counts summed over the centers)."""
    p = noise(counts, exponent)
    observed = np.zeros(len(counts))
    expected = np.zeros(len(counts))
    for _, _, _, outputs in centers(record):
        center, negs = outputs[0], outputs[1:]
        if only is not None and not only(center):
            continue
        assert len(negs) == NEGATIVE
        assert center not in negs, "a negative equal to its center"
        np.add.at(observed, negs, 1)
        q = p.copy()
        q[center] = 0.0
        expected += NEGATIVE * q / q.sum()
    assert observed.sum() > 5_000
    return _chi2(observed, expected)


def test_negatives_follow_the_noise_distribution_without_the_center(sg_neg):
    assert _negatives_fit(sg_neg[0], COUNTS, 0.75) > P_MIN


def test_negatives_with_another_exponent_and_cbow(tmp_path):
    record, _ = observe(tmp_path, model="cbow", ns_exponent=0.3, seed=6)
    assert _negatives_fit(record, COUNTS, 0.3) > P_MIN


def test_a_dominant_noise_word_draws_from_the_others_exactly(tmp_path):
    # ns_exponent = 3 puts more than half the noise mass on word 0: its negatives come by
    # inversion, the others' by rejection; both must be the conditional distribution
    assert noise(COUNTS, 3.0)[0] > 0.5
    record, _ = observe(tmp_path, ns_exponent=3.0, seed=7)
    assert _negatives_fit(record, COUNTS, 3.0, only=lambda c: c == 0) > P_MIN
    assert _negatives_fit(record, COUNTS, 3.0, only=lambda c: c != 0) > P_MIN


# --------------------------------------------------------------------------- sub-sampling
def test_sub_sampling_keeps_each_word_at_word2vecs_rate(sg_neg_sampled):
    record, tokens = sg_neg_sampled
    read = np.bincount([t for t in tokens if t >= 0], minlength=V)
    kept = np.bincount([w for ev in record["events"] if ev[0] == "s" for w in ev[1]], minlength=V)
    p = keep_probability(COUNTS, SAMPLE)
    assert (p < 0.6).sum() >= 3 and (p == 1.0).sum() >= 2  # some kept rarely, some always
    for w in range(V):
        if p[w] == 1.0:
            assert kept[w] == read[w]
        else:
            z = (kept[w] - read[w] * p[w]) / math.sqrt(read[w] * p[w] * (1 - p[w]))
            assert abs(z) < 5.0, (w, kept[w], read[w], p[w])
    assert record["result"][3] == kept.sum()  # the job's own count of kept words


def test_sub_sampled_sentences_keep_their_order(sg_neg_sampled):
    record, tokens = sg_neg_sampled
    sentences = [ev[1] for ev in record["events"] if ev[0] == "s"]
    text = np.array(tokens).reshape(-1, SENTENCE + 1)[:, :-1].tolist()
    assert len(sentences) == len(text)
    for kept, full in zip(sentences, text, strict=True):
        it = iter(full)
        assert all(w in it for w in kept)  # a subsequence of its sentence
