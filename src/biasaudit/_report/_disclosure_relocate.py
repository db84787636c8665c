"""Certificates by moving people: between combinations of an intersection, or between levels of one attribute.

An intersection's small groups are where the hypercube patterns of :mod:`._disclosure` fail
when the finest table is sparse: a pattern needs people in every corner it draws on, and
two combinations of six attributes that differ in two of them are rarely both populated.
Searching for one anyway cost 150 candidate patterns per sensitive item (the 77,241 items
of a four-attribute intersection took almost six minutes) and then fell back to withholding
every figure of every attribute.

A relocation needs no corners. To move a person from combination ``c`` to combination
``t`` (same outcome cell), change their level on each attribute ``j`` where ``c`` and ``t``
differ, and for each such change take another person with the same outcome cell who has
level ``t_j`` on ``j`` and give them ``c_j``. Every table of one attribute, by any outcome
axes, then sees ``+1 - 1`` at both levels: nothing. Tables that cross attributes see the
people who moved, so their changed cells are withheld. For a sensitive item ``x`` (a cell
of an intersection's table) one move takes its ``x`` people out and another brings
``min_cell - x`` people in: the attacker's interval for the item then spans at least
``min_cell`` (from ``0`` to ``min_cell``), whatever else is published. Both moves are
checked cell by cell against every table before they are used: each changed cell is
withheld, each finest cell must stay non-negative, and a move that would touch the grand
totals is refused. An item of one attribute's table gets the same two moves between that
attribute's levels (:func:`_level_moves`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Movers", "Relocation", "relocation", "withhold"]

# Compensating people looked at per attribute change before taking the best seen: the
# first few are the small cells, usually withheld already.
_LOOK = 12
_NEAREST = 64  # people considered for moving into an item


class Movers:
    """The populated cells of the finest table, indexed for finding people to move.

    Parameters
    ----------
    counts : ndarray of int
        The finest table, attribute axes first, then the two outcome axes.
    tables : dict
        The linked tables (sorted axes -> [table, hidden mask, cost per item, kind]).
    """

    def __init__(self, counts: np.ndarray, tables: dict) -> None:
        self.shape = counts.shape
        self.k = counts.ndim - 2
        flat = counts.reshape(-1)
        populated = np.flatnonzero(flat)
        # small cells first: their groups are the ones most likely withheld already
        populated = populated[np.argsort(flat[populated], kind="stable")]
        self.coords = np.stack(np.unravel_index(populated, counts.shape), axis=1)
        self.count = flat[populated].astype(np.int64)
        self.flat = flat  # the finest table: a move may not take more people than a cell holds
        self.finest_strides = _strides(counts.shape)
        self.outcome = self.coords[:, -2] * 2 + self.coords[:, -1]
        self.strides = {axes: _strides([counts.shape[a] for a in axes]) for axes in tables}
        self.cell_in = {axes: self.coords[:, list(axes)] @ s for axes, s in self.strides.items()}
        # Every table's cells numbered in one range: a move's changes in all tables at once
        # are then one matrix product and one np.unique.
        self.tables = list(tables)
        self.keys = np.zeros((counts.ndim, len(self.tables)), dtype=np.int64)
        for i, axes in enumerate(self.tables):
            self.keys[list(axes), i] = self.strides[axes]
        sizes = [int(np.prod([counts.shape[a] for a in axes])) for axes in self.tables]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.totals = np.array([all(a >= self.k for a in axes) for axes in self.tables])
        self._holders: dict = {}

    def holders(self, axis: int, level: int, outcome: int) -> np.ndarray:
        """Rows of people with ``level`` on ``axis`` in outcome cell ``outcome``, small cells first."""
        key = (axis, level, outcome)
        if key not in self._holders:
            self._holders[key] = np.flatnonzero((self.coords[:, axis] == level) & (self.outcome == outcome))
        return self._holders[key]


@dataclass
class Relocation:
    """Two moves that shift one item down by its count and up to ``min_cell``, unseen by published tables.

    ``cells`` maps a table's axes to the flat indices of its cells that either move changes:
    all of them must be withheld. ``cost`` is the value of those not withheld yet.
    ``covered`` maps a table's axes to the flat indices of every cell (the item's among
    them) that the two moves shift over at least ``min_cell``: once the changed cells are
    withheld, the same two moves protect each of them.
    """

    cost: float
    cells: dict
    covered: dict


def _strides(shape) -> np.ndarray:
    out = np.ones(len(shape), dtype=np.int64)
    for i in range(len(shape) - 2, -1, -1):
        out[i] = out[i + 1] * shape[i + 1]
    return out


def relocation(movers: Movers, tables: dict, axes: tuple, cell: tuple, min_cell: int) -> Relocation | None:
    """Moves that give the item ``cell`` of table ``axes`` an interval ``min_cell`` wide, or None.

    An item of a table crossing attributes is relocated (levels changed on several
    attributes, each compensated on its own attribute); an item of one attribute's table
    gets moves between that attribute's levels (:func:`_level_moves`).
    """
    k = movers.k
    attrs = [a for a in axes if a < k]
    if len(attrs) == 1:
        return _level_moves(movers, tables, axes, cell, min_cell)
    if not attrs:
        return None
    target = np.array([lv for a, lv in zip(axes, cell) if a < k])
    n_diff = (movers.coords[:, attrs] != target).sum(axis=1)
    fits = _fits(movers, axes, cell)
    hidden = tables[axes][1].reshape(-1)
    own = movers.cell_in[axes]
    strides = dict(zip(axes, movers.strides[axes]))
    inside = np.flatnonzero(fits & (n_diff == 0))
    x = int(movers.count[inside].sum())
    if not 0 < x < min_cell:
        return None
    ctx = _Context(movers, hidden, own, strides, n_diff)
    down = _move_out(ctx, inside, attrs, target, x)
    if down is None:
        return None
    up = _move_in(ctx, fits, attrs, target, min_cell - x)
    if up is None:
        return None
    return _priced(movers, tables, down, up, axes, cell, x, min_cell)


def _fits(movers: Movers, axes: tuple, cell: tuple) -> np.ndarray:
    """Populated cells in the outcome cells the item counts (its levels on the outcome axes it holds)."""
    fits = np.ones(len(movers.coords), bool)
    for a, lv in zip(axes, cell):
        if a >= movers.k:
            fits &= movers.coords[:, a] == lv
    return fits


def _priced(movers: Movers, tables: dict, down: _Move, up: _Move, axes: tuple, cell: tuple, x: int,
            min_cell: int) -> Relocation | None:
    """The two moves as a relocation, with the value of the cells they newly withhold; None if unsound."""
    changed = _changed_cells(movers, down, up, axes, cell, x, min_cell)
    if changed is None:
        return None
    cells, covered = changed
    cost = 0.0
    for t_axes, flat in cells.items():
        _, t_hidden, value, _ = tables[t_axes]
        fresh = flat[~t_hidden.reshape(-1)[flat]]
        cost += float(value.reshape(-1)[fresh].sum())
    return Relocation(cost=cost, cells=cells, covered=covered)


# ---------------------------------------------------------------- items of one attribute

def _level_moves(movers: Movers, tables: dict, axes: tuple, cell: tuple, min_cell: int) -> Relocation | None:
    """Moves of people between levels of the item's one attribute, nothing else about them changed.

    Each person keeps every other level and their outcome cell, so no table without this
    attribute sees them. For an item of an outcome cell (or of one outcome axis), each move
    is paired with one the other way by a person whose outcome differs on one axis the item
    fixes: the attribute's sizes, and its table by the other axis, then stay as they are,
    and only the item's level and the partner level change in the tables by the flipped
    axis. A size item has no such pair: the partner level's size is withheld with it.
    Partner levels already withheld come first, then the smallest.
    """
    a, lv = axes[0], cell[0]
    fixed = dict(zip(axes[1:], cell[1:]))  # the item's outcome axes and levels
    coords = movers.coords
    fits = _fits(movers, axes, cell)
    inside = np.flatnonzero(fits & (coords[:, a] == lv))
    x = int(movers.count[inside].sum())
    if not 0 < x < min_cell:
        return None
    sizes = np.bincount(coords[:, a], weights=movers.count, minlength=movers.shape[a])
    hidden = tables[axes][1]
    partners = sorted((p for p in range(movers.shape[a]) if p != lv),
                      key=lambda p: (not hidden[(p,) + tuple(cell[1:])], sizes[p]))
    best = None
    for flip in list(fixed) or [None]:
        down = _Move(movers)
        if not all(_to_partner(movers, down, int(row), a, partners, flip)
                   for row in inside for _ in range(int(movers.count[row]))):
            continue
        up = _Move(movers)
        needed = min_cell - x
        for p in partners:
            for row in np.flatnonzero(fits & (coords[:, a] == p)):
                while needed and up.free(int(row)) > 0 and _swap_level(movers, up, int(row), a, lv, flip):
                    needed -= 1
        if needed:
            continue
        found = _priced(movers, tables, down, up, axes, cell, x, min_cell)
        if found is not None and (best is None or found.cost < best.cost):
            best = found
    return best


def _to_partner(movers: Movers, move: _Move, row: int, a: int, partners: list, flip: int | None) -> bool:
    """One person of ``row`` to the first partner level that has a compensating person."""
    return any(_swap_level(movers, move, row, a, p, flip) for p in partners)


def _swap_level(movers: Movers, move: _Move, row: int, a: int, level: int, flip: int | None) -> bool:
    """One person of ``row`` to ``level`` on attribute ``a``; with ``flip``, one of ``level`` back.

    The person moved back has the mover's outcome cell but for axis ``flip``.
    """
    if move.free(row) <= 0:
        return False
    mark = move.state()
    own = int(movers.coords[row][a])
    move.shift(row, {a: level})
    if flip is None:
        return True
    outcome = [int(v) for v in movers.coords[row][movers.k:]]
    outcome[flip - movers.k] = 1 - outcome[flip - movers.k]
    for other in movers.holders(a, level, outcome[0] * 2 + outcome[1]):
        if move.free(int(other)) > 0:
            move.shift(int(other), {a: own})
            return True
    move.reset(mark)
    return False


def withhold(tables: dict, relocated: Relocation, covered: set) -> None:
    """Withhold every cell a relocation changes; the items it protects join ``covered``."""
    for t_axes, flat in relocated.cells.items():
        tables[t_axes][1].flat[flat] = True
    for t_axes, flat in relocated.covered.items():
        covered.update((t_axes, tuple(int(c) for c in other))
                       for other in zip(*np.unravel_index(flat, tables[t_axes][0].shape)))


@dataclass
class _Context:
    movers: Movers
    hidden: np.ndarray   # the item's table, flat: withheld cells
    own: np.ndarray      # each populated cell's cell in the item's table
    strides: dict        # axis -> stride in the item's table
    n_diff: np.ndarray   # attributes on which each populated cell differs from the item


class _Move:
    """People of populated cells (rows) who change levels, and where they arrive.

    A person is either *moved* (``shift``: some of their levels change at once) or
    *lends* single levels (``lend``): a lender changes one level per attribute and may
    lend on several attributes, which keeps the number of people a move needs near what
    the counts allow (each attribute's own level holders, not one person per change).
    """

    def __init__(self, movers: Movers) -> None:
        self.movers = movers
        self.taken: dict = {}     # row -> people moved whole
        self.arrived: list = []   # their new finest coordinates
        self.lent: dict = {}      # row -> axis -> new levels, one per lender
        self.history: list = []   # what to undo

    def free(self, row: int) -> int:
        """People of ``row`` still untouched."""
        lent = max((len(v) for v in self.lent.get(row, {}).values()), default=0)
        return int(self.movers.count[row]) - self.taken.get(row, 0) - lent

    def can_lend(self, row: int, axis: int) -> bool:
        return int(self.movers.count[row]) - self.taken.get(row, 0) - len(self.lent.get(row, {}).get(axis, ())) > 0

    def shift(self, row: int, changes: dict) -> None:
        """One untouched person of ``row`` changes levels: ``changes`` maps axis -> new level."""
        self.taken[row] = self.taken.get(row, 0) + 1
        self.history.append(("shift", row, None))
        new = self.movers.coords[row].copy()
        for a, lv in changes.items():
            new[a] = lv
        self.arrived.append(new)

    def lend(self, row: int, axis: int, level: int) -> None:
        self.lent.setdefault(row, {}).setdefault(axis, []).append(level)
        self.history.append(("lend", row, axis))

    def state(self) -> tuple:
        """A mark to return to with :meth:`reset` (an undo log, not a copy)."""
        return len(self.history), len(self.arrived)

    def reset(self, state: tuple) -> None:
        while len(self.history) > state[0]:
            kind, row, axis = self.history.pop()
            if kind == "shift":
                self.taken[row] -= 1
            else:
                self.lent[row][axis].pop()
        del self.arrived[state[1]:]

    def delta(self) -> tuple:
        """Finest coordinates and signed changes of the move."""
        gone, signs, came = [], [], list(self.arrived)
        for row, n in self.taken.items():
            if n:
                gone.append(self.movers.coords[row])
                signs.append(-n)
        for row, by_axis in self.lent.items():
            # lender i changes level on every axis where it lent an i-th time
            for i in range(max((len(v) for v in by_axis.values()), default=0)):
                new = self.movers.coords[row].copy()
                for a, levels in by_axis.items():
                    if i < len(levels):
                        new[a] = levels[i]
                gone.append(self.movers.coords[row])
                signs.append(-1)
                came.append(new)
        ndim = len(self.movers.shape)
        coords = np.array(gone + came, dtype=np.int64).reshape(-1, ndim)
        return coords, np.concatenate([np.array(signs, np.int64), np.ones(len(came), np.int64)])


def _compensate(ctx: _Context, move: _Move, axis: int, level_from: int, level_to: int,
                outcome: int, forbid_diff: int, lend: bool) -> bool:
    """Change one other person of ``outcome`` from ``level_from`` to ``level_to`` on ``axis``.

    People whose number of differing attributes equals ``forbid_diff`` would enter or leave
    the item themselves and are skipped. With ``lend`` the person may also lend on other
    attributes (their changes all lead away from the item); otherwise they are moved whole.
    Prefers someone whose old and new cells in the item's table are withheld already.
    """
    stride = ctx.strides.get(axis, 0)
    best, best_score = -1, -1
    seen = 0
    for row in ctx.movers.holders(axis, level_from, outcome):
        if ctx.n_diff[row] == forbid_diff or not (move.can_lend(row, axis) if lend else move.free(row) > 0):
            continue
        old = ctx.own[row]
        score = int(ctx.hidden[old]) + int(ctx.hidden[old + (level_to - level_from) * stride])
        if score > best_score:
            best, best_score = int(row), score
        seen += 1
        if best_score == 2 or seen >= _LOOK:
            break
    if best < 0:
        return False
    if lend:
        move.lend(best, axis, level_to)
    else:
        move.shift(best, {axis: level_to})
    return True


def _move_out(ctx: _Context, inside: np.ndarray, attrs, target, x: int) -> _Move | None:
    """Every person of the item to a neighbouring combination (one attribute changed)."""
    movers = ctx.movers
    move = _Move(movers)
    shape = movers.shape
    position = {a: i for i, a in enumerate(attrs)}
    for row in inside:
        row = int(row)
        # neighbours whose cell in the item's table is withheld already first
        options = [(a, lv) for a, own_lv in zip(attrs, target) for lv in range(shape[a]) if lv != own_lv]
        there = ctx.own[row] + np.array([(lv - target[position[a]]) * ctx.strides[a] for a, lv in options])
        options = [options[i] for i in np.argsort(~ctx.hidden[there], kind="stable")]
        for _ in range(int(movers.count[row])):
            for a, lv in options[:_LOOK]:
                before = move.state()
                move.shift(row, {a: lv})
                # the person who takes the item's level must not land in the item
                if _compensate(ctx, move, a, lv, int(target[position[a]]), int(movers.outcome[row]),
                               forbid_diff=1, lend=False):
                    break
                move.reset(before)
            else:
                return None
    return move


def _move_in(ctx: _Context, fits: np.ndarray, attrs, target, needed: int) -> _Move | None:
    """``needed`` people of the item's outcome cells into the item, nearest combinations first."""
    movers = ctx.movers
    eligible = np.flatnonzero(fits & (ctx.n_diff > 0))
    if eligible.size == 0:
        return None
    # nearest first (fewest attributes to compensate), withheld groups before published ones
    key = ctx.n_diff[eligible] * 2 + ~ctx.hidden[ctx.own[eligible]]
    if eligible.size > _NEAREST:
        part = np.argpartition(key, _NEAREST - 1)[:_NEAREST]
        eligible, key = eligible[part], key[part]
    eligible = eligible[np.argsort(key, kind="stable")]
    move = _Move(movers)
    moved = 0
    for candidate in eligible:
        row = int(candidate)
        levels = movers.coords[row]
        changes = {a: int(t) for a, t in zip(attrs, target) if levels[a] != t}
        while moved < needed and move.free(row) > 0:
            before = move.state()
            move.shift(row, changes)
            # each level the person takes is given up by a lender who holds it
            if not all(_compensate(ctx, move, a, lv, int(levels[a]), int(movers.outcome[row]),
                                   forbid_diff=0, lend=True) for a, lv in changes.items()):
                move.reset(before)
                break
            moved += 1
        if moved >= needed:
            return move
    return None


def _changed_cells(movers: Movers, down: _Move, up: _Move, axes: tuple, cell: tuple, x: int,
                   min_cell: int) -> tuple | None:
    """Each table's cells that either move changes, and those both shift ``min_cell`` apart.

    None if the moves are not what they claim: each must leave every finest cell
    non-negative, ``down`` must take the item's ``x`` people out, ``up`` bring
    ``min_cell - x`` in, and neither may touch the grand totals.
    """
    n_tables = len(movers.tables)
    parts = []
    for move in (down, up):
        coords, signs = move.delta()
        # feasible: every finest cell keeps a non-negative count
        finest, where = np.unique(coords @ movers.finest_strides, return_inverse=True)
        if (movers.flat[finest] + np.bincount(where, weights=signs, minlength=len(finest)) < 0).any():
            return None
        parts.append(((coords @ movers.keys + movers.offsets[:-1]).reshape(-1), np.repeat(signs, n_tables)))
    keys = np.concatenate([parts[0][0], parts[1][0]])
    unique, inverse = np.unique(keys, return_inverse=True)
    n_down = len(parts[0][0])
    net_down = np.bincount(inverse[:n_down], weights=parts[0][1], minlength=len(unique))
    net_up = np.bincount(inverse[n_down:], weights=parts[1][1], minlength=len(unique))
    position = movers.tables.index(axes)
    item = int(np.dot(cell, movers.strides[axes])) + int(movers.offsets[position])
    at = np.searchsorted(unique, item)
    if at >= len(unique) or unique[at] != item or net_down[at] != -x or net_up[at] != min_cell - x:
        return None
    touched = (net_down != 0) | (net_up != 0)
    table_of = np.searchsorted(movers.offsets, unique, side="right") - 1
    if movers.totals[table_of[touched]].any():
        return None  # the grand totals are always published
    wide = net_up - net_down >= min_cell
    cells: dict = {}
    covered: dict = {}
    for out, chosen in ((cells, touched), (covered, wide)):
        for i in np.unique(table_of[chosen]):
            out[movers.tables[i]] = unique[chosen & (table_of == i)] - movers.offsets[i]
    return cells, covered
