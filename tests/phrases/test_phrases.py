"""wordvec.phrases against real gensim Phrases on real text, and its own contracts."""

from __future__ import annotations

import gzip
import io
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from wordvec.errors import ConfigError, CorpusError, FormatError
from wordvec.phrases import stream as _phrasestream
from wordvec.phrases.phrases import ENGLISH_CONNECTOR_WORDS, FrozenPhrases, Phrases, load
from wordvec.text.corpus import TextCorpus

gensim_phrases = pytest.importorskip("gensim.models.phrases")

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "corpora"
BOOKS = SHARED / "public-domain-books.txt"
EN17M = SHARED / "en17m.txt"


def _slice(src: Path, dst: Path, start: int, n: int) -> Path:
    with open(src, encoding="utf-8") as fh:
        lines = [line for i, line in enumerate(fh) if start <= i < start + n]
    dst.write_text("".join(lines), encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> Path:
    """About 75k words of Jane Austen (the start of the books corpus)."""
    return _slice(BOOKS, tmp_path_factory.mktemp("phrases") / "books.txt", 0, 1000)


def _gensim(sentences, **kw):
    return gensim_phrases.Phrases(sentences, **kw)


def _check_same(ours: Phrases, theirs, sentences) -> None:
    """Same phrases, bit-identical scores, same counts, same transformed text."""
    assert ours.vocab_size() == len(theirs.vocab)
    assert ours.layers_[0].n_words == theirs.corpus_word_count
    mine, ref = ours.export_phrases(), theirs.export_phrases()
    assert len(ref) > 50
    assert mine.keys() == ref.keys()
    assert all(mine[k] == ref[k] for k in ref)  # the same floating-point numbers
    expected = [theirs[s] for s in sentences]
    assert [ours.transform(s) for s in sentences] == expected
    assert list(ours.transform_corpus(sentences)) == expected
    assert list(ours.freeze().transform_corpus(sentences)) == expected


CASES = {
    "default": {},
    "default-connectors": {"connector_words": ENGLISH_CONNECTOR_WORDS},
    "low-threshold": {"min_count": 2, "threshold": 2.0},
    "npmi": {"scoring": "npmi", "threshold": 0.5},
    "npmi-connectors": {
        "scoring": "npmi",
        "threshold": 0.3,
        "connector_words": ENGLISH_CONNECTOR_WORDS,
    },
}


@pytest.mark.parametrize("case", list(CASES))
def test_one_pass_is_gensim(books, case):
    kw = CASES[case]
    sentences = list(TextCorpus(books))
    _check_same(Phrases(**kw).fit(books), _gensim(sentences, **kw), sentences)


@pytest.mark.parametrize("connectors", [frozenset(), ENGLISH_CONNECTOR_WORDS])
def test_two_passes_are_gensim_run_twice(books, connectors):
    sentences = list(TextCorpus(books))
    first = _gensim(sentences, connector_words=connectors)
    once = [first[s] for s in sentences]
    second = _gensim(once, connector_words=connectors)
    twice = [second[s] for s in once]
    model = Phrases(passes=2, connector_words=connectors).fit(books)
    assert list(model.transform_corpus(books)) == twice
    assert model.vocab_size(1) == len(second.vocab)
    assert any(t.count("_") >= 2 and "_" not in connectors for s in twice for t in s)
    layer2 = model.layers_[1]
    names = [
        model.delimiter.join(layer2.words[i] for i in layer2.keys[a:b])
        for a, b in zip(layer2.offsets[:-1], layer2.offsets[1:], strict=True)
    ]
    scores = dict(zip(names, model.scores(1).tolist(), strict=True))
    for sentence in once:  # pass 2 scores each pair as gensim's (unfrozen) Phrases does
        for phrase, score in second.analyze_sentence(sentence):
            if score is not None:
                assert scores[phrase] == score


def _word2phrase_reference(sentences, min_count, threshold):
    """word2vec C's word2phrase scoring, written out plainly (float32 arithmetic)."""
    words, pairs, total = Counter(), Counter(), 0
    for s in sentences:
        words.update(s)
        pairs.update(zip(s, s[1:], strict=False))
        total += len(s)
    out = {}
    f32 = np.float32
    for (a, b), cab in pairs.items():
        ca, cb = words[a], words[b]
        if ca < min_count or cb < min_count or cab < min_count:
            score = f32(0)
        else:
            score = f32(cab - min_count) / f32(ca) / f32(cb) * f32(total)
        if score > f32(threshold):
            out[f"{a}_{b}"] = float(score)
    return out


@pytest.mark.parametrize("min_count,threshold", [(5, None), (3, 40.0)])
def test_word2phrase_scoring_is_the_c_tools(books, min_count, threshold):
    sentences = list(TextCorpus(books))
    model = Phrases(scoring="word2phrase", min_count=min_count, threshold=threshold).fit(books)
    expected = _word2phrase_reference(sentences, min_count, threshold or 100.0)
    assert len(expected) > 20
    assert model.export_phrases() == expected


def test_greedy_left_to_right_and_connectors():
    text = [["a", "b", "c"]] * 10 + [["x", "of", "the", "y"]] * 10 + [["of", "x"]] * 3
    model = Phrases(min_count=1, threshold=0.5, connector_words={"of", "the"}).fit(text)
    # a_b wins over b_c (both above the threshold); the joined word starts nothing
    assert model.transform(["a", "b", "c"]) == ["a_b", "c"]
    assert model.transform(["b", "c"]) == ["b_c"]
    # connectors sit inside a phrase but never start or end one
    assert model.transform(["x", "of", "the", "y"]) == ["x_of_the_y"]
    assert model.transform(["of", "x", "of"]) == ["of", "x", "of"]
    assert model.transform(["q", "of", "x"]) == ["q", "of", "x"]  # unknown word: no phrase
    assert "of_x" not in model.export_phrases()
    assert model[["a", "b"]] == ["a_b"]
    assert list(model[[["a", "b"], ["c"]]]) == [["a_b"], ["c"]]


def test_a_score_equal_to_the_threshold_is_not_a_phrase(books):
    sentences = list(TextCorpus(books))
    model = Phrases().fit(books)
    phrase, score = next(iter(model.export_phrases().items()))
    model.threshold = score  # gensim joins only above the threshold
    theirs = _gensim(sentences, threshold=score)
    assert phrase not in model.export_phrases() and phrase not in theirs.export_phrases()
    assert model.export_phrases() == theirs.export_phrases()


def test_corpus_inputs_agree(books, tmp_path, monkeypatch):
    expected = Phrases().fit(books).export_phrases()
    gz = tmp_path / "books.txt.gz"
    gz.write_bytes(gzip.compress(books.read_bytes()))
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "part.txt").write_bytes(books.read_bytes())
    for source in (gz, folder, list(TextCorpus(books)), TextCorpus(books)):
        assert Phrases().fit(source).export_phrases() == expected
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(books.read_bytes())))
    assert Phrases().fit("-").export_phrases() == expected


def test_chunking_and_table_growth_do_not_change_results(books, monkeypatch):
    kw = {"connector_words": ENGLISH_CONNECTOR_WORDS, "passes": 2}
    expected = Phrases(**kw).fit(books)
    monkeypatch.setattr(_phrasestream, "_CHUNK_TOKENS", 1000)
    monkeypatch.setattr(_phrasestream, "_FIRST_ENTRIES", 4)
    model = Phrases(**kw).fit(books)
    assert model.export_phrases() == expected.export_phrases()
    assert [model.vocab_size(k) for k in (0, 1)] == [expected.vocab_size(k) for k in (0, 1)]


def test_max_vocab_bounds_the_candidate_table(books):
    full = Phrases(connector_words=ENGLISH_CONNECTOR_WORDS).fit(books)
    n = len(full.layers_[0].counts)
    assert not full.layers_[0].pruned
    bound = n // 8
    model = Phrases(max_vocab=bound, connector_words=ENGLISH_CONNECTOR_WORDS).fit(books)
    layer = model.layers_[0]
    assert layer.pruned and len(layer.counts) <= bound
    assert layer.capacity < 2 * bound  # room for at most the bound's power of two
    # survivors are undercounted, never overcounted; the frequent pairs survive
    true = _key_counts(full.layers_[0])
    kept = _key_counts(layer)
    assert all(c <= true[k] for k, c in kept.items())
    top = sorted(true, key=true.get, reverse=True)[:100]
    assert all(k in kept for k in top)


def _key_counts(layer) -> dict[tuple[str, ...], int]:
    out = {}
    for e, count in enumerate(layer.counts.tolist()):
        ids = layer.keys[layer.offsets[e] : layer.offsets[e + 1]].tolist()
        out[tuple(layer.words[i] for i in ids)] = count
    return out


def test_pruned_words_are_unknown_but_text_is_kept(books, tmp_path):
    words = len({t for s in TextCorpus(books) for t in s})
    model = Phrases(max_vocab=words // 4)
    out = tmp_path / "out.txt"
    model.fit_write(books, out)
    joined = [line.split() for line in out.read_text().splitlines()]
    original = list(TextCorpus(books))
    assert [" ".join(s).replace("_", " ") for s in joined] == [" ".join(s) for s in original]
    assert model.layers_[0].pruned


def test_save_load_and_freeze(books, tmp_path):
    model = Phrases(passes=2, connector_words=ENGLISH_CONNECTOR_WORDS).fit(books)
    sentences = list(TextCorpus(books))
    expected = list(model.transform_corpus(sentences))
    model.save(tmp_path / "m.wph")
    again = Phrases.load(tmp_path / "m.wph")
    assert list(again.transform_corpus(sentences)) == expected
    assert again.export_phrases() == model.export_phrases()
    frozen = model.freeze()
    frozen.save(tmp_path / "f.wph")
    assert (tmp_path / "f.wph").stat().st_size < (tmp_path / "m.wph").stat().st_size / 20
    thawed = load(tmp_path / "f.wph")
    assert isinstance(thawed, FrozenPhrases)
    assert list(thawed.transform_corpus(sentences)) == expected
    assert thawed.export_phrases() == model.export_phrases()
    with pytest.raises(FormatError, match="frozen"):
        Phrases.load(tmp_path / "f.wph")
    # raising a frozen model's threshold drops phrases, as gensim's FrozenPhrases does
    frozen.threshold = 100.0
    assert all(s > 100 for s in frozen.export_phrases().values())
    assert len(frozen.export_phrases()) < len(model.export_phrases())


def test_changing_the_threshold_after_fitting(books):
    model = Phrases().fit(books)
    n = len(model.export_phrases())
    model.threshold = 30.0
    assert 0 < len(model.export_phrases()) < n
    assert all(s > 30 for s in model.export_phrases().values())


def test_bad_files_are_refused(books, tmp_path):
    model = Phrases().fit(books)
    path = tmp_path / "m.wph"
    model.save(path)
    data = path.read_bytes()
    (tmp_path / "cut.wph").write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError):
        load(tmp_path / "cut.wph")
    newer = data.replace(b'"version": 1', b'"version": 9', 1)
    (tmp_path / "newer.wph").write_bytes(newer)
    with pytest.raises(FormatError, match="newer"):
        load(tmp_path / "newer.wph")
    from wordvec.vectors.formats import read_container, write_container

    meta, arrays = read_container(path, mmap=False)
    arrays = dict(arrays)
    arrays["0.keys"] = arrays["0.keys"].copy()
    arrays["0.keys"][0] = 10**8
    write_container(tmp_path / "ids.wph", meta, arrays)
    with pytest.raises(FormatError, match="outside"):
        load(tmp_path / "ids.wph")


@pytest.mark.parametrize(
    "kw,match",
    [
        ({"min_count": 0}, "min_count"),
        ({"scoring": "pmi"}, "scoring"),
        ({"scoring": "npmi"}, "threshold"),
        ({"scoring": "npmi", "threshold": 2.0}, "threshold"),
        ({"threshold": 0.0}, "threshold"),
        ({"threshold": float("nan")}, "threshold"),
        ({"delimiter": ""}, "delimiter"),
        ({"connector_words": "the"}, "connector_words"),
        ({"passes": 0}, "passes"),
        ({"max_vocab": 0}, "max_vocab"),
    ],
)
def test_bad_parameters(kw, match):
    with pytest.raises(ConfigError, match=match):
        Phrases(**kw).fit([["a", "b"]])


def test_misuse_is_explained():
    with pytest.raises(ConfigError, match="not fitted"):
        Phrases().transform(["a"])
    model = Phrases(min_count=1, threshold=0.1).fit([["a", "b"]] * 3)
    with pytest.raises(ConfigError, match="split"):
        model.transform("a b")
    with pytest.raises(CorpusError):
        model.fit([["a", 3]])


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_en17m_slice_is_gensim(tmp_path, case):
    """A million words of the benchmark corpus, every scorer, one and two passes."""
    path = _slice(EN17M, tmp_path / "en.txt", 100_000, 16_000)
    kw = CASES[case]
    sentences = list(TextCorpus(path))
    _check_same(Phrases(**kw).fit(path), _gensim(sentences, **kw), sentences)
    first = _gensim(sentences, **kw)
    once = [first[s] for s in sentences]
    second = _gensim(once, **kw)
    assert list(Phrases(passes=2, **kw).fit(path).transform_corpus(path)) == [
        second[s] for s in once
    ]


def test_packed_and_hashed_keys_count_alike():
    """Two- and three-word keys are packed into the slot unless an id is too large for
    the packing; either way every key is counted exactly (a Python count beside)."""
    from wordvec.phrases import kernels as K

    rng = np.random.default_rng(1)
    big = (1 << 20) + 5  # ids from here on do not fit a packed triple
    conn = np.zeros(big + 8, dtype=np.bool_)
    conn[[3, big + 1]] = True  # one small and one large connector id
    pool = np.array([0, 1, 2, 3, 4, 5, big, big + 1, big + 2], dtype=np.int32)
    ids = rng.choice(pool, 20_000).astype(np.int32)
    ids[rng.integers(0, len(ids), 500)] = -1
    ids[-1] = -1
    expected: Counter = Counter()
    start = -1
    for t, w in enumerate(ids.tolist()):
        if w < 0:
            start = -1
        elif not conn[w]:
            if start >= 0:
                expected[tuple(ids[start : t + 1].tolist())] += 1
            start = t
    table = K.new_table(4)
    state = np.zeros(4, dtype=np.int64)
    state[2] = -1
    t = 0
    while True:
        status, t = K.count_chunk(ids, t, conn, *table, state, 10**6)
        if status == K.DONE:
            break
        table = _phrasestream._grown(table, state, len(ids))
    offsets, keys, counts = K.extract(*table, int(state[0]))
    got = {
        tuple(keys[offsets[e] : offsets[e + 1]].tolist()): int(c)
        for e, c in enumerate(counts.tolist())
    }
    assert got == dict(expected)
    lengths = Counter(len(k) for k in got)
    assert lengths[2] and lengths[3] and lengths[4]
    assert any(len(k) == 3 and max(k) >= 1 << 20 for k in got)  # hashed triples too


@pytest.mark.parametrize("how", ["fit_write", "write", "frozen write"])
def test_the_phrased_output_never_replaces_the_corpus(how, tmp_path):
    """Phrases.fit_write(p, p) read p, then replaced it with the phrased text: the
    library checks its output against the corpus as the CLI does (one function)."""
    from wordvec.errors import ConfigError

    corpus = tmp_path / "c.txt"
    corpus.write_text("new york is in new york state\n" * 30)
    before = corpus.read_bytes()
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "link.txt").symlink_to(corpus)
    for source in (corpus, tmp_path / "texts"):
        model = Phrases(min_count=1, threshold=0.1)
        with pytest.raises(ConfigError, match=f"^{corpus}: `output`"):
            if how == "fit_write":
                model.fit_write(source, corpus)
            else:
                model.fit(source)
                (model.freeze() if how == "frozen write" else model).write(source, corpus)
        assert corpus.read_bytes() == before
