"""The progress display (terminal and plain lines) and the ``wordvec`` logger."""

from __future__ import annotations

import fcntl
import io
import logging
import math
import os
import pty
import re
import struct
import sys
import termios
import threading
import tty
import types

import numpy as np
import pytest

import wordvec.progress as progress_module
from wordvec.cli import main
from wordvec.model import Word2Vec
from wordvec.progress import ProgressDisplay, format_duration

EPOCHS = 3


@pytest.fixture
def corpus(tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    path = tmp_path / "corpus.txt"
    path.write_text("".join(" ".join(rng.choice(words, 12)) + "\n" for _ in range(600)))
    return path


def _fit(corpus, **kw):
    options = dict(model="skipgram", dim=8, min_count=1, epochs=EPOCHS, threads=1, seed=2)
    return Word2Vec(**(options | kw)).fit(corpus, handle_signals=False)


class Clock:
    """Stands in for ``time`` in wordvec.progress: the test moves it."""

    def __init__(self) -> None:
        self.now = 100.0

    def perf_counter(self) -> float:
        return self.now


def _report(epoch: int, fraction: float, event: str = "progress", epochs: int = EPOCHS) -> dict:
    return {
        "event": event,
        "epoch": epoch,
        "epochs": epochs,
        "fraction": fraction,
        "words": int(1000 * fraction),
        "epoch_words": 1000,
        "seconds": 2.0 * fraction,
        "words_per_sec": 12_345.0,
        "alpha": 0.025 * (1 - (epoch - 1 + fraction) / epochs),
        "loss": 2.5 - 0.1 * epoch if fraction > 0.05 else math.nan,
    }


def _run(display: ProgressDisplay, clock: Clock, steps: int = 8, seconds: float = 2.0) -> None:
    """Feed a three-epoch run: ``steps`` reports per epoch, ``seconds`` apart, then its end."""
    for epoch in range(1, EPOCHS + 1):
        for k in range(steps):
            clock.now += seconds
            display(_report(epoch, k / steps))
        clock.now += seconds
        display(_report(epoch, 1.0, "epoch"))
    display.close()


# --------------------------------------------------------------------------- plain lines
def test_without_a_terminal_one_plain_line_per_epoch(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress_module, "time", clock)
    out = io.StringIO()
    _run(ProgressDisplay(out, tty=False, every=60.0), clock)  # epochs shorter than `every`
    text = out.getvalue()
    assert "\r" not in text
    lines = text.splitlines()
    assert len(lines) == EPOCHS
    for epoch, line in enumerate(lines, 1):
        assert line.startswith(f"epoch {epoch}/{EPOCHS} 100.0%  12k words/s  lr 0.0")
        assert f"loss {2.5 - 0.1 * epoch:.4f}" in line
    # 18 s per epoch, timed from the first report, 2 s in: the whole run's elapsed and
    # remaining time
    assert lines[0].endswith("elapsed 0:16  ETA 0:32")
    assert lines[-1].endswith("elapsed 0:52  ETA 0:00")


def test_without_a_terminal_a_long_epoch_gets_a_line_every_period(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress_module, "time", clock)
    out = io.StringIO()
    # reports 2 s apart, a line at most every 5 s: every third report, and the epoch's end
    _run(ProgressDisplay(out, tty=False, every=5.0), clock, steps=8)
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    first = [line for line in lines if line.startswith("epoch 1/3")]
    assert [line.split()[2] for line in first] == ["37.5%", "75.0%", "100.0%"]
    assert len(lines) > EPOCHS
    # with no prediction yet there is no loss to show, nor a pace to extrapolate
    out = io.StringIO()
    ProgressDisplay(out, tty=False, every=0.0)(_report(1, 0.0))
    assert out.getvalue().endswith("loss -  elapsed 0:00  ETA ?\n")


def test_compile_notices_are_shown():
    out = io.StringIO()
    display = ProgressDisplay(out, tty=False)
    display({"event": "compiling", "what": "cbow + neg training kernel", "cache": "/c/dir"})
    display({"event": "compiled", "what": "cbow + neg training kernel", "seconds": 7.25})
    assert out.getvalue().splitlines() == [
        "compiling the cbow + neg training kernel (first run only; cached in /c/dir) ...",
        "compiled the cbow + neg training kernel in 7.2s",
    ]


def test_format_duration():
    assert format_duration(0) == "0:00"
    assert format_duration(61.4) == "1:01"
    assert format_duration(3 * 3600 + 62) == "3:01:02"
    assert format_duration(math.nan) == format_duration(-1) == "?"


def test_fit_with_progress_writes_one_line_per_epoch_to_a_pipe(corpus, capsys):
    _fit(corpus, progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "\r" not in captured.err
    epochs = [line for line in captured.err.splitlines() if line.startswith("epoch ")]
    assert [line.split()[:2] for line in epochs] == [
        ["epoch", f"{e}/{EPOCHS}"] for e in range(1, EPOCHS + 1)
    ]
    assert all(" 100.0% " in line and "ETA" in line for line in epochs)


def test_the_library_prints_nothing_unless_asked(corpus, capsys):
    model = _fit(corpus)
    model.wv.most_similar("w1")
    assert capsys.readouterr() == ("", "")


# --------------------------------------------------------------------------- terminal
def test_on_a_terminal_a_bar_with_elapsed_time_and_eta(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(progress_module, "time", clock)
    out = io.StringIO()
    _run(ProgressDisplay(out, tty=True), clock)
    text = out.getvalue()
    assert "\r" in text  # a live line
    screen = text.replace("\r", "\n")
    assert re.search(
        r"epoch 2/3 +\d+%\|.*\| \d+:\d\d<\d+:\d\d, 12k words/s, lr 0\.0\d+, loss", screen
    )
    assert "epoch 3/3 100%|" in screen
    # a line per finished epoch stays above the bar
    for epoch in range(1, EPOCHS + 1):
        assert f"epoch {epoch}/{EPOCHS}: loss {2.5 - 0.1 * epoch:.4f}, 12k words/s, 2.0s\n" in text


def test_cli_on_a_pseudo_terminal_draws_a_tqdm_bar(corpus, tmp_path, monkeypatch, capsys):
    master, slave = pty.openpty()
    tty.setraw(slave)  # no "\n" -> "\r\n" translation: every "\r" read is the bar's
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    received = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the slave side was closed
                return
            if not chunk:
                return
            received.append(chunk)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    with os.fdopen(slave, "w", encoding="utf-8") as terminal:
        assert terminal.isatty()
        monkeypatch.setattr(sys, "stderr", terminal)
        out = tmp_path / "v.txt"
        options = ["--model", "skipgram", "--dim", "8", "--min-count", "1", "--threads", "1"]
        rc = main(["train", str(corpus), "-o", str(out), "--epochs", "2", *options])
    reader.join(timeout=30)
    os.close(master)
    assert rc == 0
    text = b"".join(received).decode()
    assert "\r" in text
    assert "epoch 2/2 100%|" in text
    assert "epoch 1/2: loss " in text and "epoch 2/2: loss " in text
    assert "trained a vocabulary of 40 words x 8 dims" in capsys.readouterr().out


# --------------------------------------------------------------------------- logging
def test_the_wordvec_logger_reports_vocabulary_training_epochs_and_end(corpus, caplog):
    caplog.set_level(logging.INFO, logger="wordvec")
    _fit(corpus)
    records = [r for r in caplog.records if r.name.startswith("wordvec")]
    messages = [r.getMessage() for r in records]
    assert all(r.levelno == logging.INFO for r in records)
    vocab = [m for m in messages if m.startswith("vocabulary:")]
    assert vocab == ["vocabulary: 40 words with min_count=1, of 40 distinct; 7200 of the 7200 "
                     "tokens (100.0%) in 600 sentences"]  # fmt: skip
    start = [m for m in messages if m.startswith("training ")]
    assert len(start) == 1
    assert start[0].startswith("training skipgram with negative sampling (5 negatives): 40 words")
    assert "3 epochs of 7200 words" in start[0]
    epochs = [m for m in messages if re.match(r"epoch \d/3: loss \d+\.\d{4}, 7200 words", m)]
    assert [m.split(":")[0] for m in epochs] == ["epoch 1/3", "epoch 2/3", "epoch 3/3"]
    assert all(m.endswith("words/s") for m in epochs)
    end = [m for m in messages if m.startswith("trained ")]
    assert len(end) == 1 and end[0].startswith("trained 3 epochs: 21600 words in ")
    assert messages.index(vocab[0]) < messages.index(start[0]) < messages.index(epochs[0])
    assert messages.index(epochs[-1]) < messages.index(end[0])


def test_log_lines_go_only_where_logging_sends_them(corpus, capsys):
    logger = logging.getLogger("wordvec")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        _fit(corpus, loss="hs", model="cbow")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert capsys.readouterr() == ("", "")
    lines = stream.getvalue().splitlines()
    assert sum(line.startswith("epoch ") for line in lines) == EPOCHS
    assert any(line.startswith("training cbow with hierarchical softmax") for line in lines)


def test_display_ignores_unknown_events():
    out = io.StringIO()
    display = ProgressDisplay(out, tty=False)
    display({"event": "something new"})
    display.close()
    assert out.getvalue() == ""


def test_default_stream_is_stderr_and_tty_follows_it(monkeypatch):
    fake = types.SimpleNamespace(isatty=lambda: True, write=None, flush=None)
    monkeypatch.setattr(sys, "stderr", fake)
    display = ProgressDisplay()
    assert display.stream is fake and display.tty
    assert not ProgressDisplay(io.StringIO()).tty


def test_every_log_line_gives_words_per_second_by_one_definition(corpus, caplog):
    """Words/s is the words read (before sub-sampling) over the seconds the epochs trained
    (compilation and the time between epochs excluded), in the engine's epoch and end lines
    and in compat's (gensim-style) ones alike: with sub-sampling dropping words, compat's
    lines gave kept words/s, and its end line divided by the call's whole wall time."""
    from wordvec.compat import Word2Vec as GensimWord2Vec

    caplog.set_level(logging.INFO, logger="wordvec")
    model = GensimWord2Vec(corpus_file=str(corpus), vector_size=8, min_count=1, epochs=2,
                           workers=1, sample=1e-2, seed=3)  # fmt: skip
    stats = model._history
    assert len(stats) == 2 and all(s.kept < s.words for s in stats)  # sub-sampling dropped some
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("wordvec")]

    def figures(pattern: str) -> list[int]:
        return [int(m.group(1)) for m in map(re.compile(pattern).search, messages) if m]

    want = [round(s.words / s.seconds) for s in stats]
    overall = round(sum(s.words for s in stats) / sum(s.seconds for s in stats))
    assert figures(r"^epoch \d/2: loss .* (\d+) words/s$") == want  # the engine's epochs
    assert figures(r"^EPOCH \d: .* (\d+) (?:raw )?words/s") == want  # compat's epochs
    assert figures(r"^trained 2 epochs: .* (\d+) words/s") == [overall]  # the engine's end
    assert figures(r"^training on \d+ raw words .* (\d+) (?:raw )?words/s") == [overall]
