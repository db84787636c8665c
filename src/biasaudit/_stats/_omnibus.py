"""Omnibus test that every group of an attribute has the same rate: an r x 2 independence test.

Three ways to a p-value: Pearson's chi-square and the likelihood-ratio G test on r - 1
degrees of freedom, and the exact conditional test by Monte Carlo, which draws tables
with both margins fixed. ``"auto"`` chooses between chi-square and Monte Carlo by
Cochran's rule. Whatever the method, the asymptotic chi-square p-value of the reported
statistic is returned beside the p-value, so a Monte Carlo p-value at its floor
(``1 / (B + 1)``: no drawn table was as extreme) never hides how extreme the table is.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
from scipy.special import chdtrc, xlogy

from .._validation import _check_option
from ..exceptions import InvalidParameterError
from ._intervals import _as_counts

__all__ = ["IndependenceTestResult", "cochran_rule", "independence_test"]

# A first Monte Carlo stage with fewer exceedances than this is followed by a second one
# of max_resamples draws (see independence_test for why the result stays a valid p-value).
_ENOUGH = 10
# Largest number of drawn cells held in memory at once.
_BATCH_CELLS = 2_000_000


def pearson_or_g(table: np.ndarray, dof: int, *, g: bool = False) -> tuple[float, float]:
    """(statistic, asymptotic p-value) of Pearson's X^2 or the G statistic of independence.

    The same figures as ``scipy.stats.chi2_contingency(table, correction=False)`` (with
    ``lambda_="log-likelihood"`` for G), written out so that an audit need not import
    ``scipy.stats`` (about 0.35 s) for two sums. ``table`` has no empty row or column.
    """
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    expected = np.outer(rows, cols) / rows.sum()
    if g:
        statistic = float(2.0 * xlogy(table, table / expected).sum())
    else:
        statistic = float(((table - expected) ** 2 / expected).sum())
    return statistic, float(chdtrc(dof, statistic))


@dataclass(frozen=True)
class IndependenceTestResult:
    """Result of :func:`independence_test`.

    Attributes
    ----------
    statistic : float
        Pearson chi-square (``"chi2"``, ``"monte-carlo"``) or G statistic (``"g"``).
    pvalue : float
        Asymptotic chi-square p-value, or the Monte Carlo ``(k + 1) / (B + 1)``.
    dof : int
        Degrees of freedom, number of non-empty groups minus 1.
    method : str
        The method used: ``"chi2"``, ``"g"`` or ``"monte-carlo"`` (``"auto"`` resolved).
    n_resamples : int or None
        Number of drawn tables ``B`` behind ``pvalue``, None for the asymptotic methods.
    pvalue_asymptotic : float
        Upper chi-square(``dof``) tail probability of ``statistic``; equal to
        ``pvalue`` for ``"chi2"`` and ``"g"``.
    """

    statistic: float
    pvalue: float
    dof: int
    method: str
    n_resamples: int | None = None
    pvalue_asymptotic: float = np.nan

    @property
    def at_floor(self) -> bool:
        """Whether a Monte Carlo p-value is its smallest possible value: no draw was as extreme.

        Examples
        --------
        >>> independence_test([[90, 10], [10, 90]], method="monte-carlo", n_resamples=99, rng=0).at_floor
        True
        """
        return self.n_resamples is not None and self.pvalue <= 1 / (self.n_resamples + 1) * (1 + 1e-12)


def cochran_rule(table) -> bool:
    """Whether the chi-square approximation is adequate for a table, by Cochran's rule.

    Parameters
    ----------
    table : array-like of shape (r, c)
        Counts >= 0.

    Returns
    -------
    bool
        True when every expected count under independence (rows and columns of total 0
        left out) is at least 1 and at most 20% of them are below 5.

    References
    ----------
    .. [1] Cochran, W. G. (1954). Some methods for strengthening the common chi-square
       tests. Biometrics 10, 417-451.
    .. [2] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., section 3.5.

    Examples
    --------
    >>> cochran_rule([[3175, 2000], [2103, 1800], [11, 9]])
    True
    >>> cochran_rule([[30, 1], [40, 2], [3, 0]])
    False
    """
    t = np.asarray(table, dtype=np.float64)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.size == 0:
        return False
    expected = np.outer(t.sum(axis=1), t.sum(axis=0)) / t.sum()
    return bool(expected.min() >= 1 and (expected < 5).mean() <= 0.2)


def _check_draws(value, name, caller):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        msg = f"{caller}(): `{name}` must be an integer >= 1; got {value!r}."
        raise InvalidParameterError(msg)
    return int(value)


def independence_test(table, *, method="chi2", n_resamples=9999, rng=None, max_resamples=None):
    """Test independence of group and outcome in an r x 2 table.

    Parameters
    ----------
    table : array-like of shape (r, 2)
        Counts, one row per group, columns ``[negative, positive]`` outcome (any
        consistent column order gives the same result).
    method : {"chi2", "g", "monte-carlo", "auto"}, default="chi2"
        Pearson's chi-square test (no Yates correction), the likelihood-ratio G test,
        the exact conditional test by Monte Carlo, or ``"auto"``: chi-square where
        :func:`cochran_rule` holds and Monte Carlo elsewhere.
    n_resamples : int, default=9999
        Number of tables drawn for Monte Carlo; ignored otherwise.
    rng : None, int, numpy.random.SeedSequence or numpy.random.Generator, default=None
        Source of randomness for Monte Carlo, through ``np.random.default_rng``.
    max_resamples : int or None, default=None
        If given (and larger than ``n_resamples``), a Monte Carlo test whose first
        ``n_resamples`` draws give fewer than 10 tables as extreme as the observed one
        is redone with ``max_resamples`` fresh draws, so that a very small p-value is
        resolved down to ``1 / (max_resamples + 1)`` at the cost of extra draws only
        where it is that small.

    Returns
    -------
    IndependenceTestResult
        With the asymptotic chi-square p-value of the statistic in
        ``pvalue_asymptotic`` whatever the method.

    Raises
    ------
    InvalidParameterError
        If ``table`` is not an r x 2 table of counts >= 0, or an option is invalid.

    Notes
    -----
    H0: the outcome rate is the same in every group. Rows with a total of zero (empty
    groups) are dropped first. With fewer than two non-empty rows, or an outcome column
    of total zero (every row has the same rate, 0 or 1), the statistic and p-values are
    NaN.

    ``"chi2"`` and ``"g"`` use :func:`scipy.stats.chi2_contingency` with
    ``correction=False`` (the G test with ``lambda_="log-likelihood"``), on ``r - 1``
    degrees of freedom; non-integer (effective) counts are used as they are.

    Monte Carlo conditions on both margins. Given them, the positive column is a
    multivariate hypergeometric draw (the row totals are the urn's colours, the column
    total the sample size), drawn with numpy's
    ``Generator.multivariate_hypergeometric``; the reported p-value is
    ``(k + 1) / (B + 1)`` [2]_, where ``k`` counts the ``B`` drawn tables whose Pearson
    chi-square is at least the observed one, up to a relative tolerance of 1e-9. The
    table is rounded to integers first (halves to even) and the observed statistic is
    that of the rounded table. The columns are put in a fixed order (smaller total
    first) before drawing, so a table and its column-swapped copy (PPV and FDR, say) get
    the same p-value from the same seed.

    With ``max_resamples``, the test is two-stage: if ``k < 10`` after ``n_resamples``
    draws, the p-value is ``(k' + 1) / (max_resamples + 1)`` from ``max_resamples``
    fresh draws. This is still a valid p-value: the second stage only runs when the
    first stage's p-value is already at most ``10 / (B + 1)``, so for a level
    ``α <= 10 / (B + 1)`` only the second, valid p-value can reject, and for a larger
    ``α`` the two-stage test rejects at most where the first stage does.

    A Monte Carlo p-value cannot go below ``1 / (B + 1)`` (see
    :attr:`IndependenceTestResult.at_floor`): next to a table so extreme that no draw
    reaches it, ``pvalue_asymptotic`` says how far beyond the floor it lies.

    References
    ----------
    .. [1] Agresti, A. (2013). Categorical Data Analysis, 3rd ed., section 3.5.
    .. [2] Phipson, B. and Smyth, G. K. (2010). Permutation p-values should never be
       zero. Statistical Applications in Genetics and Molecular Biology 9(1).

    Examples
    --------
    >>> res = independence_test([[70, 30], [55, 45], [60, 40]])
    >>> print(round(res.statistic, 3), round(res.pvalue, 4), res.dof)
    4.935 0.0848 2
    >>> res = independence_test([[70, 30], [55, 45], [60, 40]], method="monte-carlo",
    ...                         n_resamples=999, rng=0)
    >>> print(round(res.statistic, 3), res.n_resamples, round(res.pvalue_asymptotic, 4))
    4.935 999 0.0848
    """
    caller = "independence_test"
    method = _check_option(method, "method", {"chi2", "g", "monte-carlo", "auto"}, caller=caller)
    (table,) = _as_counts(caller, table=table)
    if table.ndim != 2 or table.shape[1] != 2:
        msg = f"{caller}(): `table` must have shape (r, 2); got shape {table.shape}."
        raise InvalidParameterError(msg)
    if np.isnan(table).any():
        msg = f"{caller}(): `table` must not contain NaN."
        raise InvalidParameterError(msg)
    if method in ("monte-carlo", "auto"):
        n_resamples = _check_draws(n_resamples, "n_resamples", caller)
        if max_resamples is not None:
            max_resamples = _check_draws(max_resamples, "max_resamples", caller)
    if method == "auto":
        method = "chi2" if cochran_rule(table) else "monte-carlo"
    if method == "monte-carlo":
        table = np.rint(table)
    table = table[table.sum(axis=1) > 0]
    dof = max(table.shape[0] - 1, 0)
    resamples = n_resamples if method == "monte-carlo" else None
    if table.shape[0] < 2 or not (table.sum(axis=0) > 0).all():
        return IndependenceTestResult(np.nan, np.nan, dof, method, resamples, np.nan)
    if method in ("chi2", "g"):
        statistic, pvalue = pearson_or_g(table, dof, g=method == "g")
        return IndependenceTestResult(statistic, pvalue, dof, method, None, pvalue)
    if table[:, 1].sum() > table[:, 0].sum():
        table = table[:, ::-1]  # smaller column first: the draws do not depend on the column order
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    total = rows.sum()
    expected = rows * cols[0] / total
    # Pearson's X^2 of an r x 2 table with fixed margins, from its first column alone
    weights = total * total / (rows * cols[0] * cols[1])
    observed = float(((table[:, 0] - expected) ** 2 * weights).sum())
    threshold = observed - 1e-9 * max(abs(observed), 1.0)
    generator = np.random.default_rng(rng)
    # Groups of one person are exchangeable: given how many of them fall in the first column,
    # their share of X^2 is fixed (k at 1 and the others at 0), so they are drawn as one colour
    # and X^2 is the same law at a fraction of the draws (a sparse intersection is mostly such
    # groups; one of all single people has a constant X^2 and a p-value of 1).
    single = rows == 1
    n_single = int(single.sum()) if single.sum() >= 2 else 0
    kept = ~single if n_single else np.ones(len(rows), dtype=bool)
    colours = np.append(rows[kept], [n_single] if n_single else []).astype(np.int64)
    e1, w1 = cols[0] / total, total * total / (cols[0] * cols[1])

    def statistic(first):
        x2 = ((first[:, : kept.sum()] - expected[kept]) ** 2) @ weights[kept]
        if n_single:
            k = first[:, -1]
            x2 = x2 + w1 * (k * (1.0 - e1) ** 2 + (n_single - k) * e1 ** 2)
        return x2

    def exceedances(draws):
        batch = max(1, _BATCH_CELLS // colours.size)
        k, done = 0, 0
        while done < draws:
            size = min(batch, draws - done)
            first = generator.multivariate_hypergeometric(colours, int(cols[0]), size=size, method="marginals")
            k += int((statistic(first) >= threshold).sum())
            done += size
        return k

    k = exceedances(n_resamples)
    if max_resamples is not None and max_resamples > n_resamples and k < _ENOUGH:
        resamples = max_resamples
        k = exceedances(max_resamples)
    asymptotic = float(chdtrc(dof, observed))
    return IndependenceTestResult(observed, (k + 1) / (resamples + 1), dof, method, resamples, asymptotic)
