"""The metric registry: formulas, NaN semantics, names, and the docs it generates."""

from pathlib import Path

import numpy as np
import pytest

import biasaudit as ba
from biasaudit._metrics import _REGISTRY, registry_markdown

from _naive import metrics as naive_metrics

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.mark.parametrize("name", ba.list_metrics(family="binary"))
def test_each_metric_matches_its_formula_on_random_tables(name):
    rng = np.random.default_rng(0)
    tables = rng.integers(0, 6, size=(200, 2, 2)).astype(float)
    values = ba.metric_from_counts(name, tables)
    for table, value in zip(tables, values):
        (tn, fp), (fn, tp) = table
        rows = [1] * int(tp) + [0] * int(fp) + [0] * int(tn) + [1] * int(fn)
        preds = [1] * int(tp) + [1] * int(fp) + [0] * int(tn) + [0] * int(fn)
        expected = naive_metrics(rows, preds, [1.0] * len(rows))[name]
        if np.isnan(expected):
            assert np.isnan(value)
        else:
            assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", ba.list_metrics(kind="rate") + ba.list_metrics(kind="derived", family="binary"))
def test_zero_denominator_is_nan_never_zero(name):
    metric = ba.get_metric(name)
    assert np.isnan(metric.evaluate(np.zeros((2, 2))))
    assert metric.undefined_when


def test_leading_axes_are_kept():
    tables = np.ones((3, 4, 5, 2, 2))
    assert ba.metric_from_counts("tpr", tables).shape == (3, 4, 5)


def test_aliases_resolve_to_canonical_entries():
    assert ba.get_metric("tpr") is ba.get_metric("true_positive_rate") is ba.get_metric("recall")
    assert ba.get_metric("precision").name == "positive_predictive_value"
    assert set(ba.list_metrics()) == {m.name for m in _REGISTRY.values()}


def test_unknown_metric_suggests_close_names():
    with pytest.raises(ba.InvalidParameterError, match=r"unknown metric 'true_positiv_rate'.*'true_positive_rate'"):
        ba.get_metric("true_positiv_rate")


def test_counts_shape_is_checked():
    with pytest.raises(ba.InvalidParameterError, match=r"must have shape \(\.\.\., 2, 2\); got \(3,\)"):
        ba.metric_from_counts("tpr", [1, 2, 3])


def test_proportions_are_the_binomial_rates():
    assert ba.get_metric("tpr").is_proportion
    assert not ba.get_metric("f1_score").is_proportion
    assert not ba.get_metric("balanced_accuracy").is_proportion
    assert not ba.get_metric("tp").is_proportion


def test_directions():
    assert ba.get_metric("fpr").higher_is_better is False
    assert ba.get_metric("tpr").higher_is_better is True
    assert ba.get_metric("base_rate").higher_is_better is None
    assert ba.get_metric("selection_rate").favourability_dependent


def test_docs_metric_table_is_generated_from_the_registry():
    text = (DOCS / "metrics.md").read_text(encoding="utf-8")
    assert registry_markdown() in text
