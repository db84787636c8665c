"""Groupings and their comparisons: references, differences, ratios, spreads, criteria, four-fifths.

Pure functions of per-group metric values and sizes (arrays aligned with a grouping's
groups); nothing here touches rows. A group is *assessable* when it is not a
missing-value group and has at least ``min_group_size`` rows: only assessable groups are
chosen as references, drive max-min summaries and criteria, or set and receive the
four-fifths flag. Smaller groups are still reported, with their evidence.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

import numpy as np

from ._metrics import get_metric

__all__: list[str] = []

OVERALL_LABEL = "(overall)"

#: Named fairness criteria: name -> the metrics compared (a criterion over two metrics
#: takes the larger of the two gaps, so opposite gaps never cancel).
CRITERIA = {
    "demographic_parity": ("selection_rate",),
    "equal_opportunity": ("true_positive_rate",),
    "equalized_odds": ("true_positive_rate", "false_positive_rate"),
    "predictive_parity": ("positive_predictive_value",),
    "error_rate_balance": ("false_positive_rate", "false_negative_rate"),
    "accuracy_equality": ("accuracy",),
}


@dataclass(frozen=True, eq=False)
class Grouping:
    """The groups of one attribute or one intersection, with their per-cell sums.

    Attributes
    ----------
    attributes : tuple of str
        The attributes crossed: one for an attribute, several for an intersection. This
        tuple identifies the grouping; :attr:`name` is for display only.
    labels : tuple
        Group labels (tuples for an intersection), non-empty groups only.
    is_missing : ndarray of bool
        Whether each group has a missing protected value.
    sums : mapping of str to ndarray
        Per-group cell sums, each of shape (G, *cells): ``rows``, ``weight``, ``weight_sq``.
    family : str
        The family of the cells.
    assessable : ndarray of bool
        Not a missing-value group, and at least ``min_group_size`` rows.
    """

    attributes: tuple
    labels: tuple
    is_missing: np.ndarray
    sums: Mapping
    family: str
    assessable: np.ndarray

    @property
    def name(self) -> str:
        """Display name: the attribute, or the attributes joined by " & "."""
        return " & ".join(self.attributes)

    @property
    def is_intersection(self) -> bool:
        """True when the grouping crosses two or more attributes."""
        return len(self.attributes) > 1

    @property
    def rows(self) -> np.ndarray:
        """Number of rows per group."""
        return self.sums["rows"].reshape(len(self.labels), -1).sum(axis=1)

    @property
    def weighted_total(self) -> np.ndarray:
        """Sum of weights per group."""
        return self.sums["weight"].reshape(len(self.labels), -1).sum(axis=1)

    @property
    def table(self) -> np.ndarray:
        """Weighted cells per group, shape (G, *cells)."""
        return self.sums["weight"]

    @property
    def table_sq(self) -> np.ndarray:
        """Squared-weight cells per group, shape (G, *cells)."""
        return self.sums["weight_sq"]

    @property
    def rows_table(self) -> np.ndarray:
        """Row-count cells per group, shape (G, *cells)."""
        return self.sums["rows"]


def make_grouping(table, attributes: tuple, min_group_size: int) -> tuple[Grouping, int]:
    """The grouping of ``attributes`` from a table (its groups with rows), and its count of empty combinations."""
    labels, missing, sums = table.group_sums(attributes, nonempty=True)
    rows = sums["rows"].reshape(len(labels), -1).sum(axis=1)
    n_empty = math.prod(len(table.levels[table.attributes.index(a)]) for a in attributes) - len(labels)
    grouping = Grouping(
        attributes=tuple(attributes),
        labels=tuple(labels),
        is_missing=missing,
        sums=MappingProxyType(dict(sums)),
        family=table.family,
        assessable=~missing & (rows >= min_group_size),
    )
    return grouping, n_empty


def reference_indices(grouping: Grouping, values, metrics, rule, positive_is_favorable,
                      within: np.ndarray | None = None) -> np.ndarray:
    """Index of the reference group per metric; -1 means the overall population.

    ``rule`` is "largest", "best", "overall" or a group index. ``within`` restricts the
    automatic choice to some groups (those of an intersection that carry an explicit
    reference of its attributes). Only assessable groups are chosen automatically; when
    there are none, non-missing groups, then any group.
    """
    pool = grouping.assessable.copy()
    if within is not None:
        pool &= within
        if not pool.any():
            pool = within & ~grouping.is_missing
    if not pool.any():
        pool = ~grouping.is_missing if (~grouping.is_missing).any() else np.ones_like(pool)
    largest = int(np.argmax(np.where(pool, grouping.weighted_total, -np.inf)))
    out = np.empty(len(metrics), dtype=np.intp)
    for i, m in enumerate(metrics):
        if isinstance(rule, (int, np.integer)):
            out[i] = rule
        elif rule == "overall":
            out[i] = -1
        elif rule == "best":
            direction = m.direction(positive_is_favorable)
            v = np.where(pool, values[i], np.nan)
            if direction is None or np.isnan(v).all():
                out[i] = largest
            else:
                out[i] = int(np.nanargmax(v) if direction else np.nanargmin(v))
        else:
            out[i] = largest
    return out


def compare(values, ref_values):
    """Difference and ratio of each group's value to its reference; NaN where undefined."""
    diff = values - ref_values[:, None]
    ratio = np.full(values.shape, np.nan)
    np.divide(values, ref_values[:, None], out=ratio, where=(ref_values[:, None] != 0) & ~np.isnan(values))
    return diff, ratio


def spread(values, eligible):
    """Per metric: index of min and max group, min, max, max - min and min / max (NaN-aware)."""
    v = np.where(eligible[None, :], values, np.nan)
    defined = ~np.isnan(v).all(axis=1)
    lo_i = np.where(defined, np.argmin(np.where(np.isnan(v), np.inf, v), axis=1), -1)
    hi_i = np.where(defined, np.argmax(np.where(np.isnan(v), -np.inf, v), axis=1), -1)
    rows = np.arange(v.shape[0])
    lo = np.where(defined, v[rows, np.maximum(lo_i, 0)], np.nan)
    hi = np.where(defined, v[rows, np.maximum(hi_i, 0)], np.nan)
    ratio = np.full(lo.shape, np.nan)
    np.divide(lo, hi, out=ratio, where=hi > 0)
    return lo_i, hi_i, lo, hi, hi - lo, ratio


def nan_spread(values):
    """max - min over the last axis, skipping NaN (all NaN gives NaN).

    fmax/fmin skip NaN like nanmax/nanmin without their copies and warnings; for the few
    groups of an attribute a chain of elementwise fmax is far faster than a reduction,
    whose inner loop would run once per output element (the bootstrap calls this on every
    batch of replicates).
    """
    values = np.asarray(values, dtype=np.float64)
    if values.shape[-1] == 0:
        return np.full(values.shape[:-1], np.nan)
    if values.shape[-1] > 16:
        return np.fmax.reduce(values, axis=-1) - np.fmin.reduce(values, axis=-1)
    columns = [values[..., j] for j in range(values.shape[-1])]
    return functools.reduce(np.fmax, columns) - functools.reduce(np.fmin, columns)


def criterion_gap(gaps):
    """A criterion's gap from its metrics' gaps (last axis): the largest, NaN if any is NaN.

    Taking the larger absolute gap (never a signed average) means opposite gaps of a
    two-metric criterion such as equalized odds never cancel.
    """
    return np.max(gaps, axis=-1)  # np.max propagates NaN


def criteria_rows(metric_names, diff, ratio):
    """Named criteria from the max-min summaries of their metrics.

    A criterion over two metrics (equalized odds, error-rate balance) takes the larger of
    the two absolute gaps and the smaller of the two ratios, so opposite gaps never cancel.
    """
    index = {name: i for i, name in enumerate(metric_names)}
    out = []
    for criterion, needed in CRITERIA.items():
        if not all(n in index for n in needed):
            continue
        gap = float(criterion_gap(np.array([diff[index[n]] for n in needed])))
        rat = float(np.min(np.array([ratio[index[n]] for n in needed])))  # NaN if any is NaN
        out.append((criterion, ", ".join(needed), gap, rat))
    return out


#: The rate of the positive decision per family, when it is not the selection rate (None: no
#: decision is favourable by itself, as with several classes).
POSITIVE_RATE = {"regression": "scoring_rate", "multiclass": None, "multiclass_decisions": None}


def favourable_rates(grouping: Grouping, positive_is_favorable: bool) -> np.ndarray:
    """Rate of the favourable decision per group (the selection rate or its complement)."""
    name = POSITIVE_RATE.get(grouping.family, "selection_rate")
    if name is None:
        return np.full(len(grouping.labels), np.nan)
    rate = get_metric(name).evaluate(grouping.sums, family=grouping.family)
    return rate if positive_is_favorable else 1.0 - rate


def four_fifths(grouping: Grouping, positive_is_favorable: bool, threshold: float):
    """Impact ratio of each group's favourable rate to the highest assessable one, and the flag.

    Only assessable groups set the highest rate and are flagged; the others get their
    impact ratio for information.
    """
    rate = favourable_rates(grouping, positive_is_favorable)
    eligible = grouping.assessable & ~np.isnan(rate)
    if not eligible.any():
        nan = np.full(rate.shape, np.nan)
        return rate, -1, nan, np.zeros(rate.shape, dtype=bool)
    best = int(np.argmax(np.where(eligible, rate, -np.inf)))
    top = rate[best]
    impact = np.full(rate.shape, np.nan)
    if top > 0:
        impact = rate / top
    flagged = eligible & ~np.isnan(impact) & (impact < threshold)
    return rate, best, impact, flagged

