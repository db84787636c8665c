"""How the counting kernel sums a table: scatter-add against a bincount per block, in one process.

Run by hand (not a test):

    python benchmarks/bench_kernel.py [--rows 1e6 1e7] [--repeat 7]

For a score audit (50 groups, 4,000 bins: a table of 400,000 cells; AUC, Brier and ECE,
``fingerprint=False``) and a regression audit (50 groups, 10,100 cells, eight sums), the
kernel's summing is swapped between runs of the same ``audit()`` call: ``np.add.at`` into one
table across blocks of 2^17 rows, or ``np.bincount`` per block of 2^17, 2^18 and 2^20 rows.
Each line is the best of ``--repeat`` calls after one warm-up call, alternated so both see the
same machine. The regression table is small enough for a bincount per block of 2^17 rows in
every variant, so its column shows the run-to-run spread of an unchanged computation.
"""

from __future__ import annotations

import argparse
import math
import os
import warnings

import numpy as np
import pandas as pd
from _timing import best_of

import biasaudit as ba
from biasaudit._tables import _kernel


def _variant(policy):
    """count_cells with every table summed by ``policy``: "scatter" or a bincount block size."""
    original = _kernel.count_cells

    def count_cells(axes, n_rows, sums=None, block_rows=_kernel.BLOCK_ROWS):
        n_cells = math.prod(a.size for a in axes)
        if n_cells * 8 <= block_rows:
            return original(axes, n_rows, sums, block_rows)
        sums = dict(sums or {})
        shift = 0
        for a in axes:
            shift = shift * a.size + int(a.has_missing)
        out = {"rows": np.zeros(n_cells, dtype=np.int64), **{k: np.zeros(n_cells) for k in sums}}
        block = _kernel.BLOCK_ROWS if policy == "scatter" else policy
        buf = np.empty(min(n_rows, block), dtype=np.intp)
        for start in range(0, n_rows, block):
            stop = min(start + block, n_rows)
            idx = buf[: stop - start]
            idx[:] = axes[0].codes[start:stop]
            for a in axes[1:]:
                idx *= a.size
                idx += a.codes[start:stop]
            idx += shift
            if policy == "scatter":
                np.add.at(out["rows"], idx, 1)
                for name, values in sums.items():
                    np.add.at(out[name], idx, values(start, stop))
            else:
                out["rows"] += np.bincount(idx, minlength=n_cells)
                for name, values in sums.items():
                    out[name] += np.bincount(idx, weights=values(start, stop), minlength=n_cells)
        shape = tuple(a.size for a in axes)
        tables = {k: v.reshape(shape) for k, v in out.items()}
        for k, a in enumerate(axes):
            if a.has_missing:
                tables = {name: np.roll(t, -1, axis=k) for name, t in tables.items()}
        return tables

    return count_cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e6, 1e7])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    from biasaudit._tables import _count

    original = _kernel.count_cells
    policies = {"kernel's rule": None, "scatter-add": "scatter", "bincount 2^17": 1 << 17,
                "bincount 2^18": 1 << 18, "bincount 2^20": 1 << 20}
    for n in (int(r) for r in args.rows):
        rng = np.random.default_rng(0)
        codes = rng.integers(0, 50, n)
        g = pd.Categorical.from_codes(codes, [f"g{k:02d}" for k in range(50)])
        y = rng.integers(0, 2, n).astype(np.int8)
        s = 1.0 / (1.0 + np.exp(-(rng.normal(0.0, 1.0, n) + y + 0.02 * codes)))
        amount = rng.normal(40, 10, n)
        predicted = amount + rng.normal(0, 5, n)

        def scores():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ba.audit(y_true=y, y_score=s, protected={"g": g}, score_bins=4000, fingerprint=False,
                         metrics=["roc_auc", "brier_score", "expected_calibration_error"], intersections=False)

        def regression():
            ba.audit(y_true=amount, y_pred=predicted, protected={"g": g}, task="regression").group_metrics

        print(f"\n{n:,} rows, 50 groups (best of {args.repeat})")
        for name, policy in policies.items():
            _count.count_cells = original if policy is None else _variant(policy)
            try:
                t_s, t_r = best_of(scores, args.repeat, warmup=True), best_of(regression, args.repeat, warmup=True)
            finally:
                _count.count_cells = original
            print(f"  {name:15s} score audit (400,000 cells) {t_s * 1e3:8.1f} ms | "
                  f"regression audit (10,100 cells) {t_r * 1e3:7.1f} ms")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
