"""Disclosure control of linked count tables: the threshold rule with secondary suppression.

Everything a report publishes about a group is a function of a few counts, its *items*:
its size, its counts by prediction (selection rate), by outcome (base rate), and its four
cells (TN, FP, FN, TP; the error rates and predictive values). Each item is a cell of a
marginal table of the finest count table, over a grouping's attributes plus none, one or
both of the outcome axes. All these tables are linked: they are sums of the same finest
table, so an attacker can combine every published item of every grouping, as a system
of linear equalities, to bound an unpublished one.

Rule (threshold rule, Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
chapters 4-5): an item with 1 to ``min_cell - 1`` people is sensitive (zero is not) and
is withheld. Secondary suppression then withholds more items so that, for every sensitive
item, the attacker's feasible interval (the minimum and maximum of the item over all
non-negative finest tables that agree with everything published) is at least
``min_cell`` wide.

How, for a finest table of up to ``_MAX_RESTORE_CELLS`` cells (most audits): every item
starts withheld and :func:`._disclosure_restore.restore` publishes items back, most
valuable first, each checked exactly by the attacker's linear program; the result is
minimal. For larger tables, where that many programs would be slow, each sensitive item
first gets moves of people that no published table it does not withhold can see
(:mod:`._disclosure_relocate`: between combinations of an intersection, each level change
compensated on its own attribute; between levels of one attribute, paired across an
outcome axis), which protects thousands of small groups in one pass; patterns are searched
only where they may withhold less, and for every other item, as follows.

How (the hypercube method of tau-ARGUS, Repsilber 1994, in Hundepool et al. 2012,
section 4.3): for each sensitive item we look for a perturbation of the finest table that
adds ``t`` to the item's cell on some axes and subtracts it on partner levels, in the
pattern ``(+1, -1) x (+1, -1) x ...`` over a set of paired axes. Such a pattern sums to
zero over any paired axis, so every table that leaves out a paired axis cannot see it;
the items it does change (in tables holding every paired axis) are withheld. The largest
``t`` up and down that keeps the table non-negative is read off the finest table, so each
sensitive item carries its own certificate: a feasible move that no published number
detects and that shifts the item over an interval of width at least ``min_cell``.
Withholding more items only enlarges the attacker's feasible set, so certificates found
early stay valid. Among the candidate patterns the cheapest is chosen (withholding items
of small groups, of intersections and of base-rate tables before sizes and selection
rates, and reference groups last). Finally, an item that equals a sum or difference of
published items is published too: it tells the attacker nothing new; and for finest
tables up to ``_MAX_EXACT_CELLS`` cells, restore() publishes back, from what the patterns
published, whatever the attacker's program allows within a bounded number of programs.

The grand totals (the number of rows and the overall four cells) are always published.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ._disclosure_check import MAX_CHECK_CELLS, frechet_width, interval_width
from ._disclosure_relocate import Movers, relocation, withhold
from ._disclosure_restore import restore

__all__ = ["Masks", "protect", "published"]

# Kinds of item: which outcome axes a table adds to a grouping's attributes.
_EXTS = ((), ("yt",), ("yp",), ("yt", "yp"))
# Cost of withholding one item, by kind: sizes and selection counts carry the most used
# figures (group sizes, selection rates, four-fifths rows), then the cells, then base rates.
_KIND_COST = {(): 8.0, ("yt",): 2.0, ("yp",): 6.0, ("yt", "yp"): 3.0}
_MAX_PAIRED = 4
_MAX_PARTNERS = 6
_MAX_COMBOS = 48
_MAX_TRIES = 80  # feasible candidate patterns costed per sensitive item
_MAX_SCANS = 600  # candidate patterns whose reach is checked per sensitive item
_MAX_FEASIBLE = 6  # of which feasible ones compared
_MAX_RESTORE_CELLS = 300  # finest tables up to this size: restore() alone
_MAX_EXACT_CELLS = 1000  # up to this size, restore() publishes back what the patterns withheld
_EXACT_PROGRAM_CELLS = 230_000  # programs x finest cells for that step (a program's time grows with both)
_TOTAL_TRIES = 2000  # costed patterns over all sensitive items
_TOTAL_SCANS = 15000  # checked patterns over all sensitive items


@dataclass(frozen=True)
class Masks:
    """What may be published about the groups of one grouping; True means publish.

    Groups are in C order over the grouping's attributes (the order given), every
    combination of levels included. ``size`` has shape (G,), ``outcome`` (G, 2) for the
    counts by observed outcome, ``prediction`` (G, 2) for the counts by prediction and
    ``cells`` (G, 2, 2) for the counts by [y_true, y_pred].
    """

    size: np.ndarray
    outcome: np.ndarray
    prediction: np.ndarray
    cells: np.ndarray

    @property
    def any(self) -> np.ndarray:
        """Groups with at least one published item."""
        return (self.size | self.outcome.any(axis=1) | self.prediction.any(axis=1)
                | self.cells.reshape(len(self.size), 4).any(axis=1))


def published(masks: Masks, *forms) -> np.ndarray:
    """Whether the counts ``(table * form).sum()`` of each group are all published.

    A form is a (2, 2) array of 0/1 over [y_true, y_pred], such as a metric's numerator
    or denominator. All ones is the size; a form constant along y_pred is a set of counts
    by outcome, constant along y_true a set of counts by prediction; any other form needs
    each of its cells.

    Examples
    --------
    >>> import numpy as np
    >>> m = protect(np.full((2, 2, 2), 20), [(0,)], min_cell=10)[0]
    >>> published(m, np.ones((2, 2)), np.array([[0, 1], [0, 1]])).tolist()
    [True, True]
    """
    out = np.ones(len(masks.size), dtype=bool)
    for form in forms:
        f = np.asarray(form) != 0
        if f.all():
            out &= masks.size
        elif (f == f[:, :1]).all():
            out &= masks.outcome[:, f[:, 0]].all(axis=1)
        elif (f == f[:1, :]).all():
            out &= masks.prediction[:, f[0, :]].all(axis=1)
        else:
            out &= masks.cells[:, f].all(axis=1)
    return out


def protect(counts, groupings, *, min_cell: int, keep=None) -> list[Masks]:
    """Items safe to publish for each grouping of a count table.

    Parameters
    ----------
    counts : array of int, shape (*levels, 2, 2)
        The finest table: people per combination of attribute levels, y_true and y_pred.
    groupings : sequence of tuple of int
        The published groupings, each a tuple of attribute axes (an attribute, or an
        intersection). Attributes in no grouping are summed out.
    min_cell : int
        Threshold: items with 1 to ``min_cell - 1`` people are sensitive.
    keep : sequence of array of bool, optional
        Per grouping, shape (G,): groups whose items to withhold only when nothing
        else protects (reference groups).

    Returns
    -------
    list of Masks
        One per grouping, in order.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.zeros((3, 2, 2), dtype=int)
    >>> t[:, 0, 0], t[:, 1, 1] = [40, 30, 3], [40, 30, 3]
    >>> [m.size.tolist() for m in protect(t, [(0,)], min_cell=10)]
    [[True, False, False]]
    """
    counts = np.asarray(counts, dtype=np.int64)
    k = counts.ndim - 2
    yt, yp = k, k + 1
    groupings = [tuple(int(a) for a in g) for g in groupings]
    keep = keep if keep is not None else [None] * len(groupings)
    ext_axes = {"yt": yt, "yp": yp}
    tables: dict = {}   # sorted axes -> [table, hidden mask, cost per item, kind]
    for g, kept in zip(groupings, keep):
        for ext in _EXTS:
            axes = tuple(sorted(set(g) | {ext_axes[e] for e in ext}))
            if axes in tables:
                continue
            others = tuple(a for a in range(k + 2) if a not in axes)
            table = counts.sum(axis=others)
            cost = _KIND_COST[ext] * (1.0 + np.sqrt(table)) * (10.0 if len(g) == 1 else 1.0)
            if kept is not None and np.any(kept):
                spare = np.transpose(np.asarray(kept, bool).reshape([counts.shape[a] for a in g]), np.argsort(g))
                spare = spare.reshape(spare.shape + (1,) * len(ext))
                cost = cost * np.where(spare, 20.0, 1.0)
            tables[axes] = [table, np.zeros(table.shape, bool), cost, ext]
    sensitive = {axes: (t[0] > 0) & (t[0] < min_cell) for axes, t in tables.items()}
    for ext in _EXTS:  # the grand totals: always published, never withheld
        axes = tuple(ext_axes[e] for e in ext)
        table = counts.sum(axis=tuple(a for a in range(k + 2) if a not in axes))
        tables[axes] = [table, np.zeros(table.shape, bool), np.zeros(table.shape), ext]
        sensitive[axes] = np.zeros(table.shape, bool)
    sizes = [counts.sum(axis=tuple(b for b in range(k + 2) if b != a)) for a in range(k + 2)]
    for axes, entry in tables.items():
        entry[1] |= sensitive[axes]
    if counts.size <= _MAX_RESTORE_CELLS:
        restore(counts, tables, sensitive, min_cell)
        return _masks(tables, groupings, ext_axes)
    # Coarse tables first: their items are the costliest to protect, and the finer
    # items' patterns can then reuse what is already withheld.
    # The search per item shrinks as items multiply, so the time stays bounded.
    n_sensitive = sum(int(v.sum()) for v in sensitive.values())
    tries = max(12, min(_MAX_TRIES, _TOTAL_TRIES // max(n_sensitive, 1)))
    scans = max(150, min(_MAX_SCANS, _TOTAL_SCANS // max(n_sensitive, 1)))
    movers = Movers(counts, tables)
    # Items that a relocation protects search for a cheaper pattern from one shared pool,
    # so thousands of small intersectional groups cost thousands of relocations, not
    # thousands of searches.
    pool = [_TOTAL_SCANS]
    covered: set = set()  # items the moves found for another item protect as well
    deferred = []  # intersections' items that nothing protected, checked at the end
    for axes in sorted(tables, key=lambda a: (-len(a), a)):
        if not sensitive[axes].any():
            continue
        for cell in zip(*np.nonzero(sensitive[axes])):
            cell = tuple(int(c) for c in cell)
            if (axes, cell) not in covered and _protect_item(counts, tables, sizes, axes, cell, min_cell, tries,
                                                             scans, movers=movers, pool=pool, covered=covered):
                deferred.append((axes, cell))
    for axes, cell in deferred:
        # withheld since, the attacker's interval can only have widened
        width = (interval_width(counts, tables, axes, cell) if counts.size <= MAX_CHECK_CELLS
                 else frechet_width(counts, tables, axes, cell))
        if width is None or width < min_cell - 1e-6:
            # not enough: search again (more is withheld now), the last resort if nothing
            _protect_item(counts, tables, sizes, axes, cell, min_cell, tries, scans, movers=movers, pool=pool,
                          defer=False)
    _publish_implied(tables, sensitive)
    if counts.size <= _MAX_EXACT_CELLS:
        # What the patterns withheld, published back where the attacker's program allows.
        restore(counts, tables, sensitive, min_cell, max_programs=_EXACT_PROGRAM_CELLS // counts.size,
                keep_published=True)
    return _masks(tables, groupings, ext_axes)


def _masks(tables, groupings, ext_axes):
    out = []
    for g in groupings:
        masks = []
        for ext in _EXTS:
            axes = tuple(sorted(set(g) | {ext_axes[e] for e in ext}))
            hidden = tables[axes][1]
            order = [axes.index(a) for a in g] + [axes.index(ext_axes[e]) for e in ext]
            masks.append(~np.transpose(hidden, order).reshape((-1,) + (2,) * len(ext)))
        out.append(Masks(size=masks[0], outcome=masks[1], prediction=masks[2], cells=masks[3]))
    return out


def _protect_item(counts, tables, sizes, axes, cell, min_cell, tries=_MAX_TRIES, scans=_MAX_SCANS, *,
                  movers=None, pool=None, covered=None, defer=True):
    """Withhold the items of the cheapest pattern (or set of patterns) that protects one sensitive item.

    With ``movers``, an item is first given moves of people (see :mod:`._disclosure_relocate`);
    patterns are then searched only if they may cost less, for an intersection's item with
    scans drawn from the shared ``pool``; the other items the moves protect are added to
    ``covered``. With ``defer``, an item of an intersection that nothing protects withholds
    the intersections holding its attributes and True is returned: protect() checks it once
    every item is protected. Otherwise False.
    """
    k = counts.ndim - 2
    relocated = relocation(movers, tables, axes, cell, min_cell) if movers is not None else None
    bound = np.inf
    shared = relocated is not None and sum(a < k for a in axes) > 1
    if relocated is not None:
        bound = relocated.cost
        # intersections may hold thousands of items: their searches share one pool; the
        # items of single attributes are few, and each keeps its own search
        scans = 0 if bound == 0 else min(scans, pool[0]) if shared else scans
        if shared:
            pool[0] -= scans
    best = None
    budget = tries
    attrs = [a for a in axes if a < k]
    feasible = 0
    partials = []
    candidates = _candidates(axes, cell, sizes, k, tables[axes][1]) if scans > 0 else ()
    for paired, partner, relabel, loose in candidates:
        scans -= 1
        found = _evaluate(counts, tables, axes, cell, partner, relabel, loose, min_cell,
                          bound if best is None else best[0])
        if found is not None and found[0] == "short":
            partials.append((found[1], partner, relabel, loose))
        elif found is not None:
            # Only patterns that move the item far enough are costed, and counted.
            budget -= 1
            feasible += 1
            if found[0] != "over" and (best is None or found[0] < best[0]):
                best = found
        if scans <= 0 or budget <= 0 or feasible >= _MAX_FEASIBLE or (best is not None and best[0] == 0):
            break
    if shared:
        pool[0] += max(scans, 0)  # unused scans go back
    if best is None and relocated is not None:
        withhold(tables, relocated, covered)
        return False
    masks = best[1] if best is not None else _combine(counts, tables, axes, cell, partials, min_cell)
    if masks is None:
        # No pattern moves the item far enough. An item of an intersection: withhold the
        # intersections that hold one of its attributes, and let protect() check it once
        # every other item is protected (by the attacker's program, or by Frechet bounds
        # for large tables). Otherwise, the last resort.
        if len(attrs) > 1 and defer:
            for t_axes, t in tables.items():
                if sum(a < k for a in t_axes) > 1 and any(a in t_axes for a in attrs):
                    t[1][...] = True
            return True
        _last_resort(tables, attrs)
        return False
    for t_axes, mask in masks:
        tables[t_axes][1] |= mask
    return False


def _last_resort(tables, attrs):
    """Withhold every item of every grouping that holds one of ``attrs``: only the other groupings bind."""
    for t_axes, t in tables.items():
        if any(a in t_axes for a in attrs):
            t[1][...] = True


def _combine(counts, tables, axes, cell, partials, min_cell):
    """Masks of several patterns that together move the item ``min_cell``, or None.

    Patterns whose odd corners (the cells they draw on when the item goes up) are
    disjoint can run at once, so their upward reaches add; downward, the item's own
    count bounds every pattern, so the best one counts.
    """
    partials.sort(key=lambda p: -p[0])
    drawn = np.zeros(counts.shape, bool)
    up = down = 0.0
    masks = []
    for _, partner, relabel, loose in partials[:_MAX_TRIES]:
        found = _evaluate(counts, tables, axes, cell, partner, relabel, loose, 0)
        if found is None or found[0] in ("short", "over"):
            continue
        _, pattern_masks, p_up, p_down, odd_cells = found
        if p_up <= 0 or (drawn & odd_cells).any():
            continue
        drawn |= odd_cells
        up += p_up
        down = max(down, p_down)
        masks += pattern_masks
        if up + down >= min_cell:
            return masks
    return None


def _candidates(axes, cell, sizes, k, hidden):
    """Patterns to try: paired axes, their partner levels, and an optional relabelling.

    A relabelling ``(axis, outcome levels)`` moves the partner side of one paired
    attribute to other outcome cells: people trade places between groups *and* cells,
    so the groups' sizes stay put where a plain hypercube would change them. The first
    round tries the likeliest partners of every set of paired axes, the second the rest,
    so a bounded search still sees every kind of pattern.
    """
    outcome = [a for a in axes if a >= k]
    # Two paired axes first: a pattern over one axis shows in every table that holds it
    # (the attribute's own groups), while two or more hide inside the finer tables.
    sizes_first = [n for n in (2, 3, 1, 4) if n <= min(len(axes), _MAX_PAIRED)]
    partners = {a: _partners(sizes[a], cell[i], hidden, i, cell) for i, a in enumerate(axes)}

    def plans():
        # built lazily: most searches stop after a few patterns
        for size in sizes_first:
            for paired in sorted(itertools.combinations(axes, size), key=lambda c: -sum(a < k for a in c)):
                p_attrs = [a for a in paired if a < k]
                if not p_attrs:
                    continue  # a pattern over outcome axes alone would change the grand totals
                rest = [a for a in outcome if a not in paired]
                relabels: list = [None]
                if len(p_attrs) >= 2 and rest:
                    own = tuple(cell[axes.index(a)] for a in rest)
                    relabels += [(star, dict(zip(rest, levels))) for star in p_attrs
                                 for levels in itertools.product((0, 1), repeat=len(rest)) if levels != own]
                yield paired, relabels

    seen = []
    for first, last, source in ((0, 2, None), (2, _MAX_COMBOS, seen)):
        for paired, relabels in (plans() if source is None else source):
            if source is None:
                seen.append((paired, relabels))
            combos = itertools.product(*(partners[a] for a in paired))
            for combo in itertools.islice(combos, first, last):
                for relabel in relabels:
                    yield paired, dict(zip(paired, combo)), relabel, False
                yield paired, dict(zip(paired, combo)), None, True


def _partners(sizes, level, hidden, pos, cell):
    """Candidate partner levels of one paired axis.

    Levels whose item is already withheld come first (a pattern through them may cost
    nothing), then the smallest levels with room to move people, then the rest: the
    largest groups (often the references, always the most read) are partners last.
    """
    def withheld(lv):
        return bool(hidden[cell[:pos] + (lv,) + cell[pos + 1:]])

    median = float(np.median(sizes))
    others = sorted((lv for lv in range(len(sizes)) if lv != level),
                    key=lambda lv: (not withheld(lv), sizes[lv] > median, sizes[lv]))
    return others[:_MAX_PARTNERS]


def _evaluate(counts, tables, axes, cell, partner, relabel, loose, min_cell, bound=np.inf):
    """(cost, withheld masks) of one pattern, or None if it cannot move the item ``min_cell`` (or costs ``bound``).

    The pattern adds ``t`` to its even corners and subtracts it from its odd corners; the
    item's own cell is an even corner, so ``t`` up is bounded by the odd corners' counts
    and ``t`` down by the even ones'. On the axes the item sums over, the move is spread
    over slices. Aligned, every corner uses the same weight in each slice, so a table
    holding those axes sees changes that cancel as on the paired axes. ``loose`` frees
    the attribute axes among them: each corner then draws on its whole block, and a
    table holding such an axis is withheld wherever a corner may change.
    """
    k = counts.ndim - 2
    paired = sorted(partner)
    free = [a for a in range(counts.ndim) if a not in axes]
    free_attr = [a for a in free if loose and a < k]
    if loose and not free_attr:
        return None
    aligned = [a for a in free if a not in free_attr]
    corners = []
    base = dict(zip(axes, cell))
    for bits in itertools.product((0, 1), repeat=len(paired)):
        coords = dict(base)
        for a, b in zip(paired, bits):
            if b:
                coords[a] = partner[a]
        if relabel is not None and bits[paired.index(relabel[0])]:
            coords.update(relabel[1])
        corners.append((sum(bits) % 2, coords))
    odd = np.array([par for par, _ in corners], bool)
    # Each corner's block over the free axes; summed over the loose ones.
    values = []
    everything = slice(None)
    indices = [tuple(c.get(a, everything) for a in range(counts.ndim)) for _, c in corners]
    loose_pos = tuple(i for i, a in enumerate(free) if a in free_attr)
    for index in indices:
        block = counts[index]
        values.append((block.sum(axis=loose_pos) if loose_pos else block).reshape(-1))
    values = np.stack(values)
    ups, downs = values[odd].min(axis=0), values[~odd].min(axis=0)
    gain = ups + downs
    if gain.sum() < min_cell:
        # Too short alone; ``min_cell`` 0 asks for the whole reach of a pattern.
        return ("short", float(ups.sum())) if ups.sum() > 0 else None
    # Use the fewest slices that suffice: fewer items of finer tables are touched.
    rank = np.argsort(-gain, kind="stable")
    n_used = int(np.searchsorted(np.cumsum(gain[rank]), min_cell) + 1) if min_cell else int((gain > 0).sum())
    used = np.zeros(gain.size, bool)
    used[rank[:n_used]] = True
    up, down = float(ups[used].sum()), float(downs[used].sum())
    used = used.reshape([counts.shape[a] for a in aligned])
    # Every finest cell a corner may change: its block, within the slices used; the
    # odd corners' are the cells drawn on when the item goes up.
    touched = np.zeros(counts.shape, bool)
    odd_cells = np.zeros(counts.shape, bool)
    lift = used.reshape([counts.shape[a] if a in aligned else 1 for a in free])
    for (par, _), index in zip(corners, indices):
        touched[index] |= np.broadcast_to(lift, touched[index].shape)
        if par:
            odd_cells[index] |= np.broadcast_to(lift, odd_cells[index].shape)
    rows = [tuple(c[a] for a in axes) for _, c in corners]  # each corner's levels on the item's axes
    cost = 0.0
    masks = []
    for t_axes, (table, hidden, item_cost, _) in tables.items():
        if cost >= bound:
            return ("over",)
        mask = np.zeros(table.shape, bool)
        if any(a in t_axes for a in free_attr):
            # No cancellation to rely on: every cell a corner may touch is withheld.
            mask = touched.any(axis=tuple(a for a in range(counts.ndim) if a not in t_axes))
        else:
            # Net change of each cell on the axes the pattern fixes; the aligned slices
            # factor out, since every corner uses the same weights.
            if any(a not in t_axes and (relabel is None or a != relabel[0]) for a in paired):
                continue  # corners cancel in pairs across a paired axis the table sums over
            fixed = [a for a in t_axes if a in axes]
            net: dict = {}
            pick = [axes.index(a) for a in fixed]
            for (par, _), row in zip(corners, rows):
                key = tuple([row[i] for i in pick])
                net[key] = net.get(key, 0) + (-1 if par else 1)
            keys = [key for key, v in net.items() if v]
            if not keys:
                continue
            drop = tuple(i for i, f in enumerate(aligned) if f not in t_axes)
            reach = used.any(axis=drop) if drop else used
            free_pos = [t_axes.index(f) for f in aligned if f in t_axes]
            view = np.moveaxis(mask, [t_axes.index(a) for a in fixed] + free_pos, range(len(t_axes)))
            for key in keys:
                view[key] = reach
        if not mask.any():
            continue
        if all(a >= k for a in t_axes):
            return None  # the grand totals are always published: a pattern may not touch them
        cost += float(item_cost[mask & ~hidden].sum())
        masks.append((t_axes, mask))
    return cost, masks, up, down, odd_cells


def _publish_implied(tables, sensitive):
    """Publish withheld items that equal a sum or difference of published items."""
    by_axes = sorted(tables, key=len)
    changed = True
    while changed:
        changed = False
        for coarse in by_axes:
            for fine in by_axes:
                extra = [a for a in fine if a not in coarse]
                if len(extra) != 1 or not all(a in fine for a in coarse):
                    continue
                pos = fine.index(extra[0])
                c_hidden, f_hidden = tables[coarse][1], tables[fine][1]
                f_moved = np.moveaxis(f_hidden, pos, -1)
                n_hidden_children = f_moved.sum(axis=-1)
                # A withheld total whose parts are all published.
                up = c_hidden & (n_hidden_children == 0) & ~sensitive[coarse]
                # A withheld part whose total and other parts are published.
                down = ~c_hidden & (n_hidden_children == 1)
                if up.any():
                    c_hidden &= ~up
                    changed = True
                if down.any():
                    fix = f_moved & down[..., None]
                    fix &= ~np.moveaxis(sensitive[fine], pos, -1)
                    if fix.any():
                        f_moved &= ~fix
                        changed = True
