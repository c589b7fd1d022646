"""Every sub-command answers a mistake with one line, `wordvec: error: PATH: reason`, and
exit code 1: a missing or unreadable input, an output that cannot be written, undecodable
bytes, a damaged vectors file. No traceback, and every hint names an option of the CLI."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.files.container import read_container
from wordvec.vectors import formats
from wordvec.vectors.keyedvectors import KeyedVectors

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reliability"))
from _child import child_env  # noqa: E402

WORDS = ["king", "queen", "man", "woman", "café", "paris", "france", "rome", "italy"]


@pytest.fixture
def kv() -> KeyedVectors:
    rng = np.random.default_rng(0)
    return KeyedVectors(WORDS, rng.standard_normal((len(WORDS), 6)).astype(np.float32))


@pytest.fixture
def vec(kv, tmp_path) -> Path:
    path = tmp_path / "v.wvec"
    formats.save(kv, path)
    return path


def error_line(capsys, *needles: str) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("wordvec: error: ") and "Traceback" not in captured.err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def api_spelling(line: str) -> bool:
    """Whether a message names a Python-API option instead of a CLI one."""
    return any(s in line for s in ("errors='", "unicode_errors", "`format`", "format="))


# --------------------------------------------------------------------------- missing inputs
def vectors_commands(path: str, out: Path) -> dict[str, list[str]]:
    return {
        "similar": ["similar", path, "king"],
        "analogy": ["analogy", path, "man", "king", "woman"],
        "evaluate": ["evaluate", path],
        "convert": ["convert", path, str(out / "out.txt")],
        "plot": ["plot", path, "king", "queen", "-o", str(out / "p.png")],
    }


@pytest.mark.parametrize("command", ["similar", "analogy", "evaluate", "convert", "plot"])
def test_a_missing_vectors_file_is_one_line(command, tmp_path, capsys):
    for name in ("missing.bin", "missing.txt", "missing.wvec", "missing.data"):
        missing = str(tmp_path / name)
        assert main(vectors_commands(missing, tmp_path)[command]) == 1
        line = error_line(capsys, f"wordvec: error: {missing}: ")
        assert "No such file" in line
    assert sorted(os.listdir(tmp_path)) == []


@pytest.mark.parametrize("command", ["similar", "analogy", "evaluate", "convert", "plot"])
def test_a_directory_as_vectors_file_is_one_line(command, tmp_path, capsys):
    (tmp_path / "d.bin").mkdir()
    assert main(vectors_commands(str(tmp_path / "d.bin"), tmp_path)[command]) == 1
    error_line(capsys, f"wordvec: error: {tmp_path / 'd.bin'}: ")


def test_train_and_resume_with_a_missing_input_are_one_line(tmp_path, capsys):
    out = str(tmp_path / "v.txt")
    assert main(["train", str(tmp_path / "nope.txt"), "-o", out]) == 1
    error_line(capsys, f"wordvec: error: {tmp_path / 'nope.txt'}: ")
    (tmp_path / "c.txt").write_text("a b c\n" * 10)
    assert main(["train", str(tmp_path / "c.txt"), "-o", out, "--resume", "no.ckpt"]) == 1
    error_line(capsys, "wordvec: error: no.ckpt: No such file")


@pytest.mark.parametrize("option", ["--analogies", "--similarity"])
def test_missing_evaluation_files_are_one_line(option, vec, tmp_path, capsys):
    missing = str(tmp_path / "q.txt")
    assert main(["evaluate", str(vec), option, missing]) == 1
    error_line(capsys, f"wordvec: error: {missing}: No such file")


def test_a_bad_seed_is_one_line(vec, tmp_path, capsys):
    assert main(["gradcheck", "--seed", "-1"]) == 1
    error_line(capsys, "--seed must be an int >= 0; got -1.")
    out = str(tmp_path / "p.png")
    args = ["plot", str(vec), "king", "queen", "-o", out, "--method", "tsne", "--seed", "-1"]
    assert main(args) == 1
    error_line(capsys, "--seed must be an int >= 0; got -1.")


# --------------------------------------------------------------------------- outputs
@pytest.mark.parametrize("command", ["convert", "plot"])
def test_an_output_that_cannot_be_written_is_refused_before_reading(
    command, vec, tmp_path, capsys, monkeypatch
):
    def no_load(*args, **kwargs):
        raise AssertionError("the input was read before the output was checked")

    monkeypatch.setattr(formats, "load", no_load)
    (tmp_path / "adir.png").mkdir()
    (tmp_path / "adir.txt").mkdir()
    ext = ".png" if command == "plot" else ".txt"
    for out in (tmp_path / "missing" / f"o{ext}", tmp_path / f"adir{ext}", vec):
        args = vectors_commands(str(vec), tmp_path)[command]
        args[-1] = str(out)  # the output is the last argument of both
        assert main(args) == 1
        error_line(capsys, f"wordvec: error: {out}: ")
    assert sorted(os.listdir(tmp_path)) == ["adir.png", "adir.txt", "v.wvec"]


def test_convert_output_too_large_for_the_system_is_named(vec, tmp_path, capsys):
    resource = pytest.importorskip("resource")
    out = tmp_path / "o.txt"
    out.write_text("previous")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))  # Python ignores SIGXFSZ: EFBIG
    try:
        rc = main(["convert", str(vec), str(out)])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert rc == 1
    error_line(capsys, f"wordvec: error: {out}: File too large")
    assert out.read_text() == "previous"
    assert sorted(os.listdir(tmp_path)) == ["o.txt", "v.wvec"]


# --------------------------------------------------------------------------- pipes and terminals
def test_a_closed_pipe_ends_quietly(vec):
    """`wordvec similar ... | head -1`: head exits first; wordvec must not complain."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wordvec", "similar", str(vec), "king", "-n", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    proc.stdout.close()  # the reader is gone before wordvec writes a byte
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and err == b""


def test_a_terminal_that_cannot_show_a_word_gets_an_escape(vec, monkeypatch):
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", stderr)
    assert main(["similar", str(vec), "king", "-n", "8"]) == 0  # café among them
    assert main(["similar", str(vec), "crème"]) == 1
    stdout.flush()
    stderr.flush()
    assert "caf\\xe9" in stdout.buffer.getvalue().decode("ascii")
    assert "cr\\xe8me" in stderr.buffer.getvalue().decode("ascii")


# --------------------------------------------------------------------------- decoding and hints
def test_undecodable_bytes_hint_at_the_cli_option_and_it_works(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_bytes(b"a b c\n" * 20 + b"bad \xff word\n")
    out = str(tmp_path / "v.txt")
    args = ["train", str(corpus), "-o", out, "-q", "--dim", "4", "--min-count", "1"]
    args += ["--sample", "0"]
    assert main(args) == 1
    line = error_line(capsys, f"{corpus}: invalid UTF-8 at byte 124", "--errors replace")
    assert not api_spelling(line)
    assert main([*args, "--errors", "replace", "--epochs", "1"]) == 0
    assert "\ufffd" in formats.load(out).words

    vectors = tmp_path / "v2.txt"
    vectors.write_bytes(b"2 2\nok 1 2\nbad\xff 3 4\n")
    for command in (["similar", str(vectors), "ok"], ["convert", str(vectors), out]):
        assert main(command) == 1
        line = error_line(capsys, f"{vectors}: line 3", "--errors replace")
        assert not api_spelling(line)
        assert main([*command, "--errors", "replace"]) == 0
    capsys.readouterr()
    assert main(["similar", str(vectors), "ok", "--errors", "ignore", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0][0] == "bad"


def test_an_unknown_extension_hints_at_the_cli_options(vec, tmp_path, capsys):
    data = tmp_path / "vectors.data"
    formats.save(formats.load(vec), data, format="word2vec-bin")
    assert main(["similar", str(data), "king"]) == 1
    line = error_line(capsys, f"{data}: ", "--format")
    assert not api_spelling(line)
    assert main(["similar", str(data), "king", "--format", "word2vec-bin"]) == 0
    assert main(["convert", str(data), str(tmp_path / "o.txt")]) == 1
    line = error_line(capsys, f"{data}: ", "--from")
    assert not api_spelling(line)
    assert main(["convert", str(vec), str(tmp_path / "o.data")]) == 1
    line = error_line(capsys, f"{tmp_path / 'o.data'}: ", "--to")
    assert not api_spelling(line)
    assert main(["train", "c.txt", "-o", str(tmp_path / "o.data")]) == 1
    line = error_line(capsys, f"{tmp_path / 'o.data'}: ", ".bin")
    assert not api_spelling(line)


# --------------------------------------------------------------------------- damaged vectors
def damage(path: Path, row: int, value: float = np.nan) -> None:
    """Overwrite one value of a .wvec file's vectors in place (a damaged disk, an editor)."""
    meta, arrays = read_container(path)
    offset = arrays["vectors"].offset + (row * arrays["vectors"].shape[1]) * 4
    del arrays
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(np.float32(value).tobytes())


@pytest.mark.parametrize(
    "args",
    [
        ["similar", "{v}", "king"],
        ["analogy", "{v}", "man", "king", "woman"],
        ["evaluate", "{v}"],
        ["plot", "{v}", "king", "paris", "-o", "{d}/p.png"],
        ["convert", "{v}", "{d}/o.txt"],
        ["convert", "{v}", "{d}/o.wvec"],
    ],
    ids=["similar", "analogy", "evaluate", "plot", "convert-txt", "convert-wvec"],
)
def test_a_vectors_file_damaged_after_it_was_written_is_refused(args, vec, tmp_path, capsys):
    damage(vec, WORDS.index("paris"))
    args = [a.format(v=vec, d=tmp_path) for a in args]
    assert main(args) == 1
    error_line(capsys, f"wordvec: error: {vec}: ", "'paris'")
    assert sorted(os.listdir(tmp_path)) == ["v.wvec"]  # nothing written


def test_evaluation_without_answerable_questions_says_n_a(vec, tmp_path, capsys):
    questions = tmp_path / "q.txt"
    questions.write_text(": capitals\nathens greece berlin germany\n")
    assert main(["evaluate", str(vec), "--analogies", str(questions)]) == 0
    out = capsys.readouterr().out
    assert "0.00%" not in out and "n/a" in out
    assert main(["evaluate", str(vec), "--analogies", str(questions), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["analogy"]["accuracy"] is None


def test_a_byte_order_mark_is_not_part_of_the_first_word(tmp_path, capsys):
    headerless = tmp_path / "glove.txt"
    headerless.write_bytes(b"\xef\xbb\xbfking 1 0\nqueen 0.9 0.1\n")
    assert main(["similar", str(headerless), "king", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0][0] == "queen"


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1e-6"])
def test_a_tolerance_no_error_can_meet_is_refused(value, capsys, monkeypatch):
    """--tolerance nan used to report every gradient as failed."""

    def boom(*args, **kwargs):
        raise AssertionError("the checks ran")

    import importlib

    module = importlib.import_module("wordvec.reference.gradcheck")  # (a function's name too)
    monkeypatch.setattr(module, "gradient_checks", boom)
    assert main(["gradcheck", f"--tolerance={value}"]) == 1
    error_line(capsys, f"--tolerance must be a finite float >= 0; got {float(value)!r}")


def test_a_parameter_set_to_a_value_reads_as_the_option(tmp_path, capsys):
    """`loss`='softmax' read "----loss softmax": the option once, with its value."""
    from wordvec.cli import _cli_wording, _subparser, build_parser

    train = _subparser(build_parser(), "train")
    assert _cli_wording("`loss`='softmax' is refused", train) == "--loss softmax is refused"
    assert _cli_wording("use loss='neg' or `min_count`", train) == "use --loss neg or --min-count"
    pytest.importorskip("pyspark")
    (tmp_path / "c.txt").write_text("a b c\n" * 10)
    args = ["train", str(tmp_path / "c.txt"), "-o", str(tmp_path / "v.txt"), "--loss", "softmax"]
    assert main([*args, "--spark", "local[1]"]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith("wordvec: error: --loss softmax (the exact softmax)"), line


def test_reference_weights_too_large_for_memory_are_one_line(tmp_path, capsys):
    """--engine reference --dim 2000000000 was NumPy's MemoryError traceback."""
    sst = (
        Path(__file__).resolve().parents[2].parent
        / "shared"
        / "data"
        / "sst"
        / "datasetSentences.txt"
    )
    if not sst.exists():
        pytest.skip(f"{sst} not found")
    out = tmp_path / "v.txt"
    args = ["train", str(sst), "--engine", "reference", "--dim", "2000000000", "-o", str(out)]
    assert main([*args, "-q"]) == 1
    line = error_line(capsys, "--dim=2000000000", "GiB", "lower --dim")
    assert "Traceback" not in line
    assert not out.exists()
