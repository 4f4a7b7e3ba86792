"""The browser asks for nothing outside the site on its own: a page that declares no icon makes
Chromium fetch /favicon.ico from the host's root, outside the site, and log its 404 (fixed by
the site icon in templates/static/; this keeps it fixed)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Site

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

pytestmark = pytest.mark.browser


def test_the_browser_requests_nothing_outside_the_site(
    playwright_instance: Playwright, site: Site
) -> None:
    # A browser of its own: Chromium remembers a missing favicon for the whole browser, so
    # only a fresh one shows what a first-time visitor's browser does.
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        start = len(site.hits)
        page.goto(site.url(""), wait_until="load")
        deadline = time.monotonic() + 3
        outside: list[str] = []
        while time.monotonic() < deadline and not outside:
            page.wait_for_timeout(100)
            base_path = site.base[len(site.origin) :]
            outside = [h for h in site.hits[start:] if not h.startswith(base_path)]
        assert outside == [], f"requests outside {base_path}: {outside}; console: {errors}"
        assert errors == []
    finally:
        browser.close()
