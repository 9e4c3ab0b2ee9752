"""Statbel: live fetch of the job-vacancy and wage open-data files, import of downloads recognised by content, parsers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import requests

from etl import http
from etl.errors import SourceError
from etl.fetch_outcome import FetchOutcome
from etl.parsed import Parsed
from etl.snapshot import Snapshot, SnapshotStore
from etl.sources import Upload, fetch_dataset, import_files, statbel_layout

SOURCE = "statbel"
FORMAT = "statbel-opendata-txt"
LICENCE = statbel_layout.LICENCE
# A portal error or maintenance page starts like this instead of a ZIP or a text file.
HTML_STARTS = (b"<!doctype", b"<html", b"<?xml")
HOW_TO_IMPORT = "download it from statbel.fgov.be/nl/open-data and run `python -m etl import statbel FILE`"


def parse(name: str, data: bytes, source_url: str) -> Parsed:
    """Contract rows of one stored download (pure): every text file in it must have the dataset's layout."""
    frames = []
    for member, content in statbel_layout.text_members(data, name):
        table = statbel_layout.read_table(content, member)
        found = statbel_layout.layout_of(table)
        frames.append((found, statbel_layout.observations(found, table, source_url)))
    names = sorted({found for found, _ in frames})
    return Parsed(observations=pd.concat([f for _, f in frames], ignore_index=True),
                  datasets=pd.DataFrame([statbel_layout.dataset_row(n) for n in names]))


def _parse_snapshot(snapshot: Snapshot) -> Parsed:
    (file_name,) = snapshot.files
    return parse(file_name, snapshot.read_bytes(file_name), snapshot.extra.get("source_url", snapshot.location))


PARSERS = {FORMAT: _parse_snapshot}


def download(url: str, what: str, session: requests.Session | None = None) -> bytes:
    """The body at url, with the retry policy and size cap of etl.http; an HTML page instead of a file is a SourceError."""
    body = http.get(session or requests.Session(), url, what)
    if "html" in body.content_type.lower() or body.content.lstrip()[:9].lower().startswith(HTML_STARTS):
        raise SourceError(f"{what}: the server sent an HTML page instead of the data file")
    return body.content


def fetch(store: SnapshotStore) -> list[FetchOutcome]:
    """One outcome per dataset; a failure is reported and keeps the stored data, the others go on."""
    unreachable = http.UnreachableHosts()
    outcomes = []
    for name, layout in statbel_layout.datasets().items():
        hint = "" if layout.get("url_verified") else " (the URL in etl/definitions/statbel_files.toml is unverified)"
        outcomes.append(fetch_dataset(SOURCE, layout["dataset_id"], f"Statbel {name}", layout["url"], unreachable,
                                      lambda name=name, layout=layout: _fetch_dataset(store, name, layout),
                                      advice=f"{hint}; stored data kept; or {HOW_TO_IMPORT}"))
    return outcomes


def _fetch_dataset(store: SnapshotStore, name: str, layout: dict) -> FetchOutcome:
    url = layout["url"]
    file_name = url.rsplit("/", 1)[-1]
    data = download(url, f"Statbel {name}")
    parsed = parse(file_name, data, url)
    _, is_new = store.save(source=SOURCE, key=layout["dataset_id"], format=FORMAT, origin="live",
                           files={file_name: data}, licence=LICENCE, location=url, extra={"source_url": url})
    return FetchOutcome(SOURCE, layout["dataset_id"], "fetched" if is_new else "unchanged",
                        f"{len(parsed.observations)} rows")


def _check(unit: tuple[Path, bytes]) -> tuple[Parsed, Upload]:
    path, data = unit
    parsed = parse(str(path), data, "")
    key = "+".join(sorted(parsed.datasets["dataset_id"]))
    return parsed, Upload(key=key, format=FORMAT, files={path.name: data}, location=str(path),
                          extra={"source_url": ""})


def import_paths(paths: list[Path], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """Recognise every file by its header (never its name) and parse it first; store them only when all are good."""
    return import_files(SOURCE, LICENCE, paths, "Statbel files (ZIP or text)", _check, store)
