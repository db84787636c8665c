"""Evidence of score audits, from the score table: DeLong for AUC, Spiegelhalter for calibration.

**AUC.** A positive in bin ``b`` has placement value ``V10_b = (N_<b + N_b / 2) / N`` (the
share of negatives it outranks, ties half) and a negative ``V01_b = (P_>b + P_b / 2) / P``;
the AUC is the weighted mean of either. DeLong, DeLong and Clarke-Pearson (1988) estimate
its variance as ``S10 / m + S01 / n`` from the sample variances of the placement values.
On the table this is a sum over bins; with weights the sums use the squared weights
(the linearisation of the weighted AUC) and Kish's effective sizes for the ``m / (m - 1)``
correction, which gives DeLong's estimator exactly without weights. Intervals for a
group's AUC are computed on the logit scale and transformed back, so they stay in (0, 1);
an AUC gap is tested by the unpaired DeLong z-test (independent groups), against the rest
of the population when the reference is ``"overall"``.

**Calibration.** Observed over expected ``O / E`` with ``O = sum w y`` and ``E = sum w s``
gets a log-scale interval from the robust variance ``sum w^2 (y - s)^2`` of ``O - E``. Each
group's calibration is tested by Spiegelhalter's (1986) z:
``Z = sum w (y - s)(1 - 2s) / sqrt(sum w^2 (1 - 2s)^2 s (1 - s))``, which is N(0, 1) when the
scores are the true probabilities. It is chosen over Hosmer-Lemeshow because it needs no
grouping of the scores (its value does not depend on a choice of bins) and it is a sum
over rows, so it is exact from the table's sums in exact mode.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit, ndtr, ndtri

from ._evidence import register_evidence
from ._metrics._score import exclusive_cumsum, roc_auc
from ._stats import adjust_pvalues
from ._tables._score import auc_error_bound, is_probability
from ._tables._score import require_scores as _require_scores

__all__ = ["delong", "spiegelhalter"]

MIN_POWER = 0.8


def _ratio(num, den):
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def delong(sums) -> tuple[np.ndarray, np.ndarray]:
    """AUC and its DeLong variance from a table's sums, shapes (...) for cells (..., 2, B).

    Examples
    --------
    >>> import numpy as np
    >>> w = np.array([[2.0, 1.0, 0.0], [0.0, 1.0, 2.0]])
    >>> auc, var = delong({"weight": w, "weight_sq": w})
    >>> float(auc), round(float(var), 6)
    (0.9444444444444444, 0.006173)
    """
    w = np.asarray(sums["weight"], dtype=np.float64)
    wsq = np.asarray(sums["weight_sq"], dtype=np.float64)
    neg, pos = w[..., 0, :], w[..., 1, :]
    neg_sq, pos_sq = wsq[..., 0, :], wsq[..., 1, :]
    n_tot, p_tot = neg.sum(axis=-1), pos.sum(axis=-1)
    auc = roc_auc(sums)
    v10 = _ratio(exclusive_cumsum(neg) + 0.5 * neg, n_tot[..., None])
    v01 = _ratio(exclusive_cumsum(pos[..., ::-1])[..., ::-1] + 0.5 * pos, p_tot[..., None])
    dev10 = (pos_sq * np.nan_to_num(v10 - auc[..., None]) ** 2).sum(axis=-1)
    dev01 = (neg_sq * np.nan_to_num(v01 - auc[..., None]) ** 2).sum(axis=-1)
    m_eff = _ratio(p_tot ** 2, pos_sq.sum(axis=-1))
    n_eff = _ratio(n_tot ** 2, neg_sq.sum(axis=-1))
    var = (_ratio(dev10, p_tot ** 2) * _ratio(m_eff, m_eff - 1.0)
           + _ratio(dev01, n_tot ** 2) * _ratio(n_eff, n_eff - 1.0))
    return auc, np.where(np.isnan(auc), np.nan, var)


def _cell_mean(sums):
    w = np.asarray(sums["weight"], dtype=np.float64)
    return np.divide(sums["w_score"], w, out=np.zeros(w.shape), where=w > 0)


def spiegelhalter(sums) -> tuple[np.ndarray, np.ndarray]:
    """Spiegelhalter's z and its two-sided p-value per group, cells (..., 2, B).

    The numerator is exact from the sums; the variance uses each cell's mean score,
    exact in exact mode (one score per cell).
    """
    w = np.asarray(sums["weight"], dtype=np.float64)
    s, q = np.asarray(sums["w_score"]), np.asarray(sums["w_score_sq"])
    num = (w[..., 1, :] - 3.0 * s[..., 1, :] + 2.0 * q[..., 1, :]).sum(axis=-1) \
        + (-s[..., 0, :] + 2.0 * q[..., 0, :]).sum(axis=(-1))
    m = _cell_mean(sums)
    var = (np.asarray(sums["weight_sq"]) * (1.0 - 2.0 * m) ** 2 * m * (1.0 - m)).sum(axis=(-2, -1))
    z = _ratio(num, np.sqrt(var))
    return z, 2.0 * ndtr(-np.abs(z))


def calibration_ratio_interval(sums, level):
    """O / E with its log-scale interval from the robust variance of O - E."""
    w = np.asarray(sums["weight"], dtype=np.float64)
    m = _cell_mean(sums)
    y = np.array([0.0, 1.0])[:, None]
    robust = (np.asarray(sums["weight_sq"]) * (y - m) ** 2).sum(axis=(-2, -1))
    obs = w[..., 1, :].sum(axis=-1)
    exp = np.asarray(sums["w_score"]).sum(axis=(-2, -1))
    ratio = _ratio(obs, exp)
    se_log = _ratio(np.sqrt(robust), obs)
    z = ndtri(0.5 + level / 2)
    with np.errstate(invalid="ignore", over="ignore"):
        return ratio, ratio * np.exp(-z * se_log), ratio * np.exp(z * se_log), se_log


def _pvalue(z, alternative):
    if alternative == "less":
        return ndtr(z)
    if alternative == "greater":
        return ndtr(-z)
    return 2.0 * ndtr(-np.abs(z))


def _against(grouping, totals, reference_index, stat):
    """(group statistic, comparison statistic) per metric row, the rest of the population for -1."""
    own = stat(grouping.sums)
    rest = stat({k: totals[k][None] - v for k, v in grouping.sums.items()})
    out = []
    for r in reference_index:
        out.append(tuple(x if r < 0 else np.full_like(o, o[r]) for x, o in zip(rest, own)))
    return own, out


@register_evidence("auc")
def auc_evidence(grouping, metrics, reference_index, totals, options) -> dict:
    """Unpaired DeLong comparisons of each group's AUC with its reference's."""
    (a1, v1), others = _against(grouping, totals, reference_index, delong)
    a2 = np.stack([o[0] for o in others])
    v2 = np.stack([o[1] for o in others])
    a1, v1 = np.broadcast_to(a1, a2.shape), np.broadcast_to(v1, a2.shape)
    level, alpha, tol = options.confidence_level, options.alpha, options.tolerance
    se = np.sqrt(v1 + v2)
    diff = a1 - a2
    crit = ndtri(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(se > 0, diff / se, np.nan)
        se_log = np.sqrt(v1 / a1 ** 2 + v2 / a2 ** 2)
        log_ratio = np.log(a1 / a2)
    one_sided = options.alternative != "two-sided"
    z_alpha = ndtri(1 - alpha) if one_sided else ndtri(1 - alpha / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        up = ndtr(tol / se - z_alpha) + (0 if one_sided else ndtr(-tol / se - z_alpha))
        down = ndtr(tol / se - z_alpha) + (0 if one_sided else ndtr(-tol / se - z_alpha))
        equivalence = np.fmax(ndtr((diff - tol) / se), 1 - ndtr((diff + tol) / se))
    suffix = np.where(np.asarray(reference_index) < 0, " vs rest", "").astype(object)[:, None]
    defined = se > 0
    return {
        "ci_low": np.where(defined, diff - crit * se, np.nan), "ci_high": np.where(defined, diff + crit * se, np.nan),
        "ratio_ci_low": np.exp(log_ratio - crit * se_log), "ratio_ci_high": np.exp(log_ratio + crit * se_log),
        "statistic": z, "pvalue": _pvalue(z, options.alternative),
        "test": np.full(diff.shape, "DeLong z (unpaired)", dtype=object) + suffix,
        "power": np.where(defined, np.fmin(up, down), np.nan),
        "min_detectable_difference": np.where(defined, (z_alpha + ndtri(MIN_POWER)) * se, np.nan),
        "equivalence_pvalue": np.where(defined, equivalence, np.nan),
    }


@register_evidence("calibration")
def calibration_evidence(grouping, metrics, reference_index, totals, options) -> dict:
    """Wald comparisons of each group's observed/expected ratio with its reference's, on the log scale."""
    level = options.confidence_level

    def stat(sums):
        r, _, _, se_log = calibration_ratio_interval(sums, level)
        return r, se_log

    (r1, s1), others = _against(grouping, totals, reference_index, stat)
    r2 = np.stack([o[0] for o in others])
    s2 = np.stack([o[1] for o in others])
    r1, s1 = np.broadcast_to(r1, r2.shape), np.broadcast_to(s1, r2.shape)
    crit = ndtri(0.5 + level / 2)
    se = np.sqrt(s1 ** 2 + s2 ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_ratio = np.log(r1 / r2)
        z = np.where(se > 0, log_ratio / se, np.nan)
        # The difference r1 - r2 by the delta method: Var(r) = r^2 Var(log r).
        se_diff = np.sqrt((r1 * s1) ** 2 + (r2 * s2) ** 2)
    suffix = np.where(np.asarray(reference_index) < 0, " vs rest", "").astype(object)[:, None]
    return {
        "ci_low": r1 - r2 - crit * se_diff, "ci_high": r1 - r2 + crit * se_diff,
        "ratio_ci_low": np.exp(log_ratio - crit * se), "ratio_ci_high": np.exp(log_ratio + crit * se),
        "statistic": z, "pvalue": _pvalue(z, options.alternative),
        "test": np.full(z.shape, "Wald z on log O/E", dtype=object) + suffix,
    }


def score_intervals(result) -> pd.DataFrame:
    """Per group: AUC with its DeLong logit interval and certified bound; O/E with Spiegelhalter's test."""
    _require_scores(result, "score_intervals")
    level = result.options.confidence_level
    crit = ndtri(0.5 + level / 2)
    binned = result.counts.mode == "binned"
    calibrated = is_probability(result.counts)
    frames = []
    for g in result.groupings:
        labels = pd.Series(list(g.labels), dtype=object)
        auc, var = delong(g.sums)
        with np.errstate(invalid="ignore", divide="ignore"):
            se_logit = np.sqrt(var) / (auc * (1 - auc))
            inside = (auc > 0) & (auc < 1)
            low = np.where(inside, expit(logit(np.clip(auc, 1e-300, 1 - 1e-16)) - crit * se_logit), np.nan)
            high = np.where(inside, expit(logit(np.clip(auc, 1e-300, 1 - 1e-16)) + crit * se_logit), np.nan)
        bound = auc_error_bound(g.sums["weight"]) if binned else np.where(np.isnan(auc), np.nan, 0.0)
        frames.append(pd.DataFrame({
            "attribute": g.name, "group": labels, "metric": "roc_auc", "value": auc, "ci_low": low, "ci_high": high,
            "se": np.sqrt(var), "method": "DeLong, logit", "auc_error_bound": bound, "test": None,
            "statistic": np.nan, "pvalue": np.nan}))
        if calibrated:
            ratio, c_low, c_high, se_log = calibration_ratio_interval(g.sums, level)
            z, p = spiegelhalter(g.sums)
            frames.append(pd.DataFrame({
                "attribute": g.name, "group": labels, "metric": "calibration_ratio", "value": ratio,
                "ci_low": c_low, "ci_high": c_high, "se": ratio * se_log, "method": "log, robust variance",
                "auc_error_bound": np.nan, "test": "Spiegelhalter z", "statistic": z, "pvalue": p}))
    frame = pd.concat(frames, ignore_index=True)
    tested = frame["pvalue"].notna().to_numpy()
    adjusted = np.full(len(frame), np.nan)
    if tested.any():
        adjusted[tested] = adjust_pvalues(frame["pvalue"].to_numpy()[tested], method=result.options.correction)
    frame["pvalue_adjusted"] = adjusted
    frame["confidence_level"] = level
    return frame
