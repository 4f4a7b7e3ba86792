"""Plan the pages of the whole site rather than of one case: the home page, the search page,
the 404 page, the sitemap, the feed and `robots.txt`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from generator.plan.context import CaseView
from generator.plan.embed_pages import EMBED_TEMPLATES
from generator.plan.page_contexts import (
    FeedContext,
    IndexPageContext,
    NotFoundPageContext,
    RobotsContext,
    SearchPageContext,
    SitemapContext,
)
from generator.plan.pages import (
    FEED,
    INDEX_PAGE,
    NOT_FOUND_PAGE,
    PAGE_KINDS,
    ROBOTS,
    SEARCH_PAGE,
    SITEMAP,
    STYLESHEET,
    PageList,
)
from generator.plan.pickling import pickled_as_arguments
from generator.strings import DEFAULT_LANGUAGE, PLURAL_FORMS, ui_strings

if TYPE_CHECKING:
    from generator.models import Site
    from generator.plan.languages import TextLanguage, Untranslated
    from generator.plan.share_cards import CardImage

SEARCH_URL = "search/"


def plan_index(pages: PageList, cases: list[CaseView], site_card: CardImage | None) -> None:
    """Plan the home page, which lists every case."""
    site = pages.site
    context: IndexPageContext = {
        **pages.common(INDEX_PAGE, pages.prefix, site.title, site_card),
        "cases": cases,
        "case": None,
    }
    pages.add(INDEX_PAGE, context, "content/site.yaml" + _in_language(pages))


def plan_search(pages: PageList, cases: list[CaseView], site_card: CardImage | None) -> None:
    """Plan the search page (with `site.search`)."""
    context: SearchPageContext = {
        **pages.common(
            SEARCH_PAGE,
            pages.prefix + SEARCH_URL,
            ui_strings(pages.words)["search.heading"],
            site_card,
        ),
        "case": None,
        "search_sections": [_search_section(view, pages.words) for view in cases],
        "search_script_words": search_script_words(pages.words),
        "search_index_parts": [],  # known once every page is planned (`plan_site`)
    }
    pages.add(SEARCH_PAGE, context, "the search page" + _in_language(pages))


def plan_not_found(pages: PageList, cases: list[CaseView]) -> None:
    """Plan the 404 page, whose links start from the base URL's path: a server shows it for
    a missing address at any depth."""
    root = _base_path(pages.site.base_url)
    context: NotFoundPageContext = {
        **pages.common(
            NOT_FOUND_PAGE, pages.prefix + "404.html", ui_strings(pages.words)["not_found.heading"]
        ),
        "root": root,
        "stylesheet": root + STYLESHEET,
        "cases": cases,
        "case": None,
    }
    pages.add(NOT_FOUND_PAGE, context, "the 404 page" + _in_language(pages))


def plan_sitemap(pages: PageList) -> None:
    """Plan the sitemap of every HTML page planned so far but the embeddable pages and the
    404 page."""
    listed = {
        p.context["url"]: p.context["alternates"]
        for p in pages.pages
        if p.template.endswith(".html")
        and not p.template.startswith(EMBED_TEMPLATES)
        and p.template != NOT_FOUND_PAGE.template
    }
    urls = sorted(listed)
    context: SitemapContext = {
        **pages.common(SITEMAP, "sitemap.xml", "Sitemap"),
        "urls": urls,
        "url_alternates": [listed[url] for url in urls] if pages.language is not None else [],
        "case": None,
    }
    pages.add(SITEMAP, context, "the sitemap")


def plan_feed(pages: PageList, cases: list[CaseView]) -> None:
    """Plan the Atom feed of every case's updates."""
    site = pages.site
    context: FeedContext = {
        **pages.common(FEED, pages.prefix + "feed.xml", site.title),
        "cases": cases,
        "case": None,
        "entries": _feed_entries(site, cases, pages.words),
    }
    pages.add(FEED, context, "the feed" + _in_language(pages))


def plan_robots(pages: PageList) -> None:
    """Plan `robots.txt`, which points to the sitemap."""
    context: RobotsContext = {
        **pages.common(ROBOTS, "robots.txt", "robots.txt"),
        "case": None,
    }
    pages.add(ROBOTS, context, "robots.txt")


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class SearchLink:
    title: str
    url: str
    detail: str | None = None
    language: TextLanguage | Untranslated | None = None
    """The title's language where it is not the page's (a name, a source's title)."""
    detail_language: TextLanguage | None = None


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class SearchGroup:
    kind: str
    label: str
    links: list[SearchLink]


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class ScriptWords:
    """One of the texts the search page's script shows, as the page hands it over: the
    attribute `data-<name>` of its `<script>` element, whose value is `words`."""

    name: str
    words: str


NARROWED_KINDS = ("quote", "event", "party", "ruling", "source")
"""The kinds a search can be narrowed to: the values of the search page's choices, lowered."""

SEARCH_SCRIPT_COUNTED = ("search.status.found",)
"""The keys of `search_script_keys` counted in words: given per plural form (`.one`, ...)."""


def search_script_keys() -> tuple[str, ...]:
    """The keys of the words the search page's script (`static/search.js`) shows: what it
    says of a search, and the kind of each page found (every kind the index names)."""
    indexed = sorted({kind.search_kind.lower() for kind in PAGE_KINDS if kind.search_kind})
    return (
        "search.status.from_disk",
        "search.status.failed",
        "search.status.nothing",
        *SEARCH_SCRIPT_COUNTED,
        "search.status.all",
        *(f"search.status.in_kind.{kind}" for kind in NARROWED_KINDS),
        *(f"search.status.showing_kind.{kind}" for kind in NARROWED_KINDS),
        *(f"search.result.{kind}" for kind in indexed),
    )


def search_script_words(language: str) -> list[ScriptWords]:
    """The words of `language` the search page's script shows, each as an attribute of its
    `<script>` element: `search.status.in_kind.quote` as `data-status-in-kind-quote`; a key
    counted in words once per form the language gives (`data-status-found-one`, ...), the
    script choosing among them by the language's plural rules."""
    words = ui_strings(language)
    given: list[ScriptWords] = []
    for key in search_script_keys():
        name = key.removeprefix("search.").replace(".", "-").replace("_", "-")
        if key in SEARCH_SCRIPT_COUNTED:
            given += [
                ScriptWords(f"{name}-{form}", words[f"{key}.{form}"])
                for form in PLURAL_FORMS
                if f"{key}.{form}" in words
            ]
        else:
            given.append(ScriptWords(name, words[key]))
    return given


class SearchSection(TypedDict):
    """A case's items as the search page lists them without scripts."""

    case_title: str
    case_url: str
    kinds: list[SearchGroup]


def _search_section(view: CaseView, language: str) -> SearchSection:
    """A case's items for the search page to list without scripts, by kind.

    Each link names its item by what the preview's patch of wording (`patch`) never changes
    (a quote by its speaker and date, not its words), so the page stays current without
    being planned again."""
    words = ui_strings(language)
    groups = [
        SearchGroup(
            "quote",
            words["search.kind.quote"],
            [
                SearchLink(
                    q.speaker.label, q.url, q.said_on.display_in(language), q.speaker.language
                )
                for q in view.quotes
            ],
        ),
        SearchGroup(
            "event",
            words["search.kind.event"],
            [
                SearchLink(e.title, e.url, e.date.display_in(language), _of(e.untranslated))
                for e in view.events
            ],
        ),
        SearchGroup(
            "party",
            words["search.kind.party"],
            [SearchLink(p.name, p.url, p.kind_label, p.name_language) for p in view.parties],
        ),
        SearchGroup(
            "ruling",
            words["search.kind.ruling"],
            [
                SearchLink(r.title, r.url, r.date.display_in(language), _of(r.untranslated))
                for r in view.rulings
            ],
        ),
        SearchGroup(
            "source",
            words["search.kind.source"],
            [
                SearchLink(s.title, s.anchor, s.publisher, s.language, s.language)
                for s in view.sources
            ],
        ),
    ]
    return {
        "case_title": view.case.title,
        "case_url": view.url,
        "kinds": [group for group in groups if group.links],
    }


def _of(mark: Untranslated | None) -> Untranslated | None:
    """An item's mark for its title: None where the title is translated."""
    return mark.of("title") if mark is not None else None


def _in_language(pages: PageList) -> str:
    """How a page's origin names its language, for collision errors ("" for the default)."""
    language = pages.language
    return f" in {language.code}" if language is not None and not language.is_default else ""


def _base_path(base_url: str) -> str:
    """The path part of base_url ("/explainers/"), for pages served at any depth like 404."""
    after_scheme = base_url.split("://", 1)[-1]
    return "/" + after_scheme.split("/", 1)[1] if "/" in after_scheme else "/"


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    url: str
    updated: str
    summary: str


def _feed_entries(
    site: Site, cases: list[CaseView], language: str = DEFAULT_LANGUAGE
) -> list[FeedEntry]:
    """One entry per dated update of every case, newest first, labelled in `language`."""
    words = ui_strings(language)
    entries = []
    for view in cases:
        for index, update in enumerate(sorted(view.case.updates, key=lambda u: u.date.sort_key)):
            label = words["case.correction" if update.kind == "correction" else "case.update"]
            entries.append(
                FeedEntry(
                    id=f"{site.base_url}{view.url}#update-{index + 1}",
                    title=f"{label}: {view.case.title}",
                    url=site.base_url + view.url,
                    updated=update.date.first_day().isoformat() + "T00:00:00Z",
                    summary=update.text,
                )
            )
    entries.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return entries
