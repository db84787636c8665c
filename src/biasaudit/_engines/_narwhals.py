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


def _cell_expr(nw, cell):
    col = nw.col(cell.column)
    if cell.kind == "column":
        return col.alias(cell.name)
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
        v = x if s.kind == "weighted" else x * x
        derived.append((v if w is None else w * v).alias(f"_s{k}"))
        aggs.append(nw.col(f"_s{k}").sum().alias(s.name))
    frame = frame.with_columns(*derived)
    if plan.keys:
        out = frame.group_by(*plan.keys, drop_null_keys=False).agg(*aggs)
    else:
        out = frame.select(*aggs)
    with warnings.catch_warnings():
        # PySpark warns on every conversion under pandas 3; the long frame is tiny and plain.
        warnings.filterwarnings("ignore", message="PySpark does not yet fully support", category=FutureWarning)
        if hasattr(out, "collect"):
            out = out.collect()
        return out.to_pandas()
