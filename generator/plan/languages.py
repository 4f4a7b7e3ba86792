"""The site in several languages: which languages, where each one's pages go, and what a
page says about its other languages.

The default language (the first of `site.languages`) is planned at the root, each other one
under `/<lang>/` with the same ids, so a page's address in another language is the same
address under that language's folder (`Alternate`). Static files and pictures are shared.
An item without a translation is shown in the default language, marked (`Untranslated`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.plan.pickling import pickled_as_arguments
from generator.strings import DEFAULT_LANGUAGE, is_right_to_left, ui_strings, words_language

if TYPE_CHECKING:
    from generator.models import Site
    from generator.plan.pages import Page
    from generator.validate.content import SiteContent


def language_name(code: str) -> str:
    """A language's name in itself, as the switcher shows it (`lang.name.<code>`, the same
    in every language's strings); the code itself for a language without one."""
    return ui_strings(DEFAULT_LANGUAGE).get(f"lang.name.{code}", code)


def site_languages(site: Site) -> tuple[str, ...]:
    """The site's languages, the default first: `languages`, else `language` alone."""
    return tuple(site.languages) or (site.language,)


def direction(language: str) -> str:
    """`rtl` for a language written right to left, else `ltr`."""
    return "rtl" if is_right_to_left(language) else "ltr"


def prefix(language: str, languages: tuple[str, ...]) -> str:
    """Where a language's pages go: the root ("") for the default, else `<lang>/`."""
    return "" if language == languages[0] else f"{language}/"


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class Arrows:
    """The arrows of links back and forward (a pager's "← Previous" and "Next →"), pointing
    the way the page's language reads."""

    back: str
    forward: str


LEFT_TO_RIGHT_ARROWS = Arrows("←", "→")
RIGHT_TO_LEFT_ARROWS = Arrows("→", "←")


def arrows(language: str) -> Arrows:
    """The arrows of links back and forward in `language`."""
    return RIGHT_TO_LEFT_ARROWS if direction(language) == "rtl" else LEFT_TO_RIGHT_ARROWS


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class Alternate:
    """A page in one of the site's languages, as a link to it."""

    language: str
    name: str
    """The language's name in itself."""
    url: str
    """Site-root-relative, like every page's `url`."""
    current: bool


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class Language:
    """One language of a multilingual site, as its pages are planned."""

    code: str
    languages: tuple[str, ...]
    """Every language of the site, the default first."""

    @property
    def prefix(self) -> str:
        return prefix(self.code, self.languages)

    @property
    def dir(self) -> str:
        return direction(self.code)

    @property
    def is_default(self) -> bool:
        return self.code == self.languages[0]

    def alternates(self, url: str) -> list[Alternate]:
        """The page at `url` (in this language) in every language of the site, this one
        included; none for a site of one language."""
        if len(self.languages) < 2:
            return []
        own = self.prefix
        path = url[len(own) :] if own and url.startswith(own) else url
        return [
            Alternate(
                code, language_name(code), prefix(code, self.languages) + path, code == self.code
            )
            for code in self.languages
        ]


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class TextLanguage:
    """The language of words on a page in another (the default language's words that are
    never translated, on a German page: a source's title, a name, a venue), for their `lang`
    and `dir`; views hold None where the words are in the page's language."""

    language: str
    dir: str


def original_language(page_language: Language) -> TextLanguage | None:
    """The mark of the default language's words on a page in `page_language`; None on a
    page in the default language."""
    if page_language.is_default:
        return None
    default = page_language.languages[0]
    return TextLanguage(default, direction(default))


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class Untranslated:
    """A page's item shown in the default language, for want of a translation."""

    language: str
    """The default language, the item's text's."""
    dir: str
    note: str
    """The visible note, in the page's language."""
    mark: str
    """The short note beside the item in a list, in the page's language."""
    page_language: str
    page_dir: str
    translated: frozenset[str] = frozenset()
    """The item's fields that are translated nonetheless (a ruling's title and outcome,
    not yet its holding): in the page's language, unmarked."""

    def of(self, field: str) -> Untranslated | None:
        """This mark for the item's `field`; None where that field is translated."""
        return None if field in self.translated else self


def untranslated(page_language: Language) -> Untranslated:
    """The mark of an item of a page in `page_language` shown in the default language."""
    default, code = page_language.languages[0], page_language.code
    words = ui_strings(words_language(code))
    note = words["lang.not_translated"].format(language=language_name(default))
    mark = words["lang.not_translated_mark"]
    return Untranslated(default, direction(default), note, mark, code, page_language.dir)


def item_marks(
    content: SiteContent, language: Language, fallback: frozenset[tuple[str, str, str]], slug: str
) -> dict[tuple[str, str], Untranslated]:
    """The mark of each item of the case `slug` that falls back to the default language
    (`fallback`), by (collection, id), each naming the fields translated nonetheless."""
    mark = untranslated(language)
    translation = content.translations.get(language.code)
    own = translation.cases.get(slug) if translation is not None else None
    marks = {}
    for case, collection, ident in fallback:
        if case != slug:
            continue
        found = own.items.get((collection, ident)) if own is not None else None
        if found is None and collection == "glossary" and translation is not None:
            found = translation.glossary.get(ident)
        translated = frozenset(found.fields) if found is not None else frozenset()
        marks[(collection, ident)] = replace(mark, translated=translated) if translated else mark
    return marks


def fallback_of(content: SiteContent) -> frozenset[tuple[str, str, str]]:
    """(case slug, collection, id) of each item `translate` left in the default language's
    words; (slug, "case", slug) for a case's own fields. Empty for content not translated."""
    return frozenset(
        (case.slug, collection, ident)
        for case in content.cases
        for collection, ident in case.fallback
    )


ITEM_OF_PAGE: Mapping[str, tuple[str, str]] = {
    "case.html": ("case", "case"),
    "event.html": ("events", "event"),
    "quote.html": ("quotes", "quote"),
    "party.html": ("parties", "party"),
    "ruling.html": ("rulings", "ruling"),
    "poll.html": ("polls", "poll"),
}
"""Per template of an item's own page: the item's collection and its context key."""


def mark_untranslated(
    pages: list[Page], fallback: frozenset[tuple[str, str, str]], language: Language
) -> None:
    """Mark each of `pages` (of `language`) whose own item fell back to the default
    language's words, for its template to show them as such."""
    if not fallback:
        return
    mark = untranslated(language)
    for page in pages:
        item = ITEM_OF_PAGE.get(page.template)
        if item is None:
            continue
        collection, key = item
        view = page.context[key]  # type: ignore[literal-required]
        slug = page.context["case"].slug  # type: ignore[typeddict-item, union-attr]
        ident = view.slug if collection == "case" else view.id
        if (slug, collection, ident) in fallback:
            page.context["untranslated"] = mark


def share_default_cards(
    pages: list[Page], default_pages: Mapping[str, Page], language: Language
) -> list[Page]:
    """`pages` (of a right-to-left `language`) announcing the default language's share
    cards, and without cards of their own: for a build whose Pillow lacks Raqm, which alone
    joins and orders a right-to-left script's letters on a card."""
    own = language.prefix
    kept = []
    for page in pages:
        if page.template == "png:card":
            continue
        default = default_pages.get(page.path[len(own) :])
        if page.context["card"] is not None:
            page.context["card"] = default.context["card"] if default is not None else None
        kept.append(page)
    return kept
