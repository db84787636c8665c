"""The SHA-256 of an audited file, computed on a thread while the engine reads it.

Light on purpose (standard library only): the command line starts the hash of its input
before it imports the statistics and report modules, so that on a large file the hash, the
imports and the engine's scan share the cores instead of following one another.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from ._errors import CliError, one_line

__all__ = ["FileHash", "hash_of", "start_early"]

_STEP = 1 << 20  # bytes read and hashed at a time, between two looks at the stop flag
_EARLY: dict = {}  # resolved path -> FileHash started before the command's imports


class FileHash:
    """SHA-256 of a file (or of a folder: of each file's relative path and SHA-256, in path
    order), computed on a thread; :meth:`result` fails if a file changed meanwhile."""

    def __init__(self, path: Path):
        self.path = path
        self.files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        self.before = [self._stat(p) for p in self.files]
        self.digest: str | None = None
        self.error: BaseException | None = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @staticmethod
    def _stat(p: Path):
        st = p.stat()
        return st.st_size, st.st_mtime_ns, st.st_ino

    def _sha(self, p: Path) -> str:
        h = hashlib.sha256()
        # Read into one buffer, not mapped: a mapped file that something truncates meanwhile
        # kills the process (SIGBUS), where a read just ends and the stat check reports it.
        buf = bytearray(_STEP)
        view = memoryview(buf)
        with open(p, "rb", buffering=0) as fh:
            while not self.stop.is_set():
                n = fh.readinto(buf)
                if not n:
                    break
                h.update(view[:n])
        return h.hexdigest()

    def _run(self) -> None:
        try:
            if self.path.is_dir():
                listing = "".join(f"{p.relative_to(self.path).as_posix()}\0{self._sha(p)}\n" for p in self.files)
                self.digest = hashlib.sha256(listing.encode("utf-8")).hexdigest()
            else:
                self.digest = self._sha(self.path)
        except OSError as exc:
            self.error = exc

    def unchanged(self) -> bool:
        try:
            return [self._stat(p) for p in self.files] == self.before
        except OSError:
            return False

    def result(self) -> str:
        self.thread.join()
        if self.error is not None:
            raise CliError(f"cannot read {str(self.path)!r}: {one_line(self.error)}.")
        if not self.unchanged():
            msg = (f"{str(self.path)!r} changed while it was being audited; its counts and its SHA-256 would "
                   f"not describe the same bytes. Hint: audit a copy that nothing writes to.")
            raise CliError(msg)
        return self.digest or ""


def start_early(location) -> None:
    """Start hashing ``location`` if it is a local file or folder; :func:`hash_of` takes it over."""
    try:
        path = Path(location)
        if path.is_file() or path.is_dir():
            _EARLY[path.resolve()] = FileHash(path)
    except (OSError, ValueError):  # not a path we can read: the command's own checks say why
        return


def hash_of(path: Path) -> FileHash:
    """The hash of ``path``: the one started early if the file is unchanged since, else a new one."""
    early = _EARLY.pop(path.resolve(), None)
    if early is not None and early.path == path and early.unchanged():
        return early
    if early is not None:
        early.stop.set()
    return FileHash(path)
