"""Every notebook in notebooks/ runs top to bottom on a fresh kernel, and is committed without outputs."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
KERNEL = "python3"
CELL_TIMEOUT_S = 300  # the first cell to load spaCy and the gazetteer takes a few seconds; a cold disk, more


def test_there_is_a_notebook():
    assert NOTEBOOKS, "notebooks/ holds no .ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has outputs: clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"
    assert nb.metadata.get("kernelspec", {}).get("name") == KERNEL


def _kernel_env(tmp_path: Path) -> dict:
    """A python3 kernel spec that is sure to exist: ipykernel's own, written into tmp_path when none is installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    env = {}
    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        from ipykernel.kernelspec import write_kernel_spec

        write_kernel_spec(tmp_path / "jupyter" / "kernels" / KERNEL)
        env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(tmp_path / "jupyter"), os.environ.get("JUPYTER_PATH")]))
    return env


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path, cache_dir, gazetteer, tmp_path, monkeypatch):
    # The gazetteer fixture has built the session's index, so the kernel only opens it.
    work, out = tmp_path / "cwd", tmp_path / "out"
    work.mkdir()
    kernel_env = _kernel_env(tmp_path)
    for name, value in kernel_env.items():
        monkeypatch.setenv(name, value)   # the kernel spec lookup happens in this process
    env = {
        **os.environ,
        **kernel_env,
        "GEOEVENTS_CACHE_DIR": str(cache_dir),
        "GEOEVENTS_NOTEBOOK_OUT": str(out),
        # The kernel imports this checkout, not whatever geoevents is installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name=KERNEL,
                                     resources={"metadata": {"path": str(work)}})
    client.execute(env=env)   # raises CellExecutionError, naming the cell, on the first error

    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert not any(work.iterdir()), "the notebook wrote into its working folder instead of $GEOEVENTS_NOTEBOOK_OUT"
    if path.name == "explore.ipynb":
        _check_explore(nb, out)


def _check_explore(nb, out: Path) -> None:
    """What a newcomer should see: events, a plot, an inline map, and a GeoJSON file QGIS can open."""
    data = [o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in d for d in data), "no matplotlib figure"
    assert any("<Event " in d.get("text/plain", "") for d in data), "events do not print readably"
    assert any("geoevents-event" in d.get("text/html", "") for d in data), "no HTML table for an event"
    assert any("<Toponym " in d.get("text/plain", "") for d in data)
    assert any("iframe" in d.get("text/html", "") and "leaflet" in d.get("text/html", "").lower() for d in data), \
        "the map did not render inline"

    geojson = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    features = geojson["features"]
    assert geojson["type"] == "FeatureCollection" and len(features) >= 10
    first = features[0]["properties"]
    assert list(first)[:5] == ["event_id", "event_date", "time_precision", "event_type", "sub_event_type"]
    assert {f["properties"]["location"] for f in features} >= {"Al Mayadin", "Albu Kamal"}
    assert (out / "battles.geojson").is_file() and (out / "events-map.html").stat().st_size > 10_000
