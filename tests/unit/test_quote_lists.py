"""The lists of a case's quotes: all of them, one speaker's, one year's; filter links to each,
paged like the list of all quotes, with each speaker's role said once on a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.load.content import load_content
from generator.plan.pages import QUOTES_PAGE, Page
from generator.plan.paging import PER_PAGE
from generator.plan.site import plan_site
from generator.validate.content import validate_content
from tests.conftest import minimal_site, write_tree

PARTIES = """\
- id: ada
  name: Ada Adler
  kind: person
  role: Counsel
- id: bo
  name: Bo Berg
  kind: person
  role: Judge
"""


def _quote(index: int, speaker: str, date: str, role: str | None = None, key: bool = False) -> str:
    lines = [
        f"- id: q{index}",
        f"  text: Words number {index}.",
        f"  speaker: {speaker}",
        f"  said_on: {date}",
        "  venue: Court",
        "  sources: [report]",
        "  verbatim_in: report",
    ]
    if role is not None:
        lines.append(f"  speaker_role: {role}")
    if key:
        lines.append("  key: true")
    return "\n".join(lines) + "\n"


def _quotes_pages(tmp_path: Path, quotes: str) -> dict[str, Page]:
    files = minimal_site(**{"quotes.yaml": quotes, "parties.yaml": PARTIES})
    content = validate_content(load_content(write_tree(tmp_path / "content", files)))
    pages = plan_site(content).pages
    return {p.path: p for p in pages if p.template == QUOTES_PAGE.template}


def _cards(page: Page) -> list[tuple[str, bool]]:
    context: Any = QUOTES_PAGE.context_of(page)
    return [(item.quote.id, item.with_role) for item in context["key_quotes"] + context["quotes"]]


SMALL = (
    _quote(1, "ada", "2014-01-02", key=True)
    + _quote(2, "ada", "2014-03-04")
    + _quote(3, "bo", "2014-05-06")
    + _quote(4, "ada", "2015-01-02", role="Counsel, on appeal")
    + _quote(5, "ada", "2015-02-03")
)


def test_each_speaker_and_year_has_a_list_and_a_filter_link(tmp_path: Path) -> None:
    pages = _quotes_pages(tmp_path, SMALL)
    assert sorted(pages) == [
        "demo/quotes/index.html",
        "demo/quotes/speaker/ada/index.html",
        "demo/quotes/speaker/bo/index.html",
        "demo/quotes/year/2014/index.html",
        "demo/quotes/year/2015/index.html",
    ]
    filters = QUOTES_PAGE.context_of(pages["demo/quotes/index.html"])["filters"]
    assert [(f.label, f.url, f.count) for f in filters.speakers] == [
        ("Ada Adler", "demo/quotes/speaker/ada/", 4),
        ("Bo Berg", "demo/quotes/speaker/bo/", 1),
    ]
    assert [(f.label, f.count) for f in filters.years] == [("2014", 3), ("2015", 2)]
    for path, page in pages.items():
        if path == "demo/quotes/index.html":
            continue
        # Other pages link to the first page's list of speakers instead of repeating it.
        shown = QUOTES_PAGE.context_of(page)["filters"]
        assert shown.speakers == () and shown.speaker_count == 2, path
        assert shown.speakers_url == "demo/quotes/#_speakers", path
        assert shown.years is filters.years, "one set of year links, shared"
    year = QUOTES_PAGE.context_of(pages["demo/quotes/year/2015/index.html"])
    assert [item.quote.id for item in year["quotes"]] == ["q4", "q5"]
    assert year["active"] is not None and year["active_url"] == "demo/quotes/year/2015/"
    assert year["page_title"] == "Quotes from 2015 — A test case"


def test_the_key_quotes_stay_first_on_the_list_of_all_quotes(tmp_path: Path) -> None:
    pages = _quotes_pages(tmp_path, SMALL)
    index = QUOTES_PAGE.context_of(pages["demo/quotes/index.html"])
    assert [item.quote.id for item in index["key_quotes"]] == ["q1"]
    assert [item.quote.id for item in index["quotes"]] == ["q2", "q3", "q4", "q5"]
    assert index["active"] is None and index["active_url"] == ""
    speaker = QUOTES_PAGE.context_of(pages["demo/quotes/speaker/ada/index.html"])
    assert speaker["key_quotes"] == []
    assert [item.quote.id for item in speaker["quotes"]] == ["q1", "q2", "q4", "q5"]


def test_a_speaker_s_role_is_said_once_on_a_page_and_again_only_where_it_changes(
    tmp_path: Path,
) -> None:
    pages = _quotes_pages(tmp_path, SMALL)
    # All quotes: each speaker's role with their first card, then only where it changes.
    assert _cards(pages["demo/quotes/index.html"]) == [
        ("q1", True),
        ("q2", False),
        ("q3", True),
        ("q4", True),
        ("q5", True),
    ]
    assert _cards(pages["demo/quotes/year/2015/index.html"]) == [("q4", True), ("q5", True)]
    # A speaker's list says their usual role in its lede; cards only a different one.
    ada = QUOTES_PAGE.context_of(pages["demo/quotes/speaker/ada/index.html"])
    assert ada["active"] is not None and ada["active"].role == "Counsel"
    assert ada["active"].speaker is not None and ada["active"].speaker.label == "Ada Adler"
    assert _cards(pages["demo/quotes/speaker/ada/index.html"]) == [
        ("q1", False),
        ("q2", False),
        ("q4", True),
        ("q5", True),
    ]


@pytest.mark.parametrize(
    ("roles", "usual"),
    [
        (["On the bench", "On the bench", "Writing"], "On the bench"),
        (["Writing", "Concurring"], "Judge"),  # no role on most: the party's own
        (["Writing", None], "Judge"),
    ],
)
def test_a_speaker_s_lede_gives_the_role_of_most_of_their_quotes_else_their_own(
    tmp_path: Path, roles: list[str | None], usual: str
) -> None:
    quotes = "".join(_quote(i, "bo", f"201{i}-01-01", role) for i, role in enumerate(roles))
    pages = _quotes_pages(tmp_path, quotes)
    active = QUOTES_PAGE.context_of(pages["demo/quotes/speaker/bo/index.html"])["active"]
    assert active is not None and active.role == usual


@pytest.mark.parametrize("count", [PER_PAGE, PER_PAGE * 2 + 1])
def test_long_lists_of_a_speaker_or_a_year_are_paged_like_the_list_of_all(
    tmp_path: Path, count: int
) -> None:
    quotes = "".join(
        _quote(i, "ada" if i % 3 else "bo", f"{2010 + i % 2}-{1 + i % 12:02}-{1 + i % 28:02}")
        for i in range(count)
    )
    pages = _quotes_pages(tmp_path, quotes)
    by_list: dict[str, list[str]] = {}
    for path, page in pages.items():
        if "/page/" not in path:
            context = QUOTES_PAGE.context_of(page)
            by_list[path] = [link.url for link in context["nav"].links] or [context["url"]]
    for path, links in by_list.items():
        context = QUOTES_PAGE.context_of(pages[path])
        active = context["active"]
        total = len(pages[path].context["case"].quotes) if active is None else active.filter.count
        assert len(links) == -(-total // PER_PAGE), path
        shown = []
        for url in links:
            page_context = QUOTES_PAGE.context_of(pages[url + "index.html"])
            items = page_context["key_quotes"] + page_context["quotes"]
            assert len(items) <= PER_PAGE or url == context["url"], url
            shown += [item.quote for item in items]
        assert len(shown) == total, path
        assert len({q.id for q in shown}) == total, path
        if active is not None:
            dates = [q.said_on.sort_key for q in shown]
            assert dates == sorted(dates), path


def _main(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index("<main") : html.index("</main>")]


def test_the_real_case_s_quote_lists_link_each_other_and_say_a_role_once(
    built_example: Path,
) -> None:
    quotes = built_example / "microsoft-ireland" / "quotes"
    index = _main(quotes / "index.html")
    speakers = sorted(p.parent.name for p in quotes.glob("speaker/*/index.html"))
    years = sorted(p.parent.name for p in quotes.glob("year/*/index.html"))
    assert "brendon-lynch" in speakers and "2014" in years
    for folder in [f"speaker/{s}" for s in speakers] + [f"year/{y}" for y in years]:
        assert f'href="../../microsoft-ireland/quotes/{folder}/"' in index, folder
        page = _main(quotes / folder / "index.html")
        if folder.startswith("year/"):
            here = f'href="../../../../microsoft-ireland/quotes/{folder}/" aria-current="page"'
            assert here in page, folder
        assert 'href="../../../../microsoft-ireland/quotes/#_speakers">' in page, folder
        assert 'href="../../../../microsoft-ireland/quotes/">All years<' in page, folder
    assert 'id="_speakers"' in index
    # Brendon Lynch's three quotes share one role: each list says it once.
    role = "Chief Privacy Officer, Microsoft"
    for page in ("index.html", "speaker/brendon-lynch/index.html", "year/2014/index.html"):
        assert _main(quotes / page).count(role) == 1, page
