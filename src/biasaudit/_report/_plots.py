"""Figures of a report as inline SVG, drawn from the report model (so suppression holds).

Colours are the Okabe-Ito palette and the heat map uses cividis, both readable with the
common colour-vision deficiencies. Text is drawn as paths, so the SVG fetches no font, and
the comments matplotlib writes (which repeat label text) are removed, so no user-supplied
string reaches the page through a figure.
"""

from __future__ import annotations

import io
import re

import numpy as np

from ._texts import TEXTS, text

__all__: list[str] = []

BLUE, VERMILLION, GREEN, ORANGE, GREY = "#0072B2", "#D55E00", "#009E73", "#E69F00", "#7f7f7f"
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _pyplot():
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "HTML reports draw figures with matplotlib. Hint: pip install 'biasaudit[report]'."
        raise ImportError(msg) from exc
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _svg(fig, plt) -> str:
    buf = io.StringIO()
    with plt.rc_context({"svg.fonttype": "path", "svg.hashsalt": "biasaudit"}):
        # constrained layout, not bbox_inches="tight", which draws every figure twice
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    return _COMMENT.sub("", svg)


def _label(group) -> str:
    return " & ".join(map(str, group)) if isinstance(group, list) else str(group)


def _shown(groups, metric="selection_rate"):
    """Groups whose ``metric`` is published."""
    return [g for g in groups if (g["rates"] or {}).get(metric)]


def rates_figure(block, metric, model) -> str | None:
    """Each group's rate with its confidence interval; dashed line: the reference's rate."""
    plt = _pyplot()
    lang = model["report"]["language"]
    groups = _shown(block["groups"], metric)
    if not groups:
        return None
    values = np.array([g["rates"][metric]["value"] if g["rates"][metric]["value"] is not None else np.nan
                       for g in groups], dtype=float)
    low = np.array([g["rates"][metric]["ci_low"] if g["rates"][metric]["ci_low"] is not None else np.nan
                    for g in groups], dtype=float)
    high = np.array([g["rates"][metric]["ci_high"] if g["rates"][metric]["ci_high"] is not None else np.nan
                     for g in groups], dtype=float)
    y = np.arange(len(groups))
    fig, ax = plt.subplots(layout="constrained", figsize=(6.4, 0.45 * len(groups) + 1.2))
    colours = [ORANGE if g["vulnerable"] else BLUE for g in groups]
    err = np.vstack([np.nan_to_num(values - low), np.nan_to_num(high - values)])
    ax.errorbar(values, y, xerr=err, fmt="none", ecolor=GREY, capsize=3, lw=1)
    ax.scatter(values, y, c=colours, zorder=3, s=28)
    refs = {g["comparisons"][metric]["reference_value"] for g in groups
            if g["comparisons"] and g["comparisons"].get(metric) and g["comparisons"][metric]["reference_value"] is not None}
    for ref in refs:
        ax.axvline(ref, color=VERMILLION, ls="--", lw=1)
    ax.set_yticks(y, [_label(g["group"]) for g in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    level = f"{round(100 * model['annex']['parameters']['confidence_level'])}%"
    ax.set_title(text(lang, "plot_rates", metric=TEXTS[lang]["metric_name"][metric], level=level), fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    return _svg(fig, plt)


def ratios_figure(block, metric, model) -> str | None:
    """Ratio of each group's rate to the reference's, with its interval, against 0.8-1.25."""
    plt = _pyplot()
    lang = model["report"]["language"]
    groups = [g for g in _shown(block["groups"], metric) if g["comparisons"] and g["comparisons"].get(metric)
              and g["comparisons"][metric]["verdict"] != "reference"]
    comps = [g["comparisons"][metric] for g in groups]
    if not comps:
        return None
    as_float = lambda key: np.array([c[key] if c[key] is not None else np.nan for c in comps], dtype=float)  # noqa: E731
    ratio, low, high = as_float("ratio"), as_float("ratio_ci_low"), as_float("ratio_ci_high")
    y = np.arange(len(comps))
    fig, ax = plt.subplots(layout="constrained", figsize=(6.4, 0.45 * len(comps) + 1.2))
    ax.axvspan(0.8, 1.25, color=GREEN, alpha=0.15, lw=0)
    ax.axvline(1.0, color=GREY, lw=1)
    err = np.vstack([np.nan_to_num(ratio - low), np.nan_to_num(high - ratio)])
    ax.errorbar(ratio, y, xerr=err, fmt="none", ecolor=GREY, capsize=3, lw=1)
    outside = (ratio < 0.8) | (ratio > 1.25)
    ax.scatter(ratio, y, c=[VERMILLION if o else BLUE for o in outside], zorder=3, s=28)
    ax.set_yticks(y, [_label(g["group"]) for g in groups])
    ax.invert_yaxis()
    finite = np.concatenate([low[np.isfinite(low)], high[np.isfinite(high)], [0.5, 1.5]])
    ax.set_xlim(max(0.0, finite.min() * 0.9), min(finite.max() * 1.1, 5.0))
    ax.set_title(text(lang, "plot_ratios", metric=TEXTS[lang]["metric_name"][metric]), fontsize=9)
    return _svg(fig, plt)


def heatmap_figure(block, model) -> str | None:
    """Selection rate of a two-attribute intersection; hidden or empty cells hatched."""
    plt = _pyplot()
    lang = model["report"]["language"]
    rows_attr, cols_attr = block["attributes"]
    rows = list(dict.fromkeys(g["group"][0] for g in block["groups"]))
    cols = list(dict.fromkeys(g["group"][1] for g in block["groups"]))
    grid = np.full((len(rows), len(cols)), np.nan)
    for g in _shown(block["groups"]):
        grid[rows.index(g["group"][0]), cols.index(g["group"][1])] = g["rates"]["selection_rate"]["value"]
    fig, ax = plt.subplots(layout="constrained", figsize=(0.9 * len(cols) + 2.4, 0.5 * len(rows) + 1.4))
    ax.set_facecolor("#dddddd")
    image = ax.imshow(np.ma.masked_invalid(grid), cmap="cividis", vmin=0, vmax=1, aspect="auto")
    for (i, j), v in np.ndenumerate(grid):
        if np.isnan(v):
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", ec=GREY, lw=0))
        else:
            ax.text(j, i, f"{v:.2f}".replace(".", "," if lang == "az" else "."), ha="center", va="center",
                    color="white" if v < 0.6 else "black", fontsize=8)
    ax.set_xticks(range(len(cols)), [str(c) for c in cols])
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    fig.colorbar(image, ax=ax, fraction=0.046)
    ax.set_title(text(lang, "plot_heatmap", rows=rows_attr, cols=cols_attr), fontsize=9)
    return _svg(fig, plt)


def figures(model) -> list[dict]:
    """All figures of a report: per attribute, rates and ratios; one intersection heat map."""
    out = []
    for block in model["results"]:
        if len(block["attributes"]) == 1:
            for metric in ("selection_rate", "true_positive_rate", "false_positive_rate"):
                if any((g["rates"] or {}).get(metric) for g in block["groups"]):
                    svg = rates_figure(block, metric, model)
                    if svg:
                        out.append({"attribute": block["attribute"], "kind": "rates", "svg": svg})
            svg = ratios_figure(block, "selection_rate", model)
            if svg:
                out.append({"attribute": block["attribute"], "kind": "ratios", "svg": svg})
    for block in model["results"]:
        if len(block["attributes"]) == 2:
            svg = heatmap_figure(block, model)
            if svg:
                out.append({"attribute": block["attribute"], "kind": "heatmap", "svg": svg})
            break
    return out
