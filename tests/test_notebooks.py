"""Notebooks cannot rot: each runs top to bottom in a real Jupyter kernel (nbclient + ipykernel).

The kernel is a separate process started from this interpreter, so it imports the same
biasaudit (the environment, including PYTHONPATH and BIASAUDIT_DATA, is inherited). A cell that
raises fails the test with the cell's traceback; the executed notebook is not written back.
"""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


def _outputs(nb, output_type):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out["output_type"] == output_type:
                yield out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_a_kernel(path, datasets_home, monkeypatch, tmp_path):
    monkeypatch.setenv("BIASAUDIT_DATA", str(datasets_home))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError, with the traceback, if a cell fails
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells and all(c.execution_count is not None for c in code_cells)
    assert not list(_outputs(nb, "error"))
    # results are shown: at least one rich or printed output
    assert list(_outputs(nb, "execute_result")) or list(_outputs(nb, "stream"))
