"""How fast could compiled code count a binned score table? The floor under issue 11's 4x target.

Run by hand (not a test; needs a C compiler and Python's headers):

    python benchmarks/bench_compiled_floor.py [--rows 1e7] [--rounds 9]

Issue 11 asks a binned score audit (1e7 rows, 50 groups, 4,000 bins; AUC, Brier and ECE)
to take at most 4x the time of one ``np.bincount`` over precomputed (group, y, bin) codes.
The library counts with numpy: three bincounts per block (rows, sum of s, sum of s^2) after
building each block's cell index. This script builds ``compiled_floor/fused_scores.c`` (a
fused loop: bin, cell and the three sums in one pass over the rows; not part of the library)
in a temporary folder and times, alternated over ``--rounds`` rounds, in one process:

- ``anchor``: one np.bincount over the precomputed codes (the issue's unit);
- ``numpy, 3 sums``: the three bincounts over the same precomputed codes;
- ``compiled, 1 thread`` and ``compiled, 2 threads`` (each thread half of the rows into its
  own tables, then added);
- ``library count``: the score table as ``audit()`` counts it;
- ``library audit``: ``audit(y_score=..., score_bins=4000, fingerprint=False)`` with the
  three metrics read.

It prints each one's median and fastest time and the median's ratio to the anchor's median.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

import biasaudit as ba
from biasaudit._encoding import encode_attribute
from biasaudit._tables._score import count_scores

GROUPS, BINS = 50, 4000
HERE = Path(__file__).resolve().parent


def build(folder: str):
    """Compile the fused loop into ``folder`` and import it."""
    source = HERE / "compiled_floor" / "fused_scores.c"
    setup = (f"from setuptools import setup, Extension; setup(name='fused_scores', script_args=['build_ext', "
             f"'--build-lib', {folder!r}, '--build-temp', {folder!r}], ext_modules=[Extension('fused_scores', "
             f"[{str(source)!r}], extra_compile_args=['-O3'])])")
    subprocess.run([sys.executable, "-c", setup], check=True, capture_output=True, cwd=folder)
    path = next(Path(folder).glob("fused_scores*.so"))
    spec = importlib.util.spec_from_file_location("fused_scores", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    n = int(args.rows)
    rng = np.random.default_rng(1)
    group = rng.integers(0, GROUPS, n).astype(np.int8)
    y = rng.integers(0, 2, n).astype(np.int8)
    score = 1.0 / (1.0 + np.exp(-(rng.normal(0.0, 1.0, n) + y + 0.02 * group)))
    codes = (group.astype(np.intp) * 2 + y) * BINS + np.minimum((score * BINS).astype(np.intp), BINS - 1)
    cells = GROUPS * 2 * BINS
    labels = pd.Categorical.from_codes(group, [f"g{k:02d}" for k in range(GROUPS)])
    encoded = [encode_attribute(labels, "g")]
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        fused = build(folder)
        pool = ThreadPoolExecutor(1)

        def compiled(start, stop):
            tables = np.zeros(cells, np.int64), np.zeros(cells), np.zeros(cells)
            fused.count(group[start:stop], y[start:stop], score[start:stop], float(BINS), BINS, *tables)
            return tables

        def compiled_two():
            half = pool.submit(compiled, n // 2, n)
            first = compiled(0, n // 2)
            return [a + b for a, b in zip(first, half.result())]

        def audit():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ba.audit(y_true=y, y_score=score, protected={"g": labels}, intersections=False,
                                metrics=["roc_auc", "brier_score", "expected_calibration_error"],
                                score_bins=BINS, fingerprint=False).group_metrics

        runs = {
            "anchor": lambda: np.bincount(codes, minlength=cells),
            "numpy, 3 sums": lambda: (np.bincount(codes, minlength=cells),
                                      np.bincount(codes, weights=score, minlength=cells),
                                      np.bincount(codes, weights=score * score, minlength=cells)),
            "compiled, 1 thread": lambda: compiled(0, n),
            "compiled, 2 threads": compiled_two,
            "library count": lambda: count_scores(encoded, y, score, score_bins=BINS),
            "library audit": audit,
        }
        check = compiled_two()
        assert np.array_equal(check[0], np.bincount(codes, minlength=cells))
        assert np.allclose(check[1], np.bincount(codes, weights=score, minlength=cells), rtol=1e-12, atol=1e-9)
        times: dict = {name: [] for name in runs}
        for name, fn in runs.items():  # warm-up
            fn()
        for _ in range(args.rounds):
            for name, fn in runs.items():
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
    anchor = float(np.median(times["anchor"]))
    print(f"{n:,} rows, {GROUPS} groups, {BINS} bins, {args.rounds} alternated rounds")
    for name, ts in times.items():
        med = float(np.median(ts))
        print(f"  {name:22s} median {med * 1e3:7.1f} ms  fastest {min(ts) * 1e3:7.1f} ms  "
              f"median / anchor {med / anchor:5.2f}x")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
