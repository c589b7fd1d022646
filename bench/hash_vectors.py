"""Bit-identity check for refactors: sha256 of the trained weights of every model x loss.

Trains, with one thread and a fixed seed, each of the six combinations
(skip-gram / CBOW x negative sampling / hierarchical softmax / exact softmax) on
the first ``--words`` words of a real corpus, and prints (or writes as JSON) the
sha256 of ``w_in_`` and ``w_out_`` and the loss history. Two more rows continue a
fitted model with ``train()`` on the rest of the text (the vocabulary grows for
negative sampling; hierarchical softmax keeps its tree). A refactor that must not
change behaviour gives the same table before and after:

    PYTHONPATH=/work/main/src python bench/hash_vectors.py --out before.json
    PYTHONPATH=src python bench/hash_vectors.py --compare before.json

``--max-vocab N`` trains every row on a pruned corpus (word2vec's ``ReduceVocab``
while counting; the text is then read a second time to encode it): compare such a
table only with one written with the same ``--max-vocab``.

This is a check of one change, not a rule: later changes may move bits for good
reasons (then the table is simply recorded again).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "corpora" / "public-domain-books.txt"
COMBOS = [
    (m, loss) for m in ("skipgram", "cbow") for loss in ("neg", "hs", "softmax", "hs+neg")
]


def first_words(src: Path, n_words: int, dst: Path) -> int:
    """Copy whole lines of ``src`` to ``dst`` until ``n_words`` words; returns the count."""
    total = 0
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin:
            fout.write(line)
            total += len(line.split())
            if total >= n_words:
                break
    return total


def digest(a) -> str:
    return hashlib.sha256(a.tobytes()).hexdigest()


def row(m) -> dict:
    return {
        "w_in": digest(m.w_in_),
        "w_out": digest(m.w_out_),
        "vocab": len(m.vocab_),
        "loss": [repr(float(x)) for x in m.loss_history_],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--words", type=int, default=200_000, help="words of the corpus to train on")
    p.add_argument("--dim", type=int, default=32)
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument(
        "--max-vocab", type=int, default=None, help="prune while counting (default: never)"
    )
    p.add_argument("--out", type=Path, help="write the table as JSON here")
    p.add_argument("--compare", type=Path, help="compare with a table written by --out")
    args = p.parse_args(argv)

    from wordvec.model import Word2Vec

    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        head = Path(tmp) / "head.txt"
        rest = Path(tmp) / "rest.txt"
        n = first_words(args.corpus, args.words, head)
        first_words(args.corpus, 2 * args.words, rest)
        rest.write_text(rest.read_text(encoding="utf-8")[len(head.read_text("utf-8")) :], "utf-8")
        print(f"# {n} words of {args.corpus.name}, dim {args.dim}, {args.epochs} epochs, 1 thread")
        params = dict(dim=args.dim, epochs=args.epochs, threads=1, seed=7, min_count=5)
        if args.max_vocab is not None:
            params["max_vocab"] = args.max_vocab
            print(f"# pruned while counting: max_vocab={args.max_vocab}")
        for model, loss in COMBOS:
            m = Word2Vec(model=model, loss=loss, **params).fit(str(head))
            results[f"{model}/{loss}"] = row(m)
            if loss != "softmax":  # continued training: vocabulary growth (neg) or not (hs)
                m.train(str(rest), epochs=1)
                results[f"{model}/{loss}+train"] = row(m)

    for key, r in results.items():
        print(f"{key:22s} V={r['vocab']:5d}  w_in {r['w_in'][:16]}  w_out {r['w_out'][:16]}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        bad = [k for k in sorted(set(before) | set(results)) if before.get(k) != results.get(k)]
        for k in bad:
            print(f"DIFFERS: {k}: {before.get(k)} != {results.get(k)}")
        print("all identical" if not bad else f"{len(bad)} differ")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
