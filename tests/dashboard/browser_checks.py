"""Checks shared by the browser tests: read a downloaded CSV and compare it with the database rows it claims to be."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd

from etl.observation import KEY


def read_download(download) -> pd.DataFrame:
    """A Playwright download read as the analyst would: codes as text, values as numbers, empty cells kept empty."""
    frame = pd.read_csv(download.path(), dtype=str, keep_default_na=False)
    frame["value"] = pd.to_numeric(frame["value"].replace("", None))
    return frame


def database_rows(db_path, keys: pd.DataFrame) -> pd.DataFrame:
    """The observation rows with the given keys, straight from SQLite (`_merge` says whether each key was found)."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        rows = pd.read_sql_query("SELECT * FROM observation", conn, dtype={c: str for c in KEY})
    return keys[KEY].merge(rows, on=KEY, how="left", indicator=True)


def download_matching_database(page, selector: str, db_path) -> pd.DataFrame:
    """Click a CSV download link; check each row's value, unit, status and source against SQLite; return the rows."""
    with page.expect_download() as download_info:
        page.click(selector)
    downloaded = read_download(download_info.value)
    merged = database_rows(db_path, downloaded)
    assert (merged["_merge"] == "both").all()
    for column in ("value", "unit", "status", "source_url"):
        assert downloaded[column].tolist() == merged[column].tolist()
    return downloaded
