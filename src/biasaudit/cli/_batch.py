"""``biasaudit batch``: many audits from one manifest, one summary, nothing lost.

The manifest (TOML, or the same structure in JSON) has an optional ``[defaults]`` table
and one ``[[audit]]`` table per audit; see ``docs/cli.md``. ``data``, ``y_pred`` and
``protected`` may list several values, and an entry runs once per combination.
"""

from __future__ import annotations

import difflib
import itertools
import json
import numbers
import re
import signal
import shutil
import sys
import traceback
from typing import Any
from dataclasses import dataclass
from pathlib import Path

from .._options import OPTIONS, REFERENCE_RULES
from .._tasks import TASKS
from ..exceptions import AuditError
from ._audit_cmd import (LANGUAGES, REPORT_FILES, AuditSpec, _toml_loads, fails, load_metadata, n_assessed,
                         parse_vulnerable, reference_parts, run_audit, statistical_options)
from ._errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, CliError, library_message, one_line
from ._export import write_index_html, write_summary_csv
from ._outputs import LOCK_NAME, locked, publish_folder, refuse_inputs, staging_folder
from ._readers import FORMATS, read_table_hashed
from ._sources import is_connection, redact

__all__ = ["load_manifest", "run_batch_command"]

#: Keys of an ``[[audit]]`` table (and of ``[defaults]``, which may hold all but ``name``).
#: The statistical options of audit(), under their own names (declared in biasaudit._options).
STATISTICAL_KEYS = tuple(o.name for o in OPTIONS if o.cli)
KEYS = (
    "name", "data", "y_true", "y_pred", "protected", "weight", "reference", "pos_label",
    "y_true_positive", "y_pred_positive", "threshold", "positive_is_unfavorable", "intersections",
    "seed", "language", "format", "min_cell", "metadata", "full", "input_format", "encoding", "vulnerable",
    "task", "y_score", "table", "sql", *STATISTICAL_KEYS,
)
#: Files of the batch itself: no entry folder may take these names.
BATCH_FILES = ("summary.csv", "index.html", LOCK_NAME)
SUMMARY_COLUMNS = (
    "entry", "status", "data", "y_pred", "protected", "rows", "max_severity", "findings",
    "flagged_disparities", "four_fifths_flags", "fails", "report", "error", "warnings",
)


@dataclass
class Entry:
    """One audit of the expanded manifest: its label, its folder, and its spec or its error."""

    label: str
    folder: str
    spec: AuditSpec | None
    error: str | None = None
    data: str = ""
    y_pred: str = ""
    protected: str = ""


def _suggest_key(key) -> str:
    close = difflib.get_close_matches(str(key), KEYS, n=1)
    return f" Hint: did you mean {close[0]!r}?" if close else f" Known keys: {', '.join(KEYS)}."


def _is_str_list(value) -> bool:
    return isinstance(value, list) and len(value) > 0 and all(isinstance(v, str) and v for v in value)


def _strings(value, key, where) -> list:
    """A string or a non-empty list of strings, as a list."""
    if isinstance(value, str) and value:
        return [value]
    if _is_str_list(value):
        return list(value)
    msg = f"{where}: `{key}` must be a string or a list of strings; got {value!r}."
    raise CliError(msg)


def _attribute_sets(value, where) -> list:
    """``protected``: a name, a list of names (one set), or a list of lists (several sets)."""
    if isinstance(value, str) and value:
        return [[value]]
    if _is_str_list(value):
        return [list(value)]
    if isinstance(value, list) and value and all(_is_str_list(v) for v in value):
        return [list(v) for v in value]
    msg = (f"{where}: `protected` must be a column name, a list of names (one attribute set) or a "
           f"list of lists (several sets); got {value!r}.")
    raise CliError(msg)


def _values(value, key, where) -> list:
    """``*_positive``: a list of scalars, or a string of comma-separated values."""
    out: list[Any]
    if isinstance(value, str):
        out = [v.strip() for v in value.split(",") if v.strip()]
    elif isinstance(value, list) and value and all(isinstance(v, (str, numbers.Real)) for v in value):
        out = list(value)
    elif isinstance(value, (numbers.Real,)):
        out = [value]
    else:
        out = []
    if not out:
        msg = f"{where}: `{key}` must list the values counted as positive; got {value!r}."
        raise CliError(msg)
    return out


def _check_type(key, value, kinds, what, where):
    if isinstance(value, bool) and bool not in kinds:
        kinds_ok = False
    else:
        kinds_ok = isinstance(value, kinds)
    if not kinds_ok:
        msg = f"{where}: `{key}` must be {what}; got {value!r}."
        raise CliError(msg)
    return value


def _spec_options(merged: dict, base: Path, where: str) -> dict:
    """AuditSpec keyword arguments from one merged entry (all but data, y_pred, protected)."""
    out: dict[str, Any] = {"style": "manifest", "options": statistical_options(merged)}
    for key in ("y_true", "weight", "input_format", "encoding", "y_score", "table", "sql"):
        if key in merged:
            out[key] = _check_type(key, merged[key], (str,), "a string", where)
    if out.get("input_format") is not None and out["input_format"] not in FORMATS:
        msg = f"{where}: `input_format` must be one of {', '.join(FORMATS)}; got {out['input_format']!r}."
        raise CliError(msg)
    if "language" in merged:
        if merged["language"] not in LANGUAGES:
            msg = f"{where}: `language` must be one of {', '.join(LANGUAGES)}; got {merged['language']!r}."
            raise CliError(msg)
        out["language"] = merged["language"]
    if "reference" in merged:
        ref = merged["reference"]
        if isinstance(ref, str) or (isinstance(ref, list) and ref and all(isinstance(r, str) for r in ref)):
            # as on the command line: a rule, "attribute=group", or a list of these
            rule, pairs = reference_parts([ref] if isinstance(ref, str) else ref, f"{where}: `reference`")
            out["reference"] = rule
            if pairs:
                out["references"] = pairs
        elif isinstance(ref, dict):
            rule = ref.get("*")
            out["reference"] = rule
            out["references"] = {k: v for k, v in ref.items() if k != "*"}
        else:
            msg = (f"{where}: `reference` must be a rule ({', '.join(REFERENCE_RULES)}), \"attribute=group\", a "
                   f"list of these, or a table {{attribute = group}}; got {ref!r}.")
            raise CliError(msg)
    if "task" in merged:
        if merged["task"] not in TASKS:
            msg = f"{where}: `task` must be one of {', '.join(TASKS)}; got {merged['task']!r}."
            raise CliError(msg)
        out["task"] = merged["task"]
    if "pos_label" in merged:
        out["pos_label"] = _check_type("pos_label", merged["pos_label"], (str, numbers.Real, bool),
                                       "a string, number or boolean", where)
    for key in ("y_true_positive", "y_pred_positive"):
        if key in merged:
            out[key] = _values(merged[key], key, where)
    if "threshold" in merged and out.get("y_score") is not None:  # score thresholds, as --threshold
        from .._thresholds import check_thresholds

        t = merged["threshold"]
        try:
            out["score_thresholds"] = check_thresholds(",".join(map(str, t)) if isinstance(t, list) else t)
        except AuditError as exc:
            raise CliError(f"{where}: `threshold`: " + library_message(exc).replace("`threshold` ", "")) from exc
    elif "threshold" in merged:
        t = _check_type("threshold", merged["threshold"], (numbers.Real,), "a number in (0, 1]", where)
        if not 0 < t <= 1:
            msg = f"{where}: `threshold` must be in (0, 1]; got {t!r}."
            raise CliError(msg)
        out["threshold"] = float(t)
    for key in ("positive_is_unfavorable", "intersections", "full"):
        if key in merged:
            out[key] = _check_type(key, merged[key], (bool,), "true or false", where)
    for key, low in (("seed", 0), ("min_cell", 1)):
        if key in merged:
            v = _check_type(key, merged[key], (numbers.Integral,), f"an integer >= {low}", where)
            if v < low:
                msg = f"{where}: `{key}` must be an integer >= {low}; got {v!r}."
                raise CliError(msg)
            out[key] = int(v)
    if "format" in merged:
        fmts = merged["format"]
        fmts = [f.strip() for f in fmts.split(",")] if isinstance(fmts, str) else fmts
        if not (isinstance(fmts, list) and fmts and all(f in REPORT_FILES for f in fmts)):
            msg = (f"{where}: `format` must list report formats among {', '.join(REPORT_FILES)}; "
                   f"got {merged['format']!r}.")
            raise CliError(msg)
        out["formats"] = tuple(dict.fromkeys(fmts))
        out["formats_given"] = True
    if "vulnerable" in merged:
        out["vulnerable"] = _vulnerable_entry(merged["vulnerable"], where)
    if "metadata" in merged:
        meta = merged["metadata"]
        if isinstance(meta, str):
            out["metadata"] = load_metadata(base / meta, option=f"{where}: `metadata`")
            out["inputs"] = (base / meta,)
        elif isinstance(meta, dict):
            out["metadata"] = meta
        else:
            msg = f"{where}: `metadata` must be a table or the path of a .toml or .json file; got {meta!r}."
            raise CliError(msg)
    return out


def _vulnerable_entry(value, where):
    """``false``, or ``{category = [[attribute, value], ...]}``, or ``["migrants=attr:value", ...]``."""
    if value is False:
        return False
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return parse_vulnerable(value, f"{where}: `vulnerable`")
    pair_lists = isinstance(value, dict) and all(
        isinstance(pairs, list) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in pairs)
        for pairs in value.values())
    if pair_lists:
        items = [f"{cat}={a}:{v}" for cat, pairs in value.items() for a, v in pairs]
        return parse_vulnerable(items, f"{where}: `vulnerable`")
    msg = (f"{where}: `vulnerable` must be false, or a table {{category = [[attribute, value], ...]}}; "
           f"got {value!r}.")
    raise CliError(msg)


def _slug(text: str) -> str:
    """A safe folder name: letters, digits and ``._+-``, never starting with a dot or a sign."""
    slug = re.sub(r"[^A-Za-z0-9._+-]+", "_", text).lstrip("._+-").rstrip("._") or "audit"
    return slug[:80]


def _expand(index: int, raw, defaults: dict, base: Path) -> list:
    """The entries of one ``[[audit]]`` table: one per data x y_pred x attribute set."""
    where = f"audit #{index}"
    if not isinstance(raw, dict):
        return [Entry(label=where, folder=f"audit-{index}", spec=None,
                      error=f"{where} must be a table of options; got {raw!r}.")]
    name = raw.get("name", f"audit-{index}")
    label = str(name)
    where = f"audit #{index} ({label})"
    try:
        if not isinstance(name, str) or not name:
            msg = f"{where}: `name` must be a non-empty string; got {name!r}."
            raise CliError(msg)
        for key in raw:
            if key not in KEYS:
                raise CliError(f"{where}: unknown key {key!r}." + _suggest_key(key))
        merged = {**defaults, **raw}
        if "y_score" in merged:
            merged.setdefault("y_pred", [])  # a score audit needs no decisions
        for key in ("data", "y_pred", "protected"):
            if key not in merged:
                msg = f"{where}: `{key}` is required (in the entry or in [defaults])."
                raise CliError(msg)
        datas = _strings(merged["data"], "data", where)
        models = [None] if merged["y_pred"] == [] else _strings(merged["y_pred"], "y_pred", where)
        sets = _attribute_sets(merged["protected"], where)
        options = _spec_options(merged, base, where)
    except CliError as exc:
        given = {k: raw.get(k, defaults.get(k)) for k in ("data", "y_pred", "protected")}
        # written as a run entry's are (names joined by commas), and a connection string
        # without its password, even when the entry could not be read
        shown = {k: v if isinstance(v, str) else "" if v is None
                 else ",".join(v) if isinstance(v, list) and all(isinstance(x, str) for x in v)
                 else json.dumps(v, default=str) for k, v in given.items()}
        shown["data"] = redact(shown["data"])
        return [Entry(label=label, folder=_slug(label), spec=None, error=str(exc), **shown)]
    entries = []
    for data, model, attrs in itertools.product(datas, models, sets):
        parts = [label]
        if len(datas) > 1:
            parts.append(Path(data).stem)
        if len(models) > 1:
            parts.append(model)
        if len(sets) > 1:
            parts.append("+".join(attrs))
        spec = AuditSpec(data=_data_path(data, base), y_pred=model, protected=attrs, **options)
        entries.append(Entry(label="/".join(parts), folder=_slug("-".join(parts)), spec=spec,
                             data=redact(data), y_pred=model or "", protected=",".join(attrs)))
    return entries


def _data_path(data: str, base: Path):
    """A file relative to the manifest's folder; a connection string as written (a relative
    ``duckdb://`` path is taken from the manifest's folder too)."""
    if data.startswith("duckdb://") and not Path(data[len("duckdb://"):]).is_absolute():
        return "duckdb://" + str(base / data[len("duckdb://"):])
    if is_connection(data):
        return data
    return Path(data) if Path(data).is_absolute() else base / data


def load_manifest(path) -> list:
    """The expanded entries of a manifest; a manifest that cannot be read is a CliError."""
    path = Path(path)
    if not path.is_file():
        msg = f"no such manifest: {str(path)!r}."
        raise CliError(msg)
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8")
        manifest = json.loads(text) if suffix == ".json" else _toml_loads(text)
    except UnicodeDecodeError:
        msg = f"manifest {str(path)!r} is not UTF-8 text."
        raise CliError(msg) from None
    except ValueError as exc:
        kind = "JSON" if suffix == ".json" else "TOML"
        msg = f"manifest {str(path)!r} is not valid {kind}: {one_line(exc)}."
        raise CliError(msg) from None
    if not isinstance(manifest, dict):
        msg = f"manifest {str(path)!r} must hold a table with [defaults] and [[audit]] entries."
        raise CliError(msg)
    unknown = [k for k in manifest if k not in ("defaults", "audit")]
    if unknown:
        close = difflib.get_close_matches(unknown[0], ["defaults", "audit"], n=1)
        hint = f" Hint: did you mean {close[0]!r}?" if close else ""
        msg = f"manifest {str(path)!r}: unknown top-level key {unknown[0]!r}; expected [defaults] and [[audit]].{hint}"
        raise CliError(msg)
    defaults = manifest.get("defaults", {})
    if not isinstance(defaults, dict):
        msg = f"manifest {str(path)!r}: [defaults] must be a table."
        raise CliError(msg)
    bad = [k for k in defaults if k not in KEYS or k == "name"]
    if bad:
        msg = f"manifest {str(path)!r}: unknown key {bad[0]!r} in [defaults]." + _suggest_key(bad[0])
        raise CliError(msg)
    audits = manifest.get("audit")
    if not isinstance(audits, list) or not audits:
        msg = (f"manifest {str(path)!r} has no audits. Hint: add one [[audit]] table per audit, with data, "
               f"y_pred and protected.")
        raise CliError(msg)
    base = path.resolve().parent
    entries = [e for i, raw in enumerate(audits, start=1) for e in _expand(i, raw, defaults, base)]
    _distinct_folders(entries)
    return entries


def _distinct_folders(entries) -> None:
    """Give every entry its own folder, distinct (ignoring case) from the others and from the
    batch's own files: first come keeps its name, later ones take the next free ``-N``."""
    taken = {name.lower() for name in BATCH_FILES}
    clashing = []
    for e in entries:
        if e.folder.lower() in taken:
            clashing.append(e)
        else:
            taken.add(e.folder.lower())
    wanted = {e.folder.lower() for e in entries}
    for e in clashing:
        n = 2
        while f"{e.folder}-{n}".lower() in taken or f"{e.folder}-{n}".lower() in wanted:
            n += 1
        e.folder = f"{e.folder}-{n}"
        taken.add(e.folder.lower())


class Progress:
    """A progress bar on a terminal; one line per finished entry otherwise."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.width = total, width
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def _bar(self, done: int, label: str) -> None:
        filled = self.width * done // max(self.total, 1)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r\x1b[K[{bar}] {done}/{self.total} {label[:50]}")
        self.stream.flush()

    def start(self, i: int, label: str) -> None:
        if self.tty:
            self._bar(i, label)

    def done(self, i: int, label: str, status: str, failed: bool) -> None:
        line = f"[{i + 1}/{self.total}] {label}: {status}"
        if self.tty:
            if failed:
                self.stream.write(f"\r\x1b[K{line}\n")
            self._bar(i + 1, label)
        else:
            print(line, file=self.stream, flush=True)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _run_entry(entry: Entry, out: Path, cache: dict, fail_on: str, debug: bool, inputs=()) -> dict:
    row = {"entry": entry.label, "data": entry.data, "y_pred": entry.y_pred, "protected": entry.protected}
    final = out / entry.folder
    staging = None
    try:
        if entry.error:
            raise CliError(entry.error)
        spec = entry.spec
        if spec is None:  # an entry without an error always has a spec
            raise CliError(f"{entry.label}: no audit specification")
        counted = _counted(spec, cache)
        frame = digest = None
        if counted is None and _in_memory(spec):
            key = (str(spec.data), spec.input_format, spec.encoding)
            if key not in cache:  # each file read once; its hash is of the bytes read then
                try:
                    cache[key] = read_table_hashed(spec.data, input_format=spec.input_format, encoding=spec.encoding)
                except CliError as exc:
                    cache[key] = exc
            if isinstance(cache[key], CliError):
                raise cache[key]
            frame, digest = cache[key]
        refuse_inputs([final / name for _, name in REPORT_FILES.values()], inputs, option="batch")
        staging = staging_folder(final)
        if spec.y_score is not None:
            from ._score_cmd import run_score_audit

            result, report, _, messages = run_score_audit(spec, staging, frame=frame, digest=digest)
            outcome = _score_outcome(spec, staging, result, report, messages)
        else:
            outcome = run_audit(spec, staging, frame=frame, digest=digest, counted=counted, inputs=inputs)
        publish_folder(staging, final, _Ours())
        staging = None
    except (CliError, AuditError) as exc:
        text = str(exc) if isinstance(exc, CliError) else library_message(exc)
        return {**row, "status": "failed", "error": _final_names(text, staging, final)}
    except OSError as exc:  # a full disk or a read-only folder: say so, on one line
        where = f"{exc.filename}: " if exc.filename else ""
        text = f"cannot write or read {where}{exc.strerror or exc}."
        return {**row, "status": "failed", "error": _final_names(text, staging, final)}
    except Exception as exc:  # noqa: BLE001 - one broken entry must not stop the others
        if debug:
            traceback.print_exc()
        text = (f"unexpected {type(exc).__name__}: {one_line(exc)} (a bug in biasaudit; rerun with --debug "
                f"for the traceback)")
        return {**row, "status": "failed", "error": text}
    finally:
        if staging is not None:  # failed or interrupted: leave no half-written folder
            shutil.rmtree(staging, ignore_errors=True)
    paths = {fmt: final / p.name for fmt, p in outcome.paths.items()}
    first = next(iter(paths.values()), None)
    shown = paths.get("html", first)
    assessed = n_assessed(outcome.result)
    warnings_ = outcome.warnings + outcome.skipped
    if assessed == 0:
        warnings_ = [*warnings_, "no comparison could be assessed"]
    if outcome.gate_severity != outcome.max_severity:  # the gate reads the annex (gate_message)
        warnings_.append(f"the regulator's annex has a finding of severity {outcome.gate_severity}, whose figures "
                         f"this published edition withholds")
    return {
        **row, "status": "ok", "rows": outcome.n_rows, "max_severity": outcome.max_severity,
        "findings": outcome.n_findings, "flagged_disparities": outcome.n_flagged,
        "four_fifths_flags": outcome.n_four_fifths,
        "fails": "yes" if fails(outcome.gate_severity, fail_on, assessed) else "no",
        "report": shown.relative_to(out).as_posix() if shown is not None else "",
        "warnings": " | ".join(warnings_),
    }


def _group_key(spec) -> tuple:
    return (str(spec.data), spec.table, spec.sql, spec.input_format, spec.encoding, spec.weight)


def _in_memory(spec) -> bool:
    """Whether an entry is read into memory (a small file the engines cannot count for it),
    not counted where its data live."""
    from ._sources import is_connection, source_of
    from ._streamed import environ_limit, file_size, streamable

    if is_connection(str(spec.data)) or spec.table is not None or spec.sql is not None:
        return False
    source = source_of(spec.data, style=spec.style)
    return streamable(spec, source) is not None and 0 < file_size(source) <= environ_limit()


def _counted(spec, cache: dict):
    """The entry's counts, from one scan of its source shared by every entry that streams it
    (so a file edited mid-batch is audited as one set of bytes); None to count it alone."""
    from ._sources import source_of
    from ._streamed import Counted, NotStreamed, count_source, keys_of, streamable

    source = source_of(spec.data, table=spec.table, sql=spec.sql, style=spec.style)
    if streamable(spec, source) is not None:
        return None
    key = ("counted", *_group_key(spec))
    if key not in cache:
        group = [e.spec for e in cache.get("entries", []) if e.spec is not None and e.spec.y_score is None
                 and _group_key(e.spec) == _group_key(spec) and streamable(e.spec, source) is None] or [spec]
        keys = list(dict.fromkeys(k for s in group for k in keys_of(s)))
        try:
            cache[key] = count_source(spec, source, keys=keys, specs=group)
        except (CliError, NotStreamed):  # one entry's bad column must not fail the others: count each alone
            cache[key] = None
    got = cache[key]
    return got.marginal(spec) if isinstance(got, Counted) else None


def _score_outcome(spec, staging: Path, result, report, messages):
    """A score audit's outcome for the summary: its report's findings and severity, its files;
    flagged comparisons and four-fifths flags of the scores and of every set of decisions the
    report covers (each threshold, and ``y_pred`` when given), counted as a decision audit's."""
    from types import SimpleNamespace

    from .._report._findings import comparison_counts
    from .._score_audit import decision_audits

    decisions = [sub for _, _, sub in decision_audits(result)]
    findings = list(report.findings)
    severity = str(report.max_severity)
    # the reports keyed by format, as an audit's are (the summary links the HTML one), the
    # other files (figures, tables) by name
    fmt_of = {name: fmt for fmt, (_, name) in REPORT_FILES.items()}
    paths = {fmt_of.get(p.name, p.name): p for p in sorted(staging.iterdir()) if p.is_file()}
    return SimpleNamespace(result=result, report=report, paths=paths, warnings=messages, skipped=[],
                           n_rows=result.n_rows, max_severity=severity, n_findings=len(findings),
                           gate_severity=str(report.annex_max_severity),
                           n_flagged=sum(comparison_counts(r)[0] for r in [result, *decisions]),
                           n_four_fifths=sum(int(r.four_fifths["flagged"].sum()) for r in decisions))


class _Ours:
    """Names of the files an entry folder may hold: the reports, or a score audit's tables and figures."""

    def __contains__(self, name) -> bool:
        return name in {n for _, n in REPORT_FILES.values()} or re.fullmatch(
            r"[a-z_]+\.csv|findings\.json|(roc|reliability)_\d+\.svg", str(name)) is not None


def _final_names(text: str, staging, final: Path) -> str:
    """A message about the staging folder, naming the folder the user will look in."""
    return text if staging is None else text.replace(str(staging), str(final))


def _write_summary(out: Path, manifest, rows) -> None:
    try:
        write_summary_csv(out / "summary.csv", SUMMARY_COLUMNS, rows)
        write_index_html(out / "index.html", f"biasaudit batch: {Path(manifest).name}", SUMMARY_COLUMNS, rows,
                         link_column="report")
    except OSError as exc:
        msg = f"cannot write the batch summary into {str(out)!r}: {one_line(exc.strerror or exc)}."
        raise CliError(msg) from None


def run_batch_command(args) -> int:
    entries = load_manifest(args.manifest)
    out = Path(args.out)
    inputs = [Path(args.manifest), *{e.spec.data for e in entries if e.spec is not None and isinstance(e.spec.data, Path)},
              *{p for e in entries if e.spec is not None for p in e.spec.inputs}]
    refuse_inputs([out / "summary.csv", out / "index.html"], inputs)
    with locked(out):
        rows = _run_all(entries, out, args, inputs)
    _print_summary(rows, out)
    n_failed = sum(r["status"] == "failed" for r in rows)
    n_fail_on = sum(r.get("fails") == "yes" for r in rows)
    if n_failed:
        print(f"Exit status 2: {n_failed} of {len(rows)} audits failed (see the error column).")
        return EXIT_ERROR
    if n_fail_on:
        print(f"Exit status 1: {n_fail_on} of {len(rows)} audits have a finding at or above --fail-on {args.fail_on}"
              f" or could assess no comparison.")
        return EXIT_FINDINGS
    return EXIT_OK


def _run_all(entries, out: Path, args, inputs) -> list:
    """Run every entry; on Ctrl-C, write the summary of what finished, then stop."""
    progress = Progress(len(entries))
    cache: dict = {"entries": entries}
    rows = []
    pressed = _CtrlC()
    try:
        for i, entry in enumerate(entries):
            pressed.check()
            progress.start(i, entry.label)
            row = _run_entry(entry, out, cache, args.fail_on, args.debug, inputs)
            failed = row["status"] == "failed"
            status = f"failed: {row['error']}" if failed else f"ok, highest severity {row['max_severity']}"
            progress.done(i, entry.label, status, failed)
            rows.append(row)  # finished, even if a swallowed Ctrl-C stops the batch before the next
        pressed.check()
    except KeyboardInterrupt:
        progress.finish()
        rows += [{"entry": e.label, "status": "interrupted", "data": e.data, "y_pred": e.y_pred,
                  "protected": e.protected, "error": "not run: the batch was interrupted"}
                 for e in entries[len(rows):]]
        _write_summary(out, args.manifest, rows)
        print(f"biasaudit: interrupted; the {sum(r['status'] != 'interrupted' for r in rows)} finished audits "
              f"are listed in {out / 'summary.csv'}", file=sys.stderr)
        raise
    finally:
        pressed.release()
    progress.finish()
    _write_summary(out, args.manifest, rows)
    return rows


class _CtrlC:
    """Remembers a Ctrl-C, so that one the interpreter swallows still stops the batch.

    CPython drops an exception raised while a finaliser or weakref callback runs, and a
    KeyboardInterrupt that lands there is lost; the flag set by this handler is checked
    between audits.
    """

    def __init__(self):
        self.hit = False
        try:
            self.previous = signal.signal(signal.SIGINT, self._handler)
        except ValueError:  # not the main thread: leave signals alone
            self.previous = None
        # the swallowed KeyboardInterrupt would print a traceback; the flag handles it
        self.unraisable = sys.unraisablehook
        sys.unraisablehook = self._unraisable

    def _unraisable(self, info):
        if not (self.hit and isinstance(info.exc_value, KeyboardInterrupt)):
            self.unraisable(info)

    def _handler(self, signum, frame):
        self.hit = True
        raise KeyboardInterrupt

    def check(self) -> None:
        if self.hit:
            raise KeyboardInterrupt

    def release(self) -> None:
        sys.unraisablehook = self.unraisable
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def _print_summary(rows, out: Path) -> None:
    import pandas as pd

    cols = ["entry", "status", "rows", "max_severity", "findings", "flagged_disparities", "four_fifths_flags",
            "fails"]
    frame = pd.DataFrame([{c: r.get(c, "") for c in cols} for r in rows], columns=cols).fillna("")
    with pd.option_context("display.width", 160, "display.max_colwidth", 50):
        print(frame.to_string(index=False))
    for r in rows:
        if r["status"] == "failed":
            print(f"failed: {r['entry']}: {r['error']}")
    print(f"Summary: {out / 'summary.csv'}, {out / 'index.html'}")

