"""The input digest that decides whether a build retrains: it covers exactly the rows the model reads."""

import shutil
import sqlite3
from contextlib import closing

import pytest

from etl.model import store


@pytest.fixture
def conn(bundled_db, tmp_path):
    db = tmp_path / "labour.sqlite"
    shutil.copyfile(bundled_db, db)
    with closing(sqlite3.connect(db)) as connection:
        yield connection


def copy_row(conn: sqlite3.Connection, where: str, **changes) -> None:
    """Insert a copy of the first observation row matching `where`, with some fields changed."""
    cursor = conn.execute(f"SELECT * FROM observation WHERE {where} LIMIT 1")
    row = dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True)) | changes
    before = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    conn.execute(f"INSERT INTO observation ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
    assert conn.execute("SELECT count(*) FROM observation").fetchone()[0] == before + 1


def test_rows_and_code_list_entries_the_model_does_not_read_leave_the_input_digest_unchanged(conn):
    before = store.input_digest(conn)
    copy_row(conn, "dataset_id = 'eurostat-jvs_q_nace2'", period="2099-Q1")
    copy_row(conn, "occupation_scheme <> '' AND indicator = 'vacancies_new'", period="2099-Q1")
    conn.execute("INSERT INTO sector (scheme, code, level, label_nl) VALUES ('nace2', 'ZZ', 'section', 'Nieuw')")
    conn.execute("INSERT INTO occupation (scheme, code, level, label_nl) VALUES ('isco08', '9999', '', 'Nieuw')")
    assert store.input_digest(conn) == before


KEY = ["dataset_id", "indicator", "country", "region", "occupation_scheme", "occupation_code", "sector_scheme",
       "sector_code", "breakdown", "period"]


def change_value(conn: sqlite3.Connection, where: str) -> None:
    """Change the value of the first observation matching `where` (through the view, so by its key, not a rowid)."""
    key = conn.execute(f"SELECT {', '.join(KEY)} FROM observation WHERE {where} AND value IS NOT NULL "
                       f"ORDER BY {', '.join(KEY)} LIMIT 1").fetchone()
    match = " AND ".join(f"{column} = ?" for column in KEY)
    before = conn.execute(f"SELECT value FROM observation WHERE {match}", key).fetchone()[0]
    conn.execute(f"UPDATE observation SET value = ? WHERE {match}", (1 - before, *key))
    assert conn.execute(f"SELECT value FROM observation WHERE {match}", key).fetchone()[0] == 1 - before


def test_annual_vacancy_rows_the_model_does_not_read_leave_the_input_digest_unchanged(conn):
    """The sector model reads 80472NED's quarters only: an imported year or month of that table copies the model."""
    before = store.input_digest(conn)
    change_value(conn, "dataset_id = 'cbs-80472NED' AND length(period) = 4")
    copy_row(conn, "dataset_id = 'cbs-80472NED' AND length(period) = 4", period="1000-01")
    assert store.input_digest(conn) == before


@pytest.mark.parametrize("where", [
    "dataset_id = 'cbs-80472NED' AND period LIKE '____-Q_'",
    "dataset_id = 'cbs-81431NED' AND length(period) = 4",
    "indicator = 'employed_persons' AND occupation_scheme <> ''",
    "indicator = 'shortage_listed'",
])
def test_a_change_to_a_row_the_model_reads_changes_the_input_digest(conn, where):
    before = store.input_digest(conn)
    change_value(conn, where)
    assert store.input_digest(conn) != before


def test_a_changed_level_of_a_sector_the_model_reads_changes_the_input_digest(conn):
    before = store.input_digest(conn)
    assert conn.execute("UPDATE sector SET level = 'division' WHERE scheme = 'nace2' AND code = 'F'").rowcount == 1
    assert store.input_digest(conn) != before
