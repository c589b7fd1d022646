"""Command-line interface: a thin layer over the library.

One module per group of sub-commands (``train``, ``misc``, ``vectors``). In each,
a sub-command has an ``_add_<name>(subparsers)`` that declares its options (and
sets ``func=_cmd_<name>``) and a ``_cmd_<name>(args) -> int`` that runs it;
``build_parser`` finds every ``_add_*`` function of the modules in ``_COMMAND_MODULES``
by name, in source order. Library errors (:class:`wordvec.errors.WordvecError`)
become one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .._version import __version__
from ..errors import TrainingInterrupted, WordvecError
from . import misc, train, vectors

# the order of ``wordvec --help``
_COMMAND_MODULES = (train, misc, vectors)


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
    try:
        return int(args.func(args) or 0)
    except TrainingInterrupted as exc:
        print(f"wordvec: {exc}", file=sys.stderr)
        return 130
    except WordvecError as exc:
        print(f"wordvec: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("wordvec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `wordvec similar ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
