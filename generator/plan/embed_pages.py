"""Plan a case's embeddable pages (its timeline and each quote, without the site around them,
for other sites' frames) and the oEmbed answer beside each, with embeds on (`site.embeds`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.plan.context import CaseView, EventView, QuoteView, quote_label
from generator.plan.embeds import (
    OEMBED_FILE,
    QUOTE_EMBED_HEIGHT,
    TIMELINE_EMBED_HEIGHT,
    Embed,
    embed_url,
)
from generator.plan.page_contexts import OembedContext, QuoteEmbedContext, TimelineEmbedContext
from generator.plan.pages import OEMBED, QUOTE_EMBED, TIMELINE_EMBED, PageList
from generator.plan.paging import page_of
from generator.plan.timeline import timeline_of

if TYPE_CHECKING:
    from generator.models import Site

EMBED_TEMPLATES = "embed/"
"""The templates of embeddable pages: chrome-less copies of pages, left out of the sitemap."""


def plan_timeline_embeds(pages: PageList, view: CaseView, site: Site) -> list[Embed]:
    """Plan the embeddable pages of the case's timeline, each with its oEmbed answer, cut into
    pages as the timeline is; return how to embed each, in page order."""
    embedded = timeline_of("Every event", embed_url(view.url, "timeline/"), view.events)
    embeds = []
    origin = f"case {view.slug}"
    for page, full in zip(embedded.pages, view.timeline.pages, strict=True):
        embed = Embed(
            page.url,
            f"Timeline{page_of(page.nav)} — {view.case.title}",
            TIMELINE_EMBED_HEIGHT,
            site.base_url,
            site.title,
            page.url + OEMBED_FILE,
        )
        # An embeddable page's canonical address is its full page's.
        canonical = embed.base_url + full.url
        context: TimelineEmbedContext = {
            **pages.common(TIMELINE_EMBED, embed.url, embed.title, canonical=canonical),
            "case": view,
            "full_url": full.url,
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
        f"{quote_label(quote)} — {view.case.title}",
        QUOTE_EMBED_HEIGHT,
        site.base_url,
        site.title,
        url + OEMBED_FILE,
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
        f"Timeline at {event.date.display}: {event.title} — {view.case.title}",
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
