"""The command line's phrase parts: `wordvec phrases`, `train --phrases N`, `evaluate --phrases`.

:mod:`wordvec.cli` only registers these (a few lines each); the work is here.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from ..files.paths import check_paths
from ..text.corpus import TextCorpus, default_corpus_path

if TYPE_CHECKING:
    from ..phrases.phrases import PhrasedCorpus

# wordvec.phrases.SCORERS, written out: the parser is built without importing the
# compiled phrase kernels (tests/cli/test_phrases_cli.py holds the two equal)
SCORINGS = ("default", "npmi", "word2phrase")


def _add_phrases(sub: argparse._SubParsersAction) -> None:
    """Declare ``wordvec phrases`` (run by :func:`run_phrases`)."""
    p = sub.add_parser(
        "phrases",
        help="join frequent word pairs into phrase tokens (new york -> new_york)",
        description=(
            "Detect phrases (gensim's Phrases, word2vec C's word2phrase) and write CORPUS "
            "with them joined, one sentence per line. CORPUS: a text file (.gz/.bz2/.xz too), "
            "a directory of files, or '-' for stdin; it is read once for all passes."
        ),
    )
    p.add_argument(
        "corpus", nargs="?", help="text to read ('-' for stdin; default: the shipped corpus)"
    )
    p.add_argument("-o", "--output", required=True, help="file to write the joined text to")
    p.add_argument("--min-count", type=int, default=5, help="delta of the score (default 5)")
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="join pairs scoring above it (default 10; 100 for word2phrase; npmi: required)",
    )
    p.add_argument("--scoring", choices=list(SCORINGS), default="default")
    p.add_argument(
        "--passes", type=int, default=1, help="passes; 2 gives phrases of 3-4 words (default 1)"
    )
    p.add_argument("--delimiter", default="_", help="joins a phrase's words (default _)")
    _connectors_option(p)
    p.add_argument("--lowercase", action="store_true", help="lowercase the corpus")
    p.add_argument(
        "--max-vocab",
        type=int,
        default=40_000_000,
        help="most distinct words, and word pairs, held while counting (default 40M)",
    )
    p.add_argument("--save-model", metavar="PATH", help="also save the phrase model to PATH")
    p.add_argument("--tmp-dir", help="directory for the temporary id files (4 bytes per token)")
    p.set_defaults(func=run_phrases)


def _connectors_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--connector-words",
        metavar="WORDS",
        default=None,
        help="words allowed inside a phrase: 'english' (the, of, ...) or a comma-separated list",
    )


def _connectors(value: str | None) -> frozenset[str]:
    if value is None:
        return frozenset()
    if value == "english":
        from ..phrases import ENGLISH_CONNECTOR_WORDS

        return ENGLISH_CONNECTOR_WORDS
    return frozenset(w for w in value.split(",") if w)


def run_phrases(args: argparse.Namespace) -> int:
    """``wordvec phrases``: fit on the corpus and write it joined, atomically."""
    from ..phrases import Phrases

    source = args.corpus if args.corpus is not None else default_corpus_path()
    check_paths(
        outputs={"-o": args.output, "--save-model": args.save_model},
        inputs={"CORPUS": source},
        directories={"--tmp-dir": args.tmp_dir},
    )
    model = Phrases(
        min_count=args.min_count,
        threshold=args.threshold,
        scoring=args.scoring,
        delimiter=args.delimiter,
        max_vocab=args.max_vocab,
        connector_words=_connectors(args.connector_words),
        passes=args.passes,
        tmp_dir=args.tmp_dir,
    )
    model._validate()  # before reading anything
    corpus = TextCorpus(source, lowercase=args.lowercase)
    t0 = time.perf_counter()
    model.fit_write(corpus, args.output)
    seconds = time.perf_counter() - t0
    if args.save_model:
        model.save(args.save_model)
    phrases = model.export_phrases()
    words = model.layers_[0].n_words
    print(
        f"{len(phrases)} phrases in {args.passes} pass(es) over {words} words in "
        f"{seconds:.1f}s; text written to {args.output}"
    )
    for phrase, score in sorted(phrases.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {phrase:>30}  {score:.4g}")
    return 0


# --------------------------------------------------------------------------- train --phrases


def add_train_option(p: argparse.ArgumentParser) -> None:
    """``wordvec train --phrases N``."""
    p.add_argument(
        "--phrases",
        type=int,
        default=0,
        metavar="N",
        help="first join phrases with N passes (gensim default scoring), no file written",
    )


def phrased_corpus(corpus: Any, passes: int, lowercase: bool, tmp_dir: str | None) -> PhrasedCorpus:
    """The training corpus with ``passes`` phrase passes applied (read once; close it after).

    The text is read once, into a temporary id file (4 bytes per token, in
    ``tmp_dir``), from which every pass and the training read: standard input
    works too.
    """
    if passes < 0 or isinstance(passes, bool):
        raise ConfigError(f"`phrases` must be an int >= 0; got {passes!r}.")
    from ..phrases import Phrases

    source = corpus if corpus is not None else default_corpus_path()
    model = Phrases(passes=passes, tmp_dir=tmp_dir)
    t0 = time.perf_counter()
    phrased = model.fit_corpus(TextCorpus(source, lowercase=lowercase))
    n = len(model.export_phrases())
    print(
        f"phrases: {n} found in {passes} pass(es) in {time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
    )
    return phrased


# --------------------------------------------------------------------------- evaluate --phrases


def add_evaluate_option(p: argparse.ArgumentParser) -> None:
    """``wordvec evaluate --phrases``."""
    p.add_argument(
        "--phrases",
        nargs="?",
        const=True,
        default=None,
        metavar="FILE",
        help="phrase analogies (default: word2vec's questions-phrases.txt, shipped)",
    )


def print_phrase_analogies(a: dict[str, Any], name: str, restrict_vocab: int) -> None:
    """The phrase analogy table of ``wordvec evaluate --phrases``."""
    answerable = a["total"]
    asked = a["total"] + a["skipped"]
    print(
        f"phrase analogies ({name}; {restrict_vocab} most frequent words): "
        f"{answerable} of {asked} questions answerable"
    )
    width = max([len(n) for n in a["sections"]] + [9])
    print(f"{'section':<{width}}  {'accuracy':>8}  {'correct':>7}  {'total':>6}  {'skipped':>7}")
    rows = [*a["sections"].items(), ("total", a)]
    for i, (section, s) in enumerate(rows):
        if i == len(a["sections"]):
            print("-" * (width + 36))
        # no question answered: no accuracy (as in the questions-words table)
        acc = f"{s['accuracy']:>8.2%}" if s["accuracy"] is not None else f"{'n/a':>8}"
        print(f"{section:<{width}}  {acc}  {s['correct']:>7}  {s['total']:>6}  {s['skipped']:>7}")
