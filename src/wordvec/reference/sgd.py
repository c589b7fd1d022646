"""Plain stochastic gradient descent with step annealing, as the CS224n course code does it."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import ConfigError, TrainingError
from . import _validate as check

__all__ = ["sgd"]

Array = NDArray[np.float64]

#: weight of the newest loss in the exponentially smoothed loss (the course uses 0.05)
SMOOTHING = 0.05


def sgd(
    f: Callable[[Array], tuple[float, Array]],
    x0: ArrayLike,
    lr: float,
    iterations: int,
    anneal_every: int = 20000,
    postprocessing: Callable[[Array], Array] | None = None,
    print_every: int = 10,
    log: Callable[[str], object] | None = print,
    callback: Callable[[int, Array, float], object] | None = None,
) -> tuple[Array, list[tuple[int, float]]]:
    r"""Minimise ``f`` by SGD: x <- x - lr * grad, halving lr every ``anneal_every`` iterations.

    At iteration t = 1..iterations::

        loss_t, g = f(x)
        x = postprocessing(x - lr_t g)
        lr_{t+1} = lr_t / 2   if t % anneal_every == 0   else lr_t

    The loss is smoothed exponentially over iterations, and every
    ``print_every`` iterations ``(t, smoothed)`` is appended to the history
    (and logged)::

        smoothed_1 = loss_1
        smoothed_t = 0.95 * smoothed_{t-1} + 0.05 * loss_t

    The course code applies the same 0.95 / 0.05 rule to the printed
    iterations only; updating it every iteration averages over the last ~20
    mini-batches whatever ``print_every`` is, so the record neither lags by
    thousands of iterations nor depends on how often it is printed.

    Parameters
    ----------
    f : callable
        ``f(x) -> (loss, grad)``, grad of the shape of x. It may be stochastic
        (a fresh mini-batch per call).
    x0 : array_like
        Starting point; copied, never modified.
    lr : float
        Initial step size (> 0).
    iterations : int
        Number of steps (>= 1).
    anneal_every : int
        Halve the step after every this many iterations (the course: 20000).
    postprocessing : callable, optional
        Applied to x after each step (e.g. a normalisation); identity if None.
    print_every : int
        How often the smoothed loss is recorded and logged.
    log : callable or None
        Receives one line per record, e.g. ``"iter 100: 19.83"``; None is silent.
    callback : callable, optional
        ``callback(t, x, loss_t)`` after every step.

    Returns
    -------
    x : ndarray, shape of x0
        The final point.
    history : list of (iteration, smoothed loss)

    Raises
    ------
    TrainingError
        If ``f`` returns a non-finite loss.
    """
    if (
        isinstance(lr, bool)
        or not isinstance(lr, int | float)
        or not (lr > 0 and math.isfinite(lr))
    ):
        raise ConfigError(f"`lr` must be a finite float > 0; got {lr!r}.")
    iterations = check.positive_int("iterations", iterations)
    anneal_every = check.positive_int("anneal_every", anneal_every)
    print_every = check.positive_int("print_every", print_every)

    x = np.array(x0, dtype=np.float64, copy=True)
    step = float(lr)
    smoothed: float | None = None
    history: list[tuple[int, float]] = []
    for t in range(1, iterations + 1):
        loss, grad = f(x)
        loss = float(loss)
        if not math.isfinite(loss):
            raise TrainingError(
                f"the loss became non-finite ({loss}) at iteration {t}; lower `lr` (now {step})."
            )
        x -= step * grad
        if postprocessing is not None:
            x = np.asarray(postprocessing(x), dtype=np.float64)
        smoothed = loss if smoothed is None else (1 - SMOOTHING) * smoothed + SMOOTHING * loss
        if t % print_every == 0:
            history.append((t, smoothed))
            if log is not None:
                log(f"iter {t}: {smoothed:f}")
        if callback is not None:
            callback(t, x, loss)
        if t % anneal_every == 0:
            step *= 0.5
    return x, history
