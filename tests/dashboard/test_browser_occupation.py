"""The occupation explorer in Debian's Chromium: renders without console errors, search selects, CSV equals the database."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd
import pytest

from etl.observation import KEY
from tests.dashboard.browser_checks import open_page

pytestmark = pytest.mark.browser


def test_occupation_page_loads_searches_and_its_employment_csv_equals_the_database_rows(page, live_server, db_path,
                                                                                      console_errors):
    open_page(page, f"{live_server}/occupation?lang=en", "#occupation-employment-graph .js-plotly-plot")
    assert page.locator("#occupation-title").inner_text() == "Outbound call-centre and other salespersons (BRC 2014 0334)"
    assert page.evaluate("document.documentElement.lang") == "en"

    with page.expect_download() as download_info:
        page.click("#occupation-employment-csv")
    downloaded = pd.read_csv(download_info.value.path(), dtype=str, keep_default_na=False)
    downloaded["value"] = pd.to_numeric(downloaded["value"])
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        stored = pd.read_sql_query(
            "SELECT * FROM observation WHERE occupation_scheme = 'brc2014' AND occupation_code = '0334' "
            "AND indicator IN ('employed_persons', 'employees') AND breakdown = ''", conn, dtype={c: str for c in KEY})
    merged = downloaded.merge(stored, on=KEY, how="outer", suffixes=("", "_db"), indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == 5
    assert merged["value"].tolist() == merged["value_db"].tolist()
    assert merged["status"].tolist() == merged["status_db"].tolist()
    q4 = downloaded[(downloaded["indicator"] == "employed_persons") & (downloaded["period"] == "2025-Q4")]
    assert q4["value"].tolist() == [118000]

    page.fill("#occupation-query", "contactcenter")
    page.click("#occupation-results a")
    page.wait_for_selector("text=Contactcenter medewerker (VDAB occupations contactcenter-medewerker)")
    assert "scheme=vdab" in page.url and "code=contactcenter-medewerker" in page.url
    assert console_errors == []
