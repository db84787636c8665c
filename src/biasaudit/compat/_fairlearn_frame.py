"""fairlearn's ``MetricFrame`` over one count table per positive label and weight vector.

Values are kept as a (groups, metrics) array; the aggregates are computed on it with the
same NaN handling as pandas (NaN groups skipped, an all-NaN column gives NaN), and the
pandas objects fairlearn returns are built on access.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable, Literal, Mapping, Union

import numpy as np
import pandas as pd

from .._validation import _check_option
from ..exceptions import AuditError, InvalidParameterError, UndefinedMetricWarning
from ._fairlearn_inputs import GroupTable, Labels, count_groups, sensitive_columns
from ._fairlearn_metrics import MetricSpec, spec_for

__all__ = ["MetricFrame", "Method", "Errors", "MetricArg"]

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
    groups = [index[int(i)] for i in np.flatnonzero(where)]
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
        named: dict[str | None, MetricArg] = (
            {None: metrics} if not isinstance(metrics, Mapping) else dict(metrics.items()))
        if not named:
            msg = f"{caller}(): `metrics` must name at least one metric; got an empty dict."
            raise InvalidParameterError(msg)
        params = self._sample_params(sample_params, named, caller)
        n_rows = _n_rows(y_true, y_pred, caller)
        columns = sensitive_columns(sensitive_features, n_rows, caller=caller)
        labels = Labels(y_true, y_pred, caller=caller)
        plan = []
        for key, metric in named.items():
            spec = spec_for(metric, caller=caller)
            weights = params.get(key, {}).get("sample_weight")
            if weights is not None and not spec.accepts_weights:
                msg = f"{caller}(): {spec.name} takes no `sample_weight`; remove it from `sample_params`."
                raise InvalidParameterError(msg)
            if spec.needs_y_true and y_true is None:
                msg = f"{caller}(): `y_true` is required by {spec.name}; got None."
                raise InvalidParameterError(msg)
            positive = labels.positive(spec.rule, spec.pos_label)
            plan.append((spec.name if key is None else key, spec, positive, weights))
        # one count table per positive label and weight vector, with y_true when a metric reads it
        needs_true: dict[tuple, bool] = {}
        for _, spec, positive, weights in plan:
            table_key = (repr(positive), type(positive).__name__, id(weights))
            needs_true[table_key] = needs_true.get(table_key, False) or spec.rule != "select"
        tables: dict[tuple, GroupTable] = {}
        by_group, overall = {}, {}
        for name, spec, positive, weights in plan:
            table_key = (repr(positive), type(positive).__name__, id(weights))
            if table_key not in tables:
                yt = labels.binary("y_true", positive) if needs_true[table_key] else None
                tables[table_key] = count_groups(columns, yt, labels.binary("y_pred", positive),
                                                 _weights(weights, n_rows, caller), caller=caller)
            table = tables[table_key]
            by_group[name], overall[name] = self._evaluate(spec, table, caller)
            self._index = table.index
        self._columns = list(by_group)
        self._values = np.column_stack([by_group[k] for k in self._columns]).astype(np.float64)
        self._overall_values = np.array([overall[k] for k in self._columns], dtype=np.float64)
        # counts stay integers where fairlearn keeps them so: alone, and with no empty group
        self._integer = all(by_group[k].dtype.kind == "i" for k in self._columns)
        self._names = list(columns)
        self._cache: dict[str, Any] = {}

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

    def _extract(self, values: np.ndarray) -> Any:
        """fairlearn's shape of an aggregate: a scalar for a single callable, else a Series."""
        if self._integer and not np.isnan(values).any():
            values = values.astype(np.int64)
        if self._single:
            return values[0]
        return pd.Series(values, index=pd.Index(self._columns))

    def _reduce(self, how: str) -> np.ndarray:
        with warnings.catch_warnings():  # an all-NaN column is NaN, as in pandas
            warnings.simplefilter("ignore", RuntimeWarning)
            return np.nanmin(self._values, axis=0) if how == "min" else np.nanmax(self._values, axis=0)

    @property
    def by_group(self) -> pd.Series | pd.DataFrame:
        """Metric values per group: a Series for a single metric, else a DataFrame."""
        if "by_group" not in self._cache:
            frame = pd.DataFrame(self._values, index=self._index, columns=pd.Index(self._columns))
            if self._integer and not np.isnan(self._values).any():
                frame = frame.astype(np.int64)
            self._cache["by_group"] = frame
        frame = self._cache["by_group"]
        return frame.iloc[:, 0] if self._single else frame

    @property
    def overall(self) -> Any:
        """Metric values over all rows: a scalar for a single metric, else a Series."""
        return self._extract(self._overall_values)

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
        return self._extract(self._reduce("min"))

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
        return self._extract(self._reduce("max"))

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
        subtrahend = self._reduce("min") if method == "between_groups" else self._overall_values
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return self._as_float(np.nanmax(np.abs(self._values - subtrahend), axis=0))

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
        with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            if method == "between_groups":
                return self._as_float(self._reduce("min") / self._reduce("max"))
            ratios = self._values / self._overall_values
            ratios = np.where(ratios > 1, 1 / ratios, ratios)
            return self._as_float(np.nanmin(ratios, axis=0))

    def _as_float(self, values: np.ndarray) -> Any:
        """Differences and ratios are floats even for counts (fairlearn computes them in floats)."""
        return values[0] if self._single else pd.Series(values, index=pd.Index(self._columns))
