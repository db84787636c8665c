"""A naive per-group, per-row oracle: plain Python over the rows, no shared code."""

import math


def confusion(y_true, y_pred, weights):
    tp = fp = tn = fn = 0.0
    for t, p, w in zip(y_true, y_pred, weights):
        if t == 1 and p == 1:
            tp += w
        elif t == 0 and p == 1:
            fp += w
        elif t == 0 and p == 0:
            tn += w
        else:
            fn += w
    return tp, fp, tn, fn


def _div(a, b):
    return a / b if b > 0 else math.nan


def metrics(y_true, y_pred, weights):
    tp, fp, tn, fn = confusion(y_true, y_pred, weights)
    n = tp + fp + tn + fn
    tpr, tnr = _div(tp, tp + fn), _div(tn, tn + fp)
    return {
        "true_positives": tp, "false_positives": fp, "true_negatives": tn, "false_negatives": fn,
        "selection_rate": _div(tp + fp, n),
        "base_rate": _div(tp + fn, n),
        "true_positive_rate": tpr,
        "false_positive_rate": _div(fp, fp + tn),
        "false_negative_rate": _div(fn, tp + fn),
        "true_negative_rate": tnr,
        "positive_predictive_value": _div(tp, tp + fp),
        "negative_predictive_value": _div(tn, tn + fn),
        "false_discovery_rate": _div(fp, tp + fp),
        "false_omission_rate": _div(fn, tn + fn),
        "accuracy": _div(tp + tn, n),
        "error_rate": _div(fp + fn, n),
        "balanced_accuracy": (tpr + tnr) / 2,
        "f1_score": _div(2 * tp, 2 * tp + fp + fn),
    }


def per_group(keys, y_true, y_pred, weights):
    """{group key: metrics} by looping over each group's rows."""
    out = {}
    for key in dict.fromkeys(keys):
        rows = [i for i, k in enumerate(keys) if k == key]
        out[key] = metrics([y_true[i] for i in rows], [y_pred[i] for i in rows], [weights[i] for i in rows])
        out[key]["n"] = len(rows)
    return out
