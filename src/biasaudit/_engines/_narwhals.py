"""Dataframe engines through narwhals: polars (eager, lazy), pyarrow Tables, DuckDB
relations, PySpark and Ibis. One ``group_by().agg()`` runs in the engine; only the long
frame (one row per non-empty combination) comes back.
"""

from __future__ import annotations

import warnings

import pandas as pd

from ._lazy import require
from ._plan import Plan

__all__ = ["columns_of", "count_narwhals"]


def _nw():
    return require("narwhals", "narwhals")


def _frame(source):
    return _nw().from_native(source)


def columns_of(source) -> list:
    """Column names of ``source`` without computing any row."""
    frame = _frame(source)
    schema = frame.collect_schema() if hasattr(frame, "collect_schema") else frame.schema
    return list(schema.names())


def _grid_expr(nw, cell):
    origin, factor, divide, offset, n, span = cell.grid
    x = nw.col(cell.column).cast(nw.Float64)
    finite = (x > float("-inf")) & (x < float("inf"))
    x = nw.when(finite).then(x).otherwise(nw.lit(origin))
    t = x - origin
    # Polars rewrites a division by a constant as a product with its reciprocal, which
    # rounds differently from numpy's division: the divisor is a column expression.
    t = t / (x * 0.0 + factor) if divide else t * factor
    # Saturated before the cast (no overflow); the same float operations as the numpy counter.
    code = t.clip(float(-(offset + 1)), float(n - offset)).floor().cast(nw.Int64) + offset
    code = code.clip(0, n - 1)
    if span is not None:
        one, zero = nw.lit(1, nw.Int64), nw.lit(0, nw.Int64)
        k = code.cast(nw.Float64)
        # Polars turns a division by a constant into a product with its reciprocal (another
        # rounding): the divisor is made a column expression (x is finite here).
        n_ = x * 0.0 + float(n)
        below = nw.when(x < (k * span) / n_ + origin).then(one).otherwise(zero)
        above = nw.when((code < n - 1) & (x >= ((k + 1.0) * span) / n_ + origin)).then(one).otherwise(zero)
        code = (code - below + above).clip(0, n - 1)
    return nw.when(finite).then(code).otherwise(nw.lit(None, nw.Int64)).alias(cell.name)


def _cell_expr(nw, cell):
    col = nw.col(cell.column)
    if cell.kind in ("column", "value"):
        return col.alias(cell.name)
    if cell.kind == "grid":
        return _grid_expr(nw, cell)
    if cell.kind == "window":
        x = col.cast(nw.Float64)
        low, high = cell.edges
        return nw.when(x < low).then(nw.lit(float("-inf"))).otherwise(
            nw.when(x > high).then(nw.lit(float("inf"))).otherwise(x)).alias(cell.name)
    if cell.kind == "rank":
        x = col.cast(nw.Float64)
        ranks = nw.lit(0, nw.Int64)
        for edge in cell.edges:
            ranks = ranks + nw.when(x >= edge).then(nw.lit(1, nw.Int64)).otherwise(nw.lit(0, nw.Int64))
        return nw.when(x.is_null()).then(nw.lit(None, nw.Int64)).otherwise(ranks).alias(cell.name)
    if cell.kind == "equals":
        # A NULL input stays NULL (reported by finish()); otherwise 1 where equal.
        return nw.when(col.is_null()).then(nw.lit(None, nw.Int64)).otherwise(
            nw.when(col == cell.value).then(nw.lit(1, nw.Int64)).otherwise(nw.lit(0, nw.Int64))
        ).alias(cell.name)
    x = col.cast(nw.Float64)
    lo, hi = cell.edges[0], cell.edges[-1]
    bins = nw.lit(0, nw.Int64)
    for edge in cell.edges[1:-1]:
        bins = bins + nw.when(x >= edge).then(nw.lit(1, nw.Int64)).otherwise(nw.lit(0, nw.Int64))
    inside = (x >= lo) & (x <= hi)
    return nw.when(x.is_null()).then(nw.lit(None, nw.Int64)).otherwise(
        nw.when(inside).then(bins).otherwise(nw.lit(-1, nw.Int64))
    ).alias(cell.name)


def _ok(nw, column, *, weight):
    x = nw.col(column).cast(nw.Float64)
    ok = (x > float("-inf")) & (x < float("inf"))
    if weight:
        ok = ok & (x >= 0)
    return ok


def count_narwhals(source, plan: Plan) -> pd.DataFrame:
    """Count a narwhals-supported ``source`` into a raw long frame (see :mod:`._plan`)."""
    nw = _nw()
    frame = _frame(source).select(*plan.columns)
    derived = [_cell_expr(nw, c) for c in plan.cells]
    aggs = [nw.len().alias("rows")]
    checks = {}
    for check, column in plan.checked:
        ok = _ok(nw, column, weight=check == "_bad_weight")
        derived.append(nw.when(ok).then(nw.lit(0.0)).otherwise(nw.lit(1.0)).alias(check))
        aggs.append(nw.col(check).sum())
        # Bad values are counted and reported; zeroing them keeps the sums defined.
        checks[column] = nw.when(ok).then(nw.col(column).cast(nw.Float64)).otherwise(nw.lit(0.0))
    w = checks.get(plan.weight) if plan.weight is not None else None
    if w is not None:
        derived += [w.alias("_w"), (w * w).alias("_w2")]
        aggs += [nw.col("_w").sum().alias("weight"), nw.col("_w2").sum().alias("weight_sq")]
    for k, s in enumerate(plan.sums):
        x = checks[s.column]
        y = checks[s.other] if s.other is not None else None
        if s.kind == "weighted":
            v = x
        elif s.kind == "weighted_sq":
            v = x * x
        elif s.kind == "weighted_product":
            v = x * y
        elif s.kind == "weighted_abs_diff":
            v = (x - y).abs()
        else:
            v = (x - y) * (x - y)
        derived.append((v if w is None else w * v).alias(f"_s{k}"))
        aggs.append(nw.col(f"_s{k}").sum().alias(s.name))
    frame = frame.with_columns(*derived)
    if plan.keys:
        out = frame.group_by(*plan.keys, drop_null_keys=False).agg(*aggs)
    else:
        out = frame.select(*aggs)
    return collect(out)


def collect(out) -> pd.DataFrame:
    """A small narwhals result as a pandas DataFrame (collected first when lazy)."""
    with warnings.catch_warnings():
        # PySpark warns on every conversion under pandas 3; the long frame is tiny and plain.
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support", category=FutureWarning)
        if hasattr(out, "collect"):
            out = out.collect()
        return out.to_pandas()
