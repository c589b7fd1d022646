"""A float64 replay of whole subword jobs: the engine's documented random-number order
(``wordvec/engine/subword_kernels.py``), the n-gram rows of each word from
``wordvec.subwords.word_rows`` (the per-word definition, not the compiled table the
engine reads) and every update from the reference derivation
(``wordvec.reference.subwords.sgd_step_pairs``: skip-gram pair by pair, CBOW one
step). It calls no engine code; the only engine
objects it reads are the alias table (accept, alias), as ``tests/engine/_replay.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "engine"))
from _replay import JobStats, NoiseDraw, context, huffman, keep_thresholds, noise, sentences  # noqa: E402

from wordvec.reference.subwords import outputs_cbow, outputs_skipgram, sgd_step_pairs  # noqa: E402
from wordvec.subwords import word_rows  # noqa: E402


def replay_subword_job(
    w_in, w_out, tokens, *, words, minn, maxn, bucket, model, loss, window, shrink, counts,
    sample, negative=0, ns_exponent=0.5, accept=None, alias=None, alpha0, alpha1, seed,
    max_sentence, row_gradient="fasttext",
):  # fmt: skip
    """One job. Returns (W, U, JobStats, info) in float64."""
    from _replay import Stream

    W = np.array(w_in, dtype=np.float64)
    U = np.array(w_out, dtype=np.float64)
    rng = Stream(seed)
    keep = keep_thresholds(counts, sample)
    nw = len(words)
    rows_of = [word_rows(w, i, nw, minn, maxn, bucket).tolist() for i, w in enumerate(words)]
    n_words = int(np.sum(np.asarray(tokens) >= 0))
    draw = NoiseDraw(accept, alias, noise(counts, ns_exponent)) if loss == "neg" else None
    paths, codes = huffman(counts) if loss == "hs" else (None, None)
    st = JobStats()
    info = {"repeated_rows": 0, "n_rows": set()}
    for sent, read_before, read in sentences(tokens, keep, rng, max_sentence):
        alpha = alpha0 + (alpha1 - alpha0) * (read_before / max(n_words, 1))
        st.read += read
        st.kept += len(sent)
        for pos, center in enumerate(sent):
            ctx = context(sent, pos, rng, window, shrink)
            if not ctx:
                continue
            if model == "skipgram":
                rows = rows_of[center]
                negs = [draw(rng, o, negative) for o in ctx] if loss == "neg" else [None] * len(ctx)
                pairs = [
                    outputs_skipgram([o], loss, [n], paths, codes)
                    for o, n in zip(ctx, negs, strict=True)
                ]
                st.terms += len(ctx)
            else:
                rows = [r for o in ctx for r in rows_of[o]]
                negs = draw(rng, center, negative) if loss == "neg" else None
                pairs = [outputs_cbow(center, loss, negs, paths, codes)]
                st.terms += 1
            info["repeated_rows"] += len(rows) - len(set(rows))
            info["n_rows"].add(len(rows))
            st.loss += sgd_step_pairs(W, U, rows, pairs, alpha, row_gradient)
    return W, U, st, info
