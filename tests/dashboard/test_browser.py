"""Pages rendered in Debian's Chromium: no console errors, downloads read back with pandas equal the database rows."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.browser_checks import download_matching_database, open_page, open_rendered

pytestmark = pytest.mark.browser


def test_sector_overview_loads_in_chromium_and_its_csv_equals_the_database_rows(page, live_server, db_path,
                                                                                console_errors):
    open_page(page, f"{live_server}/?lang=en", "#sector-title", "#key-heading")
    page.click("#sector-workforce > summary")  # the details are folded under the key figures
    page.wait_for_selector("#sector-workforce .js-plotly-plot")
    assert page.locator("#sector-title").inner_text() == "Customer contact: the Netherlands and Belgium"
    assert page.evaluate("document.documentElement.lang") == "en"
    downloaded = download_matching_database(page, "#sector-download-csv", db_path)
    employed = downloaded[(downloaded["indicator"] == "employed_persons") & (downloaded["breakdown"] == "")]
    assert sorted(zip(employed["occupation_code"], employed["period"], employed["value"], strict=True)) == [
        ("0334", "2023", 127000), ("0334", "2024-Q4", 105000), ("0334", "2025-Q4", 118000),
        ("0433", "2023", 186000), ("0433", "2024-Q4", 186000), ("0433", "2025-Q4", 178000)]
    median = downloaded[(downloaded["indicator"] == "hourly_wage_median") & (downloaded["occupation_code"] == "0433")
                        & (downloaded["period"] == "2024")]
    assert median[["value", "status"]].values.tolist() == [[20.7, "provisional"]]
    open_n = downloaded[(downloaded["indicator"] == "vacancies_open") & (downloaded["sector_code"] == "N")]
    assert open_n.set_index("period").loc["2023-Q3", "value"] == 29500
    assert set(downloaded["licence"]) >= {"CC BY 4.0"}
    assert console_errors == []


def test_a_page_with_tables_asks_for_nothing_after_its_scripts_but_its_own_callbacks(page, live_server, console_errors):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_rendered(page, live_server, "/data", "en")
    assert page.locator(".data-table table").count() > 0
    chunks = [url for url in requested if "/dcc/async-" in url]
    assert sorted(url.split("/dcc/")[1].split(".")[0] for url in chunks) == ["async-dropdown", "async-graph",
                                                                              "async-markdown"]
    # Dash's fingerprinted names (async-graph.v4_4_1m….js): the page's own scripts, not chunks fetched on demand
    assert all(re.search(r"/async-[a-z]+\.v[0-9_]+m[0-9]+\.js$", url) for url in chunks)
    # The layout and the callback list are preloaded with the scripts, and the renderer takes the preloaded answers.
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert len([url for url in requested if url.endswith(path)]) == 1, path
    assert console_errors == []
