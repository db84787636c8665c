"""The binary family: group x y_true x y_pred, or group x y_pred for decisions alone."""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd

from .._encoding import encode_attribute
from .._validation import _check_audit_inputs, _is_key
from ._count import count_table
from ._table import Table

__all__ = ["GroupCounts", "binary_cells", "count_binary", "group_counts"]

BINARY = (0, 1)


class GroupCounts(Table):
    """Count table of binary decisions: one (2, 2) block of cells per combination of groups.

    Axis order is ``(*attributes, y_true, y_pred)``: one axis per protected attribute,
    then the observed outcome (0, 1) and the decision (0, 1). Without outcomes the table
    has no ``y_true`` axis: ``(*attributes, y_pred)``. Tables add: ``a + b`` is the table
    of the rows of ``a`` and ``b`` together, labels aligned by value.

    Build one with :func:`biasaudit.group_counts`, :meth:`from_arrays` or
    :meth:`Table.from_long`.
    """

    __slots__ = ()

    @classmethod
    def from_arrays(cls, *, attributes, levels, rows, weighted=None, weighted_sq=None, has_y_true=True,
                    missing_labels=None) -> "GroupCounts":
        """A table from its arrays of shape ``(*levels, 2, 2)`` (or ``(*levels, 2)`` without y_true).

        Parameters
        ----------
        attributes : sequence of str
            Protected attributes, one leading axis each.
        levels : sequence of sequence
            Group labels of each attribute, in axis order.
        rows : array-like of int
            Row count of every cell.
        weighted, weighted_sq : array-like or None, default=None
            Sums of weights and of squared weights per cell; None means ``rows`` (no weights).
        has_y_true : bool, default=True
            Whether the cells are y_true x y_pred (True) or y_pred alone (False).
        missing_labels : sequence of (str or None) or None, default=None
            Label of each attribute's missing-value group (its last level), or None.

        Returns
        -------
        GroupCounts

        Examples
        --------
        >>> import biasaudit as ba
        >>> c = ba.GroupCounts.from_arrays(attributes=["sex"], levels=[["f", "m"]],
        ...                                rows=[[[3, 1], [0, 2]], [[2, 2], [1, 1]]])
        >>> c
        GroupCounts(sex[2] x y_true[2] x y_pred[2], n_rows=12)
        """
        sums = {"rows": rows}
        if weighted is not None:
            sums["weight"] = weighted
        if weighted_sq is not None:
            sums["weight_sq"] = weighted_sq
        return cls(attributes=attributes, levels=levels, cell_axes=binary_axes(has_y_true), sums=sums,
                   family="binary" if has_y_true else "decisions", missing_labels=missing_labels,
                   caller="GroupCounts.from_arrays")

    @property
    def has_y_true(self) -> bool:
        """Whether the table has the observed-outcome axis."""
        return "y_true" in self.cell_names

    @property
    def weighted(self) -> np.ndarray:
        """Sum of weights per cell (the row counts without weights)."""
        return self.weight

    @property
    def weighted_sq(self) -> np.ndarray:
        """Sum of squared weights per cell."""
        return self.weight_sq

    def flat(self) -> tuple[list, np.ndarray, np.ndarray]:
        """Groups as one axis: labels, rows per group and weighted cells per group.

        Returns
        -------
        labels : list
            Plain values for one attribute, tuples for several.
        rows : ndarray of shape (n_groups,)
            Row count of each group.
        weighted : ndarray
            Weighted cells of each group, shape ``(n_groups, *cell_shape)``.
        """
        labels, _, sums = self.group_sums()
        rows = sums["rows"].reshape(len(labels), -1).sum(axis=1)
        return labels, rows, sums["weight"]

    def to_frame(self) -> pd.DataFrame:
        """One row per combination of groups: its row count and its weighted cells.

        Examples
        --------
        >>> import biasaudit as ba
        >>> ba.group_counts(y_true=[1, 0, 1], y_pred=[1, 1, 0], group=["a", "a", "b"]).to_frame()
          group  n  true_negatives  false_positives  false_negatives  true_positives
        0     a  2             0.0              1.0              0.0             1.0
        1     b  1             0.0              0.0              1.0             0.0
        """
        labels, rows, cells = self.flat()
        if len(self.attributes) == 1:
            frame = pd.DataFrame({self.attributes[0]: pd.Series(labels, dtype=object)})
        else:
            frame = pd.DataFrame(labels, columns=list(self.attributes))
        frame["n"] = rows
        if self.has_y_true:
            frame["true_negatives"] = cells[:, 0, 0]
            frame["false_positives"] = cells[:, 0, 1]
            frame["false_negatives"] = cells[:, 1, 0]
            frame["true_positives"] = cells[:, 1, 1]
        else:
            frame["negative_decisions"] = cells[:, 0]
            frame["positive_decisions"] = cells[:, 1]
        return frame


def binary_axes(has_y_true: bool) -> list:
    """Cell axes of the binary family."""
    return [("y_true", BINARY), ("y_pred", BINARY)] if has_y_true else [("y_pred", BINARY)]


def binary_cells(y_true, y_pred) -> list:
    """Cell axes with their per-row codes, for :func:`count_table`."""
    cells = [] if y_true is None else [("y_true", BINARY, y_true)]
    return cells + [("y_pred", BINARY, y_pred)]


def count_binary(inputs, *, fingerprint: bool, caller: str) -> GroupCounts:
    """The binary table of validated audit inputs (see ``_check_audit_inputs``)."""
    encoded = [encode_attribute(col, name) for name, col in inputs.protected.items()]
    family = "binary" if inputs.y_true is not None else "decisions"
    table = count_table(encoded, binary_cells(inputs.y_true, inputs.y_pred), family=family,
                        weight=inputs.sample_weight, fingerprint=fingerprint, table_type=GroupCounts, caller=caller)
    return cast(GroupCounts, table)  # table_type decides the class


def group_counts(*, y_true, y_pred, group, sample_weight=None, pos_label=1, data=None,
                 fingerprint: bool = True) -> GroupCounts:
    """Count table of group x y_true x y_pred in one pass over the rows.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,), column name, or None
        Observed outcomes. None when only decisions are audited (selection rates); the
        table then has no ``y_true`` axis.
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
    fingerprint : bool, default=True
        Fingerprint the rows counted (``data_sha256``); fingerprints of chunks add up to
        the fingerprint of their concatenation.

    Returns
    -------
    GroupCounts
        The count table; add tables of separate chunks with ``+``.

    See Also
    --------
    audit : per-group metrics and disparities from the same table.
    audit_counts : the audit of a (summed) table.

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
    inputs = _check_audit_inputs(data, y_true=y_true, y_pred=y_pred, protected=_name_group(group, data),
                                 sample_weight=sample_weight, pos_label=pos_label, caller=caller)
    return count_binary(inputs, fingerprint=fingerprint, caller=caller)


def _name_group(group, data):
    """Give an unnamed single grouping the attribute name "group"."""
    if isinstance(group, np.ndarray) and group.ndim == 1:
        return {"group": group}
    if isinstance(group, pd.Series) and group.name is None:
        return {"group": group}
    if isinstance(group, (list, tuple)) and group:
        names = data is not None and all(isinstance(g, str) or _is_key(data, g) for g in group)
        arrays = all(hasattr(g, "__array__") or isinstance(g, (list, tuple)) for g in group)
        if not (names or arrays):
            return {"group": group}
    return group
