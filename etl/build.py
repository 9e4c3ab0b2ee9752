"""Build the SQLite data product from the bundled snapshot plus every stored raw snapshot, then swap it in."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from pathlib import Path

import pandas as pd
import sqlite_utils

from etl import (
    build_id,
    bundle_files,
    change_log,
    crosswalks,
    jsonl_log,
    observation,
    parse_cache,
    periods,
    schema,
    sector_definitions,
    snapshot_selection,
    writer_lock,
)
from etl.frame_insert import insert
from etl.model import sector_worker
from etl.observation import DEFINITIONS_DIR
from etl.parsed import CONTEXT_FIELDS, DATASET_FIELDS, OCCUPATION_FIELDS, SECTOR_FIELDS, Parsed
from etl.paths import BUNDLE_DIR, raw_dir, refresh_log_path
from etl.snapshot import Snapshot, SnapshotStore, now_utc
from etl.sources import parser_for

NACE_FILE = DEFINITIONS_DIR / "nace_sections.csv"
INDICATOR_FILE = DEFINITIONS_DIR / "indicators.csv"
# The observation key less its period: what one row of observation_series stands for.
SERIES_KEY = [c for c in observation.KEY if c != "period"]
# The build writes a temporary file that replaces the database only once it is complete and has passed quick_check;
# a crash leaves that file behind (removed by the next build) and the previous database untouched. So the temporary
# file needs neither a rollback journal nor fsync: both cost time on every commit and protect nothing here.
BULK_LOAD_PRAGMAS = ("PRAGMA main.journal_mode = OFF", "PRAGMA main.synchronous = OFF")


class BuildError(RuntimeError):
    """The database could not be built; the previous file is untouched."""


def collect(bundle_dir: Path, store: SnapshotStore, accept_drift=()) -> tuple[list[Parsed], list]:
    """Parsed inputs in order of precedence (the bundle, then usable snapshots oldest to newest) and the unused ones."""
    if not (Path(bundle_dir) / bundle_files.DATASET_FILE).exists():
        raise BuildError(f"bundled snapshot not found in {bundle_dir}")
    chosen = snapshot_selection.select(store, parse_snapshot, accept_drift)
    return [bundle_files.read(bundle_dir), *chosen.inputs], chosen.problems


def parse_snapshot(snapshot: Snapshot) -> Parsed:
    """Parse one stored snapshot and stamp its dataset rows with the snapshot's provenance."""
    try:
        parsed = parse_cache.parsed(snapshot, parser_for(snapshot.format))
    except Exception as exc:
        raise BuildError(f"stored snapshot {snapshot.path} ({snapshot.format}) cannot be parsed: {exc}") from exc
    datasets = parsed.datasets.copy()
    datasets["origin"] = snapshot.origin
    datasets["retrieved_at"] = snapshot.retrieved_at
    datasets["checksum"] = "sha256:" + snapshot.sha256
    if "url" not in datasets or (datasets["url"].fillna("") == "").all():
        datasets["url"] = snapshot.location
    parsed.datasets = datasets
    return parsed


def _latest_rows(frames: list[pd.DataFrame], fields: list[str], key: list[str]) -> pd.DataFrame:
    shaped = [f.reindex(columns=fields, fill_value="").fillna("").astype(str) for f in frames if len(f)]
    if not shaped:
        return pd.DataFrame(columns=fields)
    return pd.concat(shaped, ignore_index=True).drop_duplicates(key, keep="last").sort_values(key)


@writer_lock.holding
def build(db_path: Path, *, bundle_dir: Path = BUNDLE_DIR, train_model: bool = True, reuse_model: bool = True,
          trigger: str = "build", accept_drift=()) -> dict:
    """Build into a temporary file beside db_path and replace db_path only when everything succeeded."""
    db_path = Path(db_path)
    # A fresh build trains: a second process loads the model's libraries meanwhile (a rebuild usually copies the model).
    with sector_worker.started(train_model and not (reuse_model and db_path.exists())) as worker:
        return _build(db_path, bundle_dir, train_model, reuse_model, trigger, accept_drift, worker)


def _build(db_path: Path, bundle_dir: Path, train_model: bool, reuse_model: bool, trigger: str, accept_drift,
           worker: sector_worker.SectorWorker | None) -> dict:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    writer_lock.remove_leftovers(db_path)
    inputs, unused = collect(bundle_dir, SnapshotStore(raw_dir(db_path)), accept_drift)
    obs = observation.combine([p.observations for p in inputs])  # each input validated, so the whole is valid
    changes = change_log.this_run(db_path, obs, unused, trigger)
    datasets = _latest_rows([p.datasets for p in inputs], DATASET_FIELDS, ["dataset_id"])
    orphan = set(pd.unique(obs["dataset_id"])) - set(datasets["dataset_id"])
    if orphan:
        raise BuildError(f"observations for datasets with no provenance row: {', '.join(sorted(orphan))}")
    occupations = _latest_rows([p.occupations for p in inputs], OCCUPATION_FIELDS, ["scheme", "code"])
    nace = pd.read_csv(NACE_FILE, dtype=str, keep_default_na=False)
    sector_codes = _latest_rows([nace] + [p.sectors for p in inputs], SECTOR_FIELDS, ["scheme", "code"])
    definitions = sector_definitions.load()
    known = set(zip(occupations["scheme"], occupations["code"], strict=True))
    known |= set(zip(sector_codes["scheme"], sector_codes["code"], strict=True))
    sector_definitions.check_codes(definitions, known)
    links = crosswalks.load()
    context = _latest_rows([p.context for p in inputs], CONTEXT_FIELDS, ["fact_id"])
    context["value"] = pd.to_numeric(context["value"].replace("", None))

    temporary = db_path.with_name(f".{db_path.name}.building-{os.getpid()}")
    temporary.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as conn:
            for pragma in BULK_LOAD_PRAGMAS:
                conn.execute(pragma)
            conn.executescript(schema.TABLES)
            with conn:
                write_tables(conn, {
                    "observation": obs[observation.COLUMNS],
                    "dataset": _with_coverage(datasets, obs),
                    "indicator": pd.read_csv(INDICATOR_FILE, dtype=str, keep_default_na=False),
                    "occupation": occupations,
                    "sector": sector_codes,
                    "crosswalk": links,
                    "sector_definition": definitions,
                    "context_fact": context,
                    "refresh_log": _refresh_log(db_path),
                    "change_log": change_log.table(change_log.history(db_path) + changes),
                    "snapshot_problem": snapshot_selection.problem_table(unused),
                })
            summary = {"observations": len(obs), "datasets": len(datasets)}
            if unused:  # stored snapshots set aside or held back; the callers print one line for each
                summary["problems"] = unused
            if train_model:
                from etl.model import store

                # Unchanged inputs, code and settings: the previous database's model outputs are still true.
                if reuse_model and store.copy_if_unchanged(conn, db_path):
                    summary["model"] = {"trained": False, "copied": True}
                else:
                    from etl.model import pipeline

                    summary["model"] = pipeline.train_and_store(conn, worker)
            with conn:
                insert(conn, "build_info", _build_info(obs, inputs, build_id.compute(bundle_dir)))
            conn.execute("ANALYZE")
            # quick_check: a file written just now by this process needs no index-to-table cross-check (4.5 s at 1M rows).
            problems = conn.execute("PRAGMA quick_check").fetchone()[0]
            if problems != "ok":
                raise BuildError(f"integrity check of the new database failed: {problems}")
        os.replace(temporary, db_path)
        change_log.record(db_path, changes)
    finally:
        temporary.unlink(missing_ok=True)
    return summary


def insert_observations(conn: sqlite3.Connection, obs: pd.DataFrame) -> None:
    """Store observation rows in the base tables behind the `observation` view: a series per key less the period (with
    its unit), a source per URL, and one value row per series and period, in primary-key order."""
    if obs.empty:
        return
    series_id = obs.groupby(SERIES_KEY, sort=True, dropna=False).ngroup().to_numpy() + 1
    # One unit per series: observation.validate refuses a row in a unit other than its indicator's.
    series = obs[SERIES_KEY + ["unit"]].assign(series_id=series_id).drop_duplicates("series_id")
    source_codes, urls = pd.factorize(obs["source_url"], sort=True)
    insert(conn, "observation_series", series[["series_id", *SERIES_KEY, "unit"]])
    insert(conn, "observation_source", pd.DataFrame({"source_id": range(1, len(urls) + 1), "source_url": urls}))
    values = pd.DataFrame({"series_id": series_id, "period": obs["period"].to_numpy(), "value": obs["value"].to_numpy(),
                           "status": obs["status"].to_numpy(), "source_id": source_codes + 1})
    # In key order the WITHOUT ROWID table is appended to, so its pages fill up instead of splitting half-empty.
    insert(conn, "observation_value", values.sort_values(["series_id", "period"], kind="stable"))


def write_tables(conn: sqlite3.Connection, frames: dict[str, pd.DataFrame]) -> None:
    """Fill the tables of schema.TABLES (`observation` through its base tables), then build the indexes and the
    occupation label search index."""
    for table, frame in frames.items():
        if table == "observation":
            insert_observations(conn, frame)
        else:
            insert(conn, table, frame)
    for table, columns, name, unique in schema.INDEXES:
        conn.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {name} ON {table} ({', '.join(columns)})")
    sqlite_utils.Database(conn)[schema.SEARCHED_TABLE].rebuild_fts()


def _with_coverage(datasets: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """Add row counts and the periods each dataset covers, computed from what was actually loaded."""
    out = datasets.copy()
    counts = obs.groupby("dataset_id").size()
    found: dict[str, list[str]] = {}
    for dataset_id, period in observation.distinct_pairs(obs, "dataset_id", "period"):
        found.setdefault(dataset_id, []).append(period)
    covered = {dataset_id: sorted(found_periods, key=periods.sort_key) for dataset_id, found_periods in found.items()}
    out["row_count"] = out["dataset_id"].map(counts).fillna(0).astype(int)
    out["first_period"] = out["dataset_id"].map(lambda d: covered[d][0] if d in covered else "")
    out["last_period"] = out["dataset_id"].map(lambda d: covered[d][-1] if d in covered else "")
    out["periods"] = out["dataset_id"].map(lambda d: ",".join(covered[d]) if d in covered else "")
    return out


def _refresh_log(db_path: Path) -> pd.DataFrame:
    path = refresh_log_path(db_path)
    fields = ["run_id", "started_at", "source", "dataset_id", "outcome", "message"]
    return pd.DataFrame(jsonl_log.read(path)).reindex(columns=fields).fillna("")


def _build_info(obs: pd.DataFrame, inputs: list[Parsed], build: str) -> pd.DataFrame:
    """Build metadata; `data_version` changes whenever the observations change (the dashboard caches on it),
    `build_id` whenever the bundle, the definitions or the ETL code do (`build --if-stale` compares it)."""
    digest = hashlib.sha256(pd.util.hash_pandas_object(obs, index=False).values.tobytes()).hexdigest()
    info = {
        "built_at": now_utc(),
        "schema_version": str(schema.SCHEMA_VERSION),
        "data_version": digest[:16],
        "inputs": str(len(inputs)),
        "build_id": build,
    }
    return pd.DataFrame({"key": list(info), "value": list(info.values())})
