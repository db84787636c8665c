"""Speed of audits whose protected attributes combine into many possible groups (issue 10, row 9).

Run by hand (not a test):  python benchmarks/bench_groups.py [--repeat 3]

Random string attributes, binary labels and decisions; prints the median time of
``audit(df, y_true="y", y_pred="p", protected=[...])`` after one warm-up call, for
6 attributes x 8 levels on 1,500 rows (262,144 combinations, about 1,500 observed) and
4 attributes x 20 levels on 20,000 rows (160,000 combinations), with the load average.
Then, once per case (the report is what the command line pays): the published edition's
disclosure control (``publication(result, min_cell=10)``, CPU time), how many of each
attribute's groups it publishes, and the whole HTML report (``result.report().to_html()``).

Beyond 10^6 combinations the finest table is sparse (only observed combinations): 7 and 8
attributes of 8 to 10 levels on the same 1,500 rows (2.1 million to 100 million
combinations), whose cost should not move with the combinations, and 3 attributes of 300
levels on 200,000 rows (27 million combinations, about 193,000 observed; audit only, its
report would list every group), with the bytes of the table's sums.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd

import biasaudit as ba
from biasaudit._report._published import publication


def run(n_rows, n_attributes, n_levels, repeat, rng, report=True):
    frame = pd.DataFrame({f"a{i}": rng.integers(0, n_levels, n_rows).astype(str) for i in range(n_attributes)})
    frame["y"], frame["p"] = rng.integers(0, 2, n_rows), rng.integers(0, 2, n_rows)
    names = [f"a{i}" for i in range(n_attributes)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # many groups warn: that is the point

        def once():
            return ba.audit(frame, y_true="y", y_pred="p", protected=names)

        once()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            once()
            times.append(time.perf_counter() - t0)
        result = once()
    kind = f"sparse, {len(result.counts.combos):,} observed" if result.counts.is_sparse else "dense"
    table_mb = sum(v.nbytes for v in result.counts.sums.values()) / 1e6
    print(f"{n_attributes} attributes x {n_levels} levels ({n_levels ** n_attributes:,} combinations), "
          f"{n_rows:,} rows: audit() median {np.median(times):.3f} s; table {kind}, {table_mb:.1f} MB of sums")
    if not report:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = once()
        start = time.process_time()
        pub = publication(result, min_cell=10)
        protect_s = time.process_time() - start
        gm = result.group_metrics
        shown = sum(pub.size(name, g) for name in names for g in gm.loc[gm["attribute"] == name, "group"])
        start = time.perf_counter()
        html = result.report().to_html()
        report_s = time.perf_counter() - start
    print(f"  disclosure control {protect_s:.2f} CPU s; attribute groups published {shown} of "
          f"{n_attributes * n_levels}; report (model + HTML, {len(html) / 1e6:.1f} MB) {report_s:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    rng = np.random.default_rng(0)
    run(1500, 6, 8, args.repeat, rng)
    run(20000, 4, 20, args.repeat, rng)
    run(1500, 7, 8, args.repeat, rng)
    run(1500, 7, 10, args.repeat, rng)
    run(1500, 8, 10, args.repeat, rng)
    run(200_000, 3, 300, args.repeat, rng, report=False)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
