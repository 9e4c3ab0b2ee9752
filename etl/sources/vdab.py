"""VDAB: import the knelpuntberoepen list and Arvastat Excel exports (recognised by content); no open live API."""

from __future__ import annotations

import hashlib
from pathlib import Path

from etl.errors import InputError
from etl.fetch_outcome import FetchOutcome
from etl.parsed import Parsed
from etl.snapshot import Snapshot, SnapshotStore
from etl.sources import Upload, import_files, vdab_arvastat, vdab_list, vdab_sheets

SOURCE = "vdab"
LIST_FORMAT = "vdab-knelpuntberoepen-list"
ARVASTAT_FORMAT = "vdab-arvastat-export"
LICENCE = "VDAB figures as published by VDAB"
# Datasets a refresh reports on: VDAB offers them only as web pages and Arvastat's interactive Excel export
# (its vacancy API needs a partner agreement and key), so there is nothing to fetch without a person.
MANUAL_DATASETS = {
    vdab_list.DATASET_ID: "the yearly list is a web page/PDF",
    "vdab-arvastat": "Arvastat exports Excel from its web tool only",
}
FILE_NAME = {LIST_FORMAT: "knelpuntberoepen", ARVASTAT_FORMAT: "arvastat"}


def _parse_file(format_name: str, data: bytes, name: str) -> Parsed:
    table = vdab_sheets.rows(data, name)
    parser = vdab_list.parse if format_name == LIST_FORMAT else vdab_arvastat.parse
    return parser(table, name)


def _parse_snapshot(snapshot: Snapshot) -> Parsed:
    (file_name,) = snapshot.files
    return _parse_file(snapshot.format, snapshot.read_bytes(file_name), snapshot.location)


PARSERS = {LIST_FORMAT: _parse_snapshot, ARVASTAT_FORMAT: _parse_snapshot}


def fetch(store: SnapshotStore) -> list[FetchOutcome]:
    """Nothing to download: say so per dataset, and how to load the file by hand; stored data stays."""
    return [FetchOutcome(SOURCE, dataset_id, "unchanged",
                         f"no open VDAB API ({why}); download it and run `python -m etl import vdab FILE`")
            for dataset_id, why in MANUAL_DATASETS.items()]


def recognise(data: bytes, name: str) -> str:
    """The snapshot format of a file from its cells, never its name; InputError when it is neither layout."""
    try:
        table = vdab_sheets.rows(data, name)
    except vdab_sheets.SheetError as exc:
        raise InputError(f"{name}: {exc}") from exc
    if not table:
        raise InputError(f"{name}: the file is empty")
    if vdab_list.recognise(table):
        return LIST_FORMAT
    if vdab_arvastat.kind(table) is not None:
        return ARVASTAT_FORMAT
    raise InputError(f"{name}: neither a knelpuntberoepen list ('Knelpuntberoepen YYYY' with Beroep and cause "
                     "columns) nor an Arvastat export (Hoofdberoepsgroep/Beroepsgroep/Beroep/Totaal header)")


def _check(unit: tuple[Path, bytes]) -> tuple[Parsed, Upload]:
    path, data = unit
    format_name = recognise(data, str(path))
    parsed = _parse_file(format_name, data, str(path))
    periods = sorted(set(parsed.observations["period"]))
    key = f"{parsed.datasets['dataset_id'].iloc[0]}-{periods[0]}-{periods[-1]}"
    files = {f"{FILE_NAME[format_name]}-{hashlib.sha256(data).hexdigest()[:12]}": data}
    return parsed, Upload(key=key, format=format_name, files=files, location=str(path))


def import_paths(paths: list[Path], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """Recognise and parse every file first; store them only when all are good."""
    return import_files(SOURCE, LICENCE, paths, "VDAB files", _check, store)
