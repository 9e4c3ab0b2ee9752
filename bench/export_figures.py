"""The CSV download against datasette's CSV export of the same query on the same file."""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from bench import gunicorn, load

QUERY = "country=NL&indicator=employed_persons"
REPEATS = 5


def export_figures(db: Path) -> dict:
    db = Path(db).resolve()
    port = gunicorn.free_port()
    datasette = subprocess.Popen([str(Path(sys.executable).with_name("datasette")), "serve", "--immutable", str(db),
                                  "--port", str(port), "--setting", "max_returned_rows", "1000"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    theirs_base = f"http://127.0.0.1:{port}"
    try:
        gunicorn.wait_ready(theirs_base + "/-/versions.json")
        theirs_path = f"/{db.stem}/observation.csv?{QUERY}&_stream=on&_size=max"
        with gunicorn.serve(db) as (ours_base, _master):
            ours_path = f"/download/observations.csv?{QUERY}"
            ours = _median_seconds(ours_base, ours_path)
            theirs = _median_seconds(theirs_base, theirs_path)
    finally:
        datasette.terminate()
        datasette.wait(timeout=30)
    return {"export_ours_ms": (ours * 1000, "ms"), "export_datasette_ms": (theirs * 1000, "ms"),
            "export_speed_vs_datasette": (theirs / ours, "ratio")}


def _median_seconds(base: str, path: str) -> float:
    load.timed_request(base, path)  # the first answer warms the page cache and each server's connections
    return statistics.median(load.timed_request(base, path) for _ in range(REPEATS))
