"""fairlearn's inputs turned into biasaudit's: named sensitive features, 0/1 labels, count tables.

fairlearn names an unnamed feature ``sensitive_feature_<i>``, rejects missing values,
sorts groups and, for several features, lists every combination of the observed values
(empty ones as NaN). :class:`GroupTable` reproduces that layout from one
:func:`biasaudit.group_counts` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .._encoding import encode_attribute
from .._tables._binary import _name_group, binary_cells
from .._tables._count import check_group_count
from .._tables._kernel import AxisCodes, count_cells
from .._validation import _check_audit_inputs
from ..exceptions import AuditError, InvalidParameterError

__all__ = ["GroupTable", "Labels", "count_groups", "sensitive_columns"]

_BASE = "sensitive_feature_"


def sensitive_columns(features: Any, n_rows: int, *, caller: str) -> dict[str, Any]:
    """Split ``sensitive_features`` into ``{name: column}`` the way fairlearn names them."""
    if features is None:
        msg = f"{caller}(): `sensitive_features` is required; got None."
        raise InvalidParameterError(msg)
    if isinstance(features, pd.Series):
        if features.name is not None and not isinstance(features.name, str):
            msg = f"{caller}(): `sensitive_features` Series name must be a string; got {features.name!r}."
            raise InvalidParameterError(msg)
        out: dict[str, Any] = {features.name if features.name is not None else f"{_BASE}0": features}
    elif isinstance(features, (pd.DataFrame, Mapping)):
        frame = features if isinstance(features, pd.DataFrame) else pd.DataFrame(dict(features))
        bad = [c for c in frame.columns if not isinstance(c, str)]
        if bad:
            msg = f"{caller}(): `sensitive_features` column names must be strings; got {bad[0]!r}."
            raise InvalidParameterError(msg)
        if len(set(frame.columns)) != len(frame.columns):
            msg = f"{caller}(): `sensitive_features` column names must be distinct; got {list(frame.columns)}."
            raise InvalidParameterError(msg)
        out = {c: frame.iloc[:, i] for i, c in enumerate(frame.columns)}
    elif isinstance(features, list) and not all(pd.api.types.is_scalar(f) for f in features):
        msg = (f"{caller}(): `sensitive_features` given as a list must hold scalars (one feature); got a "
               f"list of arrays. Hint: pass a DataFrame or a dict of columns for several features.")
        raise InvalidParameterError(msg)
    else:
        arr = features if isinstance(features, np.ndarray) else np.asarray(features, dtype=object)
        arr = np.squeeze(arr) if arr.ndim > 1 else arr
        if arr.ndim == 1:
            out = {f"{_BASE}0": arr}
        elif arr.ndim == 2:
            out = {f"{_BASE}{i}": arr[:, i] for i in range(arr.shape[1])}
        else:
            msg = f"{caller}(): `sensitive_features` must have one or two dimensions; got shape {arr.shape}."
            raise InvalidParameterError(msg)
    for name, col in out.items():
        if len(col) != n_rows:
            msg = (f"{caller}(): `sensitive_features` ({name!r}) must have one value per row ({n_rows}); "
                   f"got {len(col)}.")
            raise AuditError(msg)
    return out


def _as_1d(values: Any, name: str, caller: str) -> np.ndarray:
    arr = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()  # fairlearn squeezes column vectors
    if arr.ndim != 1:
        msg = f"{caller}(): `{name}` must be one-dimensional; got shape {arr.shape}."
        raise AuditError(msg)
    return arr


def _distinct(arr: np.ndarray, name: str, caller: str) -> list:
    """The distinct values of ``arr`` when there are at most two (cheap for numbers); else raise."""
    if arr.size == 0:
        return []
    if arr.dtype.kind in "biuf":
        lo, hi = arr.min(), arr.max()
        if lo == hi:
            return [lo.item()]
        if arr.dtype.kind == "b" or (arr.dtype.kind in "iu" and hi - lo == 1):
            return [lo.item(), hi.item()]  # both extremes occur and nothing lies between
        if np.count_nonzero(arr == lo) + np.count_nonzero(arr == hi) == arr.size:
            return [lo.item(), hi.item()]
        found = np.unique(arr)
    else:
        if pd.isna(arr).any():
            msg = f"{caller}(): `{name}` must not contain missing values."
            raise AuditError(msg)
        found = pd.unique(arr)
    if len(found) > 2:
        shown = [v.item() if hasattr(v, "item") else v for v in found[:5]]
        msg = (f"{caller}(): `{name}` must be binary (two labels) to be computed from a 2 x 2 count table; "
               f"found {len(found)} distinct values, e.g. {shown}.")
        raise AuditError(msg)
    return [v.item() if hasattr(v, "item") else v for v in found]


class Labels:
    """``y_true`` and ``y_pred`` as 1-D arrays, with their distinct values and 0/1 versions cached.

    Parameters
    ----------
    y_true : array-like or None
        Observed labels.
    y_pred : array-like
        Predicted labels.
    caller : str
        Name used in error messages.
    """

    def __init__(self, y_true: Any, y_pred: Any, *, caller: str) -> None:
        self.caller = caller
        self.y_pred = _as_1d(y_pred, "y_pred", caller)
        self.y_true = None if y_true is None else _as_1d(y_true, "y_true", caller)
        self._labels: list | None = None
        self._binary: dict[str, np.ndarray] = {}

    def _union(self) -> list:
        if self._labels is None:
            labels = _distinct(self.y_pred, "y_pred", self.caller)
            if self.y_true is not None:
                labels += [v for v in _distinct(self.y_true, "y_true", self.caller) if v not in labels]
            if len(labels) > 2:
                msg = (f"{self.caller}(): `y_true` and `y_pred` together must have at most two labels to form "
                       f"a 2 x 2 table; got {sorted(labels, key=repr)}.")
                raise AuditError(msg)
            self._labels = labels
        return self._labels

    def positive(self, rule: str, pos_label: Any) -> Any:
        """The label counted as positive under a metric's rule (checking the labels it needs)."""
        if rule == "select":
            return pos_label
        labels = self._union()
        if rule == "symmetric":
            # either label will do; prefer 1 so that the table is shared with the rates
            return 1 if 1 in labels or not labels else labels[-1]
        if pos_label is None:
            if not (set(labels) <= {0, 1} or set(labels) <= {-1, 1}):
                msg = (f"{self.caller}(): with pos_label=None the labels must be {{0, 1}} or {{-1, 1}}; got "
                       f"{sorted(labels, key=repr)}. Hint: pass pos_label.")
                raise AuditError(msg)
            return 1
        if len(labels) == 2 and pos_label not in labels:
            msg = f"{self.caller}(): pos_label={pos_label!r} is not among the labels {sorted(labels, key=repr)}."
            raise AuditError(msg)
        return pos_label

    def binary(self, which: str, positive: Any) -> np.ndarray:
        """``y_true == positive`` or ``y_pred == positive``, computed once."""
        key = f"{which}:{positive!r}:{type(positive).__name__}"
        if key not in self._binary:
            arr = self.y_true if which == "y_true" else self.y_pred
            self._binary[key] = arr == positive
        return self._binary[key]


def _sort_key(levels: tuple) -> list[int]:
    try:
        return sorted(range(len(levels)), key=lambda i: levels[i])
    except TypeError:
        return list(range(len(levels)))


@dataclass(frozen=True)
class GroupTable:
    """Weighted cells and row counts per group, in fairlearn's group order.

    Attributes
    ----------
    index : pandas.Index
        The groups: an Index named after the feature, or a MultiIndex over the product of
        each feature's observed values.
    weighted : ndarray of shape (n_groups, 2, 2)
        Weighted cells ``[[TN, FP], [FN, TP]]`` of each group.
    rows : ndarray of shape (n_groups,)
        Unweighted rows of each group (0 for an empty combination).
    """

    index: pd.Index
    weighted: np.ndarray
    rows: np.ndarray


class _Counts:
    """The cells fairlearn's layout reads: row counts and weights (no squared weights)."""

    def __init__(self, encoded: list, rows: np.ndarray, weight: np.ndarray, has_y_true: bool) -> None:
        self.attributes = tuple(e.name for e in encoded)
        self.levels = tuple(tuple(e.levels) for e in encoded)
        self.missing_labels = tuple(e.missing_label for e in encoded)
        self.rows, self.weight, self.has_y_true = rows, weight, has_y_true


def _count(columns: Any, y_true: Any, y_pred: Any, sample_weight: Any, caller: str) -> _Counts:
    """The validation and the one pass of :func:`biasaudit.group_counts`, without the sums
    fairlearn's functions never read (squared weights, the fingerprint): one counting pass
    less with weights, two with the fingerprint's."""
    inputs = _check_audit_inputs(None, y_true=y_true, y_pred=y_pred, protected=_name_group(columns, None),
                                 sample_weight=sample_weight, pos_label=1, caller=caller)
    encoded = [encode_attribute(col, name) for name, col in inputs.protected.items()]
    check_group_count(encoded, caller)
    cells = binary_cells(inputs.y_true, inputs.y_pred)
    axes = [AxisCodes(e.codes, len(e.levels), e.missing_label is not None) for e in encoded]
    axes += [AxisCodes(codes, len(levels)) for _, levels, codes in cells]
    w = inputs.sample_weight
    sums = {} if w is None else {"weight": lambda start, stop: w[start:stop]}
    counted = count_cells(axes, len(inputs.y_pred), sums)
    rows = counted["rows"]
    return _Counts(encoded, rows, counted["weight"] if w is not None else rows.astype(np.float64),
                   inputs.y_true is not None)


def count_groups(columns: dict[str, Any], y_true: np.ndarray | None, y_pred: np.ndarray,
                 sample_weight: np.ndarray | None, *, caller: str) -> GroupTable:
    """One pass of :func:`biasaudit.group_counts`, then fairlearn's group layout."""
    counts = _count(columns, y_true, y_pred, sample_weight, "group_counts")
    for name, missing in zip(counts.attributes, counts.missing_labels):
        if missing is not None:
            msg = (f"{caller}(): sensitive feature {name!r} contains missing values, which fairlearn rejects. "
                   f"Hint: remove or replace them, or use biasaudit.audit(), which audits them as a group.")
            raise AuditError(msg)
    k = len(counts.attributes)
    cell_rows, cell_weight = counts.rows, counts.weight
    if not counts.has_y_true:
        # fairlearn's layout is always [[TN, FP], [FN, TP]]: decisions without outcomes sit in
        # the y_true = 0 row, which is all that selection rates read
        cell_rows = np.stack([cell_rows, np.zeros_like(cell_rows)], axis=-2)
        cell_weight = np.stack([cell_weight, np.zeros_like(cell_weight)], axis=-2)
    picks, levels = [], []
    for axis, lv in enumerate(counts.levels):
        present = cell_rows.sum(axis=tuple(a for a in range(k + 2) if a != axis)) > 0
        order = [i for i in _sort_key(lv) if present[i]]
        picks.append(np.asarray(order, dtype=np.intp))
        levels.append([lv[i] for i in order])
    mesh = np.ix_(*picks)
    rows = cell_rows[mesh].reshape(-1, 4).sum(axis=1)
    weighted = cell_weight[mesh].reshape(-1, 2, 2)
    if k == 1:
        index = pd.Index(levels[0], name=counts.attributes[0])
    else:
        # the product's codes directly: from_product would factorize the labels again
        sizes = [len(lv) for lv in levels]
        codes: list[Any] = [c.ravel() for c in np.meshgrid(*[np.arange(k) for k in sizes], indexing="ij")]
        index = pd.MultiIndex(levels=[pd.Index(lv) for lv in levels], codes=codes,
                              names=list(counts.attributes), verify_integrity=False)
    return GroupTable(index, weighted, rows)
