"""DDL of the model's output tables and their writing; the tables are created inside the database being built."""

from __future__ import annotations

import sqlite3

import pandas as pd

TABLES = {
    "model_score": """CREATE TABLE model_score (
        family TEXT NOT NULL, country TEXT NOT NULL, region TEXT NOT NULL, scheme TEXT NOT NULL, code TEXT NOT NULL,
        level TEXT NOT NULL, period TEXT NOT NULL, indicator TEXT NOT NULL, value REAL, value_period TEXT NOT NULL,
        direction INTEGER NOT NULL, score REAL, reference_n INTEGER NOT NULL, cut_25 REAL, cut_50 REAL, cut_75 REAL,
        note TEXT NOT NULL, mean_score REAL, n_scored INTEGER NOT NULL, class TEXT NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (family, country, region, scheme, code, period, indicator))""",
    "model_prediction": """CREATE TABLE model_prediction (
        target TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('forecast', 'backtest')), country TEXT NOT NULL,
        region TEXT NOT NULL, scheme TEXT NOT NULL, code TEXT NOT NULL, origin_period TEXT NOT NULL,
        period TEXT NOT NULL, probability REAL NOT NULL, predicted_class TEXT NOT NULL, current_class TEXT NOT NULL,
        actual_class TEXT, top_indicators TEXT NOT NULL, model TEXT NOT NULL, model_version TEXT NOT NULL,
        PRIMARY KEY (target, kind, country, region, scheme, code, origin_period, period))""",
    "model_forecast": """CREATE TABLE model_forecast (
        indicator TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('forecast', 'backtest')), country TEXT NOT NULL,
        scheme TEXT NOT NULL, code TEXT NOT NULL, origin_period TEXT NOT NULL, period TEXT NOT NULL,
        horizon INTEGER NOT NULL, forecast REAL NOT NULL, persistence REAL, seasonal_naive REAL, actual REAL,
        current_class TEXT NOT NULL, predicted_class TEXT NOT NULL, actual_class TEXT, class_low REAL,
        class_high REAL, model TEXT NOT NULL, model_version TEXT NOT NULL,
        PRIMARY KEY (indicator, kind, country, scheme, code, origin_period, horizon))""",
    "model_scorecard": """CREATE TABLE model_scorecard (
        target TEXT NOT NULL, horizon INTEGER NOT NULL, metric TEXT NOT NULL, model TEXT NOT NULL,
        baseline TEXT NOT NULL, value REAL, baseline_value REAL, ci_low REAL, ci_high REAL, n INTEGER NOT NULL,
        n_periods INTEGER NOT NULL, periods TEXT NOT NULL, note TEXT NOT NULL, model_version TEXT NOT NULL,
        PRIMARY KEY (target, horizon, metric, baseline))""",
    "model_target": """CREATE TABLE model_target (
        target TEXT PRIMARY KEY, country TEXT NOT NULL, kind TEXT NOT NULL, evaluable INTEGER NOT NULL,
        reason TEXT NOT NULL, labelled_periods TEXT NOT NULL, about TEXT NOT NULL)""",
    "model_setting": """CREATE TABLE model_setting (
        key TEXT PRIMARY KEY, value TEXT NOT NULL, note TEXT NOT NULL)""",
}
INDEXES = [
    "CREATE INDEX model_score_by_period ON model_score (family, period, class)",
    "CREATE INDEX model_forecast_by_sector ON model_forecast (scheme, code, indicator, kind)",
]


def write(conn: sqlite3.Connection, frames: dict[str, pd.DataFrame]) -> None:
    """Replace the model tables in one transaction (dropped first, so retraining never mixes two runs)."""
    with conn:
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(TABLES[table])
        for statement in INDEXES:
            conn.execute(statement)
        for table, frame in frames.items():
            if frame.empty:
                continue
            columns = list(frame.columns)
            values = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             values)


def scorecard(conn: sqlite3.Connection) -> list[dict]:
    """The stored scorecard as a list of dicts, in a stable order."""
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM model_scorecard ORDER BY target, horizon, metric, baseline").fetchall()
    finally:
        conn.row_factory = None
    return [dict(r) for r in rows]
