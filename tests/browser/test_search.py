"""The search page in a real browser: Pagefind over the built real case, served under its base
path as a static host would.

A reader searches for a judge's name and finds the ruling, with labels and values apart in
its excerpt, the judge's quotes titled by their words, and as many results as the count
says; narrowing to rulings leaves only rulings; a search in the address (`?q=`) runs on
arrival; without scripts the page lists every item by kind, and opened from disk it says
that searching needs a server; nothing loads from anywhere else, and no other page loads the
search. What is expected is read from the case's open data (`data.json`), not written here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import (
    SCREENSHOTS,
    ContextFactory,
    Site,
    Traffic,
    axe_violations,
    open_page,
    served,
)
from tests.conftest import REAL_CONTENT

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SEARCH = "search/"


def _data(site: Site, case_slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site.root / case_slug / "data.json").read_bytes())
    return data


SUFFIXES = re.compile(r"^(I{1,3}|IV|V|Jr\.?|Sr\.?)$")


def _judged(data: dict[str, Any]) -> tuple[str, list[str]]:
    """The judge who decided the most rulings: their surname, and the ids of those rulings."""
    parties = {party["id"]: party["name"] for party in data["parties"]}
    judges = [judge for ruling in data["rulings"] for judge in ruling["judges"]]
    judge = max(sorted(set(judges)), key=judges.count)
    surname = [word for word in parties[judge].split() if not SUFFIXES.match(word)][-1]
    decided = [ruling["id"] for ruling in data["rulings"] if judge in ruling["judges"]]
    return surname, decided


def _results(page: Page) -> list[tuple[str, str]]:
    """(address, kind label) of each result shown."""
    from playwright.sync_api import expect

    expect(page.locator("#_search-status")).to_contain_text("found")
    items = page.locator("#_search-results > li")
    return [
        (
            item.locator("a").first.evaluate("a => a.href"),
            item.locator(".meta").first.text_content() or "",
        )
        for item in items.all()
    ]


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real case with its index made in parts of at most 30 pages on average, as a site
    of 10,000 quotes has parts of 1,000: several parts the search page merges."""
    from generator.build.site import build_site
    from generator.plan import search_parts

    output = tmp_path_factory.mktemp("parted") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_parts, "PART_PAGES", 30)
        build_site(REAL_CONTENT, output, workers=1)
    assert len(list((output / "pagefind").glob("part-*"))) >= 3
    with served(output) as serving:
        yield serving


def _search(
    site: Site, context_for: ContextFactory, words: str, language: str = ""
) -> tuple[list[str], Traffic]:
    """The addresses a search for `words` on the search page of `language` (its folder, ""
    for the default) lists, every page of results loaded."""
    page, traffic = open_page(context_for(1280), site, f"{language}{SEARCH}?q={words}")
    try:
        from playwright.sync_api import expect

        expect(page.locator("#_search-status")).to_have_text(re.compile(r"^\d"))
        status = page.locator("#_search-status").text_content() or ""
        counted = re.match(r"([\d.,]+) ", status)
        assert counted is not None, status
        total = int(re.sub(r"\D", "", counted.group(1)))
        shown = page.locator("#_search-results > li")
        while shown.count() < total:
            before = shown.count()
            page.click("#_search-more")
            page.wait_for_function(
                "n => document.querySelectorAll('#_search-results > li').length > n", arg=before
            )
        links = page.locator("#_search-results > li > a")
        return sorted(link.evaluate("a => a.href") for link in links.all()), traffic
    finally:
        page.close()


@pytest.mark.parametrize(
    ("language", "words"),
    [("", "Microsoft"), ("", "warrant Ireland"), ("", "Preska"), ("de/", "Durchsuchungsbeschluss")],
)
def test_an_index_in_parts_finds_what_one_index_finds(
    site: Site, parted_site: Site, context_for: ContextFactory, language: str, words: str
) -> None:
    """In each language, the parts merged give the pages one index gives, and only pages of
    that language."""
    whole, _ = _search(site, context_for, words, language)
    parted, traffic = _search(parted_site, context_for, words, language)

    assert parted, f"nothing found for {words!r}"
    assert [address.removeprefix(site.base) for address in whole] == [
        address.removeprefix(parted_site.base) for address in parted
    ]
    languages = {address.removeprefix(parted_site.base).startswith("de/") for address in parted}
    assert languages == {language == "de/"}
    parts_loaded = {request for request in traffic.requests if "/pagefind/part-" in request}
    assert len({request.split("/pagefind/")[1].split("/")[0] for request in parts_loaded}) >= 3
    assert not any(request.endswith(("pagefind.js", ".pagefind")) for request in parts_loaded)
    assert traffic.foreign() == []
    assert traffic.failed == []
    assert traffic.page_console_errors() == []


def test_searching_a_judge_s_name_finds_the_ruling(
    site: Site, case_slug: str, context_for: ContextFactory
) -> None:
    surname, decided = _judged(_data(site, case_slug))
    page, traffic = open_page(context_for(1280), site, SEARCH)
    try:
        page.fill("#_search-term", surname)
        page.press("#_search-term", "Enter")
        found = _results(page)
        page.screenshot(path=str(SCREENSHOTS / "search-judge-1280.png"), full_page=False)

        addresses = [address for address, _ in found]
        for ruling in decided:
            assert site.url(f"{case_slug}/rulings/{ruling}/") in addresses, (ruling, found)
        assert page.locator("#_search-more-row").is_hidden(), "more results than one page"
        status = page.locator("#_search-status").text_content() or ""
        assert status.startswith(f"{len(found)} pages found"), (status, found)
        for part in page.locator("#_search-results .search-parts a").all():
            assert part.evaluate("a => a.href").startswith(site.url(f"{case_slug}/sources/#"))
        for ruling in decided:
            result = page.locator(
                "#_search-results > li", has=page.locator(f"a[href$='/rulings/{ruling}/']")
            )
            excerpt = result.locator(".search-excerpt").text_content() or ""
            assert re.search(rf"\bJudges?: [^:]*\b{surname}\b", excerpt), excerpt
        _assert_quotes_titled_by_their_words(page, _data(site, case_slug), surname)
        assert page.locator("#_search-results mark").count() > 0
        assert surname.lower() in (page.locator("#_search-results").text_content() or "").lower()
        assert page.url.endswith(f"?q={surname}")
        assert traffic.foreign() == []
        assert traffic.failed == []
        assert traffic.page_console_errors() == []
        assert any("/pagefind/" in request for request in traffic.requests)
        assert axe_violations(page) == []
    finally:
        page.close()


def _assert_quotes_titled_by_their_words(page: Page, data: dict[str, Any], surname: str) -> None:
    """Each result for a quote by the person called `surname` is titled by who said it and
    the start of the words, not by "Quote by …"."""
    parties = {party["id"]: party["name"] for party in data["parties"]}
    quotes = [q for q in data["quotes"] if parties[q["speaker"]].endswith(f" {surname}")]
    assert quotes, f"no quote by {surname} to search"
    for quote in quotes:
        link = page.locator(f"#_search-results > li > a[href$='/quotes/{quote['id']}/']")
        title = link.text_content() or ""
        speaker = parties[quote["speaker"]]
        assert title.startswith(f"{speaker}: “") and title.endswith("”"), title
        words = title[len(speaker) + 3 : -1].removesuffix("…").split()
        assert words and words == quote["text"].split()[: len(words)], (title, quote["text"])


def test_narrowing_to_rulings_shows_rulings_only(
    site: Site, case_slug: str, context_for: ContextFactory
) -> None:
    surname, decided = _judged(_data(site, case_slug))
    page, _ = open_page(context_for(1280), site, f"{SEARCH}?q={surname}&kind=Ruling")
    try:
        assert page.input_value("#_search-term") == surname
        assert page.input_value("#_search-kind") == "Ruling"
        found = _results(page)

        addresses = {address for address, _ in found}
        assert {site.url(f"{case_slug}/rulings/{ruling}/") for ruling in decided} <= addresses
        assert all(address.startswith(site.url(f"{case_slug}/rulings/")) for address in addresses)
        assert {label.split("·")[0].strip() for _, label in found} == {"Ruling"}
    finally:
        page.close()


def test_a_search_for_nothing_there_says_so(site: Site, context_for: ContextFactory) -> None:
    page, _ = open_page(context_for(375), site, f"{SEARCH}?q=zzyzxqvw")
    try:
        from playwright.sync_api import expect

        expect(page.locator("#_search-status")).to_have_text(re.compile("^Nothing found"))
        assert page.locator("#_search-results > li").count() == 0
    finally:
        page.close()


@pytest.mark.parametrize("words", ["kindperson", "sidecourt"])
def test_a_label_and_its_value_run_together_find_nothing(
    site: Site, context_for: ContextFactory, words: str
) -> None:
    """A label and its value ("Kind" and "Person", "Side" and "Court") are two words in the
    index, not one. In quotes, which Pagefind takes as the exact words: a word it does not
    hold it would otherwise answer with the longest one it holds that the word starts with
    ("kind" for "kindperson")."""
    from playwright.sync_api import expect

    page, _ = open_page(context_for(375), site, f"{SEARCH}?q=%22{words}%22")
    try:
        expect(page.locator("#_search-status")).to_have_text(re.compile("^Nothing found"))
        assert page.locator("#_search-results > li").count() == 0
    finally:
        page.close()


def test_a_fact_s_label_is_indexed_apart_from_its_value_and_read_once(
    site: Site, page_types: dict[str, str], context_for: ContextFactory
) -> None:
    """The index reads "Judge: Loretta A. Preska" from a ruling's facts; a screen reader,
    told by the list itself which is the term and which its definition, hears no colon."""
    page, _ = open_page(context_for(1280), site, page_types["ruling"])
    try:
        terms = page.locator(".facts dt")
        assert terms.count() > 1
        for term in terms.all():
            assert (term.text_content() or "").endswith(": "), term.text_content()
        tree = page.locator(".facts").aria_snapshot()
        read = re.findall(r"^- term: (.*)$", tree, re.MULTILINE)
        assert len(read) == terms.count(), tree
        assert [name for name in read if ":" in name] == [], tree
    finally:
        page.close()


def test_without_scripts_the_page_lists_everything_by_kind(
    site: Site, case_slug: str, context_for: ContextFactory
) -> None:
    data = _data(site, case_slug)
    page, traffic = open_page(context_for(1280, javascript=False), site, SEARCH)
    try:
        for kind, collection in [
            ("quote", "quotes"),
            ("event", "events"),
            ("party", "parties"),
            ("ruling", "rulings"),
            ("source", "sources"),
        ]:
            links = page.locator(f"[aria-labelledby$='-{kind}'] a")
            assert links.count() == len(data[collection]), kind
        ruling = data["rulings"][0]
        link = page.locator(f"a[href$='{case_slug}/rulings/{ruling['id']}/']").first
        assert link.text_content() == ruling["title"]
        assert page.locator("noscript").count() == 1
        assert not any("/pagefind/" in request for request in traffic.requests)
    finally:
        page.close()


def test_no_other_page_loads_the_search(
    site: Site, page_types: dict[str, str], context_for: ContextFactory
) -> None:
    for name in ("index", "quote", "ruling", "sources"):
        page, traffic = open_page(context_for(1280), site, page_types[name])
        try:
            loaded = [r for r in traffic.requests if "/pagefind/" in r or "search.js" in r]
            assert loaded == [], name
            assert page.locator(f"a[href$='{SEARCH}']").count() >= 1, name
        finally:
            page.close()


def test_opened_from_disk_the_page_says_searching_needs_a_server(
    built_on_disk: Path, context_for: ContextFactory
) -> None:
    """A page opened from disk loads no modules and cannot fetch Pagefind's index: instead of
    a form that does nothing, it says why, and the lists stay."""
    from playwright.sync_api import expect

    page = context_for(1280).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((built_on_disk / SEARCH / "index.html").as_uri() + "?q=court")
        status = page.locator("#_search-status")
        expect(status).to_have_text(re.compile(r"^Searching needs the site served over http"))
        assert page.locator("#_search-form").is_hidden()
        assert page.locator("#_search-results").is_hidden()
        assert page.locator(".search-list a").count() > 0
        assert page.locator(".search-list a").first.is_visible()
        assert errors == []
        assert axe_violations(page) == []
    finally:
        page.close()
