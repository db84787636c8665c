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


def test_stats_namespace_reaches_the_bootstrap_variants():
    import numpy as np

    rows = np.array([[[40, 10], [15, 35]], [[30, 20], [25, 25]]])
    ratio = ba.stats.ratio_statistic("tpr", reference_index=0)
    strat = ba.stats.bootstrap_interval(ratio, rows, n_resamples=500, rng=0)
    free = ba.stats.bootstrap_interval(ratio, rows, n_resamples=500, rng=0, stratified=False, method="bca")
    assert strat.stratified and not free.stratified and free.method == "bca"
    assert strat.low[1] < 0.5 / 0.7 < strat.high[1]
    assert set(ba.stats.__all__) <= set(dir(ba.stats))
