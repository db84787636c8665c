"""``audit()``: validate once, count once, then derive every table from the counts."""

from __future__ import annotations

import itertools
import warnings
from dataclasses import asdict
from typing import Mapping

import numpy as np

from ._disparities import REFERENCE_RULES, Grouping, compare, reference_indices
from ._kernel import GroupCounts, _encode_all, count_table, data_fingerprint, new_hashers
from ._metrics import get_metric, list_metrics
from ._results import AuditResult, Comparison
from ._inference import BOOTSTRAP_METHODS, CORRECTIONS, INTERVALS, OMNIBUS, RATIO_METHODS, TESTS, StatOptions
from ._validation import (
    _check_audit_inputs,
    _check_interval,
    _check_option,
    _column,
    _protected_columns,
    _same_label,
    _suggest,
)
from .exceptions import (
    AuditError,
    InvalidParameterError,
    MissingGroupWarning,
    SingleGroupWarning,
    UndefinedMetricWarning,
)

__all__ = ["audit", "audit_counts"]

_SHOWN = 8  # examples listed in an aggregated warning


def audit(
    data=None,
    *,
    y_true,
    y_pred,
    protected,
    sample_weight=None,
    reference="largest",
    pos_label=1,
    intersections=True,
    metrics=None,
    positive_is_favorable=True,
    four_fifths_threshold=0.8,
    confidence_level=0.95,
    interval_method="wilson",
    test="auto",
    correction="holm",
    alternative="two-sided",
    tolerance=0.05,
    omnibus_test="auto",
    n_resamples=0,
    bootstrap_method="percentile",
    ratio_method="katz",
    control=None,
    rng=None,
    fingerprint=True,
) -> AuditResult:
    """Audit decisions for disparities between groups of one or more protected attributes.

    Counts every row once into a group x y_true x y_pred table (see
    :func:`group_counts`), then computes each group's metrics, their disparities against a
    reference group, max-min summaries, named fairness criteria and four-fifths flags.

    Parameters
    ----------
    data : DataFrame or None, default=None
        Frame in which column names given below are looked up.
    y_true : array-like of shape (n_samples,), column name, or None
        Observed outcomes. None audits decisions alone (selection rates only).
    y_pred : array-like of shape (n_samples,) or column name
        Decisions or predictions, binary.
    protected : column name, list of names, array-like, dict of arrays, or DataFrame
        One or more protected attributes. Missing values form a group of their own,
        labelled ``"(missing)"``.
    sample_weight : array-like of shape (n_samples,), column name, or None, default=None
        Non-negative finite weights; every metric is weighted, ``n`` stays a row count.
    reference : {"largest", "best", "overall"}, label, or dict, default="largest"
        The comparison point of disparities: the group with the largest (weighted) size,
        the group with the most favourable value of each metric (as NYC Local Law 144 and
        the EEOC four-fifths rule do), the whole population, or an explicit group. A dict
        maps attribute (or intersection) names to a rule or a group label; attributes it
        does not name use ``"largest"``. Missing-value groups are never chosen
        automatically.
    pos_label : scalar, default=1
        Value of ``y_true`` and ``y_pred`` meaning the positive outcome.
    intersections : bool, "all", or list of tuples of names, default=True
        Intersectional groupings to add: True adds the cross of all protected attributes
        (when there are two or more), "all" every cross of two or more, False none, and a
        list exactly the crosses it names.
    metrics : list of str or None, default=None
        Metric names or aliases (see :func:`list_metrics`); None computes all metrics the
        inputs allow.
    positive_is_favorable : bool, default=True
        Whether the positive prediction is the favourable decision for the person (a loan
        granted) rather than the unfavourable one (flagged as high risk). It sets the
        direction of "best" for the selection rate and which rate the four-fifths rule uses.
    four_fifths_threshold : float, default=0.8
        Impact-ratio threshold of the four-fifths flag, in (0, 1].
    confidence_level : float, default=0.95
        Level of every interval; tests use ``alpha = 1 - confidence_level``.
    interval_method : {"wilson", "clopper-pearson", "jeffreys"}, default="wilson"
        Interval of each group's rate (:meth:`AuditResult.rate_intervals`).
    test : {"auto", "score", "fisher"}, default="auto"
        Test of each group against its reference: the pooled two-proportion score (z)
        test, Fisher's exact test, or ``"auto"``: Fisher where an expected cell count is
        below 5, the score test elsewhere. The test used is recorded per row.
    correction : {"holm", "fdr_bh", "bonferroni"}, default="holm"
        Multiple-testing adjustment over the audit's whole family of group-versus-reference
        tests (every grouping, group and proportion metric).
    alternative : {"two-sided", "less", "greater"}, default="two-sided"
        Alternative hypothesis of the tests: "less" means the group's rate is below the
        reference's.
    tolerance : float, default=0.05
        Largest absolute difference of rates treated as practically negligible: the
        equivalence margin for parity, the practical-significance threshold (with ratios
        outside [0.8, 1.25]) for disparity, and the gap at which power is computed.
    omnibus_test : {"auto", "chi2", "g", "monte-carlo"}, default="auto"
        Test of equal rates across all groups of a grouping: Pearson's chi-square, the
        G test, or a Monte Carlo exact test (9,999 tables with fixed margins); ``"auto"``
        takes the Monte Carlo test where an expected count is below 5.
    n_resamples : int, default=0
        Bootstrap replicates for intervals of every difference, max-min spread and
        criterion (0 for none). The count-level bootstrap costs O(replicates x cells),
        independent of the number of rows; groups keep their sizes.
    bootstrap_method : {"percentile", "bca"}, default="percentile"
        Bootstrap interval method.
    ratio_method : {"katz", "koopman"}, default="katz"
        Interval of each ratio to the reference: Katz's log interval (with 0.5 added to
        every cell only where a count is zero) or Koopman's score interval.
    control : column name, array-like or None, default=None
        A variable to stratify by (for example job level): adds Cochran-Mantel-Haenszel
        tests of each group against its reference within its strata
        (:attr:`AuditResult.stratified`).
    rng : None, int, SeedSequence or Generator, default=None
        Source of randomness of the Monte Carlo tests and the bootstrap.
    fingerprint : bool, default=True
        Record the SHA-256 of the audited columns (``parameters["data_sha256"]``) for the
        report's data provenance: a canonical encoding of the binarised labels, the group
        codes and labels and the weights, so the same data give the same hash whatever the
        containers or dtypes. It costs about one extra pass at memory speed.

    Returns
    -------
    AuditResult
        ``group_metrics``, ``disparities``, ``summary``, ``criteria``, ``four_fifths`` and
        the ``counts`` they come from.

    Raises
    ------
    AuditError
        On inputs of unequal length, empty data, non-binary labels, bad weights or
        unknown column names; the message names the argument and what was expected.

    Warns
    -----
    UndefinedMetricWarning
        When a metric or a ratio has a zero denominator; the value is NaN, never 0.
    MissingGroupWarning
        When a protected attribute has missing values.
    SingleGroupWarning
        When a protected attribute has a single group, so there is nothing to compare.

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
    ...     y_true=[1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0],
    ...     y_pred=[1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0],
    ...     protected={"sex": ["f"] * 6 + ["m"] * 6},
    ... )
    >>> r.group_metrics[["group", "n", "selection_rate", "true_positive_rate"]]
      group  n  selection_rate  true_positive_rate
    0     f  6             0.5            0.666667
    1     m  6             0.5            0.500000
    >>> r.criteria.set_index("criterion").loc["equalized_odds", "difference"].round(4)
    np.float64(0.1667)
    """
    caller = "audit"
    protected_cols = _protected_with_control(data, protected, control, caller)
    inputs = _check_audit_inputs(
        data, y_true=y_true, y_pred=y_pred, protected=protected_cols, sample_weight=sample_weight,
        pos_label=pos_label, caller=caller,
    )
    control_name = next(reversed(inputs.protected)) if control is not None else None
    _check_options(reference, intersections, positive_is_favorable, four_fifths_threshold, caller)
    options = _stat_options(confidence_level, interval_method, test, correction, alternative, tolerance,
                            omnibus_test, n_resamples, bootstrap_method, ratio_method, caller)
    metric_names = _metric_names(metrics, inputs.y_true is not None, caller)
    encoded = _encode_all(inputs.protected)
    hashers = new_hashers(encoded, inputs.y_true, inputs.sample_weight) if fingerprint else None
    counts = count_table(encoded, inputs.y_true, inputs.y_pred, inputs.sample_weight, hashers)
    digest = (data_fingerprint(encoded, inputs.y_true, inputs.y_pred, inputs.sample_weight, hashers)
              if fingerprint else None)
    return _audit_from_counts(
        counts, reference=reference, intersections=intersections, metric_names=metric_names,
        positive_is_favorable=positive_is_favorable, four_fifths_threshold=four_fifths_threshold,
        pos_label=pos_label, options=options, control=control_name, rng=rng, caller=caller,
        data_sha256=digest,
    )


def audit_counts(
    counts: GroupCounts,
    *,
    reference="largest",
    intersections=True,
    metrics=None,
    positive_is_favorable=True,
    four_fifths_threshold=0.8,
    confidence_level=0.95,
    interval_method="wilson",
    test="auto",
    correction="holm",
    alternative="two-sided",
    tolerance=0.05,
    omnibus_test="auto",
    n_resamples=0,
    bootstrap_method="percentile",
    ratio_method="katz",
    control=None,
    rng=None,
) -> AuditResult:
    """Audit from a count table instead of rows, for chunked or distributed data.

    Parameters
    ----------
    counts : GroupCounts
        A table from :func:`group_counts`, or a sum of such tables.
    reference, intersections, metrics, positive_is_favorable, four_fifths_threshold
        As in :func:`audit`.
    confidence_level, interval_method, test, correction, alternative, tolerance
        As in :func:`audit`.
    omnibus_test, n_resamples, bootstrap_method, ratio_method, rng
        As in :func:`audit`.
    control : str or None, default=None
        Name of an attribute of ``counts`` to stratify by instead of auditing it.

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
    if not isinstance(counts, GroupCounts):
        msg = f"{caller}(): `counts` must be a GroupCounts; got {type(counts).__name__}."
        raise InvalidParameterError(msg)
    _check_options(reference, intersections, positive_is_favorable, four_fifths_threshold, caller)
    if control is not None and control not in counts.attributes:
        msg = (f"{caller}(): `control` must be one of the attributes of `counts` "
               f"{list(counts.attributes)}; got {control!r}.")
        raise InvalidParameterError(msg)
    options = _stat_options(confidence_level, interval_method, test, correction, alternative, tolerance,
                            omnibus_test, n_resamples, bootstrap_method, ratio_method, caller)
    metric_names = _metric_names(metrics, counts.has_y_true, caller)
    return _audit_from_counts(
        counts, reference=reference, intersections=intersections, metric_names=metric_names,
        positive_is_favorable=positive_is_favorable, four_fifths_threshold=four_fifths_threshold,
        pos_label=None, options=options, control=control, rng=rng, caller=caller,
    )


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


def _stat_options(confidence_level, interval_method, test, correction, alternative, tolerance,
                  omnibus_test, n_resamples, bootstrap_method, ratio_method, caller) -> StatOptions:
    level = _check_interval(confidence_level, "confidence_level", 0, 1, caller=caller)
    tol = _check_interval(tolerance, "tolerance", 0, 1, caller=caller)
    if isinstance(n_resamples, bool) or not isinstance(n_resamples, (int, np.integer)) or n_resamples < 0:
        msg = f"{caller}(): `n_resamples` must be an integer >= 0; got {n_resamples!r}."
        raise InvalidParameterError(msg)
    return StatOptions(
        confidence_level=level,
        interval_method=_check_option(interval_method, "interval_method", set(INTERVALS), caller=caller),
        test=_check_option(test, "test", set(TESTS), caller=caller),
        correction=_check_option(correction, "correction", set(CORRECTIONS), caller=caller),
        alternative=_check_option(alternative, "alternative", {"two-sided", "less", "greater"}, caller=caller),
        tolerance=tol,
        omnibus_test=_check_option(omnibus_test, "omnibus_test", set(OMNIBUS), caller=caller),
        n_resamples=int(n_resamples),
        bootstrap_method=_check_option(bootstrap_method, "bootstrap_method", set(BOOTSTRAP_METHODS), caller=caller),
        ratio_method=_check_option(ratio_method, "ratio_method", set(RATIO_METHODS), caller=caller),
    )


def _check_options(reference, intersections, positive_is_favorable, threshold, caller):
    _check_interval(threshold, "four_fifths_threshold", 0, 1, caller=caller, closed="right")
    if not isinstance(positive_is_favorable, (bool, np.bool_)):
        msg = f"{caller}(): `positive_is_favorable` must be True or False; got {positive_is_favorable!r}."
        raise InvalidParameterError(msg)
    if isinstance(intersections, str):
        _check_option(intersections, "intersections", {"all"}, caller=caller)
    elif not isinstance(intersections, (bool, np.bool_, list, tuple)) and intersections is not None:
        msg = (f"{caller}(): `intersections` must be True, False, 'all' or a list of tuples of "
               f"attribute names; got {intersections!r}.")
        raise InvalidParameterError(msg)


def _metric_names(metrics, has_y_true, caller) -> tuple:
    if metrics is None:
        chosen = list_metrics() if has_y_true else list_metrics(needs_y_true=False)
    else:
        if isinstance(metrics, str):
            metrics = [metrics]
        chosen = []
        for m in metrics:
            entry = get_metric(m, caller=caller)
            if entry.needs_y_true and not has_y_true:
                msg = (f"{caller}(): metric {entry.name!r} needs `y_true`, which was not given. "
                       f"Hint: without outcomes only {list_metrics(needs_y_true=False)} can be audited.")
                raise InvalidParameterError(msg)
            if entry.name not in chosen:
                chosen.append(entry.name)
        if not chosen:
            msg = f"{caller}(): `metrics` must name at least one metric; got an empty list."
            raise InvalidParameterError(msg)
    rates = [m for m in chosen if get_metric(m).kind != "count"]
    return tuple(rates + [m for m in chosen if m not in rates])


def _intersection_sets(names, intersections, caller) -> list[tuple]:
    if intersections is None or intersections is False:
        return []
    if len(names) < 2 and not isinstance(intersections, (list, tuple)):
        return []  # True and "all" mean nothing with one attribute; an explicit list is still checked
    if intersections is True:
        return [tuple(names)]
    if intersections == "all":
        return [c for k in range(2, len(names) + 1) for c in itertools.combinations(names, k)]
    out = []
    for combo in intersections:
        combo = (combo,) if isinstance(combo, str) else tuple(combo)
        unknown = [a for a in combo if a not in names]
        if unknown or len(combo) < 2 or len(set(combo)) != len(combo):
            msg = (f"{caller}(): each entry of `intersections` must name two or more distinct "
                   f"protected attributes among {names}; got {list(combo)}.")
            raise InvalidParameterError(msg)
        if combo not in out:
            out.append(combo)
    return out


def _groupings(counts: GroupCounts, intersections, control, caller):
    names = [a for a in counts.attributes if a != control]
    sets = [(a,) for a in names] + _intersection_sets(names, intersections, caller)
    groupings, empty = [], []
    for attrs in sets:
        marginal = counts.marginal(attrs)
        labels = marginal.flat()[0]
        n_groups = len(labels)
        missing_flags = [np.array([miss is not None and x == miss for x in lv])
                         for lv, miss in zip(marginal.levels, marginal.missing_labels)]
        grids = np.meshgrid(*missing_flags, indexing="ij")
        is_missing = np.logical_or.reduce([g.ravel() for g in grids])
        rows_table = marginal.rows.reshape(n_groups, 2, 2)
        keep = rows_table.sum(axis=(1, 2)) > 0
        name = " & ".join(attrs)
        empty += [(name, lab) for lab, k in zip(labels, keep) if not k]
        groupings.append(Grouping(
            name=name,
            attributes=attrs,
            labels=tuple(lab for lab, k in zip(labels, keep) if k),
            rows_table=rows_table[keep],
            table=marginal.weighted.reshape(n_groups, 2, 2)[keep],
            table_sq=marginal.weighted_sq.reshape(n_groups, 2, 2)[keep],
            is_missing=is_missing[keep],
            weighted=counts.is_weighted,
        ))
    return groupings, empty


def _check_reference(reference, groupings, caller):
    if isinstance(reference, Mapping):
        known = [g.name for g in groupings]
        unknown = [k for k in reference if k not in known and tuple(k) not in [g.attributes for g in groupings]]
        if unknown:
            msg = (f"{caller}(): `reference` names unknown attributes {unknown}; known: {known}.")
            raise InvalidParameterError(msg)
    elif not (isinstance(reference, str) and reference in REFERENCE_RULES) and len(groupings) > 1:
        msg = (f"{caller}(): `reference` must be one of {list(REFERENCE_RULES)} or a dict "
               f"{{attribute: group}} when several attributes are audited; got {reference!r}.")
        raise InvalidParameterError(msg)


def _resolve_reference(reference, grouping: Grouping, caller):
    """The rule name, or the index of the explicit reference group, for one grouping."""
    rule = reference
    if isinstance(reference, Mapping):
        rule = reference.get(grouping.name, reference.get(grouping.attributes, "largest"))
    if isinstance(rule, str) and rule in REFERENCE_RULES:
        return rule
    wanted = tuple(rule) if isinstance(rule, list) else rule
    for i, label in enumerate(grouping.labels):
        if _same_label(label, wanted):
            return i
    shown = [repr(lab) for lab in grouping.labels[:12]]
    msg = (f"{caller}(): `reference` for {grouping.name!r} must be one of {list(REFERENCE_RULES)} "
           f"or a group with rows; got {rule!r}. Groups: {', '.join(shown)}"
           f"{', ...' if len(grouping.labels) > 12 else ''}.")
    hint = _suggest(rule, [str(lab) for lab in grouping.labels] + list(REFERENCE_RULES))
    if "did you mean" in hint:
        msg += hint
    raise AuditError(msg)


def _audit_from_counts(counts, *, reference, intersections, metric_names, positive_is_favorable,
                       four_fifths_threshold, pos_label, options, control, rng, caller,
                       data_sha256=None) -> AuditResult:
    groupings, empty = _groupings(counts, intersections, control, caller)
    _check_reference(reference, groupings, caller)
    metrics = [get_metric(m) for m in metric_names]
    overall = np.array([m.from_counts(counts.total()) for m in metrics], dtype=np.float64)
    values, comparisons, undefined, bad_ratios = [], [], [], []
    for g in groupings:
        vals = np.array([m.from_counts(g.table) for m in metrics], dtype=np.float64).reshape(len(metrics), -1)
        rule = _resolve_reference(reference, g, caller)
        ref_idx = reference_indices(g, vals, metrics, rule, positive_is_favorable)
        ref_val = np.where(ref_idx < 0, overall, vals[np.arange(len(metrics)), np.maximum(ref_idx, 0)])
        diff, ratio = compare(vals, ref_val)
        values.append(vals)
        comparisons.append(Comparison(ref_idx, ref_val, diff, ratio))
        for i, m in enumerate(metrics):
            undefined += [(m, g.name, g.labels[j]) for j in np.flatnonzero(np.isnan(vals[i]))]
            if m.kind != "count" and ref_val[i] == 0:
                zero_ref = np.flatnonzero(~np.isnan(vals[i]) & (np.arange(len(g.labels)) != ref_idx[i]))
                bad_ratios += [(m.name, g.name, g.labels[j]) for j in zero_ref]
    # Randomness of the lazily computed tests is fixed now, so results do not depend on access order.
    seed = int(np.random.default_rng(rng).integers(2**63))
    missing = {a: int(counts.marginal([a]).rows[-1].sum()) if miss is not None else 0
               for a, miss in zip(counts.attributes, counts.missing_labels)}
    _warn_inputs(missing, counts.missing_labels, groupings)
    _warn_undefined(undefined, bad_ratios)
    if isinstance(reference, Mapping):
        reference = {str(k) if isinstance(k, str) else " & ".join(k): v for k, v in reference.items()}
    parameters = {
        "reference": reference,
        "pos_label": pos_label,
        "intersections": intersections if isinstance(intersections, (bool, str)) or intersections is None
        else [[c] if isinstance(c, str) else list(c) for c in intersections],
        "metrics": list(metric_names),
        "positive_is_favorable": bool(positive_is_favorable),
        "four_fifths_threshold": float(four_fifths_threshold),
        "weighted": counts.is_weighted,
        "has_y_true": counts.has_y_true,
        **asdict(options),
        "alpha": options.alpha,
        "control": control,
        "rng": rng if rng is None or isinstance(rng, (int, np.integer)) else repr(rng),
        "seed": seed,
        "data_sha256": data_sha256,
    }
    return AuditResult(
        counts=counts,
        groupings=tuple(groupings),
        metrics=tuple(metric_names),
        values=tuple(values),
        overall_values=overall,
        comparisons=tuple(comparisons),
        parameters=parameters,
        missing=missing,
        empty_groups=tuple(empty),
        options=options,
    )


def _describe(name, label):
    return f"{name}={label!r}"


def _warn_inputs(missing, missing_labels, groupings):
    if any(missing.values()):
        detail = "; ".join(f"{a}: {n} rows" for a, n in missing.items() if n)
        label = next(m for m in missing_labels if m is not None)
        msg = (f"Protected attributes have missing values ({detail}); they are audited as a "
               f"group of their own labelled {label!r}, not dropped.")
        warnings.warn(msg, MissingGroupWarning, stacklevel=4)
    for g in groupings:
        if len(g.attributes) == 1 and len(g.labels) < 2:
            only = repr(g.labels[0]) if g.labels else "none"
            msg = (f"Protected attribute {g.name!r} has a single group with rows ({only}); "
                   f"there is nothing to compare, so its disparities are trivial.")
            warnings.warn(msg, SingleGroupWarning, stacklevel=4)


def _warn_undefined(undefined, bad_ratios):
    if undefined:
        shown = "; ".join(f"{m.name} for {_describe(g, lab)} ({m.undefined_when})"
                          for m, g, lab in undefined[:_SHOWN])
        more = f"; and {len(undefined) - _SHOWN} more" if len(undefined) > _SHOWN else ""
        msg = (f"{len(undefined)} group metric value(s) are undefined and reported as NaN, not 0: "
               f"{shown}{more}.")
        warnings.warn(msg, UndefinedMetricWarning, stacklevel=4)
    if bad_ratios:
        shown = "; ".join(f"{m} for {_describe(g, lab)}" for m, g, lab in bad_ratios[:_SHOWN])
        more = f"; and {len(bad_ratios) - _SHOWN} more" if len(bad_ratios) > _SHOWN else ""
        msg = (f"{len(bad_ratios)} ratio(s) to the reference are undefined (reference value 0) and "
               f"reported as NaN: {shown}{more}.")
        warnings.warn(msg, UndefinedMetricWarning, stacklevel=4)
