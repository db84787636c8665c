"""Where data files live, and their integrity check."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..exceptions import AuditError, DataChecksumError

__all__ = ["data_home"]

#: SHA-256 of each file as published in the reference data sets' README.
CHECKSUMS = {
    "compas-scores-two-years.csv": "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d",
    "adult.data": "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d",
    "adult.test": "ceb625d3b5aeddf1e04cd5eec3268e18af4140fbde5a853a11223deeebcfe0f5",
    "german.data": "b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871",
}


def data_home(path=None) -> Path:
    """The folder data sets are read from.

    Parameters
    ----------
    path : str or path-like or None, default=None
        Explicit folder; None uses ``$BIASAUDIT_DATA``, else ``$XDG_CACHE_HOME/biasaudit``
        (``~/.cache/biasaudit`` when ``XDG_CACHE_HOME`` is unset).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from biasaudit.datasets import data_home
    >>> data_home("/tmp/my-data").as_posix()
    '/tmp/my-data'
    """
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get("BIASAUDIT_DATA")
    if env:
        return Path(env).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "biasaudit"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_file(name: str, home=None, *, caller: str) -> Path:
    """Path of a data file in the data home, after checking its SHA-256."""
    folder = data_home(home)
    path = folder / name
    if not path.is_file():
        msg = (f"{caller}(): {name} is not in the data home {folder}. Hint: set the environment "
               f"variable BIASAUDIT_DATA (or pass data_home=) to a folder that holds it.")
        raise AuditError(msg)
    got = sha256(path)
    if got != CHECKSUMS[name]:
        msg = (f"{caller}(): {path} has SHA-256 {got}, expected {CHECKSUMS[name]}; the file is "
               f"corrupted or a different version. Hint: replace it with the published file.")
        raise DataChecksumError(msg)
    return path
