"""`python -m bench.serving`: Excel time and peak memory for all rows, and page latency while slow clients download."""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIES = 6  # the bundled 29,329 rows six times over: ~176,000 rows, past the 170k that once hit gunicorn's timeout
SLOW_CLIENT_BYTES_PER_SECOND = 20_000
SLOW_CLIENT_SECONDS = 20.0
SLOW_CLIENTS = 2
PAGE_REQUESTS = 20
# make run's gunicorn settings, and the sync workers it used before, for comparison.
GUNICORN_CONFIGURATIONS = {
    "gthread (make run)": ["--worker-class", "gthread", "--workers", "2", "--threads", "8"],
    "sync (before)": ["--workers", "2"],
}
PAGE_CALLBACK = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/data"},
               {"id": "_pages_location", "property": "search", "value": "?lang=en"}],
    "changedPropIds": ["_pages_location.pathname"], "state": [],
}
XLSX_CHILD = """
import resource, sys, time
from pathlib import Path
from dashboard import database, downloads, spreadsheet
database.use(Path(sys.argv[1]))
database.STREAM_TIME_LIMIT_SECONDS = 1e9  # measure the whole file, past the cap and time limit the route applies
columns, chunks = downloads._streamed_rows(*downloads._export_query({}, "en"))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
rows = 0
def counted():
    global rows
    for chunk in chunks:
        rows += len(chunk)
        yield chunk
with open(sys.argv[2], "wb") as out:
    spreadsheet.write_xlsx(out, "observations", columns, counted())
print(rows, time.perf_counter() - started, time.process_time() - cpu, before / 1024,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def enlarge(source: Path, target: Path, copies: int = COPIES) -> int:
    """A copy of the database whose observations are repeated with a `copy=N` breakdown (for measuring only)."""
    shutil.copy(source, target)
    with closing(sqlite3.connect(target)) as conn, conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(observation)")]
        picked = ", ".join("'copy=' || ? || CASE breakdown WHEN '' THEN '' ELSE ';' || breakdown END"
                           if c == "breakdown" else c for c in columns)
        for copy in range(1, copies):
            conn.execute(f"INSERT INTO observation ({', '.join(columns)}) SELECT {picked} FROM observation "
                         "WHERE breakdown NOT LIKE 'copy=%'", (str(copy),))
        return conn.execute("SELECT COUNT(*) FROM observation").fetchone()[0]


def measure_xlsx(db: Path, folder: Path) -> dict:
    out = folder / "all.xlsx"
    line = subprocess.run([sys.executable, "-c", XLSX_CHILD, str(db), str(out)], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.split()
    rows, seconds, cpu, before_mib, peak_mib = int(line[0]), *(float(v) for v in line[1:])
    return {"rows": rows, "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "peak_rss_mib": round(peak_mib, 1),
            "rss_before_mib": round(before_mib, 1), "file_mib": round(out.stat().st_size / 2**20, 1)}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _slow_download(port: int, path: str, stop: float, received: list[int]) -> None:
    """Read a download at ~20 kB/s with a small receive buffer, until it ends or the time is up."""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        total = 0
        while time.monotonic() < stop:
            block = conn.recv(2000)
            if not block:
                break
            total += len(block)
            time.sleep(len(block) / SLOW_CLIENT_BYTES_PER_SECOND)
        received.append(total)


def _timed(request: urllib.request.Request | str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
    return time.perf_counter() - started


def measure_slow_clients(db: Path, options: list[str]) -> dict:
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--no-control-socket", *options, "--bind",
         f"127.0.0.1:{port}", "--env", f"ARBEIDSMARKT_DB={db}", "dashboard.wsgi:server"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                _timed(f"http://127.0.0.1:{port}/?lang=en")
                break
            except OSError:
                time.sleep(0.2)
        callback = urllib.request.Request(f"http://127.0.0.1:{port}/_dash-update-component",
                                          data=json.dumps(PAGE_CALLBACK).encode(),
                                          headers={"Content-Type": "application/json"})
        _timed(callback)  # warm: the page body is built once per data version
        quiet = [_timed(callback) for _ in range(5)]
        stop = time.monotonic() + SLOW_CLIENT_SECONDS
        received: list[int] = []
        clients = [threading.Thread(target=_slow_download, args=(port, "/download/observations.csv", stop, received))
                   for _ in range(SLOW_CLIENTS)]
        for client in clients:
            client.start()
        time.sleep(2.0)
        busy_page = [_timed(f"http://127.0.0.1:{port}/data?lang=en") for _ in range(PAGE_REQUESTS // 2)]
        busy_callback = [_timed(callback) for _ in range(PAGE_REQUESTS // 2)]
        for client in clients:
            client.join()
        return {"quiet_callback_median_ms": round(statistics.median(quiet) * 1000, 1),
                "busy_page_max_ms": round(max(busy_page) * 1000, 1),
                "busy_callback_median_ms": round(statistics.median(busy_callback) * 1000, 1),
                "busy_callback_max_ms": round(max(busy_callback) * 1000, 1),
                "slow_client_bytes": received}
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serving", description=__doc__)
    parser.add_argument("--db", type=Path, help="a built database (default: build one from the bundled snapshot)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-serving-") as name:
        folder = Path(name)
        db = args.db
        if db is None:
            from etl.build import build

            db = folder / "labour.sqlite"
            build(db)
        results = {"xlsx_all_rows_bundled": measure_xlsx(db, folder)}
        big = folder / "big.sqlite"
        results["enlarged_rows"] = enlarge(db, big)
        results["xlsx_all_rows_enlarged"] = measure_xlsx(big, folder)
        for label, options in GUNICORN_CONFIGURATIONS.items():
            results[f"slow_clients {label}"] = measure_slow_clients(db, options)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
