"""`python -m dashboard.warm`: store every page's first view, in each language, and its scripts compressed, for all workers.

gunicorn runs this once before its workers start (dashboard/gunicorn_hooks.py), in a process of its own: the workers
then send a first visitor's page from the cache instead of building it (100-500 ms each), and never hold the memory
that building every page leaves behind. A cache that already holds this data and code version's views is left as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import dash

from dashboard import database, response_cache
from dashboard.app import create_app
from dashboard.i18n import LANGUAGES
from etl.paths import DEFAULT_DB

LOCATION = "_pages_location"
SCRIPT = re.compile(r'<script[^>]*\ssrc="([^"]+)"')
# What browsers accept from a plain-http address and from a secure one (brotli and zstd only there).
ACCEPTED_ENCODINGS = ("gzip, deflate", "gzip, deflate, br, zstd")
# The first view of a page, as its navigation link and a shared link without a language open it.
SEARCHES = ("", *(f"?lang={lang}" for lang in LANGUAGES))


def _outputs(multi_output: str) -> list[dict]:
    """Dash's `..a.children...b.data..` as the outputs list a browser sends."""
    return [dict(zip(("id", "property"), name.rsplit(".", 1), strict=True))
            for name in multi_output.strip(".").split("...")]


def request_bodies(paths: list[str], callbacks: list[str]) -> list[bytes]:
    """The requests a browser sends to each callback (named by its outputs) when it opens each path with each search."""
    bodies = []
    for path in paths:
        for search in SEARCHES:
            inputs = [{"id": LOCATION, "property": "pathname", "value": path},
                      {"id": LOCATION, "property": "search", "value": search}]
            changed = [f"{LOCATION}.pathname", f"{LOCATION}.search"]
            for output in callbacks:
                bodies.append(json.dumps({"output": output, "outputs": _outputs(output), "inputs": inputs,
                                          "changedPropIds": changed, "parsedChangedPropsIds": changed}).encode())
    return bodies


def compress_scripts(client, scripts: list[str]) -> None:
    """Ask for each of the page's scripts as browsers do, so each is compressed once, here (response_cache.static_key)."""
    for src in scripts:
        for encodings in ACCEPTED_ENCODINGS:
            client.get(src, headers={"Accept-Encoding": encodings}).close()


def warm(app: dash.Dash) -> int:
    """Render and store every missing first view of `app`'s pages; return how many answers were stored."""
    from dashboard import shell

    client = app.server.test_client()
    compress_scripts(client, SCRIPT.findall(client.get("/").get_data(as_text=True)))  # the first request sets Dash up
    callbacks = [name for name in app.callback_map if any(output in name for output in response_cache.CACHED_OUTPUTS)]
    cache = response_cache.cache_for(database.current().path)
    stored = 0
    for body in request_bodies([page["path"] for page in shell.site_pages()], callbacks):
        key = response_cache.request_key(body, shell.page_view)
        if key is None or cache.get(key) is not None:
            continue
        answer = client.post(response_cache.CALLBACK_PATH, data=body, headers={"Content-Type": "application/json"})
        if answer.status_code != 200:
            raise RuntimeError(f"{json.loads(body)['inputs']}: the callback answered HTTP {answer.status_code}")
        stored += 1
    return stored


def main(argv: list[str] | None = None) -> int:
    options = argparse.ArgumentParser(prog="python -m dashboard.warm", description=__doc__.splitlines()[0])
    options.add_argument("--db", type=Path, default=Path(os.environ.get(database.DB_VARIABLE, DEFAULT_DB)),
                         help=f"the data product (default: ${database.DB_VARIABLE} or {DEFAULT_DB})")
    args = options.parse_args(argv)
    try:
        stored = warm(create_app(args.db))
    except database.DatabaseError as exc:
        print(f"warm: nothing stored: {exc}", file=sys.stderr)
        return 1
    print(f"warm: {stored} page answers stored in {response_cache.cache_path(args.db.resolve())}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
