"""Power, minimum detectable difference, equivalence (TOST) and the four-fifths shortfall.

Group 1 is the group audited and group 2 (``ref``) the reference; differences are
group minus reference. All functions are vectorised over broadcastable arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats
from scipy.special import ndtr, ndtri

from .._validation import _check_interval, _check_option
from ..exceptions import InvalidParameterError
from ._intervals import _as_counts, _out, _proportions

__all__ = [
    "EquivalenceTestResult",
    "equivalence_test",
    "minimum_detectable_difference",
    "shortfall_to_ratio",
    "two_proportion_power",
]

_ALTERNATIVES = {"two-sided", "less", "greater"}


def _as_rates(caller, **arrays):
    """Broadcast rates to float64 and check that they lie in [0, 1] (NaN passes)."""
    out = []
    for name, value in arrays.items():
        arr = np.asarray(value, dtype=np.float64)
        if np.any((arr < 0) | (arr > 1)):
            msg = f"{caller}(): `{name}` must be in [0, 1]; got {np.ravel(arr)[:5].tolist()}."
            raise InvalidParameterError(msg)
        out.append(arr)
    return out


def _power(p1, p2, n1, n2, alpha, alternative):
    """Unpooled normal-approximation power; NaN where undefined."""
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        shift = (p1 - p2) / se
        # ndtr/ndtri, not scipy.stats.norm: this runs inside a bisection, per metric
        if alternative == "two-sided":
            crit = -ndtri(alpha / 2)
            power = ndtr(shift - crit) + ndtr(-shift - crit)
        else:
            crit = -ndtri(alpha)
            power = ndtr((shift if alternative == "greater" else -shift) - crit)
    # no sampling variance: a difference is detected surely, no difference never
    degenerate = (se == 0) & (n1 > 0) & (n2 > 0)
    power = np.where(degenerate & (p1 == p2), alpha, power)
    return np.where((n1 > 0) & (n2 > 0), power, np.nan)


def two_proportion_power(p1: ArrayLike, p2: ArrayLike, n1: ArrayLike, n2: ArrayLike, *, alpha: float = 0.05,
                         alternative: str = "two-sided") -> np.ndarray:
    """Power of the two-proportion z test at true rates ``p1``, ``p2``.

    Parameters
    ----------
    p1, p2 : array-like
        True rates of the group and of the reference, in [0, 1].
    n1, n2 : array-like
        Group and reference sizes (effective counts allowed), >= 0.
    alpha : float, default=0.05
        Significance level, in (0, 1).
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
        H1 of the test: ``p1 != p2``, ``p1 < p2`` or ``p1 > p2``.

    Returns
    -------
    ndarray
        Power in [0, 1] of the broadcast shape; NaN where ``n1 == 0`` or ``n2 == 0``.

    Raises
    ------
    InvalidParameterError
        For an invalid option, a rate outside [0, 1] or a negative size.

    Notes
    -----
    Normal approximation with the unpooled variance: the test statistic is taken as
    normal with mean ``delta = (p1 - p2) / se`` and unit variance, where
    ``se = sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)``. Then the power is
    ``Φ(delta - z_{1-α/2}) + Φ(-delta - z_{1-α/2})`` (two-sided),
    ``Φ(delta - z_{1-α})`` (greater) or ``Φ(-delta - z_{1-α})`` (less). This ignores
    that the score test standardises by the pooled variance under H0, which makes it
    slightly optimistic or pessimistic when the groups' variances differ; it is the
    usual planning formula. Where ``se == 0`` the power is 1 if ``p1 != p2`` (the
    side permitting) and ``alpha`` if ``p1 == p2``.

    Examples
    --------
    >>> print(np.round(two_proportion_power(0.3, 0.45, 100, 100), 4))
    0.6017
    """
    caller = "two_proportion_power"
    alternative = _check_option(alternative, "alternative", _ALTERNATIVES, caller=caller)
    alpha = _check_interval(alpha, "alpha", 0, 1, caller=caller)
    p1, p2 = _as_rates(caller, p1=p1, p2=p2)
    n1, n2 = _as_counts(caller, n1=n1, n2=n2)
    p1, p2, n1, n2 = np.broadcast_arrays(p1, p2, n1, n2)
    return _out(_power(p1, p2, n1, n2, alpha, alternative))


def _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, sign, n_iter=60):
    """Smallest delta in [0, room] with power >= target for p1 = p_ref + sign * delta."""
    room = (1 - p_ref) if sign > 0 else p_ref
    reach = _power(p_ref + sign * room, p_ref, n1, n2, alpha, alternative)
    feasible = reach >= power
    lo, hi = np.zeros_like(room), room.copy()
    for _ in range(n_iter):
        mid = (lo + hi) / 2
        ok = _power(p_ref + sign * mid, p_ref, n1, n2, alpha, alternative) >= power
        lo, hi = np.where(ok, lo, mid), np.where(ok, mid, hi)
    return np.where(feasible, hi, np.nan)


def minimum_detectable_difference(p_ref: ArrayLike, n1: ArrayLike, n2: ArrayLike, *, alpha: float = 0.05,
                                  power: float = 0.8, alternative: str = "two-sided") -> np.ndarray:
    """Smallest difference ``|p1 - p_ref|`` the z test detects with the given power.

    Parameters
    ----------
    p_ref : array-like
        Rate of the reference, in [0, 1].
    n1, n2 : array-like
        Group and reference sizes (effective counts allowed), >= 0.
    alpha : float, default=0.05
        Significance level, in (0, 1).
    power : float, default=0.8
        Required power, in (0, 1).
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
        ``"greater"`` looks for ``p1 = p_ref + d``, ``"less"`` for ``p1 = p_ref - d``,
        ``"two-sided"`` for either.

    Returns
    -------
    ndarray
        The difference ``d >= 0``; NaN where no feasible rate ``p1`` in [0, 1] reaches
        the power, or where ``n1 == 0`` or ``n2 == 0``.

    Raises
    ------
    InvalidParameterError
        For an invalid option or argument.

    Notes
    -----
    Uses the power of :func:`two_proportion_power`, which increases with ``d`` in each
    direction, so ``d`` is found by bisection (60 halvings) over the feasible range
    ``[0, 1 - p_ref]`` (upwards) or ``[0, p_ref]`` (downwards). Two-sided, the smaller
    of the two directions' differences is returned (the smallest ``|p1 - p_ref|`` that
    is detectable at all); the far tail is included in the two-sided power. When
    ``power <= alpha`` (the power at ``d = 0``) the answer is 0.

    Examples
    --------
    >>> print(np.round(minimum_detectable_difference(0.45, 100, 100), 4))
    0.1862
    >>> print(minimum_detectable_difference(0.01, 5, 5, alternative="less"))
    nan
    """
    caller = "minimum_detectable_difference"
    alternative = _check_option(alternative, "alternative", _ALTERNATIVES, caller=caller)
    alpha = _check_interval(alpha, "alpha", 0, 1, caller=caller)
    power = _check_interval(power, "power", 0, 1, caller=caller)
    (p_ref,) = _as_rates(caller, p_ref=p_ref)
    n1, n2 = _as_counts(caller, n1=n1, n2=n2)
    p_ref, n1, n2 = np.broadcast_arrays(p_ref, n1, n2)
    p_ref = p_ref.astype(np.float64, copy=True)
    if alternative == "greater":
        d = _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, +1)
    elif alternative == "less":
        d = _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, -1)
    else:
        up = _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, +1)
        down = _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, -1)
        d = np.fmin(up, down)
    valid = (n1 > 0) & (n2 > 0) & ~np.isnan(p_ref)
    d = np.where(valid & (power <= alpha), 0.0, d)
    return _out(np.where(valid, d, np.nan))


@dataclass(frozen=True)
class EquivalenceTestResult:
    """Result of :func:`equivalence_test`; array fields have the broadcast shape.

    Attributes
    ----------
    pvalue : ndarray
        TOST p-value, the larger of the two one-sided p-values.
    pvalue_lower : ndarray
        P-value of H0: ``p1 - p2 <= -margin`` against H1: ``p1 - p2 > -margin``.
    pvalue_upper : ndarray
        P-value of H0: ``p1 - p2 >= margin`` against H1: ``p1 - p2 < margin``.
    statistic_lower, statistic_upper : ndarray
        The z statistics ``(d + margin) / se`` and ``(d - margin) / se``.
    margin : ndarray
        The equivalence margin.
    """

    pvalue: np.ndarray
    pvalue_lower: np.ndarray
    pvalue_upper: np.ndarray
    statistic_lower: np.ndarray
    statistic_upper: np.ndarray
    margin: np.ndarray


def equivalence_test(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike, *,
                     margin: ArrayLike) -> EquivalenceTestResult:
    """Two one-sided tests (TOST) that ``|p1 - p2| < margin``.

    Parameters
    ----------
    x1, n1 : array-like
        Successes and trials of the group (non-integer effective counts allowed).
    x2, n2 : array-like
        Successes and trials of the reference; all four broadcast together.
    margin : float or array-like
        Equivalence margin on the difference scale, > 0 (e.g. 0.05).

    Returns
    -------
    EquivalenceTestResult
        A small ``pvalue`` is evidence of equivalence (parity within the margin).

    Raises
    ------
    InvalidParameterError
        If ``margin`` is not > 0, or counts are invalid.

    Notes
    -----
    H0: ``|p1 - p2| >= margin``; H1: ``|p1 - p2| < margin``. With ``d = p1 - p2`` and
    the unpooled ``se = sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)``, the lower test has
    ``z = (d + margin) / se`` and ``p = 1 - Φ(z)``, the upper test ``z = (d - margin) / se``
    and ``p = Φ(z)``; the TOST p-value is the larger. Rejecting at level ``α`` is the
    same as the ``1 - 2α`` Wald interval lying inside ``(-margin, margin)``.

    Where ``se == 0`` (both rates 0 or both 1, however small the groups) the normal
    approximation says nothing, and all p-values are NaN rather than 0: a tiny group
    with no positives must never look equivalent. They are NaN too where ``n1 == 0``
    or ``n2 == 0``.

    References
    ----------
    .. [1] Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure
       and the power approach for assessing the equivalence of average bioavailability.
       Journal of Pharmacokinetics and Biopharmaceutics 15, 657-680.

    Examples
    --------
    >>> res = equivalence_test(400, 1000, 410, 1000, margin=0.05)
    >>> print(np.round(res.pvalue, 4), np.round(res.pvalue_lower, 4))
    0.0342 0.0342
    """
    caller = "equivalence_test"
    x1, n1, p1 = _proportions(x1, n1, "x1", "n1", caller)
    x2, n2, p2 = _proportions(x2, n2, "x2", "n2", caller)
    try:
        margin = np.asarray(margin, dtype=np.float64)
    except (TypeError, ValueError):
        msg = f"{caller}(): `margin` must be a number > 0; got {margin!r}."
        raise InvalidParameterError(msg) from None
    if not np.all(margin > 0):
        msg = f"{caller}(): `margin` must be > 0; got {np.ravel(margin)[:5].tolist()}."
        raise InvalidParameterError(msg)
    p1, n1, p2, n2, margin = np.broadcast_arrays(p1, n1, p2, n2, margin)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        se = np.where(se > 0, se, np.nan)
        d = p1 - p2
        z_low, z_high = (d + margin) / se, (d - margin) / se
    p_low, p_high = stats.norm.sf(z_low), stats.norm.cdf(z_high)
    pvalue = np.maximum(p_low, p_high)
    return EquivalenceTestResult(*(_out(np.asarray(a)) for a in (pvalue, p_low, p_high, z_low, z_high, margin)))


def shortfall_to_ratio(x_group: ArrayLike, n_group: ArrayLike, rate_best: ArrayLike,
                       threshold: float = 0.8) -> np.ndarray:
    """Extra favourable outcomes a group needs for its rate to reach ``threshold * rate_best``.

    Parameters
    ----------
    x_group : array-like
        Favourable outcomes of the group (e.g. positive decisions), >= 0.
    n_group : array-like
        Size of the group, >= ``x_group``.
    rate_best : array-like
        Rate of the comparison group (e.g. the most favoured group), in [0, 1].
    threshold : float, default=0.8
        Target ratio, in (0, 1]; 0.8 is the four-fifths rule.

    Returns
    -------
    ndarray of float64
        Whole numbers ``>= 0``: ``ceil(threshold * rate_best * n_group - x_group)``,
        at least 0. NaN where ``n_group == 0`` or ``rate_best`` is NaN. Returned as float
        so that NaN can mark the undefined cases.

    Raises
    ------
    InvalidParameterError
        For an invalid argument.

    Notes
    -----
    The group size is held fixed: the count is how many of the group's unfavourable
    outcomes would have to become favourable. A relative tolerance of 1e-9 guards the
    ceiling against rounding (``0.8 * 0.5 * 10`` is 4, not 5). With weighted counts the
    answer is in units of weight.

    Examples
    --------
    >>> shortfall_to_ratio([20, 40, 0], [100, 100, 0], 0.5)
    array([20.,  0., nan])
    """
    caller = "shortfall_to_ratio"
    threshold = _check_interval(threshold, "threshold", 0, 1, caller=caller, closed="right")
    x, n, _ = _proportions(x_group, n_group, "x_group", "n_group", caller)
    (best,) = _as_rates(caller, rate_best=rate_best)
    x, n, best = np.broadcast_arrays(x, n, best)
    gap = threshold * best * n - x
    need = np.ceil(gap - 1e-9 * np.maximum(threshold * best * n, 1.0))
    need = np.maximum(need, 0.0)
    return _out(np.where((n > 0) & ~np.isnan(best), need, np.nan))
