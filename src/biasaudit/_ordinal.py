"""Ordered classes (Low < Medium < High) audited as binary decisions, one cut at a time."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._audit import audit
from ._result import AuditResult
from ._validation import _column, _to_1d
from .exceptions import AuditError, InvalidParameterError

__all__ = ["audit_ordinal"]


def audit_ordinal(data=None, *, y_true, y_pred, protected, class_order, sample_weight=None, pos_label=1,
                  **options) -> dict[str, AuditResult]:
    """Audit ordered classes at every cut: "at or above class k" as the positive decision.

    Parameters
    ----------
    data : DataFrame or None, default=None
        Frame in which column names are looked up.
    y_true : array-like, column name, or None
        Outcomes: classes of ``class_order`` (cut the same way) or a binary outcome read
        with ``pos_label``; None audits the decisions alone.
    y_pred : array-like or column name
        Predicted classes, each one of ``class_order``.
    protected : column name, list of names, array-like, dict of arrays, or DataFrame
        The protected attributes, as in :func:`audit`.
    class_order : sequence
        Every class, lowest first (``["Low", "Medium", "High"]``).
    sample_weight : array-like, column name, or None, default=None
        Non-negative weights.
    pos_label : scalar, default=1
        The positive value of a binary ``y_true``.
    **options
        Any option of :func:`audit` (``positive_is_favorable`` says whether being at or
        above the cut is favourable).

    Returns
    -------
    dict of str to AuditResult
        One binary audit per cut, keyed ``">= Medium"``, ``">= High"``, ... in order.

    Examples
    --------
    >>> import biasaudit as ba
    >>> levels = ["Low", "High", "Medium", "Low", "High", "Medium", "High", "Low"] * 10
    >>> cuts = ba.audit_ordinal(y_true=None, y_pred=levels, protected={"g": ["a", "b"] * 40},
    ...                         class_order=["Low", "Medium", "High"])
    >>> list(cuts), cuts[">= Medium"].group_metrics["selection_rate"].tolist()
    (['>= Medium', '>= High'], [0.75, 0.5])
    """
    caller = "audit_ordinal"
    order = list(class_order) if not isinstance(class_order, (str, bytes)) else None
    if not order or len(order) < 2 or len(set(order)) != len(order):
        raise InvalidParameterError(f"{caller}(): `class_order` must list two or more distinct classes, lowest "
                                    f"first; got {class_order!r}.")
    pred = _to_1d(_column(data, y_pred, "y_pred", caller=caller)[1], "y_pred", caller=caller)
    rank = {c: i for i, c in enumerate(order)}
    unknown = [v for v in pd.unique(pred).tolist() if v not in rank]
    if unknown:
        raise AuditError(f"{caller}(): every value of `y_pred` must be one of `class_order` {order}; got "
                         f"{unknown[:5]}.")
    pred_rank = np.array([rank[v] for v in pred.tolist()])
    true_rank = None
    true = None
    if y_true is not None:
        true = _to_1d(_column(data, y_true, "y_true", caller=caller)[1], "y_true", caller=caller)
        if set(pd.unique(true).tolist()) <= set(order) and not set(pd.unique(true).tolist()) <= {0, 1}:
            true_rank = np.array([rank[v] for v in true.tolist()])
    protected_cols = protected
    if data is not None:
        from ._validation import _protected_columns

        protected_cols = _protected_columns(data, protected, caller=caller)
        if sample_weight is not None and isinstance(sample_weight, str):
            sample_weight = data[sample_weight]
    true01 = None
    if true is not None and true_rank is None:
        if len(pd.unique(true)) > 2:
            raise AuditError(f"{caller}(): `y_true` must hold classes of `class_order` or a binary outcome; "
                             f"got {len(pd.unique(true))} distinct values.")
        true01 = (true == pos_label).astype(np.int8)
    out = {}
    for k in range(1, len(order)):
        yt = (true_rank >= k).astype(np.int8) if true_rank is not None else true01
        out[f">= {order[k]}"] = audit(y_true=yt, y_pred=(pred_rank >= k).astype(np.int8), protected=protected_cols,
                                      sample_weight=sample_weight, pos_label=1, task="binary", **options)
    return out
