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

#: User strings (group labels, attribute names) are drawn as plain text: mathtext would
#: render "$\\sqrt{2}$" as a formula and fail outright on "x$^$" or "$\\foo$".
PLAIN_TEXT = {"text.parse_math": False, "text.usetex": False}

# One meaning per colour: blue = a group, purple diamond = a group given special attention
# (D7), vermillion = outside the 0.8-1.25 band, black dashes = the reference.
BLUE, VERMILLION, GREEN, PURPLE, GREY = "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#7f7f7f"
_TITLE_CHARS = 78  # a 9-point title wraps at about this width in a 6.4-inch figure
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


def _title(ax, title: str, width: float = 6.4) -> None:
    """A title across the whole figure, wrapped to its width, so it is never clipped.

    A figure-level title (not the axes') does not depend on how much room the group labels
    take on the left, and constrained layout reserves its height.
    """
    import textwrap

    chars = max(28, int(_TITLE_CHARS * width / 6.4))
    ax.figure.suptitle("\n".join(textwrap.wrap(title, chars)), fontsize=9, x=0.01, ha="left")


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
    marked = np.array([bool(g["vulnerable"]) for g in groups])
    err = np.vstack([np.nan_to_num(values - low), np.nan_to_num(high - values)])
    ax.errorbar(values, y, xerr=err, fmt="none", ecolor=GREY, capsize=3, lw=1)
    ax.scatter(values[~marked], y[~marked], c=BLUE, marker="o", zorder=3, s=28)
    ax.scatter(values[marked], y[marked], c=PURPLE, marker="D", zorder=3, s=34)
    refs = {g["comparisons"][metric]["reference_value"] for g in groups
            if g["comparisons"] and g["comparisons"].get(metric) and g["comparisons"][metric]["reference_value"] is not None}
    for ref in refs:
        ax.axvline(ref, color="black", ls="--", lw=1)
    ax.set_yticks(y, [_label(g["group"]) for g in groups])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    level = f"{round(100 * model['annex']['parameters']['confidence_level'])}%"
    _title(ax, text(lang, "plot_rates", metric=TEXTS[lang]["metric_name"][metric], level=level))
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
    _title(ax, text(lang, "plot_ratios", metric=TEXTS[lang]["metric_name"][metric]))
    return _svg(fig, plt)


def heatmap_figure(block, model) -> str | None:
    """Selection rate of a two-attribute intersection as its difference from the reference.

    The colour scale diverges from zero (the reference's rate), symmetric around it, so
    real gaps are not flattened by a fixed 0-1 scale; each cell shows its rate. Hidden or
    empty cells are hatched.
    """
    import textwrap

    from matplotlib.colors import TwoSlopeNorm

    plt = _pyplot()
    lang = model["report"]["language"]
    rows_attr, cols_attr = block["attributes"]
    rows = list(dict.fromkeys(g["group"][0] for g in block["groups"]))
    cols = list(dict.fromkeys(g["group"][1] for g in block["groups"]))
    grid = np.full((len(rows), len(cols)), np.nan)
    gaps = np.full_like(grid, np.nan)
    for g in _shown(block["groups"]):
        i, j = rows.index(g["group"][0]), cols.index(g["group"][1])
        grid[i, j] = g["rates"]["selection_rate"]["value"]
        comp = (g["comparisons"] or {}).get("selection_rate")
        gaps[i, j] = np.nan if not comp or comp["difference"] is None else 100 * comp["difference"]
    width = min(0.9 * len(cols) + 2.8, 6.4)
    fig, ax = plt.subplots(layout="constrained", figsize=(width, 0.5 * len(rows) + 1.8))
    ax.set_facecolor("#dddddd")
    span = max(1.0, float(np.nanmax(np.abs(gaps)))) if np.isfinite(gaps).any() else 1.0
    image = ax.imshow(np.ma.masked_invalid(gaps), cmap="BrBG", norm=TwoSlopeNorm(0.0, -span, span), aspect="auto")
    for (i, j), v in np.ndenumerate(grid):
        if np.isnan(v):
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", ec=GREY, lw=0))
        else:
            dark = np.isfinite(gaps[i, j]) and abs(gaps[i, j]) > 0.6 * span
            ax.text(j, i, f"{100 * v:.0f}%", ha="center", va="center", color="white" if dark else "black",
                    fontsize=7)
    short = lambda x: "\n".join(textwrap.wrap(str(x), 12)) or " "  # noqa: E731
    ax.set_xticks(range(len(cols)), [short(c) for c in cols], fontsize=7, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), [short(r) for r in rows], fontsize=7)
    fig.colorbar(image, ax=ax, fraction=0.046)
    _title(ax, text(lang, "plot_heatmap", rows=rows_attr, cols=cols_attr), width)
    return _svg(fig, plt)


def figures(model) -> list[dict]:
    """All figures of a report: per attribute, rates and ratios; one intersection heat map."""
    plt = _pyplot()
    with plt.rc_context(PLAIN_TEXT):
        return _figures(model)


def _figures(model) -> list[dict]:
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
    if (model.get("task") or {}).get("family", "binary") not in ("binary", "decisions"):
        return out  # the heat map reads selection rates, which only decision audits have
    for block in model["results"]:
        if len(block["attributes"]) == 2:
            svg = heatmap_figure(block, model)
            if svg:
                out.append({"attribute": block["attribute"], "kind": "heatmap", "svg": svg})
            break
    return out
