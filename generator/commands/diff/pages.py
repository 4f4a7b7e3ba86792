"""What readers will see change: the output files of the site whose content differs between
two versions, by kind of page.

A page can differ only when its context does or when it reaches a view that does, through
the views it holds and fields its template names (`rendering`); with a theme whose templates
differ, any page made from a template can. Those pages are rendered after the change, and
those of them that read something that changed, before it too: a page differs when their
bytes do. Files made of pictures and documents are named by their content, so a picture
replaced is one file removed and one added. Files of the theme's `static/` folder that
differ are listed by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.build.patch import Patch
from generator.commands.diff.rendering import UNRENDERED, PageRenderer
from generator.commands.diff.template_reads import ANY_KEY
from generator.commands.diff.versions import Version, page_state, read_view
from generator.plan.context import QuoteView

PAGE_KIND_NAMES = {
    "index.html": "home page",
    "search.html": "search page",
    "404.html": "not-found page",
    "sitemap.xml": "sitemap",
    "feed.xml": "feed",
    "robots.txt": "robots.txt",
    "png:card": "share card",
    "case.html": "case overview",
    "timeline.html": "timeline page",
    "event.html": "event page",
    "quotes.html": "quotes list",
    "quote.html": "quote page",
    "parties.html": "parties list",
    "party.html": "party page",
    "rulings.html": "rulings list",
    "ruling.html": "ruling page",
    "poll.html": "poll page",
    "csv:poll": "poll CSV",
    "sources.html": "sources page",
    "glossary.html": "glossary page",
    "json:data": "data.json",
    "embed/timeline.html": "timeline embed",
    "embed/quote.html": "quote embed",
    "embed/oembed.txt": "oEmbed answer",
}
"""What readers call each kind of output file, by the template that makes it."""
MEDIA_FILE = "picture or document file"
"""The kind of the files made of pictures and documents, each named by its content: a file
that changes is one removed and one added."""
CARDS = "png:card"


@dataclass(frozen=True)
class PageChanges:
    """The output files that differ, by path, each with its kind's name."""

    added: dict[str, str] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    changed: dict[str, str] = field(default_factory=dict)
    statics: tuple[str, ...] = ()
    """Files of the theme's `static/` folder added, removed or changed."""
    templates: tuple[str, ...] = ()
    """Templates added, removed or changed: every page made from a template is counted."""

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)

    def by_kind(self) -> dict[str, dict[str, int]]:
        """For each kind of page, how many are added, removed and changed, most first."""
        kinds: dict[str, dict[str, int]] = {}
        for change, pages in (
            ("added", self.added),
            ("removed", self.removed),
            ("changed", self.changed),
        ):
            for kind in pages.values():
                counts = kinds.setdefault(kind, {"added": 0, "removed": 0, "changed": 0})
                counts[change] += 1
        return dict(sorted(kinds.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))


def kind_name(template: str) -> str:
    return PAGE_KIND_NAMES.get(template, template)


def page_changes(before: Version, after: Version) -> PageChanges:
    """The output files that differ between two planned versions."""
    assert before.plan is not None and after.plan is not None
    assert before.pages is not None and after.pages is not None
    if after.patch is not None:
        return _edited_pages(before, after, after.patch)
    old, new = before.pages, after.pages
    templates = _differing(before.templates, after.templates, static=False)
    statics = _differing(before.templates, after.templates, static=True)
    old_renderer, new_renderer = PageRenderer(before), PageRenderer(after)
    changed_views = {k for k, value in after.views.items() if before.views.get(k) != value}
    reach = _Reach(changed_views, after.holders, new_renderer)
    candidates = [
        page
        for page in after.plan.pages
        if page.path in old
        and (
            old[page.path].context != new[page.path].context
            or (templates and new_renderer.field_reads(page.template) is not None)
            or reach.reaches(page.template, new[page.path].views)
        )
    ]
    # What a page read after the change tells whether it can differ; only those that can
    # are rendered as they were, to compare.
    after_digests = new_renderer.digests(candidates)
    stale = {
        page.path
        for page in candidates
        if page.template in UNRENDERED
        or old[page.path].context != new[page.path].context
        or templates
        or not reach.changed.isdisjoint(after_digests[page.path][1])
    }
    earlier = [page for page in before.plan.pages if page.path in stale]
    before_digests = old_renderer.digests(earlier, draw_cards=True)
    cards = [page for page in candidates if page.path in stale and page.template == CARDS]
    after_digests.update(new_renderer.digests(cards, draw_cards=True))
    changed = {
        page.path: kind_name(page.template)
        for page in candidates
        if page.path in stale
        and (
            page.template in UNRENDERED
            or before_digests[page.path][0] != after_digests[page.path][0]
        )
    }
    old_files, new_files = before.media.outputs.keys(), after.media.outputs.keys()
    return PageChanges(
        {p: kind_name(page.template) for p, page in new.items() if p not in old}
        | dict.fromkeys(new_files - old_files, MEDIA_FILE),
        {p: kind_name(page.template) for p, page in old.items() if p not in new}
        | dict.fromkeys(old_files - new_files, MEDIA_FILE),
        changed,
        tuple(s.removeprefix(STATIC) for s in statics),
        templates,
    )


def _edited_pages(before: Version, after: Version, patch: Patch) -> PageChanges:
    """The pages an edit of wording changes (`edited`): those that can reach a view it
    edits, or whose context it remakes (a quote's own page), rendered before it is applied
    to the plan the two versions share and after, and compared. No page is added or
    removed, no picture processed again."""
    assert before.pages is not None and after.pages is not None and after.plan is not None
    edited = {view.view_key for view, *_ in patch.targets}
    remade = {view.url + "index.html" for view, *_ in patch.targets if isinstance(view, QuoteView)}
    old_renderer, new_renderer = PageRenderer(before), PageRenderer(after)
    reach = _Reach(edited, after.holders, new_renderer)
    candidates = [
        page
        for page in after.plan.pages
        if page.path in remade or reach.reaches(page.template, before.pages[page.path].views)
    ]
    before_digests = old_renderer.digests(candidates, draw_cards=True)
    patched = patch.apply()
    after.patch = None
    for view in patched.views:
        after.views[view.view_key], _ = read_view(view)
    for page in patched.pages:
        after.pages[page.path] = page_state(page)
    after_digests = new_renderer.digests(candidates, draw_cards=True)
    changed_views = {key for key in edited if after.views[key] != before.views[key]}
    changed_reach = _Reach(changed_views, after.holders, new_renderer)
    return PageChanges(
        changed={
            page.path: kind_name(page.template)
            for page in candidates
            if (
                changed_reach.reaches(page.template, after.pages[page.path].views)
                if page.template in UNRENDERED
                else before_digests[page.path][0] != after_digests[page.path][0]
            )
        }
    )


STATIC = "static/"


def _differing(old: dict[str, bytes], new: dict[str, bytes], static: bool) -> tuple[str, ...]:
    names = sorted({*old, *new})
    return tuple(n for n in names if n.startswith(STATIC) == static and old.get(n) != new.get(n))


class _Reach:
    """For each template and key of its context, the views after the change that a page of
    it reaches a changed view through: the changed views themselves, and those holding one
    in a field the template reads through that key, view within view."""

    def __init__(
        self, changed: set[str], holders: dict[str, list[tuple[str, str]]], renderer: PageRenderer
    ) -> None:
        self.changed = changed
        self.holders = holders
        self.renderer = renderer
        self.by_names: dict[frozenset[str] | None, frozenset[str]] = {}
        self.by_key: dict[tuple[str, str], frozenset[str]] = {}

    def reaches(self, template: str, held: dict[str, frozenset[str]]) -> bool:
        """Whether a page of `template` whose context holds `held` (view keys by context
        key) can reach a changed view."""
        for key, views in held.items():
            found = self.by_key.get((template, key))
            if found is None:
                found = self.by_key[(template, key)] = self._through(template, key)
            if not found.isdisjoint(views):
                return True
        return False

    def _through(self, template: str, key: str) -> frozenset[str]:
        reads = self.renderer.field_reads(template)
        names = (
            None if reads is None else reads.get(key, frozenset()) | reads.get(ANY_KEY, frozenset())
        )
        if names not in self.by_names:
            self.by_names[names] = frozenset(self._search(names))
        return self.by_names[names]

    def _search(self, names: Iterable[str] | None) -> set[str]:
        wanted = None if names is None else set(names)
        found = set(self.changed)
        waiting = list(found)
        while waiting:
            for holder, name in self.holders.get(waiting.pop(), ()):
                if holder not in found and (wanted is None or name in wanted):
                    found.add(holder)
                    waiting.append(holder)
        return found
