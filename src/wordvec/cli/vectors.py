"""Sub-commands that use a vectors file: plot, similar, analogy, evaluate, convert."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._paths import check_paths
from ..errors import ConfigError
from . import phrases
from ._common import FORMATS, errors_option, load_vectors, vectors_format, vectors_options

# ---- plot: 2-D picture of chosen word vectors


def _add_plot(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plot",
        help="plot chosen word vectors in 2-D (PCA or t-SNE)",
        description="Project the vectors of chosen words to 2-D and save a labelled scatter "
        "plot (PNG or SVG, from the suffix of -o).",
    )
    vectors_options(p)
    p.add_argument(
        "words", nargs="*", help="words to plot (default: a built-in list, see --course-words)"
    )
    p.add_argument("-o", "--output", required=True, help="output file, .png or .svg")
    p.add_argument("--method", choices=["pca", "tsne"], default="pca", help="projection (pca)")
    p.add_argument(
        "--course-words",
        action="store_true",
        help="plot the word list of CS224n's word_vectors.png (for vectors trained on SST)",
    )
    p.add_argument("--title", default=None, help="figure title")
    p.add_argument("--seed", type=int, default=0, help="t-SNE seed (default 0)")
    p.set_defaults(func=_cmd_plot)


def _cmd_plot(args: argparse.Namespace) -> int:
    import warnings

    from ..plot import COURSE_WORDS, plot

    check_paths(outputs={"-o": args.output}, inputs={"VECTORS": args.vectors})
    if Path(args.output).suffix.lower() not in (".png", ".svg"):
        raise ConfigError(
            f"{args.output}: -o must end in .png or .svg (the suffix picks the format)"
        )
    words = args.words or (list(COURSE_WORDS) if args.course_words else None)
    kv = load_vectors(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            coords = plot(
                kv, words, args.output, method=args.method, title=args.title, seed=args.seed
            )
        except ImportError as exc:  # matplotlib missing: a one-line message, not a traceback
            print(f"wordvec: error: {exc}", file=sys.stderr)
            return 1
    for w in caught:
        print(f"wordvec: warning: {w.message}", file=sys.stderr)
    print(f"wrote {args.output} ({len(coords)} words, {args.method})")
    return 0


# ---- similar / analogy / evaluate / convert: using a vectors file


def _print_neighbours(pairs: list[tuple[str, float]], as_json: bool, score: str) -> None:
    import json

    if as_json:
        print(json.dumps([[w, s] for w, s in pairs], ensure_ascii=False))
        return
    width = max([len(w) for w, _ in pairs] + [4])
    print(f"{'rank':>4}  {'word':<{width}}  {score:>8}")
    for rank, (w, s) in enumerate(pairs, 1):
        print(f"{rank:>4}  {w:<{width}}  {s:>8.4f}")


def _restrict_vocab_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--restrict-vocab",
        type=int,
        default=None,
        metavar="N",
        help="search only the N most frequent words",
    )


def _add_similar(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "similar",
        help="nearest words to a word, by cosine",
        description="List the words whose vectors are closest (cosine) to WORD's.",
    )
    vectors_options(p)
    p.add_argument("word", help="the query word")
    p.add_argument("-n", "--topn", type=int, default=10, help="how many neighbours (10)")
    _restrict_vocab_option(p)
    p.add_argument("--json", action="store_true", help="print a JSON list of [word, cosine]")
    p.set_defaults(func=_cmd_similar)


def _cmd_similar(args: argparse.Namespace) -> int:
    kv = load_vectors(args)
    pairs = kv.most_similar(args.word, topn=args.topn, restrict_vocab=args.restrict_vocab)
    _print_neighbours(pairs, args.json, "cosine")
    return 0


def _add_analogy(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "analogy",
        help="solve A is to B as C is to ?",
        description="Answer the analogy A : B :: C : ? (e.g. man king woman -> queen); the "
        "three words themselves are never answers.",
    )
    vectors_options(p)
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("c")
    p.add_argument("-n", "--topn", type=int, default=5, help="how many answers (5)")
    p.add_argument(
        "--method",
        choices=["3cosadd", "3cosmul"],
        default="3cosadd",
        help="3cosadd (vector offset, default) or 3cosmul (Levy & Goldberg 2014)",
    )
    _restrict_vocab_option(p)
    p.add_argument("--json", action="store_true", help="print a JSON list of [word, score]")
    p.set_defaults(func=_cmd_analogy)


def _cmd_analogy(args: argparse.Namespace) -> int:
    kv = load_vectors(args)
    pairs = kv.analogy(
        args.a,
        args.b,
        args.c,
        topn=args.topn,
        restrict_vocab=args.restrict_vocab,
        method=args.method,
    )
    _print_neighbours(pairs, args.json, "cosine" if args.method == "3cosadd" else "score")
    return 0


def _add_evaluate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "evaluate",
        help="analogy accuracy and word-similarity correlation",
        description="Evaluate vectors on word analogies (questions-words format) and word "
        "similarity (WordSim-353 / SimLex-999 format). With neither --analogies nor "
        "--similarity, the standard sets shipped with wordvec are used.",
    )
    vectors_options(p)
    p.add_argument("--analogies", metavar="FILE", help="analogy questions file")
    p.add_argument(
        "--similarity",
        metavar="FILE",
        action="append",
        help="word-pair similarity file (repeatable)",
    )
    p.add_argument(
        "--restrict-vocab",
        type=int,
        default=30_000,
        metavar="N",
        help="analogies: use only the N most frequent words (30000)",
    )
    p.add_argument(
        "--method",
        choices=["3cosadd", "3cosmul"],
        default="3cosadd",
        help="analogy method (3cosadd)",
    )
    p.add_argument(
        "--case-sensitive",
        action="store_true",
        help="compare words as they are (default: ignore case)",
    )
    phrases.add_evaluate_option(p)
    p.add_argument(
        "--oov",
        action="store_true",
        help="subword vectors (a fastText .bin): also score with unseen words included, each "
        "built from its character n-grams, beside the in-vocabulary scores",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=_cmd_evaluate)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from ..evaluate import evaluate

    neither = args.analogies is None and args.similarity is None and args.phrases is None
    kv = load_vectors(args)
    result = evaluate(
        kv,
        analogies=True if neither else (args.analogies or False),
        similarity=True if neither else (args.similarity or False),
        restrict_vocab=args.restrict_vocab,
        case_insensitive=not args.case_sensitive,
        method=args.method,
        phrases=args.phrases,
        oov=args.oov,
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    blocks = 0
    for part, how in (("analogy", ""), ("analogy_oov", "; unseen words from their n-grams")):
        if part not in result:
            continue
        if blocks:
            print()
        blocks += 1
        a = result[part]
        print(
            f"analogies ({args.analogies or 'questions-words.txt'}; "
            f"{args.restrict_vocab} most frequent words; {args.method}{how})"
        )
        width = max([len(n) for n in a["sections"]] + [9])
        print(
            f"{'section':<{width}}  {'accuracy':>8}  {'correct':>7}  {'total':>6}  {'skipped':>7}"
        )
        rows = [
            *a["sections"].items(),
            ("semantic", a["semantic"]),
            ("syntactic", a["syntactic"]),
            ("total", a),
        ]
        for i, (name, s) in enumerate(rows):
            if i == len(a["sections"]):
                print("-" * (width + 36))
            # no question answered: no accuracy (as for the correlations below)
            acc = f"{s['accuracy']:>8.2%}" if s["accuracy"] is not None else f"{'n/a':>8}"
            print(f"{name:<{width}}  {acc}  {s['correct']:>7}  {s['total']:>6}  {s['skipped']:>7}")
    for part, title in (("similarity", "similarity"), ("similarity_oov", "similarity+oov")):
        if part not in result:
            continue
        if blocks:
            print()
        blocks += 1
        sims = result[part]
        width = max([len(n) for n in sims] + [len(title)])
        print(f"{title:<{width}}  {'spearman':>8}  {'pearson':>8}  {'oov':>6}")
        for name, s in sims.items():
            sp, pe = (
                f"{x:>8.4f}" if x is not None else f"{'n/a':>8}"
                for x in (s["spearman"], s["pearson"])
            )
            print(f"{name:<{width}}  {sp}  {pe}  {s['oov_ratio']:>6.1%}")
    if "phrase_analogy" in result:
        name = "questions-phrases.txt" if args.phrases is True else args.phrases
        phrases.print_phrase_analogies(result["phrase_analogy"], name, args.restrict_vocab)
    return 0


def _add_convert(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert",
        help="convert a vectors file between formats",
        description="Read IN and write OUT, each in the format named by --from / --to or "
        "by its extension (.bin word2vec binary, .txt/.vec word2vec text, .wvec native). A "
        "fastText .bin (told apart by its magic number) is read as subword vectors: .vec/.txt "
        "and word2vec .bin get the vocabulary's vectors, .wvec keeps the n-gram rows.",
    )
    p.add_argument("input", metavar="IN", help="vectors file to read")
    p.add_argument("output", metavar="OUT", help="vectors file to write")
    p.add_argument("--from", dest="from_format", choices=FORMATS, help="format of IN")
    p.add_argument("--to", dest="to_format", choices=FORMATS, help="format of OUT")
    errors_option(p, "the words of a word2vec file IN")
    p.set_defaults(func=_cmd_convert)


def _cmd_convert(args: argparse.Namespace) -> int:
    from ..formats import load, save

    check_paths(outputs={"OUT": args.output}, inputs={"IN": args.input})
    to_format = vectors_format(args.output, args.to_format, "--to", reading=False)
    from_format = vectors_format(args.input, args.from_format, "--from", reading=True)
    # mapped, so checked lazily: save() checks every value before it writes one
    kv = load(args.input, format=from_format, mmap=True, errors=args.errors)
    save(kv, args.output, format=to_format)
    print(f"wrote {args.output} ({len(kv)} words, dim {kv.dim})")
    return 0
