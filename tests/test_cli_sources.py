"""`biasaudit audit` where the data live: files streamed by the engines, DuckDB and PostgreSQL
tables or queries. Same reports as the in-memory reader, bounded memory, one-line errors."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _cli_helpers import assert_usage_error, run_cli

from biasaudit.cli import main
from biasaudit.cli._audit_cmd import run_audit, spec_from_args
from biasaudit.cli._parser import build_parser
from biasaudit.cli._readers import read_table_hashed
from biasaudit.cli._sources import parse_table, redact

CI = os.environ.get("CI", "").lower() == "true"
AUDIT = ["--y-true", "outcome", "--pos-label", "yes", "--y-pred", "score", "--y-pred-positive", "Medium,High",
         "--protected", "sex,race,grade", "--reference", "grade=2", "--format", "json"]


def _engine(name):
    if CI:
        return __import__(name)
    return pytest.importorskip(name)


@pytest.fixture(scope="module")
def frame():
    """Text labels, a numeric protected column with missing values (pandas reads it as floats),
    missing text groups and an unused wide column."""
    rng = np.random.default_rng(7)
    n = 2500
    sex = rng.choice(["female", "male"], n)
    y = rng.integers(0, 2, n)
    grade = rng.choice([1.0, 2.0, 3.0], n)
    grade[rng.random(n) < 0.05] = np.nan
    race = rng.choice(np.array(["A", "B", "C"], dtype=object), n)
    race[rng.random(n) < 0.03] = None
    picked = rng.random(n) < np.where(sex == "female", 0.25, 0.6)
    return pd.DataFrame({
        "sex": sex, "race": race, "grade": grade, "y_true": y, "y_pred": picked.astype(int),
        "outcome": np.where(y == 1, "yes", "no"),
        "score": np.where(picked, rng.choice(["Medium", "High"], n), "Low"),
        "w": rng.uniform(0.5, 2.0, n).round(3), "notes": ["unused text " * 3] * n,
    })


def _json(argv, out: Path, *, in_memory: bool) -> dict:
    spec = spec_from_args(build_parser().parse_args(["audit", *map(str, argv)]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if in_memory:
            frame, digest = read_table_hashed(spec.data, input_format=spec.input_format, encoding=spec.encoding)
            outcome = run_audit(spec, out, frame=frame, digest=digest)
        else:
            outcome = run_audit(spec, out)
    report = json.loads(outcome.report.to_json())
    report["report"].pop("generated_at_utc")
    return report


def _results(report: dict) -> dict:
    """What the audit found, without where the data came from."""
    out = {k: v for k, v in report.items() if k not in ("data", "report", "annex", "scope")}
    return out | {"parameters": report["annex"]["parameters"],
                  "scope": {k: v for k, v in report["scope"].items() if k != "data_source"}}


@pytest.mark.parametrize("name", ["d.csv", "d.tsv", "d.parquet", "d.jsonl.gz", "semicolon.csv"])
def test_a_streamed_file_gives_the_report_of_the_in_memory_reader(frame, tmp_path, name):
    _engine("duckdb")
    path = tmp_path / name
    if name == "d.parquet":
        frame.to_parquet(path)
    elif name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(frame.to_json(orient="records", lines=True))
    else:
        frame.to_csv(path, index=False, sep={"d.tsv": "\t", "semicolon.csv": ";"}.get(name, ","))
    streamed = _json([path, *AUDIT], tmp_path / "s", in_memory=False)
    memory = _json([path, *AUDIT], tmp_path / "m", in_memory=True)
    assert streamed == memory  # every figure, the file's SHA-256 and the table fingerprint
    assert streamed["data"]["file_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert streamed["data"]["rows_read"] == len(frame)
    assert streamed["annex"]["parameters"]["data_sha256"]
    groups = {g["group"] for b in streamed["results"] if b["attribute"] == "grade" for g in b["groups"]}
    assert 2.0 in groups and "(missing)" in groups  # typed as pandas types the column


def test_weights_give_the_same_figures_without_a_row_fingerprint(frame, tmp_path):
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    argv = [path, "--y-true", "y_true", "--y-pred", "y_pred", "--protected", "sex", "--weight", "w",
            "--format", "json"]
    streamed = _json(argv, tmp_path / "s", in_memory=False)
    memory = _json(argv, tmp_path / "m", in_memory=True)
    for block_s, block_m in zip(streamed["results"], memory["results"]):
        for gs, gm in zip(block_s["groups"], block_m["groups"]):
            for metric, value in gs["rates"].items():
                assert value["value"] == pytest.approx(gm["rates"][metric]["value"], rel=1e-12)
    # the engines see sums of weights, not rows: no row fingerprint; the file's hash stays
    assert streamed["annex"]["parameters"]["data_sha256"] is None
    assert streamed["data"]["file_sha256"] == memory["data"]["file_sha256"]


def test_zstd_json_lines_and_a_hive_folder_equal_the_single_file(frame, tmp_path):
    pa = _engine("pyarrow")
    import pyarrow.dataset as ds

    flat = tmp_path / "d.parquet"
    frame.to_parquet(flat)
    want = _results(_json([flat, *AUDIT], tmp_path / "m", in_memory=True))
    folder = tmp_path / "hive"
    ds.write_dataset(pa.Table.from_pandas(frame.drop(columns="notes"), preserve_index=False), folder,
                     format="parquet", partitioning=["sex"], partitioning_flavor="hive")
    got = _json([folder, *AUDIT], tmp_path / "h", in_memory=False)
    assert _results(got) == want
    assert len(got["data"]["file_sha256"]) == 64  # of the folder's files, by relative path
    zst = tmp_path / "d.jsonl.zst"
    with pa.CompressedOutputStream(str(zst), "zstd") as out:
        out.write(frame.to_json(orient="records", lines=True).encode("utf-8"))
    assert _results(_json([zst, *AUDIT], tmp_path / "z", in_memory=False)) == want


def test_a_duckdb_table_and_query_equal_the_file(frame, tmp_path):
    duckdb = _engine("duckdb")
    flat = tmp_path / "d.parquet"
    frame.to_parquet(flat)
    want = _results(_json([flat, *AUDIT], tmp_path / "m", in_memory=True))
    db = tmp_path / "audit.db"
    con = duckdb.connect(str(db))
    con.register("df", frame)
    con.execute('CREATE SCHEMA "hr 2024"')
    con.execute('CREATE TABLE "hr 2024"."hiring ""q1""" AS SELECT * FROM df')
    con.close()
    got = _json([f"duckdb://{db}", "--table", '"hr 2024"."hiring ""q1"""', *AUDIT], tmp_path / "t", in_memory=False)
    assert _results(got) == want
    assert got["scope"]["data_source"].endswith('(table hr 2024.hiring "q1")') and got["data"].get("file_sha256") is None
    query = 'SELECT * FROM "hr 2024"."hiring ""q1""" WHERE sex = \'female\''
    sub = _json([db, "--sql", query, *AUDIT[:-6], "--protected", "race,grade", "--format", "json"],
                tmp_path / "q", in_memory=False)
    assert sum(g["n"] for g in sub["results"][0]["groups"]) == int((frame["sex"] == "female").sum())
    assert sub["scope"]["data_source"].endswith("(query)")


def _bad(tmp_path, *argv, env=None):
    return run_cli("audit", *argv, "--out", tmp_path / "o", cwd=tmp_path, env=env)


def test_bad_sources_are_one_line_errors(frame, tmp_path):
    duckdb = _engine("duckdb")
    db = tmp_path / "a.db"
    con = duckdb.connect(str(db))
    con.register("df", frame)
    con.execute("CREATE TABLE t AS SELECT * FROM df")
    con.close()
    frame.to_csv(tmp_path / "d.csv", index=False)
    cols = ["--y-true", "y_true", "--y-pred", "y_pred", "--protected", "sex"]
    assert_usage_error(_bad(tmp_path, f"duckdb://{db}", "--table", "nope", *cols), "'nope'")
    assert_usage_error(_bad(tmp_path, f"duckdb://{db}", "--table", "t", "--y-true", "y_true", "--y-pred", "y_prd",
                            "--protected", "sex"), "--y-pred: no column 'y_prd'", "did you mean 'y_pred'")
    assert_usage_error(_bad(tmp_path, f"duckdb://{db}", *cols), "--table NAME or --sql")
    assert_usage_error(_bad(tmp_path, f"duckdb://{db}", "--table", "t", "--sql", "SELECT 1", *cols), "not both")
    assert_usage_error(_bad(tmp_path, f"duckdb://{db}", "--sql", "SELEC * FROM t", *cols), "syntax error")
    assert_usage_error(_bad(tmp_path, f"duckdb://{tmp_path / 'none.db'}", "--table", "t", *cols),
                       "no such DuckDB database")
    assert_usage_error(_bad(tmp_path, f"duckdb://{db}", "--table", "t", "--y-true", "y_true", "--y-score", "ww",
                            "--protected", "sex"), "--y-score: no column 'ww'")
    assert_usage_error(_bad(tmp_path, "d.csv", "--y-true", "y_true", "--y-pred", "y_pred", "--protected", "sexx"),
                       "--protected: no column 'sexx'", "did you mean 'sex'")
    # what the engines cannot read (another encoding) is read in memory only up to the limit
    frame.to_csv(tmp_path / "latin.csv", index=False, encoding="latin-1")
    assert_usage_error(_bad(tmp_path, "latin.csv", "--encoding", "latin-1", "--y-true", "y_true", "--y-pred", "w",
                            "--protected", "sex", "--task", "regression", env={"BIASAUDIT_MEMORY_READ_LIMIT": "1000"}),
                       "--encoding latin-1", "BIASAUDIT_MEMORY_READ_LIMIT")
    # a password never reaches the terminal
    line = assert_usage_error(_bad(tmp_path, "postgresql://auditor:s3cret@127.0.0.1:9/db", "--table", "t", *cols))
    assert "s3cret" not in line


def test_table_names_and_redaction():
    assert parse_table("t", "--table") == ("t",)
    assert parse_table("s.t", "--table") == ("s", "t")
    assert parse_table('"a.b"."c ""d"""', "--table") == ("a.b", 'c "d"')
    for bad in ("", "a..b", '"open', "a.b.c.d"):
        with pytest.raises(Exception, match="--table"):
            parse_table(bad, "--table")
    assert redact("postgresql://u:pw@h:5/db") == "postgresql://u:***@h:5/db"
    assert "pw" not in redact("host=h password=pw dbname=d")
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"


def test_the_progress_bar_is_quiet_when_stderr_is_not_a_terminal(frame, tmp_path):
    frame.to_parquet(tmp_path / "d.parquet")
    done = run_cli("audit", "d.parquet", "--y-true", "y_true", "--y-pred", "y_pred", "--protected", "sex",
                   "--format", "json", "--out", "o", "--fail-on", "never", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "counting" not in done.stderr


def test_a_batch_audits_database_tables_queries_and_scores(frame, tmp_path):
    duckdb = _engine("duckdb")
    con = duckdb.connect(str(tmp_path / "a.db"))
    con.register("df", frame.assign(p=np.clip(frame["y_true"] * 0.3 + np.linspace(0, 0.7, len(frame)), 0, 1)))
    con.execute("CREATE TABLE t AS SELECT * FROM df")
    con.execute("COPY t TO '" + str(tmp_path / "s.csv") + "' (HEADER)")
    con.close()
    (tmp_path / "m.toml").write_text(
        '[defaults]\ny_true = "y_true"\nprotected = ["sex"]\nformat = "json"\n'
        '[[audit]]\nname = "table"\ndata = "duckdb://a.db"\ntable = "t"\ny_pred = "y_pred"\n'
        '[[audit]]\nname = "query"\ndata = "duckdb://a.db"\nsql = "SELECT * FROM t WHERE race = \'A\'"\n'
        'y_pred = "y_pred"\n'
        '[[audit]]\nname = "scores"\ndata = "s.csv"\ny_score = "p"\nthreshold = [0.5, 0.7]\n', encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["batch", str(tmp_path / "m.toml"), "--out", str(tmp_path / "out"), "--fail-on", "never"])
    assert code == 0
    rows = pd.read_csv(tmp_path / "out" / "summary.csv").set_index("entry")
    assert rows.loc["table", "rows"] == len(frame)
    assert rows.loc["query", "rows"] == int((frame["race"] == "A").sum())
    assert rows.loc["scores", "status"] == "ok"
    assert (tmp_path / "out" / "scores" / "threshold_metrics.csv").is_file()
    assert (tmp_path / "out" / "table" / "report.json").is_file()


@pytest.fixture(scope="module")
def dsn():
    psycopg = _engine("psycopg")
    dsn = os.environ.get("BIASAUDIT_TEST_PG")
    if not dsn:
        if CI:
            pytest.fail("BIASAUDIT_TEST_PG is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set BIASAUDIT_TEST_PG)")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS cli")
    return dsn


def test_a_postgresql_table_and_query_equal_the_file(frame, tmp_path, dsn):
    import psycopg
    from psycopg import sql

    table = sql.Identifier("cli", "decisions 2024")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        conn.execute(sql.SQL("CREATE TABLE {} (sex text, race text, grade float8, outcome text, score text)")
                     .format(table))
        with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
            for r in frame[["sex", "race", "grade", "outcome", "score"]].itertuples(index=False):
                copy.write_row([None if pd.isna(v) else v for v in r])
    flat = tmp_path / "d.parquet"
    frame.to_parquet(flat)
    want = _results(_json([flat, *AUDIT], tmp_path / "m", in_memory=True))
    got = _json([dsn, "--table", 'cli."decisions 2024"', *AUDIT], tmp_path / "p", in_memory=False)
    assert _results(got) == want
    query = 'SELECT * FROM cli."decisions 2024" WHERE grade IS NOT NULL'
    sub = _json([dsn, "--sql", query, *AUDIT], tmp_path / "q", in_memory=False)
    assert sub["data"]["rows_read"] == int(frame["grade"].notna().sum())
    done = _bad(tmp_path, dsn, "--table", "cli.nope", "--y-true", "outcome", "--y-pred", "score",
                "--protected", "sex")
    assert_usage_error(done, "nope")


_PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_kib(*command) -> int:
    done = subprocess.run([sys.executable, "-c", _PEAK, *map(str, command)], capture_output=True, text=True,
                          check=True, timeout=300)
    return int(done.stdout.strip())


def _audit_peak(path, out) -> int:
    return _peak_kib(sys.executable, "-m", "biasaudit", "audit", path, "--y-true", "y_true", "--y-pred", "y_pred",
                     "--protected", "sex,race", "--format", "json", "--out", out, "--fail-on", "never")


def test_memory_stays_bounded_on_a_file_larger_than_it(tmp_path):
    """CSVs of 1e6 and 4e6 rows (about 53 and 212 MB): quadrupling the file adds much less to
    the command line's peak RSS than the bytes added (DuckDB's reader keeps buffers up to a
    plateau, never the file), and the peak stays well under reading the larger file into
    pandas in the same process, as the command line did before."""
    _engine("duckdb")
    n, rng = 1_000_000, np.random.default_rng(0)
    small, large = tmp_path / "a.csv", tmp_path / "b.csv"
    pd.DataFrame({"sex": rng.choice(["female", "male"], n), "race": rng.choice(list("ABCD"), n),
                  "y_true": rng.integers(0, 2, n), "y_pred": rng.integers(0, 2, n),
                  "notes": rng.choice(["lorem ipsum dolor sit amet consectetur",
                                       "sed do eiusmod tempor incididunt ut labore"], n)}).to_csv(small, index=False)
    header, body = small.read_bytes().split(b"\n", 1)
    with open(large, "wb") as fh:
        fh.write(header + b"\n" + body * 4)
    extra_kib = (large.stat().st_size - small.stat().st_size) // 1024
    peak_small, peak_large = _audit_peak(small, tmp_path / "o1"), _audit_peak(large, tmp_path / "o2")
    in_memory = _peak_kib(sys.executable, "-c", "import biasaudit.cli._audit_cmd; from biasaudit.cli._readers "
                          f"import read_table_hashed; read_table_hashed({str(large)!r})")
    assert peak_large - peak_small < 0.6 * extra_kib, (peak_small, peak_large, extra_kib)
    assert peak_large < 0.6 * in_memory, (peak_large, in_memory)
    report = json.loads((tmp_path / "o2" / "report.json").read_text(encoding="utf-8"))
    assert report["data"]["rows_read"] == 4 * n
