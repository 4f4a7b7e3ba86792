"""Pages in print: the timeline prints every event, the navigation is hidden, and a printed
page ends with the sources it cites (numbered as its citations, with their addresses) and its
own address, which the screen does not show."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import REPO, ContextFactory, Site, open_page, shown

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts"


def test_timeline_prints_every_event_and_no_navigation(
    site: Site,
    context_for: ContextFactory,
    page_types: dict[str, str],
    built_example: Path,
    case_slug: str,
) -> None:
    data = json.loads((built_example / case_slug / "data.json").read_text("utf-8"))
    expected = sorted(" ".join(e["title"].split()) for e in data["events"])
    page, traffic = open_page(context_for(1280, "light"), site, page_types["timeline"])
    try:
        page.emulate_media(media="print")
        assert page.evaluate("matchMedia('print').matches")
        items = page.locator("ol.timeline > li")
        headings = sorted(
            " ".join(h.inner_text().split()) for h in page.locator("ol.timeline > li h3").all()
        )
        assert headings == expected
        hidden = [
            " ".join(item.locator("h3").inner_text().split())
            for item in items.all()
            if not shown(item) or not shown(item.locator("h3"))
        ]
        assert hidden == [], f"events hidden in print: {hidden}"
        # On screen an entry shows its first sentence and folds the rest; paper shows it all.
        folded = [
            " ".join(item.locator("h3").inner_text().split())
            for item in items.all()
            if not shown(item.locator(".event-sources"))
            or (item.locator(".event-body").count() and not shown(item.locator(".event-body")))
        ]
        assert folded == [], f"events printed without their full text: {folded}"
        bodies = {e["id"]: " ".join(e["body"].split()) for e in data["events"]}
        printed = page.locator("main").inner_text()
        printed = " ".join(printed.split())
        assert [i for i, body in bodies.items() if body not in printed] == []
        navs = page.locator("nav")
        assert navs.count() >= 1
        visible_navs = [n.get_attribute("aria-label") for n in navs.all() if n.is_visible()]
        assert visible_navs == [], f"navigation shown in print: {visible_navs}"

        assert_prints_its_sources(page, data)

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(path=str(ARTIFACTS / "timeline.pdf"), format="A4")
        pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
        assert pages > 1, f"the timeline printed to {pages} page(s)"
        assert traffic.failed == [] and traffic.foreign() == []
    finally:
        page.close()


def test_event_page_prints_the_sources_it_cites_and_its_address(
    site: Site,
    context_for: ContextFactory,
    page_types: dict[str, str],
    built_example: Path,
    case_slug: str,
) -> None:
    data = json.loads((built_example / case_slug / "data.json").read_text("utf-8"))
    page, traffic = open_page(context_for(375, "dark"), site, page_types["event"])
    try:
        printed = page.locator(".print-sources")
        assert not shown(printed), "the printed list shows on screen"
        page.emulate_media(media="print")
        assert_prints_its_sources(page, data)
        page.pdf(path=str(ARTIFACTS / "event.pdf"), format="A4")
        assert traffic.failed == [] and traffic.foreign() == []
    finally:
        page.close()


def assert_prints_its_sources(page: Page, data: dict[str, Any]) -> None:
    """In print, `page` ends with each source it cites, under the citation's number, with its
    title, publisher and address, then the page's own address."""
    numbers = {s["id"]: n for n, s in enumerate(data["sources"], start=1)}
    by_id = {s["id"]: s for s in data["sources"]}
    cited = {
        str(href).rpartition("#")[2]
        for href in page.locator("main a.cite").evaluate_all("els => els.map(a => a.href)")
    }
    assert cited, "the page cites nothing"
    printed = page.locator(".print-sources")
    assert shown(printed), "the list of sources is not printed"
    text = " ".join(printed.inner_text().split())
    items = [" ".join(i.inner_text().split()) for i in printed.locator("li").all()]
    expected = sorted(cited, key=numbers.__getitem__)
    assert len(items) == len(expected)
    for item, source_id in zip(items, expected, strict=True):
        source = by_id[source_id]
        title = " ".join(source["title"].split())
        assert item == f"[{numbers[source_id]}] {title}. {source['publisher']}. {source['url']}"
    canonical = page.locator('link[rel="canonical"]').get_attribute("href")
    assert canonical and text.endswith(f"This page: {canonical}")
    last = page.evaluate(
        "() => [...document.body.querySelectorAll('*')].filter(e => e.getClientRects().length"
        " && e.children.length === 0).pop().closest('.print-sources') !== null"
    )
    assert last, "the printed list is not the end of the page"
