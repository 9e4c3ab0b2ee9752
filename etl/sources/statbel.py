"""Statbel: live fetch of the job-vacancy and wage open-data files, import of downloads recognised by content, parsers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import requests

from etl import observation
from etl.errors import InputError, SourceError
from etl.parsed import FetchOutcome, Parsed
from etl.snapshot import Snapshot, SnapshotStore
from etl.sources import cbs_http, statbel_layout
from etl.sources.statbel_layout import StatbelFormatError

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
        found = statbel_layout.recognise(table)
        if found is None:
            raise StatbelFormatError(f"{member}: header {table.header} is not a Statbel job-vacancy or wage layout "
                                     f"(see etl/definitions/statbel_files.toml)")
        frames.append((found, statbel_layout.observations(found, table, source_url)))
    names = sorted({found for found, _ in frames})
    return Parsed(observations=pd.concat([f for _, f in frames], ignore_index=True),
                  datasets=pd.DataFrame([statbel_layout.dataset_row(n) for n in names]))


def _parse_snapshot(snapshot: Snapshot) -> Parsed:
    (file_name,) = snapshot.files
    return parse(file_name, snapshot.read_bytes(file_name), snapshot.extra.get("source_url", snapshot.location))


PARSERS = {FORMAT: _parse_snapshot}


def download(url: str, what: str, session: requests.Session | None = None) -> bytes:
    """The body at url, with the CBS timeouts and retry policy; an HTML page instead of a file is a SourceError."""
    session = session or requests.Session()

    def call() -> requests.Response:
        response = session.get(url, timeout=cbs_http.TIMEOUT)
        response.raise_for_status()
        return response

    response = cbs_http.with_retries(call, what)
    if "html" in response.headers.get("Content-Type", "").lower() or \
            response.content.lstrip()[:9].lower().startswith(HTML_STARTS):
        raise SourceError(f"{what}: the server sent an HTML page instead of the data file")
    return response.content


def fetch(store: SnapshotStore) -> list[FetchOutcome]:
    """One outcome per dataset; a failure is reported and keeps the stored data, the others go on."""
    unreachable = cbs_http.UnreachableHosts()
    return [_fetch_dataset(store, name, layout, unreachable) for name, layout in statbel_layout.datasets().items()]


def _fetch_dataset(store: SnapshotStore, name: str, layout: dict, unreachable: cbs_http.UnreachableHosts) -> FetchOutcome:
    dataset_id, url = layout["dataset_id"], layout["url"]
    what = f"Statbel {name}"
    no_network = unreachable.message(what, url)
    if unreachable.known(url):
        return FetchOutcome(SOURCE, dataset_id, "failed", no_network)
    file_name = url.rsplit("/", 1)[-1]
    try:
        data = download(url, what)
        parsed = parse(file_name, data, url)
    except cbs_http.HostUnresolvable:
        unreachable.remember(url)
        return FetchOutcome(SOURCE, dataset_id, "failed", no_network)
    except SourceError as exc:
        hint = "" if layout.get("url_verified") else " (the URL in etl/definitions/statbel_files.toml is unverified)"
        return FetchOutcome(SOURCE, dataset_id, "failed", f"{exc}{hint}; stored data kept; or {HOW_TO_IMPORT}")
    except (StatbelFormatError, observation.ObservationError) as exc:
        return FetchOutcome(SOURCE, dataset_id, "failed", f"{what}: answer not in the expected layout: {exc}")
    _, is_new = store.save(source=SOURCE, key=dataset_id, format=FORMAT, origin="live", files={file_name: data},
                           licence=LICENCE, location=url, extra={"source_url": url})
    return FetchOutcome(SOURCE, dataset_id, "fetched" if is_new else "unchanged", f"{len(parsed.observations)} rows")


def import_paths(paths: list[Path], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """Recognise every file by its header (never its name) and parse it first; store them only when all are good."""
    checked = []
    for path in map(Path, paths):
        if path.is_dir():
            raise InputError(f"{path}: a directory; give the Statbel files (ZIP or text) themselves")
        data = path.read_bytes()
        try:
            parsed = parse(path.name, data, "")
        except (StatbelFormatError, observation.ObservationError) as exc:
            message = str(exc).replace(path.name, str(path), 1)
            raise InputError(message if str(path) in message else f"{path}: {message}") from exc
        ids = sorted(parsed.datasets["dataset_id"])
        checked.append((path, data, "+".join(ids)))
    return [store.save(source=SOURCE, key=key, format=FORMAT, origin="import", files={path.name: data},
                       licence=LICENCE, location=str(path), extra={"source_url": ""})
            for path, data, key in checked]
