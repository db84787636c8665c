"""Audit reports: schema, escaping, suppression, both languages, the Declaration, real data."""

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba
from biasaudit._report._declaration import FINDING_PROVISIONS, PROVISIONS, REPORT_PROVISIONS
from biasaudit._report._render import neutralise
from biasaudit._report._report import report_schema
from biasaudit._report._texts import TEXTS

jsonschema = pytest.importorskip("jsonschema")
DECLARATION = Path(__file__).resolve().parents[2] / "shared" / "declaration" / "baku-declaration-2026.az.txt"
EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def demo():
    data = ba.datasets.make_biased_classification(8000, rng=1).data
    return ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=1)


@pytest.fixture(scope="module")
def demo_report(demo):
    return demo.report(metadata={"system": "Loan screening", "auditor": "Ombudsman technical unit"})


def _validate(report):
    doc = json.loads(report.to_json())
    jsonschema.validate(doc, report_schema())
    return doc


@pytest.mark.parametrize("language", ["en", "az"])
@pytest.mark.parametrize("full", [False, True])
def test_json_follows_the_shipped_schema(demo, language, full):
    doc = _validate(demo.report(language=language, full=full))
    assert doc["report"]["edition"] == ("regulator_annex" if full else "public")
    assert doc["schema_version"] == "1.2"


def test_the_schema_rejects_a_broken_report(demo_report):
    doc = json.loads(demo_report.to_json())
    doc["findings"][0]["severity"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, report_schema())


def test_report_figures_equal_the_audit_result(demo, demo_report):
    doc = json.loads(demo_report.to_json())
    gm = {(r["attribute"], r["group"]): r for r in demo.group_metrics.to_dict(orient="records")}
    d = {(r["attribute"], r["group"], r["metric"]): r for r in demo.disparities.to_dict(orient="records")}
    checked = 0
    for block in doc["results"]:
        for g in block["groups"]:
            label = tuple(g["group"]) if isinstance(g["group"], list) else g["group"]
            # figures are withheld one by one: every published one must equal the result's
            if g["n"] is not None:
                assert g["n"] == gm[(block["attribute"], label)]["n"]
            for metric, rate in g["rates"].items():
                if rate is None:
                    assert g["suppressed"] and g["comparisons"][metric] is None
                    continue
                assert rate["value"] == pytest.approx(gm[(block["attribute"], label)][metric], nan_ok=True)
                comp = g["comparisons"][metric]
                if comp:
                    row = d[(block["attribute"], label, metric)]
                    assert comp["pvalue_adjusted"] == (None if np.isnan(row["pvalue_adjusted"])
                                                       else pytest.approx(row["pvalue_adjusted"]))
                    assert comp["verdict"] == row["verdict"]
                    checked += 1
    assert checked > 50


def test_every_section_renders_in_both_languages(demo):
    for lang in ("en", "az"):
        t = TEXTS[lang]
        report = demo.report(language=lang)
        page, markdown = report.to_html(), report.to_markdown()
        for key in ("sec_summary", "sec_scope", "sec_data", "sec_groups", "sec_metrics", "sec_thresholds",
                    "sec_results", "sec_findings", "sec_small", "sec_limitations", "sec_recommendations",
                    "sec_declaration", "sec_annex"):
            assert t[key] in page and t[key] in markdown.replace("\\", ""), (lang, key)
        assert t["not_certify"] in page
    az = demo.report(language="az").to_html()
    assert all(ch in az for ch in "əşçğıöü")
    assert "Bu audit sistemin qərəzlilikdən azad olduğunu təsdiq etmir." in az


def test_both_text_catalogues_have_the_same_keys():
    def keys(d, prefix=""):
        return {prefix + k if not isinstance(v, dict) else None for k, v in d.items()} | {
            x for k, v in d.items() if isinstance(v, dict) for x in keys(v, prefix + k + ".")}
    assert keys(TEXTS["en"]) == keys(TEXTS["az"])


def test_html_is_self_contained_and_has_figures(demo_report):
    page = demo_report.to_html()
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert page.count("<svg") >= 5
    assert "<!--" not in page


def test_user_strings_are_escaped_everywhere():
    data = pd.DataFrame({"g": [EVIL] * 40 + ["=cmd|' /C calc'!A0"] * 40, "y_true": [1, 0] * 40,
                         "y_pred": [1, 1, 0, 0] * 20})
    result = ba.audit(data, y_true="y_true", y_pred="y_pred", protected="g")
    report = result.report(metadata={"system": EVIL, "auditor": "<img src=x onerror=alert(2)>"})
    page = report.to_html()
    assert EVIL not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    markdown = report.to_markdown()
    assert EVIL not in markdown and "<img" not in markdown
    rows = list(csv.reader(io.StringIO(report.to_csv())))
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'=cmd") for row in rows for cell in row)


@pytest.mark.parametrize("cell, expected", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
                                            ("\tx", "'\tx"), ("ok", "ok"), (-0.5, -0.5)])
def test_formula_neutralisation(cell, expected):
    assert neutralise(cell) == expected


def test_annex_has_every_cell_and_says_confidential_in_every_section(demo):
    full = demo.report(full=True)
    doc = json.loads(full.to_json())
    assert not doc["small_groups"]["suppressed"]
    assert all(not g["suppressed"] for b in doc["results"] for g in b["groups"])
    assert "counts" in doc["results"][0]["groups"][0]
    page = full.to_html()
    banner = TEXTS["en"]["annex_banner"]
    # at the top and bottom of the page, and in the top margin of every printed page
    assert page.count(banner) == 3 and f'@top-center {{ content: "{banner}"' in page
    assert page.count('class="confidential-tag"') == 13
    markdown = full.to_markdown()
    assert markdown.count("(Full annex for the regulator)") == 13


def test_no_row_level_data_in_any_rendering():
    data = ba.datasets.make_biased_classification(500, rng=3).data
    data["person_id"] = [f"ID-{i:05d}" for i in range(len(data))]
    result = ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["sex"])
    report = result.report(full=True)
    for rendering in (report.to_json(), report.to_markdown(), report.to_csv(), report.to_html()):
        assert "ID-0" not in rendering


def test_declaration_quotes_are_verbatim_and_every_required_provision_is_mapped():
    original = re.sub(r"\s+", " ", DECLARATION.read_text(encoding="utf-8"))
    for pid, (az, en) in PROVISIONS.items():
        assert az in original, pid
        assert en and en not in original
    mapped = {p for ps in FINDING_PROVISIONS.values() for p in ps} | set(REPORT_PROVISIONS)
    assert {"D2", "D3", "D4", "D5", "D6", "D7", "D8", "D14"} <= mapped
    assert {"D2", "D3", "D4", "D6", "D7", "D14"} <= {p for ps in FINDING_PROVISIONS.values() for p in ps}


def test_findings_cite_provisions_and_the_report_quotes_them(demo_report):
    doc = json.loads(demo_report.to_json())
    cited = {p["id"] for p in doc["declaration"]["provisions"]}
    assert {"D2", "D3", "D4", "D5", "D6", "D7", "D8", "D14"} <= cited
    for f in doc["findings"]:
        assert set(f["provisions"]) <= cited
    page = demo_report.to_html()
    assert PROVISIONS["D6"][0] in page and PROVISIONS["D7"][0] in page


def test_vulnerable_groups_are_recognised_highlighted_and_overridable(demo):
    doc = json.loads(demo.report().to_json())
    women = [f for f in doc["findings"] if "women" in f["vulnerable"]]
    assert women and all("D7" in f["provisions"] for f in women)
    off = json.loads(demo.report(vulnerable=False).to_json())
    assert not any(f["vulnerable"] for f in off["findings"])
    named = json.loads(demo.report(vulnerable={"migrants": [("race", "D")]}).to_json())
    assert any("migrants" in f["vulnerable"] and f["group"] == "D" for f in named["findings"])
    with pytest.raises(ba.InvalidParameterError, match=r"names \('race', 'Z'\), which is not an audited group"):
        demo.report(vulnerable={"migrants": [("race", "Z")]})


def test_a_small_vulnerable_group_is_a_finding_of_its_own():
    rng = np.random.default_rng(4)
    n = 3000
    age = rng.choice(["18-24", "25-59", "65+"], n, p=[0.3, 0.69, 0.01])
    data = pd.DataFrame({"age_band": age, "y_true": rng.integers(0, 2, n), "y_pred": rng.integers(0, 2, n)})
    report = ba.audit(data, y_true="y_true", y_pred="y_pred", protected="age_band").report()
    small = [f for f in report.findings if f["type"] == "group_too_small" and f["group"] == "65+"]
    # not adverse, so the D7 raise does not apply; the finding still cites D7
    assert small and small[0]["vulnerable"] == ["older_persons"] and small[0]["severity"] == "low"
    assert "D7" in small[0]["provisions"]


def test_missing_protected_values_are_a_finding():
    data = ba.datasets.make_biased_classification(2000, rng=2).data
    data["race"] = data["race"].astype(object)
    data.loc[data.index[:150], "race"] = None
    with pytest.warns(ba.MissingGroupWarning):
        result = ba.audit(data, y_true="y_true", y_pred="y_pred", protected=["race"])
    missing = [f for f in result.report().findings if f["type"] == "missing_protected_data"]
    assert missing and missing[0]["n"] == 150 and missing[0]["severity"] == "medium"
    assert "D5" in missing[0]["provisions"]


def test_report_options_are_checked(demo):
    with pytest.raises(ba.InvalidParameterError, match=r"`language` must be one of \['az', 'en'\]; got 'fr'"):
        demo.report(language="fr")
    with pytest.raises(ba.InvalidParameterError, match=r"`min_cell` must be an integer >= 1; got 0"):
        demo.report(min_cell=0)


def test_the_compas_audit_report_matches_the_result(datasets_home):
    df = ba.datasets.load_compas(data_home=datasets_home)
    with pytest.warns(ba.UndefinedMetricWarning):
        result = ba.audit(df, y_true="two_year_recid", y_pred=df["score_text"].isin(["Medium", "High"]),
                          protected=["race", "sex"], reference={"race": "Caucasian"}, positive_is_favorable=False)
    report = result.report(metadata={"system": "COMPAS", "data_source": "ProPublica compas-scores-two-years.csv"})
    doc = _validate(report)
    race = next(b for b in doc["results"] if b["attribute"] == "race")
    groups = {g["group"]: g for g in race["groups"]}
    assert groups["African-American"]["rates"]["false_positive_rate"]["value"] == pytest.approx(641 / 1514)
    assert groups["African-American"]["n"] == 3175
    assert groups["Native American"]["suppressed"]  # 11 people, cells below 10
    fpr = groups["African-American"]["comparisons"]["false_positive_rate"]
    assert fpr["verdict"] == "disparity" and fpr["reference"] == "Caucasian"
    aa = next(f for f in doc["findings"] if f["group"] == "African-American")
    assert "false_positive_rate" in [m["metric"] for m in aa["metrics"]] and aa["disadvantaged"] == "group"


def test_markdown_escaping_keeps_text_readable_and_inert():
    from biasaudit._report._render import md

    assert md("38.2% (n=10)") == "38.2% (n=10)"
    assert md("a|b") == "a\\|b" and md("*bold*") == "\\*bold\\*" and md("[x](http://e)") == "\\[x\\](http://e)"
    assert md("<b>x</b>") == "&lt;b>x&lt;/b>"
    # no entity where none is needed: group names and p-values read as written
    assert md("Caucasian & Female") == "Caucasian & Female" and md("p < 0.001") == "p < 0.001"
    assert md("&amp; stays text") == "&amp;amp; stays text"
    assert md("# title") == "\\# title" and md("1. item") == "1\\. item" and md("- item") == "\\- item"


def test_a_suppressed_best_group_is_never_named_nor_recoverable():
    rng = np.random.default_rng(7)
    sizes = {"a": 1000, "b": 1000, "d": 1000, "c": 5}
    rates = {"a": 0.5, "b": 0.3, "d": 0.45, "c": 1.0}
    g = np.concatenate([[k] * n for k, n in sizes.items()])
    p = np.concatenate([(rng.random(n) < rates[k]).astype(int) for k, n in sizes.items()])
    result = ba.audit(y_true=None, y_pred=p, protected={"g": g}, min_group_size=1)  # c may be the best
    assert result.four_fifths.set_index("group").loc["b", "best_group"] == "c"
    public = result.report()
    others = [f for f in public.findings if f["group"] != "c"]
    assert others and all("c (g)" not in f["sentence"] for f in others)
    assert all(f["evidence"].get("impact_ratio") is None for f in others)
    # secondary suppression spared the reference group "a", so comparisons stay published
    hidden = {s["group"] for s in json.loads(public.to_json())["small_groups"]["suppressed"]}
    # c (5 people) and one more group of 1,000, never the reference a, hidden so c's size is not total - the rest
    assert "c" in hidden and "a" not in hidden and len(hidden) == 2
    doc = json.loads(public.to_json())
    assert all(r["impact_ratio"] is None for r in doc["four_fifths"])  # every ratio is to c
    full = result.report(full=True)
    assert any("c (g)" in f["sentence"] for f in full.findings)


@pytest.mark.parametrize("language", ["en", "az"])
def test_figure_titles_and_labels_fit_inside_their_figures(monkeypatch, language):
    from biasaudit._report import _plots

    gen = np.random.default_rng(8)
    n = 4000
    race = gen.choice(["Amer-Indian-Eskimo", "Asian-Pac-Islander", "Black", "White"], n)
    sex = gen.choice(["Female", "Male"], n)
    result = ba.audit(y_true=gen.integers(0, 2, n), y_pred=gen.integers(0, 2, n), protected={"race": race, "sex": sex},
                      rng=8)
    outside = []
    real = _plots._svg

    def checked(fig, plt):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        texts = [fig._suptitle] if fig._suptitle is not None else []
        for ax in fig.axes:
            texts += [ax.title]
            for axis, (low, high) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
                texts += [t.label1 for t in axis.get_major_ticks() if low <= t.get_loc() <= high]
        for t in texts:
            if t.get_visible() and t.get_text().strip():
                extent = t.get_window_extent(renderer)
                if extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1 or extent.y0 < box.y0 - 1 or extent.y1 > box.y1 + 1:
                    outside.append(t.get_text())
        return real(fig, plt)

    monkeypatch.setattr(_plots, "_svg", checked)
    figures = _plots.figures(result.report(language=language).to_dict())
    assert {f["kind"] for f in figures} == {"rates", "ratios", "heatmap"}
    assert outside == []


def test_the_summary_counts_in_the_singular_and_does_not_deny_low_findings():
    # One grouping, one comparison, one finding (a group too small to assess, low): the
    # summary neither says "1 groupings" nor that nothing reached the audit's thresholds.
    group = np.array(["a"] * 300 + ["b"] * 60)
    decisions = np.r_[np.tile([1] * 45 + [0] * 55, 3), [1] * 19 + [0] * 41]
    report = ba.audit(y_true=None, y_pred=decisions, protected={"g": group}).report()
    assert [f["severity"] for f in report.findings] == ["low"]
    first, second = report.to_dict()["summary"]["sentences"]
    assert "across 1 grouping of g. It made 1 statistical comparison and reports 1 finding:" in first
    assert second == "No finding reached medium or high severity (see Findings)."
    az = ba.audit(y_true=None, y_pred=decisions, protected={"g": group}).report(language="az")
    assert az.to_dict()["summary"]["sentences"][1].startswith("Heç bir hal orta və ya yüksək")
    report = ba.audit(y_true=None, y_pred=np.r_[[1] * 450 + [0] * 550, [1] * 450 + [0] * 550],
                      protected={"g": np.repeat(["a", "b"], 1000)}).report()
    assert not report.findings
    assert report.to_dict()["summary"]["sentences"][-1] == "No disparity reached the thresholds of this audit."
