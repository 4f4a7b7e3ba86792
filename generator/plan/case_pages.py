"""Plan the pages of one case: its overview, timeline, events, quotes, parties, rulings,
polls, sources, glossary and data, with their share cards and embeddable pages when those are on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.models import SOURCE_KINDS
from generator.plan.context import (
    CaseView,
    Link,
    QuoteView,
    SourceGroup,
    SourceView,
    source_kind_label,
)
from generator.plan.embed_pages import plan_event_embed, plan_quote_embed, plan_timeline_embeds
from generator.plan.page_contexts import (
    CaseDataContext,
    CasePageContext,
    EventPageContext,
    GlossaryPageContext,
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
    GLOSSARY_PAGE,
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
from generator.plan.quote_lists import listed, quote_filters, speaker_quotes_url
from generator.plan.share import ShareLinks, shorten
from generator.plan.share_cards import CardImage, card_image, has_card, plan_card
from generator.strings import DEFAULT_LANGUAGE, plural, ui_strings

if TYPE_CHECKING:
    from collections.abc import Iterable

    from generator.models import Site
    from generator.plan.embeds import Embed

MIN_CONTENTS = 3
"""The fewest sections for which the overview lists its contents."""
MORE_FROM_SPEAKER = 5
"""How many other quotes of the same speaker a quote page lists; the party page has all."""


def plan_case(pages: PageList, view: CaseView, site: Site) -> None:
    """Plan every page of a case, in the order its pages are listed here."""
    title = view.case.title
    case_card = card_image(view, title, site, pages.words)
    context: CasePageContext = {
        **pages.common(CASE_PAGE, view.url, title, case_card),
        "case": view,
        "contents": overview_contents(view, pages.words),
        "disagreements": _disagreements(len(view.conflicts), pages.words),
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


def overview_contents(view: CaseView, language: str = DEFAULT_LANGUAGE) -> list[Link]:
    """The sections the overview shows, in its order, each linked to its heading's id in
    `case.html` (which `tests/test_site.py` checks against the page); none when there are
    too few to need a table of contents."""
    words = ui_strings(language)
    sections = [
        ("_summary", words["case.summary"], True),
        ("_key-facts", words["case.key_facts"], bool(view.key_facts or view.case.official_name)),
        ("_questions", words["case.questions"], bool(view.case.questions)),
        ("_path", words["case.path"], bool(view.rulings)),
        ("_key-quotes", words["case.key_quotes"], bool(view.key_quotes)),
        ("_parties", words["case.who"], bool(view.sides)),
        ("_polls", words["case.polls"], bool(view.polls)),
        ("_updates", words["case.updates"], bool(view.updates)),
    ]
    entries = [Link(anchor, label, f"#{anchor}") for anchor, label, shown in sections if shown]
    return entries if len(entries) >= MIN_CONTENTS else []


def _disagreements(count: int, language: str) -> str | None:
    """The overview's line about the points on which sources disagree, or None."""
    if count == 0:
        return None
    return plural("case.disagreements", count, language).format(count=count)


def _plan_timelines(
    pages: PageList, view: CaseView, case_card: CardImage | None, embeds: list[Embed]
) -> None:
    """Plan each page of the whole timeline (with how to embed it, if `embeds`), then of
    each timeline filtered to a kind of event or to a party."""
    title, origin = view.case.title, f"case {view.slug}"
    words = ui_strings(pages.words)
    key = [view.key_timeline] if view.key_timeline is not None else []
    for timeline in [view.timeline, *key, *view.kind_filters, *view.party_filters]:
        whole = timeline is view.timeline
        name = (
            words["timeline.heading"]
            if whole
            else words["timeline.heading_filtered"].format(filter=timeline.label)
        )
        for number, page in enumerate(timeline.pages):
            page_title = f"{name}{page_of(page.nav, pages.words)} — {title}"
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
        card = card_image(event, title, site, pages.words)
        context: EventPageContext = {
            **pages.common(EVENT_PAGE, event.url, f"{event.title} — {title}", card),
            "case": view,
            "event": event,
            "share": ShareLinks(
                (event.title, " (", event.date.display_in(pages.words), ")"),
                (site.base_url, event.url),
                ui_strings(pages.words)["share.email"],
            ),
            "previous": events[index - 1] if index > 0 else None,
            "next": events[index + 1] if index + 1 < len(events) else None,
            "position": index + 1,
            "event_count": len(events),
            "embed": at_event,
        }
        pages.add(EVENT_PAGE, context, f"event {event.id}")
        if site.share_cards:
            plan_card(pages, event, title)


def _plan_quote_lists(pages: PageList, view: CaseView, case_card: CardImage | None) -> None:
    """Plan each page of the list of quotes, the key quotes on the first, then of each
    speaker's and each year's quotes (`quote_lists`)."""
    title, origin = view.case.title, f"case {view.slug}"
    words = ui_strings(pages.words)
    filters, lists = quote_filters(view, pages.words)
    for quotes in view.quote_pages:
        page_title = f"{words['quotes.heading']}{page_of(quotes.nav, pages.words)} — {title}"
        said: dict[str, str] = {}
        first = quotes.nav.number == 1
        context: QuotesPageContext = {
            **pages.common(QUOTES_PAGE, quotes.url, page_title, case_card),
            "case": view,
            "key_quotes": listed(view.key_quotes, said) if first else [],
            "after_key_quotes": bool(view.key_quotes),
            "quotes": listed(quotes.items, said),
            "nav": quotes.nav,
            "filters": filters if first else filters.linking_speakers(),
            "active": None,
            "active_url": "",
            "pictures": _with_portraits([*(view.key_quotes if first else []), *quotes.items]),
        }
        pages.add(QUOTES_PAGE, context, origin)
    linking = filters.linking_speakers()
    for quote_list in lists:
        name = quote_list.filter.label
        named = (
            words["quotes.heading_speaker"].format(speaker=name)
            if quote_list.speaker is not None
            else words["quotes.heading_year"].format(year=name)
        )
        role = quote_list.role
        for page in quote_list.pages:
            page_title = f"{named}{page_of(page.nav, pages.words)} — {title}"
            said = (
                {}
                if quote_list.speaker is None or role is None
                else {page.items[0].speaker.id: role}
            )
            context = {
                **pages.common(QUOTES_PAGE, page.url, page_title, case_card),
                "case": view,
                "key_quotes": [],
                "after_key_quotes": False,
                "quotes": listed(page.items, said),
                "nav": page.nav,
                "filters": linking,
                "active": quote_list,
                "active_url": quote_list.filter.url,
                "pictures": _with_portraits(page.items),
            }
            pages.add(QUOTES_PAGE, context, origin)


def _with_portraits(quotes: Iterable[QuoteView]) -> bool:
    """Whether a list of `quotes` shows a portrait beside one (and so links media.css)."""
    return any(q.portrait is not None for q in quotes)


def _plan_quotes(pages: PageList, view: CaseView, site: Site) -> None:
    """Plan each quote's page, with its embeddable page (before) and share card (after)
    when those are on."""
    title, quotes = view.case.title, view.quotes
    speakers = {party.id: party for party in view.parties}
    positions = {q.id: i for party in view.parties for i, q in enumerate(party.quotes)}
    for index, quote in enumerate(quotes):
        texts = quote_page_texts(quote, title, site, pages.words)
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
            "speaker_quotes_url": speaker_quotes_url(view, quote.speaker.id),
            "embed": embed,
        }
        pages.add(QUOTE_PAGE, context, f"quote {quote.id}")
        if site.share_cards:
            plan_card(pages, quote, title)


def quote_page_texts(
    quote: QuoteView, case_title: str, site: Site, language: str = DEFAULT_LANGUAGE
) -> QuotePageTexts:
    """The parts of a quote page's context made from the quote's words, in `language`'s
    quotation marks.

    `search_title` (None without search) names the page in search results by its words, as
    the page's title does but for the case, which the result names apart."""
    label = quote.speaker.label
    words = ui_strings(language)
    named = words["quote.title"].format(speaker=label, words=shorten(quote.text))
    opening, closing = words["card.quoted"].split("{words}")  # the language's quotation marks
    return {
        "page_title": f"{named} — {case_title}",
        "search_title": named if site.search else None,
        "share": ShareLinks(
            (label, ": " + opening, quote.text, closing),
            (site.base_url, quote.url),
            words["share.email"],
        ),
        "card": card_image(quote, case_title, site, language),
    }


def refresh_quote_page(page: Page, quote: QuoteView, site: Site) -> None:
    """Make the parts of a quote page's context that come from the quote's words again, in
    place, after a patch changed the words (`build.patch`)."""
    context = QUOTE_PAGE.context_of(page)
    texts = quote_page_texts(quote, context["case"].case.title, site, context["language"])
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
        **pages.common(
            PARTIES_PAGE,
            f"{view.url}parties/",
            f"{ui_strings(pages.words)['parties.heading']} — {title}",
            case_card,
        ),
        "case": view,
    }
    pages.add(PARTIES_PAGE, parties, f"case {view.slug}")
    for party in view.parties:
        # A party or ruling has a card of its own only with a picture to show on it.
        card = card_image(party, title, pages.site, pages.words) if has_card(party) else None
        context: PartyPageContext = {
            **pages.common(PARTY_PAGE, party.url, f"{party.name} — {title}", card),
            "case": view,
            "party": party,
        }
        pages.add(PARTY_PAGE, context, f"party {party.id}")
        if card is not None:
            plan_card(pages, party, title)


def _plan_rulings(pages: PageList, view: CaseView, case_card: CardImage | None) -> None:
    """Plan the list of rulings, then each ruling's page."""
    title = view.case.title
    rulings: RulingsPageContext = {
        **pages.common(
            RULINGS_PAGE,
            f"{view.url}rulings/",
            f"{ui_strings(pages.words)['rulings.heading']} — {title}",
            case_card,
        ),
        "case": view,
    }
    pages.add(RULINGS_PAGE, rulings, f"case {view.slug}")
    for ruling in view.rulings:
        card = card_image(ruling, title, pages.site, pages.words) if has_card(ruling) else None
        context: RulingPageContext = {
            **pages.common(RULING_PAGE, ruling.url, f"{ruling.title} — {title}", card),
            "case": view,
            "ruling": ruling,
        }
        pages.add(RULING_PAGE, context, f"ruling {ruling.id}")
        if card is not None:
            plan_card(pages, ruling, title)


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
    """Plan the sources page, the glossary page and the case's data."""
    title, origin = view.case.title, f"case {view.slug}"
    sources: SourcesPageContext = {
        **pages.common(
            SOURCES_PAGE,
            f"{view.url}sources/",
            f"{ui_strings(pages.words)['sources.heading']} — {title}",
            case_card,
        ),
        "case": view,
        "groups": _source_groups(view, pages.words),
    }
    pages.add(SOURCES_PAGE, sources, origin)
    _plan_glossary(pages, view, case_card)
    data: CaseDataContext = {
        **pages.common(CASE_DATA, f"{view.url}data.json", title),
        "case": view,
    }
    pages.add(CASE_DATA, data, origin)


def _source_groups(view: CaseView, language: str) -> list[SourceGroup]:
    """The case's sources by kind, in the order of the kinds, each kind in number order."""
    by_kind: dict[str, list[SourceView]] = {kind: [] for kind in SOURCE_KINDS}
    for source in view.sources:
        by_kind[source.kind].append(source)
    return [
        SourceGroup(kind, source_kind_label(kind, language), sources)
        for kind, sources in by_kind.items()
        if sources
    ]


def _plan_glossary(pages: PageList, view: CaseView, case_card: CardImage | None) -> None:
    """Plan the glossary page, when the case has terms."""
    if view.glossary_url is None:
        return
    title = view.case.title
    context: GlossaryPageContext = {
        **pages.common(
            GLOSSARY_PAGE,
            view.glossary_url,
            f"{ui_strings(pages.words)['glossary.heading']} — {title}",
            case_card,
        ),
        "case": view,
        "glossary": view.glossary,
    }
    pages.add(GLOSSARY_PAGE, context, f"case {view.slug}")
