"""Displays for notebooks: what they draw is exactly the result's views, labels stay literal text."""

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import biasaudit as ba  # noqa: E402
from biasaudit.exceptions import InvalidParameterError  # noqa: E402

HOSTILE = ["$\\sqrt{2}$", "x$^$", "_hidden", "<script>alert(1)</script>", "$\\foo$ & \\n"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def decisions():
    rng = np.random.default_rng(3)
    n = 6000
    sex = rng.choice(["female", "male"], n)
    race = rng.choice(["A", "B", "C"], n, p=[0.6, 0.3, 0.1])
    y_true = rng.random(n) < 0.4
    y_pred = rng.random(n) < np.where(sex == "female", 0.3, 0.42) + 0.2 * y_true
    w = rng.uniform(0.5, 3.0, n)
    return ba.audit(y_true=y_true, y_pred=y_pred, protected={"sex": sex, "race": race}, sample_weight=w,
                    tolerance=0.03, four_fifths_threshold=0.9)


@pytest.fixture(scope="module")
def scores():
    rng = np.random.default_rng(4)
    n = 3000
    group = rng.choice(["a", "b", "c"], n)
    y = rng.random(n) < 0.35
    s = np.clip(0.35 + 0.25 * (y - 0.35) + rng.normal(0, 0.2, n) + np.where(group == "c", 0.1, 0.0), 0, 1)
    return ba.audit(y_true=y, y_score=np.round(s, 3), protected={"g": group}), group, y, np.round(s, 3)


def _band(patch):
    """The x extent of an axvspan (a Rectangle in recent matplotlib, a Polygon before 3.9)."""
    if hasattr(patch, "get_width"):
        return patch.get_x(), patch.get_x() + patch.get_width()
    xs = patch.get_xy()[:, 0]
    return xs.min(), xs.max()


def _segments(collection):
    return np.array([[seg[0][0], seg[1][0]] for seg in collection.get_segments()])


def test_group_rates_draw_the_rate_intervals_view(decisions):
    d = ba.GroupRatesDisplay.from_result(decisions, metric="false_positive_rate", attribute="sex & race")
    view = decisions.rate_intervals()
    view = view[(view.attribute == "sex & race") & (view.metric == "false_positive_rate")]
    np.testing.assert_allclose(d.points_.get_offsets()[:, 0], view["value"], rtol=0, atol=0)
    np.testing.assert_allclose(_segments(d.intervals_), view[["ci_low", "ci_high"]].to_numpy(), rtol=0, atol=0)
    assert [t.get_text() for t in d.ax_.get_yticklabels()] == [" & ".join(g) for g in view["group"]]
    dis = decisions.disparities
    ref = dis[(dis.attribute == "sex & race") & (dis.metric == "false_positive_rate")]["reference_value"].iloc[0]
    assert d.reference_line_.get_xdata()[0] == ref
    assert d.figure_ is d.ax_.figure and "95%" in d.ax_.get_title()


def test_group_rates_default_is_the_first_attribute_s_selection_rate(decisions):
    d = ba.GroupRatesDisplay.from_result(decisions)
    gm = decisions.group_metrics
    assert d.attribute == "sex" and d.groups == ["female", "male"]
    np.testing.assert_allclose(d.values, gm.loc[gm.attribute == "sex", "selection_rate"], rtol=1e-15)


def test_disparities_draw_differences_against_the_tolerance_band(decisions):
    d = ba.DisparityDisplay.from_result(decisions, metric="selection_rate", attribute="race")
    view = decisions.disparities
    view = view[(view.attribute == "race") & (view.metric == "selection_rate") & (view.verdict != "reference")]
    np.testing.assert_array_equal(d.points_.get_offsets()[:, 0], view["difference"])
    np.testing.assert_array_equal(_segments(d.intervals_), view[["ci_low", "ci_high"]].to_numpy())
    assert d.groups == list(view["group"]) and d.reference == "A"  # the largest group
    assert _band(d.band_) == pytest.approx((-0.03, 0.03))  # the audit's tolerance, not a default
    colours = matplotlib.colors.to_hex  # vermillion exactly where the verdict is a disparity
    drawn = [colours(c) for c in d.points_.get_facecolors()]
    assert drawn == [("#d55e00" if v == "disparity" else "#0072b2") for v in view["verdict"]]


def test_disparities_on_the_ratio_scale_use_the_four_fifths_band(decisions):
    d = ba.DisparityDisplay.from_result(decisions, metric="true_positive_rate", attribute="sex", scale="ratio")
    view = decisions.disparities
    view = view[(view.attribute == "sex") & (view.metric == "true_positive_rate") & (view.verdict != "reference")]
    np.testing.assert_array_equal(d.points_.get_offsets()[:, 0], view["ratio"])
    np.testing.assert_array_equal(_segments(d.intervals_), view[["ratio_ci_low", "ratio_ci_high"]].to_numpy())
    assert _band(d.band_) == pytest.approx((0.9, 1 / 0.9))


def test_roc_curves_are_the_view_and_enclose_scikit_learn_s_auc(scores):
    metrics = pytest.importorskip("sklearn.metrics")
    result, group, y, s = scores
    d = ba.GroupRocDisplay.from_result(result)
    view = result.roc_curves()
    for g in ["a", "b", "c"]:
        line = d.lines_[g]
        part = view[view.group == g]
        np.testing.assert_array_equal(line.get_xdata(), part["fpr"])
        np.testing.assert_array_equal(line.get_ydata(), part["tpr"])
        # the area under the drawn polyline is the group's AUC (ties are diagonal segments)
        area = np.sum(np.diff(line.get_xdata()) * (line.get_ydata()[1:] + line.get_ydata()[:-1]) / 2)
        assert area == pytest.approx(metrics.roc_auc_score(y[group == g], s[group == g]), abs=1e-12)
    legend = [t.get_text() for t in d.ax_.get_legend().get_texts()]
    auc = result.group_metrics.set_index("group")["roc_auc"]
    assert legend == [f"{g} (AUC {auc[g]:.3f})" for g in ["a", "b", "c"]]


def test_reliability_curves_are_the_view_with_small_bins_left_out(scores):
    calibration = pytest.importorskip("sklearn.calibration")
    result, group, y, s = scores
    view = result.calibration_curves()
    d = ba.GroupCalibrationDisplay.from_result(result, min_bin_size=50)
    for g in ["a", "b", "c"]:
        part = view[(view.group == g) & (view.n >= 50)]
        np.testing.assert_array_equal(d.lines_[g].get_xdata(), part["mean_score"])
        np.testing.assert_array_equal(d.lines_[g].get_ydata(), part["observed_rate"])
    assert (view.n < 50).any() and len(d.lines_["a"].get_xdata()) < (view.group == "a").sum()
    # the unfiltered curve of a group is scikit-learn's uniform-strategy calibration curve
    full = ba.GroupCalibrationDisplay.from_result(result)
    prob_true, prob_pred = calibration.calibration_curve(y[group == "b"], s[group == "b"], n_bins=10)
    np.testing.assert_allclose(full.lines_["b"].get_ydata(), prob_true, rtol=1e-12)
    np.testing.assert_allclose(full.lines_["b"].get_xdata(), prob_pred, rtol=1e-12)


def test_hostile_labels_render_literally_on_given_axes():
    rng = np.random.default_rng(5)
    n = 2500
    group = np.array(HOSTILE)[rng.integers(0, len(HOSTILE), n)]
    y = rng.random(n) < 0.5
    s = np.round(rng.random(n), 2)
    decisions = ba.audit(y_true=y, y_pred=s > 0.5, protected={"$x$ & _a": group}, metrics=["selection_rate"])
    score = ba.audit(y_true=y, y_score=s, protected={"$x$ & _a": group})
    fig, axes = plt.subplots(2, 2)  # axes made outside the displays' plain-text settings
    displays = [ba.GroupRatesDisplay.from_result(decisions, ax=axes[0, 0]),
                ba.DisparityDisplay.from_result(decisions, ax=axes[0, 1]),
                ba.GroupRocDisplay.from_result(score, ax=axes[1, 0]),
                ba.GroupCalibrationDisplay.from_result(score, ax=axes[1, 1])]
    fig.canvas.draw()  # mathtext would raise on "x$^$" here
    for d in displays[:2]:
        assert {t.get_text() for t in d.ax_.get_yticklabels()} <= set(HOSTILE)
        assert len(d.ax_.get_yticklabels()) >= len(HOSTILE) - 1
        assert "$x$ & _a" in d.ax_.get_title()
    for d in displays[2:]:
        legend = [t.get_text() for t in d.ax_.get_legend().get_texts()]
        assert sorted(t.split(" (AUC")[0] for t in legend) == sorted(HOSTILE)  # "_hidden" is not dropped
    # every text carrying a user string is plain text (numeric tick labels may keep mathtext)
    texts = [t for ax in axes.flat for t in ax.findobj(matplotlib.text.Text)
             if any(h in t.get_text() for h in HOSTILE + ["$x$ & _a"])]
    assert len(texts) >= 4 * len(HOSTILE) - 2, texts
    assert [t for t in texts if t.get_parse_math()] == []
    fig.savefig(__import__("io").BytesIO(), format="png")


def test_the_heat_map_is_the_intersection_s_differences_centred_on_the_reference(decisions):
    d = ba.IntersectionHeatmapDisplay.from_result(decisions, metric="selection_rate")
    view = decisions.disparities
    view = view[(view.attribute == "sex & race") & (view.metric == "selection_rate")]
    assert d.attributes == ("sex", "race") and d.rows == ["female", "male"] and d.cols == ["A", "B", "C"]
    for group, value, difference in zip(view["group"], view["value"], view["difference"]):
        i, j = d.rows.index(group[0]), d.cols.index(group[1])
        assert d.values[i, j] == value and d.image_.get_array()[i, j] == difference
    norm = d.image_.norm
    span = np.abs(view["difference"]).max()
    assert (norm.vmin, norm.vcenter, norm.vmax) == pytest.approx((-span, 0.0, span))
    ref = view[view.verdict == "reference"]["group"].iloc[0]
    assert d.reference == " & ".join(ref) and d.image_.get_array()[d.rows.index(ref[0]), d.cols.index(ref[1])] == 0
    annotations = sorted(t.get_text() for t in d.ax_.texts)
    assert annotations == sorted(f"{v:.3f}" for v in view["value"])


def test_the_heat_map_leaves_undefined_cells_blank_and_labels_literal():
    rng = np.random.default_rng(8)
    n = 3000
    a = np.array(["$\\sqrt{2}$", "x$^$"])[rng.integers(0, 2, n)]
    b = np.array(["_u", "v"])[rng.integers(0, 2, n)]
    y = rng.random(n) < 0.5
    y[(a == "x$^$") & (b == "v")] = True  # no negatives in one cell: its false positive rate is undefined
    with pytest.warns(ba.UndefinedMetricWarning):
        r = ba.audit(y_true=y, y_pred=rng.random(n) < 0.5, protected={"a": a, "b": b})
    d = ba.IntersectionHeatmapDisplay.from_result(r, metric="false_positive_rate")
    assert np.isnan(d.values[1, 1]) and d.image_.get_array().mask[1, 1]
    assert len(d.ax_.texts) == 3
    d.figure_.canvas.draw()
    assert [t.get_text() for t in d.ax_.get_yticklabels()] == ["$\\sqrt{2}$", "x$^$"]
    assert not any(t.get_parse_math() for t in d.ax_.get_yticklabels() + d.ax_.get_xticklabels())


def test_a_display_redraws_on_other_axes(decisions):
    d = ba.GroupRatesDisplay.from_result(decisions)
    _, ax = plt.subplots()
    assert d.plot(ax=ax) is d and d.ax_ is ax and d.figure_ is ax.figure
    assert len(ax.collections) == 2  # intervals and points


def test_bad_arguments_name_the_parameter(decisions, scores):
    with pytest.raises(InvalidParameterError, match=r"GroupRocDisplay.from_result\(\): `result` must be a score"):
        ba.GroupRocDisplay.from_result(decisions)
    with pytest.raises(InvalidParameterError, match="`attribute` must be one of"):
        ba.GroupRatesDisplay.from_result(decisions, attribute="age")
    with pytest.raises(InvalidParameterError, match="`metric` must be one of"):
        ba.DisparityDisplay.from_result(decisions, metric="auc")
    with pytest.raises(InvalidParameterError, match="`scale` must be"):
        ba.DisparityDisplay.from_result(decisions, scale="log")
    with pytest.raises(InvalidParameterError, match="`min_bin_size` must be"):
        ba.GroupCalibrationDisplay.from_result(scores[0], min_bin_size=0)
    with pytest.raises(InvalidParameterError, match="`attribute` must be one of the two-attribute"):
        ba.IntersectionHeatmapDisplay.from_result(decisions, attribute="sex")
    with pytest.raises(InvalidParameterError, match="`result` must have an intersection"):
        ba.IntersectionHeatmapDisplay.from_result(scores[0])


def test_importing_the_displays_does_not_import_matplotlib():
    code = "import sys, biasaudit.plotting, biasaudit; biasaudit.GroupRocDisplay; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("name", ["GroupRatesDisplay", "DisparityDisplay", "GroupRocDisplay", "GroupCalibrationDisplay",
                                  "IntersectionHeatmapDisplay"])
@pytest.mark.parametrize("member", ["", ".from_result", ".plot"])
def test_display_docstrings_pass_numpydoc_validation(name, member):
    validate = pytest.importorskip("numpydoc.validate").validate
    errors = {code: msg for code, msg in validate(f"biasaudit.{name}{member}")["errors"]
              if code in {"GL08", "PR01", "PR02", "PR03", "RT01", "SS01"}}
    assert errors == {}
