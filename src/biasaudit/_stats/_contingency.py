"""Test of independence in an r x K table: are the K classes shared alike by the r groups?"""

from __future__ import annotations

import numpy as np
from scipy.special import chdtrc

from .._validation import _check_option
from ._omnibus import IndependenceTestResult, pearson_or_g

__all__ = ["contingency_test"]


def _pearson(tables, expected):
    """Pearson's X^2 of each table (last two axes)."""
    return ((tables - expected) ** 2 / expected).sum(axis=(-2, -1))


def contingency_test(table, *, method="chi2", n_resamples=9999, rng=None) -> IndependenceTestResult:
    """Pearson, G or Monte Carlo test of independence of rows and columns of an r x K table.

    Empty rows and columns are dropped first; with fewer than two of either the result is
    NaN. The Monte Carlo test conditions on both margins (``scipy.stats.random_table``,
    the table rounded to integers) and reports ``(k + 1) / (B + 1)``.

    Examples
    --------
    >>> res = contingency_test([[30, 50, 20], [45, 40, 15]])
    >>> print(round(res.statistic, 3), res.dof, round(res.pvalue, 4))
    4.825 2 0.0896
    """
    method = _check_option(method, "method", {"chi2", "g", "monte-carlo"}, caller="contingency_test")
    table = np.asarray(table, dtype=np.float64)
    if method == "monte-carlo":
        table = np.rint(table)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0] if table.size else table
    if table.ndim != 2 or min(table.shape) < 2:
        return IndependenceTestResult(np.nan, np.nan, 0, method, None, np.nan)
    dof = (table.shape[0] - 1) * (table.shape[1] - 1)
    if method in ("chi2", "g"):
        statistic, pvalue = pearson_or_g(table, dof, g=method == "g")
        return IndependenceTestResult(statistic, pvalue, dof, method, None, pvalue)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    expected = np.outer(rows, cols) / rows.sum()
    observed = float(_pearson(table, expected))
    threshold = observed - 1e-9 * max(abs(observed), 1.0)
    from scipy import stats  # imported when needed: scipy.stats alone costs ~0.35 s to import

    sampler = stats.random_table(rows.astype(np.int64), cols.astype(np.int64))
    generator = np.random.default_rng(rng)
    k = 0
    batch = max(1, 2_000_000 // table.size)
    for start in range(0, n_resamples, batch):
        draws = sampler.rvs(min(batch, n_resamples - start), random_state=generator)
        k += int((_pearson(draws, expected) >= threshold).sum())
    asymptotic = float(chdtrc(dof, observed))
    return IndependenceTestResult(observed, (k + 1) / (n_resamples + 1), dof, method, n_resamples, asymptotic)
