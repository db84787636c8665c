"""Tests of biasaudit._stats._tests against statsmodels and scipy oracles."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.proportion import test_proportions_2indep as sm_test_proportions_2indep

from biasaudit._stats import (
    CMHTestResult,
    cmh_test,
    independence_test,
    two_proportion_test,
)
from biasaudit.exceptions import InvalidParameterError

SM_ALTERNATIVE = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}
PAIRS = [(30, 100, 45, 100), (120, 400, 95, 250), (55, 60, 40, 50), (18.4, 60.2, 25.9, 70.7)]


# --- two proportions ------------------------------------------------------------------


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("pair", PAIRS)
def test_score_test_matches_statsmodels(pair, alternative):
    res = two_proportion_test(*pair, alternative=alternative, method="score")
    ref = sm_test_proportions_2indep(*pair, method="score", correction=False, alternative=SM_ALTERNATIVE[alternative])
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.method == "score" and res.alternative == alternative


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("pair", [(2, 10, 6, 10), (0, 7, 5, 9), (9, 9, 1, 12), (30, 100, 45, 100)])
def test_fisher_matches_scipy_and_statistic_stays_the_score_z(pair, alternative):
    x1, n1, x2, n2 = pair
    res = two_proportion_test(*pair, alternative=alternative, method="fisher")
    ref = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative=alternative)
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
    assert res.method == "fisher"
    score = two_proportion_test(*pair, method="score")
    assert res.statistic == score.statistic


def test_auto_uses_fisher_exactly_where_an_expected_count_is_below_5():
    x1 = np.array([30, 2, 3, 95])
    n1 = np.array([100, 10, 20, 100])
    x2 = np.array([45, 6, 4, 90])
    n2 = np.array([100, 10, 20, 100])
    res = two_proportion_test(x1, n1, x2, n2)
    # pooled 0.375, 0.4, 0.175 (20 * 0.175 = 3.5 < 5), 0.925 (100 * 0.075 = 7.5 >= 5)
    assert res.method.tolist() == ["score", "fisher", "fisher", "score"]
    fisher = two_proportion_test(x1, n1, x2, n2, method="fisher")
    score = two_proportion_test(x1, n1, x2, n2, method="score")
    np.testing.assert_array_equal(res.pvalue, np.where(res.method == "fisher", fisher.pvalue, score.pvalue))
    np.testing.assert_array_equal(res.statistic, score.statistic)


def test_fisher_rounds_effective_counts():
    res = two_proportion_test(2.4, 9.6, 6.5, 10.2, method="fisher")
    ref = stats.fisher_exact([[2, 8], [6, 4]])  # rint: 2.4 -> 2, 9.6 -> 10, 6.5 -> 6, 10.2 -> 10
    assert res.pvalue == pytest.approx(ref.pvalue)


def test_degenerate_inputs():
    res = two_proportion_test([0, 5, 0, 0], [10, 5, 0, 2], [0, 8, 2, 0], [12, 8, 4, 0])
    # no successes anywhere / all successes: the score z is undefined; auto goes to Fisher, p = 1
    assert np.all(np.isnan(res.statistic))
    np.testing.assert_array_equal(res.pvalue[:2], [1.0, 1.0])
    assert np.all(np.isnan(res.pvalue[2:]))
    score = two_proportion_test([0, 5], [10, 5], [0, 8], [12, 8], method="score")
    assert np.all(np.isnan(score.pvalue))


@pytest.mark.parametrize("method", ["auto", "score", "fisher"])
def test_nan_counts_give_nan(method):
    res = two_proportion_test([np.nan, 3], [10, np.nan], 4, 10, method=method)
    assert np.isnan(res.statistic).all() and np.isnan(res.pvalue).all()


def test_direction_of_alternatives():
    lower = two_proportion_test(20, 100, 40, 100, method="score")
    assert lower.statistic < 0
    less = two_proportion_test(20, 100, 40, 100, alternative="less", method="score").pvalue
    greater = two_proportion_test(20, 100, 40, 100, alternative="greater", method="score").pvalue
    assert less < 0.01 < 0.99 < greater
    fisher_less = two_proportion_test(20, 100, 40, 100, alternative="less", method="fisher").pvalue
    assert fisher_less < 0.01


@settings(max_examples=100, deadline=None)
@given(
    n1=st.integers(1, 300), n2=st.integers(1, 300), f1=st.floats(0, 1), f2=st.floats(0, 1),
)
def test_score_pvalues_are_consistent_across_alternatives(n1, n2, f1, f2):
    x1, x2 = round(f1 * n1), round(f2 * n2)
    res = {a: two_proportion_test(x1, n1, x2, n2, alternative=a, method="score") for a in SM_ALTERNATIVE}
    if np.isnan(res["two-sided"].statistic):
        assert x1 + x2 in (0, n1 + n2)
        return
    assert res["less"].pvalue + res["greater"].pvalue == pytest.approx(1)
    assert res["two-sided"].pvalue == pytest.approx(min(1, 2 * min(res["less"].pvalue, res["greater"].pvalue)))


def test_two_proportion_test_rejects_bad_options():
    with pytest.raises(InvalidParameterError, match=r"two_proportion_test\(\): `alternative` must be one of .*'two_sided'.*did you mean 'two-sided'"):
        two_proportion_test(1, 2, 1, 2, alternative="two_sided")
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of \['auto', 'fisher', 'score'\]"):
        two_proportion_test(1, 2, 1, 2, method="exact")


@pytest.mark.slow
def test_score_pvalues_are_uniform_under_h0():
    # unequal sizes: with n1 == n2 the statistic lives on a coarse lattice and the KS test
    # detects the discreteness rather than a miscalibration
    for seed, (n1, n2, p) in enumerate([(400, 600, 0.3), (333, 517, 0.4), (800, 1300, 0.2)]):
        rng = np.random.default_rng(seed)
        x1, x2 = rng.binomial(n1, p, 4000), rng.binomial(n2, p, 4000)
        for alternative in ("two-sided", "greater"):
            pvalues = two_proportion_test(x1, n1, x2, n2, alternative=alternative, method="score").pvalue
            assert stats.kstest(pvalues, "uniform").pvalue > 0.01, (n1, n2, p, alternative)


# --- independence ---------------------------------------------------------------------

TABLES = [
    [[70, 30], [55, 45], [60, 40]],
    [[5, 3], [2, 9], [7, 7], [10, 1]],
    [[12.5, 3.25], [8.0, 9.75]],
]


@pytest.mark.parametrize("table", TABLES)
def test_chi2_and_g_match_scipy(table):
    for method, lambda_ in (("chi2", None), ("g", "log-likelihood")):
        res = independence_test(table, method=method)
        ref = stats.chi2_contingency(table, correction=False, lambda_=lambda_)
        assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
        assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-12)
        assert res.dof == ref.dof and res.method == method and res.n_resamples is None


def test_chi2_of_two_rows_is_the_squared_score_z():
    res = independence_test([[70, 30], [55, 45]])
    z = two_proportion_test(30, 100, 45, 100, method="score")
    assert res.statistic == pytest.approx(z.statistic**2) and res.pvalue == pytest.approx(z.pvalue)


def test_empty_rows_are_dropped_and_degenerate_tables_give_nan():
    with_empty = independence_test([[70, 30], [0, 0], [55, 45]])
    without = independence_test([[70, 30], [55, 45]])
    assert with_empty == without
    for table in ([[10, 0], [20, 0]], [[10, 5], [0, 0]]):
        res = independence_test(table)
        assert np.isnan(res.statistic) and np.isnan(res.pvalue)


def _exact_conditional_pvalue_2x2(table):
    """Exact p of the Pearson-ordered conditional test, by enumerating the hypergeometric."""
    (a, b), (c, d) = table
    r1, c1, n = a + b, a + c, a + b + c + d
    support = np.arange(max(0, r1 + c1 - n), min(r1, c1) + 1)
    tables = np.stack([np.stack([support, r1 - support], -1), np.stack([c1 - support, n - r1 - c1 + support], -1)], 1)
    expected = np.outer([r1, n - r1], [c1, n - c1]) / n
    stat = ((tables - expected) ** 2 / expected).sum(axis=(1, 2))
    observed = ((np.asarray(table) - expected) ** 2 / expected).sum()
    pmf = stats.hypergeom.pmf(support, n, c1, r1)
    return pmf[stat >= observed * (1 - 1e-9)].sum()


@pytest.mark.parametrize("table", [[[8, 2], [3, 9]], [[3, 12], [7, 6]], [[20, 5], [14, 11]]])
def test_monte_carlo_matches_exact_enumeration(table):
    res = independence_test(table, method="monte-carlo", n_resamples=9999, rng=42)
    exact = _exact_conditional_pvalue_2x2(table)
    assert res.pvalue == pytest.approx(exact, abs=0.015)
    assert res.method == "monte-carlo" and res.n_resamples == 9999 and res.dof == 1
    assert res.statistic == pytest.approx(stats.chi2_contingency(table, correction=False).statistic)


def test_monte_carlo_is_reproducible_and_never_zero():
    table = [[70, 30], [40, 60], [60, 40]]
    a = independence_test(table, method="monte-carlo", n_resamples=199, rng=np.random.default_rng(7))
    b = independence_test(table, method="monte-carlo", n_resamples=199, rng=7)
    assert a == b
    assert a.pvalue == pytest.approx(1 / 200)  # observed chi2 ~ 18: no draw reaches it


def test_monte_carlo_near_asymptotic_for_large_counts():
    table = [[160, 40], [140, 60], [150, 50], [130, 70]]
    mc = independence_test(table, method="monte-carlo", n_resamples=4999, rng=3)
    asym = independence_test(table)
    assert mc.pvalue == pytest.approx(asym.pvalue, abs=0.02)


def test_independence_test_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match=r"independence_test\(\): `table` must have shape \(r, 2\); got shape \(2, 3\)"):
        independence_test([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(InvalidParameterError, match=r"`n_resamples` must be an integer >= 1; got 0"):
        independence_test([[1, 2], [3, 4]], method="monte-carlo", n_resamples=0)
    with pytest.raises(InvalidParameterError, match=r"`table` must be finite and >= 0"):
        independence_test([[1, -2], [3, 4]])


# --- CMH ------------------------------------------------------------------------------


def _statsmodels_table(tables):
    # ours: [[group_neg, group_pos], [ref_neg, ref_pos]]; statsmodels' odds ratio is
    # t00 t11 / (t01 t10), so swap the columns to make it the odds of a positive outcome
    return StratifiedTable(np.moveaxis(np.asarray(tables, dtype=float)[:, :, ::-1], 0, -1))


CMH_CASES = [
    [[[30, 20], [20, 30]], [[25, 25], [15, 35]]],
    [[[12, 3], [9, 8]], [[40, 10], [30, 20]], [[5, 5], [2, 9]]],
    np.random.default_rng(1).integers(0, 40, size=(6, 2, 2)),
]


@pytest.mark.parametrize("correction", [False, True])
@pytest.mark.parametrize("tables", CMH_CASES)
def test_cmh_matches_statsmodels(tables, correction):
    res = cmh_test(tables, correction=correction)
    ref = _statsmodels_table(tables)
    null = ref.test_null_odds(correction=correction)
    assert res.statistic == pytest.approx(null.statistic, rel=1e-10)
    assert res.pvalue == pytest.approx(null.pvalue, rel=1e-8)
    assert res.odds_ratio == pytest.approx(ref.oddsratio_pooled, rel=1e-12)
    for level in (0.9, 0.95):
        low, high = ref.oddsratio_pooled_confint(alpha=1 - level)
        ci = res.confidence_interval(level)
        assert (ci.low, ci.high) == (pytest.approx(low, rel=1e-10), pytest.approx(high, rel=1e-10))
    assert res.correction is correction and res.n_strata == len(tables)


def test_cmh_orientation_group_with_lower_odds_has_or_below_one():
    res = cmh_test([[[30, 20], [20, 30]], [[25, 25], [15, 35]]])
    assert res.odds_ratio < 1 and res.pvalue < 0.01
    flipped = cmh_test([[[20, 30], [30, 20]], [[15, 35], [25, 25]]])
    assert flipped.odds_ratio == pytest.approx(1 / res.odds_ratio)
    assert flipped.statistic == pytest.approx(res.statistic)


def test_cmh_skips_empty_strata_and_handles_degenerate_input():
    base = [[[12, 3], [9, 8]], [[40, 10], [30, 20]]]
    res = cmh_test([*base, [[0, 0], [0, 0]]])
    ref = cmh_test(base)
    assert (res.statistic, res.odds_ratio, res.n_strata) == (ref.statistic, ref.odds_ratio, 2)
    assert isinstance(res, CMHTestResult)
    empty = cmh_test([[[5, 0], [6, 0]]])  # nobody positive: no information
    assert np.isnan(empty.statistic) and np.isnan(empty.pvalue) and np.isnan(empty.odds_ratio)
    ci = empty.confidence_interval()
    assert np.isnan(ci.low) and np.isnan(ci.high)


def test_cmh_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match=r"cmh_test\(\): `tables` must have shape \(K, 2, 2\); got shape \(2, 2\)"):
        cmh_test([[1, 2], [3, 4]])
    with pytest.raises(InvalidParameterError, match=r"`correction` must be True or False; got 'yes'"):
        cmh_test([[[1, 2], [3, 4]]], correction="yes")
    with pytest.raises(InvalidParameterError, match=r"confidence_interval\(\): `confidence_level` must be in \(0, 1\)"):
        cmh_test([[[1, 2], [3, 4]]]).confidence_interval(1.5)
