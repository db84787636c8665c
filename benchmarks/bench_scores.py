"""Speed of score audits: per-group AUC, Brier and ECE from one score table.

Run by hand (not a test):  python benchmarks/bench_scores.py [--small 1e6] [--large 1e7] [--groups 50] [--rounds 9]

Prints, from one run, with the load average:
1. At --small rows and --groups groups: audit(y_score=...) computing per-group ROC AUC,
   Brier score and ECE (the default score_bins="auto", which bins these continuous
   scores, and reports the certified AUC bound) against fairlearn
   MetricFrame(metrics={roc_auc_score, brier_score_loss}) over the same groups.
2. At --large rows: the binned score table (4000 bins; the three metrics) against one
   np.bincount over precomputed (group, y, bin) codes: the floor of any counting. The
   audit counts with the compiled counter where it is built (setup.py), and is timed again
   with the numpy kernel alone (what an installation without a C compiler runs); both again
   with two thresholds given up front (0.5, a bin edge, and 1/3, which splits a bin).
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
from _timing import best_of
import pandas as pd

import biasaudit as ba
from biasaudit._tables import _fused

METRICS = ["roc_auc", "brier_score", "expected_calibration_error"]


def data(n, n_groups, seed=0):
    """Groups as a categorical (encoded once, as a data frame column would be), labels, scores."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, n_groups, n)
    g = pd.Categorical.from_codes(codes, [f"g{k:02d}" for k in range(n_groups)])
    y = rng.integers(0, 2, n).astype(np.int8)
    s = 1.0 / (1.0 + np.exp(-(rng.normal(0.0, 1.0, n) + 1.0 * y + 0.02 * codes)))
    return g, y, s


def ours(g, y, s, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = ba.audit(y_true=y, y_score=s, protected={"g": g}, metrics=METRICS,
                     intersections=False, **kw)
    return r


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=float, default=1e6)
    parser.add_argument("--large", type=float, default=1e7)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--skip-small", action="store_true")
    parser.add_argument("--rounds", type=int, default=9, help="alternated rounds of [2]")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")

    n = int(args.small)
    if not args.skip_small:
        small(n, args)
    large(int(args.large), args)
    print(f"load average after: {os.getloadavg()}")


def _with_digest(result):
    return result.group_metrics, result.parameters["data_sha256"]


def small(n, args):
    g, y, s = data(n, args.groups)
    r = ours(g, y, s)
    # the per-group metrics are read, so nothing is left to compute lazily; the digest of
    # the rows is computed when first read (the report reads it), measured apart
    t_ours = best_of(lambda: ours(g, y, s).group_metrics, 3)
    t_digest = best_of(lambda: _with_digest(ours(g, y, s)), 3) - t_ours
    from fairlearn.metrics import MetricFrame
    from sklearn.metrics import brier_score_loss, roc_auc_score

    def fair():
        return MetricFrame(metrics={"roc_auc": roc_auc_score, "brier": brier_score_loss}, y_true=y, y_pred=s,
                           sensitive_features=g).by_group

    t_fair = best_of(fair, 1)
    t_nofp = best_of(lambda: ours(g, y, s, fingerprint=False).group_metrics, 3)
    ref = fair()
    gap = np.abs(r.group_metrics["roc_auc"].to_numpy() - ref["roc_auc"].to_numpy()).max()
    print(f"[1] {n:,} rows, {args.groups} groups, score_bins=auto -> {r.counts.mode} "
          f"{r.counts.cell_shape[-1]} bins")
    print(f"    audit(y_score) AUC+Brier+ECE: {t_ours:.3f} s; fairlearn MetricFrame AUC+Brier: {t_fair:.3f} s; "
          f"ratio {t_fair / t_ours:.0f}x; without the fingerprint {t_nofp:.3f} s, ratio {t_fair / t_nofp:.0f}x")
    print(f"    reading the digest of the rows (deferred until asked for, as by the report) adds about "
          f"{max(t_digest, 0.0) * 1000:.0f} ms; with it read, ratio {t_fair / (t_ours + max(t_digest, 0.0)):.0f}x")
    print(f"    largest per-group AUC gap to scikit-learn {gap:.2e}; certified overall bound "
          f"{r.counts.auc_error_bound:.2e}")



def large(n, args):
    """Alternated rounds, so a slow spell of the shared machine slows every contender alike:
    the ratios of medians and of fastest times are both printed."""
    g, y, s = data(n, args.groups, seed=1)
    bins = 4000
    codes = (g.codes.astype(np.intp) * 2 + y) * bins + np.minimum((s * bins).astype(np.intp), bins - 1)
    m = args.groups * 2 * bins

    def audit(compiled=True, **kw):
        _fused.ENABLED = compiled
        try:
            return ours(g, y, s, score_bins=bins, fingerprint=False, **kw).group_metrics
        finally:
            _fused.ENABLED = True

    thresholds = {"threshold": [0.5, 1 / 3]}  # 1/3 is no bin edge: it splits a bin
    runs = {
        "anchor": lambda: np.bincount(codes, minlength=m),
        "three sums": lambda: (np.bincount(codes, minlength=m), np.bincount(codes, weights=s, minlength=m),
                               np.bincount(codes, weights=s * s, minlength=m)),
        "audit": audit,
        "numpy audit": lambda: audit(False),
        "audit, thresholds": lambda: audit(**thresholds),
        "numpy audit, thresholds": lambda: audit(False, **thresholds),
    }
    times = {name: [] for name in runs}
    for fn in runs.values():  # warm-up
        fn()
    for _ in range(args.rounds):
        for name, fn in runs.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    med = {k: float(np.median(v)) for k, v in times.items()}
    low = {k: min(v) for k, v in times.items()}
    counter = "the compiled counter" if _fused.AVAILABLE else "the numpy kernel (the compiled counter is not built)"
    print(f"[2] {n:,} rows, {args.groups} groups, {bins} bins, {args.rounds} alternated rounds (median; fastest)")
    print(f"    one np.bincount over precomputed codes: {med['anchor']:.3f} s; {low['anchor']:.3f} s")
    print(f"    the table's three sums (rows, sum s, sum s^2) by np.bincount over the same codes: "
          f"{med['three sums']:.3f} s; {low['three sums']:.3f} s")
    for name, label in (("audit", f"counted by {counter}"), ("numpy audit", "counted by the numpy kernel alone"),
                        ("audit, thresholds", f"thresholds 0.5 and 1/3, counted by {counter}"),
                        ("numpy audit, thresholds", "thresholds 0.5 and 1/3, counted by the numpy kernel alone")):
        print(f"    audit(y_score, score_bins={bins}, fingerprint=False) AUC+Brier+ECE, {label}: "
              f"{med[name]:.3f} s; {low[name]:.3f} s; ratio to one bincount {med[name] / med['anchor']:.1f}x; "
              f"{low[name] / low['anchor']:.1f}x")


if __name__ == "__main__":
    main()
