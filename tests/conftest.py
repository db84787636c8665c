import os
from pathlib import Path

import pytest

from biasaudit.datasets import data_home


@pytest.fixture(scope="session")
def datasets_home() -> Path:
    """The folder of the shared reference data sets; in CI a missing folder is a failure."""
    home = data_home()
    if not (home / "compas-scores-two-years.csv").is_file():
        msg = f"reference data sets not found in {home} (set BIASAUDIT_DATA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return home
