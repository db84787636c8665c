"""biasaudit.compat.fairlearn against fairlearn itself (the oracle) on generated data."""

import functools
import inspect
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit.compat.fairlearn as bf
from biasaudit.exceptions import AuditError, InvalidParameterError, UndefinedMetricWarning

flm = pytest.importorskip("fairlearn.metrics")
skm = pytest.importorskip("sklearn.metrics")

TOL = 1e-12
FUNCTIONS = [
    "demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference",
    "equalized_odds_ratio", "equal_opportunity_difference", "equal_opportunity_ratio",
]
CALLABLES = {
    "acc": skm.accuracy_score, "prec": skm.precision_score, "rec": skm.recall_score, "f1": skm.f1_score,
    "bacc": skm.balanced_accuracy_score, "zero_one": skm.zero_one_loss, "sr": flm.selection_rate,
    "tpr": flm.true_positive_rate, "fpr": flm.false_positive_rate, "tnr": flm.true_negative_rate,
    "fnr": flm.false_negative_rate,
}


@st.composite
def data(draw, n_features=None, labels=(0, 1)):
    n = draw(st.integers(1, 50))
    k = n_features or draw(st.integers(1, 3))
    pools = [["f", "m"], [0, 1, 2], ["a", "b", "c", "d"]]
    features = pd.DataFrame({
        f"s{i}": draw(st.lists(st.sampled_from(pools[i]), min_size=n, max_size=n)) for i in range(k)
    })
    y_true = np.array(draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n)))
    y_pred = np.array(draw(st.lists(st.sampled_from(labels), min_size=n, max_size=n)))
    weights = np.array(draw(st.lists(st.floats(0.1, 10.0), min_size=n, max_size=n)))
    return y_true, y_pred, features, weights


def _close(a, b):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= TOL


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


@settings(max_examples=60, deadline=None)
@given(data(), st.sampled_from(["between_groups", "to_overall"]), st.booleans())
def test_fairness_functions_equal_fairlearn(d, method, weighted):
    y_true, y_pred, features, weights = d
    w = weights if weighted else None
    for name in FUNCTIONS:
        expected = _quiet(getattr(flm, name), y_true, y_pred, sensitive_features=features, method=method,
                          sample_weight=w)
        got = _quiet(getattr(bf, name), y_true, y_pred, sensitive_features=features, method=method,
                     sample_weight=w)
        assert isinstance(got, float)
        assert _close(got, expected), (name, got, expected)


@settings(max_examples=30, deadline=None)
@given(data(), st.sampled_from(["worst_case", "mean"]))
def test_equalized_odds_agg_equals_fairlearn(d, agg):
    if "agg" not in inspect.signature(flm.equalized_odds_difference).parameters:
        pytest.skip("the installed fairlearn has no `agg`")
    y_true, y_pred, features, weights = d
    for name in ("equalized_odds_difference", "equalized_odds_ratio"):
        expected = _quiet(getattr(flm, name), y_true, y_pred, sensitive_features=features,
                          sample_weight=weights, agg=agg)
        got = _quiet(getattr(bf, name), y_true, y_pred, sensitive_features=features, sample_weight=weights, agg=agg)
        assert _close(got, expected), (name, agg, got, expected)


def _assert_frames(expected, got):
    """by_group, overall and every aggregate of two MetricFrames agree to TOL, NaN where NaN."""
    pd.testing.assert_frame_equal(got.by_group, expected.by_group, check_exact=False, atol=TOL, rtol=0)
    pd.testing.assert_series_equal(got.overall, expected.overall, check_exact=False, atol=TOL, rtol=0)
    for method in ("between_groups", "to_overall"):
        pd.testing.assert_series_equal(got.difference(method=method), expected.difference(method=method),
                                       check_exact=False, atol=TOL, rtol=0)
        pd.testing.assert_series_equal(got.ratio(method=method), expected.ratio(method=method),
                                       check_exact=False, atol=TOL, rtol=0)
    pd.testing.assert_series_equal(got.group_min(), expected.group_min(), check_exact=False, atol=TOL, rtol=0)
    pd.testing.assert_series_equal(got.group_max(), expected.group_max(), check_exact=False, atol=TOL, rtol=0)


@settings(max_examples=40, deadline=None)
@given(data())
def test_metric_frame_equals_fairlearn_with_weights(d):
    y_true, y_pred, features, weights = d
    params = {k: {"sample_weight": weights} for k in CALLABLES}
    metrics = {**CALLABLES, "count": flm.count}
    expected = _quiet(flm.MetricFrame, metrics=metrics, y_true=y_true, y_pred=y_pred,
                      sensitive_features=features, sample_params=params)
    got = _quiet(bf.MetricFrame, metrics=metrics, y_true=y_true, y_pred=y_pred,
                 sensitive_features=features, sample_params=params)
    _assert_frames(expected, got)
    assert got.sensitive_levels == expected.sensitive_levels


@settings(max_examples=25, deadline=None)
@given(data(n_features=1, labels=(-1, 1)))
def test_minus_one_one_labels_and_partials(d):
    y_true, y_pred, features, weights = d
    metrics = {
        "tpr": flm.true_positive_rate,
        "fpr_pos": functools.partial(flm.false_positive_rate, pos_label=-1),
        "prec_nan": functools.partial(skm.precision_score, zero_division=np.nan),
        "rec_one": functools.partial(skm.recall_score, zero_division=1.0),
        "sr_neg": functools.partial(flm.selection_rate, pos_label=-1),
        "acc": skm.accuracy_score,
    }
    params = {k: {"sample_weight": weights} for k in metrics}
    kwargs = dict(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=features["s0"],
                  sample_params=params)
    _assert_frames(_quiet(flm.MetricFrame, **kwargs), _quiet(bf.MetricFrame, **kwargs))


@settings(max_examples=25, deadline=None)
@given(data(n_features=2))
def test_single_callable_gives_series_and_scalars(d):
    y_true, y_pred, features, weights = d
    kwargs = dict(metrics=flm.false_positive_rate, y_true=y_true, y_pred=y_pred,
                  sensitive_features=features, sample_params={"sample_weight": weights})
    expected, got = _quiet(flm.MetricFrame, **kwargs), _quiet(bf.MetricFrame, **kwargs)
    pd.testing.assert_series_equal(got.by_group, expected.by_group, check_exact=False, atol=TOL, rtol=0)
    for attr in ("overall",):
        assert _close(getattr(got, attr), getattr(expected, attr))
    for method in ("between_groups", "to_overall"):
        assert _close(got.difference(method=method), expected.difference(method=method))
        assert _close(got.ratio(method=method), expected.ratio(method=method))
    assert _close(got.group_min(), expected.group_min())
    assert _close(got.group_max(), expected.group_max())


@settings(max_examples=30, deadline=None)
@given(data(n_features=1))
def test_single_rate_functions_equal_fairlearn(d):
    y_true, y_pred, _, weights = d
    for name in ("true_positive_rate", "true_negative_rate", "false_positive_rate", "false_negative_rate"):
        assert _close(_quiet(getattr(bf, name), y_true, y_pred, sample_weight=weights),
                      _quiet(getattr(flm, name), y_true, y_pred, sample_weight=weights)), name
    assert _close(bf.selection_rate(y_true, y_pred, sample_weight=weights),
                  flm.selection_rate(y_true, y_pred, sample_weight=weights))
    assert bf.count(y_true, y_pred) == flm.count(y_true, y_pred)


def test_feature_shapes_and_names_like_fairlearn():
    y_true = np.array([1, 0, 1, 1, 0, 0, 1, 0])
    y_pred = np.array([1, 1, 0, 1, 0, 0, 0, 1])
    two = np.array([list("aabbccdd"), [1, 2, 1, 2, 1, 1, 1, 2]], dtype=object).T
    cases = [
        list("aabbccdd"),
        np.array(list("aabbccdd")),
        pd.Series(list("aabbccdd"), name="grp"),
        pd.Series(list("ddccbbaa"), dtype="category"),
        {"x": list("aabbccdd"), "y": [True, False] * 4},
        two,
    ]
    for features in cases:
        expected = flm.MetricFrame(metrics={"sr": flm.selection_rate}, y_true=y_true, y_pred=y_pred,
                                   sensitive_features=features)
        got = bf.MetricFrame(metrics={"sr": bf.selection_rate}, y_true=y_true, y_pred=y_pred,
                             sensitive_features=features)
        pd.testing.assert_frame_equal(got.by_group, expected.by_group)
        assert got.sensitive_levels == expected.sensitive_levels


def test_empty_intersections_are_nan_as_in_fairlearn():
    features = pd.DataFrame({"a": ["x", "x", "y"], "b": [1, 2, 1]})
    got = bf.MetricFrame(metrics={"n": bf.count}, y_true=[1, 0, 1], y_pred=[1, 1, 0], sensitive_features=features)
    assert list(got.by_group.index) == [("x", 1), ("x", 2), ("y", 1), ("y", 2)]
    assert math.isnan(got.by_group.loc[("y", 2), "n"])
    assert got.by_group["n"].sum() == 3


def test_unobserved_categories_are_not_groups():
    features = pd.Series(pd.Categorical(["b", "a", "b"], categories=["c", "b", "a"]), name="g")
    got = bf.MetricFrame(metrics=bf.selection_rate, y_true=None, y_pred=[1, 0, 0], sensitive_features=features)
    assert list(got.by_group.index) == ["a", "b"]
    assert got.by_group.tolist() == [0.0, 0.5]


def test_fairlearn_zero_is_returned_and_warned():
    # group b has no actual positives: fairlearn's TPR is 0 there, biasaudit's registry says NaN
    y_true, y_pred, groups = [1, 0, 0, 0], [1, 0, 1, 0], ["a", "a", "b", "b"]
    with pytest.warns(UndefinedMetricWarning, match=r"true_positive_rate is undefined .* 'b'"):
        got = bf.MetricFrame(metrics=bf.true_positive_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    assert got.by_group.tolist() == [1.0, 0.0]
    assert flm.MetricFrame(metrics=flm.true_positive_rate, y_true=y_true, y_pred=y_pred,
                           sensitive_features=groups).by_group.tolist() == [1.0, 0.0]
    # the registry name keeps biasaudit's convention
    named = bf.MetricFrame(metrics="true_positive_rate", y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    assert named.by_group.iloc[0] == 1.0 and math.isnan(named.by_group.iloc[1])


def test_registry_names_are_metrics():
    y_true, y_pred, groups = [1, 0, 1, 1, 0, 1], [1, 1, 0, 1, 0, 0], ["a", "a", "a", "b", "b", "b"]
    got = bf.MetricFrame(metrics={"fdr": "false_discovery_rate", "tp": "tp"}, y_true=y_true, y_pred=y_pred,
                         sensitive_features=groups)
    assert got.by_group["fdr"].tolist() == [0.5, 0.0]
    assert got.by_group["tp"].tolist() == [1.0, 1.0]
    assert got.overall["tp"] == 2.0


@pytest.mark.parametrize("metric, match", [
    (skm.roc_auc_score, "roc_auc_score"),
    (skm.log_loss, "log_loss"),
    (flm.mean_prediction, "mean_prediction"),
    (lambda y, p: 0.0, "<lambda>"),
    (functools.partial(skm.precision_score, average="macro"), "average='binary'"),
    ("no_such_metric", "unknown metric"),
])
def test_unmappable_metrics_raise_a_clear_error(metric, match):
    with pytest.raises(InvalidParameterError, match=match):
        bf.MetricFrame(metrics={"m": metric}, y_true=[0, 1], y_pred=[1, 1], sensitive_features=["a", "b"])


@pytest.mark.parametrize("kwargs, match", [
    (dict(control_features=["a", "b"]), "control_features"),
    (dict(n_boot=10, ci_quantiles=[0.5]), "bootstrap"),
    (dict(sample_params={"other": {"sample_weight": [1, 1]}}), "sample_params"),
    (dict(sample_params={"m": {"groups": [1, 1]}}), "sample_weight"),
    (dict(sensitive_features=["a", None]), "missing values"),
    (dict(sensitive_features=["a"]), "one value per row"),
    (dict(y_true=[0, 1, 1]), "same length"),
    (dict(y_true=[0, 2], y_pred=[2, 2]), "labels must be"),
    (dict(y_true=[0, 1], y_pred=[2, 3]), "at most two labels"),
])
def test_bad_input_names_the_argument(kwargs, match):
    args = dict(metrics={"m": bf.true_positive_rate}, y_true=[0, 1], y_pred=[1, 1], sensitive_features=["a", "b"])
    args.update(kwargs)
    with pytest.raises(AuditError, match=match):
        bf.MetricFrame(**args)


def test_bad_method_and_agg():
    kwargs = dict(sensitive_features=["a", "b"])
    with pytest.raises(InvalidParameterError, match="`method`"):
        bf.demographic_parity_difference([0, 1], [1, 1], method="largest", **kwargs)
    with pytest.raises(InvalidParameterError, match="`agg`"):
        bf.equalized_odds_difference([0, 1], [1, 1], agg="max", **kwargs)


def test_caller_data_not_mutated():
    y_true, y_pred = np.array([1, 0, 1, 0]), np.array([1, 1, 0, 1])
    features = pd.DataFrame({"g": ["a", "a", "b", "b"]})
    weights = np.array([1.0, 2.0, 3.0, 4.0])
    copies = [y_true.copy(), y_pred.copy(), features.copy(), weights.copy()]
    bf.equalized_odds_difference(y_true, y_pred, sensitive_features=features, sample_weight=weights)
    np.testing.assert_array_equal(y_true, copies[0])
    np.testing.assert_array_equal(y_pred, copies[1])
    pd.testing.assert_frame_equal(features, copies[2])
    np.testing.assert_array_equal(weights, copies[3])
