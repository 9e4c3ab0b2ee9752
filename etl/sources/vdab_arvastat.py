"""Parse VDAB Arvastat Excel exports (layout: ../shared/reference/be/api-formats/arvastat_excel_export.md).

Type A, 12-month occupation table: A4 holds a Dutch window label ('mei 2025 - april 2026'), the header row reads
Hoofdberoepsgroep | Beroepsgroep | Beroep | Totaal, a final 'Totaal' row holds the grand total.
Type B, monthly series: A1 is 'Ontvangen vacatures' or 'Open vacatures', column 0 holds English month labels
('January 2026'); B1 is cut by study level (header '<blank> | Studies detail | Totaal'), B2 by occupation
(header '<month> | Hoofdberoepsgroep | Beroepsgroep | Beroep | Totaal'). Blank hierarchy and month cells repeat
the value above. A count Arvastat suppresses (not a whole number, e.g. '<5' or '-') gets no row.
"""

from __future__ import annotations

import re

import pandas as pd

from etl import vdab_titles
from etl.errors import ContractError
from etl.parsed import Parsed, dataset_texts
from etl.sources import vdab_periods

DATASET_PREFIX = "vdab-arvastat-"
SOURCE_URL = "https://arvastat.vdab.be/"
REGION = "BE2"
TOTAL = "totaal"
OCCUPATION_HEADER = ["hoofdberoepsgroep", "beroepsgroep", "beroep", "totaal"]
STUDY_HEADER = ["studies detail", "totaal"]
WINDOW_LABEL_CELL = (3, 0)
# The monthly files' A1 title -> indicator (open vacancies are counted at the end of the month).
MONTHLY_TITLES = {"ontvangen vacatures": ("vacancies_new", "received"), "open vacatures": ("vacancies_open", "open")}
# The words of a dataset's "what it holds" text in Dutch (the English ones are the series name's).
DUTCH_WORDS = {"received": "ontvangen", "open": "open", "occupation": "beroep", "study": "studieniveau"}
WHOLE_NUMBER = re.compile(r"^\d+$")


class ArvastatFormatError(ContractError):
    """Cells that do not follow a documented Arvastat export layout; the message names the row."""


def _lower(row: list[str]) -> list[str]:
    return [cell.strip().lower() for cell in row]


def _find_header(table: list[list[str]], wanted: list[str], offset: int) -> int | None:
    for index, row in enumerate(table[:40]):
        if _lower(row)[offset:offset + len(wanted)] == wanted:
            return index
    return None


def kind(table: list[list[str]]) -> str | None:
    """'window' (type A), 'monthly-occupation' (B2), 'monthly-study' (B1), or None when not an Arvastat export."""
    title = _lower(table[0])[0] if table and table[0] else ""
    if title in MONTHLY_TITLES:
        if _find_header(table, OCCUPATION_HEADER, 1) is not None:
            return "monthly-occupation"
        if _find_header(table, STUDY_HEADER, 1) is not None:
            return "monthly-study"
    if _find_header(table, OCCUPATION_HEADER, 0) is not None and len(table) > WINDOW_LABEL_CELL[0]:
        return "window"
    return None


def _count(text: str) -> float | None:
    """A whole count, or None for a count Arvastat suppressed or left empty."""
    cleaned = text.replace(".", "").replace(" ", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) else text
    return float(cleaned) if WHOLE_NUMBER.match(cleaned) else None


def _row(indicator: str, period: str, value: float, code: str, breakdown: str) -> dict:
    return {"indicator": indicator, "country": "BE", "region": REGION,
            "occupation_scheme": vdab_titles.SCHEME if code else "", "occupation_code": code,
            "sector_scheme": "", "sector_code": "", "breakdown": breakdown, "period": period, "value": value,
            "unit": "vacancies", "status": "final", "source_url": SOURCE_URL}


def _check_total(parts: list[float], total: float | None, suppressed: int, where: str) -> None:
    """The occupations must add up to the total row, unless some counts were suppressed (then at most the total)."""
    if total is None:
        return
    if suppressed == 0 and sum(parts) != total:
        raise ArvastatFormatError(f"{where}: the rows add up to {sum(parts):.0f}, the Totaal row says {total:.0f}")
    if sum(parts) > total:
        raise ArvastatFormatError(f"{where}: the rows add up to {sum(parts):.0f}, more than the Totaal {total:.0f}")


def _window_rows(table: list[list[str]], name: str) -> tuple[list[dict], dict, int, tuple[str, str], str]:
    row, column = WINDOW_LABEL_CELL
    label = table[row][column] if len(table[row]) > column else ""
    try:
        period = vdab_periods.window_end(label)
    except vdab_periods.PeriodLabelError as exc:
        raise ArvastatFormatError(f"{name} cell A4: {exc}") from exc
    start = _find_header(table, OCCUPATION_HEADER, 0)
    rows, titles, parts, suppressed, total = [], {}, [], 0, None
    for number, cells in enumerate(table[start + 1:], start=start + 2):
        cells = cells + [""] * (4 - len(cells))
        title, count_text = cells[2], cells[3]
        if not title and not count_text:
            continue
        value = _count(count_text)
        if title.lower() == TOTAL:
            total = value
            if value is not None:
                rows.append(_row("vacancies_new", period, value, "", "window=12m"))
            continue
        if not title:
            raise ArvastatFormatError(f"{name} row {number}: a count without an occupation title")
        code = vdab_titles.code(title)
        if code in titles:
            raise ArvastatFormatError(f"{name} row {number}: occupation {title!r} appears twice")
        titles[code] = title
        if value is None:
            suppressed += 1
            continue
        parts.append(value)
        rows.append(_row("vacancies_new", period, value, code, "window=12m"))
    _check_total(parts, total, suppressed, name)
    what = (f"ontvangen vacatures over de 12 maanden {label}", f"received vacancies over the 12 months {label}")
    return rows, titles, suppressed, what, "received-12m"


def _monthly_rows(table: list[list[str]], name: str, by: str) -> tuple[list[dict], dict, int, tuple[str, str], str]:
    indicator, word = MONTHLY_TITLES[_lower(table[0])[0]]
    header = OCCUPATION_HEADER if by == "occupation" else STUDY_HEADER
    start = _find_header(table, header, 1)
    label_column, count_column = (3, 4) if by == "occupation" else (1, 2)
    rows, titles, suppressed = [], {}, 0
    month, parts, totals, seen = "", {}, {}, set()
    for number, cells in enumerate(table[start + 1:], start=start + 2):
        cells = cells + [""] * (count_column + 1 - len(cells))
        if cells[0]:
            try:
                month = vdab_periods.english_month(cells[0])
            except vdab_periods.PeriodLabelError as exc:
                raise ArvastatFormatError(f"{name} row {number}: {exc}") from exc
        label, value = cells[label_column], _count(cells[count_column])
        if not label and not cells[count_column]:
            continue
        if not month:
            raise ArvastatFormatError(f"{name} row {number}: a count before any month label")
        if label.lower() == TOTAL:
            totals[month] = value
            if value is not None:
                rows.append(_row(indicator, month, value, "", ""))
            continue
        if by == "occupation":
            code, breakdown = vdab_titles.code(label), ""
            titles[code] = label
        else:
            code, breakdown = "", f"study={vdab_titles.slug(label)}"
        if (month, code, breakdown) in seen:
            raise ArvastatFormatError(f"{name} row {number}: {label!r} appears twice for {month}")
        seen.add((month, code, breakdown))
        if value is None:
            suppressed += 1
            continue
        parts.setdefault(month, []).append(value)
        rows.append(_row(indicator, month, value, code, breakdown))
    for month, total in totals.items():
        _check_total(parts.get(month, []), total, suppressed, f"{name} {month}")
    months = sorted({r["period"] for r in rows})
    what = (f"{DUTCH_WORDS[word]} vacatures per maand naar {DUTCH_WORDS[by]}, {months[0]} tot {months[-1]}",
            f"{word} vacancies per month by {by}, {months[0]} to {months[-1]}") if months else ("", "")
    return rows, titles, suppressed, what, f"{word}-{by}"


def parse(table: list[list[str]], name: str) -> Parsed:
    """Contract rows from an Arvastat export; the text above the header (title, filters) goes into the note."""
    found = kind(table)
    if found is None:
        raise ArvastatFormatError(f"{name}: not an Arvastat export (no Hoofdberoepsgroep/Beroepsgroep/Beroep/Totaal "
                                  "or 'Studies detail' header)")
    if found == "window":
        rows, titles, suppressed, what, series = _window_rows(table, name)
    else:
        rows, titles, suppressed, what, series = _monthly_rows(table, name, found.removeprefix("monthly-"))
    dataset_id = DATASET_PREFIX + series
    if not rows:
        raise ArvastatFormatError(f"{name}: the export has a header but no counts")
    preamble = " / ".join(cell for row in table[:4] for cell in row if cell)
    occupations = pd.DataFrame([
        {"scheme": vdab_titles.SCHEME, "code": code, "level": "title", "parent_code": "", "label_nl": title,
         "label_en": ""} for code, title in titles.items()
    ])
    completeness = (f"{what[0]}; {suppressed} telling(en) door Arvastat afgeschermd hebben geen rij",
                    f"{what[1]}; {suppressed} count(s) suppressed by Arvastat have no row")
    datasets = pd.DataFrame([{
        "dataset_id": dataset_id, "source": "vdab", "publisher": "VDAB (Arvastat)", "table_id": "arvastat",
        "title": "Vacatures (Arvastat-export)", "title_en": "Vacancies (Arvastat export)", "url": SOURCE_URL,
        "licence": "VDAB figures as published by VDAB",
        "completeness": completeness[1],
        **dataset_texts(publisher=("VDAB (Arvastat)", "VDAB (Arvastat)"), licence=(
            "VDAB-cijfers zoals VDAB ze publiceerde", "VDAB figures as published by VDAB"), completeness=completeness),
        "note": ("Flanders; vacancies NECzU received directly by VDAB. Arvastat filters (e.g. an employer sector) are "
                 f"not part of the export layout; the export's header text was: {preamble[:300]!r}. A 12-month "
                 "window is filed under its last month with breakdown window=12m."),
    }])
    return Parsed(observations=pd.DataFrame(rows).assign(dataset_id=dataset_id), datasets=datasets,
                  occupations=occupations)
