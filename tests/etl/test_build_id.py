"""The build id: a database built from this checkout is up to date; a changed bundle, definition or code makes it stale."""

import sqlite3
from contextlib import closing

import pytest

from etl import build_id, cli
from etl.build import build
from tests.etl.core_fixtures import write_bundle


@pytest.fixture
def built(tmp_path):
    bundle = write_bundle(tmp_path / "bundle")
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    return db, bundle


def test_a_database_built_from_this_checkout_carries_its_build_id_and_is_not_stale(built):
    db, bundle = built
    assert build_id.of_database(db) == build_id.compute(bundle)
    assert len(build_id.compute(bundle)) == build_id.LENGTH
    assert build_id.staleness(db, bundle) is None


def test_a_changed_bundle_file_makes_the_database_stale_and_says_which_ids_differ(built):
    db, bundle = built
    before = build_id.compute(bundle)
    (bundle / "dataset.csv").write_text((bundle / "dataset.csv").read_text("utf-8") + "\n", "utf-8")
    after = build_id.compute(bundle)
    assert after != before
    assert build_id.staleness(db, bundle) == (f"built from another bundle, other definitions or other code "
                                              f"(build id {before}, this checkout {after})")


def test_a_changed_etl_file_changes_the_build_id(built, tmp_path, monkeypatch):
    _, bundle = built
    code = tmp_path / "etl"
    (code / "definitions").mkdir(parents=True)
    (code / "definitions" / "sectors.toml").write_text("[a]\n", "utf-8")
    (code / "__pycache__").mkdir()
    (code / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"ignored")
    monkeypatch.setattr(build_id, "ETL_DIR", code)
    before = build_id.compute(bundle)
    (code / "__pycache__" / "build.cpython-311.pyc").write_bytes(b"still ignored")
    assert build_id.compute(bundle) == before
    (code / "definitions" / "sectors.toml").write_text("[b]\n", "utf-8")
    assert build_id.compute(bundle) != before


def test_a_missing_or_older_database_is_stale(built, tmp_path):
    db, bundle = built
    assert build_id.staleness(tmp_path / "absent.sqlite", bundle) == "it does not exist"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM build_info WHERE key = 'build_id'")
    assert build_id.staleness(db, bundle) == "it has no build id (built by an older version, or damaged)"


def test_build_if_stale_rebuilds_only_a_stale_database_and_says_so_in_one_line(built, monkeypatch, capsys):
    db, bundle = built
    monkeypatch.setattr(cli, "BUNDLE_DIR", bundle)
    before = db.read_bytes()
    assert cli.run(["build", "--if-stale", "--no-model", "--db", str(db)]) == 0
    assert capsys.readouterr().out == f"{db} is up to date (build id {build_id.compute(bundle)})\n"
    assert db.read_bytes() == before
    (bundle / "dataset.csv").write_text((bundle / "dataset.csv").read_text("utf-8") + "\n", "utf-8")
    assert cli.run(["build", "--if-stale", "--no-model", "--db", str(db)]) == 0
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith(f"rebuilding {db}: built from another bundle, other definitions or other code")
    assert second == f"built {db}: 3 observations in 2 datasets"
    assert build_id.staleness(db, bundle) is None
