"""Thresholds of a score audit: values, or rules resolved on the score table.

A threshold turns scores into decisions, ``y_pred = score >= t``. It is given as a
number, or as a rule that Aequitas users know:

- ``"top_k=100"`` (or ``{"top_k": 100}``): the score of the k-th highest row;
- ``"top_share=0.1"``: the lowest score whose rows and all higher ones make up that
  share of the total weight;
- ``"fpr=0.05"``: the lowest score at which the overall false positive rate is at most
  that value.

Rules are resolved on the overall table (all groups together), so every group is judged
at the same score. Rows tied at the threshold are all selected, so ``top_k`` may select
more than k rows.
"""

from __future__ import annotations

import numbers
from typing import Mapping

import numpy as np

from .exceptions import InvalidParameterError

__all__ = ["check_thresholds", "resolve_threshold"]

RULES = ("top_k", "top_share", "fpr")


def _fail(caller, name, value):
    msg = (f"{caller}(): `{name}` must be a number, a rule 'top_k=<integer >= 1>', 'top_share=<share in (0, 1]>' "
           f"or 'fpr=<rate in (0, 1]>', or a list of these; got {value!r}.")
    raise InvalidParameterError(msg)


def _one(item, name, caller):
    if isinstance(item, (numbers.Real, np.floating, np.integer)) and not isinstance(item, (bool, np.bool_)):
        if not np.isfinite(item):
            _fail(caller, name, item)
        return ("score", float(item))
    if isinstance(item, str):
        text = item.strip()
        if "=" not in text:
            try:
                return _one(float(text), name, caller)
            except ValueError:
                _fail(caller, name, item)
        rule, _, raw = text.partition("=")
        try:
            value = float(raw)
        except ValueError:
            _fail(caller, name, item)
        return _rule(rule.strip(), value, name, caller, item)
    if isinstance(item, tuple) and len(item) == 2 and item[0] in ("score", *RULES):  # already normalised
        return _one(item[1], name, caller) if item[0] == "score" else _rule(item[0], float(item[1]), name, caller,
                                                                                item)
    if isinstance(item, Mapping) and len(item) == 1:
        (rule, value), = item.items()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            _fail(caller, name, item)
        return _rule(str(rule), float(value), name, caller, item)
    _fail(caller, name, item)


def _rule(rule, value, name, caller, item):
    if rule == "top_k" and value >= 1 and value == int(value):
        return ("top_k", int(value))
    if rule in ("top_share", "fpr") and 0.0 < value <= 1.0:
        return (rule, value)
    _fail(caller, name, item)


def check_thresholds(value, name="threshold", caller="audit"):
    """Normalise ``threshold=``: None, or a tuple of (rule, value) with rule "score" for a number.

    Examples
    --------
    >>> check_thresholds([0.5, "top_k=10", {"fpr": 0.05}])
    (('score', 0.5), ('top_k', 10), ('fpr', 0.05))
    """
    if value is None:
        return None
    if isinstance(value, str) and "," in value:
        value = [v for v in value.split(",") if v.strip()]
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if not items:
        _fail(caller, name, value)
    out = []
    for item in items:
        spec = _one(item, name, caller)
        if spec not in out:
            out.append(spec)
    return tuple(out)


def resolve_threshold(spec, levels: np.ndarray, rows: np.ndarray, weight: np.ndarray) -> float:
    """The score of a threshold spec on an overall (2, B) table of rows and weights.

    ``levels`` are the bins' scores (exact mode) or lower edges (binned mode), increasing.
    """
    rule, value = spec
    if rule == "score":
        return float(value)
    if rule == "top_k":
        from_top = np.cumsum(rows.sum(axis=0)[::-1])[::-1]
        reached = np.flatnonzero(from_top >= value)
    elif rule == "top_share":
        w = weight.sum(axis=0)
        from_top = np.cumsum(w[::-1])[::-1] / w.sum()
        reached = np.flatnonzero(from_top >= value - 1e-12)
    else:
        neg = weight[0]
        fpr = np.cumsum(neg[::-1])[::-1] / neg.sum() if neg.sum() > 0 else np.full(neg.shape, np.nan)
        ok = np.flatnonzero(fpr <= value + 1e-12)
        return float(levels[ok[0]]) if ok.size else float("inf")
    return float(levels[reached[-1]]) if reached.size else float(levels[0])


def label(spec) -> str:
    """Display form of a threshold spec: ``"0.5"`` or ``"top_k=100"``."""
    rule, value = spec
    return f"{value:g}" if rule == "score" else f"{rule}={value:g}"
