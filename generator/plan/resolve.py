"""Resolve a validated case into its views (`context`): every reference followed, every list
sorted, every URL made. Pure: `CaseContent` in, `CaseView` out; validation has already
checked every reference, so nothing here fails."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from generator.dates import PartialDate, format_number, format_percentage
from generator.models import EVENT_KINDS, Case, Conflict, Poll, Quote
from generator.plan.context import (
    OTHER_SIDE,
    Bar,
    CaseView,
    Citation,
    ConflictView,
    DateSpan,
    DocumentView,
    EventView,
    GlossaryView,
    Link,
    MediaView,
    MethodRow,
    PartyView,
    PeriodView,
    PollView,
    QuestionView,
    QuoteView,
    RulingView,
    SourceView,
    TermView,
    Timeline,
    event_kind_label,
    not_reported,
    party_kind_label,
    quote_label,
    side_heading,
    sides_with,
    stage_label,
)
from generator.plan.languages import TextLanguage, Untranslated, language_name
from generator.plan.media import DocumentsMade, MediaFiles, document_views, media_views
from generator.plan.paging import page_number, page_url, paginate
from generator.plan.timeline import first_sentence, periods_of, timeline_of, within_year
from generator.strings import DEFAULT_LANGUAGE, is_right_to_left, status_label, ui_strings
from generator.validate.content import CaseContent

Cite = Callable[[list[str]], list[Citation]]
PartyLinker = Callable[[str], Link]

COURT_STEPS = frozenset({"filing", "hearing", "ruling", "order", "brief", "deadline"})
"""The kinds of event that are steps of the case in court. With the rulings they make the
case's span of dates; statements, polls, legislation and context around the case (a law
of 1986 it turns on) do not stretch it."""


def case_view(
    content: CaseContent,
    media_files: MediaFiles | None = None,
    documents_made: DocumentsMade | None = None,
    language: str = DEFAULT_LANGUAGE,
    prefix: str = "",
    untranslated: Mapping[tuple[str, str], Untranslated] | None = None,
    default_language: str = DEFAULT_LANGUAGE,
    page_language: str | None = None,
    original: TextLanguage | None = None,
) -> CaseView:
    """Resolve and sort everything about one case for its pages; `media_files` and
    `documents_made` are the files the build made of its pictures and documents (see
    `plan.media`); `language` the language of the pages, in whose words labels, dates and
    numbers are given. `prefix` is the folder of the pages' language (`plan.languages`):
    the case's pages are under it, its pictures and documents shared by every language;
    `untranslated` marks, by (collection, id), the items shown in the default language's
    words for want of a translation; `default_language` is the site's, in which quotes'
    words are unless they say otherwise, and `page_language` the pages' `lang` (by default
    the site's); `original` marks, on pages in another language than the default, the
    default language's words that are never translated (names, sources, venues)."""
    words = ui_strings(language)
    base = f"{prefix}{content.slug}/"
    marks = untranslated or {}
    media = media_views(content.slug, content.media, media_files) if media_files else {}
    # Words in the default language on a page of another (`original` is None on the default
    # language's pages, which need none of this).
    other = original is not None
    for ident, picture in media.items() if other else ():
        picture.untranslated = marks.get(("media", ident))
        picture.credit_language = original
    cite = _citer(content, base, original)
    documents = (
        document_views(content.slug, content.media, documents_made, cite, language)
        if documents_made
        else {}
    )
    for ident, document in documents.items() if other else ():
        document.untranslated = marks.get(("media", ident))
        document.credit_language = original
    # One link per party, shared by every item that names it (as `_citer`'s citations are).
    party_links = {
        p.id: Link(p.id, p.name, f"{base}parties/{p.id}/", original) for p in content.parties
    }
    party_link = party_links.__getitem__
    parties = _party_views(content, base, party_link, cite, language)
    for ident, party in parties.items() if other else ():
        party.name_language = original
        if party.sides_with == party.side:
            party.sides_with_language = original
        party.untranslated = marks.get(("parties", ident))
    lang = page_language or default_language
    quotes = _quote_views(content, base, party_link, cite, language, default_language, lang)
    for q in content.quotes if other else ():
        quote = quotes[q.id]
        quote.untranslated = marks.get(("quotes", q.id))
        quote.venue_language = original
        if q.speaker_role is not None:
            quote.role_language = original
        elif (speaker := parties[q.speaker].untranslated) is not None:
            quote.role_language = speaker.of("title" if parties[q.speaker].title else "role")
    rulings = _ruling_views(content, base, party_link, cite, language)
    for r in content.rulings if other else ():
        rulings[r.id].untranslated = marks.get(("rulings", r.id))
        if r.citation:
            rulings[r.id].citation_language = original
    events = _event_views(
        content, base, party_link, cite, quotes, rulings, media, language, untranslated
    )
    for event in events if other else ():
        if event.tags:
            event.tags_language = original
    if media:
        _attach_pictures(content, parties, quotes, rulings, media)
    _attach_to_parties(content, parties, quotes, rulings, events)
    if documents:
        _attach_documents(content, rulings, events, documents)
    periods = _period_views(content, base, cite, language, marks)
    period_of = periods_of(events, periods)
    polls = [_poll_view(p, base, party_link, cite, language, original) for p in content.polls]
    for poll in polls if other else ():
        poll.untranslated = marks.get(("polls", poll.id))
        poll.answers_language = original
    timeline = timeline_of(
        words["filters.every_event"], f"{base}timeline/", events, language, period_of
    )
    _place_periods(periods, timeline)
    sources = _source_views(
        content, base, quotes, rulings, events, polls, parties, language, periods
    )
    for source in sources if other else ():
        source.language = original
    case = content.case
    updates = sorted(case.updates, key=lambda u: u.date.sort_key, reverse=True)
    quote_list = list(quotes.values())
    ruling_list = list(rulings.values())
    ongoing = case.status == "ongoing"
    glossary = _glossary_view(content, base, cite, marks)
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
        sides=_sides(parties, language),
        rulings=ruling_list,
        events=events,
        timeline=timeline,
        kind_filters=_kind_filters(base, events, language, period_of),
        party_filters=_party_filters(base, parties, language, period_of),
        key_timeline=_key_timeline(base, events, language, period_of),
        quotes=quote_list,
        key_quotes=[q for q in quote_list if q.key],
        quote_pages=paginate(
            [q for q in quote_list if not q.key],
            f"{base}quotes/",
            lambda q: q.said_on,
            language=language,
        ),
        polls=polls,
        sources=sources,
        span=date_span(
            [r.date for r in ruling_list] + [e.date for e in events if e.kind in COURT_STEPS],
            language,
        ),
        status_label=status_label(case.status, language),
        next_step=case.next_step if ongoing else None,
        next_step_ruling=ruling_list[-1]
        if ongoing and case.next_step is None and ruling_list
        else None,
        glossary=glossary,
        glossary_url=glossary.url if glossary.terms else None,
        translation_credit=_translation_credit(content, language),
        media=list(media.values()),
        image=media.get(case.image) if case.image is not None else None,
        documents=list(documents.values()),
        untranslated=marks.get(("case", content.slug)),
        original=original,
        periods=periods,
        period_of=period_of,
    )


def date_span(dates: Iterable[PartialDate], language: str = DEFAULT_LANGUAGE) -> DateSpan | None:
    """The span from the earliest to the latest of `dates`, each to the month at most, in
    `language`'s words; None without dates."""
    ordered = sorted(dates, key=lambda d: d.sort_key)
    if not ordered:
        return None
    start, end = (
        PartialDate(d.year, d.month, None, d.approximate) for d in (ordered[0], ordered[-1])
    )
    if start == end or (start.year, start.month) == (end.year, end.month):
        label = start.display_in(language)
        return DateSpan(start, None, label, "", label)
    start_label = start.display_in(language)
    if start.year == end.year and start.month is not None and not start.approximate:
        start_label = start.within_year_in(language)  # the month alone: "December – April 2018"
    end_label = end.display_in(language)
    return DateSpan(start, end, start_label, end_label, f"{start_label} – {end_label}")


def _glossary_view(
    content: CaseContent,
    base: str,
    cite: Cite,
    marks: Mapping[tuple[str, str], Untranslated] | None = None,
) -> GlossaryView:
    """The case's glossary, its terms in alphabetical order (ignoring case), each marked
    where it is in the default language's words (`marks`)."""
    marked = marks or {}
    terms = [
        TermView(
            t.id,
            t.term,
            list(t.forms),
            t.definition,
            cite(t.sources),
            marked.get(("glossary", t.id)),
        )
        for t in sorted(content.glossary, key=lambda t: (t.term.casefold(), t.id))
    ]
    return GlossaryView(url=f"{base}glossary/", terms=terms)


def _citer(content: CaseContent, base: str, original: TextLanguage | None = None) -> Cite:
    """How the case's items cite its sources.

    One citation per source, shared by every item that cites it: tens of thousands fewer
    objects at 10,000 quotes, in memory the workers share."""
    sources_url = f"{base}sources/"
    numbered = {s.id: n for n, s in enumerate(content.sources, start=1)}
    citations = {
        s.id: Citation(s.id, n, f"{sources_url}#{s.id}", s.title, s.publisher, s.url, original)
        for n, s in enumerate(content.sources, start=1)
    }

    def cite(ids: list[str]) -> list[Citation]:
        """Citations in the order of the sources page, each source once."""
        return [citations[i] for i in sorted(set(ids), key=numbered.__getitem__)]

    return cite


def _party_views(
    content: CaseContent, base: str, party_link: PartyLinker, cite: Cite, language: str
) -> dict[str, PartyView]:
    """The parties by id, in the order of the content; `_attach_to_parties` fills in what
    each said and took part in."""
    return {
        p.id: PartyView(
            id=p.id,
            url=f"{base}parties/{p.id}/",
            name=p.name,
            kind=p.kind,
            kind_label=party_kind_label(p.kind, language),
            role=p.role,
            title=p.title,
            side=p.side or OTHER_SIDE,
            sides_with=sides_with(p.side or OTHER_SIDE, language),
            summary=p.summary,
            member_of=party_link(p.member_of) if p.member_of else None,
            members=[party_link(m.id) for m in content.parties if m.member_of == p.id],
            sources=cite(p.sources),
        )
        for p in content.parties
    }


def _translation_credit(content: CaseContent, language: str) -> str | None:
    """Who translated the case into the pages' language and when, in its words; None for a
    case not translated (as in the default language)."""
    credit = content.translation_credit
    if credit is None:
        return None
    return ui_strings(language)["lang.translated_by"].format(
        who=isolated(credit.translated_by), date=credit.translated_on.display_in(language)
    )


def isolated(name: str) -> str:
    """A name set in a sentence of the page's words, isolated (FSI … PDI) so that the
    sentence's own direction does not reorder it with what follows: "ترجمة Case Explainers،
    6 ديسمبر" keeps the date after the name. Its language is not known (a translator writes
    it as they please), so it gets no `lang`."""
    return f"\u2068{name}\u2069"


def _quote_views(
    content: CaseContent,
    base: str,
    party_link: PartyLinker,
    cite: Cite,
    language: str = DEFAULT_LANGUAGE,
    default_language: str = DEFAULT_LANGUAGE,
    page_language: str = DEFAULT_LANGUAGE,
) -> dict[str, QuoteView]:
    """The quotes by id, in date order; a quote's words in another language than the
    pages' (`page_language`) with their translation beside them, where there is one, noted
    in the pages' words (`language`)."""
    party_by_id = {p.id: p for p in content.parties}
    credit = content.translation_credit
    words = ui_strings(language)

    def translated(q: Quote) -> tuple[str | None, str | None]:
        said_in = q.language or default_language
        if q.translation is None or _same_language(said_in, page_language):
            return None, None
        who = q.translated_by or (credit.translated_by if credit is not None else None)
        note = (
            words["lang.translation_of_quote"].format(
                language=language_name(said_in), who=isolated(who)
            )
            if who
            else None
        )
        return q.translation, note

    def own_language(q: Quote) -> str | None:
        said_in = q.language or default_language
        return None if _same_language(said_in, page_language) else said_in

    note_language = None if _same_language(default_language, page_language) else default_language
    return {
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
            verbatim_in=cite([q.verbatim_in])[0],
            corroborated_by=cite([s for s in q.sources if s != q.verbatim_in]),
            words_language=own_language(q),
            words_dir=_direction(own_language(q)),
            note_language=note_language,
            note_dir=_direction(note_language),
            translation=translated(q)[0],
            translation_note=translated(q)[1],
        )
        for q in sorted(content.quotes, key=lambda q: q.said_on.sort_key)
    }


def _of(mark: Untranslated | None, field: str) -> Untranslated | None:
    """An item's mark for one of its fields: None where it is translated, or not marked."""
    return mark.of(field) if mark is not None else None


def _direction(language: str | None) -> str | None:
    """`rtl` or `ltr` for words in `language`; None when they are in the page's."""
    if language is None:
        return None
    return "rtl" if is_right_to_left(language) else "ltr"


def _same_language(one: str, other: str) -> bool:
    """Whether two language tags name the same language (`en-GB` and `en`)."""
    return one.split("-")[0].lower() == other.split("-")[0].lower()


def _ruling_views(
    content: CaseContent, base: str, party_link: PartyLinker, cite: Cite, language: str
) -> dict[str, RulingView]:
    """The rulings by id, in date order."""
    missing = not_reported(language)
    return {
        r.id: RulingView(
            id=r.id,
            url=f"{base}rulings/{r.id}/",
            title=r.title,
            court=party_link(r.court),
            stage=r.stage,
            stage_label=stage_label(r.stage, language),
            judges=[party_link(j) for j in r.judges],
            date=r.date,
            citation=r.citation or missing,
            outcome=r.outcome,
            outcome_plain=r.outcome_plain,
            holding=r.holding,
            favours=party_link(r.favours) if r.favours else None,
            next_step=r.next_step,
            sources=cite(r.sources),
        )
        for r in sorted(content.rulings, key=lambda r: r.date.sort_key)
    }


def _event_views(
    content: CaseContent,
    base: str,
    party_link: PartyLinker,
    cite: Cite,
    quotes: dict[str, QuoteView],
    rulings: dict[str, RulingView],
    media: dict[str, MediaView],
    language: str,
    untranslated: Mapping[tuple[str, str], Untranslated] | None = None,
) -> list[EventView]:
    """The events in date order, each linked from the quotes and the ruling it names."""
    events: list[EventView] = []
    marks = untranslated or {}
    for index, e in enumerate(sorted(content.events, key=lambda e: e.date.sort_key)):
        line, _ = first_sentence(e.body)
        events.append(
            EventView(
                id=e.id,
                url=f"{base}timeline/{e.id}/",
                timeline_url=f"{page_url(base + 'timeline/', page_number(index))}#{e.id}",
                date=e.date,
                date_in_year=within_year(e.date, language),
                title=e.title,
                kind=e.kind,
                kind_label=event_kind_label(e.kind, language),
                body=e.body,
                line=line,
                key=e.key,
                parties=[party_link(p) for p in e.parties],
                ruling=Link(
                    e.ruling,
                    rulings[e.ruling].title,
                    rulings[e.ruling].url,
                    _of(rulings[e.ruling].untranslated, "title"),
                )
                if e.ruling
                else None,
                quotes=[quotes[q] for q in e.quotes],
                sources=cite(e.sources),
                image=media.get(e.image) if e.image is not None else None,
                untranslated=marks.get(("events", e.id)),
                tags=list(e.tags),
                tag_labels=[tag.replace("-", " ") for tag in e.tags],
            )
        )
    for event in events:
        link = Link(event.id, event.title, event.url, _of(event.untranslated, "title"))
        for quote in event.quotes:
            quote.events.append(link)
        if event.ruling is not None:
            rulings[event.ruling.id].events.append(link)
    return events


def _attach_pictures(
    content: CaseContent,
    parties: dict[str, PartyView],
    quotes: dict[str, QuoteView],
    rulings: dict[str, RulingView],
    media: dict[str, MediaView],
) -> None:
    """Give each ruling and party its picture, a person their portrait, and each quote its
    speaker's portrait. An id that names no picture (a document) gives none."""
    for r in content.rulings:
        if r.image is not None:
            rulings[r.id].image = media.get(r.image)
    for p in content.parties:
        view = parties[p.id]
        if p.image is not None:
            view.image = media.get(p.image)
        if p.portrait is not None:
            view.portrait = media.get(p.portrait)
    for quote in quotes.values():
        quote.portrait = parties[quote.speaker.id].portrait


def _attach_documents(
    content: CaseContent,
    rulings: dict[str, RulingView],
    events: list[EventView],
    documents: dict[str, DocumentView],
) -> None:
    """Give each event and ruling the views of the documents it names."""
    for ruling in content.rulings:
        rulings[ruling.id].documents = [documents[d] for d in ruling.documents]
    by_id = {e.id: e for e in events}
    for event in content.events:
        by_id[event.id].documents = [documents[d] for d in event.documents]


def _period_views(
    content: CaseContent,
    base: str,
    cite: Cite,
    language: str,
    marks: Mapping[tuple[str, str], Untranslated],
) -> list[PeriodView]:
    """The case's periods by start, the longer first where two start together."""
    ordered = sorted(
        content.periods,
        key=lambda p: (p.start.sort_key, tuple(-n for n in p.end.last_sort_key)),
    )
    return [
        PeriodView(
            id=p.id,
            anchor=f"{base}timeline/#_period-{p.id}",
            title=p.title,
            start=p.start,
            end=p.end,
            body=p.body,
            sources=cite(p.sources),
            untranslated=marks.get(("periods", p.id)),
        )
        for p in ordered
    ]


def _place_periods(periods: list[PeriodView], timeline: Timeline) -> None:
    """Give each period the address where the whole timeline first shows it."""
    for page in reversed(timeline.pages):
        for group in reversed(page.years):
            for run in reversed(group.runs):
                if run.period is not None:
                    run.period.url = f"{page.url}#{run.anchor}"


def _kind_filters(
    base: str,
    events: list[EventView],
    language: str,
    period_of: Mapping[str, PeriodView] | None = None,
) -> list[Timeline]:
    """The timeline of each kind of event the case has, in the order of the kinds."""
    return [
        timeline_of(
            event_kind_label(kind, language),
            f"{base}timeline/kind/{kind}/",
            [e for e in events if e.kind == kind],
            language,
            period_of,
        )
        for kind in EVENT_KINDS
        if any(e.kind == kind for e in events)
    ]


def _key_timeline(
    base: str,
    events: list[EventView],
    language: str,
    period_of: Mapping[str, PeriodView] | None = None,
) -> Timeline | None:
    """The timeline of the key events alone, if the case marks any."""
    key_events = [e for e in events if e.key]
    if not key_events:
        return None
    return timeline_of(
        ui_strings(language)["filters.key_events"],
        f"{base}timeline/key/",
        key_events,
        language,
        period_of,
    )


def _party_filters(
    base: str,
    parties: dict[str, PartyView],
    language: str,
    period_of: Mapping[str, PeriodView] | None = None,
) -> list[Timeline]:
    """The timeline of each party that takes part in an event, by name."""
    filters = []
    for party in sorted(parties.values(), key=lambda p: p.name):
        if party.events:
            timeline = timeline_of(
                party.name, f"{base}timeline/party/{party.id}/", party.events, language, period_of
            )
            timeline.language = party.name_language
            filters.append(timeline)
    return filters


def _sides(parties: dict[str, PartyView], language: str) -> list[tuple[str, list[PartyView]]]:
    """The parties grouped by side, the parties of no side last."""
    sides: dict[str, list[PartyView]] = {}
    for party in sorted(parties.values(), key=lambda p: p.side == OTHER_SIDE):
        sides.setdefault(party.side, []).append(party)
    return [(side_heading(side, language), members) for side, members in sides.items()]


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


def _poll_view(
    poll: Poll,
    base: str,
    party_link: PartyLinker,
    cite: Cite,
    language: str,
    original: TextLanguage | None = None,
) -> PollView:
    words = ui_strings(language)
    missing = not_reported(language)
    questions = []
    for question in poll.questions:
        bars = [
            Bar(r.answer, r.percent, format_percentage(r.percent, language), min(r.percent, 100.0))
            for r in question.results
        ]
        questions.append(
            QuestionView(
                id=question.id,
                text=question.text,
                wording=question.wording or missing,
                exact_wording=question.wording,
                results=bars,
                unreported_rest=sum(r.percent for r in question.results) < 99.5,
                sources=cite(question.sources),
            )
        )
    fieldwork = missing
    if poll.fieldwork is not None:
        start, end = poll.fieldwork.start, poll.fieldwork.end
        fieldwork = (
            start.display_in(language)
            if start == end
            else words["poll.fieldwork_span"].format(
                start=start.display_in(language), end=end.display_in(language)
            )
        )
    pollster = party_link(poll.pollster)
    commissioned_by = party_link(poll.commissioned_by) if poll.commissioned_by else None
    published = poll.published.display_in(language) if poll.published else missing
    population = poll.population or missing
    sample_size = format_number(poll.sample_size, language) if poll.sample_size else missing
    margin = (
        words["poll.margin"].format(points=format_number(poll.margin_of_error, language))
        if poll.margin_of_error
        else missing
    )
    mode = poll.mode or missing
    facts = [
        (
            "pollster",
            MethodRow(words["poll.row.pollster"], pollster.label, pollster.url, original),
        ),
        (
            "commissioned_by",
            MethodRow(
                words["poll.row.commissioned_by"],
                commissioned_by.label,
                commissioned_by.url,
                original,
            )
            if commissioned_by
            else MethodRow(words["poll.row.commissioned_by"], missing),
        ),
        ("fieldwork", MethodRow(words["poll.row.fieldwork"], fieldwork)),
        ("published", MethodRow(words["poll.row.published"], published)),
        (
            "population",
            MethodRow(
                words["poll.row.population"],
                population,
                None,
                original if poll.population else None,
            ),
        ),
        ("sample_size", MethodRow(words["poll.row.sample_size"], sample_size)),
        ("margin", MethodRow(words["poll.row.margin"], margin)),
        (
            "mode",
            MethodRow(words["poll.row.mode"], mode, None, original if poll.mode else None),
        ),
    ]
    return PollView(
        id=poll.id,
        url=f"{base}polls/{poll.id}/",
        csv_url=f"{base}polls/{poll.id}/{poll.id}.csv",
        csv_name=f"{poll.id}.csv",
        title=poll.title,
        pollster=pollster,
        commissioned_by=commissioned_by,
        fieldwork=fieldwork,
        published=published,
        population=population,
        sample_size=sample_size,
        margin_of_error=margin,
        mode=mode,
        summary=poll.summary,
        questions=questions,
        sources=cite(poll.sources),
        method=[row for _, row in facts if row.value != missing],
        not_reported=[words[f"poll.missing.{name}"] for name, row in facts if row.value == missing],
        notes=_poll_notes(questions, language),
    )


def _poll_notes(questions: list[QuestionView], language: str) -> list[str]:
    """What holds for every question of a poll, to be said once rather than per question."""
    words = ui_strings(language)
    notes = []
    if any(q.unreported_rest for q in questions):
        notes.append(words["poll.note_rest"])
    quoted = sum(q.exact_wording is not None for q in questions)
    if quoted == 0:
        notes.append(words["poll.note_no_wording"])
    elif quoted < len(questions):
        notes.append(words["poll.note_some_wording"])
    return notes


def _source_views(
    content: CaseContent,
    base: str,
    quotes: dict[str, QuoteView],
    rulings: dict[str, RulingView],
    events: list[EventView],
    polls: list[PollView],
    parties: dict[str, PartyView],
    language: str,
    periods: list[PeriodView] | None = None,
) -> list[SourceView]:
    missing = not_reported(language)
    views = {
        s.id: SourceView(
            id=s.id,
            number=n,
            anchor=f"{base}sources/#{s.id}",
            title=s.title,
            publisher=s.publisher,
            author=s.author,
            url=s.url,
            published=s.published.display_in(language) if s.published else missing,
            accessed=s.accessed.display_in(language) if s.accessed else None,
            note=s.note,
            kind=s.kind,
        )
        for n, s in enumerate(content.sources, start=1)
    }
    seen: dict[str, set[Link]] = {source_id: set() for source_id in views}

    def add_unique(source_id: str, link: Link) -> None:
        if link not in seen[source_id]:
            seen[source_id].add(link)
            views[source_id].cited_by.append(link)

    overview = Link(content.slug, ui_strings(language)["nav.overview"], base)
    for source_id in _case_source_ids(content.case):
        add_unique(source_id, overview)
    for label_items in (
        [(Link(e.id, e.title, e.url, _of(e.untranslated, "title")), e.sources) for e in events],
        [
            (Link(r.id, r.title, r.url, _of(r.untranslated, "title")), r.sources)
            for r in rulings.values()
        ],
        [(Link(q.id, quote_label(q, language), q.url), q.sources) for q in quotes.values()],
        [
            (
                Link(p.id, p.title, p.url, _of(p.untranslated, "title")),
                p.sources + [c for q in p.questions for c in q.sources],
            )
            for p in polls
        ],
        [(Link(p.id, p.name, p.url, p.name_language), p.sources) for p in parties.values()],
        [
            (Link(p.id, p.title, p.url, _of(p.untranslated, "title")), p.sources)
            for p in periods or ()
            if p.url
        ],
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
