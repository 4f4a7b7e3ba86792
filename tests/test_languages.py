"""A site in several languages: the default at the root and each other under `/<lang>/`,
every page naming its language, direction and alternates, a switcher to the same page in
each language, per-language feeds, data and search indexes, and items without a translation
marked as such.

The sites are the golden fixture's content (`tests/golden/small`) with `languages:` added.
"""

from __future__ import annotations

import json
import posixpath
import random
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from PIL import features

from generator.build.site import SiteBuilder, build_site
from generator.plan import site as plan_site_module
from generator.plan.languages import language_name
from generator.plan.resolve import isolated
from generator.render import cards
from generator.strings import ui_strings
from tests.incremental_edits import CASE, CONTENT_EDITS, items, set_field, yaml_string
from tests.test_incremental import build_and_check, copy_site, serve_builder

GOLDEN = Path(__file__).resolve().parent / "golden" / "small"
BASE_URL = "https://example.org/golden/"


def _content(root: Path, languages: str, search: bool = False) -> Path:
    content = root / "content"
    shutil.copytree(GOLDEN / "content", content)
    settings = content / "site.yaml"
    extra = f"languages: {languages}\n" + ("search: true\n" if search else "")
    settings.write_text(settings.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built in English and Arabic, with search."""
    root = tmp_path_factory.mktemp("en-ar")
    output = root / "output"
    build_site(_content(root, "[en, ar]", search=True), output)
    return output


@pytest.fixture(scope="module")
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("en-de")
    output = root / "output"
    build_site(_content(root, "[en, de]"), output)
    return output


class _Page(HTMLParser):
    """What a page says about its language: `<html lang dir>`, its hreflang links and its
    language switcher's links."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.dir: str | None = None
        self.hreflang: dict[str, str] = {}
        self.switcher: list[dict[str, str | None]] = []
        self.marked: list[tuple[str, str | None, str | None, str | None]] = []
        """(tag, class, lang, dir) of each element below `<html>` that names a language."""
        self.notes = 0
        self._in_switcher = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang, self.dir = found.get("lang"), found.get("dir")
        elif tag == "link" and found.get("rel") == "alternate" and "hreflang" in found:
            self.hreflang[str(found["hreflang"])] = str(found["href"])
        elif tag == "nav" and found.get("class") == "language-switcher":
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self.switcher.append(found)
        elif tag == "p" and found.get("class") == "untranslated-note":
            self.notes += 1
        if tag != "html" and "lang" in found and not self._in_switcher:
            self.marked.append((tag, found.get("class"), found["lang"], found.get("dir")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_switcher = False


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(output: Path) -> Iterator[tuple[str, Path]]:
    """Every full HTML page (not the embeddable ones, which have no header) by its path."""
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        if "/embed/" not in relative and not relative.startswith("pagefind"):
            yield relative, path


def _in_default(relative: str, language: str) -> str:
    return relative.removeprefix(f"{language}/")


def _url(relative: str) -> str:
    return relative.removesuffix("index.html")


def test_every_page_names_its_language_and_direction(arabic: Path) -> None:
    pages = list(_pages(arabic))
    assert any(relative.startswith("ar/") for relative, _ in pages)
    for relative, path in pages:
        page = _read(path)
        expected = ("ar", "rtl") if relative.startswith("ar/") else ("en", "ltr")
        assert (page.lang, page.dir) == expected, relative


def test_every_page_lists_each_language_and_x_default(arabic: Path) -> None:
    for relative, path in _pages(arabic):
        page = _read(path)
        default = _in_default(relative, "ar")
        assert page.hreflang == {
            "en": BASE_URL + _url(default),
            "ar": BASE_URL + "ar/" + _url(default),
            "x-default": BASE_URL + _url(default),
        }, relative


def test_switcher_leads_to_the_same_page_in_each_language(german: Path) -> None:
    for relative, path in _pages(german):
        if relative.endswith("404.html"):
            continue  # its links start from the base URL's path: served at any depth
        page = _read(path)
        default = _in_default(relative, "de")
        links = {str(a["hreflang"]): a for a in page.switcher}
        assert list(links) == ["en", "de"], relative
        for language, link in links.items():
            assert link["lang"] == language
            assert link.get("aria-current") == (
                "page" if relative.startswith("de/") == (language == "de") else None
            ), relative
            target = posixpath.join(posixpath.dirname(relative), str(link["href"]))
            expected = _url(default) if language == "en" else "de/" + _url(default)
            assert posixpath.normpath(target) == posixpath.normpath(expected or "."), relative
            assert (german / expected / "index.html").is_file() or (german / expected).is_file()
        text = path.read_text(encoding="utf-8")
        assert f">{language_name('en')}</a>" in text and f">{language_name('de')}</a>" in text


def test_sitemap_lists_the_alternates_of_every_page(german: Path) -> None:
    sitemap = (german / "sitemap.xml").read_text(encoding="utf-8")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    event = "cafe-munchen/timeline/hearing/"
    assert f"<loc>{BASE_URL}de/{event}</loc>" in sitemap
    for language, url in (("en", event), ("de", "de/" + event), ("x-default", event)):
        link = f'<xhtml:link rel="alternate" hreflang="{language}" href="{BASE_URL}{url}"/>'
        assert sitemap.count(link) == 2  # under the page's own entry in each language


def test_feed_and_data_are_made_per_language(german: Path) -> None:
    feed = (german / "de" / "feed.xml").read_text(encoding="utf-8")
    assert 'xml:lang="de"' in feed
    assert f'href="{BASE_URL}de/feed.xml"' in feed
    assert f'<link rel="alternate" type="text/html" href="{BASE_URL}de/cafe-munchen/"/>' in feed
    default = json.loads((german / "cafe-munchen" / "data.json").read_bytes())
    translated = json.loads((german / "de" / "cafe-munchen" / "data.json").read_bytes())
    assert default.keys() == translated.keys()
    for name in ("events", "quotes", "rulings"):
        assert [i["id"] for i in default[name]] == [i["id"] for i in translated[name]]
        assert [i.get("date") for i in default[name]] == [i.get("date") for i in translated[name]]


def test_search_is_indexed_per_page_language(arabic: Path) -> None:
    """Pagefind makes an index per `<html lang>`, and its script loads the one of the page
    it runs on: the Arabic search page searches the Arabic pages only."""
    entry = json.loads((arabic / "pagefind" / "pagefind-entry.json").read_bytes())
    counts = {language: int(index["page_count"]) for language, index in entry["languages"].items()}
    assert counts["en"] > 0 and counts["en"] == counts["ar"]
    assert _read(arabic / "ar" / "search" / "index.html").lang == "ar"


def test_right_to_left_pages_point_pagers_the_reading_way(arabic: Path) -> None:
    english = (arabic / "cafe-munchen" / "timeline" / "hearing" / "index.html").read_text("utf-8")
    mirrored = (arabic / "ar" / "cafe-munchen" / "timeline" / "hearing" / "index.html").read_text(
        "utf-8"
    )
    back, following = ui_strings("ar")["event.back"], ui_strings("ar")["event.next"]
    assert "← Back to the timeline" in english and f"→ {back}" in mirrored
    assert "Next event →" in english and f"{following} ←" in mirrored


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without Raqm")
def test_right_to_left_pages_announce_their_own_cards(arabic: Path) -> None:
    """Cards in Arabic are shaped by Raqm (`tests/unit/test_shaped_cards.py`): each Arabic
    page names its own, in the Arabic folder, as a German page names its German card."""
    for relative in ("cafe-munchen/index.html", "cafe-munchen/timeline/hearing/index.html"):
        page = (arabic / "ar" / relative).read_text(encoding="utf-8")
        card = f"{BASE_URL}ar/{relative.removesuffix('index.html')}card.png"
        assert f'<meta property="og:image" content="{card}"' in page
        assert f'<meta name="twitter:image" content="{card}"' in page
        drawn = arabic / "ar" / relative.replace("index.html", "card.png")
        assert (
            drawn.read_bytes() != (arabic / relative.replace("index.html", "card.png")).read_bytes()
        )
    assert not (arabic / "ar" / "card.png").exists()  # the site's card shows its title only


def test_without_raqm_right_to_left_pages_announce_the_default_languages_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without Raqm a card is drawn a glyph at a time, which cannot join Arabic letters: the
    Arabic pages share the English cards rather than show broken words."""
    check = features.check
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else check(name))
    cards.shapes_text.cache_clear()
    try:
        output = tmp_path / "output"
        build_site(_content(tmp_path, "[en, ar]"), output)
    finally:
        cards.shapes_text.cache_clear()
    assert not list((output / "ar").rglob("card.png"))
    page = (output / "ar" / "cafe-munchen" / "index.html").read_text(encoding="utf-8")
    assert f'content="{BASE_URL}cafe-munchen/card.png"' in page


def test_left_to_right_languages_draw_their_own_cards(german: Path) -> None:
    assert (german / "de" / "cafe-munchen" / "card.png").is_file()
    assert not (german / "de" / "card.png").exists()  # the site's card shows its title only


def test_untranslated_item_is_shown_in_the_default_language_and_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Of the items German lacks (all: the fixture has no German files), the one event alone;
    # none in English, which lacks nothing.
    fallback_of = plan_site_module.fallback_of
    monkeypatch.setattr(
        plan_site_module,
        "fallback_of",
        lambda content: fallback_of(content) & {("cafe-munchen", "events", "hearing")},
    )
    output = tmp_path / "output"
    build_site(_content(tmp_path, "[en, de]"), output)
    marked = _read(output / "de" / "cafe-munchen" / "timeline" / "hearing" / "index.html")
    # The event's own words are marked, not the page, whose own words stay German.
    page = (output / "de" / "cafe-munchen" / "timeline" / "hearing" / "index.html").read_text()
    assert '<h1><span lang="en" dir="ltr">' in page
    assert ("div", "event-body", "en", "ltr") in marked.marked
    assert not any(
        tag in ("main", "div") and cls in (None, "untranslated") for tag, cls, _, _ in marked.marked
    )
    assert marked.notes == 1
    for page in (
        output / "cafe-munchen" / "timeline" / "hearing" / "index.html",
        output / "de" / "cafe-munchen" / "timeline" / "ruling" / "index.html",
    ):
        text = page.read_text(encoding="utf-8")
        assert "<h1><span lang" not in text and _read(page).notes == 0
    timeline = (output / "de" / "cafe-munchen" / "timeline" / "index.html").read_text("utf-8")
    entry = timeline[timeline.index('id="hearing"') : timeline.index('id="ruling"')]
    # The event's words are English; its date and kind, and the mark, German like the page.
    assert '<span class="event-line" lang="en" dir="ltr">' in entry
    assert '<div class="event-body" lang="en" dir="ltr">' in entry
    assert '<details class="event-more">' in entry
    assert 'lang="en" dir="ltr">Hearing' in entry
    assert '</a> <span class="untranslated-mark">noch nicht übersetzt</span></h3>' in entry
    assert timeline.count("untranslated-mark") == 1


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".explainer-output"
    }


def test_edit_of_default_content_shows_in_every_language_as_a_clean_build(tmp_path: Path) -> None:
    content = _content(tmp_path, "[en, de]")
    output = tmp_path / "output"
    builder = SiteBuilder.for_preview(content, output)
    builder.build()
    events = content / "cases" / "cafe-munchen" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace("title: Hearing", "title: Public hearing", 1), "utf-8")
    assert "title: Public hearing" in events.read_text(encoding="utf-8")
    builder.build()
    clean = tmp_path / "clean"
    build_site(content, clean)
    built, expected = _snapshot(output), _snapshot(clean)
    assert built.keys() == expected.keys()
    assert [p for p in built if built[p] != expected[p] and not p.endswith(".png")] == []
    for page in ("cafe-munchen/timeline/hearing/", "de/cafe-munchen/timeline/hearing/"):
        assert "Public hearing" in (output / page / "index.html").read_text(encoding="utf-8")


def test_edit_of_a_sidecar_renders_only_that_languages_pages(tmp_path: Path) -> None:
    content = _content(tmp_path, "[en, de]")
    output = tmp_path / "output"
    builder = SiteBuilder.for_preview(content, output)
    builder.build()
    before = _snapshot(output)
    sidecar = content / "cases" / "cafe-munchen" / "events.de.yaml"
    sidecar.write_text("hearing:\n  title: Anhörung\n", encoding="utf-8")
    result = builder.build()
    after = _snapshot(output)
    changed = {path for path in after if before.get(path) != after[path]}
    assert "de/cafe-munchen/timeline/hearing/index.html" in changed
    assert all(path.startswith("de/") for path in changed if path.endswith(".html"))
    assert 0 < result.rendered <= sum(1 for path in after if path.startswith("de/"))


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without Raqm")
def test_edit_of_an_arabic_sidecar_redraws_its_arabic_card_alone_as_a_clean_build(
    tmp_path: Path,
) -> None:
    content = _content(tmp_path, "[en, ar]")
    output = tmp_path / "output"
    builder = SiteBuilder.for_preview(content, output)
    builder.build()
    before = _snapshot(output)
    sidecar = content / "cases" / "cafe-munchen" / "events.ar.yaml"
    sidecar.write_text("hearing:\n  title: جلسة الاستماع\n", encoding="utf-8")
    builder.build()
    after = _snapshot(output)
    changed = {path for path in after if before.get(path) != after[path]}
    assert "ar/cafe-munchen/timeline/hearing/card.png" in changed
    assert all(path.startswith("ar/") for path in changed if path.endswith((".html", ".png")))
    clean = tmp_path / "clean"
    build_site(content, clean)
    assert after == _snapshot(clean)


def test_random_edits_of_a_two_language_site_give_the_bytes_of_a_clean_build(
    tmp_path: Path,
) -> None:
    """The real case in English and German, through a preview's random edits: each language's
    views are followed apart, and every build is a clean build's, byte for byte."""
    site = copy_site(tmp_path, languages=True)
    settings = (site.content / "site.yaml").read_text(encoding="utf-8")
    assert "languages: [en, de]" in settings  # the real site is in both
    rng = random.Random(22)
    builder = serve_builder(site)
    history = ["serve, two languages, seed 22"]
    build_and_check(builder, site, history)
    for _ in range(4):
        names = rng.choices(sorted(CONTENT_EDITS), k=rng.choice([1, 2]))
        history.append(" + ".join(CONTENT_EDITS[name](rng, site) for name in names))
        result = build_and_check(builder, site, history)
        assert result.incremental, f"after {history}: a full build"


def test_the_preview_patches_an_edit_of_wording_into_each_language_as_a_clean_build(
    tmp_path: Path,
) -> None:
    """The real case in English and German: an event's body that German translates, edited,
    changes the English page alone; a party's summary that German leaves in English changes
    both. The preview applies both to its views without planning again, exactly."""
    site = copy_site(tmp_path, languages=True)
    builder = serve_builder(site)
    build_and_check(builder, site, ["the real case in two languages"])
    events, parties = site.collection("events"), site.collection("parties")
    german = yaml.safe_load((site.case / "events.de.yaml").read_text(encoding="utf-8"))
    event = next(e["id"] for e in items(events) if "body" in german.get(e["id"], {}))
    party = next(p["id"] for p in items(parties) if p.get("summary"))
    assert not (site.case / "parties.de.yaml").exists()
    set_field(events, event, "body", yaml_string("The body, rewritten."))
    set_field(parties, party, "summary", yaml_string("The summary, rewritten."))

    history = [f"rewrote the body of {event} and the summary of {party}"]
    result = build_and_check(builder, site, history)

    assert "patch" in result.stages and "plan" not in result.stages

    def page(prefix: str, path: str) -> str:
        return (site.output / f"{prefix}{CASE}/{path}/index.html").read_text(encoding="utf-8")

    assert "The body, rewritten." in page("", f"timeline/{event}")
    assert "The body, rewritten." not in page("de/", f"timeline/{event}")
    for prefix in ("", "de/"):
        assert "The summary, rewritten." in page(prefix, f"parties/{party}")


def test_an_edit_that_changes_what_falls_back_is_planned_again_as_a_clean_build(
    tmp_path: Path,
) -> None:
    """A party's summary taken out: German pages no longer mark it as not yet translated, which
    only planning again finds."""
    site = copy_site(tmp_path, languages=True)
    builder = serve_builder(site)
    build_and_check(builder, site, ["the real case in two languages"])
    parties = site.collection("parties")
    party = next(p["id"] for p in items(parties) if p.get("summary"))
    set_field(parties, party, "summary", None)

    result = build_and_check(builder, site, [f"took out the summary of {party}"])

    assert "plan" in result.stages and "patch" not in result.stages


def test_a_translated_case_credits_its_translator_and_sets_a_quotes_translation_beside_it(
    tmp_path: Path,
) -> None:
    """The real case in German: its overview and the footer of its pages say who translated
    it and when; a quote's translation is shown beside the words, which keep their language;
    a quote without one is marked as not yet translated."""
    import yaml

    from generator.dates import PartialDate
    from tests.conftest import REAL_CONTENT

    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    case = content / "cases" / "microsoft-ireland"
    credit = yaml.safe_load((case / "case.de.yaml").read_text(encoding="utf-8"))
    (case / "quotes.de.yaml").write_text(
        "francis-hybrid:\n  translation: ein Zwitter, teils Durchsuchungsbeschluss, teils"
        " Vorladung\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    build_site(content, output)

    german = ui_strings("de")
    on = PartialDate.parse(str(credit["translated_on"])).display_in("de")
    line = german["lang.translated_by"].format(who=isolated(credit["translated_by"]), date=on)
    overview = (output / "de" / "microsoft-ireland" / "index.html").read_text(encoding="utf-8")
    assert overview.count(line) == 2  # under the status, and in the footer
    english = (output / "microsoft-ireland" / "index.html").read_text(encoding="utf-8")
    assert "translation-credit" not in english
    quote = output / "de" / "microsoft-ireland" / "quotes" / "francis-hybrid" / "index.html"
    page = quote.read_text(encoding="utf-8")
    note = german["lang.translation_of_quote"].format(
        language=language_name("en"), who=isolated(credit["translated_by"])
    )
    assert '<blockquote lang="en" dir="ltr">' in page
    assert (
        '<p class="quote-translation">ein Zwitter, teils Durchsuchungsbeschluss, teils Vorladung'
        f' <span class="translation-note">({note})</span></p>'
    ) in page
    original = output / "microsoft-ireland" / "quotes" / "francis-hybrid" / "index.html"
    assert "quote-translation" not in original.read_text(encoding="utf-8")
    quotes = (output / "de" / "microsoft-ireland" / "quotes" / "index.html").read_text("utf-8")
    mark = f'<span class="untranslated-mark">{german["lang.not_translated_mark"]}</span>'
    assert mark in quotes


def test_parties_and_rulings_lists_mark_items_not_yet_translated(german: Path) -> None:
    # No German translation file: every party and ruling falls back to English.
    mark = ui_strings("de")["lang.not_translated_mark"]
    case = german / "de" / "cafe-munchen"
    parties = (case / "parties" / "index.html").read_text(encoding="utf-8")
    cards = parties.split('<ul class="party-cards">')[1:]
    entries = [entry for card in cards for entry in card.split("</ul>")[0].split("<li>")[1:]]
    assert entries
    for entry in entries:
        heading = entry[: entry.index("</h3>")]
        assert heading.endswith(f' <span class="untranslated-mark">{mark}</span>'), heading
        assert '<p lang="en" dir="ltr">' in entry  # the role, in English
    rulings = (case / "rulings" / "index.html").read_text(encoding="utf-8")
    titles = [line for line in rulings.splitlines() if 'class="path-title"' in line]
    assert titles
    for title in titles:
        assert 'lang="en" dir="ltr">' in title and f'untranslated-mark">{mark}</span>' in title
    overview = (case / "index.html").read_text(encoding="utf-8")
    assert overview.count(f'<span class="untranslated-mark">{mark}</span>') >= len(titles)
    for english in ("parties/index.html", "rulings/index.html", "index.html"):
        assert "untranslated-mark" not in (german / "cafe-munchen" / english).read_text("utf-8")


def test_a_quotes_mark_follows_its_words_before_who_said_them(german: Path) -> None:
    quotes = (german / "de" / "cafe-munchen" / "quotes" / "index.html").read_text("utf-8")
    cards = quotes.split('<figure class="quote-card')[1:]
    assert cards
    for card in cards:
        words, mark, caption = (
            card.index("</blockquote>"),
            card.index("untranslated-mark"),
            card.index("<figcaption>"),
        )
        assert words < mark < caption, card
        # The venue is never translated: English, in its own span, the mark not beside it.
        assert '<span lang="en" dir="ltr">' in card[caption:]


def test_words_never_translated_carry_the_default_language_on_other_pages(german: Path) -> None:
    case = german / "de" / "cafe-munchen"
    sources = _read(case / "sources" / "index.html")
    # The two sources' titles, as listed and in the list a printed page ends with.
    assert sources.marked.count(("cite", None, "en", "ltr")) == 4
    party = (case / "parties" / "zoe-oconnor" / "index.html").read_text(encoding="utf-8")
    assert '<h1><span lang="en" dir="ltr">Zoë O&#39;Connor</span></h1>' in party  # a name
    # The role, not yet translated; the site's title.
    assert '<p class="lede"><span lang="en" dir="ltr">Owner of the café</span></p>' in party
    assert '/de/" lang="en" dir="ltr">' in party
    # Pages in the default language name no language but the page's.
    for relative, path in _pages(german):
        if not relative.startswith("de/"):
            assert _read(path).marked == [], relative
