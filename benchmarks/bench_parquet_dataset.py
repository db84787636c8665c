"""A generated Parquet dataset of many files (1e9 rows by default), counted where it lives.

Run by hand (not a test); every ratio compares figures measured in this run:

    python benchmarks/bench_parquet_dataset.py [--rows 1e9] [--file-rows 1e7] [--dir DIR] [--keep]

Data: ``--rows`` rows in files of ``--file-rows``: sex (2 levels) and race (5 levels) as
dictionary-encoded text, outcome ``y`` and decision ``p`` as 0/1 int8 (no weight: a float
column of 1e9 rows would be 8 GB on disk). Measured:

- Dask: ``count_long`` of ``dd.read_parquet(DIR)`` (what ``audit(ddf, ...)`` runs), with
  Dask's default fsspec reader, on a ``LocalCluster`` of 2 workers x 1 thread: wall time, rows per second per core, and each worker's peak resident
  memory; against the in-memory counter on one file's rows in this process (1 core), the
  per-core throughput the issue compares with; and two floors on one core without Dask:
  Arrow's Parquet reader alone, and reader + counter.
- DuckDB: ``count_file(DIR, engine="duckdb")`` (the push-down ``audit("DIR")`` runs) against
  a hand-written ``SELECT sex, race, y, p, COUNT(*) ... GROUP BY`` on the same files.

The dataset is deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from _timing import best_of

CELLS = {"y_true": ("equals", "y", 1), "y_pred": ("equals", "p", 1)}
ATTRIBUTES = ["sex", "race"]


def generate(directory: Path, rows: int, file_rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sexes = pa.array(["female", "male"])
    races = pa.array(["asian", "black", "hispanic", "other", "white"])
    for i, start in enumerate(range(0, rows, file_rows)):
        n = min(file_rows, rows - start)
        rng = np.random.default_rng(i)
        sex = rng.integers(0, 2, n, dtype=np.int8)
        race = rng.integers(0, 5, n, dtype=np.int8)
        y = (rng.random(n, dtype=np.float32) < 0.3 + 0.1 * sex).astype(np.int8)
        p = (rng.random(n, dtype=np.float32) < 0.2 + 0.075 * race + 0.3 * y).astype(np.int8)
        table = pa.table({"sex": pa.DictionaryArray.from_arrays(sex, sexes),
                          "race": pa.DictionaryArray.from_arrays(race, races), "y": y, "p": p})
        pq.write_table(table, directory / f"part-{i:05d}.parquet", row_group_size=1_000_000)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dask_run(directory: Path, rows: int, file_rows: int) -> None:
    import dask.dataframe as dd
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    from biasaudit._engines import count_long

    first = next(iter(sorted(directory.glob("*.parquet"))))
    columns = ATTRIBUTES + ["y", "p"]
    one = pq.read_table(first).to_pandas()
    count_long(one, attributes=ATTRIBUTES, cells=CELLS)
    memory_rate = len(one) / best_of(lambda: count_long(one, attributes=ATTRIBUTES, cells=CELLS), 3)
    # Floors on one core, in this process: Arrow's Parquet reader alone, and reader + counter
    # with nothing of Dask (what any per-file counter on a worker could reach at best).
    read_rate = len(one) / best_of(lambda: pq.read_table(first, columns=columns, use_threads=False), 3)
    both_rate = len(one) / best_of(lambda: count_long(pq.read_table(first, columns=columns, use_threads=False)
                                                    .to_pandas(), attributes=ATTRIBUTES, cells=CELLS), 3)
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                      memory_limit="2GiB") as cluster, Client(cluster) as client:
        # Dask's default reader (fsspec): filesystem="arrow" fuses these small, well-compressed
        # files into partitions of about 1e8 rows, which overflow a 2 GiB worker.
        ddf = dd.read_parquet(str(directory))
        count_long(ddf.partitions[:2], attributes=ATTRIBUTES, cells=CELLS)  # warm both workers' imports
        t = time.perf_counter()
        # the floor of any counter on the workers: read the used columns into pandas, count nothing
        ddf[columns].map_partitions(len, meta=(None, "int64")).compute()
        read_wall = time.perf_counter() - t
        t = time.perf_counter()
        out = count_long(ddf, attributes=ATTRIBUTES, cells=CELLS)
        wall = time.perf_counter() - t
        peaks = client.run(_peak_rss_mb)
    assert int(out["rows"].sum()) == rows, (int(out["rows"].sum()), rows)
    rate = rows / wall / 2
    print(f"Dask, {rows:.1e} rows in {-(-rows // file_rows)} Parquet files, 2 workers x 1 thread")
    print(f"  read only (len of each partition)  {read_wall:8.1f} s  {rows / read_wall / 2 / 1e6:6.1f} M rows/s/core")
    print(f"  count_long(dd.read_parquet(DIR))   {wall:8.1f} s  {rate / 1e6:6.1f} M rows/s/core"
          f"   x{wall / read_wall:.2f} the read alone; in-memory / Dask per core = x{memory_rate / rate:.2f}")
    print(f"  in-memory count_long, one file (1 core)          {memory_rate / 1e6:6.1f} M rows/s")
    print(f"  Arrow's Parquet read alone, one file (1 thread)  {read_rate / 1e6:6.1f} M rows/s")
    print(f"  read + to_pandas + count_long, one file          {both_rate / 1e6:6.1f} M rows/s: "
          f"in-memory / this floor = x{memory_rate / both_rate:.2f}")
    print("  peak worker memory: " + ", ".join(f"{v:.0f} MB" for v in peaks.values()))


def duckdb_run(directory: Path, rows: int, repeat: int) -> None:
    import duckdb

    from biasaudit._engines import count_file

    glob = str(directory / "*.parquet").replace("'", "''")

    def hand():
        con = duckdb.connect()
        return con.execute(f"SELECT sex, race, y, p, COUNT(*) AS n FROM read_parquet('{glob}') "
                           "GROUP BY sex, race, y, p").fetchall()

    def ours():
        return count_file(directory, attributes=ATTRIBUTES, cells=CELLS, engine="duckdb", progress=False)

    t_hand, t_ours = best_of(hand, repeat), best_of(ours, repeat)
    assert int(ours()["rows"].sum()) == rows
    print(f"DuckDB, {rows:.1e} rows (best of {repeat})")
    print(f"  hand-written GROUP BY   {t_hand:7.2f} s")
    print(f"  count_file(engine=duckdb) {t_ours:7.2f} s   x{t_ours / t_hand:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e9)
    parser.add_argument("--file-rows", type=float, default=1e7)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    rows, file_rows = int(args.rows), int(args.file_rows)
    directory = args.dir or Path(tempfile.mkdtemp(prefix="biasaudit-parquet-"))
    directory.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()}")
    try:
        if not any(directory.glob("*.parquet")):
            t = time.perf_counter()
            generate(directory, rows, file_rows)
            size = sum(f.stat().st_size for f in directory.glob("*.parquet"))
            print(f"generated {rows:.1e} rows, {size / 2**30:.2f} GiB, in {time.perf_counter() - t:.0f} s")
        duckdb_run(directory, rows, args.repeat)
        dask_run(directory, rows, file_rows)
    finally:
        if not args.keep:
            shutil.rmtree(directory, ignore_errors=True)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
