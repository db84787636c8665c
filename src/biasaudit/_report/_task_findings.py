"""Findings of score and multiclass reports that are not gaps between two groups' values.

- **Miscalibration** (score audits with probabilities): each group has two tests, all
  adjusted together (a family of 2 x groups, apart from the group comparisons): observed
  = expected (calibration in the large, ``log(O/E)`` over its robust standard error) and
  Spiegelhalter's z (the scores are the group's outcome probabilities). Only the first
  has a direction: when it rejects, the score over-estimates the group's risk (O/E < 1)
  or under-estimates it (O/E > 1). When only Spiegelhalter's rejects, the scores are
  right on average and wrong in their spread (too extreme or too compressed), which
  harms no side as a whole.
  Over-estimated risk harms the group when a high score is the unfavourable decision
  (``positive_is_favorable=False``) and favours it otherwise; under-estimated risk the
  other way round. Severity: ``high`` when the group is harmed and O/E lies outside
  [0.8, 1.25], ``medium`` when it is harmed, ``low`` when it is favoured or the error is
  in the spread; a group the Declaration names (D7) is raised one level when harmed.
- **Class dependence** (multiclass audits without favourable classes): one finding per
  attribute whose omnibus test rejects independence of predicted class and group. Which
  class is favourable is not stated, so it names the largest per-class gap without
  saying who is harmed (``medium`` when that gap is at least twice the tolerance,
  else ``low``).

Each returns the fields of a :class:`~._findings.Finding` as a dict (``_findings`` builds
them), so this module does not import ``_findings``.
"""

from __future__ import annotations

import math

from .._stats._verdicts import RATIO_BAND
from ._declaration import FINDING_PROVISIONS
from ._texts import CORRECTION_NAMES, TEXTS, integer, number, percent, pvalue, text
from ._units import class_labels, signed_number

__all__ = ["calibration_tests", "task_findings"]

_LEVELS = ("none", "low", "medium", "high")


def _name(attribute, label) -> str:
    shown = " & ".join(str(x) for x in label) if isinstance(label, tuple) else str(label)
    return f"{shown} ({attribute})"


def _f(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def task_findings(result, lang, vulnerable_map, pub, level) -> list[dict]:
    """Miscalibration and class-dependence findings, as dicts of Finding fields."""
    family = result.counts.family
    if family == "score":
        return _miscalibration(result, lang, vulnerable_map, pub, level)
    if family in ("multiclass", "multiclass_decisions"):
        return _class_dependence(result, lang, pub)
    return []


def calibration_tests(result) -> list[dict]:
    """Each group's two calibration tests, adjusted together over all groups.

    Calibration in the large: ``log(O/E) / se`` (the interval's robust standard error)
    tests observed = expected, and gives the direction. Spiegelhalter's z tests that the
    scores are the group's outcome probabilities; it weighs each row by ``1 - 2s``, so it
    is blind to a shift of scores near 0.5, which the first test sees. The 2 x groups
    p-values form one family, corrected by the audit's method, apart from the
    comparisons between groups. Empty when the scores are not probabilities.
    """
    from scipy.special import ndtr

    from .._stats import adjust_pvalues
    from .._tables._score import is_probability

    if not is_probability(result.counts):
        return []
    iv = result.score_intervals()
    calib = iv[iv["metric"] == "calibration_ratio"]
    gm = {(r["attribute"], r["group"]): r for r in result.group_metrics.to_dict(orient="records")}
    rows = []
    for row in calib.itertuples(index=False):
        ratio = float(row.value)
        se_log = float(row.se) / ratio if ratio > 0 else math.nan
        z = math.log(ratio) / se_log if ratio > 0 and se_log > 0 else math.nan
        mean_score = float(gm[(row.attribute, row.group)]["mean_score"])
        rows.append({"attribute": row.attribute, "group": row.group, "n": int(gm[(row.attribute, row.group)]["n"]),
                     "ratio": ratio, "ci_low": float(row.ci_low), "ci_high": float(row.ci_high),
                     "mean_score": mean_score, "observed_rate": mean_score * ratio,
                     "z_large": z, "p_large": float(2 * ndtr(-abs(z))) if not math.isnan(z) else math.nan,
                     "z_spiegelhalter": float(row.statistic), "p_spiegelhalter": float(row.pvalue)})
    pvalues = [r["p_large"] for r in rows] + [r["p_spiegelhalter"] for r in rows]
    tested = [i for i, p in enumerate(pvalues) if not math.isnan(p)]
    adjusted = [math.nan] * len(pvalues)
    if tested:
        done = adjust_pvalues([pvalues[i] for i in tested], method=result.options.correction)
        for i, p in zip(tested, done):
            adjusted[i] = float(p)
    for k, r in enumerate(rows):
        r["p_large_adjusted"], r["p_spiegelhalter_adjusted"] = adjusted[k], adjusted[len(rows) + k]
        r["n_tests"] = len(tested)
    return rows


def _negligible_calibration(r, tolerance) -> bool:
    """Whether a group's error on average is shown to be negligible, by the rule of a disparity's
    verdict: the interval of the difference between its observed outcome rate and its mean
    predicted probability (the O/E interval times the mean) lies inside the tolerance, and
    observed / expected is inside the ratio band (``_stats._verdicts``). At a million rows a
    difference of half a point is significant; like a gap in rates that small, it is no finding
    of its own."""
    low, high = RATIO_BAND
    mean = r["mean_score"]
    return low <= r["ratio"] <= high and -tolerance < mean * (r["ci_low"] - 1.0) \
        and mean * (r["ci_high"] - 1.0) < tolerance


def _miscalibration(result, lang, vulnerable_map, pub, level) -> list[dict]:
    alpha, tolerance = result.options.alpha, result.options.tolerance
    favourable = bool(result.options.positive_is_favorable)
    out = []
    for r in calibration_tests(result):
        key = (r["attribute"], r["group"])
        large, spread = r["p_large_adjusted"] < alpha, r["p_spiegelhalter_adjusted"] < alpha
        negligible = large and _negligible_calibration(r, tolerance)
        large = large and not negligible  # as for a disparity: significant, and not shown to be negligible
        if not (large or spread) or not (pub.size(*key) and pub.metric(*key, "calibration_ratio")):
            continue  # a statement needs the published figures it rests on
        ratio = r["ratio"]
        fields = dict(group=_name(*key), observed=percent(r["observed_rate"], lang),
                      expected=percent(r["mean_score"], lang), ratio=number(ratio, lang, 2), level=level,
                      low=number(r["ci_low"], lang, 2), high=number(r["ci_high"], lang, 2))
        over = large and ratio < 1
        vuln = tuple(vulnerable_map.get(key, ()))
        if large:
            template = "finding_calibration_over" if over else "finding_calibration_under"
            sentence = text(lang, template + ("_chance" if favourable else ""), **fields)
            harms = over != favourable  # over-estimated risk harms when a high score is unfavourable
        elif negligible:
            sentence = text(lang, "finding_calibration_shape_negligible",
                            tolerance=number(100 * tolerance, lang, 1), **fields)
            harms = None
        else:
            # the interval is not adjusted: it can exclude 1 where the adjusted test does not reject
            inside = r["ci_low"] <= 1 <= r["ci_high"]
            sentence = text(lang, "finding_calibration_shape" if inside else "finding_calibration_shape_adjusted",
                            **fields)
            harms = None
        sentence += text(lang, "finding_calibration_test", z_large=signed_number(r["z_large"], lang, 2),
                         p_large=pvalue(r["p_large_adjusted"], lang), z=signed_number(r["z_spiegelhalter"], lang, 2),
                         p=pvalue(r["p_spiegelhalter_adjusted"], lang), n_tests=integer(r["n_tests"], lang),
                         correction=CORRECTION_NAMES[lang][result.options.correction])
        if harms:
            sentence += text(lang, "finding_calibration_harm_high" if not favourable else "finding_calibration_harm_low")
            severity = "high" if not 0.8 <= ratio <= 1.25 else "medium"
            if vuln:
                severity = _LEVELS[min(_LEVELS.index(severity) + 1, 3)]
                sentence += text(lang, "finding_small_vulnerable")
        else:
            if harms is False:
                sentence += text(lang, "finding_calibration_favours")
            severity = "low"
        out.append({
            "type": "miscalibration", "severity": severity, "attribute": r["attribute"], "group": r["group"],
            "reference": None, "metric": "calibration_ratio", "n": r["n"], "sentence": sentence,
            "provisions": FINDING_PROVISIONS["miscalibration"] + (("D7",) if vuln and harms else ()),
            "vulnerable": vuln if harms else (), "suppressed": False,
            "evidence": {"value": ratio, "ci_low": r["ci_low"], "ci_high": r["ci_high"],
                         "mean_score": r["mean_score"], "observed_rate": r["observed_rate"],
                         "statistic": _f(r["z_large"]), "pvalue_adjusted": _f(r["p_large_adjusted"]),
                         "spiegelhalter_z": _f(r["z_spiegelhalter"]),
                         "spiegelhalter_pvalue_adjusted": _f(r["p_spiegelhalter_adjusted"]),
                         "direction": ("over" if over else "under") if large else "spread",
                         "harms_group": bool(harms), "calibration_tests": r["n_tests"]},
            # a harmful miscalibration is a gap against calibration (O/E = 1): listed as the
            # metric the group is disadvantaged on, so it reaches the executive summary
            "metrics": ({"metric": "calibration_ratio", "verdict": "disparity", "severity": severity, "value": ratio,
                         "reference_value": 1.0, "difference": ratio - 1.0, "ci_low": r["ci_low"] - 1.0,
                         "ci_high": r["ci_high"] - 1.0, "pvalue_adjusted": _f(r["p_large_adjusted"])},)
            if harms else (),
            "explained_by": (), "score": abs(math.log(ratio)) if ratio > 0 else 0.0,
        })
    return out


def _class_dependence(result, lang, pub) -> list[dict]:
    t = TEXTS[lang]
    tests = result.independence_tests
    omnibus = tests[(tests["metric"] == "predicted_class") & (tests["pvalue"] < result.options.alpha)]
    classes = class_labels(result)
    gm = result.group_metrics
    out = []
    for row in omnibus.itertuples(index=False):
        part = gm[(gm["attribute"] == row.attribute) & gm["assessable"].astype(bool)]
        part = part[[pub.size(row.attribute, g) and all(pub.metric(row.attribute, g, f"selection_rate[{k}]")
                                                        for k in range(len(classes))) for g in part["group"]]]
        best = None
        for k, label in enumerate(classes):
            col = f"selection_rate[{k}]"
            if col not in part or part[col].isna().all():
                continue
            hi, lo = part.loc[part[col].idxmax()], part.loc[part[col].idxmin()]
            gap = float(hi[col] - lo[col])
            if best is None or gap > best[0]:
                best = (gap, label, hi["group"], float(hi[col]), lo["group"], float(lo[col]))
        if best is None:
            continue
        gap, label, hg, hv, lg, lv = best
        sentence = text(lang, "finding_class_dependence", attribute=row.attribute,
                        method=t["method_name"].get(row.method, row.method), statistic=number(row.statistic, lang, 1),
                        dof=integer(row.dof, lang), p=pvalue(row.pvalue, lang), label=label,
                        high_group=_name(row.attribute, hg), high=percent(hv, lang),
                        low_group=_name(row.attribute, lg), low=percent(lv, lang))
        large = gap >= 2 * result.options.tolerance
        out.append({
            "type": "class_distribution_disparity", "severity": "medium" if large else "low", "attribute": row.attribute, "group": None,
            "reference": None, "metric": "predicted_class", "n": None, "sentence": sentence,
            "provisions": FINDING_PROVISIONS["class_distribution_disparity"], "vulnerable": (), "suppressed": False,
            "evidence": {"test": row.method, "statistic": _f(row.statistic), "dof": _f(row.dof),
                         "pvalue": _f(row.pvalue), "class": str(label), "difference": gap},
            "metrics": (), "explained_by": (), "score": gap,
        })
    return out
