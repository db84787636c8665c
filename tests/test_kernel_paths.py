"""The kernel's faster paths equal the plain computations they replace.

Scatter-add and per-block bincount give the same tables; the fingerprint over non-empty
cells equals the one over every cell; codes computed block by block equal the arrays;
groups listed without their empty combinations are the same groups; many groups too small
to assess raise one warning.
"""

import multiprocessing
import threading
import warnings
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit as ba
from biasaudit._tables._fingerprint import LANES, Fingerprint, cell_lanes, cell_lanes_at
from biasaudit._tables import _fused, _kernel
from biasaudit._tables._kernel import AxisCodes, count_cells
from biasaudit._tables._moment import bin_codes
from biasaudit._tables._score import bin_scores


def _naive(codes, sizes, values):
    """Row by row: the count and the sum of ``values`` of every cell."""
    rows = np.zeros(sizes, dtype=np.int64)
    sums = np.zeros(sizes)
    for i in range(len(values)):
        cell = tuple(int(c[i]) if c[i] >= 0 else sizes[k] - 1 for k, c in enumerate(codes))
        rows[cell] += 1
        sums[cell] += values[i]
    return rows, sums


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=3), st.integers(0, 300), st.integers(1, 64),
       st.randoms(use_true_random=False))
def test_scatter_add_and_bincount_paths_equal_a_loop(sizes, n, block, rnd):
    rng = np.random.default_rng(rnd.randint(0, 2**32 - 1))
    sizes = [s + 1 for s in sizes]  # the last level of the first axis holds missing codes
    codes = [rng.integers(0, s, n) for s in sizes]
    codes[0] = np.where(codes[0] == sizes[0] - 1, -1, codes[0])
    values = rng.normal(size=n)
    axes = [AxisCodes(codes[0], sizes[0], True)] + [AxisCodes(c, s) for c, s in zip(codes[1:], sizes[1:])]
    want_rows, want_sums = _naive(codes, tuple(sizes), values)
    # The path: a table of at most block/8 cells is counted by a bincount per block; a larger
    # one by a bincount per block of at least LARGE_BLOCK_ROWS rows while it has at most
    # SCATTER_CELLS cells, else by the scatter-add; bincounts of more than one block share
    # the sums with a helper thread. Shrinking both reaches every path.
    for large in (_kernel.LARGE_BLOCK_ROWS, 4, 1):
        for block_rows in (block, 8 * int(np.prod(sizes)), 4096):
            with mock.patch.object(_kernel, "LARGE_BLOCK_ROWS", large), \
                    mock.patch.object(_kernel, "SCATTER_CELLS", 2 * large):
                got = count_cells(axes, n, {"v": lambda a, b: values[a:b]}, block_rows=block_rows)
            np.testing.assert_array_equal(got["rows"], want_rows)
            np.testing.assert_allclose(got["v"], want_sums, rtol=1e-12, atol=1e-12)


def test_each_table_size_takes_its_summing_path(monkeypatch):
    # Which path a table takes (the test above checks that every path counts right): the
    # scatter-add must be reached there, or that equality would not cover it.
    calls = []

    def spy(table, idx, values):
        calls.append(table.size)
        np.add.at(table, idx, values)

    monkeypatch.setattr(_kernel, "_scatter_add", spy)
    codes = np.arange(1000) % 100
    count_cells([AxisCodes(codes, 100)], 1000, block_rows=4096)  # 800 <= 4096: bincount
    monkeypatch.setattr(_kernel, "LARGE_BLOCK_ROWS", 64)
    monkeypatch.setattr(_kernel, "SCATTER_CELLS", 128)
    count_cells([AxisCodes(codes, 100)], 1000, block_rows=256)  # 100 <= 128 cells: bincount per 256 rows
    assert calls == []
    monkeypatch.setattr(_kernel, "SCATTER_CELLS", 32)
    got = count_cells([AxisCodes(codes, 100)], 1000, block_rows=256)  # 100 > 32 cells: scatter-add
    assert calls == [100] * 4 and got["rows"].tolist() == [10] * 100  # rows of 4 blocks of 256


def _full_digest(axes, rows, chunks=None):
    """The fingerprint's definition over every cell, empty ones included."""
    a, b = cell_lanes(axes)
    with np.errstate(over="ignore"):
        total = (rows.astype(np.uint64)[..., None] * a).reshape(-1, LANES).sum(axis=0, dtype=np.uint64)
        if chunks is not None:
            g = chunks[0].astype(np.uint64) + (chunks[1].astype(np.uint64) << np.uint64(32))
            total = total + (g[..., None] * b).reshape(-1, LANES).sum(axis=0, dtype=np.uint64)
    return tuple(int(x) for x in total)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.floats(0.0, 1.0), st.booleans(),
       st.randoms(use_true_random=False))
def test_fingerprint_of_nonempty_cells_equals_the_full_definition(sizes, density, weighted, rnd):
    rng = np.random.default_rng(rnd.randint(0, 2**32 - 1))
    axes = [(f"ax{k}", tuple(range(s)) if k % 2 else tuple(f"l{i}" for i in range(s)),
             (f"l{s - 1}" if k == 0 else None)) for k, s in enumerate(sizes)]
    shape = tuple(sizes)
    rows = rng.integers(1, 4, shape) * (rng.random(shape) < density)
    chunks = [rng.integers(0, 2**32, shape).astype(np.float64) * (rows > 0) for _ in range(2)]
    fp = Fingerprint.of_table(axes, rows, chunks if weighted else None, weighted=weighted)
    assert fp.lanes == _full_digest(axes, rows, chunks if weighted else None)
    index = np.nonzero(rows)
    a_at, _ = cell_lanes_at(axes, index)
    np.testing.assert_array_equal(a_at, cell_lanes(axes)[0][index])


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 300), st.lists(st.floats(-0.5, 1.5), max_size=12), st.booleans(), st.integers(0, 2**32 - 1))
def test_bins_split_at_thresholds_equal_a_binary_search(n_bins, thresholds, wide, seed):
    """Stepping from the fixed-width bin along the edges (and the binary search it falls back to
    with many thresholds in one bin) gives np.searchsorted's bins, scores on and one ulp around
    every edge included."""
    rng = np.random.default_rng(seed)
    lo, hi = (0.0, 1.0) if not wide else (-0.5, 1.5)
    thresholds = thresholds + [0.25 + 1e-9 * k for k in range(6)] if seed % 3 == 0 else thresholds
    grid = lo + (hi - lo) * np.arange(n_bins) / n_bins
    points = np.concatenate([grid, thresholds, [lo, hi]])
    score = np.clip(np.concatenate([points, np.nextafter(points, -np.inf), np.nextafter(points, np.inf),
                                    rng.uniform(lo, hi, 500)]), lo, hi)
    name, levels, codes = bin_scores(score, score_bins=n_bins, thresholds=thresholds)
    edges = np.asarray(levels)
    if len(edges) == n_bins:
        return  # no threshold inside (lo, hi) off the grid: fixed-width bins, tested below
    want = np.maximum(np.searchsorted(edges, score, side="right") - 1, 0)
    np.testing.assert_array_equal(codes, want)


def test_codes_per_block_equal_the_arrays():
    rng = np.random.default_rng(3)
    score = rng.random(10_000)
    name, levels, codes = bin_scores(score, score_bins=250)
    _, levels_lazy, lazy = bin_scores(score, score_bins=250, lazy=True)
    assert levels_lazy == levels and len(lazy) == score.size
    np.testing.assert_array_equal(np.concatenate([lazy[i:i + 999].copy() for i in range(0, score.size, 999)]),
                                  codes)
    np.testing.assert_array_equal(codes, np.minimum((score * 250).astype(np.intp), 249))
    y = rng.normal(size=10_000) * 3
    edges = np.linspace(-2.0, 2.0, 11)[1:-1]
    lazy = bin_codes(y, edges, lazy=True)
    np.testing.assert_array_equal(lazy[0:y.size], np.searchsorted(edges, y, side="right"))


def test_groups_with_rows_only_are_the_nonempty_groups():
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"a": rng.integers(0, 6, 40), "b": rng.integers(0, 7, 40), "c": rng.integers(0, 3, 40)})
    c = ba.group_counts(y_true=rng.integers(0, 2, 40), y_pred=rng.integers(0, 2, 40), group=frame)
    for attrs in (["a"], ["a", "b"], ["c", "a", "b"]):
        labels, missing, sums = c.group_sums(attrs)
        keep = sums["rows"].reshape(len(labels), -1).sum(axis=1) > 0
        got_labels, got_missing, got_sums = c.group_sums(attrs, nonempty=True)
        assert got_labels == [lab for lab, k in zip(labels, keep) if k]
        np.testing.assert_array_equal(got_missing, missing[keep])
        for name in sums:
            np.testing.assert_array_equal(got_sums[name], sums[name][keep])
    assert keep.sum() < keep.size  # some combinations are empty, so the filter was exercised


def test_many_small_groups_warn_once_with_the_counts():
    rng = np.random.default_rng(5)
    n = 3000
    frame = pd.DataFrame({f"a{i}": rng.integers(0, 8, n) for i in range(5)})
    frame["y"], frame["p"] = rng.integers(0, 2, n), rng.integers(0, 2, n)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = ba.audit(frame, y_true="y", y_pred="p", protected=[f"a{i}" for i in range(5)])
    many = [w for w in caught if issubclass(w.category, ba.ManyGroupsWarning)]
    assert len(many) == 1
    n_groups = int((r.counts.rows.reshape(-1, 4).sum(axis=1) > 0).sum())
    assert f"{n_groups:,} groups with rows" in str(many[0].message)
    assert "min_group_size=30" in str(many[0].message)


def test_few_groups_do_not_warn():
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"a": rng.integers(0, 4, 2000), "b": rng.integers(0, 3, 2000)})
    with warnings.catch_warnings():
        warnings.simplefilter("error", ba.ManyGroupsWarning)
        r = ba.audit(y_true=rng.integers(0, 2, 2000), y_pred=rng.integers(0, 2, 2000), protected=frame)
    assert len(r.group_metrics) > 0


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("compiled", [True, False])
def test_many_cell_score_table_equals_a_loop(weighted, compiled, monkeypatch):
    monkeypatch.setattr(_fused, "ENABLED", compiled)  # the C loop where built, and the numpy kernel
    rng = np.random.default_rng(7)
    n = 3000
    g = rng.integers(0, 5, n)
    y = rng.integers(0, 2, n)
    s = rng.random(n)
    w = rng.uniform(0.5, 2.0, n) if weighted else None
    t = ba.audit(y_true=y, y_score=s, protected={"g": g}, score_bins=1000, sample_weight=w,
                 metrics=["roc_auc"]).counts
    assert t.mode == "binned" and t.shape == (5, 2, 1000)
    bins = np.minimum((s * 1000).astype(np.intp), 999)
    ww = np.ones(n) if w is None else w
    for name, v in (("weight", ww), ("w_score", ww * s), ("w_score_sq", ww * s * s)):
        want = np.zeros((5, 2, 1000))
        np.add.at(want, (g, y, bins), v)
        np.testing.assert_allclose(t.sums[name], want, rtol=1e-12, atol=1e-12)
    want_rows = np.zeros((5, 2, 1000), dtype=np.int64)
    np.add.at(want_rows, (g, y, bins), 1)
    np.testing.assert_array_equal(t.rows, want_rows)


def _with_and_without_helper(monkeypatch, count):
    """``count()``'s tables without and with the helper thread, checking which threads summed."""
    threads = []
    real = _kernel._add_block
    monkeypatch.setattr(_kernel, "_add_block", lambda *a: (threads.append(threading.current_thread()),
                                                           real(*a))[1])
    tables = {}
    for helpers in (0, 1):
        monkeypatch.setattr(_kernel, "HELPER_THREADS", helpers)
        threads.clear()
        tables[helpers] = count()
        assert len(set(threads)) == 1 + helpers
    return tables


@pytest.mark.parametrize("weight", [None, "w"])
def test_the_helper_thread_gives_the_callers_tables_bit_for_bit(monkeypatch, weight):
    # A regression audit: per-block quantities written into a scratch buffer per thread, and
    # (weighted) the fingerprint's exact chunk sums that share one computation per block.
    rng = np.random.default_rng(7)
    n = 8 * _kernel.BLOCK_ROWS + 123
    y = rng.normal(40, 10, n)
    frame = pd.DataFrame({"y": y, "p": y + rng.normal(0, 5, n), "w": rng.uniform(0.5, 2.0, n),
                          "g": rng.choice(["a", "b", "c"], n)})
    tables = _with_and_without_helper(monkeypatch, lambda: ba.audit(
        frame, y_true="y", y_pred="p", protected="g", sample_weight=weight, task="regression").counts)
    assert tables[0].fingerprint == tables[1].fingerprint
    for name in tables[0].sums:
        np.testing.assert_array_equal(tables[1].sums[name], tables[0].sums[name])


def test_a_large_score_table_shares_its_sums_with_the_helper_bit_for_bit(monkeypatch):
    # 20,000 cells take a bincount per block, not the scatter-add, and from SHARED_LARGE_ROWS
    # rows the helper thread sums some of the quantities (the numpy kernel's path: the
    # compiled counter, which would count this table, is set aside; tests/test_fused.py).
    monkeypatch.setattr(_fused, "ENABLED", False)
    monkeypatch.setattr(_kernel, "SHARED_LARGE_ROWS", 1 << 18)
    rng = np.random.default_rng(11)
    n = 2 * _kernel.LARGE_BLOCK_ROWS + _kernel.LARGE_BLOCK_ROWS // 2 + 123
    g, y, s = rng.integers(0, 5, n), rng.integers(0, 2, n), rng.random(n)
    tables = _with_and_without_helper(monkeypatch, lambda: ba.audit(
        y_true=y, y_score=s, protected={"g": g}, score_bins=2000, metrics=["roc_auc"]).counts)
    for name in tables[0].sums:
        np.testing.assert_array_equal(tables[1].sums[name], tables[0].sums[name])
    bins = np.minimum((s * 2000).astype(np.intp), 1999)
    want = np.zeros((5, 2, 2000))
    np.add.at(want, (g, y, bins), s * s)
    np.testing.assert_allclose(tables[1].sums["w_score_sq"], want, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(tables[1].rows, np.bincount((g * 2 + y) * 2000 + bins, minlength=20000)
                                  .reshape(5, 2, 2000))


def test_a_forked_child_counts_without_the_parents_helper_thread(monkeypatch):
    monkeypatch.setattr(_kernel, "HELPER_THREADS", 1)
    codes = np.arange(4 * _kernel.BLOCK_ROWS) % 7
    values = np.arange(codes.size, dtype=np.float64)
    want = count_cells([AxisCodes(codes, 7)], codes.size, {"v": lambda a, b: values[a:b]})["v"]
    assert _kernel._POOL  # the parent has started its helper
    with multiprocessing.get_context("fork").Pool(1) as pool:
        got = pool.apply_async(_count_in_child, (codes, values)).get(timeout=60)
    np.testing.assert_array_equal(got, want)


def _count_in_child(codes, values):
    return count_cells([AxisCodes(codes, 7)], codes.size, {"v": lambda a, b: values[a:b]})["v"]
