"""The binary family's metrics: functions of a (..., 2, 2) table of y_true x y_pred.

A cell ``[t, p]`` holds the (weighted) count of rows with ``y_true == t`` and
``y_pred == p``. A ratio metric is ``(cells * numerator).sum() / (cells * denominator).sum()``
over the cell axes, so one entry serves a single group, all groups at once, or a leading
axis of bootstrap replicates. Decisions without outcomes are a (..., 2) table of y_pred;
the metrics that do not need outcomes (the selection rate) evaluate it directly.

The registry drives the audit, the documentation table (docs/metrics.md) and the common
tests, which run over every canonical name.
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidParameterError
from ._protocol import _CANONICAL, _REGISTRY, Metric, get_metric, register

__all__ = ["metric_from_counts", "registry_markdown"]


def _rate(name, label, formula, needs_y_true, higher_is_better, undefined_when, numerator, denominator,
          **kw) -> Metric:
    proportion = bool(np.isin(numerator, (0, 1)).all() and np.isin(denominator, (0, 1)).all()
                      and (numerator <= denominator).all())
    return register(Metric(name, label, formula, "proportion" if proportion else "ratio", needs_y_true,
                           higher_is_better, undefined_when, numerator, denominator, **kw))

def _cells(tn=0, fp=0, fn=0, tp=0) -> np.ndarray:
    arr = np.array([[tn, fp], [fn, tp]], dtype=np.float64)
    arr.setflags(write=False)
    return arr


_ALL = _cells(1, 1, 1, 1)
_POS = _cells(fn=1, tp=1)
_NEG = _cells(tn=1, fp=1)
_PRED_POS = _cells(fp=1, tp=1)
_PRED_NEG = _cells(tn=1, fn=1)
_NO_ROWS = "the group has no rows (or zero total weight)"
_NO_POS = "the group has no actual positives (y_true = 1)"
_NO_NEG = "the group has no actual negatives (y_true = 0)"
_NO_PRED_POS = "the group has no positive predictions (y_pred = 1)"
_NO_PRED_NEG = "the group has no negative predictions (y_pred = 0)"

for _name, _label, _cellmask, _alias in [
    ("true_positives", "True positives", _cells(tp=1), "tp"),
    ("false_positives", "False positives", _cells(fp=1), "fp"),
    ("true_negatives", "True negatives", _cells(tn=1), "tn"),
    ("false_negatives", "False negatives", _cells(fn=1), "fn"),
]:
    register(Metric(_name, _label, _alias.upper(), "count", True, None, numerator=_cellmask, aliases=(_alias,)))

SELECTION_RATE = _rate(
    "selection_rate", "Selection rate", "(TP + FP) / (TP + FP + TN + FN)", False, True,
    _NO_ROWS, _PRED_POS, _ALL, favourability_dependent=True, aliases=("sr", "positive_rate"),
)
_rate(
    "base_rate", "Base rate (prevalence)", "(TP + FN) / (TP + FP + TN + FN)", True, None,
    _NO_ROWS, _POS, _ALL, aliases=("prevalence",),
)
TRUE_POSITIVE_RATE = _rate(
    "true_positive_rate", "True positive rate", "TP / (TP + FN)", True, True,
    _NO_POS, _cells(tp=1), _POS, aliases=("tpr", "recall", "sensitivity"),
)
FALSE_POSITIVE_RATE = _rate(
    "false_positive_rate", "False positive rate", "FP / (FP + TN)", True, False,
    _NO_NEG, _cells(fp=1), _NEG, aliases=("fpr",),
)
FALSE_NEGATIVE_RATE = _rate(
    "false_negative_rate", "False negative rate", "FN / (TP + FN)", True, False,
    _NO_POS, _cells(fn=1), _POS, aliases=("fnr",), complement_of="true_positive_rate",
)
TRUE_NEGATIVE_RATE = _rate(
    "true_negative_rate", "True negative rate", "TN / (TN + FP)", True, True,
    _NO_NEG, _cells(tn=1), _NEG, aliases=("tnr", "specificity"), complement_of="false_positive_rate",
)
POSITIVE_PREDICTIVE_VALUE = _rate(
    "positive_predictive_value", "Positive predictive value", "TP / (TP + FP)", True, True,
    _NO_PRED_POS, _cells(tp=1), _PRED_POS, aliases=("ppv", "precision"),
)
_rate(
    "negative_predictive_value", "Negative predictive value", "TN / (TN + FN)", True, True,
    _NO_PRED_NEG, _cells(tn=1), _PRED_NEG, aliases=("npv",),
)
_rate(
    "false_discovery_rate", "False discovery rate", "FP / (TP + FP)", True, False,
    _NO_PRED_POS, _cells(fp=1), _PRED_POS, aliases=("fdr",), complement_of="positive_predictive_value",
)
_rate(
    "false_omission_rate", "False omission rate", "FN / (TN + FN)", True, False,
    _NO_PRED_NEG, _cells(fn=1), _PRED_NEG, aliases=("for",), complement_of="negative_predictive_value",
)
ACCURACY = _rate(
    "accuracy", "Accuracy", "(TP + TN) / (TP + FP + TN + FN)", True, True,
    _NO_ROWS, _cells(tn=1, tp=1), _ALL, aliases=("acc",),
)
_rate(
    "error_rate", "Error rate", "(FP + FN) / (TP + FP + TN + FN)", True, False,
    _NO_ROWS, _cells(fp=1, fn=1), _ALL, aliases=("err",), complement_of="accuracy",
)


def _mean(*values):
    return sum(values) / len(values)


register(Metric(
    "balanced_accuracy", "Balanced accuracy", "(TPR + TNR) / 2", "derived", True, True,
    "the group lacks actual positives or actual negatives", derive=_mean,
    aliases=("bacc",), parts=("true_positive_rate", "true_negative_rate"),
))
_rate(
    "f1_score", "F1 score", "2 TP / (2 TP + FP + FN)", True, True,
    "the group has no actual and no predicted positives", _cells(tp=2), _cells(fp=1, fn=1, tp=2),
    aliases=("f1",),
)


def metric_from_counts(metric: str, counts) -> np.ndarray:
    """Values of one metric from a count table, for every group at once.

    Parameters
    ----------
    metric : str
        Metric name or alias, see :func:`list_metrics`.
    counts : GroupCounts or array-like of shape (..., 2, 2)
        A count table (its weighted counts are used) or raw cells ``[[TN, FP], [FN, TP]]``.

    Returns
    -------
    ndarray
        Values with the table's leading shape; NaN where the denominator is zero.

    Examples
    --------
    >>> import biasaudit as ba
    >>> ba.metric_from_counts("tpr", [[[5, 1], [2, 8]], [[3, 0], [0, 0]]])
    array([0.8, nan])
    """
    if hasattr(counts, "sums"):
        return get_metric(metric, caller="metric_from_counts").evaluate(counts)
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim < 2 or table.shape[-2:] != (2, 2):
        msg = f"metric_from_counts(): `counts` must have shape (..., 2, 2); got {table.shape}."
        raise InvalidParameterError(msg)
    return get_metric(metric, caller="metric_from_counts").evaluate(table)


def registry_markdown() -> str:
    """The metric table of docs/metrics.md, generated from the registry."""
    lines = [
        "| name | aliases | formula | needs y_true | higher is better | NaN when |",
        "|---|---|---|---|---|---|",
    ]
    for name in _CANONICAL:
        m = _REGISTRY[name]
        direction = {True: "yes", False: "no", None: "-"}[m.higher_is_better]
        if m.favourability_dependent:
            direction += " (if the positive prediction is favourable)"
        aliases = ", ".join(f"`{a}`" for a in m.aliases)
        nan = m.undefined_when or "never (a count)"
        lines.append(
            f"| `{name}` | {aliases} | {m.formula} | {'yes' if m.needs_y_true else 'no'} | {direction} | {nan} |"
        )
    return "\n".join(lines) + "\n"
