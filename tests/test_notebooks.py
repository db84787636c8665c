"""Notebooks cannot rot: each runs top to bottom in a real Jupyter kernel (nbclient + ipykernel).

The kernel is a separate process started from this interpreter, so it imports the same
biasaudit (the environment, including PYTHONPATH and BIASAUDIT_DATA, is inherited). A cell that
raises fails the test with the cell's traceback; the executed notebook is not written back.
Each notebook runs in a temporary folder, prints its key figures on a ``CHECK {json}`` line
and leaves its files there; the checks below recompute those figures from the files with
pandas, scikit-learn, statsmodels or DuckDB, never with biasaudit.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _outputs(nb, output_type):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out["output_type"] == output_type:
                yield out


def _check_line(nb) -> dict:
    lines = [line for out in _outputs(nb, "stream") for line in out["text"].splitlines()
             if line.startswith("CHECK ")]
    assert len(lines) == 1, lines
    return json.loads(lines[0][len("CHECK "):])


def _weighted_rate(frame, column, by, weight):
    w = frame[weight].astype(float)
    return (frame[column] * w).groupby(frame[by]).sum() / w.groupby(frame[by]).sum()


def check_adult(check, folder, nb):
    metrics = pytest.importorskip("sklearn.metrics")
    pred = pd.read_csv(folder / "adult-test-predictions.csv")
    assert len(pred) == 16281
    rates = _weighted_rate(pred, "decision", "sex", "fnlwgt")
    for sex in ("Female", "Male"):
        assert check["selection_rate"][sex] == pytest.approx(rates[sex], rel=1e-12)
        part = pred[pred["sex"] == sex]
        auc = metrics.roc_auc_score(part["income_over_50k"], part["score"], sample_weight=part["fnlwgt"])
        assert check["roc_auc"][sex] == pytest.approx(auc, rel=1e-12)
    assert check["selection_rate"]["Female"] < 0.5 * check["selection_rate"]["Male"]
    assert len(list(_outputs(nb, "display_data"))) >= 2  # the displays' figures were drawn


def check_ombudsman(check, folder, nb):
    decisions = pd.read_csv(folder / "qerarlar.csv")
    assert len(decisions) == 1000
    recount = decisions.groupby("cins")["qerar"].mean()
    assert check["selection_rate"] == pytest.approx(recount.to_dict(), rel=1e-12)
    assert check["language"] == "az"
    report = json.loads((folder / "hesabat" / "report.json").read_text(encoding="utf-8"))
    women = [f for f in report["findings"] if f["group"] == "qadın"]
    assert women and "D7" in women[0]["provisions"] and women[0]["vulnerable"] == ["women"]
    assert 'lang="az"' in (folder / "hesabat" / "report.html").read_text(encoding="utf-8")
    assert report["scope"]["system"] == "Kredit müraciətlərinin qiymətləndirilməsi"


def check_regulator(check, folder, nb):
    assert check["statuses"] == [1, 2, 0]
    summary = pd.read_csv(folder / "batch" / "summary.csv").set_index("entry")
    assert summary["fails"].to_dict() == {"compas": "yes", "credit": "yes", "hiring": "no"}
    assert summary.loc["compas", "rows"] == 6172 and summary.loc["credit", "rows"] == 1000
    assert (folder / "batch" / "compas" / "report.html").is_file()
    broken = pd.read_csv(folder / "batch-broken" / "summary.csv").set_index("entry")
    assert broken.loc["credit", "status"] == "failed" and "approved" in broken.loc["credit", "error"]


def check_compas(check, folder, nb):
    side = pd.read_csv(folder / "propublica-side-by-side.csv").set_index("figure")
    published = {"coefficient: African-American": 0.47721, "coefficient: female": 0.22127,
                 "coefficient: under 25": 1.30839, "false positive rate, Black": 0.449,
                 "false positive rate, white": 0.235}
    assert side["ProPublica"].loc[list(published)].to_dict() == published
    from biasaudit.datasets import load_compas

    df = load_compas()
    flagged = df["score_text"].isin(["Medium", "High"])
    for race, label in (("African-American", "Black"), ("Caucasian", "white")):
        negatives = (df["race"] == race) & (df["two_year_recid"] == 0)
        assert side.loc[f"false positive rate, {label}", "this audit"] == pytest.approx(
            flagged[negatives].mean(), rel=1e-12)
    assert flagged[(df["race"] == "African-American") & (df["two_year_recid"] == 0)].sum() == 641
    assert check["false_positive_rate"]["African-American"] == pytest.approx(641 / 1514, rel=1e-12)
    smf = pytest.importorskip("statsmodels.formula.api")
    data = df.assign(flagged=flagged.astype(int), black=(df["race"] == "African-American").astype(int))
    # an independent fit of one coefficient's sign and size: the race term stays near 0.48
    fit = smf.logit("flagged ~ C(sex) + C(age_cat) + C(race, Treatment('Caucasian')) + priors_count"
                    " + C(c_charge_degree) + two_year_recid", data).fit(disp=0)
    term = "C(race, Treatment('Caucasian'))[T.African-American]"
    assert side.loc["coefficient: African-American", "this audit"] == pytest.approx(fit.params[term], rel=1e-9)


def check_large(check, folder, nb):
    duckdb = pytest.importorskip("duckdb")
    assert check["n_rows"] == 3_000_000
    con = duckdb.connect()
    rows = con.execute(
        "SELECT region, avg(y_pred), sum(y_pred * y_true) / sum(y_true) FROM read_parquet(?) GROUP BY region",
        [str(folder / "decisions" / "*.parquet")]).fetchall()
    assert {r for r, _, _ in rows} == set(check["selection_rate"])
    for region, selection, tpr in rows:
        assert check["selection_rate"][region] == pytest.approx(selection, rel=1e-12)
        assert check["true_positive_rate"][region] == pytest.approx(tpr, rel=1e-12)
    assert check["true_positive_rate"]["Bakı"] - check["true_positive_rate"]["Şəki"] == pytest.approx(0.08, abs=0.01)


CHECKS = {
    "01-adult-model-audit.ipynb": check_adult,
    "02-ombudsman-azerbaijani-report.ipynb": check_ombudsman,
    "03-regulator-batch-ci-gate.ipynb": check_regulator,
    "04-compas-propublica.ipynb": check_compas,
    "05-large-data-duckdb-dask.ipynb": check_large,
}


def test_every_notebook_has_its_output_checks():
    assert [p.name for p in NOTEBOOKS] == sorted(CHECKS)


def test_the_checks_fail_on_wrong_figures(tmp_path):
    frame = pd.DataFrame({"cins": ["qadın", "kişi"] * 500, "qerar": [1, 0] * 500})
    frame.to_csv(tmp_path / "qerarlar.csv", index=False)
    with pytest.raises(AssertionError):
        check_ombudsman({"selection_rate": {"qadın": 0.5, "kişi": 0.5}, "language": "az"}, tmp_path, None)


def test_stored_notebooks_hold_no_machine_paths():
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert "/tmp/" not in text and "/home/" not in text and "/root/" not in text, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel(path, datasets_home, monkeypatch, tmp_path):
    monkeypatch.setenv("BIASAUDIT_DATA", str(datasets_home))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells and all(c.execution_count is not None for c in code_cells)
    assert not list(_outputs(nb, "error"))
    CHECKS[path.name](_check_line(nb), tmp_path, nb)
