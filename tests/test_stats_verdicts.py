"""Tests of biasaudit._stats.verdicts: every rule, the precedence and the power guard."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biasaudit._stats import VERDICT_CODES, verdicts
from biasaudit.exceptions import InvalidParameterError

NAN = float("nan")


def verdict(value=0.40, ref=0.45, low=None, high=None, ratio=None, p=0.5, power=0.9, p_eq=0.5, **kw):
    diff = value - ref
    ratio = value / ref if ratio is None else ratio
    low = diff - 0.05 if low is None else low
    high = diff + 0.05 if high is None else high
    codes, reasons = verdicts(value, ref, diff, low, high, ratio, p, power, p_eq, **kw)
    return codes[()], reasons[()]


def test_disparity_needs_significance_size_and_power():
    code, reason = verdict(value=0.30, p=0.001)
    assert code == "disparity"
    assert "-0.150" in reason and "adjusted p = 0.001 < 0.05" in reason and "tolerance of 0.05" in reason


def test_possible_disparity_when_large_but_not_significant():
    code, reason = verdict(value=0.30, p=0.2)
    assert code == "possible_disparity" and "not statistically significant (adjusted p = 0.2)" in reason


def test_significant_large_gap_is_a_disparity_even_when_underpowered():
    code, reason = verdict(value=0.30, p=0.001, power=0.3)
    assert code == "disparity" and "statistically significant (adjusted p = 0.001 < 0.05)" in reason
    code, reason = verdict(value=0.30, p=0.2, power=0.3)
    assert code == "possible_disparity" and "not statistically significant" in reason


def test_ratio_outside_band_counts_as_large():
    # 0.02 vs 0.04: the difference is below the tolerance but the ratio is 0.5
    code, reason = verdict(value=0.02, ref=0.04, p=0.001)
    assert code == "disparity" and "ratio of 0.5, outside [0.8, 1.25]" in reason
    code, _ = verdict(value=0.02, ref=0.04, p=0.001, p_eq=0.01, ratio_band=(0.4, 2.5))
    assert code == "parity"


def test_nan_ratio_is_ignored():
    code, _ = verdict(value=0.0, ref=0.0, ratio=NAN, p=NAN, p_eq=0.01)
    assert code == "parity"


def test_parity_needs_equivalence_and_power():
    code, reason = verdict(value=0.44, p_eq=0.01)
    assert code == "parity" and "Equivalent within ±0.05" in reason and "p = 0.01 < 0.05" in reason
    code, reason = verdict(value=0.44, p_eq=0.01, power=0.5)
    assert code == "inconclusive" and "too few rows" in reason
    code, _ = verdict(value=0.44, p_eq=0.01, power=NAN)
    assert code == "inconclusive"


def test_a_significant_gap_not_shown_negligible_is_a_disparity():
    # the demo's female selection rate: -4.8 points (CI -6.6 to -2.9), adjusted p 3.8e-5,
    # power 0.999: below the tolerance of 5 points at its estimate, but not shown smaller
    code, reason = verdict(value=0.3245, ref=0.3723, low=-0.0665, high=-0.0292, p=3.76e-5, power=0.999,
                           p_eq=0.42)
    assert code == "disparity"
    assert "not shown to be smaller than the tolerance of 0.05 (equivalence p = 0.42)" in reason
    # shown inside the tolerance: significant but negligible, so parity (or inconclusive without power)
    assert verdict(value=0.43, p=0.01, p_eq=0.01)[0] == "parity"
    assert verdict(value=0.43, p=0.01, p_eq=0.01, power=0.5)[0] == "inconclusive"


def test_inconclusive_reasons_distinguish_the_cases():
    _, small = verdict(value=0.43, p=0.3, p_eq=0.3, power=0.5)
    assert "too few rows to tell" in small
    _, neither = verdict(value=0.43, p=0.3, p_eq=0.3)
    assert "no significant difference" in neither and "not shown either" in neither


def test_precedence_large_beats_equivalent():
    # equivalence at a wider margin than the tolerance cannot override a large gap
    code, _ = verdict(value=0.38, p=0.2, p_eq=0.01)
    assert code == "possible_disparity"


def test_not_assessable_names_the_undefined_side():
    code, reason = verdict(value=NAN, p=0.001)
    assert code == "not_assessable" and "this group" in reason
    code, reason = verdict(ref=NAN)
    assert code == "not_assessable" and "reference group" in reason


def test_vectorised_and_broadcast():
    codes, reasons = verdicts(
        [[0.3, 0.44], [np.nan, 0.43]], 0.45, [[-0.15, -0.01], [np.nan, -0.02]], -0.2, 0.2,
        NAN, [[0.001, 0.5], [NAN, 0.3]], 0.95, [[0.9, 0.01], [NAN, 0.3]],
    )
    assert codes.shape == reasons.shape == (2, 2)
    assert codes.tolist() == [["disparity", "parity"], ["not_assessable", "inconclusive"]]
    assert all(isinstance(r, str) and r for r in reasons.ravel())


def test_rejects_bad_options():
    args = (0.4, 0.45, -0.05, -0.1, 0.0, 0.9, 0.5, 0.9, 0.5)
    with pytest.raises(InvalidParameterError, match=r"verdicts\(\): `ratio_band` must be a pair \(low, high\) with 0 < low <= 1 <= high; got \(1.2, 1.5\)"):
        verdicts(*args, ratio_band=(1.2, 1.5))
    with pytest.raises(InvalidParameterError, match=r"verdicts\(\): `tolerance` must be in \(0, 1\]; got 0"):
        verdicts(*args, tolerance=0)
    with pytest.raises(InvalidParameterError, match=r"verdicts\(\): `min_power` must be in \(0, 1\]; got 1.5"):
        verdicts(*args, min_power=1.5)


maybe_nan = st.one_of(st.just(NAN), st.floats(0, 1))


@settings(max_examples=200, deadline=None)
@given(value=maybe_nan, ref=maybe_nan, p=maybe_nan, power=maybe_nan, p_eq=maybe_nan)
def test_a_small_group_never_gets_a_confident_verdict(value, ref, p, power, p_eq):
    diff = value - ref
    ratio = value / ref if ref > 0 else NAN
    codes, reasons = verdicts(value, ref, diff, diff - 0.1, diff + 0.1, ratio, p, power, p_eq)
    code = codes[()]
    assert code in VERDICT_CODES and reasons[()]
    if not power >= 0.8:
        assert code != "parity"
    if code == "parity":
        assert p_eq < 0.05 and abs(diff) < 0.05 and power >= 0.8
    if code == "disparity":
        assert p < 0.05 and (abs(diff) >= 0.05 or not 0.8 <= ratio <= 1.25 or not p_eq < 0.05)
