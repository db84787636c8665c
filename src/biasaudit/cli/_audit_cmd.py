"""``biasaudit audit``: one data file, one audit, its reports and a terminal summary."""

from __future__ import annotations

import contextlib
import json
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._atomic import write_texts_atomic
from .._audit import audit
from .._options import REFERENCE_RULES
from .._report._findings import SEVERITIES, comparison_counts
from .._report._vulnerable import CATEGORIES as VULNERABLE_CATEGORIES
from .._tasks import _kind as label_kind
from .._tasks import auto_task
from .._validation import _suggest
from ..exceptions import AuditError
from ._errors import EXIT_FINDINGS, EXIT_OK, CliError, library_message, one_line
from ._labels import binarise, column_values, match_value, shown
from ._outputs import locked, refuse_inputs
from ._sources import is_connection
from ._summary_text import audit_summary

if TYPE_CHECKING:  # annotations only: the CLI imports the report machinery lazily
    from .._report import Report
    from .._result import AuditResult

__all__ = ["AuditSpec", "Outcome", "run_audit", "run_audit_command"]

from ._constants import DEFAULT_FORMATS, FAIL_ON, LANGUAGES  # re-exported names
#: report format -> (method of the report object, file name in the output folder)
REPORT_FILES = {
    "html": ("to_html", "report.html"),
    "md": ("to_markdown", "report.md"),
    "json": ("to_json", "report.json"),
    "csv": ("to_csv", "results.csv"),
}
_FLAGGED_VERDICTS = ("disparity", "possible_disparity")


@dataclass
class AuditSpec:
    """Everything one audit needs, from the command line or from a batch manifest entry."""

    data: Path | str  # a file, or a database connection string (kept as text)
    y_pred: str
    protected: list
    y_true: str | None = None
    weight: str | None = None
    reference: str | None = None             # rule for attributes not in `references`
    references: dict = field(default_factory=dict)  # attribute -> group label (as typed)
    pos_label: object = "1"
    y_true_positive: list | None = None
    y_pred_positive: list | None = None
    threshold: float = 0.8
    positive_is_unfavorable: bool = False
    intersections: bool = True
    seed: int = 0
    language: str = "en"
    formats: tuple = DEFAULT_FORMATS
    formats_given: bool = False  # asked for explicitly: a missing optional dependency is an error
    min_cell: int = 10
    vulnerable: object = None  # None: recognise; False: off; {category: [(attribute, value as typed)]}
    metadata: dict | None = None
    full: bool = False
    input_format: str | None = None
    encoding: str = "utf-8"
    style: str = "cli"  # how options are named in messages: "cli" (--y-true) or "manifest" (y_true)
    inputs: tuple = ()  # other files read (metadata, manifest): never written over
    task: str = "auto"  # binary, multiclass or regression; auto decides from the label columns
    options: dict = field(default_factory=dict)  # statistical options of audit(), by their library names
    y_score: str | None = None  # a score audit (see _score_cmd)
    score_thresholds: tuple | None = None
    table: str | None = None  # with a database DATA: the table audited ...
    sql: str | None = None  # ... or the query

    def opt(self, key: str) -> str:
        """The user's name of option ``key``."""
        return "--" + key.replace("_", "-") if self.style == "cli" else key


@dataclass
class Outcome:
    """What one audit produced."""

    result: AuditResult
    report: Report
    paths: dict
    warnings: list
    n_rows: int
    skipped: list = field(default_factory=list)  # notes on formats left out for a missing dependency

    @property
    def max_severity(self) -> str:
        return str(self.report.max_severity)

    @property
    def gate_severity(self) -> str:
        """What ``--fail-on`` reads: the annex's highest severity, even in the published edition."""
        return str(self.report.annex_max_severity)

    @property
    def n_findings(self) -> int:
        return len(self.report.findings)

    @property
    def n_flagged(self) -> int:
        """Flagged comparisons, complementary metrics (FNR of TPR, ...) counted once."""
        return comparison_counts(self.result)[0]

    @property
    def n_four_fifths(self) -> int:
        return int(self.result.four_fifths["flagged"].sum())

    @property
    def n_assessed(self) -> int:
        """Comparisons with a verdict: a run assessing none cannot pass a ``--fail-on`` gate."""
        return n_assessed(self.result)


def n_assessed(result) -> int:
    """Comparisons with a verdict, and omnibus tests with a p-value (all a class-share audit has)."""
    d = result.disparities
    omnibus = result.independence_tests
    return int((~d["verdict"].isin(["reference", "not_tested"])).sum()) + int(omnibus["pvalue"].notna().sum())


def fails(max_severity: str, fail_on: str, assessed: int | None = None) -> bool:
    """Whether a run fails the ``--fail-on`` gate: a finding at or above the level, or no
    comparison assessed at all (``assessed == 0``), which proves nothing either way."""
    if fail_on == "never":
        return False
    if assessed == 0:
        return True
    return SEVERITIES.index(max_severity) >= SEVERITIES.index(fail_on)


def gate_message(published: str, annex: str, fail_on: str) -> str:
    """Why the run exits 1, naming the annex when only its findings reach the gate."""
    if annex != published:
        return (f"Exit status 1: the regulator's annex has a finding of severity {annex}, at or above --fail-on "
                f"{fail_on}; this published edition withholds its figures (highest severity shown: {published}).")
    return f"Exit status 1: highest severity {published} is at or above --fail-on {fail_on}."


def severity_of(report) -> str:
    sev = str(report.max_severity)
    if sev not in SEVERITIES:
        msg = f"the report gave an unknown severity {sev!r}; expected one of {', '.join(SEVERITIES)}."
        raise CliError(msg)
    return sev


@contextlib.contextmanager
def captured_warnings():
    """Collect warnings as distinct one-line messages instead of printing them."""
    messages: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield messages
    for w in caught:
        text = one_line(w.message)
        if text not in messages:
            messages.append(text)


def load_metadata(path, option="--metadata") -> dict:
    """The report metadata from a TOML or JSON file."""
    path = Path(path)
    if not path.is_file():
        msg = f"{option}: no such file: {str(path)!r}."
        raise CliError(msg)
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data = _toml_loads(path.read_text(encoding="utf-8"))
        elif suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            msg = f"{option}: {str(path)!r} must be a .toml or .json file."
            raise CliError(msg)
    except UnicodeDecodeError:
        msg = f"{option}: {str(path)!r} is not UTF-8 text."
        raise CliError(msg) from None
    except ValueError as exc:  # TOMLDecodeError and JSONDecodeError are ValueErrors
        msg = f"{option}: {str(path)!r} is not valid {suffix[1:].upper()}: {one_line(exc)}."
        raise CliError(msg) from None
    if not isinstance(data, dict):
        msg = f"{option}: {str(path)!r} must hold a table (an object) of metadata fields."
        raise CliError(msg)
    return data


def _toml_loads(text: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)


def _check_columns(spec: AuditSpec, df: pd.DataFrame) -> None:
    wanted = [("y_true", spec.y_true), ("y_pred", spec.y_pred), ("weight", spec.weight)]
    wanted += [("protected", p) for p in spec.protected]
    for key, col in wanted:
        if col is not None and col not in df.columns:
            msg = f"{spec.opt(key)}: no column {col!r} in {str(spec.data)!r}." + _suggest(col, list(df.columns))
            raise CliError(msg)
    for key, col in wanted:
        if col is not None and df[col].dtype == object and _maybe_nested(df[col]):
            bad = next((v for v in df[col] if isinstance(v, (list, dict, set, tuple)) or hasattr(v, "__array__")), None)
            if bad is not None:  # a list-valued Parquet or JSON column
                msg = (f"column {col!r} ({spec.opt(key)}) holds {type(bad).__name__} values such as "
                       f"{one_line(repr(bad))[:40]}; each row needs one label. Hint: pick or flatten one value per row.")
                raise CliError(msg)
    if len(set(spec.protected)) != len(spec.protected):
        msg = f"{spec.opt('protected')}: each attribute must be named once; got {', '.join(spec.protected)}."
        raise CliError(msg)


def _maybe_nested(series: pd.Series) -> bool:
    """Whether an object column may hold lists, arrays or dicts (cheap: one C-level scan)."""
    kind = pd.api.types.infer_dtype(series, skipna=True)
    return kind.startswith("mixed") or kind == "unknown-array"


def _reference(spec: AuditSpec, df: pd.DataFrame):
    """The ``reference`` argument of :func:`biasaudit.audit`."""
    rule = spec.reference
    if rule is not None and rule not in REFERENCE_RULES:
        msg = (f"{spec.opt('reference')} {rule!r} is neither a rule ({', '.join(REFERENCE_RULES)}) "
               f"nor ATTRIBUTE=GROUP.")
        raise CliError(msg)
    if not spec.references:
        return rule or "largest"
    out = {}
    for attr, given in spec.references.items():
        if attr not in spec.protected:
            msg = (f"{spec.opt('reference')} names {attr!r}, which is not a protected attribute "
                   f"({', '.join(spec.protected)}).")
            raise CliError(msg)
        if isinstance(given, str) and given in REFERENCE_RULES:
            out[attr] = given
            continue
        values = column_values(df[attr])
        value = match_value(given, values)
        if value is None:
            msg = (f"{spec.opt('reference')} {attr}={given}: column {attr!r} has no group {str(given)!r}; "
                   f"its groups are {shown(values)}.")
            raise CliError(msg)
        out[attr] = value
    if rule is not None:
        for attr in spec.protected:
            out.setdefault(attr, rule)
        if spec.intersections and len(spec.protected) > 1:
            out.setdefault(" & ".join(spec.protected), rule)
    return out


def file_metadata(spec: AuditSpec, n_rows: int, digest: str | None = None, data_source: str | None = None) -> dict:
    """The report metadata: the user's, completed with what the command line knows of the file.

    ``digest`` is the SHA-256 of the bytes that were parsed (from the reader), never of
    the file as it is later on disk.
    """
    meta = dict(spec.metadata or {})
    meta.setdefault("data_source", data_source or Path(spec.data).name)
    if digest is not None:
        meta.setdefault("file_sha256", digest)
    meta.setdefault("rows_read", n_rows)
    return meta


def run_audit(spec: AuditSpec, out_dir, *, frame: pd.DataFrame | None = None, digest: str | None = None,
              counted=None, inputs=()) -> Outcome:
    """Read, check, audit, report and write; every user error is a :class:`CliError`.

    Binary decisions are counted where the data live (a file streamed in bounded memory, a
    database table or query; see ``_streamed``); classes and amounts are read in memory from
    a small file, else counted where they live (see ``_in_place``). Library errors
    (:class:`~biasaudit.AuditError`) become ``CliError`` with the same message. ``frame`` and
    ``digest`` are a table already read and the hash of its bytes, ``counted`` a source
    already counted (a batch counts each file once); ``inputs`` are further files no report
    may be written over.
    """
    if frame is None:
        from ._in_place import route

        routed = route(spec, counted, _task)
        if routed.frame is None:
            return _run_in_place(spec, out_dir, routed, inputs)
        frame, digest = routed.frame, routed.digest
    df = frame
    _check_columns(spec, df)
    pos_option = spec.opt("pos_label")
    task = _task(spec, df)
    y_true = None
    if task != "binary":  # classes and amounts are audited as they are, never binarised
        y_true = None if spec.y_true is None else df[spec.y_true]
        y_pred = df[spec.y_pred]
    elif spec.y_true is not None:
        y_true = binarise(df[spec.y_true], option=spec.opt("y_true"), positive=spec.y_true_positive,
                          pos_label=spec.pos_label, pos_option=pos_option)
    if task == "binary":
        y_pred = binarise(df[spec.y_pred], option=spec.opt("y_pred"), positive=spec.y_pred_positive,
                          pos_label=spec.pos_label, pos_option=pos_option)
    reference = _reference(spec, df)
    try:
        with captured_warnings() as messages:
            result = audit(
                df, y_true=y_true, y_pred=y_pred, protected=list(spec.protected), sample_weight=spec.weight,
                reference=reference, positive_is_favorable=not spec.positive_is_unfavorable,
                four_fifths_threshold=spec.threshold, intersections=spec.intersections, rng=spec.seed, task=task,
                **spec.options,
            )
    except AuditError as exc:
        raise CliError(library_message(exc)) from exc
    return _finish(spec, out_dir, result, df, len(df), digest, messages, inputs)


def _run_in_place(spec: AuditSpec, out_dir, routed, inputs) -> Outcome:
    """An audit counted where its data live: binary decisions here, classes and amounts by the sources."""
    if routed.task == "binary":
        return _run_counted(spec, out_dir, routed.counted, routed.source, inputs)
    from ._in_place import task_in_place

    with captured_warnings() as messages:
        result, levels, n_rows, digest = task_in_place(spec, routed, _reference)
    return _finish(spec, out_dir, result, levels, n_rows, digest, messages, inputs, data_source=routed.source.name)


def _run_counted(spec: AuditSpec, out_dir, counted, source, inputs) -> Outcome:
    """The binary audit of a source counted by an engine: the same table, result and reports."""
    from .._options import AuditOptions
    from .._result import AuditResult, draw_seed
    from ._streamed import binary_table, levels_frame

    levels = levels_frame(counted, spec.protected)
    reference = _reference(spec, levels)
    try:
        with captured_warnings() as messages:
            table = binary_table(spec, counted)
            checked = AuditOptions.from_kwargs(
                "audit", reference=reference, positive_is_favorable=not spec.positive_is_unfavorable,
                four_fifths_threshold=spec.threshold, intersections=spec.intersections, rng=spec.seed,
                **spec.options)
            result = AuditResult(counts=table, options=checked, seed=draw_seed(checked.rng), caller="audit",
                                 provenance={"pos_label": 1, "task": "binary"})
    except AuditError as exc:
        raise CliError(library_message(exc)) from exc
    return _finish(spec, out_dir, result, levels, counted.n_rows, counted.digest, messages, inputs,
                   data_source=source.name)


def _finish(spec, out_dir, result, df, n_rows, digest, messages, inputs, data_source=None) -> Outcome:
    """Report and write an audit's result (``df``: the data, or a frame of their distinct values)."""
    try:
        with captured_warnings() as more:
            report = result.report(metadata=file_metadata(spec, n_rows, digest, data_source), language=spec.language,
                                   min_cell=spec.min_cell, vulnerable=_vulnerable(spec, df), full=spec.full)
            severity_of(report)
            _ = (result.disparities, result.four_fifths)  # computed here, so their warnings are caught
    except AuditError as exc:
        raise CliError(library_message(exc)) from exc
    messages = messages + [m for m in more if m not in messages]
    paths, skipped = write_reports(report, Path(out_dir), spec.formats, required=spec.formats_given,
                                   inputs=tuple(p for p in (spec.data, *spec.inputs, *inputs) if isinstance(p, Path)))
    return Outcome(result=result, report=report, paths=paths, warnings=messages, n_rows=n_rows, skipped=skipped)


def _task(spec: AuditSpec, df: pd.DataFrame) -> str:
    """The task of an audit: as given, else binary when positive values are listed, else detected."""
    if spec.task != "auto":
        return spec.task
    if spec.y_true_positive or spec.y_pred_positive:
        return "binary"
    try:
        return auto_task(df, spec.y_true, spec.y_pred, caller="audit")
    except AuditError as exc:
        columns = [df[c] for c in (spec.y_true, spec.y_pred) if c is not None]
        if any(label_kind(c.to_numpy()) == "binary" for c in columns):
            return "binary"  # a binary column beside classes: binarising says how to list positive values
        option = "--task" if spec.style == "cli" else "task"
        raise CliError(library_message(exc).replace("task='", f"{option} '").replace(
            "pass task=", f"pass {option} ")) from exc


def _vulnerable(spec, df):
    """The report's ``vulnerable`` option, with values matched to the columns' types."""
    if not isinstance(spec.vulnerable, dict):
        return spec.vulnerable
    out = {}
    for category, pairs in spec.vulnerable.items():
        for attribute, given in pairs:
            if attribute not in spec.protected:
                msg = (f"{spec.opt('vulnerable')}: {attribute!r} is not a protected attribute of this audit "
                       f"({', '.join(spec.protected)}).")
                raise CliError(msg)
            values = column_values(df[attribute])
            value = match_value(given, values)
            if value is None:
                msg = (f"{spec.opt('vulnerable')}: no group {given!r} in {attribute!r}; its groups are "
                       f"{shown(values)}.")
                raise CliError(msg)
            out.setdefault(category, []).append((attribute, value))
    return out


def parse_vulnerable(items, option: str):
    """``["migrants=foreign_worker:A201", ...]`` -> ``{"migrants": [("foreign_worker", "A201")]}``."""
    out: dict[str, list[tuple[str, str]]] = {}
    for item in items:
        category, sep, target = item.partition("=")
        attribute, sep2, value = target.partition(":")
        if not (sep and sep2 and category and attribute and value):
            msg = f"{option}: expected CATEGORY=ATTRIBUTE:VALUE, e.g. migrants=foreign_worker:A201; got {item!r}."
            raise CliError(msg)
        if category not in VULNERABLE_CATEGORIES:
            msg = (f"{option}: unknown category {category!r}; use one of {', '.join(VULNERABLE_CATEGORIES)}."
                   + _suggest(category, list(VULNERABLE_CATEGORIES)).replace(" Available columns:", ""))
            raise CliError(msg)
        out.setdefault(category, []).append((attribute.strip(), value.strip()))
    return out


def write_reports(report, out_dir: Path, formats, *, required: bool = True, inputs=()):
    """Write each format's file into ``out_dir``; return ({format: path}, [notes on skipped formats]).

    A format whose optional dependency is missing (HTML needs Jinja2 and matplotlib) is an
    error if ``required``, otherwise it is left out with a note. Nothing is written if a
    report would replace one of ``inputs``; the files are written atomically, all or none.
    """
    refuse_inputs([out_dir / REPORT_FILES[fmt][1] for fmt in formats], inputs)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the output folder {str(out_dir)!r}: {one_line(exc.strerror or exc)}."
        raise CliError(msg) from None
    contents, skipped = {}, []
    for fmt in formats:  # render everything first: the slow part, and where ImportError arises
        method, name = REPORT_FILES[fmt]
        try:
            contents[fmt] = getattr(report, method)()
        except ImportError as exc:
            if required:
                raise CliError(f"cannot write {name}: {one_line(exc)}") from None
            skipped.append(f"{name} not written: {one_line(exc)}")
    paths = {fmt: out_dir / REPORT_FILES[fmt][1] for fmt in contents}
    try:  # then all files replaced together: never a folder mixing this run's files and an older run's
        write_texts_atomic({paths[fmt]: text for fmt, text in contents.items()})
    except OSError as exc:
        shown = exc.filename if isinstance(exc.filename, str) else str(out_dir)
        msg = f"cannot write {shown!r}: {one_line(exc.strerror or exc)}."
        raise CliError(msg) from None
    return paths, skipped


def print_warnings(messages, stream=None) -> None:
    stream = stream or sys.stderr
    for text in messages:
        print(f"biasaudit: warning: {text}", file=stream)


def _split(values):
    """Comma-separated option values (the option may also be repeated) as one list."""
    if values is None:
        return None
    out = [v.strip() for item in values for v in item.split(",") if v.strip()]
    return out


def reference_parts(items, name: str) -> tuple:
    """(rule, {attribute: group}) of reference items written ``ATTRIBUTE=GROUP`` or as a rule,
    as ``--reference`` takes them (and a manifest's ``reference`` string or list)."""
    rule, pairs = None, {}
    for item in items:
        if "=" in item:
            attr, value = item.split("=", 1)
            pairs[attr.strip()] = value
        elif rule is None:
            rule = item.strip()
        else:
            msg = f"{name}: give at most one rule ({', '.join(REFERENCE_RULES)}); got {rule!r} and {item!r}."
            raise CliError(msg)
    return rule, pairs


def spec_from_args(args) -> AuditSpec:
    """An :class:`AuditSpec` from the parsed ``audit`` arguments."""
    rule, pairs = reference_parts(args.reference or [], "--reference")
    formats = _split(args.format) if args.format else list(DEFAULT_FORMATS)
    for fmt in formats:
        if fmt not in REPORT_FILES:
            msg = f"--format: unknown report format {fmt!r}; use any of {','.join(REPORT_FILES)}."
            raise CliError(msg)
    four_fifths, score_thresholds = _thresholds(args)
    protected = _split(args.protected)
    if not protected:
        msg = "--protected: name at least one column, e.g. --protected sex,race."
        raise CliError(msg)
    return AuditSpec(
        data=args.data if is_connection(args.data) else Path(args.data), table=args.table, sql=args.sql,
        y_true=args.y_true, y_pred=args.y_pred, protected=protected, weight=args.weight,
        reference=rule, references=pairs, pos_label=args.pos_label,
        y_true_positive=_split(args.y_true_positive), y_pred_positive=_split(args.y_pred_positive),
        threshold=four_fifths, positive_is_unfavorable=args.positive_is_unfavorable,
        intersections=not args.no_intersections, seed=args.seed, language=args.language,
        formats=tuple(dict.fromkeys(formats)), formats_given=bool(args.format), min_cell=args.min_cell,
        vulnerable=False if args.no_vulnerable else parse_vulnerable(args.vulnerable or [], "--vulnerable") or None,
        metadata=load_metadata(args.metadata) if args.metadata else None, full=args.full,
        input_format=args.input_format, encoding=args.encoding,
        inputs=(Path(args.metadata),) if args.metadata else (), task=getattr(args, "task", "auto"),
        y_score=getattr(args, "y_score", None), score_thresholds=score_thresholds,
        options=statistical_options(vars(args)),
    )


def statistical_options(given: dict) -> dict:
    """The statistical options given (by their library names), from flags or manifest keys."""
    from .._options import OPTIONS

    return {o.name: given[o.name] for o in OPTIONS if o.cli and given.get(o.name) is not None}


def _thresholds(args):
    """(four-fifths ratio, score thresholds): --threshold means the second with --y-score."""
    from .._thresholds import check_thresholds

    y_score = getattr(args, "y_score", None)
    if y_score is None and args.y_pred is None:
        raise CliError("--y-pred: give the decision column, or --y-score for a score column.")
    if y_score is not None:
        try:
            return 0.8, (None if args.threshold is None else check_thresholds(args.threshold))
        except AuditError as exc:
            raise CliError("--threshold: " + library_message(exc).replace("`threshold` ", "")) from exc
    if args.threshold is None:
        return 0.8, None
    if isinstance(args.threshold, str) or not 0 < args.threshold <= 1:
        msg = (f"--threshold: {args.threshold!r} must be in (0, 1], e.g. 0.8 (the four-fifths ratio; score "
               f"thresholds need --y-score).")
        raise CliError(msg)
    return args.threshold, None


def run_audit_command(args) -> int:
    spec = spec_from_args(args)
    with locked(Path(args.out)):
        outcome = run_audit(spec, Path(args.out))
    print_warnings(outcome.warnings + outcome.skipped)
    print(audit_summary(outcome, spec))
    if outcome.n_assessed == 0 and args.fail_on != "never":
        print(f"Exit status 1: no comparison could be assessed (every group was a reference or not tested), "
              f"so --fail-on {args.fail_on} cannot pass.")
        return EXIT_FINDINGS
    if fails(outcome.gate_severity, args.fail_on):
        print(gate_message(outcome.max_severity, outcome.gate_severity, args.fail_on))
        return EXIT_FINDINGS
    return EXIT_OK
