"""The table of sufficient statistics: protected groups x cell axes, with per-cell sums.

Leading axes are the protected attributes (their levels, a missing-value group last);
trailing *cell axes* depend on the family of the audit (binary decisions: y_true x
y_pred; decisions alone: y_pred; several classes: K x K; scores: y_true x score bin;
amounts: none). Every cell holds named sums: ``rows`` (a row count), ``weight`` and
``weight_sq`` (sums of the weights and of their squares), and family-specific sums such
as the sum of weight x score. Every metric of the library is a function of such a table,
and tables add: chunks, partitions, bootstrap replicates and database ``GROUP BY``
results all reduce to summing tables.
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..exceptions import AuditError
from . import _sparse
from ._fingerprint import Fingerprint

__all__ = ["Table"]

#: The sums every table has; others are family-specific.
BASE_SUMS = ("rows", "weight", "weight_sq")
#: Sums that are non-negative by construction (the others, such as sum of weight x y, may be negative).
_NON_NEGATIVE = ("weight", "weight_sq")


def _fail(caller, msg):
    raise AuditError(f"{caller}(): {msg}")


class Table:
    """Sufficient statistics of an audit: groups x cells, with named per-cell sums.

    Parameters
    ----------
    attributes : sequence of str
        Protected attributes, one leading axis each.
    levels : sequence of sequence
        Group labels of each attribute, in axis order.
    cell_axes : sequence of (str, sequence)
        Name and levels of each trailing cell axis, e.g. ``[("y_true", (0, 1)), ("y_pred", (0, 1))]``.
    sums : mapping of str to array-like
        Per-cell sums, each of shape ``(*len(levels), *len(cell levels))``; ``rows``
        (whole numbers) is required, ``weight`` and ``weight_sq`` default to ``rows``.
    family : str
        The audit family the cell axes belong to (``"binary"``, ``"decisions"``, ...).
    missing_labels : sequence of (str or None), optional
        Label of each attribute's missing-value group (its last level), or None.
    fingerprint : Fingerprint or None, optional
        Fingerprint of the rows counted, if they were seen.
    combos : array of int, shape (L, n_attributes), optional
        Given only for a *sparse* table (see :mod:`._sparse`): the level codes of the L
        observed combinations, distinct and in C order; every sum then has shape
        ``(L, *len(cell levels))``. Counting makes a table sparse when its attributes
        combine into more than 1,000,000 possible groups.

    Raises
    ------
    AuditError
        When a shape, a level list or a sum is invalid; the message names the field.
    """

    __slots__ = ("attributes", "levels", "cell_axes", "sums", "family", "missing_labels", "fingerprint", "combos")
    attributes: tuple[str, ...]
    levels: tuple[tuple[Any, ...], ...]
    cell_axes: tuple[tuple[str, tuple[Any, ...]], ...]
    sums: Mapping[str, np.ndarray]
    family: str
    missing_labels: tuple[str | None, ...]
    fingerprint: Fingerprint | None
    combos: np.ndarray | None

    def __init__(self, *, attributes: Sequence[str], levels: Sequence[Sequence[Any]],
                 cell_axes: Sequence[tuple[str, Sequence[Any]]], sums: Mapping[str, Any], family: str,
                 missing_labels: Sequence[str | None] | None = None, fingerprint: Fingerprint | None = None,
                 combos: Any = None, caller: str = "Table") -> None:
        attributes = tuple(str(a) for a in attributes)
        levels = tuple(tuple(lv) for lv in levels)
        cell_axes = tuple((str(n), tuple(lv)) for n, lv in cell_axes)
        missing_labels = tuple(missing_labels) if missing_labels else (None,) * len(attributes)
        if len(levels) != len(attributes) or len(missing_labels) != len(attributes):
            _fail(caller, f"`levels` and `missing_labels` must have one entry per attribute "
                          f"({len(attributes)}); got {len(levels)} and {len(missing_labels)}.")
        if len(set(attributes)) != len(attributes):
            _fail(caller, f"`attributes` must be distinct; got {list(attributes)}.")
        for name, lv, miss in zip(attributes, levels, missing_labels):
            if len(set(map(_key, lv))) != len(lv):
                _fail(caller, f"the levels of attribute {name!r} must be distinct; got {list(lv)}.")
            if miss is not None and (not lv or lv[-1] != miss):
                _fail(caller, f"the missing-value group {miss!r} of {name!r} must be its last level.")
        combos = None if combos is None else _check_combos(combos, levels, caller)
        shape = _sum_shape(levels, cell_axes, combos)
        if "rows" not in sums:
            _fail(caller, "`sums` must include 'rows' (row counts per cell).")
        checked: dict[str, np.ndarray] = {}
        for name, value in sums.items():
            checked[name] = _check_sum(name, value, shape, caller)
        rows = checked["rows"]
        for name in ("weight", "weight_sq"):
            checked.setdefault(name, rows.astype(np.float64))
        empty = rows == 0
        for name, arr in checked.items():
            if name != "rows" and (arr[empty] != 0).any():
                _fail(caller, f"sum {name!r} must be 0 in every cell with no rows; got "
                              f"{int((arr[empty] != 0).sum())} nonzero cells without rows.")
        for name, arr in checked.items():
            arr.setflags(write=False)
        self._set(attributes, levels, cell_axes, checked, family, missing_labels, fingerprint, combos)

    def _set(self, attributes, levels, cell_axes, sums, family, missing_labels, fingerprint, combos=None) -> None:
        """Fill the slots of a new table (instances are immutable afterwards)."""
        if combos is not None:
            combos.setflags(write=False)
        for name, value in (("attributes", attributes), ("levels", levels), ("cell_axes", cell_axes),
                            ("sums", MappingProxyType(sums)), ("family", str(family)),
                            ("missing_labels", missing_labels), ("fingerprint", fingerprint), ("combos", combos)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    # ------------------------------------------------------------------ shape

    @property
    def cell_names(self) -> tuple:
        """Names of the cell axes."""
        return tuple(n for n, _ in self.cell_axes)

    @property
    def cell_shape(self) -> tuple:
        """Shape of the trailing cell axes."""
        return tuple(len(lv) for _, lv in self.cell_axes)

    @property
    def shape(self) -> tuple:
        """Shape of every sum: group axes then cell axes (a sparse table: combinations, then cell axes)."""
        return self.sums["rows"].shape

    @property
    def is_sparse(self) -> bool:
        """True when the table holds only its observed combinations (see ``combos``)."""
        return self.combos is not None

    @property
    def rows(self) -> np.ndarray:
        """Row count of every cell (int64)."""
        return self.sums["rows"]

    @property
    def weight(self) -> np.ndarray:
        """Sum of weights of every cell (equal to ``rows`` without weights)."""
        return self.sums["weight"]

    @property
    def weight_sq(self) -> np.ndarray:
        """Sum of squared weights of every cell, for effective sample sizes."""
        return self.sums["weight_sq"]

    @property
    def n_rows(self) -> int:
        """Total number of rows counted."""
        return int(self.rows.sum())

    @property
    def is_weighted(self) -> bool:
        """True if the weight sums differ from the row counts."""
        return not (np.array_equal(self.weight, self.rows) and np.array_equal(self.weight_sq, self.rows))

    @property
    def data_sha256(self) -> str | None:
        """Hex digest of the fingerprint of the rows counted, or None if they were not seen."""
        return None if self.fingerprint is None else self.fingerprint.hexdigest

    # ------------------------------------------------------------------ algebra

    def _replace(self, **changes) -> "Table":
        fields = {k: getattr(self, k) for k in Table.__slots__}
        fields.update(changes)
        return type(self)(**fields)

    @classmethod
    def _trusted(cls, *, attributes, levels, cell_axes, sums, family, missing_labels=None,
                 fingerprint=None, combos=None, caller: str = "Table") -> "Table":
        """A table from sums valid by construction: the kernel's output, or a valid table's marginal.

        Skips the per-cell checks of ``__init__`` (signs, whole numbers, zeros in empty cells),
        which cost more than the analysis on tables of many cells; keeps the cheap ones
        (shapes, finiteness: a sum of finite values can still overflow). The arrays are
        owned by the table from here on.
        """
        self = object.__new__(cls)
        attributes = tuple(str(a) for a in attributes)
        levels = tuple(tuple(lv) for lv in levels)
        cell_axes = tuple((str(n), tuple(lv)) for n, lv in cell_axes)
        missing_labels = tuple(missing_labels) if missing_labels else (None,) * len(attributes)
        combos = None if combos is None else np.asarray(combos, dtype=np.intp)
        shape = _sum_shape(levels, cell_axes, combos)
        checked: dict[str, np.ndarray] = {}
        for name, arr in sums.items():
            arr = np.asarray(arr, dtype=np.int64 if name == "rows" else np.float64)
            if arr.shape != shape:
                _fail(caller, f"sum {name!r} must have shape {shape}; got {arr.shape}.")
            if name != "rows" and not np.isfinite(arr).all():
                _fail(caller, f"sum {name!r} must be finite; got {int((~np.isfinite(arr)).sum())} NaN or "
                              f"infinite cells.")
            arr.setflags(write=False)
            checked[name] = arr
        rows = checked["rows"]
        if "weight" not in checked or "weight_sq" not in checked:
            as_float = rows.astype(np.float64)  # read-only, so both may share it
            as_float.setflags(write=False)
            checked.setdefault("weight", as_float)
            checked.setdefault("weight_sq", as_float)
        self._set(attributes, levels, cell_axes, checked, family, missing_labels, fingerprint, combos)
        return self

    def marginal(self, attributes: Sequence[str]) -> "Table":
        """The table over some attributes, in the order given, summing over the others.

        Parameters
        ----------
        attributes : sequence of str
            Distinct names among :attr:`attributes`.

        Returns
        -------
        Table
            Of the same type and family; the fingerprint (of the same rows) is kept.
        """
        attributes = tuple(attributes)
        if len(set(attributes)) != len(attributes) or any(a not in self.attributes for a in attributes):
            _fail(f"{type(self).__name__}.marginal", f"`attributes` must be distinct names among "
                  f"{list(self.attributes)}; got {list(attributes)}.")
        if attributes == self.attributes:
            return self  # immutable: the table is its own marginal over all its attributes
        keep = [self.attributes.index(a) for a in attributes]
        if self.combos is not None:
            return self._sparse_marginal(attributes, keep)
        drop = tuple(i for i in range(len(self.attributes)) if i not in keep)
        n_cells = len(self.cell_axes)
        order = keep + list(range(len(self.attributes), len(self.attributes) + n_cells)) + list(drop)
        m = len(keep) + n_cells

        def reduce(arr):
            return np.transpose(arr, order).sum(axis=tuple(range(m, arr.ndim)))

        return type(self)._trusted(attributes=attributes, levels=tuple(self.levels[i] for i in keep),
                                   cell_axes=self.cell_axes, family=self.family,
                                   missing_labels=tuple(self.missing_labels[i] for i in keep),
                                   sums={k: reduce(v) for k, v in self.sums.items()}, fingerprint=self.fingerprint)

    def group_sums(self, attributes: Sequence[str] | None = None, *,
                   nonempty: bool = False) -> tuple[list, np.ndarray, dict]:
        """Groups of some attributes as one axis, with their sums.

        Parameters
        ----------
        attributes : sequence of str or None, default=None
            The attributes crossed; None takes all of them.
        nonempty : bool, default=False
            Only the groups with rows: labels are then built for them alone, so the cost
            follows the observed groups, not every possible combination.

        Returns
        -------
        labels : list
            Group labels: plain values for one attribute, tuples for several, in C order of
            the attributes' levels.
        is_missing : ndarray of bool
            Whether each group has a missing protected value.
        sums : dict of str to ndarray
            Every sum with the groups on one axis: shape ``(G, *cell_shape)``.
        """
        table = self if attributes is None else self.marginal(attributes)
        sizes = [len(lv) for lv in table.levels]
        # groups: every combination of levels (dense) or the stored ones (sparse)
        n_groups = math.prod(sizes) if table.combos is None else len(table.combos)
        sums = {k: v.reshape(n_groups, *table.cell_shape) for k, v in table.sums.items()}
        if nonempty:
            kept = np.flatnonzero(sums["rows"].reshape(n_groups, -1).any(axis=1))
            if kept.size < n_groups:
                sums = {k: v[kept] for k, v in sums.items()}
        else:
            kept = np.arange(n_groups)
        if table.combos is not None:
            codes = tuple(table.combos[kept].T)
        else:
            codes = np.unravel_index(kept, sizes) if sizes else ()
        if len(table.attributes) == 1:
            lv0 = table.levels[0]
            whole = table.combos is None and kept.size == n_groups
            labels = list(lv0) if whole else [lv0[i] for i in codes[0].tolist()]
        else:
            columns = [[lv[c] for c in cs.tolist()] for lv, cs in zip(table.levels, codes)]
            labels = list(zip(*columns)) if columns else [()] * kept.size
        missing = np.zeros(kept.size, dtype=bool)
        for a, (lv, miss) in enumerate(zip(table.levels, table.missing_labels)):
            if miss is not None:
                missing |= codes[a] == len(lv) - 1
        return labels, missing, sums

    def group_codes(self, attributes: Sequence[str]) -> np.ndarray:
        """Each finest group's position among the groups of ``attributes``.

        Parameters
        ----------
        attributes : sequence of str
            Attributes of the table, in the order the groups are formed.

        Returns
        -------
        ndarray of int
            One entry per finest group: every combination of levels in C order (a sparse
            table: its observed combinations), giving the position of its group among the
            labels of ``group_sums(attributes)``.

        Examples
        --------
        >>> import biasaudit as ba
        >>> t = ba.group_counts(y_true=[1, 0], y_pred=[1, 1], group={"a": ["x", "y"], "b": ["u", "u"]})
        >>> t.group_codes(["b"]).tolist()
        [0, 0]
        """
        keep = [self.attributes.index(a) for a in attributes]
        sizes = [len(lv) for lv in self.levels]
        combos = self.combos
        if combos is None:
            codes = np.indices(sizes).reshape(len(sizes), -1)
            if not keep:
                return np.zeros(codes.shape[1], dtype=np.intp)
            return np.asarray(np.ravel_multi_index(tuple(codes[keep]), [sizes[k] for k in keep]))
        if tuple(attributes) != self.attributes and math.prod(sizes[k] for k in keep) <= _sparse.MAX_GROUPS:
            if not keep:
                return np.zeros(len(combos), dtype=np.intp)
            return np.asarray(np.ravel_multi_index(tuple(combos[:, k] for k in keep), [sizes[k] for k in keep]))
        return _sparse.group_index(combos, sizes, keep)[1]

    def _sparse_marginal(self, attributes: tuple, keep: list) -> "Table":
        """A sparse table's marginal: dense when its groups are few enough, else sparse."""
        sizes = [len(lv) for lv in self.levels]
        assert self.combos is not None
        common: dict[str, Any] = dict(attributes=attributes, levels=tuple(self.levels[i] for i in keep),
                                      cell_axes=self.cell_axes, family=self.family,
                                      missing_labels=tuple(self.missing_labels[i] for i in keep),
                                      fingerprint=self.fingerprint)
        if math.prod(sizes[i] for i in keep) <= _sparse.MAX_GROUPS:
            sums = _sparse.dense_marginal(self.combos, sizes, keep, dict(self.sums), self.cell_shape)
            return type(self)._trusted(**common, sums=sums)
        combos, sums = _sparse.sparse_marginal(self.combos, sizes, keep, dict(self.sums), self.cell_shape)
        return type(self)._trusted(**common, sums=sums, combos=combos)

    def _combinations(self, maps=None) -> tuple[np.ndarray, dict]:
        """(combos, sums) of the groups with rows, level codes mapped by ``maps`` (one list per attribute)."""
        if self.combos is not None:
            combos, sums = self.combos.copy(), dict(self.sums)
        else:
            sizes = [len(lv) for lv in self.levels]
            n_groups = math.prod(sizes)
            groups = np.flatnonzero(self.rows.reshape(n_groups, -1).any(axis=1))
            combos = np.stack(np.unravel_index(groups, sizes), axis=1).astype(np.intp).reshape(-1, len(sizes))
            sums = {k: v.reshape(n_groups, *self.cell_shape)[groups] for k, v in self.sums.items()}
        for a, m in enumerate(maps or ()):
            combos[:, a] = np.asarray(m, dtype=np.intp)[combos[:, a]]
        return combos, sums

    def _sparse_add(self, other: "Table", fingerprint) -> "Table":
        """The sum of two tables of which one at least is sparse."""
        if self.levels == other.levels and self.missing_labels == other.missing_labels:
            levels, missing, maps_a, maps_b = self.levels, self.missing_labels, None, None
        else:
            levels, missing, maps_a, maps_b = _align(self, other)
        sizes = [len(lv) for lv in levels]
        combos, sums = _sparse.merge([self._combinations(maps_a), other._combinations(maps_b)], sizes, self.cell_shape)
        if math.prod(sizes) <= _sparse.MAX_GROUPS:
            sums = _sparse.dense_marginal(combos, sizes, list(range(len(sizes))), sums, self.cell_shape)
            return self._replace(levels=levels, missing_labels=missing, sums=sums, fingerprint=fingerprint, combos=None)
        return self._replace(levels=levels, missing_labels=missing, sums=sums, fingerprint=fingerprint, combos=combos)

    def total(self, name: str = "weight") -> np.ndarray:
        """One sum over all groups, with the cell shape."""
        return self.sums[name].reshape(-1, *self.cell_shape).sum(axis=0)

    def __add__(self, other):
        if not isinstance(other, Table):
            return NotImplemented
        if (self.attributes, self.cell_axes, self.family) != (other.attributes, other.cell_axes, other.family) \
                or set(self.sums) != set(other.sums):
            msg = (f"{type(self).__name__}: only tables with the same attributes, cell axes and sums "
                   f"can be added; got {self.describe()} and {other.describe()}.")
            raise AuditError(msg)
        fingerprint = None
        if self.fingerprint is not None and other.fingerprint is not None:
            fingerprint = self.fingerprint + other.fingerprint
        if self.combos is not None or other.combos is not None:
            return self._sparse_add(other, fingerprint)
        if self.levels == other.levels and self.missing_labels == other.missing_labels:
            return self._replace(sums={k: v + other.sums[k] for k, v in self.sums.items()},
                                 fingerprint=fingerprint)
        levels, missing, maps_a, maps_b = _align(self, other)
        shape = tuple(len(lv) for lv in levels) + self.cell_shape
        index_a = np.ix_(*maps_a, *[np.arange(k) for k in self.cell_shape])
        index_b = np.ix_(*maps_b, *[np.arange(k) for k in self.cell_shape])
        sums = {}
        for k, v in self.sums.items():
            out = np.zeros(shape, dtype=v.dtype)
            out[index_a] += v
            out[index_b] += other.sums[k]
            sums[k] = out
        return self._replace(levels=levels, missing_labels=missing, sums=sums, fingerprint=fingerprint)

    def __radd__(self, other):
        if isinstance(other, int) and other == 0:  # lets sum(tables) work
            return self
        return NotImplemented

    # ------------------------------------------------------------------ long form

    def to_long(self) -> pd.DataFrame:
        """One row per non-empty cell: attribute labels, cell levels, then every sum.

        Returns
        -------
        DataFrame
            The shape of ``SELECT attributes, cells, COUNT(*) AS rows, SUM(w) AS weight, ...
            GROUP BY attributes, cells``; a missing-value group is written as None.
        """
        nonzero = np.nonzero(self.rows)
        lead = len(self.attributes) if self.combos is None else 1
        frame = {}
        for k, (name, lv, miss) in enumerate(zip(self.attributes, self.levels, self.missing_labels)):
            labels = np.array([None if (miss is not None and x == miss) else x for x in lv] + [None],
                              dtype=object)[:-1]
            frame[name] = labels[nonzero[k] if self.combos is None else self.combos[nonzero[0], k]]
        for j, (name, lv) in enumerate(self.cell_axes):
            frame[name] = np.asarray(lv)[nonzero[lead + j]]
        for name, arr in self.sums.items():
            frame[name] = arr[nonzero]
        return pd.DataFrame(frame)

    @classmethod
    def from_long(cls, frame: pd.DataFrame, *, attributes: Sequence[str], cell_axes, family: str,
                  fingerprint: Fingerprint | None = None) -> "Table":
        """Build a table from its long form (see :meth:`to_long`).

        Parameters
        ----------
        frame : DataFrame
            One row per non-empty cell with a column per attribute (None or NaN for a
            missing value), a column per cell axis and a column per sum; rows repeating
            a cell are added.
        attributes : sequence of str
            The attribute columns, in axis order.
        cell_axes : sequence of (str, sequence)
            Name and levels of each cell axis.
        family : str
            The audit family.
        fingerprint : Fingerprint or None, default=None
            The fingerprint of the rows counted, if the source computed one.

        Returns
        -------
        Table
        """
        caller = f"{cls.__name__}.from_long"
        from .._encoding import encode_attribute

        attributes = [str(a) for a in attributes]
        cell_axes = [(str(n), tuple(lv)) for n, lv in cell_axes]
        needed = [*attributes, *(n for n, _ in cell_axes), "rows"]
        absent = [c for c in needed if c not in frame.columns]
        if absent:
            _fail(caller, f"`frame` must have the columns {needed}; missing {absent}.")
        sum_names = [c for c in frame.columns if c not in attributes and c not in dict(cell_axes)]
        encoded = [encode_attribute(frame[a], a) for a in attributes]
        from ._kernel import AxisCodes, count_cells

        combos, axes = _sparse.group_axes(encoded)
        for name, lv in cell_axes:
            pos = {x: i for i, x in enumerate(lv)}
            values = frame[name].tolist()
            bad = [v for v in values if v not in pos]
            if bad:
                _fail(caller, f"cell axis {name!r} must take values in {list(lv)}; got {bad[:5]}.")
            axes.append(AxisCodes(np.array([pos[v] for v in values], dtype=np.intp), len(lv)))
        columns = {}
        for name in sum_names:
            columns[name] = _check_sum(name, frame[name].to_numpy(), (len(frame),), caller)
        # each long row adds its sums into its cell (rows repeating a cell add up)
        # (the kernel's own "rows" counts long rows; the frame's row counts are summed apart)
        sums = count_cells(axes, len(frame), {("_" + n): _slicer(columns[n]) for n in sum_names})
        sums = {n: sums["_" + n] for n in sum_names}
        sums["rows"] = np.rint(sums["rows"]).astype(np.int64)
        return cls(attributes=attributes, levels=[e.levels for e in encoded], cell_axes=cell_axes,
                   sums=sums, family=family, missing_labels=[e.missing_label for e in encoded],
                   fingerprint=fingerprint, combos=combos)

    def _plain(self) -> dict:
        """Row counts and weights as nested lists (``AuditResult.to_dict``); a sparse table
        gives its observed combinations' level codes under ``combinations``, one entry each."""
        lead = list(self.attributes) if self.combos is None else ["combination"]
        out = {"attributes": list(self.attributes), "levels": [list(lv) for lv in self.levels],
               "axes": [*lead, *self.cell_names]}
        if self.combos is not None:
            out["combinations"] = self.combos.tolist()
        out.update(rows=self.rows.tolist(), weighted=self.weight.tolist())
        return out

    # ------------------------------------------------------------------ display

    def describe(self) -> str:
        dims = " x ".join(f"{a}[{len(lv)}]" for a, lv in zip(self.attributes, self.levels))
        cells = " x ".join(f"{n}[{len(lv)}]" for n, lv in self.cell_axes)
        sparse = "" if self.combos is None else f" ({len(self.combos):,} observed combinations)"
        return " x ".join(p for p in (dims, cells) if p) + sparse

    def __repr__(self):
        weighted = ", weighted" if self.is_weighted else ""
        return f"{type(self).__name__}({self.describe()}, n_rows={self.n_rows}{weighted})"


def _sum_shape(levels, cell_axes, combos) -> tuple:
    lead = tuple(len(lv) for lv in levels) if combos is None else (len(combos),)
    return lead + tuple(len(lv) for _, lv in cell_axes)


def _check_combos(combos, levels, caller) -> np.ndarray:
    """Distinct level codes of observed combinations, in C order, one column per attribute."""
    arr = np.asarray(combos)
    if arr.ndim != 2 or arr.shape[1] != len(levels) or (arr.size and arr.dtype.kind not in "iu"):
        _fail(caller, f"`combos` must be an integer array of shape (L, {len(levels)}); got shape {arr.shape}, "
                      f"dtype {arr.dtype}.")
    arr = np.array(arr, dtype=np.intp)
    sizes = np.array([len(lv) for lv in levels], dtype=np.intp)
    bad = np.flatnonzero(((arr < 0) | (arr >= sizes)).any(axis=1))
    if bad.size:
        _fail(caller, f"`combos` must hold level codes in [0, number of levels) of each attribute "
                      f"({sizes.tolist()}); got row {int(bad[0])}: {arr[bad[0]].tolist()}.")
    if len(arr) > 1:
        step = np.diff(arr, axis=0)
        first = np.argmax(step != 0, axis=1)
        wrong = np.flatnonzero(step[np.arange(len(step)), first] <= 0)
        if wrong.size:
            k = int(wrong[0]) + 1
            _fail(caller, f"`combos` must be distinct and in increasing (C) order; got row {k} "
                          f"{arr[k].tolist()} after {arr[k - 1].tolist()}.")
    return arr


def _slicer(values: np.ndarray):
    """A per-row quantity for the kernel: ``(start, stop) -> values[start:stop]``."""
    def block(start: int, stop: int) -> np.ndarray:
        return values[start:stop]
    return block


def _key(x):
    """A hashable, type-aware key: 1, 1.0 and True are distinct levels."""
    if isinstance(x, np.generic):
        x = x.item()
    return (type(x).__name__, x)


def _check_sum(name, value, shape, caller) -> np.ndarray:
    arr = np.asarray(value)
    if arr.shape != shape:
        _fail(caller, f"sum {name!r} must have shape {shape}; got {arr.shape}.")
    if arr.dtype.kind not in "biuf":
        _fail(caller, f"sum {name!r} must be numeric; got dtype {arr.dtype}.")
    arr = arr.astype(np.float64) if name != "rows" or arr.dtype.kind == "f" else arr.astype(np.int64)
    if not np.isfinite(arr).all():
        _fail(caller, f"sum {name!r} must be finite; got {int((~np.isfinite(arr)).sum())} NaN or infinite cells.")
    if name == "rows":
        if arr.dtype.kind == "f":
            if (arr != np.round(arr)).any():
                _fail(caller, "sum 'rows' must hold whole-number row counts; got fractional values.")
            arr = arr.astype(np.int64)
        if (arr < 0).any():
            _fail(caller, f"sum 'rows' must be >= 0; got {int((arr < 0).sum())} negative cells.")
    elif name in _NON_NEGATIVE and (arr < 0).any():
        _fail(caller, f"sum {name!r} must be >= 0; got {int((arr < 0).sum())} negative cells.")
    return np.array(arr)  # a private copy: the table never shares memory with the caller


def _sort_if_possible(labels):
    try:
        return sorted(labels)
    except TypeError:
        return sorted(labels, key=lambda x: (type(x).__name__, repr(x)))


def _align(a: Table, b: Table):
    levels, missing, maps_a, maps_b = [], [], [], []
    for lv_a, lv_b, ma, mb in zip(a.levels, b.levels, a.missing_labels, b.missing_labels):
        seen = {_key(x): x for x in lv_a if not (ma is not None and x == ma)}
        seen.update({_key(x): x for x in lv_b if not (mb is not None and x == mb)})
        merged = _sort_if_possible(list(seen.values()))
        miss = ma if ma is not None else mb
        if miss is not None:
            # the missing group keeps a label no observed group has
            while any(_key(x) == _key(miss) for x in merged):
                miss += "*"
            merged.append(miss)
        pos = {_key(x): i for i, x in enumerate(merged)}
        maps_a.append([len(merged) - 1 if (ma is not None and x == ma) else pos[_key(x)] for x in lv_a])
        maps_b.append([len(merged) - 1 if (mb is not None and x == mb) else pos[_key(x)] for x in lv_b])
        levels.append(tuple(merged))
        missing.append(miss)
    return tuple(levels), tuple(missing), maps_a, maps_b
