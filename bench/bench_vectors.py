"""Benchmarks for using vectors, against gensim in the same run.

1. The full questions-words analogy evaluation (19,544 questions, restrict_vocab
   30,000): ``wordvec.vectors.evaluate.analogies`` vs gensim's ``evaluate_word_analogies``
   on the same vectors, with both accuracies printed (they must agree).
2. Loading a V x d random vectors file (default 100k x 300): wordvec's native
   format (memory-mapped, and read) vs word2vec binary (wordvec's and gensim's
   readers).
3. ``most_similar`` latency over a V-word vocabulary (median over many queries),
   wordvec vs gensim.

Every timing is the median of ``--repeat`` runs (gensim's slow evaluation:
``--gensim-repeat``); file loads are timed with the file in the page cache.

Usage::

    python bench/bench_vectors.py                         # train vectors on 2M words of en17m
    python bench/bench_vectors.py --vectors my.bin        # or evaluate given vectors
    python bench/bench_vectors.py --corpus-words 500000 --gensim-repeat 1   # quick check
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from wordvec.vectors import evaluate, formats
from wordvec.vectors.keyedvectors import KeyedVectors

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "en17m.txt"


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` calls of ``fn`` and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def gensim_copy(kv: KeyedVectors):
    from gensim.models import KeyedVectors as GensimKV

    g = GensimKV(kv.dim)
    g.add_vectors(kv.words, np.asarray(kv.vectors))
    return g


def train_vectors(corpus: Path, n_words: int, dim: int, epochs: int) -> KeyedVectors:
    """Vectors trained by gensim on the first ``n_words`` tokens of ``corpus``."""
    from gensim.models import Word2Vec

    sentences, n = [], 0
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            sentences.append(line.split())
            n += len(sentences[-1])
            if n >= n_words:
                break
    t0 = time.perf_counter()
    model = Word2Vec(
        sentences, vector_size=dim, min_count=5, workers=os.cpu_count() or 1, epochs=epochs, seed=1
    )
    print(
        f"# trained gensim vectors on {n:,} words of {corpus.name}: {len(model.wv):,} words "
        f"x {dim}, {epochs} epochs, {time.perf_counter() - t0:.1f}s",
        file=sys.stderr,
    )
    return KeyedVectors(list(model.wv.index_to_key), model.wv.vectors)


def bench_analogies(kv: KeyedVectors, repeat: int, gensim_repeat: int) -> list[tuple]:
    questions = evaluate.shipped_path(evaluate.SHIPPED_ANALOGIES)
    g = gensim_copy(kv)
    ours_t, ours = timed(lambda: evaluate.analogies(kv, restrict_vocab=30_000), repeat)
    theirs_t, (score, _) = timed(
        lambda: g.evaluate_word_analogies(str(questions), restrict_vocab=30_000), gensim_repeat
    )
    label = f"analogies: questions-words, {len(kv):,} x {kv.dim}"
    return [
        (label, f"{ours_t:.2f} s", f"{theirs_t:.2f} s", f"{theirs_t / ours_t:.1f}x faster"),
        (
            "  accuracy (answered / skipped questions)",
            f"{ours.accuracy:.4%}",
            f"{score:.4%}",
            f"{ours.total:,} / {ours.skipped:,}",
        ),
    ]


def bench_loading(n: int, d: int, repeat: int) -> list[tuple]:
    from gensim.models import KeyedVectors as GensimKV

    rng = np.random.default_rng(0)
    kv = KeyedVectors([f"word{i}" for i in range(n)], rng.standard_normal((n, d), np.float32))
    with tempfile.TemporaryDirectory() as tmp:
        binary, native = Path(tmp) / "v.bin", Path(tmp) / "v.wvec"
        formats.save(kv, binary)
        formats.save(kv, native)
        # one untimed read of each file, so that all are timed from the page cache
        binary.read_bytes(), native.read_bytes()
        t_mmap, _ = timed(lambda: formats.load(native, mmap=True), repeat)
        t_read, _ = timed(lambda: formats.load(native, mmap=False), repeat)
        t_bin, _ = timed(lambda: formats.load(binary), repeat)
        t_gbin, _ = timed(lambda: GensimKV.load_word2vec_format(str(binary), binary=True), repeat)
    size = f"{n // 1000}k x {d}"
    return [
        (f"load {size}: word2vec binary", f"{t_bin:.3f} s", f"{t_gbin:.3f} s", ""),
        (
            f"load {size}: native, memory-mapped",
            f"{t_mmap:.3f} s",
            "",
            f"{t_bin / t_mmap:.0f}x / {t_gbin / t_mmap:.0f}x faster than binary",
        ),
        (
            f"load {size}: native, read",
            f"{t_read:.3f} s",
            "",
            f"{t_bin / t_read:.1f}x / {t_gbin / t_read:.1f}x faster than binary",
        ),
    ]


def bench_most_similar(n: int, d: int, queries: int) -> list[tuple]:
    rng = np.random.default_rng(1)
    kv = KeyedVectors([f"word{i}" for i in range(n)], rng.standard_normal((n, d), np.float32))
    g = gensim_copy(kv)
    kv.get_normed(), g.fill_norms()  # both cache unit vectors on first use
    words = [kv.words[i] for i in rng.choice(n, size=queries, replace=False)]

    def latency(fn) -> float:
        times = []
        for w in words:
            t0 = time.perf_counter()
            fn(w)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    ours = latency(lambda w: kv.most_similar(w, topn=10))
    theirs = latency(lambda w: g.most_similar(w, topn=10))
    t_batch, _ = timed(lambda: kv.most_similar_batch(words, topn=10), 1)
    return [
        (
            f"most_similar, {n // 1000}k x {d} (median of {queries})",
            f"{ours * 1e3:.2f} ms",
            f"{theirs * 1e3:.2f} ms",
            f"{theirs / ours:.1f}x",
        ),
        (
            f"most_similar_batch, {queries} queries",
            f"{t_batch * 1e3 / queries:.2f} ms/query",
            "",
            "",
        ),
    ]


def print_table(rows: list[tuple]) -> None:
    header = ("benchmark", "wordvec", "gensim", "ratio")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    for r in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--vectors", help="evaluate these vectors instead of training some")
    p.add_argument("--corpus", type=Path, default=CORPUS, help="corpus to train on (en17m)")
    p.add_argument("--corpus-words", type=int, default=2_000_000, help="training prefix (2M)")
    p.add_argument("--dim", type=int, default=100, help="trained vector size (100)")
    p.add_argument("--epochs", type=int, default=3, help="training epochs (3)")
    p.add_argument("--load-vocab", type=int, default=100_000, help="V of the load test (100k)")
    p.add_argument("--load-dim", type=int, default=300, help="d of the load test (300)")
    p.add_argument("--queries", type=int, default=200, help="most_similar queries (200)")
    p.add_argument("--repeat", type=int, default=5, help="runs per timing (5)")
    p.add_argument("--gensim-repeat", type=int, default=3, help="runs of gensim's evaluation (3)")
    args = p.parse_args(argv)
    logging.getLogger("gensim").setLevel(logging.WARNING)

    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"numpy {np.__version__}, python {platform.python_version()}"
    )
    if args.vectors:
        kv = formats.load(args.vectors)
    elif args.corpus.exists():
        kv = train_vectors(args.corpus, args.corpus_words, args.dim, args.epochs)
    else:
        print(f"{args.corpus} not found: pass --vectors or --corpus", file=sys.stderr)
        return 2
    rows = bench_analogies(kv, args.repeat, args.gensim_repeat)
    rows += bench_loading(args.load_vocab, args.load_dim, args.repeat)
    rows += bench_most_similar(args.load_vocab, args.load_dim, args.queries)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
