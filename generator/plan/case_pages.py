"""Plan the pages of one case: its overview, timeline, events, quotes, parties, rulings,
polls, sources and data, with their share cards and embeddable pages when those are on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.plan.context import CaseView, QuoteView
from generator.plan.embed_pages import plan_event_embed, plan_quote_embed, plan_timeline_embeds
from generator.plan.page_contexts import (
    CaseDataContext,
    CasePageContext,
    EventPageContext,
    PartiesPageContext,
    PartyPageContext,
    PollCsvContext,
    PollPageContext,
    QuotePageContext,
    QuotePageTexts,
    QuotesPageContext,
    RulingPageContext,
    RulingsPageContext,
    SourcesPageContext,
    TimelinePageContext,
)
from generator.plan.pages import (
    CASE_DATA,
    CASE_PAGE,
    EVENT_PAGE,
    PARTIES_PAGE,
    PARTY_PAGE,
    POLL_CSV,
    POLL_PAGE,
    QUOTE_PAGE,
    QUOTES_PAGE,
    RULING_PAGE,
    RULINGS_PAGE,
    SOURCES_PAGE,
    TIMELINE_PAGE,
    Page,
    PageList,
)
from generator.plan.paging import page_number, page_of
from generator.plan.share import ShareLinks, shorten
from generator.plan.share_cards import CardImage, card_image, plan_card

if TYPE_CHECKING:
    from generator.models import Site
    from generator.plan.embeds import Embed

MORE_FROM_SPEAKER = 5
"""How many other quotes of the same speaker a quote page lists; the party page has all."""


def plan_case(pages: PageList, view: CaseView, site: Site) -> None:
    """Plan every page of a case, in the order its pages are listed here."""
    title = view.case.title
    case_card = card_image(view, title, site)
    context: CasePageContext = {
        **pages.common(CASE_PAGE, view.url, title, case_card),
        "case": view,
    }
    pages.add(CASE_PAGE, context, f"case {view.slug}")
    if site.share_cards:
        plan_card(pages, view, title)
    timeline_embeds = plan_timeline_embeds(pages, view, site) if site.embeds else None
    _plan_timelines(pages, view, case_card, timeline_embeds.offered if timeline_embeds else [])
    _plan_events(pages, view, site, timeline_embeds.pages if timeline_embeds else [])
    _plan_quote_lists(pages, view, case_card)
    _plan_quotes(pages, view, site)
    _plan_parties(pages, view, case_card)
    _plan_rulings(pages, view, case_card)
    _plan_polls(pages, view)
    _plan_sources_and_data(pages, view, case_card)


def _plan_timelines(
    pages: PageList, view: CaseView, case_card: CardImage | None, embeds: list[Embed]
) -> None:
    """Plan each page of the whole timeline (with how to embed it, if `embeds`), then of
    each timeline filtered to a kind of event or to a party."""
    title, origin = view.case.title, f"case {view.slug}"
    for timeline in [view.timeline, *view.kind_filters, *view.party_filters]:
        whole = timeline is view.timeline
        name = "Timeline" if whole else f"Timeline: {timeline.label}"
        for number, page in enumerate(timeline.pages):
            page_title = f"{name}{page_of(page.nav)} — {title}"
            context: TimelinePageContext = {
                **pages.common(TIMELINE_PAGE, page.url, page_title, case_card),
                "case": view,
                "year_links": page.year_links,
                "years": page.years,
                "nav": page.nav,
                "active_filter": None if whole else timeline,
                "active_url": "" if whole else timeline.url,
                "embed": embeds[number] if whole and embeds else None,
            }
            pages.add(TIMELINE_PAGE, context, origin)


def _plan_events(pages: PageList, view: CaseView, site: Site, embeds: list[Embed]) -> None:
    """Plan each event's page, with its oEmbed answer (before) and share card (after) when
    those are on."""
    title, events = view.case.title, view.events
    for index, event in enumerate(events):
        at_event = None
        if site.embeds:
            at_event = plan_event_embed(pages, view, event, embeds[page_number(index) - 1])
        card = card_image(event, title, site)
        context: EventPageContext = {
            **pages.common(EVENT_PAGE, event.url, f"{event.title} — {title}", card),
            "case": view,
            "event": event,
            "share": ShareLinks(
                (event.title, " (", event.date.display, ")"), (site.base_url, event.url)
            ),
            "previous": events[index - 1] if index > 0 else None,
            "next": events[index + 1] if index + 1 < len(events) else None,
            "embed": at_event,
        }
        pages.add(EVENT_PAGE, context, f"event {event.id}")
        if site.share_cards:
            plan_card(pages, event, title)


def _plan_quote_lists(pages: PageList, view: CaseView, case_card: CardImage | None) -> None:
    """Plan each page of the list of quotes, the key quotes on the first."""
    title, origin = view.case.title, f"case {view.slug}"
    for quotes in view.quote_pages:
        page_title = f"Quotes{page_of(quotes.nav)} — {title}"
        context: QuotesPageContext = {
            **pages.common(QUOTES_PAGE, quotes.url, page_title, case_card),
            "case": view,
            "key_quotes": view.key_quotes if quotes.nav.number == 1 else [],
            "quotes": quotes.items,
            "nav": quotes.nav,
        }
        pages.add(QUOTES_PAGE, context, origin)


def _plan_quotes(pages: PageList, view: CaseView, site: Site) -> None:
    """Plan each quote's page, with its embeddable page (before) and share card (after)
    when those are on."""
    title, quotes = view.case.title, view.quotes
    speakers = {party.id: party for party in view.parties}
    positions = {q.id: i for party in view.parties for i, q in enumerate(party.quotes)}
    for index, quote in enumerate(quotes):
        texts = quote_page_texts(quote, title, site)
        embed = plan_quote_embed(pages, view, quote, site) if site.embeds else None
        same_speaker = speakers[quote.speaker.id].quotes
        context: QuotePageContext = {
            **pages.common(QUOTE_PAGE, quote.url, texts["page_title"], texts["card"]),
            "case": view,
            "quote": quote,
            "share": texts["share"],
            "search_title": texts["search_title"],
            "previous": quotes[index - 1] if index > 0 else None,
            "next": quotes[index + 1] if index + 1 < len(quotes) else None,
            "same_speaker": _nearby(same_speaker, positions[quote.id]),
            "same_speaker_total": len(same_speaker) - 1,
            "embed": embed,
        }
        pages.add(QUOTE_PAGE, context, f"quote {quote.id}")
        if site.share_cards:
            plan_card(pages, quote, title)


def quote_page_texts(quote: QuoteView, case_title: str, site: Site) -> QuotePageTexts:
    """The parts of a quote page's context made from the quote's words.

    `search_title` (None without search) names the page in search results by its words, as
    the page's title does but for the case, which the result names apart."""
    label = quote.speaker.label
    named = f"{label}: “{shorten(quote.text)}”"
    return {
        "page_title": f"{named} — {case_title}",
        "search_title": named if site.search else None,
        "share": ShareLinks((label, ": “", quote.text, "”"), (site.base_url, quote.url)),
        "card": card_image(quote, case_title, site),
    }


def refresh_quote_page(page: Page, quote: QuoteView, site: Site) -> None:
    """Make the parts of a quote page's context that come from the quote's words again, in
    place, after a patch changed the words (`build.patch`)."""
    context = QUOTE_PAGE.context_of(page)
    texts = quote_page_texts(quote, context["case"].case.title, site)
    context["page_title"] = texts["page_title"]
    context["search_title"] = texts["search_title"]
    context["share"] = texts["share"]
    context["card"] = texts["card"]


def _nearby(quotes: list[QuoteView], index: int) -> list[QuoteView]:
    """The speaker's other quotes closest in date to `quotes[index]`, in date order."""
    start = max(0, min(index - MORE_FROM_SPEAKER // 2, len(quotes) - MORE_FROM_SPEAKER - 1))
    around = range(start, min(len(quotes), start + MORE_FROM_SPEAKER + 1))
    return [quotes[i] for i in around if i != index]


def _plan_parties(pages: PageList, view: CaseView, case_card: CardImage | None) -> None:
    """Plan the list of parties, then each party's page."""
    title = view.case.title
    parties: PartiesPageContext = {
        **pages.common(PARTIES_PAGE, f"{view.url}parties/", f"Parties — {title}", case_card),
        "case": view,
    }
    pages.add(PARTIES_PAGE, parties, f"case {view.slug}")
    for party in view.parties:
        context: PartyPageContext = {
            **pages.common(PARTY_PAGE, party.url, f"{party.name} — {title}"),
            "case": view,
            "party": party,
        }
        pages.add(PARTY_PAGE, context, f"party {party.id}")


def _plan_rulings(pages: PageList, view: CaseView, case_card: CardImage | None) -> None:
    """Plan the list of rulings, then each ruling's page."""
    title = view.case.title
    rulings: RulingsPageContext = {
        **pages.common(RULINGS_PAGE, f"{view.url}rulings/", f"Rulings — {title}", case_card),
        "case": view,
    }
    pages.add(RULINGS_PAGE, rulings, f"case {view.slug}")
    for ruling in view.rulings:
        context: RulingPageContext = {
            **pages.common(RULING_PAGE, ruling.url, f"{ruling.title} — {title}"),
            "case": view,
            "ruling": ruling,
        }
        pages.add(RULING_PAGE, context, f"ruling {ruling.id}")


def _plan_polls(pages: PageList, view: CaseView) -> None:
    """Plan each poll's page and its results as CSV."""
    title = view.case.title
    for poll in view.polls:
        origin = f"poll {poll.id}"
        context: PollPageContext = {
            **pages.common(POLL_PAGE, poll.url, f"{poll.title} — {title}"),
            "case": view,
            "poll": poll,
        }
        pages.add(POLL_PAGE, context, origin)
        csv: PollCsvContext = {
            **pages.common(POLL_CSV, poll.csv_url, poll.title),
            "case": view,
            "poll": poll,
        }
        pages.add(POLL_CSV, csv, origin)


def _plan_sources_and_data(pages: PageList, view: CaseView, case_card: CardImage | None) -> None:
    """Plan the sources page and the case's data."""
    title, origin = view.case.title, f"case {view.slug}"
    sources: SourcesPageContext = {
        **pages.common(SOURCES_PAGE, f"{view.url}sources/", f"Sources — {title}", case_card),
        "case": view,
    }
    pages.add(SOURCES_PAGE, sources, origin)
    data: CaseDataContext = {
        **pages.common(CASE_DATA, f"{view.url}data.json", title),
        "case": view,
    }
    pages.add(CASE_DATA, data, origin)
