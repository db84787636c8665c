"""Would a score table with the sum of s^2 per (group, outcome) instead of per bin count faster?

Run by hand (not a test):

    python benchmarks/bench_score_layout.py [--rows 1e7] [--repeat 7]

Issue 11 asks a binned score audit of 1e7 rows to be within 4x of one ``np.bincount`` over
precomputed (group, y, bin) codes. The kernel keeps three sums per cell (rows, sum of s, sum
of s^2), each a bincount into a 400,000-cell table (50 groups, 4,000 bins). Brier and
Spiegelhalter's test read s^2 only summed over the bins, so one proposal was to keep it per
(group, outcome): a bincount into 100 cells instead of 400,000. This script measures both
layouts as the kernel runs them (blocks of 2^20 rows, the caller's thread building the index
and counting rows while a helper sums the scores), bare numpy, no library code:

- *per bin*: the helper sums s and s^2 into the 400,000 cells;
- *per group and outcome*: the helper sums s into the 400,000 cells and s^2 into 100.

It prints the best of ``--repeat`` runs of each, alternated, against one bincount over the
precomputed codes measured in the same run.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

GROUPS, BINS, BLOCK = 50, 4000, 1 << 20


def _index(g, y, s, start, out, pair=None):
    """The cell index of one block (and, if asked, its (group, outcome) code) as the kernel builds it."""
    block = s[start:start + BLOCK]
    m = block.size
    bins = np.empty(m, dtype=np.intp)
    np.multiply(block, BINS, out=bins, casting="unsafe")
    np.minimum(bins, BINS - 1, out=bins)
    idx = out[:m]
    idx[:] = g[start:start + BLOCK]
    idx *= 2
    idx += y[start:start + BLOCK]
    if pair is not None:
        pair[:m] = idx
    idx *= BINS
    idx += bins
    return idx


def count(g, y, s, pool, per_bin: bool):
    n, cells = s.size, GROUPS * 2 * BINS
    rows, s_sum = np.zeros(cells, np.int64), np.zeros(cells)
    sq_sum = np.zeros(cells if per_bin else GROUPS * 2)
    buffers = [np.empty(BLOCK, np.intp) for _ in range(2)]
    pairs = [np.empty(BLOCK, np.intp) for _ in range(2)]
    squares = np.empty(BLOCK)

    def helper(idx, pair, start):
        block = s[start:start + BLOCK]
        s_sum.__iadd__(np.bincount(idx, weights=block, minlength=cells))
        sq = np.multiply(block, block, out=squares[:block.size])
        if per_bin:
            sq_sum.__iadd__(np.bincount(idx, weights=sq, minlength=cells))
        else:
            sq_sum.__iadd__(np.bincount(pair[:block.size], weights=sq, minlength=GROUPS * 2))

    idx = _index(g, y, s, 0, buffers[0], None if per_bin else pairs[0])
    for k, start in enumerate(range(0, n, BLOCK)):
        pending = pool.submit(helper, idx, pairs[k % 2], start)
        rows.__iadd__(np.bincount(idx, minlength=cells))
        following = None
        if start + BLOCK < n:
            following = _index(g, y, s, start + BLOCK, buffers[(k + 1) % 2], None if per_bin else pairs[(k + 1) % 2])
        pending.result()
        if following is not None:
            idx = following
    return rows, s_sum, sq_sum


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=float, default=1e7)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    n = int(args.rows)
    rng = np.random.default_rng(0)
    g = rng.integers(0, GROUPS, n).astype(np.int8)
    y = rng.integers(0, 2, n).astype(np.int8)
    s = rng.random(n)
    codes = (g.astype(np.intp) * 2 + y) * BINS + np.minimum((s * BINS).astype(np.intp), BINS - 1)
    times: dict[str, list] = {"one bincount": [], "per bin": [], "per group and outcome": []}
    with ThreadPoolExecutor(1) as pool:
        a = count(g, y, s, pool, True)
        b = count(g, y, s, pool, False)
        np.testing.assert_allclose(a[2].reshape(GROUPS * 2, BINS).sum(axis=1), b[2], rtol=1e-9)
        for _ in range(args.repeat):
            for name, fn in [("one bincount", lambda: np.bincount(codes, minlength=GROUPS * 2 * BINS)),
                             ("per bin", lambda: count(g, y, s, pool, True)),
                             ("per group and outcome", lambda: count(g, y, s, pool, False))]:
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
    floor = min(times["one bincount"])
    for name, ts in times.items():
        print(f"{name:>24}: best {min(ts):.4f} s, median {float(np.median(ts)):.4f} s, {min(ts) / floor:.2f}x one bincount")


if __name__ == "__main__":
    main()
