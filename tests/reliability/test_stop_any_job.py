"""A stop request (SIGINT / SIGTERM) ends a run within seconds whatever the size of a job.

Jobs used to be indivisible: the trainer looked at the stop flag only between jobs,
so with a large ``batch_words`` (or one slow job) Ctrl-C waited for the whole job. Now a
running job gets ``STOP_GRACE`` seconds and is then cut short at its next center; it
counts as not done, so the checkpoint's position points at it.

No test here measures time. The jobs are sized to take minutes, and the tests check
that the run ended early all the same (by the position it reports, and because the
child process exits before a timeout far below the job's length).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import tempfile
import textwrap
import threading

import numpy as np
import pytest
from _child import child_env

from wordvec.config import TrainConfig
from wordvec.encoded import SENTENCE_END, EncodedCorpus
from wordvec.engine import kernels, softmax
from wordvec.engine.train import Interrupted, Trainer
from wordvec.model import _read
from wordvec.vocab import Vocab

V = 200


def _tokens(n_words: int, seed: int = 0) -> np.ndarray:
    ids = np.random.default_rng(seed).integers(0, V, n_words).astype(np.int32)
    ids = ids.reshape(-1, 1000)
    return np.concatenate([ids, np.full((len(ids), 1), SENTENCE_END, np.int32)], 1).ravel()


def _encoded(tokens: np.ndarray) -> EncodedCorpus:
    fh = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the corpus
    tokens.tofile(fh)
    fh.flush()
    remap = np.arange(V + 1, dtype=np.int32)
    remap[-1] = SENTENCE_END
    return EncodedCorpus(fh, remap, int(np.sum(tokens >= 0)))


def _trainer(**kw) -> Trainer:
    # per center: 40 inputs x 61 outputs x 400 dims, 0.1 ms or more: a job of 300,000
    # words takes a minute or more
    options = dict(
        model="skipgram", loss="neg", dim=400, window=20, negative=60, sample=0, min_count=1,
        epochs=1, batch_words=10_000_000, threads=1, shrink_windows=False,
    )  # fmt: skip
    options.update(kw)
    cfg = TrainConfig(**options).validate()
    vocab = Vocab([f"w{i}" for i in range(V)], np.arange(2 * V, V, -1))
    rng = np.random.default_rng(1)
    w_in = (rng.random((V, cfg.dim), dtype=np.float32) - 0.5) / cfg.dim
    return Trainer(cfg, vocab, w_in, np.zeros((V, cfg.dim), np.float32), stop=threading.Event())


def test_a_set_stop_flag_makes_a_job_return_at_once_flagged():
    t = _trainer()
    w_in, w_out = t.w_in.copy(), t.w_out.copy()
    t.tables.stop[0] = 1
    res = kernels.train_job(
        t.w_in, t.w_out, _tokens(5000), t.tables, t.hyper, 0.025, 0.02, 3, 10_000
    )
    assert res[4] == 1 and res[1] == 0  # stopped, nothing trained
    np.testing.assert_array_equal(t.w_in, w_in)
    np.testing.assert_array_equal(t.w_out, w_out)


@pytest.mark.parametrize("threads", [1, 2])
def test_a_stop_cuts_a_running_job_short_and_counts_it_not_done(monkeypatch, threads):
    t = _trainer(threads=threads, batch_words=150_000)  # one job per thread
    started = threading.Event()
    real = kernels.train_job
    results = []

    def train_job(*args):
        started.set()
        res = real(*args)
        results.append(res)
        return res

    monkeypatch.setattr(kernels, "train_job", train_job)

    def stop_once_running():
        started.wait()
        t.stop.set()

    threading.Thread(target=stop_once_running, daemon=True).start()
    corpus = _encoded(_tokens(300_000))
    try:
        with pytest.raises(Interrupted) as info:
            t.run(corpus)
    finally:
        corpus.close()
    assert info.value.position.epoch == 0
    assert info.value.position.job == 0  # the first job was cut: it is run again on resume
    assert info.value.position.partial == (0.0, 0.0, 0.0, 0.0)
    assert results and all(r[4] == 1 for r in results)  # every running job was cut short
    assert t.tables.stop[0] == 0  # cleared for the next run


def test_a_stop_cuts_an_exact_softmax_job_between_batches(monkeypatch):
    t = _trainer(loss="softmax", negative=0, dim=8)
    real = softmax.batch_step
    calls = []

    def batch_step(*args, **kw):
        calls.append(1)
        t.stop.set()  # after the first batch
        return real(*args, **kw)

    monkeypatch.setattr(softmax, "batch_step", batch_step)
    corpus = _encoded(_tokens(20_000))
    try:
        with pytest.raises(Interrupted) as info:
            t.run(corpus)
    finally:
        corpus.close()
    assert len(calls) == 1
    assert (info.value.position.job, info.value.position.partial) == (0, (0.0, 0.0, 0.0, 0.0))


CHILD = textwrap.dedent(
    """
    import logging
    import sys
    import numpy as np
    import wordvec.engine.train
    from wordvec.errors import TrainingInterrupted
    # the progress log line at every report (every quarter second): the parent waits for one
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    wordvec.engine.train.LOG_EVERY = 0.0
    from wordvec.model import Word2Vec
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(200)]
    sentences = [[words[i] for i in rng.integers(0, 200, 1000)] for _ in range(600)]
    model = Word2Vec(model="skipgram", dim=400, window=20, negative=60, sample=0, min_count=1,
                     epochs=1, threads=2, batch_words=10_000_000, shrink_windows=False)
    try:
        model.fit(sentences, checkpoint=sys.argv[1])
    except TrainingInterrupted as exc:
        print(exc)
        sys.exit(3)
    sys.exit(0)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_a_run_whose_one_job_takes_minutes(signum, tmp_path):
    """600,000 words in one job at 0.1 ms a word or more: a minute or more; the child
    must be gone well before the job could have finished (and say it was interrupted)."""
    ckpt = tmp_path / "run.ckpt"
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ckpt)],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        seen = b""
        while b"epoch 1/1: " not in seen:  # a progress report: the job is running
            chunk = proc.stderr.read1(4096)
            assert chunk, f"the child ended before training: {seen[-2000:]!r}"
            seen += chunk
        proc.send_signal(signum)
        out, _ = proc.communicate(timeout=25)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 3, out
    assert b"training interrupted in epoch 1" in out
    _, position, _, _ = _read(ckpt, want_position=True)
    assert (position.epoch, position.job) == (0, 0)
