"""Figures of a score audit: ROC curves and reliability curves by group, as inline SVG.

Drawn from the result's tidy curves. Groups with fewer rows than the publication threshold
are left out of the published figures (a curve reveals the group's outcomes); text is drawn
as paths and matplotlib's comments are removed (see ``_plots._svg``), so no label reaches the
page as markup.
"""

from __future__ import annotations

from ._plots import BLUE, GREEN, GREY, PLAIN_TEXT, PURPLE, VERMILLION, _pyplot, _svg

__all__ = ["reliability_figure", "roc_figure"]

_COLOURS = [BLUE, VERMILLION, GREEN, "#E69F00", PURPLE, "#56B4E9", "#F0E442", "#000000"]  # Okabe-Ito


def _groups(frame, result, attribute, min_cell):
    gm = result.group_metrics
    sizes = dict(zip(gm.loc[gm["attribute"] == attribute, "group"], gm.loc[gm["attribute"] == attribute, "n"]))
    part = frame[frame["attribute"] == attribute]
    shown = [g for g in dict.fromkeys(part["group"]) if sizes.get(g, 0) >= min_cell]
    return part, shown[: len(_COLOURS)]


def roc_figure(result, attribute: str, *, min_cell: int = 10) -> str | None:
    """ROC curve of each group of one attribute (at most 8 groups, each with >= min_cell rows)."""
    # group labels are user strings: drawn as plain text, never as mathtext
    with _pyplot().rc_context(PLAIN_TEXT):
        return _roc_figure(result, attribute, min_cell)


def _roc_figure(result, attribute, min_cell):
    part, shown = _groups(result.roc_curves(), result, attribute, min_cell)
    if not shown:
        return None
    plt = _pyplot()
    aucs = result.group_metrics.set_index(["attribute", "group"])["roc_auc"]
    fig, ax = plt.subplots(layout="constrained", figsize=(4.8, 4.4))
    ax.plot([0, 1], [0, 1], color=GREY, lw=0.8, ls=":")
    for colour, g in zip(_COLOURS, shown):
        curve = part[part["group"] == g]
        ax.step(curve["fpr"], curve["tpr"], where="post", color=colour, lw=1.3,
                label=f"{g} (AUC {aucs.loc[(attribute, g)]:.3f})")
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(f"ROC curves by {attribute}", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    return _svg(fig, plt)


def reliability_figure(result, attribute: str, *, min_cell: int = 10) -> str | None:
    """Observed rate against mean score per bin of [0, 1], one line per group; diagonal: calibrated."""
    # group labels are user strings: drawn as plain text, never as mathtext
    with _pyplot().rc_context(PLAIN_TEXT):
        return _reliability_figure(result, attribute, min_cell)


def _reliability_figure(result, attribute, min_cell):
    part, shown = _groups(result.calibration_curves(), result, attribute, min_cell)
    if not shown:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(layout="constrained", figsize=(4.8, 4.4))
    ax.plot([0, 1], [0, 1], color=GREY, lw=0.8, ls=":")
    for colour, g in zip(_COLOURS, shown):
        curve = part[(part["group"] == g) & (part["n"] >= min_cell)]
        ax.plot(curve["mean_score"], curve["observed_rate"], marker="o", ms=3, color=colour, lw=1.2, label=str(g))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean score in bin")
    ax.set_ylabel("observed rate in bin")
    ax.set_title(f"Reliability by {attribute}", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    return _svg(fig, plt)
