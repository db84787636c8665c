"""An intersection of two attributes as a grid, coloured by the gap to the reference."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import _base

__all__ = ["IntersectionHeatmapDisplay"]


class IntersectionHeatmapDisplay:
    """One metric over the intersection of two attributes, coloured by its difference to the reference.

    The colour scale diverges from zero (the reference cell's value) and is symmetric around
    it, so a gap of +5 and one of -5 points are equally strong colours of opposite hues. Each
    cell is annotated with its value; cells without a value (empty groups, undefined metrics,
    figures withheld) are hatched.

    Parameters
    ----------
    rows, cols : sequence of str
        Labels of the first and second attribute's groups.
    values : array-like of float, shape (len(rows), len(cols))
        The metric in each cell.
    differences : array-like of float, shape (len(rows), len(cols))
        Each cell's value minus the reference cell's (0 for the reference).
    attributes : tuple of str
        Names of the two attributes.
    metric : str
        Name of the metric, for the title.
    reference : str
        Label of the reference cell, for the title.
    value_format : str, default="{:.3f}"
        Format of each cell's annotation (``"{:.0%}"`` for percentages).
    min_span : float, default=0.0
        Smallest half-width of the colour scale, so that tiny gaps are not drawn as
        strong colours.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    image_ : matplotlib AxesImage
        The grid of differences (masked where undefined).
    colorbar_ : matplotlib Colorbar
        The diverging scale.

    Examples
    --------
    >>> import biasaudit as ba
    >>> r = ba.audit(y_true=[1, 0] * 40, y_pred=[1, 0, 1, 1, 0, 0, 1, 0] * 10,
    ...              protected={"a": ["x", "x", "y", "y"] * 20, "b": ["u"] * 40 + ["v"] * 40},
    ...              metrics=["selection_rate"])
    >>> display = ba.IntersectionHeatmapDisplay.from_result(r)
    >>> display.values.tolist()
    [[0.25, 0.25], [0.75, 0.75]]
    """

    def __init__(self, *, rows: Sequence[str], cols: Sequence[str], values: Any, differences: Any,
                 attributes: tuple[str, str], metric: str, reference: str, value_format: str = "{:.3f}",
                 min_span: float = 0.0) -> None:
        self.rows, self.cols = [str(r) for r in rows], [str(c) for c in cols]
        shape = (len(self.rows), len(self.cols))
        self.values = np.asarray(values, dtype=float).reshape(shape)
        self.differences = np.asarray(differences, dtype=float).reshape(shape)
        self.attributes, self.metric, self.reference = attributes, metric, reference
        self.value_format, self.min_span = value_format, float(min_span)

    @classmethod
    def from_result(cls, result: Any, *, attribute: str | None = None, metric: str = "selection_rate",
                    ax: Any = None) -> "IntersectionHeatmapDisplay":
        """Draw one metric over a two-attribute intersection, from ``result.disparities``.

        Parameters
        ----------
        result : AuditResult
            An audit with an intersection of two attributes.
        attribute : str or None, default=None
            The intersection as named in ``result.disparities`` (``"sex & race"``); None
            draws the first intersection of two attributes.
        metric : str, default="selection_rate"
            A metric of the audit.
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        IntersectionHeatmapDisplay
            The display, drawn.
        """
        caller = "IntersectionHeatmapDisplay.from_result()"
        pairs = {g.name: g.attributes for g in result.groupings if len(g.attributes) == 2}
        if attribute is None:
            if not pairs:
                raise _base.InvalidParameterError(
                    f"{caller}: `result` must have an intersection of two attributes; got the groupings "
                    f"{[g.name for g in result.groupings]}")
            attribute = next(iter(pairs))
        elif attribute not in pairs:
            raise _base.InvalidParameterError(
                f"{caller}: `attribute` must be one of the two-attribute intersections {list(pairs)}; "
                f"got {attribute!r}")
        frame = result.disparities
        frame = frame[frame["attribute"] == attribute]
        metric = _base.pick_metric(caller, frame, metric)
        frame = frame[frame["metric"] == metric]
        rows = list(dict.fromkeys(g[0] for g in frame["group"]))
        cols = list(dict.fromkeys(g[1] for g in frame["group"]))
        values = np.full((len(rows), len(cols)), np.nan)
        differences = np.full_like(values, np.nan)
        for group, value, difference in zip(frame["group"], frame["value"], frame["difference"]):
            i, j = rows.index(group[0]), cols.index(group[1])
            values[i, j], differences[i, j] = value, difference
        reference = _base.label(frame["reference"].iloc[0]) if len(frame) else ""
        display = cls(rows=[str(r) for r in rows], cols=[str(c) for c in cols], values=values,
                      differences=differences, attributes=pairs[attribute], metric=metric, reference=reference)
        return display.plot(ax=ax)

    def plot(self, ax: Any = None) -> "IntersectionHeatmapDisplay":
        """Draw the grid, its annotations and the colour bar.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None makes a new figure.

        Returns
        -------
        IntersectionHeatmapDisplay
            This display, with ``ax_``, ``figure_``, ``image_`` and ``colorbar_`` set.
        """
        from matplotlib.colors import TwoSlopeNorm

        with _base.drawing(self, ax, figsize=(0.9 * len(self.cols) + 3.2, 0.5 * len(self.rows) + 1.8)) as ax:
            finite = np.abs(self.differences[np.isfinite(self.differences)])
            span = max(float(finite.max()) if finite.size and finite.max() > 0 else 1.0, self.min_span)
            self.image_ = ax.imshow(np.ma.masked_invalid(self.differences), cmap="BrBG",
                                    norm=TwoSlopeNorm(0.0, -span, span), aspect="auto")
            ax.set_facecolor("#dddddd")
            for (i, j), value in np.ndenumerate(self.values):
                if np.isfinite(value):
                    strong = abs(self.differences[i, j]) > 0.6 * span
                    ax.text(j, i, self.value_format.format(value), ha="center", va="center", fontsize=7,
                            color="white" if strong else "black")
                else:
                    ax.add_patch(_base.pyplot().Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///",
                                               ec=_base.GREY, lw=0))
            ax.set_xticks(range(len(self.cols)), self.cols, rotation=30, ha="right")
            ax.set_yticks(range(len(self.rows)), self.rows)
            ax.set_xlabel(self.attributes[1])
            ax.set_ylabel(self.attributes[0])
            ax.set_title(f"{self.metric.replace('_', ' ')}: difference to {self.reference}", fontsize=9)
            self.colorbar_ = ax.figure.colorbar(self.image_, ax=ax, fraction=0.046)
        return self
