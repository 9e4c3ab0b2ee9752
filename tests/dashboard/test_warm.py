"""Every page's first view, in each language, stored in the shared answer cache before gunicorn's workers start."""

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing

from dashboard import database, gunicorn_hooks, response_cache, shell, warm


def _router_key(path: str, search: str) -> str:
    body = next(b for b in warm.request_bodies([path], [".._pages_content.children..._pages_store.data.."])
                if json.loads(b)["inputs"][1]["value"] == search)
    return response_cache.request_key(body, shell.page_view)


def test_warming_stores_each_pages_first_view_which_a_visitor_then_gets_without_a_render(dash_app, db, db_path,
                                                                                           monkeypatch):
    warm.warm(dash_app)
    cache = response_cache.cache_for(db.path)
    for page in shell.site_pages():
        for search in warm.SEARCHES:
            assert cache.get(_router_key(page["path"], search)) is not None, (page["path"], search)
    assert warm.warm(dash_app) == 0
    monkeypatch.setattr(shell, "rendered", lambda *args: (_ for _ in ()).throw(AssertionError("rendered again")))
    visit = {"output": ".._pages_content.children..._pages_store.data..",
             "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
             "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/industry"},
                        {"id": "_pages_location", "property": "search", "value": "?sector=N&lang=nl"}],
             "changedPropIds": ["_pages_location.search"]}
    answer = dash_app.server.test_client().post("/_dash-update-component", json=visit)
    assert answer.status_code == 200 and b"industry" in answer.data


def test_the_warm_requests_are_the_ones_a_browser_sends_on_opening_a_page():
    frame, router = warm.request_bodies(["/methods"], ["..shell-nav.children...shell-lang.href..",
                                                        ".._pages_content.children..._pages_store.data.."])[:2]
    assert json.loads(router) == {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/methods"},
                   {"id": "_pages_location", "property": "search", "value": ""}],
        "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
        "parsedChangedPropsIds": ["_pages_location.pathname", "_pages_location.search"]}
    assert json.loads(frame)["outputs"] == [{"id": "shell-nav", "property": "children"},
                                            {"id": "shell-lang", "property": "href"}]


class _Log:
    def __init__(self):
        self.lines = []

    def info(self, message, *args):
        self.lines.append(("info", message % args))

    def warning(self, message, *args):
        self.lines.append(("warning", message % args))


class _Server:
    def __init__(self):
        self.log = _Log()


def test_gunicorns_start_hook_warms_the_cache_of_the_database_its_env_names(dash_app, tmp_path, db_path, monkeypatch):
    copy = tmp_path / "labour.sqlite"
    copy.write_bytes(db_path.read_bytes())
    monkeypatch.setenv(database.DB_VARIABLE, str(copy))
    server = _Server()
    gunicorn_hooks.on_starting(server)
    with closing(sqlite3.connect(response_cache.cache_path(copy))) as conn:
        rows = conn.execute("SELECT COUNT(*) FROM response").fetchone()[0]
        scripts = conn.execute("SELECT COUNT(*) FROM response WHERE mimetype = 'compressed'").fetchone()[0]
    # Per page: the frame for each search; the body for each language (`?lang=nl` is the view of ``), stored under the
    # request's text and under its view.
    pages, languages = len(shell.site_pages()), len(warm.SEARCHES) - 1
    assert rows - scripts == pages * (len(warm.SEARCHES) + 2 * languages)
    answers = pages * (len(warm.SEARCHES) + languages)
    assert server.log.lines[-1] == ("info", f"warm: {answers} page answers stored in {response_cache.cache_path(copy)}")
    # Dash's fingerprinted scripts, once for plain-http and once for secure browsers (the small assets are streamed).
    page = dash_app.server.test_client().get("/").get_data(as_text=True)
    assert scripts == 2 * len([src for src in warm.SCRIPT.findall(page) if src.startswith("/_dash-component-suites/")])


def test_a_missing_database_is_logged_and_the_server_starts_anyway(tmp_path, monkeypatch):
    monkeypatch.setenv(database.DB_VARIABLE, str(tmp_path / "missing.sqlite"))
    server = _Server()
    gunicorn_hooks.on_starting(server)
    level, line = server.log.lines[-1]
    assert level == "warning" and line.startswith("warm: nothing stored: ") and "does not exist" in line


def test_a_serving_worker_starts_without_the_excel_writer_which_only_an_excel_download_needs(db_path):
    probe = "import sys, dashboard.wsgi; print('openpyxl' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                           env={**os.environ, database.DB_VARIABLE: str(db_path)})
    assert found.stdout.strip() == "False"


def test_each_worker_gets_one_malloc_arena_and_fixed_thresholds(monkeypatch):
    calls = []

    class _Libc:
        def mallopt(self, option, value):
            calls.append((option, value))

    monkeypatch.setattr(gunicorn_hooks.ctypes, "CDLL", lambda name: _Libc())
    gunicorn_hooks.post_fork(_Server(), None)
    assert calls == [(-8, 1), (-3, 131072), (-1, 131072)]
