"""Bit-identity check for refactors of wordvec.compat: sha256 of trained compat weights.

Trains, with one worker and gensim's default seed, compat ``Word2Vec`` (CBOW and
skip-gram, negative sampling and hierarchical softmax, with the loss), the
``build_vocab`` + ``train`` road with a callback that stops after two epochs, a
vocabulary update with a second ``train``, and compat ``FastText``, on the first
``--words`` words of a real corpus; prints one row each (a digest of the weights
and what ``train`` returned). A refactor of compat that must not change results
gives the same rows before and after:

    PYTHONPATH=/path/to/old/src python bench/hash_compat.py --out before.json
    PYTHONPATH=src python bench/hash_compat.py --compare before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "public-domain-books.txt"


def digest(*arrays) -> str:
    h = hashlib.sha256()
    for a in arrays:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def rows(path: Path) -> dict[str, list]:
    from wordvec.compat import FastText, LineSentence, Word2Vec
    from wordvec.compat.callbacks import CallbackAny2Vec

    class StopAfterTwo(CallbackAny2Vec):
        def __init__(self) -> None:
            self.n = 0

        def on_epoch_end(self, model) -> None:
            self.n += 1
            if self.n == 2:
                model.stop_training = True

    sents = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    out: dict[str, list] = {}
    for sg in (0, 1):
        for hs, neg in ((0, 5), (1, 0)):
            m = Word2Vec(
                sents, vector_size=16, min_count=3, workers=1, sg=sg, hs=hs, negative=neg,
                epochs=3, compute_loss=True,
            )  # fmt: skip
            out[f"sg={sg} hs={hs}"] = [digest(m.wv.vectors, m._w_out), m.get_latest_training_loss()]
    m = Word2Vec(vector_size=16, min_count=3, workers=1, epochs=4)
    m.build_vocab(corpus_file=path)
    r = m.train(
        corpus_file=path, total_examples=m.corpus_count, epochs=4, callbacks=[StopAfterTwo()],
        compute_loss=True,
    )  # fmt: skip
    out["build_vocab+train, stopped"] = [
        digest(m.wv.vectors, m._w_out), list(r), m.get_latest_training_loss(),
        m.min_alpha_yet_reached,
    ]  # fmt: skip
    m = Word2Vec(vector_size=16, min_count=3, workers=1)
    m.build_vocab(LineSentence(path))
    r = m.train(LineSentence(path), total_examples=m.corpus_count, epochs=2)
    m.build_vocab(sents[:200], update=True)
    r2 = m.train(sents[:300], total_examples=300, epochs=1)
    out["update"] = [digest(m.wv.vectors, m._w_out), list(r), list(r2)]
    f = FastText(sents[:1500], vector_size=12, min_count=3, workers=1, epochs=2, bucket=5000)
    out["FastText"] = [digest(f._full, f._w_out)]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--words", type=int, default=60_000)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        n = 0
        with open(args.corpus, encoding="utf-8") as fin, open(path, "w", encoding="utf-8") as fo:
            for line in fin:
                fo.write(line)
                n += len(line.split())
                if n >= args.words:
                    break
        table = rows(path)
    for name, row in table.items():
        print(f"{name:28s} {row[0][:16]}  {row[1:]}")
    if args.out:
        args.out.write_text(json.dumps(table, indent=1))
    if args.compare:
        want = json.loads(args.compare.read_text())
        diff = [k for k in want if want[k] != table.get(k)]
        print("all identical" if not diff else f"DIFFERENT: {diff}")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
