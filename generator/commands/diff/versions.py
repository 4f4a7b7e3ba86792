"""One side of a review, read: its content loaded, validated, checked and planned, with
what tells which pages can differ from the other side's.

A page is made of its context and of the tracked views it shows (`plan.context.Tracked`),
and of the views those hold, view within view. So each page keeps its context's fingerprint
(whose `repr` names each view it holds, by key) and the keys of those views; each view its
own fingerprint and the views it holds, by field. `pages` then renders only the pages that
can differ, to find those that do.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from generator.build.document_store import DocumentStore
from generator.build.image_store import ImageStore, ProcessedMedia
from generator.build.patch import Patch
from generator.commands.check import CheckResult, Problem, find_warnings
from generator.commands.diff.sides import Side
from generator.digest import digest
from generator.errors import ContentError, ContentErrors, Location
from generator.load.content import COLLECTIONS, LoadCache, RawContent, load_content
from generator.plan.context import CaseView, Tracked, case_views
from generator.plan.site import Page, SitePlan, plan_site
from generator.render.cards import shapes_text
from generator.theme import Theme
from generator.validate.content import SiteContent, validate_content

_VIEW_IN_REPR = re.compile(r"<(\w+View:[^<>\s]*)>")
"""A view as a context's `repr` names it (`Tracked.__repr__`)."""


@dataclass(frozen=True)
class PageState:
    """One output file of a version: what renders it, and a fingerprint of its context."""

    template: str
    context: bytes
    views: dict[str, frozenset[str]]
    """The keys of the views its context holds (not those they hold in turn), by the
    context's key that holds them."""


@dataclass
class Version:
    """One side, read. `content` and `pages` are None when its content has errors."""

    side: Side
    check: CheckResult
    raw: RawContent | None = None
    content: SiteContent | None = None
    pages: dict[str, PageState] | None = None
    views: dict[str, bytes] = field(default_factory=dict)
    """Each tracked view's own fingerprint, by key."""
    holders: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """The views holding each view, by its key: each holder's key and the field holding it
    (at any depth inside the field)."""
    plan: SitePlan | None = None
    media: ProcessedMedia = field(default_factory=ProcessedMedia)
    """The files the build would make of its pictures and documents."""
    templates: dict[str, bytes] = field(default_factory=dict)
    """The digest of each file of its theme (templates and static files), by name."""
    urls: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """The page of each item, by (case, collection, id), in the default language."""
    load_cache: LoadCache | None = None
    """What its load read, for the other side's to read again only what differs."""
    patch: Patch | None = None
    """For a side read as an edit of wording of the other (`edited`): the edit, applied to
    the other's plan only once the pages it touches have been rendered as they were."""

    @property
    def problems(self) -> list[Problem]:
        return self.check.problems


def read_version(
    side: Side,
    with_pages: bool = True,
    images: ImageStore | None = None,
    cache: LoadCache | None = None,
) -> Version:
    """Load, validate, check and (with `with_pages`) plan one side; its files are named in
    every location as the editor knows them (`Side.shown_dir`). Its pictures and documents
    are processed as a build processes them, into `images` (found there when a build or an
    earlier review kept them; in memory without it), so that a picture's new file changes
    the pages that show it. `cache` spares parsing again what an earlier load read."""
    cache = LoadCache() if cache is None else cache
    try:
        raw = load_content(side.content_dir, cache)
        content = validate_content(raw)
    except ContentErrors as exc:
        return errors_version(side, exc)
    version = checked_version(side, raw, content)
    version.load_cache = cache
    if with_pages:
        plan_version(version, content, images or ImageStore(None))
    return version


def errors_version(side: Side, errors: ContentErrors) -> Version:
    """A side whose content does not load or validate."""
    return Version(side, CheckResult([_shown_error(error, side) for error in errors.errors], []))


def checked_version(side: Side, raw: RawContent, content: SiteContent) -> Version:
    """A side whose content is valid, with its warnings, not yet planned."""
    warnings = [_shown_problem(p, side) for p in find_warnings(raw, content)]
    items = sum(len(getattr(case, name)) for case in content.cases for name in COLLECTIONS)
    return Version(side, CheckResult([], warnings, len(content.cases), items), raw, content)


def plan_version(version: Version, content: SiteContent, images: ImageStore) -> None:
    """Plan a valid side: its pages, views and what tells which can differ from the other
    side's (or its planning errors)."""
    try:
        media = version.media = images.process(content)
        DocumentStore(images).process(content, media)
        plan = plan_site(content, (), media.files, media.documents, cards_shape_text=shapes_text)
    except ContentErrors as exc:
        errors = [_shown_error(error, version.side) for error in exc.errors]
        version.check = CheckResult(errors, version.check.warnings)
        return
    for case in plan.cases:
        for view in case_views(case):
            key = view.view_key
            version.views[key], held = read_view(view)
            for name, views in held.items():
                for one in views:
                    version.holders.setdefault(one, []).append((key, name))
    version.plan = plan
    version.pages = {page.path: page_state(page) for page in plan.pages}
    version.urls = _item_urls(plan.cases)
    version.templates = theme_digests(version.side.templates_dir)


def page_state(page: Page) -> PageState:
    held, written = {}, [page.template]
    for key, value in page.context.items():
        text = repr(value)
        written += (key, text)
        found = _views_in(text)
        if found:
            held[key] = frozenset(found)
    return PageState(page.template, fingerprint_text("\x00".join(written)), held)


ITEM_PAGES = ("parties", "quotes", "events", "rulings", "polls")
"""The collections whose items each have a page (a view with a `url`)."""


def _item_urls(cases: Iterable[CaseView]) -> dict[tuple[str, str, str], str]:
    """Each item's page in the first language planned; a source's place on its page."""
    urls: dict[tuple[str, str, str], str] = {}
    for case in cases:
        urls.setdefault((case.slug, "case", case.slug), case.url)
        for collection in ITEM_PAGES:
            for view in getattr(case, collection):
                urls.setdefault((case.slug, collection, view.id), view.url)
        for source in case.sources:
            urls.setdefault((case.slug, "sources", source.id), source.anchor)
    return urls


def read_view(view: Tracked) -> tuple[bytes, dict[str, frozenset[str]]]:
    """A view's fingerprint (its own values, and the keys of the views it holds), and the
    views it holds by the field that holds them (at any depth inside it)."""
    held = {}
    written = []
    for one in fields(view):  # type: ignore[arg-type]
        text = repr(getattr(view, one.name))
        written.append(text)
        found = _views_in(text)
        if found:
            held[one.name] = frozenset(found)
    return fingerprint_text("\x00".join(written)), held


def _views_in(text: str) -> list[str]:
    """The keys of the views a `repr` names, each key one string object wherever it is
    named, so that a kept version (`kept`) pickles it once."""
    return list(map(sys.intern, _VIEW_IN_REPR.findall(text)))


def fingerprint_text(text: str) -> bytes:
    return digest(text.encode("utf-8", "surrogatepass"))


def theme_digests(templates_dir: Path | None) -> dict[str, bytes]:
    files = Theme.overriding(templates_dir).files()
    every = {**files.templates, **{"static/" + k: v for k, v in files.statics.items()}}
    return {name: digest(path.read_bytes()) for name, path in every.items()}


def shown_location(location: Location, side: Side) -> Location:
    """`location` with the side's folder named as the editor knows it."""
    real = str(side.content_dir)
    if location.file == real or location.file.startswith(real + "/"):
        return Location(side.shown_dir + location.file[len(real) :], location.line, location.column)
    return location


def _renamed(text: str, side: Side) -> str:
    """A message with the side's temporary folder, where it names a file, renamed."""
    return text.replace(str(side.content_dir), side.shown_dir)


def _shown_error(error: ContentError, side: Side) -> ContentError:
    return ContentError(
        shown_location(error.location, side),
        _renamed(error.message, side),
        _renamed(error.hint, side),
    )


def _shown_problem(problem: Problem, side: Side) -> Problem:
    return Problem(
        shown_location(problem.location, side),
        problem.severity,
        _renamed(problem.message, side),
        _renamed(problem.hint, side),
        problem.title,
    )
