"""In-process figures: the dashboard's typical queries and page callbacks, called directly on a built database."""

from __future__ import annotations

import sqlite3
import statistics
import time
from contextlib import closing
from pathlib import Path

REPEATS = 5
QUERY_REPEATS = 200
# Typical dashboard queries: a sector's occupation series, an industry's vacancy series, a free-text label search.
QUERIES = {
    "query_occupation_series": (
        "SELECT period, value FROM observation WHERE occupation_scheme = ? AND occupation_code = ? AND indicator = ?",
        ("brc2014", "0334", "employed_persons"),
    ),
    "query_sector_vacancies": (
        "SELECT period, value FROM observation WHERE sector_scheme = ? AND sector_code = ? AND indicator = ? AND breakdown = ''",
        ("nace2", "N", "vacancies_open"),
    ),
    "query_label_search": (
        "SELECT scheme, code FROM occupation_fts WHERE occupation_fts MATCH ? LIMIT 20",
        ("callcenter*",),
    ),
}


def _timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def query_figures(db: Path) -> dict:
    """p95 latency of the typical dashboard queries on a read-only connection."""
    out = {}
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        for name, (sql, params) in QUERIES.items():
            times = _timed(lambda sql=sql, params=params: conn.execute(sql, params).fetchall(), QUERY_REPEATS)
            out[f"{name}_p95"] = (statistics.quantiles(times, n=20)[18] * 1000, "ms")
    return out


def dashboard_figures(db: Path) -> dict:
    """p95 of each dashboard callback with typical inputs: for a first visitor (caches dropped) and a later one."""
    from bench import callbacks
    from dashboard import database

    out = {}
    for name, call in callbacks.callbacks(db).items():
        def cold(call=call):
            database.forget_cached()
            call()
        out[f"callback_{name}_cold_p95"] = (statistics.quantiles(_timed(cold, 20), n=20)[18] * 1000, "ms")
        out[f"callback_{name}_p95"] = (statistics.quantiles(_timed(call, 20), n=20)[18] * 1000, "ms")
    return out


BENCHMARKS = [
    ("queries", query_figures),
    ("callbacks in-process", dashboard_figures),
]
