"""Where the command line's data live: a file, a DuckDB database or a PostgreSQL server.

``DATA`` is a file path, a ``duckdb:///path.db`` or ``postgresql://...`` connection string,
or a DuckDB database file; a database needs ``--table NAME`` or ``--sql QUERY`` (manifest
keys ``table`` and ``sql``). Passwords never reach a report or a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ._errors import CliError

__all__ = ["Source", "is_connection", "parse_table", "redact", "source_of"]

_POSTGRES = ("postgresql://", "postgres://")
_DUCKDB = "duckdb://"


_KEYWORDS = re.compile(r"\s*(host|hostaddr|dbname|user|port|service)\s*=")


def is_connection(text) -> bool:
    """Whether ``text`` is a database connection string (a URL, or PostgreSQL's
    ``host=... dbname=...`` keywords) rather than a path."""
    return isinstance(text, str) and (text.startswith((*_POSTGRES, _DUCKDB)) or _KEYWORDS.match(text) is not None)


def redact(text: str) -> str:
    """A connection string without its password (URL userinfo, query or ``password=`` keyword)."""
    text = re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)", r"\1***", text, flags=re.IGNORECASE)
    if not text.startswith(_POSTGRES):
        return text  # keywords: the password was replaced above
    parts = urlsplit(text)
    if parts.password is None:
        return text
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def parse_table(text: str, option: str) -> tuple:
    """``NAME``, ``SCHEMA.NAME`` or ``"quoted.name"`` (SQL's double quotes, ``""`` for a quote)."""
    parts, i = [], 0
    while True:
        if i < len(text) and text[i] == '"':
            j, name = i + 1, []
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise CliError(f"{option}: unclosed double quote in {text!r}.")
                name.append(text[j:k])
                if text[k + 1:k + 2] == '"':
                    name.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            parts.append("".join(name))
        else:
            k = text.find(".", i)
            k = len(text) if k < 0 else k
            parts.append(text[i:k])
            i = k
        if i == len(text):
            break
        if text[i] != ".":
            raise CliError(f"{option}: expected a dot after a quoted name in {text!r}.")
        i += 1
    if not all(parts) or len(parts) > 3:
        msg = (f"{option}: expected a table name, SCHEMA.NAME or a \"quoted name\"; got {text!r}.")
        raise CliError(msg)
    return tuple(parts)


@dataclass(frozen=True)
class Source:
    """A file (``kind="file"``), or a table or query in DuckDB or PostgreSQL."""

    kind: str
    location: object  # a Path (file, DuckDB database) or a PostgreSQL conninfo
    table: tuple | None = None
    sql: str | None = None

    @property
    def shown(self) -> str:
        """How reports and messages name the source: never with a password."""
        if self.kind == "file":
            return str(self.location)
        where = redact(str(self.location)) if self.kind == "postgres" else f"duckdb://{self.location}"
        what = f"table {'.'.join(self.table)}" if self.table else "query"
        return f"{where} ({what})"

    @property
    def name(self) -> str:
        """The short name recorded as the report's ``data_source``."""
        if self.kind == "file":
            return Path(self.location).name  # type: ignore[arg-type]
        return self.shown


def source_of(data, *, table=None, sql=None, style: str = "cli") -> Source:
    """The :class:`Source` of an audit's ``DATA`` (or manifest ``data``), ``table`` and ``sql``."""
    opt = (lambda k: "--" + k) if style == "cli" else (lambda k: k)
    if table is not None and sql is not None:
        raise CliError(f"{opt('table')} and {opt('sql')}: give one of them, not both.")
    if sql is not None and not (isinstance(sql, str) and sql.strip()):
        raise CliError(f"{opt('sql')}: expected a query such as \"SELECT * FROM decisions\"; got {sql!r}.")
    text = str(data)
    database = is_connection(text) or table is not None or sql is not None
    if not database:
        return Source("file", Path(data))
    if table is None and sql is None:
        msg = (f"{redact(text)!r} is a database: name what to audit with {opt('table')} NAME or "
               f"{opt('sql')} \"SELECT ...\".")
        raise CliError(msg)
    parts = None if table is None else parse_table(table, opt("table"))
    if text.startswith(_POSTGRES) or _KEYWORDS.match(text):
        return Source("postgres", text, parts, sql)
    path = Path(text[len(_DUCKDB):]) if text.startswith(_DUCKDB) else Path(data)
    if not path.is_file():
        msg = f"no such DuckDB database: {str(path)!r}. Hint: write duckdb:///absolute/path.db or a relative path."
        raise CliError(msg)
    return Source("duckdb", path, parts, sql)
