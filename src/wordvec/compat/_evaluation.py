"""gensim's ``evaluate_word_analogies`` and ``evaluate_word_pairs``, with their results.

The files are read by wordvec's own readers (:func:`wordvec.vectors.evaluate.read_questions`
and :func:`~wordvec.vectors.evaluate.read_pairs`) with gensim's rules as their parameters:
a line that does not split into 4 words, or into 3 fields at ``delimiter``, is skipped
and logged with gensim's (0-based) line number, and a question before the first section
line is a ValueError. The same questions are answered: the vocabulary is the first
``restrict_vocab`` keys, upper-cased with ``case_insensitive`` (each upper-cased form
standing for its first key), and a question's answer is the best of the top 5 candidates
that is not a, b or c. The answers come from :mod:`wordvec.vectors.evaluate` (all
questions at once, as matrix products); this module only shapes them as gensim returns
them. Where wordvec's readers are more lenient than gensim's (blank and ``#`` lines are
skipped without a log line, a UTF-8 byte-order mark is dropped), a file gensim reads gives
the same results.
"""

from __future__ import annotations

import itertools
import logging
import os
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..vectors.evaluate import NO_SECTION, correct_answers, lookup_rows, read_pairs, read_questions
from ._stats import pearson, spearman
from .test.utils import module_path

__all__ = ["evaluate_word_analogies", "evaluate_word_pairs"]

logger = logging.getLogger("wordvec.compat.keyedvectors")


def _section_score(section: dict[str, Any]) -> float:
    correct, incorrect = len(section["correct"]), len(section["incorrect"])
    if correct + incorrect == 0:
        return 0.0
    score = correct / (correct + incorrect)
    logger.info(
        "%s: %.1f%% (%i/%i)", section["section"], 100.0 * score, correct, correct + incorrect
    )
    return score


def evaluate_word_analogies(
    kv,
    analogies: str | os.PathLike[str],
    restrict_vocab: int = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
    similarity_function: str = "most_similar",
):
    """Accuracy on an analogy file in questions-words format, in gensim's shape.

    Returns
    -------
    score : float
        Correct answers over the questions answered (and, with ``dummy4unknown``,
        those with an out-of-vocabulary word, which count as wrong).
    sections : list of dict
        One dict per ``": section"`` of the file, then ``"Total accuracy"``; each has
        ``"section"`` (its name), ``"correct"`` and ``"incorrect"`` (lists of
        ``(a, b, c, expected)`` tuples, upper-cased with ``case_insensitive``).
    """
    if similarity_function != "most_similar":
        raise ConfigError(
            "`similarity_function` must be 'most_similar' (3CosAdd, what gensim 4.4 uses); "
            f"got {similarity_function!r}."
        )
    lookup, rep, key = lookup_rows(kv, int(restrict_vocab), case_insensitive)
    logger.info(
        "Evaluating word analogies for top %i words in the model on %s", restrict_vocab, analogies
    )
    _check_exists(analogies)

    def invalid(line: int, reason: str) -> None:
        if reason == NO_SECTION:
            raise ValueError(f"Missing section header before line #{line - 1} in {analogies}")
        logger.info("Skipping invalid line #%i in %s", line - 1, analogies)

    sections: list[dict[str, Any]] = []
    # every question in file order: (its section, the words, answered or not)
    entries: list[tuple[dict[str, Any], tuple[str, str, str, str], bool]] = []
    rows: list[list[int]] = []
    oov = quadruplets = 0
    for name, questions in read_questions(analogies, on_invalid=invalid):
        section: dict[str, Any] = {"section": name, "correct": [], "incorrect": []}
        sections.append(section)
        for question in questions:
            if case_insensitive:
                question = tuple(w.upper() for w in question)
            quadruplets += 1
            ids = [lookup.get(key(w), -1) for w in question]
            if min(ids) < 0:
                oov += 1
                if dummy4unknown:
                    entries.append((section, question, False))
                continue
            entries.append((section, question, True))
            rows.append(ids)
    q = np.array(rows, dtype=np.int64).reshape(-1, 4)  # (n, 4): a, b, c, expected
    answers = iter(correct_answers(kv, q, rep, "3cosadd").tolist())
    for section, question, answered in entries:
        right = answered and next(answers)
        section["correct" if right else "incorrect"].append(question)
    for s in sections:
        _section_score(s)
    total = {
        "section": "Total accuracy",
        "correct": list(itertools.chain.from_iterable(s["correct"] for s in sections)),
        "incorrect": list(itertools.chain.from_iterable(s["incorrect"] for s in sections)),
    }
    if quadruplets:
        logger.info("Quadruplets with out-of-vocabulary words: %.1f%%", 100.0 * oov / quadruplets)
    score = _section_score(total)
    sections.append(total)
    return score, sections


def evaluate_word_pairs(
    kv,
    pairs: str | os.PathLike[str],
    delimiter: str = "\t",
    encoding: str = "utf8",
    restrict_vocab: int = 300000,
    case_insensitive: bool = True,
    dummy4unknown: bool = False,
):
    """Correlation of the cosines with human similarity scores, in gensim's shape.

    Returns
    -------
    pearson, spearman : Correlation
        ``(statistic, pvalue)`` named tuples, read like SciPy's results
        (``pearson[0]``, ``spearman.correlation``).
    oov_ratio : float
        Percentage of pairs with an out-of-vocabulary word.
    """
    lookup, _, key = lookup_rows(kv, int(restrict_vocab), case_insensitive)
    _check_exists(pairs)

    def invalid(line: int, reason: str) -> None:
        logger.info("Skipping invalid line #%d in %s", line - 1, pairs)

    gold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    dummies: list[int] = []  # positions of the zero similarities of dummy4unknown
    oov = 0
    for pair in read_pairs(pairs, delimiter, encoding, on_invalid=invalid):
        i, j = lookup.get(key(pair.first), -1), lookup.get(key(pair.second), -1)
        if i < 0 or j < 0:
            oov += 1
            if dummy4unknown:
                dummies.append(len(gold))
                gold.append(pair.score)
                left.append(0)
                right.append(0)
            else:
                logger.info(
                    "Skipping line #%d with OOV words: %s %s",
                    pair.line - 1,
                    pair.first,
                    pair.second,
                )
            continue
        gold.append(pair.score)
        left.append(i)
        right.append(j)
    if not gold:
        raise ValueError(
            f"No valid similarity judgements found in {pairs}: either invalid format or "
            f"all are out-of-vocabulary in {kv}"
        )
    model = kv.similarity_batch(np.array(left, np.int64), np.array(right, np.int64))
    model = model.astype(np.float64)
    model[dummies] = 0.0
    gold_arr = np.array(gold, dtype=np.float64)
    rho = spearman(gold_arr, model)
    r = pearson(gold_arr, model)
    if dummy4unknown:
        oov_ratio = float(oov) / len(gold) * 100
    else:
        oov_ratio = float(oov) / (len(gold) + oov) * 100
    logger.info("Pearson correlation coefficient against %s: %.4f", pairs, r[0])
    logger.info("Spearman rank-order correlation coefficient against %s: %.4f", pairs, rho[0])
    logger.info("Pairs with unknown words ratio: %.1f%%", oov_ratio)
    return r, rho, oov_ratio


def _check_exists(path) -> None:
    """gensim opens the path as given (a shipped set is ``datapath(name)``); a bare name of
    a shipped set that is not in the working directory gets that hint, as gensim's
    ``FileNotFoundError``."""
    name = os.fspath(path)
    if os.path.exists(name):
        return
    hint = ""
    if os.path.basename(name) == name and os.path.isfile(os.path.join(module_path, name)):
        hint = (
            f"; wordvec ships {name}: pass datapath({name!r}) "
            "(from wordvec.compat.test.utils import datapath)"
        )
    raise FileNotFoundError(f"No such file: {name!r}{hint}")
