"""Correlation coefficients with two-sided p-values, shaped like SciPy's results.

gensim's ``evaluate_word_pairs`` returns ``scipy.stats`` result objects, which
code indexes as ``pearson[0]`` or reads as ``spearman.correlation``. This module
gives the same numbers in a small named tuple without making SciPy a
dependency. Both p-values are the t-test SciPy uses: with n pairs, r the
coefficient and df = n - 2, t^2 = df r^2 / (1 - r^2), and the two-sided p-value
of Student's t with df degrees of freedom is the regularised incomplete beta
function I_{1 - r^2}(df / 2, 1 / 2) (for Pearson's r SciPy states it as a beta
distribution of r, which is the same number).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..vectors.evaluate import pearson_r, tie_ranks

__all__ = ["Correlation", "pearson", "spearman", "betainc"]


class Correlation(NamedTuple):
    """A correlation coefficient and its two-sided p-value.

    Indexable and unpackable like SciPy's ``PearsonRResult`` and
    ``SignificanceResult`` (``r, p = result``; ``result[0]``), with the same
    attribute names (``statistic``, ``pvalue``, ``correlation``).
    """

    statistic: float
    pvalue: float

    @property
    def correlation(self) -> float:
        """The coefficient (SciPy's older name for ``statistic``)."""
        return self.statistic


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1.

    Evaluated by its continued fraction (modified Lentz method) where that
    converges fast, x < (a + 1) / (a + b + 2), and through I_x(a, b) = 1 - I_{1-x}(b, a)
    elsewhere; accurate to about 1e-14.
    """
    if not (a > 0 and b > 0 and 0.0 <= x <= 1.0):
        raise ValueError(f"betainc needs a, b > 0 and 0 <= x <= 1; got a={a}, b={b}, x={x}")
    if x == 0.0 or x == 1.0:
        return x
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - betainc(b, a, 1.0 - x)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    tiny = 1e-300
    # I_x(a, b) = front / a * 1 / (1 + d1 / (1 + d2 / (1 + ...))), with
    # d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)) and
    # d_{2m}   =  m (b - m) x / ((a + 2m - 1)(a + 2m)).
    f, c, d = tiny, tiny, 0.0
    for i in range(400):
        m = i // 2
        if i == 0:
            num = 1.0
        elif i % 2 == 0:
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + num * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + num / c
        c = c if abs(c) > tiny else tiny
        step = c * d
        f *= step
        if abs(step - 1.0) < 1e-15:
            break
    return math.exp(log_front) * (f - tiny) / a


def _pvalue(r: float, n: int) -> float:
    """Two-sided p-value of a correlation ``r`` over ``n`` pairs (t-test, df = n - 2)."""
    if math.isnan(r) or n < 3:
        return 1.0 if n == 2 and not math.isnan(r) else math.nan
    one_minus_r2 = max(0.0, min(1.0, (1.0 - r) * (1.0 + r)))
    return betainc((n - 2) / 2.0, 0.5, one_minus_r2)


def pearson(x: np.ndarray, y: np.ndarray) -> Correlation:
    """Pearson's r of two samples and its two-sided p-value (NaN when undefined)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    r = pearson_r(x, y)
    return Correlation(r, _pvalue(r, x.size))


def spearman(x: np.ndarray, y: np.ndarray) -> Correlation:
    """Spearman's rho (Pearson's r of the ranks, ties given their mean rank) and its
    two-sided p-value."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    r = pearson_r(tie_ranks(x), tie_ranks(y)) if x.size else math.nan
    return Correlation(r, _pvalue(r, x.size))
