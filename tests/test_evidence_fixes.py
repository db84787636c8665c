"""The evidence of an audit: power in the tested direction, no test on untested rows, one omnibus
test per complementary pair, Koopman ratio intervals, many small groups fast (issue 9, items 11-15)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

import biasaudit as ba
from biasaudit.datasets import load_compas


def _big(alternative):
    # two groups of 200,000 rows, identical selection rates: parity is the right verdict
    rng = np.random.default_rng(0)
    n = 400_000
    return ba.audit(y_true=rng.integers(0, 2, n), y_pred=rng.integers(0, 2, n),
                    protected=np.repeat(["a", "b"], n // 2), metrics=["selection_rate"],
                    alternative=alternative)


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
def test_power_is_in_the_direction_of_the_alternative(alternative):
    d = _big(alternative).disparities
    row = d[d["verdict"] != "reference"].iloc[0]
    assert row["power"] > 0.999
    assert row["verdict"] in ("parity", "inconclusive")
    if row["equivalence_pvalue"] < 0.05:
        assert row["verdict"] == "parity"  # no longer "too few rows to tell" at 200,000 rows


def test_base_rate_rows_carry_no_test_columns():
    synthetic = ba.datasets.make_biased_classification(3000, rng=3)
    d = ba.audit(synthetic.data, y_true="y_true", y_pred="y_pred", protected=["sex"]).disparities
    base = d[d["metric"] == "base_rate"]
    assert base["test"].isna().all()
    for column in ("statistic", "pvalue", "pvalue_adjusted", "power", "min_detectable_difference",
                   "equivalence_pvalue"):
        assert base[column].isna().all(), column
    assert base["ci_low"].notna().any()  # the intervals stay: context, not a test
    assert set(base["verdict"]) <= {"not_tested", "reference"}


@pytest.fixture(scope="module")
def compas_race(datasets_home):
    df = load_compas(data_home=datasets_home)
    flagged = df["score_text"].isin(["Medium", "High"]).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.UndefinedMetricWarning)
        return ba.audit(df, y_true="two_year_recid", y_pred=flagged, protected=["race"],
                        reference={"race": "Caucasian"}, positive_is_favorable=False, rng=0)


def test_default_ratio_interval_is_koopman_and_agrees_with_the_test(compas_race):
    d = compas_race.disparities
    row = d[(d["group"] == "Native American") & (d["metric"] == "false_positive_rate")].iloc[0]
    low, high = confint_proportions_2indep(3, 6, 282, 1281, method="score", compare="ratio", correction=False)
    assert (row["ratio_ci_low"], row["ratio_ci_high"]) == pytest.approx((low, high), rel=1e-9)
    assert round(row["ratio_ci_low"], 2) == 0.85 and round(row["ratio_ci_high"], 2) == 3.76
    assert compas_race.parameters["ratio_method"] == "koopman"


def test_omnibus_tests_reuse_complements_and_do_not_hide_overwhelming_evidence(compas_race):
    it = compas_race.independence_tests.set_index("metric")
    assert "pvalue_asymptotic" in it.columns
    for metric, complement in (("positive_predictive_value", "false_discovery_rate"),
                               ("negative_predictive_value", "false_omission_rate"),
                               ("true_positive_rate", "false_negative_rate"), ("accuracy", "error_rate")):
        pd.testing.assert_series_equal(it.loc[metric], it.loc[complement], check_names=False)
    sel = it.loc["selection_rate"]
    assert sel["method"] == "chi2" and sel["pvalue"] < 1e-90  # 11 Native Americans no longer force Monte Carlo
    table = compas_race.group_metrics.query("attribute == 'race'")
    x = (table["selection_rate"] * table["n"]).round().to_numpy()
    ref = stats.chi2_contingency(np.stack([table["n"] - x, x], axis=1), correction=False)
    assert sel["pvalue"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert (it["pvalue_asymptotic"].notna() | it["pvalue"].isna()).all()


def test_verdicts_of_many_rows_equal_the_rules_applied_one_by_one():
    # the verdicts of 3,000 comparisons (repeats and NaN included) are computed once per
    # distinct comparison; each must be what the rules give for that comparison alone
    from biasaudit._stats._verdicts import _one, verdicts

    rng = np.random.default_rng(8)
    n = 3000
    value = rng.choice([0.1, 0.3, 0.42, np.nan], n)
    ref = rng.choice([0.4, 0.45], n)
    diff = value - ref
    low, high = diff - rng.choice([0.02, 0.2], n), diff + rng.choice([0.02, 0.2], n)
    p_adj = rng.choice([0.001, 0.3, np.nan], n)
    power = rng.choice([0.5, 0.95], n)
    p_eq = rng.choice([0.01, 0.4], n)
    codes, reasons = verdicts(value, ref, diff, low, high, value / ref, p_adj, power, p_eq)
    settings = {"alpha": 0.05, "tolerance": 0.05, "band": (0.8, 1.25), "min_power": 0.8}
    for i in range(0, n, 7):
        expected = _one(value[i], ref[i], diff[i], low[i], high[i], value[i] / ref[i], p_adj[i], power[i],
                        p_eq[i], **settings)
        assert (codes[i], reasons[i]) == expected
