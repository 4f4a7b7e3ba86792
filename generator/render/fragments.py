"""Templates' use of each other, and macros whose output is kept between builds.

A page reads the templates it extends, imports or includes (`template_closures`), and
`CachedMacro` keeps a macro's output per view while nothing it read changes: the fragments
that index pages repeat thousands of times are made once and taken again after an edit.
What they are checked against is the `RenderSession` rendering now.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import meta
from markupsafe import Markup

from generator.plan.context import Tracked
from generator.render.sandbox import RecordingEnvironment

if TYPE_CHECKING:
    from generator.render.page import RenderSession

TEMPLATE_KEY = "template:"
"""Prefix of a template's key among the inputs a page reads (see `build.record`)."""


Closures = dict[str, frozenset[str]]


def templates_in_use(
    environment: jinja2.Environment,
    fingerprints: Mapping[str, bytes],
    find_closures: Callable[[jinja2.Environment], Closures] | None = None,
) -> Closures:
    """Return `template_closures` (or what `find_closures` finds for it, the same kept from an
    earlier process), after dropping compiled templates if any file changed since this
    environment last saw them (`fingerprints` are the templates' digests)."""
    assert isinstance(environment, RecordingEnvironment)
    if fingerprints != environment.seen:
        if environment.cache is not None:
            environment.cache.clear()
        environment.closures = (find_closures or template_closures)(environment)
        environment.seen = dict(fingerprints)
    return environment.closures


def compile_templates(environment: jinja2.Environment, fingerprints: Mapping[str, bytes]) -> None:
    """Compile every template now, as the first page to use each would have."""
    for key in fingerprints:
        with contextlib.suppress(jinja2.TemplateError):
            environment.get_template(key.removeprefix(TEMPLATE_KEY))


def template_closures(environment: jinja2.Environment) -> Closures:
    """For each template, the keys of the templates it extends, imports or includes, itself
    and those they use included. A name Jinja cannot know before rendering means all."""
    return closures_of_sources(environment, template_sources(environment))


def template_sources(environment: jinja2.Environment) -> dict[str, str | None]:
    """Each template's source by name (None: one Jinja cannot load), on which its closure
    depends alone."""
    sources: dict[str, str | None] = {}
    for name in environment.list_templates():
        if name.startswith("static/"):
            continue
        try:
            sources[name] = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
        except jinja2.TemplateError:
            sources[name] = None
    return sources


def closures_of_sources(
    environment: jinja2.Environment, sources: Mapping[str, str | None]
) -> Closures:
    """`template_closures` of templates with these `sources`, parsing every one."""
    names = list(sources)
    direct: dict[str, set[str] | None] = {}
    for name, source in sources.items():
        try:
            if source is None:
                raise jinja2.TemplateNotFound(name)
            found = list(meta.find_referenced_templates(environment.parse(source)))
        except jinja2.TemplateError:
            found = [None]  # rendering will report the error; until then, assume it uses all
        direct[name] = None if None in found else {n for n in found if n is not None}
    closures = {}
    for name in names:
        seen: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            uses = direct.get(current, set())
            stack.extend(names if uses is None else uses)
        closures[name] = frozenset(TEMPLATE_KEY + n for n in seen)
    return closures


class CachedMacro:
    """A macro whose output is kept per view, page depth and further arguments while nothing
    it read changes.

    Index pages show a summary of each of thousands of items, and each page of a large
    timeline hundreds of filter links; after an edit, a rebuild renders such a page again
    with all of that but the edited item's fragment taken from here. Only for macros whose
    output depends on their arguments alone. Further arguments count by their `cache_key`
    if they have one, else by value (they must be hashable). Outside a `RenderSession` that
    keeps fragments, nothing is taken or kept. Its attributes are private, so that a
    template cannot reach the environment through it.
    """

    def __init__(self, environment: RecordingEnvironment, template: str, macro: str) -> None:
        self._environment = environment
        self._template = template
        self._macro = macro
        self._entries: dict[tuple[Any, ...], _Fragment] = {}
        """Per (view key, root, language, further arguments)."""
        self._templates: dict[str, bytes | None] = {}
        """The fingerprints of the templates the macro uses, when the entries were made."""
        self._checked: Mapping[str, bytes] | None = None
        self._template_keys: frozenset[str] = frozenset()

    def _check_templates(self, inputs: Mapping[str, bytes], session: RenderSession | None) -> None:
        """Once per build: forget every entry if a template the macro uses changed."""
        self._checked = inputs
        closures = session.closures if session is not None else {}
        self._template_keys = closures.get(self._template, frozenset())
        now = {key: inputs.get(key) for key in self._template_keys}
        if now != self._templates:
            self._entries.clear()
            self._templates = now

    def each(self, views: Iterable[Tracked], root: str) -> Markup:
        """The macro's output for each view, on lines of their own, indented by two spaces:
        what a template loop `{% for v in views %}  {{ macro(v, root) }}` gives, minus the
        last line break, without a template call per view (index pages hold thousands)."""
        return Markup("  " + "\n  ".join([self(view, root) for view in views]))

    def __call__(self, view: Tracked, root: str, *further: Any) -> Markup:
        environment = self._environment
        session = environment.session
        inputs = session.inputs if session is not None else _NO_INPUTS
        outer = environment.reads
        if self._checked is not inputs:
            self._check_templates(inputs, session)
        if outer is not None:
            outer.update(self._template_keys)
        entry_key = (
            view.view_key,
            root,
            environment.language,
            *(getattr(a, "cache_key", a) for a in further),
        )
        entry = self._entries.get(entry_key) if inputs else None
        if entry is not None and session is not None and entry.current(session):
            if outer is not None:
                outer.update(entry.keys)
            return entry.html
        inner: set[str] = set()
        environment.reads = inner
        try:
            module = environment.get_template(self._template).module
            html: Markup = getattr(module, self._macro)(view, root, *further)
        finally:
            environment.reads = outer
        if outer is not None:
            outer.update(inner)
        if inputs and session is not None:
            keys = tuple(inner)
            fingerprints = list(map(inputs.get, keys))
            self._entries[entry_key] = _Fragment(html, keys, fingerprints, session.build)
        return html


_NO_INPUTS: Mapping[str, bytes] = {}


@dataclass(slots=True)
class _Fragment:
    """A macro's output, the keys of the views it read and their fingerprints then."""

    html: Markup
    keys: tuple[str, ...]
    fingerprints: list[bytes | None]
    checked: int
    """The last build (`RenderSession.build`) that found it current."""

    def current(self, session: RenderSession) -> bool:
        build = session.build
        if self.checked == build:
            return True
        if self.checked == build - 1 and session.changed is not None:
            fresh = session.changed.isdisjoint(self.keys)
        else:
            fresh = list(map(session.inputs.get, self.keys)) == self.fingerprints
        if fresh:
            self.checked = build
        return fresh
