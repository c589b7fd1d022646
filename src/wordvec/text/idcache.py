"""The id cache, and :class:`Scan`, the scan stage's result that holds it.

A scan (:mod:`wordvec.text.scan`) gives every distinct token a *provisional* id, in
first-seen order, and writes the corpus as those ids to an anonymous temporary
file: int32, native byte order, ``SENTENCE_END`` (-1) after every sentence.
Both scanners (the compiled one for text files, :mod:`wordvec.text.fastscan`, and
the Python one) write it byte for byte the same; the encoded-corpus stage
(:mod:`wordvec.encoded`) maps it to final ids on every epoch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

import numpy as np

__all__ = ["Scan", "SENTENCE_END", "CACHE_WRITE"]

SENTENCE_END = -1  # in both the provisional cache and the final id stream
CACHE_WRITE = "writing the temporary id cache"  # what an error of the cache file says


@dataclass
class Scan:
    """Result of the counting pass: provisional words and counts plus the id cache.

    Close it (or use it as a context manager) to delete the cache file.
    """

    words: list[str]  # provisional id -> word
    counts: np.ndarray  # provisional id -> count (int64)
    n_tokens: int  # tokens seen (all words, before min_count)
    n_sentences: int
    cache: IO[bytes] | None  # int32 provisional ids, -1 ends a sentence; None after pruning
    pruned: bool
    # CRC-32 of the provisional id stream: with the words, it identifies the corpus
    # (order included), so that a checkpoint can refuse to resume on another text
    fingerprint: int = 0

    @property
    def identity(self) -> dict[str, int]:
        """What identifies the text read: token and sentence counts, id-stream CRC-32."""
        return {
            "tokens": int(self.n_tokens),
            "sentences": int(self.n_sentences),
            "crc32": int(self.fingerprint),
        }

    def close(self) -> None:
        """Delete the id cache (if any)."""
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> Scan:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
