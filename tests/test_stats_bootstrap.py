"""Tests of the count-level bootstrap (biasaudit._stats._bootstrap).

The central check is distributional: drawing replicate tables from the counts must give
the same replicate distribution as resampling rows and recounting them.
"""

import numpy as np
import pytest
from scipy import stats

import biasaudit as ba
from biasaudit._bootstrap_statistics import (
    combine_statistics,
    difference_statistic,
    equalized_odds_statistic,
    metric_statistic,
    ratio_statistic,
    spread_statistic,
)
from biasaudit._stats._bootstrap import BootstrapResult, _acceleration, bootstrap_interval, resample_counts
from biasaudit.exceptions import InvalidParameterError, UndefinedMetricWarning

N_REPS = 6000  # replicates per side in the distribution comparisons


def make_rows(sizes=(150, 100, 60), seed=0):
    """Row data: group codes and 0/1 labels, plus each row's flat cell index."""
    gen = np.random.default_rng(seed)
    group = np.repeat(np.arange(len(sizes)), sizes)
    y_true = (gen.random(group.size) < 0.45 + 0.05 * group).astype(np.int64)
    p_pos = np.where(y_true == 1, 0.75 - 0.1 * group, 0.2 + 0.05 * group)
    y_pred = (gen.random(group.size) < p_pos).astype(np.int64)
    code = group * 4 + y_true * 2 + y_pred
    return group, code


def table_of(code, n_groups):
    return np.bincount(code, minlength=4 * n_groups).reshape(n_groups, 2, 2)


def row_bootstrap(code, n_groups, n_reps, gen, *, group=None):
    """Naive bootstrap: resample row indices (within groups if `group` is given), recount."""
    n = code.size
    if group is None:
        idx = gen.integers(0, n, size=(n_reps, n))
    else:
        parts = []
        for g in range(n_groups):
            members = np.flatnonzero(group == g)
            parts.append(members[gen.integers(0, members.size, size=(n_reps, members.size))])
        idx = np.concatenate(parts, axis=1)
    cells = code[idx] + (np.arange(n_reps) * 4 * n_groups)[:, None]
    return np.bincount(cells.ravel(), minlength=n_reps * 4 * n_groups).reshape(n_reps, n_groups, 2, 2)


def count_bootstrap(rows, n_reps, rng, *, stratified):
    return np.concatenate(list(resample_counts(rows, n_resamples=n_reps, stratified=stratified, rng=rng)))


STAT = combine_statistics(metric_statistic("tpr"), difference_statistic("selection_rate", reference_index=0))


@pytest.mark.parametrize("stratified", [False, True])
def test_count_bootstrap_matches_row_bootstrap(stratified):
    group, code = make_rows()
    rows = table_of(code, 3)
    naive = STAT(row_bootstrap(code, 3, N_REPS, np.random.default_rng(1), group=group if stratified else None))
    fast = STAT(count_bootstrap(rows, N_REPS, 2, stratified=stratified))
    # columns: TPR of groups 0..2, selection-rate difference of groups 0..2 to group 0
    for k in (0, 2, 4, 5):
        a, b = naive[:, k], fast[:, k]
        assert not np.isnan(a).any() and not np.isnan(b).any()
        sd = a.std(ddof=1)
        assert abs(a.mean() - b.mean()) < 4 * sd * np.sqrt(2 / N_REPS)
        assert abs(b.std(ddof=1) / sd - 1) < 4 / np.sqrt(N_REPS)  # SE of a ratio of SDs ~ 1/sqrt(n)
        assert stats.ks_2samp(a, b, method="asymp").pvalue > 0.01


def test_stratified_keeps_group_sizes_and_unstratified_keeps_total():
    rows = table_of(make_rows()[1], 3)
    strat = count_bootstrap(rows, 200, 0, stratified=True)
    assert (strat.sum(axis=(2, 3)) == rows.sum(axis=(1, 2))).all()
    free = count_bootstrap(rows, 200, 0, stratified=False)
    assert (free.sum(axis=(1, 2, 3)) == rows.sum()).all()
    assert free.sum(axis=(2, 3)).std(axis=0).min() > 0  # group sizes vary
    assert strat.dtype == np.int64 and strat.shape == (200, 3, 2, 2)


@pytest.mark.parametrize("stratified", [False, True])
def test_empty_groups_and_cells_stay_empty(stratified):
    rows = np.array([[[4, 0], [3, 5]], [[0, 0], [0, 0]], [[0, 2], [0, 1]]])
    reps = count_bootstrap(rows, 300, 3, stratified=stratified)
    assert (reps[:, rows == 0] == 0).all()


@pytest.mark.parametrize("stratified", [False, True])
def test_resample_counts_does_not_depend_on_batch(stratified):
    rows = np.array([[[4, 0], [3, 5]], [[0, 0], [0, 0]], [[9, 2], [1, 1]]])
    whole = count_bootstrap(rows, 50, 7, stratified=stratified)
    pieces = list(resample_counts(rows, n_resamples=50, stratified=stratified, rng=7, batch=8))
    assert [p.shape[0] for p in pieces] == [8] * 6 + [2]
    np.testing.assert_array_equal(np.concatenate(pieces), whole)


def test_standard_error_matches_row_bootstrap():
    group, code = make_rows()
    rows = table_of(code, 3)
    stat = difference_statistic("tpr", reference_index=0)
    naive = stat(row_bootstrap(code, 3, N_REPS, np.random.default_rng(5), group=group))
    res = bootstrap_interval(stat, rows, n_resamples=N_REPS, rng=6)
    sd = naive.std(axis=0, ddof=1)
    assert res.standard_error[0] == 0 and sd[0] == 0  # the reference itself
    np.testing.assert_allclose(res.standard_error[1:], sd[1:], rtol=4 / np.sqrt(N_REPS))


# --------------------------------------------------------------------------- intervals


def test_bca_for_a_proportion_is_close_to_wilson():
    from statsmodels.stats.proportion import proportion_confint

    rows = np.array([[[140, 60], [0, 0]]])  # 60 selected of 200
    wilson = proportion_confint(60, 200, alpha=0.05, method="wilson")
    exact = proportion_confint(60, 200, alpha=0.05, method="beta")
    res = bootstrap_interval(metric_statistic("selection_rate"), rows, method="bca", rng=0)
    assert res.estimate[0] == pytest.approx(0.3)
    assert res.low[0] == pytest.approx(wilson[0], abs=0.006)
    assert res.high[0] == pytest.approx(wilson[1], abs=0.006)
    assert exact[0] - 0.01 < res.low[0] and res.high[0] < exact[1] + 0.01


def row_jackknife_acceleration(stat, group, code, n_groups, *, stratified):
    """BCa acceleration from the leave-one-row-out jackknife over explicit rows."""
    theta = np.array([stat(table_of(np.delete(code, i), n_groups).astype(float)) for i in range(code.size)])
    assert not np.isnan(theta).any()
    if stratified:
        sizes = np.bincount(group)[group][:, None]
        centre = np.stack([theta[group == g].mean(axis=0) for g in range(n_groups)])[group]
        infl = (sizes - 1) * (centre - theta) / sizes
    else:
        infl = theta.mean(axis=0) - theta
    s2 = (infl**2).sum(axis=0)
    return np.where(s2 > 0, (infl**3).sum(axis=0) / (6 * np.where(s2 > 0, s2, 1) ** 1.5), 0.0)


def test_bca_interval_matches_its_formula():
    from scipy.special import ndtr, ndtri

    group, code = make_rows(sizes=(60, 40, 30), seed=4)
    rows = table_of(code, 3)
    stat = ratio_statistic("tpr", 0)
    reps = stat(count_bootstrap(rows, 2000, 5, stratified=True))
    est = stat(rows.astype(float))
    z0 = ndtri(((reps < est).sum(axis=0) + 0.5 * (reps == est).sum(axis=0)) / 2000)
    accel = row_jackknife_acceleration(stat, group, code, 3, stratified=True)
    z = z0[:, None] + ndtri([0.025, 0.975])
    levels = ndtr(z0[:, None] + z / (1 - accel[:, None] * z))
    want = np.array([np.quantile(reps[:, k], levels[k]) for k in range(3)])
    res = bootstrap_interval(stat, rows, n_resamples=2000, rng=5, method="bca")
    np.testing.assert_allclose(np.c_[res.low, res.high], want, rtol=1e-12)
    assert res.low[0] == res.high[0] == 1.0  # the reference's ratio to itself
    pct = bootstrap_interval(stat, rows, n_resamples=2000, rng=5)
    assert not np.allclose(pct.low[1:], res.low[1:])


def test_percentile_interval_is_the_replicate_quantiles():
    rows = table_of(make_rows()[1], 3)
    stat = metric_statistic(["tpr", "fpr"])
    res = bootstrap_interval(stat, rows, n_resamples=999, rng=11, confidence_level=0.9)
    reps = stat(count_bootstrap(rows, 999, 11, stratified=True))
    np.testing.assert_allclose(res.low, np.quantile(reps, 0.05, axis=0), rtol=1e-12)
    np.testing.assert_allclose(res.high, np.quantile(reps, 0.95, axis=0), rtol=1e-12)
    np.testing.assert_allclose(res.standard_error, reps.std(axis=0, ddof=1), rtol=1e-10)
    np.testing.assert_array_equal(res.estimate, stat(rows.astype(float)))


@pytest.mark.parametrize("stratified", [False, True])
def test_acceleration_matches_row_level_jackknife(stratified):
    group, code = make_rows(sizes=(40, 30, 25), seed=3)
    rows = table_of(code, 3)
    stat = combine_statistics(difference_statistic(["tpr", "accuracy"], 0), equalized_odds_statistic())
    want = row_jackknife_acceleration(stat, group, code, 3, stratified=stratified)
    est = stat(rows.astype(float))
    got = _acceleration(stat, rows, None, est, stratified, 5, caller="t")
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_acceleration_of_a_proportion_has_the_closed_form():
    n, x = 80, 20
    rows = np.array([[[n - x, x], [0, 0]]])
    est = np.array([x / n])
    p = x / n
    got = _acceleration(metric_statistic("sr"), rows, None, est, False, 10, caller="t")
    assert got[0] == pytest.approx((1 - 2 * p) / (6 * np.sqrt(n * p * (1 - p))))


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_reproducible_with_same_rng_and_different_with_another(method):
    rows = table_of(make_rows()[1], 3)
    kw = dict(n_resamples=500, method=method)
    a = bootstrap_interval(STAT, rows, rng=42, **kw)
    b = bootstrap_interval(STAT, rows, rng=np.random.default_rng(42), **kw)
    c = bootstrap_interval(STAT, rows, rng=43, **kw)
    np.testing.assert_array_equal(a.low, b.low)
    np.testing.assert_array_equal(a.high, b.high)
    assert not np.array_equal(a.low, c.low)
    gen = np.random.default_rng(42)
    d1 = bootstrap_interval(STAT, rows, rng=gen, **kw)
    d2 = bootstrap_interval(STAT, rows, rng=gen, **kw)  # the Generator was advanced
    assert not np.array_equal(d1.high, d2.high)


@pytest.mark.parametrize("method", ["percentile", "bca"])
@pytest.mark.parametrize("stratified", [False, True])
def test_batching_gives_identical_results(method, stratified):
    rows = np.array([[[30, 5], [6, 20]], [[0, 0], [0, 0]], [[12, 3], [4, 9]], [[7, 1], [2, 5]]])
    stat = combine_statistics(metric_statistic(["tpr", "ppv"]), spread_statistic("accuracy"))
    kw = dict(n_resamples=301, method=method, stratified=stratified, rng=9)
    with pytest.warns(UndefinedMetricWarning, match="observed table"):
        whole = bootstrap_interval(stat, rows, **kw)
    with pytest.warns(UndefinedMetricWarning, match="observed table"):
        small = bootstrap_interval(stat, rows, batch=7, **kw)  # also chunks the jackknife
    for field in ("low", "high", "estimate", "standard_error", "n_undefined"):
        np.testing.assert_array_equal(getattr(whole, field), getattr(small, field))


def test_undefined_replicates_are_counted_excluded_and_warned():
    # group 1 has one actual positive in 10 rows: its TPR is undefined whenever the
    # resample misses that row, probability 0.9**10 per stratified replicate
    rows = np.array([[[40, 10], [8, 42]], [[8, 1], [0, 1]]])
    stat = metric_statistic("tpr")
    with pytest.warns(UndefinedMetricWarning, match=r"1 of 2 statistics are undefined \(NaN\) in some replicates"):
        res = bootstrap_interval(stat, rows, n_resamples=2000, rng=4)
    reps = stat(count_bootstrap(rows, 2000, 4, stratified=True))
    assert res.n_undefined.tolist() == [0, int(np.isnan(reps[:, 1]).sum())]
    assert stats.binomtest(int(res.n_undefined[1]), 2000, 0.9**10).pvalue > 0.001
    assert res.low[1] == 1.0 and res.high[1] == 1.0  # defined replicates always have TPR 1
    assert res.n_resamples == 2000


def test_statistic_undefined_on_the_observed_table_gives_nan():
    rows = np.array([[[40, 10], [8, 42]], [[5, 2], [0, 0]]])  # group 1: no positives
    with pytest.warns(UndefinedMetricWarning, match="undefined \\(NaN\\) on the observed table"):
        res = bootstrap_interval(metric_statistic("tpr"), rows, n_resamples=99, rng=0, method="bca")
    assert np.isnan([res.estimate[1], res.low[1], res.high[1]]).all()
    assert res.n_undefined.tolist() == [0, 99]
    assert np.isfinite([res.low[0], res.high[0]]).all()


def test_degenerate_bca_gives_nan_and_warns():
    rows = table_of(make_rows()[1], 3)

    def stat(table):  # 0 on the observed table, 1 on every other table
        return np.where((table == rows).all(axis=(-3, -2, -1)), 0.0, 1.0)

    with pytest.warns(UndefinedMetricWarning, match="BCa interval is undefined for 1 of 1"):
        res = bootstrap_interval(stat, rows, n_resamples=99, method="bca", rng=0)
    assert np.isnan(res.low[0]) and np.isnan(res.high[0])
    assert res.estimate.shape == (1,)  # a scalar statistic counts as K = 1


def test_constant_statistic_gives_a_point_interval_without_warning():
    rows = table_of(make_rows()[1], 3)
    res = bootstrap_interval(difference_statistic("tpr", 1), rows, n_resamples=199, method="bca", rng=0)
    assert res.low[1] == res.high[1] == res.estimate[1] == 0.0
    assert res.standard_error[1] == 0.0


def test_weighted_constant_weights_per_cell_match_a_weighted_row_bootstrap():
    group, code = make_rows()
    cell_weight = np.linspace(0.5, 3.0, 12)
    w = cell_weight[code]
    rows = table_of(code, 3)
    weighted = np.bincount(code, weights=w, minlength=12).reshape(3, 2, 2)
    stat = difference_statistic("selection_rate", reference_index=0)
    gen = np.random.default_rng(8)
    idx = np.concatenate([np.flatnonzero(group == g)[gen.integers(0, (group == g).sum(), (N_REPS, (group == g).sum()))]
                          for g in range(3)], axis=1)
    cells = code[idx] + (np.arange(N_REPS) * 12)[:, None]
    naive = stat(np.bincount(cells.ravel(), weights=w[idx].ravel(), minlength=N_REPS * 12).reshape(N_REPS, 3, 2, 2))
    res = bootstrap_interval(stat, rows, weighted=weighted, n_resamples=N_REPS, rng=9)
    np.testing.assert_allclose(res.estimate, stat(weighted), atol=1e-12)
    np.testing.assert_allclose(res.standard_error[1:], naive.std(axis=0, ddof=1)[1:], rtol=4 / np.sqrt(N_REPS))


def test_uniform_weights_do_not_change_rates():
    rows = table_of(make_rows()[1], 3)
    a = bootstrap_interval(STAT, rows, n_resamples=300, rng=1, method="bca")
    b = bootstrap_interval(STAT, rows, weighted=2.5 * rows, n_resamples=300, rng=1, method="bca")
    np.testing.assert_allclose(a.low, b.low, atol=1e-12)
    np.testing.assert_allclose(a.high, b.high, atol=1e-12)


def test_group_counts_input():
    counts = ba.group_counts(
        y_true=[1, 0, 1, 1, 0, 1, 0, 0], y_pred=[1, 1, 0, 1, 0, 1, 1, 0],
        group=["a", "a", "a", "b", "b", "b", "b", "a"], sample_weight=[1, 2, 1, 1, 1, 3, 1, 1],
    )
    stat = metric_statistic("selection_rate")
    a = bootstrap_interval(stat, counts, n_resamples=50, rng=0)
    b = bootstrap_interval(stat, counts.rows.reshape(-1, 2, 2), weighted=counts.weighted.reshape(-1, 2, 2),
                           n_resamples=50, rng=0)
    np.testing.assert_array_equal(a.low, b.low)
    np.testing.assert_allclose(a.estimate, ba.metric_from_counts("selection_rate", counts))


def test_result_object():
    res = bootstrap_interval(metric_statistic("tpr"), [[[5, 1], [2, 8]], [[3, 1], [1, 4]]], n_resamples=20, rng=0)
    assert isinstance(res, BootstrapResult)
    assert repr(res) == (
        "BootstrapResult(n_statistics=2, method='percentile', confidence_level=0.95, "
        "n_resamples=20, stratified=True)"
    )
    frame = res.to_frame()
    assert list(frame.columns) == ["estimate", "low", "high", "standard_error", "n_undefined"]
    with pytest.raises(AttributeError):
        res.low = None


# --------------------------------------------------------------------------- statistics


@pytest.mark.parametrize("name", ba.list_metrics(family="binary"))
def test_metric_statistic_matches_registry(name):
    rows = np.array([[[5, 1], [2, 8]], [[3, 0], [0, 0]], [[0, 0], [0, 0]], [[0, 4], [0, 2]]], dtype=float)
    tables = np.stack([rows, rows[::-1], 2 * rows])  # a leading axis
    got = metric_statistic(name)(tables)
    np.testing.assert_array_equal(got, ba.get_metric(name).evaluate(tables))


def test_metric_statistic_is_metric_major():
    rows = np.array([[[5, 1], [2, 8]], [[3, 1], [1, 1]]], dtype=float)
    got = metric_statistic(["tpr", "fpr", "balanced_accuracy"])(rows)
    want = np.concatenate([ba.metric_from_counts(m, rows) for m in ["tpr", "fpr", "balanced_accuracy"]])
    np.testing.assert_array_equal(got, want)


def test_difference_ratio_spread_and_equalized_odds_statistics():
    rows = np.array([[[5, 1], [2, 8]], [[3, 0], [1, 1]], [[1, 1], [0, 0]], [[4, 0], [0, 0]]], dtype=float)
    tpr = ba.metric_from_counts("tpr", rows)  # [0.8, 0.5, nan, nan]
    fpr = ba.metric_from_counts("fpr", rows)  # [1/6, 0, 0.5, 0]
    np.testing.assert_allclose(difference_statistic("tpr", 1)(rows), tpr - tpr[1])
    np.testing.assert_allclose(
        difference_statistic(["tpr", "fpr"], 0)(rows), np.concatenate([tpr - tpr[0], fpr - fpr[0]])
    )
    ratio = ratio_statistic("fpr", 0)(rows)
    np.testing.assert_allclose(ratio, fpr / fpr[0])
    assert np.isnan(ratio_statistic("fpr", 1)(rows)).all()  # reference rate 0
    np.testing.assert_allclose(spread_statistic(["tpr", "fpr"])(rows), [0.3, 0.5])
    np.testing.assert_allclose(equalized_odds_statistic()(rows), [0.5])
    only_neg = rows.copy()
    only_neg[:, 1] = 0
    assert np.isnan(equalized_odds_statistic()(only_neg)).all()
    assert np.isnan(spread_statistic("tpr")(only_neg)).all()
    batch = np.stack([rows, only_neg])
    assert equalized_odds_statistic()(batch).shape == (2, 1)
    assert difference_statistic(["tpr", "fpr"], 2)(batch).shape == (2, 8)


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("rows", "match"),
    [
        (np.zeros(4), r"`rows` must be a count table of shape \(n_groups, \*cells\)"),
        (np.array([[[1, -1], [0, 2]]]), "`rows` must be >= 0"),
        (np.array([[[1.5, 1], [0, 2]]]), "whole-number counts"),
        (np.zeros((2, 2, 2)), "at least one row"),
        (np.array([[["a", "b"], ["c", "d"]]]), "integer counts"),
    ],
)
def test_bad_rows_raise(rows, match):
    with pytest.raises(InvalidParameterError, match=match):
        resample_counts(rows, n_resamples=10)
    with pytest.raises(InvalidParameterError, match=match):
        bootstrap_interval(STAT, rows, n_resamples=10)


def test_bad_parameters_raise():
    rows = np.array([[[5, 1], [2, 8]], [[3, 1], [1, 4]]])
    stat = metric_statistic("tpr")
    with pytest.raises(InvalidParameterError, match="`n_resamples` must be a positive integer; got 0"):
        bootstrap_interval(stat, rows, n_resamples=0)
    with pytest.raises(InvalidParameterError, match="`batch` must be a positive integer; got 2.5"):
        resample_counts(rows, n_resamples=5, batch=2.5)
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of .*Hint: did you mean 'bca'"):
        bootstrap_interval(stat, rows, method="bcaa")
    with pytest.raises(InvalidParameterError, match=r"`confidence_level` must be in \(0, 1\); got 95"):
        bootstrap_interval(stat, rows, confidence_level=95)
    with pytest.raises(InvalidParameterError, match="`statistic` must be callable"):
        bootstrap_interval("tpr", rows)
    with pytest.raises(InvalidParameterError, match="`weighted` must have the shape of `rows`"):
        bootstrap_interval(stat, rows, weighted=np.ones((1, 2, 2)))
    with pytest.raises(InvalidParameterError, match="`weighted` must be 0 in every cell where `rows` is 0"):
        bootstrap_interval(stat, [[[1, 0], [1, 1]]], weighted=[[[1, 1], [1, 1]]])
    with pytest.raises(InvalidParameterError, match="`weighted` must be finite and >= 0"):
        bootstrap_interval(stat, rows, weighted=-np.ones((2, 2, 2)))
    with pytest.raises(InvalidParameterError, match=r"`statistic` must map .* got \(2, 3\)"):
        bootstrap_interval(lambda t: np.zeros((*t.shape[:-3], 2, 3)), rows, n_resamples=5)
    with pytest.raises(InvalidParameterError, match=r"`reference_index` must be in \[0, 2\); got 5"):
        bootstrap_interval(difference_statistic("tpr", 5), rows, n_resamples=5)
    with pytest.raises(InvalidParameterError, match="`reference_index` must be an integer group index"):
        ratio_statistic("tpr", "a")
    with pytest.raises(InvalidParameterError, match="unknown metric 'tpx'"):
        metric_statistic("tpx")
    with pytest.raises(InvalidParameterError, match="`metric` must name at least one metric"):
        spread_statistic([])
    with pytest.raises(InvalidParameterError, match="`statistics` must be one or more callables"):
        combine_statistics()


# --------------------------------------------------------------------------- coverage


@pytest.mark.slow
def test_percentile_coverage_of_a_difference():
    """Nominal 90% intervals of a TPR difference cover the truth in ~90% of data sets."""
    gen = np.random.default_rng(2024)
    truth = 0.7 - 0.55
    n_sim, hits = 1000, 0
    stat = difference_statistic("tpr", 0)
    for _ in range(n_sim):
        pos = gen.binomial(1, [0.7] * 120 + [0.55] * 80)
        rows = np.zeros((2, 2, 2), dtype=np.int64)
        rows[0, 1] = [120 - pos[:120].sum(), pos[:120].sum()]
        rows[1, 1] = [80 - pos[120:].sum(), pos[120:].sum()]
        rows[:, 0, 0] = 10
        res = bootstrap_interval(stat, rows, n_resamples=999, confidence_level=0.9, rng=gen)
        hits += res.low[1] <= -truth <= res.high[1]
    assert stats.binomtest(hits, n_sim, 0.9).pvalue > 0.001


# --------------------------------------------------------------------------- replicates drawn elsewhere


def test_replicate_interval_is_the_percentile_interval_of_the_defined_replicates():
    from biasaudit._stats._bootstrap import replicate_interval

    gen = np.random.default_rng(0)
    reps = gen.normal(size=(3, 401))
    reps[1, :7] = np.nan  # undefined replicates are left out and counted
    with pytest.warns(UndefinedMetricWarning, match=r"undefined \(NaN\) in some replicates \(up to 7 of 401\)"):
        res = replicate_interval([0.0, 0.1, 0.2], reps, confidence_level=0.9)
    for k in range(3):
        defined = reps[k][~np.isnan(reps[k])]
        np.testing.assert_allclose([res.low[k], res.high[k]], np.percentile(defined, [5, 95]), rtol=1e-14)
        assert res.standard_error[k] == pytest.approx(defined.std(ddof=1), rel=1e-12)
    assert res.n_undefined.tolist() == [0, 7, 0] and res.method == "percentile" and res.n_resamples == 401
    with pytest.raises(InvalidParameterError, match=r"replicate_interval\(\): `replicates` must have shape \(K, B\) "
                                                    r"with K = 2 statistics; got \(3, 401\)"):
        replicate_interval([0.0, 1.0], reps)
    with pytest.raises(InvalidParameterError, match=r"`confidence_level` must be"):
        replicate_interval([0.0, 0.1, 0.2], reps, confidence_level=1.5)


def test_bootstrap_interval_equals_replicate_interval_of_its_own_replicates():
    """The count-level path and the path of replicates drawn elsewhere summarise alike."""
    from biasaudit._stats._bootstrap import replicate_interval

    rows = table_of(make_rows()[1], 3)
    stat = metric_statistic(["tpr", "selection_rate"])
    res = bootstrap_interval(stat, rows, n_resamples=300, rng=4)
    reps = stat(count_bootstrap(rows, 300, 4, stratified=True).astype(float))
    again = replicate_interval(res.estimate, reps.T, confidence_level=0.95)
    np.testing.assert_array_equal(res.low, again.low)
    np.testing.assert_array_equal(res.high, again.high)
