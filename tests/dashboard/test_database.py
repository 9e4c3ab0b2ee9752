"""The dashboard's database access is read-only, parameterised, capped and cached per data version."""

import os
import shutil
import sqlite3

import pytest

from dashboard import database


def test_the_dashboard_cannot_write_to_the_database(db):
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
        db.connection().execute("DELETE FROM observation")


def test_observations_filter_by_any_of_several_values(db):
    rows = db.observations({"dataset_id": "cbs-85276NED", "indicator": "employed_persons",
                            "occupation_code": ["0334", "0433"], "period": "2025-Q4", "breakdown": ""})
    assert dict(zip(rows["occupation_code"], rows["value"], strict=True)) == {"0334": 118000.0, "0433": 178000.0}


def test_a_filter_on_an_unknown_column_is_refused_before_any_sql_runs(db):
    with pytest.raises(database.DatabaseError, match="cannot filter observations on 'value; DROP'"):
        db.observations({"value; DROP": "x"})


def test_a_result_over_the_row_cap_is_refused_with_a_clear_message(db):
    with pytest.raises(database.DatabaseError, match="more than 10 rows"):
        db.observations({"dataset_id": "cbs-80472NED"}, cap=10)


def test_a_repeated_query_is_answered_from_the_cache_of_the_same_data_version(db):
    first = db.observations({"indicator": "tension_ratio"})
    cached = [key for key in db._cache if key[0] == db.data_version() and "tension_ratio" in key[2]]
    second = db.observations({"indicator": "tension_ratio"})
    assert cached and first.equals(second)


def test_a_missing_database_file_gives_a_message_naming_the_build_command(tmp_path):
    missing = database.Database(tmp_path / "none.sqlite")
    with pytest.raises(database.DatabaseError, match="run `python -m etl build` first"):
        missing.query("SELECT 1")


def test_tables_by_prefix_treats_the_underscore_literally_and_finds_the_model_tables(db):
    assert db.tables("model_") == ["model_forecast", "model_prediction", "model_reliability", "model_score",
                                   "model_scorecard", "model_setting", "model_shown", "model_target"]


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty"), (b"garbage\n" * 1000, "damaged")])
def test_an_empty_or_garbage_file_is_refused_the_same_way_on_every_query(tmp_path, content, reason):
    path = tmp_path / "labour.sqlite"
    path.write_bytes(content)
    broken = database.Database(path)
    for _ in range(3):  # a second query on the same thread once met a half-set connection (AttributeError)
        with pytest.raises(database.DatabaseUnavailable) as refused:
            broken.query("SELECT 1")
        assert refused.value.reason == reason


def test_a_rebuild_that_changed_only_labels_is_served_without_a_stale_cache(db_path, tmp_path):
    path = tmp_path / "labour.sqlite"
    shutil.copy(db_path, path)
    served = database.Database(path)
    sql = "SELECT label_en FROM indicator WHERE indicator = 'tension_ratio'"
    before = served.query(sql)["label_en"].iloc[0]
    rebuilt = tmp_path / "rebuilt.sqlite"
    shutil.copy(db_path, rebuilt)
    with sqlite3.connect(rebuilt) as conn:
        conn.execute("UPDATE indicator SET label_en = 'Tension (relabelled)' WHERE indicator = 'tension_ratio'")
    conn.close()
    os.replace(rebuilt, path)  # as a build swaps its new file in: same observations, so the same data_version
    assert served.query(sql)["label_en"].iloc[0] == "Tension (relabelled)" != before
