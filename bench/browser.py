"""Every page in Debian's Chromium, each in a fresh context: time to network idle, bytes on the wire, the page callback."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
# Every page with what a visitor typically asks of it (the same views bench/callbacks.py times in-process).
PAGES = [
    "/?sector=customer_contact",
    "/occupation?scheme=brc2014&code=0334",
    "/industry?sector=N",
    "/compare?isco=4222",
    "/outlook",
    "/data?country=NL&indicator=employed_persons",
    "/methods",
]
PAGE_CONTENT_OUTPUT = "_pages_content.children"
IDLE_TIMEOUT_MS = 60_000


@dataclass
class PageVisit:
    """One first visit: seconds from the request to the last response, bytes transferred, the page callback's body."""

    path: str
    seconds: float = 0.0
    transferred_bytes: int = 0
    callback_body: bytes = b""
    requests: list[tuple[str, int]] = field(default_factory=list)


def visit_every_page(base_url: str) -> list[PageVisit]:
    from playwright.sync_api import sync_playwright

    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            for path in PAGES:
                visits.append(_visit(browser, base_url, path))
        finally:
            browser.close()
    return visits


def _visit(browser, base_url: str, path: str) -> PageVisit:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    visit = PageVisit(path)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        started: list[float] = []
        finished: list[float] = []
        urls: dict[str, str] = {}

        def sent(event):
            started.append(event["timestamp"])
            urls[event["requestId"]] = event["request"]["url"]

        def done(event):
            finished.append(event["timestamp"])
            visit.transferred_bytes += int(event["encodedDataLength"])
            visit.requests.append((urls.get(event["requestId"], "?"), int(event["encodedDataLength"])))

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", done)

        def remember_callback(request):
            body = request.post_data_buffer or b""
            if "_dash-update-component" in request.url and PAGE_CONTENT_OUTPUT in body.decode("utf-8", "replace"):
                visit.callback_body = body

        page.on("request", remember_callback)
        page.goto(base_url + path, wait_until="networkidle", timeout=IDLE_TIMEOUT_MS)
        visit.seconds = max(finished) - min(started)
        cdp.detach()
    finally:
        context.close()
    if not visit.callback_body:
        raise RuntimeError(f"{path}: the browser sent no page-content callback (is the router still {PAGE_CONTENT_OUTPUT}?)")
    json.loads(visit.callback_body)
    return visit
