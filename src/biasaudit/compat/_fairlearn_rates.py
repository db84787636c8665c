"""fairlearn's single-sample metric functions (rates, selection rate, count) through the count table.

Each is a :class:`~biasaudit.compat._fairlearn_frame.MetricFrame` with one group, so it
follows the same conventions; inside a MetricFrame they are recognised by name and
computed for every group from one table.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ..exceptions import AuditError
from ._fairlearn_frame import MetricFrame, _n_rows

__all__ = [
    "count",
    "false_negative_rate",
    "false_positive_rate",
    "selection_rate",
    "true_negative_rate",
    "true_positive_rate",
]


def _frame(metric: Callable[..., Any], y_true: Any, y_pred: Any, sensitive_features: Any,
           sample_weight: Any) -> MetricFrame:
    params = None if sample_weight is None else {"sample_weight": sample_weight}
    return MetricFrame(metrics=metric, y_true=y_true, y_pred=y_pred, sensitive_features=sensitive_features,
                       sample_params=params)


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
