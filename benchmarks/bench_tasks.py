"""Speed of regression and multiclass audits against a bare numpy floor and fairlearn.

Run by hand (not a test):  python benchmarks/bench_tasks.py [--rows 1e7] [--fairlearn-rows 1e6]

Data: 50 groups (pre-encoded int codes for the floors, a pandas categorical for audit()),
continuous y and y_hat, or K = 5 classes, with sample weights. Printed, from one run:

- regression floor: one weighted ``np.bincount`` per sum (w, w^2, w y, w y_hat, w y^2,
  w y_hat^2, w y y_hat, w |e|, w e^2; products computed on the fly), and the same nine
  bincounts alone with the products computed beforehand (the strictest floor); then the moment table
  alone (``count_moments`` on encoded groups, with the prediction-bin and median axes) and
  the whole ``audit()`` (validation, encoding, quantile bins and median, counting, metrics);
- multiclass floor: one ``np.bincount`` over the cell codes ``(g * K + t) * K + p``; then
  ``count_classes`` on encoded groups and the whole ``audit()``;
- at --fairlearn-rows: fairlearn ``MetricFrame`` with scikit-learn's metrics (MAE, MSE, R^2;
  precision and recall with ``average=None`` and the confusion matrix) against ``audit()``
  with its ``group_metrics`` (the best of 9 calls of ``audit()``, after the 1e7-row runs have
  warmed the allocator; fairlearn's single call takes about 10 s). ``audit()`` uses the
  kernel's helper thread (``_kernel.HELPER_THREADS``); the floors are one thread.
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
from biasaudit._encoding import encode_attribute
from biasaudit._tables._classes import count_classes
from biasaudit._tables._moment import count_moments, prediction_edges

K = 5
GROUPS = 50


def data(n, seed=0):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, GROUPS, n)
    y = rng.normal(40, 10, n)
    y_hat = y + rng.normal(0, 5, n)
    w = rng.uniform(0.5, 2.0, n)
    t = rng.integers(0, K, n)
    p = np.where(rng.random(n) < 0.6, t, rng.integers(0, K, n))
    group = pd.Categorical.from_codes(codes, [f"g{i:02d}" for i in range(GROUPS)])
    return codes, group, y, y_hat, w, t, p


def regression_floor(codes, y, y_hat, w):
    e = y_hat - y
    for q in (w, w * w, w * y, w * y_hat, w * y * y, w * y_hat * y_hat, w * y * y_hat, w * np.abs(e), w * e * e):
        np.bincount(codes, weights=q, minlength=GROUPS)


def multiclass_floor(codes, t, p):
    return np.bincount((codes * K + t) * K + p, minlength=GROUPS * K * K)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--fairlearn-rows", type=float, default=1e6)
    args = parser.parse_args()
    n = int(args.rows)
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}; "
          f"{n:,} rows, {GROUPS} groups")
    codes, group, y, y_hat, w, t, p = data(n)
    enc = [encode_attribute(group, "g")]
    edges, median = prediction_edges(y_hat, w, 100, caller="bench")
    floor = best_of(lambda: regression_floor(codes, y, y_hat, w))
    e = y_hat - y
    quantities = [w, w * w, w * y, w * y_hat, w * y * y, w * y_hat * y_hat, w * y * y_hat, w * np.abs(e), w * e * e]
    bare = best_of(lambda: [np.bincount(codes, weights=q, minlength=GROUPS) for q in quantities])
    del quantities, e
    table = best_of(lambda: count_moments(enc, y, y_hat, weight=w, edges=edges, median=median,
                                          fingerprint=False, caller="bench"))
    full = best_of(lambda: ba.audit(y_true=y, y_pred=y_hat, protected={"g": group}, sample_weight=w,
                                    task="regression", fingerprint=False))
    print(f"regression  floor (9 weighted bincounts) {floor:7.3f} s | moment table {table:7.3f} s "
          f"({table / floor:.2f}x) | audit() {full:7.3f} s ({full / floor:.2f}x)")
    print(f"            the 9 bincounts alone, products given {bare:7.3f} s | moment table {table / bare:.2f}x | "
          f"audit() {full / bare:.2f}x")
    floor = best_of(lambda: multiclass_floor(codes, t, p))
    table = best_of(lambda: count_classes(enc, t, p, tuple(range(K)), weight=None, fingerprint=False,
                                          caller="bench"))
    full = best_of(lambda: ba.audit(y_true=t, y_pred=p, protected={"g": group}, task="multiclass",
                                    fingerprint=False))
    print(f"multiclass  floor (1 bincount of cells)  {floor:7.3f} s | K x K table  {table:7.3f} s "
          f"({table / floor:.2f}x) | audit() {full:7.3f} s ({full / floor:.2f}x)")

    from fairlearn.metrics import MetricFrame
    from sklearn.metrics import confusion_matrix, mean_absolute_error, mean_squared_error, precision_score, \
        r2_score, recall_score

    m = int(args.fairlearn_rows)
    sub = slice(0, m)
    ours = best_of(lambda: ba.audit(y_true=y[sub], y_pred=y_hat[sub], protected={"g": group[sub]},
                                    task="regression").group_metrics, repeat=9)
    t0 = time.perf_counter()
    MetricFrame(metrics={"mae": mean_absolute_error, "mse": mean_squared_error, "r2": r2_score},
                y_true=y[sub], y_pred=y_hat[sub], sensitive_features=group[sub]).by_group
    theirs = time.perf_counter() - t0
    print(f"{m:,} rows  regression: fairlearn MetricFrame {theirs:7.3f} s | audit() {ours:7.4f} s "
          f"({theirs / ours:,.0f}x faster)")
    labels = list(range(K))
    ours = best_of(lambda: ba.audit(y_true=t[sub], y_pred=p[sub], protected={"g": group[sub]},
                                    task="multiclass").group_metrics, repeat=9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        MetricFrame(metrics={
            "precision": lambda a, b: precision_score(a, b, labels=labels, average=None),
            "recall": lambda a, b: recall_score(a, b, labels=labels, average=None),
            "confusion": lambda a, b: confusion_matrix(a, b, labels=labels)},
            y_true=t[sub], y_pred=p[sub], sensitive_features=group[sub]).by_group
        theirs = time.perf_counter() - t0
    print(f"{m:,} rows  multiclass: fairlearn MetricFrame {theirs:7.3f} s | audit() {ours:7.4f} s "
          f"({theirs / ours:,.0f}x faster)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
