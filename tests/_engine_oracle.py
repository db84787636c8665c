"""A naive recount (a dict over rows, one row at a time) that every engine is checked against,
and the test data shared by the engine tests."""

from __future__ import annotations

import importlib
import math
import os

import pytest

ATTRS = ["g", "h"]
CELLS = {"y_true": ("equals", "y", 1), "y_pred": ("column", "p"), "bin": ("bin", "s", [0.0, 0.25, 0.5, 1.0])}
SUMS = {"w_score": ("weighted", "s"), "w_score_sq": ("weighted_sq", "s")}
SUM_NAMES = ["rows", "weight", "weight_sq", "w_score", "w_score_sq"]
#: the keyword arguments every engine's counter is called with in the tests
KW = dict(attributes=ATTRS, cells=CELLS, weight="w", sums=SUMS)


def require_engine(module: str):
    """Import an engine's library; missing, the test is skipped, or fails under CI=true."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"engine library {module!r} is missing in CI: {exc}")
        pytest.skip(f"{module} not installed")


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def naive_long(rows: list[dict], *, attributes=ATTRS, cells=CELLS, weight="w", sums=SUMS) -> dict:
    """{key tuple: [rows, weight, weight_sq, *sums]} counted one row at a time."""
    out = {}
    for r in rows:
        key = [None if _missing(r[a]) else r[a] for a in attributes]
        for spec in cells.values():
            if spec[0] == "equals":
                key.append(int(r[spec[1]] == spec[2]))
            elif spec[0] == "column":
                key.append(int(r[spec[1]]))
            else:
                x, edges = r[spec[1]], spec[2]
                k = 0
                while k < len(edges) - 2 and x >= edges[k + 1]:
                    k += 1
                key.append(k)
        w = 1.0 if weight is None else float(r[weight])
        acc = out.setdefault(tuple(key), [0, 0.0, 0.0] + [0.0] * len(sums))
        acc[0] += 1
        acc[1] += w
        acc[2] += w * w
        for i, (kind, col) in enumerate(sums.values()):
            x = float(r[col])
            acc[3 + i] += w * (x if kind == "weighted" else x * x)
    return out


def as_dict(long, keys) -> dict:
    """A long frame as {key tuple: [sums...]}."""
    names = [c for c in long.columns if c not in keys]
    return {tuple(r[:len(keys)]): list(r[len(keys):]) for r in long[[*keys, *names]].itertuples(index=False)}


def assert_long_equal(long, expected: dict, keys=None):
    """Row counts exactly, sums to 1e-12 relative; the same keys, no duplicate keys."""
    keys = keys or [*ATTRS, *CELLS]
    assert list(long.columns[: len(keys)]) == list(keys)
    assert str(long["rows"].dtype) == "int64"
    got = as_dict(long, keys)
    assert len(got) == len(long), "duplicate keys in the long frame"
    assert set(got) == set(expected)
    for key, want in expected.items():
        have = got[key]
        assert have[0] == want[0], (key, have, want)
        for h, w in zip(have[1:], want[1:]):
            assert math.isclose(h, w, rel_tol=1e-12, abs_tol=1e-300), (key, have, want)
