"""Append a DataFrame's rows to an existing SQLite table with one executemany."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pandas as pd


def insert(conn: sqlite3.Connection, table: str, frame: pd.DataFrame) -> None:
    """Append the frame's rows to `table` by column name; a missing value (NaN, None) is NULL."""
    if frame.empty:
        return
    names = ", ".join(f'"{c}"' for c in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows(frame))


def rows(frame: pd.DataFrame) -> Iterator[tuple]:
    """The frame's rows as tuples of plain Python values (sqlite3 takes neither numpy scalars nor NaN)."""
    columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
    return zip(*columns, strict=True)
