"""What every family of an external source shares: counting with the weights' hashes where
rows are seen, the engine's expression of a binary label, and the table of a long frame with
its fingerprint (see :mod:`._sources`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._tables import Table
from ._tables._fingerprint import Fingerprint

__all__ = ["count", "is_one", "label_cell", "table_of", "weighted_fingerprint_possible"]


def weighted_fingerprint_possible(data) -> bool:
    """Whether the weights of ``data``'s rows can be hashed: only where the numpy counter sees rows.

    Lazy and remote engines (polars LazyFrames, DuckDB relations, PySpark, Ibis) would have
    to compute a 64-bit mixing hash of each weight's bit pattern in their own expression
    language, with wrapping unsigned arithmetic and a reinterpretation of a double as an
    integer, which SQL and these engines do not offer portably.
    """
    from ._engines import sees_rows

    return sees_rows(data)


def count(data, attributes, cells, *, weight, sums=None, fingerprint=False, caller):
    """The long frame of ``data``; the weights' hashes too when a weighted fingerprint is wanted."""
    from ._engines import count_long

    hash_weight = bool(fingerprint and weight is not None and weighted_fingerprint_possible(data))
    return count_long(data, attributes=list(attributes), cells=cells, weight=weight, sums=sums, caller=caller,
                      argument="data", hash_weight=hash_weight)


def label_cell(column, pos_label):
    """The engine's expression of a binary label: a 0/1 column, or equality with ``pos_label``."""
    return ("column", column) if is_one(pos_label) else ("equals", column, pos_label)


def is_one(x) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool) and x == 1


def table_of(long: pd.DataFrame, *, attributes, cell_axes, family, table_type=Table, fingerprint: bool,
             weighted: bool) -> Table:
    """The table of a long frame whose cell columns hold the cell levels, with its fingerprint.

    Without weights the fingerprint is a function of the table; with weights it needs the
    per-cell sums of the weights' hashes (column ``_fp``), else it is None.
    """
    from ._engines._plan import HASH_SUM

    hashes = long.pop(HASH_SUM).to_numpy(dtype=np.uint64) if HASH_SUM in long.columns else None
    table = table_type.from_long(long, attributes=attributes, cell_axes=cell_axes, family=family)
    if not fingerprint:
        return table
    described = [(a, lv, m) for a, lv, m in zip(table.attributes, table.levels, table.missing_labels)]
    described += [(name, lv, None) for name, lv in table.cell_axes]
    if not weighted:
        return table._replace(fingerprint=Fingerprint.of_table(described, table.rows, weighted=False,
                                                               combos=table.combos))
    if hashes is None:
        return table
    per_cell = np.zeros(table.shape, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.add.at(per_cell.reshape(-1), _cell_index(long, table), hashes)  # wraps modulo 2**64
    return table._replace(fingerprint=Fingerprint.of_table(described, table.rows, [per_cell], weighted=True,
                                                           combos=table.combos))


def _cell_index(long: pd.DataFrame, table: Table) -> np.ndarray:
    """The flat cell of every long row, by the same encoding :meth:`Table.from_long` uses."""
    from ._encoding import encode_attribute

    index = np.zeros(len(long), dtype=np.intp)
    codes = [np.asarray(encode_attribute(long[a], a).codes, dtype=np.intp) for a in table.attributes]
    codes = [np.where(c < 0, len(lv) - 1, c) for c, lv in zip(codes, table.levels)]  # missing: the last level
    if table.combos is not None:  # a sparse table: the observed combinations, found as from_long found them
        from ._tables._sparse import observed_combinations

        index = observed_combinations(codes, [len(lv) for lv in table.levels])[1]
    else:
        for c, lv in zip(codes, table.levels):
            index = index * len(lv) + c
    for name, lv in table.cell_axes:
        position = {x: i for i, x in enumerate(lv)}
        index = index * len(lv) + np.array([position[v] for v in long[name].tolist()], dtype=np.intp)
    return index
