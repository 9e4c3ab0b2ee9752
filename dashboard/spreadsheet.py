"""Files people open in a spreadsheet: formula-safe text cells, numbers kept as numbers, CSV and XLSX row by row."""

from __future__ import annotations

import csv
import io
import math
import numbers
from collections.abc import Iterable, Iterator
from typing import IO

import pandas as pd

from etl.observation import value_text

# OWASP's CSV-injection rule: a text cell starting with one of these is read as a formula (or smuggles one in).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
SHEET_TITLE_LENGTH = 31  # Excel's limit


def safe_text(text: str) -> str:
    """Text that no spreadsheet evaluates: a leading formula character gets a single quote in front of it."""
    return NEUTRALISER + text if text.startswith(FORMULA_TRIGGERS) else text


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def csv_cell(value: object) -> str:
    """A number as published (118000, 20.7, -3.5), a missing value empty, any other value as formula-safe text."""
    # SQLite's own types first, by exact type: a download is ~20 cells per row and this runs for every one of them.
    kind = type(value)
    if kind is str:
        return NEUTRALISER + value if value.startswith(FORMULA_TRIGGERS) else value
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if kind is float and value == value:  # NaN (never equal to itself) takes the general path below
        return str(int(value)) if value.is_integer() else repr(value)
    if _is_missing(value):
        return ""
    if _is_number(value):
        return value_text(value)
    return safe_text(str(value))


def csv_chunks(columns: list[str], chunks: Iterable[list[tuple]]) -> Iterator[str]:
    """UTF-8 CSV text with a header row and '.' decimals, one piece per chunk of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_text(c) for c in columns])
    for rows in chunks:
        writer.writerows([csv_cell(v) for v in row] for row in rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _xlsx_cell(sheet, value: object, error_codes: tuple[str, ...], text_cell):
    if _is_missing(value) or value == "":  # an empty cell is not written at all: a third of the cells, much time
        return None
    if _is_number(value):
        return value.item() if hasattr(value, "item") else value  # numpy scalars as plain numbers
    text = safe_text(str(value))
    if text in error_codes:  # openpyxl would type '#N/A' as an error cell, not as the text it is
        cell = text_cell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text  # never starts with '=', so openpyxl types it as a string, never as a formula


def write_xlsx(out: IO[bytes], sheet_title: str, columns: list[str], chunks: Iterable[list[tuple]]) -> None:
    """An XLSX file written row by row (openpyxl write-only mode: memory does not grow with the rows)."""
    # Imported here, on the first Excel file: openpyxl is 175 modules and ~4 MiB in every serving worker otherwise.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:SHEET_TITLE_LENGTH])
    sheet.append([_xlsx_cell(sheet, c, ERROR_CODES, WriteOnlyCell) for c in columns])
    for rows in chunks:
        for row in rows:
            sheet.append([_xlsx_cell(sheet, v, ERROR_CODES, WriteOnlyCell) for v in row])
    workbook.save(out)
