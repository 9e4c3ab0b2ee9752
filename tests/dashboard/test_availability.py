"""A missing, empty or garbage database file gives HTTP 503 with a clear message on every route, and recovers."""

import json
import shutil

import dash
import pytest

from dashboard import availability, database

PAGE_CALLBACK = {"output": "..._pages_content.children..._pages_store.data...", "outputs": [],
                 "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/data"}], "changedPropIds": []}


def _make(kind: str, tmp_path):
    path = tmp_path / "labour.sqlite"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "damaged":
        path.write_bytes(b"this is not a database\n" * 500)
    return path


@pytest.fixture()
def serve(dash_app, db_path):
    """Point the app at another file for one test, then back at the session's database."""
    yield lambda path: database.use(path)
    database.use(db_path)


@pytest.mark.parametrize("kind", ["missing", "empty", "damaged"])
def test_every_page_answers_503_with_a_page_that_says_what_is_wrong(dash_app, serve, tmp_path, kind):
    serve(_make(kind, tmp_path))
    client = dash_app.server.test_client()
    for page in dash.page_registry.values():
        for lang in ("nl", "en"):
            response = client.get(f"{page['path']}?lang={lang}")
            assert response.status_code == 503, page["path"]
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            body = response.get_data(as_text=True)
            assert f'<html lang="{lang}">' in body
            assert f'<p role="alert">{availability.message(kind, lang)}</p>' in body
            assert str(tmp_path) not in body


@pytest.mark.parametrize("kind", ["missing", "empty", "damaged"])
def test_downloads_and_callbacks_answer_503_with_one_line(dash_app, serve, tmp_path, kind):
    serve(_make(kind, tmp_path))
    client = dash_app.server.test_client()
    for response in (client.get("/download/observations.csv?country=NL"), client.get("/download/labour.sqlite"),
                     client.get("/download/view/data/catalogue.csv"),
                     client.post("/_dash-update-component", data=json.dumps(PAGE_CALLBACK),
                                 content_type="application/json")):
        assert response.status_code == 503
        assert response.get_data(as_text=True) == f"error: {availability.message(kind, 'en')}\n"
        assert response.headers["Retry-After"] == "60"


def test_static_files_are_served_without_a_database(dash_app, serve, tmp_path):
    serve(_make("missing", tmp_path))
    assert dash_app.server.test_client().get("/assets/style.css").status_code == 200


def test_a_garbage_file_replaced_by_a_good_build_is_served_again_by_the_same_thread(dash_app, serve, db_path, tmp_path):
    path = _make("damaged", tmp_path)
    serve(path)
    client = dash_app.server.test_client()
    assert client.get("/download/observations.csv?country=NL&indicator=tension_ratio").status_code == 503
    assert client.get("/download/observations.csv?country=NL&indicator=tension_ratio").status_code == 503
    shutil.copy(db_path, path)
    assert client.get("/download/observations.csv?country=NL&indicator=tension_ratio").status_code == 200
