"""fastText itself as the peer: its models read by wordvec, wordvec's read by fastText.

Three forms of fastText serve:

* models it trained, kept in tests/subwords/data with the vectors its
  ``print-word-vectors`` printed for them (made by data/make_fasttext_fixtures.py):
  always run;
* its Python package (``fasttext-numpy2``, a test dependency): ``load_model``,
  ``get_word_vector`` (its ``train_unsupervised`` fails at random with
  "Encountered NaN" on small corpora, so it trains nothing here); skipped, saying so, where it is
  not installed;
* its command-line tool built from source (``make`` in a checkout of
  facebookresearch/fastText), found through the environment variable
  ``WORDVEC_FASTTEXT_BIN``; skipped, saying so, without it (CI has no build).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wordvec.subwords.fasttext_bin import FastTextArgs, read_fasttext_bin, write_fasttext_bin
from wordvec.subwords.keyed import SubwordVectors

DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(DATA))
from make_fasttext_fixtures import MODELS, QUERIES, corpus_text  # noqa: E402

sys.path.pop(0)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("ft") / "corpus.txt"
    path.write_text(corpus_text(), encoding="utf-8")
    return path


def _printed(text: str) -> dict[str, list[str]]:
    """print-word-vectors' output: word -> the strings it printed (5 significant digits)."""
    return {f[0]: f[1:] for f in (line.split() for line in text.splitlines())}


def _as_printed(v: np.ndarray) -> list[str]:
    """A vector as fastText prints it: C++ streams' default format, 5 significant digits."""
    return [f"{float(x):.5g}" for x in v]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_fasttext_trained_model_gives_fasttexts_printed_vectors(name):
    f = read_fasttext_bin(DATA / f"{name}.bin")
    command, loss = MODELS[name]
    assert (f.args.model, f.args.loss) == ({"skipgram": "sg", "cbow": "cbow"}[command], loss)
    assert "</s>" in f.words and not f.input_matrix.flags.owndata
    kv = f.vectors()
    printed = _printed((DATA / f"{name}.printed.txt").read_text(encoding="utf-8"))
    assert set(printed) == set(QUERIES)
    assert any(w not in kv for w in QUERIES) and any(w in kv for w in QUERIES)
    for w in QUERIES:
        assert _as_printed(kv[w]) == printed[w], w


@pytest.mark.parametrize("name", sorted(MODELS))
def test_gensim_agrees_on_a_fasttext_trained_model(name):
    ft = pytest.importorskip("gensim.models.fasttext")
    g = ft.load_facebook_vectors(str(DATA / f"{name}.bin"))
    kv = read_fasttext_bin(DATA / f"{name}.bin").vectors()
    assert list(g.index_to_key) == kv.words
    # (not "</s>": gensim adds n-grams to it, fastText does not; wordvec follows fastText)
    assert not np.allclose(kv["</s>"], g["</s>"])
    for w in QUERIES[1:]:
        np.testing.assert_allclose(kv[w], g[w], rtol=1e-5, atol=1e-6, err_msg=w)


def _written(tmp_path, loss="ns", model="sg", bucket=211, dim=7):
    """A model written by wordvec (random rows) and its parts."""
    words = ["</s>", "the", "fox", "naïve", "café", "日本語", "dog"]
    counts = np.array([90, 80, 30, 20, 10, 5, 5])
    rng = np.random.default_rng(4)
    inp = rng.normal(size=(len(words) + bucket, dim)).astype(np.float32)
    out = rng.normal(size=(len(words), dim)).astype(np.float32)
    args = FastTextArgs(dim=dim, bucket=bucket, loss=loss, model=model, min_count=1)
    path = tmp_path / f"wordvec-{loss}-{model}.bin"
    write_fasttext_bin(path, args, words, counts, inp, out)
    return path, words, counts, inp, out


# --------------------------------------------------------------------------- Python package
@pytest.fixture(scope="module")
def fasttext_py():
    return pytest.importorskip(
        "fasttext", reason="fastText's Python package (pip install fasttext-numpy2) is missing"
    )


@pytest.mark.parametrize("name", sorted(MODELS))
def test_wordvec_reads_a_model_fasttext_trained(fasttext_py, name):
    path = DATA / f"{name}.bin"
    ft = fasttext_py.load_model(str(path))
    f = read_fasttext_bin(path)
    words, freqs = ft.get_words(include_freq=True)
    assert f.words == list(words)
    np.testing.assert_array_equal(f.counts, freqs)
    np.testing.assert_array_equal(f.input_matrix, ft.get_input_matrix())
    np.testing.assert_array_equal(f.output_matrix, ft.get_output_matrix())
    kv = f.vectors()
    for w in QUERIES:
        # the same float32 sums in the same order, scaled by the same float32: equal bits
        np.testing.assert_array_equal(kv[w], ft.get_word_vector(w), err_msg=w)
    np.testing.assert_array_equal(kv.vectors, np.array([ft.get_word_vector(w) for w in words]))


@pytest.mark.parametrize("loss,model", [("ns", "sg"), ("hs", "cbow")])
def test_fasttext_reads_a_model_wordvec_writes(fasttext_py, tmp_path, loss, model):
    path, words, counts, inp, out = _written(tmp_path, loss, model)
    ft = fasttext_py.load_model(str(path))
    got_words, freqs = ft.get_words(include_freq=True)
    assert list(got_words) == words
    np.testing.assert_array_equal(freqs, counts)
    np.testing.assert_array_equal(ft.get_input_matrix(), inp)
    np.testing.assert_array_equal(ft.get_output_matrix(), out)
    kv = SubwordVectors(words, inp, 3, 6, 211)
    for w in QUERIES:
        np.testing.assert_array_equal(ft.get_word_vector(w), kv[w], err_msg=w)
    # and fastText finds the same nearest neighbour as wordvec for an unseen word
    ft_best = ft.get_nearest_neighbors("dogsled", k=1)[0][1]
    assert ft_best == kv.most_similar("dogsled", topn=1)[0][0]


# --------------------------------------------------------------------------- command-line tool
def _tool() -> str:
    exe = os.environ.get("WORDVEC_FASTTEXT_BIN")
    if not exe:
        pytest.skip(
            "fastText's command-line tool is not available: build it (make, in a checkout of "
            "facebookresearch/fastText) and set WORDVEC_FASTTEXT_BIN to it"
        )
    if not os.access(exe, os.X_OK):
        pytest.fail(f"WORDVEC_FASTTEXT_BIN={exe!r} is not an executable")
    return exe


def _print_word_vectors(exe: str, model, words: list[str]) -> dict[str, list[str]]:
    out = subprocess.run(
        [exe, "print-word-vectors", str(model)],
        input="\n".join(words) + "\n", capture_output=True, check=True, text=True,
        encoding="utf-8",
    ).stdout  # fmt: skip
    return _printed(out)


@pytest.mark.parametrize("command,loss", [("skipgram", "ns"), ("cbow", "hs")])
def test_tool_trained_model_gives_fasttexts_vectors(corpus, tmp_path, command, loss):
    exe = _tool()
    prefix = tmp_path / "tool"
    subprocess.run(
        [exe, command, "-input", str(corpus), "-output", str(prefix), "-dim", "10", "-epoch", "2",
         "-minCount", "1", "-bucket", "1013", "-loss", loss, "-thread", "1", "-verbose", "0"],
        check=True, capture_output=True,
    )  # fmt: skip
    kv = read_fasttext_bin(f"{prefix}.bin").vectors()
    printed = _print_word_vectors(exe, f"{prefix}.bin", QUERIES)
    for w in QUERIES:
        assert _as_printed(kv[w]) == printed[w], w


def test_tool_reads_a_model_wordvec_writes(tmp_path):
    exe = _tool()
    path, words, _, inp, _ = _written(tmp_path)
    kv = SubwordVectors(words, inp, 3, 6, 211)
    printed = _print_word_vectors(exe, path, QUERIES)
    for w in QUERIES:
        assert printed[w] == _as_printed(kv[w]), w
