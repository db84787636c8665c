"""fairlearn's metrics API, computed through biasaudit's count table.

Every function takes fairlearn's signature and returns what fairlearn returns (equal to
within floating-point rounding, tested against fairlearn itself), but counts the rows
once with :func:`biasaudit.group_counts` and derives every group's value from the
(group, y_true, y_pred) table, instead of calling a metric function per group.

Where a rate is undefined (a zero denominator), fairlearn's rate functions and
scikit-learn's ``precision_score``, ``recall_score`` and ``f1_score`` return 0; these
functions return 0 as well, so results stay identical, but they also issue a
:class:`biasaudit.UndefinedMetricWarning` naming the groups, where the rest of biasaudit
returns NaN. scikit-learn's ``balanced_accuracy_score`` averages only the classes present
in a group, and so does its replacement here. Metrics given by biasaudit name
(``"false_discovery_rate"``) keep biasaudit's NaN. See ``docs/conventions.md``.

Not supported: ``control_features`` and fairlearn's bootstrap (``n_boot``,
``ci_quantiles``); use :func:`biasaudit.audit` for intervals and tests.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, Literal, Mapping, Union

import numpy as np
import pandas as pd

from .._validation import _check_option
from ..exceptions import AuditError, InvalidParameterError, UndefinedMetricWarning
from ._fairlearn_inputs import GroupTable, binary_labels, count_groups, sensitive_columns
from ._fairlearn_metrics import MetricSpec, spec_for

__all__ = [
    "MetricFrame",
    "count",
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "false_negative_rate",
    "false_positive_rate",
    "selection_rate",
    "true_negative_rate",
    "true_positive_rate",
]

Method = Literal["between_groups", "to_overall"]
Errors = Literal["raise", "coerce"]
MetricArg = Union[Callable[..., Any], str]
_METHODS = {"between_groups", "to_overall"}
_ERRORS = {"raise", "coerce"}
_SHOWN = 5


def _weights(value: Any, n_rows: int, caller: str) -> np.ndarray | None:
    if value is None:
        return None
    arr = value.to_numpy() if isinstance(value, (pd.Series, pd.Index)) else np.asarray(value)
    arr = arr.ravel() if arr.ndim == 2 and 1 in arr.shape else arr
    if arr.ndim != 1 or len(arr) != n_rows:
        msg = f"{caller}(): `sample_weight` must have one value per row ({n_rows}); got shape {arr.shape}."
        raise AuditError(msg)
    return arr


def _n_rows(y_true: Any, y_pred: Any, caller: str) -> int:
    n = len(y_pred)
    if y_true is not None and len(y_true) != n:
        msg = f"{caller}(): `y_true` and `y_pred` must have the same length; got {len(y_true)} and {n}."
        raise AuditError(msg)
    return n


def _warn_zero(spec: MetricSpec, index: pd.Index, where: np.ndarray, caller: str) -> None:
    groups = [index[i] for i in np.flatnonzero(where)]
    shown = ", ".join(repr(g) for g in groups[:_SHOWN]) + (", ..." if len(groups) > _SHOWN else "")
    msg = (f"{caller}(): {spec.name} is undefined (zero denominator) for {len(groups)} group(s): {shown}; "
           f"returned as 0, as fairlearn does (biasaudit.audit reports NaN).")
    warnings.warn(msg, UndefinedMetricWarning, stacklevel=4)


class MetricFrame:
    """fairlearn's ``MetricFrame`` for metrics of binary decisions, from one count table.

    Parameters
    ----------
    metrics : callable, str or dict of str to (callable or str)
        fairlearn's ``selection_rate``, ``true_positive_rate``, ``true_negative_rate``,
        ``false_positive_rate``, ``false_negative_rate`` and ``count``; scikit-learn's
        ``accuracy_score``, ``zero_one_loss``, ``balanced_accuracy_score``,
        ``precision_score``, ``recall_score`` and ``f1_score`` (also as
        ``functools.partial`` fixing ``pos_label`` or ``zero_division``); this module's
        functions of the same names; or biasaudit metric names (``"false_discovery_rate"``,
        see :func:`biasaudit.list_metrics`), which keep biasaudit's NaN for undefined values.
        Any other callable raises :class:`biasaudit.InvalidParameterError`.
    y_true : array-like of shape (n_samples,) or None
        Observed labels; None only when no metric reads them.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sensitive_features : array-like, Series, DataFrame, dict or 2-D array
        One or several features; several give a MultiIndex over every combination of
        their observed values (empty combinations are NaN), as in fairlearn.
    control_features : None, default=None
        Not supported; must be None.
    sample_params : dict or None, default=None
        ``{"sample_weight": w}`` for a single metric, or ``{name: {"sample_weight": w}}``
        for a dict of metrics.
    n_boot, ci_quantiles, random_state : None, default=None
        fairlearn's bootstrap is not supported; must be None.

    Attributes
    ----------
    by_group : Series or DataFrame
        One value per group (Series for a single callable, DataFrame for a dict).
    overall : float or Series
        The metric(s) over all rows.
    sensitive_levels : list of str
        Names of the sensitive features.
    control_levels : None
        Always None.

    See Also
    --------
    biasaudit.audit : the same groups with intervals, tests and verdicts.

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import MetricFrame, selection_rate, true_positive_rate
    >>> mf = MetricFrame(metrics={"sr": selection_rate, "tpr": true_positive_rate},
    ...                  y_true=[1, 0, 1, 1, 0, 1], y_pred=[1, 1, 0, 1, 0, 0],
    ...                  sensitive_features=["a", "a", "a", "b", "b", "b"])
    >>> mf.by_group
                             sr  tpr
    sensitive_feature_0
    a                    0.666667  0.5
    b                    0.333333  0.5
    >>> float(mf.difference()["sr"])
    0.3333333333333333
    """

    def __init__(self, *, metrics: MetricArg | Mapping[str, MetricArg], y_true: Any, y_pred: Any,
                 sensitive_features: Any, control_features: None = None,
                 sample_params: Mapping[str, Any] | None = None, n_boot: None = None,
                 ci_quantiles: None = None, random_state: None = None) -> None:
        caller = "MetricFrame"
        if control_features is not None:
            msg = f"{caller}(): `control_features` is not supported; got a value. Hint: use fairlearn.metrics.MetricFrame."
            raise InvalidParameterError(msg)
        if n_boot is not None or ci_quantiles is not None or random_state is not None:
            msg = (f"{caller}(): the bootstrap (`n_boot`, `ci_quantiles`, `random_state`) is not supported. "
                   f"Hint: biasaudit.audit() gives intervals and tests for every group.")
            raise InvalidParameterError(msg)
        self._single = not isinstance(metrics, Mapping)
        named = {None: metrics} if self._single else dict(metrics)
        if not named:
            msg = f"{caller}(): `metrics` must name at least one metric; got an empty dict."
            raise InvalidParameterError(msg)
        params = self._sample_params(sample_params, named, caller)
        n_rows = _n_rows(y_true, y_pred, caller)
        columns = sensitive_columns(sensitive_features, n_rows, caller=caller)
        by_group, overall, tables = {}, {}, {}
        for key, metric in named.items():
            spec = spec_for(metric, caller=caller)
            name = spec.name if key is None else key
            weights = params.get(key, {}).get("sample_weight")
            if weights is not None and not spec.accepts_weights:
                msg = f"{caller}(): {spec.name} takes no `sample_weight`; remove it from `sample_params`."
                raise InvalidParameterError(msg)
            if spec.needs_y_true and y_true is None:
                msg = f"{caller}(): `y_true` is required by {spec.name}; got None."
                raise InvalidParameterError(msg)
            cache_key = (spec.rule, repr(spec.pos_label), id(weights))
            if cache_key not in tables:
                yt, yp = binary_labels(y_true, y_pred, spec.rule, spec.pos_label, caller=caller)
                tables[cache_key] = count_groups(columns, yt, yp, _weights(weights, n_rows, caller), caller=caller)
            table = tables[cache_key]
            by_group[name], overall[name] = self._evaluate(spec, table, caller)
            self._index = table.index
        self._by_group = pd.DataFrame(by_group, index=self._index)
        if len(set(self._by_group.dtypes)) > 1:  # fairlearn's rows mix counts and rates as floats
            self._by_group = self._by_group.astype(np.float64)
        self._overall = pd.Series(overall, dtype=np.float64)
        if self._single and all(dt.kind == "i" for dt in self._by_group.dtypes):
            self._overall = self._overall.astype(np.int64)
        self._names = list(columns)

    @staticmethod
    def _sample_params(sample_params: Mapping[str, Any] | None, named: dict, caller: str) -> dict:
        if sample_params is None:
            return {}
        if not isinstance(sample_params, Mapping):
            msg = f"{caller}(): `sample_params` must be a dict; got {type(sample_params).__name__}."
            raise InvalidParameterError(msg)
        per_metric = {None: dict(sample_params)} if None in named else {k: dict(v) for k, v in sample_params.items()}
        unknown = [k for k in per_metric if k not in named]
        if unknown:
            msg = f"{caller}(): `sample_params` keys must be metric names {list(named)}; got {unknown}."
            raise InvalidParameterError(msg)
        for params in per_metric.values():
            extra = sorted(set(params) - {"sample_weight"})
            if extra:
                msg = f"{caller}(): `sample_params` may only hold 'sample_weight'; got {extra}."
                raise InvalidParameterError(msg)
        return per_metric

    @staticmethod
    def _evaluate(spec: MetricSpec, table: GroupTable, caller: str) -> tuple[np.ndarray, float]:
        values, undefined = spec.compute(table.weighted, table.rows)
        empty = table.rows == 0
        if spec.warn_zero and (undefined & ~empty).any():
            _warn_zero(spec, table.index, undefined & ~empty, caller)
        total_rows = np.array([table.rows.sum()])
        overall, _ = spec.compute(table.weighted.sum(axis=0)[None], total_rows)
        values = values.astype(np.float64)
        if spec.name == "count" and not empty.any():
            return values.astype(np.int64), int(overall[0])
        return np.where(empty, np.nan, values), float(overall[0])

    def _extract(self, result: pd.Series) -> Any:
        return result.iloc[0] if self._single else result

    @property
    def by_group(self) -> pd.Series | pd.DataFrame:
        """Metric values per group: a Series for a single metric, else a DataFrame."""
        return self._by_group.iloc[:, 0] if self._single else self._by_group

    @property
    def overall(self) -> Any:
        """Metric values over all rows: a scalar for a single metric, else a Series."""
        return self._extract(self._overall)

    @property
    def sensitive_levels(self) -> list[str]:
        """Names of the sensitive features (the levels of the by-group index)."""
        return list(self._names)

    @property
    def control_levels(self) -> None:
        """Always None: control features are not supported."""
        return None

    def group_min(self, errors: Errors = "raise") -> Any:
        """Smallest value over groups (NaN groups skipped).

        Parameters
        ----------
        errors : {"raise", "coerce"}, default="raise"
            Accepted for compatibility; every value here is a scalar.

        Returns
        -------
        float or Series
        """
        _check_option(errors, "errors", _ERRORS, caller="MetricFrame.group_min")
        return self._extract(self._by_group.min())

    def group_max(self, errors: Errors = "raise") -> Any:
        """Largest value over groups (NaN groups skipped).

        Parameters
        ----------
        errors : {"raise", "coerce"}, default="raise"
            Accepted for compatibility; every value here is a scalar.

        Returns
        -------
        float or Series
        """
        _check_option(errors, "errors", _ERRORS, caller="MetricFrame.group_max")
        return self._extract(self._by_group.max())

    def difference(self, method: Method = "between_groups", errors: Errors = "coerce") -> Any:
        """Largest absolute difference between groups, or between a group and overall.

        Parameters
        ----------
        method : {"between_groups", "to_overall"}, default="between_groups"
            ``group_max() - group_min()``, or the largest ``|group - overall|``.
        errors : {"raise", "coerce"}, default="coerce"
            Accepted for compatibility.

        Returns
        -------
        float or Series
        """
        _check_option(method, "method", _METHODS, caller="MetricFrame.difference")
        _check_option(errors, "errors", _ERRORS, caller="MetricFrame.difference")
        frame = self._by_group.astype(np.float64)
        subtrahend = frame.min() if method == "between_groups" else self._overall
        return self._extract((frame - subtrahend).abs().max())

    def ratio(self, method: Method = "between_groups", errors: Errors = "coerce") -> Any:
        """Smallest ratio between groups, or between a group and overall, as a number <= 1.

        Parameters
        ----------
        method : {"between_groups", "to_overall"}, default="between_groups"
            ``group_min() / group_max()``, or the smallest of ``group / overall`` each
            turned into a number at most 1 (``x > 1`` becomes ``1 / x``).
        errors : {"raise", "coerce"}, default="coerce"
            Accepted for compatibility.

        Returns
        -------
        float or Series
        """
        _check_option(method, "method", _METHODS, caller="MetricFrame.ratio")
        _check_option(errors, "errors", _ERRORS, caller="MetricFrame.ratio")
        frame = self._by_group.astype(np.float64)
        if method == "between_groups":
            return self._extract(frame.min() / frame.max())
        ratios = frame / self._overall
        return self._extract(ratios.mask(ratios > 1, 1 / ratios).min())


def _frame(metric: Callable[..., Any] | Mapping[str, Callable[..., Any]], y_true: Any, y_pred: Any,
           sensitive_features: Any, sample_weight: Any) -> MetricFrame:
    names = list(metric) if isinstance(metric, Mapping) else None
    params = (None if sample_weight is None else
              {k: {"sample_weight": sample_weight} for k in names} if names else {"sample_weight": sample_weight})
    return MetricFrame(metrics=metric, y_true=y_true, y_pred=y_pred, sensitive_features=sensitive_features,
                       sample_params=params)


def _agg(agg: str, caller: str) -> str:
    return _check_option(agg, "agg", {"worst_case", "mean"}, caller=caller)


def demographic_parity_difference(y_true: Any, y_pred: Any, *, sensitive_features: Any,
                                  method: Method = "between_groups", sample_weight: Any = None) -> float:
    """Largest difference in selection rate between groups (fairlearn's definition).

    Parameters
    ----------
    y_true : array-like or None
        Ignored, as in fairlearn (None is accepted).
    y_pred : array-like of shape (n_samples,)
        Predictions; 1 is selected.
    sensitive_features : array-like, DataFrame or dict
        The groups.
    method : {"between_groups", "to_overall"}, default="between_groups"
        See :meth:`MetricFrame.difference`.
    sample_weight : array-like or None, default=None
        Row weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import demographic_parity_difference
    >>> demographic_parity_difference([0] * 4, [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    return float(_frame(selection_rate, None, y_pred, sensitive_features, sample_weight).difference(method=method))


def demographic_parity_ratio(y_true: Any, y_pred: Any, *, sensitive_features: Any,
                             method: Method = "between_groups", sample_weight: Any = None) -> float:
    """Smallest ratio of selection rates between groups (fairlearn's definition).

    Parameters
    ----------
    y_true : array-like or None
        Ignored, as in fairlearn (None is accepted).
    y_pred : array-like of shape (n_samples,)
        Predictions; 1 is selected.
    sensitive_features : array-like, DataFrame or dict
        The groups.
    method : {"between_groups", "to_overall"}, default="between_groups"
        See :meth:`MetricFrame.ratio`.
    sample_weight : array-like or None, default=None
        Row weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import demographic_parity_ratio
    >>> demographic_parity_ratio([0] * 4, [1, 1, 0, 1], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    return float(_frame(selection_rate, None, y_pred, sensitive_features, sample_weight).ratio(method=method))


def _eo_frame(y_true: Any, y_pred: Any, sensitive_features: Any, sample_weight: Any) -> MetricFrame:
    return _frame({"tpr": true_positive_rate, "fpr": false_positive_rate}, y_true, y_pred,
                  sensitive_features, sample_weight)


def equalized_odds_difference(y_true: Any, y_pred: Any, *, sensitive_features: Any,
                              method: Method = "between_groups", sample_weight: Any = None,
                              agg: Literal["worst_case", "mean"] = "worst_case") -> float:
    """Larger (or mean) of the true and false positive rate differences (fairlearn's definition).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed labels, {0, 1} or {-1, 1}.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sensitive_features : array-like, DataFrame or dict
        The groups.
    method : {"between_groups", "to_overall"}, default="between_groups"
        See :meth:`MetricFrame.difference`.
    sample_weight : array-like or None, default=None
        Row weights.
    agg : {"worst_case", "mean"}, default="worst_case"
        The larger of the two differences, or their mean.

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import equalized_odds_difference
    >>> equalized_odds_difference([1, 0, 1, 0], [1, 0, 0, 0], sensitive_features=["a", "a", "b", "b"])
    1.0
    """
    _agg(agg, "equalized_odds_difference")
    diff = _eo_frame(y_true, y_pred, sensitive_features, sample_weight).difference(method=method)
    # builtin max, as fairlearn, so NaN handling is the same
    return float(max(diff)) if agg == "worst_case" else float(diff.mean())


def equalized_odds_ratio(y_true: Any, y_pred: Any, *, sensitive_features: Any,
                         method: Method = "between_groups", sample_weight: Any = None,
                         agg: Literal["worst_case", "mean"] = "worst_case") -> float:
    """Smaller (or mean) of the true and false positive rate ratios (fairlearn's definition).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed labels, {0, 1} or {-1, 1}.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sensitive_features : array-like, DataFrame or dict
        The groups.
    method : {"between_groups", "to_overall"}, default="between_groups"
        See :meth:`MetricFrame.ratio`.
    sample_weight : array-like or None, default=None
        Row weights.
    agg : {"worst_case", "mean"}, default="worst_case"
        The smaller of the two ratios, or their mean.

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import equalized_odds_ratio
    >>> y_true = [1, 1, 0, 0, 1, 1, 0, 0]
    >>> y_pred = [1, 1, 1, 0, 1, 0, 1, 1]
    >>> equalized_odds_ratio(y_true, y_pred, sensitive_features=list("aaaabbbb"))
    0.5
    """
    _agg(agg, "equalized_odds_ratio")
    ratio = _eo_frame(y_true, y_pred, sensitive_features, sample_weight).ratio(method=method)
    return float(min(ratio)) if agg == "worst_case" else float(ratio.mean())


def equal_opportunity_difference(y_true: Any, y_pred: Any, *, sensitive_features: Any,
                                 method: Method = "between_groups", sample_weight: Any = None) -> float:
    """Largest difference in true positive rate between groups (fairlearn's definition).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed labels, {0, 1} or {-1, 1}.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sensitive_features : array-like, DataFrame or dict
        The groups.
    method : {"between_groups", "to_overall"}, default="between_groups"
        See :meth:`MetricFrame.difference`.
    sample_weight : array-like or None, default=None
        Row weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import equal_opportunity_difference
    >>> equal_opportunity_difference([1, 1, 1, 1], [1, 1, 1, 0], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    frame = _frame(true_positive_rate, y_true, y_pred, sensitive_features, sample_weight)
    return float(frame.difference(method=method))


def equal_opportunity_ratio(y_true: Any, y_pred: Any, *, sensitive_features: Any,
                            method: Method = "between_groups", sample_weight: Any = None) -> float:
    """Smallest ratio of true positive rates between groups (fairlearn's definition).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Observed labels, {0, 1} or {-1, 1}.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    sensitive_features : array-like, DataFrame or dict
        The groups.
    method : {"between_groups", "to_overall"}, default="between_groups"
        See :meth:`MetricFrame.ratio`.
    sample_weight : array-like or None, default=None
        Row weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import equal_opportunity_ratio
    >>> equal_opportunity_ratio([1, 1, 1, 1], [1, 1, 1, 0], sensitive_features=["a", "a", "b", "b"])
    0.5
    """
    return float(_frame(true_positive_rate, y_true, y_pred, sensitive_features, sample_weight).ratio(method=method))


def _single(metric: Callable[..., Any], y_true: Any, y_pred: Any, sample_weight: Any) -> Any:
    n = len(y_pred)
    if n == 0:
        msg = f"{metric.__name__}(): `y_pred` is empty; a rate needs at least one row."
        raise AuditError(msg)
    frame = _frame(metric, y_true, y_pred, np.zeros(n, dtype=np.int8), sample_weight)
    return frame.overall


def selection_rate(y_true: Any, y_pred: Any, *, pos_label: Any = 1, sample_weight: Any = None) -> float:
    """Weighted share of predictions equal to ``pos_label`` (fairlearn's ``selection_rate``).

    Parameters
    ----------
    y_true : array-like or None
        Ignored, as in fairlearn.
    y_pred : array-like of shape (n_samples,)
        Predictions, of any values.
    pos_label : scalar, default=1
        The value counted as selected.
    sample_weight : array-like or None, default=None
        Row weights.

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import selection_rate
    >>> selection_rate(None, ["yes", "no", "yes", "yes"], pos_label="yes")
    0.75
    """
    spec_metric = _with_pos_label(selection_rate, pos_label, default=1)
    return float(_single(spec_metric, None, y_pred, sample_weight))


def _with_pos_label(func: Callable[..., Any], pos_label: Any, default: Any) -> Callable[..., Any]:
    if pos_label is default:
        return func
    return functools.partial(func, pos_label=pos_label)


def _rate(func: Callable[..., Any], y_true: Any, y_pred: Any, sample_weight: Any, pos_label: Any) -> float:
    return float(_single(_with_pos_label(func, pos_label, default=None), y_true, y_pred, sample_weight))


def true_positive_rate(y_true: Any, y_pred: Any, sample_weight: Any = None, pos_label: Any = None) -> float:
    """TP / (TP + FN), 0 when there are no positives (fairlearn's ``true_positive_rate``).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels; with ``pos_label=None`` they must be {0, 1} or {-1, 1}.
    sample_weight : array-like or None, default=None
        Row weights.
    pos_label : scalar or None, default=None
        The positive label (None: 1).

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import true_positive_rate
    >>> true_positive_rate([1, 1, 0, 1], [1, 0, 0, 1])
    0.6666666666666666
    """
    return _rate(true_positive_rate, y_true, y_pred, sample_weight, pos_label)


def true_negative_rate(y_true: Any, y_pred: Any, sample_weight: Any = None, pos_label: Any = None) -> float:
    """TN / (TN + FP), 0 when there are no negatives (fairlearn's ``true_negative_rate``).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels; with ``pos_label=None`` they must be {0, 1} or {-1, 1}.
    sample_weight : array-like or None, default=None
        Row weights.
    pos_label : scalar or None, default=None
        The positive label (None: 1).

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import true_negative_rate
    >>> true_negative_rate([0, 0, 1, 0], [1, 0, 0, 0])
    0.6666666666666666
    """
    return _rate(true_negative_rate, y_true, y_pred, sample_weight, pos_label)


def false_positive_rate(y_true: Any, y_pred: Any, sample_weight: Any = None, pos_label: Any = None) -> float:
    """FP / (FP + TN), 0 when there are no negatives (fairlearn's ``false_positive_rate``).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels; with ``pos_label=None`` they must be {0, 1} or {-1, 1}.
    sample_weight : array-like or None, default=None
        Row weights.
    pos_label : scalar or None, default=None
        The positive label (None: 1).

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import false_positive_rate
    >>> false_positive_rate([0, 0, 1, 0], [1, 0, 0, 0])
    0.3333333333333333
    """
    return _rate(false_positive_rate, y_true, y_pred, sample_weight, pos_label)


def false_negative_rate(y_true: Any, y_pred: Any, sample_weight: Any = None, pos_label: Any = None) -> float:
    """FN / (FN + TP), 0 when there are no positives (fairlearn's ``false_negative_rate``).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        Labels; with ``pos_label=None`` they must be {0, 1} or {-1, 1}.
    sample_weight : array-like or None, default=None
        Row weights.
    pos_label : scalar or None, default=None
        The positive label (None: 1).

    Returns
    -------
    float

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import false_negative_rate
    >>> false_negative_rate([1, 1, 0, 1], [1, 0, 0, 1])
    0.3333333333333333
    """
    return _rate(false_negative_rate, y_true, y_pred, sample_weight, pos_label)


def count(y_true: Any, y_pred: Any) -> int:
    """Number of rows (fairlearn's ``count``, for a MetricFrame's group sizes).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels (only their number matters).
    y_pred : array-like of shape (n_samples,)
        Predictions (only their number matters).

    Returns
    -------
    int

    Examples
    --------
    >>> from biasaudit.compat.fairlearn import count
    >>> count([0, 1, 1], [1, 1, 0])
    3
    """
    _n_rows(y_true, y_pred, "count")
    return len(y_pred)
