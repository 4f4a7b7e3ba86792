"""The context of each kind of page: what its template (or serializer) is given.

One `TypedDict` per kind of page, so that mypy checks every context the plan builds, and so
that a template can name, in its first line, the context it reads (`pages.PageKind` ties
each template to its context; `tests/test_template_contexts.py` checks the names). Values
are the views of `context`, resolved and sorted: templates only display.

Every context has `CommonContext`'s keys; a page of a case has its `CaseView` as `case`, a
page of the whole site has None there (a share card has no `case`: it names its item).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from generator.models import Site
    from generator.plan.context import (
        CaseView,
        Citation,
        EventView,
        GlossaryView,
        Link,
        PartyView,
        PollView,
        QuoteView,
        RulingView,
        SourceGroup,
        Timeline,
        TimelinePage,
        YearGroup,
        YearLink,
    )
    from generator.plan.embeds import Embed, EmbedLink
    from generator.plan.languages import Alternate, Arrows, TextLanguage, Untranslated
    from generator.plan.paging import PageNav
    from generator.plan.quote_lists import ListedQuote, QuoteFilters, QuoteList
    from generator.plan.share import ShareLinks
    from generator.plan.share_cards import CardImage, CardItem
    from generator.plan.site_pages import FeedEntry, ScriptWords, SearchSection


class LanguageContext(TypedDict):
    """What every page gets of the site's languages (`plan.languages`)."""

    lang: str
    """The page's language (BCP 47), its `<html lang>`."""
    dir: str | None
    """`ltr` or `rtl` on a site of several languages; None on a site of one (no attribute)."""
    home: str
    """The page's language's home, root-relative: "" for the default, `<lang>/` for another."""
    alternates: list[Alternate]
    """The same page in each language of the site (its own marked current); empty on a
    site of one language."""
    arrows: Arrows
    """The arrows of links back and forward, pointing the way the language reads."""
    switcher_label: str
    """The language switcher's name, in the page's language ("" on a site of one)."""
    untranslated: Untranslated | None
    """Set when the page's item has no translation into the page's language and is shown
    in the default language's words."""
    original: TextLanguage | None
    """The default language's mark on a page in another, for the site's words that are never
    translated (its title, description, publisher); None on a page in the default language."""


class CommonContext(LanguageContext):
    """What every page gets (`pages.PageList.common`)."""

    site: Site
    language: str
    """The language the page is in (BCP 47), whose words the template's `ui` gives and
    whose forms its dates take."""
    root: str
    """The way from the page's folder back to the site root (`../../`); for the 404 page,
    which is served at any depth, the path of the base URL."""
    url: str
    """The page's own URL, site-root-relative."""
    canonical: str
    """The page's absolute URL; an embeddable page's is its full page's."""
    page_title: str
    stylesheet: str
    """The stylesheet's URL, relative like `root`."""
    card: CardImage | None
    """The share card the page's head announces, if any."""
    search_kind: str | None
    """The kind a search can be narrowed to that the page belongs to (`pages.PageKind`),
    None for a page the search index leaves out or without search."""
    cited_sources: list[Citation]
    """Every source the page cites, once each, in number order, for the list a printed page
    ends with (`pages.PageList.add`, from its kind's `cites`); empty for other pages."""


class SiteWideContext(CommonContext):
    """A page of the whole site rather than of one case."""

    case: None


class InCaseContext(CommonContext):
    """A page of one case."""

    case: CaseView


class IndexPageContext(SiteWideContext):
    """`index.html`: the home page, listing every case."""

    cases: list[CaseView]


class SearchPageContext(SiteWideContext):
    """`search.html`: the search page, with every case's items listed for readers without
    scripts."""

    search_sections: list[SearchSection]
    search_script_words: list[ScriptWords]
    """The words the page's script shows, in the page's language, for its `<script>`
    element's `data-` attributes (`site_pages.search_script_words`)."""
    search_index_parts: list[str]
    """The folders, inside the search bundle, of the index's parts after the first, which
    the page's script merges into it (`search_parts`); none for a site of one part."""


class NotFoundPageContext(SiteWideContext):
    """`404.html`: served for any missing address, so its `root` is the base URL's path."""

    cases: list[CaseView]


class SitemapContext(SiteWideContext):
    """`sitemap.xml`: every HTML page's URL but embeddable pages' and the 404 page's."""

    urls: list[str]
    url_alternates: list[list[Alternate]]
    """Per URL of `urls`, the same page in each language; empty on a site of one."""


class FeedContext(SiteWideContext):
    """`feed.xml`: an Atom entry per dated update of every case."""

    cases: list[CaseView]
    entries: list[FeedEntry]


class RobotsContext(SiteWideContext):
    """`robots.txt`: nothing beyond what every page gets."""


class ShareCardContext(CommonContext):
    """`png:card`: a share card, drawn rather than templated (`share_cards`)."""

    item: CardItem
    """What the card shows: a quote, an event, a case, or None for the site's card."""
    case_title: str


class CasePageContext(InCaseContext):
    """`case.html`: the case's overview."""

    contents: list[Link]
    """The overview's sections, in order, each linked to its heading (`#_summary`)."""
    disagreements: str | None
    """"Sources disagree on 3 points", for the line that leads to them on the sources page;
    None when sources agree."""


class TimelinePageContext(InCaseContext):
    """`timeline.html`: one page of the timeline, whole or filtered to a kind or a party."""

    year_links: list[YearLink]
    years: list[YearGroup]
    nav: PageNav
    active_filter: Timeline | None
    """The filtered timeline this page belongs to; None for the whole timeline."""
    active_url: str
    """The filtered timeline's URL, for the filter links to mark; empty for the whole one."""
    embed: Embed | None
    """How to embed this page of the whole timeline, with embeds on."""


class EventPageContext(InCaseContext):
    """`event.html`: one event, between the events before and after it."""

    event: EventView
    share: ShareLinks
    previous: EventView | None
    next: EventView | None
    position: int
    """Where the event falls among the case's events in date order, from 1."""
    event_count: int
    """How many events the case has."""
    embed: Embed | None
    """How to embed the timeline at this event, with embeds on."""


class QuotesPageContext(InCaseContext):
    """`quotes.html`: one page of the case's quotes, the key quotes on the first; or of one
    speaker's or one year's quotes (`quote_lists`)."""

    key_quotes: list[ListedQuote]
    after_key_quotes: bool
    """Whether the list of all quotes follows the case's key quotes (shown on its first
    page): it is then headed as the quotes besides them."""
    quotes: list[ListedQuote]
    nav: PageNav
    filters: QuoteFilters
    """The links to each speaker's and each year's quotes."""
    active: QuoteList | None
    """The speaker's or year's list this page belongs to; None for the list of all quotes."""
    active_url: str
    """That list's URL, for the filter links to mark; empty for the list of all quotes."""
    pictures: bool
    """Whether a quote listed shows its speaker's portrait (the page then links media.css)."""


class QuotePageTexts(TypedDict):
    """The parts of a quote page's context made from the quote's words
    (`case_pages.quote_page_texts`)."""

    page_title: str
    search_title: str | None
    """Names the page in search results by its words (None without search)."""
    share: ShareLinks
    card: CardImage | None


class QuotePageContext(InCaseContext):
    """`quote.html`: one quote, between the quotes before and after it, with more of its
    speaker's."""

    quote: QuoteView
    share: ShareLinks
    search_title: str | None
    """Names the page in search results by its words (None without search)."""
    previous: QuoteView | None
    next: QuoteView | None
    same_speaker: list[QuoteView]
    """The speaker's other quotes nearest in date (`case_pages.MORE_FROM_SPEAKER`)."""
    same_speaker_total: int
    """How many other quotes the speaker has in the case."""
    speaker_quotes_url: str
    """The list of the speaker's quotes (`quote_lists`)."""
    embed: Embed | None


class PartiesPageContext(InCaseContext):
    """`parties.html`: the case's parties, by side."""


class PartyPageContext(InCaseContext):
    """`party.html`: one party, with what it said and took part in."""

    party: PartyView


class RulingsPageContext(InCaseContext):
    """`rulings.html`: the case's rulings, in date order."""


class RulingPageContext(InCaseContext):
    """`ruling.html`: one ruling."""

    ruling: RulingView


class PollPageContext(InCaseContext):
    """`poll.html`: one poll, its method and its results."""

    poll: PollView


class PollCsvContext(InCaseContext):
    """`csv:poll`: a poll's results as CSV, serialized rather than templated."""

    poll: PollView


class SourcesPageContext(InCaseContext):
    """`sources.html`: every source of the case, with what cites it, grouped by kind, and
    where the sources disagree."""

    groups: list[SourceGroup]
    """The case's sources by kind, in the order of `models.SOURCE_KINDS`, kinds without a
    source left out; each group in number order."""


class GlossaryPageContext(InCaseContext):
    """`glossary.html`: the case's glossary, its own terms and the site-wide ones."""

    glossary: GlossaryView


class CaseDataContext(InCaseContext):
    """`json:data`: the case as open data, serialized rather than templated."""


class TimelineEmbedContext(InCaseContext):
    """`embed/timeline.html`: one page of a view of the timeline (every event, the key
    events, one year), for other sites' frames."""

    full_url: str
    """The timeline page this one is a copy of."""
    heading: str
    """The view's heading: `Timeline: <case>`, `Key events: <case>`, `<case> in 2014`."""
    views: list[EmbedLink]
    """The key events and every event, to switch between within the frame; empty when the
    case marks no key event."""
    page: TimelinePage


class QuoteEmbedContext(InCaseContext):
    """`embed/quote.html`: one quote, for other sites' frames."""

    full_url: str
    """The quote's own page."""
    quote: QuoteView


class OembedContext(InCaseContext):
    """`embed/oembed.txt`: the oEmbed answer of an embeddable page, or of an event's place
    in the embedded timeline."""

    embed: Embed


PageContext = (
    IndexPageContext
    | SearchPageContext
    | NotFoundPageContext
    | SitemapContext
    | FeedContext
    | RobotsContext
    | ShareCardContext
    | CasePageContext
    | TimelinePageContext
    | EventPageContext
    | QuotesPageContext
    | QuotePageContext
    | PartiesPageContext
    | PartyPageContext
    | RulingsPageContext
    | RulingPageContext
    | PollPageContext
    | PollCsvContext
    | SourcesPageContext
    | GlossaryPageContext
    | CaseDataContext
    | TimelineEmbedContext
    | QuoteEmbedContext
    | OembedContext
)
"""The context of any page (`pages.Page.context`)."""
