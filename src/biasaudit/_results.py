"""The result of an audit: arrays computed once from the counts, tidy views on demand."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ._disparities import OVERALL_LABEL, criteria_rows, four_fifths, spread
from ._kernel import GroupCounts
from ._metrics import get_metric

__all__ = ["AuditResult"]


@dataclass(frozen=True, eq=False, repr=False)
class Comparison:
    """Reference choice and comparisons of one grouping, arrays of shape (M,) or (M, G)."""

    reference_index: np.ndarray
    reference_value: np.ndarray
    difference: np.ndarray
    ratio: np.ndarray


@dataclass(frozen=True, eq=False, repr=False)
class AuditResult:
    """Per-group metrics and disparities of an audit, with the counts they come from.

    Everything in the result is a function of :attr:`counts`, which holds no row-level
    data. The pandas views (:attr:`group_metrics`, :attr:`disparities`, ...) are built on
    first access.

    Attributes
    ----------
    counts : GroupCounts
        Joint count table over all protected attributes.
    groupings : tuple of Grouping
        The attributes and intersections compared, each with its non-empty groups.
    metrics : tuple of str
        Canonical names of the metrics computed.
    values : tuple of ndarray
        Per grouping, metric values of shape (len(metrics), n_groups).
    overall_values : ndarray
        Metric values over all rows, shape (len(metrics),).
    comparisons : tuple of Comparison
        Per grouping, the reference chosen and each group's difference and ratio.
    parameters : dict
        The options the audit ran with.
    missing : dict
        Number of rows with a missing value, per protected attribute.
    empty_groups : tuple of (str, object)
        (attribute or intersection, group) combinations with no rows.
    """

    counts: GroupCounts
    groupings: tuple
    metrics: tuple
    values: tuple = field(repr=False)
    overall_values: np.ndarray = field(repr=False)
    comparisons: tuple = field(repr=False)
    parameters: dict = field(default_factory=dict)
    missing: dict = field(default_factory=dict)
    empty_groups: tuple = ()

    @property
    def n_rows(self) -> int:
        """Number of rows audited."""
        return self.counts.n_rows

    @property
    def rate_metrics(self) -> tuple:
        """The metrics that are compared between groups (all but the raw counts)."""
        return tuple(m for m in self.metrics if get_metric(m).kind != "count")

    def _rate_rows(self):
        return [i for i, m in enumerate(self.metrics) if get_metric(m).kind != "count"]

    @cached_property
    def group_metrics(self) -> pd.DataFrame:
        """One row per (attribute, group): ``n``, ``weighted_total`` and one column per metric."""
        frames = []
        for g, vals in zip(self.groupings, self.values):
            frame = pd.DataFrame({
                "attribute": g.name,
                "group": pd.Series(list(g.labels), dtype=object),
                "n": g.rows.astype(np.int64),
                "weighted_total": g.weighted_total,
            })
            for name, v in zip(self.metrics, vals):
                frame[name] = v
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def overall(self) -> pd.Series:
        """Metric values over all rows, with ``n`` and ``weighted_total``."""
        data = {"n": self.n_rows, "weighted_total": float(self.counts.total().sum())}
        data.update(dict(zip(self.metrics, self.overall_values.tolist())))
        return pd.Series(data, dtype=object, name="overall")

    def _reference_label(self, grouping, index):
        return OVERALL_LABEL if index < 0 else grouping.labels[index]

    @cached_property
    def disparities(self) -> pd.DataFrame:
        """One row per (attribute, metric, group): value, reference value, difference, ratio.

        ``difference = value - reference_value`` and ``ratio = value / reference_value``;
        the reference group's own row has difference 0 and ratio 1.
        """
        rate_rows = self._rate_rows()
        records = {k: [] for k in ("attribute", "group", "reference", "metric", "value",
                                   "reference_value", "difference", "ratio")}
        for g, vals, comp in zip(self.groupings, self.values, self.comparisons):
            n_groups = len(g.labels)
            for i in rate_rows:
                records["attribute"] += [g.name] * n_groups
                records["group"] += list(g.labels)
                records["reference"] += [self._reference_label(g, comp.reference_index[i])] * n_groups
                records["metric"] += [self.metrics[i]] * n_groups
                records["value"].append(vals[i])
                records["reference_value"].append(np.full(n_groups, comp.reference_value[i]))
                records["difference"].append(comp.difference[i])
                records["ratio"].append(comp.ratio[i])
        columns = {}
        for key, items in records.items():
            if key in ("value", "reference_value", "difference", "ratio"):
                columns[key] = np.concatenate(items) if items else np.array([])
            else:
                columns[key] = pd.Series(items, dtype=object)
        frame = pd.DataFrame(columns)
        return frame

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per (attribute, metric): lowest and highest group, max - min and min / max.

        Groups of missing protected values are left out of these summaries.
        """
        rows = []
        rate_rows = self._rate_rows()
        for g, vals in zip(self.groupings, self.values):
            lo_i, hi_i, lo, hi, diff, ratio = spread(vals[rate_rows], ~g.is_missing)
            for j, i in enumerate(rate_rows):
                rows.append({
                    "attribute": g.name,
                    "metric": self.metrics[i],
                    "min_group": g.labels[lo_i[j]] if lo_i[j] >= 0 else None,
                    "min_value": lo[j],
                    "max_group": g.labels[hi_i[j]] if hi_i[j] >= 0 else None,
                    "max_value": hi[j],
                    "difference": diff[j],
                    "ratio": ratio[j],
                })
        return pd.DataFrame(rows, columns=["attribute", "metric", "min_group", "min_value",
                                           "max_group", "max_value", "difference", "ratio"])

    @cached_property
    def criteria(self) -> pd.DataFrame:
        """Named fairness criteria per attribute, from the max-min summaries.

        ``demographic_parity`` (selection rate), ``equal_opportunity`` (TPR),
        ``equalized_odds`` (larger of the TPR and FPR gaps), ``predictive_parity`` (PPV),
        ``error_rate_balance`` (larger of the FPR and FNR gaps) and ``accuracy_equality``.
        0 difference and ratio 1 mean parity.
        """
        rows = []
        summary = self.summary
        for g in self.groupings:
            part = summary[summary["attribute"] == g.name]
            names = part["metric"].tolist()
            for criterion, metrics, gap, ratio in criteria_rows(
                names, part["difference"].to_numpy(), part["ratio"].to_numpy()
            ):
                rows.append({"attribute": g.name, "criterion": criterion, "metrics": metrics,
                             "difference": gap, "ratio": ratio})
        return pd.DataFrame(rows, columns=["attribute", "criterion", "metrics", "difference", "ratio"])

    @cached_property
    def four_fifths(self) -> pd.DataFrame:
        """The four-fifths rule per group: impact ratio of the favourable-decision rate.

        The impact ratio is the group's rate of the favourable decision divided by the
        highest such rate among the groups of the attribute; a ratio below
        ``parameters["four_fifths_threshold"]`` (default 0.8) is flagged. This is the US
        EEOC rule of thumb for adverse impact: a heuristic, not a statistical test, and
        not by itself a finding of discrimination.
        """
        favourable = self.parameters["positive_is_favorable"]
        threshold = self.parameters["four_fifths_threshold"]
        frames = []
        for g in self.groupings:
            rate, best, impact, flagged = four_fifths(g, favourable, threshold)
            frames.append(pd.DataFrame({
                "attribute": g.name,
                "group": pd.Series(list(g.labels), dtype=object),
                "n": g.rows.astype(np.int64),
                "favourable_rate": rate,
                "best_group": pd.Series([g.labels[best] if best >= 0 else None] * len(g.labels), dtype=object),
                "impact_ratio": impact,
                "threshold": threshold,
                "flagged": flagged,
            }))
        return pd.concat(frames, ignore_index=True)

    def to_dict(self) -> dict:
        """Pure-Python dict of parameters, counts and every table; NaN becomes None.

        Examples
        --------
        >>> import biasaudit as ba
        >>> r = ba.audit(y_true=[1, 0, 1, 0] * 2, y_pred=[1, 1, 0, 0, 1, 0, 0, 1], protected=list("aaaabbbb"))
        >>> d = r.to_dict()
        >>> d["group_metrics"][0]["selection_rate"], d["counts"]["rows"][1]
        (0.5, [[1, 1], [1, 1]])
        """
        return _plain({
            "n_rows": self.n_rows,
            "parameters": self.parameters,
            "attributes": list(self.counts.attributes),
            "groupings": [{"name": g.name, "attributes": list(g.attributes)} for g in self.groupings],
            "metrics": list(self.metrics),
            "missing": self.missing,
            "empty_groups": [{"attribute": a, "group": grp} for a, grp in self.empty_groups],
            "overall": self.overall.to_dict(),
            "counts": {
                "attributes": list(self.counts.attributes),
                "levels": [list(lv) for lv in self.counts.levels],
                "axes": [*self.counts.attributes, "y_true", "y_pred"],
                "rows": self.counts.rows.tolist(),
                "weighted": self.counts.weighted.tolist(),
            },
            "group_metrics": self.group_metrics.to_dict(orient="records"),
            "disparities": self.disparities.to_dict(orient="records"),
            "summary": self.summary.to_dict(orient="records"),
            "criteria": self.criteria.to_dict(orient="records"),
            "four_fifths": self.four_fifths.to_dict(orient="records"),
        })

    def __repr__(self):
        names = ", ".join(g.name for g in self.groupings)
        n_groups = sum(len(g.labels) for g in self.groupings)
        return (f"AuditResult(n_rows={self.n_rows}, groupings=[{names}], groups={n_groups}, "
                f"metrics={len(self.metrics)}, reference={self.parameters.get('reference')!r})")

    def _repr_html_(self) -> str:
        shown = [m for m in ("selection_rate", "true_positive_rate", "false_positive_rate",
                             "positive_predictive_value", "accuracy") if m in self.metrics]
        table = self.group_metrics[["attribute", "group", "n", *shown]]
        flagged = self.four_fifths[self.four_fifths["flagged"]]
        parts = [
            "<div class='biasaudit-result'>",
            f"<h4>biasaudit audit: {self.n_rows:,} rows, "
            f"{html.escape(', '.join(g.name for g in self.groupings))}</h4>",
            table.to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="NaN", escape=True),
        ]
        if len(self.criteria):
            parts.append("<h5>Fairness criteria (max - min over groups; ratio min / max)</h5>")
            parts.append(self.criteria.to_html(index=False, float_format=lambda x: f"{x:.3f}",
                                               na_rep="NaN", escape=True))
        threshold = self.parameters["four_fifths_threshold"]
        parts.append(f"<p>Groups below the four-fifths threshold ({threshold:g}, a US EEOC heuristic): "
                     f"{len(flagged)}.</p>")
        if len(flagged):
            parts.append(flagged[["attribute", "group", "n", "favourable_rate", "impact_ratio"]].to_html(
                index=False, float_format=lambda x: f"{x:.3f}", na_rep="NaN", escape=True))
        parts.append("</div>")
        return "\n".join(parts)


def _plain(obj):
    """Recursively convert to JSON-ready Python: tuples to lists, numpy scalars, NaN to None."""
    if isinstance(obj, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [_plain(v) for v in obj.tolist()]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    if obj is pd.NA or obj is pd.NaT:
        return None
    return obj

