"""Ready-made views of a validated case, for templates that only display.

Every reference is resolved here (a quote's speaker becomes a `Link` with a name and a URL),
every list is sorted here, and every URL is site-root-relative (`<case>/quotes/<id>/`); a
template prefixes it with the page's `root` to make it relative to the page. Used by `plan`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markupsafe import escape

from generator.dates import PartialDate
from generator.models import EVENT_KINDS, Case, Conflict, KeyFact, Poll, Update
from generator.plan.paging import ListPage, PageNav, page_number, page_url, paginate
from generator.validate.content import CaseContent

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


Cite = Callable[[list[str]], list["Citation"]]
PartyLinker = Callable[[str], Link]


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


def case_view(content: CaseContent) -> CaseView:
    """Resolve and sort everything about one case for its pages."""
    base = f"{content.slug}/"
    sources_url = f"{base}sources/"
    numbered = {s.id: n for n, s in enumerate(content.sources, start=1)}
    # One citation per source and one link per party, shared by every item that cites or
    # names it: tens of thousands fewer objects at 10,000 quotes, in memory the workers share.
    citations = {
        s.id: Citation(s.id, n, f"{sources_url}#{s.id}", s.title, s.publisher)
        for n, s in enumerate(content.sources, start=1)
    }

    def cite(ids: list[str]) -> list[Citation]:
        """Citations in the order of the sources page, each source once."""
        return [citations[i] for i in sorted(set(ids), key=numbered.__getitem__)]

    party_by_id = {p.id: p for p in content.parties}
    party_links = {p.id: Link(p.id, p.name, f"{base}parties/{p.id}/") for p in content.parties}
    party_link = party_links.__getitem__

    parties = {
        p.id: PartyView(
            id=p.id,
            url=f"{base}parties/{p.id}/",
            name=p.name,
            kind=p.kind,
            kind_label=PARTY_KIND_LABELS[p.kind],
            role=p.role,
            title=p.title,
            side=p.side or OTHER_SIDE,
            summary=p.summary,
            member_of=party_link(p.member_of) if p.member_of else None,
            members=[party_link(m.id) for m in content.parties if m.member_of == p.id],
            sources=cite(p.sources),
        )
        for p in content.parties
    }
    quotes = {
        q.id: QuoteView(
            id=q.id,
            url=f"{base}quotes/{q.id}/",
            text=q.text,
            speaker=party_link(q.speaker),
            speaker_kind=party_by_id[q.speaker].kind,
            speaker_role=q.speaker_role
            or party_by_id[q.speaker].title
            or party_by_id[q.speaker].role,
            said_on=q.said_on,
            venue=q.venue,
            context=q.context,
            note=q.note,
            key=q.key,
            sources=cite(q.sources),
        )
        for q in sorted(content.quotes, key=lambda q: q.said_on.sort_key)
    }
    rulings = {
        r.id: RulingView(
            id=r.id,
            url=f"{base}rulings/{r.id}/",
            title=r.title,
            court=party_link(r.court),
            stage=r.stage,
            stage_label=STAGE_LABELS[r.stage],
            judges=[party_link(j) for j in r.judges],
            date=r.date,
            citation=r.citation or NOT_REPORTED,
            outcome=r.outcome,
            holding=r.holding,
            favours=party_link(r.favours) if r.favours else None,
            next_step=r.next_step,
            sources=cite(r.sources),
        )
        for r in sorted(content.rulings, key=lambda r: r.date.sort_key)
    }
    events = [
        EventView(
            id=e.id,
            url=f"{base}timeline/{e.id}/",
            timeline_url=f"{page_url(base + 'timeline/', page_number(index))}#{e.id}",
            date=e.date,
            title=e.title,
            kind=e.kind,
            kind_label=EVENT_KIND_LABELS[e.kind],
            body=e.body,
            parties=[party_link(p) for p in e.parties],
            ruling=Link(e.ruling, rulings[e.ruling].title, rulings[e.ruling].url)
            if e.ruling
            else None,
            quotes=[quotes[q] for q in e.quotes],
            sources=cite(e.sources),
        )
        for index, e in enumerate(sorted(content.events, key=lambda e: e.date.sort_key))
    ]
    for event in events:
        link = Link(event.id, event.title, event.url)
        for quote in event.quotes:
            quote.events.append(link)
        if event.ruling is not None:
            rulings[event.ruling.id].events.append(link)
    _attach_to_parties(content, parties, quotes, rulings, events)
    polls = [_poll_view(p, base, party_link, cite) for p in content.polls]
    sources = _source_views(content, base, quotes, rulings, events, polls, parties)
    case = content.case
    updates = sorted(case.updates, key=lambda u: u.date.sort_key, reverse=True)
    kind_filters = [
        timeline_of(label, f"{base}timeline/kind/{kind}/", [e for e in events if e.kind == kind])
        for kind, label in EVENT_KIND_LABELS.items()
        if any(e.kind == kind for e in events)
    ]
    party_filters = [
        timeline_of(party.name, f"{base}timeline/party/{party.id}/", party.events)
        for party in sorted(parties.values(), key=lambda p: p.name)
        if party.events
    ]
    sides: dict[str, list[PartyView]] = {}
    for party in sorted(parties.values(), key=lambda p: p.side == OTHER_SIDE):
        sides.setdefault(party.side, []).append(party)
    quote_list = list(quotes.values())
    return CaseView(
        slug=content.slug,
        url=base,
        case=case,
        summary_sources=cite(case.sources),
        key_facts=[(fact, cite(fact.sources)) for fact in case.key_facts],
        conflicts=[_conflict_view(c, cite) for c in case.conflicts],
        updates=updates,
        last_updated=updates[0].date if updates else None,
        first_published=updates[-1].date if updates else None,
        parties=list(parties.values()),
        sides=list(sides.items()),
        rulings=list(rulings.values()),
        events=events,
        timeline=timeline_of("Every event", f"{base}timeline/", events),
        kind_filters=kind_filters,
        party_filters=party_filters,
        quotes=quote_list,
        key_quotes=[q for q in quote_list if q.key],
        quote_pages=paginate(
            [q for q in quote_list if not q.key], f"{base}quotes/", lambda q: q.said_on
        ),
        polls=polls,
        sources=sources,
    )


def case_views(view: CaseView) -> Iterator[Tracked]:
    """Every tracked view of a case, the case's own first."""
    yield view
    yield from view.parties
    yield from view.quotes
    yield from view.events
    yield from view.rulings
    yield from view.polls
    yield from view.sources


EMBED_FOLDER = "embed"
"""A case's folder of embeddable pages: `<case>/embed/timeline/`, `<case>/embed/quotes/<id>/`."""
EMBED_HOST_SCRIPT = "static/embed-host.js"
OEMBED_FILE = "oembed.json"
EMBED_WIDTH = 640
"""The width, in pixels, the oEmbed answer gives; the frame itself fills its column."""
TIMELINE_EMBED_HEIGHT = 640
QUOTE_EMBED_HEIGHT = 360
"""The frames' heights before their script sets them, or without scripts: the frame then
scrolls on its own."""


@dataclass(frozen=True, slots=True)
class Embed:
    """One page of the site as another site embeds it: the code a newsroom pastes (a frame and
    the script that sizes it) and the oEmbed answer that gives the same code.

    The code and the answer are made when a template goes through them, from these few
    values; a site of 10,000 quotes would otherwise hold 20,000 long texts from planning on.
    """

    url: str
    """The embedded page, site-root-relative, perhaps with `#<id>` of an item to show."""
    title: str
    """What the frame shows, for readers of its title and for oEmbed."""
    height: int
    base_url: str
    provider: str
    """The site's title."""
    oembed: str | None
    """The oEmbed answer's site-root-relative URL; None for a frame at an item of a page."""

    @property
    def snippet(self) -> str:
        """The HTML to paste: every value escaped for its attribute, so that nothing in a
        title can end the attribute or the element."""
        src, title = escape(self.base_url + self.url), escape(self.title)
        host_script = escape(self.base_url + EMBED_HOST_SCRIPT)
        return (
            f'<iframe src="{src}" title="{title}" width="100%" height="{self.height}" '
            'loading="lazy" style="border:0"></iframe>\n'
            f'<script src="{host_script}" async></script>'
        )

    @property
    def oembed_url(self) -> str:
        """The oEmbed answer's absolute URL, for the discovery link; empty if there is none."""
        return self.base_url + self.oembed if self.oembed is not None else ""

    @property
    def oembed_json(self) -> str:
        """The oEmbed answer (a `rich` type). `<`, `>` and `&` are written as JSON escapes, so
        that a server that sends the file as HTML would show no element of it."""
        answer = {
            "version": "1.0",
            "type": "rich",
            "title": self.title,
            "provider_name": self.provider,
            "provider_url": self.base_url,
            "html": self.snippet,
            "width": EMBED_WIDTH,
            "height": self.height,
        }
        return json_for_html(json.dumps(answer, ensure_ascii=False, indent=2, sort_keys=True))


def json_for_html(text: str) -> str:
    """JSON text with `<`, `>` and `&` written as JSON escapes: the same data, in which no
    HTML tag or entity can start (inside a `<script>` element, or a file sent as HTML)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def embed_url(case_url: str, kind: str) -> str:
    """The URL of a case's embeddable pages of one kind (`timeline/`, `quotes/<id>/`)."""
    return f"{case_url}{EMBED_FOLDER}/{kind}"


def _by_year(events: list[EventView]) -> list[YearGroup]:
    years: dict[int, list[EventView]] = {}
    for event in events:
        years.setdefault(event.date.year, []).append(event)
    return [YearGroup(year, items) for year, items in years.items()]


def timeline_of(label: str, url: str, events: list[EventView]) -> Timeline:
    """The timeline of `events` at `url`, over one page or several (see `paging`)."""
    pages = [(page, _by_year(page.items)) for page in paginate(events, url, lambda e: e.date)]
    starts: dict[int, str] = {}
    for page, years in pages:
        for group in years:
            starts.setdefault(group.year, page.url)
    if len(starts) < 2:
        starts = {}
    return Timeline(
        label,
        url,
        len(events),
        [
            TimelinePage(
                page.url,
                years,
                page.nav,
                [YearLink(y, f"{at}#_year-{y}", at == page.url) for y, at in starts.items()],
            )
            for page, years in pages
        ],
    )


def _conflict_view(conflict: Conflict, cite: Cite) -> ConflictView:
    return ConflictView(conflict.id, conflict.title, conflict.text, cite(conflict.sources))


def _attach_to_parties(
    content: CaseContent,
    parties: dict[str, PartyView],
    quotes: dict[str, QuoteView],
    rulings: dict[str, RulingView],
    events: list[EventView],
) -> None:
    for quote in content.quotes:
        parties[quote.speaker].quotes.append(quotes[quote.id])
    for party in parties.values():
        party.quotes.sort(key=lambda q: q.said_on.sort_key)
    by_id = {e.id: e for e in events}
    for event in sorted(content.events, key=lambda e: e.date.sort_key):
        for party_id in event.parties:
            parties[party_id].events.append(by_id[event.id])
    for ruling in sorted(content.rulings, key=lambda r: r.date.sort_key):
        involved = {ruling.court, *ruling.judges}
        for party_id in sorted(involved):
            parties[party_id].rulings.append(rulings[ruling.id])


def _poll_view(poll: Poll, base: str, party_link: PartyLinker, cite: Cite) -> PollView:
    questions = []
    for question in poll.questions:
        bars = [
            Bar(r.answer, r.percent, f"{r.percent:g}%", 8 + index * 36, round(r.percent * 4, 1))
            for index, r in enumerate(question.results)
        ]
        reported = ", ".join(f"{b.answer}: {b.label}" for b in bars)
        total = sum(r.percent for r in question.results)
        questions.append(
            QuestionView(
                id=question.id,
                text=question.text,
                wording=question.wording or NOT_REPORTED,
                results=bars,
                unreported_rest=total < 99.5,
                chart_height=16 + len(bars) * 36,
                description=f"Bar chart. {reported}."
                + (" Other answers: not reported." if total < 99.5 else ""),
                sources=cite(question.sources),
            )
        )
    fieldwork = NOT_REPORTED
    if poll.fieldwork is not None:
        start, end = poll.fieldwork.start, poll.fieldwork.end
        fieldwork = start.display if start == end else f"{start.display} to {end.display}"
    return PollView(
        id=poll.id,
        url=f"{base}polls/{poll.id}/",
        csv_url=f"{base}polls/{poll.id}/{poll.id}.csv",
        csv_name=f"{poll.id}.csv",
        title=poll.title,
        pollster=party_link(poll.pollster),
        commissioned_by=party_link(poll.commissioned_by) if poll.commissioned_by else None,
        fieldwork=fieldwork,
        published=poll.published.display if poll.published else NOT_REPORTED,
        population=poll.population or NOT_REPORTED,
        sample_size=f"{poll.sample_size:,}" if poll.sample_size else NOT_REPORTED,
        margin_of_error=f"±{poll.margin_of_error:g} percentage points"
        if poll.margin_of_error
        else NOT_REPORTED,
        mode=poll.mode or NOT_REPORTED,
        summary=poll.summary,
        questions=questions,
        sources=cite(poll.sources),
    )


def _source_views(
    content: CaseContent,
    base: str,
    quotes: dict[str, QuoteView],
    rulings: dict[str, RulingView],
    events: list[EventView],
    polls: list[PollView],
    parties: dict[str, PartyView],
) -> list[SourceView]:
    views = {
        s.id: SourceView(
            id=s.id,
            number=n,
            anchor=f"{base}sources/#{s.id}",
            title=s.title,
            publisher=s.publisher,
            author=s.author,
            url=s.url,
            published=s.published.display if s.published else NOT_REPORTED,
            accessed=s.accessed.display if s.accessed else None,
            note=s.note,
        )
        for n, s in enumerate(content.sources, start=1)
    }
    seen: dict[str, set[Link]] = {source_id: set() for source_id in views}

    def add_unique(source_id: str, link: Link) -> None:
        if link not in seen[source_id]:
            seen[source_id].add(link)
            views[source_id].cited_by.append(link)

    overview = Link(content.slug, "Overview", base)
    for source_id in _case_source_ids(content.case):
        add_unique(source_id, overview)
    for label_items in (
        [(Link(e.id, e.title, e.url), e.sources) for e in events],
        [(Link(r.id, r.title, r.url), r.sources) for r in rulings.values()],
        [(Link(q.id, quote_label(q), q.url), q.sources) for q in quotes.values()],
        [
            (Link(p.id, p.title, p.url), p.sources + [c for q in p.questions for c in q.sources])
            for p in polls
        ],
        [(Link(p.id, p.name, p.url), p.sources) for p in parties.values()],
    ):
        for link, cites in label_items:
            for citation in cites:
                add_unique(citation.id, link)
    return list(views.values())


def _case_source_ids(case: Case) -> list[str]:
    """Sources cited by the overview: the summary's, the key facts' and the conflicts'."""
    ids = list(case.sources)
    for fact in case.key_facts:
        ids.extend(fact.sources)
    for conflict in case.conflicts:
        ids.extend(conflict.sources)
    return ids


def quote_label(quote: QuoteView) -> str:
    """A quote named by who said it and when, never by its words (which a patch may change)."""
    return f"Quote by {quote.speaker.label}, {quote.said_on.display}"
