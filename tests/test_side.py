"""Side comparisons (``AuditResult.side_comparisons``): an intersectional group against the
groups one attribute away from it, with the audit's own two-group intervals."""

import warnings

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba
from biasaudit._side import COLUMNS


def _audit(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ba.audit(*args, **kwargs)


def _data(n=4000, seed=0):
    gen = np.random.default_rng(seed)
    df = pd.DataFrame({"sex": gen.choice(["f", "m"], n), "race": gen.choice(["A", "B", "D"], n),
                       "age": gen.choice(["young", "old"], n)})
    df["y"] = gen.integers(0, 2, n)
    base = 0.55 - 0.15 * (df["sex"] == "f") - 0.1 * (df["race"] == "D") + 0.2 * df["y"]
    df["p"] = (gen.random(n) < base).astype(int)
    df["s"] = np.clip(base + gen.normal(0, 0.25, n), 0, 1)
    df["amount"] = 100 * base + gen.normal(0, 10, n)
    return df


@pytest.mark.parametrize("family", ["decisions", "scores", "amounts"])
def test_each_side_comparison_equals_the_audit_with_that_group_as_reference(family):
    # the side comparison of (f, D) differing in sex is (f, D) against (m, D): the audit whose
    # reference is (m, D) states the same comparison among its disparities, from the whole grouping
    df = _data()
    kwargs = {"decisions": dict(y_true="y", y_pred="p"), "scores": dict(y_true="y", y_score="s"),
              "amounts": dict(y_true="y", y_pred="amount", task="regression")}[family]
    ref = {"sex": "m", "race": "A"}
    side = _audit(df, protected=["sex", "race"], reference={**ref, "sex & race": ("m", "A")}, **kwargs).side_comparisons()
    assert list(side.columns) == list(COLUMNS) and len(side)
    assert set(side["group"]) == {("f", "B"), ("f", "D")}  # (m, x) and (f, A) differ in one attribute
    for differs_in, other in [("sex", ("m", "D")), ("race", ("f", "A"))]:
        direct = _audit(df, protected=["sex", "race"], reference={**ref, "sex & race": other}, **kwargs).disparities
        direct = direct[(direct["attribute"] == "sex & race") & (direct["group"] == ("f", "D"))].set_index("metric")
        rows = side[(side["group"] == ("f", "D")) & (side["differs_in"] == differs_in)].set_index("metric")
        assert (rows["comparison_group"] == other).all() and len(rows) >= 1
        for metric, row in rows.iterrows():
            want = direct.loc[metric]
            assert row["difference"] == pytest.approx(want["difference"], abs=1e-12, nan_ok=True)
            assert row["ci_low"] == pytest.approx(want["ci_low"], abs=1e-12, nan_ok=True), metric
            assert row["ci_high"] == pytest.approx(want["ci_high"], abs=1e-12, nan_ok=True), metric


def test_three_attributes_give_one_comparison_per_differing_attribute():
    df = _data(6000, seed=2)
    r = _audit(df, y_true="y", y_pred="p", protected=["sex", "race", "age"],
               reference={"sex": "m", "race": "A", "age": "young"})
    side = r.side_comparisons()
    three = side[(side["attribute"] == "sex & race & age") & (side["metric"] == "selection_rate")]
    got = three[three["group"] == ("f", "D", "old")].set_index("differs_in")["comparison_group"].to_dict()
    assert got == {"sex": ("m", "D", "old"), "race": ("f", "A", "old"), "age": ("f", "D", "young")}
    # a group one attribute from its reference has none; counts of a group, recounted
    assert not len(three[three["group"] == ("f", "A", "young")])
    row = three[(three["group"] == ("f", "D", "old")) & (three["differs_in"] == "race")].iloc[0]
    mask = lambda s, rc, a: (df["sex"] == s) & (df["race"] == rc) & (df["age"] == a)  # noqa: E731
    x1, n1 = df["p"][mask("f", "D", "old")].sum(), mask("f", "D", "old").sum()
    x2, n2 = df["p"][mask("f", "A", "old")].sum(), mask("f", "A", "old").sum()
    oracle = ba.stats.difference_interval(x1, n1, x2, n2)
    assert row["difference"] == pytest.approx(x1 / n1 - x2 / n2, abs=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((float(oracle.low), float(oracle.high)), abs=1e-12)


def test_no_side_comparisons_against_the_population_or_under_a_control():
    df = _data()
    overall = _audit(df, y_true="y", y_pred="p", protected=["sex", "race"], reference="overall").side_comparisons()
    controlled = _audit(df, y_true="y", y_pred="p", protected=["sex", "race"], control="age",
                        reference={"sex": "m", "race": "A"}).side_comparisons()
    for frame in (overall, controlled):
        assert isinstance(frame, pd.DataFrame) and list(frame.columns) == list(COLUMNS) and frame.empty


def test_the_report_states_the_side_comparisons_of_the_result():
    df = _data()
    r = _audit(df, y_true=None, y_pred="p", protected=["sex", "race"], reference={"sex": "m", "race": "A"})
    side = r.side_comparisons().set_index(["group", "differs_in", "metric"])
    stated = [f for f in r.report(full=True).findings if f["evidence"].get("within")]
    assert stated
    for f in stated:
        for w in f["evidence"]["within"]:
            for m in w["metrics"]:
                row = side.loc[(tuple(f["group"]), w["attribute"], m["metric"])]
                assert m["difference"] == pytest.approx(row["difference"], abs=1e-15)
                assert (m["ci_low"], m["ci_high"]) == pytest.approx((row["ci_low"], row["ci_high"]), abs=1e-15)
