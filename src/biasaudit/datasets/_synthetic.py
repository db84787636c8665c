"""Synthetic decisions with disparities injected by group and by intersection, and their truth.

Every person belongs to one cell of the cross of the protected attributes, drawn
independently with the given shares. In each cell the outcome is positive with the cell's
base rate, and the decision is positive with the cell's true positive rate (qualified
people) or false positive rate (unqualified people). Cell rates are a baseline plus additive
offsets, so the population rate of any group is an exact weighted mean over its cells.
"""

from __future__ import annotations

import itertools
import math
import numbers
from dataclasses import dataclass
from typing import Any, Mapping, NoReturn

import numpy as np
import pandas as pd

from ..exceptions import InvalidParameterError

__all__ = ["SyntheticAudit", "make_biased_classification"]

_CALLER = "make_biased_classification"

#: Protected attributes and group shares used when ``groups`` is None.
DEFAULT_GROUPS = {
    "sex": {"female": 0.5, "male": 0.5},
    "race": {"A": 0.45, "B": 0.25, "C": 0.15, "D": 0.10, "E": 0.05},
}

#: Offsets used with the default groups when an offset argument is None.
DEFAULT_EFFECTS = {
    "base_rate_disparity": {},
    "selection_disparity": {},
    "tpr_disparity": {"sex": {"female": -0.15}, "race": {"D": -0.15},
                      ("sex", "race"): {("female", "D"): -0.05}},
    "fpr_disparity": {"race": {"D": -0.04}},
}

_TRUTH_COLUMNS = ["attribute", "group", "share", "base_rate", "selection_rate",
                  "true_positive_rate", "false_positive_rate"]


@dataclass(frozen=True, eq=False, repr=False)
class SyntheticAudit:
    """Synthetic decisions and the population rates that generated them.

    Returned by :func:`make_biased_classification`; see there for the model.

    Attributes
    ----------
    data : DataFrame
        One row per person: one categorical column per protected attribute, then
        ``y_true`` (observed outcome, 0/1) and ``y_pred`` (decision, 0/1).
    truth : DataFrame
        The exact population rates of every group, computed from the generating
        probabilities, not from the sample. Columns ``attribute``, ``group``, ``share``,
        ``base_rate``, ``selection_rate``, ``true_positive_rate``,
        ``false_positive_rate``; rows for each attribute, then for each intersection named
        in the offsets and for the cross of all attributes (named ``"sex & race"``, groups
        labelled by tuples), in the layout of ``AuditResult.group_metrics``.
    parameters : dict
        The generating parameters after validation: ``n_samples``, ``groups`` (shares),
        ``base_rate``, ``tpr``, ``fpr`` and the four offset tables, each a dict mapping an
        attribute name (or a tuple of names) to ``{group label: offset}``.

    Examples
    --------
    >>> from biasaudit.datasets import make_biased_classification
    >>> synth = make_biased_classification(1000, rng=0)
    >>> synth
    SyntheticAudit(n_samples=1000, attributes=('sex', 'race'), truth=17 rows)
    >>> synth.attributes
    ('sex', 'race')
    """

    data: pd.DataFrame
    truth: pd.DataFrame
    parameters: dict[str, Any]

    @property
    def attributes(self) -> tuple[str, ...]:
        """Names of the protected attributes, in column order."""
        return tuple(self.parameters["groups"])

    def __repr__(self) -> str:
        return (f"SyntheticAudit(n_samples={self.parameters['n_samples']}, "
                f"attributes={self.attributes!r}, truth={len(self.truth)} rows)")


def make_biased_classification(
    n_samples: int = 10_000,
    *,
    groups: Mapping[str, Any] | None = None,
    base_rate: float = 0.4,
    tpr: float = 0.8,
    fpr: float = 0.12,
    base_rate_disparity: Mapping[Any, Mapping[Any, float]] | None = None,
    selection_disparity: Mapping[Any, Mapping[Any, float]] | None = None,
    tpr_disparity: Mapping[Any, Mapping[Any, float]] | None = None,
    fpr_disparity: Mapping[Any, Mapping[Any, float]] | None = None,
    rng: int | np.random.Generator | None = None,
) -> SyntheticAudit:
    """Generate binary decisions with known, injected disparities between groups.

    Parameters
    ----------
    n_samples : int, default=10_000
        Number of people (rows), at least 1.
    groups : dict or None, default=None
        Protected attributes: ``{attribute: {group label: share}}``, shares positive and
        summing to 1, or ``{attribute: [labels]}`` for equal shares. Attributes are drawn
        independently of each other. None uses ``sex`` (female 0.5, male 0.5) and ``race``
        (A 0.45, B 0.25, C 0.15, D 0.10, E 0.05).
    base_rate : float, default=0.4
        Baseline probability of a positive outcome (``y_true == 1``), in (0, 1).
    tpr : float, default=0.8
        Baseline true positive rate, P(y_pred = 1 | y_true = 1), in [0, 1].
    fpr : float, default=0.12
        Baseline false positive rate, P(y_pred = 1 | y_true = 0), in [0, 1].
    base_rate_disparity, selection_disparity, tpr_disparity, fpr_disparity : dict or None
        Additive offsets to the baseline, by group: ``{attribute: {label: offset}}`` for
        one attribute and ``{(attribute, attribute, ...): {(label, label, ...): offset}}``
        for an extra intersection effect on top of the single-attribute ones.
        ``selection_disparity`` is added to both the true and the false positive rate
        (a shifted decision threshold: it moves the selection rate by the same amount
        while the base rate stays put). ``{}`` means no offset. None means the default
        offsets (below) when ``groups`` is None, and no offset otherwise.
    rng : None, int, SeedSequence or Generator, default=None
        Source of randomness, normalised by :func:`numpy.random.default_rng`.

    Returns
    -------
    SyntheticAudit
        ``data`` (protected attributes as categoricals, ``y_true``, ``y_pred``),
        ``truth`` (the exact population rates of every group and intersection) and
        ``parameters``.

    Raises
    ------
    InvalidParameterError
        If an argument has the wrong type or range, an offset names an unknown attribute
        or group, or the offsets push a cell's rate outside [0, 1] (or its base rate
        outside (0, 1)).

    Notes
    -----
    For a cell *c* of the cross of all attributes, with share :math:`\\pi_c` (the product
    of its groups' shares), the generating rates are

    .. math::

        b_c = b + \\sum \\beta, \\quad t_c = t + \\sum \\tau + \\sum \\sigma, \\quad
        f_c = f + \\sum \\phi + \\sum \\sigma,

    summing the base-rate (:math:`\\beta`), TPR (:math:`\\tau`), FPR (:math:`\\phi`) and
    selection (:math:`\\sigma`) offsets of every group and intersection the cell belongs
    to. A group *G* (a union of cells) then has population rates
    :math:`\\mathrm{TPR}_G = \\sum_G \\pi_c b_c t_c / \\sum_G \\pi_c b_c`,
    :math:`\\mathrm{FPR}_G = \\sum_G \\pi_c (1 - b_c) f_c / \\sum_G \\pi_c (1 - b_c)`,
    and selection rate :math:`\\sum_G \\pi_c (b_c t_c + (1 - b_c) f_c) / \\sum_G \\pi_c`,
    which is what ``truth`` reports. A group's TPR gap therefore equals its offset
    exactly only when the other attributes' offsets are spread alike over the groups
    compared.

    The defaults describe a lender whose model misses qualified women and members of
    race D: with equal base rates (0.4) for everyone, the TPR of women is 0.15 lower than
    that of men, race D's TPR is 0.15 lower and its FPR 0.04 lower than the other races',
    and women of race D lose another 0.05 of TPR. Race D's selection rate is then below
    four fifths of race A's (impact ratio 0.74), while women's is not (0.84).

    Examples
    --------
    >>> from biasaudit.datasets import make_biased_classification
    >>> synth = make_biased_classification(2000, rng=0)
    >>> synth.data.head(3)
          sex race  y_true  y_pred
    0    male    E       0       0
    1  female    A       0       0
    2  female    D       0       1
    >>> rates = ["group", "selection_rate", "true_positive_rate", "false_positive_rate"]
    >>> synth.truth.query("attribute == 'sex'")[rates].round(3)
        group  selection_rate  true_positive_rate  false_positive_rate
    0  female           0.322               0.630                0.116
    1    male           0.384               0.785                0.116

    Choosing attributes, shares and effects (an FPR raised for older men only):

    >>> synth = make_biased_classification(
    ...     5000,
    ...     groups={"sex": ["female", "male"], "age": {"<40": 0.6, "40+": 0.4}},
    ...     tpr_disparity={"sex": {"female": -0.1}},
    ...     fpr_disparity={("sex", "age"): {("male", "40+"): 0.1}},
    ...     rng=1,
    ... )
    >>> synth.truth[["attribute", "group", "true_positive_rate", "false_positive_rate"]].round(3)
       attribute          group  true_positive_rate  false_positive_rate
    0        sex         female                0.70                 0.12
    1        sex           male                0.80                 0.16
    2        age            <40                0.75                 0.12
    3        age            40+                0.75                 0.17
    4  sex & age  (female, <40)                0.70                 0.12
    5  sex & age  (female, 40+)                0.70                 0.12
    6  sex & age    (male, <40)                0.80                 0.12
    7  sex & age    (male, 40+)                0.80                 0.22
    """
    n_samples = _check_n_samples(n_samples)
    gen = _check_rng(rng)
    default_groups = groups is None
    groups = _check_groups(DEFAULT_GROUPS if default_groups else groups)
    base_rate = _check_rate(base_rate, "base_rate", open_interval=True)
    tpr = _check_rate(tpr, "tpr")
    fpr = _check_rate(fpr, "fpr")
    given: dict[str, Any] = {"base_rate_disparity": base_rate_disparity, "selection_disparity": selection_disparity,
             "tpr_disparity": tpr_disparity, "fpr_disparity": fpr_disparity}
    effects = {}
    for name, spec in given.items():
        if spec is None:
            spec = DEFAULT_EFFECTS[name] if default_groups else {}
        effects[name] = _check_effects(spec, name, groups)

    names = list(groups)
    shape = tuple(len(groups[a]) for a in names)
    sel = _cell_offsets(effects["selection_disparity"], groups, shape)
    b = base_rate + _cell_offsets(effects["base_rate_disparity"], groups, shape)
    t = tpr + _cell_offsets(effects["tpr_disparity"], groups, shape) + sel
    f = fpr + _cell_offsets(effects["fpr_disparity"], groups, shape) + sel
    _check_cells(b, "base rate", groups, open_interval=True)
    _check_cells(t, "true positive rate", groups)
    _check_cells(f, "false positive rate", groups)

    shares = [np.array(list(groups[a].values())) for a in names]
    codes = [gen.choice(len(s), size=n_samples, p=s / s.sum()) for s in shares]
    cell = np.ravel_multi_index(codes, shape) if codes else np.zeros(n_samples, np.intp)
    y_true = gen.random(n_samples) < b.ravel()[cell]
    p_pos = np.where(y_true, t.ravel()[cell], f.ravel()[cell])
    y_pred = gen.random(n_samples) < p_pos
    data = pd.DataFrame({a: pd.Categorical.from_codes(c, pd.Index(list(groups[a]))) for a, c in zip(names, codes)})
    data["y_true"] = y_true.astype(np.int8)
    data["y_pred"] = y_pred.astype(np.int8)

    pi = np.ones(shape)
    for axis, s in enumerate(shares):
        pi = pi * s.reshape([-1 if i == axis else 1 for i in range(len(shape))])
    truth = _truth(pi, b, t, f, groups, _groupings(names, effects))
    parameters = {"n_samples": n_samples, "groups": groups, "base_rate": base_rate, "tpr": tpr,
                  "fpr": fpr, **effects}
    return SyntheticAudit(data=data, truth=truth, parameters=parameters)


def _fail(msg: str) -> NoReturn:
    raise InvalidParameterError(f"{_CALLER}(): {msg}")


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)) and math.isfinite(value)


def _check_n_samples(n):
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
        _fail(f"`n_samples` must be an integer >= 1; got {n!r}.")
    return int(n)


def _check_rng(rng):
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as exc:
        msg = (f"{_CALLER}(): `rng` must be None, an int, a SeedSequence or a Generator; "
               f"got {rng!r}.")
        raise InvalidParameterError(msg) from exc


def _check_rate(value, name, *, open_interval=False):
    inside = _is_real(value) and (0 < value < 1 if open_interval else 0 <= value <= 1)
    if not inside:
        where = "(0, 1)" if open_interval else "[0, 1]"
        _fail(f"`{name}` must be a number in {where}; got {value!r}.")
    return float(value)


def _check_groups(groups) -> dict:
    if not isinstance(groups, Mapping) or not groups:
        _fail(f"`groups` must be a non-empty dict {{attribute: {{group: share}}}}; got {groups!r}. "
              "Hint: groups={'sex': {'female': 0.5, 'male': 0.5}}.")
    out = {}
    for attr, spec in groups.items():
        if not isinstance(attr, str) or not attr or " & " in attr or attr in ("y_true", "y_pred"):
            _fail(f"`groups` keys must be attribute names (non-empty strings without ' & ', "
                  f"not 'y_true' or 'y_pred'); got {attr!r}.")
        if isinstance(spec, Mapping):
            labels, shares = list(spec), list(spec.values())
        elif isinstance(spec, (list, tuple)) and not isinstance(spec, str):
            labels, shares = list(spec), [1 / max(len(spec), 1)] * len(spec)
        else:
            _fail(f"`groups[{attr!r}]` must be a dict {{group: share}} or a list of groups; "
                  f"got {spec!r}.")
        if len(labels) < 2 or len(set(labels)) != len(labels):
            _fail(f"`groups[{attr!r}]` must name two or more distinct groups; got {labels!r}.")
        if not all(_is_real(s) and s > 0 for s in shares) or abs(sum(shares) - 1) > 1e-6:
            _fail(f"the shares of `groups[{attr!r}]` must be positive and sum to 1; got "
                  f"{dict(zip(labels, shares))!r}. Hint: pass a list of groups for equal shares.")
        out[attr] = {label: float(s) for label, s in zip(labels, shares)}
    return out


def _check_effects(spec, name, groups) -> dict:
    """Normalise an offset table to ``{attrs tuple or name: {labels: offset}}``."""
    if not isinstance(spec, Mapping):
        _fail(f"`{name}` must be a dict {{attribute: {{group: offset}}}} or None; got {spec!r}.")
    out = {}
    for key, offsets in spec.items():
        attrs = (key,) if isinstance(key, str) else tuple(key) if isinstance(key, tuple) else None
        if attrs is not None and len(attrs) == 1 and attrs[0] not in groups and " & " in attrs[0]:
            attrs = tuple(attrs[0].split(" & "))  # "sex & race", as audit() names intersections
        if (attrs is None or not attrs or len(set(attrs)) != len(attrs)
                or any(a not in groups for a in attrs)):
            _fail(f"`{name}` keys must be an attribute of `groups` or a tuple of distinct ones "
                  f"among {list(groups)}; got {key!r}.")
        if not isinstance(offsets, Mapping):
            _fail(f"`{name}[{key!r}]` must be a dict {{group: offset}}; got {offsets!r}.")
        table = {}
        for labels, value in offsets.items():
            lab = (labels,) if len(attrs) == 1 else labels
            if not isinstance(lab, tuple) or len(lab) != len(attrs):
                _fail(f"`{name}[{key!r}]` keys must be tuples of {len(attrs)} group labels, one "
                      f"for each of {list(attrs)}; got {labels!r}.")
            for a, g in zip(attrs, lab):
                if g not in groups[a]:
                    _fail(f"`{name}[{key!r}]`: {g!r} is not a group of {a!r}; groups are "
                          f"{list(groups[a])}.")
            if not _is_real(value):
                _fail(f"`{name}[{key!r}][{labels!r}]` must be a finite number; got {value!r}.")
            table[labels] = float(value)
        out[attrs[0] if len(attrs) == 1 else attrs] = table
    return out


def _cell_offsets(effects, groups, shape) -> np.ndarray:
    names = list(groups)
    total = np.zeros(shape)
    for key, table in effects.items():
        attrs = (key,) if isinstance(key, str) else key
        for labels, value in table.items():
            lab = (labels,) if len(attrs) == 1 else labels
            index: list[Any] = [slice(None)] * len(names)
            for a, g in zip(attrs, lab):
                index[names.index(a)] = list(groups[a]).index(g)
            total[tuple(index)] += value
    return total


def _check_cells(rate, what, groups, *, open_interval=False):
    bad = (rate <= 0) | (rate >= 1) if open_interval else (rate < 0) | (rate > 1)
    if bad.any():
        idx = np.unravel_index(np.flatnonzero(bad)[0], rate.shape)
        cell = ", ".join(f"{a}={list(groups[a])[i]!r}" for a, i in zip(groups, idx))
        where = "(0, 1)" if open_interval else "[0, 1]"
        _fail(f"the baseline plus offsets give a {what} of {rate[idx]:.4g} for {cell} "
              f"({int(bad.sum())} cell(s) outside {where}). Hint: use smaller offsets or "
              f"move the baseline away from the boundary.")


def _groupings(names, effects) -> list[tuple]:
    sets = [(a,) for a in names]
    if len(names) > 1:
        sets.append(tuple(names))
    for table in effects.values():
        for key in table:
            if isinstance(key, tuple) and key not in sets:
                sets.append(key)
    return sets


def _truth(pi, b, t, f, groups, sets) -> pd.DataFrame:
    names = list(groups)
    weights = {"w": pi, "wb": pi * b, "wbt": pi * b * t, "wn": pi * (1 - b), "wnf": pi * (1 - b) * f}
    frames = []
    for attrs in sets:
        axes = [names.index(a) for a in attrs]
        other = tuple(i for i in range(len(names)) if i not in axes)
        order = np.argsort(np.argsort(axes))  # position of each kept axis after summing
        m = {k: np.transpose(v.sum(axis=other), order).ravel() for k, v in weights.items()}
        labels = list(itertools.product(*(list(groups[a]) for a in attrs)))
        frames.append(pd.DataFrame({
            "attribute": " & ".join(attrs),
            "group": pd.Series([lab[0] if len(attrs) == 1 else lab for lab in labels], dtype=object),
            "share": m["w"],
            "base_rate": m["wb"] / m["w"],
            "selection_rate": (m["wbt"] + m["wnf"]) / m["w"],
            "true_positive_rate": m["wbt"] / m["wb"],
            "false_positive_rate": m["wnf"] / m["wn"],
        }))
    return pd.concat(frames, ignore_index=True)[_TRUTH_COLUMNS]
