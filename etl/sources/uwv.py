"""UWV spanningsindicator: the five tension classes, the importer for UWV's quarterly file, and its parser."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from decimal import Decimal
from pathlib import Path

import pandas as pd

from etl import observation
from etl.errors import ContractError
from etl.fetch_outcome import FetchOutcome
from etl.observation import DEFINITIONS_DIR, KEY
from etl.parsed import Parsed, dataset_texts
from etl.snapshot import Snapshot, SnapshotStore
from etl.sources import Upload, import_files
from etl.tension_classes import tension_class  # noqa: F401 (part of this source's interface: tests and model)

SOURCE = "uwv"
DATASET_ID = "uwv-spanningsindicator"
FORMAT = "uwv-spanningsindicator-csv"
FILE_NAME = "spanningsindicator.csv"
LAYOUT_FILE = DEFINITIONS_DIR / "uwv_file_layout.toml"
GROUPS_FILE = DEFINITIONS_DIR / "uwv_occupation_groups.csv"
SOURCE_URL = "https://www.uwv.nl/nl/arbeidsmarktinformatie"
LICENCE = "figures as published by UWV; licence as stated on the downloaded file"
COUNT = re.compile(r"^\d+$")
RATIO = re.compile(r"^\d+([.,]\d+)?$")
PERIOD = re.compile(r"^(\d{4})(?:-Q|KW0?|\s*[Kk]wartaal\s*)([1-4])$")


class UwvFormatError(ContractError):
    """A file that does not have UWV's spanningsindicator layout; the message names line and column."""


def _layout() -> dict:
    return tomllib.loads(LAYOUT_FILE.read_text("utf-8"))


def _slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def _number(text: str, where: str, *, count: bool) -> float | None:
    """A cell as a number: counts are whole numbers without thousands separators, ratios use ',' or '.' decimals."""
    cleaned = text.strip()
    if cleaned in ("", "."):
        return None
    if not (COUNT if count else RATIO).match(cleaned):
        kind = "a whole number without thousands separators" if count else "a decimal number like 4,32"
        raise UwvFormatError(f"{where}: {text!r} is not {kind}")
    return float(Decimal(cleaned.replace(",", ".")))


def parse_file(data: bytes, name: str = FILE_NAME, source_url: str = SOURCE_URL) -> Parsed:
    """Contract rows from a spanningsindicator file; anything off-layout raises UwvFormatError naming the line."""
    layout = _layout()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UwvFormatError(f"{name}: not UTF-8 text") from exc
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=layout["delimiter"]) if r]
    except csv.Error as exc:  # an oversized field or broken quoting
        raise UwvFormatError(f"{name}: not readable as delimited text ({exc})") from exc
    if not records or [c.strip() for c in records[0]] != layout["columns"]:
        found = records[0] if records else []
        raise UwvFormatError(f"{name}: header {found} is not UWV's spanningsindicator layout {layout['columns']}")
    groups = pd.read_csv(GROUPS_FILE, dtype=str, keep_default_na=False)
    known_groups = dict(zip(groups["label_nl"], groups["code"], strict=True))
    rows, new_groups = [], {}
    width = len(layout["columns"])
    for number, record in enumerate(records[1:], start=2):
        where = f"{name} line {number}"
        if len(record) != width:
            raise UwvFormatError(f"{where}: {len(record)} fields, the header has {width} (truncated file?)")
        period_text, group, region, vacancies, benefits, ratio = (c.strip() for c in record)
        match = PERIOD.match(period_text)
        if not match:
            raise UwvFormatError(f"{where}: period {period_text!r} is not a quarter like 2023-Q1 or 2023KW01")
        if region not in layout["national"]:
            raise UwvFormatError(f"{where}: region {region!r}: only national figures are supported so far")
        code = "" if group in layout["all_groups"] else known_groups.get(group) or _slug(group)
        if code and group not in known_groups:
            new_groups[code] = group
        base = {"dataset_id": DATASET_ID, "country": "NL", "region": "", "occupation_scheme": "uwv" if code else "",
                "occupation_code": code, "sector_scheme": "", "sector_code": "", "breakdown": "",
                "period": f"{match.group(1)}-Q{match.group(2)}", "status": "final", "source_url": source_url}
        for indicator, unit, cell, count in (("vacancies_open", "vacancies", vacancies, True),
                                             ("ww_recipients_short_duration", "persons", benefits, True),
                                             ("tension_ratio", "ratio", ratio, False)):
            value = _number(cell, f"{where} column {indicator}", count=count)
            if value is not None:
                rows.append({**base, "indicator": indicator, "unit": unit, "value": value})
    if not rows:
        raise UwvFormatError(f"{name}: no figures")
    frame = observation.validate(observation.conform(pd.DataFrame(rows)))
    occupations = pd.DataFrame([{"scheme": "uwv", "code": c, "level": "beroepsgroep", "parent_code": "",
                                 "label_nl": label, "label_en": ""} for c, label in sorted(new_groups.items())])
    return Parsed(observations=frame[KEY + ["value", "unit", "status", "source_url"]],
                  datasets=pd.DataFrame([{
                      "dataset_id": DATASET_ID, "source": SOURCE, "publisher": "UWV", "table_id": "spanningsindicator",
                      "title": "Spanningsindicator arbeidsmarkt", "title_en": "Labour-market tension indicator",
                      "url": SOURCE_URL, "licence": LICENCE,
                      "completeness": "the quarters and occupation groups in the imported UWV file",
                      **dataset_texts(publisher=("UWV", "UWV"), licence=(
                          "cijfers zoals UWV ze publiceerde; licentie zoals vermeld in het gedownloade bestand", LICENCE),
                          completeness=("de kwartalen en beroepsgroepen in het geïmporteerde UWV-bestand",
                                        "the quarters and occupation groups in the imported UWV file")),
                      "note": "Open vacancies divided by WW benefits that have run under six months, at quarter end."}]),
                  occupations=occupations)


def _parse_snapshot(snapshot: Snapshot) -> Parsed:
    return parse_file(snapshot.read_bytes(FILE_NAME), FILE_NAME, snapshot.extra.get("source_url", SOURCE_URL))


PARSERS = {FORMAT: _parse_snapshot}


def fetch(store: SnapshotStore) -> list[FetchOutcome]:
    """UWV offers no machine-readable API for the spanningsindicator: nothing to fetch, the stored data stays."""
    return [FetchOutcome(SOURCE, DATASET_ID, "unchanged",
                         "UWV has no live API for this; download its file and run `python -m etl import uwv FILE`")]


def _check(unit: tuple[Path, bytes]) -> tuple[Parsed, Upload]:
    path, data = unit
    return parse_file(data, str(path)), Upload(key=DATASET_ID, format=FORMAT, files={FILE_NAME: data},
                                               location=str(path), extra={"source_url": SOURCE_URL})


def import_paths(paths: list[Path], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """Check every file's layout first, then store each as a snapshot."""
    return import_files(SOURCE, LICENCE, paths, "UWV spanningsindicator files (CSV)", _check, store)
