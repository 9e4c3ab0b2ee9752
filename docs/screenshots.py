"""Screenshots of the sector overview and the comparison page, desktop and phone, for the README (Debian's Chromium).

Usage: .venv/bin/python -m docs.screenshots DB [OUT_DIR]
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# (file stem, path, element that is drawn last); the sector overview is shown with its vacancy-rate details open.
SHOTS = [("sector-overview", "/?lang=en", "#key-heading", "#sector-vacancy_rate"),
         ("comparison", "/compare?lang=en", "#compare-eurostat_rate-graph .js-plotly-plot", "")]


def main(db: Path, out: Path) -> None:
    from dashboard.app import create_app

    server = make_server("127.0.0.1", 0, create_app(db).server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        for device, viewport in VIEWPORTS.items():
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            for stem, path, ready, unfold in SHOTS:
                page.goto(base + path)
                page.wait_for_selector(ready)
                if unfold:
                    page.click(f"{unfold} > summary")
                    page.wait_for_selector(f"{unfold} .js-plotly-plot")
                page.wait_for_timeout(800)  # plotly finishes its layout after the element appears
                width = page.evaluate("document.documentElement.scrollWidth")
                target = out / f"{stem}-{device}.png"
                page.screenshot(path=str(target), full_page=True)
                print(f"{target}: page width {width} px at a {viewport['width']} px window")
            page.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2] if len(sys.argv) > 2 else "docs"))
