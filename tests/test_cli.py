"""The ``biasaudit`` command line, run as ``python -m biasaudit`` in a subprocess.

Each subprocess costs about a second, so each test checks several things of one run.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from biasaudit.cli import main
from biasaudit.cli._errors import CliError
from biasaudit.cli._labels import binarise, match_value
from biasaudit.cli._readers import detect_format, read_table

from _cli_helpers import assert_usage_error, decisions, run_cli, severity

REPORT_FILES = ("report.html", "report.md", "report.json", "results.csv")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """The same biased decisions as CSV (';'), TSV, Parquet and JSON Lines, plus broken files."""
    folder = tmp_path_factory.mktemp("cli-data")
    df = decisions()
    df.to_csv(folder / "semicolon.csv", sep=";", index=False)
    df.to_csv(folder / "decisions.tsv", sep="\t", index=False)
    df.to_parquet(folder / "decisions.parquet", index=False)
    df.to_json(folder / "decisions.jsonl", orient="records", lines=True)
    decisions(biased=False, seed=3).to_csv(folder / "fair.csv", index=False)
    (folder / "empty.csv").write_bytes(b"")
    (folder / "header_only.csv").write_text("sex,y_true,y_pred\n", encoding="utf-8")
    (folder / "malformed.csv").write_text('sex,y_true,y_pred\nf,1,0\nm,0,1,7,8\n"unclosed,1\n', encoding="utf-8")
    latin = df.assign(sex=df["sex"].map({"female": "f\u00e9minin", "male": "masculin"}))
    latin.to_csv(folder / "latin1.csv", index=False, encoding="latin-1")
    three = df.assign(y_pred=np.where(df["score"] == "High", 2, df["y_pred"]))
    three.to_csv(folder / "three_labels.csv", index=False)
    return folder


def test_help_teaches_by_example(tmp_path, capsys):
    done = run_cli("--help", cwd=tmp_path)
    assert done.returncode == 0
    for text in ("audit", "batch", "demo", "datasets", "examples:", "exit status:", "--fail-on"):
        assert text in done.stdout
    for command, example in [("audit", "--y-pred-positive Medium,High"), ("batch", "[[audit]]"),
                             ("demo", "biasaudit demo --out"), ("datasets", "datasets fetch compas")]:
        assert main([command, "--help"]) == 0
        out = capsys.readouterr().out
        assert "examples:" in out and example in out, command


def test_audit_csv_semicolon_sniffed_fails_on_high(data_dir, tmp_path):
    out = tmp_path / "report"
    done = run_cli("audit", data_dir / "semicolon.csv", "--y-true", "y_true", "--y-pred", "y_pred",
                   "--protected", "sex,race", "--out", out, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert severity(done.stdout) == "high"
    # the two counts say what each counts: published comparisons, and the tests corrected for
    flagged, tested, family = map(int, re.search(
        r"(\d+) of (\d+) published comparisons \((\d+) tests in the multiple-testing family\)", done.stdout).groups())
    assert flagged <= tested < family
    assert "Exit status 1" in done.stdout
    text = done.stdout
    assert re.search(r"sex\s+female\s+\d+\s+0\.1", text)  # the sniffed ';' split the columns
    assert "Flagged disparities" in text and "Four-fifths flags" in text
    assert "true_positive_rate" in text and "false_positive_rate" in text
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)
    assert "Traceback" not in done.stderr


def test_audit_fail_on_levels_decide_the_exit_status(data_dir, tmp_path):
    never = run_cli("audit", data_dir / "semicolon.csv", "--y-pred", "y_pred", "--protected", "sex",
                    "--fail-on", "never", "--format", "json", "--out", tmp_path / "a", cwd=tmp_path)
    assert never.returncode == 0, never.stderr
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["report.json"]
    assert "no outcomes" in never.stdout and "true_positive_rate" not in never.stdout
    fair = run_cli("audit", data_dir / "fair.csv", "--y-true", "y_true", "--y-pred", "y_pred", "--protected",
                   "race", "--fail-on", "medium", "--out", tmp_path / "b", cwd=tmp_path)
    sev = severity(fair.stdout)
    assert fair.returncode == (1 if sev in ("medium", "high") else 0), (sev, fair.stderr)


def test_audit_tsv_text_labels_and_positive_values(data_dir, tmp_path):
    done = run_cli("audit", data_dir / "decisions.tsv", "--y-true", "outcome", "--pos-label", "yes",
                   "--y-pred", "score", "--y-pred-positive", "Medium,High", "--protected", "sex",
                   "--reference", "sex=male", "--fail-on", "never", "--format", "csv", "--out", tmp_path / "r",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "(positive: Medium, High)" in done.stdout
    assert re.search(r"sex: female \(vs male\): selection_rate [+-]0\.\d{3}", done.stdout)


def test_audit_parquet_with_weights_and_metadata(data_dir, tmp_path):
    meta = tmp_path / "meta.toml"
    meta.write_text('auditor = "Office of the Ombudsman"\nsystem = "loan scoring"\n', encoding="utf-8")
    done = run_cli("audit", data_dir / "decisions.parquet", "--y-true", "y_true", "--y-pred", "y_pred",
                   "--protected", "sex", "--weight", "weight", "--metadata", meta, "--fail-on", "never",
                   "--format", "md,json", "--out", tmp_path / "r", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["report.json", "report.md"]
    assert re.search(r"sex\s+female", done.stdout)
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    text = json.dumps(report)
    assert "Office of the Ombudsman" in text and "decisions.parquet" in text  # stated and file metadata


def test_audit_jsonl_integer_pos_label_and_language(data_dir, tmp_path):
    done = run_cli("audit", data_dir / "decisions.jsonl", "--y-true", "y_true", "--y-pred", "y_pred",
                   "--pos-label", "1", "--protected", "race", "--protected", "sex", "--language", "az",
                   "--no-intersections", "--fail-on", "never", "--format", "md", "--out", tmp_path / "r",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "intersectional" not in done.stdout
    assert "Alqoritmik" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")


def test_audit_compas_from_the_data_home(datasets_home, tmp_path):
    done = run_cli("audit", datasets_home / "compas-scores-two-years.csv", "--y-true", "two_year_recid",
                   "--y-pred", "score_text", "--y-pred-positive", "Medium,High", "--positive-is-unfavorable",
                   "--protected", "race,sex", "--reference", "race=Caucasian", "--format", "json", "--out",
                   tmp_path / "c", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "7,214 rows" in done.stdout
    # the top finding: African-American defendants, flagged more often when they did not reoffend
    assert re.search(r"F01 high\s+race: African-American \(vs Caucasian\): .*false_positive_rate \+0\.2\d\d",
                     done.stdout)
    # the terminal shows the published edition, figure by figure: the 18 Native Americans'
    # size is published, but their rates (cells of 1 to 9 people) are withheld
    assert re.search(r"race\s+Native American\s+18\s+suppressed\s+suppressed\s+suppressed\n", done.stdout)
    assert "Native American & Female" not in done.stdout or "figures suppressed" in done.stdout
    assert severity(done.stdout) == "high"


# -- errors: one line on stderr, exit status 2, no traceback ------------------------------

def test_wrong_column_suggests_the_closest(data_dir, tmp_path):
    done = run_cli("audit", data_dir / "semicolon.csv", "--y-true", "y_ture", "--y-pred", "y_pred",
                   "--protected", "sex", cwd=tmp_path)
    assert_usage_error(done, "--y-true", "no column 'y_ture'", "did you mean 'y_true'")
    assert not (tmp_path / "biasaudit-report").exists()


def test_missing_file(tmp_path):
    done = run_cli("audit", "nowhere.csv", "--y-pred", "p", "--protected", "g", cwd=tmp_path)
    assert_usage_error(done, "no such file: 'nowhere.csv'")


@pytest.mark.parametrize(("name", "fragments"), [
    ("empty.csv", ["empty.csv", "is empty"]),
    ("malformed.csv", ["malformed.csv", "not well-formed CSV", "Expected 3 fields"]),
    ("latin1.csv", ["cannot decode", "as utf-8", "--encoding latin-1"]),
    ("three_labels.csv", ["column 'y_pred' (--y-pred) has 3 distinct values", "--y-pred-positive"]),
])
def test_bad_input_files(data_dir, tmp_path, name, fragments):
    done = run_cli("audit", data_dir / name, "--y-true", "y_true", "--y-pred", "y_pred", "--protected", "sex",
                   cwd=tmp_path)
    assert_usage_error(done, *fragments)


def test_debug_shows_the_traceback(data_dir, tmp_path):
    debug = run_cli("audit", data_dir / "fair.csv", "--y-pred", "y_pred", "--protected", "sexx", "--debug",
                    cwd=tmp_path)
    assert debug.returncode == 2
    assert "Traceback" in debug.stderr
    assert debug.stderr.splitlines()[-1].startswith("biasaudit: error: --protected: no column 'sexx'")


# -- demo and datasets ------------------------------------------------------------------------

def test_demo_on_a_fresh_home_writes_every_report_file(tmp_path):
    home, data = tmp_path / "home", tmp_path / "data"
    home.mkdir()
    env = {"HOME": str(home), "BIASAUDIT_DATA": str(data), "XDG_CACHE_HOME": str(home / ".cache")}
    done = run_cli("demo", "--out", tmp_path / "demo", "--language", "en", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert "biasaudit demo: 10,000 synthetic decisions (seed 1)" in done.stdout
    assert str(tmp_path / "demo" / "report.html") in done.stdout
    for name in REPORT_FILES:
        assert (tmp_path / "demo" / name).stat().st_size > 0, name
    json.loads((tmp_path / "demo" / "report.json").read_text(encoding="utf-8"))
    assert not data.exists()  # offline: nothing fetched, no data home needed
    assert done.stderr == ""


def test_datasets_list_and_path(tmp_path, datasets_home, monkeypatch, capsys):
    env = {"BIASAUDIT_DATA": str(datasets_home)}
    listed = run_cli("datasets", "list", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert str(datasets_home) in listed.stdout
    assert re.search(r"compas\s+7214\s+yes\s+load_compas", listed.stdout)
    monkeypatch.setenv("BIASAUDIT_DATA", str(tmp_path / "h"))
    assert main(["datasets", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "h")


def test_datasets_fetch_from_a_mirror_and_offline(tmp_path, datasets_home):
    env = {"BIASAUDIT_DATA": str(tmp_path / "h"), "BIASAUDIT_DATA_URL": datasets_home.as_uri()}
    done = run_cli("datasets", "fetch", "compas", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "h" / "compas-scores-two-years.csv").is_file()
    assert "6,172 rows" in done.stdout
    offline = {"BIASAUDIT_DATA": str(tmp_path / "h2"), "BIASAUDIT_DATA_URL": (tmp_path / "offline").as_uri()}
    failed = run_cli("datasets", "fetch", "german_credit", cwd=tmp_path, env=offline)
    assert_usage_error(failed, "could not download german.data")


# -- in-process checks of the helpers ---------------------------------------------------------

def test_datasets_fetch_unknown_name_suggests(capsys):
    assert main(["datasets", "fetch", "compass"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("biasaudit: error: unknown data set 'compass'") and "did you mean 'compas'" in err


def test_values_typed_on_the_command_line_match_the_column_type():
    assert match_value("1", [0, 1]) == 1 and isinstance(match_value("1", [0, 1]), int)
    assert match_value("1", ["0", "1"]) == "1"
    assert match_value("1.0", [0.0, 1.0]) == 1.0
    assert match_value("yes", [False, True]) is np.True_ or match_value("yes", [False, True]) is True
    assert match_value(1, ["0", "1"]) == "1"  # a TOML integer against a text column
    assert match_value("High", ["Low", "Medium"]) is None
    col = pd.Series(["hired", "rejected", "hired"], name="decision")
    assert binarise(col, option="--y-pred", pos_label="hired").tolist() == [True, False, True]
    assert binarise(pd.Series([0, 0], name="p"), option="--y-pred").tolist() == [False, False]
    with pytest.raises(CliError, match=r"--pos-label '1' is not among the values of column 'decision'"):
        binarise(col, option="--y-pred")
    with pytest.raises(CliError, match=r"--y-pred-positive value 'Hgh' is not in column 'decision'"):
        binarise(col, option="--y-pred", positive=["Hgh"])
    with pytest.raises(CliError, match=r"column 'decision' \(--y-pred\) has 1 missing values"):
        binarise(pd.Series(["hired", None], name="decision"), option="--y-pred", pos_label="hired")


def test_readers_edge_cases(tmp_path):
    assert detect_format(tmp_path / "x.csv.gz") == "csv"
    assert detect_format(tmp_path / "x.NDJSON") == "jsonl"
    with pytest.raises(CliError, match=r"cannot tell the format of .*--input-format"):
        detect_format(tmp_path / "x.xlsx")
    (tmp_path / "h.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(CliError, match="has no data rows"):
        read_table(tmp_path / "h.csv")
    (tmp_path / "bad.jsonl").write_text('{"a": 1}\n{"a": \n', encoding="utf-8")
    with pytest.raises(CliError, match="not well-formed JSON Lines"):
        read_table(tmp_path / "bad.jsonl")
    (tmp_path / "bad.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(CliError, match="not a readable Parquet file"):
        read_table(tmp_path / "bad.parquet")
    (tmp_path / "one.csv").write_text("g\nx\ny\n", encoding="utf-8")
    assert read_table(tmp_path / "one.csv").columns.tolist() == ["g"]
    (tmp_path / "p.txt").write_text("g|y\nx|1\n", encoding="utf-8")
    assert read_table(tmp_path / "p.txt", input_format="csv").columns.tolist() == ["g", "y"]
    with pytest.raises(CliError, match="unknown encoding 'klingon'"):
        read_table(tmp_path / "one.csv", encoding="klingon")


def test_in_process_errors_are_one_line(tmp_path, capsys):
    df = decisions(n=50)
    df.to_csv(tmp_path / "d.csv", index=False)
    cases = [
        (["--reference", "sex=nonbinary"], "column 'sex' has no group 'nonbinary'"),
        (["--reference", "race=A"], "--reference names 'race', which is not a protected attribute"),
        (["--format", "pdf"], "--format: unknown report format 'pdf'"),
        (["--metadata", str(tmp_path / "none.toml")], "--metadata: no such file"),
        (["--pos-label", "yes"], "--pos-label 'yes' is not among the values of column 'y_pred'"),
        (["--fail-on", "severe"], "argument --fail-on: invalid choice: 'severe'"),
        (["--min-cell", "0"], "argument --min-cell: '0' must be >= 1"),
        # an unknown option names the nearest known one: by its words, then by its letters
        (["--sample-weight", "w"], "unrecognized arguments: --sample-weight w. Hint: did you mean --weight? Or see"),
        (["--y_true", "y"], "Hint: did you mean --y-true?"),
        (["--threshhold", "0.5"], "Hint: did you mean --threshold?"),
        (["--xyz", "1"], "unrecognized arguments: --xyz 1. Hint: see `biasaudit --help`."),
    ]
    for extra, fragment in cases:
        assert main(["audit", str(tmp_path / "d.csv"), "--y-pred", "y_pred", "--protected", "sex", *extra]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("biasaudit: error: ") and fragment in err, (extra, err)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert main(["audit", str(tmp_path / "d.csv"), "--y-pred", "y_pred", "--protected", "sex",
                 "--metadata", str(tmp_path / "bad.json")]) == 2
    assert "is not valid JSON" in capsys.readouterr().err


def test_vulnerable_groups_can_be_named_or_turned_off(tmp_path):
    import json as _json

    from _cli_helpers import run_cli

    data = tmp_path / "credit.csv"
    rows = ["foreign_worker,good,approved"] + [f"{'A201' if i % 3 else 'A202'},{i % 2},{(i // 2) % 2}"
                                               for i in range(300)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    base = ["audit", str(data), "--y-true", "good", "--y-pred", "approved", "--protected", "foreign_worker",
            "--format", "json", "--fail-on", "never"]
    done = run_cli(*base, "--vulnerable", "migrants=foreign_worker:A201", "--out", str(tmp_path / "a"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc = _json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    marked = [g for b in doc["results"] for g in b["groups"] if g["vulnerable"]]
    assert [g["group"] for g in marked] == ["A201"] and marked[0]["vulnerable"] == ["migrants"]
    done = run_cli(*base, "--vulnerable", "refugees=foreign_worker:A201", "--out", str(tmp_path / "b"), cwd=tmp_path)
    assert done.returncode == 2 and "unknown category 'refugees'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    done = run_cli(*base, "--vulnerable", "migrants=foreign_worker:A999", "--out", str(tmp_path / "c"), cwd=tmp_path)
    assert done.returncode == 2 and "no group 'A999' in 'foreign_worker'" in done.stderr


# --- issue 10: nothing wrong in silence, nothing lost --------------------------------------

def _audit_args(path, *extra, out=None):
    args = ["audit", str(path), "--y-pred", "y_pred", "--protected", "sex", "--format", "json,csv"]
    return args + (["--out", str(out)] if out is not None else []) + list(extra)


def test_results_are_never_written_over_the_input(tmp_path, capsys, monkeypatch):
    """Row 7: `audit results.csv --out .` replaced the data with the results table."""
    decisions(n=200).to_csv(tmp_path / "results.csv", index=False)
    before = (tmp_path / "results.csv").read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(_audit_args("results.csv", out=".")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "would overwrite the input file 'results.csv'" in err
    assert (tmp_path / "results.csv").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]  # nothing half-written either


def test_zero_weights_and_nothing_assessable_never_pass_the_gate(tmp_path, capsys):
    """Row 3: all-zero weights gave "Findings: 0" and exit 0 under --fail-on low."""
    df = decisions(n=200).assign(zero=0.0)
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(_audit_args(tmp_path / "d.csv", "--weight", "zero", "--fail-on", "low", out=tmp_path / "o")) == 2
    assert "`sample_weight` must have a positive total" in capsys.readouterr().err
    df.assign(sex="female").to_csv(tmp_path / "one.csv", index=False)  # one group: nothing to compare
    assert main(_audit_args(tmp_path / "one.csv", "--fail-on", "low", out=tmp_path / "o1")) == 1
    assert "no comparison could be assessed" in capsys.readouterr().out
    assert main(_audit_args(tmp_path / "one.csv", "--fail-on", "never", out=tmp_path / "o2")) == 0


def test_the_recorded_hash_is_of_the_bytes_read(tmp_path, capsys):
    """Row 8: the hash was computed from the file on disk after reading."""
    import hashlib

    from biasaudit.cli._readers import read_table_hashed

    path = tmp_path / "d.csv.gz"
    import gzip

    with gzip.open(path, "wt", encoding="utf-8") as fh:
        decisions(n=300).to_csv(fh, index=False)
    frame, digest = read_table_hashed(path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest() and len(frame) == 300
    assert main(_audit_args(path, out=tmp_path / "o")) in (0, 1)
    capsys.readouterr()
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert report["data"]["file_sha256"] == digest


def test_datetime_parquet_column_is_audited_not_a_bug(tmp_path, capsys):
    """Row 2: a datetime Parquet column gave exit 2 "unexpected TypeError ... This is a bug"."""
    pytest.importorskip("pyarrow")
    df = decisions(n=300)
    df["cohort"] = pd.to_datetime(np.where(df["race"] == "A", "2020-01-01", "2021-06-30"))
    df.to_parquet(tmp_path / "d.parquet", index=False)
    code = main(["audit", str(tmp_path / "d.parquet"), "--y-pred", "y_pred", "--protected", "cohort",
                 "--out", str(tmp_path / "o"), "--fail-on", "never"])
    assert code == 0, capsys.readouterr().err
    groups = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))["groups"]["attributes"][0]
    assert groups["groups"] == ["2020-01-01 00:00:00", "2021-06-30 00:00:00"]


@pytest.mark.parametrize("values, fragment", [
    ([0.5, 1.0], "has the values 0.5, 1.0; with --pos-label '1' the others must be 0"),
    ([2, 2], "has the values 2; with --pos-label '1' the others must be 0"),
    ([7.0, 7.0], "has the values 7.0; with --pos-label '1' the others must be 0"),
])
def test_ambiguous_numeric_labels_are_refused(tmp_path, capsys, values, fragment):
    """Row 12: 0.5 was counted as negative, a column of 2s as all negative."""
    df = decisions(n=100)
    df["y_pred"] = np.resize(values, len(df))
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(_audit_args(tmp_path / "d.csv", out=tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and fragment in err, err


def test_mixed_text_and_number_labels_are_refused(tmp_path, capsys):
    lines = [json.dumps({"sex": s, "y_pred": p}) for s, p in [("f", 1), ("m", "1"), ("f", 0), ("m", 0)]]
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(_audit_args(tmp_path / "d.jsonl", out=tmp_path / "o")) == 2
    assert "mixes text and numbers" in capsys.readouterr().err


def test_min_cell_gives_one_message_for_every_bad_value(tmp_path, capsys):
    """Row 14: --min-cell 0 said ">= 1" while -5 said ">= 0"."""
    decisions(n=50).to_csv(tmp_path / "d.csv", index=False)
    for bad in ("0", "-5"):
        assert main(_audit_args(tmp_path / "d.csv", "--min-cell", bad)) == 2
        assert f"argument --min-cell: '{bad}' must be >= 1" in capsys.readouterr().err


def test_an_output_folder_in_use_is_refused_and_a_stale_lock_taken_over(tmp_path, capsys):
    """Row 11: two runs into one --out mixed their files."""
    import subprocess
    import sys

    decisions(n=200).to_csv(tmp_path / "d.csv", index=False)
    out = tmp_path / "o"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / ".biasaudit.lock").write_text(str(holder.pid), encoding="ascii")
        assert main(_audit_args(tmp_path / "d.csv", out=out)) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"is in use by another biasaudit run (process {holder.pid})" in err
        assert sorted(p.name for p in out.iterdir()) == [".biasaudit.lock"]
    finally:
        holder.kill()
        holder.wait()
    assert main(_audit_args(tmp_path / "d.csv", "--fail-on", "never", out=out)) == 0  # the holder is gone
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "results.csv"]


def test_list_valued_columns_are_a_one_line_error(tmp_path, capsys):
    """Row 14: a list-valued Parquet column gave "unhashable type ... bug"."""
    pytest.importorskip("pyarrow")
    pd.DataFrame({"sex": [["f"], ["m"]] * 20, "y_pred": [1, 0] * 20}).to_parquet(tmp_path / "d.parquet")
    assert main(_audit_args(tmp_path / "d.parquet", "--reference", "sex=f", out=tmp_path / "o")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "column 'sex' (--protected) holds ndarray values" in err and "bug" not in err
