"""A VDAB file's cells as rows of text: the first (or `Data`) sheet of an Excel workbook, or a delimited text file."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl

from etl.errors import ContractError

XLSX_MAGIC = b"PK\x03\x04"
PREFERRED_SHEET = "Data"
DELIMITERS = ";,\t"
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")


class SheetError(ContractError):
    """Bytes that are neither an Excel workbook nor delimited text."""


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook_rows(data: bytes) -> list[list[str]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
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
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def rows(data: bytes) -> list[list[str]]:
    """Every row as a list of stripped strings (empty string for an empty cell); trailing empty rows dropped."""
    table = _workbook_rows(data) if data.startswith(XLSX_MAGIC) else _text_rows(data)
    while table and not any(table[-1]):
        table.pop()
    return table
