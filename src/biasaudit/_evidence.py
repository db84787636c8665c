"""Statistical evidence of an audit: intervals, tests, power and verdicts per comparison.

Everything here is a function of a grouping's count tables (weighted, and squared weights
for effective sample sizes), so it can be recomputed from a result's counts at another
confidence level without the data. Only binomial proportions (see
``Metric.is_proportion``) get analytic intervals and tests; other metrics get bootstrap
intervals when replicates are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

# the bootstrap has its own module; its names stay importable from here
from ._evidence_bootstrap import BootstrapEvidence, bootstrap_evidence  # noqa: F401
from ._stats import (
    adjust_pvalues,
    cmh_test,
    difference_interval,
    effective_counts,
    equivalence_test,
    independence_test,
    minimum_detectable_difference,
    proportion_interval,
    ratio_interval,
    testable,
    tolerance_power,
    two_proportion_test,
    verdicts,
)

__all__: list[str] = []

MIN_POWER = 0.8
# Second Monte Carlo stage of the omnibus test, for tables more extreme than the first
# 9,999 draws can resolve (p-value floor 1e-5 instead of 1e-4).
MAX_OMNIBUS_RESAMPLES = 99_999
#: Monte Carlo work of one omnibus test, in (tables drawn x groups): each drawn table costs one
#: hypergeometric draw per group, so a grouping of 11,000 tiny groups (an intersection of eight
#: attributes of Adult) took 76 s with 9,999 + 99,999 tables; its draws now stop at this.
OMNIBUS_DRAW_BUDGET = 30_000_000
#: The fewest tables drawn, whatever the number of groups (a p-value floor of 1 / 1,000).
MIN_OMNIBUS_RESAMPLES = 999


def effective(metric, table, table_sq, family):
    """Effective successes and trials of a proportion metric over the leading axes."""
    num, den = metric.numerator_denominator(table, family=family)
    den_sq = metric.numerator_denominator(table_sq, family=family)[1]
    return effective_counts(num, den, den_sq)


def rate_intervals(grouping, metrics, confidence_level, method):
    """Per metric and group: (low, high, n_effective), NaN for non-proportions."""
    shape = (len(metrics), len(grouping.labels))
    low, high, n_eff = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    for i, m in enumerate(metrics):
        if m.is_proportion:
            x, n = effective(m, grouping.table, grouping.table_sq, grouping.family)
            ci = proportion_interval(x, n, confidence_level=confidence_level, method=method)
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
    #: The smallest p-value the test could give at these sizes, whatever the data (NaN:
    #: not known, as for continuous statistics); read by the family's Tarone screen.
    pvalue_floor: np.ndarray


#: Evidence of group-versus-reference comparisons, per estimator kind: a function
#: ``(grouping, metrics, reference_index, totals, options) -> {column: (M', G) array}`` for the
#: metrics of that kind (``totals`` maps each sum of the table to its total over all groups).
#: A family whose metrics have their own statistics (AUC, means) registers a function here.
EVIDENCE: dict = {}
#: Estimator kinds whose values have units: ``kind -> (note, unit(grouping))``; their verdicts
#: read differences in that unit (so ``tolerance`` is a share of it) and their reasons start
#: with the note.
RELATIVE_TOLERANCE: dict = {}


def register_evidence(estimator: str):
    """Register the evidence function of an estimator kind (a decorator)."""
    def decorate(func):
        EVIDENCE[estimator] = func
        return func
    return decorate


def comparison_evidence(grouping, metrics, reference_index, totals, options) -> Evidence:
    """Group-versus-reference evidence for every metric of one grouping that has a test.

    The metrics of each estimator kind are stacked on one axis and handed to that kind's
    evidence function, so each statistic is computed by one vectorised call. A group is
    never compared with itself: the reference's own cells are left empty.
    """
    shape = (len(metrics), len(grouping.labels))
    cols = {name: np.full(shape, np.nan) for name in Evidence.__dataclass_fields__ if name != "test"}
    cols["test"] = np.full(shape, None, dtype=object)
    for kind, evidence in EVIDENCE.items():
        rows = [i for i, m in enumerate(metrics) if m.estimator == kind]
        if rows:
            part = evidence(grouping, [metrics[i] for i in rows], reference_index[rows], totals, options)
            for key, values in part.items():
                cols[key][rows] = values
    for i, r in enumerate(reference_index):
        if r >= 0:
            for key in cols:
                cols[key][i, r] = None if key == "test" else np.nan
    return Evidence(**cols)


@register_evidence("proportion")
def proportion_evidence(grouping, metrics, reference_index, totals, options) -> dict:
    """Intervals, tests, power and equivalence of binomial proportions.

    With the ``"overall"`` reference a group is part of the population it is compared
    with, so its samples are not independent; the intervals and tests then compare the
    group with the rest of the population.
    """
    total, total_sq = totals["weight"], totals["weight_sq"]
    x1, n1 = (np.stack(a) for a in zip(*(effective(m, grouping.table, grouping.table_sq, grouping.family)
                                          for m in metrics)))
    refs = reference_index
    rest = [effective(m, total[None] - grouping.table, total_sq[None] - grouping.table_sq, grouping.family)
            for m in metrics]
    x2 = np.stack([r_x if r < 0 else np.full_like(x, x[r]) for (r_x, _), r, x in zip(rest, refs, x1)])
    n2 = np.stack([r_n if r < 0 else np.full_like(n, n[r]) for (_, r_n), r, n in zip(rest, refs, n1)])
    level, alt = options.confidence_level, options.alternative
    diff = difference_interval(x1, n1, x2, n2, confidence_level=level)
    ratio = ratio_interval(x1, n1, x2, n2, confidence_level=level, method=options.ratio_method)
    shape = x1.shape
    out: dict[str, Any] = {"ci_low": diff.low, "ci_high": diff.high, "ratio_ci_low": ratio.low, "ratio_ci_high": ratio.high,
           "statistic": np.full(shape, np.nan), "pvalue": np.full(shape, np.nan),
           "test": np.full(shape, None, dtype=object), "power": np.full(shape, np.nan),
           "min_detectable_difference": np.full(shape, np.nan), "equivalence_pvalue": np.full(shape, np.nan),
           "pvalue_floor": np.full(shape, np.nan)}
    # Tests, power and equivalence only for tested metrics (not the base rate, which
    # describes the data): an untested row carries no test columns.
    sub = [k for k, m in enumerate(metrics) if tested(m)]
    if sub:
        tx1, tn1, tx2, tn2 = x1[sub], n1[sub], x2[sub], n2[sub]
        test = two_proportion_test(tx1, tn1, tx2, tn2, alternative=alt, method=options.test)
        with np.errstate(invalid="ignore", divide="ignore"):
            p_ref = np.where(tn2 > 0, tx2 / np.where(tn2 > 0, tn2, 1.0), np.nan)
        suffix = np.where(refs[sub] < 0, " vs rest", "").astype(object)[:, None]
        out["statistic"][sub], out["pvalue"][sub] = test.statistic, test.pvalue
        out["test"][sub] = np.asarray(test.method, dtype=object) + suffix
        # power against a gap of `tolerance` in the direction(s) the test looks
        out["power"][sub] = tolerance_power(p_ref, tn1, tn2, tolerance=options.tolerance, alpha=options.alpha,
                                            alternative=alt)
        out["min_detectable_difference"][sub] = minimum_detectable_difference(
            p_ref, tn1, tn2, alpha=options.alpha, power=MIN_POWER, alternative=alt)
        out["equivalence_pvalue"][sub] = equivalence_test(tx1, tn1, tx2, tn2, margin=options.tolerance).pvalue
        out["pvalue_floor"][sub] = pvalue_floor(tn1, tn2, options.test)
    return out


def pvalue_floor(n1: np.ndarray, n2: np.ndarray, method: str = "auto") -> np.ndarray:
    """A lower bound of the p-values a two-proportion test can give at sizes ``n1`` and ``n2``.

    Score test: the pooled z is at most ``sqrt(n1 + n2)`` in size (its square is ``N``
    times the squared phi coefficient), so p is at least the normal tail there. Fisher's
    test: p is at least the probability of the table observed, which given the margins is
    ``C(s, x) C(N - s, n1 - x) / C(N, n1) >= 1 / C(N, n1)`` (on the rounded counts it uses).
    ``"auto"`` uses Fisher whenever an expected count is below 5, so always when the
    smaller group has fewer than 10 people; otherwise it may use either, and the smaller
    bound holds. Any alternative; NaN where a size is 0 (no test).
    """
    n1, n2 = np.asarray(n1, float), np.asarray(n2, float)
    r1, r2 = np.rint(n1), np.rint(n2)
    with np.errstate(invalid="ignore"):
        score = special.ndtr(-np.sqrt(n1 + n2))
        fisher = np.exp(special.gammaln(r1 + 1) + special.gammaln(r2 + 1) - special.gammaln(r1 + r2 + 1))
    if method == "score":
        floor = score
    elif method == "fisher":
        floor = np.where((r1 > 0) & (r2 > 0), fisher, np.nan)
    else:
        floor = np.where(np.minimum(n1, n2) < 10, fisher, np.minimum(score, fisher))
    return np.where((n1 > 0) & (n2 > 0), floor, np.nan)


def has_test(metric) -> bool:
    """Whether comparisons of a metric have analytic evidence (its estimator registered one)."""
    return metric.estimator in EVIDENCE


def tested(metric) -> bool:
    """Whether group comparisons of a metric enter the family of tests: those about the decisions.

    The base rate describes the outcomes in the data, not the decisions, so it is
    reported for context and not tested.
    """
    return has_test(metric) and metric.higher_is_better is not None


def adjust_family(metrics, evidence_list, options):
    """Adjusted p-values over the whole audit's family of group-versus-reference tests.

    The family is every tested metric, group and grouping of the audit, with each
    complementary pair (TPR and FNR, ...) counted once: the two are the same test. A
    complement gets the adjusted p-value of the metric it complements. Returns the
    adjusted arrays, the family's size and how many of its tests could reach significance
    (the others, groups too small for any outcome to be significant, are adjusted to 1).
    """
    names = [m.name for m in metrics]
    primary = [i for i, m in enumerate(metrics) if tested(m) and m.complement_of not in names]
    flat = np.concatenate([e.pvalue[primary].ravel() for e in evidence_list]) if primary else np.array([])
    floors = np.concatenate([e.pvalue_floor[primary].ravel() for e in evidence_list]) if primary else flat
    # Tests no outcome could make significant are left out of the count (Tarone 1990) and
    # adjusted to 1: they are never rejected, so the error rate stays controlled.
    kept = testable(np.where(np.isnan(flat), 1.0, floors), alpha=options.alpha) & ~np.isnan(flat)
    adjusted = np.where(np.isnan(flat), np.nan, 1.0)
    if kept.any():
        adjusted[kept] = adjust_pvalues(flat[kept], method=options.correction)
    out, start = [], 0
    for e in evidence_list:
        block = np.full(e.pvalue.shape, np.nan)
        size = len(primary) * e.pvalue.shape[1]
        block[primary] = adjusted[start:start + size].reshape(len(primary), e.pvalue.shape[1])
        start += size
        for i, m in enumerate(metrics):
            if tested(m) and m.complement_of in names:
                block[i] = block[names.index(m.complement_of)]
        out.append(block)
    return out, int(np.count_nonzero(~np.isnan(flat))), int(kept.sum())


_CORRECTION_NAMES = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"}


def family_text(size: int, testable: int, options) -> str:
    """The family of :func:`adjust_family` in words: which tests, how adjusted, how many counted."""
    text = (f"{size} tests: every group against its reference, for every proportion metric about the "
            f"decisions, in every attribute and intersection of this audit (complementary metrics such as "
            f"TPR and FNR counted once); adjusted by {_CORRECTION_NAMES[options.correction]}")
    if testable < size:
        text += (f" over the {testable} that could reach significance at alpha = {options.alpha:g}; "
                 f"{size - testable} compare groups too small for any outcome to be significant at that "
                 f"level and are adjusted to 1 (Tarone's screen)")
    return text + "."


def verdict_arrays(metrics, values, comparison, evidence, adjusted, options):
    """Verdict codes and reasons, shape (M, G); the reference row is ``"reference"``."""
    # Means of amounts have units: their verdicts read the tolerance in the unit of the
    # audit (RELATIVE_TOLERANCE), and their size is that difference alone. A ratio of two
    # means is no measure of size there: a signed bias of -0.11 against +0.05 hours has a
    # "ratio" of -2.2, and 0.02 against 0.05 one of 0.4, both negligible gaps.
    relative = np.array([m.estimator in RELATIVE_TOLERANCE for m in metrics], dtype=bool)
    scale = np.array([RELATIVE_TOLERANCE[m.estimator][1](comparison) if m.estimator in RELATIVE_TOLERANCE else 1.0
                      for m in metrics])[:, None]
    ratio = np.where(relative[:, None], np.nan, comparison.ratio)
    codes, reasons = verdicts(
        values / scale, np.broadcast_to(comparison.reference_value[:, None] / scale, values.shape),
        comparison.difference / scale, evidence.ci_low / scale, evidence.ci_high / scale, ratio,
        adjusted, evidence.power, evidence.equivalence_pvalue, alpha=options.alpha, tolerance=options.tolerance,
        min_power=MIN_POWER,
    )
    codes, reasons = np.array(codes, dtype=object), np.array(reasons, dtype=object)
    _one_verdict_per_pair(metrics, codes, reasons)
    _too_small_is_inconclusive(codes, reasons, np.asarray(comparison.rows), options.min_group_size)
    for i, m in enumerate(metrics):
        if m.estimator in RELATIVE_TOLERANCE:
            reasons[i] = [RELATIVE_TOLERANCE[m.estimator][0] + r for r in reasons[i]]
    for i, m in enumerate(metrics):
        ref = comparison.reference_index[i]
        if not has_test(m):
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


def _too_small_is_inconclusive(codes, reasons, rows, min_group_size) -> None:
    """A large but non-significant gap of a group below ``min_group_size`` rows is inconclusive.

    One person's rate is 0 or 1, so such a group's gap is nearly always "large"; calling it a
    possible disparity would point at noise. A significant gap stays a disparity.
    """
    where = np.nonzero((codes == "possible_disparity") & (rows < min_group_size)[None, :])
    if not len(where[0]):
        return
    prefix = "Possible disparity: "
    old = reasons[where]
    sizes = np.asarray(rows, dtype=np.int64)[where[1]]
    # Thousands of tiny groups repeat a few sentences (the verdicts word each distinct one once,
    # so equal reasons are one object): word each (size, reason) pair once.
    same = np.unique(np.fromiter(map(id, old), dtype=np.int64, count=len(old)), return_inverse=True)[1]
    first, back = np.unique(same.reshape(-1) * (int(sizes.max()) + 1) + sizes, return_index=True,
                            return_inverse=True)[1:]
    worded = [f"Inconclusive: the group has {sizes[k]} {'row' if sizes[k] == 1 else 'rows'}, fewer than "
              f"min_group_size = {min_group_size}, too few to assess; "
              + (str(old[k])[len(prefix):] if str(old[k]).startswith(prefix) else str(old[k])) for k in first]
    reasons[where] = np.array(worded, dtype=object)[back.reshape(-1)]
    codes[where] = "inconclusive"


_STRENGTH = {"disparity": 3, "possible_disparity": 2, "inconclusive": 1, "parity": 0}


def _one_verdict_per_pair(metrics, codes, reasons) -> None:
    """A rate and its complement (TPR and FNR, ...) are one comparison, so one verdict.

    They share the test, the interval of the gap and the power; only the ratio band can
    tell them apart (0.10 against 0.135 is outside 0.8-1.25 while 0.90 against 0.865 is
    not). The pair takes the stronger verdict, and the other member's reason says whose.
    """
    names = [m.name for m in metrics]
    strength = np.select([codes == code for code in _STRENGTH], list(_STRENGTH.values()), -1)
    for i, m in enumerate(metrics):
        if m.complement_of not in names:
            continue
        j = names.index(m.complement_of)
        ranked = (strength[i] >= 0) & (strength[j] >= 0)  # reference and not-assessable rows keep theirs
        for weak, strong in ((i, j), (j, i)):
            take = ranked & (strength[strong] > strength[weak])
            if take.any():
                codes[weak, take] = codes[strong, take]
                prefix = f"As for the {metrics[strong].label.lower()}, its complement: "
                reasons[weak, take] = np.char.add(prefix, reasons[strong, take].astype(str)).astype(object)


def independence_rows(grouping, metrics, options, rng):
    """Omnibus test per proportion metric: are rates equal across all groups of the grouping?

    A complementary metric (FDR of PPV, ...) has the column-swapped table of the metric it
    complements, so the same test: it gets that metric's row, not a second Monte Carlo draw.
    """
    rows, done = [], {}
    eligible = ~grouping.is_missing
    names = [m.name for m in metrics]
    for m in metrics:
        if not m.is_proportion or eligible.sum() < 2:
            continue
        key = m.complement_of if m.complement_of in names else m.name
        if key in done:
            rows.append((grouping.name, m.name, *done[key]))
            continue
        x, n = effective(m, grouping.table[eligible], grouping.table_sq[eligible], grouping.family)
        table = np.stack([n - x, x], axis=1)
        sizes = np.rint(n)
        # one hypergeometric draw per group of two or more, one for all single people together
        first, most = omnibus_draws(int((sizes > 1).sum()) + int((sizes == 1).sum() >= 2))
        res = independence_test(table, method=options.omnibus_test, n_resamples=first, max_resamples=most, rng=rng)
        done[key] = (res.method, res.statistic, res.dof, res.pvalue, res.pvalue_asymptotic)
        rows.append((grouping.name, m.name, *done[key]))
    return rows


def omnibus_draws(n_groups: int) -> tuple[int, int]:
    """Tables drawn by an omnibus Monte Carlo test of ``n_groups`` groups: (first stage, at most).

    Groups of one person count as one group together (they are drawn as one colour).

    9,999 then up to 99,999 while the work stays within :data:`OMNIBUS_DRAW_BUDGET`; fewer for
    thousands of groups (never below 999), whose p-value floor rises accordingly. Any number of
    draws gives a valid p-value, (k + 1) / (B + 1).

    Examples
    --------
    >>> omnibus_draws(5), omnibus_draws(1500), omnibus_draws(11302)
    ((9999, 99999), (9999, 20000), (2654, 2654))
    """
    fits = OMNIBUS_DRAW_BUDGET // max(n_groups, 1)
    first = min(9999, max(MIN_OMNIBUS_RESAMPLES, fits))
    return first, min(MAX_OMNIBUS_RESAMPLES, max(first, fits))


def stratified_rows(counts, attribute, control, reference_index, labels, metrics, options):
    """Cochran-Mantel-Haenszel test of each group against the reference within strata.

    ``counts.marginal([attribute, control])`` gives one 2x2 table per group and stratum;
    each group is compared with the reference group (or, for the ``"overall"``
    reference, with the rest of the population) stratum by stratum.
    """
    joint = counts.marginal([attribute, control])
    table, table_sq = joint.weight, joint.weight_sq  # (G_all, K, *cells)
    positions = [list(joint.levels[0]).index(lab) for lab in labels]
    rows = []
    for i, m in enumerate(metrics):
        if not m.is_proportion:
            continue
        x, n = effective(m, table, table_sq, joint.family)  # (G_all, K)
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
