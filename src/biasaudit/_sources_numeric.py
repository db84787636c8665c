"""Score and regression tables of an external source: bins computed in the engine.

Both need a number before the table can be counted, found by cheap passes in the engine:

- **scores**: the range (binned mode: fixed-width bins over ``[0, 1]`` for probabilities,
  else ``[min, max]``) and the number of distinct scores (exact mode: one bin per distinct
  score). ``score_bins="auto"`` decides by the in-memory rule: exact when there are at
  most 2**22 rows and 2**14 distinct scores, else 4000 fixed-width bins, whose AUC error
  bound is certified from the table. The engine computes the bin of every row with the
  same float operations as the in-memory path (``floor((x - lo) * (n / (hi - lo)))``), so
  the tables are equal, not merely close.
- **amounts**: the range (the prediction histogram's equal-width edges) and the full-sample
  weighted lower median (the split of the scoring rate), found without sorting: a histogram
  of 4096 bins narrows the range until the bin holding the median has few rows, whose
  distinct values are then brought back with their weights (see :func:`lower_median`).

Passes: scores 2 or 3 (range; distinct count when the exact mode is possible; the table); amounts 4 or 5 (range, one or
two histograms, the window of the median, the table).
"""

from __future__ import annotations

import math

import numpy as np

from ._source_common import count, label_cell, table_of
from ._tables._score import _AUTO_SORT_ROWS, BINNED_AXIS, DEFAULT_BINS, EXACT_AXIS, MAX_EXACT_BINS, ScoreTable
from ._tables._score import _check_bins
from .exceptions import AuditError, InvalidParameterError

__all__: list[str] = []

#: Most distinct scores an engine is asked to bring back one per row of the long frame.
MAX_EXACT_SOURCE = 1 << 20
#: Bins of each narrowing histogram of the median search.
MEDIAN_BINS = 4096
#: Rows around the median's bin at which their distinct values are brought back.
MEDIAN_WINDOW_ROWS = 1 << 16


def _summary(data, column, *, distinct: bool, caller):
    from ._engines import _summary

    s = _summary.summarize(data, [column], distinct=[column] if distinct else [], caller=caller)
    lo, hi, n_unique = s[column]
    return s.rows, lo, hi, n_unique


def score_table(data, *, y_true, y_score, attributes, sample_weight, pos_label, thresholds, score_bins, fingerprint,
                caller) -> ScoreTable:
    """The score table (group x y_true x score bin) of an external source."""
    score_bins = _check_bins(score_bins, caller)
    rows, lo, hi, n_unique = _summary(data, y_score, distinct=False, caller=caller)
    # The in-memory rule: "auto" is exact up to 2**22 rows and 2**14 distinct scores; above
    # 2**22 rows it bins without counting distinct scores, so no distinct count is asked for.
    if score_bins == "exact" or (score_bins == "auto" and rows <= _AUTO_SORT_ROWS):
        rows, lo, hi, n_unique = _summary(data, y_score, distinct=True, caller=caller)
    exact = score_bins == "exact" or (score_bins == "auto" and n_unique is not None and n_unique <= MAX_EXACT_BINS)
    sums = {"w_score": ("weighted", y_score), "w_score_sq": ("weighted_sq", y_score)}
    cells: dict = {"y_true": label_cell(y_true, pos_label)}
    weighted = sample_weight is not None
    if exact:
        if n_unique is not None and n_unique > MAX_EXACT_SOURCE:
            msg = (f"{caller}(): score_bins='exact' asks the engine for one group per distinct score; "
                   f"`y_score` has {n_unique:,} (at most {MAX_EXACT_SOURCE:,} from a source counted where it "
                   f"lives). Hint: score_bins='auto' or a number of bins (the AUC's error bound is reported).")
            raise InvalidParameterError(msg)
        cells[EXACT_AXIS] = ("value", y_score)
        long = count(data, attributes, cells, weight=sample_weight, sums=sums, fingerprint=fingerprint,
                     caller=caller)
        long[EXACT_AXIS] = [float(v) for v in long[EXACT_AXIS].tolist()]
        levels = tuple(sorted(set(long[EXACT_AXIS].tolist())))
        axes = [("y_true", (0, 1)), (EXACT_AXIS, levels)]
        return table_of(long, attributes=attributes, cell_axes=axes, family="score", table_type=ScoreTable,
                        fingerprint=fingerprint, weighted=weighted)  # type: ignore[return-value]
    n = DEFAULT_BINS if score_bins in ("auto", "exact") else int(score_bins)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0  # no finite score: the counting pass reports the column
    if lo >= 0.0 and hi <= 1.0:
        lo, hi = 0.0, 1.0
    elif hi == lo:
        hi = lo + 1.0
    grid = lo + (hi - lo) * np.arange(n) / n
    extra = sorted({float(t) for t in thresholds if lo < t < hi})
    # Without thresholds the in-memory path bins by arithmetic; with them, by a binary search
    # of the edges: the grid cell then snaps to the edges, so the codes agree in both cases.
    cells["_grid"] = ("grid", y_score, (lo, n / (hi - lo), False, 0, n, (hi - lo) if extra else None))
    if extra:
        cells["_passed"] = ("rank", y_score, tuple(extra))
    long = count(data, attributes, cells, weight=sample_weight, sums=sums, fingerprint=fingerprint, caller=caller)
    g = long.pop("_grid").to_numpy(dtype=np.intp)
    if extra:
        # Thresholds are edges too: bin = the grid bin's place among all edges, plus the
        # thresholds passed inside that grid bin (an edge shared with the grid counts once).
        edges = np.union1d(grid, np.array(extra))
        passed = long.pop("_passed").to_numpy(dtype=np.intp)
        place = np.searchsorted(edges, grid)
        extra_arr = np.array(extra)
        inside = np.array([int(np.count_nonzero(extra_arr[:k] > grid[b])) for b, k in zip(g, passed)], dtype=np.intp)
        codes = np.clip(place[g] + inside, 0, len(edges) - 1)
        levels = tuple(edges.tolist())
    else:
        codes, levels = g, tuple(grid.tolist())
    long[BINNED_AXIS] = [levels[c] for c in codes]
    axes = [("y_true", (0, 1)), (BINNED_AXIS, levels)]
    return table_of(long, attributes=attributes, cell_axes=axes, family="score", table_type=ScoreTable,
                    fingerprint=fingerprint, weighted=weighted)  # type: ignore[return-value]


# --------------------------------------------------------------------------- amounts


def lower_median(data, column, *, weight, lo: float, hi: float, caller) -> float:
    """The full-sample (weighted) lower median of ``column``, computed in the engine.

    The smallest value ``v`` whose (weighted) share of rows at or below it reaches one half:
    the ``(n - 1) // 2``-th smallest value without weights, as the in-memory path computes.
    Each pass counts a histogram of :data:`MEDIAN_BINS` fixed-width bins over the current
    window (values below and above it in two more bins); the bin where the cumulative
    weight reaches one half, widened by one bin on each side against rounding, is the
    next window. When it holds at most :data:`MEDIAN_WINDOW_ROWS` rows (or after four
    passes) its distinct values come back with their weights, and the median is read
    exactly and checked against the weight below the window.
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo == hi:
        return lo
    a, b = lo, hi
    for step in range(5):
        scale = MEDIAN_BINS / (b - a)
        if step < 4 and math.isfinite(scale) and b > a:
            long = count(data, [], {"bin": ("grid", column, (a, scale, False, 1, MEDIAN_BINS + 2))}, weight=weight,
                         caller=caller)
            mass = _mass(long, weight, MEDIAN_BINS + 2)
            target = _target(mass.sum(), weight)
            c = int(np.searchsorted(np.cumsum(mass), target, side="left"))
            near = slice(max(c - 1, 0), c + 2)
            rows = int(np.bincount(long["bin"], weights=long["rows"], minlength=MEDIAN_BINS + 2)[near].sum())
            a, b = max(lo, a + (c - 2) / scale), min(hi, a + (c + 1) / scale)
            if rows > MEDIAN_WINDOW_ROWS:
                continue
        found = _median_in_window(data, column, weight=weight, a=a, b=b, caller=caller)
        if found is not None:
            return found
        a, b = lo, hi  # rounding put the median outside the window: search the whole range again
    raise AuditError(f"{caller}(): could not locate the median of column {column!r} in the engine.")


def _mass(long, weight, n_bins) -> np.ndarray:
    values = long["rows"] if weight is None else long["weight"]
    return np.bincount(long["bin"].to_numpy(dtype=np.intp), weights=values.to_numpy(dtype=np.float64),
                       minlength=n_bins)


def _target(total, weight) -> float:
    """Cumulative mass the median must reach: half the weight, or the ((n - 1) // 2 + 1)-th row."""
    from ._tables._moment import HALF_SLACK

    # the same slack as in memory, so both paths pick the same value
    return 0.5 * float(total) * (1 - HALF_SLACK) if weight is not None else float((int(round(total)) - 1) // 2 + 1)


def _median_in_window(data, column, *, weight, a, b, caller):
    long = count(data, [], {"v": ("window", column, (a, b))}, weight=weight, caller=caller)
    values = np.array([float(v) for v in long["v"].tolist()])
    mass = (long["rows"] if weight is None else long["weight"]).to_numpy(dtype=np.float64)
    order = np.argsort(values, kind="stable")
    values, mass = values[order], mass[order]
    target = _target(mass.sum(), weight)
    i = int(np.searchsorted(np.cumsum(mass), target, side="left"))
    if i >= len(values) or not math.isfinite(values[i]):
        return None
    return float(values[i])


def _edges(prediction_bins, lo, hi, caller) -> np.ndarray:
    """The interior edges of the prediction histogram, as the in-memory path draws them."""
    bins = prediction_bins
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        if bins < 2:
            raise InvalidParameterError(f"{caller}(): `prediction_bins` must be >= 2; got {bins}.")
        return np.unique(lo + (hi - lo) * np.arange(1, int(bins)) / int(bins)) if hi > lo else np.array([lo])
    edges = np.asarray(bins, dtype=np.float64)
    if edges.ndim != 1 or edges.size < 1 or not np.isfinite(edges).all() or (np.diff(edges) <= 0).any():
        msg = (f"{caller}(): `prediction_bins` must be an integer >= 2 or increasing finite edges; "
               f"got {bins!r}.")
        raise InvalidParameterError(msg)
    return edges


def moment_table(data, *, y_true, y_pred, attributes, sample_weight, prediction_bins, fingerprint, caller):
    """The regression table (moments by above-median split and prediction bin) of an external source."""
    _, lo, hi, _ = _summary(data, y_pred, distinct=False, caller=caller)
    finite = math.isfinite(lo) and math.isfinite(hi)
    edges = _edges(prediction_bins, lo if finite else 0.0, hi if finite else 1.0, caller)
    median = lower_median(data, y_pred, weight=sample_weight, lo=lo, hi=hi, caller=caller) if finite else 0.0
    steps = np.diff(edges)
    if edges.size > 1 and np.allclose(steps, steps[0], rtol=1e-9, atol=0):
        # equal widths: the same arithmetic as the in-memory binning
        bin_cell = ("grid", y_pred, (float(edges[0]), float(steps[0]), True, 1, edges.size + 1))
    else:
        bin_cell = ("rank", y_pred, tuple(edges.tolist()))
    cells = {"above_median": ("rank", y_pred, (float(np.nextafter(median, np.inf)),)), "y_pred_bin": bin_cell}
    sums = {"y_pred": ("weighted", y_pred), "y_pred_sq": ("weighted_sq", y_pred)}
    if y_true is not None:
        sums.update({"y_true": ("weighted", y_true), "y_true_sq": ("weighted_sq", y_true),
                     "abs_error": ("weighted_abs_diff", y_pred, y_true),
                     "sq_error": ("weighted_sq_diff", y_pred, y_true)})
    long = count(data, attributes, cells, weight=sample_weight, sums=sums, fingerprint=fingerprint, caller=caller)
    split = (f"<= {median!r}", f"> {median!r}")
    levels = (-np.inf, *(float(e) for e in edges))
    long["above_median"] = [split[c] for c in long["above_median"].tolist()]
    long["y_pred_bin"] = [levels[c] for c in long["y_pred_bin"].tolist()]
    return table_of(long, attributes=attributes, cell_axes=[("above_median", split), ("y_pred_bin", levels)],
                    family="regression", fingerprint=fingerprint, weighted=sample_weight is not None)
