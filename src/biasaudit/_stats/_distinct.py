"""Evaluate an elementwise function once per distinct combination of its inputs.

An audit with thousands of small groups compares every group with one reference, so
the tuples of counts that the iterative statistics (bisections for intervals and the
minimum detectable difference) see repeat a great deal: 10,000 groups of 20 rows give a
few hundred distinct tables. Solving each distinct tuple once and scattering the answer
back makes their cost depend on the variety of the data, not on the number of groups.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []

# Below this many elements the bookkeeping costs more than it saves.
_MIN_SIZE = 512
_KEY_LIMIT = 1 << 62


def _exact_codes(columns):
    """One int64 code per row, equal exactly for equal rows of the 1-d ``columns``."""
    key = np.zeros(columns[0].shape, dtype=np.int64)
    span = 1
    for col in columns:
        values, code = np.unique(col, return_inverse=True)  # NaNs share one code
        if span * len(values) >= _KEY_LIMIT:
            _, key = np.unique(key, return_inverse=True)
            span = int(key.max()) + 1
        key = key * len(values) + code.reshape(key.shape)
        span *= len(values)
    return key


def _hashed_rows(columns):
    """``(first, inverse)`` from a 64-bit hash of each row's bits, or None on a collision.

    One sort of one uint64 column instead of one per column; rows are grouped by the bits
    of their values (stricter than equality: 0.0 and -0.0 stay apart, which only costs a
    repeated evaluation), and every row is checked against its group's first row, so a
    hash collision is detected, never silently merged.
    """
    bits = [np.ascontiguousarray(c, dtype=np.float64).view(np.uint64) for c in columns]
    h = np.full(bits[0].shape, 0xCBF29CE484222325, dtype=np.uint64)
    for b in bits:  # FNV-1a-like mixing; uint64 arithmetic wraps silently
        h = (h ^ b) * np.uint64(0x100000001B3)
        h ^= h >> np.uint64(29)
    _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    for b in bits:
        if not np.array_equal(b[first][inverse], b):
            return None
    return first, inverse


def distinct_rows(columns):
    """Where each distinct row of equal-length 1-d ``columns`` first occurs, and the way back.

    Parameters
    ----------
    columns : sequence of 1-d ndarray
        Columns of equal length ``n``.

    Returns
    -------
    first, inverse : ndarray of int
        ``columns[j][first]`` are the distinct rows and ``[first][inverse]`` restores all
        ``n``. Below 512 rows both are ``arange(n)`` (nothing is gained by sorting).

    Examples
    --------
    >>> first, inverse = distinct_rows([np.array([1.0, 2.0, 1.0] * 200), np.zeros(600)])
    >>> first.tolist(), inverse[:4].tolist()
    ([0, 1], [0, 1, 0, 0])
    """
    n = columns[0].size
    if n < _MIN_SIZE:
        every = np.arange(n)
        return every, every
    hashed = _hashed_rows(columns)
    if hashed is not None:
        return hashed
    _, first, inverse = np.unique(_exact_codes(columns), return_index=True, return_inverse=True)
    return first, inverse.ravel()


def on_distinct(func, *arrays):
    """``func(*arrays)`` computed on the distinct tuples of the broadcast inputs only.

    Parameters
    ----------
    func : callable
        Elementwise function of 1-d arrays returning an array or a tuple of arrays of
        the same length.
    *arrays : array-like
        Broadcastable inputs.

    Returns
    -------
    ndarray or tuple of ndarray
        ``func``'s output(s) in the broadcast shape of ``arrays``.

    Examples
    --------
    >>> on_distinct(np.add, np.array([1.0, 2.0, 1.0]), 10.0)
    array([11., 12., 11.])
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=np.float64) for a in arrays))
    shape = arrays[0].shape
    flat = [a.ravel() for a in arrays]
    first, inverse = distinct_rows(flat)
    out = func(*(f[first] for f in flat))
    if isinstance(out, tuple):
        return tuple(np.asarray(o)[inverse].reshape(shape) for o in out)
    return np.asarray(out)[inverse].reshape(shape)
