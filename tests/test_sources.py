"""audit() on data that are not a pandas DataFrame: counted where they live, same answer."""

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


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    n = 4000
    return pd.DataFrame({"sex": rng.choice(np.array(["f", "m", None], dtype=object), n, p=[0.45, 0.5, 0.05]),
                         "race": rng.choice(list("ABC"), n), "t": rng.integers(0, 2, n),
                         "p": (rng.random(n) < 0.4).astype(int), "w": rng.gamma(2.0, 1.0, n)})


def _audit(data, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BiasAuditWarning)
        return ba.audit(data, y_true="t", y_pred="p", protected=["sex", "race"], rng=0, **kw)


def _same(got, want, *, exact=True):
    for name in ("group_metrics", "disparities", "four_fifths", "criteria"):
        if exact:
            pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), obj=name)
        else:
            numeric = getattr(want, name).select_dtypes("number").columns
            np.testing.assert_allclose(getattr(got, name)[numeric].to_numpy(float),
                                       getattr(want, name)[numeric].to_numpy(float), rtol=1e-10, equal_nan=True)


def test_polars_eager_and_lazy_equal_pandas_fingerprint_included(frame):
    pl = _engine("polars")
    want = _audit(frame)
    for data in (pl.from_pandas(frame), pl.from_pandas(frame).lazy()):
        got = _audit(data)
        _same(got, want)
        assert got.parameters["data_sha256"] == want.parameters["data_sha256"] is not None


def test_a_parquet_file_and_a_duckdb_relation_equal_pandas(frame, tmp_path):
    duckdb = _engine("duckdb")
    _engine("pyarrow")
    frame.to_parquet(tmp_path / "d.parquet")
    want = _audit(frame)
    _same(_audit(str(tmp_path / "d.parquet")), want)
    _same(_audit(tmp_path / "d.parquet"), want)
    con = duckdb.connect()
    _same(_audit(con.from_df(frame)), want)


def test_weighted_sources_equal_pandas_and_record_no_row_fingerprint(frame):
    pl = _engine("polars")
    want = _audit(frame, sample_weight="w")
    got = _audit(pl.from_pandas(frame), sample_weight="w")
    _same(got, want, exact=False)
    # the engine sees sums of weights, not rows: no fingerprint is claimed
    assert got.parameters["data_sha256"] is None and want.parameters["data_sha256"] is not None


def test_labels_are_checked_in_the_engine_and_named(frame):
    pl = _engine("polars")
    bad = frame.assign(p=frame["p"] * 2)  # 0/2: not a 0/1 column
    with pytest.raises(ba.AuditError, match="'p'"):
        _audit(pl.from_pandas(bad))
    text = frame.assign(t=np.where(frame["t"] == 1, "yes", "no"), p=np.where(frame["p"] == 1, "yes", "no"))
    _same(_audit(pl.from_pandas(text), pos_label="yes"), _audit(text, pos_label="yes"))


def test_what_a_source_cannot_do_yet_is_a_clear_error(frame):
    pl = _engine("polars")
    with pytest.raises(ba.InvalidParameterError, match=r"`y_pred` must be a column name"):
        ba.audit(pl.from_pandas(frame), y_true="t", y_pred=frame["p"].to_numpy(), protected="sex")
    with pytest.raises(ba.InvalidParameterError, match=r"need a pandas DataFrame for now"):
        ba.audit(pl.from_pandas(frame), y_true="t", y_pred="p", protected="sex", task="regression")
