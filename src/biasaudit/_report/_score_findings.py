"""Findings of a score audit: AUC gaps and miscalibration, saying who is harmed.

A lower AUC is worse for the group: its positives and negatives are less well told apart
(a member with the outcome outranks one without it in a smaller share of pairs). The
report's findings (:mod:`._task_findings`) also test calibration in the large; these
terminal findings use Spiegelhalter's test alone. Over-estimated risk (observed
below expected, O/E < 1) harms a group when a high score leads to the unfavourable decision
(flagged as high risk) and favours it when a high score is favourable; under-estimated risk
the other way round.
"""

from __future__ import annotations

import numpy as np

__all__ = ["score_findings"]


def score_findings(result) -> list[dict]:
    """One finding per significant AUC gap (adjusted over the audit's family) and miscalibrated group."""
    alpha = result.options.alpha
    favourable = result.options.positive_is_favorable
    out = []
    d = result.disparities
    gaps = d[(d["metric"] == "roc_auc") & (d["pvalue_adjusted"] < alpha)]
    for _, row in gaps.iterrows():
        lower = row["difference"] < 0
        out.append({
            "type": "auc_gap", "attribute": row["attribute"], "group": row["group"],
            "reference": row["reference"], "value": row["value"], "reference_value": row["reference_value"],
            "difference": row["difference"], "pvalue_adjusted": row["pvalue_adjusted"],
            "harmed": row["group"] if lower else row["reference"],
            "text": (f"The score ranks {row['attribute']} = {row['group']} {'less' if lower else 'more'} accurately "
                     f"than {row['reference']} (AUC {row['value']:.3f} against {row['reference_value']:.3f}; "
                     f"adjusted p = {row['pvalue_adjusted']:.2g}): "
                     f"{'this group' if lower else 'the reference group'} is harmed: a member with the outcome "
                     f"outranks one without it in a smaller share of pairs."),
        })
    iv = result.score_intervals()
    calib = iv[(iv["metric"] == "calibration_ratio") & (iv["pvalue_adjusted"] < alpha)]
    for _, row in calib.iterrows():
        over = row["value"] < 1  # fewer observed than expected: risk over-estimated
        harmed = over != favourable  # over-estimation harms when a high score is unfavourable
        direction = "over-estimates" if over else "under-estimates"
        effect = "harmed" if harmed else "favoured"
        decision = "favourable" if favourable else "unfavourable"
        out.append({
            "type": "miscalibration", "attribute": row["attribute"], "group": row["group"],
            "value": row["value"], "ci_low": row["ci_low"], "ci_high": row["ci_high"],
            "statistic": row["statistic"], "pvalue_adjusted": row["pvalue_adjusted"],
            "harmed": row["group"] if harmed else None,
            "text": (f"The score {direction} the outcome rate of {row['attribute']} = {row['group']} "
                     f"(observed / expected {row['value']:.2f}, {100 * result.options.confidence_level:g}% CI "
                     f"{row['ci_low']:.2f} to {row['ci_high']:.2f}; Spiegelhalter z = {row['statistic']:.2f}, "
                     f"adjusted p = {row['pvalue_adjusted']:.2g}). A high score is the {decision} decision, so "
                     f"this group is {effect} by the miscalibration."),
        })
    return [f for f in out if not (isinstance(f["value"], float) and np.isnan(f["value"]))]
