"""The site's own words per language (`generator/strings/*.yaml`), and dates, numbers and
percentages in each language's forms (`generator.dates`, with Babel's CLDR data)."""

from __future__ import annotations

from importlib import resources

import pytest

from generator import strings
from generator.dates import PartialDate, format_number, format_percentage
from generator.errors import ContentErrors
from generator.strings import languages_with_strings, placeholders, ui_strings

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
