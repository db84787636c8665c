"""One warning when most observed groups of an audit are too small to be assessed.

Crossing many protected attributes makes combinations that outnumber what the data can
support; each observed one is still counted and reported, and this says so once, with
the counts, instead of leaving a table of thousands of unassessable groups unexplained.
"""

from __future__ import annotations

import warnings

from .exceptions import ManyGroupsWarning

__all__ = ["MANY_GROUPS", "warn_many_groups"]

#: Unassessable (too small) groups from which their outnumbering the assessable ones is worth a warning.
MANY_GROUPS = 1000


def warn_many_groups(groupings, min_group_size: int, caller: str) -> None:
    """One :class:`ManyGroupsWarning` when the too-small groups of a grouping are many and outnumber the others."""
    worst = None
    for g in groupings:
        small = int((~g.is_missing & ~g.assessable).sum())
        if small >= MANY_GROUPS and small > int(g.assessable.sum()) and (worst is None or small > worst[1]):
            worst = (g, small)
    if worst is not None:
        g, small = worst
        msg = (f"{caller}(): {g.name} has {len(g.labels):,} groups with rows, of which {small:,} have fewer than "
               f"min_group_size={min_group_size} rows and cannot be assessed (only {int(g.assessable.sum()):,} "
               f"can). Hint: cross fewer attributes, or band attributes with many values.")
        warnings.warn(msg, ManyGroupsWarning, stacklevel=4)
