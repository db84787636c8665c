"""Group rates with their intervals, and disparities against the reference with theirs."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import _base

__all__ = ["DisparityDisplay", "GroupRatesDisplay"]


def _floats(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=float).reshape(-1)


class GroupRatesDisplay:
    """Each group's rate of one metric with its confidence interval.

    Build it with :meth:`from_result`; the constructor takes the numbers themselves, so a
    display can also be drawn from figures computed elsewhere. The dashed line is the
    reference group's rate.

    Parameters
    ----------
    groups : sequence of str
        Group labels, drawn top to bottom.
    values : array-like of float
        Each group's rate.
    ci_low, ci_high : array-like of float
        Bounds of each rate's interval (NaN: no interval drawn).
    metric : str
        Name of the metric, for the axis label.
    attribute : str
        Name of the attribute or intersection, for the title.
    reference_value : float or None, default=None
        The reference group's rate, drawn as a dashed line.
    confidence_level : float, default=0.95
        Level of the intervals, for the title.
    marked : sequence of bool or None, default=None
        Groups given special attention (the Declaration's D7 groups in a report), drawn as
        purple diamonds over their points.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    points_ : matplotlib PathCollection
        One point per group at (rate, position).
    intervals_ : matplotlib LineCollection
        One segment per group from ``ci_low`` to ``ci_high``.
    reference_line_ : matplotlib Line2D or None
        The reference's rate.
    marked_ : matplotlib PathCollection or None
        The diamonds of the marked groups.

    Examples
    --------
    >>> import biasaudit as ba
    >>> r = ba.audit(y_true=[1, 0, 1, 0] * 20, y_pred=[1, 1, 0, 0] * 20,
    ...              protected=["a", "a", "b", "b"] * 20, metrics=["selection_rate"])
    >>> display = ba.GroupRatesDisplay.from_result(r, metric="selection_rate")
    >>> display.points_.get_offsets()[:, 0].tolist()
    [1.0, 0.0]
    """

    def __init__(self, *, groups: Sequence[str], values: Any, ci_low: Any, ci_high: Any, metric: str,
                 attribute: str, reference_value: float | None = None, confidence_level: float = 0.95,
                 marked: Sequence[bool] | None = None) -> None:
        self.groups = [str(g) for g in groups]
        self.values, self.ci_low, self.ci_high = _floats(values), _floats(ci_low), _floats(ci_high)
        self.metric, self.attribute = metric, attribute
        self.reference_value = reference_value
        self.confidence_level = confidence_level
        self.marked = np.zeros(len(self.groups), bool) if marked is None else np.asarray(marked, dtype=bool)

    @classmethod
    def from_result(cls, result: Any, *, metric: str = "selection_rate", attribute: str | None = None,
                    ax: Any = None) -> "GroupRatesDisplay":
        """Draw one metric's rates of one attribute of an audit, from ``result.rate_intervals()``.

        Parameters
        ----------
        result : AuditResult
            A decision audit (binary, or the per-class rates of a multiclass audit).
        metric : str, default="selection_rate"
            A proportion metric of the audit.
        attribute : str or None, default=None
            An attribute or intersection (``"sex & race"``) as in ``result.group_metrics``;
            None draws the first.
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        GroupRatesDisplay
            The display, drawn.
        """
        caller = "GroupRatesDisplay.from_result()"
        frame = result.rate_intervals()
        attribute = _base.pick_attribute(caller, frame, attribute)
        frame = frame[frame["attribute"] == attribute]
        metric = _base.pick_metric(caller, frame, metric)
        frame = frame[frame["metric"] == metric]
        d = result.disparities
        refs = d.loc[(d["attribute"] == attribute) & (d["metric"] == metric), "reference_value"].dropna()
        reference = float(refs.iloc[0]) if len(refs) and refs.nunique() == 1 else None
        level = float(frame["confidence_level"].iloc[0]) if len(frame) else 0.95
        display = cls(groups=[_base.label(g) for g in frame["group"]], values=frame["value"],
                      ci_low=frame["ci_low"], ci_high=frame["ci_high"], metric=metric, attribute=attribute,
                      reference_value=reference, confidence_level=level)
        return display.plot(ax=ax)

    def plot(self, ax: Any = None) -> "GroupRatesDisplay":
        """Draw the rates and intervals.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        GroupRatesDisplay
            This display, with ``ax_``, ``figure_`` and the artists set.
        """
        with _base.drawing(self, ax, figsize=(6.4, 0.45 * len(self.groups) + 1.4)) as ax:
            y = np.arange(len(self.groups), dtype=float)
            self.intervals_ = ax.hlines(y, self.ci_low, self.ci_high, color=_base.GREY, lw=1.2)
            self.points_ = ax.scatter(self.values, y, color=_base.BLUE, zorder=3, s=28)
            self.marked_ = (ax.scatter(self.values[self.marked], y[self.marked], color=_base.PURPLE, marker="D",
                                       zorder=4, s=34) if self.marked.any() else None)
            self.reference_line_ = (None if self.reference_value is None else
                                    ax.axvline(self.reference_value, color="black", ls="--", lw=1))
            ax.set_yticks(y, self.groups)
            if self.groups:
                ax.set_ylim(len(self.groups) - 0.5, -0.5)
            ax.set_xlim(0, 1)
            ax.set_xlabel(self.metric.replace("_", " "))
            ax.set_title(f"{self.attribute}: {round(100 * self.confidence_level)}% intervals", fontsize=9)
            ax.grid(axis="x", alpha=0.3)
        return self


class DisparityDisplay:
    """Each group's difference (or ratio) to the reference, with its interval and the tolerance band.

    The shaded band is what the audit treats as negligible: plus or minus ``tolerance`` for
    differences, the four-fifths band (0.8 to 1.25 by default) for ratios. Points are
    vermillion where the audit's verdict is a disparity, blue otherwise.

    Parameters
    ----------
    groups : sequence of str
        Group labels, drawn top to bottom (the reference itself is not drawn).
    values : array-like of float
        Each group's difference or ratio.
    ci_low, ci_high : array-like of float
        Bounds of each interval (NaN: no interval drawn).
    band : tuple of float
        The negligible range drawn as a shaded band.
    metric : str
        Name of the metric, for the axis label.
    attribute : str
        Name of the attribute or intersection, for the title.
    reference : str
        Label of the reference, for the title.
    scale : {"difference", "ratio"}, default="difference"
        What ``values`` are.
    verdicts : sequence of str or None, default=None
        The audit's verdict of each comparison; "disparity" is drawn in vermillion.
    highlight : sequence of bool or None, default=None
        Which points to draw in vermillion, overriding ``verdicts`` (the report marks the
        ratios outside the four-fifths band).

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    points_ : matplotlib PathCollection
        One point per group at (value, position).
    intervals_ : matplotlib LineCollection
        One segment per group from ``ci_low`` to ``ci_high``.
    band_ : matplotlib Polygon or Rectangle
        The tolerance band.

    Examples
    --------
    >>> import biasaudit as ba
    >>> r = ba.audit(y_true=[1, 0, 1, 0] * 20, y_pred=[1, 1, 1, 0] * 20,
    ...              protected=["a", "a", "b", "b"] * 20, metrics=["selection_rate"])
    >>> display = ba.DisparityDisplay.from_result(r, metric="selection_rate")
    >>> display.groups, display.values.tolist()
    (['b'], [-0.5])
    """

    def __init__(self, *, groups: Sequence[str], values: Any, ci_low: Any, ci_high: Any,
                 band: tuple[float, float], metric: str, attribute: str, reference: str,
                 scale: str = "difference", verdicts: Sequence[str] | None = None,
                 highlight: Sequence[bool] | None = None) -> None:
        self.groups = [str(g) for g in groups]
        self.values, self.ci_low, self.ci_high = _floats(values), _floats(ci_low), _floats(ci_high)
        self.band = (float(band[0]), float(band[1]))
        self.metric, self.attribute, self.reference, self.scale = metric, attribute, reference, scale
        self.verdicts = list(verdicts) if verdicts is not None else [""] * len(self.groups)
        self.highlight = ([v == "disparity" for v in self.verdicts] if highlight is None
                          else [bool(h) for h in highlight])

    @classmethod
    def from_result(cls, result: Any, *, metric: str = "selection_rate", attribute: str | None = None,
                    scale: str = "difference", ax: Any = None) -> "DisparityDisplay":
        """Draw one metric's disparities of one attribute, from ``result.disparities``.

        Parameters
        ----------
        result : AuditResult
            An audit.
        metric : str, default="selection_rate"
            A metric of the audit.
        attribute : str or None, default=None
            An attribute or intersection (``"sex & race"``) as in ``result.disparities``;
            None draws the first.
        scale : {"difference", "ratio"}, default="difference"
            Differences with their Newcombe intervals against plus or minus the audit's
            ``tolerance``, or ratios with their intervals against the four-fifths band.
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        DisparityDisplay
            The display, drawn.
        """
        caller = "DisparityDisplay.from_result()"
        if scale not in ("difference", "ratio"):
            raise _base.InvalidParameterError(f"{caller}: `scale` must be 'difference' or 'ratio'; got {scale!r}")
        frame = result.disparities
        attribute = _base.pick_attribute(caller, frame, attribute)
        frame = frame[frame["attribute"] == attribute]
        metric = _base.pick_metric(caller, frame, metric)
        frame = frame[frame["metric"] == metric]
        reference = _base.label(frame["reference"].iloc[0]) if len(frame) else ""
        frame = frame[frame["verdict"] != "reference"]
        params = result.parameters
        if scale == "difference":
            tol = float(params["tolerance"])
            band, cols = (-tol, tol), ("difference", "ci_low", "ci_high")
        else:
            cut = float(params["four_fifths_threshold"])
            band, cols = (cut, 1 / cut), ("ratio", "ratio_ci_low", "ratio_ci_high")
        display = cls(groups=[_base.label(g) for g in frame["group"]], values=frame[cols[0]],
                      ci_low=frame[cols[1]], ci_high=frame[cols[2]], band=band, metric=metric,
                      attribute=attribute, reference=reference, scale=scale, verdicts=list(frame["verdict"]))
        return display.plot(ax=ax)

    def plot(self, ax: Any = None) -> "DisparityDisplay":
        """Draw the band, the intervals and the points.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        DisparityDisplay
            This display, with ``ax_``, ``figure_`` and the artists set.
        """
        with _base.drawing(self, ax, figsize=(6.4, 0.45 * len(self.groups) + 1.4)) as ax:
            y = np.arange(len(self.groups), dtype=float)
            self.band_ = ax.axvspan(*self.band, color=_base.GREEN, alpha=0.15, lw=0)
            ax.axvline(1.0 if self.scale == "ratio" else 0.0, color=_base.GREY, lw=1)
            self.intervals_ = ax.hlines(y, self.ci_low, self.ci_high, color=_base.GREY, lw=1.2)
            colours = [_base.VERMILLION if h else _base.BLUE for h in self.highlight]
            self.points_ = ax.scatter(self.values, y, c=colours, zorder=3, s=28)
            ax.set_yticks(y, self.groups)
            if self.groups:
                ax.set_ylim(len(self.groups) - 0.5, -0.5)
            ax.set_xlabel(f"{self.scale} of {self.metric.replace('_', ' ')} to the reference")
            ax.set_title(f"{self.attribute}: against {self.reference}", fontsize=9)
        return self
