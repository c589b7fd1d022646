"""Opening fastText's .bin: time to the first unseen-word vector, and peak memory.

Compared, each in a fresh Python process (after its imports, which are not timed):

* ``wordvec``: ``wordvec.load_fasttext(path)`` then ``wv[WORD]`` (the input matrix is
  memory-mapped: only the dictionary and the rows of WORD's n-grams are read);
* ``gensim``: ``gensim.models.fasttext.load_facebook_vectors(path)`` then ``wv[WORD]``;
* ``fasttext``: fastText's Python package (``fasttext-numpy2``), ``load_model(path)``
  then ``get_word_vector(WORD)``, if installed.

Two models (both dim 300, 2,000,000 buckets, as the published ``cc.*.300.bin``):

* ``small``: trained by fastText's tool on the first ``--train-words`` words of en17m
  (``-dim 300 -bucket 2000000 -epoch 1 -minCount 5``);
* ``en17m-dict``: a dictionary of en17m's size (every word of en17m seen
  ``--dict-min-count`` times, counted here), its bucket rows those of the small
  model and its word rows random, written by wordvec's writer: what matters for
  opening a file is its layout and sizes, not its values.

Each (model, tool) is timed with the page cache warm (the file read once before)
and cold (the file's pages evicted first: ``echo 3 > /proc/sys/vm/drop_caches`` when
permitted, else ``posix_fadvise(DONTNEED)`` on the file, which evicts its clean
pages without privileges; the method used is printed), ``--repeat`` times in
round-robin order; the table gives medians. Peak RSS is the process's peak
resident size (``VmHWM``) minus its resident size after the imports.

``most_similar`` is timed separately (in-process, wordvec and gensim): the first
query composes and normalises every vocabulary word's vector (it touches most
rows: linear in the dictionary size), later ones are one matrix product.

Usage (on a quiet machine; it writes ~2.5 GB and ~5 GB of models to --workdir)::

    make -C /path/to/fastText opt            # fastText's tool, built from source
    python bench/bench_fasttext_load.py --fasttext /path/to/fastText/fasttext \\
        --workdir /tmp/ftbench --repeat 5
    # a quick check that the script works (small sizes):
    python bench/bench_fasttext_load.py --fasttext ... --workdir /tmp/ftq \\
        --train-words 50000 --dim 20 --bucket 20000 --dict-words 200000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _corpus import prefix_corpus  # (bench/ is the script's directory)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "en17m.txt"
WORD = "unbelievablyness"  # in no dictionary: its vector comes from its n-grams
TOOLS = ("wordvec", "gensim", "fasttext")


# --------------------------------------------------------------------------- child process
def _rss_now() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _rss_peak() -> int:
    """This process's peak resident size (VmHWM). Not ``ru_maxrss``: Linux keeps that
    across ``exec``, so a child started by a large parent reports the parent's peak."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(tool: str, path: str) -> None:
    """Import, then time open + first unseen vector; print one JSON line."""
    if tool == "wordvec":
        from wordvec import load_fasttext  # the import, as gensim's below (numba included)

        def run():
            return np.asarray(load_fasttext(path)[WORD])
    elif tool == "gensim":
        from gensim.models.fasttext import load_facebook_vectors

        def run():
            return np.asarray(load_facebook_vectors(path)[WORD])
    else:
        import fasttext

        def run():
            return np.asarray(fasttext.load_model(path).get_word_vector(WORD))

    base = _rss_now()
    t0 = time.perf_counter()
    vec = run()
    seconds = time.perf_counter() - t0
    peak = _rss_peak()
    print(
        json.dumps(
            {"seconds": seconds, "peak_rss": peak - base, "norm": float(np.linalg.norm(vec))}
        )
    )


# --------------------------------------------------------------------------- page cache
def evict(path: Path, method: str) -> str:
    """Drop ``path`` from the page cache; returns the method that worked."""
    if method == "drop_caches":
        try:
            with open("/proc/sys/vm/drop_caches", "w") as fh:
                fh.write("3\n")
            return "drop_caches"
        except OSError:
            pass
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    return "posix_fadvise(DONTNEED)"


def warm(path: Path) -> None:
    with open(path, "rb") as fh:
        while fh.read(64 << 20):
            pass


# --------------------------------------------------------------------------- models
def train_small(exe: str, workdir: Path, args) -> Path:
    out = workdir / f"small_d{args.dim}_b{args.bucket}"
    if out.with_suffix(".bin").exists():
        return out.with_suffix(".bin")
    text = workdir / f"slice_{args.train_words}.txt"
    prefix_corpus(CORPUS, args.train_words, text)
    cmd = [exe, "skipgram", "-input", str(text), "-output", str(out), "-dim", str(args.dim),
           "-bucket", str(args.bucket), "-epoch", "1", "-minCount", "5",
           "-thread", str(os.cpu_count() or 1), "-verbose", "0"]  # fmt: skip
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    print(f"# trained {out}.bin with fastText in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return out.with_suffix(".bin")


def big_dictionary(small: Path, workdir: Path, args) -> Path:
    """A model with en17m's dictionary and the small model's buckets (see the module doc)."""
    from collections import Counter

    from wordvec.subwords.fasttext_bin import read_fasttext_bin, write_fasttext_bin

    out = workdir / f"en17mdict_d{args.dim}_b{args.bucket}_m{args.dict_min_count}.bin"
    if out.exists():
        return out
    counts: Counter[str] = Counter()
    n = 0
    with open(CORPUS, encoding="utf-8") as fh:
        for line in fh:
            tokens = line.split()
            counts.update(tokens)
            n += len(tokens)
            if args.dict_words and n >= args.dict_words:
                break
    vocab = [(w, c) for w, c in counts.most_common() if c >= args.dict_min_count]
    words = [w for w, _ in vocab]
    f = read_fasttext_bin(small)
    rng = np.random.default_rng(0)
    rows = np.empty((len(words) + args.bucket, args.dim), dtype=np.float32)
    rows[: len(words)] = rng.uniform(-1 / args.dim, 1 / args.dim, (len(words), args.dim))
    rows[len(words) :] = f.input_matrix[len(f.words) :]
    output = np.zeros((len(words), args.dim), dtype=np.float32)
    write_fasttext_bin(out, f.args, words, np.array([c for _, c in vocab]), rows, output)
    print(f"# wrote {out}: {len(words):,} words (en17m, min count {args.dict_min_count})",
          file=sys.stderr)  # fmt: skip
    return out


# --------------------------------------------------------------------------- timing
def run_child(tool: str, path: Path) -> dict:
    res = subprocess.run(
        [sys.executable, __file__, "--child", tool, str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if res.returncode != 0:
        return {"error": res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "failed"}
    return json.loads(res.stdout.strip().splitlines()[-1])


def available(tool: str) -> bool:
    mod = {"wordvec": "wordvec", "gensim": "gensim", "fasttext": "fasttext"}[tool]
    res = subprocess.run([sys.executable, "-c", f"import {mod}"], capture_output=True)
    return res.returncode == 0


def most_similar_times(path: Path) -> dict[str, tuple[float, float]]:
    """(first query, later query) seconds for wordvec and gensim, in this process."""
    import wordvec

    out = {}
    kv = wordvec.load_fasttext(path)
    t0 = time.perf_counter()
    kv.most_similar(WORD, topn=10)
    t1 = time.perf_counter()
    kv.most_similar("unseenwordish", topn=10)
    out["wordvec"] = (t1 - t0, time.perf_counter() - t1)
    del kv
    try:
        from gensim.models.fasttext import load_facebook_vectors
    except ImportError:
        return out
    g = load_facebook_vectors(str(path))
    t0 = time.perf_counter()
    g.most_similar(WORD, topn=10)
    t1 = time.perf_counter()
    g.most_similar("unseenwordish", topn=10)
    out["gensim"] = (t1 - t0, time.perf_counter() - t1)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--child", nargs=2, metavar=("TOOL", "PATH"), help=argparse.SUPPRESS)
    p.add_argument("--fasttext", help="fastText's command-line tool (to train the small model)")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/wordvec-ftbench"))
    p.add_argument("--train-words", type=int, default=1_000_000)
    p.add_argument("--dim", type=int, default=300)
    p.add_argument("--bucket", type=int, default=2_000_000)
    p.add_argument("--dict-min-count", type=int, default=5)
    p.add_argument("--dict-words", type=int, default=0, help="count only this many (0: all)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--models", default="small,en17m-dict", help="which models to time")
    p.add_argument("--skip-most-similar", action="store_true")
    p.add_argument(
        "--cold",
        choices=["drop_caches", "fadvise"],
        default="drop_caches",
        help="how to make the cache cold: drop the whole page cache (needs root; falls back "
        "to fadvise), or evict only the model file (kinder to a shared machine)",
    )
    args = p.parse_args()
    if args.child:
        child(*args.child)
        return
    if not args.fasttext:
        p.error("--fasttext (the path of fastText's tool) is needed to train the small model")
    args.workdir.mkdir(parents=True, exist_ok=True)
    small = train_small(args.fasttext, args.workdir, args)
    models = {"small": small, "en17m-dict": big_dictionary(small, args.workdir, args)}
    models = {k: v for k, v in models.items() if k in args.models.split(",")}
    tools = [t for t in TOOLS if available(t)]
    print(f"# tools: {', '.join(tools)}; repeats {args.repeat}, round-robin", file=sys.stderr)
    results: dict[tuple[str, str, str], list[dict]] = {}
    methods = set()
    for r in range(args.repeat):
        for name, path in models.items():
            for cache in ("warm", "cold"):
                for tool in tools[r % len(tools) :] + tools[: r % len(tools)]:
                    if cache == "warm":
                        warm(path)
                    else:
                        methods.add(evict(path, args.cold))
                    results.setdefault((name, cache, tool), []).append(run_child(tool, path))
    print(f"\ncold cache by: {', '.join(sorted(methods))}")
    print("| model | words | file GB | cache | tool | open + 1st OOV vector (s) | peak RSS (GB) |")
    print("|---|---|---|---|---|---|---|")
    from wordvec.subwords.fasttext_bin import read_fasttext_bin

    for (name, cache, tool), runs in results.items():
        failed = [x for x in runs if "error" in x]
        good = [x for x in runs if "error" not in x]
        path = models[name]
        nwords = len(read_fasttext_bin(path).words)
        size = path.stat().st_size / 1e9
        if not good:
            print(
                f"| {name} | {nwords:,} | {size:.2f} | {cache} | {tool} | {failed[0]['error']} | |"
            )
            continue
        t = statistics.median(x["seconds"] for x in good)
        m = statistics.median(x["peak_rss"] for x in good) / 1e9
        print(f"| {name} | {nwords:,} | {size:.2f} | {cache} | {tool} | {t:.3f} | {m:.2f} |")
    if args.skip_most_similar:
        return
    print("\n| model | words | tool | first most_similar (s) | next most_similar (s) |")
    print("|---|---|---|---|---|")
    for name, path in models.items():
        nwords = len(read_fasttext_bin(path).words)
        for tool, (first, later) in most_similar_times(path).items():
            print(f"| {name} | {nwords:,} | {tool} | {first:.3f} | {later:.4f} |")


if __name__ == "__main__":
    main()
