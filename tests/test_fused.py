"""The compiled counter of binned score tables against the numpy kernel and a naive recount.

In CI the extension must be built (a broken build is a failure, not a skip); elsewhere these
tests skip when no compiler built it.
"""

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit as ba
from biasaudit._encoding import encode_attribute
from biasaudit._tables import _fused
from biasaudit._tables._score import count_scores

CI = os.environ.get("CI", "").lower() == "true"


def test_built_in_ci():
    if CI:
        assert _fused.AVAILABLE, "the C extension biasaudit._tables._fused_scores was not built"
    elif not _fused.AVAILABLE:
        pytest.skip("no C compiler built biasaudit._tables._fused_scores here")


needs_extension = pytest.mark.skipif(not _fused.AVAILABLE and not CI, reason="extension not built")


def _both(monkeypatch, *args, **kwargs):
    """The same table counted by the compiled loop and by the numpy kernel (which must not see it)."""
    calls = []
    real = _fused._fused_scores.count

    def spy(*a):
        calls.append(len(a[2]))
        return real(*a)

    monkeypatch.setattr(_fused._fused_scores, "count", spy)
    compiled = count_scores(*args, **kwargs)
    monkeypatch.setattr(_fused, "ENABLED", False)
    plain = count_scores(*args, **kwargs)
    monkeypatch.setattr(_fused, "ENABLED", True)
    return compiled, plain, sum(calls)


def _same(compiled, plain):
    assert compiled.sums.keys() == plain.sums.keys()
    assert compiled.cell_axes == plain.cell_axes and compiled.levels == plain.levels
    np.testing.assert_array_equal(compiled.rows, plain.rows)
    for name in plain.sums:
        np.testing.assert_allclose(compiled.sums[name], plain.sums[name], rtol=1e-12, atol=1e-9, err_msg=name)


def _data(n, seed=0):
    rng = np.random.default_rng(seed)
    sex = pd.Series(rng.choice(["f", "m", None], n, p=[0.45, 0.45, 0.1]))
    race = pd.Series(rng.choice(list("abcd"), n))
    y = rng.integers(0, 2, n).astype(np.int8)
    score = rng.random(n)
    score[:3] = [0.0, 1.0, 0.5]  # both ends and a bin edge
    return sex, race, y, score, rng.gamma(2.0, 1.0, n)


@needs_extension
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("attributes", [1, 2])
@pytest.mark.parametrize("wide", [False, True])
@pytest.mark.parametrize("fingerprint", [False, True])
def test_same_table_as_the_numpy_kernel(monkeypatch, weighted, attributes, wide, fingerprint):
    sex, race, y, score, w = _data(50_000)
    if wide:  # scores outside [0, 1]: bins over [min, max], the maximum in the last bin
        score = score * 7.0 - 2.0
    encoded = [encode_attribute(sex, "sex"), encode_attribute(race, "race")][:attributes]
    compiled, plain, rows = _both(monkeypatch, encoded, y, score, weight=w if weighted else None,
                                  score_bins=300, fingerprint=fingerprint)
    _same(compiled, plain)
    # weighted rows that are fingerprinted need the weights' hash chunks: numpy counts them
    assert rows == (0 if weighted and fingerprint else len(y))
    if fingerprint:
        assert compiled.fingerprint == plain.fingerprint
        assert compiled.fingerprint.hexdigest == plain.fingerprint.hexdigest


@needs_extension
def test_against_a_naive_recount(monkeypatch):
    """Counts and sums per (sex, y, bin) recounted row by row with np.add.at and np.floor."""
    sex, _, y, score, w = _data(20_000, seed=3)
    table = count_scores([encode_attribute(sex, "sex")], y, score, weight=w, score_bins=40)
    codes = sex.map({"f": 0, "m": 1}).fillna(2).to_numpy(int)  # missing last
    bins = np.minimum(np.floor(score * 40).astype(int), 39)
    rows, ws = np.zeros((3, 2, 40), int), np.zeros((3, 2, 40))
    np.add.at(rows, (codes, y, bins), 1)
    np.add.at(ws, (codes, y, bins), w * score)
    np.testing.assert_array_equal(table.rows, rows)
    np.testing.assert_allclose(table.sums["w_score"], ws, rtol=1e-12)
    assert table.rows.sum() == len(y) and table.rows[:, :, -1].sum() == (bins == 39).sum()


@needs_extension
def test_many_levels_and_missing_codes(monkeypatch):
    """300 levels with missing values (codes of 16 and 32 bits too); exact mode stays with numpy."""
    rng = np.random.default_rng(5)
    n = 30_000
    district = pd.Series(rng.integers(0, 300, n).astype(str)).where(rng.random(n) > 0.05)
    y, score = rng.integers(0, 2, n), rng.random(n)
    encoded = [encode_attribute(district, "district")]
    for codes in (encoded[0].codes, encoded[0].codes.astype(np.int16), encoded[0].codes.astype(np.int32)):
        encoded = [encoded[0]._replace(codes=codes)]
        compiled, plain, rows = _both(monkeypatch, encoded, y, score, score_bins=64)
        _same(compiled, plain)
        assert rows == n
    compiled, plain, rows = _both(monkeypatch, encoded, y, np.round(score, 2), score_bins="exact")
    _same(compiled, plain)
    assert rows == 0


@needs_extension
@pytest.mark.parametrize("wide", [False, True])
def test_thresholds_split_the_bins_as_a_binary_search_does(monkeypatch, wide):
    """Scores on and one ulp around every edge, fixed-width and added: the loop's bins (from the
    fixed-width bin, a step or two along the edges) equal np.searchsorted's."""
    rng = np.random.default_rng(8)
    bins, thresholds = 50, [0.3333, 0.5, 0.50001, 0.50002, 0.977]
    lo, hi = (0.0, 1.0) if not wide else (-3.0, 5.0)
    grid = lo + (hi - lo) * np.arange(bins) / bins
    points = np.concatenate([grid, thresholds])
    score = np.concatenate([points, np.nextafter(points, -np.inf), np.nextafter(points, np.inf),
                            rng.uniform(lo, hi, 20_000), [lo, hi]])
    score = np.clip(score, lo, hi)
    n = len(score)
    group = pd.Series(rng.choice(["a", "b"], n))
    y = rng.integers(0, 2, n)
    encoded = [encode_attribute(group, "g")]
    compiled, plain, rows = _both(monkeypatch, encoded, y, score, score_bins=bins, thresholds=thresholds)
    _same(compiled, plain)
    assert rows == n  # counted by the loop
    edges = np.asarray(compiled.score_levels)
    assert len(edges) == bins + len([t for t in thresholds if t not in grid and lo < t < hi])
    want = np.maximum(np.searchsorted(edges, score, side="right") - 1, 0)
    np.testing.assert_array_equal(compiled.rows.sum(axis=(0, 1)), np.bincount(want, minlength=len(edges)))


@needs_extension
@settings(max_examples=40, deadline=None)
@given(st.integers(1, 400), st.integers(0, 2**32 - 1), st.integers(2, 50), st.booleans())
def test_property_same_table(n, seed, bins, constant):
    rng = np.random.default_rng(seed)
    group = pd.Series(rng.choice(["x", "y", "z"], n))
    y = rng.integers(0, 2, n)
    score = np.full(n, 0.3) if constant else rng.normal(0.0, 3.0, n)
    encoded = [encode_attribute(group, "g")]
    compiled = count_scores(encoded, y, score, score_bins=bins)
    _fused.ENABLED = False
    try:
        plain = count_scores(encoded, y, score, score_bins=bins)
    finally:
        _fused.ENABLED = True
    _same(compiled, plain)


@needs_extension
def test_the_loop_refuses_bad_input():
    count = _fused._fused_scores.count
    rows, s1, s2 = np.zeros(8, np.int64), np.zeros(8), np.zeros(8)
    g, y, s = np.array([0, 5], np.int8), np.array([0, 1], np.int8), np.array([0.1, 0.9])

    def call(groups=g, ys=y, score=s, weight=None, lo=0.0, edges=None, first=None):
        return count(groups, 0, ys, score, weight, lo, 2.0, 2, edges, first, rows, None, None, s1, s2)

    with pytest.raises(IndexError, match="outside the tables"):  # group 5 of a 2 x 2 x 2 table
        call()
    with pytest.raises(IndexError, match="outside the tables"):  # a score below the bins' lower end
        call(groups=np.array([0, 1], np.int8), lo=2.0)
    with pytest.raises(TypeError, match="`score` must have items of 8 bytes"):
        call(score=s.astype(np.float32))
    with pytest.raises(ValueError, match="`y` must have 2 items; got 1"):
        call(ys=y[:1])
    with pytest.raises(TypeError, match="`groups` must have items of 1, 2, 4 or 8 bytes; got 3"):
        call(groups=np.array([b"abc", b"def"]))
    with pytest.raises(TypeError, match="`weight_sum` must be an array here; got None"):  # weights, no tables
        call(weight=s)
    with pytest.raises(TypeError, match="`first` must be an array here; got None"):  # edges without lookup
        call(edges=np.array([0.0, 0.5]))
    with pytest.raises(ValueError, match=r"`first` must hold bins in \[0, 2\); got 7 at 1"):
        call(groups=np.array([0, 1], np.int8), edges=np.array([0.0, 0.5]), first=np.array([0, 7]))


@needs_extension
def test_audit_figures_equal_with_and_without(monkeypatch):
    rng = np.random.default_rng(11)
    n = 40_000
    data = pd.DataFrame({"sex": rng.choice(["f", "m"], n), "y": rng.integers(0, 2, n)})
    data["p"] = 1.0 / (1.0 + np.exp(-(rng.normal(0, 1, n) + data["y"] - 0.3 * (data["sex"] == "f"))))
    kwargs = dict(y_true="y", y_score="p", protected="sex", score_bins=1000, threshold=0.5)
    compiled = ba.audit(data, **kwargs)
    monkeypatch.setattr(_fused, "ENABLED", False)
    plain = ba.audit(data, **kwargs)
    pd.testing.assert_frame_equal(compiled.group_metrics, plain.group_metrics, rtol=1e-10)
    pd.testing.assert_frame_equal(compiled.disparities, plain.disparities, rtol=1e-9)
