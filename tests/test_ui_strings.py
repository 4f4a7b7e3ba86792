"""The site's own words per language (`generator/strings/*.yaml`), and dates, numbers and
percentages in each language's forms (`generator.dates`, with Babel's CLDR data)."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from markupsafe import escape

from generator import strings
from generator.dates import PartialDate, format_number, format_percentage
from generator.errors import ContentErrors
from generator.strings import languages_with_strings, placeholders, ui_strings
from tests.conftest import REAL_CONTENT, REPO

TEMPLATES = REPO / "templates"

LANGUAGES = ("en", "de", "fr", "es", "ar")


def test_every_shipped_language_has_a_strings_file() -> None:
    assert set(LANGUAGES) <= set(languages_with_strings())


def _plural_base(key: str) -> str:
    base, _, form = key.rpartition(".")
    return base if form in strings.PLURAL_FORMS else key


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_exactly_englishs_keys(language: str) -> None:
    """Every key of English, and beyond them only more plural forms of counted keys."""
    english = set(ui_strings("en"))
    words = set(ui_strings(language))
    assert english <= words
    extra = words - english
    assert {_plural_base(k) for k in extra} <= {_plural_base(k) for k in english}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_englishs_placeholders(language: str) -> None:
    english = ui_strings("en")
    words = ui_strings(language)
    differ = [k for k in english if placeholders(words[k]) != placeholders(english[k])]
    assert differ == []
    extra_forms = [k for k in words if k not in english]
    assert all(
        placeholders(words[k]) == placeholders(english[_plural_base(k) + ".other"])
        for k in extra_forms
    )


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_translations_are_not_english(language: str) -> None:
    english = ui_strings("en")
    words = ui_strings(language)
    assert words["nav.timeline"] != english["nav.timeline"]
    assert words["not_found.heading"] != english["not_found.heading"]


def _with_file(monkeypatch: pytest.MonkeyPatch, tmp_path, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Make the strings package read its files from `tmp_path`, with `name` holding `text`
    beside the shipped English."""
    shipped = resources.files(strings).joinpath("en.yaml").read_text(encoding="utf-8")
    (tmp_path / "en.yaml").write_text(shipped, encoding="utf-8")
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(strings.resources, "files", lambda _package: tmp_path)
    ui_strings.cache_clear()


@pytest.fixture
def fresh_cache():  # type: ignore[no-untyped-def]
    ui_strings.cache_clear()
    yield
    ui_strings.cache_clear()


def test_missing_key_names_key_and_file(monkeypatch, tmp_path, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    german = resources.files(strings).joinpath("de.yaml").read_text(encoding="utf-8")
    without = "\n".join(
        line for line in german.splitlines() if not line.startswith("nav.timeline:")
    )
    _with_file(monkeypatch, tmp_path, "de.yaml", without)
    with pytest.raises(ContentErrors) as caught:
        ui_strings("de")
    [error] = caught.value.errors
    assert error.location.file == "generator/strings/de.yaml"
    assert "has no `nav.timeline`" in error.message


def test_extra_key_and_wrong_placeholder_are_located(monkeypatch, tmp_path, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    german = resources.files(strings).joinpath("de.yaml").read_text(encoding="utf-8")
    changed = (
        german.replace(
            "event.position: Ereignis {position} von {count}", "event.position: Ereignis {n}"
        )
        + "nav.extra: Extra\n"
    )
    _with_file(monkeypatch, tmp_path, "de.yaml", changed)
    with pytest.raises(ContentErrors) as caught:
        ui_strings("de")
    by_message = {e.message: e.location for e in caught.value.errors}
    lines = changed.splitlines()
    position = by_message["`event.position` has placeholders that differ from English's"]
    assert lines[position.line - 1].startswith("event.position:")
    extra = by_message["`nav.extra` is not a key of generator/strings/en.yaml"]
    assert lines[extra.line - 1] == "nav.extra: Extra"


def test_unknown_language_names_the_missing_file(fresh_cache) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ContentErrors) as caught:
        ui_strings("xx")
    [error] = caught.value.errors
    assert "generator/strings/xx.yaml does not exist" in error.message


def test_regional_tag_speaks_its_language() -> None:
    assert ui_strings("de-CH")["nav.timeline"] == ui_strings("de")["nav.timeline"]


ENGLISH_DATES = [
    (PartialDate(2013, 12, 4), "4 December 2013"),
    (PartialDate(2013, 12), "December 2013"),
    (PartialDate(2015, approximate=True), "c. 2015"),
    (PartialDate(2014, 7, approximate=True), "c. July 2014"),
]


@pytest.mark.parametrize(("date", "text"), ENGLISH_DATES)
def test_english_dates_keep_their_forms(date: PartialDate, text: str) -> None:
    assert date.display == text
    assert date.display_in("en") == text
    assert date.display_in("en-GB") == text


def test_german_dates() -> None:
    assert PartialDate(2013, 12, 4).display_in("de") == "4. Dezember 2013"
    assert PartialDate(2013, 12).display_in("de") == "Dezember 2013"
    assert PartialDate(2015, approximate=True).display_in("de") == "ca. 2015"
    assert PartialDate(2014, 3, approximate=True).display_in("de") == "ca. März 2014"
    assert PartialDate(2013, 12, 4).within_year_in("de") == "4. Dez."
    assert PartialDate(2013, 6).within_year_in("de") == "Juni"


def test_french_and_spanish_dates() -> None:
    assert PartialDate(2013, 12, 4).display_in("fr") == "4 décembre 2013"
    assert PartialDate(2013, 12).display_in("es") == "diciembre de 2013"


def test_arabic_dates_as_cldr_gives_them() -> None:
    day = PartialDate(2013, 12, 4).display_in("ar")
    assert "ديسمبر" in day
    assert "Dec" not in day
    assert PartialDate(2015, approximate=True).display_in("ar").startswith("نحو ")
    assert PartialDate(2013, 12).display_in("ar").startswith("ديسمبر")


def test_english_within_year_keeps_its_forms() -> None:
    assert PartialDate(2013, 12, 4).within_year_in("en") == "4 Dec"
    assert PartialDate(2013, 6, approximate=True).within_year_in("en") == "c. June"
    assert PartialDate(2013).within_year_in("en") == "2013"


def test_numbers_per_language() -> None:
    assert format_number(12345, "en") == "12,345"
    assert format_number(12345, "de") == "12.345"
    assert format_number(12.5, "en") == "12.5"
    assert format_number(12.5, "de") == "12,5"


def test_percentages_per_language() -> None:
    assert format_percentage(42.5, "en") == "42.5%"
    assert format_percentage(42.0, "en") == "42%"
    assert format_percentage(42.5, "de") == "42,5\N{NO-BREAK SPACE}%"
    assert format_percentage(42.5, "fr").startswith("42,5")


def test_plural_forms_follow_each_languages_rules() -> None:
    assert strings.plural("embed.events", 1, "en") == "{count} event"
    assert strings.plural("embed.events", 0, "en") == "{count} events"
    assert strings.plural("embed.events", 2, "en") == "{count} events"
    assert strings.plural("embed.events", 1, "de") == "{count} Ereignis"
    assert strings.plural("embed.events", 7, "de") == "{count} Ereignisse"
    assert strings.plural("embed.events", 0, "fr") == "{count} événement"  # French: 0 is one
    arabic = ui_strings("ar")
    forms = {n: strings.plural("embed.events", n, "ar") for n in (0, 1, 2, 5, 11, 100)}
    assert forms == {
        0: arabic["embed.events.zero"],
        1: arabic["embed.events.one"],
        2: arabic["embed.events.two"],
        5: arabic["embed.events.few"],
        11: arabic["embed.events.many"],
        100: arabic["embed.events.other"],
    }


def test_a_form_a_language_does_not_give_falls_back_to_other() -> None:
    assert "ruling.judges.few" not in ui_strings("ar")
    assert strings.plural("ruling.judges", 5, "ar") == ui_strings("ar")["ruling.judges.other"]


def test_extra_plural_form_of_an_uncounted_key_is_an_error(
    monkeypatch, tmp_path, fresh_cache
) -> None:  # type: ignore[no-untyped-def]
    german = resources.files(strings).joinpath("de.yaml").read_text(encoding="utf-8")
    _with_file(monkeypatch, tmp_path, "de.yaml", german + "nav.timeline.few: Chroniken\n")
    with pytest.raises(ContentErrors) as caught:
        ui_strings("de")
    assert [e.message for e in caught.value.errors] == [
        "`nav.timeline.few` is not a key of generator/strings/en.yaml"
    ]


def test_extra_plural_form_keeps_the_placeholders(monkeypatch, tmp_path, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    german = resources.files(strings).joinpath("de.yaml").read_text(encoding="utf-8")
    _with_file(monkeypatch, tmp_path, "de.yaml", german + "embed.events.few: Ereignisse\n")
    with pytest.raises(ContentErrors) as caught:
        ui_strings("de")
    [error] = caught.value.errors
    assert error.message == "`embed.events.few` has placeholders that differ from English's"


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_status_has_a_label(language: str) -> None:
    from generator.models import Case

    statuses = Case.model_fields["status"].annotation.__args__  # type: ignore[union-attr]
    labels = {strings.status_label(status, language) for status in statuses}
    assert len(labels) == len(statuses)
    assert strings.status_label("ongoing", "en") == "Ongoing"
    assert strings.status_label("resolved", "de") == "Abgeschlossen"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_names_every_language_in_its_own_words(language: str) -> None:
    names = {code: ui_strings(language)[f"lang.name.{code}"] for code in LANGUAGES}
    assert names == {
        "en": "English",
        "de": "Deutsch",
        "fr": "Français",
        "es": "Español",
        "ar": "العربية",
    }


_UI_KEY = re.compile(r"""\bui\[\s*"([^"]+)"\s*\]""")
_UI_COUNTED = re.compile(r"""\bui\.count\(\s*"([^"]+)\"""")


def test_every_key_the_templates_read_is_in_english() -> None:
    english = ui_strings("en")
    templates = [p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".xml", ".txt"}]
    used: set[str] = set()
    counted: set[str] = set()
    for path in templates:
        text = path.read_text(encoding="utf-8")
        used |= set(_UI_KEY.findall(text))
        counted |= set(_UI_COUNTED.findall(text))
    assert used and counted
    assert sorted(k for k in used if k not in english) == []
    assert (
        sorted(k for k in counted if f"{k}.one" not in english or f"{k}.other" not in english) == []
    )


def test_no_template_capitalizes_or_formats_a_date_itself() -> None:
    """Dates go through `|date_text` (or a view's ready-made label), words through `ui`."""
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert ".display }}" not in text and ".display," not in text, path
        assert "|capitalize" not in text, path


PAGE_HEADINGS = {
    "timeline.html": "timeline.heading",
    "event.html": "event.back",
    "quotes.html": "quotes.heading",
    "quote.html": "quote.back",
    "parties.html": "parties.heading",
    "party.html": "party.back",
    "rulings.html": "rulings.heading",
    "ruling.html": "ruling.holding",
    "sources.html": "sources.heading",
    "glossary.html": "glossary.heading",
    "poll.html": "poll.method",
    "search.html": "search.words",
    "case.html": "case.in_brief",
    "index.html": "index.heading",
    "404.html": "not_found.heading",
}


@pytest.fixture(scope="module")
def german_pages() -> dict[str, str]:
    """One page of each kind of the real case, planned and rendered in German with every
    feature on: by template, its HTML."""
    return _pages_in("de")


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_every_page_kind_renders_in_each_language(language: str) -> None:
    words = ui_strings(language)
    pages = _pages_in(language)
    missing = {
        template: words[key]
        for template, key in PAGE_HEADINGS.items()
        if escape(words[key]) not in pages[template]
    }
    assert missing == {}


def _pages_in(language: str) -> dict[str, str]:
    from dataclasses import replace

    from generator.load.content import load_content
    from generator.plan.site import plan_site
    from generator.render.environment import make_environment
    from generator.render.page import RenderSession
    from generator.validate.content import validate_content

    content = validate_content(load_content(REAL_CONTENT))
    site = content.site.model_copy(
        update={
            "share_cards": True,
            "embeds": True,
            "search": True,
            "language": language,
            "languages": [],  # a site in that one language, its content untranslated
        }
    )
    plan = plan_site(replace(content, site=site, languages=()), language=language)
    session = RenderSession(make_environment(TEMPLATES))
    rendered: dict[str, str] = {}
    for page in plan.pages:
        if page.template.endswith(".html") and page.template not in rendered:
            rendered[page.template] = b"".join(session.render(page).parts).decode("utf-8")
    return rendered


def _english_leftovers() -> list[str]:
    """English phrases of the site's own words that German says otherwise, and that the
    real content does not itself contain (a party may be called "Supreme Court")."""
    english, german = ui_strings("en"), ui_strings("de")
    content = " ".join(
        p.read_text(encoding="utf-8") for p in REAL_CONTENT.rglob("*.yaml")
    ).casefold()
    phrases = set()
    for key, text in english.items():
        if placeholders(text) or german.get(key) == text or key.startswith("lang."):
            continue
        phrase = text.strip(" :·←→")
        if " " in phrase and len(phrase) >= 8 and phrase.casefold() not in content:
            phrases.add(phrase)
    return sorted(phrases)


def test_german_pages_show_german_headings(german_pages: dict[str, str]) -> None:
    german = ui_strings("de")
    assert set(PAGE_HEADINGS) <= set(german_pages)
    missing = {
        template: german[key]
        for template, key in PAGE_HEADINGS.items()
        if escape(german[key]) not in german_pages[template]
    }
    assert missing == {}


def test_german_pages_keep_no_english_words_of_the_site(german_pages: dict[str, str]) -> None:
    phrases = _english_leftovers()
    assert len(phrases) > 100
    left = {
        template: [p for p in phrases if escape(p) in html]
        for template, html in german_pages.items()
    }
    assert {template: found for template, found in left.items() if found} == {}


_TIME = re.compile(r"<time[^>]*>([^<]*)</time>")
ENGLISH_MONTHS = re.compile(
    r"\b(?:January|February|March|May|June|July|October|December"
    r"|Mar|Jun|Jul|Oct|Dec)\b|\bc\. "
)
"""English month names and abbreviations that German writes otherwise ("Jan." it writes
alike), and "c."."""


def test_german_pages_give_dates_in_german(german_pages: dict[str, str]) -> None:
    times = {template: _TIME.findall(html) for template, html in german_pages.items()}
    assert sum(map(len, times.values())) > 50
    assert any("Dezember 2013" in t or "Dez." in t for t in times["timeline.html"])
    english = {t: [x for x in found if ENGLISH_MONTHS.search(x)] for t, found in times.items()}
    assert {t: found for t, found in english.items() if found} == {}


def test_a_site_in_a_language_without_strings_keeps_english_words() -> None:
    """A one-language site whose `language` has no strings file builds as it always did: its
    own words in English (its `<html lang>` still says its language)."""
    from dataclasses import replace

    from generator.load.content import load_content
    from generator.plan.site import plan_site
    from generator.validate.content import validate_content

    assert strings.has_strings("de-CH") and not strings.has_strings("zh-Hant")
    content = validate_content(load_content(REAL_CONTENT))
    site = content.site.model_copy(update={"language": "zh-Hant", "languages": []})
    plan = plan_site(replace(content, site=site, languages=()))
    assert {page.context["language"] for page in plan.pages} == {"en"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_quotation_marks_enclose_the_words_once(language: str) -> None:
    """Share links take a language's quotation marks from `card.quoted`, around the words."""
    opening, closing = ui_strings(language)["card.quoted"].split("{words}")
    assert opening.strip() and closing.strip()


SEARCH_SCRIPT = TEMPLATES / "static" / "search.js"
_SCRIPT_NAME = re.compile(r"""\b(?:say|counted)\(\s*"([a-z-]+)\"""")
_SCRIPT_NAME_PREFIX = re.compile(r"""\b(?:say|counted)\(\s*`([a-z-]+-)\$\{""")
_SEARCH_CHOICE = re.compile(r"""<option value="(\w+)">""")


def _script_names(language: str) -> set[str]:
    from generator.plan.site_pages import search_script_words

    return {text.name for text in search_script_words(language)}


def test_the_search_script_reads_only_words_the_search_page_gives() -> None:
    """Every `data-` name `static/search.js` reads, literal or built from a kind (a choice
    of the search page's form, or a kind the index names), is one the plan gives the page."""
    from generator.plan.pages import PAGE_KINDS

    script = SEARCH_SCRIPT.read_text(encoding="utf-8")
    given = _script_names("en")
    literal = set(_SCRIPT_NAME.findall(script))
    assert literal
    assert sorted(n for n in literal if n not in given and f"{n}-other" not in given) == []
    choices = {v.lower() for v in _SEARCH_CHOICE.findall((TEMPLATES / "search.html").read_text())}
    indexed = {kind.search_kind.lower() for kind in PAGE_KINDS if kind.search_kind}
    assert choices and choices <= indexed
    prefixes = set(_SCRIPT_NAME_PREFIX.findall(script))
    assert {"result-", "status-in-kind-", "status-showing-kind-"} <= prefixes
    for prefix in prefixes:
        kinds = indexed if prefix == "result-" else choices
        assert sorted(k for k in kinds if f"{prefix}{k}" not in given) == [], prefix


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_gives_every_word_of_the_search_script(language: str) -> None:
    """Each key the search page's script shows has words in every language, and a key
    counted in words a form for each plural category the language's grammar has (CLDR)."""
    from babel import Locale

    from generator.plan.site_pages import SEARCH_SCRIPT_COUNTED, search_script_keys

    words = ui_strings(language)
    categories = Locale.parse(language).plural_form.tags | {"other"}
    missing = []
    for key in search_script_keys():
        if key in SEARCH_SCRIPT_COUNTED:
            missing += [
                f"{key}.{form}" for form in sorted(categories) if f"{key}.{form}" not in words
            ]
        elif not words.get(key):
            missing.append(key)
    assert missing == []
    english = _script_names("en")
    given = _script_names(language)
    assert english - given == set(), "a word the English page gives is missing"


def test_the_search_page_hands_its_script_its_words(german_pages: dict[str, str]) -> None:
    from generator.plan.site_pages import search_script_words

    html = german_pages["search.html"]
    words = search_script_words("de")
    assert words
    missing = [w.name for w in words if f' data-{w.name}="{escape(w.words)}"' not in html]
    assert missing == []
