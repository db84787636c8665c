"""Evidence of means compared between groups: Welch intervals and tests from per-group moments.

For a ``"mean"`` metric (the mean of a per-row quantity q: the outcome, the prediction,
the signed or absolute error) a group's sums ``W = sum w``, ``W2 = sum w^2``,
``S1 = sum w q`` and ``S2 = sum w q^2`` give

- the mean ``m = S1 / W``;
- Kish's effective size ``n_eff = W^2 / W2`` (the number of rows without weights);
- the variance of q, ``s^2 = (S2 / W - m^2) * n_eff / (n_eff - 1)``, and the squared
  standard error ``s^2 / n_eff``.

Without weights these are the sample mean, variance and standard error, so the test is
exactly Welch's unequal-variance t test (``scipy.stats.ttest_ind(equal_var=False)``),
with Welch-Satterthwaite degrees of freedom. With weights the effective sizes stand for
the numbers of rows: the usual design-effect approximation for a weighted mean.

Amounts have units, so the practical tolerance is relative: power, the equivalence test
and the verdict use a margin of ``tolerance`` times the root mean square of the outcome
(over the grouping's rows; of the predictions without outcomes), the same unit for every
mean of the audit. With
the ``"overall"`` reference a group is compared with the rest of the population.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri, stdtr, stdtrit

from ._evidence import MIN_POWER, RELATIVE_TOLERANCE, register_evidence

__all__ = ["mean_summary", "welch"]


def mean_summary(w, w2, s1, s2):
    """(mean, squared standard error, effective size) from a group's sums; NaN where undefined."""
    w, w2, s1, s2 = (np.asarray(a, dtype=np.float64) for a in (w, w2, s1, s2))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(w > 0, s1 / np.where(w > 0, w, 1.0), np.nan)
        n_eff = np.where(w2 > 0, w * w / np.where(w2 > 0, w2, 1.0), 0.0)
        var = np.maximum(np.where(w > 0, s2 / np.where(w > 0, w, 1.0), np.nan) - mean * mean, 0.0)
        se2 = np.where(n_eff > 1, var / np.where(n_eff > 1, n_eff - 1.0, 1.0), np.nan)
    return mean, se2, n_eff


def welch(m1, se1, n1, m2, se2, n2, *, confidence_level=0.95, alternative="two-sided"):
    """Difference m1 - m2: (low, high, t, df, pvalue) of Welch's test; NaN where undefined."""
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(se1 + se2)
        df = (se1 + se2) ** 2 / (se1 ** 2 / (n1 - 1.0) + se2 ** 2 / (n2 - 1.0))
        df = np.where(np.isfinite(df), df, np.nan)
        diff = m1 - m2
        t = np.where(se > 0, diff / np.where(se > 0, se, 1.0), np.nan)
        q = stdtrit(df, 0.5 + confidence_level / 2)
        if alternative == "two-sided":
            p = 2 * stdtr(df, -np.abs(t))
        elif alternative == "less":
            p = stdtr(df, t)
        else:
            p = stdtr(df, -t)
    return diff - q * se, diff + q * se, t, df, np.minimum(p, 1.0)


def outcome_scale(grouping) -> float:
    """The unit of a regression audit's tolerance: the root mean square of the outcome.

    Without outcomes, that of the predictions.
    """
    w = float(np.sum(grouping.sums["weight"]))
    squares = grouping.sums["y_true_sq"] if "y_true_sq" in grouping.sums else grouping.sums["y_pred_sq"]
    rms = np.sqrt(float(np.sum(squares)) / w) if w > 0 else 0.0
    return rms if rms > 0 else 1.0


RELATIVE_TOLERANCE["mean"] = ("In units of the root mean square outcome (differences as shares of it): ",
                              outcome_scale)


@register_evidence("mean")
def mean_evidence(grouping, metrics, reference_index, totals, options) -> dict:
    """Welch intervals and tests of each group's mean against its reference (or the rest)."""
    cols: dict[str, list] = {k: [] for k in ("ci_low", "ci_high", "ratio_ci_low", "ratio_ci_high", "statistic", "pvalue", "test",
                            "power", "min_detectable_difference", "equivalence_pvalue")}
    level, alpha = options.confidence_level, options.alpha
    for m, r in zip(metrics, reference_index):
        w, w2, s1, s2 = m.mean_sums(grouping.sums)
        m1, v1, n1 = mean_summary(w, w2, s1, s2)
        if r < 0:
            tw, tw2, ts1, ts2 = m.mean_sums({k: np.asarray(v)[None] for k, v in totals.items()})
            m2, v2, n2 = mean_summary(tw - w, tw2 - w2, ts1 - s1, ts2 - s2)
        else:
            m2, v2, n2 = (np.full_like(a, a[r]) for a in (m1, v1, n1))
        low, high, t, df, p = welch(m1, v1, n1, m2, v2, n2, confidence_level=level, alternative=options.alternative)
        se = np.sqrt(v1 + v2)
        z = ndtri(1 - alpha / 2) if options.alternative == "two-sided" else ndtri(1 - alpha)
        margin = options.tolerance * outcome_scale(grouping)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            power = ndtr(margin / se - z)
            if options.alternative == "two-sided":
                power = power + ndtr(-margin / se - z)
            eq = np.fmax(stdtr(df, -(m1 - m2 + margin) / se), stdtr(df, (m1 - m2 - margin) / se))
            # ratio of two positive means: delta method on the log scale
            positive = (m1 > 0) & (m2 > 0) & (not m.signed)
            log_se = np.sqrt(v1 / m1 ** 2 + v2 / m2 ** 2)
            q = stdtrit(df, 0.5 + level / 2)
            ratio = np.where(positive, m1 / np.where(positive, m2, 1.0), np.nan)
            # a huge log standard error (a mean near 0) overflows to an infinite bound, as it should
            cols["ratio_ci_low"].append(np.where(positive, ratio * np.exp(-q * log_se), np.nan))
            cols["ratio_ci_high"].append(np.where(positive, ratio * np.exp(q * log_se), np.nan))
        cols["ci_low"].append(low)
        cols["ci_high"].append(high)
        cols["statistic"].append(t)
        cols["pvalue"].append(p)
        cols["test"].append(np.full(len(m1), "welch" + (" vs rest" if r < 0 else ""), dtype=object))
        cols["power"].append(np.where(np.isnan(se), np.nan, power))
        cols["min_detectable_difference"].append((z + ndtri(MIN_POWER)) * se)
        cols["equivalence_pvalue"].append(eq)
    return {k: np.stack(v) for k, v in cols.items()}
