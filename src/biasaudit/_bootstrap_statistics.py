"""Statistics for the count-level bootstrap, built from the metric registry.

Each builder returns a callable mapping a table of shape (..., G, 2, 2) (any leading
axes: the observed table, a batch of replicates, jackknife tables) to an array (..., K),
for :func:`biasaudit.stats.bootstrap_interval`. Metric values come from the registry's
one vectorised evaluation (:func:`biasaudit._metrics.evaluate_many`).
"""

from __future__ import annotations

import numbers
from typing import Callable, Sequence

import numpy as np

from ._compare import CRITERIA, criterion_gap, nan_spread
from ._metrics import evaluate_many, get_metric
from .exceptions import InvalidParameterError

__all__ = [
    "combine_statistics",
    "difference_statistic",
    "equalized_odds_statistic",
    "metric_statistic",
    "ratio_statistic",
    "spread_statistic",
]


def _as_metrics(metric, *, caller) -> list:
    names = [metric] if isinstance(metric, str) else list(metric)
    if not names:
        msg = f"{caller}(): `metric` must name at least one metric; got {metric!r}."
        raise InvalidParameterError(msg)
    return [get_metric(m, caller=caller) for m in names]


def _group_values(metrics, table) -> np.ndarray:
    """Values of several metrics: table (..., G, 2, 2) -> (..., M, G), NaN where undefined."""
    return np.swapaxes(evaluate_many(metrics, table), -1, -2)


def _check_reference(reference_index, n_groups, *, caller) -> int:
    if not (0 <= reference_index < n_groups):
        msg = f"{caller}(): `reference_index` must be in [0, {n_groups}); got {reference_index}."
        raise InvalidParameterError(msg)
    return reference_index


def _reference_int(reference_index, *, caller) -> int:
    if isinstance(reference_index, bool) or not isinstance(reference_index, numbers.Integral):
        msg = f"{caller}(): `reference_index` must be an integer group index; got {reference_index!r}."
        raise InvalidParameterError(msg)
    return int(reference_index)


def metric_statistic(metric: str | Sequence[str]) -> Callable[[np.ndarray], np.ndarray]:
    """Statistic: the value of one or several metrics in every group.

    Parameters
    ----------
    metric : str or sequence of str
        Registered metric names or aliases (see :func:`biasaudit.list_metrics`).

    Returns
    -------
    callable
        Maps a table (..., G, 2, 2) to (..., M * G): metric-major, i.e. all groups of
        the first metric, then all groups of the second, and so on.

    Examples
    --------
    >>> import numpy as np
    >>> stat = metric_statistic(["tpr", "selection_rate"])
    >>> stat(np.array([[[5, 1], [2, 8]], [[3, 0], [0, 0]]])).round(3)
    array([0.8  , nan, 0.562, 0.   ])
    """
    metrics = _as_metrics(metric, caller="metric_statistic")

    def statistic(table):
        vals = _group_values(metrics, table)
        return vals.reshape(*vals.shape[:-2], -1)

    return statistic


def _against_reference(metric, reference_index, combine, caller):
    """Statistic: ``combine(values, reference values)`` per group, metric-major."""
    metrics = _as_metrics(metric, caller=caller)
    ref = _reference_int(reference_index, caller=caller)

    def statistic(table):
        vals = _group_values(metrics, table)
        r = _check_reference(ref, vals.shape[-1], caller=caller)
        out = combine(vals, vals[..., r : r + 1])
        return out.reshape(*out.shape[:-2], -1)

    return statistic


def _ratio(vals, base):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(base != 0, vals / np.where(base != 0, base, 1.0), np.nan)


def difference_statistic(metric: str | Sequence[str], reference_index: int) -> Callable[[np.ndarray], np.ndarray]:
    """Statistic: each group's metric minus the reference group's.

    Parameters
    ----------
    metric : str or sequence of str
        Registered metric names or aliases.
    reference_index : int
        Position of the reference group on the group axis.

    Returns
    -------
    callable
        Maps (..., G, 2, 2) to (..., M * G), metric-major; the reference's own entry
        is 0 (or NaN where its metric is undefined). Sign: ``value[g] - value[reference]``.

    Examples
    --------
    >>> import numpy as np
    >>> stat = difference_statistic("tpr", reference_index=1)
    >>> stat(np.array([[[5, 1], [2, 8]], [[3, 0], [1, 1]]]))
    array([0.3, 0. ])
    """
    return _against_reference(metric, reference_index, lambda vals, base: vals - base, "difference_statistic")


def ratio_statistic(metric: str | Sequence[str], reference_index: int) -> Callable[[np.ndarray], np.ndarray]:
    """Statistic: each group's metric divided by the reference group's.

    Parameters
    ----------
    metric : str or sequence of str
        Registered metric names or aliases.
    reference_index : int
        Position of the reference group on the group axis.

    Returns
    -------
    callable
        Maps (..., G, 2, 2) to (..., M * G), metric-major; NaN where the reference
        value is 0 or undefined.

    Examples
    --------
    >>> import numpy as np
    >>> stat = ratio_statistic("selection_rate", reference_index=0)
    >>> stat(np.array([[[2, 2], [0, 4]], [[4, 2], [0, 2]], [[5, 0], [3, 0]]])).round(3)
    array([1.   , 0.667, 0.   ])
    """
    return _against_reference(metric, reference_index, _ratio, "ratio_statistic")


def spread_statistic(metric: str | Sequence[str]) -> Callable[[np.ndarray], np.ndarray]:
    """Statistic: max - min of a metric across groups, ignoring groups where it is undefined.

    Parameters
    ----------
    metric : str or sequence of str
        Registered metric names or aliases.

    Returns
    -------
    callable
        Maps (..., G, 2, 2) to (..., M); NaN where the metric is undefined in every group.

    Notes
    -----
    A max-min gap over many small groups is biased upwards (noise widens it), and so
    are its bootstrap replicates: the percentile interval can then miss the estimate,
    and BCa can be undefined. Prefer per-group differences in that case.

    Examples
    --------
    >>> import numpy as np
    >>> stat = spread_statistic(["tpr", "fpr"])
    >>> stat(np.array([[[5, 1], [2, 8]], [[3, 0], [1, 1]], [[1, 1], [0, 0]]])).round(3)
    array([0.3, 0.5])
    """
    metrics = _as_metrics(metric, caller="spread_statistic")

    def statistic(table):
        return nan_spread(_group_values(metrics, table))

    return statistic


def equalized_odds_statistic() -> Callable[[np.ndarray], np.ndarray]:
    """Statistic: the equalized-odds gap, the larger of the TPR and FPR max-min gaps.

    Returns
    -------
    callable
        Maps (..., G, 2, 2) to (..., 1). Groups where a rate is undefined are left out
        of that rate's gap; the result is NaN if either rate is undefined in every group.

    Notes
    -----
    Being a max-min gap, it shares the upward bias described in :func:`spread_statistic`.

    Examples
    --------
    >>> import numpy as np
    >>> stat = equalized_odds_statistic()
    >>> stat(np.array([[[5, 1], [2, 8]], [[3, 0], [1, 1]], [[1, 1], [0, 0]]])).round(3)
    array([0.5])
    """
    metrics = _as_metrics(list(CRITERIA["equalized_odds"]), caller="equalized_odds_statistic")

    def statistic(table):
        return criterion_gap(nan_spread(_group_values(metrics, table)))[..., None]

    return statistic


def combine_statistics(*statistics: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """Statistic: several statistics side by side, concatenated along the last axis.

    Parameters
    ----------
    *statistics : callable
        Statistics mapping (..., G, 2, 2) to (..., K_i).

    Returns
    -------
    callable
        Maps (..., G, 2, 2) to (..., sum K_i), in the order given.

    Examples
    --------
    >>> import numpy as np
    >>> stat = combine_statistics(metric_statistic("tpr"), equalized_odds_statistic())
    >>> stat(np.array([[[5, 1], [2, 8]], [[3, 0], [1, 1]]])).round(3)
    array([0.8, 0.5, 0.3])
    """
    if not statistics or not all(callable(s) for s in statistics):
        msg = "combine_statistics(): `statistics` must be one or more callables; got " + repr(statistics) + "."
        raise InvalidParameterError(msg)

    def statistic(table):
        table = np.asarray(table, dtype=np.float64)
        lead = table.shape[:-3]
        parts = []
        for s in statistics:
            out = np.asarray(s(table), dtype=np.float64)
            parts.append(out[..., None] if out.shape == lead else out)
        return np.concatenate(parts, axis=-1)

    return statistic
