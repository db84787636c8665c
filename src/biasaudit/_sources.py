"""Audits of data that are not a pandas DataFrame: count where the data live, then analyse.

A file path, a polars (eager or lazy) frame, a pyarrow Table or Dataset, a DuckDB relation, a
Dask, PySpark or Ibis frame is never collected into pandas: the engine runs one ``GROUP BY``
(``biasaudit._engines.count_long``) and only the long table of sufficient statistics comes
back, which :meth:`Table.from_long` turns into the same table the in-memory kernel counts.
"""

from __future__ import annotations

import os
from typing import cast

from ._tables import GroupCounts, binary_axes
from ._tables._fingerprint import Fingerprint
from .exceptions import InvalidParameterError

__all__: list[str] = []


def is_external(data) -> bool:
    """Whether ``data`` is a source counted by an engine (anything but pandas, arrays or None)."""
    if data is None:
        return False
    if isinstance(data, (str, os.PathLike)):
        return True
    root = type(data).__module__.split(".")[0]
    return root not in ("pandas", "numpy", "builtins")


def count_source(data, *, y_true, y_pred, protected, sample_weight, pos_label, fingerprint: bool,
                 caller: str) -> GroupCounts:
    """The binary table of an external source, counted by its engine.

    Columns are given by name. With ``pos_label=1`` a label column must hold 0/1 or
    booleans (the engine checks it in the same pass); with another ``pos_label``, rows
    equal to it are positive and every other value negative, as the caller named the
    positive value. Without weights the long table is the multiset of audited rows, so its
    fingerprint equals the in-memory one; with weights the engine sees sums, not rows, and
    no fingerprint is recorded.
    """
    from ._engines import count_long

    attributes = [protected] if isinstance(protected, str) else protected
    named = {"y_pred": y_pred, "protected": attributes, "sample_weight": sample_weight}
    if y_true is not None:
        named["y_true"] = y_true
    bad = [k for k, v in named.items()
           if v is not None and not (isinstance(v, str) or (k == "protected" and isinstance(v, (list, tuple))
                                                            and v and all(isinstance(a, str) for a in v)))]
    if bad:
        msg = (f"{caller}(): with `data` of type {type(data).__name__}, `{bad[0]}` must be a column name (or "
               f"a list of names for `protected`); got {named[bad[0]]!r}. Hint: arrays can be audited "
               f"with a pandas DataFrame or without `data`.")
        raise InvalidParameterError(msg)

    def cell(column):
        return ("column", column) if pos_label == 1 else ("equals", column, pos_label)

    cells = {"y_pred": cell(y_pred)}
    if y_true is not None:
        cells = {"y_true": cell(y_true), **cells}
    long = count_long(data, attributes=list(attributes), cells=cells, weight=sample_weight, caller=caller,
                      argument="data")
    has_y_true = y_true is not None
    table = cast(GroupCounts, GroupCounts.from_long(long, attributes=list(attributes),
                                                    cell_axes=binary_axes(has_y_true),
                                                    family="binary" if has_y_true else "decisions"))
    if not fingerprint or sample_weight is not None:
        return table
    described = [(a, lv, m) for a, lv, m in zip(table.attributes, table.levels, table.missing_labels)]
    described += [(name, lv, None) for name, lv in table.cell_axes]
    return GroupCounts(attributes=table.attributes, levels=table.levels, cell_axes=table.cell_axes,
                       sums=table.sums, family=table.family, missing_labels=table.missing_labels,
                       fingerprint=Fingerprint.of_table(described, table.rows, weighted=False))
