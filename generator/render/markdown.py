"""Markdown fields → sanitized HTML, for `render` only.

Editors write Markdown in summaries, bodies and holdings. Raw HTML in those fields is shown
as text, not interpreted, and the result is cleaned again with nh3, which keeps only a small
set of tags and drops links whose scheme is not http, https or mailto (so no `javascript:`).
One converter is reused, and each distinct text is converted once. Typographic quotes are
kept as the editor typed them: the `smarty` extension doubled the cost of every text.
"""

from __future__ import annotations

import functools
import html
import importlib.metadata
import re
from collections.abc import Iterable
from dataclasses import dataclass

import markdown as python_markdown
import nh3

from generator.render.markdown_links import use_fast_links

ALLOWED_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "br",
    "hr",
    "h3",
    "h4",
    "h5",
    "h6",
}
"""Every tag the converter makes (h1 and h2 belong to the page: their text is kept)."""
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
"""A link's title, and the first number of a list that does not start at 1."""
ALLOWED_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_SCHEMES,
    link_rel="noopener noreferrer",
)
"""One sanitizer for every text: `nh3.clean` builds its rules again on each call, which cost
as much as cleaning a paragraph."""


def _new_converter(without: tuple[str, ...] = ()) -> python_markdown.Markdown:
    converter = python_markdown.Markdown(extensions=["sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    use_fast_links(converter)
    # Images would load from other sites and are not allowed; without their patterns an image
    # becomes a plain link to it, and every text converts faster (fewer patterns to try).
    for pattern in ("image_link", "image_reference", "short_image_ref", *without):
        converter.inlinePatterns.deregister(pattern)
    return converter


_converter = _new_converter()

INLINE_TRIGGERS = {
    "backtick": "`",
    "escape": "\\",
    "reference": "]:",
    "short_reference": "]:",
    "autolink": "<",
    "automail": "<",
    "linebreak": "  \n",
    "entity": "&",
}
"""Inline patterns that cannot match a text without their trigger: a reference link needs a
reference definition (`[id]: url`), an entity an `&`. Each text is converted with only the
patterns it can use, since Python-Markdown tries every pattern on every piece of text
(a quarter of its time on plain prose). The output is the same (tested)."""
_converters: dict[tuple[str, ...], python_markdown.Markdown] = {(): _converter}


def _converter_for(text: str) -> python_markdown.Markdown:
    unused = tuple(name for name, trigger in INLINE_TRIGGERS.items() if trigger not in text)
    converter = _converters.get(unused)
    if converter is None:
        converter = _converters[unused] = _new_converter(unused)
    return converter


_converted: dict[str, str] = {}


def markdown_to_html(text: str) -> str:
    """Convert one Markdown field to HTML that is safe to put in a page (once per text)."""
    html = _converted.get(text)
    if html is None:
        html = _converted[text] = _convert(text)
    return html


def convert_all(texts: Iterable[str]) -> dict[str, str]:
    """Convert many texts; for a worker process whose results the parent will `remember`."""
    return {text: markdown_to_html(text) for text in texts}


def is_converted(text: str) -> bool:
    """Whether this process has `text` converted already."""
    return text in _converted


def remember(converted: dict[str, str]) -> None:
    """Keep HTML converted elsewhere (another process), so it is not converted again."""
    _converted.update(converted)


def converted_of(texts: Iterable[str]) -> ConvertedMarkdown:
    """The HTML this process has converted of `texts`, with the converters' versions: for
    a later process to `remember` if it converts with the same."""
    found = {text: html for text in texts if (html := _converted.get(text)) is not None}
    return ConvertedMarkdown(converters(), found)


def remember_converted(converted: ConvertedMarkdown) -> None:
    """`remember` what another process converted, if it converted as this one would."""
    if converted.converters == converters():
        remember(converted.html)


@dataclass(frozen=True)
class ConvertedMarkdown:
    converters: tuple[str, ...]
    """The versions of Markdown and nh3 that converted them."""
    html: dict[str, str]


@functools.cache
def converters() -> tuple[str, ...]:
    return (python_markdown.__version__, importlib.metadata.version("nh3"))


def _convert(text: str) -> str:
    converter = _converter_for(text)
    converter.reset()
    return _cleaner.clean(converter.convert(text))


def markdown_plain(text: str, limit: int = 200) -> str:
    """Reduce a Markdown field to plain text of at most `limit` characters, for descriptions."""
    plain = html.unescape(_TAG.sub("", markdown_to_html(text)))
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    return plain[: limit - 1].rsplit(" ", 1)[0] + "…"


_TAG = re.compile(r"<[^>]+>")


def markdown_inline(text: str) -> str:
    """Convert a short Markdown field to HTML without the surrounding paragraph."""
    html = markdown_to_html(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
