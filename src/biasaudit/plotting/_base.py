"""What every display shares: matplotlib imported on first use, user labels drawn as text.

Group labels and attribute names come from the caller's data. Matplotlib would read
"$\\sqrt{2}$" as a formula and fail outright on "x$^$", so every text a display creates is
made with math parsing off, and tick labels (which may predate the display when an ``ax`` is
passed in) are switched to plain text explicitly.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from ..exceptions import AuditError, InvalidParameterError

__all__: list[str] = []

#: rc settings under which a display draws: no mathtext, no TeX for user strings
PLAIN_TEXT = {"text.parse_math": False, "text.usetex": False}
# Okabe-Ito, readable with the common colour-vision deficiencies (as the report's figures)
BLUE, VERMILLION, GREEN, PURPLE, GREY = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#7f7f7f"
COLOURS = (BLUE, VERMILLION, GREEN, "#E69F00", PURPLE, "#56B4E9", "#F0E442", "#000000")


def pyplot() -> Any:
    """``matplotlib.pyplot``, imported only when a display draws."""
    import matplotlib.pyplot as plt

    return plt


def label(group: Any) -> str:
    """A group's label as text: intersections joined with " & "."""
    if isinstance(group, tuple):
        return " & ".join(map(str, group))
    return str(group)


def axes(ax: Any, *, figsize: tuple[float, float]) -> Any:
    """The axes to draw on: ``ax`` when given, else a new figure's."""
    if ax is None:
        _, ax = pyplot().subplots(layout="constrained", figsize=figsize)
    return ax


@contextmanager
def drawing(display: Any, ax: Any, *, figsize: tuple[float, float]) -> Iterator[Any]:
    """The axes a display draws on, with user labels as plain text; sets ``ax_`` and ``figure_``."""
    with pyplot().rc_context(PLAIN_TEXT):
        ax = axes(ax, figsize=figsize)
        yield ax
        plain_texts(ax)
    display.ax_, display.figure_ = ax, ax.figure


def plain_texts(ax: Any) -> None:
    """Draw every text of ``ax`` as literal text.

    Titles, axis labels and ticks of axes passed in by the caller were created before the
    display's settings applied, and setting their text later keeps their math parsing.
    """
    from matplotlib.text import Text

    for text in ax.findobj(Text):
        text.set_parse_math(False)


def pick_attribute(caller: str, frame: Any, attribute: str | None) -> str:
    """The attribute (or intersection) to draw: ``attribute``, or the first in ``frame``."""
    names = list(dict.fromkeys(frame["attribute"]))
    if attribute is None:
        if not names:
            raise AuditError(f"{caller}: the result has nothing to draw")
        return str(names[0])
    if attribute not in names:
        raise InvalidParameterError(f"{caller}: `attribute` must be one of {names}; got {attribute!r}")
    return attribute


def pick_metric(caller: str, frame: Any, metric: str) -> str:
    """``metric`` if ``frame`` has rows of it, else an error listing the ones it has."""
    names = list(dict.fromkeys(frame["metric"]))
    if metric not in names:
        raise InvalidParameterError(f"{caller}: `metric` must be one of {names}; got {metric!r}")
    return metric


def score_view(caller: str, result: Any, view: str) -> Any:
    """A score audit's curve view (``roc_curves`` or ``calibration_curves``), or a clear error."""
    if getattr(result.counts, "family", None) != "score":
        raise InvalidParameterError(
            f"{caller}: `result` must be a score audit (audit(..., y_score=...)); got a "
            f"{result.counts.family!r} audit")
    return getattr(result, view)()
