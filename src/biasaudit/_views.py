"""The tidy pandas views of an audit result, built from its named per-grouping objects."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._compare import criteria_rows, four_fifths, spread
from ._evidence import rate_intervals
from ._evidence_bootstrap import value_interval_frame
from ._metrics import get_metric
from ._stats import shortfall_to_ratio
from ._task_views import class_criteria_rows

__all__: list[str] = []

_EVIDENCE = ("ci_low", "ci_high", "ratio_ci_low", "ratio_ci_high", "statistic", "pvalue",
             "power", "min_detectable_difference", "equivalence_pvalue")


def _labels(g) -> pd.Series:
    return pd.Series(list(g.labels), dtype=object)


def group_metrics(result) -> pd.DataFrame:
    frames = []
    for g in result.groupings:
        columns = {
            "attribute": g.name,
            "group": _labels(g),
            "n": g.rows.astype(np.int64),
            "weighted_total": g.grouping.weighted_total,
            "assessable": g.assessable,
        }
        # one constructor: a column inserted at a time costs a block consolidation each
        columns.update(zip(result.metrics, g.values))
        frames.append(pd.DataFrame(columns))
    return pd.concat(frames, ignore_index=True)


def disparities(result) -> pd.DataFrame:
    rate_rows = [i for i, m in enumerate(result.metrics) if get_metric(m).kind != "count"]
    text: dict[str, list] = {k: [] for k in ("attribute", "group", "reference", "metric", "test", "verdict",
                                             "verdict_reason")}
    numeric: dict[str, list] = {k: [] for k in ("value", "reference_value", "difference", "ratio", *_EVIDENCE,
                                                "pvalue_adjusted")}
    boot: dict[str, list] = {"boot_ci_low": [], "boot_ci_high": []} if result.options.n_resamples else {}
    for g, ev in zip(result.groupings, result.evidence):
        n_groups = len(g.labels)
        for i in rate_rows:
            text["attribute"] += [g.name] * n_groups
            text["group"] += list(g.labels)
            text["reference"] += [g.reference_label(i)] * n_groups
            text["metric"] += [result.metrics[i]] * n_groups
            text["test"] += list(ev.tests.test[i])
            text["verdict"] += list(ev.verdicts[i])
            text["verdict_reason"] += list(ev.reasons[i])
            numeric["value"].append(g.values[i])
            numeric["reference_value"].append(np.full(n_groups, g.reference_value[i]))
            numeric["difference"].append(g.difference[i])
            numeric["ratio"].append(g.ratio[i])
            for key in _EVIDENCE:
                numeric[key].append(getattr(ev.tests, key)[i])
            numeric["pvalue_adjusted"].append(ev.adjusted[i])
            if boot:
                boot["boot_ci_low"].append(ev.bootstrap.difference[0][i])
                boot["boot_ci_high"].append(ev.bootstrap.difference[1][i])
    frame = {k: pd.Series(v, dtype=object) for k, v in text.items()}
    frame.update({k: np.concatenate(v) if v else np.array([]) for k, v in numeric.items()})
    frame.update({k: np.concatenate(v) if v else np.array([]) for k, v in boot.items()})
    order = ["attribute", "group", "reference", "metric", "value", "reference_value", "difference", "ratio",
             "ci_low", "ci_high", "ratio_ci_low", "ratio_ci_high", *boot, "test", "statistic", "pvalue",
             "pvalue_adjusted", "power", "min_detectable_difference", "equivalence_pvalue", "verdict",
             "verdict_reason"]
    return pd.DataFrame(frame)[order]


def rate_interval_frame(result, level, method) -> pd.DataFrame:
    if method == "bootstrap":
        return value_interval_frame(result, level)
    metrics = [get_metric(m) for m in result.metrics]
    frames = []
    for g in result.groupings:
        low, high, n_eff = rate_intervals(g.grouping, metrics, level, method)
        for i, m in enumerate(metrics):
            if m.is_proportion:
                frames.append(pd.DataFrame({
                    "attribute": g.name, "group": _labels(g), "metric": m.name, "value": g.values[i],
                    "ci_low": low[i], "ci_high": high[i], "n_effective": n_eff[i], "method": method,
                    "confidence_level": level,
                }))
    columns = ["attribute", "group", "metric", "value", "ci_low", "ci_high", "n_effective", "method",
               "confidence_level"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def summary(result) -> pd.DataFrame:
    rows = []
    rate_rows = [i for i, m in enumerate(result.metrics) if get_metric(m).kind != "count"]
    with_boot = bool(result.options.n_resamples)
    for g, ev in zip(result.groupings, result.evidence if with_boot else [None] * len(result.groupings)):
        lo_i, hi_i, lo, hi, diff, ratio = spread(g.values[rate_rows], g.assessable)
        for j, i in enumerate(rate_rows):
            extra = {}
            if with_boot:
                extra = {"ci_low": ev.bootstrap.spread[0][i], "ci_high": ev.bootstrap.spread[1][i]}
            rows.append({
                "attribute": g.name, "metric": result.metrics[i],
                "min_group": g.labels[lo_i[j]] if lo_i[j] >= 0 else None, "min_value": lo[j],
                "max_group": g.labels[hi_i[j]] if hi_i[j] >= 0 else None, "max_value": hi[j],
                "difference": diff[j], "ratio": ratio[j], **extra,
            })
    columns = ["attribute", "metric", "min_group", "min_value", "max_group", "max_value", "difference", "ratio"]
    return pd.DataFrame(rows, columns=columns + (["ci_low", "ci_high"] if with_boot else []))


def criteria(result) -> pd.DataFrame:
    rows = []
    table = result.summary
    with_boot = bool(result.options.n_resamples)
    for g, ev in zip(result.groupings, result.evidence if with_boot else [None] * len(result.groupings)):
        part = table[table["attribute"] == g.name]
        for criterion, metrics, gap, ratio in criteria_rows(part["metric"].tolist(), part["difference"].to_numpy(),
                                                            part["ratio"].to_numpy()):
            row = {"attribute": g.name, "criterion": criterion, "metrics": metrics, "difference": gap,
                   "ratio": ratio}
            if with_boot:
                row["ci_low"], row["ci_high"] = ev.bootstrap.criteria[criterion]
            rows.append(row)
        for row in class_criteria_rows(result, table, g):
            if with_boot:
                row["ci_low"], row["ci_high"] = ev.bootstrap.criteria.get(row["criterion"], (np.nan, np.nan))
            rows.append(row)
    columns = ["attribute", "criterion", "metrics", "difference", "ratio"]
    return pd.DataFrame(rows, columns=columns + (["ci_low", "ci_high"] if with_boot else []))


def four_fifths_frame(result) -> pd.DataFrame:
    if result.counts.family == "score":  # scores have no decisions; see AuditResult.at_threshold
        return pd.DataFrame(columns=["attribute", "group", "n", "assessable", "favourable_rate", "best_group",
                                     "impact_ratio", "threshold", "flagged", "shortfall"])
    favourable = result.options.positive_is_favorable
    threshold = result.options.four_fifths_threshold
    frames = []
    for g in result.groupings:
        rate, best, impact, flagged = four_fifths(g.grouping, favourable, threshold)
        weight = g.grouping.weighted_total
        top = rate[best] if best >= 0 else np.nan
        short = shortfall_to_ratio(np.nan_to_num(rate * weight), weight, top, threshold)
        frames.append(pd.DataFrame({
            "attribute": g.name,
            "group": _labels(g),
            "n": g.rows.astype(np.int64),
            "assessable": g.assessable,
            "favourable_rate": rate,
            "best_group": pd.Series([g.labels[best] if best >= 0 else None] * len(g.labels), dtype=object),
            "impact_ratio": impact,
            "threshold": threshold,
            "flagged": flagged,
            "shortfall": np.where(flagged, short, 0.0),
        }))
    return pd.concat(frames, ignore_index=True)
