"""Every route answers HTTP 503 with a clear page or line while the database file is missing, empty or damaged."""

from __future__ import annotations

import html
import logging
import tomllib
from functools import cache
from pathlib import Path

import flask

from dashboard import database
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES

TEXTS_FILE = Path(__file__).with_name("availability.toml")
# Static files of Dash and the site need no data; everything else (pages, callbacks, downloads) does.
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
RETRY_AFTER_SECONDS = "60"
LOG = logging.getLogger(__name__)


@cache
def _texts() -> dict[str, dict[str, str]]:
    document = tomllib.loads(TEXTS_FILE.read_text("utf-8"))
    return {key: value for key, value in document.items() if isinstance(value, dict)}


def message(reason: str, lang: str) -> str:
    return _texts()[reason][lang]


def unavailable_page(reason: str, lang: str) -> str:
    """A small self-contained HTML page: the site name, what is wrong in plain words, in the visitor's language."""
    heading = html.escape(message("heading", lang))
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{heading} — Arbeidsmarktmonitor NL·BE</title></head>\n"
            f"<body><header><p>Arbeidsmarktmonitor NL·BE</p></header>\n"
            f'<main><h1>{heading}</h1><p role="alert">{html.escape(message(reason, lang))}</p></main></body></html>\n')


def _answer(error: database.DatabaseUnavailable) -> flask.Response:
    lang = flask.request.args.get("lang", DEFAULT_LANGUAGE)
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    headers = {"Retry-After": RETRY_AFTER_SECONDS, "Cache-Control": "no-store"}
    if flask.request.path.startswith("/download/") or flask.request.method != "GET":
        # Scripts and Dash's callbacks read one line; people get a page.
        return flask.Response(f"error: {message(error.reason, 'en')}\n", status=503, headers=headers,
                              content_type="text/plain; charset=utf-8")
    return flask.Response(unavailable_page(error.reason, lang), status=503, headers=headers,
                          content_type="text/html; charset=utf-8")


def register(server: flask.Flask) -> None:
    """Check the database before every non-static request, and answer any late failure the same way."""

    @server.before_request
    def require_database():
        if flask.request.path.startswith(STATIC_PREFIXES):
            return None
        try:
            database.current().connection()
        except database.DatabaseUnavailable as exc:
            LOG.error("serving 503: %s", exc)
            return _answer(exc)
        return None

    @server.errorhandler(database.DatabaseUnavailable)
    def database_went_away(exc: database.DatabaseUnavailable):
        LOG.error("serving 503: %s", exc)
        return _answer(exc)
