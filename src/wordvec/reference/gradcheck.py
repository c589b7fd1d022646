"""Central-difference gradient checking, and the list of checks ``wordvec gradcheck`` runs."""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError
from .activations import leaky_relu, leaky_relu_grad, sigmoid, sigmoid_grad, softmax
from .losses import (
    LossFn,
    hierarchical_softmax_loss_and_gradient,
    hs_neg_loss_and_gradient,
    make_neg_sampling_loss,
    naive_softmax_loss_and_gradient,
    neg_sampling_loss_and_gradient,
)
from .models import cbow, skipgram
from .network import forward_backward_prop, param_count

__all__ = ["gradcheck", "GradcheckRow", "gradient_checks", "format_table", "TOLERANCE"]

Array = NDArray[np.float64]

#: largest relative error ``wordvec gradcheck`` accepts
TOLERANCE = 1e-6


def gradcheck(f: Callable[[Array], tuple[float, Array]], x: ArrayLike, eps: float = 1e-6) -> float:
    r"""Largest relative error between ``f``'s analytic gradient and central differences.

    For every entry i of x::

        numeric_i = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)
        error_i   = |numeric_i - grad_i| / max(1, |numeric_i|, |grad_i|)

    The floor of 1 in the denominator (as in the course's checker) makes the
    error absolute for small gradient entries, where a ratio would only
    measure rounding noise. Works on a float64 copy of x; each entry is put
    back to its exact original value after it is perturbed, so every
    difference is taken around the same point.

    Parameters
    ----------
    f : callable
        ``f(x) -> (value, grad)`` with a scalar value and grad of x's shape.
        Must be deterministic (re-seed any sampling inside f).
    x : array_like, any shape
        The point at which to check.
    eps : float
        Step of the central differences.

    Returns
    -------
    float
        max_i error_i.
    """
    if isinstance(eps, bool) or not isinstance(eps, int | float) or not 0 < eps < 1:
        raise ConfigError(f"`eps` must be a float in (0, 1); got {eps!r}.")
    x = np.array(x, dtype=np.float64, copy=True)
    _, grad = f(x)
    grad = np.asarray(grad, dtype=np.float64)
    if grad.shape != x.shape:
        raise ConfigError(f"`f` must return a gradient of shape {x.shape}; got {grad.shape}.")
    flat = x.reshape(-1)  # a view: writing to it perturbs x
    g = grad.reshape(-1)
    worst = 0.0
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x)[0])
        flat[i] = old - eps
        f_minus = float(f(x)[0])
        flat[i] = old
        numeric = (f_plus - f_minus) / (2 * eps)
        err = abs(numeric - g[i]) / max(1.0, abs(numeric), abs(g[i]))
        worst = max(worst, err)
    return worst


class GradcheckRow(NamedTuple):
    """One line of the ``wordvec gradcheck`` table."""

    name: str  # what is checked, e.g. "skipgram + neg sampling"
    shapes: str  # the sizes it was checked at
    error: float  # largest relative error (see gradcheck)


def gradient_checks(seed: int = 0) -> list[GradcheckRow]:
    """Check every gradient of :mod:`wordvec.reference` at random points.

    Covers the activation derivatives, both losses (negative sampling with
    repeated negatives), skip-gram and CBOW (sum and mean) with both losses,
    and the one-hidden-layer network. Runs in well under a second.

    Parameters
    ----------
    seed : int >= 0
        Seed of the random points.

    Returns
    -------
    list of GradcheckRow
    """
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ConfigError(f"`seed` must be an int >= 0; got {seed!r}.")
    rng = np.random.default_rng(int(seed))
    rows: list[GradcheckRow] = []

    def add(name: str, shapes: str, f: Callable[[Array], tuple[float, Array]], x: Array) -> None:
        rows.append(GradcheckRow(name, shapes, gradcheck(f, x)))

    # --- activations ---------------------------------------------------------------
    x = rng.normal(size=(4, 5))
    add("sigmoid_grad", "x (4, 5)", lambda z: (sigmoid(z).sum(), sigmoid_grad(sigmoid(z))), x)
    x = rng.normal(size=(4, 5))
    x += np.where(x >= 0, 0.1, -0.1)  # keep away from the kink at 0
    add("leaky_relu_grad", "x (4, 5)", lambda z: (leaky_relu(z).sum(), leaky_relu_grad(z)), x)
    w = rng.normal(size=7)

    def softmax_dot(z: Array) -> tuple[float, Array]:
        y = softmax(z)  # d(w . y)/dz = y * (w - w . y), the softmax Jacobian applied to w
        return float(w @ y), y * (w - w @ y)

    add("softmax (Jacobian)", "x (7,)", softmax_dot, rng.normal(size=7))

    # --- losses --------------------------------------------------------------------
    V, d, K = 8, 5, 10  # K > V - 1 forces repeated negatives
    counts = rng.integers(1, 50, size=V).astype(np.float64)
    v_c, U = rng.normal(scale=0.5, size=d), rng.normal(scale=0.5, size=(V, d))
    o = 3
    add(
        "naive softmax loss",
        f"|V|={V}, d={d}",
        _pair_fn(lambda v, W: naive_softmax_loss_and_gradient(v, o, W), d, (V, d)),
        np.concatenate([v_c, U.ravel()]),
    )
    negs = np.array([0, 1, 1, 2, 4, 4, 4, 5, 6, 7])  # repeats, no o
    add(
        "neg sampling loss",
        f"|V|={V}, d={d}, K={K} (repeats)",
        _pair_fn(lambda v, W: neg_sampling_loss_and_gradient(v, o, W, negs), d, (V, d)),
        np.concatenate([v_c, U.ravel()]),
    )

    path, bits = np.array([6, 2, 0, 4]), np.array([1, 0, 0, 1])  # an inner-node path
    add(
        "hierarchical softmax loss",
        f"|V|-1={V}, d={d}, path of 4",
        _pair_fn(lambda v, W: hierarchical_softmax_loss_and_gradient(v, path, bits, W), d, (V, d)),
        np.concatenate([v_c, U.ravel()]),
    )

    U_hs = rng.normal(scale=0.5, size=(V - 1, d))

    def hs_neg(x: Array) -> tuple[float, Array]:  # x = [v_c, U_neg.ravel(), U_hs.ravel()]
        n = d + V * d
        value, g_v, g_neg, g_hs = hs_neg_loss_and_gradient(
            x[:d], o, x[d:n].reshape(V, d), negs, path, bits, x[n:].reshape(V - 1, d)
        )
        return value, np.concatenate([g_v, g_neg.ravel(), g_hs.ravel()])

    add(
        "hs + neg sampling loss",
        f"|V|={V}, d={d}, K={K}, path of 4",
        hs_neg,
        np.concatenate([v_c, U.ravel(), U_hs.ravel()]),
    )

    # --- models --------------------------------------------------------------------
    W_in = rng.normal(scale=0.5, size=(V, d))
    U = rng.normal(scale=0.5, size=(V, d))
    point = np.concatenate([W_in.ravel(), U.ravel()])
    center, outside = 2, np.array([0, 5, 5, 1, 7, 3])  # window of 6 with a repeated word

    def neg_loss() -> LossFn:  # same seed on every call: the same negatives each time
        return make_neg_sampling_loss(counts, K, rng=seed + 1)

    losses: list[tuple[str, str, Callable[[], LossFn]]] = [
        ("naive softmax", f"|V|={V}, d={d}, window 6", lambda: naive_softmax_loss_and_gradient),
        ("neg sampling", f"|V|={V}, d={d}, window 6, K={K}", neg_loss),
    ]
    for loss_name, shapes, make in losses:
        add(
            f"skipgram + {loss_name}",
            shapes,
            _model_fn(lambda Wi, Wo, m=make: skipgram(center, outside, Wi, Wo, m()), V, d),
            point,
        )
    for mean in (False, True):
        for loss_name, shapes, make in losses:
            add(
                f"cbow ({'mean' if mean else 'sum'}) + {loss_name}",
                shapes,
                _model_fn(
                    lambda Wi, Wo, m=make, a=mean: cbow(center, outside, Wi, Wo, m(), mean=a), V, d
                ),
                point,
            )

    # --- network -------------------------------------------------------------------
    dims = (10, 5, 4)
    n = 20
    X = rng.normal(size=(n, dims[0]))
    labels = np.zeros((n, dims[2]))
    labels[np.arange(n), rng.integers(0, dims[2], size=n)] = 1.0
    add(
        "network (sigmoid + softmax)",
        f"N={n}, dims={dims}",
        lambda p: forward_backward_prop(X, labels, p, dims),
        rng.normal(scale=0.5, size=param_count(dims)),
    )
    return rows


def format_table(rows: list[GradcheckRow], tolerance: float = TOLERANCE) -> str:
    """The rows as a fixed-width text table with an ok / FAIL column."""
    name_w = max(len("check"), *(len(r.name) for r in rows))
    shape_w = max(len("checked at"), *(len(r.shapes) for r in rows))
    lines = [
        f"{'check':<{name_w}}  {'checked at':<{shape_w}}  {'max rel. error':>14}  result",
        f"{'-' * name_w}  {'-' * shape_w}  {'-' * 14}  ------",
    ]
    for r in rows:
        ok = "ok" if r.error <= tolerance else "FAIL"
        lines.append(f"{r.name:<{name_w}}  {r.shapes:<{shape_w}}  {r.error:>14.2e}  {ok}")
    return "\n".join(lines)


def _pair_fn(
    loss: Callable[[Array, Array], tuple[float, Array, Array]], d: int, shape: tuple[int, int]
) -> Callable[[Array], tuple[float, Array]]:
    """f(x) for x = [v_c, U.ravel()]: the loss and its gradient with respect to both, flattened."""

    def f(x: Array) -> tuple[float, Array]:
        value, g_v, g_U = loss(x[:d], x[d:].reshape(shape))
        return value, np.concatenate([g_v, g_U.ravel()])

    return f


def _model_fn(
    model: Callable[[Array, Array], tuple[float, Array, Array]], V: int, d: int
) -> Callable[[Array], tuple[float, Array]]:
    """f(x) for x = [W_in.ravel(), U.ravel()] (the course's stacked 2|V| x d parameters)."""

    def f(x: Array) -> tuple[float, Array]:
        value, g_in, g_out = model(x[: V * d].reshape(V, d), x[V * d :].reshape(V, d))
        return value, np.concatenate([g_in.ravel(), g_out.ravel()])

    return f
