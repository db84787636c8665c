"""Tests of biasaudit._stats._power against statsmodels oracles."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import ndtri
from statsmodels.stats.power import NormalIndPower, normal_power_het
from statsmodels.stats.proportion import power_proportions_2indep, tost_proportions_2indep

from biasaudit._stats import (
    difference_interval,
    equivalence_test,
    minimum_detectable_difference,
    shortfall_to_ratio,
    two_proportion_power,
)
from biasaudit._stats._power import tolerance_power
from biasaudit.exceptions import InvalidParameterError

SM_ALTERNATIVE = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}
CASES = [(0.3, 0.45, 100, 100), (0.12, 0.08, 250, 900), (0.5, 0.47, 40, 2000), (0.9, 0.95, 300, 120)]


def _unpooled_oracle(p1, p2, n1, n2, alpha, alternative):
    # normal_power_het with std_null == std_alternative == the unpooled per-n1 sd is
    # exactly the unpooled normal approximation
    sd = np.sqrt(n1 * (p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2))
    return normal_power_het(p1 - p2, n1, alpha, std_null=sd, std_alternative=sd, alternative=SM_ALTERNATIVE[alternative])


def _oracle_power(p1, p2, n1, n2, alpha, alternative):
    # statsmodels' power of the z test with the pooled variance under H0 (Fleiss et al.)
    return power_proportions_2indep(p1 - p2, p2, n1, ratio=n2 / n1, alpha=alpha,
                                    alternative=SM_ALTERNATIVE[alternative], return_results=False)


def _exact_score_power(p1, p2, n1, n2, alpha=0.05, alternative="two-sided"):
    """Exact power of the pooled score test: the two binomials' joint pmf over its rejection region."""
    x1, x2 = np.arange(n1 + 1)[:, None], np.arange(n2 + 1)[None, :]
    pooled = (x1 + x2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    z = np.where(var > 0, (x1 / n1 - x2 / n2) / np.sqrt(np.where(var > 0, var, 1.0)), 0.0)  # no variance: no test
    if alternative == "two-sided":
        reject = np.abs(z) >= -ndtri(alpha / 2)
    else:
        reject = (z if alternative == "greater" else -z) >= -ndtri(alpha)
    joint = stats.binom.pmf(x1, n1, p1) * stats.binom.pmf(x2, n2, p2)
    return float((joint * reject).sum())


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("case", CASES)
def test_power_matches_statsmodels(case, alternative):
    for alpha in (0.01, 0.05):
        got = two_proportion_power(*case, alpha=alpha, alternative=alternative)
        assert got == pytest.approx(_oracle_power(*case, alpha, alternative), rel=1e-10, abs=1e-15)
        unpooled = two_proportion_power(*case, alpha=alpha, alternative=alternative, null_variance="unpooled")
        assert unpooled == pytest.approx(_unpooled_oracle(*case, alpha, alternative), rel=1e-10, abs=1e-15)


def test_exact_enumeration_reproduces_the_figures_of_the_issue():
    # group 200 at 10% against 5,000 at 5%; group 50 at 5% against 2,000 at 10%
    assert _exact_score_power(0.10, 0.05, 200, 5000) == pytest.approx(0.806, abs=5e-4)
    assert _exact_score_power(0.05, 0.10, 50, 2000) == pytest.approx(0.121, abs=5e-4)
    assert two_proportion_power(0.10, 0.05, 200, 5000, null_variance="unpooled") == pytest.approx(0.645, abs=5e-4)
    assert two_proportion_power(0.05, 0.10, 50, 2000, null_variance="unpooled") == pytest.approx(0.354, abs=5e-4)


EXACT_CASES = [(0.10, 0.05, 200, 5000), (0.05, 0.10, 50, 2000), (0.05, 0.10, 200, 5000), (0.10, 0.05, 50, 2000),
               (0.3, 0.45, 100, 100), (0.2, 0.3, 40, 400), (0.6, 0.5, 150, 60), (0.15, 0.08, 120, 3000),
               (0.5, 0.4, 500, 80), (0.02, 0.06, 300, 1500)]


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("case", EXACT_CASES)
def test_pooled_power_is_within_0025_of_exact_and_closer_than_unpooled(case, alternative):
    p1, p2 = case[:2]
    if {"greater": p1 < p2, "less": p1 > p2}.get(alternative, False):
        return  # power against the untested direction is ~0 for every formula
    exact = _exact_score_power(*case, alternative=alternative)
    pooled = two_proportion_power(*case, alternative=alternative)
    unpooled = two_proportion_power(*case, alternative=alternative, null_variance="unpooled")
    assert abs(pooled - exact) < 0.025, (pooled, exact)
    assert abs(pooled - exact) <= abs(unpooled - exact)


def test_power_matches_normal_ind_power_when_variances_are_equal():
    # p(1-p) is the same at 0.4 and 0.6, so the unpooled test is NormalIndPower's
    p1, p2, n1, n2 = 0.4, 0.6, 80, 120
    es = (p1 - p2) / np.sqrt(p1 * (1 - p1))
    ref = NormalIndPower().power(effect_size=es, nobs1=n1, alpha=0.05, ratio=n2 / n1, alternative="two-sided")
    assert two_proportion_power(p1, p2, n1, n2, null_variance="unpooled") == pytest.approx(ref, rel=1e-10)


def test_power_edge_cases_and_vectorisation():
    out = two_proportion_power([0.3, 0.3, 0.0, 0.0, 0.0], 0.3, [100, 0, 10, 10, 10], [100, 5, 10, 10, 10])
    assert out[0] == pytest.approx(0.05) and np.isnan(out[1])
    out = two_proportion_power([0.0, 0.0], [0.0, 1.0], 10, 10)
    np.testing.assert_allclose(out, [0.05, 1.0])  # no variance: alpha if equal, sure detection if not
    assert two_proportion_power(0.2, 0.5, 50, 50, alternative="greater") < 0.01
    # one row each: |z| is at most sqrt(2) < 1.96, so the test never rejects (limit of the formula)
    assert two_proportion_power(1.0, 0.0, 1, 1) == 0.0


def test_tolerance_power_follows_the_alternative():
    # 200,000 rows a side: a one-sided test has all the power it needs in its direction,
    # and the power against the other direction (near 0) is not what it is asked for
    n = 200_000
    for alternative, sign in (("less", -1), ("greater", 1)):
        got = tolerance_power(0.3, n, n, tolerance=0.05, alternative=alternative)
        assert got == pytest.approx(two_proportion_power(0.3 + sign * 0.05, 0.3, n, n, alternative=alternative))
        assert got > 0.999
        assert two_proportion_power(0.3 - sign * 0.05, 0.3, n, n, alternative=alternative) < 1e-6
    two = tolerance_power([0.3, 0.3], [300, 1000], [300, 800], tolerance=0.05)
    up = two_proportion_power(0.35, 0.3, [300, 1000], [300, 800])
    down = two_proportion_power(0.25, 0.3, [300, 1000], [300, 800])
    np.testing.assert_allclose(two, np.fmin(up, down), rtol=1e-14)


def test_tolerance_power_leaves_out_gaps_that_cannot_occur():
    # reference at 0.02: no group rate 0.05 below it; two-sided uses the upward gap only
    got = tolerance_power(0.02, 5000, 5000, tolerance=0.05)
    assert got == pytest.approx(two_proportion_power(0.07, 0.02, 5000, 5000), rel=1e-14)
    # reference at 0 (a perfect rate): large groups are not "underpowered" because of the empty side
    assert tolerance_power(0.0, 5000, 5000, tolerance=0.05) > 0.999
    # one-sided with no room: the largest possible gap
    assert tolerance_power(0.98, 500, 500, tolerance=0.05, alternative="greater") == pytest.approx(
        two_proportion_power(1.0, 0.98, 500, 500, alternative="greater"))
    out = tolerance_power([np.nan, 0.5], [10, 0], 10, tolerance=0.05)
    assert np.isnan(out).all()
    with pytest.raises(InvalidParameterError, match=r"tolerance_power\(\): `tolerance` must be in \(0, 1\]; got \[0.0\]"):
        tolerance_power(0.5, 10, 10, tolerance=0)


def test_power_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match=r"two_proportion_power\(\): `p1` must be in \[0, 1\]"):
        two_proportion_power(1.2, 0.5, 10, 10)
    with pytest.raises(InvalidParameterError, match=r"`alpha` must be in \(0, 1\); got 0"):
        two_proportion_power(0.2, 0.5, 10, 10, alpha=0)


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_minimum_detectable_difference_round_trips_through_the_oracle(alternative):
    p_ref = np.array([0.1, 0.3, 0.5, 0.8])
    n1, n2 = np.array([200, 80, 1000, 150]), np.array([1000, 400, 1000, 60])
    d = minimum_detectable_difference(p_ref, n1, n2, power=0.8, alternative=alternative)
    assert np.all(d > 0)
    for i in range(p_ref.size):
        signs = {"greater": [1], "less": [-1], "two-sided": [1, -1]}[alternative]
        powers = [_oracle_power(p_ref[i] + s * d[i], p_ref[i], n1[i], n2[i], 0.05, alternative) for s in signs
                  if 0 <= p_ref[i] + s * d[i] <= 1]
        assert max(powers) == pytest.approx(0.8, abs=1e-8)


@pytest.mark.parametrize("case", [(0.05, 200, 5000, "greater"), (0.10, 50, 2000, "less"), (0.3, 150, 60, "greater"),
                                  (0.1, 200, 5000, "less"), (0.05, 50, 2000, "greater")])
def test_minimum_detectable_difference_has_about_the_target_exact_power(case):
    # The difference found with the pooled formula has an exact power of 0.795 to 0.832
    # in these unbalanced cases; with the unpooled formula it was 0.49 to 0.94.
    p_ref, n1, n2, direction = case
    d = minimum_detectable_difference(p_ref, n1, n2, power=0.8, alternative=direction)
    p1 = p_ref + d if direction == "greater" else p_ref - d
    assert two_proportion_power(p1, p_ref, n1, n2, alternative=direction) == pytest.approx(0.8, abs=1e-9)
    assert _exact_score_power(p1, p_ref, n1, n2, alternative=direction) == pytest.approx(0.8, abs=0.035)
    two = minimum_detectable_difference(p_ref, n1, n2, power=0.8)
    powers = [_exact_score_power(p, p_ref, n1, n2) for p in (p_ref - two, p_ref + two) if 0 <= p <= 1]
    assert max(powers) == pytest.approx(0.8, abs=0.035)


def test_minimum_detectable_difference_edges():
    # infeasible: at p_ref = 0.01 there is no room below; tiny groups cannot reach the power
    assert np.isnan(minimum_detectable_difference(0.01, 5, 5, alternative="less"))
    assert np.isnan(minimum_detectable_difference(0.5, 0, 100))
    assert minimum_detectable_difference(0.5, 10, 10, power=0.04) == 0.0
    # two-sided returns the smaller direction: near 0 the downward side is infeasible
    two = minimum_detectable_difference(0.02, 300, 300)
    up = minimum_detectable_difference(0.02, 300, 300, alternative="greater", alpha=0.025)
    assert two == pytest.approx(up, rel=1e-3)


@pytest.mark.parametrize("pair", [(400, 1000, 410, 1000), (30, 100, 45, 100), (5.5, 20.25, 9, 31), (99, 100, 95, 100)])
@pytest.mark.parametrize("margin", [0.03, 0.1])
def test_equivalence_test_matches_statsmodels_tost(pair, margin):
    res = equivalence_test(*pair, margin=margin)
    ref = tost_proportions_2indep(*pair, -margin, margin, method="wald")
    assert res.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert res.pvalue_lower == pytest.approx(ref.results_larger.pvalue, rel=1e-10)
    assert res.pvalue_upper == pytest.approx(ref.results_smaller.pvalue, rel=1e-10)
    assert res.statistic_lower == pytest.approx(ref.results_larger.statistic, rel=1e-10)


def test_equivalence_needs_variance():
    res = equivalence_test([0, 4, 0], [3, 4, 0], [0, 4, 1], [5, 4, 2], margin=0.05)
    assert np.all(np.isnan(res.pvalue))  # all-zero rates, all-one rates, empty group


def test_equivalence_rejects_bad_margin():
    with pytest.raises(InvalidParameterError, match=r"equivalence_test\(\): `margin` must be > 0; got \[0.0\]"):
        equivalence_test(1, 2, 1, 2, margin=0)


@settings(max_examples=100, deadline=None)
@given(n1=st.integers(5, 400), n2=st.integers(5, 400), f1=st.floats(0.02, 0.98), f2=st.floats(0.02, 0.98),
       margin=st.floats(0.01, 0.3))
def test_tost_is_dual_to_the_wald_interval(n1, n2, f1, f2, margin):
    x1, x2 = round(f1 * n1), round(f2 * n2)
    res = equivalence_test(x1, n1, x2, n2, margin=margin)
    if np.isnan(res.pvalue):
        return
    ci = difference_interval(x1, n1, x2, n2, confidence_level=0.9, method="wald")
    inside = -margin < ci.low and ci.high < margin
    if abs(res.pvalue - 0.05) > 1e-9:
        assert (res.pvalue < 0.05) == inside


def test_shortfall_examples():
    got = shortfall_to_ratio([20, 40, 0, 4, 30], [100, 100, 0, 10, 50], [0.5, 0.5, 0.5, 0.5, np.nan])
    np.testing.assert_array_equal(got[:4], [20, 0, np.nan, 0])  # 0.8 * 0.5 * 10 == 4 despite rounding
    assert np.isnan(got[4])
    assert shortfall_to_ratio(3, 10, 0.9, threshold=1.0) == 6


@settings(max_examples=100, deadline=None)
@given(n=st.integers(1, 500), f=st.floats(0, 1), best=st.floats(0, 1), threshold=st.floats(0.05, 1))
def test_shortfall_is_the_smallest_sufficient_count(n, f, best, threshold):
    x = round(f * n)
    k = shortfall_to_ratio(x, n, best, threshold=threshold)
    assert k >= 0 and k == int(k)
    target = threshold * best
    assert (x + k) / n >= target - 1e-9
    if k > 0:
        assert (x + k - 1) / n < target


def test_shortfall_rejects_bad_threshold():
    with pytest.raises(InvalidParameterError, match=r"shortfall_to_ratio\(\): `threshold` must be in \(0, 1\]; got 1.25"):
        shortfall_to_ratio(1, 10, 0.5, threshold=1.25)
