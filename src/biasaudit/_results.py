"""The result of an audit: arrays computed once from the counts, tidy views on demand."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ._disparities import OVERALL_LABEL, criteria_rows, four_fifths, spread
from ._inference import (
    StatOptions,
    rate_intervals as _rate_intervals,
    adjust_family,
    bootstrap_evidence,
    comparison_evidence,
    independence_rows,
    stratified_rows,
    verdict_arrays,
)
from ._kernel import GroupCounts
from ._metrics import get_metric
from ._stats import shortfall_to_ratio
from ._validation import _check_interval, _check_option

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
    options : StatOptions
        The statistical options; the evidence behind :attr:`disparities`,
        :attr:`independence_tests` and :attr:`stratified` is computed from the counts on
        first access, with the randomness fixed by ``parameters["seed"]``.
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
    options: StatOptions = field(default_factory=StatOptions, repr=False)

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

    @property
    def _metric_entries(self) -> list:
        return [get_metric(m) for m in self.metrics]

    @cached_property
    def _inference(self) -> dict:
        """Evidence, audit-wide adjusted p-values and verdicts, computed once on demand."""
        metrics = self._metric_entries
        total = self.counts.total()
        total_sq = self.counts.weighted_sq.reshape(-1, 2, 2).sum(axis=0)
        evidence = [comparison_evidence(g, metrics, c.reference_index, total, total_sq, self.options)
                    for g, c in zip(self.groupings, self.comparisons)]
        adjusted, family_size = adjust_family(metrics, evidence, self.options)
        verdicts = [verdict_arrays(metrics, v, c, e, a, self.options)
                    for v, c, e, a in zip(self.values, self.comparisons, evidence, adjusted)]
        return {"evidence": evidence, "adjusted": adjusted, "verdicts": verdicts, "family_size": family_size}

    @cached_property
    def _bootstrap(self):
        """Bootstrap intervals per grouping, or None without replicates."""
        if not self.options.n_resamples:
            return None
        gen = np.random.default_rng([self.parameters["seed"], 1])
        return bootstrap_evidence(self.counts, self.groupings, self._metric_entries, self.comparisons,
                                  self.parameters["control"], self.options, gen)

    @property
    def family_size(self) -> int:
        """Number of group-versus-reference tests in the multiple-testing family."""
        return self._inference["family_size"]

    @property
    def family(self) -> str:
        """Which tests the adjusted p-values are adjusted over, and how."""
        names = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bonferroni": "Bonferroni"}
        return (f"{self.family_size} tests: every group against its reference, for every proportion metric "
                f"about the decisions, in every attribute and intersection of this audit (complementary "
                f"metrics such as TPR and FNR counted once); adjusted by {names[self.options.correction]}.")

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
        """One row per (attribute, metric, group): the comparison with the reference and its evidence.

        Columns: ``value``, ``reference_value``, ``difference = value - reference_value``
        and ``ratio = value / reference_value``; for proportion metrics the interval of
        the difference (``ci_low``, ``ci_high``, Newcombe's hybrid score) and of the ratio
        (``ratio_ci_low``, ``ratio_ci_high``, Katz log), the test (``test``,
        ``statistic`` = pooled score z, ``pvalue``, ``pvalue_adjusted`` over the audit's
        family), the ``power`` to detect a gap of ``tolerance``, the
        ``min_detectable_difference`` at 80% power, the ``equivalence_pvalue`` of the
        two one-sided tests, and the ``verdict`` with its plain-language
        ``verdict_reason``. With bootstrap replicates, ``boot_ci_low`` and
        ``boot_ci_high`` bound the difference. The reference group's own row has
        difference 0, ratio 1 and no test.
        """
        rate_rows = self._rate_rows()
        columns = {k: [] for k in ("attribute", "group", "reference", "metric")}
        numeric = {k: [] for k in ("value", "reference_value", "difference", "ratio", "ci_low", "ci_high",
                                   "ratio_ci_low", "ratio_ci_high", "statistic", "pvalue", "pvalue_adjusted",
                                   "power", "min_detectable_difference", "equivalence_pvalue")}
        text = {k: [] for k in ("test", "verdict", "verdict_reason")}
        inf = self._inference
        boot = {"boot_ci_low": [], "boot_ci_high": []} if self._bootstrap else {}
        for k, (g, vals, comp) in enumerate(zip(self.groupings, self.values, self.comparisons)):
            n_groups = len(g.labels)
            ev, adj, (codes, reasons) = inf["evidence"][k], inf["adjusted"][k], inf["verdicts"][k]
            for i in rate_rows:
                columns["attribute"] += [g.name] * n_groups
                columns["group"] += list(g.labels)
                columns["reference"] += [self._reference_label(g, comp.reference_index[i])] * n_groups
                columns["metric"] += [self.metrics[i]] * n_groups
                numeric["value"].append(vals[i])
                numeric["reference_value"].append(np.full(n_groups, comp.reference_value[i]))
                numeric["difference"].append(comp.difference[i])
                numeric["ratio"].append(comp.ratio[i])
                for key in ("ci_low", "ci_high", "ratio_ci_low", "ratio_ci_high", "statistic", "pvalue",
                            "power", "min_detectable_difference", "equivalence_pvalue"):
                    numeric[key].append(getattr(ev, key)[i])
                numeric["pvalue_adjusted"].append(adj[i])
                text["test"] += list(ev.test[i])
                text["verdict"] += list(codes[i])
                text["verdict_reason"] += list(reasons[i])
                if boot:
                    (low, high), _, _, _ = self._bootstrap[k]
                    boot["boot_ci_low"].append(low[i])
                    boot["boot_ci_high"].append(high[i])
        frame = {k: pd.Series(v, dtype=object) for k, v in columns.items()}
        frame.update({k: np.concatenate(v) if v else np.array([]) for k, v in numeric.items()})
        frame.update({k: np.concatenate(v) if v else np.array([]) for k, v in boot.items()})
        frame.update({k: pd.Series(v, dtype=object) for k, v in text.items()})
        order = ["attribute", "group", "reference", "metric", "value", "reference_value", "difference", "ratio",
                 "ci_low", "ci_high", "ratio_ci_low", "ratio_ci_high", *boot, "test", "statistic", "pvalue",
                 "pvalue_adjusted", "power", "min_detectable_difference", "equivalence_pvalue", "verdict",
                 "verdict_reason"]
        return pd.DataFrame(frame)[order]

    def rate_intervals(self, confidence_level=None, method=None) -> pd.DataFrame:
        """Confidence interval of every group's rate, recomputed from the counts.

        Parameters
        ----------
        confidence_level : float or None, default=None
            None uses the audit's level.
        method : {"wilson", "clopper-pearson", "jeffreys"} or None, default=None
            None uses the audit's ``interval_method``.

        Returns
        -------
        DataFrame
            ``attribute, group, metric, value, ci_low, ci_high, n_effective, method,
            confidence_level``; one row per group and proportion metric. With sample
            weights, ``n_effective`` is Kish's effective sample size.

        Examples
        --------
        >>> import biasaudit as ba
        >>> r = ba.audit(y_true=[1, 0, 1, 0] * 5, y_pred=[1, 1, 1, 0] * 5, protected=["a", "b"] * 10,
        ...              metrics=["selection_rate"])
        >>> r.rate_intervals(0.9, method="clopper-pearson")[["group", "value", "ci_low", "ci_high"]].round(3)
          group  value  ci_low  ci_high
        0     a    1.0   0.741    1.000
        1     b    0.5   0.222    0.778
        """
        caller = "rate_intervals"
        level = self.parameters["confidence_level"] if confidence_level is None else _check_interval(
            confidence_level, "confidence_level", 0, 1, caller=caller)
        method = self.parameters["interval_method"] if method is None else _check_option(
            method, "method", {"wilson", "clopper-pearson", "jeffreys"}, caller=caller)
        options = StatOptions(confidence_level=level, interval_method=method)
        metrics = [get_metric(m) for m in self.metrics]
        frames = []
        for g, vals in zip(self.groupings, self.values):
            low, high, n_eff = _rate_intervals(g, metrics, options)
            for i, m in enumerate(metrics):
                if m.is_proportion:
                    frames.append(pd.DataFrame({
                        "attribute": g.name, "group": pd.Series(list(g.labels), dtype=object), "metric": m.name,
                        "value": vals[i], "ci_low": low[i], "ci_high": high[i], "n_effective": n_eff[i],
                        "method": method, "confidence_level": level,
                    }))
        return pd.concat(frames, ignore_index=True)

    @cached_property
    def independence_tests(self) -> pd.DataFrame:
        """Per grouping and proportion metric: a test that all groups share one rate.

        Groups of missing protected values are left out. ``method`` is ``chi2``
        (Pearson), ``g`` (likelihood ratio) or ``monte-carlo`` (exact conditional test on
        the r x 2 table with fixed margins, p = (k + 1) / (B + 1)).
        """
        gen = np.random.default_rng([self.parameters["seed"], 0])
        rows = [row for g in self.groupings for row in independence_rows(g, self._metric_entries, self.options, gen)]
        return pd.DataFrame(rows, columns=["attribute", "metric", "method", "statistic", "dof", "pvalue"])

    @cached_property
    def stratified(self) -> pd.DataFrame:
        """Cochran-Mantel-Haenszel tests of each group against its reference within strata.

        Empty unless the audit had a ``control`` variable. ``odds_ratio`` is the
        Mantel-Haenszel common odds ratio of the metric's event for the group against the
        reference; ``ci_low``/``ci_high`` its Robins-Breslow-Greenland interval.
        """
        rows = []
        control = self.parameters["control"]
        if control is not None:
            for g, comp in zip(self.groupings, self.comparisons):
                if len(g.attributes) == 1:
                    rows += stratified_rows(self.counts, g.name, control, comp.reference_index, g.labels,
                                            self._metric_entries, self.options)
        return pd.DataFrame(rows, columns=[
            "attribute", "group", "reference", "metric", "control", "n_strata", "statistic", "pvalue",
            "odds_ratio", "ci_low", "ci_high"])

    def report(self, *, metadata=None, language="en", vulnerable=None, min_cell=10, full=False):
        """The audit report: findings mapped to the Baku Declaration, in HTML, Markdown, JSON or CSV.

        Parameters
        ----------
        metadata : dict or None, default=None
            Scope of the audit, as the auditor states it: ``system``, ``decision``,
            ``favourable_outcome``, ``population``, ``auditor``, ``independence``,
            ``commissioned_by``, ``period``, ``data_source``, ``contact``. Missing fields
            are reported as not stated.
        language : {"en", "az"}, default="en"
            Language of every fixed text (English or Azerbaijani).
        vulnerable : None, False or dict, default=None
            Groups the Declaration asks special attention for (D7): None recognises common
            encodings (sex values, age bands, disability and migrant flags), False turns
            that off, and a dict ``{category: [(attribute, group), ...]}`` names them, with
            categories ``children``, ``women``, ``persons_with_disabilities``,
            ``older_persons``, ``migrants``.
        min_cell : int, default=10
            Publication threshold: counts from 1 to ``min_cell - 1`` are suppressed in the
            published edition, with secondary suppression.
        full : bool, default=False
            True builds the regulator's annex with every cell, marked confidential on every
            section.

        Returns
        -------
        Report

        Examples
        --------
        >>> import biasaudit as ba
        >>> demo = ba.datasets.make_biased_classification(4000, rng=1)
        >>> r = ba.audit(demo.data, y_true="y_true", y_pred="y_pred", protected=["sex"])
        >>> report = r.report(metadata={"system": "Loan screening"}, language="az")
        >>> report.max_severity, report.findings[0]["type"]
        ('high', 'error_rate_disparity')
        """
        from ._report import build_report

        return build_report(self, metadata=metadata, language=language, vulnerable=vulnerable,
                            min_cell=min_cell, full=full)

    def recompute(self, **changes) -> "AuditResult":
        """The same audit from the stored counts, with some options changed.

        Parameters
        ----------
        **changes
            Any keyword of :func:`audit_counts`, for example ``confidence_level=0.99``.

        Returns
        -------
        AuditResult

        Examples
        --------
        >>> import biasaudit as ba
        >>> r = ba.audit(y_true=[1, 0, 1, 0] * 5, y_pred=[1, 1, 0, 0] * 5, protected=["a", "b"] * 10,
        ...              metrics=["selection_rate"])
        >>> r.recompute(confidence_level=0.99).parameters["confidence_level"]
        0.99
        """
        from ._audit import audit_counts

        keys = ("reference", "intersections", "metrics", "positive_is_favorable", "four_fifths_threshold",
                "confidence_level", "interval_method", "test", "correction", "alternative", "tolerance",
                "omnibus_test", "n_resamples", "bootstrap_method", "ratio_method", "control", "rng")
        options = {k: self.parameters[k] for k in keys}
        if not isinstance(options["rng"], (int, np.integer)):
            options["rng"] = None  # only an integer seed can be replayed
        if isinstance(options["intersections"], list):
            options["intersections"] = [tuple(c) for c in options["intersections"]]
        options.update(changes)
        return audit_counts(self.counts, **options)

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per (attribute, metric): lowest and highest group, max - min and min / max.

        Groups of missing protected values are left out of these summaries. With
        bootstrap replicates, ``ci_low`` and ``ci_high`` bound ``difference``.
        """
        rows = []
        rate_rows = self._rate_rows()
        boot = self._bootstrap
        for k, (g, vals) in enumerate(zip(self.groupings, self.values)):
            lo_i, hi_i, lo, hi, diff, ratio = spread(vals[rate_rows], ~g.is_missing)
            for j, i in enumerate(rate_rows):
                extra = {}
                if boot:
                    (_, (s_low, s_high), _, _) = boot[k]
                    extra = {"ci_low": s_low[i], "ci_high": s_high[i]}
                rows.append({**extra,
                    "attribute": g.name,
                    "metric": self.metrics[i],
                    "min_group": g.labels[lo_i[j]] if lo_i[j] >= 0 else None,
                    "min_value": lo[j],
                    "max_group": g.labels[hi_i[j]] if hi_i[j] >= 0 else None,
                    "max_value": hi[j],
                    "difference": diff[j],
                    "ratio": ratio[j],
                })
        columns = ["attribute", "metric", "min_group", "min_value", "max_group", "max_value", "difference", "ratio"]
        return pd.DataFrame(rows, columns=columns + (["ci_low", "ci_high"] if boot else []))

    @cached_property
    def criteria(self) -> pd.DataFrame:
        """Named fairness criteria per attribute, from the max-min summaries.

        ``demographic_parity`` (selection rate), ``equal_opportunity`` (TPR),
        ``equalized_odds`` (larger of the TPR and FPR gaps), ``predictive_parity`` (PPV),
        ``error_rate_balance`` (larger of the FPR and FNR gaps) and ``accuracy_equality``.
        0 difference and ratio 1 mean parity. With bootstrap replicates, ``ci_low`` and
        ``ci_high`` bound ``difference`` (reference groups held fixed).
        """
        rows = []
        summary = self.summary
        boot = self._bootstrap
        for k, g in enumerate(self.groupings):
            part = summary[summary["attribute"] == g.name]
            names = part["metric"].tolist()
            for criterion, metrics, gap, ratio in criteria_rows(
                names, part["difference"].to_numpy(), part["ratio"].to_numpy()
            ):
                row = {"attribute": g.name, "criterion": criterion, "metrics": metrics,
                       "difference": gap, "ratio": ratio}
                if boot:
                    row["ci_low"], row["ci_high"] = boot[k][2][criterion]
                rows.append(row)
        columns = ["attribute", "criterion", "metrics", "difference", "ratio"]
        return pd.DataFrame(rows, columns=columns + (["ci_low", "ci_high"] if boot else []))

    @cached_property
    def four_fifths(self) -> pd.DataFrame:
        """The four-fifths rule per group: impact ratio of the favourable-decision rate.

        The impact ratio is the group's rate of the favourable decision divided by the
        highest such rate among the groups of the attribute; a ratio below
        ``parameters["four_fifths_threshold"]`` (default 0.8) is flagged. This is the US
        EEOC rule of thumb for adverse impact: a heuristic, not a statistical test, and
        not by itself a finding of discrimination. ``shortfall`` is how many more
        favourable decisions (weighted, with sample weights) a flagged group would have
        needed to reach the threshold.
        """
        favourable = self.parameters["positive_is_favorable"]
        threshold = self.parameters["four_fifths_threshold"]
        frames = []
        for g in self.groupings:
            rate, best, impact, flagged = four_fifths(g, favourable, threshold)
            weight = g.weighted_total
            top = rate[best] if best >= 0 else np.nan
            short = shortfall_to_ratio(np.nan_to_num(rate * weight), weight, top, threshold)
            frames.append(pd.DataFrame({
                "attribute": g.name,
                "group": pd.Series(list(g.labels), dtype=object),
                "n": g.rows.astype(np.int64),
                "favourable_rate": rate,
                "best_group": pd.Series([g.labels[best] if best >= 0 else None] * len(g.labels), dtype=object),
                "impact_ratio": impact,
                "threshold": threshold,
                "flagged": flagged,
                "shortfall": np.where(flagged, short, 0.0),
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

