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
