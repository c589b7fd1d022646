"""Numerical health: a diverging run stops with a message naming ``alpha``, and writes nothing.

A learning rate far too large makes the loss or the weights overflow within the
first jobs. Training must stop with :class:`TrainingError` (suggesting a
smaller ``alpha``) for every model and loss, instead of returning or writing
NaN vectors; the CLI then exits 1 with one line and leaves no file behind.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.errors import TrainingError
from wordvec.model import Word2Vec

COMBOS = [(m, l) for m in ("skipgram", "cbow") for l in ("neg", "hs", "softmax")]
HUGE_ALPHA = 1e30


def sentences(n: int = 300) -> list[list[str]]:
    rng = np.random.default_rng(0)
    return [[f"w{i}" for i in rng.integers(0, 30, 12)] for _ in range(n)]


@pytest.mark.parametrize("model,loss", COMBOS)
def test_a_huge_alpha_is_a_training_error_naming_alpha(model, loss):
    m = Word2Vec(model=model, loss=loss, alpha=HUGE_ALPHA, dim=8, min_count=1, epochs=2, threads=1)
    with pytest.raises(TrainingError) as info:
        m.fit(sentences())
    message = str(info.value)
    assert "non-finite" in message
    assert "try a smaller `alpha`" in message
    assert "alpha=1e+30" in message


@pytest.mark.parametrize("loss", ["neg", "hs", "softmax"])
def test_cli_divergence_is_one_line_exit_1_and_leaves_no_file(loss, tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("".join(" ".join(s) + "\n" for s in sentences()))
    out = tmp_path / "out.bin"
    rc = main(
        ["train", str(corpus), "-o", str(out), "--loss", loss, "--alpha", str(HUGE_ALPHA),
         "--dim", "8", "--min-count", "1", "--epochs", "2", "--threads", "2", "-q"]
    )  # fmt: skip
    assert rc == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("wordvec: error: ")
    assert "try a smaller --alpha" in err
    assert sorted(os.listdir(tmp_path)) == ["corpus.txt"]  # no vectors, checkpoint or temp file


def test_a_sane_alpha_trains_to_finite_weights():
    """The same setting with the default alpha is healthy: the check does not fire falsely."""
    m = Word2Vec(model="skipgram", loss="neg", dim=8, min_count=1, epochs=2, threads=1)
    m.fit(sentences())
    assert np.isfinite(m.w_in_).all() and np.isfinite(m.w_out_).all()
    assert all(np.isfinite(m.loss_history_))
