"""The same gensim script, run with gensim and with wordvec.compat (the import swapped).

One ordinary gensim 4 training script (``SCRIPT`` below: ``LineSentence``, a
loss-logging ``CallbackAny2Vec``, ``build_vocab`` then ``train(total_examples=...,
epochs=...)``, ``most_similar``, ``save`` / ``load``, ``save_word2vec_format``) is
written out twice, identical but for its import lines::

    from gensim.models import ...          ->  from wordvec.compat import ...
    from gensim.models.word2vec import ... ->  from wordvec.compat.word2vec import ...

and each copy runs as its own process. The time is the whole script, from the
process start (imports included) to its end, as a user waits for it. Quality is
measured afterwards on the vectors each run saved, with one evaluator for both
(``wordvec.vectors.evaluate``: questions-words over the 30,000 most frequent words,
WordSim-353 Spearman). Repeats go round-robin over the two, so a change in the
machine's speed falls on both; the table shows medians.

Before the timed rounds, the wordvec.compat script runs once on a small corpus,
untimed, so that Numba's compile cache is warm (the first run of a fresh install
compiles the kernels; that one-off cost is printed separately).

    python bench/bench_compat.py                        # 2 M words of en17m, CBOW, 3 repeats
    python bench/bench_compat.py --words 5000000 --sg 1 --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import prefix_corpus  # (bench/ is the script's directory)

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "en17m.txt"

IMPORTS = {
    "gensim": (
        "from gensim.models import Word2Vec\n"
        "from gensim.models.word2vec import LineSentence\n"
        "from gensim.models.callbacks import CallbackAny2Vec\n"
    ),
    "wordvec.compat": (
        "from wordvec.compat import Word2Vec\n"
        "from wordvec.compat.word2vec import LineSentence\n"
        "from wordvec.compat.callbacks import CallbackAny2Vec\n"
    ),
}

SCRIPT = '''\
import sys

{imports}

class LossLogger(CallbackAny2Vec):
    """Print each epoch's loss (gensim's loss is cumulative within a train() call)."""

    def __init__(self):
        self.epoch = 0
        self.previous = 0.0

    def on_epoch_end(self, model):
        loss = model.get_latest_training_loss()
        print(f"epoch {{self.epoch}}: loss {{loss - self.previous:.0f}}")
        self.epoch += 1
        self.previous = loss


corpus, out = sys.argv[1], sys.argv[2]
sg, workers, epochs = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
sentences = LineSentence(corpus)
model = Word2Vec(vector_size=100, window=5, min_count=5, sample=1e-4, sg=sg, workers=workers)
model.build_vocab(sentences)
print(f"vocabulary: {{len(model.wv)}} words, {{model.corpus_count}} sentences")
model.train(
    sentences,
    total_examples=model.corpus_count,
    epochs=epochs,
    compute_loss=True,
    callbacks=[LossLogger()],
)
word = "king" if "king" in model.wv else model.wv.index_to_key[0]
print(model.wv.most_similar(word, topn=5))
model.save(out + ".model")
model = Word2Vec.load(out + ".model")
model.wv.save_word2vec_format(out, binary=True)
'''


def write_scripts(tmp: Path) -> dict[str, Path]:
    paths = {}
    for tool, imports in IMPORTS.items():
        path = tmp / f"script_{tool.replace('.', '_')}.py"
        path.write_text(SCRIPT.format(imports=imports.rstrip()), encoding="utf-8")
        paths[tool] = path
    return paths


def run(script: Path, corpus: Path, out: Path, args) -> float:
    cmd = [sys.executable, str(script), str(corpus), str(out), str(args.sg), str(args.workers)]
    cmd.append(str(args.epochs))
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if res.returncode != 0:
        raise SystemExit(f"{script.name} failed:\n{res.stderr[-3000:]}")
    return seconds


def quality(vec_path: Path) -> dict[str, float]:
    from wordvec.vectors import evaluate
    from wordvec.vectors.formats import load

    kv = load(vec_path)
    return {
        "analogy": evaluate.analogies(kv, restrict_vocab=30000).accuracy,
        "ws353": evaluate.similarity(kv)["wordsim353"].spearman,
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--words", type=int, default=2_000_000, help="prefix of the corpus (words)")
    p.add_argument("--sg", type=int, default=0, choices=[0, 1])
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    try:
        import gensim  # noqa: F401
    except ImportError:
        raise SystemExit("gensim is not installed: pip install '.[bench]'") from None

    with tempfile.TemporaryDirectory(prefix="bench-compat-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus.txt"
        n_words = prefix_corpus(args.corpus, args.words, corpus)
        scripts = write_scripts(tmp)
        warm = tmp / "warm.txt"
        prefix_corpus(args.corpus, 20_000, warm)
        t_warm = run(scripts["wordvec.compat"], warm, tmp / "warm.bin", args)
        print(
            f"{args.corpus.name}: {n_words / 1e6:.2f} M words; "
            f"{'skip-gram' if args.sg else 'CBOW'} + negative sampling, vector_size 100, "
            f"window 5, min_count 5, sample 1e-4, {args.epochs} epochs, {args.workers} "
            f"workers; median of {args.repeats} round-robin repeats"
        )
        print(f"(untimed warm-up of wordvec.compat on 20k words, Numba cache: {t_warm:.1f} s)")
        times: dict[str, list[float]] = {tool: [] for tool in scripts}
        quals: dict[str, list[dict[str, float]]] = {tool: [] for tool in scripts}
        for r in range(args.repeats):
            for tool, script in scripts.items():
                out = tmp / f"{tool}-{r}.bin"
                times[tool].append(run(script, corpus, out, args))
                quals[tool].append(quality(out))
                print(f"  round {r + 1}: {tool:15s} {times[tool][-1]:7.1f} s", flush=True)
        base = statistics.median(times["gensim"])
        print()
        header = f"{'script':22s} {'time':>9s} {'speed':>7s} {'analogy (30k)':>14s} {'WS-353':>7s}"
        print(header)
        print("-" * len(header))
        for tool in scripts:
            med = statistics.median(times[tool])
            analogy = statistics.median(q["analogy"] for q in quals[tool])
            ws = statistics.median(q["ws353"] for q in quals[tool])
            print(
                f"{'import ' + tool:22s} {med:7.1f} s {base / med:6.2f}x "
                f"{100 * analogy:13.1f}% {ws:7.3f}"
            )


if __name__ == "__main__":
    main()
