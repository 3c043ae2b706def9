"""docs/what_if.ipynb runs headless, end to end (nbclient + ipykernel from Debian), and its
cells produce the tables a reader sees."""
import os

import pytest

import synth

NOTEBOOK = synth.REPO / "docs" / "what_if.ipynb"


def test_what_if_notebook_runs_end_to_end(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    if not (synth.REPO / "scenarios" / "ttp" / "police_reform.yaml").exists():
        pytest.skip("no TTP scenarios in this checkout")
    # the kernel inherits this environment: the checkout's package and its compiled module
    monkeypatch.setenv("PYTHONPATH", synth.python_env()["PYTHONPATH"])
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html_tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("police killed" in t for t in html_tables)          # the outcomes table
    assert any("averted (mean)" in t for t in html_tables)         # the effects table
    assert any("Khyber Pakhtunkhwa" in t for t in html_tables)     # attacks by province name
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the figure
    assert os.path.exists(NOTEBOOK)
