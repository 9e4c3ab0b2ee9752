"""Read-only access to the data product: parameterised queries with a row cap and time limit, cached per data version."""

from __future__ import annotations

import base64
import functools
import hashlib
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from etl.observation import COLUMNS

DB_VARIABLE = "ARBEIDSMARKT_DB"  # names the database file for gunicorn's workers and the answer-cache warmer
ROW_CAP = 100_000
TIME_LIMIT_SECONDS = 5.0
STREAM_TIME_LIMIT_SECONDS = 120.0
CACHE_ENTRIES = 512
PROGRESS_STEPS = 10_000  # SQLite VM steps between time-limit checks
HASH_BLOCK_BYTES = 1024 * 1024
FILTERABLE = [c for c in COLUMNS if c != "value"]


class DatabaseError(RuntimeError):
    """The database is missing, not a data product, too slow for a query, or a result exceeds the row cap."""


class DatabaseUnavailable(DatabaseError):
    """The database file is missing, empty or not a data product: nothing can be served (HTTP 503)."""

    def __init__(self, path: Path, reason: str, detail: str = ""):
        self.reason = reason  # one of UNAVAILABLE_REASONS: the plain words a visitor sees name it
        super().__init__(f"{path}: {UNAVAILABLE_REASONS[reason]}{': ' + detail if detail else ''}; "
                         "run `python -m etl build` first")


UNAVAILABLE_REASONS = {
    "missing": "the database file does not exist",
    "empty": "the database file is empty",
    "damaged": "the file is not a data product built by `python -m etl build`",
}


def file_identity(path: Path) -> tuple[int, int, int, int]:
    """(device, inode, mtime in ns, size): every build or model run that replaces or rewrites the file changes it."""
    try:
        found = os.stat(path)
    except FileNotFoundError as exc:
        raise DatabaseUnavailable(path, "missing") from exc
    if found.st_size == 0:
        raise DatabaseUnavailable(path, "empty")
    return found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size


@dataclass(frozen=True)
class FileFacts:
    """What a downloader can check the data-product file against."""

    sha256: str
    sha256_base64: str
    size: int
    built_at: str


class Database:
    """One data-product file opened read-only; a rebuilt file (new identity) is picked up on the next query."""

    def __init__(self, path: Path):
        self.path = Path(path).resolve()
        self._local = threading.local()
        self._cache: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
        self._lock = threading.Lock()
        self._facts: dict[tuple[int, ...], FileFacts] = {}

    # -- connections -----------------------------------------------------------------------------------------
    def _uri(self) -> str:
        return f"file:{quote(str(self.path))}?mode=ro"

    def _open(self) -> sqlite3.Connection:
        file_identity(self.path)
        conn = sqlite3.connect(self._uri(), uri=True, check_same_thread=False)
        conn.execute("PRAGMA query_only = 1")
        return conn

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, reopened when the file was replaced or rewritten (a build or a model run)."""
        identity = file_identity(self.path)
        local = self._local
        if getattr(local, "identity", None) != identity:
            if getattr(local, "conn", None) is not None:
                local.conn.close()
                local.conn = None
            local.identity = None
            conn = self._open()
            try:
                build = self._read_build(conn)
            except DatabaseError:
                conn.close()
                raise
            # Only a connection that passed the check is kept: a bad file must not leave a half-set thread state.
            local.conn, local.identity = conn, identity
            local.version = "|".join([build.get("build_id", ""), build.get("data_version", ""), build.get("built_at", ""),
                                      *(str(part) for part in identity)])
        return local.conn

    def _read_build(self, conn: sqlite3.Connection) -> dict[str, str]:
        try:
            rows = conn.execute("SELECT key, value FROM build_info").fetchall()
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnavailable(self.path, "damaged", str(exc)) from exc
        return dict(rows)

    def data_version(self) -> str:
        """The key every cache uses: the build id, data version and build time plus the file's identity, so any new
        build or model run (even one that changed only labels, crosswalks or model outputs) is never served stale."""
        self.connection()
        return self._local.version

    def file_facts(self, handle=None) -> FileFacts:
        """sha256, size and build date of the file (of `handle` if given: an open copy), computed once per file."""
        if handle is None:
            with open(self.path, "rb") as own:
                return self.file_facts(own)
        found = os.fstat(handle.fileno())
        identity = (found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size)
        with self._lock:
            facts = self._facts.get(identity)
        if facts is None:
            digest = hashlib.sha256()
            position = handle.tell()
            while block := handle.read(HASH_BLOCK_BYTES):
                digest.update(block)
            handle.seek(position)
            facts = FileFacts(digest.hexdigest(), base64.b64encode(digest.digest()).decode("ascii"), found.st_size,
                              self.build_info().get("built_at", ""))
            with self._lock:
                self._facts = {identity: facts}  # only the newest file matters
        return facts

    # -- queries ---------------------------------------------------------------------------------------------
    def query(self, sql: str, params: tuple = (), *, cap: int = ROW_CAP) -> pd.DataFrame:
        """Run one parameterised statement, cached per data version; refuses results over the row cap."""
        conn = self.connection()
        key = (self._local.version, sql, params, cap)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key].copy()
        frame = self._run(conn, sql, params, cap)
        with self._lock:
            self._cache[key] = frame
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)
        return frame.copy()

    def _run(self, conn: sqlite3.Connection, sql: str, params: tuple, cap: int) -> pd.DataFrame:
        deadline = time.monotonic() + TIME_LIMIT_SECONDS
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
        try:
            cursor = conn.execute(sql, params)
            rows = cursor.fetchmany(cap + 1)
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise DatabaseError(f"query took longer than {TIME_LIMIT_SECONDS:g} s and was stopped") from exc
            raise
        finally:
            conn.set_progress_handler(None, 0)
        if len(rows) > cap:
            raise DatabaseError(f"the result has more than {cap:,} rows; narrow the selection")
        return pd.DataFrame(rows, columns=[d[0] for d in cursor.description])

    def stream(self, sql: str, params: tuple = (), chunk: int = 2_000) -> Iterator[tuple[list[str], list[tuple]]]:
        """Yield (columns, rows) chunks from a dedicated connection, for downloads of any size."""
        self.connection()  # refuses a missing, empty or damaged file with DatabaseUnavailable before any row
        conn = self._open()
        deadline = time.monotonic() + STREAM_TIME_LIMIT_SECONDS
        conn.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
        try:
            cursor = conn.execute(sql, params)
            columns = [d[0] for d in cursor.description]
            while rows := cursor.fetchmany(chunk):
                yield columns, rows
        finally:
            conn.close()

    def table_exists(self, name: str) -> bool:
        found = self.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,))
        return not found.empty

    def tables(self, prefix: str) -> list[str]:
        found = self.query("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name LIKE ? ESCAPE '\\' "
                           "ORDER BY name", (prefix.replace("_", r"\_") + "%",))
        return [n for n in found["name"] if n.startswith(prefix)]

    def columns(self, table: str) -> list[str]:
        if table not in self.tables(""):
            raise DatabaseError(f"no table {table!r}")
        return list(self.query(f"SELECT * FROM {table} LIMIT 0").columns)

    def observations(self, filters: dict[str, str | list[str] | tuple[str, ...]], *, cap: int = ROW_CAP) -> pd.DataFrame:
        """Observation rows matching every filter (a list means any of its values); ordered by key."""
        sql, params = observation_filter(filters)
        return self.query(f"SELECT {', '.join(COLUMNS)} FROM observation{sql} ORDER BY {', '.join(COLUMNS[:10])}",
                          params, cap=cap)

    def build_info(self) -> dict[str, str]:
        frame = self.query("SELECT key, value FROM build_info")
        return dict(zip(frame["key"], frame["value"], strict=True))


def observation_filter(filters: dict[str, str | list[str] | tuple[str, ...]], alias: str = "") -> tuple[str, tuple]:
    """A parameterised WHERE clause; column names are checked against the contract, values are never interpolated."""
    clauses, params = [], []
    prefix = f"{alias}." if alias else ""
    for column, wanted in filters.items():
        if column not in FILTERABLE:
            raise DatabaseError(f"cannot filter observations on {column!r}")
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        if not values:
            clauses.append("0")
        elif len(values) == 1:
            clauses.append(f"{prefix}{column} = ?")
        else:
            clauses.append(f"{prefix}{column} IN ({', '.join('?' for _ in values)})")
        params.extend(values)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


_current: Database | None = None
_MEMO_ENTRIES = 1024
_memo: OrderedDict[tuple, object] = OrderedDict()
_memo_lock = threading.Lock()


def per_version(function):
    """Cache a pure function of the database contents and hashable arguments, per file and data version.

    Callers must treat the returned object as read-only (frames are shared between requests).
    """
    @functools.wraps(function)
    def cached(*args):
        db = current()
        key = (function.__module__, function.__qualname__, str(db.path), db.data_version(), args)
        with _memo_lock:
            if key in _memo:
                _memo.move_to_end(key)
                return _memo[key]
        result = function(*args)
        with _memo_lock:
            _memo[key] = result
            while len(_memo) > _MEMO_ENTRIES:
                _memo.popitem(last=False)
        return result

    cached.uncached = function
    return cached


def forget_cached() -> None:
    """Drop every result kept by `per_version` and every cached query (benchmarks measure a first visitor's cost)."""
    with _memo_lock:
        _memo.clear()
    if _current is not None:
        with _current._lock:
            _current._cache.clear()


def use(path: Path) -> Database:
    """Point the dashboard at a database file (called once by the app factory, or by tests)."""
    global _current
    _current = Database(path)
    return _current


def current() -> Database:
    if _current is None:
        raise DatabaseError("no database configured; start the dashboard with `python -m dashboard --db PATH`")
    return _current
