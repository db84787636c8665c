"""The score family: group x y_true x score bin, with sums of w, w^2, w*s and w*s^2.

A score audit counts every row once into a table whose last axis orders the scores:

- **exact** mode: one bin per distinct score (axis ``"score"``, levels = the scores), so
  every rank statistic (AUC, average precision, the ROC curve) and every threshold
  is exact;
- **binned** mode: fixed-width bins (axis ``"score_bin"``, levels = the lower edges),
  ``[0, 1]`` cut into ``n_bins`` when the scores are probabilities, ``[min, max]``
  otherwise; rows tied in a bin are treated as tied scores, and the AUC's error is
  bounded from the table itself (see :func:`auc_error_bound`).

``"auto"`` counts exactly when there are at most :data:`MAX_EXACT_BINS` distinct scores.
Thresholds given up front become bin edges, so decisions at them are exact in both modes.
"""

from __future__ import annotations

import math
import numbers

from typing import cast

import numpy as np

from ..exceptions import AuditError, InvalidParameterError
from ._count import count_table
from ._fused import score_counter
from ._kernel import value_range
from ._table import Table

__all__ = ["ScoreTable", "auc_error_bound", "bin_scores", "count_scores", "is_probability"]

#: Largest number of distinct scores counted exactly by ``score_bins="auto"``.
MAX_EXACT_BINS = 1 << 14
#: Bins of the binned mode by default: 4000 on [0, 1] puts every decile on a bin edge.
DEFAULT_BINS = 4000
#: Largest number of bins asked for explicitly.
MAX_BINS = 1 << 16
#: Most edges in one fixed-width bin for which a score's bin is found by steps (above: binary search).
_MAX_STEPS = 4
#: Above this many rows, ``"auto"`` bins without first sorting the scores to count them.
_AUTO_SORT_ROWS = 1 << 22

EXACT_AXIS = "score"
BINNED_AXIS = "score_bin"
SCORE_SUMS = ("w_score", "w_score_sq")


class ScoreTable(Table):
    """Table of the score family: ``(*attributes, y_true, score)`` or ``(*attributes, y_true, score_bin)``.

    Sums: ``rows``, ``weight``, ``weight_sq``, ``w_score`` (sum of weight x score) and
    ``w_score_sq`` (sum of weight x score^2). The levels of the last axis are the
    distinct scores (exact mode) or the bins' lower edges (binned mode), in increasing
    order.
    """

    __slots__ = ()

    @property
    def mode(self) -> str:
        """``"exact"`` (one bin per distinct score) or ``"binned"``."""
        return "exact" if self.cell_names[-1] == EXACT_AXIS else "binned"

    @property
    def score_levels(self) -> np.ndarray:
        """Distinct scores (exact) or lower bin edges (binned), increasing."""
        return np.asarray(self.cell_axes[-1][1], dtype=np.float64)

    @property
    def auc_error_bound(self) -> float:
        """Certified bound on the overall AUC's binning error (0 in exact mode)."""
        return float(auc_error_bound(self.total("weight"))) if self.mode == "binned" else 0.0


def _check_bins(score_bins, caller):
    if isinstance(score_bins, str) and score_bins in ("auto", "exact"):
        return score_bins
    if isinstance(score_bins, bool) or not isinstance(score_bins, numbers.Integral) \
            or not 2 <= score_bins <= MAX_BINS:
        msg = (f"{caller}(): `score_bins` must be 'auto', 'exact' or an integer number of bins in "
               f"[2, {MAX_BINS}]; got {score_bins!r}.")
        raise InvalidParameterError(msg)
    return int(score_bins)


def check_scores(values, *, caller) -> tuple[np.ndarray, tuple[float, float]]:
    """Real, finite, one-dimensional scores as float64, and their (minimum, maximum).

    The caller's array is not modified. The range is what binning needs, so the check
    costs no pass of its own: a NaN makes the minimum NaN and an infinity is an end.
    """
    arr = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
    if arr.ndim != 1:
        raise AuditError(f"{caller}(): `y_score` must be one-dimensional; got shape {arr.shape}.")
    if arr.dtype.kind not in "biuf":
        msg = (f"{caller}(): `y_score` must be real numbers (scores or probabilities); got dtype "
               f"{arr.dtype}. Hint: pass the model's score column, not its decisions.")
        raise AuditError(msg)
    arr = arr.astype(np.float64, copy=False)
    lo, hi = value_range(arr) if arr.size else (0.0, 0.0)
    if not (math.isfinite(lo) and math.isfinite(hi)):
        n_nan, n_inf = int(np.isnan(arr).sum()), int(np.isinf(arr).sum())
        msg = (f"{caller}(): `y_score` must be finite; got {n_nan} NaN and {n_inf} infinite scores. "
               f"Hint: drop or impute those rows first.")
        raise AuditError(msg)
    return arr, (lo, hi)


def bin_scores(score: np.ndarray, *, score_bins="auto", thresholds=(), caller="bin_scores", lazy=False,
               score_range: tuple[float, float] | None = None):
    """Bin the scores: (axis name, levels, codes).

    Parameters
    ----------
    score : ndarray of float64
        Finite scores.
    score_bins : "auto", "exact" or int
        Exact mode (one bin per distinct score), binned mode with that many fixed-width
        bins, or exact when there are at most 16,384 distinct scores.
    thresholds : sequence of float
        Values that must be bin edges (binned mode), so decisions at them are exact.
    lazy : bool, default=False
        Binned codes as an object computing each block of codes when sliced (what the
        kernel reads), instead of an array: no full-length array is written and read.
    score_range : (float, float), optional
        The scores' minimum and maximum when already known (:func:`check_scores`).

    Returns
    -------
    (str, tuple of float, ndarray of intp)

    Examples
    --------
    >>> import numpy as np
    >>> bin_scores(np.array([0.2, 0.9, 0.2]))
    ('score', (0.2, 0.9), array([0, 1, 0]))
    >>> name, levels, codes = bin_scores(np.array([0.05, 0.5, 0.97]), score_bins=10)
    >>> name, codes.tolist()
    ('score_bin', [0, 5, 9])
    """
    score_bins = _check_bins(score_bins, caller)
    if score_bins == "auto":
        # A leading sample with too many distinct scores settles it without sorting every row.
        few = score.size <= MAX_EXACT_BINS or len(np.unique(score[: 2 * MAX_EXACT_BINS])) <= MAX_EXACT_BINS
        if few and score.size <= _AUTO_SORT_ROWS:
            levels, codes = np.unique(score, return_inverse=True)
            if len(levels) <= MAX_EXACT_BINS:
                return EXACT_AXIS, tuple(levels.tolist()), codes.astype(np.intp, copy=False)
        score_bins = DEFAULT_BINS
    elif score_bins == "exact":
        levels, codes = np.unique(score, return_inverse=True)
        return EXACT_AXIS, tuple(levels.tolist()), codes.astype(np.intp, copy=False)
    lo, hi = score_range if score_range is not None else (float(score.min()), float(score.max()))
    if lo >= 0.0 and hi <= 1.0:
        lo, hi = 0.0, 1.0
    elif hi == lo:
        hi = lo + 1.0
    n = score_bins
    extra = sorted({float(t) for t in thresholds if lo < t < hi})
    if not extra:
        fixed = _FixedWidthCodes(score, lo, hi, n)
        return BINNED_AXIS, fixed.levels, (fixed if lazy else fixed[0:score.size].copy())
    edged = _EdgeCodes(score, lo, hi, n, extra)
    return BINNED_AXIS, edged.levels, (edged if lazy else edged[0:score.size].copy())


class _FixedWidthCodes:
    """Codes of ``n`` fixed-width bins of ``[lo, hi]``, computed block by block when sliced.

    The kernel reads every axis a block at a time; computing the bins there keeps the
    block in cache and writes no full-length code array. A slice returns a buffer that
    the next slice overwrites.
    """

    def __init__(self, score: np.ndarray, lo: float, hi: float, n: int):
        self.score, self.lo, self.n = score, lo, n
        self.scale = n / (hi - lo)
        self.levels = tuple((lo + (hi - lo) * np.arange(n) / n).tolist())
        self._tmp = np.empty(0)
        self._out = np.empty(0, dtype=np.intp)

    def __len__(self) -> int:
        return self.score.size

    def __getitem__(self, index: slice) -> np.ndarray:
        block = self.score[index]
        if self._out.size < block.size:
            self._tmp, self._out = np.empty(block.size), np.empty(block.size, dtype=np.intp)
        out = self._out[: block.size]
        if self.lo != 0.0:
            block = np.subtract(block, self.lo, out=self._tmp[: block.size])
        # the product is cast to integers as it is stored (truncation toward zero: it is >= 0)
        np.multiply(block, self.scale, out=out, casting="unsafe")
        np.minimum(out, self.n - 1, out=out)
        return out


class _EdgeCodes:
    """Codes of the fixed-width bins of ``[lo, hi]`` split at the thresholds ``extra``, computed
    block by block when sliced: the last edge at or below each score (0 below the first).

    Besides the edges, ``first`` gives the bin of each fixed-width edge: a score's bin is
    found from its fixed-width bin (one multiply-and-cast) by stepping along the edges, a
    step or two, instead of a binary search per row (ten times slower at 4,000 bins). The
    steps end on the same bin as ``np.searchsorted(edges, score, "right") - 1``; where more
    thresholds than :data:`_MAX_STEPS` fall in one fixed-width bin, the binary search is used.
    """

    def __init__(self, score: np.ndarray, lo: float, hi: float, n: int, extra):
        self._fixed = fixed = _FixedWidthCodes(score, lo, hi, n)
        self.score, self.lo, self.scale, self.n = score, fixed.lo, fixed.scale, fixed.n
        grid = np.asarray(fixed.levels)
        self.edges = np.union1d(grid, np.asarray(extra, dtype=np.float64))
        self.first = np.searchsorted(self.edges, grid).astype(np.int64)
        self.levels = tuple(self.edges.tolist())
        self._steps = int(np.diff(np.append(self.first, len(self.edges))).max())  # edges per fixed-width bin

    def __len__(self) -> int:
        return self.score.size

    def __getitem__(self, index: slice) -> np.ndarray:
        block = self.score[index]
        if self._steps > _MAX_STEPS:
            codes = np.searchsorted(self.edges, block, side="right") - 1
            return np.maximum(codes, 0, out=codes)
        codes = self.first[self._fixed[index]]
        top = len(self.edges) - 1
        # Up while the next edge is at or below the score, then down while the bin's edge is
        # above it (the fixed-width bin can be one off by rounding): each loop ends, after a
        # step or two, on the last edge at or below the score; a step down never calls for
        # one up again.
        while True:
            up = (block >= self.edges[np.minimum(codes + 1, top)]) & (codes < top)
            if not up.any():
                break
            codes += up
        while True:
            down = (block < self.edges[codes]) & (codes > 0)
            if not down.any():
                break
            codes -= down
        return codes


class _Squares:
    """Per-block squares of the scores, so no full-length temporary is made."""

    def __init__(self, score):
        self.score = score
        self._buf = np.empty(0)

    def __getitem__(self, index):
        block = self.score[index]
        if self._buf.size < block.size:
            self._buf = np.empty(block.size)
        return np.multiply(block, block, out=self._buf[: block.size])


def count_scores(encoded, y_true: np.ndarray, score: np.ndarray, *, weight=None, score_bins="auto",
                 thresholds=(), fingerprint: bool = False, caller: str = "count_scores",
                 score_range: tuple[float, float] | None = None) -> ScoreTable:
    """One pass over the rows into a score table (see :class:`ScoreTable`); ``score_range``:
    the scores' minimum and maximum, when known."""
    name, levels, codes = bin_scores(score, score_bins=score_bins, thresholds=thresholds, caller=caller,
                                     lazy=True, score_range=score_range)
    cells = [("y_true", (0, 1), y_true), (name, levels, codes)]
    table = count_table(encoded, cells, family="score", weight=weight,
                        values={"w_score": score, "w_score_sq": _Squares(score)},  # type: ignore[dict-item]
                        fingerprint=fingerprint, table_type=ScoreTable, caller=caller,
                        counter=score_counter(score, weight, codes))
    return cast(ScoreTable, table)  # table_type decides the class


def auc_error_bound(weight: np.ndarray) -> np.ndarray:
    """Largest error of the AUC of binned scores: 0.5 * sum_b P_b N_b / (P N).

    ``weight`` has shape (..., 2, B) (y_true x bin). Within a bin the order of a
    positive and a negative is unknown; the binned AUC counts each such pair as half
    concordant, while the true contribution lies in [0, 1]. NaN without both classes.

    Examples
    --------
    >>> float(auc_error_bound(np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 2.0]])))
    0.05555555555555555
    """
    w = np.asarray(weight, dtype=np.float64)
    neg, pos = w[..., 0, :], w[..., 1, :]
    den = neg.sum(axis=-1) * pos.sum(axis=-1)
    out = np.full(np.shape(den), np.nan)
    np.divide(0.5 * (neg * pos).sum(axis=-1), den, out=out, where=den > 0)
    return out


def is_probability(table: ScoreTable) -> bool:
    """Whether the scores lie in [0, 1] (exact mode), or were binned on [0, 1] (binned mode)."""
    levels = table.score_levels
    if table.mode == "exact":
        return bool(levels[0] >= 0.0 and levels[-1] <= 1.0)
    # Each cell's mean score is at most 1 exactly when its sum of w*s is at most its sum of w:
    # with every score at most 1 each term w*s is at most w, and rounding keeps that order.
    return bool(levels[0] == 0.0 and (table.sums["w_score"] <= table.weight).all())


def require_scores(result, caller):
    """Raise unless ``result`` is the audit of a score table."""
    if not isinstance(result.counts, ScoreTable):
        msg = f"{caller}(): only a score audit (audit(..., y_score=...)) has scores; this audit has decisions."
        raise AuditError(msg)
