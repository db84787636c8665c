"""Reading a table of decisions: CSV (delimiter sniffed), TSV, Parquet and JSON Lines."""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import hashlib
import io
import lzma
from typing import Any, Callable
from pathlib import Path

import pandas as pd

from ._errors import CliError, one_line

__all__ = ["FORMATS", "detect_format", "read_table", "read_table_hashed"]

from ._constants import FORMATS  # re-exported

_EXTENSIONS = {
    ".csv": "csv", ".txt": "csv",
    ".tsv": "tsv", ".tab": "tsv",
    ".parquet": "parquet", ".pq": "parquet",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
}
_OPENERS: dict[str, Callable[..., Any]] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
_DECOMPRESSORS: dict[str, Callable[..., Any]] = {".gz": lambda f: gzip.GzipFile(fileobj=f, mode="rb"), ".bz2": bz2.BZ2File, ".xz": lzma.LZMAFile}
#: Compressions only the streaming readers decode (see _streamed).
_STREAMED_ONLY = (".zst", ".zstd")
_SAMPLE = 64 * 1024  # characters read to sniff the delimiter
DELIMITERS = ",;\t|"


def detect_format(path: Path, input_format: str | None = None) -> str:
    """The reader for ``path``: ``input_format`` if given, else from its extension."""
    if input_format is not None:
        if input_format not in FORMATS:
            msg = f"unknown input format {input_format!r}; use one of {', '.join(FORMATS)}."
            raise CliError(msg)
        return input_format
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and (suffixes[-1] in _OPENERS or suffixes[-1] in _STREAMED_ONLY):
        suffixes = suffixes[:-1]
    fmt = _EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        msg = (f"cannot tell the format of {str(path)!r} from its extension; expected .csv, .tsv, "
               f".parquet or .jsonl (optionally .gz, .zst, .bz2 or .xz). Hint: pass --input-format "
               f"{{{','.join(FORMATS)}}}.")
        raise CliError(msg)
    return fmt


class _HashingReader(io.RawIOBase):
    """A binary file that hashes every byte handed to the parser: the digest describes the
    bytes that were parsed, even if the file changes on disk during or after the read."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.sha256.update(memoryview(buffer)[:n])
        return n

    def hexdigest(self) -> str:
        """The digest of the whole file: bytes the parser did not ask for are hashed too."""
        for block in iter(lambda: self.raw.read(1 << 20), b""):
            self.sha256.update(block)
        return self.sha256.hexdigest()


def read_table(path, *, input_format: str | None = None, encoding: str = "utf-8") -> pd.DataFrame:
    """Read the file at ``path`` into a DataFrame (see :func:`read_table_hashed`)."""
    return read_table_hashed(path, input_format=input_format, encoding=encoding)[0]


def read_table_hashed(path, *, input_format: str | None = None, encoding: str = "utf-8"):
    """Read the file at ``path``; return (DataFrame, SHA-256 of the bytes read).

    Every failure is one :class:`CliError`. The file is opened and read once; the hash is
    taken over the same bytes the parser reads.

    Parameters
    ----------
    path : str or Path
    input_format : {"csv", "tsv", "parquet", "jsonl"} or None
        None infers it from the extension.
    encoding : str, default="utf-8"
        Text encoding of CSV, TSV and JSON Lines files.
    """
    path = Path(path)
    fmt = detect_format(path, input_format)
    if not path.exists():
        msg = f"no such file: {str(path)!r}. Hint: check the path (relative paths start from {str(Path.cwd())!r})."
        raise CliError(msg)
    if path.is_dir():
        msg = f"{str(path)!r} is a folder, not a data file."
        raise CliError(msg)
    if path.suffix.lower() in _STREAMED_ONLY:
        msg = (f"{str(path)!r} is zstd-compressed, which only the streaming readers decode (binary decisions); "
               f"decompress it first for this audit.")
        raise CliError(msg)
    if path.stat().st_size == 0:
        msg = f"{str(path)!r} is empty (0 bytes); expected a header line and at least one row."
        raise CliError(msg)
    try:
        codecs.lookup(encoding)
    except LookupError:
        msg = f"unknown encoding {encoding!r}. Hint: use e.g. --encoding utf-8, latin-1 or cp1252."
        raise CliError(msg) from None
    try:
        if fmt == "parquet":
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            df = _read_parquet(path, io.BytesIO(data))
        else:
            sep = "\t" if fmt == "tsv" else _sniff_delimiter(path, encoding) if fmt == "csv" else None
            with open(path, "rb") as raw:
                hashing = _HashingReader(raw)
                binary = io.BufferedReader(hashing)
                opener = _DECOMPRESSORS.get(path.suffix.lower())
                if opener is not None:
                    binary = opener(binary)
                # utf-8-sig reads plain UTF-8 too and drops a byte-order mark, as pandas does
                utf8 = codecs.lookup(encoding).name == "utf-8"
                text = io.TextIOWrapper(binary, encoding="utf-8-sig" if utf8 else encoding, newline="")
                df = _read_jsonl(path, text) if fmt == "jsonl" else _read_delimited(path, text, fmt, sep or ",")
                digest = hashing.hexdigest()
    except UnicodeDecodeError as exc:
        msg = (f"cannot decode {str(path)!r} as {encoding} (invalid byte 0x{exc.object[exc.start]:02x}). "
               f"Hint: pass the file's encoding, e.g. --encoding latin-1 (or cp1252, utf-16).")
        raise CliError(msg) from None
    except (OSError, EOFError, lzma.LZMAError) as exc:  # also a truncated or corrupt archive
        msg = f"cannot read {str(path)!r}: {one_line(getattr(exc, 'strerror', None) or exc)}."
        raise CliError(msg) from None
    if len(df.columns) == 0 or len(df) == 0:
        msg = f"{str(path)!r} has no data rows; an audit needs at least one row."
        raise CliError(msg)
    df.columns = [str(c) for c in df.columns]
    return df, digest


def _open_text(path: Path, encoding: str):
    opener = _OPENERS.get(path.suffix.lower())
    if opener is None:
        return open(path, encoding=encoding, newline="")
    return opener(path, "rt", encoding=encoding, newline="")


def _sniff_delimiter(path: Path, encoding: str) -> str:
    with _open_text(path, encoding) as fh:
        sample = fh.read(_SAMPLE)
    if not sample.strip():
        msg = f"{str(path)!r} holds no text; expected a header line and at least one row."
        raise CliError(msg)
    if len(sample) == _SAMPLE and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","  # a single column, or too irregular to tell: the parser will say


def _read_delimited(path: Path, handle, fmt: str, sep: str) -> pd.DataFrame:
    kind = "TSV" if fmt == "tsv" else "CSV"
    try:
        return pd.read_csv(handle, sep=sep, low_memory=False)
    except pd.errors.EmptyDataError:
        msg = f"{str(path)!r} holds no columns; expected a header line and at least one row."
        raise CliError(msg) from None
    except (pd.errors.ParserError, ValueError) as exc:
        if isinstance(exc, UnicodeDecodeError):
            raise
        msg = (f"{str(path)!r} is not well-formed {kind} (delimiter {sep!r}): {one_line(exc)}. "
               f"Hint: every row needs as many fields as the header; quote fields that contain the delimiter.")
        raise CliError(msg) from None


def _read_jsonl(path: Path, handle) -> pd.DataFrame:
    try:
        df = pd.read_json(handle, lines=True, dtype=False)
    except ValueError as exc:
        if isinstance(exc, UnicodeDecodeError):
            raise
        msg = (f"{str(path)!r} is not well-formed JSON Lines: {one_line(exc)}. "
               f"Hint: write one JSON object per line, e.g. {{\"y_true\": 1, \"y_pred\": 0, \"sex\": \"f\"}}.")
        raise CliError(msg) from None
    if not isinstance(df, pd.DataFrame):
        msg = f"{str(path)!r} does not hold one JSON object per line."
        raise CliError(msg)
    return df


def _read_parquet(path: Path, handle) -> pd.DataFrame:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        msg = "reading Parquet needs pyarrow. Hint: pip install 'biasaudit[parquet]'."
        raise CliError(msg) from None
    try:
        return pd.read_parquet(handle)
    except (ValueError, OSError) as exc:
        msg = f"{str(path)!r} is not a readable Parquet file: {one_line(exc)}."
        raise CliError(msg) from None
