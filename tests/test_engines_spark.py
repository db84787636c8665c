"""PySpark DataFrames on a local[2] session: the count is pushed down as groupBy().agg()."""

from __future__ import annotations

import pytest
from _engine_oracle import (
    KW,
    assert_long_equal,
    naive_long,
    require_engine,
)

from biasaudit._engines import count_long
from biasaudit.exceptions import AuditError

SCHEMA = "g string, h bigint, y bigint, p boolean, s double, w double"


@pytest.fixture(scope="module")
def spark():
    require_engine("pyspark")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("biasaudit-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
               .config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _rows(n, seed):
    import random

    rnd = random.Random(seed)
    return [{"g": rnd.choice(["a", "b", None]), "h": rnd.choice([1, 2, None]), "y": rnd.choice([0, 1, 2]),
             "p": rnd.choice([True, False]), "s": rnd.choice([0.0, 1.0, rnd.random()]),
             "w": rnd.choice([0.0, rnd.random() * 5])} for _ in range(n)]


def _df(spark, rows, partitions=4):
    data = [tuple(r[c] for c in ("g", "h", "y", "p", "s", "w")) for r in rows]
    return spark.createDataFrame(data, schema=SCHEMA).repartition(partitions)


@pytest.mark.parametrize("n,partitions", [(0, 2), (7, 5), (1500, 4)])
def test_spark_equals_naive(spark, n, partitions):
    rows = _rows(n, n)
    assert_long_equal(count_long(_df(spark, rows, partitions), **KW), naive_long(rows))


def test_spark_errors(spark):
    rows = _rows(20, 1)
    with pytest.raises(AuditError, match=r"no column 'weights' in the PySpark DataFrame"):
        count_long(_df(spark, rows), **dict(KW, weight="weights"))
    rows[3]["y"] = None
    with pytest.raises(AuditError, match=r"column 'y' of the PySpark DataFrame has 1 missing value"):
        count_long(_df(spark, rows), **KW)


@pytest.mark.parametrize("task", ["scores_binned_thresholds", "multiclass_text", "regression"])
def test_non_binary_audits_pushed_down_to_spark_equal_pandas(spark, task):
    import warnings

    import pandas as pd

    import biasaudit as ba
    from test_sources import TASKS, _make_frame, _same

    frame = _make_frame(600, 7)
    rows = [tuple(None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in r)
            for r in frame.itertuples(index=False)]
    sdf = spark.createDataFrame(rows, schema=list(frame.columns)).repartition(3)
    kw = dict(TASKS[task], sample_weight="w" if task == "regression" else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BiasAuditWarning)
        want = ba.audit(frame, protected=["sex", "race"], rng=0, **kw)
        got = ba.audit(sdf, protected=["sex", "race"], rng=0, **kw)
    _same(got, want, exact=kw["sample_weight"] is None)
    if kw["sample_weight"] is None:
        assert got.parameters["data_sha256"] == want.parameters["data_sha256"] is not None
    else:  # Spark sees sums of weights, not rows
        assert got.parameters["data_sha256"] is None
