"""Audits of data that are not a pandas DataFrame: count where the data live, then analyse.

A file path, a polars (eager or lazy) frame, a pyarrow Table or Dataset, a DuckDB relation, a
Dask, PySpark or Ibis frame is never collected into pandas: the engine runs one ``GROUP BY``
(``biasaudit._engines.count_long``) and only the long table of sufficient statistics comes
back, which :meth:`Table.from_long` turns into the same table the in-memory kernel counts.

Every family of the library goes this way (see docs/engines.md, "audit() on any source"):

- binary decisions: cells ``y_true`` and ``y_pred`` computed in the engine (0/1 columns, or
  equality with ``pos_label``);
- several classes (``task="multiclass"``) and ``favorable_classes``: the engine groups by the
  raw class labels (a few per column), which are then coded, or binarised, here;
- scores (``y_score``) and amounts (``task="regression"``): see :mod:`._sources_numeric`;
- ``control``: one more attribute of the table.

Fingerprints: without weights the table is the multiset of audited rows, so ``data_sha256``
is computed from it and equals the in-memory one. With weights every row's weight is hashed,
so the fingerprint needs the rows: it is computed where the numpy counter sees them (pandas,
polars DataFrames, pyarrow Tables and Datasets, Dask partitions on the workers, files read
by Arrow) and is None for lazy and remote engines (see :func:`weighted_fingerprint_possible`).
"""

from __future__ import annotations

import os

from typing import cast

from ._source_common import count, is_one, label_cell, table_of
from ._tables import GroupCounts, Table, binary_axes
from .exceptions import AuditError, InvalidParameterError

__all__: list[str] = []


def is_external(data) -> bool:
    """Whether ``data`` is a source counted by an engine (anything but pandas, arrays or None)."""
    if data is None:
        return False
    if isinstance(data, (str, os.PathLike)):
        return True
    root = type(data).__module__.split(".")[0]
    return root not in ("pandas", "numpy", "builtins")


def check_names(data, caller, **named) -> list:
    """The protected names as a list; every other argument a column name or None."""
    protected = named.pop("protected")
    attributes = [protected] if isinstance(protected, str) else protected
    ok_protected = isinstance(attributes, (list, tuple)) and attributes and all(isinstance(a, str) for a in attributes)
    bad = [k for k, v in named.items() if v is not None and not isinstance(v, str)]
    if not ok_protected:
        bad.insert(0, "protected")
        named["protected"] = protected
    if bad:
        msg = (f"{caller}(): with `data` of type {type(data).__name__}, `{bad[0]}` must be a column name (or "
               f"a list of names for `protected`); got {named[bad[0]]!r}. Hint: arrays can be audited "
               f"with a pandas DataFrame or without `data`.")
        raise InvalidParameterError(msg)
    return list(attributes)


# --------------------------------------------------------------------------- binary


def binary_table(data, *, y_true, y_pred, attributes, sample_weight, pos_label, fingerprint, caller) -> GroupCounts:
    """The binary table of an external source, counted by its engine.

    With ``pos_label=1`` a label column must hold 0/1 or booleans (the engine checks it in
    the same pass); with another ``pos_label``, rows equal to it are positive and every
    other value negative, as the caller named the positive value.
    """
    cells = {"y_pred": label_cell(y_pred, pos_label)}
    if y_true is not None:
        cells = {"y_true": label_cell(y_true, pos_label), **cells}
    long = count(data, attributes, cells, weight=sample_weight, fingerprint=fingerprint, caller=caller)
    has_y_true = y_true is not None
    return cast(GroupCounts, table_of(long, attributes=attributes, cell_axes=binary_axes(has_y_true),
                                      family="binary" if has_y_true else "decisions", table_type=GroupCounts,
                                      fingerprint=fingerprint, weighted=sample_weight is not None))


def count_source(data, *, y_true, y_pred, protected, sample_weight, pos_label, fingerprint: bool,
                 caller: str) -> GroupCounts:
    """The binary table of an external source (columns given by name)."""
    attributes = check_names(data, caller, y_true=y_true, y_pred=y_pred, protected=protected,
                             sample_weight=sample_weight)
    return binary_table(data, y_true=y_true, y_pred=y_pred, attributes=attributes, sample_weight=sample_weight,
                        pos_label=pos_label, fingerprint=fingerprint, caller=caller)


# --------------------------------------------------------------------------- classes


def _labels(long, name) -> list:
    return list(dict.fromkeys(long[name].tolist()))


def _sorted_classes(values) -> tuple:
    try:
        return tuple(sorted(values))
    except TypeError:
        return tuple(sorted(values, key=lambda x: (type(x).__name__, repr(x))))


def classes_table(data, *, y_true, y_pred, attributes, sample_weight, fingerprint, caller) -> Table:
    """The K x K (or K) table of several classes: the engine groups by the raw labels."""
    cells = {"y_pred": ("value", y_pred)}
    if y_true is not None:
        cells = {"y_true": ("value", y_true), **cells}
    long = count(data, attributes, cells, weight=sample_weight, fingerprint=fingerprint, caller=caller)
    found = {name: _labels(long, name) for name in cells}
    text = {name: any(isinstance(v, str) for v in vals) for name, vals in found.items()}
    if len(set(text.values())) > 1:
        msg = (f"{caller}(): `y_true` and `y_pred` must use the same kind of class labels; got text in "
               f"{'`y_true`' if text['y_true'] else '`y_pred`'} only. Hint: for a binary outcome and several "
               f"predicted classes, pass y_true=None, or binarise the classes with favorable_classes=[...].")
        raise AuditError(msg)
    classes = _sorted_classes(set().union(*found.values()))
    axes = [(name, classes) for name in cells]
    family = "multiclass" if y_true is not None else "multiclass_decisions"
    return table_of(long, attributes=attributes, cell_axes=axes, family=family, fingerprint=fingerprint,
                    weighted=sample_weight is not None)


def favourable_table(data, *, y_true, y_pred, favorable_classes, attributes, sample_weight, pos_label, fingerprint,
                     caller) -> GroupCounts:
    """The binary table of "a favourable class or not": classes grouped in the engine, binarised here.

    ``y_true`` is binarised the same way when some of its values are favourable classes;
    otherwise it is an outcome of its own, read with ``pos_label`` (as the in-memory path does).
    """
    if isinstance(favorable_classes, (str, bytes)) or not hasattr(favorable_classes, "__iter__"):
        favorable_classes = [favorable_classes]
    wanted = list(favorable_classes)
    cells = {"y_pred": ("value", y_pred)}
    if y_true is not None:
        cells = {"y_true": ("value", y_true), **cells}
    long = count(data, attributes, cells, weight=sample_weight, fingerprint=fingerprint, caller=caller)
    seen = set(_labels(long, "y_pred"))
    if not wanted or all(c not in seen for c in wanted):
        msg = (f"{caller}(): `favorable_classes` must name classes of `y_pred`; got {wanted!r}, classes seen: "
               f"{sorted(map(str, seen))}.")
        raise InvalidParameterError(msg)
    long["y_pred"] = [int(v in wanted) for v in long["y_pred"].tolist()]
    if y_true is not None:
        true_seen = set(_labels(long, "y_true"))
        if true_seen & set(wanted):
            long["y_true"] = [int(v in wanted) for v in long["y_true"].tolist()]
        elif not is_one(pos_label) and not true_seen <= {0, 1}:
            msg = (f"{caller}(): with `favorable_classes`, `y_true` must hold classes or be 0/1; got values "
                   f"{sorted(map(str, true_seen))[:6]}.")
            raise AuditError(msg)
        else:
            long["y_true"] = [int(v == pos_label) for v in long["y_true"].tolist()]
    return cast(GroupCounts, table_of(long, attributes=attributes, cell_axes=binary_axes(y_true is not None),
                                      family="binary" if y_true is not None else "decisions",
                                      table_type=GroupCounts, fingerprint=fingerprint,
                                      weighted=sample_weight is not None))


# --------------------------------------------------------------------------- audit()


def audit_source(data, *, y_true, y_pred, protected, sample_weight, pos_label, control, task, favorable_classes,
                 prediction_bins, y_score, score_bins, fingerprint, options, caller):
    """``audit()`` of an external source: every family, counted by the source's engine."""
    from ._result import AuditResult, draw_seed
    from ._tasks import check_task

    attributes = check_names(data, caller, y_true=y_true, y_pred=y_pred, y_score=y_score, protected=protected,
                             sample_weight=sample_weight, control=control)
    if control is not None:
        if control in attributes:
            msg = f"{caller}(): `control` must not be one of the protected attributes; got {control!r}."
            raise InvalidParameterError(msg)
        attributes.append(control)
    task = check_task(task, caller=caller)
    seed = draw_seed(options.rng)
    common = dict(attributes=attributes, sample_weight=sample_weight, fingerprint=fingerprint, caller=caller)

    def result(table, provenance, opts=options):
        return AuditResult(counts=table, options=opts, control=control, seed=seed, caller=caller,
                           provenance={**provenance})

    if y_score is not None:
        from ._sources_numeric import score_table

        if task not in ("auto", "binary") or favorable_classes is not None:
            msg = (f"{caller}(): `y_score` audits scores of a binary outcome; got task={task!r}"
                   f"{' and favorable_classes' if favorable_classes is not None else ''}.")
            raise InvalidParameterError(msg)
        if y_true is None:
            msg = (f"{caller}(): `y_true` is required with `y_score`: AUC and calibration compare scores "
                   f"with observed outcomes.")
            raise InvalidParameterError(msg)
        fixed = [v for rule, v in (options.threshold or ()) if rule == "score"]
        table = score_table(data, y_true=y_true, y_score=y_score, pos_label=pos_label, thresholds=fixed,
                            score_bins=score_bins, **common)
        decisions = None
        if y_pred is not None:
            counts = binary_table(data, y_true=y_true, y_pred=y_pred, pos_label=pos_label, **common)
            decisions = result(counts, {"pos_label": pos_label, "task": "binary"},
                               options.replace(caller, metrics=None, threshold=None))
        return result(table, {"pos_label": pos_label, "task": "score", "decisions": decisions})
    if y_pred is None:
        raise InvalidParameterError(f"{caller}(): `y_pred` is required unless `y_score` is given; got None.")
    if favorable_classes is not None:
        table = favourable_table(data, y_true=y_true, y_pred=y_pred, favorable_classes=favorable_classes,
                                 pos_label=pos_label, **common)
        return result(table, {"pos_label": 1, "task": "binary"})
    if task == "multiclass":
        table = classes_table(data, y_true=y_true, y_pred=y_pred, **common)
        return result(table, {"pos_label": None, "task": task})
    if task == "regression":
        from ._sources_numeric import moment_table

        table = moment_table(data, y_true=y_true, y_pred=y_pred, prediction_bins=prediction_bins, **common)
        return result(table, {"pos_label": None, "task": task})
    # "auto" is binary here: telling classes or amounts from 0/1 labels would cost a scan of
    # its own; non-binary labels are refused by the engine's check with a hint to name the task.
    try:
        table = binary_table(data, y_true=y_true, y_pred=y_pred, pos_label=pos_label, **common)
    except AuditError as exc:
        if task == "auto" and "must hold only 0 and 1" in str(exc):
            raise type(exc)(f"{exc} Hint: name the task of a source counted where it lives: "
                            f"task='multiclass', task='regression', y_score=..., or favorable_classes=[...].") from None
        raise
    return result(table, {"pos_label": pos_label, "task": "binary"})
