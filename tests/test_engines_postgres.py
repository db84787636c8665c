"""PostgreSQL, a real server (``BIASAUDIT_TEST_PG``, started by .ci/run): the GROUP BY runs on
the server and only the long frame comes back."""

from __future__ import annotations

import os

import pytest
from _engine_oracle import (
    KW,
    assert_long_equal,
    naive_long,
    require_engine,
)

from biasaudit._engines import EngineError, count_database
from biasaudit.exceptions import AuditError

TABLE = 'decisions "2024"'  # an identifier that must be quoted


@pytest.fixture(scope="module")
def dsn():
    psycopg = require_engine("psycopg")
    dsn = os.environ.get("BIASAUDIT_TEST_PG")
    if not dsn:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("BIASAUDIT_TEST_PG is not set in CI: .ci/run must start PostgreSQL")
        pytest.skip("no PostgreSQL server (set BIASAUDIT_TEST_PG)")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA IF NOT EXISTS audit")
    return dsn


def _rows(n, seed):
    import random

    rnd = random.Random(seed)
    return [{"g": rnd.choice(["a", "b", "c'; DROP TABLE x; --", None]), "h": rnd.choice([1, 2, None]),
             "y": rnd.choice([0, 1, 2]), "p": rnd.choice([True, False]), "s": rnd.choice([0.0, 1.0, rnd.random()]),
             "w": rnd.choice([0.0, 1e-6, rnd.random() * 5])} for _ in range(n)]


def _load(dsn, rows, table=TABLE, schema="audit"):
    import psycopg
    from psycopg import sql

    ident = sql.Identifier(schema, table)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(ident))
        conn.execute(sql.SQL("CREATE TABLE {} (g text, h bigint, y bigint, p boolean, s float8, w float8)")
                     .format(ident))
        with conn.cursor() as cur, cur.copy(sql.SQL("COPY {} (g, h, y, p, s, w) FROM STDIN").format(ident)) as copy:
            for r in rows:
                copy.write_row([r[c] for c in ("g", "h", "y", "p", "s", "w")])
    return (schema, table)


@pytest.mark.parametrize("n", [0, 9, 3000])
def test_table_equals_naive(dsn, n):
    rows = _rows(n, n)
    table = _load(dsn, rows)
    assert_long_equal(count_database(dsn, table=table, **KW), naive_long(rows))


def test_query_and_open_connection(dsn):
    import psycopg

    rows = _rows(400, 5)
    _load(dsn, rows)
    query = 'SELECT * FROM audit."decisions ""2024""" WHERE h IS NOT NULL OR h IS NULL'
    assert_long_equal(count_database(dsn, sql=query, **KW), naive_long(rows))
    with psycopg.connect(dsn) as conn:
        assert_long_equal(count_database(conn, table=("audit", TABLE), **KW), naive_long(rows))
        # labels are bound parameters: a text label compares as text
        out = count_database(conn, sql=f"SELECT * FROM ({query}) AS q WHERE g IS NOT NULL", attributes=["g"],
                             cells={"b": ("equals", "g", "a")})
        assert out.loc[out["b"] == 1, "g"].tolist() == ["a"]


def test_no_rows_leave_the_server(dsn, monkeypatch):
    """The server returns the long frame only: fetched rows are at most the groups."""
    import psycopg

    rows = _rows(3000, 8)
    _load(dsn, rows)
    fetched = []
    real = psycopg.Cursor.fetchall

    def spy(self):
        out = real(self)
        fetched.append(len(out))
        return out

    monkeypatch.setattr(psycopg.Cursor, "fetchall", spy)
    out = count_database(dsn, table=("audit", TABLE), **KW)
    assert fetched == [len(out)] and len(out) < 200


def test_faults(dsn):
    rows = _rows(30, 2)
    table = _load(dsn, rows)
    with pytest.raises(AuditError, match=r"no column 'weights' in table 'audit.decisions \"2024\"' of PostgreSQL"):
        count_database(dsn, table=table, **dict(KW, weight="weights"))
    with pytest.raises(EngineError, match=r"PostgreSQL failed counting .*does not exist"):
        count_database(dsn, table=("audit", "nope"), **KW)
    rows[4]["y"] = None
    _load(dsn, rows)
    with pytest.raises(AuditError, match=r"column 'y' of the PostgreSQL table 'audit.decisions \"2024\"' has 1 missing value"):
        count_database(dsn, table=table, **KW)
    with pytest.raises(EngineError, match=r"cannot connect to PostgreSQL"):
        count_database(dsn.replace("dbname=", "dbname=no_such_db_"), table=table, **KW)


def test_audit_of_a_postgres_table_for_every_family_equals_pandas(dsn):
    """audit() pushed down to the server (DatabaseSource) for scores, classes, amounts and control."""
    import warnings

    import psycopg

    import biasaudit as ba
    from biasaudit._engines import DatabaseSource
    from test_sources import TASKS, _make_frame, _same

    frame = _make_frame(700, 11)
    columns = list(frame.columns)
    types = {c: ("DOUBLE PRECISION" if frame[c].dtype.kind == "f" else "BIGINT" if frame[c].dtype.kind == "i"
                 else "TEXT") for c in columns}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute('DROP TABLE IF EXISTS audit."families 2024"')
        conn.execute('CREATE TABLE audit."families 2024" ('
                     + ", ".join(f'"{c}" {types[c]}' for c in columns) + ")")
        with conn.cursor() as cur:
            rows = [tuple(None if v is None or (isinstance(v, float) and v != v) else
                          (v.item() if hasattr(v, "item") else v) for v in r) for r in frame.itertuples(index=False)]
            cur.executemany('INSERT INTO audit."families 2024" VALUES (' + ", ".join(["%s"] * len(columns)) + ")",
                            rows)
    source = DatabaseSource(dsn, table=("audit", "families 2024"))
    for task in ("scores_binned_thresholds", "scores_exact", "multiclass_text", "favorable_classes", "regression",
                 "control"):
        for weight in (None, "w"):
            kw = dict(TASKS[task], sample_weight=weight)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ba.BiasAuditWarning)
                want = ba.audit(frame, protected=["sex", "race"], rng=0, **kw)
                got = ba.audit(source, protected=["sex", "race"], rng=0, **kw)
            _same(got, want, exact=weight is None)
            if weight is None:
                assert got.parameters["data_sha256"] == want.parameters["data_sha256"] is not None
