"""The frame around every page: skip link, navigation built from dash.page_registry, language switch, footer."""

from __future__ import annotations

import logging
import sys

import dash
import flask
from dash import ClientsideFunction, Input, Output, callback, clientside_callback, dcc, html
from dash._pages import _parse_query_string

from dashboard import database, params
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, text

SITE_KEY = "site.name"
# Dash shows the page whose module is named `not_found_404` for every path no page claims.
NOT_FOUND_MODULE = "dashboard.not_found_404"
NOT_FOUND_PATH = "/not-found"
LOG = logging.getLogger(__name__)


def layout() -> html.Div:
    """Static shell; the navigation and footer are filled by `frame` from the URL."""
    return html.Div([
        html.A(text("shell.skip", DEFAULT_LANGUAGE), href="#main", className="skip-link", id="shell-skip"),
        html.Header([
            html.Div([html.Span("Arbeidsmarktmonitor NL·BE", className="site-name"),
                      html.Div([
                          # On a phone the navigation folds behind this button (hidden by CSS on wider screens).
                          html.Button(text("shell.menu", DEFAULT_LANGUAGE), id="shell-menu", className="menu-toggle",
                                      type="button", n_clicks=0,
                                      **{"aria-expanded": "false", "aria-controls": "shell-nav-region"}),
                          html.A("", id="shell-lang", className="lang-switch", href="?lang=en"),
                      ], className="masthead-actions")], className="masthead"),
            html.Nav(html.Ul(id="shell-nav"), id="shell-nav-region", **{"aria-label": "navigation"}),
        ], className="site-header"),
        html.Main(dash.page_container, id="main", tabIndex="-1"),
        html.Footer(id="shell-footer", className="site-footer"),
        dcc.Store(id="shell-meta"),
        html.Div(id="shell-dummy", hidden=True),
    ], className="shell")


def _lang(search: str | None) -> str:
    lang = params.parse_search(search).get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def site_pages() -> list[dict]:
    """The registered pages a visitor can navigate to, in navigation order (the not-found page is none of them)."""
    return [page for page in dash.page_registry.values() if page["module"] != NOT_FOUND_MODULE]


def _normal(path: str) -> str:
    return path.rstrip("/") or "/"


@database.per_version
def page_view(pathname: str | None, search: str | None) -> tuple | None:
    """What the page router's answer for a URL depends on: the page and the cleaned state of its query (None for a path
    no page claims exactly). `?sector=N` and `?lang=nl&sector=N` are one view, so they share one stored answer."""
    for page in site_pages():
        if pathname == page["path"]:
            # Parsed as Dash's router parses it, so the key never names another view than the one Dash renders.
            state = sys.modules[page["module"]].state(_parse_query_string(search))
            return page["path"], state.lang, tuple(sorted(state.values.items())), tuple(state.problems)
    return None


def page_title(path: str, lang: str) -> str:
    for page in site_pages():
        if page["path"] == _normal(path):
            return f"{text(page['title_key'], lang)} — {text(SITE_KEY, lang)}"
    return f"{text('shell.not_found', lang)} — {text(SITE_KEY, lang)}"


def _status_for_unknown_pages(response: flask.Response) -> flask.Response:
    # Dash answers every path with its page shell; a path no page claims must say 404 to browsers and crawlers.
    known = {page["path"] for page in site_pages()}
    if response.status_code == 200 and response.mimetype == "text/html" and _normal(flask.request.path) not in known:
        response.status_code = 404
    return response


def answer_unknown_pages_with_404(server: flask.Flask) -> None:
    """Register the not-found page and make unknown addresses answer HTTP 404 with the site's navigation."""
    from dashboard import not_found_404

    dash.register_page(NOT_FOUND_MODULE, path=NOT_FOUND_PATH, layout=not_found_404.layout,
                       title=text("shell.not_found", "en"))
    server.after_request(_status_for_unknown_pages)


@callback(Output("shell-nav", "children"), Output("shell-lang", "children"), Output("shell-lang", "href"),
          Output("shell-lang", "lang"), Output("shell-meta", "data"), Output("shell-footer", "children"),
          Output("shell-skip", "children"), Output("shell-nav-region", "aria-label"), Output("shell-menu", "children"),
          Input("_pages_location", "pathname"), Input("_pages_location", "search"))
def frame(pathname: str | None, search: str | None):
    """Navigation in the page's language, a switch to the other language that keeps the view, the footer."""
    lang = _lang(search)
    path = pathname or "/"
    items = []
    for page in site_pages():
        current = {"aria-current": "page"} if page["path"] == path else {}
        # dcc.Link takes no aria attributes, so the list item carries aria-current.
        items.append(html.Li(dcc.Link(text(page["title_key"], lang), href=page["path"] + params.search_string(lang=lang),
                                      className="current" if current else ""), **current))
    other = "en" if lang == "nl" else "nl"
    query = params.parse_search(search)
    query["lang"] = other
    footer = [html.P(text("shell.footer", lang))]
    try:
        info = database.current().build_info()
        footer.append(html.P(text("shell.version", lang, version=info.get("data_version", ""),
                                  built=info.get("built_at", ""))))
    except database.DatabaseError as exc:
        footer.append(html.P(str(exc), role="alert"))
    meta = {"lang": lang, "title": page_title(path, lang)}
    return (items, text("shell.switch", other), path + params.search_string(**query), other, meta, footer,
            text("shell.skip", lang), text("shell.nav_label", lang), text("shell.menu", lang))


clientside_callback(
    ClientsideFunction(namespace="shell", function_name="applyMeta"),
    Output("shell-dummy", "children"), Input("shell-meta", "data"), Input("_pages_store", "data"),
)

clientside_callback(
    ClientsideFunction(namespace="shell", function_name="toggleMenu"),
    Output("shell-nav-region", "className"), Output("shell-menu", "aria-expanded"),
    Input("shell-menu", "n_clicks"), Input("_pages_location", "pathname"),
)


def guarded(name: str, query: dict, read_state, render) -> html.Div:
    """Render a page from its URL query: bad parameters give a visible message, a missing database a clear one."""
    try:
        state = read_state(query)
    except database.DatabaseError as exc:
        return html.Div(html.P(str(exc), role="alert", className="problem"), className="page")
    notice = []
    if state.problems:
        notice = [html.Div([html.P(text("params.heading", state.lang)), html.Ul([html.Li(p) for p in state.problems])],
                           role="alert", className="problem", id=f"{name}-problems")]
    try:
        body = rendered(state, render)
    except database.DatabaseError as exc:
        LOG.warning("page %s: %s", name, exc)
        body = html.P(str(exc), role="alert", className="problem")
    return html.Div([*notice, body], lang=state.lang)


def rendered(state: params.PageState, render):
    """A page body, a pure function of the data version and the page state (its problems are shown by `guarded`).

    Built for each request the shared answer cache has not answered (response_cache keeps the serialised body for every
    worker); not kept here as well, so a worker does not hold the component tree of every page it has built.
    """
    return render(params.PageState(lang=state.lang, values=dict(state.values)))
