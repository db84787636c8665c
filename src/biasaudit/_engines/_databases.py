"""Counting inside DuckDB (a file, a connection, a table or a query) and PostgreSQL.

Only the long frame leaves the database: the rows are grouped by the engine. The source
is a table name (a string, or a tuple ``(schema, table)``) or an SQL query, which runs
as a subquery.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import AuditError, InvalidParameterError
from ._lazy import require
from ._plan import Plan, missing_columns_error
from ._sql import group_by_fragments

__all__ = ["DatabaseSource", "EngineError", "count_duckdb", "count_postgres", "summarize_database"]


class EngineError(AuditError):
    """The engine failed while counting (a database or cluster error); no table is returned."""


def _table_parts(table, caller) -> tuple:
    parts = (table,) if isinstance(table, str) else tuple(table) if isinstance(table, (tuple, list)) else ()
    if not parts or not all(isinstance(p, str) and p for p in parts) or len(parts) > 3:
        msg = f"{caller}(): `table` must be a table name or a tuple (schema, table); got {table!r}."
        raise InvalidParameterError(msg)
    return parts


def _source_choice(table, sql, caller):
    if (table is None) == (sql is None):
        msg = f"{caller}(): give exactly one of `table` and `sql`; got table={table!r}, sql={sql!r}."
        raise InvalidParameterError(msg)
    if sql is not None and (not isinstance(sql, str) or not sql.strip()):
        msg = f"{caller}(): `sql` must be a non-empty query string; got {sql!r}."
        raise InvalidParameterError(msg)


# -- DuckDB --------------------------------------------------------------------------------

def _duck_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _duck_render(fragments) -> tuple[str, list]:
    text, params = [], []
    for kind, value in fragments:
        if kind == "sql":
            text.append(value)
        elif kind == "ident":
            text.append(_duck_ident(value))
        elif kind == "param":
            text.append("?")
            params.append(value)
        else:  # a user's own query, run as a subquery
            text.append(value)
    return "".join(text), params


def _duck_open(database, table, sql, caller, describe=None):
    """(connection, whether we opened it, source fragments, description) of a DuckDB table or query."""
    duckdb = require("duckdb", "duckdb")
    _source_choice(table, sql, caller)
    own = not isinstance(database, duckdb.DuckDBPyConnection)
    if own:
        try:
            con = duckdb.connect(str(database), read_only=str(database) != ":memory:")
        except duckdb.Error as exc:
            raise EngineError(f"{caller}(): cannot open DuckDB database {str(database)!r}: {exc}") from None
    else:
        con = database
    if table is not None:
        parts = _table_parts(table, caller)
        source = [("sql", ".".join(_duck_ident(p) for p in parts))]
        where = f"table {'.'.join(parts)!r} of DuckDB database {str(database) if own else 'connection'!r}"
    else:
        source = [("sql", "("), ("raw", sql), ("sql", ") AS biasaudit_source")]
        where = describe or "the DuckDB query"
    return con, own, source, where


def count_duckdb(database, plan: Plan, *, table=None, sql=None, caller="count_long",
                 describe: str | None = None) -> pd.DataFrame:
    """Count a DuckDB table or query; ``database`` is a path, ``":memory:"`` or a connection."""
    duckdb = require("duckdb", "duckdb")
    con, own, source, where = _duck_open(database, table, sql, caller, describe)
    try:
        probe, _ = _duck_render([("sql", "SELECT * FROM "), *source, ("sql", " LIMIT 0")])
        description = con.execute(probe).description
        names = [d[0] for d in description]
        missing = [c for c in plan.columns if c not in names]
        if missing:
            raise missing_columns_error(caller, missing, names, where)
        first, _ = _duck_render([("sql", "SELECT 1 FROM "), *source, ("sql", " LIMIT 1")])
        if con.execute(first).fetchone() is None:
            # No rows: nothing to count (and a header-only CSV has untyped text columns).
            from ._numpy import count_arrays

            return count_arrays({c: np.array([], dtype=object) for c in plan.columns}, plan)
        types = {d[0]: "bool" for d in description if str(d[1]).upper() in ("BOOLEAN", "BOOL")}
        text, params = _duck_render(group_by_fragments(plan, source, types))
        result = con.execute(text, params)
        columns = [d[0] for d in result.description]
        return pd.DataFrame(result.fetchall(), columns=columns)
    except duckdb.Error as exc:
        raise EngineError(f"{caller}(): DuckDB failed counting {where}: {' '.join(str(exc).split())}") from None
    finally:
        if own:
            con.close()


# -- PostgreSQL ----------------------------------------------------------------------------

_PG_BOOL = 16


def _pg_compose(fragments):
    from psycopg import sql as pgsql

    parts, params = [], []
    for kind, value in fragments:
        if kind == "sql":
            parts.append(pgsql.SQL(value))
        elif kind == "ident":
            parts.append(pgsql.Identifier(value))
        elif kind == "idents":
            parts.append(pgsql.Identifier(*value))
        elif kind == "param":
            parts.append(pgsql.Placeholder())
            params.append(value)
        else:  # the user's own query: it is their SQL by intent, run as a subquery
            parts.append(pgsql.SQL(value.replace("{", "{{").replace("}", "}}")))
    return pgsql.Composed(parts), params


def count_postgres(connection, plan: Plan, *, table=None, sql=None, caller="count_long") -> pd.DataFrame:
    """Count a PostgreSQL table or query on the server; ``connection`` is a conninfo string
    (``"postgresql://user@host/db"``) or an open ``psycopg.Connection``."""
    psycopg = require("psycopg", "postgres")
    conn, own, source, where = _pg_open(connection, table, sql, caller)
    try:
        with conn.cursor() as cur:
            probe, _ = _pg_compose([("sql", "SELECT * FROM "), *source, ("sql", " LIMIT 0")])
            cur.execute(probe)
            names = [d.name for d in cur.description]
            missing = [c for c in plan.columns if c not in names]
            if missing:
                raise missing_columns_error(caller, missing, names, where)
            types = {d.name: "bool" for d in cur.description if d.type_code == _PG_BOOL}
            query, params = _pg_compose(group_by_fragments(plan, source, types))
            cur.execute(query, params)
            columns = [d.name for d in cur.description]
            rows = cur.fetchall()
        if own:
            conn.rollback()
        frame = pd.DataFrame(rows, columns=columns)
        # SUM of integers comes back as Decimal; the long frame holds floats and int64 counts.
        for name in columns[len(plan.keys):]:
            frame[name] = pd.to_numeric(frame[name].map(float))
        return frame
    except psycopg.Error as exc:
        raise EngineError(f"{caller}(): PostgreSQL failed counting {where}: {' '.join(str(exc).split())}") from None
    finally:
        if own:
            conn.close()


def _pg_open(connection, table, sql, caller):
    """(connection, whether we opened it, source fragments, description) of a PostgreSQL table or query."""
    psycopg = require("psycopg", "postgres")
    _source_choice(table, sql, caller)
    own = not isinstance(connection, psycopg.Connection)
    if own:
        if not isinstance(connection, str):
            msg = f"{caller}(): `connection` must be a conninfo string or a psycopg Connection; got {connection!r}."
            raise InvalidParameterError(msg)
        try:
            conn = psycopg.connect(connection, autocommit=False)
        except psycopg.Error as exc:
            raise EngineError(f"{caller}(): cannot connect to PostgreSQL: {' '.join(str(exc).split())}") from None
        conn.read_only = True
    else:
        conn = connection
    dbname = conn.info.dbname
    if table is not None:
        parts = _table_parts(table, caller)
        source: list[tuple[str, Any]] = [("idents", parts)]
        where = f"table {'.'.join(parts)!r} of PostgreSQL database {dbname!r}"
    else:
        source = [("sql", "("), ("raw", sql), ("sql", ") AS biasaudit_source")]
        where = f"the query on PostgreSQL database {dbname!r}"
    return conn, own, source, where


def summarize_database(connection, *, table=None, sql=None, names, distinct, caller) -> tuple:
    """``(rows, (min, max, n_distinct or None) per name)`` of a table or query, in one query."""
    postgres = _is_postgres(connection)
    items = [[("sql", "COUNT(*)")]]
    double = "DOUBLE PRECISION"
    for c in names:
        x = [("sql", "CAST("), ("ident", c), ("sql", f" AS {double})")]
        inf = f"CAST('Infinity' AS {double})"
        finite = [("sql", "CASE WHEN "), *x, ("sql", f" > -{inf} AND "), *x, ("sql", f" < {inf} THEN "), *x,
                  ("sql", " END")]
        items += [[("sql", "MIN("), *finite, ("sql", ")")], [("sql", "MAX("), *finite, ("sql", ")")],
                  [("sql", "COUNT(DISTINCT "), *x, ("sql", ")")] if c in distinct else [("sql", "NULL")]]
    select = [("sql", "SELECT ")]
    for i, item in enumerate(items):
        select += ([("sql", ", ")] if i else []) + item
    if postgres:
        psycopg = require("psycopg", "postgres")
        conn, own, source, where = _pg_open(connection, table, sql, caller)
        try:
            with conn.cursor() as cur:
                query, params = _pg_compose([*select, ("sql", " FROM "), *source])
                cur.execute(query, params)
                row = cur.fetchone()
            if own:
                conn.rollback()
        except psycopg.Error as exc:
            raise EngineError(f"{caller}(): PostgreSQL failed on {where}: {' '.join(str(exc).split())}") from None
        finally:
            if own:
                conn.close()
    else:
        duckdb = require("duckdb", "duckdb")
        con, own, source, where = _duck_open(connection, table, sql, caller)
        try:
            text, params = _duck_render([*select, ("sql", " FROM "), *source])
            row = con.execute(text, params).fetchone()
        except duckdb.Error as exc:
            raise EngineError(f"{caller}(): DuckDB failed on {where}: {' '.join(str(exc).split())}") from None
        finally:
            if own:
                con.close()
    return row


def _is_postgres(connection) -> bool:
    from pathlib import Path

    root = type(connection).__module__.split(".")[0]
    text = str(connection) if isinstance(connection, str) else ""
    return root == "psycopg" or text.startswith(("postgresql://", "postgres://")) or (
        "dbname=" in text and not Path(text).exists())


class DatabaseSource:
    """A table or a query of a DuckDB or PostgreSQL database, as ``data`` of ``audit()``.

    ``connection`` is what :func:`count_database` takes (a PostgreSQL conninfo or
    connection, a DuckDB path or connection); give ``table`` or ``sql``. Every count and
    summary runs as a query on the database; only small results come back.
    """

    __slots__ = ("connection", "table", "sql")

    def __init__(self, connection, *, table=None, sql=None, caller="DatabaseSource"):
        _source_choice(table, sql, caller)
        self.connection, self.table, self.sql = connection, table, sql

    def __repr__(self):
        what = f"table={self.table!r}" if self.table is not None else "sql=..."
        return f"DatabaseSource({'PostgreSQL' if _is_postgres(self.connection) else 'DuckDB'}, {what})"
