"""Mutation testing of the engine, the vocabulary's tables and the schedule (not a test).

Each mutant is one deliberate bug: an exact snippet of a source file replaced by a
wrong one. For every mutant this script copies the committed tree (``git archive
HEAD``) to a scratch directory (``/tmp/mut-work``), applies the change, and runs a fast
subset of the tests against the copy (``PYTHONPATH`` = the copy's ``src``) with
``pytest -x``: the first failing test is the one that caught it. A mutant is *caught*
when a test fails (or the run hangs past the time limit). Mutants run one after the
other, under ``nice``.

Numba caches compiled kernels by source file and does not notice a change in another
file a kernel inlines (``softmax.windows`` inlines ``kernels.next_sentence``), so a
mutant of ``kernels.py`` or ``tables.py`` (whose constants the kernels compile in)
always starts from an empty ``NUMBA_CACHE_DIR``. Mutants of
other files start from a copy of the cache the unchanged tree compiled (the baseline
run, which must pass): their own file's cache entries are invalidated by its changed
time stamp, and nothing compiled elsewhere depends on them.

    python tests/mutation/run_mutants.py                 # baseline, then every mutant
    python tests/mutation/run_mutants.py 3 7 12          # some of them
    python tests/mutation/run_mutants.py --list

Results go to ``tests/mutation/results.json`` (merged with earlier runs) and the
table in ``tests/mutation/MUTANTS.md`` is rewritten from it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "tests" / "mutation" / "results.json"
TABLE = ROOT / "tests" / "mutation" / "MUTANTS.md"
PYTHON = sys.executable
LIMIT = 1800  # seconds per mutant (compiling the kernels takes minutes on a loaded machine)

K = "src/wordvec/engine/kernels.py"
T = "src/wordvec/engine/train.py"
S = "src/wordvec/engine/softmax.py"
TB = "src/wordvec/engine/tables.py"
SCH = "src/wordvec/engine/schedule.py"
VOC = "src/wordvec/vocab.py"
SK = "src/wordvec/engine/subword_kernels.py"

# the new tests first, the single-update kernel tests last: with -x, "caught by" names
# the first test that failed
ENGINE = [
    "tests/engine/test_tables.py",
    "tests/engine/test_job_replay.py",
    "tests/engine/test_schedule.py",
    "tests/engine/test_sampling.py",
    "tests/engine/test_kernels.py",
]
STOP = ["tests/reliability/test_stop_any_job.py"]
UNTRAINABLE = ["tests/reliability/test_nothing_to_train.py"]
SUBWORDS = ["tests/subwords/test_subword_kernels.py"]

# (file, old, new, what it breaks, tests to run)
MUTANTS: list[tuple[str, str, str, str, list[str]]] = [
    # --- the list -------------------------------------------------------------
    (K, "alpha = alpha0 + (alpha1 - alpha0) * (words_read / max(n_words, 1))",
        "alpha = alpha1 + (alpha0 - alpha1) * (words_read / max(n_words, 1))",
        "neg/hs: the rate rises from alpha1 to alpha0 inside a job", ENGINE),
    (K, "alpha = alpha0 + (alpha1 - alpha0) * (words_read / max(n_words, 1))",
        "alpha = alpha0",
        "neg/hs: the rate is constant inside a job", ENGINE),
    (S, "alpha = np.float32(alpha0 + (alpha1 - alpha0) * (b0 / max(n, 1)))",
        "alpha = np.float32(alpha1 + (alpha0 - alpha1) * (b0 / max(n, 1)))",
        "exact softmax: the rate rises inside a job", ENGINE),
    (S, "alpha = np.float32(alpha0 + (alpha1 - alpha0) * (b0 / max(n, 1)))",
        "alpha = np.float32(alpha0)",
        "exact softmax: the rate is constant inside a job", ENGINE),
    (T, "total_words=n_words * self.cfg.epochs,",
        "total_words=n_words,",
        "schedule reaches min_alpha at the end of the first epoch", ENGINE),
    (T, "words_before=n_words * epoch,",
        "words_before=0,",
        "schedule restarts at alpha every epoch", ENGINE),
    (K, "return window - _below(r, window), state",
        "return window - 1 - _below(r, window - 1), state",
        "dynamic window never reaches its full width", ENGINE),
    (K, "n_out = tables.offsets[center + 1] - lo",
        "n_out = tables.offsets[center + 1] - lo - 1",
        "hierarchical softmax drops the last node of every path", ENGINE),
    (K, "scale = np.float32(1.0 / n_ctx) if mean else np.float32(1.0)",
        "scale = np.float32(1.0)",
        "cbow_mean ignored in the kernel (always the sum)", ENGINE),
    (T, "            cfg.cbow_mean,\n            max_path,",
        "            True,\n            max_path,",
        "cbow_mean ignored by the trainer (always the mean)", ENGINE),
    (VOC, "p = self.counts.astype(np.float64) ** exponent",
          "p = self.counts.astype(np.float64) ** 1.0",
          "noise distribution counts^1 instead of counts^ns_exponent", ENGINE),
    (K, "g[i + 1, k] = _dot1(x, i + 1, w_out, out_ids[k], d)",
        "g[i + 1, k] = _dot1(x, i, w_out, out_ids[k], d)",
        "odd-output tail with 2+ inputs reads the wrong input row", ENGINE),
    (K, "        if k < n_out:\n            g[i, k] = _dot1(x, i, w_out, out_ids[k], d)",
        "        if k < 0:\n            g[i, k] = _dot1(x, i, w_out, out_ids[k], d)",
        "odd-output tail with 2+ inputs skipped", ENGINE),
    (K, "    if center == dominant:",
        "    if center == -12345:",
        "no inversion for the dominant noise word (the old endless rejection loop)",
        ENGINE + UNTRAINABLE),
    (K, "            if stop[0] != 0:",
        "            if stop[0] == 99:",
        "a job ignores the stop flag (a signal waits for the whole job)", STOP),
    (T, "        self._check_trained(corpus)\n",
        "",
        "a run that trained nothing is not reported (NaN loss, exit 0)", UNTRAINABLE),
    (T, "    if len(vocab) >= 2:",
        "    if len(vocab) >= 1:",
        "a one-word vocabulary is trained (center as its own negative)", UNTRAINABLE),
    # --- more of our own: the job kernel ------------------------------------------------
    (K, "state, nxt_negs, neg, sent[pos + 1], n_vocab, accept, alias,",
        "state, nxt_negs, neg, sent[pos], n_vocab, accept, alias,",
        "negatives drawn one center ahead avoid the wrong center", ENGINE),
    (K, "                if pos == 0:\n",
        "                if pos == -1:\n",
        "a sentence's first center reuses the previous sentence's negatives", ENGINE),
    (K, "if (r & np.uint64(0xFFFFFFFF)) >= accept[c]:",
        "if (r & np.uint64(0xFFFFFFFF)) < accept[c]:",
        "alias step inverted (accept and alias swapped)", ENGINE),
    (K, "return np.int64(((r >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32))",
        "return np.int64(((r & np.uint64(0xFFFFFFFF)) * np.uint64(n)) >> np.uint64(32))",
        "uniform draws from the low 32 bits (the alias step reuses them)", ENGINE),
    (K, "        if (r >> np.uint64(32)) < keep[w]:",
        "        if (r >> np.uint64(32)) < keep[0]:",
        "sub-sampling keeps every word at the most frequent word's rate", ENGINE),
    (K, "nxt = end + 1 if end < n_tokens and tokens[end] < 0 else end",
        "nxt = end + 1",
        "a sentence split at max_sentence loses the next token", ENGINE),
    (K, "for j in range(max(0, pos - b), min(n, pos + b + 1)):",
        "for j in range(max(0, pos - b), min(n, pos + b)):",
        "the context window misses its right edge", ENGINE),
    (K, "                    if j != pos:\n                        ctx[n_ctx] = sent[j]",
        "                    if j != pos - 1:\n                        ctx[n_ctx] = sent[j]",
        "the center is its own context (its left neighbour is dropped)", ENGINE),
    (K, "                terms += n_ctx",
        "                terms += 1",
        "skip-gram counts one loss term per center, not per pair", ENGINE),
    (K, "            w_in[row, t] += dx[0, t]",
        "            w_in[row, t] += dx[0, t] * scale",
        "CBOW mean hands dJ/dh / n to the context rows (not word2vec C's convention)",
        ENGINE),
    (K, "labels[k] = 1 - tables.codes[lo + k]",
        "labels[k] = tables.codes[lo + k]",
        "hierarchical softmax labels are the codes, not 1 - code", ENGINE),
    (K, "out_ids[k] = row0 + tables.points[lo + k]",
        "out_ids[k] = row0 + tables.points[lo + n_out - 1 - k]",
        "hierarchical softmax path read leaf-first (nodes and codes mismatched)", ENGINE),
    (K, "    return sig[i] + f * (sig[i + 1] - sig[i]), sp[i]",
        "    return sig[i + 1] + f * (sig[i + 1] - sig[i]), sp[i]",
        "sigmoid table read one step off", ENGINE),
    (K, "    while j < n:\n        a0 = g[j, ca] if transpose else g[ca, j]",
        "    while j < n - 1:\n        a0 = g[j, ca] if transpose else g[ca, j]",
        "row-update tail drops the last source when n is not a multiple of 4", ENGINE),
    (K, "            negs[k] = _bisect(cum_x, _below(r, total))",
        "            negs[k] = _bisect(cum_x, _below(r, total) // 2)",
        "inversion draws of the dominant word's negatives skewed to the frequent words",
        ENGINE),
    (TB, "    cum_x = np.zeros(1, dtype=np.int64)\n    if noise is not None and len(noise) > 1 "
        "and float(np.max(noise)) > 0.5:",
        "    cum_x = np.zeros(1, dtype=np.int64)\n    if noise is not None and len(noise) > 1 "
        "and float(np.max(noise)) > 0.9:",
        "dominant-word threshold 0.9 instead of 1/2 (the contract's order changes)", ENGINE),
    (TB, "        others[dominant] = 0.0\n",
        "",
        "the dominant word keeps its own mass in its inversion table", ENGINE),
    # --- the vocabulary's tables -----------------------------------------------------
    (VOC, "        binary[mins[1]] = 1",
          "        binary[mins[0]] = 1",
          "Huffman codes: the lighter child gets bit 1", ENGINE),
    (VOC, "if pos1 >= 0 and (pos2 >= v + a or cnt[pos1] < cnt[pos2]):",
          "if pos1 >= 0 and (pos2 >= v + a or cnt[pos1] > cnt[pos2]):",
          "Huffman merge picks the wrong nodes (not an optimal tree)", ENGINE),
    (VOC, "p = np.minimum((np.sqrt(f / tt) + 1.0) * tt / f, 1.0)",
          "p = np.minimum(np.sqrt(tt / f), 1.0)",
          "sub-sampling by the paper's sqrt(t / f), not word2vec C's formula", ENGINE),
    (VOC, "        accept[s] = scaled[s]",
          "        accept[s] = scaled[s] / 2",
          "alias table: acceptance halved (noise distribution skewed)", ENGINE),
    (VOC, "        p = self.counts.astype(np.float64) ** exponent\n        return p / p.sum()",
          "        p = self.counts.astype(np.float64) ** exponent\n        return p / p.max()",
          "noise distribution not normalised", ENGINE),
    # --- the trainer and its schedule ----------------------------------------------------
    (T, "accept, alias = self.vocab.alias_table(cfg.ns_exponent)",
        "accept, alias = self.vocab.alias_table()",
        "the trainer ignores ns_exponent for the alias table", ENGINE),
    (T, "yield j, chunk[start:stop], a0, a1, job_seed(self.cfg.seed, epoch, j), words",
        "yield j, chunk[start:stop], a1, a0, job_seed(self.cfg.seed, epoch, j), words",
        "each job's rate rises from its end rate to its start rate", ENGINE),
    (SCH, "return start - (start - end) * min(words_done / max(total, 1.0), 1.0)",
        "return start - (start - end) * min(2 * words_done / max(total, 1.0), 1.0)",
        "schedule reaches min_alpha half-way through the run", ENGINE),
    (SCH, "x = (seed * 0x9E3779B97F4A7C15 + epoch * 0xBF58476D1CE4E5B9",
        "x = (seed * 0x9E3779B97F4A7C15 + 0 * 0xBF58476D1CE4E5B9",
        "every epoch reuses the same random numbers", ENGINE),
    (T, "self.vocab.keep_thresholds(cfg.sample), accept, alias",
        "self.vocab.keep_thresholds(cfg.sample * 10), accept, alias",
        "the trainer sub-samples with 10 x sample", ENGINE),
    (S, "alpha = np.float32(alpha0 + (alpha1 - alpha0) * (b0 / max(n, 1)))",
        "alpha = np.float32(alpha0 + (alpha1 - alpha0) * (b1 / max(n, 1)))",
        "exact softmax: each batch takes the next batch's rate", ENGINE),
    (T, "            position = min(cut) if cut else enqueued - not_run",
        "            position = enqueued - not_run",
        "a job cut short by a stop counts as done", STOP),
    # --- subword (fastText) kernels: the n-gram path -------------------------------------
    (SK, "        step = inv if exact else np.float32(1.0)",
        "        step = np.float32(1.0) if exact else inv",
        "subwords: the row gradient divided by n when it should not be (and not when it should)",
        SUBWORDS),
    (SK, "        step = inv if exact else np.float32(1.0)",
        "        step = np.float32(1.0)",
        "subwords: the exact rule never divides by n", SUBWORDS),
    (SK, "            x[0, t] += shift * a",
        "            x[0, t] += 0.0 * a",
        "subwords skip-gram: the mean not moved between pairs (one step on the summed pairs)",
        SUBWORDS),
    (SK, "            x[0, t] += shift * a",
        "            x[0, t] += a",
        "subwords skip-gram: the mean moved by the step, not f times it (repeated rows)",
        SUBWORDS),
    (SK, "for q in range(sub_offsets[center], sub_offsets[center + 1]):",
        "for q in range(sub_offsets[center] + 1, sub_offsets[center + 1]):",
        "subwords skip-gram: the center's own word row skipped", SUBWORDS),
    (SK, "for q in range(sub_offsets[center], sub_offsets[center + 1]):",
        "for q in range(sub_offsets[center], sub_offsets[center + 1] - 1):",
        "subwords skip-gram: the center's last n-gram row missing", SUBWORDS),
    (SK, "for q in range(sub_offsets[o], sub_offsets[o + 1]):",
        "for q in range(sub_offsets[o] + 1, sub_offsets[o + 1]):",
        "subwords CBOW: the context words' own word rows skipped", SUBWORDS),
    (SK, "for q in range(sub_offsets[o], sub_offsets[o + 1]):",
        "for q in range(sub_offsets[o], sub_offsets[o + 1] - (o == 0)):",
        "subwords CBOW: word 0's last row missing (its end offset off by one)", SUBWORDS),
    (SK, "    inv = np.float32(1.0 / n_rows)",
        "    inv = np.float32(1.0 / (n_rows + 1))",
        "subwords: the mean divides by n + 1", SUBWORDS),
    (SK, "    for i in range(n_rows):\n        r = in_rows[i]\n        for t in range(d):\n"
         "            w_in[r, t] += acc[t]",
         "    for i in range(n_rows - 1):\n        r = in_rows[i]\n        for t in range(d):\n"
         "            w_in[r, t] += acc[t]",
        "subwords: the last row of the input gets no update", SUBWORDS),
    (SK, "                            state, negs, neg, target, n_vocab,",
         "                            state, negs, neg, center, n_vocab,",
        "subwords skip-gram: negatives exclude the center, not the context word", SUBWORDS),
]  # fmt: skip


def _snapshot(base: Path) -> None:
    if base.exists():
        shutil.rmtree(base)
    base.mkdir(parents=True)
    archive = ["git", "-C", str(ROOT), "archive", "HEAD"]
    tar = subprocess.run(archive, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(base)], input=tar.stdout, check=True)


BASELINE = -1  # no change, every test: must pass for the results to mean anything
WORK = Path("/tmp/mut-work")  # one fixed path, so that cache entries carry over
BASE_CACHE = Path("/tmp/mut-cache-base")


def run_one(n: int, base: Path) -> dict:
    if n == BASELINE:
        tests = list(dict.fromkeys(t for m in MUTANTS for t in m[4]))
        path, old, new, what = "", "", "", "none (baseline)"
    else:
        path, old, new, what, tests = MUTANTS[n]
    work = WORK
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(base, work)  # (copy2: time stamps kept, so cache entries still match)
    cache = BASE_CACHE if n == BASELINE else work / ".numba-cache"
    if cache.exists():
        shutil.rmtree(cache)
    if n != BASELINE and path not in (K, TB) and BASE_CACHE.exists():
        shutil.copytree(BASE_CACHE, cache)
    line = 0
    if n != BASELINE:
        src = (work / path).read_text()
        if src.count(old) != 1:
            return {"id": n, "error": f"snippet found {src.count(old)} times in {path}"}
        line = src[: src.index(old)].count("\n") + 1
        (work / path).write_text(src.replace(old, new))
    env = dict(os.environ)
    env["PYTHONPATH"] = str(work / "src")
    env["NUMBA_CACHE_DIR"] = str(cache)
    env.pop("NUMBA_DISABLE_JIT", None)
    first = [] if n == BASELINE else ["-x"]
    cmd = ["nice", "-n", "10", PYTHON, "-m", "pytest", "-q", "-rf", "-p", "no:cacheprovider",
           "-o", "addopts=", *first, *tests]  # fmt: skip
    t0 = time.time()
    try:
        done = subprocess.run(cmd, cwd=work, env=env, capture_output=True, timeout=LIMIT)
        out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        rc = done.returncode
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace")
        rc = "timeout"
    failed = sorted(set(re.findall(r"^FAILED (\S+)", out, re.M)))
    errors = sorted(set(re.findall(r"^ERROR (\S+)", out, re.M)))
    summary = (re.findall(r"^=+ (.*) in [\d.]+s", out, re.M) or [out[-300:]])[-1]
    if n != BASELINE:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "id": n, "file": path, "line": line, "what": what, "rc": rc,
        "caught": rc != 0, "failed": failed + errors, "summary": summary,
        "seconds": round(time.time() - t0),
    }  # fmt: skip


def write_table(results: dict) -> None:
    rows = [results[k] for k in sorted(results, key=int)]
    caught = sum(r.get("caught", False) for r in rows)
    lines = [
        "# Mutation testing: deliberate bugs and the tests that catch them",
        "",
        "Written by `tests/mutation/run_mutants.py` (see its docstring). Each row is one",
        "bug put by hand into a scratch copy of the committed tree; *caught by* lists the",
        "failing tests (file::test, parameters dropped).",
        "",
        f"**{caught} of {len(rows)} mutants caught ({100 * caught / max(len(rows), 1):.0f}%).**",
        "",
        "| # | file:line | what it changes | caught by |",
        "|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['id']} | - | - | not run: {r['error']} |")
            continue
        names = sorted({f.split("[")[0].replace("tests/", "") for f in r["failed"]})
        if r["rc"] == "timeout":
            by = "hang: killed after the time limit" + (f"; {', '.join(names)}" if names else "")
        elif r["caught"]:
            by = ", ".join(names[:4]) + (f" (+{len(names) - 4} more)" if len(names) > 4 else "")
            by = by or f"pytest exit {r['rc']}: {r['summary']}"
        else:
            by = f"**not caught** ({r['summary']})"
        where = f"{r['file'].replace('src/wordvec/', '')}:{r['line']}"
        lines.append(f"| {r['id']} | {where} | {r['what']} | {by} |")
    TABLE.write_text("\n".join(lines) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ids", nargs="*", type=int)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--baseline", action="store_true", help="run the tests on the unchanged tree")
    args = ap.parse_args()
    if args.list:
        for i, (path, _, _, what, _) in enumerate(MUTANTS):
            print(f"{i:3d}  {path}: {what}")
        return
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results = {k: v for k, v in results.items() if int(k) < len(MUTANTS)}
    base = Path("/tmp/mut-base")
    _snapshot(base)
    if args.baseline or not BASE_CACHE.exists():
        r = run_one(BASELINE, base)
        print(f"baseline: rc {r['rc']}, {r['summary']}, failed {r['failed']}", flush=True)
        if r["rc"] != 0:
            shutil.rmtree(BASE_CACHE, ignore_errors=True)
            raise SystemExit("the unchanged tree fails its tests: no mutant result would mean much")
        if args.baseline:
            return
    for n in args.ids or range(len(MUTANTS)):
        r = run_one(n, base)
        results[str(n)] = r
        RESULTS.write_text(json.dumps(results, indent=1))
        write_table(results)
        state = "caught" if r.get("caught") else "NOT CAUGHT"
        print(f"mutant {n}: {state} ({r.get('seconds')} s) {r.get('failed', r.get('error'))}",
              flush=True)  # fmt: skip
    write_table(results)


if __name__ == "__main__":
    main()
