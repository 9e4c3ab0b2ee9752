"""The partial plotly.js bundle: the version plotly.py expects, in the page instead of the full bundle, served gzipped."""

import gzip

import brotli
from plotly.offline import get_plotlyjs_version

from dashboard import plotly_bundle


def test_vendored_bundle_is_the_plotly_js_version_the_installed_plotly_was_made_for():
    assert plotly_bundle.PLOTLY_JS_VERSION == get_plotlyjs_version()
    assert gzip.decompress(plotly_bundle.BUNDLE.read_bytes()).startswith(
        f"/**\n* plotly.js (basic - minified) v{get_plotlyjs_version()}\n".encode())


def test_every_page_loads_the_partial_bundle_and_not_the_full_one(dash_app):
    page = dash_app.server.test_client().get("/").get_data(as_text=True)
    assert f'src="{plotly_bundle.url()}"' in page
    assert "plotly.min.js" not in page


def test_bundle_is_sent_as_stored_gzip_bytes_with_a_year_long_immutable_cache(dash_app):
    response = dash_app.server.test_client().get(plotly_bundle.url(), headers={"Accept-Encoding": "gzip, deflate"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data() == plotly_bundle.BUNDLE.read_bytes()


def test_bundle_is_sent_as_stored_brotli_bytes_to_a_client_that_accepts_them(dash_app):
    response = dash_app.server.test_client().get(plotly_bundle.url(), headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.get_data()) == gzip.decompress(plotly_bundle.BUNDLE.read_bytes())


def test_bundle_is_decompressed_for_a_client_without_gzip(dash_app):
    response = dash_app.server.test_client().get(plotly_bundle.url(), headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == gzip.decompress(plotly_bundle.BUNDLE.read_bytes())


def test_an_old_or_unknown_bundle_name_is_not_found(dash_app):
    assert dash_app.server.test_client().get("/vendor/plotly-basic-0.0.1.abc.min.js").status_code == 404
