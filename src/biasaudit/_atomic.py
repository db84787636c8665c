"""Writing a file so that readers see the old content or the new, never a half-written file.

The text goes to a temporary file in the same folder, is flushed to disk, and replaces
the target in one ``os.replace`` (atomic on POSIX and Windows). If anything fails (a full
disk, an interrupt) the temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["write_text_atomic", "write_texts_atomic"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Mode of new files: what ``open()`` would give (mkstemp's own 0600 would hide reports).
_MODE = 0o666 & ~_umask()


def write_text_atomic(path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically.

    Characters UTF-8 cannot encode (lone surrogates from a badly decoded label) are written
    as backslash escapes rather than failing the whole file.
    """
    write_texts_atomic({Path(path): text})


def write_texts_atomic(files: dict) -> None:
    """Write several files so that all are replaced or none is.

    Every temporary file is written and flushed first; only then are they renamed into
    place, one after the other, so a full disk or an interrupt while writing leaves every
    target as it was, never a mix of old and new.
    """
    staged = []
    try:
        for path, text in files.items():
            path = Path(path)
            try:
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
                staged.append((tmp, path))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(text.encode("utf-8", errors="backslashreplace"))
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, _MODE)
            except OSError as exc:
                exc.filename = str(path)  # the file the user asked for, not the temporary one
                raise
        while staged:
            tmp, path = staged[0]
            os.replace(tmp, path)
            staged.pop(0)
    except BaseException:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
