"""Fixtures for dashboard tests: a database built from the committed bundle, the app, a live server, Debian's Chromium."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dashboard.app import create_app

# Pages register themselves with Dash when imported, which Dash allows only once an app exists, and test modules import
# pages while being collected, before any fixture runs: so the session's one app is made here, pointed at its database
# by the `dash_app` fixture (the app reads nothing until the first request).
APP = create_app(Path("labour.sqlite"))

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach the (closed) network.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def db_path(tmp_path_factory) -> Path:
    """The data product as `make run` builds it on a fresh clone: bundled snapshot only."""
    from etl.build import build

    path = tmp_path_factory.mktemp("dashboard") / "labour.sqlite"
    build(path)
    return path


@pytest.fixture(scope="session")
def dash_app(db_path):
    """One app per test session (Dash registers pages and their callbacks globally, once)."""
    from dashboard import database

    database.use(db_path)
    return APP


@pytest.fixture()
def db(dash_app, db_path):
    """The dashboard's read-only database, pointed at the session's file."""
    from dashboard import database

    return database.use(db_path)


@pytest.fixture(scope="session")
def live_server(dash_app, db_path):
    """The app served from a thread on a free port; yields its base URL."""
    from dashboard import database

    database.use(db_path)
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (`make setup` installs Debian's chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "accept_downloads": True, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture()
def console_errors(page):
    """Console errors and uncaught exceptions of the page under test."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors
