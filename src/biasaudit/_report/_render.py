"""Renderers of the report model: HTML (Jinja2, autoescaped), Markdown, JSON and CSV.

Every user-supplied string (group labels, attribute names, metadata) is escaped for its
format: by Jinja2's autoescape in HTML, by backslash and entity escaping in Markdown, and
CSV cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from ._az import with_suffix
from ._render_tasks import task_tables
from ._texts import (CORRECTION_NAMES, INTERVAL_NAMES, TEXTS, bare_points, integer, number, percent, pvalue,
                     ratio_text, text)
from ._units import _digits, gap_text, metric_label, value_text

__all__: list[str] = []

TEMPLATES = Path(__file__).resolve().parent / "templates"
SHOWN_METRICS = ("selection_rate", "true_positive_rate", "false_positive_rate")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")
_MD_TAG = re.compile(r"<(?=[A-Za-z/!?])")  # only a "<" that could open a tag or a comment
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")  # only an "&" that would read as an entity
_MD_LINE_START = re.compile(r"^( {0,3})(?:([#+\-=])|(\d+)([.)])(?=\s|$))")
#: Control characters (C0 but tab, DEL, C1) and the Unicode line and paragraph separators:
#: each could start a new line or row in a reader, past the escaping of the line it is on.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _label(group) -> str:
    return " & ".join(map(str, group)) if isinstance(group, list) else str(group)


def _json_default(value) -> str:
    """Labels JSON has no type for (intervals, dates, decimals, bytes, periods, durations):
    their text, the same text the other formats show."""
    return str(value)


def _visible(match) -> str:
    return match[0].encode("unicode_escape").decode("ascii")


def _common(model):
    lang = model["report"]["language"]
    t = TEXTS[lang]
    params = model["annex"]["parameters"]
    level = f"{round(100 * params['confidence_level'])}%"
    task = model.get("task") or {}
    family = task.get("family", "binary")
    binary = family in ("binary", "decisions")
    # binary audits show three rates (the others are in the CSV and JSON); the other
    # tasks show every metric, each written in its own unit (:mod:`._units`)
    shown = [m for m in SHOWN_METRICS if m in params["metrics"]] if binary else [x["name"] for x in model["metrics"]]
    classes = task.get("classes", ())
    note = {"regression": t["amount_note"]}.get(family, "")
    return {
        "lang": lang, "t": t, "level": level, "shown_metrics": shown, "binary": binary,
        "metric_label": lambda m: metric_label(m, lang, classes),
        "verdict_text": lambda c: verdict_text(c, lang),
        "difference_label": t["col_difference"] if binary else t["col_difference_units"],
        "task_tables": task_tables(model),
        "ci_label": t["col_ci"].format(level=level),
        "value_label": t["col_rate"] if binary else t["col_value"],
        "results_intro": text(lang, "results_intro" if binary else "results_intro_units", level=level,
                              interval=INTERVAL_NAMES[lang][params["interval_method"]],
                              correction=CORRECTION_NAMES[lang][params["correction"]],
                              family_size=integer(model["summary"]["family_size"], lang))
        + _screen_note(model, lang) + t["results_rounding"]
        + (" " + t["weighted_note"] if model["data"]["weighted"] else "") + (" " + note if note else ""),
        "suppressed_note": text(lang, "suppressed_note", min_cell_minus=model["report"]["min_cell"] - 1),
        "small_intro": text(lang, "small_intro", tolerance=number(params["tolerance"], lang, 2),
                            double=number(2 * params["tolerance"], lang, 2),
                            min_cell_minus=model["report"]["min_cell"] - 1, min_cell=model["report"]["min_cell"],
                            min_cell_abl=with_suffix(model["report"]["min_cell"], "abl", lang)),
        "small_suppressed": text(lang, "small_suppressed", n=integer(len(model["small_groups"]["suppressed"]), lang)) + "".join(
            " " + text(lang, "small_sparse", grouping=name) for name in model["small_groups"].get("withheld_whole", [])),
        "small_underpowered": text(lang, "small_underpowered", n=integer(model["small_groups"]["underpowered"], lang)),
        "exec_rows": [_exec_row(e, lang, classes) for e in model["summary"]["executive"]],
        "exec_more": text(lang, "exec_more", n=max(0, len(model["findings"]) - len(model["summary"]["executive"]))),
        "empty_text": "; ".join(text(lang, "empty_count", attribute=e["attribute"], n=integer(e["count"], lang))
                                for e in model["groups"]["empty"]) or t["groups_none"],
        "reference_text": "; ".join(r["text"] for r in model["groups"]["references"]),
        "scope_fields": [(k, t[f"scope_{k}"]) for k in ("system", "decision", "favourable", "population",
                                                        "auditor", "independence", "commissioned_by", "period",
                                                        "contact")],
    }


def _exec_row(entry, lang, classes=()) -> dict:
    """One line of the executive summary: the group and, per metric, its value against the reference's."""
    t = TEXTS[lang]
    parts = [text(lang, "exec_numbers", metric=metric_label(m["metric"], lang, classes),
                  value=fmt_value(m["metric"], m["value"], lang, m["reference_value"]),
                  ref_value=fmt_value(m["metric"], m["reference_value"], lang, m["value"]),
                  diff=gap(m["metric"], m["difference"], m["reference_value"], lang, m["value"]))
             for m in entry["metrics"]]
    within = entry.get("within", [])
    sides = [text(lang, "exec_within", group=_label(w["group"]), attribute=w["attribute"],
                  diff=gap(w["metric"], w["difference"], w["comparison_value"], lang, w["value"])) for w in within]
    if sides:  # the finding's lead metric, whose side comparisons come first
        parts.append(text(lang, "exec_within_lead", metric=metric_label(within[0]["metric"], lang, classes),
                          parts=", ".join(sides)))
    return {"id": entry["id"], "severity": entry["severity"], "group": f"{_label(entry['group'])} ({entry['attribute']})",
            # a miscalibration is measured against calibrated scores, not against another group
            "reference": t["calibrated_reference"] if entry["reference"] is None else _label(entry["reference"]),
            "numbers": (entry["decisions"] + ": " if entry.get("decisions") else "")
            + ("; ".join(parts) or t["suppressed"])}


def fmt_value(metric, v, lang, other=None) -> str:
    """A value of ``metric`` in its unit; ``other``: the value it is shown beside (same decimals)."""
    return value_text(metric, v, lang, digits=_digits(v, other))


def gap(metric, difference, reference_value, lang, v=None) -> str:
    """A gap of ``metric`` in its unit (percentage points for rates)."""
    return gap_text(metric, difference, reference_value, lang, digits=_digits(v, reference_value))


def to_json(model) -> str:
    """The model as JSON (UTF-8, no NaN: undefined values are null)."""
    return json.dumps(model, ensure_ascii=False, indent=2, allow_nan=False, default=_json_default)


def to_html(model, figures) -> str:
    """A self-contained HTML page: inline CSS and SVG, no script, nothing fetched."""
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "HTML reports are rendered with Jinja2. Hint: pip install 'biasaudit[report]'."
        raise ImportError(msg) from exc
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    ctx = _common(model)
    lang = ctx["lang"]
    env.filters.update({
        "pct": lambda v: percent(v, lang), "num": lambda v: number(v, lang, 3), "num2": lambda v: number(v, lang, 2),
        "ratio": lambda v, threshold=None: ratio_text(v, lang, threshold),
        "pts": lambda v: bare_points(v, lang), "integer": lambda v: integer(v, lang) if v is not None else "—",
        "label": _label, "pv": lambda v: pvalue(v, lang).removeprefix("= "),
        "val": lambda v, metric, other=None: fmt_value(metric, v, lang, other),
        "gap": lambda c, metric, v=None: gap(metric, c["difference"], c["reference_value"], lang, v),
        "bare_gap": lambda c, metric, v=None: (bare_points(c["difference"], lang) if ctx["binary"]
                                               else gap(metric, c["difference"], c["reference_value"], lang, v)),
    })
    banner = model["report"]["confidential_banner"]
    # a CSS string (our own catalogue text): quotes, backslashes and "<" escaped for <style>
    banner_css = "".join(f"\\{ord(c):X} " if c in '"\\<>\n' else c for c in banner) if banner else ""
    scope = dict(model["scope"])
    scope["favourable"] = scope.pop("favourable_outcome")
    page = env.get_template("report.html.j2").render(
        m={**model, "scope": scope}, figures=figures, banner_css=banner_css, parameters_json=json.dumps(model["annex"]["parameters"],
                                                                                 ensure_ascii=False, indent=1),
        vulnerable_text=lambda cats: text(lang, "vulnerable_mark",
                                          categories=", ".join(TEXTS[lang]["vulnerable"][c] for c in cats)),
        **ctx,
    )
    return page


def verdict_text(comparison, lang) -> str:
    """A comparison's verdict, marked when the flagged gap is in the group's favour.

    The verdict is statistical and reads both directions; the mark keeps a reader of the
    results table from taking a group's advantage for a harm (the findings say the same).
    """
    t = TEXTS[lang]
    shown = t["verdict"][comparison["verdict"]]
    if comparison["verdict"] in ("disparity", "possible_disparity") and comparison.get("disadvantaged") == "reference":
        shown += t["verdict_favours_group"]
    return shown


def _value_cell(metric, r, lang) -> str:
    """A value with its interval when it has one: '32.4% [30.1%, 34.8%]', '0.704 [0.686, 0.722]'."""
    shown = fmt_value(metric, r["value"], lang)
    if r.get("ci_low") is None and r.get("ci_high") is None:
        return shown
    return (f"{shown} [{fmt_value(metric, r['ci_low'], lang, r['value'])}, "
            f"{fmt_value(metric, r['ci_high'], lang, r['value'])}]")


def _md_table(table) -> list:
    out = []
    if table.get("section"):
        out += ["", f"### {md(table['section'])}", ""]
    out += ["", f"#### {md(table['heading'])}", ""]
    if table["intro"]:
        out += [md(table["intro"]), ""]
    if table["columns"]:
        out += ["| " + " | ".join(md(c) for c in table["columns"]) + " |", "|" + "---|" * len(table["columns"])]
        out += ["| " + " | ".join(md(c) for c in row) + " |" for row in table["rows"]]
    return out


def md(value) -> str:
    """Escape a string for Markdown: no markup, no raw HTML, no table breaks."""
    # Entities only where a renderer would otherwise see a tag or an entity: "A & B" and
    # "p < 0.001" stay as they are, while "<script>" can never become markup, even in
    # renderers that ignore backslash escapes before "<".
    s = _MD_SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", str(value)))
    s = _MD_ENTITY.sub("&amp;", s)
    s = _MD_TAG.sub("&lt;", s)
    return _MD_LINE_START.sub(lambda m: m[1] + ("\\" + m[2] if m[2] else m[3] + "\\" + m[4]), s)


def to_markdown(model) -> str:
    """The report as Markdown, with the same sections as the HTML page (figures omitted)."""
    ctx = _common(model)
    t, lang = ctx["t"], ctx["lang"]
    banner = model["report"]["confidential_banner"]
    out = []
    if banner:
        out += [f"> **{md(banner)}**", ""]
    out += [f"# {md(model['report']['title'])}", "",
            f"{md(model['report']['edition_label'])} · {md(t['generated'])}: {model['report']['generated_at_utc']}", ""]

    def section(number_, key):
        out.extend(["", f"## {number_}. {md(t[key])}" + (f" ({md(t['edition_annex'])})" if banner else ""), ""])

    section(1, "sec_summary")
    out += [md(s) + "\n" for s in model["summary"]["sentences"]]
    if ctx["exec_rows"]:
        out += [f"**{md(t['exec_title'])}**", "",
                f"| ID | {md(t['col_severity'])} | {md(t['col_group'])} | {md(t['col_reference'])} | "
                f"{md(t['col_disadvantaged_on'])} |", "|---|---|---|---|---|"]
        out += [f"| {r['id']} | {md(t['severity'][r['severity']])} | {md(r['group'])} | {md(r['reference'])} | "
                f"{md(r['numbers'])} |" for r in ctx["exec_rows"]]
        out += ["", md(ctx["exec_more"]), ""]
    out += [f"> {md(s)}\n" for s in model["summary"]["statements"]]
    section(2, "sec_scope")
    scope = model["scope"]
    out += ["| | |", "|---|---|"]
    for key, label in ctx["scope_fields"]:
        value = scope["favourable_outcome" if key == "favourable" else key]
        out.append(f"| {md(label)} | {md(value) if value else md(t['not_stated'])} |")
    section(3, "sec_data")
    data = model["data"]
    out += ["| | |", "|---|---|",
            f"| {md(t['data_source'])} | {md(data['source'] or t['not_stated'])} |",
            f"| {md(t['data_sha256'])} | `{data['sha256'] or '-'}` |",
            *([f"| {md(t['data_file_sha256'])} | {md(str(data['file_sha256']))} |"] if data.get("file_sha256") else []),
            f"| {md(t['data_rows_read'])} | {integer(data['rows_read'], lang)} |",
            f"| {md(t['data_rows_used'])} | {integer(data['rows_used'], lang)} |",
            f"| {md(t['data_exclusions'])} | {md(data['exclusions'] or t['data_no_exclusions'])} |",
            f"| {md(t['data_missing'])} | {md('; '.join(f'{a}: {n}' for a, n in data['missing'].items()))} |",
            f"| {md(t['data_weighted'])} | {md(t['yes'] if data['weighted'] else t['no'])} |"]
    section(4, "sec_groups")
    groups = model["groups"]
    out += ["| | |", "|---|---|"]
    out += [f"| {md(a['name'])} | {md(', '.join(_label(g) for g in a['groups']))} |" for a in groups["attributes"]]
    out.append(f"| {md(t['groups_intersections'])} | {md(', '.join(groups['intersections']) or t['groups_none'])} |")
    out.append(f"| {md(t['groups_empty'])} | {md(ctx['empty_text'])} |")
    out.append(f"| {md(t['groups_reference'])} | {md(ctx['reference_text'])} |")
    section(5, "sec_metrics")
    out += [f"| {md(t['metric'])} | {md(t['formula'])} | {md(t['meaning'])} |", "|---|---|---|"]
    out += [f"| {md(x['label'])} | `{x['formula']}` | {md(x['meaning'])} |" for x in model["metrics"]]
    section(6, "sec_thresholds")
    out += [f"| {md(t['threshold'])} | {md(t['value'])} | {md(t['source'])} | {md(t['status'])} |", "|---|---|---|---|"]
    out += [f"| {md(x['name'])} | {md(x['value'])} | {md(x['source'])} | {md(x['status'])} |" for x in model["thresholds"]]
    section(7, "sec_results")
    out.append(md(ctx["results_intro"]) + "\n")
    for block in model["results"]:
        out += ["", f"### {md(block['attribute'])}", ""]
        head = [t["col_group"], t["col_n"], t["metric"], f"{ctx['value_label']} [{ctx['ci_label']}]", ctx["difference_label"],
                t["col_p_adj"], t["col_verdict"]]
        out += ["| " + " | ".join(md(h) for h in head) + " |", "|" + "---|" * len(head)]
        for g in block["groups"]:
            # Per-figure withholding: a withheld size, rate or comparison is its own "suppressed" cell.
            n_cell = md(t["suppressed"]) if g["n"] is None else integer(g["n"], lang)
            for i, metric in enumerate(ctx["shown_metrics"]):
                r = (g["rates"] or {}).get(metric)
                c = (g["comparisons"] or {}).get(metric)
                cells = [md(_label(g["group"])) if i == 0 else "", n_cell if i == 0 else "",
                         md(ctx["metric_label"](metric)),
                         md(t["suppressed"]) if r is None else _value_cell(metric, r, lang)]
                if c:
                    cells += [bare_points(c["difference"], lang) if ctx["binary"] else
                              md(gap(metric, c["difference"], c["reference_value"], lang, r and r["value"])),
                              md(pvalue(c["pvalue_adjusted"], lang).removeprefix("= ")),
                              md(verdict_text(c, lang))]
                else:
                    cells += [md(t["suppressed"])] * 3
                out.append("| " + " | ".join(cells) + " |")
    for table in ctx["task_tables"]:
        out += _md_table(table)
    out += ["", md(ctx["suppressed_note"])]
    section(8, "sec_findings")
    if model["findings"]:
        out += [f"| ID | {md(t['col_severity'])} | {md(t['col_type'])} | {md(t['col_finding'])} | "
                f"{md(t['col_provisions'])} |", "|---|---|---|---|---|"]
        for f in model["findings"]:
            kind = t["finding_type"][f["type"]]
            if f["vulnerable"]:
                kind += " — " + text(lang, "vulnerable_mark",
                                     categories=", ".join(t["vulnerable"][c] for c in f["vulnerable"]))
            out.append(f"| {f['id']} | {md(t['severity'][f['severity']])} | {md(kind)} | {md(f['sentence'])} | "
                       f"{', '.join(f['provisions'])} |")
    else:
        out.append(md(t["findings_none"]))
    out += ["", f"### {md(t['sec_context'])}", "", md(t["context_intro"]), ""]
    gaps = model["context"]["favourable_gaps"]
    out += [f"- {md(g['sentence'])}" for g in gaps] or [md(t["context_none"])]
    section(9, "sec_small")
    out += [md(ctx["small_intro"]), "", md(ctx["small_suppressed"] + " " + ctx["small_underpowered"])]
    section(10, "sec_limitations")
    out += [f"- {md(s)}" for s in model["limitations"]]
    section(11, "sec_recommendations")
    out += [f"- {md(r['text'])}" for r in model["recommendations"]]
    section(12, "sec_declaration")
    out += [md(t["declaration_intro"]), "", f"*{md(model['declaration']['title_az'])}*", ""]
    for p in model["declaration"]["provisions"]:
        cited = f" ({md(t['sec_findings'])}: {', '.join(p['findings'])})" if p["findings"] else ""
        out += [f"- **{p['id']}**{cited}", f"  - {md(p['original_az'])}", f"  - {md(p['summary_en'])}"]
    section(13, "sec_annex")
    annex = model["annex"]
    out += [f"- {md(t['annex_version'])}: " + md(", ".join(f"{k} {v}" for k, v in annex["versions"].items())),
            f"- {md(t['annex_seed'])}: {annex['seed']}", f"- {md(t['annex_config_hash'])}: `{annex['config_sha256']}`",
            f"- {md(t['annex_schema'])}: {annex['schema_version']}", "", "```json",
            json.dumps(annex["parameters"], ensure_ascii=False, indent=1).replace("```", "'''"), "```"]
    if banner:
        out += ["", f"> **{md(banner)}**"]
    return "\n".join(out) + "\n"


def neutralise(cell):
    """A CSV cell a spreadsheet cannot run, on one line.

    Control characters are written as visible escapes (a carriage return as ``\\r``), so no
    cell can break a row, and only then is text starting with = + - @ given a leading quote.
    """
    if not isinstance(cell, str):
        return cell
    cell = _CONTROL.sub(_visible, cell)
    if cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


CSV_COLUMNS = ("attribute", "group", "metric", "n", "value", "ci_low", "ci_high", "reference", "difference",
               "difference_ci_low", "difference_ci_high", "ratio", "ratio_ci_low", "ratio_ci_high", "test", "pvalue",
               "pvalue_adjusted", "power", "verdict", "suppressed", "disadvantaged")


def to_csv(model) -> str:
    """One row per (attribute, group, metric), with suppression applied."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for block in model["results"]:
        for g in block["groups"]:
            metrics = list((g["rates"] or {}).keys()) or [None]
            for metric in metrics:
                r = (g["rates"] or {}).get(metric) or {}
                c = (g["comparisons"] or {}).get(metric) or {}
                # "suppressed": some figure of this row is withheld (the group's size, its
                # rate, or the comparison); the withheld cells are empty.
                withheld = g["n"] is None or not r or (not c and bool(g["rates"]))
                row = [block["attribute"], _label(g["group"]), metric or "", g["n"], r.get("value"), r.get("ci_low"),
                       r.get("ci_high"), _label(c["reference"]) if c else None, c.get("difference"), c.get("ci_low"),
                       c.get("ci_high"), c.get("ratio"), c.get("ratio_ci_low"), c.get("ratio_ci_high"),
                       c.get("test"), c.get("pvalue"), c.get("pvalue_adjusted"), c.get("power"),
                       c.get("verdict"), withheld, c.get("disadvantaged")]
                writer.writerow(["" if v is None else neutralise(v) for v in row])
    return buf.getvalue()


def _screen_note(model: dict, lang: str) -> str:
    """The sentence on tests left out of the correction (Tarone's screen), when any were."""
    summary = model["summary"]
    left_out = summary["family_size"] - summary["family_testable"]
    if left_out <= 0:
        return ""
    return " " + text(lang, "results_screen", testable=integer(summary["family_testable"], lang),
                      left_out=integer(left_out, lang))
