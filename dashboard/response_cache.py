"""Serialised answers (page callbacks, CSV downloads, compressed scripts) in one SQLite file all workers share.

A page body costs 100-500 ms to build and ~10 ms to serialise; the same URL gives the same answer as long as the data
and the dashboard's code are the same, so the answer is stored once, gzipped, under a key of both versions, and any
worker (also one started later) sends the stored bytes. A rebuilt database or changed code gives new keys; old entries
are dropped when the file passes MAX_BYTES.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import flask

from dashboard import database

CALLBACK_PATH = "/_dash-update-component"
# Only callbacks whose answer is a pure function of the URL and the data: the page router and the site frame.
ROUTER_OUTPUT = "_pages_content.children"
CACHED_OUTPUTS = (ROUTER_OUTPUT, "shell-nav.children")
MAX_RESPONSE_BYTES = 4 * 2**20
MAX_BYTES = 256 * 2**20
CODE_SUFFIXES = {".py", ".toml", ".csv", ".js", ".css"}
VERSIONED_FILE = re.compile(r"\.v[0-9_]+m[0-9]+\.")  # Dash's fingerprint: dash_renderer.v4_4_1m1796000100.min.js
SCHEMA = """CREATE TABLE IF NOT EXISTS response (
    key TEXT PRIMARY KEY, mimetype TEXT NOT NULL, body BLOB NOT NULL, gzipped BLOB NOT NULL)"""
LOG = logging.getLogger(__name__)
PageView = Callable[[str | None, str | None], object]


def cache_path(db_path: Path) -> Path:
    return Path(db_path).with_name(f".{Path(db_path).name}.responses")


@functools.cache
def code_version() -> str:
    """A digest of the dashboard's own files, so an upgraded dashboard never sends an answer built by the old one."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(p for p in package.rglob("*") if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def request_key(body: bytes, page_view: PageView | None = None) -> str | None:
    """The cache key of a callback request, or None when its callback is not one the cache keeps.

    With `page_view`, the router's key is the page and its cleaned state rather than the URL's text, so every spelling
    of one view (parameter order, defaults written out or left away) is one entry that a warmed cache already holds.
    """
    text = body.decode("utf-8", "replace")
    if not any(output in text for output in CACHED_OUTPUTS):
        return None
    try:
        request = json.loads(text)
    except json.JSONDecodeError:
        return None
    if page_view is not None and ROUTER_OUTPUT in str(request.get("output")):
        location = {item.get("property"): item.get("value") for item in request.get("inputs") or []
                    if isinstance(item, dict) and item.get("id") == "_pages_location"}
        pathname, search = location.get("pathname"), location.get("search")
        view = page_view(pathname, search) if isinstance(pathname, str) and isinstance(search, str | None) else None
        if view is not None:
            return answer_key({"output": request.get("output"), "view": view})
    what = {k: request.get(k) for k in ("output", "outputs", "inputs", "state", "changedPropIds")}
    return answer_key(what)


def answer_key(what: object) -> str:
    """The cache key of an answer that is a pure function of `what` (JSON-able), the data and the dashboard's code."""
    canonical = json.dumps(what, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{database.current().data_version()}\0{code_version()}\0{canonical}".encode()).hexdigest()


class ResponseCache:
    """get/put of serialised answers in a SQLite file; any SQLite error turns the cache off instead of failing a page."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self.enabled = True

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=0.5, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(SCHEMA)
            self._local.conn = conn
        return conn

    def get(self, key: str) -> tuple[str, bytes, bytes] | None:
        if not self.enabled:
            return None
        try:
            return self._conn().execute("SELECT mimetype, body, gzipped FROM response WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._disable(exc)
            return None

    def put(self, key: str, mimetype: str, body: bytes, gzipped: bytes | None = None) -> None:
        """Store an answer and its gzipped form (compressed here unless given); too big an answer is not kept."""
        if not self.enabled or len(body) > MAX_RESPONSE_BYTES:
            return
        try:
            conn = self._conn()
            conn.execute("INSERT OR IGNORE INTO response VALUES (?, ?, ?, ?)",
                         (key, mimetype, body, gzipped if gzipped is not None else gzip.compress(body, 6, mtime=0)))
            if self.path.stat().st_size > MAX_BYTES:
                conn.execute("DELETE FROM response")
        except (sqlite3.Error, OSError) as exc:
            self._disable(exc)

    def _disable(self, exc: Exception) -> None:
        LOG.warning("callback answer cache %s switched off: %s", self.path, exc)
        self.enabled = False


class CompressedFiles:
    """flask-compress's cache: a compressed script or style sheet, kept in the shared answer cache, so a file is
    compressed once for every worker (the warmer does it before they start) instead of on every request."""

    def __init__(self):
        self._present: set[str] = set()  # keys this process found stored: flask-compress stores after every hit

    @staticmethod
    def _keeps(key: str) -> bool:
        return not key.endswith(";")  # flask-compress's `algorithm;` + an empty static_key: not a versioned file

    def get(self, key: str) -> bytes | None:
        stored = cache_for(database.current().path).get(key) if self._keeps(key) else None
        if stored is None:
            return None
        self._present.add(key)
        return stored[1]

    def set(self, key: str, value: bytes) -> None:
        if self._keeps(key) and key not in self._present:
            cache_for(database.current().path).put(key, "compressed", value, b"")
            self._present.add(key)


def static_key(request: flask.Request) -> str:
    """flask-compress's cache key: for a GET of a file whose address names its version — Dash's fingerprinted component
    scripts, the assets' `?m=` modification time — the address and the dashboard's code; '' for anything else."""
    versioned = request.path.startswith("/assets/") and "m" in request.args or (
        request.path.startswith("/_dash-component-suites/") and VERSIONED_FILE.search(request.path))
    if request.method != "GET" or not versioned:
        return ""
    # The path and the version alone: any other query parameter would only add copies of the same file.
    return hashlib.sha256(f"static\0{code_version()}\0{request.path}\0{request.args.get('m', '')}".encode()).hexdigest()


@functools.cache
def cache_for(db_path: Path) -> ResponseCache:
    """One cache per database file, found when a request comes (the app may be pointed at its file after creation)."""
    return ResponseCache(cache_path(db_path))


def _stored(cache: ResponseCache, body: bytes, page_view: PageView | None) -> tuple[tuple | None, list[str]]:
    """The stored answer of a callback request and the keys to store a new one under. The request's own text is looked
    up first (no page state to work out); a miss there that its view answers is stored under the text's key too."""
    text_key = request_key(body)
    if text_key is None:
        return None, []
    stored = cache.get(text_key)
    if stored is not None:
        return stored, []
    view_key = request_key(body, page_view) if page_view is not None else text_key
    if view_key == text_key:
        return None, [text_key]
    stored = cache.get(view_key)
    if stored is None:
        return None, [text_key, view_key]
    cache.put(text_key, *stored)
    return stored, []


def register(server: flask.Flask, page_view: PageView | None = None) -> None:
    """Answer cached page callbacks before Dash runs them; store the answers Dash gives (before compression).
    `page_view(pathname, search)` names the view a router request asks for (see `request_key`)."""
    @server.before_request
    def send_stored_answer():
        if flask.request.method != "POST" or not flask.request.path.endswith(CALLBACK_PATH):
            return None
        try:
            cache = cache_for(database.current().path)
            stored, keys = _stored(cache, flask.request.get_data(cache=True), page_view)
        except database.DatabaseError:
            return None
        if stored is None:
            flask.g.response_cache_keys = keys
            return None
        mimetype, body, gzipped = stored
        if "gzip" in flask.request.headers.get("Accept-Encoding", ""):
            response = flask.Response(gzipped, mimetype=mimetype)
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = flask.Response(body, mimetype=mimetype)
        response.headers["Vary"] = "Accept-Encoding"
        return response

    @server.after_request
    def store_answer(response: flask.Response) -> flask.Response:
        keys = flask.g.pop("response_cache_keys", [])
        if keys and response.status_code == 200 and not response.is_streamed and "Content-Encoding" not in response.headers:
            body = response.get_data()
            gzipped = gzip.compress(body, 6, mtime=0)
            for key in keys:
                cache_for(database.current().path).put(key, response.mimetype, body, gzipped)
        return response
