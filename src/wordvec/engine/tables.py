"""What a job kernel reads besides the weights: lookup tables and scalar settings.

:class:`Tables` bundles the read-only arrays of a training run (sub-sampling
thresholds, the negative-sampling alias table, the Huffman paths, the sigmoid and
softplus tables, the stop flag), built once per run by :func:`make_tables`;
:class:`Hyper` holds a job's scalar settings. The kernels that use them are in
``kernels.py`` (its docstring gives the random-number contract these tables take
part in).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

SKIPGRAM, CBOW = 0, 1
NEG, HS, HSNEG = 0, 1, 2  # HSNEG: both, summed (word2vec C's -hs 1 -negative K)
MODEL_NAMES = {SKIPGRAM: "skipgram", CBOW: "cbow"}
LOSS_NAMES = {NEG: "neg", HS: "hs", HSNEG: "hs+neg"}

# sigmoid and softplus by linear interpolation in tables over [-SIG_MAX, SIG_MAX]:
# the step is 16 / 8192, so the error (< 2e-7) is below float32 resolution; outside
# the range the exact formula is used.
SIG_MAX = 8.0
SIG_N = 8192
_XS = np.linspace(-SIG_MAX, SIG_MAX, SIG_N + 1)
SIGMOID_TABLE = (1.0 / (1.0 + np.exp(-_XS))).astype(np.float32)
SOFTPLUS_TABLE = np.logaddexp(0.0, _XS).astype(np.float32)  # log(1 + e^x) = -log sigma(-x)
_SCALE = SIG_N / (2.0 * SIG_MAX)


class Tables(NamedTuple):
    """Read-only arrays a job kernel needs, built once per training run in ``train.py``."""

    keep: np.ndarray  # uint32 (V,): keep a token if a 32-bit random number is below this
    accept: np.ndarray  # uint32 (V,): alias-method acceptance threshold
    alias: np.ndarray  # int32 (V,): alias-method alternative
    points: np.ndarray  # int32: Huffman paths, inner-node ids, concatenated
    codes: np.ndarray  # uint8: Huffman branch bits, same layout
    offsets: np.ndarray  # int64 (V+1,): word w's path is [offsets[w], offsets[w+1])
    sigmoid: np.ndarray  # float32 (SIG_N+1,)
    softplus: np.ndarray  # float32 (SIG_N+1,)
    dominant: int  # the word with more than half the noise mass, else -1
    cum_x: np.ndarray  # int64 (V+1,): cumulative noise weights of the others (see make_tables)
    stop: np.ndarray  # uint8 (1,): set to 1 (by the trainer) to make running jobs return


class Hyper(NamedTuple):
    """Scalar settings of a job."""

    model: int  # SKIPGRAM or CBOW
    loss: int  # NEG, HS or HSNEG
    window: int
    negative: int
    shrink: bool  # dynamic window: effective width uniform in 1..window
    cbow_mean: bool
    max_path: int  # longest Huffman path (hierarchical softmax, hs+neg), else 0


def make_tables(keep, accept, alias, points, codes, offsets, noise=None) -> Tables:
    """Bundle the lookup arrays with the sigmoid / softplus tables and a cleared stop flag.

    ``noise`` (float64 (V,), the noise distribution the alias table was built from) gives
    the dominant word's inversion table (module doc, "Random numbers"): the word with
    more than half the mass, and the others' probabilities renormalised to integer
    weights summing to at most 2**32 (cumulated in ``cum_x``). Without it, every center
    draws by rejection.
    """
    dominant = -1
    cum_x = np.zeros(1, dtype=np.int64)
    if noise is not None and len(noise) > 1 and float(np.max(noise)) > 0.5:
        dominant = int(np.argmax(noise))
        others = np.array(noise, dtype=np.float64)
        others[dominant] = 0.0
        weights = np.floor(others / others.sum() * 2.0**32).astype(np.int64)
        cum_x = np.concatenate([[0], np.cumsum(weights)]).astype(np.int64)
    return Tables(
        np.ascontiguousarray(keep, dtype=np.uint32),
        np.ascontiguousarray(accept, dtype=np.uint32),
        np.ascontiguousarray(alias, dtype=np.int32),
        np.ascontiguousarray(points, dtype=np.int32),
        np.ascontiguousarray(codes, dtype=np.uint8),
        np.ascontiguousarray(offsets, dtype=np.int64),
        SIGMOID_TABLE,
        SOFTPLUS_TABLE,
        dominant,
        cum_x,
        np.zeros(1, dtype=np.uint8),
    )
