"""Every page type at 375 and 1280 px, light and dark: axe-core WCAG 2.1 A/AA, console, requests,
key content, and a screenshot of the whole page, in its scheme's colours and no wider than the
window; then axe on every page of the site at 1280 px, light."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import (
    PAGE_TYPES,
    SCHEMES,
    SCREENSHOTS,
    WIDTHS,
    ContextFactory,
    Site,
    Traffic,
    axe_violations,
    launch,
    new_context,
    open_page,
)

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

pytestmark = pytest.mark.browser

COMBINATIONS = [(t, w, s) for t in PAGE_TYPES for w in WIDTHS for s in SCHEMES]
IDS = [f"{t}-{w}-{s}" for t, w, s in COMBINATIONS]


@dataclass
class Visit:
    url: str
    document_status: int | None
    requests: list[str]
    foreign: list[str]
    failed: list[str]
    console_errors: list[str]
    violations: list[str]
    h1_count: int
    h1_visible: bool
    h1_shown: bool
    blockquote_shown: bool
    event_headings: dict[str, bool] = field(default_factory=dict)  # heading text → shown
    small_list_links: list[str] = field(default_factory=list)  # links in lists under 24 px
    # Per timeline entry: its title link's address, whether the link is shown, and whether
    # its full text (the sources line, inside the closed <details>) is shown.
    event_entries: list[tuple[str, bool, bool]] = field(default_factory=list)
    screenshot: Path | None = None
    layout: Layout | None = None
    overview: dict[str, float | bool] | None = None  # see OVERVIEW in MEASURE
    # The quote page's first sources line: its <cite>, its text, its link's address, shown.
    published_in: tuple[str, str, str, bool] | None = None


@dataclass(frozen=True)
class Layout:
    """The page's size and background as the browser computed them, before the screenshot."""

    viewport_width: int
    scroll_width: int  # the document's, wider than the viewport when something sticks out
    scroll_height: int
    widest: str  # what reaches furthest right, as `tag.class (edge)`, if past the viewport
    background: tuple[int, int, int]  # the body's background colour


# What `visit` measures in one call, before the screenshot and axe.
MEASURE = """() => {
    // [visible, shown] as Playwright's `is_visible` and `conftest.shown` tell, in one call
    // rather than two or three round trips per element.
    const look = (element) => {
        if (!element) return [false, false];
        const box = element.getBoundingClientRect();
        const visible = element.checkVisibility({visibilityProperty: true})
            && box.width > 0 && box.height > 0;
        return [visible, visible && box.width > 1 && box.height > 1];
    };
    const h1 = document.querySelectorAll("h1");
    const headings = Array.from(
        document.querySelectorAll("ol.timeline > li h3"), (h) => [h.innerText, look(h)[1]]
    );
    const entries = Array.from(document.querySelectorAll("ol.timeline > li"), (li) => {
        const link = li.querySelector("h3 a");
        return [link ? link.getAttribute("href") : "", look(link)[1],
                look(li.querySelector(".event-sources"))[1]];
    });
    const root = document.documentElement;
    let widest = "", right = window.innerWidth;
    if (root.scrollWidth > window.innerWidth) {  // find what sticks out, to say so
        for (const element of document.body.querySelectorAll("*")) {
            const edge = element.getBoundingClientRect().right;
            if (edge > right) {
                right = edge;
                widest = `${element.localName}.${element.className} (${Math.ceil(edge)} px)`;
            }
        }
    }
    const background = getComputedStyle(document.body).backgroundColor.match(/\\d+/g);
    const small_list_links = Array.from(document.querySelectorAll("main li a"))
        .filter((a) => look(a)[1] && a.getBoundingClientRect().height < 24)
        .map((a) => `${a.textContent.trim()} (${a.getBoundingClientRect().height} px)`);
    // OVERVIEW: where the first In-brief point ends, in the first screen, and whether the
    // key facts stand beside the summary (to its right, beginning beside it).
    const brief = document.querySelector(".in-brief li");
    const infobox = document.querySelector(".infobox");
    const summary = document.querySelector(".overview-summary");
    let overview = null;
    if (brief && infobox && summary) {
        const facts = infobox.getBoundingClientRect(), told = summary.getBoundingClientRect();
        overview = {
            brief_bottom: brief.getBoundingClientRect().bottom,
            viewport_height: window.innerHeight,
            beside: facts.left >= told.right && facts.top < told.bottom,
        };
    }
    // PUBLISHED: the first sources line, which on a quote page names where the words are from.
    const line = document.querySelector("main .source-line");
    const published_in = line && [
        line.querySelector("cite")?.textContent ?? "",
        line.textContent.split(/\\s+/).join(" ").trim(),
        line.querySelector("a.cite")?.getAttribute("href") ?? "",
        look(line)[1],
    ];
    return {
        small_list_links,
        overview,
        published_in,
        h1_count: h1.length,
        h1: look(h1.length === 1 ? h1[0] : null),
        blockquote_shown: look(document.querySelector("main blockquote"))[1],
        headings,
        entries,
        viewport_width: window.innerWidth,
        scroll_width: root.scrollWidth,
        scroll_height: root.scrollHeight,
        widest,
        background: background.slice(0, 3).map(Number),
    };
}"""


Visitor = Callable[[str, int, str], Visit]


@pytest.fixture(scope="session")
def expected_events(built_example: Path, case_slug: str) -> list[str]:
    """The case's event titles, from the open data the build wrote beside the pages."""
    data = json.loads((built_example / case_slug / "data.json").read_text(encoding="utf-8"))
    titles = [" ".join(e["title"].split()) for e in data["events"]]
    assert titles
    return titles


@dataclass
class Sweep:
    """axe-core over every page at 1280 px, light (and any console error or request to another
    origin on the way), run beside the other tests: a browser of its own in a thread of its
    own keeps the second core busy, as the suite is CPU-bound."""

    pages: list[str]
    thread: threading.Thread = field(init=False)
    stop: threading.Event = field(default_factory=threading.Event)
    problems: list[str] = field(default_factory=list)
    checked: int = 0
    error: BaseException | None = None

    def run(self, site: Site) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:  # Playwright objects are per thread
                browser = launch(playwright)
                try:
                    page = new_context(browser, 1280, "light").new_page()
                    now = Traffic(site.origin, "")
                    page.on("request", lambda r: now.requests.append(r.url))
                    page.on(
                        "console",
                        lambda m: (
                            now.console_errors.append(f"{m.text} at {m.location}")
                            if m.type == "error"
                            else None
                        ),
                    )
                    page.on("pageerror", lambda e: now.console_errors.append(f"uncaught: {e}"))
                    for relative in self.pages:
                        if self.stop.is_set():
                            return
                        now = Traffic(site.origin, site.url(Site.page_url_path(relative)))
                        response = page.goto(now.document_url)
                        if response is None or response.status != 200:
                            status = response.status if response else None
                            self.problems.append(f"{relative}: HTTP {status}")
                        self.problems += [f"{relative}: {v}" for v in axe_violations(page)]
                        self.problems += [f"{relative}: console: {m}" for m in now.console_errors]
                        self.problems += [f"{relative}: request to {u}" for u in now.foreign()]
                        self.checked += 1
                finally:
                    browser.close()
        except BaseException as exc:  # handed to the test, which re-raises it
            self.error = exc


def representatives(page_types: dict[str, str]) -> set[str]:
    """The files of the pages `visit` loads for each page type, which
    `test_axe_finds_no_wcag_a_or_aa_violation` checks at every width and scheme, 1280 px
    light among them (the 404 page's for an unknown address)."""
    files = {path + "index.html" for name, path in page_types.items() if name != "404"}
    return files | {"404.html"}


@pytest.fixture(scope="session")
def axe_sweep(
    site: Site, playwright_instance: Playwright, page_types: dict[str, str]
) -> Iterator[Sweep]:
    left = representatives(page_types)
    sweep = Sweep([page for page in site.html_pages() if page not in left])
    sweep.thread = threading.Thread(target=sweep.run, args=(site,), name="axe-sweep")
    sweep.thread.start()
    yield sweep
    sweep.stop.set()
    sweep.thread.join(timeout=120)


@pytest.fixture(scope="session")
def visit(
    site: Site, context_for: ContextFactory, page_types: dict[str, str], axe_sweep: Sweep
) -> Visitor:
    """Load a page type once per (width, scheme) and record everything the tests look at.
    (It asks for `axe_sweep` only to start the sweep early, beside these visits.)"""
    cache: dict[tuple[str, int, str], Visit] = {}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def get(page_type: str, width: int, scheme: str) -> Visit:
        key = (page_type, width, scheme)
        if key in cache:
            return cache[key]
        page, traffic = open_page(context_for(width, scheme), site, page_types[page_type])
        try:
            measured = page.evaluate(MEASURE)
            h1_count, (h1_visible, h1_shown) = measured.pop("h1_count"), measured.pop("h1")
            blockquote_shown = measured.pop("blockquote_shown")
            overview = measured.pop("overview")
            published_in = measured.pop("published_in")
            headings = {" ".join(text.split()): ok for text, ok in measured.pop("headings")}
            small_list_links = measured.pop("small_list_links")
            entries = [tuple(entry) for entry in measured.pop("entries")]
            layout = Layout(**{**measured, "background": tuple(measured["background"])})
            screenshot = SCREENSHOTS / f"{page_type}-{width}-{scheme}.png"
            page.screenshot(path=str(screenshot), full_page=True)
            violations = axe_violations(page)
            cache[key] = Visit(
                url=traffic.document_url,
                document_status=traffic.document_status,
                requests=list(traffic.requests),
                foreign=traffic.foreign(),
                failed=list(traffic.failed),
                # Also what was logged while the screenshot was taken and axe ran.
                console_errors=traffic.page_console_errors(),
                violations=violations,
                h1_count=h1_count,
                h1_visible=h1_visible,
                h1_shown=h1_shown,
                blockquote_shown=blockquote_shown,
                event_headings=headings,
                small_list_links=small_list_links,
                event_entries=entries,
                screenshot=screenshot,
                layout=layout,
                overview=overview,
                published_in=tuple(published_in) if published_in else None,
            )
        finally:
            page.close()
        return cache[key]

    return get


@pytest.mark.parametrize(("page_type", "width", "scheme"), COMBINATIONS, ids=IDS)
def test_axe_finds_no_wcag_a_or_aa_violation(
    visit: Visitor, page_type: str, width: int, scheme: str
) -> None:
    result = visit(page_type, width, scheme)
    assert result.violations == [], f"{result.url}:\n" + "\n".join(result.violations)


@pytest.mark.parametrize(("page_type", "width", "scheme"), COMBINATIONS, ids=IDS)
def test_no_console_error(visit: Visitor, page_type: str, width: int, scheme: str) -> None:
    result = visit(page_type, width, scheme)
    assert result.console_errors == [], result.url


@pytest.mark.parametrize(("page_type", "width", "scheme"), COMBINATIONS, ids=IDS)
def test_every_request_is_to_the_test_server_and_succeeds(
    visit: Visitor, page_type: str, width: int, scheme: str
) -> None:
    result = visit(page_type, width, scheme)
    assert result.document_status == (404 if page_type == "404" else 200), result.url
    assert result.foreign == [], result.url
    assert result.failed == [], result.url
    # The page and its stylesheet at least: the checks above watched real traffic.
    assert result.requests[0] == result.url
    assert any(u.endswith(".css") for u in result.requests), result.requests


@pytest.mark.parametrize(("page_type", "width", "scheme"), COMBINATIONS, ids=IDS)
def test_key_content_is_visible(
    visit: Visitor, expected_events: list[str], page_type: str, width: int, scheme: str
) -> None:
    result = visit(page_type, width, scheme)
    assert result.h1_count == 1, f"{result.url} has {result.h1_count} h1 elements"
    assert result.h1_visible, f"{result.url}: the h1 is not visible"
    if page_type == "quote":
        # The quote page's h1 is for screen readers (visually hidden by design); what a
        # sighted reader sees first is the quote itself.
        assert result.blockquote_shown, f"{result.url}: the blockquote is not visible"
    else:
        assert result.h1_shown, f"{result.url}: the h1 is clipped to nothing"
    if page_type == "timeline":
        missing = [t for t in expected_events if t not in result.event_headings]
        hidden = [t for t, ok in result.event_headings.items() if not ok]
        assert missing == [], f"event headings missing from the timeline: {missing}"
        assert hidden == [], f"event headings not visible on the timeline: {hidden}"
        assert len(result.event_headings) == len(set(expected_events))


TAP_CHECKED = ("sources", "parties-index", "party", "poll")
"""The page types whose links in lists are checked for fingers (at least 24 px tall)."""


@pytest.mark.parametrize(
    ("page_type", "width", "scheme"), [c for c in COMBINATIONS if c[0] in TAP_CHECKED]
)
def test_links_in_lists_are_at_least_24_px_tall(
    visit: Visitor, page_type: str, width: int, scheme: str
) -> None:
    result = visit(page_type, width, scheme)
    assert result.small_list_links == [], result.url


TIMELINE_HEIGHT_PER_EVENT = 3000 / 36
"""What the real case's timeline may take at 375 px per event, in its default view: the
budget of 3,000 px set when it had 36 events, so that the page grows no faster than its
events do."""


@pytest.mark.parametrize("width", WIDTHS)
def test_timeline_shows_headlines_each_one_tap_from_its_event(
    visit: Visitor, expected_events: list[str], case_slug: str, width: int
) -> None:
    """The default view is a headline per event: every event's page one tap away, its full
    text folded; on a phone the whole timeline stays within a few screens."""
    result = visit("timeline", width, "light")
    assert result.layout is not None
    entries = result.event_entries
    assert len(entries) == len(expected_events)
    links = [href for href, _, _ in entries]
    assert all(f"{case_slug}/timeline/" in href and href.endswith("/") for href in links), links
    assert len(set(links)) == len(links)
    assert [h for h, shown, _ in entries if not shown] == [], "event links not shown"
    assert [h for h, _, full in entries if full] == [], "events shown in full by default"
    if width == 375:
        height = result.layout.scroll_height
        limit = TIMELINE_HEIGHT_PER_EVENT * len(entries)
        assert height <= limit, f"the timeline of {len(entries)} events is {height} px at 375 px"


@pytest.mark.parametrize("width", WIDTHS)
def test_overview_shows_the_first_in_brief_point_in_the_first_screen(
    visit: Visitor, width: int
) -> None:
    """At 375×667 as at 1280×800, the first point of In brief ends inside the first screen;
    the key facts stand beside the summary on a wide screen and below it on a phone."""
    result = visit("case-overview", width, "light")
    assert result.overview is not None, f"{result.url} has no In brief, summary or key facts"
    assert result.overview["viewport_height"] == WIDTHS[width]
    assert result.overview["brief_bottom"] <= WIDTHS[width], result.overview
    assert result.overview["beside"] == (width >= 900), result.overview


def _luminance(colour: tuple[int, int, int]) -> float:
    """WCAG's relative luminance of an sRGB colour: 0 for black, 1 for white."""
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(("page_type", "width", "scheme"), COMBINATIONS, ids=IDS)
def test_page_fits_its_width_and_its_screenshot_shows_it_whole_in_its_scheme(
    visit: Visitor, page_type: str, width: int, scheme: str
) -> None:
    from PIL import Image

    result = visit(page_type, width, scheme)
    layout = result.layout
    assert result.screenshot is not None and layout is not None
    assert layout.viewport_width == width
    # Nothing sticks out sideways, which would make a reader scroll across at this width.
    assert layout.scroll_width <= width, f"{result.url} is {layout.scroll_width} px wide: " + (
        layout.widest
    )
    with Image.open(result.screenshot) as image:
        # The whole page, and no more: as wide as the window, as tall as the document.
        assert image.size == (width, layout.scroll_height), result.url
        small = image.convert("RGB").reduce(4)
        colours = small.getcolors(small.width * small.height)
    assert colours is not None
    counts = {colour: count for count, colour in colours}
    most = max(counts, key=counts.__getitem__)
    # Light or dark as the scheme asks, in the page's styles and in what the reader sees…
    dark = scheme == "dark"
    assert (_luminance(layout.background) < 0.5) == dark, f"{result.url}: {layout.background}"
    assert (_luminance(most) < 0.5) == dark, f"{result.url}: mostly {most} in {scheme}"
    # …and the page's own background shows (the screenshot is of this page, painted).
    share = counts.get(layout.background, 0) / (small.width * small.height)
    assert share > 0.05, f"{result.url}: its background {layout.background} covers {share:.0%}"


def test_axe_finds_no_violation_on_any_page(
    site: Site, axe_sweep: Sweep, page_types: dict[str, str]
) -> None:
    """Every other HTML page of the site at 1280 px, light: no axe violation, console error or
    request to another origin (swept in a thread of its own, beside the other tests). The
    page types' representatives are left to the tests above, which check the same and more."""
    axe_sweep.thread.join(timeout=600)
    assert not axe_sweep.thread.is_alive(), "the axe sweep did not finish in 10 minutes"
    if axe_sweep.error is not None:
        raise axe_sweep.error
    assert len(axe_sweep.pages) > 50, axe_sweep.pages
    pages, left = set(site.html_pages()), representatives(page_types)
    assert left <= pages, left - pages
    assert len(axe_sweep.pages) + len(left) == len(pages)
    assert axe_sweep.checked == len(axe_sweep.pages)
    problems = axe_sweep.problems
    assert problems == [], f"{len(problems)} problems on {axe_sweep.checked} pages:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("page_type", ["quote", "quotes-index", "quotes-speaker"])
def test_quote_pages_load_the_serif_of_the_share_card_from_their_own_origin(
    visit: Visitor, page_type: str
) -> None:
    """The words of a quote are set in the face its share card draws them in, a woff2 of the
    site's own (the policy's `font-src 'self'`); the other checks of these visits find no
    failed or foreign request."""
    result = visit(page_type, 375, "light")
    fonts = [url for url in result.requests if url.endswith(".woff2")]
    assert [url.rsplit("/", 2)[-2:] for url in fonts] == [["fonts", "dejavu-serif-latin.woff2"]]
    assert result.foreign == [] and result.failed == [] and result.console_errors == []


def test_quote_page_says_which_source_published_the_words(
    visit: Visitor, built_example: Path, case_slug: str, page_types: dict[str, str]
) -> None:
    """The line under the quote names the source its `verbatim_in` names, by title, publisher
    and number, linking to it on the sources page."""
    data = json.loads((built_example / case_slug / "data.json").read_text(encoding="utf-8"))
    quote = next(q for q in data["quotes"] if page_types["quote"].endswith(f"/{q['id']}/"))
    number, source = next(
        (n, s) for n, s in enumerate(data["sources"], 1) if s["id"] == quote["verbatim_in"]
    )
    result = visit("quote", 375, "light")
    assert result.published_in is not None, result.url
    cite, text, href, shown = result.published_in
    assert cite == source["title"]
    assert text == (
        f"Words as published in {source['title']}, {source['publisher']} Source [{number}]"
    )
    assert href.endswith(f"{case_slug}/sources/#{source['id']}")
    assert shown, result.url


def test_sources_are_numbered_as_they_are_cited_on_screen_and_to_a_screen_reader(
    site: Site,
    context_for: ContextFactory,
    page_types: dict[str, str],
    built_example: Path,
    case_slug: str,
) -> None:
    """A source's number on the sources page is the one its citations show, as drawn and as a
    screen reader reads the list's markers. The list skips numbers (sources are numbered
    across kinds), which a counter would not follow in every render."""
    data = json.loads((built_example / case_slug / "data.json").read_text(encoding="utf-8"))
    numbers = {source["id"]: n for n, source in enumerate(data["sources"], 1)}
    page, traffic = open_page(context_for(375, "light"), site, page_types["sources"])
    try:
        listed = page.eval_on_selector_all(
            "ol.sources > li > h3[id]", "headings => headings.map((h) => h.id)"
        )
        tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
        markers = [
            node.get("name", {}).get("value", "")
            for node in tree["nodes"]
            if node.get("role", {}).get("value") == "ListMarker"
        ]
        assert sorted(listed) == sorted(numbers)
        assert [m for m in markers if m.startswith("[")] == [f"[{numbers[i]}] " for i in listed]
        assert traffic.failed == [] and traffic.foreign() == []
    finally:
        page.close()
