"""Output folders: one run at a time, input files never overwritten, folders swapped in whole.

A run holds ``.biasaudit.lock`` (its process id) in its output folder; a second run into
the same folder is refused while the first is alive. Every output path is checked
against the run's input files before anything is written. A batch entry's reports are
written into a hidden staging folder and moved into place only when all are written, so
an interrupt or a full disk never leaves a folder mixing two runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from ._errors import CliError, one_line

__all__ = ["LOCK_NAME", "locked", "publish_folder", "refuse_inputs", "staging_folder"]

LOCK_NAME = ".biasaudit.lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def _holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text(encoding="ascii").strip() or "x")
    except (OSError, ValueError):
        return None


def make_folder(folder: Path, option: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        msg = f"{option}: cannot create the output folder {str(folder)!r}: {one_line(exc.strerror or exc)}."
        raise CliError(msg) from None


@contextlib.contextmanager
def locked(folder: Path, option: str = "--out"):
    """Hold the output folder for this run; refuse if another live run holds it.

    A folder created here and left empty (the run failed before writing) is removed again.
    """
    created = not folder.exists()
    make_folder(folder, option)
    lock = folder / LOCK_NAME
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            pid = _holder(lock)
            if pid is not None and _alive(pid):
                msg = (f"{option}: the folder {str(folder)!r} is in use by another biasaudit run (process {pid}). "
                       f"Hint: wait for it to finish or choose another folder; if no run is active, delete "
                       f"{str(lock)!r}.")
                raise CliError(msg) from None
            with contextlib.suppress(OSError):  # left by a run that was killed: take it over
                os.unlink(lock)
            continue
        except OSError as exc:
            msg = f"{option}: cannot write into {str(folder)!r}: {one_line(exc.strerror or exc)}."
            raise CliError(msg) from None
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(str(os.getpid()))
        break
    else:
        msg = f"{option}: could not take the lock {str(lock)!r}; another run keeps taking it."
        raise CliError(msg)
    try:
        yield folder
    finally:
        if _holder(lock) == os.getpid():
            with contextlib.suppress(OSError):
                os.unlink(lock)
        if created:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist: it cannot be the other
        return False


def refuse_inputs(outputs, inputs, option: str = "--out") -> None:
    """Raise before writing anything if an output path is one of the input files."""
    inputs = [Path(p) for p in inputs if p is not None]
    for out in outputs:
        for given in inputs:
            if _same(Path(out), given):
                msg = (f"{option}: writing {str(out)!r} would overwrite the input file {str(given)!r}. "
                       f"Hint: choose an output folder that holds no input files.")
                raise CliError(msg)


def staging_folder(final: Path) -> Path:
    """A fresh hidden folder next to ``final`` for its reports while they are written."""
    staging = final.with_name(f".{final.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def publish_folder(staging: Path, final: Path, ours) -> None:
    """Move ``staging`` to ``final``; an older ``final`` holding only files named ``ours`` goes."""
    if final.exists():
        foreign = [p.name for p in final.iterdir()] if final.is_dir() else [final.name]
        foreign = [n for n in foreign if n not in ours]
        if foreign:
            msg = (f"cannot write {str(final)!r}: it exists and holds files biasaudit did not write "
                   f"({', '.join(sorted(foreign)[:5])}). Hint: move them, or choose another --out.")
            raise CliError(msg)
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(staging, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, final)
