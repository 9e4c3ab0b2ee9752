"""plotly.js as its partial 'basic' bundle (scatter, bar, pie: all the pages draw), stored compressed, fetched early.

The files are `plotly-basic.min.js` of the npm package plotly.js-basic-dist-min, compressed with `gzip -9n` and with
brotli (quality 11, window 24) — browsers advertise brotli only to secure origins (plotly.js is MIT-licensed; its
licence sits beside it). Upgrade it together with plotly: the version must match the
plotly.js that the installed plotly.py was made for, or the dashboard falls back to the full bundle Dash serves.

The bundle is not a script of the page: dcc.Graph loads plotly.js from Dash's own address for it when a page draws its
first graph, and the page preloads that address, so the 1 MB of JavaScript is fetched with the page's other scripts but
evaluated only on pages that draw a graph, after their body has arrived — not before the page asks for its layout.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from pathlib import Path

from flask import Flask, Response, request

PLOTLY_JS_VERSION = "4.1.1"
BUNDLE = Path(__file__).with_name("vendor") / f"plotly-basic-{PLOTLY_JS_VERSION}.min.js.gz"
BROTLI_BUNDLE = BUNDLE.with_suffix(".br")
# Where dcc.Graph asks for plotly.js when the page has none (Dash serves its full 4.8 MB bundle there otherwise).
LAZY_PATH = "/_dash-component-suites/plotly/package_data/plotly.min.js"
# The address carries no version: a browser keeps the file but asks whether it changed (a 304 when it did not).
CACHE_CONTROL = "no-cache"
PRELOAD = f'<link rel="preload" href="{LAZY_PATH}" as="script">'


def matches_plotly() -> bool:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version() == PLOTLY_JS_VERSION and BUNDLE.exists()


@functools.cache
def _compressed() -> bytes:
    return BUNDLE.read_bytes()


@functools.cache
def _brotli() -> bytes:
    return BROTLI_BUNDLE.read_bytes()


@functools.cache
def digest() -> str:
    return hashlib.sha256(_compressed()).hexdigest()[:16]


def register(server: Flask) -> None:
    """Serve the bundle at LAZY_PATH: stored brotli or gzip bytes as they are, decompressed only for a client with neither."""
    def serve() -> Response:
        accepted = request.headers.get("Accept-Encoding", "")
        if "br" in accepted:
            response = Response(_brotli(), mimetype="text/javascript")
            response.headers["Content-Encoding"] = "br"
        elif "gzip" in accepted:
            response = Response(_compressed(), mimetype="text/javascript")
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = Response(gzip.decompress(_compressed()), mimetype="text/javascript")
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.headers["Vary"] = "Accept-Encoding"
        response.set_etag(digest())
        return response.make_conditional(request)

    server.add_url_rule(LAZY_PATH, "plotly_bundle", serve)
