"""The data product's shape: `observation` is a view with the contract's columns that behaves like a table, and the
queries the dashboard runs on it search indexes instead of scanning the values (EXPLAIN QUERY PLAN)."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from dashboard.database import observation_filter
from etl import schema
from etl.build import insert_observations
from etl.model import store
from etl.observation import COLUMNS
from tests.etl.core_fixtures import observation_rows

KEY_ORDER = ", ".join(COLUMNS[:10])
# What every lookup of the dashboard must look like: the series found through an index, their values through the
# primary key (series_id, period), the URL through its integer key. Never `SCAN v`: that reads every stored number.
BY_SERIES_INDEX = ["SEARCH v USING PRIMARY KEY (series_id=?)", "CORRELATED SCALAR SUBQUERY 3",
                   "SEARCH u USING INTEGER PRIMARY KEY (rowid=?)"]


def plan(db: Path, sql: str, params: tuple = ()) -> list[str]:
    with closing(sqlite3.connect(db)) as conn:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def observations_sql(filters: dict) -> tuple[str, tuple]:
    """The statement dashboard.database.Database.observations runs for these filters."""
    where, params = observation_filter(filters)
    return f"SELECT {', '.join(COLUMNS)} FROM observation{where} ORDER BY {KEY_ORDER}", params


def fresh() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema.TABLES)
    return conn


def test_the_observation_view_has_exactly_the_contract_columns_in_their_order():
    with closing(fresh()) as conn:
        assert [row[1] for row in conn.execute("PRAGMA table_info(observation)")] == COLUMNS


def test_an_occupation_page_finds_its_series_by_the_occupation_index(bundled_db):
    sql, params = observations_sql({"occupation_scheme": "brc2014", "occupation_code": "0334",
                                    "indicator": ["employed_persons", "hourly_wage_median"]})
    assert plan(bundled_db, sql, params) == [
        "SEARCH s USING INDEX observation_by_occupation (occupation_scheme=? AND occupation_code=? AND indicator=?)",
        *BY_SERIES_INDEX, "USE TEMP B-TREE FOR ORDER BY"]


def test_a_sector_lookup_finds_its_series_by_the_sector_index(bundled_db):
    sql, params = observations_sql({"sector_scheme": "nace2", "sector_code": "N", "indicator": "vacancies_open",
                                    "country": "NL", "region": "", "occupation_scheme": "", "breakdown": ""})
    assert plan(bundled_db, sql, params) == [
        "SEARCH s USING INDEX observation_by_sector (sector_scheme=? AND sector_code=? AND indicator=? AND country=?)",
        *BY_SERIES_INDEX, "USE TEMP B-TREE FOR ORDER BY"]


def test_a_dataset_lookup_finds_its_series_by_the_observation_key(bundled_db):
    sql, params = observations_sql({"dataset_id": "publications-customer-contact", "country": "NL",
                                    "breakdown": "sector=customer_contact"})
    assert plan(bundled_db, sql, params) == [
        "SEARCH s USING INDEX sqlite_autoindex_observation_series_1 (dataset_id=?)", *BY_SERIES_INDEX,
        "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"]


def test_counting_an_indicator_in_a_country_reads_only_the_indexes(bundled_db):
    assert plan(bundled_db, "SELECT COUNT(*) FROM observation WHERE country = ? AND indicator = ?",
                ("NL", "employed_persons")) == [
        "SEARCH s USING COVERING INDEX observation_by_indicator (indicator=? AND country=?)",
        "SEARCH v USING PRIMARY KEY (series_id=?)"]


def test_one_period_of_a_series_is_one_primary_key_lookup(bundled_db):
    sql = ("SELECT value FROM observation WHERE dataset_id = ? AND indicator = ? AND country = ? AND region = '' "
           "AND occupation_scheme = '' AND occupation_code = '' AND sector_scheme = '' AND sector_code = '' "
           "AND breakdown = '' AND period = ?")
    assert plan(bundled_db, sql, ("cbs-80472NED", "vacancies_open", "NL", "2023-Q3")) == [
        "SEARCH s USING COVERING INDEX sqlite_autoindex_observation_series_1 (dataset_id=? AND indicator=? AND country=? "
        "AND region=? AND occupation_scheme=? AND occupation_code=? AND sector_scheme=? AND sector_code=? "
        "AND breakdown=?)",
        "SEARCH v USING PRIMARY KEY (series_id=? AND period=?)"]


def test_the_whole_table_in_key_order_needs_no_sort(bundled_db):
    assert plan(bundled_db, f"SELECT * FROM observation ORDER BY {KEY_ORDER}") == [
        "SCAN s USING INDEX sqlite_autoindex_observation_series_1", *BY_SERIES_INDEX]


def test_the_model_outputs_are_read_through_their_primary_keys(tmp_path):
    db = tmp_path / "model.sqlite"
    with closing(sqlite3.connect(db)) as conn:
        store.write(conn, {})
    assert plan(db, "SELECT * FROM model_score WHERE family = ? AND period = "
                "(SELECT MAX(period) FROM model_score WHERE family = ?)", ("sector", "sector")) == [
        "SEARCH model_score USING PRIMARY KEY (family=? AND period=?)", "SCALAR SUBQUERY 1",
        "SEARCH model_score USING PRIMARY KEY (family=?)"]
    assert plan(db, "SELECT * FROM model_forecast WHERE scheme = 'nace2' AND code = ?", ("N",)) == [
        "SEARCH model_forecast USING PRIMARY KEY (scheme=? AND code=?)"]


def test_the_model_tables_have_no_secondary_index():
    with closing(sqlite3.connect(":memory:")) as conn:
        store.write(conn, {})
        indexed = conn.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'model%'")
        assert indexed.fetchall() == []


def test_rows_inserted_changed_and_deleted_through_the_view_behave_as_in_a_table():
    with closing(fresh()) as conn:
        insert_observations(conn, observation_rows())
        extra = dict(observation_rows().iloc[0], period="2025-Q3", value=None, source_url="https://example.org/x")
        conn.execute(f"INSERT INTO observation ({', '.join(extra)}) VALUES ({', '.join('?' for _ in extra)})",
                     tuple(extra.values()))
        conn.execute("UPDATE observation SET value = 120000.0, status = 'revised' WHERE occupation_code = '0334' "
                     "AND period = '2025-Q4'")
        conn.execute("DELETE FROM observation WHERE indicator = 'hourly_wage_median'")
        assert conn.execute("SELECT occupation_code, period, value, status, source_url FROM observation "
                            f"ORDER BY {KEY_ORDER}").fetchall() == [
            ("0334", "2025-Q3", None, "final", "https://example.org/x"),
            ("0334", "2025-Q4", 120000.0, "revised", observation_rows()["source_url"].iloc[0]),
            ("0433", "2025-Q4", 178000.0, "final", observation_rows()["source_url"].iloc[0])]
        assert conn.execute("SELECT COUNT(*) FROM observation_series").fetchone() == (3,)


def test_an_insert_through_the_view_that_leaves_out_a_column_stores_the_contracts_default():
    with closing(fresh()) as conn:
        conn.execute("INSERT INTO observation (dataset_id, indicator, country, period, value, unit, status) "
                     "VALUES ('cbs-85276NED', 'employed_persons', 'NL', '2025-Q4', 1.0, 'persons', 'final')")
        assert conn.execute("SELECT * FROM observation").fetchall() == [
            ("cbs-85276NED", "employed_persons", "NL", "", "", "", "", "", "", "2025-Q4", 1.0, "persons", "final", "")]


def test_pandas_appends_to_and_reads_the_view_like_a_table():
    with closing(fresh()) as conn:
        observation_rows().to_sql("observation", conn, if_exists="append", index=False)
        read = pd.read_sql("SELECT * FROM observation", conn)
    assert list(read.columns) == COLUMNS
    assert sorted(read["value"]) == [20.7, 118000.0, 178000.0]
