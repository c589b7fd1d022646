"""The float64 subword derivation (wordvec.reference.subwords) against central differences."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec.errors import ConfigError
from wordvec.reference.gradcheck import gradcheck
from wordvec.reference.subwords import (
    hidden,
    loss_and_gradients,
    outputs_cbow,
    outputs_skipgram,
    sgd_step,
    sgd_step_pairs,
)

V, B, D = 6, 5, 4
# word 2's rows: its own row, then n-gram rows; bucket row V + 1 twice (two n-grams alike)
ROWS_2 = [2, V + 0, V + 1, V + 1, V + 4]
ROWS_4 = [4, V + 1, V + 3]
PATHS = [[0, 1], [0, 2], [0, 2, 3], [0, 2, 3, 4], [1], [0, 1, 4]]
CODES = [[0, 0], [1, 0], [1, 1, 0], [1, 1, 1, 1], [1], [0, 1, 1]]


def _cases():
    sg_neg = outputs_skipgram([1, 3, 1], "neg", negatives=[[0, 5], [5, 5], [4, 0]])
    sg_hs = outputs_skipgram([1, 3, 5], "hs", paths=PATHS, codes=CODES)
    cb_neg = outputs_cbow(3, "neg", negatives=[0, 5, 5])
    cb_hs = outputs_cbow(3, "hs", paths=PATHS, codes=CODES)
    both = ROWS_2 + ROWS_4  # CBOW: all rows of all context words together
    return {
        "skipgram-neg": (ROWS_2, sg_neg, V),
        "skipgram-hs": (ROWS_2, sg_hs, V - 1),
        "cbow-neg": (both, cb_neg, V),
        "cbow-hs": (both, cb_hs, V - 1),
    }


CASES = _cases()


def _weights(n_out, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 0.5, (V + B, D)), rng.normal(0, 0.5, (n_out, D))


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_wrt_every_input_row(name):
    rows, outputs, n_out = CASES[name]
    W, U = _weights(n_out)

    def f(w):
        J, _, dW, _ = loss_and_gradients(w, U, rows, outputs)
        return J, dW

    assert gradcheck(f, W) < 1e-6


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_wrt_every_output_row(name):
    rows, outputs, n_out = CASES[name]
    W, U = _weights(n_out, seed=1)

    def f(u):
        J, _, _, dU = loss_and_gradients(W, u, rows, outputs)
        return J, dU

    assert gradcheck(f, U) < 1e-6


def test_row_gradient_is_share_of_dh():
    rows, outputs, n_out = CASES["skipgram-neg"]
    W, U = _weights(n_out)
    _, dh, dW, _ = loss_and_gradients(W, U, rows, outputs)
    n = len(rows)
    np.testing.assert_allclose(dW[2], dh / n)
    np.testing.assert_allclose(dW[V + 1], 2 * dh / n)  # a row listed twice: twice the share
    assert not dW[V + 2].any() and not dW[0].any()


def test_hidden_is_the_mean_of_the_rows():
    W, _ = _weights(V)
    np.testing.assert_allclose(hidden(W, ROWS_2), W[ROWS_2].sum(0) / 5)
    assert not hidden(W, []).any()


def test_fasttext_rule_is_n_times_the_exact_step():
    rows, outputs, n_out = CASES["cbow-neg"]
    W0, U0 = _weights(n_out)
    Wf, Uf, We, Ue = W0.copy(), U0.copy(), W0.copy(), U0.copy()
    sgd_step(Wf, Uf, rows, outputs, 0.1, "fasttext")
    sgd_step(We, Ue, rows, outputs, 0.1, "exact")
    np.testing.assert_allclose(Wf - W0, len(rows) * (We - W0))
    np.testing.assert_allclose(Uf, Ue)
    _, dh, _, _ = loss_and_gradients(W0, U0, rows, outputs)
    np.testing.assert_allclose(Wf[ROWS_4[0]] - W0[ROWS_4[0]], -0.1 * dh)
    with pytest.raises(ConfigError, match="row_gradient"):
        sgd_step(W0, U0, rows, outputs, 0.1, "half")


SG_NEGS = [[0, 5], [5, 5], [4, 0]]


def _pairs(loss):
    """A skip-gram center's targets, one output list per context word."""
    if loss == "neg":
        return [
            outputs_skipgram([o], "neg", negatives=[n])
            for o, n in zip([1, 3, 1], SG_NEGS, strict=True)
        ]
    return [outputs_skipgram([o], "hs", paths=PATHS, codes=CODES) for o in [1, 3, 5]]


@pytest.mark.parametrize("loss", ["neg", "hs"])
@pytest.mark.parametrize("rule", ["fasttext", "exact"])
def test_pairs_step_is_fasttexts_step_per_pair(loss, rule):
    # fastText: per pair, h recomputed from the rows, the rows written; here h is tracked
    # and the rows written once. Word 2's rows repeat one row (f != 1 matters).
    pairs = _pairs(loss)
    W0, U0 = _weights(V if loss == "neg" else V - 1, seed=3)
    Wf, Uf, Wp, Up = W0.copy(), U0.copy(), W0.copy(), U0.copy()
    J_f = sum(sgd_step(Wf, Uf, ROWS_2, out, 0.4, rule) for out in pairs)
    J_p = sgd_step_pairs(Wp, Up, ROWS_2, pairs, 0.4, rule)
    assert J_p == pytest.approx(J_f, rel=1e-12)
    np.testing.assert_allclose(Wp, Wf, rtol=0, atol=1e-12)
    np.testing.assert_allclose(Up, Uf, rtol=0, atol=1e-12)
    # and that is not one step on the sum of the pairs (what the engine did before)
    Wb, Ub = W0.copy(), U0.copy()
    sgd_step(Wb, Ub, ROWS_2, [o for out in pairs for o in out], 0.4, rule)
    assert np.abs(Wb - Wp).max() > 1e-3 * np.abs(Wp - W0).max()


def test_pairs_step_of_one_target_is_the_step():
    pairs = _pairs("neg")[:1]
    W0, U0 = _weights(V, seed=4)
    Wa, Ua, Wb, Ub = W0.copy(), U0.copy(), W0.copy(), U0.copy()
    assert sgd_step_pairs(Wa, Ua, ROWS_2, pairs, 0.2) == sgd_step(Wb, Ub, ROWS_2, pairs[0], 0.2)
    np.testing.assert_allclose(Wa, Wb, atol=1e-15)
    np.testing.assert_allclose(Ua, Ub, atol=1e-15)
    with pytest.raises(ConfigError, match="rows"):
        sgd_step_pairs(W0, U0, [], pairs, 0.2)
