"""Stage 3, plan: `SiteContent` → `SitePlan`, every file of the site before any is written.

Each `Page` names its output path, the template (or serializer) that renders it and the
context it gets. URLs are folders with an `index.html`; links between pages are relative,
so the site works at a domain root, under a subpath and from disk. Two pages planned for the
same path, also when the paths differ only by case, are a `ContentError` naming both.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.errors import ContentError, ContentErrors, Location
from generator.models import Site
from generator.plan.card_text import (
    CARD_HEIGHT,
    CARD_WIDTH,
    CardText,
    alt_text,
    case_card_text,
    event_card_text,
    quote_card_text,
    site_card_text,
)
from generator.plan.context import (
    OEMBED_FILE,
    QUOTE_EMBED_HEIGHT,
    TIMELINE_EMBED_HEIGHT,
    CaseView,
    Embed,
    EventView,
    Link,
    QuoteView,
    TimelinePage,
    case_view,
    embed_url,
    quote_label,
    timeline_of,
)
from generator.plan.paging import PageNav, page_number
from generator.validate.content import SiteContent

STYLESHEET = "static/style.css"
CARD_FILE = "card.png"
"""A share card: a quote's or an event's in its page's folder, a case's in the case's folder
(for its overview and lists), the site's at the root (for the home and search pages)."""
CARD_TEMPLATE = "png:card"
"""The template name of a share card: drawn (`cards`), not templated."""
SEARCH_URL = "search/"
SEARCH_KINDS = {
    "case.html": "Case",
    "quote.html": "Quote",
    "event.html": "Event",
    "party.html": "Party",
    "ruling.html": "Ruling",
    "sources.html": "Source",
}
"""The pages the search index covers, by template, with the kind a search can be narrowed to
(the search page's choices): the items' own pages, and each case's overview and sources."""


@dataclass(frozen=True)
class Page:
    """One output file: where it goes, what renders it, and with which context.

    `template` is a Jinja template name, or `json:data` / `csv:poll` / `png:card` for files
    that are serialized or drawn rather than templated.
    """

    path: str
    template: str
    context: dict[str, Any] = field(hash=False, compare=False)
    origin: str = ""


@dataclass(frozen=True)
class SitePlan:
    pages: tuple[Page, ...]
    copies: tuple[str, ...]
    """Static files copied as they are, relative to the templates' `static/` folder."""
    markdown: tuple[str, ...] = ()
    """Every distinct Markdown text the pages show, so it can be converted up front."""
    cases: tuple[CaseView, ...] = ()


def plan_site(content: SiteContent, static_files: tuple[str, ...] = ()) -> SitePlan:
    """List every page and file of the site; raise `ContentErrors` on URL collisions."""
    site = content.site
    cases = [case_view(case) for case in content.cases]
    pages: list[Page] = []
    prefixes: dict[int, tuple[str, str]] = {}  # per depth, shared by its pages: root, stylesheet

    def add(url: str, template: str, title: str, origin: str, **context: Any) -> None:
        path = url + "index.html" if url == "" or url.endswith("/") else url
        depth = path.count("/")
        if depth not in prefixes:
            prefixes[depth] = ("../" * depth, "../" * depth + STYLESHEET)
        root, stylesheet = prefixes[depth]
        pages.append(
            Page(
                path,
                template,
                {
                    "site": site,
                    "root": root,
                    "url": url,
                    "canonical": site.base_url + url,
                    "page_title": title,
                    "stylesheet": stylesheet,
                    "card": None,
                    "search_kind": SEARCH_KINDS.get(template) if site.search else None,
                    **context,
                },
                origin,
            )
        )

    site_card = card_image(None, "", site)
    add("", "index.html", site.title, "content/site.yaml", cases=cases, case=None, card=site_card)
    if site.share_cards:
        _plan_card(None, "", add)
    for view in cases:
        _plan_case(view, add, site)
    if site.search:
        add(
            SEARCH_URL,
            "search.html",
            "Search",
            "the search page",
            case=None,
            search_sections=[_search_section(view) for view in cases],
            card=site_card,
        )
    add("404.html", "404.html", "Page not found", "the 404 page", cases=cases, case=None)
    pages[-1].context["root"] = _base_path(site.base_url)
    pages[-1].context["stylesheet"] = _base_path(site.base_url) + STYLESHEET
    sitemap_urls = sorted(
        p.context["url"]
        for p in pages
        if p.template.endswith(".html")
        and not p.template.startswith(EMBED_TEMPLATES)
        and p.path != "404.html"
    )
    add("sitemap.xml", "sitemap.xml", "Sitemap", "the sitemap", urls=sitemap_urls, case=None)
    add(
        "feed.xml",
        "feed.xml",
        site.title,
        "the feed",
        cases=cases,
        case=None,
        entries=_feed_entries(site, cases),
    )
    add("robots.txt", "robots.txt", "robots.txt", "robots.txt", case=None)
    _check_collisions(pages)
    return SitePlan(tuple(pages), static_files, _markdown_texts(content), tuple(cases))


def _markdown_texts(content: SiteContent) -> tuple[str, ...]:
    texts: dict[str, None] = {}
    for case in content.cases:
        fields = [case.case.summary]
        fields += [u.text for u in case.case.updates] + [c.text for c in case.case.conflicts]
        fields += [p.summary for p in case.parties if p.summary]
        fields += [r.holding for r in case.rulings] + [e.body for e in case.events]
        fields += [q.context for q in case.quotes if q.context]
        fields += [p.summary for p in case.polls if p.summary]
        texts.update(dict.fromkeys(fields))
    return tuple(texts)


def _plan_case(view: CaseView, add: Any, site: Site) -> None:
    base_url = site.base_url
    base = view.url
    origin = f"case {view.slug}"
    title = view.case.title
    case_card = card_image(view, title, site)
    add(base, "case.html", title, origin, case=view, card=case_card)
    if site.share_cards:
        _plan_card(view, title, add)
    timeline_embeds = _plan_timeline_embeds(view, add, site) if site.embeds else []
    for timeline in [view.timeline, *view.kind_filters, *view.party_filters]:
        whole = timeline is view.timeline
        name = "Timeline" if whole else f"Timeline: {timeline.label}"
        for number, page in enumerate(timeline.pages):
            add(
                page.url,
                "timeline.html",
                f"{name}{_page_of(page.nav)} — {title}",
                origin,
                case=view,
                year_links=page.year_links,
                years=page.years,
                nav=page.nav,
                active_filter=None if whole else timeline,
                active_url="" if whole else timeline.url,
                embed=timeline_embeds[number] if whole and timeline_embeds else None,
                card=case_card,
            )
    for index, event in enumerate(view.events):
        at_event = None
        if site.embeds:
            at_event = _plan_event_embed(view, event, timeline_embeds[page_number(index) - 1], add)
        add(
            event.url,
            "event.html",
            f"{event.title} — {title}",
            f"event {event.id}",
            case=view,
            event=event,
            share=ShareLinks((event.title, " (", event.date.display, ")"), (base_url, event.url)),
            previous=view.events[index - 1] if index > 0 else None,
            next=view.events[index + 1] if index + 1 < len(view.events) else None,
            embed=at_event,
            card=card_image(event, title, site),
        )
        if site.share_cards:
            _plan_card(event, title, add)
    for quotes in view.quote_pages:
        add(
            quotes.url,
            "quotes.html",
            f"Quotes{_page_of(quotes.nav)} — {title}",
            origin,
            case=view,
            key_quotes=view.key_quotes if quotes.nav.number == 1 else [],
            quotes=quotes.items,
            nav=quotes.nav,
            card=case_card,
        )
    speakers = {party.id: party for party in view.parties}
    positions = {q.id: i for party in view.parties for i, q in enumerate(party.quotes)}
    for index, quote in enumerate(view.quotes):
        texts = quote_page_texts(quote, title, site)
        embed = _plan_quote_embed(view, quote, add, site) if site.embeds else None
        add(
            quote.url,
            "quote.html",
            texts["page_title"],
            f"quote {quote.id}",
            case=view,
            quote=quote,
            share=texts["share"],
            card=texts["card"],
            search_title=texts["search_title"],
            previous=view.quotes[index - 1] if index > 0 else None,
            next=view.quotes[index + 1] if index + 1 < len(view.quotes) else None,
            same_speaker=_nearby(speakers[quote.speaker.id].quotes, positions[quote.id]),
            same_speaker_total=len(speakers[quote.speaker.id].quotes) - 1,
            embed=embed,
        )
        if site.share_cards:
            _plan_card(quote, title, add)
    add(f"{base}parties/", "parties.html", f"Parties — {title}", origin, case=view, card=case_card)
    for party in view.parties:
        add(
            party.url,
            "party.html",
            f"{party.name} — {title}",
            f"party {party.id}",
            case=view,
            party=party,
        )
    add(f"{base}rulings/", "rulings.html", f"Rulings — {title}", origin, case=view, card=case_card)
    for ruling in view.rulings:
        add(
            ruling.url,
            "ruling.html",
            f"{ruling.title} — {title}",
            f"ruling {ruling.id}",
            case=view,
            ruling=ruling,
        )
    for poll in view.polls:
        add(
            poll.url,
            "poll.html",
            f"{poll.title} — {title}",
            f"poll {poll.id}",
            case=view,
            poll=poll,
        )
        add(poll.csv_url, "csv:poll", poll.title, f"poll {poll.id}", case=view, poll=poll)
    add(f"{base}sources/", "sources.html", f"Sources — {title}", origin, case=view, card=case_card)
    add(f"{base}data.json", "json:data", title, origin, case=view)


EMBED_TEMPLATES = "embed/"
"""The templates of embeddable pages: chrome-less copies of pages, left out of the sitemap."""


def _plan_timeline_embeds(view: CaseView, add: Any, site: Site) -> list[Embed]:
    """Plan the embeddable pages of the case's timeline, each with its oEmbed answer, cut into
    pages as the timeline is; return how to embed each, in page order."""
    embedded = timeline_of("Every event", embed_url(view.url, "timeline/"), view.events)
    embeds = []
    origin = f"case {view.slug}"
    for page, full in zip(embedded.pages, view.timeline.pages, strict=True):
        embed = Embed(
            page.url,
            f"Timeline{_page_of(page.nav)} — {view.case.title}",
            TIMELINE_EMBED_HEIGHT,
            site.base_url,
            site.title,
            page.url + OEMBED_FILE,
        )
        _plan_embed(embed, "embed/timeline.html", full.url, add, origin, view, page=page)
        embeds.append(embed)
    return embeds


def _plan_quote_embed(view: CaseView, quote: QuoteView, add: Any, site: Site) -> Embed:
    """Plan a quote's embeddable page and its oEmbed answer; return how to embed it.

    The title names the speaker and the date, not the words: an edit of the words alone
    (`patch.LOCAL_FIELDS`) then changes no page's context but the quote's own page's."""
    url = embed_url(view.url, f"quotes/{quote.id}/")
    embed = Embed(
        url,
        f"{quote_label(quote)} — {view.case.title}",
        QUOTE_EMBED_HEIGHT,
        site.base_url,
        site.title,
        url + OEMBED_FILE,
    )
    _plan_embed(embed, "embed/quote.html", quote.url, add, f"quote {quote.id}", view, quote=quote)
    return embed


def _plan_event_embed(view: CaseView, event: EventView, holder: Embed, add: Any) -> Embed:
    """Plan an event's oEmbed answer, beside the event's page: the embedded timeline page
    that holds the event (`holder`), at its anchor. Return how to embed it.

    The event's folder is its own (no event may be called `kind`, `party` or `page`), so
    the answer's address collides with nothing, and goes with the event."""
    answer = event.url + OEMBED_FILE
    embed = Embed(
        f"{holder.url}#{event.id}",
        f"Timeline at {event.date.display}: {event.title} — {view.case.title}",
        holder.height,
        holder.base_url,
        holder.provider,
        answer,
    )
    add(answer, "embed/oembed.txt", embed.title, f"event {event.id}", case=view, embed=embed)
    return embed


def _plan_embed(
    embed: Embed,
    template: str,
    full_url: str,
    add: Any,
    origin: str,
    view: CaseView,
    **context: TimelinePage | QuoteView,
) -> None:
    """Plan an embeddable page, whose canonical address is the full page's, and its oEmbed
    answer beside it."""
    canonical = embed.base_url + full_url
    add(
        embed.url,
        template,
        embed.title,
        origin,
        case=view,
        full_url=full_url,
        canonical=canonical,
        **context,
    )
    add(embed.url + OEMBED_FILE, "embed/oembed.txt", embed.title, origin, case=view, embed=embed)


def _page_of(nav: PageNav) -> str:
    return f" (page {nav.number} of {nav.count})" if nav.count > 1 else ""


def quote_page_texts(quote: QuoteView, case_title: str, site: Site) -> dict[str, Any]:
    """The parts of a quote page's context made from the quote's words.

    `search_title` (None without search) names the page in search results by its words, as
    the page's title does but for the case, which the result names apart."""
    label = quote.speaker.label
    named = f"{label}: “{_shorten(quote.text)}”"
    return {
        "page_title": f"{named} — {case_title}",
        "search_title": named if site.search else None,
        "share": ShareLinks((label, ": “", quote.text, "”"), (site.base_url, quote.url)),
        "card": card_image(quote, case_title, site),
    }


@dataclass(frozen=True, slots=True)
class CardImage:
    """A page's share card as the page's head announces it (`og:image`, `twitter:image`)."""

    url: str
    """Absolute: social networks fetch it from anywhere."""
    alt: str
    width: int = CARD_WIDTH
    height: int = CARD_HEIGHT


CardItem = QuoteView | EventView | CaseView | None
"""What a share card shows: a quote, an event, a case (for its overview and lists), or, for
None, the site (for the home and search pages)."""


def card_text(item: CardItem, case_title: str, site: Site) -> CardText:
    """What the share card of `item` says."""
    if isinstance(item, QuoteView):
        speaker, role = item.speaker.label, item.speaker_role
        return quote_card_text(item.text, speaker, role, case_title, site.title)
    if isinstance(item, EventView):
        return event_card_text(item.title, item.date.display, case_title, site.title)
    if isinstance(item, CaseView):
        case, updated = item.case, item.last_updated
        last = updated.display if updated is not None else None
        return case_card_text(case.title, case.status, last, case.official_name, site.title)
    return site_card_text(site.title, site.description, site.base_url)


def page_card_text(page: Page) -> CardText:
    """What the card drawn by a page of `CARD_TEMPLATE` says."""
    context = page.context
    return card_text(context["item"], context["case_title"], context["site"])


def card_image(item: CardItem, case_title: str, site: Site) -> CardImage | None:
    if not site.share_cards:
        return None
    text = card_text(item, case_title, site)
    url = item.url if item is not None else ""
    return CardImage(site.base_url + url + CARD_FILE, alt_text(text))


def _plan_card(item: CardItem, case_title: str, add: Any) -> None:
    """Plan a share card, beside the page of its item (the root for the site's). Its context
    holds the item's view, so the build record re-draws it when the item changes, also by a
    patch of its words; the site's card reads the site, which every context holds."""
    url = item.url if item is not None else ""
    add(
        url + CARD_FILE,
        CARD_TEMPLATE,
        case_title,
        f"card of {url or 'the site'}",
        item=item,
        case_title=case_title,
    )


@dataclass(frozen=True, slots=True)
class SearchLink:
    title: str
    url: str
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class SearchGroup:
    kind: str
    label: str
    links: list[SearchLink]


def _search_section(view: CaseView) -> dict[str, Any]:
    """A case's items for the search page to list without scripts, by kind.

    Each link names its item by what the preview's patch of wording (`patch`) never changes
    (a quote by its speaker and date, not its words), so the page stays current without
    being planned again."""
    groups = [
        SearchGroup(
            "quote",
            "Quotes",
            [SearchLink(q.speaker.label, q.url, q.said_on.display) for q in view.quotes],
        ),
        SearchGroup(
            "event", "Events", [SearchLink(e.title, e.url, e.date.display) for e in view.events]
        ),
        SearchGroup(
            "party", "Parties", [SearchLink(p.name, p.url, p.kind_label) for p in view.parties]
        ),
        SearchGroup(
            "ruling",
            "Rulings",
            [SearchLink(r.title, r.url, r.date.display) for r in view.rulings],
        ),
        SearchGroup(
            "source",
            "Sources",
            [SearchLink(s.title, s.anchor, s.publisher) for s in view.sources],
        ),
    ]
    return {
        "case_title": view.case.title,
        "case_url": view.url,
        "kinds": [group for group in groups if group.links],
    }


MORE_FROM_SPEAKER = 5
"""How many other quotes of the same speaker a quote page lists; the party page has all."""


def _nearby(quotes: list[QuoteView], index: int) -> list[QuoteView]:
    """The speaker's other quotes closest in date to `quotes[index]`, in date order."""
    start = max(0, min(index - MORE_FROM_SPEAKER // 2, len(quotes) - MORE_FROM_SPEAKER - 1))
    around = range(start, min(len(quotes), start + MORE_FROM_SPEAKER + 1))
    return [quotes[i] for i in around if i != index]


@dataclass(frozen=True, slots=True)
class ShareLinks:
    """The links to share a page, made from its text and address when a template goes
    through them: a site of 10,000 quotes would otherwise hold 75,000 long addresses from
    planning to the end of the build (about 20 MiB, and as much again in each worker that
    touches them). The text and address are kept in pieces, mostly the item's own strings,
    for the same reason: joined, a quote's text would be held twice, at twice its size (its
    curly quotation marks make a copy two bytes a character)."""

    text: tuple[str, ...]
    url: tuple[str, str]

    def __iter__(self) -> Iterator[Link]:
        return iter(share_links("".join(self.text), "".join(self.url)))


def share_links(text: str, url: str) -> list[Link]:
    """Plain links to share a page: nothing loads from these sites until a reader clicks."""
    short = _shorten(text, 40)
    encoded_url = _quote_plus(url)
    return [
        Link("email", "Email", f"mailto:?subject={_quote(short)}&body={_quote(url, _PERCENT_ALL)}"),
        Link(
            "bluesky",
            "Bluesky",
            f"https://bsky.app/intent/compose?text={_quote_plus(short)}+{encoded_url}",
        ),
        Link("x", "X", f"https://x.com/intent/post?text={_quote_plus(short)}&url={encoded_url}"),
        Link("facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={encoded_url}"),
        Link(
            "linkedin",
            "LinkedIn",
            f"https://www.linkedin.com/sharing/share-offsite/?url={encoded_url}",
        ),
    ]


class _PercentTable(dict[int, str]):
    """A `str.translate` table that percent-encodes every character but `keep`, as UTF-8."""

    def __init__(self, keep: str, plus: bool = False) -> None:
        super().__init__({ord(" "): "+"} if plus else {})
        self.keep = frozenset(map(ord, string.ascii_letters + string.digits + "_.-~" + keep))

    def __missing__(self, code: int) -> str:
        if code in self.keep:
            encoded = chr(code)
        else:
            encoded = "".join(f"%{byte:02X}" for byte in chr(code).encode("utf-8"))
        self[code] = encoded
        return encoded


_PERCENT = _PercentTable("/")
_PERCENT_ALL = _PercentTable("")
_PERCENT_PLUS = _PercentTable("", plus=True)


def _quote(text: str, table: _PercentTable = _PERCENT) -> str:
    """`urllib.parse.quote(text)` (with no safe characters for `_PERCENT_ALL`), faster."""
    return text.translate(table)


def _quote_plus(text: str) -> str:
    """`urllib.parse.quote_plus(text)`, faster."""
    return text.translate(_PERCENT_PLUS)


def _shorten(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


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


def _feed_entries(site: Site, cases: list[CaseView]) -> list[FeedEntry]:
    """One entry per dated update of every case, newest first."""
    entries = []
    for view in cases:
        for index, update in enumerate(sorted(view.case.updates, key=lambda u: u.date.sort_key)):
            label = "Correction" if update.kind == "correction" else "Update"
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
