"""Build and import figures: `etl build` and `etl import` as a user runs them, against executemany into bare SQLite."""

from __future__ import annotations

import math
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from bench import synthetic_cbs
from etl import schema
from etl.build import BULK_LOAD_PRAGMAS

ROOT = Path(__file__).resolve().parent.parent
IMPORT_SIZES = [250_000, 500_000, 1_000_000]
# The base tables behind the `observation` view (etl/schema.py): what an import of observation rows writes.
OBSERVATION_TABLES = ("observation_series", "observation_source", "observation_value")


def run_cli(*args: str) -> tuple[float, float]:
    """Run `python -m etl ARGS` in a child; (wall seconds, CPU seconds user + sys of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build_snapshot(db: Path) -> dict:
    """`etl build` from the bundled snapshot into an empty folder, model included."""
    wall, cpu = run_cli("build", "--db", str(db))
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT count(*) FROM observation").fetchone()[0]
    return {
        "build_snapshot_s": (wall, "s"),
        "build_snapshot_cpu_s": (cpu, "s"),
        "observation_rows": (rows, "rows"),
        "db_bytes_per_observation": (db.stat().st_size / rows, "bytes"),
    }


def raw_sqlite_seconds(source_db: Path) -> tuple[int, float]:
    """CPU seconds to executemany the stored observation rows of `source_db` into a fresh file with the same schema and
    indexes: the rows of the base tables behind the `observation` view, as they are stored, table by table."""
    with closing(sqlite3.connect(source_db)) as conn:
        stored = {table: conn.execute(f"SELECT * FROM {table}").fetchall() for table in OBSERVATION_TABLES}
    with tempfile.TemporaryDirectory(prefix="bench-raw-") as folder:
        conn = sqlite3.connect(Path(folder) / "raw.sqlite")
        for pragma in BULK_LOAD_PRAGMAS:  # the build's own settings for its not-yet-published file
            conn.execute(pragma)
        conn.executescript(schema.TABLES)
        started = time.process_time()
        with conn:
            for table, rows in stored.items():
                if rows:
                    conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in rows[0])})", rows)
            # The build creates the indexes after loading the rows; the reference gets the same ones, the same way.
            for table, columns, name, unique in schema.INDEXES:
                if table in OBSERVATION_TABLES:
                    conn.execute(f"CREATE {'UNIQUE ' if unique else ''}INDEX {name} ON {table} ({', '.join(columns)})")
        seconds = time.process_time() - started
        conn.close()
    return len(stored["observation_value"]), seconds


def import_figures(_db: Path) -> dict:
    """Import generated CBS v3 tables of 250k, 500k and 1M rows into a fresh data folder each; compare with raw SQLite."""
    cpu = {}
    out = {}
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        for size in IMPORT_SIZES:
            table = synthetic_cbs.write(Path(folder) / f"synthetic-{size}", size)
            db = Path(folder) / f"data-{size}" / "labour.sqlite"
            db.parent.mkdir()
            _, cpu[size] = run_cli("import", "cbs", str(table), "--db", str(db))
            print(f"  imported {size:,} synthetic rows: {cpu[size]:.1f} s CPU", file=sys.stderr, flush=True)
        largest = IMPORT_SIZES[-1]
        rows, raw_seconds = raw_sqlite_seconds(db)
    xs = [math.log(s) for s in IMPORT_SIZES]
    ys = [math.log(cpu[s]) for s in IMPORT_SIZES]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    out["import_1m_rows_cpu_s"] = (cpu[largest], "s")
    out["import_raw_sqlite_cpu_s"] = (raw_seconds, "s")
    # Same rows both ways, so the ratio of rows per second is the inverse ratio of the seconds.
    out["import_speed_vs_raw_sqlite"] = (raw_seconds / cpu[largest], "ratio")
    out["import_final_rows"] = (rows, "rows")
    out["import_scaling_exponent"] = (slope, "exponent")
    return out
