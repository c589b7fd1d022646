"""A run compiles only the kernels it needs, before its clock starts, and says so when
Numba compiles (not when its cache has them)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import numba
import numpy as np
import pytest

from wordvec.config import TrainConfig
from wordvec.engine import jit, kernels
from wordvec.errors import WordvecError
from wordvec.model import Word2Vec

SRC = str(Path(__file__).resolve().parents[2] / "src")

# Trains one (model, loss) in a fresh process, then reports which kernels that
# process compiled (or loaded) and the job kernel's cache statistics.
CHILD = """
import json, sys
from wordvec.engine import kernels as K
from wordvec.model import Word2Vec

corpus, model, loss = sys.argv[1:4]
Word2Vec(model=model, loss=loss, dim=8, min_count=1, epochs=1, threads=1, progress=True).fit(
    corpus, handle_signals=False
)
job = K.JOB_KERNELS[K.SKIPGRAM if model == "skipgram" else K.CBOW, K.NEG if loss == "neg" else K.HS]
print(json.dumps({
    "jobs": {K.MODEL_NAMES[m] + "+" + K.LOSS_NAMES[lo]: len(d.signatures)
             for (m, lo), d in K.JOB_KERNELS.items()},
    "steps": {name: len(getattr(K, name).signatures)
              for name in ("sg_step", "cbow_step", "block_update", "next_sentence")},
    "cache_hits": sum(job.stats.cache_hits.values()),
    "cache_misses": sum(job.stats.cache_misses.values()),
}))
"""


def _train_in_child(corpus: Path, model: str, loss: str, cache: str | None = None):
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = cache
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(corpus), model, loss],
        capture_output=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout.decode().splitlines()[-1]), done.stderr.decode()


@pytest.fixture
def corpus(tmp_path) -> Path:
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    path = tmp_path / "corpus.txt"
    path.write_text("".join(" ".join(rng.choice(words, 10)) + "\n" for _ in range(300)))
    return path


def test_a_run_uses_only_the_job_kernel_of_its_model_and_loss(corpus):
    # the test session's own Numba cache: quick once the kernel is in it
    got, _ = _train_in_child(corpus, "skipgram", "neg")
    assert got["jobs"] == {
        "skipgram+neg": 1, "skipgram+hs": 0, "skipgram+hs+neg": 0,
        "cbow+neg": 0, "cbow+hs": 0, "cbow+hs+neg": 0,
    }  # fmt: skip
    # loaded from the cache, its parts are not compiled at all; compiled, each once
    assert got["steps"]["cbow_step"] == 0
    assert all(n <= 1 for n in got["steps"].values()), got


@pytest.mark.slow
@pytest.mark.parametrize(("model", "loss"), [("skipgram", "neg"), ("cbow", "hs")])
def test_a_cold_run_compiles_its_kernel_once_says_so_and_caches_it(corpus, tmp_path, model, loss):
    cache = str(tmp_path / "numba-cache")
    got, err = _train_in_child(corpus, model, loss, cache)
    mine = f"{model}+{loss}"
    assert got["jobs"] == {k: int(k == mine) for k in got["jobs"]}
    # compiled in the second process (engine/ahead.py) while the corpus was read, for the
    # very types of the trainer's calls: this process loads it from the cache
    assert (got["cache_hits"], got["cache_misses"]) == (1, 0)
    assert sum(got["steps"].values()) == 0
    what = f"the {model} + {loss} training kernel"
    lines = err.splitlines()
    assert lines[0].startswith(f"compiling {what} (first run only; cached in {cache}")
    assert lines[1].startswith(f"compiled {what} in ")
    assert lines[2].startswith("epoch 1/1 100.0% ")
    # the next run loads it from the cache, silently
    got, err = _train_in_child(corpus, model, loss, cache)
    assert got["jobs"][mine] == 1 and got["cache_hits"] == 1 and got["cache_misses"] == 0
    assert sum(got["steps"].values()) == 0
    assert "compil" not in err


def test_prepare_announces_a_compilation_and_its_time(monkeypatch, caplog):
    fresh = numba.njit(lambda x: x + 1)  # never compiled, not cached
    monkeypatch.setattr(jit, "_compile_job", lambda *args: fresh(1))
    cfg = TrainConfig(model="cbow", loss="neg").validate()
    events: list[dict] = []
    caplog.set_level(logging.INFO, logger="wordvec")
    seconds = jit.prepare(cfg, None, None, None, None, events.append)
    assert seconds > 0.0
    where = jit.cache_dir(cfg)
    assert where and Path(where).is_dir()
    assert events == [
        {"event": "compiling", "what": "cbow + neg training kernel", "cache": where},
        {"event": "compiled", "what": "cbow + neg training kernel", "seconds": seconds},
    ]
    assert [r.getMessage() for r in caplog.records] == [
        f"compiling the cbow + neg training kernel (first run only; Numba caches it in {where})",
        f"compiled the cbow + neg training kernel in {seconds:.1f}s",
    ]
    # compiled already: nothing to say, nothing counted
    events.clear()
    assert jit.prepare(cfg, None, None, None, None, events.append) == 0.0
    assert events == []


def test_a_library_user_without_progress_or_logging_hears_of_a_compilation(monkeypatch, capsys):
    """progress=False and no INFO logging: one line on stderr as compiling starts (a first
    fit is otherwise silent for as long as it compiles); jit.ANNOUNCE = False silences it."""
    cfg = TrainConfig(model="skipgram", loss="hs").validate()
    for announce, expected in ((True, 1), (False, 0)):
        fresh = numba.njit(lambda x: x + 2)  # never compiled, not cached
        monkeypatch.setattr(jit, "_compile_job", lambda *args, f=fresh: f(1))
        monkeypatch.setattr(jit, "ANNOUNCE", announce)
        assert jit.prepare(cfg, None, None, None, None, None) > 0.0
        err = capsys.readouterr().err
        lines = [x for x in err.splitlines() if x.startswith("wordvec: compiling the skipgram")]
        assert len(lines) == expected, err


def test_kernels_are_compiled_before_the_first_job(monkeypatch):
    calls: list[str] = []
    compile_job = jit._compile_job
    train_job = kernels.train_job

    def compiling(*args):
        calls.append("compile")
        return compile_job(*args)

    def job(*args):
        calls.append("job")
        return train_job(*args)

    monkeypatch.setattr(jit, "_compile_job", compiling)
    monkeypatch.setattr(kernels, "train_job", job)
    sentences = [["a", "b", "c", "d"]] * 50
    Word2Vec(model="cbow", dim=8, min_count=1, epochs=2, threads=1, batch_words=40).fit(
        sentences, handle_signals=False
    )
    assert calls[0] == "compile" and calls.count("compile") == 1
    assert calls.count("job") >= 2


# ---------------------------------------------------------------- the second process
class _Fake:
    """Stands in for a job kernel's dispatcher: no signature compiled in this process."""

    signatures: list = []


@pytest.fixture
def started(monkeypatch):
    """What ``ahead.start`` would run, recorded instead of started."""
    from wordvec.engine import ahead

    runs: list = []
    procs: list = []

    class Popen:
        def __init__(self, argv, env, **kw):
            runs.append((argv, env))
            procs.append(self)
            self.killed = False
            self.done = False

        def poll(self):
            return 0 if self.done else None

        def kill(self):
            self.killed = True
            self.done = True

        def wait(self):
            self.done = True
            return 0

    monkeypatch.setattr(ahead.subprocess, "Popen", Popen)
    monkeypatch.setattr(ahead, "_kernel", lambda model, loss: (None, _Fake()))
    monkeypatch.setattr(ahead, "_cached", lambda dispatcher: False)
    monkeypatch.setattr(ahead, "_cpus", lambda: 2)
    monkeypatch.setattr(ahead, "_RUNNING", {})
    return runs, procs


def test_a_cold_cache_starts_one_second_process_for_the_runs_kernel(started):
    from wordvec.engine import ahead

    runs, _ = started
    ahead.start("cbow", "hs+neg")
    ahead.start("cbow", "hs+neg")  # (already under way: not again)
    ((argv, env),) = runs
    assert argv == [sys.executable, "-m", "wordvec.engine.ahead", "cbow", "hs+neg"]
    import wordvec

    # this very wordvec: the directory it was imported from (src/ in a checkout,
    # site-packages in an installed copy, as in CI)
    here = str(Path(wordvec.__file__).resolve().parents[1])
    assert env["PYTHONPATH"].split(os.pathsep)[0] == here
    proc = ahead._RUNNING["cbow", "hs+neg"]
    assert ahead.running("cbow", "hs+neg")
    assert ahead.wait("cbow", "hs+neg") >= 0.0 and not ahead._RUNNING and not proc.killed


def test_a_fit_that_fails_before_training_ends_the_second_process(started, tmp_path):
    from wordvec.engine import ahead

    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(WordvecError):
        Word2Vec(model="cbow", loss="neg", min_count=1).fit(tmp_path / "empty.txt")
    runs, (proc,) = started
    assert len(runs) == 1 and proc.killed and not ahead._RUNNING


@pytest.mark.parametrize("why", ["cached", "one cpu", "softmax", "compiled here"])
def test_no_second_process_when_it_cannot_help(started, monkeypatch, why):
    from wordvec.engine import ahead

    loss = "softmax" if why == "softmax" else "neg"
    if why == "cached":
        monkeypatch.setattr(ahead, "_cached", lambda dispatcher: True)
    elif why == "one cpu":
        monkeypatch.setattr(ahead, "_cpus", lambda: 1)
    elif why == "compiled here":
        monkeypatch.setattr(_Fake, "signatures", [("sig",)])
    ahead.start("skipgram", loss)
    assert started[0] == [] and ahead.wait("skipgram", loss) == 0.0


@pytest.mark.slow
@pytest.mark.parametrize(("model", "loss"), [("skipgram", "neg"), ("cbow", "hs+neg")])
def test_the_second_process_compiles_the_kernel_and_each_part_once(tmp_path, model, loss):
    code = (
        "import json, sys\n"
        "from wordvec.engine import ahead, kernels as K\n"
        "ahead._compile(sys.argv[1], sys.argv[2])\n"
        "print(json.dumps({'jobs': {K.MODEL_NAMES[m] + '+' + K.LOSS_NAMES[lo]: "
        "len(d.signatures) for (m, lo), d in K.JOB_KERNELS.items()}, 'steps': {n: "
        "len(getattr(K, n).signatures) for n in ('sg_step', 'cbow_step', 'block_update', "
        "'_block_update_one', 'next_sentence')}}))\n"
    )
    env = dict(os.environ, PYTHONPATH=SRC, NUMBA_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", code, model, loss], capture_output=True,
                          env=env, timeout=600, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["jobs"] == {k: int(k == f"{model}+{loss}") for k in got["jobs"]}
    # one specialisation of each part, none of the other model's step and block
    sg = model == "skipgram"
    assert got["steps"] == {
        "sg_step": int(sg), "cbow_step": int(not sg), "block_update": int(sg),
        "_block_update_one": int(not sg), "next_sentence": 1,
    }  # fmt: skip
