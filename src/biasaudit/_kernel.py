"""The counting kernel: one weighted count table, group x y_true x y_pred.

All protected attributes are combined arithmetically (Horner's rule on their codes) into
one cell index per row, so a single ``np.bincount`` counts every intersection at once;
marginal tables for one attribute or a subset are sums over axes of that table. Rows are
processed in fixed-size blocks only to bound memory: block tables are summed, which is
the same additivity that makes chunked files and partitions work.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from ._encoding import EncodedAttribute, encode_attribute
from ._validation import _check_audit_inputs
from .exceptions import AuditError

__all__ = ["GroupCounts", "group_counts"]

_BLOCK_ROWS = 1 << 16
_MAX_GROUPS = 1_000_000


@dataclass(frozen=True, eq=False, repr=False)
class GroupCounts:
    """Count table of an audit: one (2, 2) cell block per combination of groups.

    Axis order of every table is ``(*attributes, y_true, y_pred)``: one axis per
    protected attribute, with the levels listed in :attr:`levels`, then the observed
    outcome (0, 1) and the prediction (0, 1). Tables add: ``a + b`` is the table of the
    rows of ``a`` and ``b`` together, with labels aligned by value.

    Attributes
    ----------
    attributes : tuple of str
        Names of the protected attributes, one per leading axis.
    levels : tuple of tuple
        Group labels of each attribute in axis order; a missing-value group comes last.
    rows : ndarray of int64
        Unweighted number of rows in each cell.
    weighted : ndarray of float64
        Sum of sample weights in each cell (equal to ``rows`` without weights).
    weighted_sq : ndarray of float64
        Sum of squared sample weights in each cell, for effective sample sizes.
    has_y_true : bool
        False when no outcomes were given; then every row sits at ``y_true = 0``.
    missing_labels : tuple of (str or None)
        Label of each attribute's missing-value group, or None if it has none.
    """

    attributes: tuple
    levels: tuple
    rows: np.ndarray = field(repr=False)
    weighted: np.ndarray = field(repr=False)
    weighted_sq: np.ndarray = field(repr=False)
    has_y_true: bool = True
    missing_labels: tuple = ()

    def __post_init__(self):
        shape = tuple(len(lv) for lv in self.levels) + (2, 2)
        for name in ("rows", "weighted", "weighted_sq"):
            arr = getattr(self, name)
            if arr.shape != shape:
                msg = f"GroupCounts(): `{name}` must have shape {shape}; got {arr.shape}."
                raise AuditError(msg)
            arr.setflags(write=False)
        if not self.missing_labels:
            object.__setattr__(self, "missing_labels", (None,) * len(self.attributes))

    @property
    def shape(self) -> tuple:
        """Shape of the tables."""
        return self.rows.shape

    @property
    def n_rows(self) -> int:
        """Total number of rows counted."""
        return int(self.rows.sum())

    @property
    def is_weighted(self) -> bool:
        """True if the weighted table differs from the row counts."""
        return not np.array_equal(self.weighted, self.rows) or not np.array_equal(self.weighted_sq, self.rows)

    def marginal(self, attributes: Sequence[str]) -> "GroupCounts":
        """Table over a subset of the attributes, in the order given, summing the others.

        Parameters
        ----------
        attributes : sequence of str
            Attribute names, each one of :attr:`attributes`.

        Returns
        -------
        GroupCounts
        """
        attributes = tuple(attributes)
        unknown = [a for a in attributes if a not in self.attributes]
        if unknown or len(set(attributes)) != len(attributes):
            msg = (
                f"GroupCounts.marginal(): `attributes` must be distinct names among "
                f"{list(self.attributes)}; got {list(attributes)}."
            )
            raise AuditError(msg)
        keep = [self.attributes.index(a) for a in attributes]
        drop = tuple(i for i in range(len(self.attributes)) if i not in keep)
        m = len(attributes)
        order = [*keep, len(self.attributes), len(self.attributes) + 1]

        def reduce(table):
            return np.transpose(table, order + list(drop)).sum(axis=tuple(range(m + 2, table.ndim)))

        return GroupCounts(
            attributes=attributes,
            levels=tuple(self.levels[i] for i in keep),
            rows=reduce(self.rows),
            weighted=reduce(self.weighted),
            weighted_sq=reduce(self.weighted_sq),
            has_y_true=self.has_y_true,
            missing_labels=tuple(self.missing_labels[i] for i in keep),
        )

    def flat(self) -> tuple[list, np.ndarray, np.ndarray]:
        """Groups as one axis: (labels, rows of shape (G,), weighted table (G, 2, 2)).

        Labels are plain values for one attribute and tuples for several.
        """
        if len(self.attributes) == 1:
            labels = list(self.levels[0])
        else:
            labels = list(_product(self.levels))
        g = len(labels)
        return labels, self.rows.reshape(g, 4).sum(axis=1), self.weighted.reshape(g, 2, 2)

    def total(self) -> np.ndarray:
        """Weighted (2, 2) table of all rows."""
        return self.weighted.reshape(-1, 2, 2).sum(axis=0)

    def __add__(self, other):
        if not isinstance(other, GroupCounts):
            return NotImplemented
        if self.attributes != other.attributes or self.has_y_true != other.has_y_true:
            msg = (
                "GroupCounts: only tables over the same attributes, both with or both without "
                f"y_true, can be added; got {list(self.attributes)} (y_true: {self.has_y_true}) "
                f"and {list(other.attributes)} (y_true: {other.has_y_true})."
            )
            raise AuditError(msg)
        if self.levels == other.levels and self.missing_labels == other.missing_labels:
            return GroupCounts(
                self.attributes, self.levels, self.rows + other.rows, self.weighted + other.weighted,
                self.weighted_sq + other.weighted_sq, self.has_y_true, self.missing_labels,
            )
        return _aligned_sum(self, other)

    def __radd__(self, other):
        if isinstance(other, int) and other == 0:  # lets sum(tables) work
            return self
        return NotImplemented

    def to_frame(self) -> pd.DataFrame:
        """One row per combination of groups, with weighted TN, FP, FN, TP and row counts."""
        labels, rows, table = self.flat()
        frame = pd.DataFrame({"group": labels}) if len(self.attributes) == 1 else pd.DataFrame(
            labels, columns=list(self.attributes)
        )
        if len(self.attributes) == 1:
            frame = frame.rename(columns={"group": self.attributes[0]})
        frame["n"] = rows
        frame["true_negatives"] = table[:, 0, 0]
        frame["false_positives"] = table[:, 0, 1]
        frame["false_negatives"] = table[:, 1, 0]
        frame["true_positives"] = table[:, 1, 1]
        return frame

    def __repr__(self):
        dims = " x ".join(f"{a}[{len(lv)}]" for a, lv in zip(self.attributes, self.levels))
        weighted = ", weighted" if self.is_weighted else ""
        return f"GroupCounts({dims} x y_true[2] x y_pred[2], n_rows={self.n_rows}{weighted})"


def _product(levels):
    grids = np.meshgrid(*[np.arange(len(lv)) for lv in levels], indexing="ij")
    idx = [g.ravel() for g in grids]
    for pos in zip(*idx):
        yield tuple(levels[a][i] for a, i in enumerate(pos))


def _sort_if_possible(labels):
    try:
        return sorted(labels)
    except TypeError:
        return labels


def _aligned_sum(a: GroupCounts, b: GroupCounts) -> GroupCounts:
    levels, maps_a, maps_b, missing = [], [], [], []
    for lv_a, lv_b, ma, mb in zip(a.levels, b.levels, a.missing_labels, b.missing_labels):
        seen = {x: None for x in lv_a if x != ma}
        seen.update({x: None for x in lv_b if x != mb})
        merged = _sort_if_possible(list(seen))
        miss = ma if ma is not None else mb
        if miss is not None:
            merged.append(miss)
        pos = {x: i for i, x in enumerate(merged)}
        maps_a.append([pos[miss if x == ma else x] for x in lv_a])
        maps_b.append([pos[miss if x == mb else x] for x in lv_b])
        levels.append(tuple(merged))
        missing.append(miss)
    shape = tuple(len(lv) for lv in levels) + (2, 2)

    def scatter(table, maps):
        out = np.zeros(shape, dtype=table.dtype)
        out[np.ix_(*maps, [0, 1], [0, 1])] = table
        return out

    return GroupCounts(
        a.attributes, tuple(levels),
        scatter(a.rows, maps_a) + scatter(b.rows, maps_b),
        scatter(a.weighted, maps_a) + scatter(b.weighted, maps_b),
        scatter(a.weighted_sq, maps_a) + scatter(b.weighted_sq, maps_b),
        a.has_y_true, tuple(missing),
    )


def count_table(encoded: Sequence[EncodedAttribute], y_true, y_pred, sample_weight, hashers=None) -> GroupCounts:
    """Build the count table from encoded attributes and 0/1 label arrays.

    ``hashers``, if given, is one hash object per column (each attribute, then y_true if
    given, y_pred and the weights if given), fed the column's canonical bytes block by block.
    """
    sizes = [len(e.levels) for e in encoded]
    n_groups = math.prod(sizes)
    if n_groups > _MAX_GROUPS:
        detail = ", ".join(f"{e.name}: {len(e.levels)}" for e in encoded)
        msg = (
            f"count_table(): the protected attributes combine into {n_groups:,} possible groups "
            f"({detail}); at most {_MAX_GROUPS:,} are supported. Hint: audit fewer attributes "
            f"together, or bin an attribute with many values (such as age) into bands."
        )
        raise AuditError(msg)
    n_cells = 4 * n_groups
    # Missing codes are -1; shifting each attribute by one puts its missing group at index 0
    # of its axis (moved to the end below). The shift is linear, so it is one constant.
    shift = 0
    for e, k in zip(encoded, sizes):
        shift = shift * k + (1 if e.missing_label is not None else 0)
    shift *= 4
    n = len(y_pred)
    rows = np.zeros(n_cells, dtype=np.int64)
    weighted = np.zeros(n_cells) if sample_weight is not None else None
    weighted_sq = np.zeros(n_cells) if sample_weight is not None else None
    buf = np.empty(min(n, _BLOCK_ROWS), dtype=np.intp)
    for start in range(0, n, _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, n)
        idx = buf[: stop - start]
        idx[:] = encoded[0].codes[start:stop]
        for e, k in zip(encoded[1:], sizes[1:]):
            idx *= k
            idx += e.codes[start:stop]
        idx *= 2
        if y_true is not None:
            idx += y_true[start:stop]
        idx *= 2
        idx += y_pred[start:stop]
        idx += shift
        rows += np.bincount(idx, minlength=n_cells)
        if hashers is not None:
            _feed(hashers, encoded, y_true, y_pred, sample_weight, start, stop)
        if sample_weight is not None:
            w = sample_weight[start:stop]
            weighted += np.bincount(idx, weights=w, minlength=n_cells)
            weighted_sq += np.bincount(idx, weights=w * w, minlength=n_cells)
    shape = (*sizes, 2, 2)
    tables = [rows.reshape(shape)]
    if sample_weight is not None:
        tables += [weighted.reshape(shape), weighted_sq.reshape(shape)]
    for axis, e in enumerate(encoded):
        if e.missing_label is not None:
            tables = [np.roll(t, -1, axis=axis) for t in tables]
    if sample_weight is None:
        as_float = tables[0].astype(np.float64)
        tables += [as_float, as_float]
    return GroupCounts(
        attributes=tuple(e.name for e in encoded),
        levels=tuple(e.levels for e in encoded),
        rows=tables[0],
        weighted=tables[1],
        weighted_sq=tables[2],
        has_y_true=y_true is not None,
        missing_labels=tuple(e.missing_label for e in encoded),
    )


def _code_dtype(encoded: EncodedAttribute):
    """Narrowest unsigned type of an attribute's shifted codes (0 = missing): part of the content."""
    size = len(encoded.labels) + 1
    return np.uint8 if size <= 0xFF else np.uint16 if size <= 0xFFFF else np.uint32


def _feed(hashers, encoded, y_true, y_pred, sample_weight, start, stop):
    """Canonical bytes of one block: codes + 1 as narrow unsigned, labels as uint8, weights float64."""
    k = 0
    for e in encoded:
        block = e.codes[start:stop]
        hashers[k].update(np.add(block, 1, dtype=_code_dtype(e), casting="unsafe"))
        k += 1
    for y in (y_true, y_pred):
        if y is not None:
            block = y[start:stop]
            hashers[k].update(block.view(np.uint8) if block.dtype == bool else block.astype(np.uint8))
            k += 1
    if sample_weight is not None:
        hashers[k].update(np.ascontiguousarray(sample_weight[start:stop], dtype="<f8"))


def data_fingerprint(encoded, y_true, y_pred, sample_weight, hashers) -> str:
    """SHA-256 over the column digests and the labels: the same data give the same hash
    whatever the input containers, dtypes or row blocks."""
    header = {
        "attributes": [[e.name, [repr(x) for x in e.labels]] for e in encoded],
        "columns": [e.name for e in encoded] + (["y_true"] if y_true is not None else []) + ["y_pred"]
        + (["sample_weight"] if sample_weight is not None else []),
    }
    final = hashlib.sha256(json.dumps(header, sort_keys=True).encode("utf-8"))
    for h in hashers:
        final.update(h.digest())
    return final.hexdigest()


def new_hashers(encoded, y_true, sample_weight) -> list:
    """One SHA-256 object per audited column."""
    count = len(encoded) + (y_true is not None) + 1 + (sample_weight is not None)
    return [hashlib.sha256() for _ in range(count)]


def _encode_all(protected: dict) -> list[EncodedAttribute]:
    return [encode_attribute(col, name) for name, col in protected.items()]


def group_counts(*, y_true, y_pred, group, sample_weight=None, pos_label=1, data=None) -> GroupCounts:
    """Count table of group x y_true x y_pred in one pass over the rows.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), column name, or None
        Observed outcomes. None when only decisions are audited (selection rates).
    y_pred : array-like of shape (n_samples,) or column name
        Decisions or predictions.
    group : array-like, column name, list of names, dict of arrays, or DataFrame
        One or several protected attributes; several give one axis each.
    sample_weight : array-like of shape (n_samples,), column name, or None, default=None
        Non-negative finite weights.
    pos_label : scalar, default=1
        Value of ``y_true`` and ``y_pred`` that means the positive outcome.
    data : DataFrame or None, default=None
        Frame in which column names are looked up.

    Returns
    -------
    GroupCounts
        The count table; add tables of separate chunks with ``+``.

    See Also
    --------
    audit : per-group metrics and disparities from the same table.

    Examples
    --------
    >>> import biasaudit as ba
    >>> c = ba.group_counts(y_true=[1, 0, 1, 1], y_pred=[1, 1, 0, 1], group=["a", "a", "b", "b"])
    >>> c
    GroupCounts(group[2] x y_true[2] x y_pred[2], n_rows=4)
    >>> c.rows[0].tolist()  # group "a": [[TN, FP], [FN, TP]]
    [[0, 1], [0, 1]]
    >>> (c + c).n_rows
    8
    """
    caller = "group_counts"
    inputs = _check_audit_inputs(
        data, y_true=y_true, y_pred=y_pred, protected=_name_group(group, data), sample_weight=sample_weight,
        pos_label=pos_label, caller=caller,
    )
    encoded = _encode_all(inputs.protected)
    return count_table(encoded, inputs.y_true, inputs.y_pred, inputs.sample_weight)


def _name_group(group, data):
    """Give an unnamed single grouping the attribute name "group"."""
    if isinstance(group, np.ndarray) and group.ndim == 1:
        return {"group": group}
    if isinstance(group, pd.Series) and group.name is None:
        return {"group": group}
    if isinstance(group, (list, tuple)) and group:
        names = data is not None and all(isinstance(g, str) for g in group)
        arrays = all(hasattr(g, "__array__") or isinstance(g, (list, tuple)) for g in group)
        if not (names or arrays):
            return {"group": group}
    return group
