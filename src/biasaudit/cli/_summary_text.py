"""The short terminal summary of one audit: groups, flagged comparisons, findings, four-fifths flags."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .._report._findings import comparison_counts
from .._report._published import published_views
from .._report._texts import TEXTS
from .._report._units import class_labels
from ._sources import redact

__all__ = ["audit_summary", "group_text"]

_SHOWN_METRICS = ("selection_rate", "true_positive_rate", "false_positive_rate")
_MAX_ROWS = 15  # flagged rows listed in the terminal; the report has them all


def _table(frame: pd.DataFrame) -> str:
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_colwidth", 40):
        return frame.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="NaN")


def _class_column(column: str, classes) -> str:
    base, sep, rest = column.partition("[")
    if sep and rest.endswith("]") and rest[:-1].isdigit() and int(rest[:-1]) < len(classes):
        return f"{base}[{classes[int(rest[:-1])]}]"
    return column


def group_text(group) -> str:
    """A group as the terminal shows it: an intersection's labels joined by " & "."""
    return " & ".join(map(str, group)) if isinstance(group, (list, tuple)) else str(group)


def audit_summary(outcome: Any, spec: Any) -> str:
    """The short terminal summary of an ``Outcome`` of ``run_audit`` for its ``AuditSpec``.

    It reads the report's model, not the audit result, so it shows the same edition as
    the report: the published one (figures that could reveal small counts withheld)
    unless ``--full``, and CI logs never print what the published report hides.
    """
    model = outcome.report.to_dict()
    result = outcome.result
    lines = []
    decisions = spec.y_pred + (f" (positive: {', '.join(map(str, spec.y_pred_positive))})"
                               if spec.y_pred_positive else "")
    outcomes = f"; outcomes {spec.y_true}" if spec.y_true else "; no outcomes (decisions only)"
    lines.append(f"biasaudit audit of {redact(str(spec.data))}: {outcome.n_rows:,} rows; decisions {decisions}{outcomes}")
    joined = ", ".join(spec.protected)
    lines.append(f"protected: {joined}" + (" and their intersection" if spec.intersections and len(spec.protected) > 1
                                           else "") + "\n")
    edition = ("full annex (--full): every figure" if spec.full
               else "published edition: figures that could reveal small counts are suppressed")
    lines.append(f"[{edition}]")
    # the decision rates, or for classes and amounts the first metrics of the task
    metrics = [m for m in _SHOWN_METRICS if m in result.metrics] or list(result.rate_metrics[:3])
    rows, n_inter = [], 0
    for block in model["results"]:
        if len(block["attributes"]) > 1:
            n_inter += len(block["groups"])
            continue
        for g in block["groups"]:
            row = {"attribute": block["attribute"], "group": group_text(g["group"])}
            # per-figure withholding, as in the report: each withheld figure is marked
            rates = g["rates"] or {}
            row.update({"n": "suppressed" if g["n"] is None else g["n"],
                        **{m: "suppressed" if rates.get(m) is None else rates[m]["value"] for m in metrics}})
            rows.append(row)
    # per-class metrics named after their class, as in the report ("selection_rate[High]", not "[0]")
    classes = class_labels(result)
    lines.append(_table(pd.DataFrame(rows).rename(columns=lambda c: _class_column(c, classes))))
    if n_inter:
        lines.append(f"({n_inter:,} intersectional groups: see the report)")
    # counted over the published comparisons only: the verdict of a withheld one would
    # narrow its counts (the terminal shows the edition the reports publish: CI logs are public too)
    shown = None if spec.full else published_views(result, min_cell=spec.min_cell)["disparities"]
    flagged, tested = comparison_counts(result, shown)
    edition = "" if spec.full else " published"
    lines.append(f"\nFlagged disparities (verdict disparity or possible_disparity; complementary metrics counted "
                 f"once): {flagged:,} of {tested:,}{edition} comparisons ({result.family_size:,} tests in the "
                 f"multiple-testing family{_screened(result)})")
    adverse = [f for f in model["findings"] if f["disadvantaged"] == "group"]
    if adverse:
        lines.append(f"Findings of disadvantage ({len(adverse)}), most severe first:")
        for f in adverse[:_MAX_ROWS]:
            where = "figures suppressed" if f["suppressed"] else ", ".join(
                f"{m['metric']} {m['difference']:+.3f}" for m in f["metrics"]) or "four-fifths flag"
            lines.append(f"  {f['id']} {f['severity']:<6} {f['attribute']}: {group_text(f['group'])} "
                         f"(vs {group_text(f['reference'])}): {where}")
        if len(adverse) > _MAX_ROWS:
            lines.append(f"  ... and {len(adverse) - _MAX_ROWS} more in the report")
    # the findings that are not one group's disadvantage (a class distribution that depends on
    # the group, a miscalibration in the spread): listed too, so no finding goes unmentioned here
    everything_else = [f for f in model["findings"] if f["disadvantaged"] != "group"]
    other = [f for f in everything_else if f["severity"] in ("high", "medium")]
    if everything_else:
        lines.append(f"Other findings ({len(everything_else)}), most severe first:")
        types = TEXTS["en"]["finding_type"]
        for f in other[:_MAX_ROWS]:
            about = f["attribute"] + (f": {group_text(f['group'])}" if f["group"] is not None else "")
            lines.append(f"  {f['id']} {f['severity']:<6} {about}: {types.get(f['type'], f['type'])}")
        if len(other) > _MAX_ROWS:
            lines.append(f"  ... and {len(other) - _MAX_ROWS} more in the report")
        if len(everything_else) > len(other):
            lines.append(f"  ... and {len(everything_else) - len(other)} of low severity in the report")
    ff_flagged = [r for r in model["four_fifths"] if r["flagged"]]
    lines.append(f"\nFour-fifths flags (impact ratio below {spec.threshold:g}; a US EEOC heuristic, not a test): "
                 f"{len(ff_flagged)}")
    if ff_flagged:
        frame = pd.DataFrame([{"attribute": r["attribute"], "group": group_text(r["group"]), "n": r["n"],
                               "favourable_rate": r["favourable_rate"], "impact_ratio": r["impact_ratio"]}
                              for r in ff_flagged])
        lines.append(_table(frame.head(_MAX_ROWS)))
    lines.append(f"\nFindings: {outcome.n_findings}; highest severity: {outcome.max_severity}.")
    if outcome.paths:
        lines.append("Reports: " + ", ".join(str(p) for p in outcome.paths.values()))
    return "\n".join(lines)


def _screened(result) -> str:
    """How many tests the correction counted, when Tarone's screen left some out."""
    testable = result.family_testable
    return "" if testable >= result.family_size else f", {testable:,} of them able to reach significance and counted"
