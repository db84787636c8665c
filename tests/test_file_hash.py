"""The command line's file hash: mapped windows, started before the imports, taken over once."""

import hashlib
import os

import pytest

from biasaudit.cli import _file_hash
from biasaudit.cli._errors import CliError


@pytest.mark.parametrize("size", [0, 1, 65536 * 3 + 17])
def test_reads_hash_the_whole_file(tmp_path, monkeypatch, size):
    monkeypatch.setattr(_file_hash, "_STEP", 65536)  # several reads
    data = os.urandom(size)
    path = tmp_path / "d.csv"
    path.write_bytes(data)
    assert _file_hash.FileHash(path).result() == hashlib.sha256(data).hexdigest()


def test_folder_digest_lists_relative_paths_and_hashes(tmp_path):
    (tmp_path / "part=a").mkdir()
    (tmp_path / "part=a" / "x.parquet").write_bytes(b"one")
    (tmp_path / "y.parquet").write_bytes(b"two")
    listing = "".join(f"{name}\0{hashlib.sha256(body).hexdigest()}\n"
                      for name, body in [("part=a/x.parquet", b"one"), ("y.parquet", b"two")])
    assert _file_hash.FileHash(tmp_path).result() == hashlib.sha256(listing.encode()).hexdigest()


def test_early_hash_is_taken_over_once(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"a,b\n1,2\n")
    _file_hash.start_early(str(path))
    early = _file_hash._EARLY[path.resolve()]
    assert _file_hash.hash_of(path) is early
    assert path.resolve() not in _file_hash._EARLY
    assert _file_hash.hash_of(path) is not early  # a second scan hashes again


def test_early_hash_of_a_changed_file_is_replaced(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"a,b\n1,2\n")
    _file_hash.start_early(path)
    early = _file_hash._EARLY[path.resolve()]
    early.thread.join()
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    os.utime(path, ns=(early.before[0][1] + 10**9, early.before[0][1] + 10**9))
    fresh = _file_hash.hash_of(path)
    assert fresh is not early
    assert fresh.result() == hashlib.sha256(b"a,b\n1,2\n3,4\n").hexdigest()


def test_change_during_the_hash_is_an_error(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b"a,b\n1,2\n")
    running = _file_hash.FileHash(path)
    running.thread.join()
    path.write_bytes(b"a,b\n1,2\n3,4\n")
    with pytest.raises(CliError, match="changed while it was being audited"):
        running.result()


def test_no_early_hash_for_what_is_not_a_local_path():
    _file_hash.start_early("postgresql://user@host/db")
    _file_hash.start_early("duckdb:///nowhere.db")
    assert not any("postgresql" in str(k) or "nowhere" in str(k) for k in _file_hash._EARLY)
