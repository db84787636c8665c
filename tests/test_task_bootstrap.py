"""Bootstrap intervals of regression and multiclass audits (issue 12).

Regression: a stratified row bootstrap drawn while the rows are counted
(biasaudit._bootstrap_rows, biasaudit._stats._row_bootstrap); multiclass: the count-level
bootstrap of the K x K table. Oracles: naive loops with the same random draws (to 1e-12),
scikit-learn metrics on the resampled rows, and scipy.stats.bootstrap.
"""

import math

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

import biasaudit as ba
from biasaudit._stats._bootstrap import resample_counts
from biasaudit._stats._row_bootstrap import row_replicate_sums
from biasaudit._tables._moment import median_of
from biasaudit.exceptions import InvalidParameterError

REG_METRICS = ["mean_outcome", "mean_prediction", "mean_error", "mean_absolute_error", "root_mean_squared_error",
               "r2_score", "scoring_rate"]


def _regression(n=90, seed=0, weighted=True):
    gen = np.random.default_rng(seed)
    g = gen.choice(["a", "b", "c"], n, p=[0.45, 0.35, 0.2])
    s = gen.choice(["f", "m"], n)
    y = 5 + 2 * gen.normal(size=n) + (g == "b")
    p = y + gen.normal(size=n) * np.where(g == "c", 1.5, 1.0) + 0.3 * (s == "m")
    w = gen.uniform(0.5, 3.0, size=n) if weighted else None
    return g, s, y, p, w


def _canonical_draws(strata, keys, n_resamples, gen):
    """The documented draw rule, written as a loop: (B, n) row indices of each replicate."""
    n = len(strata)
    order = sorted(range(n), key=lambda i: (strata[i], *keys[i]))
    size = {k: int(np.sum(strata == k)) for k in set(strata.tolist())}
    start, pos = {}, 0
    for k in sorted(size):
        start[k], pos = pos, pos + size[k]
    out = np.empty((n_resamples, n), dtype=np.intp)
    for r in range(n_resamples):
        u = gen.random(n)
        for j in range(n):
            k = strata[order[j]]
            out[r, j] = order[start[k] + min(int(u[j] * size[k]), size[k] - 1)]
    return out


def _group_metrics(y, p, w, median):
    return np.array([
        np.average(y, weights=w), np.average(p, weights=w), np.average(p - y, weights=w),
        mean_absolute_error(y, p, sample_weight=w), math.sqrt(mean_squared_error(y, p, sample_weight=w)),
        r2_score(y, p, sample_weight=w), np.average(p > median, weights=w),
    ])


# ------------------------------------------------------------------ the draws


def test_row_replicate_sums_equal_a_naive_loop_with_the_same_draws():
    gen = np.random.default_rng(3)
    strata = gen.integers(0, 4, size=40)
    strata[strata == 2] = 1  # stratum 2 empty
    values = np.column_stack([gen.integers(0, 3, size=40).astype(float), gen.normal(size=40)])
    fast = row_replicate_sums(strata, values, n_strata=4, n_resamples=25, rng=11)
    picks = _canonical_draws(strata, values, 25, np.random.default_rng(11))
    naive = np.zeros((25, 4, 2))
    for r in range(25):
        for i in picks[r]:
            naive[r, strata[i]] += values[i]
    np.testing.assert_allclose(fast, naive, rtol=1e-12, atol=1e-12)
    assert (fast[:, 2] == 0).all()
    # each stratum keeps its number of rows
    counts = row_replicate_sums(strata, np.ones((40, 1)), n_strata=4, n_resamples=5, rng=1)[..., 0]
    np.testing.assert_array_equal(counts, np.broadcast_to(np.bincount(strata, minlength=4), (5, 4)))


def test_row_replicate_sums_do_not_depend_on_batch_or_row_order():
    gen = np.random.default_rng(4)
    strata = gen.integers(0, 3, size=57)
    values = np.column_stack([gen.integers(0, 4, size=57), gen.integers(0, 2, size=57)]).astype(float)
    ref = row_replicate_sums(strata, values, n_strata=3, n_resamples=13, rng=5)
    for batch in (1, 4, 13):
        np.testing.assert_array_equal(row_replicate_sums(strata, values, n_strata=3, n_resamples=13, rng=5,
                                                         batch=batch), ref)
    perm = gen.permutation(57)  # many tied rows: equal rows are interchangeable
    np.testing.assert_array_equal(row_replicate_sums(strata[perm], values[perm], n_strata=3, n_resamples=13,
                                                     rng=5), ref)


def test_row_replicate_sums_errors():
    with pytest.raises(InvalidParameterError, match=r"row_replicate_sums\(\): `values` must have shape \(n, S\)"):
        row_replicate_sums([0, 1], [1.0, 2.0], n_strata=2, n_resamples=3)
    with pytest.raises(InvalidParameterError, match=r"`strata` must be in \[0, 2\); got values from 0 to 2"):
        row_replicate_sums([0, 2], [[1.0], [2.0]], n_strata=2, n_resamples=3)
    with pytest.raises(InvalidParameterError, match=r"`n_resamples` must be a positive integer; got 0"):
        row_replicate_sums([0, 1], [[1.0], [2.0]], n_strata=2, n_resamples=0)
    with pytest.raises(InvalidParameterError, match=r"`keys` must have shape \(n, k\) with n = 2"):
        row_replicate_sums([0, 1], [[1.0], [2.0]], n_strata=2, n_resamples=1, keys=[1.0, 2.0, 3.0])


# ------------------------------------------------------------------ regression, end to end


@pytest.mark.parametrize("weighted", [True, False])
def test_regression_intervals_equal_a_naive_row_bootstrap(weighted):
    """Every value, difference, spread interval against loops over resampled rows and scikit-learn."""
    g, s, y, p, w = _regression(weighted=weighted)
    n_res, seed = 60, 17
    r = ba.audit(y_true=y, y_pred=p, protected={"g": g, "s": s}, sample_weight=w, task="regression",
                 n_resamples=n_res, rng=seed, reference={"g": "a", "s": "f"}, min_group_size=5)
    median = median_of(r.counts)
    w1 = np.ones(len(y)) if w is None else w
    strata = np.searchsorted(["a", "b", "c"], g) * 2 + (s == "m")
    picks = _canonical_draws(strata, np.column_stack([p, y, w1]), n_res, np.random.default_rng([seed, 1]))
    labels = ["a", "b", "c"]
    reps = np.empty((n_res, 3, len(REG_METRICS)))
    for b in range(n_res):
        idx = picks[b]
        for k, lab in enumerate(labels):
            sel = idx[g[idx] == lab]
            reps[b, k] = _group_metrics(y[sel], p[sel], w1[sel], median)
    q = [2.5, 97.5]
    diffs = reps - reps[:, :1]
    disp = r.disparities[r.disparities["attribute"] == "g"].set_index(["metric", "group"])
    values = r.rate_intervals(method="bootstrap").query("attribute == 'g'").set_index(["metric", "group"])
    summary = r.summary[r.summary["attribute"] == "g"].set_index("metric")
    for i, m in enumerate(REG_METRICS):
        for k, lab in enumerate(labels):
            np.testing.assert_allclose(disp.loc[(m, lab), ["boot_ci_low", "boot_ci_high"]].to_numpy(float),
                                       np.percentile(diffs[:, k, i], q), rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(values.loc[(m, lab), ["ci_low", "ci_high"]].to_numpy(float),
                                       np.percentile(reps[:, k, i], q), rtol=1e-9, atol=1e-12)
        spread = reps[:, :, i].max(axis=1) - reps[:, :, i].min(axis=1)
        np.testing.assert_allclose(summary.loc[m, ["ci_low", "ci_high"]].to_numpy(float), np.percentile(spread, q),
                                   rtol=1e-9, atol=1e-12)


def test_regression_percentile_intervals_agree_with_scipy():
    gen = np.random.default_rng(8)
    n = 1200
    g = np.repeat(["a", "b"], [700, 500])
    y = gen.gamma(2.0, 3.0, size=n)
    p = y + gen.normal(size=n) * np.where(g == "a", 2.0, 3.0) + 0.5 * (g == "b")
    r = ba.audit(y_true=y, y_pred=p, protected={"g": g}, task="regression", n_resamples=3000, rng=2,
                 reference="a", metrics=["mean_prediction", "root_mean_squared_error"])
    d = r.disparities.set_index(["metric", "group"])
    a, b = g == "a", g == "b"
    ref = stats.bootstrap((p[b], p[a]), lambda u, v, axis: u.mean(axis) - v.mean(axis), vectorized=True,
                          n_resamples=3000, method="percentile", random_state=np.random.default_rng(3))
    ours = d.loc[("mean_prediction", "b"), ["boot_ci_low", "boot_ci_high"]].to_numpy(float)
    tol = 0.25 * ref.standard_error  # Monte Carlo error of a 2.5% quantile of 3,000 draws is ~0.05 SE
    np.testing.assert_allclose(ours, [ref.confidence_interval.low, ref.confidence_interval.high], atol=tol)
    rmse = stats.bootstrap((y[b], p[b]), lambda u, v, axis: np.sqrt(np.mean((u - v) ** 2, axis=axis)),
                           paired=True, vectorized=True, n_resamples=3000, method="percentile",
                           random_state=np.random.default_rng(4))
    iv = r.rate_intervals(method="bootstrap").set_index(["metric", "group"])
    np.testing.assert_allclose(iv.loc[("root_mean_squared_error", "b"), ["ci_low", "ci_high"]].to_numpy(float),
                               [rmse.confidence_interval.low, rmse.confidence_interval.high],
                               atol=0.25 * rmse.standard_error)
    # and the row bootstrap agrees with Welch's interval of the difference of means
    welch = d.loc[("mean_prediction", "b"), ["ci_low", "ci_high"]].to_numpy(float)
    np.testing.assert_allclose(ours, welch, atol=tol)


BOOT_COLUMNS = ["boot_ci_low", "boot_ci_high"]


def test_regression_bootstrap_is_invariant_to_row_order_and_constant_weights():
    g, s, y, p, w = _regression(n=150, seed=5)
    kw = dict(task="regression", n_resamples=40, rng=9, min_group_size=5)
    base = ba.audit(y_true=y, y_pred=p, protected={"g": g, "s": s}, sample_weight=w, **kw)
    perm = np.random.default_rng(1).permutation(len(y))
    shuffled = ba.audit(y_true=y[perm], y_pred=p[perm], protected={"g": g[perm], "s": s[perm]},
                        sample_weight=w[perm], **kw)
    np.testing.assert_array_equal(base.disparities[BOOT_COLUMNS].to_numpy(), shuffled.disparities[BOOT_COLUMNS].to_numpy())
    unweighted = ba.audit(y_true=y, y_pred=p, protected={"g": g, "s": s}, **kw)
    # a power of two: sums scale exactly (with 3.7 the weighted median itself can move by one row)
    constant = ba.audit(y_true=y, y_pred=p, protected={"g": g, "s": s}, sample_weight=np.full(len(y), 2.0), **kw)
    np.testing.assert_allclose(constant.disparities[BOOT_COLUMNS].to_numpy(float),
                               unweighted.disparities[BOOT_COLUMNS].to_numpy(float), rtol=1e-9, atol=1e-12)
    # weights matter: the weighted intervals are not the unweighted ones
    assert not np.allclose(base.disparities[BOOT_COLUMNS].to_numpy(float),
                           unweighted.disparities[BOOT_COLUMNS].to_numpy(float), equal_nan=True)


def test_regression_replicates_are_kept_by_with_options():
    g, _, y, p, w = _regression(n=120, seed=6)
    kw = dict(y_true=y, y_pred=p, protected={"g": g}, sample_weight=w, task="regression", rng=4)
    r = ba.audit(**kw, n_resamples=50)
    pd_testing = pytest.importorskip("pandas").testing
    pd_testing.assert_frame_equal(r.with_options().disparities, r.disparities)
    # the first k replicates are exactly those of a run with k: a smaller n_resamples needs no rows
    pd_testing.assert_frame_equal(r.with_options(n_resamples=20).disparities, ba.audit(**kw, n_resamples=20).disparities)
    pd_testing.assert_frame_equal(r.with_options(confidence_level=0.9).summary,
                                  ba.audit(**kw, n_resamples=50, confidence_level=0.9).summary)
    assert "boot_ci_low" not in r.with_options(n_resamples=0).disparities


def test_regression_bootstrap_errors_name_the_argument():
    g, _, y, p, _ = _regression(n=80, seed=7)
    kw = dict(y_true=y, y_pred=p, protected={"g": g}, task="regression")
    with pytest.raises(InvalidParameterError, match=r"audit\(\): `bootstrap_method` must be 'percentile' for a "
                                                    r"regression audit; got 'bca'"):
        ba.audit(**kw, n_resamples=20, bootstrap_method="bca")
    table = ba.audit(**kw).counts
    with pytest.raises(InvalidParameterError, match=r"audit_counts\(\): `n_resamples` must be 0 here for a "
                                                    r"regression audit; got 20\. .*pass `n_resamples` to audit\(\)"):
        ba.audit_counts(table, n_resamples=20)
    r = ba.audit(**kw, n_resamples=20, rng=1)
    with pytest.raises(InvalidParameterError, match=r"with_options\(\): `n_resamples` must be 0 here for a regression "
                                                    r"audit beyond the 20 drawn with the data; got 30"):
        r.with_options(n_resamples=30)
    with pytest.raises(InvalidParameterError, match=r"with_options\(\): `rng` must not change the seed"):
        r.with_options(rng=2)
    with pytest.raises(InvalidParameterError, match=r"rate_intervals\(\): `method` 'bootstrap' needs bootstrap "
                                                    r"replicates; got an audit with n_resamples=0"):
        ba.audit(**kw).rate_intervals(method="bootstrap")


def test_regression_bootstrap_with_control_and_without_outcomes():
    g, s, y, p, w = _regression(n=200, seed=9)
    r = ba.audit(y_true=y, y_pred=p, protected={"g": g}, control=s, sample_weight=w, task="regression",
                 n_resamples=30, rng=3, min_group_size=5)
    d = r.disparities
    moved = d[d["difference"] != 0]
    assert moved["boot_ci_low"].notna().all()
    assert ((moved["boot_ci_low"] <= moved["difference"] + 1e-12) | (moved["boot_ci_high"] >= moved["difference"])).all()
    decisions = ba.audit(y_true=None, y_pred=p, protected={"g": g}, task="regression", n_resamples=30, rng=3)
    assert set(decisions.disparities["metric"]) == {"mean_prediction", "scoring_rate"}
    assert decisions.disparities["boot_ci_high"].notna().all()


# ------------------------------------------------------------------ multiclass


def _classes(n=240, seed=0):
    gen = np.random.default_rng(seed)
    g = gen.choice(["x", "y", "z"], n, p=[0.5, 0.3, 0.2])
    y = gen.integers(0, 3, size=n)
    p = np.where(gen.random(n) < np.where(g == "z", 0.5, 0.7), y, gen.integers(0, 3, size=n))
    return g, y, p


def _class_values(c):
    """Per-class rates and the macro TPR of one K x K confusion matrix, by loops."""
    k = c.shape[0]
    total = c.sum()
    out = []
    for j in range(k):
        col, row = c[:, j].sum(), c[j, :].sum()
        out += [col / total if total else np.nan, c[j, j] / row if row else np.nan,
                (col - c[j, j]) / (total - row) if total - row else np.nan]
    tprs = [c[j, j] / c[j, :].sum() for j in range(k) if c[j, :].sum()]
    return out + [sum(tprs) / len(tprs) if tprs else np.nan]


def test_multiclass_intervals_equal_a_naive_loop_over_the_same_replicate_tables():
    g, y, p = _classes()
    metrics = [f"{b}[{j}]" for j in range(3) for b in ("selection_rate", "true_positive_rate", "false_positive_rate")]
    metrics.append("macro_true_positive_rate")
    r = ba.audit(y_true=y, y_pred=p, protected={"g": g}, task="multiclass", metrics=metrics, n_resamples=80, rng=6,
                 reference="x", min_group_size=5)
    reps = np.concatenate(list(resample_counts(r.counts.rows, n_resamples=80, rng=np.random.default_rng([6, 1]))))
    vals = np.array([[_class_values(reps[b, k]) for k in range(3)] for b in range(80)])  # (B, G, M)
    d = r.disparities.set_index(["metric", "group"])
    crit = r.criteria.set_index("criterion")
    for i, m in enumerate(metrics):
        for k, lab in enumerate(["x", "y", "z"]):
            np.testing.assert_allclose(d.loc[(m, lab), BOOT_COLUMNS].to_numpy(float),
                                       np.percentile(vals[:, k, i] - vals[:, 0, i], [2.5, 97.5]), atol=1e-12)
    sel = vals[:, :, [0, 3, 6]]
    gap = (sel.max(axis=1) - sel.min(axis=1)).max(axis=1)
    np.testing.assert_allclose(crit.loc["multiclass_demographic_parity", ["ci_low", "ci_high"]].to_numpy(float),
                               np.percentile(gap, [2.5, 97.5]), atol=1e-12)


def test_multiclass_bootstrap_bca_weights_and_decisions():
    g, y, p = _classes(n=300, seed=2)
    kw = dict(y_true=y, y_pred=p, protected={"g": g}, task="multiclass", n_resamples=200, rng=1, min_group_size=5)
    bca = ba.audit(**kw, bootstrap_method="bca").disparities
    moved = bca[bca["difference"] != 0].dropna(subset=["boot_ci_low"])
    assert len(moved) > 0.9 * (bca["difference"] != 0).sum()
    inside = (moved["boot_ci_low"] <= moved["difference"]) & (moved["difference"] <= moved["boot_ci_high"])
    assert inside.mean() > 0.9
    plain = ba.audit(**kw).disparities
    constant = ba.audit(**kw, sample_weight=np.full(len(y), 2.5)).disparities
    np.testing.assert_allclose(constant[BOOT_COLUMNS].to_numpy(float), plain[BOOT_COLUMNS].to_numpy(float),
                               atol=1e-12)
    decisions = ba.audit(y_true=None, y_pred=p, protected={"g": g}, task="multiclass", n_resamples=50, rng=1)
    assert decisions.disparities["boot_ci_low"].notna().all()
    iv = decisions.rate_intervals(method="bootstrap")
    assert ((iv["ci_low"] <= iv["value"]) & (iv["value"] <= iv["ci_high"])).all()


def test_regression_bootstrap_refuses_replicates_too_large_to_keep():
    gen = np.random.default_rng(0)
    a, b = np.arange(600) % 300, np.arange(600) // 2  # 300 levels each
    y = gen.normal(size=600)
    with pytest.raises(InvalidParameterError, match=r"audit\(\): `n_resamples` \(200\) times the 90,000 possible "
                                                    r"groups .* GB of replicate sums"):
        ba.audit(y_true=y, y_pred=y + 1, protected={"a": a, "b": b}, task="regression", n_resamples=200,
                 intersections=False)


def test_command_line_bootstraps_amounts_and_refuses_bca(tmp_path, capsys):
    import warnings

    import pandas as pd

    from biasaudit.cli import main

    g, _, y, p, _ = _regression(n=200, seed=11)
    path = tmp_path / "t.csv"
    pd.DataFrame({"g": g, "y": y.round(3), "yh": p.round(3)}).to_csv(path, index=False)
    args = ["audit", str(path), "--y-true", "y", "--y-pred", "yh", "--protected", "g", "--task", "regression",
            "--n-resamples", "40", "--out", str(tmp_path / "out"), "--format", "csv"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(args) in (0, 1)
    capsys.readouterr()
    assert main(args + ["--bootstrap-method", "bca"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "`bootstrap_method` must be 'percentile' for a regression audit" in err[0]


@pytest.mark.slow
def test_regression_bootstrap_coverage_of_a_known_difference():
    """Coverage of the percentile interval of a difference of mean errors, by simulation."""
    gen = np.random.default_rng(21)
    g = np.repeat(["a", "b"], [160, 120])
    hits, trials = 0, 120
    for _ in range(trials):
        y = gen.normal(size=g.size)
        p = y + gen.standard_t(5, size=g.size) * np.where(g == "a", 1.0, 2.0) + 0.4 * (g == "b")
        r = ba.audit(y_true=y, y_pred=p, protected={"g": g}, task="regression", n_resamples=299, reference="a",
                     metrics=["mean_error"], rng=int(gen.integers(2**31)))
        row = r.disparities.set_index("group").loc["b"]
        hits += row["boot_ci_low"] <= 0.4 <= row["boot_ci_high"]
    assert 0.87 <= hits / trials <= 0.995  # nominal 0.95; binomial sd ~0.02
