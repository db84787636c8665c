"""Figures of a score audit: ROC curves and reliability curves by group, as inline SVG.

Drawn from the result's tidy curves by the plotting displays (the notebooks' code). Groups with fewer rows than the publication threshold
are left out of the published figures (a curve reveals the group's outcomes); text is drawn
as paths and matplotlib's comments are removed (see ``_plots._svg``), so no label reaches the
page as markup.
"""

from __future__ import annotations

from ..plotting._base import COLOURS as _COLOURS
from ._plots import PLAIN_TEXT, _pyplot, _svg, _title

__all__ = ["reliability_figure", "roc_figure", "score_figures"]

def _groups(frame, result, attribute, min_cell, keep=None):
    gm = result.group_metrics
    sizes = dict(zip(gm.loc[gm["attribute"] == attribute, "group"], gm.loc[gm["attribute"] == attribute, "n"]))
    part = frame[frame["attribute"] == attribute]
    shown = [g for g in dict.fromkeys(part["group"]) if sizes.get(g, 0) >= min_cell and (keep is None or keep(g))]
    return part, shown[: len(_COLOURS)]


def roc_figure(result, attribute: str, *, min_cell: int = 10, keep=None, title=None,
               axes=("false positive rate", "true positive rate")) -> str | None:
    """ROC curve of each group of one attribute (at most 8 groups, each with >= min_cell rows).

    ``keep``: a predicate on group labels, the groups whose figures may be published.
    """
    # group labels are user strings: drawn as plain text, never as mathtext
    with _pyplot().rc_context(PLAIN_TEXT):
        return _roc_figure(result, attribute, min_cell, keep, title, axes)


def _roc_figure(result, attribute, min_cell, keep, title, axes):
    from ..plotting import GroupRocDisplay

    part, shown = _groups(result.roc_curves(), result, attribute, min_cell, keep)
    if not shown:
        return None
    plt = _pyplot()
    aucs = result.group_metrics.set_index(["attribute", "group"])["roc_auc"]
    curves = {g: part[part["group"] == g] for g in shown}
    fig, ax = plt.subplots(layout="constrained", figsize=(4.8, 4.4))
    GroupRocDisplay(fpr={str(g): c["fpr"] for g, c in curves.items()}, tpr={str(g): c["tpr"] for g, c in curves.items()},
                    attribute=attribute, roc_auc={str(g): aucs.loc[(attribute, g)] for g in shown}).plot(ax=ax)
    _relabel(ax, axes, title or f"ROC curves by {attribute}")
    return _svg(fig, plt)


def _relabel(ax, axes, title) -> None:
    """The report's own axis names and title (in its language) on a display's axes."""
    ax.set_title("")
    ax.set_xlabel(axes[0])
    ax.set_ylabel(axes[1])
    _title(ax, title, width=4.8)


def reliability_figure(result, attribute: str, *, min_cell: int = 10, keep=None, title=None,
                       axes=("mean score in bin", "observed rate in bin")) -> str | None:
    """Observed rate against mean score per bin of [0, 1], one line per group; diagonal: calibrated."""
    # group labels are user strings: drawn as plain text, never as mathtext
    with _pyplot().rc_context(PLAIN_TEXT):
        return _reliability_figure(result, attribute, min_cell, keep, title, axes)


def _reliability_figure(result, attribute, min_cell, keep, title, axes):
    from ..plotting import GroupCalibrationDisplay

    part, shown = _groups(result.calibration_curves(), result, attribute, min_cell, keep)
    if not shown:
        return None
    plt = _pyplot()
    curves = {str(g): part[(part["group"] == g) & (part["n"] >= min_cell)] for g in shown}
    fig, ax = plt.subplots(layout="constrained", figsize=(4.8, 4.4))
    GroupCalibrationDisplay(mean_score={g: c["mean_score"] for g, c in curves.items()},
                            observed_rate={g: c["observed_rate"] for g, c in curves.items()},
                            attribute=attribute).plot(ax=ax)
    _relabel(ax, axes, title or f"Reliability by {attribute}")
    return _svg(fig, plt)


def score_figures(result, model, hidden) -> list[dict]:
    """The ROC and reliability figures of a score report, one of each per single attribute.

    In the published edition a group is drawn only when its size and its AUC (its
    calibration, for the reliability curve) are published and it has at least
    ``min_cell`` rows: a curve shows the group's outcomes bin by bin.
    """
    from ._texts import TEXTS

    t = TEXTS[model["report"]["language"]]
    min_cell = 1 if hidden is None else model["report"]["min_cell"]
    probability = bool(model["task"].get("probability"))
    out = []
    for g in result.groupings:
        if len(g.attributes) > 1:
            continue

        def keep(label, metric, name=g.name):
            return hidden is None or (hidden.size(name, label) and hidden.metric(name, label, metric))

        svg = roc_figure(result, g.name, min_cell=min_cell, keep=lambda x: keep(x, "roc_auc"),
                         title=t["plot_roc"].format(attribute=g.name),
                         axes=(t["metric_name"]["false_positive_rate"], t["metric_name"]["true_positive_rate"]))
        if svg:
            out.append({"attribute": g.name, "kind": "roc", "svg": svg})
        if probability:
            svg = reliability_figure(result, g.name, min_cell=min_cell, keep=lambda x: keep(x, "calibration_ratio"),
                                     title=t["plot_reliability"].format(attribute=g.name),
                                     axes=(t["col_mean_score"], t["col_observed"]))
            if svg:
                out.append({"attribute": g.name, "kind": "reliability", "svg": svg})
    return out
