"""gensim 4.x ``Phrases`` / ``FrozenPhrases`` (``Phraser``), backed by :mod:`wordvec.phrases`.

>>> from wordvec.compat import Phrases, ENGLISH_CONNECTOR_WORDS  # from gensim.models.phrases
>>> bigram = Phrases(sentences, min_count=5, threshold=10.0,
...                  connector_words=ENGLISH_CONNECTOR_WORDS)  # doctest: +SKIP
>>> bigram[["new", "york", "is", "big"]]  # doctest: +SKIP
['new_york', 'is', 'big']

The constructor, defaults, methods, attributes and return shapes are gensim's:
``phrases[sentence]`` is a list of str, ``phrases[corpus]`` a lazy re-iterable
(one pass for an iterator, as in gensim), ``export_phrases()`` and
``find_phrases(sentences)`` dicts ``{phrase: score}``, ``analyze_sentence`` yields
``(token, score or None)``, ``vocab`` maps every word and joined candidate to its
count, ``freeze()`` (or ``FrozenPhrases(model)`` / ``Phraser(model)``) keeps the
phrases only. Counting, scoring and joining are wordvec's compiled kernels; the
counts and scores are gensim's exactly (see :mod:`wordvec.phrases`), and
``add_vocab`` merges new counts into the old, so that learning in parts gives
the counts of learning once.

What differs, on purpose:

* ``scoring`` is ``"default"`` or ``"npmi"`` (or this module's, or gensim's,
  ``original_scorer`` / ``npmi_scorer``, which name the same scores). Any other
  function is refused: scores are computed by compiled kernels, not by calling
  Python per candidate.
* ``save`` / ``load`` use wordvec's phrases format (no code runs when loading); a
  file written by gensim's ``save()`` is refused with the way over.
* ``max_vocab_size`` bounds the words and the candidates held, each, pruning the
  rarest as word2vec C does (see :mod:`wordvec.phrases`); gensim bounds the two
  together and prunes differently. Below the bound, nothing is pruned by either.
* ``vocab`` is a read-only view, built when first read after learning;
  ``connector_words`` are fixed once the model is made.
* Above ``max_vocab_size`` distinct words, counting reads the sentences a second
  time (after pruning), so a one-pass iterator is then refused with a clear error.
* A str where a sentence or corpus is due (gensim would read its characters as
  tokens) is refused; for a file, pass ``LineSentence(path)``.
* Where tokens themselves contain the delimiter, gensim counts the token
  ``new_york`` and the pair ``new york`` as one; wordvec counts them apart (``vocab``
  adds the two up, as gensim's shows them, but scores use wordvec's counts).
* ``progress_per`` only paces the INFO progress lines while counting, as in gensim.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import sys
import types
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import ConfigError, FormatError
from ..phrases import phrases as _native
from ..text.corpus import TextCorpus
from . import _files, _phrasecounts

__all__ = [
    "Phrases",
    "FrozenPhrases",
    "Phraser",
    "ENGLISH_CONNECTOR_WORDS",
    "original_scorer",
    "npmi_scorer",
]

logger = logging.getLogger(__name__)

ENGLISH_CONNECTOR_WORDS = _native.ENGLISH_CONNECTOR_WORDS


# --------------------------------------------------------------------------- scorers
def original_scorer(
    worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count
):
    """Mikolov et al.'s score, ``scoring="default"``: ``(c_ab - min_count) / (c_a c_b) * V``."""
    if worda_count * wordb_count == 0:
        return -math.inf
    return float(bigram_count - min_count) / float(worda_count * wordb_count) * len_vocab


def npmi_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    """Normalised PMI, ``scoring="npmi"``: ``ln(p_ab / (p_a p_b)) / -ln(p_ab)``, ``p = c / N``;
    ``-inf`` below ``min_count`` (never a phrase)."""
    if bigram_count < min_count or 0 in (worda_count, wordb_count, bigram_count):
        return -math.inf
    n = float(corpus_word_count)
    pab = bigram_count / n
    return math.log(pab / ((worda_count / n) * (wordb_count / n))) / -math.log(pab)


_SCORERS = {"default": original_scorer, "npmi": npmi_scorer}
_BY_NAME = {"original_scorer": "default", "npmi_scorer": "npmi"}


def _scoring_name(scoring: Any) -> str:
    if isinstance(scoring, str):
        if scoring in _SCORERS:
            return scoring
        hint = " (word2vec C's score is in wordvec.phrases.Phrases)" * (scoring == "word2phrase")
        raise ConfigError(f"`scoring` must be 'default' or 'npmi'; got {scoring!r}{hint}.")
    if scoring in _SCORERS.values():
        return _BY_NAME[scoring.__name__]
    name = getattr(scoring, "__name__", None)
    if getattr(scoring, "__module__", None) == "gensim.models.phrases" and name in _BY_NAME:
        return _BY_NAME[name]  # gensim's own built-in scorers: the same scores
    raise ConfigError(
        f"`scoring`={scoring!r:.60}: custom scoring functions are not supported by "
        "wordvec.compat (scores are computed by compiled kernels); use 'default' or 'npmi'."
    )


def _count(value: Any) -> Any:
    """gensim's counts may be integral floats (5.0); anything else goes to the native checks."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _setting(name: str, doc: str, convert: Any = lambda v: v) -> property:
    """A gensim attribute held by the native model (read at every use); ``convert`` None:
    read-only."""
    put = None if convert is None else lambda self, v: setattr(self._native, name, convert(v))
    return property(lambda self: getattr(self._native, name), put, doc=doc)


def _refuse_text(sentence: Any) -> None:
    if isinstance(sentence, (str, bytes)):
        raise ConfigError(
            f"phrases[...] and analyze_sentence take a list of str tokens (or phrases[...] a "
            f"corpus of them), not a {type(sentence).__name__} ({sentence[:40]!r}); "
            "split it first."
        )


def _threshold(scoring: str, v: Any) -> float:
    if v is None:  # (in the constructor, None is the scoring's default)
        raise ConfigError("`threshold` must be a number; got None.")
    return _native.resolve_threshold(scoring, v)


def _delimiter(v: Any) -> str:
    if not isinstance(v, str) or not v:
        raise ConfigError(f"`delimiter` must be a non-empty str; got {v!r}.")
    return v


# --------------------------------------------------------------------------- shared
class _Transformation:
    """What gensim's ``Phrases`` and ``FrozenPhrases`` share: applying the phrases."""

    _native: Any

    def _layers(self) -> list:
        return self._native._phrase_layers()

    def save(self, fname: str | os.PathLike[str], **kwargs: Any) -> None:
        """Write the model (a ``Phrases``: every count and setting; a ``FrozenPhrases``:
        the phrases) in wordvec's phrases format, atomically."""
        what = f"{type(self).__name__}.save"
        _files.refuse_kwargs(what, kwargs)
        _check_path(what, fname)
        self._native.save(fname)

    threshold = property(
        lambda self: self._native.threshold,
        lambda self, v: setattr(self._native, "threshold", _threshold(self._native.scoring, v)),
        doc="A candidate is a phrase when its score is above it.",
    )
    min_count = _setting("min_count", "``delta`` of the scores.", None)
    delimiter = _setting("delimiter", "Joins the tokens of a phrase.", None)
    scoring = property(
        lambda self: _SCORERS[self._native.scoring],
        doc="The scoring function, as gensim keeps it: original_scorer or npmi_scorer.",
    )

    def _table(self) -> dict[tuple[str, ...], tuple[str, float]]:
        """Each phrase's tokens -> (its text, its score), for the current settings."""
        layers = self._layers()
        if getattr(self, "_cached", (None,))[0] is not layers:
            layer = layers[0]
            words, flat = layer.words, layer.table.keys.tolist()
            bounds = layer.table.offsets[: len(layer.names) + 1].tolist()
            table = {
                tuple(words[i] for i in flat[bounds[p] : bounds[p + 1]]): (name, score)
                for p, (name, score) in enumerate(
                    zip(layer.names, layer.scores.tolist(), strict=True)
                )
            }
            self._cached = (layers, table)
        return self._cached[1]

    def analyze_sentence(self, sentence: Iterable[str]) -> Iterator[tuple[str, float | None]]:
        """Yield ``(phrase, score)`` for each phrase of ``sentence`` (joined by ``delimiter``)
        and ``(word, None)`` for every other token, in order; gensim's left-to-right rule."""
        _refuse_text(sentence)
        table, connectors = self._table(), self.connector_words
        tokens = list(sentence)
        start = -1  # the first word of the pending candidate
        for t, word in enumerate(tokens):
            if word in connectors:
                if start < 0:
                    yield word, None
                continue
            if start >= 0:
                found = table.get(tuple(tokens[start : t + 1]))
                if found is not None:
                    yield found
                    start = -1
                    continue
                for w in tokens[start:t]:
                    yield w, None
            start = t
        if start >= 0:
            for w in tokens[start:]:
                yield w, None

    def __getitem__(self, sentence: Any) -> list[str] | _phrasecounts.TransformedCorpus:
        """``sentence`` (a list of str) with its phrases joined, or, for a corpus (an
        iterable of token lists), a lazy iterable of such lists, as gensim decides."""
        _refuse_text(sentence)
        if not isinstance(sentence, Iterable):
            raise ConfigError(
                "phrases[...] takes a list of str tokens or a corpus of them; "
                f"got {type(sentence).__name__} {sentence!r:.40}."
            )
        items = iter(sentence)
        try:
            first = next(items)
        except StopIteration:
            return []
        if items is sentence:  # an iterator: read on after the peeked item
            sentence = itertools.chain([first], items)
        if isinstance(first, str):
            return self._native.transform(list(sentence))
        return _phrasecounts.TransformedCorpus(self, sentence)

    def find_phrases(self, sentences: Iterable[Iterable[str]]) -> dict[str, float]:
        """Every phrase that occurs in ``sentences``, with its score."""
        found: dict[str, float] = {}
        for tokens in _phrasecounts.token_lists(sentences):
            for token, score in self.analyze_sentence(tokens):
                if score is not None:
                    found[token] = score
        return found


def _check_path(what: str, fname: Any) -> None:
    if not isinstance(fname, (str, os.PathLike)):
        raise ConfigError(
            f"{what}: `fname` must be a path (str or os.PathLike); got {fname!r:.60}."
        )


def _load_native(cls_name: str, fname: Any) -> Any:
    _check_path(f"{cls_name}.load", fname)
    if _files.is_gensim_file(fname):
        raise FormatError(
            f"{os.fspath(fname)!r} was written by gensim's save(), a Python object stream that "
            "wordvec never loads (loading one can run any code it contains). Learn the phrases "
            "again with wordvec.compat.Phrases on the same sentences (the counts, phrases and "
            "scores come out the same as gensim's), then save() them (or freeze().save())."
        )
    model = _native.load(fname)
    layers = model.layers_ if isinstance(model, _native.Phrases) else model.layers
    if len(layers) != 1 or model.scoring not in _SCORERS:
        raise FormatError(
            f"{os.fspath(fname)}: {len(layers)} passes with scoring={model.scoring!r}; "
            "wordvec.compat reads one pass scored 'default' or 'npmi' (use wordvec.phrases.load)."
        )
    return model


# --------------------------------------------------------------------------- Phrases
class Phrases(_Transformation):
    """gensim 4.x ``Phrases``: same arguments and defaults; see the module docstring.

    Given ``sentences``, the counts are learned right away, as gensim's does.
    ``progress_per`` paces the INFO progress lines while counting and changes nothing else.
    """

    def __init__(
        self,
        sentences: Iterable[Iterable[str]] | None = None,
        min_count: int = 5,
        threshold: float = 10.0,
        max_vocab_size: int = 40000000,
        delimiter: str = "_",
        progress_per: int = 10000,
        scoring: Any = "default",
        connector_words: Iterable[str] = frozenset(),
    ) -> None:
        if isinstance(progress_per, bool) or not isinstance(progress_per, int) or progress_per < 1:
            raise ConfigError(f"`progress_per` must be an int >= 1; got {progress_per!r}.")
        self.progress_per = progress_per
        connectors = connector_words  # (a generator is read once, here)
        if not isinstance(connector_words, (str, bytes)) and isinstance(connector_words, Iterable):
            connectors = tuple(connector_words)
        self._native = _native.Phrases(
            min_count=_count(min_count),
            threshold=threshold,
            scoring=_scoring_name(scoring),
            delimiter=delimiter,
            max_vocab=_count(max_vocab_size),
            connector_words=connectors,
        )
        self._checked(self._native._validate)
        self._native.connector_words = self._native.connector_words_ = frozenset(connectors)
        self._native.layers_ = [_phrasecounts.empty_layer()]
        self._vocab: tuple[str, types.MappingProxyType] | None = None
        if sentences is not None:
            self.add_vocab(sentences)

    @staticmethod
    def _checked(call, *args):
        try:
            return call(*args)
        except ConfigError as exc:  # wordvec's names of the settings -> gensim's
            raise ConfigError(str(exc).replace("`max_vocab`", "`max_vocab_size`")) from None

    @classmethod
    def _wrap(cls, native: _native.Phrases) -> Phrases:
        model = cls.__new__(cls)
        model.progress_per = 10000
        model._native, model._vocab = native, None
        return model

    def __str__(self) -> str:
        return (
            f"{type(self).__name__}<{len(self.vocab)} vocab, min_count={self.min_count}, "
            f"threshold={self.threshold}, max_vocab_size={self.max_vocab_size}>"
        )

    # ------------------------------------------------------------------ settings
    min_count = _setting("min_count", "``delta`` of the scores.", _count)
    delimiter = _setting("delimiter", "Joins the tokens of a phrase.", _delimiter)
    max_vocab_size = _setting("max_vocab", "Most words, and candidates, held.", _count)
    scoring = property(
        _Transformation.scoring.fget,
        lambda self, v: setattr(self._native, "scoring", _scoring_name(v)),
        doc="The scoring function, as gensim keeps it; may be set to another (or its name).",
    )

    @property
    def connector_words(self) -> frozenset[str]:
        """Words inside phrases but never at their ends (fixed when counting)."""
        return self._native.connector_words_

    # ------------------------------------------------------------------ counts
    @property
    def corpus_word_count(self) -> int:
        """Tokens counted, connector words included."""
        return int(self._native.layers_[0].n_words)

    @property
    def vocab(self) -> types.MappingProxyType:
        """Every word (connector words aside) and joined candidate -> its count (read-only)."""
        if self._vocab is None or self._vocab[0] != self.delimiter:
            c = self._native.layers_[0]
            vocab = _phrasecounts.vocab_dict(c, self.connector_words, self.delimiter)
            self._vocab = (self.delimiter, types.MappingProxyType(vocab))
        return self._vocab[1]

    def add_vocab(self, sentences: Iterable[Iterable[str]]) -> None:
        """Count ``sentences`` and add the counts to the model's (gensim's ``add_vocab``):
        learning in parts gives the counts of learning on all the sentences at once."""
        native = self._native
        fresh = _native.Phrases(
            min_count=native.min_count,
            threshold=native.threshold,
            scoring=native.scoring,
            delimiter=native.delimiter,
            max_vocab=native.max_vocab,
            connector_words=native.connector_words_,
        )
        logger.info("collecting all words and their counts")
        source = _phrasecounts.Sentences(sentences, self.progress_per, native.max_vocab)
        self._checked(fresh.fit, TextCorpus(source, max_sentence_length=sys.maxsize))
        new, old = fresh.layers_[0], native.layers_[0]
        merged = new if old.n_words == 0 else _phrasecounts.merged(old, new, native.max_vocab)
        native.layers_, native._cache, self._vocab = [merged], None, None
        logger.info(
            "collected %i words and %i candidates from %i tokens",
            len(merged.words), len(merged.counts), merged.n_words,
        )  # fmt: skip

    def export_phrases(self) -> dict[str, float]:
        """Every phrase the counts hold (score above ``threshold``) -> its score."""
        return self._native.export_phrases()

    def freeze(self) -> FrozenPhrases:
        """The phrases alone (:class:`FrozenPhrases`): smaller, applies the same way."""
        return FrozenPhrases(self)

    # ------------------------------------------------------------------ files
    @classmethod
    def load(cls, fname: str | os.PathLike[str], mmap: str | None = None) -> Phrases:
        """Read a model written by :meth:`save` (or by ``wordvec.phrases.Phrases.save``)."""
        model = _load_native("Phrases", fname)
        if not isinstance(model, _native.Phrases):
            raise FormatError(f"{os.fspath(fname)}: holds frozen phrases; use FrozenPhrases.load")
        return cls._wrap(model)


# --------------------------------------------------------------------------- FrozenPhrases
class FrozenPhrases(_Transformation):
    """gensim 4.x ``FrozenPhrases`` (alias ``Phraser``): a ``Phrases`` model's phrases and
    scores only, applied as the model applies them; ``threshold`` may be raised later."""

    def __init__(self, phrases_model: Phrases) -> None:
        if isinstance(phrases_model, _native.FrozenPhrases):  # (from load)
            self._native = phrases_model
        elif isinstance(phrases_model, Phrases):
            logger.info("exporting phrases from %s", phrases_model)
            self._native = phrases_model._native.freeze()
        else:
            raise ConfigError(
                "`phrases_model` must be a wordvec.compat Phrases model; "
                f"got {type(phrases_model).__name__}."
            )

    def __str__(self) -> str:
        return (
            f"{type(self).__name__}<{len(self._native.layers[0].names)} phrases, "
            f"min_count={self.min_count}, threshold={self.threshold}>"
        )

    @property
    def connector_words(self) -> frozenset[str]:
        return self._native.connector_words

    @property
    def phrasegrams(self) -> dict[str, float]:
        """Every phrase kept when frozen -> its score (gensim's attribute)."""
        layer = self._native.layers[0]
        return dict(zip(layer.names, layer.scores.tolist(), strict=True))

    @classmethod
    def load(cls, fname: str | os.PathLike[str], mmap: str | None = None) -> FrozenPhrases:
        """Read phrases written by :meth:`save` (a saved :class:`Phrases` is frozen)."""
        model = _load_native("FrozenPhrases", fname)
        return cls(model.freeze() if isinstance(model, _native.Phrases) else model)


Phraser = FrozenPhrases  # gensim's older name, kept by gensim 4 as an alias
