"""Ready-made views of a validated case, for templates that only display.

Every reference is resolved (a quote's speaker becomes a `Link` with a name and a URL),
every list is sorted, and every URL is site-root-relative (`<case>/quotes/<id>/`); a
template prefixes it with the page's `root` to make it relative to the page. `resolve`
makes these views from a validated case; `plan` hands them to the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.dates import PartialDate
from generator.models import EVENT_KINDS, Case, KeyFact, Update

# Re-exported: render's JSON-LD filter imports it from here.
from generator.plan.embeds import json_for_html as json_for_html
from generator.plan.paging import ListPage, PageNav

NOT_REPORTED = "not reported"
OTHER_SIDE = "Other"

EVENT_KIND_LABELS = {kind: kind.capitalize() for kind in EVENT_KINDS}
STAGE_LABELS = {
    "magistrate": "Magistrate judge",
    "district": "District court",
    "appeals": "Court of appeals",
    "appeals-en-banc": "Court of appeals, en banc",
    "supreme": "Supreme Court",
    "other": "Other",
}
PARTY_KIND_LABELS = {
    "person": "Person",
    "organization": "Organization",
    "court": "Court",
    "government": "Government",
}


class Tracked:
    """A view of one item, which the build record follows from build to build.

    Its key names the item (kind and URL). Its `repr` is that key, so a view holding other
    views is fingerprinted by its own values and by which views it holds, not by theirs: a
    page that shows a held view's values reads that view too, and is recorded as doing so.
    """

    KEY_FIELD = "url"
    view_key: str

    def __post_init__(self) -> None:
        self.view_key = f"{type(self).__name__}:{getattr(self, self.KEY_FIELD)}"

    def __repr__(self) -> str:
        return f"<{self.view_key}>"


@dataclass(frozen=True)
class Link:
    id: str
    label: str
    url: str


@dataclass(frozen=True)
class Citation:
    """A citation of a source: its number on the sources page and the anchor it links to."""

    id: str
    number: int
    url: str
    title: str
    publisher: str


@dataclass(repr=False)
class PartyView(Tracked):
    id: str
    url: str
    name: str
    kind: str
    kind_label: str
    role: str
    title: str | None
    side: str
    summary: str | None
    member_of: Link | None
    members: list[Link]
    sources: list[Citation]
    quotes: list[QuoteView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    rulings: list[RulingView] = field(default_factory=list)


@dataclass(repr=False)
class QuoteView(Tracked):
    id: str
    url: str
    text: str
    speaker: Link
    speaker_kind: str
    speaker_role: str
    said_on: PartialDate
    venue: str
    context: str | None
    note: str | None
    key: bool
    sources: list[Citation]
    events: list[Link] = field(default_factory=list)


@dataclass(repr=False)
class EventView(Tracked):
    id: str
    url: str
    timeline_url: str
    date: PartialDate
    title: str
    kind: str
    kind_label: str
    body: str
    parties: list[Link]
    ruling: Link | None
    quotes: list[QuoteView]
    sources: list[Citation]
    key: bool = False
    """A turning point of the case (`Event.key`)."""


@dataclass(repr=False)
class RulingView(Tracked):
    id: str
    url: str
    title: str
    court: Link
    stage: str
    stage_label: str
    judges: list[Link]
    date: PartialDate
    citation: str
    outcome: str
    holding: str
    favours: Link | None
    next_step: str | None
    sources: list[Citation]
    events: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Bar:
    """One bar of a poll chart, with its geometry worked out at build time."""

    answer: str
    percent: float
    label: str
    y: int
    width: float


@dataclass
class QuestionView:
    id: str
    text: str
    wording: str
    results: list[Bar]
    unreported_rest: bool
    chart_height: int
    description: str
    sources: list[Citation]


@dataclass(repr=False)
class PollView(Tracked):
    id: str
    url: str
    csv_url: str
    csv_name: str
    title: str
    pollster: Link
    commissioned_by: Link | None
    fieldwork: str
    published: str
    population: str
    sample_size: str
    margin_of_error: str
    mode: str
    summary: str | None
    questions: list[QuestionView]
    sources: list[Citation]


@dataclass(repr=False)
class SourceView(Tracked):
    KEY_FIELD = "anchor"
    id: str
    number: int
    anchor: str
    title: str
    publisher: str
    author: str | None
    url: str
    published: str
    accessed: str | None
    note: str | None
    cited_by: list[Link] = field(default_factory=list)


@dataclass
class ConflictView:
    id: str
    title: str
    text: str
    sources: list[Citation]


@dataclass
class YearGroup:
    year: int
    events: list[EventView]


@dataclass(frozen=True)
class YearLink:
    year: int
    url: str
    """Where the year starts: `<timeline page URL>#_year-<year>`."""
    here: bool
    """Whether it starts on the page that shows the link (which then needs only the anchor)."""


@dataclass
class TimelinePage:
    url: str
    years: list[YearGroup]
    nav: PageNav
    year_links: list[YearLink]
    """Each year of the whole list, linked to where it starts; empty if there is one year."""


@dataclass
class Timeline:
    """The timeline, whole or showing only the events of one kind or one party, on one page
    or, for a large case, several (see `paging`)."""

    label: str
    url: str
    count: int
    pages: list[TimelinePage]


@dataclass(repr=False)
class CaseView(Tracked):
    """Everything about one case, resolved, sorted and linked."""

    slug: str
    url: str
    case: Case
    summary_sources: list[Citation]
    key_facts: list[tuple[KeyFact, list[Citation]]]
    conflicts: list[ConflictView]
    updates: list[Update]
    last_updated: PartialDate | None
    first_published: PartialDate | None
    parties: list[PartyView]
    sides: list[tuple[str, list[PartyView]]]
    rulings: list[RulingView]
    events: list[EventView]
    timeline: Timeline
    kind_filters: list[Timeline]
    party_filters: list[Timeline]
    quotes: list[QuoteView]
    key_quotes: list[QuoteView]
    quote_pages: list[ListPage[QuoteView]]
    """The quotes that are not key quotes, in date order, over one page or several."""
    polls: list[PollView]
    sources: list[SourceView]


def case_views(view: CaseView) -> Iterator[Tracked]:
    """Every tracked view of a case, the case's own first."""
    yield view
    yield from view.parties
    yield from view.quotes
    yield from view.events
    yield from view.rulings
    yield from view.polls
    yield from view.sources


def quote_label(quote: QuoteView) -> str:
    """A quote named by who said it and when, never by its words (which a patch may change)."""
    return f"Quote by {quote.speaker.label}, {quote.said_on.display}"
