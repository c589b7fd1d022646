"""The learning-rate schedule of a whole run: what each job is given, across epochs and threads.

A job falls linearly from its ``alpha0`` to its ``alpha1`` over its own words (the
replay in ``test_job_replay.py`` pins that); here the jobs of a multi-epoch,
multi-thread run are recorded as the trainer hands them to the kernel, and the run's
schedule is checked: one linear decay from ``alpha`` to ``min_alpha`` over all epochs'
words, in schedule order, contiguous from job to job, the same whatever the threads.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from wordvec.engine import kernels, softmax
from wordvec.model import Word2Vec

ALPHA, MIN_ALPHA, EPOCHS = 0.04, 0.001, 3


def _sentences(n: int = 900, seed: int = 0) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    return [[f"w{i}" for i in rng.integers(0, 60, rng.integers(3, 15))] for _ in range(n)]


def _record(monkeypatch, threads: int, sentences, **kw) -> list[tuple[float, float, int, int]]:
    """(alpha0, alpha1, seed, words) of every job the kernel ran, in schedule order."""
    calls: list[tuple[float, float, int, int]] = []
    lock = threading.Lock()
    real = kernels.train_job

    def train_job(w_in, w_out, ids, tables, hp, a0, a1, seed, max_sentence):
        with lock:
            calls.append((a0, a1, seed, int(np.sum(ids >= 0))))
        return real(w_in, w_out, ids, tables, hp, a0, a1, seed, max_sentence)

    monkeypatch.setattr(kernels, "train_job", train_job)
    options = dict(
        model="skipgram", dim=8, min_count=1, sample=0, epochs=EPOCHS, alpha=ALPHA,
        min_alpha=MIN_ALPHA, threads=threads, batch_words=300, seed=4,
    )  # fmt: skip
    options.update(kw)
    Word2Vec(**options).fit(sentences)
    return sorted(calls, key=lambda c: -c[0])


@pytest.mark.parametrize("loss", ["neg", "hs"])
def test_the_run_decays_once_from_alpha_to_min_alpha_across_epochs_and_jobs(monkeypatch, loss):
    sentences = _sentences()
    n_words = sum(map(len, sentences))
    jobs = _record(monkeypatch, 3, sentences, loss=loss)
    a0 = np.array([j[0] for j in jobs])
    a1 = np.array([j[1] for j in jobs])
    words = np.array([j[3] for j in jobs])
    assert len(jobs) >= 3 * EPOCHS * 4  # several jobs per epoch
    assert words.sum() == EPOCHS * n_words  # every word once per epoch
    assert a0[0] == pytest.approx(ALPHA) and a1[-1] == pytest.approx(MIN_ALPHA)
    assert np.all(a1 < a0)  # each job decays
    assert len({j[2] for j in jobs}) == len(jobs)  # fresh random numbers for every job
    np.testing.assert_allclose(a0[1:], a1[:-1], rtol=1e-12)  # contiguous, no restart
    # linear in the words done over the whole run
    done = np.concatenate([[0], np.cumsum(words)[:-1]])
    expected = ALPHA - (ALPHA - MIN_ALPHA) * done / (EPOCHS * n_words)
    np.testing.assert_allclose(a0, expected, rtol=1e-9)
    # at each epoch boundary the rate is the run's, not the epoch's
    for e in range(1, EPOCHS):
        k = int(np.searchsorted(done, e * n_words))
        assert done[k] == e * n_words
        assert a0[k] == pytest.approx(ALPHA - (ALPHA - MIN_ALPHA) * e / EPOCHS)


def test_the_schedule_does_not_depend_on_the_number_of_threads(monkeypatch):
    sentences = _sentences(seed=1)
    one = _record(monkeypatch, 1, sentences)
    four = _record(monkeypatch, 4, sentences)
    assert one == four  # the same rates, seeds and words per job


def test_the_exact_softmax_decays_once_across_epochs_and_batches(monkeypatch):
    rates: list[float] = []
    real = softmax.batch_step

    def batch_step(w_in, w_out, centers, ptr, ctx, alpha, model, mean=True):
        rates.append(float(alpha))
        return real(w_in, w_out, centers, ptr, ctx, alpha, model, mean)

    monkeypatch.setattr(softmax, "batch_step", batch_step)
    sentences = _sentences(400, seed=2)
    Word2Vec(
        model="skipgram", loss="softmax", dim=8, min_count=1, sample=0, epochs=EPOCHS,
        alpha=ALPHA, min_alpha=MIN_ALPHA, threads=1, batch_words=500, seed=2,
    ).fit(sentences)  # fmt: skip
    r = np.array(rates)
    assert len(r) > 20
    assert r[0] == pytest.approx(ALPHA, rel=1e-6)
    assert np.all(np.diff(r) < 0)  # strictly falling: no restart at a job or an epoch
    assert r[-1] < MIN_ALPHA + (ALPHA - MIN_ALPHA) * 0.05  # nearly at min_alpha at the end
    third = len(r) // EPOCHS  # an epoch's batches are a third of the run's
    assert r[third] == pytest.approx(ALPHA - (ALPHA - MIN_ALPHA) / EPOCHS, rel=0.05)
