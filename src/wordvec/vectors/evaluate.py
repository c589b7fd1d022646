"""Evaluation on the standard benchmarks: word analogies and word-pair similarity.

The conventions are gensim's (``KeyedVectors.evaluate_word_analogies`` and
``evaluate_word_pairs``), so that the numbers can be compared with published
ones; only the computation differs: all analogy questions are answered at once
as chunked matrix products instead of one ``most_similar`` call per question.

* Only the first ``restrict_vocab`` words are used (the most frequent ones when
  the vocabulary is sorted by count). With ``case_insensitive``, words are
  compared upper-cased and each upper-cased form stands for its first (most
  frequent) variant in that range.
* A question or pair with a word outside that vocabulary is skipped and
  counted separately; accuracy is over the questions answered.
* The three question words (in any case variant) are never an answer. Like
  gensim, the answer is the best of the top 5 candidates that is not a
  variant of a question word.

With ``oov=True`` (subword vectors only: a fastText model, :class:`SubwordVectors`)
a word outside the vocabulary is not a reason to skip: its vector is built from
its character n-grams (as written in the file; zero if it has none), so a pair
with an unseen word is scored, and an analogy question with an unseen a, b or c
is asked; a question whose expected answer is unseen is still skipped (it can
never be an answer). The questions fully in the vocabulary are scored exactly as
without ``oov``.

The standard sets ship in ``wordvec/data`` (see ``data/LICENSES.md``).
"""

from __future__ import annotations

import codecs
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import numpy as np

from ..errors import ConfigError, FormatError
from .keyedvectors import ANALOGY_METHODS, KeyedVectors
from .neighbours import COSMUL_EPSILON, analogy_scores, chunk_rows, top_k
from .queries import analogy_answers

if TYPE_CHECKING:  # imported where used: it loads numba, which plain vectors never need
    from ..subwords.keyed import SubwordVectors

__all__ = [
    "SectionResult",
    "AnalogyResult",
    "SimilarityResult",
    "WordPair",
    "read_questions",
    "read_pairs",
    "analogies",
    "phrase_analogies",
    "similarity",
    "word_pairs",
    "evaluate",
    "shipped_path",
    "SHIPPED_ANALOGIES",
    "SHIPPED_PHRASE_ANALOGIES",
    "SHIPPED_SIMILARITY",
]

PathLike = str | os.PathLike[str]

SHIPPED_ANALOGIES = "questions-words.txt"
SHIPPED_PHRASE_ANALOGIES = "questions-phrases.txt"
SHIPPED_SIMILARITY = ("wordsim353.tsv", "simlex999.txt")
_CANDIDATES = 5  # gensim looks at the top 5 answers for one that is not a question word


def shipped_path(name: str) -> Path:
    """Path of an evaluation set shipped in ``wordvec/data``."""
    return Path(str(resources.files("wordvec").joinpath("data", name)))


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class SectionResult:
    """Counts for one section of an analogy set (or an aggregate of sections).

    ``total`` counts the questions answered; ``skipped`` those with an
    out-of-vocabulary word.
    """

    name: str
    correct: int
    total: int
    skipped: int

    @property
    def accuracy(self) -> float:
        """Fraction of answered questions answered correctly (NaN when none was answered:
        no question, no accuracy; 0.0 would read as a measured failure)."""
        return self.correct / self.total if self.total else math.nan

    def to_dict(self) -> dict[str, Any]:
        """NaN becomes None: JSON has no NaN."""
        return {
            "accuracy": self.accuracy if self.total else None,
            "correct": self.correct,
            "total": self.total,
            "skipped": self.skipped,
        }


def _sum_sections(name: str, parts: Sequence[SectionResult]) -> SectionResult:
    return SectionResult(
        name,
        sum(p.correct for p in parts),
        sum(p.total for p in parts),
        sum(p.skipped for p in parts),
    )


@dataclass(frozen=True)
class AnalogyResult:
    """Result of :func:`analogies`.

    Attributes
    ----------
    sections : list of SectionResult
        In file order.
    semantic, syntactic, overall : SectionResult
        Aggregates; sections whose name starts with "gram" are syntactic
        (the convention of the questions-words set).
    """

    path: str
    restrict_vocab: int
    method: str
    sections: list[SectionResult] = field(default_factory=list)

    @property
    def overall(self) -> SectionResult:
        return _sum_sections("total", self.sections)

    @property
    def semantic(self) -> SectionResult:
        return _sum_sections("semantic", [s for s in self.sections if not _syntactic(s.name)])

    @property
    def syntactic(self) -> SectionResult:
        return _sum_sections("syntactic", [s for s in self.sections if _syntactic(s.name)])

    @property
    def accuracy(self) -> float:
        return self.overall.accuracy

    @property
    def correct(self) -> int:
        return self.overall.correct

    @property
    def total(self) -> int:
        return self.overall.total

    @property
    def skipped(self) -> int:
        return self.overall.skipped

    def to_dict(self) -> dict[str, Any]:
        """The ``"analogy"`` object of ``wordvec evaluate --json``."""
        out = self.overall.to_dict()
        out["sections"] = {s.name: s.to_dict() for s in self.sections}
        out["semantic"] = self.semantic.to_dict()
        out["syntactic"] = self.syntactic.to_dict()
        return out


def _syntactic(name: str) -> bool:
    return name.startswith("gram")


@dataclass(frozen=True)
class SimilarityResult:
    """Result of :func:`word_pairs`: correlations of model cosines with human scores.

    ``spearman`` and ``pearson`` are NaN when fewer than two pairs could be
    used or one side is constant; ``oov_ratio`` is the fraction of pairs
    skipped for an out-of-vocabulary word.
    """

    name: str
    path: str
    spearman: float
    pearson: float
    oov_ratio: float
    pairs: int  # pairs used
    oov: int  # pairs skipped

    def to_dict(self) -> dict[str, Any]:
        """One entry of the ``"similarity"`` object (NaN becomes None: JSON has no NaN)."""

        def num(x: float) -> float | None:
            return None if math.isnan(x) else x

        return {
            "spearman": num(self.spearman),
            "pearson": num(self.pearson),
            "oov_ratio": self.oov_ratio,
        }


# --------------------------------------------------------------------------- file readers
class WordPair(NamedTuple):
    """One line of a word-pair file: the two words, the human score and the line (1-based)."""

    first: str
    second: str
    score: float
    line: int


# What :func:`read_questions` / :func:`read_pairs` hand to ``on_invalid`` as the reason
FIELDS = "fields"  # not 4 words (questions) / not 3 fields (pairs)
NO_SECTION = "no section"  # a question before the first ``: section`` line
SCORE = "score"  # a pair's score is not a finite number

# (line number, reason): called for a line that is not valid, which is then skipped
OnInvalid = Callable[[int, str], None]


def _lines(path: PathLike, encoding: str = "utf-8"):
    """(line number, text) of each line; text that does not decode is a FormatError. A UTF-8
    byte-order mark at the start of the file is dropped."""
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield lineno, raw.decode(encoding)
            except UnicodeDecodeError:
                raise FormatError(
                    f"{os.fspath(path)}: line {lineno}: not valid {_encoding_name(encoding)}"
                ) from None


def _encoding_name(encoding: str) -> str:
    return "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding


def read_questions(
    path: PathLike, on_invalid: OnInvalid | None = None
) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
    """The sections of an analogy file in questions-words format, one per ``: section`` line.

    A section line starts with ``:``; every other line that is not blank or a ``#`` comment
    is a question of 4 words. A line that is not (reason :data:`FIELDS`), or a question
    before the first section line (:data:`NO_SECTION`, whatever its words), is a
    :class:`FormatError` naming the file and line; with ``on_invalid`` it is passed to
    ``on_invalid(line, reason)`` instead (1-based line number), which may raise, and
    skipped. A name that comes back is a second section of that name (:func:`analogies`
    merges them; gensim keeps them apart).
    """
    sections: list[tuple[str, list[tuple[str, str, str, str]]]] = []
    for lineno, line in _lines(path):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith(":"):
            name = text[1:].strip()
            if not name:
                raise FormatError(f"{os.fspath(path)}: line {lineno}: empty section name")
            sections.append((name, []))
            continue
        words = text.split()
        if len(words) != 4:
            if on_invalid is None:
                raise FormatError(
                    f"{os.fspath(path)}: line {lineno}: expected 4 words 'a b c d' or a "
                    f"': section' line; got {len(words)} fields"
                )
            on_invalid(lineno, FIELDS if sections else NO_SECTION)
            continue
        if not sections:
            if on_invalid is None:
                raise FormatError(
                    f"{os.fspath(path)}: line {lineno}: question before the first ': section' line"
                )
            on_invalid(lineno, NO_SECTION)
            continue
        sections[-1][1].append((words[0], words[1], words[2], words[3]))
    return sections


def read_pairs(
    path: PathLike,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    on_invalid: OnInvalid | None = None,
) -> list[WordPair]:
    """The word pairs of a ``word1<TAB>word2<TAB>score`` file, in file order.

    Blank lines and ``#`` comments are skipped. With ``delimiter`` None a line that does
    not split into 3 fields at tabs is split at any whitespace; a given ``delimiter`` is the
    only one (gensim's rule). A line without 3 fields (reason :data:`FIELDS`) or with a
    score that is not a finite number (:data:`SCORE`) is a :class:`FormatError` naming the
    file and line; with ``on_invalid`` it is passed to ``on_invalid(line, reason)`` instead
    (1-based line number) and skipped.
    """
    pairs = []
    for lineno, line in _lines(path, encoding):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        fields = text.split("\t" if delimiter is None else delimiter)
        if len(fields) != 3 and delimiter is None:
            fields = text.split()
        if len(fields) != 3:
            if on_invalid is None:
                raise FormatError(
                    f"{os.fspath(path)}: line {lineno}: expected 'word1<TAB>word2<TAB>score'; "
                    f"got {len(fields)} fields"
                )
            on_invalid(lineno, FIELDS)
            continue
        try:
            score = float(fields[2])
        except ValueError:
            score = math.nan
        if not math.isfinite(score):
            if on_invalid is None:
                raise FormatError(
                    f"{os.fspath(path)}: line {lineno}: score {fields[2].strip()!r} is not a number"
                )
            on_invalid(lineno, SCORE)
            continue
        pairs.append(WordPair(fields[0].strip(), fields[1].strip(), score, lineno))
    return pairs


# --------------------------------------------------------------------------- vocabulary view
def _check_oov(kv: KeyedVectors, oov: bool) -> bool:
    if not isinstance(oov, bool):
        raise ConfigError(f"`oov` must be True or False; got {oov!r}.")
    if oov and not _is_subword(kv):
        raise ConfigError(
            "`oov=True` needs subword vectors (a fastText .bin, or SubwordVectors) to build "
            f"unseen words from their n-grams; got {type(kv).__name__}, which has none."
        )
    return oov


def _is_subword(kv: Any) -> bool:
    from ..subwords.keyed import SubwordVectors

    return isinstance(kv, SubwordVectors)


def _unit_of(kv: SubwordVectors, word: str) -> np.ndarray:
    """The unit vector of any word from its n-grams (a zero vector stays zero)."""
    v = kv.word_vector(word)
    n = float(np.linalg.norm(v))
    return v / np.float32(n) if n > 0 else v


def _check_restrict(restrict_vocab: Any) -> int:
    if (
        isinstance(restrict_vocab, bool)
        or not isinstance(restrict_vocab, (int, np.integer))
        or restrict_vocab < 1
    ):
        raise ConfigError(f"`restrict_vocab` must be an int >= 1; got {restrict_vocab!r}.")
    return int(restrict_vocab)


def lookup_rows(kv: KeyedVectors, restrict_vocab: int, case_insensitive: bool):
    """Lookup key -> representative row, and the representative of every searched row.

    Returns
    -------
    lookup : dict of str -> int
        Upper-cased word (if ``case_insensitive``) -> its first row.
    rep : ndarray, shape (n_ok,), int64
        rep[i] is the row standing for word i's lookup key.
    key : callable
        str -> lookup key.
    """
    n_ok = min(restrict_vocab, len(kv))
    key = str.upper if case_insensitive else str
    lookup: dict[str, int] = {}
    rep = np.empty(n_ok, dtype=np.int64)
    for i, w in enumerate(kv.words[:n_ok]):
        rep[i] = lookup.setdefault(key(w), i)
    return lookup, rep, key


# --------------------------------------------------------------------------- analogies
def analogies(
    kv: KeyedVectors,
    path: PathLike | None = None,
    restrict_vocab: int = 30_000,
    case_insensitive: bool = True,
    method: str = "3cosadd",
    oov: bool = False,
) -> AnalogyResult:
    """Accuracy on analogy questions ``a b c d`` (a : b :: c : d).

    Parameters
    ----------
    kv : KeyedVectors
        Vocabulary sorted by frequency, most frequent first.
    path : str or PathLike, optional
        A file in questions-words format (``: section`` lines, then one
        question per line). Default: the shipped Mikolov et al. (2013) set.
    restrict_vocab : int
        Only the first ``restrict_vocab`` words may appear in a question or be
        an answer. The default, 30,000, is word2vec C's ``compute-accuracy``
        threshold; gensim's ``evaluate_word_analogies`` uses 300,000.
    case_insensitive : bool
        Compare words upper-cased (see the module docstring).
    method : {"3cosadd", "3cosmul"}
    oov : bool
        Also ask the questions with an unseen a, b or c, their vectors built from
        n-grams (subword vectors only; see the module docstring).

    Returns
    -------
    AnalogyResult
    """
    oov = _check_oov(kv, oov)
    restrict_vocab = _check_restrict(restrict_vocab)
    if method not in ANALOGY_METHODS:
        raise ConfigError(f"`method` must be one of {ANALOGY_METHODS}; got {method!r}.")
    path = shipped_path(SHIPPED_ANALOGIES) if path is None else path
    sections = _merged(read_questions(path))
    if not any(questions for _, questions in sections):
        raise FormatError(f"{os.fspath(path)}: no analogy questions found")
    lookup, rep, key = lookup_rows(kv, restrict_vocab, case_insensitive)

    names, section_of, rows, skipped = [], [], [], []
    unseen, unseen_section = [], []  # (oov) questions with an unseen a, b or c
    for s, (name, questions) in enumerate(sections):
        names.append(name)
        n_skipped = 0
        for q in questions:
            ids = [lookup.get(key(w), -1) for w in q]
            if min(ids) >= 0:
                rows.append(ids)
                section_of.append(s)
            elif oov and ids[3] >= 0:
                unseen.append((q, ids))
                unseen_section.append(s)
            else:
                n_skipped += 1
        skipped.append(n_skipped)
    q = np.array(rows, dtype=np.int64).reshape(-1, 4)  # (n, 4): a, b, c, expected
    correct = correct_answers(kv, q, rep, method)
    if unseen:
        correct = np.concatenate([correct, _correct_unseen(kv, unseen, rep, method)])
        section_of = section_of + unseen_section
    per_correct = np.bincount(np.asarray(section_of, np.int64)[correct], minlength=len(names))
    per_total = np.bincount(np.asarray(section_of, np.int64), minlength=len(names))
    results = [
        SectionResult(names[s], int(per_correct[s]), int(per_total[s]), skipped[s])
        for s in range(len(names))
    ]
    return AnalogyResult(os.fspath(path), restrict_vocab, method, results)


def _merged(sections: list[tuple[str, list]]) -> list[tuple[str, list]]:
    """One section per name, at the place of its first line: a name that comes back adds
    its questions to that section."""
    merged: dict[str, list] = {}
    for name, questions in sections:
        merged.setdefault(name, []).extend(questions)
    return list(merged.items())


def correct_answers(kv: KeyedVectors, q: np.ndarray, rep: np.ndarray, method: str) -> np.ndarray:
    """Which questions are answered right: ``q`` (n, 4) holds the representative rows
    (see :func:`lookup_rows`) of a, b, c and the expected word; returns (n,) bool."""
    if not q.shape[0]:
        return np.zeros(0, dtype=bool)
    # gensim's rule: the first of the best _CANDIDATES answers that is no variant of a,
    # b or c (the last of them if all are)
    answers = analogy_answers(kv, q[:, 0], q[:, 1], q[:, 2], rep, _CANDIDATES, method)
    return (answers >= 0) & (rep[answers] == q[:, 3])


def _correct_unseen(
    kv: SubwordVectors, questions: list, rep: np.ndarray, method: str
) -> np.ndarray:
    """As :func:`correct_answers`, for questions ``(words, rows)`` with an unseen a, b or c
    (row -1): their unit vectors come from n-grams; the searched rows are the same."""
    normed = kv.get_normed()[: len(rep)]
    n, d = len(questions), kv.dim
    terms = np.empty((3, n, d), dtype=np.float32)  # unit vectors of a, b, c
    rows = np.full((3, n), -1, dtype=np.int64)  # their rows (-1: unseen)
    for j, (words, ids) in enumerate(questions):
        for t in range(3):
            if ids[t] >= 0:
                terms[t, j], rows[t, j] = normed[ids[t]], ids[t]
            else:
                terms[t, j] = _unit_of(kv, words[t])
    expected = np.array([ids[3] for _, ids in questions], dtype=np.int64)
    correct = np.zeros(n, dtype=bool)
    k = min(_CANDIDATES, len(rep))
    step = chunk_rows(len(rep)) // 3 or 1
    for lo in range(0, n, step):
        a, b, c = terms[:, lo : lo + step]
        scores = analogy_scores(a, b, c, normed, method, COSMUL_EPSILON)
        qrows = rows[:, lo : lo + step]
        at = np.arange(qrows.shape[1])
        for t in range(3):
            inside = qrows[t] >= 0
            scores[at[inside], qrows[t][inside]] = -np.inf
        cand, _ = top_k(scores, k)
        groups = rep[cand]  # (m, k)
        qrep = np.where(qrows >= 0, rep[np.maximum(qrows, 0)], -1).T  # (m, 3)
        is_question = (groups[:, :, None] == qrep[:, None, :]).any(axis=2)
        first = np.where(is_question.all(axis=1), k - 1, is_question.argmin(axis=1))
        correct[lo : lo + step] = groups[at, first] == expected[lo : lo + step]
    return correct


def phrase_analogies(
    kv: KeyedVectors,
    path: PathLike | None = None,
    restrict_vocab: int = 30_000,
    case_insensitive: bool = True,
    method: str = "3cosadd",
) -> AnalogyResult:
    """Accuracy on phrase analogies (``Boston Boston_Globe Chicago Chicago_Tribune``).

    The set of Mikolov et al. (2013b) shipped with word2vec C (3,218 questions in
    5 sections, phrases joined with ``_``), scored as :func:`analogies` does, case
    insensitively by default (the set is capitalised, most corpora are not). Train
    on text whose phrases are joined (:mod:`wordvec.phrases`); ``total`` counts the
    questions answerable with the vocabulary (all four tokens among the first
    ``restrict_vocab``), ``skipped`` the others: few are answerable on small corpora.
    """
    path = shipped_path(SHIPPED_PHRASE_ANALOGIES) if path is None else path
    return analogies(kv, path, restrict_vocab, case_insensitive, method)


# --------------------------------------------------------------------------- similarity
def tie_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``x``, ties given the mean of the ranks they span."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], x.size]
    ranks = np.empty(x.size, dtype=np.float64)
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks


def pearson_r(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 2:
        return math.nan
    xc, yc = x - x.mean(), y - y.mean()
    denom = math.sqrt(float(xc @ xc) * float(yc @ yc))
    if denom == 0.0:
        return math.nan
    return max(-1.0, min(1.0, float(xc @ yc) / denom))


def word_pairs(
    kv: KeyedVectors,
    path: PathLike,
    restrict_vocab: int = 300_000,
    case_insensitive: bool = True,
    oov: bool = False,
) -> SimilarityResult:
    """Spearman and Pearson correlation of cosines with the human scores in ``path``.

    Parameters
    ----------
    kv : KeyedVectors
    path : str or PathLike
        ``word1<TAB>word2<TAB>score`` lines; ``#`` starts a comment line.
    restrict_vocab : int
        Only the first ``restrict_vocab`` words count as known.
    case_insensitive : bool
    oov : bool
        Also score the pairs with an unseen word, its vector built from n-grams
        (subword vectors only); ``oov_ratio`` still counts them.

    Returns
    -------
    SimilarityResult
    """
    oov = _check_oov(kv, oov)
    restrict_vocab = _check_restrict(restrict_vocab)
    pairs = read_pairs(path)
    if not pairs:
        raise FormatError(f"{os.fspath(path)}: no word pairs found")
    lookup, _, key = lookup_rows(kv, restrict_vocab, case_insensitive)
    ia, ib, gold = [], [], []
    unseen, unseen_gold = [], []
    for a, b, score, _ in pairs:
        i, j = lookup.get(key(a), -1), lookup.get(key(b), -1)
        if i >= 0 and j >= 0:
            ia.append(i)
            ib.append(j)
            gold.append(score)
        elif oov:
            unseen.append((a, i, b, j))
            unseen_gold.append(score)
    n_known = len(gold)
    model = kv.similarity_batch(np.array(ia, np.int64), np.array(ib, np.int64)).astype(np.float64)
    if unseen:
        normed = kv.get_normed()

        def unit(word: str, row: int) -> np.ndarray:
            return normed[row] if row >= 0 else _unit_of(kv, word)

        extra = [float(unit(a, i) @ unit(b, j)) for a, i, b, j in unseen]
        model = np.concatenate([model, np.array(extra, dtype=np.float64)])
        gold = gold + unseen_gold
    gold_arr = np.array(gold, dtype=np.float64)
    spearman = pearson_r(tie_ranks(gold_arr), tie_ranks(model)) if gold else math.nan
    return SimilarityResult(
        name=Path(path).stem,
        path=os.fspath(path),
        spearman=spearman,
        pearson=pearson_r(gold_arr, model),
        oov_ratio=(len(pairs) - n_known) / len(pairs),
        pairs=len(gold),
        oov=len(pairs) - n_known,
    )


@overload
def similarity(
    kv: KeyedVectors,
    path: PathLike,
    restrict_vocab: int = ...,
    case_insensitive: bool = ...,
    oov: bool = ...,
) -> SimilarityResult: ...
@overload
def similarity(
    kv: KeyedVectors,
    path: Sequence[PathLike] | None = ...,
    restrict_vocab: int = ...,
    case_insensitive: bool = ...,
    oov: bool = ...,
) -> dict[str, SimilarityResult]: ...
def similarity(kv, path=None, restrict_vocab=300_000, case_insensitive=True, oov=False):
    """Word-pair similarity on one file, several, or all the shipped sets.

    Parameters
    ----------
    kv : KeyedVectors
    path : str or PathLike, or list of them, optional
        One file gives one :class:`SimilarityResult`; a list, or None (the
        shipped WordSim-353 and SimLex-999), gives a dict keyed by file name
        without extension.
    restrict_vocab, case_insensitive, oov
        As :func:`word_pairs`.
    """
    if isinstance(path, (str, os.PathLike)):
        return word_pairs(kv, path, restrict_vocab, case_insensitive, oov)
    paths = [shipped_path(n) for n in SHIPPED_SIMILARITY] if path is None else list(path)
    out: dict[str, SimilarityResult] = {}
    for p in paths:
        result = word_pairs(kv, p, restrict_vocab, case_insensitive, oov)
        name = result.name if result.name not in out else Path(p).name
        out[name] = result
    return out


# --------------------------------------------------------------------------- all at once
def evaluate(
    kv: KeyedVectors,
    analogies: bool | PathLike | None = True,
    similarity: bool | PathLike | Sequence[PathLike] | None = True,
    restrict_vocab: int = 30_000,
    similarity_restrict_vocab: int = 300_000,
    case_insensitive: bool = True,
    method: str = "3cosadd",
    phrases: bool | PathLike | None = None,
    oov: bool = False,
) -> dict[str, Any]:
    """Run the analogy and similarity evaluations; the ``wordvec evaluate --json`` object.

    Parameters
    ----------
    kv : KeyedVectors
    analogies : bool or path
        True: the shipped questions-words set; a path: that file; False/None: skip.
    similarity : bool or path or list of paths
        True: the shipped WordSim-353 and SimLex-999; paths: those; False/None: skip.
    restrict_vocab : int
        For the analogies: 30,000, the threshold word2vec C's ``compute-accuracy`` is
        run with and the one published results use (gensim's
        ``evaluate_word_analogies`` defaults to 300,000; :mod:`wordvec.compat` keeps
        gensim's defaults).
    similarity_restrict_vocab : int
        For the word pairs (gensim's default, 300,000).
    case_insensitive : bool
    method : {"3cosadd", "3cosmul"}
    phrases : bool or path, optional
        True: the shipped phrase analogies (:func:`phrase_analogies`); a path: that file.
    oov : bool
        Subword vectors only: also score with unseen words included (their vectors
        from n-grams), as ``"analogy_oov"`` and ``"similarity_oov"`` beside the
        in-vocabulary ``"analogy"`` and ``"similarity"``.

    Returns
    -------
    dict
        ``{"analogy": {"accuracy", "correct", "total", "skipped", "sections",
        "semantic", "syntactic"}, "similarity": {name: {"spearman", "pearson",
        "oov_ratio"}}, "phrase_analogy": {like "analogy"}}``, each key present only
        if that part was evaluated (and ``"analogy_oov"``, ``"similarity_oov"``
        with ``oov``).
    """
    _check_oov(kv, oov)
    out: dict[str, Any] = {}
    if analogies is not None and analogies is not False:
        path = None if analogies is True else analogies
        out["analogy"] = _analogies(kv, path, restrict_vocab, case_insensitive, method).to_dict()
        if oov:
            result = _analogies(kv, path, restrict_vocab, case_insensitive, method, oov=True)
            out["analogy_oov"] = result.to_dict()
    if similarity is not None and similarity is not False:
        paths = None if similarity is True else similarity
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        results = _similarity(kv, paths, similarity_restrict_vocab, case_insensitive)
        out["similarity"] = {name: r.to_dict() for name, r in results.items()}
        if oov:
            results = _similarity(kv, paths, similarity_restrict_vocab, case_insensitive, oov=True)
            out["similarity_oov"] = {name: r.to_dict() for name, r in results.items()}
    if phrases is not None and phrases is not False:
        path = None if phrases is True else phrases
        result = phrase_analogies(kv, path, restrict_vocab, case_insensitive, method)
        out["phrase_analogy"] = result.to_dict()
    return out


# `evaluate` takes parameters named like these functions
_analogies = analogies
_similarity = similarity
