"""Speed of the count-level bootstrap against one counting pass and fairlearn's MetricFrame.

Run by hand (not a test):  python benchmarks/bench_bootstrap.py [--rows 1e7] [--resamples 10000]
                                                                [--fairlearn-rows 1e5] [--quick]

Data: synthetic decisions (biasaudit._synthetic), sex (2) x race (5) x age band (5) = 50
intersectional groups. It prints, as the best of --repeat runs (the first, cold run too):
- one counting pass: ``group_counts`` over all rows (validation, encoding, one bincount);
- the bootstrap: --resamples stratified replicates of every rate metric per group and of
  its difference to the largest group, with 95% percentile intervals. Its cost does not
  depend on the number of rows; the target is at most 5 counting passes at 1e7 rows;
- fairlearn ``MetricFrame(..., n_boot=2, ci_quantiles=[0.025, 0.975])`` with 7 metrics at
  --fairlearn-rows rows; its time divided by 3 (the frame itself and 2 replicates, each a
  full pass) is the cost of one replicate, extrapolated linearly to --rows rows and
  --resamples replicates;
- peak memory of the bootstrap call (tracemalloc, a separate run).
"""

from __future__ import annotations

import argparse
import functools
import time
import tracemalloc
import warnings

import numpy as np

import biasaudit as ba
from biasaudit._stats._bootstrap import bootstrap_interval, metric_statistic
from biasaudit._synthetic import synthetic_decisions

GROUPS = ["sex", "race", "age_band"]


def timed(fn, repeat):
    """(first time, best time, last result) over ``repeat`` calls."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return times[0], min(times), out


def values_and_differences(metrics, reference):
    """Statistic: every metric per group, then each one minus the reference group's."""
    values = metric_statistic(metrics)
    n_metrics = len(metrics)

    def statistic(table):
        v = values(table)
        grid = v.reshape(*v.shape[:-1], n_metrics, -1)
        diff = grid - grid[..., reference : reference + 1]
        return np.concatenate([v, diff.reshape(v.shape)], axis=-1)

    return statistic


def fairlearn_time(df, n_boot):
    from fairlearn.metrics import (MetricFrame, false_negative_rate, false_positive_rate, selection_rate,
                                   true_negative_rate, true_positive_rate)
    from sklearn.metrics import accuracy_score, precision_score

    metrics = {
        "selection_rate": selection_rate, "true_positive_rate": true_positive_rate,
        "false_positive_rate": false_positive_rate, "false_negative_rate": false_negative_rate,
        "true_negative_rate": true_negative_rate, "accuracy": accuracy_score,
        "precision": functools.partial(precision_score, zero_division=np.nan),
    }
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = MetricFrame(metrics=metrics, y_true=df["y_true"], y_pred=df["y_pred"],
                            sensitive_features=df[GROUPS], n_boot=n_boot,
                            ci_quantiles=[0.025, 0.975], random_state=0)
        frame.by_group_ci
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=float, default=1e7, help="rows of the audited data")
    parser.add_argument("--resamples", type=int, default=10_000, help="bootstrap replicates")
    parser.add_argument("--fairlearn-rows", type=float, default=1e5, help="rows fairlearn is timed on")
    parser.add_argument("--fairlearn-boot", type=int, default=2, help="MetricFrame n_boot")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="small run: 1e6 rows, 2000 replicates, fairlearn on 2e4 rows")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.resamples, args.fairlearn_rows = 1e6, 2000, 2e4
    warnings.simplefilter("ignore", ba.BiasAuditWarning)
    n_rows, n_fl = int(args.rows), int(args.fairlearn_rows)
    print(f"numpy {np.__version__}, biasaudit {ba.__version__}; {n_rows:,} rows, "
          f"{args.resamples:,} replicates, best of {args.repeat}")

    df = synthetic_decisions(n_rows, rng=0)
    count_first, count_best, counts = timed(
        lambda: ba.group_counts(data=df, y_true="y_true", y_pred="y_pred", group=GROUPS), args.repeat
    )
    rows = counts.rows.reshape(-1, 2, 2)
    n_groups = rows.shape[0]
    metrics = ba.list_metrics(kind="rate")
    reference = int(np.argmax(rows.sum(axis=(1, 2))))
    statistic = values_and_differences(metrics, reference)

    def run():
        return bootstrap_interval(statistic, rows, n_resamples=args.resamples, rng=0)

    boot_first, boot_best, res = timed(run, args.repeat)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    k = res.estimate.size
    print(f"counting pass (group_counts):   {count_best * 1e3:9.1f} ms   (first run {count_first * 1e3:.1f} ms)")
    print(f"bootstrap, {len(metrics)} rate metrics x {n_groups} groups + differences = {k} statistics:")
    print(f"  {args.resamples:,} replicates, percentile: {boot_best * 1e3:9.1f} ms   "
          f"(first run {boot_first * 1e3:.1f} ms), peak memory {peak / 1e6:.0f} MB "
          f"(of which {k * args.resamples * 8 / 1e6:.0f} MB the replicate statistics)")
    print(f"  ratio bootstrap / counting pass: {boot_best / count_best:.1f} (all 13 rate metrics resampled)")
    print(f"  undefined replicates: {int(res.n_undefined.sum())}; widest 95% interval of a rate: "
          f"{np.nanmax((res.high - res.low)[: len(metrics) * n_groups]):.4f}")

    # The library path: audit(n_resamples=...) bootstraps every grouping (sex, race, age band
    # and their 50 intersections), all metrics' differences to the reference, every max-min
    # spread and every criterion; complements (FNR = 1 - TPR, ...) are mirrored, not resampled.
    def audit_bootstrap():
        result = ba.audit_counts(counts, n_resamples=args.resamples, rng=0)
        return result._bootstrap

    lib_first, lib_best, _ = timed(audit_bootstrap, args.repeat)
    print(f"audit(n_resamples={args.resamples:,}) bootstrap, 4 groupings (2 + 5 + 5 + {n_groups} groups), all "
          f"metrics: {lib_best * 1e3:.1f} ms (first run {lib_first * 1e3:.1f} ms)")
    print(f"  ratio to one counting pass: {lib_best / count_best:.1f} (target <= 5 at 1e7 rows)")

    fl_df = df.iloc[:n_fl]
    t_fl = fairlearn_time(fl_df, args.fairlearn_boot)
    per_replicate = t_fl / (args.fairlearn_boot + 1)
    extrapolated = per_replicate * (n_rows / n_fl) * args.resamples
    ours = count_best + boot_best
    print(f"fairlearn MetricFrame, 7 metrics, n_boot={args.fairlearn_boot}, {n_fl:,} rows: {t_fl:.2f} s "
          f"= {per_replicate:.2f} s per replicate")
    print(f"  extrapolated to {n_rows:,} rows x {args.resamples:,} replicates: ~{extrapolated:,.0f} s "
          f"(~{extrapolated / 3600:.1f} h)")
    print(f"  speed-up of counting + bootstrap ({ours:.2f} s): ~{extrapolated / ours:,.0f}x")
    print("  (linear in rows from a small size overstates fairlearn when its per-group overhead dominates)")


if __name__ == "__main__":
    main()
