"""Tests of biasaudit._stats.adjust_pvalues against statsmodels.multipletests."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from biasaudit._stats import adjust_pvalues
from biasaudit.exceptions import InvalidParameterError

SM_METHOD = {"holm": "holm", "bonferroni": "bonferroni", "fdr_bh": "fdr_bh", "bh": "fdr_bh"}


@pytest.mark.parametrize("method", sorted(SM_METHOD))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_statsmodels(method, seed):
    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.uniform(0, 0.05, 5), rng.uniform(0, 1, 20), [0.02, 0.02, 0.0, 1.0]])
    rng.shuffle(p)
    expected = multipletests(p, method=SM_METHOD[method])[1]
    np.testing.assert_allclose(adjust_pvalues(p, method=method), expected, rtol=1e-12)


@pytest.mark.parametrize("method", ["holm", "bonferroni", "fdr_bh"])
def test_nan_is_kept_and_not_counted(method):
    p = np.array([0.01, np.nan, 0.04, 0.03, np.nan, 0.2])
    out = adjust_pvalues(p, method=method)
    assert np.array_equal(np.isnan(out), np.isnan(p))
    finite = ~np.isnan(p)
    np.testing.assert_allclose(out[finite], multipletests(p[finite], method=method)[1], rtol=1e-12)


def test_shape_is_kept_and_the_whole_array_is_one_family():
    p = np.array([[0.01, 0.2], [0.03, np.nan]])
    out = adjust_pvalues(p)
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out.ravel()[:3], multipletests([0.01, 0.2, 0.03], method="holm")[1])


def test_degenerate_families():
    assert adjust_pvalues([]).shape == (0,)
    assert np.isnan(adjust_pvalues([np.nan, np.nan])).all()
    assert adjust_pvalues(0.03) == 0.03  # a family of one is not adjusted


def test_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match=r"adjust_pvalues\(\): `pvalues` must be in \[0, 1\] or NaN; got \[1.5\]"):
        adjust_pvalues([0.1, 1.5])
    with pytest.raises(InvalidParameterError, match=r"adjust_pvalues\(\): `method` must be one of .*'hochberg'"):
        adjust_pvalues([0.1], method="hochberg")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 1), st.just(float("nan"))), min_size=1, max_size=30))
def test_adjustment_properties(values):
    p = np.array(values)
    holm, bonf, bh = (adjust_pvalues(p, method=m) for m in ("holm", "bonferroni", "fdr_bh"))
    ok = ~np.isnan(p)
    assert np.array_equal(np.isnan(holm), ~ok)
    for adjusted in (holm, bonf, bh):
        assert np.all(adjusted[ok] >= p[ok] - 1e-15) and np.all(adjusted[ok] <= 1)
        order = np.argsort(p[ok], kind="stable")
        assert np.all(np.diff(adjusted[ok][order]) >= -1e-15)  # order is preserved
    assert np.all(bh[ok] <= holm[ok] + 1e-15) and np.all(holm[ok] <= bonf[ok] + 1e-15)


# ---------------------------------------------------------------- Tarone's screen

def _naive_testable(floors, alpha):
    """Tarone (1990) read literally: the first K with at most K floors <= alpha / K."""
    floors = np.asarray(floors, float)
    known = np.where(np.isnan(floors), 0.0, floors)
    for k in range(1, len(floors) + 1):
        if np.sum(known <= alpha / k) <= k:
            return known <= alpha / k
    return np.ones(len(floors), bool)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.floats(0, 1), st.just(float("nan")), st.sampled_from([1e-8, 0.001, 0.01, 0.05])),
                min_size=1, max_size=60),
       st.sampled_from([0.01, 0.05, 0.1]))
def test_tarone_screen_matches_its_definition(floors, alpha):
    from biasaudit._stats import testable

    assert testable(floors, alpha=alpha).tolist() == _naive_testable(floors, alpha).tolist()


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("method", ["score", "fisher", "auto"])
def test_the_pvalue_floor_is_below_every_attainable_pvalue(alternative, method):
    from biasaudit._evidence import pvalue_floor
    from biasaudit._stats import two_proportion_test

    for n1, n2 in [(1, 1), (1, 2), (2, 3), (3, 3), (1, 12), (5, 9), (8, 8), (20, 7), (1, 60), (12, 30)]:
        x1, x2 = (a.ravel() for a in np.meshgrid(np.arange(n1 + 1), np.arange(n2 + 1)))
        p = two_proportion_test(x1, np.full(x1.shape, n1), x2, np.full(x2.shape, n2),
                                alternative=alternative, method=method).pvalue
        floor = pvalue_floor(np.array([n1]), np.array([n2]), method)[0]
        assert np.nanmin(p) >= floor * (1 - 1e-12), (n1, n2)
        if method == "score" and alternative != "two-sided":
            # reached, by (n1, 0) or (0, n2)
            assert np.nanmin(p) == pytest.approx(floor, rel=1e-9)
        if method == "fisher" and alternative != "two-sided" and min(n1, n2) == 1:
            # one person against n: the extreme table has probability 1 / (n + 1)
            assert np.nanmin(p) == pytest.approx(floor, rel=1e-9)


def test_the_screen_keeps_the_family_wise_error_rate():
    # Global null: 20 comparisons of 200 against 200 people and 400 of one person against
    # two, every rate 0.3. Holm over the tests that could reach significance rejects at
    # least one true null in at most alpha of the families.
    from biasaudit._evidence import pvalue_floor
    from biasaudit._stats import testable, two_proportion_test

    rng = np.random.default_rng(7)
    n1 = np.r_[np.full(20, 200), np.full(400, 1)]
    n2 = np.r_[np.full(20, 200), np.full(400, 2)]
    kept = testable(pvalue_floor(n1, n2, "auto"), alpha=0.05)
    assert kept.sum() == 20
    reps = 3000
    x1, x2 = rng.binomial(n1, 0.3, (reps, n1.size)), rng.binomial(n2, 0.3, (reps, n2.size))
    p = two_proportion_test(x1, np.broadcast_to(n1, x1.shape), x2, np.broadcast_to(n2, x2.shape)).pvalue
    rejected = [np.nanmin(adjust_pvalues(row[kept], method="holm")) <= 0.05 for row in p]
    assert np.mean(rejected) <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / reps)
