"""Score audits by group: ROC curves and reliability (calibration) curves."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from . import _base

__all__ = ["GroupCalibrationDisplay", "GroupRocDisplay"]


def _curves(mapping: Mapping[Any, Any]) -> dict[str, np.ndarray]:
    return {str(k): np.asarray(v, dtype=float).reshape(-1) for k, v in mapping.items()}


def _legend(ax: Any, lines: dict[str, Any], texts: list[str], loc: str) -> None:
    # handles and labels passed explicitly: a group called "_x" must not vanish from the legend
    ax.legend(list(lines.values()), texts, fontsize=7, loc=loc)


class GroupRocDisplay:
    """The ROC curve of each group of one attribute, from a score audit.

    Named so as not to be confused with scikit-learn's ``RocCurveDisplay``, which draws one
    curve from an estimator; this one draws every group's curve from the audit's score table.

    Parameters
    ----------
    fpr, tpr : mapping of str to array-like of float
        Each group's false and true positive rates, one point per threshold.
    attribute : str
        Name of the attribute or intersection, for the title.
    roc_auc : mapping of str to float or None, default=None
        Each group's area under the curve, shown in the legend.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    lines_ : dict of str to matplotlib Line2D
        Each group's curve.

    Examples
    --------
    >>> import biasaudit as ba
    >>> r = ba.audit(y_true=[0, 1, 0, 1] * 10, y_score=[0.1, 0.9, 0.6, 0.4] * 10,
    ...              protected=["a", "a", "b", "b"] * 10)
    >>> display = ba.GroupRocDisplay.from_result(r)
    >>> sorted(display.lines_), display.roc_auc["a"]
    (['a', 'b'], 1.0)
    """

    def __init__(self, *, fpr: Mapping[Any, Any], tpr: Mapping[Any, Any], attribute: str,
                 roc_auc: Mapping[Any, float] | None = None) -> None:
        self.fpr, self.tpr = _curves(fpr), _curves(tpr)
        self.attribute = attribute
        self.roc_auc = {str(k): float(v) for k, v in (roc_auc or {}).items()}

    @classmethod
    def from_result(cls, result: Any, *, attribute: str | None = None, ax: Any = None) -> "GroupRocDisplay":
        """Draw each group's ROC curve from ``result.roc_curves()``.

        Parameters
        ----------
        result : AuditResult
            A score audit (``audit(..., y_score=...)``).
        attribute : str or None, default=None
            An attribute or intersection as in ``result.group_metrics``; None draws the first.
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        GroupRocDisplay
            The display, drawn.
        """
        caller = "GroupRocDisplay.from_result()"
        frame = _base.score_view(caller, result, "roc_curves")
        attribute = _base.pick_attribute(caller, frame, attribute)
        frame = frame[frame["attribute"] == attribute]
        gm = result.group_metrics
        aucs = gm[gm["attribute"] == attribute].set_index("group")["roc_auc"]
        groups = list(dict.fromkeys(frame["group"]))
        fpr = {_base.label(g): frame.loc[frame["group"] == g, "fpr"] for g in groups}
        tpr = {_base.label(g): frame.loc[frame["group"] == g, "tpr"] for g in groups}
        auc = {_base.label(g): aucs.loc[g] for g in groups if g in aucs.index}
        return cls(fpr=fpr, tpr=tpr, roc_auc=auc, attribute=attribute).plot(ax=ax)

    def plot(self, ax: Any = None) -> "GroupRocDisplay":
        """Draw the curves and the chance diagonal.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        GroupRocDisplay
            This display, with ``ax_``, ``figure_`` and ``lines_`` set.
        """
        with _base.drawing(self, ax, figsize=(5.0, 4.6)) as ax:
            ax.plot([0, 1], [0, 1], color=_base.GREY, lw=0.8, ls=":")
            self.lines_ = {}
            texts = []
            for i, group in enumerate(self.fpr):
                colour = _base.COLOURS[i % len(_base.COLOURS)]
                (self.lines_[group],) = ax.plot(self.fpr[group], self.tpr[group], color=colour, lw=1.3)
                auc = self.roc_auc.get(group)
                texts.append(group if auc is None or np.isnan(auc) else f"{group} (AUC {auc:.3f})")
            ax.set_xlim(-0.01, 1.01)
            ax.set_ylim(-0.01, 1.01)
            ax.set_xlabel("false positive rate")
            ax.set_ylabel("true positive rate")
            ax.set_title(f"ROC curves by {self.attribute}", fontsize=9)
            if self.lines_:
                _legend(ax, self.lines_, texts, "lower right")
        return self


class GroupCalibrationDisplay:
    """The reliability curve of each group: observed rate against mean score, bin by bin.

    A calibrated score lies on the diagonal; a group's curve above it means the score
    under-states that group's rate, below it over-states it.

    Parameters
    ----------
    mean_score, observed_rate : mapping of str to array-like of float
        Each group's mean score and observed rate in each bin.
    attribute : str
        Name of the attribute or intersection, for the title.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    lines_ : dict of str to matplotlib Line2D
        Each group's curve.

    Examples
    --------
    >>> import biasaudit as ba
    >>> r = ba.audit(y_true=[0, 1, 0, 1] * 10, y_score=[0.15, 0.85, 0.6, 0.4] * 10,
    ...              protected=["a", "a", "b", "b"] * 10)
    >>> display = ba.GroupCalibrationDisplay.from_result(r)
    >>> display.mean_score["a"].tolist(), display.observed_rate["a"].tolist()
    ([0.15, 0.85], [0.0, 1.0])
    """

    def __init__(self, *, mean_score: Mapping[Any, Any], observed_rate: Mapping[Any, Any], attribute: str) -> None:
        self.mean_score, self.observed_rate = _curves(mean_score), _curves(observed_rate)
        self.attribute = attribute

    @classmethod
    def from_result(cls, result: Any, *, attribute: str | None = None, min_bin_size: int = 1,
                    ax: Any = None) -> "GroupCalibrationDisplay":
        """Draw each group's reliability curve from ``result.calibration_curves()``.

        Parameters
        ----------
        result : AuditResult
            A score audit of probabilities (``audit(..., y_score=...)``).
        attribute : str or None, default=None
            An attribute or intersection as in ``result.group_metrics``; None draws the first.
        min_bin_size : int, default=1
            Bins with fewer rows are left out (their observed rate is noise).
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        GroupCalibrationDisplay
            The display, drawn.
        """
        caller = "GroupCalibrationDisplay.from_result()"
        if isinstance(min_bin_size, bool) or not isinstance(min_bin_size, (int, np.integer)) or min_bin_size < 1:
            raise _base.InvalidParameterError(f"{caller}: `min_bin_size` must be an int >= 1; got {min_bin_size!r}")
        frame = _base.score_view(caller, result, "calibration_curves")
        attribute = _base.pick_attribute(caller, frame, attribute)
        frame = frame[(frame["attribute"] == attribute) & (frame["n"] >= min_bin_size)]
        groups = list(dict.fromkeys(frame["group"]))
        mean = {_base.label(g): frame.loc[frame["group"] == g, "mean_score"] for g in groups}
        observed = {_base.label(g): frame.loc[frame["group"] == g, "observed_rate"] for g in groups}
        return cls(mean_score=mean, observed_rate=observed, attribute=attribute).plot(ax=ax)

    def plot(self, ax: Any = None) -> "GroupCalibrationDisplay":
        """Draw the curves and the diagonal of perfect calibration.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        GroupCalibrationDisplay
            This display, with ``ax_``, ``figure_`` and ``lines_`` set.
        """
        with _base.drawing(self, ax, figsize=(5.0, 4.6)) as ax:
            ax.plot([0, 1], [0, 1], color=_base.GREY, lw=0.8, ls=":")
            self.lines_ = {}
            for i, group in enumerate(self.mean_score):
                colour = _base.COLOURS[i % len(_base.COLOURS)]
                (self.lines_[group],) = ax.plot(self.mean_score[group], self.observed_rate[group], marker="o",
                                                ms=3, color=colour, lw=1.2)
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1)
            ax.set_xlabel("mean score in bin")
            ax.set_ylabel("observed rate in bin")
            ax.set_title(f"Reliability by {self.attribute}", fontsize=9)
            if self.lines_:
                _legend(ax, self.lines_, list(self.lines_), "upper left")
        return self
