"""What changed: new periods, revised figures, held-back updates and set-aside snapshots, per refresh or import."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from etl import jsonl_log, observation, periods
from etl.observation import COLUMNS, KEY
from etl.snapshot_selection import Problem

LOG_NAME = "change_log.jsonl"
TRIGGERS = ("build", "refresh", "import")
# Revised figures listed one by one per dataset and run; beyond this one line says how many more there are.
REVISED_LISTED = 25
SERIES_FIELDS = [c for c in KEY if c not in ("dataset_id", "indicator", "period")]
FIELDS = ["run_id", "trigger", "dataset_id", "change", "indicator", *SERIES_FIELDS, "period", "old_value",
          "new_value", "old_status", "new_status", "rows", "snapshot", "detail"]
TEXT_FIELDS = [f for f in FIELDS if f not in ("old_value", "new_value", "rows")]


def log_path(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / LOG_NAME


def previous_observations(db_path: Path) -> pd.DataFrame | None:
    """The observations of the database about to be replaced; None when there is none or it cannot be read."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)) as conn:
            frame = pd.read_sql(f"SELECT {', '.join(COLUMNS)} FROM observation", conn)
    except (sqlite3.Error, pd.errors.DatabaseError):
        return None
    for column in COLUMNS:
        frame[column] = frame[column].fillna("").astype(str) if column != "value" else frame[column].astype(float)
    return frame


def compare(previous: pd.DataFrame | None, new: pd.DataFrame, run_id: str, trigger: str) -> list[dict]:
    """Rows for each new period and each revised figure; nothing when there is no previous database to compare."""
    if previous is None:
        return []
    base = {"run_id": run_id, "trigger": trigger}
    rows = []
    known = set(pd.unique(previous["dataset_id"]))
    old_periods = observation.distinct_pairs(previous, "dataset_id", "period")
    counts = new.groupby(["dataset_id", "period"]).size()
    for (dataset_id, period), count in counts.items():
        if dataset_id in known and (dataset_id, period) not in old_periods:
            rows.append({**base, "dataset_id": dataset_id, "change": "new_period", "period": period, "rows": int(count)})
    for dataset_id, group in new[~new["dataset_id"].isin(known)].groupby("dataset_id"):
        ordered = sorted(set(group["period"]), key=periods.sort_key)
        rows.append({**base, "dataset_id": dataset_id, "change": "new_dataset", "period": ordered[-1],
                     "rows": len(group), "detail": ordered[0]})
    both = previous.merge(new, on=KEY, suffixes=("_old", "_new"))
    same_value = (both["value_old"] == both["value_new"]) | (both["value_old"].isna() & both["value_new"].isna())
    revised = both[~same_value | (both["status_old"] != both["status_new"])]
    for dataset_id, group in revised.groupby("dataset_id", sort=True):
        for row in group.head(REVISED_LISTED).itertuples(index=False):
            rows.append({**base, **{f: getattr(row, f) for f in ["dataset_id", "indicator", *SERIES_FIELDS, "period"]},
                         "change": "revised", "old_value": _number(row.value_old), "new_value": _number(row.value_new),
                         "old_status": row.status_old, "new_status": row.status_new, "rows": 1})
        if len(group) > REVISED_LISTED:
            rows.append({**base, "dataset_id": dataset_id, "change": "revised", "rows": len(group) - REVISED_LISTED,
                         "detail": "more revised figures not listed one by one"})
    return rows


def this_run(db_path: Path, new: pd.DataFrame, problems: list[Problem], trigger: str) -> list[dict]:
    """Everything this build changes against the database it replaces, plus snapshots it newly left unused."""
    # Microseconds: two builds within one second (an import right after a refresh) are two updates, not one.
    run_id = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    rows = compare(previous_observations(db_path), new, run_id, trigger)
    return rows + problem_rows(problems, history(db_path), run_id, trigger)


def problem_rows(problems: list[Problem], history: list[dict], run_id: str, trigger: str) -> list[dict]:
    """A held-back or set-aside snapshot is recorded by the run that first met it, not again by every build."""
    seen = {(row.get("change"), row.get("snapshot")) for row in history}
    return [{"run_id": run_id, "trigger": trigger, "dataset_id": p.dataset_id, "change": p.problem,
             "snapshot": p.snapshot, "period": "", "detail": p.reason, "rows": 0}
            for p in problems if (p.problem, p.snapshot) not in seen]


def history(db_path: Path) -> list[dict]:
    return jsonl_log.read(log_path(db_path))


def table(rows: list[dict]) -> pd.DataFrame:
    """The `change_log` table: every recorded row in the database's columns, oldest run first."""
    frame = pd.DataFrame(rows).reindex(columns=FIELDS)
    frame[TEXT_FIELDS] = frame[TEXT_FIELDS].astype(object).fillna("").astype(str)
    frame["rows"] = pd.to_numeric(frame["rows"]).fillna(0).astype(int)
    return frame


def record(db_path: Path, rows: list[dict]) -> None:
    """Keep this run's rows on disk, so the next build (which starts a fresh database) still has them."""
    jsonl_log.append(log_path(db_path), rows)


def _number(value: float) -> float | None:
    return None if pd.isna(value) else float(value)
