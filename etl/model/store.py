"""The model's output tables: their DDL, writing them, and the digests that decide whether to retrain."""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
from pathlib import Path

import pandas as pd
import sqlite_utils

from etl.frame_insert import insert
from etl.model import features, settings
from etl.model.settings import SETTINGS_FILE

MODEL_CODE_DIR = Path(__file__).resolve().parent
INPUT_DIGEST, CODE_DIGEST = "input_digest", "code_digest"
PREDICTION_COLUMNS = ("target", "kind", "country", "region", "scheme", "code", "origin_period", "period", "probability",
                      "predicted_class", "current_class", "actual_class", "top_indicators", "model")
# The rows the model reads (etl/model/features.py, occupation_targets.py): 80472NED and 81431NED, and the occupation
# rows of the indicators it uses (features and targets); plus the code-list levels of the codes in those rows.
READ_COLUMNS = ("dataset_id, indicator, country, region, occupation_scheme, occupation_code, sector_scheme, sector_code, "
                "breakdown, period, value")
TABLES = {
    "model_score": """CREATE TABLE model_score (
        family TEXT NOT NULL, country TEXT NOT NULL, region TEXT NOT NULL, scheme TEXT NOT NULL, code TEXT NOT NULL,
        level TEXT NOT NULL, period TEXT NOT NULL, indicator TEXT NOT NULL, value REAL NOT NULL,
        value_period TEXT NOT NULL, direction INTEGER NOT NULL, score REAL, reference_n INTEGER NOT NULL, cut_25 REAL,
        cut_50 REAL, cut_75 REAL, note TEXT NOT NULL, mean_score REAL, n_scored INTEGER NOT NULL, class TEXT NOT NULL,
        model_version TEXT NOT NULL,
        PRIMARY KEY (family, period, country, region, scheme, code, indicator)) WITHOUT ROWID""",
    "model_prediction": """CREATE TABLE model_prediction (
        target TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('forecast', 'backtest')), country TEXT NOT NULL,
        region TEXT NOT NULL, scheme TEXT NOT NULL, code TEXT NOT NULL, origin_period TEXT NOT NULL,
        period TEXT NOT NULL, probability REAL NOT NULL, predicted_class TEXT NOT NULL, current_class TEXT NOT NULL,
        actual_class TEXT, top_indicators TEXT NOT NULL, model TEXT NOT NULL, model_version TEXT NOT NULL,
        PRIMARY KEY (target, kind, country, region, scheme, code, origin_period, period)) WITHOUT ROWID""",
    "model_forecast": """CREATE TABLE model_forecast (
        indicator TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('forecast', 'backtest')), country TEXT NOT NULL,
        scheme TEXT NOT NULL, code TEXT NOT NULL, origin_period TEXT NOT NULL, period TEXT NOT NULL,
        horizon INTEGER NOT NULL, actual REAL, shown TEXT NOT NULL, shown_value REAL, shown_low REAL, shown_high REAL,
        ridge_ets REAL, persistence REAL, seasonal_naive REAL, sa_naive REAL, ets REAL, model_low REAL,
        model_high REAL, class_low REAL, class_high REAL, prob_slack REAL, prob_normal REAL, prob_tight REAL,
        markov_slack REAL, markov_normal REAL, markov_tight REAL, current_class TEXT, actual_class TEXT,
        model_version TEXT NOT NULL,
        PRIMARY KEY (scheme, code, indicator, kind, country, origin_period, horizon)) WITHOUT ROWID""",
    "model_scorecard": """CREATE TABLE model_scorecard (
        target TEXT NOT NULL, horizon INTEGER NOT NULL, metric TEXT NOT NULL, model TEXT NOT NULL,
        baseline TEXT NOT NULL, value REAL, baseline_value REAL, diff_ci_low REAL, diff_ci_high REAL,
        n INTEGER NOT NULL, n_periods INTEGER NOT NULL, periods TEXT NOT NULL, note TEXT NOT NULL,
        model_version TEXT NOT NULL, PRIMARY KEY (target, horizon, metric, model, baseline)) WITHOUT ROWID""",
    "model_shown": """CREATE TABLE model_shown (
        target TEXT NOT NULL, horizon INTEGER NOT NULL, metric TEXT NOT NULL, shown TEXT NOT NULL,
        best_baseline TEXT NOT NULL, model_value REAL, baseline_value REAL, skill REAL, skill_ci_low REAL,
        skill_ci_high REAL, PRIMARY KEY (target, horizon)) WITHOUT ROWID""",
    "model_reliability": """CREATE TABLE model_reliability (
        target TEXT NOT NULL, horizon INTEGER NOT NULL, event TEXT NOT NULL, model TEXT NOT NULL, bin_low REAL NOT NULL,
        bin_high REAL NOT NULL, n INTEGER NOT NULL, mean_probability REAL NOT NULL, observed_rate REAL NOT NULL,
        periods TEXT NOT NULL, PRIMARY KEY (target, horizon, model, bin_low)) WITHOUT ROWID""",
    "model_target": """CREATE TABLE model_target (
        target TEXT PRIMARY KEY, country TEXT NOT NULL, kind TEXT NOT NULL, evaluable INTEGER NOT NULL,
        reason TEXT NOT NULL, labelled_periods TEXT NOT NULL, about TEXT NOT NULL) WITHOUT ROWID""",
    "model_setting": """CREATE TABLE model_setting (
        key TEXT PRIMARY KEY, value TEXT NOT NULL, note TEXT NOT NULL) WITHOUT ROWID""",
}
# Each table is stored as its primary key (WITHOUT ROWID: no second copy of the key in an index), the key's columns in
# the order the dashboard asks by: model_score by family and period, model_forecast by scheme and code. So no query
# needs a secondary index.
PRIMARY_KEY = re.compile(r"PRIMARY KEY \(([^)]*)\)")


def write(conn: sqlite3.Connection, frames: dict[str, pd.DataFrame]) -> None:
    """Replace the model tables in one transaction (dropped first, so retraining never mixes two runs)."""
    db = sqlite_utils.Database(conn)
    with db.atomic():  # one explicit transaction: DDL outside one would commit (and sync the file) statement by statement
        _create(db)
        for table, frame in frames.items():
            if len(frame):
                key = PRIMARY_KEY.search(TABLES[table])
                # In key order the rows are appended to the key's B-tree, whose pages then fill up instead of splitting.
                ordered = frame.sort_values(key.group(1).split(", ")) if key else frame
                insert(conn, table, ordered)



def _create(db: sqlite_utils.Database) -> None:
    for table, ddl in TABLES.items():
        db.execute(f"DROP TABLE IF EXISTS main.{table}")
        db.execute(ddl)


def scorecard(conn: sqlite3.Connection) -> list[dict]:
    """The stored scorecard as a list of dicts, in a stable order."""
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM model_scorecard ORDER BY target, horizon, metric, model, baseline").fetchall()
    finally:
        conn.row_factory = None
    return [dict(r) for r in rows]


def _rows_read() -> tuple[str, tuple]:
    config = settings.load()
    indicators = sorted(set(features.OCCUPATION_INDICATORS) | {t["indicator"] for t in config["targets"].values()})
    # The periods features.py reads from each sector table: rows at other frequencies never reach the model.
    sql = (f"SELECT {READ_COLUMNS} FROM observation WHERE (dataset_id = ? AND period LIKE '____-Q_') "
           "OR (dataset_id = ? AND length(period) = 4) OR (occupation_scheme <> '' "
           f"AND sector_scheme = '' AND indicator IN ({', '.join('?' for _ in indicators)})) "
           "ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10")
    return sql, (features.SECTOR_VACANCY_DATASET, features.SECTOR_JOBS_WAGES_DATASET, *indicators)


def input_digest(conn: sqlite3.Connection) -> str:
    """sha256 of every row the model reads, so unchanged inputs can be recognised.

    A table the model does not read, or a code-list entry no such row uses, leaves it unchanged: importing one copies
    the model instead of retraining it.
    """
    digest = hashlib.sha256()
    used = {"sector": set(), "occupation": set()}
    for row in conn.execute(*_rows_read()):
        digest.update(repr(row).encode())
        used["occupation"].add(row[4:6])
        used["sector"].add(row[6:8])
    for table, codes in used.items():
        for row in conn.execute(f"SELECT scheme, code, level FROM {table} ORDER BY scheme, code"):
            if row[:2] in codes:
                digest.update(repr(row).encode())
    return digest.hexdigest()


def code_digest() -> str:
    """sha256 of the model's code and settings: a change to either means retraining."""
    digest = hashlib.sha256()
    for path in sorted(MODEL_CODE_DIR.glob("*.py")) + [SETTINGS_FILE]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def _stored_digests(conn: sqlite3.Connection, schema: str) -> dict[str, str]:
    try:
        return dict(conn.execute(f"SELECT key, value FROM {schema}.model_setting WHERE key IN (?, ?)",
                                 (INPUT_DIGEST, CODE_DIGEST)))
    except sqlite3.DatabaseError:
        return {}


def copy_if_unchanged(conn: sqlite3.Connection, previous: Path) -> bool:
    """Copy the model tables from the previous database when it was trained on the same inputs by the same code.

    True when copied; False (nothing changed in conn) when there is no previous database, it has no model tables,
    or its inputs, code or settings differ.
    """
    if not Path(previous).exists():
        return False
    conn.execute("ATTACH DATABASE ? AS previous", (str(previous),))
    try:
        stored = _stored_digests(conn, "previous")
        if stored != {INPUT_DIGEST: input_digest(conn), CODE_DIGEST: code_digest()}:
            return False
        db = sqlite_utils.Database(conn)
        with db.atomic():
            _create(db)
            for table in TABLES:
                db.execute(f"INSERT INTO main.{table} SELECT * FROM previous.{table}")
        return True
    finally:
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("DETACH DATABASE previous")
