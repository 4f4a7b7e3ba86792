"""Long lists over several pages: cutting, navigation, and a large case's timeline and quotes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.synthetic import CASE_SLUG, generate
from generator.build.site import build_site
from generator.dates import PartialDate
from generator.load.content import load_content
from generator.plan.paging import PER_PAGE, page_url, paginate
from generator.plan.site import plan_site
from generator.validate.content import validate_content


def _day(number: int) -> PartialDate:
    return PartialDate(2000 + number // 365, number % 12 + 1, number % 28 + 1)


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, 25, 30, 31])
def test_pages_hold_every_item_once_in_order_at_most_per_page(count: int) -> None:
    items = list(range(count))
    pages = paginate(items, "c/quotes/", _day, per_page=10)
    assert [item for page in pages for item in page.items] == items
    assert all(len(page.items) <= 10 for page in pages)
    assert len(pages) == max(1, -(-count // 10))
    assert [page.url for page in pages] == [
        page_url("c/quotes/", n) for n in range(1, len(pages) + 1)
    ]
    assert pages[0].url == "c/quotes/"


def test_one_page_has_no_navigation_and_several_link_each_other() -> None:
    assert paginate(list(range(10)), "t/", _day, per_page=10)[0].nav.links == ()
    pages = paginate(list(range(25)), "t/", _day, per_page=10)
    assert [page.url for page in pages] == ["t/", "t/page/2/", "t/page/3/"]
    middle = pages[1].nav
    assert (middle.number, middle.count) == (2, 3)
    assert middle.previous is not None and middle.previous.url == "t/"
    assert middle.next is not None and middle.next.url == "t/page/3/"
    assert [link.current for link in middle.links] == [False, True, False]
    assert pages[0].nav.previous is None and pages[2].nav.next is None
    assert middle.dates == f"{_day(10).display} – {_day(19).display}"
    assert middle.links[1].dates == middle.dates


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic case with more quotes and events than fit one page, built."""
    root = tmp_path_factory.mktemp("large")
    generate(2 * PER_PAGE + 50, root / "content")
    build_site(root / "content", root / "output", workers=1)
    return root


def test_a_large_case_lists_every_quote_once_over_pages_linked_in_order(large_site: Path) -> None:
    content = validate_content(load_content(large_site / "content"))
    view = plan_site(content).cases[0]
    shown: list[str] = []
    url: str | None = f"{CASE_SLUG}/quotes/"
    while url is not None:
        html = (large_site / "output" / url / "index.html").read_text(encoding="utf-8")
        shown += re.findall(r'class="more" href="(?:\.\./)*[^"]*/quotes/([^/"]+)/"', html)
        later = re.search(r'<a href="((?:\.\./)*)([^"]*)" rel="next">Later', html)
        url = later.group(2) if later else None
    assert sorted(shown) == sorted(q.id for q in view.quotes)
    others = len(view.quotes) - len(view.key_quotes)
    assert len(view.quote_pages) == -(-others // PER_PAGE) > 1


def test_each_event_links_back_to_the_timeline_page_that_anchors_it(large_site: Path) -> None:
    content = validate_content(load_content(large_site / "content"))
    view = plan_site(content).cases[0]
    assert len(view.timeline.pages) > 1
    for event in view.events:
        page, anchor = event.timeline_url.split("#")
        html = (large_site / "output" / page / "index.html").read_text(encoding="utf-8")
        assert f'id="{anchor}"' in html, event.id
        back = (large_site / "output" / event.url / "index.html").read_text(encoding="utf-8")
        assert f"{page}#{anchor}" in back


def test_year_links_lead_to_the_page_where_the_year_starts(large_site: Path) -> None:
    view = plan_site(validate_content(load_content(large_site / "content"))).cases[0]
    pages = view.timeline.pages
    # Where each year starts, from the events' own dates: the first page holding one.
    years = sorted({event.date.year for event in view.events})
    starts = {
        year: next(p.url for p in pages if any(g.year == year for g in p.years)) for year in years
    }
    assert len(pages) > 1 and len(years) > 1
    assert len(set(starts.values())) > 1, "the years start on more than one page"
    for page in pages:
        assert [link.year for link in page.year_links] == years, page.url
        for link in page.year_links:
            assert link.url == f"{starts[link.year]}#_year-{link.year}"
            assert link.here == (starts[link.year] == page.url)


def test_further_pages_are_in_the_sitemap(large_site: Path) -> None:
    sitemap = (large_site / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"{CASE_SLUG}/quotes/page/2/</loc>" in sitemap
    assert f"{CASE_SLUG}/timeline/page/2/</loc>" in sitemap
