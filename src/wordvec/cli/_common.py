"""What several sub-commands share: the vectors-file options and their checks."""

from __future__ import annotations

import argparse
import os

from ..errors import ConfigError

FORMATS = ["word2vec-bin", "word2vec-text", "native"]
EXTENSIONS = ".bin (word2vec binary), .txt or .vec (word2vec text) or .wvec (native)"
VECTORS_HELP = (
    "vectors file: .bin (word2vec binary, or a fastText model: any word then gets a vector "
    "from its n-grams), .txt / .vec (word2vec text), .wvec (native)"
)


def errors_option(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--errors",
        choices=["strict", "replace", "ignore"],
        default="strict",
        help=f"bytes of {what} that are not UTF-8: stop with an error (strict, the "
        "default), replace them with U+FFFD, or ignore them",
    )


def vectors_options(p: argparse.ArgumentParser) -> None:
    """The vectors file to read and how: VECTORS, --format, --errors."""
    p.add_argument("vectors", help=VECTORS_HELP)
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="format of VECTORS (default: from its extension)",
    )
    errors_option(p, "the words of a word2vec file")


def vectors_format(path: str, format: str | None, flag: str | None, *, reading: bool) -> str:
    """The format of vectors file ``path``; for an unknown extension, the message names
    the option ``flag`` that gives the format (if the command has one)."""
    from ..formats import resolve_format

    try:
        return resolve_format(path, format, reading=reading)
    except ConfigError:
        option = f", or pass {flag} {'|'.join(FORMATS)}" if flag else ""
        raise ConfigError(
            f"{os.fspath(path)}: cannot tell the format of the vectors file from its "
            f"extension; name it {EXTENSIONS}{option}"
        ) from None


def load_vectors(args: argparse.Namespace):
    """The KeyedVectors of ``args.vectors`` (memory-mapped when native: checked lazily)."""
    from ..formats import load

    fmt = vectors_format(args.vectors, args.format, "--format", reading=True)
    return load(args.vectors, format=fmt, mmap=True, errors=args.errors)


def os_message(exc: OSError) -> str:
    """``PATH: reason`` (or the reason alone, for an error that names no file)."""
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    name = exc.filename
    return f"{os.fsdecode(name) if isinstance(name, bytes) else name}: {reason}"
