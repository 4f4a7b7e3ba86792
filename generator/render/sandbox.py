"""The sandbox templates run in: they see only the data they are given.

No attribute starting with `_`, no Python internals, no pydantic method that could read a
file, no change to a list or dict; templates load only files inside the templates folder.
Breaking a rule is a `TemplateError` at the template's line, like any other template mistake.
The sandbox also notes which tracked views a page reads (`RecordingEnvironment.reads`), for
the build record.
"""

from __future__ import annotations

import types
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes, sandbox
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import BlockReference, Context, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import escape
from pydantic import BaseModel

from generator.plan.context import Tracked
from generator.strings import DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from generator.render.page import RenderSession


class TemplatesLoader(jinja2.FileSystemLoader):
    """Loads templates from the theme's folders and nowhere else, each from the first folder
    that has it (a site's own folder, then the package's theme).

    Jinja already refuses names with `..` and reads `/etc/x` as `etc/x` inside a folder;
    this also refuses a file inside that is a link to somewhere outside its folder.
    """

    def __init__(self, folders: tuple[Path, ...]) -> None:
        super().__init__([str(folder) for folder in folders])
        self.folders = tuple(folder.resolve() for folder in folders)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        parts = split_template_path(template)
        for folder in self.folders:
            found = folder.joinpath(*parts)
            if not found.is_file():
                continue
            if not found.resolve().is_relative_to(folder):
                raise jinja2.TemplateNotFound(
                    template, f"template `{template}` is outside the templates folder"
                )
            break
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


class RecordingEnvironment(ImmutableSandboxedEnvironment):
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
        self.reads: set[str] | None = None
        """Keys of what the page being rendered has read so far (None between pages)."""
        self.session: RenderSession | None = None
        """The session rendering now, which `CachedMacro` checks its fragments against."""
        self.builds = 0
        """How many sessions that keep fragments have rendered here: the number of each."""
        self.last_inputs: Mapping[str, bytes] = {}
        """The inputs of the last of those sessions."""
        self.language = DEFAULT_LANGUAGE
        """The language of the page rendering now, whose words `ui` gives (`environment`)."""

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
        reads = self.reads
        if reads is not None and isinstance(obj, Tracked):
            reads.add(obj.view_key)
        try:  # as jinja2.Environment.getattr, inlined: it runs for every `a.b` of every page
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getattr(self, obj: Any, attribute: str) -> Any:
        reads = self.reads
        if reads is not None and isinstance(obj, Tracked):
            reads.add(obj.view_key)
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
