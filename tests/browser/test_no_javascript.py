"""With JavaScript off, every page type still shows its content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.conftest import PAGE_TYPES, WIDTHS, ContextFactory, Site, open_page, shown

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_shows_its_content_without_javascript(
    site: Site,
    context_for: ContextFactory,
    page_types: dict[str, str],
    built_example: Path,
    case_slug: str,
    page_type: str,
    width: int,
) -> None:
    context = context_for(width, "light", javascript=False)
    page, traffic = open_page(context, site, page_types[page_type])
    try:
        h1 = page.locator("h1")
        assert h1.count() == 1 and h1.is_visible(), traffic.document_url
        if page_type == "quote":
            assert shown(page.locator("main blockquote").first), traffic.document_url
        else:
            assert shown(h1), traffic.document_url
        if page_type == "timeline":
            data = json.loads((built_example / case_slug / "data.json").read_text("utf-8"))
            expected = [" ".join(e["title"].split()) for e in data["events"]]
            items = page.locator("ol.timeline > li")
            assert items.count() == len(expected)
            headings = [
                " ".join(h.inner_text().split()) for h in page.locator("ol.timeline > li h3").all()
            ]
            assert sorted(headings) == sorted(expected)
            hidden = [i for i, item in enumerate(items.all()) if not shown(item)]
            assert hidden == [], f"timeline entries not shown without JavaScript: {hidden}"
            # An entry's full text opens from the keyboard, without scripts: its one line is
            # a <summary>, reached by Tab from the title's link before it.
            first = items.first
            assert not shown(first.locator(".event-sources"))
            first.locator("h3 a").focus()
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.localName") == "summary"
            page.keyboard.press("Enter")
            assert shown(first.locator(".event-sources")), traffic.document_url
        assert traffic.failed == [] and traffic.foreign() == []
    finally:
        page.close()


def test_the_javascript_off_context_really_runs_no_script(context_for: ContextFactory) -> None:
    page = context_for(375, "light", javascript=False).new_page()
    try:
        page.set_content("<title>before</title><script>document.title = 'ran'</script>")
        assert page.title() == "before"
    finally:
        page.close()
