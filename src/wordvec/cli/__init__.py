"""Command-line interface: a thin layer over the library.

One module per group of sub-commands (``train``, ``phrases``, ``misc``, ``vectors``). In each,
a sub-command has an ``_add_<name>(subparsers)`` that declares its options (and
sets ``func=_cmd_<name>``) and a ``_cmd_<name>(args) -> int`` that runs it;
``build_parser`` finds every ``_add_*`` function of the modules in ``_COMMAND_MODULES``
by name, in source order. A command checks every path it will write before any
work (:func:`wordvec.files.paths.check_paths`).

Errors end a command with one line on stderr and exit code 1: library errors
(:class:`wordvec.errors.WordvecError`) and OS errors (``wordvec: error: PATH:
reason``). Library messages name Python parameters (```min_count```,
``errors='replace'``); :func:`_cli_wording` rewrites those the sub-command has
as its options (``--min-count``, ``--errors replace``). Ctrl-C and SIGTERM end a
command with exit code 130 (an interrupted save leaves the previous file); a
closed pipe (``| head``) ends it quietly; a terminal that cannot show a character
gets an escape instead of a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence

from .._version import __version__
from ..errors import TrainingInterrupted, WordvecError
from . import misc, phrases, train, vectors
from ._common import os_message

# the order of ``wordvec --help``
_COMMAND_MODULES = (train, phrases, misc, vectors)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wordvec",
        description="word2vec: a checked NumPy reference and a fast multi-core engine.",
    )
    parser.add_argument("--version", action="version", version=f"wordvec {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    # every module-level ``_add_<name>`` function declares one sub-command, in source order
    for module in _COMMAND_MODULES:
        for name, fn in vars(module).items():
            if name.startswith("_add_") and callable(fn):
                fn(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = _subparser(parser, args.command)
    with _tolerant_streams(), _sigterm_interrupts():
        try:
            return int(args.func(args) or 0)
        except TrainingInterrupted as exc:
            _say(f"wordvec: {_cli_wording(str(exc), command)}")
            return 130
        except WordvecError as exc:
            _error(_cli_wording(str(exc), command))
            return 1
        except BrokenPipeError:  # e.g. `wordvec similar ... | head`: the reader has gone
            _silence_stdout()
            return 0
        except OSError as exc:  # a file that cannot be read or written
            _error(_cli_wording(os_message(exc), command))
            return 1
        except UnicodeError as exc:  # (the library names files; this is a last resort)
            _error(str(exc))
            return 1
        except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (see _sigterm_interrupts)
            _say("wordvec: interrupted")
            return 130


# --------------------------------------------------------------------------- messages
def _say(line: str) -> None:
    with contextlib.suppress(OSError):  # stderr itself may be gone
        print(line, file=sys.stderr)


def _error(message: str) -> None:
    for line in message.splitlines() or [""]:
        _say(f"wordvec: error: {line}")


def _subparser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[command]
    raise AssertionError("no sub-commands")  # pragma: no cover - build_parser makes them


def _cli_wording(message: str, command: argparse.ArgumentParser) -> str:
    """``message`` with the Python parameters it names spelled as ``command``'s options:
    ```min_count``` becomes ``--min-count`` and ``errors='replace'`` ``--errors replace``.
    Names the command has no option for are left as they are."""
    flags = {}
    for action in command._actions:
        long = [o for o in action.option_strings if o.startswith("--")]
        if long:
            flags[action.dest] = long[0]

    def backticked(m: re.Match) -> str:
        return flags.get(m.group(1), m.group(0))

    def assignment(m: re.Match) -> str:
        flag = flags.get(m.group(1))
        return f"{flag} {m.group(2)}" if flag else m.group(0)

    # (a parameter written `loss`='softmax' is one assignment: "--loss softmax", once)
    message = re.sub(r"`(\w+)`='([^']*)'", assignment, message)
    message = re.sub(r"`(\w+)`", backticked, message)
    return re.sub(r"(?<![\w-])(\w+)='([^']*)'", assignment, message)


# --------------------------------------------------------------------------- process state
@contextlib.contextmanager
def _tolerant_streams() -> Iterator[None]:
    """Print characters the terminal's encoding lacks as escapes (``caf\\xe9``), not as a
    UnicodeEncodeError; restored afterwards (main may run inside another program)."""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        errors = getattr(stream, "errors", None)
        if errors in (None, "backslashreplace") or not hasattr(stream, "reconfigure"):
            continue
        try:
            stream.reconfigure(errors="backslashreplace")
        except (ValueError, OSError, AttributeError):
            continue
        changed.append((stream, errors))
    try:
        yield
    finally:
        for stream, errors in changed:
            with contextlib.suppress(ValueError, OSError, AttributeError):
                stream.reconfigure(errors=errors)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every save in progress cleans up after itself."""


@contextlib.contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """While a command runs, SIGTERM interrupts it as Ctrl-C does (by default it would end
    the process at once, leaving a half-written temporary file behind)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _silence_stdout() -> None:
    """After a broken pipe, send what is left for stdout (the interpreter flushes it at
    exit) to the null device, so that the exit is quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


if __name__ == "__main__":
    sys.exit(main())
