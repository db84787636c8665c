"""Input checking: one entry per public function, arrays out, the caller's data untouched.

Messages follow one template: ``"{caller}(): `{param}` must be ...; got ..."``, and add a
``Hint:`` where there is an obvious fix.
"""

from __future__ import annotations

import difflib
import numbers
from typing import Any, Mapping, NamedTuple

import numpy as np
import pandas as pd

from .exceptions import AuditError, InvalidParameterError

__all__: list[str] = []


def _check_option(value, name, allowed, *, caller):
    """Raise unless ``value`` is one of ``allowed``; return it."""
    if isinstance(value, str) and value in allowed:
        return value
    options = sorted(allowed)
    msg = f"{caller}(): `{name}` must be one of {options}; got {value!r}."
    close = difflib.get_close_matches(str(value), options, n=1)
    if close:
        msg += f" Hint: did you mean {close[0]!r}?"
    raise InvalidParameterError(msg)


def _check_interval(value, name, low, high, *, caller, closed="neither"):
    """Raise unless ``value`` is a real number inside (low, high), closed as asked."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"{caller}(): `{name}` must be a number; got {value!r}."
        raise InvalidParameterError(msg)
    lo_ok = value >= low if closed in ("left", "both") else value > low
    hi_ok = value <= high if closed in ("right", "both") else value < high
    if not (lo_ok and hi_ok):
        left = "[" if closed in ("left", "both") else "("
        right = "]" if closed in ("right", "both") else ")"
        msg = f"{caller}(): `{name}` must be in {left}{low}, {high}{right}; got {value!r}."
        raise InvalidParameterError(msg)
    return float(value)


def _suggest(name, candidates) -> str:
    close = difflib.get_close_matches(str(name), [str(c) for c in candidates], n=3, cutoff=0.5)
    if close:
        return " Hint: did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = [str(c) for c in list(candidates)[:12]]
    more = ", ..." if len(candidates) > 12 else ""
    return f" Available columns: {', '.join(shown)}{more}."


def _is_array_like(value) -> bool:
    return hasattr(value, "__array__") or isinstance(value, (list, tuple, pd.Series, pd.Index))


def _column(data, value, name, *, caller):
    """Resolve ``value`` as a column of ``data`` or as an array; return (name, column)."""
    if isinstance(value, pd.Series):
        return (value.name if value.name is not None else name), value
    if _is_array_like(value):
        return name, value
    if data is None:
        msg = (
            f"{caller}(): `{name}` is {value!r}, which looks like a column name, but no "
            f"`data` was given. Hint: pass data=<DataFrame>, or pass the values themselves."
        )
        raise AuditError(msg)
    if value not in data.columns:
        msg = f"{caller}(): `{name}`: no column {value!r} in `data`." + _suggest(value, data.columns)
        raise AuditError(msg)
    return value, data[value]


def _protected_columns(data, protected, *, caller) -> dict[str, Any]:
    """Normalise ``protected`` to an ordered ``{attribute name: column}`` mapping."""
    if protected is None:
        msg = f"{caller}(): `protected` is required: a column name, a list of names, or arrays."
        raise InvalidParameterError(msg)
    if isinstance(protected, pd.DataFrame):
        return {str(c): protected[c] for c in protected.columns}
    if isinstance(protected, Mapping):
        return {str(k): _column(data, v, str(k), caller=caller)[1] for k, v in protected.items()}
    if isinstance(protected, (list, tuple)) and len(protected) > 0:
        every_name = all(isinstance(p, str) for p in protected)
        if data is not None and every_name:
            return _distinct([_column(data, p, "protected", caller=caller) for p in protected], caller)
        if all(_is_array_like(p) for p in protected):
            return _distinct([
                (p.name if isinstance(p, pd.Series) and p.name is not None else f"protected_{i}", p)
                for i, p in enumerate(protected, start=1)
            ], caller)
    label, col = _column(data, protected, "protected", caller=caller)
    return {str(label): col}


def _distinct(named_columns, caller) -> dict[str, Any]:
    names = [str(n) for n, _ in named_columns]
    if len(set(names)) != len(names):
        msg = f"{caller}(): protected attribute names must be distinct; got {names}."
        raise AuditError(msg)
    return dict(zip(names, (c for _, c in named_columns)))


def _to_1d(values, name, *, caller) -> np.ndarray:
    if isinstance(values, (pd.Series, pd.Index)):
        arr = values.to_numpy()
    else:
        arr = np.asarray(values)
    if arr.ndim != 1:
        msg = f"{caller}(): `{name}` must be one-dimensional; got shape {arr.shape}."
        raise AuditError(msg)
    return arr


def _n_missing(arr: np.ndarray) -> int:
    if arr.dtype.kind in "biu":
        return 0
    return int(pd.isna(arr).sum())


def _as_binary(values, name, *, caller, pos_label) -> np.ndarray:
    """Return a 0/1 (bool or integer) array equal to ``values == pos_label``.

    Integer 0/1 and bool input is returned without a copy, which keeps memory flat on
    large audits; everything else costs one boolean array.
    """
    arr = _to_1d(values, name, caller=caller)
    if arr.size == 0:
        return arr.astype(bool)
    if arr.dtype == bool and isinstance(pos_label, (bool, np.bool_, numbers.Integral)) and pos_label in (0, 1):
        return arr if pos_label else ~arr
    if arr.dtype.kind in "iu" and not isinstance(pos_label, (str, bytes)):
        lo, hi = arr.min(), arr.max()
        if lo >= 0 and hi <= 1 and pos_label == 1:
            return arr
        found = np.unique(arr) if hi - lo > 1 else np.unique(np.array([lo, hi]))
    else:
        missing = _n_missing(arr)
        if missing:
            msg = (
                f"{caller}(): `{name}` must not contain missing values; got {missing} missing "
                f"of {arr.size}. Hint: drop or impute those rows first; biasaudit never guesses labels."
            )
            raise AuditError(msg)
        found = pd.unique(arr)
    _check_binary_values(found, name, caller=caller, pos_label=pos_label)
    return arr == pos_label


def _check_binary_values(found, name, *, caller, pos_label) -> None:
    values = list(found)
    try:
        values = sorted(values)
    except TypeError:
        values = sorted(values, key=repr)
    shown = [v.item() if hasattr(v, "item") else v for v in values[:10]]
    if len(values) > 2:
        msg = (
            f"{caller}(): `{name}` must be binary; found {len(values)} distinct values "
            f"{shown}{' ...' if len(values) > 10 else ''}. Hint: binarise it first, for example "
            f"`{name}=(column == <favourable value>)`, then keep pos_label=1."
        )
        raise AuditError(msg)
    has_pos = any(_same_label(v, pos_label) for v in values)
    if has_pos:
        return
    if len(values) == 2 or not _compatible(values[0], pos_label):
        msg = (
            f"{caller}(): pos_label={pos_label!r} is not among the values of `{name}`, "
            f"which are {shown}. Hint: set pos_label to the value that means the positive "
            f"(predicted or actual) outcome, e.g. pos_label={shown[-1]!r}."
        )
        raise AuditError(msg)


def _same_label(value, pos_label) -> bool:
    try:
        return bool(value == pos_label) and _compatible(value, pos_label)
    except (TypeError, ValueError):
        return False


def _compatible(value, pos_label) -> bool:
    text = (str, bytes, np.str_, np.bytes_)
    return isinstance(value, text) == isinstance(pos_label, text)


def _as_weights(values, *, caller) -> np.ndarray:
    arr = _to_1d(values, "sample_weight", caller=caller)
    if arr.dtype.kind not in "biuf":
        msg = f"{caller}(): `sample_weight` must be numeric; got dtype {arr.dtype}."
        raise AuditError(msg)
    arr = arr.astype(np.float64, copy=False)
    if arr.size and not (arr.min() >= 0 and np.isfinite(arr.max())):
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        n_neg = int((arr < 0).sum())
        msg = (
            f"{caller}(): `sample_weight` must be finite and >= 0; got {n_neg} negative, "
            f"{n_nan} NaN and {n_inf} infinite weights."
        )
        raise AuditError(msg)
    return arr


def _check_lengths(lengths: Mapping[str, int], *, caller) -> int:
    if len(set(lengths.values())) > 1:
        got = ", ".join(f"{k}={n}" for k, n in lengths.items())
        msg = f"{caller}(): all inputs must have the same length; got {got}."
        raise AuditError(msg)
    n = next(iter(lengths.values()))
    if n == 0:
        msg = f"{caller}(): the data are empty (0 rows); an audit needs at least one row."
        raise AuditError(msg)
    return n


class AuditInputs(NamedTuple):
    """Normalised audit inputs: 0/1 arrays, raw protected columns, float weights or None."""

    y_true: np.ndarray | None
    y_pred: np.ndarray
    protected: dict[str, Any]
    sample_weight: np.ndarray | None
    n_rows: int


def _check_audit_inputs(data, *, y_true, y_pred, protected, sample_weight, pos_label, caller):
    """The one validation entry of :func:`biasaudit.audit` and :func:`biasaudit.group_counts`."""
    if data is not None and not isinstance(data, pd.DataFrame):
        msg = f"{caller}(): `data` must be a pandas DataFrame or None; got {type(data).__name__}."
        raise InvalidParameterError(msg)
    if isinstance(pos_label, float) and np.isnan(pos_label):
        msg = f"{caller}(): `pos_label` must be a label value; got NaN."
        raise InvalidParameterError(msg)
    columns = {}
    if y_true is not None:
        columns["y_true"] = _column(data, y_true, "y_true", caller=caller)[1]
    if y_pred is None:
        msg = f"{caller}(): `y_pred` is required: the decisions or predictions to audit."
        raise InvalidParameterError(msg)
    columns["y_pred"] = _column(data, y_pred, "y_pred", caller=caller)[1]
    prot = _protected_columns(data, protected, caller=caller)
    if sample_weight is not None:
        columns["sample_weight"] = _column(data, sample_weight, "sample_weight", caller=caller)[1]
    lengths = {k: len(v) for k, v in columns.items()}
    lengths.update({f"protected[{k!r}]": len(v) for k, v in prot.items()})
    n_rows = _check_lengths(lengths, caller=caller)
    yt = None if y_true is None else _as_binary(columns["y_true"], "y_true", caller=caller, pos_label=pos_label)
    yp = _as_binary(columns["y_pred"], "y_pred", caller=caller, pos_label=pos_label)
    w = None if sample_weight is None else _as_weights(columns["sample_weight"], caller=caller)
    for key, col in prot.items():
        if np.ndim(col) != 1:
            msg = f"{caller}(): `protected[{key!r}]` must be one-dimensional; got shape {np.shape(col)}."
            raise AuditError(msg)
    return AuditInputs(yt, yp, prot, w, n_rows)
