"""The attacker's interval for one item, by linear programming over everything published.

Used by :mod:`._disclosure` as a check before its last resort: when no pattern or
relocation protects an item of an intersection, the intersections that hold its attributes
are withheld and this program says whether that suffices. The attacker minimises and
maximises the item over non-negative finest tables that agree with every published cell of
every linked table (the grand totals included), as in the tests' attack.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

__all__ = ["MAX_CHECK_CELLS", "interval_width"]

#: Finest tables up to this many cells are checked; larger ones keep the last resort.
MAX_CHECK_CELLS = 20_000


def _cell_numbers(shape, axes) -> np.ndarray:
    """For each finest cell (flat), its cell in the table over ``axes``."""
    grid = np.indices(shape).reshape(len(shape), -1)
    out = np.zeros(grid.shape[1], dtype=np.int64)
    for a in axes:
        out = out * shape[a] + grid[a]
    return out


def interval_width(counts: np.ndarray, tables: dict, axes: tuple, cell: tuple) -> float:
    """Width of the attacker's interval for item ``cell`` of table ``axes`` (0 if a program fails).

    ``tables`` maps sorted axes to ``[table, hidden mask, value per item, kind]``; every
    cell not hidden is published. Examples are in the tests (``tests/test_disclosure.py``).
    """
    shape = counts.shape
    rows, cols, rhs = [], [], []
    n = 0
    target = None
    for t_axes, (table, hidden, _, _) in tables.items():
        number = _cell_numbers(shape, t_axes)
        if t_axes == axes:
            target = (number == int(np.ravel_multi_index(cell, table.shape))).astype(float)
        shown = ~hidden.reshape(-1)
        row_of = np.cumsum(shown) - 1
        keep = shown[number]
        rows.append(n + row_of[number[keep]])
        cols.append(np.flatnonzero(keep))
        rhs.append(table.reshape(-1)[shown].astype(float))
        n += int(shown.sum())
    a = sparse.csr_matrix((np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(n, counts.size))
    b = np.concatenate(rhs)
    ends = []
    for sign in (1.0, -1.0):
        res = linprog(sign * target, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        if res.status != 0:
            return 0.0
        ends.append(sign * res.fun)
    return float(ends[1] - ends[0])
