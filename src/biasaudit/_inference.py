"""Statistical evidence for an audit: intervals, tests, power and verdicts per comparison.

Everything here is a function of a grouping's count tables (weighted, and squared weights
for effective sample sizes), so it can be recomputed from a result's counts at another
confidence level without the data. Only binomial proportions (see
``Metric.is_proportion``) get analytic intervals and tests; other metrics get bootstrap
intervals when replicates are asked for.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ._disparities import CRITERIA
from ._stats import (
    adjust_pvalues,
    difference_interval,
    effective_counts,
    equivalence_test,
    independence_test,
    minimum_detectable_difference,
    proportion_interval,
    ratio_interval,
    two_proportion_power,
    two_proportion_test,
    verdicts,
)
from ._stats import cmh_test
from ._stats._bootstrap import bootstrap_interval
from .exceptions import UndefinedMetricWarning

__all__: list[str] = []

TESTS = ("auto", "score", "fisher")
CORRECTIONS = ("holm", "fdr_bh", "bonferroni")
INTERVALS = ("wilson", "clopper-pearson", "jeffreys")
OMNIBUS = ("auto", "chi2", "g", "monte-carlo")
BOOTSTRAP_METHODS = ("percentile", "bca")
MIN_POWER = 0.8


@dataclass(frozen=True)
class StatOptions:
    """The statistical options of an audit, as recorded in its parameters."""

    confidence_level: float = 0.95
    interval_method: str = "wilson"
    test: str = "auto"
    correction: str = "holm"
    alternative: str = "two-sided"
    tolerance: float = 0.05
    omnibus_test: str = "auto"
    n_resamples: int = 0
    bootstrap_method: str = "percentile"

    @property
    def alpha(self) -> float:
        return 1.0 - self.confidence_level


def effective(metric, table, table_sq):
    """Effective successes and trials of a proportion metric over the leading axes."""
    num, den = metric.numerator_denominator(table)
    den_sq = metric.numerator_denominator(table_sq)[1]
    return effective_counts(num, den, den_sq)


def rate_intervals(grouping, metrics, options: StatOptions):
    """Per metric and group: (low, high, n_effective), NaN for non-proportions."""
    shape = (len(metrics), len(grouping.labels))
    low, high, n_eff = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    for i, m in enumerate(metrics):
        if m.is_proportion:
            x, n = effective(m, grouping.table, grouping.table_sq)
            ci = proportion_interval(x, n, confidence_level=options.confidence_level,
                                     method=options.interval_method)
            low[i], high[i], n_eff[i] = ci.low, ci.high, n
    return low, high, n_eff


@dataclass(frozen=True, eq=False)
class Evidence:
    """Statistical columns of one grouping's disparities, arrays of shape (M, G)."""

    ci_low: np.ndarray
    ci_high: np.ndarray
    ratio_ci_low: np.ndarray
    ratio_ci_high: np.ndarray
    statistic: np.ndarray
    pvalue: np.ndarray
    test: np.ndarray
    power: np.ndarray
    min_detectable_difference: np.ndarray
    equivalence_pvalue: np.ndarray


def comparison_evidence(grouping, metrics, reference_index, total, total_sq, options) -> Evidence:
    """Group-versus-reference evidence for every proportion metric of one grouping.

    All proportion metrics are stacked on one axis, so each statistic is computed by one
    vectorised call. With the ``"overall"`` reference a group is part of the population
    it is compared with, so its samples are not independent; the intervals and tests then
    compare the group with the rest of the population.
    """
    shape = (len(metrics), len(grouping.labels))
    cols = {name: np.full(shape, np.nan) for name in Evidence.__dataclass_fields__ if name != "test"}
    cols["test"] = np.full(shape, None, dtype=object)
    rows = [i for i, m in enumerate(metrics) if m.is_proportion]
    if not rows:
        return Evidence(**cols)
    x1, n1 = (np.stack(a) for a in zip(*(effective(metrics[i], grouping.table, grouping.table_sq) for i in rows)))
    refs = reference_index[rows]
    rest = [effective(metrics[i], total[None] - grouping.table, total_sq[None] - grouping.table_sq) for i in rows]
    x2 = np.stack([r_x if r < 0 else np.full_like(x, x[r]) for (r_x, _), r, x in zip(rest, refs, x1)])
    n2 = np.stack([r_n if r < 0 else np.full_like(n, n[r]) for (_, r_n), r, n in zip(rest, refs, n1)])
    level, alt = options.confidence_level, options.alternative
    diff = difference_interval(x1, n1, x2, n2, confidence_level=level)
    ratio = ratio_interval(x1, n1, x2, n2, confidence_level=level)
    test = two_proportion_test(x1, n1, x2, n2, alternative=alt, method=options.test)
    with np.errstate(invalid="ignore", divide="ignore"):
        p_ref = np.where(n2 > 0, x2 / np.where(n2 > 0, n2, 1.0), np.nan)
    up = two_proportion_power(np.clip(p_ref + options.tolerance, 0, 1), p_ref, n1, n2,
                              alpha=options.alpha, alternative=alt)
    down = two_proportion_power(np.clip(p_ref - options.tolerance, 0, 1), p_ref, n1, n2,
                                alpha=options.alpha, alternative=alt)
    suffix = np.where(refs < 0, " vs rest", "")[:, None]
    methods = np.asarray(test.method, dtype=object)
    cols["ci_low"][rows], cols["ci_high"][rows] = diff.low, diff.high
    cols["ratio_ci_low"][rows], cols["ratio_ci_high"][rows] = ratio.low, ratio.high
    cols["statistic"][rows], cols["pvalue"][rows] = test.statistic, test.pvalue
    cols["test"][rows] = np.where(methods == None, None, methods + suffix)  # noqa: E711
    cols["power"][rows] = np.fmin(up, down)
    cols["min_detectable_difference"][rows] = minimum_detectable_difference(
        p_ref, n1, n2, alpha=options.alpha, power=MIN_POWER, alternative=alt)
    cols["equivalence_pvalue"][rows] = equivalence_test(x1, n1, x2, n2, margin=options.tolerance).pvalue
    for i in rows:  # a group is not compared with itself
        r = reference_index[i]
        if r >= 0:
            for key in cols:
                cols[key][i, r] = None if key == "test" else np.nan
    return Evidence(**cols)


def tested(metric) -> bool:
    """Whether group comparisons of a metric are tested: proportions about the decisions.

    The base rate describes the outcomes in the data, not the decisions, so it is
    reported for context and not tested.
    """
    return metric.is_proportion and metric.higher_is_better is not None


def adjust_family(metrics, evidence_list, options):
    """Adjusted p-values over the whole audit's family of group-versus-reference tests.

    The family is every tested metric, group and grouping of the audit, with each
    complementary pair (TPR and FNR, ...) counted once: the two are the same test. A
    complement gets the adjusted p-value of the metric it complements.
    """
    names = [m.name for m in metrics]
    primary = [i for i, m in enumerate(metrics) if tested(m) and m.complement_of not in names]
    flat = np.concatenate([e.pvalue[primary].ravel() for e in evidence_list]) if primary else np.array([])
    adjusted = adjust_pvalues(flat, method=options.correction) if flat.size else flat
    out, start = [], 0
    for e in evidence_list:
        block = np.full(e.pvalue.shape, np.nan)
        size = len(primary) * e.pvalue.shape[1]
        block[primary] = adjusted[start:start + size].reshape(len(primary), -1)
        start += size
        for i, m in enumerate(metrics):
            if tested(m) and m.complement_of in names:
                block[i] = block[names.index(m.complement_of)]
        out.append(block)
    return out, int(np.count_nonzero(~np.isnan(flat)))


def verdict_arrays(metrics, values, comparison, evidence, adjusted, options):
    """Verdict codes and reasons, shape (M, G); the reference row is ``"reference"``."""
    codes, reasons = verdicts(
        values, np.broadcast_to(comparison.reference_value[:, None], values.shape),
        comparison.difference, evidence.ci_low, evidence.ci_high, comparison.ratio, adjusted,
        evidence.power, evidence.equivalence_pvalue, alpha=options.alpha, tolerance=options.tolerance,
        min_power=MIN_POWER,
    )
    codes, reasons = np.array(codes, dtype=object), np.array(reasons, dtype=object)
    for i, m in enumerate(metrics):
        ref = comparison.reference_index[i]
        if not m.is_proportion:
            codes[i] = "not_tested"
            reasons[i] = (f"Not tested: {m.label.lower()} is not a proportion, so it has no exact test; "
                          f"ask for bootstrap replicates (n_resamples) for an interval.")
        elif not tested(m):
            codes[i] = "not_tested"
            reasons[i] = (f"Not tested: the {m.label.lower()} describes the outcomes in the data, not the "
                          f"decisions; it is reported for context.")
        if ref >= 0:
            codes[i, ref] = "reference"
            reasons[i, ref] = "The reference group of this comparison."
    return codes, reasons


def independence_rows(grouping, metrics, options, rng):
    """Omnibus test per proportion metric: are rates equal across all groups of the grouping?"""
    rows = []
    eligible = ~grouping.is_missing
    for m in metrics:
        if not m.is_proportion or eligible.sum() < 2:
            continue
        x, n = effective(m, grouping.table[eligible], grouping.table_sq[eligible])
        table = np.stack([n - x, x], axis=1)
        method = options.omnibus_test
        if method == "auto":
            kept = table[table.sum(axis=1) > 0]
            expected = np.outer(kept.sum(axis=1), kept.sum(axis=0)) / max(kept.sum(), 1)
            method = "monte-carlo" if (expected < 5).any() else "chi2"
        if (table.sum(axis=1) > 0).sum() < 2 or (table.sum(axis=0) == 0).any():
            rows.append((grouping.name, m.name, method, np.nan, np.nan, np.nan))
            continue
        res = independence_test(table, method=method, n_resamples=9999, rng=rng)
        rows.append((grouping.name, m.name, res.method, res.statistic, res.dof, res.pvalue))
    return rows


def bootstrap_evidence(grouping, metrics, reference_index, options, rng):
    """Bootstrap intervals of every difference, every max-min spread and every criterion.

    The reference group is held fixed at the one chosen on the data (no re-selection in
    the replicates). Returns (diff_low, diff_high) of shape (M, G), (spread_low,
    spread_high) of shape (M,), and {criterion: (low, high)}.
    """
    m_count, g_count = len(metrics), len(grouping.labels)
    eligible = ~grouping.is_missing
    names = [m.name for m in metrics]
    crit = {c: [names.index(n) for n in need] for c, need in CRITERIA.items() if all(n in names for n in need)}

    def statistic(table):
        vals = np.stack([m.from_counts(table) for m in metrics], axis=-2)  # (..., M, G)
        total = table.sum(axis=-3)
        overall = np.stack([m.from_counts(total) for m in metrics], axis=-1)  # (..., M)
        refs = np.where(reference_index < 0, overall, vals[..., np.arange(m_count), np.maximum(reference_index, 0)])
        diffs = vals - refs[..., None]
        ev = np.where(eligible, vals, np.nan)
        with np.errstate(invalid="ignore"):
            spreads = np.nanmax(ev, axis=-1) - np.nanmin(ev, axis=-1)
        crits = [np.max(spreads[..., idx], axis=-1) for idx in crit.values()]
        parts = [diffs.reshape(*diffs.shape[:-2], -1), spreads] + [c[..., None] for c in crits]
        return np.concatenate(parts, axis=-1)

    weighted = grouping.table if grouping.weighted else None
    with warnings.catch_warnings():
        # Undefined replicates are counted per statistic; the audit warns once about them.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        res = bootstrap_interval(statistic, grouping.rows_table, weighted=weighted, n_resamples=options.n_resamples,
                                 confidence_level=options.confidence_level, method=options.bootstrap_method,
                                 stratified=True, rng=rng)
    k = m_count * g_count
    diff = (res.low[:k].reshape(m_count, g_count), res.high[:k].reshape(m_count, g_count))
    spread = (res.low[k:k + m_count], res.high[k:k + m_count])
    crits = {c: (res.low[k + m_count + j], res.high[k + m_count + j]) for j, c in enumerate(crit)}
    return diff, spread, crits, res.n_undefined


def stratified_rows(counts, attribute, control, reference_index, labels, metrics, options):
    """Cochran-Mantel-Haenszel test of each group against the reference within strata.

    ``counts.marginal([attribute, control])`` gives one 2x2 table per group and stratum;
    each group is compared with the reference group (or, for the ``"overall"``
    reference, with the rest of the population) stratum by stratum.
    """
    joint = counts.marginal([attribute, control])
    table, table_sq = joint.weighted, joint.weighted_sq  # (G_all, K, 2, 2)
    positions = [list(joint.levels[0]).index(lab) for lab in labels]
    rows = []
    for i, m in enumerate(metrics):
        if not m.is_proportion:
            continue
        x, n = effective(m, table, table_sq)  # (G_all, K)
        r = reference_index[i]
        for j, label in enumerate(labels):
            if j == r:
                continue
            g = positions[j]
            if r < 0:
                xr, nr = x.sum(axis=0) - x[g], n.sum(axis=0) - n[g]
            else:
                xr, nr = x[positions[r]], n[positions[r]]
            strata = np.stack([np.stack([n[g] - x[g], x[g]], -1), np.stack([nr - xr, xr], -1)], axis=-2)
            res = cmh_test(strata)
            low, high = res.confidence_interval(options.confidence_level)
            rows.append((attribute, label, "(overall)" if r < 0 else labels[r], m.name, control,
                         res.n_strata, res.statistic, res.pvalue, res.odds_ratio, low, high))
    return rows
