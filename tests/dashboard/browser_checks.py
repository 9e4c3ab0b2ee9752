"""Checks shared by the browser tests: open every page as a visitor gets it; compare a downloaded CSV with the database."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd

from etl.observation import KEY

# Each page's path and the id of its title, which is rendered once the page's layout has arrived.
PAGES = {"/": "sector-title", "/occupation": "occupation-title", "/industry": "industry-title",
         "/compare": "compare-title", "/outlook": "outlook-title", "/data": "data-title", "/methods": "methods-title"}
LANGUAGES = ("nl", "en")
GRAPHS_DRAWN = "document.querySelectorAll('.dash-graph').length === document.querySelectorAll('.js-plotly-plot').length"
# True once the page's text has the same length at two polls in a row: panels filled by later callbacks have arrived.
TEXT_SETTLED = """() => {
    const length = document.body.innerText.length, same = window.textLengthSeen === length;
    window.textLengthSeen = length;
    return same;
}"""


def open_page(page, address: str, *selectors: str) -> None:
    """Go to an address and wait for each selector in turn (the parts a test reads before it acts)."""
    page.goto(address)
    for selector in selectors:
        page.wait_for_selector(selector)


def open_rendered(page, base_url: str, path: str, lang: str) -> str:
    """Open a page and wait until it is as the visitor gets it: layout, language, every graph drawn; return its address."""
    address = f"{path}?lang={lang}"
    page.goto(base_url + address)
    page.wait_for_selector(f"#{PAGES[path]}")
    # Dash loads its dropdown and graph code on demand, the shell sets the document's language and every graph
    # draws its plot after the layout has arrived: check the page as the visitor gets it, not half-built.
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    page.wait_for_function(TEXT_SETTLED, polling=700)
    page.wait_for_function(GRAPHS_DRAWN)
    return address


def read_download(download) -> pd.DataFrame:
    """A Playwright download read as the analyst would: codes as text, values as numbers, empty cells kept empty."""
    frame = pd.read_csv(download.path(), dtype=str, keep_default_na=False)
    frame["value"] = pd.to_numeric(frame["value"].replace("", None))
    return frame


def database_rows(db_path, keys: pd.DataFrame) -> pd.DataFrame:
    """The observation rows with the given keys, straight from SQLite (`_merge` says whether each key was found)."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        rows = pd.read_sql_query("SELECT * FROM observation", conn, dtype={c: str for c in KEY})
    return keys[KEY].merge(rows, on=KEY, how="left", indicator=True)


def download_matching_database(page, selector: str, db_path) -> pd.DataFrame:
    """Click a CSV download link; check each row's value, unit, status and source against SQLite; return the rows."""
    with page.expect_download() as download_info:
        page.click(selector)
    downloaded = read_download(download_info.value)
    merged = database_rows(db_path, downloaded)
    assert (merged["_merge"] == "both").all()
    for column in ("value", "unit", "status", "source_url"):
        assert downloaded[column].tolist() == merged[column].tolist()
    return downloaded
