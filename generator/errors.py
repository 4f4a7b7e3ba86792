"""Shared error vocabulary: where a mistake is, what it is, and how errors are printed.

Every stage reports content mistakes as `ContentError`s carrying a `Location`; a stage collects
them and raises one `ContentErrors` at its boundary, so an editor sees every mistake at once.

Every error a person can meet derives from `ExplainerError`, and says itself how it reads: the
lines the command line prints and its exit status, and what the preview shows of a failed
rebuild. `cli` and `serve` each catch that one type, so a new kind of error is added here only.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from pathlib import Path

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


class ExplainerError(Exception):
    """An error a person can act on: reported in their words, never with a traceback.

    The command line prints `report(output)` and exits with `exit_code`; the preview logs
    `summary()` and shows `located()` (each with the lines around it) or else `detail()`.
    """

    exit_code: ClassVar[int] = 1
    """The command's exit status (2, bad usage, is argparse's own)."""
    output_unchanged: ClassVar[bool] = False
    """Raised before a build writes anything, so its report says that the output is unchanged."""

    def report(self, output: Path | None = None) -> list[str]:
        """The lines that tell a person what went wrong; `output` is the folder a failed build
        was to replace, named when the error left it unchanged (None for other commands)."""
        lines = self._lines()
        if output is not None and self.output_unchanged:
            lines.append(f"nothing written: {output} is unchanged")
        return lines

    def _lines(self) -> list[str]:
        return [f"explainer: {self.detail()}"]

    def detail(self) -> str:
        """What went wrong, for a page or log that has already said that the build failed."""
        return str(self)

    def summary(self) -> str:
        """What failed, in a few words, for the preview's one-line log of a rebuild."""
        return "the build failed"

    def located(self) -> list[ContentError]:
        """The mistakes that have a place in a content file, to show with their lines."""
        return []


class ContentErrors(ExplainerError):
    """Raised once at a stage boundary with every mistake that stage found.

    `complete` is False when the stage stopped looking after `MAX_COLLECTED_ERRORS`.
    """

    output_unchanged = True

    def __init__(self, errors: Iterable[ContentError], complete: bool = True) -> None:
        self.errors = sorted(set(errors), key=_order)
        self.complete = complete
        super().__init__(f"{len(self.errors)} content error(s)")

    def __reduce__(self) -> tuple[type[ContentErrors], tuple[list[ContentError], bool]]:
        return (ContentErrors, (self.errors, self.complete))

    def _lines(self) -> list[str]:
        return format_text(self.errors, self.complete).split("\n")

    def summary(self) -> str:
        return f"{len(self.errors)} error(s)"

    def located(self) -> list[ContentError]:
        return self.errors


def _order(error: ContentError) -> tuple[str, int, int, str]:
    """The order of `ContentError`s, as plain values: much quicker to sort by than the objects."""
    where = error.location
    return (where.file, where.line, where.column, error.message)


class TemplateError(ExplainerError):
    """A template is broken: for template authors rather than content editors."""

    output_unchanged = True

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")

    def __reduce__(self) -> tuple[type[TemplateError], tuple[Location, str]]:
        return (TemplateError, (self.location, self.message))

    def _lines(self) -> list[str]:
        return [f"{self.location}: template error: {self.message}"]

    def summary(self) -> str:
        return "template error"


class OutputError(ExplainerError):
    """The output folder cannot be replaced (not ours, not writable, or the disk is full).

    Its message says whether the output is unchanged: only the writer knows.
    """

    def summary(self) -> str:
        return "the output could not be written"


class SearchIndexError(ExplainerError):
    """The site cannot be indexed for search; the message is one line."""

    output_unchanged = True

    def detail(self) -> str:
        return f"search index: {self}"

    def summary(self) -> str:
        return "the search index failed"


class ServeError(ExplainerError):
    """The preview cannot start (for example, no free port)."""


class ScaffoldError(ExplainerError):
    """A new case cannot be made; the message is for editors."""


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
