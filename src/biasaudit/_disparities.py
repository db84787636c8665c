"""Disparities against a reference, max-min summaries, named criteria, four-fifths flags.

Pure functions of per-group metric values (arrays aligned with a grouping's labels);
nothing here touches rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._metrics import Metric, get_metric

__all__: list[str] = []

OVERALL_LABEL = "(overall)"
REFERENCE_RULES = ("largest", "best", "overall")

#: Named fairness criteria: name -> (metrics compared, how they are combined).
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
    """The groups of one attribute or one intersection of attributes, with their counts.

    ``rows_table``, ``table`` and ``table_sq`` have shape (G, 2, 2): row counts, sums of
    weights and sums of squared weights per group and cell.
    """

    name: str
    attributes: tuple
    labels: tuple
    rows_table: np.ndarray
    table: np.ndarray
    table_sq: np.ndarray
    is_missing: np.ndarray
    weighted: bool = False

    @property
    def rows(self) -> np.ndarray:
        """Number of rows per group."""
        return self.rows_table.sum(axis=(1, 2))

    @property
    def weighted_total(self) -> np.ndarray:
        return self.table.sum(axis=(1, 2))


def _direction(metric: Metric, positive_is_favorable: bool) -> bool | None:
    hib = metric.higher_is_better
    if hib is not None and metric.favourability_dependent and not positive_is_favorable:
        return not hib
    return hib


def reference_indices(grouping, values, metrics, rule, positive_is_favorable) -> np.ndarray:
    """Index of the reference group per metric; -1 means the overall population.

    Groups of missing protected values are never picked automatically.
    """
    eligible = ~grouping.is_missing
    if not eligible.any():
        eligible = np.ones_like(eligible)
    total = np.where(eligible, grouping.weighted_total, -np.inf)
    largest = int(np.argmax(total))
    out = np.empty(len(metrics), dtype=np.intp)
    for i, m in enumerate(metrics):
        if rule == "overall":
            out[i] = -1
        elif isinstance(rule, int):
            out[i] = rule
        elif rule == "best":
            direction = _direction(m, positive_is_favorable)
            v = np.where(eligible, values[i], np.nan)
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
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ref_values[:, None] != 0, values / np.where(ref_values == 0, 1.0, ref_values)[:, None], np.nan)
    ratio = np.where(np.isnan(values) | np.isnan(ref_values)[:, None], np.nan, ratio)
    return diff, ratio


def spread(values, eligible):
    """Per metric: index of min and max group, max - min and min / max (NaN-aware)."""
    v = np.where(eligible[None, :], values, np.nan)
    defined = ~np.isnan(v).all(axis=1)
    safe = np.where(defined[:, None], v, 0.0)
    lo_i = np.where(defined, np.nanargmin(np.where(np.isnan(safe), np.inf, safe), axis=1), -1)
    hi_i = np.where(defined, np.nanargmax(np.where(np.isnan(safe), -np.inf, safe), axis=1), -1)
    rows = np.arange(v.shape[0])
    lo = np.where(defined, v[rows, lo_i], np.nan)
    hi = np.where(defined, v[rows, hi_i], np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(hi > 0, lo / np.where(hi > 0, hi, 1.0), np.nan)
    return lo_i, hi_i, lo, hi, hi - lo, ratio


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
        gaps = np.array([diff[index[n]] for n in needed])
        ratios = np.array([ratio[index[n]] for n in needed])
        gap = np.nan if np.isnan(gaps).any() else float(gaps.max())
        rat = np.nan if np.isnan(ratios).any() else float(ratios.min())
        out.append((criterion, ", ".join(needed), gap, rat))
    return out


def favourable_rates(grouping, positive_is_favorable) -> np.ndarray:
    """Rate of the favourable decision per group (the selection rate or its complement)."""
    rate = get_metric("selection_rate").from_counts(grouping.table)
    return rate if positive_is_favorable else 1.0 - rate


def four_fifths(grouping, positive_is_favorable, threshold):
    """Impact ratio of each group's favourable rate to the highest one, and the flag."""
    rate = favourable_rates(grouping, positive_is_favorable)
    eligible = ~grouping.is_missing & ~np.isnan(rate)
    if not eligible.any():
        nan = np.full(rate.shape, np.nan)
        return rate, -1, nan, np.zeros(rate.shape, dtype=bool)
    best = int(np.argmax(np.where(eligible, rate, -np.inf)))
    top = rate[best]
    with np.errstate(divide="ignore", invalid="ignore"):
        impact = np.where(top > 0, rate / (top if top > 0 else 1.0), np.nan)
    flagged = ~np.isnan(impact) & (impact < threshold)
    return rate, best, impact, flagged
