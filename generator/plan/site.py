"""Stage 3, plan: `SiteContent` → `SitePlan`, every file of the site before any is written.

Each `Page` names its output path, the template (or serializer) that renders it and the
context it gets (`page_contexts`). URLs are folders with an `index.html`; links between
pages are relative, so the site works at a domain root, under a subpath and from disk. Two
pages planned for the same path, also when the paths differ only by case, are a
`ContentError` naming both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.errors import ContentError, ContentErrors, Location

# `X as X`: re-exported, for the modules and tests that import these names from here.
from generator.plan.case_pages import MORE_FROM_SPEAKER as MORE_FROM_SPEAKER
from generator.plan.case_pages import _nearby as _nearby
from generator.plan.case_pages import plan_case
from generator.plan.case_pages import quote_page_texts as quote_page_texts
from generator.plan.context import CaseView
from generator.plan.languages import (
    Language,
    fallback_of,
    item_marks,
    mark_untranslated,
    original_language,
    share_default_cards,
    site_languages,
    untranslated,
)
from generator.plan.media import DocumentsMade, MediaFiles
from generator.plan.pages import SEARCH_PAGE, PageList
from generator.plan.pages import Page as Page
from generator.plan.resolve import case_view
from generator.plan.search_parts import index_parts, part_folder, searched_pages
from generator.plan.share import _PERCENT_ALL as _PERCENT_ALL
from generator.plan.share import _quote as _quote
from generator.plan.share import _quote_plus as _quote_plus
from generator.plan.share_cards import CARD_TEMPLATE as CARD_TEMPLATE
from generator.plan.share_cards import card_image, plan_card
from generator.plan.share_cards import page_card_text as page_card_text
from generator.plan.site_pages import (
    plan_feed,
    plan_index,
    plan_not_found,
    plan_robots,
    plan_search,
    plan_sitemap,
)
from generator.strings import words_language
from generator.validate.content import SiteContent
from generator.validate.translations import translate


@dataclass(frozen=True)
class SitePlan:
    pages: tuple[Page, ...]
    copies: tuple[str, ...]
    """Static files copied as they are, relative to the templates' `static/` folder."""
    markdown: tuple[str, ...] = ()
    """Every distinct Markdown text the pages show, so it can be converted up front."""
    cases: tuple[CaseView, ...] = ()
    search_parts: tuple[tuple[str, ...], ...] = ()
    """The pages the search index covers, part by part (`search_parts.index_parts`), with
    `site.search`."""


def _cards_shape_text() -> bool:
    return True


def plan_site(
    content: SiteContent,
    static_files: tuple[str, ...] = (),
    media_files: MediaFiles | None = None,
    documents_made: DocumentsMade | None = None,
    language: str | None = None,
    cards_shape_text: Callable[[], bool] = _cards_shape_text,
) -> SitePlan:
    """List every page and file of the site; raise `ContentErrors` on URL collisions.
    `media_files` and `documents_made` are the files the build made of the cases' pictures
    and documents (`plan.media`). `language` is the language of the pages (their words,
    dates and numbers), by default the site's; a site whose one language has no strings
    file (`generator/strings`) speaks English, as the site's own words always did.
    `cards_shape_text` says whether share cards can be drawn in a right-to-left script
    (`render.cards.shapes_text`), asked only of a site in such a language: if not, its pages
    announce the default language's cards."""
    site = content.site
    languages = site_languages(site)
    if len(languages) == 1:
        words = words_language(site.language) if language is None else language
        pages = PageList(site, None, words)
        cases = _plan_language(pages, content, media_files, documents_made)
        in_languages = [cases]
    else:
        pages = PageList(site)
        in_languages = []
        for code in languages:
            _in_language(pages, Language(code, languages))
            translated = content if code == languages[0] else translate(content, code)
            in_languages.append(
                _plan_language(
                    pages, translated, media_files, documents_made, pages.language, cards_shape_text
                )
            )
        _in_language(pages, Language(languages[0], languages))
    plan_sitemap(pages)
    for code, cases in zip(languages, in_languages, strict=True):
        if len(languages) > 1:
            _in_language(pages, Language(code, languages))
        plan_feed(pages, cases)
    pages.language = None
    plan_robots(pages)
    _check_collisions(pages.pages)
    search: tuple[tuple[str, ...], ...] = ()
    if site.search:
        search = tuple(map(tuple, index_parts(searched_pages(pages.pages), languages)))
        _name_search_parts(pages.pages, len(search))
    every_case = tuple(view for cases in in_languages for view in cases)
    markdown = markdown_texts(content)
    return SitePlan(tuple(pages.pages), static_files, markdown, every_case, search)


def _name_search_parts(pages: list[Page], count: int) -> None:
    """Give the search pages the folders of the search index's `count` parts after the
    first, which depend on the pages of every language the index covers."""
    folders = [part_folder(number) for number in range(1, count)]
    for page in pages:
        if page.template == SEARCH_PAGE.template:
            SEARCH_PAGE.context_of(page)["search_index_parts"] = folders


def _in_language(pages: PageList, language: Language) -> None:
    """Plan the pages that follow in `language`: under its folder, in its words."""
    pages.language = language
    pages.words = words_language(language.code)


def _plan_language(
    pages: PageList,
    content: SiteContent,
    media_files: MediaFiles | None,
    documents_made: DocumentsMade | None,
    language: Language | None = None,
    cards_shape_text: Callable[[], bool] = _cards_shape_text,
) -> list[CaseView]:
    """Plan the pages of one language (of the only one for None): the home page, the
    cases', the search and 404 pages, under the language's folder, in its words
    (`pages.words`). The site's share card is the default language's: it shows the site's
    title, which is not translated."""
    site = content.site
    prefix = language.prefix if language is not None else ""
    start = len(pages.pages)
    fallback = fallback_of(content) if language is not None else frozenset()
    mark = untranslated(language) if language and fallback else None
    default_language = site_languages(site)[0]
    original = original_language(language) if language is not None else None
    cases = [
        case_view(
            case,
            media_files,
            documents_made,
            pages.words,
            prefix,
            item_marks(content, language, fallback, case.slug) if language and mark else None,
            default_language,
            language.code if language is not None else None,
            original,
        )
        for case in content.cases
    ]
    site_card = card_image(None, "", site)
    plan_index(pages, cases, site_card)
    if site.share_cards and not prefix:
        plan_card(pages, None, "")
    for view in cases:
        plan_case(pages, view, site)
    if site.search:
        plan_search(pages, cases, site_card)
    plan_not_found(pages, cases)
    if language is not None and not language.is_default:
        mark_untranslated(pages.pages[start:], fallback, language)
        if language.dir == "rtl" and site.share_cards and not cards_shape_text():
            default = {page.path: page for page in pages.pages[:start]}
            pages.pages[start:] = share_default_cards(pages.pages[start:], default, language)
    return cases


def markdown_texts(content: SiteContent) -> tuple[str, ...]:
    texts: dict[str, None] = {}
    for case in content.cases:
        texts.update(dict.fromkeys(case.prose()))
        texts.update(dict.fromkeys(t.definition for t in case.glossary))
    return tuple(texts)


def _check_collisions(pages: list[Page]) -> None:
    by_path: dict[str, list[Page]] = {}
    for page in pages:
        by_path.setdefault(page.path.casefold(), []).append(page)
    errors = [
        ContentError(
            Location(same[0].path),
            "several items would be written to the same address: "
            + ", ".join(f"{p.origin} ({p.path})" for p in same),
            "give them different ids",
        )
        for same in by_path.values()
        if len(same) > 1
    ]
    if errors:
        raise ContentErrors(errors)
