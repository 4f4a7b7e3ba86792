"""The timeline in print: every event printed, the navigation hidden, more than one PDF page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser.conftest import REPO, ContextFactory, Site, open_page, shown

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

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = page.pdf(path=str(ARTIFACTS / "timeline.pdf"), format="A4")
        pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
        assert pages > 1, f"the timeline printed to {pages} page(s)"
        assert traffic.failed == [] and traffic.foreign() == []
    finally:
        page.close()
