"""The timeline of a case, whole or filtered to one kind of event, one party or its key
events, grouped by year, within a year by period, and cut into pages as long lists are (see
`paging`); and the one line each entry shows before it is opened."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from generator.dates import PartialDate
from generator.plan.context import (
    EventRun,
    EventView,
    PeriodView,
    Timeline,
    TimelinePage,
    YearGroup,
    YearLink,
)
from generator.plan.paging import paginate
from generator.strings import DEFAULT_LANGUAGE

_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:[A-Za-z]|(?:[A-Za-z]\.)+[A-Za-z]|Mr|Mrs|Ms|Dr|Jr|Sr|St|No|Nos|Inc|Corp|Co"
    r"|Ltd|Gen|Sen|Rep|Gov|Sec|Art|Vol|Cf|cf|e\.g|i\.e|v|vs|pp?)$"
)
"""What stands before a full stop that ends no sentence: an initial (`James C. Francis`), an
abbreviation of letters and dots (`U.S.`) or a title (`Mr.`, `No.`, `v.`)."""
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|<[^>]*>|[*_`]+|\\(?=\S)")
"""Markdown's links and images (their text kept), tags, emphasis marks and escapes."""


def first_sentence(body: str) -> tuple[str, str]:
    """An event's body split into its first sentence as plain text, the line a timeline
    entry shows before it is opened (an opened entry shows the whole body), and the rest as
    Markdown.

    The cut is made in the first paragraph only, outside brackets, after a full stop, a
    question or an exclamation mark followed by a capital or a digit, and never after an
    initial or a common abbreviation."""
    text = body.strip()
    paragraph_end = text.find("\n\n")
    paragraph = text if paragraph_end < 0 else text[:paragraph_end]
    cut = len(paragraph)
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[: match.start()]
        if before.count("[") > before.count("]") or before.count("(") > before.count(")"):
            continue
        if _ABBREVIATION.search(before):
            continue
        cut = match.end()
        break
    line = _MARKUP.sub(lambda m: m.group(1) or "", paragraph[:cut])
    line = " ".join(line.lstrip("#>-+ ").split())
    return line, text[cut:].strip()


def within_year(date: PartialDate, language: str = DEFAULT_LANGUAGE) -> str:
    """A date as a timeline entry shows it under its year's heading: `4 Dec`, `June`, or the
    year itself for an event dated only by its year; `c. ` before an approximate one (in
    `language`, see `PartialDate.within_year_in`)."""
    return date.within_year_in(language)


class _Dated(Protocol):
    """An event, or its view."""

    @property
    def id(self) -> str: ...
    @property
    def date(self) -> PartialDate: ...


class _Span(Protocol):
    """A period, or its view."""

    @property
    def start(self) -> PartialDate: ...
    @property
    def end(self) -> PartialDate: ...


S = TypeVar("S", bound=_Span)


def periods_of(events: Sequence[_Dated], periods: Sequence[S]) -> dict[str, S]:
    """The period each event falls in, by event id: the one whose span holds the event's
    date in the timeline's order (from its start to the last day of its end, so `2016-07`
    holds every day of July) and, of several, the one that starts latest, the shorter where
    two start together: an inner period wins over the one around it. Events in no period
    are left out."""
    found: dict[str, S] = {}
    if not periods:
        return found
    spans = sorted(
        ((p.start.sort_key, p.end.last_sort_key, p) for p in periods),
        key=lambda span: (span[0], tuple(-n for n in span[1])),
    )
    for event in events:
        at = event.date.sort_key
        for start, end, period in spans:
            if start > at:
                break
            if at <= end:
                found[event.id] = period
    return found


def _runs(events: list[EventView], period_of: Mapping[str, PeriodView]) -> list[EventRun]:
    """`events` cut where the period they fall in changes."""
    runs: list[EventRun] = []
    for event in events:
        period = period_of.get(event.id)
        if runs and runs[-1].period is period:
            runs[-1].events.append(event)
        else:
            runs.append(EventRun(period, [event]))
    return runs


def _by_year(
    events: list[EventView], period_of: Mapping[str, PeriodView] | None = None
) -> list[YearGroup]:
    years: dict[int, list[EventView]] = {}
    for event in events:
        years.setdefault(event.date.year, []).append(event)
    if not period_of:
        return [YearGroup(year, items, [EventRun(None, items)]) for year, items in years.items()]
    groups = [YearGroup(year, items, _runs(items, period_of)) for year, items in years.items()]
    seen: set[str] = set()  # the periods already shown on the page
    used: dict[str, int] = {}  # runs per anchor: a period back after an inner one, same year
    for group in groups:
        for run in group.runs:
            if run.period is None:
                continue
            anchor = f"_period-{run.period.id}-{group.year}"
            count = used[anchor] = used.get(anchor, 0) + 1
            run.anchor = anchor if count == 1 else f"{anchor}-{count}"
            run.continued = run.period.id in seen
            seen.add(run.period.id)
    return groups


def timeline_of(
    label: str,
    url: str,
    events: list[EventView],
    language: str = DEFAULT_LANGUAGE,
    period_of: Mapping[str, PeriodView] | None = None,
) -> Timeline:
    """The timeline of `events` at `url`, over one page or several (see `paging`), its
    pages named by their dates in `language`'s words; each year's events grouped by the
    period they fall in (`period_of`, see `periods_of`)."""
    pages = [
        (page, _by_year(page.items, period_of))
        for page in paginate(events, url, lambda e: e.date, language=language)
    ]
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
