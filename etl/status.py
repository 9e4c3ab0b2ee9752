"""`etl status`: per dataset, where it came from, which periods it covers and how many rows it has."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

HEADER = ("dataset", "source", "table", "periods", "rows", "retrieved at", "origin", "completeness")


def rows(db_path: Path) -> list[tuple]:
    uri = f"file:{Path(db_path).resolve()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(
            """SELECT dataset_id, source, table_id,
                      CASE WHEN first_period = last_period THEN first_period
                           ELSE first_period || ' .. ' || last_period END
                        || ' (' || (length(periods) - length(replace(periods, ',', '')) + (periods != '')) || ')',
                      row_count, retrieved_at, origin,
                      completeness || CASE WHEN replaced_by != '' THEN '; replaced by ' || replaced_by ELSE '' END
               FROM dataset ORDER BY source, dataset_id"""
        ).fetchall()


def render(table: list[tuple]) -> str:
    """A plain fixed-width table, one dataset a line."""
    cells = [HEADER] + [tuple("" if v is None else str(v) for v in row) for row in table]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADER))]
    return "\n".join("  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip() for row in cells)


def unused_snapshots(db_path: Path) -> list[str]:
    """A heading and one line per stored snapshot the last build set aside or held back (none: no lines)."""
    uri = f"file:{Path(db_path).resolve()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'snapshot_problem'").fetchone():
            return []  # built before snapshots were checked
        found = conn.execute("SELECT problem, dataset_id, retrieved_at, snapshot, reason FROM snapshot_problem "
                             "ORDER BY problem, dataset_id, snapshot").fetchall()
    heading = "\nstored snapshots not used by the last build (set aside: damaged or unreadable; held back: drift)"
    return [heading] + [f"{problem:<9}  {dataset}  {at or '-'}  {folder}: {reason}"
                        for problem, dataset, at, folder, reason in found] if found else []
