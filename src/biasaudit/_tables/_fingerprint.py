"""A mergeable fingerprint of the audited rows: a multiset hash that adds across chunks.

Each audited row is (its protected labels, its cell: the binarised outcome and decision,
a class or a score bin, and its weight). The fingerprint sums a 64-bit hash of every row
in four independent lanes modulo 2**64, so it does not depend on row order, and the
fingerprint of concatenated chunks, files or partitions is the lane-wise sum of theirs.
The published digest is the SHA-256 of the column description, the row count and the
lanes.

A row's hash is ``A(cell) + B(cell) * g(w)`` per lane, where ``A`` and ``B`` hash the
labels of the cell and ``g`` the bits of the weight. Summed over rows this is
``sum(rows * A) + sum(B * G)`` with ``G`` the per-cell sum of ``g(w)``: without weights
the fingerprint is a function of the count table alone (no work per row), and with
weights it costs two extra counting passes over the 32-bit halves of ``g(w)``.

This detects any change to the audited content, accidental or careless; it is not a
collision-resistant hash against an adversary who crafts rows to collide (additive
multiset hashes are not), which is why the command line also records the SHA-256 of the
bytes of every file it reads.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np

__all__ = ["Fingerprint"]

LANES = 4
_MASK = (1 << 64) - 1
_CHUNK_BITS = 32
_CHUNKS = 2
# A float bincount of 32-bit chunks is exact while a block has at most 2**21 rows
# (2**32 * 2**21 = 2**53); the kernel's blocks have 2**16.
#: Names of the per-cell sums the kernel accumulates for a weighted fingerprint.
CHUNK_SUMS = tuple(f"_fp{i}" for i in range(_CHUNKS))


def _mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijective 64-bit mixer (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    return _mix_tail(x)


def _mix_fresh(x: np.ndarray) -> np.ndarray:
    """:func:`_mix` in place on ``x``, an array nobody else holds."""
    t = x >> np.uint64(30)
    x ^= t
    return _mix_tail(x)


def _mix_tail(x: np.ndarray) -> np.ndarray:
    """The rest of :func:`_mix` after its first step, in place on ``x`` (a fresh array)."""
    t = np.empty_like(x)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    np.right_shift(x, np.uint64(27), out=t)
    x ^= t
    x *= np.uint64(0x94D049BB133111EB)
    np.right_shift(x, np.uint64(31), out=t)
    x ^= t
    return x


def canonical_label(label) -> str:
    """Type-tagged text of a label, so 1, 1.0, True and "1" hash differently."""
    if isinstance(label, np.generic):
        label = label.item()
    return f"{type(label).__name__}:{label!r}"


def _lanes_of(texts) -> np.ndarray:
    """(len(texts), LANES) uint64 from the SHA-256 of each text."""
    digests = b"".join([hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in texts])
    return np.frombuffer(digests, dtype="<u8").reshape(len(texts), LANES).copy()


def axis_lanes(name: str, levels, missing_label=None) -> np.ndarray:
    """Lanes of every level of one axis, tied to the axis name; the missing group is tagged."""
    texts = [f"{name}\x00" + ("missing" if missing_label is not None and lv == missing_label
                               else canonical_label(lv)) for lv in levels]
    return _lanes_of(texts)


def cell_lanes(axes) -> tuple[np.ndarray, np.ndarray]:
    """A and B of every cell of a table: arrays of shape (*axis sizes, LANES).

    ``axes`` lists (name, levels, missing_label) per axis, attributes then cell axes.
    """
    shape = tuple(len(levels) for _, levels, _ in axes)
    h = np.full((*([1] * len(axes)), LANES), 0x9E3779B97F4A7C15, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k, (name, levels, missing) in enumerate(axes):
            lanes = axis_lanes(name, levels, missing)
            view = [1] * len(axes)
            view[k] = len(levels)
            h = _mix(h + lanes.reshape(*view, LANES))
        a = np.broadcast_to(h, (*shape, LANES))
        b = _mix(a ^ np.uint64(0xD1B54A32D192ED03))
    return np.ascontiguousarray(a), b


def cell_lanes_at(axes, index: tuple, *, with_b: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """A and B of the cells at ``index`` (one integer array per axis), each of shape (n, LANES).

    The values of :func:`cell_lanes` at those cells, computed for them alone, so that a
    table's fingerprint costs its non-empty cells rather than every possible one.
    """
    shape = tuple(len(levels) for _, levels, _ in axes)
    flat = np.ravel_multi_index(index, shape) if axes else np.zeros(1, dtype=np.intp)
    return _lanes_at_flat(axes, flat, with_b=with_b)


def _lanes_at_flat(axes, flat: np.ndarray, *, with_b: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`cell_lanes_at` from C-order flat cell indices.

    The hash of the leading axes is computed for all their combinations when they are fewer
    than the cells asked for (a score table: few groups, many bins), else cell by cell.
    """
    n = flat.size
    with np.errstate(over="ignore"):
        if not axes:
            h = np.full((n, LANES), 0x9E3779B97F4A7C15, dtype=np.uint64)
        else:
            lead = axes[:-1]
            name, levels, missing = axes[-1]
            lead_size = math.prod(len(lv) for _, lv, _ in lead)
            if lead_size <= n:
                prefix = cell_lanes(lead)[0].reshape(-1, LANES) if lead else \
                    np.full((1, LANES), 0x9E3779B97F4A7C15, dtype=np.uint64)
                at_lead, at_last = np.divmod(flat, len(levels))
                h = prefix[at_lead]
            else:
                return _lanes_at_codes(axes, np.unravel_index(flat, tuple(len(lv) for _, lv, _ in axes)),
                                       with_b=with_b)
            h += axis_lanes(name, levels, missing)[at_last]
            h = _mix_fresh(h)
        b = _mix(h ^ np.uint64(0xD1B54A32D192ED03)) if with_b else None
    return h, b


def _lanes_at_codes(axes, index: tuple, *, with_b: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """A and B of the cells whose codes on each axis are ``index`` (one array per axis, non-empty axes)."""
    n = len(index[0])
    with np.errstate(over="ignore"):
        h = np.full((n, LANES), 0x9E3779B97F4A7C15, dtype=np.uint64)
        for (name_k, levels_k, missing_k), codes in zip(axes[:-1], index[:-1]):
            h = _mix(h + axis_lanes(name_k, levels_k, missing_k)[codes])
        name, levels, missing = axes[-1]
        h += axis_lanes(name, levels, missing)[index[-1]]
        h = _mix_fresh(h)
        b = _mix(h ^ np.uint64(0xD1B54A32D192ED03)) if with_b else None
    return h, b


def weight_hash(weight: np.ndarray) -> np.ndarray:
    """g(w): the mixed bits of each float64 weight (0.0 and -0.0 are the same weight)."""
    w = np.ascontiguousarray(weight, dtype="<f8") + 0.0
    with np.errstate(over="ignore"):
        return _mix(w.view(np.uint64))


def weight_chunks(weight: np.ndarray) -> list[np.ndarray]:
    """g(w) split into 32-bit halves as float64, exact under a float bincount of a block."""
    g = weight_hash(weight)
    mask = np.uint64((1 << _CHUNK_BITS) - 1)
    return [((g >> np.uint64(_CHUNK_BITS * i)) & mask).astype(np.float64) for i in range(_CHUNKS)]


def _lanes_of_table(axes, rows: np.ndarray, chunk_sums, weighted: bool, combos=None) -> tuple:
    g = None
    if weighted:
        g = np.zeros(rows.shape, dtype=np.uint64)
        for i, s in enumerate(chunk_sums):
            g += np.asarray(s).astype(np.uint64) << np.uint64(_CHUNK_BITS * i)
    # Empty cells add nothing (no rows, no weight hashes): only the others are hashed.
    flat = np.flatnonzero(rows if g is None else (rows != 0) | (g != 0))
    if combos is None:
        a, b = _lanes_at_flat(axes, flat, with_b=g is not None)
    else:  # a sparse table: a cell is (observed combination, cell codes); hash it by its codes
        at = np.unravel_index(flat, rows.shape)
        index = tuple(combos[at[0], k] for k in range(combos.shape[1])) + tuple(at[1:])
        a, b = _lanes_at_codes(axes, index, with_b=g is not None)
    with np.errstate(over="ignore"):
        total = (rows.reshape(-1)[flat].astype(np.uint64)[:, None] * a).sum(axis=0, dtype=np.uint64)
        if g is not None and b is not None:
            total = total + (g.reshape(-1)[flat][:, None] * b).sum(axis=0, dtype=np.uint64)
    return tuple(int(x) for x in total)


class Fingerprint:
    """Order-independent fingerprint of the audited rows, mergeable across chunks.

    The lanes of a fingerprint made by :meth:`of_table` are computed on first use (the
    digest in a report, a sum of chunks): hashing every non-empty cell of a large table
    costs as much as the rest of a score audit, and a notebook that never asks for the
    provenance need not pay for it. The table's arrays are immutable, so the deferred
    value is the one an eager computation would give.

    Attributes
    ----------
    columns : tuple of str
        What each row holds: the attribute names, the cell axes and ``"weight"`` if weighted.
    n_rows : int
        Rows fingerprinted.
    lanes : tuple of int
        Four sums modulo 2**64 of the rows' hashes.
    """

    __slots__ = ("columns", "n_rows", "_lanes", "_compute")

    def __init__(self, columns: tuple, n_rows: int, lanes: tuple | None = None, *, compute=None) -> None:
        if (lanes is None) == (compute is None):
            raise TypeError("Fingerprint(): give the lanes or a function computing them, not both")
        self.columns, self.n_rows = tuple(columns), int(n_rows)
        self._lanes, self._compute = (None if lanes is None else tuple(lanes)), compute

    @property
    def lanes(self) -> tuple:
        if self._lanes is None:
            self._lanes, self._compute = tuple(self._compute()), None
        return self._lanes

    def __eq__(self, other) -> bool:
        if not isinstance(other, Fingerprint):
            return NotImplemented
        return (self.columns, self.n_rows, self.lanes) == (other.columns, other.n_rows, other.lanes)

    def __hash__(self) -> int:
        return hash((self.columns, self.n_rows, self.lanes))

    def __repr__(self) -> str:
        return f"Fingerprint(columns={self.columns!r}, n_rows={self.n_rows}, lanes={self.lanes!r})"

    @classmethod
    def of_table(cls, axes, rows: np.ndarray, chunk_sums=None, *, weighted: bool, combos=None) -> "Fingerprint":
        """The fingerprint of a count table, from its row counts (and weight-hash sums).

        ``combos`` (a sparse table's observed combinations) makes the leading axis of
        ``rows`` their index; the fingerprint is the one of the same rows counted densely.
        """
        rows = np.asarray(rows)
        if rows.ndim == 0:  # a table without axes: one cell
            rows = rows.reshape(1)
            chunk_sums = None if chunk_sums is None else [np.reshape(c, 1) for c in chunk_sums]
        columns = tuple(name for name, _, _ in axes) + (("weight",) if weighted else ())
        axes = [(name, levels, missing) for name, levels, missing in axes]
        return cls(columns, int(rows.sum()),
                   compute=lambda: _lanes_of_table(axes, rows, chunk_sums, weighted, combos))

    def __add__(self, other):
        if not isinstance(other, Fingerprint):
            return NotImplemented
        if self.columns != other.columns:
            return None  # tables of different columns have no common fingerprint
        lanes = tuple((x + y) & _MASK for x, y in zip(self.lanes, other.lanes))
        return Fingerprint(self.columns, self.n_rows + other.n_rows, lanes)

    @property
    def hexdigest(self) -> str:
        """SHA-256 (hex) of the columns, the row count and the lanes."""
        blob = json.dumps({"columns": list(self.columns), "n_rows": self.n_rows,
                           "lanes": [f"{x:016x}" for x in self.lanes]}, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()
