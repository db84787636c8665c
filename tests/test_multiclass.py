"""Multiclass audits: K x K tables against scikit-learn, per-class and macro rates, the omnibus
test of the predicted class, favourable classes and ordered cuts, invariances and COMPAS."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import confusion_matrix, precision_score, recall_score

import biasaudit as ba

CLASSES = ["High", "Low", "Medium"]  # the table's order: sorted


def _data(n=3000, seed=0, weights=False):
    rng = np.random.default_rng(seed)
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    y = rng.choice(CLASSES, n, p=[0.2, 0.5, 0.3])
    noise = rng.choice(CLASSES, n)
    y_hat = np.where(rng.random(n) < np.where(g == "b", 0.5, 0.7), y, noise)
    w = rng.uniform(0.2, 3.0, n) if weights else None
    return g, y, y_hat, w


@pytest.mark.parametrize("weighted", [False, True])
def test_confusion_matrices_and_per_class_rates_match_sklearn(weighted):
    g, y, y_hat, w = _data(weights=weighted)
    r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, sample_weight=w)
    assert r.counts.cell_axes == (("y_true", tuple(CLASSES)), ("y_pred", tuple(CLASSES)))
    gm = r.group_metrics.set_index("group")
    for i, label in enumerate(["a", "b", "c"]):
        m = g == label
        sw = None if w is None else w[m]
        cm = confusion_matrix(y[m], y_hat[m], labels=CLASSES, sample_weight=sw)
        np.testing.assert_allclose(r.counts.weight[i], cm, rtol=1e-12)
        tpr = recall_score(y[m], y_hat[m], labels=CLASSES, average=None, sample_weight=sw)
        ppv = precision_score(y[m], y_hat[m], labels=CLASSES, average=None, sample_weight=sw)
        total = cm.sum()
        for k in range(3):
            assert gm.loc[label, f"true_positive_rate[{k}]"] == pytest.approx(tpr[k], rel=1e-12)
            assert gm.loc[label, f"positive_predictive_value[{k}]"] == pytest.approx(ppv[k], rel=1e-12)
            assert gm.loc[label, f"selection_rate[{k}]"] == pytest.approx(cm[:, k].sum() / total, rel=1e-12)
            fp = cm[:, k].sum() - cm[k, k]
            assert gm.loc[label, f"false_positive_rate[{k}]"] == pytest.approx(fp / (total - cm[k].sum()), rel=1e-12)
        assert gm.loc[label, "macro_true_positive_rate"] == pytest.approx(
            recall_score(y[m], y_hat[m], average="macro", sample_weight=sw), rel=1e-12)
        assert gm.loc[label, "macro_positive_predictive_value"] == pytest.approx(
            precision_score(y[m], y_hat[m], average="macro", sample_weight=sw), rel=1e-12)
        assert gm.loc[label, "multiclass_accuracy"] == pytest.approx(np.trace(cm) / total, rel=1e-12)


def test_per_class_proportions_get_exact_evidence_and_the_omnibus_test_is_scipys():
    g, y, y_hat, _ = _data()
    r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, reference={"g": "a"})
    d = r.disparities.set_index(["metric", "group"])
    row = d.loc[("true_positive_rate[1]", "b")]
    assert row["test"] == "score" and row["verdict"] == "disparity"
    from statsmodels.stats.proportion import proportions_ztest

    counts = [((g == k) & (y == "Low") & (y_hat == "Low")).sum() for k in "ba"]
    sizes = [((g == k) & (y == "Low")).sum() for k in "ba"]
    z, p = proportions_ztest(counts, sizes)  # the pooled score test of recall of "Low", b against a
    assert row["statistic"] == pytest.approx(z, rel=1e-9) and row["pvalue"] == pytest.approx(p, rel=1e-7)
    crosstab = pd.crosstab(g, y_hat).to_numpy()
    chi2 = stats.chi2_contingency(crosstab, correction=False)
    omni = r.independence_tests.query("metric == 'predicted_class'").iloc[0]
    assert omni["statistic"] == pytest.approx(chi2.statistic, rel=1e-12)
    assert omni["pvalue"] == pytest.approx(chi2.pvalue, rel=1e-9) and omni["dof"] == 4
    g_test = r.with_options(omnibus_test="g").independence_tests.query("metric == 'predicted_class'").iloc[0]
    assert g_test["statistic"] == pytest.approx(
        stats.chi2_contingency(crosstab, correction=False, lambda_="log-likelihood").statistic, rel=1e-12)
    mc = r.with_options(omnibus_test="monte-carlo", rng=1).independence_tests
    mc = mc.query("metric == 'predicted_class'").iloc[0]
    assert mc["statistic"] == pytest.approx(chi2.statistic) and abs(mc["pvalue"] - chi2.pvalue) < 0.05


def test_multiclass_demographic_parity_is_the_largest_per_class_gap():
    g, y, y_hat, _ = _data()
    r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g})
    shares = pd.crosstab(g, y_hat, normalize="index")
    crit = r.criteria.set_index("criterion")
    want = (shares.max() - shares.min()).max()
    assert crit.loc["multiclass_demographic_parity", "difference"] == pytest.approx(want, rel=1e-12)
    assert crit.loc["multiclass_demographic_parity", "ratio"] == pytest.approx((shares.min() / shares.max()).min())
    assert "multiclass_equalized_odds" in crit.index
    assert r.four_fifths["impact_ratio"].isna().all()  # no class is favourable until named


def test_favourable_classes_and_cuts_are_the_binary_audit():
    g, y, y_hat, _ = _data()
    fav = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, favorable_classes=["Low"])
    manual = ba.audit(y_true=(y == "Low").astype(int), y_pred=(y_hat == "Low").astype(int), protected={"g": g})
    pd.testing.assert_frame_equal(fav.group_metrics, manual.group_metrics)
    pd.testing.assert_frame_equal(fav.four_fifths, manual.four_fifths)
    cuts = ba.audit_ordinal(y_true=y, y_pred=y_hat, protected={"g": g}, class_order=["Low", "Medium", "High"],
                            positive_is_favorable=False)
    assert list(cuts) == [">= Medium", ">= High"]
    high = ba.audit(y_true=(y == "High").astype(int), y_pred=(y_hat == "High").astype(int), protected={"g": g},
                    positive_is_favorable=False)
    pd.testing.assert_frame_equal(cuts[">= High"].four_fifths, high.four_fifths)
    with pytest.raises(ba.AuditError, match=r"every value of `y_pred` must be one of `class_order`"):
        ba.audit_ordinal(y_true=None, y_pred=y_hat, protected={"g": g}, class_order=["Low", "High"])
    with pytest.raises(ba.InvalidParameterError, match=r"`favorable_classes` must name classes of `y_pred`"):
        ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, favorable_classes=["Lo"])


def test_mixed_label_kinds_and_unknown_class_metrics_are_refused():
    g, y, y_hat, _ = _data(n=100)
    with pytest.raises(ba.AuditError, match=r"same kind of class labels"):
        ba.audit(y_true=np.arange(100) % 3, y_pred=y_hat, protected={"g": g}, task="multiclass")
    with pytest.raises(ba.InvalidParameterError, match=r"has 3 classes \(indices 0 to 2\)"):
        ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, metrics=["true_positive_rate[3]"])
    with pytest.raises(ba.InvalidParameterError, match=r"needs `y_true`"):
        ba.audit(y_true=None, y_pred=y_hat, protected={"g": g}, metrics=["true_positive_rate[0]"])
    assert ba.get_metric("true_positive_rate[2]").is_proportion
    assert "true_positive_rate[2]" not in ba.list_metrics()


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 149))
def test_invariances_row_order_chunks_zero_weights(seed, cut):
    rng = np.random.default_rng(seed)
    n = 150
    g = rng.choice(["a", "b"], n)
    y = rng.integers(0, 4, n)
    y_hat = rng.integers(0, 4, n)
    y[:4] = y_hat[:4] = np.arange(4)  # every class in every chunk's union
    w = rng.integers(0, 3, n).astype(float)
    w[:4] = 1.0

    def audit(idx, **kw):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ba.BiasAuditWarning)
            return ba.audit(y_true=y[idx], y_pred=y_hat[idx], protected={"g": g[idx]}, sample_weight=w[idx],
                            task="multiclass", min_group_size=1, **kw)

    whole = audit(np.arange(n))
    shuffled = audit(rng.permutation(n))
    assert shuffled.counts.data_sha256 == whole.counts.data_sha256
    np.testing.assert_allclose(shuffled.counts.weight, whole.counts.weight)
    first, second = audit(np.r_[np.arange(4), np.arange(4, cut)]), audit(np.r_[np.arange(4), np.arange(max(cut, 4), n)])
    summed = first.counts + second.counts
    doubled_head = audit(np.r_[np.arange(4), np.arange(4), np.arange(4, n)])
    np.testing.assert_allclose(summed.weight, doubled_head.counts.weight)
    assert summed.data_sha256 == doubled_head.counts.data_sha256
    keep = np.flatnonzero(w > 0)
    cols = [c for c in whole.group_metrics.columns if "[" in c or c.startswith(("macro", "multiclass"))]
    a = whole.group_metrics.set_index("group")[cols]
    b = audit(keep).group_metrics.set_index("group")[cols]
    common = [x for x in a.index if x in b.index]
    np.testing.assert_allclose(a.loc[common].to_numpy(float), b.loc[common].to_numpy(float), rtol=1e-12)


def test_compas_score_levels_by_race(datasets_home):
    compas = ba.datasets.load_compas(data_home=datasets_home)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BiasAuditWarning)
        r = ba.audit(compas, y_true=None, y_pred="score_text", protected="race", reference={"race": "Caucasian"})
    assert r.parameters["task"] == "multiclass" and r.counts.cell_axes == (("y_pred", ("High", "Low", "Medium")),)
    shares = pd.crosstab(compas["race"], compas["score_text"], normalize="index")
    gm = r.group_metrics.set_index("group")
    for k, level in enumerate(["High", "Low", "Medium"]):
        np.testing.assert_allclose(gm.loc[shares.index, f"selection_rate[{k}]"], shares[level], rtol=1e-12)
    assert gm.loc["African-American", "selection_rate[0]"] > 2 * gm.loc["Caucasian", "selection_rate[0]"]
    omni = r.independence_tests.query("metric == 'predicted_class'").iloc[0]
    # 11 Native American defendants: expected counts below 5, so "auto" ran the Monte Carlo test
    assert omni["method"] == "monte-carlo" and omni["pvalue"] == pytest.approx(1 / 10_000)
    chi2 = r.with_options(omnibus_test="chi2").independence_tests.query("metric == 'predicted_class'").iloc[0]
    assert chi2["pvalue"] == pytest.approx(
        stats.chi2_contingency(pd.crosstab(compas["race"], compas["score_text"]), correction=False).pvalue)
    assert chi2["pvalue"] < 1e-50
    # the ordered levels at the cut ProPublica used give its binary audit
    cuts = ba.audit_ordinal(compas, y_true="two_year_recid", y_pred="score_text", protected="race",
                            class_order=["Low", "Medium", "High"], positive_is_favorable=False,
                            reference={"race": "Caucasian"})
    medium = cuts[">= Medium"].group_metrics.set_index("group")
    assert medium.loc["African-American", "false_positive_rate"] == pytest.approx(641 / 1514)  # as test_compas
    binary = ba.audit(compas, y_true="two_year_recid", y_pred=compas["score_text"].isin(["Medium", "High"]),
                      protected="race", positive_is_favorable=False, reference={"race": "Caucasian"})
    pd.testing.assert_frame_equal(cuts[">= Medium"].disparities, binary.disparities)


def test_integer_classes_keep_their_values_and_gaps():
    y = np.array([1, 5, 5, 9, 1, 9, 9, 1] * 10)
    y_hat = np.array([1, 5, 9, 9, 5, 1, 9, 1] * 10)
    g = np.array(["a", "a", "b", "b"] * 20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.UndefinedMetricWarning)  # some classes never predicted in a group
        r = ba.audit(y_true=y, y_pred=y_hat, protected={"g": g}, task="multiclass")
        text = ba.audit(y_true=y.astype(str), y_pred=y_hat.astype(str), protected={"g": g}, task="multiclass")
    assert r.counts.cell_axes == (("y_true", (1, 5, 9)), ("y_pred", (1, 5, 9)))
    for i, label in enumerate("ab"):
        m = g == label
        np.testing.assert_array_equal(r.counts.rows[i], confusion_matrix(y[m], y_hat[m], labels=[1, 5, 9]))
    assert text.counts.cell_axes[0][1] == ("1", "5", "9")
    np.testing.assert_array_equal(text.counts.rows, r.counts.rows)


@pytest.mark.parametrize("with_outcomes", [True, False])
def test_reports_of_classes_build_and_validate_against_the_schema(with_outcomes):
    import json
    from pathlib import Path

    import jsonschema

    schema_path = Path(ba.__file__).parent / "_report" / "schema" / "report-1.2.schema.json"
    g, y, y_hat, _ = _data(n=600)
    r = ba.audit(y_true=y if with_outcomes else None, y_pred=y_hat, protected={"g": g})
    report = json.loads(r.report().to_json())
    jsonschema.validate(report, json.loads(schema_path.read_text(encoding="utf-8")))
    assert json.loads(json.dumps(r.to_dict()))["parameters"]["task"] == "multiclass"
