"""Dask on a distributed LocalCluster with 2 worker processes: partitions counted in parallel
and summed; a worker killed mid-computation is survived, or the count fails as one error."""

from __future__ import annotations

import os

import pandas as pd
import pytest
from _engine_oracle import (
    KW,
    assert_long_equal,
    naive_long,
    require_engine,
)

from biasaudit._engines import EngineError, count_long



@pytest.fixture(scope="module")
def client():
    require_engine("dask.dataframe")
    distributed = require_engine("distributed")
    import dask

    # One retry budget for the whole module: a task whose worker dies twice fails the graph.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None, memory_limit="1GiB")
        client = distributed.Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()


def _rows(n, seed):
    import random

    rnd = random.Random(seed)
    return [{"g": rnd.choice(["a", "b", None]), "h": rnd.choice([1, 2, None]), "y": rnd.choice([0, 1]),
             "p": rnd.choice([True, False]), "s": rnd.random(), "w": rnd.random() * 5} for _ in range(n)]


def _frame(rows):
    return pd.DataFrame({"g": pd.Series([r["g"] for r in rows], dtype=object),
                         "h": pd.Series([r["h"] for r in rows], dtype="Int64"),
                         "y": [r["y"] for r in rows], "p": pd.Series([r["p"] for r in rows], dtype=bool),
                         "s": [float(r["s"]) for r in rows], "w": [float(r["w"]) for r in rows]})


def _partitioned(parts, loader):
    dd = require_engine("dask.dataframe")
    return dd.from_map(loader, list(range(len(parts))), meta=_frame([]).iloc[:0], enforce_metadata=False)


def test_partitions_with_empty_ones_equal_naive(client):
    parts = [_rows(300, 1), [], _rows(5, 2), [], _rows(700, 3)]
    frames = [_frame(p) for p in parts]
    ddf = _partitioned(parts, lambda i: frames[i])
    out = count_long(ddf, **KW)
    assert_long_equal(out, naive_long([r for p in parts for r in p]))
    assert len(client.scheduler_info()["workers"]) == 2


def test_from_pandas_many_partitions(client):
    dd = require_engine("dask.dataframe")
    rows = _rows(2000, 4)
    ddf = dd.from_pandas(_frame(rows), npartitions=16)
    assert_long_equal(count_long(ddf, **KW), naive_long(rows))
    with pytest.raises(Exception, match=r"no column 'weights' in the Dask DataFrame"):
        count_long(ddf, **dict(KW, weight="weights"))


def test_worker_killed_once_is_retried(client, tmp_path):
    parts = [_rows(200, 10 + i) for i in range(6)]
    frames = [_frame(p) for p in parts]
    marker = str(tmp_path / "killed")

    def loader(i):
        # The worker computing partition 3 dies the first time: the scheduler must rerun it.
        if i == 3 and not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)
        return frames[i]

    out = count_long(_partitioned(parts, loader), **KW)
    assert os.path.exists(marker)
    assert_long_equal(out, naive_long([r for p in parts for r in p]))


def test_worker_always_killed_is_one_clear_error(client):
    parts = [_rows(50, 20 + i) for i in range(4)]
    frames = [_frame(p) for p in parts]

    def loader(i):
        if i == 1:
            os._exit(1)
        return frames[i]

    with pytest.raises(EngineError, match=r"the Dask computation failed \(KilledWorker.*no partial table"):
        count_long(_partitioned(parts, loader), **KW)
    client.wait_for_workers(2, timeout=60)  # the nannies restart the workers


def test_scores_classes_amounts_and_control_on_the_cluster_equal_pandas(client):
    """audit() of a Dask DataFrame for every non-binary family: the same tables as pandas,
    weighted fingerprint included (the workers see the rows)."""
    import warnings

    import numpy as np

    import biasaudit as ba

    dd = require_engine("dask.dataframe")
    from test_sources import TASKS, _make_frame, _same

    frame = _make_frame(1200, 5)
    # uneven partitions, one of them empty
    ddf = dd.from_pandas(frame, npartitions=3)
    ddf = dd.concat([ddf, dd.from_pandas(frame.iloc[:0], npartitions=1)])
    assert ddf.npartitions == 4
    for task in ("scores_exact", "scores_binned_thresholds", "multiclass_text", "favorable_classes", "regression",
                 "control"):
        for weight in (None, "w"):
            kw = dict(TASKS[task], sample_weight=weight)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ba.BiasAuditWarning)
                want = ba.audit(frame, protected=["sex", "race"], rng=0, **kw)
                got = ba.audit(ddf, protected=["sex", "race"], rng=0, **kw)
            _same(got, want, exact=weight is None)
            assert got.parameters["data_sha256"] == want.parameters["data_sha256"] is not None
            assert np.array_equal(got.counts.rows, want.counts.rows)
