"""Tests of the r x 2 omnibus test (biasaudit._stats._omnibus): auto rule, floors, invariances, validity."""

import math
import warnings

import numpy as np
import pytest
from scipy import stats

import biasaudit as ba
from biasaudit._stats import independence_test
from biasaudit._stats._omnibus import cochran_rule
from biasaudit.datasets import load_compas
from biasaudit.exceptions import InvalidParameterError


def _race_tables(datasets_home):
    """COMPAS r x 2 tables by race: selection rate (flagged Medium/High) and false positive rate."""
    df = load_compas(data_home=datasets_home)
    flagged = df["score_text"].isin(["Medium", "High"])
    sel = flagged.groupby(df["race"]).agg(["size", "sum"])
    neg = df["two_year_recid"] == 0
    fpr = flagged[neg].groupby(df["race"][neg]).agg(["size", "sum"])
    as_table = lambda t: np.stack([t["size"] - t["sum"], t["sum"]], axis=1).astype(float)  # noqa: E731
    return as_table(sel), as_table(fpr)


def test_cochran_rule():
    assert cochran_rule([[50, 50], [40, 60], [45, 55]])
    assert not cochran_rule([[50, 50], [40, 60], [1, 1]])  # expected 1 and 1 in 2 of 6 cells: 33% below 5
    assert not cochran_rule([[500, 5], [400, 4], [300, 0], [2, 0]])  # an expected count below 1
    # 1 of 10 cells below 5, none below 1: adequate
    assert cochran_rule([[100, 80], [90, 70], [110, 95], [60, 50], [4, 3]])
    assert not cochran_rule(np.zeros((3, 2)))


def test_compas_race_goes_to_chi_square_under_auto(datasets_home):
    # Native Americans are 11 people: the old "any expected count below 5" rule sent race to
    # Monte Carlo, whose p-value bottoms out at 1e-4 where the table's chi-square p is ~1e-101
    sel, fpr = _race_tables(datasets_home)
    for table in (sel, fpr):
        auto = independence_test(table, method="auto", rng=0)
        chi2 = stats.chi2_contingency(table, correction=False)
        assert auto.method == "chi2" and auto.pvalue == pytest.approx(chi2.pvalue, rel=1e-12)
    assert independence_test(sel, method="auto").pvalue < 1e-90


def test_monte_carlo_floor_is_flagged_and_reported_with_the_asymptotic_p(datasets_home):
    sel, _ = _race_tables(datasets_home)
    mc = independence_test(sel, method="monte-carlo", n_resamples=999, rng=1)
    assert mc.pvalue == pytest.approx(1 / 1000) and mc.at_floor
    assert mc.pvalue_asymptotic == pytest.approx(stats.chi2_contingency(sel, correction=False).pvalue, rel=1e-9)
    assert mc.pvalue_asymptotic < 1e-90
    # a second stage resolves it down to the larger floor, and only when needed
    deep = independence_test(sel, method="monte-carlo", n_resamples=999, max_resamples=20_000, rng=1)
    assert deep.n_resamples == 20_000 and deep.pvalue == pytest.approx(1 / 20_001)
    mild = independence_test([[70, 30], [55, 45], [60, 40]], method="monte-carlo", n_resamples=999,
                             max_resamples=20_000, rng=1)
    assert mild.n_resamples == 999 and not mild.at_floor  # p ~ 0.085: the first stage has plenty of exceedances


def test_swapped_columns_give_the_identical_monte_carlo_pvalue():
    # PPV and FDR tables are column-swapped copies of each other: one seed, one p-value
    table = np.array([[12, 30], [5, 9], [3, 14], [20, 22]])
    a = independence_test(table, method="monte-carlo", n_resamples=2000, rng=5)
    b = independence_test(table[:, ::-1], method="monte-carlo", n_resamples=2000, rng=5)
    assert a == b


def test_auto_uses_monte_carlo_where_cells_are_sparse_and_it_matches_exact_enumeration():
    table = np.array([[8, 1], [3, 9]])  # expected 4.7 and 4.3 in row 0: half the cells below 5
    res = independence_test(table, method="auto", n_resamples=20_000, rng=2)
    assert res.method == "monte-carlo"
    # exact conditional p of the Pearson ordering, enumerating the hypergeometric support of cell (0, 0)
    r0, r1, c0 = 9, 12, 11
    support = np.arange(max(0, c0 - r1), min(r0, c0) + 1)
    tables = np.stack([support, r0 - support, c0 - support, r1 - c0 + support], axis=1).astype(float)
    expected = np.outer([r0, r1], [c0, r0 + r1 - c0]).ravel() / (r0 + r1)
    stat = ((tables - expected) ** 2 / expected).sum(axis=1)
    pmf = stats.hypergeom.pmf(support, r0 + r1, c0, r0)
    exact = pmf[stat >= res.statistic * (1 - 1e-9)].sum()
    assert res.statistic == pytest.approx(stats.chi2_contingency(table, correction=False).statistic, rel=1e-12)
    assert res.pvalue == pytest.approx(exact, abs=0.006)


def test_two_stage_monte_carlo_pvalue_is_valid_under_the_null():
    # Under H0 (equal rates, margins drawn at random) P(p <= a) <= a for every a, the
    # second stage included; tiny B so that the second stage runs often.
    rng = np.random.default_rng(2024)
    pvalues = []
    for _ in range(1500):
        pos = rng.binomial([6, 8, 5], 0.4)
        table = np.stack([[6, 8, 5] - pos, pos], axis=1)
        res = independence_test(table, method="monte-carlo", n_resamples=19, max_resamples=199, rng=rng)
        if not np.isnan(res.pvalue):
            pvalues.append(res.pvalue)
    pvalues = np.array(pvalues)
    for a in (0.01, 0.05, 0.1, 0.25, 0.5):
        # binomial noise: 3 standard errors over the nominal level
        assert (pvalues <= a).mean() <= a + 3 * np.sqrt(a * (1 - a) / pvalues.size)


def test_degenerate_tables_and_bad_input():
    res = independence_test([[10, 0], [20, 0]], method="auto")
    assert np.isnan(res.pvalue) and np.isnan(res.pvalue_asymptotic)
    chi2 = independence_test([[70, 30], [55, 45]])
    assert chi2.pvalue_asymptotic == chi2.pvalue and chi2.n_resamples is None and not chi2.at_floor
    with pytest.raises(InvalidParameterError, match=r"independence_test\(\): `max_resamples` must be an integer >= 1; got 0"):
        independence_test([[1, 2], [3, 4]], method="monte-carlo", max_resamples=0)
    with pytest.raises(InvalidParameterError, match=r"independence_test\(\): `method` must be one of"):
        independence_test([[1, 2], [3, 4]], method="exact")


def test_the_omnibus_draws_of_thousands_of_groups_stay_within_the_budget(monkeypatch):
    # One hypergeometric draw per group and table: an intersection of thousands of tiny groups
    # draws fewer tables (never below 999) and skips the second stage; small groupings keep theirs.
    from biasaudit import _evidence

    assert _evidence.omnibus_draws(2) == (9999, 99_999)
    assert _evidence.omnibus_draws(1500) == (9999, 20_000)
    assert _evidence.omnibus_draws(11_302) == (2654, 2654)
    assert _evidence.omnibus_draws(10**6) == (999, 999)
    seen = {}
    real = _evidence.independence_test

    def spy(table, **kw):
        seen[len(table)] = (kw["n_resamples"], kw["max_resamples"])
        return real(table, **kw)

    monkeypatch.setattr(_evidence, "independence_test", spy)
    rng = np.random.default_rng(4)
    n = 20_000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # thousands of groups too small to assess: that is the point
        result = ba.audit(y_true=rng.integers(0, 2, n), y_pred=rng.integers(0, 2, n), metrics=["selection_rate"],
                          protected={"id": rng.integers(0, 12_000, n).astype(str), "sex": rng.choice(["f", "m"], n)},
                          intersections=False)
        tests = result.independence_tests
    many = max(seen)
    colours = 1 + int((result.groupings[0].rows > 1).sum())  # the single people are drawn as one
    assert many > 9000 and seen[many] == _evidence.omnibus_draws(colours) and seen[2] == (9999, 99_999)
    assert 1000 < colours < many
    row = tests[tests["attribute"] == "id"].iloc[0]
    assert row["method"] == "monte-carlo" and 1 / (seen[many][0] + 1) <= row["pvalue"] <= 1


def _exact_pvalue(table):
    """P(X^2 >= observed) under the multivariate hypergeometric law, by enumerating every table."""
    import itertools
    from math import comb

    table = np.asarray(table, dtype=float)
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    total, m = rows.sum(), int(cols[0])
    expected = rows * cols[0] / total
    weights = total * total / (rows * cols[0] * cols[1])
    observed = ((table[:, 0] - expected) ** 2 * weights).sum()
    hit = mass = 0.0
    for x in itertools.product(*[range(int(r) + 1) for r in rows]):
        if sum(x) != m:
            continue
        p = float(np.prod([comb(int(r), k) for r, k in zip(rows, x)]))
        mass += p
        if ((np.array(x) - expected) ** 2 * weights).sum() >= observed - 1e-9 * max(observed, 1.0):
            hit += p
    return hit / mass


@pytest.mark.parametrize("table", [
    [[1, 0], [1, 0], [0, 1], [1, 0], [0, 1], [2, 0], [0, 2], [3, 1], [1, 3]],  # singletons among others
    [[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [4, 0], [0, 4]],
    [[5, 0], [0, 5], [1, 0], [0, 1]],
])
def test_monte_carlo_with_single_person_groups_drawn_as_one_matches_exact_enumeration(table):
    exact = _exact_pvalue(table)
    res = independence_test(table, method="monte-carlo", n_resamples=100_000, rng=7)
    se = math.sqrt(exact * (1 - exact) / 100_000)
    assert abs(res.pvalue - exact) <= 4 * se + 1e-5, (res.pvalue, exact)


def test_groups_of_one_person_each_carry_no_evidence():
    # X^2 is the same for every table with these margins: the Monte Carlo p-value is 1.
    table = [[1, 0]] * 30 + [[0, 1]] * 12
    assert independence_test(table, method="monte-carlo", n_resamples=999, rng=0).pvalue == 1.0
