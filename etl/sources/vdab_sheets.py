"""A VDAB file's cells as rows of text: the first (or `Data`) sheet of an Excel workbook, or a delimited text file."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl

from etl import bounded_input
from etl.errors import ContractError, InputError

XLSX_MAGIC = b"PK\x03\x04"
PREFERRED_SHEET = "Data"
DELIMITERS = ";,\t"
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
# Excel's own limit on a cell (openpyxl cuts workbook cells there; a text export is checked against it), so a longer
# "cell" is not from a spreadsheet VDAB exported.
MAX_CELL_CHARS = 32_767


class SheetError(ContractError):
    """Bytes that are neither an Excel workbook nor delimited text."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook_rows(data: bytes, name: str) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bounded_input.check_declared(archive, name)  # before openpyxl unpacks anything
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InputError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError(f"a damaged Excel workbook ({exc})") from exc
    try:
        sheet = book[PREFERRED_SHEET] if PREFERRED_SHEET in book.sheetnames else book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _text_rows(data: bytes) -> list[list[str]]:
    for encoding in TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError("neither an Excel workbook nor text in UTF-8 or Windows-1252")
    if "\x00" in text:
        raise SheetError("binary content that is not an Excel workbook")
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ";"
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:  # an oversized field or broken quoting
        raise SheetError(f"not readable as delimited text ({exc})") from exc


def rows(data: bytes, name: str) -> list[list[str]]:
    """Every row as a list of stripped strings (empty string for an empty cell); trailing empty rows dropped."""
    table = _workbook_rows(data, name) if data.startswith(XLSX_MAGIC) else _text_rows(data)
    for number, row in enumerate(table, start=1):
        for column, cell in enumerate(row, start=1):
            if len(cell) > MAX_CELL_CHARS:
                raise SheetError(f"row {number} column {column}: a cell of {len(cell)} characters, more than a "
                                 f"spreadsheet cell holds ({MAX_CELL_CHARS})")
    while table and not any(table[-1]):
        table.pop()
    return table
