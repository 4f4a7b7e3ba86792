"""Long lists over several pages: the timeline and the quotes of a large case.

A case of a few dozen events reads best on one page, and keeps it. A case of thousands would
make one page of megabytes, slow to load and to scroll, and make every edit of one item
rewrite it all. Such a list is cut, in its own order, into pages of `PER_PAGE` items: the
first at the list's own URL, the others at `<url>page/<n>/`. Each page says which dates it
covers, so a reader can go straight to a period.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from generator.dates import PartialDate
from generator.strings import DEFAULT_LANGUAGE, ui_strings
from generator.validate.content import PAGE_FOLDER

PER_PAGE = 50
"""Items per page: a page of timeline entries then weighs some 150 KB, of quote cards 60."""

T = TypeVar("T")


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    dates: str
    """The dates the page covers, e.g. `3 March 2014 – 9 June 2014`."""
    current: bool

    def __repr__(self) -> str:
        """The generated one, written out, as `context.Link`'s."""
        return (
            f"PageLink(number={self.number!r}, url={self.url!r}, dates={self.dates!r}, "
            f"current={self.current!r})"
        )


@dataclass(frozen=True)
class PageNav:
    """Where a page sits among the pages of its list; `links` is empty for a one-page list."""

    number: int
    count: int
    dates: str
    """The dates this page covers."""
    links: tuple[PageLink, ...]
    previous: PageLink | None
    next: PageLink | None
    cache_key: str = ""
    """Differs between any two navigations that differ (see `render.CachedMacro`)."""


@dataclass(frozen=True)
class ListPage(Generic[T]):
    url: str
    items: list[T]
    nav: PageNav


def page_url(url: str, number: int) -> str:
    """The URL of page `number` (from 1) of the list at `url`."""
    return url if number == 1 else f"{url}{PAGE_FOLDER}/{number}/"


def page_number(index: int) -> int:
    """The page (from 1) that shows the item at `index` (from 0) of a list."""
    return index // PER_PAGE + 1


def paginate(
    items: Sequence[T],
    url: str,
    date_of: Callable[[T], PartialDate],
    per_page: int = 0,
    language: str = DEFAULT_LANGUAGE,
) -> list[ListPage[T]]:
    """Cut `items` into pages of `per_page` (`PER_PAGE` unless given); one page, at `url`,
    when they fit (or there are none). Each page is named by the dates it covers, in
    `language`'s words."""
    per_page = per_page or PER_PAGE
    chunks = [list(items[start : start + per_page]) for start in range(0, len(items), per_page)]
    if len(chunks) <= 1:
        return [ListPage(url, list(items), PageNav(1, 1, "", (), None, None))]
    spans = [_span(date_of(chunk[0]), date_of(chunk[-1]), language) for chunk in chunks]
    spans_digest = hashlib.blake2b("\n".join(spans).encode("utf-8"), digest_size=12).hexdigest()
    others = [
        PageLink(number, page_url(url, number), dates, False)
        for number, dates in enumerate(spans, start=1)
    ]  # shared by every page but the one each names: the links of n pages are n², not n
    pages = []
    for index, chunk in enumerate(chunks):
        links = tuple(others[:index]) + (replace(others[index], current=True),)
        links += tuple(others[index + 1 :])
        nav = PageNav(
            index + 1,
            len(chunks),
            spans[index],
            links,
            links[index - 1] if index > 0 else None,
            links[index + 1] if index + 1 < len(links) else None,
            f"{url} {index + 1} {spans_digest}",
        )
        pages.append(ListPage(page_url(url, index + 1), chunk, nav))
    return pages


def _span(first: PartialDate, last: PartialDate, language: str) -> str:
    start, end = first.display_in(language), last.display_in(language)
    return start if start == end else f"{start} – {end}"


def page_of(nav: PageNav, language: str = DEFAULT_LANGUAGE) -> str:
    """` (page n of m)`, for the title of a page of a list of several; else empty."""
    if nav.count <= 1:
        return ""
    return ui_strings(language)["title.page_of"].format(number=nav.number, count=nav.count)
