"""The regression family's metrics: functions of per-group moments (see ``_tables/_moment.py``).

A regression table's cells are ``above_median`` x ``y_pred_bin``; every metric here
first sums a group's cells (the last two axes), then combines the sums. Means of a
per-row quantity (the outcome, the prediction, the signed and the absolute error) are
estimator ``"mean"``: the sums of the quantity and of its square give Welch intervals
and tests (``_evidence_moments``). RMSE and R^2 are ``"moment"``: reported and compared,
without a test. The scoring rate, the share of a group predicted strictly above the
full-sample median (New York City Local Law 144), is a binomial proportion.

Directions: a higher prediction is favourable to the person when
``positive_is_favorable`` (a benefit, a credit limit) and unfavourable otherwise (a
sentence, a risk score), so the mean prediction, the signed error and the scoring rate
flip with it; errors of either sign are worse when larger.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ..exceptions import InvalidParameterError
from ._protocol import FAMILY_METRICS, Metric, choose_metrics, list_metrics, register

__all__ = ["moments"]

FAMILY = "regression"
_CELL_AXES = 2


def _sums(cells) -> Mapping:
    if hasattr(cells, "sums"):
        return cells.sums
    if isinstance(cells, Mapping):
        return cells
    raise InvalidParameterError("a regression metric needs a table or a mapping of its sums (weight, y_true, ...); "
                                f"got {type(cells).__name__}.")


def moments(cells) -> dict:
    """A group's (or every group's) totals of each sum over the cell axes."""
    return {k: np.asarray(v, dtype=np.float64).sum(axis=(-2, -1)) for k, v in _sums(cells).items()}


def _ratio(num, den):
    num, den = np.broadcast_arrays(np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64))
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out[()] if out.ndim == 0 else out


@dataclass(frozen=True, eq=False)
class MomentMetric(Metric):
    """A metric of per-group moments; ``first`` maps sums to coefficients of the quantity averaged.

    For a ``"mean"`` metric the quantity q is ``sum(coef * column)`` per row and
    ``second`` names the sum of ``w * q^2``; ``value`` combines totals otherwise.
    """

    first: tuple = ()
    second: str = ""
    value: object = None

    def mean_sums(self, cells) -> tuple:
        """(sum w, sum w^2, sum w q, sum w q^2) over the leading axes."""
        s = moments(cells)
        return s["weight"], s["weight_sq"], sum(c * s[k] for k, c in self.first), s[self.second]

    def evaluate(self, cells, *, family: str | None = None) -> np.ndarray:
        if self.estimator == "mean":
            w, _, s1, _ = self.mean_sums(cells)
            return _ratio(s1, w)
        return self.value(moments(cells))  # type: ignore[operator]


@dataclass(frozen=True, eq=False)
class ScoringRate(Metric):
    """Share of the weight strictly above the full-sample median prediction: a proportion."""

    def numerator_denominator(self, cells, *, family: str | None = None):
        arr = np.asarray(_sums(cells)["weight"] if not isinstance(cells, np.ndarray) else cells, dtype=np.float64)
        return arr[..., 1, :].sum(axis=-1), arr.sum(axis=(-2, -1))


def _rmse(s):
    return np.sqrt(_ratio(s["sq_error"], s["weight"]))


def _r2(s):
    w = s["weight"]
    mean = _ratio(s["y_true"], w)
    total = s["y_true_sq"] - np.where(w > 0, mean * s["y_true"], 0.0)
    out = 1.0 - _ratio(s["sq_error"], np.where(total > 1e-12 * np.maximum(s["y_true_sq"], 1e-300), total, 0.0))
    return out


_NO_ROWS = "the group has no rows (or zero total weight)"
_common: dict[str, Any] = {"family": FAMILY}
register(MomentMetric("mean_outcome", "Mean outcome", "sum(w y) / sum(w)", "mean", True, None, _NO_ROWS,
                      first=(("y_true", 1.0),), second="y_true_sq", **_common))
register(MomentMetric("mean_prediction", "Mean prediction", "sum(w y_hat) / sum(w)", "mean", False, True,
                      _NO_ROWS, favourability_dependent=True, first=(("y_pred", 1.0),), second="y_pred_sq",
                      **_common))
register(MomentMetric("mean_error", "Mean error (signed bias)", "sum(w (y_hat - y)) / sum(w)", "mean", True,
                      True, _NO_ROWS, favourability_dependent=True, aliases=("signed_bias",), signed=True,
                      first=(("y_pred", 1.0), ("y_true", -1.0)), second="sq_error", **_common))
register(MomentMetric("mean_absolute_error", "Mean absolute error", "sum(w |y_hat - y|) / sum(w)", "mean",
                      True, False, _NO_ROWS, aliases=("mae",), first=(("abs_error", 1.0),), second="sq_error",
                      **_common))
register(MomentMetric("root_mean_squared_error", "Root mean squared error", "sqrt(sum(w (y_hat - y)^2) / sum(w))",
                      "moment", True, False, _NO_ROWS, aliases=("rmse",), value=_rmse, **_common))
register(MomentMetric("r2_score", "R squared", "1 - sum(w (y - y_hat)^2) / sum(w (y - mean y)^2)", "moment",
                      True, True, "the group's outcomes are constant (or it has no rows)", aliases=("r2",),
                      value=_r2, signed=True, **_common))
register(ScoringRate("scoring_rate", "Scoring rate", "share of sum(w) with y_hat > the full-sample median",
                     "proportion", False, True, _NO_ROWS, favourability_dependent=True, **_common))


def _names(metrics, table, caller):
    has_y_true = table is None or "y_true" in table.sums
    available = list_metrics(family=FAMILY) if has_y_true else list_metrics(family=FAMILY, needs_y_true=False)
    if metrics is None:
        return tuple(available)

    def refuse(entry):
        if entry.family != FAMILY:
            return f"is not a regression metric; a regression audit has {list_metrics(family=FAMILY)}."
        if entry.name not in available:
            return f"needs `y_true`, which was not given; predictions alone give {available}."
        return None

    return choose_metrics(metrics, caller=caller, refuse=refuse)


FAMILY_METRICS[FAMILY] = _names
