"""hs=1 with negative=5 (both objectives) in gensim and in wordvec.compat: quality and time.

gensim applies the hierarchical-softmax step to the input vector, then computes
negative sampling from the moved vector; wordvec sums the two gradients into one step
(word2vec C's rule). This runs the same script on both, on the same text, and prints
questions-words accuracy (30k most frequent words), WordSim-353 and SimLex-999 (Spearman)
and the training time, per seed:

    python bench/bench_hs_neg.py [--corpus PATH] [--epochs 3] [--seeds 1 2] [--sg 0]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "public-domain-books.txt"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=CORPUS)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    p.add_argument("--sg", type=int, default=0)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)

    from gensim.models import Word2Vec as GensimWord2Vec
    from gensim.models.word2vec import LineSentence as GensimLineSentence

    from wordvec import evaluate
    from wordvec.compat import LineSentence, Word2Vec
    from wordvec.vectors.formats import load

    kw = dict(
        vector_size=100, window=5, min_count=5, sample=1e-3, hs=1, negative=5,
        sg=args.sg, epochs=args.epochs, workers=args.workers,
    )  # fmt: skip
    print(f"# {args.corpus.name}, hs=1 negative=5 sg={args.sg}, {args.epochs} epochs")
    print(f"{'run':22}{'seed':>5}{'train s':>9}{'analogy':>9}{'WS-353':>8}{'SimLex':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            for name in ("gensim", "wordvec.compat"):
                t0 = time.perf_counter()
                if name == "gensim":
                    m = GensimWord2Vec(GensimLineSentence(str(args.corpus)), seed=seed, **kw)
                    path = Path(tmp) / "g.bin"
                    m.wv.save_word2vec_format(str(path), binary=True)
                    seconds = time.perf_counter() - t0
                    wv = load(path)
                else:
                    m = Word2Vec(LineSentence(args.corpus), seed=seed, **kw)
                    seconds = time.perf_counter() - t0
                    wv = m.wv
                acc = evaluate.analogies(wv).accuracy
                sim = evaluate.similarity(wv)
                print(
                    f"{name:22}{seed:>5}{seconds:>9.1f}{100 * acc:>8.2f}%"
                    f"{sim['wordsim353'].spearman:>8.3f}{sim['simlex999'].spearman:>8.3f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
