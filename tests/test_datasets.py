"""Data set loaders (Adult, German credit), downloads, list_datasets(), synthetic decisions."""

import dataclasses
import hashlib
import math
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import biasaudit as ba
from biasaudit.datasets import (
    SyntheticAudit,
    list_datasets,
    load_adult,
    load_compas,
    load_german_credit,
    make_biased_classification,
)
from biasaudit.datasets._home import CHECKSUMS, SOURCES

RATES = ["selection_rate", "base_rate", "true_positive_rate", "false_positive_rate"]


def _raw_lines(path, skip=0):
    """The data lines of a UCI file, read without pandas, for independent recounts."""
    lines = path.read_text(encoding="ascii").splitlines()[skip:]
    return [line for line in lines if line.strip()]


# --------------------------------------------------------------------------- Adult


@pytest.fixture(scope="module")
def adult(datasets_home):
    return load_adult(data_home=datasets_home, split="both")


def test_adult_row_counts(adult, datasets_home):
    assert len(load_adult(data_home=datasets_home)) == 32561
    assert len(load_adult(data_home=datasets_home, split="test")) == 16281
    assert len(adult) == 48842


def test_adult_columns_labels_and_stripped_values(adult):
    assert list(adult.columns) == [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
        "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week",
        "native-country", "income", "income_over_50k",
    ]
    assert set(adult["income"]) == {"<=50K", ">50K"}  # the test part's trailing dots are gone
    assert sorted(adult["sex"].unique()) == ["Female", "Male"]
    assert sorted(adult["race"].unique()) == [
        "Amer-Indian-Eskimo", "Asian-Pac-Islander", "Black", "Other", "White"]
    assert (adult["income_over_50k"] == (adult["income"] == ">50K")).all()
    text = [c for c in adult.columns if not pd.api.types.is_numeric_dtype(adult[c])]
    assert len(text) == 9
    for col in text:
        values = adult[col].dropna()
        assert not values.eq("?").any() and not values.str.startswith(" ").any(), col
    assert adult["age"].dtype.kind == "i"


def test_adult_figures_published_in_adult_names(adult, datasets_home):
    # "48842 instances ... (train=32561, test=16281)"; "45222 if instances with unknown values
    # are removed (train=30162, test=15060)"; "Probability for the label '>50K': 23.93%".
    assert len(adult.dropna()) == 45222
    assert len(load_adult(data_home=datasets_home).dropna()) == 30162
    assert round(100 * adult["income_over_50k"].mean(), 2) == 23.93
    missing = adult.isna().sum()
    assert set(missing[missing > 0].index) == {"workclass", "occupation", "native-country"}


def test_adult_counts_by_sex_equal_a_recount_of_the_raw_files(datasets_home):
    for split, name, skip in [("train", "adult.data", 0), ("test", "adult.test", 1)]:
        df = load_adult(data_home=datasets_home, split=split)
        fields = [line.split(", ") for line in _raw_lines(datasets_home / name, skip)]
        assert len(fields) == len(df)
        for sex in ["Female", "Male"]:
            assert (df["sex"] == sex).sum() == sum(f[9] == sex for f in fields)
            rich = sum(f[9] == sex and f[14].startswith(">50K") for f in fields)
            assert ((df["sex"] == sex) & (df["income_over_50k"] == 1)).sum() == rich
    train = load_adult(data_home=datasets_home)
    assert train["sex"].value_counts().to_dict() == {"Male": 21790, "Female": 10771}
    assert train["income_over_50k"].sum() == 7841


def test_adult_audit_by_sex(adult):
    result = ba.audit(adult, y_true=None, y_pred="income_over_50k", protected="sex")
    rates = result.group_metrics.set_index("group")["selection_rate"]
    assert rates["Female"] == pytest.approx(1769 / 16192)
    assert rates["Male"] == pytest.approx(9918 / 32650)


def test_adult_rejects_an_unknown_split(datasets_home):
    with pytest.raises(ba.InvalidParameterError, match=r"load_adult\(\): `split` must be one of .*'tests'.*did you mean 'test'"):
        load_adult(data_home=datasets_home, split="tests")


# --------------------------------------------------------------------------- German credit


@pytest.fixture(scope="module")
def german(datasets_home):
    return load_german_credit(data_home=datasets_home)


def test_german_shape_and_column_names(german):
    assert german.shape == (1000, 24)
    assert list(german.columns[:21]) == [
        "status", "duration", "credit_history", "purpose", "credit_amount", "savings",
        "employment_since", "installment_rate", "personal_status_sex", "other_debtors",
        "residence_since", "property", "age", "other_installment_plans", "housing",
        "existing_credits", "job", "people_liable", "telephone", "foreign_worker", "class",
    ]
    assert list(german.columns[21:]) == ["sex", "age_band", "good_credit"]
    assert german.loc[0, ["status", "duration", "personal_status_sex", "age", "class"]].tolist() == [
        "A11", 6, "A93", 67, 1]


def test_german_figures_equal_a_recount_of_the_raw_file(german, datasets_home):
    fields = [line.split() for line in _raw_lines(datasets_home / "german.data")]
    assert len(fields) == 1000 and all(len(f) == 21 for f in fields)
    codes = pd.Series([f[8] for f in fields]).value_counts().to_dict()
    assert codes == {"A93": 548, "A92": 310, "A94": 92, "A91": 50}  # A95 never occurs
    assert german["personal_status_sex"].value_counts().to_dict() == codes
    assert german["good_credit"].sum() == sum(f[20] == "1" for f in fields) == 700
    assert german["sex"].value_counts().to_dict() == {"male": 690, "female": 310}
    good_women = sum(f[8] == "A92" and f[20] == "1" for f in fields)
    assert good_women == 201
    assert german.groupby("sex")["good_credit"].sum().to_dict() == {"female": 201, "male": 499}


def test_german_age_bands(german):
    assert list(german["age_band"].cat.categories) == ["<25", "25-59", ">=60"]
    assert german["age_band"].cat.ordered
    assert german["age_band"].value_counts(sort=False).tolist() == [149, 800, 51]
    assert german.loc[german["age"] == 24, "age_band"].eq("<25").all()
    assert german.loc[german["age"] == 25, "age_band"].eq("25-59").all()
    assert german.loc[german["age"] == 60, "age_band"].eq(">=60").all()
    assert german.groupby("age_band", observed=True)["good_credit"].sum().tolist() == [88, 574, 38]


def test_german_audit_by_sex_and_age_band(german):
    result = ba.audit(german, y_true=None, y_pred="good_credit", protected=["sex", "age_band"],
                      intersections=False)
    sr = result.group_metrics.set_index(["attribute", "group"])["selection_rate"]
    assert sr[("sex", "female")] == pytest.approx(201 / 310)
    assert sr[("age_band", "<25")] == pytest.approx(88 / 149)


# --------------------------------------------------------------------------- downloads


@pytest.fixture
def mirror(tmp_path, datasets_home, monkeypatch):
    """A local mirror of the reference files, named by BIASAUDIT_DATA_URL (never the network)."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for name in CHECKSUMS:
        shutil.copyfile(datasets_home / name, folder / name)
    monkeypatch.setenv("BIASAUDIT_DATA_URL", folder.as_uri())
    return folder


@pytest.mark.parametrize(("loader", "files", "rows"), [
    (load_german_credit, ["german.data"], 1000),
    (load_compas, ["compas-scores-two-years.csv"], 6172),
    (lambda **kw: load_adult(split="both", **kw), ["adult.data", "adult.test"], 48842),
])
def test_download_fetches_verifies_and_keeps_the_file(mirror, tmp_path, loader, files, rows):
    home = tmp_path / "new" / "home"  # created on demand
    assert len(loader(data_home=home, download=True)) == rows
    assert sorted(p.name for p in home.iterdir()) == sorted(files)  # no temporary files left
    for name in files:
        assert hashlib.sha256((home / name).read_bytes()).hexdigest() == CHECKSUMS[name]
    shutil.rmtree(mirror)  # the second load reads the saved copy, no download
    assert len(loader(data_home=home)) == rows
    assert len(loader(data_home=home, download=True)) == rows


def test_a_corrupted_download_is_deleted_and_refused(mirror, tmp_path):
    with open(mirror / "german.data", "ab") as fh:
        fh.write(b"A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1\n")
    home = tmp_path / "home"
    with pytest.raises(ba.exceptions.DataChecksumError,
                       match=r"load_german_credit\(\): the file downloaded from file://.*german.data has "
                             r"SHA-256 [0-9a-f]{64}, expected b21f3d81.*deleted"):
        load_german_credit(data_home=home, download=True)
    assert list(home.iterdir()) == []


def test_a_failed_download_says_what_failed_and_how_to_fix_it(tmp_path, monkeypatch):
    monkeypatch.setenv("BIASAUDIT_DATA_URL", (tmp_path / "offline").as_uri())
    home = tmp_path / "home"
    with pytest.raises(ba.AuditError, match=r"load_adult\(\): could not download adult.data from "
                                            r"file://.*offline/adult.data \(.*\)\. Hint: .*put it into the data home") as info:
        load_adult(data_home=home, download=True)
    assert "\n" not in str(info.value)
    assert not isinstance(info.value, ba.exceptions.DataChecksumError)
    assert list(home.iterdir()) == []


def test_a_present_file_is_checked_not_replaced(mirror, tmp_path, datasets_home):
    home = tmp_path / "home"
    home.mkdir()
    bad = home / "german.data"
    bad.write_bytes((datasets_home / "german.data").read_bytes() + b"\n")
    with pytest.raises(ba.exceptions.DataChecksumError, match=r"german.data has SHA-256 .*replace it"):
        load_german_credit(data_home=home, download=True)
    assert bad.stat().st_size == (datasets_home / "german.data").stat().st_size + 1


def test_without_download_a_missing_file_names_the_source(tmp_path, monkeypatch):
    monkeypatch.delenv("BIASAUDIT_DATA_URL", raising=False)
    with pytest.raises(ba.AuditError, match=r"german.data is not in the data home .*BIASAUDIT_DATA.*"
                                            r"download=True .*archive.ics.uci.edu.*/german.data"):
        load_german_credit(data_home=tmp_path)
    with pytest.raises(ba.AuditError, match=r"download=True to fetch it from https://raw.githubusercontent.com/propublica"):
        load_compas(data_home=tmp_path)
    assert all(url.startswith("https://") for url in SOURCES.values())
    assert set(SOURCES) == set(CHECKSUMS)


def test_download_must_be_a_bool(tmp_path):
    with pytest.raises(ba.InvalidParameterError, match=r"load_german_credit\(\): `download` must be True or False; got 'yes'"):
        load_german_credit(data_home=tmp_path, download="yes")


# --------------------------------------------------------------------------- list_datasets


def test_list_datasets_reports_presence_and_true_row_counts(tmp_path, datasets_home):
    empty = list_datasets(data_home=tmp_path)
    assert list(empty.columns) == ["name", "loader", "files", "rows", "present", "description"]
    assert empty["name"].tolist() == ["adult", "compas", "german_credit"]
    assert not empty["present"].any()
    full = list_datasets(data_home=datasets_home).set_index("name")
    assert full["present"].all()
    assert set(f for files in full["files"] for f in files) == set(CHECKSUMS)
    loaded = {
        "adult": len(load_adult(data_home=datasets_home, split="both")),
        "compas": len(load_compas(data_home=datasets_home, cohort="all")),
        "german_credit": len(load_german_credit(data_home=datasets_home)),
    }
    assert full["rows"].to_dict() == loaded
    for loader in full["loader"]:
        assert callable(getattr(ba.datasets, loader))
    shutil.copyfile(datasets_home / "adult.data", tmp_path / "adult.data")  # one of two files
    assert not list_datasets(data_home=tmp_path).set_index("name").loc["adult", "present"]


# --------------------------------------------------------------------------- synthetic decisions


def _audit_vs_truth(synth, intersections):
    result = ba.audit(synth.data, y_true="y_true", y_pred="y_pred", protected=list(synth.attributes),
                      intersections=intersections)
    measured = {(r["attribute"], r["group"]): r for r in result.group_metrics.to_dict("records")}
    rows = []
    for t in synth.truth.to_dict("records"):
        m = measured[(t["attribute"], t["group"])]
        positives = m["true_positives"] + m["false_negatives"]
        denominators = {"selection_rate": m["n"], "base_rate": m["n"],
                        "true_positive_rate": positives, "false_positive_rate": m["n"] - positives}
        for rate in RATES:
            p, n = t[rate], denominators[rate]
            rows.append((t["attribute"], t["group"], rate, m[rate], p, 4 * math.sqrt(p * (1 - p) / n)))
    return rows


def test_audit_recovers_the_default_injected_rates():
    synth = make_biased_classification(200_000, rng=20240601)
    rows = _audit_vs_truth(synth, intersections=True)
    assert len(rows) == 17 * 4
    off = [r for r in rows if abs(r[3] - r[4]) >= r[5]]
    assert not off, off


def test_audit_recovers_injected_rates_of_every_kind_and_intersection():
    synth = make_biased_classification(
        150_000,
        groups={"sex": {"female": 0.4, "male": 0.6}, "race": list("ABC"), "age": {"young": 0.3, "old": 0.7}},
        base_rate=0.3,
        tpr=0.7,
        fpr=0.2,
        base_rate_disparity={"race": {"B": 0.1}},
        selection_disparity={"age": {"young": -0.05}},
        tpr_disparity={"sex": {"female": -0.1}, ("sex", "race"): {("female", "C"): -0.15}},
        fpr_disparity={"race & age": {("A", "old"): 0.1}},
        rng=7,
    )
    attributes = list(synth.truth["attribute"].unique())
    assert attributes == ["sex", "race", "age", "sex & race & age", "sex & race", "race & age"]
    rows = _audit_vs_truth(synth, intersections="all")
    off = [r for r in rows if abs(r[3] - r[4]) >= r[5]]
    assert not off, off


def test_truth_is_exact_for_the_defaults():
    truth = make_biased_classification(10, rng=0).truth.set_index(["attribute", "group"])
    assert truth.loc[("sex", "female"), "true_positive_rate"] == pytest.approx(0.9 * 0.65 + 0.1 * 0.45)
    assert truth.loc[("sex", "male"), "true_positive_rate"] == pytest.approx(0.785)
    assert truth.loc[("race", "D"), "true_positive_rate"] == pytest.approx(0.55)
    assert truth.loc[("race", "D"), "false_positive_rate"] == pytest.approx(0.08)
    assert truth.loc[("sex & race", ("female", "D")), "true_positive_rate"] == pytest.approx(0.45)
    assert truth["base_rate"].tolist() == pytest.approx([0.4] * 17)
    sr = truth["selection_rate"]
    # a four-fifths violation for race D, none for sex
    assert sr[("race", "D")] / sr[("race", "A")] == pytest.approx(0.268 / 0.362)
    assert sr[("race", "D")] / sr[("race", "A")] < 0.8 < sr[("sex", "female")] / sr[("sex", "male")]


def test_the_default_demo_sample_shows_the_injected_disadvantage():
    synth = make_biased_classification(rng=0)
    assert len(synth.data) == 10_000
    result = ba.audit(synth.data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"])
    flagged = result.four_fifths.query("flagged and attribute in ['sex', 'race']")
    assert list(zip(flagged["attribute"], flagged["group"])) == [("race", "D")]
    tpr = result.group_metrics.set_index(["attribute", "group"])["true_positive_rate"]
    assert tpr[("sex", "female")] < tpr[("sex", "male")] - 0.1
    assert tpr[("race", "D")] < tpr[("race", "A")] - 0.1


def test_selection_disparity_moves_both_error_rates_and_the_selection_rate():
    synth = make_biased_classification(10, groups={"g": ["a", "b"]}, selection_disparity={"g": {"b": 0.1}},
                                       base_rate=0.3, tpr=0.6, fpr=0.2, rng=0)
    t = synth.truth.set_index("group")
    assert t.loc["b", "true_positive_rate"] - t.loc["a", "true_positive_rate"] == pytest.approx(0.1)
    assert t.loc["b", "false_positive_rate"] - t.loc["a", "false_positive_rate"] == pytest.approx(0.1)
    assert t.loc["b", "selection_rate"] - t.loc["a", "selection_rate"] == pytest.approx(0.1)
    assert t["base_rate"].tolist() == pytest.approx([0.3, 0.3])


def test_custom_groups_without_offsets_have_no_disparity():
    synth = make_biased_classification(10, groups={"sex": ["f", "m"], "race": ["x", "y", "z"]}, rng=0)
    assert synth.truth["true_positive_rate"].tolist() == pytest.approx([0.8] * 11)
    assert synth.truth["false_positive_rate"].tolist() == pytest.approx([0.12] * 11)
    assert synth.parameters["tpr_disparity"] == {}
    none = make_biased_classification(10, tpr_disparity={}, fpr_disparity={}, rng=0)
    assert none.truth["selection_rate"].tolist() == pytest.approx([0.4 * 0.8 + 0.6 * 0.12] * 17)


def test_intersection_keys_by_tuple_or_by_audit_name_agree():
    a = make_biased_classification(50, tpr_disparity={("race", "sex"): {("D", "female"): -0.1}}, rng=3)
    b = make_biased_classification(50, tpr_disparity={"race & sex": {("D", "female"): -0.1}}, rng=3)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    row = a.truth[a.truth["attribute"] == "race & sex"].set_index("group").loc[[("D", "female")]]
    assert row["true_positive_rate"].iloc[0] == pytest.approx(0.7)


def test_data_layout():
    synth = make_biased_classification(500, groups={"sex": {"f": 0.3, "m": 0.7}, "band": [1, 2, 3]}, rng=5)
    df = synth.data
    assert list(df.columns) == ["sex", "band", "y_true", "y_pred"]
    assert list(df["sex"].cat.categories) == ["f", "m"] and list(df["band"].cat.categories) == [1, 2, 3]
    assert df["y_true"].dtype == np.int8 and set(df["y_true"]) <= {0, 1} and set(df["y_pred"]) <= {0, 1}
    assert synth.attributes == ("sex", "band")
    assert repr(synth) == "SyntheticAudit(n_samples=500, attributes=('sex', 'band'), truth=11 rows)"
    assert isinstance(synth, SyntheticAudit)
    with pytest.raises(dataclasses.FrozenInstanceError):
        synth.data = None


def test_rng_makes_the_sample_reproducible():
    a = make_biased_classification(1000, rng=42).data
    pd.testing.assert_frame_equal(a, make_biased_classification(1000, rng=42).data)
    pd.testing.assert_frame_equal(a, make_biased_classification(1000, rng=np.random.default_rng(42)).data)
    pd.testing.assert_frame_equal(a, make_biased_classification(1000, rng=np.random.SeedSequence(42)).data)
    assert not a.equals(make_biased_classification(1000, rng=43).data)
    # the truth does not depend on the sample
    pd.testing.assert_frame_equal(make_biased_classification(5, rng=1).truth,
                                  make_biased_classification(50, rng=2).truth)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_samples": 0}, r"`n_samples` must be an integer >= 1; got 0"),
    ({"n_samples": 10.0}, r"`n_samples` must be an integer >= 1; got 10.0"),
    ({"n_samples": True}, r"`n_samples` must be an integer >= 1; got True"),
    ({"rng": "seed"}, r"`rng` must be None, an int, a SeedSequence or a Generator; got 'seed'"),
    ({"base_rate": 1.0}, r"`base_rate` must be a number in \(0, 1\); got 1.0"),
    ({"tpr": 1.2}, r"`tpr` must be a number in \[0, 1\]; got 1.2"),
    ({"fpr": float("nan")}, r"`fpr` must be a number in \[0, 1\]; got nan"),
    ({"groups": {}}, r"`groups` must be a non-empty dict .* Hint: groups="),
    ({"groups": {"sex": ["f"]}}, r"`groups\['sex'\]` must name two or more distinct groups; got \['f'\]"),
    ({"groups": {"sex": "fm"}}, r"`groups\['sex'\]` must be a dict \{group: share\} or a list of groups"),
    ({"groups": {"sex": {"f": 0.5, "m": 0.6}}}, r"shares of `groups\['sex'\]` must be positive and sum to 1.*Hint"),
    ({"groups": {"y_true": ["a", "b"]}}, r"`groups` keys must be attribute names"),
    ({"tpr_disparity": {"gender": {"female": -0.1}}}, r"`tpr_disparity` keys must be an attribute of `groups` .*\['sex', 'race'\]; got 'gender'"),
    ({"tpr_disparity": {"sex": {"woman": -0.1}}}, r"`tpr_disparity\['sex'\]`: 'woman' is not a group of 'sex'; groups are \['female', 'male'\]"),
    ({"fpr_disparity": {("sex", "race"): {"female": 0.1}}}, r"keys must be tuples of 2 group labels, one for each of \['sex', 'race'\]; got 'female'"),
    ({"fpr_disparity": {"sex": {"male": "high"}}}, r"`fpr_disparity\['sex'\]\['male'\]` must be a finite number; got 'high'"),
    ({"fpr_disparity": [("sex", 0.1)]}, r"`fpr_disparity` must be a dict"),
    ({"selection_disparity": {"sex": 0.1}}, r"`selection_disparity\['sex'\]` must be a dict \{group: offset\}; got 0.1"),
    ({"tpr_disparity": {"sex": {"male": 0.3}}}, r"give a true positive rate of 1.1 for sex='male', race='A' \(5 cell\(s\) outside \[0, 1\]\)\. Hint"),
    ({"base_rate_disparity": {"race": {"E": -0.4}}}, r"give a base rate of 0 for sex='female', race='E' \(2 cell\(s\) outside \(0, 1\)\)"),
])
def test_argument_validation(kwargs, match):
    with pytest.raises(ba.InvalidParameterError, match=r"make_biased_classification\(\): (.*)?" + match):
        make_biased_classification(**{"n_samples": 10, **kwargs})


@settings(max_examples=30, deadline=None)
@given(
    shares=st.lists(st.floats(0.05, 1.0), min_size=2, max_size=4),
    offsets=st.lists(st.floats(-0.1, 0.1), min_size=3, max_size=3),
)
def test_truth_is_consistent_for_any_offsets(shares, offsets):
    total = sum(shares)
    groups = {"a": {i: s / total for i, s in enumerate(shares)}, "b": ["u", "v"]}
    groups["a"][0] += 1 - sum(groups["a"].values())  # exact sum after rounding
    synth = make_biased_classification(
        1, groups=groups, base_rate_disparity={"a": {0: offsets[0]}}, tpr_disparity={"b": {"v": offsets[1]}},
        fpr_disparity={("a", "b"): {(1, "u"): offsets[2]}}, rng=0)
    t = synth.truth
    implied = t["base_rate"] * t["true_positive_rate"] + (1 - t["base_rate"]) * t["false_positive_rate"]
    np.testing.assert_allclose(t["selection_rate"], implied)
    by_attr = t.assign(w=t["share"] * t["selection_rate"]).groupby("attribute")
    np.testing.assert_allclose(by_attr["share"].sum(), 1.0)
    overall = by_attr["w"].sum().to_numpy()
    np.testing.assert_allclose(overall, overall[0])


def test_injected_disparities_lie_within_the_audit_intervals():
    synthetic = ba.datasets.make_biased_classification(40_000, rng=12)
    result = ba.audit(synthetic.data, y_true="y_true", y_pred="y_pred", protected=["sex", "race"],
                      intersections=False, confidence_level=0.999, metrics=["selection_rate", "tpr", "fpr"])
    truth = {(r["attribute"], r["group"]): r for r in synthetic.truth.to_dict(orient="records")}
    d = result.disparities.query("verdict != 'reference'")
    assert len(d) == 3 * 5
    for row in d.itertuples(index=False):
        true_gap = truth[(row.attribute, row.group)][row.metric] - truth[(row.attribute, row.reference)][row.metric]
        assert row.ci_low <= true_gap <= row.ci_high, (row.attribute, row.group, row.metric, true_gap)
    # and the injected disadvantages are found
    found = d[d["verdict"] == "disparity"]
    assert {("sex", "true_positive_rate"), ("race", "true_positive_rate")} <= set(zip(found.attribute, found.metric))
