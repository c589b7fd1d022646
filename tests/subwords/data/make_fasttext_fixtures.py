"""Make the fastText-trained fixtures of tests/subwords (run once, by hand; the files are kept).

    python tests/subwords/data/make_fasttext_fixtures.py /path/to/fasttext

``/path/to/fasttext``: fastText's command-line tool built from source (``make`` in a
checkout of facebookresearch/fastText). It trains two tiny models on a made-up
corpus (skipgram + negative sampling, cbow + hierarchical softmax) and prints the
vectors of a few words, in the vocabulary and not, with ``print-word-vectors``:
the tests read the models with wordvec and compare with what fastText printed
(and, where fastText's Python package is installed, with its ``get_word_vector``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SYLLABLES = ["ka", "to", "mi", "ré", "su", "na", "lo", "qu", "日", "本", "x", "ban"]
#: words whose vectors fastText prints: in the vocabulary, unseen, and "</s>"
QUERIES = [
    "</s>",
    "the",
    "naïve",
    "café",
    "日本語",
    "kato",
    "unseenword",
    "dogsled",
    "コーヒー",
    "a",
]
MODELS = {"ft_sg_ns": ("skipgram", "ns"), "ft_cbow_hs": ("cbow", "hs")}


def corpus_text() -> str:
    """20,000 tokens over ~300 made-up words (Zipf-like), 40 to a line."""
    rng = np.random.default_rng(0)
    vocab = ["".join(rng.choice(SYLLABLES, rng.integers(1, 4))) for _ in range(300)]
    vocab += ["the", "fox", "naïve", "café", "日本語"]
    p = 1.0 / np.arange(1, len(vocab) + 1)
    tokens = rng.choice(vocab, 20_000, p=p / p.sum())
    return "\n".join(" ".join(tokens[i : i + 40]) for i in range(0, len(tokens), 40)) + "\n"


def main(exe: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text(corpus_text(), encoding="utf-8")
        for name, (command, loss) in MODELS.items():
            prefix = Path(tmp) / name
            subprocess.run(
                [exe, command, "-input", str(corpus), "-output", str(prefix), "-dim", "8",
                 "-epoch", "2", "-minCount", "2", "-bucket", "211", "-loss", loss,
                 "-thread", "1", "-verbose", "0"],
                check=True,
            )  # fmt: skip
            (HERE / f"{name}.bin").write_bytes(prefix.with_suffix(".bin").read_bytes())
            printed = subprocess.run(
                [exe, "print-word-vectors", str(prefix.with_suffix(".bin"))],
                input="\n".join(QUERIES) + "\n", capture_output=True, check=True, text=True,
                encoding="utf-8",
            ).stdout  # fmt: skip
            (HERE / f"{name}.printed.txt").write_text(printed, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
