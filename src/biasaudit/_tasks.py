"""The task of an audit (binary, multiclass or regression): detection, inputs and the table.

``task="auto"`` classifies ``y_true`` and ``y_pred`` by the rule of scikit-learn's
``type_of_target`` (binary, multiclass, continuous; see :func:`_kind` for where it differs,
and for why it never sorts every row of 0/1 labels) and decides:

- both binary (or ``y_pred`` binary without ``y_true``): ``"binary"``;
- either continuous, both numeric: ``"regression"``;
- both discrete and multiclass (or ``y_pred`` multiclass without ``y_true``) with at
  most :data:`MAX_AUTO_CLASSES` classes and the same kind of labels (numbers or text):
  ``"multiclass"``;
- anything else is ambiguous and raises, saying what was found and how to name the task.

Binary inputs of a binary task keep their own validation (``_check_audit_inputs``,
which binarises); multiclass and regression inputs come through
:func:`check_task_inputs`, which never binarises.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import numpy as np
import pandas as pd

from ._encoding import encode_attribute
from ._tables._classes import count_classes
from ._tables._moment import count_moments, prediction_edges
from ._validation import _as_weights, _check_lengths, _column, _n_missing, _protected_columns, _to_1d
from .exceptions import AuditError, InvalidParameterError

__all__ = ["TASKS", "detect_task"]

TASKS = ("auto", "binary", "multiclass", "regression")
#: Above this many distinct discrete values, "auto" will not guess between classes and amounts.
MAX_AUTO_CLASSES = 20


def _kind(values) -> str:
    """'binary', 'multiclass' or 'continuous', as scikit-learn's type_of_target says for 1-D input.

    Unlike type_of_target, a column with at most two distinct values is binary even when
    they are not whole numbers ({0.5, 1.0}): an audit never reads two codes as amounts, and
    the binary path then asks which value is positive instead of guessing. Text mixed with
    numbers, or unhashable values, are also sent to the binary checks, which refuse them
    with the values found. Integers are decided from their minimum and maximum where they
    can be, and floats from their first rows where they can be: no sort of every row.
    """
    arr = np.asarray(values)
    if arr.dtype == bool:
        return "binary"
    if arr.dtype.kind in "iu" and arr.size:
        lo, hi = arr.min(), arr.max()
        if hi - lo <= 1:
            return "binary"
        if hi - lo < 1 << 16:
            distinct = int(np.count_nonzero(np.bincount((arr - lo).astype(np.intp, copy=False))))
        else:
            distinct = len(np.unique(arr))
        return "binary" if distinct <= 2 else "multiclass"
    if arr.dtype.kind == "f" and arr.size:
        if not np.isfinite(arr).all():
            return "continuous"
        head = np.unique(arr[:1000])
        if len(head) > 2 and (np.mod(head, 1.0) != 0).any():
            return "continuous"
        seen = np.unique(arr)
        if len(seen) <= 2:
            return "binary"
        return "multiclass" if (np.mod(seen, 1.0) == 0).all() else "continuous"
    if arr.dtype.kind == "O":
        try:
            mixed = len({isinstance(v, str) for v in pd.unique(arr) if not pd.isna(v)}) > 1
        except TypeError:  # unhashable values (lists)
            return "binary"
        if mixed:
            return "binary"
    return "binary" if len(pd.unique(arr)) <= 2 else "multiclass"


def _describe(name, values, kind) -> str:
    uniq = list(pd.unique(np.asarray(values)))
    try:
        uniq = sorted(uniq)
    except TypeError:
        uniq = sorted(uniq, key=repr)
    shown = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in uniq[:5])
    return f"`{name}` looks {kind} ({len(uniq)} distinct values: {shown}{', ...' if len(uniq) > 5 else ''})"


def detect_task(y_true, y_pred, *, caller: str = "audit") -> str:
    """The task ``"auto"`` stands for, from the values of ``y_true`` (or None) and ``y_pred``.

    Examples
    --------
    >>> detect_task([0, 1, 1], [1, 1, 0])
    'binary'
    >>> detect_task([1.5, 2.0, 3.25], [1.0, 2.5, 3.0])
    'regression'
    >>> detect_task(["a", "b", "c"], ["a", "c", "b"])
    'multiclass'
    """
    pred = _to_1d(y_pred, "y_pred", caller=caller)
    true = None if y_true is None else _to_1d(y_true, "y_true", caller=caller)
    if _n_missing(pred) or (true is not None and _n_missing(true)) or len(pred) == 0:
        return "binary"  # whose validation reports missing labels and empty data
    kinds = {"y_pred": _kind(pred)} | ({} if true is None else {"y_true": _kind(true)})
    found = set(kinds.values())
    numeric = all(np.asarray(v).dtype.kind in "biuf" for v in ([pred] if true is None else [pred, true]))
    if found == {"binary"}:
        return "binary"
    if "continuous" in found and numeric:
        return "regression"
    # A binary column beside several classes (a yes/no outcome and risk levels, or classes
    # some of which were never predicted?) is left to the auditor, as are many classes.
    if found == {"multiclass"}:
        columns = [pred] if true is None else [pred, true]
        n_classes = len(set().union(*(pd.unique(a).tolist() for a in columns)))
        if n_classes <= MAX_AUTO_CLASSES and len({a.dtype.kind in "biuf" for a in columns}) == 1:
            return "multiclass"
    described = "; ".join(_describe(k, pred if k == "y_pred" else true, v) for k, v in kinds.items())
    msg = (f"{caller}(): cannot tell the task from the data: {described}. Hint: pass task='binary' "
           f"(with pos_label), task='multiclass' (y_true=None audits the predicted classes alone; "
           f"favorable_classes=[...] or audit_ordinal() binarise them) or task='regression'.")
    raise AuditError(msg)


def auto_task(data, y_true, y_pred, *, caller: str) -> str:
    """The task of ``task="auto"``; inputs the binary validation rejects anyway are left to it."""
    if (data is not None and not isinstance(data, pd.DataFrame)) or y_pred is None:
        return "binary"
    y_true_values = None if y_true is None else _column(data, y_true, "y_true", caller=caller)[1]
    return detect_task(y_true_values, _column(data, y_pred, "y_pred", caller=caller)[1], caller=caller)


def check_task(task, *, caller: str) -> str:
    if not isinstance(task, str) or task not in TASKS:
        raise InvalidParameterError(f"{caller}(): `task` must be one of {list(TASKS)}; got {task!r}.")
    return task


class TaskInputs(NamedTuple):
    """Multiclass or regression inputs: raw 1-D arrays, protected columns, weights or None."""

    y_true: np.ndarray | None
    y_pred: np.ndarray
    protected: dict
    sample_weight: np.ndarray | None
    n_rows: int


def check_task_inputs(data, *, y_true, y_pred, protected, sample_weight, task: str, caller: str) -> TaskInputs:
    """The validation entry of multiclass and regression audits: nothing is binarised."""
    if data is not None and not isinstance(data, pd.DataFrame):
        raise InvalidParameterError(f"{caller}(): `data` must be a pandas DataFrame or None; "
                                    f"got {type(data).__name__}.")
    if y_pred is None:
        raise InvalidParameterError(f"{caller}(): `y_pred` is required: the decisions or predictions to audit.")
    columns = {"y_pred": _column(data, y_pred, "y_pred", caller=caller)[1]}
    if y_true is not None:
        columns["y_true"] = _column(data, y_true, "y_true", caller=caller)[1]
    if sample_weight is not None:
        columns["sample_weight"] = _column(data, sample_weight, "sample_weight", caller=caller)[1]
    prot = _protected_columns(data, protected, caller=caller)
    lengths = {k: len(v) for k, v in columns.items()} | {f"protected[{k!r}]": len(v) for k, v in prot.items()}
    n_rows = _check_lengths(lengths, caller=caller)
    arrays = {k: _to_1d(columns[k], k, caller=caller) for k in ("y_true", "y_pred") if k in columns}
    if task == "regression":
        for k, arr in arrays.items():
            if arr.dtype.kind not in "biuf":
                raise AuditError(f"{caller}(): `{k}` must be numeric for task='regression'; got dtype {arr.dtype}.")
            arr = arr.astype(np.float64, copy=False)
            if not np.isfinite(arr).all():
                raise AuditError(f"{caller}(): `{k}` must be finite for task='regression'; got "
                                 f"{int((~np.isfinite(arr)).sum())} NaN or infinite values.")
            arrays[k] = arr
    else:
        for k, arr in arrays.items():
            if _n_missing(arr):
                raise AuditError(f"{caller}(): `{k}` must not contain missing values; got {_n_missing(arr)} "
                                 f"missing of {arr.size}. Hint: drop those rows or give them a class of their own.")
    w = None if sample_weight is None else _as_weights(columns["sample_weight"], caller=caller)
    return TaskInputs(arrays.get("y_true"), arrays["y_pred"], prot, w, n_rows)


def class_codes(y_true, y_pred, *, caller: str):
    """Sorted union of the classes and the codes of both arrays."""
    both = [a for a in (y_true, y_pred) if a is not None]
    text = [a.dtype.kind in "OUS" for a in both]
    if len(set(text)) > 1:
        raise AuditError(f"{caller}(): `y_true` and `y_pred` must use the same kind of class labels; got "
                         f"dtypes {y_true.dtype} and {y_pred.dtype}. Hint: for a binary outcome and several "
                         f"predicted classes, pass y_true=None, or binarise the classes with "
                         f"favorable_classes=[...] or audit_ordinal().")
    if all(a.dtype.kind in "iu" for a in both):
        lo = min(int(a.min()) for a in both)
        hi = max(int(a.max()) for a in both)
        if hi - lo <= 100_000:  # small integer classes: a presence count instead of hashing
            seen = sum(np.bincount(a - lo, minlength=hi - lo + 1) > 0 for a in both)
            present = np.flatnonzero(seen)
            lookup = np.zeros(hi - lo + 1, dtype=np.intp)
            lookup[present] = np.arange(present.size)
            if lo == 0 and present.size == hi + 1:
                mapped = both  # the labels are already the codes 0..K-1
            else:
                mapped = [lookup[a - lo] for a in both]
            classes = tuple(int(c) + lo for c in present)
            return (None if y_true is None else mapped[0]), mapped[-1], classes
    # each array is factorised on its own (one hash pass, no concatenated copy); the small
    # lists of labels are merged and each array's codes remapped through a lookup table
    parts = [pd.factorize(a.astype(object) if any(text) and a.dtype.kind not in "OUS" else a, sort=False)
             for a in both]
    labels: dict = {}
    for _, uniques in parts:
        for u in uniques:
            labels.setdefault(_label_key(u), u.item() if isinstance(u, np.generic) else u)
    try:
        classes = tuple(sorted(labels.values()))
    except TypeError:
        classes = tuple(sorted(labels.values(), key=lambda x: (type(x).__name__, repr(x))))
    position = {_label_key(c): i for i, c in enumerate(classes)}
    mapped = [np.array([position[_label_key(u)] for u in uniques], dtype=np.intp)[codes] for codes, uniques in parts]
    true_codes = None if y_true is None else mapped[0]
    return true_codes, mapped[-1], classes


def _label_key(x):
    if isinstance(x, np.generic):
        x = x.item()
    return (type(x).__name__ if not isinstance(x, (int, float)) or isinstance(x, bool) else "number", x)


def count_task_table(inputs: TaskInputs, task: str, *, prediction_bins, fingerprint: bool, caller: str):
    """The table of a multiclass or regression audit."""
    encoded = [encode_attribute(col, name) for name, col in inputs.protected.items()]
    for name, col in inputs.protected.items():
        if np.ndim(col) != 1:
            raise AuditError(f"{caller}(): `protected[{name!r}]` must be one-dimensional; got shape {np.shape(col)}.")
    if task == "regression":
        edges, median = prediction_edges(inputs.y_pred, inputs.sample_weight, prediction_bins, caller=caller)
        return count_moments(encoded, inputs.y_true, inputs.y_pred, weight=inputs.sample_weight, edges=edges,
                             median=median, fingerprint=fingerprint, caller=caller)
    true_codes, pred_codes, classes = class_codes(inputs.y_true, inputs.y_pred, caller=caller)
    return count_classes(encoded, true_codes, pred_codes, classes, weight=inputs.sample_weight,
                         fingerprint=fingerprint, caller=caller)


def favourable_indicator(values, favorable_classes, name: str, *, caller: str) -> np.ndarray:
    """0/1 membership of each value in the favourable classes (checked against the values seen)."""
    arr = _to_1d(values, name, caller=caller)
    wanted = list(favorable_classes)
    seen = set(pd.unique(arr).tolist())
    unknown = [c for c in wanted if c not in seen]
    if not wanted or len(unknown) == len(wanted):
        raise InvalidParameterError(f"{caller}(): `favorable_classes` must name classes of `{name}`; got "
                                    f"{wanted!r}, classes seen: {sorted(map(str, seen))}.")
    return np.isin(arr, wanted).astype(np.int8)


def is_number(x) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


def binarise_classes(data, y_true, y_pred, favorable_classes, pos_label, *, caller: str):
    """(y_true, y_pred, pos_label, task) of the binary audit of "a favourable class or not".

    ``y_true`` is binarised the same way when some of its values are favourable classes;
    otherwise it is an outcome of its own, read with ``pos_label``.
    """
    if isinstance(favorable_classes, (str, bytes)) or not hasattr(favorable_classes, "__iter__"):
        favorable_classes = [favorable_classes]
    favorable_classes = list(favorable_classes)
    pred = favourable_indicator(_column(data, y_pred, "y_pred", caller=caller)[1], favorable_classes, "y_pred",
                                caller=caller)
    if y_true is None:
        return None, pred, 1, "binary"
    true_values = _to_1d(_column(data, y_true, "y_true", caller=caller)[1], "y_true", caller=caller)
    if set(pd.unique(true_values).tolist()) & set(favorable_classes):
        return np.isin(true_values, favorable_classes).astype(np.int8), pred, 1, "binary"
    if not (is_number(pos_label) and pos_label == 1) and not set(pd.unique(true_values).tolist()) <= {0, 1}:
        raise AuditError(f"{caller}(): with `favorable_classes`, `y_true` must hold classes or be 0/1; "
                         f"got values {sorted(map(str, pd.unique(true_values)))[:6]}.")
    true01 = (true_values == pos_label).astype(np.int8)
    return true01, pred, 1, "binary"
