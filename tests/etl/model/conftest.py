"""Shared fixtures for the model tests: a database built from the committed bundled snapshot, without the model."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from etl.build import build
from etl.model import features, settings
from etl.model.panel import SectorPanel
from etl.model.panel import build as build_panel
from etl.paths import BUNDLE_DIR


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    if not (BUNDLE_DIR / "dataset.csv").exists():
        pytest.skip("data/bundled is missing: run `python -m etl bundle` first")
    db = tmp_path_factory.mktemp("model") / "labour.sqlite"
    build(db, train_model=False)
    return db


@pytest.fixture(scope="session")
def panel(bundled_db) -> SectorPanel:
    """The 80472NED sector series of the bundled snapshot as forecasting matrices."""
    config = settings.load()
    with closing(sqlite3.connect(bundled_db)) as conn:
        levels = features.read(conn, "SELECT scheme, code, level FROM sector")
        return build_panel(features.sector_vacancies(conn), levels, config["tension"]["min_filled_for_ratio"])
