"""The attacker's interval for one item, by linear programming over everything published.

Used by :mod:`._disclosure` as a check before its last resort: when no pattern or
relocation protects an item of an intersection, the intersections that hold its attributes
are withheld and this program says whether that suffices. The attacker minimises and
maximises the item over non-negative finest tables that agree with every published cell of
every linked table (the grand totals included), as in the tests' attack. Finest tables too
large for that program are checked by the Frechet bounds of the item given each
attribute's own counts (:func:`frechet_width`), which hold once no published table crosses
two attributes.
"""

from __future__ import annotations

import numpy as np

from ._disclosure_restore import cell_numbers

__all__ = ["MAX_CHECK_CELLS", "frechet_width", "interval_width"]

#: Finest tables up to this many cells are checked; larger ones keep the last resort.
MAX_CHECK_CELLS = 20_000


def interval_width(counts: np.ndarray, tables: dict, axes: tuple, cell: tuple) -> float:
    """Width of the attacker's interval for item ``cell`` of table ``axes`` (0 if a program fails).

    ``tables`` maps sorted axes to ``[table, hidden mask, value per item, kind]``; every
    cell not hidden is published. Examples are in the tests (``tests/test_disclosure.py``).
    """
    from scipy import sparse  # imported when a program is solved: most reports never need one
    from scipy.optimize import linprog

    shape = counts.shape
    rows, cols, rhs = [], [], []
    n = 0
    target = None
    for t_axes, (table, hidden, _, _) in tables.items():
        number = cell_numbers(shape, t_axes)
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
    if target is None:
        raise ValueError(f"interval_width(): no table over axes {axes}")
    ends = []
    for sign in (1.0, -1.0):
        res = linprog(sign * target, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        if res.status != 0:
            return 0.0
        ends.append(sign * res.fun)
    return float(ends[1] - ends[0])


def _margin_extremes(counts: np.ndarray, tables: dict, attr: int, level: int, outcomes: list) -> tuple:
    """One attribute's counts at ``level`` in each of ``outcomes``, where their sum is least and most.

    Over that attribute's own tables (by size, outcome, prediction and both) and the grand
    totals, all that binds it once no published table crosses attributes: a program over
    its levels x 2 x 2 counts only. Both answers are attainable counts of the attribute.
    """
    from scipy.optimize import linprog

    k = counts.ndim - 2
    margin = counts.sum(axis=tuple(b for b in range(k) if b != attr))
    shape = margin.shape
    rows, rhs = [], []
    for t_axes, (table, hidden, _, _) in tables.items():
        if any(a < k and a != attr for a in t_axes):
            continue
        number = cell_numbers(shape, [0 if a == attr else a - k + 1 for a in t_axes])
        for flat in np.flatnonzero(~hidden.reshape(-1)):
            rows.append((number == flat).astype(float))
            rhs.append(float(table.reshape(-1)[flat]))
    target = np.zeros(shape)
    for o in outcomes:
        target[(level,) + tuple(o)] = 1.0
    out = []
    for sign in (1.0, -1.0):
        res = linprog(sign * target.reshape(-1), A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None),
                      method="highs")
        solution = res.x.reshape(shape) if res.status == 0 else margin  # the true counts are attainable
        out.append([float(solution[(level,) + tuple(o)]) for o in outcomes])
    return out[0], out[1]


def frechet_width(counts: np.ndarray, tables: dict, axes: tuple, cell: tuple) -> float | None:
    """A lower bound of the attacker's interval width for an item of an intersection, without the finest program.

    Holds when no published table crosses two attributes: the combinations within each
    outcome cell are then free but for each attribute's own counts, so an item's count in
    an outcome cell ranges between the Frechet bounds ``max(0, sum_a M_a - (m - 1) N)`` and
    ``min_a M_a`` (``M_a`` the count of the item's level of attribute ``a`` in that outcome
    cell, ``N`` the outcome cell's total, ``m`` the item's number of attributes), and both
    are reached. Each attribute's counts are taken where its tables leave the item's
    ``M_a`` least and most: attainable, so the width is attained (exact for an item of one
    outcome cell). None when the bound does not hold.
    """
    k = counts.ndim - 2
    for t_axes, (_, hidden, _, _) in tables.items():
        if sum(a < k for a in t_axes) > 1 and not hidden.all():
            return None
    levels = dict(zip(axes, cell))
    attrs = [a for a in axes if a < k]
    outcomes = [(t, p) for t in range(2) for p in range(2) if levels.get(k, t) == t and levels.get(k + 1, p) == p]
    totals = counts.sum(axis=tuple(range(k)))
    extremes = [_margin_extremes(counts, tables, a, levels[a], outcomes) for a in attrs]
    hi = sum(min(e[1][i] for e in extremes) for i in range(len(outcomes)))
    lo = sum(max(0.0, sum(e[0][i] for e in extremes) - (len(attrs) - 1) * float(totals[o]))
             for i, o in enumerate(outcomes))
    return hi - lo
