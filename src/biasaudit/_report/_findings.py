"""Findings: who is disadvantaged, one graded, cited statement per (grouping, group).

Rules (documented in docs/reports.md):
- a gap is read through its metric's direction (:mod:`._harm`): only a gap that
  disadvantages the group is a finding about it; a gap in the group's favour is context
  (``favourable_gaps``), never a finding against it;
- complementary metrics (FNR of TPR, ...) count once: the complement is left out when
  both are audited;
- one finding per (grouping, group) lists every metric on which the group is
  disadvantaged, with its numbers; its severity is the highest of its metrics': a
  ``disparity`` is ``high`` when the gap is large in practice (ratio outside
  [0.8, 1.25], or an absolute gap of at least twice the tolerance), else ``medium``; a
  ``possible_disparity`` or a four-fifths flag alone is ``low``;
- a finding about a group the Declaration names (D7) is raised one level; it is adverse
  by construction, so the raise never applies to a gap in a group's favour;
- an intersectional finding whose every gap is also found, at least nearly as large
  (within the tolerance), for one of its component groups says it is explained by them;
- an intersectional group that differs from its reference in two or more attributes is
  also compared with the groups one attribute away from it (:mod:`._within`);
- groups too small to assess (minimum detectable difference above twice the tolerance)
  and missing protected data are ``low`` findings (missing data ``medium`` from 5% of the
  rows);
- in the published edition (:mod:`._published`) a statement is made only from published
  figures: a comparison only if it is published, a size only if it is, a four-fifths
  statement only if both groups' selection rates (and the group's size) are; a group whose
  size is withheld gets one neutral finding, with no size, reason or threshold.
Findings are ordered by severity, then unexplained before explained, then by the largest
gap; a group's D7 mark does not move it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._evidence import RELATIVE_TOLERANCE
from .._metrics import get_metric
from ._declaration import FINDING_PROVISIONS
from ._harm import disadvantaged
from ._published import FULL_EDITION, publication
from ._texts import TEXTS, bare_points, integer, number, percent, pvalue, ratio_text, text
from ._task_findings import task_findings
from ._units import (_digits, bound_text, class_labels, gap_text, metric_in_sentence, scale, score_text,
                     value_text)
from ._within import within_comparisons, within_sentence

__all__: list[str] = []

SEVERITIES = ("none", "low", "medium", "high")
_PREDICTIVE = {"positive_predictive_value", "negative_predictive_value", "false_discovery_rate",
               "false_omission_rate"}
_FLAGGED = ("disparity", "possible_disparity")
_EVIDENCE = ("value", "reference_value", "difference", "ci_low", "ci_high", "ratio", "ratio_ci_low",
             "ratio_ci_high", "statistic", "pvalue", "pvalue_adjusted", "power", "min_detectable_difference")


@dataclass(frozen=True)
class Finding:
    """One finding of an audit report."""

    id: str
    type: str
    severity: str
    attribute: str
    group: object
    reference: object
    metric: str | None
    n: int | None
    sentence: str
    provisions: tuple
    vulnerable: tuple = ()
    suppressed: bool = False
    evidence: dict = field(default_factory=dict)
    metrics: tuple = ()
    explained_by: tuple = ()
    score: float = 0.0
    threshold: float | None = None  # score audits: the threshold t of the decisions (score >= t) it is about

    def to_dict(self) -> dict:
        return {
            "id": self.id, "type": self.type, "severity": self.severity, "attribute": self.attribute,
            "group": _plain_label(self.group), "reference": _plain_label(self.reference), "metric": self.metric,
            "n": self.n, "suppressed": self.suppressed, "vulnerable": list(self.vulnerable),
            "disadvantaged": "group" if self.metrics or self.type == "possible_disparity"
            or self.evidence.get("harms_group") else None,
            "metrics": [dict(m) for m in self.metrics], "explained_by": list(self.explained_by),
            "provisions": list(self.provisions), "sentence": self.sentence, "evidence": self.evidence,
            "threshold": self.threshold,
        }


def _plain_label(label):
    return list(label) if isinstance(label, tuple) else label


def group_name(attribute, label) -> str:
    """How a group is named in sentences: 'female (sex)', 'female & D (sex & race)'."""
    shown = " & ".join(str(x) for x in label) if isinstance(label, tuple) else str(label)
    return f"{shown} ({attribute})"


def _bump(severity: str) -> str:
    return SEVERITIES[min(SEVERITIES.index(severity) + 1, len(SEVERITIES) - 1)]


def _finite(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def counted_metrics(metrics) -> list:
    """The audited metrics with each complementary pair counted once (the complement left out)."""
    present = set(metrics)
    return [m for m in metrics if get_metric(m).complement_of not in present]


def comparison_counts(result, disparities=None) -> tuple[int, int]:
    """(flagged, tested) comparisons, complementary metrics counted once.

    ``disparities``: the comparisons to count (the published ones); all of the result's by default.
    """
    d = result.disparities if disparities is None else disparities
    once = d[d["metric"].isin(counted_metrics(result.metrics))]
    tested = once[~once["verdict"].isin(["reference", "not_tested"])]
    return int(tested["verdict"].isin(_FLAGGED).sum()), len(tested)


def _level(result) -> str:
    return f"{round(100 * result.options.confidence_level)}%"


def _assessable(result) -> set:
    """(attribute, group) pairs the core marks as not assessable, if it does."""
    gm = result.group_metrics
    if "assessable" not in gm.columns:
        return set()
    return {(r.attribute, r.group) for r in gm.itertuples(index=False) if not bool(r.assessable)}


def gap_entries(result, skip=frozenset()):
    """Flagged gaps by side: ({key: [adverse rows]}, {key: [favourable rows]}), key (attribute, group).

    A rate and its complement (TPR and FNR, ...) are one comparison, listed once: as the
    rate, unless the pair's verdict rests on the complement's ratio alone (a gap below the
    tolerance, 0.114 against 0.144 outside 0.8-1.25 while 0.886 against 0.856 is inside):
    the figures shown must show why the gap is called large.
    """
    d = result.disparities
    pif = bool(result.parameters["positive_is_favorable"])
    once = set(counted_metrics(result.metrics))
    tolerance = result.options.tolerance
    flagged = d[d["verdict"].isin(_FLAGGED)]
    complement = {get_metric(m).complement_of: m for m in result.metrics if get_metric(m).complement_of in once}
    by_metric = {(r.attribute, r.group, r.reference, r.metric): r for r in flagged.itertuples(index=False)
                 if r.metric in complement.values()}
    adverse, favourable = {}, {}
    for row in flagged[flagged["metric"].isin(once)].itertuples(index=False):
        key = (row.attribute, row.group)
        if key in skip:
            continue
        other = by_metric.get((row.attribute, row.group, row.reference, complement.get(row.metric)))
        if other is not None and not _large(row, tolerance) and _large(other, tolerance):
            row = other
        side = disadvantaged(row.metric, pif, float(row.difference))
        if side == "group":
            adverse.setdefault(key, []).append(row)
        elif side == "reference":
            favourable.setdefault(key, []).append(row)
    return adverse, favourable


def _large(row, tolerance) -> bool:
    """The verdicts' "large in practice": a gap of at least the tolerance, or a ratio outside 0.8-1.25."""
    return abs(row.difference) >= tolerance or (math.isfinite(row.ratio) and not 0.8 <= row.ratio <= 1.25)


def _entry_severity(row, tolerance, units=None):
    """``high`` for a disparity with a ratio outside 0.8-1.25 or a gap of twice the tolerance.

    A metric whose verdict reads the tolerance in a unit of its own (a mean of amounts:
    ``units[(attribute, estimator)]``, the root mean square outcome) is judged the same way
    here: its gap in that unit, and no ratio (see ``verdict_arrays``).
    """
    if row.verdict != "disparity":
        return "low"
    unit = (units or {}).get((row.attribute, get_metric(row.metric).estimator))
    if unit is not None:
        return "high" if abs(row.difference) / unit >= 2 * tolerance else "medium"
    large = (not np.isnan(row.ratio) and not 0.8 <= row.ratio <= 1.25) or abs(row.difference) >= 2 * tolerance
    return "high" if large else "medium"


def _gap_units(result) -> dict:
    """``(attribute, estimator) -> unit`` for the estimators whose verdicts read gaps in a unit
    of their own (``RELATIVE_TOLERANCE``)."""
    estimators = {get_metric(m).estimator for m in result.metrics} & set(RELATIVE_TOLERANCE)
    return {(g.name, e): RELATIVE_TOLERANCE[e][1](g.grouping) for g in result.groupings for e in estimators}


def _entry_type(metric, intersection, verdict):
    if verdict != "disparity":
        return "possible_disparity"
    if intersection:
        return "intersectional_disparity"
    if metric == "selection_rate":
        return "selection_rate_disparity"
    if metric == "roc_auc":
        return "auc_disparity"
    if metric == "scoring_rate":
        return "scoring_rate_disparity"
    if scale(metric) == "amount":
        return "amount_disparity"
    # a per-class rate ("positive_predictive_value[2]") is typed by its base metric
    return "predictive_value_disparity" if metric.split("[")[0] in _PREDICTIVE else "error_rate_disparity"


def _metric_item(row, lang, level, ref_name="", classes=(), tolerance=None):
    """One metric of a finding, e.g. 'false positive rate 42.3% against 22.0% (+20.3 ...)'.

    Rates are written as percentages and their gaps in percentage points; amounts and
    indices (AUC) as plain numbers, an amount's gap also as a share of the reference's
    value (:mod:`._units`). A rate whose gap is called large only by its ratio (a gap
    below ``tolerance`` but a ratio outside 0.8-1.25) also states the ratio, so the
    sentence shows why.
    """
    t = TEXTS[lang]
    name = metric_in_sentence(row.metric, lang, classes)
    if scale(row.metric) == "share":
        verdict = t["verdict"][row.verdict]
        if (tolerance is not None and abs(row.difference) < tolerance and math.isfinite(row.ratio)
                and not 0.8 <= row.ratio <= 1.25):
            verdict += text(lang, "finding_item_ratio", ratio=number(row.ratio, lang, 2))
        return text(lang, "finding_item", metric=name, value=percent(row.value, lang),
                    ref_value=percent(row.reference_value, lang), ref_name=ref_name,
                    diff=bare_points(row.difference, lang), level=level, low=bare_points(row.ci_low, lang),
                    high=bare_points(row.ci_high, lang), p=pvalue(row.pvalue_adjusted, lang), verdict=verdict)
    digits = _digits(row.value, row.reference_value, row.ci_low, row.ci_high)
    return text(lang, "finding_item_units", metric=name,
                value=value_text(row.metric, row.value, lang, digits=digits),
                ref_value=value_text(row.metric, row.reference_value, lang, digits=digits), ref_name=ref_name,
                diff=gap_text(row.metric, row.difference, row.reference_value, lang, digits=digits), level=level,
                low=bound_text(row.metric, row.ci_low, lang, digits=digits),
                high=bound_text(row.metric, row.ci_high, lang, digits=digits), p=pvalue(row.pvalue_adjusted, lang),
                verdict=t["verdict"][row.verdict])


def build_findings(result, *, language, vulnerable_map, suppressed, min_cell) -> list[Finding]:
    """Findings of an audit, most severe first.

    ``suppressed`` is the published edition's :class:`~._published.Publication`; None for
    the regulator's annex, which withholds nothing. A comparison whose figures are
    withheld gives no finding: its verdict and severity would narrow the withheld counts.
    A score audit also reports the decisions at each of its thresholds, and those given as
    ``y_pred`` beside the scores, as the binary audits of those decisions would
    (:func:`_decision_drafts`).
    """
    pub = FULL_EDITION if suppressed is None else suppressed
    lang = language
    small = too_small_groups(result, pub)
    drafts = _comparison_drafts(result, lang, vulnerable_map, pub)
    drafts += [Finding(id="", **f) for f in task_findings(result, lang, vulnerable_map, pub, _level(result))]
    drafts += _decision_drafts(result, lang, vulnerable_map, suppressed, min_cell)
    drafts += _too_small(result, lang, vulnerable_map, pub, small)
    drafts += _missing(result, lang, pub)
    order = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    drafts.sort(key=lambda f: (order[f.severity], f.type in ("group_too_small", "missing_protected_data"),
                               bool(f.explained_by), f.suppressed, -f.score))
    ids = {id(f): f"F{i:02d}" for i, f in enumerate(drafts, start=1)}
    # the decisions a finding is about (None: the audit's own) tell apart one group's findings
    by_key = {(f.evidence.get("decisions"), f.attribute, f.group): ids[id(f)] for f in drafts
              if f.metrics or f.type == "possible_disparity"}
    out = []
    for f in drafts:
        sentence = f.sentence
        keys = [(f.evidence.get("decisions"), *k) for k in f.explained_by]
        refs = tuple(by_key[k] for k in keys if k in by_key)
        if f.explained_by:
            names = ", ".join(group_name(*k) for k in f.explained_by)
            sentence += text(lang, "finding_explained", groups=names, ids=", ".join(refs))
        out.append(Finding(ids[id(f)], f.type, f.severity, f.attribute, f.group, f.reference, f.metric, f.n,
                           sentence, f.provisions, f.vulnerable, f.suppressed, f.evidence, f.metrics, refs, f.score,
                           f.threshold))
    return out


def _decision_drafts(result, lang, vulnerable_map, suppressed, min_cell) -> list[Finding]:
    """The comparison findings of the decisions derived from a score audit, or given with it.

    The decisions at ``t`` are the binary audit of ``score >= t`` (:func:`at_threshold`), and
    the decisions given as ``y_pred`` beside the scores are ``result.decisions``: each has its
    own comparisons, corrected for multiple testing among themselves, and is protected as a
    table of its own in the published edition, as the report's decision tables are. Each
    sentence says which decisions it is about; sizes and too-small groups are the score
    audit's own findings, so only comparisons are taken.
    """
    from .._score_audit import decision_audits

    out: list[Finding] = []
    for spec, value, sub in decision_audits(result):
        pub = FULL_EDITION if suppressed is None else publication(sub, min_cell=min_cell)
        lead = decisions_lead(spec, value, lang)
        for f in _comparison_drafts(sub, lang, vulnerable_map, pub):
            out.append(Finding(f.id, f.type, f.severity, f.attribute, f.group, f.reference, f.metric, f.n,
                               f"{lead}: {f.sentence}", f.provisions, f.vulnerable, f.suppressed,
                               {**f.evidence, "decisions": lead}, f.metrics, f.explained_by, f.score,
                               None if value is None else float(value)))
    return out


def decisions_lead(spec, value, lang) -> str:
    """How a sentence names the decisions it is about: "Decisions at score ≥ 5",
    "Decisions at score ≥ 7 (top_share=0.2)", "Decisions given (y_pred)"."""
    if spec is None:
        return text(lang, "finding_given_decisions")
    from .._thresholds import label as rule_label

    if spec[0] == "score":
        return text(lang, "finding_at_threshold", value=score_text(value, lang))
    return text(lang, "finding_at_threshold_rule", value=score_text(value, lang), rule=rule_label(spec))


def _comparison_drafts(result, lang, vulnerable_map, pub) -> list[Finding]:
    """One unnumbered finding per (grouping, group) disadvantaged in a comparison or a
    four-fifths statement, intersections marked when their component groups explain them."""
    t = TEXTS[lang]
    tolerance = result.options.tolerance
    level = _level(result)
    weighted = bool(result.parameters.get("weighted"))
    ff = {(r.attribute, r.group): r._asdict() for r in result.four_fifths.itertuples(index=False)}
    family = result.counts.family
    if family in ("multiclass", "multiclass_decisions"):
        ff = {}  # no class is named favourable: no four-fifths statement
    rate = "scoring_rate" if family == "regression" else "selection_rate"
    sizes = {(r.attribute, r.group): int(r.n) for r in result.group_metrics.itertuples(index=False)}
    not_assessable = _assessable(result)
    classes = class_labels(result)
    adverse, _ = gap_entries(result, skip=not_assessable)
    small = too_small_groups(result, pub)
    # In a group too small to assess, a large gap that is not significant says nothing:
    # only significant gaps remain findings there (the group is listed as too small).
    # A comparison whose figures are withheld gives no finding: its verdict and severity
    # would narrow the withheld counts.
    adverse = {k: [r for r in rows if (r.verdict == "disparity" or k not in small)
                   and pub.comparison(k[0], k[1], r.metric, r.reference)] for k, rows in adverse.items()}
    adverse = {k: rows for k, rows in adverse.items() if rows}
    for key, row in ff.items():
        if (row["flagged"] and key not in adverse and key not in not_assessable and key not in small
                and (key[0], row["best_group"]) not in small and _four_fifths_published(pub, key, row, rate)):
            adverse[key] = []
    # Within a finding: the decision, then the error that wrongly imposes an unfavourable one
    # (flagged though the outcome is negative) or wrongly withholds a favourable one, then the
    # rest by the size of the gap.
    wrongful = (("false_negative_rate", "true_positive_rate") if result.parameters.get("positive_is_favorable", True)
                else ("false_positive_rate", "true_negative_rate"))
    rank = {"selection_rate": 0, **dict.fromkeys(wrongful, 1)}
    units = _gap_units(result)
    drafts = []
    for key, rows in adverse.items():
        attribute, label = key
        intersection = len(_components(result, attribute)) > 1
        vuln = tuple(vulnerable_map.get(key, ()))
        reference = rows[0].reference if rows else ff[key]["best_group"]
        rows = sorted(rows, key=lambda r: (SEVERITIES.index(_entry_severity(r, tolerance, units)) * -1,
                                           rank.get(r.metric, 2), -abs(r.difference)))
        severities = [_entry_severity(r, tolerance, units) for r in rows]
        severity = max(severities, key=SEVERITIES.index, default="low")
        if vuln:
            severity = _bump(severity)
        kind = _entry_type(rows[0].metric, intersection, rows[0].verdict) if rows else "possible_disparity"
        provisions = []
        for r in rows:
            for p in FINDING_PROVISIONS[_entry_type(r.metric, intersection, r.verdict)]:
                if p not in provisions:
                    provisions.append(p)
        for p in FINDING_PROVISIONS[kind] + (("D7",) if vuln else ()):
            if p not in provisions:
                provisions.append(p)
        group = group_name(attribute, label)
        n = sizes[key] if pub.size(*key) else None
        four: dict = ff.get(key) or {}
        # a group too small to assess never drives a four-fifths statement, and the
        # statement needs both groups' selection rates (and the group's size) published
        four_shown = (bool(four) and bool(four["flagged"]) and (attribute, four["best_group"]) not in small
                      and _four_fifths_published(pub, key, four, rate))
        metrics = tuple({"metric": r.metric, "verdict": r.verdict, "severity": s,
                         **{k: _finite(getattr(r, k)) for k in _EVIDENCE}} for r, s in zip(rows, severities))
        evidence: dict = {}
        if rows and len({_key(r.reference) for r in rows}) > 1:
            # reference="best" picks a reference per metric: name each one
            items = "; ".join(_metric_item(r, lang, level, text(lang, "finding_item_reference",
                                                                  reference=group_name(attribute, r.reference)),
                                           classes, result.options.tolerance) for r in rows)
            possible = all(r.verdict == "possible_disparity" for r in rows)
            sentence = text(lang, "finding_group_mixed_possible" if possible else "finding_group_mixed",
                            group=group, items=items)
        elif rows:
            items = "; ".join(_metric_item(r, lang, level, classes=classes, tolerance=result.options.tolerance)
                              for r in rows)
            lead = ("finding_auc_lead" if rows[0].metric == "roc_auc" and rows[0].difference < 0
                    and rows[0].verdict == "disparity" else "finding_group")
            if all(r.verdict == "possible_disparity" for r in rows):
                lead = "finding_group_possible"  # a gap not shown significant is no established fact
            sentence = text(lang, lead, group=group, reference=group_name(attribute, reference), items=items)
            if any(r.verdict == "disparity" for r in rows):
                screened = result.family_testable < result.family_size
                sentence += " " + text(lang, "sig_disparity_screened" if screened else "sig_disparity",
                                       family_size=integer(result.family_size, lang),
                                       counted=integer(result.family_testable, lang))
            if any(r.verdict == "possible_disparity" for r in rows):
                sentence += " " + text(lang, "sig_possible", n=t["suppressed"] if n is None else integer(n, lang))
            evidence = {k: _finite(getattr(rows[0], k)) for k in _EVIDENCE}
            evidence.update(test=rows[0].test, verdict=rows[0].verdict)
            within = within_comparisons(result, attribute, label, reference, [r.metric for r in rows], pub, small)
            if within:
                sentence += within_sentence(within, lang, level, classes)
                evidence["within"] = within
        else:
            only = "finding_four_fifths_only_amounts" if family == "regression" else "finding_four_fifths_only"
            sentence = text(lang, only, group=group,
                            value=percent(four["favourable_rate"], lang))
            evidence = {"value": _finite(four["favourable_rate"])}
        score = max((abs(r.difference) for r in rows if r.verdict == "disparity"), default=0.0)
        if four_shown:
            sentence += _four_fifths_clause(lang, four, attribute, weighted, sizes[key], result)
            evidence.update(impact_ratio=_finite(four["impact_ratio"]), shortfall=_finite(four["shortfall"]))
        if vuln:
            sentence += text(lang, "finding_small_vulnerable")
        drafts.append(Finding("", kind, severity, attribute, label, reference, rows[0].metric if rows else
                              "selection_rate", n, sentence, tuple(provisions), vuln,
                              False, evidence, metrics, (), score))
    return _explain(result, drafts, lang, tolerance)


def _key(label):
    return tuple(label) if isinstance(label, (list, tuple)) else (label,)


def _components(result, attribute):
    g = next((g for g in result.groupings if g.name == attribute), None)
    return tuple(g.attributes) if g is not None else (attribute,)


def _explain(result, drafts, lang, tolerance):
    """Mark intersectional findings whose every gap a component group's finding also shows.

    ``explained_by`` temporarily holds (attribute, group) keys; ids are given after sorting.
    """
    # a pair (TPR and FNR, ...) may be shown in either form; its gaps have one size
    marginal = {(f.attribute, f.group): {_primary(m["metric"]): m["difference"] for m in f.metrics}
                for f in drafts if len(_components(result, f.attribute)) == 1 and f.metrics}
    out = []
    for f in drafts:
        attrs = _components(result, f.attribute)
        if len(attrs) == 1 or not f.metrics or not isinstance(f.group, tuple):
            out.append(f)
            continue
        parts = [(a, v) for a, v in zip(attrs, f.group)]
        used = []
        for m in f.metrics:
            found = [p for p in parts if p in marginal and _primary(m["metric"]) in marginal[p]
                     and abs(m["difference"]) <= abs(marginal[p][_primary(m["metric"])]) + tolerance]
            if not found:
                used = []
                break
            used += [p for p in found if p not in used]
        out.append(Finding(f.id, f.type, f.severity, f.attribute, f.group, f.reference, f.metric, f.n, f.sentence,
                           f.provisions, f.vulnerable, f.suppressed, f.evidence, f.metrics, tuple(used), f.score,
                           f.threshold))
    return out


def _primary(metric: str) -> str:
    """The metric a complement (FNR, TNR, ...) complements; other metrics themselves."""
    return get_metric(metric).complement_of or metric


def _four_fifths_clause(lang, row, attribute, weighted, n, result=None):
    if result is not None and result.counts.family == "regression":
        from .._tables._moment import median_of

        side = "scoring_side_high" if result.options.positive_is_favorable else "scoring_side_low"
        median = value_text("mean_prediction", median_of(result.counts), lang)
        return text(lang, "finding_four_fifths_scoring", side=text(lang, side, median=median),
                    ratio=ratio_text(row["impact_ratio"], lang, row["threshold"]),
                    best=group_name(attribute, row["best_group"]),
                    threshold=number(row["threshold"], lang, 2))
    key = "finding_four_fifths_weighted" if weighted else "finding_four_fifths"
    return text(lang, key, ratio=ratio_text(row["impact_ratio"], lang, row["threshold"]),
                best=group_name(attribute, row["best_group"]), threshold=number(row["threshold"], lang, 2),
                shortfall=integer(row["shortfall"], lang), n=integer(n, lang))


def favourable_gaps(result, *, language, suppressed) -> list:
    """Context: flagged gaps in a group's favour whose figures are published, one entry per (grouping, group)."""
    pub = FULL_EDITION if suppressed is None else suppressed
    lang = language
    level = _level(result)
    _, favourable = gap_entries(result, skip=_assessable(result))
    out = []
    for (attribute, label), rows in favourable.items():
        rows = [r for r in rows if pub.comparison(attribute, label, r.metric, r.reference)]
        if not rows:
            continue
        out.append({
            "attribute": attribute, "group": _plain_label(label), "reference": _plain_label(rows[0].reference),
            "disadvantaged": "reference",
            "metrics": [{"metric": r.metric, "verdict": r.verdict, **{k: _finite(getattr(r, k)) for k in _EVIDENCE}}
                        for r in rows],
            "sentence": text(lang, "favourable_gap", group=group_name(attribute, label),
                             reference=group_name(attribute, rows[0].reference),
                             items="; ".join(_metric_item(r, lang, level, classes=class_labels(result))
                                             for r in rows)),
        })
    return out


def _four_fifths_published(pub, key, row, rate="selection_rate") -> bool:
    """Whether a four-fifths statement about ``key`` follows from published figures: the
    group's size (its shortfall is in people) and both groups' selection rates."""
    attribute, label = key
    return (pub.size(attribute, label) and pub.metric(attribute, label, rate)
            and pub.metric(attribute, row["best_group"], rate))


def too_small_groups(result, suppressed=None) -> set:
    """(attribute, group) pairs too small to assess.

    Too small: the core marks the group not assessable, the published edition withholds
    its size (``suppressed``, a :class:`~._published.Publication`), or its selection-rate
    comparison is not significant and has a minimum detectable difference (80% power)
    above twice the tolerance (or none), so even a gap the report would call large would
    probably go unnoticed. Less than 80% power at the tolerance alone is not enough: a
    group of a few hundred people can be assessed for gaps that matter.
    """
    pub = FULL_EDITION if suppressed is None else suppressed
    d = result.disparities
    rows = d[(d["metric"] == "selection_rate") & (d["verdict"] != "reference")]
    mdd = rows["min_detectable_difference"].to_numpy(dtype=float)
    blind = ~rows["verdict"].isin(["disparity"]).to_numpy() & ~(mdd <= 2 * result.options.tolerance)
    out = {k for k, b in zip(zip(rows["attribute"], rows["group"]), blind) if b}
    if pub is not FULL_EDITION:
        out |= {(r.attribute, r.group) for r in result.group_metrics.itertuples(index=False)
                if not pub.size(r.attribute, r.group)}
    return out | _assessable(result)


def _too_small(result, lang, vulnerable_map, pub, small):
    """Marginal groups, and every group the Declaration names, too small to assess.

    The power verdict is stated only where it follows from published figures (the
    group's size and its selection-rate comparison); any other such group gets one
    neutral finding: no size, no reason, no threshold.
    """
    d = result.disparities
    sizes = {(r.attribute, r.group): int(r.n) for r in result.group_metrics.itertuples(index=False)}
    out = []
    rows = d[(d["metric"] == "selection_rate") & (d["verdict"] != "reference")]
    intersections: dict = {}
    withheld: dict = {}
    for row in rows.to_dict(orient="records"):
        key = (row["attribute"], row["group"])
        attribute, label = key
        vuln = tuple(vulnerable_map.get(key, ()))
        if key not in small or (len(_components(result, attribute)) > 1 and not vuln):
            continue
        hidden = not (pub.size(attribute, label)
                      and pub.comparison(attribute, label, "selection_rate", row["reference"]))
        if len(_components(result, attribute)) > 1:
            (withheld if hidden else intersections).setdefault(attribute, []).append((label, vuln))
            continue
        mdd = row["min_detectable_difference"]
        if hidden:
            sentence = text(lang, "finding_small_suppressed", group=group_name(attribute, label))
        else:
            sentence = text(lang, "finding_small", group=group_name(attribute, label), n=integer(sizes[key], lang),
                            mdd=bare_points(mdd, lang).lstrip("+") if mdd is not None and not np.isnan(mdd) else "—")
        if vuln:
            sentence += text(lang, "finding_small_vulnerable")
        out.append(Finding("", "group_too_small", "low", attribute, label, row["reference"],
                           "selection_rate", None if hidden else int(sizes[key]), sentence,
                           FINDING_PROVISIONS["group_too_small"], vuln, hidden,
                           {} if hidden else {"power": _finite(row["power"]),
                                              "min_detectable_difference": _finite(mdd)}))
    # Intersections the Declaration names: one finding per intersection, not one per
    # combination (six attributes make thousands of tiny combinations); the groups whose
    # figures are withheld in another, neutral one.
    for source, key, hidden in ((intersections, "finding_small_intersection", False),
                                (withheld, "finding_withheld_intersection", True)):
        for attribute, items in source.items():
            cats = tuple(dict.fromkeys(c for _, vuln in items for c in vuln))
            names = ", ".join(" & ".join(map(str, label)) for label, _ in items[:_LISTED])
            more = (text(lang, "finding_small_more", n=integer(len(items) - _LISTED, lang))
                    if len(items) > _LISTED else "")
            sentence = text(lang, key, n=integer(len(items), lang), attribute=attribute,
                            groups=names, more=more) + text(lang, "finding_small_vulnerable_many")
            out.append(Finding("", "group_too_small", "low", attribute, None, None, "selection_rate", None, sentence,
                               FINDING_PROVISIONS["group_too_small"], cats, hidden,
                               {"groups": [_plain_label(label) for label, _ in items]}))
    return out


_LISTED = 10  # groups named in a summary sentence; the JSON evidence lists them all


def _missing(result, lang, suppressed):
    """Missing protected values per attribute; a withheld count (the size of the missing-value group) is not stated."""
    out = []
    for attribute, n in result.missing.items():
        if not n or attribute == result.parameters.get("control"):
            continue
        axis = result.counts.attributes.index(attribute) if attribute in result.counts.attributes else None
        label = None if axis is None else result.counts.missing_labels[axis]
        hidden = suppressed is not FULL_EDITION and (label is None or not suppressed.size(attribute, label))
        share = n / result.n_rows
        # Severity follows the share only where the share is published.
        severity = "low" if hidden else "medium" if share >= 0.05 else "low"
        withheld = TEXTS[lang]["suppressed"]
        sentence = text(lang, "finding_missing", n=withheld if hidden else integer(n, lang),
                        share=withheld if hidden else percent(share, lang), attribute=attribute)
        out.append(Finding("", "missing_protected_data", severity, attribute, None, None, None,
                           None if hidden else int(n), sentence, FINDING_PROVISIONS["missing_protected_data"], (),
                           hidden, {} if hidden else {"share": share}))
    return out


def max_severity(findings) -> str:
    """The highest severity among findings, "none" without findings."""
    return max((f.severity for f in findings), key=SEVERITIES.index, default="none")
