"""Shared error vocabulary: where a mistake is, what it is, and how errors are printed.

Every stage reports content mistakes as `ContentError`s carrying a `Location`; a stage collects
them and raises one `ContentErrors` at its boundary, so an editor sees every mistake at once.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_REPORTED_ERRORS = 50
MAX_COLLECTED_ERRORS = 1000
"""A stage stops looking after this many mistakes: a file of 100,000 broken items would
otherwise take a minute to report, and no one reads past the first few."""


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a content file; line 0 means the file as a whole."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line == 0:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class ContentError:
    """One mistake an editor made, at the place they made it."""

    location: Location
    message: str
    hint: str = field(default="", compare=False)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text


class ContentErrors(Exception):
    """Raised once at a stage boundary with every mistake that stage found.

    `complete` is False when the stage stopped looking after `MAX_COLLECTED_ERRORS`.
    """

    def __init__(self, errors: Iterable[ContentError], complete: bool = True) -> None:
        self.errors = sorted(set(errors), key=_order)
        self.complete = complete
        super().__init__(f"{len(self.errors)} content error(s)")

    def __reduce__(self) -> tuple[type[ContentErrors], tuple[list[ContentError], bool]]:
        return (ContentErrors, (self.errors, self.complete))


def _order(error: ContentError) -> tuple[str, int, int, str]:
    """The order of `ContentError`s, as plain values: much quicker to sort by than the objects."""
    where = error.location
    return (where.file, where.line, where.column, error.message)


class TemplateError(Exception):
    """A template is broken: for template authors rather than content editors."""

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")

    def __reduce__(self) -> tuple[type[TemplateError], tuple[Location, str]]:
        return (TemplateError, (self.location, self.message))


SHOWN_LENGTH = 60
"""Longer values are shortened in messages, which stay one line each."""


def did_you_mean(wrong: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """Return 'did you mean `x`?' for the closest candidate, or '' when none is close."""
    if len(wrong) > 2 * SHOWN_LENGTH:
        return ""  # no id or field name is that long, and comparing it would be slow
    ordered = tuple(sorted(candidates))
    if len(ordered) > 64:  # a case's ids: callers remember the hint of each unknown id
        return _closest.__wrapped__(wrong, ordered, cutoff)
    return _closest(wrong, ordered, cutoff)


@functools.lru_cache(maxsize=1024)
def _closest(wrong: str, candidates: tuple[str, ...], cutoff: float) -> str:
    matches = difflib.get_close_matches(wrong, candidates, n=1, cutoff=cutoff)
    return f"did you mean `{matches[0]}`?" if matches else ""


def shorten(value: Any) -> str:
    """Show a value in a message on one line, shortened when it is long."""
    text = " ".join(str(value).split())
    if len(text) > SHOWN_LENGTH:
        return text[: SHOWN_LENGTH - 1] + "…"
    return text


def describe_value(value: Any) -> str:
    """Name what an editor wrote, for messages like "should be a list, not a mapping"."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"the value `{shorten(value)}`"


def format_text(errors: list[ContentError], complete: bool = True) -> str:
    """Format errors one per line, sorted, capped at MAX_REPORTED_ERRORS.

    `complete` False says that looking stopped after these (`ContentErrors.complete`).
    """
    shown = errors[:MAX_REPORTED_ERRORS]
    lines = [str(error) for error in shown]
    if len(errors) > len(shown):
        lines.append(f"… and {len(errors) - len(shown)} more error(s) not shown")
    noun = "error" if len(errors) == 1 else "errors"
    if complete:
        lines.append(f"{len(errors)} {noun} found")
    else:
        lines.append(f"{len(errors)} {noun} found, and then checking stopped: fix these first")
    return "\n".join(lines)
