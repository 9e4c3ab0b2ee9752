"""The build writes a new database file and swaps it in only when everything succeeded."""

import sqlite3
from contextlib import closing

import pandas as pd
import pytest

from etl import build as build_module
from etl.build import BuildError, build
from etl.observation import ObservationError
from tests.etl.core_fixtures import SOURCE, observation_rows, write_bundle


def query(db, sql):
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def bundle(tmp_path):
    return write_bundle(tmp_path / "bundle")


def test_build_loads_the_bundle_with_provenance_and_coverage(tmp_path, bundle):
    db = tmp_path / "data" / "labour.sqlite"
    summary = build(db, bundle_dir=bundle, train_model=False)
    assert summary == {"observations": 3, "datasets": 2}
    assert query(db, "SELECT value, unit FROM observation WHERE occupation_code = '0334'") == [(118000.0, "persons")]
    assert query(db, "SELECT origin, row_count, first_period, last_period FROM dataset WHERE dataset_id = 'cbs-85276NED'") \
        == [("bundled", 2, "2025-Q4", "2025-Q4")]


def test_occupation_labels_are_searchable_without_diacritics_or_case(tmp_path, bundle):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    found = query(db, "SELECT code FROM occupation_fts WHERE occupation_fts MATCH 'callcenter*'")
    assert found == [("0334",)]


def test_the_indexes_the_dashboard_queries_by_are_built_and_the_observation_key_is_unique(tmp_path, bundle):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    assert query(db, "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name") == [
        ("crosswalk", "crosswalk_reverse"), ("observation_series", "observation_by_indicator"),
        ("observation_series", "observation_by_occupation"), ("observation_series", "observation_by_sector")]
    with closing(sqlite3.connect(db)) as conn, pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        conn.execute("INSERT INTO observation SELECT * FROM observation LIMIT 1")


def test_the_observation_rows_are_stored_as_series_values_and_source_pages_each_once(tmp_path, bundle):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    assert query(db, "SELECT * FROM observation_series ORDER BY series_id") == [
        (1, "cbs-85276NED", "employed_persons", "NL", "", "brc2014", "0334", "", "", "", "persons"),
        (2, "cbs-85276NED", "employed_persons", "NL", "", "brc2014", "0433", "", "", "", "persons"),
        (3, "cbs-85517NED", "hourly_wage_median", "NL", "", "brc2014", "0433", "", "", "", "EUR/hour")]
    assert query(db, "SELECT * FROM observation_source") == [(1, SOURCE)]
    assert query(db, "SELECT * FROM observation_value ORDER BY series_id") == [
        (1, "2025-Q4", 118000.0, "final", 1), (2, "2025-Q4", 178000.0, "final", 1), (3, "2024", 20.7, "provisional", 1)]


def test_a_failing_build_keeps_the_previous_database_byte_for_byte(tmp_path, bundle):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    before = db.read_bytes()
    broken = pd.concat([observation_rows(), observation_rows().iloc[[0]]], ignore_index=True)
    (bundle / "observation" / "cbs-85276NED.csv").write_text(
        broken[broken.dataset_id == "cbs-85276NED"].to_csv(index=False))
    with pytest.raises(ObservationError, match="duplicate observation key"):
        build(db, bundle_dir=bundle, train_model=False)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".labour")] == []


def test_an_interrupted_build_leaves_no_temporary_file_and_the_old_database(tmp_path, bundle, monkeypatch):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    before = db.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "_build_info", crash)
    with pytest.raises(KeyboardInterrupt):
        build(db, bundle_dir=bundle, train_model=False)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle", "labour.sqlite"]


def test_a_missing_bundle_is_a_build_error(tmp_path):
    with pytest.raises(BuildError, match="bundled snapshot not found"):
        build(tmp_path / "labour.sqlite", bundle_dir=tmp_path / "nowhere", train_model=False)


def test_the_data_version_changes_when_the_observations_change(tmp_path, bundle):
    db = tmp_path / "labour.sqlite"
    build(db, bundle_dir=bundle, train_model=False)
    first = query(db, "SELECT value FROM build_info WHERE key = 'data_version'")
    build(db, bundle_dir=bundle, train_model=False)
    assert query(db, "SELECT value FROM build_info WHERE key = 'data_version'") == first
    rows = observation_rows()
    rows.loc[0, "value"] = 119000.0
    write_bundle(bundle, rows)
    build(db, bundle_dir=bundle, train_model=False)
    assert query(db, "SELECT value FROM build_info WHERE key = 'data_version'") != first
