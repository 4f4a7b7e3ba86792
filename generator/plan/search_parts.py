"""The search index in parts: which pages a search finds, and which part of the index each is in.

Pagefind indexes a site in one run and cannot update an index: one edited page means
indexing every page again (half a minute at 10,000 quotes), and the run holds the whole
site's words in memory. So a large site's index is made in parts of about `PART_PAGES`
pages each, every part a Pagefind index of its own: a build indexes again only the parts
whose pages changed, and one run holds one part. The search page merges the parts in the
reader's browser (Pagefind's `mergeIndex`), which loads one more small entry file per part
and no more code: the parts share the first part's WebAssembly.

A page's part follows from its path alone, so that it stays in its part as other pages come
and go, and a page's translations are in its part: every part holds every language of the
site, which the search page of each language merges, and an edit of an item makes again one
part for all its languages. The number of parts doubles as the site grows past each power of
two times `PART_PAGES`, and then every part is made again. Parts are numbered in order,
leaving out one that no page falls in. A site of up to `PART_PAGES` searched pages has one
index, as before parts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable

from generator.plan.pages import PAGE_KINDS, Page

PART_PAGES = 1000
"""The most pages a part of the search index holds on average."""

SEARCHED_TEMPLATES = frozenset(kind.template for kind in PAGE_KINDS if kind.search_kind)
"""The templates of the pages the search index covers: an item's page, not lists of items,
filtered views or embeds (their text is the items' again)."""

PARTS_PREFIX = "part-"
"""How the folder of a part after the first begins inside the bundle, `part-N/`; the first
part is the bundle itself."""


def searched_pages(pages: Iterable[Page]) -> list[str]:
    """The paths of the pages the search index covers, sorted: the items' pages, or on a site
    that has none (no case yet) every HTML page, which Pagefind then indexes whole."""
    listed = list(pages)
    searched = [page.path for page in listed if page.template in SEARCHED_TEMPLATES]
    return sorted(searched or [page.path for page in listed if page.path.endswith(".html")])


def part_count(pages: int) -> int:
    """How many parts an index of `pages` pages is made in: 1 up to `PART_PAGES`, else the
    smallest power of two that keeps parts at `PART_PAGES` or fewer on average."""
    count = 1
    while count * PART_PAGES < pages:
        count *= 2
    return count


def part_of(path: str, count: int, languages: Collection[str] = ()) -> int:
    """The part a page's path falls in, of `count`: the same for the same path and count,
    and for its translations under the folders of `languages` (`de/…`)."""
    if count == 1:
        return 0
    folder, _, rest = path.partition("/")
    key = rest if rest and folder in languages else path
    number = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=4).digest())
    return number % count


def index_parts(paths: Iterable[str], languages: Collection[str] = ()) -> list[list[str]]:
    """The searched pages' paths by part, each part's sorted as `paths` are, leaving out a
    part that no page falls in (Pagefind makes no index of nothing); `languages`, the site's,
    keep a page's translations in its part."""
    listed = list(paths)
    count = part_count(len(listed))
    parts: list[list[str]] = [[] for _ in range(count)]
    for path in listed:
        parts[part_of(path, count, languages)].append(path)
    return [part for part in parts if part] or [[]]


def part_folder(part: int) -> str:
    """The folder of part `part` inside the bundle, "" for the first, else `part-N/`."""
    return f"{PARTS_PREFIX}{part}/" if part else ""
