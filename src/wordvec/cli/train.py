"""`wordvec train`: the fast engine (with checkpoints and resume) and the reference engine.

Every path the run will write is checked before any work. The checkpoint
(``--checkpoint``, default ``OUTPUT.ckpt``) is written on Ctrl-C / SIGTERM, also
while the outputs are being written after training (then resuming only writes
them), and periodically with ``--checkpoint-every``; a finished run removes it
only if it is still the file this run wrote there (or the one it resumed from),
once the outputs are on disk: never one another run wrote meanwhile.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import shlex
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..errors import ConfigError, CorpusError, TrainingInterrupted, WordvecError
from ..files.atomic import file_identity, written_here
from ..files.paths import check_paths
from . import phrases
from ._common import errors_option, os_message, vectors_format

if TYPE_CHECKING:
    from ..model import Word2Vec


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
    p.add_argument(
        "--model",
        choices=["skipgram", "cbow"],
        default=None,
        help="default cbow (word2vec C's); skipgram with --subwords (fastText's)",
    )
    p.add_argument(
        "--loss",
        choices=["neg", "hs", "softmax", "hs+neg"],
        default="neg",
        help="negative sampling, hierarchical softmax, exact softmax, or hs+neg (both at once, "
        "as word2vec C's -hs 1 -negative 5)",
    )
    p.add_argument("--dim", type=int, default=100, help="vector size (default 100)")
    p.add_argument("--window", type=int, default=5, help="max context distance (default 5)")
    p.add_argument(
        "--negative",
        type=int,
        default=None,
        help="negatives per word for --loss neg and hs+neg (default 5)",
    )
    p.add_argument("--min-count", type=int, default=5, help="drop rarer words (default 5)")
    p.add_argument(
        "--sample",
        type=float,
        default=None,
        help="sub-sampling threshold, 0 disables (default 1e-3; 1e-4 with --subwords)",
    )
    p.add_argument("--epochs", "--iter", type=int, default=5, help="passes (default 5)")
    p.add_argument(
        "--alpha",
        type=float,
        default=None,
        help="start learning rate (default 0.025 skipgram, 0.05 cbow; 0.05 with --subwords)",
    )
    p.add_argument(
        "--min-alpha",
        type=float,
        default=None,
        help="final learning rate (default alpha * 1e-4; 0 with --subwords)",
    )
    p.add_argument(
        "--subwords",
        metavar="MINN-MAXN",
        type=_ngram_range,
        help="train fastText subword vectors with character n-grams of MINN to MAXN "
        "characters (e.g. 3-6; 0 for none): every word, seen or not, gets a vector. "
        "Other defaults become fastText's (skipgram, sample 1e-4, alpha 0.05 -> 0, noise "
        "exponent 0.5); --save-model PATH.bin writes fastText's .bin",
    )
    p.add_argument(
        "--bucket",
        type=int,
        default=None,
        help="hashed n-gram rows with --subwords (default 2000000)",
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
        help="also save the full model (both matrices, vocabulary) to PATH; with "
        "--subwords, a PATH ending in .bin is written as fastText's .bin",
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
    p.add_argument(
        "--tmp-dir",
        help="directory for temporary files: the id cache (4 bytes per word) and, when "
        "CORPUS is '-', a copy of standard input (default: the system's)",
    )
    errors_option(p, "CORPUS")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress line")
    phrases.add_train_option(p)
    ref = p.add_argument_group("reference engine (the course experiment, NumPy, slow)")
    ref.add_argument("--engine", choices=["fast", "reference"], default="fast")
    ref.add_argument(
        "--iterations",
        type=int,
        default=40000,
        help="SGD iterations of 50 windows (reference engine)",
    )
    ref.add_argument("--plot", metavar="PNG", help="reference engine: 2-D plot of COURSE_WORDS")
    _spark_train_options(p)
    p.set_defaults(func=_cmd_train)


def _spark_train_options(p: argparse.ArgumentParser) -> None:
    """``train --spark``: options read by wordvec.spark.cli (pyspark is imported only there)."""
    g = p.add_argument_group("Apache Spark (pip install 'wordvec[spark]')")
    g.add_argument("--spark", metavar="MASTER", help="train on Spark, e.g. local[2], yarn")
    g.add_argument(
        "--partitions",
        type=int,
        help="partitions (default: the cores Spark has; at most 4096, and one per 1,000 "
        "words of the corpus)",
    )
    g.add_argument(
        "--sync-every", type=int, help="words per partition between syncs (default 16M/partitions²)"
    )


def _ngram_range(text: str) -> tuple[int, int]:
    """``--subwords``: "MINN-MAXN" or "0" (no n-grams)."""
    parts = text.split("-")
    try:
        values = [int(x) for x in parts]
    except ValueError:
        values = []
    if text.strip() == "0":
        return 0, 0
    if len(values) != 2 or values[0] < 1 or values[1] < values[0]:
        raise argparse.ArgumentTypeError(
            f"expected MINN-MAXN with 1 <= MINN <= MAXN (e.g. 3-6), or 0; got {text!r}"
        )
    return values[0], values[1]


def _cmd_train(args: argparse.Namespace) -> int:
    if args.subwords is None and args.bucket is not None:
        raise ConfigError("`--bucket` sets the n-gram rows of subword models: add --subwords")
    if args.subwords is not None and args.spark is not None:
        raise ConfigError(
            "subword (--subwords) models cannot be trained on Spark yet; drop --spark to "
            "train on this machine"
        )
    if args.subwords is not None and args.engine == "reference":
        raise ConfigError("the reference engine trains word2vec only; drop --subwords")
    if args.engine == "reference":
        return _train_reference(args)
    if args.spark is not None:
        return _train_spark(args)
    if args.partitions is not None or args.sync_every is not None:
        raise ConfigError("`--partitions` and `--sync-every` are Spark options: add --spark MASTER")
    return _train_fast(args)


def _train_spark(args: argparse.Namespace) -> int:
    """The Spark branch: the same path checks and checkpoint rule as on one machine."""
    from ..spark.cli import train_on_spark  # imports pyspark

    plain = _spark_local_path(args.corpus)
    if plain is not None and not os.path.exists(plain):  # refused before Spark starts
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), args.corpus)
    local = args.corpus if args.corpus is not None and os.path.exists(args.corpus) else None
    checkpoint = _check_paths(args, local)  # (a URI corpus is Spark's to check)
    at_start = file_identity(checkpoint)

    def checkpoint_is_ours() -> bool:  # this run wrote it, or resumed from it
        return _is_ours(checkpoint, at_start, bool(args.resume))

    return train_on_spark(args, estimator_params(args), checkpoint, checkpoint_is_ours)


def _spark_local_path(corpus: str | None) -> str | None:
    """``corpus`` as a local path when it is one (no URI scheme but ``file:``, no glob);
    None for what only Spark can resolve (hdfs:, s3a:, globs) or no corpus."""
    if corpus is None or corpus == "-" or any(c in corpus for c in "*?[{"):
        return None
    if corpus.startswith("file:"):
        return corpus[len("file:") :].removeprefix("//") or None
    return None if "://" in corpus else corpus


def estimator_params(args: argparse.Namespace) -> dict:
    """The Word2Vec (or, with --subwords, FastText) parameters `train`'s options set (one
    machine and Spark alike); options left out take the estimator's own defaults."""
    sub = getattr(args, "subwords", None) is not None
    extra = {}
    if sub:
        minn, maxn = args.subwords
        bucket = 2_000_000 if args.bucket is None else args.bucket
        extra = dict(minn=minn if maxn else 3, maxn=maxn, bucket=bucket)
        if args.alpha is None:
            extra["alpha"] = 0.05
        if args.min_alpha is None:
            extra["min_alpha"] = 0.0
    return (
        dict(
            model=args.model or ("skipgram" if sub else "cbow"),
            loss=args.loss,
            dim=args.dim,
            window=args.window,
            negative=5 if args.negative is None else args.negative,
            min_count=args.min_count,
            sample=args.sample if args.sample is not None else (1e-4 if sub else 1e-3),
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
            errors=args.errors,
        )
        | extra
    )


def _estimator(args: argparse.Namespace) -> type[Word2Vec]:
    """FastText with --subwords, else Word2Vec (imported here: the parser needs neither)."""
    if args.subwords is not None:
        from ..fasttext import FastText

        return FastText
    from ..model import Word2Vec

    return Word2Vec


def _train_fast(args: argparse.Namespace) -> int:
    from ..text.corpus import default_corpus_path

    corpus = args.corpus if args.corpus is not None else default_corpus_path()
    checkpoint = _check_paths(args, corpus)
    # at once, before the engine (and Numba) is even imported; a corpus that is not there
    # gets its one-line error instead
    if not args.resume:
        _check_options(args)
    there = str(corpus) == "-" or os.path.exists(corpus)
    if not args.quiet and there and (not args.resume or os.path.exists(args.resume)):
        shipped = " (the shipped corpus)" if args.corpus is None else ""
        what = "resuming" if args.resume else "training"
        print(f"{what} on {corpus}{shipped} -> {args.output}", file=sys.stderr, flush=True)
    with contextlib.ExitStack() as stack:
        if args.phrases:  # joined on the fly: read once, no text written
            phrased = phrases.phrased_corpus(corpus, args.phrases, args.lowercase, args.tmp_dir)
            corpus = stack.enter_context(phrased)
        from ..engine import jit

        announce = jit.ANNOUNCE
        jit.ANNOUNCE = announce and not args.quiet  # --quiet: not even the compile notice
        try:
            return _train_on(args, corpus, checkpoint)
        finally:
            jit.ANNOUNCE = announce


def _check_options(args: argparse.Namespace) -> None:
    """Every training option, checked before the first line is printed (and before the
    engine is imported: TrainConfig needs NumPy only)."""
    import dataclasses

    from ..config import TrainConfig, check_subword_settings

    if getattr(args, "subwords", None) is not None:
        check_subword_settings(args.loss, not args.cbow_sum)
    if args.loss not in ("neg", "hs+neg") and args.negative:
        # Validation lets negative=5 pass with other losses (it is Word2Vec's
        # default, so an explicit 5 looks the same); here "--negative" was typed.
        raise ConfigError(
            f"`negative` must be 0 when loss={args.loss!r}; got {args.negative}: "
            "hierarchical softmax and the full softmax draw no negatives (--loss hs+neg "
            "trains hierarchical softmax and negative sampling together)."
        )
    fields = {f.name for f in dataclasses.fields(TrainConfig)}
    values = {k: v for k, v in estimator_params(args).items() if k in fields}
    if values["loss"] not in ("neg", "hs+neg"):
        values["negative"] = 0  # (as Word2Vec.config: the default K is negative sampling's)
    TrainConfig(**values).validate()


def _train_on(args: argparse.Namespace, corpus, checkpoint: str) -> int:
    from ..vectors import formats

    at_start = file_identity(checkpoint)  # (a file there now is no write of this run's)
    if args.resume:
        try:
            model = _estimator(args).resume(
                args.resume,
                corpus,
                progress=not args.quiet,
                checkpoint_every=args.checkpoint_every,
                tmp_dir=args.tmp_dir,
                errors=args.errors,
            )
        except TrainingInterrupted as exc:
            raise _with_resume_command(exc, args) from None
    else:
        model = _estimator(args)(**estimator_params(args))  # (options checked: _check_options)
        try:
            model.fit(corpus, checkpoint=checkpoint, checkpoint_every=args.checkpoint_every)
        except TrainingInterrupted as exc:
            raise _with_resume_command(exc, args) from None
    # training time: the epochs' own clocks, which start once the kernels are compiled
    seconds = sum(s.seconds for s in model.epoch_stats_)
    wv = model.wv
    try:
        formats.save(wv, args.output)
        if args.save_model:
            if args.subwords is not None and args.save_model.lower().endswith(".bin"):
                model.save_fasttext(args.save_model)  # fastText's .bin, by its extension
            else:
                model.save(args.save_model)
    except (KeyboardInterrupt, OSError, WordvecError) as exc:  # Ctrl-C, SIGTERM, a full disk
        raise _keep_the_run(exc, model, checkpoint, args) from None
    # the outputs are on disk: the checkpoint is obsolete if it is this run's (written
    # by it, or the one it resumed from), never if another run wrote it meanwhile
    with contextlib.suppress(FileNotFoundError):
        if _is_ours(checkpoint, at_start, bool(args.resume)):
            os.unlink(checkpoint)
    from ..engine.schedule import speed_of

    speed = speed_of(model.epoch_stats_)  # the definition every log line uses
    print(
        f"trained a vocabulary of {len(wv)} words x {wv.dim} dims in {seconds:.1f}s "
        f"({speed / 1e3:.0f}k words/s); "
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
            other = wv.case_match(w)
            hint = f"; did you mean {other!r}?" if other else ""
            print(f"  {w:>12}: (not in the vocabulary{hint})")
    return 0


def _check_paths(args: argparse.Namespace, corpus) -> str:
    """Check every path the run will write, before any work; returns the checkpoint's."""
    if args.resume and args.checkpoint:
        raise ConfigError(
            f"{args.checkpoint}: --checkpoint cannot be used with --resume: a resumed run "
            f"writes its checkpoint to the one it resumed from, {args.resume!r}"
        )
    checkpoint = args.resume or args.checkpoint or f"{args.output}.ckpt"
    if args.resume:
        label = "--resume"
    else:
        label = (
            "--checkpoint"
            if args.checkpoint
            else "the checkpoint (--checkpoint, default OUTPUT.ckpt)"
        )
    check_paths(
        outputs={"-o": args.output, "--save-model": args.save_model, label: checkpoint},
        inputs={"CORPUS": corpus},
        directories={"--tmp-dir": args.tmp_dir},
    )
    vectors_format(args.output, None, None, reading=False)
    if not args.resume:
        _check_checkpoint_path(checkpoint, label)
    return checkpoint


def _check_checkpoint_path(path: str, label: str) -> None:
    """A file already at the checkpoint path must be a checkpoint (of an earlier run):
    an interruption replaces it, and anything else would be lost."""
    from ..files.container import read_container

    if not os.path.lexists(path):
        return
    try:
        meta, _ = read_container(path, mmap=True)
        if meta.get("kind") in ("checkpoint", "spark-checkpoint"):
            return
    except (OSError, WordvecError):
        pass
    raise ConfigError(
        f"{path}: {label} exists and is not a wordvec checkpoint; an interruption would "
        "replace it: choose another path, or remove it"
    )


def _is_ours(checkpoint: str, at_start: tuple[int, ...] | None, resumed: bool) -> bool:
    """Whether this run may delete ``checkpoint`` once its outputs are written: it is
    still the file this run wrote there last, or the one it resumed from (``at_start``).
    Never a file another run wrote, before this one started or since (each write
    renames a new file into place: another identity)."""
    if resumed and file_identity(checkpoint) == at_start:
        return True
    return written_here(checkpoint) and file_identity(checkpoint) != at_start


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C / SIGTERM do not cut the block short (a checkpoint written as the run ends
    because of one: a second one only repeats the request)."""
    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread: nothing to defer
            previous[sig] = signal.signal(sig, lambda signum, frame: None)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _keep_the_run(
    exc: BaseException, model: Word2Vec, checkpoint: str, args: argparse.Namespace
) -> BaseException:
    """The error to end with when the outputs of a trained model could not be written:
    the model is not lost if the checkpoint can be written (resuming from it then only
    writes the outputs); if it cannot, the first error is the one to report."""
    try:
        with _signals_deferred():  # (people press Ctrl-C twice)
            model.save_checkpoint(checkpoint)
    except (OSError, WordvecError):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        done = TrainingInterrupted("", checkpoint, model.epochs, model.epochs)
        return _with_resume_command(done, args, after_training=True)
    reason = os_message(exc) if isinstance(exc, OSError) else str(exc)
    return WordvecError(
        f"{reason}; the trained model is kept in the checkpoint {checkpoint!r}: once that "
        f"is put right, write the outputs with: {_resume_command(args, checkpoint)}"
    )


def _with_resume_command(
    exc: TrainingInterrupted, args: argparse.Namespace, after_training: bool = False
) -> Exception:
    """The interruption's message, ending with the exact command line that resumes this run."""
    if exc.checkpoint is None:
        return exc
    if after_training:
        what = "interrupted while writing the outputs, after training"  # resume writes them
    else:
        what = f"training interrupted in epoch {exc.epoch}/{exc.epochs}"
    return TrainingInterrupted(
        f"{what}; checkpoint written to {exc.checkpoint!r}. "
        f"Resume with: {_resume_command(args, exc.checkpoint)}",
        checkpoint=exc.checkpoint,
        epoch=exc.epoch,
        epochs=exc.epochs,
    )


def _resume_command(args: argparse.Namespace, checkpoint: str) -> str:
    command = ["wordvec", "train"]
    if args.corpus is not None:
        command.append(args.corpus)
    command += ["-o", args.output, "--resume", checkpoint]
    if args.subwords is not None:
        minn, maxn = args.subwords
        command += ["--subwords", f"{minn}-{maxn}" if maxn else "0"]
    if args.save_model:
        command += ["--save-model", args.save_model]
    # the options of reading the corpus again the same way
    if args.errors != "strict":
        command += ["--errors", args.errors]
    if args.tmp_dir:
        command += ["--tmp-dir", args.tmp_dir]
    if args.checkpoint_every:
        command += ["--checkpoint-every", str(args.checkpoint_every)]
    if args.phrases:
        command += ["--phrases", str(args.phrases)]
    return " ".join(shlex.quote(c) for c in command)


def _train_reference(args: argparse.Namespace) -> int:
    import numpy as np

    from ..reference.trainer import run_course_experiment
    from ..vectors import formats
    from ..vectors.keyedvectors import KeyedVectors

    if args.corpus is None:
        raise CorpusError(
            "the reference engine trains on the Stanford Sentiment Treebank: give the path "
            "of datasetSentences.txt as CORPUS"
        )
    check_paths(outputs={"-o": args.output, "--plot": args.plot}, inputs={"CORPUS": args.corpus})
    vectors_format(args.output, None, None, reading=False)
    if args.plot and os.path.splitext(args.plot)[1].lower() not in (".png", ".svg"):
        raise ConfigError(f"{args.plot}: --plot must end in .png or .svg")
    loss = "softmax" if args.loss == "softmax" else "neg"
    if args.loss in ("hs", "hs+neg"):
        raise ConfigError(
            f"`loss` must be 'neg' or 'softmax' for the reference engine; got {args.loss!r}."
        )
    result = run_course_experiment(
        args.corpus,
        model=args.model or "cbow",
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
        from ..vectors.plot import COURSE_WORDS, plot

        plot(kv, COURSE_WORDS, args.plot, title="reference word vectors (SST)")
        print(f"plot written to {args.plot}")
    return 0
