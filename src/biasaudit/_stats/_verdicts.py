"""Plain-language verdicts that combine significance, practical size, power and equivalence."""

from __future__ import annotations

import math
import numbers

import numpy as np

from .._validation import _check_interval
from ..exceptions import InvalidParameterError
from ._distinct import distinct_rows

__all__ = ["VERDICT_CODES", "verdicts"]

VERDICT_CODES = ("disparity", "possible_disparity", "parity", "inconclusive", "not_assessable")


#: Ratios between these bounds are not large by themselves (the four-fifths rule and its reciprocal).
RATIO_BAND = (0.8, 1.25)


def _fmt(value, spec=".3g"):
    return "n/a" if math.isnan(value) else format(value, spec)


def _signed(value):
    return "n/a" if math.isnan(value) else f"{value:+.3f}"


def _check_band(ratio_band, caller):
    ok = (
        isinstance(ratio_band, (tuple, list))
        and len(ratio_band) == 2
        and all(isinstance(b, numbers.Real) and not isinstance(b, bool) for b in ratio_band)
    )
    if not ok or not (0 < ratio_band[0] <= 1 <= ratio_band[1] < np.inf):
        msg = (
            f"{caller}(): `ratio_band` must be a pair (low, high) with 0 < low <= 1 <= high; "
            f"got {ratio_band!r}."
        )
        raise InvalidParameterError(msg)
    return float(ratio_band[0]), float(ratio_band[1])


def verdicts(
    value,
    reference_value,
    difference,
    diff_low,
    diff_high,
    ratio,
    pvalue_adjusted,
    power,
    equivalence_pvalue,
    *,
    alpha=0.05,
    tolerance=0.05,
    ratio_band=RATIO_BAND,
    min_power=0.8,
):
    """Verdict code and plain-language reason for each group's comparison with the reference.

    Parameters
    ----------
    value : array-like
        The group's metric value (a rate); NaN if undefined.
    reference_value : array-like
        The reference group's value; NaN if undefined.
    difference : array-like
        ``value - reference_value`` (group minus reference).
    diff_low, diff_high : array-like
        Confidence bounds of ``difference``, quoted in the reasons.
    ratio : array-like
        ``value / reference_value``; NaN when undefined (it is then ignored).
    pvalue_adjusted : array-like
        P-value of H0: no difference, adjusted for multiplicity.
    power : array-like
        Power to detect a difference of ``tolerance`` at the group sizes (e.g. from
        :func:`two_proportion_power`); NaN counts as underpowered.
    equivalence_pvalue : array-like
        TOST p-value of ``|difference| < tolerance`` (:func:`equivalence_test`).
    alpha : float, default=0.05
        Significance level of both the difference and the equivalence test, in (0, 1).
    tolerance : float, default=0.05
        Smallest absolute difference that matters in practice, in (0, 1].
    ratio_band : tuple of (float, float), default=(0.8, 1.25)
        Ratios inside ``[low, high]`` are practically negligible; ``0 < low <= 1 <= high``.
    min_power : float, default=0.8
        Power needed for a confident verdict, in (0, 1].

    Returns
    -------
    codes : ndarray of str (object dtype)
        One of ``VERDICT_CODES`` per element, of the broadcast shape.
    reasons : ndarray of str (object dtype)
        A sentence explaining each code, quoting the numbers behind it.

    Raises
    ------
    InvalidParameterError
        For an invalid option.

    Notes
    -----
    With ``large = |difference| >= tolerance or ratio outside ratio_band`` (a NaN ratio
    is ignored), ``significant = pvalue_adjusted < alpha``, ``powered = power >=
    min_power`` and ``equivalent = equivalence_pvalue < alpha`` (NaN is False
    throughout), the first matching rule wins:

    1. ``"not_assessable"``: ``value`` or ``reference_value`` is NaN.
    2. ``"disparity"``: ``significant and (large or not equivalent)``: the gap survives
       the correction for multiple testing and is either large, or not shown to be
       smaller than the tolerance (its interval reaches a gap that matters). Power is not
       required: it bounds claims that no gap exists, while a significant gap has been
       detected.
    3. ``"possible_disparity"``: ``large`` but not significant.
    4. ``"parity"``: ``equivalent and powered`` (and not ``large``).
    5. ``"inconclusive"``: everything else (not significant, not large, and not shown
       equivalent with enough power); the reason says whether the comparison is
       underpowered, or neither significant nor shown equivalent.

    A significant gap shown to be inside ``±tolerance`` is not a disparity: it is
    ``"parity"`` when powered, else ``"inconclusive"``.

    So an underpowered group (``power < min_power`` or NaN) never gets ``"parity"``:
    the absence of evidence in a small group is never reported as evidence of absence.

    Examples
    --------
    >>> codes, reasons = verdicts(
    ...     value=[0.30, 0.44, 0.20, np.nan], reference_value=0.45,
    ...     difference=[-0.15, -0.01, -0.25, np.nan], diff_low=[-0.28, -0.05, -0.6, np.nan],
    ...     diff_high=[-0.02, 0.03, 0.1, np.nan], ratio=[0.67, 0.98, 0.44, np.nan],
    ...     pvalue_adjusted=[0.003, 0.6, 0.2, np.nan], power=[0.9, 0.99, 0.1, np.nan],
    ...     equivalence_pvalue=[0.9, 0.01, 0.8, np.nan])
    >>> codes.tolist()
    ['disparity', 'parity', 'possible_disparity', 'not_assessable']
    >>> print(reasons[1])
    Equivalent within ±0.05: the equivalence test rules out a gap of 0.05 or more (p = 0.01 < 0.05); difference -0.010 (CI -0.050 to +0.030).
    """
    caller = "verdicts"
    alpha = _check_interval(alpha, "alpha", 0, 1, caller=caller)
    tolerance = _check_interval(tolerance, "tolerance", 0, 1, caller=caller, closed="right")
    min_power = _check_interval(min_power, "min_power", 0, 1, caller=caller, closed="right")
    band_low, band_high = _check_band(ratio_band, caller)
    arrays = [
        np.asarray(a, dtype=np.float64)
        for a in (value, reference_value, difference, diff_low, diff_high, ratio, pvalue_adjusted, power, equivalence_pvalue)
    ]
    arrays = np.broadcast_arrays(*arrays)
    shape = arrays[0].shape
    flat = [a.ravel() for a in arrays]
    settings = {"alpha": alpha, "tolerance": tolerance, "band": (band_low, band_high), "min_power": min_power}
    # Each distinct comparison is explained once: thousands of small groups repeat the same
    # few tables, hence the same numbers and sentences.
    first, inverse = distinct_rows(flat)
    pairs = [_one(*row, **settings) for row in zip(*(f[first].tolist() for f in flat))]
    codes = np.array([c for c, _ in pairs] or [None], dtype=object)[inverse]
    reasons = np.array([r for _, r in pairs] or [None], dtype=object)[inverse]
    return codes.reshape(shape), reasons.reshape(shape)


def _one(value, ref, diff, low, high, ratio, p_adj, power, p_eq, *, alpha, tolerance, band, min_power):
    """Verdict and reason for one comparison (the rules of :func:`verdicts`)."""
    if math.isnan(value) or math.isnan(ref):
        which = "this group" if math.isnan(value) else "the reference group"
        return "not_assessable", (
            f"Not assessable: the metric is undefined for {which} (no rows, or zero weight, "
            f"in its denominator)."
        )
    large_diff = abs(diff) >= tolerance
    large_ratio = not math.isnan(ratio) and not (band[0] <= ratio <= band[1])
    large = large_diff or large_ratio
    significant = p_adj < alpha
    powered = power >= min_power
    equivalent = p_eq < alpha
    gap = f"difference {_signed(diff)} (CI {_signed(low)} to {_signed(high)})"
    if large_diff:
        size = f"reaches the tolerance of {tolerance:g}"
    else:
        size = f"means a ratio of {_fmt(ratio)}, outside [{band[0]:g}, {band[1]:g}]"
    sig = f"adjusted p = {_fmt(p_adj)}"
    pow_text = f"power {_fmt(power, '.2f')} to detect a gap of {tolerance:g}, below {min_power:g}"
    # Power bounds claims of no difference; a large gap that survives the multiplicity
    # correction is a finding whatever the power.
    if large and significant:
        return "disparity", (
            f"Disparity: the {gap} {size} and is statistically significant ({sig} < {alpha:g})."
        )
    if significant and not equivalent:
        # Below the tolerance at its point estimate, but its interval still reaches the
        # tolerance: a detected gap that is not shown negligible. "Inconclusive" (too small
        # to tell) would misdescribe strong evidence.
        return "disparity", (
            f"Disparity: the {gap} is statistically significant ({sig} < {alpha:g}) and is not "
            f"shown to be smaller than the tolerance of {tolerance:g} (equivalence p = {_fmt(p_eq)})."
        )
    if large:
        why = f"but it is not statistically significant ({sig}); more data are needed to confirm it"
        return "possible_disparity", f"Possible disparity: the {gap} {size}, {why}."
    if equivalent and powered:
        return "parity", (
            f"Equivalent within ±{tolerance:g}: the equivalence test rules out a gap of "
            f"{tolerance:g} or more (p = {_fmt(p_eq)} < {alpha:g}); {gap}."
        )
    if not powered:
        return "inconclusive", f"Inconclusive: too few rows to tell ({pow_text}); {gap}."
    return "inconclusive", (
        f"Inconclusive: no significant difference ({sig}), but equivalence within "
        f"±{tolerance:g} is not shown either (p = {_fmt(p_eq)}); {gap}."
    )
