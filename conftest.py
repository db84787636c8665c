"""Test-wide set-up: point the data home at the shared reference data sets."""

import os
from pathlib import Path

SHARED_DATASETS = Path(__file__).resolve().parent.parent / "shared" / "datasets"


def pytest_configure(config):
    # Doctests and tests read real data through the library's loaders, from the data home.
    if not os.environ.get("BIASAUDIT_DATA") and SHARED_DATASETS.is_dir():
        os.environ["BIASAUDIT_DATA"] = str(SHARED_DATASETS)
