"""The timeline of a case, whole or filtered to one kind of event or one party, grouped by
year and cut into pages as long lists are (see `paging`)."""

from __future__ import annotations

from generator.plan.context import EventView, Timeline, TimelinePage, YearGroup, YearLink
from generator.plan.paging import paginate


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
