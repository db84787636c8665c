"""The command line's --task: amounts and classes are audited as they are, never binarised."""

import hashlib
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from biasaudit.cli import main


@pytest.fixture()
def table(tmp_path):
    rng = np.random.default_rng(0)
    n = 600
    g = rng.choice(["a", "b"], n)
    y = rng.normal(40, 10, n).round(1)
    path = tmp_path / "t.csv"
    pd.DataFrame({
        "g": g, "y": y, "yh": (y + rng.normal(0, 5, n) - (g == "a") * 3).round(3),
        "c": rng.choice(["Low", "Medium", "High"], n), "ct": rng.choice(["Low", "Medium", "High"], n),
        "i": rng.integers(0, 40, n), "j": rng.integers(0, 40, n),
    }).to_csv(path, index=False)
    return path


def _run(*args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return main(["audit", *map(str, args)])


def test_amounts_are_detected_and_reported(table, tmp_path, capsys):
    out = tmp_path / "reg"
    assert _run(table, "--y-true", "y", "--y-pred", "yh", "--protected", "g", "--out", out, "--format", "json") == 1
    assert "mean_prediction" in capsys.readouterr().out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert any(f["metric"] == "mean_prediction" for f in report["findings"])


def test_classes_are_audited_with_and_without_outcomes(table, tmp_path, capsys):
    assert _run(table, "--y-true", "ct", "--y-pred", "c", "--protected", "g", "--out", tmp_path / "m1",
                "--format", "json") in (0, 1)
    assert _run(table, "--y-pred", "c", "--protected", "g", "--out", tmp_path / "m2", "--format", "json") == 0
    assert "Findings" in capsys.readouterr().out


def test_ambiguous_columns_say_how_to_name_the_task(table, tmp_path, capsys):
    assert _run(table, "--y-true", "i", "--y-pred", "j", "--protected", "g", "--out", tmp_path / "x") == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "cannot tell the task" in err[0] and "--task 'regression'" in err[0]
    assert _run(table, "--y-true", "i", "--y-pred", "j", "--protected", "g", "--task", "regression",
                "--out", tmp_path / "x", "--format", "json") in (0, 1)
    # the positive values listed make it binary, as before
    assert _run(table, "--y-true", "ct", "--y-pred", "c", "--y-true-positive", "High", "--y-pred-positive", "High",
                "--protected", "g", "--out", tmp_path / "b", "--format", "json") in (0, 1)


def test_batch_manifest_names_the_task(table, tmp_path):
    from biasaudit.cli._batch import load_manifest

    manifest = tmp_path / "m.toml"
    manifest.write_text(f"""
[[audit]]
name = "hours"
data = "{table.as_posix()}"
y_true = "i"
y_pred = "j"
protected = ["g"]
task = "regression"
format = "json"
""", encoding="utf-8")
    assert "regression" in repr(load_manifest(manifest))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["batch", str(manifest), "--out", str(tmp_path / "out"), "--fail-on", "never"]) == 0
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"regression"', '"regresion"'), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["batch", str(manifest), "--out", str(tmp_path / "bad"), "--fail-on", "never"]) == 2
    summary = pd.read_csv(tmp_path / "bad" / "summary.csv")
    assert "`task` must be one of auto, binary, multiclass, regression; got 'regresion'" in summary["error"][0]


def test_task_runs_write_the_report_sections(table, tmp_path):
    from biasaudit._report._report import report_schema

    jsonschema = pytest.importorskip("jsonschema")
    out = tmp_path / "reg2"
    _run(table, "--y-true", "y", "--y-pred", "yh", "--protected", "g", "--out", out, "--format", "json,md,html",
         "--language", "az")
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, report_schema())
    df = pd.read_csv(table)
    a = df.loc[df["g"] == "a", "yh"].mean()
    row = {r["group"]: r for r in doc["results"][0]["groups"]}["a"]
    assert row["rates"]["mean_prediction"]["value"] == pytest.approx(a, rel=1e-12)
    assert doc["task"]["family"] == "regression" and len(doc["task"]["distribution"]) == 2
    assert "Paylanma bərabərliyi" in (out / "report.md").read_text(encoding="utf-8")
    assert "Paylanma bərabərliyi" in (out / "report.html").read_text(encoding="utf-8")
    out = tmp_path / "cls"
    _run(table, "--y-pred", "c", "--protected", "g", "--out", out, "--format", "json")
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, report_schema())
    assert doc["task"]["classes"] == ["High", "Low", "Medium"] and doc["task"]["omnibus"][0]["attribute"] == "g"


def test_score_runs_write_the_report(tmp_path, capsys):
    from sklearn.metrics import roc_auc_score

    from biasaudit._report._report import report_schema

    jsonschema = pytest.importorskip("jsonschema")
    rng = np.random.default_rng(1)
    n = 2000
    g = rng.choice(["a", "b"], n)
    y = rng.integers(0, 2, n)
    s = np.round(1 / (1 + np.exp(-(rng.normal(0, 1, n) + y))), 3)
    path = tmp_path / "scores.csv"
    pd.DataFrame({"g": g, "y": y, "s": s}).to_csv(path, index=False)
    out = tmp_path / "out"
    assert _run(path, "--y-true", "y", "--y-score", "s", "--threshold", "0.5,top_share=0.2", "--protected", "g",
                "--out", out, "--format", "json,html") == 0
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, report_schema())
    row = {r["group"]: r for r in doc["results"][0]["groups"]}["b"]
    assert row["rates"]["roc_auc"]["value"] == pytest.approx(roc_auc_score(y[g == "b"], s[g == "b"]), abs=1e-12)
    assert [step["rule"] for step in doc["task"]["sweep"]] == ["0.5", "top_share=0.2"]
    assert (out / "report.html").read_text(encoding="utf-8").count("<svg") >= 2
    assert (out / "findings.json").exists() and not (out / "report.md").exists()


def test_batch_summary_of_a_score_entry_counts_its_decisions(tmp_path):
    # A score entry's summary row counts the flagged comparisons and four-fifths flags of the
    # scores and of the decisions at its threshold, as a decision entry of score >= t would.
    import biasaudit as ba
    from biasaudit._report._findings import comparison_counts

    rng = np.random.default_rng(4)
    n = 4000
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    y = (rng.random(n) < 0.4).astype(int)
    s = np.clip(0.35 + 0.3 * y - 0.15 * (g == "c") + rng.normal(0, 0.15, n), 0, 1)
    data = tmp_path / "scores.csv"
    frame = pd.DataFrame({"g": g, "y": y, "s": s.round(4)})
    frame.to_csv(data, index=False)
    manifest = tmp_path / "m.toml"
    manifest.write_text(f"""
[[audit]]
name = "scores"
data = "{data.as_posix()}"
y_true = "y"
y_score = "s"
threshold = [0.5]
protected = ["g"]
""", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["batch", str(manifest), "--out", str(tmp_path / "out"), "--fail-on", "never"]) == 0
        row = pd.read_csv(tmp_path / "out" / "summary.csv").iloc[0]
        scores = ba.audit(frame, y_true="y", y_score="s", protected=["g"])
        flags = frame.assign(p=(frame["s"] >= 0.5).astype(int))
        decisions = ba.audit(flags, y_true="y", y_pred="p", protected=["g"])
    assert int(decisions.four_fifths["flagged"].sum()) >= 1  # group c is selected less
    assert row["four_fifths_flags"] == int(decisions.four_fifths["flagged"].sum())
    assert row["flagged_disparities"] == comparison_counts(scores)[0] + comparison_counts(decisions)[0]
    # the summary links the entry's HTML report, not the first of its many files
    assert row["report"] == "scores/report.html" and (tmp_path / "out" / row["report"]).is_file()


def test_compas_classes_say_which_class_and_state_no_favourable_one(tmp_path, capsys, datasets_home):
    # COMPAS's three score_text levels by race: the terminal names each class's column, lists
    # the class-dependence findings (none is a group's disadvantage), and the report's scope
    # does not pretend a "positive decision" exists among three classes.
    compas_path = datasets_home / "compas-scores-two-years.csv"
    out = tmp_path / "mc"
    assert _run(compas_path, "--y-pred", "score_text", "--task", "multiclass", "--protected", "race",
                "--reference", "race=Caucasian", "--out", out, "--format", "json,md") == 0
    printed = capsys.readouterr().out
    df = pd.read_csv(compas_path)
    aa = (df.loc[df["race"] == "African-American", "score_text"] == "High").mean()
    header = next(line for line in printed.splitlines() if line.lstrip().startswith("attribute"))
    assert header.split()[3:] == ["selection_rate[High]", "selection_rate[Low]", "selection_rate[Medium]"]
    row = next(line for line in printed.splitlines() if "African-American" in line)
    assert float(row.split()[3]) == pytest.approx(aa, abs=5e-4)
    assert "Other findings (1)" in printed and "F01 medium race: predicted class depends on the group" in printed
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert doc["scope"]["favourable_outcome"] == "not stated: several classes, none named favourable"
    assert "whether the predicted class depends on the group" in doc["summary"]["sentences"][0]
    finding = doc["findings"][0]["sentence"]
    assert "--y-pred-positive on the command line" in finding and "audit_ordinal(class_order=...)" in finding
    # with sex too, the low finding (sex) is counted, not left out of the terminal's list
    assert _run(compas_path, "--y-pred", "score_text", "--task", "multiclass", "--protected", "race,sex",
                "--out", tmp_path / "mc2", "--format", "md") == 0
    printed = capsys.readouterr().out
    assert "Other findings (3)" in printed and "  ... and 1 of low severity in the report" in printed
    assert "Findings: 3;" in printed
    # the input file's own hash, under a label of the report's language, in both formats
    digest = hashlib.sha256(compas_path.read_bytes()).hexdigest()
    assert f"| SHA-256 of the input file | {digest} |" in (out / "report.md").read_text(encoding="utf-8")


def test_amounts_state_which_direction_is_favourable(table, tmp_path):
    for flag, want in (((), "a higher predicted amount"),
                       (("--positive-is-unfavorable",), "a lower predicted amount (a higher one is unfavourable)")):
        out = tmp_path / f"reg{len(flag)}"
        _run(table, "--y-true", "y", "--y-pred", "yh", "--protected", "g", *flag, "--out", out, "--format", "json")
        doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert doc["scope"]["favourable_outcome"] == want


def test_score_terminal_names_intersections_as_the_report_does(tmp_path, capsys):
    rng = np.random.default_rng(2)
    n = 1200
    frame = pd.DataFrame({"sex": rng.choice(["female", "male"], n), "age": rng.choice(["<25", "25-59"], n),
                          "y": rng.integers(0, 2, n)})
    frame["s"] = np.round(1 / (1 + np.exp(-(rng.normal(0, 1, n) + frame["y"]))), 3)
    path = tmp_path / "scores.csv"
    frame.to_csv(path, index=False)
    capsys.readouterr()
    _run(path, "--y-true", "y", "--y-score", "s", "--protected", "sex,age", "--out", tmp_path / "out", "--format", "md")
    printed = capsys.readouterr().out
    assert "sex & age = female & <25: roc_auc" in printed
    assert "('" not in printed
