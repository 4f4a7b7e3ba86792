"""The site in German and Arabic in a real browser: the real content (English and German) with
the Arabic translation files of `tests/fixtures/arabic/` added, and periods on its timeline
(`PERIODS`, untranslated, so marked as English) and tags on an event, built once, served as a
static host does.

On each language's overview, timeline, an event, the quotes, a quote whose words are
translated, a party and the search page: no axe-core WCAG 2.1 A/AA violation at 375 and 1280,
light and dark; no Nu HTML checker error; the content shown with JavaScript off; the first
viewport within 14 KB gzip. Searching a word of the German translation alone finds it on the
German search page and not on the English one. Typing a word on the German or Arabic search
page, the status says what was found in that language, in the plural form its count takes.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from generator.render.environment import SEARCH_CONTENT_SECURITY_POLICY
from tests.browser.conftest import (
    SCHEMES,
    WIDTHS,
    ContextFactory,
    Site,
    axe_violations,
    open_page,
    served,
    shown,
)
from tests.browser.test_budget import BUDGET, first_render
from tests.browser.test_html_validity import WASM_KEYWORD, nu_errors
from tests.conftest import REAL_CONTENT, REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

CASE = "microsoft-ireland"
ARABIC = REPO / "tests" / "fixtures" / "arabic"
LANGUAGES = ("de", "ar")
TRANSLATED_QUOTE = "carney-overdue"  # its words are translated into Arabic
GERMAN_ONLY_WORD = "Durchsuchungsbeschluss"  # in the German translation, not in English


PERIODS = """\
- id: first-instance
  title: Before the magistrate and district courts
  start: 2013-12-04
  end: 2014-09-08
  body: From the warrant to the *contempt order* that let Microsoft appeal.
  sources: [preska-order-2014-08-29]
- id: second-circuit
  title: At the Second Circuit
  start: {date: 2014-08, approximate: true}
  end: 2017-01-24
"""
"""Spans of the real case's events, for the test only: the second overlaps the first."""


@pytest.fixture(scope="session")
def languages_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content plus Arabic, built once per session; tests must not modify it."""
    from generator.build.site import build_site

    work = tmp_path_factory.mktemp("languages")
    content = work / "content"
    shutil.copytree(REAL_CONTENT, content)
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    languages = re.search(r"^languages: \[(.*)\]$", text, re.MULTILINE)
    assert languages and "ar" not in languages.group(1), "site.yaml's languages changed"
    site_yaml.write_text(
        text.replace(languages.group(0), f"languages: [{languages.group(1)}, ar]"),
        encoding="utf-8",
    )
    for sidecar in sorted(ARABIC.glob("*.ar.yaml")):
        shutil.copy(sidecar, content / "cases" / CASE / sidecar.name)
    case = content / "cases" / CASE
    (case / "periods.yaml").write_text(PERIODS, encoding="utf-8")
    events = case / "events.yaml"
    tagged = {_translated_event(language) for language in LANGUAGES}
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    for at in reversed(
        [i for i, line in enumerate(lines) if line[len("- id: ") :].strip() in tagged]
    ):
        lines.insert(at + 1, "  tags: [court-steps, warrants]\n")
    events.write_text("".join(lines), encoding="utf-8")
    output = work / "output"
    build_site(content, output)
    return output


@pytest.fixture(scope="session")
def languages_site(languages_root: Path) -> Iterator[Site]:
    with served(languages_root) as serving:
        yield serving


def _translated_event(language: str) -> str:
    """The first event with a translation in `language`'s sidecar (the real content's German
    or the fixture's Arabic)."""
    folder = REAL_CONTENT / "cases" / CASE if language != "ar" else ARABIC
    text = (folder / f"events.{language}.yaml").read_text(encoding="utf-8")
    first = re.search(r"^([a-z0-9-]+):$", text, re.MULTILINE)
    assert first, f"events.{language}.yaml translates no event"
    return first.group(1)


def language_pages(root: Path, language: str) -> dict[str, str]:
    """Page name → its path under the site's base, in `language`."""
    data = json.loads((root / language / CASE / "data.json").read_text(encoding="utf-8"))
    case = f"{language}/{CASE}"
    pages = {
        "overview": f"{case}/",
        "timeline": f"{case}/timeline/",
        "event": f"{case}/timeline/{_translated_event(language)}/",
        "quotes": f"{case}/quotes/",
        "quote": f"{case}/quotes/{TRANSLATED_QUOTE}/",
        "party": f"{case}/parties/{data['parties'][0]['id']}/",
        "search": f"{language}/search/",
    }
    for path in pages.values():
        assert (root / path / "index.html").is_file(), path
    return pages


PAGE_NAMES = ("overview", "timeline", "event", "quotes", "quote", "party", "search")


AXE_PASSES = [
    *(("ar", width, scheme) for width in WIDTHS for scheme in SCHEMES),
    ("de", 375, "dark"),
    ("de", 1280, "light"),
]
"""Arabic at every width and scheme, as its pages are laid out mirrored; German, laid out as
English is (tests/browser/test_pages.py: every width and scheme), at the two corners."""


@pytest.mark.parametrize(("language", "width", "scheme"), AXE_PASSES)
def test_axe_finds_no_violation_in_german_and_arabic(
    languages_site: Site, context_for: ContextFactory, language: str, width: int, scheme: str
) -> None:
    problems = []
    context = context_for(width, scheme)
    for path in language_pages(languages_site.root, language).values():
        page, traffic = open_page(context, languages_site, path)
        try:
            assert page.locator("html").get_attribute("lang") == language
            expected_dir = "rtl" if language == "ar" else "ltr"
            assert (page.locator("html").get_attribute("dir") or "ltr") == expected_dir, path
            problems += [f"{path}: {v}" for v in axe_violations(page)]
            problems += [f"{path}: {e}" for e in traffic.page_console_errors()]
            problems += [f"{path}: {u}" for u in traffic.failed + traffic.foreign()]
        finally:
            page.close()
    assert problems == [], "\n".join(problems)


def test_nu_html_checker_finds_no_error_in_german_and_arabic(languages_site: Site) -> None:
    root = languages_site.root
    files = [
        root / path / "index.html"
        for language in LANGUAGES
        for path in language_pages(root, language).values()
    ]
    errors = nu_errors(files, root)
    # The checker's gap on the search page's policy (see test_html_validity.py), once per
    # language's search page, whose policy's line may differ from the default's.
    message = WASM_KEYWORD.format(policy=SEARCH_CONTENT_SECURITY_POLICY).split(": ", 1)[1]
    for language in LANGUAGES:
        gap = [
            e
            for e in errors
            if e.startswith(f"/{language}/search/index.html:") and e.endswith(": " + message)
        ]
        assert len(gap) == 1, f"{language}'s search page's policy is checked: {errors}"
        errors.remove(gap[0])
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_german_and_arabic_pages_show_their_content_without_javascript(
    languages_site: Site, context_for: ContextFactory, language: str, width: int
) -> None:
    context = context_for(width, "light", javascript=False)
    pages = language_pages(languages_site.root, language)
    for name, path in pages.items():
        page, traffic = open_page(context, languages_site, path)
        try:
            h1 = page.locator("h1")
            assert h1.count() == 1 and h1.is_visible(), path
            if name == "quote":
                # Its heading is for screen readers; the words are what is seen.
                assert shown(page.locator("main blockquote").first), path
            else:
                assert shown(h1), path
            if name == "timeline":
                items = page.locator("ol.timeline > li")
                assert items.count() > 0
                hidden = [i for i, item in enumerate(items.all()) if not shown(item)]
                assert hidden == [], f"{path}: entries not shown without JavaScript: {hidden}"
                # Each period over its events, its (English) name marked as such.
                periods = page.locator(".period-title .period-name[lang='en']")
                assert periods.count() >= 2 and all(shown(p) for p in periods.all()), path
            if name == "event":
                assert shown(page.locator(".event-tags", has_text="court steps")), path
            if name == "search":
                assert shown(page.locator(".search-list a").first), path
                assert not any("/pagefind/" in r for r in traffic.requests), path
            assert traffic.failed == [] and traffic.foreign() == [], path
        finally:
            page.close()


def test_the_arabic_quote_shows_the_original_words_beside_their_translation(
    languages_site: Site, context_for: ContextFactory
) -> None:
    path = language_pages(languages_site.root, "ar")["quote"]
    page, _ = open_page(context_for(375, javascript=False), languages_site, path)
    try:
        main = page.locator("main").inner_text()
        assert "the SCA has been left behind by technology" in main
        assert "لقد تخلّف قانون الاتصالات المخزنة" in main
        # English words on an Arabic page read left to right, their ellipsis at their end.
        english = page.locator("blockquote[lang='en'][dir='ltr']", has_text="left behind")
        assert english.count() == 1 and shown(english)
    finally:
        page.close()


def test_german_and_arabic_first_render_fits_in_14_kb_gzip(
    languages_site: Site, browser: Browser
) -> None:
    site = languages_site
    failures = []
    for language in LANGUAGES:
        for path in language_pages(site.root, language).values():
            html = (site.root / path / "index.html").read_bytes()
            measured = first_render(browser, site, site.url(path), html)
            if measured.first_render_gz > BUDGET:
                failures.append((path, measured.first_render_gz))
    assert failures == [], f"over {BUDGET} bytes gzip for the first render: {failures}"


@pytest.mark.parametrize(("language", "finds"), [("de", True), ("en", False)])
def test_a_german_word_is_found_in_the_german_index_only(
    languages_site: Site, context_for: ContextFactory, language: str, finds: bool
) -> None:
    from playwright.sync_api import expect

    # In quotes, which Pagefind takes as the exact word: a word it does not hold it would
    # otherwise answer with the longest one it holds that the word starts with.
    search = "search/" if language == "en" else f"{language}/search/"
    page, traffic = open_page(
        context_for(1280), languages_site, f"{search}?q=%22{GERMAN_ONLY_WORD}%22&kind=Event"
    )
    try:
        results = page.locator("#_search-results > li")
        if finds:
            expect(results.first).to_be_visible()
            # Every page names the case, whose German title holds the word: all results in.
            while page.locator("#_search-more-row").is_visible():
                shown_before = results.count()
                page.click("#_search-more")
                expect(results).not_to_have_count(shown_before)
            addresses = [a.evaluate("a => a.href") for a in results.locator("> a").all()]
            assert addresses, "no result links"
            assert all(a.startswith(languages_site.url("de/")) for a in addresses), addresses
            # The events whose German title holds the word are among the events found.
            sidecar = REAL_CONTENT / "cases" / CASE / "events.de.yaml"
            titled = [
                languages_site.url(f"de/{CASE}/timeline/{event}/")
                for event, fields in yaml.safe_load(sidecar.read_text("utf-8")).items()
                if GERMAN_ONLY_WORD in fields.get("title", "")
            ]
            assert titled and set(titled) <= set(addresses), (titled, addresses)
        else:
            expect(page.locator("#_search-status")).to_have_text(re.compile("^Nothing found"))
            assert results.count() == 0
        assert traffic.failed == [] and traffic.foreign() == []
        assert traffic.page_console_errors() == []
    finally:
        page.close()


def _title_words(language: str) -> list[str]:
    """The longer words of the event titles `language`'s sidecar translates: words its
    search index holds, in more or fewer pages."""
    folder = REAL_CONTENT / "cases" / CASE if language != "ar" else ARABIC
    sidecar = yaml.safe_load((folder / f"events.{language}.yaml").read_text(encoding="utf-8"))
    titles = " ".join(str(fields.get("title", "")) for fields in sidecar.values())
    return sorted(set(re.findall(r"\w{5,}", titles)))


COUNT_PAGES = """async (words) => {
    const script = document.querySelector("script[src$='search.js']");
    const pagefind = await import(new URL("../pagefind/pagefind.js", script.src).href);
    await pagefind.init();
    const counts = {};
    for (const word of words) {
        counts[word] = (await pagefind.search(word)).results.length;
    }
    return counts;
}"""
"""How many pages Pagefind finds for each word, asked of it directly, not through the page."""


@pytest.mark.parametrize("language", LANGUAGES)
def test_typing_a_word_shows_the_search_status_in_the_page_s_language(
    languages_site: Site, context_for: ContextFactory, language: str
) -> None:
    """For a word of each plural form the language's grammar has among the counts found
    (CLDR's rules, as Babel gives them: German one and other; Arabic one, two, few, many),
    the status counts the pages found in that form, its number written as the language
    writes it, and names each result's kind in the language; the results pass axe."""
    from babel import Locale
    from playwright.sync_api import expect

    from generator.dates import format_number
    from generator.strings import ui_strings

    words = ui_strings(language)
    locale = Locale.parse(language)
    page, traffic = open_page(context_for(375), languages_site, f"{language}/search/")
    try:
        counts: dict[str, int] = page.evaluate(COUNT_PAGES, _title_words(language))
        if language == "de":  # the note over a page not yet translated is not indexed
            assert "Originalsprache" in words["lang.not_translated"]
            exact = '"Originalsprache"'  # in quotes, not answered by a word it starts with
            assert page.evaluate(COUNT_PAGES, [exact]) == {exact: 0}
        by_form: dict[str, tuple[str, int]] = {}
        for word, count in counts.items():
            if count:
                by_form.setdefault(locale.plural_form(count), (word, count))
        assert "one" in by_form and len(by_form) >= 2, counts
        if language == "ar":
            assert {"one", "two", "few", "many"} <= set(by_form), counts
        term = page.locator("#_search-term")
        status = page.locator("#_search-status")
        for form, (word, count) in sorted(by_form.items()):
            term.fill("")
            expect(status).to_have_text("")
            term.press_sequentially(word)
            found = words.get(f"search.status.found.{form}", words["search.status.found.other"])
            expected = found.format(count=format_number(count, language), words=word)
            expect(status).to_have_text(words["search.status.all"].format(found=expected))
        kinds = {words[key] for key in words if key.startswith("search.result.")}
        labels = [
            text.split(" · ")[0].strip()
            for text in page.locator("#_search-results > li > .meta").all_inner_texts()
        ]
        assert labels and set(labels) <= kinds, (labels, kinds)
        assert axe_violations(page) == []
        assert traffic.page_console_errors() == []
        assert traffic.failed == [] and traffic.foreign() == []
    finally:
        page.close()


class _LatinUnderArabic(HTMLParser):
    """The text of a page wholly in Latin letters whose nearest `lang` is Arabic: words in
    another language that a screen reader would read as Arabic.

    Left out: a text that also holds Arabic letters (an Arabic sentence naming someone or
    something as it is written, which the sentence's own language reads), addresses (a URL
    is in no language), and what cannot carry a `lang` of its own (the `<title>`, the
    embed code in a `<textarea>`, scripts)."""

    VOID = frozenset(
        [
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        ]
    )
    OPAQUE = frozenset({"title", "textarea", "script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        inherited = self.stack[-1][1] if self.stack else None
        self.stack.append((tag, dict(attrs).get("lang", inherited)))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.stack or any(tag in self.OPAQUE for tag, _ in self.stack):
            return
        language = self.stack[-1][1] or ""
        if not language.startswith("ar") or ARABIC_LETTER.search(data):
            return
        words = [w for w in data.split() if not ADDRESS.match(w)]
        if any(LATIN_WORD.search(w) for w in words):
            self.found.append(" ".join(data.split()))


ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
LATIN_WORD = re.compile("[A-Za-z]{3,}")
ADDRESS = re.compile(r"^\(?(https?://|www\.)")
SERVICES = frozenset({"Bluesky", "Facebook", "LinkedIn"})
"""The share links' services, named alike in every language."""


def _kept_by_the_translation() -> set[str]:
    """What the Arabic translation itself writes in Latin letters, whole (a key fact's case
    numbers as the courts write them): the page shows it as translated, rightly."""
    case = yaml.safe_load((ARABIC / "case.ar.yaml").read_text(encoding="utf-8"))
    values = [fact["value"] for fact in case.get("key_facts", [])]
    return {v for v in values if not ARABIC_LETTER.search(v)}


def test_every_arabic_page_marks_its_words_in_other_languages(languages_root: Path) -> None:
    known = SERVICES | _kept_by_the_translation()
    unmarked = []
    for page in sorted((languages_root / "ar").rglob("*.html")):
        walker = _LatinUnderArabic()
        walker.feed(page.read_text(encoding="utf-8"))
        unmarked += [
            f"{page.relative_to(languages_root)}: {text}"
            for text in walker.found
            if text not in known
        ]
    assert unmarked == [], f"{len(unmarked)} unmarked:\n" + "\n".join(unmarked[:40])


def test_a_glossary_term_s_other_forms_are_quoted_as_the_page_s_language_quotes(
    languages_root: Path,
) -> None:
    german = (languages_root / "de" / CASE / "glossary" / "index.html").read_text("utf-8")
    english = (languages_root / CASE / "glossary" / "index.html").read_text("utf-8")
    assert "Auch geschrieben: „amicus“, „Stellungnahme Dritter“" in german
    assert "“amicus”" not in german
    assert "Also written: “amicus”" in english
