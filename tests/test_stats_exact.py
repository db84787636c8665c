"""Tests of the vectorised Fisher exact test (biasaudit._stats._exact) against scipy.stats.fisher_exact."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from biasaudit._stats import two_proportion_test
from biasaudit._stats._exact import fisher_pvalues

ALTERNATIVES = ["two-sided", "less", "greater"]


def _scipy(tables, alternative):
    return np.array([stats.fisher_exact([[a, n1 - a], [c, n2 - c]], alternative=alternative).pvalue
                     for a, n1, c, n2 in tables])


@pytest.mark.parametrize("alternative", ALTERNATIVES)
def test_every_small_table_matches_scipy(alternative):
    # all tables with 1 <= n1, n2 <= 9: ties between equally probable tables included
    tables = np.array([(a, n1, c, n2) for n1 in range(1, 10) for n2 in range(1, 10)
                       for a in range(n1 + 1) for c in range(n2 + 1)], dtype=float)
    got = fisher_pvalues(*tables.T, alternative)
    np.testing.assert_allclose(got, _scipy(tables.astype(int), alternative), rtol=1e-12, atol=0)


@settings(max_examples=60, deadline=None)
@given(data=st.lists(st.tuples(st.integers(1, 300), st.integers(1, 300), st.floats(0, 1), st.floats(0, 1)),
                     min_size=1, max_size=12),
       alternative=st.sampled_from(ALTERNATIVES))
def test_batches_of_random_tables_match_scipy(data, alternative):
    tables = np.array([(round(f1 * n1), n1, round(f2 * n2), n2) for n1, n2, f1, f2 in data], dtype=float)
    got = fisher_pvalues(*tables.T, alternative)
    np.testing.assert_allclose(got, _scipy(tables.astype(int), alternative), rtol=1e-12, atol=0)


def test_wide_supports_and_mixed_width_classes_match_scipy():
    # supports of 1 to ~1,500 points in one call, so several width classes and grid chunks
    tables = np.array([(0, 5, 0, 7), (3, 3, 0, 4), (700, 1500, 800, 1600), (12, 40, 3, 3000),
                       (1, 2, 2000, 4000), (250, 500, 240, 500)], dtype=float)
    for alternative in ALTERNATIVES:
        got = fisher_pvalues(*tables.T, alternative)
        np.testing.assert_allclose(got, _scipy(tables.astype(int), alternative), rtol=1e-12, atol=0)


def test_shape_is_kept_and_empty_rows_give_nan():
    a = np.array([[2.0, 0.0], [1.0, np.nan]])
    n1 = np.array([[10.0, 0.0], [5.0, 4.0]])
    got = fisher_pvalues(a, n1, 3.0, 10.0, "two-sided")
    assert got.shape == (2, 2)
    assert np.isnan(got[0, 1]) and np.isnan(got[1, 1])
    assert got[0, 0] == pytest.approx(stats.fisher_exact([[2, 8], [3, 7]]).pvalue, rel=1e-12)


def test_repeated_tables_get_identical_pvalues():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 11, 5000).astype(float)
    got = fisher_pvalues(a, 10.0, 4.0, 10.0, "two-sided")
    for value in np.unique(a):
        assert np.unique(got[a == value]).size == 1
    ref = {v: stats.fisher_exact([[int(v), 10 - int(v)], [4, 6]]).pvalue for v in np.unique(a)}
    np.testing.assert_allclose(got, [ref[v] for v in a], rtol=1e-12)


def test_two_proportion_test_fisher_branch_is_vectorised_and_exact():
    rng = np.random.default_rng(5)
    n1 = rng.integers(1, 25, 400).astype(float)
    n2 = rng.integers(1, 25, 400).astype(float)
    x1, x2 = np.floor(rng.random(400) * (n1 + 1)), np.floor(rng.random(400) * (n2 + 1))
    for alternative in ALTERNATIVES:
        res = two_proportion_test(x1, n1, x2, n2, method="fisher", alternative=alternative)
        ref = _scipy(np.stack([x1, n1, x2, n2], 1).astype(int), alternative)
        np.testing.assert_allclose(res.pvalue, ref, rtol=1e-12)
