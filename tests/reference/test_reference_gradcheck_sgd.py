"""The gradient checker itself, the check list behind `wordvec gradcheck`, and SGD."""

import math

import numpy as np
import pytest

from wordvec.cli import main
from wordvec.errors import TrainingError
from wordvec.reference import format_table, gradcheck, gradient_checks, sgd


def cubic(x):
    return float(np.sum(x**3)), 3 * x**2


def test_gradcheck_accepts_a_correct_gradient_and_flags_a_wrong_one():
    x = np.random.default_rng(0).normal(size=(3, 4))
    assert gradcheck(cubic, x) < 1e-8
    wrong = gradcheck(lambda z: (float(np.sum(z**3)), 3 * z**2 + 1e-3), x)
    assert 5e-4 < wrong < 2e-3

    # one wrong entry is enough
    def one_off(z):
        g = 3 * z**2
        g[1, 2] *= 1.01
        return float(np.sum(z**3)), g

    assert gradcheck(one_off, x) > 1e-4


def test_gradcheck_relative_error_definition():
    # analytic 2.0 against numeric 1.0 at a point where |grad| > 1: error = 1 / 2
    err = gradcheck(lambda z: (float(z[0]), np.array([2.0])), np.array([0.3]))
    assert err == pytest.approx(0.5, rel=1e-6)
    # below 1 the floor makes it absolute: 0.01 vs 0
    err = gradcheck(lambda z: (0.0, np.array([0.01])), np.array([0.3]))
    assert err == pytest.approx(0.01)


def test_gradcheck_leaves_x_alone_and_perturbs_one_entry_at_a_time():
    x = np.random.default_rng(1).normal(size=5)
    original = x.copy()
    seen = []

    def f(z):
        seen.append(z.copy())
        return cubic(z)

    gradcheck(f, x)
    np.testing.assert_array_equal(x, original)
    assert len(seen) == 1 + 2 * x.size
    for z in seen:
        assert np.count_nonzero(z != original) <= 1


def test_gradcheck_rejects_a_gradient_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"gradient of shape \(3,\)"):
        gradcheck(lambda z: (0.0, np.zeros(4)), np.zeros(3))
    with pytest.raises(ValueError, match="`eps`"):
        gradcheck(cubic, np.zeros(3), eps=0)


def test_gradient_checks_cover_everything_and_pass():
    rows = gradient_checks()
    names = [r.name for r in rows]
    for required in [
        "sigmoid_grad",
        "leaky_relu_grad",
        "naive softmax loss",
        "neg sampling loss",
        "hs + neg sampling loss",
        "skipgram + naive softmax",
        "skipgram + neg sampling",
        "cbow (sum) + naive softmax",
        "cbow (sum) + neg sampling",
        "cbow (mean) + naive softmax",
        "cbow (mean) + neg sampling",
        "network (sigmoid + softmax)",
    ]:
        assert required in names
    assert all(r.error < 1e-7 for r in rows), format_table(rows)
    table = format_table(rows)
    assert table.count(" ok") == len(rows) and "FAIL" not in table


def test_hs_neg_loss_is_the_sum_of_its_two_objectives():
    """hs+neg (word2vec C's -hs 1 -negative K): one loss, the input's gradient summed."""
    from wordvec.reference import (
        hierarchical_softmax_loss_and_gradient,
        hs_neg_loss_and_gradient,
        neg_sampling_loss_and_gradient,
    )

    rng = np.random.default_rng(3)
    v_c, U_neg, U_hs = rng.normal(size=4), rng.normal(size=(6, 4)), rng.normal(size=(5, 4))
    negs, path, bits = np.array([0, 2, 2]), np.array([4, 1]), np.array([0, 1])
    loss, g_v, g_neg, g_hs = hs_neg_loss_and_gradient(v_c, 3, U_neg, negs, path, bits, U_hs)
    l1, g1, gn = neg_sampling_loss_and_gradient(v_c, 3, U_neg, negs)
    l2, g2, gh = hierarchical_softmax_loss_and_gradient(v_c, path, bits, U_hs)
    assert loss == pytest.approx(l1 + l2)
    np.testing.assert_allclose(g_v, g1 + g2)
    np.testing.assert_allclose(g_neg, gn)
    np.testing.assert_allclose(g_hs, gh)


def test_format_table_marks_failures():
    rows = gradient_checks()
    assert "FAIL" in format_table(rows, tolerance=0.0)


def test_cli_gradcheck(capsys):
    assert main(["gradcheck"]) == 0
    out = capsys.readouterr().out
    assert (
        "skipgram + neg sampling" in out
        and "network" in out
        and "all 14 gradients" in out
        and "hierarchical softmax" in out
    )
    assert main(["gradcheck", "--tolerance", "0"]) == 1
    assert "FAILED" in capsys.readouterr().err


# --------------------------------------------------------------------------- sgd


def test_sgd_halves_the_step_every_anneal_every_iterations():
    # f(x) = x^2 / 2 has grad x, so each step multiplies x by (1 - lr_t)
    xs = []
    x, _ = sgd(
        lambda z: (0.5 * float(z @ z), z.copy()),
        np.array([1.0]),
        0.5,
        6,
        anneal_every=2,
        log=None,
        callback=lambda t, z, loss: xs.append(float(z[0])),
    )
    factors = [1 - 0.5, 1 - 0.5, 1 - 0.25, 1 - 0.25, 1 - 0.125, 1 - 0.125]
    np.testing.assert_allclose(xs, np.cumprod(factors), rtol=1e-15)
    assert x[0] == pytest.approx(math.prod(factors))


def test_sgd_smoothed_history_and_log():
    losses = iter([10.0, 0.0, 20.0, 4.0, 6.0, 8.0])
    lines = []
    x0 = np.zeros(2)
    _, history = sgd(
        lambda z: (next(losses), np.zeros(2)), x0, 0.1, 6, print_every=2, log=lines.append
    )
    s, expected = None, []
    for t, loss in enumerate([10.0, 0.0, 20.0, 4.0, 6.0, 8.0], start=1):
        s = loss if s is None else 0.95 * s + 0.05 * loss
        if t % 2 == 0:
            expected.append((t, s))
    assert [t for t, _ in history] == [2, 4, 6]
    np.testing.assert_allclose([v for _, v in history], [v for _, v in expected], rtol=1e-15)
    assert lines[0].startswith("iter 2: ") and len(lines) == 3


def test_sgd_minimises_a_quadratic_and_copies_x0():
    A = np.diag([1.0, 3.0])
    b = np.array([1.0, -2.0])
    x0 = np.zeros(2)
    x, history = sgd(
        lambda z: (0.5 * z @ A @ z - b @ z, A @ z - b), x0, 0.2, 200, log=None, print_every=50
    )
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-10)
    np.testing.assert_array_equal(x0, 0.0)
    assert history[-1][1] < history[0][1]


def test_sgd_postprocessing_and_errors():
    x, _ = sgd(
        lambda z: (0.0, -np.ones(3)), np.zeros(3), 1.0, 3, postprocessing=lambda z: z / 2, log=None
    )
    np.testing.assert_allclose(x, [0.875] * 3)  # x <- (x + 1) / 2 three times from 0
    with pytest.raises(TrainingError, match="non-finite .* at iteration 1"):
        sgd(lambda z: (float("nan"), z), np.ones(2), 0.1, 3, log=None)
    with pytest.raises(ValueError, match="`lr` must be a finite float > 0; got 0"):
        sgd(cubic, np.ones(2), 0, 3, log=None)
    with pytest.raises(ValueError, match="`iterations` must be an int >= 1"):
        sgd(cubic, np.ones(2), 0.1, 0, log=None)
    with pytest.raises(ValueError, match="`anneal_every` must be an int >= 1"):
        sgd(cubic, np.ones(2), 0.1, 3, anneal_every=0, log=None)


def test_gradient_checks_refuse_a_seed_numpy_cannot_take():
    from wordvec.errors import ConfigError

    for seed in (-1, 1.5, "3"):
        with pytest.raises(ConfigError, match=r"`seed` must be an int >= 0; got "):
            gradient_checks(seed=seed)
