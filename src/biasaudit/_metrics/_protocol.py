"""The metric protocol: what every group metric declares, and one vectorised evaluation.

A metric is a function of a table's per-cell sums (see :mod:`biasaudit._tables`) with
free leading axes: one group, every group at once, or a leading axis of bootstrap
replicates. It declares the family of tables it needs, its direction (is a higher value
better for the group, worse, or neither; and does that flip when the positive decision
is the unfavourable one), and its estimator kind, which says what statistics apply:

- ``"count"``: a weighted cell count, not compared between groups;
- ``"proportion"``: a binomial proportion, numerator cells a subset of the denominator's
  (analytic intervals and exact tests apply);
- ``"ratio"``: a ratio of cell sums that is not a proportion (F1);
- ``"derived"``: a function of other metrics (balanced accuracy);
- ``"mean"``: a weighted mean of a per-row quantity, from sums of it and of its square
  (Welch intervals and tests apply; see ``_evidence_moments``);
- ``"moment"``: another function of per-group sums (RMSE, R^2, macro averages): no test.

A zero denominator gives NaN, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from .._validation import _suggest
from ..exceptions import InvalidParameterError

__all__ = ["Metric", "evaluate_many", "get_metric", "list_metrics"]

ESTIMATORS = ("count", "proportion", "ratio", "derived", "mean", "moment")
#: Estimator kinds of metrics computed from several named sums (``Metric.from_sums``):
#: the score family's rank statistics (``"auc"``), calibration ratios and other score summaries.
SUM_ESTIMATORS = ("auc", "calibration", "score")


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
        Definition in terms of the table's cells (TP, FP, TN, FN for binary decisions).
    family : str
        The table family the metric needs (``"binary"``: y_true x y_pred).
    estimator : {"count", "proportion", "ratio", "derived"}
        What kind of estimate it is, which decides the statistics that apply.
    needs_y_true : bool
        Whether the metric needs observed outcomes.
    higher_is_better : bool or None
        Direction when the positive decision is favourable; None when a metric has no
        favourable direction (the base rate, the counts).
    favourability_dependent : bool
        True when the direction flips if the positive decision is the unfavourable one
        (the selection rate: a high rate of being flagged as high risk is bad).
    undefined_when : str
        Plain description of the zero-denominator case.
    aliases : tuple of str
        Other accepted names.
    complement_of : str or None
        The metric this one is one minus (FNR of TPR, ...); their tests are the same test,
        counted once in a multiple-testing family.
    parts : tuple of str
        For a derived metric, the metrics ``derive`` combines (its arguments).
    signed : bool
        True when values can be negative or change sign (a signed bias, R^2): groups are
        compared by differences only, and no ratio is formed (-0.10 against +0.05 is no
        "ratio of -2").
    """

    name: str
    label: str
    formula: str
    estimator: str
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
    family: str = "binary"
    from_sums: Callable | None = None
    signed: bool = False

    @property
    def kind(self) -> str:
        """``"count"``, ``"rate"`` (a ratio of cell sums) or ``"derived"``."""
        return "rate" if self.estimator in ("proportion", "ratio") else self.estimator

    @property
    def is_proportion(self) -> bool:
        """True for a binomial proportion: the numerator cells are a subset of the denominator's."""
        return self.estimator == "proportion"

    def direction(self, positive_is_favorable: bool = True) -> bool | None:
        """Whether a higher value is better for the group.

        Parameters
        ----------
        positive_is_favorable : bool, default=True
            Whether the positive decision is favourable to the person.

        Returns
        -------
        bool or None
            True (higher is better), False (lower is better) or None (no direction).
        """
        hib = self.higher_is_better
        if hib is not None and self.favourability_dependent and not positive_is_favorable:
            return not hib
        return hib

    def _masks(self, family: str) -> tuple[np.ndarray, np.ndarray]:
        """Numerator and denominator masks over the family's cells (a count's denominator is unused)."""
        if self.numerator is None:
            msg = f"metric {self.name!r} is not a function of cell masks"
            raise TypeError(msg)
        num = self.numerator
        den = self.denominator if self.denominator is not None else np.zeros_like(num)
        if family == "decisions":
            # Without outcomes the table has no y_true axis; a metric that does not need
            # outcomes has masks that are the same for both outcomes.
            num, den = num[0], den[0]
        return num, den

    def numerator_denominator(self, cells, *, family: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Numerator and denominator sums of a ratio metric over the trailing cell axes."""
        cells = _weights(cells)
        num, den = self._masks(family or self.family)
        axes = tuple(range(-num.ndim, 0))
        return (np.tensordot(cells, num, axes=(axes, tuple(range(num.ndim)))),
                np.tensordot(cells, den, axes=(axes, tuple(range(den.ndim)))))

    def evaluate(self, cells, *, family: str | None = None) -> np.ndarray:
        """Metric values over the leading axes of ``cells``; NaN where undefined.

        Parameters
        ----------
        cells : Table, mapping of sums, or array-like of shape (..., *cell shape)
            Per-cell weighted sums (a Table's or a mapping's ``"weight"`` sums).
        family : str, optional
            The family of the cells' table: ``"decisions"`` for cells (..., 2) of a
            table without outcomes; by default the table's, or the metric's.

        Returns
        -------
        ndarray
        """
        family = family or getattr(cells, "family", None) or self.family
        if self.from_sums is not None:
            return self.from_sums(_all_sums(cells))
        if self.estimator == "derived" and self.derive is not None:
            return self.derive(*(get_metric(p).evaluate(cells, family=family) for p in self.parts))
        cells = np.asarray(_weights(cells), dtype=np.float64)
        if self.estimator == "count":
            num, _ = self._masks(family)
            return np.tensordot(cells, num, axes=(tuple(range(-num.ndim, 0)), tuple(range(num.ndim))))
        num, den = self.numerator_denominator(cells, family=family)
        out = np.full(np.shape(num), np.nan)
        np.divide(num, den, out=out, where=den > 0)
        return out

    def __repr__(self):
        return f"Metric({self.name!r}, {self.formula!r})"


def _weights(cells):
    if hasattr(cells, "sums"):
        return cells.sums["weight"]
    if isinstance(cells, Mapping):
        return cells["weight"]
    return cells


def _all_sums(cells) -> Mapping:
    """Every named sum of a Table or a mapping (a metric of several sums needs them all)."""
    if hasattr(cells, "sums"):
        return cells.sums
    if isinstance(cells, Mapping):
        return cells
    raise TypeError("a metric of several sums needs a Table or a mapping of sums, not one array")


def evaluate_many(metrics, cells, *, family: str = "binary") -> np.ndarray:
    """Values of several metrics at once: cells (..., *cell shape) -> (..., M).

    Ratio metrics, and the ratio parts of derived metrics, share one matrix product of
    their stacked numerator and denominator masks with the cells; this is what makes a
    bootstrap of thousands of replicates cost a few matrix products.
    """
    if any(m.from_sums is not None for m in metrics):
        return np.stack([m.evaluate(cells, family=family) for m in metrics], axis=-1)
    cells = np.asarray(_weights(cells), dtype=np.float64)
    ratios: list[Metric] = []
    for m in metrics:
        for r in ([m] if m.kind == "rate" else [get_metric(p) for p in m.parts] if m.estimator == "derived" else []):
            if all(r is not x for x in ratios):
                ratios.append(r)
    position = {id(r): i for i, r in enumerate(ratios)}
    vals = None
    if ratios:
        masks = [r._masks(family) for r in ratios]
        n_cell_axes = masks[0][0].ndim
        lead = cells.shape[: cells.ndim - n_cell_axes]
        flat = cells.reshape(*lead, -1)
        stacked = np.stack([num.ravel() for num, _ in masks] + [den.ravel() for _, den in masks], axis=1)
        num_den = flat @ stacked
        num, den = num_den[..., : len(ratios)], num_den[..., len(ratios):]
        vals = np.full(num.shape, np.nan)
        np.divide(num, den, out=vals, where=den > 0)
        if all(m.kind == "rate" for m in metrics):
            return vals[..., [position[id(m)] for m in metrics]]
    out = []
    for m in metrics:
        if m.kind == "rate":
            out.append(vals[..., position[id(m)]])  # type: ignore[index]
        elif m.estimator == "derived" and m.derive is not None:
            out.append(m.derive(*(vals[..., position[id(get_metric(p))]] for p in m.parts)))  # type: ignore[index]
        else:
            out.append(m.evaluate(cells, family=family))
    return np.stack(out, axis=-1)


_REGISTRY: dict[str, Metric] = {}
_CANONICAL: list[str] = []
#: Metrics made on demand from a name pattern (one per class of a multiclass audit,
#: ``"true_positive_rate[2]"``): factories ``name -> Metric or None``, and those made so far.
#: They are not canonical: ``list_metrics()`` lists the families' fixed metrics.
_FACTORIES: list = []
_MADE: dict[str, Metric] = {}
#: Default metric names of a table family other than the binary ones:
#: ``family -> f(metrics, table, caller) -> tuple of names`` (``metrics`` None for the defaults).
FAMILY_METRICS: dict = {}


def register(metric: Metric) -> Metric:
    """Add a metric to the registry under its name and aliases."""
    if metric.estimator not in ESTIMATORS + SUM_ESTIMATORS:
        raise ValueError(f"metric {metric.name!r}: unknown estimator {metric.estimator!r}")
    for key in (metric.name, *metric.aliases):
        if key in _REGISTRY:
            raise RuntimeError(f"metric name {key!r} registered twice")
        _REGISTRY[key] = metric
    _CANONICAL.append(metric.name)
    return metric


def list_metrics(*, needs_y_true: bool | None = None, kind: str | None = None,
                 family: str | None = None) -> list[str]:
    """Canonical names of the registered metrics, in registry order.

    Parameters
    ----------
    needs_y_true : bool or None, default=None
        Keep only metrics that do (True) or do not (False) need observed outcomes.
    kind : {"count", "rate", "derived"} or None, default=None
        Keep only metrics of this kind.
    family : str or None, default=None
        Keep only metrics of this table family (``"binary"``, ...).

    Returns
    -------
    list of str

    Examples
    --------
    >>> import biasaudit as ba
    >>> ba.list_metrics(needs_y_true=False, family="binary")
    ['selection_rate']
    """
    out = []
    for name in _CANONICAL:
        m = _REGISTRY[name]
        if needs_y_true is not None and m.needs_y_true != needs_y_true:
            continue
        if kind is not None and m.kind != kind:
            continue
        if family is not None and m.family != family:
            continue
        out.append(name)
    return out


def get_metric(name: str, *, caller: str = "get_metric") -> Metric:
    """Registry entry for a metric name or alias.

    Parameters
    ----------
    name : str
        Canonical name (``"true_positive_rate"``) or alias (``"tpr"``).
    caller : str, default="get_metric"
        Name of the public function asking, for error messages.

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
    if isinstance(name, str) and name not in _REGISTRY:
        if name not in _MADE:
            made = next((m for m in (f(name) for f in _FACTORIES) if m is not None), None)
            if made is not None:
                _MADE[name] = made
        if name in _MADE:
            return _MADE[name]
    if not isinstance(name, str) or name not in _REGISTRY:
        msg = f"{caller}(): unknown metric {name!r}; see biasaudit.list_metrics()." + _suggest(
            name, list(_REGISTRY)
        ).replace(" Available columns:", " Known metrics:")
        raise InvalidParameterError(msg)
    return _REGISTRY[name]


def choose_metrics(metrics, *, caller: str, refuse: Callable[["Metric"], str | None]) -> tuple:
    """Canonical names of the requested ``metrics``, in order, each once.

    ``refuse(metric)`` returns why the audit cannot have that metric (the rest of the
    sentence after "metric 'name' "), or None to accept it.
    """
    chosen: list[str] = []
    for m in metrics:
        entry = get_metric(m, caller=caller)
        why = refuse(entry)
        if why:
            raise InvalidParameterError(f"{caller}(): metric {entry.name!r} {why}")
        if entry.name not in chosen:
            chosen.append(entry.name)
    return tuple(chosen)

