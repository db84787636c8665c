"""Regression audits: moments per group against scikit-learn and SciPy, the histogram's KS
distance and its bound, the scoring rate, invariances and an Adult model of hours worked."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

import biasaudit as ba
from biasaudit._encoding import encode_attribute
from biasaudit._tables._moment import MOMENT_SUMS, count_moments, cross_product
from biasaudit._task_views import ks_from_histograms


def _data(n=3000, seed=0, weights=False):
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    y = rng.normal(40, 10, n) + (g == "c") * 3
    y_hat = y + rng.normal(0, 5, n) - (g == "b") * 2
    w = rng.uniform(0.2, 3.0, n) if weights else None
    return g, y, y_hat, w


def _rows(result, attribute="g"):
    gm = result.group_metrics
    return gm[gm["attribute"] == attribute].set_index("group")


@pytest.mark.parametrize("weighted", [False, True])
def test_group_metrics_match_sklearn_with_weights(weighted):
    g, y, y_hat, w = _data(weights=weighted)
    rows = _rows(ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, sample_weight=w))
    for label in "abc":
        m = g == label
        sw = None if w is None else w[m]
        row = rows.loc[label]
        assert row["n"] == m.sum()
        assert row["mean_outcome"] == pytest.approx(np.average(y[m], weights=sw), rel=1e-12)
        assert row["mean_prediction"] == pytest.approx(np.average(y_hat[m], weights=sw), rel=1e-12)
        assert row["mean_error"] == pytest.approx(np.average(y_hat[m] - y[m], weights=sw), rel=1e-9)
        assert row["mean_absolute_error"] == pytest.approx(mean_absolute_error(y[m], y_hat[m], sample_weight=sw),
                                                           rel=1e-12)
        assert row["root_mean_squared_error"] == pytest.approx(
            np.sqrt(mean_squared_error(y[m], y_hat[m], sample_weight=sw)), rel=1e-12)
        assert row["r2_score"] == pytest.approx(r2_score(y[m], y_hat[m], sample_weight=sw), rel=1e-9)


@pytest.mark.parametrize("weighted", [False, True])
def test_the_cross_product_follows_from_the_table_sums(weighted):
    g, y, y_hat, w = _data(weights=weighted)
    table = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, sample_weight=w).counts
    assert set(MOMENT_SUMS) <= set(table.sums) and "cross" not in table.sums
    direct = np.bincount(encode_attribute(g, "g").codes, weights=y * y_hat * (1.0 if w is None else w))
    per_group = cross_product(table.sums).sum(axis=(-2, -1))
    np.testing.assert_allclose(per_group, direct, rtol=1e-12)


def test_unweighted_welch_is_scipys_ttest():
    g, y, y_hat, _ = _data()
    result = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, reference={"g": "a"}, confidence_level=0.9)
    d = result.disparities.set_index(["metric", "group"])
    for metric, values in [("mean_prediction", y_hat), ("mean_outcome", y), ("mean_error", y_hat - y),
                           ("mean_absolute_error", np.abs(y_hat - y))]:
        for label in "bc":
            res = stats.ttest_ind(values[g == label], values[g == "a"], equal_var=False)
            row = d.loc[(metric, label)]
            assert row["statistic"] == pytest.approx(res.statistic, rel=1e-9)
            assert row["pvalue"] == pytest.approx(res.pvalue, rel=1e-7)
            low, high = res.confidence_interval(0.9)
            assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, rel=1e-9), pytest.approx(high, rel=1e-9))
            assert row["test"] == "welch"
    assert d.loc[("mean_prediction", "a"), "verdict"] == "reference"


def test_constant_weights_change_nothing_and_weights_use_kish_sizes():
    g, y, y_hat, _ = _data()
    plain = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}).disparities
    scaled = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, sample_weight=np.full(len(g), 2.5)).disparities
    np.testing.assert_allclose(plain["pvalue"].to_numpy(float), scaled["pvalue"].to_numpy(float), rtol=1e-9)
    # with unequal weights the standard error uses n_eff = (sum w)^2 / sum w^2
    _, _, _, w = _data(weights=True)
    r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, sample_weight=w, reference={"g": "a"})
    row = r.disparities.set_index(["metric", "group"]).loc[("mean_prediction", "b")]

    def summary(m):
        mean = np.average(y_hat[m], weights=w[m])
        n_eff = w[m].sum() ** 2 / (w[m] ** 2).sum()
        var = np.average((y_hat[m] - mean) ** 2, weights=w[m]) * n_eff / (n_eff - 1)
        return mean, var / n_eff, n_eff

    (m1, v1, n1), (m2, v2, n2) = summary(g == "b"), summary(g == "a")
    df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
    t = (m1 - m2) / np.sqrt(v1 + v2)
    assert row["statistic"] == pytest.approx(t, rel=1e-9)
    assert row["pvalue"] == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-7)


def test_ks_distance_from_the_histogram_brackets_scipy():
    g, y, y_hat, _ = _data(n=4000, seed=3)
    quantile_edges = np.quantile(y_hat, np.linspace(0, 1, 101)[1:-1])
    for bins in (10, 100, quantile_edges):
        r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, reference={"g": "a"}, prediction_bins=bins)
        dp = r.distribution_parity.set_index("group").loc[["b", "c"]]
        for label in "bc":
            exact = stats.ks_2samp(y_hat[g == label], y_hat[g == "a"]).statistic
            assert dp.loc[label, "ks_distance"] <= exact + 1e-12 <= dp.loc[label, "ks_upper_bound"] + 2e-12
        gap = (dp["ks_upper_bound"] - dp["ks_distance"]).max()
        if not np.isscalar(bins):  # bins of 1% of the rows each: a tight bound
            assert gap < 0.025
        elif bins == 100:  # equal widths: the central bins hold about 4% of the rows
            assert gap < 0.05


def test_ks_of_two_histograms_by_hand():
    assert ks_from_histograms(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == (1.0, 1.0)
    dist, bound = ks_from_histograms(np.array([[2.0, 2.0, 0.0]]), np.array([[0.0, 2.0, 2.0]]))
    assert dist.tolist() == [0.5] and bound.tolist() == [1.0]
    assert np.isnan(ks_from_histograms(np.zeros(3), np.ones(3))[0])


def test_scoring_rate_and_impact_ratio_as_local_law_144_defines_them():
    g, y, y_hat, _ = _data(n=2001)
    r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g})
    median = np.median(y_hat)  # odd n: the median is a prediction
    rates = pd.Series({k: (y_hat[g == k] > median).mean() for k in "abc"})
    dp = r.distribution_parity.set_index("group")
    np.testing.assert_allclose(dp["scoring_rate"].loc[list("abc")], rates.loc[list("abc")], rtol=1e-12)
    np.testing.assert_allclose(dp["impact_ratio"].loc[list("abc")], (rates / rates.max()).loc[list("abc")],
                               rtol=1e-12)
    assert dp["median_prediction"].iloc[0] == median
    ff = r.four_fifths.set_index("group")  # the four-fifths view reads the same rates
    np.testing.assert_allclose(ff["impact_ratio"].loc[list("abc")], dp["impact_ratio"].loc[list("abc")])
    # when a higher prediction is unfavourable, the favourable side is at or below the median
    low = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, positive_is_favorable=False)
    fav = 1 - rates
    np.testing.assert_allclose(low.distribution_parity.set_index("group")["impact_ratio"].loc[list("abc")],
                               (fav / fav.max()).loc[list("abc")], rtol=1e-12)


def test_directions_follow_positive_is_favorable():
    assert ba.get_metric("mean_prediction").direction(True) is True
    assert ba.get_metric("mean_prediction").direction(False) is False
    assert ba.get_metric("mean_absolute_error").direction(False) is False
    assert ba.get_metric("mean_outcome").direction() is None


def test_bootstrap_and_foreign_metrics_are_refused():
    g, y, y_hat, _ = _data(n=200)
    table = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}).counts  # the bootstrap needs rows (test_task_bootstrap)
    with pytest.raises(ba.InvalidParameterError, match=r"`n_resamples` must be 0 here for a regression audit"):
        ba.audit_counts(table, n_resamples=100)
    with pytest.raises(ba.InvalidParameterError, match=r"'true_positive_rate' is not a regression metric"):
        ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, metrics=["tpr"])
    with pytest.raises(ba.AuditError, match=r"`y_true` must be finite for task='regression'; got 1 NaN"):
        ba.audit(y_true=np.r_[y[:-1], np.nan], y_pred=y_hat, protected={"g": g}, task="regression")
    with pytest.raises(ba.InvalidParameterError, match=r"'mean_absolute_error' needs `y_true`, which was not given"):
        ba.audit(y_true=None, y_pred=y_hat, protected={"g": g}, metrics=["mae"])
    with pytest.raises(ba.InvalidParameterError, match=r"`task` must be one of"):
        ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, task="regresion")


def test_task_detection():
    from biasaudit._tasks import detect_task
    from sklearn.utils.multiclass import type_of_target

    assert detect_task([0, 1, 1], [1.5, 0.2, 3.0]) == "regression"
    assert detect_task(np.arange(100), np.arange(100) + 0.5) == "regression"
    assert type_of_target(np.arange(100) + 0.5) == "continuous"
    with pytest.raises(ba.AuditError, match=r"cannot tell the task.*40 distinct values.*task='regression'"):
        detect_task(np.arange(40), np.arange(40))
    # an explicit task decides: integer amounts are a regression when said so
    r = ba.audit(y_true=np.arange(40), y_pred=np.arange(40)[::-1], protected={"g": ["a", "b"] * 20},
                 task="regression")
    assert r.parameters["task"] == "regression" and r.counts.family == "regression"


def _moment_table(g, y, y_hat, w, edges, median):
    return count_moments([encode_attribute(g, "g")], y, y_hat, weight=w, edges=edges, median=median,
                         fingerprint=True, caller="test")


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 199))
def test_invariances_row_order_chunks_zero_weights(seed, cut):
    rng = np.random.default_rng(seed)
    n = 200
    g = rng.choice(["a", "b"], n)
    y = rng.normal(0, 1, n).round(2)
    y_hat = (y + rng.normal(0, 1, n)).round(2)
    w = rng.integers(0, 4, n).astype(float)
    w[:2] = 1.0
    edges = np.linspace(-3, 3, 13)
    median = 0.0
    whole = _moment_table(g, y, y_hat, w, edges, median)
    order = rng.permutation(n)
    shuffled = _moment_table(g[order], y[order], y_hat[order], w[order], edges, median)
    parts = _moment_table(g[:cut], y[:cut], y_hat[:cut], w[:cut], edges, median) + \
        _moment_table(g[cut:], y[cut:], y_hat[cut:], w[cut:], edges, median)
    for other in (shuffled, parts):
        assert other.data_sha256 == whole.data_sha256
        for k in whole.sums:
            np.testing.assert_allclose(other.sums[k], whole.sums[k], rtol=1e-9, atol=1e-9)
    # rows of zero weight change no metric (only the row counts)
    keep = w > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BiasAuditWarning)
        a = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, sample_weight=w, min_group_size=1)
        b = ba.audit(y_true=y[keep], y_pred=y_hat[keep], protected={"g": g[keep]}, sample_weight=w[keep],
                     min_group_size=1)
    cols = ["mean_outcome", "mean_prediction", "mean_error", "mean_absolute_error", "root_mean_squared_error",
            "r2_score", "scoring_rate"]
    ga, gb = a.group_metrics.set_index("group"), b.group_metrics.set_index("group")
    common = [x for x in ga.index if x in gb.index]
    np.testing.assert_allclose(ga.loc[common, cols].to_numpy(float), gb.loc[common, cols].to_numpy(float),
                               rtol=1e-9, atol=1e-12)


@pytest.fixture(scope="module")
def adult_hours(datasets_home):
    df = ba.datasets.load_adult(data_home=datasets_home)
    features = pd.get_dummies(df[["age", "education-num", "occupation", "marital-status"]], dtype=float)
    model = LinearRegression().fit(features, df["hours-per-week"])
    return df.assign(predicted_hours=model.predict(features))


def test_adult_hours_per_week_by_sex_and_race(adult_hours):
    df = adult_hours
    r = ba.audit(df, y_true="hours-per-week", y_pred="predicted_hours", protected=["sex", "race"])
    assert r.parameters["task"] == "regression"  # detected: integer hours, continuous predictions
    gm = r.group_metrics.set_index(["attribute", "group"])
    for attribute in ("sex", "race"):
        for label, part in df.groupby(attribute):
            row = gm.loc[(attribute, label)]
            assert row["mean_absolute_error"] == pytest.approx(
                mean_absolute_error(part["hours-per-week"], part["predicted_hours"]), rel=1e-10)
            assert row["r2_score"] == pytest.approx(r2_score(part["hours-per-week"], part["predicted_hours"]),
                                                    rel=1e-8)
    d = r.disparities.set_index(["attribute", "metric", "group"])
    female = df["sex"] == "Female"
    res = stats.ttest_ind(df.loc[female, "predicted_hours"], df.loc[~female, "predicted_hours"], equal_var=False)
    row = d.loc[("sex", "mean_prediction", "Female")]
    assert row["statistic"] == pytest.approx(res.statistic, rel=1e-8)
    # the model predicts women work fewer hours, as they report; a clear and significant gap
    assert row["difference"] < -3 and row["verdict"] == "disparity", row["verdict_reason"]
    # survey weights: the weighted means are numpy's weighted averages
    rw = ba.audit(df, y_true="hours-per-week", y_pred="predicted_hours", protected="sex", sample_weight="fnlwgt")
    got = rw.group_metrics.set_index("group").loc["Female", "mean_error"]
    want = np.average(df.loc[female, "predicted_hours"] - df.loc[female, "hours-per-week"],
                      weights=df.loc[female, "fnlwgt"])
    assert got == pytest.approx(want, rel=1e-8, abs=1e-9)


def test_weighted_lower_median_equals_a_full_sort():
    from biasaudit._tables._moment import weighted_lower_median

    rng = np.random.default_rng(1)
    for t in range(200):
        n = int(rng.integers(1, 300))
        v = rng.integers(0, 20, n).astype(float) if t % 2 else rng.normal(size=n)
        w = rng.integers(0, 4, n).astype(float)
        w[0] = 1.0
        order = np.argsort(v, kind="stable")
        cum = np.cumsum(w[order])
        assert weighted_lower_median(v, w) == v[order][np.searchsorted(cum, 0.5 * cum[-1])]
        assert weighted_lower_median(v, None) == np.sort(v)[(n - 1) // 2]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(16 * 4096, 200_000), levels=st.integers(1, 5000), layout=st.sampled_from(
    ["random", "sorted", "reversed", "blocks", "cauchy"]), seed=st.integers(0, 2**32 - 1))
def test_unweighted_median_by_bracketing_equals_a_partition(n, levels, layout, seed):
    # Large arrays take the bracketing path (a strided sample, then a partition of the rows
    # between two of its order statistics); every layout must give the exact lower median,
    # the adversarial ones (sorted, blocks of ties) through the fallback if the bracket misses.
    from biasaudit._tables._moment import _lower_median

    rng = np.random.default_rng(seed)
    v = rng.standard_cauchy(n) if layout == "cauchy" else rng.integers(0, levels, n).astype(float)
    if layout == "sorted":
        v = np.sort(v)
    elif layout == "reversed":
        v = np.sort(v)[::-1].copy()
    elif layout == "blocks":
        v = np.repeat(rng.normal(size=n // 4096 + 1), 4096)[:n]
    k = (n - 1) // 2
    assert _lower_median(v) == np.partition(v, k)[k]


def test_a_binary_audit_refuses_metrics_of_other_tasks():
    with pytest.raises(ba.InvalidParameterError, match=r"'mean_absolute_error' is a regression metric; this audit "
                                                       r"is of binary decisions"):
        ba.audit(y_true=[0, 1, 1, 0], y_pred=[1, 1, 0, 0], protected={"g": list("aabb")}, metrics=["mae"])


def test_reports_of_amounts_build_and_validate_against_the_schema():
    import json
    from pathlib import Path

    import jsonschema

    schema_path = Path(ba.__file__).parent / "_report" / "schema" / "report-1.2.schema.json"
    g, y, y_hat, _ = _data(n=600)
    r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g})
    report = json.loads(r.report().to_json())
    jsonschema.validate(report, json.loads(schema_path.read_text(encoding="utf-8")))
    assert {f["metric"] for f in report["findings"]} >= {"mean_error"}  # group b is under-predicted by 2
    assert "Mean error (predicted minus actual)" in r.report().to_markdown()
    assert r.to_dict()["parameters"]["task"] == "regression"


def test_predictions_alone_give_their_mean_histogram_and_scoring_rate():
    g, y, y_hat, _ = _data(n=1001)
    r = ba.audit(y_true=None, y_pred=y_hat, protected={"g": g}, reference={"g": "a"})
    assert r.metrics == ("mean_prediction", "scoring_rate") and r.parameters["task"] == "regression"
    res = stats.ttest_ind(y_hat[g == "b"], y_hat[g == "a"], equal_var=False)
    row = r.disparities.set_index(["metric", "group"]).loc[("mean_prediction", "b")]
    assert row["statistic"] == pytest.approx(res.statistic, rel=1e-9)
    with_outcomes = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, reference={"g": "a"})
    cols = ["ks_distance", "ks_upper_bound", "scoring_rate", "impact_ratio"]
    pd.testing.assert_frame_equal(r.distribution_parity[cols], with_outcomes.distribution_parity[cols])


@pytest.mark.parametrize("weight", [3.7, 0.1, 1 / 3, 2.0])
def test_constant_weights_give_the_unweighted_median(weight):
    # The scoring rate splits at the full-sample lower median; a constant weight must not
    # move it (cumulative sums of 3.7 used to fall an ulp short of half and pick the next value).
    from biasaudit._tables._moment import weighted_lower_median

    rng = np.random.default_rng(0)
    for n in range(2, 300):
        values = rng.normal(size=n)
        k = (n - 1) // 2
        assert weighted_lower_median(values, np.full(n, weight)) == np.partition(values, k)[k]


def _two_groups(shift_a, shift_b=0.0):
    """Groups a and b of 2,000 rows; predictions the outcome plus noise whose mean is exactly
    each group's shift (the noise comes in pairs of opposite signs)."""
    rng = np.random.default_rng(1)
    n = 4000
    group = np.repeat(["a", "b"], n // 2)
    y = rng.normal(40, 3, n)
    noise = rng.normal(0, 5, n // 4)
    noise = np.concatenate([noise, -noise, noise, -noise])
    return group, y, y + noise + np.where(group == "a", shift_a, shift_b)


def test_a_tiny_signed_bias_of_the_other_sign_is_no_disparity():
    # Mean errors of -0.10 and +0.05 hours against outcomes near 40: a "ratio" of -2 means
    # nothing; the gap, 0.4% of the root mean square outcome, is what the verdict reads.
    group, y, y_hat = _two_groups(-0.10, 0.05)
    result = ba.audit(y_true=y, y_pred=y_hat, protected={"g": group}, task="regression", reference={"g": "b"})
    d = result.disparities.set_index(["group", "metric"])
    row = d.loc[("a", "mean_error")]
    assert row["difference"] == pytest.approx(-0.15, abs=1e-9)
    assert np.isnan(row["ratio"]) and np.isnan(row["ratio_ci_low"])  # no ratio of signed values
    assert np.isnan(d.loc[("a", "r2_score"), "ratio"])
    assert d.loc[("a", "mean_absolute_error"), "ratio"] > 0  # an error size keeps its ratio
    assert row["verdict"] == "parity"
    assert "ratio" not in row["verdict_reason"]
    assert not [f for f in result.report().findings if f["group"] == "a"]


def test_an_amount_gap_is_high_only_at_twice_the_tolerance_in_the_audits_unit():
    # A mean prediction 2.8 lower (7% of the root mean square outcome, about 40): a
    # disparity, of medium severity (high starts at 2 x 0.05 = 10%), not high because
    # 2.8 exceeds 0.1 in raw units.
    group, y, y_hat = _two_groups(-0.07 * 40)
    result = ba.audit(y_true=y, y_pred=y_hat, protected={"g": group}, task="regression", reference={"g": "b"},
                      metrics=["mean_prediction"])
    (finding,) = result.report().findings
    assert finding["group"] == "a" and finding["metrics"][0]["verdict"] == "disparity"
    assert finding["severity"] == "medium"
    group, y, y_hat = _two_groups(-0.12 * 40)
    result = ba.audit(y_true=y, y_pred=y_hat, protected={"g": group}, task="regression", reference={"g": "b"},
                      metrics=["mean_prediction"])
    assert [f["severity"] for f in result.report().findings] == ["high"]
