"""What to count, checked once: protected attributes, cell expressions, weight and extra sums.

A :class:`Plan` is engine-neutral. Every engine turns it into one ``GROUP BY`` (or a
bincount) and returns a *raw* long frame; :func:`finish` then checks and normalises that
frame the same way for every engine, so the engines differ only in how they count.

Raw frames carry what the checks need as ordinary group keys or sums, so no engine scans
twice: a cell that could not be computed is a ``NULL`` (missing input) or ``-1`` (a score
outside the bin edges) key, a ``("column", c)`` cell keeps the raw value of ``c`` as its
key, and ``_bad_<name>`` sums count rows whose weight or summed column is missing,
negative (weights only) or not finite.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..exceptions import AuditError, InvalidParameterError

__all__ = ["HASH_SUM", "LABEL_CELLS", "RESERVED", "Cell", "Plan", "SumSpec", "finish", "make_plan",
           "missing_columns_error"]

#: Names of the sums every long frame has.
RESERVED = ("rows", "weight", "weight_sq")
_CELL_KINDS = {"equals": 3, "column": 2, "bin": 3, "value": 2, "grid": 3, "rank": 3, "window": 3}
#: Cells whose key is the (raw or clipped) value itself rather than an integer code.
LABEL_CELLS = ("value", "window")
_SUM_KINDS = ("weighted", "weighted_sq")
#: Sums of a function of two columns: SUM(w*x*y), SUM(w*|x-y|), SUM(w*(x-y)^2).
_PAIR_KINDS = ("weighted_product", "weighted_abs_diff", "weighted_sq_diff")
#: The name of the per-cell sum of the weights' hashes (uint64, wrapping), see ``Plan.hash_weight``.
HASH_SUM = "_fp"


@dataclass(frozen=True)
class Cell:
    """One cell axis: ``name`` computed from ``column`` by ``kind``."""

    name: str
    kind: str
    column: str
    value: object = None
    edges: tuple = ()

    @property
    def n_bins(self) -> int:
        return len(self.edges) - 1

    @property
    def grid(self) -> tuple:
        """``(origin, factor, divide, offset, n, span)`` of a ``grid`` cell (``span`` None: no snapping)."""
        return self.value  # type: ignore[return-value]


@dataclass(frozen=True)
class SumSpec:
    """One extra sum: ``SUM(w * column)`` (``weighted``), ``SUM(w * column**2)``, or of two
    columns ``SUM(w * column * other)``, ``SUM(w * |column - other|)``, ``SUM(w * (column - other)**2)``."""

    name: str
    kind: str
    column: str
    other: str | None = None


@dataclass(frozen=True)
class Plan:
    """Everything an engine needs; built by :func:`make_plan`."""

    attributes: tuple
    cells: tuple
    weight: str | None
    sums: tuple
    hash_weight: bool = False

    @property
    def columns(self) -> list:
        """The source columns read, each once, in a stable order."""
        used = [*self.attributes, *(c.column for c in self.cells)]
        if self.weight is not None:
            used.append(self.weight)
        used += [s.column for s in self.sums]
        used += [s.other for s in self.sums if s.other is not None]
        return list(dict.fromkeys(used))

    @property
    def keys(self) -> list:
        return [*self.attributes, *(c.name for c in self.cells)]

    @property
    def checked(self) -> list:
        """``(check name, column)`` of the per-row value checks, as ``_bad_*`` sums."""
        out = []
        if self.weight is not None:
            out.append(("_bad_weight", self.weight))
        summed = [c for s in self.sums for c in (s.column, s.other) if c is not None]
        for column in dict.fromkeys(summed):
            out.append((f"_bad_{column}", column))
        return out

    @property
    def sum_names(self) -> list:
        return [*RESERVED, *(s.name for s in self.sums), *([HASH_SUM] if self.hash_weight else [])]


def _name(value, what, caller):
    if not isinstance(value, str) or not value:
        msg = f"{caller}(): {what} must be a non-empty string; got {value!r}."
        raise InvalidParameterError(msg)
    return value


def _cell(name, spec, caller) -> Cell:
    where = f"`cells[{name!r}]`"
    if not isinstance(spec, tuple) or not spec or spec[0] not in _CELL_KINDS:
        msg = (f"{caller}(): {where} must be a tuple ('equals', column, value), ('column', column), "
               f"('value', column), ('bin', column, edges), ('rank', column, edges), ('window', column, "
               f"(low, high)) or ('grid', column, (origin, factor, divide, offset, n)); got {spec!r}.")
        raise InvalidParameterError(msg)
    kind = spec[0]
    if len(spec) != _CELL_KINDS[kind]:
        msg = f"{caller}(): {where} of kind {kind!r} must have {_CELL_KINDS[kind]} items; got {spec!r}."
        raise InvalidParameterError(msg)
    column = _name(spec[1], f"the column of {where}", caller)
    if kind == "equals":
        value = spec[2]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            msg = f"{caller}(): the value of {where} must not be missing; got {value!r}."
            raise InvalidParameterError(msg)
        if isinstance(value, np.generic):
            value = value.item()
        return Cell(name, kind, column, value=value)
    if kind == "grid":
        return Cell(name, kind, column, value=_grid(spec[2], where, caller))
    if kind in ("bin", "rank", "window"):
        try:
            edges = tuple(float(e) for e in spec[2])
        except (TypeError, ValueError):
            edges = ()
        least = {"bin": 2, "rank": 1, "window": 2}[kind]
        ok = len(edges) >= least and all(math.isfinite(e) for e in edges) and (kind != "window" or len(edges) == 2)
        if not ok or any(b <= a for a, b in zip(edges, edges[1:])):
            msg = (f"{caller}(): the edges of {where} must be at least {least} finite, strictly "
                   f"increasing numbers; got {spec[2]!r}.")
            raise InvalidParameterError(msg)
        return Cell(name, kind, column, edges=edges)
    return Cell(name, kind, column)


def _grid(spec, where, caller) -> tuple:
    """``(origin, factor, divide, offset, n[, span])``: code ``clip(floor((x - origin) * factor) + offset,
    0, n - 1)`` (``/ factor`` when ``divide``), the arithmetic of the in-memory binning, so codes
    agree exactly. With ``span``, the code is then moved by one where ``x`` falls on the
    other side of the edge ``origin + span * code / n`` (or the next), so the bins are those
    of a binary search of these edges (the in-memory binning when thresholds add edges)."""
    try:
        origin, factor, divide, offset, n, *rest = spec
        span = float(rest[0]) if rest and rest[0] is not None else None
        good = (len(rest) <= 1 and math.isfinite(float(origin)) and math.isfinite(float(factor)) and float(factor) > 0
                and isinstance(divide, bool) and int(offset) == offset and int(n) == n and int(n) >= 1
                and (span is None or (math.isfinite(span) and span > 0 and not divide and offset == 0)))
    except (TypeError, ValueError):
        good = False
    if not good:
        msg = (f"{caller}(): the grid of {where} must be (origin, factor > 0, divide: bool, offset: int, "
               f"n >= 1[, span > 0]), finite; got {spec!r}.")
        raise InvalidParameterError(msg)
    return (float(origin), float(factor), bool(divide), int(offset), int(n), span)


def make_plan(caller, *, attributes, cells, weight=None, sums=None, hash_weight=False) -> Plan:
    """Check the arguments of a counting entry point and return its :class:`Plan`."""
    if isinstance(attributes, str):
        attributes = [attributes]
    try:
        attributes = tuple(attributes)
    except TypeError:
        msg = f"{caller}(): `attributes` must be a list of column names; got {attributes!r}."
        raise InvalidParameterError(msg) from None
    for a in attributes:
        _name(a, "every name in `attributes`", caller)
    if not isinstance(cells, Mapping):
        msg = f"{caller}(): `cells` must be a mapping of cell-axis name to spec; got {cells!r}."
        raise InvalidParameterError(msg)
    cell_specs = tuple(_cell(_name(n, "every key of `cells`", caller), s, caller) for n, s in cells.items())
    if weight is not None:
        _name(weight, "`weight`", caller)
    sum_specs = []
    for n, spec in (sums or {}).items():
        _name(n, "every key of `sums`", caller)
        single = isinstance(spec, tuple) and len(spec) == 2 and spec[0] in _SUM_KINDS
        pair = isinstance(spec, tuple) and len(spec) == 3 and spec[0] in _PAIR_KINDS
        if not (single or pair):
            msg = (f"{caller}(): `sums[{n!r}]` must be ('weighted', column), ('weighted_sq', column) or "
                   f"(kind, column, other) with kind in {list(_PAIR_KINDS)}; got {spec!r}.")
            raise InvalidParameterError(msg)
        other = _name(spec[2], f"the second column of `sums[{n!r}]`", caller) if pair else None
        sum_specs.append(SumSpec(n, spec[0], _name(spec[1], f"the column of `sums[{n!r}]`", caller), other))
    if hash_weight and weight is None:
        raise InvalidParameterError(f"{caller}(): `hash_weight` needs a `weight` column.")
    names = [*attributes, *(c.name for c in cell_specs), *RESERVED, *(s.name for s in sum_specs)]
    clash = sorted({n for n in names if names.count(n) > 1 or n.startswith("_bad_")})
    if clash:
        msg = (f"{caller}(): the output columns must have distinct names (attributes, cell axes, "
               f"{', '.join(RESERVED)}, sums) not starting with '_bad_'; got {clash} more than once "
               f"or reserved.")
        raise InvalidParameterError(msg)
    return Plan(attributes, cell_specs, weight, tuple(sum_specs), bool(hash_weight))


def missing_columns_error(caller, missing, available, source: str) -> AuditError:
    """The error for columns absent from a source, naming both."""
    from .._validation import _suggest

    msg = f"{caller}(): no column {missing[0]!r} in {source}." + _suggest(missing[0], list(available))
    if len(missing) > 1:
        msg += f" Also missing: {', '.join(repr(m) for m in missing[1:])}."
    return AuditError(msg)


def _is_missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _label(value):
    if isinstance(value, np.generic):
        value = value.item()
    return None if _is_missing(value) else value


def _check_cells(plan: Plan, frame: pd.DataFrame, caller: str, source: str) -> None:
    for cell in plan.cells:
        values = frame[cell.name]
        missing = values.map(_is_missing).to_numpy(dtype=bool)
        if missing.any():
            n = int(frame["rows"].to_numpy()[missing].sum())
            msg = (f"{caller}(): column {cell.column!r} of {source} has {n} missing value(s); "
                   f"cell axis {cell.name!r} needs a value on every row.")
            raise AuditError(msg)
        if cell.kind == "column":
            found = {(_label(v)) for v in values}
            if not found <= {0, 1}:
                bad = sorted(repr(v) for v in found - {0, 1})[:5]
                msg = (f"{caller}(): column {cell.column!r} of {source} must hold only 0 and 1 "
                       f"(or False and True) for cell axis {cell.name!r}; got {', '.join(bad)}.")
                raise AuditError(msg)
        elif cell.kind == "bin":
            out = pd.to_numeric(values).to_numpy() < 0
            if out.any():
                n = int(frame["rows"].to_numpy()[out].sum())
                msg = (f"{caller}(): column {cell.column!r} of {source} has {n} value(s) outside "
                       f"the bin edges [{cell.edges[0]}, {cell.edges[-1]}] or not a number.")
                raise AuditError(msg)


def finish(plan: Plan, raw: pd.DataFrame, *, caller: str, source: str) -> pd.DataFrame:
    """Check a raw long frame from any engine and return the normalised long frame.

    Errors name the column and the source. The result has the attribute columns (object
    dtype, ``None`` for missing), the cell columns (int64), ``rows`` (int64) and the sums
    (float64), one row per non-empty combination, sorted by the keys where they sort.
    """
    raw = raw.reset_index(drop=True)
    for check, column in plan.checked:
        bad = int(pd.to_numeric(raw[check]).sum()) if len(raw) else 0
        if bad:
            weight = check == "_bad_weight"
            what = "a non-negative finite number" if weight else "a finite number"
            why = "missing, negative or not finite" if weight else "missing or not finite"
            msg = f"{caller}(): column {column!r} of {source} must be {what} on every row; {bad} row(s) are {why}."
            raise AuditError(msg)
    _check_cells(plan, raw, caller, source)
    data = {}
    for a in plan.attributes:
        data[a] = pd.Series([_label(v) for v in raw[a]], dtype=object)
    for cell in plan.cells:
        if cell.kind in LABEL_CELLS:
            data[cell.name] = pd.Series([_label(v) for v in raw[cell.name]], dtype=object)
        else:
            data[cell.name] = pd.Series([int(_label(v)) for v in raw[cell.name]], dtype="int64")
    data["rows"] = pd.to_numeric(raw["rows"]).astype("int64")
    if plan.weight is None:
        data["weight"] = data["rows"].astype("float64")
        data["weight_sq"] = data["rows"].astype("float64")
    else:
        data["weight"] = raw["weight"].astype("float64")
        data["weight_sq"] = raw["weight_sq"].astype("float64")
    for s in plan.sums:
        data[s.name] = raw[s.name].astype("float64")
    if plan.hash_weight:
        data[HASH_SUM] = raw[HASH_SUM].astype("uint64")  # wrapping sums modulo 2**64
    frame = pd.DataFrame(data, index=pd.RangeIndex(len(raw)))
    frame = frame[frame["rows"] > 0]
    keys = plan.keys
    if keys and len(frame):
        # Engines may split one missing group in two (NULL and NaN) or return partial
        # counts per chunk; summing by key merges them.
        frame = frame.groupby(keys, dropna=False, sort=False, as_index=False)[plan.sum_names].sum()
        for a in [*plan.attributes, *(c.name for c in plan.cells if c.kind in LABEL_CELLS)]:
            # groupby turns None keys into NaN
            frame[a] = pd.Series([_label(v) for v in frame[a]], dtype=object, index=frame.index)
        frame = _sorted(frame, keys)
    elif not keys:
        frame = frame[plan.sum_names].sum().to_frame().T if len(frame) else frame
        frame["rows"] = frame["rows"].astype("int64")
    return frame.reset_index(drop=True)


def _sort_key(value):
    if value is None:
        return (2, "", 0)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return (0, "", value)
    return (1, type(value).__name__, value)


def _sorted(frame: pd.DataFrame, keys) -> pd.DataFrame:
    """Rows in key order (missing last); mixed types are ordered by type name."""
    columns = [frame[k].tolist() for k in keys]
    order = list(range(len(frame)))
    try:
        order.sort(key=lambda i: tuple(_sort_key(col[i]) for col in columns))
    except TypeError:
        order.sort(key=lambda i: tuple(repr(col[i]) for col in columns))
    return frame.iloc[order]
