"""What a non-editable install ships: the curated gazetteer files travel inside the package."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_installed_distribution_carries_the_curated_gazetteer():
    try:
        files = metadata.files("geoevents") or []
    except metadata.PackageNotFoundError:
        pytest.skip("geoevents is not installed (run from a checkout)")
    shipped = {str(f).replace("\\", "/") for f in files}
    if any("_editable_impl" in name for name in shipped) or not any(name.startswith("geoevents/") for name in shipped):
        pytest.skip("editable install: files are read from the checkout")
    for name in sorted(p.name for p in (REPO / "gazetteer").glob("*.tsv")):
        assert f"geoevents/curated/{name}" in shipped, name
    for path in sorted((REPO / "geoevents" / "lexicon").iterdir()):
        if path.suffix in (".txt", ".tsv"):
            assert f"geoevents/lexicon/{path.name}" in shipped, path.name
    assert any(name.startswith("geoevents/examples/") for name in shipped)
    for path in sorted((REPO / "geoevents" / "data").glob("*.json")):
        assert f"geoevents/data/{path.name}" in shipped, path.name


def test_curated_files_are_found_from_the_checkout_or_the_package():
    from geoevents.gazetteer.sources import curated_dir

    assert (curated_dir() / "curated.tsv").is_file()
    assert (curated_dir() / "aliases.tsv").is_file()
