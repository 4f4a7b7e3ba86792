"""Pages as other sites embed them: the frame and script a newsroom pastes, and the oEmbed
answer that gives the same code. Planned by `embed_pages`; shown by the embed templates."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from markupsafe import escape

from generator.plan.pickling import pickled_as_arguments

EMBED_FOLDER = "embed"
"""A case's folder of embeddable pages: `<case>/embed/timeline/`, `<case>/embed/quotes/<id>/`."""
EMBED_HOST_SCRIPT = "static/embed-host.js"
OEMBED_FILE = "oembed.json"
EMBED_WIDTH = 640
"""The width, in pixels, the oEmbed answer gives; the frame itself fills its column."""
TIMELINE_EMBED_HEIGHT = 640
QUOTE_EMBED_HEIGHT = 360
"""The frames' heights before their script sets them, or without scripts: the frame then
scrolls on its own. A timeline's frame never grows past its height (its script may only
shrink it to a shorter page), so that it fits in an article; a quote's grows to its quote."""
TIMELINE_EMBED_HEIGHTS = (480, TIMELINE_EMBED_HEIGHT, 900)
"""The heights of timeline frame the Embed box offers code for."""


@pickled_as_arguments
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
    grows: bool = False
    """Whether its script makes the frame as tall as what it shows (a quote), rather than at
    most `height` (a timeline, which then scrolls inside)."""
    choices: tuple[EmbedChoice, ...] = ()
    """Other views to embed instead, offered beside the code (a timeline's key events, its
    years); not part of the code or the oEmbed answer."""

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
    def page_url(self) -> str:
        """The embedded page's absolute URL, to see it on its own."""
        return self.base_url + self.url

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


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class EmbedChoice:
    """One view of a timeline that a newsroom may embed (every event, the key events, one
    year), with its code at each height of `TIMELINE_EMBED_HEIGHTS`."""

    id: str
    """Names the view in the ids of its code fields: `all`, `key` or the year."""
    label: str
    count: int
    """How many events the view shows."""
    embed: Embed
    """Its first page, at the default height."""

    @property
    def heights(self) -> list[Embed]:
        """The view's embed at each height offered, the lowest first."""
        return [replace(self.embed, height=height) for height in TIMELINE_EMBED_HEIGHTS]


@pickled_as_arguments
@dataclass(frozen=True, slots=True)
class EmbedLink:
    """A link, inside an embedded timeline, to another view of it (within the frame)."""

    label: str
    url: str
    current: bool


def json_for_html(text: str) -> str:
    """JSON text with `<`, `>` and `&` written as JSON escapes: the same data, in which no
    HTML tag or entity can start (inside a `<script>` element, or a file sent as HTML)."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def embed_url(case_url: str, kind: str) -> str:
    """The URL of a case's embeddable pages of one kind (`timeline/`, `quotes/<id>/`)."""
    return f"{case_url}{EMBED_FOLDER}/{kind}"
