"""The result of an audit: the table, one named object per grouping, the options, the provenance.

Everything in a result is a function of its table, which holds no row-level data. The
statistical evidence and the pandas views are computed on first access, with the
randomness fixed when the audit ran, so changing statistical options needs no pass over
rows (:meth:`AuditResult.with_options`) and re-running with no change gives the same output.
"""

from __future__ import annotations

import html
import math
import warnings
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from . import _evidence_moments  # noqa: F401  (registers the evidence of means)
from . import _task_views, _views
from ._analysis import GroupingResult, analyse, missing_counts
from ._bootstrap_rows import RowReplicates, check_row_bootstrap
from ._evidence import (
    BootstrapEvidence,
    Evidence,
    adjust_family,
    bootstrap_evidence,
    comparison_evidence,
    family_text,
    independence_rows,
    stratified_rows,
    verdict_arrays,
)
from . import _evidence_scores  # noqa: F401  (registers the evidence of AUC and calibration)
from ._metrics import get_metric
from ._options import AuditOptions
from ._result_scores import ScoreViews
from ._tables import Table
from ._validation import _check_interval, _check_option

__all__ = ["AuditResult"]

_TASK_OF_FAMILY = {"binary": "binary", "decisions": "binary", "regression": "regression",
                   "multiclass": "multiclass", "multiclass_decisions": "multiclass"}


@dataclass(frozen=True, eq=False)
class GroupingEvidence:
    """The statistics of one grouping's comparisons, arrays of shape (M, G).

    ``tests`` holds intervals, tests and power; ``adjusted`` the p-values adjusted over
    the audit's family; ``verdicts`` and ``reasons`` the verdict codes and sentences;
    ``bootstrap`` the bootstrap intervals, or None without replicates.
    """

    tests: Evidence
    adjusted: np.ndarray
    verdicts: np.ndarray
    reasons: np.ndarray
    bootstrap: BootstrapEvidence | None


class AuditResult(ScoreViews):
    """Per-group metrics and disparities of an audit, with the table they come from.

    Attributes
    ----------
    counts : Table
        The table of sufficient statistics over all protected attributes (a
        :class:`GroupCounts` for binary decisions).
    groupings : tuple of GroupingResult
        Each attribute and intersection audited: its groups, metric values, references,
        differences and ratios. A grouping is identified by its tuple of attributes.
    metrics : tuple of str
        Canonical names of the metrics computed.
    options : AuditOptions
        The options of the audit.
    control : str or None
        The attribute stratified by, if any.
    seed : int
        The seed of every random draw of the evidence (Monte Carlo tests, bootstrap).
    provenance : dict
        ``pos_label``, ``task``, and ``data_sha256`` when a digest is given by the caller;
        without it the digest is the fingerprint of the rows counted, read from ``counts``
        when first asked for (hashing a large table's cells is deferred until then).
    replicates : RowReplicates or None
        A regression audit's bootstrap replicate sums, drawn from its rows (docs/statistics.md).
    """

    counts: Table
    options: AuditOptions
    control: str | None
    seed: int
    provenance: dict
    replicates: RowReplicates | None
    groupings: tuple[GroupingResult, ...]
    metrics: tuple[str, ...]
    overall_values: np.ndarray
    empty_groups: tuple

    def __init__(self, *, counts: Table, options: AuditOptions, control: str | None = None, seed: int,
                 provenance: dict, caller: str = "audit", replicates: RowReplicates | None = None) -> None:
        groupings, metrics, overall, empty = analyse(counts, options, control=control, caller=caller)
        # a regression audit's bootstrap replicates were drawn from its rows (see _bootstrap_rows)
        replicates = check_row_bootstrap(counts, options, replicates, int(seed), caller=caller)
        fields = {"counts": counts, "options": options, "control": control, "seed": int(seed),
                  "replicates": replicates, "provenance": dict(provenance), "groupings": groupings, "metrics": metrics,
                  "overall_values": overall, "empty_groups": empty}
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("AuditResult is immutable; use with_options() for another analysis of its table")

    # ------------------------------------------------------------------ basics

    @property
    def n_rows(self) -> int:
        """Number of rows audited."""
        return self.counts.n_rows

    @property
    def rate_metrics(self) -> tuple:
        """The metrics that are compared between groups (all but the raw counts)."""
        return tuple(m for m in self.metrics if get_metric(m).kind != "count")

    @property
    def missing(self) -> dict:
        """Number of rows with a missing value, per protected attribute."""
        return missing_counts(self.counts, self.control)

    @property
    def values(self) -> tuple:
        """Metric values of each grouping, (M, G) arrays (see :attr:`groupings`)."""
        return tuple(g.values for g in self.groupings)

    @property
    def comparisons(self) -> tuple:
        """The groupings themselves, which carry their references, differences and ratios."""
        return self.groupings

    @property
    def parameters(self) -> dict:
        """Every option of the audit with its provenance, as plain values."""
        options = self.options.to_dict()
        options.pop("rng")  # the seed drawn from it is what replays the audit
        return {
            **options,
            "metrics": list(self.metrics),
            "alpha": self.options.alpha,
            "pos_label": self.provenance.get("pos_label"),
            "family": self.counts.family,
            "task": self.provenance.get("task", _TASK_OF_FAMILY.get(self.counts.family)),
            "weighted": self.counts.is_weighted,
            "has_y_true": "y_true" in self.counts.cell_names,
            "control": self.control,
            "seed": self.seed,
            "data_sha256": (self.provenance["data_sha256"] if "data_sha256" in self.provenance
                            else self.counts.data_sha256),
        }

    # ------------------------------------------------------------------ evidence

    @property
    def evidence(self) -> tuple[GroupingEvidence, ...]:
        """The statistics of every grouping's comparisons, aligned with :attr:`groupings`."""
        return self._inference[0]

    @cached_property
    def _inference(self) -> tuple[tuple[GroupingEvidence, ...], int, int]:
        metrics = [get_metric(m) for m in self.metrics]
        totals = {name: self.counts.total(name) for name in self.counts.sums}
        tests = [comparison_evidence(g, metrics, g.reference_index, totals, self.options) for g in self.groupings]
        adjusted, family_size, family_testable = adjust_family(metrics, tests, self.options)
        boot = [None] * len(self.groupings)
        if self.options.n_resamples:
            gen = np.random.default_rng([self.seed, 1])
            boot = bootstrap_evidence(self.counts, [g.grouping for g in self.groupings], metrics,
                                      [g.reference_index for g in self.groupings], self.control, self.options, gen,
                                      self.replicates)
        out = []
        for g, t, a, b in zip(self.groupings, tests, adjusted, boot):
            codes, reasons = verdict_arrays(metrics, g.values, g, t, a, self.options)
            out.append(GroupingEvidence(t, a, codes, reasons, b))
        return tuple(out), family_size, family_testable

    @property
    def family_size(self) -> int:
        """Number of group-versus-reference tests in the multiple-testing family."""
        return self._inference[1]

    @property
    def family_testable(self) -> int:
        """How many of the family's tests could reach significance at ``alpha`` (Tarone's screen).

        The p-values of the others are adjusted to 1: their groups are too small for any
        outcome to be significant, so they are not counted against the rest.
        """
        return self._inference[2]

    @property
    def family(self) -> str:
        """Which tests the adjusted p-values are adjusted over, and how."""
        return family_text(self.family_size, self.family_testable, self.options)

    # ------------------------------------------------------------------ views

    @cached_property
    def group_metrics(self) -> pd.DataFrame:
        """One row per (attribute, group): ``n``, ``weighted_total``, ``assessable`` and one column per metric."""
        return _views.group_metrics(self)

    @cached_property
    def overall(self) -> pd.Series:
        """Metric values over all rows, with ``n`` and ``weighted_total``."""
        data = {"n": self.n_rows, "weighted_total": float(self.counts.total().sum())}
        data.update(dict(zip(self.metrics, self.overall_values.tolist())))
        return pd.Series(data, dtype=object, name="overall")

    @cached_property
    def disparities(self) -> pd.DataFrame:
        """One row per (attribute, metric, group): the comparison with the reference and its evidence.

        Columns: ``value``, ``reference_value``, ``difference = value - reference_value``
        and ``ratio = value / reference_value``; for proportion metrics the interval of
        the difference (``ci_low``, ``ci_high``, Newcombe's hybrid score) and of the ratio
        (``ratio_ci_low``, ``ratio_ci_high``, Koopman's score interval by default); for
        tested metrics (all but the base rate) the test (``test``, ``statistic`` = pooled
        score z, ``pvalue``, ``pvalue_adjusted`` over the audit's family), the ``power``
        to detect a gap of ``tolerance`` in the direction of ``alternative``, the
        ``min_detectable_difference`` at 80% power, the ``equivalence_pvalue`` of the
        two one-sided tests; and the ``verdict`` with its plain-language
        ``verdict_reason``. With bootstrap replicates, ``boot_ci_low`` and
        ``boot_ci_high`` bound the difference. The reference group's own row has
        difference 0, ratio 1 and no test.
        """
        return _views.disparities(self)

    def rate_intervals(self, confidence_level: float | None = None, method: str | None = None) -> pd.DataFrame:
        """Confidence interval of every group's rate, recomputed from the counts.

        Parameters
        ----------
        confidence_level : float or None, default=None
            None uses the audit's level.
        method : {"wilson", "clopper-pearson", "jeffreys", "bootstrap"} or None, default=None
            None uses the audit's ``interval_method``; ``"bootstrap"`` gives every compared
            metric's percentile (or BCa) interval from the audit's replicates (``n_resamples``).

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
        level = self.options.confidence_level if confidence_level is None else _check_interval(
            confidence_level, "confidence_level", 0, 1, caller=caller)
        method = self.options.interval_method if method is None else _check_option(
            method, "method", {"wilson", "clopper-pearson", "jeffreys", "bootstrap"}, caller=caller)
        return _views.rate_interval_frame(self, level, method)

    @cached_property
    def independence_tests(self) -> pd.DataFrame:
        """Per grouping and proportion metric: a test that all groups share one rate.

        Groups of missing protected values are left out. ``method`` is ``chi2``
        (Pearson), ``g`` (likelihood ratio) or ``monte-carlo`` (exact conditional test on
        the r x 2 table with fixed margins, p = (k + 1) / (B + 1); ``"auto"`` uses it
        where Cochran's rule says chi-square is inadequate). ``pvalue_asymptotic`` is the
        chi-square p-value of the statistic, beside a Monte Carlo p-value that cannot go
        below 1 / (B + 1). Complementary metrics (PPV and FDR, ...) share one test.
        """
        gen = np.random.default_rng([self.seed, 0])
        metrics = [get_metric(m) for m in self.metrics]
        rows = [row for g in self.groupings for row in independence_rows(g.grouping, metrics, self.options, gen)]
        rows += [row for g in self.groupings for row in _task_views.class_omnibus_rows(g.grouping, self.options, gen)]
        return pd.DataFrame(rows, columns=["attribute", "metric", "method", "statistic", "dof", "pvalue",
                                           "pvalue_asymptotic"])

    @cached_property
    def distribution_parity(self) -> pd.DataFrame:
        """Regression audits: distributions of predictions by group (empty for other tasks).

        Per group: ``ks_distance``, the Kolmogorov-Smirnov distance between its (weighted)
        predictions and those of the reference of ``mean_prediction`` (the rest of the
        population for ``"overall"``), read at the histogram's bin edges (never above the
        exact distance), and ``ks_upper_bound``, which the exact distance never exceeds;
        ``scoring_rate``, the share predicted above the full-sample median
        (``median_prediction``), and ``impact_ratio``, the group's rate of the favourable
        side of the median over the highest among assessable groups (NYC Local Law 144).
        """
        return _task_views.distribution_parity(self)

    @cached_property
    def stratified(self) -> pd.DataFrame:
        """Cochran-Mantel-Haenszel tests of each group against its reference within strata.

        Empty unless the audit had a ``control`` variable. ``odds_ratio`` is the
        Mantel-Haenszel common odds ratio of the metric's event for the group against the
        reference; ``ci_low``/``ci_high`` its Robins-Breslow-Greenland interval.
        """
        rows = []
        if self.control is not None:
            metrics = [get_metric(m) for m in self.metrics]
            for g in self.groupings:
                if not g.is_intersection:
                    rows += stratified_rows(self.counts, g.attributes[0], self.control, g.reference_index,
                                            g.labels, metrics, self.options)
        return pd.DataFrame(rows, columns=[
            "attribute", "group", "reference", "metric", "control", "n_strata", "statistic", "pvalue",
            "odds_ratio", "ci_low", "ci_high"])

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per (attribute, metric): lowest and highest assessable group, max - min and min / max.

        Only assessable groups (not missing-value groups, at least ``min_group_size`` rows)
        enter these summaries. With bootstrap replicates, ``ci_low`` and ``ci_high`` bound
        ``difference``.
        """
        return _views.summary(self)

    @cached_property
    def criteria(self) -> pd.DataFrame:
        """Named fairness criteria per attribute, from the max-min summaries.

        ``demographic_parity`` (selection rate), ``equal_opportunity`` (TPR),
        ``equalized_odds`` (larger of the TPR and FPR gaps), ``predictive_parity`` (PPV),
        ``error_rate_balance`` (larger of the FPR and FNR gaps) and ``accuracy_equality``.
        0 difference and ratio 1 mean parity. With bootstrap replicates, ``ci_low`` and
        ``ci_high`` bound ``difference`` (reference groups held fixed).
        """
        return _views.criteria(self)

    @cached_property
    def four_fifths(self) -> pd.DataFrame:
        """The four-fifths rule per group: impact ratio of the favourable-decision rate.

        The impact ratio is the group's rate of the favourable decision divided by the
        highest such rate among the assessable groups of the attribute; an assessable
        group with a ratio below ``options.four_fifths_threshold`` (default 0.8) is
        flagged. This is the US EEOC rule of thumb for adverse impact: a heuristic, not a
        statistical test, and not by itself a finding of discrimination. ``shortfall`` is
        how many more favourable decisions (weighted, with sample weights) a flagged group
        would have needed to reach the threshold.
        """
        return _views.four_fifths_frame(self)

    def side_comparisons(self) -> pd.DataFrame:
        """Intersectional groups against the groups one attribute away from them.

        A group that differs from its reference in two or more attributes (women of one race
        against men of another) is compared with each group that differs from it in one
        attribute only, taking the reference's level there, so a gap can be read one
        attribute at a time. The intervals are the audit's own for two groups; the
        comparisons are outside its multiple-testing family and carry no verdict. Empty for
        an audit with a control attribute, whose comparisons are stratified.

        Returns
        -------
        DataFrame
            ``attribute, group, reference, metric, differs_in, comparison_group, value,
            comparison_value, difference, ci_low, ci_high``, one row per group, metric and
            attribute in which it differs from its reference.

        Examples
        --------
        >>> import pandas as pd, biasaudit as ba
        >>> cells = {("m", "A"): (400, 200), ("f", "A"): (300, 150), ("m", "D"): (200, 60), ("f", "D"): (250, 75)}
        >>> df = pd.concat([pd.DataFrame({"sex": s, "race": r, "hired": [1] * k + [0] * (n - k)})
        ...                 for (s, r), (n, k) in cells.items()], ignore_index=True)
        >>> r = ba.audit(df, y_true=None, y_pred="hired", protected=["sex", "race"],
        ...              reference={"sex": "m", "race": "A"})
        >>> r.side_comparisons()[["group", "differs_in", "comparison_group", "difference"]].round(3)
            group differs_in comparison_group  difference
        0  (f, D)        sex           (m, D)         0.0
        1  (f, D)       race           (f, A)        -0.2
        """
        from ._side import side_comparisons_frame

        return side_comparisons_frame(self)

    # ------------------------------------------------------------------ scores (docs/scores.md; views in _result_scores)

    @property
    def decisions(self) -> "AuditResult | None":
        """With ``y_score`` and ``y_pred`` both given: the audit of the decisions ``y_pred``."""
        return self.provenance.get("decisions")

    def at_threshold(self, threshold) -> "AuditResult":
        """Score audits: the decision audit of ``score >= threshold``.

        Parameters
        ----------
        threshold : float or str
            A score, or a rule such as ``"top_k=100"``, ``"top_share=0.1"`` or ``"fpr=0.2"``.

        Returns
        -------
        AuditResult
            The binary audit of the decisions at that threshold.
        """
        from ._score_audit import at_threshold

        return at_threshold(self, threshold)

    # ------------------------------------------------------------------ derived results

    def with_options(self, **changes: Any) -> "AuditResult":
        """The same audit with some options changed, from the table alone.

        The seed and the provenance are kept, so ``with_options()`` with no change gives
        an identical result, bootstrap intervals included; ``rng=`` draws a new seed.

        Parameters
        ----------
        **changes
            Any option of :func:`audit` (see ``biasaudit._options.OPTIONS``), and
            ``control`` (an attribute of the table, or None).

        Returns
        -------
        AuditResult

        Examples
        --------
        >>> import biasaudit as ba
        >>> r = ba.audit(y_true=[1, 0, 1, 0] * 5, y_pred=[1, 1, 0, 0] * 5, protected=["a", "b"] * 10,
        ...              metrics=["selection_rate"])
        >>> r.with_options(confidence_level=0.99).options.confidence_level
        0.99
        """
        caller = "with_options"
        control = changes.pop("control", self.control)
        if control is not None and control not in self.counts.attributes:
            from .exceptions import InvalidParameterError

            msg = (f"{caller}(): `control` must be one of the attributes of the table "
                   f"{list(self.counts.attributes)}; got {control!r}.")
            raise InvalidParameterError(msg)
        options = self.options.replace(caller, **changes)
        seed = self.seed if "rng" not in changes else draw_seed(options.rng)
        return AuditResult(counts=self.counts, options=options, control=control, seed=seed,
                           provenance=self.provenance, caller=caller, replicates=self.replicates)

    def recompute(self, **changes: Any) -> "AuditResult":
        """Deprecated alias of :meth:`with_options`.

        Parameters
        ----------
        **changes
            Any option of :func:`audit`, as in :meth:`with_options`.

        Returns
        -------
        AuditResult

        Examples
        --------
        >>> import warnings, biasaudit as ba
        >>> demo = ba.datasets.make_biased_classification(2000, rng=1)
        >>> r = ba.audit(demo.data, y_true="y_true", y_pred="y_pred", protected="sex")
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore", FutureWarning)
        ...     r.recompute(confidence_level=0.9).options.confidence_level
        0.9
        """
        warnings.warn("AuditResult.recompute() is deprecated and will be removed in biasaudit 0.3; "
                      "use AuditResult.with_options(), which keeps the seed and the provenance.",
                      FutureWarning, stacklevel=2)
        return self.with_options(**changes)

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
            "empty_groups": [{"attributes": list(a), "count": n} for a, n in self.empty_groups if n],
            "overall": self.overall.to_dict(),
            "counts": self.counts._plain(),
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
        fmt: dict[str, Any] = {"index": False, "float_format": lambda x: f"{x:.3f}", "na_rep": "NaN", "escape": True}
        parts = [
            "<div class='biasaudit-result'>",
            f"<h4>biasaudit audit: {self.n_rows:,} rows, "
            f"{html.escape(', '.join(g.name for g in self.groupings))}</h4>",
            table.to_html(**fmt),
        ]
        if len(self.criteria):
            parts.append("<h5>Fairness criteria (max - min over groups; ratio min / max)</h5>")
            parts.append(self.criteria.to_html(**fmt))
        threshold = self.options.four_fifths_threshold
        parts.append(f"<p>Groups below the four-fifths threshold ({threshold:g}, a US EEOC heuristic): "
                     f"{len(flagged)}.</p>")
        if len(flagged):
            parts.append(flagged[["attribute", "group", "n", "favourable_rate", "impact_ratio"]].to_html(**fmt))
        parts.append("</div>")
        return "\n".join(parts)


def draw_seed(rng) -> int:
    """The seed of an audit's random draws, fixed once when the audit runs.

    An integer ``rng`` is the seed itself, so the seed a report prints replays the audit
    as ``rng=seed``; anything else (None, a Generator) draws one.
    """
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and 0 <= rng < 2**63:
        return int(rng)
    return int(np.random.default_rng(rng).integers(2**63))


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
