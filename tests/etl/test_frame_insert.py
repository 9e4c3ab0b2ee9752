"""A frame's rows go into an existing table by column name, with NaN and None as NULL and numpy numbers as numbers."""

import sqlite3
from contextlib import closing

import numpy as np
import pandas as pd

from etl.frame_insert import insert


def test_rows_go_in_by_column_name_with_missing_values_as_null():
    frame = pd.DataFrame({"n": np.array([3, 4], dtype="int64"), "x": [1.5, np.nan], "label": ["a", None]})
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE TABLE t (label TEXT, x REAL, n INTEGER NOT NULL)")
        insert(conn, "t", frame)
        assert conn.execute("SELECT label, x, n, typeof(n) FROM t ORDER BY n").fetchall() == [
            ("a", 1.5, 3, "integer"), (None, None, 4, "integer")]


def test_an_empty_frame_inserts_nothing_and_needs_no_matching_table():
    with closing(sqlite3.connect(":memory:")) as conn:
        insert(conn, "absent", pd.DataFrame({"a": []}))
        assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []
