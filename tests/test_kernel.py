"""The counting kernel: one table, additive, exact, no mutation."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit as ba
from biasaudit import _kernel
from biasaudit._encoding import encode_attribute


def _rows_table(group_codes, y_true, y_pred, n_groups):
    out = np.zeros((n_groups, 2, 2), dtype=np.int64)
    for g, t, p in zip(group_codes, y_true, y_pred):
        out[g, t, p] += 1
    return out


def test_counts_equal_a_loop_over_rows():
    rng = np.random.default_rng(1)
    g = rng.integers(0, 7, 500)
    t = rng.integers(0, 2, 500)
    p = rng.integers(0, 2, 500)
    c = ba.group_counts(y_true=t, y_pred=p, group=g)
    assert c.levels == (tuple(range(7)),)
    np.testing.assert_array_equal(c.rows, _rows_table(g, t, p, 7))
    np.testing.assert_array_equal(c.weighted, c.rows)
    assert not c.is_weighted


def test_weighted_and_squared_weights():
    c = ba.group_counts(y_true=[1, 1, 0], y_pred=[1, 1, 0], group=["a", "a", "b"], sample_weight=[2.0, 3.0, 0.5])
    assert c.rows[0, 1, 1] == 2
    assert c.weighted[0, 1, 1] == 5.0
    assert c.weighted_sq[0, 1, 1] == 13.0
    assert c.weighted[1, 0, 0] == 0.5
    assert c.is_weighted


def test_blocks_are_summed_exactly(monkeypatch):
    rng = np.random.default_rng(2)
    n = 10_007
    data = dict(y_true=rng.integers(0, 2, n), y_pred=rng.integers(0, 2, n),
                group={"a": rng.integers(0, 3, n), "b": rng.choice(["x", "y"], n)},
                sample_weight=rng.random(n))
    whole = ba.group_counts(**data)
    monkeypatch.setattr(_kernel, "_BLOCK_ROWS", 1000)
    blocked = ba.group_counts(**data)
    np.testing.assert_array_equal(blocked.rows, whole.rows)
    np.testing.assert_allclose(blocked.weighted, whole.weighted, rtol=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 1), st.integers(0, 1),
                          st.integers(0, 3)), min_size=2, max_size=40),
       st.integers(1, 39))
def test_chunk_tables_add_up_to_the_whole(rows, cut):
    cut = min(cut, len(rows) - 1)
    df = pd.DataFrame(rows, columns=["g", "t", "p", "w"]).astype({"w": float})

    def table(part):
        return ba.group_counts(y_true=part["t"].to_numpy(), y_pred=part["p"].to_numpy(),
                               group={"g": part["g"].to_numpy(dtype=object)}, sample_weight=part["w"].to_numpy())

    whole, left, right = table(df), table(df.iloc[:cut]), table(df.iloc[cut:])
    total = left + right
    assert total.levels == whole.levels
    assert total.missing_labels == whole.missing_labels
    np.testing.assert_array_equal(total.rows, whole.rows)
    np.testing.assert_allclose(total.weighted, whole.weighted)
    np.testing.assert_allclose(total.weighted_sq, whole.weighted_sq)
    assert sum([left, right]).n_rows == len(df)


def test_addition_aligns_labels_by_value():
    a = ba.group_counts(y_true=[1, 0], y_pred=[1, 0], group=["x", "z"])
    b = ba.group_counts(y_true=[1], y_pred=[0], group=["y"])
    s = a + b
    assert s.levels == (("x", "y", "z"),)
    assert s.rows[1, 1, 0] == 1 and s.rows[2, 0, 0] == 1


def test_addition_refuses_different_attributes():
    a = ba.group_counts(y_true=[1], y_pred=[1], group={"sex": ["f"]})
    b = ba.group_counts(y_true=[1], y_pred=[1], group={"race": ["f"]})
    with pytest.raises(ba.AuditError, match="same attributes"):
        a + b


def test_intersections_are_arithmetic_and_marginals_sum():
    df = pd.DataFrame({"sex": ["f", "m", "f", "m", "f"], "race": [2, 1, 1, 2, 2],
                       "t": [1, 0, 1, 1, 0], "p": [0, 0, 1, 1, 1]})
    c = ba.group_counts(data=df, y_true="t", y_pred="p", group=["sex", "race"])
    assert c.shape == (2, 2, 2, 2)
    assert c.levels == (("f", "m"), (1, 2))
    # f & race 2: rows 0 and 4
    assert c.rows[0, 1].tolist() == [[0, 1], [1, 0]]
    sex = c.marginal(["sex"])
    assert sex.rows.tolist() == [[[0, 1], [1, 1]], [[1, 0], [0, 1]]]
    swapped = c.marginal(["race", "sex"])
    np.testing.assert_array_equal(swapped.rows, np.transpose(c.rows, (1, 0, 2, 3)))
    labels, rows, table = c.flat()
    assert labels == [("f", 1), ("f", 2), ("m", 1), ("m", 2)]
    assert rows.tolist() == [1, 2, 1, 1]
    assert table.shape == (4, 2, 2)


def test_missing_values_form_a_named_group_after_the_others():
    group = pd.Series(["b", None, "a", np.nan, pd.NA, "b"], dtype=object)
    c = ba.group_counts(y_true=[1, 1, 0, 0, 1, 1], y_pred=[1, 0, 0, 1, 1, 1], group=group)
    assert c.levels == (("a", "b", ba.MISSING_LABEL),)
    assert c.rows.reshape(3, 4).sum(axis=1).tolist() == [1, 2, 3]
    assert c.rows[2].tolist() == [[0, 1], [1, 1]]


def test_missing_label_never_collides_with_a_real_label():
    c = ba.group_counts(y_true=[1, 1, 0], y_pred=[1, 0, 0], group=["(missing)", None, "a"])
    assert c.levels == (("(missing)", "a", "(missing)*"),)
    assert c.missing_labels == ("(missing)*",)


@pytest.mark.parametrize("column, labels", [
    (pd.Series(pd.Categorical(["b", "a", None], categories=["b", "a", "c"])), ("b", "a", "c", ba.MISSING_LABEL)),
    (np.array([True, False, True]), (False, True, None)),
    (np.array([3.5, np.nan, 1.0]), (1.0, 3.5, ba.MISSING_LABEL)),
    ([2, 1, 2], (1, 2, None)),
    (pd.Series([1, None, 3], dtype="Int64"), (1, 3, ba.MISSING_LABEL)),
    (pd.Series(["x", pd.NA, "y"], dtype="string"), ("x", "y", ba.MISSING_LABEL)),
    (np.array([1, "a", 2], dtype=object), (1, 2, "a", None)),
])
def test_every_column_kind_is_encoded(column, labels):
    enc = encode_attribute(column, "g")
    expected = tuple(x for x in labels if x is not None)
    assert enc.levels == expected
    assert all(type(x) in (str, int, float, bool) for x in enc.labels)


def test_categorical_codes_are_used_without_a_copy():
    s = pd.Series(pd.Categorical(["a", "b"] * 10))
    enc = encode_attribute(s, "g")
    assert enc.codes.dtype == np.int8


def test_caller_data_is_not_mutated():
    df = pd.DataFrame({"g": ["a", None, "b"], "t": [1, 0, 1], "p": [True, False, True], "w": [1.0, 2.0, 0.0]})
    before = df.copy(deep=True)
    ba.group_counts(data=df, y_true="t", y_pred="p", group="g", sample_weight="w")
    pd.testing.assert_frame_equal(df, before)


def test_tables_are_read_only():
    c = ba.group_counts(y_true=[1], y_pred=[1], group=["a"])
    with pytest.raises(ValueError, match="read-only"):
        c.rows[0, 0, 0] = 5


def test_too_many_groups_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(_kernel, "_MAX_GROUPS", 10)
    with pytest.raises(ba.AuditError, match=r"combine into 12 possible groups \(a: 3, b: 4\)"):
        ba.group_counts(y_true=[1] * 4, y_pred=[1] * 4, group={"a": [1, 2, 3, 1], "b": [1, 2, 3, 4]})


def test_no_outcomes_counts_decisions_only():
    c = ba.group_counts(y_true=None, y_pred=[1, 0, 1], group=["a", "a", "b"])
    assert not c.has_y_true
    assert c.rows[:, 1].sum() == 0


def test_to_frame_and_repr():
    c = ba.group_counts(y_true=[1, 0], y_pred=[1, 1], group={"sex": ["f", "m"]})
    frame = c.to_frame()
    assert frame.columns.tolist() == ["sex", "n", "true_negatives", "false_positives", "false_negatives",
                                      "true_positives"]
    assert frame["false_positives"].tolist() == [0.0, 1.0]
    assert repr(c) == "GroupCounts(sex[2] x y_true[2] x y_pred[2], n_rows=2)"


def test_data_fingerprint_is_canonical_and_sensitive():
    rng = np.random.default_rng(9)
    n = 5000
    df = pd.DataFrame({"g": rng.choice(["a", "b"], n), "t": rng.integers(0, 2, n), "p": rng.integers(0, 2, n)})
    base = ba.audit(df, y_true="t", y_pred="p", protected="g").parameters["data_sha256"]
    assert len(base) == 64
    same = ba.audit(y_true=df["t"].astype(bool).tolist(), y_pred=df["p"].astype("int8").to_numpy(),
                    protected={"g": pd.Categorical(df["g"])}).parameters["data_sha256"]
    assert same == base  # containers and dtypes do not matter
    flipped = df.copy()
    flipped.loc[17, "p"] = 1 - flipped.loc[17, "p"]
    assert ba.audit(flipped, y_true="t", y_pred="p", protected="g").parameters["data_sha256"] != base
    assert ba.audit(df, y_true="t", y_pred="p", protected="g", fingerprint=False).parameters["data_sha256"] is None


def test_data_fingerprint_does_not_depend_on_blocks(monkeypatch):
    rng = np.random.default_rng(10)
    kw = dict(y_true=rng.integers(0, 2, 3000), y_pred=rng.integers(0, 2, 3000), protected={"g": rng.integers(0, 4, 3000)},
              sample_weight=rng.random(3000))
    whole = ba.audit(**kw).parameters["data_sha256"]
    monkeypatch.setattr(_kernel, "_BLOCK_ROWS", 700)
    assert ba.audit(**kw).parameters["data_sha256"] == whole


def test_group_counts_checks_its_own_shapes_and_names():
    c = ba.group_counts(y_true=[1, 0], y_pred=[1, 0], group={"sex": ["f", "m"]})
    with pytest.raises(ba.AuditError, match=r"`rows` must have shape \(2, 2, 2\); got \(3, 2, 2\)"):
        ba.GroupCounts(("sex",), (("f", "m"),), np.zeros((3, 2, 2)), c.weighted, c.weighted_sq)
    with pytest.raises(ba.AuditError, match=r"must be distinct names among \['sex'\]; got \['race'\]"):
        c.marginal(["race"])
    with pytest.raises(ba.AuditError, match=r"got \['sex', 'sex'\]"):
        c.marginal(["sex", "sex"])
    with pytest.raises(TypeError):
        c + 1
    with pytest.raises(TypeError):
        1 + c


def test_addition_keeps_mixed_label_types_in_first_seen_order():
    a = ba.group_counts(y_true=[1], y_pred=[1], group=np.array([1], dtype=object))
    b = ba.group_counts(y_true=[0], y_pred=[0], group=np.array(["x"], dtype=object))
    assert (a + b).levels == ((1, "x"),)
