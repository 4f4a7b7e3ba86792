"""The site in several languages: which languages, where each one's pages go, and what a
page says about its other languages.

The default language (the first of `site.languages`) is planned at the root, each other one
under `/<lang>/` with the same ids, so a page's address in another language is the same
address under that language's folder (`Alternate`). Static files and pictures are shared.
An item without a translation is shown in the default language, marked (`Untranslated`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.models import Site
    from generator.plan.pages import Page
    from generator.validate.content import SiteContent

RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})
"""Languages written right to left: their pages get `dir="rtl"`."""

NAMES: Mapping[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
}
"""Each language's name in itself, as the switcher shows it."""

# These few strings belong with the other UI strings (`generator/strings/<lang>.yaml`) once
# those exist; the keys are the ones they are to have there.
STRINGS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "language.switcher": "Language",
        "language.untranslated": "Not yet translated: shown in {language}.",
        "language.untranslated_mark": "not yet translated",
        "language.translated_by": "Translated by {who}, {date}",
    },
    "de": {
        "language.switcher": "Sprache",
        "language.untranslated": "Noch nicht übersetzt: auf {language} angezeigt.",
        "language.untranslated_mark": "noch nicht übersetzt",
        "language.translated_by": "Übersetzt von {who}, {date}",
    },
    "fr": {
        "language.switcher": "Langue",
        "language.untranslated": "Pas encore traduit : affiché en {language}.",
        "language.untranslated_mark": "pas encore traduit",
        "language.translated_by": "Traduit par {who}, {date}",
    },
    "es": {
        "language.switcher": "Idioma",
        "language.untranslated": "Aún sin traducir: se muestra en {language}.",
        "language.untranslated_mark": "aún sin traducir",
        "language.translated_by": "Traducido por {who}, {date}",
    },
    "ar": {
        "language.switcher": "اللغة",
        "language.untranslated": "لم تُترجم بعد: معروضة باللغة {language}.",
        "language.untranslated_mark": "لم تُترجم بعد",
        "language.translated_by": "ترجمة {who}، {date}",
    },
}


def ui_string(language: str, key: str) -> str:
    """A string of this module's few in `language`, English for a language without them."""
    return STRINGS.get(language, STRINGS["en"])[key]


def site_languages(site: Site) -> tuple[str, ...]:
    """The site's languages, the default first: `languages`, else `language` alone."""
    return tuple(site.languages) or (site.language,)


def direction(language: str) -> str:
    """`rtl` for a language written right to left, else `ltr`."""
    return "rtl" if language.split("-", 1)[0] in RIGHT_TO_LEFT else "ltr"


def prefix(language: str, languages: tuple[str, ...]) -> str:
    """Where a language's pages go: the root ("") for the default, else `<lang>/`."""
    return "" if language == languages[0] else f"{language}/"


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


@dataclass(frozen=True, slots=True)
class Alternate:
    """A page in one of the site's languages, as a link to it."""

    language: str
    name: str
    """The language's name in itself."""
    url: str
    """Site-root-relative, like every page's `url`."""
    current: bool


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
                code, NAMES.get(code, code), prefix(code, self.languages) + path, code == self.code
            )
            for code in self.languages
        ]


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


def untranslated(page_language: Language) -> Untranslated:
    """The mark of an item of a page in `page_language` shown in the default language."""
    default, code = page_language.languages[0], page_language.code
    note = ui_string(code, "language.untranslated").format(language=NAMES.get(default, default))
    mark = ui_string(code, "language.untranslated_mark")
    return Untranslated(default, direction(default), note, mark, code, page_language.dir)


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
    cards, and without cards of their own: a card's text is drawn a glyph at a time, which
    cannot join and order a right-to-left script's letters."""
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
