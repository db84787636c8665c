"""audit(): references, disparities, summaries, criteria, four-fifths, warnings, outputs."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba


def _quiet(*args, **kw):
    """audit() on deliberately degenerate toy data, whose NaN warnings are not under test here."""
    kw.setdefault("min_group_size", 1)  # toy groups are assessable here; the rule is tested apart
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.UndefinedMetricWarning)
        return ba.audit(*args, **kw)


@pytest.fixture
def hiring():
    # group a: 10 rows, selection 6/10; b: 20 rows, 8/20; c: 5 rows, 1/5
    sex = ["a"] * 10 + ["b"] * 20 + ["c"] * 5
    y_pred = [1] * 6 + [0] * 4 + [1] * 8 + [0] * 12 + [1] + [0] * 4
    y_true = [1, 1, 1, 1, 0, 0, 1, 0, 0, 0] + [1] * 6 + [0] * 2 + [1] * 4 + [0] * 8 + [1, 1, 0, 0, 0]
    return pd.DataFrame({"g": sex, "y_true": y_true, "y_pred": y_pred})


def _disp(result, metric, attribute="g"):
    d = result.disparities
    return d[(d["metric"] == metric) & (d["attribute"] == attribute)].set_index("group")


def test_reference_largest_is_the_biggest_group(hiring):
    r = ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g")
    sr = _disp(r, "selection_rate")
    assert set(sr["reference"]) == {"b"}
    assert sr.loc["a", "value"] == pytest.approx(0.6)
    assert sr.loc["a", "reference_value"] == pytest.approx(0.4)
    assert sr.loc["a", "difference"] == pytest.approx(0.2)
    assert sr.loc["a", "ratio"] == pytest.approx(1.5)
    assert sr.loc["b", "difference"] == 0 and sr.loc["b", "ratio"] == 1


def test_reference_best_follows_each_metric_direction(hiring):
    r = _quiet(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference="best")
    assert _disp(r, "selection_rate")["reference"].iloc[0] == "a"  # highest selection rate
    fpr = r.group_metrics.set_index("group")["false_positive_rate"]
    assert _disp(r, "false_positive_rate")["reference"].iloc[0] == fpr.idxmin()  # lowest FPR
    assert _disp(r, "base_rate")["reference"].iloc[0] == "b"  # no direction: largest


def test_best_selection_rate_flips_when_positive_is_unfavourable(hiring):
    r = _quiet(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference="best",
                 positive_is_favorable=False)
    assert _disp(r, "selection_rate")["reference"].iloc[0] == "c"
    ff = r.four_fifths.set_index("group")
    assert ff.loc["c", "favourable_rate"] == pytest.approx(0.8)
    assert ff.loc["a", "impact_ratio"] == pytest.approx(0.4 / 0.8)


def test_reference_overall_and_explicit(hiring):
    r = _quiet(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference="overall")
    sr = _disp(r, "selection_rate")
    assert set(sr["reference"]) == {"(overall)"}
    assert sr["reference_value"].iloc[0] == pytest.approx(15 / 35)
    r2 = _quiet(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference="c")
    assert _disp(r2, "selection_rate").loc["a", "ratio"] == pytest.approx(3.0)
    r3 = _quiet(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference={"g": "best"})
    assert _disp(r3, "selection_rate")["reference"].iloc[0] == "a"


def test_reference_dict_for_attributes_and_intersections():
    df = pd.DataFrame({"s": ["f", "m"] * 6, "r": ["x", "x", "y"] * 4, "t": [1, 0, 1] * 4, "p": [1, 1, 0] * 4})
    r = _quiet(df, y_true="t", y_pred="p", protected=["s", "r"],
                 reference={"s": "m", "s & r": ("f", "y")})
    d = r.disparities
    assert set(d.loc[d["attribute"] == "s", "reference"]) == {"m"}
    assert set(d.loc[d["attribute"] == "r", "reference"]) == {"x"}  # unnamed: largest
    assert set(d.loc[d["attribute"] == "s & r", "reference"]) == {("f", "y")}


def test_reference_errors(hiring):
    with pytest.raises(ba.AuditError, match=r"`reference` for 'g' must be .* got 'd'\. Groups: 'a', 'b', 'c'"):
        ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference="d")
    with pytest.raises(ba.AuditError, match=r"did you mean 'largest'"):
        ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference="larges")
    two = hiring.assign(h=["u", "v"] * 17 + ["u"])
    with pytest.raises(ba.InvalidParameterError, match=r"or a dict \{attribute: group\} when several"):
        ba.audit(two, y_true="y_true", y_pred="y_pred", protected=["g", "h"], reference="a")
    with pytest.raises(ba.InvalidParameterError, match=r"unknown attributes \['race'\]"):
        ba.audit(two, y_true="y_true", y_pred="y_pred", protected=["g", "h"], reference={"race": "a"})


def test_missing_group_is_never_the_automatic_reference():
    g = [None] * 10 + ["a"] * 3 + ["b"] * 2
    with pytest.warns(ba.MissingGroupWarning, match=r"g: 10 rows.*'\(missing\)', not dropped"):
        r = _quiet(y_true=[1, 0] * 7 + [1], y_pred=[1] * 15, protected={"g": g})
    assert r.missing == {"g": 10}
    assert set(r.disparities["reference"]) == {"a"}
    assert r.group_metrics["group"].tolist() == ["a", "b", "(missing)"]


def test_summary_and_criteria(hiring):
    r = ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g", min_group_size=1)
    s = r.summary.set_index("metric").loc["selection_rate"]
    assert (s["min_group"], s["max_group"]) == ("c", "a")
    assert s["difference"] == pytest.approx(0.4)
    assert s["ratio"] == pytest.approx(0.2 / 0.6)
    gm = r.group_metrics.set_index("group")
    c = r.criteria.set_index("criterion")
    tpr_gap = gm["true_positive_rate"].max() - gm["true_positive_rate"].min()
    fpr_gap = gm["false_positive_rate"].max() - gm["false_positive_rate"].min()
    assert c.loc["equalized_odds", "difference"] == pytest.approx(max(tpr_gap, fpr_gap))
    assert c.loc["demographic_parity", "difference"] == pytest.approx(0.4)
    assert list(c.index) == ["demographic_parity", "equal_opportunity", "equalized_odds",
                             "predictive_parity", "error_rate_balance", "accuracy_equality"]


def test_equalized_odds_gaps_never_cancel():
    # group a: TPR 1.0, FPR 0.5; group b: TPR 0.5, FPR 1.0 -> signed average gap is 0
    y_true = [1, 1, 0, 0, 1, 1, 0, 0]
    y_pred = [1, 1, 1, 0, 1, 0, 1, 1]
    r = _quiet(y_true=y_true, y_pred=y_pred, protected={"g": ["a"] * 4 + ["b"] * 4})
    eo = r.criteria.set_index("criterion").loc["equalized_odds"]
    assert eo["difference"] == pytest.approx(0.5)
    assert eo["ratio"] == pytest.approx(0.5)


def test_four_fifths_threshold_is_configurable(hiring):
    r = ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g", min_group_size=1)
    ff = r.four_fifths.set_index("group")
    assert ff["impact_ratio"].to_dict() == pytest.approx({"a": 1.0, "b": 0.4 / 0.6, "c": 0.2 / 0.6})
    assert ff["flagged"].to_dict() == {"a": False, "b": True, "c": True}
    assert set(ff["best_group"]) == {"a"}
    loose = ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g", four_fifths_threshold=0.5,
                     min_group_size=1)
    assert loose.four_fifths["flagged"].tolist() == [False, False, True]
    with pytest.raises(ba.InvalidParameterError, match=r"`four_fifths_threshold` must be in \(0, 1\]; got 1.5"):
        ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g", four_fifths_threshold=1.5)


def test_audit_without_outcomes_is_selection_rates_only(hiring):
    r = ba.audit(hiring, y_true=None, y_pred="y_pred", protected="g")
    assert r.metrics == ("selection_rate",)
    assert list(r.criteria["criterion"]) == ["demographic_parity"]
    with pytest.raises(ba.InvalidParameterError, match=r"'true_positive_rate' needs `y_true`"):
        ba.audit(hiring, y_true=None, y_pred="y_pred", protected="g", metrics=["tpr"])


def test_metrics_subset_and_order(hiring):
    r = ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g", metrics=["tp", "fpr", "sr", "fpr"])
    assert r.metrics == ("false_positive_rate", "selection_rate", "true_positives")
    assert list(r.group_metrics.columns) == ["attribute", "group", "n", "weighted_total", "assessable",
                                             "false_positive_rate", "selection_rate", "true_positives"]
    assert set(r.disparities["metric"]) == {"false_positive_rate", "selection_rate"}


def test_intersection_options():
    df = pd.DataFrame({"a": [0, 1] * 8, "b": ["x"] * 8 + ["y"] * 8, "c": [0, 0, 1, 1] * 4,
                       "t": [1, 0, 0, 1] * 4, "p": [1, 1, 0, 0] * 4})
    names = lambda **kw: [g.name for g in _quiet(df, y_true="t", y_pred="p", protected=["a", "b", "c"],
                                                   **kw).groupings]
    assert names() == ["a", "b", "c", "a & b & c"]
    assert names(intersections=False) == ["a", "b", "c"]
    assert names(intersections="all") == ["a", "b", "c", "a & b", "a & c", "b & c", "a & b & c"]
    assert names(intersections=[("b", "a")]) == ["a", "b", "c", "b & a"]
    with pytest.raises(ba.InvalidParameterError, match=r"two or more distinct protected attributes .* got \['a'\]"):
        names(intersections=[("a",)])


def test_single_group_warns_nothing_to_compare():
    with pytest.warns(ba.SingleGroupWarning, match="single group with rows \\('x'\\); there is nothing to compare"):
        ba.audit(y_true=[1, 0], y_pred=[1, 0], protected={"g": ["x", "x"]})


def test_undefined_metrics_and_ratios_warn_and_are_nan():
    # group b has no actual positives: TPR undefined; reference a has FPR 0: ratio undefined
    with pytest.warns(ba.UndefinedMetricWarning) as record:
        r = ba.audit(y_true=[1, 1, 0, 0, 0, 0], y_pred=[1, 0, 0, 1, 0, 0], protected={"g": ["a"] * 3 + ["b"] * 3})
    text = " ".join(str(w.message) for w in record)
    assert "true_positive_rate for g='b' (the group has no actual positives (y_true = 1))" in text
    assert "ratio(s) to the reference are undefined (reference value 0)" in text
    gm = r.group_metrics.set_index("group")
    assert np.isnan(gm.loc["b", "true_positive_rate"])
    fpr = _disp(r, "false_positive_rate")
    assert np.isnan(fpr.loc["b", "ratio"]) and fpr.loc["b", "difference"] == pytest.approx(1 / 3)


def test_weighted_audit_uses_weights_but_counts_rows():
    with pytest.warns(ba.SingleGroupWarning):
        r = ba.audit(y_true=[1, 1, 0], y_pred=[1, 0, 0], protected={"g": ["a", "a", "a"]},
                     sample_weight=[3.0, 1.0, 1.0], metrics=["tpr"])
    assert r.group_metrics["n"].item() == 3
    assert r.group_metrics["weighted_total"].item() == 5.0
    assert r.group_metrics["true_positive_rate"].item() == pytest.approx(0.75)
    assert r.parameters["weighted"] is True


def test_to_dict_is_json_ready_and_complete(hiring):
    r = ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g")
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert d["n_rows"] == 35
    assert d["counts"]["axes"] == ["g", "y_true", "y_pred"]
    assert np.array(d["counts"]["rows"]).sum() == 35
    assert len(d["group_metrics"]) == 3 and len(d["disparities"]) == 3 * len(r.rate_metrics)
    assert d["parameters"]["reference"] == "largest"


def test_html_summary_escapes_labels():
    bad = "<script>alert(1)</script>"
    r = _quiet(y_true=[1, 0, 1, 0], y_pred=[1, 0, 0, 0], protected={"g": [bad, bad, "ok", "ok"]})
    page = r._repr_html_()
    assert bad not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_repr_is_short_and_stable(hiring):
    r = ba.audit(hiring, y_true="y_true", y_pred="y_pred", protected="g")
    assert repr(r) == "AuditResult(n_rows=35, groupings=[g], groups=3, metrics=18, reference='largest')"


def test_audit_counts_equals_audit(hiring):
    direct = _quiet(hiring, y_true="y_true", y_pred="y_pred", protected="g", reference="best")
    counts = ba.group_counts(data=hiring, y_true="y_true", y_pred="y_pred", group="g")
    with pytest.warns(ba.UndefinedMetricWarning, match="reference value 0"):
        via = ba.audit_counts(counts, reference="best", min_group_size=1)
    pd.testing.assert_frame_equal(direct.disparities, via.disparities)
    with pytest.raises(ba.InvalidParameterError, match=r"`counts` must be a table \(GroupCounts or Table\); got DataFrame"):
        ba.audit_counts(hiring)


def test_caller_frame_is_not_mutated(hiring):
    df = hiring.assign(g=hiring["g"].where(hiring.index != 3, None), w=1.5)
    before = df.copy(deep=True)
    with pytest.warns(ba.MissingGroupWarning):
        _quiet(data=df, y_true="y_true", y_pred="y_pred", protected=["g"], sample_weight="w")
    pd.testing.assert_frame_equal(df, before)


def test_small_groups_are_reported_but_never_drive_references_summaries_or_flags():
    # a: 200 rows, selection 0.5; b: 300 rows, 0.2; c: 3 rows, 1.0 (the COMPAS (Asian, Female) case)
    g = ["a"] * 200 + ["b"] * 300 + ["c"] * 3
    y_pred = [1, 0] * 100 + [1] * 60 + [0] * 240 + [1] * 3
    r = _quiet(y_true=None, y_pred=y_pred, protected={"g": g}, reference="best", min_group_size=30)
    gm = r.group_metrics.set_index("group")
    assert gm["assessable"].to_dict() == {"a": True, "b": True, "c": False}
    assert gm.loc["c", "selection_rate"] == 1.0  # still reported
    assert set(_disp(r, "selection_rate")["reference"]) == {"a"}  # never the best reference
    s = r.summary.set_index("metric").loc["selection_rate"]
    assert (s["max_group"], s["min_group"], s["difference"]) == ("a", "b", pytest.approx(0.3))
    ff = r.four_fifths.set_index("group")
    assert set(ff["best_group"]) == {"a"}
    assert ff["flagged"].to_dict() == {"a": False, "b": True, "c": False}
    assert ff.loc["b", "impact_ratio"] == pytest.approx(0.4)
    # with every group assessable the tiny group drives both, as it did before the rule
    loose = _quiet(y_true=None, y_pred=y_pred, protected={"g": g}, reference="best", min_group_size=1)
    assert set(loose.four_fifths["best_group"]) == {"c"}
    with pytest.raises(ba.InvalidParameterError, match=r"`min_group_size` must be an integer >= 1; got 0"):
        ba.audit(y_true=None, y_pred=y_pred, protected={"g": g}, min_group_size=0)


def test_an_explicit_reference_carries_into_its_intersections():
    # race & sex: with race="C" the intersection is compared with the largest (C, *) group,
    # not with the largest group overall (A, m)
    race = ["A"] * 400 + ["C"] * 300
    sex = ["m"] * 300 + ["f"] * 100 + ["m"] * 120 + ["f"] * 180
    y_pred = ([1, 0] * 350)
    r = _quiet(y_true=None, y_pred=y_pred, protected={"race": race, "sex": sex}, reference={"race": "C"})
    d = r.disparities
    inter = d[d["attribute"] == "race & sex"]
    assert set(inter["reference"]) == {("C", "f")}
    assert set(d[d["attribute"] == "sex"]["reference"]) == {"m"}  # largest sex group
    # an explicit reference of the intersection itself wins
    r2 = _quiet(y_true=None, y_pred=y_pred, protected={"race": race, "sex": sex},
                reference={"race": "C", ("race", "sex"): ("A", "f")})
    assert set(r2.disparities.query("attribute == 'race & sex'")["reference"]) == {("A", "f")}


def test_an_attribute_named_like_an_intersection_is_one_attribute():
    df = pd.DataFrame({"sex & race": ["x", "y"] * 50, "sex": ["f"] * 50 + ["m"] * 50, "p": [1, 0, 0, 1] * 25})
    r = _quiet(df, y_true=None, y_pred="p", protected=["sex & race", "sex"], reference={"sex & race": "y"})
    kinds = {g.attributes: g.is_intersection for g in r.groupings}
    assert kinds == {("sex & race",): False, ("sex",): False, ("sex & race", "sex"): True}
    assert set(r.disparities.query("attribute == 'sex & race'")["reference"]) == {"y"}
    report = r.report(metadata={"system": "x"})
    model = report.to_dict()
    assert model["groups"]["intersections"] == ["sex & race & sex"]
    assert [a["name"] for a in model["groups"]["attributes"]] == ["sex & race", "sex"]
