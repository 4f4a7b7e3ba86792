"""Pages and their kinds: each output file as planned (`Page`), what renders each kind of page
with which context (`PageKind`), and the list a plan collects its pages in (`PageList`).

A page's template and its context are chosen together: `PageList.add` takes a `PageKind` and
a context of that kind's type, so mypy checks that every page gets the context its template
reads. `PAGE_KINDS` lists every kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from generator.plan.page_contexts import (
    CaseDataContext,
    CasePageContext,
    CommonContext,
    EventPageContext,
    FeedContext,
    GlossaryPageContext,
    IndexPageContext,
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

if TYPE_CHECKING:
    from generator.models import Site
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

    def context_of(self, page: Page) -> C:
        """`page`'s context, as a context of this kind; `ValueError` if `page` is of another."""
        if page.template != self.template:
            raise ValueError(f"{page.path} is a {page.template} page, not {self.template}")
        return cast(C, page.context)


INDEX_PAGE = PageKind("index.html", IndexPageContext)
SEARCH_PAGE = PageKind("search.html", SearchPageContext)
NOT_FOUND_PAGE = PageKind("404.html", NotFoundPageContext)
SITEMAP = PageKind("sitemap.xml", SitemapContext)
FEED = PageKind("feed.xml", FeedContext)
ROBOTS = PageKind("robots.txt", RobotsContext)
SHARE_CARD = PageKind("png:card", ShareCardContext)
"""Drawn (`render.cards`), not templated."""
CASE_PAGE = PageKind("case.html", CasePageContext, "Case")
TIMELINE_PAGE = PageKind("timeline.html", TimelinePageContext)
EVENT_PAGE = PageKind("event.html", EventPageContext, "Event")
QUOTES_PAGE = PageKind("quotes.html", QuotesPageContext)
QUOTE_PAGE = PageKind("quote.html", QuotePageContext, "Quote")
PARTIES_PAGE = PageKind("parties.html", PartiesPageContext)
PARTY_PAGE = PageKind("party.html", PartyPageContext, "Party")
RULINGS_PAGE = PageKind("rulings.html", RulingsPageContext)
RULING_PAGE = PageKind("ruling.html", RulingPageContext, "Ruling")
POLL_PAGE = PageKind("poll.html", PollPageContext)
POLL_CSV = PageKind("csv:poll", PollCsvContext)
"""Serialized (`render`), not templated."""
SOURCES_PAGE = PageKind("sources.html", SourcesPageContext, "Source")
GLOSSARY_PAGE = PageKind("glossary.html", GlossaryPageContext)
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

    def __init__(self, site: Site) -> None:
        self.site = site
        self.pages: list[Page] = []
        self._prefixes: dict[int, tuple[str, str]] = {}
        """Per depth, shared by its pages: the way to the root, and the stylesheet's URL."""

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
            "root": prefixes[0],
            "url": url,
            "canonical": site.base_url + url if canonical is None else canonical,
            "page_title": title,
            "stylesheet": prefixes[1],
            "card": card,
            "search_kind": kind.search_kind if site.search else None,
        }

    def add(self, kind: PageKind[C], context: C, origin: str) -> None:
        """Plan the page of `kind` at the context's URL (a folder's `index.html` for a URL
        ending in `/`). `origin` names what it comes from, for collision errors."""
        url = context["url"]
        path = url + "index.html" if url == "" or url.endswith("/") else url
        self.pages.append(Page(path, kind.template, context, origin))
