"""The score views of an audit result (docs/scores.md): curves, metrics by threshold, intervals.

A mixin of :class:`~biasaudit.AuditResult`, kept apart so the result's module stays one
concept; each method imports its computation when called.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["ScoreViews"]


class ScoreViews:
    """Views of a score audit (``audit(..., y_score=...)``)."""

    __slots__ = ()

    def roc_curves(self) -> pd.DataFrame:
        """Score audits: each group's ROC curve.

        Returns
        -------
        DataFrame
            ``attribute, group, threshold, fpr, tpr``, one row per group and threshold.

        Examples
        --------
        >>> import biasaudit as ba
        >>> r = ba.audit(y_true=[0, 1, 0, 1, 1, 0, 1, 0], y_score=[0.1, 0.8, 0.4, 0.4, 0.9, 0.2, 0.6, 0.7],
        ...              protected=["a"] * 4 + ["b"] * 4, min_group_size=1)
        >>> r.roc_curves().query("group == 'a'")[["threshold", "fpr", "tpr"]]
           threshold  fpr  tpr
        0        inf  0.0  0.0
        1        0.8  0.0  0.5
        2        0.4  0.5  1.0
        3        0.1  1.0  1.0
        """
        from ._score_audit import roc_curves

        return roc_curves(self)

    def calibration_curves(self) -> pd.DataFrame:
        """Score audits with probabilities: each group's reliability curve over 10 bins of [0, 1].

        Returns
        -------
        DataFrame
            One row per group and bin: mean score and observed rate.
        """
        from ._score_audit import calibration_curves

        return calibration_curves(self)

    def threshold_metrics(self) -> pd.DataFrame:
        """Score audits: the group metrics at every threshold of the audit (``threshold=``).

        Returns
        -------
        DataFrame
            One row per threshold and group.
        """
        from ._score_audit import threshold_metrics

        return threshold_metrics(self)

    def score_intervals(self) -> pd.DataFrame:
        """Score audits: each group's AUC interval (DeLong, logit) and calibration test (Spiegelhalter).

        Returns
        -------
        DataFrame
            One row per group: AUC with its interval and certified bound, O/E with its interval,
            Spiegelhalter's z and p.
        """
        from ._evidence_scores import score_intervals

        return score_intervals(self)
