"""plotly.js as its partial 'basic' bundle (scatter, bar, pie: all the pages draw), gzipped once, cached for a year.

The files are `plotly-basic.min.js` of the npm package plotly.js-basic-dist-min, compressed with `gzip -9n` and with
brotli (quality 11, window 24) — browsers advertise brotli only to secure origins (plotly.js is MIT-licensed; its
licence sits beside it). Upgrade it together with plotly: the version must match the
plotly.js that the installed plotly.py was made for, or the dashboard falls back to the full bundle Dash serves.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from pathlib import Path

from flask import Flask, Response, abort, request

PLOTLY_JS_VERSION = "4.1.1"
BUNDLE = Path(__file__).with_name("vendor") / f"plotly-basic-{PLOTLY_JS_VERSION}.min.js.gz"
BROTLI_BUNDLE = BUNDLE.with_suffix(".br")
ROUTE = "/vendor/<name>"
# The URL carries the content's digest, so a browser may keep the file for a year without asking again.
CACHE_CONTROL = "public, max-age=31536000, immutable"


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
def url() -> str:
    digest = hashlib.sha256(_compressed()).hexdigest()[:12]
    return f"/vendor/plotly-basic-{PLOTLY_JS_VERSION}.{digest}.min.js"


def register(server: Flask) -> None:
    """Serve the bundle at `url()`: stored brotli or gzip bytes as they are, decompressed only for a client with neither."""
    def serve(name: str) -> Response:
        if f"/vendor/{name}" != url():
            abort(404)
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
        return response

    server.add_url_rule(ROUTE, "plotly_bundle", serve)
