"""The multiclass family's metrics: one-vs-rest rates per class, and their macro averages.

A multiclass table's cells are ``y_true`` x ``y_pred`` (K x K, a confusion matrix per
group), or ``y_pred`` alone (K) for decisions without outcomes. Per class ``k``, with
``C`` the confusion matrix:

- ``selection_rate[k]`` = column k / all: the share predicted as class k;
- ``base_rate[k]`` = row k / all;
- ``true_positive_rate[k]`` = C[k, k] / row k (recall of class k);
- ``false_positive_rate[k]`` = (column k - C[k, k]) / (all - row k);
- ``positive_predictive_value[k]`` = C[k, k] / column k (precision of class k).

``k`` is the position of the class in the table's sorted classes
(``result.counts.cell_axes``); these names are made on demand, so they are not listed by
``list_metrics()``, which lists the macro averages and the accuracy. Each per-class rate
is a binomial proportion (analytic intervals and exact tests apply). Whether a class is
favourable is the auditor's call, so selection and base rates have no direction; per-class
recall and precision are better when higher and false positive rates when lower (the
classifier's quality of service for the group). Naming the favourable classes
(``favorable_classes=``) or their order (:func:`biasaudit.audit_ordinal`) turns the
audit into a binary one, with the four-fifths rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._protocol import _FACTORIES, FAMILY_METRICS, Metric, _weights, choose_metrics, list_metrics, register

__all__: list[str] = []

FAMILY = "multiclass"
DECISIONS = "multiclass_decisions"
BASES = {
    # base: (label, needs y_true, higher is better, undefined when, numerator/denominator of a K x K array)
    "selection_rate": ("Share predicted as class {k}", False, None, "the group has no rows",
                       lambda c, k: (c[..., :, k].sum(-1), c.sum((-2, -1)))),
    "base_rate": ("Share of class {k}", True, None, "the group has no rows",
                  lambda c, k: (c[..., k, :].sum(-1), c.sum((-2, -1)))),
    "true_positive_rate": ("True positive rate of class {k}", True, True, "the group has no rows of class {k}",
                           lambda c, k: (c[..., k, k], c[..., k, :].sum(-1))),
    "false_positive_rate": ("False positive rate of class {k}", True, False,
                            "the group has only rows of class {k}",
                            lambda c, k: (c[..., :, k].sum(-1) - c[..., k, k], c.sum((-2, -1)) - c[..., k, :].sum(-1))),
    "positive_predictive_value": ("Positive predictive value of class {k}", True, True,
                                  "the group has no rows predicted as class {k}",
                                  lambda c, k: (c[..., k, k], c[..., :, k].sum(-1))),
}
_PATTERN = re.compile(r"^(" + "|".join(BASES) + r")\[(\d+)\]$")


def _cells(cells, family):
    arr = np.asarray(_weights(cells), dtype=np.float64)
    if family == DECISIONS:
        return arr[..., None, :]  # one row of "outcomes": the column sums are the predicted classes
    return arr


@dataclass(frozen=True, eq=False)
class ClassMetric(Metric):
    """A proportion of a multiclass table, from a function of its (..., K, K) cells."""

    parts_of: Callable | None = None

    def numerator_denominator(self, cells, *, family: str | None = None):
        return self.parts_of(_cells(cells, family or self.family))  # type: ignore[misc]


def _ratio(num, den):
    out = np.full(np.shape(num), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


@dataclass(frozen=True, eq=False)
class MacroMetric(Metric):
    """Unweighted mean over the classes of a per-class rate, over the classes where it is defined."""

    base: str = ""

    def evaluate(self, cells, *, family: str | None = None) -> np.ndarray:
        c = _cells(cells, family or self.family)
        parts = BASES[self.base][4]
        per_class = np.stack([_ratio(*parts(c, k)) for k in range(c.shape[-1])], axis=-1)
        defined = ~np.isnan(per_class)
        count = defined.sum(-1)
        total = np.where(defined, per_class, 0.0).sum(-1)
        return _ratio(total, count.astype(np.float64))


def class_metric(name: str) -> Metric | None:
    """The per-class metric a name like ``"true_positive_rate[2]"`` stands for, or None."""
    match = _PATTERN.match(name)
    if match is None:
        return None
    base, k = match.group(1), int(match.group(2))
    label, needs_y, hib, undefined, parts = BASES[base]
    return ClassMetric(name, label.format(k=k), f"{base} of class {k} (one vs rest)", "proportion", needs_y, hib,
                       undefined.format(k=k), family=FAMILY, parts_of=lambda c, k=k, p=parts: p(c, k))


_FACTORIES.append(class_metric)

for _base, _short in (("true_positive_rate", "TPR"), ("false_positive_rate", "FPR"),
                      ("positive_predictive_value", "PPV")):
    register(MacroMetric(f"macro_{_base}", f"Macro-averaged {_short}", f"mean over classes of {_base}[k]",
                         "moment", True, BASES[_base][2], "no class has a defined value", family=FAMILY,
                         base=_base))
register(ClassMetric("multiclass_accuracy", "Accuracy (all classes)", "trace(C) / sum(C)", "proportion", True, True,
                     "the group has no rows", family=FAMILY,
                     parts_of=lambda c: (np.trace(c, axis1=-2, axis2=-1), c.sum((-2, -1)))))


def _names(metrics, table, caller):
    n_classes = table.cell_shape[-1]
    has_y = table.family == FAMILY
    if metrics is None:
        bases = list(BASES) if has_y else ["selection_rate"]
        per_class = [f"{b}[{k}]" for b in bases for k in range(n_classes)]
        return tuple(per_class + (list_metrics(family=FAMILY) if has_y else []))

    def refuse(entry):
        match = _PATTERN.match(entry.name)
        if entry.family != FAMILY or (match and int(match.group(2)) >= n_classes):
            return (f"is not a metric of this multiclass audit; it has {n_classes} classes (indices 0 to "
                    f"{n_classes - 1}): per-class metrics {[f'{b}[k]' for b in BASES]} and "
                    f"{list_metrics(family=FAMILY)}.")
        if entry.needs_y_true and not has_y:
            return ("needs `y_true`, which was not given; without outcomes only the selection_rate[k] can be "
                    "audited.")
        return None

    return choose_metrics(metrics, caller=caller, refuse=refuse)


FAMILY_METRICS[FAMILY] = _names
FAMILY_METRICS[DECISIONS] = _names
