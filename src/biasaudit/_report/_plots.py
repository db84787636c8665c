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
    """Each group's rate with its confidence interval; dashed line: the reference's rate.

    Drawn by :class:`~biasaudit.GroupRatesDisplay` from the report model's published numbers
    (so suppression holds), with the report's own title and labels in its language.
    """
    from ..plotting import GroupRatesDisplay

    plt = _pyplot()
    lang = model["report"]["language"]
    groups = _shown(block["groups"], metric)
    if not groups:
        return None
    rates = [g["rates"][metric] for g in groups]
    as_float = lambda key: np.array([r[key] if r[key] is not None else np.nan for r in rates], dtype=float)  # noqa: E731
    refs = sorted({g["comparisons"][metric]["reference_value"] for g in groups
                   if g["comparisons"] and g["comparisons"].get(metric)
                   and g["comparisons"][metric]["reference_value"] is not None})
    level = model["annex"]["parameters"]["confidence_level"]
    with plt.rc_context(PLAIN_TEXT):
        fig, ax = plt.subplots(layout="constrained", figsize=(6.4, 0.45 * len(groups) + 1.2))
        GroupRatesDisplay(groups=[_label(g["group"]) for g in groups], values=as_float("value"),
                          ci_low=as_float("ci_low"), ci_high=as_float("ci_high"), metric=metric,
                          attribute=block["attribute"] if "attribute" in block else "",
                          reference_value=refs[0] if refs else None, confidence_level=level,
                          marked=[bool(g["vulnerable"]) for g in groups]).plot(ax=ax)
        for ref in refs[1:]:  # an intersection compared with several references
            ax.axvline(ref, color="black", ls="--", lw=1)
        ax.set_title("")
        ax.set_xlabel("")
        _title(ax, text(lang, "plot_rates", metric=TEXTS[lang]["metric_name"][metric],
                        level=f"{round(100 * level)}%"))
    return _svg(fig, plt)


def ratios_figure(block, metric, model) -> str | None:
    """Ratio of each group's rate to the reference's, with its interval, against 0.8-1.25.

    Drawn by :class:`~biasaudit.DisparityDisplay` on the ratio scale; vermillion marks a
    ratio outside the band, as the report's caption says.
    """
    from ..plotting import DisparityDisplay

    plt = _pyplot()
    lang = model["report"]["language"]
    groups = [g for g in _shown(block["groups"], metric) if g["comparisons"] and g["comparisons"].get(metric)
              and g["comparisons"][metric]["verdict"] != "reference"]
    comps = [g["comparisons"][metric] for g in groups]
    if not comps:
        return None
    as_float = lambda key: np.array([c[key] if c[key] is not None else np.nan for c in comps], dtype=float)  # noqa: E731
    ratio, low, high = as_float("ratio"), as_float("ratio_ci_low"), as_float("ratio_ci_high")
    with plt.rc_context(PLAIN_TEXT):
        fig, ax = plt.subplots(layout="constrained", figsize=(6.4, 0.45 * len(comps) + 1.2))
        DisparityDisplay(groups=[_label(g["group"]) for g in groups], values=ratio, ci_low=low, ci_high=high,
                         band=(0.8, 1.25), metric=metric, attribute="", reference="", scale="ratio",
                         highlight=((ratio < 0.8) | (ratio > 1.25)).tolist()).plot(ax=ax)
        finite = np.concatenate([low[np.isfinite(low)], high[np.isfinite(high)], [0.5, 1.5]])
        ax.set_xlim(max(0.0, finite.min() * 0.9), min(finite.max() * 1.1, 5.0))
        ax.set_title("")
        ax.set_xlabel("")
        _title(ax, text(lang, "plot_ratios", metric=TEXTS[lang]["metric_name"][metric]))
    return _svg(fig, plt)


def heatmap_figure(block, model) -> str | None:
    """Selection rate of a two-attribute intersection as its difference from the reference.

    Drawn by :class:`~biasaudit.IntersectionHeatmapDisplay` from the published numbers: the
    colour scale diverges from zero (the reference's rate), symmetric around it, so real gaps
    are not flattened by a fixed 0-1 scale; each cell shows its rate. Hidden or empty cells
    are hatched.
    """
    import textwrap

    from ..plotting import IntersectionHeatmapDisplay

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
        gaps[i, j] = np.nan if not comp or comp["difference"] is None else comp["difference"]
    width = min(0.9 * len(cols) + 2.8, 6.4)
    short = lambda x: "\n".join(textwrap.wrap(str(x), 12)) or " "  # noqa: E731
    with plt.rc_context(PLAIN_TEXT):
        fig, ax = plt.subplots(layout="constrained", figsize=(width, 0.5 * len(rows) + 1.8))
        IntersectionHeatmapDisplay(rows=[short(r) for r in rows], cols=[short(c) for c in cols], values=grid,
                                   differences=gaps, attributes=(str(rows_attr), str(cols_attr)),
                                   metric="selection_rate", reference="", value_format="{:.0%}",
                                   min_span=0.01).plot(ax=ax)
        ax.tick_params(labelsize=7)
        ax.set_title("")
        ax.set_xlabel("")
        ax.set_ylabel("")
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
