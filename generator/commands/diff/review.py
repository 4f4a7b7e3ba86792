"""`explainer diff`: what a change of the content changes, for the people who approve it.

Both versions are read (`versions`), then compared three ways: item by item (`items`),
output file by output file (`pages`), and by the problems `check` finds in each, so that a
review lists only those the change brings in (and those it fixes).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from generator.build.image_store import ImageStore
from generator.build.site import collector_paused
from generator.commands.check import Problem
from generator.commands.diff.edited import read_edited
from generator.commands.diff.items import ItemChange, item_changes
from generator.commands.diff.kept import keep_version, kept_version
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
    def counts(self) -> dict[str, int]:
        """How many items were added, removed, renamed and changed (none when a version does
        not load)."""
        counts = {"added": 0, "removed": 0, "renamed": 0, "changed": 0}
        for change in self.items or ():
            counts[change.change] += 1
        return counts

    @property
    def loads(self) -> bool:
        """Both versions' content loads without errors."""
        return self.items is not None


def review(
    before: Side, after: Side, with_pages: bool = True, images: ImageStore | None = None
) -> Review:
    """Compare two versions; `images` keeps the pictures processed (`read_version`)."""
    store = images or ImageStore(None)
    with collector_paused():
        old = kept_version(before)
        if old is None:
            old = read_version(before, with_pages, store)
            keep_version(old)
        if with_pages and old.plan is not None:
            return compare(old, read_edited(old, after, store))
        return compare(old, read_version(after, with_pages, store))


def compare(old: Version, new: Version) -> Review:
    """The review of two versions read; `new` read as an edit of `old` (`edited`) changes
    `old`'s plan when its pages are compared."""
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
    brought, fixed = _problem_changes(old_problems, new_problems, old.side, new.side)
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
    old: list[Problem], new: list[Problem], old_side: Side, new_side: Side
) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
    """The problems only after the change, and those only before it. A problem is the same
    one when its file (within its content folder), severity and message are, wherever its
    line has moved to."""
    before = Counter(_identity(p, old_side) for p in old)
    after = Counter(_identity(p, new_side) for p in new)
    brought = _only(new, after - before, new_side)
    fixed = _only(old, before - after, old_side)
    return brought, fixed


def _identity(problem: Problem, side: Side) -> tuple[str, str, str]:
    file = problem.location.file.removeprefix(side.shown_dir)
    message = _PLACE_IN_MESSAGE.sub("", problem.message).replace(side.shown_dir, "")
    return (file, problem.severity, message)


def _only(
    problems: list[Problem], wanted: Counter[tuple[str, str, str]], side: Side
) -> tuple[Problem, ...]:
    left = Counter(wanted)
    chosen = []
    for problem in problems:
        key = _identity(problem, side)
        if left[key] > 0:
            left[key] -= 1
            chosen.append(problem)
    return tuple(chosen)
