"""Phrases: frequent collocations ("new york") joined into single tokens ("new_york").

Mikolov et al. (2013), "Distributed Representations of Words and Phrases and their
Compositionality", score each pair of adjacent words and join those above a
threshold; run again over the joined text, longer phrases form
(``new_york_times``). This is gensim's ``Phrases`` and word2vec C's
``word2phrase``, counted and applied by compiled kernels.

Counting and joining follow gensim 4 exactly. A *candidate* is a word, any
number of connector words, and the next word (with ``connector_words``,
``bank of america`` is one candidate; connector words never start or end one).
Fitting counts every word and every candidate; applying scans a sentence left
to right and joins a candidate when its score is above ``threshold``; a joined
candidate's last word starts nothing, so ``a b c`` with both ``a b`` and ``b c``
above the threshold gives ``a_b c``. Scores (``c`` are counts, ``V`` the number
of distinct words and candidates counted, ``N`` the number of tokens,
``delta = min_count``):

``"default"``
    gensim's ``original_scorer``: ``(c_ab - delta) / (c_a c_b) * V``.
``"npmi"``
    gensim's ``npmi_scorer``: ``ln(p_ab / (p_a p_b)) / -ln(p_ab)`` with ``p = c / N``,
    ``-inf`` when ``c_ab < min_count``; the threshold is in [-1, 1].
``"word2phrase"``
    word2vec C's ``word2phrase``: ``(c_ab - delta) / c_a / c_b * N`` in float32 as
    the C tool computes it, 0 when ``c_a``, ``c_b`` or ``c_ab`` is below
    ``min_count``; default threshold 100 as there. (The C tool also counts the
    pair made of a line's last word and the next line's first, never joining it;
    here, as in gensim, counting stays within sentences.)

The scores are the same floating-point numbers the reference tools compute.
Where tokens themselves contain the delimiter, gensim keys its counts by the
joined string, so that the token ``new_york`` and the pair ``new york`` share
one count, and its ``export_phrases`` re-splits a key at every delimiter;
wordvec counts each token sequence on its own. On text whose tokens do not
contain the delimiter (any first pass over ordinary text, and later passes
over its output) the two are the same.

Memory: at most ``max_vocab`` distinct words and ``max_vocab`` distinct
candidates are held at once (a 16-byte slot per candidate at a load of 3/8 to
3/4, so 21 to 43 bytes each; never more slots than the power of two above 4/3
``max_vocab``). When the candidate table is full, the candidates counted at
most ``min_reduce`` times are dropped (1 first, then 2, ...: word2vec C's
``ReduceVocab``) until there is room; the words are pruned the same way while
scanning. gensim instead checks its one dictionary of words and pairs after
each sentence, and drops entries counted fewer than ``min_reduce`` times
(nothing, the first time), so it can hold far more than its
``max_vocab_size``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..errors import ConfigError, FormatError
from ..files.atomic import atomic_write
from ..files.paths import check_output
from ..text.corpus import TextCorpus
from ..vectors.formats import encode_strings, write_container
from . import kernels as K
from .file import FORMAT, VERSION, read_parts
from .stream import (
    CountedLayer,
    IdStream,
    PhrasedCorpus,
    PhraseLayer,
    TransformedCorpus,
    above,
    apply_sentence,
    apply_stream,
    candidate_scores,
    compact,
    connector_mask,
    count_layer,
    layer_vocab_size,
    phrase_layer,
    rebuilt,
    scan_stream,
    write_text,
)

__all__ = [
    "Phrases",
    "FrozenPhrases",
    "TransformedCorpus",
    "PhrasedCorpus",
    "ENGLISH_CONNECTOR_WORDS",
    "SCORERS",
    "load",
]

# Words that may sit inside a phrase but never start or end one (gensim 4's list):
# articles, a few prepositions and conjunctions.
ENGLISH_CONNECTOR_WORDS = frozenset(
    "a an the for of with without at from to in on by and or".split()
)
SCORERS = K.SCORERS
_DEFAULT_THRESHOLD = {"default": 10.0, "word2phrase": 100.0}

PathLike = str | os.PathLike[str]


# --------------------------------------------------------------------------- shared by both


class _Applier:
    """Applying phrase layers: what :class:`Phrases` and :class:`FrozenPhrases` share."""

    delimiter: str

    def _phrase_layers(self) -> list[PhraseLayer]:  # pragma: no cover - abstract
        raise NotImplementedError

    def transform(self, sentence: Iterable[str]) -> list[str]:
        """The tokens of ``sentence`` with its phrases joined (every pass applied in turn).

        Parameters
        ----------
        sentence : list of str

        Returns
        -------
        list of str
        """
        if isinstance(sentence, (str, bytes)):
            raise ConfigError(
                f"`sentence` must be a list of str tokens, not a {type(sentence).__name__}; "
                "split it first"
            )
        tokens = list(sentence)
        try:
            "".join(tokens)  # every token a str, checked in C
        except TypeError:
            bad = next(t for t in tokens if not isinstance(t, str))
            raise ConfigError(f"`sentence` tokens must be str; got {type(bad).__name__}.") from None
        return apply_sentence(self._phrase_layers(), tokens)

    def transform_corpus(self, corpus: Any) -> TransformedCorpus:
        """A re-iterable view of ``corpus`` with phrases joined, read lazily.

        ``corpus`` is anything :meth:`Phrases.fit` takes (a path, ``"-"``, a
        directory, a :class:`~wordvec.text.corpus.TextCorpus`, an iterable of token lists).
        """
        return TransformedCorpus(self, _as_corpus(corpus))

    def __getitem__(self, item: Any) -> list[str] | TransformedCorpus:
        """gensim's ``phrases[sentence]`` (a list of str) or ``phrases[corpus]``."""
        if isinstance(item, (list, tuple)) and all(isinstance(t, str) for t in item):
            return self.transform(item)
        return self.transform_corpus(item)

    def export_phrases(self) -> dict[str, float]:
        """Every phrase (joined text) with its score; later passes' phrases come last."""
        out: dict[str, float] = {}
        for layer in self._phrase_layers():
            out.update(zip(layer.names, layer.scores.tolist(), strict=True))
        return out

    def write(self, corpus: Any, output: PathLike) -> None:
        """Write ``corpus`` with its phrases joined to ``output`` (atomically).

        One sentence per line, tokens separated by one space (a line longer than
        the corpus's ``max_sentence_length`` was read as several sentences and is
        written as several lines).
        """
        check_output(output, corpus, "`output`")
        with atomic_write(output, "w") as fh:
            for sentence in self.transform_corpus(corpus):
                fh.write(" ".join(sentence))
                fh.write("\n")


def _as_corpus(corpus: Any) -> TextCorpus:
    return corpus if isinstance(corpus, TextCorpus) else TextCorpus(corpus)


# --------------------------------------------------------------------------- Phrases


class Phrases(_Applier):
    """Detect phrases from unigram and candidate counts (gensim's ``Phrases``, compiled).

    Parameters
    ----------
    min_count : int, default 5
        ``delta`` of the scores: candidates seen fewer times score below 0 (default),
        are not phrases (npmi, word2phrase); word2phrase also ignores rarer words.
    threshold : float, optional
        A candidate is joined when its score is above it. Default 10.0 for
        ``"default"`` (gensim's), 100.0 for ``"word2phrase"`` (the C tool's); must be
        given, in [-1, 1], for ``"npmi"``.
    scoring : {"default", "npmi", "word2phrase"}
    delimiter : str, default "_"
        Joins the tokens of a phrase.
    max_vocab : int, default 40_000_000
        Most distinct words, and most distinct candidates, held while counting;
        beyond, the rarest are pruned (see the module docstring).
    connector_words : iterable of str, default ()
        Words that may sit inside a phrase but never start or end one, e.g.
        :data:`ENGLISH_CONNECTOR_WORDS`.
    passes : int, default 1
        Fit (and apply) this many layers, each on the output of the previous one,
        as ``word2phrase`` run several times: 2 passes can give ``new_york_times``.
    tmp_dir : str, optional
        Directory of the temporary id files (4 bytes per token).

    Attributes
    ----------
    layers_ : list of CountedLayer
        Per pass: words and their counts, every candidate key and its count,
        the number of tokens ``n_words``, and whether counting ``pruned``.
    connector_words_ : frozenset of str
    """

    def __init__(
        self,
        min_count: int = 5,
        threshold: float | None = None,
        scoring: str = "default",
        delimiter: str = "_",
        max_vocab: int = 40_000_000,
        connector_words: Iterable[str] = (),
        passes: int = 1,
        tmp_dir: str | None = None,
    ) -> None:
        self.min_count = min_count
        self.threshold = threshold
        self.scoring = scoring
        self.delimiter = delimiter
        self.max_vocab = max_vocab
        self.connector_words = connector_words
        self.passes = passes
        self.tmp_dir = tmp_dir
        self.layers_: list[CountedLayer] = []
        self.connector_words_: frozenset[str] = frozenset()
        self._cache: tuple[tuple, list[PhraseLayer]] | None = None

    def __repr__(self) -> str:
        return (
            f"Phrases(min_count={self.min_count!r}, threshold={self.threshold!r}, "
            f"scoring={self.scoring!r}, passes={self.passes!r}, fitted={bool(self.layers_)})"
        )

    # ------------------------------------------------------------------ fitting
    def fit(self, corpus: Any) -> Phrases:
        """Count the words and candidates of ``corpus`` (every pass). Returns self.

        Parameters
        ----------
        corpus : path, "-" (stdin), directory, compressed file, TextCorpus, or iterable
            of token lists; the same inputs as :meth:`wordvec.model.Word2Vec.fit`.
            It is read once, whatever the number of passes.
        """
        self._fit_stream(corpus, keep=False)
        return self

    def fit_write(self, corpus: Any, output: PathLike) -> Phrases:
        """Fit on ``corpus`` and write it with its phrases joined to ``output``.

        Reads the corpus once (for every pass and the output); the output is
        written atomically, one sentence per line. Returns self.
        """
        check_output(output, corpus, "`output`")  # before any work: never over the text
        source = _as_corpus(corpus)
        stream = self._fit_stream(source, keep=True)
        try:
            if stream.has_unknown:  # words pruned while scanning: their text is gone
                stream.close()
                self.write(source, output)
                return self
            with atomic_write(output, "wb") as fh:
                write_text(stream, fh)
        finally:
            stream.close()
        return self

    def fit_corpus(self, corpus: Any) -> PhrasedCorpus:
        """Fit on ``corpus`` and return it with its phrases joined, without writing text.

        The corpus is read once; the result re-reads a temporary id file (4 bytes
        per token) on each iteration. Close it (or use it in a ``with`` block) to
        delete that file, e.g. ``with Phrases(passes=2).fit_corpus(path) as c:
        Word2Vec().fit(c)``.
        """
        source = _as_corpus(corpus)
        stream = self._fit_stream(source, keep=True)
        if stream.has_unknown:  # words pruned while scanning: transform the text again
            stream.close()
            return PhrasedCorpus(None, self.transform_corpus(source))
        return PhrasedCorpus(stream, None)

    def _fit_stream(self, corpus: Any, keep: bool) -> IdStream:
        self._validate()
        self._cache = None
        connectors = frozenset(self.connector_words)
        source = _as_corpus(corpus)
        stream = scan_stream(source, self.max_vocab, self.tmp_dir, connectors)
        layers: list[CountedLayer] = []
        try:
            for k in range(self.passes):
                layers.append(count_layer(stream, connectors, self.max_vocab))
                if k + 1 < self.passes or keep:
                    applied = phrase_layer(layers[-1], self._score_params(), connectors)
                    following = apply_stream(stream, applied, self.tmp_dir)
                    stream.close()
                    stream = following
        except BaseException:
            stream.close()
            raise
        self.layers_ = layers
        self.connector_words_ = connectors
        if not keep:
            stream.close()
        return stream

    # ------------------------------------------------------------------ parameters
    def _validate(self) -> None:
        _check_int("min_count", self.min_count, 1)
        _check_int("max_vocab", self.max_vocab, 1)
        _check_int("passes", self.passes, 1)
        if self.scoring not in SCORERS:
            raise ConfigError(f"`scoring` must be one of {SCORERS}; got {self.scoring!r}.")
        if not isinstance(self.delimiter, str) or not self.delimiter:
            raise ConfigError(f"`delimiter` must be a non-empty str; got {self.delimiter!r}.")
        cw = self.connector_words
        if (
            isinstance(cw, (str, bytes))
            or not isinstance(cw, Iterable)
            or not all(isinstance(w, str) for w in cw)
        ):
            raise ConfigError(
                "`connector_words` must be an iterable of str words (e.g. a set); "
                f"got {self.connector_words!r:.60}."
            )
        if self.tmp_dir is not None and not os.path.isdir(self.tmp_dir):
            raise ConfigError(f"`tmp_dir` must be an existing directory; got {self.tmp_dir!r}.")
        resolve_threshold(self.scoring, self.threshold)

    def _score_params(self) -> tuple[str, float, int, str]:
        return (
            self.scoring,
            resolve_threshold(self.scoring, self.threshold),
            self.min_count,
            self.delimiter,
        )

    def _phrase_layers(self) -> list[PhraseLayer]:
        self._check_fitted()
        params = self._score_params()
        if self._cache is None or self._cache[0] != params:
            _check_int("min_count", self.min_count, 1)
            built = [phrase_layer(c, params, self.connector_words_) for c in self.layers_]
            self._cache = (params, built)
        return self._cache[1]

    def _check_fitted(self) -> None:
        if not self.layers_:
            raise ConfigError("this Phrases model is not fitted yet; call fit(corpus) first")

    # ------------------------------------------------------------------ results
    def scores(self, layer: int = 0) -> np.ndarray:
        """The score of every candidate counted in pass ``layer`` (float64, in key order)."""
        self._check_fitted()
        scoring, _, min_count, _ = self._score_params()
        return candidate_scores(self.layers_[layer], scoring, min_count, self.connector_words_)

    def vocab_size(self, layer: int = 0) -> int:
        """gensim's ``len(phrases.vocab)``: distinct non-connector words plus candidates."""
        self._check_fitted()
        return layer_vocab_size(self.layers_[layer], self.connector_words_)

    def freeze(self) -> FrozenPhrases:
        """The phrases alone (gensim's ``FrozenPhrases``): smaller, applies the same way."""
        layers = [compact(layer) for layer in self._phrase_layers()]
        scoring, threshold, min_count, delimiter = self._score_params()
        return FrozenPhrases(
            layers, threshold, scoring, min_count, delimiter, self.connector_words_
        )

    # ------------------------------------------------------------------ files
    def save(self, path: PathLike) -> None:
        """Write the fitted model (every count) to ``path`` atomically, as a versioned container."""
        self._check_fitted()
        arrays: dict[str, np.ndarray] = {}
        layers = []
        for k, c in enumerate(self.layers_):
            blob, offsets = encode_strings(c.words)
            arrays.update(
                {
                    f"{k}.words_blob": blob,
                    f"{k}.words_offsets": offsets,
                    f"{k}.word_counts": c.word_counts,
                    f"{k}.offsets": c.offsets,
                    f"{k}.keys": c.keys,
                    f"{k}.counts": c.counts,
                }
            )
            layers.append({"n_words": c.n_words, "pruned": c.pruned, "min_reduce": c.min_reduce})
        params = {
            "min_count": self.min_count,
            "threshold": self.threshold,
            "scoring": self.scoring,
            "delimiter": self.delimiter,
            "max_vocab": self.max_vocab,
            "passes": self.passes,
            "connector_words": sorted(self.connector_words_),
        }
        meta = {"format": FORMAT, "version": VERSION, "kind": "phrases", "params": params}
        meta["layers"] = layers
        write_container(path, meta, arrays)

    @classmethod
    def load(cls, path: PathLike) -> Phrases:
        """Read a model written by :meth:`Phrases.save`."""
        model = load(path)
        if not isinstance(model, Phrases):
            raise FormatError(f"{os.fspath(path)}: holds frozen phrases; use FrozenPhrases.load")
        return model


# --------------------------------------------------------------------------- FrozenPhrases


class FrozenPhrases(_Applier):
    """Phrases for applying only: each pass's phrases and scores, no other counts.

    Made by :meth:`Phrases.freeze`; transforms exactly as the model it came from.
    ``threshold`` may be raised afterwards (fewer phrases), as in gensim.
    """

    def __init__(
        self,
        layers: list[PhraseLayer],
        threshold: float,
        scoring: str,
        min_count: int,
        delimiter: str,
        connector_words: frozenset[str],
    ) -> None:
        self.layers = layers
        self.threshold = threshold
        self.scoring = scoring
        self.min_count = min_count
        self.delimiter = delimiter
        self.connector_words = connector_words
        self._cache: tuple[float, list[PhraseLayer]] | None = None

    def __repr__(self) -> str:
        n = sum(len(layer.names) for layer in self.layers)
        return (
            f"FrozenPhrases({n} phrases in {len(self.layers)} passes, threshold={self.threshold})"
        )

    def _phrase_layers(self) -> list[PhraseLayer]:
        threshold = float(self.threshold)
        if self._cache is None or self._cache[0] != threshold:
            self._cache = (threshold, [above(layer, threshold) for layer in self.layers])
        return self._cache[1]

    def save(self, path: PathLike) -> None:
        """Write the phrases to ``path`` atomically (a versioned native container)."""
        arrays: dict[str, np.ndarray] = {}
        for k, layer in enumerate(self.layers):
            blob, offsets = encode_strings(layer.words)
            arrays.update(
                {
                    f"{k}.words_blob": blob,
                    f"{k}.words_offsets": offsets,
                    f"{k}.offsets": layer.table.offsets[: len(layer.names) + 1],
                    f"{k}.keys": layer.table.keys[: layer.table.offsets[len(layer.names)]],
                    f"{k}.scores": layer.scores,
                }
            )
        params = {
            "threshold": self.threshold,
            "scoring": self.scoring,
            "min_count": self.min_count,
            "delimiter": self.delimiter,
            "connector_words": sorted(self.connector_words),
        }
        meta = {"format": FORMAT, "version": VERSION, "kind": "frozen", "params": params}
        meta["layers"] = [{} for _ in self.layers]
        write_container(path, meta, arrays)

    @classmethod
    def load(cls, path: PathLike) -> FrozenPhrases:
        """Read phrases written by :meth:`FrozenPhrases.save` (or freeze a saved model)."""
        model = load(path)
        return model.freeze() if isinstance(model, Phrases) else model


# --------------------------------------------------------------------------- helpers


_INT64_MAX = 2**63 - 1  # the counts and parameters the kernels take are int64


def _check_int(name: str, value: Any, low: int) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or not low <= value <= _INT64_MAX
    ):
        raise ConfigError(f"`{name}` must be an int with {low} <= {name} < 2**63; got {value!r}.")


def resolve_threshold(scoring: str, threshold: float | None) -> float:
    """The threshold a scorer uses: ``threshold`` checked for ``scoring``, or its default."""
    if threshold is None:
        if scoring not in _DEFAULT_THRESHOLD:
            raise ConfigError(
                f"`threshold` must be given for scoring={scoring!r} (a value in [-1, 1], e.g. 0.5)."
            )
        return _DEFAULT_THRESHOLD[scoring]
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.floating)):
        raise ConfigError(f"`threshold` must be a number; got {threshold!r}.")
    value = float(threshold)
    if not math.isfinite(value):
        raise ConfigError(f"`threshold` must be finite; got {threshold!r}.")
    if scoring == "default" and value <= 0:
        raise ConfigError(f"`threshold` must be > 0 for scoring='default'; got {threshold!r}.")
    if scoring == "npmi" and not -1.0 <= value <= 1.0:
        raise ConfigError(f"`threshold` must be in [-1, 1] for scoring='npmi'; got {threshold!r}.")
    if scoring == "word2phrase":  # the C tool holds it in a float and compares floats
        value = float(np.float32(value))
    return value


# --------------------------------------------------------------------------- loading


def load(path: PathLike) -> Phrases | FrozenPhrases:
    """Read a file written by :meth:`Phrases.save` or :meth:`FrozenPhrases.save`.

    Raises
    ------
    FormatError
        Not a phrases file, a newer format version, or a field that is missing,
        mistyped or out of range (named in the message).
    """
    kind, params, parts = read_parts(path)
    connectors = frozenset(params["connector_words"])
    try:
        if kind == "phrases":
            model = Phrases(
                min_count=params.get("min_count"),
                threshold=params.get("threshold"),
                scoring=params.get("scoring"),
                delimiter=params.get("delimiter"),
                max_vocab=params.get("max_vocab"),
                connector_words=connectors,
                passes=params.get("passes"),
            )
            model._validate()
            model.layers_ = [
                CountedLayer(
                    p["words"],
                    p["word_counts"],
                    p["offsets"],
                    p["keys"],
                    p["counts"],
                    p["n_words"],
                    p["pruned"],
                    p["min_reduce"],
                )
                for p in parts
            ]
            model.connector_words_ = connectors
            return model
        scoring, delimiter = params.get("scoring"), params.get("delimiter")
        threshold = resolve_threshold(scoring, params.get("threshold"))
        _check_int("min_count", params.get("min_count"), 1)
        if not isinstance(delimiter, str) or not delimiter:
            raise ConfigError(f"`delimiter` must be a non-empty str; got {delimiter!r}.")
        layers = []
        for p in parts:
            words, offsets, keys = p["words"], p["offsets"], p["keys"]
            flat, bounds = keys.tolist(), offsets.tolist()
            names = [
                delimiter.join([words[i] for i in flat[bounds[j] : bounds[j + 1]]])
                for j in range(len(bounds) - 1)
            ]
            is_conn = connector_mask(words, connectors)
            layers.append(rebuilt(words, is_conn, offsets, keys, names, p["scores"]))
        return FrozenPhrases(layers, threshold, scoring, params["min_count"], delimiter, connectors)
    except ConfigError as exc:
        raise FormatError(f"{os.fspath(path)}: bad parameter in the header: {exc}") from None
