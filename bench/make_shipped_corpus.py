"""Rebuild ``src/wordvec/data/public-domain-books.txt.xz`` from the shared corpus.

The shipped corpus is the shared ``public-domain-books.txt`` (the books one after
another) with its lines in a fixed shuffled order: trained in book order, the last
epoch's loss rose (the last books differ from the first), which reads as a bug; on
shuffled lines the loss of the README's main job falls every epoch. The order is
deterministic (``numpy.random.default_rng(SEED).permutation``), so the file can be
rebuilt bit for bit:

    python bench/make_shipped_corpus.py [--source PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import lzma
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "data" / "corpora" / "public-domain-books.txt"
OUT = HERE.parent / "src" / "wordvec" / "data" / "public-domain-books.txt.xz"
SEED = 20261208


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--source", type=Path, default=SOURCE)
    p.add_argument("--out", type=Path, default=OUT)
    args = p.parse_args(argv)
    lines = args.source.read_text(encoding="utf-8").splitlines(keepends=True)
    order = np.random.default_rng(SEED).permutation(len(lines))
    text = "".join(lines[i] for i in order.tolist()).encode("utf-8")
    args.out.write_bytes(lzma.compress(text, preset=9 | lzma.PRESET_EXTREME))
    print(f"{len(lines)} lines shuffled (seed {SEED}) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
