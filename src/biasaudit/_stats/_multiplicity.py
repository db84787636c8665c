"""Adjustment of p-values for multiple comparisons (one family per call)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .._validation import _check_option
from ..exceptions import InvalidParameterError
from ._intervals import _out

__all__ = ["adjust_pvalues", "testable"]

_METHODS = {"holm", "bonferroni", "fdr_bh", "bh"}


def adjust_pvalues(pvalues: ArrayLike, *, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple testing.

    Parameters
    ----------
    pvalues : array-like
        P-values in [0, 1], of any shape; the whole array is one family. NaN marks a
        comparison that could not be made.
    method : {"holm", "bonferroni", "fdr_bh", "bh"}, default="holm"
        Holm's step-down (controls the family-wise error rate), Bonferroni (FWER), or
        Benjamini-Hochberg (controls the false discovery rate; ``"bh"`` is an alias).

    Returns
    -------
    ndarray
        Adjusted p-values, same shape as ``pvalues``, capped at 1; NaN where the input
        is NaN.

    Raises
    ------
    InvalidParameterError
        If ``method`` is unknown or a p-value lies outside [0, 1].

    Notes
    -----
    NaN p-values stay NaN and do not count in the family size ``m``. With the ``m``
    finite p-values sorted, ``p(1) <= ... <= p(m)``:

    * Bonferroni: ``min(1, m p(i))``.
    * Holm: ``min(1, max_{j <= i} (m - j + 1) p(j))``.
    * Benjamini-Hochberg: ``min(1, min_{j >= i} m p(j) / j)``.

    Ties are handled by the running maximum/minimum, so equal p-values get equal
    adjusted values.

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       Scandinavian Journal of Statistics 6, 65-70.
    .. [2] Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate.
       JRSS B 57, 289-300.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03, np.nan])
    array([0.03, 0.06, 0.06,  nan])
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="fdr_bh")
    array([0.03, 0.04, 0.04])
    """
    caller = "adjust_pvalues"
    method = _check_option(method, "method", _METHODS, caller=caller)
    try:
        p = np.asarray(pvalues, dtype=np.float64)
    except (TypeError, ValueError):
        msg = f"{caller}(): `pvalues` must be numeric; got {pvalues!r}."
        raise InvalidParameterError(msg) from None
    if np.any((p < 0) | (p > 1)):
        bad = p[(p < 0) | (p > 1)]
        msg = f"{caller}(): `pvalues` must be in [0, 1] or NaN; got {bad[:5].tolist()}."
        raise InvalidParameterError(msg)
    flat = p.ravel()
    finite = ~np.isnan(flat)
    m = int(finite.sum())
    out = np.full(flat.shape, np.nan)
    if m == 0:
        return _out(out.reshape(p.shape))
    values = flat[finite]
    order = np.argsort(values, kind="stable")
    ranked = values[order]
    rank = np.arange(1, m + 1)
    if method == "bonferroni":
        adjusted = ranked * m
    elif method == "holm":
        adjusted = np.maximum.accumulate(ranked * (m - rank + 1))
    else:
        adjusted = np.minimum.accumulate((ranked * m / rank)[::-1])[::-1]
    back = np.empty(m)
    back[order] = np.minimum(adjusted, 1.0)
    out[finite] = back
    return _out(out.reshape(p.shape))


def testable(floors: ArrayLike, *, alpha: float) -> np.ndarray:
    """Which tests of a family could reach significance at all: Tarone's screen.

    A test of a small group has a smallest attainable p-value (its *floor*): no outcome
    makes it smaller. Tarone's rule finds the smallest ``K`` such that at most ``K`` tests
    have a floor at or below ``alpha / K``; the tests above it can never be rejected at
    that level, so leaving them out of the family (adjusting the rest over the tests kept)
    still controls the error rate at ``alpha``, and thousands of one-person intersections
    no longer dilute the tests of groups large enough to show a difference.

    Parameters
    ----------
    floors : array-like
        The smallest attainable p-value of each test; NaN where none is known (the test
        is kept).
    alpha : float
        The level at which the family is tested, in (0, 1).

    Returns
    -------
    ndarray of bool
        Same shape as ``floors``: True for the tests kept.

    References
    ----------
    .. [1] Tarone, R. E. (1990). A modified Bonferroni method for discrete data.
       Biometrics 46, 515-522.

    Examples
    --------
    >>> testable([1e-6, 1e-5, 0.04, 0.3, np.nan], alpha=0.05).tolist()
    [True, True, False, False, True]
    """
    f = np.asarray(floors, dtype=np.float64)
    known = np.sort(f[~np.isnan(f)])
    n_unknown = int(np.isnan(f).sum())
    k = np.arange(1, known.size + n_unknown + 1)
    # tests whose floor is at most alpha / K, for every K (unknown floors always count)
    counted = np.searchsorted(known, alpha / k, side="right") + n_unknown
    fits = np.flatnonzero(counted <= k)
    if fits.size == 0:
        return np.ones(f.shape, bool)
    level = alpha / k[fits[0]]
    return np.isnan(f) | (f <= level)
