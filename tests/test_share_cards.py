"""Share cards in the built site: one beside every quote and event page, one per case for its
overview and lists, one for the home and search pages, each named in the page's head with
absolute addresses, drawn once and kept by content between builds.

The head's tags are what social networks read (Open Graph, as extruct reads it, and Twitter
cards); the card files are checked as PNGs of the announced size. Drawing is counted by
replacing `card_cache.draw_card`, so the tests see which cards a build drew, not how long it
took.
"""

from __future__ import annotations

import shutil
import struct
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import extruct
import pytest
import yaml

from generator.build import card_store
from generator.build.record import cards_path
from generator.build.site import SiteBuilder, build_site
from generator.load.content import load_content
from generator.plan.card_text import CARD_HEIGHT, CARD_WIDTH, CardText
from generator.validate.content import CaseContent, validate_content
from generator.write import MARKER
from tests.conftest import REAL_CONTENT, real_case_last_update

CASE = "microsoft-ireland"
BASE = "https://example.org/explainers/"


class _Head(HTMLParser):
    """The `<meta>` tags of a page, by property or name."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        key = values.get("property") or values.get("name")
        if tag == "meta" and key is not None:
            self.meta.setdefault(key, []).append(values.get("content") or "")


def _size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.fixture(scope="module")
def case() -> CaseContent:
    return validate_content(load_content(REAL_CONTENT)).cases[0]


def _content(tmp_path: Path, **site: object) -> Path:
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    settings = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    settings.update(site, search=False)  # search is tested elsewhere; here it only costs time
    # In one language, its translations left out: another language's cards are drawn alike
    # (tests/test_languages.py draws them).
    settings.pop("languages", None)
    for translation in content.rglob("*.de.yaml"):
        translation.unlink()
    (content / "site.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return content


def _builder(content: Path, output: Path) -> SiteBuilder:
    return SiteBuilder.for_command_line(content, output, workers=1)


def test_every_quote_and_event_page_names_its_card(built_example: Path, case: CaseContent) -> None:
    base = BASE
    pages = [f"{CASE}/quotes/{q.id}/" for q in case.quotes]
    pages += [f"{CASE}/timeline/{e.id}/" for e in case.events]
    for page in pages:
        meta = _Head((built_example / page / "index.html").read_text(encoding="utf-8")).meta
        card = base + page + "card.png"
        assert meta["og:image"] == [card], page
        assert meta["twitter:image"] == [card], page
        assert meta["twitter:card"] == ["summary_large_image"], page
        assert meta["og:image:type"] == ["image/png"], page
        assert meta["og:image:width"] == [str(CARD_WIDTH)], page
        assert meta["og:image:height"] == [str(CARD_HEIGHT)], page
        assert meta["og:image:alt"] == meta["twitter:image:alt"], page
        assert len(meta["og:image:alt"][0]) > 20, page
        png = (built_example / page / "card.png").read_bytes()
        assert _size(png) == (CARD_WIDTH, CARD_HEIGHT), page


def test_a_quote_card_s_alt_text_carries_its_words_and_speaker(
    built_example: Path, case: CaseContent
) -> None:
    speakers = {party.id: party.name for party in case.parties}
    quote = min(case.quotes, key=lambda q: len(q.text))
    page = built_example / CASE / "quotes" / quote.id / "index.html"
    alt = _Head(page.read_text(encoding="utf-8")).meta["og:image:alt"][0]
    assert " ".join(quote.text.split()) in alt
    assert speakers[quote.speaker] in alt
    assert case.case.title in alt
    assert f" {quote.said_on.display}. " in alt, "the card's alt text gives the quote's date"


def _list_pages(output: Path) -> list[str]:
    """The case's overview and its lists: the timeline (whole, by kind, by party), quotes,
    parties, rulings and sources, each with its further pages."""
    case = output / CASE
    lists = ["", "timeline/", "quotes/", "parties/", "rulings/", "sources/"]
    lists += [
        f"timeline/{by}/{p.parent.name}/"
        for by in ("kind", "party")
        for p in sorted(case.glob(f"timeline/{by}/*/index.html"))
    ]
    lists += [
        f"quotes/{by}/{p.parent.name}/"
        for by in ("speaker", "year")
        for p in sorted(case.glob(f"quotes/{by}/*/index.html"))
    ]
    lists += [
        p.parent.relative_to(case).as_posix() + "/"
        for p in sorted(case.glob("**/page/*/index.html"))
        if "embed" not in p.parts
    ]
    return [f"{CASE}/{page}" for page in lists]


def test_home_overview_and_list_pages_name_their_card_to_an_open_graph_reader(
    built_example: Path, case: CaseContent
) -> None:
    pages = {"": BASE + "card.png", "search/": BASE + "card.png"}
    pages |= {page: f"{BASE}{CASE}/card.png" for page in _list_pages(built_example)}
    assert len(pages) > 10
    for page, card in pages.items():
        html = (built_example / page / "index.html").read_text(encoding="utf-8")
        (graph,) = extruct.extract(html, BASE + page, syntaxes=["opengraph"], uniform=True)[
            "opengraph"
        ]
        assert graph["og:image"] == card, page
        address = urlsplit(card)
        assert (address.scheme, address.netloc) == ("https", "example.org"), page
        png = (built_example / card[len(BASE) :]).read_bytes()
        assert _size(png) == (CARD_WIDTH, CARD_HEIGHT), page
        assert graph["og:image:type"] == "image/png", page
        assert (graph["og:image:width"], graph["og:image:height"]) == ("1200", "630"), page
        shows = case.case.title if page.startswith(CASE) else "Plain-language explainers"
        assert graph["og:image:alt"].startswith(shows), page
        meta = _Head(html).meta  # Twitter's tags are `name=`, which Open Graph readers skip
        assert meta["twitter:card"] == ["summary_large_image"], page
        assert meta["twitter:image"] == [card], page
        assert meta["twitter:image:alt"] == [graph["og:image:alt"]], page


def test_a_case_card_says_the_case_s_status_and_last_update(built_example: Path) -> None:
    meta = _Head((built_example / CASE / "index.html").read_text(encoding="utf-8")).meta
    (alt,) = meta["og:image:alt"]
    updated = real_case_last_update(CASE)
    assert alt.startswith(
        f"Microsoft Ireland email warrant. Resolved, last updated {updated.day} {updated:%B %Y}"
    )
    assert alt.endswith(". Case Explainers")


def test_item_pages_without_a_card_of_their_own_have_none(built_example: Path) -> None:
    pages = [
        f"{CASE}/{kind}/{p.parent.name}/"
        for kind in ("parties", "rulings", "polls")
        for p in sorted((built_example / CASE / kind).glob("*/index.html"))
    ]
    for page in [*pages, "404.html"]:
        path = built_example / page
        meta = _Head((path / "index.html" if path.is_dir() else path).read_text("utf-8")).meta
        assert "og:image" not in meta, page
        assert meta["twitter:card"] == ["summary"], page
    cards = {
        p.parent.relative_to(built_example).as_posix() for p in built_example.rglob("card.png")
    }
    default = {place for place in cards if not place.startswith("de/")}
    assert {place.rsplit("/", 1)[0] for place in default if place.count("/") > 1} == {
        f"{CASE}/quotes",
        f"{CASE}/timeline",
    }
    assert {place for place in default if place.count("/") < 2} == {".", CASE}
    assert {place.removeprefix("de/") for place in cards - default} == default - {"."}


def test_a_full_build_reads_unchanged_cards_instead_of_drawing_them(
    tmp_path: Path, case: CaseContent, drawn_cards: list[CardText]
) -> None:
    content, output = _content(tmp_path), tmp_path / "output"
    _builder(content, output).build()
    first = {p: p.read_bytes() for p in output.rglob("card.png")}
    site_and_case = 2  # one card for the home and search pages, one for the case's lists
    assert len(drawn_cards) == len(first) == len(case.quotes) + len(case.events) + site_and_case
    assert len(set(drawn_cards)) == len(drawn_cards), "a card drawn twice"
    drawn_cards.clear()

    _builder(content, output).build(full=True)

    assert drawn_cards == []
    assert {p: p.read_bytes() for p in output.rglob("card.png")} == first


@pytest.mark.parametrize("spare", [0, None], ids=["no-spare", "spare"])
def test_an_edited_quote_redraws_its_card_alone_and_the_old_one_is_forgotten(
    tmp_path: Path,
    case: CaseContent,
    drawn_cards: list[CardText],
    monkeypatch: pytest.MonkeyPatch,
    spare: int | None,
) -> None:
    """Forgotten at once when no card may stay unshown; else kept until enough are."""
    if spare is not None:
        monkeypatch.setattr(card_store, "spare_cards", lambda shown: spare)
    content, output = _content(tmp_path), tmp_path / "output"
    _builder(content, output).build()
    before = {p: p.read_bytes() for p in output.rglob("card.png")}
    kept = sorted(p.name for p in cards_path(output).iterdir())
    drawn_cards.clear()
    quote = case.quotes[0]
    quotes = content / "cases" / CASE / "quotes.yaml"
    text = quotes.read_text(encoding="utf-8")
    words = f"- id: {quote.id}\n  text: >-\n    "
    assert text.count(words) == 1
    quotes.write_text(text.replace(words, words + "Edited: "), encoding="utf-8")
    edited = next(
        q for q in validate_content(load_content(content)).cases[0].quotes if q.id == quote.id
    )
    assert edited.text.startswith("Edited: ")

    result = _builder(content, output).build()

    assert result.incremental
    assert [card.headline for card in drawn_cards] == [f"“{' '.join(edited.text.split())}”"]
    after = {p: p.read_bytes() for p in output.rglob("card.png")}
    assert [p.parent.name for p in after if after[p] != before[p]] == [edited.id]
    now = sorted(p.name for p in cards_path(output).iterdir())
    assert len(set(now) - set(kept)) == 1
    assert len(now) == len(kept) + (spare is None)


def test_a_quote_s_new_date_redraws_its_card_with_the_date(
    tmp_path: Path, case: CaseContent, drawn_cards: list[CardText]
) -> None:
    content, output = _content(tmp_path), tmp_path / "output"
    _builder(content, output).build()
    before = {p: p.read_bytes() for p in output.rglob("card.png")}
    drawn_cards.clear()
    quote = case.quotes[0]
    quotes = content / "cases" / CASE / "quotes.yaml"
    text = quotes.read_text(encoding="utf-8")
    start = text.index(f"- id: {quote.id}\n")
    said = f"  said_on: {quote.said_on.iso}\n"
    at = text.index(said, start)
    assert quote.said_on.iso != "2014-04-24"
    quotes.write_text(text[:at] + "  said_on: 2014-04-24\n" + text[at + len(said) :], "utf-8")

    result = _builder(content, output).build()

    assert result.incremental
    assert [card.kicker for card in drawn_cards] == ["24 April 2014"]
    after = {p: p.read_bytes() for p in output.rglob("card.png")}
    assert [p.parent.name for p in after if after[p] != before[p]] == [quote.id]


def test_a_case_status_edit_redraws_the_case_card_alone_as_a_clean_build_would(
    tmp_path: Path, drawn_cards: list[CardText]
) -> None:
    content, output = _content(tmp_path), tmp_path / "output"
    _builder(content, output).build()
    before = {p: p.read_bytes() for p in output.rglob("card.png")}
    drawn_cards.clear()
    case_file = content / "cases" / CASE / "case.yaml"
    text = case_file.read_text(encoding="utf-8")
    assert text.count("\nstatus: resolved\n") == 1
    case_file.write_text(text.replace("\nstatus: resolved\n", "\nstatus: ongoing\n"), "utf-8")

    result = _builder(content, output).build()

    assert result.incremental
    updated = real_case_last_update(CASE)
    byline = f"Ongoing, last updated {updated.day} {updated:%B %Y}"
    assert [card.byline for card in drawn_cards] == [byline]
    after = {p: p.read_bytes() for p in output.rglob("card.png")}
    assert [p for p in after if after[p] != before[p]] == [output / CASE / "card.png"]
    for page in _list_pages(output):
        (alt,) = _Head((output / page / "index.html").read_text(encoding="utf-8")).meta[
            "og:image:alt"
        ]
        assert "Ongoing, last updated" in alt, page
    clean = tmp_path / "clean"
    build_site(content, clean)
    assert _files(output) == _files(clean)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def test_share_cards_off_makes_no_card_and_no_image_tag(
    tmp_path: Path, case: CaseContent, drawn_cards: list[CardText]
) -> None:
    content, output = _content(tmp_path, share_cards=False), tmp_path / "output"
    _builder(content, output).build()

    assert list(output.rglob("card.png")) == []
    for page in [CASE + "/quotes/" + case.quotes[0].id + "/", "", CASE + "/", CASE + "/quotes/"]:
        meta = _Head((output / page / "index.html").read_text(encoding="utf-8")).meta
        assert "og:image" not in meta and "twitter:image" not in meta, page
    assert drawn_cards == []
