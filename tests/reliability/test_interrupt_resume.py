"""Interruption and resume: Ctrl-C / SIGTERM / a kill during training lose no work.

The end-to-end tests start a real ``python -m wordvec train`` process on a
planted-structure corpus (two vocabularies that never share a sentence), signal
it once its progress shows the first epoch done, and check the checkpoint, the
message, the output file, and that ``--resume`` finishes a complete model as
good as an uninterrupted run. No test measures time: the signal is sent when the
process reports being mid-run, and the checks read where the checkpoint says it
stopped.

The API tests stop a one-thread run at a chosen job (a SIGINT raised from a
wrapped ``job_seed``, which the trainer calls once per job) and check that
resuming gives the same vectors as an uninterrupted run, bit for bit.
"""

from __future__ import annotations

import functools
import os
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from _child import child_env

import wordvec.engine.train as train_module
from wordvec.errors import CorpusError, FormatError, TrainingInterrupted
from wordvec.files.container import read_container
from wordvec.model import Word2Vec, _read
from wordvec.vectors import formats

GROUP = 40  # words per planted group
EPOCHS = 4
CLI_OPTIONS = [
    "--model", "skipgram", "--dim", "24", "--window", "5", "--min-count", "1",
    "--sample", "0", "--epochs", str(EPOCHS), "--threads", "2", "--seed", "3",
]  # fmt: skip
API_OPTIONS = dict(
    model="skipgram", dim=24, window=5, min_count=1, sample=0, epochs=EPOCHS, threads=2, seed=3
)
WAIT = 180  # seconds to wait for a subprocess event (first runs may compile the kernels)


# --------------------------------------------------------------------------- helpers
def planted_sentences(n: int, seed: int = 0, rare_every: int = 0) -> list[list[str]]:
    """Two vocabularies that never share a sentence; optionally a rare word now and then."""
    rng = np.random.default_rng(seed)
    groups = [[f"a{i}" for i in range(GROUP)], [f"b{i}" for i in range(GROUP)]]
    out = []
    for s in range(n):
        sentence = [groups[s % 2][i] for i in rng.integers(0, GROUP, 12)]
        if rare_every and s % rare_every == 0:
            sentence.append(f"rare{s}")  # below min_count=2: dropped, but in the id cache
        out.append(sentence)
    return out


def write_corpus(path: Path, sentences: list[list[str]]) -> Path:
    path.write_text("".join(" ".join(s) + "\n" for s in sentences))
    return path


def group_purity(words: list[str], vectors: np.ndarray, topn: int = 5) -> float:
    """Share of each word's nearest neighbours that come from its own planted group."""
    normed = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    sims = normed @ normed.T
    np.fill_diagonal(sims, -np.inf)
    nearest = np.argsort(-sims, axis=1)[:, :topn]
    return float(
        np.mean([[words[i][0] == words[j][0] for j in row] for i, row in enumerate(nearest)])
    )


class Train:
    """A ``wordvec train`` subprocess whose stderr is read as it comes."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wordvec", "train", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=child_env(),
        )
        self.err = b""
        self.out = b""
        self._seen = threading.Condition()
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stderr, "err"), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stdout, "out"), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _pump(self, stream, attr: str) -> None:
        for chunk in iter(lambda: os.read(stream.fileno(), 4096), b""):
            with self._seen:
                setattr(self, attr, getattr(self, attr) + chunk)
                self._seen.notify_all()
        with self._seen:
            self._seen.notify_all()

    def wait_for(self, predicate) -> None:
        """Block until ``predicate(self)`` holds; fail if the process ends first."""
        with self._seen:
            ok = self._seen.wait_for(
                lambda: predicate(self) or self.proc.poll() is not None, timeout=WAIT
            )
        assert ok and predicate(self), (
            f"the process ended or stalled before the awaited event (rc {self.proc.poll()}); "
            f"stderr: {self.err[-2000:]!r}"
        )

    def finish(self) -> int:
        rc = self.proc.wait(timeout=WAIT)
        for t in self._threads:
            t.join(timeout=WAIT)
        return rc


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wordvec", "train", *args],
        capture_output=True,
        env=child_env(),
        timeout=WAIT,
    )


@pytest.fixture(scope="module")
def planted(tmp_path_factory) -> Path:
    """50,000 sentences, 600,000 tokens: an epoch spans several progress reports."""
    return write_corpus(
        tmp_path_factory.mktemp("planted") / "planted.txt", planted_sentences(50_000)
    )


@pytest.fixture(scope="module")
def uninterrupted(planted) -> Word2Vec:
    return Word2Vec(**API_OPTIONS).fit(planted)


def _in_second_epoch(t: Train) -> bool:
    """The first epoch's closing line is out (stderr is a pipe, so the progress is one
    plain line per epoch): the second epoch has begun."""
    return f"epoch 1/{EPOCHS} 100.0%".encode() in t.err


def _no_temp_files(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.endswith(".tmp")]


def _check_checkpoint(ckpt: Path, first_epoch: int = 1) -> tuple[int, int]:
    """The checkpoint loads, says kind 'checkpoint', and stops strictly inside the run."""
    meta, _ = read_container(ckpt)
    assert meta["kind"] == "checkpoint"
    model, position, n_words, _ = _read(ckpt, want_position=True)
    assert first_epoch <= position.epoch < EPOCHS
    assert position.job >= 0
    assert n_words == 50_000 * 12
    assert len(model.loss_history_) == position.epoch
    assert len(model.vocab_) == 2 * GROUP
    return position.epoch, position.job


def _resume_and_compare(planted: Path, out: Path, ckpt: Path, uninterrupted: Word2Vec) -> None:
    """Resume from ``ckpt`` with the CLI: a complete model, as good as ``uninterrupted``."""
    done = run_cli(str(planted), "-o", str(out), "--resume", str(ckpt), "-q")
    assert done.returncode == 0, done.stderr.decode()
    kv = formats.load(out)
    assert sorted(kv.words) == sorted(uninterrupted.wv.words)  # a complete model
    assert kv.vectors.shape == (2 * GROUP, 24) and np.isfinite(kv.vectors).all()
    resumed = group_purity(kv.words, kv.vectors)
    reference = group_purity(uninterrupted.wv.words, uninterrupted.wv.vectors)
    assert reference > 0.95
    assert resumed >= reference - 0.02, (resumed, reference)
    # the last epoch's mean loss, as the CLI reports it, matches the uninterrupted run
    line = next(x for x in done.stdout.decode().splitlines() if "loss per epoch" in x)
    losses = [float(x) for x in line.split("loss per epoch:")[1].split(",")]
    assert len(losses) == EPOCHS
    assert losses[-1] == pytest.approx(uninterrupted.loss_history_[-1], rel=0.03)
    # the finished run removes the checkpoint it resumed from, whatever its name
    assert not ckpt.exists()


# --------------------------------------------------------------------------- the CLI, end to end
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_mid_epoch_writes_a_checkpoint_and_resume_finishes_the_run(
    signum, planted, uninterrupted, tmp_path
):
    out = tmp_path / "out.txt"
    ckpt = tmp_path / "out.txt.ckpt"
    previous = b"1 2\nprevious 0.5 0.25\n"
    if signum == signal.SIGINT:  # a previous output must survive; without one, none appears
        out.write_bytes(previous)
    run = Train(str(planted), "-o", str(out), *CLI_OPTIONS)
    run.wait_for(_in_second_epoch)
    run.proc.send_signal(signum)  # the second epoch has begun: epoch index >= 1
    assert run.finish() == 130
    message = run.err.decode().replace("\r", "\n").strip().splitlines()[-1]
    assert message.startswith("wordvec: training interrupted in epoch ")
    assert f"checkpoint written to '{ckpt}'" in message
    assert f"Resume with: wordvec train {planted} -o {out} --resume {ckpt}" in message
    if signum == signal.SIGINT:
        assert out.read_bytes() == previous
    else:
        assert not out.exists()
    assert _no_temp_files(tmp_path) == []
    _check_checkpoint(ckpt)
    _resume_and_compare(planted, out, ckpt, uninterrupted)


def test_periodic_checkpoints_survive_a_kill(planted, uninterrupted, tmp_path):
    """SIGKILL gives no chance to save: the last periodic checkpoint is what is left."""
    out = tmp_path / "out.bin"
    ckpt = tmp_path / "run.ckpt"
    run = Train(
        str(planted), "-o", str(out), "--checkpoint", str(ckpt), "--checkpoint-every", "0.05",
        *CLI_OPTIONS,
    )  # fmt: skip
    run.wait_for(lambda t: _in_second_epoch(t) and ckpt.exists())
    run.proc.send_signal(signal.SIGKILL)
    assert run.finish() == -signal.SIGKILL
    assert not out.exists()
    # A kill in the middle of a periodic save can leave its temporary file behind
    # (".run.ckpt.XXXX.tmp"); it is never the checkpoint, and it blocks nothing.
    leftovers = _no_temp_files(tmp_path)
    assert all(name.startswith(".run.ckpt.") for name in leftovers), leftovers
    _check_checkpoint(ckpt, first_epoch=0)  # the last save may predate the second epoch
    _resume_and_compare(planted, out, ckpt, uninterrupted)


def test_resume_refuses_another_corpus_with_a_one_line_error(tmp_path):
    sentences = planted_sentences(600)
    corpus = write_corpus(tmp_path / "corpus.txt", sentences)
    ckpt = tmp_path / "run.ckpt"
    _interrupted_fit(sentences, ckpt, dict(API_OPTIONS, threads=1, batch_words=500), stop=(1, 2))
    other = write_corpus(tmp_path / "other.txt", planted_sentences(600, seed=1))
    out = tmp_path / "out.txt"
    done = run_cli(str(other), "-o", str(out), "--resume", str(ckpt))
    assert done.returncode == 1
    lines = done.stderr.decode().strip().splitlines()
    # the run's first line (said at once, before the checkpoint is read), then one error line
    assert len(lines) == 2 and lines[0].startswith(f"resuming on {other} -> ")
    assert lines[1].startswith("wordvec: error: this corpus is not the one")
    assert "Traceback" not in done.stderr.decode()
    assert not out.exists() and ckpt.exists()  # nothing lost: resume on the right one still works
    assert run_cli(str(corpus), "-o", str(out), "--resume", str(ckpt), "-q").returncode == 0
    assert len(formats.load(out)) == 2 * GROUP


def test_resume_with_a_missing_checkpoint_is_a_one_line_error(tmp_path):
    corpus = write_corpus(tmp_path / "c.txt", planted_sentences(10))
    done = run_cli(
        str(corpus), "-o", str(tmp_path / "o.txt"), "--resume", str(tmp_path / "no.ckpt")
    )
    assert done.returncode == 1
    assert (
        done.stderr.decode().strip()
        == f"wordvec: error: {tmp_path / 'no.ckpt'}: No such file or directory"
    )


# --------------------------------------------------------------------------- the API, bit for bit
def _stop_at(monkeypatch, epoch: int, job: int) -> None:
    """Raise SIGINT (as Ctrl-C would) while the trainer prepares job ``job`` of ``epoch``."""
    real = train_module.job_seed

    def job_seed(seed: int, e: int, j: int) -> int:
        if (e, j) == (epoch, job):
            signal.raise_signal(signal.SIGINT)
        return real(seed, e, j)

    monkeypatch.setattr(train_module, "job_seed", job_seed)


def _interrupted_fit(sentences, ckpt: Path, options: dict, stop: tuple[int, int]) -> None:
    with pytest.MonkeyPatch.context() as mp:
        _stop_at(mp, *stop)
        with pytest.raises(TrainingInterrupted) as info:
            Word2Vec(**options).fit(sentences, checkpoint=ckpt)
    assert info.value.checkpoint == os.fspath(ckpt)
    assert "Word2Vec.resume(" in str(info.value)


def _interrupted_resume(ckpt: Path, sentences, stop: tuple[int, int]) -> None:
    with pytest.MonkeyPatch.context() as mp:
        _stop_at(mp, *stop)
        with pytest.raises(TrainingInterrupted):
            Word2Vec.resume(ckpt, sentences)


def _assert_same_weights(a: Word2Vec, b: Word2Vec) -> None:
    np.testing.assert_array_equal(a.w_in_, b.w_in_)
    np.testing.assert_array_equal(a.w_out_, b.w_out_)
    assert a.vocab_.words == b.vocab_.words
    # the interrupted epoch's loss counts the jobs before and after the resume
    np.testing.assert_allclose(a.loss_history_, b.loss_history_, rtol=1e-12)


ONE_THREAD = dict(dim=12, window=3, min_count=2, epochs=3, threads=1, seed=5, batch_words=400)


@pytest.mark.parametrize(
    "model,loss",
    [(m, l) for m in ("skipgram", "cbow") for l in ("neg", "hs", "softmax", "hs+neg")],
)
def test_one_thread_interrupt_and_resume_is_bit_identical(model, loss, tmp_path):
    sentences = planted_sentences(1500, rare_every=9)
    options = dict(ONE_THREAD, model=model, loss=loss)
    reference = Word2Vec(**options).fit(sentences)
    ckpt = tmp_path / "run.ckpt"
    _interrupted_fit(sentences, ckpt, options, stop=(1, 5))
    _, position, _, _ = _read(ckpt, want_position=True)
    assert position.epoch == 1 and 0 < position.job <= 5
    _assert_same_weights(Word2Vec.resume(ckpt, sentences), reference)


def test_interrupting_the_resumed_run_too_still_gives_the_same_vectors(tmp_path):
    sentences = planted_sentences(1500, rare_every=9)
    options = dict(ONE_THREAD, model="cbow", loss="neg")
    reference = Word2Vec(**options).fit(sentences)
    ckpt = tmp_path / "run.ckpt"
    _interrupted_fit(sentences, ckpt, options, stop=(0, 3))
    _interrupted_resume(ckpt, sentences, stop=(1, 7))  # the checkpoint is rewritten in place
    assert _read(ckpt, want_position=True)[1].epoch == 1
    _assert_same_weights(Word2Vec.resume(ckpt, sentences), reference)


def test_resume_reads_the_corpus_as_fit_did_across_chunk_boundaries(monkeypatch, tmp_path):
    """Jobs are cut per chunk of the id cache, which holds dropped (rare) words too.

    Re-encoding the text with the final vocabulary, as resume once did, moves every
    chunk boundary after the first and so shifts the job numbering: a real corpus
    (chunks of 2**21 tokens, rare words everywhere) resumed at the wrong place. Small
    chunks make that visible on a small corpus.
    """
    monkeypatch.setattr(
        train_module, "Trainer", functools.partial(train_module.Trainer, chunk_tokens=997)
    )
    sentences = planted_sentences(1500, rare_every=3)
    options = dict(ONE_THREAD, model="skipgram", loss="neg")
    reference = Word2Vec(**options).fit(sentences)
    ckpt = tmp_path / "run.ckpt"
    _interrupted_fit(sentences, ckpt, options, stop=(1, 20))
    _assert_same_weights(Word2Vec.resume(ckpt, sentences), reference)


def test_resume_after_vocabulary_pruning_is_bit_identical(tmp_path):
    sentences = planted_sentences(1500, rare_every=2)
    options = dict(ONE_THREAD, model="skipgram", loss="hs", max_vocab=70)
    reference = Word2Vec(**options).fit(sentences)
    ckpt = tmp_path / "run.ckpt"
    _interrupted_fit(sentences, ckpt, options, stop=(2, 4))
    _assert_same_weights(Word2Vec.resume(ckpt, sentences), reference)


def _shuffled(sentences):
    out = list(sentences)
    random.Random(0).shuffle(out)
    return out


@pytest.mark.parametrize(
    "change,match",
    [
        (lambda s: s[:-1], "occurs"),  # a line less: other counts
        (lambda s: s + [["a1", "b1"]], "occurs"),  # a line more
        (_shuffled, "the word counts agree, but not the text"),  # same counts, other order
        (lambda s: s + [["unseen", "words"]], "the word counts agree, but not the text"),
    ],
    ids=["shorter", "longer", "shuffled", "extra-rare-words"],
)
def test_resume_refuses_a_different_corpus(change, match, tmp_path):
    sentences = planted_sentences(600)
    options = dict(ONE_THREAD, model="cbow", loss="neg")
    ckpt = tmp_path / "run.ckpt"
    _interrupted_fit(sentences, ckpt, options, stop=(1, 1))
    with pytest.raises(CorpusError, match=match) as info:
        Word2Vec.resume(ckpt, change(sentences))
    assert "resume needs the same corpus" in str(info.value)


def test_a_finished_model_cannot_be_resumed(tmp_path):
    sentences = planted_sentences(200)
    m = Word2Vec(**dict(ONE_THREAD, epochs=1)).fit(sentences)
    m.save(tmp_path / "m.model")
    with pytest.raises(FormatError, match="not a checkpoint"):
        Word2Vec.resume(tmp_path / "m.model", sentences)


def test_without_a_checkpoint_path_the_interruption_says_progress_is_lost():
    sentences = planted_sentences(600)
    with pytest.MonkeyPatch.context() as mp:
        _stop_at(mp, 0, 1)
        with pytest.raises(TrainingInterrupted, match="progress is lost") as info:
            Word2Vec(**ONE_THREAD).fit(sentences)
    assert info.value.checkpoint is None


def test_signal_handlers_are_restored_after_training():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    Word2Vec(**dict(ONE_THREAD, epochs=1)).fit(planted_sentences(100))
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_a_second_ctrl_c_during_the_checkpoint_save_does_not_cut_it_short(tmp_path, monkeypatch):
    """People press Ctrl-C twice: the second one arrives while the checkpoint is written."""
    import wordvec.model as model_module

    real_write = model_module._write

    def impatient_write(*args, **kwargs):
        signal.raise_signal(signal.SIGINT)  # the second Ctrl-C, in the middle of the save
        real_write(*args, **kwargs)

    sentences = planted_sentences(1500, rare_every=9)
    options = dict(ONE_THREAD, model="skipgram", loss="neg")
    reference = Word2Vec(**options).fit(sentences)
    ckpt = tmp_path / "run.ckpt"
    with pytest.MonkeyPatch.context() as mp:
        _stop_at(mp, 1, 3)
        mp.setattr(model_module, "_write", impatient_write)
        with pytest.raises(TrainingInterrupted):  # not KeyboardInterrupt
            Word2Vec(**options).fit(sentences, checkpoint=ckpt)
    _assert_same_weights(Word2Vec.resume(ckpt, sentences), reference)


def test_a_checkpoint_of_a_finished_run_resumes_to_the_same_model_at_once(tmp_path):
    """What `wordvec train` leaves when it is interrupted while writing its outputs."""
    sentences = planted_sentences(300)
    m = Word2Vec(**dict(ONE_THREAD, epochs=2)).fit(sentences)
    ckpt = tmp_path / "done.ckpt"
    m.save_checkpoint(ckpt)
    meta, _ = read_container(ckpt)
    assert meta["kind"] == "checkpoint" and meta["position"]["epoch"] == 2
    with pytest.MonkeyPatch.context() as mp:  # nothing is trained again
        mp.setattr(train_module.Trainer, "train_shard", lambda *a, **k: pytest.fail("trained"))
        resumed = Word2Vec.resume(ckpt, sentences)
    _assert_same_weights(resumed, m)
    with pytest.raises(CorpusError, match="not the one"):
        Word2Vec.resume(ckpt, planted_sentences(300, seed=1))
