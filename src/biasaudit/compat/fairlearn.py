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

from typing import Any, Callable, Literal, Mapping

from .._validation import _check_option
from ._fairlearn_frame import Method, MetricFrame
from ._fairlearn_rates import (
    count,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)

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


