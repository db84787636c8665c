"""`biasaudit audit` of scores, classes and amounts where the data live: a file larger than
BIASAUDIT_MEMORY_READ_LIMIT, a DuckDB or PostgreSQL table or query. Every report figure equals
the in-memory reader's on the same rows; bad columns and queries are one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _cli_helpers import assert_usage_error, run_cli

from biasaudit.cli._audit_cmd import run_audit, spec_from_args
from biasaudit.cli._parser import build_parser
from biasaudit.cli._score_cmd import run_score_audit

CI = os.environ.get("CI", "").lower() == "true"
PROTECTED = ["--protected", "sex,race,grade", "--format", "json"]
#: (name, arguments): a score audit with decisions and typed labels, classes, amounts
AUDITS = {
    "score": ["--y-true", "outcome", "--pos-label", "yes", "--y-score", "p", "--y-pred", "y_pred", "--y-pred-positive", "1",
              "--threshold", "0.5", *PROTECTED],
    "score_weighted": ["--y-true", "y", "--y-score", "p", "--weight", "w", *PROTECTED],
    "multiclass": ["--y-true", "cls_true", "--y-pred", "cls", "--task", "multiclass", *PROTECTED],
    "multiclass_auto": ["--y-true", "cls_true", "--y-pred", "cls", *PROTECTED],
    "regression": ["--y-true", "amount_true", "--y-pred", "amount", "--task", "regression", *PROTECTED],
    "regression_weighted": ["--y-pred", "amount", "--task", "regression", "--weight", "w", *PROTECTED],
    # text groups only: nothing retyped, so weighted rows keep their fingerprint (files)
    "score_weighted_text": ["--y-true", "y", "--y-score", "p", "--weight", "w", "--protected", "sex,race",
                            "--format", "json"],
}


def _engine(name):
    if CI:
        return __import__(name)
    return pytest.importorskip(name)


@pytest.fixture(scope="module")
def frame():
    """Text groups with missing values, a numeric group column with missing values (pandas reads
    it as floats), a yes/no outcome, probabilities, classes and amounts."""
    rng = np.random.default_rng(11)
    n = 3000
    sex = rng.choice(["female", "male"], n)
    race = rng.choice(np.array(["A", "B", "C"], dtype=object), n)
    race[rng.random(n) < 0.03] = None
    grade = rng.choice([1.0, 2.0, 3.0], n)
    grade[rng.random(n) < 0.05] = np.nan
    y = rng.integers(0, 2, n)
    p = np.clip(0.3 * y + rng.uniform(0, 0.7, n) - 0.1 * (sex == "female"), 0, 1).round(4)
    cls = rng.choice(["low", "mid", "high"], n)
    cls_true = np.where(rng.random(n) < 0.6, cls, rng.choice(["low", "mid", "high"], n))
    amount = (rng.gamma(2.0, 1000.0, n) * np.where(sex == "female", 0.9, 1.0)).round(2)
    return pd.DataFrame({
        "sex": sex, "race": race, "grade": grade, "y": y, "outcome": np.where(y == 1, "yes", "no"), "p": p,
        "y_pred": (p >= 0.5).astype(int), "cls": cls, "cls_true": cls_true, "amount": amount,
        "amount_true": (amount * rng.uniform(0.8, 1.2, n)).round(2), "w": rng.uniform(0.5, 2.0, n).round(3),
    })


def _report(argv, out: Path) -> dict:
    """report.json of one audit, without its time stamp."""
    spec = spec_from_args(build_parser().parse_args(["audit", *map(str, argv)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if spec.y_score is not None:
            run_score_audit(spec, out)
        else:
            run_audit(spec, out)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    report["report"].pop("generated_at_utc")
    return report


def _results(report: dict) -> dict:
    """What the audit found, without where the data came from."""
    out = {k: v for k, v in report.items() if k not in ("data", "report", "scope", "annex")}
    annex = {k: v for k, v in report["annex"].items() if k != "config_sha256"}  # hashes the metadata too
    return out | {"annex": annex, "scope": {k: v for k, v in report["scope"].items() if k != "data_source"}}


def _unfingerprinted(report: dict) -> dict:
    report = json.loads(json.dumps(report))
    report["data"]["sha256"] = None
    report["annex"]["parameters"]["data_sha256"] = report["annex"]["config_sha256"] = None  # hashes the parameters
    return report


def _close(a, b, path="") -> None:
    """Equal JSON, numbers to 1e-10 (relative): sums of weights may be added in another order."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), (path, set(a) ^ set(b))
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, (int, float)) and not isinstance(b, bool):
        assert b == pytest.approx(a, rel=1e-10, abs=1e-12), path
    else:
        assert a == b, path


@pytest.fixture(scope="module")
def files(frame, tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    frame.to_csv(folder / "d.csv", index=False)
    frame.to_csv(folder / "semicolon.csv", index=False, sep=";")
    frame.to_parquet(folder / "d.parquet")
    return folder


@pytest.fixture(scope="module")
def memory(files, tmp_path_factory):
    """The in-memory reports of every audit, from the CSV file."""
    out = tmp_path_factory.mktemp("memory")
    return {name: _report([files / "d.csv", *argv], out / name) for name, argv in AUDITS.items()}


@pytest.mark.parametrize("name", list(AUDITS))
@pytest.mark.parametrize("data", ["d.csv", "semicolon.csv", "d.parquet"])
def test_a_file_over_the_memory_limit_gives_the_in_memory_report(files, memory, tmp_path, monkeypatch, name, data):
    _engine("duckdb")
    monkeypatch.setenv("BIASAUDIT_MEMORY_READ_LIMIT", "1000")
    got = _report([files / data, *AUDITS[name]], tmp_path / "s")
    want = memory[name]
    if got["data"]["sha256"] is None:
        # weights hashed row by row are lost where the groups of a text file are retyped, and
        # the moment table's passes see sums (docs/engines.md): no row fingerprint then
        assert "weighted" in name and want["data"]["sha256"]
        want = _unfingerprinted(want)
        got = _unfingerprinted(got)
    if data == "d.csv":  # the same file: its SHA-256 (taken while streaming) and rows too
        _close(got, want)
        assert got["data"]["file_sha256"] == hashlib.sha256((files / data).read_bytes()).hexdigest()
    else:
        _close(_results(got), _results(want))
    assert got["data"]["rows_read"] == 3000
    if got["data"]["sha256"] is not None:
        assert got["data"]["sha256"] == want["data"]["sha256"] and len(got["data"]["sha256"]) == 64
    if name == "score_weighted_text":
        assert got["data"]["sha256"] == want["data"]["sha256"]
    else:
        groups = {g["group"] for b in got["results"] if b["attribute"] == "grade" for g in b["groups"]}
        assert 2.0 in groups and "(missing)" in groups  # typed as pandas types the column


def test_the_score_tables_and_findings_equal_the_in_memory_ones(files, tmp_path, monkeypatch):
    _engine("duckdb")
    _report([files / "d.csv", *AUDITS["score"]], tmp_path / "m")
    monkeypatch.setenv("BIASAUDIT_MEMORY_READ_LIMIT", "1000")
    _report([files / "d.csv", *AUDITS["score"]], tmp_path / "s")
    for name in ("group_metrics.csv", "disparities.csv", "score_intervals.csv", "threshold_metrics.csv",
                 "findings.json"):
        assert (tmp_path / "s" / name).read_text() == (tmp_path / "m" / name).read_text(), name


@pytest.fixture(scope="module")
def duck(frame, tmp_path_factory):
    duckdb = _engine("duckdb")
    db = tmp_path_factory.mktemp("db") / "audit.db"
    con = duckdb.connect(str(db))
    con.register("df", frame)
    con.execute('CREATE TABLE "decisions q1" AS SELECT * FROM df')
    con.close()
    return db


@pytest.mark.parametrize("name", list(AUDITS))
def test_a_duckdb_table_and_query_give_the_in_memory_report(duck, memory, tmp_path, name):
    got = _report([f"duckdb://{duck}", "--table", '"decisions q1"', *AUDITS[name]], tmp_path / "t")
    _same_figures(got, memory[name], "weighted" in name)
    assert got["scope"]["data_source"].endswith('(table decisions q1)') and got["data"].get("file_sha256") is None
    query = 'SELECT * FROM "decisions q1" WHERE amount > 0'  # every row
    got = _report([duck, "--sql", query, *AUDITS[name]], tmp_path / "q")
    _same_figures(got, memory[name], "weighted" in name)
    assert got["data"]["rows_read"] == 3000


def _same_figures(got: dict, want: dict, weighted: bool) -> None:
    """The in-memory figures; the row fingerprint too, except of weighted rows (docs/engines.md)."""
    assert want["data"]["sha256"]
    if weighted:
        assert got["data"]["sha256"] is None  # a database sums the weights, it cannot hash them
        got, want = _unfingerprinted(got), _unfingerprinted(want)
    _close(_results(got), _results(want))


def test_a_query_selects_the_rows_audited(duck, frame, tmp_path):
    query = "SELECT * FROM \"decisions q1\" WHERE sex = 'female'"
    got = _report([duck, "--sql", query, *AUDITS["regression"][:-4], "--protected", "race", "--format", "json"],
                  tmp_path / "q")
    assert got["data"]["rows_read"] == int((frame["sex"] == "female").sum())


@pytest.fixture(scope="module")
def dsn(frame):
    psycopg = _engine("psycopg")
    dsn = os.environ.get("BIASAUDIT_TEST_PG")
    if not dsn:
        if CI:
            pytest.fail("BIASAUDIT_TEST_PG is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set BIASAUDIT_TEST_PG)")
    from psycopg import sql

    table = sql.Identifier("cli_tasks", "decisions 2024")
    columns = {"sex": "text", "race": "text", "grade": "float8", "y": "int8", "outcome": "text", "p": "float8",
               "y_pred": "int8", "cls": "text", "cls_true": "text", "amount": "float8", "amount_true": "float8",
               "w": "float8"}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS cli_tasks")
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(t)) for c, t in columns.items())))
        with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
            for r in frame[list(columns)].itertuples(index=False):
                copy.write_row([None if pd.isna(v) else (v.item() if isinstance(v, np.generic) else v) for v in r])
    return dsn


@pytest.mark.parametrize("name", list(AUDITS))
def test_a_postgresql_table_and_query_give_the_in_memory_report(dsn, memory, tmp_path, name):
    got = _report([dsn, "--table", 'cli_tasks."decisions 2024"', *AUDITS[name]], tmp_path / "t")
    _same_figures(got, memory[name], "weighted" in name)
    query = 'SELECT * FROM cli_tasks."decisions 2024" WHERE amount > 0'
    got = _report([dsn, "--sql", query, *AUDITS[name]], tmp_path / "q")
    _same_figures(got, memory[name], "weighted" in name)


def _bad(tmp_path, *argv, env=None):
    return run_cli("audit", *argv, "--out", tmp_path / "o", cwd=tmp_path, env=env)


def test_bad_columns_and_queries_are_one_line_errors(files, duck, tmp_path):
    _engine("duckdb")
    big = {"BIASAUDIT_MEMORY_READ_LIMIT": "1000"}
    csv = files / "d.csv"
    for name, wrong, option in (("score", "p", "--y-score"), ("multiclass", "cls", "--y-pred"),
                                ("regression", "amount", "--y-pred")):
        argv = [("pp" if a == wrong else a) for a in AUDITS[name]]
        assert_usage_error(_bad(tmp_path, csv, *argv, env=big), "'pp'")
        assert_usage_error(_bad(tmp_path, duck, "--table", '"decisions q1"', *argv), "'pp'")
        assert_usage_error(_bad(tmp_path, duck, "--sql", "SELEC * FROM t", *AUDITS[name]), "syntax error")
        assert_usage_error(_bad(tmp_path, duck, "--table", "nope", *AUDITS[name]), "'nope'")
        bad_group = [("sexx" if a == "sex,race,grade" else a) for a in AUDITS[name]]
        assert_usage_error(_bad(tmp_path, csv, *bad_group, env=big), "--protected: no column 'sexx'")
    # amounts with --task auto: not guessed from a source counted where it lives
    assert_usage_error(_bad(tmp_path, csv, "--y-pred", "amount", "--protected", "sex", env=big),
                       "--task regression")
    # a score audit's outcome keeps the command line's label rules
    assert_usage_error(_bad(tmp_path, duck, "--table", '"decisions q1"', "--y-true", "outcome", "--y-score", "p",
                            "--protected", "sex"), "--pos-label '1' is not among the values", "no, yes")


def test_a_batch_counts_scores_classes_and_amounts_where_the_data_live(duck, files, memory, tmp_path, monkeypatch):
    from biasaudit.cli import main

    monkeypatch.setenv("BIASAUDIT_MEMORY_READ_LIMIT", "1000")
    (tmp_path / "m.toml").write_text(
        '[defaults]\nprotected = ["sex", "race", "grade"]\nformat = "json"\n'
        f'[[audit]]\nname = "classes"\ndata = "duckdb://{duck}"\ntable = "decisions q1"\ny_true = "cls_true"\n'
        'y_pred = "cls"\ntask = "multiclass"\n'
        f'[[audit]]\nname = "amounts"\ndata = "duckdb://{duck}"\nsql = "SELECT * FROM \\"decisions q1\\""\n'
        'y_true = "amount_true"\ny_pred = "amount"\ntask = "regression"\n'
        f'[[audit]]\nname = "scores"\ndata = "{files / "d.csv"}"\ny_true = "outcome"\npos_label = "yes"\n'
        'y_score = "p"\ny_pred = "y_pred"\ny_pred_positive = ["1"]\nthreshold = [0.5]\n', encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["batch", str(tmp_path / "m.toml"), "--out", str(tmp_path / "out"), "--fail-on", "never"])
    assert code == 0
    for entry, name in (("classes", "multiclass"), ("amounts", "regression"), ("scores", "score")):
        got = json.loads((tmp_path / "out" / entry / "report.json").read_text(encoding="utf-8"))
        got["report"].pop("generated_at_utc")
        _same_figures(got, memory[name], weighted=False)
    scores = json.loads((tmp_path / "out" / "scores" / "report.json").read_text(encoding="utf-8"))
    assert scores["data"]["file_sha256"] == hashlib.sha256((files / "d.csv").read_bytes()).hexdigest()


def test_a_file_changed_between_the_scans_stops_the_audit(frame, tmp_path, monkeypatch):
    import biasaudit.cli._in_place as in_place
    from biasaudit.cli._errors import CliError

    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    monkeypatch.setenv("BIASAUDIT_MEMORY_READ_LIMIT", "1000")
    retyped = in_place._retyped

    def touched(table, spec, source):  # another writer, between the first scan and the last
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(frame.head(1).to_csv(index=False, header=False))
        return retyped(table, spec, source)

    monkeypatch.setattr(in_place, "_retyped", touched)
    for name in ("score", "regression"):
        with pytest.raises(CliError, match="changed while it was being audited"):
            _report([path, *AUDITS[name]], tmp_path / name)
