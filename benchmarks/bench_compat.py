"""Speed of biasaudit.compat.fairlearn against fairlearn itself, on the same data, in one run.

Run by hand (not a test):  python benchmarks/bench_compat.py [--rows 1e6] [--repeat 5] [--features category]

Data: binary labels and predictions, positive sample weights, and two sensitive features,
sex (2 values) and race (5 values), as pandas categoricals (``--features object`` uses
Python strings instead, which both libraries must hash). Each call is timed with and
without weights: fairlearn once (it takes seconds), biasaudit as the best of ``--repeat``.
The results of both are checked equal (to 1e-12) before the ratio is printed.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd

import biasaudit.compat.fairlearn as bf


def best_of(fn, repeat):
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return min(times), value


def make_data(n, features, seed=0):
    rng = np.random.default_rng(seed)
    sex = rng.choice(np.array(["Female", "Male"], dtype=object), n)
    race = rng.choice(np.array(["A", "B", "C", "D", "E"], dtype=object), n, p=[0.4, 0.3, 0.15, 0.1, 0.05])
    y_true = (rng.random(n) < 0.4).astype(np.int64)
    y_pred = (rng.random(n) < np.where(y_true == 1, 0.7, 0.2)).astype(np.int64)
    frame = pd.DataFrame({"sex": sex, "race": race})
    if features == "category":
        frame = frame.astype("category")
    return y_true, y_pred, frame, rng.uniform(0.5, 2.0, n)


def cases(flm, skm):
    metrics_fl = {"accuracy": skm.accuracy_score, "precision": skm.precision_score, "recall": skm.recall_score,
                  "selection_rate": flm.selection_rate, "false_positive_rate": flm.false_positive_rate}
    yield "demographic_parity_difference", flm.demographic_parity_difference, bf.demographic_parity_difference
    yield "equalized_odds_difference", flm.equalized_odds_difference, bf.equalized_odds_difference

    def frame_of(lib):
        def run(y_true, y_pred, *, sensitive_features, sample_weight=None):
            params = None if sample_weight is None else {k: {"sample_weight": sample_weight} for k in metrics_fl}
            mf = lib.MetricFrame(metrics=metrics_fl, y_true=y_true, y_pred=y_pred,
                                 sensitive_features=sensitive_features, sample_params=params)
            return mf.by_group.to_numpy()
        return run

    yield "MetricFrame(5 metrics).by_group", frame_of(flm), frame_of(bf)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--features", choices=["category", "object"], default="category")
    parser.add_argument("--only", default=None, help="run the calls whose name starts with this")
    parser.add_argument("--weights", choices=["both", "yes", "no"], default="both")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    import fairlearn
    import fairlearn.metrics as flm
    import sklearn.metrics as skm

    n = int(args.rows)
    y_true, y_pred, features, weights = make_data(n, args.features)
    print(f"{n:,} rows; sex x race ({args.features}); fairlearn {fairlearn.__version__}, numpy {np.__version__}, "
          f"pandas {pd.__version__}")
    print(f"{'call':<34} {'weights':<8} {'fairlearn':>11} {'biasaudit':>11} {'ratio':>9}")
    ratios = []
    for name, slow, fast in cases(flm, skm):
        if args.only and not name.startswith(args.only):
            continue
        for w in {"both": (None, weights), "yes": (weights,), "no": (None,)}[args.weights]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t_slow, v_slow = best_of(lambda: slow(y_true, y_pred, sensitive_features=features,
                                                      sample_weight=w), 1)
                t_fast, v_fast = best_of(lambda: fast(y_true, y_pred, sensitive_features=features,
                                                      sample_weight=w), args.repeat)
            np.testing.assert_allclose(v_fast, v_slow, rtol=0, atol=1e-12)
            ratios.append(t_slow / t_fast)
            print(f"{name:<34} {'yes' if w is not None else 'no':<8} {t_slow:>10.3f}s {t_fast * 1e3:>9.2f}ms "
                  f"{t_slow / t_fast:>8,.0f}x")
    print(f"smallest ratio: {min(ratios):,.0f}x; largest: {max(ratios):,.0f}x")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
