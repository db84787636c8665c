"""Faults: a full disk and an interrupt leave complete files or none, and say so on one line."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import biasaudit._atomic as atomic
from biasaudit.cli import main

from _cli_helpers import decisions

OLD_HTML = "<html>previous run</html>"


def _run(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def _leftovers(folder):
    return [p for p in folder.rglob("*") if ".partial" in p.name or ".old-" in p.name]


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "in" / "loans.csv"
    path.parent.mkdir()
    decisions(n=400).to_csv(path, index=False)
    return path


@pytest.fixture
def tiny_disk(tmp_path):
    """A 256 KiB tmpfs, if this machine lets us mount one (root in a permissive container)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def _fill(folder, leave=24 * 1024):
    """Fill the file system of ``folder`` up to ``leave`` bytes."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(free - leave, 0))


def test_full_disk_on_a_real_tmpfs_gives_one_line_and_keeps_the_old_report(data_file, tiny_disk):
    (tiny_disk / "report.html").write_text(OLD_HTML, encoding="utf-8")
    _fill(tiny_disk)
    code, _, err = _run(["audit", data_file, "--y-true", "y_true", "--y-pred", "y_pred", "--protected", "sex,race",
                         "--out", tiny_disk])
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("biasaudit: error: ") and "No space left on device" in err
    assert "bug" not in err.lower()
    assert (tiny_disk / "report.html").read_text(encoding="utf-8") == OLD_HTML  # never truncated
    assert not _leftovers(tiny_disk)


def test_full_disk_in_a_batch_on_a_real_tmpfs(data_file, tiny_disk):
    manifest = data_file.parent / "m.toml"
    manifest.write_text('[defaults]\ny_pred = "y_pred"\nprotected = "sex"\n[[audit]]\nname = "a"\n'
                        f'data = "{data_file.name}"\n[[audit]]\nname = "b"\ndata = "{data_file.name}"\n',
                        encoding="utf-8")
    (tiny_disk / "summary.csv").write_text("previous", encoding="utf-8")
    _fill(tiny_disk, leave=8 * 1024)
    code, out, err = _run(["batch", manifest, "--out", tiny_disk])
    assert code == 2
    assert "bug" not in (out + err).lower()
    assert "No space left on device" in out + err
    assert (tiny_disk / "summary.csv").read_text(encoding="utf-8") in ("previous",) or \
        (tiny_disk / "summary.csv").stat().st_size > 100  # complete or untouched, never 0 B
    assert not _leftovers(tiny_disk)


class _FullDisk(io.RawIOBase):
    """A file that takes the first ``room`` bytes, then fails like a full disk."""

    def __init__(self, fd, room):
        os.close(fd)
        self.room = room

    def writable(self):
        return True

    def write(self, data):
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return len(data)


@pytest.fixture
def full_disk(monkeypatch):
    """Every atomic write (the binary ones) meets a full disk after 100 bytes."""
    real = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen",
                        lambda fd, mode, **kw: _FullDisk(fd, room=100) if mode == "wb" else real(fd, mode, **kw))


def test_full_disk_patched_writer_single_audit(data_file, tmp_path, full_disk):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text(OLD_HTML, encoding="utf-8")
    code, _, err = _run(["audit", data_file, "--y-pred", "y_pred", "--protected", "sex", "--out", out])
    assert code == 2
    assert err == f"biasaudit: error: cannot write {str(out / 'report.html')!r}: No space left on device.\n"
    assert (out / "report.html").read_text(encoding="utf-8") == OLD_HTML
    assert not _leftovers(out)


def test_full_disk_patched_writer_batch(data_file, tmp_path, full_disk):
    manifest = data_file.parent / "m.toml"
    manifest.write_text(f'[[audit]]\nname = "a"\ndata = "{data_file.name}"\ny_pred = "y_pred"\nprotected = "sex"\n',
                        encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, err = _run(["batch", manifest, "--out", out])
    assert code == 2
    assert err.strip().splitlines() == [
        f"[1/1] a: failed: cannot write {str(out / 'a' / 'report.html')!r}: No space left on device.",
        f"biasaudit: error: cannot write the batch summary into {str(out)!r}: No space left on device."]
    assert "bug" not in stdout.lower()
    assert not (out / "summary.csv").exists()  # not a 0-byte file
    assert not _leftovers(out)


def test_sigint_during_a_batch_keeps_every_finished_audit(tmp_path):
    """Row 11: Ctrl-C mid-batch left no summary, the previous summary.csv, a folder without report.html."""
    rng = np.random.default_rng(0)
    n = 3000
    pd.DataFrame({"sex": rng.choice(["f", "m"], n), "race": rng.choice(list("ABCD"), n),
                  "y_true": rng.integers(0, 2, n), "y_pred": rng.integers(0, 2, n)}).to_csv(tmp_path / "d.csv",
                                                                                           index=False)
    total = 40  # far more than can finish while this process is slow to read the progress (a loaded machine)
    entries = "".join(f'[[audit]]\nname = "e{i}"\ndata = "d.csv"\n' for i in range(total))
    (tmp_path / "m.toml").write_text('[defaults]\ny_true = "y_true"\ny_pred = "y_pred"\n'
                                     'protected = ["sex", "race"]\nformat = ["html", "json"]\n' + entries,
                                     encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("stale,from,an,earlier,run\n", encoding="utf-8")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "biasaudit", "batch", str(tmp_path / "m.toml"), "--out", str(out),
                             "--fail-on", "never"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=tmp_path,
                            # a child of a background job may inherit SIGINT ignored; Python then never raises
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        seen.append(line)
        if line.startswith(f"[1/{total}]"):
            break
        assert line, "".join(seen)
    time.sleep(0.1)  # somewhere inside a later audit
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, (stdout, stderr)
    assert "interrupted" in stderr and "Traceback" not in stderr
    with open(out / "summary.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["entry"] for r in rows] == [f"e{i}" for i in range(total)]
    done = [r for r in rows if r["status"] == "ok"]
    assert len(done) >= 1
    assert {r["status"] for r in rows} <= {"ok", "interrupted"}
    assert rows[-1]["status"] == "interrupted"
    for r in done:  # each finished audit is complete: its HTML and its JSON
        folder = out / r["report"].rsplit("/", 1)[0]
        assert (folder / "report.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
        json.loads((folder / "report.json").read_text(encoding="utf-8"))
    for r in rows:
        if r["status"] == "interrupted":
            assert not (out / r["entry"]).exists()  # no half-written folder
    assert not _leftovers(out)
    assert not (out / ".biasaudit.lock").exists()
    assert (out / "index.html").is_file()


def test_a_failure_on_a_later_file_replaces_none(data_file, tmp_path, monkeypatch):
    """All report files of one run are replaced together: never this run's HTML with an older run's JSON."""
    real = os.fdopen
    calls = []

    def second_file_fails(fd, mode, **kw):
        if mode != "wb":
            return real(fd, mode, **kw)
        calls.append(fd)
        return _FullDisk(fd, room=0) if len(calls) == 2 else real(fd, mode, **kw)

    monkeypatch.setattr(atomic.os, "fdopen", second_file_fails)
    out = tmp_path / "out"
    out.mkdir()
    old = {"report.html": OLD_HTML, "report.md": "# previous", "report.json": "{}", "results.csv": "old\n"}
    for name, text in old.items():
        (out / name).write_text(text, encoding="utf-8")
    code, _, err = _run(["audit", data_file, "--y-pred", "y_pred", "--protected", "sex", "--out", out])
    assert code == 2 and "report.md" in err and "No space left on device" in err
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == old  # no temporary file, no lock
