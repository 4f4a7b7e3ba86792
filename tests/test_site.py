"""The built Microsoft Ireland site: every page of the design, links, feeds and data."""

from __future__ import annotations

import functools
import gzip
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.load.content import load_content
from generator.strings import ui_strings, words_language
from generator.validate.content import CaseContent, validate_content
from tests.conftest import REAL_CONTENT

CASE = "microsoft-ireland"


@pytest.fixture(scope="module")
def case() -> CaseContent:
    content = validate_content(load_content(REAL_CONTENT))
    return next(c for c in content.cases if c.slug == CASE)


def test_every_page_of_the_design_is_built(built_example: Path, case: CaseContent) -> None:
    expected = [
        "index.html",
        f"{CASE}/index.html",
        f"{CASE}/timeline/index.html",
        f"{CASE}/quotes/index.html",
        f"{CASE}/parties/index.html",
        f"{CASE}/rulings/index.html",
        f"{CASE}/sources/index.html",
        f"{CASE}/data.json",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "static/style.css",
    ]
    expected += [f"{CASE}/timeline/{e.id}/index.html" for e in case.events]
    expected += [f"{CASE}/quotes/{q.id}/index.html" for q in case.quotes]
    expected += [f"{CASE}/parties/{p.id}/index.html" for p in case.parties]
    expected += [f"{CASE}/rulings/{r.id}/index.html" for r in case.rulings]
    expected += [f"{CASE}/polls/{p.id}/index.html" for p in case.polls]
    expected += [f"{CASE}/polls/{p.id}/{p.id}.csv" for p in case.polls]
    missing = [path for path in expected if not (built_example / path).is_file()]
    assert missing == []


def test_case_content_meets_the_first_release(case: CaseContent) -> None:
    assert len(case.events) >= 20
    assert len(case.quotes) >= 10
    assert {r.stage for r in case.rulings} >= {"magistrate", "district", "appeals", "supreme"}
    percents = {r.percent for p in case.polls for q in p.questions for r in q.results}
    assert {79, 86} <= percents
    years = sorted(e.date.year for e in case.events)
    assert years[0] <= 1986 and years[-1] == 2018


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "script":
            self.scripts.append(values)
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(str(values[name]))


@functools.cache
def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _html_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if p.name != "404.html")


def test_internal_links_are_relative_and_resolve(built_example: Path) -> None:
    broken = []
    for page in _html_pages(built_example):
        for link in _parse(page).links:
            parts = urlsplit(link)
            if parts.scheme in {"http", "https", "mailto"}:
                continue
            assert not link.startswith("/"), f"{page}: absolute internal link {link}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(built_example)} → {link}")
                continue
            if (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in _parse(target).ids
            ):
                broken.append(f"{page.relative_to(built_example)} → {link} (no such anchor)")
    assert broken == []


def test_pages_carry_no_executable_script(built_example: Path) -> None:
    """Only JSON-LD, but for embed pages' own script, which sizes their frame, and the search
    page's, which searches (its words in `data-` attributes, which run nothing)."""
    search_page = built_example / "search" / "index.html"
    assert search_page.is_file()
    for page in _html_pages(built_example):
        assert "livereload" not in page.read_text(encoding="utf-8"), page
        root = "../" * (len(page.relative_to(built_example).parts) - 1)
        embed_script = {"src": f"{root}static/embed.js", "defer": None}
        search_script = {"src": f"{root}static/search.js", "defer": None}
        for script in _parse(page).scripts:
            if "embed" in page.relative_to(built_example).parts and script == embed_script:
                continue
            running = {k: v for k, v in script.items() if not k.startswith("data-")}
            if page.parent.name == "search" and running == search_script:
                continue
            assert script.get("type") == "application/ld+json", page


class _Words(HTMLParser):
    """A page's text read with a break at every tag."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _words(text: str) -> set[str]:
    return {word.strip(".'’-").lower() for word in re.findall(r"[\w'’.-]+", text)} - {""}


def test_search_index_keeps_the_words_of_each_page_apart(built_example: Path) -> None:
    """Pagefind joins the texts of elements it does not take for blocks (a `<dt>` and its
    `<dd>`, say) with nothing between them: every word it indexed must be a word of the page
    read with a break at every tag, not two run together ("KindPerson")."""
    fragments = sorted((built_example / "pagefind" / "fragment").iterdir())
    assert fragments
    run_together = []
    for fragment in fragments:
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        page = built_example / record["url"].lstrip("/") / "index.html"
        parser = _Words()
        parser.feed(page.read_text(encoding="utf-8"))
        apart = _words("".join(parser.parts))
        run_together += [f"{record['url']}: {word}" for word in _words(record["content"]) - apart]
    assert sorted(run_together) == []


def test_feed_sitemap_and_data_are_well_formed(built_example: Path, case: CaseContent) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(built_example / "feed.xml").getroot()
    assert feed.tag == f"{atom}feed"
    assert len(feed.findall(f"{atom}entry")) == len(case.case.updates)
    sitemap = ET.parse(built_example / "sitemap.xml").getroot()
    locs = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"https://example.org/explainers/{CASE}/quotes/{case.quotes[0].id}/" in locs
    assert all(loc.startswith("https://example.org/explainers/") for loc in locs)
    data = json.loads((built_example / CASE / "data.json").read_text(encoding="utf-8"))
    assert sorted(q["id"] for q in data["quotes"]) == sorted(q.id for q in case.quotes)
    assert sorted(s["id"] for s in data["sources"]) == sorted(s.id for s in case.sources)


def test_poll_page_says_not_reported_for_missing_methodology(
    built_example: Path, case: CaseContent
) -> None:
    poll = case.polls[0]
    page = (built_example / CASE / "polls" / poll.id / "index.html").read_text(encoding="utf-8")
    assert poll.margin_of_error is None and poll.mode is None
    # Said once for the page, not per question; the method table lists what is reported.
    (line,) = re.findall(r"Not reported by any source: ([^<]*)\.</p>", page)
    assert line.split(", ") == ["margin of error", "mode"]
    assert '<th scope="row">Margin of error</th>' not in page
    # One table per finding, its shares drawn as bars from the table's own figures.
    tables = re.findall(r'<table class="bars">(.*?)</table>', page, re.S)
    assert len(tables) == len(poll.questions)
    for table, question in zip(tables, poll.questions, strict=True):
        rows = re.findall(
            r'<th scope="row">([^<]*)</th><td>.*?class="bar-value">([^<]*)<.*?'
            r'class="bar-fill" width="([^"]*)"',
            table,
        )
        assert rows == [
            (r.answer, f"{r.percent:g}%", str(float(r.percent))) for r in question.results
        ]
    assert page.count("<svg") == sum(len(q.results) for q in poll.questions)
    assert 'aria-hidden="true" focusable="false"><rect' in page
    csv_text = (built_example / CASE / "polls" / poll.id / f"{poll.id}.csv").read_text(
        encoding="utf-8"
    )
    assert csv_text.splitlines()[0].startswith("question_id,question,answer,percent")
    assert len(csv_text.splitlines()) == 1 + sum(len(q.results) for q in poll.questions)


def _json_ld(page: Path) -> list[dict[str, object]]:
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return [json.loads(block) for block in blocks]


def test_timeline_filter_pages_list_only_matching_events(
    built_example: Path, case: CaseContent
) -> None:
    for kind in {e.kind for e in case.events}:
        page = built_example / CASE / "timeline" / "kind" / kind / "index.html"
        listed = _parse(page).ids & {e.id for e in case.events}
        assert listed == {e.id for e in case.events if e.kind == kind}, kind
    for party in case.parties:
        expected = {e.id for e in case.events if party.id in e.parties}
        page = built_example / CASE / "timeline" / "party" / party.id / "index.html"
        assert page.is_file() == bool(expected), party.id
        if expected:
            assert _parse(page).ids & {e.id for e in case.events} == expected, party.id


def test_structured_data_types_per_page(built_example: Path, case: CaseContent) -> None:
    overview = _json_ld(built_example / CASE / "index.html")
    assert [d["@type"] for d in overview] == ["BackgroundNewsArticle"]
    assert overview[0]["dateModified"] == max(u.date for u in case.case.updates).iso
    quote = case.quotes[0]
    assert _json_ld(built_example / CASE / "quotes" / quote.id / "index.html")[0]["@type"] == (
        "Quotation"
    )
    event = next(e for e in case.events if e.kind == "legislation")
    data = _json_ld(built_example / CASE / "timeline" / event.id / "index.html")[0]
    assert data["@type"] == "Event"
    assert data["about"] == {
        "@type": "Legislation",
        "name": event.title,
        "legislationDate": event.date.iso,
    }
    poll = case.polls[0]
    assert (
        _json_ld(built_example / CASE / "polls" / poll.id / "index.html")[0]["@type"] == "Dataset"
    )


def test_quote_page_share_links_load_nothing(built_example: Path, case: CaseContent) -> None:
    page = built_example / CASE / "quotes" / case.quotes[0].id / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "https://bsky.app/intent/compose?text=" in text
    external_loads = re.findall(
        r'<(?:img|script|iframe|link)[^>]+(?:src|href)="https?://(?!example\.org)', text
    )
    assert external_loads == []


def test_sources_page_groups_every_source_under_its_kind(
    built_example: Path, case: CaseContent
) -> None:
    from generator.models import SOURCE_KINDS
    from generator.plan.context import SOURCE_KIND_LABELS

    page = (built_example / CASE / "sources" / "index.html").read_text(encoding="utf-8")
    sections = re.findall(
        r'<section aria-labelledby="_kind-([a-z-]+)">\s*'
        r'<h2 id="_kind-\1">([^<]*)</h2>(.*?)</section>',
        page,
        re.S,
    )
    numbers = {s.id: n for n, s in enumerate(case.sources, start=1)}
    expected = [
        (kind, [s.id for s in case.sources if s.kind == kind])
        for kind in SOURCE_KINDS
        if any(s.kind == kind for s in case.sources)
    ]
    assert len(expected) == len(SOURCE_KINDS), "the real case has a source of every kind"
    found = [
        (kind, re.findall(r'<h3 class="source-title" id="([^"]+)"', body))
        for kind, _, body in sections
    ]
    assert found == expected
    assert [label for _, label, _ in sections] == [SOURCE_KIND_LABELS[k] for k, _ in expected]
    for _, body in [(k, b) for k, _, b in sections]:
        values = [int(v) for v in re.findall(r'<li value="(\d+)">', body)]
        ids = re.findall(r'<h3 class="source-title" id="([^"]+)"', body)
        assert values == [numbers[i] for i in ids] == sorted(values)


def test_sources_page_holds_where_sources_disagree(built_example: Path, case: CaseContent) -> None:
    page = (built_example / CASE / "sources" / "index.html").read_text(encoding="utf-8")
    assert case.case.conflicts, "the real case records disagreements"
    start = page.index('<h2 id="_disagreements">Where sources disagree</h2>')
    section = page[start:]
    for conflict in case.case.conflicts:
        match = re.search(
            rf'<div class="conflict" id="conflict-{conflict.id}">\s*<h3>([^<]*)</h3>(.*?)</div>',
            section,
            re.S,
        )
        assert match is not None, conflict.id
        assert " ".join(match.group(1).split()) == " ".join(conflict.title.split()).replace(
            "'", "&#39;"
        )
        cited = re.findall(r'href="[^"]*sources/#([^"]+)"', match.group(2))
        assert cited == sorted(set(conflict.sources), key=[s.id for s in case.sources].index)


def test_party_pages_speak_to_readers_not_in_field_names(
    built_example: Path, case: CaseContent
) -> None:
    for party in case.parties:
        page = (built_example / CASE / "parties" / party.id / "index.html").read_text("utf-8")
        terms = re.findall(r"<dt>([^<]*)<", page)
        assert not {"Kind", "Side"} & set(terms), party.id
        assert f'<p class="lede">{party.role}</p>'.replace("'", "&#39;") in page, party.id
        side = (party.side or "Other").casefold()
        if side == "other":
            assert "Sides with" not in terms, party.id
        else:
            assert "Sides with" in terms, party.id
            said = re.search(r"<dt>Sides with<.*?<dd>([^<]*)</dd>", page)
            assert said is not None, party.id
            assert ("Neither side" in said.group(1)) == (side in {"court", "neutral"}), party.id
    listing = (built_example / CASE / "parties" / "index.html").read_text("utf-8")
    headings = re.findall(r'<h2 id="_side-\d+">([^<]*)</h2>', listing)
    assert "Court" not in headings and "Courts and judges" in headings
    assert not re.search(r'class="meta">(Person|Organization|Court|Government)\b', listing)


_CITE = re.compile(r'<a class="cite" href="[^"]*/sources/#([^"]+)">[^\[]*\[(\d+)\]</a>')
_PRINTED = re.compile(
    r'<li value="(\d+)"><span class="print-number">\[\1\]</span> <cite[^>]*>([^<]*)</cite>\. '
    r'(?:<span lang="[^"]+" dir="[^"]+">)?([^<]*)(?:</span>)?\. '
    r'<span class="print-url">([^<]*)</span></li>'
)


def test_every_page_prints_the_sources_it_cites_and_its_address(
    built_example: Path, case: CaseContent
) -> None:
    from markupsafe import escape

    sources = {s.id: (n, s) for n, s in enumerate(case.sources, start=1)}
    checked = cited_somewhere = 0
    for path in _html_pages(built_example):
        relative = path.relative_to(built_example).as_posix()
        if "/embed/" in f"/{relative}":
            continue  # framed in other sites' articles, which print them as they like
        page = path.read_text(encoding="utf-8")
        screen, marker, printed = page.partition('<div class="print-only print-sources">')
        assert marker, f"{relative}: no printed list"
        on_screen = {}
        for source_id, number in _CITE.findall(screen):
            assert sources[source_id][0] == int(number), f"{relative}: [{number}] → {source_id}"
            on_screen[int(number)] = source_id
        listed = [(int(n), *rest) for n, *rest in _PRINTED.findall(printed)]
        assert [n for n, *_ in listed] == sorted(on_screen), relative
        for number, title, publisher, url in listed:
            source = sources[on_screen[number]][1]
            expected = tuple(str(escape(v)) for v in (source.title, source.publisher, source.url))
            assert (title, publisher, url) == expected, relative
        canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)
        assert canonical is not None, relative
        lang = re.search(r'<html lang="([^"]+)"', page)
        assert lang is not None, relative
        this_page = ui_strings(words_language(lang.group(1)))["print.this_page"]
        assert f'{this_page} <span class="print-url">{canonical.group(1)}</span>' in printed
        checked += 1
        cited_somewhere += bool(listed)
    assert checked > 100 and cited_somewhere > 100, (checked, cited_somewhere)
