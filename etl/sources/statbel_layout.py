"""Statbel open-data text files (pipe-delimited, in a ZIP or bare): recognise the layout and turn rows into observations."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import pandas as pd

from etl import bounded_input, observation
from etl.errors import ContractError
from etl.observation import DEFINITIONS_DIR, KEY
from etl.parsed import dataset_texts

LAYOUT_FILE = DEFINITIONS_DIR / "statbel_files.toml"
DELIMITERS = ("|", ";")
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
GZIP_MAGIC = b"\x1f\x8b"
MISSING = {"", "."}
TOTAL = "TOTAL"
# The PostgREST ("HVD") long layout names the measure in CD_PROPERTY and holds it in MS_VALUE.
LONG_MEASURE, LONG_VALUE = "CD_PROPERTY", "MS_VALUE"
QUARTER = re.compile(r"^Q?([1-4])$", re.IGNORECASE)
YEAR = re.compile(r"^\d{4}$")
ISCO = re.compile(r"^\d{1,4}$")
LICENCE = "Statbel open data licence (reuse free; cite source and date of publication)"


class StatbelFormatError(ContractError):
    """A file that is not one of the Statbel layouts in statbel_files.toml; the message names line and column."""


@dataclass(frozen=True)
class Table:
    """The header and data rows of one Statbel text file."""

    name: str
    header: list[str]
    rows: list[list[str]]


@cache
def layouts() -> dict:
    return tomllib.loads(LAYOUT_FILE.read_text("utf-8"))


def datasets() -> dict[str, dict]:
    """Dataset name (jvs, wages) -> its layout."""
    return layouts()["datasets"]


def text_members(data: bytes, name: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of the text files in a download: the members of a ZIP, or the file itself. Each member's header
    is recognised before the rest of it is unpacked, and unpacking stops at the size cap (etl.bounded_input)."""
    if not data.startswith(b"PK"):
        return [(name, data)]
    with bounded_input.open_zip(data, name) as archive:
        members = [m for m in archive.namelist() if not m.endswith("/") and m.lower().endswith((".txt", ".csv"))]
        if not members:
            raise StatbelFormatError(f"{name}: a ZIP without a .txt or .csv file")
        return [(f"{name}!{m}", bounded_input.read_member(archive, m, name, lambda head, m=m: _check_header(
            head, f"{name}!{m}"))) for m in members]


def _check_header(head: bytes, where: str) -> None:
    """Refuse a file whose first line is no Statbel layout, from its first bytes alone."""
    first_line = head.split(b"\n", 1)[0]
    if len(first_line) == len(head) and len(head) >= bounded_input.CHUNK_BYTES:
        raise StatbelFormatError(f"{where}: no line break in the first {len(head)} bytes; not a Statbel text file")
    layout_of(read_table(first_line, where))


def layout_of(table: Table) -> str:
    """The dataset whose layout the table's header has; StatbelFormatError naming the header otherwise."""
    found = recognise(table)
    if found is None:
        raise StatbelFormatError(f"{table.name}: header {table.header} is not a Statbel job-vacancy or wage layout "
                                 f"(see etl/definitions/statbel_files.toml)")
    return found


def _decoded(data: bytes, name: str) -> str:
    """The text of a file in one of TEXT_ENCODINGS; binary content is a StatbelFormatError, not a decoding traceback."""
    if data.startswith(GZIP_MAGIC):
        raise StatbelFormatError(f"{name}: a gzip file; Statbel publishes ZIP or text files")
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise StatbelFormatError(f"{name}: binary content, not a Statbel text file ({' or '.join(TEXT_ENCODINGS)})")


def read_table(data: bytes, name: str) -> Table:
    """Header and rows of a '|' (or ';') delimited text file with a header row."""
    text = _decoded(data, name)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise StatbelFormatError(f"{name}: the file is empty")
    first = lines[0]
    delimiter = next((d for d in DELIMITERS if d in first), None)
    if delimiter is None:
        raise StatbelFormatError(f"{name}: the first line has no '|' or ';' separated column names")
    try:
        records = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(c.strip() for c in r)]
    except csv.Error as exc:  # an oversized field or broken quoting
        raise StatbelFormatError(f"{name}: not readable as delimited text ({exc})") from exc
    header = [c.strip() for c in records[0]]
    return Table(name, header, [[c.strip() for c in r] for r in records[1:]])


def _measure_columns(layout: dict) -> set[str]:
    return set(layout["measures"])


def _required(layout: dict) -> set[str]:
    return {layout[k] for k in ("year", "quarter", "region", "sector") if k in layout}


def recognise(table: Table) -> str | None:
    """The dataset whose required columns the header has (wide: a measure column; long: CD_PROPERTY/MS_VALUE)."""
    header = set(table.header)
    for name, layout in datasets().items():
        has_measure = bool(header & _measure_columns(layout)) or {LONG_MEASURE, LONG_VALUE} <= header
        if _required(layout) <= header and has_measure:
            return name
    return None


def _number(text: str, where: str, percent: bool) -> float | None:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if percent:
        cleaned = cleaned.removesuffix("%")
    if cleaned in MISSING:
        return None
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(Decimal(cleaned))
    except InvalidOperation as exc:
        raise StatbelFormatError(f"{where}: {text!r} is not a number") from exc


def _period(layout: dict, cells: dict[str, str], where: str) -> str:
    year = cells[layout["year"]]
    if not YEAR.match(year):
        raise StatbelFormatError(f"{where}: year {year!r} is not a four-digit year")
    if "reference_month" in layout:
        return f"{year}-{layout['reference_month']}"
    if "quarter" not in layout:
        return year
    quarter = cells[layout["quarter"]]
    if quarter.upper() == TOTAL:
        return year
    match = QUARTER.match(quarter)
    if not match:
        raise StatbelFormatError(f"{where}: quarter {quarter!r} is not Q1-Q4, 1-4 or TOTAL")
    return f"{year}-Q{match.group(1)}"


def _cut(layout: dict, cells: dict[str, str], where: str) -> dict:
    """Region, sector, occupation and breakdown of one row, keyed as the bundled Statbel figures are."""
    regions = layouts()["regions"]
    region = cells.get(layout["region"], TOTAL)
    if region not in regions:
        raise StatbelFormatError(f"{where}: region {region!r} is not one of {', '.join(regions)}")
    out = {"region": regions[region], "sector_scheme": "", "sector_code": "", "occupation_scheme": "",
           "occupation_code": "", "breakdown": ""}
    if "sector" in layout:
        sector = cells[layout["sector"]]
        out["sector_scheme"], out["sector_code"] = "nace2", layout["total_sector"] if sector == TOTAL else sector
    occupation = cells.get(layout.get("occupation", ""), TOTAL)
    if occupation != TOTAL:
        if not ISCO.match(occupation):
            raise StatbelFormatError(f"{where}: occupation {occupation!r} is not an ISCO-08 code")
        out["occupation_scheme"], out["occupation_code"] = "isco08", occupation
    size = cells.get(layout.get("size", ""), TOTAL)
    if size not in (TOTAL, ""):
        out["breakdown"] = f"size={size}"
    return out


def observations(name: str, table: Table, source_url: str) -> pd.DataFrame:
    """Contract rows of one recognised file; a missing figure ('.') has no row.

    A file imported by hand has no URL of its own (`source_url` ''): its figures cite the dataset's Statbel page."""
    layout = datasets()[name]
    source_url = source_url or layout["page"]
    measures = layout["measures"]
    long = LONG_MEASURE in table.header and LONG_VALUE in table.header
    rows = []
    for number, record in enumerate(table.rows, start=2):
        where = f"{table.name} line {number}"
        if len(record) != len(table.header):
            raise StatbelFormatError(f"{where}: {len(record)} fields, the header has {len(table.header)} (truncated?)")
        cells = dict(zip(table.header, record, strict=True))
        base = {"dataset_id": layout["dataset_id"], "country": "BE", "period": _period(layout, cells, where),
                "status": "final", "source_url": source_url, **_cut(layout, cells, where)}
        pairs = [(cells[LONG_MEASURE], cells[LONG_VALUE])] if long else [(m, cells[m]) for m in measures if m in cells]
        for measure, cell in pairs:
            if measure not in measures:
                raise StatbelFormatError(f"{where}: measure {measure!r} is not one of {', '.join(measures)}")
            spec = measures[measure]
            value = _number(cell, f"{where} column {measure}", spec["unit"] == "percent")
            if value is not None:
                rows.append(base | {"indicator": spec["indicator"], "unit": spec["unit"], "value": value})
    if not rows:
        raise StatbelFormatError(f"{table.name}: no figures")
    frame = observation.validate(observation.conform(pd.DataFrame(rows)))
    return frame[KEY + ["value", "unit", "status", "source_url"]]


def dataset_row(name: str) -> dict:
    layout = datasets()[name]
    return {"dataset_id": layout["dataset_id"], "source": "statbel", "publisher": "Statbel",
            "table_id": layout["table_id"], "title": layout["title"], "title_en": layout["title_en"],
            "url": layout["page"], "licence": LICENCE, "replaced_by": "",
            "completeness": "the periods and cuts in the Statbel open-data file; bundled figures outside it are kept",
            **dataset_texts(publisher=("Statbel", "Statbel"), licence=(
                "Open-datalicentie van Statbel (vrij hergebruik; vermeld bron en publicatiedatum)", LICENCE), completeness=(
                "de perioden en indelingen in het open-databestand van Statbel; gebundelde cijfers daarbuiten blijven",
                "the periods and cuts in the Statbel open-data file; bundled figures outside it are kept")),
            "note": "Statbel open-data file; figures replace the bundled reported ones with the same key."}
