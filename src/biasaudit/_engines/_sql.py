"""One ``GROUP BY`` in SQL, for DuckDB (embedded) and PostgreSQL (a server).

The statement is built from fragments so that each dialect quotes identifiers its own
safe way (``psycopg.sql.Identifier`` for PostgreSQL) and passes every value (labels, bin
edges) as a bound parameter, never as text spliced into the SQL.
"""

from __future__ import annotations

from ._plan import Plan

__all__ = ["group_by_fragments"]

_DOUBLE = "DOUBLE PRECISION"
_INF = f"CAST('Infinity' AS {_DOUBLE})"


def _ok(col, *, weight):
    # NULL and NaN fail both comparisons (NaN sorts above +Infinity in both dialects).
    cond = [("sql", "("), *col, ("sql", f" > -{_INF} AND "), *col, ("sql", f" < {_INF}")]
    if weight:
        cond += [("sql", " AND "), *col, ("sql", " >= 0")]
    return cond + [("sql", ")")]


def _cast(column):
    return [("sql", "CAST("), ("ident", column), ("sql", f" AS {_DOUBLE})")]


def _grid(cell):
    origin, factor, divide, offset, n, span = cell.grid
    x = _cast(cell.column)
    t = [("sql", "(("), *x, ("sql", " - "), ("param", origin), ("sql", ") " + ("/" if divide else "*") + " "),
         ("param", factor), ("sql", ")")]
    # Saturated before the cast (no overflow); the same float operations as the numpy counter.
    t = [("sql", "LEAST(GREATEST("), *t, ("sql", ", "), ("param", float(-(offset + 1))), ("sql", "), "),
         ("param", float(n - offset)), ("sql", ")")]
    code = [("sql", "CAST(FLOOR("), *t, ("sql", f") AS BIGINT) + {int(offset)}")]
    code = [("sql", "LEAST(GREATEST("), *code, ("sql", f", 0), {int(n) - 1})")]
    if span is not None:
        def edge(shift):
            return [("sql", "((CAST("), *code, ("sql", f" AS {_DOUBLE}) + {float(shift)!r}) * "), ("param", span),
                    ("sql", ") / "), ("param", float(n)), ("sql", " + "), ("param", origin)]
        code = [("sql", "LEAST(GREATEST("), *code, ("sql", " - CASE WHEN "), *x, ("sql", " < "), *edge(0),
                ("sql", " THEN 1 ELSE 0 END + CASE WHEN "), *code, ("sql", f" < {int(n) - 1} AND "), *x,
                ("sql", " >= "), *edge(1), ("sql", f" THEN 1 ELSE 0 END, 0), {int(n) - 1})")]
    return [("sql", "CASE WHEN "), *_ok([("ident", cell.column)], weight=False), ("sql", " THEN "),
            *code, ("sql", " ELSE NULL END")]


def _cell(cell, types):
    col = [("ident", cell.column)]
    if cell.kind == "value":
        return col
    if cell.kind == "grid":
        return _grid(cell)
    if cell.kind == "window":
        x = _cast(cell.column)
        return [("sql", "CASE WHEN "), *col, ("sql", " IS NULL THEN NULL WHEN "), *x, ("sql", " < "),
                ("param", cell.edges[0]), ("sql", f" THEN CAST('-Infinity' AS {_DOUBLE}) WHEN "), *x, ("sql", " > "),
                ("param", cell.edges[1]), ("sql", f" THEN {_INF} ELSE "), *x, ("sql", " END")]
    if cell.kind == "rank":
        x = _cast(cell.column)
        ranks = [("sql", "0")]
        for edge in cell.edges:
            ranks += [("sql", " + CASE WHEN "), *x, ("sql", " >= "), ("param", edge), ("sql", " THEN 1 ELSE 0 END")]
        return [("sql", "CASE WHEN "), *col, ("sql", " IS NULL THEN NULL ELSE "), *ranks, ("sql", " END")]
    if cell.kind == "column":
        if types.get(cell.column) == "bool":
            return [("sql", "CAST("), *col, ("sql", " AS INTEGER)")]
        return col
    if cell.kind == "equals":
        # NULL = v is NULL, so the cast keeps a missing label missing; about 15% faster in
        # DuckDB than the equivalent CASE (measured on 2e8 Parquet rows).
        return [("sql", "CAST("), *col, ("sql", " = "), ("param", cell.value), ("sql", " AS INTEGER)")]
    x = _cast(cell.column)
    bins = [("sql", "0")]
    for edge in cell.edges[1:-1]:
        bins += [("sql", " + CASE WHEN "), *x, ("sql", " >= "), ("param", edge), ("sql", " THEN 1 ELSE 0 END")]
    return [("sql", "CASE WHEN "), *col, ("sql", " IS NULL THEN NULL WHEN "), *x, ("sql", " >= "),
            ("param", cell.edges[0]), ("sql", " AND "), *x, ("sql", " <= "), ("param", cell.edges[-1]),
            ("sql", " THEN "), *bins, ("sql", " ELSE -1 END")]


def _clean(column, *, weight):
    return [("sql", "CASE WHEN "), *_ok([("ident", column)], weight=weight), ("sql", " THEN "),
            *_cast(column), ("sql", " ELSE 0 END")]


def group_by_fragments(plan: Plan, source: list, types: dict) -> list:
    """Fragments of ``SELECT keys, COUNT(*), SUM(...) FROM source GROUP BY keys``.

    ``source`` is a fragment list naming the table or subquery; ``types`` maps a column
    to ``"bool"`` where a 0/1 cell must be cast.
    """
    select = []
    for a in plan.attributes:
        select.append([("ident", a), ("sql", " AS "), ("ident", a)])
    for c in plan.cells:
        select.append([*_cell(c, types), ("sql", " AS "), ("ident", c.name)])
    select.append([("sql", "COUNT(*) AS "), ("ident", "rows")])
    for chk, col in plan.checked:
        select.append([("sql", "SUM(CASE WHEN "), *_ok([("ident", col)], weight=chk == "_bad_weight"),
                       ("sql", " THEN 0 ELSE 1 END) AS "), ("ident", chk)])
    w = _clean(plan.weight, weight=True) if plan.weight is not None else None
    if w is not None:
        select.append([("sql", "SUM("), *w, ("sql", ") AS "), ("ident", "weight")])
        select.append([("sql", "SUM(("), *w, ("sql", ") * ("), *w, ("sql", ")) AS "), ("ident", "weight_sq")])
    for s in plan.sums:
        x = _clean(s.column, weight=False)
        v = [("sql", "("), *x, ("sql", ")")]
        if s.kind == "weighted_sq":
            v = [*v, ("sql", " * "), *v]
        elif s.other is not None:
            y = [("sql", "("), *_clean(s.other, weight=False), ("sql", ")")]
            if s.kind == "weighted_product":
                v = [*v, ("sql", " * "), *y]
            else:
                d = [("sql", "("), *v, ("sql", " - "), *y, ("sql", ")")]
                v = [("sql", "ABS("), *d, ("sql", ")")] if s.kind == "weighted_abs_diff" else [*d, ("sql", " * "), *d]
        if w is not None:
            v = [("sql", "("), *w, ("sql", ") * "), *v]
        select.append([("sql", "SUM("), *v, ("sql", ") AS "), ("ident", s.name)])
    out = [("sql", "SELECT ")]
    for i, item in enumerate(select):
        out += ([("sql", ", ")] if i else []) + item
    out += [("sql", " FROM "), *source]
    if plan.keys:
        positions = ", ".join(str(i + 1) for i in range(len(plan.keys)))
        out += [("sql", f" GROUP BY {positions}")]
    return out
