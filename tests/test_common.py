"""Invariances every registered metric must satisfy, driven by the registry."""

import warnings

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba
from biasaudit.exceptions import BiasAuditWarning

METRICS = ba.list_metrics(family="binary")


def _data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "g": rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1]),
        "h": rng.integers(0, 3, n),
        "y_true": rng.integers(0, 2, n),
        "y_pred": rng.integers(0, 2, n),
        "w": rng.integers(0, 4, n).astype(float),
    })


def _gm(df, weight="w", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        r = ba.audit(df, y_true="y_true", y_pred="y_pred", protected=["g", "h"],
                     sample_weight=weight, **kw)
    return r.group_metrics.set_index(["attribute", "group"])


def _same(a, b, metric, rtol=1e-12):
    np.testing.assert_allclose(a[metric].to_numpy(float), b[metric].to_numpy(float), rtol=rtol, atol=1e-12,
                               equal_nan=True, err_msg=metric)


@pytest.mark.parametrize("metric", METRICS)
def test_row_order_does_not_matter(metric):
    df = _data()
    shuffled = df.sample(frac=1.0, random_state=3).reset_index(drop=True)
    _same(_gm(df), _gm(shuffled), metric)


@pytest.mark.parametrize("metric", METRICS)
def test_integer_weights_equal_repeated_rows(metric):
    df = _data()
    repeated = df.loc[df.index.repeat(df["w"].astype(int))].reset_index(drop=True)
    a = _gm(df)
    b = _gm(repeated, weight=None)
    common = a.index.intersection(b.index)
    _same(a.loc[common], b.loc[common], metric)


@pytest.mark.parametrize("metric", METRICS)
def test_zero_weight_equals_removal(metric):
    df = _data()
    df["w"] = df["w"].where(df.index % 7 != 0, 0.0)
    removed = df[df["w"] > 0].reset_index(drop=True)
    a, b = _gm(df), _gm(removed)
    common = a.index.intersection(b.index)
    _same(a.loc[common], b.loc[common], metric)


@pytest.mark.parametrize("metric", METRICS)
def test_weight_scale_changes_counts_only(metric):
    df = _data()
    a, b = _gm(df), _gm(df.assign(w=df["w"] * 3.7))
    if ba.get_metric(metric).kind == "count":
        a = a.assign(**{metric: a[metric] * 3.7})
    _same(a, b, metric)


@pytest.mark.parametrize("metric", METRICS)
def test_chunked_tables_sum_to_the_whole(metric):
    df = _data()
    parts = [ba.group_counts(data=part, y_true="y_true", y_pred="y_pred", group=["g", "h"], sample_weight="w")
             for part in (df.iloc[i:i + 75] for i in range(0, len(df), 75))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        chunked = ba.audit_counts(sum(parts)).group_metrics.set_index(["attribute", "group"])
    _same(_gm(df), chunked, metric)


@pytest.mark.parametrize("metric", METRICS)
def test_list_ndarray_and_pandas_inputs_agree(metric):
    df = _data()
    args = [
        dict(y_true=df["y_true"], y_pred=df["y_pred"], protected={"g": df["g"], "h": df["h"]}, sample_weight=df["w"]),
        dict(y_true=df["y_true"].to_numpy(), y_pred=df["y_pred"].to_numpy(),
             protected={"g": df["g"].to_numpy(), "h": df["h"].to_numpy()}, sample_weight=df["w"].to_numpy()),
        dict(y_true=df["y_true"].tolist(), y_pred=df["y_pred"].tolist(),
             protected={"g": df["g"].tolist(), "h": df["h"].tolist()}, sample_weight=df["w"].tolist()),
    ]
    results = []
    for kw in args:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BiasAuditWarning)
            results.append(ba.audit(**kw).group_metrics)
    for other in results[1:]:
        _same(results[0], other, metric)
        assert other["group"].tolist() == results[0]["group"].tolist()


@pytest.mark.parametrize("metric", METRICS)
def test_string_and_integer_labels_agree(metric):
    df = _data()
    as_text = df.assign(y_true=df["y_true"].map({0: "no", 1: "yes"}), y_pred=df["y_pred"].map({0: "no", 1: "yes"}))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        a = ba.audit(df, y_true="y_true", y_pred="y_pred", protected="g", sample_weight="w").group_metrics
        b = ba.audit(as_text, y_true="y_true", y_pred="y_pred", protected="g", sample_weight="w",
                     pos_label="yes").group_metrics
    _same(a, b, metric)


@pytest.mark.parametrize("metric", METRICS)
def test_relabelling_groups_permutes_results(metric):
    df = _data()
    mapping = {"a": "z1", "b": "z0", "c": "z3", "d": "z2"}
    relabelled = df.assign(g=df["g"].map(mapping))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BiasAuditWarning)
        a = ba.audit(df, y_true="y_true", y_pred="y_pred", protected="g").group_metrics
        b = ba.audit(relabelled, y_true="y_true", y_pred="y_pred", protected="g").group_metrics
    b = b.set_index("group").loc[[mapping[g] for g in a["group"]]].reset_index()
    _same(a, b, metric)
