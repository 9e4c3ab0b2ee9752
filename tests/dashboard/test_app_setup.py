"""The app's one-time setup under threaded workers: a request that arrives during it waits instead of failing."""

from __future__ import annotations

import collections
import threading
from pathlib import Path

import dash


def test_a_script_asked_for_while_another_thread_sets_up_the_app_waits_for_the_setup_and_is_served(dash_app, monkeypatch):
    monkeypatch.setitem(dash_app._got_first_request, "setup_server", False)
    monkeypatch.setattr(dash_app, "registered_paths", collections.defaultdict(set))
    entered, release = threading.Event(), threading.Event()
    generate_scripts = dash_app._generate_scripts_html

    def slow_generation():
        entered.set()
        release.wait(10)
        return generate_scripts()

    monkeypatch.setattr(dash_app, "_generate_scripts_html", slow_generation)
    react = sorted(Path(dash.__file__).with_name("deps").glob("react@18*.min.js"))[-1].name
    statuses = {}

    def get(name: str, path: str) -> None:
        statuses[name] = dash_app.server.test_client().get(path).status_code

    page = threading.Thread(target=get, args=("page", "/"))
    page.start()
    assert entered.wait(10)
    script = threading.Thread(target=get, args=("script", f"/_dash-component-suites/dash/deps/{react}"))
    script.start()
    script.join(timeout=1.0)  # without the lock the script is answered (500) at once; with it, it waits for the setup
    release.set()
    page.join(10)
    script.join(10)
    assert statuses == {"page": 200, "script": 200}


def test_the_chunks_a_first_view_uses_are_long_cached_scripts_of_the_page_and_the_highlighter_is_not(dash_app):
    page = dash_app.server.test_client().get("/").get_data(as_text=True)
    chunks = sorted(name for name in ("graph", "dropdown", "markdown", "highlight", "datepicker", "slider")
                    if f"/dcc/async-{name}." in page)
    assert chunks == ["dropdown", "graph", "markdown"]
    script = dash_app.server.test_client().get(
        next(src for src in page.split('"') if "/dcc/async-graph." in src))
    assert script.status_code == 200 and script.headers["Cache-Control"] == "max-age=31536000"


def test_the_page_preloads_what_dashs_renderer_asks_for_first_as_its_fetch_asks_for_it(dash_app):
    page = dash_app.server.test_client().get("/industry").get_data(as_text=True)
    head = page[:page.index("</head>")]
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert f'<link rel="preload" href="{path}" as="fetch" crossorigin="anonymous">' in head
