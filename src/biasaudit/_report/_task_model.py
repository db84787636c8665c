"""The part of the report model specific to score, regression and multiclass audits.

``model["task"]`` holds, besides the family:

- score audits: each group's calibration (observed rate, mean score, observed/expected
  with its interval, the test of observed = expected and Spiegelhalter's z, with p-values
  adjusted over the calibration tests alone) and the threshold sweep: the decision metrics and the four-fifths table at
  every threshold of the audit (``threshold=``); both calibration tests of every group
  are adjusted together (:func:`._task_findings.calibration_tests`);
- regression audits: the distribution parity (Kolmogorov-Smirnov distance with its
  bound, scoring rate above the full-sample median and its impact ratio, Local Law 144);
- multiclass audits: the class labels (in the order of the ``[k]`` metrics) and the
  omnibus test that the predicted class does not depend on the group.

The per-group values and comparisons of every metric are in ``model["results"]`` as for
binary audits. In the published edition a group's row is shown only where its figures
are (``hidden``, a :class:`~._published.Publication`); a threshold's decisions are shown
for a group only when its size is published and its four-fifths ratio when both groups'
sizes are.
"""

from __future__ import annotations

import math

from ._task_findings import calibration_tests
from ._units import class_labels

__all__ = ["task_model", "THRESHOLD_METRICS"]

THRESHOLD_METRICS = ("selection_rate", "true_positive_rate", "false_positive_rate", "positive_predictive_value")


def _f(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def _label(label):
    return list(label) if isinstance(label, tuple) else label


def task_model(result, hidden, min_cell=10) -> dict:
    """``model["task"]`` of ``result``; ``hidden`` is None in the regulator's annex."""
    family = result.counts.family
    out: dict = {"family": family, "positive_is_favorable": bool(result.options.positive_is_favorable)}
    if family == "score":
        out.update(_score(result, hidden, min_cell))
    elif family == "regression":
        out.update(_regression(result, hidden))
    elif family in ("multiclass", "multiclass_decisions"):
        out.update(_multiclass(result))
    return out


def _shown(hidden, attribute, group, metric=None) -> bool:
    if hidden is None:
        return True
    if metric is None:
        return hidden.size(attribute, group)
    return hidden.size(attribute, group) and hidden.metric(attribute, group, metric)


def _score(result, hidden, min_cell) -> dict:
    from .._tables._score import is_probability

    probability = bool(is_probability(result.counts))
    out: dict = {"probability": probability, "score_mode": result.counts.mode,
                 "calibration": [], "calibration_tests": 0, "sweep": []}
    if probability:
        tests = calibration_tests(result)
        out["calibration_tests"] = tests[0]["n_tests"] if tests else 0
        for r in tests:
            ok = _shown(hidden, r["attribute"], r["group"], "calibration_ratio")
            out["calibration"].append({
                "attribute": r["attribute"], "group": _label(r["group"]), "suppressed": not ok,
                "n": r["n"] if _shown(hidden, r["attribute"], r["group"]) else None,
                **{k: (_f(r[k]) if ok else None) for k in (
                    "mean_score", "observed_rate", "ratio", "ci_low", "ci_high", "z_large", "p_large_adjusted",
                    "z_spiegelhalter", "p_spiegelhalter_adjusted")}})
    from .._score_audit import decision_audits
    from .._thresholds import label as rule_label

    from ._published import publication

    # each threshold's decisions, then the decisions given as y_pred beside the scores
    steps = [(sub, _f(value), "y_pred" if spec is None else rule_label(spec))
             for spec, value, sub in decision_audits(result)]
    for sub, value, rule in steps:
        # each set of decisions is a binary table of its own, protected as one
        pub = None if hidden is None else publication(sub, min_cell=min_cell)
        gm = sub.group_metrics
        groups = []
        for row in gm.to_dict(orient="records"):
            a, lab = row["attribute"], row["group"]
            size = pub is None or pub.size(a, lab)
            shown = {m: size and (pub is None or pub.metric(a, lab, m)) for m in THRESHOLD_METRICS}
            groups.append({"attribute": a, "group": _label(lab), "suppressed": not all(shown.values()),
                           "n": int(row["n"]) if size else None,
                           **{m: (_f(row.get(m)) if shown[m] else None) for m in THRESHOLD_METRICS}})
        ff = []
        for row in sub.four_fifths.itertuples(index=False):
            ok = pub is None or (pub.size(row.attribute, row.group)
                                 and pub.metric(row.attribute, row.group, "selection_rate")
                                 and pub.metric(row.attribute, row.best_group, "selection_rate"))
            ff.append({"attribute": row.attribute, "group": _label(row.group), "suppressed": not ok,
                       "best_group": _label(row.best_group) if ok else None,
                       "favourable_rate": _f(row.favourable_rate) if ok else None,
                       "impact_ratio": _f(row.impact_ratio) if ok else None,
                       "flagged": bool(row.flagged) if ok else None})
        out["sweep"].append({"threshold": value, "rule": rule, "groups": groups,
                             "four_fifths": ff})
    return out


def _regression(result, hidden) -> dict:
    dp = result.distribution_parity
    rows = []
    for row in dp.to_dict(orient="records"):
        ok = _shown(hidden, row["attribute"], row["group"], "scoring_rate") if "scoring_rate" in result.metrics \
            else _shown(hidden, row["attribute"], row["group"])
        ref = row["reference"]
        ref_ok = ref == "(rest)" or _shown(hidden, row["attribute"], ref)
        rows.append({"attribute": row["attribute"], "group": _label(row["group"]), "reference": _label(ref),
                     "suppressed": not (ok and ref_ok), "n": int(row["n"]) if _shown(hidden, row["attribute"],
                                                                                      row["group"]) else None,
                     "ks_distance": _f(row["ks_distance"]) if ok and ref_ok else None,
                     "ks_upper_bound": _f(row["ks_upper_bound"]) if ok and ref_ok else None,
                     "scoring_rate": _f(row["scoring_rate"]) if ok else None,
                     "impact_ratio": _f(row["impact_ratio"]) if ok else None})
    median = _f(dp["median_prediction"].iloc[0]) if len(dp) else None
    return {"median_prediction": median, "distribution": rows}


def _multiclass(result) -> dict:
    tests = result.independence_tests
    omnibus = tests[tests["metric"] == "predicted_class"]
    return {
        "classes": [str(c) for c in class_labels(result)],
        "omnibus": [{"attribute": r.attribute, "method": r.method, "statistic": _f(r.statistic), "dof": _f(r.dof),
                     "pvalue": _f(r.pvalue), "pvalue_asymptotic": _f(r.pvalue_asymptotic)}
                    for r in omnibus.itertuples(index=False)],
    }
