"""`explainer diff`: what a change of the content changes, for the people who approve it.

Both versions are read (`versions`), then compared three ways: item by item (`items`),
output file by output file (`pages`), and by the problems `check` finds in each, so that a
review lists only those the change brings in (and those it fixes).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from generator.commands.check import Problem
from generator.commands.diff.items import ItemChange, item_changes
from generator.commands.diff.pages import PageChanges, page_changes
from generator.commands.diff.sides import Side
from generator.commands.diff.versions import Version, read_version, shown_location

_PLACE_IN_MESSAGE = re.compile(r":\d+:\d+")


@dataclass(frozen=True)
class Review:
    """Everything that changes between two versions of the content."""

    before: str
    after: str
    items: tuple[ItemChange, ...] | None
    """None when either version's content has errors, so that its items cannot be read."""
    pages: PageChanges | None
    new_problems: tuple[Problem, ...]
    """Errors and warnings after the change that were not there before it."""
    fixed_problems: tuple[Problem, ...]
    """Errors and warnings before the change that are gone after it."""
    errors_before: int
    errors_after: int
    urls: dict[tuple[str, str, str], str]
    """The page of each item after the change, by (case, collection, id), site-relative."""

    @property
    def loads(self) -> bool:
        """Both versions' content loads without errors."""
        return self.items is not None


def review(before: Side, after: Side, with_pages: bool = True) -> Review:
    old = read_version(before, with_pages)
    new = read_version(after, with_pages)
    return compare(old, new)


def compare(old: Version, new: Version) -> Review:
    items = None
    if old.content is not None and new.content is not None:
        assert old.raw is not None and new.raw is not None
        found = item_changes(old.content, old.raw, new.content, new.raw)
        items = tuple(_located(change, old, new) for change in found)
    pages = None
    if old.pages is not None and new.pages is not None:
        pages = page_changes(old, new)
    old_problems, new_problems = old.problems, new.problems
    if old.check.errors or new.check.errors:
        # Warnings are looked for only in content without errors: compare errors alone.
        old_problems = [p for p in old_problems if p.severity == "error"]
        new_problems = [p for p in new_problems if p.severity == "error"]
    brought, fixed = _problem_changes(old_problems, new_problems)
    return Review(
        old.side.label,
        new.side.label,
        items,
        pages,
        brought,
        fixed,
        len(old.check.errors),
        len(new.check.errors),
        new.urls,
    )


def _located(change: ItemChange, old: Version, new: Version) -> ItemChange:
    """The change with its location named as the editor knows the file."""
    if change.location is None:
        return change
    side = old.side if change.change == "removed" else new.side
    return replace(change, location=shown_location(change.location, side))


def _problem_changes(
    old: list[Problem], new: list[Problem]
) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """The problems only after the change, and those only before it. A problem is the same
    one when its file, severity and message are, wherever its line has moved to."""
    before, after = Counter(map(_identity, old)), Counter(map(_identity, new))
    brought = _only(new, after - before)
    fixed = _only(old, before - after)
    return brought, fixed


def _identity(problem: Problem) -> tuple[str, str, str]:
    message = _PLACE_IN_MESSAGE.sub("", problem.message)
    return (problem.location.file, problem.severity, message)


def _only(problems: list[Problem], wanted: Counter[tuple[str, str, str]]) -> tuple[Problem, ...]:
    left = Counter(wanted)
    chosen = []
    for problem in problems:
        key = _identity(problem)
        if left[key] > 0:
            left[key] -= 1
            chosen.append(problem)
    return tuple(chosen)
