"""``audit()`` and ``audit_counts()``: an audit is the analysis of a table counted from rows."""

from __future__ import annotations

from ._options import AuditOptions, audit_options
from ._bootstrap_rows import regression_replicates
from ._result import AuditResult, draw_seed
from ._score_audit import count_score_rows
from ._sources import audit_source, is_external
from ._tables import Table, count_binary
from ._tasks import auto_task, binarise_classes, check_task, check_task_inputs, count_task_table
from ._validation import _check_audit_inputs, _column, _protected_columns
from .exceptions import InvalidParameterError

__all__ = ["audit", "audit_counts"]


@audit_options
def audit(data=None, *, y_true, y_pred=None, protected, sample_weight=None, pos_label=1, control=None,
          task: str = "auto", favorable_classes=None, prediction_bins=100, y_score=None, score_bins="auto",
          fingerprint: bool = True, **options) -> AuditResult:
    """Audit decisions for disparities between groups of one or more protected attributes.

    Counts every row once into a group x y_true x y_pred table (see
    :func:`group_counts`), then computes each group's metrics, their disparities against a
    reference group, max-min summaries, named fairness criteria and four-fifths flags.

    Parameters
    ----------
    data : DataFrame, file path, or None, default=None
        Where the column names given below are looked up: a pandas DataFrame, or (columns by
        name) a file path (CSV, TSV, JSON lines, Parquet, compressed or partitioned), a polars
        frame (eager or lazy), a pyarrow Table or Dataset, a DuckDB relation, a Dask, PySpark
        or Ibis frame, or a database table or query, counted where it lives without
        collecting rows, for every task (see docs/engines.md; ``task="auto"`` is binary there).
    y_true : array-like of shape (n_samples,), column name, or None
        Observed outcomes. None audits decisions alone (selection rates only).
    y_pred : array-like of shape (n_samples,), column name, or None, default=None
        Decisions or predictions, binary (or classes or amounts, see ``task``). Required
        unless ``y_score`` is given. A Series is aligned with ``data`` (or with the first
        Series given) by index label; a Series whose labels differ is an error, never
        combined by position.
    protected : column name, list of names, array-like, dict of arrays, or DataFrame
        One or more protected attributes. Missing values form a group of their own,
        labelled ``"(missing)"``.
    sample_weight : array-like of shape (n_samples,), column name, or None, default=None
        Non-negative finite weights; every metric is weighted, ``n`` stays a row count.
    pos_label : scalar, default=1
        Value of ``y_true`` and ``y_pred`` meaning the positive outcome.
    control : column name, array-like or None, default=None
        A variable to stratify by (for example job level): adds Cochran-Mantel-Haenszel
        tests of each group against its reference within its strata
        (:attr:`AuditResult.stratified`).
    task : {"auto", "binary", "multiclass", "regression"}, default="auto"
        What ``y_pred`` is: decisions, one of several classes, or an amount. ``"auto"``
        decides from the values (by the rule of scikit-learn's ``type_of_target``) and raises when that is
        ambiguous; see docs/tasks.md.
    favorable_classes : list or None, default=None
        For several classes: the classes favourable to the person. The audit is then the
        binary audit of "a favourable class or not" (``pos_label`` is then 1), with the
        four-fifths rule; ``y_true`` is binarised the same way when its values are classes.
    prediction_bins : int or array-like, default=100
        Regression: the number of quantile bins of the histogram of predictions, or their
        right edges (the same edges make tables of chunks addable).
    y_score : array-like of shape (n_samples,), column name, or None, default=None
        Real scores (probabilities for the calibration metrics): audits ranking and
        calibration per group from a group x y_true x score table (see docs/scores.md);
        decisions at ``threshold`` come from the same table. With ``y_pred`` too, the
        decisions are audited in :attr:`AuditResult.decisions`.
    score_bins : {"auto", "exact"} or int, default="auto"
        With ``y_score``: one bin per distinct score ("exact"), that many fixed-width bins
        with a certified AUC error bound, or exact up to 16,384 distinct scores ("auto").
    fingerprint : bool, default=True
        Record a fingerprint of the audited rows (``parameters["data_sha256"]``) for the
        report's data provenance: an order-independent hash of each row's labels, binarised
        outcome and decision and weight, so the same rows give the same hash whatever the
        containers, dtypes, row order or chunking (fingerprints of chunks add up). Without
        weights it is computed from the table alone; with weights it costs two counting
        passes.
    {options}

    Returns
    -------
    AuditResult
        ``group_metrics``, ``disparities``, ``summary``, ``criteria``, ``four_fifths`` and
        the ``counts`` they come from.

    Raises
    ------
    AuditError
        On inputs of unequal length, empty data, non-binary or ambiguous labels, bad or
        all-zero weights, Series whose index labels differ, or unknown column names; the
        message names the argument and what was expected.

    Warns
    -----
    UndefinedMetricWarning
        When a metric or a ratio has a zero denominator; the value is NaN, never 0.
    MissingGroupWarning
        When a protected attribute has missing values.
    SingleGroupWarning
        When a protected attribute has a single group, so there is nothing to compare.
    ContinuousAttributeWarning
        When a numeric protected attribute has more than 20 distinct values; band it with
        :func:`bands`.

    See Also
    --------
    group_counts : the count table alone.
    audit_counts : the same audit from an existing (for example summed) count table.

    Notes
    -----
    For a metric with value :math:`m_g` in group *g* and reference value :math:`m_r`,
    ``difference`` is :math:`m_g - m_r` and ``ratio`` is :math:`m_g / m_r` (NaN when
    :math:`m_r = 0`). The four-fifths flag compares each group's favourable-decision rate
    with the highest one; it is a heuristic of US employment practice (29 CFR 1607.4(D)),
    not a statistical test.

    Examples
    --------
    >>> import biasaudit as ba
    >>> r = ba.audit(
    ...     y_true=[1, 1, 1, 0, 0, 0] * 5 + [1, 1, 0, 0, 0, 0] * 5,
    ...     y_pred=[1, 1, 0, 1, 0, 0] * 5 + [1, 0, 1, 1, 0, 0] * 5,
    ...     protected={"sex": ["f"] * 30 + ["m"] * 30},
    ... )
    >>> r.group_metrics[["group", "n", "selection_rate", "true_positive_rate"]]
      group   n  selection_rate  true_positive_rate
    0     f  30             0.5            0.666667
    1     m  30             0.5            0.500000
    >>> r.criteria.set_index("criterion").loc["equalized_odds", "difference"].round(4)
    np.float64(0.1667)
    """
    caller = "audit"
    checked = AuditOptions.from_kwargs(caller, **options)
    if is_external(data):
        return audit_source(data, y_true=y_true, y_pred=y_pred, protected=protected, sample_weight=sample_weight,
                            pos_label=pos_label, control=control, task=task, favorable_classes=favorable_classes,
                            prediction_bins=prediction_bins, y_score=y_score, score_bins=score_bins,
                            fingerprint=fingerprint, options=checked, caller=caller)
    protected_cols = _protected_with_control(data, protected, control, caller)
    task = check_task(task, caller=caller)
    if y_score is not None:
        if task not in ("auto", "binary") or favorable_classes is not None:
            msg = (f"{caller}(): `y_score` audits scores of a binary outcome; got task={task!r}"
                   f"{' and favorable_classes' if favorable_classes is not None else ''}.")
            raise InvalidParameterError(msg)
        return _score_audit(data, y_true=y_true, y_pred=y_pred, y_score=y_score, protected=protected_cols,
                            sample_weight=sample_weight, pos_label=pos_label, control=control,
                            fingerprint=fingerprint, score_bins=score_bins, options=checked, caller=caller)
    if y_pred is None:
        msg = f"{caller}(): `y_pred` is required unless `y_score` is given; got None."
        raise InvalidParameterError(msg)
    if favorable_classes is not None:
        y_true, y_pred, pos_label, task = binarise_classes(data, y_true, y_pred, favorable_classes, pos_label,
                                                           caller=caller)
    if task == "auto":
        task = auto_task(data, y_true, y_pred, caller=caller)
    if task != "binary":
        inputs = check_task_inputs(data, y_true=y_true, y_pred=y_pred, protected=protected_cols,
                                   sample_weight=sample_weight, task=task, caller=caller)
        control_name = next(reversed(inputs.protected)) if control is not None else None
        table = count_task_table(inputs, task, prediction_bins=prediction_bins, fingerprint=fingerprint,
                                 caller=caller)
        seed = draw_seed(checked.rng)
        replicates = None
        if task == "regression" and checked.n_resamples and checked.bootstrap_method == "percentile":
            # moments are resampled from the rows (docs/statistics.md)
            replicates = regression_replicates(inputs, table, n_resamples=checked.n_resamples, seed=seed,
                                               caller=caller)
        return AuditResult(counts=table, options=checked, control=control_name, seed=seed,
                           provenance={"pos_label": None, "task": task},
                           caller=caller, replicates=replicates)
    inputs = _check_audit_inputs(
        data, y_true=y_true, y_pred=y_pred, protected=protected_cols, sample_weight=sample_weight,
        pos_label=pos_label, caller=caller,
    )
    control_name = next(reversed(inputs.protected)) if control is not None else None
    table = count_binary(inputs, fingerprint=fingerprint, caller=caller)
    return AuditResult(counts=table, options=checked, control=control_name, seed=draw_seed(checked.rng),
                       provenance={"pos_label": pos_label, "task": "binary"},
                       caller=caller)


@audit_options
def audit_counts(counts: Table, *, control=None, **options) -> AuditResult:
    """Audit from a count table instead of rows, for chunked or distributed data.

    Parameters
    ----------
    counts : GroupCounts
        A table from :func:`group_counts`, or a sum of such tables.
    control : str or None, default=None
        Name of an attribute of ``counts`` to stratify by instead of auditing it.
    {options}

    Returns
    -------
    AuditResult

    Examples
    --------
    >>> import biasaudit as ba
    >>> part1 = ba.group_counts(y_true=[1, 0, 1, 0, 1], y_pred=[1, 0, 0, 1, 1], group=list("aaabb"))
    >>> part2 = ba.group_counts(y_true=[0, 0, 1], y_pred=[1, 0, 0], group=list("abb"))
    >>> r = ba.audit_counts(part1 + part2)
    >>> r.group_metrics[["group", "n", "selection_rate", "accuracy"]]
      group  n  selection_rate  accuracy
    0     a  4             0.5       0.5
    1     b  4             0.5       0.5
    """
    caller = "audit_counts"
    if not isinstance(counts, Table):
        msg = f"{caller}(): `counts` must be a table (GroupCounts or Table); got {type(counts).__name__}."
        raise InvalidParameterError(msg)
    checked = AuditOptions.from_kwargs(caller, **options)
    if control is not None and control not in counts.attributes:
        msg = (f"{caller}(): `control` must be one of the attributes of `counts` "
               f"{list(counts.attributes)}; got {control!r}.")
        raise InvalidParameterError(msg)
    return AuditResult(counts=counts, options=checked, control=control, seed=draw_seed(checked.rng),
                       provenance={"pos_label": None}, caller=caller)


def _score_audit(data, *, y_true, y_pred, y_score, protected, sample_weight, pos_label, control, fingerprint,
                 score_bins, options, caller):
    """A score audit: the score table, and the decisions' audit when ``y_pred`` is given too."""
    table = count_score_rows(data, y_true=y_true, y_score=y_score, protected=protected,
                             sample_weight=sample_weight, pos_label=pos_label, thresholds=options.threshold,
                             score_bins=score_bins, fingerprint=fingerprint, caller=caller)
    control_name = next(reversed(table.attributes)) if control is not None else None
    seed = draw_seed(options.rng)
    decisions = None
    if y_pred is not None:
        inputs = _check_audit_inputs(data, y_true=y_true, y_pred=y_pred, protected=protected,
                                     sample_weight=sample_weight, pos_label=pos_label, caller=caller)
        counts = count_binary(inputs, fingerprint=fingerprint, caller=caller)
        decisions = AuditResult(counts=counts, options=options.replace(caller, metrics=None, threshold=None),
                                control=control_name, seed=seed, caller=caller,
                                provenance={"pos_label": pos_label,
                                            "task": "binary"})
    return AuditResult(counts=table, options=options, control=control_name, seed=seed, caller=caller,
                       provenance={"pos_label": pos_label, "task": "score",
                                   "decisions": decisions})


def _protected_with_control(data, protected, control, caller):
    """The protected columns with the control variable appended as a last attribute."""
    if control is None:
        return protected
    cols = _protected_columns(data, protected, caller=caller)
    name, col = _column(data, control, "control", caller=caller)
    name = str(name)
    if name in cols:
        msg = f"{caller}(): `control` must not be one of the protected attributes; got {name!r}."
        raise InvalidParameterError(msg)
    return {**cols, name: col}
