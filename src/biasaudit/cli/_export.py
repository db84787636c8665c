"""Files of a batch run: ``summary.csv`` (spreadsheet-safe) and ``index.html`` (escaped)."""

from __future__ import annotations

import csv
import html
import io
import urllib.parse
from pathlib import Path

from .._atomic import write_text_atomic

__all__ = ["csv_safe", "write_index_html", "write_summary_csv"]

#: First characters that make a spreadsheet treat a cell as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell a spreadsheet will show as text, never run as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading single quote
    (the OWASP "CSV injection" advice); numbers and other values are returned unchanged.

    Examples
    --------
    >>> csv_safe("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> csv_safe("race"), csv_safe(-0.25)
    ('race', -0.25)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_summary_csv(path: Path, columns, rows) -> None:
    """Write ``rows`` (dicts) under ``columns`` as UTF-8 CSV, every text cell neutralised."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow([csv_safe(c) for c in columns])
    for row in rows:
        writer.writerow([csv_safe("" if row.get(c) is None else row.get(c)) for c in columns])
    write_text_atomic(path, buf.getvalue())


def _cell(value) -> str:
    return "" if value is None else html.escape(str(value))


def write_index_html(path: Path, title: str, columns, rows, link_column: str) -> None:
    """Write a standalone HTML page with one table row per entry, linking each report.

    Every value is escaped with :func:`html.escape`; the link target is URL-quoted too.
    """
    head = "".join(f"<th>{_cell(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            if c == link_column and value:
                href = html.escape(urllib.parse.quote(str(value)), quote=True)
                cells.append(f'<td><a href="{href}">{_cell(value)}</a></td>')
            else:
                cells.append(f"<td>{_cell(value)}</td>")
        status = html.escape(str(row.get("status", "")), quote=True)
        body.append(f'<tr class="{status}">' + "".join(cells) + "</tr>")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
tr.failed td {{ background: #fde8e8; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
</body>
</html>
"""
    write_text_atomic(path, page)
