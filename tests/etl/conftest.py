"""Fixtures shared by the ETL tests: a database built from the committed bundled snapshot, without the model."""

from pathlib import Path

import pytest

from etl.build import build
from etl.paths import BUNDLE_DIR


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    """Read-only for the tests that share it: copy it before changing anything."""
    if not (BUNDLE_DIR / "dataset.csv").exists():
        pytest.skip("data/bundled is missing: run `python -m etl bundle` first")
    db = tmp_path_factory.mktemp("bundled") / "labour.sqlite"
    build(db, train_model=False)
    return db
