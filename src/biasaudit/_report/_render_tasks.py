"""The task sections of a report as plain tables: calibration and threshold sweep (scores),
distribution parity (amounts), predicted class by group (classes).

Each table is ``{"heading", "intro", "columns", "rows"}`` with every cell already
formatted as text in the report's language; HTML (autoescaped) and Markdown (escaped by
``md``) render the same tables, so both formats show the same figures. A withheld
figure is the catalogue's "suppressed" mark.
"""

from __future__ import annotations

from ._texts import CORRECTION_NAMES, TEXTS, integer, number, percent, pvalue, ratio_text, text
from ._units import amount, score_text, signed_number

__all__ = ["task_tables"]


def _label(group) -> str:
    return " & ".join(map(str, group)) if isinstance(group, list) else str(group)


def task_tables(model) -> list[dict]:
    """The tables of ``model["task"]``, in the order the report shows them."""
    task = model.get("task") or {}
    lang = model["report"]["language"]
    family = task.get("family")
    tables: list[dict] = []
    if family == "score":
        tables = _score(model, task, lang)
    elif family == "regression":
        tables = _regression(task, lang)
    elif family in ("multiclass", "multiclass_decisions"):
        tables = _multiclass(task, lang)
    return [{"section": None, **tb} for tb in tables]


def _p(value, lang) -> str:
    return pvalue(value, lang).removeprefix("= ")


def _or(value, cell, t):
    return t["suppressed"] if value is None else cell


def _score(model, task, lang) -> list[dict]:
    t = TEXTS[lang]
    params = model["annex"]["parameters"]
    level = f"{round(100 * params['confidence_level'])}%"
    out = []
    if task.get("probability"):
        rows = []
        for r in task["calibration"]:
            rows.append([f"{r['attribute']}: {_label(r['group'])}", _or(r["n"], integer(r["n"] or 0, lang), t),
                         _or(r["observed_rate"], percent(r["observed_rate"], lang), t),
                         _or(r["mean_score"], percent(r["mean_score"], lang), t),
                         _or(r["ratio"], f"{number(r['ratio'], lang, 2)} [{number(r['ci_low'], lang, 2)}, "
                                         f"{number(r['ci_high'], lang, 2)}]", t),
                         _or(r["z_large"], signed_number(r["z_large"], lang, 2), t),
                         _or(r["p_large_adjusted"], _p(r["p_large_adjusted"], lang), t),
                         _or(r["z_spiegelhalter"], signed_number(r["z_spiegelhalter"], lang, 2), t),
                         _or(r["p_spiegelhalter_adjusted"], _p(r["p_spiegelhalter_adjusted"], lang), t)])
        out.append({"heading": t["sec_calibration"],
                    "intro": text(lang, "calibration_intro", level=level, n_tests=task["calibration_tests"],
                                  correction=CORRECTION_NAMES[lang][params["correction"]]),
                    "columns": [t["col_group"], t["col_n"], t["col_observed"], t["col_mean_score"],
                                t["col_oe"].format(level=level), t["col_z_large"], t["col_p_adj"], t["col_z"],
                                t["col_p_adj"]],
                    "rows": rows})
    else:
        out.append({"heading": t["sec_calibration"], "intro": t["calibration_none"], "columns": [], "rows": []})
    side = t["sweep_side_high"] if task["positive_is_favorable"] else t["sweep_side_low"]
    if not task["sweep"]:
        out.append({"heading": t["sec_sweep"], "intro": t["sweep_none"], "columns": [], "rows": []})
    for i, step in enumerate(task["sweep"]):
        ff = {(r["attribute"], _label(r["group"])): r for r in step["four_fifths"]}
        rows = []
        for g in step["groups"]:
            f = ff.get((g["attribute"], _label(g["group"]))) or {}
            ratio = f.get("impact_ratio")
            rows.append([f"{g['attribute']}: {_label(g['group'])}", _or(g["n"], integer(g["n"] or 0, lang), t)]
                        + [_or(g[m], percent(g[m], lang), t) for m in
                           ("selection_rate", "true_positive_rate", "false_positive_rate", "positive_predictive_value")]
                        + [_or(ratio, ratio_text(ratio, lang, params["four_fifths_threshold"]), t) if f else "—",
                           ("< " + number(params["four_fifths_threshold"], lang, 2)) if f.get("flagged") else ""])
        given = step["threshold"] is None  # the decisions given as y_pred
        heading = t["sweep_given"] if given else text(lang, "sweep_threshold",
                                                      value=score_text(step["threshold"], lang), rule=step["rule"])
        intro = t["sweep_given_intro"] if given else text(lang, "sweep_intro", side=side) if i == 0 else ""
        out.append({"heading": heading, "intro": intro,
                    "columns": [t["col_group"], t["col_n"]] + [t["metric_name"][m] for m in
                               ("selection_rate", "true_positive_rate", "false_positive_rate",
                                "positive_predictive_value")] + [t["col_impact_ratio"], t["th_four_fifths"]],
                    "rows": rows, "section": t["sec_sweep"] if i == 0 else None})
    return out


def _regression(task, lang) -> list[dict]:
    t = TEXTS[lang]
    rows = []
    for r in task["distribution"]:
        rows.append([f"{r['attribute']}: {_label(r['group'])}", _label(r["reference"]),
                     _or(r["n"], integer(r["n"] or 0, lang), t),
                     _or(r["ks_distance"], number(r["ks_distance"], lang, 3), t),
                     _or(r["ks_upper_bound"], number(r["ks_upper_bound"], lang, 3), t),
                     _or(r["scoring_rate"], percent(r["scoring_rate"], lang), t),
                     _or(r["impact_ratio"], ratio_text(r["impact_ratio"], lang), t)])
    side = t["distribution_side_high"] if task["positive_is_favorable"] else t["distribution_side_low"]
    return [{"heading": t["sec_distribution"],
             "intro": text(lang, "distribution_intro", median=amount(task["median_prediction"], lang), side=side),
             "columns": [t["col_group"], t["col_reference"], t["col_n"], t["col_ks"], t["col_ks_bound"],
                         t["col_scoring_rate"], t["col_impact_ratio"]],
             "rows": rows}]


def _multiclass(task, lang) -> list[dict]:
    t = TEXTS[lang]
    rows = [[r["attribute"], t["method_name"].get(r["method"], r["method"]), number(r["statistic"], lang, 2),
             integer(r["dof"], lang) if r["dof"] is not None else "—", pvalue(r["pvalue"], lang).removeprefix("= ")]
            for r in task["omnibus"]]
    intro = t["omnibus_intro"] + " " + text(lang, "classes_note", classes=", ".join(task["classes"]))
    return [{"heading": t["sec_omnibus"], "intro": intro,
             "columns": [t["groups_attributes"], t["col_test"], t["col_statistic"], t["col_dof"], t["col_p"]],
             "rows": rows}]
