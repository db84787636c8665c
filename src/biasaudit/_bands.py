"""``bands()``: turn a continuous protected attribute (an age, an income) into a few groups.

Auditing every distinct age as a group of its own gives dozens of tiny groups and no
usable comparison; a handful of documented bands gives groups large enough to test.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ._validation import _check_option
from .exceptions import AuditError, InvalidParameterError

__all__ = ["bands", "AGE_EDGES"]

#: Lower edges of the age bands after the first: under 25, 25-34, 35-44, 45-54, 55-64,
#: 65 and over (the ten-year bands of labour statistics, with the youngest and oldest
#: workers kept apart).
AGE_EDGES = (25, 35, 45, 55, 65)


def _fmt(x: float) -> str:
    return f"{x:g}"


def bands(values, *, kind="age", edges=None, n_bands=4) -> pd.Series:
    """Band a numeric attribute into ordered groups, ready to pass as ``protected``.

    Parameters
    ----------
    values : array-like of numbers, or Series
        The attribute, for example ages in years. Missing values stay missing (they
        form the ``"(missing)"`` group of an audit).
    kind : {"age", "quantile"}, default="age"
        ``"age"``: the bands *under 25, 25-34, 35-44, 45-54, 55-64, 65 and over* (each band
        includes its lower edge: 34.5 is in 25-34, 35 in 35-44). ``"quantile"``: ``n_bands``
        bands of about equal size, from the quantiles of the values (edges that coincide
        are merged, so there may be fewer bands).
    edges : sequence of numbers or None, default=None
        With ``kind="age"``, other increasing lower edges instead of :data:`AGE_EDGES`.
    n_bands : int, default=4
        With ``kind="quantile"``, the number of bands (2 or more).

    Returns
    -------
    Series
        Ordered categorical labels (text), with the index of ``values`` when it is a
        Series, else a default index.

    Raises
    ------
    AuditError
        If the values are not numbers, or ages are negative.

    Examples
    --------
    >>> import biasaudit as ba
    >>> ba.bands([19, 25, 34.5, 35, 64, 70]).tolist()
    ['under 25', '25-34', '25-34', '35-44', '55-64', '65 and over']
    >>> ba.bands([1, 2, 3, 4, 5, 6, 7, 8], kind="quantile", n_bands=2).tolist()
    ['[1, 4.5)', '[1, 4.5)', '[1, 4.5)', '[1, 4.5)', '[4.5, 8]', '[4.5, 8]', '[4.5, 8]', '[4.5, 8]']
    """
    caller = "bands"
    _check_option(kind, "kind", {"age", "quantile"}, caller=caller)
    index = values.index if isinstance(values, pd.Series) else None
    arr = _numbers(values, caller)
    if kind == "age":
        lower = _edges(AGE_EDGES if edges is None else edges, caller)
        if np.nanmin(arr, initial=0.0) < 0:
            msg = f"{caller}(): `values` must be ages >= 0 with kind='age'; got {np.nanmin(arr):g}."
            raise AuditError(msg)
        labels = ([f"under {_fmt(lower[0])}"]
                  + [f"{_fmt(a)}-{_fmt(b - 1)}" if _whole(a, b) else f"[{_fmt(a)}, {_fmt(b)})"
                     for a, b in zip(lower[:-1], lower[1:])]
                  + [f"{_fmt(lower[-1])} and over"])
        cut = np.concatenate([[-np.inf], lower, [np.inf]])
    else:
        if edges is not None:
            msg = f"{caller}(): `edges` applies to kind='age' only; got kind='quantile' with edges={edges!r}."
            raise InvalidParameterError(msg)
        if isinstance(n_bands, bool) or not isinstance(n_bands, numbers.Integral) or n_bands < 2:
            msg = f"{caller}(): `n_bands` must be an integer >= 2; got {n_bands!r}."
            raise InvalidParameterError(msg)
        finite = arr[~np.isnan(arr)]
        if finite.size == 0:
            msg = f"{caller}(): `values` must hold at least one non-missing number for quantile bands."
            raise AuditError(msg)
        cut = np.unique(np.quantile(finite, np.linspace(0, 1, int(n_bands) + 1)))
        if cut.size == 1:
            cut = np.array([cut[0], cut[0]])
        labels = [f"[{_fmt(a)}, {_fmt(b)})" for a, b in zip(cut[:-2], cut[1:-1])] + [f"[{_fmt(cut[-2])}, {_fmt(cut[-1])}]"]
        cut = cut.copy()
        cut[-1] = np.inf  # the largest value belongs to the last band
    codes = np.searchsorted(cut, arr, side="right") - 1
    codes = np.where(np.isnan(arr), -1, np.clip(codes, 0, len(labels) - 1))
    cat = pd.Categorical.from_codes(codes.astype(np.int64), categories=pd.Index(labels), ordered=True)
    return pd.Series(cat, index=index, name=getattr(values, "name", None))


def _whole(a, b) -> bool:
    return float(a).is_integer() and float(b).is_integer()


def _numbers(values, caller) -> np.ndarray:
    if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
        msg = f"{caller}(): `values` must be a one-dimensional array of numbers; got {type(values).__name__}."
        raise InvalidParameterError(msg)
    try:
        arr = pd.to_numeric(pd.Series(values, copy=False).to_numpy(), errors="raise")
    except (TypeError, ValueError):
        msg = f"{caller}(): `values` must be numbers; got values such as {list(values[:3])!r}."
        raise AuditError(msg) from None
    arr = np.asarray(arr, dtype=np.float64)
    if np.isinf(arr).any():
        msg = f"{caller}(): `values` must be finite; got {int(np.isinf(arr).sum())} infinite values."
        raise AuditError(msg)
    return arr


def _edges(edges, caller) -> np.ndarray:
    try:
        out = np.asarray(edges, dtype=np.float64)
    except (TypeError, ValueError):
        out = None
    if out is None or out.ndim != 1 or out.size == 0 or not np.isfinite(out).all() or (np.diff(out) <= 0).any():
        msg = f"{caller}(): `edges` must be increasing finite numbers; got {edges!r}."
        raise InvalidParameterError(msg)
    return out
