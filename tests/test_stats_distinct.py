"""Tests of biasaudit._stats._distinct: evaluating once per distinct input changes no result."""

import numpy as np

from biasaudit._stats import _distinct
from biasaudit._stats._distinct import distinct_rows, on_distinct


def test_distinct_rows_round_trip_with_nan_and_many_columns():
    rng = np.random.default_rng(0)
    cols = [rng.integers(0, 4, 5000).astype(float) for _ in range(6)]
    cols[2][::7] = np.nan
    first, inverse = distinct_rows(cols)
    for c in cols:
        np.testing.assert_array_equal(c[first][inverse], c)  # NaN == NaN for assert_array_equal
    keys = {tuple(np.nan_to_num(np.array(row), nan=-1)) for row in zip(*cols)}
    assert first.size == len(keys)


def test_exact_codes_survive_key_overflow_and_collisions_fall_back_to_them(monkeypatch):
    # a hash that always collides forces the exact path; a tiny key limit forces its
    # re-compression branch that guards against int64 overflow
    monkeypatch.setattr(_distinct, "_hashed_rows", lambda columns: None)
    monkeypatch.setattr(_distinct, "_KEY_LIMIT", 50)
    rng = np.random.default_rng(1)
    cols = [rng.integers(0, 9, 3000).astype(float) for _ in range(4)]
    first, inverse = distinct_rows(cols)
    for c in cols:
        np.testing.assert_array_equal(c[first][inverse], c)
    assert first.size == len(set(zip(*(c.tolist() for c in cols))))


def test_a_hash_collision_is_detected(monkeypatch):
    cols = [np.arange(1000, dtype=float), np.zeros(1000)]
    real_unique = np.unique
    # every row gets the same hash: the check against each group's first row must notice
    monkeypatch.setattr(np, "unique", lambda a, **kw: real_unique(np.zeros_like(a), **kw))
    assert _distinct._hashed_rows(cols) is None
    monkeypatch.undo()
    first, inverse = distinct_rows(cols)
    assert first.size == 1000


def test_on_distinct_equals_direct_evaluation_with_tuple_outputs_and_broadcasting():
    rng = np.random.default_rng(2)
    x = rng.integers(0, 5, (40, 30)).astype(float)
    y = rng.integers(0, 3, (1, 30)).astype(float)
    calls = []

    def f(a, b):
        calls.append(a.size)
        return a * 10 + b, a - b

    s, d = on_distinct(f, x, y)
    np.testing.assert_array_equal(s, x * 10 + y)
    np.testing.assert_array_equal(d, x - y)
    assert s.shape == (40, 30) and calls == [15]  # 5 x 3 distinct pairs, evaluated once each
    small = on_distinct(np.add, [1.0, 1.0], 2.0)  # below the threshold: evaluated as is
    np.testing.assert_array_equal(small, [3.0, 3.0])
