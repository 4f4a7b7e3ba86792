"""Templates run sandboxed: only the data they are given, only files inside templates/.

Each attack is a one-line template rendered the way the build renders pages; it must fail
with a `TemplateError` that names the template file and line, never reach Python's
internals, the environment, another file or the process's environment variables.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
from jinja2 import FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from generator.build.site import build_site
from generator.errors import TemplateError
from generator.plan.context import CaseView
from generator.plan.site import Page
from generator.render.environment import make_environment
from generator.render.fragments import CachedMacro
from generator.render.page import RenderedFile, render_page
from generator.render.sandbox import NAMES_CHECKED_BY_TYPE
from tests.conftest import minimal_site, write_tree

SECRET = "the-secret-of-the-test"

ESCAPES = {
    "mro": "{{ ''.__class__.__mro__ }}",
    "subclasses": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "subclasses via attr filter": "{{ ''|attr('__class__') }}",
    "globals of a global": "{{ cycler.__init__.__globals__ }}",
    "globals of lipsum": "{{ lipsum.__globals__ }}",
    "class of a string": "{{ (1|string).__class__ }}",
    "template context": "{{ self._TemplateReference__context }}",
    "macro's function": "{% macro m() %}{% endmacro %}{{ m._func.__globals__ }}",
    "class of a view": "{{ case.__class__ }}",
    "class by subscript": "{{ case['__class__'] }}",
    "class by map": "{{ case.sources|map(attribute='__class__')|first }}",
    "class by sort": "{{ case.sources|sort(attribute='__class__.__mro__')|list }}",
    "dataclass fields": "{{ case.__dataclass_fields__ }}",
    "cached macro's environment": "{{ quote_summary._environment.loader }}",
    "bound method's object": "{{ quote_summaries.__self__ }}",
    "type's mro": "{{ dict.mro() }}",
    "generator frame": "{{ ([1]|map('string')).gi_frame.f_globals }}",
    "str.format": "{{ '{0.__class__.__mro__}'.format(case) }}",
    "str.format_map": "{{ '{x.__class__}'.format_map({'x': case}) }}",
    "markup format": "{{ ('{0.__class__}'|safe).format(case) }}",
    "pydantic parse_file": "{{ site.parse_file('/etc/passwd') }}",
    "pydantic model_validate_json": "{{ site.model_validate_json('{}') }}",
    "pydantic model_config": "{{ site.model_config }}",
    "pydantic class": "{{ site.__class__.parse_file('/etc/passwd') }}",
    "pydantic copy": "{{ site.copy(update={'title': 'x'}) }}",
    "change a list": "{{ case.events.append(1) }}",
    "change a dict": "{% set d = {} %}{{ d.update({'a': 1}) }}",
    "huge range": "{{ range(10**9)|length }}",
    "include an absolute path": "{% include '/etc/passwd' %}",
    "include a parent": "{% include '../secret.txt' %}",
    "include a parent of a folder": "{% include 'partials/../../secret.txt' %}",
    "import a parent": "{% import '../secret.txt' as s %}",
    "extend a parent": "{% extends '../secret.txt' %}",
    "include a link to outside": "{% include 'link.txt' %}",
}
"""Template source → what it tries; none may succeed."""


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real templates, a secret file beside them and a link to it inside."""
    root = tmp_path_factory.mktemp("sandbox")
    folder = root / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", folder)
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "link.txt").symlink_to(root / "secret.txt")
    return folder


def _render(templates: Path, source: str, context: dict[str, object]) -> RenderedFile:
    (templates / "attack.html").write_text(source + "\n", encoding="utf-8")
    environment = make_environment(templates)
    if environment.cache is not None:
        environment.cache.clear()
    return render_page(Page("attack/index.html", "attack.html", context), environment)


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A real page's context (the case overview of a small site)."""
    from generator.load.content import load_content
    from generator.plan.site import plan_site
    from generator.validate.content import validate_content

    root = write_tree(tmp_path_factory.mktemp("content"), minimal_site())
    plan = plan_site(validate_content(load_content(root)))
    (page,) = [p for p in plan.pages if p.template == "case.html"]
    return page.context


@pytest.mark.parametrize("source", list(ESCAPES.values()), ids=list(ESCAPES))
def test_template_cannot_escape_the_sandbox(
    templates: Path, context: dict[str, object], source: str
) -> None:
    os.environ["EXPLAINER_TEST_SECRET"] = SECRET
    try:
        with pytest.raises(TemplateError) as caught:
            _render(templates, source, context)
    finally:
        del os.environ["EXPLAINER_TEST_SECRET"]
    error = caught.value
    assert str(error.location) == "templates/attack.html:1:1", str(error)
    assert SECRET not in str(error)
    assert "Traceback" not in str(error)
    assert error.message.endswith("(rendering attack/index.html)"), error.message


def test_sandbox_errors_say_what_is_not_allowed(
    templates: Path, context: dict[str, object]
) -> None:
    with pytest.raises(TemplateError) as caught:
        _render(templates, "{{ case.__class__ }}", context)
    assert caught.value.message == (
        "templates may not use `__class__` of 'CaseView': they are sandboxed and see only "
        "the data they are given (rendering attack/index.html)"
    )
    with pytest.raises(TemplateError) as caught:
        _render(templates, "{% include '../secret.txt' %}", context)
    assert caught.value.message.startswith(
        "template `../secret.txt` not found: a template can use only files inside the "
        "templates folder, named from there without `..`"
    )


def test_error_in_a_partial_names_the_partial(templates: Path, context: dict[str, object]) -> None:
    partial = templates / "partials" / "_attack.html"
    partial.write_text("first line\n{{ case.__class__ }}\n", encoding="utf-8")
    try:
        with pytest.raises(TemplateError) as caught:
            _render(templates, "{% include 'partials/_attack.html' %}", context)
    finally:
        partial.unlink()
    assert str(caught.value.location) == "templates/partials/_attack.html:2:1"


def test_what_templates_may_do_still_works(templates: Path, context: dict[str, object]) -> None:
    source = (
        "{{ case.case.title }}|{{ site.title }}|{{ case.url.startswith('demo') }}|"
        "{{ '{}-{}'.format(1, 2) }}|{% set d = dict({'a': 1}, b=2) %}{{ d.a }}{{ d['b'] }}|"
        "{{ range(3)|list }}|{% for e in [1, 2] %}{{ loop.index }}{% endfor %}|"
        "{% from 'partials/_citations.html' import citations %}{{ citations([], '') }}|"
        "{{ case.sources|map(attribute='id')|join }}"
    )
    (text,) = _render(templates, source, context).parts
    assert text.decode() == ("A test case|Test Explainers|True|1-2|12|[0, 1, 2]|12||report\n")


def test_a_template_error_stops_the_build_with_its_location(tmp_path: Path) -> None:
    """The build raises the located error (which the command line prints, as for any
    template mistake)."""
    folder = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", folder)
    index = folder / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "{% block content %}", "{% block content %}{{ site.__class__.__mro__ }}", 1
        ),
        encoding="utf-8",
    )
    content = write_tree(tmp_path / "content", minimal_site())
    with pytest.raises(TemplateError) as caught:
        build_site(content, tmp_path / "output", templates_dir=folder, workers=1)
    assert str(caught.value).startswith("templates/index.html:")
    assert "templates may not use `__class__` of 'Site'" in str(caught.value)


def _samples(context: dict[str, object]) -> list[object]:
    """One object of every kind a template may meet, and of those Jinja has rules for."""

    def generator() -> Iterator[int]:
        yield 1

    case = context["case"]
    assert isinstance(case, CaseView)
    try:
        raise ValueError
    except ValueError as exc:
        trace = exc.__traceback__
    return [
        "",
        Markup("<b>"),
        [],
        {},
        set(),
        deque(),
        (),
        1,
        1.5,
        None,
        dict,
        len,
        "".startswith,
        _samples,
        generator(),
        sys._getframe(),
        _samples.__code__,
        trace,
        context["site"],
        type(context["site"]),
        case,
        case.case,
        case.sources[0],
        case.timeline,
        *context.values(),
    ]


def test_names_allowed_when_compiling_are_allowed_by_jinja_on_every_object(
    templates: Path, context: dict[str, object]
) -> None:
    """The compiled `a.name` skips the check for names outside `NAMES_CHECKED_BY_TYPE`:
    Jinja's own check (and ours) must allow each such name on every kind of object."""
    environment = make_environment(templates)
    assert isinstance(environment, SandboxedEnvironment)
    wrongly_skipped = []
    for sample in _samples(context):
        for name in dir(sample):
            if name.startswith("_") or name in NAMES_CHECKED_BY_TYPE:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = getattr(sample, name)
            safe = environment.is_safe_attribute(sample, name, value)
            if not safe or environment.wrap_str_format(value) is not None:
                wrongly_skipped.append(f"{type(sample).__name__}.{name}")
    assert wrongly_skipped == []


def test_cached_macro_keeps_its_parts_private(templates: Path) -> None:
    """A template calls cached macros; it must not reach the environment through one."""
    assert [name for name in vars(CachedMacro) if not name.startswith("_")] == ["each"]
    macro = CachedMacro(make_environment(templates), "partials/_quote.html", "quote_summary")
    assert [name for name in vars(macro) if not name.startswith("_")] == []


class _Html:
    def __html__(self) -> str:
        return "<i>own html</i>"


OUTPUT_CASES = {
    "text": "{{ text }}",
    "markup": "{{ markup }}",
    "markup joined to text": "{{ markup ~ text }}",
    "number and none": "{{ number }}|{{ nothing }}",
    "an object's own html": "{{ own }}",
    "in a macro": "{% macro m(x) %}<p>{{ x }}</p>{% endmacro %}{{ m(text) }}{{ m(markup) }}",
    "macro result escaped again": "{% macro m() %}{{ text }}{% endmacro %}{{ m()|e }}",
    "a set block": "{% set held %}{{ text }}<br>{% endset %}{{ held }}{{ held|length }}",
    "a filter block": "{% filter upper %}{{ text }}{% endfilter %}",
    "a call block": "{% macro w() %}[{{ caller() }}]{% endmacro %}"
    "{% call w() %}{{ text }}{% endcall %}",
    "autoescape off and on": "{% autoescape false %}{{ text }}{% endautoescape %}{{ text }}",
    "safe filter": "{{ text|safe }}",
    "import": "{% from 'partials/_date.html' import date %}{{ text }}",
}
"""Template source → a way of writing values out; each must give what Jinja gives."""


@pytest.mark.parametrize("source", list(OUTPUT_CASES.values()), ids=list(OUTPUT_CASES))
def test_written_values_are_escaped_as_jinja_escapes_them(templates: Path, source: str) -> None:
    """Values written out are escaped to plain strings, not `Markup` (`escape_output`): the
    page must be what Jinja's own escaping makes of it, byte for byte."""
    values = {
        "text": "<a href='x' title=\"y\">Tom & Jerry</a>",
        "markup": Markup("<b>bold</b> &amp; fine"),
        "number": 42,
        "nothing": None,
        "own": _Html(),
    }
    jinja = SandboxedEnvironment(
        autoescape=True,
        loader=FileSystemLoader(str(templates)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    expected = jinja.from_string(source + "\n").render(values)
    (text,) = _render(templates, source, values).parts
    assert text.decode() == expected


def test_a_template_with_globals_of_its_own_passes_them_to_what_it_imports(
    templates: Path,
) -> None:
    """Only templates without globals of their own skip Jinja's check on import (`_Template`);
    one that has them still gets a module that sees them."""
    (templates / "partials" / "_uses_global.html").write_text(
        "{% macro shout() %}{{ extra }}!{% endmacro %}", encoding="utf-8"
    )
    try:
        environment = make_environment(templates)
        template = environment.from_string(
            "{% from 'partials/_uses_global.html' import shout with context %}"
            "{% import 'partials/_uses_global.html' as plain %}{{ shout() }} {{ plain.shout() }}",
            globals={"extra": "<own>"},
        )
        assert template.render() == "&lt;own&gt;! &lt;own&gt;!"
    finally:
        (templates / "partials" / "_uses_global.html").unlink()
