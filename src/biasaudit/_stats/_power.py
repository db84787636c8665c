"""Power, minimum detectable difference, equivalence (TOST) and the four-fifths shortfall.

Group 1 is the group audited and group 2 (``ref``) the reference; differences are
group minus reference. All functions are vectorised over broadcastable arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr, ndtri

from .._validation import _check_interval, _check_option
from ..exceptions import InvalidParameterError
from ._distinct import on_distinct
from ._intervals import _as_counts, _out, _proportions

__all__ = [
    "EquivalenceTestResult",
    "equivalence_test",
    "minimum_detectable_difference",
    "shortfall_to_ratio",
    "tolerance_power",
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


def _power(p1, p2, n1, n2, alpha, alternative, null_variance="pooled"):
    """Normal-approximation power of the score test; NaN where undefined."""
    with np.errstate(invalid="ignore", divide="ignore"):
        sd_alt = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        if null_variance == "pooled":
            # the statistic is standardised by the pooled rate, which estimates the
            # size-weighted mean of the two true rates
            p_bar = (n1 * p1 + n2 * p2) / (n1 + n2)
            sd_null = np.sqrt(p_bar * (1 - p_bar) * (1 / n1 + 1 / n2))
        else:
            sd_null = sd_alt
        diff = p1 - p2
        # ndtr/ndtri, not scipy.stats.norm: this runs inside a bisection, per metric
        if alternative == "two-sided":
            crit = -ndtri(alpha / 2) * sd_null
            power = ndtr((diff - crit) / sd_alt) + ndtr((-diff - crit) / sd_alt)
        else:
            crit = -ndtri(alpha) * sd_null
            power = ndtr(((diff if alternative == "greater" else -diff) - crit) / sd_alt)
    # No sampling variance under the alternative: the test rejects surely or never
    # (the limit of the formula, +-inf / 0); both rates equal and 0 or 1: the level.
    flat = (sd_alt == 0) & (p1 == p2)
    power = np.where(flat, alpha, power)
    return np.where((n1 > 0) & (n2 > 0), power, np.nan)


def two_proportion_power(p1, p2, n1, n2, *, alpha=0.05, alternative="two-sided", null_variance="pooled"):
    """Power of the two-proportion score (z) test at true rates ``p1``, ``p2``.

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
    null_variance : {"pooled", "unpooled"}, default="pooled"
        Variance that standardises the statistic: the pooled one of the score test
        that the audit runs, or the unpooled one of the older planning formula.

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
    The score test rejects when ``|p̂1 - p̂2| >= z sd0``, where ``sd0`` is the standard
    error under H0, computed from the pooled rate. Its power is approximated by taking
    ``p̂1 - p̂2`` as normal with mean ``d = p1 - p2`` and standard deviation
    ``sd1 = sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)``, and ``sd0`` at the pooled rate it
    estimates, ``p̄ = (n1 p1 + n2 p2) / (n1 + n2)``:
    ``sd0 = sqrt(p̄(1-p̄)(1/n1 + 1/n2))`` (Fleiss, Levin and Paik [1]_, section 4.2).
    Then the power is ``Φ((d - z_{1-α/2} sd0) / sd1) + Φ((-d - z_{1-α/2} sd0) / sd1)``
    (two-sided), ``Φ((d - z_{1-α} sd0) / sd1)`` (greater) or
    ``Φ((-d - z_{1-α} sd0) / sd1)`` (less).

    With unbalanced groups the two variances differ a lot, and the unpooled formula
    (``sd0 = sd1``) misjudges the test: for a group of 200 at 10% against a reference
    of 5,000 at 5%, the exact power of the score test is 0.806, the pooled formula
    gives 0.808 and the unpooled one 0.645 (the test suite checks the pooled formula
    against exact enumeration of the two binomials).

    Where ``sd1 == 0`` the formula's limit is used: 1 if the rates differ and the test
    can reject at all, else 0; ``alpha`` if the rates are equal (both 0 or both 1).

    References
    ----------
    .. [1] Fleiss, J. L., Levin, B. and Paik, M. C. (2003). Statistical Methods for
       Rates and Proportions, 3rd ed. Wiley.

    Examples
    --------
    >>> print(np.round(two_proportion_power(0.10, 0.05, 200, 5000), 4))
    0.8078
    >>> print(np.round(two_proportion_power(0.10, 0.05, 200, 5000, null_variance="unpooled"), 4))
    0.6453
    """
    caller = "two_proportion_power"
    alternative = _check_option(alternative, "alternative", _ALTERNATIVES, caller=caller)
    null_variance = _check_option(null_variance, "null_variance", {"pooled", "unpooled"}, caller=caller)
    alpha = _check_interval(alpha, "alpha", 0, 1, caller=caller)
    p1, p2 = _as_rates(caller, p1=p1, p2=p2)
    n1, n2 = _as_counts(caller, n1=n1, n2=n2)
    p1, p2, n1, n2 = np.broadcast_arrays(p1, p2, n1, n2)
    return _out(_power(p1, p2, n1, n2, alpha, alternative, null_variance))


_SIGNS = {"greater": (1.0,), "less": (-1.0,), "two-sided": (1.0, -1.0)}


def _tolerance_power(p_ref, n1, n2, tolerance, alpha, alternative):
    """Power to detect a gap of ``tolerance`` in the tested direction(s); see tolerance_power."""
    powers, rooms = [], []
    for sign in _SIGNS[alternative]:
        room = (1 - p_ref) if sign > 0 else p_ref
        p1 = np.clip(p_ref + sign * np.minimum(tolerance, room), 0.0, 1.0)
        powers.append(_power(p1, p_ref, n1, n2, alpha, alternative))
        rooms.append(room)
    if len(powers) == 1:
        return powers[0]
    (up, down), (room_up, room_down) = powers, rooms
    slack = 1e-12
    fits_up, fits_down = room_up >= tolerance - slack, room_down >= tolerance - slack
    both = np.fmin(up, down)
    # a gap that cannot occur cannot be missed: only the directions with room count;
    # with room in neither, the direction with more room (its largest possible gap)
    neither = np.where(room_up >= room_down, up, down)
    out = np.where(fits_up & fits_down, both, np.where(fits_up, up, np.where(fits_down, down, neither)))
    return np.where(np.isnan(p_ref), np.nan, out)


def tolerance_power(p_ref, n1, n2, *, tolerance, alpha=0.05, alternative="two-sided"):
    """Power of the score test to detect a gap of ``tolerance`` in the direction it tests.

    Parameters
    ----------
    p_ref : array-like
        Rate of the reference, in [0, 1].
    n1, n2 : array-like
        Group and reference sizes (effective counts allowed), >= 0.
    tolerance : float or array-like
        The gap that matters, in (0, 1].
    alpha : float, default=0.05
        Significance level, in (0, 1).
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
        The test's H1. ``"greater"`` looks for a group rate ``p_ref + tolerance``,
        ``"less"`` for ``p_ref - tolerance``, ``"two-sided"`` for both.

    Returns
    -------
    ndarray
        Power in [0, 1] (:func:`two_proportion_power`, pooled null variance) of the
        broadcast shape; NaN where ``n1 == 0``, ``n2 == 0`` or ``p_ref`` is NaN.

    Raises
    ------
    InvalidParameterError
        For an invalid option or argument.

    Notes
    -----
    A one-sided test only looks one way, so its power is the power at the gap in that
    direction; the power against a gap the other way is near 0 and says nothing about
    the test. Two-sided, it is the smaller of the powers at ``p_ref + tolerance`` and
    ``p_ref - tolerance``: the test must detect either.

    A direction where the gap cannot occur (``p_ref + tolerance > 1`` or
    ``p_ref - tolerance < 0``) is left out of the two-sided minimum: no gap of that
    size can be missed there. When neither direction has room (``tolerance`` above
    both ``p_ref`` and ``1 - p_ref``), and for a one-sided test without room, the
    power is that at the largest possible gap, ``p1`` clipped to [0, 1].

    Examples
    --------
    >>> print(np.round(tolerance_power(0.3, 200_000, 200_000, tolerance=0.05, alternative="less"), 4))
    1.0
    >>> print(np.round(tolerance_power(0.3, 300, 300, tolerance=0.05), 4))
    0.2573
    """
    caller = "tolerance_power"
    alternative = _check_option(alternative, "alternative", _ALTERNATIVES, caller=caller)
    alpha = _check_interval(alpha, "alpha", 0, 1, caller=caller)
    (p_ref,) = _as_rates(caller, p_ref=p_ref)
    n1, n2 = _as_counts(caller, n1=n1, n2=n2)
    tol = np.asarray(tolerance, dtype=np.float64)
    if not np.all((tol > 0) & (tol <= 1)):
        msg = f"{caller}(): `tolerance` must be in (0, 1]; got {np.ravel(tol)[:5].tolist()}."
        raise InvalidParameterError(msg)
    p_ref, n1, n2, tol = np.broadcast_arrays(p_ref, n1, n2, tol)
    return _out(_tolerance_power(p_ref, n1, n2, tol, alpha, alternative))


def _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, sign, n_iter=48):
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


def _mdd(p_ref, n1, n2, alpha, power, alternative):
    if alternative == "greater":
        return _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, +1)
    if alternative == "less":
        return _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, -1)
    up = _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, +1)
    down = _mdd_one_direction(p_ref, n1, n2, alpha, power, alternative, -1)
    return np.fmin(up, down)


def minimum_detectable_difference(p_ref, n1, n2, *, alpha=0.05, power=0.8, alternative="two-sided"):
    """Smallest difference ``|p1 - p_ref|`` the score test detects with the given power.

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
    Uses the power of :func:`two_proportion_power` with the pooled null variance (the
    one of the test the audit runs), which increases with ``d`` in each direction, so
    ``d`` is found by bisection (48 halvings) over the feasible range
    ``[0, 1 - p_ref]`` (upwards) or ``[0, p_ref]`` (downwards), once per distinct
    ``(p_ref, n1, n2)``. Two-sided, the smaller of the two directions' differences is
    returned (the smallest ``|p1 - p_ref|`` that is detectable at all); the far tail is
    included in the two-sided power. When ``power <= alpha`` (the power at ``d = 0``)
    the answer is 0.

    Examples
    --------
    >>> print(np.round(minimum_detectable_difference(0.45, 100, 100), 4))
    0.1886
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
    d = on_distinct(lambda p, a, b: _mdd(p, a, b, alpha, power, alternative), p_ref, n1, n2)
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
    p_low, p_high = ndtr(-z_low), ndtr(z_high)
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
