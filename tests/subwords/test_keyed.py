"""SubwordVectors: any word's vector from its rows, queries for unseen words, native files."""

from __future__ import annotations

import numpy as np
import pytest

import wordvec
from wordvec.errors import ConfigError, FormatError, UnknownWordError
from wordvec.subwords import oov_rows, word_rows
from wordvec.subwords.keyed import SubwordVectors, load_subword_vectors, save_subword_vectors

WORDS = ["</s>", "the", "where", "here", "there", "naïve", "x"]
MINN, MAXN, BUCKET, DIM = 3, 6, 97, 8


def _weights(seed=0, words=WORDS, bucket=BUCKET):
    return np.random.default_rng(seed).normal(size=(len(words) + bucket, DIM)).astype(np.float32)


@pytest.fixture
def kv():
    counts = np.arange(len(WORDS), 0, -1) * 10
    return SubwordVectors(WORDS, _weights(), MINN, MAXN, BUCKET, counts=counts)


def _mean64(weights, rows):
    """The mean of the rows in float64: an independent reference of the composition."""
    if rows.size == 0:
        return np.zeros(weights.shape[1])
    return weights[rows].astype(np.float64).mean(axis=0)


def test_vocabulary_word_is_mean_of_its_own_and_ngram_rows(kv):
    w = kv.ngram_weights
    for i, word in enumerate(WORDS):
        rows = word_rows(word, i, len(WORDS), MINN, MAXN, BUCKET)
        np.testing.assert_allclose(kv[word], _mean64(w, rows), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(kv.vectors[i], _mean64(w, rows), rtol=1e-5, atol=1e-6)
    # "</s>" has no n-grams: its vector is its own row exactly
    np.testing.assert_array_equal(kv["</s>"], w[0])


def test_unseen_word_is_mean_of_its_ngram_rows_only(kv):
    rows = oov_rows("wherever", len(WORDS), MINN, MAXN, BUCKET)
    assert rows.size and "wherever" not in kv
    np.testing.assert_allclose(kv["wherever"], _mean64(kv.ngram_weights, rows), rtol=1e-5)
    np.testing.assert_allclose(kv.get_vector("wherever"), kv["wherever"])
    unit = kv.get_vector("wherever", norm=True)
    assert abs(np.linalg.norm(unit) - 1) < 1e-6


def test_word_without_rows_gets_zero_vector():
    kv = SubwordVectors(WORDS, _weights(bucket=0), 0, 0, 0)
    assert not kv.has_vector("unseen")
    np.testing.assert_array_equal(kv["unseen"], np.zeros(DIM, np.float32))
    np.testing.assert_array_equal(kv["the"], kv.ngram_weights[1])  # no n-grams: its own row


def test_lazy_vectors_match_per_word_composition(kv):
    assert kv._composed is None  # nothing composed by construction or a lookup
    kv["where"], kv.similarity("where", "wherever")
    assert kv._composed is None
    v = kv.vectors
    assert v.shape == (len(WORDS), DIM) and v.dtype == np.float32
    for i, word in enumerate(WORDS):
        np.testing.assert_allclose(v[i], _compose_one(kv, word), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(v[i], kv.word_vector(word), rtol=1e-6, atol=1e-7)


def _compose_one(kv, word):
    rows = kv.rows_of(word)
    return _mean64(kv.ngram_weights, rows).astype(np.float32)


def test_membership_is_the_vocabulary_and_index_raises_for_unseen(kv):
    assert "where" in kv and "wherever" not in kv
    assert kv.has_vector("wherever")
    assert kv.key_to_index["where"] == 2
    with pytest.raises(UnknownWordError):
        kv.get_index("wherever")


def test_queries_answer_unseen_words(kv):
    a, b = kv["wherever"], kv["there"]
    cos = float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert kv.similarity("wherever", "there") == pytest.approx(cos, abs=1e-6)
    assert kv.distance("wherever", "there") == pytest.approx(1 - cos, abs=1e-6)
    top = kv.most_similar("wherever", topn=len(WORDS))
    assert [w for w, _ in top] and "wherever" not in [w for w, _ in top]
    assert dict(top)["there"] == pytest.approx(cos, abs=1e-5)
    # an unseen word as a query term is the same as its vector given directly
    assert kv.most_similar("wherever", topn=3) == kv.most_similar(positive=[a], topn=3)
    # a vocabulary word is left out of its own neighbours, as for KeyedVectors
    assert "where" not in [w for w, _ in kv.most_similar("where", topn=len(WORDS))]
    m1, m2 = kv[["wherever", "the"]].mean(0), kv[["thereof"]].mean(0)
    expected = m1 @ m2 / np.linalg.norm(m1) / np.linalg.norm(m2)
    assert kv.n_similarity(["wherever", "the"], ["thereof"]) == pytest.approx(expected, abs=1e-6)
    sims = kv.similarities("wherever")
    np.testing.assert_allclose(sims[4], cos, atol=1e-5)
    assert kv.distances("wherever", ["there", "thereof"]).shape == (2,)
    assert kv.rank("wherever", "there") == 1 + sum(
        s > cos + 1e-7 for i, s in enumerate(sims) if WORDS[i] != "wherever"
    )
    assert kv.most_similar_to_given("wherever", ["x", "there"]) in ("x", "there")
    assert kv.doesnt_match(["where", "wherever", "naïve"]) in ("where", "wherever", "naïve")


def test_analogy_with_unseen_word(kv):
    got = kv.most_similar(positive=["there", "wherever"], negative=["where"], topn=2)
    q = sum(kv.get_vector(w, norm=True) for w in ["there", "wherever"]) - kv.get_vector(
        "where", norm=True
    )
    normed = kv.get_normed()
    scores = normed @ (q / np.linalg.norm(q))
    scores[[2, 4]] = -np.inf  # "where" and "there" are left out
    assert got[0][0] == WORDS[int(np.argmax(scores))]


def test_memory_mapped_unaligned_weights_are_not_copied(tmp_path):
    w = _weights()
    path = tmp_path / "w.raw"
    path.write_bytes(b"\0" * 3 + w.tobytes())
    mapped = np.memmap(path, dtype="<f4", mode="r", offset=3, shape=w.shape)
    assert not mapped.flags.aligned and not mapped.flags.writeable
    kv = SubwordVectors(WORDS, mapped, MINN, MAXN, BUCKET)
    assert np.shares_memory(kv.ngram_weights, mapped)  # a view of the map, no copy
    ref = SubwordVectors(WORDS, w, MINN, MAXN, BUCKET)
    np.testing.assert_array_equal(kv.vectors, ref.vectors)
    np.testing.assert_array_equal(kv["wherever"], ref["wherever"])


def test_bad_arguments_are_config_errors():
    with pytest.raises(ConfigError, match="ngram_weights"):
        SubwordVectors(WORDS, _weights()[:-1], MINN, MAXN, BUCKET)
    with pytest.raises(ConfigError, match="minn"):
        SubwordVectors(WORDS, _weights(), 7, 6, BUCKET)
    with pytest.raises(ConfigError, match="unique"):
        SubwordVectors(["a", "a"], np.zeros((2 + BUCKET, 2)), MINN, MAXN, BUCKET)
    kv = SubwordVectors(WORDS, _weights(), MINN, MAXN, BUCKET)
    with pytest.raises(ConfigError, match="ngram_weights"):
        kv.vectors = np.zeros((len(WORDS), DIM))
    with pytest.raises(ConfigError):
        kv.add_vectors(["new"], np.zeros((1, DIM)))


def test_native_round_trip_keeps_ngram_rows(kv, tmp_path):
    path = tmp_path / "sub.wvec"
    wordvec.save(kv, path)
    back = wordvec.load(path)
    assert isinstance(back, SubwordVectors)
    assert (back.minn, back.maxn, back.bucket) == (MINN, MAXN, BUCKET)
    assert back.words == WORDS
    np.testing.assert_array_equal(back.counts, kv.counts)
    np.testing.assert_array_equal(back.ngram_weights, kv.ngram_weights)
    np.testing.assert_array_equal(back["wherever"], kv["wherever"])
    mapped = wordvec.load(path, mmap=True)
    np.testing.assert_array_equal(mapped["wherever"], kv["wherever"])
    again = load_subword_vectors(path)
    np.testing.assert_array_equal(again.vectors, kv.vectors)


def test_native_file_with_lying_bucket_is_format_error(kv, tmp_path):
    from wordvec.files.container import read_container, write_container

    path = tmp_path / "sub.wvec"
    save_subword_vectors(kv, path)
    meta, arrays = read_container(path, mmap=False)
    meta["bucket"] = BUCKET + 1
    write_container(path, meta, arrays)
    with pytest.raises(FormatError, match="n-gram rows"):
        wordvec.load(path)
    meta["bucket"] = "many"
    write_container(path, meta, arrays)
    with pytest.raises(FormatError, match="bucket"):
        wordvec.load(path)
    meta["bucket"] = BUCKET
    meta["format_version"] = 2
    write_container(path, meta, arrays)
    with pytest.raises(FormatError, match="version 2 is newer"):
        wordvec.load(path)
    del meta["format_version"]
    write_container(path, meta, arrays)
    with pytest.raises(FormatError, match="format_version"):
        wordvec.load(path)
    meta["format_version"] = 1
    write_container(path, meta, arrays)
    assert wordvec.load(path).bucket == BUCKET


def test_vec_text_output_holds_composed_vectors(kv, tmp_path):
    path = tmp_path / "v.vec"
    wordvec.save(kv, path)
    back = wordvec.load(path)
    assert type(back) is wordvec.KeyedVectors
    assert back.words == WORDS
    np.testing.assert_array_equal(back.vectors, kv.vectors)


def test_reading_a_fasttext_bin_and_one_word_need_no_numba():
    """Opening a .bin, one unseen word's vector and evaluating plain vectors import no
    Numba (about 0.2 s of a `wordvec evaluate` or `similar` process); composing every
    word's vector (most_similar) does."""
    import subprocess
    import sys
    from pathlib import Path

    fixture = Path(__file__).parent / "data" / "ft_sg_ns.bin"
    code = (
        "import sys, wordvec\n"
        "from wordvec.vectors import evaluate\n"
        f"kv = wordvec.load_fasttext({str(fixture)!r})\n"
        "kv['unseenwordish']\n"
        "print('numba' in sys.modules)\n"
        "kv.most_similar('unseenwordish', topn=2)\n"
        "print('numba' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
