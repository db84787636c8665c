"""``biasaudit audit --y-score``: a score audit from the command line.

Writes the tidy tables of the audit as CSV (group metrics, AUC gaps and their tests, AUC
intervals and calibration tests, ROC and reliability curves, decision metrics at every
``--threshold``), the ROC and reliability figures as SVG, the findings as JSON and the
report (``--format``: HTML, Markdown, JSON); prints
each group's AUC and calibration and the findings. Files are written atomically; text cells
that a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .._audit import audit
from ..exceptions import AuditError
from ._audit_cmd import _check_columns, _reference, _vulnerable, captured_warnings, file_metadata, print_warnings, \
    run_audit_command, spec_from_args, write_reports
from ._errors import EXIT_FINDINGS, EXIT_OK, CliError, library_message
from ._labels import binarise
from ._summary_text import group_text

__all__ = ["run_audit_or_score_command", "run_score_command"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run_score_audit(spec, out_dir: Path, frame: pd.DataFrame | None = None, digest: str | None = None):
    """Read (unless ``frame`` is given, with the SHA-256 ``digest`` of its file), audit the
    scores, write the tables, figures and reports; returns (result, report, paths, warnings).

    ``findings.json`` and the terminal carry the report's findings (the published edition
    unless ``--full``), so every output says the same sentences.

    A database, or a file larger than ``BIASAUDIT_MEMORY_READ_LIMIT``, is counted where it
    lives (see ``_in_place``)."""
    if spec.y_true is None:
        raise CliError(f"{spec.opt('y_true')}: a score audit needs the observed outcomes.")
    from ._in_place import in_place, read_in_memory, score_in_place
    from ._sources import source_of

    df, data_source = frame, None
    with captured_warnings() as messages:
        if df is None:
            source = source_of(spec.data, table=spec.table, sql=spec.sql, style=spec.style)
            if in_place(spec, source):  # a database, or a file too large to read in memory
                result, df, n_rows, digest = score_in_place(spec, source, _reference)
                data_source = source.name
            else:
                df, digest = read_in_memory(spec, source, f"{spec.opt('y_score')} (a score audit)")
        if data_source is None:
            result, n_rows = _score_in_memory(spec, df), len(df)
        try:
            tables = {"group_metrics": result.group_metrics, "disparities": result.disparities,
                      "score_intervals": result.score_intervals(), "roc_curves": result.roc_curves()}
            probability = "calibration_ratio" in result.metrics
            if probability:
                tables["calibration_curves"] = result.calibration_curves()
            if spec.score_thresholds:
                tables["threshold_metrics"] = result.threshold_metrics()
            report = result.report(metadata=file_metadata(spec, n_rows, digest, data_source), language=spec.language,
                                   min_cell=spec.min_cell, vulnerable=_vulnerable(spec, df), full=spec.full)
        except AuditError as exc:
            raise CliError(library_message(exc)) from exc
    out_dir = Path(out_dir)
    paths = []
    for name, frame in tables.items():
        path = out_dir / f"{name}.csv"
        _write_atomic(path, _neutralise(frame).to_csv(index=False))
        paths.append(path)
    path = out_dir / "findings.json"
    _write_atomic(path, json.dumps(list(report.findings), indent=2, default=_plain, allow_nan=False))
    paths.append(path)
    paths += _figures(result, out_dir, spec.min_cell, probability)
    written, _ = write_reports(report, out_dir, spec.formats, required=spec.formats_given,
                               inputs=(spec.data, *spec.inputs))
    paths += list(written.values())
    return result, report, paths, messages


def _score_in_memory(spec, df: pd.DataFrame):
    """The score audit of a frame read in memory."""
    _check_columns(spec, df)
    if spec.y_score not in df.columns:
        raise CliError(f"{spec.opt('y_score')}: no column {spec.y_score!r} in {str(spec.data)!r}.")
    y_true = binarise(df[spec.y_true], option=spec.opt("y_true"), positive=spec.y_true_positive,
                      pos_label=spec.pos_label, pos_option=spec.opt("pos_label"))
    y_pred = None
    if spec.y_pred is not None:
        y_pred = binarise(df[spec.y_pred], option=spec.opt("y_pred"), positive=spec.y_pred_positive,
                          pos_label=spec.pos_label, pos_option=spec.opt("pos_label"))
    scores = pd.to_numeric(df[spec.y_score], errors="coerce")
    bad = int(scores.isna().sum() - df[spec.y_score].isna().sum())
    if bad:
        raise CliError(f"{spec.opt('y_score')}: column {spec.y_score!r} must hold numbers; {bad} values are not.")
    try:
        return audit(df, y_true=y_true, y_pred=y_pred, y_score=scores.to_numpy(), protected=list(spec.protected),
                     sample_weight=spec.weight, reference=_reference(spec, df),
                     positive_is_favorable=not spec.positive_is_unfavorable, intersections=spec.intersections,
                     rng=spec.seed, threshold=spec.score_thresholds)
    except AuditError as exc:
        raise CliError(library_message(exc)) from exc


def _plain(value):
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value if isinstance(value, (int, float, str)) else str(value)


def _figures(result, out_dir, min_cell, probability) -> list:
    try:
        from .._report._score_figures import reliability_figure, roc_figure
    except ImportError:  # pragma: no cover - figures need matplotlib
        return []
    paths = []
    for k, g in enumerate(result.groupings):
        if g.is_intersection:
            continue
        draws = [("roc", roc_figure)] + ([("reliability", reliability_figure)] if probability else [])
        for kind, draw in draws:
            svg = draw(result, g.name, min_cell=min_cell)
            if svg is not None:
                path = out_dir / f"{kind}_{k + 1}.svg"  # numbered: attribute names are user text
                _write_atomic(path, svg)
                paths.append(path)
    return paths


def run_score_command(spec, out_dir: Path, fail_on: str = "high") -> int:
    """Run a score audit, print each group's AUC and calibration and the report's findings.

    The exit status follows ``--fail-on`` as for decisions: 1 when a finding is at or above it.
    """
    from ._audit_cmd import fails, gate_message, severity_of

    result, report, paths, messages = run_score_audit(spec, out_dir)
    print_warnings(messages)
    iv = result.score_intervals()
    print(f"Score audit of {result.n_rows:,} rows ({result.counts.mode} mode, "
          f"{result.counts.cell_shape[-1]} score bins).")
    for _, row in iv.iterrows():
        extra = f", AUC bound {row['auc_error_bound']:.1e}" if row["metric"] == "roc_auc" and row[
            "auc_error_bound"] > 0 else ""
        test = f"; Spiegelhalter z {row['statistic']:.2f}" if row["metric"] == "calibration_ratio" else ""
        print(f"  {row['attribute']} = {group_text(row['group'])}: {row['metric']} {row['value']:.3f} "
              f"[{row['ci_low']:.3f}, {row['ci_high']:.3f}]{extra}{test}")
    findings = list(report.findings)
    severity = severity_of(report)
    edition = "" if spec.full else " (published edition)"
    print(f"Findings{edition}: {len(findings)}; highest severity: {severity}")
    for f in findings:
        print(f"  {f['id']} {f['severity']:<6} {f['sentence']}")
    print(f"Wrote {len(paths)} files to {out_dir}.")
    annex = str(report.annex_max_severity)
    if fails(annex, fail_on):
        print(gate_message(severity, annex, fail_on))
        return EXIT_FINDINGS
    return EXIT_OK


def run_audit_or_score_command(args) -> int:
    """``biasaudit audit``: a score audit with --y-score, else the decision audit."""
    if getattr(args, "y_score", None) is not None:
        return run_score_command(spec_from_args(args), Path(args.out), fail_on=args.fail_on)
    return run_audit_command(args)
