"""The NL–BE comparison page in Debian's Chromium: renders without console errors; its Dutch-figures CSV equals the database."""

from __future__ import annotations

import pytest

from tests.dashboard.browser_checks import download_matching_database, open_page, open_rendered

pytestmark = pytest.mark.browser


def test_compare_page_loads_in_chromium_and_its_dutch_figures_csv_equals_the_database_rows(page, live_server, db_path,
                                                                                           console_errors):
    open_page(page, f"{live_server}/compare?lang=en&section=all", "#compare-title",
              "#compare-figures .js-plotly-plot", "#compare-vacancy_rate-graph .js-plotly-plot")
    assert page.locator("#compare-title").inner_text() == "The Netherlands and Belgium compared"
    downloaded = download_matching_database(page, "#compare-figures-nl-csv", db_path)
    employed = downloaded[downloaded["indicator"] == "employed_persons"]
    assert list(zip(employed["occupation_code"], employed["period"], employed["value"], strict=True)) == [
        ("0433", "2023", 186000), ("0433", "2024-Q4", 186000), ("0433", "2025-Q4", 178000)]
    assert console_errors == []


def test_on_a_390_pixel_phone_the_links_table_scrolls_sideways_instead_of_growing_rows_of_ten_lines(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_rendered(page, live_server, "/compare", "en")
    rows = page.locator("#compare-occupation ~ .panel .data-table tr")
    heights = rows.evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    # Before the table had a minimum width its tallest row (a note in a 7rem column) was 203 px: ten lines.
    assert len(heights) == 4 and max(heights) < 120
    box = page.locator("#compare-occupation ~ .panel figure.table-figure").first
    assert box.evaluate("f => f.scrollWidth > f.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
