"""`wordvec train`: the main job, the reference engine, and errors before any work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.vectors.formats import load

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SST = SHARED / "data" / "sst" / "datasetSentences.txt"


def _planted(path: Path, n=1500, seed=0) -> Path:
    rng = np.random.default_rng(seed)
    lines = []
    for s in range(n):
        g = "ab"[s % 2]
        lines.append(" ".join(f"{g}{i}" for i in rng.integers(0, 20, 10)))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_train_writes_vectors_and_prints_neighbours(tmp_path, capsys):
    corpus = _planted(tmp_path / "c.txt")
    out = tmp_path / "v.txt"
    rc = main(
        [
            "train",
            str(corpus),
            "-o",
            str(out),
            "--model",
            "skipgram",
            "--dim",
            "12",
            "--min-count",
            "1",
            "--sample",
            "0",
            "--epochs",
            "2",
            "--quiet",
            "--neighbours",
            "a1,zzz",
        ]
    )
    assert rc == 0
    text = capsys.readouterr().out
    assert "vectors written to" in text and "a1:" in text and "not in the vocabulary" in text
    kv = load(out)
    assert len(kv) == 40 and kv.dim == 12
    assert [w[0] for w, _ in kv.most_similar("a3", topn=5)] == ["a"] * 5
    assert not (tmp_path / "v.txt.ckpt").exists()  # a finished run leaves no checkpoint


def test_the_command_line_starts_without_numpy_or_numba():
    """The parser is built and the first line printed before the engine is imported."""
    import subprocess
    import sys

    code = (
        "import sys; from wordvec.cli import build_parser; "
        "build_parser().parse_args(['train', '-o', 'v.bin']); "
        "print(sorted(m for m in ('numba', 'numpy', 'wordvec.model') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_the_first_line_names_the_corpus_and_the_summary_the_vocabulary(tmp_path, capsys):
    corpus = _planted(tmp_path / "c.txt")
    out = tmp_path / "v.txt"
    rc = main(["train", str(corpus), "-o", str(out), "--dim", "8", "--min-count", "1",
               "--epochs", "1"])  # fmt: skip
    assert rc == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines()[0] == f"training on {corpus} -> {out}"
    assert "trained a vocabulary of 40 words x 8 dims" in captured.out


def test_loss_hs_neg_trains_both_objectives(tmp_path, capsys):
    from wordvec.model import Word2Vec

    corpus = _planted(tmp_path / "c.txt")
    out = tmp_path / "v.bin"
    args = ["train", str(corpus), "-o", str(out), "--loss", "hs+neg", "--negative", "3"]
    args += ["--dim", "8", "--min-count", "1", "--epochs", "1", "--quiet", "--save-model"]
    rc = main(args + [str(tmp_path / "m.wvm")])
    assert rc == 0, capsys.readouterr()
    m = Word2Vec.load(tmp_path / "m.wvm")
    assert m.config.loss == "hs+neg" and m.config.negative == 3
    assert m.w_out_.shape == (2 * len(m.vocab_) - 1, 8)
    rc = main(["train", str(corpus), "-o", str(out), "--loss", "hs", "--negative", "3"])
    assert rc != 0 and "hs+neg" in capsys.readouterr().err


def test_the_main_job_trains_on_the_shipped_corpus(tmp_path):
    out = tmp_path / "vectors.bin"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "wordvec",
            "train",
            "-o",
            str(out),
            "--epochs",
            "1",
            "--dim",
            "20",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "king:" in res.stdout and "vectors written to" in res.stdout
    kv = load(out)
    assert len(kv) > 10_000 and "king" in kv and "whale" in kv


def test_bad_output_name_fails_before_training(tmp_path, capsys):
    corpus = _planted(tmp_path / "c.txt", n=10)
    rc = main(["train", str(corpus), "-o", str(tmp_path / "v.xyz"), "--quiet"])
    assert rc == 1
    err = capsys.readouterr().err
    assert err.startswith("wordvec: error:") and "v.xyz" in err and err.count("\n") == 1


@pytest.mark.skipif(not SST.exists(), reason="needs ../shared/data/sst")
@pytest.mark.filterwarnings("ignore:skipping .* not in the vocabulary")
def test_reference_engine_runs_the_course_experiment(tmp_path, capsys):
    small = tmp_path / "sst.txt"
    small.write_text("".join(SST.read_text(encoding="utf-8").splitlines(True)[:400]))
    out, png = tmp_path / "sst.txt.vec", tmp_path / "words.png"
    rc = main(
        [
            "train",
            str(small),
            "--engine",
            "reference",
            "--model",
            "skipgram",
            "--iterations",
            "60",
            "-o",
            str(out),
            "--plot",
            str(png),
            "--quiet",
        ]
    )
    assert rc == 0
    text = capsys.readouterr().out
    assert "first smoothed loss" in text and "plot written to" in text
    kv = load(out)
    assert kv.dim == 10 and "good" in kv
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
