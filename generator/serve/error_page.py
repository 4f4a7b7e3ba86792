"""The preview's error page: a failed rebuild → the HTML every open tab shows instead.

The page comes from `error_page.html` beside this module, rendered with an `ErrorPageContext`
in an environment of its own: it is not part of the site's theme, and a broken theme must
not break it. Every value is escaped, as `html.escape` escapes it.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import jinja2
from markupsafe import Markup

from generator.errors import ContentError, Location

if TYPE_CHECKING:
    from generator.serve.preview import PreviewState

EXCERPT_CONTEXT = 2
"""Lines shown above and below the offending one."""


@dataclass(frozen=True)
class ExcerptLine:
    """One line of a content file around a mistake."""

    text: str
    """The line after its number: `   3 | speaker: speakr`."""
    caret: str = ""
    """On the offending line only: a `^` under the offending column, after spaces."""


@dataclass(frozen=True)
class ShownError:
    """One located mistake as the page lists it."""

    location: str
    message: str
    hint: str
    excerpt: tuple[ExcerptLine, ...]
    """The lines around the mistake; none for a mistake about a whole file."""


class ErrorPageContext(TypedDict):
    """The variables of `error_page.html`."""

    count: int
    """How many errors the title counts: the located ones, or 1 for a failure."""
    last_good: str
    """When the last build succeeded (`HH:MM:SS`), or "" if none has."""
    errors: list[ShownError]
    failure: str
    """A failure without a place in the content (a template error, a bug), or ""."""


def error_page(state: PreviewState) -> str:
    """The page every open tab shows while the content or a template is broken."""
    context = ErrorPageContext(
        count=len(state.errors) or 1,
        last_good=state.last_good,
        errors=[_shown(error) for error in state.errors],
        failure=state.failure,
    )
    return _template().render(context)


def _shown(error: ContentError) -> ShownError:
    return ShownError(str(error.location), error.message, error.hint, excerpt(error.location))


def excerpt(location: Location, context: int = EXCERPT_CONTEXT) -> tuple[ExcerptLine, ...]:
    """The lines around a mistake, the offending one marked; none if the file is unreadable."""
    if location.line == 0:
        return ()
    try:
        lines = Path(location.file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    first = max(location.line - context, 1)
    last = min(location.line + context, len(lines))
    shown = []
    for number in range(first, last + 1):
        text = f"{number:>4} | {lines[number - 1]}"
        if number == location.line:
            shown.append(ExcerptLine(text, " " * (7 + max(location.column - 1, 0)) + "^"))
        else:
            shown.append(ExcerptLine(text))
    return tuple(shown)


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=_escaped,
    )
    return environment.get_template("error_page.html")


def _escaped(value: object) -> object:
    """Escape as `html.escape` does (`&quot;`, `&#x27;`), as the page always has, rather than
    as Jinja does (`&#34;`, `&#39;`); markup the template made is left as it is."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value)))
