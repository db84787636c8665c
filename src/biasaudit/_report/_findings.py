"""Findings: each notable comparison of an audit as a typed, graded, cited statement.

Severity rules (documented in docs/reports.md):
- a ``disparity`` verdict is ``high`` when the gap is large in practice (ratio outside
  [0.8, 1.25], or an absolute gap of at least twice the tolerance), else ``medium``;
- a ``possible_disparity`` verdict, a four-fifths flag without a significant gap, a group
  too small to assess and missing protected data are ``low`` (missing data ``medium`` from
  5% of the rows);
- findings about a group the Declaration names (D7) are raised one level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._metrics import get_metric
from ._declaration import FINDING_PROVISIONS
from ._published import FULL_EDITION
from ._texts import TEXTS, bare_points, integer, number, percent, points, pvalue, text

__all__: list[str] = []

SEVERITIES = ("none", "low", "medium", "high")
_PREDICTIVE = {"positive_predictive_value", "negative_predictive_value"}


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

    def to_dict(self) -> dict:
        return {
            "id": self.id, "type": self.type, "severity": self.severity, "attribute": self.attribute,
            "group": _plain_label(self.group), "reference": _plain_label(self.reference), "metric": self.metric,
            "n": self.n, "suppressed": self.suppressed, "vulnerable": list(self.vulnerable),
            "provisions": list(self.provisions), "sentence": self.sentence, "evidence": self.evidence,
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


def build_findings(result, *, language, vulnerable_map, suppressed, min_cell) -> list[Finding]:
    """Findings of an audit, most severe first.

    ``suppressed`` is the published edition's :class:`~._published.Publication`; None for
    the regulator's annex, which withholds nothing. A comparison whose figures are
    withheld gives no finding: its verdict and severity would narrow the withheld counts.
    """
    public = suppressed is not None
    suppressed = suppressed if public else FULL_EDITION
    lang = language
    t = TEXTS[lang]
    tolerance = result.options.tolerance
    d = result.disparities
    metrics = set(result.metrics)
    ff = {(r.attribute, r.group): r._asdict() for r in result.four_fifths.itertuples(index=False)}
    sizes = {(r.attribute, r.group): int(r.n) for r in result.group_metrics.itertuples(index=False)}
    family = result.family_size
    drafts = []
    covered_selection = set()
    for row in d.itertuples(index=False):
        m = get_metric(row.metric)
        if row.verdict not in ("disparity", "possible_disparity") or m.complement_of in metrics:
            continue
        key = (row.attribute, row.group)
        vuln = tuple(vulnerable_map.get(key, ()))
        if not suppressed.comparison(row.attribute, row.group, row.metric, row.reference):
            continue
        hidden = False
        intersection = " & " in row.attribute
        if row.verdict == "possible_disparity":
            kind, severity = "possible_disparity", "low"
        else:
            kind = ("intersectional_disparity" if intersection else "selection_rate_disparity"
                    if m.name == "selection_rate" else "predictive_value_disparity" if m.name in _PREDICTIVE
                    else "error_rate_disparity")
            large = (not np.isnan(row.ratio) and not 0.8 <= row.ratio <= 1.25) or abs(row.difference) >= 2 * tolerance
            severity = "high" if large else "medium"
        if vuln:
            severity = _bump(severity)
        n = sizes[key] if suppressed.size(*key) else None
        fields = {
            "group": group_name(row.attribute, row.group), "metric": t["metric_name"][m.name],
            "metric_lower": t["metric_name"][m.name].lower(), "verdict": t["verdict"][row.verdict],
        }
        evidence = {}
        if hidden:
            sentence = text(lang, "finding_suppressed", **fields)
        else:
            ratio = text(lang, "finding_ratio", ratio=number(row.ratio, lang, 2)) if not np.isnan(row.ratio) else ""
            sentence = text(lang, "finding_rate", **fields, value=percent(row.value, lang),
                            ref_value=percent(row.reference_value, lang),
                            reference=group_name(row.attribute, row.reference),
                            meaning=t["meaning_of"][m.name], diff=points(row.difference, lang),
                            low=bare_points(row.ci_low, lang), high=bare_points(row.ci_high, lang), ratio=ratio)
            if row.verdict == "disparity":
                sentence += " " + text(lang, "sig_disparity", family_size=family, p=pvalue(row.pvalue_adjusted, lang))
            else:
                sentence += " " + text(lang, "sig_possible", n=t["suppressed"] if n is None else integer(n, lang),
                                       p=pvalue(row.pvalue_adjusted, lang))
            evidence = {k: _finite(getattr(row, k)) for k in (
                "value", "reference_value", "difference", "ci_low", "ci_high", "ratio", "ratio_ci_low",
                "ratio_ci_high", "statistic", "pvalue", "pvalue_adjusted", "power", "min_detectable_difference")}
            evidence["test"] = row.test
            evidence["verdict"] = row.verdict
            best_hidden = key in ff and not (suppressed.size(*key) and suppressed.metric(
                row.attribute, ff[key]["best_group"], "selection_rate"))
            if m.name == "selection_rate" and key in ff and bool(ff[key]["flagged"]) and not best_hidden:
                sentence += _four_fifths_clause(lang, ff[key], row.attribute)
                evidence.update(impact_ratio=_finite(ff[key]["impact_ratio"]), shortfall=_finite(ff[key]["shortfall"]))
                covered_selection.add(key)
        if vuln:
            sentence += text(lang, "finding_small_vulnerable")
        drafts.append(Finding("", kind, severity, row.attribute, row.group, row.reference, m.name, n, sentence,
                              FINDING_PROVISIONS[kind] + (("D7",) if vuln and "D7" not in FINDING_PROVISIONS[kind]
                                                          else ()), vuln, hidden, evidence))
    drafts += _four_fifths_only(result, lang, covered_selection, vulnerable_map, suppressed)
    drafts += _too_small(result, lang, vulnerable_map, suppressed, min_cell)
    drafts += _missing(result, lang, suppressed)
    order = {s: i for i, s in enumerate(reversed(SEVERITIES))}
    drafts.sort(key=lambda f: (order[f.severity], not f.vulnerable, -abs((f.evidence or {}).get("difference") or 0)))
    return [Finding(f"F{i:02d}", *(getattr(f, k) for k in list(Finding.__dataclass_fields__)[1:]))
            for i, f in enumerate(drafts, start=1)]


def _four_fifths_clause(lang, row, attribute):
    return text(lang, "finding_four_fifths", ratio=number(row["impact_ratio"], lang, 2),
                best=group_name(attribute, row["best_group"]), threshold=number(row["threshold"], lang, 2),
                shortfall=integer(row["shortfall"], lang))


def _four_fifths_only(result, lang, covered, vulnerable_map, suppressed):
    out = []
    t = TEXTS[lang]
    for row in result.four_fifths.itertuples(index=False):
        key = (row.attribute, row.group)
        if not row.flagged or key in covered or not (
                suppressed.size(*key) and suppressed.metric(row.attribute, row.group, "selection_rate")
                and suppressed.metric(row.attribute, row.best_group, "selection_rate")):
            continue
        vuln = tuple(vulnerable_map.get(key, ()))
        severity = _bump("low") if vuln else "low"
        sentence = (group_name(row.attribute, row.group) + ": " + t["metric_name"]["selection_rate"] + " "
                    + percent(row.favourable_rate, lang) + "." + _four_fifths_clause(lang, row._asdict(), row.attribute))
        if vuln:
            sentence += text(lang, "finding_small_vulnerable")
        out.append(Finding("", "possible_disparity", severity, row.attribute, row.group, row.best_group,
                           "selection_rate", int(row.n), sentence, FINDING_PROVISIONS["possible_disparity"]
                           + (("D7",) if vuln else ()), vuln, False,
                           {"impact_ratio": _finite(row.impact_ratio), "shortfall": _finite(row.shortfall),
                            "value": _finite(row.favourable_rate)}))
    return out


def _too_small(result, lang, vulnerable_map, suppressed, min_cell):
    """Marginal groups, and every group the Declaration names, too small to assess."""
    d = result.disparities
    sizes = {(r.attribute, r.group): int(r.n) for r in result.group_metrics.itertuples(index=False)}
    out = []
    for row in d[d["metric"] == "selection_rate"].to_dict(orient="records"):
        key = (row["attribute"], row["group"])
        attribute, label = key
        vuln = tuple(vulnerable_map.get(key, ()))
        if row["verdict"] == "reference" or (" & " in attribute and not vuln):
            continue
        # The power verdict is stated only where it follows from published figures;
        # a group whose size is withheld gets one neutral finding instead.
        hidden = not suppressed.size(*key)
        shown = suppressed.comparison(attribute, label, "selection_rate", row["reference"])
        too_small = hidden or (shown and row["verdict"] == "inconclusive" and row["power"] < 0.8)
        if not too_small:
            continue
        if hidden:
            sentence = text(lang, "finding_small_suppressed", group=group_name(attribute, label))
        else:
            sentence = text(lang, "finding_small", group=group_name(attribute, label), n=integer(sizes[key], lang),
                            mdd=points(row["min_detectable_difference"], lang).lstrip("+"))
        if vuln:
            sentence += text(lang, "finding_small_vulnerable")
        out.append(Finding("", "group_too_small", _bump("low") if vuln else "low", attribute, label, row["reference"],
                           "selection_rate", None if hidden else int(sizes[key]), sentence,
                           FINDING_PROVISIONS["group_too_small"], vuln, hidden,
                           {} if hidden else {"power": _finite(row["power"]),
                                              "min_detectable_difference": _finite(row["min_detectable_difference"])}))
    return out


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
