"""Count-level bootstrap: replicate tables drawn from the count table, not from the rows.

An i.i.d. row bootstrap of ``n`` rows puts ``(N_1, ..., N_C) ~ Multinomial(n, c / n)``
rows into the ``C`` cells of the count table, where ``c`` are the observed cell counts.
Every count-based statistic of a resample is a function of that vector alone, so a
replicate costs one multinomial draw over the cells, whatever the number of rows. The
group-stratified bootstrap (resample within each group, keeping its size ``n_g``) is one
multinomial per group over its four cells.

Confidence intervals are percentile or BCa intervals. The BCa acceleration uses the
leave-one-row-out jackknife, which takes one distinct value per non-empty cell (remove
one row from that cell) with multiplicity equal to the cell count: ``O(cells)``
evaluations of the statistic instead of ``O(n)``.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
from scipy.special import ndtr, ndtri

from .._validation import _check_interval, _check_option
from ..exceptions import InvalidParameterError, UndefinedMetricWarning

__all__ = ["BootstrapResult", "bootstrap_interval", "replicate_interval", "resample_counts"]

#: Default bound on the cells of one batch of replicate tables (2**18 cells: 2 MB as
#: int64). Statistics usually have more outputs than a table has cells, so small batches
#: keep their temporaries small and reused; the per-batch overhead is negligible.
_CELL_BUDGET = 1 << 18
_METHODS = ("percentile", "bca")


# --------------------------------------------------------------------------- validation


def _check_positive_int(value, name, *, caller) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        msg = f"{caller}(): `{name}` must be a positive integer; got {value!r}."
        raise InvalidParameterError(msg)
    return int(value)


def _check_rows(rows, *, caller) -> np.ndarray:
    arr = np.asarray(rows)
    if arr.ndim < 2 or arr.shape[0] < 1:
        msg = (
            f"{caller}(): `rows` must be a count table of shape (n_groups, *cells), e.g. "
            f"(n_groups, 2, 2); got shape {arr.shape}. Hint: flatten the group axes of a table "
            f"with `table.rows.reshape(-1, *table.cell_shape)`."
        )
        raise InvalidParameterError(msg)
    if arr.dtype.kind not in "biuf":
        msg = f"{caller}(): `rows` must hold integer counts; got dtype {arr.dtype}."
        raise InvalidParameterError(msg)
    if arr.dtype.kind == "f" and not (np.isfinite(arr).all() and (arr == np.round(arr)).all()):
        msg = f"{caller}(): `rows` must hold whole-number counts; got non-integer values."
        raise InvalidParameterError(msg)
    if (arr < 0).any():
        msg = f"{caller}(): `rows` must be >= 0; got {int((arr < 0).sum())} negative cells."
        raise InvalidParameterError(msg)
    arr = arr.astype(np.int64)
    if arr.sum() == 0:
        msg = f"{caller}(): `rows` must count at least one row; got an all-zero table."
        raise InvalidParameterError(msg)
    return arr


def _check_weighted(weighted, rows, *, caller) -> np.ndarray | None:
    if weighted is None:
        return None
    arr = np.asarray(weighted, dtype=np.float64)
    if arr.shape != rows.shape:
        msg = f"{caller}(): `weighted` must have the shape of `rows`, {rows.shape}; got {arr.shape}."
        raise InvalidParameterError(msg)
    if not (np.isfinite(arr).all() and (arr >= 0).all()):
        msg = f"{caller}(): `weighted` must be finite and >= 0."
        raise InvalidParameterError(msg)
    if (arr[rows == 0] != 0).any():
        msg = f"{caller}(): `weighted` must be 0 in every cell where `rows` is 0."
        raise InvalidParameterError(msg)
    return arr


def _default_batch(batch, n_resamples, cells_per_table, *, caller) -> int:
    if batch is None:
        return max(1, min(n_resamples, _CELL_BUDGET // cells_per_table))
    return min(_check_positive_int(batch, "batch", caller=caller), n_resamples)


# --------------------------------------------------------------------------- resampling


def resample_counts(rows, *, n_resamples, stratified=True, rng=None, batch=None) -> Iterator[np.ndarray]:
    """Replicate count tables of an i.i.d. row bootstrap, drawn from the counts.

    Parameters
    ----------
    rows : array-like of int of shape (n_groups, 2, 2)
        Unweighted row counts, cell ``[g, t, p]`` = rows of group ``g`` with
        ``y_true == t`` and ``y_pred == p``.
    n_resamples : int
        Number of replicate tables in total.
    stratified : bool, default=True
        If True, every replicate keeps each group's size ``n_g`` (resampling within
        groups); if False, rows are resampled from the whole table and group sizes vary.
    rng : None, int, SeedSequence or Generator, default=None
        Source of randomness, normalised by :func:`numpy.random.default_rng`. A
        Generator passed in is advanced.
    batch : int or None, default=None
        Replicates per yielded array. None picks a size such that a batch holds at most
        about 262,000 cells (2 MB).

    Returns
    -------
    iterator of ndarray of int64 of shape (b, n_groups, 2, 2)
        Batches of replicate tables, ``b <= batch``, ``n_resamples`` tables in total.

    Raises
    ------
    InvalidParameterError
        If `rows` is not a non-negative integer table of shape (n_groups, 2, 2) with at
        least one row, or `n_resamples` / `batch` are not positive integers.

    Notes
    -----
    Unstratified: ``N ~ Multinomial(n, rows / n)`` over all ``4 G`` cells. Stratified:
    ``N_g ~ Multinomial(n_g, rows_g / n_g)`` independently for each group; empty groups
    stay empty. Both equal in distribution the counts of a row bootstrap (without and
    with resampling inside groups). Batches are drawn one after another from one
    Generator, and NumPy draws the multinomials of consecutive replicates in sequence,
    so the concatenated output does not depend on `batch` for a given seed.

    Examples
    --------
    >>> import numpy as np
    >>> rows = np.array([[[3, 1], [0, 4]], [[5, 0], [2, 1]]])
    >>> reps = np.concatenate(list(resample_counts(rows, n_resamples=5, rng=0, batch=2)))
    >>> reps.shape
    (5, 2, 2, 2)
    >>> reps.sum(axis=(2, 3))[0].tolist()  # group sizes are kept
    [8, 8]
    """
    caller = "resample_counts"
    rows = _check_rows(rows, caller=caller)
    n_resamples = _check_positive_int(n_resamples, "n_resamples", caller=caller)
    batch = _default_batch(batch, n_resamples, rows.size, caller=caller)
    return _draw(rows, n_resamples, bool(stratified), np.random.default_rng(rng), batch)


def _draw(rows, n_resamples, stratified, gen, batch) -> Iterator[np.ndarray]:
    n_groups = rows.shape[0]
    flat = rows.reshape(n_groups, -1)
    if stratified:
        sizes = flat.sum(axis=1)
        live = np.flatnonzero(sizes)
        pvals = flat[live] / sizes[live, None]
        for start in range(0, n_resamples, batch):
            b = min(batch, n_resamples - start)
            draws = gen.multinomial(sizes[live], pvals, size=(b, live.size))
            if live.size == n_groups:
                yield draws.reshape(b, *rows.shape)
            else:
                out = np.zeros((b, *flat.shape), dtype=np.int64)
                out[:, live] = draws
                yield out.reshape(b, *rows.shape)
    else:
        cells = flat.ravel()
        live = np.flatnonzero(cells)
        n = int(cells.sum())
        pvals = cells[live] / n
        for start in range(0, n_resamples, batch):
            b = min(batch, n_resamples - start)
            draws = gen.multinomial(n, pvals, size=b)
            if live.size == cells.size:
                yield draws.reshape(b, *rows.shape)
            else:
                out = np.zeros((b, cells.size), dtype=np.int64)
                out[:, live] = draws
                yield out.reshape(b, *rows.shape)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False, repr=False)
class BootstrapResult:
    """Bootstrap confidence intervals of ``K`` statistics computed at once.

    Attributes
    ----------
    low, high : ndarray of shape (K,)
        Interval bounds; NaN where the interval is undefined.
    estimate : ndarray of shape (K,)
        The statistic on the observed table.
    standard_error : ndarray of shape (K,)
        Standard deviation (ddof=1) of the defined replicates.
    n_resamples : int
        Number of replicates drawn.
    n_undefined : ndarray of int of shape (K,)
        Replicates in which each statistic was NaN; they are left out of its interval
        and standard error.
    method : str
        ``"percentile"`` or ``"bca"``.
    confidence_level : float
        Nominal two-sided coverage.
    stratified : bool
        Whether groups were resampled separately, each keeping its size.
    """

    low: np.ndarray
    high: np.ndarray
    estimate: np.ndarray
    standard_error: np.ndarray
    n_resamples: int
    n_undefined: np.ndarray
    method: str
    confidence_level: float
    stratified: bool

    def to_frame(self):
        """One row per statistic: estimate, low, high, standard_error, n_undefined."""
        import pandas as pd

        return pd.DataFrame({
            "estimate": self.estimate, "low": self.low, "high": self.high,
            "standard_error": self.standard_error, "n_undefined": self.n_undefined,
        })

    def __repr__(self):
        return (
            f"BootstrapResult(n_statistics={self.estimate.size}, method={self.method!r}, "
            f"confidence_level={self.confidence_level:g}, n_resamples={self.n_resamples}, "
            f"stratified={self.stratified})"
        )


# --------------------------------------------------------------------------- intervals


def bootstrap_interval(
    statistic: Callable[[np.ndarray], np.ndarray],
    rows,
    *,
    weighted=None,
    n_resamples: int = 9999,
    confidence_level: float = 0.95,
    method: str = "percentile",
    stratified: bool = True,
    rng=None,
    batch: int | None = None,
) -> BootstrapResult:
    """Percentile or BCa bootstrap intervals of statistics of a group count table.

    Parameters
    ----------
    statistic : callable
        Maps a float table of shape (..., n_groups, 2, 2) to an array of shape (..., K)
        (or (...) for a single statistic), working on any leading axes; see
        :func:`metric_statistic` and the other builders. It is called once on the
        observed table, once per batch of replicates and once per batch of jackknife
        tables (BCa only).
    rows : array-like of int of shape (n_groups, 2, 2), or GroupCounts
        Unweighted row counts per cell. A GroupCounts is flattened to one group axis
        and, if weighted, its weighted table is used unless `weighted` is given.
    weighted : array-like of shape (n_groups, 2, 2) or None, default=None
        Sums of sample weights per cell. See Notes for how weights are resampled.
    n_resamples : int, default=9999
        Number of bootstrap replicates.
    confidence_level : float, default=0.95
        Two-sided coverage, in (0, 1).
    method : {"percentile", "bca"}, default="percentile"
        Interval method.
    stratified : bool, default=True
        Resample within groups, keeping each group's size.
    rng : None, int, SeedSequence or Generator, default=None
        Source of randomness, normalised by :func:`numpy.random.default_rng`.
    batch : int or None, default=None
        Replicate (and jackknife) tables materialised at once; None bounds a batch to
        about 262,000 cells. The result does not depend on `batch`.

    Returns
    -------
    BootstrapResult

    Raises
    ------
    InvalidParameterError
        For a bad table, option or parameter, or a statistic whose output shape is not
        (..., K) with the same K for every input.

    Warns
    -----
    UndefinedMetricWarning
        If a statistic is NaN on the observed table or in some replicates (those are
        excluded and counted in ``n_undefined``), or if its BCa interval is undefined
        because all defined replicates lie on one side of the estimate.

    Notes
    -----
    Percentile: the ``(1 - c) / 2`` and ``(1 + c) / 2`` quantiles (linear
    interpolation) of the defined replicates. BCa (Efron 1987): the quantiles at
    ``Phi(z0 + (z0 + z_q) / (1 - a (z0 + z_q)))`` with bias correction
    ``z0 = Phi^-1(p)``, ``p = (#{T* < T} + #{T* = T} / 2) / #defined`` (ties count half,
    which matters for statistics of counts), and acceleration
    ``a = sum l^3 / (6 (sum l^2)^(3/2))`` from jackknife influence values ``l``. The
    jackknife deletes one row from each non-empty cell, with multiplicity the cell
    count; when stratified, influence values are centred within groups and scaled by
    ``n_g - 1`` and ``1 / n_g``, as for several independent samples (Davison and
    Hinkley 1997). Jackknife values that are NaN are left out of the acceleration.

    Weights: a row bootstrap of weighted sums is not a function of the cell counts.
    Row counts are resampled and each cell is scaled by its mean weight
    ``weighted / rows``. This is exact when weights are constant within each cell and
    otherwise ignores the within-cell spread of weights, so intervals are somewhat too
    narrow when that spread is large.

    Leaving out NaN replicates conditions on the statistic being defined; with many
    undefined replicates the interval describes that conditional distribution only.

    Cost and memory: ``n_resamples`` multinomial draws over the cells, independent of
    the number of rows; tables exist only one batch at a time, while the replicate
    statistics take ``8 K n_resamples`` bytes (100 MB for K = 1300 and 10,000
    replicates). Replicates are drawn batch after batch from one Generator, so results
    are identical for every `batch` given the same `rng`.

    References
    ----------
    .. [1] B. Efron, "Better bootstrap confidence intervals", JASA 82 (1987) 171-185.
    .. [2] A. C. Davison and D. V. Hinkley, "Bootstrap Methods and their Application",
       Cambridge University Press, 1997.

    Examples
    --------
    >>> import numpy as np
    >>> from biasaudit.stats import metric_statistic
    >>> rows = np.array([[[40, 10], [5, 45]], [[30, 20], [10, 40]]])
    >>> res = bootstrap_interval(metric_statistic("tpr"), rows, n_resamples=999, rng=0)
    >>> res.estimate.round(2)
    array([0.9, 0.8])
    >>> bool(np.all((res.low < res.estimate) & (res.estimate < res.high)))
    True
    >>> res.n_undefined.tolist()
    [0, 0]
    """
    caller = "bootstrap_interval"
    if not callable(statistic):
        msg = f"{caller}(): `statistic` must be callable; got {type(statistic).__name__}."
        raise InvalidParameterError(msg)
    if hasattr(rows, "sums") and hasattr(rows, "cell_shape"):
        table = rows
        rows = np.asarray(table.rows).reshape(-1, *table.cell_shape)
        if weighted is None and table.is_weighted:
            weighted = np.asarray(table.weight).reshape(-1, *table.cell_shape)
    rows = _check_rows(rows, caller=caller)
    weighted = _check_weighted(weighted, rows, caller=caller)
    n_resamples = _check_positive_int(n_resamples, "n_resamples", caller=caller)
    confidence_level = _check_interval(confidence_level, "confidence_level", 0, 1, caller=caller)
    method = _check_option(method, "method", _METHODS, caller=caller)
    stratified = bool(stratified)
    batch = _default_batch(batch, n_resamples, rows.size, caller=caller)
    gen = np.random.default_rng(rng)

    if weighted is None:
        scale = None
        observed = rows.astype(np.float64)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(rows > 0, weighted / np.where(rows > 0, rows, 1), 0.0)
        observed = rows * scale

    estimate = _evaluate(statistic, observed, None, rows.ndim, caller=caller)
    n_stat = estimate.size
    # Replicates are stored statistic-major, (K, B), so that each statistic's replicates
    # are contiguous for the sort; batches are transposed in small blocks.
    reps = np.empty((n_stat, n_resamples))
    start = 0
    for draws in _draw(rows, n_resamples, stratified, gen, batch):
        table = draws.astype(np.float64) if scale is None else draws * scale
        out = _evaluate(statistic, table, n_stat, rows.ndim, caller=caller)
        for i in range(0, out.shape[0], 256):
            j = min(i + 256, out.shape[0])
            reps[:, start + i : start + j] = out[i:j].T
        start += out.shape[0]

    accel = None
    if method == "bca":
        accel = _acceleration(statistic, rows, scale, estimate, stratified, batch, caller=caller)
    return _finish(reps, estimate, accel, n_resamples=n_resamples, confidence_level=confidence_level,
                   method=method, stratified=stratified, caller=caller)


def replicate_interval(estimate, replicates, *, confidence_level: float = 0.95) -> BootstrapResult:
    """Percentile intervals from replicate statistics drawn elsewhere (a row-level bootstrap).

    Parameters
    ----------
    estimate : array-like of shape (K,)
        The statistics on the observed data.
    replicates : array-like of shape (K, B)
        Their values in ``B`` replicates; NaN where undefined (left out, counted).
    confidence_level : float, default=0.95
        Two-sided coverage, in (0, 1).

    Returns
    -------
    BootstrapResult
        With ``method="percentile"`` and ``stratified=True``.

    Examples
    --------
    >>> import numpy as np
    >>> res = replicate_interval([0.5], [np.linspace(0.0, 1.0, 101)], confidence_level=0.9)
    >>> res.low.round(3).tolist(), res.high.round(3).tolist()
    ([0.05], [0.95])
    """
    caller = "replicate_interval"
    estimate = np.asarray(estimate, dtype=np.float64).ravel()
    reps = np.array(replicates, dtype=np.float64, ndmin=2)
    if reps.ndim != 2 or reps.shape[0] != estimate.size or reps.shape[1] < 1:
        msg = (f"{caller}(): `replicates` must have shape (K, B) with K = {estimate.size} statistics; "
               f"got {reps.shape}.")
        raise InvalidParameterError(msg)
    confidence_level = _check_interval(confidence_level, "confidence_level", 0, 1, caller=caller)
    return _finish(reps, estimate, None, n_resamples=reps.shape[1], confidence_level=confidence_level,
                   method="percentile", stratified=True, caller=caller)


def _finish(reps, estimate, accel, *, n_resamples, confidence_level, method, stratified, caller) -> BootstrapResult:
    """Intervals, standard errors and undefined counts from replicates (K, B), sorted in place."""
    n_stat = estimate.size
    alpha = (1.0 - confidence_level) / 2.0
    n_def = np.empty(n_stat, dtype=np.int64)
    se = np.empty(n_stat)
    bounds = np.empty((n_stat, 2))
    degenerate = np.zeros(n_stat, dtype=bool)
    step = max(1, _CELL_BUDGET // n_resamples)  # statistics summarised at once
    for k in range(0, n_stat, step):
        sl = slice(k, k + step)
        n_def[sl], se[sl], bounds[sl], degenerate[sl] = _summarise(
            reps[sl], estimate[sl], alpha, None if accel is None else accel[sl]
        )
    n_undefined = n_resamples - n_def
    bad = np.isnan(estimate)
    if degenerate.any():
        msg = (
            f"{caller}(): the BCa interval is undefined for {int(degenerate.sum())} of "
            f"{n_stat} statistics, whose defined replicates all lie on one side of the "
            f"estimate; their bounds are NaN. Hint: use method='percentile' or more data."
        )
        warnings.warn(msg, UndefinedMetricWarning, stacklevel=3)
    bounds[bad] = np.nan
    _warn_undefined(bad, n_undefined, n_resamples, caller=caller, stacklevel=4)
    arrays = [np.array(a) for a in (bounds[:, 0], bounds[:, 1], estimate, se, n_undefined)]
    for a in arrays:
        a.setflags(write=False)
    low, high, estimate, se, n_undefined = arrays
    return BootstrapResult(
        low=low, high=high, estimate=estimate, standard_error=se, n_resamples=n_resamples,
        n_undefined=n_undefined, method=method, confidence_level=confidence_level,
        stratified=stratified,
    )


def _evaluate(statistic, table, n_stat, table_ndim, *, caller) -> np.ndarray:
    """Call ``statistic`` and check its output: (K,) for one table, (b, K) for a batch."""
    lead = table.shape[: table.ndim - table_ndim]
    out = np.asarray(statistic(table), dtype=np.float64)
    if out.shape == lead:
        out = out[..., None]
    if out.ndim != len(lead) + 1 or out.shape[:-1] != lead or (n_stat is not None and out.shape[-1] != n_stat):
        want = f"(*lead, {n_stat if n_stat is not None else 'K'})"
        msg = (
            f"{caller}(): `statistic` must map a table of shape (*lead, n_groups, *cells) to "
            f"shape {want}; got {out.shape} for a table of shape {table.shape}."
        )
        raise InvalidParameterError(msg)
    return out


def _summarise(reps, estimate, alpha, accel):
    """Defined counts, standard errors, bounds and BCa degeneracy of a block of rows.

    ``reps`` (k, B) is sorted in place. ``accel`` is None for percentile intervals.
    """
    defined = ~np.isnan(reps)
    n_def = defined.sum(axis=1)
    se = _nan_std(reps, defined, n_def)
    levels = np.broadcast_to(np.array([alpha, 1.0 - alpha]), (reps.shape[0], 2))
    degenerate = np.zeros(reps.shape[0], dtype=bool)
    if accel is not None:
        z0 = _bias_correction(reps, estimate, n_def)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            zz = z0[:, None] + ndtri(levels)
            denom = 1.0 - accel[:, None] * zz
            levels = ndtr(z0[:, None] + zz / denom)
        degenerate = ~np.isnan(estimate) & (n_def > 0) & (~np.isfinite(z0) | (denom <= 0).any(axis=1))
        levels = np.where(degenerate[:, None], np.nan, levels)
    return n_def, se, _quantiles(reps, n_def, levels), degenerate


def _nan_std(reps, defined, n_def) -> np.ndarray:
    """Standard deviation (ddof=1) of each row's non-NaN values; NaN below two values."""
    n = reps.shape[1]
    if (n_def == n).all():
        return reps.std(axis=1, ddof=1) if n > 1 else np.full(reps.shape[0], np.nan)
    safe = np.where(defined, reps, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = safe.sum(axis=1) / n_def
        dev = np.where(defined, reps - mean[:, None], 0.0)
        var = (dev * dev).sum(axis=1) / (n_def - 1)
    return np.where(n_def > 1, np.sqrt(np.where(n_def > 1, var, 0.0)), np.nan)


def _quantiles(reps, n_def, levels) -> np.ndarray:
    """Linear-interpolation quantiles of each row's non-NaN values at its own levels.

    ``reps`` has shape (K, B) and is sorted in place (NaN last); ``levels`` has shape
    (K, L), and NaN levels give NaN. Returns shape (K, L).
    """
    reps.sort(axis=1)
    last = np.maximum(n_def - 1, 0)[:, None]
    h = levels * last
    ok = ~np.isnan(h) & (n_def[:, None] > 0)
    h = np.where(ok, h, 0.0)
    lo = np.floor(h).astype(np.intp)
    hi = np.minimum(lo + 1, last)
    frac = h - lo
    rows = np.arange(reps.shape[0])[:, None]
    a, b = reps[rows, lo], reps[rows, hi]
    with np.errstate(invalid="ignore"):
        val = np.where(frac > 0, a + frac * (b - a), a)
    return np.where(ok, val, np.nan)


def _bias_correction(reps, estimate, n_def) -> np.ndarray:
    est = estimate[:, None]
    below = (reps < est).sum(axis=1) + 0.5 * (reps == est).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ndtri(np.where(n_def > 0, below / np.maximum(n_def, 1), np.nan))


def _acceleration(statistic, rows, scale, estimate, stratified, batch, *, caller) -> np.ndarray:
    """BCa acceleration from the count-level jackknife; 0 where it is undefined."""
    n_groups = rows.shape[0]
    flat = rows.reshape(-1)
    cells = np.flatnonzero(flat)
    mult = flat[cells].astype(np.float64)
    theta = np.empty((cells.size, estimate.size))
    for start in range(0, cells.size, batch):
        idx = cells[start:start + batch]
        jk = np.broadcast_to(flat, (idx.size, flat.size)).astype(np.float64)
        jk[np.arange(idx.size), idx] -= 1.0
        jk = jk.reshape(idx.size, *rows.shape)
        if scale is not None:
            jk *= scale
        theta[start:start + idx.size] = _evaluate(statistic, jk, estimate.size, rows.ndim, caller=caller)
    ok = ~np.isnan(theta)
    w = np.where(ok, mult[:, None], 0.0)
    t = np.where(ok, theta, 0.0)
    if stratified:
        group = cells // (flat.size // n_groups)
        sizes = rows.reshape(n_groups, -1).sum(axis=1).astype(np.float64)
        gw = np.zeros((n_groups, estimate.size))
        gt = np.zeros((n_groups, estimate.size))
        np.add.at(gw, group, w)
        np.add.at(gt, group, w * t)
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = (gt / np.where(gw > 0, gw, 1.0))[group]
        n_g = sizes[group][:, None]
        infl = (n_g - 1.0) * (centre - t) / n_g  # influence value over n_g
    else:
        total = w.sum(axis=0)
        centre = (w * t).sum(axis=0) / np.where(total > 0, total, 1.0)
        infl = centre - t
    infl = np.where(ok, infl, 0.0)
    s2 = (w * infl**2).sum(axis=0)
    s3 = (w * infl**3).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        accel = s3 / (6.0 * s2**1.5)
    return np.where(s2 > 0, accel, 0.0)


def _warn_undefined(bad, n_undefined, n_resamples, *, caller, stacklevel=3) -> None:
    if bad.any():
        msg = (
            f"{caller}(): {int(bad.sum())} of {bad.size} statistics are undefined (NaN) on the "
            f"observed table; their intervals are NaN."
        )
        warnings.warn(msg, UndefinedMetricWarning, stacklevel=stacklevel)
    partly = ~bad & (n_undefined > 0)
    if partly.any():
        msg = (
            f"{caller}(): {int(partly.sum())} of {bad.size} statistics are undefined (NaN) in "
            f"some replicates (up to {int(n_undefined[partly].max())} of {n_resamples}); those "
            f"replicates are left out of their intervals and standard errors, see `n_undefined`. "
            f"Hint: this comes from small groups with no positives, negatives or predicted "
            f"positives; consider merging them."
        )
        warnings.warn(msg, UndefinedMetricWarning, stacklevel=stacklevel)
