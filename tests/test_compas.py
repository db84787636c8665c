"""Real data: the ProPublica COMPAS cohort, through the library's own loader."""

import hashlib
import shutil

import pandas as pd
import pytest

import biasaudit as ba
from biasaudit.datasets import load_compas


@pytest.fixture(scope="module")
def compas(datasets_home):
    return load_compas(data_home=datasets_home)


def test_propublica_cohort_size(compas, datasets_home):
    assert len(compas) == 6172
    assert len(load_compas(data_home=datasets_home, cohort="all")) == 7214


def test_per_race_confusion_counts_equal_a_pandas_recount(compas):
    y_pred = compas["score_text"].isin(["Medium", "High"]).astype(int)
    with pytest.warns(ba.UndefinedMetricWarning):  # tiny race & sex cells have undefined rates
        result = ba.audit(compas, y_true="two_year_recid", y_pred=y_pred, protected=["race", "sex"],
                          positive_is_favorable=False)
    recount = (
        compas.assign(p=y_pred)
        .groupby("race")
        .apply(lambda g: pd.Series({
            "n": len(g),
            "true_positives": ((g["two_year_recid"] == 1) & (g["p"] == 1)).sum(),
            "false_positives": ((g["two_year_recid"] == 0) & (g["p"] == 1)).sum(),
            "true_negatives": ((g["two_year_recid"] == 0) & (g["p"] == 0)).sum(),
            "false_negatives": ((g["two_year_recid"] == 1) & (g["p"] == 0)).sum(),
        }), include_groups=False)
    )
    ours = result.group_metrics.query("attribute == 'race'").set_index("group")[recount.columns]
    pd.testing.assert_frame_equal(ours.astype(int), recount.astype(int), check_names=False, check_index_type=False)
    # Figures of this file and cohort (not ProPublica's cox-parsed.csv): African-American FPR.
    aa = result.group_metrics.set_index(["attribute", "group"]).loc[("race", "African-American")]
    assert aa["n"] == 3175
    assert aa["false_positive_rate"] == pytest.approx(641 / 1514)


def test_a_corrupted_copy_is_refused(tmp_path, datasets_home):
    src = datasets_home / "compas-scores-two-years.csv"
    bad = tmp_path / src.name
    shutil.copyfile(src, bad)
    with open(bad, "ab") as fh:
        fh.write(b"\n")
    with pytest.raises(ba.exceptions.DataChecksumError, match=r"has SHA-256 [0-9a-f]{64}, expected c451db85"):
        load_compas(data_home=tmp_path)
    assert hashlib.sha256(src.read_bytes()).hexdigest().startswith("c451db85")


def test_a_missing_file_says_where_it_looked(tmp_path):
    with pytest.raises(ba.AuditError, match=r"compas-scores-two-years.csv is not in the data home .*BIASAUDIT_DATA"):
        load_compas(data_home=tmp_path)
