"""gensim's ``gensim.utils`` names that user code passes to :mod:`wordvec.compat`.

A ``trim_rule`` (``Word2Vec(trim_rule=...)``, ``build_vocab(trim_rule=...)``,
``build_vocab_from_freq(trim_rule=...)``) is called as ``trim_rule(word, count,
min_count)`` and returns :data:`RULE_KEEP`, :data:`RULE_DISCARD` or
:data:`RULE_DEFAULT` (anything else counts as the default: ``count >= min_count``).
As in gensim, it decides which words the vocabulary keeps, and which survive the
pruning that ``max_vocab_size`` makes while counting; it is not kept with the
model, and never called while training.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["RULE_DEFAULT", "RULE_DISCARD", "RULE_KEEP", "keep_vocab_item"]

RULE_DEFAULT = 0
RULE_DISCARD = 1
RULE_KEEP = 2


def keep_vocab_item(
    word: str, count: int, min_count: int, trim_rule: Callable[..., Any] | None = None
) -> bool:
    """Whether the vocabulary keeps ``word`` seen ``count`` times (gensim's rule)."""
    default = count >= min_count
    if trim_rule is None:
        return default
    decision = trim_rule(word, count, min_count)
    if decision == RULE_KEEP:
        return True
    if decision == RULE_DISCARD:
        return False
    return default
