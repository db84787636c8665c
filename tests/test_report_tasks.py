"""Reports of score, regression and multiclass audits: real numbers, both languages, the schema.

Every figure a report states is checked against the result's views or an oracle
(scikit-learn's ``roc_auc_score`` per group, naive recounts), on synthetic data with a
known answer and on COMPAS and Adult.
"""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

import biasaudit as ba
from biasaudit._report._report import report_schema
from biasaudit._report._texts_tasks import TASK_AZ, TASK_EN
from biasaudit._report._units import amount, gap_text, metric_label, scale
from biasaudit.datasets import load_adult, load_compas
from biasaudit.exceptions import BiasAuditWarning

jsonschema = pytest.importorskip("jsonschema")


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        return fn(*args, **kwargs)


def _scores(n=8000, seed=3, favourable=False, labels=("a", "b", "c")):
    """Group b ranked worse and its risk over-estimated by 0.12; c small."""
    rng = np.random.default_rng(seed)
    g = rng.choice(np.array(labels, dtype=object), n, p=[0.6, 0.37, 0.03])
    y = rng.integers(0, 2, n)
    noise = np.where(g == labels[1], 2.0, 0.7)
    s = 1 / (1 + np.exp(-(rng.normal(0, noise) + 1.6 * (y - 0.5))))
    s = np.round(np.where(g == labels[1], np.clip(s + 0.12, 0, 1), s), 3)  # ties
    w = rng.uniform(0.5, 2.0, n)
    return _quiet(ba.audit, y_true=y, y_score=s, protected={"g": g}, sample_weight=w, reference={"g": labels[0]},
                  threshold=[0.5, "top_share=0.2"], positive_is_favorable=favourable), (g, y, s, w)


def _validate(report):
    doc = json.loads(report.to_json())
    jsonschema.validate(doc, report_schema())
    return doc


# --------------------------------------------------------------------------- units


def test_values_are_written_in_their_units():
    assert scale("selection_rate[1]") == "share" and scale("scoring_rate") == "share"
    assert scale("mean_prediction") == "amount" and scale("roc_auc") == "index"
    assert gap_text("mean_prediction", -118.0, 530.0, "en") == "−118.0, −22%"
    assert gap_text("mean_error", -1.2, -0.02, "en", digits=2) == "−1.20"  # no share of a signed error
    assert gap_text("selection_rate", -0.05, 0.4, "en") == "−5.0 percentage points"
    assert gap_text("selection_rate", -0.05, 0.4, "az") == "−5,0 faiz bəndi"
    assert amount(1234567.8, "az") == "1 234 568" and amount(-0.5, "en") == "−0.5000"
    assert metric_label("selection_rate[0]", "en", ("High", "Low")) == "Share predicted as High"
    assert metric_label("true_positive_rate[1]", "az", ("High", "Low")) == "Low sinfinin həqiqi müsbət nisbəti"


def test_both_catalogues_have_the_same_keys():
    assert set(TASK_EN) == set(TASK_AZ)
    for key, value in TASK_EN.items():
        if isinstance(value, dict):
            assert set(value) == set(TASK_AZ[key]), key
        else:  # the same fields in both languages, but the plural nouns English alone needs
            # (a noun after a count stays singular in Azerbaijani: "3 qruplaşmada")
            fields = {f for f in re.findall(r"{(\w+)}", value) if not f.endswith("_noun")}
            assert fields == set(re.findall(r"{(\w+)}", TASK_AZ[key])), key


# --------------------------------------------------------------------------- scores


def test_score_report_states_the_audits_numbers():
    r, (g, y, s, w) = _scores()
    report = _quiet(r.report, full=True)
    doc = _validate(report)
    assert doc["schema_version"] == "1.2" and doc["task"]["family"] == "score"
    rows = {row["group"]: row for row in doc["results"][0]["groups"]}
    iv = r.score_intervals().set_index(["metric", "group"])
    for lab in ("a", "b", "c"):
        m = g == lab
        auc = rows[lab]["rates"]["roc_auc"]
        assert auc["value"] == pytest.approx(roc_auc_score(y[m], s[m], sample_weight=w[m]), abs=1e-12)
        assert auc["ci_low"] == pytest.approx(iv.loc[("roc_auc", lab), "ci_low"], abs=1e-15)  # DeLong, logit
        oe = rows[lab]["rates"]["calibration_ratio"]
        assert oe["value"] == pytest.approx(np.sum(w[m] * y[m]) / np.sum(w[m] * s[m]), rel=1e-12)
    calib = {row["group"]: row for row in doc["task"]["calibration"]}
    assert doc["task"]["calibration_tests"] == 6  # two per group, adjusted together
    m = g == "b"
    assert calib["b"]["observed_rate"] == pytest.approx(np.sum(w[m] * y[m]) / np.sum(w[m]), rel=1e-12)
    assert calib["b"]["mean_score"] == pytest.approx(np.sum(w[m] * s[m]) / np.sum(w[m]), rel=1e-12)
    assert calib["b"]["z_spiegelhalter"] == pytest.approx(iv.loc[("calibration_ratio", "b"), "statistic"])
    # the sweep: every threshold's decision metrics are the at_threshold audit's
    sweep = doc["task"]["sweep"]
    assert [step["rule"] for step in sweep] == ["0.5", "top_share=0.2"]
    sub = _quiet(r.at_threshold, 0.5).group_metrics.set_index("group")
    step = {row["group"]: row for row in sweep[0]["groups"]}
    assert step["b"]["selection_rate"] == pytest.approx(sub.loc["b", "selection_rate"], abs=1e-15)
    assert step["b"]["selection_rate"] == pytest.approx(np.sum(w[m] * (s[m] >= 0.5)) / np.sum(w[m]), rel=1e-12)
    ff = {row["group"]: row for row in sweep[0]["four_fifths"]}
    assert ff["b"]["impact_ratio"] == pytest.approx(
        _quiet(r.at_threshold, 0.5).four_fifths.set_index("group").loc["b", "impact_ratio"])


def test_score_findings_say_who_is_harmed_and_how_the_tests_are_adjusted():
    r, (g, y, s, w) = _scores(favourable=False)
    report = _quiet(r.report, full=True)
    found = {(f["type"], f["group"]): f for f in report.findings}
    auc = found[("auc_disparity", "b")]
    d = r.disparities.set_index(["metric", "group"]).loc[("roc_auc", "b")]
    assert auc["sentence"].startswith("The score ranks b (g) less accurately than a (g)")
    assert f"AUC {d['value']:.3f} against {d['reference_value']:.3f}" in auc["sentence"]
    assert auc["disadvantaged"] == "group" and "D6" in auc["provisions"]
    cal = found[("miscalibration", "b")]
    ratio = cal["evidence"]["value"]
    assert ratio < 1 and cal["evidence"]["direction"] == "over" and cal["disadvantaged"] == "group"
    assert f"observed / expected {ratio:.2f}" in cal["sentence"]
    assert "over-estimates the risk of b (g)" in cal["sentence"] and "pushes them towards it" in cal["sentence"]
    assert "the 6 calibration tests, two per group, are adjusted together by Holm" in cal["sentence"]
    # the executive summary lists it with its numbers
    assert any(e["group"] == "b" and e["metrics"][0]["metric"] == "calibration_ratio"
               for e in report.to_dict()["summary"]["executive"])
    summary = report.to_markdown().split("## 2.")[0]
    assert f"b (g) | calibrated scores (observed = expected) | Observed / expected: {ratio:.3f} against 1.000" in summary
    # when a high score is favourable, the same over-estimation favours the group
    r2, _ = _scores(favourable=True)
    cal2 = {(f["type"], f["group"]): f for f in _quiet(r2.report, full=True).findings}[("miscalibration", "b")]
    assert cal2["severity"] == "low" and cal2["disadvantaged"] is None and "favours this group" in cal2["sentence"]
    # and the outcome is then a chance, not a risk
    assert cal2["sentence"].startswith("The score over-estimates the chance of the favourable outcome for b (g)")
    assert "risk" not in cal2["sentence"]
    az2 = {(f["type"], f["group"]): f for f in _quiet(r2.report, full=True, language="az").findings}
    assert "əlverişli nəticə ehtimalını artıq qiymətləndirir" in az2[("miscalibration", "b")]["sentence"]


def test_score_report_renders_in_both_languages_with_figures():
    r, _ = _scores()
    for lang, words in (("en", ["Calibration by group", "Decisions at each threshold", "Spiegelhalter"]),
                        ("az", ["Qruplar üzrə kalibrləmə", "Hər hədd üzrə qərarlar", "Spiqelhalter"])):
        report = _quiet(r.report, language=lang)
        html, md = report.to_html(), report.to_markdown()
        for word in words:
            assert word in html and word in md
        figures = report._extra_figures()  # text is drawn as paths: the kinds say what was drawn
        assert [f["kind"] for f in figures] == ["roc", "reliability"]
        assert all(f["svg"] in html for f in figures)
        _validate(report)


def test_published_score_report_withholds_small_groups_everywhere():
    rng = np.random.default_rng(9)
    n = 3000
    g = np.where(np.arange(n) < 12, "tiny", rng.choice(["a", "b"], n)).astype(object)  # 12 rows: a few positives
    y = rng.integers(0, 2, n)
    s = np.round(rng.uniform(size=n), 2)
    r = _quiet(ba.audit, y_true=y, y_score=s, protected={"g": g}, threshold=[0.5])
    doc = _validate(_quiet(r.report))
    calib = {row["group"]: row for row in doc["task"]["calibration"]}
    assert calib["tiny"]["suppressed"] and calib["tiny"]["ratio"] is None and calib["tiny"]["z_large"] is None
    assert not calib["a"]["suppressed"] and calib["a"]["ratio"] is not None
    step = {row["group"]: row for row in doc["task"]["sweep"][0]["groups"]}
    assert step["tiny"]["selection_rate"] is None  # (secondary suppression may hide another group too)
    rates = {row["group"]: row["rates"] for row in doc["results"][0]["groups"]}
    assert rates["tiny"]["roc_auc"] is None
    assert "tiny" not in {f["group"] for f in doc["findings"] if f["type"] == "miscalibration"}
    annex = _validate(_quiet(r.report, full=True))
    assert all(not row["suppressed"] for row in annex["task"]["calibration"])
    tiny = {row["group"]: row for row in annex["task"]["calibration"]}["tiny"]
    assert tiny["observed_rate"] == pytest.approx(y[:12].mean(), rel=1e-12)


def test_compas_decile_score_report_matches_scikit_learn(datasets_home):
    df = load_compas(data_home=datasets_home)
    r = _quiet(ba.audit, df, y_true="two_year_recid", y_score="decile_score", protected=["race"],
               threshold=[5, 8], positive_is_favorable=False, reference={"race": "Caucasian"})
    report = _quiet(r.report, full=True)
    doc = _validate(report)
    rows = {row["group"]: row for row in doc["results"][0]["groups"]}
    for race in ("African-American", "Caucasian", "Hispanic"):
        m = (df["race"] == race).to_numpy()
        assert rows[race]["rates"]["roc_auc"]["value"] == pytest.approx(
            roc_auc_score(df["two_year_recid"][m], df["decile_score"][m]), abs=1e-12)
    assert not doc["task"]["probability"] and doc["task"]["calibration"] == []
    assert "The scores are not probabilities" in report.to_markdown()
    # decisions at decile >= 5: ProPublica's Medium-or-High reading
    aa = {row["group"]: row for row in doc["task"]["sweep"][0]["groups"]}["African-American"]
    m = (df["race"] == "African-American").to_numpy()
    assert aa["selection_rate"] == pytest.approx((df["decile_score"][m] >= 5).mean(), abs=1e-12)


@pytest.mark.parametrize("full", [True, False])
def test_compas_score_report_finds_what_the_decisions_at_its_thresholds_do(datasets_home, full):
    # The decisions at each threshold are the binary audit of score >= t: the score report
    # must state the same findings (who, against whom, on which metrics, how severe), each
    # saying which threshold it is about, or it would call ProPublica's false-positive gap
    # "no disparity" (it used to report only AUC gaps).
    df = load_compas(data_home=datasets_home)
    kw = dict(y_true="two_year_recid", protected=["race", "sex"], positive_is_favorable=False,
              reference={"race": "Caucasian"})
    scores = _quiet(ba.audit, df, y_score="decile_score", threshold=[5, "top_share=0.2"], **kw)
    report = _quiet(scores.report, full=full)
    doc = _validate(report)
    ids = [f["id"] for f in doc["findings"]]
    assert len(ids) == len(set(ids))
    assert all(ref in ids for f in doc["findings"] for ref in f["explained_by"])

    def key(f):
        return (f["type"], f["severity"], f["attribute"], json.dumps(f["group"]), json.dumps(f["reference"]),
                tuple((m["metric"], m["verdict"], round(m["difference"], 12)) for m in f["metrics"]))

    for threshold, lead in ((5.0, "Decisions at score ≥ 5: "), (7.0, "Decisions at score ≥ 7 (top_share=0.2): ")):
        binary = _quiet(ba.audit, df.assign(flag=(df["decile_score"] >= threshold).astype(int)), y_pred="flag", **kw)
        want = [f for f in _validate(_quiet(binary.report, full=full))["findings"]
                if f["type"] not in ("group_too_small", "missing_protected_data")]
        got = [f for f in doc["findings"] if f["threshold"] == threshold]
        assert want and sorted(map(key, got)) == sorted(map(key, want))
        assert all(f["sentence"].startswith(lead) and f["evidence"]["decisions"] == lead[:-2] for f in got)
    aa = next(f for f in doc["findings"] if f["threshold"] == 5.0 and f["group"] == "African-American")
    fpr = {m["metric"]: m for m in aa["metrics"]}["false_positive_rate"]
    m, neg = (df["race"] == "African-American").to_numpy(), (df["two_year_recid"] == 0).to_numpy()
    assert fpr["value"] == pytest.approx((df["decile_score"][m & neg] >= 5).mean(), abs=1e-12)
    assert aa["severity"] == "high" and doc["summary"]["max_severity"] == "high"
    assert doc["summary"]["executive"][0]["decisions"] == "Decisions at score ≥ 5"
    assert any("at 2 thresholds were compared as well" in s for s in doc["summary"]["sentences"])
    assert not any(f["threshold"] is not None for f in doc["findings"] if f["metric"] == "roc_auc")
    # several thresholds are protected one by one: the published edition says what that leaves out
    assert (TASK_EN["limit_thresholds"] in doc["limitations"]) == (not full)
    az = _quiet(scores.report, language="az", full=full).findings
    assert any(f["sentence"].startswith("Bal ≥ 5 olduqda verilən qərarlar: ") for f in az)


def test_score_report_states_the_findings_of_the_decisions_given_beside_the_scores(datasets_home):
    # y_pred given with y_score: the decisions as made are audited in r.decisions; the report
    # must show their table and state their findings (it used to show AUC gaps only).
    df = load_compas(data_home=datasets_home).assign(flag=lambda d: (d["decile_score"] >= 7).astype(int))
    kw = dict(y_true="two_year_recid", protected=["race"], positive_is_favorable=False,
              reference={"race": "Caucasian"})
    r = _quiet(ba.audit, df, y_pred="flag", y_score="decile_score", **kw)
    doc = _validate(_quiet(r.report))
    binary = _validate(_quiet(_quiet(ba.audit, df, y_pred="flag", **kw).report))
    want = {(f["group"], f["severity"], tuple(m["metric"] for m in f["metrics"])) for f in binary["findings"]
            if f["type"] not in ("group_too_small", "missing_protected_data")}
    given = [f for f in doc["findings"] if f["evidence"].get("decisions") == "Decisions given (y_pred)"]
    assert want and {(f["group"], f["severity"], tuple(m["metric"] for m in f["metrics"])) for f in given} == want
    assert all(f["sentence"].startswith("Decisions given (y_pred): ") and f["threshold"] is None for f in given)
    step = doc["task"]["sweep"][-1]
    assert step["threshold"] is None and step["rule"] == "y_pred"
    aa = {g["group"]: g for g in step["groups"]}["African-American"]
    m = (df["race"] == "African-American").to_numpy()
    assert aa["selection_rate"] == pytest.approx(df["flag"][m].mean(), abs=1e-12)
    assert any("(y_pred) were compared as well" in s for s in doc["summary"]["sentences"])
    assert TASK_EN["limit_thresholds"] not in doc["limitations"]  # one set of decisions: nothing between two
    with_threshold = _validate(_quiet(_quiet(ba.audit, df, y_pred="flag", y_score="decile_score", threshold=5,
                                             **kw).report))
    assert TASK_EN["limit_thresholds"] in with_threshold["limitations"]
    one = _validate(_quiet(_quiet(ba.audit, df, y_score="decile_score", threshold=5, **kw).report))
    assert any(s.startswith("The decisions derived from the scores at the threshold were compared") for s in
               one["summary"]["sentences"])
    md = _quiet(r.report, language="az").to_markdown()
    assert "Təqdim edilmiş qərarlar (y\\_pred)" in md


def test_compas_model_over_estimates_the_risk_of_women(datasets_home):
    from sklearn.linear_model import LogisticRegression

    df = load_compas(data_home=datasets_home)
    X = np.column_stack([df["priors_count"], df["age"], df["decile_score"]])
    p = LogisticRegression(max_iter=1000).fit(X, df["two_year_recid"]).predict_proba(X)[:, 1]
    r = _quiet(ba.audit, df.assign(p=p), y_true="two_year_recid", y_score="p", protected=["sex"],
               positive_is_favorable=False)
    report = _quiet(r.report)
    women = {(f["type"], f["group"]): f for f in report.findings}[("miscalibration", "Female")]
    m = (df["sex"] == "Female").to_numpy()
    observed, expected = df["two_year_recid"][m].mean(), p[m].mean()
    assert women["evidence"]["value"] == pytest.approx(observed / expected, rel=1e-9)
    assert f"its observed outcome rate is {100 * observed:.1f}%" in women["sentence"]
    assert f"mean predicted probability is {100 * expected:.1f}%" in women["sentence"]
    assert women["vulnerable"] == ["women"] and women["severity"] == "high"  # medium, raised by D7
    az = {(f["type"], f["group"]): f for f in _quiet(r.report, language="az").findings}[("miscalibration", "Female")]
    assert "riskini artıq qiymətləndirir" in az["sentence"]


def test_calibration_sentences_say_whether_the_interval_includes_one(datasets_home):
    # COMPAS deciles / 10 read as probabilities: Caucasian's O/E interval (1.02 to 1.13)
    # excludes 1 while the adjusted test does not reject; the sentence must not say it includes 1
    from biasaudit._report._task_findings import calibration_tests

    df = load_compas(data_home=datasets_home).assign(risk=lambda d: d["decile_score"] / 10)
    r = _quiet(ba.audit, df, y_true="two_year_recid", y_score="risk", protected=["race", "sex"],
               positive_is_favorable=False, reference={"race": "Caucasian"})
    tests = {(t["attribute"], t["group"]): t for t in calibration_tests(r)}
    said = 0
    for f in _quiet(r.report, full=True).findings:
        if f["type"] != "miscalibration" or "right on average" not in f["sentence"] and "not established" not in \
                f["sentence"]:
            continue
        t = tests[(f["attribute"], f["group"] if not isinstance(f["group"], list) else tuple(f["group"]))]
        inside = t["ci_low"] <= 1 <= t["ci_high"]
        assert ("which includes 1" in f["sentence"]) == inside, f["sentence"]
        assert ("the interval excludes 1" in f["sentence"]) == (not inside), f["sentence"]
        said += not inside
    assert said >= 1  # the Caucasian case is there


def test_a_significant_but_negligible_calibration_error_is_no_finding_of_its_own():
    # 200,000 rows per group; b's scores are one point above its outcome probabilities (its risk
    # over-estimated): observed / expected about 0.97, significant, but a difference of 1 point
    # is inside the tolerance of 5 with its interval, as a 1-point gap in rates would be
    rng = np.random.default_rng(21)
    n = 200_000
    truth = rng.uniform(0.2, 0.6, 2 * n)
    group = np.repeat(["a", "b"], n)
    score = np.where(group == "b", truth + 0.01, truth)
    y = (rng.random(2 * n) < truth).astype(int)
    kw = dict(y_true=y, y_score=score, protected={"g": group}, positive_is_favorable=False)
    from biasaudit._report._task_findings import calibration_tests

    tests = {t["group"]: t for t in calibration_tests(_quiet(ba.audit, **kw))}
    assert tests["b"]["p_large_adjusted"] < 0.05 and 0.95 < tests["b"]["ratio"] < 0.99
    for lang, negligible in (("en", "off by less than the audit's tolerance of 5.0 percentage points"),
                             ("az", "5,0 faiz bəndi toleransından azdır")):
        found = [f for f in _quiet(_quiet(ba.audit, **kw).report, language=lang).findings
                 if f["type"] == "miscalibration" and f["group"] == "b"]
        assert found and all(not f["metrics"] and f["severity"] == "low" for f in found)
        assert all(negligible in f["sentence"] for f in found)  # Spiegelhalter's test rejects
    # a stricter tolerance makes the same error a finding that says whom it harms
    strict = [f for f in _quiet(_quiet(ba.audit, tolerance=0.005, **kw).report).findings
              if f["type"] == "miscalibration" and f["group"] == "b"]
    assert len(strict) == 1 and "over-estimates the risk" in strict[0]["sentence"]
    assert strict[0]["metrics"] and strict[0]["severity"] == "medium"


# --------------------------------------------------------------------------- amounts


def _amounts(favourable=True, labels=("men", "women")):
    rng = np.random.default_rng(4)
    n = 4000
    g = rng.choice(np.array(labels, dtype=object), n)
    y = rng.normal(500, 80, n)
    y_hat = y + rng.normal(0, 30, n) - np.where(g == labels[1], 110.0, 0.0)  # women's benefit under-predicted
    return _quiet(ba.audit, y_true=y, y_pred=y_hat, protected={"sex": g}, reference={"sex": labels[0]},
                  positive_is_favorable=favourable, task="regression"), (g, y, y_hat)


def test_amount_findings_are_plain_numbers_with_a_relative_gap():
    r, (g, y, y_hat) = _amounts()
    report = _quiet(r.report)
    doc = _validate(report)
    f = {(f["type"], f["group"]): f for f in report.findings}[("amount_disparity", "women")]
    women, men = y_hat[g == "women"].mean(), y_hat[g == "men"].mean()
    gap = women - men
    assert (f"mean prediction {women:.1f} against {men:.1f} (−{abs(gap):.1f}, −{100 * abs(gap) / men:.0f}%"
            in f["sentence"])
    assert "mean prediction" in f["sentence"] and "percentage points" not in f["sentence"].split(";")[0]
    # the section of distribution parity states the view's numbers
    dp = r.distribution_parity.set_index("group")
    row = {x["group"]: x for x in doc["task"]["distribution"]}["women"]
    assert row["ks_distance"] == pytest.approx(dp.loc["women", "ks_distance"])
    assert row["impact_ratio"] == pytest.approx(dp.loc["women", "impact_ratio"])
    above = np.mean(y_hat[g == "women"] > np.median(y_hat))
    assert row["scoring_rate"] == pytest.approx(above, abs=1 / 4000)
    md = report.to_markdown()
    assert "Distribution parity" in md and "Local Law 144" in md


def test_amount_findings_follow_the_direction():
    r, (g, y, y_hat) = _amounts(favourable=False)  # a lower amount is favourable
    report = _quiet(r.report)
    found = {f["group"]: f for f in report.findings}
    # women's lower predictions favour them: context, not a finding against them
    assert {m["metric"] for m in found["women"]["metrics"]} == {"mean_absolute_error"}  # accuracy has no side
    gaps = {m["metric"] for c in report.to_dict()["context"]["favourable_gaps"] if c["group"] == "women"
            for m in c["metrics"]}
    assert {"mean_prediction", "scoring_rate"} <= gaps
    # men are on the unfavourable side of the median more often: the Local Law 144 ratio names them
    share = np.mean(y_hat[g == "men"] <= np.median(y_hat))
    assert found["men"]["sentence"].startswith(f"men (sex): {100 * share:.1f}% of its predictions are on the "
                                               "favourable side of the median.")
    assert "Its share predicted at or below the full-sample median of" in found["men"]["sentence"]


def test_adult_hours_regression_report_in_both_languages(datasets_home):
    from sklearn.linear_model import LinearRegression

    train, test = load_adult(data_home=datasets_home, split="train"), load_adult(data_home=datasets_home, split="test")
    cols = ["age", "education-num", "capital-gain"]
    model = LinearRegression().fit(train[cols], train["hours-per-week"])
    test = test.assign(pred=model.predict(test[cols]))
    r = _quiet(ba.audit, test, y_true="hours-per-week", y_pred="pred", protected=["sex"], task="regression")
    for lang in ("en", "az"):
        report = _quiet(r.report, language=lang)
        doc = _validate(report)
        rows = {row["group"]: row for row in doc["results"][0]["groups"]}
        m = (test["sex"] == "Female").to_numpy()
        assert rows["Female"]["rates"]["mean_prediction"]["value"] == pytest.approx(test["pred"][m].mean(), rel=1e-12)
        html = report.to_html()
        assert ("Distribution parity" if lang == "en" else "Paylanma bərabərliyi") in html


# --------------------------------------------------------------------------- classes


def test_multiclass_report_names_classes_and_states_the_omnibus_test(datasets_home):
    df = load_compas(data_home=datasets_home)
    r = _quiet(ba.audit, df, y_true=None, y_pred="score_text", protected=["race"], task="multiclass")
    report = _quiet(r.report, full=True)
    doc = _validate(report)
    assert doc["task"]["classes"] == ["High", "Low", "Medium"]
    omnibus = r.independence_tests.set_index("metric").loc["predicted_class"]
    assert doc["task"]["omnibus"][0]["statistic"] == pytest.approx(omnibus["statistic"])
    labels = {x["name"]: x["label"] for x in doc["metrics"]}
    assert labels["selection_rate[0]"] == "Share predicted as High"
    f = [f for f in report.findings if f["type"] == "class_distribution_disparity"][0]
    shares = pd.crosstab(df["race"], df["score_text"], normalize="index")
    big = shares.drop(index="Native American")  # 11 people: not assessable
    assert f"{100 * big['Low'].max():.1f}%" in f["sentence"] and "for Low" in f["sentence"]
    assert "does not say who is harmed" in f["sentence"]
    assert doc["four_fifths"] == []
    az = _quiet(r.report, language="az").to_markdown()
    assert "High kimi proqnozlaşdırılanların payı" in az and "Qruplar üzrə proqnozlaşdırılan sinif" in az


# --------------------------------------------------------------------------- hostile labels


HOSTILE = ("<script>alert(1)</script>", "=HYPERLINK(\"x\")", "a|b*c_")


@pytest.mark.parametrize("kind", ["score", "regression", "multiclass"])
def test_hostile_labels_are_escaped_in_the_new_sections(kind):
    rng = np.random.default_rng(0)
    n = 3000
    g = rng.choice(np.array(HOSTILE, dtype=object), n)
    if kind == "score":
        r = _quiet(ba.audit, y_true=rng.integers(0, 2, n), y_score=np.round(rng.uniform(size=n), 2),
                   protected={"<b>attr</b>": g}, threshold=[0.5])
    elif kind == "regression":
        r = _quiet(ba.audit, y_true=rng.normal(size=n), y_pred=rng.normal(size=n), protected={"<b>attr</b>": g},
                   task="regression")
    else:
        cls = rng.choice(np.array(["<i>lo</i>", "hi|", "=mid"], dtype=object), n)
        r = _quiet(ba.audit, y_true=None, y_pred=cls, protected={"<b>attr</b>": g}, task="multiclass")
    report = _quiet(r.report, full=True)
    html, md = report.to_html(), report.to_markdown()
    assert "<script>alert" not in html and "<b>attr</b>" not in html and "<i>lo</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in md and "<b>" not in md and "a\\|b\\*c\\_" in md
    _validate(report)
