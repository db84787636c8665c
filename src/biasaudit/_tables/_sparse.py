"""Tables over the observed combinations of their attributes' levels.

Crossing many protected attributes makes far more possible groups than rows: seven
attributes of eight levels make 2,097,152 combinations, of which 1,500 rows populate at
most 1,500. Above :data:`MAX_GROUPS` possible combinations a table keeps only those with
rows: its sums have shape ``(L, *cell_shape)``, one entry per observed combination, and
``combos`` (L, k) holds each combination's level codes (attribute by attribute, in C
order of the levels, without repeats). A marginal over attributes whose levels combine
into at most :data:`MAX_GROUPS` groups is dense again, so every attribute's own table and
every small intersection look exactly as they do for a dense table; only the large
intersections stay sparse. Costs then follow the rows and the observed groups, never the
possible combinations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ._kernel import AxisCodes

__all__ = ["MAX_GROUPS", "dense_marginal", "group_axes", "group_index", "observed_combinations", "sparse_marginal"]

#: Largest number of possible groups (combinations of levels) a table holds densely.
MAX_GROUPS = 1_000_000
#: Mixed-radix keys of combinations stay below this (int64 arithmetic).
_KEY_LIMIT = 1 << 62


def observed_combinations(codes: Sequence[np.ndarray], sizes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The combinations present, in C order of their level codes, and each row's index among them.

    Parameters
    ----------
    codes : sequence of ndarray of int
        One code per row and attribute, in ``[0, size)``.
    sizes : sequence of int
        The number of levels of each attribute.

    Returns
    -------
    combos : ndarray of intp, shape (L, k)
    inverse : ndarray of intp, shape (n,)

    Examples
    --------
    >>> combos, inverse = observed_combinations([np.array([2, 0, 2]), np.array([1, 1, 1])], [3, 2])
    >>> combos.tolist(), inverse.tolist()
    ([[0, 1], [2, 1]], [1, 0, 1])
    """
    k = len(sizes)
    n = len(codes[0]) if k else 0
    if k == 0:
        return np.zeros((1 if n else 0, 0), dtype=np.intp), np.zeros(n, dtype=np.intp)
    if math.prod(sizes) < _KEY_LIMIT:
        key = np.asarray(codes[0], dtype=np.int64).copy()
        for c, s in zip(codes[1:], sizes[1:]):
            key *= s
            key += c
        keys, inverse = np.unique(key, return_inverse=True)
        combos = np.stack(np.unravel_index(keys, tuple(sizes)), axis=1) if len(keys) else np.zeros((0, k))
    else:
        combos, inverse = np.unique(np.stack([np.asarray(c) for c in codes], axis=1), axis=0, return_inverse=True)
    return combos.astype(np.intp, copy=False).reshape(-1, k), inverse.reshape(-1).astype(np.intp, copy=False)


def group_axes(encoded: Sequence) -> tuple[np.ndarray | None, list[AxisCodes]]:
    """The kernel's axes of the protected attributes (``EncodedAttribute``s): (combos, axes).

    One axis per attribute, or above :data:`MAX_GROUPS` possible combinations one axis over
    the combinations present (found by one sort of the rows' combined keys), so that nothing
    grows with the possible combinations; ``combos`` is then their level codes, else None.
    """
    sizes = [len(e.levels) for e in encoded]
    if math.prod(sizes) <= MAX_GROUPS:
        return None, [AxisCodes(e.codes, len(e.levels), e.missing_label is not None) for e in encoded]
    # a missing value (code -1) is its attribute's last level, as the kernel counts it
    combos, inverse = observed_combinations([np.where(e.codes < 0, s - 1, e.codes) for e, s in zip(encoded, sizes)],
                                            sizes)
    return combos, [AxisCodes(inverse, len(combos))]


def group_index(combos: np.ndarray, sizes: Sequence[int], keep: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The groups of attributes ``keep`` present among ``combos``: (their combos, each combo's group).

    Groups are in C order of their level codes, as in :func:`observed_combinations`.
    """
    kept = [combos[:, a] for a in keep]
    return observed_combinations(kept, [sizes[a] for a in keep]) if keep else \
        (np.zeros((1, 0), dtype=np.intp), np.zeros(len(combos), dtype=np.intp))


def dense_marginal(combos: np.ndarray, sizes: Sequence[int], keep: Sequence[int], sums: dict,
                   cell_shape: tuple) -> dict:
    """The sums over attributes ``keep`` as dense arrays of shape ``(*sizes[keep], *cell_shape)``."""
    shape = tuple(sizes[a] for a in keep)
    n_groups = math.prod(shape)
    flat = np.ravel_multi_index(tuple(combos[:, a] for a in keep), shape) if keep else \
        np.zeros(len(combos), dtype=np.intp)
    out = {}
    for name, arr in sums.items():
        total = np.zeros((n_groups, *cell_shape), dtype=arr.dtype)
        np.add.at(total, flat, arr)
        out[name] = total.reshape(*shape, *cell_shape)
    return out


def sparse_marginal(combos: np.ndarray, sizes: Sequence[int], keep: Sequence[int], sums: dict,
                    cell_shape: tuple) -> tuple[np.ndarray, dict]:
    """The sums over attributes ``keep`` on their observed combinations: (combos, sums)."""
    kept, index = group_index(combos, sizes, keep)
    out = {}
    for name, arr in sums.items():
        total = np.zeros((len(kept), *cell_shape), dtype=arr.dtype)
        np.add.at(total, index, arr)
        out[name] = total
    return kept, out


def merge(parts: Sequence[tuple[np.ndarray, dict]], sizes: Sequence[int], cell_shape: tuple) -> tuple[np.ndarray, dict]:
    """Several sparse tables of the same levels as one: combinations found in any, sums added."""
    combos = np.concatenate([c for c, _ in parts])
    names = list(parts[0][1])
    stacked = {n: np.concatenate([s[n] for _, s in parts]) for n in names}
    return sparse_marginal(combos, sizes, list(range(len(sizes))), stacked, cell_shape)

