"""The metric registry: every group metric as a function of a (..., 2, 2) count table.

A table cell ``[t, p]`` holds the (weighted) count of rows with ``y_true == t`` and
``y_pred == p``. A rate metric is ``(table * numerator).sum() / (table * denominator).sum()``
over the last two axes, so one entry serves a single group, all groups at once, or a
leading axis of bootstrap replicates. A zero denominator gives NaN, never 0.

The registry drives the audit, the documentation table (docs/metrics.md) and the common
tests, which run over every canonical name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validation import _suggest
from .exceptions import InvalidParameterError

__all__ = ["Metric", "get_metric", "list_metrics", "metric_from_counts"]


@dataclass(frozen=True, eq=False)
class Metric:
    """One registered group metric.

    Attributes
    ----------
    name : str
        Canonical name, used as the column name in results.
    label : str
        Human-readable name.
    formula : str
        Definition in terms of TP, FP, TN, FN.
    kind : {"count", "rate", "derived"}
        A weighted cell count, a ratio of cell sums, or a function of other metrics.
    needs_y_true : bool
        Whether the metric needs observed outcomes.
    higher_is_better : bool or None
        Direction used to pick the ``"best"`` reference group; None when a metric has
        no favourable direction (the base rate, the counts).
    favourability_dependent : bool
        True when the direction flips if the positive prediction is the unfavourable
        outcome (the selection rate: a high rate of being flagged as high risk is bad).
    undefined_when : str
        Plain description of the zero-denominator case.
    aliases : tuple of str
        Other accepted names.
    complement_of : str or None
        The metric this one is one minus (FNR of TPR, ...); their tests are the same
        test, counted once in a multiple-testing family.
    parts : tuple of str
        For a derived metric, the rate metrics ``derive`` combines (its arguments).
    """

    name: str
    label: str
    formula: str
    kind: str
    needs_y_true: bool
    higher_is_better: bool | None
    undefined_when: str = ""
    numerator: np.ndarray | None = None
    denominator: np.ndarray | None = None
    derive: Callable | None = None
    favourability_dependent: bool = False
    aliases: tuple = ()
    complement_of: str | None = None
    parts: tuple = ()

    @property
    def is_proportion(self) -> bool:
        """True for a binomial proportion: the numerator cells are a subset of the denominator's."""
        if self.kind != "rate":
            return False
        num, den = self.numerator, self.denominator
        return bool(np.isin(num, (0, 1)).all() and np.isin(den, (0, 1)).all() and (num <= den).all())

    def numerator_denominator(self, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Numerator and denominator sums of a rate metric over the last two axes."""
        table = np.asarray(table, dtype=np.float64)
        num = np.tensordot(table, self.numerator, axes=([-2, -1], [0, 1]))
        den = np.tensordot(table, self.denominator, axes=([-2, -1], [0, 1]))
        return num, den

    def from_counts(self, table) -> np.ndarray:
        """Metric values from a count table of shape (..., 2, 2); NaN where undefined."""
        table = np.asarray(table, dtype=np.float64)
        if self.kind == "count":
            return np.tensordot(table, self.numerator, axes=([-2, -1], [0, 1]))
        if self.kind == "derived":
            return self.derive(*(_REGISTRY[p].from_counts(table) for p in self.parts))
        num, den = self.numerator_denominator(table)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)

    def __repr__(self):
        return f"Metric({self.name!r}, {self.formula!r})"


_REGISTRY: dict[str, Metric] = {}
_CANONICAL: list[str] = []


def _register(metric: Metric) -> Metric:
    for key in (metric.name, *metric.aliases):
        if key in _REGISTRY:
            raise RuntimeError(f"metric name {key!r} registered twice")
        _REGISTRY[key] = metric
    _CANONICAL.append(metric.name)
    return metric


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
    _register(Metric(_name, _label, _alias.upper(), "count", True, None, numerator=_cellmask, aliases=(_alias,)))

SELECTION_RATE = _register(Metric(
    "selection_rate", "Selection rate", "(TP + FP) / (TP + FP + TN + FN)", "rate", False, True,
    _NO_ROWS, _PRED_POS, _ALL, favourability_dependent=True, aliases=("sr", "positive_rate"),
))
_register(Metric(
    "base_rate", "Base rate (prevalence)", "(TP + FN) / (TP + FP + TN + FN)", "rate", True, None,
    _NO_ROWS, _POS, _ALL, aliases=("prevalence",),
))
TRUE_POSITIVE_RATE = _register(Metric(
    "true_positive_rate", "True positive rate", "TP / (TP + FN)", "rate", True, True,
    _NO_POS, _cells(tp=1), _POS, aliases=("tpr", "recall", "sensitivity"),
))
FALSE_POSITIVE_RATE = _register(Metric(
    "false_positive_rate", "False positive rate", "FP / (FP + TN)", "rate", True, False,
    _NO_NEG, _cells(fp=1), _NEG, aliases=("fpr",),
))
FALSE_NEGATIVE_RATE = _register(Metric(
    "false_negative_rate", "False negative rate", "FN / (TP + FN)", "rate", True, False,
    _NO_POS, _cells(fn=1), _POS, aliases=("fnr",), complement_of="true_positive_rate",
))
TRUE_NEGATIVE_RATE = _register(Metric(
    "true_negative_rate", "True negative rate", "TN / (TN + FP)", "rate", True, True,
    _NO_NEG, _cells(tn=1), _NEG, aliases=("tnr", "specificity"), complement_of="false_positive_rate",
))
POSITIVE_PREDICTIVE_VALUE = _register(Metric(
    "positive_predictive_value", "Positive predictive value", "TP / (TP + FP)", "rate", True, True,
    _NO_PRED_POS, _cells(tp=1), _PRED_POS, aliases=("ppv", "precision"),
))
_register(Metric(
    "negative_predictive_value", "Negative predictive value", "TN / (TN + FN)", "rate", True, True,
    _NO_PRED_NEG, _cells(tn=1), _PRED_NEG, aliases=("npv",),
))
_register(Metric(
    "false_discovery_rate", "False discovery rate", "FP / (TP + FP)", "rate", True, False,
    _NO_PRED_POS, _cells(fp=1), _PRED_POS, aliases=("fdr",), complement_of="positive_predictive_value",
))
_register(Metric(
    "false_omission_rate", "False omission rate", "FN / (TN + FN)", "rate", True, False,
    _NO_PRED_NEG, _cells(fn=1), _PRED_NEG, aliases=("for",), complement_of="negative_predictive_value",
))
ACCURACY = _register(Metric(
    "accuracy", "Accuracy", "(TP + TN) / (TP + FP + TN + FN)", "rate", True, True,
    _NO_ROWS, _cells(tn=1, tp=1), _ALL, aliases=("acc",),
))
_register(Metric(
    "error_rate", "Error rate", "(FP + FN) / (TP + FP + TN + FN)", "rate", True, False,
    _NO_ROWS, _cells(fp=1, fn=1), _ALL, aliases=("err",), complement_of="accuracy",
))


def _mean(*values):
    return sum(values) / len(values)


_register(Metric(
    "balanced_accuracy", "Balanced accuracy", "(TPR + TNR) / 2", "derived", True, True,
    "the group lacks actual positives or actual negatives", derive=_mean,
    aliases=("bacc",), parts=("true_positive_rate", "true_negative_rate"),
))
_register(Metric(
    "f1_score", "F1 score", "2 TP / (2 TP + FP + FN)", "rate", True, True,
    "the group has no actual and no predicted positives", _cells(tp=2), _cells(fp=1, fn=1, tp=2),
    aliases=("f1",),
))


def list_metrics(*, needs_y_true: bool | None = None, kind: str | None = None) -> list[str]:
    """Canonical names of the registered metrics, in registry order.

    Parameters
    ----------
    needs_y_true : bool or None, default=None
        Keep only metrics that do (True) or do not (False) need observed outcomes.
    kind : {"count", "rate", "derived"} or None, default=None
        Keep only metrics of this kind.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import biasaudit as ba
    >>> ba.list_metrics(needs_y_true=False)
    ['selection_rate']
    """
    out = []
    for name in _CANONICAL:
        m = _REGISTRY[name]
        if needs_y_true is not None and m.needs_y_true != needs_y_true:
            continue
        if kind is not None and m.kind != kind:
            continue
        out.append(name)
    return out


def get_metric(name: str, *, caller: str = "get_metric") -> Metric:
    """Registry entry for a metric name or alias.

    Parameters
    ----------
    name : str
        Canonical name (``"true_positive_rate"``) or alias (``"tpr"``).

    Returns
    -------
    Metric

    Examples
    --------
    >>> import biasaudit as ba
    >>> ba.get_metric("tpr").formula
    'TP / (TP + FN)'
    """
    if isinstance(name, Metric):
        return name
    if not isinstance(name, str) or name not in _REGISTRY:
        msg = f"{caller}(): unknown metric {name!r}; see biasaudit.list_metrics()." + _suggest(
            name, list(_REGISTRY)
        ).replace(" Available columns:", " Known metrics:")
        raise InvalidParameterError(msg)
    return _REGISTRY[name]


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
    table = counts.weighted if hasattr(counts, "weighted") else np.asarray(counts, dtype=np.float64)
    if table.ndim < 2 or table.shape[-2:] != (2, 2):
        msg = f"metric_from_counts(): `counts` must have shape (..., 2, 2); got {table.shape}."
        raise InvalidParameterError(msg)
    return get_metric(metric, caller="metric_from_counts").from_counts(table)


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
