"""The one table of gensim's training parameter names and wordvec's.

Every compat class that trains (``Word2Vec``, ``FastText``, which inherits its
configuration) builds wordvec's :class:`~wordvec.config.TrainConfig` from its
gensim-named attributes through :func:`to_config_values`, names gensim's
parameters in wordvec's messages through :func:`gensim_message`, and reads a
model file's configuration back into gensim's names through
:func:`from_config`. A parameter is renamed here and nowhere else.

The parameters whose values follow a gensim rule rather than a rename are
listed in ``RULED`` with the place the rule is applied; their names are in the
table too, so that messages and readers agree on them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RENAMED", "RULED", "to_config_values", "from_config", "gensim_message"]


def _same(value: Any) -> Any:
    return value


def _bool(value: Any) -> bool:
    return bool(value)


# (gensim name, wordvec name, read back from a TrainConfig as, gensim -> wordvec value,
#  wordvec -> gensim value)
RENAMED: tuple[tuple[str, str, str, Any, Any], ...] = (
    ("vector_size", "dim", "dim", _same, _same),
    ("alpha", "alpha", "start_alpha", _same, _same),
    ("window", "window", "window", _same, _same),
    ("min_alpha", "min_alpha", "end_alpha", _same, _same),
    ("seed", "seed", "seed", _same, _same),
    ("workers", "threads", "workers", _same, _same),
    ("max_vocab_size", "max_vocab", "max_vocab", _same, _same),
    ("ns_exponent", "ns_exponent", "ns_exponent", _same, _same),
    ("cbow_mean", "cbow_mean", "cbow_mean", _bool, int),
    ("shrink_windows", "shrink_windows", "shrink_windows", _bool, _same),
    ("batch_words", "batch_words", "batch_words", _same, _same),
)

# gensim name -> (wordvec name, where gensim's rule turns one into the other)
RULED: dict[str, tuple[str, str]] = {
    "sg": ("model", "compat.word2vec.Word2Vec._config: 1 -> 'skipgram', 0 -> 'cbow'"),
    "hs": ("loss", "compat.word2vec.Word2Vec._config, with `negative`"),
    "negative": ("negative", "compat.word2vec.Word2Vec._config (0 with hs=1)"),
    "min_count": ("min_count", "compat.word2vec.Word2Vec._config and compat._vocab"),
    "sample": ("sample", "compat.word2vec.Word2Vec._sample_fraction (gensim's sample >= 1)"),
    "epochs": ("epochs", "compat.word2vec.Word2Vec._config (train()'s epochs)"),
    "max_final_vocab": ("max_final_vocab", "compat._vocab (gensim's effective min_count)"),
}


def to_config_values(model: Any) -> dict[str, Any]:
    """The renamed parameters of ``model`` (gensim-named attributes) as TrainConfig
    keyword arguments."""
    return {ours: convert(getattr(model, theirs)) for theirs, ours, _, convert, _ in RENAMED}


def from_config(cfg: Any) -> dict[str, Any]:
    """The renamed parameters of a TrainConfig (as resolved for training) as gensim
    keyword arguments."""
    return {theirs: back(getattr(cfg, read)) for theirs, _, read, _, back in RENAMED}


def gensim_message(message: str) -> str:
    """A wordvec message about a parameter, naming it as gensim does (`dim` -> `vector_size`)."""
    for theirs, ours, *_ in RENAMED:
        if theirs != ours:
            message = message.replace(f"`{ours}`", f"`{theirs}`")
    return message
