"""Score audits: the score table, its metrics against scikit-learn, DeLong, calibration, thresholds."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import ndtr
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score, roc_curve

import biasaudit as ba
from biasaudit._evidence_scores import delong, spiegelhalter
from biasaudit._score_audit import thresholds
from biasaudit.exceptions import BiasAuditWarning, UndefinedMetricWarning


def _data(seed=0, n=1500, levels=30, groups=("a", "b", "c", "d")):
    """Scores rounded to few levels (many ties), weights with zeros, unequal groups."""
    rng = np.random.default_rng(seed)
    g = rng.choice(groups, n, p=np.linspace(1, 2, len(groups)) / np.linspace(1, 2, len(groups)).sum())
    y = rng.integers(0, 2, n)
    s = np.clip(np.round((0.25 * y + rng.uniform(0, 0.75, n)) * levels) / levels, 0, 1)
    w = rng.choice([0.0, 0.5, 1.0, 2.5, 4.0], n)
    return pd.DataFrame({"g": g, "y": y, "s": s, "w": w})


def _audit(df, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        return ba.audit(df, y_true="y", y_score="s", protected="g", sample_weight="w", **kw)


# --------------------------------------------------------------------------- oracles


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_group_metrics_equal_scikit_learn_with_weights_and_ties(seed):
    df = _data(seed)
    r = _audit(df)
    assert r.counts.mode == "exact"
    gm = r.group_metrics.set_index("group")
    for label, part in df.groupby("g"):
        y, s, w = part["y"].to_numpy(), part["s"].to_numpy(), part["w"].to_numpy()
        row = gm.loc[label]
        assert row["roc_auc"] == pytest.approx(roc_auc_score(y, s, sample_weight=w), abs=1e-12)
        assert row["average_precision"] == pytest.approx(average_precision_score(y, s, sample_weight=w), abs=1e-12)
        assert row["brier_score"] == pytest.approx(brier_score_loss(y, s, sample_weight=w), abs=1e-12)
        assert row["mean_score"] == pytest.approx(np.average(s, weights=w), abs=1e-12)
        assert row["calibration_ratio"] == pytest.approx((w * y).sum() / (w * s).sum(), abs=1e-12)
        bins = np.searchsorted(np.linspace(0, 1, 11)[1:-1], s)  # scikit-learn's uniform bins
        ece = sum(abs((w * (y - s))[bins == k].sum()) for k in range(10)) / w.sum()
        assert row["expected_calibration_error"] == pytest.approx(ece, abs=1e-12)
    overall = r.overall
    assert overall["roc_auc"] == pytest.approx(roc_auc_score(df["y"], df["s"], sample_weight=df["w"]), abs=1e-12)


def test_reliability_curve_equals_calibration_curve():
    df = _data(4)
    df["w"] = 1.0
    curves = _audit(df).calibration_curves()
    for label, part in df.groupby("g"):
        prob_true, prob_pred = calibration_curve(part["y"], part["s"], n_bins=10, strategy="uniform")
        mine = curves[curves["group"] == label]
        np.testing.assert_allclose(mine["observed_rate"], prob_true, rtol=0, atol=1e-12)
        np.testing.assert_allclose(mine["mean_score"], prob_pred, rtol=0, atol=1e-12)
        # the ECE is the weighted gap of that curve
        gap = (mine["weight"] * (mine["observed_rate"] - mine["mean_score"]).abs()).sum() / mine["weight"].sum()
        assert gap == pytest.approx(_audit(df).group_metrics.set_index("group").loc[label,
                                                                                 "expected_calibration_error"])


def test_roc_curves_equal_scikit_learn():
    df = _data(5)
    curves = _audit(df).roc_curves()
    for label, part in df[df["w"] > 0].groupby("g"):
        fpr, tpr, thr = roc_curve(part["y"], part["s"], sample_weight=part["w"], drop_intermediate=False)
        mine = curves[curves["group"] == label]
        np.testing.assert_allclose(mine["fpr"], fpr, atol=1e-12)
        np.testing.assert_allclose(mine["tpr"], tpr, atol=1e-12)
        np.testing.assert_array_equal(mine["threshold"].to_numpy()[1:], thr[1:])


def test_binned_auc_lies_within_its_certified_bound():
    rng = np.random.default_rng(7)
    n = 20000
    y = rng.integers(0, 2, n)
    s = 1 / (1 + np.exp(-(rng.normal(0, 1, n) + 1.2 * y)))
    g = rng.choice(["a", "b"], n)
    w = rng.uniform(0.2, 3, n)
    for bins in (50, 400, 4000):
        r = ba.audit(y_true=y, y_score=s, protected={"g": g}, sample_weight=w, score_bins=bins)
        assert r.counts.mode == "binned" and r.counts.cell_shape == (2, bins)
        bounds = r.score_intervals().query("metric == 'roc_auc'").set_index("group")["auc_error_bound"]
        gm = r.group_metrics.set_index("group")
        for label in ("a", "b"):
            m = g == label
            exact = roc_auc_score(y[m], s[m], sample_weight=w[m])
            assert abs(gm.loc[label, "roc_auc"] - exact) <= bounds[label] + 1e-15
            assert bounds[label] > 0
        assert abs(r.overall["roc_auc"] - roc_auc_score(y, s, sample_weight=w)) <= r.counts.auc_error_bound
    # the bound shrinks with the bin width
    coarse = ba.audit(y_true=y, y_score=s, protected={"g": g}, score_bins=50).counts.auc_error_bound
    fine = ba.audit(y_true=y, y_score=s, protected={"g": g}, score_bins=4000).counts.auc_error_bound
    assert fine < coarse / 20


def test_auto_mode_bins_many_distinct_scores_and_keeps_few_exact():
    rng = np.random.default_rng(0)
    s = rng.uniform(size=40000)
    y = rng.integers(0, 2, 40000)
    g = {"g": np.arange(40000) % 2}
    assert ba.audit(y_true=y, y_score=s, protected=g).counts.mode == "binned"
    assert ba.audit(y_true=y, y_score=np.round(s, 3), protected=g).counts.mode == "exact"


# --------------------------------------------------------------------------- DeLong


def _delong_naive(y, s, w=None):
    """O(n^2) DeLong with the weighted linearisation: placement values row by row."""
    w = np.ones(len(y)) if w is None else w
    pos, neg = s[y == 1], s[y == 0]
    wp, wn = w[y == 1], w[y == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    auc = (wp[:, None] * wn[None, :] * psi).sum() / (wp.sum() * wn.sum())
    v10 = (psi * wn[None, :]).sum(axis=1) / wn.sum()
    v01 = (psi * wp[:, None]).sum(axis=0) / wp.sum()
    m_eff, n_eff = wp.sum() ** 2 / (wp ** 2).sum(), wn.sum() ** 2 / (wn ** 2).sum()
    s10 = (wp ** 2 * (v10 - auc) ** 2).sum() / wp.sum() ** 2 * m_eff / (m_eff - 1)
    s01 = (wn ** 2 * (v01 - auc) ** 2).sum() / wn.sum() ** 2 * n_eff / (n_eff - 1)
    return auc, s10 + s01


def _table_sums(y, s, w=None):
    w = np.ones(len(y)) if w is None else w
    levels, codes = np.unique(s, return_inverse=True)
    out = {k: np.zeros((2, len(levels))) for k in ("weight", "weight_sq")}
    np.add.at(out["weight"], (y, codes), w)
    np.add.at(out["weight_sq"], (y, codes), w * w)
    return out


@pytest.mark.parametrize("weighted", [False, True])
def test_delong_variance_equals_the_placement_value_computation(weighted):
    rng = np.random.default_rng(11)
    y = rng.integers(0, 2, 60)
    s = np.round(rng.uniform(size=60) + 0.3 * y, 1)
    w = rng.uniform(0.5, 3, 60) if weighted else None
    auc, var = delong(_table_sums(y, s, w))
    auc_naive, var_naive = _delong_naive(y, s, w)
    assert auc == pytest.approx(auc_naive, abs=1e-12)
    assert var == pytest.approx(var_naive, abs=1e-10)


def test_unweighted_delong_is_the_textbook_estimator():
    # DeLong et al. (1988): var = S10 / m + S01 / n with sample variances (m - 1, n - 1).
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 40)
    s = rng.integers(0, 5, 40).astype(float)
    pos, neg = s[y == 1], s[y == 0]
    psi = (pos[:, None] > neg) + 0.5 * (pos[:, None] == neg)
    textbook = psi.mean(axis=1).var(ddof=1) / len(pos) + psi.mean(axis=0).var(ddof=1) / len(neg)
    assert delong(_table_sums(y, s))[1] == pytest.approx(textbook, abs=1e-12)


def test_delong_gap_test_against_reference_and_against_the_rest():
    df = _data(8, n=400)
    df["w"] = 1.0
    r = _audit(df, min_group_size=1)
    d = r.disparities.query("metric == 'roc_auc'").set_index("group")
    ref = d["reference"].iloc[0]
    ra, rv = _delong_naive(*(df[df["g"] == ref][c].to_numpy() for c in ("y", "s")))
    for label in sorted(set(df["g"]) - {ref}):
        a, v = _delong_naive(*(df[df["g"] == label][c].to_numpy() for c in ("y", "s")))
        z = (a - ra) / np.sqrt(v + rv)
        assert d.loc[label, "statistic"] == pytest.approx(z, abs=1e-10)
        assert d.loc[label, "pvalue"] == pytest.approx(2 * ndtr(-abs(z)), abs=1e-10)
        assert d.loc[label, "test"] == "DeLong z (unpaired)"
        assert d.loc[label, "ci_low"] == pytest.approx(a - ra - 1.959963984540054 * np.sqrt(v + rv), abs=1e-10)
    assert r.family_size == len(set(df["g"])) - 1  # the AUC gaps join the family
    overall = _audit(df, min_group_size=1, reference="overall").disparities.query("metric == 'roc_auc'")
    row = overall.set_index("group").loc["a"]
    rest = df[df["g"] != "a"]
    a, v = _delong_naive(*(df[df["g"] == "a"][c].to_numpy() for c in ("y", "s")))
    ra, rv = _delong_naive(rest["y"].to_numpy(), rest["s"].to_numpy())
    assert row["statistic"] == pytest.approx((a - ra) / np.sqrt(v + rv), abs=1e-10)
    assert row["test"] == "DeLong z (unpaired) vs rest"


def test_auc_interval_is_logit_delong():
    df = _data(9)
    r = _audit(df)
    iv = r.score_intervals().query("metric == 'roc_auc'").set_index("group")
    part = df[df["g"] == "b"]
    a, v = _delong_naive(part["y"].to_numpy(), part["s"].to_numpy(), part["w"].to_numpy())
    half = 1.959963984540054 * np.sqrt(v) / (a * (1 - a))
    lo = 1 / (1 + np.exp(-(np.log(a / (1 - a)) - half)))
    hi = 1 / (1 + np.exp(-(np.log(a / (1 - a)) + half)))
    assert (iv.loc["b", "ci_low"], iv.loc["b", "ci_high"]) == pytest.approx((lo, hi), abs=1e-10)
    assert iv.loc["b", "auc_error_bound"] == 0.0


# --------------------------------------------------------------------------- calibration


def test_spiegelhalter_z_equals_the_row_formula():
    df = _data(12)
    r = _audit(df)
    iv = r.score_intervals().query("metric == 'calibration_ratio'").set_index("group")
    for label, part in df.groupby("g"):
        y, s, w = (part[c].to_numpy() for c in ("y", "s", "w"))
        z = (w * (y - s) * (1 - 2 * s)).sum() / np.sqrt((w ** 2 * (1 - 2 * s) ** 2 * s * (1 - s)).sum())
        assert iv.loc[label, "statistic"] == pytest.approx(z, abs=1e-10)
        robust = np.sqrt((w ** 2 * (y - s) ** 2).sum()) / (w * y).sum()
        oe = (w * y).sum() / (w * s).sum()
        assert iv.loc[label, "ci_low"] == pytest.approx(oe * np.exp(-1.959963984540054 * robust), abs=1e-10)
    assert iv["pvalue_adjusted"].ge(iv["pvalue"]).all()


def test_spiegelhalter_is_calibrated_under_the_null():
    rng = np.random.default_rng(0)
    s = rng.uniform(0.05, 0.95, (400, 300))
    y = (rng.uniform(size=s.shape) < s).astype(int)
    sums = {"weight": np.zeros((400, 2, 300)), "weight_sq": np.zeros((400, 2, 300)),
            "w_score": np.zeros((400, 2, 300)), "w_score_sq": np.zeros((400, 2, 300))}
    idx = np.arange(300)
    for k in range(400):  # one bin per row
        sums["weight"][k, y[k], idx] = 1
        sums["weight_sq"][k, y[k], idx] = 1
        sums["w_score"][k, y[k], idx] = s[k]
        sums["w_score_sq"][k, y[k], idx] = s[k] ** 2
    _, p = spiegelhalter(sums)
    assert 0.02 < (p < 0.05).mean() < 0.09


# --------------------------------------------------------------------------- thresholds


def test_decisions_at_a_threshold_equal_an_audit_of_the_decisions():
    df = _data(13)
    r = _audit(df, threshold=[0.5, 0.7])
    for t in (0.5, 0.7):
        mine = r.at_threshold(t).group_metrics
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BiasAuditWarning)
            direct = ba.audit(df, y_true="y", y_pred=(df["s"] >= t).astype(int), protected="g",
                              sample_weight="w").group_metrics
        pd.testing.assert_frame_equal(mine, direct)
    sweep = r.threshold_metrics()
    assert sweep["threshold"].unique().tolist() == [0.5, 0.7]
    assert sweep["rule"].unique().tolist() == ["0.5", "0.7"]


def test_rule_thresholds():
    df = _data(14)
    r = _audit(df, threshold=["top_k=100", "top_share=0.25", "fpr=0.1"])
    t_k, t_share, t_fpr = (value for _, value in thresholds(r))
    s, y, w = df["s"].to_numpy(), df["y"].to_numpy(), df["w"].to_numpy()
    assert (s >= t_k).sum() >= 100 > (s > t_k).sum()  # the k-th highest score, ties included
    assert (w * (s >= t_share)).sum() / w.sum() >= 0.25 > (w * (s > t_share)).sum() / w.sum()
    neg = w * (y == 0)
    fpr = lambda t: neg[s >= t].sum() / neg.sum()  # noqa: E731
    below = s[s < t_fpr].max()
    assert fpr(t_fpr) <= 0.1 < fpr(below)  # the lowest score whose FPR is at most 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        assert r.at_threshold("fpr=0.1").group_metrics.equals(r.at_threshold(t_fpr).group_metrics)


def test_thresholds_are_exact_in_binned_mode():
    rng = np.random.default_rng(2)
    s, y = rng.uniform(size=30000), rng.integers(0, 2, 30000)
    g = rng.choice(["a", "b"], 30000)
    r = ba.audit(y_true=y, y_score=s, protected={"g": g}, score_bins=64, threshold=0.5123)
    tpr = r.at_threshold(0.5123).group_metrics.set_index("group")["true_positive_rate"]
    for label in ("a", "b"):
        m = (g == label) & (y == 1)
        assert tpr[label] == pytest.approx((s[m] >= 0.5123).mean(), abs=1e-12)
    with pytest.raises(ba.AuditError, match=r"at_threshold\(\): threshold 0.3 is inside a score bin"):
        r.at_threshold(0.3)


# --------------------------------------------------------------------------- undefined and edge cases


def test_one_class_group_gets_nan_and_a_warning():
    y = [1, 1, 1, 0, 1, 0, 1, 0]
    s = [0.9, 0.4, 0.7, 0.2, 0.8, 0.3, 0.6, 0.5]
    g = ["solo"] * 3 + ["mixed"] * 5
    with pytest.warns(UndefinedMetricWarning, match=r"roc_auc for group='solo'"):
        r = ba.audit(y_true=y, y_score=s, protected={"group": g}, min_group_size=1)
    row = r.group_metrics.set_index("group").loc["solo"]
    assert np.isnan(row["roc_auc"])
    assert row["average_precision"] == 1.0  # defined: positives only
    assert row["brier_score"] == pytest.approx(np.mean((1 - np.array([0.9, 0.4, 0.7])) ** 2))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 1), st.sampled_from([0.0, 0.1, 0.5, 0.5, 0.9, 1.0]),
                          st.sampled_from([0.0, 1.0, 2.0])), min_size=1, max_size=40))
def test_hypothesis_matches_scikit_learn_or_is_nan(rows):
    g, y, s, w = (np.array(c) for c in zip(*rows))
    if w.sum() == 0:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        r = ba.audit(y_true=y, y_score=s, protected={"g": g}, sample_weight=w, min_group_size=1)
    gm = r.group_metrics.set_index("group")
    for label in gm.index:
        m = (g == label) & (w > 0)
        row = gm.loc[label]
        if m.sum() == 0:
            assert np.isnan(row["roc_auc"]) and np.isnan(row["brier_score"])
            continue
        if len(set(y[m])) < 2:
            assert np.isnan(row["roc_auc"])
        else:
            assert row["roc_auc"] == pytest.approx(roc_auc_score(y[m], s[m], sample_weight=w[m]), abs=1e-12)
        if y[m].sum() > 0:
            assert row["average_precision"] == pytest.approx(
                average_precision_score(y[m], s[m], sample_weight=w[m]), abs=1e-12)
        else:
            assert np.isnan(row["average_precision"])
        assert row["brier_score"] == pytest.approx(brier_score_loss(y[m], s[m], sample_weight=w[m]), abs=1e-12)
        auc_bound = r.score_intervals().query("metric == 'roc_auc'").set_index("group").loc[label]
        assert auc_bound["auc_error_bound"] == 0 or np.isnan(auc_bound["auc_error_bound"])


def test_constant_scores_and_empty_bins():
    y = np.array([0, 1, 0, 1] * 10)
    r = ba.audit(y_true=y, y_score=np.full(40, 0.3), protected={"g": ["a", "a", "b", "b"] * 10}, score_bins=16)
    gm = r.group_metrics.set_index("group")
    assert (gm["roc_auc"] == 0.5).all()  # every pair tied
    assert r.counts.auc_error_bound == 0.5  # and the bound says the order is unknown
    assert (r.counts.rows.sum(axis=(0, 1)) > 0).sum() == 1  # 15 empty bins


def test_bootstrap_covers_score_metrics():
    df = _data(15, n=600)
    r = _audit(df, n_resamples=200, rng=1, metrics=["roc_auc", "brier_score"])
    d = r.disparities.query("verdict != 'reference'")
    assert len(d) == 2 * (df["g"].nunique() - 1)
    assert (d["boot_ci_low"] <= d["boot_ci_high"]).all()
    inside = (d["boot_ci_low"] <= d["difference"]) & (d["difference"] <= d["boot_ci_high"])
    assert inside.all()


def test_score_audit_with_decisions_too():
    df = _data(16)
    df["p"] = (df["s"] > 0.6).astype(int)
    r = _audit(df.assign(), y_pred="p")
    assert r.decisions is not None
    assert "selection_rate" in r.decisions.metrics and "roc_auc" in r.metrics


@pytest.mark.parametrize("kwargs, message", [
    ({"y_score": ["a", "b", "c", "d"]}, r"audit\(\): `y_score` must be real numbers"),
    ({"y_score": [0.1, np.nan, 0.2, 0.3]}, r"audit\(\): `y_score` must be finite; got 1 NaN"),
    ({"y_score": [-np.inf, 1e308, np.inf, 1e308]}, r"`y_score` must be finite; got 0 NaN and 2 infinite"),
    ({"y_score": [0.1, 0.2, 0.3, 0.4], "score_bins": 1}, r"`score_bins` must be 'auto', 'exact' or an integer"),
    ({"y_score": [0.1, 0.2, 0.3, 4.0], "metrics": ["brier_score"]}, r"needs probabilities"),
    ({"y_score": [0.1, 0.2, 0.3, 0.4], "metrics": ["tpr"]}, r"is a decision metric"),
    ({"y_score": [0.1, 0.2, 0.3, 0.4], "threshold": "top_k=0"}, r"`threshold` must be a number, a rule"),
])
def test_bad_score_inputs_are_named(kwargs, message):
    with pytest.raises(ba.AuditError, match=message):
        ba.audit(y_true=[0, 1, 0, 1], protected={"g": list("aabb")}, **kwargs)


def test_huge_finite_scores_pass_the_finiteness_check():
    # the check reads the scores' range; scores whose sum overflows are still finite
    from biasaudit._tables._score import check_scores

    scores = np.array([1e308, 1.7e308, -1e308])
    checked, score_range = check_scores(scores, caller="audit")
    np.testing.assert_array_equal(checked, scores)
    assert score_range == (-1e308, 1.7e308)


def test_decision_audits_have_no_curves():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        r = ba.audit(y_true=[0, 1, 0, 1] * 10, y_pred=[1, 1, 0, 0] * 10, protected={"g": ["a", "a", "b", "b"] * 10})
    with pytest.raises(ba.AuditError, match=r"roc_curves\(\): only a score audit"):
        r.roc_curves()


# --------------------------------------------------------------------------- real data


def test_logistic_regression_on_adult_audited_by_sex_and_race(datasets_home):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import make_pipeline

    train = ba.datasets.load_adult(split="train")
    test = ba.datasets.load_adult(split="test")
    numeric = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
    categorical = ["workclass", "marital-status", "occupation", "relationship"]
    model = make_pipeline(
        make_column_transformer((StandardScaler(), numeric),
                                (OneHotEncoder(handle_unknown="ignore"), categorical)),
        LogisticRegression(max_iter=500))
    model.fit(train[numeric + categorical].fillna("?"), train["income_over_50k"])
    test = test.assign(p=model.predict_proba(test[numeric + categorical].fillna("?"))[:, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        r = ba.audit(test, y_true="income_over_50k", y_score="p", protected=["sex", "race"],
                     sample_weight="fnlwgt", threshold=[0.5, "top_share=0.2"])
    gm = r.group_metrics.set_index(["attribute", "group"])
    for attr in ("sex", "race"):
        for label, part in test.groupby(attr):
            y, s, w = part["income_over_50k"], part["p"], part["fnlwgt"]
            row = gm.loc[(attr, label)]
            assert row["roc_auc"] == pytest.approx(roc_auc_score(y, s, sample_weight=w),
                                                   abs=r.score_intervals().query(
                                                       "attribute == @attr and group == @label and "
                                                       "metric == 'roc_auc'")["auc_error_bound"].iloc[0] + 1e-12)
            assert row["brier_score"] == pytest.approx(brier_score_loss(y, s, sample_weight=w), abs=1e-12)
    assert 0.85 < r.overall["roc_auc"] < 0.95
    d = r.disparities.query("attribute == 'sex' and metric == 'roc_auc'").set_index("group")
    assert d.loc["Female", "test"] == "DeLong z (unpaired)"
    assert np.isfinite(d.loc["Female", "pvalue"])
    assert set(r.threshold_metrics()["rule"]) == {"0.5", "top_share=0.2"}


# --------------------------------------------------------------------------- findings and figures


def _shifted(favourable=True):
    rng = np.random.default_rng(21)
    n = 6000
    g = rng.choice(["a", "b"], n)
    y = rng.integers(0, 2, n)
    noise = np.where(g == "b", 2.5, 0.8)  # b is ranked worse
    s = 1 / (1 + np.exp(-(rng.normal(0, noise) + 1.5 * (y - 0.5))))
    s = np.where(g == "b", np.clip(s + 0.15, 0, 1), s)  # and its risk over-estimated
    return ba.audit(y_true=y, y_score=s, protected={"g": g}, positive_is_favorable=favourable, score_bins=400,
                    reference="a")


def test_findings_say_who_is_harmed():
    # the report's findings (tests/test_report_tasks.py has the sentences)
    found = {(f["type"], f["group"]): f for f in _shifted(favourable=False).report(full=True).findings}
    assert found[("auc_disparity", "b")]["disadvantaged"] == "group"
    assert "less accurately" in found[("auc_disparity", "b")]["sentence"]
    assert found[("miscalibration", "b")]["evidence"]["value"] < 1
    assert found[("miscalibration", "b")]["disadvantaged"] == "group"  # flagged as high risk more than warranted
    favoured = {(f["type"], f["group"]): f for f in _shifted(favourable=True).report(full=True).findings}
    assert favoured[("miscalibration", "b")]["disadvantaged"] is None


def test_figures_are_svg_without_user_markup():
    from biasaudit._report._score_figures import reliability_figure, roc_figure

    rng = np.random.default_rng(0)
    g = rng.choice(["<script>x</script>", "b"], 400)
    y = rng.integers(0, 2, 400)
    s = np.round(rng.uniform(size=400), 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        r = ba.audit(y_true=y, y_score=s, protected={"g": g})
    for svg in (roc_figure(r, "g"), reliability_figure(r, "g")):
        assert svg.startswith("<svg") and "<script" not in svg
    assert roc_figure(r, "g", min_cell=1000) is None


# --------------------------------------------------------------------------- command line


def test_command_line_audits_scores(tmp_path):
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from _cli_helpers import assert_usage_error, run_cli

    df = _data(30, n=800)
    df["g"] = df["g"].replace({"a": "=HYPERLINK()"})
    df.to_csv(tmp_path / "scores.csv", index=False)
    done = run_cli("audit", "scores.csv", "--y-true", "y", "--y-score", "s", "--threshold", "0.5,top_share=0.2",
                   "--protected", "g", "--weight", "w", "--out", "out", cwd=tmp_path)
    # the data hold a high-severity finding, so the default --fail-on high fails the run
    assert done.returncode == 1, done.stderr
    assert "Exit status 1: highest severity high" in done.stdout
    out = tmp_path / "out"
    report = json.loads((out / "report.json").read_text())
    assert json.loads((out / "findings.json").read_text()) == report["findings"]  # one set of sentences
    assert all(f["sentence"] in done.stdout for f in report["findings"])
    assert run_cli("audit", "scores.csv", "--y-true", "y", "--y-score", "s", "--protected", "g", "--weight", "w",
                   "--out", "out2", "--fail-on", "never", cwd=tmp_path).returncode == 0
    gm = pd.read_csv(out / "group_metrics.csv")
    expected = _audit(df).group_metrics
    np.testing.assert_allclose(gm["roc_auc"], expected["roc_auc"], atol=1e-12)
    assert "'=HYPERLINK()" in set(gm["group"])  # neutralised for spreadsheets
    assert set(pd.read_csv(out / "threshold_metrics.csv")["rule"]) == {"0.5", "top_share=0.2"}
    assert (out / "roc_1.svg").read_text().startswith("<svg")
    assert_usage_error(run_cli("audit", "scores.csv", "--y-true", "y", "--y-score", "s", "--threshold", "top_k=0",
                               "--protected", "g", cwd=tmp_path), "--threshold:")
    assert_usage_error(run_cli("audit", "scores.csv", "--y-true", "y", "--protected", "g", cwd=tmp_path),
                       "--y-pred: give the decision column, or --y-score")
    assert_usage_error(run_cli("audit", "scores.csv", "--y-true", "y", "--y-pred", "y", "--threshold", "0.5,0.7",
                               "--protected", "g", cwd=tmp_path), "score thresholds need --y-score")


def test_report_of_a_score_audit_and_of_its_decisions_at_a_threshold():
    df = _data(31)
    r = _audit(df, threshold=0.5)
    doc = json.loads(r.report().to_json())  # the score report itself (tests/test_report_scores.py)
    assert doc["task"]["family"] == "score" and doc["task"]["sweep"][0]["threshold"] == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        report = r.at_threshold(0.5).report()
    assert report.to_json().startswith("{")


def test_fingerprint_of_a_score_table_ignores_row_order_across_blocks():
    rng = np.random.default_rng(5)
    n = 300_000  # several kernel blocks
    y, s, w = rng.integers(0, 2, n), rng.uniform(size=n), rng.uniform(0, 5, n)
    g = rng.choice(["a", "b"], n)
    order = rng.permutation(n)
    one = ba.audit(y_true=y, y_score=s, protected={"g": g}, sample_weight=w, score_bins=64)
    two = ba.audit(y_true=y[order], y_score=s[order], protected={"g": g[order]}, sample_weight=w[order],
                   score_bins=64)
    assert one.parameters["data_sha256"] == two.parameters["data_sha256"]
    np.testing.assert_allclose(one.counts.sums["w_score"], two.counts.sums["w_score"], rtol=1e-12)
    w2 = w.copy()
    w2[0] += 1.0
    three = ba.audit(y_true=y, y_score=s, protected={"g": g}, sample_weight=w2, score_bins=64)
    assert three.parameters["data_sha256"] != one.parameters["data_sha256"]


@pytest.mark.parametrize("helpers", [0, 1])
def test_the_range_of_many_scores_on_two_threads_finds_nan_and_infinities(monkeypatch, helpers):
    # from 2**20 scores the helper thread reads the maximum while the caller reads the minimum
    from biasaudit._tables import _kernel
    from biasaudit._tables._score import check_scores

    monkeypatch.setattr(_kernel, "HELPER_THREADS", helpers)
    scores = np.random.default_rng(4).random((1 << 20) + 7)
    checked, score_range = check_scores(scores, caller="audit")
    assert score_range == (scores.min(), scores.max())
    for bad, message in ((np.nan, "got 1 NaN and 0 infinite"), (np.inf, "got 0 NaN and 1 infinite"),
                         (-np.inf, "got 0 NaN and 1 infinite")):
        spoiled = scores.copy()
        spoiled[-3] = bad
        with pytest.raises(ba.AuditError, match=message):
            check_scores(spoiled, caller="audit")
