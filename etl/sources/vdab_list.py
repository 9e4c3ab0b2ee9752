"""Parse VDAB's yearly knelpuntberoepen list as VDAB lays it out: titles under sector headings, with cause columns.

Layout (a sheet or delimited text, recognised by content): a cell naming the list and its year
('Knelpuntberoepen 2026'); a header row with a title column ('Beroep' or 'Knelpuntberoep') and one column per
cause (kwantitatief / kwalitatief / (specifieke) arbeidsomstandigheden); below it, a sector heading is a row with
text and no cause marked, a title is a row with at least one cause marked ('x', 'X', '1', '✓', ...). VDAB gives
every listed occupation at least one cause, which is what tells a title from a heading.
"""

from __future__ import annotations

import re

import pandas as pd

from etl import vdab_titles
from etl.errors import ContractError
from etl.parsed import Parsed, dataset_texts

DATASET_ID = "vdab-knelpuntberoepen"
SOURCE_URL = "https://www.vdab.be/trends/knelpuntberoepen"
REGION = "BE2"
LIST_YEAR = re.compile(r"knelpuntberoepen(?:lijst)?\s*(?:\w+\s+)?(20\d{2})", re.IGNORECASE)
TITLE_HEADERS = {"beroep", "knelpuntberoep", "beroepen", "knelpuntberoepen"}
# Header text (lower case, as a prefix) -> the cause code used in breakdown 'cause=...'.
CAUSE_HEADERS = {
    "kwantitatief": "kwantitatief",
    "kwalitatief": "kwalitatief",
    "arbeidsomstandigheden": "arbeidsomstandigheden",
    "specifieke arbeidsomstandigheden": "arbeidsomstandigheden",
}
UNMARKED = {"", "-", "0", "nee", "no"}


class ListFormatError(ContractError):
    """Cells that do not follow the knelpuntberoepen list layout; the message names the row."""


def _year(table: list[list[str]]) -> int | None:
    for row in table[:10]:
        for cell in row:
            match = LIST_YEAR.search(cell)
            if match:
                return int(match[1])
    return None


def _header(table: list[list[str]]) -> tuple[int, int, dict[int, str]] | None:
    """(row index, title column, {column: cause}) of the header row, or None when there is none."""
    for index, row in enumerate(table[:30]):
        lowered = [cell.lower().rstrip(":") for cell in row]
        title_columns = [c for c, text in enumerate(lowered) if text in TITLE_HEADERS]
        causes = {c: CAUSE_HEADERS[text] for c, text in enumerate(lowered) if text in CAUSE_HEADERS}
        if title_columns and causes:
            return index, title_columns[0], causes
    return None


def recognise(table: list[list[str]]) -> bool:
    """True when the cells look like a knelpuntberoepen list (a year and a title/cause header row)."""
    return _year(table) is not None and _header(table) is not None


def parse(table: list[list[str]], name: str) -> Parsed:
    """Contract rows: shortage_listed=1 per title (the complete list of its year), plus one row per cause marked."""
    year, header = _year(table), _header(table)
    if year is None or header is None:
        raise ListFormatError(f"{name}: not a knelpuntberoepen list (no 'Knelpuntberoepen YYYY' or no Beroep/cause header)")
    start, title_column, causes = header
    rows, codes, heading = [], {}, ""
    pending_heading = None
    for number, row in enumerate(table[start + 1:], start=start + 2):
        cells = row + [""] * (max([title_column, *causes]) + 1 - len(row))
        title = cells[title_column]
        marked = [cause for column, cause in causes.items() if cells[column].lower() not in UNMARKED]
        if not title and not marked:
            continue
        if not title:
            raise ListFormatError(f"{name} row {number}: a cause is marked but the title cell is empty")
        if not marked:
            if pending_heading is not None:
                raise ListFormatError(f"{name} row {number - 1}: {pending_heading!r} has no cause marked and no "
                                      "titles under it (VDAB marks at least one cause per title)")
            heading, pending_heading = title, title
            codes[vdab_titles.heading_code(heading)] = (heading, "sector_heading", "")
            continue
        pending_heading = None
        code = vdab_titles.code(title)
        if code in codes and codes[code][1] == "title":
            raise ListFormatError(f"{name} row {number}: title {title!r} appears twice on the list")
        codes[code] = (title, "title", vdab_titles.heading_code(heading) if heading else "")
        base = {"dataset_id": DATASET_ID, "indicator": "shortage_listed", "country": "BE", "region": REGION,
                "occupation_scheme": vdab_titles.SCHEME, "occupation_code": code, "sector_scheme": "",
                "sector_code": "", "period": str(year), "value": 1.0, "unit": "flag", "status": "final",
                "source_url": SOURCE_URL}
        rows.append(base | {"breakdown": ""})
        rows.extend(base | {"breakdown": f"cause={cause}"} for cause in sorted(set(marked)))
    titles = sum(1 for _, level, _ in codes.values() if level == "title")
    if not titles:
        raise ListFormatError(f"{name}: the list has a header but no titles")
    occupations = pd.DataFrame([
        {"scheme": vdab_titles.SCHEME, "code": code, "level": level, "parent_code": parent, "label_nl": label,
         "label_en": ""}
        for code, (label, level, parent) in codes.items()
    ])
    completeness = (
        f"volledige lijst voor {year} ({titles} titels, geïmporteerd uit de lijst van VDAB met de oorzaken); andere "
        "jaren zoals in de gebundelde momentopname: volledig alleen voor 2026, anders gedeeltelijk bewijs uit de pers "
        "(breakdown evidence=...)",
        f"complete list for {year} ({titles} titles, imported from VDAB's list with its causes); other years as in the "
        "bundled snapshot: complete only for 2026, partial press evidence (breakdown evidence=...) otherwise")
    datasets = pd.DataFrame([{
        "dataset_id": DATASET_ID, "source": "vdab", "publisher": "VDAB", "table_id": "knelpuntberoepen",
        "title": "Knelpuntberoepen Vlaanderen", "title_en": "Shortage occupations, Flanders", "url": SOURCE_URL,
        "licence": "VDAB figures as published by VDAB",
        "completeness": completeness[1],
        **dataset_texts(publisher=("VDAB", "VDAB"), licence=(
            "VDAB-cijfers zoals VDAB ze publiceerde", "VDAB figures as published by VDAB"), completeness=completeness),
        "note": ("shortage_listed=1 per title with breakdown ''; one more row per cause marked "
                 "(cause=kwantitatief|kwalitatief|arbeidsomstandigheden). Titles are slugs (scheme vdab)."),
    }])
    return Parsed(observations=pd.DataFrame(rows), datasets=datasets, occupations=occupations)
