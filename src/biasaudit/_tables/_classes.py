"""The multiclass family: group x y_true class x y_pred class (K x K), or group x y_pred class.

Classes are the sorted union of the labels of ``y_true`` and ``y_pred``, so the table
is square and cell ``[t, p]`` holds the (weighted) rows of true class ``t`` predicted
as class ``p``: a confusion matrix per group. Decisions without outcomes give the
``multiclass_decisions`` family, one axis of predicted classes.
"""

from __future__ import annotations


from ._count import count_table

__all__ = ["count_classes"]


def count_classes(encoded, y_true, y_pred, classes: tuple, *, weight, fingerprint: bool, caller: str):
    """One pass over the rows into a K x K (or K) table; ``y_true``/``y_pred`` are class codes."""
    cells = [] if y_true is None else [("y_true", classes, y_true)]
    cells.append(("y_pred", classes, y_pred))
    family = "multiclass" if y_true is not None else "multiclass_decisions"
    return count_table(encoded, cells, family=family, weight=weight, fingerprint=fingerprint, caller=caller)
