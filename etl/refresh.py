"""`make refresh`: fetch every live source into the snapshot store, log each outcome, then rebuild."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from etl import errors, sources
from etl.build import BuildError, build
from etl.fetch_outcome import FetchOutcome
from etl.paths import raw_dir, refresh_log_path
from etl.snapshot import SnapshotStore, now_utc


def one_line(exc: BaseException) -> str:
    """An exception as a single line for the refresh report."""
    return errors.one_line(exc)[:300]


def fetch_all(store: SnapshotStore, names: Iterable[str], out: Callable[[str], None]) -> list[FetchOutcome]:
    """Fetch each source in turn; a failing source is reported and never stops the others."""
    outcomes: list[FetchOutcome] = []
    for name in names:
        try:
            results = sources.module(name).fetch(store)
        except Exception as exc:  # one broken source must not take down the rest of the refresh
            results = [FetchOutcome(name, "*", "failed", one_line(exc))]
        for result in results:
            out(result.line())
            outcomes.append(result)
    return outcomes


def append_log(db_path: Path, run_id: str, outcomes: list[FetchOutcome]) -> None:
    path = refresh_log_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for o in outcomes:
            row = {"run_id": run_id, "started_at": run_id, "source": o.source, "dataset_id": o.dataset_id,
                   "outcome": o.outcome, "message": o.message}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def refresh(db_path: Path, names: Iterable[str] = sources.SOURCE_NAMES, out: Callable[[str], None] = print) -> int:
    """Exit code 0 only if every source succeeded and the rebuild worked; failed sources keep their data."""
    run_id = now_utc()
    outcomes = fetch_all(SnapshotStore(raw_dir(db_path)), names, out)
    append_log(db_path, run_id, outcomes)
    try:
        summary = build(db_path)
    except BuildError as exc:
        out(f"build     failed: {one_line(exc)}; the previous database is kept")
        return 1
    out(f"build     {summary['observations']} observations in {summary['datasets']} datasets -> {db_path}")
    failed = [o for o in outcomes if o.outcome == "failed"]
    if failed:
        out(f"refresh   {len(failed)} of {len(outcomes)} dataset(s) failed; their last good data is kept")
        return 1
    return 0
