"""The words of the site's own pages in each language it speaks: `strings/<lang>.yaml`.

Each file maps flat keys (`nav.timeline`, `date.circa`) to the words readers see; English
(`en.yaml`) names every key, and every other language must give each of them, with the same
`{placeholders}`. `ui_strings(lang)` reads a language's file once per process; a missing file,
a missing or extra key or a placeholder that differs is a `UiStringsError` naming the file and
the key. The files ship with the generator (package data), so a site needs no network and no
file of its own for them.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

import yaml

from generator.errors import ContentError, ContentErrors, Location

DEFAULT_LANGUAGE = "en"
"""The language whose file names every key."""

RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})
"""Languages written from right to left (`dir="rtl"`)."""

_NAME = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")
"""CLDR's plural categories. A key counted in words is given per category: English names
`X.one` and `X.other`; a language whose grammar has more forms may add `X.zero`, `X.two`,
`X.few` or `X.many` beside them (Arabic uses all six)."""


def strings_file(language: str) -> str:
    """The file of `language`'s words, as error messages name it."""
    return f"generator/strings/{language}.yaml"


def languages_with_strings() -> tuple[str, ...]:
    """The languages that have a strings file, sorted."""
    folder = resources.files(__name__)
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def has_strings(language: str) -> bool:
    """Whether `language` (or the language of a regional tag, `de` for `de-CH`) has a strings
    file."""
    shipped = languages_with_strings()
    return language in shipped or language.split("-")[0] in shipped


def words_language(language: str) -> str:
    """The language whose words a one-language site in `language` shows: its own if it has
    a strings file, else English (as the site's own words were before there were others)."""
    return language if has_strings(language) else DEFAULT_LANGUAGE


@functools.cache
def ui_strings(language: str) -> Mapping[str, str]:
    """The words of `language`, by key; raise `ContentErrors` (located in its strings file)
    if it has none, or lacks a key English has, or has one English lacks, or a placeholder
    differs from English's."""
    if not _NAME.match(language):
        raise _error(language, 0, f"`{language}` is not a language tag (e.g. `de`, `pt-BR`)")
    found = resources.files(__name__).joinpath(f"{language}.yaml")
    base = language.split("-")[0]
    if not found.is_file() and base != language:
        return ui_strings(base)  # `de-CH` speaks as `de` unless it has words of its own
    if not found.is_file():
        known = ", ".join(languages_with_strings())
        raise _error(
            language,
            0,
            f"there are no words for `{language}`: {strings_file(language)} does not exist",
            f"languages with words: {known}",
        )
    words, lines = _read(language, found.read_text(encoding="utf-8"))
    if language != DEFAULT_LANGUAGE:
        _check_against(language, words, lines, ui_strings(DEFAULT_LANGUAGE))
    return MappingProxyType(words)


def placeholders(text: str) -> frozenset[str]:
    """The `{names}` a string's words are filled in with."""
    return frozenset(
        name for _, name, _, _ in string.Formatter().parse(text) if name is not None and name
    )


def _read(language: str, text: str) -> tuple[dict[str, str], dict[str, int]]:
    """The file's keys and words, and the line of each key."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise _error(language, line, f"cannot be read: {exc}") from None
    if not isinstance(node, yaml.MappingNode):
        raise _error(language, 1, "must be a mapping of keys to words")
    words: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(value, yaml.ScalarNode) or not isinstance(key, yaml.ScalarNode):
            raise _error(language, line, "each key must map to words on one line")
        if key.value in words:
            raise _error(language, line, f"`{key.value}` is given twice")
        words[key.value] = value.value
        lines[key.value] = line
    return words, lines


def _check_against(
    language: str, words: dict[str, str], lines: dict[str, int], english: Mapping[str, str]
) -> None:
    errors = [
        ContentError(
            Location(strings_file(language)),
            f"{strings_file(language)} has no `{key}`",
            f"add it, in {language}, for English `{english[key]}`",
        )
        for key in english
        if key not in words
    ]
    for key, text in words.items():
        if key not in english and _extra_plural_form(key, english):
            if placeholders(text) != placeholders(english[key.rsplit(".", 1)[0] + ".other"]):
                errors.append(
                    ContentError(
                        Location(strings_file(language), lines[key], 1),
                        f"`{key}` has placeholders that differ from English's",
                        "use exactly those of English's `.other` form",
                    )
                )
        elif key not in english:
            errors.append(
                ContentError(
                    Location(strings_file(language), lines[key], 1),
                    f"`{key}` is not a key of {strings_file(DEFAULT_LANGUAGE)}",
                    "remove it, or add it to English first",
                )
            )
        elif placeholders(text) != placeholders(english[key]):
            wanted = ", ".join(f"{{{n}}}" for n in sorted(placeholders(english[key]))) or "none"
            errors.append(
                ContentError(
                    Location(strings_file(language), lines[key], 1),
                    f"`{key}` has placeholders that differ from English's",
                    f"use exactly: {wanted}",
                )
            )
    if errors:
        raise ContentErrors(errors)


def _extra_plural_form(key: str, english: Mapping[str, str]) -> bool:
    """Whether `key` is a plural form English does not need (`X.few`) of a key it counts
    (`X.other`)."""
    base, _, form = key.rpartition(".")
    return form in PLURAL_FORMS and f"{base}.other" in english


def plural(key: str, count: int, language: str = DEFAULT_LANGUAGE) -> str:
    """The words of counted `key` (`X.one`, `X.other`, ...) for `count`, in the form
    `language`'s grammar takes for that number (CLDR's plural rules, through Babel), with
    `{count}` filled in by the caller; a form the language does not give falls back to
    `X.other`."""
    words = ui_strings(language)
    if is_english(language):
        form = "one" if count == 1 else "other"  # CLDR's English rule for whole numbers
    else:
        from babel import Locale  # only when needed: a one-language English site pays nothing

        form = Locale.parse(language.replace("-", "_")).plural_form(count)
    return words.get(f"{key}.{form}", words[f"{key}.other"])


def status_label(status: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A case's status ("ongoing", "resolved") as its badge says it in `language`."""
    return ui_strings(language)[f"status.{status}"]


def _error(language: str, line: int, message: str, hint: str = "") -> ContentErrors:
    column = 1 if line else 0
    return ContentErrors(
        [ContentError(Location(strings_file(language), line, column), message, hint)]
    )


def is_english(language: str) -> bool:
    """Whether `language` is English, whose dates and numbers keep the generator's own forms."""
    return language.split("-")[0].lower() == DEFAULT_LANGUAGE


def is_right_to_left(language: str) -> bool:
    """Whether `language` (a BCP 47 tag) is written from right to left."""
    return language.split("-")[0].lower() in RIGHT_TO_LEFT
