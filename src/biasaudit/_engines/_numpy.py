"""The in-memory counter: codes per key column, one combined key, sums by ``np.bincount``.

It counts a pandas DataFrame (or a mapping of equal-length arrays) into a *raw* long frame
(see :mod:`._plan`). Dask partitions and Arrow record batches reuse it chunk by chunk.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._plan import HASH_SUM, Plan

__all__ = ["count_arrays"]

# Above this many possible combinations the combined key is compressed with np.unique
# instead of being used directly as a bincount index (memory grows with combinations).
_DENSE_LIMIT = 1 << 22


def _labels(uniques) -> list:
    return [u.item() if isinstance(u, np.generic) else u for u in uniques]


def _factorize(values) -> tuple[np.ndarray, list]:
    """Codes 0..k-1 for observed values, k for missing; and the k+1 labels (last None)."""
    arr = values.to_numpy() if isinstance(values, pd.Series) and values.dtype.kind in "iub" else values
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        labels = _labels(values.cat.categories)
    elif isinstance(arr, np.ndarray) and arr.dtype.kind in "iub" and arr.size:
        # Integers and booleans hold no missing value: a small range is its own code (no hashing).
        if arr.dtype.kind == "b":
            return arr.view(np.int8), [False, True, None]
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo > 1 << 16:
            codes, uniques = pd.factorize(arr)
            return codes, [*_labels(uniques), None]
        return (arr.astype(np.intp) - lo if lo else arr), [*range(lo, hi + 1), None]
    else:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object) if _mixed(values) else values,
                                      use_na_sentinel=True)
        labels = _labels(uniques)
    if len(codes) and codes.min() < 0:
        codes = np.where(codes < 0, len(labels), codes)
    return codes, [*labels, None]


def _mixed(values) -> bool:
    return isinstance(values, pd.Series) and values.dtype == object


def _floats(values) -> np.ndarray:
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.dtype.kind in "fiub":
        return arr.astype(np.float64, copy=False)
    return pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _grid_codes(cell, values) -> tuple[np.ndarray, list]:
    """``clip(floor((x - origin) * factor) + offset, 0, n - 1)``, the same float operations as
    the in-memory binning; a value that is not finite is a missing key (reported by the checks)."""
    origin, factor, divide, offset, n, span = cell.grid
    x = _floats(values)
    finite = np.isfinite(x)
    x = np.where(finite, x, origin)
    t = np.subtract(x, origin)
    t = t / factor if divide else t * factor
    np.clip(t, -(offset + 1), n - offset, out=t)  # saturate first: no overflow in the cast
    codes = np.floor(t).astype(np.int64) + offset
    np.clip(codes, 0, n - 1, out=codes)
    if span is not None:  # snap to the bins of a binary search of the edges origin + span * k / n
        below = x < origin + span * codes.astype(np.float64) / n
        above = (codes < n - 1) & (x >= origin + span * (codes + 1).astype(np.float64) / n)
        codes = np.clip(codes - below + above, 0, n - 1)
    if not finite.all():
        codes[~finite] = n
    return codes, [*range(n), None]


def _cell_codes(cell, values) -> tuple[np.ndarray, list]:
    """Codes of one cell axis and the key each code stands for (None = missing input)."""
    if cell.kind in ("column", "value"):
        return _factorize(values)
    if cell.kind == "grid":
        return _grid_codes(cell, values)
    if cell.kind == "rank":
        x = _floats(values)
        codes = np.searchsorted(np.asarray(cell.edges), x, side="right")
        codes[np.isnan(x)] = len(cell.edges) + 1
        return codes, [*range(len(cell.edges) + 1), None]
    if cell.kind == "window":
        x = _floats(values)
        low, high = cell.edges
        return _factorize(np.where(x < low, -np.inf, np.where(x > high, np.inf, x)))
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if cell.kind == "equals" and arr.dtype.kind in "iub" and _plain_number(cell.value):
        # Integer and boolean columns cannot hold missing values: one vectorised comparison.
        return arr == cell.value, [0, 1, None]
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    missing = series.isna().to_numpy()
    if cell.kind == "equals":
        hit = (series == cell.value).to_numpy(dtype=bool, na_value=False)
        return np.where(missing, 2, hit.astype(np.int64)), [0, 1, None]
    x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    edges = np.asarray(cell.edges)
    inside = (x >= edges[0]) & (x <= edges[-1])
    bins = np.searchsorted(edges[1:-1], x, side="right")
    n = cell.n_bins
    codes = np.where(missing, n + 1, np.where(inside, bins, n))
    return codes.astype(np.int64), [*range(n), -1, None]


def _plain_number(value) -> bool:
    return isinstance(value, (int, float, bool, np.number)) and not isinstance(value, np.datetime64)


def _bad(values, *, weight: bool):
    """(bad-row indicator or None when every row is good, values with bad rows zeroed)."""
    arr = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if arr.dtype.kind not in "fiub":
        arr = pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    x = arr.astype(np.float64, copy=False)
    ok = np.isfinite(x)
    if weight:
        ok &= x >= 0
    if ok.all():
        return None, x
    return (~ok).astype(np.float64), np.where(ok, x, 0.0)


def _combine(codes: list, sizes: list):
    """(per-row bin, number of bins, bins kept or None for all, their key codes, rows per bin).

    Few possible combinations: the mixed-radix key is the bin itself (no second pass over the
    rows). Many: the key is compressed to the combinations present with ``np.unique``.
    """
    total = 1
    for s in sizes:
        total *= max(s, 1)
    if total <= _DENSE_LIMIT:
        key = codes[0].astype(np.intp)
        for c, s in zip(codes[1:], sizes[1:]):
            key *= s
            key += c
        rows = np.bincount(key, minlength=total)
        present = np.flatnonzero(rows)
        uniq = np.array(np.unravel_index(present, sizes)).T.reshape(-1, len(sizes))
        return key, total, present, uniq, rows[present]
    stacked = np.stack(codes, axis=1)
    uniq, inverse = np.unique(stacked, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    return inverse, len(uniq), None, uniq, np.bincount(inverse, minlength=len(uniq))


def count_arrays(columns, plan: Plan) -> pd.DataFrame:
    """Count ``columns`` (a DataFrame or a mapping of arrays) into a raw long frame."""
    key_codes, key_labels = [], []
    for a in plan.attributes:
        c, lab = _factorize(columns[a])
        key_codes.append(c)
        key_labels.append(lab)
    for cell in plan.cells:
        c, lab = _cell_codes(cell, columns[cell.column])
        key_codes.append(c)
        key_labels.append(lab)
    n_rows = len(columns[plan.columns[0]]) if plan.columns else 0
    if key_codes:
        index, n_bins, present, uniq, rows = _combine(key_codes, [len(lab) for lab in key_labels])
    else:
        index, n_bins, present = np.zeros(n_rows, dtype=np.intp), 1, None
        uniq, rows = np.zeros((1, 0), dtype=np.intp), np.array([n_rows])
    n_groups = len(uniq)

    def total(weights):
        out = np.bincount(index, weights=weights, minlength=n_bins)
        return out if present is None else out[present]

    out = {name: pd.Series([labels[i] for i in uniq[:, j]], dtype=object)
           for j, (name, labels) in enumerate(zip(plan.keys, key_labels))}
    out["rows"] = rows.astype(np.int64)
    checks = {}
    for check, column in plan.checked:
        bad, clean = _bad(columns[column], weight=check == "_bad_weight")
        out[check] = np.zeros(n_groups) if bad is None else total(bad)
        checks[column] = clean
    w = checks.get(plan.weight) if plan.weight is not None else None
    if w is not None:
        out["weight"] = total(w)
        out["weight_sq"] = total(w * w)
    for s in plan.sums:
        v = _summand(s, checks)
        out[s.name] = total(v if w is None else w * v)
    if plan.hash_weight:
        out[HASH_SUM] = _hash_sums(index, n_bins, present, columns[plan.weight])
    return pd.DataFrame(out)


def _summand(s, checks) -> np.ndarray:
    x = checks[s.column]
    if s.kind == "weighted":
        return x
    if s.kind == "weighted_sq":
        return x * x
    y = checks[s.other]
    if s.kind == "weighted_product":
        return x * y
    d = x - y
    return np.abs(d) if s.kind == "weighted_abs_diff" else d * d


_HASH_BLOCK = 1 << 20


def _hash_sums(index, n_bins, present, weight) -> np.ndarray:
    """Per bin, the sum modulo 2**64 of the weights' 64-bit hashes (the fingerprint's g(w)).

    Each 32-bit half is summed by a float bincount over blocks of 2**20 rows (exact below
    2**53) and the blocks' sums are added as unsigned integers, so the sums stay exact at
    any size; uint64 addition wraps, which is the arithmetic of the fingerprint.
    """
    from .._tables._fingerprint import weight_chunks

    w = _floats(weight)
    w = np.where(np.isfinite(w) & (w >= 0), w, 0.0)  # bad weights are reported by the checks
    acc = np.zeros(n_bins, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, len(w), _HASH_BLOCK):
            block = slice(start, start + _HASH_BLOCK)
            for i, chunk in enumerate(weight_chunks(w[block])):
                part = np.bincount(index[block], weights=chunk, minlength=n_bins).astype(np.uint64)
                acc += part << np.uint64(32 * i)
    return acc if present is None else acc[present]
