"""Files are counted in batches, reading only the used columns, in bounded memory."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from _engine_oracle import (
    KW,
    CELLS,
    assert_long_equal,
    naive_long,
    require_engine,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from biasaudit._engines import count_file, count_long
from biasaudit._engines._progress import Progress
from biasaudit.exceptions import AuditError



def _rows(n=500, seed=3):
    import random

    rnd = random.Random(seed)
    return [{"g": rnd.choice(["a", "b", "c,d", None]), "h": rnd.choice(["1", "2", None]),
             "y": rnd.choice([0, 1, 2]), "p": rnd.choice([0, 1]), "s": rnd.choice([0.0, 0.25, 1.0, rnd.random()]),
             "w": rnd.choice([0.0, rnd.random() * 10]), "unused": "x" * 5} for _ in range(n)]


ROWS = _rows()
EXPECTED = naive_long(ROWS)


def _frame(rows):
    return pd.DataFrame(rows, columns=["g", "h", "y", "p", "s", "w", "unused"])


def _write(path, rows, fmt):
    frame = _frame(rows)
    if fmt == "parquet":
        frame.to_parquet(path)
        return
    if fmt == "jsonl":
        text = "".join(json.dumps(r) + "\n" for r in rows)
    else:
        buf = io.StringIO()
        frame.to_csv(buf, index=False, sep="\t" if fmt == "tsv" else ",")
        text = buf.getvalue()
    data = text.encode()
    if str(path).endswith(".gz"):
        data = gzip.compress(data)
    elif str(path).endswith(".zst"):
        pa = require_engine("pyarrow")
        out = pa.BufferOutputStream()
        with pa.CompressedOutputStream(out, "zstd") as z:
            z.write(data)
        data = out.getvalue().to_pybytes()
    path.write_bytes(data)


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
@pytest.mark.parametrize("name,fmt", [("d.csv", "csv"), ("d.tsv", "tsv"), ("d.jsonl", "jsonl"),
                                      ("d.csv.gz", "csv"), ("d.csv.zst", "csv"), ("d.jsonl.gz", "jsonl"),
                                      ("d.parquet", "parquet")])
def test_file_formats_equal_naive(tmp_path, name, fmt, engine):
    if engine == "duckdb":
        require_engine("duckdb")
    path = tmp_path / name
    _write(path, ROWS, fmt)
    before = path.read_bytes()
    out = count_file(path, engine=engine, **KW)
    # Text files carry no types: labels are read as text; Parquet keeps them as written.
    assert_long_equal(out, EXPECTED)
    assert path.read_bytes() == before


@pytest.mark.parametrize("engine", ["arrow", "duckdb"])
def test_hive_partitioned_parquet_directory(tmp_path, engine):
    if engine == "duckdb":
        require_engine("duckdb")
    pq = require_engine("pyarrow.parquet")
    pa = require_engine("pyarrow")
    frame = _frame(ROWS).assign(region=[["north", "south", "east"][i % 3] for i in range(len(ROWS))])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pq.write_to_dataset(table, tmp_path / "ds", partition_cols=["region"])
    # an empty file in one partition: an empty fragment must count nothing
    pq.write_table(table.slice(0, 0), tmp_path / "ds" / "region=north" / "empty.parquet")
    rows = [dict(r, region=["north", "south", "east"][i % 3]) for i, r in enumerate(ROWS)]
    out = count_file(tmp_path / "ds", engine=engine, **dict(KW, attributes=["region", "g"]))
    expected = naive_long(rows, attributes=["region", "g"])
    assert_long_equal(out, expected, keys=["region", "g", *CELLS])


@st.composite
def text_rows(draw):
    n = draw(st.integers(0, 25))
    row = st.fixed_dictionaries({
        # "NA" and "" are missing values for both readers alike; quotes, commas and tabs are data.
        "g": st.sampled_from(["a", "b c", 'q"uote', "x,y", "tab\there", "NA", None]),
        "h": st.sampled_from(["1", "2", None]),
        "y": st.sampled_from([0, 1, 2]), "p": st.sampled_from([0, 1]),
        "s": st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), "w": st.sampled_from([0.0, 0.5, 1.25, 3.0]),
        "unused": st.just("u"),
    })
    return draw(st.lists(row, min_size=n, max_size=n))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=text_rows(), fmt=st.sampled_from(["csv", "tsv", "jsonl", "parquet"]))
def test_both_readers_agree_with_naive(tmp_path, rows, fmt):
    if fmt == "tsv":
        rows = [dict(r, g=r["g"].replace("\t", " ") if r["g"] else r["g"]) for r in rows]
    path = tmp_path / f"h.{fmt}"
    path.unlink(missing_ok=True)
    _write(path, rows, fmt)
    # Only untyped text reads "NA" as missing; Parquet and JSON keep the string.
    untyped = fmt in ("csv", "tsv")
    expected = naive_long([dict(r, g=None if r["g"] == "NA" and untyped else r["g"]) for r in rows])
    for engine in ("arrow", "duckdb"):
        if fmt == "jsonl" and not rows:
            continue  # an empty JSON lines file has no columns to find
        assert_long_equal(count_file(path, engine=engine, **KW), expected)


def test_count_long_dispatches_paths(tmp_path):
    path = tmp_path / "d.csv"
    _write(path, ROWS, "csv")
    assert_long_equal(count_long(str(path), **KW), EXPECTED)


def test_missing_column_names_file(tmp_path):
    path = tmp_path / "d.csv"
    _write(path, ROWS, "csv")
    with pytest.raises(AuditError, match=r"no column 'weight' in file '.*d.csv'. Available columns: g, h, y, p, s, w, unused"):
        count_file(path, **dict(KW, weight="weight"))
    with pytest.raises(AuditError, match=r"no such file"):
        count_file(tmp_path / "nope.csv", **KW)
    with pytest.raises(AuditError, match=r"cannot tell the format"):
        count_file(_touch(tmp_path / "d.xlsx"), **KW)


def _touch(path):
    path.write_text("a\n1\n")
    return path


def test_null_cell_in_a_late_batch_raises(tmp_path):
    rows = _rows(n=3000) + [dict(_rows(1)[0], y=None)]
    path = tmp_path / "d.csv"
    _write(path, rows, "csv")
    with pytest.raises(AuditError, match=r"column 'y' of file .* 1 missing value"):
        count_file(path, **KW)


def test_progress_bar_drawn_only_when_asked():
    stream = io.StringIO()
    bar = Progress(100, "counting x", enabled=True, delay=0.0, stream=stream)
    bar.update(50)
    bar.close()
    assert "counting x [" in stream.getvalue() and "100.0%" in stream.getvalue()
    quiet = io.StringIO()  # not a terminal: nothing by default
    bar = Progress(100, "counting x", stream=quiet, delay=0.0)
    bar.update(50)
    bar.close()
    assert quiet.getvalue() == ""


def test_streamed_csv_memory_is_bounded(tmp_path):
    """A ~400 MB CSV is counted by a subprocess whose peak RSS grows by a fraction of its size."""
    path = tmp_path / "big.csv"
    groups = "".join(f"g{i % 7},r{i % 3},{i % 2},{(i // 2) % 2},{(i % 10) / 10},1.5,{'z' * 40}\n"
                     for i in range(2000))
    with open(path, "w") as f:
        f.write("g,h,y,p,s,w,unused\n")
        for _ in range(3400):  # 6.8 million rows
            f.write(groups)
    size = path.stat().st_size
    script = textwrap.dedent(f"""
        import resource, sys
        import pandas  # the baseline: what `import biasaudit` costs anyway
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        from biasaudit._engines import count_file
        out = count_file({str(path)!r}, attributes=["g", "h"], weight="w",
                         cells={{"y_true": ("equals", "y", 1), "y_pred": ("column", "p")}})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(int(out["rows"].sum()), len(out), base * 1024, peak * 1024)
    """)
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env=dict(os.environ), timeout=120)
    total, groups_found, base, peak = map(int, res.stdout.split())
    assert total == 6_800_000 and groups_found == 7 * 3 * 2 * 2
    growth = peak - base
    # The bound: 120 MB of growth (measured: ~75 MB), while the file is ~400 MB and reading
    # it whole with pandas takes over 1 GB.
    assert size > 380e6
    assert growth < 120e6, f"peak RSS grew by {growth / 1e6:.0f} MB on a {size / 1e6:.0f} MB file"
