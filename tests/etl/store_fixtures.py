"""A small database with genuine CBS 80472NED / 86355NED downloads imported, for tests of the snapshot store."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from etl.build import build
from etl.snapshot import SnapshotStore
from etl.sources import cbs
from tests.etl.core_fixtures import write_bundle

CBS_FIXTURES = Path(__file__).parents[1] / "fixtures" / "cbs"
STATLINE_DATA = CBS_FIXTURES / "statline_80472ned_data.csv"
STATLINE_METADATA = CBS_FIXTURES / "statline_80472ned_metadata.csv"


def statline_folder(folder: Path, keep_lines: int | None = None) -> Path:
    """The StatLine 80472NED download and its metadata; keep_lines keeps only the header and that many data lines."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = STATLINE_DATA.read_bytes().splitlines(keepends=True)
    (folder / "Vacatures.csv").write_bytes(b"".join(lines if keep_lines is None else lines[:1 + keep_lines]))
    (folder / "Metadata.csv").write_bytes(STATLINE_METADATA.read_bytes())
    return folder


def statline_rows(keep_lines: int | None = None) -> pd.DataFrame:
    """Observations of the genuine StatLine 80472NED download, optionally only its first data lines."""
    lines = STATLINE_DATA.read_bytes().splitlines(keepends=True)
    files = {"data.csv": b"".join(lines if keep_lines is None else lines[:1 + keep_lines]),
             "metadata.csv": STATLINE_METADATA.read_bytes()}
    return cbs.parse("cbs-statline-csv", files, "").observations


def tiny_database(tmp_path: Path) -> tuple[Path, Path]:
    """(database, bundle folder): the core bundle built once, model not trained."""
    bundle = write_bundle(tmp_path / "bundle")
    db = tmp_path / "data" / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    return db, bundle


def store_of(db: Path) -> SnapshotStore:
    return SnapshotStore(db.parent / "raw")


def import_and_build(db: Path, bundle: Path, path: Path, **run) -> dict:
    cbs.import_paths([path], store_of(db))
    return build(db, bundle_dir=bundle, train_model=False, **run)


def query(db: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()
