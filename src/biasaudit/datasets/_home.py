"""Where data files live, their integrity check, and the optional download."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd

from ..exceptions import AuditError, DataChecksumError, InvalidParameterError

__all__ = ["data_home", "list_datasets"]

#: SHA-256 of each file as published in the reference data sets' README.
CHECKSUMS = {
    "compas-scores-two-years.csv": "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d",
    "adult.data": "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d",
    "adult.test": "ceb625d3b5aeddf1e04cd5eec3268e18af4140fbde5a853a11223deeebcfe0f5",
    "german.data": "b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871",
}

_UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases"

#: Public source of each file, used by ``download=True`` unless ``$BIASAUDIT_DATA_URL`` is set.
SOURCES = {
    "compas-scores-two-years.csv":
        "https://raw.githubusercontent.com/propublica/compas-analysis/master/compas-scores-two-years.csv",
    "adult.data": f"{_UCI}/adult/adult.data",
    "adult.test": f"{_UCI}/adult/adult.test",
    "german.data": f"{_UCI}/statlog/german/german.data",
}

#: Environment variable naming a mirror: a base URL (``https://...`` or ``file://...``) under
#: which every file is found by its bare name, replacing the sources above.
URL_VARIABLE = "BIASAUDIT_DATA_URL"

_TIMEOUT = 60  # seconds without data before a download is abandoned

# name, loader, files, rows, origin: the file-based reference data sets.
_DATASETS = (
    ("adult", "load_adult", ("adult.data", "adult.test"), 48842,
     "UCI Adult (Census Income), 1994 US census extract"),
    ("compas", "load_compas", ("compas-scores-two-years.csv",), 7214,
     "ProPublica COMPAS two-year recidivism, Broward County 2013-2014"),
    ("german_credit", "load_german_credit", ("german.data",), 1000,
     "UCI Statlog German Credit"),
)


def data_home(path: str | os.PathLike[str] | None = None) -> Path:
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


_data_home = data_home  # reachable from functions whose parameter shadows the name


def list_datasets(*, data_home: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The reference data sets the loaders know, and whether their files are at hand.

    Parameters
    ----------
    data_home : str or path-like or None, default=None
        Folder to look in; None uses :func:`biasaudit.datasets.data_home`.

    Returns
    -------
    DataFrame
        One row per data set with columns ``name``, ``loader`` (the function of
        :mod:`biasaudit.datasets` that reads it), ``files`` (tuple of file names),
        ``rows`` (in all its files), ``present`` (every file is in the data home) and
        ``description``.

    Notes
    -----
    ``present`` only checks that the files exist; the loaders verify their SHA-256.
    Generated data (:func:`make_biased_classification`) needs no file and is not listed.

    Examples
    --------
    >>> from biasaudit.datasets import list_datasets
    >>> table = list_datasets(data_home="/nonexistent")
    >>> table[["name", "loader", "rows", "present"]]
                name              loader  rows  present
    0          adult          load_adult  48842    False
    1         compas         load_compas   7214    False
    2  german_credit  load_german_credit   1000    False
    """
    folder = _data_home(data_home)
    rows = [
        {"name": name, "loader": loader, "files": files, "rows": n,
         "present": all((folder / f).is_file() for f in files), "description": text}
        for name, loader, files, n, text in _DATASETS
    ]
    return pd.DataFrame(rows, columns=["name", "loader", "files", "rows", "present", "description"])


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def source_url(name: str) -> str:
    """Where ``download=True`` fetches ``name`` from: the mirror if one is set, else its source."""
    mirror = os.environ.get(URL_VARIABLE)
    if mirror:
        return mirror.rstrip("/") + "/" + name
    return SOURCES[name]


def verified_file(name: str, home: str | os.PathLike[str] | None = None, *, caller: str,
                  download: bool = False) -> Path:
    """Path of a data file in the data home, after checking its SHA-256.

    A missing file is an :class:`AuditError` unless ``download`` is true, in which case it
    is fetched (see :func:`fetch_file`). A file that is present is never replaced.
    """
    if not isinstance(download, bool):
        msg = f"{caller}(): `download` must be True or False; got {download!r}."
        raise InvalidParameterError(msg)
    folder = data_home(home)
    path = folder / name
    if not path.is_file():
        if download:
            return fetch_file(name, folder, caller=caller)
        msg = (f"{caller}(): {name} is not in the data home {folder}. Hint: set the environment "
               f"variable BIASAUDIT_DATA (or pass data_home=) to a folder that holds it, or pass "
               f"download=True to fetch it from {source_url(name)}.")
        raise AuditError(msg)
    got = sha256(path)
    if got != CHECKSUMS[name]:
        msg = (f"{caller}(): {path} has SHA-256 {got}, expected {CHECKSUMS[name]}; the file is "
               f"corrupted or a different version. Hint: replace it with the published file.")
        raise DataChecksumError(msg)
    return path


def fetch_file(name: str, folder: Path, *, caller: str) -> Path:
    """Download ``name`` into ``folder`` atomically and verify it; return its path.

    The bytes go to a temporary file in ``folder``, are hashed on the way, and the file is
    renamed to ``name`` only if its SHA-256 is the published one; otherwise it is deleted
    and :class:`DataChecksumError` is raised. Network and file-system failures become a
    one-line :class:`AuditError` saying how to install the file by hand.
    """
    url = source_url(name)
    target = folder / name
    manual = f"Hint: download it yourself and put it into the data home {folder}."
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    except OSError as exc:
        msg = f"{caller}(): cannot write to the data home {folder} ({_reason(exc)}). {manual}"
        raise AuditError(msg) from exc
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
            for block in iter(lambda: response.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        got = digest.hexdigest()
        if got != CHECKSUMS[name]:
            msg = (f"{caller}(): the file downloaded from {url} has SHA-256 {got}, expected "
                   f"{CHECKSUMS[name]}; it was deleted. {manual}")
            raise DataChecksumError(msg)
        os.chmod(tmp, 0o644)  # mkstemp's 0o600 would hide a shared data home from other users
        os.replace(tmp, target)
    except (OSError, ValueError) as exc:  # URLError and timeouts are OSErrors; bad URLs ValueErrors
        tmp.unlink(missing_ok=True)
        if isinstance(exc, AuditError):
            raise
        msg = f"{caller}(): could not download {name} from {url} ({_reason(exc)}). {manual}"
        raise AuditError(msg) from exc
    except BaseException:  # interrupted: leave no partial file behind
        tmp.unlink(missing_ok=True)
        raise
    return target


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
    return " ".join(str(reason).split())  # one line, whatever the platform wrote
