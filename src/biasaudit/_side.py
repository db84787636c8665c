"""Side comparisons: an intersectional group against the groups one attribute away from it.

African-American & Female compared with Caucasian & Male differs from its reference in race
*and* sex, so its gap mixes two contrasts. Its side comparisons are the group against each
group that differs from it in one attribute only, taking the reference's level there:
Caucasian & Female (race alone) and African-American & Male (sex alone). They say which
attribute a gap follows.

The intervals are the audit's own for a comparison of two groups (Newcombe for proportions,
and the registered evidence function of the metric's estimator otherwise, handed the two
groups alone), but the comparisons are outside the audit's multiple-testing family and
carry no verdict. A group whose reference differs from it in one attribute has none: its
comparison with the reference is already the comparison within the other attributes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._compare import Grouping
from ._evidence import comparison_evidence, effective
from ._metrics import get_metric
from ._stats import difference_interval

__all__ = ["COLUMNS", "neighbours", "pair_intervals", "side_comparisons_frame"]

COLUMNS = ("attribute", "group", "reference", "metric", "differs_in", "comparison_group", "value",
           "comparison_value", "difference", "ci_low", "ci_high")


def neighbours(index: dict, label: tuple, reference: tuple) -> list[tuple[int, tuple, int]]:
    """``(component, comparison label, its position)`` of each side comparison of ``label``.

    ``index`` maps the grouping's labels (tuples) to their positions. One entry per component
    in which ``label`` differs from ``reference`` whose comparison group has rows; none
    unless they differ in at least two components.
    """
    differing = [k for k, (a, b) in enumerate(zip(label, reference)) if a != b]
    if len(differing) < 2:
        return []
    out = []
    for k in differing:
        other = tuple(reference[k] if i == k else v for i, v in enumerate(label))
        if other in index:
            out.append((k, other, index[other]))
    return out


def pair_intervals(grouping, metric, own, other, totals, options) -> tuple[np.ndarray, np.ndarray]:
    """The interval of ``metric``'s difference, group ``own[p]`` minus group ``other[p]``, per pair p.

    Proportions are computed for all pairs at once, as their evidence function computes
    them, without the exact tests it also runs; other estimators get their evidence function
    with the two groups of each pair alone (a comparison reads only its two groups' sums).
    """
    own, other = np.asarray(own, dtype=np.intp), np.asarray(other, dtype=np.intp)
    if metric.estimator == "proportion":
        x, n = effective(metric, grouping.table, grouping.table_sq, grouping.family)
        ci = difference_interval(x[own], n[own], x[other], n[other], confidence_level=options.confidence_level)
        return np.asarray(ci.low, dtype=np.float64), np.asarray(ci.high, dtype=np.float64)
    low, high = np.full(own.size, np.nan), np.full(own.size, np.nan)
    for p, (i, j) in enumerate(zip(own, other)):
        pair = [int(i), int(j)]
        two = Grouping(attributes=grouping.attributes, labels=(grouping.labels[i], grouping.labels[j]),
                       is_missing=grouping.is_missing[pair], family=grouping.family,
                       sums={k: np.asarray(v)[pair] for k, v in grouping.sums.items()},
                       assessable=grouping.assessable[pair])
        ev = comparison_evidence(two, [metric], np.ones(1, dtype=np.intp), totals, options)
        low[p], high[p] = ev.ci_low[0, 0], ev.ci_high[0, 0]
    return low, high


def side_comparisons_frame(result) -> pd.DataFrame:
    """Every side comparison of every intersectional group, as :meth:`AuditResult.side_comparisons` returns them."""
    rows: list[tuple] = []
    if result.control is not None:  # the audit's comparisons are stratified; these would not be
        return pd.DataFrame(rows, columns=list(COLUMNS))
    totals = {name: result.counts.total(name) for name in result.counts.sums}
    for g in result.groupings:
        if not g.is_intersection:
            continue
        index = {tuple(lab): i for i, lab in enumerate(g.labels)}
        for row, name in enumerate(result.metrics):
            metric = get_metric(name)
            r = int(g.reference_index[row])
            if metric.kind == "count" or r < 0:
                continue
            reference = tuple(g.labels[r])
            pairs = [(i, k, j) for i, lab in enumerate(g.labels) for k, _, j in neighbours(index, tuple(lab), reference)]
            if not pairs:
                continue
            own = np.array([i for i, _, _ in pairs], dtype=np.intp)
            other = np.array([j for _, _, j in pairs], dtype=np.intp)
            low, high = pair_intervals(g, metric, own, other, totals, result.options)
            values = g.values[row]
            for p, (i, k, j) in enumerate(pairs):
                value, versus = float(values[i]), float(values[j])
                rows.append((g.name, g.labels[i], g.labels[r], name, g.attributes[k], g.labels[j], value, versus,
                             value - versus, _finite(low[p]), _finite(high[p])))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _finite(x) -> float:
    x = float(x)
    return x if math.isfinite(x) else math.nan
