"""Embeds in a newsroom's page: the code copied from the site, on a page of another origin.

The site is built with its base URL at a local server, so that the code on its pages is used
exactly as a newsroom copies it; the newsroom's page is served by a second server (another
port, so another origin). A timeline's frame must keep the height its code gives (at most
900 px, in an article's column and on a phone) and scroll inside, or shrink to a shorter
view; a quote's must grow to its quote and follow its width. A linked event shows in the
frame (from the frame's address and from a link inside the frame), links within the frame
stay in it and the others open in the whole window, and every view the Embed box offers
works without scripts.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from generator.build.site import build_site
from tests.browser.conftest import SCREENSHOTS, Site, _SiteHandler
from tests.conftest import REAL_CONTENT

if TYPE_CHECKING:
    from playwright._impl._api_structures import FloatRect
    from playwright.sync_api import Browser, Frame, Page

pytestmark = pytest.mark.browser

CASE = "microsoft-ireland"
FALLBACK_HEIGHT = 640  # the timeline frame's height attribute, kept when scripts are off
MOST = 900  # no timeline frame the site offers is taller, whatever it shows
COLUMN = 680  # an article's column on a wide screen
PROSE = (
    "<p>" + "A paragraph of the newsroom's own article, before and after the frame. " * 8 + "</p>"
)


def _serve(handler: Any) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@dataclass(frozen=True)
class Newsroom:
    site: Site
    origin: str
    pages: dict[str, bytes]

    def add(self, name: str, body: str) -> str:
        """Serve `body` (inside a plain article) at /<name> and return its address."""
        self.pages[f"/{name}"] = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>'
            '<link rel="icon" href="data:,">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f"<body><h1>The newsroom's article</h1>{body}</body></html>"
        ).encode()
        return f"{self.origin}/{name}"


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsroom]:
    output = tmp_path_factory.mktemp("embedded") / "output"
    output.mkdir()
    handler = type("Handler", (_SiteHandler,), {"prefix": "/explainers/", "hits": []})
    site_server, site_origin = _serve(functools.partial(handler, directory=str(output)))
    build_site(REAL_CONTENT, output, base_url=f"{site_origin}/explainers/", workers=1)
    pages: dict[str, bytes] = {}

    class NewsroomHandler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"not found")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    news_server, news_origin = _serve(NewsroomHandler)
    assert news_origin != site_origin
    site = Site(output, site_origin, f"{site_origin}/explainers/", [])
    try:
        yield Newsroom(site, news_origin, pages)
    finally:
        for server in (site_server, news_server):
            server.shutdown()
            server.server_close()


def copied_code(site: Site, page: str, field: str = "_embed-code") -> str:
    """The code in a field of a page's Embed box (its main one unless named), as a reader
    copying it from the text field gets it."""
    return box_codes(site, page)[field]


def box_codes(site: Site, page: str) -> dict[str, str]:
    """Every field of code in a page's Embed box, by its id."""
    text = (site.root / page / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<textarea id="(_embed-[^"]+)"[^>]*>(.*?)</textarea>', text, re.S)
    assert found, f"{page} has no embed code"
    return {name: html.unescape(code) for name, code in found}


def code_height(code: str) -> int:
    found = re.search(r'<iframe [^>]*height="(\d+)"', code)
    assert found is not None, code
    return int(found.group(1))


def code_src(code: str) -> str:
    found = re.search(r'<iframe src="([^"]+)"', code)
    assert found is not None, code
    return found.group(1)


def events(site: Site) -> list[dict[str, Any]]:
    data = json.loads((site.root / CASE / "data.json").read_text(encoding="utf-8"))
    return list(data["events"])


def wait_until(page: Page, check: Callable[[], Any], what: str, seconds: float = 10) -> Any:
    """Wait for `check` to hold, letting the page run (Playwright handles its events only
    while it is called)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(50)


def embedded(page: Page) -> Frame:
    """The frame of the embedded page, loaded."""
    element = page.wait_for_selector("iframe")
    frame = element.content_frame() if element is not None else None
    assert frame is not None
    wait_until(page, lambda: "/embed/" in frame.url, "the embedded page")
    frame.wait_for_load_state("load")
    return frame


def frame_height(page: Page) -> float:
    return float(page.locator("iframe").evaluate("f => f.getBoundingClientRect().height"))


def document_height(frame: Frame) -> float:
    return float(frame.evaluate("document.documentElement.getBoundingClientRect().height"))


def fits(page: Page, frame: Frame) -> bool:
    """The frame is as tall as its document (to 2 px) and has nothing to scroll."""
    inner = frame.evaluate("[document.documentElement.scrollHeight, innerHeight]")
    return abs(frame_height(page) - document_height(frame)) <= 2 and inner[0] <= inner[1] + 1


def sized(page: Page, frame: Frame, most: int) -> bool:
    """The host script has sized the frame: as tall as its document (to 2 px) but never
    taller than `most`, the height its code gives; taller documents scroll inside."""
    styled = page.locator("iframe").evaluate("f => f.style.height")
    wanted = min(document_height(frame), most)
    return bool(styled) and abs(frame_height(page) - wanted) <= 2


def scrolls_inside(frame: Frame) -> bool:
    return bool(frame.evaluate("document.documentElement.scrollHeight > innerHeight + 1"))


def in_frame_view(page: Page, frame: Frame, selector: str) -> bool:
    """An element of the frame starts inside the part of the frame the reader sees, and
    inside the newsroom window's viewport."""
    box = frame.locator(selector).bounding_box()
    outer = page.locator("iframe").bounding_box()
    assert box is not None and outer is not None
    inside = outer["y"] - 1 <= box["y"] < outer["y"] + outer["height"] - 20
    return inside and in_view(page, box)


def in_view(page: Page, box: FloatRect | None) -> bool:
    """A box, in the newsroom window's coordinates, starts inside its viewport."""
    size = page.viewport_size
    assert box is not None and size is not None
    return 0 <= box["y"] < size["height"] - 20


def open_newsroom(browser: Browser, url: str, width: int = 1280, **options: Any) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(url, wait_until="load")
    return page


def test_the_timeline_frame_keeps_its_height_in_a_column_and_on_a_phone(
    browser: Browser, newsroom: Newsroom
) -> None:
    code = copied_code(newsroom.site, f"{CASE}/timeline")
    height = code_height(code)
    assert height == FALLBACK_HEIGHT <= MOST
    column = f'<div style="max-width:{COLUMN}px;margin:0 auto">{PROSE}{code}{PROSE}</div>'
    page = open_newsroom(browser, newsroom.add("timeline.html", column))
    try:
        frame = embedded(page)
        wait_until(page, lambda: sized(page, frame, height), "the frame sized at 1280 px")
        outer = page.locator("iframe").bounding_box()
        assert outer is not None and outer["width"] == COLUMN
        assert frame_height(page) == height and scrolls_inside(frame)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "embed-timeline-1280.png"), full_page=False)
        wide = document_height(frame)
        page.set_viewport_size({"width": 375, "height": 800})
        wait_until(page, lambda: document_height(frame) > wide + 100, "the page to reflow")
        wait_until(page, lambda: sized(page, frame, height), "the frame sized at 375 px")
        assert frame_height(page) == height and scrolls_inside(frame)
        page.screenshot(path=str(SCREENSHOTS / "embed-timeline-375.png"), full_page=False)
        # See the full timeline: in the newsroom's window.
        frame.locator(".embed-more a").click()
        page.wait_for_url(f"{newsroom.site.base}{CASE}/timeline/")
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


def test_a_shorter_view_shrinks_its_frame_to_fit(browser: Browser, newsroom: Newsroom) -> None:
    years: dict[str, int] = {}
    for event in events(newsroom.site):
        years[str(event["date"])[:4]] = years.get(str(event["date"])[:4], 0) + 1
    year = min(years, key=lambda y: years[y])
    code = copied_code(newsroom.site, f"{CASE}/timeline", f"_embed-{year}-{MOST}")
    page = open_newsroom(browser, newsroom.add("year.html", PROSE + code + PROSE), width=375)
    try:
        frame = embedded(page)
        wait_until(page, lambda: sized(page, frame, MOST), "the year's frame sized")
        assert frame_height(page) < MOST and fits(page, frame)
        assert frame.locator(f"[id='_year-{year}']").count() == 1
    finally:
        page.context.close()


def test_every_view_the_embed_box_offers_works_without_scripts(
    browser: Browser, newsroom: Newsroom
) -> None:
    codes = box_codes(newsroom.site, f"{CASE}/timeline")
    assert len(codes) > 3 * 3, "the views, each at three heights"
    assert all(code_height(code) <= MOST for code in codes.values())
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    page = context.new_page()
    try:
        for src in sorted({code_src(code) for code in codes.values()}):
            response = page.goto(src, wait_until="load")
            assert response is not None and response.status == 200, src
            assert page.locator("li.event").count() >= 1, src
            full = page.locator(".embed-more a").get_attribute("href")
            assert full is not None and page.evaluate("h => new URL(h, location).href", full) == (
                f"{newsroom.site.base}{CASE}/timeline/"
            )
        # In a newsroom's page, the frame keeps the height the chosen code gives.
        smallest = min(codes.values(), key=code_height)
        page.goto(newsroom.add("small.html", PROSE + smallest), wait_until="load")
        frame = embedded(page)
        assert frame_height(page) == code_height(smallest) and scrolls_inside(frame)
    finally:
        context.close()


def test_a_link_inside_the_frame_shows_its_target_in_the_newsroom_window(
    browser: Browser, newsroom: Newsroom
) -> None:
    # Every event: a view longer than its frame, whose last year starts out of sight.
    code = copied_code(newsroom.site, f"{CASE}/timeline", "_embed-all-640")
    url = newsroom.add("anchor.html", PROSE + code + PROSE)
    page = open_newsroom(browser, url)
    try:
        frame = embedded(page)
        wait_until(page, lambda: sized(page, frame, FALLBACK_HEIGHT), "the frame sized")
        last_year = frame.locator(".year-nav a").last
        target = last_year.get_attribute("href")
        assert target is not None and target.startswith("#_year-")
        assert not in_frame_view(page, frame, target)
        last_year.click()
        wait_until(page, lambda: in_frame_view(page, frame, target), "the year in view")
        assert page.url == url, "a link within the frame left the newsroom's page"
        assert frame.url.endswith(target)
        assert page.evaluate("scrollY") == 0, "the frame scrolled, not the newsroom's page"
        assert sized(page, frame, FALLBACK_HEIGHT)
    finally:
        page.context.close()


def test_a_deep_link_to_an_event_shows_it_in_the_newsroom_window(
    browser: Browser, newsroom: Newsroom
) -> None:
    event = events(newsroom.site)[-3]
    code = copied_code(newsroom.site, f"{CASE}/timeline/{event['id']}")
    assert f'/embed/timeline/#{event["id"]}"' in code
    page = open_newsroom(browser, newsroom.add("event.html", PROSE + code + PROSE))
    try:
        frame = embedded(page)
        selector = f"[id='{event['id']}']"
        wait_until(page, lambda: in_frame_view(page, frame, selector), "the linked event in view")
        assert frame.evaluate("scrollY") > 1000, "the event was already in view"
        wait_until(page, lambda: sized(page, frame, FALLBACK_HEIGHT), "the frame sized")
        assert page.evaluate("scrollY") == 0, "the frame scrolled, not the newsroom's page"
        # The frame's address changes to another event: the frame follows it.
        other = events(newsroom.site)[1]
        page.locator("iframe").evaluate(
            "(f, id) => { f.src = f.src.replace(/#.*/, '#' + id); }", other["id"]
        )
        other_selector = f"[id='{other['id']}']"
        wait_until(
            page, lambda: in_frame_view(page, frame, other_selector), "the other event in view"
        )
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


def test_a_deep_linked_frame_further_down_does_not_move_the_page(
    browser: Browser, newsroom: Newsroom
) -> None:
    event = events(newsroom.site)[-3]
    code = copied_code(newsroom.site, f"{CASE}/timeline/{event['id']}")
    page = open_newsroom(browser, newsroom.add("further.html", PROSE * 20 + code))
    try:
        page.evaluate("scrollTo(0, document.body.scrollHeight - 2 * innerHeight - 1000)")
        frame = embedded(page)
        before = page.evaluate("scrollY")
        wait_until(page, lambda: sized(page, frame, FALLBACK_HEIGHT), "the frame sized")
        page.wait_for_timeout(300)
        assert page.evaluate("scrollY") == before
    finally:
        page.context.close()


def test_links_to_full_pages_open_in_the_whole_window(browser: Browser, newsroom: Newsroom) -> None:
    code = copied_code(newsroom.site, f"{CASE}/timeline", "_embed-all-640")
    page = open_newsroom(browser, newsroom.add("links.html", PROSE + code))
    try:
        frame = embedded(page)
        first = events(newsroom.site)[0]
        frame.locator(f"[id='{first['id']}'] h3 a").click()
        expected = f"{newsroom.site.base}{CASE}/timeline/{first['id']}/"
        page.wait_for_url(expected)
        assert page.locator("h1").inner_text().strip() == " ".join(first["title"].split())
    finally:
        page.context.close()


def test_a_quote_frame_fits_its_quote_and_credits_the_site(
    browser: Browser, newsroom: Newsroom
) -> None:
    data = json.loads((newsroom.site.root / CASE / "data.json").read_text(encoding="utf-8"))
    quote = max(data["quotes"], key=lambda q: len(q["text"]))
    code = copied_code(newsroom.site, f"{CASE}/quotes/{quote['id']}")
    page = open_newsroom(browser, newsroom.add("quote.html", PROSE + code + PROSE), width=375)
    try:
        frame = embedded(page)
        wait_until(page, lambda: fits(page, frame), "the quote frame to fit")
        credit = frame.locator(".embed-credit a")
        assert credit.get_attribute("href", timeout=1000) is not None
        credit.click()
        page.wait_for_url(f"{newsroom.site.base}{CASE}/quotes/{quote['id']}/")
    finally:
        page.context.close()


def test_without_scripts_the_frame_keeps_its_height_and_scrolls(
    browser: Browser, newsroom: Newsroom
) -> None:
    code = copied_code(newsroom.site, f"{CASE}/timeline", "_embed-all-640")
    url = newsroom.add("no-script.html", PROSE + code)
    page = open_newsroom(browser, url, java_script_enabled=False)
    try:
        frame = embedded(page)
        assert frame_height(page) == FALLBACK_HEIGHT
        assert document_height(frame) > 2 * FALLBACK_HEIGHT
    finally:
        page.context.close()
