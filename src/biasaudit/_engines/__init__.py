"""Counting where the data live: every source to one *long frame* of sufficient statistics.

The long frame is the contract between the engines and the core (see ``docs/engines.md``):
one row per non-empty combination of protected attributes and cell axes, with the sums
``rows`` (COUNT(*)), ``weight`` (SUM(w)), ``weight_sq`` (SUM(w*w)) and any requested
extra sums, i.e. exactly ``SELECT attrs, cells, COUNT(*), SUM(w), SUM(w*w), ... GROUP BY
attrs, cells``. In-memory frames go to the numpy counter; lazy and remote ones are
grouped in their engine and never collected.

Nothing here imports an optional library at import time: a source's kind is told from its
type's module name, and its library is imported only to count it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError
from ._databases import DatabaseSource, EngineError
from ._lazy import MissingDependencyError
from ._plan import finish, make_plan, missing_columns_error

__all__ = [
    "DatabaseSource",
    "EngineError",
    "MissingDependencyError",
    "count_database",
    "count_file",
    "count_long",
    "sees_rows",
    "source_kind",
]

_NARWHALS = {"polars": "polars", "pyarrow": "parquet", "duckdb": "duckdb", "_duckdb": "duckdb",
             "pyspark": "spark", "ibis": "ibis", "sqlframe": "spark", "modin": "modin", "cudf": "cudf"}
_NAMES = {"polars": "polars", "pyarrow": "pyarrow", "duckdb": "DuckDB", "_duckdb": "DuckDB",
          "pyspark": "PySpark", "ibis": "Ibis", "dask": "Dask", "pandas": "pandas"}


def source_kind(source) -> str:
    """The library a source comes from (``"pandas"``, ``"polars"``, ...), or ``"file"``,
    ``"arrays"``; without importing anything."""
    if isinstance(source, (str, os.PathLike)):
        return "file"
    if isinstance(source, DatabaseSource):
        return "database"
    root = type(source).__module__.split(".")[0]
    if root in _NAMES:
        return "duckdb" if root == "_duckdb" else root
    if isinstance(source, dict):
        return "arrays"
    return root


def _describe(source, kind) -> str:
    return f"the {_NAMES.get(kind, kind)} {type(source).__name__}"


def _columns(source, kind) -> list:
    if kind in ("pandas", "dask"):
        return [c for c in source.columns]
    if kind == "arrays":
        return list(source)
    from ._narwhals import columns_of

    return columns_of(source)


def _is_frame(source, kind) -> bool:
    """Whether ``source`` is a table-like object of a supported kind (not a Series, an array...)."""
    if kind in ("pandas", "dask"):
        return hasattr(source, "columns") and getattr(source, "ndim", 2) == 2
    if kind == "arrays":
        return True
    if kind not in _NARWHALS:
        return False
    name = type(source).__name__
    return not any(word in name for word in ("Series", "Array", "Scalar", "Column", "Expr"))


def sees_rows(source) -> bool:
    """Whether the rows of ``source`` pass through the numpy counter (in memory or streamed),
    so that per-row hashes (the weighted fingerprint) can be summed: pandas, arrays, polars
    DataFrames, pyarrow Tables and Datasets, Dask (on the workers) and files (Arrow reader)."""
    kind = source_kind(source)
    if kind in ("pandas", "arrays", "dask", "file"):
        return True
    name = type(source).__name__
    return (kind == "polars" and name == "DataFrame") or (
        kind == "pyarrow" and (name in ("Table", "RecordBatch") or name.endswith("Dataset")))


def count_long(source, *, attributes, cells, weight=None, sums=None, caller="count_long",
               argument="source", hash_weight=False) -> pd.DataFrame:
    """Count ``source`` into the long frame of sufficient statistics.

    Parameters
    ----------
    source : DataFrame, LazyFrame, Table, Dataset, relation, mapping of arrays, or a path
        pandas, polars (eager or lazy), pyarrow Table or Dataset, DuckDB relation, Dask,
        PySpark or Ibis; a ``{name: array}`` mapping; or a file path (see :func:`count_file`).
    attributes : list of str
        Protected attribute columns; a missing value is a group of its own (``None``).
    cells : dict
        Cell-axis name to spec: ``("equals", column, value)`` (1 where equal, 0 elsewhere),
        ``("column", column)`` (a 0/1 or boolean column) or ``("bin", column, edges)``
        (bin ``k`` holds ``edges[k] <= x < edges[k+1]``, the last bin closed).
    weight : str, optional
        A column of non-negative finite weights; without it every row weighs 1.
    sums : dict, optional
        Extra sums: name to ``("weighted", column)`` (SUM(w*x)) or ``("weighted_sq", column)``
        (SUM(w*x*x)).

    caller, argument : str
        How errors name the calling function and the ``source`` argument (``audit()`` passes
        ``caller="audit", argument="data"``).
    hash_weight : bool, default=False
        Also sum the 64-bit hashes of the weights per row (column ``_fp``, uint64 modulo
        2**64), for the weighted fingerprint; only where the rows are seen (:func:`sees_rows`).

    Returns
    -------
    pandas.DataFrame
        Attribute columns (object, ``None`` = missing), cell columns (int64), ``rows``
        (int64), ``weight``, ``weight_sq`` and the extra sums (float64); one row per
        non-empty combination, sorted by the keys.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"g": ["a", "b", "a", None], "y": [1, 0, 1, 1], "p": [1, 1, 0, 1]})
    >>> count_long(df, attributes=["g"], cells={"y_true": ("equals", "y", 1),
    ...                                         "y_pred": ("equals", "p", 1)})
          g  y_true  y_pred  rows  weight  weight_sq
    0     a       1       0     1     1.0        1.0
    1     a       1       1     1     1.0        1.0
    2     b       0       1     1     1.0        1.0
    3  None       1       1     1     1.0        1.0
    """
    plan = make_plan(caller, attributes=attributes, cells=cells, weight=weight, sums=sums, hash_weight=hash_weight)
    kind = source_kind(source)
    if kind == "file":
        return count_file(source, attributes=attributes, cells=cells, weight=weight, sums=sums, caller=caller,
                          hash_weight=hash_weight)
    if kind == "database" and not hash_weight:
        return count_database(source.connection, table=source.table, sql=source.sql, attributes=attributes,
                              cells=cells, weight=weight, sums=sums, caller=caller)
    if hash_weight and not sees_rows(source):
        msg = (f"{caller}(): the weights' hashes are summed only where the rows are seen (pandas, arrays, "
               f"polars DataFrames, pyarrow Tables and Datasets, Dask, files); got {type(source).__name__}.")
        raise InvalidParameterError(msg)
    if kind == "pyarrow" and type(source).__name__.endswith("Dataset"):
        return _count_arrow_dataset(source, plan, caller)
    if kind == "pyarrow" and type(source).__name__ == "RecordBatch":
        import pyarrow as pa

        source = pa.Table.from_batches([source])
    where = _describe(source, kind)
    if not _is_frame(source, kind):
        msg = (f"{caller}(): `{argument}` must be a pandas, polars, pyarrow, DuckDB, Dask, PySpark or Ibis "
               f"frame, a mapping of arrays, or a file path; got {type(source).__name__} from {kind!r}.")
        raise InvalidParameterError(msg)
    if kind in _NARWHALS:
        from ._lazy import require

        require(kind if kind != "_duckdb" else "duckdb", _NARWHALS[kind])
        require("narwhals", _NARWHALS[kind])
    names = _columns(source, kind)
    missing = [c for c in plan.columns if c not in names]
    if missing:
        raise missing_columns_error(caller, missing, names, where)
    if hash_weight and kind in _NARWHALS:
        # An in-memory frame: its used columns go to the numpy counter, which hashes rows
        # (dictionary and categorical columns arrive as pandas categoricals: codes, no strings).
        source, kind = _in_memory_pandas(source, plan.columns), "pandas"
    if kind in ("pandas", "arrays"):
        from ._numpy import count_arrays

        if kind == "arrays":
            source = {k: np.asarray(v) if not isinstance(v, pd.Series) else v for k, v in source.items()}
            lengths = {len(source[c]) for c in plan.columns}
            if len(lengths) > 1:
                msg = f"{caller}(): the arrays of `data` must have one length; got lengths {sorted(lengths)}."
                raise InvalidParameterError(msg)
        raw = count_arrays(source, plan)
    elif kind == "dask":
        from ._dask import count_dask

        raw = count_dask(source, plan, caller=caller)
    else:
        from ._narwhals import count_narwhals

        raw = count_narwhals(source, plan)
    return finish(plan, raw, caller=caller, source=where)


def _in_memory_pandas(source, columns) -> pd.DataFrame:
    if type(source).__module__.split(".")[0] == "polars":
        source = source.select(columns).to_arrow()
    return source.select(columns).to_pandas()


def _count_arrow_dataset(dataset, plan, caller) -> pd.DataFrame:
    from ._files import _merge
    from ._numpy import count_arrays

    names = dataset.schema.names
    missing = [c for c in plan.columns if c not in names]
    where = f"the pyarrow {type(dataset).__name__}"
    if missing:
        raise missing_columns_error(caller, missing, names, where)
    pieces = [count_arrays(b.to_pandas(), plan) for b in dataset.to_batches(columns=plan.columns)]
    raw = _merge(pieces, plan) if pieces else count_arrays({c: np.array([], dtype=object) for c in plan.columns}, plan)
    return finish(plan, raw, caller=caller, source=where)


def count_file(path, *, attributes, cells, weight=None, sums=None, format=None, engine="auto",
               progress=None, delimiter=None, caller="count_file", hash_weight=False) -> pd.DataFrame:
    """Count a CSV, TSV, JSON lines or Parquet file (or Parquet directory) in bounded memory.

    Only the used columns are read, in batches; see :func:`count_long` for the other
    arguments and the result. ``format`` overrides the extension (``"csv"``, ``"tsv"``,
    ``"jsonl"``, ``"parquet"``); ``engine`` is ``"duckdb"``, ``"arrow"`` or ``"auto"`` (DuckDB
    where it is installed, else Arrow); ``progress`` forces the stderr progress bar on or off
    (default: on when stderr is a terminal); ``delimiter`` overrides a CSV's comma.
    ``hash_weight`` (the weighted fingerprint) needs the rows, so it reads with Arrow
    whatever ``engine`` says.

    Examples
    --------
    >>> import pandas as pd, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "decisions.csv")
    >>> pd.DataFrame({"sex": ["f", "m", "f"], "hired": [1, 0, 0]}).to_csv(path, index=False)
    >>> count_file(path, attributes=["sex"], cells={"y_pred": ("equals", "hired", 1)})[["sex", "y_pred", "rows"]]
      sex  y_pred  rows
    0   f       0     1
    1   f       1     1
    2   m       0     1
    """
    from ._files import count_file_arrow, count_file_duckdb, detect
    from ._lazy import available

    if engine == "auto":
        engine = "duckdb" if available("duckdb") and not hash_weight else "arrow"
    if hash_weight and engine == "duckdb":
        engine = "arrow"

    plan = make_plan(caller, attributes=attributes, cells=cells, weight=weight, sums=sums, hash_weight=hash_weight)
    path, fmt, compression = detect(path, format, caller)
    where = f"file {str(path)!r}"
    if engine == "arrow":
        raw = count_file_arrow(path, fmt, compression, plan, progress=progress, caller=caller, delimiter=delimiter)
    elif engine == "duckdb":
        raw = count_file_duckdb(path, fmt, compression, plan, caller=caller, progress=progress, delimiter=delimiter)
    else:
        msg = f"{caller}(): `engine` must be one of ['arrow', 'auto', 'duckdb']; got {engine!r}."
        raise InvalidParameterError(msg)
    return finish(plan, raw, caller=caller, source=where)


def count_database(connection, *, attributes, cells, table=None, sql=None, weight=None, sums=None,
                   caller="count_database") -> pd.DataFrame:
    """Count a table or a query inside DuckDB or PostgreSQL; only the long frame comes back.

    ``connection`` is a PostgreSQL conninfo (``"postgresql://..."`` or ``"host=... dbname=..."``)
    or ``psycopg.Connection``; or a DuckDB file path, ``":memory:"`` or ``DuckDBPyConnection``.
    Give ``table`` (a name or ``(schema, name)``) or ``sql`` (a query, run as a subquery).
    """
    from ._databases import count_duckdb, count_postgres

    plan = make_plan(caller, attributes=attributes, cells=cells, weight=weight, sums=sums)
    root = type(connection).__module__.split(".")[0]
    text = str(connection) if isinstance(connection, (str, os.PathLike)) else ""
    postgres = root == "psycopg" or text.startswith(("postgresql://", "postgres://")) or (
        isinstance(connection, str) and "dbname=" in connection and not Path(connection).exists())
    if postgres:
        raw = count_postgres(connection, plan, table=table, sql=sql, caller=caller)
        where = "PostgreSQL"
    elif root in ("duckdb", "_duckdb") or text:
        raw = count_duckdb(connection, plan, table=table, sql=sql, caller=caller)
        where = "DuckDB"
    else:
        msg = (f"{caller}(): `connection` must be a PostgreSQL conninfo or connection, or a DuckDB "
               f"path or connection; got {type(connection).__name__}.")
        raise InvalidParameterError(msg)
    if table is not None:
        name = table if isinstance(table, str) else ".".join(map(str, table))
        where = f"the {where} table {name!r}"
    else:
        where = f"the {where} query"
    return finish(plan, raw, caller=caller, source=where)
