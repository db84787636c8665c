"""The published edition of an audit: which of its figures may be shown.

:func:`publication` runs the disclosure control of :mod:`._disclosure` on the audit's
finest count table and all its groupings at once, and answers, per group, whether its
size, each metric (value and interval) and each comparison (which also needs the
reference's figures) may be published. :func:`published_views` applies the same answer
to the pandas views, for the terminal summary.
"""

from __future__ import annotations

import itertools
import weakref

import numpy as np

from .._metrics import get_metric
from ._disclosure import protect, published

__all__ = ["FULL_EDITION", "Publication", "publication", "published_views"]


class Publication:
    """What the published edition shows of each group of an audit result.

    Built by :func:`publication`. Groups are named as in the result's views:
    ``(attribute, group)`` with the grouping's name and label.
    """

    def __init__(self, result, masks, min_cell=None):
        self._size = {}
        self._metric = {}
        self._all_metrics: dict | None = None
        binary = result.counts.family in _BINARY
        for g, m in zip(result.groupings, masks):
            if m is None:  # a grouping withheld whole (an intersection of a sparse table)
                self._size.update({(g.name, lab): False for lab in g.labels})
                self._metric.update({(g.name, lab, name): False for lab in g.labels for name in result.metrics})
                continue
            levels = [result.counts.levels[result.counts.attributes.index(a)] for a in g.attributes]
            flat = {(lab[0] if len(levels) == 1 else lab): i for i, lab in enumerate(itertools.product(*levels))}
            rows = np.array([flat[lab] for lab in g.labels], dtype=np.intp)
            for lab, i in zip(g.labels, rows):
                self._size[(g.name, lab)] = bool(m.size[i])
            if not binary:
                # Classes and amounts: a group's figures are published when its size is and
                # none of its cells holds 1 to min_cell - 1 rows (primary suppression per group;
                # the sizes are protected jointly across groupings like any other audit's).
                cells = g.rows_table
                if result.counts.family in ("regression", "score"):
                    # amounts publish means and the share above the median, not the histogram
                    # of predictions: only the side-of-the-median cells are counts shown;
                    # scores publish each group's counts of outcomes, not those of each score bin
                    cells = cells.reshape(*cells.shape[:2], -1).sum(axis=-1)
                cells = cells.reshape(len(g.labels), -1)
                safe = ~((cells > 0) & (cells < min_cell)).any(axis=1) & m.size[rows]
            for name in result.metrics:
                ok = _metric_mask(m, name)[rows] if binary else safe
                for lab, v in zip(g.labels, ok):
                    self._metric[(g.name, lab, name)] = bool(v)

    def size(self, attribute, group) -> bool:
        """Whether the group's size may be published."""
        return self._size.get((attribute, group), False)

    def metric(self, attribute, group, metric) -> bool:
        """Whether the group's value of ``metric`` (and its interval) may be published."""
        return self._metric.get((attribute, group, metric), False)

    def comparison(self, attribute, group, metric, reference) -> bool:
        """Whether the comparison of the group with ``reference`` on ``metric`` may be published.

        The overall population (a reference that is not a group of the attribute) is
        always published.
        """
        ref_ok = self._metric.get((attribute, reference, metric), (attribute, reference) not in self._size)
        return self.metric(attribute, group, metric) and ref_ok

    def complete(self, attribute, group) -> bool:
        """Whether every figure of the group may be published."""
        if self._all_metrics is None:  # once, not one scan of every figure per group asked about
            self._all_metrics = {}
            for (a, g, _), v in self._metric.items():
                self._all_metrics[(a, g)] = self._all_metrics.get((a, g), True) and v
        return self.size(attribute, group) and self._all_metrics.get((attribute, group), True)

    def withheld(self) -> list:
        """``(attribute, group)`` of every group with a withheld figure, in the result's order."""
        return [key for key, ok in self._size.items() if not self.complete(*key)]

    def __contains__(self, key) -> bool:
        # ``key in publication``: the group has a withheld figure.
        return key in self._size and not self.complete(*key)


def _metric_mask(masks, name):
    metric = get_metric(name)
    if metric.kind == "derived":
        out = np.ones(len(masks.size), bool)
        for part in metric.parts:
            out &= _metric_mask(masks, part)
        return out
    if metric.kind == "count":
        return published(masks, metric.numerator)
    return published(masks, metric.numerator, metric.denominator)


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BINARY = ("binary", "decisions")


def publication(result, *, min_cell: int) -> Publication:
    """The published edition's view of ``result``, protected with threshold ``min_cell``.

    Reference groups are withheld only when no other choice protects: hiding one would
    hide every comparison with it. The answer is cached per result and threshold, so
    the report and the terminal summary show the same edition.

    Examples
    --------
    >>> import biasaudit as ba
    >>> data = ba.datasets.make_biased_classification(400, rng=0).data
    >>> result = ba.audit(data, y_true="y_true", y_pred="y_pred", protected="sex")
    >>> publication(result, min_cell=10).size("sex", "female")
    True
    """
    cached = _CACHE.setdefault(result, {})
    if min_cell in cached:
        return cached[min_cell]
    keep = {(g.name, g.labels[i]) for g, c in zip(result.groupings, result.comparisons)
            for i in c.reference_index if i >= 0}
    if result.counts.is_sparse:
        masks = _attribute_by_attribute(result, min_cell, keep)
    else:
        counts = _cells(result.counts, result.counts.rows)
        axes = [tuple(result.counts.attributes.index(a) for a in g.attributes) for g in result.groupings]
        spare = []
        for g in result.groupings:
            levels = [result.counts.levels[result.counts.attributes.index(a)] for a in g.attributes]
            labels = [lab[0] if len(levels) == 1 else lab for lab in itertools.product(*levels)]
            spare.append(np.array([(g.name, lab) in keep for lab in labels], bool))
        masks = protect(counts, axes, min_cell=min_cell, keep=spare)
    cached[min_cell] = Publication(result, masks, min_cell)
    return cached[min_cell]


def _cells(table, rows) -> np.ndarray:
    """The (*groups, 2, 2) counts the disclosure control protects, from a table's row counts."""
    counts = np.asarray(rows)
    if table.family not in _BINARY:
        # Classes and amounts: the joint protection covers the group sizes (every row in one
        # cell of a 2 x 2 block); their cells are checked group by group in Publication.
        sizes = counts.reshape(*counts.shape[: counts.ndim - len(table.cell_axes)], -1).sum(axis=-1)
        counts = np.zeros((*sizes.shape, 2, 2), dtype=counts.dtype)
        counts[..., 0, 0] = sizes
    elif not getattr(table, "has_y_true", True):
        # Decisions alone: the table has no outcome axis. A constant outcome (every row at 0)
        # adds no information, so the outcome tables repeat the size and prediction tables.
        counts = np.stack([counts, np.zeros_like(counts)], axis=-2)
    return counts


def _attribute_by_attribute(result, min_cell: int, keep: set) -> list:
    """Masks of an audit whose finest table is sparse: each attribute protected on its own, every
    intersection withheld (None).

    With no crossed table published, one attribute's table tells an attacker nothing about
    another's beyond the grand totals: any two margins with the same totals per cell are
    margins of some table of people (a transportation problem per cell is always solvable).
    So each attribute's table, protected with the grand totals published, is protected
    against all of them together.
    """
    masks: list = []
    for g in result.groupings:
        if len(g.attributes) != 1:
            masks.append(None)
            continue
        table = result.counts.marginal(list(g.attributes))
        spare = np.array([(g.name, lab) in keep for lab in table.levels[0]], bool)
        masks.append(protect(_cells(table, table.rows), [(0,)], min_cell=min_cell, keep=[spare])[0])
    return masks


def published_views(result, *, min_cell: int) -> dict:
    """``group_metrics``, ``disparities`` and ``four_fifths`` with withheld figures blanked.

    Blank is NaN for numbers and None for labels; the row stays, so no group is dropped
    in silence. For the terminal summary of the published edition.
    """
    pub = publication(result, min_cell=min_cell)
    gm = result.group_metrics.copy()
    rows = list(gm.itertuples(index=False))
    size = np.array([pub.size(r.attribute, r.group) for r in rows], bool)
    gm["n"] = gm["n"].astype("Int64").mask(~size)
    gm["weighted_total"] = gm["weighted_total"].where(size)
    for name in result.metrics:
        shown = np.array([pub.metric(r.attribute, r.group, name) for r in rows], bool)
        gm[name] = gm[name].where(shown)
    d = result.disparities
    shown = np.array([pub.comparison(r.attribute, r.group, r.metric, r.reference)
                      for r in d.itertuples(index=False)], bool)
    d = d[shown].reset_index(drop=True)
    ff = result.four_fifths.copy()
    rows = list(ff.itertuples(index=False))
    own = np.array([pub.metric(r.attribute, r.group, "selection_rate") for r in rows], bool)
    both = own & np.array([pub.metric(r.attribute, r.best_group, "selection_rate") for r in rows], bool)
    ff["n"] = ff["n"].astype("Int64").mask(~np.array([pub.size(r.attribute, r.group) for r in rows], bool))
    ff["favourable_rate"] = ff["favourable_rate"].where(own)
    for col in ("impact_ratio", "shortfall"):
        ff[col] = ff[col].where(both)
    ff["flagged"] = ff["flagged"] & both
    return {"group_metrics": gm, "disparities": d, "four_fifths": ff, "publication": pub}


class _FullEdition:
    """The regulator's annex: every figure shown."""

    def size(self, attribute, group) -> bool:
        return True

    def metric(self, attribute, group, metric) -> bool:
        return True

    def comparison(self, attribute, group, metric, reference) -> bool:
        return True

    def complete(self, attribute, group) -> bool:
        return True

    def withheld(self) -> list:
        return []

    def __contains__(self, key) -> bool:
        return False


FULL_EDITION = _FullEdition()
