"""The partial plotly.js bundle: the version plotly.py expects, preloaded where dcc.Graph fetches plotly.js, gzipped."""

import gzip
import re

import brotli
from plotly.offline import get_plotlyjs_version

from dashboard import plotly_bundle


def test_vendored_bundle_is_the_plotly_js_version_the_installed_plotly_was_made_for():
    assert plotly_bundle.PLOTLY_JS_VERSION == get_plotlyjs_version()
    assert gzip.decompress(plotly_bundle.BUNDLE.read_bytes()).startswith(
        f"/**\n* plotly.js (basic - minified) v{get_plotlyjs_version()}\n".encode())


def test_every_page_preloads_the_partial_bundle_where_dcc_graph_asks_for_plotly_and_runs_no_plotly_script(dash_app):
    page = dash_app.server.test_client().get("/").get_data(as_text=True)
    assert '<link rel="preload" href="/_dash-component-suites/plotly/package_data/plotly.min.js" as="script">' in page
    scripts = re.findall(r'<script[^>]*src="([^"]*)"', page)
    assert scripts and not [src for src in scripts if "plotly" in src]


def test_bundle_is_sent_as_stored_gzip_bytes_and_revalidated_by_its_digest(dash_app):
    client = dash_app.server.test_client()
    response = client.get(plotly_bundle.LAZY_PATH, headers={"Accept-Encoding": "gzip, deflate"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.get_data() == plotly_bundle.BUNDLE.read_bytes()
    again = client.get(plotly_bundle.LAZY_PATH, headers={"Accept-Encoding": "gzip", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_bundle_is_sent_as_stored_brotli_bytes_to_a_client_that_accepts_them(dash_app):
    response = dash_app.server.test_client().get(plotly_bundle.LAZY_PATH, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == gzip.decompress(plotly_bundle.BUNDLE.read_bytes())


def test_bundle_is_decompressed_for_a_client_without_gzip(dash_app):
    response = dash_app.server.test_client().get(plotly_bundle.LAZY_PATH, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == gzip.decompress(plotly_bundle.BUNDLE.read_bytes())
