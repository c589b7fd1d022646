"""On Spark's test cluster, ``local-cluster[2,1,1024]``: two executor JVMs, as on a cluster.

There each task gets its own copy of the broadcast weights and the rounds' shuffles go
between processes. One run trains cleanly; one has a task fail once (Spark retries it);
one is interrupted by SIGINT on the driver and resumed from its checkpoint. All three
give the same weights, bit for bit. The script runs in a process of its own (a process
holds one SparkContext; the other Spark tests share a ``local[2,3]`` one). Slow: it
starts three JVMs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _spark_env import require_spark

require_spark()

SCRIPT = r"""
import hashlib, json, os, signal, sys
import pyspark
os.environ.setdefault("SPARK_HOME", os.path.dirname(pyspark.__file__))
from wordvec.errors import TrainingInterrupted
from wordvec.spark import Word2Vec
from wordvec.spark.session import get_session

corpus, ckpt = sys.argv[1], sys.argv[2]
spark = get_session(master="local-cluster[2,1,1024]", app_name="wordvec-cluster-test")
spark.sparkContext.setLogLevel("ERROR")
opts = dict(dim=16, window=3, min_count=2, epochs=2, seed=7, batch_words=2000, threads=1,
            model="skipgram", partitions=2, sync_every=10_000)
driver = os.getpid()

def digest(m):
    return hashlib.sha256(m.w_in_.tobytes() + m.w_out_.tobytes()).hexdigest()

def fail_once(partition, r):
    from pyspark import TaskContext
    if partition == 1 and r == 1 and TaskContext.get().attemptNumber() == 0:
        raise RuntimeError("injected executor failure")

def interrupt(partition, r):
    from pyspark import TaskContext
    if partition == 0 and r == 1 and TaskContext.get().attemptNumber() == 0:
        os.kill(driver, signal.SIGINT)

out = {}
try:
    clean = Word2Vec(**opts).fit(corpus)
    out["clean"] = digest(clean)
    out["rounds"] = clean.spark_stats_["rounds"]
    out["loss"] = clean.loss_history_
    est = Word2Vec(**opts)
    est._task_hook = fail_once
    out["retried"] = digest(est.fit(corpus))
    est = Word2Vec(**opts)
    est._task_hook = interrupt
    try:
        est.fit(corpus, checkpoint=ckpt)
        out["interrupted"] = False
    except TrainingInterrupted:
        out["interrupted"] = True
    out["resumed"] = digest(Word2Vec.resume(ckpt, corpus))
finally:
    spark.stop()
print("RESULT " + json.dumps(out))
"""


@pytest.mark.slow
def test_training_a_retried_task_and_a_resumed_run_on_a_test_cluster(tmp_path, books_lines):
    corpus = tmp_path / "books.txt"
    corpus.write_text("".join(books_lines[:1500]), encoding="utf-8")
    src = Path(__file__).resolve().parents[2] / "src"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(corpus), str(tmp_path / "run.ckpt")],
        capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT ") :])
    assert out["rounds"] >= 4 and out["loss"][1] < out["loss"][0]
    assert out["retried"] == out["clean"]  # a task failed once and was retried
    assert out["interrupted"] is True
    assert out["resumed"] == out["clean"]  # stopped after round 2, resumed from the checkpoint
