"""Test-wide set-up: point the data home at the shared reference data sets."""

import os
from pathlib import Path

SHARED_DATASETS = Path(__file__).resolve().parent.parent / "shared" / "datasets"


def pytest_configure(config):
    # Doctests and tests read real data through the library's loaders, from the data home.
    if not os.environ.get("BIASAUDIT_DATA") and SHARED_DATASETS.is_dir():
        os.environ["BIASAUDIT_DATA"] = str(SHARED_DATASETS)


try:
    from hypothesis import settings as _hypothesis_settings

    # Locally, property tests explore new examples on every run; in CI they replay a fixed
    # sequence, so the run that decides whether a change lands is reproducible.
    _hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI", "").lower() == "true":
        _hypothesis_settings.load_profile("ci")
except ImportError:  # hypothesis is a test dependency; the doctests run without it
    pass
