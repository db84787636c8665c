"""Speed and memory of audit() against fairlearn's MetricFrame and a bare numpy floor.

Run by hand (not a test):  python benchmarks/bench_audit.py [--sizes 1e5 1e6 1e7] [--fairlearn-max 1e6]

Data: binary labels and predictions, sex (2), race (5) and age band (5) as pandas
categoricals, 50 intersectional groups. For each size it prints, from one run:
- floor: pre-encoded int codes -> one np.bincount -> the 7 rates (the least any tool can do);
- audit(): the full call (validation, encoding, counting, all tables as arrays), and the same
  plus building the group_metrics and disparities DataFrames;
- the cost of the fingerprint: audit() with it (the default) over audit(fingerprint=False),
  without and with sample weights;
- fairlearn MetricFrame for the same 7 metrics over the 50 intersections (measured up to
  --fairlearn-max rows, extrapolated linearly above it, and marked so);
- peak extra memory of audit() (tracemalloc) over the size of its input columns.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
from _timing import best_of

import biasaudit as ba
from biasaudit._synthetic import synthetic_decisions

SEVEN = ["selection_rate", "true_positive_rate", "false_positive_rate", "false_negative_rate",
         "true_negative_rate", "accuracy", "positive_predictive_value"]


def floor(codes, y, p):
    idx = codes * 4 + y * 2 + p
    t = np.bincount(idx, minlength=200).reshape(50, 2, 2).astype(float)
    tn, fp, fn, tp = t[:, 0, 0], t[:, 0, 1], t[:, 1, 0], t[:, 1, 1]
    n = tn + fp + fn + tp
    with np.errstate(invalid="ignore", divide="ignore"):
        return ((tp + fp) / n, tp / (tp + fn), fp / (fp + tn), fn / (tp + fn), tn / (tn + fp),
                (tp + tn) / n, tp / (tp + fp))


def run_audit(df, tables=False, fingerprint=True, weight=None):
    r = ba.audit(df, y_true="y_true", y_pred="y_pred", protected=["sex", "race", "age_band"], metrics=SEVEN,
                 fingerprint=fingerprint, sample_weight=weight)
    if tables:
        r.group_metrics, r.disparities
    return r


def fairlearn_time(df):
    from fairlearn.metrics import (MetricFrame, false_negative_rate, false_positive_rate, selection_rate,
                                   true_negative_rate, true_positive_rate)
    from sklearn.metrics import accuracy_score, precision_score

    metrics = {"selection_rate": selection_rate, "tpr": true_positive_rate, "fpr": false_positive_rate,
               "fnr": false_negative_rate, "tnr": true_negative_rate, "accuracy": accuracy_score,
               "precision": lambda y, p: precision_score(y, p, zero_division=np.nan)}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        MetricFrame(metrics=metrics, y_true=df["y_true"], y_pred=df["y_pred"],
                    sensitive_features=df[["sex", "race", "age_band"]]).by_group
    return time.perf_counter() - t0


def peak_memory(df):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    run_audit(df)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e5, 1e6, 1e7])
    parser.add_argument("--fairlearn-max", type=float, default=1e6,
                        help="largest size at which fairlearn is run; above it, extrapolated")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ba.BiasAuditWarning)
    print(f"numpy {np.__version__}, biasaudit {ba.__version__}")
    header = (f"{'rows':>10} {'floor':>9} {'audit()':>9} {'no fp':>9} {'+tables':>9} {'x floor':>8} "
              f"{'fp cost':>8} {'w fp cost':>9} {'fairlearn':>11} {'x faster':>9} {'peak MB':>8} {'inputs MB':>9} "
              f"{'peak/in':>8}")
    print(header)
    fl_per_row = None
    for size in args.sizes:
        n = int(size)
        df = synthetic_decisions(n, rng=0)
        codes = (df["sex"].cat.codes.to_numpy().astype(np.intp) * 25
                 + df["race"].cat.codes.to_numpy() * 5 + df["age_band"].cat.codes.to_numpy())
        y, p = df["y_true"].to_numpy(), df["y_pred"].to_numpy()
        t_floor = best_of(lambda: floor(codes, y, p), args.repeat)
        t_audit = best_of(lambda: run_audit(df), args.repeat)
        t_nofp = best_of(lambda: run_audit(df, fingerprint=False), args.repeat)
        w = np.random.default_rng(1).random(n)
        t_w = best_of(lambda: run_audit(df, weight=w), args.repeat)
        t_w_nofp = best_of(lambda: run_audit(df, fingerprint=False, weight=w), args.repeat)
        t_tables = best_of(lambda: run_audit(df, tables=True), args.repeat)
        if n <= args.fairlearn_max:
            t_fl = fairlearn_time(df)
            fl_per_row = t_fl / n
            fl_text = f"{t_fl:10.2f}s"
        else:
            t_fl = fl_per_row * n if fl_per_row else float("nan")
            fl_text = f"~{t_fl:9.1f}s"
        inputs = sum(df[c].to_numpy().nbytes if c.startswith("y") else df[c].cat.codes.nbytes for c in df.columns)
        peak = peak_memory(df)
        print(f"{n:>10,} {t_floor * 1e3:7.1f}ms {t_audit * 1e3:7.1f}ms {t_nofp * 1e3:7.1f}ms "
              f"{t_tables * 1e3:7.1f}ms {t_audit / t_floor:8.2f} {t_audit / t_nofp:8.2f} {t_w / t_w_nofp:9.2f} "
              f"{fl_text:>11} {t_fl / t_audit:9.0f} {peak / 1e6:8.1f} {inputs / 1e6:9.1f} {peak / inputs:8.2f}")
    print("fairlearn figures marked ~ are extrapolated linearly from the largest measured size.")


if __name__ == "__main__":
    main()
