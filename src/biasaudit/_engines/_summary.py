"""The cheap first pass: row count, minimum, maximum (and distinct count) of numeric columns.

Score bins and prediction histograms are fixed-width bins whose edges come from the range
of the values, and exact score tables need to know how many distinct scores there are
before asking the engine for one group per score. This pass computes only those few
aggregates, in the engine (``SELECT COUNT(*), MIN(x), MAX(x), COUNT(DISTINCT x)``), so a
lazy or remote source is still never collected. A value that is missing or not finite is
ignored here; the counting pass reports it with its column and source.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._plan import make_plan

__all__ = ["Summary", "summarize"]


class Summary(dict):
    """``rows``, and per column ``(min, max, n_unique or None)`` (NaN range when no finite value)."""

    @property
    def rows(self) -> int:
        return int(self["rows"])


def _finite_range(x: np.ndarray):
    x = x[np.isfinite(x)]
    return (float(x.min()), float(x.max())) if x.size else (math.nan, math.nan)


def _floats(values) -> np.ndarray:
    from ._numpy import _floats as floats

    return floats(values)


def _of_arrays(columns, names, distinct) -> dict:
    out: dict = {"rows": len(columns[names[0]]) if names else 0}
    for c in names:
        x = _floats(columns[c])
        lo, hi = _finite_range(x)
        out[c] = (lo, hi, int(len(pd.unique(x))) if c in distinct else None)
    return out


#: Distinct values collected per column when batches are merged; beyond it the count is
#: reported as this many plus one ("too many"), so memory stays bounded on huge sources.
DISTINCT_CAP = 1 << 20


def _merge(parts, names, distinct) -> dict:
    """Combine per-batch summaries; distinct counts need the distinct values themselves."""
    out: dict = {"rows": sum(p[0]["rows"] for p in parts)}
    for c in names:
        los = [p[0][c][0] for p in parts if not math.isnan(p[0][c][0])]
        his = [p[0][c][1] for p in parts if not math.isnan(p[0][c][1])]
        n = None
        if c in distinct:
            seen: set = set()
            over = False
            for p in parts:
                if p[1][c] is None:
                    over = True
                    break
                seen |= p[1][c]
                if len(seen) > DISTINCT_CAP:
                    over = True
                    break
            n = DISTINCT_CAP + 1 if over else len(seen)
        out[c] = (min(los) if los else math.nan, max(his) if his else math.nan, n)
    return out


def _batch(frame, names, distinct):
    values = {}
    for c in distinct:
        uniq = pd.unique(_floats(frame[c]))
        values[c] = set(uniq.tolist()) if len(uniq) <= DISTINCT_CAP else None
    return _of_arrays(frame, names, ()), values


def _of_batches(batches, names, distinct) -> dict:
    parts = [_batch(b.to_pandas(), names, distinct) for b in batches]
    if not parts:
        return {"rows": 0, **{c: (math.nan, math.nan, 0 if c in distinct else None) for c in names}}
    return _merge(parts, names, distinct)


def _sql_summary(names, distinct, quote) -> str:
    parts = ["COUNT(*)"]
    for c in names:
        x = f"CAST({quote(c)} AS DOUBLE)"
        finite = f"CASE WHEN {x} > -CAST('Infinity' AS DOUBLE) AND {x} < CAST('Infinity' AS DOUBLE) THEN {x} END"
        parts += [f"MIN({finite})", f"MAX({finite})", f"COUNT(DISTINCT {x})" if c in distinct else "NULL"]
    return "SELECT " + ", ".join(parts)


def _from_row(row, names) -> dict:
    out: dict = {"rows": int(row[0])}
    for i, c in enumerate(names):
        lo, hi, n = row[1 + 3 * i: 4 + 3 * i]
        out[c] = (math.nan if lo is None else float(lo), math.nan if hi is None else float(hi),
                  None if n is None else int(n))
    return out


def _of_file(path, names, distinct, caller) -> dict:
    from ._files import _parquet_batches, _text_batches, detect, duckdb_reader
    from ._lazy import available

    path, fmt, compression = detect(path, None, caller)
    plan = make_plan(caller, attributes=[], cells={}, sums={f"_{i}": ("weighted", c) for i, c in enumerate(names)})
    if available("duckdb"):
        import duckdb

        from ._databases import _duck_ident

        con = duckdb.connect()
        try:
            reader = duckdb_reader(path, fmt, plan)
            return _from_row(con.execute(f"{_sql_summary(names, distinct, _duck_ident)} FROM {reader}").fetchone(),
                             names)
        finally:
            con.close()
    if fmt == "parquet":
        batches, _, _ = _parquet_batches(path, plan, caller)
    else:
        batches, _, _ = _text_batches(path, fmt, compression, plan, caller)
    return _of_batches(batches, names, distinct)


def _of_narwhals(source, names, distinct) -> dict:
    from ._narwhals import _frame, _nw, collect

    nw = _nw()
    aggs = [nw.len().alias("rows")]
    for i, c in enumerate(names):
        x = nw.col(c).cast(nw.Float64)
        finite = nw.when((x > float("-inf")) & (x < float("inf"))).then(x)
        aggs += [finite.min().alias(f"lo{i}"), finite.max().alias(f"hi{i}")]
        if c in distinct:
            aggs.append(x.n_unique().alias(f"n{i}"))
    row = collect(_frame(source).select(*aggs)).iloc[0]
    result: dict = {"rows": int(row["rows"])}
    for i, c in enumerate(names):
        lo, hi = row[f"lo{i}"], row[f"hi{i}"]
        result[c] = (math.nan if pd.isna(lo) else float(lo), math.nan if pd.isna(hi) else float(hi),
                     int(row[f"n{i}"]) if c in distinct else None)
    return result


def _of_dask(frame, names, distinct) -> dict:
    import dask

    used = frame[names]
    parts = used.map_partitions(lambda part: pd.DataFrame({"_s": [_batch(part, names, distinct)]}),
                                meta={"_s": object})
    (pieces,) = dask.compute(parts)
    return _merge(list(pieces["_s"]), names, distinct) if len(pieces) else _of_batches([], names, distinct)


def summarize(source, columns, *, distinct=(), caller="summarize") -> Summary:
    """Row count and (finite) minimum, maximum and, for ``distinct``, distinct count of each column.

    ``source`` is any source :func:`count_long` takes (its columns were checked by the
    caller, or are checked by the counting pass that follows).

    Examples
    --------
    >>> import pandas as pd
    >>> s = summarize(pd.DataFrame({"x": [0.5, 2.0, 0.5]}), ["x"], distinct=["x"])
    >>> s.rows, s["x"]
    (3, (0.5, 2.0, 2))
    """
    from . import source_kind

    names = list(dict.fromkeys(columns))
    distinct = set(distinct)
    kind = source_kind(source)
    if kind == "file":
        out = _of_file(source, names, distinct, caller)
    elif kind == "database":
        from ._databases import summarize_database

        row = summarize_database(source.connection, table=source.table, sql=source.sql, names=names,
                                 distinct=distinct, caller=caller)
        out = _from_row(row, names)
    elif kind in ("pandas", "arrays"):
        out = _of_arrays(source, names, distinct)
    elif kind == "dask":
        out = _of_dask(source, names, distinct)
    elif kind == "pyarrow" and type(source).__name__.endswith("Dataset"):
        out = _of_batches(source.to_batches(columns=names), names, distinct)
    elif kind == "pyarrow" and type(source).__name__ == "RecordBatch":
        out = _of_arrays(source.to_pandas(), names, distinct)
    else:
        out = _of_narwhals(source, names, distinct)
    return Summary(out)
