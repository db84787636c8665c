"""Audits whose attributes combine into more groups than a dense table holds.

Above ``_sparse.MAX_GROUPS`` possible combinations the finest table keeps only the
combinations with rows. Lowering the limit makes a small audit sparse, so the dense audit
of the same rows is an exact oracle for every number; one audit beyond the real limit
(seven attributes of eight levels: 2,097,152 combinations) checks the scale itself.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_disclosure import MIN_CELL, _assert_protected, _report_equalities

import biasaudit as ba
from biasaudit._report._published import publication
from biasaudit._tables import _sparse
from biasaudit._tables._sparse import observed_combinations
from biasaudit.cli import main as cli_main


def _frame(seed=5, n=900):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.choice(list("xyzuv"), n), "b": rng.choice(list("pqrstu"), n),
                       "c": rng.choice([1.0, 2.0, 3.0, np.nan], n), "k": rng.integers(0, 4, n),
                       "y": rng.integers(0, 2, n), "p": rng.integers(0, 2, n), "w": rng.uniform(0.2, 2.0, n),
                       "s": rng.random(n), "amt": rng.normal(50, 10, n), "pamt": rng.normal(50, 10, n),
                       "cls": rng.integers(0, 3, n), "pcls": rng.integers(0, 3, n)})
    return df[~((df.a == "x") & (df.b == "p"))].reset_index(drop=True)  # combinations without rows


def _both(monkeypatch, data, **kw):
    """The audit counted densely, then sparsely (the limit lowered below its 120 combinations)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = ba.audit(data, protected=["a", "b", "c"], **kw)
        monkeypatch.setattr(_sparse, "MAX_GROUPS", 10)
        sparse = ba.audit(data, protected=["a", "b", "c"], **kw)
        monkeypatch.setattr(_sparse, "MAX_GROUPS", 1_000_000)
    return dense, sparse


CASES = {
    "weighted decisions, bootstrap": dict(y_true="y", y_pred="p", sample_weight="w", n_resamples=60, rng=1),
    "decisions alone": dict(y_true=None, y_pred="p"),
    "stratified by a control": dict(y_true="y", y_pred="p", control="k", n_resamples=40, rng=2),
    "every intersection": dict(y_true="y", y_pred="p", intersections="all"),
    "scores, bootstrap": dict(y_true="y", y_score="s", n_resamples=40, rng=3),
    "amounts, row bootstrap": dict(y_true="amt", y_pred="pamt", task="regression", n_resamples=40, rng=4),
    "amounts with a control": dict(y_true="amt", y_pred="pamt", task="regression", control="k", n_resamples=30,
                                   rng=5),
    "classes": dict(y_true="cls", y_pred="pcls", task="multiclass"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_sparse_audit_equals_the_dense_audit_of_the_same_rows(monkeypatch, case):
    dense, sparse = _both(monkeypatch, _frame(), **CASES[case])
    assert sparse.counts.is_sparse and not dense.counts.is_sparse
    observed = int((dense.counts.rows.reshape(-1, *dense.counts.cell_shape) != 0)
                   .reshape(len(dense.counts.rows.reshape(-1, *dense.counts.cell_shape)), -1).any(axis=1).sum())
    assert len(sparse.counts.combos) == observed < 5 * 6 * 4 * (4 if "control" in case else 1)
    for view in ("group_metrics", "disparities", "summary", "criteria", "four_fifths"):
        pd.testing.assert_frame_equal(getattr(dense, view), getattr(sparse, view), check_exact=False, rtol=1e-10)
    assert sparse.empty_groups == dense.empty_groups
    assert sparse.counts.data_sha256 == dense.counts.data_sha256 is not None
    assert sparse.family_size == dense.family_size


def test_table_operations_of_a_sparse_table_match_the_dense_ones(monkeypatch):
    data = _frame(8)
    dense = ba.group_counts(data=data, y_true="y", y_pred="p", group=["a", "b", "c"], sample_weight="w")
    monkeypatch.setattr(_sparse, "MAX_GROUPS", 10)
    sparse = ba.group_counts(data=data, y_true="y", y_pred="p", group=["a", "b", "c"], sample_weight="w")
    assert sparse.is_sparse and "observed combinations" in repr(sparse)
    # a marginal with few groups is dense again and equal; one with many stays sparse
    for attrs in (["b"], ["c", "a"], ["a", "b"], ["b", "c", "a"]):
        m_sparse, m_dense = sparse.marginal(attrs), dense.marginal(attrs)
        assert m_sparse.is_sparse == (len(attrs) > 1 and np.prod([len(m_dense.levels[i]) for i in
                                                                   range(len(attrs))]) > 10)
        for got, want in zip(m_sparse.group_sums(nonempty=True), m_dense.group_sums(nonempty=True)):
            if isinstance(got, dict):
                for k in want:
                    np.testing.assert_allclose(got[k], want[k], rtol=1e-12)
            else:
                assert list(np.asarray(got).tolist()) == list(np.asarray(want).tolist())
        # each finest group's position among the groups of attrs, against the labels
        labels = m_sparse.group_sums(nonempty=False)[0]
        finest = sparse.group_sums(nonempty=False)[0]
        order = [sparse.attributes.index(a) for a in attrs]
        for lab, pos in zip(finest, sparse.group_codes(attrs)):
            want = tuple(lab[i] for i in order)
            assert labels[pos] == (want if len(attrs) > 1 else want[0])
    # the long form round-trips, sparse again
    back = type(sparse).from_long(sparse.to_long(), attributes=sparse.attributes, cell_axes=sparse.cell_axes,
                                  family=sparse.family)
    assert back.is_sparse and np.array_equal(back.combos, sparse.combos)
    np.testing.assert_allclose(back.weight, sparse.weight, rtol=1e-12)
    pd.testing.assert_frame_equal(sparse.to_long().sort_values(["a", "b", "c", "y_true", "y_pred"])
                                  .reset_index(drop=True),
                                  dense.to_long().sort_values(["a", "b", "c", "y_true", "y_pred"])
                                  .reset_index(drop=True), check_dtype=False)
    # tables add: halves counted apart (with different levels) add up to the whole
    half = len(data) // 2
    parts = [ba.group_counts(data=part, y_true="y", y_pred="p", group=["a", "b", "c"], sample_weight="w")
             for part in (data.iloc[:half], data.iloc[half:])]
    total = parts[0] + parts[1]
    assert total.is_sparse and np.array_equal(total.combos, sparse.combos)
    np.testing.assert_array_equal(total.rows, sparse.rows)
    np.testing.assert_allclose(total.weight, sparse.weight, rtol=1e-12)
    assert total.data_sha256 == sparse.data_sha256 == dense.data_sha256
    monkeypatch.setattr(_sparse, "MAX_GROUPS", 1_000_000)
    mixed = parts[0] + dense  # sparse + dense, few enough groups now: dense
    assert not mixed.is_sparse
    np.testing.assert_array_equal(mixed.rows, dense.rows + _dense_rows(parts[0], dense))


def _dense_rows(sparse, like):
    """A sparse table's row counts laid out on a dense table's levels."""
    out = np.zeros(like.rows.shape, dtype=np.int64)
    for combo, rows in zip(sparse.combos, sparse.rows):
        labels = [sparse.levels[k][c] for k, c in enumerate(combo)]
        index = tuple(like.levels[k].index(lab) for k, lab in enumerate(labels))
        out[index] += rows
    return out


def test_observed_combinations_are_distinct_sorted_and_invert_the_rows():
    rng = np.random.default_rng(0)
    sizes = [7, 1, 300000, 2]
    codes = [rng.integers(0, s, 5000) for s in sizes]
    combos, inverse = observed_combinations(codes, sizes)
    assert np.array_equal(combos[inverse], np.stack(codes, axis=1))
    assert len({tuple(c) for c in combos.tolist()}) == len(combos)
    assert combos.tolist() == sorted(combos.tolist())
    # beyond 64-bit keys: the rows themselves are compared
    big = [2**40, 2**40]
    combos2, inverse2 = observed_combinations([c[:2000] % 5 for c in codes[:2]], big)
    assert np.array_equal(combos2[inverse2], np.stack([c[:2000] % 5 for c in codes[:2]], axis=1))


def test_a_sparse_table_validates_its_combinations():
    common = dict(attributes=["a", "b"], levels=[["x", "y"], ["p", "q"]], cell_axes=[("y_pred", (0, 1))],
                  family="decisions")
    rows = np.array([[1, 0], [0, 2]])
    ba.Table(**common, sums={"rows": rows}, combos=[[0, 1], [1, 0]])
    with pytest.raises(ba.AuditError, match=r"distinct and in increasing \(C\) order; got row 1 \[0, 1\] after \[1, 0\]"):
        ba.Table(**common, sums={"rows": rows}, combos=[[1, 0], [0, 1]])
    with pytest.raises(ba.AuditError, match=r"level codes in \[0, number of levels\) of each attribute "
                                            r"\(\[2, 2\]\); got row 1: \[2, 0\]"):
        ba.Table(**common, sums={"rows": rows}, combos=[[0, 1], [2, 0]])
    with pytest.raises(ba.AuditError, match=r"must have shape \(2, 2\)"):
        ba.Table(**common, sums={"rows": np.ones((3, 2))}, combos=[[0, 1], [1, 0]])


def test_the_published_edition_of_a_sparse_audit_resists_the_attacker(monkeypatch):
    # Each attribute is protected on its own and every intersection withheld; the attacker
    # holds every number of the published JSON and solves over the whole finest table.
    rng = np.random.default_rng(11)
    n = 400
    data = pd.DataFrame({"a": rng.choice(list("xyz"), n, p=[0.6, 0.3, 0.1]), "b": rng.choice(list("pqrs"), n),
                         "c": rng.choice(["u", "v"], n, p=[0.9, 0.1]),
                         "y": rng.integers(0, 2, n), "p": (rng.random(n) < 0.35).astype(int)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = ba.audit(data, y_true="y", y_pred="p", protected=["a", "b", "c"], rng=0)
        monkeypatch.setattr(_sparse, "MAX_GROUPS", 10)
        sparse = ba.audit(data, y_true="y", y_pred="p", protected=["a", "b", "c"], rng=0)
        doc = json.loads(sparse.report(min_cell=MIN_CELL).to_json())
    counts, groupings, equalities = _report_equalities(dense, doc)  # the same levels and groups
    assert _assert_protected(counts, groupings, equalities) > 0
    by_name = {b["attribute"]: b for b in doc["results"]}
    assert all(g["n"] is None for g in by_name["a & b & c"]["groups"])
    assert all(g["n"] is not None for g in by_name["b"]["groups"])  # about 100 people each
    # z (about 40 people) has cells of about 7 people: some of its figures are withheld
    pub = publication(sparse, min_cell=MIN_CELL)
    assert pub.complete("b", "p") and not pub.complete("a", "z") and not pub.size("a & b & c", ("x", "p", "u"))


@pytest.fixture(scope="module")
def seven_attributes():
    rng = np.random.default_rng(3)
    n = 600
    data = pd.DataFrame({f"attr{i}": rng.choice([f"L{j}" for j in range(8)], n) for i in range(7)})
    data["approved"] = rng.integers(0, 2, n)
    data["decision"] = (rng.random(n) < 0.3 + 0.2 * (data.attr0 == "L0")).astype(int)
    return data


def test_seven_attributes_of_eight_levels_count_only_their_observed_combinations(seven_attributes):
    data = seven_attributes
    names = [f"attr{i}" for i in range(7)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = ba.audit(data, y_true="approved", y_pred="decision", protected=names)
    counts = result.counts
    observed = data.groupby(names).size()
    assert counts.is_sparse and len(counts.combos) == len(observed) and counts.rows.shape == (len(observed), 2, 2)
    assert dict(result.empty_groups)[tuple(names)] == 8**7 - len(observed)
    inter = result.group_metrics[result.group_metrics["attribute"] == " & ".join(names)]
    sizes = dict(zip(inter["group"], inter["n"]))
    assert sizes == {k: v for k, v in observed.items()}
    by_level = result.group_metrics[result.group_metrics["attribute"] == "attr0"].set_index("group")
    want = data.groupby("attr0")["decision"].mean()
    np.testing.assert_allclose(by_level.loc[want.index, "selection_rate"], want.to_numpy(), rtol=1e-12)
    plain = result.to_dict()["counts"]
    assert plain["axes"][0] == "combination" and len(plain["combinations"]) == len(observed)
    report = result.report(min_cell=MIN_CELL)
    doc = json.loads(report.to_json())
    shown = {b["attribute"]: b for b in doc["results"]}
    assert all(g["n"] is not None for g in shown["attr0"]["groups"])  # 60-90 people each
    assert all(g["n"] is None for g in shown[" & ".join(names)]["groups"])
    assert doc["small_groups"]["withheld_whole"] == [" & ".join(names)]
    html = report.to_html()
    assert f"{8**7 - len(observed):,} combinations without rows" in html
    assert "combine into more than a million possible groups, so each attribute" in html
    az = result.report(min_cell=MIN_CELL, language="az").to_markdown()
    assert "bir milyondan çox mümkün qrup" in az
    full = json.loads(result.report(min_cell=MIN_CELL, full=True).to_json())
    assert full["small_groups"]["withheld_whole"] == []


def test_the_command_line_audits_seven_attributes_in_memory_and_streamed_alike(seven_attributes, tmp_path):
    names = ",".join(f"attr{i}" for i in range(7))
    seven_attributes.to_csv(tmp_path / "d.csv", index=False)
    seven_attributes.to_parquet(tmp_path / "d.parquet")
    digests = []
    for name in ("d.csv", "d.parquet"):
        out = tmp_path / f"out_{name}"
        code = cli_main(["audit", str(tmp_path / name), "--y-true", "approved", "--y-pred", "decision",
                         "--protected", names, "--out", str(out), "--format", "json", "--fail-on", "never"])
        assert code == 0
        doc = json.loads((out / "report.json").read_text())
        digests.append(doc["annex"]["parameters"]["data_sha256"])
    assert digests[0] == digests[1] is not None


def test_fairlearn_inputs_still_refuse_more_groups_than_a_dense_frame_holds(monkeypatch):
    from biasaudit._encoding import encode_attribute
    from biasaudit.compat import _fairlearn_inputs

    monkeypatch.setattr(_sparse, "MAX_GROUPS", 10)
    data = _frame()
    with pytest.raises(ba.AuditError, match=r"combine into 120 possible groups .* audit\(\) counts only"):
        _fairlearn_inputs.check_group_count([encode_attribute(data[c], c) for c in ("a", "b", "c")], "MetricFrame")


@pytest.mark.parametrize("weight", [None, "w"])
def test_engines_give_the_same_sparse_table_and_digest_as_memory(monkeypatch, weight):
    # polars (pushed through narwhals) and a DuckDB relation (a GROUP BY in the engine) come back
    # as long frames; above the limit Table.from_long makes them sparse, fingerprint included.
    import duckdb
    import polars as pl

    data = _frame(21)[["a", "b", "c", "y", "p", "w"]]
    kw = {"y_true": "y", "y_pred": "p", "protected": ["a", "b", "c"], "sample_weight": weight}
    con = duckdb.connect()
    sources = (data, pl.from_pandas(data), con.from_df(data))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dense = [ba.audit(source, **kw) for source in sources]
        monkeypatch.setattr(_sparse, "MAX_GROUPS", 10)
        results = [ba.audit(source, **kw) for source in sources]
    for r, d in zip(results, dense):
        assert r.counts.is_sparse and np.array_equal(r.counts.combos, results[0].counts.combos)
        pd.testing.assert_frame_equal(r.group_metrics, dense[0].group_metrics, check_exact=False, rtol=1e-12)
        assert r.counts.data_sha256 == d.counts.data_sha256
    # every source that fingerprints weighted rows gives the in-memory digest (DuckDB's push-down
    # does not hash the weights, docs/engines.md); without weights all of them do
    digests = {r.counts.data_sha256 for r in results} - {None}
    assert digests == {dense[0].counts.data_sha256} and (weight is not None or None not in
                                                         {r.counts.data_sha256 for r in results})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=4), st.integers(0, 60), st.booleans(),
       st.randoms(use_true_random=False))
def test_sparse_and_dense_tables_agree_on_random_rows(sizes, n, weighted, rnd):
    # Any rows (missing values, levels only one half has): the sparse table, and the sum of the
    # sparse tables of two halves, have the dense table's groups, sums and digest, marginals too.
    rng = np.random.default_rng(rnd.randint(0, 2**32 - 1))
    group = {f"g{k}": [None if x == s else f"l{x}" for x in rng.integers(0, s + 1, n)] for k, s in enumerate(sizes)}
    y, p = rng.integers(0, 2, n), rng.integers(0, 2, n)
    w = rng.uniform(0.1, 3.0, n) if weighted else None

    def count(rows):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ba.group_counts(y_true=y[rows], y_pred=p[rows], sample_weight=None if w is None else w[rows],
                                   group={k: [v[i] for i in rows] for k, v in group.items()})

    if n == 0:
        return
    everyone, first, rest = np.arange(n), np.arange(n // 2), np.arange(n // 2, n)
    dense = count(everyone)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_sparse, "MAX_GROUPS", 0)  # every table and marginal sparse
        sparse, halves = count(everyone), (count(first) + count(rest) if len(first) else count(rest))
    assert sparse.is_sparse and halves.is_sparse
    assert sparse.data_sha256 == dense.data_sha256 == halves.data_sha256
    for table in (sparse, halves):
        for attrs in [list(dense.attributes)] + [[a] for a in dense.attributes]:
            _assert_same_groups(table.marginal(attrs), dense.marginal(attrs))


def _assert_same_groups(got_table, want_table):
    labels, _, sums = got_table.group_sums(nonempty=True)
    want_labels, _, want = want_table.group_sums(nonempty=True)
    assert sorted(map(repr, labels)) == sorted(map(repr, want_labels))
    order = {repr(lab): i for i, lab in enumerate(labels)}
    index = [order[repr(lab)] for lab in want_labels]
    for name in want:
        np.testing.assert_allclose(sums[name][index], want[name], rtol=1e-12, atol=1e-12)
