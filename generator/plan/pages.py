"""Pages and their kinds: each output file as planned (`Page`), what renders each kind of page
with which context (`PageKind`), and the list a plan collects its pages in (`PageList`).

A page's template and its context are chosen together: `PageList.add` takes a `PageKind` and
a context of that kind's type, so mypy checks that every page gets the context its template
reads. `PAGE_KINDS` lists every kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from generator.plan.languages import arrows, original_language
from generator.plan.page_contexts import (
    CaseDataContext,
    CasePageContext,
    CommonContext,
    EventPageContext,
    FeedContext,
    GlossaryPageContext,
    IndexPageContext,
    LanguageContext,
    NotFoundPageContext,
    OembedContext,
    PageContext,
    PartiesPageContext,
    PartyPageContext,
    PollCsvContext,
    PollPageContext,
    QuoteEmbedContext,
    QuotePageContext,
    QuotesPageContext,
    RobotsContext,
    RulingPageContext,
    RulingsPageContext,
    SearchPageContext,
    ShareCardContext,
    SitemapContext,
    SourcesPageContext,
    TimelineEmbedContext,
    TimelinePageContext,
)
from generator.strings import DEFAULT_LANGUAGE, ui_strings

if TYPE_CHECKING:
    from generator.models import Site
    from generator.plan.context import Citation
    from generator.plan.languages import Language
    from generator.plan.share_cards import CardImage

STYLESHEET = "static/style.css"

C = TypeVar(
    "C",
    IndexPageContext,
    SearchPageContext,
    NotFoundPageContext,
    SitemapContext,
    FeedContext,
    RobotsContext,
    ShareCardContext,
    CasePageContext,
    TimelinePageContext,
    EventPageContext,
    QuotesPageContext,
    QuotePageContext,
    PartiesPageContext,
    PartyPageContext,
    RulingsPageContext,
    RulingPageContext,
    PollPageContext,
    PollCsvContext,
    SourcesPageContext,
    GlossaryPageContext,
    CaseDataContext,
    TimelineEmbedContext,
    QuoteEmbedContext,
    OembedContext,
)
"""A context of one kind (one of `page_contexts.PageContext`)."""


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, what renders it, and with which context.

    `template` is a Jinja template name, or `json:data` / `csv:poll` / `png:card` for files
    that are serialized or drawn rather than templated.
    """

    path: str
    template: str
    context: PageContext = field(hash=False, compare=False)
    origin: str = ""


@dataclass(frozen=True, slots=True)
class PageKind(Generic[C]):
    """A kind of page: the template that renders it and the type of the context it gets."""

    template: str
    context: type[C]
    search_kind: str | None = None
    """The kind a search can be narrowed to (the search page's choices), for the kinds of
    page the search index covers."""
    cites: Callable[[C], Iterable[list[Citation]]] | None = None
    """The citations a page of this kind shows, list by list, as its template shows them:
    `PageList.add` makes of them the page's `cited_sources`, which a printed page ends with.
    Keep it in step with the template (`tests/browser/test_print.py` compares them)."""

    def context_of(self, page: Page) -> C:
        """`page`'s context, as a context of this kind; `ValueError` if `page` is of another."""
        if page.template != self.template:
            raise ValueError(f"{page.path} is a {page.template} page, not {self.template}")
        return cast(C, page.context)


def _case_cites(context: CasePageContext) -> Iterator[list[Citation]]:
    case = context["case"]
    yield case.summary_sources
    for _fact, sources in case.key_facts:
        yield sources
    for quote in case.key_quotes:
        yield quote.sources


def _timeline_cites(context: TimelinePageContext) -> Iterator[list[Citation]]:
    for year in context["years"]:
        for event in year.events:
            yield event.sources


def _event_cites(context: EventPageContext) -> Iterator[list[Citation]]:
    event = context["event"]
    yield event.sources
    for quote in event.quotes:
        yield quote.sources


def _quotes_cites(context: QuotesPageContext) -> Iterator[list[Citation]]:
    for listed in (*context["key_quotes"], *context["quotes"]):
        yield listed.quote.sources


def _quote_cites(context: QuotePageContext) -> Iterator[list[Citation]]:
    yield context["quote"].sources


def _party_cites(context: PartyPageContext) -> Iterator[list[Citation]]:
    party = context["party"]
    yield party.sources
    for quote in party.quotes:
        yield quote.sources


def _ruling_cites(context: RulingPageContext) -> Iterator[list[Citation]]:
    yield context["ruling"].sources


def _poll_cites(context: PollPageContext) -> Iterator[list[Citation]]:
    poll = context["poll"]
    yield poll.sources
    for question in poll.questions:
        yield question.sources


def _sources_cites(context: SourcesPageContext) -> Iterator[list[Citation]]:
    for conflict in context["case"].conflicts:
        yield conflict.sources


def _glossary_cites(context: GlossaryPageContext) -> Iterator[list[Citation]]:
    for term in context["glossary"].terms:
        yield term.sources


INDEX_PAGE = PageKind("index.html", IndexPageContext)
SEARCH_PAGE = PageKind("search.html", SearchPageContext)
NOT_FOUND_PAGE = PageKind("404.html", NotFoundPageContext)
SITEMAP = PageKind("sitemap.xml", SitemapContext)
FEED = PageKind("feed.xml", FeedContext)
ROBOTS = PageKind("robots.txt", RobotsContext)
SHARE_CARD = PageKind("png:card", ShareCardContext)
"""Drawn (`render.cards`), not templated."""
CASE_PAGE = PageKind("case.html", CasePageContext, "Case", _case_cites)
TIMELINE_PAGE = PageKind("timeline.html", TimelinePageContext, cites=_timeline_cites)
EVENT_PAGE = PageKind("event.html", EventPageContext, "Event", _event_cites)
QUOTES_PAGE = PageKind("quotes.html", QuotesPageContext, cites=_quotes_cites)
QUOTE_PAGE = PageKind("quote.html", QuotePageContext, "Quote", _quote_cites)
PARTIES_PAGE = PageKind("parties.html", PartiesPageContext)
PARTY_PAGE = PageKind("party.html", PartyPageContext, "Party", _party_cites)
RULINGS_PAGE = PageKind("rulings.html", RulingsPageContext)
RULING_PAGE = PageKind("ruling.html", RulingPageContext, "Ruling", _ruling_cites)
POLL_PAGE = PageKind("poll.html", PollPageContext, cites=_poll_cites)
POLL_CSV = PageKind("csv:poll", PollCsvContext)
"""Serialized (`render`), not templated."""
SOURCES_PAGE = PageKind("sources.html", SourcesPageContext, "Source", _sources_cites)
GLOSSARY_PAGE = PageKind("glossary.html", GlossaryPageContext, cites=_glossary_cites)
CASE_DATA = PageKind("json:data", CaseDataContext)
"""Serialized (`render`), not templated."""
TIMELINE_EMBED = PageKind("embed/timeline.html", TimelineEmbedContext)
QUOTE_EMBED = PageKind("embed/quote.html", QuoteEmbedContext)
OEMBED = PageKind("embed/oembed.txt", OembedContext)

PAGE_KINDS: tuple[PageKind[Any], ...] = (
    INDEX_PAGE,
    SEARCH_PAGE,
    NOT_FOUND_PAGE,
    SITEMAP,
    FEED,
    ROBOTS,
    SHARE_CARD,
    CASE_PAGE,
    TIMELINE_PAGE,
    EVENT_PAGE,
    QUOTES_PAGE,
    QUOTE_PAGE,
    PARTIES_PAGE,
    PARTY_PAGE,
    RULINGS_PAGE,
    RULING_PAGE,
    POLL_PAGE,
    POLL_CSV,
    SOURCES_PAGE,
    GLOSSARY_PAGE,
    CASE_DATA,
    TIMELINE_EMBED,
    QUOTE_EMBED,
    OEMBED,
)
"""Every kind of page the plan makes, one per template."""


class PageList:
    """The pages of a plan, in the order planned, each with the context every page gets."""

    def __init__(
        self, site: Site, language: Language | None = None, words: str = DEFAULT_LANGUAGE
    ) -> None:
        self.site = site
        self.language = language
        """The language of the pages planned next, on a site of several; None for one."""
        self.words = words
        """The language whose words, dates and numbers the pages planned next show
        (`generator.strings`): the page's language, or English for a one-language site
        whose language has no strings file."""
        self.pages: list[Page] = []
        self._prefixes: dict[int, tuple[str, str]] = {}
        """Per depth, shared by its pages: the way to the root, and the stylesheet's URL."""

    @property
    def prefix(self) -> str:
        """The folder of the pages planned next: "" for the default language."""
        return self.language.prefix if self.language is not None else ""

    def common(
        self,
        kind: PageKind[C],
        url: str,
        title: str,
        card: CardImage | None = None,
        canonical: str | None = None,
    ) -> CommonContext:
        """What every page at `url` gets, to start the context of a page of `kind`."""
        site = self.site
        depth = url.count("/")  # as many as in its path: a folder's page is `index.html`
        prefixes = self._prefixes.get(depth)
        if prefixes is None:
            prefixes = self._prefixes[depth] = ("../" * depth, "../" * depth + STYLESHEET)
        return {
            "site": site,
            "language": self.words,
            "root": prefixes[0],
            "url": url,
            "canonical": site.base_url + url if canonical is None else canonical,
            "page_title": title,
            "stylesheet": prefixes[1],
            "card": card,
            "search_kind": kind.search_kind if site.search else None,
            "cited_sources": [],
            **self._language_keys(url),
        }

    def _language_keys(self, url: str) -> LanguageContext:
        language = self.language
        if language is None:
            return {
                "lang": self.site.language,
                "dir": None,
                "home": "",
                "alternates": [],
                "arrows": arrows(self.site.language),
                "switcher_label": "",
                "untranslated": None,
                "original": None,
            }
        return {
            "lang": language.code,
            "dir": language.dir,
            "home": language.prefix,
            "alternates": language.alternates(url),
            "arrows": arrows(language.code),
            "switcher_label": ui_strings(self.words)["lang.switcher_label"],
            "untranslated": None,
            "original": original_language(language),
        }

    def add(self, kind: PageKind[C], context: C, origin: str) -> None:
        """Plan the page of `kind` at the context's URL (a folder's `index.html` for a URL
        ending in `/`). `origin` names what it comes from, for collision errors."""
        url = context["url"]
        path = url + "index.html" if url == "" or url.endswith("/") else url
        if kind.cites is not None:
            context["cited_sources"] = cited_sources(kind.cites(context))
        self.pages.append(Page(path, kind.template, context, origin))


def cited_sources(lists: Iterable[list[Citation]]) -> list[Citation]:
    """Each source cited in `lists` once, in the order of their numbers (the sources
    page's), so that a printed page's list reads like the citations' key."""
    by_number = {citation.number: citation for cited in lists for citation in cited}
    return [by_number[number] for number in sorted(by_number)]
