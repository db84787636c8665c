"""Counting where the data live: count_file() against DuckDB's own GROUP BY, and Dask against
the in-memory counter. Run by hand (not a test); every figure comes from one run.

    python benchmarks/bench_scale.py [--parquet-rows 2e7] [--csv-rows 1e7] [--dask-rows 4e6]
                                     [--cli-rows 1e8] [--repeat 3] [--dir DIR]

Data (generated once into --dir, default a temporary folder): 8 columns, 5 used: sex (2
levels, text), race (5, text), y_true, y_pred (0/1 integers), weight (float); unused: age (int),
score (float), note (text). Each measurement runs in a fresh subprocess so its peak memory
(the maximum resident set minus the resident set after imports) is its own:

- biasaudit count_file(engine="arrow"), count_file(engine="duckdb");
- duckdb: a hand-written SELECT sex, race, y, p, COUNT(*), SUM(w), SUM(w*w) ... GROUP BY on the
  same file, in-process (the floor the issue compares with);
- dask: count_long() of the same rows as Parquet partitions on a 2-worker LocalCluster, against
  count_long() of the rows in memory (pandas), as rows per second per core;
- cli (--cli-rows, 0 to skip): the command line `biasaudit audit FILE.parquet` (a fresh process:
  interpreter, imports, the streamed count, the file's SHA-256, the reports in JSON) against a
  fresh Python process running DuckDB's GROUP BY on the same file; wall time and peak RSS of
  each process. The file is deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np

CELLS = {"y_true": ("equals", "y", 1), "y_pred": ("equals", "p", 1)}


def generate(path: Path, rows: int, fmt: str, chunk: int = 2_000_000) -> None:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    sexes, races = np.array(["female", "male"]), np.array(["asian", "black", "hispanic", "other", "white"])
    writer = None
    done = 0
    while done < rows:
        n = min(chunk, rows - done)
        sex = rng.integers(0, 2, n)
        race = rng.integers(0, 5, n)
        y = (rng.random(n) < 0.3 + 0.1 * sex).astype(np.int64)
        p = (rng.random(n) < 0.2 + 0.1 * race / 4 + 0.3 * y).astype(np.int64)
        table = pa.table({"sex": sexes[sex], "race": races[race], "age": rng.integers(18, 90, n),
                          "y": y, "p": p, "score": rng.random(n), "w": rng.random(n) * 2,
                          "note": np.where(rng.random(n) < 0.5, "renewal", "new application")})
        if fmt == "parquet":
            writer = writer or pq.ParquetWriter(path, table.schema)
            writer.write_table(table, row_group_size=1_000_000)
        else:
            with open(path, "ab") as f:
                pcsv.write_csv(table, f, write_options=pcsv.WriteOptions(include_header=done == 0))
        done += n
    if writer:
        writer.close()


RUNNER = textwrap.dedent("""
    import json, resource, sys, time
    import numpy, pandas, pyarrow, pyarrow.dataset, pyarrow.csv, duckdb
    import biasaudit._engines as engines
    kind, path, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
    cells = {"y_true": ("equals", "y", 1), "y_pred": ("equals", "p", 1)}
    def run():
        if kind in ("arrow", "duckdb-engine"):
            return engines.count_file(path, attributes=["sex", "race"], cells=cells, weight="w",
                                      engine="arrow" if kind == "arrow" else "duckdb", progress=False)
        con = duckdb.connect()
        reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
        out = con.execute(f"SELECT sex, race, CAST(y = 1 AS INTEGER) AS y_true, CAST(p = 1 AS INTEGER) "
                          f"AS y_pred, COUNT(*) AS rows, SUM(w) AS weight, SUM(w * w) AS weight_sq "
                          f"FROM {reader}('{path}') GROUP BY ALL").df()
        con.close()
        return out
    def rss_kb():  # resident now, not the peak of the imports
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    import gc; gc.collect()
    base = rss_kb()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = run()
        times.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"median_s": sorted(times)[len(times) // 2], "peak_growth_mb": (peak - base) / 1024,
                      "rows": int(out["rows"].sum()), "groups": len(out)}))
""")


def measure(kind: str, path: Path, repeat: int) -> dict:
    res = subprocess.run([sys.executable, "-c", RUNNER, kind, str(path), str(repeat)],
                         capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def file_comparison(label: str, path: Path, repeat: int) -> None:
    size = path.stat().st_size / 1e6
    print(f"\n{label}: {path.name}, {size:.0f} MB")
    floor = measure("duckdb", path, repeat)
    print(f"  {'DuckDB hand-written GROUP BY':34s} {floor['median_s']:7.2f} s  {floor['peak_growth_mb']:7.0f} MB")
    for kind, name in (("arrow", "count_file(engine='arrow')"), ("duckdb-engine", "count_file(engine='duckdb')")):
        got = measure(kind, path, repeat)
        assert got["rows"] == floor["rows"] and got["groups"] == floor["groups"], (got, floor)
        print(f"  {name:34s} {got['median_s']:7.2f} s  {got['peak_growth_mb']:7.0f} MB   "
              f"time x{got['median_s'] / floor['median_s']:.2f}, memory x"
              f"{got['peak_growth_mb'] / max(floor['peak_growth_mb'], 1):.2f}")


PEAK = textwrap.dedent("""
    import resource, subprocess, sys, time
    t = time.perf_counter()
    subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
    print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
""")
DUCKDB_ONLY = ("import duckdb, sys; duckdb.connect().execute(\"SELECT sex, race, y, p, COUNT(*) FROM "
               "read_parquet('\" + sys.argv[1] + \"') GROUP BY ALL\").fetchall()")


def _process(*command) -> tuple:
    """(wall seconds, peak RSS in MB) of one process running ``command``."""
    done = subprocess.run([sys.executable, "-c", PEAK, *map(str, command)], capture_output=True, text=True,
                          check=True)
    seconds, kib = done.stdout.split()
    return float(seconds), int(kib) / 1024


def cli_comparison(path: Path, repeat: int) -> None:
    out = path.with_suffix(".report")
    cli = [sys.executable, "-m", "biasaudit", "audit", path, "--y-true", "y", "--y-pred", "p", "--protected",
           "sex,race", "--format", "json", "--out", out, "--fail-on", "never"]
    duck = [sys.executable, "-c", DUCKDB_ONLY, path]
    runs = {"cli": [], "duck": []}
    for _ in range(repeat):  # alternated, so both see the same page cache
        runs["duck"].append(_process(*duck))
        runs["cli"].append(_process(*cli))
    med = {k: (sorted(r[0] for r in v)[len(v) // 2], max(r[1] for r in v)) for k, v in runs.items()}
    size = path.stat().st_size / 1e6
    print(f"\nCommand line on {path.name} ({size:.0f} MB), medians of {repeat}, fresh processes")
    print(f"  python -c 'duckdb GROUP BY'        {med['duck'][0]:7.2f} s  {med['duck'][1]:7.0f} MB peak")
    print(f"  biasaudit audit (json report)      {med['cli'][0]:7.2f} s  {med['cli'][1]:7.0f} MB peak   "
          f"time x{med['cli'][0] / med['duck'][0]:.2f}")


def dask_comparison(rows: int, directory: Path) -> None:
    import dask.dataframe as dd
    import pandas as pd
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    from biasaudit._engines import count_long

    parts = directory / "dask_parts"
    parts.mkdir(exist_ok=True)
    per = rows // 8
    for i in range(8):
        if not (parts / f"part-{i}.parquet").exists():
            generate(parts / f"part-{i}.parquet", per, "parquet")
    frame = pd.concat([pq.read_table(parts / f"part-{i}.parquet").to_pandas() for i in range(8)])
    kw = dict(attributes=["sex", "race"], cells=CELLS, weight="w")
    import time

    t = time.perf_counter()
    ref = count_long(frame, **kw)
    mem_s = time.perf_counter() - t
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster):
        ddf = dd.read_parquet(str(parts))
        count_long(ddf, **kw)  # warm the workers' imports
        t = time.perf_counter()
        out = count_long(ddf, **kw)
        dask_s = time.perf_counter() - t
        held = ddf.persist()  # partitions in the workers' memory: counting alone
        count_long(held, **kw)
        t = time.perf_counter()
        held_out = count_long(held, **kw)
        held_s = time.perf_counter() - t
    assert out["rows"].tolist() == ref["rows"].tolist() == held_out["rows"].tolist()
    n = len(frame)
    print(f"\nDask vs in-memory ({n:.1e} rows, 8 Parquet partitions, 2 workers x 1 thread)")
    print(f"  in-memory count_long (1 core)      {mem_s:7.2f} s  {n / mem_s / 1e6:7.1f} M rows/s/core")
    print(f"  Dask count_long (read + count, 2)  {dask_s:7.2f} s  {n / dask_s / 2 / 1e6:7.1f} M rows/s/core")
    print(f"  Dask count_long (persisted, 2)     {held_s:7.2f} s  {n / held_s / 2 / 1e6:7.1f} M rows/s/core")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parquet-rows", type=float, default=2e7)
    parser.add_argument("--csv-rows", type=float, default=1e7)
    parser.add_argument("--dask-rows", type=float, default=4e6)
    parser.add_argument("--cli-rows", type=float, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.mkdtemp(prefix="bench_scale_"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"data in {directory}; cores: {os.cpu_count()}")
    pq_path = directory / f"rows_{int(args.parquet_rows)}.parquet"
    csv_path = directory / f"rows_{int(args.csv_rows)}.csv"
    if args.parquet_rows and not pq_path.exists():
        generate(pq_path, int(args.parquet_rows), "parquet")
    if args.csv_rows and not csv_path.exists():
        generate(csv_path, int(args.csv_rows), "csv")
    if args.parquet_rows:
        file_comparison("Parquet", pq_path, args.repeat)
    if args.csv_rows:
        file_comparison("CSV", csv_path, args.repeat)
    if args.dask_rows:
        dask_comparison(int(args.dask_rows), directory)
    if args.cli_rows:
        cli_path = directory / f"cli_{int(args.cli_rows)}.parquet"
        try:
            generate(cli_path, int(args.cli_rows), "parquet")
            cli_comparison(cli_path, args.repeat)
        finally:  # 1e8 rows take gigabytes: never left behind
            cli_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
