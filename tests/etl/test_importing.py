"""An import that cannot be used changes nothing: no snapshot is kept and the database stays as it was."""

from types import SimpleNamespace

import pytest

from etl import importing, sources
from etl.build import build
from etl.errors import InputError
from etl.snapshot import SnapshotStore
from tests.etl.core_fixtures import write_bundle


@pytest.fixture
def built(tmp_path, monkeypatch):
    bundle = write_bundle(tmp_path / "bundle")
    db = tmp_path / "data" / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    return db, bundle


def with_source(monkeypatch, import_paths) -> None:
    """Replace every source module by one whose import_paths is the test's."""
    monkeypatch.setattr(sources, "module", lambda name: SimpleNamespace(import_paths=import_paths))


def test_a_snapshot_whose_rebuild_fails_is_removed_and_the_database_kept(built, tmp_path, monkeypatch):
    db, bundle = built
    before = db.read_bytes()
    download = tmp_path / "Vacatures.csv"
    download.write_bytes(b'"Bedrijfskenmerken";"Perioden"\n')
    with_source(monkeypatch, lambda paths, store: [store.save(
        source="cbs", key="80472NED", format="statline-csv", origin="import", files={"Vacatures.csv": download.read_bytes()},
        licence="CC BY 4.0", location=str(download))])
    monkeypatch.setattr(importing, "build", lambda path: build(path, bundle_dir=tmp_path / "no-bundle"))
    with pytest.raises(InputError, match="import rejected, database unchanged: bundled snapshot not found"):
        importing.import_files("cbs", [download], db)
    assert db.read_bytes() == before
    assert SnapshotStore(db.parent / "raw").all() == []


def test_a_file_the_source_rejects_leaves_no_trace(built, tmp_path, monkeypatch):
    db, _ = built
    before = db.read_bytes()
    download = tmp_path / "export.xlsx"
    download.write_bytes(b"not an excel file")

    def import_paths(paths, store):
        raise InputError(f"{paths[0]}: not an Arvastat export or a knelpuntberoepen list")

    with_source(monkeypatch, import_paths)
    with pytest.raises(InputError, match="export.xlsx: not an Arvastat export"):
        importing.import_files("vdab", [download], db)
    assert db.read_bytes() == before
    assert not (db.parent / "raw").exists()
