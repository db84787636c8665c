"""An intersectional finding read one attribute at a time (the report's side of :mod:`.._side`).

African-American & Female compared with Caucasian & Male differs from its reference in
race *and* sex, so its gap mixes two contrasts: part of it may lie between Caucasian women
and Caucasian men, who are not the group at all. Such a finding also states the group
against each group that differs from it in one attribute only, taking the reference's level
there (:func:`.._side.neighbours`), with the audit's own intervals
(:func:`.._side.pair_intervals`), outside its multiple-testing family, which the sentence
says. They are stated only between published figures, for comparison groups large enough
to assess, for the finding's own metrics, and not for audits with a control attribute,
whose comparisons are stratified.
"""

from __future__ import annotations

import math

import numpy as np

from .._metrics import get_metric
from .._side import neighbours, pair_intervals
from ._texts import bare_points, percent, text
from ._units import _digits, bound_text, gap_text, metric_in_sentence, scale, value_text

__all__ = ["within_comparisons", "within_sentence"]


def within_comparisons(result, attribute, label, reference, metrics, pub, small) -> list[dict]:
    """The group against each group one attribute away from it, at the reference's level there.

    Parameters
    ----------
    result : AuditResult
    attribute : str
        The intersectional grouping's name (``"race & sex"``).
    label, reference : tuple
        The group and its reference group, one level per component attribute.
    metrics : sequence of str
        The metrics of the finding.
    pub : Publication
        What the edition publishes; a comparison is made only between published figures.
    small : set
        ``(attribute, group)`` of the groups too small to assess.

    Returns
    -------
    list of dict
        One entry per component attribute in which the group differs from its reference
        (none unless it differs in at least two): ``attribute`` (the component), ``group``
        (the comparison group's levels) and ``metrics``, a list of dicts with ``metric``,
        ``value``, ``comparison_value``, ``difference``, ``ci_low`` and ``ci_high``.
    """
    grouping = next((g for g in result.groupings if g.name == attribute), None)
    if (grouping is None or result.control is not None or not isinstance(label, tuple)
            or not isinstance(reference, tuple) or len(label) != len(reference) or len(grouping.attributes) < 2):
        return []
    index = {tuple(lab): i for i, lab in enumerate(grouping.labels)}
    own = index.get(tuple(label))
    names = [m for m in metrics if m in result.metrics]
    if own is None or not names:
        return []
    totals = {name: result.counts.total(name) for name in result.counts.sums}
    out = []
    for k, other, j in neighbours(index, tuple(label), tuple(reference)):
        if (attribute, other) in small:
            continue
        items = []
        for name in names:
            row = result.metrics.index(name)
            value, versus = float(grouping.values[row, own]), float(grouping.values[row, j])
            published = pub.comparison(attribute, label, name, other)
            if not (published and math.isfinite(value) and math.isfinite(versus)):
                continue
            low, high = (float(b[0]) for b in pair_intervals(grouping, get_metric(name), np.array([own]),
                                                              np.array([j]), totals, result.options))
            items.append({"metric": name, "value": value, "comparison_value": versus, "difference": value - versus,
                          "ci_low": low if math.isfinite(low) else None,
                          "ci_high": high if math.isfinite(high) else None})
        if items:
            out.append({"attribute": grouping.attributes[k], "group": list(other), "metrics": items})
    return out


def within_sentence(comparisons, lang, level, classes=()) -> str:
    """The sentence stating :func:`within_comparisons` ("" when there are none)."""
    parts = []
    for c in comparisons:
        items = ", ".join(_item(m, lang, level, classes) for m in c["metrics"])
        parts.append(text(lang, "finding_within_part", group=" & ".join(str(x) for x in c["group"]),
                          attribute=c["attribute"], items=items))
    return text(lang, "finding_within", parts="; ".join(parts)) if parts else ""


def _item(m, lang, level, classes) -> str:
    name = metric_in_sentence(m["metric"], lang, classes)
    low = math.nan if m["ci_low"] is None else m["ci_low"]
    high = math.nan if m["ci_high"] is None else m["ci_high"]
    if scale(m["metric"]) == "share":
        return text(lang, "finding_within_item", metric=name, value=percent(m["value"], lang),
                    ref_value=percent(m["comparison_value"], lang), diff=bare_points(m["difference"], lang),
                    level=level, low=bare_points(low, lang), high=bare_points(high, lang))
    digits = _digits(m["value"], m["comparison_value"], low, high)
    return text(lang, "finding_within_item_units", metric=name,
                value=value_text(m["metric"], m["value"], lang, digits=digits),
                ref_value=value_text(m["metric"], m["comparison_value"], lang, digits=digits),
                diff=gap_text(m["metric"], m["difference"], m["comparison_value"], lang, digits=digits),
                level=level, low=bound_text(m["metric"], low, lang, digits=digits),
                high=bound_text(m["metric"], high, lang, digits=digits))
