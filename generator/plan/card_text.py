"""What a share card says: its text, planned with the page that names it.

The drawing of that text into a PNG is `render.cards`; the plan needs only the words, for
the card's page and for the `og:image:alt` of the pages that name it.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.strings import DEFAULT_LANGUAGE, status_label, ui_strings

CARD_WIDTH = 1200
CARD_HEIGHT = 630
ELLIPSIS = "…"
ALT_TEXT_LIMIT = 420
"""Characters; X (Twitter) cuts image descriptions beyond this."""


@dataclass(frozen=True)
class CardPicture:
    """A picture a card shows beside its text: a file the build publishes, named by its
    content (so a swapped file is another name and its cards are drawn again), and the
    credit drawn under it."""

    file: str
    """The file's path in the output (a processed JPEG or PNG, `build.image_store`)."""
    credit: str
    alt: str
    """What the picture shows, for the card's own description."""


@dataclass(frozen=True)
class CardText:
    """What a share card says."""

    headline: str
    byline: str
    case_title: str
    """The footer line's left part: the case an item belongs to (a case's own card: its
    official name; the home page's: the site's address)."""
    site_name: str
    kicker: str = ""
    """A short line above the headline: a quote's date, as its page shows it first."""
    quoted: bool = False
    """Whether the headline is a quotation, drawn in the face the pages give a quote's words."""
    picture: CardPicture | None = None
    """The item's picture, drawn on the card's right; None for a card of text alone."""
    language: str = DEFAULT_LANGUAGE
    """The language of the card's own words (its alt text's "Beside it")."""


def quote_card_text(
    quote: str,
    speaker: str,
    role: str | None,
    said_on: str,
    case_title: str,
    site_name: str,
    language: str = DEFAULT_LANGUAGE,
) -> CardText:
    """The card of a quote: its date ("31 July 2014"), its words in quotation marks (as
    `language` writes them), then "— speaker, role"."""
    words = " ".join(quote.split())
    who = ", ".join(filter(None, (" ".join(speaker.split()), " ".join((role or "").split()))))
    return CardText(
        headline=ui_strings(language)["card.quoted"].format(words=words) if words else "",
        byline=f"— {who}" if who else "",
        case_title=case_title,
        site_name=site_name,
        kicker=" ".join(said_on.split()),
        quoted=True,
        language=language,
    )


def event_card_text(
    title: str,
    date: str,
    case_title: str,
    site_name: str,
    picture: CardPicture | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> CardText:
    """The card of an event (or of a ruling, a party: an item with a line under its title):
    its title, then its date as readers see it ("31 July 2014"); its picture beside them."""
    return CardText(
        headline=title,
        byline=date,
        case_title=case_title,
        site_name=site_name,
        picture=picture,
        language=language,
    )


def case_card_text(
    title: str,
    status: str,
    last_updated: str | None,
    official_name: str | None,
    site_name: str,
    language: str = DEFAULT_LANGUAGE,
) -> CardText:
    """The card of a case's overview and lists: its title, then its status and when it was
    last updated, as the overview shows them; its official name where an item's card names
    the case."""
    state = status_label(status, language)  # as the overview's badge says it
    updated = ui_strings(language)["card.last_updated"]
    return CardText(
        headline=title,
        byline=updated.format(status=state, date=last_updated) if last_updated else state,
        case_title=official_name or "",
        site_name=site_name,
        language=language,
    )


def site_card_text(title: str, description: str, base_url: str) -> CardText:
    """The card of the home page: the site's description as the headline, then its title
    and its address (without `https://`), and no site name again in the corner."""
    address = base_url.split("://", 1)[-1].rstrip("/")
    return CardText(headline=description, byline=title, case_title=address, site_name="")


def alt_text(text: CardText) -> str:
    """The card's description for og:image:alt and twitter:image:alt: the headline and
    byline, then the kicker (a quote's date), the case and the site."""
    fields = (text.headline, text.byline, text.kicker, text.case_title, text.site_name)
    parts = [" ".join(field.split()) for field in fields]
    described = ""
    for part in filter(None, parts):
        if not described:
            described = part
        elif part.startswith("—"):
            described += " " + part
        else:
            described += (" " if described[-1] in ".!?…" else ". ") + part
    if text.picture is not None and text.picture.alt:
        described += (" " if described[-1:] in ".!?…" else ". ") + ui_strings(text.language)[
            "card.beside"
        ].format(alt=text.picture.alt)
    if len(described) <= ALT_TEXT_LIMIT:
        return described
    cut = described[: ALT_TEXT_LIMIT - len(ELLIPSIS)]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—–-") + ELLIPSIS
