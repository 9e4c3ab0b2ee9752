"""The Data & downloads page in Debian's Chromium: a filter builds the download link, whose CSV equals the database rows."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing

import pandas as pd
import pytest

from etl.observation import KEY
from tests.dashboard.browser_checks import open_page

pytestmark = pytest.mark.browser


def test_choosing_an_indicator_builds_a_download_link_whose_csv_equals_the_database_rows(page, live_server, db_path,
                                                                                       console_errors):
    open_page(page, f"{live_server}/data?lang=en&country=NL", "#data-catalogue")
    assert page.locator("#data-title").inner_text() == "Data & downloads"
    assert page.locator("#data-catalogue tbody tr").count() == 19

    page.click("#data-filter-indicator")
    page.keyboard.type("employed_persons")
    page.keyboard.press("Enter")
    wanted = "/download/observations.csv?country=NL&indicator=employed_persons&lang=en"
    page.wait_for_selector(f'#data-link[href="{wanted}"]')
    page.wait_for_function("document.querySelector('#data-count').innerText.startsWith('632 ')")
    page.wait_for_function("url => document.querySelector('#data-link').innerText === url", arg=live_server + wanted)
    assert "indicator=employed_persons" in page.url

    with page.expect_download() as download_info:
        page.click("#data-link")
    downloaded = pd.read_csv(download_info.value.path(), dtype={c: str for c in KEY}, keep_default_na=False)
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        expected = pd.read_sql_query(
            "SELECT * FROM observation WHERE country = ? AND indicator = ? ORDER BY " + ", ".join(KEY), conn,
            params=("NL", "employed_persons"), dtype={c: str for c in KEY})
    assert len(downloaded) == len(expected) == 632
    assert downloaded[KEY].values.tolist() == expected[KEY].values.tolist()
    assert downloaded["value"].tolist() == expected["value"].tolist()
    assert downloaded["status"].tolist() == expected["status"].tolist()
    latest = downloaded[(downloaded["occupation_code"] == "0334") & (downloaded["period"] == "2025-Q4")
                        & (downloaded["breakdown"] == "")]
    assert latest[["value", "indicator_label", "licence"]].values.tolist() == [[118000, "Employed persons", "CC BY 4.0"]]
    assert console_errors == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_catalogue_fits_a_1366_pixel_window(page, live_server, lang):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/data?lang={lang}")
    page.wait_for_selector("#data-catalogue")
    width = page.evaluate("document.querySelector('#data-catalogue').getBoundingClientRect().width")
    assert width <= 1366
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_the_database_link_downloads_the_file_whose_sha256_the_page_shows(page, live_server, db_path):
    page.goto(f"{live_server}/data?lang=en")
    page.wait_for_selector("#data-sha256")
    shown = page.locator("#data-sha256").inner_text()
    with page.expect_download() as download_info:
        page.click("#data-database")
    assert hashlib.sha256(download_info.value.path().read_bytes()).hexdigest() == shown
    assert download_info.value.suggested_filename.startswith("arbeidsmarkt_labour_")


def test_the_data_page_fits_a_390_pixel_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/data?lang=nl")
    page.wait_for_selector("#data-sha256")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
