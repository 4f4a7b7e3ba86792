"""The lists of a case's quotes: all of them (the key quotes first), and one speaker's or one
year's, each in date order over one page or several (see `paging`).

A speaker's role is long ("General Counsel and Executive Vice President, Legal and Corporate
Affairs, Microsoft") and the same on most of their quotes, so a list says it once: a
speaker's list in its lede, other lists on the first card of the speaker on each page. A
card gives the role again only where the quote's differs from the one last said.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.plan.paging import ListPage, paginate
from generator.plan.pickling import pickled_as_arguments
from generator.strings import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from generator.plan.context import CaseView, Link, QuoteView
    from generator.plan.languages import TextLanguage

SPEAKER_FOLDER = "speaker"
YEAR_FOLDER = "year"
"""`quotes/speaker/<party id>/` and `quotes/year/<yyyy>/`: no quote may have these ids."""
SPEAKERS_ANCHOR = "_speakers"
"""The list of speakers on the first page of all quotes."""


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class ListedQuote:
    """A quote as a list shows it: with its speaker's role, or without where the page has
    just said it."""

    quote: QuoteView
    with_role: bool

    def __repr__(self) -> str:
        """What a list page's fingerprint counts, written out: faster than the generated one."""
        return f"ListedQuote({self.quote!r}, {self.with_role})"


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class QuoteFilter:
    """A link to the quotes of one speaker or one year."""

    label: str
    url: str
    count: int
    language: TextLanguage | None = None
    """The label's language where it is not the page's (a speaker's name)."""


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class QuoteFilters:
    """Every speaker's and every year's list of a case, as the quotes' pages link them.

    A large case has hundreds of speakers: the first page of all quotes lists them, and every
    other page links to that list (`speakers_url`) instead of repeating it."""

    speakers: tuple[QuoteFilter, ...]
    """By name; empty on a page that links to the list instead (`linking_speakers`)."""
    speaker_count: int
    speakers_url: str
    """Where the list of speakers is: the first page of all quotes, at its anchor."""
    years: tuple[QuoteFilter, ...]
    """In date order."""

    def linking_speakers(self) -> QuoteFilters:
        """The same filters for a page that links to the list of speakers."""
        return QuoteFilters((), self.speaker_count, self.speakers_url, self.years)


@dataclass(frozen=True)
class QuoteList:
    """The quotes of one speaker or one year, over one page or several."""

    filter: QuoteFilter
    speaker: Link | None
    """The speaker (a year's list: None)."""
    role: str | None
    """The speaker's role on most of their quotes (else the party's own), said once in the
    list's lede."""
    pages: list[ListPage[QuoteView]]


def quote_filters(
    view: CaseView, language: str = DEFAULT_LANGUAGE
) -> tuple[QuoteFilters, list[QuoteList]]:
    """The filters of the case's quotes, and the list each one leads to: the speakers' by
    name, then the years'; their pages named by their dates in `language`'s words."""
    base = f"{view.url}quotes/"
    lists: list[QuoteList] = []
    for party in sorted(view.parties, key=lambda p: (p.name, p.id)):
        if not party.quotes:
            continue
        url = speaker_quotes_url(view, party.id)
        pages = paginate(party.quotes, url, lambda q: q.said_on, language=language)
        link = party.quotes[0].speaker
        role = _usual_role(party.quotes, party.title or party.role)
        lists.append(
            QuoteList(
                QuoteFilter(party.name, url, len(party.quotes), party.name_language),
                link,
                role,
                pages,
            )
        )
    speakers = len(lists)
    years: dict[int, list[QuoteView]] = {}
    for quote in view.quotes:
        years.setdefault(quote.said_on.year, []).append(quote)
    for year, quotes in years.items():
        url = f"{base}{YEAR_FOLDER}/{year}/"
        pages = paginate(quotes, url, lambda q: q.said_on, language=language)
        lists.append(QuoteList(QuoteFilter(str(year), url, len(quotes)), None, None, pages))
    links = [listed.filter for listed in lists]
    filters = QuoteFilters(
        tuple(links[:speakers]), speakers, f"{base}#{SPEAKERS_ANCHOR}", tuple(links[speakers:])
    )
    return filters, lists


def speaker_quotes_url(view: CaseView, party_id: str) -> str:
    """The URL of the list of a speaker's quotes."""
    return f"{view.url}quotes/{SPEAKER_FOLDER}/{party_id}/"


def _usual_role(quotes: list[QuoteView], own: str) -> str:
    """The role a speaker has on more than half of their quotes, else the party's `own`
    (its title or role), rather than one of several roles each said on a few."""
    role, count = Counter(q.speaker_role for q in quotes).most_common(1)[0]
    return role if count * 2 > len(quotes) else own


def listed(quotes: Iterable[QuoteView], said: dict[str, str]) -> list[ListedQuote]:
    """`quotes` with their speaker's role where it was not the last said for that speaker
    on the page; `said` (speaker id → role) is what the page said before, and is updated."""
    shown = []
    for quote in quotes:
        speaker, role = quote.speaker.id, quote.speaker_role
        shown.append(ListedQuote(quote, said.get(speaker) != role))
        said[speaker] = role
    return shown
