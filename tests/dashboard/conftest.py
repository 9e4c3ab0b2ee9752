"""Fixtures for dashboard tests: a database built from the committed bundle, the app, a live server, Debian's Chromium."""

from __future__ import annotations

import shutil
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


EU_REFERENCE = Path(__file__).parents[2].parent / "shared" / "reference" / "eu" / "eurostat_jvr_press.csv"
EUROSTAT_RATES = "eurostat-jvs_q_nace2"


@pytest.fixture()
def with_eurostat_rates(db_path, tmp_path):
    """A database with Eurostat's quoted job vacancy rates (NL, BE, EA; NACE B-S) in the data product's shape.

    The bundled build carries them once the bundle does; until then they are loaded here from ../shared, one value per
    country and quarter (the value most sources print, the first in the file on a tie).
    """
    import sqlite3

    from dashboard import database

    with sqlite3.connect(db_path) as con:
        bundled = con.execute("SELECT COUNT(*) FROM dataset WHERE dataset_id = ?", (EUROSTAT_RATES,)).fetchone()[0]
    if bundled:
        yield database.use(db_path)
        return
    if not EU_REFERENCE.exists():
        pytest.skip(f"{EU_REFERENCE} is absent (the shared reference material is not checked out)")
    import pandas as pd

    quoted = pd.read_csv(EU_REFERENCE, dtype=str, keep_default_na=False)
    quoted = quoted[(quoted["nace"] == "B-S") & quoted["geo"].isin(["NL", "BE", "EA"])]
    counts = quoted.groupby(["geo", "period", "value"], sort=False).size().rename("n").reset_index()
    chosen = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates(["geo", "period"])
    urls = quoted.drop_duplicates(["geo", "period", "value"]).set_index(["geo", "period", "value"])["source_url"]
    path = tmp_path / "labour.sqlite"
    shutil.copy(db_path, path)
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO dataset (dataset_id, source, publisher, table_id, title, title_en, url, licence, origin, "
                    "row_count) VALUES (?, 'eurostat', 'Eurostat', 'jvs_q_nace2', 'Vacaturegraad per kwartaal', "
                    "'Job vacancy rate by quarter', 'https://ec.europa.eu/eurostat/databrowser/view/jvs_q_nace2/default/table', "
                    "'Eurostat: reuse with acknowledgement of the source', 'bundled', ?)", (EUROSTAT_RATES, len(chosen)))
        con.executemany(
            "INSERT INTO observation (dataset_id, indicator, country, sector_scheme, sector_code, period, value, unit, "
            "status, source_url) VALUES (?, 'vacancy_rate', ?, 'nace2', 'B-S', ?, ?, 'percent', 'reported', ?)",
            [(EUROSTAT_RATES, r.geo, r.period, float(r.value), urls[(r.geo, r.period, r.value)])
             for r in chosen.itertuples()])
    yield database.use(path)
    database.use(db_path)
