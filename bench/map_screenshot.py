"""Screenshot a generated map in headless Chromium, offline (for the README).

    python bench/map_screenshot.py maps/euphrates-2017.html maps/euphrates-2017.png
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from map_bench import CHROMIUM, CHROMIUM_ARGS


def main(html: str, png: str, chromium: str = CHROMIUM) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        # Offline, as many users are: only the file itself loads; tiles are refused.
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        page.goto(Path(html).resolve().as_uri())
        page.wait_for_function("window.geoevents && window.geoevents.ready === true", timeout=30_000)
        page.screenshot(path=png)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
