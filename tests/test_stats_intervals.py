"""Tests of biasaudit._stats._intervals against statsmodels and scipy oracles."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    test_proportions_2indep as sm_test_proportions_2indep,
)

from biasaudit._stats import (
    ConfidenceInterval,
    two_proportion_test,
    difference_interval,
    effective_counts,
    proportion_interval,
    ratio_interval,
)
from biasaudit.datasets import load_compas
from biasaudit.exceptions import InvalidParameterError

# every (x, n) with 0 <= x <= n for a few small and moderate n
GRID = np.array([(x, n) for n in (1, 2, 5, 13, 40, 101) for x in range(n + 1)], dtype=float)
X, N = GRID[:, 0], GRID[:, 1]


def counts(max_n=200):
    """Hypothesis strategy of (x, n) with real x in [0, n] and n > 0 (x = 0 or x/n >= 1e-6)."""
    fraction = st.one_of(st.just(0.0), st.just(1.0), st.floats(1e-6, 1))
    return st.floats(0.5, max_n).flatmap(lambda n: st.tuples(fraction.map(lambda f: f * n), st.just(n)))


# --- one proportion -------------------------------------------------------------------


@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
@pytest.mark.parametrize("method, sm_method", [("wilson", "wilson"), ("clopper-pearson", "beta"), ("exact", "beta")])
def test_proportion_interval_matches_statsmodels(method, sm_method, level):
    ci = proportion_interval(X, N, confidence_level=level, method=method)
    low, high = proportion_confint(X, N, alpha=1 - level, method=sm_method)
    np.testing.assert_allclose(ci.low, low, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ci.high, high, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("level", [0.9, 0.95])
def test_jeffreys_matches_statsmodels_inside_and_uses_boundary_convention(level):
    ci = proportion_interval(X, N, confidence_level=level, method="jeffreys")
    low, high = proportion_confint(X, N, alpha=1 - level, method="jeffreys")
    inside = (X > 0) & (X < N)
    np.testing.assert_allclose(ci.low[inside], low[inside], rtol=1e-10)
    np.testing.assert_allclose(ci.high[inside], high[inside], rtol=1e-10)
    # statsmodels does not apply the convention; ours: low = 0 at x = 0, high = 1 at x = n
    assert np.all(ci.low[X == 0] == 0) and np.all(ci.high[X == N] == 1)
    np.testing.assert_allclose(ci.high[X == 0], high[X == 0], rtol=1e-10)
    np.testing.assert_allclose(ci.low[X == N], low[X == N], rtol=1e-10)


@pytest.mark.parametrize("method, sm_method", [("wilson", "wilson"), ("exact", "beta"), ("jeffreys", "jeffreys")])
def test_non_integer_counts_use_continuous_formulas(method, sm_method):
    x, n = np.array([0.7, 3.3, 12.25]), np.array([4.1, 9.9, 12.5])
    ci = proportion_interval(x, n, method=method)
    low, high = proportion_confint(x, n, method=sm_method)
    np.testing.assert_allclose(ci.low, low, rtol=1e-10)
    np.testing.assert_allclose(ci.high, high, rtol=1e-10)


@pytest.mark.parametrize("method", ["wilson", "exact", "jeffreys"])
def test_zero_trials_give_nan_and_shapes_broadcast(method):
    ci = proportion_interval([[0, 3], [0, 0]], [[0, 10], [5, 0]], method=method)
    assert ci.low.shape == (2, 2)
    assert np.isnan(ci.low[0, 0]) and np.isnan(ci.high[1, 1])
    assert not np.isnan(ci.low[0, 1]) and ci.low[1, 0] == 0
    scalar = proportion_interval(3, 10, method=method)
    assert isinstance(scalar, ConfidenceInterval) and np.ndim(scalar.low) == 0


@pytest.mark.parametrize("method", ["wilson", "exact", "jeffreys"])
def test_nan_counts_propagate(method):
    ci = proportion_interval([np.nan, 0.0, 3.0], [10.0, np.nan, 10.0], method=method)
    assert np.isnan(ci.low[:2]).all() and np.isnan(ci.high[:2]).all() and not np.isnan(ci.low[2])
    for func, m in ((difference_interval, "newcombe"), (difference_interval, "wald"), (ratio_interval, "katz"), (ratio_interval, "koopman")):
        ci = func([np.nan, 3], 10, 4, [10, np.nan], method=m)
        assert np.isnan(ci.low).all() and np.isnan(ci.high).all()
    x_eff, n_eff = effective_counts([np.nan, 1.0], [4.0, np.nan], [8.0, 2.0])
    assert np.isnan(x_eff).all() and np.isnan(n_eff).all()


def test_wilson_is_dual_to_the_score_test():
    # the Wilson bounds are the p0 at which the one-sample score test has p = alpha
    x, n, level = np.array([1.0, 7, 30]), np.array([10.0, 20, 45]), 0.9
    for bound in proportion_interval(x, n, confidence_level=level):
        z = (x - n * bound) / np.sqrt(n * bound * (1 - bound))
        np.testing.assert_allclose(2 * stats.norm.sf(np.abs(z)), 1 - level, rtol=1e-8)


def test_clopper_pearson_is_dual_to_the_exact_binomial_test():
    for x, n in [(1, 10), (7, 20), (44, 45)]:
        ci = proportion_interval(x, n, method="exact")
        assert stats.binomtest(x, n, ci.low, alternative="greater").pvalue == pytest.approx(0.025, rel=1e-7)
        assert stats.binomtest(x, n, ci.high, alternative="less").pvalue == pytest.approx(0.025, rel=1e-7)


@settings(max_examples=150, deadline=None)
@given(xn=counts(), method=st.sampled_from(["wilson", "exact", "jeffreys"]), level=st.floats(0.5, 0.99))
def test_interval_properties(xn, method, level):
    x, n = xn
    ci = proportion_interval(x, n, confidence_level=level, method=method)
    wider = proportion_interval(x, n, confidence_level=min(level + 0.005, 0.999), method=method)
    assert 0 <= ci.low <= ci.high <= 1
    if method != "jeffreys":  # a Bayesian central interval may exclude x / n near 0 or 1
        assert ci.low <= x / n * (1 + 1e-12) and x / n <= ci.high * (1 + 1e-12)
    assert wider.low <= ci.low + 1e-12 and wider.high >= ci.high - 1e-12


def test_proportion_interval_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match=r"proportion_interval\(\): `method` must be one of"):
        proportion_interval(1, 2, method="wald")
    with pytest.raises(InvalidParameterError, match=r"`confidence_level` must be in \(0, 1\); got 95"):
        proportion_interval(1, 2, confidence_level=95)
    with pytest.raises(InvalidParameterError, match=r"`successes` must be <= `trials`"):
        proportion_interval([1, 3], [2, 2])
    with pytest.raises(InvalidParameterError, match=r"`trials` must be finite and >= 0"):
        proportion_interval(0, -1)


# --- effective counts -----------------------------------------------------------------


def test_effective_counts_unweighted_are_exact_row_counts():
    rows = np.array([0.0, 1, 7, 123456789, 2**40])
    x = np.floor(rows / 3)
    x_eff, n_eff = effective_counts(x, rows, rows)
    assert np.array_equal(n_eff, rows) and np.array_equal(x_eff, x)


def test_effective_counts_kish_formula_and_scale_invariance():
    rng = np.random.default_rng(0)
    w = rng.uniform(0.2, 3.0, size=50)
    success = rng.random(50) < 0.3
    W, W2, xw = w.sum(), (w**2).sum(), w[success].sum()
    x_eff, n_eff = effective_counts(xw, W, W2)
    assert n_eff == pytest.approx(W**2 / W2) and n_eff < 50
    assert x_eff / n_eff == pytest.approx(xw / W)
    x10, n10 = effective_counts(10 * xw, 10 * W, 100 * W2)
    assert (x10, n10) == (pytest.approx(x_eff), pytest.approx(n_eff))


def test_effective_counts_zero_weight_gives_zero_and_nan_interval():
    x_eff, n_eff = effective_counts([0.0, 2.0], [0.0, 4.0], [0.0, 8.0])
    np.testing.assert_array_equal(n_eff, [0.0, 2.0])
    np.testing.assert_array_equal(x_eff, [0.0, 1.0])
    assert np.isnan(proportion_interval(x_eff, n_eff).low[0])


# --- difference -----------------------------------------------------------------------

PAIRS = [(30, 100, 45, 100), (0, 10, 3, 12), (10, 10, 0, 8), (5, 50, 5, 50), (1, 3, 17, 20), (2.5, 7.3, 4.1, 9.9)]


@pytest.mark.parametrize("level", [0.9, 0.95])
@pytest.mark.parametrize("pair", PAIRS)
def test_newcombe_matches_statsmodels(pair, level):
    ci = difference_interval(*pair, confidence_level=level)
    low, high = confint_proportions_2indep(*pair, method="newcomb", alpha=1 - level)
    assert (ci.low, ci.high) == (pytest.approx(low, abs=1e-12), pytest.approx(high, abs=1e-12))


@pytest.mark.parametrize("pair", PAIRS)
def test_wald_difference_matches_statsmodels(pair):
    ci = difference_interval(*pair, method="wald")
    low, high = confint_proportions_2indep(*pair, method="wald")
    assert ci.low == pytest.approx(max(low, -1), abs=1e-12)
    assert ci.high == pytest.approx(min(high, 1), abs=1e-12)


def test_difference_is_vectorised_and_nan_for_empty_groups():
    ci = difference_interval([30, 0, 0], [100, 0, 5], [45, 4, 0], [100, 10, 0])
    assert ci.low.shape == (3,) and np.all(np.isnan(ci.low[1:])) and np.all(np.isnan(ci.high[1:]))
    one = difference_interval(30, 100, 45, 100)
    assert ci.low[0] == one.low and ci.high[0] == one.high


@settings(max_examples=100, deadline=None)
@given(a=counts(), b=counts(), method=st.sampled_from(["newcombe", "wald"]))
def test_difference_interval_contains_estimate(a, b, method):
    ci = difference_interval(*a, *b, method=method)
    d = a[0] / a[1] - b[0] / b[1]
    assert -1 <= ci.low <= d + 1e-12 and d - 1e-12 <= ci.high <= 1


# --- ratio ----------------------------------------------------------------------------

NONZERO = [(30, 100, 45, 100), (1, 3, 17, 20), (10, 10, 3, 10), (2.5, 7.3, 4.1, 9.9), (7, 200, 3, 40)]


@pytest.mark.parametrize("pair", NONZERO)
def test_katz_matches_statsmodels_log(pair):
    ci = ratio_interval(*pair, method="katz")
    low, high = confint_proportions_2indep(*pair, method="log", compare="ratio")
    assert (ci.low, ci.high) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))


def test_katz_adds_half_to_each_cell_only_where_a_count_is_zero():
    # x1 = 0: cells become 0.5, 10.5 | 4.5, 8.5, i.e. x + 0.5 and n + 1 in both groups
    ci = ratio_interval([0, 4], [10, 12], [4, 0], [12, 9], method="katz")
    x1, n1, x2, n2 = 0.5, 11, 4.5, 13
    se = np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    centre = np.log((x1 / n1) / (x2 / n2))
    z = stats.norm.isf(0.025)
    assert ci.low[0] == pytest.approx(np.exp(centre - z * se)) and ci.high[0] == pytest.approx(np.exp(centre + z * se))
    x1, n1, x2, n2 = 4.5, 13, 0.5, 10
    assert ci.low[1] == pytest.approx(np.exp(np.log((x1 / n1) / (x2 / n2)) - z * np.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)))
    untouched = ratio_interval(4, 12, 3, 9, method="katz")
    ref = confint_proportions_2indep(4, 12, 3, 9, method="log", compare="ratio")
    assert untouched.low == pytest.approx(ref[0])


@pytest.mark.parametrize("level", [0.9, 0.95])
@pytest.mark.parametrize("pair", [*NONZERO, (0, 10, 5, 10), (5, 10, 0, 10)])
def test_koopman_matches_statsmodels_score_without_mn_correction(pair, level):
    # statsmodels' ratio "score" interval is Koopman's when correction=False; its default
    # correction=True multiplies z**2 by N / (N - 1) (Miettinen-Nurminen) and is wider.
    ci = ratio_interval(*pair, method="koopman", confidence_level=level)
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = confint_proportions_2indep(*pair, method="score", compare="ratio", correction=False, alpha=1 - level)
        mn_low, mn_high = confint_proportions_2indep(*pair, method="score", compare="ratio", alpha=1 - level)
    assert ci.low == pytest.approx(low, rel=1e-9, abs=1e-12)
    assert ci.high == pytest.approx(high, rel=1e-9)
    assert mn_low <= ci.low + 1e-12 and (mn_high >= ci.high or np.isinf(ci.high))


@pytest.mark.parametrize("pair", [(10, 10, 10, 10), (1, 7, 6, 6), (3, 3, 1, 9), (45, 50, 2, 60)])
def test_koopman_bounds_are_where_the_score_test_has_p_alpha(pair):
    # statsmodels' closed-form cubic fails on some of these (complex roots); check duality
    ci = ratio_interval(*pair, method="koopman")
    for bound in (ci.low, ci.high):
        with np.errstate(divide="ignore", invalid="ignore"):  # the oracle's odds ratio divides by 0
            p = sm_test_proportions_2indep(*pair, value=bound, compare="ratio", method="score", correction=False).pvalue
        assert p == pytest.approx(0.05, rel=1e-6)


def test_koopman_zero_conventions():
    ci = ratio_interval([0, 5, 0, 0], [10, 10, 10, 0], [5, 0, 0, 2], [10, 10, 10, 8], method="koopman")
    assert ci.low[0] == 0 and np.isfinite(ci.high[0])
    assert ci.high[1] == np.inf and ci.low[1] > 1
    assert ci.low[2] == 0 and ci.high[2] == np.inf
    assert np.isnan(ci.low[3]) and np.isnan(ci.high[3])


@settings(max_examples=150, deadline=None)
@given(n1=st.integers(1, 300), n2=st.integers(1, 3000), f1=st.floats(0, 1), f2=st.floats(0, 1),
       level=st.sampled_from([0.9, 0.95, 0.99]), scale=st.sampled_from([1.0, 0.37]))
def test_koopman_excludes_one_exactly_when_the_pooled_score_test_rejects(n1, n2, f1, f2, level, scale):
    # Koopman's interval inverts the score test of H0: p1 = theta p2; at theta = 1 the
    # restricted estimate is the pooled rate, so the statistic is the pooled score z of
    # two_proportion_test. The two are duals: 1 is outside iff that test rejects.
    x1, x2 = round(f1 * n1) * scale, round(f2 * n2) * scale  # scale: non-integer effective counts
    n1, n2 = n1 * scale, n2 * scale
    p = two_proportion_test(x1, n1, x2, n2, method="score").pvalue
    ci = ratio_interval(x1, n1, x2, n2, confidence_level=level)
    if np.isnan(p):  # no successes or no failures at all: no test, and the interval must not exclude 1
        assert ci.low <= 1 <= ci.high
        return
    if abs(p - (1 - level)) < 1e-7:
        return  # on the boundary the bisection's last digits decide
    assert (p < 1 - level) == (not (ci.low <= 1 <= ci.high))


def test_koopman_is_the_default_and_agrees_with_the_test_on_compas(datasets_home):
    # ProPublica's COMPAS cohort, false positive rate (flagged Medium or High among people
    # who did not reoffend): Native American 3 of 6 against the Caucasian reference.
    df = load_compas(data_home=datasets_home)
    negatives = df[df["two_year_recid"] == 0]
    flagged = negatives["score_text"].isin(["Medium", "High"])
    x = flagged.groupby(negatives["race"]).sum()
    n = flagged.groupby(negatives["race"]).size()
    assert (x["Native American"], n["Native American"], x["Caucasian"], n["Caucasian"]) == (3, 6, 282, 1281)
    counts = (3, 6, 282, 1281)
    score = two_proportion_test(*counts, method="score").pvalue
    assert score == pytest.approx(0.0995, abs=5e-5)
    assert two_proportion_test(*counts, method="fisher").pvalue == pytest.approx(0.1265, abs=5e-5)
    katz = ratio_interval(*counts, method="katz")
    assert (round(float(katz.low), 2), round(float(katz.high), 2)) == (1.01, 5.09)  # excludes 1: contradicts the test
    default = ratio_interval(*counts)
    assert (round(float(default.low), 2), round(float(default.high), 2)) == (0.85, 3.76)  # Koopman
    assert default == ratio_interval(*counts, method="koopman")


def test_koopman_on_many_repeated_tables_equals_one_by_one():
    rng = np.random.default_rng(11)
    x1 = rng.integers(0, 21, 3000).astype(float)
    x2 = rng.integers(0, 21, 3000).astype(float)
    ci = ratio_interval(x1, 20, x2, 20)
    for i in rng.choice(3000, 25, replace=False):
        one = ratio_interval(x1[i], 20, x2[i], 20)
        assert (ci.low[i], ci.high[i]) == (one.low, one.high)


@settings(max_examples=60, deadline=None)
@given(a=counts(100), b=counts(100), method=st.sampled_from(["katz", "koopman"]))
def test_ratio_interval_contains_estimate(a, b, method):
    ci = ratio_interval(*a, *b, method=method)
    if a[0] > 0 and b[0] > 0:
        r = (a[0] / a[1]) / (b[0] / b[1])
        assert 0 <= ci.low <= r * (1 + 1e-9) and r * (1 - 1e-9) <= ci.high


def test_ratio_interval_rejects_bad_method():
    with pytest.raises(InvalidParameterError, match=r"ratio_interval\(\): `method` must be one of \['katz', 'koopman'\]"):
        ratio_interval(1, 2, 1, 2, method="score")


# --- simulation -----------------------------------------------------------------------


@pytest.mark.slow
def test_wilson_coverage_is_nominal_on_average():
    # Wilson coverage oscillates with p (pointwise dips of about 2 points are known), so
    # the 1.5-point bound is on the average over a grid of p, with a looser pointwise floor.
    rng = np.random.default_rng(12345)
    ps = np.linspace(0.1, 0.9, 17)[:, None]
    for n in (30, 50, 100, 200, 500):
        x = rng.binomial(n, ps, size=(ps.size, 4000))
        ci = proportion_interval(x, n)
        covered = ((ci.low <= ps) & (ps <= ci.high)).mean(axis=1)
        assert abs(covered.mean() - 0.95) < 0.015, (n, covered.mean())
        assert covered.min() > 0.915, (n, covered.min())
