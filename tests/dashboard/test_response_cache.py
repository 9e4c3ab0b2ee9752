"""Page callback answers stored once in a SQLite file beside the database and sent again by any worker."""

import gzip
import json
import re
import sqlite3
from contextlib import closing

import flask
import pytest

from dashboard import database, response_cache, shell
from dashboard.pages import methods

ROUTER_REQUEST = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/methods"},
               {"id": "_pages_location", "property": "search", "value": "?lang=en&cache-test=1"}],
    "changedPropIds": ["_pages_location.pathname"],
}


def _post(dash_app, request, encoding="gzip"):
    return dash_app.server.test_client().post("/_dash-update-component", json=request,
                                              headers={"Accept-Encoding": encoding})


def test_a_stored_page_answer_is_sent_from_the_file_without_running_the_callback(dash_app, db, db_path):
    first = _post(dash_app, ROUTER_REQUEST, "identity")
    assert first.status_code == 200
    keys = [response_cache.request_key(json.dumps(ROUTER_REQUEST).encode(), view) for view in (None, shell.page_view)]
    stand_in = b'{"response": {"_pages_content": {"children": "from the cache"}}}'
    with closing(sqlite3.connect(response_cache.cache_path(db_path))) as conn, conn:
        stored = [conn.execute("SELECT body FROM response WHERE key = ?", (key,)).fetchone()[0] for key in keys]
        conn.executemany("UPDATE response SET body = ?, gzipped = ? WHERE key = ?",
                         [(stand_in, gzip.compress(stand_in), key) for key in keys])
    assert stored == [first.get_data(), first.get_data()]
    again = _post(dash_app, ROUTER_REQUEST, "identity")
    assert again.get_data() == stand_in
    zipped = _post(dash_app, ROUTER_REQUEST, "gzip, br")
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.get_data()) == stand_in


def test_a_new_spelling_of_a_stored_view_is_answered_from_it_and_then_found_by_its_own_text(dash_app, db, monkeypatch):
    def post(search):
        request = {**ROUTER_REQUEST, "inputs": json.loads(_router("/methods", search))["inputs"]}
        return _post(dash_app, request, "identity").get_data()

    first = post("?lang=en&spelling=1")
    monkeypatch.setattr(shell, "rendered", lambda *args: pytest.fail("the page was rendered again"))
    assert post("?spelling=1&lang=en") == first
    database.forget_cached()
    monkeypatch.setattr(methods, "state", lambda *args: pytest.fail("the page state was worked out again"))
    assert post("?spelling=1&lang=en") == first


def test_a_rebuilt_database_or_changed_dashboard_code_gives_a_new_key(db, monkeypatch):
    body = json.dumps(ROUTER_REQUEST).encode()
    before = response_cache.request_key(body)
    monkeypatch.setattr(type(db), "data_version", lambda self: "another-build")
    rebuilt = response_cache.request_key(body)
    monkeypatch.setattr(response_cache, "code_version", lambda: "another-code")
    upgraded = response_cache.request_key(body)
    assert len({before, rebuilt, upgraded}) == 3


def _router(path: str, search) -> bytes:
    request = {**ROUTER_REQUEST, "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                                            {"id": "_pages_location", "property": "search", "value": search}]}
    return json.dumps(request).encode()


def test_every_spelling_of_one_page_view_has_one_key_and_another_view_another(db):
    def key(path, search):
        return response_cache.request_key(_router(path, search), shell.page_view)

    industry = key("/industry", "?sector=N")
    assert key("/industry", "?lang=nl&sector=N") == industry
    assert key("/industry", "") == industry  # N is the default section
    assert key("/industry", "?frequency=quarter&group=vacancies&sector=N&lang=nl") == industry
    assert len({industry, key("/industry", "?sector=all"), key("/industry", "?sector=N&lang=en"),
                key("/industry", "?sector=N&typo=1"), key("/compare", "?sector=N")}) == 5


def test_a_search_dash_would_not_parse_names_the_view_dash_renders_not_the_one_it_spells(db):
    # Dash's router reads no query from a search without its '?': the key must not claim the view it spells.
    assert shell.page_view("/industry", "sector=all") == shell.page_view("/industry", "")
    assert shell.page_view("/industry", "?sector=all") != shell.page_view("/industry", "")


def test_a_path_no_page_claims_or_a_malformed_location_keeps_the_key_of_the_request_text(db):
    unknown = _router("/no-such-page", "?sector=N")
    assert response_cache.request_key(unknown, shell.page_view) == response_cache.request_key(unknown)
    malformed = _router("/industry", ["?sector=N"])
    assert response_cache.request_key(malformed, shell.page_view) == response_cache.request_key(malformed)


def test_callbacks_other_than_the_page_router_and_the_site_frame_are_not_cached(db):
    request = {"output": "occupation-results.children", "outputs": {"id": "occupation-results", "property": "children"},
               "inputs": [{"id": "occupation-query", "property": "value", "value": "call"}]}
    assert response_cache.request_key(json.dumps(request).encode()) is None


def test_a_cache_file_that_cannot_be_written_switches_the_cache_off_instead_of_failing(tmp_path):
    cache = response_cache.ResponseCache(tmp_path / "missing-folder" / "responses")
    cache.put("key", "application/json", b"{}")
    assert cache.get("key") is None
    assert cache.enabled is False


def test_a_versioned_script_is_compressed_once_and_then_sent_from_the_shared_cache(dash_app, db, monkeypatch):
    import flask_compress.flask_compress

    client = dash_app.server.test_client()
    script = next(src for src in re.findall(r'src="([^"]+)"', client.get("/").get_data(as_text=True))
                  if "/dash_renderer." in src)
    first = client.get(script, headers={"Accept-Encoding": "gzip, deflate"})
    monkeypatch.setattr(flask_compress.flask_compress, "_compress_data",
                        lambda *args: pytest.fail("the script was compressed again"))
    again = client.get(script, headers={"Accept-Encoding": "gzip, deflate"})
    assert again.headers["Content-Encoding"] == first.headers["Content-Encoding"] == "gzip"
    assert again.get_data() == first.get_data() and gzip.decompress(again.get_data()).startswith(b"/*")


def test_only_files_whose_address_names_their_version_are_kept(dash_app):
    def key(path):
        with dash_app.server.test_request_context(path):
            return response_cache.static_key(flask.request)

    assert key("/_dash-component-suites/dash/dcc/async-graph.v4_4_1m1796000100.js")
    assert key("/assets/shell.js?m=1796010590.2399604")
    assert key("/_dash-component-suites/dash/dcc/async-graph.js") == key("/assets/shell.js") == key("/_dash-layout") == ""
    # a query parameter added to a versioned file's address makes no second copy
    assert key("/_dash-component-suites/dash/dcc/async-graph.v4_4_1m1796000100.js?x=1") == key(
        "/_dash-component-suites/dash/dcc/async-graph.v4_4_1m1796000100.js")
    assert key("/assets/shell.js?m=1796010590.2399604&x=1") == key("/assets/shell.js?m=1796010590.2399604")
