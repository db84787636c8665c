"""The public surface: __all__ matches the API page, and every public callable is documented."""

import inspect
import re
from pathlib import Path

import biasaudit as ba

API = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def test_all_matches_the_api_reference_page():
    text = API.read_text(encoding="utf-8")
    listed = set(re.findall(r"`([A-Za-z_][A-Za-z0-9_]*)[(`]", text))
    assert set(ba.__all__) <= listed, set(ba.__all__) - listed
    assert {name for name in listed if hasattr(ba, name)} == set(ba.__all__)


def test_public_functions_take_data_by_keyword_and_have_examples():
    for name in ba.__all__:
        obj = getattr(ba, name)
        if inspect.isfunction(obj):
            assert "Examples" in (obj.__doc__ or ""), name
            params = inspect.signature(obj).parameters
            for data_arg in ("y_true", "y_pred", "protected", "group", "sample_weight"):
                if data_arg in params:
                    assert params[data_arg].kind is inspect.Parameter.KEYWORD_ONLY, (name, data_arg)


def test_version_is_a_string():
    assert re.fullmatch(r"\d+\.\d+\.\d+(\.dev\d+)?", ba.__version__)
