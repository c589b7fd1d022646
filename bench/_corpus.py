"""What the benchmarks share: cutting a corpus to its first N words."""

from __future__ import annotations

from pathlib import Path


def prefix_corpus(src: Path, words: int, dst: Path) -> int:
    """Copy whole lines of ``src`` to ``dst`` until ``words`` words; return the count."""
    n = 0
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin:
            fout.write(line)
            n += len(line.split())
            if n >= words:
                break
    return n
