"""Eurostat: the harmonised NL/BE layer (vacancy rate by NACE, employment and earnings by ISCO), fetched or imported."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pandas as pd
import requests

from etl import http, observation
from etl.fetch_outcome import FetchOutcome
from etl.observation import DEFINITIONS_DIR, KEY
from etl.parsed import Parsed, dataset_texts
from etl.snapshot import Snapshot, SnapshotStore
from etl.sources import Upload, eurostat_cells, fetch_dataset, import_files
from etl.sources.eurostat_cells import JSONSTAT_FORMAT, TIME_DIMENSION, TSV_FORMAT, EurostatFormatError

SOURCE = "eurostat"
TABLES_FILE = DEFINITIONS_DIR / "eurostat_tables.toml"
LICENCE = "Eurostat reuse policy (CC BY 4.0); source: Eurostat"
TABLE_PAGE = "https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table"
FILE_NAME = {JSONSTAT_FORMAT: "{code}.json", TSV_FORMAT: "{code}.tsv"}
# Dimensions that become columns of the observation rather than a cut in breakdown.
HANDLED = {"freq", "geo", TIME_DIMENSION, "nace_r2", "isco08"}
TOTAL_CODES = {"TOTAL"}
ISCO = re.compile(r"^OC(\d{1,4})$")
# Eurostat flags -> observation status; any other flag (b break, u low reliability, d definition) keeps `final`.
FLAG_STATUS = (("p", "provisional"), ("e", "estimated"))
PERIOD = re.compile(r"^(\d{4})(?:-?(Q[1-4]|M?\d{2}|S[12]))?$")


@cache
def settings() -> dict:
    return tomllib.loads(TABLES_FILE.read_text("utf-8"))


def tables() -> dict[str, dict]:
    return settings()["tables"]


def _layout_gap(code: str, found: set[str]) -> tuple[list[str], list[str]]:
    """(dimensions the table needs but the file lacks, dimensions the file has that no rule handles)."""
    needed = set(tables()[code]["dimensions"])
    allowed = needed | set(settings()["breakdown"]) | HANDLED
    return sorted(needed - found), sorted(found - allowed)


def recognise(cells: eurostat_cells.Cells, where: str, expected: str = "") -> str:
    """The table whose dimensions the file has (only `expected` when given); a changed layout names the difference."""
    found = set(cells.dimensions)
    candidates = [expected] if expected else list(tables())
    for code in candidates:
        if _layout_gap(code, found) == ([], []):
            return code
    closest = min(candidates, key=lambda code: tuple(map(len, _layout_gap(code, found))))
    lacks, unknown = _layout_gap(closest, found)
    raise EurostatFormatError(f"{where}: dimensions {sorted(found)} are not the layout of {closest} "
                              f"(lacks {lacks or 'nothing'}, has unhandled {unknown or 'nothing'}; "
                              f"see etl/definitions/eurostat_tables.toml)")


def _period(text: str, where: str) -> str:
    """Eurostat's `2023-Q4`/`2023Q4`, `2023-03`/`2023M03`, `2023-S1` or `2023` as the contract's period."""
    match = PERIOD.match(text.strip())
    if not match:
        raise EurostatFormatError(f"{where}: period {text!r} is not a year, half-year, quarter or month")
    year, part = match.groups()
    if not part:
        return year
    return f"{year}-{part.removeprefix('M').replace('S', 'H')}"


def _status(flag: str) -> str:
    return next((status for letter, status in FLAG_STATUS if letter in flag), "final")


def _breakdown(key: dict[str, str], used: set[str]) -> str:
    rules = settings()["breakdown"]
    parts = []
    for dim in sorted(key):
        if dim in HANDLED or dim in used:
            continue
        value = key[dim]
        mapped = rules.get(dim, {}).get(value, f"{dim}={value}")
        if mapped:
            parts.append(mapped)
    return ";".join(parts)


def observations(code: str, cells: eurostat_cells.Cells, source_url: str, where: str) -> pd.DataFrame:
    """Contract rows for BE and NL of one recognised table; other countries and unmapped measures are skipped."""
    table = tables()[code]
    needed = table.get("label_must_contain", "")
    if needed and needed not in cells.label.lower():
        raise EurostatFormatError(f"{where}: the dataset label {cells.label!r} does not say {needed!r}; "
                                  f"earnings are loaded only from JSON-stat whose label names the period")
    countries = set(settings()["countries"])
    rows = []
    for key, value, flag in cells.cells:
        geo = key["geo"]
        if geo[:2] not in countries:
            continue
        measure = next((m for m in table["measures"] if all(key.get(d) == v for d, v in m["match"].items())), None)
        if measure is None:
            continue
        sector, occupation = key.get("nace_r2", "TOTAL"), key.get("isco08", "TOTAL")
        isco = ISCO.match(occupation)
        cut = "" if occupation in TOTAL_CODES or isco else f"occupation={occupation}"
        breakdown = ";".join(filter(None, [_breakdown(key, set(measure["match"])), cut]))
        rows.append({
            "dataset_id": table["dataset_id"], "indicator": measure["indicator"], "country": geo[:2],
            "region": geo if len(geo) > 2 else "",
            "occupation_scheme": "isco08" if isco else "", "occupation_code": isco.group(1) if isco else "",
            "sector_scheme": "" if sector in TOTAL_CODES else "nace2",
            "sector_code": "" if sector in TOTAL_CODES else sector,
            "breakdown": breakdown, "period": _period(key[TIME_DIMENSION], where),
            "value": value * measure.get("factor", 1), "unit": measure["unit"], "status": _status(flag),
            "source_url": source_url})
    if not rows:
        codes = ", ".join(str(m["match"]) for m in table["measures"])
        raise EurostatFormatError(f"{where}: no BE or NL figures for the measures {codes}")
    frame = observation.validate(observation.conform(pd.DataFrame(rows)))
    return frame[KEY + ["value", "unit", "status", "source_url"]]


def dataset_row(code: str, cells: eurostat_cells.Cells) -> dict:
    table = tables()[code]
    about = "; ".join(filter(None, [cells.label, f"updated {cells.updated}" if cells.updated else ""]))
    return {"dataset_id": table["dataset_id"], "source": SOURCE, "publisher": "Eurostat", "table_id": code,
            "title": table["title"], "title_en": table["title_en"], "url": TABLE_PAGE.format(code=code),
            "licence": LICENCE, "replaced_by": "",
            "completeness": "Belgium and the Netherlands, the periods and cuts Eurostat returned",
            **dataset_texts(publisher=("Eurostat", "Eurostat"), licence=(
                "Hergebruikbeleid van Eurostat (CC BY 4.0); bron: Eurostat", LICENCE), completeness=(
                "België en Nederland, de perioden en indelingen die Eurostat teruggaf",
                "Belgium and the Netherlands, the periods and cuts Eurostat returned")),
            # A table the bundle also carries says which of the dataset's rows stay the bundled ones, and why.
            "note": ". ".join(filter(None, [about, table.get("bundled_rows", "")]))}


def parse(format_name: str, data: bytes, source_url: str, where: str, expected: str = "") -> Parsed:
    """Contract rows of one stored response or file (pure); `expected` is the table a live request asked for."""
    cells = eurostat_cells.read(format_name, data, where)
    code = recognise(cells, where, expected)
    return Parsed(observations=observations(code, cells, source_url or TABLE_PAGE.format(code=code), where),
                  datasets=pd.DataFrame([dataset_row(code, cells)]))


def _parse_snapshot(snapshot: Snapshot) -> Parsed:
    (file_name,) = snapshot.files
    return parse(snapshot.format, snapshot.read_bytes(file_name), snapshot.extra.get("source_url", ""),
                 snapshot.location, expected=snapshot.key)


PARSERS = {JSONSTAT_FORMAT: _parse_snapshot, TSV_FORMAT: _parse_snapshot}


def query(code: str) -> list[tuple[str, str]]:
    """Query parameters of the statistics API for a table: BE and NL, JSON-stat, the table's filters."""
    params = [("format", "JSON"), ("lang", "EN")] + [("geo", c) for c in settings()["countries"]]
    for dim, values in tables()[code].get("query", {}).items():
        params += [(dim, v) for v in values]
    return params


def fetch(store: SnapshotStore, session: requests.Session | None = None) -> list[FetchOutcome]:
    """One outcome per table; a failure is reported and keeps the stored data, the others go on."""
    session = session or requests.Session()
    unreachable = http.UnreachableHosts()
    return [fetch_dataset(SOURCE, tables()[code]["dataset_id"], f"Eurostat {code}", settings()["base_url"] + code,
                          unreachable, lambda code=code: _fetch_table(store, session, code))
            for code in tables()]


def _fetch_table(store: SnapshotStore, session: requests.Session, code: str) -> FetchOutcome:
    what = f"Eurostat {code}"
    body = http.get(session, settings()["base_url"] + code, what, params=query(code))
    http.decode_json(body, what)
    parsed = parse(JSONSTAT_FORMAT, body.content, body.url, what, expected=code)
    _, is_new = store.save(source=SOURCE, key=code, format=JSONSTAT_FORMAT, origin="live",
                           files={FILE_NAME[JSONSTAT_FORMAT].format(code=code): body.content}, licence=LICENCE,
                           location=body.url, extra={"source_url": body.url})
    return FetchOutcome(SOURCE, tables()[code]["dataset_id"], "fetched" if is_new else "unchanged",
                        f"{len(parsed.observations)} rows")


def _check(unit: tuple[Path, bytes]) -> tuple[Parsed, Upload]:
    path, data = unit
    format_name = eurostat_cells.kind(data)
    if format_name is None:
        raise EurostatFormatError("neither Eurostat JSON-stat nor SDMX-TSV (header `...,geo\\TIME_PERIOD`)")
    parsed = parse(format_name, data, "", str(path))
    code = parsed.datasets["table_id"].iloc[0]
    return parsed, Upload(key=code, format=format_name, files={FILE_NAME[format_name].format(code=code): data},
                          location=str(path), extra={"source_url": TABLE_PAGE.format(code=code)})


def import_paths(paths: list[Path], store: SnapshotStore) -> list[tuple[Snapshot, bool]]:
    """Recognise every file by content (JSON-stat or SDMX-TSV, then its dimensions); store them only when all are good."""
    return import_files(SOURCE, LICENCE, paths, "Eurostat files (JSON-stat or SDMX-TSV)", _check, store)
