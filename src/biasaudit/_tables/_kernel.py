"""The counting kernel: the only loop over rows in the library.

Every axis of a table (protected attributes, then cell axes) arrives as integer codes;
Horner's rule combines them into one cell index per row, and ``np.bincount`` or an
unbuffered scatter-add (``np.add.at``) sums each requested per-row quantity into every
cell. Rows are processed in blocks, so the index and the per-row quantities of a block stay
in cache and memory stays bounded. A bincount allocates, zeroes and adds a whole table per
block, so it suits tables up to about the size of a block (decisions, scores); the
scatter-add accumulates into one table across blocks, so a block costs its rows, never the
table's cells (many groups). Summing block by block is the same additivity that lets
chunks of a file, partitions of a cluster or rows of a database be counted apart and added.
For small tables a helper thread sums some of each block's quantities (see :func:`_lanes`).
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Collection, Mapping, NamedTuple, Sequence

import numpy as np

__all__ = ["AxisCodes", "count_cells", "roll_missing", "value_range"]

BLOCK_ROWS = 1 << 17
LARGE_BLOCK_ROWS = 1 << 18  # rows per block of a bincount into a table larger than BLOCK_ROWS / 8
SCATTER_CELLS = 1 << 19  # tables larger than this take the scatter-add
SHARED_LARGE_ROWS = 1 << 22  # from this many rows a large table's sums are shared with the helper
_scatter_add = np.add.at  # unbuffered: repeated indices of a block all add


class AxisCodes(NamedTuple):
    """Integer codes of one axis: ``codes`` in ``[0, size)``, or -1 for missing when ``has_missing``.

    A missing code is counted at the end of its axis (index ``size - 1``).
    """

    codes: np.ndarray
    size: int
    has_missing: bool = False


#: Threads besides the caller's that sum a block's quantities (0: the caller alone). Each
#: quantity is summed by one thread in block order, so the tables are the same bit for bit.
HELPER_THREADS = 1 if (os.cpu_count() or 1) > 1 else 0
_POOL: list[ThreadPoolExecutor] = []
_POOL_LOCK = threading.Lock()


def count_cells(axes: Sequence[AxisCodes], n_rows: int,
                sums: Mapping[str, Callable[[int, int], np.ndarray]] | None = None,
                block_rows: int = BLOCK_ROWS, exact: Collection[str] = ()) -> dict[str, np.ndarray]:
    """Count rows, and sum per-row quantities, into the cells of the axes' product.

    Parameters
    ----------
    axes : sequence of AxisCodes
        One entry per axis, in table order.
    n_rows : int
        Number of rows (the length of every code array).
    sums : mapping of str to callable, optional
        ``name -> values(start, stop)``: the per-row quantity to sum over rows
        ``start:stop`` (for example the weight, or the weight times a score).
    block_rows : int, default=131072
        Rows per block.
    exact : collection of str, optional
        Names in ``sums`` whose values are non-negative integers below ``2**32`` (the
        fingerprint's hash chunks). A block's float sum of them is exact (a block has fewer
        than ``2**21`` rows) but a float total over many blocks would not be once a cell
        passes ``2**53``; their blocks are added as ``uint64`` instead.

    Returns
    -------
    dict of str to ndarray
        ``"rows"`` (int64) and one array per entry of ``sums`` (float64, or uint64 for the
        ``exact`` ones), each of shape ``tuple(axis.size for axis in axes)``.
    """
    sums = dict(sums or {})
    shape = tuple(a.size for a in axes)
    n_cells = math.prod(shape)
    # A missing code (-1) plus one lands at index 0 of its axis; the shift is linear in the
    # codes, so it is one constant added to the index, and the axis is rolled at the end.
    shift = 0
    for a in axes:
        shift = shift * a.size + int(a.has_missing)
    out: dict[str, np.ndarray] = {"rows": np.zeros(n_cells, dtype=np.int64)}
    exact = frozenset(exact)
    out.update({name: np.zeros(n_cells, dtype=np.uint64 if name in exact else np.float64) for name in sums})
    # A bincount allocates, zeroes and adds a whole table per block, so its cost grows with
    # the cells times the blocks; the scatter-add costs nothing per cell but holds the GIL,
    # so no helper thread can share its block. Tables up to SCATTER_CELLS (a score table of
    # 400,000 cells) take a bincount per larger block (1e7 rows: 0.15 s instead of 0.27 s
    # per 2**17-row scatter-add); larger tables (many groups) the scatter-add. From
    # SHARED_LARGE_ROWS rows such a table's sums are shared with the helper over blocks twice
    # as large (1e7 rows: 0.12-0.13 s against 0.16 s); below, the thread's overhead is not
    # repaid (1e6 rows: 0.044-0.049 s against 0.040 s).
    few_cells = n_cells * 8 <= block_rows
    scatter = not few_cells and n_cells > SCATTER_CELLS
    shared = few_cells or (not scatter and n_rows >= SHARED_LARGE_ROWS)
    if not few_cells and not scatter:
        block_rows = max(block_rows, LARGE_BLOCK_ROWS * (2 if shared else 1))
    main, helper = _lanes(list(sums), exact, n_rows, block_rows) if shared else (list(sums), [])
    pool = _helper_pool() if helper else None
    # With a helper, the caller builds the next block's index while the helper sums this
    # block's quantities, so the index alternates between two buffers.
    buffers = [np.empty(min(n_rows, block_rows), dtype=np.intp) for _ in range(2 if pool else 1)]
    starts = range(0, n_rows, block_rows)
    idx = _cell_index(axes, shift, 0, min(block_rows, n_rows), buffers[0])
    for k, start in enumerate(starts):
        stop = min(start + block_rows, n_rows)
        pending = None
        if pool is not None:
            pending = pool.submit(_add_block, out, idx, n_cells, sums, helper, exact, start, stop, scatter)
        try:
            if scatter:
                _scatter_add(out["rows"], idx, 1)
            else:
                out["rows"] += np.bincount(idx, minlength=n_cells)
            _add_block(out, idx, n_cells, sums, main, exact, start, stop, scatter)
            if stop < n_rows:
                following = _cell_index(axes, shift, stop, min(stop + block_rows, n_rows),
                                        buffers[(k + 1) % len(buffers)])
        finally:
            if pending is not None:  # the helper reads idx: wait even when this block failed
                pending.result()
        if stop < n_rows:
            idx = following
    return roll_missing({name: arr.reshape(shape) for name, arr in out.items()}, axes)


def roll_missing(tables: dict[str, np.ndarray], axes: Sequence[AxisCodes]) -> dict[str, np.ndarray]:
    """Move each axis' missing level, counted at index 0 (code -1 shifted by one), to its end."""
    for k, a in enumerate(axes):
        if a.has_missing:
            tables = {name: np.roll(t, -1, axis=k) for name, t in tables.items()}
    return tables


def _cell_index(axes: Sequence[AxisCodes], shift: int, start: int, stop: int, buf: np.ndarray) -> np.ndarray:
    """The cell index of rows ``start:stop`` (Horner's rule over the axes' codes), in ``buf``."""
    idx = buf[: stop - start]
    if axes:
        idx[:] = axes[0].codes[start:stop]
    else:
        idx[:] = 0
    for a in axes[1:]:
        idx *= a.size
        idx += a.codes[start:stop]
    if shift:
        idx += shift
    return idx


def _add_block(out: dict[str, np.ndarray], idx: np.ndarray, n_cells: int,
               sums: Mapping[str, Callable[[int, int], np.ndarray]], names: Sequence[str],
               exact: Collection[str], start: int, stop: int, scatter: bool) -> None:
    """Add one block's sums of ``names`` into ``out`` (rows ``start:stop``, cell index ``idx``)."""
    for name in names:
        values = sums[name](start, stop)
        if scatter:
            _scatter_add(out[name], idx, values.astype(np.uint64) if name in exact else values)
        elif name in exact:
            out[name] += np.bincount(idx, weights=values, minlength=n_cells).astype(np.uint64)
        else:
            # (no name holds a block's table past its addition: the next block's bincount
            # then reuses its memory instead of faulting in fresh pages)
            out[name] += np.bincount(idx, weights=values, minlength=n_cells)


def _lanes(names: list[str], exact: Collection[str], n_rows: int, block_rows: int) -> tuple[list[str], list[str]]:
    """Split the sums between the caller's thread (which also counts rows) and a helper.

    ``np.bincount`` and the ufuncs that make a block's quantities release the GIL, so two
    threads sum two quantities of the same block at once (1.5x on a block of six sums; a
    regression audit of 1e6 rows 1.15x, 1.25x weighted; a score table of 400,000 cells and
    1e7 rows 1.2-1.3x, see :func:`count_cells`). The scatter-add of the largest tables holds
    the GIL and is never split. The ``exact`` sums stay on one
    thread: they share one computation per block. A table of one block, or a machine of
    one core, keeps the caller's thread alone.
    """
    if HELPER_THREADS < 1 or n_rows <= block_rows or not names:
        return names, []
    # The caller's thread also counts the rows and builds the next block's index, so the
    # helper takes one quantity more than half; the last ones listed (errors, squares) are
    # those computed per block, so the helper takes from the end.
    share = min(len(names), len(names) // 2 + 1)
    grouped = [n for n in names if n in exact]
    others = [n for n in names if n not in exact]
    take = max(0, share - len(grouped))
    helper = grouped + (others[len(others) - take:] if take else [])
    return [n for n in names if n not in helper], helper


def _forget_pool() -> None:
    """In a forked child the helper thread does not exist: start a new pool when needed."""
    global _POOL_LOCK
    _POOL.clear()
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def value_range(values: np.ndarray) -> tuple[float, float]:
    """``(min, max)`` of a non-empty array; from 2**20 values the helper thread finds the
    maximum while the caller's thread finds the minimum (1e7 scores: 3.4 ms against 5.5 ms)."""
    if HELPER_THREADS < 1 or values.size < 1 << 20:
        return float(values.min()), float(values.max())
    high = _helper_pool().submit(np.max, values)
    try:
        low = float(values.min())
    finally:
        top = float(high.result())
    return low, top


def _helper_pool() -> ThreadPoolExecutor:
    with _POOL_LOCK:
        if not _POOL:
            _POOL.append(ThreadPoolExecutor(HELPER_THREADS, thread_name_prefix="biasaudit-kernel"))
        return _POOL[0]
