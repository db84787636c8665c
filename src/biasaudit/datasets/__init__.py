"""Loaders of public reference data sets, read from a local data home and checksummed.

The data home is the folder named by the environment variable ``BIASAUDIT_DATA`` or, if
it is unset, a per-user cache folder (see :func:`data_home`). Files are never shipped
inside the package; each is verified against its published SHA-256 before use.
"""

from ._compas import load_compas
from ._home import data_home

__all__ = ["data_home", "load_compas"]
