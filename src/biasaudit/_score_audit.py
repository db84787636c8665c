"""Score audits: from rows to a score table, and the score views of a result.

``audit(..., y_score=...)`` counts a :class:`~biasaudit._tables._score.ScoreTable`; the
analysis, the evidence and the views then work on that table like on any other. This
module holds what is specific to scores: the input check, the default metrics, decisions
at thresholds (a sum over bins of the score table) and the tidy ROC and reliability curves.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from ._encoding import encode_attribute
from ._metrics import get_metric, list_metrics
from ._metrics._protocol import FAMILY_METRICS
from ._metrics._score import ECE_BINS, PROBABILITY_METRICS
from ._tables import GroupCounts, binary_axes
from ._tables._score import ScoreTable, count_scores, is_probability
from ._tables._score import check_scores, require_scores as _require_scores
from ._thresholds import label as threshold_label
from ._thresholds import resolve_threshold
from ._validation import _as_binary, _as_weights, _check_lengths, _column, _protected_columns
from .exceptions import AuditError, InvalidParameterError

__all__: list[str] = []

# The decision audit of each threshold, per score audit: the report's tables, its findings and
# its summary all read it, and its evidence and disclosure control are computed once.
_AT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def count_score_rows(data, *, y_true, y_score, protected, sample_weight, pos_label, thresholds, score_bins,
                     fingerprint, caller) -> ScoreTable:
    """Check the inputs of a score audit and count its table in one pass."""
    if data is not None and not isinstance(data, pd.DataFrame):
        msg = f"{caller}(): `data` must be a pandas DataFrame or None; got {type(data).__name__}."
        raise InvalidParameterError(msg)
    if y_true is None:
        msg = (f"{caller}(): `y_true` is required with `y_score`: AUC and calibration compare scores "
               f"with observed outcomes.")
        raise InvalidParameterError(msg)
    columns = {"y_true": _column(data, y_true, "y_true", caller=caller)[1],
               "y_score": _column(data, y_score, "y_score", caller=caller)[1]}
    if sample_weight is not None:
        columns["sample_weight"] = _column(data, sample_weight, "sample_weight", caller=caller)[1]
    prot = _protected_columns(data, protected, caller=caller)
    lengths = {k: len(v) for k, v in columns.items()}
    lengths.update({f"protected[{k!r}]": len(v) for k, v in prot.items()})
    _check_lengths(lengths, caller=caller)
    yt = _as_binary(columns["y_true"], "y_true", caller=caller, pos_label=pos_label)
    score, score_range = check_scores(columns["y_score"], caller=caller)
    w = None if sample_weight is None else _as_weights(columns["sample_weight"], caller=caller)
    encoded = [encode_attribute(col, name) for name, col in prot.items()]
    fixed = [v for rule, v in (thresholds or ()) if rule == "score"]
    return count_scores(encoded, yt, score, weight=w, score_bins=score_bins, thresholds=fixed,
                        fingerprint=fingerprint, caller=caller, score_range=score_range)


def score_metric_names(table, metrics, caller) -> list:
    """The metrics of a score audit: all of the family, calibration only for probabilities."""
    probability = is_probability(table)
    if metrics is None:
        return [m for m in list_metrics(family="score") if probability or m not in PROBABILITY_METRICS]
    chosen = []
    for name in metrics:
        entry = get_metric(name, caller=caller)
        if entry.family != "score":
            msg = (f"{caller}(): metric {entry.name!r} is a decision metric; a score audit computes "
                   f"{list_metrics(family='score')}. Hint: decision metrics come from "
                   f"`threshold=` (AuditResult.at_threshold).")
            raise InvalidParameterError(msg)
        if entry.name in PROBABILITY_METRICS and not probability:
            msg = (f"{caller}(): metric {entry.name!r} needs probabilities (scores in [0, 1]); got scores "
                   f"outside [0, 1].")
            raise InvalidParameterError(msg)
        if entry.name not in chosen:
            chosen.append(entry.name)
    return chosen


FAMILY_METRICS["score"] = lambda metrics, table, caller: tuple(score_metric_names(table, metrics, caller))


# --------------------------------------------------------------------------- thresholds


def thresholds(result) -> list:
    """(spec, score) of every threshold of a score audit, rules resolved on the overall table."""
    table = result.counts
    specs = result.options.threshold or ()
    rows, weight = table.total("rows"), table.total("weight")
    return [(spec, resolve_threshold(spec, table.score_levels, rows, weight)) for spec in specs]


def decision_audits(result) -> list:
    """``(spec, threshold, audit)`` of every set of decisions a score audit covers: the binary
    audit at each of its thresholds, then that of the decisions given as ``y_pred`` beside
    the scores (spec and threshold None). Empty for any other audit."""
    if not isinstance(result.counts, ScoreTable):
        return []
    out = [(spec, value, at_threshold(result, value)) for spec, value in thresholds(result)]
    if result.decisions is not None:
        out.append((None, None, result.decisions))
    return out


def decision_table(table: ScoreTable, threshold: float, *, caller="at_threshold") -> GroupCounts:
    """The binary table of decisions ``score >= threshold``: a sum over the score bins."""
    levels = table.score_levels
    if table.mode == "binned" and np.isfinite(threshold) and levels[0] < threshold <= levels[-1] \
            and threshold not in set(levels.tolist()):
        msg = (f"{caller}(): threshold {threshold!r} is inside a score bin of this binned table, so its "
               f"decisions are not known from the table. Hint: pass it to audit(threshold=...) so it "
               f"becomes a bin edge, or use score_bins='exact'.")
        raise AuditError(msg)
    above = levels >= threshold
    sums = {}
    for name in ("rows", "weight", "weight_sq"):
        arr = table.sums[name]
        sums[name] = np.stack([arr[..., ~above].sum(axis=-1), arr[..., above].sum(axis=-1)], axis=-1)
    return GroupCounts(attributes=table.attributes, levels=table.levels, cell_axes=binary_axes(True), sums=sums,
                       family="binary", missing_labels=table.missing_labels, fingerprint=table.fingerprint,
                       caller=caller)


def at_threshold(result, threshold):
    """The decision audit of ``score >= threshold`` (a number or a rule), from the score table."""
    from ._thresholds import check_thresholds

    caller = "at_threshold"
    _require_scores(result, caller)
    (spec,) = check_thresholds([threshold], "threshold", caller)
    done = _AT.setdefault(result, {})
    if spec not in done:
        done[spec] = _decision_audit(result, spec, caller)
    return done[spec]


def _decision_audit(result, spec, caller):
    value = resolve_threshold(spec, result.counts.score_levels, result.counts.total("rows"),
                              result.counts.total("weight"))
    counts = decision_table(result.counts, value, caller=caller)
    options = result.options.replace(caller, metrics=None, threshold=None)
    provenance = {**result.provenance, "threshold": value, "threshold_rule": threshold_label(spec)}
    return type(result)(counts=counts, options=options, control=result.control, seed=result.seed,
                        provenance=provenance, caller=caller)


def threshold_metrics(result) -> pd.DataFrame:
    """Group metrics at every threshold of the audit, one frame with ``threshold`` and ``rule`` columns."""
    _require_scores(result, "threshold_metrics")
    frames = []
    for spec, value in thresholds(result):
        sub = at_threshold(result, value)
        frame = sub.group_metrics.copy()
        frame.insert(0, "rule", threshold_label(spec))
        frame.insert(0, "threshold", value)
        frames.append(frame)
    if not frames:
        msg = "threshold_metrics(): the audit has no thresholds. Hint: audit(..., threshold=[0.5, 'top_share=0.1'])."
        raise AuditError(msg)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- curves


def roc_curves(result) -> pd.DataFrame:
    """Per group: the ROC curve, one point per score bin from the top, starting at (0, 0)."""
    _require_scores(result, "roc_curves")
    levels = result.counts.score_levels
    frames = []
    for g in result.groupings:
        w = g.sums["weight"]
        for j, lab in enumerate(g.labels):
            neg, pos = w[j, 0, ::-1], w[j, 1, ::-1]
            keep = (neg + pos) > 0
            fp, tp = np.cumsum(neg[keep]), np.cumsum(pos[keep])
            n_tot, p_tot = neg.sum(), pos.sum()
            frames.append(pd.DataFrame({
                "attribute": g.name, "group": pd.Series([lab] * (keep.sum() + 1), dtype=object),
                "threshold": np.concatenate([[np.inf], levels[::-1][keep]]),
                "fpr": np.concatenate([[0.0], fp / n_tot]) if n_tot > 0 else np.nan,
                "tpr": np.concatenate([[0.0], tp / p_tot]) if p_tot > 0 else np.nan,
            }))
    return pd.concat(frames, ignore_index=True)


def calibration_curves(result) -> pd.DataFrame:
    """Per group and non-empty bin of the ECE (10 equal-width bins of [0, 1]): the reliability curve."""
    caller = "calibration_curves"
    _require_scores(result, caller)
    if not is_probability(result.counts):
        raise AuditError(f"{caller}(): reliability curves need probabilities (scores in [0, 1]).")
    inner = np.linspace(0.0, 1.0, ECE_BINS + 1)[1:-1]
    table = result.counts
    if table.mode == "exact":
        bins = np.searchsorted(inner, table.score_levels, side="left")
    else:
        bins = np.searchsorted(inner, table.score_levels, side="right")  # [a, b) bins: an edge goes up
    onehot = (bins[:, None] == np.arange(ECE_BINS)).astype(np.float64)
    frames = []
    for g in result.groupings:
        w = g.sums["weight"].sum(axis=1) @ onehot
        obs = g.sums["weight"][:, 1, :] @ onehot
        exp = g.sums["w_score"].sum(axis=1) @ onehot
        rows = g.sums["rows"].sum(axis=1) @ onehot
        for j, lab in enumerate(g.labels):
            keep = w[j] > 0
            frames.append(pd.DataFrame({
                "attribute": g.name, "group": pd.Series([lab] * int(keep.sum()), dtype=object),
                "bin": np.flatnonzero(keep), "bin_low": np.arange(ECE_BINS)[keep] / ECE_BINS,
                "bin_high": (np.arange(ECE_BINS)[keep] + 1) / ECE_BINS,
                "n": rows[j, keep].astype(np.int64), "weight": w[j, keep],
                "mean_score": exp[j, keep] / w[j, keep], "observed_rate": obs[j, keep] / w[j, keep],
            }))
    return pd.concat(frames, ignore_index=True)
