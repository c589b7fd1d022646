"""Run one engine job as plain Python and record what it hands to each update.

Usage: ``NUMBA_DISABLE_JIT=1 python _observe.py SPEC.json OUT.json``. With the JIT off the
kernels are ordinary Python functions, so the job kernel's calls to ``next_sentence``
and to the update steps can be wrapped: OUT records the kept words of every sentence
and, for every center trained, its context words and its output rows (center and
negatives, or Huffman nodes) — the windows, sub-sampling decisions and negatives the
job actually used. ``test_sampling.py`` checks their distributions.
"""

from __future__ import annotations

import json
import sys
import warnings

import numba
import numpy as np


def main(spec_path: str, out_path: str) -> None:
    from wordvec.config import TrainConfig
    from wordvec.engine import kernels as K
    from wordvec.engine.train import Trainer
    from wordvec.vocab import Vocab

    if not numba.config.DISABLE_JIT:
        raise SystemExit("run with NUMBA_DISABLE_JIT=1")
    with open(spec_path) as fh:
        spec = json.load(fh)
    events: list = []
    real_next_sentence = K.next_sentence

    def next_sentence(tokens, start, keep, state, sent):
        out = real_next_sentence(tokens, start, keep, state, sent)
        events.append(["s", sent[: out[0]].tolist()])
        return out

    def step(w_in, w_out, ctx, n_ctx, out_ids, labels, n_out, *rest):
        events.append(["c", ctx[:n_ctx].tolist(), out_ids[:n_out].tolist()])
        return 0.0

    K.next_sentence = next_sentence
    K.sg_step = step
    K.cbow_step = step
    counts = np.array(spec["counts"], np.int64)
    tokens = np.array(spec["tokens"], np.int32)
    cfg = TrainConfig(**spec["config"]).validate()
    rows = len(counts) - 1 if cfg.loss == "hs" else len(counts)
    trainer = Trainer(
        cfg,
        Vocab([f"w{i}" for i in range(len(counts))], counts),
        np.zeros((len(counts), cfg.dim), np.float32),
        np.zeros((rows, cfg.dim), np.float32),
    )
    with warnings.catch_warnings():  # uint64 scalar arithmetic wraps on purpose
        warnings.simplefilter("ignore")
        res = K.train_job(
            trainer.w_in, trainer.w_out, tokens, trainer.tables, trainer.hyper, 0.025, 0.025,
            spec["seed"], cfg.max_sentence_length,
        )  # fmt: skip
    with open(out_path, "w") as fh:
        json.dump({"events": events, "result": res.tolist()}, fh)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
