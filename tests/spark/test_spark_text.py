"""What the executors do with rows, without Spark: tokenising, counting, encoding, slicing."""

from __future__ import annotations

import numpy as np
import pytest
from _spark_env import require_spark

require_spark()

from wordvec.engine.schedule import split_jobs  # noqa: E402
from wordvec.errors import CorpusError  # noqa: E402
from wordvec.spark import text  # noqa: E402
from wordvec.spark.rounds import job_plan, round_jobs  # noqa: E402
from wordvec.text.corpus import TextCorpus  # noqa: E402
from wordvec.text.scan import scan_sentences  # noqa: E402

# every whitespace character str.split() knows of, and a few that it does not
ODD_TEXT = (
    "Alpha\tbeta\u00a0gamma\u2003delta\u3000Epsilon\x1czeta\r\n"
    "  \n"
    "one,two three\u200bfour\x00five \u2028six\u0085seven\n"
    "ΣΟΦΟΣ λόγος ΟΔΟΣ\n"
    "last line without newline"
)


def _pieces(rows, lowercase=False, max_len=10_000):
    return [p for row in rows for p in text.sentence_pieces(row, lowercase, max_len)]


@pytest.mark.parametrize("lowercase", [False, True])
@pytest.mark.parametrize("max_len", [2, 3, 10_000])
def test_lines_split_exactly_as_the_single_machine_reader(tmp_path, lowercase, max_len):
    path = tmp_path / "odd.txt"
    path.write_text(ODD_TEXT, encoding="utf-8")
    expected = list(TextCorpus(path, lowercase=lowercase, max_sentence_length=max_len))
    rows = ODD_TEXT.split("\n")  # what spark.read.text(lineSep="\n") gives
    assert _pieces(rows, lowercase, max_len) == expected


def test_token_lists_are_taken_as_given():
    rows = [["A", "b c"], ("D",), [], None, ["x"] * 5]
    assert _pieces(rows, lowercase=True, max_len=2) == [
        ["a", "b c"],
        ["d"],
        ["x", "x"],
        ["x", "x"],
        ["x"],
    ]


@pytest.mark.parametrize("row", [3, b"bytes", {"a": 1}, ["ok", 7]])
def test_a_row_of_another_type_is_named_in_the_error(row):
    with pytest.raises(CorpusError, match="int|bytes|dict"):
        _pieces([row])


def _scan_rows(rows, **kw):
    opts = dict(lowercase=False, max_sentence_length=10_000, max_vocab=None, with_files=False)
    opts.update(kw)
    return list(text.scan_segments(0, rows, **opts))


def test_segments_follow_files_and_count_like_the_single_machine_scan():
    rows = [("a b a", "f1"), ("c", "f1"), ("b b", "f2"), ("", "f2"), ("a", "f1")]
    segs = _scan_rows(rows, with_files=True)
    assert [s.key for s in segs] == [("f1", 0), ("f2", 0), ("f1", 0)]
    assert segs[0].words == ["a", "b", "c"] and segs[0].counts.tolist() == [2, 1, 1]
    assert segs[0].ids.tolist() == [0, 1, 0, -1, 2, -1]
    assert (segs[1].n_tokens, segs[1].n_sentences) == (2, 1)


def test_pruning_voids_the_provisional_ids_and_rows_are_encoded_again():
    rows = ["a a a b", "c d e", "a b"]
    (seg,) = _scan_rows(rows, max_vocab=3)
    assert seg.ids is None  # ids were renumbered when word2vec's rule pruned the rarest
    assert (seg.words, seg.counts.tolist()) == (["a", "b"], [4, 1])  # b's first 1 was lost
    index = {"a": 0, "b": 1}
    ids, n_tokens, n_sentences = text.encode_rows(rows, index, False, 10_000)
    assert ids.tolist() == [0, 0, 0, 1, -1, -1, 0, 1, -1]
    assert (n_tokens, n_sentences) == (9, 3)


def _python_segment(rows, lowercase, max_len, max_vocab=None):
    pieces = [p for row in rows for p in text.sentence_pieces(row, lowercase, max_len)]
    return scan_sentences(pieces, max_vocab=max_vocab)


@pytest.mark.parametrize(
    "rows,lowercase,max_len",
    [
        (ODD_TEXT.split("\n"), False, 10_000),  # Unicode whitespace, non-ASCII words
        (ODD_TEXT.split("\n"), False, 2),
        (["The cat  SAT", "", "on\tthe Mat\r", "x " * 50], True, 7),  # ASCII: lowercased
        ([f"w{i % 97} v{i % 13}" for i in range(50_000)], False, 10_000),  # several blocks
    ],
)
def test_the_compiled_scan_of_lines_is_the_python_pass(rows, lowercase, max_len):
    compiled = text._compiled_scan(rows, lowercase, max_len, None, None)
    python = _python_segment(rows, lowercase, max_len)
    assert compiled is not None
    assert (compiled.words, compiled.counts.tolist()) == (python.words, python.counts.tolist())
    assert (compiled.n_tokens, compiled.n_sentences) == (python.n_tokens, python.n_sentences)
    for s in (compiled, python):
        s.cache.seek(0)
    assert compiled.cache.read() == python.cache.read()


@pytest.mark.parametrize(
    "rows,lowercase,max_vocab",
    [
        (["one line\nholding two"], False, None),  # one row is one sentence
        ([["a", "token", "list"]], False, None),
    ],
)
def test_rows_the_compiled_scan_would_get_wrong_take_the_python_pass(rows, lowercase, max_vocab):
    assert text._compiled_scan(rows, lowercase, 100, max_vocab, None) is None
    (seg,) = _scan_rows(rows, lowercase=lowercase, max_vocab=max_vocab)
    python = _python_segment(rows, lowercase, 10_000, max_vocab)
    assert (seg.words, seg.counts.tolist()) == (python.words, python.counts.tolist())


def test_lowercase_beyond_ascii_is_compiled_as_the_python_pass():
    # str.lower is no byte mapping here (a final sigma, the Kelvin sign): lowered as text
    rows = ["ΣΟΦΟΣ ΟΔΟΣ", "\u212a Kelvin", "a b"]
    compiled = text._compiled_scan(rows, True, 100, None, None)
    python = _python_segment(rows, True, 10_000, None)
    assert compiled is not None and "σοφος" in compiled.words and "k" in compiled.words
    assert (compiled.words, compiled.counts.tolist()) == (python.words, python.counts.tolist())


@pytest.mark.parametrize("max_vocab", [2, 3, 5])
def test_the_compiled_scan_prunes_as_the_python_pass(max_vocab):
    rows = ["a b c d e", "a a b", "f g", "a b c", "h " * 3]
    compiled = text._compiled_scan(rows, False, 2, max_vocab, None)
    python = _python_segment(rows, False, 2, max_vocab)
    assert compiled is not None and compiled.pruned and python.pruned
    assert compiled.cache is python.cache is None
    assert (compiled.words, compiled.counts.tolist()) == (python.words, python.counts.tolist())
    assert (compiled.n_tokens, compiled.n_sentences) == (python.n_tokens, python.n_sentences)
    assert compiled.fingerprint == python.fingerprint


def test_encoding_drops_unknown_words_and_keeps_every_sentence_end():
    (seg,) = _scan_rows(["x a y", "z", "a b"])
    ids = text.encode_segment(seg, {"a": 0, "b": 1})
    assert ids.tolist() == [0, -1, -1, 0, 1, -1]  # "z" alone leaves its end, as on one machine


def test_training_slices_are_contiguous_balanced_and_complete():
    rng = np.random.default_rng(0)
    sentences = [rng.integers(0, 9, rng.integers(1, 30)).tolist() + [-1] for _ in range(400)]
    ids = np.array([i for s in sentences for i in s], dtype=np.int32)
    total = int(np.count_nonzero(ids >= 0))
    # the text in two segments, the second starting mid-way
    half = int(np.flatnonzero(ids == -1)[199]) + 1
    first, second = ids[:half], ids[half:]
    before = int(np.count_nonzero(first >= 0))
    out = {t: [] for t in range(3)}
    for seg_ids, words_before in ((first, 0), (second, before)):
        for t, piece in text.training_pieces(seg_ids, words_before, total, 3):
            out[t].append(piece)
    streams = [np.concatenate(out[t]) for t in range(3)]
    assert np.array_equal(np.concatenate(streams), ids)  # in order, nothing lost
    sizes = [int(np.count_nonzero(s >= 0)) for s in streams]
    assert max(sizes) - min(sizes) <= 2 * 30  # within a sentence or two of total / 3
    assert all(s[-1] == -1 for s in streams)


def _naive_plan(ids, batch_words, chunk_tokens):
    """Chunks cut at the last sentence end at or before each multiple of ``chunk_tokens``
    ids (what the single machine's id cache reader does), then split_jobs on each."""
    ends = [i + 1 for i, v in enumerate(ids.tolist()) if v == -1]
    stops = []
    for k in range(chunk_tokens, len(ids), chunk_tokens):
        before = [e for e in ends if e <= k]
        if before and (not stops or before[-1] > stops[-1]):
            stops.append(before[-1])
    if not stops or stops[-1] < len(ids):
        stops.append(len(ids))
    jobs, a = [], 0
    for b in stops:
        jobs += [(a + s, a + e, w) for s, e, w in split_jobs(ids[a:b], batch_words)]
        a = b
    return jobs


def test_jobs_are_cut_from_the_chunks_of_the_single_machine_id_cache():
    rng = np.random.default_rng(1)
    ids = np.concatenate(
        [np.append(rng.integers(0, 50, rng.integers(1, 40)), -1) for _ in range(300)]
    )
    ids = ids.astype(np.int32)
    for chunk_tokens in (37, 500, 10**6):
        for batch_words in (20, 10_000):
            got = job_plan(ids, batch_words, chunk_tokens).tolist()
            assert got == [list(j) for j in _naive_plan(ids, batch_words, chunk_tokens)]
    assert job_plan(ids[:0], 20, 37).shape == (0, 3)


def test_rounds_cover_every_job_of_every_epoch_once():
    rng = np.random.default_rng(2)
    ids = np.concatenate(
        [np.append(rng.integers(0, 9, rng.integers(1, 20)), -1) for _ in range(500)]
    )
    plan = job_plan(ids.astype(np.int32), batch_words=100, chunk_tokens=1 << 21)
    n_words = int(plan[:, 2].sum())
    for epochs, rounds in ((1, 1), (3, 7), (2, 40)):
        seen = []
        for r in range(rounds):
            for e, j0, j1 in round_jobs(plan, n_words, epochs, rounds, r):
                seen += [(e, j) for j in range(j0, j1)]
        assert seen == [(e, j) for e in range(epochs) for j in range(len(plan))]


def test_merge_rules():
    from wordvec.spark.rounds import merge

    w0 = np.array([[0, 0], [1, 1], [2, 2], [3, 3]], np.float32)  # the round's start
    a = (np.array([0, 1], np.int32), np.array([[4, 4], [5, 5]], np.float32))
    b = (np.array([1, 2], np.int32), np.array([[9, 9], [8, 8]], np.float32))
    expected = {  # rows 0..3, first column; row 3 was changed by nobody
        "row_mean": [4, 7, 8, 3],  # over the partitions that changed the row
        "mean": [4 / 3, 5, 4, 3],  # over all 3 partitions (the third changed nothing)
        "scaled_mean": [4 / 3, 5, 4, 3],
        "sum": [4, 1 + 4 + 8, 2 + 6, 3],  # start + every delta
    }
    for rule, want in expected.items():
        w = w0.copy()
        merge(w, [a, b], rule, partitions=3)
        assert np.allclose(w[:, 0], want) and np.array_equal(w[:, 0], w[:, 1]), rule
    w = w0.copy()
    merge(w, [a], "row_mean", partitions=1)  # one partition: its rows exactly
    assert np.array_equal(w[:2], a[1]) and np.array_equal(w[2:], w0[2:])


def test_scaled_mean_with_a_capped_scale_divides_by_the_scale_or_the_row_s_partitions():
    """With the learning rate scaled by s < P (hierarchical softmax's cap), a row's deltas
    add up divided by s (a row one partition changed gets its delta / s: the update at
    the run's rate), or by the number of partitions that changed it when more did (their
    mean). With s = P that is the mean over all P partitions, as before."""
    from wordvec.spark.rounds import merge

    w0 = np.zeros((3, 2), np.float32)
    rows = [np.array([0, 1, 2], np.int32)] + [np.array([1, 2], np.int32)] * 2
    rows += [np.array([2], np.int32)] * 5  # row 0: one partition, row 1: 3, row 2: 8
    results = [(r, np.full((len(r), 2), 8, np.float32)) for r in rows]
    w = w0.copy()
    merge(w, results, "scaled_mean", partitions=8, scale=4)
    assert np.allclose(w[:, 0], [8 / 4, 3 * 8 / 4, 8])
    w = w0.copy()
    merge(w, results, "scaled_mean", partitions=8, scale=8)  # uncapped: the plain mean
    assert np.allclose(w[:, 0], [8 / 8, 3 * 8 / 8, 8])
    w2 = w0.copy()
    merge(w2, results, "scaled_mean", partitions=8)  # the scale defaults to P
    assert np.array_equal(w, w2)


def test_scaled_mean_trains_the_partitions_at_p_times_the_learning_rate():
    from wordvec import Word2Vec
    from wordvec.spark.rounds import HS_MAX_SCALE, scaled

    cfg = Word2Vec(model="skipgram").config
    fast = scaled(cfg, "scaled_mean", 4)
    assert (fast.start_alpha, fast.end_alpha) == (4 * cfg.start_alpha, 4 * cfg.end_alpha)
    assert scaled(cfg, "row_mean", 4) is cfg and scaled(cfg, "scaled_mean", 1) is cfg
    # hierarchical softmax: at most HS_MAX_SCALE times (its top inner nodes diverge beyond)
    hs = Word2Vec(model="skipgram", loss="hs").config
    assert scaled(hs, "scaled_mean", 2).start_alpha == 2 * hs.start_alpha
    assert scaled(hs, "scaled_mean", 8).start_alpha == HS_MAX_SCALE * hs.start_alpha
    assert scaled(hs, "scaled_mean", 8).end_alpha == HS_MAX_SCALE * hs.end_alpha
    assert scaled(cfg, "scaled_mean", 8).start_alpha == 8 * cfg.start_alpha


def test_a_round_task_gives_the_same_result_every_time():
    from wordvec import Word2Vec
    from wordvec.engine.train import init_weights
    from wordvec.spark.rounds import train_round
    from wordvec.vocab import Vocab

    rng = np.random.default_rng(3)
    stream = np.concatenate(
        [np.append(rng.integers(0, 30, rng.integers(2, 12)), -1) for _ in range(300)]
    )
    stream = stream.astype(np.int32)
    counts = np.bincount(stream[stream >= 0], minlength=30) + 1
    order = np.argsort(-counts, kind="stable")
    vocab = Vocab([f"w{i}" for i in order], counts[order])
    cfg = Word2Vec(model="skipgram", dim=8, min_count=1, epochs=2, batch_words=200).config
    weights = init_weights(vocab, cfg)
    before = [w.copy() for w in weights]
    runs = [
        train_round(
            1,
            stream,
            weights,
            (vocab.words, vocab.counts),
            cfg,
            r=1,
            rounds=3,
            chunk_tokens=1 << 21,
            run_key=key,
        )  # fmt: skip
        for key in ("a", "a", "b")  # the cached trainer, and a fresh one
    ]
    assert all(np.array_equal(x, y) for x, y in zip(weights, before, strict=True))  # untouched
    for other in runs[1:]:
        assert other.stats == runs[0].stats
        for name in ("rows_in", "new_in", "rows_out", "new_out"):
            assert np.array_equal(getattr(other, name), getattr(runs[0], name))
    assert len(runs[0].rows_in) and len(runs[0].rows_out)


def test_round_progress_writes_plain_lines_when_stderr_is_not_a_terminal(monkeypatch):
    """Without a terminal: no "\\r" updates, a line at the first round and at each epoch's
    last round (and one about every 10 s within an epoch), with elapsed time and ETA; on a
    terminal, one line rewritten in place."""
    import io
    import types

    from wordvec.spark import driver

    clock = types.SimpleNamespace(now=0.0)
    monkeypatch.setattr(driver.time, "perf_counter", lambda: clock.now)
    run = types.SimpleNamespace(
        partial=np.zeros((2, 4)), cfg=types.SimpleNamespace(epochs=2), rounds=6, bytes_in=[]
    )
    for tty, expected in ((False, 3), (True, 1)):
        err = io.StringIO()
        err.isatty = lambda tty=tty: tty
        monkeypatch.setattr(driver.sys, "stderr", err)
        bar = driver._Progress(run)
        for r in range(6):
            clock.now += 1.0
            run.partial[r * 2 // 6] += (1.0, 10.0, 1000.0, 900.0)
            run.bytes_in.append(2**20)
            bar(r)
        bar.close()
        text = err.getvalue()
        if not tty:
            assert "\r" not in text
            lines = text.splitlines()
            assert [line.split()[:4] for line in lines] == [
                ["round", "1/6", "epoch", "1/2"],
                ["round", "3/6", "epoch", "1/2"],
                ["round", "6/6", "epoch", "2/2"],
            ]
            assert "elapsed 0:03" in lines[1] and "ETA 0:03" in lines[1]
        else:
            assert text.count("\r") == 6 and text.endswith("\n")
        assert text.count("\n") == expected  # lines ended (\r rewrites one in place)
