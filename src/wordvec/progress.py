"""Training progress on stderr: a tqdm bar on a terminal, plain lines anywhere else.

:class:`ProgressDisplay` is the ``progress`` callback of
:class:`wordvec.engine.train.Trainer`, which calls it with one dict per report:

``{"event": "progress", ...}``
    every quarter second during an epoch: ``epoch``, ``epochs`` (1-based epoch and
    their number), ``fraction`` (of the epoch's words read), ``words`` (read so far
    in the epoch), ``epoch_words``, ``seconds`` (since the epoch began),
    ``words_per_sec``, ``alpha`` (the learning rate) and ``loss`` (the epoch's mean
    loss so far, NaN before the first prediction);
``{"event": "epoch", ...}``
    once at the end of each epoch, with the same keys (``fraction`` 1);
``{"event": "compiling", "what": ..., "cache": ...}``, ``{"event": "compiled", ...}``
    before and after a kernel's first compilation (``what`` it is, the ``cache``
    directory, the ``seconds`` it took); nothing when it comes from Numba's cache.

On a terminal the whole run is one tqdm bar (overall percent, elapsed time and ETA,
the epoch, words/s, learning rate and loss) with a line left above it per finished
epoch. Elsewhere (a log file, a pipe, CI) there are no ``\\r`` updates: one plain
line per epoch, and one about every ``every`` seconds within a long epoch.
"""

from __future__ import annotations

import math
import sys
import time
from typing import IO, Any

__all__ = ["ProgressDisplay", "format_duration"]


def format_duration(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss`` (as tqdm shows elapsed time); ``?`` if unknown."""
    if not math.isfinite(seconds) or seconds < 0:
        return "?"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _loss(value: float) -> str:
    return f"{value:.4f}" if math.isfinite(value) else "-"


class ProgressDisplay:
    """Shows the reports of a training run on ``stream`` (default ``sys.stderr``).

    Parameters
    ----------
    stream : text stream, optional
    tty : bool, optional
        Draw a live bar (True) or write plain lines (False); default: whether
        ``stream`` is a terminal.
    every : float
        Plain-line mode: seconds between lines within an epoch (default 10).
    """

    def __init__(
        self, stream: IO[str] | None = None, *, tty: bool | None = None, every: float = 10.0
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if tty is None:
            isatty = getattr(self.stream, "isatty", None)
            tty = bool(isatty and isatty())
        self.tty = tty
        self.every = every
        self._bar: Any = None  # tqdm, created at the first report
        self._start: float | None = None  # clock and overall position at the first report
        self._start_pos = 0.0
        self._last_line: float | None = None  # plain-line mode: when the last line was written

    # ------------------------------------------------------------------ events
    def __call__(self, info: dict) -> None:
        event = info.get("event", "progress")
        if event == "compiling":
            where = f"; cached in {info['cache']}" if info.get("cache") else ""
            self._write(f"compiling the {info['what']} (first run only{where}) ...")
        elif event == "compiled":
            self._write(f"compiled the {info['what']} in {info['seconds']:.1f}s")
        elif event in ("progress", "epoch"):
            self._progress(info, event == "epoch")

    def close(self) -> None:
        """End the display (the bar stays on screen at its last state)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    # ------------------------------------------------------------------ internals
    def _position(self, info: dict) -> float:
        """Epochs done, as a float: 1.5 is half way through the second epoch."""
        return info["epoch"] - 1 + min(max(info["fraction"], 0.0), 1.0)

    def _eta(self, info: dict, now: float) -> tuple[float, float]:
        """(elapsed seconds, remaining seconds) of the run, from the pace since the first report."""
        pos = self._position(info)
        if self._start is None:
            self._start, self._start_pos = now, pos
        elapsed = now - self._start
        done = pos - self._start_pos
        remaining = elapsed * (info["epochs"] - pos) / done if done > 0 else math.nan
        return elapsed, remaining

    def _progress(self, info: dict, epoch_end: bool) -> None:
        if self.tty:  # tqdm keeps the time
            self._update_bar(info, epoch_end)
            return
        now = time.perf_counter()
        elapsed, remaining = self._eta(info, now)
        if self._last_line is None:  # the first line: `every` seconds in, or the epoch's end
            self._last_line = now
        if not epoch_end and now - self._last_line < self.every:
            return
        self._last_line = now
        self._write(
            f"epoch {info['epoch']}/{info['epochs']} {100 * info['fraction']:5.1f}%  "
            f"{info['words_per_sec'] / 1e3:,.0f}k words/s  lr {info['alpha']:.6f}  "
            f"loss {_loss(info['loss'])}  elapsed {format_duration(elapsed)}  "
            f"ETA {format_duration(remaining)}"
        )

    def _update_bar(self, info: dict, epoch_end: bool) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=float(info["epochs"]),
                initial=self._position(info),
                desc=f"epoch {info['epoch']}/{info['epochs']}",
                file=self.stream,
                dynamic_ncols=True,
                mininterval=0.2,
                bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}<{remaining}{postfix}",
            )
        bar = self._bar
        bar.set_description_str(f"epoch {info['epoch']}/{info['epochs']}", refresh=False)
        bar.set_postfix_str(
            f"{info['words_per_sec'] / 1e3:,.0f}k words/s, lr {info['alpha']:.6f}, "
            f"loss {_loss(info['loss'])}",
            refresh=False,
        )
        bar.update(self._position(info) - bar.n)
        if epoch_end:
            bar.write(
                f"epoch {info['epoch']}/{info['epochs']}: loss {_loss(info['loss'])}, "
                f"{info['words_per_sec'] / 1e3:,.0f}k words/s, {info['seconds']:.1f}s",
                file=self.stream,
            )

    def _write(self, line: str) -> None:
        if self._bar is not None:
            self._bar.write(line, file=self.stream)
        else:
            self.stream.write(line + "\n")
            self.stream.flush()
