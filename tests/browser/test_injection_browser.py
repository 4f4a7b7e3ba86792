"""In a real browser: no payload of the payload site runs, and the Content-Security-Policy
blocks nothing the site needs (issue #7).

Every page of three payload-site builds (each build puts every payload in some field;
see `tests/injection_site.py`) is opened with every element focused and moused over; a
payload that ran would set `window.__pwned` or open a dialog, and one that the policy
stopped would fire a `securitypolicyviolation` event. The real site, the site opened from
disk and the preview (`explainer serve`, whose reload script is inline) must load with no
violation at all.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from generator.build.site import build_site
from generator.render.environment import CONTENT_SECURITY_POLICY
from tests.browser.conftest import PAGE_TYPES, Site, _SiteHandler, open_page
from tests.browser.test_serve_reload import Server, server  # noqa: F401 - a fixture
from tests.injection_site import BASE_URLS, PAYLOADS, payload_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

STYLED = "getComputedStyle(document.body).marginTop === '0px'"
"""The site's stylesheet applies: it takes away the body's default margin, on every page."""

BUILDS = (0, 18)
"""Builds whose base_url is the plain one (`BASE_URLS[0]`); each holds every payload."""

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""
"""Runs before anything of the page: records what the policy blocked."""

PROVOKE = """
() => {
  for (const element of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'click']) {
      if (type === 'click' && element.closest('a, summary, details, label')) continue;
      element.dispatchEvent(new Event(type, {bubbles: true}));
    }
    if (typeof element.focus === 'function') element.focus();
  }
}
"""
"""Fires what an event-handler payload would wait for, on every element (not following
links: the next page is checked on its own)."""


@dataclass
class Watched:
    page: Page
    dialogs: list[str]
    errors: list[str]

    def pwned(self) -> Any:
        return self.page.evaluate("window.__pwned")

    def violations(self) -> list[str]:
        return list(self.page.evaluate("window.__violations"))

    def styled(self) -> bool:
        """Whether the site's stylesheet applies."""
        return bool(self.page.evaluate(STYLED))

    def go(self, url: str) -> None:
        self.dialogs.clear()
        self.errors.clear()
        self.page.goto(url, wait_until="load")


def _watched_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(WATCH)
    return context


def _watch(context: BrowserContext, url: str) -> Watched:
    """Open `url` in a new tab that records dialogs and errors (`go` to open another)."""
    page = context.new_page()
    watched = Watched(page, [], [])

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    page.on(
        "console",
        lambda m: watched.errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    watched.go(url)
    return watched


@pytest.fixture(scope="module")
def payload_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Site]]:
    """The payload builds, each served at its base path as a static host would."""
    sites, servers = [], []
    for build in BUILDS:
        assert BASE_URLS[build % len(BASE_URLS)] == BASE_URLS[0]
        root = tmp_path_factory.mktemp(f"payload-{build}")
        built = payload_site(root / "content", build)
        build_site(built.content, root / "output", workers=1)
        prefix = urlsplit(BASE_URLS[0]).path
        hits: list[str] = []
        handler = type("Handler", (_SiteHandler,), {"prefix": prefix, "hits": hits})
        httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(handler, directory=str(root / "output"))
        )
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{httpd.server_address[1]}"
        sites.append(Site(root / "output", origin, origin + prefix, hits))
        servers.append(httpd)
    try:
        yield sites
    finally:
        for httpd in servers:
            httpd.shutdown()
            httpd.server_close()


def test_no_payload_runs_on_any_page(browser: Browser, payload_sites: list[Site]) -> None:
    context = _watched_context(browser)
    opened = 0
    problems = []
    try:
        watched = _watch(context, "about:blank")
        for site in payload_sites:
            for relative in site.html_pages():
                url = site.url(Site.page_url_path(relative))
                watched.go(url)
                watched.page.evaluate(PROVOKE)
                watched.page.keyboard.press("Tab")
                found = {
                    "ran": watched.pwned(),
                    "dialogs": watched.dialogs,
                    "blocked by the policy": watched.violations(),
                    "errors": watched.errors,
                    "unstyled": not watched.styled(),
                }
                if any(found.values()):
                    problems.append(f"{url}: {found}")
                opened += 1
    finally:
        context.close()
    assert opened >= 20 * len(BUILDS)
    assert problems == [], "\n".join(problems)
    assert len(PAYLOADS) > 30


def test_the_policy_is_in_force(browser: Browser, payload_sites: list[Site]) -> None:
    """A script that got into a page anyway would not run: inline or from another site."""
    context = _watched_context(browser)
    try:
        watched = _watch(context, payload_sites[0].url(""))
        assert (
            watched.page.evaluate(
                "() => document.querySelector('meta[http-equiv=Content-Security-Policy]').content"
            )
            == CONTENT_SECURITY_POLICY
        )
        watched.page.evaluate(
            """() => {
              const inline = document.createElement('script');
              inline.textContent = 'window.__pwned = "inline"';
              document.head.appendChild(inline);
              const foreign = document.createElement('script');
              foreign.src = 'https://evil.example/x.js';
              document.head.appendChild(foreign);
              const frame = document.createElement('iframe');
              frame.src = 'https://evil.example/';
              document.body.appendChild(frame);
            }"""
        )
        deadline = time.monotonic() + 5
        while len(watched.violations()) < 3 and time.monotonic() < deadline:
            watched.page.wait_for_timeout(50)
        assert watched.pwned() is None
        blocked = " ".join(watched.violations())
        assert "script-src-elem inline" in blocked
        assert "script-src-elem https://evil.example/x.js" in blocked
        assert "frame-src https://evil.example" in blocked
    finally:
        context.close()


def test_every_page_type_loads_under_the_policy(
    browser: Browser, site: Site, page_types: dict[str, str]
) -> None:
    """The real site: stylesheet and icon load, nothing is blocked, nothing else fails."""
    context = _watched_context(browser)
    try:
        for page_type in PAGE_TYPES:
            page, traffic = open_page(context, site, page_types[page_type])
            try:
                assert page.evaluate("window.__violations") == [], page_type
                assert page.evaluate(STYLED), page_type
                assert traffic.failed == [] and traffic.page_console_errors() == [], page_type
            finally:
                page.close()
    finally:
        context.close()


def test_site_opened_from_disk_loads_under_the_policy(
    browser: Browser, built_on_disk: Path
) -> None:
    """'self' covers files next to a page opened from disk (Chromium), so the stylesheet,
    icon and the search page's script still load there."""
    context = _watched_context(browser)
    try:
        for page in (
            "index.html",
            "microsoft-ireland/index.html",
            "microsoft-ireland/sources/index.html",
            "search/index.html",
        ):
            watched = _watch(context, (built_on_disk / page).as_uri())
            assert watched.violations() == [] and watched.errors == [], page
            assert watched.styled(), page
            watched.page.close()
    finally:
        context.close()


def test_preview_reload_script_runs_under_the_policy(
    browser: Browser,
    server: Server,  # noqa: F811 - the fixture imported above
) -> None:
    """`explainer serve` adds livereload's inline script; the policy allows exactly it."""
    context = _watched_context(browser)
    sent: list[str] = []
    try:
        page = context.new_page()
        page.on("websocket", lambda ws: ws.on("framesent", lambda p: sent.append(str(p))))
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"http://127.0.0.1:{server.port}/microsoft-ireland/", wait_until="load")
        deadline = time.monotonic() + 10
        while not any('"info"' in frame for frame in sent) and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        assert any('"info"' in frame for frame in sent), "the reload script did not connect"
        assert page.evaluate("window.__violations") == []
        assert [e for e in errors if "Content Security Policy" in e] == []
    finally:
        context.close()
