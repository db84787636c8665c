"""Bootstrap evidence of an audit: intervals of every group value, difference, spread and criterion.

One statistic maps replicate sums of the finest groups (every combination of the
protected attributes) to every grouping's values, differences to the reference, max-min
spreads and criteria; the replicates come from one of two sources:

- tables whose cells hold everything the metrics read (binary decisions, classes,
  scores): a stratified multinomial draw over the finest table's cells
  (:func:`biasaudit.stats.bootstrap_interval`), percentile or BCa;
- regression: per-group sums of a row-level bootstrap drawn when the rows were counted
  (``_bootstrap_rows``), percentile.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ._compare import CRITERIA, criterion_gap, nan_spread
from ._metrics import evaluate_many
from ._stats._bootstrap import bootstrap_interval, replicate_interval
from .exceptions import UndefinedMetricWarning

__all__: list[str] = []

#: Largest per-class gaps of a multiclass audit: criterion -> the per-class metric bases.
CLASS_CRITERIA = {"multiclass_demographic_parity": ("selection_rate",),
                  "multiclass_equalized_odds": ("true_positive_rate", "false_positive_rate")}
_BUDGET = 1 << 18  # replicate group sums per batch of a row-level bootstrap


@dataclass(frozen=True, eq=False)
class BootstrapEvidence:
    """Bootstrap intervals of one grouping.

    ``value`` and ``difference`` are (low, high), each of shape (M, G): each group's
    metric value and its difference to the reference; ``spread`` is (low, high) of shape
    (M,); ``criteria`` maps a criterion to (low, high); ``n_undefined`` counts the
    undefined replicates of each difference, shape (M, G).
    """

    difference: tuple
    spread: tuple
    criteria: dict
    n_undefined: np.ndarray
    value: tuple = (None, None)


def evaluate_all(metrics, cells, family) -> np.ndarray:
    """Values of metrics: cells (..., *cell shape) or a mapping of such sums -> (..., M).

    Metrics given by cell masks share :func:`evaluate_many`'s one matrix product; the
    others (per-class rates, moments) evaluate one by one, each still vectorised.
    """
    by_masks = all(m.numerator is not None or (m.estimator == "derived" and m.derive is not None)
                   for m in metrics)
    if by_masks and not isinstance(cells, dict):
        return evaluate_many(metrics, cells, family=family)
    return np.stack([np.asarray(m.evaluate(cells, family=family), dtype=np.float64) for m in metrics], axis=-1)


def _criteria(names, slot) -> dict:
    """Criterion -> (slots of its metrics, whether undefined class gaps are skipped)."""
    out = {c: (sorted({slot[names.index(n)] for n in need}), False)
           for c, need in CRITERIA.items() if all(n in names for n in need)}
    for c, bases in CLASS_CRITERIA.items():
        per_base = {b: [i for i, n in enumerate(names) if n.startswith(b + "[")] for b in bases}
        if all(per_base.values()):
            out[c] = (sorted({slot[i] for idx in per_base.values() for i in idx}), True)
    return out


def bootstrap_evidence(counts, groupings, metrics, reference_indices, control, options, rng, replicates=None):
    """Bootstrap intervals of every value, difference, max-min spread and criterion of an audit.

    Replicates of the finest table keep every combination of the protected attributes at
    its size; each grouping's replicate is a sum over axes of it, so its group sizes stay
    fixed too. Reference groups are held at the ones chosen on the data. Only metrics that
    are not the complement of another audited metric are resampled: for FNR = 1 - TPR the
    difference is the negated TPR difference and the spread the same, so their percentile
    bounds are exact mirror images. ``replicates`` (regression) are row-level replicate
    sums (``_bootstrap_rows.RowReplicates``); without them the table's cells are resampled.

    Returns one :class:`BootstrapEvidence` per grouping.
    """
    joint = counts if control is None else counts.marginal([a for a in counts.attributes if a != control])
    n_cell_axes = len(joint.cell_axes)
    cells_shape = joint.rows.shape[: joint.rows.ndim - n_cell_axes]
    family = joint.family
    # Raw counts are not compared between groups. The audit lists its metrics rates first, so
    # row i of the returned arrays is still metric i of the audit.
    metrics = [m for m in metrics if m.kind != "count"]
    names = [m.name for m in metrics]
    primary = [i for i, m in enumerate(metrics) if m.complement_of not in names]
    source = {i: (names.index(m.complement_of) if m.complement_of in names else i) for i, m in enumerate(metrics)}
    slot = [primary.index(source[i]) for i in range(len(metrics))]
    prim_metrics = [metrics[i] for i in primary]
    n_prim = len(primary)
    crit = _criteria(names, slot)
    # One 0/1 matrix maps the finest cells to every group of every grouping, so each batch of
    # replicates is aggregated by a single matrix product.
    n_cells = int(np.prod(cells_shape))
    blocks, specs, offset = [], [], 0
    for g, refs in zip(groupings, reference_indices):
        group_of_cell = joint.group_codes(g.attributes)
        labels = joint.group_sums(g.attributes)[0]
        wanted = set(g.labels)
        present = np.flatnonzero([lab in wanted for lab in labels])
        blocks.append((group_of_cell[None, :] == present[:, None]).astype(np.float64))
        specs.append((slice(offset, offset + len(present)), g.assessable, refs[primary]))
        offset += len(present)
    aggregate = np.vstack(blocks)  # (all groups, cells)
    needs_overall = any((refs < 0).any() for _, _, refs in specs)

    def to_groups(x, n_lead):
        cell = x.shape[n_lead + 1:]
        return (aggregate @ x.reshape(*x.shape[:n_lead], n_cells, -1)).reshape(*x.shape[:n_lead], offset, *cell)

    def statistic(sums):
        """Sums (*lead, finest cells, *cell shape), or a mapping of them -> (*lead, K)."""
        first = next(iter(sums.values())) if isinstance(sums, dict) else sums
        n_lead = first.ndim - 1 - n_cell_axes
        lead = first.shape[:n_lead]
        if isinstance(sums, dict):
            groups = {k: to_groups(v, n_lead) for k, v in sums.items()}
            total = {k: v.sum(axis=n_lead) for k, v in sums.items()} if needs_overall else None
        else:
            groups = to_groups(sums, n_lead)
            total = sums.sum(axis=n_lead) if needs_overall else None
        vals = np.swapaxes(evaluate_all(prim_metrics, groups, family), -1, -2)  # (..., P, groups)
        overall = evaluate_all(prim_metrics, total, family) if total is not None else None
        parts = []
        for block, eligible, refs in specs:
            v = vals[..., block]
            refv = v[..., np.arange(n_prim), np.maximum(refs, 0)]
            if overall is not None:
                refv = np.where(refs < 0, overall, refv)
            spreads = nan_spread(v if eligible.all() else v[..., eligible])
            parts += [v.reshape(*lead, -1), (v - refv[..., None]).reshape(*lead, -1), spreads]
            parts += [(np.fmax.reduce(spreads[..., idx], axis=-1) if skip else criterion_gap(spreads[..., idx]))[..., None]
                      for idx, skip in crit.values()]
        return np.concatenate(parts, axis=-1)

    with warnings.catch_warnings():
        # Undefined replicates are counted per statistic and returned with the intervals.
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        if replicates is not None:
            res = _from_replicates(statistic, joint, counts, control, replicates, options, n_cells)
        else:
            res = _from_counts(statistic, joint, options, rng, n_cells)
    return _split(res, groupings, metrics, source, slot, n_prim, crit)


def _from_counts(statistic, joint, options, rng, n_cells):
    """Intervals from multinomial replicates of the finest table's cells."""
    cell_shape = joint.cell_shape
    per_unit = _sums_per_unit(joint, n_cells, cell_shape)

    def count_statistic(table):
        return statistic({k: table * r for k, r in per_unit.items()} if per_unit else table)

    rows = joint.rows.reshape(-1, *cell_shape)
    weighted = joint.weight.reshape(-1, *cell_shape) if joint.is_weighted else None
    return bootstrap_interval(count_statistic, rows, weighted=weighted, n_resamples=options.n_resamples,
                              confidence_level=options.confidence_level, method=options.bootstrap_method,
                              stratified=True, rng=rng)


def _from_replicates(statistic, joint, counts, control, replicates, options, n_cells):
    """Percentile intervals from row-level replicate sums (a regression audit)."""
    from ._bootstrap_rows import collapse

    n = options.n_resamples
    reps = replicates.first(n)
    reps = {k: v.reshape(n, -1, *v.shape[-2:]) for k, v in reps.items()}  # (n, finest groups, cells)
    if control is not None:  # each finest group adds into its group of the other attributes
        into = counts.group_codes(joint.attributes)
        summed = {}
        for k, v in reps.items():
            summed[k] = np.zeros((n, n_cells, *v.shape[2:]), dtype=v.dtype)
            np.add.at(summed[k], (slice(None), into), v)
        reps = summed
    observed = {k: v.reshape(n_cells, *v.shape[-2:]) for k, v in collapse(joint.sums).items()}
    estimate = statistic(observed)
    out = np.empty((estimate.size, n))
    step = max(1, _BUDGET // max(n_cells * 2, 1))
    for start in range(0, n, step):
        stop = min(start + step, n)
        out[:, start:stop] = statistic({k: v[start:stop] for k, v in reps.items()}).T
    return replicate_interval(estimate, out, confidence_level=options.confidence_level)


def _split(res, groupings, metrics, source, slot, n_prim, crit):
    """Each grouping's intervals from the concatenated statistics, complements mirrored."""
    out, start = [], 0
    mirrored = np.array([source[i] != i for i in range(len(metrics))])[:, None]
    for g in groupings:
        n_groups = len(g.labels)
        k = n_prim * n_groups
        size = 2 * k + n_prim + len(crit)
        low, high = res.low[start:start + size], res.high[start:start + size]
        undefined = res.n_undefined[start:start + size]
        v_low, v_high = low[:k].reshape(n_prim, n_groups)[slot], high[:k].reshape(n_prim, n_groups)[slot]
        d_low = low[k:2 * k].reshape(n_prim, n_groups)[slot]
        d_high = high[k:2 * k].reshape(n_prim, n_groups)[slot]
        value = (np.where(mirrored, 1.0 - v_high, v_low), np.where(mirrored, 1.0 - v_low, v_high))
        diff = (np.where(mirrored, -d_high, d_low), np.where(mirrored, -d_low, d_high))
        spread = (low[2 * k:2 * k + n_prim][slot], high[2 * k:2 * k + n_prim][slot])
        crits = {c: (low[2 * k + n_prim + j], high[2 * k + n_prim + j]) for j, c in enumerate(crit)}
        out.append(BootstrapEvidence(diff, spread, crits, undefined[k:2 * k].reshape(n_prim, n_groups)[slot],
                                     value))
        start += size
    return out


def _sums_per_unit(joint, n_cells, cell_shape) -> dict:
    """Each sum of a table with sums beyond the weights, per unit of the resampled quantity.

    A replicate puts n* of a cell's rows back; its sums are scaled like its weight,
    ``sum* = n* x sum / rows`` (``weighted* x sum / weight`` with weights), which is exact
    when the rows of a cell share their values (exact-mode scores, constant weights).
    Empty for tables whose metrics read the weights alone.
    """
    if set(joint.sums) <= {"rows", "weight", "weight_sq"}:
        return {}
    base = joint.weight if joint.is_weighted else joint.rows.astype(np.float64)
    out = {}
    for k, v in joint.sums.items():
        if k != "rows":
            r = np.divide(v, base, out=np.zeros(base.shape), where=base > 0)
            out[k] = r.reshape(n_cells, *cell_shape)
    return out


def value_interval_frame(result, level):
    """``rate_intervals(method="bootstrap")``: bootstrap intervals of every group's value of every metric."""
    import pandas as pd

    from .exceptions import InvalidParameterError

    if not result.options.n_resamples:
        msg = ("rate_intervals(): `method` 'bootstrap' needs bootstrap replicates; got an audit with "
               "n_resamples=0. Hint: audit with n_resamples=999 (or result.with_options(n_resamples=999) for "
               "tables other than a regression's).")
        raise InvalidParameterError(msg)
    if level != result.options.confidence_level:
        result = result.with_options(confidence_level=level)
    frames = []
    for g, ev in zip(result.groupings, result.evidence):
        for i in range(len(result.rate_metrics)):  # the audit lists its rates first, as the bootstrap does
            frames.append(pd.DataFrame({
                "attribute": g.name, "group": pd.Series(list(g.labels), dtype=object), "metric": result.metrics[i],
                "value": g.values[i], "ci_low": ev.bootstrap.value[0][i], "ci_high": ev.bootstrap.value[1][i],
                "n_effective": np.nan, "method": f"bootstrap-{result.options.bootstrap_method}",
                "confidence_level": level,
            }))
    return pd.concat(frames, ignore_index=True)
