"""Ready-made views of a validated case, for templates that only display.

Every reference is resolved (a quote's speaker becomes a `Link` with a name and a URL),
every list is sorted, and every URL is site-root-relative (`<case>/quotes/<id>/`); a
template prefixes it with the page's `root` to make it relative to the page. `resolve`
makes these views from a validated case; `plan` hands them to the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.dates import PartialDate
from generator.models import SOURCE_KINDS, Case, KeyFact, Update

# Re-exported: render's JSON-LD filter imports it from here.
from generator.plan.embeds import json_for_html as json_for_html
from generator.plan.paging import ListPage, PageNav
from generator.strings import DEFAULT_LANGUAGE, ui_strings

if TYPE_CHECKING:
    from generator.plan.languages import TextLanguage, Untranslated

OTHER_SIDE = "Other"
"""The side of a party whose editors name none (a key, not words: see `side_heading`)."""
COURT_SIDES = frozenset({"court", "courts", "the court", "the courts"})
"""Sides (as editors write them, any case) of the courts and judges, who take no side."""
NEUTRAL_SIDES = frozenset({"neutral", "neither", "none"})


def not_reported(language: str = DEFAULT_LANGUAGE) -> str:
    """What a fact no source reports says instead ("not reported")."""
    return ui_strings(language)["not_reported"]


def event_kind_label(kind: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A kind of event (`EVENT_KINDS`) in readers' words: "Filing"."""
    return ui_strings(language)[f"event_kind.{kind}"]


def stage_label(stage: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A ruling's stage in readers' words: "Court of appeals"."""
    return ui_strings(language)[f"stage.{stage}"]


def party_kind_label(kind: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A kind of party in readers' words: "Organization"."""
    return ui_strings(language)[f"party_kind.{kind}"]


def source_kind_label(kind: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A kind of source (`SOURCE_KINDS`) as the sources page heads its group."""
    return ui_strings(language)[f"source_kind.{kind}"]


SOURCE_KIND_LABELS = {kind: source_kind_label(kind) for kind in SOURCE_KINDS}
"""Each kind of source's heading on the sources page in English, in the order of the groups."""


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
    language: TextLanguage | Untranslated | None = None
    """The label's language where it is not the page's (a name, a title not translated)."""

    def __repr__(self) -> str:
        """The generated one, written out: every page's fingerprint counts its links, and the
        generated one, with its guard against recursion, takes three times as long."""
        return (
            f"Link(id={self.id!r}, label={self.label!r}, url={self.url!r}, "
            f"language={self.language!r})"
        )


@dataclass(frozen=True)
class Citation:
    """A citation of a source: its number on the sources page and the anchor it links to."""

    id: str
    number: int
    url: str
    title: str
    publisher: str
    source_url: str
    """The source's own address (the page cited), which printed pages list."""
    language: TextLanguage | None = None
    """The title's and publisher's language where it is not the page's: a source is cited
    as published, never translated."""

    def __repr__(self) -> str:
        """What a page's fingerprint counts (every page lists the citations it prints):
        written out, three times faster than the generated one."""
        return (
            f"Citation({self.id!r}, {self.number}, {self.url!r}, {self.title!r}, "
            f"{self.publisher!r}, {self.source_url!r}, {self.language!r})"
        )


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
    sides_with: str | None
    """Whose side the party is on, in readers' words ("Microsoft", "Neither side: a court
    deciding the case"); None for a party of no side."""
    summary: str | None
    member_of: Link | None
    members: list[Link]
    sources: list[Citation]
    quotes: list[QuoteView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    rulings: list[RulingView] = field(default_factory=list)
    image: MediaView | None = None
    """A picture of the party (a building, a seal); None without one."""
    portrait: MediaView | None = None
    """A person's picture, shown on their page and beside their quotes; None without one."""
    name_language: TextLanguage | None = None
    """The name's language where it is not the page's: names are never translated."""
    sides_with_language: TextLanguage | None = None
    """`sides_with`'s language where it is a side as the editors name it (never translated)
    on a page in another language; None where it is in the page's words."""
    untranslated: Untranslated | None = None
    """Set when the party's role, title and summary are shown in the default language's
    words on a page of another, for want of a translation."""


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
    verbatim_in: Citation
    """The source that prints the exact words."""
    corroborated_by: list[Citation]
    """The quote's other sources, in the order of `sources` (the sources page's)."""
    events: list[Link] = field(default_factory=list)
    portrait: MediaView | None = None
    """The speaker's portrait, shown beside the words; None without one."""
    words_language: str | None = None
    """The words' own language (BCP 47) where it is not the page's, for their `lang`; None
    where it is."""
    words_dir: str | None = None
    """The words' writing direction (`ltr`, `rtl`) where their language is not the page's, for
    their `dir`, so that English words read left to right on an Arabic page."""
    note_language: str | None = None
    """The default language's tag where the page is in another: the note on the wording is
    never translated, and is set in that language's `lang` and `dir`; None otherwise."""
    note_dir: str | None = None
    translation: str | None = None
    """The words translated into the page's language, shown beside them, never in place."""
    translation_note: str | None = None
    """Who translated them from which language, in the page's words."""
    untranslated: Untranslated | None = None
    """Set when the quote's context is shown in the default language's words on a page of
    another, for want of a translation."""
    venue_language: TextLanguage | None = None
    """The venue's language where it is not the page's: venues are never translated."""
    role_language: TextLanguage | Untranslated | None = None
    """`speaker_role`'s language where it is not the page's."""


@dataclass(repr=False)
class EventView(Tracked):
    id: str
    url: str
    timeline_url: str
    date: PartialDate
    date_in_year: str
    """The date as the timeline shows it under its year: `4 Dec`, `June`."""
    title: str
    kind: str
    kind_label: str
    body: str
    line: str
    """The body's first sentence, as plain text: what the timeline shows of it at first."""
    key: bool
    """A turning point of the case, which stands out and is in its key events."""
    parties: list[Link]
    ruling: Link | None
    quotes: list[QuoteView]
    sources: list[Citation]
    image: MediaView | None = None
    """The picture the event page shows, with its credit and licence; None without one."""
    documents: list[DocumentView] = field(default_factory=list)
    """The documents the event page shows, with their excerpts."""
    untranslated: Untranslated | None = None
    """Set when the event is shown in the default language's words on a page of another,
    for the timeline to mark it (`plan.languages`)."""
    tags: list[str] = field(default_factory=list)
    """The event's tags (slugs), as the editor wrote them (in `data.json`)."""
    tag_labels: list[str] = field(default_factory=list)
    """The tags as its page shows them, in words: `court-rulings` as "court rulings"."""
    tags_language: TextLanguage | None = None
    """The tags' language on a page in another language than the default: tags are written
    once, never translated."""


@dataclass(repr=False)
class PeriodView(Tracked):
    """A named span of the case's time, which the timeline shows over the events it holds."""

    KEY_FIELD = "anchor"
    id: str
    anchor: str
    """Its key: `<case>/timeline/#_period-<id>`; the timeline's pages anchor each of its
    groups of events by `_period-<id>` with the year (`EventRun.anchor`)."""
    title: str
    start: PartialDate
    end: PartialDate
    body: str | None
    sources: list[Citation]
    url: str = ""
    """Where the whole timeline first shows it (`<case>/timeline/#_period-<id>-<year>`);
    empty when it holds no event."""
    untranslated: Untranslated | None = None
    """Set when the period is shown in the default language's words on a page of another."""


@dataclass(frozen=True)
class ImageVariant:
    """One file of a picture, as `srcset` names it: its URL and its width in pixels."""

    url: str
    width: int
    size: int = 0
    """The file's size in bytes, which `data.json` lists."""


@dataclass(repr=False)
class MediaView(Tracked):
    """A picture of a case, as pages show it: its files (made by the build, each named by
    its content, so a changed file has new URLs) and what a reader must be told about it.

    Its key is the media item's, not a file's: a new file for the same item changes this
    view's fingerprint, and so renders again only the pages that show it."""

    KEY_FIELD = "key"
    key: str
    id: str
    alt: str
    """Empty for a decorative picture."""
    caption: str | None
    """Markdown."""
    credit: str
    licence: str
    """The SPDX id (or `public-domain`, `permission`)."""
    licence_name: str
    licence_url: str | None
    """The licence's deed; None for `permission`, whose terms `licence_note` gives."""
    licence_note: str | None
    source: str | None
    date: PartialDate | None
    width: int | None
    """The picture's own size in pixels; None for an SVG that states none."""
    height: int | None
    modern: list[ImageVariant]
    """WebP files, narrowest first (none for an SVG)."""
    fallback: list[ImageVariant]
    """JPEG or PNG files (the SVG itself for an SVG), narrowest first."""
    fallback_type: str
    src: str
    """The URL of the widest fallback, the `src` of the `<img>`."""
    structured: dict[str, object]
    """Schema.org `ImageObject` properties known here (the page adds `contentUrl`)."""
    creator: str | None = None
    """Who made it, when other than the credit's wording."""
    copyright_notice: str | None = None
    thumb_width: int | None = None
    """The size a list's thumbnail of it (a portrait beside a quote) is shown at, in CSS
    pixels, within `THUMBNAIL` square; None when the picture states no size."""
    thumb_height: int | None = None
    untranslated: Untranslated | None = None
    """Set when the alt text and caption are in the default language's words on a page of
    another, for want of a translation."""
    credit_language: TextLanguage | None = None
    """The credit's language where it is not the page's: credits are never translated."""


@dataclass(frozen=True)
class ExcerptView:
    """A passage of a document: its words as text, the picture of its page, and a link to
    that page of the PDF."""

    page: int
    quote: str
    sources: list[Citation]
    picture: MediaView
    """The page drawn, its alt text "Page N of <title>", with the document's credit."""
    url: str
    """The PDF at that page (`…/<file>.pdf#page=N`)."""
    label: str
    """The link's text: "Page N of <title> (PDF, X pages)"."""


@dataclass(repr=False)
class DocumentView(Tracked):
    """A document of a case (a PDF, published as it is), as pages show it: its name, credit
    and licence, and its excerpts.

    Keyed by the media item, like `MediaView`; its excerpts' pictures are tracked views of
    their own, so a new file (new URLs) renders again only the pages that show it."""

    KEY_FIELD = "key"
    key: str
    id: str
    title: str
    caption: str | None
    """Markdown."""
    credit: str
    licence: str
    licence_name: str
    licence_url: str | None
    licence_note: str | None
    source: str | None
    date: PartialDate | None
    url: str
    """The PDF's URL (site-root-relative), named by its content."""
    pages: int
    """How many pages the file has."""
    label: str
    """The link's text: "<title> (PDF, X pages)"."""
    excerpts: list[ExcerptView]
    untranslated: Untranslated | None = None
    """Set when the caption is in the default language's words on a page of another, for want
    of a translation."""
    credit_language: TextLanguage | None = None
    """The language of the credit and the title where it is not the page's: neither is ever
    translated (the title is the document's own)."""


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
    outcome_plain: str | None
    holding: str
    favours: Link | None
    next_step: str | None
    sources: list[Citation]
    events: list[Link] = field(default_factory=list)
    image: MediaView | None = None
    """The picture the ruling page shows, with its credit and licence; None without one."""
    documents: list[DocumentView] = field(default_factory=list)
    """The documents the ruling's page shows, with their excerpts."""
    untranslated: Untranslated | None = None
    """Set when the ruling's title, outcome and holding are shown in the default language's
    words on a page of another, for want of a translation."""
    citation_language: TextLanguage | None = None
    """The court's citation's language where it is not the page's (never translated); None
    also where the citation is "not reported", in the page's words."""


@dataclass(frozen=True)
class Bar:
    """One answer of a poll question: a row of its table, drawn as a bar."""

    answer: str
    percent: float
    label: str
    width: float
    """The bar's length, out of 100 for the whole row (a share over 100 is drawn as 100)."""


@dataclass(frozen=True)
class MethodRow:
    """One reported fact of how a poll was done, linked when it names a party."""

    label: str
    value: str
    url: str | None = None
    language: TextLanguage | None = None
    """The value's language where it is the editors' words (a name, the population) on a
    page in another language; None where it is in the page's words."""


@dataclass
class QuestionView:
    id: str
    text: str
    wording: str
    """The exact wording, or `not_reported` in the pages' language."""
    exact_wording: str | None
    """The exact wording as respondents heard it, None when no source reports it."""
    results: list[Bar]
    unreported_rest: bool
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
    method: list[MethodRow]
    """How the poll was done: each fact a source reports, in a fixed order."""
    not_reported: list[str]
    """The facts of `method`'s order that no source reports, in lower case."""
    notes: list[str]
    """What holds for every question's results, said once for the page."""
    untranslated: Untranslated | None = None
    """Set when the poll's title and questions are in the default language's words on a page
    of another, for want of a translation."""
    answers_language: TextLanguage | None = None
    """The answers' and the exact wordings' language on a page in another: they are given as
    the pollster asked them, never translated."""


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
    kind: str
    cited_by: list[Link] = field(default_factory=list)
    language: TextLanguage | None = None
    """The title's, author's, publisher's and note's language where it is not the page's:
    sources are listed as published, never translated."""


@dataclass
class SourceGroup:
    """The sources of one kind, as the sources page lists them (`SOURCE_KIND_LABELS`)."""

    kind: str
    label: str
    sources: list[SourceView]


@dataclass
class ConflictView:
    id: str
    title: str
    text: str
    sources: list[Citation]


@dataclass(frozen=True)
class TermView:
    """A term of a case's glossary, as its glossary page lists it."""

    id: str
    term: str
    forms: list[str]
    """Its other forms, as the editor wrote them; prose links these and the term itself."""
    definition: str
    sources: list[Citation]
    untranslated: Untranslated | None = None
    """Set when the term is shown in the default language's words on a page of another."""


@dataclass(repr=False)
class GlossaryView(Tracked):
    """A case's glossary: its own terms and the site-wide ones, in alphabetical order.

    Every page whose prose may link a term reads it (`render.terms`), so a change of the
    glossary renders those pages again."""

    url: str
    terms: list[TermView]


@dataclass
class EventRun:
    """Events of one year that follow one another on a timeline page, in one period or in
    none; a period that reaches over several years, or over an inner period, has a run in
    each part."""

    period: PeriodView | None
    events: list[EventView]
    anchor: str = ""
    """The run's anchor on its page, `_period-<id>-<year>`; empty outside periods."""
    continued: bool = False
    """Whether the period already showed on this page (in an earlier year or before an inner
    period): its body and sources are then not repeated."""

    def __repr__(self) -> str:
        """The generated one, written out, as `context.Link`'s."""
        return (
            f"EventRun(period={self.period!r}, events={self.events!r}, "
            f"anchor={self.anchor!r}, continued={self.continued!r})"
        )


@dataclass
class YearGroup:
    year: int
    events: list[EventView]
    runs: list[EventRun] = field(default_factory=list)
    """`events` cut where periods begin and end; one run without a period when the case has
    none."""

    def __repr__(self) -> str:
        """The generated one, written out, as `context.Link`'s."""
        return f"YearGroup(year={self.year!r}, events={self.events!r}, runs={self.runs!r})"


@dataclass(frozen=True)
class YearLink:
    year: int
    url: str
    """Where the year starts: `<timeline page URL>#_year-<year>`."""
    here: bool
    """Whether it starts on the page that shows the link (which then needs only the anchor)."""

    def __repr__(self) -> str:
        """The generated one, written out, as `context.Link`'s."""
        return f"YearLink(year={self.year!r}, url={self.url!r}, here={self.here!r})"


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
    language: TextLanguage | None = None
    """The label's language where it is not the page's (a party's name)."""


@dataclass(frozen=True)
class DateSpan:
    """When a case ran, to the month: "December 2013 – April 2018" (see `resolve`)."""

    start: PartialDate
    end: PartialDate | None
    """None when the case's steps all fall in the month (or year) of `start`."""
    start_label: str
    """"December 2013"; "March" when the span ends in the same year ("March – April 2018")."""
    end_label: str
    label: str
    """The whole span as text, for descriptions and cards."""


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
    """The parties grouped by side, each group under a heading in readers' words
    ("The Microsoft side", "Courts and judges", "Neither side", "Others")."""
    rulings: list[RulingView]
    events: list[EventView]
    timeline: Timeline
    kind_filters: list[Timeline]
    party_filters: list[Timeline]
    key_timeline: Timeline | None
    """The key events alone (`timeline/key/`); None when the case marks none."""
    quotes: list[QuoteView]
    key_quotes: list[QuoteView]
    quote_pages: list[ListPage[QuoteView]]
    """The quotes that are not key quotes, in date order, over one page or several."""
    polls: list[PollView]
    sources: list[SourceView]
    glossary: GlossaryView
    glossary_url: str | None
    """The glossary page's URL; None when the case has no terms (and no glossary page)."""
    status_label: str
    """The case's status as its badge says it ("Ongoing"), in the pages' language."""
    span: DateSpan | None = None
    """From the first to the last step in court (`resolve.COURT_STEPS`); None without any."""
    next_step: str | None = None
    """What happens next: the case's own `next_step` while it is ongoing, else None."""
    translation_credit: str | None = None
    """On a page in a language the case is translated into: who translated it and when, in
    the page's words ("Translated by …, 6 December 2026.")."""
    next_step_ruling: RulingView | None = None
    """The latest ruling, whose `next_step` says what comes next while the case is ongoing
    and has no `next_step` of its own; else None. The overview reads it from the ruling's
    view, so that an edit of the ruling's wording reaches the overview."""
    media: list[MediaView] = field(default_factory=list)
    """The case's pictures that pages show, in the editor's order."""
    image: MediaView | None = None
    """The case's picture, shown on its overview; None without one."""
    documents: list[DocumentView] = field(default_factory=list)
    """The case's documents, in the editor's order."""
    untranslated: Untranslated | None = None
    """Set when the case's own words (title, summary, in brief, questions, key facts, next
    step) are in the default language's on a page of another, for want of a translation."""
    original: TextLanguage | None = None
    """The default language's mark on pages of another, for the case's words that are never
    translated (its official name, its updates, where sources disagree); None on pages in
    the default language."""
    periods: list[PeriodView] = field(default_factory=list)
    """The case's periods, by start (the longer first where two start together)."""
    period_of: dict[str, PeriodView] = field(default_factory=dict)
    """The period each event falls in, by event id (`timeline.periods_of`); events in none
    are not in it."""


def case_views(view: CaseView) -> Iterator[Tracked]:
    """Every tracked view of a case, the case's own first."""
    yield view
    yield from view.parties
    yield from view.quotes
    yield from view.events
    yield from view.rulings
    yield from view.polls
    yield from view.sources
    yield from view.periods
    yield view.glossary
    yield from view.media
    for document in view.documents:
        yield document
        yield from {
            excerpt.picture.view_key: excerpt.picture for excerpt in document.excerpts
        }.values()


def side_heading(side: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The heading of the parties of one side, in readers' words."""
    words = ui_strings(language)
    folded = side.casefold()
    if folded in COURT_SIDES:
        return words["side.courts"]
    if folded in NEUTRAL_SIDES:
        return words["side.neutral"]
    if side == OTHER_SIDE:
        return words["side.others"]
    return words["side.named"].format(side=side.removeprefix("the ").removeprefix("The "))


def sides_with(side: str, language: str = DEFAULT_LANGUAGE) -> str | None:
    """Whose side a party of `side` is on, in readers' words; None for no side."""
    folded = side.casefold()
    if folded in COURT_SIDES:
        return ui_strings(language)["side.court_sides_with"]
    if folded in NEUTRAL_SIDES:
        return ui_strings(language)["side.neutral"]
    return None if side == OTHER_SIDE else side


def quote_label(quote: QuoteView, language: str = DEFAULT_LANGUAGE) -> str:
    """A quote named by who said it and when, never by its words (which a patch may change)."""
    return ui_strings(language)["quote.heading"].format(
        speaker=quote.speaker.label, date=quote.said_on.display_in(language)
    )
