"""Hypothesis tests of counts: two proportions, r x 2 independence, and stratified 2x2 tables.

The r x 2 independence test lives in ``_omnibus`` and is re-exported here.

Conventions shared by every test here: group 1 is the group audited and group 2 the
reference; a signed statistic has the sign of ``p1 - p2``; ``alternative="less"`` means
H1: ``p1 < p2`` and ``"greater"`` means H1: ``p1 > p2``. Degenerate data give NaN without
a warning; the caller, who knows the group labels, warns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import chdtrc, ndtr, ndtri

from .._validation import _check_interval, _check_option
from ..exceptions import InvalidParameterError
from ._exact import fisher_pvalues
from ._intervals import ConfidenceInterval, _as_counts, _out, _proportions
from ._omnibus import IndependenceTestResult, independence_test

__all__ = [
    "CMHTestResult",
    "IndependenceTestResult",
    "TwoProportionTestResult",
    "cmh_test",
    "independence_test",
    "two_proportion_test",
]

_ALTERNATIVES = {"two-sided", "less", "greater"}


def _normal_pvalue(z, alternative):
    """P-value of a standard normal statistic; NaN stays NaN."""
    if alternative == "greater":
        return ndtr(-z)
    if alternative == "less":
        return ndtr(z)
    return np.minimum(2 * ndtr(-np.abs(z)), 1.0)


@dataclass(frozen=True)
class TwoProportionTestResult:
    """Result of :func:`two_proportion_test`; every field has the broadcast shape.

    Attributes
    ----------
    statistic : ndarray
        Pooled score z statistic, sign of ``p1 - p2``, whatever the method.
    pvalue : ndarray
        P-value of the method actually used.
    method : ndarray of str
        ``"score"`` or ``"fisher"`` per element.
    alternative : str
        The alternative hypothesis.
    """

    statistic: np.ndarray
    pvalue: np.ndarray
    method: np.ndarray
    alternative: str


def two_proportion_test(x1: ArrayLike, n1: ArrayLike, x2: ArrayLike, n2: ArrayLike, *,
                        alternative: str = "two-sided", method: str = "auto") -> TwoProportionTestResult:
    """Test H0: ``p1 == p2`` for two independent binomial proportions.

    Parameters
    ----------
    x1, n1 : array-like
        Successes and trials of the group (non-integer effective counts allowed).
    x2, n2 : array-like
        Successes and trials of the reference; all four broadcast together.
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
        H1: ``p1 != p2``, ``p1 < p2`` or ``p1 > p2``.
    method : {"auto", "score", "fisher"}, default="auto"
        ``"auto"`` uses Fisher's exact test where any expected cell count under H0 is
        below 5, and the score test elsewhere, element by element.

    Returns
    -------
    TwoProportionTestResult
        ``statistic`` is the pooled score z for every method (so an ``"auto"`` array is
        in one unit); ``method`` records, per element, which p-value was computed.

    Raises
    ------
    InvalidParameterError
        For an invalid option or invalid counts.

    Notes
    -----
    Score test (no continuity correction): with the pooled ``P = (x1 + x2) / (n1 + n2)``,
    ``z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2))``, referred to the standard normal.
    ``z`` is NaN where ``n1 == 0``, ``n2 == 0`` or ``P`` is 0 or 1 (no variance), and so
    is the score p-value there.

    Fisher: the p-value of :func:`scipy.stats.fisher_exact` on
    ``[[x1, n1 - x1], [x2, n2 - x2]]``, whose odds ratio exceeds 1 exactly when
    ``p1 > p2``, so the alternatives carry over. It is computed for all tables at once
    (hypergeometric probabilities on a padded grid of each table's support, each
    distinct table once), the two-sided p-value summing every table as or less probable
    than the observed one up to a relative tolerance of 1e-7, as R does. Fisher
    needs integers: counts are rounded to the nearest integer (halves to even) for this
    test only, which is exact for unweighted data. The p-value is NaN where a rounded
    number of trials is 0. Where ``P`` is 0 or 1 Fisher gives p = 1, so ``"auto"`` (whose
    expected counts are then 0) gives a p-value where the score test cannot.

    The expected counts for ``"auto"`` are ``n1 P, n1 (1 - P), n2 P, n2 (1 - P)``.

    References
    ----------
    .. [1] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., sections 3.1 and 3.5.

    Examples
    --------
    >>> res = two_proportion_test([30, 2], [100, 10], [45, 6], [100, 10])
    >>> np.round(res.statistic, 3)
    array([-2.191, -1.826])
    >>> np.round(res.pvalue, 4)
    array([0.0285, 0.1698])
    >>> res.method
    array(['score', 'fisher'], dtype='<U6')
    """
    caller = "two_proportion_test"
    alternative = _check_option(alternative, "alternative", _ALTERNATIVES, caller=caller)
    method = _check_option(method, "method", {"auto", "score", "fisher"}, caller=caller)
    x1, n1, p1 = _proportions(x1, n1, "x1", "n1", caller)
    x2, n2, p2 = _proportions(x2, n2, "x2", "n2", caller)
    x1, n1, p1, x2, n2, p2 = np.broadcast_arrays(x1, n1, p1, x2, n2, p2)
    total = n1 + n2
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = (x1 + x2) / total
        var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
        z = np.where(var > 0, (p1 - p2) / np.sqrt(np.where(var > 0, var, 1.0)), np.nan)
    z = np.where((n1 > 0) & (n2 > 0), z, np.nan)
    pvalue = _normal_pvalue(z, alternative)
    if method == "score":
        use_fisher = np.zeros(z.shape, dtype=bool)
    elif method == "fisher":
        use_fisher = np.ones(z.shape, dtype=bool)
    else:
        with np.errstate(invalid="ignore"):
            expected = np.stack([n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)])
        use_fisher = ~(np.min(expected, axis=0) >= 5)  # NaN (empty data) counts as small
    if use_fisher.any():
        pvalue = np.array(pvalue, dtype=np.float64, copy=True)
        a, m, c, k = (np.rint(v[use_fisher]) for v in (x1, n1, x2, n2))
        pvalue[use_fisher] = fisher_pvalues(a, m, c, k, alternative)
    used = np.where(use_fisher, "fisher", "score")
    return TwoProportionTestResult(_out(z), _out(np.asarray(pvalue)), _out(used), alternative)


@dataclass(frozen=True)
class CMHTestResult:
    """Result of :func:`cmh_test`.

    Attributes
    ----------
    statistic : float
        Cochran-Mantel-Haenszel chi-square on 1 degree of freedom.
    pvalue : float
        Upper chi-square(1) tail probability of ``statistic``.
    odds_ratio : float
        Mantel-Haenszel common odds ratio, odds of a positive outcome in the group over
        the odds in the reference.
    correction : bool
        Whether the continuity correction was applied to ``statistic``.
    n_strata : int
        Number of strata used (strata with a total of zero are skipped).
    """

    statistic: float
    pvalue: float
    odds_ratio: float
    correction: bool
    n_strata: int
    _tables: np.ndarray = field(repr=False, compare=False)

    def confidence_interval(self, confidence_level=0.95):
        """Robins-Breslow-Greenland confidence interval for the common odds ratio.

        Parameters
        ----------
        confidence_level : float, default=0.95
            Coverage of the interval, in (0, 1).

        Returns
        -------
        ConfidenceInterval
            Bounds of the MH odds ratio; NaN when the ratio is 0, infinite or undefined.

        Notes
        -----
        ``exp(log OR_MH ± z se)`` with the RBG variance of ``log OR_MH``, see
        :func:`cmh_test`.

        Examples
        --------
        >>> res = cmh_test([[[30, 20], [20, 30]], [[25, 25], [15, 35]]])
        >>> ci = res.confidence_interval(0.95)
        >>> print(round(ci.low, 4), round(ci.high, 4))
        0.2462 0.7742
        """
        level = _check_interval(confidence_level, "confidence_level", 0, 1, caller="confidence_interval")
        z = -ndtri((1 - level) / 2)
        t = self._tables
        a, b, c, d = t[:, 0, 1], t[:, 0, 0], t[:, 1, 1], t[:, 1, 0]
        n = t.sum(axis=(1, 2))
        r, s = a * d / n, b * c / n
        p, q = (a + d) / n, (b + c) / n
        r_sum, s_sum = r.sum(), s.sum()
        if not (r_sum > 0 and s_sum > 0):
            return ConfidenceInterval(np.nan, np.nan)
        var = (
            (p * r).sum() / (2 * r_sum**2)
            + (p * s + q * r).sum() / (2 * r_sum * s_sum)
            + (q * s).sum() / (2 * s_sum**2)
        )
        log_or, half = np.log(r_sum / s_sum), z * np.sqrt(var)
        return ConfidenceInterval(float(np.exp(log_or - half)), float(np.exp(log_or + half)))


def cmh_test(tables: ArrayLike, *, correction: bool = False) -> CMHTestResult:
    """Cochran-Mantel-Haenszel test of no group-outcome association across strata.

    Parameters
    ----------
    tables : array-like of shape (K, 2, 2)
        One 2x2 table per stratum. Orientation: row 0 is the group, row 1 the
        reference; column 0 counts negative outcomes, column 1 positive outcomes, i.e.
        ``[[group_neg, group_pos], [ref_neg, ref_pos]]``.
    correction : bool, default=False
        Apply the continuity correction (subtract 0.5 from ``|sum(a - E[a])|``).

    Returns
    -------
    CMHTestResult
        Statistic, p-value and MH common odds ratio; call
        ``result.confidence_interval(level)`` for the RBG interval.

    Raises
    ------
    InvalidParameterError
        If ``tables`` does not have shape (K, 2, 2) or holds negative or NaN counts.

    Notes
    -----
    H0: the odds ratio is 1 in every stratum. With ``a_k`` the group's positives,
    ``n_k`` the stratum total, ``E_k = (group total)(positives total) / n_k`` and
    ``V_k = (group total)(reference total)(positives)(negatives) / (n_k² (n_k - 1))``,
    the statistic is ``(|Σ(a_k - E_k)| - c)² / Σ V_k`` with ``c = 0.5`` under
    ``correction`` and 0 otherwise (``c`` is capped at ``|Σ(a_k - E_k)|``), referred to
    chi-square(1). The default is no correction, as for the score test of
    :func:`two_proportion_test`; the correction is less meaningful for non-integer
    (effective) counts. Strata with total 0 are skipped; a stratum with ``n_k <= 1``
    contributes ``V_k = 0`` (exact for integer counts). NaN when ``Σ V_k = 0``.

    The MH odds ratio is ``Σ(a_k d_k / n_k) / Σ(b_k c_k / n_k)`` with ``b_k`` the group's
    negatives, ``c_k`` the reference's positives and ``d_k`` its negatives: above 1 when
    the group has the higher odds of a positive outcome. It is NaN when both sums are 0,
    and 0 or inf when one of them is. The Robins-Breslow-Greenland variance of its log
    is used for the confidence interval.

    References
    ----------
    .. [1] Mantel, N. and Haenszel, W. (1959). Statistical aspects of the analysis of
       data from retrospective studies of disease. JNCI 22, 719-748.
    .. [2] Robins, J., Breslow, N. and Greenland, S. (1986). Estimators of the
       Mantel-Haenszel variance consistent in both sparse data and large-strata limiting
       models. Biometrics 42, 311-323.

    Examples
    --------
    >>> res = cmh_test([[[30, 20], [20, 30]], [[25, 25], [15, 35]]])
    >>> print(round(res.statistic, 3), round(res.pvalue, 5), round(res.odds_ratio, 4))
    8.082 0.00447 0.4366
    """
    caller = "cmh_test"
    if not isinstance(correction, (bool, np.bool_)):
        msg = f"{caller}(): `correction` must be True or False; got {correction!r}."
        raise InvalidParameterError(msg)
    (t,) = _as_counts(caller, tables=tables)
    if t.ndim != 3 or t.shape[1:] != (2, 2):
        msg = f"{caller}(): `tables` must have shape (K, 2, 2); got shape {t.shape}."
        raise InvalidParameterError(msg)
    if np.isnan(t).any():
        msg = f"{caller}(): `tables` must not contain NaN."
        raise InvalidParameterError(msg)
    t = t[t.sum(axis=(1, 2)) > 0]
    n = t.sum(axis=(1, 2))
    a = t[:, 0, 1]
    group, ref = t[:, 0].sum(axis=1), t[:, 1].sum(axis=1)
    pos, neg = t[:, :, 1].sum(axis=1), t[:, :, 0].sum(axis=1)
    expected = group * pos / n
    big = n > 1
    var = np.where(big, group * ref * pos * neg / (n * n * np.where(big, n - 1, 1.0)), 0.0)
    dev = abs(float((a - expected).sum()))
    if correction:
        dev -= min(0.5, dev)
    var_sum = float(var.sum())
    statistic = dev**2 / var_sum if var_sum > 0 else np.nan
    pvalue = float(chdtrc(1, statistic)) if var_sum > 0 else np.nan
    r_sum = float((a * t[:, 1, 0] / n).sum())
    s_sum = float((t[:, 0, 0] * t[:, 1, 1] / n).sum())
    if s_sum > 0:
        odds_ratio = r_sum / s_sum
    else:
        odds_ratio = np.inf if r_sum > 0 else np.nan
    return CMHTestResult(statistic, pvalue, odds_ratio, bool(correction), int(t.shape[0]), t)
