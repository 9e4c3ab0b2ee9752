"""The industries page in Debian's Chromium: renders without console errors; its cross-section CSV equals the database."""

from __future__ import annotations

import pytest

from tests.dashboard.browser_checks import download_matching_database, open_page

pytestmark = pytest.mark.browser


def test_industry_page_loads_in_chromium_its_cross_section_csv_equals_the_database_and_a_link_sets_the_frequency(
        page, live_server, db_path, console_errors):
    open_page(page, f"{live_server}/industry?lang=en", "#industry-title",
              "#industry-series .js-plotly-plot", "#industry-cross .js-plotly-plot")
    assert page.locator("#industry-title").inner_text() == "Industries: N Administrative and support service activities"
    downloaded = download_matching_database(page, "#industry-cross-nl-csv", db_path)
    assert downloaded["sector_code"].tolist() == list("ABCDEFGHIJKLMNOPQRS")
    assert set(downloaded["period"]) == {"2023-Q3"}
    assert downloaded.set_index("sector_code").loc["N", "value"] == 29500
    page.click("#industry-frequency-year")
    page.wait_for_selector("#industry-frequency li[aria-current='true'] #industry-frequency-year")
    assert page.url.endswith("/industry?frequency=year&group=vacancies&lang=en&sector=N")
    assert console_errors == []
