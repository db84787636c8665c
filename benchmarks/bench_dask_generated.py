"""Dask at scale without a file: partitions generated lazily on the workers, counted by
``count_long`` (what ``audit(ddf, ...)`` runs), against a numpy ``bincount`` floor per partition.

    python benchmarks/bench_dask_generated.py --rows 1e8 [--partition-rows 5e6] [--workers 2]

Every partition is generated on a worker from its seed (sex and race as categoricals built
from codes, 0/1 outcome and decision as int8, a float weight), so nothing is read from disk
and nothing is collected: the graphs differ only in what they do with each partition.

- ``generate``: the partition is made and its length returned (the generation cost);
- ``floor``: the partition is made, its combined cell key computed and three ``np.bincount``
  (rows, weight, weight^2) summed: the least any counter must do;
- ``count_long``: the partition is made and counted by the library's counter (``audit()`` of
  a Dask DataFrame), the per-partition long frames summed and checked.

Reported: times, the counting throughput per core with the generation subtracted, the
ratio to the floor, the in-memory counter on one partition in this process (1 core), and
the peak resident memory of each worker (polled every 0.25 s).
"""

from __future__ import annotations

import argparse
import threading
import time

import numpy as np
import pandas as pd

SEX, RACE = ["f", "m"], ["A", "B", "C", "D", "E"]


def make_partition(i: int, rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(1000 + i)
    return pd.DataFrame({
        "sex": pd.Categorical.from_codes(rng.integers(0, 2, rows, dtype=np.int8), SEX),
        "race": pd.Categorical.from_codes(rng.integers(0, 5, rows, dtype=np.int8), RACE),
        "y": rng.integers(0, 2, rows, dtype=np.int8),
        "p": rng.integers(0, 2, rows, dtype=np.int8),
        "w": rng.random(rows) + 0.5,
    })


def floor_counts(frame: pd.DataFrame) -> np.ndarray:
    key = frame["sex"].cat.codes.to_numpy().astype(np.intp) * 5 + frame["race"].cat.codes.to_numpy()
    key = (key * 2 + frame["y"].to_numpy()) * 2 + frame["p"].to_numpy()
    w = frame["w"].to_numpy()
    return np.stack([np.bincount(key, minlength=40), np.bincount(key, weights=w, minlength=40),
                     np.bincount(key, weights=w * w, minlength=40)])


def _peak_memory(client, stop, peaks):
    import psutil

    while not stop.is_set():
        try:
            rss = client.run(lambda: psutil.Process().memory_info().rss)
        except Exception:  # a worker between tasks may not answer: try again
            rss = {}
        for worker, value in rss.items():
            peaks[worker] = max(peaks.get(worker, 0), value)
        stop.wait(0.25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e8)
    parser.add_argument("--partition-rows", type=float, default=5e6)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from biasaudit._engines import count_long

    per = int(args.partition_rows)
    n_parts = max(1, int(args.rows) // per)
    rows = n_parts * per
    meta = make_partition(0, 0)
    kw = dict(attributes=["sex", "race"], cells={"y_true": ("column", "y"), "y_pred": ("column", "p")}, weight="w")

    one = make_partition(0, per)  # the in-memory counter on one partition, this process, 1 core
    t = time.perf_counter()
    count_long(one, **kw)
    mem_s = time.perf_counter() - t
    t = time.perf_counter()
    floor_counts(one)
    floor_mem_s = time.perf_counter() - t
    del one

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None,
                      memory_limit="2GiB") as cluster, Client(cluster) as client:
        def frame():
            return dd.from_map(make_partition, list(range(n_parts)), [per] * n_parts, meta=meta,
                               enforce_metadata=False)

        # warm the workers (imports, first allocations) on a small graph
        count_long(dd.from_map(make_partition, [0, 1], [1000, 1000], meta=meta), **kw)
        peaks: dict = {}
        stop = threading.Event()
        poller = threading.Thread(target=_peak_memory, args=(client, stop, peaks), daemon=True)
        poller.start()
        times = {}
        for _ in range(2):  # the cheaper of two runs: the first one also warms the workers
            t = time.perf_counter()
            total = frame().map_partitions(len, meta=(None, "int64")).sum().compute()
            times["generate"] = min(times.get("generate", np.inf), time.perf_counter() - t)
        assert total == rows
        t = time.perf_counter()
        floor_parts = frame().map_partitions(lambda f: pd.DataFrame(floor_counts(f).reshape(1, -1)), meta=pd.DataFrame(
            np.zeros((0, 120)), columns=range(120)), enforce_metadata=False)
        floor = floor_parts.sum().compute().to_numpy().reshape(3, 40)
        times["floor"] = time.perf_counter() - t
        t = time.perf_counter()
        long = count_long(frame(), **kw)
        times["count_long"] = time.perf_counter() - t
        stop.set()
        poller.join()
    assert int(long["rows"].sum()) == rows == int(floor[0].sum())
    np.testing.assert_allclose(long["weight"].sum(), floor[1].sum(), rtol=1e-9)
    cores = args.workers
    print(f"{rows:.2e} rows in {n_parts} generated partitions of {per:.1e}; LocalCluster {cores} workers x 1 thread")
    print(f"  generate only         {times['generate']:8.1f} s")
    for name in ("floor", "count_long"):
        counting = max(times[name] - times["generate"], 1e-9)
        print(f"  {name:20s}  {times[name]:8.1f} s   counting alone {counting:7.1f} s = "
              f"{rows / counting / cores / 1e6:6.1f} M rows/s/core")
    ratio = (times["count_long"] - times["generate"]) / max(times["floor"] - times["generate"], 1e-9)
    print(f"  count_long / floor (counting alone): x{ratio:.2f}; end to end x{times['count_long'] / times['floor']:.2f}")
    print(f"  in-memory count_long, one partition, 1 core: {per / mem_s / 1e6:6.1f} M rows/s "
          f"(floor {per / floor_mem_s / 1e6:6.1f} M rows/s)")
    print(f"  peak worker memory: {', '.join(f'{v / 2**20:.0f} MB' for v in peaks.values())}")


if __name__ == "__main__":
    main()
