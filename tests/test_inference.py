"""The statistics inside audit(): every column against statsmodels and scipy, end to end."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import biasaudit as ba

sm_prop = pytest.importorskip("statsmodels.stats.proportion")
from statsmodels.stats.contingency_tables import StratifiedTable  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402


@pytest.fixture(scope="module")
def synthetic():
    return ba.datasets.make_biased_classification(6000, rng=11)


@pytest.fixture(scope="module")
def result(synthetic):
    return ba.audit(synthetic.data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"],
                    intersections=False)


def _row(result, attribute, group, metric):
    d = result.disparities
    return d[(d.attribute == attribute) & (d.group == group) & (d.metric == metric)].iloc[0]


def _counts(data, mask, metric):
    metric = ba.get_metric(metric)
    t = ba.group_counts(y_true=data["y_true"][mask], y_pred=data["y_pred"][mask],
                        group=np.zeros(int(mask.sum()), dtype=int)).rows[0]
    num, den = metric.numerator_denominator(t)
    return int(num), int(den)


@pytest.mark.parametrize("metric", ["selection_rate", "true_positive_rate", "false_positive_rate",
                                    "positive_predictive_value"])
def test_difference_ratio_and_test_match_statsmodels(result, synthetic, metric):
    data = synthetic.data
    row = _row(result, "race", "D", metric)
    x1, n1 = _counts(data, (data["race"] == "D").to_numpy(), metric)
    x2, n2 = _counts(data, (data["race"] == row["reference"]).to_numpy(), metric)
    low, high = sm_prop.confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high), rel=1e-9)
    low, high = sm_prop.confint_proportions_2indep(x1, n1, x2, n2, method="score", compare="ratio", correction=False)
    if min(x1, x2) > 0:
        assert (row["ratio_ci_low"], row["ratio_ci_high"]) == pytest.approx((low, high), rel=1e-9)
    if row["test"] == "score":
        res = sm_prop.test_proportions_2indep(x1, n1, x2, n2, method="score", correction=False)
        assert row["statistic"] == pytest.approx(res.statistic, rel=1e-9)
        assert row["pvalue"] == pytest.approx(res.pvalue, rel=1e-9)
    else:
        assert row["test"] == "fisher"
        assert row["pvalue"] == pytest.approx(stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]]).pvalue, rel=1e-9)


def test_holm_over_the_audit_family_counts_complements_once(result):
    d = result.disparities
    primary = d[d.metric.isin(["selection_rate", "true_positive_rate", "false_positive_rate",
                               "positive_predictive_value", "negative_predictive_value", "accuracy"])
                & d.pvalue.notna()]
    assert result.family_size == len(primary)
    expected = multipletests(primary["pvalue"], method="holm")[1]
    np.testing.assert_allclose(primary["pvalue_adjusted"], expected, rtol=1e-12)
    tpr = d[d.metric == "true_positive_rate"].set_index(["attribute", "group"])["pvalue_adjusted"]
    fnr = d[d.metric == "false_negative_rate"].set_index(["attribute", "group"])["pvalue_adjusted"]
    pd.testing.assert_series_equal(tpr, fnr, check_names=False)
    assert d.loc[d.metric == "base_rate", "pvalue_adjusted"].isna().all()


@pytest.mark.parametrize("correction, sm_name", [("bonferroni", "bonferroni"), ("fdr_bh", "fdr_bh")])
def test_other_corrections(result, correction, sm_name):
    other = result.with_options(correction=correction)
    d = other.disparities
    primary = d[d.metric.isin(["selection_rate", "true_positive_rate", "false_positive_rate",
                               "positive_predictive_value", "negative_predictive_value", "accuracy"])
                & d.pvalue.notna()]
    np.testing.assert_allclose(primary["pvalue_adjusted"], multipletests(primary["pvalue"], method=sm_name)[1],
                               rtol=1e-12)


def test_verdicts_recover_the_injected_disparity(synthetic, result):
    d = result.disparities.set_index(["attribute", "group", "metric"])
    # the default generator lowers the TPR of women and of race D
    sex = d.loc["sex"].xs("true_positive_rate", level="metric")
    assert sorted(sex["verdict"]) == ["disparity", "reference"]
    assert d.loc[("race", "D", "true_positive_rate"), "verdict"] == "disparity"
    refs = d[d.index.get_level_values("group") == d["reference"]]
    assert set(refs["verdict"]) == {"reference"}
    assert set(d["verdict"]) <= {"disparity", "possible_disparity", "parity", "inconclusive", "not_assessable",
                                 "not_tested", "reference"}
    assert d["verdict_reason"].map(len).min() > 20


def test_a_tiny_group_is_never_called_at_parity():
    rng = np.random.default_rng(5)
    n = 4000
    g = np.where(rng.random(n) < 0.004, "tiny", "big")
    y = rng.integers(0, 2, n)
    p = rng.integers(0, 2, n)
    r = ba.audit(y_true=y, y_pred=p, protected={"g": g}, metrics=["selection_rate", "tpr", "fpr"])
    tiny = r.disparities[r.disparities.group == "tiny"]
    assert (tiny["power"] < 0.8).all()
    assert not tiny["verdict"].isin(["parity"]).any()
    assert (tiny["min_detectable_difference"] > 0.2).all()


def test_parity_is_shown_for_large_equal_groups():
    rng = np.random.default_rng(6)
    n = 40_000
    r = ba.audit(y_true=rng.integers(0, 2, n), y_pred=rng.integers(0, 2, n),
                 protected={"g": rng.choice(["a", "b"], n)}, metrics=["selection_rate"])
    row = r.disparities.query("group != reference").iloc[0]
    assert row["verdict"] == "parity" and row["equivalence_pvalue"] < 0.05 and row["power"] > 0.99


def test_rate_intervals_match_statsmodels_and_can_be_recomputed(result, synthetic):
    ri = result.rate_intervals()
    row = ri[(ri.attribute == "race") & (ri.group == "E") & (ri.metric == "true_positive_rate")].iloc[0]
    x, n = _counts(synthetic.data, (synthetic.data["race"] == "E").to_numpy(), "true_positive_rate")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(sm_prop.proportion_confint(x, n, method="wilson"),
                                                           rel=1e-12)
    assert row["n_effective"] == n and row["method"] == "wilson"
    wide = result.rate_intervals(0.99, method="jeffreys")
    w = wide[(wide.attribute == "race") & (wide.group == "E") & (wide.metric == "true_positive_rate")].iloc[0]
    assert w["ci_low"] == pytest.approx(sm_prop.proportion_confint(x, n, alpha=0.01, method="jeffreys")[0], rel=1e-9)
    assert w["ci_high"] - w["ci_low"] > row["ci_high"] - row["ci_low"]
    again = result.with_options(confidence_level=0.99).disparities
    assert (again["ci_high"] - again["ci_low"] >= result.disparities["ci_high"] - result.disparities["ci_low"]
            ).where(again["ci_low"].notna(), True).all()


def test_weights_give_kish_effective_sizes():
    y = np.array([1, 0, 1, 1, 0, 1, 0, 0] * 10)
    p = np.array([1, 0, 0, 1, 1, 1, 0, 0] * 10)
    g = np.array(["a"] * 40 + ["b"] * 40)
    w = np.tile([1.0, 2.0, 3.0, 4.0], 20)
    r = ba.audit(y_true=y, y_pred=p, protected={"g": g}, sample_weight=w, metrics=["selection_rate"])
    row = r.rate_intervals().iloc[0]
    wa = w[g == "a"]
    assert row["n_effective"] == pytest.approx(wa.sum() ** 2 / (wa ** 2).sum())
    unweighted = ba.audit(y_true=y, y_pred=p, protected={"g": g}, metrics=["selection_rate"]).rate_intervals()
    assert unweighted["n_effective"].iloc[0] == 40


def test_independence_tests_match_scipy(result, synthetic):
    it = result.independence_tests.set_index(["attribute", "metric"])
    row = it.loc[("race", "selection_rate")]
    table = pd.crosstab(synthetic.data["race"], synthetic.data["y_pred"]).to_numpy()
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    assert row["method"] == "chi2" and row["dof"] == dof
    assert row["statistic"] == pytest.approx(chi2, rel=1e-9) and row["pvalue"] == pytest.approx(p, rel=1e-9)


def test_monte_carlo_omnibus_is_reproducible_and_close_to_exact():
    rng = np.random.default_rng(3)
    g = np.repeat(["a", "b", "c"], [12, 9, 7])
    p = (rng.random(28) < np.repeat([0.2, 0.5, 0.7], [12, 9, 7])).astype(int)
    kw = dict(y_true=None, y_pred=p, protected={"g": g})
    one = ba.audit(**kw, rng=1).independence_tests
    two = ba.audit(**kw, rng=1).independence_tests
    assert one["method"].item() == "monte-carlo"
    assert one["pvalue"].item() == two["pvalue"].item()
    # the exact conditional p-value, by enumerating every table with the observed margins
    observed = pd.crosstab(g, p).to_numpy()
    sizes, positives = observed.sum(axis=1), int(observed[:, 1].sum())

    def pearson(pos):
        table = np.stack([sizes - pos, pos], axis=1)
        expected = np.outer(sizes, table.sum(axis=0)) / sizes.sum()
        return ((table - expected) ** 2 / expected).sum()

    cut = pearson(observed[:, 1]) * (1 - 1e-9)
    exact = 0.0
    for xa in range(sizes[0] + 1):
        for xb in range(sizes[1] + 1):
            xc = positives - xa - xb
            if 0 <= xc <= sizes[2] and pearson(np.array([xa, xb, xc])) >= cut:
                exact += (math.comb(sizes[0], xa) * math.comb(sizes[1], xb) * math.comb(sizes[2], xc)
                          / math.comb(int(sizes.sum()), positives))
    assert one["pvalue"].item() == pytest.approx(exact, abs=0.015)  # 9,999 draws: SD about 0.005


def test_cmh_with_a_control_variable_matches_statsmodels(synthetic):
    data = synthetic.data
    r = ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["sex"], control="race",
                 metrics=["selection_rate"])
    row = r.stratified.iloc[0]
    tables = []
    for _, part in data.groupby("race", observed=True):
        sel = lambda s: (part.loc[part.sex == s, "y_pred"] == 1).sum()  # noqa: E731
        tot = lambda s: (part.sex == s).sum()  # noqa: E731
        grp, ref = row["group"], row["reference"]
        tables.append([[sel(grp), tot(grp) - sel(grp)], [sel(ref), tot(ref) - sel(ref)]])
    st = StratifiedTable(np.array(tables, dtype=float).transpose(1, 2, 0))
    assert row["odds_ratio"] == pytest.approx(st.oddsratio_pooled, rel=1e-9)
    assert row["pvalue"] == pytest.approx(st.test_null_odds(correction=False).pvalue, rel=1e-9)
    assert row["n_strata"] == data["race"].nunique()
    with pytest.raises(ba.InvalidParameterError, match="`control` must not be one of the protected attributes"):
        ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["sex"], control="sex")


def test_bootstrap_columns_are_reproducible_and_cover_the_estimate(synthetic):
    kw = dict(data=synthetic.data, y_true="y_true", y_pred="y_pred", protected=["sex"], n_resamples=400,
              metrics=["selection_rate", "tpr", "fpr"])
    a, b = ba.audit(**kw, rng=7), ba.audit(**kw, rng=7)
    pd.testing.assert_frame_equal(a.disparities, b.disparities)
    d = a.disparities.query("group != reference")
    assert ((d["boot_ci_low"] <= d["difference"]) & (d["difference"] <= d["boot_ci_high"])).all()
    # the bootstrap and the Newcombe interval agree closely at this size
    np.testing.assert_allclose(d["boot_ci_low"], d["ci_low"], atol=0.02)
    crit = a.criteria.set_index("criterion")
    assert crit.loc["equalized_odds", "ci_low"] <= crit.loc["equalized_odds", "difference"] <= crit.loc[
        "equalized_odds", "ci_high"]
    assert {"ci_low", "ci_high"} <= set(a.summary.columns)


def test_shortfall_counts_people_to_the_threshold():
    # a: 50 of 100 selected; b: 20 of 100 -> needs 0.8 * 0.5 * 100 = 40, so 20 more
    p = [1] * 50 + [0] * 50 + [1] * 20 + [0] * 80
    r = ba.audit(y_true=None, y_pred=p, protected={"g": ["a"] * 100 + ["b"] * 100})
    ff = r.four_fifths.set_index("group")
    assert ff.loc["b", "shortfall"] == 20 and ff.loc["a", "shortfall"] == 0


def test_option_errors():
    kw = dict(y_true=[1, 0, 1, 0], y_pred=[1, 0, 0, 1], protected={"g": ["a", "a", "b", "b"]})
    with pytest.raises(ba.InvalidParameterError, match=r"`test` must be one of \['auto', 'fisher', 'score'\]; got 'z'"):
        ba.audit(**kw, test="z")
    with pytest.raises(ba.InvalidParameterError, match=r"`correction` must be one of .* got 'holms'.*'holm'"):
        ba.audit(**kw, correction="holms")
    with pytest.raises(ba.InvalidParameterError, match=r"`confidence_level` must be in \(0, 1\); got 95"):
        ba.audit(**kw, confidence_level=95)
    with pytest.raises(ba.InvalidParameterError, match=r"`n_resamples` must be an integer >= 0; got -1"):
        ba.audit(**kw, n_resamples=-1)
    with pytest.raises(ba.InvalidParameterError, match=r"`alternative` must be one of .* got 'two_sided'"):
        ba.audit(**kw, alternative="two_sided")


def test_koopman_ratio_interval_matches_statsmodels_score(synthetic):
    data = synthetic.data
    r = ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["race"], metrics=["selection_rate"],
                 ratio_method="koopman")
    row = _row(r, "race", "D", "selection_rate")
    x1, n1 = _counts(data, (data["race"] == "D").to_numpy(), "selection_rate")
    x2, n2 = _counts(data, (data["race"] == row["reference"]).to_numpy(), "selection_rate")
    low, high = sm_prop.confint_proportions_2indep(x1, n1, x2, n2, method="score", compare="ratio",
                                                   correction=False)
    assert (row["ratio_ci_low"], row["ratio_ci_high"]) == pytest.approx((low, high), rel=1e-6)
    assert "Holm" in r.family and r.family.startswith(f"{r.family_size} tests")


def test_bootstrap_complements_are_exact_mirrors(synthetic):
    r = ba.audit(synthetic.data, y_true="y_true", y_pred="y_pred", protected=["sex"], n_resamples=300, rng=2,
                 metrics=["tpr", "fnr"])
    d = r.disparities.query("group != reference").set_index("metric")
    assert d.loc["false_negative_rate", "boot_ci_low"] == -d.loc["true_positive_rate", "boot_ci_high"]
    assert d.loc["false_negative_rate", "boot_ci_high"] == -d.loc["true_positive_rate", "boot_ci_low"]


def test_a_marginal_disparity_is_not_drowned_by_thousands_of_one_person_intersections():
    # 1,500 decisions: women selected at 36%, men at 50% (score test p about 1e-6), and four
    # more attributes of 8 levels, all crossed: about 1,500 intersectional groups of one or
    # two people, none of which any outcome could make significant. Adjusted over the whole
    # family by Holm (about 6,000 tests) the sex gap read adjusted p = 1; Tarone's screen
    # counts only the tests that could reach alpha.
    rng = np.random.default_rng(3)
    n = 1500
    frame = pd.DataFrame({"sex": np.repeat(["female", "male"], [700, 800])})  # men the reference
    frame["p"] = (rng.random(n) < np.where(frame["sex"] == "female", 0.36, 0.50)).astype(int)
    frame["y"] = rng.integers(0, 2, n)
    for i in range(4):
        frame[f"a{i}"] = rng.integers(0, 8, n).astype(str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ba.audit(frame, y_true="y", y_pred="p", protected=["sex", "a0", "a1", "a2", "a3"])
    d = result.disparities.set_index(["attribute", "group", "metric"])
    row = d.loc[("sex", "female", "selection_rate")]
    assert row["pvalue"] < 5e-4
    kept = result.family_testable
    assert result.family_size > 4000 and 30 < kept < 200
    assert "Tarone" in result.family and f"over the {kept} that" in result.family
    # Holm over the kept tests: the adjusted p-value is at most kept x the raw one
    assert row["pvalue_adjusted"] <= kept * row["pvalue"] + 1e-15
    assert row["pvalue_adjusted"] < 0.05 and row["verdict"] == "disparity"
    crossed = d.loc["sex & a0 & a1 & a2 & a3"]
    assert (crossed["pvalue_adjusted"].dropna() == 1.0).all()
    # the regulator's edition says over how many comparisons the finding was corrected
    text = result.report(full=True).to_markdown()
    assert (f"After correction for the {kept} comparisons that could reach significance "
            f"(of {result.family_size:,} made)").replace(",", "") in text.replace(",", "")


def test_a_tiny_groups_large_but_insignificant_gap_is_inconclusive_and_a_significant_one_a_disparity():
    # 8 people (6 selected) against 600 (40%): a 35-point gap that is not significant after
    # correction is noise for so few people; 25 people none of whom is selected is a disparity.
    rows = ([("big", 1)] * 240 + [("big", 0)] * 360 + [("tiny", 1)] * 6 + [("tiny", 0)] * 2
            + [("none", 0)] * 25)
    data = pd.DataFrame(rows, columns=["g", "p"])
    d = ba.audit(data, y_true=None, y_pred="p", protected="g", reference={"g": "big"},
                 rng=0).disparities.set_index("group")
    tiny, none = d.loc["tiny"], d.loc["none"]
    assert tiny["pvalue_adjusted"] >= 0.05 and abs(tiny["difference"]) >= 0.3
    assert tiny["verdict"] == "inconclusive"
    assert tiny["verdict_reason"].startswith("Inconclusive: the group has 8 rows, fewer than min_group_size = 30")
    assert none["verdict"] == "disparity" and none["pvalue_adjusted"] < 0.05
    # at min_group_size = 5 the same tiny group is large enough to be a possible disparity
    d5 = ba.audit(data, y_true=None, y_pred="p", protected="g", reference={"g": "big"}, min_group_size=5,
                  rng=0).disparities.set_index("group")
    assert d5.loc["tiny", "verdict"] == "possible_disparity"
