"""The compiled counter of binned score tables, used in place of the numpy kernel when built.

A binned score table needs three sums per cell (rows, sum of s, sum of s^2; five with
weights). The numpy kernel (:mod:`._kernel`) builds each block's cell index in several
array passes and adds each sum with its own ``np.bincount``, so every row is written into
tables larger than the cache three to five times, each after a pass over the index. The
extension ``_fused_scores`` (C, built with the package where a compiler is available, see
``setup.py``) bins, indexes and adds each row in one pass. At 1e7 rows, 50 groups and 4,000
bins it counts in about half the numpy kernel's time (``benchmarks/bench_scores.py``).

The tables are the same: the bins by the same floating-point operations, the counts equal,
the sums equal up to the order of additions (within 1e-12 relative). Where the extension is
not built, or for tables it does not cover (exact scores, weighted rows fingerprinted), the
numpy kernel counts.
"""

from __future__ import annotations

import importlib
import math
from types import ModuleType
from typing import Callable, Mapping, Sequence

import numpy as np

from ._kernel import AxisCodes, _cell_index, roll_missing

_fused_scores: ModuleType | None
try:  # built by setup.py where a C compiler is available
    _fused_scores = importlib.import_module(f"{__package__}._fused_scores")
except ImportError:  # pragma: no cover - depends on the build
    _fused_scores = None

__all__ = ["AVAILABLE", "score_counter"]

#: Whether the compiled counter is built in this installation.
AVAILABLE = _fused_scores is not None
#: Set to False to count every table with the numpy kernel (tests compare the two).
ENABLED = True
BLOCK_ROWS = 1 << 20  # rows per call: bounds the combined group index of several attributes
_SUMS = ("weight", "weight_sq", "w_score", "w_score_sq")


def score_counter(score: np.ndarray, weight: np.ndarray | None, fixed_width) -> Callable | None:
    """A counter for :func:`._count.count_table` of a binned score table, or None.

    ``fixed_width`` is the bin axis' codes; the counter applies when they are fixed-width
    bins computed from ``score`` (an object with ``lo``, ``scale`` and ``n``, and with
    ``edges`` and ``first`` when thresholds split them; see :func:`._score.bin_scores`) and
    the compiled extension is built and enabled.
    """
    if not (AVAILABLE and ENABLED) or not all(hasattr(fixed_width, a) for a in ("lo", "scale", "n")):
        return None
    lo, scale, n_grid = float(fixed_width.lo), float(fixed_width.scale), int(fixed_width.n)
    edges = getattr(fixed_width, "edges", None)  # thresholds added as bin edges
    first = getattr(fixed_width, "first", None)
    n_bins = n_grid if edges is None else len(edges)
    compiled = _fused_scores
    assert compiled is not None  # AVAILABLE

    def counter(axes: Sequence[AxisCodes], n_rows: int,
                sums: Mapping[str, Callable]) -> dict[str, np.ndarray] | None:
        if set(sums) - set(_SUMS) or not {"w_score", "w_score_sq"} <= set(sums) or len(axes) < 2 \
                or axes[-1].size != n_bins or axes[-2].size != 2 \
                or (weight is None and ("weight" in sums or "weight_sq" in sums)):
            return None  # a sum it does not know (the fingerprint's hash chunks): numpy counts
        groups, y_axis = axes[:-2], axes[-2]
        shape = tuple(a.size for a in axes)
        n_cells = math.prod(shape)
        out: dict[str, np.ndarray] = {"rows": np.zeros(n_cells, dtype=np.int64)}
        out.update({name: np.zeros(n_cells) for name in _SUMS if name in sums})
        shift = 0
        for a in groups:
            shift = shift * a.size + int(a.has_missing)
        buffer = np.empty(min(n_rows, BLOCK_ROWS), dtype=np.intp) if len(groups) != 1 else None
        compiled_count = compiled.count  # looked up per call: tests replace it to spy on it
        for start in range(0, n_rows, BLOCK_ROWS):
            stop = min(start + BLOCK_ROWS, n_rows)
            codes, group_shift = _group_index(groups, start, stop, shift, buffer)
            y = np.ascontiguousarray(y_axis.codes[start:stop], dtype=np.int8)
            w = None if weight is None else np.ascontiguousarray(weight[start:stop], dtype=np.float64)
            s = np.ascontiguousarray(score[start:stop], dtype=np.float64)
            compiled_count(codes, group_shift, y, s, w, lo, scale, n_grid, edges, first, out["rows"],
                           out.get("weight"), out.get("weight_sq"), out["w_score"], out["w_score_sq"])
        tables = {name: arr.reshape(shape) for name, arr in out.items()}
        return roll_missing(tables, axes)

    return counter


def _group_index(groups: Sequence[AxisCodes], start: int, stop: int, shift: int, buffer) -> tuple:
    """The rows' group codes and the shift the loop adds: one attribute's own codes (no copy),
    or the kernel's Horner index of several (the shift already in it)."""
    if len(groups) != 1:
        return _cell_index(groups, shift, start, stop, buffer), 0
    codes = np.ascontiguousarray(groups[0].codes[start:stop])
    if codes.dtype.kind != "i" or codes.dtype.itemsize not in (1, 2, 4, 8):  # the loop reads signed codes
        codes = codes.astype(np.intp)
    return codes, shift
