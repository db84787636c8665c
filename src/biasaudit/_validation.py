"""Input checking: one entry per public function, arrays out, the caller's data untouched.

Messages follow one template: ``"{caller}(): `{param}` must be ...; got ..."``, and add a
``Hint:`` where there is an obvious fix.
"""

from __future__ import annotations

import difflib
import numbers
import warnings
from typing import Any, Mapping, NamedTuple

import numpy as np
import pandas as pd

from .exceptions import AuditError, ContinuousAttributeWarning, InvalidParameterError

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
    if data is not None and isinstance(value, tuple) and _is_key(data, value):
        return value, data[value]  # a MultiIndex column, not three values
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


def _is_key(data, value) -> bool:
    """Whether ``value`` names a column of ``data`` (a string, an integer, a MultiIndex tuple)."""
    if data is None or _is_array_like(value) and not isinstance(value, tuple):
        return False
    try:
        return value in data.columns
    except (TypeError, ValueError):  # unhashable, or not comparable with the column names
        return False


def _no_attribute(protected, caller):
    msg = (f"{caller}(): `protected` must name at least one attribute; got {protected!r}. "
           f"Hint: pass a column name, a list of names, or a dict {{name: values}}.")
    return InvalidParameterError(msg)


def _protected_columns(data, protected, *, caller) -> dict[str, Any]:
    """Normalise ``protected`` to an ordered ``{attribute name: column}`` mapping."""
    if protected is None:
        msg = f"{caller}(): `protected` is required: a column name, a list of names, or arrays."
        raise InvalidParameterError(msg)
    if isinstance(protected, pd.DataFrame):
        if protected.shape[1] == 0:
            raise _no_attribute(protected, caller)
        return {str(c): protected[c] for c in protected.columns}
    if isinstance(protected, Mapping):
        if not protected:
            raise _no_attribute(protected, caller)
        return {str(k): _column(data, v, str(k), caller=caller)[1] for k, v in protected.items()}
    if _is_key(data, protected):
        return {str(protected): data[protected]}
    if isinstance(protected, (list, tuple)):
        if len(protected) == 0:
            raise _no_attribute(protected, caller)
        if data is not None and all(_is_key(data, p) for p in protected):
            return _distinct([(p, data[p]) for p in protected], caller)
        if data is not None and all(isinstance(p, str) for p in protected):
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
        found = _unique(arr, name, caller)
    _check_binary_values(found, name, caller=caller, pos_label=pos_label)
    return arr == pos_label


def _unique(arr, name, caller):
    try:
        return pd.unique(arr)
    except TypeError:  # unhashable values such as lists (a list-valued Parquet column)
        bad = next(v for v in arr if not _hashable(v))
        msg = (f"{caller}(): `{name}` must hold one scalar label per row; got a value of type "
               f"{type(bad).__name__} ({_short(bad)}).")
        raise AuditError(msg) from None


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _short(value, width=40) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _is_text(value) -> bool:
    return isinstance(value, (str, bytes, np.str_, np.bytes_))


def _is_number(value) -> bool:
    return isinstance(value, (numbers.Number, np.bool_)) and not _is_text(value)


def _check_binary_values(found, name, *, caller, pos_label) -> None:
    values = list(found)
    try:
        values = sorted(values)
    except TypeError:
        values = sorted(values, key=repr)
    shown = [v.item() if hasattr(v, "item") else v for v in values[:10]]
    if any(_is_text(v) for v in values) and not all(_is_text(v) for v in values):
        msg = (f"{caller}(): `{name}` mixes text and non-text labels, which is ambiguous; found {shown}. "
               f"Hint: convert the column to one type first.")
        raise AuditError(msg)
    if len(values) > 2:
        msg = (
            f"{caller}(): `{name}` must be binary; found {len(values)} distinct values "
            f"{shown}{' ...' if len(values) > 10 else ''}. Hint: binarise it first, for example "
            f"`{name}=(column == <favourable value>)`, then keep pos_label=1."
        )
        raise AuditError(msg)
    has_pos = any(_same_label(v, pos_label) for v in values)
    if all(_is_number(v) for v in values) and _is_number(pos_label):
        _check_numeric_negative(values, shown, has_pos, name, caller=caller, pos_label=pos_label)
        return
    if has_pos:
        return
    if len(values) == 2 or not _compatible(values[0], pos_label):
        msg = (
            f"{caller}(): pos_label={pos_label!r} is not among the values of `{name}`, "
            f"which are {shown}. Hint: set pos_label to the value that means the positive "
            f"(predicted or actual) outcome, e.g. pos_label={shown[-1]!r}."
        )
        raise AuditError(msg)


def _check_numeric_negative(values, shown, has_pos, name, *, caller, pos_label) -> None:
    """Numeric labels: the value that is not ``pos_label`` must plainly mean "negative".

    With pos_label 1 the negative is 0 and with pos_label 0 it is 1; anything else (0.5,
    2, 7.0, a column that never holds either) would be counted negative by a guess.
    """
    complement = {1: 0, 0: 1}.get(pos_label) if pos_label in (0, 1) else None
    others = [v for v in values if not _same_label(v, pos_label)]
    if not others:
        return
    if has_pos and complement is None:
        return  # an explicit pos_label such as 2 in {1, 2}: the other value is the negative
    if complement is not None and all(v == complement for v in others):
        return
    expected = f"{pos_label!r} and {complement!r}" if complement is not None else f"{pos_label!r}"
    msg = (f"{caller}(): `{name}` is ambiguous: its values are {shown}, but with pos_label={pos_label!r} "
           f"they must be among {expected}. Hint: binarise it yourself, for example "
           f"`{name}=(column >= threshold)`, or set pos_label to the positive value.")
    raise AuditError(msg)


def _same_label(value, pos_label) -> bool:
    try:
        return bool(value == pos_label) and _compatible(value, pos_label)
    except (TypeError, ValueError):
        return False


def _compatible(value, pos_label) -> bool:
    text = (str, bytes, np.str_, np.bytes_)
    return isinstance(value, text) == isinstance(pos_label, text)


#: Weights are rescaled by a power of two (exact) when their largest value is outside
#: 2**-_SCALE_EXP .. 2**_SCALE_EXP, so sums of squares neither overflow nor underflow.
_SCALE_EXP = 256


def _as_weights(values, *, caller, require_total=True) -> np.ndarray:
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
    top = arr.max() if arr.size else 1.0
    if arr.size and top == 0 and require_total:
        msg = (f"{caller}(): `sample_weight` must have a positive total; got all {arr.size} weights "
               f"equal to 0, so no rate could be assessed.")
        raise AuditError(msg)
    exponent = int(np.frexp(top)[1])
    if top > 0 and abs(exponent) > _SCALE_EXP:
        # Every result is a ratio of weighted sums: an exact power-of-two rescale changes none
        # of them, and keeps the sums of squared weights inside the float range.
        arr = np.ldexp(arr, -exponent)
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
    columns, prot = _aligned(data, columns, prot, caller=caller)
    lengths = {k: len(v) for k, v in columns.items()}
    lengths.update({f"protected[{k!r}]": len(v) for k, v in prot.items()})
    _check_lengths(lengths, caller=caller)
    yt = None if y_true is None else _as_binary(columns["y_true"], "y_true", caller=caller, pos_label=pos_label)
    yp = _as_binary(columns["y_pred"], "y_pred", caller=caller, pos_label=pos_label)
    # A chunk of a larger table (group_counts) may weigh nothing; a whole audit may not.
    w = None if sample_weight is None else _as_weights(columns["sample_weight"], caller=caller,
                                                       require_total=caller == "audit")
    for key, col in prot.items():
        _check_protected(key, col, caller=caller)
    return AuditInputs(yt, yp, prot, w)


def _aligned(data, columns, prot, *, caller):
    """Series aligned by label on one index; never combined by position when indexes differ.

    The index is ``data``'s, else the first Series'. A Series with the same labels in
    another order is reordered; one with other labels is an error naming the argument.
    """
    named = [*columns.items(), *((f"protected[{k!r}]", v) for k, v in prot.items())]
    if data is not None:
        index, source = data.index, "data"
    else:
        first = next(((k, v) for k, v in named if isinstance(v, pd.Series)), None)
        if first is None:
            return columns, prot
        source, index = f"`{first[0]}`", first[1].index

    def align(key, col):
        if not isinstance(col, pd.Series) or col.index is index or len(col) != len(index):
            return col  # arrays are positional; unequal lengths are reported by _check_lengths
        if col.index.equals(index):
            return col
        if index.is_unique and col.index.is_unique:
            positions = index.get_indexer(col.index)
            if (positions >= 0).all():
                return col.reindex(index)
        msg = (f"{caller}(): `{key}` is a Series whose index does not match the index of {source}; "
               f"got labels such as {_short(list(col.index[:3]))} against {_short(list(index[:3]))}. "
               f"Hint: pass a column name, an array, or a Series with the same index labels.")
        raise AuditError(msg)

    columns = {k: align(k, v) for k, v in columns.items()}
    prot = {k: align(f"protected[{k!r}]", v) for k, v in prot.items()}
    return columns, prot


#: Distinct numeric values above which a protected attribute is treated as continuous.
CONTINUOUS_LEVELS = 20
_SAMPLE_ROWS = 200_000  # rows looked at before counting distinct values in full


def _check_protected(key, col, *, caller) -> None:
    """A protected column is one-dimensional, holds scalar labels that stay distinct once
    printed, and is not a continuous measurement (which is warned about)."""
    param = f"protected[{key!r}]"
    try:
        ndim = np.ndim(col)
    except ValueError:  # ragged nested lists
        ndim = None
    if ndim != 1:
        shape = np.shape(col) if ndim is not None else "ragged"
        msg = f"{caller}(): `{param}` must be one-dimensional; got shape {shape}."
        raise AuditError(msg)
    _check_text(key, "a protected attribute name", caller)
    dtype = getattr(col, "dtype", None)
    if isinstance(col, pd.Categorical) or isinstance(dtype, pd.CategoricalDtype):
        return
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return  # one type, and Arrow holds only valid UTF-8: nothing to check, no pass over the data
    arr = col.to_numpy() if isinstance(col, (pd.Series, pd.Index)) else np.asarray(col)
    if arr.dtype.kind == "U":
        for value in pd.unique(arr):
            _check_text(value, f"`{param}`", caller)
    if arr.dtype == object:
        _check_object_labels(arr, param, caller)
    elif arr.dtype.kind in "iuf":
        _warn_if_continuous(arr, key)


def _check_text(value, what, caller) -> None:
    """Text that cannot be written as UTF-8 (a lone surrogate, from text decoded with
    ``errors="surrogateescape"``) would fail every report; say so up front."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            msg = (f"{caller}(): {what} holds text that is not valid Unicode: {value!r} has a lone surrogate "
                   f"{value[exc.start]!r}. Hint: decode the data with its real encoding, or with "
                   f"errors='replace'.")
            raise AuditError(msg) from None


def _check_object_labels(arr, param, caller) -> None:
    kind = pd.api.types.infer_dtype(arr, skipna=True)
    if kind in ("string", "mixed"):
        for value in _unique(arr, param, caller):
            _check_text(value, f"`{param}`", caller)
    if kind in ("string", "bytes", "boolean", "integer", "floating", "empty"):
        return  # one type: labels are distinct and print distinctly
    uniques = [v for v in _unique(arr, param, caller) if not pd.isna(v)]
    texts: dict[str, Any] = {}
    for value in uniques:
        texts.setdefault(str(value), []).append(value)
    clash = next((vs for vs in texts.values() if len(vs) > 1), None)
    if clash is not None:
        msg = (f"{caller}(): `{param}` has distinct values that print the same, {clash}, so their groups "
               f"could not be told apart. Hint: convert the column to one type, e.g. .astype(str).")
        raise AuditError(msg)
    if kind in ("mixed", "mixed-integer", "mixed-integer-float"):
        _check_merged(arr, param, caller)
    if len(uniques) > CONTINUOUS_LEVELS and all(_is_number(v) and not isinstance(v, (bool, np.bool_))
                                                for v in uniques):
        _warn_if_continuous(np.asarray(uniques, dtype=float), param.removeprefix("protected[")[1:-2])


def _check_merged(arr, param, caller) -> None:
    """Equal values of different types (1, 1.0 and True) would silently form one group."""
    types = np.fromiter((type(v).__name__ for v in arr), dtype=object, count=len(arr))
    value_codes, _ = pd.factorize(arr)
    type_codes, type_names = pd.factorize(types)
    seen = value_codes >= 0
    pairs = np.unique(value_codes[seen].astype(np.int64) * len(type_names) + type_codes[seen])
    per_value = np.bincount(pairs // len(type_names))
    if (per_value > 1).any():
        code = int(np.flatnonzero(per_value > 1)[0])
        examples = list({type(v).__name__: v for v in arr[value_codes == code]}.values())
        msg = (f"{caller}(): `{param}` holds equal values of different types, {examples}, which would "
               f"merge into one group. Hint: convert the column to one type, e.g. .astype(str).")
        raise AuditError(msg)


def _warn_if_continuous(arr, key) -> None:
    if len(pd.unique(arr[:_SAMPLE_ROWS])) <= CONTINUOUS_LEVELS:
        return
    n = len(pd.unique(arr)) - int(np.isnan(arr).any() if arr.dtype.kind == "f" else 0)
    msg = (f"Protected attribute {key!r} looks continuous: it is numeric with {n} distinct values, and each "
           f"value becomes a group of its own. Hint: band it first, e.g. biasaudit.bands(values=..., "
           f"kind='age') or kind='quantile'.")
    warnings.warn(msg, ContinuousAttributeWarning, stacklevel=5)
