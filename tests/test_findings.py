"""Findings: who is disadvantaged, one finding per group, severity, wording, on real data."""

import io
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba
from biasaudit._metrics import get_metric, list_metrics
from biasaudit._report._az import last_word, suffix, with_suffix
from biasaudit._report._findings import comparison_counts, counted_metrics
from biasaudit._report._harm import DIRECTIONS, disadvantaged, higher_harms
from biasaudit._report._texts import TEXTS
from biasaudit.exceptions import UndefinedMetricWarning

def _audit(*args, **kwargs):
    # tiny intersections have undefined rates; these tests are about findings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        return ba.audit(*args, **kwargs)


ADVERSE_TYPES = {"selection_rate_disparity", "error_rate_disparity", "predictive_value_disparity",
                 "intersectional_disparity", "possible_disparity"}


@pytest.fixture(scope="module")
def compas(datasets_home):
    df = ba.datasets.load_compas(data_home=datasets_home)
    return _audit(df, y_true="two_year_recid", y_pred=df["score_text"].isin(["Medium", "High"]),
                        protected=["race", "sex"], reference={"race": "Caucasian"}, positive_is_favorable=False)


@pytest.fixture(scope="module")
def demo():
    # the command line's demo: 10,000 rows, seed 1
    data = ba.datasets.make_biased_classification(10_000, rng=1).data
    return _audit(data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=1)


# -- the direction of each metric ----------------------------------------------------------

def test_every_rate_metric_has_a_documented_direction():
    # the binary family's directions are written out; the other families' come from the registry
    rates = [m for m in list_metrics(family="binary") if get_metric(m).kind != "count"]
    assert set(rates) == set(DIRECTIONS)
    docs = (Path(__file__).resolve().parents[1] / "docs" / "reports.md").read_text(encoding="utf-8")
    for m in rates:
        assert f"`{m}`" in docs, m


@pytest.mark.parametrize("favourable", [True, False])
def test_complements_point_the_other_way(favourable):
    for name in list_metrics():
        m = get_metric(name)
        if m.complement_of:
            mine, theirs = higher_harms(name, favourable), higher_harms(m.complement_of, favourable)
            # both without direction (context), or opposite directions
            assert (mine is None and theirs is None) or mine is (not theirs), name


def test_directions_under_both_settings():
    # being flagged high risk (unfavourable positive): more flags harm, more misses do not
    assert disadvantaged("false_positive_rate", False, 0.2) == "group"
    assert disadvantaged("false_negative_rate", False, 0.2) == "reference"
    assert disadvantaged("selection_rate", False, 0.2) == "group"
    # predictive values are context: their gaps follow base rates, not treatment
    for metric in ("positive_predictive_value", "negative_predictive_value", "false_discovery_rate",
                   "false_omission_rate"):
        for favourable in (True, False):
            assert higher_harms(metric, favourable) is None
            assert disadvantaged(metric, favourable, 0.1) is None
    # a favourable positive (a loan): fewer grants and more qualified refusals harm
    assert disadvantaged("selection_rate", True, -0.1) == "group"
    assert disadvantaged("false_negative_rate", True, 0.1) == "group"
    assert disadvantaged("true_positive_rate", True, 0.1) == "reference"
    # accuracy does not depend on which decision is favourable
    for favourable in (True, False):
        assert disadvantaged("accuracy", favourable, 0.15) == "reference"
        assert disadvantaged("error_rate", favourable, 0.15) == "group"
        assert disadvantaged("base_rate", favourable, 0.15) is None
    assert disadvantaged("selection_rate", True, 0.0) is None
    assert disadvantaged("selection_rate", True, float("nan")) is None


def test_relabelling_both_outcomes_and_decisions_finds_the_same_groups():
    # y -> 1 - y, decision -> 1 - decision, favourable -> unfavourable describes the same
    # system: the same groups must be found disadvantaged, with the same severities
    data = ba.datasets.make_biased_classification(6000, rng=3).data
    a = _audit(data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=3)
    flipped = data.assign(y_true=1 - data["y_true"], y_pred=1 - data["y_pred"])
    b = _audit(flipped, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=3,
                     positive_is_favorable=False)

    def adverse(result):
        # All severities: a rate and its complement carry one verdict (one comparison), so
        # swapping which of the pair is counted changes nothing.
        return {(f["attribute"], str(f["group"])): f["severity"] for f in result.report(full=True).findings
                if f["type"] in ADVERSE_TYPES}

    found = adverse(a)
    assert found and found == adverse(b)


# -- the acceptance cases --------------------------------------------------------------------

def test_compas_top_finding_is_propublicas(compas):
    report = compas.report()
    top = report.findings[0]
    assert top["group"] == "African-American" and top["reference"] == "Caucasian"
    assert top["severity"] == "high" and top["disadvantaged"] == "group"
    fpr = next(m for m in top["metrics"] if m["metric"] == "false_positive_rate")
    assert fpr["value"] == pytest.approx(641 / 1514) and fpr["reference_value"] == pytest.approx(188 / 854)
    assert "false positive rate 42.3% against 22.0%" in top["sentence"]
    # flagged being unfavourable, the error that wrongly flags (FPR) comes right after the
    # selection rate, before the larger TPR gap
    assert [m["metric"] for m in top["metrics"]][:3] == ["selection_rate", "false_positive_rate",
                                                         "true_positive_rate"]
    # being flagged less often is not a finding against a group
    for f in report.findings:
        for m in f["metrics"]:
            assert not (m["metric"] == "selection_rate" and m["difference"] < 0), f["sentence"]
    # and it is kept as context, not lost
    context = report.to_dict()["context"]["favourable_gaps"]
    # (women are flagged less often than men: context, not a finding against men or women)
    assert any(g["group"] == "Female" and g["reference"] == "Male" and g["disadvantaged"] == "reference"
               for g in context)
    # the race reference carries into race & sex: its groups are compared with (Caucasian, Male)
    inter = [f for f in report.to_dict()["findings"] if f["attribute"] == "race & sex" and f["reference"]]
    assert inter and all(list(f["reference"]) == ["Caucasian", "Male"] for f in inter)


def test_the_wrongful_error_follows_the_decision_when_the_decision_is_favourable(datasets_home):
    # COMPAS relabelled: "not flagged" is the favourable positive decision and "did not
    # reoffend" the positive outcome. The error that wrongly withholds the favourable decision
    # (FNR, or its complement TPR: ProPublica's false-positive gap, 20.3 points) comes right
    # after the selection rate, before the larger gap of the other error rate (21.2 points).
    df = ba.datasets.load_compas(data_home=datasets_home)
    r = _audit(df, y_true=1 - df["two_year_recid"], y_pred=~df["score_text"].isin(["Medium", "High"]),
               protected=["race"], reference={"race": "Caucasian"}, positive_is_favorable=True)
    top = r.report().findings[0]
    assert top["group"] == "African-American"
    metrics = [m["metric"] for m in top["metrics"]]
    assert metrics[0] == "selection_rate" and metrics[1] in ("false_negative_rate", "true_positive_rate")
    assert abs(top["metrics"][1]["difference"]) < abs(top["metrics"][2]["difference"])


def test_one_finding_per_group_with_complements_counted_once(compas, demo):
    for result in (compas, demo):
        doc = json.loads(result.report(full=True).to_json())
        adverse = [f for f in doc["findings"] if f["type"] in ADVERSE_TYPES]
        keys = [(f["attribute"], json.dumps(f["group"])) for f in adverse]
        assert len(keys) == len(set(keys))
        d = result.disparities.set_index(["attribute", "group", "metric"])
        tol = result.options.tolerance
        for f in adverse:
            listed = {m["metric"] for m in f["metrics"]}
            primaries = [get_metric(m).complement_of or m for m in listed]
            assert len(primaries) == len(set(primaries)), listed  # one member of each pair
            group = tuple(f["group"]) if isinstance(f["group"], list) else f["group"]
            for m in listed:
                primary = get_metric(m).complement_of
                if primary is not None:  # a complement only where the rate's own gap is not large
                    own = d.loc[(f["attribute"], group, primary)]
                    assert abs(own["difference"]) < tol and 0.8 <= own["ratio"] <= 1.25, (f["id"], m)
    # counts: the CLI's "x of y comparisons" counts each complementary pair once
    d = demo.disparities
    once = d[d["metric"].isin(counted_metrics(demo.metrics)) & ~d["verdict"].isin(["reference", "not_tested"])]
    flagged, tested = comparison_counts(demo)
    assert tested == len(once) < int((~d["verdict"].isin(["reference", "not_tested"])).sum())
    assert flagged == int(once["verdict"].isin(["disparity", "possible_disparity"]).sum())


def test_adult_higher_accuracy_is_not_an_adverse_finding(datasets_home):
    df = ba.datasets.load_adult(data_home=datasets_home)
    y_pred = (df["education-num"] >= 13) & (df["hours-per-week"] >= 40)
    result = _audit(df, y_true="income_over_50k", y_pred=y_pred, protected=["sex", "race"])
    d = result.disparities.set_index(["attribute", "group", "metric"])
    row = d.loc[("sex & race", ("Female", "Black"), "accuracy")]
    assert row["difference"] > 0.1 and row["verdict"] == "disparity"  # more accurate for them
    report = result.report()
    for f in report.findings:
        if f["group"] == ["Female", "Black"]:
            assert "accuracy" not in [m["metric"] for m in f["metrics"]]
    gaps = report.to_dict()["context"]["favourable_gaps"]
    fb = next(g for g in gaps if g["group"] == ["Female", "Black"])
    assert "accuracy" in [m["metric"] for m in fb["metrics"]]


def test_adult_weighted_shortfall_is_labelled_weighted(datasets_home):
    df = ba.datasets.load_adult(data_home=datasets_home)
    y_pred = (df["education-num"] >= 13) & (df["hours-per-week"] >= 40)
    result = _audit(df, y_true="income_over_50k", y_pred=y_pred, protected=["sex"], sample_weight="fnlwgt")
    sentences = " ".join(f["sentence"] for f in result.report().findings)
    assert "weighted units (sums of the sample weights, not people)" in sentences
    assert "more favourable decisions would have" not in sentences
    female = int((df["sex"] == "Female").sum())
    assert f"for the {female:,} people of the group in the sample" in sentences


def test_demo_female_gap_is_a_disparity_not_inconclusive(demo):
    row = demo.disparities.set_index(["attribute", "group", "metric"]).loc[("sex", "female", "selection_rate")]
    assert row["difference"] == pytest.approx(-0.0479, abs=5e-4) and row["pvalue_adjusted"] < 1e-4
    assert row["verdict"] == "disparity"
    female = next(f for f in demo.report().findings if f["attribute"] == "sex" and f["group"] == "female")
    assert "selection_rate" in [m["metric"] for m in female["metrics"]]


def test_german_credit_310_women_are_not_too_few_to_assess(datasets_home):
    df = ba.datasets.load_german_credit(data_home=datasets_home)
    assert int((df["sex"] == "female").sum()) == 310
    for y_pred in (df["duration"] <= 24, df["credit_amount"] < 4000):
        result = _audit(df, y_true="good_credit", y_pred=y_pred, protected=["sex"])
        small = [f for f in result.report().findings if f["type"] == "group_too_small"]
        assert all(f["group"] != "female" for f in small)
    # a group whose test cannot see even twice the tolerance is too small
    tiny = pd.DataFrame({"g": ["a"] * 2000 + ["b"] * 40, "y": np.r_[np.tile([0, 1], 1000), np.tile([0, 1], 20)]})
    result = _audit(y_true=None, y_pred=tiny["y"], protected={"g": tiny["g"]})
    assert [f["group"] for f in result.report().findings if f["type"] == "group_too_small"] == ["b"]


# -- severity, D7 and order ------------------------------------------------------------------

def _two_gap_data(rng=0):
    """Race D far below the reference (large gap); women slightly below (a medium gap)."""
    gen = np.random.default_rng(rng)
    n = 40_000
    sex = gen.choice(["male", "female"], n)
    race = gen.choice(["A", "D"], n, p=[0.8, 0.2])
    p = 0.5 - 0.06 * (sex == "female") - 0.2 * (race == "D")
    return pd.DataFrame({"sex": sex, "race": race, "y_pred": (gen.random(n) < p).astype(int)})


def test_d7_raises_adverse_findings_only_and_does_not_sort_them_first():
    data = _two_gap_data()
    result = _audit(data, y_true=None, y_pred="y_pred", protected=["sex", "race"], intersections=False)
    findings = result.report().findings
    kinds = [(f["attribute"], f["group"], f["severity"]) for f in findings]
    # the larger gap comes first although the women's finding is marked D7 and raised to high
    assert kinds[:2] == [("race", "D", "high"), ("sex", "female", "high")]
    assert findings[1]["vulnerable"] == ["women"] and findings[1]["metrics"][0]["severity"] == "medium"
    # men's favourable gap against women would not be raised: with women as the reference
    # the gap in the men's favour is context, and no finding about men exists
    flipped = _audit(data, y_true=None, y_pred="y_pred", protected=["sex"], reference={"sex": "female"})
    assert [f for f in flipped.report().findings if f["group"] == "male"] == []


def test_intersectional_finding_explained_by_its_marginal_one():
    data = _two_gap_data(1)
    reference = {"race": "A", "sex": "male", "sex & race": ("male", "A")}
    result = _audit(data, y_true=None, y_pred="y_pred", protected=["sex", "race"], reference=reference)
    findings = result.report().findings
    ids = {(f["attribute"], json.dumps(f["group"])): f["id"] for f in findings}
    inter = next(f for f in findings if f["group"] == ["male", "D"])
    assert inter["explained_by"] == [ids[("race", '"D"')]]
    assert "largely reflects them" in inter["sentence"]
    # explained findings come after the unexplained ones of the same severity
    same = [f["id"] for f in findings if f["severity"] == inter["severity"]]
    assert same.index(inter["id"]) > same.index(ids[("race", '"D"')])



def _cells(spec, extra=None):
    """Rows with exact counts: ``{(sex, race): (people, selected)}``."""
    frames = [pd.DataFrame({"sex": s, "race": r, "y_pred": [1] * k + [0] * (n - k)}) for (s, r), (n, k) in spec.items()]
    data = pd.concat(frames, ignore_index=True)
    if extra is not None:
        data["region"] = np.resize(extra, len(data))
    return data


_WITHIN = {("male", "A"): (1600, 800), ("female", "A"): (1200, 600), ("male", "D"): (800, 240),
           ("female", "D"): (1000, 300)}


def test_an_intersection_two_attributes_from_its_reference_is_read_one_attribute_at_a_time():
    # D women are selected at 30% against 50% for A men; D men are selected at 30% too and
    # A women at 50%: the gap follows race, not sex, and the finding must show it.
    result = _audit(_cells(_WITHIN), y_true=None, y_pred="y_pred", protected=["sex", "race"],
                    reference={"sex": "male", "race": "A"})
    for language, lead in [("en", "One attribute at a time: against male & D, which differs from it only in sex, "
                                  "selection rate 30.0% against 30.0% (0.0 percentage points"),
                           ("az", "Hər dəfə bir əlamət üzrə: yalnız sex əlamətinə görə fərqlənən male & D qrupu")]:
        findings = result.report(language=language).findings
        f = next(f for f in findings if f["group"] == ["female", "D"])
        assert f["reference"] == ["male", "A"] and lead in f["sentence"]
        within = f["evidence"]["within"]
        assert [(w["attribute"], w["group"]) for w in within] == [("sex", ["male", "D"]), ("race", ["female", "A"])]
        for w, (x2, n2) in zip(within, [(240, 800), (600, 1200)]):
            (m,) = w["metrics"]
            oracle = ba.stats.difference_interval(300, 1000, x2, n2)
            assert m["metric"] == "selection_rate" and m["value"] == pytest.approx(0.3, abs=1e-15)
            assert m["comparison_value"] == pytest.approx(x2 / n2, abs=1e-15)
            assert m["difference"] == pytest.approx(0.3 - x2 / n2, abs=1e-15)
            assert (m["ci_low"], m["ci_high"]) == pytest.approx((float(oracle.low), float(oracle.high)), abs=1e-12)
        # D men differ from A men in race alone: their finding is that one comparison
        men = next(f for f in findings if f["group"] == ["male", "D"])
        assert "within" not in men["evidence"] and "+" not in men["sentence"].split(":")[0]
        assert all("One attribute" not in g["sentence"] and "Hər dəfə" not in g["sentence"]
                   for g in findings if g is not f)


def test_side_comparisons_need_an_assessable_published_group_a_group_reference_and_no_control():
    spec = {**_WITHIN, ("male", "D"): (6, 2)}  # D men: too few to compare with
    result = _audit(_cells(spec), y_true=None, y_pred="y_pred", protected=["sex", "race"],
                    reference={"sex": "male", "race": "A"})
    # (the regulator's annex: the published edition withholds the women's figures with the men's)
    f = next(f for f in result.report(full=True).findings if f["group"] == ["female", "D"])
    assert [w["group"] for w in f["evidence"]["within"]] == [["female", "A"]]
    assert "differs from it only in race" in f["sentence"] and "only in sex" not in f["sentence"]
    overall = _audit(_cells(_WITHIN), y_true=None, y_pred="y_pred", protected=["sex", "race"], reference="overall")
    controlled = _audit(_cells(_WITHIN, extra=["n", "s"]), y_true=None, y_pred="y_pred", protected=["sex", "race"],
                        reference={"sex": "male", "race": "A"}, control="region")
    for r in (overall, controlled):
        findings = r.report().findings
        assert findings and all("within" not in f["evidence"] for f in findings)
        assert not any("One attribute at a time" in f["sentence"] for f in findings)


def test_compas_women_of_one_race_are_read_against_women_and_men_of_their_own(datasets_home, compas):
    # African-American women are flagged more often than Caucasian men; against Caucasian
    # women (race alone) the gap is smaller, and against African-American men (sex alone)
    # they are flagged less. Figures recounted from the rows.
    df = ba.datasets.load_compas(data_home=datasets_home)
    flagged = df["score_text"].isin(["Medium", "High"])

    def counts(race, sex):
        rows = (df["race"] == race) & (df["sex"] == sex)
        return int(flagged[rows].sum()), int(rows.sum())

    f = next(f for f in compas.report().findings if f["group"] == ["African-American", "Female"])
    assert f["reference"] == ["Caucasian", "Male"]
    x1, n1 = counts("African-American", "Female")
    got = {w["attribute"]: w for w in f["evidence"]["within"]}
    assert got["race"]["group"] == ["Caucasian", "Female"] and got["sex"]["group"] == ["African-American", "Male"]
    for attribute, (race, sex) in [("race", ("Caucasian", "Female")), ("sex", ("African-American", "Male"))]:
        (m,) = got[attribute]["metrics"]
        x2, n2 = counts(race, sex)
        assert m["difference"] == pytest.approx(x1 / n1 - x2 / n2, abs=1e-12)
        oracle = ba.stats.difference_interval(x1, n1, x2, n2)
        assert (m["ci_low"], m["ci_high"]) == pytest.approx((float(oracle.low), float(oracle.high)), abs=1e-12)
    assert got["race"]["metrics"][0]["difference"] > 0.05 and got["sex"]["metrics"][0]["ci_high"] < 0
    assert ("against Caucasian & Female, which differs from it only in race, selection rate 49.5% against 38.2%"
            in f["sentence"])
    # the first page shows the mixed comparison one attribute at a time as well
    report = compas.report()
    top = next(e for e in report.to_dict()["summary"]["executive"] if e["group"] == ["African-American", "Female"])
    assert [(w["attribute"], w["group"]) for w in top["within"]] == [
        ("race", ["Caucasian", "Female"]), ("sex", ["African-American", "Male"])]
    assert top["within"][0]["difference"] == pytest.approx(got["race"]["metrics"][0]["difference"], abs=1e-15)
    row = next(line for line in report.to_markdown().split("## 2.")[0].splitlines() if "African-American & Female" in line)
    assert ("one attribute at a time (Selection rate): against Caucasian & Female (race only) +11.4 percentage "
            "points, against African-American & Male (sex only) −9.7 percentage points") in row
    men = next(e for e in report.to_dict()["summary"]["executive"] if e["group"] == ["African-American", "Male"])
    assert men["within"] == []  # one attribute from its reference: nothing to separate


def test_side_comparisons_of_amounts_use_welch_intervals():
    # predicted amounts: D people are predicted 10 less whatever their sex; the side
    # comparisons carry Welch's interval of the two groups' means (SciPy as the oracle)
    from scipy import stats

    gen = np.random.default_rng(3)
    parts = [pd.DataFrame({"sex": s, "race": r, "y": gen.normal(mu, 20, n), "p": gen.normal(mu, 20, n)})
             for s, r, n, mu in [("m", "A", 1500, 100), ("f", "A", 1200, 100), ("m", "D", 900, 90), ("f", "D", 1000, 90)]]
    df = pd.concat(parts, ignore_index=True)
    result = _audit(df, y_true="y", y_pred="p", protected=["sex", "race"], reference={"sex": "m", "race": "A"})
    f = next(f for f in result.report(full=True).findings if f["group"] == ["f", "D"])
    got = {w["attribute"]: {m["metric"]: m for m in w["metrics"]} for w in f["evidence"]["within"]}
    group = df["p"][(df["sex"] == "f") & (df["race"] == "D")]
    for attribute, (sex, race) in [("sex", ("m", "D")), ("race", ("f", "A"))]:
        other = df["p"][(df["sex"] == sex) & (df["race"] == race)]
        mean = got[attribute]["mean_prediction"]
        oracle = stats.ttest_ind(group, other, equal_var=False).confidence_interval(0.95)
        assert mean["difference"] == pytest.approx(group.mean() - other.mean(), abs=1e-10)
        assert (mean["ci_low"], mean["ci_high"]) == pytest.approx((oracle.low, oracle.high), abs=1e-9)
    assert got["sex"]["mean_prediction"]["ci_low"] < 0 < got["sex"]["mean_prediction"]["ci_high"]
    assert got["race"]["mean_prediction"]["ci_high"] < 0
    assert "against m & D, which differs from it only in sex, mean prediction" in f["sentence"]

# -- wording ----------------------------------------------------------------------------------

@pytest.mark.parametrize("language, phrase", [("en", "90% confidence interval"), ("az", "90% etibarlılıq intervalı")])
def test_sentences_state_the_configured_interval_level(language, phrase):
    data = ba.datasets.make_biased_classification(4000, rng=5).data
    result = _audit(data, y_true="y_true", y_pred="y_pred", protected=["sex"], confidence_level=0.9, rng=5,
                    reference={"sex": "male"})
    report = result.report(language=language)
    sentences = [f["sentence"] for f in report.findings if f["metrics"]]
    assert sentences and all(phrase in s for s in sentences)
    assert "95%" not in report.to_markdown().split("## 13.")[0]


def test_no_raw_rule_names_or_python_dicts_in_prose(compas):
    for language in ("en", "az"):
        page = compas.report(language=language).to_html()
        assert "{&#39;race&#39;" not in page and "{'race'" not in page
        assert "race: Caucasian" in page
    rule = _audit(y_true=None, y_pred=[0, 1] * 50, protected={"g": ["a"] * 60 + ["b"] * 40})
    assert "g: a (the largest group)" in rule.report().to_markdown()
    assert "g: a (ən böyük qrup)" in rule.report(language="az").to_markdown()


def test_markdown_has_no_needless_entities(compas):
    markdown = compas.report().to_markdown()
    assert "&amp;" not in markdown and "&lt;" not in markdown and "&gt;" not in markdown
    assert "African-American & Female" in markdown and "p < 0.001" in markdown


def test_annex_shows_alpha_rounded_and_one_seed(demo):
    doc = demo.report().to_dict()
    assert doc["annex"]["parameters"]["alpha"] == 0.05 and "seed" not in doc["annex"]["parameters"]
    assert doc["annex"]["seed"] == 1
    markdown = demo.report().to_markdown()
    assert "0.050000000000000044" not in markdown and '"alpha": 0.05,' in markdown
    # one seed: the drawn seed is the user's integer rng itself, so it replays the audit
    assert demo.parameters["seed"] == 1 and '"rng"' not in markdown


def test_empty_combinations_are_counted_not_listed():
    gen = np.random.default_rng(2)
    n = 3000
    a, b, c = gen.choice(list("pqrs"), n), gen.choice(list("uvwx"), n), gen.choice(list("yz"), n)
    b = np.where(a == "p", "u", b)  # p only with u: 3 empty (a, b) combinations, 6 of (a, b, c)
    frame = pd.DataFrame({"a": a, "b": b, "c": c})
    result = _audit(y_true=None, y_pred=gen.integers(0, 2, n), protected=frame,
                          intersections=[("a", "b"), ("a", "b", "c")])
    doc = json.loads(result.report().to_json())
    assert doc["groups"]["empty"] == [{"attribute": "a & b", "count": 3}, {"attribute": "a & b & c", "count": 6}]
    assert "a & b: 3 combinations without rows" in result.report().to_markdown()


# -- Azerbaijani ---------------------------------------------------------------------------------

@pytest.mark.parametrize("number, abl", [
    (1, "dən"), (2, "dən"), (3, "dən"), (4, "dən"), (5, "dən"), (6, "dan"), (7, "dən"), (8, "dən"), (9, "dan"),
    (10, "dan"), (11, "dən"), (16, "dan"), (20, "dən"), (30, "dan"), (40, "dan"), (50, "dən"), (60, "dan"),
    (70, "dən"), (80, "dən"), (90, "dan"), (100, "dən"), (110, "dan"), (1000, "dən"), (2_000_000, "dan"),
    (0, "dan"), ("2,5", "dən"), ("80%", "dən"),
])
def test_azerbaijani_ablative_follows_the_last_number_word(number, abl):
    assert suffix(number, "abl") == abl
    assert with_suffix(number, "abl") == f"{number}-{abl}"
    assert with_suffix(number, "abl", "en") == str(number)


def test_azerbaijani_other_cases_and_buffer_consonants():
    assert [suffix(n, "loc") for n in (5, 6, 10, 20)] == ["də", "da", "da", "də"]
    assert [suffix(n, "dat") for n in (2, 6, 3, 9, 10, 50)] == ["yə", "ya", "ə", "a", "a", "yə"]
    assert [suffix(n, "gen") for n in (2, 6, 3, 4, 5, 9, 10, 40)] == ["nin", "nın", "ün", "ün", "in", "un", "un", "ın"]
    assert last_word(1_000_000_000) == "milyard" and last_word("0,05") == "beş"


@pytest.mark.parametrize("min_cell, expected", [(5, "5-dən az"), (10, "10-dan az"), (11, "11-dən az")])
def test_azerbaijani_report_uses_the_suffix_rule(demo, min_cell, expected):
    # the disclosure rule's protection width ("fewer than min_cell possible values")
    page = demo.report(language="az", min_cell=min_cell).to_markdown()
    assert expected in page
    wrong = {"dən": "dan", "dan": "dən"}[expected.split("-")[1].split()[0]]
    assert f"{min_cell}-{wrong} az" not in page


def test_azerbaijani_accuracy_and_precision_have_distinct_words():
    names = TEXTS["az"]["metric_name"]
    accuracy = names["accuracy"].lower()
    for metric in ("positive_predictive_value", "negative_predictive_value", "f1_score"):
        assert accuracy not in names[metric].lower()
        assert accuracy not in TEXTS["az"]["meaning_of"][metric].lower()
    assert not re.search(r"dəqiq", " ".join(names.values()).lower())


def test_reference_best_names_each_metrics_reference():
    data = ba.datasets.make_biased_classification(8000, rng=1).data
    result = _audit(data, y_true="y_true", y_pred="y_pred", protected=["race"], rng=1, reference="best")
    d = result.disparities.set_index(["attribute", "group", "metric"])
    finding = next(f for f in result.report().findings if f["group"] == "D")
    refs = {m["metric"]: d.loc[("race", "D", m["metric"]), "reference"] for m in finding["metrics"]}
    assert len(set(refs.values())) > 1  # the most favourable group differs by metric
    for metric, ref in refs.items():
        name = TEXTS["en"]["metric_name"][metric].lower()
        assert re.search(rf"{name} [\d.]+% against [\d.]+% for {ref} \(race\)", finding["sentence"]), metric


def test_tiny_groups_give_no_possible_disparity_flood_and_one_summary_per_intersection():
    gen = np.random.default_rng(4)
    n = 3000
    protected = {"a": gen.choice(list("abcdef"), n), "b": gen.choice(list("uvwxyz"), n),
                 "sex": gen.choice(["female", "male"], n)}
    result = _audit(y_true=None, y_pred=gen.integers(0, 2, n), protected=protected,
                    intersections=[("a", "b", "sex")])
    findings = result.report(full=True).findings
    inter = [f for f in findings if f["attribute"] == "a & b & sex"]
    # the 72 combinations hold about 40 people each: too few to see a gap of 10 points
    assert [f["type"] for f in inter] == ["group_too_small"]
    listed = inter[0]["evidence"]["groups"]
    # the D7 groups, in one finding: 36 female combinations but the reference (the largest group)
    reference = result.disparities.query("attribute == 'a & b & sex' and verdict == 'reference'")["group"].iloc[0]
    assert reference[2] == "female"
    assert len(listed) == 35 and all(g[2] == "female" for g in listed) and list(reference) not in listed
    assert "35 groups of a & b & sex are too small to assess" in inter[0]["sentence"]
    assert "and 25 more" in inter[0]["sentence"]
    small = {(r.attribute, r.group) for r in result.disparities.itertuples() if r.metric == "selection_rate"
             and r.min_detectable_difference > 0.1}
    assert len(small) == 71  # every combination but the reference


def test_withheld_groups_get_one_neutral_finding_without_size_or_reason(compas):
    # merged behaviour (findings by harm + joint disclosure control): the published edition
    # states no power verdict, size or threshold for a group whose figures are withheld
    from biasaudit._report._published import publication

    pub = publication(compas, min_cell=10)
    findings = compas.report().findings
    neutral = [f for f in findings if f["type"] == "group_too_small" and f["suppressed"]]
    assert neutral, "COMPAS race x sex needs withholding at min_cell=10"
    for f in neutral:
        assert f["n"] is None and not f["evidence"].get("power")
        assert "too small to assess" not in f["sentence"] and "withheld" in f["sentence"]
        assert not re.search(r"\d+ (people|records)|fewer than|below \d", f["sentence"])
        groups = f["evidence"].get("groups") or [f["group"]]
        for g in groups:
            label = tuple(g) if isinstance(g, list) else g
            ref = compas.disparities.set_index(["attribute", "group", "metric"]).loc[
                (f["attribute"], label, "selection_rate"), "reference"]
            assert not (pub.size(f["attribute"], label)
                        and pub.comparison(f["attribute"], label, "selection_rate", ref))
    # a marginal group whose selection-rate comparison is withheld: neutral, not "too small"
    native = next(f for f in findings if f["group"] == "Native American")
    assert native["suppressed"] and native["n"] is None
    # the regulator's annex says why, with the size
    annex = next(f for f in compas.report(full=True).findings if f["group"] == "Native American")
    assert not annex["suppressed"] and annex["n"] == int(compas.group_metrics.set_index(
        ["attribute", "group"]).loc[("race", "Native American"), "n"])


def test_compas_published_findings_are_true_sentences(compas):
    # Every finding of the published COMPAS report says a group is worse off on a metric
    # whose direction says so (being flagged is unfavourable), with the audit's own numbers;
    # predictive values are context, so the women's PPV/NPV gaps (which restate that women
    # reoffend less, at an equal false positive rate) are no finding.
    report = compas.report()
    d = compas.disparities.set_index(["attribute", "group", "metric"])
    names = TEXTS["en"]["metric_name"]
    checked = 0
    for f in report.findings:
        for m in f["metrics"]:
            harms = higher_harms(m["metric"], False)
            assert harms is not None, f["sentence"]
            assert (m["difference"] > 0) == harms, f["sentence"]
            group = tuple(f["group"]) if isinstance(f["group"], list) else f["group"]
            row = d.loc[(f["attribute"], group, m["metric"])]
            assert m["value"] == pytest.approx(row["value"]) and m["difference"] == pytest.approx(row["difference"])
            value, ref = f"{100 * row['value']:.1f}%", f"{100 * row['reference_value']:.1f}%"
            assert f"{names[m['metric']].lower()} {value} against {ref}" in f["sentence"]
            checked += 1
    assert checked >= 5
    assert not any(f["group"] == "Female" for f in report.findings)
    stated = {(f["attribute"], str(f["group"])): f for f in report.findings}
    cf = stated[("race & sex", str(["Caucasian", "Female"]))]
    fpr = next(m for m in cf["metrics"] if m["metric"] == "false_positive_rate")
    assert fpr["value"] == pytest.approx(90 / 312) and fpr["reference_value"] == pytest.approx(192 / 969)
    assert "Caucasian & Male" in cf["sentence"]  # the race reference carried into race & sex


def test_a_rate_and_its_complement_get_one_verdict():
    # FNR 0.10 against 0.135 is outside the 0.8-1.25 ratio band while TPR 0.90 against 0.865
    # is not; they are one comparison (one test), so they must carry one verdict.
    def group(name, tp):
        return pd.DataFrame({"g": name, "y": [1] * 1000 + [0] * 1000,
                             "p": [1] * tp + [0] * (1000 - tp) + [1] * 500 + [0] * 500})

    data = pd.concat([group("a", 900), group("b", 865)], ignore_index=True)
    d = ba.audit(data, y_true="y", y_pred="p", protected="g", reference={"g": "a"}).disparities.set_index(["metric", "group"])
    tpr, fnr = d.loc[("true_positive_rate", "b")], d.loc[("false_negative_rate", "b")]
    assert abs(fnr["ratio"] - 1.35) < 1e-12 and abs(tpr["ratio"] - 0.865 / 0.9) < 1e-12
    assert tpr["verdict"] == fnr["verdict"] == "possible_disparity"
    assert "its complement" in tpr["verdict_reason"]


def test_a_pair_called_large_by_its_complement_is_shown_as_the_complement():
    # TPR 0.856 against 0.886 is a 3-point gap with a ratio of 0.97; the same comparison as
    # FNR, 0.144 against 0.114, has a ratio of 1.27: the pair's verdict (possible disparity)
    # rests on that ratio, so the finding shows the FNR and says the ratio.
    def block(n_pos, tp, n_neg, fp, g):
        return [1] * n_pos + [0] * n_neg, [1] * tp + [0] * (n_pos - tp) + [1] * fp + [0] * (n_neg - fp), \
            [g] * (n_pos + n_neg)

    a, b = block(500, 443, 300, 90, "m"), block(201, 172, 110, 33, "f")
    result = _audit(None, y_true=a[0] + b[0], y_pred=a[1] + b[1], protected={"sex": a[2] + b[2]},
                    reference={"sex": "m"}, metrics=["true_positive_rate", "false_negative_rate"])
    d = result.disparities.set_index(["group", "metric"])
    assert d.loc[("f", "true_positive_rate"), "verdict"] == "possible_disparity"
    assert d.loc[("f", "true_positive_rate"), "ratio"] == pytest.approx(172 / 201 / (443 / 500))
    doc = json.loads(result.report(full=True, vulnerable=False).to_json())
    (finding,) = [f for f in doc["findings"] if f["type"] in ADVERSE_TYPES]
    assert [m["metric"] for m in finding["metrics"]] == ["false_negative_rate"]
    fnr, ref = 29 / 201, 57 / 500
    assert f"false negative rate {100 * fnr:.1f}% against {100 * ref:.1f}%" in finding["sentence"]
    assert f"possible disparity: {fnr / ref:.2f} times the reference's rate" in finding["sentence"]
    # every gap of the finding is possible, not established: the lead does not assert harm
    assert finding["sentence"].startswith("f (sex) may be disadvantaged compared with m (sex): ")
    doc = json.loads(result.report(full=True, vulnerable=False, language="az").to_json())
    (finding,) = [f for f in doc["findings"] if f["type"] in ADVERSE_TYPES]
    assert "ilə müqayisədə əlverişsiz vəziyyətdə ola bilər: " in finding["sentence"]


@pytest.mark.parametrize("value, en, az", [(-0.0004, "0.0", "0,0"), (0.00049, "0.0", "0,0"), (0.0006, "+0.1", "+0,1"),
                                           (-0.0312, "−3.1", "−3,1"), (0.0, "0.0", "0,0")])
def test_a_gap_that_rounds_to_zero_has_no_sign(value, en, az):
    # "95% confidence interval −10.9 to +0.0" would claim a direction the figure does not show
    from biasaudit._report._texts import bare_points
    from biasaudit._report._units import signed, signed_number

    assert bare_points(value, "en") == en and bare_points(value, "az") == az
    assert signed(f"{abs(value):.2f}", value) == (f"{abs(value):.2f}" if round(abs(value), 2) == 0
                                                 else ("+" if value > 0 else "−") + f"{abs(value):.2f}")
    assert signed_number(value, "en", 3) == ("−" if round(value, 3) < 0 else "") + f"{abs(value):.3f}"


def test_results_tables_mark_a_flagged_gap_in_the_groups_favour():
    # b is selected more often than the reference a (favourable), c less: both gaps are
    # disparities; the table must not let b's advantage read as a harm
    data = pd.DataFrame({"g": ["a"] * 2000 + ["b"] * 2000 + ["c"] * 2000,
                         "d": [1] * 600 + [0] * 1400 + [1] * 900 + [0] * 1100 + [1] * 300 + [0] * 1700})
    result = _audit(data, y_true=None, y_pred="d", protected="g", reference={"g": "a"})
    verdicts = result.disparities.set_index(["group", "metric"])["verdict"]
    assert verdicts[("b", "selection_rate")] == verdicts[("c", "selection_rate")] == "disparity"
    for language, mark in [("en", "disparity, in the group's favour"), ("az", "qeyri-bərabərlik, qrupun xeyrinə")]:
        report = result.report(language=language)
        rows = {line.split("|")[1].strip(): line for line in report.to_markdown().split("## 8.")[0].splitlines()
                if line.startswith(("| b |", "| c |"))}
        assert mark in rows["b"] and mark not in rows["c"] and rows["c"].rstrip(" |").endswith(
            "disparity" if language == "en" else "qeyri-bərabərlik")
        html = report.to_html()
        assert html.count(mark.replace("'", "&#39;")) == 1
        comparisons = {g["group"]: g["comparisons"]["selection_rate"] for g in report.to_dict()["results"][0]["groups"]}
        assert comparisons["b"]["disadvantaged"] == "reference" and comparisons["c"]["disadvantaged"] == "group"
        table = pd.read_csv(io.StringIO(report.to_csv())).set_index("group")
        assert table.loc["b", "disadvantaged"] == "reference" and table.loc["c", "disadvantaged"] == "group"
        assert pd.isna(table.loc["a", "disadvantaged"])


def test_an_impact_ratio_just_below_the_threshold_is_not_printed_as_the_threshold():
    # 319 of 800 against 500 of 1000: 0.39875 / 0.5 = 0.7975, which two decimals print as "0.80"
    # beside "below the four-fifths threshold of 0.80"
    sizes, favourable = {"a": 1000, "b": 800}, {"a": 500, "b": 319}
    group = np.concatenate([np.full(n, g) for g, n in sizes.items()])
    y_pred = np.concatenate([np.arange(n) < favourable[g] for g, n in sizes.items()]).astype(int)
    result = ba.audit(y_true=None, y_pred=y_pred, protected={"g": group}, metrics=["selection_rate"])
    row = result.four_fifths.set_index("group").loc["b"]
    assert row["flagged"] and round(row["impact_ratio"], 2) == 0.80
    for lang, shown in (("en", "0.797"), ("az", "0,797")):
        report = result.report(language=lang)
        sentences = [f["sentence"] for f in report.findings if f["group"] == "b"]
        assert sentences and all(shown in s for s in sentences), sentences
        html = report.to_html()
        assert f'<td class="num">{shown}</td>' in html
