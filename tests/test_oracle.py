"""Per-group metrics against fairlearn's MetricFrame and a naive per-group loop."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit as ba
from biasaudit.exceptions import BiasAuditWarning

from _naive import per_group

fairlearn_metrics = pytest.importorskip("fairlearn.metrics")
from sklearn.metrics import accuracy_score, precision_score  # noqa: E402

FAIRLEARN = {
    "selection_rate": fairlearn_metrics.selection_rate,
    "true_positive_rate": fairlearn_metrics.true_positive_rate,
    "false_positive_rate": fairlearn_metrics.false_positive_rate,
    "false_negative_rate": fairlearn_metrics.false_negative_rate,
    "true_negative_rate": fairlearn_metrics.true_negative_rate,
    "accuracy": accuracy_score,
    "positive_predictive_value": lambda y, p, sample_weight=None: precision_score(
        y, p, sample_weight=sample_weight, zero_division=np.nan
    ),
}


@st.composite
def audit_data(draw, zero_weights=False):
    n = draw(st.integers(1, 60))
    ints = st.integers(0, 1)
    sex = draw(st.lists(st.sampled_from(["f", "m", "x"]), min_size=n, max_size=n))
    race = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    y_true = draw(st.lists(ints, min_size=n, max_size=n))
    y_pred = draw(st.lists(ints, min_size=n, max_size=n))
    low = 0.0 if zero_weights else 0.25
    weight = draw(st.lists(st.floats(low, 5.0).map(lambda w: 0.0 if w < 0.5 and zero_weights else w),
                           min_size=n, max_size=n))
    return pd.DataFrame({"sex": sex, "race": race, "y_true": y_true, "y_pred": y_pred, "w": weight})


def _audit(df, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        return ba.audit(df, y_true="y_true", y_pred="y_pred", protected=["sex", "race"],
                        sample_weight="w", **kw)


def _assert_close(ours, expected, what):
    if math.isnan(expected):
        assert math.isnan(ours), what
    else:
        assert ours == pytest.approx(expected, rel=1e-12, abs=1e-12), what


@settings(max_examples=40, deadline=None)
@given(audit_data())
def test_every_group_metric_equals_fairlearn_metricframe(df):
    result = _audit(df)
    gm = result.group_metrics
    sf = {"sex": df[["sex"]], "race": df[["race"]], "sex & race": df[["sex", "race"]]}
    for attribute, features in sf.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = fairlearn_metrics.MetricFrame(
                metrics=FAIRLEARN, y_true=df["y_true"], y_pred=df["y_pred"], sensitive_features=features,
                sample_params={k: {"sample_weight": df["w"]} for k in FAIRLEARN},
            ).by_group
        naive = per_group([tuple(r) for r in features.itertuples(index=False)], df["y_true"].tolist(),
                          df["y_pred"].tolist(), df["w"].tolist())
        ours = gm[gm["attribute"] == attribute]
        observed = [k for k in frame.index if (k if isinstance(k, tuple) else (k,)) in naive]
        assert len(ours) == len(observed) == len(naive)
        for _, row in ours.iterrows():
            key = row["group"] if isinstance(row["group"], tuple) else (row["group"],)
            fl = frame.loc[key if len(key) > 1 else key[0]]
            assert row["n"] == naive[key]["n"]
            for metric in FAIRLEARN:
                expected = naive[key][metric]
                _assert_close(row[metric], expected, (attribute, key, metric, "naive"))
                if not math.isnan(expected):  # fairlearn returns 0, not NaN, where undefined
                    _assert_close(row[metric], fl[metric], (attribute, key, metric, "fairlearn"))


@settings(max_examples=60, deadline=None)
@given(audit_data(zero_weights=True))
def test_every_registered_metric_equals_naive_loop(df):
    if df["w"].sum() == 0:  # nothing can be assessed: a clear error, tested in test_kernel.py
        with pytest.raises(ba.AuditError, match="total weight is 0"):
            _audit(df, intersections="all")
        return
    result = _audit(df, intersections="all")
    naive = per_group(list(zip(df["sex"], df["race"])), df["y_true"].tolist(), df["y_pred"].tolist(),
                      df["w"].tolist())
    gm = result.group_metrics
    rows = {r["group"]: r for _, r in gm[gm["attribute"] == "sex & race"].iterrows()}
    assert set(rows) == set(naive)
    for key, expected in naive.items():
        row = rows[key]
        assert row["n"] == expected["n"]
        for metric in ba.list_metrics(family="binary"):
            _assert_close(row[metric], expected[metric], (key, metric))


def test_empty_intersections_are_listed_not_reported():
    df = pd.DataFrame({"sex": ["f", "f", "m"], "race": ["a", "b", "a"], "y_true": [1, 0, 1],
                       "y_pred": [1, 1, 0], "w": [1.0, 1.0, 1.0]})
    result = _audit(df)
    # empty combinations are counted per grouping, not listed one by one
    assert result.empty_groups == ((("sex",), 0), (("race",), 0), (("sex", "race"), 1))
    inter = result.group_metrics.query("attribute == 'sex & race'")
    assert list(inter["group"]) == [("f", "a"), ("f", "b"), ("m", "a")]
