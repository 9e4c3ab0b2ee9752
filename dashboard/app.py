"""The Dash app: the shell around the page modules, which register themselves with Dash when imported."""

from __future__ import annotations

import html as html_text
import importlib
import pkgutil
import sys
import threading
from pathlib import Path

import dash
import flask

from dashboard import availability, database, downloads, plotly_bundle, response_cache, shell
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES

ASSETS = Path(__file__).with_name("assets")
PAGES_PACKAGE = "dashboard.pages"
# dcc's lazily loaded parts that the pages' first views use: loaded with the page's other scripts, in parallel, rather
# than asked for one round trip after the page's body arrives (async-highlight never: shell.js stands in for it).
FIRST_VIEW_CHUNKS = {f"dcc/async-{name}.js" for name in ("graph", "dropdown", "markdown")}
# What Dash's renderer asks for once its scripts have run: fetched while they load instead (as its fetch() asks: CORS
# mode, same-origin credentials), so the answers are there when it asks.
FIRST_REQUESTS = [f'<link rel="preload" href="/{name}" as="fetch" crossorigin="anonymous">'
                  for name in ("_dash-layout", "_dash-dependencies")]


def import_pages() -> None:
    """Import every module in dashboard/pages (each calls dash.register_page); Dash allows that once an app exists."""
    package = importlib.import_module(PAGES_PACKAGE)
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{PAGES_PACKAGE}.{info.name}")


def registered_pages() -> dict:
    """Page name -> its module (with state and VIEWS), from dash.page_registry in navigation order."""
    return {page["name"]: sys.modules[page["module"]] for page in dash.page_registry.values()}


class MonitorDash(dash.Dash):
    """Dash whose first HTML answer already carries the page's language and title (screen readers read it first)."""

    _setup_lock = threading.Lock()

    def _setup_server(self) -> None:
        # Dash marks its one-time setup done before it registers the script paths: in a fresh threaded worker a second
        # request would then ask for a script that is not registered yet and get a 500. Threads wait for the first.
        with self._setup_lock:
            super()._setup_server()

    def _setup_plotlyjs(self) -> None:
        # The partial bundle (plotly_bundle), served where dcc.Graph asks for plotly.js, replaces Dash's full 4.8 MB
        # plotly.js when the versions match.
        if not plotly_bundle.matches_plotly():
            super()._setup_plotlyjs()
            return
        self._plotlyjs_url = plotly_bundle.LAZY_PATH

    def interpolate_index(self, **kwargs) -> str:
        page = super().interpolate_index(**kwargs)
        if not flask.has_request_context():
            return page
        lang = flask.request.args.get("lang", DEFAULT_LANGUAGE)
        lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        title = html_text.escape(shell.page_title(flask.request.path, lang))
        page = page.replace("<html>", f'<html lang="{lang}">', 1)
        preloads = [*FIRST_REQUESTS, *([plotly_bundle.PRELOAD] if plotly_bundle.matches_plotly() else [])]
        page = page.replace("</head>", "\n".join([*preloads, "</head>"]), 1)
        start, end = page.find("<title>"), page.find("</title>")
        if start != -1 and end != -1:
            page = page[:start] + f"<title>{title}</title>" + page[end + len("</title>"):]
        return page


def load_first_view_chunks_with_the_page() -> None:
    """Make dcc's chunks in FIRST_VIEW_CHUNKS ordinary scripts of the page (Dash's eager loading, for these alone)."""
    for resource in dash.dcc._js_dist:
        if resource.get("relative_package_path") in FIRST_VIEW_CHUNKS:
            resource.pop("async", None)


def create_app(db_path: Path) -> dash.Dash:
    """Build the app for one database file; nothing is read from it until the first request."""
    database.use(db_path)
    load_first_view_chunks_with_the_page()
    server = flask.Flask(__name__)
    # Dash compresses its answers with flask-compress, which reads its cache settings when Dash sets it up.
    server.config.update(COMPRESS_CACHE_BACKEND=response_cache.CompressedFiles,
                         COMPRESS_CACHE_KEY=response_cache.static_key)
    app = MonitorDash(__name__, server=server, use_pages=True, pages_folder="", assets_folder=str(ASSETS),
                      suppress_callback_exceptions=True, title="Arbeidsmarktmonitor NL·BE", update_title=None,
                      # Page bodies with long tables run to ~300 KB of JSON; gzip/brotli shrink them ~10x.
                      compress=True,
                      # Dash turns async on whenever asgiref is importable (datasette, a bench extra, brings it): the
                      # product's callbacks are synchronous, so say so rather than depend on what else is installed.
                      use_async=False)
    if plotly_bundle.matches_plotly():
        plotly_bundle.register(app.server)
    response_cache.register(app.server, shell.page_view)
    import_pages()
    app.layout = shell.layout
    availability.register(app.server)
    downloads.register(app.server, registered_pages())
    shell.answer_unknown_pages_with_404(app.server)
    return app
