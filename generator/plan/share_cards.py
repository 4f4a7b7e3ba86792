"""Share cards in the plan: the card pages (`png:card`), and the card each page's head
announces. What a card says is `card_text`; its drawing is `render.cards`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.plan.card_text import (
    CARD_HEIGHT,
    CARD_WIDTH,
    CardPicture,
    CardText,
    alt_text,
    case_card_text,
    event_card_text,
    quote_card_text,
    site_card_text,
)
from generator.plan.context import (
    CaseView,
    EventView,
    MediaView,
    PartyView,
    QuoteView,
    RulingView,
)
from generator.plan.page_contexts import ShareCardContext
from generator.plan.pages import SHARE_CARD, Page, PageList
from generator.plan.pickling import pickled_as_arguments
from generator.strings import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from generator.models import Site

CARD_FILE = "card.png"
"""A share card: a quote's or an event's in its page's folder, a case's in the case's folder
(for its overview and lists), the site's at the root (for the home and search pages)."""
CARD_TEMPLATE = SHARE_CARD.template
"""The template name of a share card: drawn (`cards`), not templated."""


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class CardImage:
    """A page's share card as the page's head announces it (`og:image`, `twitter:image`)."""

    url: str
    """Absolute: social networks fetch it from anywhere."""
    alt: str
    width: int = CARD_WIDTH
    height: int = CARD_HEIGHT


CardItem = QuoteView | EventView | RulingView | PartyView | CaseView | None
"""What a share card shows: a quote, an event, a ruling or party with a picture, a case (for
its overview and lists), or, for None, the site (for the home and search pages)."""

CARD_PICTURE_WIDTH = 440
"""The narrowest file of a picture a card is drawn from: as wide as the card shows it."""


def card_picture(image: MediaView | None) -> CardPicture | None:
    """What a card shows of a picture: its narrowest JPEG or PNG at least as wide as the
    card shows it (else its widest), and its credit; None without one, or for an SVG, which
    a card cannot draw."""
    if image is None or not image.modern:
        return None
    wide = [v for v in image.fallback if v.width >= CARD_PICTURE_WIDTH]
    chosen = wide[0] if wide else image.fallback[-1]
    return CardPicture(chosen.url, image.credit, image.alt)


def item_picture(item: CardItem) -> MediaView | None:
    """The picture the card of `item` shows: an event's, a ruling's, a person's portrait
    (else the party's picture); None for other cards."""
    if isinstance(item, EventView | RulingView):
        return item.image
    if isinstance(item, PartyView):
        return item.portrait or item.image
    return None


def has_card(item: RulingView | PartyView) -> bool:
    """Whether a ruling or a party has a share card: with a picture a card can show."""
    return card_picture(item_picture(item)) is not None


def card_reads(item: CardItem) -> tuple[str, ...]:
    """The keys of the views a card shows: its item's, and its picture's (a swapped file
    draws the card again)."""
    if item is None:
        return ()
    image = item_picture(item)
    return (item.view_key,) if image is None else (item.view_key, image.view_key)


def card_text(
    item: CardItem, case_title: str, site: Site, language: str = DEFAULT_LANGUAGE
) -> CardText:
    """What the share card of `item` says, its dates and own words in `language`."""
    lang, name = language, site.title
    if isinstance(item, QuoteView):
        speaker, role, said_on = (
            item.speaker.label,
            item.speaker_role,
            item.said_on.display_in(lang),
        )
        return quote_card_text(item.text, speaker, role, said_on, case_title, name, lang)
    if isinstance(item, EventView):
        picture = card_picture(item.image)
        date = item.date.display_in(lang)
        return event_card_text(item.title, date, case_title, name, picture, lang)
    if isinstance(item, RulingView):
        line = f"{item.court.label}, {item.date.display_in(lang)}"
        return event_card_text(item.title, line, case_title, name, card_picture(item.image), lang)
    if isinstance(item, PartyView):
        picture = card_picture(item_picture(item))
        return event_card_text(item.name, item.title or item.role, case_title, name, picture, lang)
    if isinstance(item, CaseView):
        case, updated = item.case, item.last_updated
        last = updated.display_in(lang) if updated is not None else None
        return case_card_text(case.title, case.status, last, case.official_name, name, lang)
    return site_card_text(site.title, site.description, site.base_url)


def page_card_text(page: Page) -> CardText:
    """What the card drawn by a page of `CARD_TEMPLATE` says."""
    context = SHARE_CARD.context_of(page)
    return card_text(context["item"], context["case_title"], context["site"], context["language"])


def card_image(
    item: CardItem, case_title: str, site: Site, language: str = DEFAULT_LANGUAGE
) -> CardImage | None:
    """The card a page of `item` announces (its alt text in `language`); None without share
    cards."""
    if not site.share_cards:
        return None
    text = card_text(item, case_title, site, language)
    url = item.url if item is not None else ""
    return CardImage(site.base_url + url + CARD_FILE, alt_text(text))


def plan_card(pages: PageList, item: CardItem, case_title: str) -> None:
    """Plan a share card, beside the page of its item (the root for the site's). Its context
    holds the item's view, so the build record re-draws it when the item changes, also by a
    patch of its words; the site's card reads the site, which every context holds."""
    url = item.url if item is not None else ""
    context: ShareCardContext = {
        **pages.common(SHARE_CARD, url + CARD_FILE, case_title),
        "item": item,
        "case_title": case_title,
    }
    pages.add(SHARE_CARD, context, f"card of {url or 'the site'}")
