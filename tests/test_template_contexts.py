"""Each page template names, in its first line, the context the plan gives its pages.

The names are checked against the plan's own table of page kinds (`pages.PAGE_KINDS`), which
`PageList.add` ties every planned page to, and the contexts planned for the real content are
checked to be of their kind's type."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator.load.content import load_content
from generator.plan import page_contexts
from generator.plan.pages import PAGE_KINDS, QUOTE_PAGE, PageKind
from generator.plan.site import plan_site
from generator.validate.content import validate_content
from tests.conftest import REAL_CONTENT, REPO

TEMPLATES = REPO / "templates"
CONTEXTS_MODULE = "generator/plan/page_contexts.py"
FIRST_LINE = re.compile(r"\{# context: (\w+) \((\S+)\) #\}\n")

TEMPLATED_KINDS = [kind for kind in PAGE_KINDS if (TEMPLATES / kind.template).is_file()]


def _first_line(path: Path) -> str:
    with path.open(encoding="utf-8") as file:
        return file.readline()


def _named_context(path: Path) -> str | None:
    match = FIRST_LINE.fullmatch(_first_line(path))
    return match[1] if match else None


def test_every_page_kind_is_rendered_by_a_template_or_in_python() -> None:
    """A kind whose template is not a file is serialized or drawn: `json:`, `csv:`, `png:`."""
    others = [kind.template for kind in PAGE_KINDS if kind not in TEMPLATED_KINDS]
    assert others
    assert all(re.fullmatch(r"(json|csv|png):\w+", template) for template in others)


def test_page_kinds_have_one_template_each() -> None:
    templates = [kind.template for kind in PAGE_KINDS]
    assert len(templates) == len(set(templates))


@pytest.mark.parametrize("kind", TEMPLATED_KINDS, ids=lambda kind: kind.template)
def test_page_template_names_its_context_first(kind: PageKind[Any]) -> None:
    path = TEMPLATES / kind.template
    match = FIRST_LINE.fullmatch(_first_line(path))
    assert match is not None, f"templates/{kind.template}: no `{{# context: ... #}}` line first"
    name, module = match.groups()
    assert module == CONTEXTS_MODULE
    assert getattr(page_contexts, name, None) is not None, f"no {name} in {module}"
    assert name == kind.context.__name__, (
        f"templates/{kind.template} names {name}; the plan gives it {kind.context.__name__}"
    )


def test_only_page_templates_name_a_context_first() -> None:
    """Layouts and partials say what they expect in words, not as a page's context line."""
    naming = {
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*")
        if path.suffix in {".html", ".xml", ".txt"}
        and "static" not in path.relative_to(TEMPLATES).parts
        and _named_context(path) is not None
    }
    assert naming == {kind.template for kind in TEMPLATED_KINDS}


def test_planned_contexts_have_their_kinds_keys() -> None:
    """Every page planned for the real content, with every feature on, is of a kind in the
    table, and its context has exactly the keys of that kind's context type."""
    content = validate_content(load_content(REAL_CONTENT))
    site = content.site.model_copy(update={"share_cards": True, "embeds": True, "search": True})
    plan = plan_site(replace(content, site=site))
    kinds = {kind.template: kind for kind in PAGE_KINDS}
    planned = set()
    for page in plan.pages:
        kind = kinds[page.template]
        planned.add(page.template)
        assert set(page.context) == set(kind.context.__required_keys__), page.path
        assert kind.context_of(page) is page.context
    assert planned == set(kinds)


def test_context_of_refuses_a_page_of_another_kind() -> None:
    content = validate_content(load_content(REAL_CONTENT))
    page = plan_site(content).pages[0]
    other = next(kind for kind in PAGE_KINDS if kind.template != page.template)
    with pytest.raises(ValueError, match="not"):
        other.context_of(page)


def test_quote_page_gets_the_source_of_the_words_and_the_others_among_those_it_prints() -> None:
    """`quote.html` names the source that prints the words, then the others; together they are
    the quote's sources, and a printed page lists each of them."""
    content = validate_content(load_content(REAL_CONTENT))
    pages = [p for p in plan_site(content).pages if p.template == QUOTE_PAGE.template]
    assert len(pages) == len(content.cases[0].quotes) * len(content.languages)
    for page in pages:
        context = QUOTE_PAGE.context_of(page)
        quote = context["quote"]
        named = [quote.verbatim_in, *quote.corroborated_by]
        assert sorted(named, key=lambda c: c.number) == quote.sources, page.path
        assert quote.verbatim_in not in quote.corroborated_by, page.path
        assert all(c in context["cited_sources"] for c in named), page.path
