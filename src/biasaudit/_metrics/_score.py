"""The score family's metrics: functions of a (..., 2, B) table of y_true x score bin.

Each metric reads the named sums of the table (``weight``, ``w_score``, ``w_score_sq``)
with any leading axes, so one function serves one group, all groups, or a leading axis
of bootstrap replicates. Bins are in increasing order of score. Notation: ``N_b`` and
``P_b`` are the weights of negatives (y_true = 0) and positives in bin ``b``, ``N`` and
``P`` their totals, ``S`` the sum of weight x score and ``Q`` the sum of weight x score^2.
"""

from __future__ import annotations

import numpy as np

from ._protocol import Metric, register

__all__ = ["ECE_BINS", "ece_bin_of", "exclusive_cumsum"]

#: Bins of the expected calibration error: 10 equal-width bins of [0, 1], as
#: ``sklearn.calibration.calibration_curve(strategy="uniform")``: the first is [0, 0.1],
#: then (0.1, 0.2], ..., (0.9, 1].
ECE_BINS = 10
_INNER_EDGES = np.linspace(0.0, 1.0, ECE_BINS + 1)[1:-1]
_ONE_CLASS = "the group has only one class of y_true (no positives or no negatives)"
_NO_POS = "the group has no actual positives (y_true = 1)"


def _split(sums):
    w = np.asarray(sums["weight"], dtype=np.float64)
    return w[..., 0, :], w[..., 1, :]


def _safe_divide(num, den):
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def exclusive_cumsum(x: np.ndarray) -> np.ndarray:
    """Sum of the entries strictly before each one along the last axis."""
    out = np.zeros_like(x)
    np.cumsum(x[..., :-1], axis=-1, out=out[..., 1:])
    return out


def roc_auc(sums) -> np.ndarray:
    """Weighted Mann-Whitney AUC with ties counted half: sum_b P_b (N_<b + N_b / 2) / (P N)."""
    neg, pos = _split(sums)
    n_tot, p_tot = neg.sum(axis=-1), pos.sum(axis=-1)
    concordant = (pos * (exclusive_cumsum(neg) + 0.5 * neg)).sum(axis=-1)
    return _safe_divide(concordant, np.where(p_tot > 0, n_tot * p_tot, 0.0))


def average_precision(sums) -> np.ndarray:
    """Step-wise area under the precision-recall curve, thresholds at every bin from the top."""
    neg, pos = _split(sums)
    tp = np.cumsum(pos[..., ::-1], axis=-1)[..., ::-1]  # positives scored in bin b or above
    fp = np.cumsum(neg[..., ::-1], axis=-1)[..., ::-1]
    precision = _safe_divide(tp, tp + fp)
    gained = (pos * np.nan_to_num(precision)).sum(axis=-1)
    return _safe_divide(gained, pos.sum(axis=-1))


def _score_sums(sums):
    s = np.asarray(sums["w_score"], dtype=np.float64)
    q = np.asarray(sums["w_score_sq"], dtype=np.float64)
    return s, q


def brier_score(sums) -> np.ndarray:
    """Weighted mean of (y - s)^2: (sum over positives of W - 2S + Q, plus Q over negatives) / W."""
    neg, pos = _split(sums)
    s, q = _score_sums(sums)
    total = (pos - 2.0 * s[..., 1, :]).sum(axis=-1) + q.sum(axis=(-2, -1))
    return _safe_divide(total, (neg + pos).sum(axis=-1))


def mean_score(sums) -> np.ndarray:
    """Weighted mean score S / W."""
    neg, pos = _split(sums)
    s, _ = _score_sums(sums)
    return _safe_divide(s.sum(axis=(-2, -1)), (neg + pos).sum(axis=-1))


def calibration_ratio(sums) -> np.ndarray:
    """Observed over expected positives: P / S (calibration in the large)."""
    _, pos = _split(sums)
    s, _ = _score_sums(sums)
    return _safe_divide(pos.sum(axis=-1), s.sum(axis=(-2, -1)))


def ece_bin_of(mean: np.ndarray) -> np.ndarray:
    """ECE bin of each score bin, from its mean score; bins are right-closed like scikit-learn's.

    A mean within 1e-12 (relative) above an edge is taken to be on it: in exact mode the
    mean of a bin is its score up to rounding.
    """
    snapped = np.nan_to_num(mean, nan=0.0) * (1.0 - 1e-12)
    return np.searchsorted(_INNER_EDGES, snapped, side="left")


def ece_parts(sums):
    """Per ECE bin: weight, observed positives and expected positives, shapes (..., 10)."""
    neg, pos = _split(sums)
    s, _ = _score_sums(sums)
    w = neg + pos
    s_bin = s.sum(axis=-2)
    # One weighted bincount per quantity over (leading cell, ECE bin) codes: a one-hot
    # (..., B, 10) mask and its contraction would cost ten times the cells.
    lead = w.shape[:-1]
    n_lead = int(np.prod(lead, dtype=np.int64))
    codes = ece_bin_of(_safe_divide(s_bin, w)).reshape(n_lead, -1)
    codes += (np.arange(n_lead) * ECE_BINS)[:, None]
    codes = codes.ravel()

    def per_bin(x):
        return np.bincount(codes, weights=np.ravel(x), minlength=n_lead * ECE_BINS).reshape(*lead, ECE_BINS)

    return per_bin(w), per_bin(pos), per_bin(s_bin)


def expected_calibration_error(sums) -> np.ndarray:
    """sum_k (W_k / W) |O_k / W_k - E_k / W_k| = sum_k |O_k - E_k| / W over 10 bins of [0, 1]."""
    w, obs, exp = ece_parts(sums)
    return _safe_divide(np.abs(obs - exp).sum(axis=-1), w.sum(axis=-1))


def _register(name, label, formula, estimator, higher_is_better, undefined_when, func, aliases=()):
    return register(Metric(name, label, formula, estimator, True, higher_is_better, undefined_when,
                           family="score", from_sums=func, aliases=aliases))


_register("roc_auc", "ROC AUC", "sum_b P_b (N_<b + N_b / 2) / (P N)", "auc", True, _ONE_CLASS, roc_auc,
          aliases=("auc",))
_register("average_precision", "Average precision", "sum_b (P_b / P) TP_>=b / (TP_>=b + FP_>=b)", "score",
          True, _NO_POS, average_precision, aliases=("ap",))
_register("brier_score", "Brier score", "sum w (y - s)^2 / W", "score", False,
          "the group has zero total weight", brier_score, aliases=("brier",))
_register("mean_score", "Mean score", "S / W", "score", None, "the group has zero total weight", mean_score)
_register("calibration_ratio", "Observed / expected", "P / S (calibration in the large)", "calibration", None,
          "the scores of the group sum to zero", calibration_ratio, aliases=("oe_ratio",))
_register("expected_calibration_error", "Expected calibration error",
          "sum_k |O_k - E_k| / W, 10 equal-width bins of [0, 1]", "score", False,
          "the group has zero total weight", expected_calibration_error, aliases=("ece",))

#: Metrics that need probabilities (scores in [0, 1]).
PROBABILITY_METRICS = ("brier_score", "calibration_ratio", "expected_calibration_error")
