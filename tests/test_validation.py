"""Every bad input gets an error that names the argument, what was expected and what was got."""

import re

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


# --- issue 10: nothing wrong in silence -------------------------------------------------

def _quiet_audit(*args, **kwargs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.UndefinedMetricWarning)
        warnings.simplefilter("ignore", ba.SingleGroupWarning)
        return ba.audit(*args, **kwargs)


def test_series_with_the_same_labels_in_another_order_is_aligned_by_label():
    """Row 1: a reversed prediction Series was used by position (accuracy 0 instead of 1)."""
    df = pd.DataFrame({"y": [1, 0, 1, 0, 1, 1], "p": [1, 0, 1, 0, 1, 1], "g": list("aabbab")})
    aligned = _quiet_audit(df, y_true="y", y_pred=df["p"].iloc[::-1], protected="g")
    assert aligned.group_metrics["accuracy"].tolist() == [1.0, 1.0]
    shuffled = df.sample(frac=1, random_state=3)  # frame reordered, prediction Series not
    r = _quiet_audit(shuffled, y_true="y", y_pred=df["p"], protected="g")
    assert r.group_metrics["accuracy"].tolist() == [1.0, 1.0]
    # arrays given without data align on the first Series' index
    r = _quiet_audit(y_true=df["y"], y_pred=df["p"].iloc[::-1], protected=df["g"].iloc[[5, 4, 3, 2, 1, 0]])
    assert r.group_metrics["accuracy"].tolist() == [1.0, 1.0]


def test_series_with_other_index_labels_is_refused_naming_the_argument():
    df = pd.DataFrame({"y": [1, 0, 1, 0], "p": [1, 0, 1, 0], "g": list("aabb")})
    with pytest.raises(ba.AuditError, match=r"`y_pred` is a Series whose index does not match the index of data"):
        ba.audit(df, y_true="y", y_pred=df["p"].set_axis([10, 11, 12, 13]), protected="g")
    with pytest.raises(ba.AuditError, match=r"`sample_weight` is a Series whose index"):
        ba.audit(df, y_true="y", y_pred="p", protected="g", sample_weight=pd.Series([1.0] * 4, index=[0, 1, 2, 2]))
    with pytest.raises(ba.AuditError, match=r"`protected\['g'\]` is a Series whose index"):
        ba.audit(df, y_true="y", y_pred="p", protected={"g": df["g"].set_axis(list("wxyz"))})


def test_all_zero_weights_are_an_error_naming_sample_weight():
    """Row 3: every rate was NaN and the run reported no finding."""
    with pytest.raises(ba.AuditError, match=r"`sample_weight` must have a positive total; got all 4 weights equal to 0"):
        ba.audit(y_true=[1, 0, 1, 0], y_pred=[1, 0, 0, 1], protected={"g": list("aabb")}, sample_weight=[0, 0, 0, 0])


@pytest.mark.parametrize("values, pos_label", [
    ([0.5, 1.0, 0.5, 1.0], 1),      # 0.5 silently counted as negative
    ([2, 2, 2, 2], 1),              # all 2: silently all negative
    ([0.5] * 4, 1),
    ([7.0] * 4, 1),
    ([0, 2, 0, 2], 0),              # with pos_label 0 the negative is 1
])
def test_ambiguous_numeric_labels_raise_with_the_values_found(values, pos_label):
    """Row 12."""
    shown = sorted(set(values))
    with pytest.raises(ba.AuditError, match=r"`y_pred` is ambiguous: its values are " + re.escape(str(shown))):
        ba.audit(y_true=None, y_pred=values, protected={"g": list("aabb")}, pos_label=pos_label)


def test_plain_numeric_labels_still_work():
    r = _quiet_audit(y_true=None, y_pred=[1.0, 0.0, 1.0, 1.0], protected={"g": list("aabb")})
    assert r.group_metrics["selection_rate"].tolist() == [0.5, 1.0]
    r = _quiet_audit(y_true=None, y_pred=[1, 2, 2, 2], protected={"g": list("aabb")}, pos_label=2)
    assert r.group_metrics["selection_rate"].tolist() == [0.5, 1.0]
    r = _quiet_audit(y_true=None, y_pred=[0, 0, 0, 0], protected={"g": list("aabb")})
    assert r.group_metrics["selection_rate"].tolist() == [0.0, 0.0]


def test_text_and_number_labels_together_are_refused():
    with pytest.raises(ba.AuditError, match=r"`y_pred` mixes text and non-text labels.*\['1', 0, 1\]"):
        ba.audit(y_true=None, y_pred=np.array([1, "1", 1, 0], dtype=object), protected={"g": list("aabb")})


def test_protected_values_that_print_alike_or_merge_are_refused():
    """Row 12: 1 and "1" were two groups both shown as "1"; 1, 1.0 and True merged."""
    with pytest.raises(ba.AuditError, match=r"`protected\['g'\]` has distinct values that print the same, \[1, '1'\]"):
        ba.audit(y_true=None, y_pred=[1, 0, 1, 0], protected={"g": np.array([1, "1", 1, "1"], dtype=object)})
    with pytest.raises(ba.AuditError, match=r"`protected\['g'\]` holds equal values of different types, \[1, 1.0, True\]"):
        ba.audit(y_true=None, y_pred=[1, 0, 1, 0], protected={"g": np.array([1, 1.0, True, 2], dtype=object)})
    mixed = _quiet_audit(y_true=None, y_pred=[1, 0, 1, 0], protected={"g": np.array([1, "a", 1, "a"], dtype=object)})
    assert mixed.group_metrics["group"].tolist() == [1, "a"]


@pytest.mark.parametrize("scale", [1e200, 1e-200, 2.0**-1000, 1e300])
def test_results_do_not_depend_on_the_scale_of_the_weights(scale):
    """Row 13: 1e200 raised with an internal name; 1e-200 made intervals and p-values NaN."""
    rng = np.random.default_rng(4)
    n = 400
    g = rng.choice(["a", "b"], n)
    y_true = rng.integers(0, 2, n)
    y_pred = (rng.random(n) < np.where(g == "a", 0.3, 0.6)).astype(int)
    w = rng.uniform(0.5, 3.0, n)
    base = _quiet_audit(y_true=y_true, y_pred=y_pred, protected={"g": g}, sample_weight=w, rng=0)
    scaled = _quiet_audit(y_true=y_true, y_pred=y_pred, protected={"g": g}, sample_weight=w * scale, rng=0)
    cols = ["value", "difference", "ratio", "ci_low", "ci_high", "pvalue", "pvalue_adjusted"]
    b, s = base.disparities, scaled.disparities
    assert s["verdict"].tolist() == b["verdict"].tolist()
    np.testing.assert_allclose(s[cols].to_numpy(float), b[cols].to_numpy(float), rtol=1e-9, equal_nan=True)
    # not NaN (1e-200 used to make them all NaN): one test per tested proportion (not the base rate)
    assert np.isfinite(s["pvalue"]).sum() == 11


@pytest.mark.parametrize("protected", [{}, [], pd.DataFrame(index=range(4))])
def test_empty_protected_is_a_clear_error(protected):
    """Row 14: {} raised IndexError; [] was read as data."""
    with pytest.raises(ba.InvalidParameterError, match=r"`protected` must name at least one attribute"):
        ba.audit(pd.DataFrame({"p": [1, 0, 1, 0]}), y_true=None, y_pred="p", protected=protected)


def test_integer_and_multiindex_column_names_are_names_not_data():
    """Row 14: lists of integer names and MultiIndex tuples gave "same length" errors."""
    ints = pd.DataFrame({0: [1, 0, 1, 0, 1, 0], 1: list("aabbab"), 2: list("xyxyxy")})
    r = _quiet_audit(ints, y_true=None, y_pred=0, protected=[1, 2])
    assert r.group_metrics["attribute"].unique().tolist() == ["1", "2", "1 & 2"]
    multi = pd.DataFrame([[1, "a"], [0, "a"], [1, "b"], [0, "b"]],
                         columns=pd.MultiIndex.from_tuples([("out", "pred"), ("who", "sex")]))
    r = _quiet_audit(multi, y_true=None, y_pred=("out", "pred"), protected=[("who", "sex")])
    assert r.group_metrics["selection_rate"].tolist() == [0.5, 0.5]
    # a list of non-names is still data
    r = _quiet_audit(ints, y_true=None, y_pred=0, protected=[7, 7, 8, 8, 7, 8])
    assert r.group_metrics["n"].tolist() == [3, 3]


def test_list_valued_and_non_unicode_labels_are_clear_errors():
    """Row 14: a list-valued column gave "unhashable type ... bug"; a lone surrogate crashed report()."""
    with pytest.raises(ba.AuditError, match=r"`protected\['g'\]` must hold one scalar label per row; got a value of type list"):
        ba.audit(y_true=None, y_pred=[1, 0, 1], protected={"g": pd.Series([[1], [2], [1]])})
    with pytest.raises(ba.AuditError, match=r"`y_pred` must hold one scalar label per row"):
        ba.audit(y_true=None, y_pred=pd.Series([[1], [0], [1]]), protected={"g": list("aab")})
    with pytest.raises(ba.AuditError, match=r"`protected\['g'\]` holds text that is not valid Unicode"):
        ba.audit(y_true=None, y_pred=[1, 0, 1], protected={"g": np.array(["a\ud800", "b", "b"], dtype=object)})


def test_continuous_attribute_warns_with_the_count_and_points_to_bands():
    """Row 16: age with dozens of values was accepted without a word."""
    rng = np.random.default_rng(0)
    age = rng.integers(18, 80, 500)
    with pytest.warns(ba.exceptions.ContinuousAttributeWarning,
                      match=rf"'age' looks continuous: it is numeric with {len(set(age))} distinct values.*bands"):
        _quiet_audit(y_true=None, y_pred=rng.integers(0, 2, 500), protected={"age": age})
    banded = ba.bands(age)
    r = _quiet_audit(y_true=None, y_pred=rng.integers(0, 2, 500), protected={"age": banded})  # no warning
    assert r.group_metrics["n"].sum() == 500


def test_bands_age_edges_are_left_closed_and_documented():
    values = [0, 24.9, 25, 34, 34.99, 35, 44, 45, 54, 55, 64, 65, 99, np.nan]
    got = ba.bands(pd.Series(values, index=range(100, 114), name="age"))
    assert got.index.tolist() == list(range(100, 114)) and got.name == "age"
    assert got.tolist()[:-1] == ["under 25", "under 25", "25-34", "25-34", "25-34", "35-44", "35-44", "45-54",
                                 "45-54", "55-64", "55-64", "65 and over", "65 and over"]
    assert pd.isna(got.iloc[-1])
    assert list(got.cat.categories) == ["under 25", "25-34", "35-44", "45-54", "55-64", "65 and over"]
    assert ba.bands([10, 40], edges=[18, 30.5]).tolist() == ["under 18", "[18, 30.5)"][:1] + ["30.5 and over"]


def test_quantile_bands_are_about_equal_and_cover_every_value():
    rng = np.random.default_rng(1)
    x = rng.normal(size=1000)
    b = ba.bands(x, kind="quantile", n_bands=4)
    counts = b.value_counts(sort=False).to_numpy()
    assert counts.sum() == 1000 and counts.min() >= 249 and counts.max() <= 251
    assert b.iloc[int(np.argmax(x))] == b.cat.categories[-1]
    assert b.iloc[int(np.argmin(x))] == b.cat.categories[0]


@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"values": ["a", "b"]}, ba.AuditError, "`values` must be numbers"),
    ({"values": [-3, 20]}, ba.AuditError, "ages >= 0"),
    ({"values": [1, 2], "kind": "deciles"}, ba.InvalidParameterError, "`kind` must be one of"),
    ({"values": [1, 2], "kind": "quantile", "n_bands": 1}, ba.InvalidParameterError, "`n_bands` must be an integer >= 2"),
    ({"values": [1, 2], "edges": [30, 20]}, ba.InvalidParameterError, "`edges` must be increasing"),
])
def test_bands_errors_name_the_argument(kwargs, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        ba.bands(**kwargs)
