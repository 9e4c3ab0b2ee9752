"""Every dashboard page in both languages, checked in Debian's Chromium by axe-core against WCAG 2.1 A and AA."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.dashboard.browser_checks import LANGUAGES, PAGES, open_rendered

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The one allowance: Dash 4's dcc.Dropdown renders a focus proxy <input class="dash-dropdown-focus-target" tabindex="0"
# aria-hidden="true"> before its button, inside Dash's own component, not our markup (plotly/dash issue #3673).
# axe names the node by its shortest unique selector, which need not mention the class, so its HTML is what is matched.
DASH_FOCUS_PROXY = re.compile(r'<input class="dash-dropdown-focus-target"[^>]* aria-hidden="true"')


def _allowed(rule: str, node: dict) -> bool:
    """Only the Dash-internal dropdown focus proxy under aria-hidden-focus; every other rule or node is a failure."""
    return rule == "aria-hidden-focus" and re.match(DASH_FOCUS_PROXY, node["html"]) is not None


def _failures(violations: list[dict], address: str) -> list[str]:
    """One readable line per offending node: address, rule id, impact, target and axe's summary of the fix."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            if not _allowed(violation["id"], node):
                summary = " ".join(node.get("failureSummary", "").split())
                lines.append(f"{address}: {violation['id']} ({violation['impact']}) at {node['target']}: {summary}")
    return lines


def test_every_page_in_both_languages_has_no_wcag_21_aa_violation_but_the_dash_dropdown_focus_proxy(page, live_server):
    axe = Axe()
    failures = []
    for path in PAGES:
        for lang in LANGUAGES:
            address = open_rendered(page, live_server, path, lang)
            failures += _failures(axe.run(page, options=WCAG_21_AA).response["violations"], address)
    assert failures == [], "\n".join(failures)


def test_the_allowance_covers_only_the_focus_proxy_of_a_dash_dropdown():
    proxy = {"html": '<input class="dash-dropdown-focus-target" tabindex="0" readonly="" aria-hidden="true">',
             "target": [".control:nth-child(1) > .dash-dropdown-wrapper > input"]}
    ours = {"html": '<a href="/" class="dash-dropdown-focus-target" aria-hidden="true">', "target": ["#industry-title > a"]}
    assert _allowed("aria-hidden-focus", proxy)
    assert not _allowed("aria-hidden-focus", ours)
    assert not _allowed("button-name", proxy)
    assert _failures([{"id": "aria-hidden-focus", "impact": "serious", "nodes": [proxy, ours]}], "/?lang=en") == [
        "/?lang=en: aria-hidden-focus (serious) at ['#industry-title > a']: "]
