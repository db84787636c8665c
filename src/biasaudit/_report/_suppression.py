"""Small-cell suppression for the published edition of a report, with secondary suppression.

The unit of publication is a group's row: its size and every rate computed from its four
cells. A row is suppressed (primary) when the group has from 1 to ``min_cell - 1`` people,
or any of its cells (TN, FP, FN, TP, counted in people) does: published rates and sizes
would reveal such a cell. Zero is allowed, as in common practice.

Totals are published too (the whole population, each attribute's groups, the
intersections' margins), so one hidden row on a line of groups that adds up to a
published total could be recovered by subtraction. Secondary suppression therefore hides,
on every line with exactly one hidden row, the smallest other non-empty row (sparing the
reference groups where it can), and repeats until every line has zero or at least two
hidden rows. A line is every grouping of one
attribute (it adds up to the population) and, in an intersection, every set of groups that
differ in one attribute only.
"""

from __future__ import annotations


import numpy as np

__all__ = ["lines", "suppressed_groups"]


def lines(grouping):
    """Lists of group positions whose rows add up to a published total."""
    if len(grouping.attributes) == 1:
        return [list(range(len(grouping.labels)))]
    out = []
    n_attr = len(grouping.attributes)
    for axis in range(n_attr):
        buckets: dict = {}
        for pos, label in enumerate(grouping.labels):
            key = tuple(v for i, v in enumerate(label) if i != axis)
            buckets.setdefault(key, []).append(pos)
        out.extend(buckets.values())
    return out


def suppressed_groups(groupings, min_cell: int, keep=frozenset()) -> dict:
    """``{(grouping name, group label): "primary" | "secondary"}`` for the published edition.

    ``keep`` holds (grouping name, label) pairs to spare from secondary suppression when
    another choice exists: hiding a reference group would hide every comparison with it.
    """
    out = {}
    for g in groupings:
        rows = g.rows_table.reshape(len(g.labels), -1)
        n = rows.sum(axis=1)
        small = ((rows > 0) & (rows < min_cell)).any(axis=1) | ((n > 0) & (n < min_cell))
        hidden = {int(i): "primary" for i in np.flatnonzero(small)}
        group_lines = lines(g)
        changed = True
        while changed:
            changed = False
            for line in group_lines:
                members = [p for p in line if n[p] > 0]
                if sum(p in hidden for p in members) != 1:
                    continue
                candidates = [p for p in members if p not in hidden]
                if candidates:
                    spare = {p for p in candidates if (g.name, g.labels[p]) in keep}
                    hidden[min(candidates, key=lambda p: (p in spare, n[p], p))] = "secondary"
                    changed = True
        out.update({(g.name, g.labels[p]): why for p, why in hidden.items()})
    return out


