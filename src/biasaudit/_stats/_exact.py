"""Fisher's exact test for many 2x2 tables at once.

A table ``[[a, n1 - a], [c, n2 - c]]`` with its margins fixed is one draw of the
hypergeometric law of ``a``; its support has at most ``min(n1, n2, s, N - s) + 1``
points (``s = a + c``, ``N = n1 + n2``). Tables are grouped by the width of their
support, rounded up to a power of two, and each group is laid out as one padded grid
(table x support point) of hypergeometric probabilities, so every p-value is a masked
row sum and the cost is one vectorised call per width class instead of one Python call
per table.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

# Relative tolerance for "as or less probable than the observed table" (R's fisher.test
# uses 1 + 1e-7): probabilities that are equal in exact arithmetic can differ by a few
# units in the last place once computed, and a tie must count as extreme.
_TIE = 1.0 + 1e-7
# Largest grid (tables x support points) evaluated in one call; bounds the memory.
_GRID_CELLS = 1 << 20


def fisher_pvalues(a, n1, c, n2, alternative):
    """P-values of Fisher's exact test for the 2x2 tables ``[[a, n1 - a], [c, n2 - c]]``.

    Parameters
    ----------
    a, n1, c, n2 : ndarray
        Whole-number counts of one shape (float arrays holding integers, or NaN); the
        caller validates and rounds them.
    alternative : {"two-sided", "less", "greater"}
        ``"less"`` is H1: ``a / n1 < c / n2`` (odds ratio below 1), ``"greater"`` the
        opposite.

    Returns
    -------
    ndarray
        P-values of the shape of ``a``; NaN where ``n1`` or ``n2`` is 0 or any count is
        NaN.

    Notes
    -----
    With ``s = a + c`` and ``N = n1 + n2`` the probability of the table is the
    hypergeometric ``P(A = a) = C(n1, a) C(n2, s - a) / C(N, s)`` over the support
    ``max(0, s - n2) <= k <= min(n1, s)``. One-sided p-values are the tails
    ``P(A <= a)`` ("less") and ``P(A >= a)`` ("greater"); the two-sided p-value sums
    ``P(A = k)`` over every ``k`` with ``P(A = k) <= P(A = a) (1 + 1e-7)``: the
    definition of R's ``fisher.test`` and of :func:`scipy.stats.fisher_exact` (whose
    tolerance is 1e-14; the two agree on every table the tests try, because the
    probabilities are :data:`scipy.stats.hypergeom`'s, the very ones SciPy computes).

    Examples
    --------
    >>> fisher_pvalues(np.array([2.0, 0.0]), np.array([10.0, 7.0]), np.array([6.0, 5.0]),
    ...                np.array([10.0, 9.0]), "two-sided").round(4)
    array([0.1698, 0.0337])
    """
    a, n1, c, n2 = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, n1, c, n2)))
    shape = a.shape
    a, n1, c, n2 = (v.ravel() for v in (a, n1, c, n2))
    out = np.full(a.shape, np.nan)
    ok = (n1 > 0) & (n2 > 0) & ~np.isnan(a) & ~np.isnan(c)
    idx = np.flatnonzero(ok)
    if idx.size:
        # many small groups repeat the same few tables: compute each distinct one once
        tables, inverse = _distinct(np.stack([v[idx] for v in (a, n1, c, n2)], axis=1).astype(np.int64))
        a_, n1_, c_, n2_ = tables.T
        s = a_ + c_
        lo = np.maximum(0, s - n2_)
        width = np.minimum(n1_, s) - lo + 1
        # power-of-two width classes: at most half of each grid is padding
        klass = np.ceil(np.log2(np.maximum(width, 8))).astype(np.int64)
        res = np.empty(tables.shape[0])
        for k in np.unique(klass):
            rows = np.flatnonzero(klass == k)
            w = 1 << int(k)
            step = max(1, _GRID_CELLS // w)
            for start in range(0, rows.size, step):
                r = rows[start:start + step]
                res[r] = _grid_pvalues(a_[r], n1_[r], n2_[r], s[r], lo[r], width[r], w, alternative)
        out[idx] = res[inverse.ravel()]
    return out.reshape(shape)


def _distinct(tables):
    """Distinct rows of an (n, 4) array of counts and the inverse index, sorting one key where it fits."""
    base = int(tables.max()) + 1
    if base ** 4 < 2**62:  # one int64 key per table: a far cheaper sort than np.unique(axis=0)
        key = ((tables[:, 0] * base + tables[:, 1]) * base + tables[:, 2]) * base + tables[:, 3]
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        return tables[first], inverse
    return np.unique(tables, axis=0, return_inverse=True)


def _grid_pvalues(a, n1, n2, s, lo, width, w, alternative):
    """P-values of one width class, on a (tables, w) grid of support points."""
    offset = np.arange(w)
    k = lo[:, None] + offset[None, :]
    inside = offset[None, :] < width[:, None]
    from scipy import stats  # imported when needed: scipy.stats alone costs ~0.35 s to import

    pmf = stats.hypergeom.pmf(np.where(inside, k, lo[:, None]), (n1 + n2)[:, None], n1[:, None], s[:, None])
    pmf = np.where(inside, pmf, 0.0)
    observed = a[:, None]
    if alternative == "less":
        keep = k <= observed
    elif alternative == "greater":
        keep = k >= observed
    else:
        p_obs = np.take_along_axis(pmf, (a - lo)[:, None], axis=1)
        keep = pmf <= p_obs * _TIE
    return np.minimum(np.where(keep, pmf, 0.0).sum(axis=1), 1.0)
