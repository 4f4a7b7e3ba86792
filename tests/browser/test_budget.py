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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import REPO, Site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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


@contextmanager
def prefix_renders(
    browser: Browser, url: str, body: bytes, viewport: tuple[int, int]
) -> Iterator[tuple[bytes, Callable[[int], bytes]]]:
    """A page serving the first bytes of `body` at `url`: yields the screenshot of the whole
    page's first viewport, checked to be the same twice, and a function that screenshots the
    first viewport of the first `length` bytes."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    served = {"body": body}
    page.route(
        url,
        lambda route: route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=served["body"]
        ),
    )

    def render(length: int) -> bytes:
        served["body"] = body[:length]
        page.goto(url, wait_until="load")
        page.evaluate(SETTLED)
        return page.screenshot(animations="disabled", caret="hide")

    try:
        reference = render(len(body))
        for _ in range(SETTLING_TRIES):
            again = render(len(body))
            if again == reference:
                break
            reference = again  # drawn while the machine was too busy to finish: once more
        else:
            pytest.fail(f"{url} does not render the same twice in {SETTLING_TRIES + 1} renders")
        yield reference, render
    finally:
        context.close()


def first_render_prefix(browser: Browser, url: str, body: bytes, viewport: tuple[int, int]) -> int:
    """Bytes of `body` needed for its first viewport to render exactly as the whole page's."""
    with prefix_renders(browser, url, body, viewport) as (reference, render):
        cuts = [i for i, byte in enumerate(body) if byte == ord("<")] + [len(body)]
        low, high = 0, len(cuts) - 1  # cuts[high] is known to render like the whole page
        while low < high:
            middle = (low + high) // 2
            if render(cuts[middle]) == reference:
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
    fits too: three renders instead of a search of a dozen."""
    with prefix_renders(browser, url, body, viewport) as (reference, render):
        return render(length) == reference


def test_first_render_fits_in_14_kb_gzip(site: Site, browser: Browser) -> None:
    rows = []
    failures = []
    for relative in site.html_pages():
        url = site.url(Site.page_url_path(relative))
        html = (site.root / relative).read_bytes()
        css = sum(gz(p.read_bytes()) for p in stylesheets(site, url, html))
        row = {"page": relative, "html": len(html), "html_gz": gz(html), "css_gz": css}
        row["total_gz"] = row["html_gz"] + css
        if row["total_gz"] > BUDGET:
            within = longest_prefix_within(html, BUDGET - css)
            if all(renders_like_the_whole(browser, url, html, v, within) for v in VIEWPORTS):
                row["prefix_within"] = within
            else:
                prefix = max(first_render_prefix(browser, url, html, v) for v in VIEWPORTS)
                row["prefix"] = prefix
                row["prefix_gz"] = gz(html[:prefix])
                row["first_render_gz"] = row["prefix_gz"] + css
                if row["first_render_gz"] > BUDGET:
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
    lines = ["\t".join(columns)] + ["\t".join(str(row.get(c, "")) for c in columns) for row in rows]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for row in sorted(rows, key=lambda r: -r["total_gz"])[:5]:
        print(row)
    assert failures == [], f"over {BUDGET} bytes gzip for the first render: {failures}"
