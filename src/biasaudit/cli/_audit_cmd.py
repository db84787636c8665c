"""``biasaudit audit``: one data file, one audit, its reports and a terminal summary."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._audit import audit
from .._options import REFERENCE_RULES
from .._report._findings import SEVERITIES
from .._report._vulnerable import CATEGORIES as VULNERABLE_CATEGORIES
from .._validation import _suggest
from ..exceptions import AuditError
from ._errors import EXIT_FINDINGS, EXIT_OK, CliError, library_message, one_line
from ._labels import binarise, column_values, match_value, shown
from ._readers import read_table

__all__ = ["AuditSpec", "Outcome", "run_audit", "run_audit_command"]

FAIL_ON = ("low", "medium", "high", "never")
LANGUAGES = ("en", "az")
#: report format -> (method of the report object, file name in the output folder)
REPORT_FILES = {
    "html": ("to_html", "report.html"),
    "md": ("to_markdown", "report.md"),
    "json": ("to_json", "report.json"),
    "csv": ("to_csv", "results.csv"),
}
DEFAULT_FORMATS = ("html", "md", "json", "csv")
_SHOWN_METRICS = ("selection_rate", "true_positive_rate", "false_positive_rate")
_FLAGGED_VERDICTS = ("disparity", "possible_disparity")
_MAX_ROWS = 15  # flagged rows listed in the terminal; the report has them all


@dataclass
class AuditSpec:
    """Everything one audit needs, from the command line or from a batch manifest entry."""

    data: Path
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
    y_score: str | None = None  # a score audit (see _score_cmd)
    score_thresholds: tuple | None = None

    def opt(self, key: str) -> str:
        """The user's name of option ``key``."""
        return "--" + key.replace("_", "-") if self.style == "cli" else key


@dataclass
class Outcome:
    """What one audit produced."""

    result: object
    report: object
    paths: dict
    warnings: list
    n_rows: int
    skipped: list = field(default_factory=list)  # notes on formats left out for a missing dependency

    @property
    def max_severity(self) -> str:
        return str(self.report.max_severity)

    @property
    def n_findings(self) -> int:
        return len(self.report.findings)

    @property
    def n_flagged(self) -> int:
        d = self.result.disparities
        return int(d["verdict"].isin(_FLAGGED_VERDICTS).sum())

    @property
    def n_four_fifths(self) -> int:
        return int(self.result.four_fifths["flagged"].sum())


def fails(max_severity: str, fail_on: str) -> bool:
    """Whether a report of ``max_severity`` is at or above the ``--fail-on`` level."""
    if fail_on == "never":
        return False
    return SEVERITIES.index(max_severity) >= SEVERITIES.index(fail_on)


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
    if len(set(spec.protected)) != len(spec.protected):
        msg = f"{spec.opt('protected')}: each attribute must be named once; got {', '.join(spec.protected)}."
        raise CliError(msg)


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


@functools.lru_cache(maxsize=64)
def _sha256(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_metadata(spec: AuditSpec, n_rows: int) -> dict:
    """The report metadata: the user's, completed with what the command line knows of the file."""
    meta = dict(spec.metadata or {})
    meta.setdefault("data_source", spec.data.name)
    try:
        stat = spec.data.stat()
        meta.setdefault("file_sha256", _sha256(str(spec.data.resolve()), stat.st_size, stat.st_mtime))
    except OSError:
        pass
    meta.setdefault("rows_read", n_rows)
    return meta


def run_audit(spec: AuditSpec, out_dir, *, frame: pd.DataFrame | None = None) -> Outcome:
    """Read, check, audit, report and write; every user error is a :class:`CliError`.

    Library errors (:class:`~biasaudit.AuditError`) are turned into ``CliError`` with
    the same message.
    """
    df = frame if frame is not None else read_table(spec.data, input_format=spec.input_format,
                                                    encoding=spec.encoding)
    _check_columns(spec, df)
    pos_option = spec.opt("pos_label")
    y_true = None
    if spec.y_true is not None:
        y_true = binarise(df[spec.y_true], option=spec.opt("y_true"), positive=spec.y_true_positive,
                          pos_label=spec.pos_label, pos_option=pos_option)
    y_pred = binarise(df[spec.y_pred], option=spec.opt("y_pred"), positive=spec.y_pred_positive,
                      pos_label=spec.pos_label, pos_option=pos_option)
    reference = _reference(spec, df)
    try:
        with captured_warnings() as messages:
            result = audit(
                df, y_true=y_true, y_pred=y_pred, protected=list(spec.protected), sample_weight=spec.weight,
                reference=reference, positive_is_favorable=not spec.positive_is_unfavorable,
                four_fifths_threshold=spec.threshold, intersections=spec.intersections, rng=spec.seed,
            )
            report = result.report(metadata=file_metadata(spec, len(df)), language=spec.language,
                                   min_cell=spec.min_cell, vulnerable=_vulnerable(spec, df), full=spec.full)
            severity_of(report)
            _ = (result.disparities, result.four_fifths)  # computed here, so their warnings are caught
    except AuditError as exc:
        raise CliError(library_message(exc)) from exc
    paths, skipped = write_reports(report, Path(out_dir), spec.formats, required=spec.formats_given)
    return Outcome(result=result, report=report, paths=paths, warnings=messages, n_rows=len(df), skipped=skipped)


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
    out = {}
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


def write_reports(report, out_dir: Path, formats, *, required: bool = True):
    """Write each format's file into ``out_dir``; return ({format: path}, [notes on skipped formats]).

    A format whose optional dependency is missing (HTML needs Jinja2 and matplotlib) is an
    error if ``required``, otherwise it is left out with a note.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the output folder {str(out_dir)!r}: {one_line(exc.strerror or exc)}."
        raise CliError(msg) from None
    paths, skipped = {}, []
    for fmt in formats:
        method, name = REPORT_FILES[fmt]
        path = out_dir / name
        try:
            getattr(report, method)(path)
        except ImportError as exc:
            if required:
                raise CliError(f"cannot write {name}: {one_line(exc)}") from None
            skipped.append(f"{name} not written: {one_line(exc)}")
            continue
        except OSError as exc:
            msg = f"cannot write {str(path)!r}: {one_line(exc.strerror or exc)}."
            raise CliError(msg) from None
        paths[fmt] = path
    return paths, skipped


def _table(frame: pd.DataFrame) -> str:
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.max_colwidth", 40):
        return frame.to_string(index=False, float_format=lambda x: f"{x:.3f}", na_rep="NaN")


def audit_summary(outcome: Outcome, spec: AuditSpec) -> str:
    """The short terminal summary: groups, flagged disparities, four-fifths flags, findings."""
    result = outcome.result
    lines = []
    decisions = spec.y_pred + (f" (positive: {', '.join(map(str, spec.y_pred_positive))})"
                               if spec.y_pred_positive else "")
    outcomes = f"; outcomes {spec.y_true}" if spec.y_true else "; no outcomes (decisions only)"
    lines.append(f"biasaudit audit of {spec.data}: {outcome.n_rows:,} rows; decisions {decisions}{outcomes}")
    joined = ", ".join(spec.protected)
    lines.append(f"protected: {joined}" + (" and their intersection" if spec.intersections and len(spec.protected) > 1
                                           else "") + "\n")
    gm = result.group_metrics
    cols = ["attribute", "group", "n", *[m for m in _SHOWN_METRICS if m in gm.columns]]
    marginal = gm[gm["attribute"].isin(spec.protected)][cols]
    lines.append(_table(marginal))
    n_inter = int((~gm["attribute"].isin(spec.protected)).sum())
    if n_inter:
        lines.append(f"({n_inter} intersectional groups: see the report)")
    d = result.disparities
    flagged = d[d["verdict"].isin(_FLAGGED_VERDICTS)]
    flagged = flagged.assign(_o=flagged["verdict"].map({"disparity": 0, "possible_disparity": 1}))
    flagged = flagged.sort_values(["_o", "attribute"], kind="stable")
    tested = int((~d["verdict"].isin(["reference", "not_tested"])).sum())
    lines.append(f"\nFlagged disparities (verdict disparity or possible_disparity): {len(flagged)} of {tested} "
                 f"comparisons")
    if len(flagged):
        shown_rows = flagged[["attribute", "group", "reference", "metric", "difference", "verdict"]]
        lines.append(_table(shown_rows.head(_MAX_ROWS)))
        if len(flagged) > _MAX_ROWS:
            lines.append(f"... and {len(flagged) - _MAX_ROWS} more in the report")
    ff = result.four_fifths
    ff_flagged = ff[ff["flagged"]]
    lines.append(f"\nFour-fifths flags (impact ratio below {spec.threshold:g}; a US EEOC heuristic, not a test): "
                 f"{len(ff_flagged)}")
    if len(ff_flagged):
        lines.append(_table(ff_flagged[["attribute", "group", "n", "favourable_rate", "impact_ratio"]]
                            .head(_MAX_ROWS)))
    lines.append(f"\nFindings: {outcome.n_findings}; highest severity: {outcome.max_severity}.")
    if outcome.paths:
        lines.append("Reports: " + ", ".join(str(p) for p in outcome.paths.values()))
    return "\n".join(lines)


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


def spec_from_args(args) -> AuditSpec:
    """An :class:`AuditSpec` from the parsed ``audit`` arguments."""
    rule, pairs = None, {}
    for item in args.reference or []:
        if "=" in item:
            attr, value = item.split("=", 1)
            pairs[attr.strip()] = value
        elif rule is None:
            rule = item.strip()
        else:
            msg = f"--reference: give at most one rule ({', '.join(REFERENCE_RULES)}); got {rule!r} and {item!r}."
            raise CliError(msg)
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
        data=Path(args.data), y_true=args.y_true, y_pred=args.y_pred, protected=protected, weight=args.weight,
        reference=rule, references=pairs, pos_label=args.pos_label,
        y_true_positive=_split(args.y_true_positive), y_pred_positive=_split(args.y_pred_positive),
        threshold=four_fifths, positive_is_unfavorable=args.positive_is_unfavorable,
        intersections=not args.no_intersections, seed=args.seed, language=args.language,
        formats=tuple(dict.fromkeys(formats)), formats_given=bool(args.format), min_cell=args.min_cell,
        vulnerable=False if args.no_vulnerable else parse_vulnerable(args.vulnerable or [], "--vulnerable") or None,
        metadata=load_metadata(args.metadata) if args.metadata else None, full=args.full,
        input_format=args.input_format, encoding=args.encoding,
        y_score=getattr(args, "y_score", None), score_thresholds=score_thresholds,
    )


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
    outcome = run_audit(spec, Path(args.out))
    print_warnings(outcome.warnings + outcome.skipped)
    print(audit_summary(outcome, spec))
    if fails(outcome.max_severity, args.fail_on):
        print(f"Exit status 1: highest severity {outcome.max_severity} is at or above --fail-on {args.fail_on}.")
        return EXIT_FINDINGS
    return EXIT_OK
