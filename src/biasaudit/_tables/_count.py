"""Count a table from rows: encoded attributes and cell codes in, a validated Table out.

The family modules (binary decisions, classes, scores, amounts) say which cell axes and
which per-row sums they need; this module runs the kernel once over them and, when asked,
fingerprints the rows on the way.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping, Sequence

import numpy as np

from ..exceptions import AuditError
from . import _sparse
from ._fingerprint import CHUNK_SUMS, Fingerprint, weight_chunks
from ._kernel import AxisCodes, count_cells
from ._table import Table

__all__ = ["count_table"]


def count_table(encoded: Sequence, cells: Sequence[tuple], *, family: str, weight: np.ndarray | None = None,
                values: Mapping[str, np.ndarray] | None = None, fingerprint: bool = False,
                table_type: type[Table] = Table, caller: str = "count_table", block_rows: int | None = None,
                counter: Callable | None = None) -> Table:
    """One pass over the rows into a table.

    Parameters
    ----------
    encoded : sequence of EncodedAttribute
        The protected attributes, encoded.
    cells : sequence of (name, levels, codes)
        Each cell axis: its name, its levels and an integer code per row.
    family : str
        The audit family of the table.
    weight : ndarray or None
        Per-row weights; None counts every row once.
    values : mapping of str to ndarray, optional
        ``name -> v``: adds the per-cell sum of ``weight * v`` under that name.
    fingerprint : bool
        Also fingerprint the rows (see :class:`Fingerprint`).
    block_rows : int or None
        Rows per block of the kernel (None: its default).
    counter : callable or None
        ``counter(axes, n_rows, sums)``: counts the table in place of the numpy kernel and
        returns the same arrays, or None to leave it to the kernel (the compiled counter of
        binned score tables, :mod:`._fused`).

    A table whose attributes combine into more than ``_sparse.MAX_GROUPS`` possible groups
    is counted over the combinations present only (a sparse table, see :mod:`._sparse`).
    """
    combos, axes = _sparse.group_axes(encoded)
    axes += [AxisCodes(codes, len(levels)) for _, levels, codes in cells]
    n_rows = len(cells[0][2]) if cells else (len(encoded[0].codes) if encoded else 0)
    sums: dict[str, Callable[[int, int], np.ndarray]] = {}
    if weight is not None:
        sums["weight"] = _rows_of(weight)
        sums["weight_sq"] = _rows_of(weight, weight)
        if fingerprint:
            sums.update(zip(CHUNK_SUMS, _weight_chunks_of(weight)))
    for name, v in (values or {}).items():
        sums[name] = _rows_of(v) if weight is None else _rows_of(weight, v)
    counted = counter(axes, n_rows, sums) if counter is not None else None
    if counted is None:
        counted = count_cells(axes, n_rows, sums, exact=CHUNK_SUMS,
                              **({} if block_rows is None else {"block_rows": block_rows}))
    chunks = [counted.pop(name) for name in CHUNK_SUMS if name in counted]
    attributes = [e.name for e in encoded]
    levels = [e.levels for e in encoded]
    missing = [e.missing_label for e in encoded]
    cell_axes = [(name, levels_) for name, levels_, _ in cells]
    fp = None
    if fingerprint:
        described = [(a, lv, m) for a, lv, m in zip(attributes, levels, missing)]
        described += [(name, lv, None) for name, lv in cell_axes]
        fp = Fingerprint.of_table(described, counted["rows"], chunks, weighted=weight is not None, combos=combos)
    # the kernel's sums are valid by construction (validated inputs, zeros in empty cells)
    return table_type._trusted(attributes=attributes, levels=levels, cell_axes=cell_axes, sums=counted,
                               family=family, missing_labels=missing, fingerprint=fp, combos=combos, caller=caller)


def check_group_count(encoded: Sequence, caller: str) -> None:
    """Raise when the attributes combine into more possible groups than a dense table holds
    (for the per-row outputs that need every combination, such as fairlearn's frames)."""
    n_groups = math.prod(len(e.levels) for e in encoded)
    if n_groups > _sparse.MAX_GROUPS:
        detail = ", ".join(f"{e.name}: {len(e.levels)}" for e in encoded)
        msg = (f"{caller}(): the protected attributes combine into {n_groups:,} possible groups "
               f"({detail}); at most {_sparse.MAX_GROUPS:,} are supported here. Hint: audit() counts "
               f"only the combinations present; or band an attribute with many values (such as age) first.")
        raise AuditError(msg)


def _rows_of(a: np.ndarray, b: np.ndarray | None = None) -> Callable[[int, int], np.ndarray]:
    """A per-row quantity for the kernel: ``a`` (or ``a * b``) over rows ``start:stop``."""
    def block(start: int, stop: int) -> np.ndarray:
        return a[start:stop] if b is None else a[start:stop] * b[start:stop]
    return block


def _weight_chunks_of(weight: np.ndarray) -> list[Callable[[int, int], np.ndarray]]:
    """The fingerprint's weight-hash chunks per block, each block's computed once."""
    memo: dict[str, object] = {}

    def chunk(start: int, stop: int, i: int) -> np.ndarray:
        if memo.get("block") != start:
            memo["block"], memo["chunks"] = start, weight_chunks(weight[start:stop])
        return memo["chunks"][i]  # type: ignore[index]

    def part(i: int) -> Callable[[int, int], np.ndarray]:
        return lambda start, stop: chunk(start, stop, i)

    return [part(i) for i in range(len(CHUNK_SUMS))]
