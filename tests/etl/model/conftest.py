"""Shared fixtures for the model tests: the bundled snapshot's sector series (its database: tests/etl/conftest.py)."""

import sqlite3
from contextlib import closing

import pytest

from etl.model import features, settings
from etl.model.panel import SectorPanel
from etl.model.panel import build as build_panel


@pytest.fixture(scope="session")
def panel(bundled_db) -> SectorPanel:
    """The 80472NED sector series of the bundled snapshot as forecasting matrices."""
    config = settings.load()
    with closing(sqlite3.connect(bundled_db)) as conn:
        levels = features.read(conn, "SELECT scheme, code, level FROM sector")
        return build_panel(features.sector_vacancies(conn), levels, config["tension"]["min_filled_for_ratio"])
