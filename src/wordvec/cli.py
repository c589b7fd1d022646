"""Command-line interface: a thin layer over the library.

Each sub-command has an ``_add_<name>(subparsers)`` that declares its options
(and sets ``func=_cmd_<name>``) and a ``_cmd_<name>(args) -> int`` that runs it;
``build_parser`` finds every ``_add_*`` function by name. Library errors
(:class:`wordvec.errors.WordvecError`) become one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import TrainingInterrupted, WordvecError

# --------------------------------------------------------------------------- commands
# (each block: _add_X declares the sub-command, _cmd_X runs it)

# --------------------------------------------------------------------------- wiring

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wordvec",
        description="word2vec: a checked NumPy reference and a fast multi-core engine.",
    )
    parser.add_argument("--version", action="version", version=f"wordvec {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    # every module-level ``_add_<name>`` function declares one sub-command, in source order
    for name, fn in list(globals().items()):
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
