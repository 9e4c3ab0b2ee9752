"""Every page in Debian's Chromium, each in a fresh context: time to network idle, bytes on the wire, the page callback."""

from __future__ import annotations

import json
import time
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
IDLE_SECONDS = 0.5


@dataclass
class PageVisit:
    """One first visit: seconds from the request to the last response, bytes transferred, the page callback's body,
    and each request as (url, bytes, sent, first byte, finished) in seconds from the page's first request."""

    path: str
    seconds: float = 0.0
    transferred_bytes: int = 0
    callback_body: bytes = b""
    requests: list[tuple[str, int, float, float, float]] = field(default_factory=list)

    def waterfall(self) -> list[str]:
        """One line per request in the order sent: when it went out, its first byte, its end, its size."""
        lines = []
        for url, size, sent, first_byte, finished in sorted(self.requests, key=lambda r: r[2]):
            name = url.split("://", 1)[-1].split("/", 1)[-1][:70]
            lines.append(f"{sent * 1000:6.0f} {first_byte * 1000:6.0f} {finished * 1000:6.0f} ms {size / 1024:6.1f} KiB  "
                         f"/{name}")
        return lines


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
        sent_at: dict[str, float] = {}
        answered_at: dict[str, float] = {}
        done_at: list[tuple[str, int, float, float, float]] = []
        last_event = [time.monotonic()]

        def sent(event):
            started.append(event["timestamp"])
            urls[event["requestId"]] = event["request"]["url"]
            sent_at[event["requestId"]] = event["timestamp"]
            last_event[0] = time.monotonic()

        def answered(event):
            answered_at[event["requestId"]] = event["timestamp"]

        def done(event):
            finished.append(event["timestamp"])
            visit.transferred_bytes += int(event["encodedDataLength"])
            request_id = event["requestId"]
            done_at.append((urls.pop(request_id, "?"), int(event["encodedDataLength"]), sent_at.get(request_id, 0.0),
                            answered_at.get(request_id, event["timestamp"]), event["timestamp"]))
            last_event[0] = time.monotonic()

        def failed(event):
            urls.pop(event["requestId"], None)
            last_event[0] = time.monotonic()

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.responseReceived", answered)
        cdp.on("Network.loadingFinished", done)
        cdp.on("Network.loadingFailed", failed)

        def is_page_callback(response) -> bool:
            body = response.request.post_data_buffer or b""
            return "_dash-update-component" in response.url and PAGE_CONTENT_OUTPUT.encode() in body

        # Network idle alone can come before the first callback on a busy machine (scripts parse for over 500 ms).
        with page.expect_response(is_page_callback, timeout=IDLE_TIMEOUT_MS) as answer:
            page.goto(base_url + path, wait_until="commit", timeout=IDLE_TIMEOUT_MS)
        visit.callback_body = answer.value.request.post_data_buffer
        deadline = time.monotonic() + IDLE_TIMEOUT_MS / 1000
        # Network idle as Playwright defines it (nothing in flight for 500 ms), counted from the page's answer on.
        while urls or time.monotonic() - last_event[0] < IDLE_SECONDS:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{path}: still loading {sorted(urls.values())[:3]} after {IDLE_TIMEOUT_MS} ms")
            page.wait_for_timeout(100)
        visit.seconds = max(finished) - min(started)
        visit.requests = [(url, size, sent - min(started), first - min(started), end - min(started))
                          for url, size, sent, first, end in done_at]
        cdp.detach()
    finally:
        context.close()
    json.loads(visit.callback_body)
    return visit
