"""Counting an audit where the data live: a file streamed in batches, or a database table or query.

One ``GROUP BY`` per audit (``biasaudit._engines``) returns a row per combination of the
protected values and the *raw* values of the label columns, with its row count and sums of
weights: a few thousand rows, whatever the file size, and only the used columns are read.
Everything the command line checks on a column (missing labels, binary values, ``--pos-label``
and ``--*-positive`` matched to the column's type, reference and vulnerable groups) is then
checked on those distinct values, so the table equals the one the in-memory reader gives.

Text files carry no types: their values are read as text and typed here as pandas'
``read_csv`` would type the whole column (integers, then numbers, then booleans, else text;
integers beside missing values become floats), so groups and labels are the same as before.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..exceptions import AuditError
from ._errors import CliError, library_message, one_line
from ._file_hash import hash_of
from ._labels import binarise
from ._readers import DELIMITERS, detect_format
from ._sources import Source

__all__ = ["Counted", "NotStreamed", "keys_of", "PROBE_ROWS", "binary_table", "count_source", "format_reason",
           "streamable"]

#: Compressions the streaming readers decode (the in-memory reader also knows .bz2 and .xz).
_COMPRESSION = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}
#: Rows looked at before the full scan: a label column with more distinct values than
#: LABEL_LIMIT there is an amount or a score, never counted value by value.
PROBE_ROWS = 20_000
LABEL_LIMIT = 1_000
#: pandas' default missing-value texts (read_csv); the engines know the common ones.
_NA_TEXTS = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
             "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
_INT = re.compile(r"[+-]?\d+\Z")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z|[+-]?(inf|Inf|INF|Infinity|infinity)\Z")
_BOOL = {"True": True, "TRUE": True, "true": True, "False": False, "FALSE": False, "false": False}


class NotStreamed(Exception):
    """The audit needs what the engines do not count yet; the message says what, and
    ``final`` (if given) is the whole error for a file too large to read in memory."""

    def __init__(self, what: str, final: str | None = None, amounts: bool = False):
        super().__init__(what)
        self.final = final
        self.amounts = amounts  # a label column with too many values for decisions or classes


def _short(text: str) -> str:
    """An engine's message without its query excerpt and its list of reader options."""
    for cut in (" LINE ", " The search space", " Possible fixes", " Possible Solution"):
        if cut in text:
            text = text[: text.index(cut)].rstrip(" .:") + "."
    return text


@dataclass
class Counted:
    """The long table of one source: ``columns`` (protected and label columns, typed), then
    ``rows``, ``weight`` and ``weight_sq``; with the file's SHA-256 where there is a file."""

    long: pd.DataFrame
    columns: list
    digest: str | None

    @property
    def n_rows(self) -> int:
        return int(self.long["rows"].sum())

    def marginal(self, spec) -> "Counted":
        """The long table of one audit's columns, summed over the other columns counted."""
        keys = _keys(spec)
        if keys == self.columns:
            return self
        sums = [c for c in self.long.columns if c not in self.columns]
        long = self.long.groupby(keys, dropna=False, sort=False, as_index=False)[sums].sum()
        for k in keys:
            long[k] = pd.Series([None if _missing(v) else v for v in long[k]], dtype=object, index=long.index)
        return Counted(long=long.reset_index(drop=True), columns=keys, digest=self.digest)


def _file_parts(spec, path: Path):
    """(format, compression) of a file, or None when the streaming readers cannot read it."""
    if path.is_dir():  # a Parquet dataset (hive partitions read as columns)
        return ("parquet", None) if (spec.input_format or "parquet") == "parquet" else None
    fmt = detect_format(path, spec.input_format)
    suffix = path.suffix.lower()
    compression = _COMPRESSION.get(suffix)
    if compression is None and suffix in (".bz2", ".xz"):
        return None
    return fmt, compression


def streamable(spec, source: Source) -> str | None:
    """Why ``spec`` cannot be counted as binary decisions from its source (None when it can)."""
    if spec.y_score is not None:
        return f"{spec.opt('y_score')} (score audits)"
    if spec.task not in ("auto", "binary"):
        return f"{spec.opt('task')} {spec.task}"
    return format_reason(spec, source)


def format_reason(spec, source: Source) -> str | None:
    """Why the engines cannot read ``source`` at all (an encoding, a compression), or None."""
    if source.kind != "file":
        return None
    if codecs.lookup(spec.encoding).name != "utf-8":
        return f"{spec.opt('encoding')} {spec.encoding}"
    if _file_parts(spec, Path(source.location)) is None:  # type: ignore[arg-type]
        return f"the compression of {Path(source.location).name!r} (.bz2, .xz)"  # type: ignore[arg-type]
    return None


# -- counting ------------------------------------------------------------------------------------

def _label_columns(spec) -> list:
    return [c for c in (spec.y_true, spec.y_pred) if c is not None]


def _keys(spec) -> list:
    return list(dict.fromkeys([*spec.protected, *_label_columns(spec)]))


def keys_of(spec) -> list:
    """The columns one audit groups by: its protected attributes, then its label columns."""
    return _keys(spec)


def _quoted(parts) -> str:
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


def _probe(spec, source: Source, fmt, compression, delimiter) -> None:
    """Check, on the first rows and before the scan, that every column named exists, and refuse
    a label column holding amounts or scores: counted value by value, it would bring back as
    many rows as the source has."""
    labels = list(dict.fromkeys(_label_columns(spec)))
    if source.kind != "file":
        sample = _db_head(source, labels)
    else:
        sample = _file_head(Path(source.location), labels, _keys(spec), fmt, compression,  # type: ignore[arg-type]
                            delimiter)
    if sample is None:
        return
    if source.kind == "file":
        from .._validation import _suggest

        wanted = [("y_true", spec.y_true), ("y_pred", spec.y_pred), ("weight", spec.weight)]
        for key, col in [*wanted, *(("protected", p) for p in spec.protected)]:
            if col is not None and col not in sample.columns:
                msg = (f"{spec.opt(key)}: no column {col!r} in {str(source.location)!r}."
                       + _suggest(col, [str(c) for c in sample.columns]))
                raise CliError(msg)
    for col in dict.fromkeys([*spec.protected, *labels]):
        if col in sample.columns and sample[col].dtype == object and any(
                isinstance(v, (list, dict, tuple, np.ndarray)) for v in sample[col].head(1000)):
            raise NotStreamed(f"column {col!r}, holding lists,")  # the in-memory reader names the problem
    for key, col in (("y_true", spec.y_true), ("y_pred", spec.y_pred)):
        if col is None or col not in sample.columns:
            continue
        if sample[col].nunique(dropna=True) > LABEL_LIMIT:
            raise NotStreamed(f"column {col!r} ({spec.opt(key)}), with more than {LABEL_LIMIT:,} distinct values in "
                              f"its first {PROBE_ROWS:,} rows (amounts or scores, not decisions),", amounts=True)


def _file_head(path: Path, labels, keys, fmt, compression, delimiter):
    """The first PROBE_ROWS rows of a file (every column; labels as text), or None when they
    cannot be read cheaply (the scan then says what is wrong)."""
    try:
        import pyarrow as pa

        if fmt == "parquet" and path.is_file():
            import pyarrow.parquet as pq

            # one batch of the first row group, one thread: a dataset's head decodes whole row groups
            with pq.ParquetFile(str(path)) as parquet:
                names = parquet.schema_arrow.names
                used = [c for c in names if c in keys]
                first = next(parquet.iter_batches(batch_size=PROBE_ROWS, columns=used, use_threads=False), None)
                head = (first.to_pandas() if first is not None
                        else parquet.schema_arrow.empty_table().select(used).to_pandas())
            return head.reindex(columns=names)
        if fmt == "parquet":
            import pyarrow.dataset as ds

            dataset = ds.dataset(str(path), format="parquet", partitioning="hive" if path.is_dir() else None)
            used = [c for c in dataset.schema.names if c in keys]
            head = dataset.head(PROBE_ROWS, columns=used, batch_readahead=1, fragment_readahead=1).to_pandas()
            return head.reindex(columns=dataset.schema.names)  # the names, for the column check
        raw = pa.OSFile(str(path), "rb")
        try:
            stream = pa.CompressedInputStream(raw, compression) if compression else raw
            if fmt == "jsonl":
                import pyarrow.json as pj

                reader = pj.open_json(stream, read_options=pj.ReadOptions(use_threads=False, block_size=1 << 18))
            else:
                import pyarrow.csv as pc

                # one thread, small blocks, the header's columns only typed where they are labels:
                # the probe must not cost what the scan saves
                reader = pc.open_csv(stream, read_options=pc.ReadOptions(use_threads=False, block_size=1 << 18),
                                     parse_options=pc.ParseOptions(delimiter=delimiter),
                                     convert_options=pc.ConvertOptions(column_types={c: pa.string() for c in labels}))
            batches, n = [], 0
            for batch in reader:
                batches.append(batch)
                n += batch.num_rows
                if n >= PROBE_ROWS:
                    break
            table = pa.Table.from_batches(batches, schema=reader.schema)
        finally:
            raw.close()
        return table.slice(0, PROBE_ROWS).to_pandas()
    except (ImportError, OSError, ValueError):
        return None
    except Exception as exc:  # noqa: BLE001 - pyarrow's own errors: the scan reports them
        if type(exc).__module__.startswith("pyarrow"):
            return None
        raise


def _db_head(source: Source, columns):
    """The first rows of a database source's label columns, counted by value in the database."""
    from .._engines import count_database

    if not columns:
        return None
    inner = _quoted(source.table) if source.table else f"({source.sql}) AS biasaudit_probe"
    sql = f"SELECT * FROM {inner} LIMIT {PROBE_ROWS}"
    try:
        long = count_database(_connection(source), attributes=columns, cells={}, sql=sql, caller="audit")
    except AuditError:  # a missing table or column: the scan names it
        return None
    return long[columns]


def _connection(source: Source):
    return str(source.location)


def count_source(spec, source: Source, keys=None, specs=()) -> Counted:
    """Count ``spec``'s columns in ``source``: one scan, memory bounded by the distinct values.

    A batch counts a file once for all its entries: ``keys`` are then every entry's columns
    and ``specs`` the entries, whose columns are all checked (see :meth:`Counted.marginal`).
    """
    from .._engines import count_database, count_file

    if len(set(spec.protected)) != len(spec.protected):
        msg = f"{spec.opt('protected')}: each attribute must be named once; got {', '.join(spec.protected)}."
        raise CliError(msg)
    keys = _keys(spec) if keys is None else list(keys)
    clash = next((k for k in keys if k in ("rows", "weight", "weight_sq") or k.startswith("_bad_")), None)
    if clash is not None:  # the engines' long frame has sums by these names
        hint = f" (rename it in {spec.opt('sql')}, e.g. SELECT {clash} AS {clash}_)" if source.kind != "file" else ""
        raise NotStreamed(f"a protected or label column named {clash!r}{hint}")
    fmt = compression = delimiter = None
    hashing = None
    if source.kind == "file":
        path = Path(source.location)  # type: ignore[arg-type]
        _check_file(path)
        fmt, compression = _file_parts(spec, path)
        delimiter = _sniff(path, compression) if fmt == "csv" else "\t" if fmt == "tsv" else None
    for each in specs or (spec,):
        _probe(each, source, fmt, compression, delimiter)
    try:
        if source.kind == "file":
            hashing = hash_of(path)
            long = count_file(path, attributes=keys, cells={}, weight=spec.weight, format=fmt,
                              delimiter=delimiter if fmt == "csv" else None, caller="audit")
        else:
            long = count_database(_connection(source), attributes=keys, cells={}, table=source.table,
                                  sql=source.sql, weight=spec.weight, caller="audit")
    except AuditError as exc:
        from .._engines import EngineError

        text = _short(_option_named(spec, library_message(exc)))
        if source.kind == "file" and (isinstance(exc, EngineError) or text.startswith("cannot read")):
            # a file the engine cannot parse: the in-memory reader (when the file is small) says
            # precisely why, or reads what the stricter engine refused
            raise NotStreamed("the file", final=text) from exc
        raise CliError(text) from exc
    except BaseException:
        if hashing is not None:  # no hash is wanted any more: stop reading
            hashing.stop.set()
        raise
    digest = hashing.result() if hashing is not None else None
    if not len(long):
        where = source.shown
        raise CliError(f"{where!r} has no data rows; an audit needs at least one row.")
    if source.kind == "file":
        long = _typed(long, keys, text=fmt in ("csv", "tsv"))
    return Counted(long=long, columns=keys, digest=digest)


def _sniff(path: Path, compression) -> str:
    """The delimiter of a CSV file, from its first 64 KiB (decompressed), as the in-memory reader sniffs."""
    import csv

    import pyarrow as pa

    try:
        with pa.OSFile(str(path), "rb") as raw:
            stream = pa.CompressedInputStream(raw, compression) if compression else raw
            sample = stream.read(1 << 16).decode("utf-8", errors="replace")
    except (OSError, ValueError) as exc:
        raise CliError(f"cannot read {str(path)!r}: {one_line(exc)}.") from None
    if not sample.strip():
        raise CliError(f"{str(path)!r} holds no text; expected a header line and at least one row.")
    if len(sample) >= (1 << 16) - 4 and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _option_named(spec, message: str) -> str:
    """An engine's "no column 'x'" message, prefixed with the option that named the column."""
    found = re.match(r"no column '([^']*)'", message)
    if found:
        options = {getattr(spec, "y_score", None): "y_score", spec.y_true: "y_true", spec.y_pred: "y_pred",
                   spec.weight: "weight",
                   **{p: "protected" for p in spec.protected}}
        key = options.get(found.group(1))
        if key is not None:
            return f"{spec.opt(key)}: {message}"
    return message


def _check_file(path: Path) -> None:
    if not path.exists():
        msg = f"no such file: {str(path)!r}. Hint: check the path (relative paths start from {str(Path.cwd())!r})."
        raise CliError(msg)
    if path.is_file() and path.stat().st_size == 0:
        msg = f"{str(path)!r} is empty (0 bytes); expected a header line and at least one row."
        raise CliError(msg)


# -- typing text values as pandas does --------------------------------------------------------------

def _typed_values(values: list, text: bool) -> dict:
    """Each distinct raw value to its typed value, as pandas types a whole column."""
    out: dict = {}
    present = []
    for v in values:
        if v is None or (text and isinstance(v, str) and v in _NA_TEXTS):
            out[v] = None
        else:
            present.append(v)
    has_missing = len(present) < len(values)
    strings = [v for v in present if isinstance(v, str)]
    if text and strings and len(strings) == len(present):
        if all(_INT.match(v) for v in strings) and all(-2**63 <= int(v) < 2**63 for v in strings):
            out.update({v: float(int(v)) if has_missing else int(v) for v in strings})
        elif all(_FLOAT.match(v) for v in strings):
            out.update({v: float(v) for v in strings})
        elif all(v in _BOOL for v in strings):
            out.update({v: _BOOL[v] for v in strings})
        else:
            out.update({v: v for v in strings})
        return out
    ints = all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in present)
    out.update({v: float(v) if (ints and has_missing) else v for v in present})
    return out


def _typed(long: pd.DataFrame, keys, *, text: bool) -> pd.DataFrame:
    """The long frame with its key columns typed as the in-memory reader types them; keys
    that become equal (``"01"`` and ``"1"``) are added together, as pandas merges them."""
    out = long.copy()
    for k in keys:
        mapping = _typed_values(list(pd.unique(out[k].to_numpy(dtype=object))), text)
        out[k] = pd.Series([mapping[v] for v in out[k]], dtype=object, index=out.index)
    sums = [c for c in out.columns if c not in keys]
    merged = out.groupby(keys, dropna=False, sort=False, as_index=False)[sums].sum()
    for k in keys:  # groupby turns None keys into NaN
        merged[k] = pd.Series([None if _missing(v) else v for v in merged[k]], dtype=object, index=merged.index)
    return merged.reset_index(drop=True)


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))


def levels_frame(counted: Counted, columns) -> pd.DataFrame:
    """A small frame of the distinct values of ``columns``, typed as a pandas column would be."""
    return pd.DataFrame({c: pd.Series(list(counted.long[c])) for c in columns})


# -- the binary table ----------------------------------------------------------------------------------

def _positive(spec, counted: Counted, key: str, column: str, positive) -> pd.Series:
    """Whether each row of the long frame is positive in ``column``, checked as the in-memory path does."""
    values = counted.long[column]
    missing = values.map(_missing).to_numpy(dtype=bool)
    if missing.any():
        n = int(counted.long["rows"].to_numpy()[missing].sum())
        msg = (f"column {column!r} ({spec.opt(key)}) has {n} missing values in {counted.n_rows} rows; "
               f"labels must be complete. Hint: drop or fill those rows first.")
        raise CliError(msg)
    distinct = pd.Series(list(pd.unique(values.to_numpy(dtype=object))), name=column)
    distinct = pd.Series(distinct.tolist(), name=column)  # numeric values get a numeric dtype
    flags = binarise(distinct, option=spec.opt(key), positive=positive, pos_label=spec.pos_label,
                     pos_option=spec.opt("pos_label"))
    lookup = dict(zip(distinct.tolist(), flags.tolist()))
    return values.map(lambda v: int(lookup[v])).astype("int64")


def binary_table(spec, counted: Counted):
    """The binary (or decisions-only) table of a counted source, with its row fingerprint when
    unweighted (the engines see sums of weights, not rows)."""
    from .._tables import GroupCounts, binary_axes
    from .._tables._fingerprint import Fingerprint
    from .._validation import _check_protected

    long = counted.long
    cells = {}
    if spec.y_true is not None:
        cells["y_true"] = _positive(spec, counted, "y_true", spec.y_true, spec.y_true_positive)
    cells["y_pred"] = _positive(spec, counted, "y_pred", spec.y_pred, spec.y_pred_positive)
    if spec.weight is not None and not long["weight"].to_numpy(dtype=float).any():
        msg = (f"`sample_weight` must have a positive total; got all {counted.n_rows} weights equal to 0, so no "
               f"rate could be assessed.")
        raise CliError(msg)
    frame = pd.DataFrame({**{p: long[p] for p in spec.protected}, **cells,
                          **{s: long[s] for s in ("rows", "weight", "weight_sq")}})
    try:
        for p in spec.protected:  # the column checks of the in-memory path, on the distinct values
            _check_protected(p, levels_frame(counted, [p])[p].dropna(), caller="audit")
        table = GroupCounts.from_long(frame, attributes=list(spec.protected), cell_axes=binary_axes(
            spec.y_true is not None), family="binary" if spec.y_true is not None else "decisions")
    except AuditError as exc:
        raise CliError(library_message(exc)) from exc
    if spec.weight is not None:
        return table
    described = [(a, lv, m) for a, lv, m in zip(table.attributes, table.levels, table.missing_labels)]
    described += [(name, lv, None) for name, lv in table.cell_axes]
    return GroupCounts(attributes=table.attributes, levels=table.levels, cell_axes=table.cell_axes,
                       sums=table.sums, family=table.family, missing_labels=table.missing_labels,
                       fingerprint=Fingerprint.of_table(described, table.rows, weighted=False, combos=table.combos),
                       combos=table.combos)


def file_size(source: Source) -> int:
    """Bytes of a file source (a folder: of its files); 0 for a database."""
    if source.kind != "file":
        return 0
    path = Path(source.location)  # type: ignore[arg-type]
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0


def environ_limit() -> int:
    """Bytes up to which a file the engines cannot count is read in memory instead
    (``BIASAUDIT_MEMORY_READ_LIMIT``, default 256 MiB)."""
    text = os.environ.get("BIASAUDIT_MEMORY_READ_LIMIT", "")
    try:
        return int(text) if text else 256 * 2**20
    except ValueError:
        return 256 * 2**20
