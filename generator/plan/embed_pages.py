"""Plan a case's embeddable pages (views of its timeline and each quote, without the site
around them, for other sites' frames) and the oEmbed answer beside each, with embeds on
(`site.embeds`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.plan.context import CaseView, EventView, QuoteView, Timeline, quote_label
from generator.plan.embeds import (
    OEMBED_FILE,
    QUOTE_EMBED_HEIGHT,
    TIMELINE_EMBED_HEIGHT,
    Embed,
    EmbedChoice,
    EmbedLink,
    embed_url,
)
from generator.plan.page_contexts import OembedContext, QuoteEmbedContext, TimelineEmbedContext
from generator.plan.pages import OEMBED, QUOTE_EMBED, TIMELINE_EMBED, PageList
from generator.plan.paging import page_of
from generator.plan.timeline import timeline_of
from generator.strings import ui_strings

if TYPE_CHECKING:
    from generator.models import Site

EMBED_TEMPLATES = "embed/"
"""The templates of embeddable pages: chrome-less copies of pages, left out of the sitemap."""
KEY_FOLDER = "key"
"""The folder of the embedded timeline's key events, `<case>/embed/timeline/key/`; its years
are `<case>/embed/timeline/<year>/`. No event may be called `key`, and the timeline's
further pages are `page/<n>/`, so neither collides with another page."""


@dataclass(frozen=True)
class TimelineEmbeds:
    """How to embed a case's timeline."""

    pages: list[Embed]
    """Each page of the embedded timeline of every event, in page order: an event's answer
    names the one that holds it."""
    offered: list[Embed]
    """What each page of the whole timeline offers in its Embed box, in page order: the
    first offers the default view (the key events when the case marks any, else every
    event), the others their own page; each with every view to choose from."""


@dataclass(frozen=True)
class _View:
    id: str
    label: str
    heading: str
    """The heading of the view's embedded pages."""
    name: str
    """What their titles call the view (`Key events`); the titles add the case."""
    timeline: Timeline
    canonicals: list[str]
    """The full page each of its pages is a copy of."""


def plan_timeline_embeds(pages: PageList, view: CaseView, site: Site) -> TimelineEmbeds:
    """Plan the embeddable views of the case's timeline — every event, cut into pages as the
    timeline is; its key events; each year — each page with its oEmbed answer."""
    full = view.timeline
    url = embed_url(view.url, "timeline/")
    language = pages.words
    words = ui_strings(language)
    case_title = view.case.title
    views = [
        _View(
            "all",
            words["filters.every_event"],
            words["embed.heading_all"].format(case=case_title),
            words["timeline.heading"],
            timeline_of(words["filters.every_event"], url, view.events, language, view.period_of),
            [page.url for page in full.pages],
        ),
    ]
    key_timeline = view.key_timeline
    if key_timeline is not None:
        key_events = [event for event in view.events if event.key]
        key = timeline_of(
            words["filters.key_events"],
            f"{url}{KEY_FOLDER}/",
            key_events,
            language,
            view.period_of,
        )
        views.insert(
            0,
            _View(
                "key",
                words["embed.key_only"],
                words["embed.heading_key"].format(case=case_title),
                words["filters.key_events"],
                key,
                [page.url for page in key_timeline.pages],
            ),
        )
    years: dict[int, list[EventView]] = {}
    for event in view.events:
        years.setdefault(event.date.year, []).append(event)
    starts = {group.year: page.url for page in reversed(full.pages) for group in page.years}
    for year, events in years.items():
        timeline = timeline_of(str(year), f"{url}{year}/", events, language, view.period_of)
        views.append(
            _View(
                str(year),
                str(year),
                words["embed.heading_year"].format(case=case_title, year=year),
                words["embed.name_year"].format(year=year),
                timeline,
                [starts[year]] * len(timeline.pages),
            )
        )
    switch = [v for v in views if v.id in ("key", "all")] if key_timeline is not None else []
    planned = {v.id: _plan_view(pages, view, site, v, switch) for v in views}
    choices = tuple(EmbedChoice(v.id, v.label, v.timeline.count, planned[v.id][0]) for v in views)
    every = planned["all"]
    offered = [replace(embed, choices=choices) for embed in [choices[0].embed, *every[1:]]]
    return TimelineEmbeds(every, offered)


def _plan_view(
    pages: PageList, view: CaseView, site: Site, shown: _View, switch: list[_View]
) -> list[Embed]:
    """Plan each page of one view of the embedded timeline, with its oEmbed answer; return
    how to embed each, in page order."""
    embeds = []
    origin = f"case {view.slug}"
    links = [EmbedLink(v.label, v.timeline.url, v is shown) for v in switch]
    for page, canonical_url in zip(shown.timeline.pages, shown.canonicals, strict=True):
        embed = Embed(
            page.url,
            f"{shown.name}{page_of(page.nav, pages.words)} — {view.case.title}",
            TIMELINE_EMBED_HEIGHT,
            site.base_url,
            site.title,
            page.url + OEMBED_FILE,
        )
        # An embeddable page's canonical address is its full page's.
        canonical = embed.base_url + canonical_url
        context: TimelineEmbedContext = {
            **pages.common(TIMELINE_EMBED, embed.url, embed.title, canonical=canonical),
            "case": view,
            "full_url": canonical_url,
            "heading": shown.heading,
            "views": links,
            "page": page,
        }
        pages.add(TIMELINE_EMBED, context, origin)
        _plan_oembed(pages, embed, view, origin)
        embeds.append(embed)
    return embeds


def plan_quote_embed(pages: PageList, view: CaseView, quote: QuoteView, site: Site) -> Embed:
    """Plan a quote's embeddable page and its oEmbed answer; return how to embed it.

    The title names the speaker and the date, not the words: an edit of the words alone
    (`patch.LOCAL_FIELDS`) then changes no page's context but the quote's own page's."""
    url = embed_url(view.url, f"quotes/{quote.id}/")
    embed = Embed(
        url,
        f"{quote_label(quote, pages.words)} — {view.case.title}",
        QUOTE_EMBED_HEIGHT,
        site.base_url,
        site.title,
        url + OEMBED_FILE,
        grows=True,
    )
    origin = f"quote {quote.id}"
    canonical = embed.base_url + quote.url
    context: QuoteEmbedContext = {
        **pages.common(QUOTE_EMBED, url, embed.title, canonical=canonical),
        "case": view,
        "full_url": quote.url,
        "quote": quote,
    }
    pages.add(QUOTE_EMBED, context, origin)
    _plan_oembed(pages, embed, view, origin)
    return embed


def plan_event_embed(pages: PageList, view: CaseView, event: EventView, holder: Embed) -> Embed:
    """Plan an event's oEmbed answer, beside the event's page: the embedded timeline page
    that holds the event (`holder`), at its anchor. Return how to embed it.

    The event's folder is its own (no event may be called `kind`, `party` or `page`), so
    the answer's address collides with nothing, and goes with the event."""
    answer = event.url + OEMBED_FILE
    embed = Embed(
        f"{holder.url}#{event.id}",
        ui_strings(pages.words)["embed.event_title"].format(
            date=event.date.display_in(pages.words), event=event.title
        )
        + f" — {view.case.title}",
        holder.height,
        holder.base_url,
        holder.provider,
        answer,
    )
    context: OembedContext = {
        **pages.common(OEMBED, answer, embed.title),
        "case": view,
        "embed": embed,
    }
    pages.add(OEMBED, context, f"event {event.id}")
    return embed


def _plan_oembed(pages: PageList, embed: Embed, view: CaseView, origin: str) -> None:
    """Plan the oEmbed answer beside an embeddable page."""
    url = embed.url + OEMBED_FILE
    context: OembedContext = {
        **pages.common(OEMBED, url, embed.title),
        "case": view,
        "embed": embed,
    }
    pages.add(OEMBED, context, origin)
