"""From a table and the options to groupings, metric values and comparisons.

This is the part of an audit between the counts and the statistics: which groupings are
audited (each attribute and the chosen intersections), each group's metric values, the
reference of every comparison and each group's difference and ratio to it.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, fields
from typing import Mapping

import numpy as np

from ._compare import OVERALL_LABEL, Grouping, compare, make_grouping, reference_indices
from ._many_groups import warn_many_groups
from ._metrics import get_metric, list_metrics
from ._metrics._protocol import FAMILY_METRICS, choose_metrics
from ._options import REFERENCE_RULES
from ._validation import _same_label, _suggest
from .exceptions import AuditError, InvalidParameterError, MissingGroupWarning, SingleGroupWarning, \
    UndefinedMetricWarning

__all__: list[str] = []

_SHOWN = 8  # examples listed in an aggregated warning
_GROUPING_FIELDS = [f.name for f in fields(Grouping)]


@dataclass(frozen=True, eq=False)
class GroupingResult(Grouping):
    """One grouping with its metric values and its comparisons with the reference.

    Arrays are aligned with the audit's metrics (M) and the grouping's groups (G):
    ``values`` (M, G); ``reference_index`` (M,), -1 for the overall population;
    ``reference_value`` (M,); ``difference`` and ``ratio`` (M, G).
    """

    # defaults only because the grouping's fields come first; analyse() always sets them
    values: np.ndarray = None  # type: ignore[assignment]
    reference_index: np.ndarray = None  # type: ignore[assignment]
    reference_value: np.ndarray = None  # type: ignore[assignment]
    difference: np.ndarray = None  # type: ignore[assignment]
    ratio: np.ndarray = None  # type: ignore[assignment]

    @property
    def grouping(self) -> Grouping:
        """The grouping itself (its groups and sums)."""
        return self

    def reference_label(self, i: int):
        """Label of the reference of metric ``i`` (``"(overall)"`` for the population)."""
        r = self.reference_index[i]
        return OVERALL_LABEL if r < 0 else self.labels[r]


def metric_names(metrics, family: str, caller: str, table=None) -> tuple:
    """Canonical metric names for a table family, rates first; checks the names."""
    if family in FAMILY_METRICS:  # the families beyond binary decisions name their own metrics
        return FAMILY_METRICS[family](metrics, table, caller)
    has_y_true = family != "decisions"

    def refuse(entry):
        if entry.family != "binary":
            hint = "give `y_score` (docs/scores.md)" if entry.family == "score" else "see docs/tasks.md for task="
            return f"is a {entry.family} metric; this audit is of binary decisions ({hint})."
        if entry.needs_y_true and not has_y_true:
            return (f"needs `y_true`, which was not given. Hint: without outcomes only "
                    f"{list_metrics(needs_y_true=False, family='binary')} can be audited.")
        return None

    if metrics is None:
        chosen = list_metrics(family="binary") if has_y_true else list_metrics(needs_y_true=False, family="binary")
    else:
        chosen = list(choose_metrics(metrics, caller=caller, refuse=refuse))
    rates = [m for m in chosen if get_metric(m).kind != "count"]
    return tuple(rates + [m for m in chosen if m not in rates])


def grouping_sets(names, intersections, caller) -> list[tuple]:
    """The attribute tuples audited: each attribute, then the intersections asked for."""
    sets = [(a,) for a in names]
    if intersections is False:
        return sets
    if intersections is True:
        return sets + ([tuple(names)] if len(names) > 1 else [])
    if intersections == "all":
        return sets + [c for k in range(2, len(names) + 1) for c in itertools.combinations(names, k)]
    for combo in intersections:
        unknown = [a for a in combo if a not in names]
        if unknown or len(combo) < 2 or len(set(combo)) != len(combo):
            msg = (f"{caller}(): each entry of `intersections` must name two or more distinct "
                   f"protected attributes among {list(names)}; got {list(combo)}.")
            raise InvalidParameterError(msg)
        if combo not in sets:
            sets.append(combo)
    return sets


def _reference_for(reference, grouping: Grouping):
    """The rule or label given for one grouping, by attribute tuple, then by display name."""
    if not isinstance(reference, Mapping):
        return reference
    key = grouping.attributes[0] if len(grouping.attributes) == 1 else grouping.attributes
    if key in reference:
        return reference[key]
    if grouping.is_intersection and grouping.name in reference and grouping.name not in grouping.attributes:
        return reference[grouping.name]
    return None


def _check_reference_keys(reference, groupings, caller):
    if not isinstance(reference, Mapping):
        if not (isinstance(reference, str) and reference in REFERENCE_RULES) and len(groupings) > 1:
            msg = (f"{caller}(): `reference` must be one of {list(REFERENCE_RULES)} or a dict "
                   f"{{attribute: group}} when several attributes are audited; got {reference!r}.")
            raise InvalidParameterError(msg)
        return
    known_single = {g.attributes[0] for g in groupings if not g.is_intersection}
    known_multi = {g.attributes for g in groupings if g.is_intersection}
    names = {g.name for g in groupings if g.is_intersection}
    unknown = [k for k in reference if k not in known_single and k not in known_multi and k not in names]
    if unknown:
        msg = (f"{caller}(): `reference` names unknown attributes {unknown}; known: "
               f"{sorted(known_single) + sorted(names)}.")
        raise InvalidParameterError(msg)


def _label_index(grouping: Grouping, wanted, caller):
    for i, label in enumerate(grouping.labels):
        if _same_label(label, wanted):
            return i
    shown = [repr(lab) for lab in grouping.labels[:12]]
    msg = (f"{caller}(): `reference` for {grouping.name!r} must be one of {list(REFERENCE_RULES)} "
           f"or a group with rows; got {wanted!r}. Groups: {', '.join(shown)}"
           f"{', ...' if len(grouping.labels) > 12 else ''}.")
    hint = _suggest(wanted, [str(lab) for lab in grouping.labels] + list(REFERENCE_RULES))
    if "did you mean" in hint:
        msg += hint
    raise AuditError(msg)


def resolve_reference(reference, grouping: Grouping, singles: dict, caller):
    """(rule or group index, restriction of the automatic choice) for one grouping.

    An intersection with no reference of its own inherits its attributes' explicit
    reference groups: with ``{"race": "Caucasian"}`` the race & sex intersection is
    compared with the largest assessable group among (Caucasian, *), not with the
    largest group overall. Attributes given a rule rather than a group add no restriction.
    """
    rule = _reference_for(reference, grouping)
    if rule is None or (isinstance(rule, str) and rule in REFERENCE_RULES):
        within = None
        if grouping.is_intersection and isinstance(reference, Mapping):
            within = np.ones(len(grouping.labels), dtype=bool)
            for k, a in enumerate(grouping.attributes):
                label = singles.get(a)
                if label is not None:
                    within &= np.array([_same_label(lab[k], label) for lab in grouping.labels], dtype=bool)
            if within.all() or not within.any():
                within = None
        return (rule or ("largest" if isinstance(reference, Mapping) else reference)), within
    wanted = tuple(rule) if isinstance(rule, list) else rule
    return _label_index(grouping, wanted, caller), None


def analyse(table, options, *, control, caller):
    """Groupings, values and comparisons of a table: (grouping results, overall values, empty groups)."""
    names = [a for a in table.attributes if a != control]
    if table.n_rows == 0:
        msg = f"{caller}(): the table counts no rows; an audit needs at least one row."
        raise AuditError(msg)
    if table.weight.sum() == 0:
        msg = (f"{caller}(): the total weight is 0, so no group can be assessed. Hint: check "
               f"`sample_weight`; every weight is 0.")
        raise AuditError(msg)
    metrics = [get_metric(m) for m in metric_names(options.metrics, table.family, caller, table)]
    groupings, empty = [], []
    for attrs in grouping_sets(names, options.intersections, caller):
        g, n_empty = make_grouping(table, attrs, options.min_group_size)
        groupings.append(g)
        empty.append((attrs, n_empty))
    warn_many_groups(groupings, options.min_group_size, caller)
    _check_reference_keys(options.reference, groupings, caller)
    whole = table if control is None else table.marginal(names)
    overall_cells = {name: whole.total(name) for name in whole.sums}  # every sum: moment and score metrics need them
    overall = np.array([m.evaluate(overall_cells, family=table.family) for m in metrics], dtype=np.float64)
    singles = {}
    if isinstance(options.reference, Mapping):
        singles = {k: v for k, v in options.reference.items()
                   if isinstance(k, str) and not (isinstance(v, str) and v in REFERENCE_RULES)}
    results, undefined, bad_ratios = [], [], []
    for g in groupings:
        vals = np.array([m.evaluate(g.sums, family=g.family) for m in metrics], dtype=np.float64)
        vals = vals.reshape(len(metrics), len(g.labels))
        rule, within = resolve_reference(options.reference, g, singles, caller)
        ref_idx = reference_indices(g, vals, metrics, rule, options.positive_is_favorable, within)
        ref_val = np.where(ref_idx < 0, overall, vals[np.arange(len(metrics)), np.maximum(ref_idx, 0)])
        diff, ratio = compare(vals, ref_val)
        ratio[[m.signed for m in metrics]] = np.nan
        results.append(GroupingResult(**{f: getattr(g, f) for f in _GROUPING_FIELDS}, values=vals,
                                      reference_index=ref_idx, reference_value=ref_val, difference=diff, ratio=ratio))
        name = g.name
        for i, m in enumerate(metrics):
            undefined.append((m, name, g, np.flatnonzero(np.isnan(vals[i]))))
            if m.kind != "count" and not m.signed and ref_val[i] == 0:
                zero_ref = np.flatnonzero(~np.isnan(vals[i]) & (np.arange(len(g.labels)) != ref_idx[i]))
                bad_ratios.append((m.name, name, g, zero_ref))
    _warn(table, control, results, undefined, bad_ratios)
    return tuple(results), tuple(m.name for m in metrics), overall, tuple(empty)


def missing_counts(table, control) -> dict:
    """Rows with a missing value, per protected attribute."""
    out = {}
    for a, miss in zip(table.attributes, table.missing_labels):
        if miss is None:
            out[a] = 0
            continue
        m = table.marginal([a])  # sparse only for an attribute of more than 10^6 values
        out[a] = int(m.rows[-1].sum() if m.combos is None else m.rows[m.combos[:, 0] == len(m.levels[0]) - 1].sum())
    return out


def _warn(table, control, results, undefined, bad_ratios):
    missing = missing_counts(table, control)
    if any(missing.values()):
        detail = "; ".join(f"{a}: {n} rows" for a, n in missing.items() if n)
        label = next(m for m in table.missing_labels if m is not None)
        msg = (f"Protected attributes have missing values ({detail}); they are audited as a "
               f"group of their own labelled {label!r}, not dropped.")
        warnings.warn(msg, MissingGroupWarning, stacklevel=5)
    for r in results:
        if not r.is_intersection and len(r.labels) < 2:
            only = repr(r.labels[0]) if r.labels else "none"
            msg = (f"Protected attribute {r.name!r} has a single group with rows ({only}); "
                   f"there is nothing to compare, so its disparities are trivial.")
            warnings.warn(msg, SingleGroupWarning, stacklevel=5)
    # (cases come as (metric, grouping name, grouping, group indices); only those shown are worded,
    # so a million undefined rates of tiny groups cost one count)
    _warn_listed(undefined, lambda m, name, g, j: f"{m.name} for {name}={g.labels[j]!r} ({m.undefined_when})",
                 "group metric value(s) are undefined and reported as NaN, not 0")
    _warn_listed(bad_ratios, lambda m, name, g, j: f"{m} for {name}={g.labels[j]!r}",
                 "ratio(s) to the reference are undefined (reference value 0) and reported as NaN")


def _warn_listed(cases, word, what):
    """One UndefinedMetricWarning for many cases, showing the first few."""
    total = sum(len(idx) for *_, idx in cases)
    if total:
        more = f"; and {total - _SHOWN} more" if total > _SHOWN else ""
        shown = [word(*head, int(j)) for *head, idx in cases for j in idx[:_SHOWN]][:_SHOWN]
        msg = f"{total} {what}: {'; '.join(shown)}{more}."
        warnings.warn(msg, UndefinedMetricWarning, stacklevel=6)
