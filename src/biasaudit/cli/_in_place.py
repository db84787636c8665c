"""Scores, classes and amounts audited where the data live: a large file, a database table or query.

Binary decisions are counted by ``_streamed``. The other audits of the command line read a
small file into pandas (as they always did); a file larger than ``BIASAUDIT_MEMORY_READ_LIMIT``
and every database are counted where they live instead, by the library's sources
(``biasaudit._sources``): nothing but tables of a few thousand rows comes back.

- **Classes** (``--task multiclass``): one ``GROUP BY`` of the protected and label columns,
  the same scan that counts decisions, typed as pandas types a column; the K x K table is
  built from it.
- **Amounts** (``--task regression``): the protected columns are counted first (their
  groups, the file's SHA-256 and the column checks), then the library's moment table.
- **Scores** (``--y-score``): the protected and label columns are counted first, so the
  outcome is binarised by the command line's rules (``--pos-label`` matched to the
  column's type, ``--y-true-positive``) on its distinct values; then the library's score
  table, with the decisions of ``--y-pred`` audited from the first scan.

Protected groups read by an engine are given the types the in-memory reader gives them
(text files carry no types), so groups, reports and ``data_sha256`` are the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import AuditError
from ._errors import CliError, library_message
from ._sources import Source, source_of

__all__ = ["Routed", "in_place", "read_in_memory", "route", "score_in_place", "task_in_place"]

_CALLER = "audit"


@dataclass
class Routed:
    """Where one decision audit goes: ``frame`` (read in memory), else counted where the data
    live, as ``task`` (``binary``: ``counted`` is the binary scan of ``_streamed``)."""

    source: Source
    task: str
    counted: Any = None
    frame: Any = None
    digest: str | None = None


def in_place(spec, source: Source) -> bool:
    """Whether a score, class or amount audit is counted where its data live: a database, or
    a file the engines read that is larger than ``BIASAUDIT_MEMORY_READ_LIMIT``."""
    from ._streamed import environ_limit, file_size, format_reason

    if source.kind != "file":
        return True
    return format_reason(spec, source) is None and file_size(source) > environ_limit()


def route(spec, counted, task_of) -> Routed:
    """Decide how a decision audit is counted (``task_of(spec, frame)``: the CLI's task rule)."""
    from ._streamed import NotStreamed, count_source, levels_frame, streamable

    source = source_of(spec.data, table=spec.table, sql=spec.sql, style=spec.style)
    why, final, amounts = streamable(spec, source), None, False
    if counted is None and why is None:
        try:
            counted = count_source(spec, source)
        except NotStreamed as exc:
            why, final, amounts = str(exc), exc.final, exc.amounts
    task = spec.task
    if counted is not None and why is None:
        task = task_of(spec, levels_frame(counted, counted.columns))
        if task == "binary":
            return Routed(source, task, counted)
        why = f"{spec.opt('task')} {task} (detected from the label columns)"
    if final is None and in_place(spec, source):
        if task == "auto" and amounts:
            msg = (f"{why} cannot be read into memory, and {spec.opt('task')} auto does not guess amounts from "
                   f"the first rows. Hint: pass {spec.opt('task')} regression (or multiclass, or binary with "
                   f"{spec.opt('y_pred_positive')}).")
            raise CliError(msg)
        if task in ("multiclass", "regression"):
            return Routed(source, task, counted)
    frame, digest = read_in_memory(spec, source, why or "", final)
    return Routed(source, task, frame=frame, digest=digest)


def read_in_memory(spec, source: Source, why: str, final: str | None = None):
    """(frame, digest) of a file audited in pandas: one no larger than
    ``BIASAUDIT_MEMORY_READ_LIMIT`` (256 MiB), else one clear error."""
    from ._readers import read_table_hashed
    from ._streamed import environ_limit, file_size, format_reason

    if source.kind != "file":  # what no engine counts (lists in a column, ...): `why` says it
        raise CliError(final or f"{why} cannot be counted in the database.")
    size, limit = file_size(source), environ_limit()
    if size > limit and final is not None:
        raise CliError(final)
    if size > limit:
        why = format_reason(spec, source) or why  # what keeps the engines from reading it
        msg = (f"{why} is not counted by the streaming readers, and {str(spec.data)!r} ({size / 2**20:,.1f} MiB) "
               f"is larger than the {limit / 2**20:,.1f} MiB read into memory. Hint: write it as UTF-8 CSV, "
               f"Parquet or gzip/zstd, or raise BIASAUDIT_MEMORY_READ_LIMIT (bytes) if the machine has the memory.")
        raise CliError(msg)
    return read_table_hashed(spec.data, input_format=spec.input_format, encoding=spec.encoding)


# -- counting ------------------------------------------------------------------------------------

def _count(spec, source: Source):
    """The scan of ``spec``'s protected and label columns (see ``_streamed.count_source``)."""
    from ._streamed import NotStreamed, count_source

    try:
        return count_source(spec, source)
    except NotStreamed as exc:
        raise CliError(exc.final or f"{exc} cannot be counted where the data live.") from None


def _check_named(spec, source: Source, keys) -> None:
    """Check that the columns only the library reads (scores, amounts) exist, before an engine
    is asked for their range: a missing one is then named with its option."""
    from .._validation import _suggest
    from ._streamed import _file_head, _file_parts, _sniff

    if source.kind != "file":
        from .._engines import count_database
        from ._streamed import _quoted

        columns = [getattr(spec, key) for key in keys if getattr(spec, key) is not None]
        inner = _quoted(source.table) if source.table else f"({source.sql}) AS biasaudit_probe"
        try:  # no row: the engine only binds the names
            count_database(str(source.location), attributes=columns, cells={}, sql=f"SELECT * FROM {inner} LIMIT 0",
                           caller=_CALLER)
        except AuditError as exc:
            text = re.sub(r"the (DuckDB|PostgreSQL) query", lambda m: source.shown, library_message(exc))
            raise CliError(_named(spec, text)) from None
        return
    path = Path(source.location)  # type: ignore[arg-type]
    fmt, compression = _file_parts(spec, path)
    delimiter = _sniff(path, compression) if fmt == "csv" else "\t" if fmt == "tsv" else None
    head = _file_head(path, [], list(spec.protected), fmt, compression, delimiter)
    if head is None:
        return
    for key in keys:
        column = getattr(spec, key)
        if column is not None and column not in head.columns:
            msg = (f"{spec.opt(key)}: no column {column!r} in {str(source.location)!r}."
                   + _suggest(column, [str(c) for c in head.columns]))
            raise CliError(msg)


def _snapshot(source: Source):
    """Size, modification time and inode of a file source's files (None for a database)."""
    if source.kind != "file":
        return None
    path = Path(source.location)  # type: ignore[arg-type]
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return [(str(p), p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino) for p in files]


def _unchanged(source: Source, before) -> None:
    """The file read in several passes is the one hashed in the first (else one clear error)."""
    if before is not None and _snapshot(source) != before:
        msg = (f"{source.shown!r} changed while it was being audited; its counts and its SHA-256 would not "
               f"describe the same bytes. Hint: audit a copy that nothing writes to.")
        raise CliError(msg)


def _data(spec, source: Source):
    """The ``data`` of the library's sources: a file path, or a :class:`DatabaseSource`."""
    from .._engines import DatabaseSource

    if source.kind != "file":
        return DatabaseSource(str(source.location), table=source.table, sql=source.sql, caller=_CALLER)
    path = Path(source.location)  # type: ignore[arg-type]
    from .._engines._files import detect, duckdb_reader
    from .._engines._plan import make_plan
    from ._streamed import _file_parts, _sniff

    fmt, compression = _file_parts(spec, path)
    delimiter = _sniff(path, compression) if fmt == "csv" else None
    try:
        plain = detect(path, None, _CALLER)[1] == fmt and delimiter in (None, ",")
    except AuditError:
        plain = False
    if plain:
        return path
    # another delimiter, or a format named by --input-format: read by DuckDB's own readers
    # (the protected columns of text files as text, as the Arrow reader reads them)
    plan = make_plan(_CALLER, attributes=list(spec.protected), cells={})
    return DatabaseSource(":memory:", sql=f"SELECT * FROM {duckdb_reader(path, fmt, plan, delimiter)}",
                          caller=_CALLER)


def _text(spec, source: Source) -> bool:
    from ._streamed import _file_parts

    if source.kind != "file":
        return False
    fmt = _file_parts(spec, Path(source.location))[0]  # type: ignore[arg-type]
    return fmt in ("csv", "tsv")


def _retyped(table, spec, source: Source):
    """``table`` with its protected groups typed as the in-memory reader types them (files only)."""
    from .._tables._fingerprint import Fingerprint
    from ._streamed import _missing, _typed_values

    if source.kind != "file":
        return table
    long = table.to_long()
    changed = False
    for a in table.attributes:
        values = [None if _missing(v) else v for v in long[a].to_numpy(dtype=object)]  # NaN of string columns
        raw = list(dict.fromkeys(values))
        mapping = _typed_values(raw, _text(spec, source))
        changed = changed or any(type(mapping[v]) is not type(v) or mapping[v] != v for v in raw)
        long[a] = pd.Series([mapping[v] for v in values], dtype=object, index=long.index)
    if not changed:
        return table
    keys = [*table.attributes, *(name for name, _ in table.cell_axes)]
    sums = [c for c in long.columns if c not in keys]
    long = long.groupby(keys, dropna=False, sort=False, as_index=False)[sums].sum()
    for a in table.attributes:
        long[a] = pd.Series([None if _missing(v) else v for v in long[a]], dtype=object, index=long.index)
    out = type(table).from_long(long, attributes=list(table.attributes), cell_axes=table.cell_axes,
                                family=table.family)
    if table.is_weighted:  # the weights' hashes are per row: a regrouped table cannot carry them
        return out
    described = [(a, lv, m) for a, lv, m in zip(out.attributes, out.levels, out.missing_labels)]
    described += [(name, lv, None) for name, lv in out.cell_axes]
    return out._replace(fingerprint=Fingerprint.of_table(described, out.rows, weighted=False, combos=out.combos))


def _options(spec, reference, **extra):
    from .._options import AuditOptions

    return AuditOptions.from_kwargs(_CALLER, reference=reference, positive_is_favorable=not spec.positive_is_unfavorable,
                                    intersections=spec.intersections, rng=spec.seed, **extra)


def _check_groups(spec, counted) -> None:
    from .._validation import _check_protected
    from ._streamed import levels_frame

    if spec.weight is not None and not counted.long["weight"].to_numpy(dtype=float).any():
        msg = (f"`sample_weight` must have a positive total; got all {counted.n_rows} weights equal to 0, so no "
               f"rate could be assessed.")
        raise CliError(msg)
    for p in spec.protected:  # the column checks of the in-memory path, on the distinct values
        _check_protected(p, levels_frame(counted, [p])[p].dropna(), caller=_CALLER)


def _complete(spec, counted, key: str) -> None:
    """Labels must be complete, as the in-memory path requires."""
    from ._streamed import _missing

    column = getattr(spec, key)
    missing = counted.long[column].map(_missing).to_numpy(dtype=bool)
    if missing.any():
        n = int(counted.long["rows"].to_numpy()[missing].sum())
        msg = (f"column {column!r} ({spec.opt(key)}) has {n} missing values in {counted.n_rows} rows; "
               f"labels must be complete. Hint: drop or fill those rows first.")
        raise CliError(msg)


# -- classes and amounts -------------------------------------------------------------------------

def task_in_place(spec, routed: Routed, reference_of):
    """(result, frame of the protected groups, rows, file SHA-256) of a multiclass or regression
    audit counted where its data live; ``reference_of(spec, frame)`` is the CLI's reference rule."""
    from .._result import AuditResult, draw_seed
    from ._streamed import levels_frame

    source = routed.source
    labels = spec if routed.task == "multiclass" else replace(spec, y_true=None, y_pred=None)
    before = _snapshot(source)
    counted = routed.counted if routed.counted is not None else _count(labels, source)
    if routed.task == "regression":  # after the scan that names a missing table or group column
        _check_named(spec, source, ("y_true", "y_pred"))
    levels = levels_frame(counted, spec.protected)
    try:
        _check_groups(spec, counted)
        options = _options(spec, reference_of(spec, levels), four_fifths_threshold=spec.threshold, **spec.options)
        if routed.task == "multiclass":
            table = _classes_table(spec, counted)
        else:
            from .._sources_numeric import moment_table

            table = moment_table(_data(spec, source), y_true=spec.y_true, y_pred=spec.y_pred,
                                 attributes=list(spec.protected), sample_weight=spec.weight, prediction_bins=100,
                                 fingerprint=True, caller=_CALLER)
            table = _retyped(table, spec, source)
            _unchanged(source, before)
        result = AuditResult(counts=table, options=options, seed=draw_seed(options.rng), caller=_CALLER,
                             provenance={"data_sha256": table.data_sha256, "pos_label": None, "task": routed.task})
    except AuditError as exc:
        raise CliError(_named(spec, library_message(exc))) from exc
    return result, levels, counted.n_rows, counted.digest


def _named(spec, text: str) -> str:
    from ._streamed import _option_named, _short

    return _short(_option_named(spec, text))


def _classes_table(spec, counted):
    """The K x K (or K) table of several classes, from the scan of the raw labels."""
    from .._source_common import table_of
    from .._sources import _sorted_classes

    cells = {"y_pred": spec.y_pred} if spec.y_true is None else {"y_true": spec.y_true, "y_pred": spec.y_pred}
    for key in cells:
        _complete(spec, counted, key)
    long = counted.long
    frame = pd.DataFrame({**{p: long[p] for p in spec.protected}, **{k: long[c] for k, c in cells.items()},
                          **{s: long[s] for s in ("rows", "weight", "weight_sq")}})
    found = {k: list(dict.fromkeys(frame[k].tolist())) for k in cells}
    text = {k: any(isinstance(v, str) for v in vals) for k, vals in found.items()}
    if len(set(text.values())) > 1:
        msg = (f"{spec.opt('y_true')} and {spec.opt('y_pred')} must use the same kind of class labels; got text "
               f"in {spec.opt('y_true') if text['y_true'] else spec.opt('y_pred')} only.")
        raise CliError(msg)
    classes = _sorted_classes(set().union(*found.values()))
    family = "multiclass" if spec.y_true is not None else "multiclass_decisions"
    return table_of(frame, attributes=list(spec.protected), cell_axes=[(k, classes) for k in cells], family=family,
                    fingerprint=True, weighted=spec.weight is not None)


# -- scores -------------------------------------------------------------------------------------

def _score_label(spec, counted):
    """The ``pos_label`` of the engine's outcome cell: the one value the CLI's rules call positive."""
    from ._streamed import _positive

    flags = _positive(spec, counted, "y_true", spec.y_true, spec.y_true_positive).to_numpy()
    values = counted.long[spec.y_true]
    positive = list(dict.fromkeys(v for v, f in zip(values.tolist(), flags) if f))
    everything = set(values.tolist())
    if not positive or (len(positive) == 1 and everything <= {0, 1} and positive[0] == 1
                        and not isinstance(positive[0], str)):
        return 1  # 0/1 (or no positive at all): the engine checks the column holds only 0 and 1
    if len(positive) > 1:
        msg = (f"{spec.opt('y_true_positive')}: a score audit counted where the data live takes one positive "
               f"value of {spec.y_true!r}; got {len(positive)} ({', '.join(map(str, positive[:5]))}). Hint: write "
               f"a 0/1 outcome column (in {spec.opt('sql')}: CASE WHEN ... THEN 1 ELSE 0 END).")
        raise CliError(msg)
    value = positive[0]
    return value.item() if isinstance(value, np.generic) else value


def score_in_place(spec, source: Source, reference_of):
    """(result, frame of the protected groups, rows, file SHA-256) of a score audit counted
    where its data live (see the module's docstring)."""
    from .._result import AuditResult, draw_seed
    from .._sources_numeric import score_table
    from ._streamed import binary_table, levels_frame

    before = _snapshot(source)
    counted = _count(spec, source)
    _check_named(spec, source, ("y_score",))
    levels = levels_frame(counted, spec.protected)
    try:
        _check_groups(spec, counted)
        pos_label = _score_label(spec, counted)
        options = _options(spec, reference_of(spec, levels), threshold=spec.score_thresholds)
        decisions = binary_table(spec, counted) if spec.y_pred is not None else None
        fixed = [v for rule, v in (options.threshold or ()) if rule == "score"]
        table = score_table(_data(spec, source), y_true=spec.y_true, y_score=spec.y_score,
                            attributes=list(spec.protected), sample_weight=spec.weight, pos_label=pos_label,
                            thresholds=fixed, score_bins="auto", fingerprint=True, caller=_CALLER)
        table = _retyped(table, spec, source)
        _unchanged(source, before)
        seed = draw_seed(options.rng)
        if decisions is not None:
            decisions = AuditResult(counts=decisions, options=options.replace(_CALLER, metrics=None, threshold=None),
                                    seed=seed, caller=_CALLER,
                                    provenance={"data_sha256": decisions.data_sha256, "pos_label": 1,
                                                "task": "binary"})
        result = AuditResult(counts=table, options=options, seed=seed, caller=_CALLER,
                             provenance={"data_sha256": table.data_sha256, "pos_label": 1, "task": "score",
                                         "decisions": decisions})
    except AuditError as exc:
        raise CliError(_named(spec, library_message(exc))) from exc
    return result, levels, counted.n_rows, counted.digest
