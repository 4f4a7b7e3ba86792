"""Shared error vocabulary: where a mistake is, what it is, and how errors are printed.

Every stage reports content mistakes as `ContentError`s carrying a `Location`; a stage collects
them and raises one `ContentErrors` at its boundary, so an editor sees every mistake at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MAX_REPORTED_ERRORS = 50


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
    """Raised once at a stage boundary with every mistake that stage found."""

    def __init__(self, errors: Iterable[ContentError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(f"{len(self.errors)} content error(s)")

    def __reduce__(self) -> tuple[type[ContentErrors], tuple[list[ContentError]]]:
        return (ContentErrors, (self.errors,))


class TemplateError(Exception):
    """A template is broken: for template authors rather than content editors."""

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")

    def __reduce__(self) -> tuple[type[TemplateError], tuple[Location, str]]:
        return (TemplateError, (self.location, self.message))


def did_you_mean(wrong: str, candidates: Iterable[str], cutoff: float = 0.6) -> str:
    """Return 'did you mean `x`?' for the closest candidate, or '' when none is close."""
    matches = difflib.get_close_matches(wrong, sorted(candidates), n=1, cutoff=cutoff)
    return f"did you mean `{matches[0]}`?" if matches else ""


def describe_value(value: Any) -> str:
    """Name what an editor wrote, for messages like "should be a list, not a mapping"."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"the value `{value}`"


def format_text(errors: list[ContentError]) -> str:
    """Format errors one per line, sorted, capped at MAX_REPORTED_ERRORS."""
    shown = errors[:MAX_REPORTED_ERRORS]
    lines = [str(error) for error in shown]
    if len(errors) > len(shown):
        lines.append(f"… and {len(errors) - len(shown)} more error(s) not shown")
    noun = "error" if len(errors) == 1 else "errors"
    lines.append(f"{len(errors)} {noun} found")
    return "\n".join(lines)
