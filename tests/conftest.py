"""Shared fixtures: one gazetteer index built per test session, and the path to the evaluation data."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory) -> Path:
    """The session's gazetteer cache: ``$GEOEVENTS_TEST_CACHE`` when set (to reuse a build across runs)."""
    reuse = os.environ.get("GEOEVENTS_TEST_CACHE")
    path = Path(reuse) if reuse else tmp_path_factory.mktemp("gazetteer-cache")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def gazetteer(cache_dir):
    from geoevents import Gazetteer

    return Gazetteer(cache_dir=cache_dir)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data (evaluation data) is not beside this checkout")
    return SHARED_DATA


@pytest.fixture(scope="session")
def geoparser(gazetteer):
    from geoevents.geoparsing import Geoparser

    return Geoparser(gazetteer)


@pytest.fixture(scope="session")
def extractor(geoparser):
    from geoevents.events import EventExtractor

    return EventExtractor(geoparser)
