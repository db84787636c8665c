"""Every bad input gets an error that names the argument, what was expected and what was got."""

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba


@pytest.fixture
def df():
    return pd.DataFrame({"race": ["a", "b", "a"], "label": [1, 0, 1], "pred": [0, 0, 1], "w": [1.0, 1.0, 1.0]})


def test_length_mismatch_names_every_array():
    with pytest.raises(ba.AuditError, match=r"same length; got y_true=3, y_pred=2, sample_weight=3, protected\['g'\]=4"):
        ba.audit(y_true=[1, 0, 1], y_pred=[1, 0], protected={"g": [1, 2, 3, 4]}, sample_weight=[1, 1, 1])


def test_non_binary_labels_list_the_values_and_how_to_fix():
    with pytest.raises(ba.AuditError, match=r"`y_pred` must be binary; found 3 distinct values \['High', 'Low', 'Medium'\].*binarise"):
        ba.audit(y_true=[1, 0, 1], y_pred=["Low", "High", "Medium"], protected={"g": [1, 2, 1]}, task="binary")
    with pytest.raises(ba.AuditError, match=r"`y_true` must be binary; found 3 distinct values \[0, 1, 2\]"):
        ba.audit(y_true=[0, 1, 2], y_pred=[1, 0, 1], protected={"g": [1, 2, 1]}, task="binary")
    # task="auto" cannot pair a binary outcome with three classes: it says what it found and how to choose
    with pytest.raises(ba.AuditError, match=r"`y_pred` looks multiclass \(3 distinct values: 'High', 'Low', "
                                            r"'Medium'\); `y_true` looks binary.*task='binary'.*binarise"):
        ba.audit(y_true=[1, 0, 1], y_pred=["Low", "High", "Medium"], protected={"g": [1, 2, 1]})


def test_pos_label_not_among_values_suggests_one():
    with pytest.raises(ba.AuditError, match=r"pos_label=1 is not among the values of `y_true`, which are \['no', 'yes'\].*pos_label='yes'"):
        ba.audit(y_true=["yes", "no"], y_pred=[1, 0], protected={"g": [1, 2]})
    with pytest.raises(ba.AuditError, match=r"pos_label='1' is not among the values of `y_true`, which are \[0, 1\]"):
        ba.audit(y_true=[1, 0], y_pred=[1, 0], protected={"g": [1, 2]}, pos_label="1")


def test_all_negative_labels_are_valid():
    with pytest.warns(ba.UndefinedMetricWarning):
        r = ba.audit(y_true=[0, 0], y_pred=[0, 0], protected={"g": ["a", "b"]})
    assert r.group_metrics["selection_rate"].tolist() == [0.0, 0.0]


def test_missing_labels_are_refused():
    with pytest.raises(ba.AuditError, match=r"`y_true` must not contain missing values; got 1 missing of 3"):
        ba.audit(y_true=[1.0, np.nan, 0.0], y_pred=[1, 0, 1], protected={"g": [1, 2, 1]})


@pytest.mark.parametrize("weights, got", [
    ([1.0, -1.0, 1.0], "1 negative, 0 NaN and 0 infinite"),
    ([1.0, np.nan, 1.0], "0 negative, 1 NaN and 0 infinite"),
    ([np.inf, 1.0, 1.0], "0 negative, 0 NaN and 1 infinite"),
])
def test_bad_weights(weights, got):
    with pytest.raises(ba.AuditError, match=rf"`sample_weight` must be finite and >= 0; got {got} weights"):
        ba.audit(y_true=[1, 0, 1], y_pred=[1, 0, 1], protected={"g": [1, 2, 1]}, sample_weight=weights)


def test_non_numeric_weights():
    with pytest.raises(ba.AuditError, match="`sample_weight` must be numeric; got dtype <U1"):
        ba.audit(y_true=[1, 0], y_pred=[1, 0], protected={"g": [1, 2]}, sample_weight=["a", "b"])


def test_empty_data():
    with pytest.raises(ba.AuditError, match=r"the data are empty \(0 rows\)"):
        ba.audit(y_true=[], y_pred=[], protected={"g": []})


def test_unknown_columns_suggest_the_closest(df):
    with pytest.raises(ba.AuditError, match=r"`y_true`: no column 'lable' in `data`\. Hint: did you mean 'label'\?"):
        ba.audit(df, y_true="lable", y_pred="pred", protected="race")
    with pytest.raises(ba.AuditError, match=r"`protected`: no column 'rase'.*'race'"):
        ba.audit(df, y_true="label", y_pred="pred", protected=["rase"])
    with pytest.raises(ba.AuditError, match=r"no column 'zzz' in `data`\. Available columns: race, label, pred, w\."):
        ba.audit(df, y_true="label", y_pred="pred", protected="race", sample_weight="zzz")


def test_column_name_without_data():
    with pytest.raises(ba.AuditError, match=r"`y_true` is 'label', which looks like a column name, but no `data`"):
        ba.audit(y_true="label", y_pred=[1], protected={"g": [1]})


def test_data_must_be_a_frame():
    with pytest.raises(ba.InvalidParameterError, match=r"`data` must be a pandas DataFrame or None; got dict"):
        ba.audit({"a": [1]}, y_true="a", y_pred="a", protected="a")


def test_two_dimensional_inputs():
    with pytest.raises(ba.AuditError, match=r"`y_pred` must be one-dimensional; got shape \(2, 1\)"):
        ba.audit(y_true=[1, 0], y_pred=[[1], [0]], protected={"g": [1, 2]})


def test_bad_options(df):
    kw = dict(data=df, y_true="label", y_pred="pred", protected="race")
    with pytest.raises(ba.InvalidParameterError, match=r"`intersections` must be one of \['all'\]; got 'pairs'"):
        ba.audit(**kw, intersections="pairs")
    with pytest.raises(ba.InvalidParameterError, match=r"`positive_is_favorable` must be True or False; got 'yes'"):
        ba.audit(**kw, positive_is_favorable="yes")
    with pytest.raises(ba.InvalidParameterError, match=r"`metrics` must name at least one metric"):
        ba.audit(**kw, metrics=[])
    with pytest.raises(ba.InvalidParameterError, match=r"unknown metric 'tprr'.*'tpr'"):
        ba.audit(**kw, metrics=["tprr"])
    with pytest.raises(ba.InvalidParameterError, match=r"`four_fifths_threshold` must be a number; got '0.8'"):
        ba.audit(**kw, four_fifths_threshold="0.8")
    with pytest.raises(ba.InvalidParameterError, match=r"`protected` is required"):
        ba.audit(**{**kw, "protected": None})
    with pytest.raises(ba.InvalidParameterError, match=r"`y_pred` is required"):
        ba.audit(**{**kw, "y_pred": None})


def test_duplicate_attribute_names(df):
    with pytest.raises(ba.AuditError, match=r"names must be distinct; got \['race', 'race'\]"):
        ba.audit(df, y_true="label", y_pred="pred", protected=["race", "race"])
    with pytest.raises(ba.AuditError, match=r"protected attribute names must be distinct"):
        ba.audit(y_true=[1, 0], y_pred=[1, 0], protected=[pd.Series([1, 2], name="a"), pd.Series([1, 1], name="a")])


def test_errors_are_value_errors():
    assert issubclass(ba.AuditError, ValueError)
    assert issubclass(ba.UndefinedMetricWarning, ba.BiasAuditWarning)
