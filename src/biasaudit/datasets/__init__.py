"""Loaders of public reference data sets, read from a local data home and checksummed.

The data home is the folder named by the environment variable ``BIASAUDIT_DATA`` or, if
it is unset, a per-user cache folder (see :func:`data_home`). Files are never shipped
inside the package; each is verified against its published SHA-256 before use. With
``download=True`` a loader fetches a missing file from its public source (or from the
mirror named by ``BIASAUDIT_DATA_URL``) and verifies it. :func:`make_biased_classification`
generates synthetic decisions with known, injected disparities instead.
"""

from ._adult import load_adult
from ._compas import load_compas
from ._german import load_german_credit
from ._home import data_home, list_datasets
from ._synthetic import SyntheticAudit, make_biased_classification

__all__ = [
    "SyntheticAudit",
    "data_home",
    "list_datasets",
    "load_adult",
    "load_compas",
    "load_german_credit",
    "make_biased_classification",
]
