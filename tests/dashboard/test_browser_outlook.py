"""The shortage outlook in Debian's Chromium: no console errors, the forecast CSV read back equals the database rows."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pandas as pd
import pytest

from tests.dashboard.browser_checks import open_page

pytestmark = pytest.mark.browser


def test_outlook_loads_in_chromium_and_its_forecast_csv_equals_the_model_and_observation_rows(page, live_server, db_path,
                                                                                             console_errors):
    open_page(page, f"{live_server}/outlook?lang=en", "#outlook-forecast .js-plotly-plot", "#outlook-latest-table td")
    page.focus("#outlook-latest-table")
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == "outlook-latest-caption"
    assert page.locator("#outlook-title").inner_text() == "Shortage outlook: what the model expects and how good it is"
    with page.expect_download() as download_info:
        page.click("#outlook-forecast-csv")
    downloaded = pd.read_csv(download_info.value.path(), dtype={"sector_code": str, "period": str})

    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        model = pd.read_sql_query("SELECT period, shown_value, horizon FROM model_forecast WHERE kind = 'forecast' "
                                  "AND scheme = 'nace2' AND code = 'N' AND indicator = 'vacancies_open' ORDER BY horizon",
                                  conn)
        observed = pd.read_sql_query("SELECT period, value FROM observation WHERE dataset_id = 'cbs-80472NED' "
                                     "AND sector_scheme = 'nace2' AND sector_code = 'N' AND breakdown = '' "
                                     "AND indicator = 'vacancies_open' AND period LIKE '____-Q_'", conn)
    open_ = downloaded[downloaded["indicator"] == "vacancies_open"]
    ahead = open_[open_["status"] == "forecast"]
    assert ahead["period"].tolist() == model["period"].tolist() == ["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3"]
    assert ahead["value"].tolist() == pytest.approx(model["shown_value"].tolist(), rel=1e-12)
    assert (ahead["low_80"] < ahead["value"]).all() and (ahead["value"] < ahead["high_80"]).all()
    seen = open_[~open_["status"].isin(["forecast", "backtest"])].merge(observed, on="period", suffixes=("", "_db"))
    assert len(seen) == 40
    assert seen["value"].tolist() == seen["value_db"].tolist()
    assert seen.set_index("period").loc["2023-Q3", "value"] == 29500
    with page.expect_download() as latest_info:
        page.click("#outlook-latest-csv")
    latest = pd.read_csv(latest_info.value.path(), dtype=str, keep_default_na=False)
    shown = page.locator("#outlook-latest-table tbody tr").count()
    assert len(latest) == shown == 19
    assert latest.columns.tolist() == ["target", "scheme", "code", "entity", "origin_period", "period", "probability",
                                       "shown", "shown_label", "current_class", "current_class_label", "score_class",
                                       "score_class_label", "mean_score", "n_scored"]
    assert console_errors == []
