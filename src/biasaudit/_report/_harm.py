"""Who a gap disadvantages: the direction of each metric for the people it describes.

A gap between a group and the reference is a number; a finding is a statement that one
side is worse off. The principle: a side is disadvantaged when its members receive the
unfavourable decision more often, overall (selection rate) or among people with the same
actual outcome (true and false positive rates and their complements), or when the system
assesses them less accurately (accuracy, error rate, balanced accuracy, F1). Whether the
positive decision is the favourable one flips the first two kinds, not the last.

Two kinds of metric have no direction: they are context, shown in the results with their
tests, never a finding of harm. The base rate describes the data, not the decision. The
predictive values (PPV, NPV and their complements FDR and FOR) condition on the decision,
not on the person: they say how often a decision turned out right, and a gap between
groups follows from a gap in base rates even when every person with the same outcome is
treated alike (with equal error rates and unequal base rates the predictive values must
differ: Chouldechova, "Fair prediction with disparate impact", *Big Data* 5(2), 2017). On
COMPAS, women flagged high risk reoffend less often than flagged men (PPV 0.137 lower)
and women not flagged reoffend less often too (NPV 0.095 higher), while their false
positive rates are equal (0.302 and 0.303): both gaps restate that women reoffend less,
and neither says that women are flagged more, or less, than men who behave alike. The
table is documented in docs/reports.md.
"""

from __future__ import annotations

import math

__all__ = ["DIRECTIONS", "disadvantaged", "higher_harms"]

#: metric -> (a higher value harms its group when the positive decision is favourable,
#:            ... when it is unfavourable); None: the metric has no direction.
DIRECTIONS = {
    "selection_rate": (False, True),
    "true_positive_rate": (False, True),
    "false_positive_rate": (False, True),
    "false_negative_rate": (True, False),
    "true_negative_rate": (True, False),
    # predictive values: context (see the module's docstring)
    "positive_predictive_value": None,
    "false_discovery_rate": None,
    "negative_predictive_value": None,
    "false_omission_rate": None,
    "accuracy": (False, False),
    "error_rate": (True, True),
    "balanced_accuracy": (False, False),
    "f1_score": (False, False),
    "base_rate": None,
}


def higher_harms(metric, positive_is_favorable: bool) -> bool | None:
    """Whether a higher value of ``metric`` disadvantages a group; None without direction.

    ``metric`` is a registry entry (:func:`biasaudit._metrics.get_metric`) or its name. A
    metric missing from :data:`DIRECTIONS` falls back on the registry's direction
    (``higher_is_better``, flipped for a favourability-dependent metric when the positive
    decision is unfavourable).

    Examples
    --------
    >>> higher_harms("false_positive_rate", positive_is_favorable=False)
    True
    >>> higher_harms("false_negative_rate", positive_is_favorable=False)
    False
    >>> higher_harms("accuracy", positive_is_favorable=True) is False
    True
    >>> higher_harms("base_rate", positive_is_favorable=True) is None
    True
    >>> higher_harms("negative_predictive_value", positive_is_favorable=False) is None
    True
    """
    name = metric if isinstance(metric, str) else metric.name
    if name in DIRECTIONS:
        entry = DIRECTIONS[name]
        return None if entry is None else entry[0 if positive_is_favorable else 1]
    if isinstance(metric, str):
        from .._metrics import get_metric

        metric = get_metric(metric)
    if metric.kind == "count" or metric.higher_is_better is None:
        return None
    harms = not metric.higher_is_better
    return (not harms) if (metric.favourability_dependent and not positive_is_favorable) else harms


def disadvantaged(metric, positive_is_favorable: bool, difference) -> str | None:
    """Who a gap disadvantages: ``"group"``, ``"reference"`` or None.

    ``difference`` is the group's value minus the reference's. None for a metric without
    direction, a zero difference or an undefined one (NaN or None).

    Examples
    --------
    >>> disadvantaged("selection_rate", positive_is_favorable=False, difference=0.245)
    'group'
    >>> disadvantaged("selection_rate", positive_is_favorable=True, difference=0.245)
    'reference'
    >>> disadvantaged("base_rate", positive_is_favorable=True, difference=0.1) is None
    True
    """
    if difference is None or (isinstance(difference, float) and math.isnan(difference)) or difference == 0:
        return None
    harms = higher_harms(metric, positive_is_favorable)
    if harms is None:
        return None
    return "group" if (difference > 0) == harms else "reference"
