"""Row-level stratified bootstrap of per-stratum sums, for statistics no count table holds.

A mean, an RMSE or an R^2 depends on how the values spread *inside* a group, which a
table of per-group sums does not keep: resampling the cells of such a table would treat
every row of a cell as identical and miss that spread. Those statistics need the rows.
:func:`row_replicate_sums` draws, in one vectorised pass per batch of replicates, the
sums per stratum of per-row values (``w``, ``w y``, ``w y^2``, ...) of a stratified i.i.d.
row bootstrap: every stratum keeps its number of rows, as in the count-level bootstrap.

Draws. Rows are put in a canonical order: by stratum, then by their keys (by default
their values; rows with equal keys must have equal values). Replicate ``r`` uses the ``r``-th block of ``n`` uniforms of the
Generator, ``u``; position ``j`` of the canonical order, in a stratum of ``n_s`` rows
starting at ``start_s``, draws the row at position ``start_s + floor(u_j n_s)``. Rows with
equal values are interchangeable, so the replicates do not depend on the order in which
rows are given; batches take consecutive blocks of the same stream, so they do not depend
on the batch size either.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ..exceptions import InvalidParameterError

__all__ = ["row_replicate_sums"]

#: Row positions drawn per batch (4 Mi: the batch's draws take 32 MB as float64).
_DRAW_BUDGET = 1 << 22


def row_replicate_sums(strata, values, *, n_strata: int, n_resamples: int, keys=None, rng=None,
                       batch: int | None = None) -> np.ndarray:
    """Sums per stratum of per-row values over the replicates of a stratified row bootstrap.

    Parameters
    ----------
    strata : array-like of int of shape (n,)
        Stratum of each row, in ``[0, n_strata)``.
    values : array-like of float of shape (n, S)
        Per-row values whose per-stratum sums are wanted.
    n_strata : int
        Number of strata (empty ones get zero sums).
    n_resamples : int
        Number of replicates.
    keys : array-like of shape (n, k) or None, default=None
        What orders the rows of a stratum, first column first (None: the values). Rows
        with equal keys must have equal values, so that their order does not matter.
    rng : None, int, SeedSequence or Generator, default=None
        Source of randomness, normalised by :func:`numpy.random.default_rng`.
    batch : int or None, default=None
        Replicates drawn at once; None keeps a batch near 4 Mi row positions. The result
        does not depend on it.

    Returns
    -------
    ndarray of shape (n_resamples, n_strata, S)

    Examples
    --------
    >>> import numpy as np
    >>> strata = np.array([0, 0, 1, 1, 1])
    >>> values = np.array([[1.0], [3.0], [2.0], [2.0], [5.0]])
    >>> sums = row_replicate_sums(strata, values, n_strata=2, n_resamples=4, rng=0)
    >>> sums.shape
    (4, 2, 1)
    >>> bool(np.isin(sums[:, 0, 0], [2.0, 4.0, 6.0]).all())  # two draws from {1, 3}
    True
    """
    caller = "row_replicate_sums"
    strata = np.asarray(strata)
    vals = np.asarray(values, dtype=np.float64)
    if vals.ndim != 2 or strata.shape != (vals.shape[0],):
        msg = (f"{caller}(): `values` must have shape (n, S) and `strata` shape (n,); got {vals.shape} "
               f"and {strata.shape}.")
        raise InvalidParameterError(msg)
    n = vals.shape[0]
    if strata.size and (strata.min() < 0 or strata.max() >= n_strata):
        msg = f"{caller}(): `strata` must be in [0, {n_strata}); got values from {strata.min()} to {strata.max()}."
        raise InvalidParameterError(msg)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise InvalidParameterError(f"{caller}(): `n_resamples` must be a positive integer; got {n_resamples!r}.")
    out = np.zeros((n_resamples, n_strata, vals.shape[1]))
    if n == 0:
        return out
    keys = vals if keys is None else np.asarray(keys, dtype=np.float64)
    if keys.ndim != 2 or keys.shape[0] != n:
        raise InvalidParameterError(f"{caller}(): `keys` must have shape (n, k) with n = {n}; got {keys.shape}.")
    # canonical order: stratum first (lexsort's last key), then the keys, first column first
    order = np.lexsort((*keys.T[::-1], strata))
    sorted_strata = strata[order]
    sizes = np.bincount(sorted_strata, minlength=n_strata)
    starts = np.cumsum(sizes) - sizes
    row_start, row_size = starts[sorted_strata], sizes[sorted_strata].astype(np.float64)
    row_last = row_start + sizes[sorted_strata] - 1
    # The sums of a batch are a sparse (strata x S, n) matrix, whose column i holds row i's S
    # values in its stratum's rows (CSC, so it is built without sorting), times the
    # multiplicities (n, b): one sparse product per batch.
    n_cols = vals.shape[1]
    spread = sparse.csc_matrix(
        (vals[order].ravel(), (sorted_strata[:, None] * n_cols + np.arange(n_cols)).ravel(),
         np.arange(0, n * n_cols + 1, n_cols)), shape=(n_strata * n_cols, n))
    if batch is None:
        batch = max(1, _DRAW_BUDGET // n)
    gen = np.random.default_rng(rng)
    for first in range(0, n_resamples, batch):
        b = min(batch, n_resamples - first)
        u = gen.random((b, n))
        # u < 1, but u * n_s can round up to n_s: clip into the stratum
        u *= row_size
        pick = u.astype(np.intp)
        pick += row_start
        np.minimum(pick, row_last, out=pick)
        # multiplicities laid out (n, b), so the sparse product reads them without a transpose
        pick *= b
        pick += np.arange(b, dtype=np.intp)[:, None]
        mult = np.bincount(pick.ravel(), minlength=n * b).reshape(n, b).astype(np.float64)
        out[first:first + b] = (spread @ mult).T.reshape(b, n_strata, n_cols)
    return out
