"""Bounded memory: counting a corpus of endless distinct tokens prunes instead of growing.

``wordvec.text.scan.scan`` holds at most ``max_vocab`` distinct tokens; beyond that it
prunes the rarest as word2vec C's ReduceVocab does. Each test streams a synthetic
corpus of all-distinct tokens (plus a few frequent words) from a generator in a
fresh subprocess and reads the process's peak resident memory
(``resource.getrusage(...).ru_maxrss``) before and after the scan. The figures are
peak RSS *growth* during the scan, so the interpreter, NumPy and Numba are not
counted. Measured on the development machine (Linux x86-64, CPython 3.11):

=================  ==========  ============  ===============  ===========
tokens             max_vocab   growth found  without a bound  bound here
=================  ==========  ============  ===============  ===========
2,000,000          100,000     ~19 MiB       ~345 MiB         100 MiB
20,000,000         1,000,000   ~169 MiB      ~3.4 GiB (est.)  320 MiB
=================  ==========  ============  ===============  ===========
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CHILD = textwrap.dedent(
    """
    import json, resource, sys
    from wordvec.text.scan import scan

    n_tokens, max_vocab = int(sys.argv[1]), int(sys.argv[2])
    FREQUENT = [f"common{i}" for i in range(10)]

    def corpus():  # sentences of 990 never-repeated tokens and the 10 frequent words
        per = 990
        for s in range(n_tokens // (per + 10)):
            yield FREQUENT + [f"t{i}" for i in range(s * per, (s + 1) * per)]

    def peak_mib():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    before = peak_mib()
    s = scan(corpus(), max_vocab=None if max_vocab == 0 else max_vocab)
    counts = dict(zip(s.words, s.counts.tolist()))
    print(json.dumps({
        "growth_mib": peak_mib() - before,
        "tokens": s.n_tokens,
        "distinct_kept": len(s.words),
        "pruned": s.pruned,
        "frequent": [counts.get(w, 0) for w in FREQUENT],
        "sentences": s.n_sentences,
    }))
    """
)


def _scan_in_subprocess(n_tokens: int, max_vocab: int) -> dict:
    env = dict(os.environ)
    env.setdefault("NUMBA_CACHE_DIR", "/tmp/numba-cache")
    env["PYTHONPATH"] = (
        str(Path(__file__).resolve().parents[2] / "src") + os.pathsep + env.get("PYTHONPATH", "")
    )
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(n_tokens), str(max_vocab)],
        capture_output=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def _check(result: dict, n_tokens: int, max_vocab: int, bound_mib: float) -> None:
    assert result["tokens"] == n_tokens
    assert result["pruned"]
    assert result["distinct_kept"] <= max_vocab
    # the frequent words survive every pruning with exact counts
    assert result["frequent"] == [result["sentences"]] * 10
    assert result["growth_mib"] < bound_mib, result


def test_two_million_distinct_tokens_stay_within_100_mib():
    """2,000,000 tokens, max_vocab=100,000: peak RSS grows by less than 100 MiB (~19 found;
    counting them all takes ~345 MiB)."""
    result = _scan_in_subprocess(2_000_000, 100_000)
    _check(result, 2_000_000, 100_000, bound_mib=100)


@pytest.mark.slow
def test_twenty_million_distinct_tokens_stay_within_320_mib():
    """20,000,000 tokens, max_vocab=1,000,000: peak RSS grows by less than 320 MiB (~169
    found, in ~15 s; counting them all would take ~3.4 GiB)."""
    result = _scan_in_subprocess(20_000_000, 1_000_000)
    _check(result, 20_000_000, 1_000_000, bound_mib=320)
