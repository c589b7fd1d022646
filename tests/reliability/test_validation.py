"""Validation in one place: every bad option and every unusable corpus gets a clear error.

Each numeric option out of its range raises :class:`ConfigError` before any work
starts, with a message naming the parameter, the allowed range and the value.
The CLI turns it into exit code 1 and one line ``wordvec: error: ...`` on
stderr, and writes nothing. An empty corpus, or one where no word reaches
``min_count``, is a :class:`CorpusError`, never a crash or an empty file.
"""

from __future__ import annotations

import gzip
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from wordvec import TrainConfig
from wordvec.cli import main
from wordvec.errors import ConfigError, CorpusError
from wordvec.model import Word2Vec

SENTENCES = [["a", "b", "c"], ["b", "c", "a"]] * 5

# (parameter, bad value, text the message must hold besides the name and the value)
BAD = [
    ("dim", 0, "an int >= 1"),
    ("dim", -3, "an int >= 1"),
    ("dim", 2.0, "an int >= 1"),
    ("dim", True, "an int >= 1"),
    ("dim", "8", "an int >= 1"),
    ("dim", 2**31, "<= 2147483647"),
    ("window", 0, "an int >= 1"),
    ("window", 10_001, "<= 10000"),
    ("negative", -1, "an int >= 0"),
    ("negative", 0, "an int >= 1 when loss='neg'"),
    ("negative", 10_001, "<= 10000"),
    ("min_count", 0, "an int >= 1"),
    ("sample", -1e-3, "a finite float >= 0.0"),
    ("sample", math.nan, "a finite float >= 0.0"),
    ("sample", math.inf, "a finite float >= 0.0"),
    ("epochs", 0, "an int >= 1"),
    ("epochs", -1, "an int >= 1"),
    ("alpha", 0.0, "a finite float > 0.0"),
    ("alpha", -0.025, "a finite float > 0.0"),
    ("alpha", math.nan, "a finite float > 0.0"),
    ("alpha", math.inf, "a finite float > 0.0"),
    ("alpha", 10**400, "a finite float > 0.0"),  # beyond the float range
    ("min_alpha", -1e-4, "a finite float >= 0.0"),
    ("min_alpha", math.nan, "a finite float >= 0.0"),
    ("threads", -1, "an int >= 0"),
    ("threads", 10**6, "<= 4096"),
    ("seed", -1, "an int >= 0"),
    ("seed", 2**64, "<= 9223372036854775807"),
    ("ns_exponent", math.nan, "a finite float with -10.0 <= ns_exponent <= 10.0"),
    ("ns_exponent", 11.0, "a finite float with -10.0 <= ns_exponent <= 10.0"),
    ("max_vocab", 1, "an int >= 2"),
    ("max_final_vocab", 0, "an int >= 1"),
    ("max_sentence_length", 1, "an int >= 2"),
    ("max_sentence_length", 10**7, "<= 1000000"),
    ("batch_words", 0, "an int >= 1"),
    ("batch_words", 2**40, "<= 2147483647"),
]


@pytest.mark.parametrize("name,value,allowed", BAD, ids=[f"{n}={v!r}"[:40] for n, v, _ in BAD])
def test_every_numeric_option_out_of_range_is_a_config_error(name, value, allowed):
    scanned = []

    def corpus():  # a corpus that records whether any work started
        scanned.append(True)
        yield from SENTENCES

    with pytest.raises(ConfigError) as info:
        Word2Vec(**{name: value, "min_count": 1} if name != "min_count" else {name: value}).fit(
            corpus()
        )
    message = str(info.value)
    assert message.startswith(f"`{name}` must be ")
    assert allowed in message
    assert message.endswith(f"; got {value!r}.") or f"got {value!r}" in message
    assert not scanned, "validation must come before reading the corpus"


def test_min_alpha_above_alpha_names_both():
    with pytest.raises(
        ConfigError,
        match=r"`min_alpha` must be a float with 0 <= min_alpha <= alpha \(0\.01\); got 0\.1\.",
    ):
        Word2Vec(alpha=0.01, min_alpha=0.1).fit(SENTENCES)


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"model": "sg"}, "`model` must be one of 'skipgram', 'cbow'; got 'sg'."),
        ({"loss": "ns"}, "`loss` must be one of 'neg', 'hs', 'softmax', 'hs+neg'; got 'ns'."),
        ({"loss": "hs", "negative": 3}, "`negative` must be 0 when loss='hs'; got 3"),
        ({"cbow_mean": 1}, "`cbow_mean` must be a bool; got 1."),
        ({"lowercase": "yes"}, "`lowercase` must be a bool; got 'yes'."),
    ],
)
def test_modes_and_flags_are_checked_too(kwargs, match):
    with pytest.raises(ConfigError) as info:
        Word2Vec(**kwargs).fit(SENTENCES)
    assert match in str(info.value)


def test_numpy_scalars_are_accepted_and_stored_as_python_numbers(tmp_path):
    """A grid search hands over NumPy scalars: they validate, and models still save as JSON."""
    m = Word2Vec(
        dim=np.int64(4), window=np.int32(2), alpha=np.float32(0.05), sample=np.float64(0),
        epochs=np.int16(1), min_count=1, threads=1, cbow_mean=np.bool_(True),
    ).fit(SENTENCES)  # fmt: skip
    cfg = m.config
    assert type(cfg.dim) is int and type(cfg.alpha) is float and type(cfg.cbow_mean) is bool
    m.save(tmp_path / "m.model")
    assert Word2Vec.load(tmp_path / "m.model").dim == 4


def test_the_config_dataclass_validates_the_same_way():
    with pytest.raises(ConfigError, match="`window` must be an int >= 1; got 0."):
        TrainConfig(window=0).validate()
    with pytest.raises(ConfigError, match="`epochs`"):
        TrainConfig().replace(epochs=0)


def test_a_huge_dim_is_a_config_error_naming_the_memory_needed():
    with pytest.raises(
        ConfigError, match=r"`dim` = 2147483647 with 3 vocabulary words needs .* GiB"
    ):
        Word2Vec(dim=2**31 - 1, min_count=1, threads=1).fit(SENTENCES)


# --------------------------------------------------------------------------- corpora
def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data,match",
    [
        (b"", "the corpus is empty"),
        (b"\n\n  \n\t\n", "the corpus is empty"),
        (gzip.compress(b""), "the corpus is empty"),
        (b"one two three\nfour five\n", "no word occurs at least min_count=5 times"),
    ],
    ids=["empty", "blank-lines", "empty-gzip", "all-rare"],
)
def test_unusable_corpora_are_corpus_errors(data, match, tmp_path):
    path = _write(tmp_path / ("c.txt.gz" if data.startswith(b"\x1f\x8b") else "c.txt"), data)
    with pytest.raises(CorpusError, match=match):
        Word2Vec().fit(path)


def test_pruning_everything_away_says_so():
    sentences = [[f"w{i}" for i in range(j, j + 10)] for j in range(0, 1000, 10)]
    with pytest.raises(CorpusError, match="raise `max_vocab`"):
        Word2Vec(max_vocab=5, min_count=1).fit(sentences)


# --------------------------------------------------------------------------- the CLI
# (the CLI's messages name its options where the library's name Python parameters)
CLI_BAD = [
    (["--dim", "0"], "--dim must be an int >= 1; got 0."),
    (["--window", "0"], "--window must be an int >= 1; got 0."),
    (["--negative", "-2"], "--negative must be an int >= 0; got -2."),
    (["--min-count", "0"], "--min-count must be an int >= 1; got 0."),
    (["--sample", "-1"], "--sample must be a finite float >= 0.0; got -1.0."),
    (["--sample", "nan"], "--sample must be a finite float >= 0.0; got nan."),
    (["--epochs", "0"], "--epochs must be an int >= 1; got 0."),
    (["--alpha", "0"], "--alpha must be a finite float > 0.0; got 0.0."),
    (["--alpha", "inf"], "--alpha must be a finite float > 0.0; got inf."),
    (["--alpha", "0.01", "--min-alpha", "0.1"], "--min-alpha must be a float with 0 <= min_alpha"),
    (["--min-alpha", "-1"], "--min-alpha must be a finite float >= 0.0; got -1.0."),
    (["--threads", "-1"], "--threads must be an int >= 0; got -1."),
    (["--threads", "100000"], "--threads must be an int with 0 <= threads <= 4096; got 100000."),
    (["--seed", "-1"], "--seed must be an int >= 0; got -1."),
    (["--max-vocab", "1"], "--max-vocab must be an int >= 2; got 1."),
    (["--max-final-vocab", "0"], "--max-final-vocab must be an int >= 1; got 0."),
    (["--loss", "hs", "--negative", "5"], "--negative must be 0 when --loss hs; got 5"),
    (["--checkpoint-every", "0"], "--checkpoint-every must be a finite float > 0.0; got 0.0."),
    (["--checkpoint-every", "-5"], "--checkpoint-every must be a finite float > 0.0; got -5.0."),
]


@pytest.fixture
def corpus(tmp_path) -> Path:
    return _write(tmp_path / "corpus.txt", b"a b c d\n" * 20)


@pytest.mark.parametrize("options,message", CLI_BAD, ids=[" ".join(o) for o, _ in CLI_BAD])
def test_cli_bad_option_is_one_line_exit_1_and_writes_nothing(options, message, corpus, capsys):
    out = corpus.parent / "out.txt"
    assert main(["train", str(corpus), "-o", str(out), "-q", *options]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("wordvec: error: ")
    assert message in err
    assert sorted(os.listdir(corpus.parent)) == ["corpus.txt"]


@pytest.mark.parametrize(
    "data,match",
    [(b"", "the corpus is empty"), (b"x y z\n", "no word occurs at least min_count=5 times")],
    ids=["empty", "all-rare"],
)
def test_cli_unusable_corpus_is_one_line_exit_1_and_leaves_no_file(data, match, tmp_path, capsys):
    path = _write(tmp_path / "corpus.txt", data)
    out = tmp_path / "out.bin"
    assert main(["train", str(path), "-o", str(out)]) == 1
    # the run's first line (said at once, before the corpus is read), then one error line
    first, error = capsys.readouterr().err.splitlines()
    assert first == f"training on {path} -> {out}"
    assert error.startswith("wordvec: error: ") and match in error
    assert sorted(os.listdir(tmp_path)) == ["corpus.txt"]  # no output, checkpoint or temp file


def test_cli_error_in_a_real_process_has_no_traceback(corpus):
    env = dict(os.environ)
    env.setdefault("NUMBA_CACHE_DIR", "/tmp/numba-cache")
    done = subprocess.run(
        [sys.executable, "-m", "wordvec", "train", str(corpus), "-o", str(corpus.parent / "o.txt"),
         "--alpha", "-1"],
        capture_output=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert (
        done.stderr.decode() == "wordvec: error: --alpha must be a finite float > 0.0; got -1.0.\n"
    )
    assert not (corpus.parent / "o.txt").exists()


# --------------------------------------------------------------------------- checkpoint options
@pytest.mark.parametrize("every", [0, -1.0, float("nan"), float("inf")])
def test_checkpoint_every_must_be_a_positive_number(every, tmp_path):
    with pytest.raises(ConfigError, match="`checkpoint_every` must be a finite float > 0.0"):
        Word2Vec(min_count=1).fit(SENTENCES, checkpoint=tmp_path / "c", checkpoint_every=every)
    with pytest.raises(ConfigError, match="needs a `checkpoint` path"):
        Word2Vec(min_count=1).fit(SENTENCES, checkpoint_every=1.0)


def test_a_checkpoint_path_that_cannot_be_written_is_refused_before_training(tmp_path):
    with pytest.raises(ConfigError, match="directory of `checkpoint`, .* does not exist"):
        Word2Vec(min_count=1).fit(SENTENCES, checkpoint=tmp_path / "missing" / "run.ckpt")


@pytest.mark.parametrize("how", ["the file", "a link in its directory", "a TextCorpus of it"])
def test_a_checkpoint_never_replaces_the_corpus(how, tmp_path):
    """fit(p, checkpoint=p) used to train, then replace the text with a checkpoint: the
    library checks its paths as the CLI does (one function), before any work."""
    from wordvec import TextCorpus

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("a b c a b\n" * 20)
    before = corpus.read_bytes()
    if how == "the file":
        source = corpus
    elif how == "a TextCorpus of it":
        source = TextCorpus(str(corpus))
    else:
        (tmp_path / "texts").mkdir()
        (tmp_path / "texts" / "linked.txt").symlink_to(corpus)
        source = tmp_path / "texts"
    model = Word2Vec(min_count=1, dim=4, epochs=1, threads=1)
    with pytest.raises(ConfigError, match=f"^{corpus}: `checkpoint` .*`corpus`"):
        model.fit(source, checkpoint=corpus, checkpoint_every=1e-9)
    assert corpus.read_bytes() == before
    with pytest.raises(ConfigError, match=f"^{corpus}: `checkpoint`"):
        Word2Vec.resume(corpus, source)
    assert corpus.read_bytes() == before


def test_a_spark_checkpoint_never_replaces_the_corpus(tmp_path):
    pytest.importorskip("pyspark")
    from wordvec.spark import Word2Vec as SparkWord2Vec

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("a b c a b\n" * 20)
    for data in (str(corpus), [str(corpus)]):
        with pytest.raises(ConfigError, match=f"^{corpus}: `checkpoint`"):  # before Spark starts
            SparkWord2Vec(min_count=1, dim=4).fit(data, checkpoint=corpus)
        with pytest.raises(ConfigError, match=f"^{corpus}: `checkpoint`"):
            SparkWord2Vec.resume(corpus, data)
    assert corpus.read_text() == "a b c a b\n" * 20


def test_a_thread_the_system_refuses_is_one_line_naming_threads(tmp_path, capsys, monkeypatch):
    """`--threads N` where the OS refuses a thread ("can't start new thread") was a
    traceback; the threads already started are stopped, and the line says what to lower."""
    import threading

    from wordvec.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text("a b c d e f a b c d\n" * 50)
    started = []
    real_start = threading.Thread.start

    def start(thread):
        if len(started) == 1:
            raise RuntimeError("can't start new thread")
        started.append(thread)
        real_start(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    out = tmp_path / "v.txt"
    args = ["train", str(corpus), "-o", str(out), "-q", "--min-count", "1", "--threads", "3"]
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "thread 2 of 3" in err[0] and "--threads" in err[0], err
    assert "can't start new thread" in err[0]
    started[0].join(5)
    assert not started[0].is_alive()  # the one that started was stopped
    assert not out.exists()
