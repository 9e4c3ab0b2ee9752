"""Site-wide layout in Debian's Chromium: no page wider than a phone, no table wider than a desktop, a folding menu, 404s."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.dashboard.browser_checks import LANGUAGES, PAGES, open_rendered
from tests.dashboard.test_accessibility import WCAG_21_AA, _failures

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
WIDEST_TABLE = 1400
DOCUMENT_WIDTH = "document.documentElement.scrollWidth"
TABLE_WIDTHS = "Array.from(document.querySelectorAll('table'), t => Math.round(t.getBoundingClientRect().width))"
# The outermost elements that stick out of the window, named so a failure says where to look.
STICKING_OUT = """width => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > width + 1 && e.parentElement.getBoundingClientRect().right <= width + 1)
    .slice(0, 3)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.browser
def test_no_page_in_either_language_is_wider_than_a_390_px_phone_and_each_passes_the_accessibility_checks(page,
                                                                                                      live_server):
    page.set_viewport_size(PHONE)
    axe = Axe()
    too_wide, failures = [], []
    for path in PAGES:
        for lang in LANGUAGES:
            address = open_rendered(page, live_server, path, lang)
            width = page.evaluate(DOCUMENT_WIDTH)
            if width > PHONE["width"]:
                too_wide.append(f"{address}: {width} px ({page.evaluate(STICKING_OUT, PHONE['width'])})")
            failures += _failures(axe.run(page, options=WCAG_21_AA).response["violations"], f"{address} (phone)")
    assert too_wide == [], "\n".join(too_wide)
    assert failures == [], "\n".join(failures)


@pytest.mark.browser
def test_no_table_on_any_page_is_wider_than_1400_px_in_a_1366_px_window(page, live_server):
    page.set_viewport_size(DESKTOP)
    too_wide = []
    for path in PAGES:
        for lang in LANGUAGES:
            address = open_rendered(page, live_server, path, lang)
            widths = page.evaluate(TABLE_WIDTHS)
            if max(widths, default=0) > WIDEST_TABLE or page.evaluate(DOCUMENT_WIDTH) > DESKTOP["width"]:
                too_wide.append(f"{address}: tables {widths} px, page {page.evaluate(DOCUMENT_WIDTH)} px")
    assert too_wide == [], "\n".join(too_wide)


@pytest.mark.browser
def test_on_a_phone_the_navigation_folds_behind_a_menu_button_that_the_keyboard_opens(page, live_server):
    page.set_viewport_size(PHONE)
    open_rendered(page, live_server, "/", "nl")
    menu, first_link = page.locator("#shell-menu"), page.locator("#shell-nav a").first
    assert menu.inner_text() == "Menu" and menu.get_attribute("aria-expanded") == "false"
    assert not first_link.is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('shell-menu').getAttribute('aria-expanded') === 'true'")
    assert first_link.is_visible()
    page.locator("#shell-nav a", has_text="Bronnen en methoden").click()
    page.wait_for_selector("#methods-title")
    page.wait_for_function("document.getElementById('shell-menu').getAttribute('aria-expanded') === 'false'")
    assert not first_link.is_visible()


@pytest.mark.browser
def test_on_a_desktop_the_navigation_shows_every_page_without_a_menu_button(page, live_server):
    page.set_viewport_size(DESKTOP)
    open_rendered(page, live_server, "/", "en")
    assert not page.locator("#shell-menu").is_visible()
    assert page.locator("#shell-nav a").all_inner_texts() == [
        "Sector overview", "Occupation explorer", "Industries", "NL–BE comparison", "Shortage outlook", "Data & downloads",
        "Sources and methods"]


@pytest.mark.browser
def test_an_unknown_page_says_so_in_the_browser_and_keeps_the_navigation(page, live_server):
    response = page.goto(f"{live_server}/no-such-page?lang=en")
    assert response.status == 404
    page.wait_for_selector("#not-found-title")
    assert page.locator("#not-found-title").inner_text() == "Page not found"
    assert page.locator("#shell-nav a").count() == len(PAGES)
    page.wait_for_function("document.title === 'Page not found — Labour Market Monitor NL·BE'")


@pytest.mark.parametrize("path", ["/no-such-page", "/not-found", "/methods/extra", "/outlook.php"])
def test_an_address_no_page_claims_answers_404_with_the_dashboard_shell(dash_app, path):
    response = dash_app.server.test_client().get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "<title>Pagina niet gevonden — Arbeidsmarktmonitor NL·BE</title>" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [*PAGES, "/methods/", "/data?lang=en"])
def test_every_page_answers_200(dash_app, path):
    assert dash_app.server.test_client().get(path).status_code == 200


def test_the_app_s_own_routes_are_not_turned_into_404s(dash_app):
    client = dash_app.server.test_client()
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/assets/style.css").status_code == 200
