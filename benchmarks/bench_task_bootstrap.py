"""Speed of the regression and multiclass bootstraps (issue 12).

Run by hand (not a test):  python benchmarks/bench_task_bootstrap.py [--rows 1e5 1e6] [--resamples 999 99]

Data: synthetic amounts and three classes, 10 x 5 = 50 weighted intersectional groups. For each
(rows, resamples) pair it prints the best of --repeat runs of:
- ``audit(task="regression")`` without and with ``n_resamples`` (the row bootstrap is drawn while
  the rows are counted) and the time per replicate-row;
- the bootstrap evidence of the regression result (``disparities`` and ``summary``);
- ``audit(task="multiclass", n_resamples=...)`` with its evidence: the count-level bootstrap, whose
  cost does not depend on the number of rows.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import biasaudit as ba


def best(func, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t)
    return min(times), out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, nargs="+", default=[1e5, 1e6])
    parser.add_argument("--resamples", type=int, nargs="+", default=[999, 99])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    gen = np.random.default_rng(0)
    for rows, reps in zip(args.rows, args.resamples):
        n = int(rows)
        y = gen.normal(size=n)
        p = y + gen.normal(size=n)
        prot = {"g": gen.integers(0, 10, n), "s": gen.integers(0, 5, n)}
        w = gen.uniform(0.5, 2.0, n)
        kw = dict(y_true=y, y_pred=p, protected=prot, sample_weight=w, task="regression", rng=1)
        plain, _ = best(lambda: ba.audit(**kw), args.repeat)
        drawn, r = best(lambda: ba.audit(**kw, n_resamples=reps), args.repeat)
        evidence, _ = best(lambda: (r.with_options().disparities, r.with_options().summary), args.repeat)
        print(f"regression {n:.0e} rows, {reps} replicates: audit {plain:.2f} s; with replicates {drawn:.2f} s "
              f"({(drawn - plain) / (n * reps) * 1e9:.0f} ns per replicate-row); bootstrap evidence {evidence:.2f} s")
        classes = dict(y_true=gen.integers(0, 3, n), y_pred=gen.integers(0, 3, n), protected=prot, sample_weight=w,
                       task="multiclass", rng=1, n_resamples=reps)
        multi, _ = best(lambda: ba.audit(**classes).disparities, args.repeat)
        print(f"multiclass {n:.0e} rows, {reps} replicates: audit with bootstrap evidence {multi:.2f} s")


if __name__ == "__main__":
    main()
