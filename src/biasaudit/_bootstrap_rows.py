"""The bootstrap of a regression audit: replicate per-group moments drawn from the rows.

A regression table keeps, per group and cell, sums such as ``sum w y`` and ``sum w y^2``.
Means, RMSE and R^2 depend on how values spread inside a group, and a table of sums
cannot be resampled to show that: resampling its cells would treat the rows of a cell as
copies of one another. So when ``n_resamples > 0``, :func:`regression_replicates` draws a
stratified row bootstrap while the rows are at hand (every combination of the protected
attributes keeps its number of rows, as in the count-level bootstrap) and keeps, per
replicate and finest group, only what the metrics read: the weight below and above the
median prediction, and the sum of each per-row quantity. That is ``B x groups x 10``
numbers, whatever the number of rows; every grouping's replicate is a sum of them, and
:meth:`AuditResult.with_options` reuses them (a smaller ``n_resamples`` takes the first
replicates, which are exactly those a run with that number would draw).

The median split is held at the one of the data, as references are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._encoding import encode_attribute
from ._stats._row_bootstrap import row_replicate_sums
from ._tables._moment import MOMENT_SUMS, median_of
from ._tables._sparse import observed_combinations
from .exceptions import InvalidParameterError

__all__: list[str] = []

#: Largest replicate sums kept (B x possible groups x 11 sums, float64): 1 GB.
_MAX_BYTES = 1 << 30


@dataclass(frozen=True, eq=False)
class RowReplicates:
    """Replicate sums of a regression table's finest groups.

    ``sums`` maps ``"weight"`` to shape (B, *attribute shape, 2, 1) (below and above the
    median prediction) and ``"weight_sq"`` and each moment sum to (B, *attribute shape, 1, 1), the cell
    axes of the table collapsed; ``seed`` is the audit's.
    """

    sums: dict
    n_resamples: int
    seed: int

    def first(self, n_resamples: int) -> dict:
        """The sums of the first ``n_resamples`` replicates."""
        return {k: v[:n_resamples] for k, v in self.sums.items()}


def collapse(sums) -> dict:
    """A regression table's sums with its cell axes collapsed as the replicates have them."""
    out = {"weight": np.asarray(sums["weight"], dtype=np.float64).sum(axis=-1, keepdims=True)}
    for k in ("weight_sq", *MOMENT_SUMS):
        if k in sums:
            out[k] = np.asarray(sums[k], dtype=np.float64).sum(axis=(-2, -1), keepdims=True)
    return out


def regression_replicates(inputs, table, *, n_resamples: int, seed: int, caller: str = "audit") -> RowReplicates:
    """Replicate per-group sums of a stratified row bootstrap of a regression audit's rows.

    ``inputs`` are the checked task inputs the table was counted from (``_tasks.TaskInputs``).
    The draws come from ``default_rng([seed, 1])``, the stream of the count-level bootstrap.
    """
    encoded = [encode_attribute(col, name) for name, col in inputs.protected.items()]
    sizes = [len(e.levels) for e in encoded]
    # the finest groups: every combination of levels, or those observed (a sparse table)
    n_strata = math.prod(sizes) if table.combos is None else len(table.combos)
    size_bytes = 8 * n_resamples * n_strata * 11
    if size_bytes > _MAX_BYTES:
        kind = "possible" if table.combos is None else "observed"
        msg = (f"{caller}(): `n_resamples` ({n_resamples}) times the {n_strata:,} {kind} groups of the "
               f"protected attributes makes {size_bytes / 2**30:.1f} GB of replicate sums (at most "
               f"{_MAX_BYTES / 2**30:.0f} GB). Hint: ask for fewer replicates, or audit fewer attributes together.")
        raise InvalidParameterError(msg)
    # finest group of each row, in the table's order: a missing value is its axis's last level
    codes = [np.where(e.codes < 0, len(e.levels) - 1, e.codes).astype(np.intp) for e in encoded]
    if table.combos is not None:
        strata = observed_combinations(codes, sizes)[1]
    else:
        strata = np.ravel_multi_index(codes, sizes) if codes else np.zeros(inputs.n_rows, dtype=np.intp)
    y_pred = inputs.y_pred
    w = np.ones(y_pred.size) if inputs.sample_weight is None else np.asarray(inputs.sample_weight, np.float64)
    columns = {"weight": w, "weight_sq": w * w, "weight_above": w * (y_pred > median_of(table)), "y_pred": w * y_pred,
               "y_pred_sq": w * y_pred * y_pred}
    if inputs.y_true is not None:
        y, err = inputs.y_true, y_pred - inputs.y_true
        columns.update({"y_true": w * y, "y_true_sq": w * y * y,
                        "abs_error": w * np.abs(err), "sq_error": w * err * err})
    names = list(columns)
    # rows of a group in the order of (prediction, outcome, weight): rows equal in all three are
    # interchangeable, so the draws do not depend on the order the rows were given in
    keys = [y_pred] + ([] if inputs.y_true is None else [inputs.y_true]) + [w]
    sums = row_replicate_sums(strata, np.column_stack([columns[k] for k in names]), n_strata=n_strata,
                              n_resamples=n_resamples, keys=np.column_stack(keys),
                              rng=np.random.default_rng([seed, 1]))
    shape = (n_resamples, *sizes) if table.combos is None else (n_resamples, n_strata)
    by_name = {k: sums[..., i].reshape(shape) for i, k in enumerate(names)}
    above = by_name.pop("weight_above")
    out = {"weight": np.stack([by_name.pop("weight") - above, above], axis=-1)[..., None]}
    out.update({k: v[..., None, None] for k, v in by_name.items()})
    return RowReplicates(out, n_resamples, seed)


def check_row_bootstrap(counts, options, replicates, seed, *, caller: str):
    """The replicates a regression result uses, or a clear error when there are none to use."""
    if counts.family != "regression" or not options.n_resamples:
        return replicates
    if options.bootstrap_method != "percentile":
        msg = (f"{caller}(): `bootstrap_method` must be 'percentile' for a regression audit; got "
               f"{options.bootstrap_method!r}. BCa needs a leave-one-row-out jackknife of every statistic, "
               f"which the moments do not allow.")
        raise InvalidParameterError(msg)
    if replicates is not None and replicates.seed != seed:
        msg = (f"{caller}(): `rng` must not change the seed of a regression audit with `n_resamples` "
               f"({options.n_resamples}); its bootstrap resamples rows, which a table of moments does not keep: "
               f"pass `rng` to audit() with the data.")
        raise InvalidParameterError(msg)
    if replicates is None or replicates.n_resamples < options.n_resamples:
        have = "" if replicates is None else f" beyond the {replicates.n_resamples} drawn with the data"
        msg = (f"{caller}(): `n_resamples` must be 0 here for a regression audit{have}; got "
               f"{options.n_resamples}. Its bootstrap resamples rows, which a table of moments does not keep: "
               f"pass `n_resamples` to audit() with the rows in memory (a pandas DataFrame or arrays; a file, "
               f"database or cluster source is counted where it lives, so its rows are not drawn).")
        raise InvalidParameterError(msg)
    return replicates
