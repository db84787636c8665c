"""Every in-process engine counts the same long frame as a naive recount (hypothesis data)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from _engine_oracle import (
    KW,
    ATTRS,
    CELLS,
    SUMS,
    assert_long_equal,
    naive_long,
    require_engine,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biasaudit._engines import count_database, count_long, source_kind
from biasaudit.exceptions import AuditError, InvalidParameterError

COLUMNS = ["g", "h", "y", "p", "s", "w"]


@st.composite
def row_lists(draw, max_rows=30):
    n = draw(st.integers(0, max_rows))
    row = st.fixed_dictionaries({
        "g": st.sampled_from(["a", "b", "c d", None]),
        "h": st.sampled_from([1, 2, None]),
        "y": st.sampled_from([0, 1, 2]),
        "p": st.booleans(),
        "s": st.one_of(st.sampled_from([0.0, 0.25, 0.5, 1.0]), st.floats(0, 1)),
        "w": st.one_of(st.just(0.0), st.floats(0, 1e3), st.floats(1e-6, 1e-3)),
    })
    return draw(st.lists(row, min_size=n, max_size=n))


def columns(rows):
    return {c: [r[c] for r in rows] for c in COLUMNS}


def to_pandas(rows):
    cols = columns(rows)
    return pd.DataFrame({"g": pd.Series(cols["g"], dtype=object), "h": pd.Series(cols["h"], dtype="Int64"),
                         "y": pd.Series(cols["y"], dtype="Int64"), "p": pd.Series(cols["p"], dtype=bool),
                         "s": pd.Series(cols["s"], dtype=float), "w": pd.Series(cols["w"], dtype=float)})


def to_arrow(rows, chunks=3):
    pa = require_engine("pyarrow")
    schema = pa.schema([("g", pa.string()), ("h", pa.int64()), ("y", pa.int64()), ("p", pa.bool_()),
                        ("s", pa.float64()), ("w", pa.float64())])
    # Several chunks, some empty: engines must not assume one contiguous block.
    bounds = np.linspace(0, len(rows), chunks + 1).astype(int)
    tables = [pa.Table.from_pylist(rows[a:b], schema=schema) for a, b in zip(bounds, bounds[1:])]
    return pa.concat_tables([pa.Table.from_pylist([], schema=schema), *tables])


def to_polars(rows):
    pl = require_engine("polars")
    return pl.from_arrow(to_arrow(rows))


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(rows=row_lists())
def test_pandas_and_arrays_equal_naive(rows):
    expected = naive_long(rows)
    assert_long_equal(count_long(to_pandas(rows), **KW), expected)
    arrays = {c: np.array(v, dtype=object if c in ("g", "h") else None) for c, v in columns(rows).items()}
    if rows:
        assert_long_equal(count_long(arrays, **KW), expected)


@SETTINGS
@given(rows=row_lists())
def test_polars_eager_and_lazy_equal_naive(rows):
    expected = naive_long(rows)
    frame = to_polars(rows)
    assert_long_equal(count_long(frame, **KW), expected)
    assert_long_equal(count_long(frame.lazy(), **KW), expected)


def test_polars_categorical_attribute():
    pl = require_engine("polars")
    rows = [{"g": g, "h": 1, "y": y, "p": bool(y), "s": 0.3, "w": 2.0}
            for g, y in [("x", 1), ("y", 0), (None, 1), ("x", 0), ("x", 1)]]
    frame = to_polars(rows).with_columns(pl.col("g").cast(pl.Categorical))
    assert_long_equal(count_long(frame, **KW), naive_long(rows))


@SETTINGS
@given(rows=row_lists())
def test_arrow_table_and_dataset_equal_naive(rows):
    ds = require_engine("pyarrow.dataset")
    expected = naive_long(rows)
    table = to_arrow(rows)
    assert_long_equal(count_long(table, **KW), expected)
    assert_long_equal(count_long(ds.dataset(table), **KW), expected)
    # Dictionary-encoded attributes are grouped on their indices.
    encoded = table.set_column(0, "g", table.column("g").dictionary_encode())
    assert_long_equal(count_long(encoded, **KW), expected)


@SETTINGS
@given(rows=row_lists())
def test_duckdb_relation_table_and_query_equal_naive(rows):
    duckdb = require_engine("duckdb")
    expected = naive_long(rows)
    con = duckdb.connect()
    try:
        table = to_arrow(rows)
        rel = con.from_arrow(table)
        assert_long_equal(count_long(rel, **KW), expected)
        con.execute("CREATE TABLE decisions AS SELECT * FROM rel")
        assert_long_equal(count_database(con, table="decisions", **KW), expected)
        assert_long_equal(count_database(con, sql="SELECT * FROM decisions", **KW), expected)
    finally:
        con.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=row_lists())
def test_ibis_table_equals_naive(rows):
    ibis = require_engine("ibis")
    assert_long_equal(count_long(ibis.memtable(to_arrow(rows)), **KW), naive_long(rows))


def test_duckdb_file_database(tmp_path):
    duckdb = require_engine("duckdb")
    rows = [{"g": "a", "h": 1, "y": 1, "p": True, "s": 0.9, "w": 1.5},
            {"g": None, "h": None, "y": 0, "p": False, "s": 0.1, "w": 0.5}]
    path = tmp_path / "audit.duckdb"
    con = duckdb.connect(str(path))
    tbl = to_arrow(rows)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute("CREATE SCHEMA s")
    con.execute("CREATE TABLE s.decisions AS SELECT * FROM tbl")
    con.close()
    before = path.read_bytes()
    assert_long_equal(count_database(path, table=("s", "decisions"), **KW), naive_long(rows))
    assert path.read_bytes() == before  # opened read-only


def test_no_weight_means_unit_weights():
    rows = [{"g": "a", "h": 1, "y": 1, "p": True, "s": 0.2, "w": 3.0}] * 3
    out = count_long(to_pandas(rows), attributes=ATTRS, cells=CELLS, sums=SUMS)
    assert_long_equal(out, naive_long(rows, weight=None))
    assert out["weight"].tolist() == [3.0] and out["weight_sq"].tolist() == [3.0]


def test_null_label_is_its_own_group_and_nan_merges_with_null():
    pl = require_engine("polars")
    frame = pl.DataFrame({"g": [1.0, float("nan"), None, 1.0], "y": [1, 1, 0, 0]})
    out = count_long(frame, attributes=["g"], cells={"y_true": ("equals", "y", 1)})
    assert out["g"].tolist() == [1.0, 1.0, None, None]
    assert out["y_true"].tolist() == [0, 1, 0, 1] and out["rows"].tolist() == [1, 1, 1, 1]


def test_no_attributes_and_no_cells():
    df = to_pandas([{"g": "a", "h": 1, "y": 1, "p": True, "s": 0.2, "w": 2.0}] * 4)
    out = count_long(df, attributes=[], cells={}, weight="w")
    assert out["rows"].tolist() == [4] and out["weight"].tolist() == [8.0]


# -- errors --------------------------------------------------------------------------------

def _sources(rows):
    yield "pandas", to_pandas(rows)
    yield "polars", to_polars(rows)
    yield "pyarrow", to_arrow(rows)
    duckdb = require_engine("duckdb")
    yield "DuckDB", duckdb.connect().from_arrow(to_arrow(rows))


ROWS = [{"g": "a", "h": 1, "y": 1, "p": True, "s": 0.2, "w": 2.0},
        {"g": "b", "h": 2, "y": 0, "p": False, "s": 0.7, "w": 1.0}]


@pytest.mark.parametrize("name,source", list(_sources(ROWS)), ids=lambda x: x if isinstance(x, str) else "")
def test_missing_column_names_column_and_source(name, source):
    with pytest.raises(AuditError, match=rf"no column 'weights' in the {name} .*Hint: did you mean 'weight'|"
                                         rf"no column 'weights' in the {name}"):
        count_long(source, attributes=["g"], cells={"y": ("equals", "y", 1)}, weight="weights")


def _with(rows, **changes):
    out = [dict(r) for r in rows]
    out[1].update(changes)
    return out


@pytest.mark.parametrize("changes,match", [
    ({"y": None}, r"column 'y' of the .* has 1 missing value"),
    ({"w": -1.0}, r"column 'w' of the .* non-negative finite number on every row; 1 row"),
    ({"w": float("inf")}, r"column 'w' .* 1 row"),
    ({"w": None}, r"column 'w' .* 1 row"),
    ({"s": 1.5}, r"column 's' .* outside the bin edges \[0.0, 1.0\]"),
    ({"s": float("nan")}, r"column 's' .*(outside the bin edges|missing value|finite number on every row)"),
])
def test_bad_values_raise_in_every_engine(changes, match):
    rows = _with(ROWS, **changes)
    for _, source in _sources(rows):
        with pytest.raises(AuditError, match=match):
            count_long(source, **KW)


def test_column_cell_must_be_zero_one():
    df = to_pandas(ROWS).assign(p=[0.5, 1.0])
    with pytest.raises(AuditError, match=r"column 'p' .* only 0 and 1 .*got 0.5"):
        count_long(df, **KW)


@pytest.mark.parametrize("kwargs,match", [
    (dict(cells={"y": ("equal", "y", 1)}), r"`cells\['y'\]` must be a tuple"),
    (dict(cells={"y": ("bin", "s", [1, 0])}), r"edges .* strictly increasing"),
    (dict(cells={"y": ("equals", "y", None)}), r"must not be missing"),
    (dict(cells={"rows": ("column", "p")}), r"distinct names"),
    (dict(cells={}, sums={"x": ("mean", "s")}), r"`sums\['x'\]` must be"),
    (dict(cells={}, attributes=[1]), r"`attributes` must be a non-empty string"),
])
def test_plan_errors_name_the_argument(kwargs, match):
    args = dict(attributes=["g"], cells={}) | kwargs
    with pytest.raises(InvalidParameterError, match=match):
        count_long(to_pandas(ROWS), **args)


def test_unknown_source_type():
    with pytest.raises(InvalidParameterError, match=r"count_long\(\): `source` must be a pandas, polars"):
        count_long([1, 2], attributes=["g"], cells={})
    with pytest.raises(InvalidParameterError, match=r"audit\(\): `data` must be .*got Series from 'pandas'"):
        count_long(pd.Series([1]), attributes=["g"], cells={}, caller="audit", argument="data")
    pa = require_engine("pyarrow")
    batch = pa.record_batch({"g": ["a", "b", "a"], "y": [1, 0, 0]})
    out = count_long(batch, attributes=["g"], cells={"y": ("equals", "y", 1)})
    assert out["rows"].tolist() == [1, 1, 1] and out["g"].tolist() == ["a", "a", "b"]


def test_kind_is_told_without_importing():
    code = ("import sys, biasaudit._engines as e; "
            "print(sorted(m for m in ('polars','duckdb','dask','pyspark','psycopg','narwhals') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert source_kind(pd.DataFrame()) == "pandas" and source_kind("x.csv") == "file"


def test_missing_library_names_the_extra(monkeypatch):
    import biasaudit._engines._lazy as lazy

    real = lazy.importlib.import_module

    def fake(name, *a):
        if name.startswith("narwhals"):
            raise ImportError("No module named 'narwhals'")
        return real(name, *a)

    monkeypatch.setattr(lazy.importlib, "import_module", fake)
    with pytest.raises(AuditError, match=r'pip install "biasaudit\[polars\]"'):
        count_long(to_polars(ROWS), attributes=["g"], cells={})


def test_database_arguments_are_checked(tmp_path):
    require_engine("duckdb")
    args = dict(attributes=["g"], cells={})
    with pytest.raises(InvalidParameterError, match=r"exactly one of `table` and `sql`"):
        count_database(":memory:", table="t", sql="SELECT 1", **args)
    with pytest.raises(InvalidParameterError, match=r"`table` must be a table name"):
        count_database(":memory:", table=("a", ""), **args)
    with pytest.raises(InvalidParameterError, match=r"`connection` must be a PostgreSQL conninfo"):
        count_database(42, table="t", **args)
    with pytest.raises(AuditError, match=r"DuckDB failed counting table 'nope'"):
        count_database(":memory:", table="nope", **args)


# --------------------------------------------------------------------------- cells of scores and amounts

NUMERIC_CELLS = {
    "grid": ("grid", "s", (0.0, 50.0, False, 0, 50)),  # scores: floor(x * 50), clipped
    "snapped": ("grid", "s", (0.0, 50.0, False, 0, 50, 1.0)),  # bins of a search of k / 50
    "hist": ("grid", "s", (0.1, 0.07, True, 1, 14)),  # histogram: floor((x - 0.1) / 0.07) + 1
    "rank": ("rank", "s", (0.25, 0.5, 0.7500000000000001)),
    "window": ("window", "s", (0.3, 0.6)),
}
PAIR_SUMS = {"cross": ("weighted_product", "s", "w"), "abs": ("weighted_abs_diff", "s", "w"),
             "sq": ("weighted_sq_diff", "s", "w")}


def _naive_numeric(rows) -> dict:
    import bisect
    import math

    out = {}
    for r in rows:
        x, w = float(r["s"]), float(r["w"])
        grid = min(max(math.floor((x - 0.0) * 50.0), 0), 49)
        snapped = bisect.bisect_right([0.0 + 1.0 * k / 50 for k in range(50)], x) - 1
        hist = min(max(math.floor((x - 0.1) / 0.07) + 1, 0), 13)
        rank = bisect.bisect_right([0.25, 0.5, 0.7500000000000001], x)
        window = -math.inf if x < 0.3 else math.inf if x > 0.6 else x
        key = (None if r["g"] is None else r["g"], grid, max(snapped, 0), hist, rank, window)
        acc = out.setdefault(key, [0, 0.0, 0.0, 0.0, 0.0, 0.0])
        for i, v in enumerate((1, w, w * w, w * (x * w), w * abs(x - w), w * ((x - w) * (x - w)))):
            acc[i] += v
    return out


@st.composite
def numeric_rows(draw):
    # values on bin edges (multiples of 1/1000 and of 1/50) and anywhere in [0, 1]
    x = st.one_of(st.integers(0, 1000).map(lambda k: k / 1000), st.integers(0, 50).map(lambda k: k / 50),
                  st.floats(0, 1))
    row = st.fixed_dictionaries({"g": st.sampled_from(["a", "b", None]), "s": x, "w": st.floats(0, 10)})
    return draw(st.lists(row, min_size=1, max_size=40))


@SETTINGS
@given(rows=numeric_rows())
def test_numeric_cells_and_pair_sums_equal_naive_in_every_engine(rows):
    _check_numeric(rows)


def test_numeric_cells_on_every_edge():
    # every edge of the grids: the engines' float operations must be numpy's (polars, for one,
    # rewrites a division by a constant as a product with its reciprocal unless prevented)
    values = [k / 50 for k in range(51)] + [k / 1000 for k in range(1001)] + [0.1 + 0.07 * k for k in range(14)]
    _check_numeric([{"g": "ab"[i % 2], "s": v, "w": 1.0 + i % 3} for i, v in enumerate(values)])


def _check_numeric(rows):
    pl, duckdb = require_engine("polars"), require_engine("duckdb")
    kw = dict(attributes=["g"], cells=NUMERIC_CELLS, weight="w", sums=PAIR_SUMS)
    keys = ["g", *NUMERIC_CELLS]
    expected = _naive_numeric(rows)
    frame = pd.DataFrame({"g": pd.Series([r["g"] for r in rows], dtype=object),
                          "s": [float(r["s"]) for r in rows], "w": [float(r["w"]) for r in rows]})
    con = duckdb.connect()
    try:
        sources = {"pandas": frame, "polars": pl.from_pandas(frame), "lazy": pl.from_pandas(frame).lazy(),
                   "duckdb": con.from_df(frame)}
        for name, source in sources.items():
            assert_long_equal(count_long(source, **kw), expected, keys=keys)
        con.register("f", frame)
        assert_long_equal(count_database(con, sql="SELECT * FROM f", **kw), expected, keys=keys)
    finally:
        con.close()
