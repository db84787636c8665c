"""Time of the statistical evidence of many small groups, against a bare numpy floor.

Run by hand (not a test):  python benchmarks/bench_evidence.py [--groups 1000 10000] [--repeat 3]

Data: one protected attribute with G labels (strings), 20 rows each, random 0/1 labels and
predictions (the case of issue 9: thousands of small groups, each compared with one
reference). For each G it prints, from one run:
- audit(): counting and the comparisons (no statistics: they are computed on first access);
- disparities: the first access of ``AuditResult.disparities`` on a fresh result: every
  interval, test, power, minimum detectable difference, equivalence test, the audit-wide
  adjustment, the verdicts with their sentences, and the DataFrame;
- floor: what any tool must at least do for the same comparisons, in bare numpy from
  pre-encoded integer codes: one np.bincount to the (G, 2, 2) table, then for each of the
  audit's rate metrics the rates, the differences to the reference group and a pooled z
  test with its normal p-value; disparities / floor is the ratio to read;
- fisher: the exact test of the same G x metrics 2x2 tables, vectorised
  (two_proportion_test(method="fisher")) against a loop of scipy.stats.fisher_exact
  (timed on 2,000 tables and scaled);
- the same disparities with group sizes drawn from 5 to 50 rows, where fewer tables repeat.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from _timing import best_of
import pandas as pd
from scipy import stats
from scipy.special import ndtr

import biasaudit as ba
from biasaudit._stats import two_proportion_test


def make_data(n_groups, sizes, rng):
    codes = np.repeat(np.arange(n_groups), sizes)
    n = codes.size
    labels = np.array([f"g{i:05d}" for i in range(n_groups)], dtype=object)
    frame = pd.DataFrame({"group": labels[codes], "y_true": rng.integers(0, 2, n), "y_pred": rng.integers(0, 2, n)})
    return frame, codes


def audit(frame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny groups have undefined rates
        return ba.audit(frame, y_true="y_true", y_pred="y_pred", protected=["group"])


def disparities(frame):
    result = audit(frame)
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result.disparities
    return time.perf_counter() - t0, result


def floor(codes, y, p, n_groups):
    t = np.bincount(codes * 4 + y * 2 + p, minlength=4 * n_groups).reshape(n_groups, 2, 2).astype(float)
    tn, fp, fn, tp = t[:, 0, 0], t[:, 0, 1], t[:, 1, 0], t[:, 1, 1]
    n = tn + fp + fn + tp
    # (numerator, denominator) of the 12 proportion metrics of the default audit
    pairs = [(tp + fp, n), (tp + fn, n), (tp, tp + fn), (fp, fp + tn), (fn, tp + fn), (tn, fp + tn),
             (tp, tp + fp), (tn, tn + fn), (fp, tp + fp), (fn, tn + fn), (tp + tn, n), (fp + fn, n)]
    out = []
    with np.errstate(invalid="ignore", divide="ignore"):
        for x, m in pairs:
            rate = x / m
            x2, m2 = x[0], m[0]  # reference: group 0
            diff = rate - rate[0]
            pooled = (x + x2) / (m + m2)
            z = diff / np.sqrt(pooled * (1 - pooled) * (1 / m + 1 / m2))
            out.append((rate, diff, 2 * ndtr(-np.abs(z))))
    return out


def metric_tables(codes, y, p, n_groups):
    """(x1, n1, x2, n2) of every group against group 0, for the 12 proportion metrics."""
    t = np.bincount(codes * 4 + y * 2 + p, minlength=4 * n_groups).reshape(n_groups, 2, 2).astype(float)
    tn, fp, fn, tp = t[:, 0, 0], t[:, 0, 1], t[:, 1, 0], t[:, 1, 1]
    n = tn + fp + fn + tp
    pairs = [(tp + fp, n), (tp + fn, n), (tp, tp + fn), (fp, fp + tn), (fn, tp + fn), (tn, fp + tn),
             (tp, tp + fp), (tn, tn + fn), (fp, tp + fp), (fn, tn + fn), (tp + tn, n), (fp + fn, n)]
    x1 = np.concatenate([x[1:] for x, _ in pairs])
    n1 = np.concatenate([m[1:] for _, m in pairs])
    x2 = np.concatenate([np.full(n_groups - 1, x[0]) for x, _ in pairs])
    n2 = np.concatenate([np.full(n_groups - 1, m[0]) for _, m in pairs])
    keep = (n1 > 0) & (n2 > 0)
    return x1[keep], n1[keep], x2[keep], n2[keep]


def fisher_times(codes, y, p, n_groups):
    x1, n1, x2, n2 = metric_tables(codes, y, p, n_groups)
    vec = best_of(lambda: two_proportion_test(x1, n1, x2, n2, method="fisher"), 3)
    k = min(2000, x1.size)
    t0 = time.perf_counter()
    for a, m, c, q in zip(x1[:k], n1[:k], x2[:k], n2[:k]):
        stats.fisher_exact([[int(a), int(m - a)], [int(c), int(q - c)]])
    loop = (time.perf_counter() - t0) / k * x1.size
    return x1.size, vec, loop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, pandas {pd.__version__}, biasaudit from {ba.__file__}")
    for n_groups in args.groups:
        frame, codes = make_data(n_groups, 20, rng)
        y, p = frame["y_true"].to_numpy(), frame["y_pred"].to_numpy()
        t_audit = best_of(lambda: audit(frame), args.repeat)
        runs = [disparities(frame) for _ in range(args.repeat)]
        t_disp = min(t for t, _ in runs)
        t_floor = best_of(lambda: floor(codes, y, p, n_groups), args.repeat)
        tables, vec, loop = fisher_times(codes, y, p, n_groups)
        sizes = rng.integers(5, 51, n_groups)
        varied, _ = make_data(n_groups, sizes, rng)
        t_varied = min(disparities(varied)[0] for _ in range(args.repeat))
        print(f"{n_groups:>6} groups x 20 rows: audit() {t_audit * 1e3:7.1f} ms | disparities "
              f"{t_disp * 1e3:7.1f} ms | floor {t_floor * 1e3:6.2f} ms | disparities / floor "
              f"{t_disp / t_floor:6.0f}x")
        print(f"{'':>6} fisher on {tables:,} tables: vectorised {vec * 1e3:.1f} ms, scipy loop ~{loop:.2f} s "
              f"({loop / vec:.0f}x) | disparities with 5-50 rows per group: {t_varied * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
