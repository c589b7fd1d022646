"""`wordvec train` never loses a file: paths checked before any work, checkpoints removed
only when this run wrote them or resumed from them, and an interrupted final save
still leaves a checkpoint and the command that resumes it."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.files.atomic import TEMP_NAME_EXTRA, atomic_write
from wordvec.model import Word2Vec
from wordvec.vectors import formats

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from _child import child_env  # noqa: E402

FAST = ["-q", "--dim", "8", "--epochs", "2", "--min-count", "1", "--threads", "1"]
FAST += ["--sample", "0", "--neighbours", "a1"]


def corpus_text(n: int = 60, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    return "".join(
        " ".join(f"{'ab'[s % 2]}{i}" for i in rng.integers(0, 12, 8)) + "\n" for s in range(n)
    )


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.txt"
    path.write_text(corpus_text())
    return path


@pytest.fixture
def no_training(monkeypatch):
    """Fail the test if training (or resuming) starts: checks come before any work."""

    def boom(*args, **kwargs):
        raise AssertionError("training started before the paths were checked")

    monkeypatch.setattr(Word2Vec, "fit", boom)
    monkeypatch.setattr(Word2Vec, "resume", boom)
    monkeypatch.setattr("wordvec.reference.trainer.run_course_experiment", boom)


def one_error_line(capsys, *needles: str) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("wordvec: error: "), lines[0]
    assert "Traceback" not in captured.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob("*.tmp"))


# --------------------------------------------------------------------------- refused before work
@pytest.mark.parametrize("flag", ["-o", "--save-model", "--checkpoint"])
def test_no_output_may_be_the_corpus(flag, corpus, tmp_path, capsys, no_training):
    before = corpus.read_bytes()
    args = ["train", str(corpus), *FAST, flag, str(corpus)]
    if flag != "-o":
        args += ["-o", str(tmp_path / "v.txt")]
    assert main(args) == 1
    one_error_line(capsys, f"wordvec: error: {corpus}: ", flag)
    assert corpus.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["corpus.txt"]


def test_no_output_may_reach_the_corpus_through_a_link(corpus, tmp_path, capsys, no_training):
    (tmp_path / "link.txt").symlink_to(corpus)
    assert main(["train", str(corpus), *FAST, "-o", str(tmp_path / "link.txt")]) == 1
    one_error_line(capsys, str(tmp_path / "link.txt"))


@pytest.mark.parametrize(
    "outputs",
    [["--checkpoint", "v.bin", "-o", "v.bin"], ["-o", "v.txt", "--save-model", "v.txt"]],
    ids=["checkpoint=output", "model=output"],
)
def test_two_outputs_may_not_be_one_file(outputs, corpus, tmp_path, capsys, no_training):
    args = [str(tmp_path / a) if "." in a else a for a in outputs]
    assert main(["train", str(corpus), *FAST, *args]) == 1
    one_error_line(capsys, str(tmp_path / outputs[1]))
    assert sorted(os.listdir(tmp_path)) == ["corpus.txt"]


def test_no_output_may_go_inside_the_corpus_directory(tmp_path, capsys, no_training):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(corpus_text())
    ckpt = ["--checkpoint", str(tmp_path / "c.ckpt")]  # (else OUTPUT.ckpt is a second line)
    assert main(["train", str(texts), *FAST, "-o", str(texts / "vec.txt"), *ckpt]) == 1
    one_error_line(capsys, str(texts / "vec.txt"), "inside")
    assert sorted(os.listdir(texts)) == ["a.txt"]


@pytest.mark.parametrize("link", ["symlink", "hard link"])
@pytest.mark.parametrize("command", ["train", "phrases", "train --spark"])
def test_no_output_may_be_read_through_a_link_in_the_corpus_directory(
    command, link, tmp_path, capsys, no_training
):
    """DIR/link -> F: `wordvec ... DIR -o F` would read F as corpus, then replace it."""
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(corpus_text())
    out = tmp_path / "vectors.txt"
    out.write_text("precious\n")
    if link == "symlink":
        (texts / "b.txt").symlink_to(out)
    else:
        os.link(out, texts / "b.txt")
    args = [command.split()[0], str(texts), "-o", str(out)]
    if command.startswith("train"):
        args += FAST
    if command.endswith("--spark"):
        pytest.importorskip("pyspark")
        args += ["--spark", "local[1]"]
    assert main(args) == 1
    one_error_line(capsys, f"{out}: ", str(texts))
    assert out.read_text() == "precious\n"


def test_outputs_that_cannot_be_written_are_refused_before_training(
    corpus, tmp_path, capsys, no_training
):
    (tmp_path / "adir").mkdir()
    out = ["-o", str(tmp_path / "v.txt")]
    cases = [
        (["-o", str(tmp_path / "adir")], f"{tmp_path / 'adir'}: "),  # not the hidden temp name
        ([*out, "--save-model", str(tmp_path / "no" / "m.wvec")], f"{tmp_path / 'no'}"),
        ([*out, "--checkpoint", str(tmp_path / "no" / "c")], f"{tmp_path / 'no' / 'c'}: "),
        ([*out, "--tmp-dir", str(tmp_path / "none")], f"{tmp_path / 'none'}: "),
        ([*out, "--tmp-dir", str(corpus)], "not a directory"),
    ]
    for options, needle in cases:
        assert main(["train", str(corpus), *FAST, *options]) == 1
        line = one_error_line(capsys, needle)
        assert ".tmp" not in line
    assert sorted(os.listdir(tmp_path)) == ["adir", "corpus.txt"]


def test_output_names_too_long_for_the_temporary_file_are_refused_first(
    corpus, tmp_path, capsys, no_training
):
    limit = os.pathconf(tmp_path, "PC_NAME_MAX")
    long_out = tmp_path / ("v" * (limit - TEMP_NAME_EXTRA - 4) + ".txt")  # fits exactly
    assert main(["train", str(corpus), *FAST, "-o", str(long_out)]) == 1
    # ... but its default checkpoint, OUTPUT.ckpt, does not
    one_error_line(capsys, f"{long_out}.ckpt: ", "--checkpoint", str(limit))
    too_long = tmp_path / ("v" * (limit - TEMP_NAME_EXTRA - 3) + ".txt")
    ckpt = ["--checkpoint", str(tmp_path / "c.ckpt")]
    assert main(["train", str(corpus), *FAST, "-o", str(too_long), *ckpt]) == 1
    one_error_line(capsys, f"{too_long}: ", "-o")


def test_an_existing_file_that_is_no_checkpoint_is_not_overwritten(
    corpus, tmp_path, capsys, no_training
):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    out = str(tmp_path / "v.txt")
    assert main(["train", str(corpus), *FAST, "-o", out, "--checkpoint", str(notes)]) == 1
    one_error_line(capsys, f"{notes}: ", "not a wordvec checkpoint")
    assert notes.read_text() == "my notes"


def test_the_reference_engine_checks_its_paths_too(corpus, tmp_path, capsys, no_training):
    out = str(tmp_path / "v.txt")
    assert main(["train", str(corpus), "--engine", "reference", "-o", out, "--plot", out]) == 1
    one_error_line(capsys, out, "--plot")
    plot = str(tmp_path / "no" / "p.png")
    assert main(["train", str(corpus), "--engine", "reference", "-o", out, "--plot", plot]) == 1
    one_error_line(capsys, plot)


# --------------------------------------------------------------------------- checkpoints removed
def test_a_finished_run_keeps_a_checkpoint_it_did_not_write(corpus, tmp_path, capsys):
    out = tmp_path / "v.txt"
    earlier = tmp_path / "v.txt.ckpt"  # left by an earlier, interrupted run
    Word2Vec(dim=8, min_count=1, epochs=2, threads=1).fit(corpus).save_checkpoint(earlier)
    before = earlier.read_bytes()
    assert main(["train", str(corpus), *FAST, "-o", str(out)]) == 0
    assert earlier.read_bytes() == before
    assert len(formats.load(out)) == 24


def test_a_finished_run_removes_the_checkpoints_it_wrote(corpus, tmp_path):
    out, ckpt = tmp_path / "v.txt", tmp_path / "run.ckpt"
    args = [str(corpus), *FAST, "-o", str(out), "--checkpoint", str(ckpt)]
    assert main(["train", *args, "--checkpoint-every", "1e-9"]) == 0  # one after every job
    assert out.exists() and not ckpt.exists()
    assert sorted(os.listdir(tmp_path)) == ["corpus.txt", "v.txt"]


@pytest.mark.parametrize("every", [None, "1e-9"], ids=["no checkpoint", "periodic checkpoints"])
def test_a_finished_run_keeps_a_checkpoint_another_run_wrote_meanwhile(
    every, corpus, tmp_path, monkeypatch
):
    """Run A starts with no checkpoint at its path; run B (another process) is stopped
    with Ctrl-C and writes its checkpoint there while A trains; A, once finished, must
    not delete B's checkpoint (it may delete only a checkpoint it wrote itself). The
    same on Spark: tests/spark/test_spark_cli.py."""
    keeps_another_runs_checkpoint(corpus, tmp_path, monkeypatch, every)


def keeps_another_runs_checkpoint(corpus, tmp_path, monkeypatch, every, *options) -> None:
    ckpt = tmp_path / "shared.ckpt"
    other = tmp_path / "other"
    other.mkdir()
    Word2Vec(dim=8, min_count=1, epochs=2, threads=1).fit(corpus).save_checkpoint(other / "b")
    theirs = (other / "b").read_bytes()
    real_save = formats.save

    def save_after_run_b(kv, path, *args, **kwargs):
        # B's checkpoint appears, written by another process (no call of this one's)
        (other / "b.tmp").write_bytes(theirs)
        os.replace(other / "b.tmp", ckpt)
        return real_save(kv, path, *args, **kwargs)

    monkeypatch.setattr(formats, "save", save_after_run_b)
    args = ["train", str(corpus), *FAST, "-o", str(tmp_path / "v.txt"), "--checkpoint", str(ckpt)]
    if every:
        args += ["--checkpoint-every", every]
    assert main([*args, *options]) == 0
    assert ckpt.read_bytes() == theirs


def test_a_finished_resume_removes_the_checkpoint_it_resumed_from(corpus, tmp_path, capsys):
    ckpt = tmp_path / "any-name.ckpt"
    model = Word2Vec(dim=8, min_count=1, epochs=2, threads=1).fit(corpus)
    model.save_checkpoint(ckpt)
    out = tmp_path / "v.bin"
    assert main(["train", str(corpus), "-o", str(out), "--resume", str(ckpt), "-q"]) == 0
    assert not ckpt.exists()
    np.testing.assert_array_equal(formats.load(out).vectors, model.wv.vectors)


def test_a_resumed_run_takes_no_other_checkpoint_path(corpus, tmp_path, capsys, no_training):
    ckpt = tmp_path / "run.ckpt"
    ckpt.write_bytes(b"")
    out = str(tmp_path / "v.txt")
    args = ["train", str(corpus), "-o", out, "--resume", str(ckpt)]
    assert main([*args, "--checkpoint", str(tmp_path / "other.ckpt")]) == 1
    one_error_line(capsys, "--checkpoint", "--resume")


# --------------------------------------------------------------------------- interrupted saves
def _interrupting_save(monkeypatch, which: str):
    """Make the vectors save (``formats.save``) or the model save (``Word2Vec.save``) get a
    Ctrl-C half-way through writing its file."""
    real = {"vectors": formats.save, "model": Word2Vec.save}[which]

    def interrupted(obj, path, *args, **kwargs):
        with atomic_write(path, "wb") as fh:
            fh.write(b"half of it")
            raise KeyboardInterrupt

    if which == "vectors":
        monkeypatch.setattr(formats, "save", interrupted)
    else:
        monkeypatch.setattr(Word2Vec, "save", interrupted)
    return real


@pytest.mark.parametrize("which", ["vectors", "model"])
def test_ctrl_c_during_the_final_save_leaves_a_checkpoint_and_the_resume_command(
    which, corpus, tmp_path, capsys, monkeypatch
):
    out, model = tmp_path / "v.txt", tmp_path / "m.wvec"
    out.write_text("previous vectors")
    with monkeypatch.context() as mp:
        _interrupting_save(mp, which)
        rc = main(["train", str(corpus), *FAST, "-o", str(out), "--save-model", str(model)])
    assert rc == 130
    err = capsys.readouterr().err.strip().splitlines()
    ckpt = tmp_path / "v.txt.ckpt"
    assert len(err) == 1 and f"checkpoint written to '{ckpt}'" in err[0], err
    command = f"wordvec train {corpus} -o {out} --resume {ckpt} --save-model {model}"
    assert err[0].endswith(f"Resume with: {command}")
    if which == "vectors":
        assert out.read_text() == "previous vectors"  # the old file, not half of the new
    assert ckpt.exists() and temp_files(tmp_path) == []
    # the resume command writes the outputs without training again, then tidies up
    assert main(command.split()[1:] + ["-q"]) == 0
    trained = formats.load(out)
    assert len(trained) == 24 and Word2Vec.load(model).wv.words == trained.words
    assert not ckpt.exists() and temp_files(tmp_path) == []


def test_a_failed_final_save_keeps_the_trained_model_in_the_checkpoint(
    corpus, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "v.txt"

    def full_disk(kv, path, *args, **kwargs):
        with atomic_write(path, "wb") as fh:
            fh.write(b"half of it")
            raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as mp:
        mp.setattr(formats, "save", full_disk)
        assert main(["train", str(corpus), *FAST, "-o", str(out)]) == 1
    ckpt = tmp_path / "v.txt.ckpt"
    command = f"wordvec train {corpus} -o {out} --resume {ckpt}"
    line = one_error_line(capsys, f"wordvec: error: {out}: No space left on device; ")
    assert line.endswith(f"write the outputs with: {command}")
    assert ckpt.exists() and not out.exists() and temp_files(tmp_path) == []
    assert main(command.split()[1:] + ["-q"]) == 0
    assert len(formats.load(out)) == 24 and not ckpt.exists()


SIGTERM_CHILD = textwrap.dedent(
    """
    import os, signal, sys, time
    from wordvec.vectors import formats
    from wordvec.files.atomic import atomic_write
    from wordvec.cli import main

    def save(kv, path, format=None):
        with atomic_write(path, "wb") as fh:
            fh.write(b"half of it")
            fh.flush()
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(60)  # the signal arrives long before this ends
            fh.write(b"the rest")

    formats.save = save
    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.parametrize("command", ["train", "convert"])
def test_sigterm_during_a_save_leaves_the_old_file_and_no_temporary_file(command, corpus, tmp_path):
    out = tmp_path / "v.txt"
    out.write_text("previous vectors")
    if command == "train":
        args = ["train", str(corpus), *FAST, "-o", str(out)]
    else:
        formats.save(Word2Vec(dim=4, min_count=1, epochs=1).fit(corpus).wv, tmp_path / "in.bin")
        args = ["convert", str(tmp_path / "in.bin"), str(out)]
    done = subprocess.run(
        [sys.executable, "-c", SIGTERM_CHILD, *args],
        capture_output=True,
        env=child_env(),
        timeout=300,
    )
    err = done.stderr.decode()
    assert done.returncode == 130 and "Traceback" not in err, err
    assert out.read_text() == "previous vectors"
    assert temp_files(tmp_path) == []
    if command == "train":
        assert (tmp_path / "v.txt.ckpt").exists()
        assert f"--resume {tmp_path / 'v.txt.ckpt'}" in err


# --------------------------------------------------------------------------- stdin
class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_with_vocabulary_pruning_trains_in_one_pass(tmp_path, monkeypatch, capsys):
    text = corpus_text(200) + "".join(f"rare{i} " for i in range(300)) + "\n"
    (tmp_path / "c.txt").write_text(text)
    options = [*FAST, "--max-vocab", "40", "--seed", "3", "--min-count", "2"]
    assert main(["train", str(tmp_path / "c.txt"), "-o", str(tmp_path / "file.bin"), *options]) == 0
    monkeypatch.setattr(sys, "stdin", _FakeStdin(text.encode()))
    assert main(["train", "-", "-o", str(tmp_path / "stdin.bin"), *options]) == 0
    from_file, from_stdin = (
        formats.load(tmp_path / "file.bin"),
        formats.load(tmp_path / "stdin.bin"),
    )
    assert from_stdin.words == from_file.words and len(from_file) == 24
    np.testing.assert_array_equal(from_stdin.vectors, from_file.vectors)
    assert sys.stdin.buffer.tell() == len(text.encode())  # read once, to the end


def test_an_unwritable_id_cache_is_named_with_the_option_that_moves_it(
    corpus, tmp_path, capsys, monkeypatch
):
    resource = pytest.importorskip("resource")
    out = tmp_path / "v.bin"
    assert main(["train", str(corpus), *FAST, "-o", str(out)]) == 0  # compiled and cached
    out.unlink()
    capsys.readouterr()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (256, hard))  # Python ignores SIGXFSZ: EFBIG
    try:
        rc = main(["train", str(corpus), *FAST, "-o", str(out), "--tmp-dir", str(tmp_path)])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert rc == 1
    line = one_error_line(capsys, f"wordvec: error: {tmp_path}: File too large", "--tmp-dir")
    assert "requested" not in line
    assert not out.exists()


def test_a_vectors_file_too_large_for_the_system_is_named(corpus, tmp_path, capsys):
    resource = pytest.importorskip("resource")
    out = tmp_path / "v.txt"
    args = ["train", str(corpus), *FAST, "-o", str(out), "--dim", "40"]
    assert main(args) == 0
    size = out.stat().st_size  # about 10 kB; the id cache is 2 kB
    out.write_text("previous")
    capsys.readouterr()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, hard))
    try:
        rc = main(args)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert rc == 1
    one_error_line(capsys, f"wordvec: error: {out}: File too large")
    assert out.read_text() == "previous" and temp_files(tmp_path) == []


def test_main_restores_the_signal_handlers_it_installs(corpus):
    # main turns SIGTERM into an interruption for its own run only
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    main(["gradcheck"])
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
