"""Views of regression and multiclass audits that the binary ones do not have.

- :func:`distribution_parity`: per group of a regression audit, the Kolmogorov-Smirnov
  distance between its predictions and its reference's, from the table's histogram, with
  the bound of the exact distance, and the scoring rate with its impact ratio (NYC Local
  Law 144: the share above the full-sample median, divided by the highest share);
- :func:`class_omnibus_rows`: a test that the predicted class does not depend on the group;
- :func:`class_criteria_rows`: multiclass demographic parity (the largest per-class gap
  of the share predicted as each class) and multiclass equalized odds.

The KS distance is read at the bin edges, where the histogram's cumulative shares are
exact, so it never exceeds the exact distance. Between two edges each cumulative share
is non-decreasing, so within a bin ``|F1 - F2|`` is at most ``max(F1(b) - F2(a),
F2(b) - F1(a))``: the largest of these over the bins bounds the exact distance from above.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._metrics import get_metric
from ._stats._contingency import contingency_test
from ._tables._moment import median_of

__all__ = ["ks_from_histograms"]


def ks_from_histograms(h1, h2):
    """(distance at the bin edges, upper bound of the exact distance) of two weighted histograms.

    ``h1`` and ``h2`` have the bins on their last axis; NaN where either is empty.

    Examples
    --------
    >>> ks_from_histograms(np.array([2.0, 2.0, 0.0]), np.array([0.0, 2.0, 2.0]))
    (0.5, 1.0)
    """
    t1, t2 = h1.sum(-1, keepdims=True), h2.sum(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        f1, f2 = np.cumsum(h1, -1) / t1, np.cumsum(h2, -1) / t2
    lo1 = np.concatenate([np.zeros_like(f1[..., :1]), f1[..., :-1]], -1)
    lo2 = np.concatenate([np.zeros_like(f2[..., :1]), f2[..., :-1]], -1)
    at_edges = np.abs(f1 - f2).max(-1)
    bound = np.maximum(f1 - lo2, f2 - lo1).max(-1)
    empty = (t1[..., 0] <= 0) | (t2[..., 0] <= 0)
    at_edges, bound = np.where(empty, np.nan, at_edges), np.where(empty, np.nan, bound)
    return (at_edges.item(), bound.item()) if at_edges.ndim == 0 else (at_edges, bound)


def distribution_parity(result) -> pd.DataFrame:
    columns = ["attribute", "group", "reference", "n", "ks_distance", "ks_upper_bound", "scoring_rate",
               "reference_scoring_rate", "impact_ratio", "median_prediction"]
    if result.counts.family != "regression":
        return pd.DataFrame(columns=columns)
    metrics = list(result.metrics)
    ref_metric = metrics.index("mean_prediction") if "mean_prediction" in metrics else 0
    scoring = get_metric("scoring_rate")
    favourable = result.options.positive_is_favorable
    total = result.counts.total("weight")  # (2, B)
    median = median_of(result.counts)
    frames = []
    for g in result.groupings:
        hist = g.table.sum(axis=1)  # (G, B)
        r = int(g.reference_index[ref_metric])
        ref_hist = total.sum(0)[None] - hist if r < 0 else hist[r][None]
        dist, bound = ks_from_histograms(hist, ref_hist)
        rate = scoring.evaluate(g.table, family=g.family)
        eligible = g.assessable & ~np.isnan(rate)
        fav = rate if favourable else 1.0 - rate
        top = np.max(np.where(eligible, fav, -np.inf)) if eligible.any() else np.nan
        impact = np.full(rate.shape, np.nan)
        if top > 0:
            impact = fav / top
        frames.append(pd.DataFrame({
            "attribute": g.name, "group": pd.Series(list(g.labels), dtype=object),
            # a list, not the label itself: an intersection's label is a tuple, which pandas would spread
            "reference": pd.Series([g.reference_label(ref_metric) if r >= 0 else "(rest)"] * len(g.labels),
                                   dtype=object),
            "n": g.rows.astype(np.int64), "ks_distance": dist, "ks_upper_bound": bound, "scoring_rate": rate,
            "reference_scoring_rate": rate[r] if r >= 0 else np.nan, "impact_ratio": impact,
            "median_prediction": median,
        }))
    return pd.concat(frames, ignore_index=True)[columns]


def class_omnibus_rows(grouping, options, rng) -> list:
    """Test that the predicted class is independent of the group (effective counts with weights)."""
    if grouping.family not in ("multiclass", "multiclass_decisions"):
        return []
    keep = ~grouping.is_missing
    table = grouping.table[keep]
    table_sq = grouping.table_sq[keep]
    if table.ndim == 3:  # y_true x y_pred: the predicted classes are the column sums
        table, table_sq = table.sum(axis=1), table_sq.sum(axis=1)
    w, w2 = table.sum(axis=1), table_sq.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(w2 > 0, w / np.where(w2 > 0, w2, 1.0), 0.0)  # n_eff / W: Kish's rescaling
    counts = table * scale[:, None]
    method = options.omnibus_test
    if method == "auto":
        kept = counts[counts.sum(1) > 0][:, counts.sum(0) > 0]
        expected = np.outer(kept.sum(1), kept.sum(0)) / max(kept.sum(), 1.0)
        method = "monte-carlo" if (expected < 5).any() else "chi2"
    res = contingency_test(counts, method=method, n_resamples=9999, rng=rng)
    return [(grouping.name, "predicted_class", res.method, res.statistic, res.dof, res.pvalue,
             res.pvalue_asymptotic)]


def class_criteria_rows(result, summary: pd.DataFrame, grouping) -> list:
    """Largest per-class gaps of a multiclass grouping: demographic parity and equalized odds."""
    if result.counts.family not in ("multiclass", "multiclass_decisions"):
        return []
    part = summary[summary["attribute"] == grouping.name].set_index("metric")
    rows = []
    for criterion, bases in (("multiclass_demographic_parity", ("selection_rate",)),
                             ("multiclass_equalized_odds", ("true_positive_rate", "false_positive_rate"))):
        names = [m for m in part.index if m.split("[")[0] in bases and m.endswith("]")]
        if not names or any(b not in {m.split("[")[0] for m in names} for b in bases):
            continue
        gaps, ratios = part.loc[names, "difference"].to_numpy(float), part.loc[names, "ratio"].to_numpy(float)
        if np.isnan(gaps).all():
            rows.append({"attribute": grouping.name, "criterion": criterion, "metrics": ", ".join(names),
                         "difference": np.nan, "ratio": np.nan})
            continue
        rows.append({"attribute": grouping.name, "criterion": criterion, "metrics": ", ".join(names),
                     "difference": float(np.nanmax(gaps)),
                     "ratio": float(np.nanmin(ratios)) if not np.isnan(ratios).all() else np.nan})
    return rows

