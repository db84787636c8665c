"""``biasaudit batch``: many audits from one manifest, one summary, nothing lost."""

from __future__ import annotations

import csv
import html
import io

import pytest

from biasaudit.cli._batch import Progress, load_manifest
from biasaudit.cli._errors import CliError
from biasaudit.cli._export import csv_safe, write_summary_csv

from _cli_helpers import assert_usage_error, decisions, run_cli

MANIFEST = """\
[defaults]
y_true = "y_true"
protected = "sex"
format = ["json", "csv"]

[[audit]]
name = "loans"
data = "biased.csv"
y_pred = ["y_pred", "model_b"]
protected = [["sex"], ["sex", "race"]]

[[audit]]
name = "broken"
data = "biased.csv"
y_pred = "y_prd"

[[audit]]
name = "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
data = "fair.csv"
y_pred = "y_pred"
reference = { sex = "male" }

[[audit]]
name = "@SUM(A1) <b>bold</b>"
data = "fair.csv"
y_pred = "y_pred"
y_true = "outcome"
y_true_positive = ["yes"]
"""


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    biased = decisions()
    biased.assign(model_b=biased["y_pred"].to_numpy()[::-1]).to_csv(folder / "biased.csv", index=False)
    fair = decisions(biased=False, seed=5)
    fair.assign(outcome=fair["y_pred"].map({1: "yes", 0: "no"})).to_csv(folder / "fair.csv", index=False)
    (folder / "audits.toml").write_text(MANIFEST, encoding="utf-8")
    return folder


def _summary(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_batch_runs_every_entry_and_reports_the_broken_one(batch_dir, tmp_path):
    out = tmp_path / "out"
    done = run_cli("batch", batch_dir / "audits.toml", "--out", out, cwd=tmp_path)
    assert done.returncode == 2, done.stderr  # a failed entry outranks findings
    rows = _summary(out / "summary.csv")
    assert len(rows) == 7  # 2 models x 2 attribute sets, the broken entry, two more
    by_status = {r["entry"]: r["status"] for r in rows}
    assert by_status["loans/y_pred/sex"] == by_status["loans/model_b/sex+race"] == "ok"
    broken = next(r for r in rows if r["entry"] == "broken")
    assert broken["status"] == "failed"
    assert "no column 'y_prd'" in broken["error"] and "did you mean 'y_pred'" in broken["error"]
    assert "failed: broken:" in done.stdout and "Exit status 2" in done.stdout
    # the progress goes to stderr, one line per entry when it is not a terminal
    assert done.stderr.count("\n") == 7 and "[3/7] loans/model_b/sex:" in done.stderr
    assert "Traceback" not in done.stderr
    # each entry's reports in its own folder, listed in the summary
    for r in rows:
        if r["status"] == "ok":
            assert (out / r["report"]).is_file(), r
            assert (out / r["report"]).parent.parent == out
            assert r["max_severity"] in ("none", "low", "medium", "high")
    assert (out / "loans-model_b-sex+race" / "results.csv").is_file()
    # spreadsheet formulas are neutralised in summary.csv ...
    names = [r["entry"] for r in rows]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in names
    assert "'@SUM(A1) <b>bold</b>" in names
    assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
    assert all(not r["report"].startswith(("=", "@", "'")) for r in rows)  # folders never start so
    # ... and markup is escaped in index.html, which links every report
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" not in page and html.escape("<b>bold</b>") in page
    assert page.count("<a href=") == 6


def test_batch_fail_on_gates_the_exit_status(batch_dir, tmp_path):
    manifest = tmp_path / "ok.toml"
    manifest.write_text(f"""
[[audit]]
name = "biased"
data = "{(batch_dir / 'biased.csv').as_posix()}"
y_true = "y_true"
y_pred = "y_pred"
protected = ["sex"]
format = "json"
""", encoding="utf-8")
    gated = run_cli("batch", manifest, "--out", tmp_path / "a", cwd=tmp_path)
    assert gated.returncode == 1, gated.stderr
    assert _summary(tmp_path / "a" / "summary.csv")[0]["fails"] == "yes"
    assert "Exit status 1" in gated.stdout
    never = run_cli("batch", manifest, "--out", tmp_path / "b", "--fail-on", "never", cwd=tmp_path)
    assert never.returncode == 0, never.stderr
    assert _summary(tmp_path / "b" / "summary.csv")[0]["fails"] == "no"


def test_batch_unreadable_manifest_is_one_line(tmp_path):
    (tmp_path / "bad.toml").write_text("[[audit]\nname = 1\n", encoding="utf-8")
    done = run_cli("batch", tmp_path / "bad.toml", cwd=tmp_path)
    assert_usage_error(done, "is not valid TOML")
    assert not (tmp_path / "biasaudit-batch").exists()


# -- in-process checks -----------------------------------------------------------------------

def test_manifest_expansion_and_entry_errors(tmp_path):
    (tmp_path / "m.toml").write_text("""
[defaults]
y_true = "t"
seed = 3

[[audit]]
name = "x"
data = ["a.csv", "b.parquet"]
y_pred = ["m1", "m2"]
protected = [["sex"], ["sex", "race"]]
reference = { "*" = "best", sex = "male" }

[[audit]]
name = "x"
data = "a.csv"
y_pred = "m1"
protected = "sex"
threshold = 1.5

[[audit]]
data = "a.csv"
y_pred = "m1"
protected = "sex"
min_cell = 0
""", encoding="utf-8")
    entries = load_manifest(tmp_path / "m.toml")
    assert len(entries) == 10
    assert entries[0].label == "x/a/m1/sex" and entries[7].label == "x/b/m2/sex+race"
    spec = entries[0].spec
    assert spec.data == tmp_path / "a.csv" and spec.y_true == "t" and spec.seed == 3
    assert spec.reference == "best" and spec.references == {"sex": "male"}
    assert "`threshold` must be in (0, 1]" in entries[8].error
    assert entries[8].folder != entries[0].folder
    assert entries[9].label == "audit-3" and "`min_cell` must be an integer >= 1" in entries[9].error
    assert entries[8].protected == entries[9].protected == "sex"


def test_an_entry_that_cannot_be_read_shows_no_password_and_its_attributes_as_run_entries_do(tmp_path):
    (tmp_path / "m.toml").write_text("""
[[audit]]
name = "db"
data = "postgresql://auditor:s3cret@db.example/hr"
table = "decisions"
y_pred = "hired"
protected = ["sex", "race"]
positive_is_favorable = true
""", encoding="utf-8")
    (entry,) = load_manifest(tmp_path / "m.toml")
    assert "unknown key 'positive_is_favorable'" in entry.error
    assert entry.data == "postgresql://auditor:***@db.example/hr" and entry.protected == "sex,race"
    assert run_cli("batch", tmp_path / "m.toml", "--out", tmp_path / "out", cwd=tmp_path).returncode == 2
    for name in ("summary.csv", "index.html"):
        assert "s3cret" not in (tmp_path / "out" / name).read_text(encoding="utf-8")
    (tmp_path / "top.toml").write_text('[default]\ny_true = "t"\n', encoding="utf-8")
    with pytest.raises(CliError, match="unknown top-level key 'default'.*did you mean 'defaults'"):
        load_manifest(tmp_path / "top.toml")
    (tmp_path / "none.toml").write_text("[defaults]\n", encoding="utf-8")
    with pytest.raises(CliError, match="has no audits"):
        load_manifest(tmp_path / "none.toml")


def test_csv_safe_neutralises_formulas(tmp_path):
    for cell in ("=1+1", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert csv_safe(cell) == "'" + cell
    assert csv_safe("race") == "race" and csv_safe(-1.5) == -1.5 and csv_safe(None) is None
    write_summary_csv(tmp_path / "s.csv", ["=a", "b"], [{"=a": "-x", "b": 2}, {"=a": None}])
    text = (tmp_path / "s.csv").read_text(encoding="utf-8")
    assert text.splitlines() == ["'=a,b", "'-x,2", ","]


def test_progress_lines_and_bar():
    lines = io.StringIO()
    p = Progress(2, stream=lines)
    p.start(0, "a")
    p.done(0, "a", "ok", failed=False)
    p.finish()
    assert lines.getvalue() == "[1/2] a: ok\n"

    class Tty(io.StringIO):
        def isatty(self):
            return True

    bar = Tty()
    p = Progress(2, stream=bar, width=4)
    p.start(0, "a")
    p.done(0, "a", "failed: boom", failed=True)
    p.finish()
    assert "[....] 0/2 a" in bar.getvalue() and "[1/2] a: failed: boom\n" in bar.getvalue()
    assert "[##..] 1/2 a" in bar.getvalue() and bar.getvalue().endswith("\n")


@pytest.mark.parametrize("written, rule, pairs", [
    ('"race=Caucasian"', None, {"race": "Caucasian"}),
    ('["best", "sex=male", "race=Other=X"]', "best", {"sex": "male", "race": "Other=X"}),
    ('"overall"', "overall", {}),
    ('{ "*" = "best", sex = "male" }', "best", {"sex": "male"}),
])
def test_manifest_reference_takes_the_command_line_forms(tmp_path, written, rule, pairs):
    # `--reference race=Caucasian` on the command line; the same text in a manifest used to be
    # refused as "neither a rule nor ATTRIBUTE=GROUP", which it is
    (tmp_path / "m.toml").write_text(f"""
[[audit]]
data = "a.csv"
y_pred = "p"
protected = ["sex", "race"]
reference = {written}
""", encoding="utf-8")
    (entry,) = load_manifest(tmp_path / "m.toml")
    assert entry.error is None
    assert entry.spec.reference == rule and (entry.spec.references or {}) == pairs


def test_manifest_reference_errors_name_the_entry(tmp_path):
    (tmp_path / "m.toml").write_text("""
[[audit]]
data = "a.csv"
y_pred = "p"
protected = "sex"
reference = ["best", "overall"]

[[audit]]
data = "a.csv"
y_pred = "p"
protected = "sex"
reference = 3
""", encoding="utf-8")
    first, second = load_manifest(tmp_path / "m.toml")
    assert "audit #1 (audit-1): `reference`: give at most one rule" in first.error and "'best' and 'overall'" in first.error
    assert "`reference` must be a rule" in second.error and '"attribute=group"' in second.error


def test_manifest_vulnerable_forms():
    import pytest as _pytest

    from biasaudit.cli._batch import _vulnerable_entry
    from biasaudit.cli._errors import CliError

    assert _vulnerable_entry(False, "audit #1") is False
    assert _vulnerable_entry({"migrants": [["nationality", "other"]]}, "audit #1") == {
        "migrants": [("nationality", "other")]}
    assert _vulnerable_entry(["women=sex:F"], "audit #1") == {"women": [("sex", "F")]}
    with _pytest.raises(CliError, match=r"audit #2: `vulnerable` must be false, or a table"):
        _vulnerable_entry({"migrants": "nationality"}, "audit #2")


# --- issue 10: names never collide, the hash is of the bytes read, nothing overwritten ------

def _batch(args):
    import contextlib

    from biasaudit.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def _small_batch(folder, names):
    decisions(n=200).to_csv(folder / "d.csv", index=False)
    entries = "".join(f'[[audit]]\nname = "{n}"\ndata = "d.csv"\n' for n in names)
    (folder / "m.toml").write_text('[defaults]\ny_pred = "y_pred"\nprotected = "sex"\nformat = ["json"]\n' + entries,
                                   encoding="utf-8")
    return folder / "m.toml"


def test_entry_folders_never_collide_with_each_other_or_the_batch_files(tmp_path):
    """Row 6: `summary.csv` and `index.html` entries broke the summary; dup, dup, dup-2 shared a folder."""
    names = ["summary.csv", "index.html", "dup", "dup", "dup-2", "DUP"]
    entries = load_manifest(_small_batch(tmp_path, names))
    folders = [e.folder for e in entries]
    assert folders == ["summary.csv-2", "index.html-2", "dup", "dup-3", "dup-2", "DUP-4"]
    code, _, err = _batch(["batch", tmp_path / "m.toml", "--out", tmp_path / "out", "--fail-on", "never"])
    assert code == 0, err
    rows = _summary(tmp_path / "out" / "summary.csv")
    reports = [r["report"] for r in rows]
    assert len({r.lower() for r in reports}) == 6
    assert all((tmp_path / "out" / r).is_file() for r in reports)
    assert (tmp_path / "out" / "summary.csv").is_file() and (tmp_path / "out" / "index.html").is_file()


def test_a_file_edited_mid_batch_keeps_the_hash_of_the_bytes_audited(tmp_path, monkeypatch):
    """Row 8: each entry re-hashed the file on disk while reusing the table read first."""
    import hashlib
    import json

    import biasaudit.cli._batch as batch_module

    manifest = _small_batch(tmp_path, ["first", "second"])
    original = hashlib.sha256((tmp_path / "d.csv").read_bytes()).hexdigest()
    real_run = batch_module.run_audit

    def run_then_edit(*args, **kwargs):
        outcome = real_run(*args, **kwargs)
        with open(tmp_path / "d.csv", "a", encoding="utf-8") as fh:  # someone edits the file meanwhile
            fh.write("female,A,1,1,Low,yes,1.0\n")
        return outcome

    monkeypatch.setattr(batch_module, "run_audit", run_then_edit)
    code, _, err = _batch(["batch", manifest, "--out", tmp_path / "out", "--fail-on", "never"])
    assert code == 0, err
    for name in ("first", "second"):
        report = json.loads((tmp_path / "out" / name / "report.json").read_text(encoding="utf-8"))
        assert report["data"]["file_sha256"] == original
        assert report["data"]["rows_read"] == 200


def test_batch_never_replaces_inputs_or_foreign_files(tmp_path):
    """Row 7 for batches: an input inside --out, and a folder holding files biasaudit did not write."""
    out = tmp_path / "out"
    out.mkdir()
    decisions(n=200).to_csv(out / "summary.csv", index=False)  # the data file is where the summary would go
    (tmp_path / "m.toml").write_text('[[audit]]\nname = "a"\ndata = "out/summary.csv"\ny_pred = "y_pred"\n'
                                     'protected = "sex"\nformat = ["json"]\n', encoding="utf-8")
    before = (out / "summary.csv").read_bytes()
    code, _, err = _batch(["batch", tmp_path / "m.toml", "--out", out])
    assert code == 2 and "would overwrite the input file" in err
    assert (out / "summary.csv").read_bytes() == before
    manifest = _small_batch(tmp_path, ["keep"])
    (tmp_path / "out2" / "keep").mkdir(parents=True)
    (tmp_path / "out2" / "keep" / "notes.txt").write_text("mine", encoding="utf-8")
    code, stdout, _ = _batch(["batch", manifest, "--out", tmp_path / "out2"])
    assert code == 2 and "holds files biasaudit did not write (notes.txt)" in stdout
    assert (tmp_path / "out2" / "keep" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in (tmp_path / "out2" / "keep").iterdir()) == ["notes.txt"]
