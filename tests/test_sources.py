"""audit() on data that are not a pandas DataFrame: counted where they live, same answer.

Every family (binary decisions, scores exact and binned, several classes, favourable
classes, amounts, a control variable) from every local engine (polars eager and lazy, a
pyarrow Table and Dataset, a DuckDB relation, Parquet and CSV files) against the pandas
path: the same tables, so results equal exactly without weights and to 1e-10 with them
(only the order of floating-point additions differs), and the same fingerprint where the
engine sees the rows.
"""

import os
import warnings

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba

CI = os.environ.get("CI", "").lower() == "true"


def _engine(name):
    if CI:  # in CI a missing engine is a failure, not a skip
        return __import__(name)
    return pytest.importorskip(name)


def _make_frame(n, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "sex": rng.choice(np.array(["f", "m", None], dtype=object), n, p=[0.45, 0.5, 0.05]),
        "race": rng.choice(list("ABC"), n), "t": rng.integers(0, 2, n),
        "p": (rng.random(n) < 0.4).astype(int), "w": rng.gamma(2.0, 1.0, n),
        # scores with ties on bin edges (multiples of 1/1000) and unbounded scores
        "s": np.round(rng.random(n), 3), "z": rng.normal(size=n),
        "k": rng.integers(0, 3, n), "kt": rng.integers(0, 3, n),
        "risk": rng.choice(["low", "medium", "high"], n), "risk_t": rng.choice(["low", "medium", "high"], n),
        "yr": rng.normal(10, 2, n), "pr": np.round(rng.normal(10, 2, n), 1),
        "level": rng.choice(["junior", "senior"], n)})


@pytest.fixture(scope="module")
def frame():
    return _make_frame(1500, 0)


def _audit(data, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BiasAuditWarning)
        return ba.audit(data, protected=kw.pop("protected", ["sex", "race"]), rng=0, **kw)


def _same(got, want, *, exact=True):
    assert got.counts.describe() == want.counts.describe()
    assert type(got.counts) is type(want.counts) and got.counts.family == want.counts.family
    np.testing.assert_array_equal(got.counts.rows, want.counts.rows)
    for name in ("group_metrics", "disparities", "four_fifths", "criteria"):
        g, w = getattr(got, name), getattr(want, name)
        if exact:
            pd.testing.assert_frame_equal(g, w, obj=name)
        else:
            numeric = w.select_dtypes("number").columns
            assert list(g.columns) == list(w.columns)
            np.testing.assert_allclose(g[numeric].to_numpy(float), w[numeric].to_numpy(float), rtol=1e-10,
                                       atol=1e-12, equal_nan=True, err_msg=name)


TASKS = {
    "binary": dict(y_true="t", y_pred="p"),
    "scores_exact": dict(y_true="t", y_score="s", threshold=[0.5]),
    "scores_binned": dict(y_true="t", y_score="z", score_bins=64),
    "scores_binned_thresholds": dict(y_true="t", y_score="s", score_bins=50, threshold=[0.333, 0.5, "top_share=0.1"]),
    "scores_and_decisions": dict(y_true="t", y_score="s", y_pred="p"),
    "multiclass": dict(y_true="kt", y_pred="k", task="multiclass"),
    "multiclass_text": dict(y_true="risk_t", y_pred="risk", task="multiclass"),
    "multiclass_decisions": dict(y_true=None, y_pred="risk", task="multiclass"),
    "favorable_classes": dict(y_true="t", y_pred="risk", favorable_classes=["low"]),
    "regression": dict(y_true="yr", y_pred="pr", task="regression"),
    "regression_edges": dict(y_true="yr", y_pred="pr", task="regression", prediction_bins=[8.0, 9.5, 10.0, 13.0]),
    "regression_predictions": dict(y_true=None, y_pred="pr", task="regression", prediction_bins=7),
    "control": dict(y_true="t", y_pred="p", control="level"),
}


def _sources(frame, tmp_path):
    pl, pa, duckdb = _engine("polars"), _engine("pyarrow"), _engine("duckdb")
    import pyarrow.dataset as pads

    parquet = tmp_path / "d.parquet"
    if not parquet.exists():
        frame.to_parquet(parquet)
    return {
        "polars": lambda: pl.from_pandas(frame), "polars_lazy": lambda: pl.from_pandas(frame).lazy(),
        "arrow": lambda: pa.Table.from_pandas(frame), "arrow_dataset": lambda: pads.dataset(str(parquet)),
        "duckdb": lambda: duckdb.from_df(frame), "parquet": lambda: str(parquet),
    }


@pytest.mark.parametrize("task", list(TASKS))
def test_every_family_from_every_engine_equals_pandas(frame, tmp_path, task):
    kw = TASKS[task]
    want = _audit(frame, **kw)
    assert want.parameters["data_sha256"] is not None
    for name, source in _sources(frame, tmp_path).items():
        got = _audit(source(), **kw)
        _same(got, want)
        assert got.parameters["data_sha256"] == want.parameters["data_sha256"], name
        if "y_pred" in kw and "y_score" in kw:
            _same(got.decisions, want.decisions)


@pytest.mark.parametrize("task", ["scores_exact", "scores_binned_thresholds", "multiclass", "favorable_classes",
                                  "regression", "control"])
def test_weighted_families_equal_pandas_and_fingerprint_where_rows_are_seen(frame, tmp_path, task):
    kw = dict(TASKS[task], sample_weight="w")
    want = _audit(frame, **kw)
    sources = _sources(frame, tmp_path)
    for name in ("polars", "polars_lazy", "arrow_dataset", "duckdb", "parquet"):
        got = _audit(sources[name](), **kw)
        _same(got, want, exact=False)
        if name in ("polars_lazy", "duckdb"):
            # a lazy engine sees sums of weights, not rows: no fingerprint is claimed
            assert got.parameters["data_sha256"] is None
        else:
            assert got.parameters["data_sha256"] == want.parameters["data_sha256"] is not None, name


def test_csv_file_equals_pandas_for_scores_classes_amounts_and_control(frame, tmp_path):
    path = tmp_path / "d.csv"
    frame.to_csv(path, index=False)
    back = pd.read_csv(path, keep_default_na=True)  # the values as the file holds them
    back["sex"] = back["sex"].astype(object).where(back["sex"].notna(), None)
    for task in ("scores_exact", "scores_binned", "multiclass_text", "regression", "control"):
        for weight in (None, "w"):
            kw = dict(TASKS[task], sample_weight=weight)
            want, got = _audit(back, **kw), _audit(str(path), **kw)
            _same(got, want, exact=weight is None)
            assert got.parameters["data_sha256"] == want.parameters["data_sha256"] is not None


def test_auto_score_bins_follow_the_in_memory_rule(tmp_path):
    pl = _engine("polars")
    frame = _make_frame(20_000, 1)  # more distinct scores than the exact mode takes
    want = _audit(frame, y_true="t", y_score="z")
    got = _audit(pl.from_pandas(frame).lazy(), y_true="t", y_score="z")
    assert want.counts.mode == got.counts.mode == "binned"
    _same(got, want)
    assert got.counts.auc_error_bound == want.counts.auc_error_bound > 0
    few = _audit(pl.from_pandas(frame).lazy(), y_true="t", y_score="s")
    assert few.counts.mode == "exact" and len(few.counts.score_levels) == frame["s"].nunique()


def test_median_of_amounts_is_found_by_narrowing_windows(monkeypatch):
    pl = _engine("polars")
    from biasaudit import _sources_numeric as numeric
    from biasaudit._tables._moment import weighted_lower_median

    rng = np.random.default_rng(3)
    n = 5000
    # heavy ties at the median and a long tail: several narrowing passes are needed
    x = np.concatenate([np.full(n // 2, 7.25), rng.lognormal(2, 2, n // 2)])
    w = rng.gamma(0.5, 2.0, n)
    frame = pl.DataFrame({"x": x, "w": w}).lazy()
    monkeypatch.setattr(numeric, "MEDIAN_WINDOW_ROWS", 16)
    lo, hi = float(x.min()), float(x.max())
    for weight, expected in ((None, weighted_lower_median(x, None)), ("w", weighted_lower_median(x, w))):
        assert numeric.lower_median(frame, "x", weight=weight, lo=lo, hi=hi, caller="t") == expected
    for m in (1, 2, 3, 10, 11):  # odd and even sizes: the (n - 1) // 2-th smallest value
        v = rng.normal(size=m)
        got = numeric.lower_median(pl.DataFrame({"x": v}), "x", weight=None, lo=v.min(), hi=v.max(), caller="t")
        assert got == np.sort(v)[(m - 1) // 2]


def test_labels_are_checked_in_the_engine_and_named(frame):
    pl = _engine("polars")
    bad = frame.assign(p=frame["p"] * 2)  # 0/2: not a 0/1 column
    with pytest.raises(ba.AuditError, match="'p'.*Hint: name the task"):
        _audit(pl.from_pandas(bad), y_true="t", y_pred="p")
    text = frame.assign(t=np.where(frame["t"] == 1, "yes", "no"), p=np.where(frame["p"] == 1, "yes", "no"))
    _same(_audit(pl.from_pandas(text), y_true="t", y_pred="p", pos_label="yes"),
          _audit(text, y_true="t", y_pred="p", pos_label="yes"))


def test_bad_inputs_from_a_source_are_clear_errors(frame):
    pl = _engine("polars")
    data = pl.from_pandas(frame)
    with pytest.raises(ba.InvalidParameterError, match=r"`y_pred` must be a column name"):
        ba.audit(data, y_true="t", y_pred=frame["p"].to_numpy(), protected="sex")
    with pytest.raises(ba.InvalidParameterError, match=r"`control` must not be one of the protected"):
        ba.audit(data, y_true="t", y_pred="p", protected="sex", control="sex")
    with pytest.raises(ba.InvalidParameterError, match=r"`y_true` is required with `y_score`"):
        ba.audit(data, y_true=None, y_score="s", protected="sex")
    with pytest.raises(ba.InvalidParameterError, match=r"`favorable_classes` must name classes of `y_pred`"):
        ba.audit(data, y_true="t", y_pred="risk", protected="sex", favorable_classes=["none"])
    with pytest.raises(ba.AuditError, match=r"same kind of class labels"):
        ba.audit(data, y_true="kt", y_pred="risk", protected="sex", task="multiclass")
    nan_scores = pl.from_pandas(frame.assign(s=frame["s"].where(frame.index != 3)))
    with pytest.raises(ba.AuditError, match=r"column 's' of the polars LazyFrame must be a finite number"):
        ba.audit(nan_scores.lazy(), y_true="t", y_score="s", protected="sex")
    with pytest.raises(ba.AuditError, match=r"column 'pr' .* must be a finite number"):
        ba.audit(pl.from_pandas(frame.assign(pr=np.inf)).lazy(), y_true="yr", y_pred="pr", protected="sex",
                 task="regression")


def test_a_duckdb_database_table_or_query_audited_for_every_family(frame, tmp_path):
    duckdb = _engine("duckdb")
    from biasaudit._engines import DatabaseSource

    path = str(tmp_path / "audit.duckdb")
    con = duckdb.connect(path)
    con.register("frame_view", frame)
    con.execute('CREATE TABLE "decisions 2024" AS SELECT * FROM frame_view')
    con.close()
    for task in ("binary", "scores_binned_thresholds", "multiclass_text", "regression", "control"):
        want = _audit(frame, **TASKS[task])
        got = _audit(DatabaseSource(path, table="decisions 2024"), **TASKS[task])
        _same(got, want)
        assert got.parameters["data_sha256"] == want.parameters["data_sha256"]
    kw = dict(TASKS["scores_exact"], sample_weight="w")
    query = DatabaseSource(path, sql='SELECT * FROM "decisions 2024" WHERE race <> \'C\'')
    got, want = _audit(query, **kw), _audit(frame[frame["race"] != "C"], **kw)
    _same(got, want, exact=False)
    assert got.parameters["data_sha256"] is None  # the database sees the rows, not us


def test_the_first_pass_summary_in_every_engine(frame, tmp_path, monkeypatch):
    from biasaudit._engines import _summary

    s = frame["s"].to_numpy()
    expected = (float(s.min()), float(s.max()), int(len(np.unique(s))))
    for name, source in _sources(frame, tmp_path).items():
        got = _summary.summarize(source(), ["s", "z"], distinct=["s"])
        assert got.rows == len(frame) and got["s"] == expected, name
        assert got["z"] == (float(frame["z"].min()), float(frame["z"].max()), None), name
    # batches keep at most DISTINCT_CAP distinct values: beyond, "too many" (cap + 1)
    monkeypatch.setattr(_summary, "DISTINCT_CAP", 10)
    import pyarrow.dataset as pads

    capped = _summary.summarize(pads.dataset(str(tmp_path / "d.parquet")), ["s"], distinct=["s"])
    assert capped["s"][2] == 11 and capped["s"][:2] == expected[:2]
