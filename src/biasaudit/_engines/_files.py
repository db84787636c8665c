"""Counting a file without loading it: only the used columns, streamed in batches.

CSV, TSV, JSON lines (plain, gzip or zstd) and Parquet (a file, a directory, a
hive-partitioned dataset). Memory is bounded by the batch size and the number of groups,
whatever the file size. Two readers: DuckDB's (the default where DuckDB is installed: its
readers and GROUP BY are the fastest measured) and Arrow's (always available with pyarrow).
Both draw a progress bar on stderr when it is a terminal.

CSV, TSV and JSON carry no types: protected values are read as text (``"1"``, not ``1``),
so every batch agrees on one type; cell, weight and summed columns are read as numbers
where they look like numbers.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import AuditError, InvalidParameterError
from ._lazy import require
from ._numpy import count_arrays
from ._plan import Plan, missing_columns_error
from ._progress import Progress

__all__ = ["count_file_arrow", "count_file_duckdb", "detect", "duckdb_reader"]

_FORMATS = {".csv": "csv", ".txt": "csv", ".tsv": "tsv", ".tab": "tsv", ".parquet": "parquet",
            ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
_COMPRESSION = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}
#: Text fields read as missing values, by both readers alike.
NULL_TEXTS = ("", "NA", "N/A", "NaN", "nan", "null", "NULL", "None")
_BLOCK = 1 << 20  # bytes of text per batch: the CSV reader holds ~30x this at peak


def detect(path, fmt, caller) -> tuple[Path, str, str | None]:
    """(path, format, compression) of ``path``, the format from ``fmt`` or the extension."""
    path = Path(path)
    if not path.exists():
        raise AuditError(f"{caller}(): no such file or directory: {str(path)!r}.")
    if path.is_dir():
        return path, fmt or "parquet", None
    suffixes = [s.lower() for s in path.suffixes]
    compression = _COMPRESSION.get(suffixes[-1]) if suffixes else None
    if compression:
        suffixes = suffixes[:-1]
    found = fmt or (_FORMATS.get(suffixes[-1]) if suffixes else None)
    if found not in ("csv", "tsv", "parquet", "jsonl"):
        msg = (f"{caller}(): cannot tell the format of {str(path)!r}; expected .csv, .tsv, .parquet "
               f"or .jsonl (optionally .gz or .zst), or pass format=; got {fmt or path.suffix!r}.")
        raise InvalidParameterError(msg)
    return path, found, compression


# -- Arrow ---------------------------------------------------------------------------------

def _text_stream(pa, path, compression):
    raw = pa.OSFile(str(path), "rb")
    stream = pa.CompressedInputStream(raw, compression) if compression else raw
    return raw, stream


def _text_batches(path, fmt, compression, plan: Plan, caller, delimiter=None):
    """(batches, progress position function, total) for a text file."""
    pa = require("pyarrow", "parquet")
    raw, stream = _text_stream(pa, path, compression)
    # Dictionary-encoded text: each batch reaches the counter as codes plus a few labels.
    text_columns = {a: pa.dictionary(pa.int32(), pa.string()) for a in plan.attributes}
    if fmt == "jsonl":
        pj = require("pyarrow.json", "parquet")
        reader = pj.open_json(stream, read_options=pj.ReadOptions(block_size=_BLOCK))
    else:
        pc = require("pyarrow.csv", "parquet")
        delimiter = delimiter or ("\t" if fmt == "tsv" else ",")
        header = _header(path, compression, delimiter, pc, pa)
        missing = [c for c in plan.columns if c not in header]
        if missing:
            raw.close()
            raise missing_columns_error(caller, missing, header, f"file {str(path)!r}")
        reader = pc.open_csv(
            stream,
            read_options=pc.ReadOptions(block_size=_BLOCK),
            parse_options=pc.ParseOptions(delimiter=delimiter),
            convert_options=pc.ConvertOptions(include_columns=plan.columns, column_types=text_columns,
                                              null_values=list(NULL_TEXTS), strings_can_be_null=True),
        )
    names = reader.schema.names
    missing = [c for c in plan.columns if c not in names]
    if missing:
        raw.close()
        raise missing_columns_error(caller, missing, names, f"file {str(path)!r}")
    total = path.stat().st_size

    def batches():
        try:
            for batch in reader:
                yield batch.select(plan.columns) if fmt == "jsonl" else batch
        finally:
            raw.close()

    def position():
        try:
            return raw.tell()
        except ValueError:  # readers may close their input at the end
            return total

    return batches(), position, total


def _header(path, compression, delimiter, pc, pa) -> list:
    raw, stream = _text_stream(pa, path, compression)
    try:
        reader = pc.open_csv(stream, read_options=pc.ReadOptions(block_size=1 << 16),
                             parse_options=pc.ParseOptions(delimiter=delimiter))
        return reader.schema.names
    finally:
        raw.close()


def _parquet_batches(path, plan: Plan, caller):
    ds = require("pyarrow.dataset", "parquet")
    partitioning = "hive" if path.is_dir() else None
    # Protected columns are read dictionary-encoded: the counter then uses their codes.
    # pre_buffer off: it would hold whole row groups of every column ahead of the scan.
    fmt = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=list(plan.attributes)),
                               default_fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=False))
    dataset = ds.dataset(str(path), format=fmt, partitioning=partitioning)
    names = dataset.schema.names
    missing = [c for c in plan.columns if c not in names]
    if missing:
        raise missing_columns_error(caller, missing, names, f"Parquet dataset {str(path)!r}")
    total = dataset.count_rows()  # from the footers: no data read
    done = [0]

    def batches():
        # Small read-ahead: Arrow's default (16 batches, 4 files) holds ~0.5 GB at 1e6 rows a batch.
        for batch in dataset.to_batches(columns=plan.columns, batch_size=1 << 20, batch_readahead=2,
                                        fragment_readahead=1):
            done[0] += batch.num_rows
            yield batch

    return batches(), lambda: done[0], total


def _to_pandas(batch, plan: Plan):
    # Dictionary-encoded attributes (hive partitions, categorical Parquet columns) become
    # pandas categoricals: their codes are used without decoding every row's string.
    return batch.to_pandas(split_blocks=True, self_destruct=False)


def count_file_arrow(path, fmt, compression, plan: Plan, *, progress, caller, delimiter=None) -> pd.DataFrame:
    """Raw long frame of a file read by Arrow in batches, each counted by the numpy counter."""
    if fmt == "parquet":
        batches, position, total = _parquet_batches(path, plan, caller)
    else:
        batches, position, total = _text_batches(path, fmt, compression, plan, caller, delimiter)
    bar = Progress(total, f"counting {path.name}", enabled=progress)
    pieces = []
    workers = max(1, min(os.cpu_count() or 1, 4))
    try:
        # Batches are counted on a few threads (numpy releases the GIL in the heavy steps)
        # while Arrow decodes the next ones; at most 2 per thread wait, so memory stays bounded.
        with ThreadPoolExecutor(workers) as pool:
            inflight: deque = deque()
            for batch in batches:
                inflight.append(pool.submit(_count_batch, batch, plan))
                while len(inflight) > 2 * workers:
                    pieces.append(inflight.popleft().result())
                if len(pieces) >= 32:  # memory bounded by groups, not by the number of batches
                    pieces = [_merge(pieces, plan)]
                bar.update(position())
            pieces += [f.result() for f in inflight]
    except Exception as exc:
        if type(exc).__module__.startswith("pyarrow"):
            raise AuditError(f"{caller}(): cannot read {str(path)!r}: {' '.join(str(exc).split())}") from None
        raise
    finally:
        bar.close()
    return _merge(pieces, plan) if pieces else count_arrays({c: np.array([], dtype=object) for c in plan.columns}, plan)


def _count_batch(batch, plan: Plan) -> pd.DataFrame:
    return count_arrays(_to_pandas(batch, plan), plan)


def _merge(pieces, plan: Plan) -> pd.DataFrame:
    frame = pd.concat(pieces, ignore_index=True)
    if not plan.keys:
        return frame.sum().to_frame().T
    sums = [c for c in frame.columns if c not in plan.keys]
    return frame.groupby(plan.keys, dropna=False, sort=False, as_index=False)[sums].sum()


# -- DuckDB --------------------------------------------------------------------------------

def duckdb_reader(path, fmt, plan: Plan, delimiter=None) -> str:
    """The DuckDB table function reading ``path`` (protected columns of text files as text)."""
    p = str(path).replace("'", "''")
    if fmt == "parquet":
        target = f"{p}/**/*.parquet" if path.is_dir() else p
        return f"read_parquet('{target}', hive_partitioning = {'true' if path.is_dir() else 'false'})"
    if fmt == "jsonl":
        return f"read_json('{p}', format = 'newline_delimited')"
    delim = "\\t" if fmt == "tsv" else (delimiter or ",").replace("'", "''")
    types = ", ".join(f"'{a.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for a in plan.attributes)
    nulls = ", ".join(f"'{t}'" for t in NULL_TEXTS)
    return (f"read_csv('{p}', delim = '{delim}', header = true, nullstr = [{nulls}]"
            + (f", types = {{{types}}}" if types else "") + ")")


def count_file_duckdb(path, fmt, compression, plan: Plan, *, caller, progress=None, delimiter=None) -> pd.DataFrame:
    """Raw long frame of a file read and grouped by DuckDB's own streaming readers.

    The progress bar is ours, fed by polling DuckDB's query progress from a thread.
    """
    duckdb = require("duckdb", "duckdb")
    from ._databases import count_duckdb

    reader = duckdb_reader(path, fmt, plan, delimiter)
    con = duckdb.connect()
    # DuckDB keeps freed scan buffers up to its memory limit (80% of RAM by default), so the
    # resident set would grow with the file; a few groups need far less than this cap.
    con.execute("SET memory_limit = '256MB'")
    bar = Progress(100.0, f"counting {path.name}", enabled=progress)
    done = threading.Event()

    def poll():
        while not done.wait(0.2):
            percent = con.query_progress()
            if percent >= 0:
                bar.update(percent)

    poller = threading.Thread(target=poll, daemon=True)
    try:
        # DuckDB tracks progress only with its bar on; its own printing stays off.
        con.execute("SET enable_progress_bar = true")
        con.execute("SET enable_progress_bar_print = false")
        if bar.enabled:
            poller.start()
        return count_duckdb(con, plan, sql=f"SELECT * FROM {reader}", caller=caller,
                            describe=f"file {str(path)!r}")
    finally:
        done.set()
        if poller.is_alive():
            poller.join()
        bar.close()
        con.close()
