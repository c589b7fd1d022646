"""Command-line interface: a thin layer over the library.

Each sub-command has an ``_add_<name>(subparsers)`` that declares its options
(and sets ``func=_cmd_<name>``) and a ``_cmd_<name>(args) -> int`` that runs it;
``build_parser`` finds every ``_add_*`` function by name. Library errors
(:class:`wordvec.errors.WordvecError`) become one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from ._version import __version__
from .errors import ConfigError, CorpusError, TrainingInterrupted, WordvecError
from .model import Word2Vec


# --------------------------------------------------------------------------- commands
# (each block: _add_X declares the sub-command, _cmd_X runs it)
def _add_train(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train word vectors on a corpus",
        description=(
            "Train word vectors. CORPUS: a text file (.gz/.bz2/.xz too), a directory of "
            "files, or '-' for stdin; one sentence per line, tokens split on whitespace. "
            "Without CORPUS, trains on the public-domain books shipped with wordvec. "
            "Defaults follow word2vec C."
        ),
    )
    p.add_argument("corpus", nargs="?", help="training text (default: the shipped corpus)")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="vectors file: .bin word2vec binary, .txt/.vec word2vec text, .wvec native",
    )
    p.add_argument("--model", choices=["skipgram", "cbow"], default="cbow")
    p.add_argument(
        "--loss",
        choices=["neg", "hs", "softmax"],
        default="neg",
        help="negative sampling, hierarchical softmax or exact softmax",
    )
    p.add_argument("--dim", type=int, default=100, help="vector size (default 100)")
    p.add_argument("--window", type=int, default=5, help="max context distance (default 5)")
    p.add_argument(
        "--negative", type=int, default=None, help="negatives per word for --loss neg (default 5)"
    )
    p.add_argument("--min-count", type=int, default=5, help="drop rarer words (default 5)")
    p.add_argument(
        "--sample",
        type=float,
        default=1e-3,
        help="sub-sampling threshold, 0 disables (default 1e-3)",
    )
    p.add_argument("--epochs", "--iter", type=int, default=5, help="passes (default 5)")
    p.add_argument(
        "--alpha",
        type=float,
        default=None,
        help="start learning rate (default 0.025 skipgram, 0.05 cbow)",
    )
    p.add_argument(
        "--min-alpha", type=float, default=None, help="final learning rate (default alpha * 1e-4)"
    )
    p.add_argument("--threads", type=int, default=0, help="worker threads (default all cores)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--cbow-sum", action="store_true", help="CBOW sums the context (default mean)")
    p.add_argument("--lowercase", action="store_true", help="lowercase the corpus")
    p.add_argument(
        "--max-vocab",
        type=int,
        default=10_000_000,
        help="bound on distinct tokens while counting; rarer ones are pruned",
    )
    p.add_argument(
        "--max-final-vocab", type=int, default=None, help="keep only the N most frequent words"
    )
    p.add_argument(
        "--save-model",
        metavar="PATH",
        help="also save the full model (both matrices, vocabulary) to PATH",
    )
    p.add_argument(
        "--checkpoint",
        metavar="PATH",
        help="checkpoint written on Ctrl-C / SIGTERM (default OUTPUT.ckpt)",
    )
    p.add_argument(
        "--checkpoint-every",
        type=float,
        metavar="SECONDS",
        help="also write the checkpoint periodically",
    )
    p.add_argument(
        "--resume",
        metavar="CHECKPOINT",
        help="continue an interrupted run (its settings win over the options)",
    )
    p.add_argument(
        "--neighbours",
        "--neighbors",
        metavar="WORDS",
        help="comma-separated words whose nearest neighbours to print at the end",
    )
    p.add_argument("--tmp-dir", help="directory for the temporary id cache (4 bytes per word)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress line")
    ref = p.add_argument_group("reference engine (the course experiment, NumPy, slow)")
    ref.add_argument("--engine", choices=["fast", "reference"], default="fast")
    ref.add_argument(
        "--iterations",
        type=int,
        default=40000,
        help="SGD iterations of 50 windows (reference engine)",
    )
    ref.add_argument("--plot", metavar="PNG", help="reference engine: 2-D plot of COURSE_WORDS")
    p.set_defaults(func=_cmd_train)


def _cmd_train(args: argparse.Namespace) -> int:
    if args.engine == "reference":
        return _train_reference(args)
    try:
        return _train_fast(args)
    except OSError as exc:  # a file that cannot be read or written: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        raise WordvecError(f"{where}{exc.strerror or exc}") from None


def _train_fast(args: argparse.Namespace) -> int:
    from . import formats
    from .corpus import default_corpus_path

    corpus = args.corpus if args.corpus is not None else default_corpus_path()
    checkpoint = args.checkpoint or f"{args.output}.ckpt"
    _check_output(args.output)
    if args.resume:
        try:
            model = Word2Vec.resume(
                args.resume,
                corpus,
                progress=not args.quiet,
                checkpoint_every=args.checkpoint_every,
                tmp_dir=args.tmp_dir,
            )
        except TrainingInterrupted as exc:
            raise _with_resume_command(exc, args) from None
    else:
        model = Word2Vec(
            model=args.model,
            loss=args.loss,
            dim=args.dim,
            window=args.window,
            negative=5 if args.negative is None else args.negative,
            min_count=args.min_count,
            sample=args.sample,
            epochs=args.epochs,
            alpha=args.alpha,
            min_alpha=args.min_alpha,
            threads=args.threads,
            seed=args.seed,
            cbow_mean=not args.cbow_sum,
            lowercase=args.lowercase,
            max_vocab=args.max_vocab,
            max_final_vocab=args.max_final_vocab,
            tmp_dir=args.tmp_dir,
            progress=not args.quiet,
        )
        if args.loss != "neg" and args.negative:
            # Validation lets negative=5 pass with other losses (it is Word2Vec's
            # default, so an explicit 5 looks the same); here "--negative" was typed.
            raise ConfigError(
                f"`negative` must be 0 when loss={args.loss!r}; got {args.negative}: negative "
                "sampling, hierarchical softmax and full softmax are exclusive objectives."
            )
        try:
            model.fit(corpus, checkpoint=checkpoint, checkpoint_every=args.checkpoint_every)
        except TrainingInterrupted as exc:
            raise _with_resume_command(exc, args) from None
    # training time: the epochs' own clocks, which start once the kernels are compiled
    seconds = sum(s.seconds for s in model.epoch_stats_)
    wv = model.wv
    formats.save(wv, args.output)
    if args.save_model:
        model.save(args.save_model)
    with contextlib.suppress(FileNotFoundError):
        if not args.resume or os.path.abspath(args.resume) == os.path.abspath(checkpoint):
            os.unlink(checkpoint)  # the run finished: its checkpoint is obsolete
    words = sum(s.words for s in model.epoch_stats_)
    print(
        f"trained {len(wv)} words x {wv.dim} dims in {seconds:.1f}s "
        f"({words / max(seconds, 1e-9) / 1e3:.0f}k words/s); "
        f"loss per epoch: {', '.join(f'{x:.4f}' for x in model.loss_history_)}"
    )
    print(f"vectors written to {args.output}")
    if args.neighbours:
        probe = [w for w in args.neighbours.split(",") if w]
    elif args.corpus is None:
        probe = ["king", "love", "sea", "war", "she", "good"]
    else:
        probe = [wv.words[i] for i in (50, 100, 200, 400, 800) if i < len(wv)]
    for w in probe:
        if w in wv:
            near = ", ".join(f"{x} {s:.2f}" for x, s in wv.most_similar(w, topn=8))
            print(f"  {w:>12}: {near}")
        else:
            print(f"  {w:>12}: (not in the vocabulary)")
    return 0


def _with_resume_command(exc: TrainingInterrupted, args: argparse.Namespace) -> Exception:
    """The library's message, ending with the exact command line that resumes this run."""
    import shlex

    if exc.checkpoint is None:
        return exc
    command = ["wordvec", "train"]
    if args.corpus is not None:
        command.append(args.corpus)
    command += ["-o", args.output, "--resume", exc.checkpoint]
    if args.save_model:
        command += ["--save-model", args.save_model]
    return TrainingInterrupted(
        f"training interrupted in epoch {exc.epoch}/{exc.epochs}; checkpoint written to "
        f"{exc.checkpoint!r}. Resume with: {' '.join(shlex.quote(c) for c in command)}",
        checkpoint=exc.checkpoint,
        epoch=exc.epoch,
        epochs=exc.epochs,
    )


def _check_output(path: str) -> None:
    """Fail before training, not after, on an output path that cannot be written."""
    from .formats import resolve_format

    resolve_format(path)
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise ConfigError(f"`output` directory {parent!r} does not exist; got {path!r}.")


def _train_reference(args: argparse.Namespace) -> int:
    import numpy as np

    from . import formats
    from .reference.trainer import run_course_experiment
    from .vectors import KeyedVectors

    if args.corpus is None:
        raise CorpusError(
            "the reference engine trains on the Stanford Sentiment Treebank: give the path "
            "of datasetSentences.txt as CORPUS"
        )
    _check_output(args.output)
    loss = "softmax" if args.loss == "softmax" else "neg"
    if args.loss == "hs":
        raise ConfigError("`loss` must be 'neg' or 'softmax' for the reference engine; got 'hs'.")
    result = run_course_experiment(
        args.corpus,
        model=args.model,
        loss=loss,
        dim=args.dim if args.dim != 100 else 10,
        window=args.window,
        negative=10 if args.negative is None else args.negative,
        iterations=args.iterations,
        seed=args.seed,
        print_every=min(100, args.iterations),
        quiet=args.quiet,
        log=lambda line: print(line, file=sys.stderr),
    )
    kv = KeyedVectors(
        result.words, result.vectors("in").astype(np.float32), result.counts.astype(np.int64)
    )
    formats.save(kv, args.output)
    print(f"first smoothed loss {result.first_loss:.4f}, last {result.last_loss:.4f}")
    print(f"vectors written to {args.output}")
    if args.plot:
        from .plot import COURSE_WORDS, plot

        plot(kv, COURSE_WORDS, args.plot, title="reference word vectors (SST)")
        print(f"plot written to {args.plot}")
    return 0


# ---- gradcheck: every reference gradient against central differences


def _add_gradcheck(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "gradcheck",
        help="check every reference gradient against central differences",
        description="Check each loss, model, the network and the activation derivatives of "
        "wordvec.reference against central differences; exit 1 if an error exceeds the "
        "tolerance.",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the random points (default 0)")
    p.add_argument(
        "--tolerance", type=float, default=1e-6, help="largest relative error accepted (1e-6)"
    )
    p.set_defaults(func=_cmd_gradcheck)


def _cmd_gradcheck(args: argparse.Namespace) -> int:
    from .reference.gradcheck import format_table, gradient_checks

    rows = gradient_checks(seed=args.seed)
    print(format_table(rows, args.tolerance))
    failed = [r.name for r in rows if not r.error <= args.tolerance]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"all {len(rows)} gradients agree to within {args.tolerance:g}")
    return 0


# ---- plot: 2-D picture of chosen word vectors


def _add_plot(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "plot",
        help="plot chosen word vectors in 2-D (PCA or t-SNE)",
        description="Project the vectors of chosen words to 2-D and save a labelled scatter "
        "plot (PNG or SVG, from the suffix of -o).",
    )
    p.add_argument("vectors", help="vectors file (any format wordvec can load)")
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

    from .formats import load
    from .plot import COURSE_WORDS, plot

    words = args.words or (list(COURSE_WORDS) if args.course_words else None)
    kv = load(args.vectors)
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

_VECTORS_HELP = "vectors file: .bin (word2vec binary), .txt / .vec (word2vec text), .wvec (native)"


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
    p.add_argument("vectors", help=_VECTORS_HELP)
    p.add_argument("word", help="the query word")
    p.add_argument("-n", "--topn", type=int, default=10, help="how many neighbours (10)")
    _restrict_vocab_option(p)
    p.add_argument("--json", action="store_true", help="print a JSON list of [word, cosine]")
    p.set_defaults(func=_cmd_similar)


def _cmd_similar(args: argparse.Namespace) -> int:
    from .formats import load

    kv = load(args.vectors, mmap=True)
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
    p.add_argument("vectors", help=_VECTORS_HELP)
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
    from .formats import load

    kv = load(args.vectors, mmap=True)
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
    p.add_argument("vectors", help=_VECTORS_HELP)
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
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(func=_cmd_evaluate)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from .evaluate import evaluate
    from .formats import load

    neither = args.analogies is None and args.similarity is None
    kv = load(args.vectors, mmap=True)
    result = evaluate(
        kv,
        analogies=True if neither else (args.analogies or False),
        similarity=True if neither else (args.similarity or False),
        restrict_vocab=args.restrict_vocab,
        case_insensitive=not args.case_sensitive,
        method=args.method,
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if "analogy" in result:
        a = result["analogy"]
        print(
            f"analogies ({args.analogies or 'questions-words.txt'}; "
            f"{args.restrict_vocab} most frequent words; {args.method})"
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
            print(
                f"{name:<{width}}  {s['accuracy']:>8.2%}  {s['correct']:>7}  "
                f"{s['total']:>6}  {s['skipped']:>7}"
            )
    if "similarity" in result:
        if "analogy" in result:
            print()
        sims = result["similarity"]
        width = max([len(n) for n in sims] + [10])
        print(f"{'similarity':<{width}}  {'spearman':>8}  {'pearson':>8}  {'oov':>6}")
        for name, s in sims.items():
            sp, pe = (
                f"{x:>8.4f}" if x is not None else f"{'n/a':>8}"
                for x in (s["spearman"], s["pearson"])
            )
            print(f"{name:<{width}}  {sp}  {pe}  {s['oov_ratio']:>6.1%}")
    return 0


def _add_convert(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "convert",
        help="convert a vectors file between formats",
        description="Read IN and write OUT, each in the format named by --from / --to or "
        "by its extension (.bin word2vec binary, .txt/.vec word2vec text, .wvec native).",
    )
    p.add_argument("input", metavar="IN", help="vectors file to read")
    p.add_argument("output", metavar="OUT", help="vectors file to write")
    fmts = ["word2vec-bin", "word2vec-text", "native"]
    p.add_argument("--from", dest="from_format", choices=fmts, help="format of IN")
    p.add_argument("--to", dest="to_format", choices=fmts, help="format of OUT")
    p.set_defaults(func=_cmd_convert)


def _cmd_convert(args: argparse.Namespace) -> int:
    from .formats import load, save

    kv = load(args.input, format=args.from_format, mmap=True)
    save(kv, args.output, format=args.to_format)
    print(f"wrote {args.output} ({len(kv)} words, dim {kv.dim})")
    return 0


# --------------------------------------------------------------------------- wiring


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wordvec",
        description="word2vec: a checked NumPy reference and a fast multi-core engine.",
    )
    parser.add_argument("--version", action="version", version=f"wordvec {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    # every module-level ``_add_<name>`` function declares one sub-command, in source order
    for name, fn in list(globals().items()):
        if name.startswith("_add_") and callable(fn):
            fn(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except TrainingInterrupted as exc:
        print(f"wordvec: {exc}", file=sys.stderr)
        return 130
    except WordvecError as exc:
        print(f"wordvec: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("wordvec: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `wordvec similar ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
