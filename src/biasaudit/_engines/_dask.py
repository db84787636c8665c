"""Dask DataFrames: every partition counted by the numpy counter, in parallel on the
workers; the small per-partition long frames are then summed. A worker that dies is
replaced and its partitions recomputed by the scheduler; if that keeps failing the whole
count fails with one :class:`EngineError`, never a partial table.
"""

from __future__ import annotations

import pandas as pd

from ._databases import EngineError
from ._numpy import count_arrays
from ._plan import Plan

__all__ = ["count_dask"]


def _is_engine_failure(exc: BaseException) -> bool:
    root = type(exc).__module__.split(".")[0]
    return root in ("distributed", "dask", "tornado") or isinstance(exc, (OSError, TimeoutError))


def count_dask(frame, plan: Plan, *, caller="count_long") -> pd.DataFrame:
    """Count a Dask DataFrame into a raw long frame (one block of rows per partition)."""
    used = frame[plan.columns]
    meta = count_arrays(used._meta, plan)
    pieces = used.map_partitions(count_arrays, plan, meta=meta, enforce_metadata=False)
    try:
        return pieces.compute()
    except Exception as exc:
        if not _is_engine_failure(exc):
            raise
        msg = (f"{caller}(): the Dask computation failed ({type(exc).__name__}: "
               f"{' '.join(str(exc).split())[:300]}); no partial table is returned.")
        raise EngineError(msg) from exc
