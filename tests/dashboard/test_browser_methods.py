"""The sources-and-methods page in Debian's Chromium: no console errors, the dataset CSV equals the dataset table."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd
import pytest

from dashboard.pages.methods import DATASET_COLUMNS
from tests.dashboard.browser_checks import open_page

pytestmark = pytest.mark.browser


def test_methods_loads_in_chromium_and_its_dataset_csv_equals_the_dataset_table(page, live_server, db_path,
                                                                                console_errors):
    open_page(page, f"{live_server}/methods?lang=nl", "#methods-tension-classes")
    assert page.locator("#methods-title").inner_text() == "Bronnen en methoden"
    assert page.locator("#methods-tension-classes tbody tr").count() == 5
    with page.expect_download() as download_info:
        page.click("#methods-datasets-csv")
    downloaded = pd.read_csv(download_info.value.path(), dtype=str, keep_default_na=False)

    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        stored = pd.read_sql_query(f"SELECT {', '.join(DATASET_COLUMNS)} FROM dataset", conn)
    stored = stored.astype(str).sort_values("dataset_id").reset_index(drop=True)
    downloaded = downloaded.sort_values("dataset_id").reset_index(drop=True)
    assert list(downloaded.columns) == DATASET_COLUMNS
    pd.testing.assert_frame_equal(downloaded, stored)
    assert downloaded.set_index("dataset_id").loc["cbs-83120NED", "replaced_by"] == "85388NED"
    assert console_errors == []
