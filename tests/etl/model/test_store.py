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
    conn.execute(f"INSERT INTO observation ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))


def test_rows_and_code_list_entries_the_model_does_not_read_leave_the_input_digest_unchanged(conn):
    before = store.input_digest(conn)
    copy_row(conn, "dataset_id = 'eurostat-jvs_q_nace2'", period="2099-Q1")
    copy_row(conn, "occupation_scheme <> '' AND indicator = 'vacancies_new'", period="2099-Q1")
    conn.execute("INSERT INTO sector (scheme, code, level, label_nl) VALUES ('nace2', 'ZZ', 'section', 'Nieuw')")
    conn.execute("INSERT INTO occupation (scheme, code, level, label_nl) VALUES ('isco08', '9999', '', 'Nieuw')")
    assert store.input_digest(conn) == before


@pytest.mark.parametrize("change", [
    "UPDATE observation SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM observation "
    "WHERE dataset_id = 'cbs-80472NED')",
    "UPDATE observation SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM observation "
    "WHERE dataset_id = 'cbs-81431NED')",
    "UPDATE observation SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM observation "
    "WHERE indicator = 'employed_persons' AND occupation_scheme <> '')",
    "UPDATE observation SET value = 1 - value WHERE rowid = (SELECT min(rowid) FROM observation "
    "WHERE indicator = 'shortage_listed')",
    "UPDATE sector SET level = 'division' WHERE scheme = 'nace2' AND code = 'F'",
])
def test_a_change_to_a_row_the_model_reads_changes_the_input_digest(conn, change):
    before = store.input_digest(conn)
    assert conn.execute(change).rowcount == 1
    assert store.input_digest(conn) != before
