"""Secondary suppression for small linked tables: withhold everything, publish back by value.

Used by :func:`._disclosure.protect` when the finest table is small (a few hundred cells,
as in most audits: COMPAS race by sex has 48). Every item that is not a grand total starts
withheld; the sensitive ones (1 to ``min_cell - 1`` people) stay so. The others are
published back one at a time, the most valuable first (large groups, marginal groups and
reference groups before small intersectional ones; sizes and selection counts before the
cells), and an item is published only if, with it, the attacker's linear program still
leaves every sensitive item an interval at least ``min_cell`` wide. The result is minimal:
no withheld item can be published on its own. Publishing only adds equalities, so an item
refused once would be refused at any later step; each item is tried once.

The check is exact, not a sufficient pattern. For each sensitive item ``s`` we keep two
witness tables ``u`` and ``d``: non-negative, agreeing with everything published, with
``s(u) - s(d) >= min_cell``. Their existence is the interval's width, so they are the
certificate. They are found by one linear program that also minimises, weighted by value,
how much they move the items still to be tried: the witnesses route around valuable items,
so publishing one usually leaves every witness valid (both agree with the true table on
it) and needs no new program. A sensitive item that cannot be protected even with all else
withheld (the grand totals pin it) keeps the width it has then: publishing never narrows it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["cell_numbers", "restore"]

_TOL = 1e-6
_MAX_POOL = 1500
_OPTIONS = {"presolve": False}  # small programs: presolving costs more than it saves
_LOOKAHEAD = 48  # items ahead whose change a witness pays for


def _trim(pool):
    # the true table (row 0) and the latest witnesses
    return pool if len(pool) <= _MAX_POOL else np.vstack([pool[:1], pool[-_MAX_POOL + 1:]])


def cell_numbers(shape, axes) -> np.ndarray:
    """For each finest cell (flat, C order), its cell in the table over ``axes`` (0 for no axes)."""
    grid = np.indices(shape).reshape(len(shape), -1)
    out = np.zeros(grid.shape[1], dtype=np.int64)
    for a in axes:
        out = out * shape[a] + grid[a]
    return out


def restore(counts, tables, sensitive, min_cell, *, max_programs=4000, keep_published=False) -> None:
    """Publish back withheld items of ``tables`` in place, most valuable first.

    ``tables`` maps sorted axes to ``[table, hidden mask, value per item, kind]``, as built
    by :func:`._disclosure.protect`; tables of outcome axes only are the grand totals and
    stay published. Items still untried when ``max_programs`` linear programs have run stay
    withheld (always safe), so the time is bounded. With ``keep_published`` the items not
    hidden on entry stay published (a protection found otherwise, whose every sensitive
    item keeps its interval) and only the hidden ones are tried.
    """
    from scipy import sparse  # imported when programs are solved (0.15 s): not every report needs them
    from scipy.optimize import linprog

    counts = np.asarray(counts)
    k = counts.ndim - 2
    x0 = counts.reshape(-1).astype(float)
    n = x0.size
    rows: list = []
    cols: list = []
    keys: list = []
    value_list: list = []
    state_list: list = []
    for axes, (table, hidden, value, _) in tables.items():
        flat = cell_numbers(counts.shape, axes)
        total = all(a >= k for a in axes)
        base = len(keys)
        rows.append(base + flat)
        cols.append(np.arange(n))
        for cell in np.ndindex(table.shape):
            keys.append((axes, cell))
            value_list.append(float(value[cell]))
            shown = total or (keep_published and not hidden[cell])
            state_list.append("pub" if shown else ("sens" if sensitive[axes][cell] else "todo"))
    m = sparse.csr_matrix((np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(keys), n))
    truth = m @ x0
    state: Any = np.array(state_list, dtype=object)
    values = np.asarray(value_list)
    values = values / max(values.max(initial=0.0), 1.0)
    budget = [max_programs]
    order = sorted(np.nonzero(state == "todo")[0], key=lambda i: (-values[i], i))
    cursor = [0]

    def solve(s, target, pub):
        """Two witness tables for sensitive item ``s`` (as item vectors), or None.

        Besides the cells of both witnesses, one variable pair per item among the next
        to be tried measures how far each witness moves it; their value-weighted sum is
        minimised, so the witnesses leave alone the items about to be tried.
        """
        todo = [i for i in order[cursor[0]:] if state[i] == "todo"][:_LOOKAHEAD]
        a, h = m[pub], m[todo]
        n_h = len(todo)
        eye = sparse.identity(n_h, format="csr")
        eq = sparse.bmat([[a, None, None, None], [None, a, None, None],
                          [h, None, sparse.hstack([-eye, eye]), None],
                          [None, h, None, sparse.hstack([-eye, eye])]], format="csr")
        if eq.shape[1] < 2 * n + 4 * n_h:  # no untried item: bmat drops the empty blocks
            eq = sparse.hstack([eq, sparse.csr_matrix((eq.shape[0], 2 * n + 4 * n_h - eq.shape[1]))], format="csr")
        b = np.concatenate([truth[pub], truth[pub], truth[todo], truth[todo]])
        row = m[s].toarray().ravel()
        ub = np.concatenate([-row, row, np.zeros(4 * n_h)])[None, :]
        w = values[todo]
        cost = np.concatenate([np.zeros(2 * n), w, w, w, w])
        budget[0] -= 1
        res = linprog(cost, A_ub=ub, b_ub=[-target], A_eq=eq, b_eq=b, bounds=(0, None), method="highs",
                      options=_OPTIONS)
        if res.status != 0:
            return None
        return m @ res.x[:n], m @ res.x[n:2 * n]

    def width(s, pub):
        a = m[pub]
        row = m[s].toarray().ravel()
        ends = []
        for sign in (1.0, -1.0):
            budget[0] -= 1
            res = linprog(sign * row, A_eq=a, b_eq=truth[pub], bounds=(0, None), method="highs", options=_OPTIONS)
            if res.status != 0:
                return 0.0
            ends.append(sign * res.fun)
        return ends[1] - ends[0]

    for t in np.nonzero(state == "todo")[0]:
        tables[keys[t][0]][1][keys[t][1]] = True
    pub: Any = state == "pub"
    # A pool of tables that agree with everything published (the true table first, then
    # the witnesses found): a sensitive item is protected while the pool spreads it over
    # ``min_cell``. One program's witnesses often protect other items too.
    pool_list = [truth]
    sens = np.nonzero(state == "sens")[0]
    targets = np.full(len(sens), float(min_cell) - _TOL)

    def uncovered(tables_):
        spread = tables_[:, sens].max(axis=0) - tables_[:, sens].min(axis=0)
        return np.nonzero(spread < targets)[0]

    def cover(tables_, pub_):
        """Witnesses for the items ``tables_`` leaves uncovered; None if one has none."""
        found = []
        for j in uncovered(tables_):
            if found and np.ptp(np.concatenate([tables_[:, sens[j]], [f[sens[j]] for f in found]])) >= targets[j]:
                continue
            pair = solve(sens[j], targets[j] + _TOL, pub_) if budget[0] > 0 else None
            if pair is None:
                return None, found
            found += pair
        return found, found

    for j in uncovered(np.array(pool_list)):
        if np.ptp([p[sens[j]] for p in pool_list]) >= targets[j]:
            continue
        if keep_published and budget[0] <= 0:
            return  # what was published on entry stays; nothing more is tried
        pair = solve(sens[j], float(min_cell), pub)
        if pair is None:
            # The grand totals alone pin it: keep the width it has with all else withheld.
            targets[j] = width(sens[j], pub) - 2 * _TOL
            pair = solve(sens[j], targets[j], pub) if targets[j] > 0 else None
            if pair is None:
                targets[j] = -np.inf  # nothing left to protect
                continue
        pool_list += pair
    pool = np.array(pool_list)
    for cursor[0], i in enumerate(order):
        if budget[0] <= 0:
            break
        valid = np.abs(pool[:, i] - truth[i]) <= _TOL
        state[i] = "trial"
        trial = pub.copy()
        trial[i] = True
        ok, found = cover(pool[valid], trial)
        # Witnesses found with the item published hold without it too.
        if ok is None:
            state[i] = "kept"
            if found:
                pool = _trim(np.vstack([pool] + found))
            continue
        state[i] = "pub"
        pub = trial
        pool = _trim(np.vstack([pool[valid]] + found))
        tables[keys[i][0]][1][keys[i][1]] = False
