"""What the search index reads of a page: all of it but the elements it is told to skip.

Pages that show a quote besides its own — an event's, a party's, the case's key quotes, a
quote's others by the same speaker — mark it `data-pagefind-ignore="all"`: a search for a
quote's words then lists the quote, not every page that shows it, and an edit of a quote's
words changes what the index reads of its own page only. `indexed_digest` lets the build
tell the two apart: a part of the index whose pages changed only inside skipped elements is
kept. What the index leaves out by selector (`build.search_index.LEFT_OUT`) still counts
here: the digest may change where the index does not, never the other way round.
"""

from __future__ import annotations

import hashlib
import re

from generator.digest import DIGEST_SIZE

SKIPPED = b'data-pagefind-ignore="all"'
"""The attribute of an element whose whole content, text and `data-pagefind-*` attributes
alike, Pagefind leaves out of the index."""
_OPENING_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*>")


def indexed_digest(html: bytes) -> bytes | None:
    """A digest of the page `html` (its UTF-8 bytes) without its skipped elements, or None
    when it has none (its indexed digest is then its bytes' digest).

    Only what lies inside a skipped element is left out, so two pages with the same
    indexed digest give the index the same text. A marker that is not inside an opening
    tag, or whose element is not closed, leaves everything in.
    """
    if SKIPPED not in html:
        return None
    kept = hashlib.sha256()
    start = 0
    search_from = 0
    while (found := html.find(SKIPPED, search_from)) != -1:
        element = _element_around(html, found)
        if element is None:
            search_from = found + len(SKIPPED)
            continue
        element_start, element_end = element
        kept.update(html[start:element_start])
        start = search_from = element_end
    kept.update(html[start:])
    return kept.digest()[:DIGEST_SIZE]


def _element_around(html: bytes, marker: int) -> tuple[int, int] | None:
    """Where the element whose opening tag holds the marker at `marker` starts and ends."""
    tag_start = html.rfind(b"<", 0, marker)
    opening = _OPENING_TAG.match(html, tag_start) if tag_start != -1 else None
    if opening is None or opening.end() <= marker:
        return None
    name = opening.group(1)
    nested = re.compile(rb"<(/?)" + re.escape(name) + rb"\b[^<>]*>", re.IGNORECASE)
    depth = 1
    for tag in nested.finditer(html, opening.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag_start, tag.end()
    return None
