"""Glossary terms in prose, each linked to its definition where a page first uses it.

Markdown is converted once per text and the HTML shared by every page and cached fragment
that shows it, so the link of a term cannot be decided while converting: whether a use is
the page's first depends on the page. Instead the `markdown` filters put every converted
field between two marks (`PROSE_START`, `PROSE_END`: control characters that no content can
hold, see `models._UNSHOWABLE`), the same on every page. Once a page has rendered,
`link_terms` goes over it once: in each marked field, outside links, code, quotations and
headings, it links the first use of each term of the case's glossary (its `term` or one of
its `forms`, as whole words, ignoring case, with spaces or hyphens between words, the
longest form first), and removes the marks.
A quote's words are never Markdown, so they are never marked nor linked; templates show
Markdown fields outside quotations.

Without a glossary a page only loses its marks (two `str.replace`). The page reads the
case's `GlossaryView` either way, so adding, changing or removing a term renders again the
pages whose prose could link it, and nothing else.

On the glossary page a definition is marked with its own term's id
(`markdown_definition`), so that it links other terms but not itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.plan.context import GlossaryView
from generator.validate.glossary import form_key

PROSE_START = "\x02"
PROSE_END = "\x03"
OWN_TERM = "\x1f"
"""Between two of these, right after `PROSE_START`: the id of the term a text defines."""

PROTECTED = frozenset({"a", "code", "pre", "blockquote", "q", "h1", "h2", "h3", "h4", "h5", "h6"})
"""Elements whose text is never linked: links (no link in a link), code, quotations
(another's words) and headings."""

_REGION = re.compile(
    f"{PROSE_START}(?:{OWN_TERM}([^{OWN_TERM}]*){OWN_TERM})?(.*?){PROSE_END}", re.S
)
_OWN_MARK = re.compile(f"{OWN_TERM}[^{OWN_TERM}]*{OWN_TERM}")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>")


def mark_prose(converted: str, own_term: str = "") -> str:
    """Mark converted Markdown as prose whose terms `link_terms` may link."""
    own = f"{OWN_TERM}{own_term}{OWN_TERM}" if own_term else ""
    return f"{PROSE_START}{own}{converted}{PROSE_END}"


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    ids: dict[str, str]
    """Each form's key (`form_key`) → its term's id."""


_matchers: dict[tuple[tuple[str, str], ...], _Matcher] = {}


def link_terms(page: str, glossary: GlossaryView | None, root: str) -> str:
    """Link the first use of each term in the marked prose of `page`; remove the marks."""
    if PROSE_START not in page:
        return page
    if glossary is None or not glossary.terms:
        if OWN_TERM in page:
            page = _OWN_MARK.sub("", page)
        return page.replace(PROSE_START, "").replace(PROSE_END, "")
    matcher = _matcher_of(glossary)
    href = f"{root}{glossary.url}#"
    seen: set[str] = set()

    def region(match: re.Match[str]) -> str:
        return _link_region(match.group(2), matcher, href, seen, match.group(1) or "")

    return _REGION.sub(region, page)


def term_uses(converted: str, forms: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """Each use in a converted Markdown text of the `forms` ((form, term id) pairs) that prose
    would link, outside `PROTECTED` elements: (term id, the words as written)."""
    matcher = _matcher(tuple((form_key(form), ident) for form, ident in forms))
    return [
        (matcher.ids[form_key(html.unescape(match.group(1)))], match.group(1))
        for piece, linkable in _pieces(converted)
        if linkable
        for match in matcher.pattern.finditer(piece)
    ]


def _pieces(text: str) -> Iterator[tuple[str, bool]]:
    """`text` cut at its tags, in order: each tag, and the text between two tags with whether
    it may be linked (it lies outside every `PROTECTED` element)."""
    depth = 0
    position = 0
    for tag in _TAG.finditer(text):
        yield text[position : tag.start()], depth == 0
        yield tag.group(), False
        if tag.group(2).lower() in PROTECTED:
            depth = max(0, depth - 1) if tag.group(1) else depth + 1
        position = tag.end()
    yield text[position:], depth == 0


def glossary_forms(glossary: GlossaryView) -> tuple[tuple[str, str], ...]:
    """Every form of the glossary's terms, the term's own first, with its term's id."""
    return tuple((form, term.id) for term in glossary.terms for form in (term.term, *term.forms))


def _matcher_of(glossary: GlossaryView) -> _Matcher:
    """The pattern of every form of the glossary's terms, made once per set of forms."""
    return _matcher(tuple((form_key(form), ident) for form, ident in glossary_forms(glossary)))


def _matcher(forms: tuple[tuple[str, str], ...]) -> _Matcher:
    """The pattern of `forms` ((form key, term id) pairs), made once per set of forms."""
    matcher = _matchers.get(forms)
    if matcher is None:
        ids = dict(forms)  # validation leaves one term per form
        # Longest first: at any position the longest form that matches wins.
        alternatives = sorted(ids, key=lambda key: (-len(key), key))
        words = "|".join(
            r"[\s-]+".join(re.escape(html.escape(word, quote=False)) for word in key.split())
            for key in alternatives
        )
        # A possessive ("the magistrate judge's") is linked whole: a link that ends inside a
        # word would read, to a search indexer that breaks at tags, as two words.
        pattern = re.compile(
            rf"(?<![\w-])({words})(?:(?:'|’|&#x27;|&#39;)s)?(?![\w-])", re.IGNORECASE
        )
        matcher = _matchers[forms] = _Matcher(pattern, ids)
    return matcher


def _link_region(text: str, matcher: _Matcher, href: str, seen: set[str], own: str) -> str:
    """One marked field with its terms' first uses linked (outside `PROTECTED` elements)."""

    def link(match: re.Match[str]) -> str:
        used = match.group()
        term = matcher.ids.get(form_key(html.unescape(match.group(1))))
        if term is None or term == own or term in seen:
            return used
        seen.add(term)
        return f'<a class="term" href="{href}{term}">{used}</a>'

    return "".join(
        matcher.pattern.sub(link, piece) if linkable else piece for piece, linkable in _pieces(text)
    )
