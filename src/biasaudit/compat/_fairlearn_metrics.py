"""fairlearn's and scikit-learn's metric callables as functions of a (..., 2, 2) count table.

Each supported callable becomes a :class:`MetricSpec`: how its labels turn into 0/1
(which value is positive), and how its value follows from the weighted cells, including
the value fairlearn or scikit-learn returns where biasaudit's registry says NaN
(a zero denominator). The callables are recognised by module and name, so neither
fairlearn nor scikit-learn is imported here.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Callable, Literal

import numpy as np

from .._metrics import get_metric
from ..exceptions import InvalidParameterError

__all__ = ["MetricSpec", "LabelRule", "spec_for"]

#: How labels become 0/1: ``"select"`` compares ``y_pred`` with ``pos_label`` (any values);
#: ``"binary"`` needs at most two labels, the positive one ``pos_label`` (or 1 when it is
#: None and the labels are {0, 1} or {-1, 1}); ``"symmetric"`` needs at most two labels and
#: the metric does not depend on which one is positive (accuracy, balanced accuracy).
LabelRule = Literal["select", "binary", "symmetric"]

_FAIRLEARN = "fairlearn.metrics"
#: ``compute(weighted, rows) -> (values, undefined)``
Compute = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
_SKLEARN = "sklearn.metrics"


@dataclass(frozen=True)
class MetricSpec:
    """One metric callable, mapped to the count table.

    Attributes
    ----------
    name : str
        Name of the callable (its ``__name__``), used when fairlearn would use it.
    rule : {"select", "binary", "symmetric"}
        How ``y_true`` and ``y_pred`` become 0/1.
    pos_label : Any
        The positive label for the rule (None: 1, from {0, 1} or {-1, 1}).
    needs_y_true : bool
        Whether the metric reads ``y_true``.
    compute : callable
        ``compute(weighted, rows)`` -> (values, undefined): metric values from the weighted
        cells of shape (..., 2, 2) and the unweighted row counts of shape (...,), and a
        boolean mask of the values that are a convention (0) rather than a ratio.
    warn_zero : bool
        Whether to warn where the convention replaced an undefined ratio.
    accepts_weights : bool
        Whether the callable takes ``sample_weight``.
    """

    name: str
    rule: str
    pos_label: Any
    needs_y_true: bool
    compute: Compute
    warn_zero: bool = False
    accepts_weights: bool = True


def _registry_rate(metric: str, zero_value: float | None) -> Compute:
    """A registry rate; where its denominator is zero, ``zero_value`` (None keeps NaN)."""
    entry = get_metric(metric)

    def compute(weighted: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = entry.evaluate(weighted)
        undefined = np.isnan(values)
        if zero_value is not None:
            values = np.where(undefined, zero_value, values)
        return values, undefined

    return compute


def _balanced_accuracy(weighted: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # scikit-learn averages the recall of the classes present in the group, so a group with one
    # class has the recall of that class, not the mean with an undefined one.
    tpr = get_metric("true_positive_rate").evaluate(weighted)
    tnr = get_metric("true_negative_rate").evaluate(weighted)
    both = np.stack([tpr, tnr])
    present = ~np.isnan(both)
    total = np.where(present, both, 0.0).sum(axis=0)
    n = present.sum(axis=0)
    values = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    return values, n < 2


def _count(weighted: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return rows.astype(np.float64), np.zeros(rows.shape, dtype=bool)


def _fairlearn_rate(metric: str, name: str, pos_label: Any = None) -> MetricSpec:
    # fairlearn normalises the confusion matrix by rows and scikit-learn turns 0/0 into 0
    return MetricSpec(name, "binary", pos_label, True, _registry_rate(metric, 0.0), warn_zero=True)


def _sklearn_ratio(metric: str, name: str, pos_label: Any = 1, zero_division: Any = "warn") -> MetricSpec:
    value = 0.0 if zero_division == "warn" else float(zero_division)
    return MetricSpec(name, "binary", pos_label, True, _registry_rate(metric, value),
                      warn_zero=zero_division == "warn")


def _selection_rate(pos_label: Any = 1, name: str = "selection_rate") -> MetricSpec:
    return MetricSpec(name, "select", pos_label, False, _registry_rate("selection_rate", None))


_FAIRLEARN_RATES = {
    "true_positive_rate": "true_positive_rate",
    "true_negative_rate": "true_negative_rate",
    "false_positive_rate": "false_positive_rate",
    "false_negative_rate": "false_negative_rate",
}
_SKLEARN_RATIOS = {"precision_score": "positive_predictive_value", "recall_score": "true_positive_rate",
                   "f1_score": "f1_score"}
_SUPPORTED = (
    "fairlearn.metrics: selection_rate, true_positive_rate, true_negative_rate, false_positive_rate, "
    "false_negative_rate, count; sklearn.metrics: accuracy_score, zero_one_loss, balanced_accuracy_score, "
    "precision_score, recall_score, f1_score; biasaudit.compat.fairlearn's functions of the same names; "
    "and the names of biasaudit.list_metrics()"
)


def _unsupported(func: Any, why: str, caller: str) -> InvalidParameterError:
    name = getattr(func, "__name__", repr(func))
    msg = (f"{caller}(): `metrics`: cannot compute {name!r} from a count table ({why}). Supported: "
           f"{_SUPPORTED}. Hint: use fairlearn.metrics.MetricFrame for other metrics.")
    return InvalidParameterError(msg)


def _keywords(func: Any, allowed: set[str], caller: str) -> dict[str, Any]:
    kw = dict(getattr(func, "keywords", {}) or {})
    extra = sorted(set(kw) - allowed)
    if extra or getattr(func, "args", None):
        raise _unsupported(func.func, f"arguments {extra or list(func.args)} are not supported", caller)
    return kw


def spec_for(metric: Any, caller: str = "MetricFrame") -> MetricSpec:
    """The :class:`MetricSpec` of a callable, a ``functools.partial`` of one, or a registry name.

    Parameters
    ----------
    metric : callable or str
        A supported fairlearn or scikit-learn callable (see the error message for the list),
        a ``functools.partial`` of one fixing ``pos_label`` or ``zero_division``, or a
        biasaudit metric name (computed with biasaudit's NaN convention).
    caller : str, default="MetricFrame"
        Name used in error messages.

    Returns
    -------
    MetricSpec

    Examples
    --------
    >>> from biasaudit.compat._fairlearn_metrics import spec_for
    >>> spec_for("tpr").name
    'tpr'
    """
    if isinstance(metric, str):
        entry = get_metric(metric, caller=caller)
        if entry.kind == "count":
            return MetricSpec(metric, "binary", 1, True,
                              lambda w, r: (entry.evaluate(w), np.zeros(w.shape[:-2], dtype=bool)))
        return MetricSpec(metric, "binary", 1, entry.needs_y_true, _registry_rate(metric, None))
    func, kw = metric, {}
    if isinstance(metric, functools.partial):
        func = metric.func
    module = getattr(func, "__module__", "") or ""
    name = getattr(func, "__name__", "")
    if not callable(func):
        msg = f"{caller}(): `metrics` must be a callable, a metric name or a dict of them; got {metric!r}."
        raise InvalidParameterError(msg)
    ours = module.startswith("biasaudit.compat")
    if module.startswith(_FAIRLEARN) or ours:
        if name == "selection_rate":
            kw = _keywords(metric, {"pos_label"}, caller) if func is not metric else {}
            return _selection_rate(kw.get("pos_label", 1))
        if name in _FAIRLEARN_RATES:
            kw = _keywords(metric, {"pos_label"}, caller) if func is not metric else {}
            return _fairlearn_rate(_FAIRLEARN_RATES[name], name, kw.get("pos_label"))
        if name == "count":
            if func is not metric:
                _keywords(metric, set(), caller)
            return MetricSpec("count", "select", 1, False, _count, accepts_weights=False)
        raise _unsupported(func, "not a rate of the 2 x 2 table", caller)
    if module.startswith(_SKLEARN):
        if name in _SKLEARN_RATIOS:
            kw = _keywords(metric, {"pos_label", "zero_division", "average"}, caller) if func is not metric else {}
            if kw.get("average", "binary") != "binary":
                raise _unsupported(func, "only average='binary' is a rate of the 2 x 2 table", caller)
            zd = kw.get("zero_division", "warn")
            if not (isinstance(zd, str) and zd == "warn") and not (
                isinstance(zd, (int, float)) and (zd in (0, 1) or math.isnan(zd))
            ):
                raise _unsupported(func, f"zero_division={zd!r} is not 'warn', 0, 1 or nan", caller)
            return _sklearn_ratio(_SKLEARN_RATIOS[name], name, kw.get("pos_label", 1), zd)
        if name in ("accuracy_score", "zero_one_loss"):
            if func is not metric:
                kw = _keywords(metric, {"normalize"}, caller)
                if kw.get("normalize", True) is not True:
                    raise _unsupported(func, "only normalize=True is a rate", caller)
            metric_name = "accuracy" if name == "accuracy_score" else "error_rate"
            return MetricSpec(name, "symmetric", None, True, _registry_rate(metric_name, None))
        if name == "balanced_accuracy_score":
            if func is not metric:
                kw = _keywords(metric, {"adjusted"}, caller)
                if kw.get("adjusted", False):
                    raise _unsupported(func, "adjusted=True is not supported", caller)
            return MetricSpec(name, "symmetric", None, True, _balanced_accuracy)
        raise _unsupported(func, "not a function of the 2 x 2 table of binary decisions", caller)
    raise _unsupported(func, "an unknown callable", caller)
