"""Stage 4, render: `Page` → `RenderedFile`, pure functions of the plan.

Jinja2 runs with autoescape on for HTML and XML and undefined variables as errors. Templates
only display: their context is ready-made in `context` and `plan`. Every HTML page gets:

- `site`, `root` (relative prefix to the site root), `url`, `canonical`, `page_title`,
  `stylesheet`, and `case` (a `CaseView`, or None outside a case);
- by page kind: `cases` (index, 404, feed), `event`, `quote` with `previous`/`next`/
  `same_speaker`, `party`, `ruling`, `poll`, `urls` (sitemap), `entries` (feed).

Filters: `markdown` (block) and `markdown_inline` turn Markdown fields into sanitized HTML,
`plain` into plain text of at most 200 characters (for descriptions);
`jsonld` serializes structured data safely inside a `<script>` element.
`data.json` and the poll CSVs are serialized in Python rather than templated, and share
cards drawn (`cards`, kept by `card_cache`). Every page also gets `content_security_policy`
(`CONTENT_SECURITY_POLICY`), and `search_content_security_policy` for the search page.

Templates run in Jinja's sandbox (`_RecordingEnvironment`): they see only the data they are
given (no attribute starting with `_`, no Python internals, no pydantic method that could
read a file, no change to a list or dict) and load only files inside the templates folder.
Breaking a rule is a `TemplateError` at the template's line, like any other template mistake.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import re
import types
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import ne
from pathlib import Path
from typing import Any, TypeVar

import jinja2
from jinja2 import meta, nodes, sandbox
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, Context, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape
from pydantic import BaseModel

from generator.errors import Location, TemplateError
from generator.plan.card_text import CardText
from generator.plan.context import (
    CaseView,
    EventView,
    PartyView,
    PollView,
    QuoteView,
    RulingView,
    SourceView,
    Tracked,
    case_views,
    json_for_html,
)
from generator.plan.site import CARD_TEMPLATE, Page, page_card_text
from generator.render.cards import draw_card
from generator.render.markdown import markdown_inline, markdown_plain, markdown_to_html


@dataclass(frozen=True)
class RenderedFile:
    path: str
    parts: tuple[bytes, ...]
    """The file's bytes, in the pieces they were made in (a large file is not joined)."""
    reads: tuple[str, ...] = ()
    """Keys of the tracked views the page read (see `record`), each once."""
    digest: bytes | None = None
    """A digest of the bytes made from its pieces', when they were assembled from cached ones."""

    @property
    def content(self) -> bytes:
        return self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)


TEMPLATE_KEY = "template:"
T = TypeVar("T", bound=Tracked)

_reads: set[str] | None = None
"""Keys of what the page being rendered has read so far (None between pages)."""
_inputs: Mapping[str, bytes] = {}
"""The current fingerprint of each input, by key, for `CachedMacro` (see `record`)."""
_closures: Mapping[str, frozenset[str]] = {}
"""Per template, the keys of the templates it uses, itself included (`template_closures`)."""


_file_links = False
"""Whether links between pages name each page's `index.html` (see `link_files`)."""
_card_png: Callable[[CardText], bytes] = draw_card
"""Gives a share card's PNG bytes: drawn, or kept from an earlier build by the builder."""


_build = 0
"""Counts the builds `prepare`d, for `CachedMacro` to tell the cards checked in this one."""
_changed: frozenset[str] | None = None
"""The keys whose fingerprint changed since the previous build prepared, if known."""
_prepared_last: Mapping[str, bytes] = {}


def prepare(
    inputs: Mapping[str, bytes],
    closures: Mapping[str, frozenset[str]],
    file_links: bool = False,
    changed: tuple[Mapping[str, bytes], Collection[str]] | None = None,
    card_png: Callable[[CardText], bytes] = draw_card,
) -> None:
    """Set what the next renders record against: the inputs' fingerprints and the templates'
    uses, and how links are written. A builder sets them before it renders and empties them
    after, so that outside a build nothing is taken from `CachedMacro`.

    `changed` gives earlier inputs and the keys that differ from them: when those are the
    inputs the previous build prepared, a card checked then stays current unless it read
    one of these keys. `card_png` gives a share card's bytes (the builder's store).
    """
    global _inputs, _closures, _file_links, _build, _changed, _prepared_last, _card_png
    _inputs, _closures, _file_links, _card_png = inputs, closures, file_links, card_png
    if inputs:
        _build += 1
        known = changed is not None and changed[0] is _prepared_last
        _changed = frozenset(changed[1]) if changed is not None and known else None
        _prepared_last = inputs


_FOLDER_LINK = re.compile(r'href="([^":#]*/)?(#[^"]*)?"')


def link_files(html: str) -> str:
    """Make every relative link to a folder (`../quotes/`, `../../`, `` for this page's own
    folder) name the folder's `index.html`: opened from disk, a browser shows a folder's
    listing, not its index. Links with a scheme, and links to an anchor of the same page,
    stay as they are."""

    def to_file(match: re.Match[str]) -> str:
        folder, fragment = match.group(1), match.group(2)
        if folder is None and fragment is not None:
            return match.group(0)
        return f'href="{folder or ""}index.html{fragment or ""}"'

    return _FOLDER_LINK.sub(to_file, html)


def keep_no_cards() -> None:
    """From now on record what pages read but neither take nor keep `CachedMacro` cards:
    for a worker of a full build, where a card is rarely shown twice at the same depth."""
    global _inputs
    _inputs = {}


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
"""What a page may load, in a `<meta http-equiv>` of every page. Pages need only their
own stylesheet, icon and scripts (an embed page's `embed.js`, the search page's), never an
inline script or style, so anything else is refused: a script or style that got into a page
anyway would not run, and nothing loads from another site. `connect-src 'self'` is also for
the preview's reload script and its WebSocket. (`frame-ancestors` is ignored in a meta
element; a host that wants it sends it as a header.)"""

SEARCH_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
"""The search page's policy: Pagefind compiles its WebAssembly (`'wasm-unsafe-eval'`, which
allows no `eval` of script text), and the search form submits to the page itself, which
makes it work as a plain GET form without scripts."""


class _TemplatesLoader(jinja2.FileSystemLoader):
    """Loads templates from one folder and nowhere else.

    Jinja already refuses names with `..` and reads `/etc/x` as `etc/x` inside the folder;
    this also refuses a file inside that is a link to somewhere outside.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template)).resolve()
        if not path.is_relative_to(self.folder):
            raise jinja2.TemplateNotFound(
                template, f"template `{template}` is outside the templates folder"
            )
        return super().get_source(environment, template)


def _names_checked_by_type() -> frozenset[str]:
    """Attribute names that Jinja's rules, or ours, allow on some types and refuse on others:
    `mro` of a class, `format` of a string, the methods that change a list, dict, set or
    deque, a generator's frame and code, every attribute of a frame, code object or
    traceback, and pydantic's own attributes of a model (`parse_file` reads any file). Any
    other name that does not start with `_` is allowed on every object (tested)."""
    names = {"mro", "format", "format_map"}
    names |= sandbox.UNSAFE_FUNCTION_ATTRIBUTES | sandbox.UNSAFE_METHOD_ATTRIBUTES
    names |= sandbox.UNSAFE_GENERATOR_ATTRIBUTES | sandbox.UNSAFE_COROUTINE_ATTRIBUTES
    names |= sandbox.UNSAFE_ASYNC_GENERATOR_ATTRIBUTES
    mutables: tuple[object, ...] = ([], {}, set(), deque())
    for mutable in mutables:
        names |= {n for n in dir(mutable) if sandbox.modifies_known_mutable(mutable, n)}
    for kind in (types.FrameType, types.CodeType, types.TracebackType, BaseModel):
        names |= set(dir(kind))
    return frozenset(name for name in names if not name.startswith("_"))


NAMES_CHECKED_BY_TYPE = _names_checked_by_type()

_CALLED_WITHOUT_CHECK = (Macro, BlockReference, types.BuiltinFunctionType)
"""Callables that cannot be marked `@unsafe` (Jinja's own macros and blocks, and built-in
functions, which take no attributes), so `call` need not look for the mark."""


def _find_escape_text() -> Callable[[str], str]:
    try:
        from markupsafe._speedups import _escape_inner
    except ImportError:  # markupsafe without its C part, or a version that moved it
        return lambda text: str.__str__(escape(text))
    return _escape_inner


_escape_text = _find_escape_text()
"""Markupsafe's escaping of a `str` (`&<>'"`), without making a `Markup` of the result."""


def escape_output(value: Any) -> str:
    """Escape a value that a template writes out: what `markupsafe.escape` gives, as a plain
    `str`. Jinja only joins what a template writes (and marks the joined text safe where
    it is kept, as in a macro's result), so the `Markup` object `escape` makes for each of
    the hundreds of values on a page is thrown away at once. Not making it renders pages
    a seventh faster."""
    if type(value) is str:
        return _escape_text(value)
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return _escape_text(str(value))


class _SandboxCodeGenerator(CodeGenerator):
    """Compiles `a.name` to `environment.getattr_plain(a, "name")` when `name` is allowed
    on every object (it does not start with `_` and is not in `NAMES_CHECKED_BY_TYPE`), so
    that the check is made once, when the template compiles, instead of on every access.
    And a value written out with autoescape on to `environment.escape_output(value)`."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_output(")
        if finalize.src is not None:
            self.write(finalize.src)

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if node.attr.startswith("_") or node.attr in NAMES_CHECKED_BY_TYPE:
            super().visit_Getattr(node, frame)
            return
        self.write("environment.getattr_plain(")
        self.visit(node.node, frame)
        self.write(f", {node.attr!r})")


class _Template(jinja2.Template):
    def _get_default_module(self, ctx: Context | None = None) -> jinja2.environment.TemplateModule:
        """The module that `{% import %}` or `{% from … import %}` of this template gives.

        Jinja makes a new module when the importing template has globals this one lacks, and
        finds out by taking the set of one's names from the other's on every import, four
        times a page. Templates here have only the environment's globals (none is loaded
        with globals of its own), so when the importer has no more names than those, the
        answer is known: none is missing, and the module made once is the one. Skipping
        the comparison renders pages a sixth faster.
        """
        if ctx is not None and len(ctx.globals_keys) == len(self.environment.globals):
            ctx = None
        return super()._get_default_module(ctx)


class _RecordingEnvironment(ImmutableSandboxedEnvironment):
    """A sandbox that notes each tracked view whose attribute a template reads while a
    page renders.

    Rendering reads hundreds of attributes per page, nearly all of them fields of views
    and links whose names Jinja's rules allow on any object. Those the compiled template
    reads with `getattr_plain`, which checks nothing (`_SandboxCodeGenerator`); other names
    written in a template, and every name only known while rendering (`|attr`, format
    strings, `map(attribute=…)`), get all of Jinja's checks with `is_safe_attribute`, whose
    answer depends only on the type and the name and is kept. Checking every access made
    rendering 16% slower. What is given up: Jinja also wraps a `str.format` method found in
    an attribute of any name, and refuses every attribute of a frame, code object or
    traceback; no template data holds one (views hold content, and what a template makes
    holds only what it got through these checks), and no allowed name leads to one.
    """

    code_generator_class = _SandboxCodeGenerator
    template_class = _Template
    escape_output = staticmethod(escape_output)
    seen: Mapping[str, bytes] = {}
    closures: dict[str, frozenset[str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.safe_attributes: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's rules, and of a pydantic model only its fields: its methods include
        `parse_file`, which reads any file."""
        if isinstance(obj, BaseModel):
            return attr in type(obj).model_fields
        if isinstance(obj, type) and issubclass(obj, BaseModel):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def getattr_plain(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` for a name allowed on every object (see the class doc)."""
        if _reads is not None and isinstance(obj, Tracked):
            _reads.add(obj.view_key)
        try:  # as jinja2.Environment.getattr, inlined: it runs for every `a.b` of every page
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if _reads is not None and isinstance(obj, Tracked):
            _reads.add(obj.view_key)
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            try:
                return obj[attribute]
            except (TypeError, LookupError, AttributeError):
                return self.undefined(obj=obj, name=attribute)
        key = (type(obj), attribute)
        safe = self.safe_attributes.get(key)
        if safe is None:
            safe = self.safe_attributes[key] = self.is_safe_attribute(obj, attribute, value)
        if not safe:
            return self.unsafe_undefined(obj, attribute)
        return self.wrap_str_format(value) or value

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        return self.undefined(
            f"templates may not use `{attribute}` of {type(obj).__name__!r}: they are "
            "sandboxed and see only the data they are given",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        if type(__obj) not in _CALLED_WITHOUT_CHECK and not __self.is_safe_callable(__obj):
            raise SecurityError(f"{__obj!r} is not safely callable")
        return __context.call(__obj, *args, **kwargs)


def templates_in_use(
    environment: jinja2.Environment, fingerprints: Mapping[str, bytes]
) -> dict[str, frozenset[str]]:
    """Return `template_closures`, after dropping compiled templates if any file changed
    since this environment last saw them (`fingerprints` are the templates' digests)."""
    assert isinstance(environment, _RecordingEnvironment)
    if fingerprints != environment.seen:
        if environment.cache is not None:
            environment.cache.clear()
        environment.closures = template_closures(environment)
        environment.seen = dict(fingerprints)
    return environment.closures


def compile_templates(environment: jinja2.Environment, fingerprints: Mapping[str, bytes]) -> None:
    """Compile every template now, as the first page to use each would have."""
    for key in fingerprints:
        with contextlib.suppress(jinja2.TemplateError):
            environment.get_template(key.removeprefix(TEMPLATE_KEY))


def template_closures(environment: jinja2.Environment) -> dict[str, frozenset[str]]:
    """For each template, the keys of the templates it extends, imports or includes, itself
    and those they use included. A name Jinja cannot know before rendering means all."""
    names = [n for n in environment.list_templates() if not n.startswith("static/")]
    direct: dict[str, set[str] | None] = {}
    for name in names:
        try:
            source, _, _ = environment.loader.get_source(environment, name)  # type: ignore[union-attr]
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

    Index pages show a card for each of thousands of items, and each page of a large
    timeline hundreds of filter links; after an edit, a rebuild renders such a page again
    with all of that but the edited card taken from here. Only for macros whose output
    depends on their arguments alone. Further arguments count by their `cache_key` if they
    have one, else by value (they must be hashable). Its attributes are private, so that a
    template cannot reach the environment through it.
    """

    def __init__(self, environment: jinja2.Environment, template: str, macro: str) -> None:
        self._environment = environment
        self._template = template
        self._macro = macro
        self._entries: dict[tuple[Any, ...], _Card] = {}
        """Per (view key, root, further arguments)."""
        self._templates: dict[str, bytes | None] = {}
        """The fingerprints of the templates the macro uses, when the entries were made."""
        self._checked: Mapping[str, bytes] | None = None
        self._template_keys: frozenset[str] = frozenset()

    def _check_templates(self) -> None:
        """Once per build: forget every entry if a template the macro uses changed."""
        self._checked = _inputs
        self._template_keys = _closures.get(self._template, frozenset())
        now = {key: _inputs.get(key) for key in self._template_keys}
        if now != self._templates:
            self._entries.clear()
            self._templates = now

    def each(self, views: Iterable[Tracked], root: str) -> Markup:
        """The macro's output for each view, on lines of their own, indented by two spaces:
        what a template loop `{% for v in views %}  {{ macro(v, root) }}` gives, minus the
        last line break, without a template call per view (index pages hold thousands)."""
        return Markup("  " + "\n  ".join([self(view, root) for view in views]))

    def __call__(self, view: Tracked, root: str, *further: Any) -> Markup:
        global _reads
        outer = _reads
        if self._checked is not _inputs:
            self._check_templates()
        if outer is not None:
            outer.update(self._template_keys)
        entry_key = (view.view_key, root, *(getattr(a, "cache_key", a) for a in further))
        entry = self._entries.get(entry_key) if _inputs else None
        if entry is not None and entry.current():
            if outer is not None:
                outer.update(entry.keys)
            return entry.html
        inner: set[str] = set()
        _reads = inner
        try:
            module = self._environment.get_template(self._template).module
            html: Markup = getattr(module, self._macro)(view, root, *further)
        finally:
            _reads = outer
        if outer is not None:
            outer.update(inner)
        if _inputs:
            keys = tuple(inner)
            self._entries[entry_key] = _Card(html, keys, list(map(_inputs.get, keys)), _build)
        return html


@dataclass(slots=True)
class _Card:
    """A macro's output, the keys of the views it read and their fingerprints then."""

    html: Markup
    keys: tuple[str, ...]
    fingerprints: list[bytes | None]
    checked: int
    """The last build (`_build`) that found it current."""

    def current(self) -> bool:
        if self.checked == _build:
            return True
        if self.checked == _build - 1 and _changed is not None:
            fresh = _changed.isdisjoint(self.keys)
        else:
            fresh = list(map(_inputs.get, self.keys)) == self.fingerprints
        if fresh:
            self.checked = _build
        return fresh


@functools.lru_cache(maxsize=8)
def make_environment(templates_dir: Path) -> jinja2.Environment:
    """Return the Jinja environment for a templates folder; templates compile once.

    The environment is kept for the life of the process, so the preview's rebuilds reuse
    compiled templates. Jinja does not look at the files for changes (that is a `stat` per
    template per page); `templates_in_use` drops compiled templates when a file changed.
    """
    environment = _RecordingEnvironment(
        loader=_TemplatesLoader(templates_dir),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    environment.filters["markdown"] = lambda text: Markup(markdown_to_html(text))
    environment.filters["markdown_inline"] = lambda text: Markup(markdown_inline(text))
    environment.filters["jsonld"] = _jsonld
    environment.filters["plain"] = markdown_plain
    quote_card = CachedMacro(environment, "partials/_quote.html", "quote_card")
    event_entry = CachedMacro(environment, "partials/_event.html", "event_entry")
    filters = CachedMacro(environment, "partials/_filters.html", "timeline_filters")
    pages = CachedMacro(environment, "partials/_pages.html", "page_nav")
    environment.globals.update(
        content_security_policy=Markup(CONTENT_SECURITY_POLICY),
        search_content_security_policy=Markup(SEARCH_CONTENT_SECURITY_POLICY),
        timeline_filters=filters,
        page_nav=pages,
        quote_card=quote_card,
        quote_cards=quote_card.each,
        event_entry=event_entry,
        event_entries=event_entry.each,
    )
    return environment


def _jsonld(data: dict[str, Any]) -> Markup:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(json_for_html(text))


def render_page(page: Page, environment: jinja2.Environment) -> RenderedFile:
    """Render one page; raise `TemplateError` pointing at the template line on failure."""
    global _reads
    if page.template == "json:data":
        case = page.context["case"]
        pieces, pieces_digest = _case_data_pieces(case)
        return RenderedFile(page.path, tuple(pieces), _every_view(case), pieces_digest)
    if page.template == CARD_TEMPLATE:
        item = page.context["item"]
        card = _card_png(page_card_text(page))
        # The site's card reads no view: `site.yaml` is in its context.
        return RenderedFile(page.path, (card,), (item.view_key,) if item is not None else ())
    if page.template == "csv:poll":
        poll = page.context["poll"]
        return RenderedFile(page.path, (poll_csv(poll),), (poll.view_key,))
    reads: set[str] = set(_closures.get(page.template, ()))
    _reads = reads
    try:
        template = environment.get_template(page.template)
        text = template.render(page.context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            Location(f"templates/{exc.name or page.template}", exc.lineno or 0, 1),
            exc.message or str(exc),
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            _template_location(exc, page.template, environment),
            f"template `{exc.name}` not found: a template can use only files inside the "
            "templates folder, named from there without `..` (e.g. `partials/_date.html`) "
            f"(rendering {page.path})",
        ) from None
    except (
        jinja2.UndefinedError,
        jinja2.TemplateError,
        TypeError,
        AttributeError,
        OverflowError,  # the sandbox's `range` limit
    ) as exc:
        raise TemplateError(
            _template_location(exc, page.template, environment), f"{exc} (rendering {page.path})"
        ) from None
    finally:
        _reads = None
    if _file_links and page.template.endswith(".html"):
        text = link_files(text)
    return RenderedFile(page.path, (text.encode("utf-8"),), tuple(reads))


def _template_location(
    exc: BaseException, fallback: str, environment: jinja2.Environment
) -> Location:
    """Find the innermost template frame in the traceback Jinja rewrote."""
    found = Location(f"templates/{fallback}")
    folder = (
        Path(environment.loader.folder)
        if isinstance(environment.loader, _TemplatesLoader)
        else None
    )
    trace = exc.__traceback__
    while trace is not None:
        filename = Path(trace.tb_frame.f_code.co_filename)
        if filename.suffix in {".html", ".xml", ".txt"}:
            name = filename.name
            if folder is not None and filename.resolve().is_relative_to(folder):
                name = filename.resolve().relative_to(folder).as_posix()
            found = Location(f"templates/{name}", trace.tb_lineno, 1)
        trace = trace.tb_next
    return found


def case_data_json(view: CaseView) -> bytes:
    """Serialize the validated case as open data, in a stable key order."""
    return b"".join(_case_data_pieces(view)[0])


def _case_data_pieces(view: CaseView) -> tuple[list[bytes], bytes]:
    """The bytes of `data.json` in pieces, and a digest of them made from the pieces'.

    The text is exactly `json.dumps(case_data(view), indent=2, sort_keys=True)`, assembled
    from one piece per list so that, inside a build, an unchanged item is neither encoded
    nor hashed again, and an unchanged list not even joined again.
    """
    pieces: list[bytes] = [b"{\n"]
    digests = hashlib.sha256()
    members = _case_data_members(view)
    for index, (name, value) in enumerate(members):
        pieces.append((("  " if index == 0 else ",\n  ") + f'"{name}": ').encode("utf-8"))
        if isinstance(value, tuple):
            encoded, list_digest = _json_list(f"{view.slug}/{name}", *value)
            pieces.extend(encoded)
        else:
            pieces.append(_json(value, 1).encode("utf-8"))
            list_digest = hashlib.sha256(pieces[-1]).digest()[:16]
        digests.update(list_digest)
    pieces.append(b"\n}\n")
    return pieces, digests.digest()[:16]


def case_data(view: CaseView) -> dict[str, Any]:
    """The open data of a case as one value (what `case_data_json` encodes)."""
    return {
        name: [value[1](v) for v in value[0]] if isinstance(value, tuple) else value
        for name, value in _case_data_members(view)
    }


def _case_data_members(view: CaseView) -> list[tuple[str, Any]]:
    """The members of a case's open data in key order: a value, or (views, item function)
    for a list with one entry per view."""
    return [
        ("case", view.case.model_dump(mode="json")),
        ("events", (view.events, _event_data)),
        ("parties", (view.parties, _party_data)),
        ("polls", (view.polls, _poll_data)),
        ("quotes", (view.quotes, _quote_data)),
        ("rulings", (view.rulings, _ruling_data)),
        ("slug", view.slug),
        ("sources", (view.sources, _source_data)),
    ]


_encoded: dict[str, tuple[bytes | None, bytes, bytes]] = {}
"""Each item's encoded data by view key: the fingerprint it had (see `prepare`), the bytes
and their digest."""


@dataclass
class _EncodedList:
    views: Sequence[Tracked]
    keys: list[str]
    fingerprints: list[bytes | None]
    items: list[bytes]
    digests: list[bytes]
    blocks: list[bytes]
    content: tuple[bytes, ...]
    digest: bytes


_lists: dict[str, _EncodedList] = {}
"""The last encoding of each list of each case's data (`<case>/<member>`)."""

JSON_BLOCK = 256
"""Items joined into one piece of a list's JSON: an edit joins again only its own block,
not 10 MB of quotes."""

_ITEM_SEPARATOR = b",\n    "


_views_of_case: dict[str, tuple[CaseView, tuple[str, ...]]] = {}


def _every_view(case: CaseView) -> tuple[str, ...]:
    """The keys of every view of a case, which its data shows; kept while the case view is
    the same object (a patch changes its views, never which ones)."""
    known = _views_of_case.get(case.view_key)
    if known is not None and known[0] is case:
        return known[1]
    keys = tuple({view.view_key: None for view in case_views(case)})
    if _inputs:
        _views_of_case[case.view_key] = (case, keys)
    return keys


def _json(value: object, depth: int) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return text.replace("\n", "\n" + "  " * depth)


def _json_list(
    name: str, views: Sequence[T], data: Callable[[T], dict[str, Any]]
) -> tuple[tuple[bytes, ...], bytes]:
    """A JSON list of items in pieces, and a digest made from the items' digests.

    When the same items as last time are listed, only those whose fingerprint changed are
    encoded again, and only their blocks joined again; when other items are listed,
    unchanged items still come from `_encoded`.
    """
    last = _lists.get(name)
    if last is not None and last.views is views:
        keys = last.keys  # the same list object: a patch changes views, never which ones
    else:
        keys = [view.view_key for view in views]
    fingerprints = list(map(_inputs.get, keys))
    known = None not in fingerprints
    if known and last is not None and last.keys == keys:
        if last.fingerprints == fingerprints:
            return last.content, last.digest
        items, digests, blocks = list(last.items), list(last.digests), list(last.blocks)
        changed = list(compress(range(len(keys)), map(ne, last.fingerprints, fingerprints)))
        for index in changed:
            items[index], digests[index] = _encode_item(views[index], fingerprints[index], data)
        for block in sorted({index // JSON_BLOCK for index in changed}):
            start = block * JSON_BLOCK
            blocks[block] = _ITEM_SEPARATOR.join(items[start : start + JSON_BLOCK])
    else:
        items, digests, blocks = [], [], []
        for start in range(0, len(views), JSON_BLOCK):
            encoded_block: list[bytes] = []
            for index in range(start, min(start + JSON_BLOCK, len(views))):
                encoded, item_digest = _encode_item(views[index], fingerprints[index], data)
                encoded_block.append(encoded)
                digests.append(item_digest)
            blocks.append(_ITEM_SEPARATOR.join(encoded_block))
            if known:  # kept to join a block again after an edit; else gone with the block
                items.extend(encoded_block)
    if blocks:
        joined = [piece for block in blocks for piece in (_ITEM_SEPARATOR, block)]
        content = (b"[\n    ", *joined[1:], b"\n  ]")
    else:
        content = (b"[]",)
    list_digest = hashlib.sha256(len(views).to_bytes(8, "big") + b"".join(digests)).digest()[:16]
    if known:
        _lists[name] = _EncodedList(
            views, keys, fingerprints, items, digests, blocks, content, list_digest
        )
    return content, list_digest


def _encode_item(
    view: T, fingerprint: bytes | None, data: Callable[[T], dict[str, Any]]
) -> tuple[bytes, bytes]:
    """An item's encoded data and its digest, from `_encoded` while its fingerprint holds."""
    cached = _encoded.get(view.view_key) if fingerprint is not None else None
    if cached is not None and cached[0] == fingerprint:
        return cached[1], cached[2]
    encoded = _json(data(view), 2).encode("utf-8")
    item_digest = hashlib.sha256(encoded).digest()[:16]
    if fingerprint is not None:
        _encoded[view.view_key] = (fingerprint, encoded, item_digest)
    return encoded, item_digest


def _party_data(p: PartyView) -> dict[str, Any]:
    return _dump_fields(p, ("id", "name", "kind", "role", "title", "side"))


def _ruling_data(r: RulingView) -> dict[str, Any]:
    return {
        **_dump_fields(r, ("id", "title", "stage", "citation", "outcome", "holding", "next_step")),
        "date": r.date.iso,
        "approximate": r.date.approximate,
        "court": r.court.id,
        "judges": [j.id for j in r.judges],
        "sources": [c.id for c in r.sources],
    }


def _event_data(e: EventView) -> dict[str, Any]:
    return {
        **_dump_fields(e, ("id", "title", "kind", "body")),
        "date": e.date.iso,
        "approximate": e.date.approximate,
        "parties": [p.id for p in e.parties],
        "quotes": [q.id for q in e.quotes],
        "sources": [c.id for c in e.sources],
    }


def _quote_data(q: QuoteView) -> dict[str, Any]:
    return {
        **_dump_fields(q, ("id", "text", "speaker_role", "venue", "context", "key")),
        "speaker": q.speaker.id,
        "said_on": q.said_on.iso,
        "approximate": q.said_on.approximate,
        "sources": [c.id for c in q.sources],
    }


def _poll_data(p: PollView) -> dict[str, Any]:
    fields = (
        "id",
        "title",
        "fieldwork",
        "published",
        "population",
        "sample_size",
        "margin_of_error",
        "mode",
    )
    return {
        **_dump_fields(p, fields),
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "wording": q.wording,
                "results": [{"answer": b.answer, "percent": b.percent} for b in q.results],
            }
            for q in p.questions
        ],
        "sources": [c.id for c in p.sources],
    }


def _source_data(s: SourceView) -> dict[str, Any]:
    fields = ("id", "title", "publisher", "author", "url", "published", "accessed", "note")
    return _dump_fields(s, fields)


def _dump_fields(item: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(item, name) for name in names}


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: str) -> str:
    """Neutralize cells a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def poll_csv(poll: Any) -> bytes:
    """The poll's reported results, one row per answer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        ["question_id", "question", "answer", "percent", "pollster", "fieldwork", "sample_size"]
    )
    for question in poll.questions:
        for bar in question.results:
            writer.writerow(
                [
                    question.id,
                    _csv_cell(question.text),
                    _csv_cell(bar.answer),
                    f"{bar.percent:g}",
                    _csv_cell(poll.pollster.label),
                    poll.fieldwork,
                    poll.sample_size,
                ]
            )
    return buffer.getvalue().encode("utf-8")
