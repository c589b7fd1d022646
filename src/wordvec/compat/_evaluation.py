"""gensim's ``evaluate_word_analogies`` and ``evaluate_word_pairs``, with their results.

The files are read line by line as gensim reads them (a line that does not
split into 4 words, or into 3 fields, is skipped and logged; a question before
the first ``": "`` section line is a ValueError), and the same questions are
answered: the vocabulary is the first ``restrict_vocab`` keys, upper-cased with
``case_insensitive`` (each upper-cased form standing for its first key), and a
question's answer is the best of the top 5 candidates that is not a, b or c.
The answers themselves come from :mod:`wordvec.evaluate` (all questions at once,
as matrix products), so the numbers are those of :func:`wordvec.evaluate.analogies`
with gensim's defaults, in gensim's return shape.
"""

from __future__ import annotations

import itertools
import logging
import os
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..vectors.evaluate import correct_answers, lookup_rows
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
    sections: list[dict[str, Any]] = []
    # every question in file order: (its section, the words, answered or not)
    entries: list[tuple[dict[str, Any], tuple[str, str, str, str], bool]] = []
    rows: list[list[int]] = []
    oov = quadruplets = 0
    _check_exists(analogies)
    with open(analogies, "rb") as fh:
        for line_no, raw in enumerate(fh):
            line = raw.decode("utf-8")
            if line.startswith(": "):
                name = line.lstrip(": ").strip()
                sections.append({"section": name, "correct": [], "incorrect": []})
                continue
            if not sections:
                raise ValueError(f"Missing section header before line #{line_no} in {analogies}")
            words = line.split()
            if len(words) != 4:
                logger.info("Skipping invalid line #%i in %s", line_no, analogies)
                continue
            if case_insensitive:
                words = [w.upper() for w in words]
            quadruplets += 1
            ids = [lookup.get(key(w), -1) for w in words]
            question = (words[0], words[1], words[2], words[3])
            if min(ids) < 0:
                oov += 1
                if dummy4unknown:
                    entries.append((sections[-1], question, False))
                continue
            entries.append((sections[-1], question, True))
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
    gold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    dummies: list[int] = []  # positions of the zero similarities of dummy4unknown
    oov = 0
    _check_exists(pairs)
    with open(pairs, encoding=encoding) as fh:
        for line_no, line in enumerate(fh):
            if not line or line.startswith("#"):
                continue
            try:
                fields = line.split(delimiter)
                if case_insensitive:
                    fields = [f.upper() for f in fields]
                a, b, sim_text = fields
                sim = float(sim_text)
            except (ValueError, TypeError):
                logger.info("Skipping invalid line #%d in %s", line_no, pairs)
                continue
            i, j = lookup.get(key(a), -1), lookup.get(key(b), -1)
            if i < 0 or j < 0:
                oov += 1
                if dummy4unknown:
                    dummies.append(len(gold))
                    gold.append(sim)
                    left.append(0)
                    right.append(0)
                else:
                    logger.info("Skipping line #%d with OOV words: %s", line_no, line.strip())
                continue
            gold.append(sim)
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
