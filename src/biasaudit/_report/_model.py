"""The report as one plain dict: every renderer (HTML, Markdown, JSON, CSV) reads this model.

No row-level data ever enters the model: only the audit's group counts, rates and tests.
In the published edition, every figure is checked against the disclosure control of all
groupings at once (:mod:`._published`): a group's size, each of its rates (with its
interval) and each comparison (which needs the reference's rate too) is shown only if
its counts may be published; an impact ratio needs both groups' selection rates, a
max-min criterion every group's rates. Withheld figures are null, with one neutral
marker: nothing says why, or how small.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
from datetime import datetime, timezone
from importlib import metadata as importlib_metadata

import numpy as np

from .._metrics import get_metric
from .._score_audit import decision_audits
from ._declaration import FINDING_PROVISIONS, PROVISIONS, REPORT_PROVISIONS, TITLE_AZ, TITLE_EN
from ._findings import SEVERITIES, build_findings, counted_metrics, favourable_gaps, max_severity
from ._harm import disadvantaged
from ._published import publication
from ._task_model import task_model
from ._texts import CORRECTION_NAMES, TEXTS, integer, number, percent, text
from ._units import class_labels, metric_label
from ._vulnerable import vulnerable_groups

__all__: list[str] = []

SCHEMA_VERSION = "1.2"
SCOPE_FIELDS = ("system", "decision", "favourable_outcome", "population", "auditor", "independence",
                "commissioned_by", "period", "data_source", "contact")
_DEPENDENCIES = ("biasaudit", "numpy", "pandas", "scipy", "jinja2", "matplotlib")


def _plain(obj):
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    return obj


def _versions() -> dict:
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in _DEPENDENCIES:
        try:
            out[name] = importlib_metadata.version(name)
        except importlib_metadata.PackageNotFoundError:
            out[name] = None
    return out


def config_hash(result, metadata, options) -> str:
    """SHA-256 of everything that determines the report's content except the data."""
    blob = json.dumps(_plain({"parameters": result.parameters, "metadata": metadata, "options": options,
                              "biasaudit": _versions()["biasaudit"]}), sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _nouns(lang: str, **counts: int) -> dict:
    """``{name}_noun``: the noun to write after each count (one grouping, 3 groupings)."""
    forms = TEXTS[lang]["nouns"]
    return {f"{name}_noun": forms[name][0 if n == 1 else 1] for name, n in counts.items()}


def annex_max_severity(result, *, vulnerable, min_cell) -> str:
    """The highest severity of the regulator's annex: the findings with nothing withheld."""
    vulnerable_map = vulnerable_groups(result.groupings, vulnerable)
    return max_severity(build_findings(result, language="en", vulnerable_map=vulnerable_map, suppressed=None,
                                       min_cell=min_cell))


def build_model(result, *, metadata, language, vulnerable, min_cell, full, generated_at=None) -> dict:
    """The report model of an audit result."""
    t = TEXTS[language]
    lang = language
    params = result.parameters
    generated_at = generated_at or datetime.now(timezone.utc)
    vuln = vulnerable_groups(result.groupings, vulnerable)
    hidden = None if full else publication(result, min_cell=min_cell)
    findings = build_findings(result, language=lang, vulnerable_map=vuln, suppressed=hidden, min_cell=min_cell)
    context = favourable_gaps(result, language=lang, suppressed=hidden)
    options = {"language": lang, "min_cell": min_cell, "edition": "regulator_annex" if full else "public",
               "vulnerable": vulnerable if isinstance(vulnerable, dict) else vulnerable}
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES[1:]}
    top = [f.sentence for f in findings[:1] if f.severity in ("high", "medium")]
    summary = [text(lang, {"score": "summary_counts_score", "regression": "summary_counts_regression",
                           "multiclass": "summary_counts_classes", "multiclass_decisions": "summary_counts_classes"}.get(
                        result.counts.family, "summary_counts"), n_rows=integer(result.n_rows, lang),
                    n_groupings=len(result.groupings), attributes=", ".join(_audited(result)),
                    family_size=integer(result.family_size, lang), n_findings=len(findings), n_high=counts["high"],
                    n_medium=counts["medium"], n_low=counts["low"],
                    **_nouns(lang, groupings=len(result.groupings), comparisons=result.family_size,
                             findings=len(findings)))]
    decisions = decision_audits(result)
    swept = [sub.family_size for spec, _, sub in decisions if spec is not None]
    given = [sub.family_size for spec, _, sub in decisions if spec is None]
    if swept:
        summary.append(text(lang, "summary_thresholds" if len(swept) > 1 else "summary_threshold_one",
                            n_thresholds=len(swept), n_comparisons=integer(sum(swept), lang)))
    if given:
        summary.append(text(lang, "summary_given", n_comparisons=integer(given[0], lang)))
    if not top:
        # low findings alone are no "none": the summary must not contradict section 8
        summary.append(text(lang, "summary_only_low", section=t["sec_findings"])
                       if findings else text(lang, "summary_none"))
    if hidden is not None and (hidden.withheld() or any(
            publication(sub, min_cell=min_cell).withheld() for _, _, sub in decisions)):
        # no finding is given for a withheld comparison: say that such findings may exist,
        # whether or not they do (saying which would narrow the withheld counts)
        summary.append(text(lang, "summary_withheld", section=t["sec_small"]))
    model = {
        "schema_version": SCHEMA_VERSION,
        "report": {
            "title": t["title"],
            "edition": options["edition"],
            "edition_label": t["edition_annex"] if full else t["edition_public"],
            "confidential_banner": t["annex_banner"] if full else None,
            "language": lang,
            "generated_at_utc": generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "min_cell": min_cell,
        },
        "summary": {
            "sentences": summary,
            "statements": [t["not_certify"], t["not_unlawful"]],
            "max_severity": max_severity(findings),
            "family_size": result.family_size,
            "family_testable": result.family_testable,
            "findings_by_severity": counts,
            "executive": _executive(findings),
        },
        "scope": _scope(metadata, params, lang, result.counts.family),
        "data": _data(result, metadata, lang, hidden),
        "groups": _groups(result, t),
        "metrics": _metric_rows(result, lang),
        "task": task_model(result, hidden, min_cell),
        "thresholds": _thresholds(result, lang, min_cell),
        "results": _results(result, hidden, vuln, full),
        "four_fifths": _four_fifths(result, hidden),
        "criteria": _criteria(result, hidden),
        "findings": [f.to_dict() for f in findings],
        "context": {"favourable_gaps": context},
        "small_groups": {
            "min_cell": min_cell,
            "suppressed": [] if hidden is None else [{"attribute": a, "group": _label(g)} for a, g in hidden.withheld()],
            "underpowered": _underpowered(result),
            # a sparse audit's published edition withholds its intersections whole (see _published)
            "withheld_whole": ([g.name for g in result.groupings if len(g.attributes) > 1]
                               if hidden is not None and result.counts.is_sparse else []),
        },
        # several sets of decisions are protected one by one: say what that leaves unchecked
        "limitations": _limitations(result, metadata, lang) + (
            [t["limit_thresholds"]] if len(decisions) > 1 and not full else []),
        "recommendations": _recommendations(findings, lang),
        "declaration": _declaration(findings),
        "annex": {
            "versions": _versions(),
            "parameters": _tidy({k: v for k, v in params.items() if k != "seed"}),
            "seed": _seed(params),
            "config_sha256": config_hash(result, metadata, options),
            "schema_version": SCHEMA_VERSION,
        },
    }
    return _plain(model)


def _metric_rows(result, lang):
    """Name, formula and meaning of each audited metric; a per-class metric named after its class."""
    t = TEXTS[lang]
    classes = class_labels(result)
    out = []
    for m in result.metrics:
        entry = get_metric(m)
        if entry.kind == "count":
            continue
        label = metric_label(m, lang, classes)
        out.append({"name": m, "label": label, "formula": entry.formula,
                    "meaning": t["meaning_of"][m] if "[" not in m else label})
    return out


_EXECUTIVE = 5  # findings in the executive summary: the page a reader sees first


def _executive(findings):
    """The few most important adverse findings, with their numbers, for the first page."""
    out = []
    for f in findings:
        if f.severity not in ("high", "medium") or not (f.metrics or f.suppressed) or len(out) == _EXECUTIVE:
            continue
        out.append({"id": f.id, "severity": f.severity, "attribute": f.attribute, "group": _label(f.group),
                    "reference": _label(f.reference), "vulnerable": list(f.vulnerable), "suppressed": f.suppressed,
                    "threshold": f.threshold, "decisions": f.evidence.get("decisions"),
                    "metrics": [{k: m[k] for k in ("metric", "verdict", "value", "reference_value", "difference")}
                                for m in f.metrics],
                    # a reference two attributes away mixes two contrasts: the first page shows the
                    # lead metric one attribute at a time too, as the finding does
                    "within": [{"attribute": w["attribute"], "group": w["group"], **w["metrics"][0]}
                               for w in f.evidence.get("within", [])]})
    return out


def _records(frame) -> list:
    """Rows as dicts, values as ``itertuples`` gives them, column by column rather than row by row
    (199,297 groups: 25 s -> a few; Arrow-backed columns iterate slowly element by element)."""
    columns = list(frame.columns)
    values = [frame[c].to_numpy().tolist() if frame[c].dtype.kind in "fiub" else frame[c].to_numpy(dtype=object)
              for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)] if columns else [{} for _ in range(len(frame))]


def _underpowered(result) -> int:
    """Inconclusive comparisons with less than 80% power, complementary metrics counted once."""
    d = result.disparities
    d = d[d["metric"].isin(counted_metrics(result.metrics))]
    return int(((d["verdict"] == "inconclusive") & (d["power"] < 0.8)).sum())


def _tidy(obj):
    """Floats rounded to 12 significant digits, so 0.05 shows as 0.05, not 0.050000000000000044."""
    if isinstance(obj, dict):
        return {k: _tidy(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_tidy(v) for v in obj]
    if isinstance(obj, float) and math.isfinite(obj):
        return float(f"{obj:.12g}")
    return obj


def _seed(params):
    """The one seed that reproduces the audit (``rng=seed``): the user's integer ``rng`` or the drawn one."""
    return params.get("seed")


def _references(result, t):
    """Each grouping's reference group in words: 'race: Caucasian', 'sex: Male (the largest group)'."""
    rule = result.parameters["reference"]
    d = result.disparities
    refs = d[d["verdict"] == "reference"].drop_duplicates("attribute")
    used = dict(zip(refs["attribute"], refs["group"]))
    out = []
    for g in result.groupings:
        given = rule.get(g.name) if isinstance(rule, dict) else rule
        label = used.get(g.name)
        shown = " & ".join(map(str, label)) if isinstance(label, tuple) else (str(label) if label is not None
                                                                               else t["ref_rule"]["overall"])
        if isinstance(given, str) and given in t["ref_rule"] and label is not None:
            shown += f" ({t['ref_rule'][given]})"
        out.append({"attribute": g.name, "text": f"{g.name}: {shown}"})
    return out


def _label(label):
    return list(label) if isinstance(label, tuple) else label


def _audited(result):
    return [a for a in result.counts.attributes if a != result.parameters.get("control")]


def _scope(metadata, params, lang, family):
    t = TEXTS[lang]
    scope = {k: (metadata or {}).get(k) for k in SCOPE_FIELDS}
    if scope["favourable_outcome"] is None:
        favourable = params["positive_is_favorable"]
        if family == "regression":
            scope["favourable_outcome"] = t["favourable_amount_high" if favourable else "favourable_amount_low"]
        elif family in ("multiclass", "multiclass_decisions"):
            scope["favourable_outcome"] = t["favourable_classes_unstated"]
        else:
            key = "favourable_positive" if favourable else "favourable_negative"
            scope["favourable_outcome"] = t[key].format(pos_label=params.get("pos_label"))
    return {k: (str(v) if v is not None else None) for k, v in scope.items()}


def _data(result, metadata, lang, hidden):
    missing = {}
    for a, n in result.missing.items():
        missing[a] = TEXTS[lang]["suppressed"] if _missing_withheld(result, a, n, hidden) else n
    return {
        "sha256": result.parameters.get("data_sha256"),
        "source": (metadata or {}).get("data_source"),
        "file_sha256": (metadata or {}).get("file_sha256"),
        "rows_read": (metadata or {}).get("rows_read", result.n_rows),
        "rows_used": result.n_rows,
        "exclusions": (metadata or {}).get("exclusions"),
        "missing": missing,
        "weighted": bool(result.parameters.get("weighted")),
    }


def _missing_withheld(result, attribute, n, hidden) -> bool:
    """Whether the count of missing values of ``attribute`` is withheld: it is the size of its missing-value group."""
    if hidden is None or not n:
        return False
    label = result.counts.missing_labels[result.counts.attributes.index(attribute)] \
        if attribute in result.counts.attributes else None
    return label is None or not hidden.size(attribute, label)


def _groups(result, t):
    singles = [g for g in result.groupings if len(g.attributes) == 1]
    return {
        "attributes": [{"name": g.name, "groups": [_label(x) for x in g.labels],
                        "missing_label": next((m for a, m in zip(result.counts.attributes, result.counts.missing_labels)
                                               if a == g.name and m is not None), None)} for g in singles],
        "intersections": [g.name for g in result.groupings if len(g.attributes) > 1],
        "empty": [{"attribute": " & ".join(a), "count": n} for a, n in result.empty_groups if n],
        "reference": result.parameters["reference"],
        "references": _references(result, t),
        "control": result.parameters.get("control"),
    }


def _thresholds(result, lang, min_cell):
    t = TEXTS[lang]
    p = result.parameters
    return [
        {"name": t["th_four_fifths"], "value": number(p["four_fifths_threshold"], lang, 2),
         "source": t["th_four_fifths_src"], "status": t["th_four_fifths_status"]},
        {"name": t["th_alpha"], "value": number(p["alpha"], lang, 3), "source": t["th_alpha_src"],
         "status": t["th_alpha_status"]},
        {"name": t["th_correction"], "value": CORRECTION_NAMES[lang][p["correction"]],
         "source": t["th_alpha_src"], "status": t["th_correction_status"]},
        {"name": t["th_tolerance"], "value": number(p["tolerance"], lang, 3), "source": t["th_tolerance_status"],
         "status": t["th_tolerance_status"]},
        {"name": t["th_band"], "value": number(0.8, lang, 2) + " – " + number(1.25, lang, 2),
         "source": t["th_band_src"], "status": t["th_four_fifths_status"]},
        {"name": t["th_power"], "value": percent(0.8, lang, 0), "source": t["th_power_src"],
         "status": t["th_alpha_status"]},
        {"name": t["th_min_cell"], "value": str(min_cell), "source": t["th_min_cell_src"],
         "status": t["th_min_cell_status"]},
    ]


_COMPARISON = ("reference", "reference_value", "difference", "ci_low", "ci_high", "ratio", "ratio_ci_low",
               "ratio_ci_high", "test", "statistic", "pvalue", "pvalue_adjusted", "power",
               "min_detectable_difference", "verdict")


def _results(result, hidden, vuln, full):
    intervals = {(r["attribute"], r["group"], r["metric"]): r for r in _records(result.rate_intervals())}
    if result.counts.family == "score":  # AUC (DeLong, logit) and observed / expected intervals
        intervals.update({(r["attribute"], r["group"], r["metric"]): r for r in _records(result.score_intervals())})
    d = {(r["attribute"], r["group"], r["metric"]): r for r in _records(result.disparities)}
    gm = {(r["attribute"], r["group"]): r for r in _records(result.group_metrics)}
    rates = [m for m in result.metrics if get_metric(m).kind != "count"]
    favourable = bool(result.parameters["positive_is_favorable"])
    out = []
    for g in result.groupings:
        rows = []
        for label in g.labels:
            key = (g.name, label)
            shown_size = full or hidden.size(*key)
            entry = {"group": _label(label), "vulnerable": vuln.get(key, []),
                     "suppressed": not full and key in hidden,
                     "n": int(gm[key]["n"]) if shown_size else None,
                     "weighted_total": float(gm[key]["weighted_total"]) if shown_size else None,
                     "rates": {}, "comparisons": {}}
            for m in rates:
                if not (full or hidden.metric(g.name, label, m)):
                    entry["rates"][m] = None
                    entry["comparisons"][m] = None
                    continue
                ci = intervals.get((g.name, label, m))
                entry["rates"][m] = {"value": gm[key][m],
                                     "ci_low": None if ci is None else ci["ci_low"],
                                     "ci_high": None if ci is None else ci["ci_high"]}
                row = d[(g.name, label, m)]
                if full or hidden.comparison(g.name, label, m, row["reference"]):
                    entry["comparisons"][m] = {k: (_label(row[k]) if k == "reference" else row[k]) for k in _COMPARISON}
                    # whom the gap disadvantages: a flagged gap in the group's favour is no harm to it
                    entry["comparisons"][m]["disadvantaged"] = disadvantaged(m, favourable, row["difference"])
                else:
                    entry["comparisons"][m] = None
            if full:
                entry["counts"] = {c: float(gm[key][c]) for c in
                                   ("true_positives", "false_positives", "true_negatives", "false_negatives")
                                   if c in gm[key]}
            rows.append(entry)
        out.append({"attribute": g.name, "attributes": list(g.attributes), "groups": rows})
    return out


def _four_fifths(result, hidden):
    family = result.counts.family
    if family in ("multiclass", "multiclass_decisions"):
        return []  # no favourable class is named: the shares of each class are in the results
    # amounts: the rates are the scoring rates (Local Law 144)
    rate = "scoring_rate" if family == "regression" else "selection_rate"
    out = []
    for row in result.four_fifths.itertuples(index=False):
        own = hidden is None or hidden.metric(row.attribute, row.group, rate)
        best = hidden is None or hidden.metric(row.attribute, row.best_group, rate)
        size = hidden is None or hidden.size(row.attribute, row.group)
        masked = not (own and best)
        out.append({"attribute": row.attribute, "group": _label(row.group),
                    "best_group": None if masked else _label(row.best_group),
                    "suppressed": masked or not size, "n": int(row.n) if size else None,
                    "favourable_rate": row.favourable_rate if own else None,
                    "impact_ratio": None if masked else row.impact_ratio,
                    "flagged": None if masked else bool(row.flagged),
                    "shortfall": None if masked or not size else row.shortfall, "threshold": row.threshold})
    return out


def _criteria(result, hidden):
    groups = {g.name: g.labels for g in result.groupings}
    out = []
    for row in result.criteria.itertuples(index=False):
        needed = row.metrics.split(", ")
        # A max-min summary bounds every group's rate: it is shown only when all are.
        masked = hidden is not None and not all(hidden.metric(row.attribute, lab, m)
                                                for lab in groups[row.attribute] for m in needed)
        out.append({"attribute": row.attribute, "criterion": row.criterion, "metrics": needed, "suppressed": masked,
                    "difference": None if masked else row.difference, "ratio": None if masked else row.ratio})
    return out


def _limitations(result, metadata, lang):
    t = TEXTS[lang]
    out = [t["limit_cause"]]
    if result.parameters.get("has_y_true"):
        out.append(t["limit_label"])
        out.append(t["limit_criteria"])
    out += [t["limit_scope"], t["limit_small"]]
    absent = [f for f in SCOPE_FIELDS if f not in ("favourable_outcome", "data_source", "contact")
              and not (metadata or {}).get(f)]
    if absent:
        # the fields' names in the reader's language, not the metadata keys
        out.append(text(lang, "limit_metadata", fields=", ".join(t[f"scope_{f}"].lower() for f in absent)))
    return out


def _recommendations(findings, lang):
    t = TEXTS[lang]
    kinds = {f.type for f in findings}
    out = []
    if kinds & {"selection_rate_disparity", "error_rate_disparity", "predictive_value_disparity",
                "intersectional_disparity", "auc_disparity", "miscalibration", "amount_disparity",
                "scoring_rate_disparity"}:
        out.append({"provision": "D4", "text": t["recommend_d4"]})
    out.append({"provision": "D3", "text": t["recommend_d3"]})
    if any(f.evidence.get("shortfall") for f in findings) or "selection_rate_disparity" in kinds:
        out.append({"provision": "D14", "text": t["recommend_d14"]})
    if "group_too_small" in kinds:
        out.append({"provision": "D7", "text": t["recommend_data"]})
    return out


def _declaration(findings):
    cited = {}
    for pid in REPORT_PROVISIONS:
        cited.setdefault(pid, [])
    for f in findings:
        for pid in f.provisions:
            cited.setdefault(pid, []).append(f.id)
    order = sorted(cited, key=lambda p: int(p[1:]))
    return {
        "title_az": TITLE_AZ,
        "title_en": TITLE_EN,
        "provisions": [{"id": p, "original_az": PROVISIONS[p][0], "summary_en": PROVISIONS[p][1],
                        "findings": cited[p]} for p in order],
        "finding_types": {k: list(v) for k, v in FINDING_PROVISIONS.items()},
    }


