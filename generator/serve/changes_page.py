"""The preview's change list (`explainer serve --diff BASE`): what the content being edited
changes since a git revision, as `explainer diff BASE` lists it, each item and page linked
to its page in the preview.

The base is read once, when the preview starts; the working tree is read when the page is
asked for, at most once per build of the preview (`ChangesPage`). Like the error page, the
page comes from a template beside this module (`changes_page.html`), rendered with a
`ChangesPageContext` in an environment of its own, every value escaped; its stylesheet is a
file of its own, so that the page needs no inline style.
"""

from __future__ import annotations

import functools
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import jinja2
from markupsafe import Markup

from generator.build.image_store import ImageStore
from generator.commands.check import Problem
from generator.commands.diff.items import FieldChange, ItemChange
from generator.commands.diff.report import grouped, list_changes
from generator.commands.diff.review import Review, compare
from generator.commands.diff.sides import Side
from generator.commands.diff.versions import Version, read_version
from generator.commands.diff.words import WordRun
from generator.render.environment import CONTENT_SECURITY_POLICY

if TYPE_CHECKING:
    from generator.serve.preview import PreviewState

CHANGES_PATH = "/_changes/"
"""Where the preview serves the page: no case's address starts with `_`."""
STYLESHEET_PATH = CHANGES_PATH + "changes.css"
STYLESHEET = Path(__file__).parent / "changes_page.css"
SHOWN_PAGES = 500
"""Pages listed by path; the counts by kind cover all of them."""


@dataclass(frozen=True)
class ShownField:
    """One field of an item, before and after."""

    name: str
    words: tuple[WordRun, ...]
    """For prose: the runs of words kept, removed and added; else empty."""
    before: str
    after: str
    """Each as readers see it; "" when not set (`before_set`, `after_set` say which)."""
    before_set: bool
    after_set: bool
    listed: str = ""
    """For a list of references: what it gained and lost, in words; else ""."""


@dataclass(frozen=True)
class ShownItem:
    change: str
    id: str
    old_id: str
    label: str
    """What readers call it, when that is not its id; else ""."""
    location: str
    href: str
    """Its page in the preview; "" for a removed item or one without a page."""
    fields: tuple[ShownField, ...]


@dataclass(frozen=True)
class ShownGroup:
    """The items of one collection of one case (or of the site)."""

    name: str
    items: tuple[ShownItem, ...]


@dataclass(frozen=True)
class KindCount:
    kind: str
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class ShownPage:
    path: str
    change: str
    href: str
    """The page in the preview; "" for a page removed or not in the preview."""


@dataclass(frozen=True)
class ShownPages:
    count: int
    kinds: tuple[KindCount, ...]
    templates: tuple[str, ...]
    statics: tuple[str, ...]
    pages: tuple[ShownPage, ...]
    more: int
    """Pages left out of `pages`."""


@dataclass(frozen=True)
class ShownProblem:
    location: str
    severity: str
    message: str
    hint: str


class ChangesPageContext(TypedDict):
    """The variables of `changes_page.html`."""

    policy: str
    stylesheet: str
    before: str
    headline: str
    """What changed, in a sentence: how many items, or that nothing did."""
    build_failed: bool
    """The preview's last build failed: its pages show why."""
    groups: list[ShownGroup]
    pages: ShownPages | None
    new_problems: list[ShownProblem]
    fixed_problems: list[ShownProblem]
    failure: str
    """The comparison itself failed (a bug): its traceback, else ""."""


class ChangesPage:
    """The change list since a base version, made again after each build of the preview."""

    def __init__(self, base: Version, head: Side, images: ImageStore | None = None) -> None:
        self.base = base
        self.head = head
        """The working tree, read again after each build."""
        self.images = images or ImageStore(None)
        """Where the pictures processed are kept, from comparison to comparison."""
        self._made: tuple[int, str] | None = None

    def html(self, state: PreviewState) -> str:
        """The page for the preview as it is: compared again only after a build."""
        if self._made is None or self._made[0] != state.builds:
            self._made = (state.builds, self._page(state))
        return self._made[1]

    def _page(self, state: PreviewState) -> str:
        try:
            result = compare(self.base, read_version(self.head, images=self.images))
        except Exception:  # a bug must not stop the preview; show it instead
            return changes_html(None, state, traceback.format_exc(), self.base.side.label)
        return changes_html(result, state)


def changes_html(
    result: Review | None, state: PreviewState, failure: str = "", before: str = ""
) -> str:
    """The page for `result`, linking to the pages of the preview in `state.site_dir`."""
    context = ChangesPageContext(
        policy=Markup(CONTENT_SECURITY_POLICY),
        stylesheet=STYLESHEET_PATH,
        before=result.before if result else before,
        headline=_headline(result) if result else "The changes could not be compared.",
        build_failed=state.failed,
        groups=_groups(result, state.site_dir) if result else [],
        pages=_pages(result, state.site_dir) if result else None,
        new_problems=[_problem(p) for p in result.new_problems] if result else [],
        fixed_problems=[_problem(p) for p in result.fixed_problems] if result else [],
        failure=failure,
    )
    return _template().render(context)


def _headline(result: Review) -> str:
    if result.items is None:
        where = f"in the {result.after}" if result.errors_after else f"at {result.before}"
        return f"The content {where} does not load, so its items cannot be compared."
    counts = result.counts
    total = sum(counts.values())
    if not total:
        return f"No change to the content in the {result.after}."
    parts = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
    return f"In the {result.after}, {total} {'item' if total == 1 else 'items'}: {parts}."


def _groups(result: Review, site_dir: Path) -> list[ShownGroup]:
    return [
        ShownGroup(name, tuple(_item(change, result, site_dir) for change in changes))
        for name, changes in grouped(result.items or ()).items()
    ]


def _item(change: ItemChange, result: Review, site_dir: Path) -> ShownItem:
    url = result.urls.get((change.case, change.collection, change.id))
    href = "" if change.change == "removed" or url is None else _href(url, site_dir)
    return ShownItem(
        change.change,
        change.id,
        change.old_id or "",
        change.label if change.label != change.id else "",
        "" if change.location is None else str(change.location),
        href,
        tuple(_field(one) for one in change.fields),
    )


def _field(one: FieldChange) -> ShownField:
    words = one.words if one.kind == "words" and one.before and one.after else ()
    return ShownField(
        one.field,
        words,
        one.before or "",
        one.after or "",
        one.before is not None,
        one.after is not None,
        "; ".join(list_changes(one, str)),
    )


def _href(url: str, site_dir: Path) -> str:
    """The address in the preview of a site-relative `url`, if the preview has that file."""
    path, _, anchor = url.partition("#")
    file = site_dir / path
    if path.endswith("/") or not path:
        file = file / "index.html"
    if not file.is_file():
        return ""
    if path.endswith("index.html"):
        path = path.removesuffix("index.html")
    return "/" + path + (f"#{anchor}" if anchor else "")


def _pages(result: Review, site_dir: Path) -> ShownPages | None:
    pages = result.pages
    if pages is None:
        return None
    every = sorted(
        [
            *((p, "added") for p in pages.added),
            *((p, "removed") for p in pages.removed),
            *((p, "changed") for p in pages.changed),
        ]
    )
    shown = tuple(
        ShownPage(path, change, "" if change == "removed" else _href(path, site_dir))
        for path, change in every[:SHOWN_PAGES]
    )
    kinds = tuple(
        KindCount(kind, counts["added"], counts["removed"], counts["changed"])
        for kind, counts in pages.by_kind().items()
    )
    return ShownPages(
        pages.count, kinds, pages.templates, pages.statics, shown, max(len(every) - SHOWN_PAGES, 0)
    )


def _problem(problem: Problem) -> ShownProblem:
    return ShownProblem(str(problem.location), problem.severity, problem.message, problem.hint)


@functools.cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return environment.get_template("changes_page.html")
