"""Budget: the HTML plus CSS needed for the first render is at most 14 KB gzip on every page.

A page passes outright when gzip(HTML) + gzip(each stylesheet it links) fits. Otherwise the HTML
needed for the first render is measured: the shortest prefix of the page, cut just before a `<`
so no tag is split, whose first viewport (375×667, and again 1280×800) renders pixel-identical
to the whole page's. gzip(prefix) + gzip(CSS) must fit: first the longest prefix that fits is
rendered, and only when its first viewport differs is the shortest one searched for (when it
is the same, the shortest fits too; `prefix_within` records that prefix). Figures go to
test-artifacts/budget.tsv and are printed (`-s` shows them).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import REPO, Site

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

BUDGET = 14 * 1024  # 14,336 bytes
VIEWPORTS = ((375, 667), (1280, 800))
REPORT = REPO / "test-artifacts" / "budget.tsv"


SETTLED = """() => document.fonts.ready.then(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
)"""
"""Waits until the page's fonts are in and two frames have been drawn, so that two renders
of the same bytes are compared when both are finished, not while one is still settling."""


SETTLING_TRIES = 3
"""Renders of the whole page after the first, until two in a row are the same: on a loaded
machine a render can be taken before the page is drawn whole, even after `SETTLED`."""


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


class _Stylesheets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        rels = (values.get("rel") or "").lower().split()
        if tag == "link" and "stylesheet" in rels and values.get("href"):
            self.hrefs.append(str(values["href"]))


def stylesheets(site: Site, page_url: str, html: bytes) -> list[Path]:
    parser = _Stylesheets()
    parser.feed(html.decode("utf-8"))
    files = []
    base_path = urlsplit(site.base).path
    for href in parser.hrefs:
        url = urlsplit(urljoin(page_url, href))
        assert f"{url.scheme}://{url.netloc}" == site.origin, f"{page_url}: {href} is off-site"
        assert url.path.startswith(base_path), f"{page_url}: {href} is outside the site"
        path = site.root / url.path[len(base_path) :]
        assert path.is_file(), f"{page_url}: {href} is not in the build"
        files.append(path)
    return files


class Renders:
    """Screenshots of the first viewport of a page's first bytes, served at its address."""

    def __init__(self, page: Page, url: str, body: bytes) -> None:
        self.page = page
        self.body = body
        self.served = body
        self._whole: bytes | None = None
        page.route(
            url,
            lambda route: route.fulfill(
                status=200, content_type="text/html; charset=utf-8", body=self.served
            ),
        )
        self.url = url

    def render(self, length: int) -> bytes:
        """The first viewport of the first `length` bytes, once drawn."""
        self.served = self.body[:length]
        self.page.goto(self.url, wait_until="load")
        self.page.evaluate(SETTLED)
        return self.page.screenshot(animations="disabled", caret="hide")

    def whole(self) -> bytes:
        """The whole page's first viewport, checked to be the same twice."""
        if self._whole is None:
            reference = self.render(len(self.body))
            for _ in range(SETTLING_TRIES):
                again = self.render(len(self.body))
                if again == reference:
                    break
                reference = again  # drawn while the machine was too busy to finish: once more
            else:
                pytest.fail(f"{self.url} does not render the same twice in {SETTLING_TRIES + 1}")
            self._whole = reference
        return self._whole


@contextmanager
def prefix_renders(
    browser: Browser, url: str, body: bytes, viewport: tuple[int, int]
) -> Iterator[Renders]:
    """A tab of its own, at `viewport`, serving the first bytes of `body` at `url`."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    try:
        yield Renders(context.new_page(), url, body)
    finally:
        context.close()


def first_render_prefix(browser: Browser, url: str, body: bytes, viewport: tuple[int, int]) -> int:
    """Bytes of `body` needed for its first viewport to render exactly as the whole page's."""
    with prefix_renders(browser, url, body, viewport) as renders:
        reference = renders.whole()
        cuts = [i for i, byte in enumerate(body) if byte == ord("<")] + [len(body)]
        low, high = 0, len(cuts) - 1  # cuts[high] is known to render like the whole page
        while low < high:
            middle = (low + high) // 2
            if renders.render(cuts[middle]) == reference:
                high = middle
            else:
                low = middle + 1
        return cuts[low]


def longest_prefix_within(body: bytes, allowed: int) -> int:
    """The longest prefix of `body`, cut just before a `<`, whose gzip is at most `allowed`."""
    cuts = [i for i, byte in enumerate(body) if byte == ord("<")]
    low, high = 0, len(cuts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if gz(body[: cuts[middle]]) <= allowed:
            low = middle
        else:
            high = middle - 1
    return cuts[low]


def renders_like_the_whole(
    browser: Browser, url: str, body: bytes, viewport: tuple[int, int], length: int
) -> bool:
    """Whether the first `length` bytes of `body` render its first viewport exactly as the
    whole page does. When the prefix that fits the budget does, the shortest such prefix
    fits too: two renders instead of a search of a dozen. Only when they differ is the
    whole page's render checked to be settled and the prefix drawn again beside it: two
    renders of different bytes that come out the same are taken to be finished."""
    with prefix_renders(browser, url, body, viewport) as renders:
        if renders.render(length) == renders.render(len(body)):
            return True
        return renders.render(length) == renders.whole()


@dataclass(frozen=True)
class FirstRender:
    """What a page needs for its first render, gzipped: its HTML, or the prefix of it that
    draws the first viewport, and its stylesheets."""

    html: int
    html_gz: int
    css_gz: int
    prefix_within: int | None = None
    """The longest prefix that fits, when it draws the first viewports as the whole does."""
    prefix: int | None = None
    """Otherwise the shortest prefix that draws them so."""
    prefix_gz: int | None = None

    @property
    def total_gz(self) -> int:
        return self.html_gz + self.css_gz

    @property
    def first_render_gz(self) -> int:
        """What the first render needs: the whole page, or its prefix when it is over."""
        return self.total_gz if self.prefix_gz is None else self.prefix_gz + self.css_gz


def first_render(browser: Browser, site: Site, url: str, html: bytes) -> FirstRender:
    """Measure the first render of `html`, served at `url`, at both viewports."""
    css = sum(gz(p.read_bytes()) for p in stylesheets(site, url, html))
    whole = FirstRender(len(html), gz(html), css)
    if whole.total_gz <= BUDGET:
        return whole
    within = longest_prefix_within(html, BUDGET - css)
    if all(renders_like_the_whole(browser, url, html, v, within) for v in VIEWPORTS):
        return replace(whole, prefix_within=within, prefix_gz=gz(html[:within]))
    prefix = max(first_render_prefix(browser, url, html, v) for v in VIEWPORTS)
    return replace(whole, prefix=prefix, prefix_gz=gz(html[:prefix]))


def test_first_render_fits_in_14_kb_gzip(site: Site, browser: Browser) -> None:
    rows: list[dict[str, object]] = []
    failures = []
    for relative in site.html_pages():
        url = site.url(Site.page_url_path(relative))
        measured = first_render(browser, site, url, (site.root / relative).read_bytes())
        row = {"page": relative, **asdict(measured)}
        row["total_gz"] = measured.total_gz
        row["first_render_gz"] = measured.first_render_gz
        if measured.first_render_gz > BUDGET:
            failures.append(row)
        rows.append(row)

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    columns = [
        "page",
        "html",
        "html_gz",
        "css_gz",
        "total_gz",
        "prefix_within",
        "prefix",
        "prefix_gz",
        "first_render_gz",
    ]
    lines = ["\t".join(columns)] + [
        "\t".join("" if row.get(c) is None else str(row[c]) for c in columns) for row in rows
    ]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for row in sorted(rows, key=lambda r: -r["total_gz"])[:5]:
        print(row)
    assert failures == [], f"over {BUDGET} bytes gzip for the first render: {failures}"
