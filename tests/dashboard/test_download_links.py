"""Every download linked from a page answers: each page is rendered in both languages and each link requested."""

import sys
from urllib.parse import urlsplit

import dash
from dash.development.base_component import Component


def _hrefs(component) -> list[str]:
    """Every href in a rendered Dash component tree."""
    found = []
    if isinstance(component, Component):
        props = component.to_plotly_json()["props"]
        if isinstance(props.get("href"), str):
            found.append(props["href"])
        for value in props.values():
            found.extend(_hrefs(value))
    elif isinstance(component, list | tuple):
        for child in component:
            found.extend(_hrefs(child))
    return found


def _download_links(dash_app) -> list[str]:
    links = []
    for page in dash.page_registry.values():
        module = sys.modules[page["module"]]
        for lang in ("nl", "en"):
            with dash_app.server.test_request_context(f"{page['path']}?lang={lang}"):
                links.extend(h for h in _hrefs(module.layout(lang=lang)) if urlsplit(h).path.startswith("/download/"))
    return list(dict.fromkeys(links))


def test_every_page_links_its_downloads_and_the_data_page_the_database_file(dash_app, db):
    paths = {urlsplit(link).path for link in _download_links(dash_app)}
    assert "/download/view/methods/model_settings.csv" in paths
    assert "/download/labour.sqlite" in paths
    assert {path.split("/")[3] for path in paths if path.startswith("/download/view/")} >= {
        "sector", "occupation", "industry", "compare", "outlook", "data", "methods"}


def test_every_download_linked_from_a_page_answers_with_a_file(dash_app, db):
    client = dash_app.server.test_client()
    failed = []
    for link in _download_links(dash_app):
        response = client.get(link)
        if response.status_code != 200 or not response.data or "attachment" not in response.headers.get(
                "Content-Disposition", ""):
            failed.append(f"{link}: {response.status_code} {response.get_data(as_text=True)[:120]}")
    assert failed == []
