"""The regression family: per-group moments of outcomes and predictions, by prediction bin.

A regression audit needs, per group, the weighted sums of y, y_hat, y^2, y_hat^2,
|y - y_hat| and (y - y_hat)^2. The squared error is summed itself, so that the mean
squared error does not suffer the cancellation of ``y^2 - 2 y y_hat + y_hat^2``; the
cross product then follows from the others, ``sum w y y_hat = (sum w y^2 + sum w
y_hat^2 - sum w (y - y_hat)^2) / 2`` (:func:`cross_product`), so it is not summed (one
pass over the rows fewer). Those sums are kept per cell of two small axes:

- ``above_median`` (``"<= m"``, ``"> m"``): is the prediction strictly above the
  full-sample (weighted, lower) median ``m``? The share of a group above it is the
  scoring rate of New York City's Local Law 144; as an axis of the table it stays a cell
  sum, and the table carries the median it was split at;
- ``y_pred_bin``: the histogram of predictions, bin ``i`` holding ``edges[i-1] <=
  y_hat < edges[i]`` (labelled by its left edge, the first one -inf, the last bin open
  above), for the Kolmogorov-Smirnov distance between groups.

Summing over both axes gives the moments; the counts over ``y_pred_bin`` are the
histogram. Tables with the same edges add like every table.
"""

from __future__ import annotations

import threading

import numpy as np

from ..exceptions import InvalidParameterError
from ._count import count_table

__all__ = ["MOMENT_SUMS", "count_moments", "cross_product", "prediction_edges", "weighted_lower_median"]

#: Per-cell sums of the regression family (each a sum of weight x the quantity).
MOMENT_SUMS = ("y_true", "y_pred", "y_true_sq", "y_pred_sq", "abs_error", "sq_error")


def cross_product(sums) -> np.ndarray:
    """``sum w y y_hat`` from a regression table's sums (any shape, cell by cell).

    Exact in arithmetic; in floating point its error is a few ulps of ``sum w y^2 + sum w
    y_hat^2``, so it is as accurate as a direct sum where ``y`` and ``y_hat`` are close,
    and only absolutely (not relatively) accurate where their product nearly cancels.
    """
    return 0.5 * (np.asarray(sums["y_true_sq"]) + np.asarray(sums["y_pred_sq"]) - np.asarray(sums["sq_error"]))


class _Scratch(threading.local):
    """One buffer per thread for the per-block quantities of a table: a thread of the kernel
    sums each block's quantity before it asks for the next, so its quantities can all be
    written in the same place (the kernel may sum some of them on a second thread)."""

    def __init__(self):
        self.buf = np.empty(0)

    def take(self, n: int) -> np.ndarray:
        if self.buf.size < n:
            self.buf = np.empty(n)
        return self.buf[:n]


class _PerBlock:
    """A per-row quantity computed block by block (``func(block, out)`` writes it into the
    scratch buffer), so no full-length temporary is kept and no block allocates."""

    def __init__(self, func, scratch: _Scratch):
        self.func, self.scratch = func, scratch

    def __getitem__(self, block: slice) -> np.ndarray:
        out = self.scratch.take(block.stop - block.start)
        self.func(block, out)
        return out


#: relative slack of "the cumulative weight reaches one half" (sums of floats round)
HALF_SLACK = 1e-12


def weighted_lower_median(values: np.ndarray, weight: np.ndarray | None) -> float:
    """The smallest value at which the (weighted) share of values at or below it reaches 1/2.

    With weights, a weighted histogram of 4096 equal-width bins finds the bin where the
    cumulative weight crosses one half; only the values of that bin are sorted, so the cost
    is two passes over the rows rather than a full sort.
    """
    if weight is None:
        return _lower_median(values)
    # Reached within rounding: with a constant weight of 3.7 the cumulative sum can fall an
    # ulp short of half the total where the unweighted median sits, and pick the next value.
    half = 0.5 * float(weight.sum()) * (1 - HALF_SLACK)
    lo, hi = float(values.min()), float(values.max())
    if hi == lo:
        return lo
    n_bins = 4096
    codes = np.minimum(((values - lo) * (n_bins / (hi - lo))).astype(np.intp), n_bins - 1)
    cum = np.cumsum(np.bincount(codes, weights=weight, minlength=n_bins))
    b = int(np.searchsorted(cum, half, side="left"))
    below = float(cum[b - 1]) if b > 0 else 0.0
    inside = codes == b
    v, w = values[inside], weight[inside]
    order = np.argsort(v, kind="stable")
    cum_in = below + np.cumsum(w[order])
    return float(v[order][min(int(np.searchsorted(cum_in, half, side="left")), len(v) - 1)])


_SAMPLE = 16384  # rows of the strided sample that brackets the median


def _lower_median(values: np.ndarray) -> float:
    """The ``(n - 1) // 2``-th smallest value, selecting among a few percent of the rows.

    Two order statistics of a strided sample bracket the median (with a margin of about
    four standard errors of a sample quantile); one pass counts the values below the bracket,
    one gathers those inside, and only these are partitioned. If the bracket misses (an
    unlucky stride), the whole array is partitioned: the answer is exact either way.
    """
    n = values.size
    k = (n - 1) // 2
    if n < 16 * _SAMPLE:
        return float(np.partition(values, k)[k])
    sample = values[:: n // _SAMPLE]
    m = sample.size
    at, margin = k * m // n, int(2 * np.sqrt(m)) + 2  # sd of the sample median's rank: sqrt(m) / 2
    ranks = [max(at - margin, 0), min(at + margin, m - 1)]
    lo, hi = np.partition(sample, ranks)[ranks]  # the two order statistics, without a sort
    mask = np.less(values, lo)
    below = int(np.count_nonzero(mask))
    np.logical_not(mask, out=mask)
    mask &= values <= hi
    inside = values[mask]
    if below <= k < below + inside.size:
        return float(np.partition(inside, k - below)[k - below])
    return float(np.partition(values, k)[k])


def prediction_edges(y_pred: np.ndarray, weight, bins, *, caller: str) -> tuple[np.ndarray, float]:
    """Interior edges of the prediction bins, and the full-sample (weighted lower) median.

    ``bins`` is a number of equal-width bins over the predictions' range, or the interior
    edges themselves (increasing, finite): the same edges make tables of chunks addable.
    """
    median = weighted_lower_median(y_pred, weight)
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        if bins < 2:
            raise InvalidParameterError(f"{caller}(): `prediction_bins` must be >= 2; got {bins}.")
        lo, hi = float(y_pred.min()), float(y_pred.max())
        edges = np.unique(lo + (hi - lo) * np.arange(1, int(bins)) / int(bins)) if hi > lo else np.array([lo])
    else:
        edges = np.asarray(bins, dtype=np.float64)
        if edges.ndim != 1 or edges.size < 1 or not np.isfinite(edges).all() or (np.diff(edges) <= 0).any():
            msg = (f"{caller}(): `prediction_bins` must be an integer >= 2 or increasing finite edges; "
                   f"got {bins!r}.")
            raise InvalidParameterError(msg)
    return edges, median


class _EqualWidthCodes:
    """Bins of equal width computed block by block when the kernel slices them.

    ``i`` for ``edges[i-1] <= y_hat < edges[i]`` (open at both ends), by arithmetic instead
    of a binary search per row, and without a full-length array of codes.
    """

    def __init__(self, y_pred: np.ndarray, first: float, width: float, n_edges: int):
        self.y_pred, self.first, self.width, self.n_edges = y_pred, first, width, n_edges
        self._tmp = np.empty(0)
        self._out = np.empty(0, dtype=np.intp)

    def __len__(self) -> int:
        return self.y_pred.size

    def __getitem__(self, block: slice) -> np.ndarray:
        values = self.y_pred[block]
        if self._tmp.size < values.size:
            self._tmp, self._out = np.empty(values.size), np.empty(values.size, dtype=np.intp)
        t, out = self._tmp[: values.size], self._out[: values.size]
        np.subtract(values, self.first, out=t)
        t /= self.width
        np.floor(t, out=t)
        np.clip(t, -1.0, float(self.n_edges - 1), out=t)  # before the cast: no overflow
        np.add(t, 1.0, out=out, casting="unsafe")  # exact: t is a small whole number
        return out


def bin_codes(y_pred: np.ndarray, edges: np.ndarray, *, lazy: bool = False):
    """Bin of each prediction: ``i`` for ``edges[i-1] <= y_hat < edges[i]`` (open at both ends).

    With ``lazy``, equal-width bins come as an object the kernel slices block by block.
    """
    steps = np.diff(edges)
    if edges.size > 1 and np.allclose(steps, steps[0], rtol=1e-9, atol=0):
        codes = _EqualWidthCodes(y_pred, float(edges[0]), float(steps[0]), edges.size)
        return codes if lazy else codes[0:y_pred.size].copy()
    return np.searchsorted(edges, y_pred, side="right")


def median_of(table) -> float:
    """The median the table's ``above_median`` axis splits at."""
    return float(table.cell_axes[0][1][1].split(" ", 1)[1])


def count_moments(encoded, y_true: np.ndarray | None, y_pred: np.ndarray, *, weight, edges: np.ndarray,
                  median: float, fingerprint: bool, caller: str):
    """One pass over the rows into the regression table (see the module docstring)."""
    levels = (-np.inf, *(float(e) for e in edges))
    split = (f"<= {median!r}", f"> {median!r}")
    scratch = _Scratch()

    def error(b, out):
        return np.subtract(y_pred[b], y_true[b], out=out)

    values = {"y_pred": y_pred, "y_pred_sq": _PerBlock(lambda b, out: np.multiply(y_pred[b], y_pred[b], out=out),
                                                       scratch)}
    if y_true is not None:  # without outcomes: predictions alone (mean, histogram, scoring rate)
        values.update({
            "y_true": y_true,
            "y_true_sq": _PerBlock(lambda b, out: np.multiply(y_true[b], y_true[b], out=out), scratch),
            "abs_error": _PerBlock(lambda b, out: np.abs(error(b, out), out=out), scratch),
            "sq_error": _PerBlock(lambda b, out: np.square(error(b, out), out=out), scratch),
        })
    cells = [("above_median", split, y_pred > median), ("y_pred_bin", levels, bin_codes(y_pred, edges, lazy=True))]
    return count_table(encoded, cells, family="regression", weight=weight, values=values,  # type: ignore[arg-type]
                       fingerprint=fingerprint, caller=caller)
