"""Options declared once: signatures, checks, docs and with_options() all follow OPTIONS."""

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import biasaudit as ba
from biasaudit._options import OPTIONS, AuditOptions, options_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def demo():
    return ba.datasets.make_biased_classification(6000, rng=3).data


@pytest.mark.parametrize("func", [ba.audit, ba.audit_counts, ba.AuditResult.with_options])
def test_signatures_list_every_option_with_its_declared_default(func):
    params = inspect.signature(func).parameters
    if func is ba.AuditResult.with_options:
        assert "changes" in params  # takes any option by name; checked by AuditOptions
        return
    for opt in OPTIONS:
        assert params[opt.name].default == opt.default, opt.name
        assert params[opt.name].kind is inspect.Parameter.KEYWORD_ONLY
    assert f"{OPTIONS[0].name} : " in func.__doc__ and "{options}" not in func.__doc__


def test_the_dataclass_fields_are_the_declarations():
    assert [f for f in AuditOptions.__dataclass_fields__] == [o.name for o in OPTIONS]
    assert AuditOptions() == AuditOptions(**{o.name: o.default for o in OPTIONS})


def test_the_api_page_lists_the_declared_options():
    assert options_markdown() in (DOCS / "api.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("option, value, message", [
    ("confidence_level", 1.5, r"`confidence_level` must be in \(0, 1\); got 1.5"),
    ("test", "fishr", r"`test` must be one of .*; got 'fishr'. Hint: did you mean 'fisher'\?"),
    ("n_resamples", -1, r"`n_resamples` must be an integer >= 0; got -1"),
    ("min_group_size", 2.5, r"`min_group_size` must be an integer >= 1; got 2.5"),
    ("positive_is_favorable", "no", r"`positive_is_favorable` must be True or False; got 'no'"),
    ("intersections", 3, r"`intersections` must be True, False, 'all' or a list"),
    ("metrics", [], r"`metrics` must name at least one metric"),
])
def test_every_entry_point_checks_options_the_same_way(demo, option, value, message):
    counts = ba.group_counts(data=demo, y_true="y_true", y_pred="y_pred", group="sex")
    result = ba.audit_counts(counts)
    for call, name in [(lambda **kw: ba.audit(demo, y_true="y_true", y_pred="y_pred", protected="sex", **kw),
                        "audit"),
                       (lambda **kw: ba.audit_counts(counts, **kw), "audit_counts"),
                       (result.with_options, "with_options")]:
        with pytest.raises(ba.InvalidParameterError, match=rf"{name}\(\): " + message):
            call(**{option: value})


def test_unknown_options_are_named():
    with pytest.raises(ba.InvalidParameterError, match=r"unknown option\(s\) \['confidence'\]"):
        ba.audit(y_true=[1, 0], y_pred=[1, 0], protected=["a", "b"], confidence=0.9)


def _frames(r):
    return {name: getattr(r, name) for name in ("group_metrics", "disparities", "summary", "criteria",
                                               "four_fifths", "independence_tests")}


def test_with_options_equals_a_fresh_audit_with_those_options(demo):
    base = ba.audit(demo, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=11)
    changes = dict(confidence_level=0.9, correction="fdr_bh", reference="best", tolerance=0.02,
                   ratio_method="koopman", min_group_size=50, alternative="less")
    fresh = ba.audit(demo, y_true="y_true", y_pred="y_pred", protected=["sex", "race"], rng=11, **changes)
    changed = base.with_options(**changes)
    assert changed.seed == fresh.seed
    for name, frame in _frames(fresh).items():
        pd.testing.assert_frame_equal(getattr(changed, name), frame, obj=name)
    assert changed.parameters == fresh.parameters


def test_with_options_and_no_change_is_identical_bootstrap_and_provenance_included(demo):
    r = ba.audit(demo, y_true="y_true", y_pred="y_pred", protected="sex", sample_weight=np.linspace(0.5, 2, len(demo)),
                 n_resamples=300)
    again = r.with_options()
    assert again.parameters["data_sha256"] == r.parameters["data_sha256"] is not None
    assert again.parameters["pos_label"] == 1 and again.seed == r.seed
    for name, frame in _frames(r).items():
        pd.testing.assert_frame_equal(getattr(again, name), frame, obj=name)
    np.testing.assert_array_equal(again.disparities["boot_ci_low"], r.disparities["boot_ci_low"])
    report = again.report(metadata={"system": "demo"}).to_dict()
    assert report["data"]["sha256"] == r.parameters["data_sha256"]
    # a new rng draws a new seed, so the bootstrap changes
    other = r.with_options(rng=5)
    assert other.seed != r.seed
    assert not np.array_equal(other.disparities["boot_ci_low"], r.disparities["boot_ci_low"], equal_nan=True)


def test_recompute_is_a_deprecated_alias(demo):
    r = ba.audit(demo, y_true="y_true", y_pred="y_pred", protected="sex")
    with pytest.warns(FutureWarning, match="use AuditResult.with_options"):
        old = r.recompute(confidence_level=0.99)
    pd.testing.assert_frame_equal(old.disparities, r.with_options(confidence_level=0.99).disparities)


def test_results_are_immutable(demo):
    r = ba.audit(demo, y_true="y_true", y_pred="y_pred", protected="sex")
    with pytest.raises(AttributeError, match="immutable"):
        r.options = None


def test_the_command_line_and_the_manifest_take_every_statistical_option(tmp_path):
    from biasaudit.cli._batch import KEYS
    from biasaudit.cli._parser import build_parser

    parser = build_parser()
    audit_parser = parser._subparsers._group_actions[0].choices["audit"]  # argparse keeps no public access
    flags = {a.dest: a for a in audit_parser._actions}
    for opt in OPTIONS:
        if opt.cli:
            assert opt.name in flags and opt.name in KEYS, opt.name
            assert flags[opt.name].default is None  # unset flags leave the library's default
            if opt.choices:
                assert tuple(flags[opt.name].choices) == opt.choices


def test_a_statistical_flag_reaches_the_audit(tmp_path):
    from biasaudit.cli import main

    data = ba.datasets.make_biased_classification(3000, rng=2).data
    data.to_csv(tmp_path / "d.csv", index=False)
    args = ["audit", str(tmp_path / "d.csv"), "--y-true", "y_true", "--y-pred", "y_pred", "--protected", "sex",
            "--format", "json", "--fail-on", "never"]
    assert main(args + ["--out", str(tmp_path / "a"), "--confidence-level", "0.9", "--ratio-method", "katz"]) == 0
    import json

    doc = json.loads((tmp_path / "a" / "report.json").read_text(encoding="utf-8"))
    params = doc["annex"]["parameters"]
    assert params["confidence_level"] == 0.9 and params["ratio_method"] == "katz"
    assert main(args + ["--out", str(tmp_path / "b"), "--confidence-level", "1.5"]) == 2
