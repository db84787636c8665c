"""Disclosure control of the published edition, attacked with linear programs over everything published.

The attacker knows the structure (which groups, intersections and cells there are) and
every published number. Each published number is a linear equality on the finest count
table: a size, a count, a rate (``numerator - rate * denominator = 0``; with its interval
it gives both counts, so we grant the attacker both), the grand totals. For every
withheld sensitive count (1 to min_cell - 1 people) the attacker minimises and maximises
it over non-negative tables that satisfy all of them; the documented protection is an
interval at least ``min_cell`` wide.
"""

import itertools
import json
import re
import time
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

import biasaudit as ba
from biasaudit._metrics import get_metric
from biasaudit._report._disclosure import protect, published
from biasaudit._report._published import publication, published_views

MIN_CELL = 10
ALL = np.ones((2, 2))
FORMS = {"size": [ALL], "outcome": [np.array([[1, 1], [0, 0]]), np.array([[0, 0], [1, 1]])],
         "prediction": [np.array([[1, 0], [1, 0]]), np.array([[0, 1], [0, 1]])],
         "cells": [np.eye(4)[i].reshape(2, 2) for i in range(4)]}


def _members(shape, axes, level, form):
    """0/1 weights over the finest table of the count ``form`` of group ``level`` of grouping ``axes``."""
    w = np.zeros(shape)
    index = [slice(None)] * len(shape)
    for a, lv in zip(axes, level):
        index[a] = lv
    w[tuple(index)] = 1
    return (w * np.asarray(form, float)).reshape(-1)


def _sensitive(counts, groupings):
    """Every count of every grouping with 1 to MIN_CELL - 1 people, as (weights, value)."""
    out = []
    for axes in groupings:
        for level in itertools.product(*[range(counts.shape[a]) for a in axes]):
            for forms in FORMS.values():
                for form in forms:
                    w = _members(counts.shape, axes, level, form)
                    v = w @ counts.reshape(-1)
                    if 0 < v < MIN_CELL:
                        out.append((w, v))
    return out


def _ranges(counts, equalities, targets):
    """The attacker's minimum and maximum of each target, given the published equalities."""
    a = np.array([w for w, _ in equalities])
    b = np.array([v for _, v in equalities], float)
    out = []
    for w, _ in targets:
        lo = linprog(w, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        hi = linprog(-w, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        assert lo.status == 0 and hi.status == 0
        out.append((lo.fun, -hi.fun))
    return out


def _grand_totals(counts):
    flat = counts.reshape(-1)
    return [(_members(counts.shape, (), (), f), _members(counts.shape, (), (), f) @ flat)
            for forms in FORMS.values() for f in forms]


def _assert_protected(counts, groupings, equalities):
    targets = _sensitive(counts, groupings)
    for (lo, hi), (w, v) in zip(_ranges(counts, equalities, targets), targets):
        assert lo <= v + 1e-6 <= hi + 2e-6
        assert hi - lo >= MIN_CELL - 1e-6, (v, lo, hi)
    return len(targets)


def _items(counts, groupings, masks):
    """(weights, published?) of every count item of every grouping."""
    out = []
    for axes, m in zip(groupings, masks):
        shown = {"size": m.size[:, None], "outcome": m.outcome, "prediction": m.prediction,
                 "cells": m.cells.reshape(-1, 4)}
        for j, level in enumerate(itertools.product(*[range(counts.shape[a]) for a in axes])):
            for kind, forms in FORMS.items():
                for i, form in enumerate(forms):
                    out.append((_members(counts.shape, axes, level, form), bool(shown[kind][j, i])))
    return out


def _published_equalities(counts, groupings, masks):
    """The grand totals and every published count, as (weights, value) equalities of the attacker."""
    flat = counts.reshape(-1)
    return _grand_totals(counts) + [(w, w @ flat) for w, ok in _items(counts, groupings, masks) if ok]


def _random_table(rng, n_attr):
    levels = rng.integers(2, 5, n_attr)
    shape = (*levels, 2, 2)
    weights = rng.gamma(0.6, 1.0, shape)
    n = int(rng.integers(150, 900))
    return rng.multinomial(n, (weights / weights.sum()).reshape(-1)).reshape(shape)


def _groupings(rng, n_attr):
    marginals = [(a,) for a in range(n_attr)]
    pairs = list(itertools.combinations(range(n_attr), 2))
    if n_attr == 2:
        return marginals + [(0, 1)]
    choice = rng.integers(3)
    return marginals + ([tuple(range(n_attr))] if choice == 0 else pairs if choice == 1 else pairs[:1] + [(0, 1, 2)])


@pytest.mark.parametrize("seed", range(6))
def test_random_linked_tables_resist_the_attackers_linear_program(seed):
    rng = np.random.default_rng(seed)
    n_attr = 2 + seed % 2
    counts = _random_table(rng, n_attr)
    groupings = _groupings(rng, n_attr)
    masks = protect(counts, groupings, min_cell=MIN_CELL)
    equalities = _published_equalities(counts, groupings, masks)
    assert _assert_protected(counts, groupings, equalities) > 0, "the table was built to have small cells"


def test_a_small_table_needs_no_suppression_and_big_cells_are_kept():
    counts = np.full((3, 2, 2, 2), 25)
    masks = protect(counts, [(0,), (1,), (0, 1)], min_cell=MIN_CELL)
    assert all(m.size.all() and m.cells.all() and m.prediction.all() and m.outcome.all() for m in masks)
    assert published(masks[2], ALL, FORMS["prediction"][1]).all()


def _report_equalities(result, doc):
    """Every number the report's JSON publishes, as equalities on the finest count table."""
    counts = np.asarray(result.counts.rows)
    flat = counts.reshape(-1)
    attrs = result.counts.attributes
    equalities = _grand_totals(counts)
    groupings = {g.name: g for g in result.groupings}
    for block in doc["results"]:
        g = groupings[block["attribute"]]
        axes = tuple(attrs.index(a) for a in g.attributes)
        for entry in block["groups"]:
            label = tuple(entry["group"]) if isinstance(entry["group"], list) else entry["group"]
            labels = label if isinstance(label, tuple) else (label,)
            level = tuple(result.counts.levels[a].index(lab) for a, lab in zip(axes, labels))
            if entry["n"] is not None:
                w = _members(counts.shape, axes, level, ALL)
                assert w @ flat == entry["n"]
                equalities.append((w, entry["n"]))
            for name, rate in (entry["rates"] or {}).items():
                if rate is None:
                    continue
                m = get_metric(name)
                parts = [get_metric(p) for p in m.parts] if m.kind == "derived" else [m]
                for part in parts:
                    for form in (part.numerator, part.denominator):
                        # the interval of a rate gives its numerator and denominator
                        w = _members(counts.shape, axes, level, form)
                        equalities.append((w, w @ flat))
                if m.kind == "rate" and rate["value"] is not None:
                    num, den = (_members(counts.shape, axes, level, f) for f in (m.numerator, m.denominator))
                    assert rate["value"] == pytest.approx((num @ flat) / (den @ flat))
    for row in doc["four_fifths"]:
        g = groupings[row["attribute"]]
        axes = tuple(attrs.index(a) for a in g.attributes)
        labels = tuple(row["group"]) if isinstance(row["group"], list) else (row["group"],)
        level = tuple(result.counts.levels[a].index(lab) for a, lab in zip(axes, labels))
        if row["n"] is not None:
            equalities.append((_members(counts.shape, axes, level, ALL), row["n"]))
        if row["favourable_rate"] is not None:
            w = _members(counts.shape, axes, level, FORMS["prediction"][1])
            equalities.append((w, w @ flat))
    for attribute, n in doc["data"]["missing"].items():
        if isinstance(n, int) and n:
            a = attrs.index(attribute)
            missing = result.counts.missing_labels[a]
            w = _members(counts.shape, (a,), (result.counts.levels[a].index(missing),), ALL)
            assert w @ flat == n
            equalities.append((w, n))
    return counts, [tuple(attrs.index(a) for a in g.attributes) for g in result.groupings], equalities


def _findings_add_nothing(doc):
    """Findings, context gaps and the executive summary state only figures the tables publish."""
    key = lambda a, g: (a, tuple(g) if isinstance(g, list) else g)  # noqa: E731
    tables = {key(b["attribute"], g["group"]): g for b in doc["results"] for g in b["groups"]}
    ff = {key(r["attribute"], r["group"]): r for r in doc["four_fifths"]}
    stated = doc["findings"] + doc["context"]["favourable_gaps"] + doc["summary"]["executive"]
    checked = 0
    for f in stated:
        if f.get("group") is None:
            continue
        entry = tables[key(f["attribute"], f["group"])]
        if f.get("n") is not None:
            assert f["n"] == entry["n"]
        for m in f.get("metrics", []):
            comp = (entry["comparisons"] or {}).get(m["metric"])
            assert comp is not None, (f["attribute"], f["group"], m["metric"])
            assert m["difference"] == pytest.approx(comp["difference"])
            assert m["value"] == pytest.approx(entry["rates"][m["metric"]]["value"])
            checked += 1
        if (f.get("evidence") or {}).get("impact_ratio") is not None:
            assert ff[key(f["attribute"], f["group"])]["impact_ratio"] is not None
            assert entry["n"] is not None
        # side comparisons (one attribute at a time) compare two published rates
        for side in (f.get("evidence") or {}).get("within", []):
            other = tables[key(f["attribute"], side["group"])]
            for m in side["metrics"]:
                own_rate = (entry["rates"] or {}).get(m["metric"])
                other_rate = (other["rates"] or {}).get(m["metric"])
                assert own_rate is not None and other_rate is not None, (f["group"], side["group"], m["metric"])
                assert m["value"] == pytest.approx(own_rate["value"])
                assert m["comparison_value"] == pytest.approx(other_rate["value"])
                checked += 1
    return checked


def _attack_report(result, report=None):
    doc = json.loads((report or result.report(min_cell=MIN_CELL)).to_json())
    counts, groupings, equalities = _report_equalities(result, doc)
    _assert_protected(counts, groupings, equalities)
    _findings_add_nothing(doc)
    return doc


@pytest.mark.parametrize("seed", range(3))
def test_every_number_of_the_report_resists_the_attacker(seed):
    rng = np.random.default_rng(100 + seed)
    n = 1000
    data = pd.DataFrame({
        "sex": rng.choice(["f", "m"], n, p=[0.45, 0.55]),
        "race": rng.choice(list("ABCDE"), n, p=[0.6, 0.25, 0.1, 0.04, 0.01]),
        "age": rng.choice(["<25", "25-59", "60+"], n, p=[0.2, 0.72, 0.08]),
        "y_true": rng.integers(0, 2, n), "y_pred": rng.integers(0, 2, n),
    })
    protected = ["sex", "race"] if seed < 2 else ["sex", "race", "age"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.UndefinedMetricWarning)  # empty cells in tiny groups
        result = ba.audit(data, y_true="y_true", y_pred="y_pred", protected=protected, rng=0,
                          intersections=True if seed != 1 else "all")
        doc = _attack_report(result)
    assert doc["small_groups"]["suppressed"], "the data were built to need suppression"
    text = json.dumps(doc)
    assert "primary" not in text and "secondary" not in text and '"reason"' not in text


def test_the_issue_sex_by_race_example_no_longer_leaks():
    sizes = {("f", "A"): 5, ("f", "B"): 44, ("f", "C"): 6, ("f", "D"): 325, ("m", "A"): 4, ("m", "C"): 122,
             ("m", "D"): 339}
    rng = np.random.default_rng(5)
    rows = [(s, r) for (s, r), k in sizes.items() for _ in range(k)]
    data = pd.DataFrame(rows, columns=["sex", "race"])
    data["y_true"] = rng.integers(0, 2, len(data))
    data["y_pred"] = rng.integers(0, 2, len(data))
    result = ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=0)
    doc = _attack_report(result)
    race = {g["group"]: g for b in doc["results"] if b["attribute"] == "race" for g in b["groups"]}
    assert race["A"]["n"] is None  # 9 people
    # 845 - 44 - 128 - 664 = 9 no longer works: a second race size is withheld as well.
    assert sum(g["n"] is None for g in race.values()) >= 2
    sex = {g["group"]: g for b in doc["results"] if b["attribute"] == "sex" for g in b["groups"]}
    assert sex["f"]["n"] == 380 and sex["m"]["n"] == 465


@pytest.fixture(scope="module")
def german(datasets_home):
    df = ba.datasets.load_german_credit(data_home=datasets_home)
    decision = (df["status"].isin(["A13", "A14"]) | (df["housing"] == "A152")).astype(int)
    return ba.audit(df, y_true="good_credit", y_pred=decision, protected=["sex", "age_band"], rng=0)


@pytest.fixture(scope="module")
def german_report(german):
    return german.report(min_cell=MIN_CELL)


def test_german_credit_withholds_only_what_reveals_small_cells(german, german_report):
    doc = _attack_report(german, german_report)
    age = {g["group"]: g for b in doc["results"] if b["attribute"] == "age_band" for g in b["groups"]}
    # 60+ has 51 people, some of its cells 5-8: its size and selection rate stay published.
    assert age[">=60"]["n"] == 51
    assert age[">=60"]["rates"]["selection_rate"]["value"] == pytest.approx(40 / 51)
    assert age[">=60"]["rates"]["true_positive_rate"] is None
    # <25 (149 people, every cell >= 25) keeps its size and selection rate.
    assert age["<25"]["n"] == 149 and age["<25"]["rates"]["selection_rate"] is not None
    assert age["25-59"]["n"] == 800 and all(r is not None for r in age["25-59"]["rates"].values())
    ff = {(r["attribute"], str(r["group"])): r for r in doc["four_fifths"]}
    assert ff[("age_band", "25-59")]["favourable_rate"] == pytest.approx(680 / 800)
    assert ff[("age_band", "<25")]["impact_ratio"] == pytest.approx((99 / 149) / (680 / 800))
    assert ff[("age_band", "<25")]["flagged"] is True
    assert round(ff[("age_band", "<25")]["impact_ratio"], 2) == 0.78
    # every sex x age band size is published (four were withheld by the hypercube patterns
    # alone); the 25-59 groups, with every cell large, keep all their figures
    inter = {tuple(g["group"]): g for b in doc["results"] if b["attribute"] == "sex & age_band" for g in b["groups"]}
    sizes = german.group_metrics.set_index(["attribute", "group"])["n"]
    assert len(inter) == 6 and all(g["n"] == sizes[("sex & age_band", k)] for k, g in inter.items())
    assert all(r is not None for r in inter[("female", "25-59")]["rates"].values())
    assert all(r is not None for r in inter[("male", "25-59")]["rates"].values())


def test_german_credit_resists_an_integer_attacker(german, german_report):
    # The linear program is a relaxation; an attacker who knows counts are whole numbers
    # solves integer programs instead, and still cannot narrow a withheld count.
    counts, groupings, equalities = _report_equalities(german, json.loads(german_report.to_json()))
    a = np.array([w for w, _ in equalities])
    b = np.array([v for _, v in equalities], float)
    targets = _sensitive(counts, groupings)
    assert targets
    for w, v in targets:
        ends = [milp(sign * w, constraints=LinearConstraint(a, b, b), integrality=np.ones(len(w)),
                     bounds=Bounds(0, np.inf)) for sign in (1, -1)]
        assert all(e.status == 0 for e in ends)
        assert -ends[1].fun - ends[0].fun >= MIN_CELL, v


def test_german_credit_states_no_false_size_in_any_format(german, german_report):
    report = german_report
    sizes = {(r.attribute, r.group): int(r.n) for r in german.group_metrics.itertuples(index=False)}
    false_size = re.compile(r"fewer than \d+ people|[<] ?\d+ people")
    for f in report.findings:
        assert not false_size.search(f["sentence"])
        if f["n"] is not None:
            assert f["n"] == sizes[(f["attribute"], tuple(f["group"]) if isinstance(f["group"], list) else f["group"])]
    for rendering in (report.to_markdown(), report.to_html(), report.to_csv(), report.to_json()):
        assert not false_size.search(rendering)
        assert '"primary"' not in rendering and '"secondary"' not in rendering and '"reason"' not in rendering
    page = report.to_html()
    row = page[page.index("age_band: &lt;25</td>"):][:400]
    assert "0.78" in row and "&lt; 0.80" in row  # the four-fifths flag of <25 is visible


def test_the_terminal_views_blank_exactly_what_the_report_withholds(german, german_report):
    views = published_views(german, min_cell=MIN_CELL)
    gm = {(r["attribute"], r["group"]): r for r in views["group_metrics"].to_dict(orient="records")}
    assert gm[("age_band", ">=60")]["n"] == 51
    assert np.isnan(gm[("age_band", ">=60")]["true_positive_rate"])
    doc = json.loads(german_report.to_json())
    for block in doc["results"]:
        for g in block["groups"]:
            label = tuple(g["group"]) if isinstance(g["group"], list) else g["group"]
            row = gm[(block["attribute"], label)]
            assert (g["n"] is None) == pd.isna(row["n"])
            for metric, rate in g["rates"].items():
                if rate is None:
                    assert np.isnan(row[metric]), (label, metric)
                else:
                    assert row[metric] == pytest.approx(rate["value"], nan_ok=True)
    d = views["disparities"]
    assert not ((d["attribute"] == "age_band") & (d["group"] == ">=60") & (d["metric"] == "true_positive_rate")).any()
    ff = {(r["attribute"], r["group"]): r for r in views["four_fifths"].to_dict(orient="records")}
    assert ff[("age_band", "<25")]["flagged"]


def test_compas_race_by_sex_is_protected_quickly(datasets_home):
    df = ba.datasets.load_compas(data_home=datasets_home)
    with pytest.warns(ba.UndefinedMetricWarning):
        result = ba.audit(df, y_true="two_year_recid", y_pred=df["score_text"].isin(["Medium", "High"]),
                          protected=["race", "sex"], positive_is_favorable=False)
    start = time.process_time()  # CPU time: the machine may be shared
    pub = publication(result, min_cell=MIN_CELL)
    assert time.process_time() - start < 3.0
    assert not pub.size("race & sex", ("Native American", "Female"))
    assert pub.size("race", "African-American") and pub.metric("race", "African-American", "false_positive_rate")
    # the findings by harm, the context gaps and the executive summary state only published figures
    assert _findings_add_nothing(json.loads(result.report(min_cell=MIN_CELL).to_json())) >= 3


def test_six_attributes_are_protected_quickly():
    rng = np.random.default_rng(3)
    shape = (2, 3, 4, 2, 3, 2, 2, 2)
    weights = rng.gamma(0.8, 1.0, shape)
    counts = rng.multinomial(20000, (weights / weights.sum()).reshape(-1)).reshape(shape)
    groupings = [(a,) for a in range(6)] + [(0, 1, 2, 3, 4, 5)]
    start = time.process_time()
    masks = protect(counts, groupings, min_cell=MIN_CELL)
    # 288 intersectional groups, most of them small: the search per item is bounded
    # (1.2-1.6 s before the candidate patterns were built lazily and cancelling tables
    # skipped, 0.7 s after).
    assert time.process_time() - start < 5.0
    assert all(m.size.all() for m in masks[:6])  # big marginal groups stay published


@pytest.fixture(scope="module")
def compas_cohort(datasets_home):
    # the README / docs/cli.md audit: flagged (Medium or High) is unfavourable, race reference Caucasian
    df = ba.datasets.load_compas(data_home=datasets_home)
    with pytest.warns(ba.UndefinedMetricWarning):
        return ba.audit(df, y_true="two_year_recid", y_pred=df["score_text"].isin(["Medium", "High"]),
                        protected=["race", "sex"], positive_is_favorable=False, reference={"race": "Caucasian"})


def test_compas_publishes_the_large_groups_error_rates_and_resists_the_attacker(compas_cohort):
    result = compas_cohort
    doc = _attack_report(result)  # every withheld small count keeps an interval >= MIN_CELL wide
    pub = publication(result, min_cell=MIN_CELL)
    gm = result.group_metrics.set_index(["attribute", "group"])
    # ProPublica's comparison, and the intersection's reference carried from race=Caucasian
    assert pub.comparison("race", "African-American", "false_positive_rate", "Caucasian")
    assert gm.loc[("race", "African-American"), "false_positive_rate"] == pytest.approx(641 / 1514)
    assert gm.loc[("race", "Caucasian"), "false_positive_rate"] == pytest.approx(282 / 1281)
    rs = {g["group"][0] + " & " + g["group"][1]: g for b in doc["results"] if b["attribute"] == "race & sex"
          for g in b["groups"]}
    assert rs["Caucasian & Male"]["n"] == 1621
    assert rs["Caucasian & Male"]["rates"]["false_positive_rate"]["value"] == pytest.approx(192 / 969)
    assert rs["Caucasian & Female"]["comparisons"]["false_positive_rate"]["difference"] == pytest.approx(
        90 / 312 - 192 / 969)
    # Hispanic (509 people, every cell >= 62) keeps its error rates: the attacker's program
    # above shows no withheld count recoverable.
    race = {g["group"]: g for b in doc["results"] if b["attribute"] == "race" for g in b["groups"]}
    assert race["Hispanic"]["rates"]["false_positive_rate"]["value"] == pytest.approx(62 / 320)
    assert all(r is not None for r in race["Hispanic"]["rates"].values())
    # Other (343) keeps its size and selection rate; its cells must stay withheld: with the
    # grand totals, Asian FP + Native American FP = 2 + 3 would otherwise be published.
    assert race["Other"]["n"] == 343 and race["Other"]["rates"]["selection_rate"]["value"] == pytest.approx(70 / 343)
    assert race["Other"]["rates"]["false_positive_rate"] is None
    # every intersection size is published except those of the tiny groups
    tiny = {f"{race} & {sex}" for race in ("Asian", "Native American", "Other") for sex in ("Female", "Male")}
    assert {k for k, g in rs.items() if g["n"] is None} <= tiny


def test_no_withheld_item_could_be_published_on_its_own():
    # Minimal suppression: publishing any one withheld, non-sensitive item would let the
    # attacker's program narrow some sensitive count below MIN_CELL (or it was left untried).
    rng = np.random.default_rng(11)
    counts = _random_table(rng, 2)
    groupings = [(0,), (1,), (0, 1)]
    masks = protect(counts, groupings, min_cell=MIN_CELL)
    flat = counts.reshape(-1)
    items = _items(counts, groupings, masks)
    published_eq = _published_equalities(counts, groupings, masks)
    targets = _sensitive(counts, groupings)
    candidates = [w for w, ok in items if not ok and not 0 < w @ flat < MIN_CELL]
    assert candidates, "the table was built to need secondary suppression"
    for w in candidates:
        ranges = _ranges(counts, published_eq + [(w, w @ flat)], targets)
        assert min(hi - lo for lo, hi in ranges) < MIN_CELL - 1e-6


def _withheld_disparity():
    """B's selection rate, 60% against A's 80%, is a high disparity; C's 5 refusals are a
    small count, and publishing B's count beside A's and the total would give them away,
    so the published edition withholds B's figures."""
    rows = [("A", 1)] * 640 + [("A", 0)] * 160 + [("B", 1)] * 90 + [("B", 0)] * 60 + [("C", 1)] * 45 + [("C", 0)] * 5
    return pd.DataFrame(rows, columns=["g", "p"])


def test_a_finding_withheld_by_disclosure_control_is_said_to_be_possible_and_still_gates():
    result = ba.audit(_withheld_disparity(), y_true=None, y_pred="p", protected="g")
    published, annex = result.report(), result.report(full=True)
    assert [f["group"] for f in annex.findings if f["severity"] == "high"] == ["B"]
    assert not [f for f in published.findings if f["group"] == "B"]
    assert (published.max_severity, published.annex_max_severity) == ("low", "high")
    assert annex.annex_max_severity == annex.max_severity == "high"
    withheld = "a finding that rests on withheld figures appears only in the regulator's annex"
    assert withheld in published.to_dict()["summary"]["sentences"][-1]
    assert not any(withheld in s for s in annex.to_dict()["summary"]["sentences"])
    # the published model carries no trace of the annex's severity
    assert published.to_dict()["summary"]["max_severity"] == "low"
    assert published.to_dict()["summary"]["findings_by_severity"]["high"] == 0
    assert "annex_max_severity" not in published.to_json()


def test_the_command_line_gate_reads_the_annex(tmp_path):
    from biasaudit.cli import main

    path = tmp_path / "d.csv"
    _withheld_disparity().to_csv(path, index=False)
    code = main(["audit", str(path), "--y-pred", "p", "--protected", "g", "--out", str(tmp_path / "o"),
                 "--format", "json"])
    assert code == 1
    assert json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))["summary"]["max_severity"] == "low"
    (tmp_path / "m.toml").write_text(f'[[audit]]\nname = "x"\ndata = "{path.as_posix()}"\ny_pred = "p"\n'
                                     f'protected = "g"\n', encoding="utf-8")
    assert main(["batch", str(tmp_path / "m.toml"), "--out", str(tmp_path / "b")]) == 1
    row = pd.read_csv(tmp_path / "b" / "summary.csv").iloc[0]
    assert (row["max_severity"], row["fails"]) == ("low", "yes")
    assert "the regulator's annex has a finding of severity high" in row["warnings"]


def _sparse_people(rng, n_people, n_attr, n_levels):
    """A finest table of people spread thinly over many combinations, outcomes balanced."""
    counts = np.zeros((n_levels,) * n_attr + (2, 2), np.int64)
    levels = rng.integers(0, n_levels, (n_people, n_attr))
    outcome = rng.integers(0, 4, n_people)
    np.add.at(counts, tuple(levels.T) + (outcome // 2, outcome % 2), 1)
    return counts


@pytest.mark.parametrize("seed", range(3))
def test_a_sparse_intersection_keeps_every_attribute_and_resists_the_attacker(seed):
    # 600 people over 256 combinations of four attributes: almost every intersectional
    # item is small. Each is protected by moving people between combinations, which no
    # attribute's own table sees, so every attribute's groups stay published (before,
    # the pattern search found nothing and withheld every figure of every attribute).
    rng = np.random.default_rng(seed)
    counts = _sparse_people(rng, 600, 4, 4)
    groupings = [(0,), (1,), (2,), (3,), (0, 1, 2, 3)]
    masks = protect(counts, groupings, min_cell=MIN_CELL)
    for m in masks[:4]:
        assert m.size.all() and m.prediction.all() and m.outcome.all()
    assert not masks[4].size[(counts.sum(axis=(4, 5)).reshape(-1) > 0)].any()  # no group reaches 10
    targets = _sensitive(counts, groupings)
    assert len(targets) > 500
    sample = [targets[i] for i in rng.choice(len(targets), 60, replace=False)]
    equalities = _published_equalities(counts, groupings, masks)
    for (lo, hi), (w, v) in zip(_ranges(counts, equalities, sample), sample):
        assert lo <= v + 1e-6 <= hi + 2e-6
        assert hi - lo >= MIN_CELL - 1e-6, (v, lo, hi)


def test_many_small_intersections_of_six_attributes_keep_every_attribute():
    # The many-groups example of the robustness issue: six attributes of 8 levels on 1,500
    # rows (262,144 combinations, about 1,500 of them populated, each by one person).
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"a{i}": rng.integers(0, 8, 1500).astype(str) for i in range(6)})
    frame["y"], frame["p"] = rng.integers(0, 2, 1500), rng.integers(0, 2, 1500)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # thousands of undefined rates and a many-groups warning
        result = ba.audit(frame, y_true="y", y_pred="p", protected=[f"a{i}" for i in range(6)])
    pub = publication(result, min_cell=MIN_CELL)
    gm = result.group_metrics
    for name in [f"a{i}" for i in range(6)]:
        groups = gm.loc[gm["attribute"] == name, "group"]
        assert len(groups) == 8 and all(pub.complete(name, g) for g in groups)
    crossed = gm.loc[gm["attribute"] == "a0 & a1 & a2 & a3 & a4 & a5", "group"]
    assert len(crossed) > 1400 and not any(pub.size("a0 & a1 & a2 & a3 & a4 & a5", g) for g in crossed)


def _linked_tables(counts, groupings, hide_crossing):
    """The ``tables`` structure of protect(): sensitive items withheld, crossing tables too if asked."""
    k = counts.ndim - 2
    tables = {}
    for g in groupings:
        for ext in ((), (k,), (k + 1,), (k, k + 1)):
            axes = tuple(sorted(set(g) | set(ext)))
            table = counts.sum(axis=tuple(a for a in range(k + 2) if a not in axes))
            hidden = ((table > 0) & (table < MIN_CELL)) | (hide_crossing and len(g) > 1)
            tables[axes] = [table, np.broadcast_to(hidden, table.shape).copy(), np.ones(table.shape), ext]
    for ext in ((), (k,), (k + 1,), (k, k + 1)):
        table = counts.sum(axis=tuple(range(k)))
        table = table.sum(axis=tuple(i for i, a in enumerate((k, k + 1)) if a not in ext))
        tables[tuple(ext)] = [table, np.zeros(table.shape, bool), np.zeros(table.shape), ext]
    return tables


def test_frechet_bounds_equal_the_attackers_program_once_no_table_crosses_attributes():
    from biasaudit._report._disclosure_check import frechet_width, interval_width

    rng = np.random.default_rng(5)
    counts = _sparse_people(rng, 160, 3, 3)
    groupings = [(0,), (1,), (2,), (0, 1, 2)]
    tables = _linked_tables(counts, groupings, hide_crossing=True)
    checked = 0
    for axes in [(0, 1, 2, 3, 4), (0, 1, 2, 3), (0, 1, 2)]:
        table = tables[axes][0]
        for cell in zip(*np.nonzero((table > 0) & (table < MIN_CELL))):
            exact = interval_width(counts, tables, axes, cell)
            bound = frechet_width(counts, tables, axes, cell)
            if len(axes) == 5:  # one outcome cell: the bounds are the attacker's interval
                assert bound == pytest.approx(exact, abs=1e-6)
            else:  # several: attained, so never wider than the attacker's interval
                assert bound <= exact + 1e-6
            checked += 1
    assert checked > 40
    # a published table that crosses attributes voids the bound
    assert frechet_width(counts, _linked_tables(counts, groupings, hide_crossing=False),
                         (0, 1, 2), (0, 0, 0)) is None


def test_adult_by_six_attributes_publishes_every_attributes_large_groups(datasets_home):
    # 32,561 people by sex, race, age band, marital status, relationship and work class
    # (75,600 finest cells, 1,868 populated combinations). A few combinations hold
    # workclass=Never-worked (7 people) or Married-AF-spouse (23): no pattern protects
    # their items, and the last resort used to withhold every figure of every attribute.
    # Their intersections are withheld instead and each item checked by Frechet bounds.
    df = ba.datasets.load_adult(data_home=datasets_home)
    df["age_band"] = pd.cut(df["age"], [0, 25, 35, 45, 55, 120]).astype(str)
    attributes = ["sex", "race", "age_band", "marital-status", "relationship", "workclass"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ba.audit(df, y_true="income_over_50k", y_pred=(df["education-num"] >= 13).astype(int),
                          protected=attributes)
    pub = publication(result, min_cell=MIN_CELL)
    gm = result.group_metrics.set_index(["attribute", "group"])
    for name in attributes:
        # (Married-spouse-absent, 418, is the partner withheld to protect Married-AF-spouse's cells)
        sizes = gm.loc[name, "n"]
        assert all(pub.complete(name, g) for g in sizes.index[sizes >= 900]), name
    assert pub.complete("sex", "Female") and pub.complete("race", "Black")
    assert not pub.size("workclass", "Never-worked")  # 7 people


def test_german_credit_by_five_attributes_keeps_the_sexes_rates_and_resists_the_attacker(datasets_home):
    # 1,000 people by sex, age band, foreign worker, job and housing: 576 finest cells, past
    # the exact method's reach, so patterns protect the small items first; they withheld
    # every rate of both sexes and every figure of foreign_worker. The attacker's program
    # then publishes back what it can: the sexes' rates and 18 intersection sizes.
    df = ba.datasets.load_german_credit(data_home=datasets_home)
    decision = (df["status"].isin(["A13", "A14"]) | (df["housing"] == "A152")).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ba.audit(df, y_true="good_credit", y_pred=decision, rng=0,
                          protected=["sex", "age_band", "foreign_worker", "job", "housing"])
    assert result.counts.rows.size == 576
    pub = publication(result, min_cell=MIN_CELL)
    assert pub.complete("sex", "female") and pub.complete("sex", "male")
    gm = result.group_metrics
    assert all(pub.size("foreign_worker", g) for g in gm.loc[gm["attribute"] == "foreign_worker", "group"])
    crossed = gm.loc[gm["attribute"] == "sex & age_band & foreign_worker & job & housing", "group"]
    assert sum(pub.size("sex & age_band & foreign_worker & job & housing", g) for g in crossed) >= 10
    _attack_report(result)  # every withheld small count keeps an interval >= MIN_CELL wide


@pytest.mark.parametrize("seed", [0, 3])
def test_tables_past_the_exact_methods_reach_keep_every_attributes_size(seed):
    # Three or four attributes of 3 to 5 levels (320 and 432 finest cells), people spread
    # unevenly (gamma 0.3): patterns protect the many small items, then the attacker's
    # program publishes back from what they published. Before, every size of every
    # attribute was withheld in both tables.
    rng = np.random.default_rng(seed)
    n_attr = 3 + seed % 2
    levels = rng.integers(3, 6, n_attr) if n_attr == 3 else rng.integers(3, 5, n_attr)
    weights = rng.gamma(0.3, 1.0, (*levels, 2, 2))
    counts = rng.multinomial(int(rng.integers(100, 600)), (weights / weights.sum()).reshape(-1)).reshape(weights.shape)
    assert 300 < counts.size <= 1000
    groupings = [(a,) for a in range(n_attr)] + [tuple(range(n_attr))]
    masks = protect(counts, groupings, min_cell=MIN_CELL)
    assert all(m.size.all() for m in masks[:n_attr])
    assert _assert_protected(counts, groupings, _published_equalities(counts, groupings, masks)) > 300


def test_a_rare_outcome_still_publishes_every_groups_size_and_selection_rate():
    # The six-attribute example with a rare outcome (10% positives, 30% selected): each
    # level's cell of true positives holds 2 to 6 people, so many items of single
    # attributes are small too. Moves of people between two levels of one attribute,
    # paired with a move back by someone whose outcome differs on one axis, protect them
    # without touching other attributes' tables; before, every figure of every attribute
    # was withheld.
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({f"a{i}": rng.integers(0, 8, 1500).astype(str) for i in range(6)})
    frame["y"] = (rng.random(1500) < 0.1).astype(int)
    frame["p"] = (rng.random(1500) < 0.3).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ba.audit(frame, y_true="y", y_pred="p", protected=[f"a{i}" for i in range(6)])
    pub = publication(result, min_cell=MIN_CELL)
    gm = result.group_metrics
    for name in [f"a{i}" for i in range(6)]:
        for group in gm.loc[gm["attribute"] == name, "group"]:
            assert pub.size(name, group) and pub.metric(name, group, "selection_rate"), (name, group)


def test_moves_between_levels_of_one_attribute_resist_the_attacker():
    # Three attributes of 6 levels (864 finest cells), 358 people, outcome cells of unequal
    # size (Dirichlet), so several cells of single attributes hold fewer than 10 people and
    # are protected by moves between that attribute's levels. Every sensitive item of the
    # attributes' own tables, and 60 sampled intersectional ones, resist the attacker.
    rng = np.random.default_rng(4)
    p = rng.dirichlet(np.full(4, 3.0))
    counts = np.zeros((6, 6, 6, 2, 2), np.int64)
    people = rng.integers(0, 6, (358, 3))
    outcome = rng.choice(4, 358, p=p)
    np.add.at(counts, tuple(people.T) + (outcome // 2, outcome % 2), 1)
    groupings = [(0,), (1,), (2,), (0, 1, 2)]
    masks = protect(counts, groupings, min_cell=MIN_CELL)
    assert all(m.size.all() for m in masks[:3])
    own = _sensitive(counts, groupings[:3])
    assert len(own) >= 6  # small cells of single attributes: what the moves protect
    crossed = _sensitive(counts, groupings[3:])
    targets = own + [crossed[i] for i in rng.choice(len(crossed), 60, replace=False)]
    equalities = _published_equalities(counts, groupings, masks)
    for (lo, hi), (w, v) in zip(_ranges(counts, equalities, targets), targets):
        assert lo <= v + 1e-6 <= hi + 2e-6
        assert hi - lo >= MIN_CELL - 1e-6, (v, lo, hi)
