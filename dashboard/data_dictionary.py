"""The data dictionary: every table and column of the data product with a one-line meaning in Dutch and English."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import database

DICTIONARY_FILE = Path(__file__).with_name("data_dictionary.csv")
FIELDS = ["table", "column", "meaning_nl", "meaning_en"]
# A meaning marks identifiers and stored values as `code`: the page shows them as code, a download as plain text.
CODE_MARK = "`"
# FTS5 keeps its index in shadow tables and SQLite its statistics in sqlite_*: neither is part of the data product.
INTERNAL_PREFIXES = ("occupation_fts_", "sqlite_")


def load() -> pd.DataFrame:
    """The dictionary file as written: table, column, meaning_nl, meaning_en."""
    return pd.read_csv(DICTIONARY_FILE, dtype=str, keep_default_na=False)[FIELDS]


def schema() -> pd.DataFrame:
    """Every table and view and their columns in the open database (PRAGMA table_info), internal tables left out."""
    rows = database.current().query(
        "SELECT m.name AS \"table\", p.name AS \"column\" FROM sqlite_master m, pragma_table_info(m.name) p "
        "WHERE m.type IN ('table', 'view') ORDER BY m.name, p.cid")
    internal = rows["table"].str.startswith(INTERNAL_PREFIXES)
    return rows[~internal].reset_index(drop=True)


def entries(lang: str, marked: bool = False) -> pd.DataFrame:
    """table, column and meaning in `lang`, in the file's order; `marked` keeps the code marks for the page."""
    rows = load()
    meaning = rows[f"meaning_{lang}"] if marked else rows[f"meaning_{lang}"].str.replace(CODE_MARK, "", regex=False)
    return rows.assign(meaning=meaning)[["table", "column", "meaning"]]
