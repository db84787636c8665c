"""Tables of sufficient statistics and the counting kernel: exact, additive, validated, no mutation."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit as ba
from biasaudit._tables import _sparse as sparse_module
from biasaudit._tables import _kernel
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
    monkeypatch.setattr(_kernel, "BLOCK_ROWS", 1000)
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


def test_more_groups_than_a_dense_table_holds_are_counted_where_observed(monkeypatch):
    monkeypatch.setattr(sparse_module, "MAX_GROUPS", 10)
    c = ba.group_counts(y_true=[1] * 4, y_pred=[1, 0, 1, 1], group={"a": [1, 2, 3, 1], "b": [1, 2, 3, 4]})
    assert c.is_sparse and c.combos.tolist() == [[0, 0], [0, 3], [1, 1], [2, 2]]  # 4 of 12 possible groups
    assert c.rows.shape == (4, 2, 2) and c.rows[:, 1, 1].tolist() == [1, 1, 0, 1]


def test_no_outcomes_counts_decisions_only():
    c = ba.group_counts(y_true=None, y_pred=[1, 0, 1], group=["a", "a", "b"])
    assert not c.has_y_true
    assert c.family == "decisions" and c.cell_names == ("y_pred",)
    assert c.rows.tolist() == [[1, 1], [0, 1]]  # no y_true axis, not a fake one
    assert c.to_frame()["positive_decisions"].tolist() == [1.0, 1.0]


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
    monkeypatch.setattr(_kernel, "BLOCK_ROWS", 700)
    assert ba.audit(**kw).parameters["data_sha256"] == whole


def test_weighted_fingerprint_is_exact_when_a_cell_has_millions_of_rows():
    # Each row adds 32-bit hash chunks (2**31 on average) to its cell; past about 2**22 rows
    # a float total of them rounds (2**53), and the fingerprint would depend on the chunking.
    n = 6_000_000
    rng = np.random.default_rng(11)
    kw = dict(y_true=np.ones(n, dtype=np.int8), y_pred=np.ones(n, dtype=np.int8),
              group={"g": np.zeros(n, dtype=np.int8)}, sample_weight=rng.uniform(0.5, 2.0, n))
    whole = ba.group_counts(**kw)
    half = n // 2
    parts = [ba.group_counts(**{k: (v[a:b] if k != "group" else {"g": v["g"][a:b]}) for k, v in kw.items()})
             for a, b in [(0, half), (half, n)]]
    assert (parts[0] + parts[1]).data_sha256 == whole.data_sha256


def test_group_counts_checks_its_own_shapes_and_names():
    c = ba.group_counts(y_true=[1, 0], y_pred=[1, 0], group={"sex": ["f", "m"]})
    with pytest.raises(ba.AuditError, match=r"sum 'rows' must have shape \(2, 2, 2\); got \(3, 2, 2\)"):
        ba.GroupCounts.from_arrays(attributes=["sex"], levels=[["f", "m"]], rows=np.zeros((3, 2, 2)))
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



# --------------------------------------------------------------------------- tables


def _random_frame(n, seed, weights=True):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "sex": rng.choice(np.array(["f", "m", None], dtype=object), n, p=[0.45, 0.5, 0.05]),
        "race": rng.choice([1, 2, 3], n),
        "t": rng.integers(0, 2, n),
        "p": rng.integers(0, 2, n),
    })
    if weights:
        df["w"] = rng.gamma(2.0, 1.5, n)
    return df


def _count(df, **kw):
    return ba.group_counts(data=df, y_true="t", y_pred="p", group=["sex", "race"],
                           sample_weight="w" if "w" in df else None, **kw)


@pytest.mark.parametrize("weights", [True, False])
def test_long_form_round_trips_exactly(weights):
    c = _count(_random_frame(3000, 1, weights))
    long = c.to_long()
    assert list(long.columns) == ["sex", "race", "y_true", "y_pred", "rows", "weight", "weight_sq"]
    assert len(long) == int((c.rows > 0).sum())  # one row per non-empty cell
    assert long["sex"].isna().any()  # the missing group is written as a missing value
    back = ba.GroupCounts.from_long(long, attributes=["sex", "race"], cell_axes=c.cell_axes, family="binary")
    assert back.levels == c.levels and back.missing_labels == c.missing_labels
    np.testing.assert_array_equal(back.rows, c.rows)
    np.testing.assert_array_equal(back.weight, c.weight)
    np.testing.assert_array_equal(back.weight_sq, c.weight_sq)
    assert isinstance(back, ba.GroupCounts)


def test_long_form_is_what_a_group_by_returns():
    df = _random_frame(2000, 2)
    c = _count(df)
    grouped = (df.assign(sex=df["sex"].fillna("NULL"))
               .groupby(["sex", "race", "t", "p"]).agg(rows=("w", "size"), weight=("w", "sum")).reset_index())
    long = c.to_long().assign(sex=lambda f: f["sex"].fillna("NULL"))
    merged = long.merge(grouped, left_on=["sex", "race", "y_true", "y_pred"], right_on=["sex", "race", "t", "p"])
    assert len(merged) == len(long) == len(grouped)
    np.testing.assert_array_equal(merged["rows_x"], merged["rows_y"])
    np.testing.assert_allclose(merged["weight_x"], merged["weight_y"], rtol=1e-12)


@pytest.mark.parametrize("weights", [True, False])
def test_chunks_sum_to_the_whole_fingerprint_included(weights):
    df = _random_frame(5000, 3, weights)
    whole = _count(df)
    parts = [_count(df.iloc[a:b]) for a, b in [(0, 7), (7, 2500), (2500, 4999), (4999, 5000)]]
    total = sum(parts)
    np.testing.assert_array_equal(total.rows, whole.rows)
    np.testing.assert_allclose(total.weight, whole.weight, rtol=1e-12)
    assert total.fingerprint == whole.fingerprint
    assert total.data_sha256 == whole.data_sha256
    # the order of rows and of chunks does not matter
    shuffled = _count(df.sample(frac=1.0, random_state=0))
    assert shuffled.data_sha256 == whole.data_sha256
    assert sum(reversed(parts)).data_sha256 == whole.data_sha256


def test_fingerprint_sees_every_column_of_every_row():
    df = _random_frame(1000, 4)
    base = _count(df).data_sha256
    for column, value in [("t", None), ("p", None), ("w", 0.5), ("race", 3), ("sex", "m")]:
        changed = df.copy()
        row = 10 if column != "race" else int(np.flatnonzero(df["race"] != 3)[0])
        changed.loc[row, column] = (1 - changed.loc[row, column]) if value is None else value
        if column == "sex" and df.loc[row, "sex"] == "m":
            changed.loc[row, column] = "f"
        assert _count(changed).data_sha256 != base, column
    assert _count(df.drop(index=5)).data_sha256 != base
    unweighted = _count(df.drop(columns="w")).data_sha256
    ones = _count(df.assign(w=1.0)).data_sha256
    assert unweighted != ones  # declaring weights is part of what was audited
    assert _count(df, fingerprint=False).fingerprint is None


def test_fingerprint_of_labels_not_codes():
    # chunk tables with different label sets still merge into the whole's fingerprint
    a = ba.group_counts(y_true=[1, 0], y_pred=[1, 1], group={"g": ["x", "z"]})
    b = ba.group_counts(y_true=[0], y_pred=[0], group={"g": ["y"]})
    whole = ba.group_counts(y_true=[1, 0, 0], y_pred=[1, 1, 0], group={"g": ["x", "z", "y"]})
    assert (a + b).data_sha256 == whole.data_sha256
    # 1, 1.0, True and "1" are different labels
    digests = {ba.group_counts(y_true=[1], y_pred=[1], group={"g": np.array([v], dtype=object)}).data_sha256
               for v in (1, 1.0, True, "1")}
    assert len(digests) == 4


@pytest.mark.parametrize("sums, message", [
    ({"rows": [[[1, -1], [0, 0]]]}, "sum 'rows' must be >= 0; got 1 negative cells"),
    ({"rows": [[[1.5, 0], [0, 0]]]}, "sum 'rows' must hold whole-number row counts"),
    ({"rows": [[[1, 0], [0, 0]]], "weight": [[[np.nan, 0], [0, 0]]]}, "sum 'weight' must be finite"),
    ({"rows": [[[1, 0], [0, 0]]], "weight": [[[np.inf, 0], [0, 0]]]}, "sum 'weight' must be finite"),
    ({"rows": [[[1, 0], [0, 0]]], "weight": [[[-1.0, 0], [0, 0]]]}, "sum 'weight' must be >= 0"),
    ({"rows": [[[1, 0], [0, 0]]], "weight": [[[1.0, 2.0], [0, 0]]]}, "sum 'weight' must be 0 in every cell with no rows"),
    ({"rows": [[1, 0], [0, 0]]}, r"sum 'rows' must have shape \(1, 2, 2\); got \(2, 2\)"),
    ({"rows": [[["a", 0], [0, 0]]]}, "sum 'rows' must be numeric"),
])
def test_tables_validate_their_sums(sums, message):
    with pytest.raises(ba.AuditError, match=message):
        ba.Table(attributes=["g"], levels=[["a"]], cell_axes=[("y_true", (0, 1)), ("y_pred", (0, 1))],
                 sums=sums, family="binary")


def test_tables_validate_levels():
    cells = [("y_pred", (0, 1))]
    with pytest.raises(ba.AuditError, match="levels of attribute 'g' must be distinct"):
        ba.Table(attributes=["g"], levels=[["a", "a"]], cell_axes=cells, sums={"rows": np.ones((2, 2))},
                 family="decisions")
    with pytest.raises(ba.AuditError, match="missing-value group '\\(missing\\)' of 'g' must be its last level"):
        ba.Table(attributes=["g"], levels=[["(missing)", "a"]], cell_axes=cells, sums={"rows": np.ones((2, 2))},
                 family="decisions", missing_labels=["(missing)"])
    with pytest.raises(ba.AuditError, match="`attributes` must be distinct"):
        ba.Table(attributes=["g", "g"], levels=[["a"], ["b"]], cell_axes=cells, sums={"rows": np.ones((1, 1, 2))},
                 family="decisions")


def test_tables_copy_what_they_are_given():
    rows = np.ones((1, 2, 2), dtype=np.int64)
    t = ba.GroupCounts.from_arrays(attributes=["g"], levels=[["a"]], rows=rows)
    rows[0, 0, 0] = 99
    assert t.rows[0, 0, 0] == 1 and rows.flags.writeable


def test_a_literal_missing_label_stays_apart_from_missing_values_when_added():
    literal = ba.group_counts(y_true=[1], y_pred=[1], group={"g": ["(missing)"]})
    missing = ba.group_counts(y_true=[0], y_pred=[0], group={"g": [None]})
    total = literal + missing
    assert total.levels == (("(missing)", "(missing)*"),)
    assert total.missing_labels == ("(missing)*",)
    assert total.rows.reshape(2, 4).sum(axis=1).tolist() == [1, 1]


def test_an_empty_or_weightless_table_is_a_clear_error():
    empty = ba.GroupCounts.from_arrays(attributes=["g"], levels=[["a", "b"]], rows=np.zeros((2, 2, 2)))
    with pytest.raises(ba.AuditError, match="the table counts no rows"):
        ba.audit_counts(empty)
    with pytest.raises(ba.AuditError, match="`sample_weight` must have a positive total"):
        ba.audit(y_true=[1, 0], y_pred=[1, 1], protected={"g": ["a", "b"]}, sample_weight=[0.0, 0.0])
    weightless = ba.GroupCounts.from_arrays(attributes=["g"], levels=[["a"]], rows=np.ones((1, 2, 2)),
                                            weighted=np.zeros((1, 2, 2)), weighted_sq=np.zeros((1, 2, 2)))
    with pytest.raises(ba.AuditError, match="total weight is 0"):
        ba.audit_counts(weightless)


def test_the_kernel_is_the_only_loop_over_rows_and_encoding_lives_outside_it():
    import inspect

    source = inspect.getsource(_kernel)
    assert "np.bincount" in source and "factorize" not in source and "hashlib" not in source
